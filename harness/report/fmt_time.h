/* fmt_time.h - the one way every report (summary.md, report.html, speed-targets.txt) writes a
 * time: three significant digits in the largest unit that keeps the number at least 1. */
#ifndef POSENC_FMT_TIME_H
#define POSENC_FMT_TIME_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text report_fmt_time writes, its terminating NUL included. */
#define REPORT_TIME_MAX 16

/* Writes ns nanoseconds into buf as three significant digits and an ASCII unit, "0.25 ns",
 * "812 ns", "1.25 us", "10.6 ms", "3.20 s" (ASCII so fixed-width text tables stay aligned),
 * and returns buf. The unit is chosen after rounding, so 999.7 ns reads "1.00 us", never
 * "1e+03 ns"; seconds are the largest unit ("4200 s", "1.2e+07 s"). A value that is not a time (NaN, an
 * infinity, negative) reads "-"; the HTML writer shows its own dash for those. */
const char *report_fmt_time(char *buf, size_t n, double ns);

#ifdef __cplusplus
}
#endif

#endif
