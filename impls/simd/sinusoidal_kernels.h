/* sinusoidal_kernels.h - the sinusoidal encoding's encode and apply for the vector backends,
 * written once over the vector API and the phase source of impls/simd/kernel_common.h and
 * compiled once per ISA through impls/simd/kernels.h. Defines posenc_sinusoidal_<ISA_SUFFIX>. */

/* Frequencies i .. i+k-1 of one row with ordinary stores (a row's head and tail), through the
   vectors at multiples of VL, the phase source's own grid (it may read constants only up to
   the next multiple of VL past n_freq). */
static __attribute__((noinline, cold)) void KFN(sinusoidal_part)(const KFN(phase) *ph, size_t i, size_t k, size_t nf,
                                        int half, float *row)
{
    for (size_t end = i + k; i < end;) {
        size_t base = i - i % VL;
        float s[VL], c[VL];
        vf sv, cv;
        KFN(phase_vec)(ph, base, &sv, &cv);
        vf_storeu(s, sv);
        vf_storeu(c, cv);
        for (; i < end && i < base + VL; i++) {
            if (half) {
                row[i] = s[i - base];
                row[nf + i] = c[i - base];
            } else {
                row[2 * i] = s[i - base];
                row[2 * i + 1] = c[i - base];
            }
        }
    }
}

/* The row of one position: sin of every frequency, then cos (half-split), or (sin, cos) pairs
   (interleaved). Computed and stored one vector at a time: the sin/cos never leave registers.
   Streamed, the vectors start where the stores align (KFN(stream_skew)); the frequencies
   before are a head. */
static inline void KFN(sinusoidal_row)(const KFN(phase) *ph, size_t nf, int half, float *row, int stream)
{
    size_t i = KFN(stream_skew)(row, half ? sizeof(float) : 2 * sizeof(float), KSTREAM_BYTES,
                                stream);
    if (i >= nf)
        i = 0;
    if (i)
        KFN(sinusoidal_part)(ph, 0, i, nf, half, row);
    vf sv, cv;
    if (half) {
        for (; i + VL <= nf; i += VL) {
            KFN(phase_vec)(ph, i, &sv, &cv);
            KFN(put)(row + i, sv, stream);
            KFN(put)(row + nf + i, cv, stream);
        }
    } else {
        for (; i + VL <= nf; i += VL) {
            vf lo, hi;
            KFN(phase_vec)(ph, i, &sv, &cv);
            vf_zip(sv, cv, &lo, &hi);
            KFN(put)(row + 2 * i, lo, stream);
            KFN(put)(row + 2 * i + VL, hi, stream);
        }
    }
    if (i < nf)
        KFN(sinusoidal_part)(ph, i, nf - i, nf, half, row);
}

static inline void KFN(sinusoidal_rows)(const posenc_plan *plan, const int64_t *pos, size_t n, float *out,
                     int stream)
{
    int half = plan->params.pairing == POSENC_PAIR_HALF;
    for (size_t t = 0; t < n; t++) {
        KFN(phase) ph;
        KFN(phase_at)(&ph, plan, pos[t]);
        KFN(sinusoidal_row)(&ph, plan->n_freq, half, out + t * plan->row_size, stream);
    }
}

static int KFN(sinusoidal_encode)(const posenc_plan *plan, const int64_t *pos, size_t n,
                                  float *out)
{
    int stream = KFN(streams)(plan, n * plan->row_size * sizeof(float), 1);
    if (stream) /* a constant each: the loop without streaming carries no test */
        KFN(sinusoidal_rows)(plan, pos, n, out, 1);
    else
        KFN(sinusoidal_rows)(plan, pos, n, out, 0);
    KFN(stream_end)(stream);
    return POSENC_OK;
}

/* x[h] += PE row, for every head h of one token: each vector of sin/cos is computed once and
   added to every head while it is in registers. */
static inline void KFN(sinusoidal_add_token)(const KFN(phase) *ph, size_t nf, int half,
                                             float *x, size_t n_heads, size_t head_stride)
{
    size_t i = 0;
    vf sv, cv;
    for (; i + VL <= nf; i += VL) {
        KFN(phase_vec)(ph, i, &sv, &cv);
        if (half) {
            for (size_t h = 0; h < n_heads; h++) {
                float *head = x + h * head_stride;
                vf rs = vf_add(vf_loadu(head + i), sv), rc = vf_add(vf_loadu(head + nf + i), cv);
                KFN(canon_nan2)(&rs, &rc);
                vf_storeu(head + i, rs);
                vf_storeu(head + nf + i, rc);
            }
        } else {
            vf lo, hi;
            vf_zip(sv, cv, &lo, &hi);
            for (size_t h = 0; h < n_heads; h++) {
                float *p = x + h * head_stride + 2 * i;
                vf r0 = vf_add(vf_loadu(p), lo), r1 = vf_add(vf_loadu(p + VL), hi);
                KFN(canon_nan2)(&r0, &r1);
                vf_storeu(p, r0);
                vf_storeu(p + VL, r1);
            }
        }
    }
    if (i < nf) {
        float s[VL], c[VL];
        KFN(phase_vec)(ph, i, &sv, &cv);
        vf_storeu(s, sv);
        vf_storeu(c, cv);
        for (size_t h = 0; h < n_heads; h++) {
            float *head = x + h * head_stride;
            for (size_t k = 0; i + k < nf; k++) {
                float *hs = half ? head + i + k : head + 2 * (i + k);
                float *hc = half ? head + nf + i + k : head + 2 * (i + k) + 1;
                float rs = *hs + s[k], rc = *hc + c[k];
                posenc_canon_nan2(&rs, &rc);
                *hs = rs;
                *hc = rc;
            }
        }
    }
}

static int KFN(sinusoidal_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                                 float *x, const posenc_layout *l)
{
    int half = plan->params.pairing == POSENC_PAIR_HALF;
    for (size_t t = 0; t < n_tokens; t++) {
        KFN(phase) ph;
        KFN(phase_at)(&ph, plan, pos[t]);
        KFN(sinusoidal_add_token)(&ph, plan->n_freq, half, x + t * l->token_stride, l->n_heads,
                                  l->head_stride);
    }
    return POSENC_OK;
}

/* ---- 16-bit data ------------------------------------------------------------------------ */

#define ELEM bf16
#include "simd/sinusoidal_half_kernels.h"
#define ELEM f16
#include "simd/sinusoidal_half_kernels.h"

static int KFN(sinusoidal_encode16)(const posenc_plan *plan, const int64_t *pos, size_t n,
                                    void *out)
{
    return KFN_BY_DTYPE(plan, sinusoidal_encode, plan, pos, n, out);
}

static int KFN(sinusoidal_apply16)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                                   void *x, const posenc_layout *l)
{
    return KFN_BY_DTYPE(plan, sinusoidal_apply, plan, pos, n_tokens, x, l);
}

const posenc_impl KCAT(posenc_sinusoidal, ISA_SUFFIX) = {
    .name = "sinusoidal/" ISA_NAME,
    .description = "sinusoidal PE, " ISA_DESC ", " ISA_METHOD,
    .kind = POSENC_SINUSOIDAL,
    .cpu_features = ISA_FEATURES,
    .algorithm = ISA_ALGORITHM,
    .flags = ISA_FLAGS,
    .max_err_u = ISA_BOUND_SINUSOIDAL,
    .max_pos = INT64_C(1) << 31,
    .prepare = simd_prepare,
    .encode = KFN(sinusoidal_encode),
    .apply = KFN(sinusoidal_apply),
    .release = simd_release,
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
    .encode16 = KFN(sinusoidal_encode16),
    .apply16 = KFN(sinusoidal_apply16),
};
