/* sincos.h - the two sin/cos algorithms of posenc, in portable scalar C. Every SIMD backend
 * reproduces them operation for operation, so all backends of an algorithm give the same bits.
 *
 * 1. Exact angle mode: the phase arrives as a 64-bit fixed-point fraction of a turn (see
 *    frequencies.c), so range reduction is integer arithmetic and costs no accuracy at any
 *    position. Rounded to 32 bits, split into a quarter-turn quadrant q and a remainder s in
 *    [-1/8, 1/8] turn, then short float polynomials in s evaluated with fused multiply-adds
 *    (fmaf here, the vector API's vf_fma in the SIMD backends: one rounding each, everywhere).
 *    Error: sin and cos within 1.68u of the true values of the 32-bit phase (u = 2^-24): the
 *    sine polynomial's results within 1.41u, the cosine's within 1.68u, measured at every
 *    remainder s against double sin and cos (the quadrant's swaps and signs are exact).
 *
 * 2. fp32 angle mode: the angle is an fp32 number a in [0, 2^31]; sin(a) and cos(a) are computed
 *    in double (Cody-Waite reduction by pi/2 in four parts, exact for a < 2^31; Taylor
 *    polynomials to degree 17/18 on [-pi/4, pi/4]) and rounded once to float, which gives the
 *    correctly rounded result except where the true value lies within about 2^-52 (relative) of
 *    a rounding boundary.
 *
 * static inline so that a copy compiled with AVX flags never leaks into scalar code. */
#ifndef POSENC_CORE_SINCOS_H
#define POSENC_CORE_SINCOS_H

#include <math.h>
#include <stdint.h>

/* ---- 1. from a fixed-point phase --------------------------------------------------------- */

/* sin(2 pi s) = s (S1 + S3 s^2 + S5 s^4 + S7 s^6) and cos(2 pi s) = 1 + C2 s^2 + C4 s^4 + C6 s^6
 * on |s| <= 1/8 turn: minimax polynomials (absolute error, Remez exchange in long double), their
 * coefficients rounded to float one at a time from the lowest power up, each remaining one
 * refitted to the rounded ones before it. Polynomial errors: 0.084u (sin), 0.55u (cos); the rest
 * of the bound above is float rounding. */
#define POSENC_SIN_S1 0x1.921fb4p+2f
#define POSENC_SIN_S3 -0x1.4abb68p+5f
#define POSENC_SIN_S5 0x1.46496cp+6f
#define POSENC_SIN_S7 -0x1.2a7638p+6f
#define POSENC_COS_C2 -0x1.3bd3a2p+4f
#define POSENC_COS_C4 0x1.03b18ep+6f
#define POSENC_COS_C6 -0x1.4eb112p+6f

/* The 32-bit turn fraction nearest to a 64-bit one (wrapping at a whole turn). */
static inline uint32_t posenc_turns_round32(uint64_t turns64)
{
    return (uint32_t)((turns64 + (UINT64_C(1) << 31)) >> 32);
}

/* sin and cos of 2 pi * t / 2^32. */
static inline void posenc_sincos_turns32(uint32_t t, float *sin_out, float *cos_out)
{
    /* tq = t + 1/8 turn: its top two bits are the nearest quarter turn q, the rest s + 1/8 */
    uint32_t tq = t + (UINT32_C(1) << 29);
    int32_t r = (int32_t)(tq & 0x3fffffffu) - (INT32_C(1) << 29); /* in [-2^29, 2^29) */
    float s = (float)r * (1.0f / 4294967296.0f);                   /* turns, |s| <= 1/8 */
    float s2 = s * s;
    /* sin(s + q/2 turn) = +-sin s, cos(s + q/2 turn) = +-cos s: the sign by bit 1 of q goes
       into s before the last product of the sine (exact), and onto the cosine */
    float sq = (tq & 0x80000000u) ? -s : s;
    float ps = fmaf(fmaf(fmaf(POSENC_SIN_S7, s2, POSENC_SIN_S5), s2, POSENC_SIN_S3), s2,
                    POSENC_SIN_S1);
    float sn = ps * sq;
    float cs = fmaf(fmaf(fmaf(POSENC_COS_C6, s2, POSENC_COS_C4), s2, POSENC_COS_C2), s2, 1.0f);
    if (tq & 0x80000000u)
        cs = -cs;
    /* bit 0 of q: a quarter turn more, (sin, cos) -> (cos, -sin) */
    if (tq & 0x40000000u) {
        *sin_out = cs;
        *cos_out = -sn;
    } else {
        *sin_out = sn;
        *cos_out = cs;
    }
}

/* ---- 2. from an fp32 angle, correctly rounded -------------------------------------------- */

/* pi/2 = P1 + P2 + P3 + P4; P1..P3 carry at most 22 significant bits, so k * Pj is exact in
 * double for k < 2^31. Derived from pi with MPFR (400 bits). */
#define POSENC_PIO2_P1 0x1.921fbp+0
#define POSENC_PIO2_P2 0x1.5110bp-22
#define POSENC_PIO2_P3 0x1.184698p-44
#define POSENC_PIO2_P4 0x1.3198a2e037073p-69
#define POSENC_TWO_OVER_PI 0x1.45f306dc9c883p-1

/* sin and cos of (hi + lo) + quadrant * pi/2 in double, before any rounding to float: hi + lo
 * is the reduced angle (|hi| <= pi/4 plus a little, |lo| <= ulp(hi)/2), quadrant counts quarter
 * turns (taken mod 4). Taylor polynomials to degree 17/18, lo entering linearly; the results lie
 * within about 2^-52 (relative) of the true values of the angle given. Shared by the fp32 angle
 * mode below and the table backend, which rounds these doubles itself. */
static inline void posenc_sincos_reduced(double hi, double lo, uint32_t quadrant,
                                         double *sin_out, double *cos_out)
{
    double z = hi * hi;
    /* sin r = r + r^3 (-1/3! + z/5! - z^2/7! + ... + z^7/17!), z = r^2; lo enters linearly. */
    double sp = 1.0 / 355687428096000.0;               /* 1/17! */
    sp = sp * z - 1.0 / 1307674368000.0;               /* 1/15! */
    sp = sp * z + 1.0 / 6227020800.0;                  /* 1/13! */
    sp = sp * z - 1.0 / 39916800.0;                    /* 1/11! */
    sp = sp * z + 1.0 / 362880.0;                      /* 1/9! */
    sp = sp * z - 1.0 / 5040.0;                        /* 1/7! */
    sp = sp * z + 1.0 / 120.0;                         /* 1/5! */
    sp = sp * z - 1.0 / 6.0;                           /* 1/3! */
    double sn = hi + (lo + (hi * z) * sp);
    /* cos r = 1 - z/2 + z^2 (1/4! - z/6! + ... - z^7/18!); cos(hi + lo) = cos hi - lo sin hi. */
    double cp = -1.0 / 6402373705728000.0;             /* 1/18! */
    cp = cp * z + 1.0 / 20922789888000.0;              /* 1/16! */
    cp = cp * z - 1.0 / 87178291200.0;                 /* 1/14! */
    cp = cp * z + 1.0 / 479001600.0;                   /* 1/12! */
    cp = cp * z - 1.0 / 3628800.0;                     /* 1/10! */
    cp = cp * z + 1.0 / 40320.0;                       /* 1/8! */
    cp = cp * z - 1.0 / 720.0;                         /* 1/6! */
    cp = cp * z + 1.0 / 24.0;                          /* 1/4! */
    double cs = 1.0 + ((z * -0.5 - hi * lo) + (z * z) * cp);
    uint32_t q = quadrant & 3u;
    double sv = (q & 1) ? cs : sn;
    double cv = (q & 1) ? sn : cs;
    if (q & 2)
        sv = -sv;
    if ((q + 1) & 2)
        cv = -cv;
    *sin_out = sv;
    *cos_out = cv;
}

/* sin and cos of the float a, 0 <= a <= 2^31, each rounded once to float. */
static inline void posenc_sincos_fp32_angle(float a, float *sin_out, float *cos_out)
{
    double x = (double)a;
    double k = floor(x * POSENC_TWO_OVER_PI + 0.5);   /* quadrant count, < 2^31 */
    /* r = x - k pi/2 as hi + lo. Each step below is exact (operands of like magnitude whose
       difference fits in 53 bits) except the last, whose error is caught in lo. */
    double r1 = x - k * POSENC_PIO2_P1;
    double r2 = r1 - k * POSENC_PIO2_P2;
    double r3 = r2 - k * POSENC_PIO2_P3;
    double t4 = k * POSENC_PIO2_P4;
    double hi = r3 - t4;
    double lo = (r3 - hi) - t4;
    double sv, cv;
    posenc_sincos_reduced(hi, lo, (uint32_t)(uint64_t)k, &sv, &cv);
    *sin_out = (float)sv;
    *cos_out = (float)cv;
}

#endif
