/* sinusoidal_scalar.c - the sinusoidal encoding in portable C: the accurate baseline and the
 * fallback on every CPU. */
#include "scalar/scalar_phase.h"

/* Where frequency i's sin and cos go in a PE row of dim d. */
static inline void pe_slots(const posenc_plan *plan, size_t i, size_t *sin_at, size_t *cos_at)
{
    if (plan->params.pairing == POSENC_PAIR_HALF) {
        *sin_at = i;
        *cos_at = i + plan->n_freq;
    } else {
        *sin_at = 2 * i;
        *cos_at = 2 * i + 1;
    }
}

static inline __attribute__((always_inline)) int
sinusoidal_encode_body(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    size_t d = plan->row_size;
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < plan->n_freq; i++) {
            float s, c;
            size_t sa, ca;
            scalar_phase_sincos(plan, pos[t], i, &s, &c);
            pe_slots(plan, i, &sa, &ca);
            out[t * d + sa] = s;
            out[t * d + ca] = c;
        }
    return POSENC_OK;
}

static inline __attribute__((always_inline)) int
sinusoidal_apply_body(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                      const posenc_layout *layout)
{
    for (size_t t = 0; t < n_tokens; t++) {
        for (size_t i = 0; i < plan->n_freq; i++) {
            float s, c;
            size_t sa, ca;
            scalar_phase_sincos(plan, pos[t], i, &s, &c);
            pe_slots(plan, i, &sa, &ca);
            for (size_t h = 0; h < layout->n_heads; h++) {
                float *head = scalar_head(x, layout, t, h);
                head[sa] += s;
                head[ca] += c;
            }
        }
        /* posenc.h's special value rule, once per head of the token while it is in cache: a
           test per float in the loop above would cost more (it is not vectorised) */
        for (size_t h = 0; h < layout->n_heads; h++)
            posenc_canon_nan_run(scalar_head(x, layout, t, h), plan->row_size);
    }
    return POSENC_OK;
}

SCALAR_PHASE_KERNEL(sinusoidal_encode,
                    (const posenc_plan *plan, const int64_t *pos, size_t n, float *out),
                    (plan, pos, n, out))
SCALAR_PHASE_KERNEL(sinusoidal_apply,
                    (const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                     const posenc_layout *layout),
                    (plan, pos, n_tokens, x, layout))

const posenc_impl posenc_sinusoidal_scalar = {
    .name = "sinusoidal/scalar",
    .description = "sinusoidal PE, portable C, exact 64-bit phase, float polynomial sincos",
    .kind = POSENC_SINUSOIDAL,
    .cpu_features = 0,
    .algorithm = "poly32",
    .max_err_u = 4.0,
    .max_pos = INT64_C(1) << 31,
    .encode = sinusoidal_encode,
    .apply = sinusoidal_apply,
};
