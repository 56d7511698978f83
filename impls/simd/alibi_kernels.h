/* alibi_kernels.h - ALiBi's row kernel for the vector backends, written once against the vector
 * API of impls/simd/kernels.h (vf_loadu, vf_storeu, vf_add, vf_canon_nan) and compiled per ISA;
 * the loop over heads and rows and the biases themselves are core/alibi_bias.c's, so every
 * backend writes the same bits as alibi/scalar.
 *
 * Included by a backend file after its vec_<isa>.h and the ISA_* macros, before kernels.h
 * (which undefines them at its end). Defines posenc_alibi_<ISA_SUFFIX>. */
#include "core/alibi_bias.h"
#include "simd/kernel_names.h"

/* s[j] = s[j] + bias[j], each NaN lane canonical (posenc.h's special value rule); the tail uses
   the scalar formula */
static void KFN(alibi_add_row)(void *scores, const float *bias, size_t n)
{
    float *s = scores;
    size_t j = 0;
    for (; j + 2 * VL <= n; j += 2 * VL) {
        vf a = vf_add(vf_loadu(s + j), vf_loadu(bias + j));
        vf b = vf_add(vf_loadu(s + j + VL), vf_loadu(bias + j + VL));
        if (vf_any_nan2(a, b)) {
            a = vf_canon_nan(a);
            b = vf_canon_nan(b);
        }
        vf_storeu(s + j, a);
        vf_storeu(s + j + VL, b);
    }
    posenc_alibi_add_row_scalar(s + j, bias + j, n - j);
}

/* 16-bit scores: widened exactly, the bias added, rounded once with every NaN canonical (the
   vector API's loads and stores do both) */
#define KFN_ALIBI_ROW16(t)                                                                     \
    static void KFN(alibi_add_row_##t)(void *scores, const float *bias, size_t n)            \
    {                                                                                          \
        uint16_t *s = scores;                                                                  \
        size_t j = 0;                                                                          \
        for (; j + VL <= n; j += VL)                                                           \
            vf_store_##t(s + j, vf_add(vf_load_##t(s + j), vf_loadu(bias + j)));               \
        if (j < n)                                                                             \
            vf_store_##t##_n(s + j,                                                            \
                             vf_add(vf_load_##t##_n(s + j, n - j), vf_loadu_n(bias + j, n - j)), \
                             n - j);                                                           \
    }
KFN_ALIBI_ROW16(bf16)
KFN_ALIBI_ROW16(f16)
#undef KFN_ALIBI_ROW16

static int KFN(alibi_scores)(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                             const int64_t *k_pos, size_t n_k, void *scores,
                             const posenc_score_layout *layout)
{
    static const posenc_alibi_rows rows = {
        {KFN(alibi_add_row), KFN(alibi_add_row_bf16), KFN(alibi_add_row_f16)}};
    return posenc_alibi_run(plan, q_pos, n_q, k_pos, n_k, scores, layout, &rows);
}

const posenc_impl KCAT(posenc_alibi, ISA_SUFFIX) = {
    .name = "alibi/" ISA_NAME,
    .description = "ALiBi score bias, " ISA_DESC " row adds, correctly rounded biases (no table "
                   "or SLEEF backend: those are sin/cos sources)",
    .kind = POSENC_ALIBI,
    .cpu_features = ISA_FEATURES,
    .algorithm = "alibi-cr",
    .max_err_u = 0.0, /* as alibi/scalar: correctly rounded biases, one rounding per score */
    .max_pos = INT64_C(1) << 31,
    .encode = posenc_alibi_encode,
    .scores = KFN(alibi_scores),
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
};
