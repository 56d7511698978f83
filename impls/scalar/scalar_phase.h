/* scalar_phase.h - sin and cos of one (position, frequency) of a plan, in any angle mode: the
 * reference every scalar kernel is built on. */
#ifndef POSENC_SCALAR_PHASE_H
#define POSENC_SCALAR_PHASE_H

#include "core/half_angle.h"
#include "core/plan.h"
#include "core/sincos.h"
#include "core/special_values.h"

static inline __attribute__((always_inline)) void
scalar_phase_sincos(const posenc_plan *plan, int64_t p, size_t i, float *s, float *c)
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
static inline __attribute__((always_inline)) void
scalar_rotary_sincos(const posenc_plan *plan, const int64_t *pos, size_t n, size_t t, size_t i,
                     float *s, float *c)
{
    int64_t p = plan->axis ? pos[(size_t)plan->axis[i] * n + t] : pos[t];
    scalar_phase_sincos(plan, p, i, s, c);
    if (plan->attention_f != 1.0f) {
        *s *= plan->attention_f;
        *c *= plan->attention_f;
    }
}

/* SCALAR_PHASE_KERNEL(name, params, args) defines the kernel `static int name params` from the
 * static inline always_inline function name##_body, called with args. core/sincos.h's fmaf is
 * one instruction where the compiler may use FMA3, a libm call where it may not: on x86-64
 * without -mfma (the build's baseline) six calls per frequency made the sinusoidal encode 4.5x
 * slower. There the body is compiled a second time with target("fma") and runs when the plan's
 * features (detected, less POSENC_DISABLE_CPU_FEATURES, fixed when the plan was made) have
 * FMA3; fmaf rounds once either way, so both give the same bits, and the build's
 * -ffp-contract=off still keeps the compiler from fusing anything else. The helpers above are
 * always_inline so that the phase lands inside that second build (clang 14 otherwise kept
 * scalar_rotary_sincos out of line, a plain copy calling libm). */
#if defined(__x86_64__) && !defined(__FMA__) && (defined(__GNUC__) || defined(__clang__))
#define SCALAR_PHASE_KERNEL(name, params, args)                                                 \
    __attribute__((target("fma"))) static int name##_fma params { return name##_body args; }   \
    static int name params                                                                      \
    {                                                                                           \
        return (plan->cpu_features & POSENC_CPU_FMA) ? name##_fma args : name##_body args;      \
    }
#else
#define SCALAR_PHASE_KERNEL(name, params, args)                                                 \
    static int name params { return name##_body args; }
#endif

/* The float offset of token t, head h in an apply buffer (layout already validated). */
static inline float *scalar_head(float *x, const posenc_layout *l, size_t t, size_t h)
{
    return x + t * l->token_stride + h * l->head_stride;
}

#endif
