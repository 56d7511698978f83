/* frequencies.c - base^(-2i/n) to about 2^-100 in double-double arithmetic, turned into the
 * fixed-point phase steps of the exact angle mode and the fp32 recipe's inverse frequencies.
 * Only IEEE-exact operations are used (no libm, no fused multiply-add: the build has
 * -ffp-contract=off), so the constants are the same bits on every machine. */
#include "frequencies.h"

#include "core/double_double.h"

#include <float.h>
#include <math.h> /* ldexp, nextafterf, INFINITY, NAN: exact operations and constants */
#include <stddef.h>


static double floor_exact(double x) /* floor without libm; NaN and infinities pass through */
{
    if (!(x < 4503599627370496.0 && x > -4503599627370496.0))
        return x; /* already an integer, or not a number: never converted to int64_t (UB) */
    double t = (double)(int64_t)x;
    return t > x ? t - 1.0 : t;
}

static const dd LN2 = {0x1.62e42fefa39efp-1, 0x1.abc9e3b39803fp-56};
static const dd INV_2PI = {0x1.45f306dc9c883p-3, -0x1.6b01ec5417056p-57};

/* e^x: x = k ln2 + r, e^r from a Taylor series at r/512, squared 9 times. Accurate for
 * |x| < 700; beyond the double range it gives inf or 0, and NaN for NaN, so that no caller can
 * feed an out-of-range k to the conversions below. */
static dd dd_exp(dd x)
{
    if (x.hi != x.hi)
        return x;
    if (x.hi > 710.0)
        return (dd){INFINITY, 0.0};
    if (x.hi < -750.0)
        return (dd){0.0, 0.0};
    double k = floor_exact(x.hi / LN2.hi + 0.5);
    dd r = dd_add(x, dd_mul_d(LN2, -k));
    r = dd_mul_d(r, 1.0 / 512.0);               /* |r| < 7e-4 */
    dd term = r, sum = r;                        /* e^r - 1, to keep the small part exact */
    for (int j = 2; j <= 12; j++) {
        term = dd_div_d(dd_mul(term, r), (double)j);
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
static dd dd_log(double a)
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
    dd y = dd_add(dd_mul_d(LN2, (double)e), (dd){m - 1.0 - 0.5 * (m - 1.0) * (m - 1.0), 0.0});
    for (int it = 0; it < 8; it++) { /* y += a e^-y - 1: quadratic, from |error| < 0.1 */
        dd ey = dd_exp((dd){-y.hi, -y.lo});
        y = dd_add(y, dd_add(dd_mul_d(ey, a), (dd){-1.0, 0.0}));
    }
    return y;
}

/* posenc_turn_steps, and with residuals != NULL posenc_turn_steps_fine */
static void turn_steps(double base, int32_t n, int32_t count, double scale, uint64_t *steps,
                       double *residuals)
{
    dd log_base = dd_log(base);
    for (int32_t i = 0; i < count; i++) {
        dd w = dd_exp(dd_div_d(dd_mul_d(log_base, -2.0 * (double)i), (double)n));
        dd f = dd_mul(dd_div_d(w, scale), INV_2PI);    /* turns per position */
        f = dd_add(f, (dd){-floor_exact(f.hi), 0.0});   /* only the fraction of a turn counts */
        if (f.hi < 0.0)
            f = dd_add(f, (dd){1.0, 0.0});
        double a = ldexp(f.hi, 64), b = ldexp(f.lo, 64);
        double ai = floor_exact(a);                     /* integer part of the high word */
        double rest = floor_exact((a - ai) + b + 0.5);  /* rounds the small remainder */
        uint64_t whole = ai >= 0x1p63 ? (uint64_t)(int64_t)(ai - 0x1p63) + (UINT64_C(1) << 63)
                                      : (uint64_t)(int64_t)ai;
        steps[i] = whole + (uint64_t)(int64_t)rest;     /* wraps mod 2^64: mod one turn */
        if (residuals) {
            /* (a - ai) + b - rest: the pair holds the sum exactly and its high part lies
               within about 1/2 of the integer rest, so the difference loses at most 2^-54 */
            dd frac = dd_two_sum(a - ai, b);
            residuals[i] = (frac.hi - rest) + frac.lo;
        }
    }
}

void posenc_turn_steps(double base, int32_t n, int32_t count, double scale, uint64_t *steps)
{
    turn_steps(base, n, count, scale, steps, NULL);
}

void posenc_turn_steps_fine(double base, int32_t n, int32_t count, double scale,
                            uint64_t *steps, double *residuals)
{
    turn_steps(base, n, count, scale, steps, residuals);
}

/* The correctly rounded powf(b, e) for the recipe's operands: b = (float)base in [1, inf] and
 * e = (float)(2i) / (float)n in [0, 1). pow's own special cases come first, as C's powf (and
 * MPFR) define them: b^0 = 1 for every b, inf^e = inf for e > 0. A base above FLT_MAX rounds to
 * inf in float, and the recipe's frequencies are then 1 (i = 0) and 1/inf = 0 (i > 0). Otherwise
 * b^e = e^(e ln b) to about 2^-100, rounded once: b^e <= b <= FLT_MAX, so it never overflows. */
static float recipe_powf(float b, dd log_b, float e)
{
    if (e == 0.0f)
        return 1.0f;
    if (b > FLT_MAX)
        return INFINITY;
    return dd_to_float(dd_exp(dd_mul_d(log_b, (double)e)));
}

void posenc_fp32_inv_freqs(double base, int32_t n, int32_t count, double scale, float *inv)
{
    float b = (float)base; /* the recipe's base: rounds to inf above FLT_MAX (+ half an ulp) */
    dd log_b = b > FLT_MAX ? (dd){INFINITY, 0.0} : dd_log((double)b);
    for (int32_t i = 0; i < count; i++) {
        float e = (float)(2 * i) / (float)n;
        float v = 1.0f / recipe_powf(b, log_b, e);
        inv[i] = scale != 1.0 ? v / (float)scale : v;
    }
}
