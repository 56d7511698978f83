/* alibi_slopes.h - ALiBi's per-head slopes, derived once per plan (posenc.h, posenc_alibi). */
#ifndef POSENC_CORE_ALIBI_SLOPES_H
#define POSENC_CORE_ALIBI_SLOPES_H

#include "core/plan.h"

/* Fill plan->slope_hi, slope_lo (exact mode: m_h to about 2^-100, relative) and slope_f (fp32
 * mode: MPT's float recipe) for the H = params.dim heads. Errors: NOMEM. */
int posenc_alibi_slopes(posenc_plan *plan);

#endif
