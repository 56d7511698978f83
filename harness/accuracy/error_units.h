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

/* The error e of a rotated pair (a, b) in u, relative to scale = max(|a|, |b|). A pair of zeros
 * must come back exact: any error there is infinitely large. */
static inline double err_pair_u(double e, double scale)
{
    return scale > 0 ? e / scale / ERR_U : (e == 0 ? 0.0 : INFINITY);
}

#endif
