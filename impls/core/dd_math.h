/* dd_math.h - exp and log in double-double arithmetic (about 2^-100 relative) from IEEE +, -, *,
 * / only (no libm, no fused multiply-add: the build has -ffp-contract=off), so the constants
 * derived from them (frequencies, slopes, attention factors) are the same bits on every
 * machine. */
#ifndef POSENC_CORE_DD_MATH_H
#define POSENC_CORE_DD_MATH_H

#include "core/double_double.h"

extern const dd DD_LN2, DD_PI, DD_INV_2PI;

/* floor without libm; NaN and infinities pass through */
double dd_floor_exact(double x);

/* e^x: accurate for |x| < 700; beyond the double range inf or 0, NaN for NaN */
dd dd_exp(dd x);

/* 2^x for -1100 < x < 1100, the integer part of x split off exactly (more accurate than
 * dd_exp(x ln 2) far from 0, where ln 2's own error grows with the exponent) */
dd dd_exp2(dd x);

/* ln a for a double: inf for inf, -inf for 0, NaN for NaN and a < 0 */
dd dd_log(double a);

/* ln of a double-double a > 0 (ln hi + lo / hi: the dropped term is below 2^-105) */
dd dd_log_dd(dd a);

/* The double nearest ln a, a^y: what a correctly rounded C library would give (Python's
 * math.log and ** on the values HF computes with). */
double dd_cr_log(double a);
double dd_cr_pow(double a, double y);

#endif
