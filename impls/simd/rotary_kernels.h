/* rotary_kernels.h - RoPE's encode and apply for the vector backends, written once over the
 * vector API and the rotary phase of impls/simd/kernel_common.h and compiled once per ISA through
 * impls/simd/kernels.h. Defines posenc_rotary_<ISA_SUFFIX>. */

/* Frequencies j .. end-1 of a cos/sin row with ordinary stores (its head and tail), through
   vectors at multiples of VL (the phase source's grid). */
static __attribute__((noinline, cold)) void KFN(rotary_part)(const KFN(rphase) *ph, float *row, size_t nf, size_t j, size_t end)
{
    while (j < end) {
        size_t base = j - j % VL, m = end - j < base + VL - j ? end - j : base + VL - j;
        float s[VL], c[VL];
        vf sv, cv;
        KFN(rphase_vec)(ph, base, &sv, &cv);
        vf_storeu(s, sv);
        vf_storeu(c, cv);
        memcpy(row + j, c + (j - base), m * sizeof(float));
        memcpy(row + nf + j, s + (j - base), m * sizeof(float));
        j += m;
    }
}

/* The rows of n positions: cos of every frequency, then sin. Streamed, a row's vectors start
   where the stores align (KFN(stream_skew)). */
static inline void KFN(rotary_rows)(const posenc_plan *plan, const int64_t *pos, size_t n, float *out, int stream)
{
    size_t nf = plan->n_freq;
    for (size_t t = 0; t < n; t++) {
        KFN(rphase) ph;
        KFN(rphase_at)(&ph, plan, pos, n, t);
        float *row = out + t * plan->row_size;
        size_t i = KFN(stream_skew)(row, sizeof(float), KSTREAM_BYTES, stream);
        if (i >= nf)
            i = 0;
        if (i)
            KFN(rotary_part)(&ph, row, nf, 0, i);
        for (; i + VL <= nf; i += VL) {
            vf sv, cv;
            KFN(rphase_vec)(&ph, i, &sv, &cv);
            KFN(put)(row + i, cv, stream);
            KFN(put)(row + nf + i, sv, stream);
        }
        if (i < nf)
            KFN(rotary_part)(&ph, row, nf, i, nf);
    }
}

static int KFN(rotary_encode)(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    int stream = KFN(streams)(plan, n * plan->row_size * sizeof(float), 1);
    if (stream) /* a constant each: the loop without streaming carries no test */
        KFN(rotary_rows)(plan, pos, n, out, 1);
    else
        KFN(rotary_rows)(plan, pos, n, out, 0);
    KFN(stream_end)(stream);
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
    vf va = vf_loadu(a), vb = vf_loadu(b), ra, rb;
    KFN(rotate)(va, vb, vc, vs, &ra, &rb);
    vf_storeu(a, ra);
    vf_storeu(b, rb);
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
        float va = a[j], vb = b[j], vc = c[j], vs = s[j], ra, rb;
        posenc_rotate_pair(va, vb, vc, vs, &ra, &rb);
        posenc_canon_nan2(&ra, &rb);
        a[j] = ra;
        b[j] = rb;
    }
}

/* Interleaved pairs (x[2j], x[2j+1]); cz = (c0, c0, c1, c1, ..), sz = (-s0, s0, -s1, s1, ..).
   The rotation's second output on the pair swap (b0, a0, ..) of v = (a0, b0, ..) and on v is
   the rotated vector: b (-s) + a c = a c - b s in the even lanes (exactly: negation is exact),
   a s + b c in the odd ones; the first output is unused and never computed. The alarm is the
   sum of the inputs. */
static inline void KFN(rotate_interleaved)(float *x, const float *cz, const float *sz,
                                           size_t cnt)
{
    size_t j = 0, n2 = 2 * cnt;
    vf alarm = vf_set1(0.0f);
    for (; j + VL <= n2; j += VL) {
        vf v = vf_loadu(x + j), r, unused;
        KFN(rotate)(vf_swap_pairs(v), v, vf_loadu(cz + j), vf_loadu(sz + j), &unused, &r);
        vf_storeu(x + j, r);
        alarm = vf_add(alarm, v);
    }
    if (KFN(alarm_raised)(alarm))
        KFN(canon_nan_at)(x, j / VL);
    for (; j < n2; j += 2) {
        float a = x[j], b = x[j + 1], cv = cz[j], sv = sz[j + 1], ra, rb;
        posenc_rotate_pair(a, b, cv, sv, &ra, &rb);
        posenc_canon_nan2(&ra, &rb);
        x[j] = ra;
        x[j + 1] = rb;
    }
}

/* The interleaved pairs of 4 VL frequencies, 8 vectors at off in every head of a token: the
   zipped cos/sin (as in KFN(rotate_interleaved)) made once in registers and kept over every
   head, each head's vectors read and written in order. AVX2 has too few registers for the 16
   zipped vectors and spills some, which its loads from L1 absorb; split into two passes of 2 VL
   frequencies over the heads instead, the strided stores ran 1.3-2x slower (Zen 4, T=512).
   Returns the alarm, summed over every head (a tree per head, so the chain through it grows by
   one add a head). */
static inline vf KFN(pairs_run)(float *tok, const posenc_layout *l, size_t off, const vf *c,
                                const vf *s)
{
    const vi sign = vi_set1(UINT32_C(1) << 31);
    vf z[8], n[8];
    for (int k = 0; k < 4; k++) {
        vf_zip(c[k], c[k], &z[2 * k], &z[2 * k + 1]);
        vf_zip(vf_xor_sign(s[k], sign), s[k], &n[2 * k], &n[2 * k + 1]);
    }
    vf u = vf_set1(0.0f);
    for (size_t h = 0; h < l->n_heads; h++) {
        float *p = tok + h * l->head_stride + off;
        vf v[8], r[8], unused;
        for (int k = 0; k < 8; k++)
            v[k] = vf_loadu(p + k * VL);
        for (int k = 0; k < 8; k++) {
            KFN(rotate)(vf_swap_pairs(v[k]), v[k], z[k], n[k], &unused, &r[k]);
            vf_storeu(p + k * VL, r[k]);
        }
        u = vf_add(u, vf_add(vf_add(vf_add(v[0], v[1]), vf_add(v[2], v[3])),
                             vf_add(vf_add(v[4], v[5]), vf_add(v[6], v[7]))));
    }
    return u;
}

/* Interleaved pairs of the cnt < 4 VL frequencies from i of every head, their cos/sin at c, s:
   zipped into buffers for KFN(rotate_interleaved). */
static void KFN(pairs_rest)(float *tok, const posenc_layout *l, size_t i, const float *c,
                            const float *s, size_t cnt)
{
    KALIGN float cz[8 * VL], sz[8 * VL];
    for (size_t k = 0; k < cnt; k += VL) {
        vf lo, hi, cv = vf_loadu(c + k), sv = vf_loadu(s + k);
        vf_zip(cv, cv, &lo, &hi);
        vf_storeu(cz + 2 * k, lo);
        vf_storeu(cz + 2 * k + VL, hi);
        vf_zip(vf_xor_sign(sv, vi_set1(UINT32_C(1) << 31)), sv, &lo, &hi);
        vf_storeu(sz + 2 * k, lo);
        vf_storeu(sz + 2 * k + VL, hi);
    }
    for (size_t h = 0; h < l->n_heads; h++)
        KFN(rotate_interleaved)(tok + h * l->head_stride + 2 * i, cz, sz, cnt);
}

/* The cos/sin of a block of frequencies is computed once per token and then applied to every
   head from registers, a stretch of 4 VL frequencies at a time: heads are usually far apart (a
   head's 128 floats, then the next), so per head the loops run over one stretch. One NaN test
   a stretch. */
static int KFN(rotary_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                             float *x, const posenc_layout *l)
{
    KALIGN float c[SIMD_BLOCK], s[SIMD_BLOCK];
    size_t nf = plan->n_freq;
    int interleaved = plan->params.pairing == POSENC_PAIR_INTERLEAVED;
    for (size_t t = 0; t < n_tokens; t++) {
        KFN(rphase) ph;
        KFN(rphase_at)(&ph, plan, pos, n_tokens, t);
        for (size_t i0 = 0; i0 < nf; i0 += SIMD_BLOCK) {
            size_t cnt = KFN(block_len)(nf, i0);
            KFN(phase_block)(&ph, i0, cnt, c, s);
            float *tok = x + t * l->token_stride;
            size_t j = 0;
            if (interleaved) {
                for (; j + 4 * VL <= cnt; j += 4 * VL) {
                    vf cv[4], sv[4];
                    for (int k = 0; k < 4; k++) {
                        cv[k] = vf_loadu(c + j + k * VL);
                        sv[k] = vf_loadu(s + j + k * VL);
                    }
                    if (KFN(alarm_raised)(KFN(pairs_run)(tok, l, 2 * (i0 + j), cv, sv)))
                        for (size_t h = 0; h < l->n_heads; h++)
                            KFN(canon_nan_at)(tok + h * l->head_stride + 2 * (i0 + j), 8);
                }
                if (j < cnt)
                    KFN(pairs_rest)(tok, l, i0 + j, c + j, s + j, cnt - j);
                continue;
            }
            /* four vectors of cos/sin at a time stay in registers over every head */
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
    return POSENC_OK;
}

/* ---- 16-bit data: the same loops with the vector API's bf16/fp16 loads and stores -------- */

#include "simd/vec_half_pairs.h"

#define ELEM bf16
#include "simd/rotary_half_kernels.h"

#define ELEM f16
#include "simd/rotary_half_kernels.h"

/* bfloat16 apply again with the ISA's native pair store (vec_avx512.h: AVX512-BF16), compiled
   for it and called only on plans made where the CPU has it */
#ifdef VEC_HAVE_NATIVE_BF16
VEC_NATIVE_BF16_BEGIN
#define ELEM bf16
#define ELEM_TAG bf16_native
#define ELEM_STORE2 vf_store2_bf16_native
#define ELEM_STORE2X2 vf_store2x2_bf16_native
#define ELEM_APPLY_ONLY
#include "simd/rotary_half_kernels.h"
VEC_NATIVE_BF16_END
#endif

static int KFN(rotary_encode16)(const posenc_plan *plan, const int64_t *pos, size_t n, void *out)
{
    return KFN_BY_DTYPE(plan, rotary_encode, plan, pos, n, out);
}

static int KFN(rotary_apply16)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                               void *x, const posenc_layout *l)
{
    if (plan->params.dtype == POSENC_DTYPE_F16)
        return KFN(rotary_apply_f16)(plan, pos, n_tokens, x, l);
#ifdef VEC_HAVE_NATIVE_BF16
    if (plan->cpu_features & VEC_NATIVE_BF16_FEATURE)
        return KFN(rotary_apply_bf16_native)(plan, pos, n_tokens, x, l);
#endif
    return KFN(rotary_apply_bf16)(plan, pos, n_tokens, x, l);
}

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
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
    .encode16 = KFN(rotary_encode16),
    .apply16 = KFN(rotary_apply16),
};
