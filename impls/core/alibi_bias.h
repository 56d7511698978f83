/* alibi_bias.h - ALiBi's biases and the loop over heads and query rows that every backend shares:
 * biases come from one scalar routine (so every backend gets the same bits), and a backend only
 * supplies the row kernel that adds a bias row to a score row. */
#ifndef POSENC_CORE_ALIBI_BIAS_H
#define POSENC_CORE_ALIBI_BIAS_H

#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "core/half.h"
#include "core/plan.h"
#include "core/special_values.h"

/* m_h v rounded to float for head index h (0-based, < H) and 0 <= v < 2^31: exact mode the
 * correctly rounded product of the real slope and v (a double product decides it unless it
 * lies within a few units of 2^-53 of a midpoint between floats, then a double-double one),
 * fp32 mode (float)v * slope_f. v = 0 gives +0. */
float posenc_alibi_magnitude(const posenc_plan *plan, size_t h, int64_t v);

/* s[j] = s[j] + bias[j] for j < n, s of the plan's element type (float, or uint16_t bits of
 * bfloat16 / float16 widened exactly), the sum rounded once to that type, each NaN written as
 * the type's canonical NaN. */
typedef void (*posenc_alibi_row_fn)(void *s, const float *bias, size_t n);

/* A backend's row kernels, one per element type (posenc_dtype order: f32, bf16, f16). */
typedef struct posenc_alibi_rows {
    posenc_alibi_row_fn add[3];
} posenc_alibi_rows;

/* posenc_alibi_apply's work for validated arguments and a resolved layout, on scores of the
 * plan's element type when the implementation reads it natively (posenc_impl.dtypes), else on
 * float scores (the library's staging): per head, the biases of every distance the call needs (once per
 * distinct distance when the positions are close together), then the type's row kernel on each
 * score row; causal rows get -inf past the diagonal. Errors: NOMEM (its scratch buffers are
 * allocated before anything is written). */
int posenc_alibi_run(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                     const int64_t *k_pos, size_t n_k, void *scores,
                     const posenc_score_layout *layout, const posenc_alibi_rows *rows);

/* impl->encode of every alibi backend: row t holds -m_h pos[t] for h = 1..H. */
int posenc_alibi_encode(const posenc_plan *plan, const int64_t *pos, size_t n, float *out);

/* The scalar row kernels, also the vector kernels' tails. */
static inline void posenc_alibi_add_row_scalar(void *scores, const float *bias, size_t n)
{
    float *s = scores;
    for (size_t j = 0; j < n; j++)
        s[j] = posenc_canon_nan(s[j] + bias[j]);
}
/* s[j] + bias[j] on 16-bit scores, through core/half.h's conversions of the type */
static inline void posenc_alibi_add_row_scalar16(uint16_t *s, const float *bias, size_t n,
                                                 uint32_t (*widen)(uint16_t),
                                                 uint16_t (*narrow)(uint32_t))
{
    for (size_t j = 0; j < n; j++) {
        float v, r;
        uint32_t b = widen(s[j]), rb;
        memcpy(&v, &b, sizeof v);
        r = v + bias[j];
        memcpy(&rb, &r, sizeof rb);
        s[j] = narrow(rb);
    }
}
static inline void posenc_alibi_add_row_scalar_bf16(void *s, const float *bias, size_t n)
{
    posenc_alibi_add_row_scalar16(s, bias, n, posenc_bf16_to_f32_bits, posenc_f32_bits_to_bf16);
}
static inline void posenc_alibi_add_row_scalar_f16(void *s, const float *bias, size_t n)
{
    posenc_alibi_add_row_scalar16(s, bias, n, posenc_f16_to_f32_bits, posenc_f32_bits_to_f16);
}

#endif
