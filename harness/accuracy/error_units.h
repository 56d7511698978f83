/* error_units.h - how the tests and `posenc accuracy` state an error: in u = 2^-24 (as posenc.h
 * does), against the 4u bound on exact-mode sin and cos values, and for rotary apply relative to
 * the pair it rotates. One definition, so the command and the tests judge alike. */
#ifndef POSENC_ERROR_UNITS_H
#define POSENC_ERROR_UNITS_H

#include <math.h>

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

#endif
