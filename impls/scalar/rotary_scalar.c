/* rotary_scalar.c - rotary position embedding (RoPE) in portable C: the accurate baseline and the
 * fallback on every CPU. */
#include "core/rotation.h"
#include "scalar/scalar_phase.h"

static inline __attribute__((always_inline)) int
rotary_encode_body(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    size_t r = plan->row_size, half = plan->n_freq;
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < half; i++) {
            float s, c;
            scalar_rotary_sincos(plan, pos, n, t, i, &s, &c);
            out[t * r + i] = c;
            out[t * r + half + i] = s;
        }
    return POSENC_OK;
}

static inline __attribute__((always_inline)) int
rotary_apply_body(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                  const posenc_layout *layout)
{
    size_t half = plan->n_freq;
    /* pair (a, b) of frequency i sits at (i, i + r/2) or (2i, 2i + 1) */
    int interleaved = plan->params.pairing == POSENC_PAIR_INTERLEAVED;
    for (size_t t = 0; t < n_tokens; t++)
        for (size_t i = 0; i < half; i++) {
            float s, c;
            scalar_rotary_sincos(plan, pos, n_tokens, t, i, &s, &c);
            size_t ia = interleaved ? 2 * i : i, ib = interleaved ? 2 * i + 1 : i + half;
            for (size_t h = 0; h < layout->n_heads; h++) {
                float *head = scalar_head(x, layout, t, h);
                float a = head[ia], b = head[ib], ra, rb;
                posenc_rotate_pair(a, b, c, s, &ra, &rb);
                posenc_canon_nan2(&ra, &rb); /* a NaN: posenc.h's special value rule */
                head[ia] = ra;
                head[ib] = rb;
            }
        }
    return POSENC_OK;
}

SCALAR_PHASE_KERNEL(rotary_encode,
                    (const posenc_plan *plan, const int64_t *pos, size_t n, float *out),
                    (plan, pos, n, out))
SCALAR_PHASE_KERNEL(rotary_apply,
                    (const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                     const posenc_layout *layout),
                    (plan, pos, n_tokens, x, layout))

const posenc_impl posenc_rotary_scalar = {
    .name = "rotary/scalar",
    .description = "RoPE, portable C, exact 64-bit phase, float polynomial sincos",
    .kind = POSENC_ROTARY,
    .cpu_features = 0,
    .algorithm = "poly32",
    .max_err_u = 8.0,
    .max_pos = INT64_C(1) << 31,
    .encode = rotary_encode,
    .apply = rotary_apply,
};
