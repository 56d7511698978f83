/* simd_plan.h - what the vector backends add to a plan: the per-frequency constants laid out for
 * vector loads (whole and split into 32-bit halves, padded with zeros to a whole number of
 * vectors). */
#ifndef POSENC_SIMD_PLAN_H
#define POSENC_SIMD_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/half_angle.h"
#include "core/plan.h"

/* The widest vector any backend uses, in 32-bit lanes; padding is a multiple of it. */
#define SIMD_MAX_LANES 16
/* Frequencies handled per step of a kernel: the sin/cos of a block live in a few KiB of stack. */
#define SIMD_BLOCK 256

typedef struct simd_plan_data {
    size_t n_pad;        /* n_freq rounded up to SIMD_MAX_LANES */
    uint64_t *step;      /* exact mode: turn_step[i], whole (vec_avx512.h's vi_turns32) */
    uint32_t *step_hi;   /* exact mode: turn_step[i] >> 32 */
    uint32_t *step_lo;   /* exact mode: turn_step[i] & 0xffffffff, one more zero after the padding
                            (vec_avx2.h's vi_turns32 reads lo[VL]) */
    float *inv_freq;     /* recipe modes (fp32, bf16, fp16): plan->inv_freq, padded */
    posenc_angle_mode mode; /* the plan's angle mode */
    /* recipe modes: the roundings of the position and the angle (core/half_angle.h) */
    posenc_bit_round round_pos, round_angle;
} simd_plan_data;

/* impl->prepare and impl->release of every vector backend. */
int simd_prepare(posenc_plan *plan);
void simd_release(posenc_plan *plan);

#endif
