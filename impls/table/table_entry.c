/* table_entry.c - correctly rounded sin and cos of one (position, frequency) for the table
 * backend (Ziv's strategy): a double evaluation with a known error bound, and a double-double one
 * for the rare values where that bound straddles a rounding boundary. */
#include "table/table_entry.h"

#include <math.h>

#include "core/sincos.h"

/* 2 pi / 2^64: one unit of the phase (2^-64 turn) in radians, as a double-double */
static const dd RADIANS_PER_UNIT = {0x1.921fb54442d18p-62, 0x1.1a62633145c07p-116};

/* Nearest integer of |x| < 2^52, ties away from zero (exact: only conversions) */
static double nearest_integer(double x)
{
    return (double)(int64_t)(x + (x >= 0.0 ? 0.5 : -0.5));
}

/* The integer part of a phase, p * step + (the nearest integer to p * residual) in units of
 * 2^-64 turn (exact, mod 2^64: one turn), split into the nearest quarter turn, returned, and the
 * remainder *rem in [-2^61, 2^61): 1/8 turn either way. The callers add the fraction left of
 * p * residual (|frac| < 0.6) to rem. */
static uint32_t reduce(uint64_t whole, double p_residual_int, int64_t *rem)
{
    whole += (uint64_t)(int64_t)p_residual_int;
    uint64_t q = (whole + (UINT64_C(1) << 61)) >> 62;
    *rem = (int64_t)(whole - (q << 62));
    return (uint32_t)q;
}

void table_sincos_double(uint64_t step, double residual, int64_t p, double *sin_out,
                         double *cos_out)
{
    double pr = (double)p * residual; /* |pr| < 2^30, off by 2^-23 units at most */
    double ri = nearest_integer(pr);
    int64_t rem;
    uint32_t q = reduce((uint64_t)p * step, ri, &rem);
    /* each of these three roundings costs at most 2^-53 relative */
    double x = ((double)rem + (pr - ri)) * RADIANS_PER_UNIT.hi;
    posenc_sincos_reduced(x, 0.0, q, sin_out, cos_out);
}

void table_sincos_dd(uint64_t step, double residual, int64_t p, dd *sin_out,
                     dd *cos_out)
{
    dd r = dd_two_prod((double)p, residual); /* exact */
    double ri = nearest_integer(r.hi);
    double frac = (r.hi - ri) + r.lo; /* r.hi - ri is exact */
    int64_t rem;
    uint32_t q = reduce((uint64_t)p * step, ri, &rem);
    double rem_hi = (double)rem; /* rem has up to 62 bits: the rest is an integer below 2^9 */
    dd units = dd_two_sum(rem_hi, (double)(rem - (int64_t)rem_hi) + frac);
    dd x = dd_mul(units, RADIANS_PER_UNIT);
    dd s, c;
    table_dd_sincos(x, &s, &c);
    /* rotate by q quarter turns, as posenc_sincos_reduced does */
    dd sv = (q & 1) ? c : s, cv = (q & 1) ? s : c;
    if (q & 2)
        sv = (dd){-sv.hi, -sv.lo};
    if ((q + 1) & 2)
        cv = (dd){-cv.hi, -cv.lo};
    *sin_out = sv;
    *cos_out = cv;
}

void table_entry_sincos(uint64_t step, double residual, int64_t p, float *sin_out,
                        float *cos_out)
{
    double s, c;
    table_sincos_double(step, residual, p, &s, &c);
    if (table_round_if_certain(s, fabs(s) * TABLE_DOUBLE_REL + TABLE_PHASE_ABS, sin_out) &&
        table_round_if_certain(c, fabs(c) * TABLE_DOUBLE_REL + TABLE_PHASE_ABS, cos_out))
        return;
    dd sd, cd;
    table_sincos_dd(step, residual, p, &sd, &cd);
    *sin_out = dd_to_float(sd);
    *cos_out = dd_to_float(cd);
}
