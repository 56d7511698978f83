/* median.c - the median of a sample (median.h). */
#include "median.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness_util.h"

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, w = *(const double *)b;
    return (u > w) - (u < w);
}

double harness_median(const double *v, size_t n)
{
    if (!n)
        return NAN;
    double *s = harness_xmalloc(n * sizeof *s);
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}
