/* kernels.h - the encode/apply kernels of every vector backend, written once against a small
 * vector API and compiled once per ISA (the libdeflate template pattern).
 *
 * Before including, a backend file defines:
 *   - the vector API, by including its vec_<isa>.h: VL lanes; vf/vi types; vf_loadu, vf_storeu,
 *     vf_set1, vf_add, vf_sub, vf_mul; vi_loadu, vi_set1, vi_add, vi_sub, vi_and, vi_srli,
 *     vi_slli; vf_from_vi; vf_select_odd; vf_xor_sign; vi_turns32; vf_store_zip; vf_swap_pairs;
 *   - ISA_SUFFIX (avx2), ISA_NAME ("avx2"), ISA_DESC ("AVX2"), ISA_FEATURES (POSENC_CPU_* bits);
 *   - optionally SIMD_PHASE_BLOCK, its own phase_block (a backend with another sin/cos, such as
 *     SLEEF), and ISA_BOUND_SINUSOIDAL / ISA_BOUND_ROTARY when its bounds differ.
 * It gets the descriptors posenc_{sinusoidal,learned,rotary}_<ISA_SUFFIX> (learned only
 * without SIMD_NO_LEARNED). The configuration macros are undefined at the end, so one file can
 * include this twice with two configurations (SLEEF's u10 and u35).
 *
 * Same bits as the scalar backend: the sin/cos below is impls/core/sincos.h operation for
 * operation, the rotation and additions are the same IEEE operations on the same operands (a
 * lane computes a*c + b*(-s), which equals a*c - b*s exactly), and partial vectors fall back to
 * the scalar formulas rather than to other arithmetic. */
#include <string.h>

#include "core/plan.h"
#include "core/sincos.h"
#include "learned/weights.h"
#include "simd/simd_plan.h"

#include "simd/kernel_names.h"

#ifndef ISA_BOUND_SINUSOIDAL
#define ISA_BOUND_SINUSOIDAL 4.0
#endif
#ifndef ISA_METHOD
#define ISA_METHOD "exact 64-bit phase, float polynomial sincos"
#endif
#ifndef ISA_ALGORITHM
#define ISA_ALGORITHM "poly32"
#endif
#ifndef ISA_FLAGS
#define ISA_FLAGS 0u
#endif
#ifndef ISA_BOUND_ROTARY
#define ISA_BOUND_ROTARY 8.0
#endif

#define KALIGN _Alignas(64)

/* ---- sin and cos of a block of frequencies at one position -------------------------------- */

/* posenc_sincos_turns32 (impls/core/sincos.h) on VL lanes */
static inline void KFN(sincos_turns)(vi t, vf *sin_out, vf *cos_out)
{
    vi q = vi_srli(vi_add(t, vi_set1(UINT32_C(1) << 29)), 30);
    vi r = vi_sub(t, vi_slli(q, 30));
    vf s = vf_mul(vf_from_vi(r), vf_set1(1.0f / 4294967296.0f));
    vf s2 = vf_mul(s, s);
    vf ps = vf_set1(POSENC_SIN_T9);
    ps = vf_add(vf_mul(ps, s2), vf_set1(POSENC_SIN_T7));
    ps = vf_add(vf_mul(ps, s2), vf_set1(POSENC_SIN_T5));
    ps = vf_add(vf_mul(ps, s2), vf_set1(POSENC_SIN_T3));
    ps = vf_add(vf_mul(ps, s2), vf_set1(POSENC_SIN_T1));
    vf sn = vf_mul(ps, s);
    vf pc = vf_set1(POSENC_COS_T10);
    pc = vf_add(vf_mul(pc, s2), vf_set1(POSENC_COS_T8));
    pc = vf_add(vf_mul(pc, s2), vf_set1(POSENC_COS_T6));
    pc = vf_add(vf_mul(pc, s2), vf_set1(POSENC_COS_T4));
    pc = vf_add(vf_mul(pc, s2), vf_set1(POSENC_COS_T2));
    vf cs = vf_add(vf_mul(pc, s2), vf_set1(1.0f));
    vf sv = vf_select_odd(q, sn, cs);
    vf cv = vf_select_odd(q, cs, sn);
    *sin_out = vf_xor_sign(sv, vi_slli(q, 30));                   /* bit 1 of q: negate */
    *cos_out = vf_xor_sign(cv, vi_slli(vi_add(q, vi_set1(1)), 30)); /* bit 1 of q+1 */
}

#ifndef SIMD_PHASE_BLOCK
/* c[j], s[j] = cos, sin of frequency i0 + j at position p, for j < count rounded up to VL (the
 * constants are zero-padded, so the extra lanes are harmless). */
static void KFN(phase_block)(const posenc_plan *plan, int64_t p, size_t i0, size_t count,
                             float *c, float *s)
{
    const simd_plan_data *d = plan->backend;
    if (plan->params.angle_mode == POSENC_ANGLE_EXACT) {
        for (size_t j = 0; j < count; j += VL) {
            vf sv, cv;
            vi t = vi_turns32((uint32_t)p, vi_loadu(d->step_hi + i0 + j),
                              vi_loadu(d->step_lo + i0 + j));
            KFN(sincos_turns)(t, &sv, &cv);
            vf_storeu(s + j, sv);
            vf_storeu(c + j, cv);
        }
    } else {
        /* The fp32 recipe's angle, then a correctly rounded sin/cos evaluated in double per
           element: this mode exists to show the recipe's error, not to be fast. */
        float pf = (float)p;
        for (size_t j = 0; j < count; j++)
            posenc_sincos_fp32_angle(pf * d->inv_freq[i0 + j], &s[j], &c[j]);
    }
}
#endif

/* ---- shared pieces ------------------------------------------------------------------------ */

/* x[j] += src[j], j < n */
static inline void KFN(add_to)(float *x, const float *src, size_t n)
{
    size_t j = 0;
    for (; j + VL <= n; j += VL)
        vf_storeu(x + j, vf_add(vf_loadu(x + j), vf_loadu(src + j)));
    for (; j < n; j++)
        x[j] += src[j];
}

/* dst[2j] = a[j], dst[2j+1] = b[j], j < n */
static inline void KFN(zip_to)(float *dst, const float *a, const float *b, size_t n)
{
    size_t j = 0;
    for (; j + VL <= n; j += VL)
        vf_store_zip(dst + 2 * j, vf_loadu(a + j), vf_loadu(b + j));
    for (; j < n; j++) {
        dst[2 * j] = a[j];
        dst[2 * j + 1] = b[j];
    }
}

static inline size_t KFN(block_len)(size_t n_freq, size_t i0)
{
    return n_freq - i0 < SIMD_BLOCK ? n_freq - i0 : SIMD_BLOCK;
}

/* ---- sinusoidal ----------------------------------------------------------------------------- */

static int KFN(sinusoidal_encode)(const posenc_plan *plan, const int64_t *pos, size_t n,
                                  float *out)
{
    KALIGN float c[SIMD_BLOCK], s[SIMD_BLOCK];
    size_t d = plan->row_size, nf = plan->n_freq;
    int half = plan->params.pairing == POSENC_PAIR_HALF;
    for (size_t t = 0; t < n; t++) {
        float *row = out + t * d;
        for (size_t i0 = 0; i0 < nf; i0 += SIMD_BLOCK) {
            size_t cnt = KFN(block_len)(nf, i0);
            KFN(phase_block)(plan, pos[t], i0, cnt, c, s);
            if (half) {
                memcpy(row + i0, s, cnt * sizeof(float));
                memcpy(row + nf + i0, c, cnt * sizeof(float));
            } else {
                KFN(zip_to)(row + 2 * i0, s, c, cnt);
            }
        }
    }
    return POSENC_OK;
}

static int KFN(sinusoidal_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                                 float *x, const posenc_layout *l)
{
    KALIGN float c[SIMD_BLOCK], s[SIMD_BLOCK], pe[2 * SIMD_BLOCK];
    size_t nf = plan->n_freq;
    int half = plan->params.pairing == POSENC_PAIR_HALF;
    for (size_t t = 0; t < n_tokens; t++)
        for (size_t i0 = 0; i0 < nf; i0 += SIMD_BLOCK) {
            size_t cnt = KFN(block_len)(nf, i0);
            KFN(phase_block)(plan, pos[t], i0, cnt, c, s);
            if (!half)
                KFN(zip_to)(pe, s, c, cnt);
            for (size_t h = 0; h < l->n_heads; h++) {
                float *head = x + t * l->token_stride + h * l->head_stride;
                if (half) {
                    KFN(add_to)(head + i0, s, cnt);
                    KFN(add_to)(head + nf + i0, c, cnt);
                } else {
                    KFN(add_to)(head + 2 * i0, pe, 2 * cnt);
                }
            }
        }
    return POSENC_OK;
}

/* ---- rotary --------------------------------------------------------------------------------- */

static int KFN(rotary_encode)(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    KALIGN float c[SIMD_BLOCK], s[SIMD_BLOCK];
    size_t r = plan->row_size, nf = plan->n_freq;
    for (size_t t = 0; t < n; t++)
        for (size_t i0 = 0; i0 < nf; i0 += SIMD_BLOCK) {
            size_t cnt = KFN(block_len)(nf, i0);
            KFN(phase_block)(plan, pos[t], i0, cnt, c, s);
            memcpy(out + t * r + i0, c, cnt * sizeof(float));
            memcpy(out + t * r + nf + i0, s, cnt * sizeof(float));
        }
    return POSENC_OK;
}

/* Half-split pairs (a[j], b[j]) = (head[i0 + j], head[i0 + r/2 + j]). */
static inline void KFN(rotate_half)(float *a, float *b, const float *c, const float *s,
                                    size_t cnt)
{
    size_t j = 0;
    for (; j + VL <= cnt; j += VL) {
        vf va = vf_loadu(a + j), vb = vf_loadu(b + j), vc = vf_loadu(c + j), vs = vf_loadu(s + j);
        vf_storeu(a + j, vf_sub(vf_mul(va, vc), vf_mul(vb, vs)));
        vf_storeu(b + j, vf_add(vf_mul(va, vs), vf_mul(vb, vc)));
    }
    for (; j < cnt; j++) {
        float va = a[j], vb = b[j];
        a[j] = va * c[j] - vb * s[j];
        b[j] = va * s[j] + vb * c[j];
    }
}

/* Interleaved pairs (x[2j], x[2j+1]); cz = (c0, c0, c1, c1, ..), sz = (-s0, s0, -s1, s1, ..). */
static inline void KFN(rotate_interleaved)(float *x, const float *cz, const float *sz,
                                           size_t cnt)
{
    size_t j = 0, n2 = 2 * cnt;
    for (; j + VL <= n2; j += VL) {
        vf v = vf_loadu(x + j);
        vf_storeu(x + j, vf_add(vf_mul(v, vf_loadu(cz + j)),
                                vf_mul(vf_swap_pairs(v), vf_loadu(sz + j))));
    }
    for (; j < n2; j += 2) {
        float a = x[j], b = x[j + 1], cv = cz[j], sv = sz[j + 1];
        x[j] = a * cv - b * sv;
        x[j + 1] = a * sv + b * cv;
    }
}

static int KFN(rotary_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                             float *x, const posenc_layout *l)
{
    KALIGN float c[SIMD_BLOCK], s[SIMD_BLOCK], neg_s[SIMD_BLOCK];
    KALIGN float cz[2 * SIMD_BLOCK], sz[2 * SIMD_BLOCK];
    size_t nf = plan->n_freq;
    int interleaved = plan->params.pairing == POSENC_PAIR_INTERLEAVED;
    for (size_t t = 0; t < n_tokens; t++)
        for (size_t i0 = 0; i0 < nf; i0 += SIMD_BLOCK) {
            size_t cnt = KFN(block_len)(nf, i0);
            KFN(phase_block)(plan, pos[t], i0, cnt, c, s);
            if (interleaved) {
                for (size_t j = 0; j < cnt; j++)
                    neg_s[j] = -s[j];
                KFN(zip_to)(cz, c, c, cnt);
                KFN(zip_to)(sz, neg_s, s, cnt);
            }
            for (size_t h = 0; h < l->n_heads; h++) {
                float *head = x + t * l->token_stride + h * l->head_stride;
                if (interleaved)
                    KFN(rotate_interleaved)(head + 2 * i0, cz, sz, cnt);
                else
                    KFN(rotate_half)(head + i0, head + nf + i0, c, s, cnt);
            }
        }
    return POSENC_OK;
}

#ifndef SIMD_NO_LEARNED
/* ---- learned -------------------------------------------------------------------------------- */

static int KFN(learned_encode)(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    size_t d = plan->row_size;
    for (size_t t = 0; t < n; t++)
        memcpy(out + t * d, plan->weights->data + (size_t)pos[t] * d, d * sizeof(float));
    return POSENC_OK;
}

static int KFN(learned_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                              float *x, const posenc_layout *l)
{
    size_t d = plan->row_size;
    for (size_t t = 0; t < n_tokens; t++) {
        const float *row = plan->weights->data + (size_t)pos[t] * d;
        for (size_t h = 0; h < l->n_heads; h++)
            KFN(add_to)(x + t * l->token_stride + h * l->head_stride, row, d);
    }
    return POSENC_OK;
}

#endif /* SIMD_NO_LEARNED */

/* ---- the descriptors ------------------------------------------------------------------------ */

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
};

const posenc_impl KCAT(posenc_rotary, ISA_SUFFIX) = {
    .name = "rotary/" ISA_NAME,
    .description = "RoPE, " ISA_DESC ", " ISA_METHOD,
    .kind = POSENC_ROTARY,
    .cpu_features = ISA_FEATURES,
    .algorithm = ISA_ALGORITHM,
    .flags = ISA_FLAGS,
    .max_err_u = ISA_BOUND_ROTARY,
    .max_pos = INT64_C(1) << 31,
    .prepare = simd_prepare,
    .encode = KFN(rotary_encode),
    .apply = KFN(rotary_apply),
    .release = simd_release,
};

#ifndef SIMD_NO_LEARNED
const posenc_impl KCAT(posenc_learned, ISA_SUFFIX) = {
    .name = "learned/" ISA_NAME,
    .description = "learned absolute table gather-add, " ISA_DESC ", bit-exact",
    .kind = POSENC_LEARNED,
    .cpu_features = ISA_FEATURES,
    .algorithm = "gather-add",
    .max_err_u = 0.0,
    .max_pos = INT64_MAX,
    .encode = KFN(learned_encode),
    .apply = KFN(learned_apply),
};
#endif

#undef ISA_SUFFIX
#undef ISA_NAME
#undef ISA_DESC
#undef ISA_FEATURES
#undef ISA_ALGORITHM
#undef ISA_METHOD
#undef ISA_FLAGS
#undef ISA_BOUND_SINUSOIDAL
#undef ISA_BOUND_ROTARY
#undef SIMD_PHASE_BLOCK
#undef SIMD_NO_LEARNED
