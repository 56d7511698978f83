/* learned_kernels.h - the learned table's encode (a row copy) and apply (a gather-add, bit-exact)
 * for the vector backends, compiled once per ISA through impls/simd/kernels.h (unless
 * SIMD_NO_LEARNED). Defines posenc_learned_<ISA_SUFFIX>. */
#include "learned/weights.h"

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

static int KFN(learned_encode)(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    size_t d = plan->row_size;
    if (KFN(streams)(plan, n * d * sizeof(float), 0)) {
        for (size_t t = 0; t < n; t++)
            KFN(stream_copy)(out + t * d, plan->weights->data + (size_t)pos[t] * d, d);
        KFN(stream_end)(1);
        return POSENC_OK;
    }
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

/* ---- 16-bit data ------------------------------------------------------------------------ */

#define ELEM bf16
#include "simd/learned_half_kernels.h"
#define ELEM f16
#include "simd/learned_half_kernels.h"

static int KFN(learned_encode16)(const posenc_plan *plan, const int64_t *pos, size_t n, void *out)
{
    return KFN_BY_DTYPE(plan, learned_encode, plan, pos, n, out);
}

static int KFN(learned_apply16)(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                                void *x, const posenc_layout *l)
{
    return KFN_BY_DTYPE(plan, learned_apply, plan, pos, n_tokens, x, l);
}

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
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
    .encode16 = KFN(learned_encode16),
    .apply16 = KFN(learned_apply16),
};
