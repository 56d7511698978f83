/* scalar_phase.h - sin and cos of one (position, frequency) of a plan, in either angle mode: the
 * reference every scalar kernel is built on. */
#ifndef POSENC_SCALAR_PHASE_H
#define POSENC_SCALAR_PHASE_H

#include "core/plan.h"
#include "core/sincos.h"
#include "core/special_values.h"

static inline void scalar_phase_sincos(const posenc_plan *plan, int64_t p, size_t i,
                                       float *s, float *c)
{
    if (plan->params.angle_mode == POSENC_ANGLE_EXACT)
        posenc_sincos_turns32(posenc_turns_round32((uint64_t)p * plan->turn_step[i]), s, c);
    else
        posenc_sincos_fp32_angle((float)p * plan->inv_freq[i], s, c);
}

/* The float offset of token t, head h in an apply buffer (layout already validated). */
static inline float *scalar_head(float *x, const posenc_layout *l, size_t t, size_t h)
{
    return x + t * l->token_stride + h * l->head_stride;
}

#endif
