/* scalar_phase.h - sin and cos of one (position, frequency) of a plan, in any angle mode: the
 * reference every scalar kernel is built on. */
#ifndef POSENC_SCALAR_PHASE_H
#define POSENC_SCALAR_PHASE_H

#include "core/half_angle.h"
#include "core/plan.h"
#include "core/sincos.h"
#include "core/special_values.h"

static inline void scalar_phase_sincos(const posenc_plan *plan, int64_t p, size_t i,
                                       float *s, float *c)
{
    if (plan->params.angle_mode == POSENC_ANGLE_EXACT)
        posenc_sincos_turns32(posenc_turns_round32((uint64_t)p * plan->turn_step[i]), s, c);
    else if (plan->params.angle_mode == POSENC_ANGLE_FP32)
        posenc_sincos_fp32_angle((float)p * plan->inv_freq[i], s, c);
    else { /* bf16, fp16: the recipe's angle rounded as core/half_angle.h says */
        posenc_angle_mode m = plan->params.angle_mode;
        posenc_sincos_fp32_angle(
            posenc_recipe_angle(m, posenc_recipe_position(m, p), plan->inv_freq[i]), s, c);
    }
}

/* Rotary: sin and cos of frequency i for token t of n (pos as posenc_encode takes it: one
 * position per token, or M-RoPE's three, axis-major), times the attention factor. */
static inline void scalar_rotary_sincos(const posenc_plan *plan, const int64_t *pos, size_t n,
                                        size_t t, size_t i, float *s, float *c)
{
    int64_t p = plan->axis ? pos[(size_t)plan->axis[i] * n + t] : pos[t];
    scalar_phase_sincos(plan, p, i, s, c);
    if (plan->attention_f != 1.0f) {
        *s *= plan->attention_f;
        *c *= plan->attention_f;
    }
}

/* The float offset of token t, head h in an apply buffer (layout already validated). */
static inline float *scalar_head(float *x, const posenc_layout *l, size_t t, size_t h)
{
    return x + t * l->token_stride + h * l->head_stride;
}

#endif
