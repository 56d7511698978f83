/* table_dd.h - sin and cos of a double-double angle to about 2^-104, for building correctly
 * rounded tables (the arithmetic itself is impls/core/double_double.h). */
#ifndef POSENC_TABLE_DD_H
#define POSENC_TABLE_DD_H

#include "core/double_double.h"

/* sin and cos of x, |x| <= pi/4 (plus a little), to about 2^-104: Taylor series to degree
 * 29/30 in Horner form, sin x = x (1 - x^2/(2*3) (1 - x^2/(4*5) (1 - ...))), whose first
 * omitted terms are below 2^-110 on that interval. Slow (a few hundred operations); used only
 * where a double evaluation cannot decide the rounding. */
static inline void table_dd_sincos(dd x, dd *sin_out, dd *cos_out)
{
    const dd one = {1.0, 0.0};
    dd x2 = dd_mul(x, x), ps = one, pc = one;
    for (int k = 29; k >= 3; k -= 2) {
        dd t = dd_div_d(dd_mul(x2, ps), (double)(k * (k - 1)));
        ps = dd_add(one, (dd){-t.hi, -t.lo});
    }
    for (int k = 30; k >= 2; k -= 2) {
        dd t = dd_div_d(dd_mul(x2, pc), (double)(k * (k - 1)));
        pc = dd_add(one, (dd){-t.hi, -t.lo});
    }
    *sin_out = dd_mul(x, ps);
    *cos_out = pc;
}

#endif
