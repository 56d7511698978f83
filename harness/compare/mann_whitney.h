/* mann_whitney.h - the Mann-Whitney U test (Wilcoxon rank-sum), two-sided, on two samples of
 * timings: does one tend to be larger than the other? `posenc compare` asks it of the
 * repetitions of a case in two runs, because timings are skewed and have outliers, so a test on
 * ranks is safer than one on means.
 *
 * p-value semantics: p is the probability, if both samples came from one distribution, of a U
 * at least as far from its mean n1*n2/2 as the one observed, in either direction. It is
 * min(1, 2 * P(U <= min(U1, U2))), so p = 1 when the samples look alike and small when one lies
 * mostly above the other. How it is computed:
 * - exact: both samples hold at most MW_EXACT_MAX values and no value is shared (no ties): P is
 *   counted over the C(n1 + n2, n1) equally likely orderings of the pooled values;
 * - normal: otherwise (larger samples, or ties, which the exact count does not cover): U is taken
 *   as normal with mean n1*n2/2 and the tie-corrected variance
 *   n1*n2/12 * ((n + 1) - sum(t^3 - t) / (n * (n - 1))) (n = n1 + n2, t the size of each group
 *   of equal values), and |U - mean| is shortened by a continuity correction of 1/2. When every
 *   value is equal the variance is 0 and p = 1.
 * With few values p cannot be small, however far apart the samples are: 3 against 3 gives at
 * least 0.1. mann_whitney_min_p says how small p can get for given sizes. */
#ifndef POSENC_MANN_WHITNEY_H
#define POSENC_MANN_WHITNEY_H

#include <stddef.h>

#define MW_EXACT_MAX 20 /* largest sample the exact distribution is used for */

typedef enum mw_method {
    MW_EXACT,   /* the exact distribution of U */
    MW_NORMAL   /* the normal approximation, tie and continuity corrected */
} mw_method;

typedef struct mw_result {
    double u;           /* U of x: pairs (x_i, y_j) with x_i > y_j, plus half the equal pairs;
                           U of y is nx * ny - u */
    double z;           /* MW_NORMAL: the corrected standard score, >= 0; MW_EXACT: 0 */
    double p;           /* the two-sided p-value, in (0, 1] */
    mw_method method;
    int ties;           /* 1 when some value occurs more than once in the pooled sample */
} mw_result;

/* Test x[0, nx) against y[0, ny). Returns 0 with *out filled, or -1 (out untouched) when a
 * sample is empty or holds a NaN. Swapping x and y gives the same p and the other U. */
int mann_whitney(const double *x, size_t nx, const double *y, size_t ny, mw_result *out);

/* The smallest p mann_whitney can return for samples of nx and ny values without ties, reached
 * when every x is below every y: 2 / C(nx + ny, nx) up to MW_EXACT_MAX values a side, the normal
 * approximation's p for U = 0 beyond. 1 when a size is 0. If it exceeds the significance level,
 * no outcome of the test can be significant. */
double mann_whitney_min_p(size_t nx, size_t ny);

#endif
