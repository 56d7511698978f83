/* dd_math.c - exp and log in double-double arithmetic (dd_math.h). */
#include "core/dd_math.h"

#include <float.h>
#include <math.h> /* ldexp, INFINITY, NAN: exact operations and constants */
#include <stdint.h>

const dd DD_LN2 = {0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56};
const dd DD_PI = {0x1.921fb54442d18p+1, 0x1.1a62633145c07p-53};
const dd DD_INV_2PI = {0x1.45f306dc9c883p-3, -0x1.6b01ec5417056p-57};

double dd_floor_exact(double x) /* floor without libm; NaN and infinities pass through */
{
    if (!(x < 4503599627370496.0 && x > -4503599627370496.0))
        return x; /* already an integer, or not a number: never converted to int64_t (UB) */
    double t = (double)(int64_t)x;
    return t > x ? t - 1.0 : t;
}


/* 1/j for j = 2 .. 12 as double-doubles: multiplying by them costs a fraction of a division */
static const dd INV_INT[11] = {
    {0x1.0000000000000p-1, 0x0.0p+0}, /* 1/2 */
    {0x1.5555555555555p-2, 0x1.5555555555555p-56}, /* 1/3 */
    {0x1.0000000000000p-2, 0x0.0p+0}, /* 1/4 */
    {0x1.999999999999ap-3, -0x1.999999999999ap-57}, /* 1/5 */
    {0x1.5555555555555p-3, 0x1.5555555555555p-57}, /* 1/6 */
    {0x1.2492492492492p-3, 0x1.2492492492492p-57}, /* 1/7 */
    {0x1.0000000000000p-3, 0x0.0p+0}, /* 1/8 */
    {0x1.c71c71c71c71cp-4, 0x1.c71c71c71c71cp-58}, /* 1/9 */
    {0x1.999999999999ap-4, -0x1.999999999999ap-58}, /* 1/10 */
    {0x1.745d1745d1746p-4, -0x1.745d1745d1746p-59}, /* 1/11 */
    {0x1.5555555555555p-4, 0x1.5555555555555p-58}, /* 1/12 */
};

/* e^x: x = k ln2 + r, e^r from a Taylor series at r/512, squared 9 times. Accurate for
 * |x| < 700; beyond the double range it gives inf or 0, and NaN for NaN, so that no caller can
 * feed an out-of-range k to the conversions below. */
dd dd_exp(dd x)
{
    if (x.hi != x.hi)
        return x;
    if (x.hi > 710.0)
        return (dd){INFINITY, 0.0};
    if (x.hi < -750.0)
        return (dd){0.0, 0.0};
    double k = dd_floor_exact(x.hi / DD_LN2.hi + 0.5);
    dd r = dd_add(x, dd_mul_d(DD_LN2, -k));
    r = dd_mul_d(r, 1.0 / 512.0);               /* |r| < 7e-4 */
    dd term = r, sum = r;                        /* e^r - 1, to keep the small part exact */
    for (int j = 2; j <= 12; j++) {              /* r^j / j!: the last is below 2^-140 of r */
        term = dd_mul(dd_mul(term, r), INV_INT[j - 2]);
        sum = dd_add(sum, term);
    }
    for (int j = 0; j < 9; j++)                  /* e^(2r) - 1 = (e^r - 1)(e^r + 1) */
        sum = dd_mul(sum, dd_add(sum, (dd){2.0, 0.0}));
    dd e = dd_add(sum, (dd){1.0, 0.0});
    return (dd){ldexp(e.hi, (int)k), ldexp(e.lo, (int)k)}; /* exact scaling by 2^k */
}

/* ln a for finite a > 0: Newton's method on e^y = a from a crude start. The scaling loops
 * below end only for a finite, nonzero a (inf * 0.5 stays inf, 0 * 2 stays 0), so anything else
 * is answered first, as log answers it: inf for inf, -inf for 0, NaN for NaN and a < 0. */
dd dd_log(double a)
{
    if (a != a || a < 0.0)
        return (dd){NAN, 0.0};
    if (a == 0.0)
        return (dd){-INFINITY, 0.0};
    if (a > DBL_MAX)
        return (dd){INFINITY, 0.0};
    int e = 0;
    double m = a;
    while (m >= 2.0) { m *= 0.5; e++; }
    while (m < 1.0) { m *= 2.0; e--; }
    dd y = dd_add(dd_mul_d(DD_LN2, (double)e), (dd){m - 1.0 - 0.5 * (m - 1.0) * (m - 1.0), 0.0});
    for (int it = 0; it < 8; it++) { /* y += a e^-y - 1: quadratic, from |error| < 0.1 */
        dd ey = dd_exp((dd){-y.hi, -y.lo});
        y = dd_add(y, dd_add(dd_mul_d(ey, a), (dd){-1.0, 0.0}));
    }
    return y;
}

dd dd_log_dd(dd a)
{
    dd l = dd_log(a.hi);
    return a.hi > 0.0 && a.hi <= DBL_MAX ? dd_add(l, (dd){a.lo / a.hi, 0.0}) : l;
}

double dd_cr_log(double a) { return dd_log(a).hi; }

double dd_cr_pow(double a, double y)
{
    if (y == 0.0 || a == 1.0)
        return 1.0;
    return dd_exp(dd_mul_d(dd_log(a), y)).hi;
}

/* Nearest integer to x, |x| < 2^52, ties away from zero: conversions only, so exact. */
static double nearest_integer(double x)
{
    return (double)(int64_t)(x + (x >= 0.0 ? 0.5 : -0.5));
}

/* 2^x for a double-double -1100 < x < 1100 (the callers need -1000 .. 1000): x = n + f with n
 * an integer and |f| <= 1/2 (exact), 2^f = e^(f ln 2) from its Taylor series (|f ln 2| < 0.35:
 * 26 terms reach below 2^-110), then 2^n by ldexp, which is exact unless the result is
 * subnormal. About 2^-100 relative: every term costs a few units of 2^-106. */
dd dd_exp2(dd x)
{
    double n = nearest_integer(x.hi);
    dd f = dd_two_sum(x.hi - n, x.lo); /* x.hi - n is exact: n is within 1/2 of x.hi */
    dd r = dd_mul(f, DD_LN2);
    dd sum = {1.0, 0.0};
    for (int j = 26; j >= 1; j--) /* Horner: 1 + r/1 (1 + r/2 (1 + ... (1 + r/26))) */
        sum = dd_add((dd){1.0, 0.0}, dd_div_d(dd_mul(sum, r), (double)j));
    return (dd){ldexp(sum.hi, (int)n), ldexp(sum.lo, (int)n)};
}
