/* half_angle.h - the angle of the recipe angle modes (fp32, bf16, fp16; posenc.h,
 * posenc_angle_mode) as one float, formed the same way by every backend: the scalar kernels, the
 * lane-by-lane fallback of the vector kernels, the SLEEF backends and the table build all call
 * these. The roundings to bfloat16 and float16 are done float to float (the value that the
 * narrow type holds, as a float), in integer operations on the bits, so they give the same bits
 * on every machine and need no F16C or FP16 instructions.
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

#include "posenc.h"

/* The float nearest to x with 8 significant bits and float's exponent range (bfloat16), ties to
 * even; inf stays inf, a float at or above the largest bfloat16 plus half its ulp becomes inf.
 * NaN is not expected (angles are finite) and stays a NaN. */
static inline float posenc_round_bf16(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    if ((u & 0x7fffffffu) > 0x7f800000u) /* NaN: keep it a NaN (quiet) */
        u |= 0x00400000u;
    else
        u += 0x7fffu + ((u >> 16) & 1u); /* carries into the exponent (and to inf) as it must */
    u &= 0xffff0000u;
    memcpy(&x, &u, sizeof u);
    return x;
}

/* The float nearest to x among IEEE binary16 values, ties to even: 11 significant bits down to
 * 2^-14, multiples of 2^-24 below that (subnormals kept; |x| <= 2^-25 gives a signed 0), and
 * +-inf from |x| >= 65520 (65504 plus half its ulp) on. */
static inline float posenc_round_fp16(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    uint32_t sign = u & 0x80000000u, a = u & 0x7fffffffu;
    if (a > 0x7f800000u) { /* NaN */
        u |= 0x00400000u;
    } else if (a >= 0x38800000u) { /* |x| >= 2^-14: normal binary16, drop 13 of 23 bits */
        a += 0xfffu + ((a >> 13) & 1u);
        a &= 0xffffe000u;
        u = sign | (a > 0x477fe000u ? 0x7f800000u : a); /* above 65504: inf */
    } else { /* a multiple of 2^-24: q = round(|x| / 2^-24) = round(m 2^-s) */
        int e = (int)(a >> 23);      /* biased exponent, <= 112 */
        int s = 126 - (e ? e : 1);   /* |x| = m 2^(e - 150) (e = 0: m 2^-149), so s >= 14 */
        uint32_t m = e ? (a & 0x7fffffu) | 0x800000u : a & 0x7fffffu;
        uint32_t q;
        if (s >= 25) {
            q = 0; /* m < 2^24: below 2^-25, half the smallest subnormal */
        } else {
            uint32_t half = 1u << (s - 1), rest = m & ((1u << s) - 1u);
            q = m >> s;
            if (rest > half || (rest == half && (q & 1u)))
                q++;
        }
        float r = (float)q * 0x1p-24f; /* q <= 2^10: exact */
        memcpy(&u, &r, sizeof u);
        u |= sign;
    }
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

#endif
