/* double_double.h - double-double arithmetic (about 106 bits) from IEEE double operations only,
 * so under -ffp-contract=off every machine gets the same bits: for constants computed once per
 * plan (phase steps, inverse frequencies, table entries). */
#ifndef POSENC_CORE_DOUBLE_DOUBLE_H
#define POSENC_CORE_DOUBLE_DOUBLE_H

#include <math.h> /* nextafterf, INFINITY: exact operations */

typedef struct dd {
    double hi, lo; /* value = hi + lo, |lo| <= ulp(hi)/2 */
} dd;

static inline dd dd_two_sum(double a, double b)
{
    double s = a + b;
    double bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}

static inline dd dd_fast_two_sum(double a, double b) /* |a| >= |b| */
{
    double s = a + b;
    return (dd){s, b - (s - a)};
}

/* Veltkamp split: a = hi + lo with 26 bits each, so hi*hi etc. are exact. */
static inline void dd_split(double a, double *hi, double *lo)
{
    double c = 134217729.0 * a; /* 2^27 + 1 */
    *hi = c - (c - a);
    *lo = a - *hi;
}

static inline dd dd_two_prod(double a, double b)
{
    double p = a * b, ah, al, bh, bl;
    dd_split(a, &ah, &al);
    dd_split(b, &bh, &bl);
    return (dd){p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}

static inline dd dd_add(dd a, dd b)
{
    dd s = dd_two_sum(a.hi, b.hi), t = dd_two_sum(a.lo, b.lo);
    s = dd_fast_two_sum(s.hi, s.lo + t.hi);
    return dd_fast_two_sum(s.hi, s.lo + t.lo);
}

static inline dd dd_mul(dd a, dd b)
{
    dd p = dd_two_prod(a.hi, b.hi);
    return dd_fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

static inline dd dd_mul_d(dd a, double b) { return dd_mul(a, (dd){b, 0.0}); }

static inline dd dd_div(dd a, dd b)
{
    double q1 = a.hi / b.hi;
    dd r = dd_add(a, dd_mul_d(b, -q1));
    double q2 = r.hi / b.hi;
    r = dd_add(r, dd_mul_d(b, -q2));
    double q3 = r.hi / b.hi;
    return dd_add(dd_fast_two_sum(q1, q2), (dd){q3, 0.0});
}

static inline dd dd_div_d(dd a, double b) { return dd_div(a, (dd){b, 0.0}); }

/* Round a double-double to the nearest float: (float)hi is right unless hi sits exactly on a
 * midpoint between two floats, where the sign of lo decides. */
static inline float dd_to_float(dd v)
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
