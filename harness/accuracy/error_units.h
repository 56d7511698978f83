/* error_units.h - how the tests and `posenc accuracy` state an error: in u = 2^-24 (as posenc.h
 * does), against the 4u bound on exact-mode sin and cos values, for rotary apply relative to
 * the pair it rotates, and for bf16 and fp16 data in ulps of the type beyond the float32 bound.
 * One definition, so the command and the tests judge alike. */
#ifndef POSENC_ERROR_UNITS_H
#define POSENC_ERROR_UNITS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "posenc.h"

#define ERR_U (1.0 / 16777216.0) /* 2^-24: half an ULP of 1.0f */

/* Every sin and cos value an exact-mode encode writes (sinusoidal values, rotary cos/sin rows)
 * lies within this many u of the truth, absolute. */
#define ERR_VALUE_BOUND_U 4.0

/* The absolute allowance of posenc.h's rotary apply bound, B u max(|a|, |b|) + 2^-149: the
 * smallest subnormal float, the rounding of products that fall in the subnormal range. */
#define ERR_PAIR_ABS 0x1p-149

/* The error e of a rotated pair (a, b) in u, relative to scale = max(|a|, |b|), after the
 * absolute allowance: the smallest B for which e <= B u scale + 2^-149, as posenc.h states the
 * bound. For normal inputs the allowance changes nothing visible (below 1e-7 u for scale above
 * 1e-30); for subnormal ones a relative error alone would read millions of u. A pair of zeros
 * must come back exact: any error there is infinitely large. */
static inline double err_pair_u(double e, double scale)
{
    if (!(scale > 0))
        return e == 0 ? 0.0 : INFINITY;
    return (e > ERR_PAIR_ABS ? e - ERR_PAIR_ABS : 0.0) / scale / ERR_U;
}

/* posenc.h's float32 bound of one output of a rotated pair (a, b), absolute:
 * B u max(|a|, |b|) + 2^-149, B the implementation's max_err_u. */
static inline double err_pair_share(double bound_u, double scale)
{
    return bound_u * ERR_U * scale + ERR_PAIR_ABS;
}

/* ---- bf16 and fp16 data ---------------------------------------------------------------------
 * posenc.h: with 16-bit data the float32 result is rounded once to the type, so each value is
 * within half an ulp of the type plus its float32 bound (its "share", absolute). The ulp is
 * taken at |exact| + share, the largest magnitude the float32 result can have: ulps only grow
 * with magnitude, so this also covers a float32 result that crossed into the next binade. */

/* Half an ulp of the type: what a 16-bit result may add to its float32 share. */
#define ERR_TYPE_BOUND_ULP 0.5

/* The spacing of the type's values at magnitude |x|: 2^(e - p + 1) in the binade
 * 2^e <= |x| < 2^(e+1), p the significand bits (f32 24, bf16 8, f16 11), the subnormal spacing
 * below the normal range (2^-149, 2^-133, 2^-24), the top binade's spacing beyond the range. */
static inline double err_type_ulp(double x, posenc_dtype t)
{
    const int p = t == POSENC_DTYPE_BF16 ? 8 : t == POSENC_DTYPE_F16 ? 11 : 24;
    const int emin = t == POSENC_DTYPE_F16 ? -14 : -126, emax = t == POSENC_DTYPE_F16 ? 15 : 127;
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    int e = (int)((b >> 52) & 0x7ff) - 1023; /* doubles' subnormals, inf and NaN clamp below */
    e = e < emin ? emin : e > emax ? emax : e;
    b = (uint64_t)(e - (p - 1) + 1023) << 52;
    double u;
    memcpy(&u, &b, sizeof u);
    return u;
}

/* The largest finite value of the type. */
static inline double err_type_max(posenc_dtype t)
{
    return t == POSENC_DTYPE_BF16 ? ldexp(255.0, 120)
           : t == POSENC_DTYPE_F16 ? 65504.0
                                   : ldexp(16777215.0, 104);
}

/* x rounded to the type, to nearest even, as IEEE 754 rounds: with an unbounded exponent, then
 * +-inf past the largest finite value; subnormals kept. Exact in double arithmetic (x / ulp
 * and the product are scalings by powers of two), so it is a reference independent of the
 * library's bit code. Assumes the default rounding mode, as posenc.h does. */
static inline double err_type_round(double x, posenc_dtype t)
{
    if (!isfinite(x))
        return x;
    double ulp = err_type_ulp(x, t), r = nearbyint(x / ulp) * ulp;
    return fabs(r) > err_type_max(t) ? copysign(INFINITY, x) : r;
}

/* The bound of a value of the type whose exact value is `exact` and whose float32 bound is
 * `share` (absolute): share plus half an ulp of the type at |exact| + share. */
static inline double err_type_bound(double exact, double share, posenc_dtype t)
{
    return share + ERR_TYPE_BOUND_ULP * err_type_ulp(fabs(exact) + share, t);
}

/* An error e of such a value in ulps of the type beyond its float32 share: the smallest k with
 * e <= share + k ulp, so a value is within err_type_bound exactly when this is at most
 * ERR_TYPE_BOUND_ULP. A NaN error is infinitely large. */
static inline double err_type_ulps(double e, double exact, double share, posenc_dtype t)
{
    if (isnan(e))
        return INFINITY;
    return (e > share ? e - share : 0.0) / err_type_ulp(fabs(exact) + share, t);
}

#endif
