/* sinusoidal_half_kernels.h - the sinusoidal encoding's encode and apply on bfloat16 or float16
 * data, with the vector API's 16-bit loads and stores (VL elements in order, vf_load_<t> /
 * vf_store_<t> and their _n tails). Included by sinusoidal_kernels.h once per element type,
 * with ELEM the suffix of the type's functions (bf16, f16).
 *
 * Same bits as the staged path (core/stage.c: widen, the float kernel, round back): the same
 * phase vectors, the same additions in the same order, one rounding per result by the store,
 * which makes every NaN the type's canonical one (the float kernel's canonical NaN rounds to
 * it). The phase, not the conversion, is most of the work here: an embedding row is one head. */

#define EFN(name) KFN(KCAT(name, ELEM))
#define EV(name) KCAT(name, ELEM)
#define EVN(name) KCAT(KCAT(name, ELEM), n)

/* p[0 .. n) += v[0 .. n), n <= VL */
static inline void EFN(add_vec_n)(uint16_t *p, vf v, size_t n)
{
    if (n == VL)
        EV(vf_store)(p, vf_add(EV(vf_load)(p), v));
    else
        EVN(vf_store)(p, vf_add(EVN(vf_load)(p, n), v), n);
}

/* the 2 n interleaved elements (s0, c0, s1, c1, ..) of n <= VL frequencies: lo and hi from
   vf_zip, cut to 2 n */
#define EFN_PAIRS_DO(op, p, lo, hi, n)                                                          \
    do {                                                                                        \
        size_t n2_ = 2 * (n);                                                                   \
        op((p), (lo), n2_ < VL ? n2_ : VL);                                                     \
        if (n2_ > VL)                                                                           \
            op((p) + VL, (hi), n2_ - VL);                                                       \
    } while (0)

/* p[0 .. n) = v's first n lanes, n <= VL, ordinary stores */
static inline void EFN(store_vec_n)(uint16_t *p, vf v, size_t n)
{
    if (n == VL)
        EV(vf_store)(p, v);
    else
        EVN(vf_store)(p, v, n);
}

/* Frequencies i .. i+k-1 of one row with ordinary stores (a row's head and tail), through the
   vectors at multiples of VL, the phase source's own grid */
static __attribute__((noinline, cold)) void EFN(sinusoidal_part)(const KFN(phase) *ph, size_t i, size_t k, size_t nf, int half,
                                 uint16_t *row)
{
    for (size_t end = i + k; i < end;) {
        size_t base = i - i % VL, lane = i - base, m = end - i < VL - lane ? end - i : VL - lane;
        float s[VL], c[VL];
        vf sv, cv, lo, hi;
        KFN(phase_vec)(ph, base, &sv, &cv);
        vf_storeu(s, sv);
        vf_storeu(c, cv);
        sv = vf_loadu_n(s + lane, m);
        cv = vf_loadu_n(c + lane, m);
        if (half) {
            EFN(store_vec_n)(row + i, sv, m);
            EFN(store_vec_n)(row + nf + i, cv, m);
        } else {
            vf_zip(sv, cv, &lo, &hi);
            EFN_PAIRS_DO(EFN(store_vec_n), row + 2 * i, lo, hi, m);
        }
        i += m;
    }
}

/* The row of one position, as KFN(sinusoidal_row) lays it out (its vectors from the first
   frequency where streamed stores align, KFN(stream_skew)) */
static inline void EFN(sinusoidal_row)(const KFN(phase) *ph, size_t nf, int half, uint16_t *row, int stream)
{
    size_t i = KFN(stream_skew)(row, half ? 2 : 4, KSTREAM16_BYTES, stream);
    if (i >= nf)
        i = 0;
    if (i)
        EFN(sinusoidal_part)(ph, 0, i, nf, half, row);
    for (; i + VL <= nf; i += VL) {
        vf sv, cv, lo, hi;
        KFN(phase_vec)(ph, i, &sv, &cv);
        if (half) {
            EFN(put)(row + i, sv, stream);
            EFN(put)(row + nf + i, cv, stream);
        } else {
            vf_zip(sv, cv, &lo, &hi);
            EFN(put)(row + 2 * i, lo, stream);
            EFN(put)(row + 2 * i + VL, hi, stream);
        }
    }
    if (i < nf)
        EFN(sinusoidal_part)(ph, i, nf - i, nf, half, row);
}

static inline void EFN(sinusoidal_rows)(const posenc_plan *plan, const int64_t *pos, size_t n, uint16_t *out,
                     int stream)
{
    int half = plan->params.pairing == POSENC_PAIR_HALF;
    for (size_t t = 0; t < n; t++) {
        KFN(phase) ph;
        KFN(phase_at)(&ph, plan, pos[t]);
        EFN(sinusoidal_row)(&ph, plan->n_freq, half, out + t * plan->row_size, stream);
    }
}

static int EFN(sinusoidal_encode)(const posenc_plan *plan, const int64_t *pos, size_t n,
                                  uint16_t *out)
{
    int stream = KFN(streams)(plan, n * plan->row_size * sizeof(uint16_t), 1);
    if (stream) /* a constant each: the loop without streaming carries no test */
        EFN(sinusoidal_rows)(plan, pos, n, out, 1);
    else
        EFN(sinusoidal_rows)(plan, pos, n, out, 0);
    KFN(stream_end)(stream);
    return POSENC_OK;
}

/* x[h] += PE row for every head of one token, each vector of sin/cos computed once */
static int EFN(sinusoidal_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                                 uint16_t *x, const posenc_layout *l)
{
    int half = plan->params.pairing == POSENC_PAIR_HALF;
    size_t nf = plan->n_freq;
    for (size_t t = 0; t < n_tokens; t++) {
        KFN(phase) ph;
        KFN(phase_at)(&ph, plan, pos[t]);
        uint16_t *tok = x + t * l->token_stride;
        for (size_t i = 0; i < nf; i += VL) {
            size_t k = nf - i < VL ? nf - i : VL;
            vf sv, cv, lo, hi;
            KFN(phase_vec)(&ph, i, &sv, &cv);
            if (half) {
                for (size_t h = 0; h < l->n_heads; h++) {
                    uint16_t *head = tok + h * l->head_stride;
                    EFN(add_vec_n)(head + i, sv, k);
                    EFN(add_vec_n)(head + nf + i, cv, k);
                }
            } else {
                vf_zip(sv, cv, &lo, &hi);
                for (size_t h = 0; h < l->n_heads; h++)
                    EFN_PAIRS_DO(EFN(add_vec_n), tok + h * l->head_stride + 2 * i, lo, hi, k);
            }
        }
    }
    return POSENC_OK;
}

#undef EFN_PAIRS_DO
#undef EFN
#undef EV
#undef EVN
#undef ELEM
