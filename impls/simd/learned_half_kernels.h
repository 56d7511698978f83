/* learned_half_kernels.h - the learned table's encode (a row rounded to the type) and apply
 * (x + W[p], rounded once) on bfloat16 or float16 data; W itself stays float32. Included by
 * learned_kernels.h once per element type, with ELEM the suffix of the type's functions (bf16,
 * f16). The stores canonicalize NaN (a NaN of W may carry any payload), so the results are the
 * float kernel's rounded: every backend's bits. */

#define EFN(name) KFN(KCAT(name, ELEM))
#define EV(name) KCAT(name, ELEM)
#define EVN(name) KCAT(KCAT(name, ELEM), n)

/* o[0 .. d) = row[0 .. d) rounded, streamed from the first aligned element on when `stream` */
static inline __attribute__((always_inline)) void EFN(round_row)(uint16_t *o, const float *row,
                                                                 size_t d, int stream)
{
    size_t j = KFN(stream_skew)(o, sizeof *o, KSTREAM16_BYTES, stream);
    if (j > d)
        j = d;
    if (j)
        EVN(vf_store)(o, vf_loadu_n(row, j), j);
    for (; j + VL <= d; j += VL)
        EFN(put)(o + j, vf_loadu(row + j), stream);
    if (j < d)
        EVN(vf_store)(o + j, vf_loadu_n(row + j, d - j), d - j);
}

static int EFN(learned_encode)(const posenc_plan *plan, const int64_t *pos, size_t n,
                               uint16_t *out)
{
    size_t d = plan->row_size;
    const float *w = plan->weights->data;
    if (KFN(streams)(plan, n * d * sizeof *out, 0)) {
        for (size_t t = 0; t < n; t++)
            EFN(round_row)(out + t * d, w + (size_t)pos[t] * d, d, 1);
        KFN(stream_end)(1);
        return POSENC_OK;
    }
    for (size_t t = 0; t < n; t++)
        EFN(round_row)(out + t * d, w + (size_t)pos[t] * d, d, 0);
    return POSENC_OK;
}

static int EFN(learned_apply)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                              uint16_t *x, const posenc_layout *l)
{
    size_t d = plan->row_size;
    for (size_t t = 0; t < n_tokens; t++) {
        const float *row = plan->weights->data + (size_t)pos[t] * d;
        for (size_t h = 0; h < l->n_heads; h++) {
            uint16_t *p = x + t * l->token_stride + h * l->head_stride;
            size_t j = 0;
            for (; j + VL <= d; j += VL)
                EV(vf_store)(p + j, vf_add(EV(vf_load)(p + j), vf_loadu(row + j)));
            if (j < d)
                EVN(vf_store)(p + j,
                              vf_add(EVN(vf_load)(p + j, d - j), vf_loadu_n(row + j, d - j)),
                              d - j);
        }
    }
    return POSENC_OK;
}

#undef EFN
#undef EV
#undef EVN
#undef ELEM
