/* fmt_time.c - report_fmt_time: times as three significant digits and a unit (fmt_time.h). */
#include "fmt_time.h"

#include <math.h>
#include <stdio.h>

const char *report_fmt_time(char *buf, size_t n, double ns)
{
    static const char *const units[] = {"ns", "us", "ms", "s"};
    if (!n)
        return buf;
    if (!isfinite(ns) || ns < 0) {
        snprintf(buf, n, "-");
        return buf;
    }
    double v = ns;
    int u = 0;
    /* 999.5 rounds to 1000 at three digits: that is the next unit's 1.00 */
    while (u < 3 && v >= 999.5) {
        v /= 1e3;
        u++;
    }
    if ((u == 0 && v < 0.995 && v > 0) || v >= 1e6)
        snprintf(buf, n, "%.3g %s", v, units[u]); /* 0.25 ns, 1.2e+07 s: digits, not padding */
    else
        snprintf(buf, n, "%.*f %s", v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v, units[u]);
    return buf;
}
