/* table_dd.h - double-double arithmetic (about 106 bits) for building correctly rounded tables:
 * the exact sums and products a fixed-point phase needs, sin and cos of a double-double angle,
 * and the rounding of a double-double to float. Only IEEE +, -, *, / (the build has
 * -ffp-contract=off, and products are split rather than fused), so every machine gets the same
 * bits. */
#ifndef POSENC_TABLE_DD_H
#define POSENC_TABLE_DD_H

#include <math.h> /* nextafterf, INFINITY */

typedef struct table_dd {
    double hi, lo; /* value = hi + lo, |lo| <= ulp(hi)/2 */
} table_dd;

static inline table_dd table_two_sum(double a, double b)
{
    double s = a + b;
    double bb = s - a;
    return (table_dd){s, (a - (s - bb)) + (b - bb)};
}

static inline table_dd table_fast_two_sum(double a, double b) /* |a| >= |b| or a == 0 */
{
    double s = a + b;
    return (table_dd){s, b - (s - a)};
}

/* Veltkamp split: a = hi + lo with 26 bits each, so products of the halves are exact. */
static inline void table_split(double a, double *hi, double *lo)
{
    double c = 134217729.0 * a; /* 2^27 + 1 */
    *hi = c - (c - a);
    *lo = a - *hi;
}

/* a * b exactly, as a pair (no overflow: |a|, |b| well inside 2^996) */
static inline table_dd table_two_prod(double a, double b)
{
    double p = a * b, ah, al, bh, bl;
    table_split(a, &ah, &al);
    table_split(b, &bh, &bl);
    return (table_dd){p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}

static inline table_dd table_dd_add(table_dd a, table_dd b)
{
    table_dd s = table_two_sum(a.hi, b.hi), t = table_two_sum(a.lo, b.lo);
    s = table_fast_two_sum(s.hi, s.lo + t.hi);
    return table_fast_two_sum(s.hi, s.lo + t.lo);
}

static inline table_dd table_dd_mul(table_dd a, table_dd b)
{
    table_dd p = table_two_prod(a.hi, b.hi);
    return table_fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

/* a / b for a small integer b (exact in double) */
static inline table_dd table_dd_div_d(table_dd a, double b)
{
    double q1 = a.hi / b;
    table_dd r = table_dd_add(a, table_two_prod(-q1, b));
    double q2 = r.hi / b;
    r = table_dd_add(r, table_two_prod(-q2, b));
    return table_dd_add(table_fast_two_sum(q1, q2), (table_dd){r.hi / b, 0.0});
}

/* sin and cos of x, |x| <= pi/4 (plus a little), to about 2^-104: Taylor series to degree
 * 29/30 in Horner form, sin x = x (1 - x^2/(2*3) (1 - x^2/(4*5) (1 - ...))), whose first
 * omitted terms are below 2^-110 on that interval. Slow (a few hundred operations); used only
 * where a double evaluation cannot decide the rounding. */
static inline void table_dd_sincos(table_dd x, table_dd *sin_out, table_dd *cos_out)
{
    const table_dd one = {1.0, 0.0};
    table_dd x2 = table_dd_mul(x, x), ps = one, pc = one;
    for (int k = 29; k >= 3; k -= 2) {
        table_dd t = table_dd_div_d(table_dd_mul(x2, ps), (double)(k * (k - 1)));
        ps = table_dd_add(one, (table_dd){-t.hi, -t.lo});
    }
    for (int k = 30; k >= 2; k -= 2) {
        table_dd t = table_dd_div_d(table_dd_mul(x2, pc), (double)(k * (k - 1)));
        pc = table_dd_add(one, (table_dd){-t.hi, -t.lo});
    }
    *sin_out = table_dd_mul(x, ps);
    *cos_out = pc;
}

/* The float nearest to hi + lo: (float)hi is right unless hi sits exactly on a midpoint between
 * two floats, where the sign of lo decides. */
static inline float table_dd_to_float(table_dd v)
{
    float r = (float)v.hi;
    double err = v.hi - (double)r; /* exact */
    if (err > 0.0 && v.lo > 0.0) {
        float up = nextafterf(r, INFINITY);
        if (v.hi == ((double)r + (double)up) * 0.5)
            r = up;
    } else if (err < 0.0 && v.lo < 0.0) {
        float down = nextafterf(r, -INFINITY);
        if (v.hi == ((double)r + (double)down) * 0.5)
            r = down;
    }
    return r;
}

#endif
