/* learned_scalar.c - learned absolute positions (x += W[p]) in portable C. Bit-exact by
 * construction: a copy and one float add per element. */
#include <string.h>

#include "core/plan.h"
#include "core/special_values.h"
#include "learned/weights.h"

static int learned_encode(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    size_t d = plan->row_size;
    for (size_t t = 0; t < n; t++)
        memcpy(out + t * d, plan->weights->data + (size_t)pos[t] * d, d * sizeof(float));
    return POSENC_OK;
}

static int learned_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                         const posenc_layout *layout)
{
    size_t d = plan->row_size;
    for (size_t t = 0; t < n_tokens; t++) {
        const float *row = plan->weights->data + (size_t)pos[t] * d;
        for (size_t h = 0; h < layout->n_heads; h++) {
            float *head = x + t * layout->token_stride + h * layout->head_stride;
            /* posenc.h's special value rule: a NaN flag the compiler keeps vectorised with the
               sum (an OR of compares), then a rewrite only when it is set */
            int nan = 0;
            for (size_t j = 0; j < d; j++) {
                float r = head[j] + row[j];
                head[j] = r;
                nan |= r != r;
            }
            if (nan)
                posenc_canon_nan_run(head, d);
        }
    }
    return POSENC_OK;
}

const posenc_impl posenc_learned_scalar = {
    .name = "learned/scalar",
    .description = "learned absolute table gather-add, portable C, bit-exact",
    .kind = POSENC_LEARNED,
    .cpu_features = 0,
    .algorithm = "gather-add",
    .max_err_u = 0.0,
    .max_pos = INT64_MAX, /* bounded per plan by the rows of W */
    .encode = learned_encode,
    .apply = learned_apply,
};
