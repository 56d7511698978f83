/* rotary_half_kernels.h - RoPE's encode and apply on bfloat16 or float16 data, read and written
 * directly with the vector API's 16-bit loads and stores (no float staging buffer). Included by
 * rotary_kernels.h once per element type, with
 *   ELEM          the suffix of the type's vector API functions (bf16, f16): the pair loads and
 *                 stores of simd/vec_half_pairs.h for apply, vf_store_<t> / vf_store_<t>_n for
 *                 encode;
 *   ELEM_TAG      optional, the suffix of the kernels' names (default ELEM), and
 *   ELEM_STORE2, ELEM_STORE2X2  optional, the pair stores apply uses (default vf_store2_<t>,
 *                 vf_store2x2_<t>), for an instance with other stores of the same type
 *                 (AVX512-BF16's, vec_avx512.h);
 *   ELEM_APPLY_ONLY  optional: no encode in this instance.
 *
 * Same bits as the staged path (core/stage.c: widen, the float kernel, round back): the loads
 * widen exactly, the rotation is KFN(rotate), the float kernel's operations in its order, and
 * each result is rounded once by the store. Apply works on groups of 2 VL pairs, two vectors
 * of each operand in the type's pair order (vec_half_pairs.h), so a bfloat16 load is a shift and
 * a mask on x86, and interleaved pairs need no shuffle there; partial groups go through the same
 * rotation on zero-padded lanes whose results are never stored.
 *
 * NaN: as in the float kernel, the inputs of a stretch are summed into an alarm, one test per
 * stretch; the pair stores leave a NaN result as some NaN of the type, and a raised alarm
 * rewrites the stretch's NaNs as the canonical 0x7fc0 / 0x7e00 (posenc_<t>_canon), which is
 * what the float kernel's canonical NaN rounds to. Only the rotary_dim elements of each head
 * are read or written. */

#ifndef ELEM_TAG
#define ELEM_TAG ELEM
#endif
#define EFN(name) KFN(KCAT(name, ELEM_TAG))
#define EV(name) KCAT(name, ELEM)
#define EVN(name) KCAT(KCAT(name, ELEM), n)
#ifndef ELEM_STORE2
#define ELEM_STORE2 EV(vf_store2)
#endif
#ifndef ELEM_STORE2X2
#define ELEM_STORE2X2 EV(vf_store2x2)
#endif

#ifndef ELEM_APPLY_ONLY
/* The row of one position: cos of every frequency, then sin, rounded once. */
static int EFN(rotary_encode)(const posenc_plan *plan, const int64_t *pos, size_t n,
                              uint16_t *out)
{
    size_t nf = plan->n_freq;
    for (size_t t = 0; t < n; t++) {
        KFN(rphase) ph;
        KFN(rphase_at)(&ph, plan, pos, n, t);
        uint16_t *row = out + t * plan->row_size;
        size_t i = 0;
        vf sv, cv;
        for (; i + VL <= nf; i += VL) {
            KFN(rphase_vec)(&ph, i, &sv, &cv);
            EV(vf_store)(row + i, cv);
            EV(vf_store)(row + nf + i, sv);
        }
        if (i < nf) {
            KFN(rphase_vec)(&ph, i, &sv, &cv);
            EVN(vf_store)(row + i, cv, nf - i);
            EVN(vf_store)(row + nf + i, sv, nf - i);
        }
    }
    return POSENC_OK;
}

#endif

/* p[0 .. n) with every NaN canonical; cold, as KFN(canon_nan_at) */
__attribute__((noinline, cold)) static void EFN(canon16_at)(uint16_t *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        p[k] = KCAT(posenc, KCAT(ELEM, canon))(p[k]);
}

/* 2 VL half-split pairs (a[j], b[j]), cos and sin in the pair order (c0, c1, s0, s1). Returns
   the alarm, the sum of the inputs. */
static inline vf EFN(rotate2)(uint16_t *a, uint16_t *b, vf c0, vf c1, vf s0, vf s1)
{
    vf a0, a1, b0, b1, r0, r1, q0, q1;
    EV(vf_load2)(a, &a0, &a1);
    EV(vf_load2)(b, &b0, &b1);
    KFN(rotate)(a0, b0, c0, s0, &r0, &q0);
    KFN(rotate)(a1, b1, c1, s1, &r1, &q1);
    ELEM_STORE2X2(a, r0, r1, b, q0, q1);
    return vf_add(vf_add(a0, a1), vf_add(b0, b1));
}

/* VL interleaved pairs (x[2j], x[2j+1]) with cos c and sin s in order. Returns the alarm. */
static inline vf EFN(rotate_pairs)(uint16_t *x, vf c, vf s)
{
    vf v0, v1, a, b, ra, rb;
    EV(vf_load2)(x, &v0, &v1);
    EV(vf_split_pairs2)(v0, v1, &a, &b);
    KFN(rotate)(a, b, c, s, &ra, &rb);
    EV(vf_join_pairs2)(ra, rb, &v0, &v1);
    ELEM_STORE2(x, v0, v1);
    return vf_add(a, b);
}

/* 2 VL interleaved pairs: two runs of VL (c0, s0 the first's cos and sin, c1, s1 the
   second's), stored together. Returns the alarm. */
static inline vf EFN(rotate_pairs2)(uint16_t *x, vf c0, vf s0, vf c1, vf s1)
{
    vf v0, v1, w0, w1, a0, b0, a1, b1, r0, q0, r1, q1;
    EV(vf_load2)(x, &v0, &v1);
    EV(vf_load2)(x + 2 * VL, &w0, &w1);
    EV(vf_split_pairs2)(v0, v1, &a0, &b0);
    EV(vf_split_pairs2)(w0, w1, &a1, &b1);
    KFN(rotate)(a0, b0, c0, s0, &r0, &q0);
    KFN(rotate)(a1, b1, c1, s1, &r1, &q1);
    EV(vf_join_pairs2)(r0, q0, &v0, &v1);
    EV(vf_join_pairs2)(r1, q1, &w0, &w1);
    ELEM_STORE2X2(x, v0, v1, x + 2 * VL, w0, w1);
    return vf_add(vf_add(a0, b0), vf_add(a1, b1));
}

/* The cos and sin of the first k <= 2 VL pairs of a group, as its rotations meet them: in the
   pair order for half-split pairs, in order for interleaved ones (c0, s0 the first VL pairs,
   c1, s1 the rest); lanes past k are zero. Once per token, not per head. */
static inline void EFN(group_phase)(const float *c, const float *s, size_t k, int interleaved,
                                    vf *c0, vf *c1, vf *s0, vf *s1)
{
    size_t k1 = k > VL ? k - VL : 0, k0 = k - k1;
    *c0 = vf_loadu_n(c, k0);
    *c1 = vf_loadu_n(c + VL, k1);
    *s0 = vf_loadu_n(s, k0);
    *s1 = vf_loadu_n(s + VL, k1);
    if (!interleaved) {
        EV(vf_arrange2)(*c0, *c1, c0, c1);
        EV(vf_arrange2)(*s0, *s1, s0, s1);
    }
}

/* The first k <= 2 VL pairs of a group from x (half-split: b at x + nf), its phase from
   EFN(group_phase): the blocks' remainders. A whole group goes straight through the loads and
   stores, a partial one through buffers. */
static void EFN(rotate_group)(uint16_t *x, size_t nf, int interleaved, vf c0, vf c1, vf s0,
                              vf s1, size_t k)
{
    vf u = vf_set1(0.0f);
    if (interleaved) {
        for (size_t m = 0; m < k; m += VL) {
            size_t e = 2 * (k - m < VL ? k - m : VL);
            vf c = m ? c1 : c0, s = m ? s1 : s0;
            if (e == 2 * VL) {
                u = vf_add(u, EFN(rotate_pairs)(x + 2 * m, c, s));
                continue;
            }
            vf v0, v1, a, b, ra, rb;
            EVN(vf_load2)(x + 2 * m, e, &v0, &v1);
            EV(vf_split_pairs2)(v0, v1, &a, &b);
            KFN(rotate)(a, b, c, s, &ra, &rb);
            EV(vf_join_pairs2)(ra, rb, &v0, &v1);
            EVN(vf_store2)(x + 2 * m, v0, v1, e);
            u = vf_add(u, vf_add(a, b));
        }
        if (KFN(alarm_raised)(u))
            EFN(canon16_at)(x, 2 * k);
        return;
    }
    if (k == 2 * VL) {
        u = EFN(rotate2)(x, x + nf, c0, c1, s0, s1);
    } else {
        vf a0, a1, b0, b1, r0, r1, q0, q1;
        EVN(vf_load2)(x, k, &a0, &a1);
        EVN(vf_load2)(x + nf, k, &b0, &b1);
        KFN(rotate)(a0, b0, c0, s0, &r0, &q0);
        KFN(rotate)(a1, b1, c1, s1, &r1, &q1);
        EVN(vf_store2)(x, r0, r1, k);
        EVN(vf_store2)(x + nf, q0, q1, k);
        u = vf_add(vf_add(a0, a1), vf_add(b0, b1));
    }
    if (KFN(alarm_raised)(u)) {
        EFN(canon16_at)(x, k);
        EFN(canon16_at)(x + nf, k);
    }
}

/* KFN(rotary_apply)'s loops on 16-bit data: the cos/sin of each stretch of 4 VL frequencies
   computed once and kept in registers over every head, in the pair order for half-split
   pairs (in order for interleaved ones, which the loads split); the frequencies past the last
   whole stretch through buffers, in groups of 2 VL pairs. A stretch's cos/sin go through a
   small buffer: computed straight into registers instead, these loops ran 5% slower (Zen 4,
   bf16 Llama-3-8B T=512). */
static int EFN(rotary_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                             uint16_t *x, const posenc_layout *l)
{
    size_t nf = plan->n_freq;
    int interleaved = plan->params.pairing == POSENC_PAIR_INTERLEAVED;
    for (size_t t = 0; t < n_tokens; t++) {
        KFN(rphase) ph;
        KFN(rphase_at)(&ph, plan, pos, n_tokens, t);
        uint16_t *tok = x + t * l->token_stride;
        size_t j = 0;
        for (; j + 4 * VL <= nf; j += 4 * VL) {
            KALIGN float cb[4 * VL], sb[4 * VL];
            KFN(phase_block)(&ph, j, 4 * VL, cb, sb);
            vf c0 = vf_loadu(cb), c1 = vf_loadu(cb + VL);
            vf c2 = vf_loadu(cb + 2 * VL), c3 = vf_loadu(cb + 3 * VL);
            vf s0 = vf_loadu(sb), s1 = vf_loadu(sb + VL);
            vf s2 = vf_loadu(sb + 2 * VL), s3 = vf_loadu(sb + 3 * VL);
            vf u = vf_set1(0.0f);
            if (interleaved) {
                for (size_t h = 0; h < l->n_heads; h++) {
                    uint16_t *p = tok + h * l->head_stride + 2 * j;
                    vf u0 = EFN(rotate_pairs2)(p, c0, s0, c1, s1);
                    vf u1 = EFN(rotate_pairs2)(p + 4 * VL, c2, s2, c3, s3);
                    u = vf_add(u, vf_add(u0, u1));
                }
                if (KFN(alarm_raised)(u))
                    for (size_t h = 0; h < l->n_heads; h++)
                        EFN(canon16_at)(tok + h * l->head_stride + 2 * j, 8 * VL);
                continue;
            }
            EV(vf_arrange2)(c0, c1, &c0, &c1);
            EV(vf_arrange2)(c2, c3, &c2, &c3);
            EV(vf_arrange2)(s0, s1, &s0, &s1);
            EV(vf_arrange2)(s2, s3, &s2, &s3);
            for (size_t h = 0; h < l->n_heads; h++) {
                uint16_t *a = tok + h * l->head_stride + j, *b = a + nf;
                vf u0 = EFN(rotate2)(a, b, c0, c1, s0, s1);
                vf u1 = EFN(rotate2)(a + 2 * VL, b + 2 * VL, c2, c3, s2, s3);
                u = vf_add(u, vf_add(u0, u1));
            }
            if (KFN(alarm_raised)(u))
                for (size_t h = 0; h < l->n_heads; h++) {
                    uint16_t *a = tok + h * l->head_stride + j;
                    EFN(canon16_at)(a, 4 * VL);
                    EFN(canon16_at)(a + nf, 4 * VL);
                }
        }
        if (j == nf)
            continue;
        KALIGN float c[4 * VL], s[4 * VL];
        KFN(phase_block)(&ph, j, nf - j, c, s);
        for (size_t g = 0; j + g < nf; g += 2 * VL) {
            size_t k = nf - j - g < 2 * VL ? nf - j - g : 2 * VL;
            vf c0, c1, s0, s1;
            EFN(group_phase)(c + g, s + g, k, interleaved, &c0, &c1, &s0, &s1);
            for (size_t h = 0; h < l->n_heads; h++) {
                uint16_t *p = tok + h * l->head_stride + (interleaved ? 2 : 1) * (j + g);
                EFN(rotate_group)(p, nf, interleaved, c0, c1, s0, s1, k);
            }
        }
    }
    return POSENC_OK;
}

#undef EFN
#undef EV
#undef EVN
#undef ELEM
#undef ELEM_TAG
#undef ELEM_STORE2
#undef ELEM_STORE2X2
#undef ELEM_APPLY_ONLY
