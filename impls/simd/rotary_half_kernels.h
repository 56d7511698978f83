/* rotary_half_kernels.h - RoPE's encode and apply on bfloat16 or float16 data, read and written
 * directly with the vector API's 16-bit loads and stores (no float staging buffer). Included by
 * rotary_kernels.h once per element type, with
 *   ELEM         the suffix of the type's functions (bf16, f16),
 *   ELEM_LOAD    / ELEM_STORE     VL elements: vf_load_<t>, vf_store_<t>,
 *   ELEM_LOAD_N  / ELEM_STORE_N   the first n < VL of them (lanes past n read as zero; memory past
 *                                 n untouched).
 *
 * Same bits as the staged path (core/stage.c: widen, the float kernel, round back): the loads
 * widen exactly, the rotation is KFN(rotate), the float kernel's operations in its order, and
 * each result is rounded once by the store. A partial vector goes through the same vector
 * rotation on zero-padded lanes whose results are never stored (the float kernel's scalar tails
 * run posenc_rotate_pair, the same operations on each lane). NaN: the float kernel writes every
 * NaN as 0x7fc00000, which rounds to the canonical 16-bit NaN; the stores canonicalize every NaN
 * to that same 0x7fc0 / 0x7e00, so no alarm is needed here. Only the rotary_dim elements of each
 * head are read or written. */

#define EFN(name) KFN(KCAT(name, ELEM))

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
            ELEM_STORE(row + i, cv);
            ELEM_STORE(row + nf + i, sv);
        }
        if (i < nf) {
            KFN(rphase_vec)(&ph, i, &sv, &cv);
            ELEM_STORE_N(row + i, cv, nf - i);
            ELEM_STORE_N(row + nf + i, sv, nf - i);
        }
    }
    return POSENC_OK;
}

/* One vector of half-split pairs a[0 .. VL), b[0 .. VL) */
static inline void EFN(rotate_vec)(uint16_t *a, uint16_t *b, vf vc, vf vs)
{
    vf ra, rb;
    KFN(rotate)(ELEM_LOAD(a), ELEM_LOAD(b), vc, vs, &ra, &rb);
    ELEM_STORE(a, ra);
    ELEM_STORE(b, rb);
}

/* Half-split pairs (a[j], b[j]), j < cnt; c and s readable up to cnt rounded up to VL. */
static inline void EFN(rotate_half)(uint16_t *a, uint16_t *b, const float *c, const float *s,
                                    size_t cnt)
{
    size_t j = 0;
    for (; j + VL <= cnt; j += VL)
        EFN(rotate_vec)(a + j, b + j, vf_loadu(c + j), vf_loadu(s + j));
    if (j < cnt) {
        size_t k = cnt - j;
        vf ra, rb;
        KFN(rotate)(ELEM_LOAD_N(a + j, k), ELEM_LOAD_N(b + j, k), vf_loadu(c + j),
                    vf_loadu(s + j), &ra, &rb);
        ELEM_STORE_N(a + j, ra, k);
        ELEM_STORE_N(b + j, rb, k);
    }
}

/* Interleaved pairs (x[2j], x[2j+1]), j < cnt; cz, sz as in KFN(rotate_interleaved), readable
   up to 2 cnt rounded up to VL. */
static inline void EFN(rotate_interleaved)(uint16_t *x, const float *cz, const float *sz,
                                           size_t cnt)
{
    size_t j = 0, n2 = 2 * cnt;
    for (; j + VL <= n2; j += VL) {
        vf v = ELEM_LOAD(x + j), r, unused;
        KFN(rotate)(vf_swap_pairs(v), v, vf_loadu(cz + j), vf_loadu(sz + j), &unused, &r);
        ELEM_STORE(x + j, r);
    }
    if (j < n2) {
        vf v = ELEM_LOAD_N(x + j, n2 - j), r, unused;
        KFN(rotate)(vf_swap_pairs(v), v, vf_loadu(cz + j), vf_loadu(sz + j), &unused, &r);
        ELEM_STORE_N(x + j, r, n2 - j);
    }
}

/* KFN(rotary_apply)'s loops on 16-bit data: the cos/sin of a block of frequencies once per
   token, applied to every head. */
static int EFN(rotary_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                             uint16_t *x, const posenc_layout *l)
{
    KALIGN float c[SIMD_BLOCK], s[SIMD_BLOCK];
    KALIGN float cz[2 * SIMD_BLOCK], sz[2 * SIMD_BLOCK];
    size_t nf = plan->n_freq;
    int interleaved = plan->params.pairing == POSENC_PAIR_INTERLEAVED;
    for (size_t t = 0; t < n_tokens; t++) {
        KFN(rphase) ph;
        KFN(rphase_at)(&ph, plan, pos, n_tokens, t);
        uint16_t *tok = x + t * l->token_stride;
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
                for (size_t h = 0; h < l->n_heads; h++)
                    EFN(rotate_interleaved)(tok + h * l->head_stride + 2 * i0, cz, sz, cnt);
                continue;
            }
            KFN(phase_block)(&ph, i0, cnt, c, s);
            /* four vectors of cos/sin at a time stay in registers over every head */
            size_t j = 0;
            for (; j + 4 * VL <= cnt; j += 4 * VL) {
                vf c0 = vf_loadu(c + j), c1 = vf_loadu(c + j + VL);
                vf c2 = vf_loadu(c + j + 2 * VL), c3 = vf_loadu(c + j + 3 * VL);
                vf s0 = vf_loadu(s + j), s1 = vf_loadu(s + j + VL);
                vf s2 = vf_loadu(s + j + 2 * VL), s3 = vf_loadu(s + j + 3 * VL);
                for (size_t h = 0; h < l->n_heads; h++) {
                    uint16_t *a = tok + h * l->head_stride + i0 + j, *b = a + nf;
                    EFN(rotate_vec)(a, b, c0, s0);
                    EFN(rotate_vec)(a + VL, b + VL, c1, s1);
                    EFN(rotate_vec)(a + 2 * VL, b + 2 * VL, c2, s2);
                    EFN(rotate_vec)(a + 3 * VL, b + 3 * VL, c3, s3);
                }
            }
            if (j < cnt)
                for (size_t h = 0; h < l->n_heads; h++) {
                    uint16_t *a = tok + h * l->head_stride + i0 + j;
                    EFN(rotate_half)(a, a + nf, c + j, s + j, cnt - j);
                }
        }
    }
    return POSENC_OK;
}

#undef EFN
#undef ELEM
#undef ELEM_LOAD
#undef ELEM_STORE
#undef ELEM_LOAD_N
#undef ELEM_STORE_N
