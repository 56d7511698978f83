/* half_angle.h - the angle of the recipe angle modes (fp32, bf16, fp16; posenc.h,
 * posenc_angle_mode) as one float, formed the same way by every backend: the scalar kernels, the
 * lane-by-lane fallback of the vector kernels, the SLEEF backends and the table build all call
 * these. The roundings to bfloat16 and float16 are float to float (the value the narrow type
 * holds, as a float), through the element types' conversions of core/half.h: integer
 * operations on the bits, the same on every machine, no F16C or FP16 instructions.
 *
 * A plan's inv_freq already holds the mode's inverse frequencies (core/plan.h): for fp16 mode
 * RNE_fp16 of the fp32 recipe's. So the angle of position p and frequency i is
 *     posenc_recipe_angle(mode, posenc_recipe_position(mode, p), plan->inv_freq[i]).
 *
 * static inline so that a copy compiled with AVX flags never leaks into scalar code. */
#ifndef POSENC_CORE_HALF_ANGLE_H
#define POSENC_CORE_HALF_ANGLE_H

#include <stdint.h>
#include <string.h>

#include "core/half.h"
#include "posenc.h"

/* The float nearest to x with 8 significant bits and float's exponent range (bfloat16), ties to
 * even (core/half.h's narrowing, widened back exactly); from the largest bfloat16 plus half its
 * ulp on, inf. */
static inline float posenc_round_bf16(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    u = posenc_bf16_to_f32_bits(posenc_f32_bits_to_bf16(u));
    memcpy(&x, &u, sizeof u);
    return x;
}

/* The float nearest to x among IEEE binary16 values, ties to even (core/half.h's narrowing,
 * widened back exactly): 11 significant bits down to 2^-14, multiples of 2^-24 below that
 * (subnormals kept; |x| <= 2^-25 gives a signed 0), and +-inf from |x| >= 65520 (65504 plus
 * half its ulp) on. */
static inline float posenc_round_fp16(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    u = posenc_f16_to_f32_bits(posenc_f32_bits_to_f16(u));
    memcpy(&x, &u, sizeof u);
    return x;
}

/* The position as the mode's angle formula takes it: (float)p rounded once (to nearest even:
 * above 2^24 not every integer is a float), then for fp16 mode to binary16 (inf from 65520). */
static inline float posenc_recipe_position(posenc_angle_mode mode, int64_t p)
{
    float pf = (float)p;
    return mode == POSENC_ANGLE_FP16 ? posenc_round_fp16(pf) : pf;
}

/* The angle of a recipe mode from posenc_recipe_position's pf and the plan's inv_freq[i] (fp16
 * mode: already binary16): fp32 pf * inv, bf16 RNE_bf16(pf * inv), fp16 RNE_fp16(pf * inv),
 * where the float product of two binary16 values is exact (11 + 11 significant bits). */
static inline float posenc_recipe_angle(posenc_angle_mode mode, float pf, float inv)
{
    float a = pf * inv;
    if (mode == POSENC_ANGLE_BF16)
        return posenc_round_bf16(a);
    if (mode == POSENC_ANGLE_FP16)
        return posenc_round_fp16(a);
    return a;
}

/* The same roundings as three constants, for the vector kernels' recipe path, which must stay
 * free of branches and calls (their exact path is compiled in the same loops):
 *     u' = (u + add + ((u >> shift) & lsb)) & mask      on the float's bits u.
 * fp32 (identity): add 0, lsb 0, mask ~0. bf16: drop 16 bits, exactly posenc_round_bf16 on every
 * finite float. fp16: drop 13 bits, which is posenc_round_fp16 on the values a recipe meets in an
 * fp16 plan: 0, |x| in [2^-14, 65520) (binary16's normal range, below its overflow), and
 * multiples of 2^-24 below 2^-14 (binary16's subnormals, unchanged): (float)p for p < 65520, and
 * p_h * inv_h, an exact product of two binary16 values (a multiple of 2^-24 when p_h >= 1) below
 * 65520 by the plan's position limit. */
typedef struct posenc_bit_round {
    uint32_t shift, add, lsb, mask;
} posenc_bit_round;

static inline posenc_bit_round posenc_bit_round_of(int drop_bits)
{
    posenc_bit_round r = {0, 0, 0, 0xffffffffu};
    if (drop_bits) {
        r.shift = (uint32_t)drop_bits;
        r.add = (1u << (drop_bits - 1)) - 1u;
        r.lsb = 1u;
        r.mask = ~((1u << drop_bits) - 1u);
    }
    return r;
}

/* The rounding of a recipe mode's angle (fp32: none, bf16: 16 bits, fp16: 13 bits) and of its
 * position (fp16: 13 bits, else none), as posenc_bit_round. */
static inline posenc_bit_round posenc_bit_round_angle(posenc_angle_mode mode)
{
    return posenc_bit_round_of(mode == POSENC_ANGLE_BF16 ? 16 : mode == POSENC_ANGLE_FP16 ? 13 : 0);
}

static inline posenc_bit_round posenc_bit_round_position(posenc_angle_mode mode)
{
    return posenc_bit_round_of(mode == POSENC_ANGLE_FP16 ? 13 : 0);
}

static inline float posenc_bit_round_apply(posenc_bit_round r, float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    u = (u + r.add + ((u >> r.shift) & r.lsb)) & r.mask;
    memcpy(&x, &u, sizeof u);
    return x;
}

#endif
