/* table_entry.h - sin and cos of one (position, frequency) of the exact angle mode for the table
 * backend: a fast double evaluation with a stated error, a slow double-double one, the rounding
 * to float that knows when it is certain, and the correctly rounded entry built from them.
 *
 * The frequency is one posenc_turn_steps_fine pair (impls/core/frequencies.h): the phase of
 * position p is 2 pi * p * (step + residual) / 2^64. Positions 0 <= p < 2^31. */
#ifndef POSENC_TABLE_ENTRY_H
#define POSENC_TABLE_ENTRY_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "table/table_dd.h"

/* |computed - true| of table_sincos_double is at most TABLE_DOUBLE_REL * |value| +
 * TABLE_PHASE_ABS: the reduced angle and the polynomial (impls/core/sincos.h) each lose a few
 * units of 2^-53 relative, stated here with a margin of 2.5; the phase itself is off by p times
 * the residual's error, near 2^-104 turn at the bases of real models (2^-73 turn at p = 2^31). */
#define TABLE_DOUBLE_REL 0x1p-49
#define TABLE_PHASE_ABS 0x1p-60

/* sin and cos in double, within the bound above: the phase in fixed point (exact integer part,
 * double fraction), the remainder angle rounded to double, posenc_sincos_reduced. */
void table_sincos_double(uint64_t step, double residual, int64_t p, double *sin_out,
                         double *cos_out);

/* sin and cos as double-doubles, to about 2^-100 plus the phase's own error: the phase to about
 * p * 2^-100 turn with exact products, the remainder angle in double-double, table_dd_sincos.
 * Some thousand operations: for the entries the double evaluation leaves in doubt. */
void table_sincos_dd(uint64_t step, double residual, int64_t p, dd *sin_out,
                     dd *cos_out);

/* The float nearest to a true value known to lie within err of v, in *out, and 1; 0 (and *out
 * untouched) when a midpoint between two floats lies within err of v, or v is 0. Inline: the
 * table build calls it for every entry. */
static inline int table_round_if_certain(double v, double err, float *out)
{
    float f = (float)v;
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    /* f's neighbours one step up and down in magnitude; for f = 0 the lower one is a NaN, so
       that case is never certain (the sign of a zero needs the exact path) */
    uint32_t b_out = bits + 1, b_in = bits - 1;
    float f_out, f_in;
    memcpy(&f_out, &b_out, sizeof f_out);
    memcpy(&f_in, &b_in, sizeof f_in);
    double m_out = ((double)f + (double)f_out) * 0.5; /* the midpoints, exact in double */
    double m_in = ((double)f + (double)f_in) * 0.5;
    if (!(fabs(m_out - v) > err && fabs(v - m_in) > err))
        return 0;
    *out = f;
    return 1;
}

/* sin and cos correctly rounded to float: table_sincos_double where its bound decides the
 * rounding, else table_sincos_dd. The result is the float nearest to the true value unless that
 * value lies within about p * 2^-100 of a midpoint between two floats. p = 0 gives +0 and 1. */
void table_entry_sincos(uint64_t step, double residual, int64_t p, float *sin_out,
                        float *cos_out);

#endif
