/* scores.c - posenc_alibi_apply, the entry point of score-side encodings: every argument and
 * the score layout checked before a backend's kernel writes anything. */
#include <stdint.h>

#include "core/error.h"
#include "core/plan.h"
#include "core/stage.h"
#include "core/validate.h"

/* `in` (NULL: every head of the plan, contiguous) with zeros replaced by defaults, checked for
 * H heads of n_q x n_k scores: LAYOUT when heads lie beyond H or rows or heads overlap,
 * OVERFLOW when the span of the scores in bytes does not fit in size_t. */
static int resolve_score_layout(const posenc_score_layout *in, size_t H, size_t n_q, size_t n_k,
                                posenc_score_layout *out)
{
    posenc_score_layout l = in ? *in : (posenc_score_layout){0, 0, 0, 0};
    if (l.first_head >= H)
        return posenc_fail(POSENC_ERR_LAYOUT, "first_head %zu is not one of the plan's %zu heads",
                           l.first_head, H);
    if (l.n_heads == 0)
        l.n_heads = H - l.first_head;
    if (l.n_heads > H - l.first_head)
        return posenc_fail(POSENC_ERR_LAYOUT, "heads %zu .. %zu + %zu - 1: the plan has %zu",
                           l.first_head, l.first_head, l.n_heads, H);
    if (l.row_stride == 0)
        l.row_stride = n_k;
    if (l.row_stride < n_k && n_q > 1)
        return posenc_fail(POSENC_ERR_LAYOUT, "row_stride %zu < n_k %zu: rows overlap",
                           l.row_stride, n_k);
    const size_t max_floats = SIZE_MAX / sizeof(float);
    if (n_k > max_floats || (n_q > 1 && (n_q - 1) > (max_floats - n_k) / l.row_stride))
        return posenc_fail(POSENC_ERR_OVERFLOW, "%zu rows of stride %zu overflow size_t", n_q,
                           l.row_stride);
    size_t head_span = (n_q - 1) * l.row_stride + n_k; /* floats one head covers */
    if (l.head_stride == 0) {
        if (n_q > max_floats / l.row_stride)
            return posenc_fail(POSENC_ERR_OVERFLOW, "%zu rows of stride %zu overflow size_t",
                               n_q, l.row_stride);
        l.head_stride = n_q * l.row_stride;
    }
    if (l.n_heads > 1) {
        if (n_q > l.head_stride / l.row_stride || l.head_stride < head_span)
            return posenc_fail(POSENC_ERR_LAYOUT,
                               "head_stride %zu < n_q %zu x row_stride %zu: heads overlap",
                               l.head_stride, n_q, l.row_stride);
        if (l.n_heads - 1 > (max_floats - head_span) / l.head_stride)
            return posenc_fail(POSENC_ERR_OVERFLOW, "%zu heads of stride %zu overflow size_t",
                               l.n_heads, l.head_stride);
    }
    *out = l;
    return POSENC_OK;
}

int posenc_alibi_apply(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                       const int64_t *k_pos, size_t n_k, void *scores,
                       const posenc_score_layout *layout)
{
    posenc_clear_error();
    if (!plan)
        return posenc_fail(POSENC_ERR_NULL, "plan is NULL");
    if (plan->params.kind != POSENC_ALIBI || !plan->impl->scores)
        return posenc_fail(POSENC_ERR_KIND, "%s does not act on attention scores (only alibi "
                           "plans do): use posenc_apply", plan->impl->name);
    if (n_q == 0 || n_k == 0)
        return POSENC_OK;
    if (!q_pos || !k_pos || !scores)
        return posenc_fail(POSENC_ERR_NULL, "%s is NULL",
                           !q_pos ? "q_pos" : !k_pos ? "k_pos" : "scores");
    posenc_score_layout l;
    int rc = resolve_score_layout(layout, plan->row_size, n_q, n_k, &l);
    if (!rc)
        rc = posenc_check_positions(q_pos, n_q, plan->max_pos);
    if (!rc)
        rc = posenc_check_positions(k_pos, n_k, plan->max_pos);
    if (rc)
        return rc;
    if (plan->params.dtype != POSENC_DTYPE_F32 && !posenc_plan_native16(plan))
        return posenc_stage_scores(plan, q_pos, n_q, k_pos, n_k, scores, &l);
    return plan->impl->scores(plan, q_pos, n_q, k_pos, n_k, scores, &l);
}
