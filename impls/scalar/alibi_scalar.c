/* alibi_scalar.c - ALiBi in portable C: the shared loop of core/alibi_bias.c with a plain row
 * kernel (GCC vectorises it for the baseline ISA; the additions are the same IEEE operations). */
#include "core/alibi_bias.h"

static int alibi_scores(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                        const int64_t *k_pos, size_t n_k, void *scores,
                        const posenc_score_layout *layout)
{
    static const posenc_alibi_rows rows = {{posenc_alibi_add_row_scalar,
                                            posenc_alibi_add_row_scalar_bf16,
                                            posenc_alibi_add_row_scalar_f16}};
    return posenc_alibi_run(plan, q_pos, n_q, k_pos, n_k, scores, layout, &rows);
}

const posenc_impl posenc_alibi_scalar = {
    .name = "alibi/scalar",
    .description = "ALiBi score bias, portable C, correctly rounded biases (no table or SLEEF "
                   "backend: those are sin/cos sources)",
    .kind = POSENC_ALIBI,
    .cpu_features = 0,
    .algorithm = "alibi-cr",
    /* 0: every bias is -m_h d correctly rounded to float (exact mode) and each score is
       s + bias rounded once: bit-exact against the MPFR oracle, not a tolerance */
    .max_err_u = 0.0,
    .max_pos = INT64_C(1) << 31,
    .encode = posenc_alibi_encode,
    .scores = alibi_scores,
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
};
