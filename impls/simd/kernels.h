/* kernels.h - the encode/apply kernels of every vector backend, written once against a small
 * vector API and compiled once per ISA (the libdeflate template pattern).
 *
 * Before including, a backend file defines:
 *   - the vector API, by including its vec_<isa>.h: VL lanes; vf/vi types; vf_loadu, vf_storeu,
 *     vf_set1, vf_add, vf_sub, vf_mul; vi_loadu, vi_set1, vi_add, vi_sub, vi_and, vi_srli,
 *     vi_slli; vf_from_vi; vf_select_odd; vf_xor_sign; vi_turns32; vf_zip; vf_swap_pairs;
 *     vf_any_nan2 (a NaN in either vector?), vf_canon_nan (every NaN lane to 0x7fc00000);
 *   - ISA_SUFFIX (avx2), ISA_NAME ("avx2"), ISA_DESC ("AVX2"), ISA_FEATURES (POSENC_CPU_* bits);
 *   - optionally ISA_METHOD, ISA_ALGORITHM, ISA_FLAGS, ISA_BOUND_SINUSOIDAL / ISA_BOUND_ROTARY
 *     when they differ from the polynomial backend's, SIMD_NO_LEARNED, and SIMD_PHASE_SOURCE
 *     when it supplies its own phase source (below) instead of simd/phase_poly.h.
 * It gets the descriptors posenc_{sinusoidal,learned,rotary}_<ISA_SUFFIX> (learned only
 * without SIMD_NO_LEARNED). The configuration macros are undefined at the end, so one file can
 * include this twice with two configurations (SLEEF's u10 and u35).
 *
 * The phase source is where backends differ (polynomial, SLEEF, table); the loops here are
 * shared. It provides
 *   KFN(phase)                          the state for one position,
 *   KFN(phase_at)(&ph, plan, p)         set it up for position p,
 *   KFN(phase_vec)(&ph, i, &s, &c)      sin and cos of frequencies i .. i+VL-1 (i < n_freq).
 * phase_vec may read constants up to the next multiple of VL past n_freq (they are padded);
 * the lanes past n_freq hold values no kernel stores. A source whose values already include the
 * attention factor (the table) defines SIMD_PHASE_HAS_ATTENTION.
 *
 * Rotary kernels read the phase through KFN(rphase), which adds what every source shares: the
 * position of each lane's M-RoPE axis (one phase per axis, blended by the plan's axis map) and
 * the attention factor (one multiply). Variants are the plan's constants, not code here.
 *
 * Same bits as the scalar backend: the phase sources compute what the scalar code computes, the
 * rotation and additions are the same IEEE operations on the same operands (a lane computes
 * a*c + b*(-s), which equals a*c - b*s exactly), and partial vectors fall back to the scalar
 * formulas rather than to other arithmetic.
 *
 * Same bits for NaN too: IEEE fixes every result but a NaN's sign and payload, which differ
 * between ISAs and with the compiler's operand order (core/special_values.h), so every NaN an
 * apply kernel computes is written as 0x7fc00000: the additions check their results, one
 * compare per two vectors (KFN(canon_nan2)), the rotations their inputs (KFN(rotate_vec)), and
 * the scalar tails use posenc_canon_nan2. Finite inputs pay the checks and a branch never
 * taken; the blends run only where a NaN can be. */
#include <string.h>

#include "core/plan.h"
#include "core/special_values.h"
#include "learned/weights.h"
#include "simd/simd_plan.h"

#include "simd/kernel_names.h"

#ifndef SIMD_PHASE_SOURCE
#include "simd/phase_poly.h"
#endif

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

/* ---- shared pieces ------------------------------------------------------------------------ */

/* *a and *b with every NaN lane canonical (posenc.h's special value rule) */
static inline void KFN(canon_nan2)(vf *a, vf *b)
{
    if (vf_any_nan2(*a, *b)) {
        *a = vf_canon_nan(*a);
        *b = vf_canon_nan(*b);
    }
}

/* ---- the rotary phase: M-RoPE axes and the attention factor over any phase source ---------- */

typedef struct {
    KFN(phase) ax[3];    /* the phase at each axis' position (one axis: ax[0] only) */
    const uint32_t *axis; /* M-RoPE: the plan's axis map; NULL for one axis */
    int sections;        /* the axes form three runs (sections): a vector with one axis at both
                            ends has it in every lane */
    int scaled;          /* the attention factor is not 1 and the source leaves it out */
    vf af;
} KFN(rphase);

/* The phase of token t of n; pos as posenc_encode takes it (M-RoPE: axis-major). */
static inline void KFN(rphase_at)(KFN(rphase) *r, const posenc_plan *plan, const int64_t *pos,
                                  size_t n, size_t t)
{
    r->axis = plan->axis;
    r->sections = plan->params.mrope.layout == POSENC_MROPE_SECTIONS;
    KFN(phase_at)(&r->ax[0], plan, pos[t]);
    if (plan->axis) {
        KFN(phase_at)(&r->ax[1], plan, pos[n + t]);
        KFN(phase_at)(&r->ax[2], plan, pos[2 * n + t]);
    }
#ifdef SIMD_PHASE_HAS_ATTENTION
    r->scaled = 0;
#else
    r->scaled = plan->attention_f != 1.0f;
#endif
    r->af = vf_set1(plan->attention_f);
}

/* sin and cos of frequencies i .. i+VL-1, each lane at its own axis' position */
static inline void KFN(rphase_vec)(const KFN(rphase) *r, size_t i, vf *s, vf *c)
{
    if (!r->axis) {
        KFN(phase_vec)(&r->ax[0], i, s, c);
    } else if (r->sections && r->axis[i] == r->axis[i + VL - 1]) {
        KFN(phase_vec)(&r->ax[r->axis[i]], i, s, c);
    } else { /* lanes of several axes: each axis' phase, blended by the map (axes 0, 1, 2) */
        vi lanes = vi_loadu(r->axis + i);
        vf s1, c1, s2, c2;
        KFN(phase_vec)(&r->ax[0], i, s, c);
        KFN(phase_vec)(&r->ax[1], i, &s1, &c1);
        KFN(phase_vec)(&r->ax[2], i, &s2, &c2);
        /* vf_select_odd(q, even, odd): axis 1 is the only odd one, and 2 the only one whose
           half is odd */
        *s = vf_select_odd(lanes, *s, s1);
        *c = vf_select_odd(lanes, *c, c1);
        vi is2 = vi_srli(lanes, 1);
        *s = vf_select_odd(is2, *s, s2);
        *c = vf_select_odd(is2, *c, c2);
    }
    if (r->scaled) {
        *s = vf_mul(*s, r->af);
        *c = vf_mul(*c, r->af);
    }
}

/* c[j], s[j] = cos, sin of frequency i0 + j of token r, for j < count rounded up to VL (the
   buffers hold SIMD_BLOCK floats, a multiple of VL) */
static inline void KFN(phase_block)(const KFN(rphase) *r, size_t i0, size_t count, float *c,
                                    float *s)
{
    if (!r->axis && !r->scaled) { /* plain RoPE: the source alone, no test per vector */
        for (size_t j = 0; j < count; j += VL) {
            vf sv, cv;
            KFN(phase_vec)(&r->ax[0], i0 + j, &sv, &cv);
            vf_storeu(s + j, sv);
            vf_storeu(c + j, cv);
        }
        return;
    }
    for (size_t j = 0; j < count; j += VL) {
        vf sv, cv;
        KFN(rphase_vec)(r, i0 + j, &sv, &cv);
        vf_storeu(s + j, sv);
        vf_storeu(c + j, cv);
    }
}

/* x[j] += src[j], j < n (a NaN sum canonical) */
static inline void KFN(add_to)(float *x, const float *src, size_t n)
{
    size_t j = 0;
    for (; j + 2 * VL <= n; j += 2 * VL) {
        vf r0 = vf_add(vf_loadu(x + j), vf_loadu(src + j));
        vf r1 = vf_add(vf_loadu(x + j + VL), vf_loadu(src + j + VL));
        KFN(canon_nan2)(&r0, &r1);
        vf_storeu(x + j, r0);
        vf_storeu(x + j + VL, r1);
    }
    for (; j + VL <= n; j += VL) {
        vf r = vf_add(vf_loadu(x + j), vf_loadu(src + j));
        KFN(canon_nan2)(&r, &r);
        vf_storeu(x + j, r);
    }
    for (; j < n; j++)
        x[j] = posenc_canon_nan(x[j] + src[j]);
}

static inline size_t KFN(block_len)(size_t n_freq, size_t i0)
{
    return n_freq - i0 < SIMD_BLOCK ? n_freq - i0 : SIMD_BLOCK;
}

/* ---- sinusoidal ----------------------------------------------------------------------------- */

/* The row of one position: sin of every frequency, then cos (half-split), or (sin, cos) pairs
   (interleaved). Computed and stored one vector at a time: the sin/cos never leave registers. */
static inline void KFN(sinusoidal_row)(const KFN(phase) *ph, size_t nf, int half, float *row)
{
    size_t i = 0;
    vf sv, cv;
    if (half) {
        for (; i + VL <= nf; i += VL) {
            KFN(phase_vec)(ph, i, &sv, &cv);
            vf_storeu(row + i, sv);
            vf_storeu(row + nf + i, cv);
        }
    } else {
        for (; i + VL <= nf; i += VL) {
            vf lo, hi;
            KFN(phase_vec)(ph, i, &sv, &cv);
            vf_zip(sv, cv, &lo, &hi);
            vf_storeu(row + 2 * i, lo);
            vf_storeu(row + 2 * i + VL, hi);
        }
    }
    if (i < nf) {
        float s[VL], c[VL];
        KFN(phase_vec)(ph, i, &sv, &cv);
        vf_storeu(s, sv);
        vf_storeu(c, cv);
        for (size_t k = 0; i + k < nf; k++) {
            if (half) {
                row[i + k] = s[k];
                row[nf + i + k] = c[k];
            } else {
                row[2 * (i + k)] = s[k];
                row[2 * (i + k) + 1] = c[k];
            }
        }
    }
}

static int KFN(sinusoidal_encode)(const posenc_plan *plan, const int64_t *pos, size_t n,
                                  float *out)
{
    int half = plan->params.pairing == POSENC_PAIR_HALF;
    for (size_t t = 0; t < n; t++) {
        KFN(phase) ph;
        KFN(phase_at)(&ph, plan, pos[t]);
        KFN(sinusoidal_row)(&ph, plan->n_freq, half, out + t * plan->row_size);
    }
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

/* ---- rotary --------------------------------------------------------------------------------- */

/* The row of one position: cos of every frequency, then sin. */
static int KFN(rotary_encode)(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    size_t nf = plan->n_freq;
    for (size_t t = 0; t < n; t++) {
        KFN(rphase) ph;
        KFN(rphase_at)(&ph, plan, pos, n, t);
        float *row = out + t * plan->row_size;
        size_t i = 0;
        vf sv, cv;
        for (; i + VL <= nf; i += VL) {
            KFN(rphase_vec)(&ph, i, &sv, &cv);
            vf_storeu(row + i, cv);
            vf_storeu(row + nf + i, sv);
        }
        if (i < nf) {
            float s[VL], c[VL];
            KFN(rphase_vec)(&ph, i, &sv, &cv);
            vf_storeu(s, sv);
            vf_storeu(c, cv);
            memcpy(row + i, c, (nf - i) * sizeof(float));
            memcpy(row + nf + i, s, (nf - i) * sizeof(float));
        }
    }
    return POSENC_OK;
}

/* The special value rule in the rotations. c and s are finite with |c|, |s| <= 1, so a rotated
   value can be NaN only where a or b is inf or NaN. The kernels therefore store what they
   compute and keep an alarm, a + b summed over the pairs of a stretch (in half-split apply, the
   same stretch of every head of the token): it is inf or NaN whenever an input there is (or,
   harmlessly, when the sum overflows), and then the stretch is rewritten with its NaNs
   canonical (KFN(canon_nan_at)). Testing the outputs instead, pair by pair, lets GCC 12 fold
   the loads of a and b into both of their multiplies (loading each twice): on AVX-512 (Zen 4)
   that cost 11% of rotary apply. With one test a head, the alarm cost 9% (avx512) and 32%
   (avx2) of a Llama-2 decode (32 + 8 heads); one test a token, summed as a tree, 3% and 20%,
   and 2-3% of a T=512 prefill (medians of 3 runs, Zen 4). */

/* nonzero when a lane of the alarm u is inf or NaN (u - u is NaN exactly there) */
static inline int KFN(alarm_raised)(vf u)
{
    vf d = vf_sub(u, u);
    return vf_any_nan2(d, d);
}

/* p[0 .. n*VL) with every NaN canonical. Out of line and cold: inlined, its constant would
   hold a register through the hot loops (AVX2 has 16, and the four cos/sin pairs of
   rotary_apply already take 8). */
__attribute__((noinline, cold)) static void KFN(canon_nan_at)(float *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        vf_storeu(p + k * VL, vf_canon_nan(vf_loadu(p + k * VL)));
}

/* One vector of half-split pairs: a' = a c - b s, b' = a s + b c, stored as computed (NaN
   unchecked). Returns the alarm a + b. */
static inline vf KFN(rotate_vec)(float *a, float *b, vf vc, vf vs)
{
    vf va = vf_loadu(a), vb = vf_loadu(b);
    vf_storeu(a, vf_sub(vf_mul(va, vc), vf_mul(vb, vs)));
    vf_storeu(b, vf_add(vf_mul(va, vs), vf_mul(vb, vc)));
    return vf_add(va, vb);
}

/* Half-split pairs (a[j], b[j]) = (head[i0 + j], head[i0 + r/2 + j]). */
static inline void KFN(rotate_half)(float *a, float *b, const float *c, const float *s,
                                    size_t cnt)
{
    size_t j = 0;
    for (; j + VL <= cnt; j += VL) {
        if (KFN(alarm_raised)(KFN(rotate_vec)(a + j, b + j, vf_loadu(c + j), vf_loadu(s + j)))) {
            KFN(canon_nan_at)(a + j, 1);
            KFN(canon_nan_at)(b + j, 1);
        }
    }
    for (; j < cnt; j++) {
        float va = a[j], vb = b[j];
        float ra = va * c[j] - vb * s[j], rb = va * s[j] + vb * c[j];
        posenc_canon_nan2(&ra, &rb);
        a[j] = ra;
        b[j] = rb;
    }
}

/* Interleaved pairs (x[2j], x[2j+1]); cz = (c0, c0, c1, c1, ..), sz = (-s0, s0, -s1, s1, ..).
   The alarm is the sum of the inputs. */
static inline void KFN(rotate_interleaved)(float *x, const float *cz, const float *sz,
                                           size_t cnt)
{
    size_t j = 0, n2 = 2 * cnt;
    vf alarm = vf_set1(0.0f);
    for (; j + VL <= n2; j += VL) {
        vf v = vf_loadu(x + j);
        vf_storeu(x + j, vf_add(vf_mul(v, vf_loadu(cz + j)),
                                vf_mul(vf_swap_pairs(v), vf_loadu(sz + j))));
        alarm = vf_add(alarm, v);
    }
    if (KFN(alarm_raised)(alarm))
        KFN(canon_nan_at)(x, j / VL);
    for (; j < n2; j += 2) {
        float a = x[j], b = x[j + 1], cv = cz[j], sv = sz[j + 1];
        float ra = a * cv - b * sv, rb = a * sv + b * cv;
        posenc_canon_nan2(&ra, &rb);
        x[j] = ra;
        x[j + 1] = rb;
    }
}

/* The cos/sin of a block of frequencies is computed once per token and then applied to every
   head from L1: heads are usually far apart (a head's 128 floats, then the next), so a block
   keeps the per-head loops long and streaming. */
static int KFN(rotary_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                             float *x, const posenc_layout *l)
{
    KALIGN float c[SIMD_BLOCK], s[SIMD_BLOCK];
    KALIGN float cz[2 * SIMD_BLOCK], sz[2 * SIMD_BLOCK];
    size_t nf = plan->n_freq;
    int interleaved = plan->params.pairing == POSENC_PAIR_INTERLEAVED;
    for (size_t t = 0; t < n_tokens; t++) {
        KFN(rphase) ph;
        KFN(rphase_at)(&ph, plan, pos, n_tokens, t);
        for (size_t i0 = 0; i0 < nf; i0 += SIMD_BLOCK) {
            size_t cnt = KFN(block_len)(nf, i0);
            if (interleaved) {
                for (size_t j = 0; j < cnt; j += VL) {
                    vf sv, cv, lo, hi;
                    KFN(rphase_vec)(&ph, i0 + j, &sv, &cv);
                    vf_zip(cv, cv, &lo, &hi);
                    vf_storeu(cz + 2 * j, lo);
                    vf_storeu(cz + 2 * j + VL, hi);
                    vf_zip(vf_xor_sign(sv, vi_set1(UINT32_C(1) << 31)), sv, &lo, &hi);
                    vf_storeu(sz + 2 * j, lo);
                    vf_storeu(sz + 2 * j + VL, hi);
                }
            } else {
                KFN(phase_block)(&ph, i0, cnt, c, s);
            }
            float *tok = x + t * l->token_stride;
            if (interleaved) {
                for (size_t h = 0; h < l->n_heads; h++)
                    KFN(rotate_interleaved)(tok + h * l->head_stride + 2 * i0, cz, sz, cnt);
            } else {
                /* four vectors of cos/sin at a time stay in registers over every head */
                size_t j = 0;
                for (; j + 4 * VL <= cnt; j += 4 * VL) {
                    vf c0 = vf_loadu(c + j), c1 = vf_loadu(c + j + VL);
                    vf c2 = vf_loadu(c + j + 2 * VL), c3 = vf_loadu(c + j + 3 * VL);
                    vf s0 = vf_loadu(s + j), s1 = vf_loadu(s + j + VL);
                    vf s2 = vf_loadu(s + j + 2 * VL), s3 = vf_loadu(s + j + 3 * VL);
                    /* one alarm over every head of the token, a single test per stretch;
                       summed as a tree, so the chain through u grows by one add a head */
                    vf u = vf_set1(0.0f);
                    for (size_t h = 0; h < l->n_heads; h++) {
                        float *a = tok + h * l->head_stride + i0 + j, *b = a + nf;
                        vf u0 = KFN(rotate_vec)(a, b, c0, s0);
                        vf u1 = KFN(rotate_vec)(a + VL, b + VL, c1, s1);
                        vf u2 = KFN(rotate_vec)(a + 2 * VL, b + 2 * VL, c2, s2);
                        vf u3 = KFN(rotate_vec)(a + 3 * VL, b + 3 * VL, c3, s3);
                        u = vf_add(u, vf_add(vf_add(u0, u1), vf_add(u2, u3)));
                    }
                    if (KFN(alarm_raised)(u))
                        for (size_t h = 0; h < l->n_heads; h++) {
                            float *a = tok + h * l->head_stride + i0 + j;
                            KFN(canon_nan_at)(a, 4);
                            KFN(canon_nan_at)(a + nf, 4);
                        }
                }
                if (j < cnt)
                    for (size_t h = 0; h < l->n_heads; h++) {
                        float *a = tok + h * l->head_stride + i0 + j;
                        KFN(rotate_half)(a, a + nf, c + j, s + j, cnt - j);
                    }
            }
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
#undef SIMD_PHASE_SOURCE
#undef SIMD_PHASE_HAS_ATTENTION
#undef SIMD_NO_LEARNED
