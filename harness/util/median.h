/* median.h - the median of a sample, as the run records and compare's verdicts take it. */
#ifndef POSENC_MEDIAN_H
#define POSENC_MEDIAN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The middle value of v[0..n), or the mean of the two middle ones when n is even (Google
 * Benchmark's median aggregate takes the same); NaN when n is 0, the harness's "does not apply"
 * (null in JSON). v is left as it is. */
double harness_median(const double *v, size_t n);

#ifdef __cplusplus
}
#endif

#endif
