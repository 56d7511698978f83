/* mann_whitney.c - the U statistic from mid-ranks, its exact distribution for small samples
 * without ties, and the tie-corrected normal approximation otherwise (mann_whitney.h). */
#include "mann_whitney.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct pooled {
    double v;
    int from_x;
} pooled;

static int by_value(const void *a, const void *b)
{
    double u = ((const pooled *)a)->v, w = ((const pooled *)b)->v;
    return (u > w) - (u < w);
}

/* The number of orderings of nx x's and ny y's with U = u, for every u in [0, nx * ny], into
 * count[]: the coefficients of the Gaussian binomial [nx + ny choose k]_q (k = min(nx, ny)),
 * built as prod_{i=1..k} (1 - q^(n-k+i)) / (1 - q^i). After step i the polynomial is
 * [n-k+i choose i]_q, whose coefficients are at most C(40, 20) < 2^38, so int64 is exact. */
static void exact_counts(size_t nx, size_t ny, int64_t *count)
{
    size_t n = nx + ny, k = nx < ny ? nx : ny, deg = 0;
    for (size_t u = 0; u <= nx * ny + n; u++)
        count[u] = 0;
    count[0] = 1;
    for (size_t i = 1; i <= k; i++) {
        size_t m = n - k + i;
        /* times (1 - q^m): downwards, so count[u - m] is still the old coefficient */
        for (size_t u = deg + m; u >= m; u--)
            count[u] -= count[u - m];
        deg += m;
        /* over (1 - q^i), exact: a running sum with stride i */
        for (size_t u = i; u <= deg; u++)
            count[u] += count[u - i];
        deg -= i;
    }
}

static double normal_two_sided(double dev, double var, double *z)
{
    /* continuity correction: U moves in steps of 1/2 or 1, the normal curve does not */
    double d = fabs(dev) - 0.5;
    if (var <= 0 || d <= 0) {
        *z = 0;
        return 1;
    }
    *z = d / sqrt(var);
    return erfc(*z / sqrt(2.0));
}

int mann_whitney(const double *x, size_t nx, const double *y, size_t ny, mw_result *out)
{
    if (!nx || !ny)
        return -1;
    size_t n = nx + ny;
    pooled *all = malloc(n * sizeof *all);
    if (!all)
        return -1;
    for (size_t i = 0; i < n; i++) {
        double v = i < nx ? x[i] : y[i - nx];
        if (isnan(v)) {
            free(all);
            return -1;
        }
        all[i] = (pooled){v, i < nx};
    }
    qsort(all, n, sizeof *all, by_value);
    /* mid-ranks: a run of t equal values shares the mean of the ranks it spans */
    double rank_sum_x = 0, tie_term = 0;
    int ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && all[j].v == all[i].v)
            j++;
        double t = (double)(j - i), mid = (double)(i + 1 + j) / 2;
        for (size_t q = i; q < j; q++)
            if (all[q].from_x)
                rank_sum_x += mid;
        if (j - i > 1) {
            ties = 1;
            tie_term += t * t * t - t;
        }
        i = j;
    }
    free(all);

    double fx = (double)nx, fy = (double)ny, fn = (double)n;
    mw_result r = {.u = rank_sum_x - fx * (fx + 1) / 2, .ties = ties};
    if (!ties && nx <= MW_EXACT_MAX && ny <= MW_EXACT_MAX) {
        int64_t count[MW_EXACT_MAX * MW_EXACT_MAX + 2 * MW_EXACT_MAX + 1];
        exact_counts(nx, ny, count);
        /* without ties U is a whole number; the distribution is symmetric about nx*ny/2 */
        size_t u_low = (size_t)fmin(r.u, fx * fy - r.u);
        double below = 0, total = 0;
        for (size_t u = 0; u <= nx * ny; u++) {
            total += (double)count[u];
            if (u <= u_low)
                below += (double)count[u];
        }
        r.method = MW_EXACT;
        r.p = fmin(1.0, 2 * below / total);
    } else {
        double var = fx * fy / 12 * ((fn + 1) - tie_term / (fn * (fn - 1)));
        r.method = MW_NORMAL;
        r.p = normal_two_sided(r.u - fx * fy / 2, var, &r.z);
    }
    *out = r;
    return 0;
}

double mann_whitney_min_p(size_t nx, size_t ny)
{
    if (!nx || !ny)
        return 1;
    double fx = (double)nx, fy = (double)ny;
    if (nx <= MW_EXACT_MAX && ny <= MW_EXACT_MAX) {
        /* one ordering in C(nx + ny, nx) puts every x below every y, one every x above */
        size_t k = nx < ny ? nx : ny, n = nx + ny;
        double orderings = 1;
        for (size_t i = 1; i <= k; i++)
            orderings = orderings * (double)(n - k + i) / (double)i;
        return fmin(1.0, 2 / orderings);
    }
    double z;
    return normal_two_sided(fx * fy / 2, fx * fy * (fx + fy + 1) / 12, &z);
}
