/* stage.h - bfloat16 and float16 data for every backend: the data a kernel touches is widened
 * into a float buffer, the backend's float kernel runs on it, and its results are rounded back
 * (core/half.h), so every backend gives, on 16-bit data, exactly the bits of its float results
 * rounded once: the same on every backend whose float kernels agree. Called by the entry points
 * after their checks, for plans whose dtype is not float32. */
#ifndef POSENC_CORE_STAGE_H
#define POSENC_CORE_STAGE_H

#include "core/plan.h"

/* posenc_encode's work for 16-bit data (arguments checked). Errors: NOMEM, before writing. */
int posenc_stage_encode(const posenc_plan *plan, const int64_t *pos, size_t n, void *out);

/* posenc_apply's work for 16-bit data (arguments checked, layout resolved). Only each head's
 * computed part (rotary_dim elements for rotary, dim otherwise) is converted. Errors: NOMEM. */
int posenc_stage_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, void *x,
                       const posenc_layout *l);

/* posenc_alibi_apply's work for 16-bit scores (arguments checked, layout resolved). */
int posenc_stage_scores(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                        const int64_t *k_pos, size_t n_k, void *scores,
                        const posenc_score_layout *l);

#endif
