/* score_gemm.h - the score matrices of `posenc analyze`: S = A B^T through OpenBLAS (sgemm on the
 * rows an implementation produces, dgemm on exact rows), the same product by naive loops (what
 * the tests hold the BLAS path to), and the exact rows the references are made of, from the
 * MPFR oracle.
 *
 * Matrices are row-major and dense: A is m x d, B is n x d, S is m x n. */
#ifndef POSENC_ANALYZE_SCORE_GEMM_H
#define POSENC_ANALYZE_SCORE_GEMM_H

#include <stddef.h>
#include <stdint.h>

#include "posenc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* OpenBLAS's thread count, read and set (the pthread build; another CBLAS: 1 and a no-op). */
int score_gemm_threads(void);
void score_gemm_set_threads(int n);

/* S = A B^T: cblas_sgemm (float accumulation, in whatever order OpenBLAS's kernel takes, so each
 * entry is within gamma_d sum_k |a_k b_k| of the exact sum, gamma_d = d u / (1 - d u),
 * u = 2^-24) and cblas_dgemm (the same with u = 2^-53). */
void score_sgemm(const float *a, const float *b, int m, int n, int d, float *s);
void score_dgemm(const double *a, const double *b, int m, int n, int d, double *s);

/* S = A B^T by three loops in double, in index order; *abs_out (when not NULL, m x n) gets
 * sum_k |a_k b_k|, what the accumulation bounds above are stated in. For float inputs each
 * product is exact in double and the sum is within d 2^-53 of the exact one (relative to
 * sum_k |a_k b_k|): the reference a float GEMM is checked against. */
void score_naive_f(const float *a, const float *b, int m, int n, int d, double *s,
                   double *abs_out);
void score_naive_d(const double *a, const double *b, int m, int n, int d, double *s,
                   double *abs_out);

/* gamma_n = n u / (1 - n u): the bound on the rounding error of a sum of n products, relative
 * to the sum of their magnitudes, in any order of summation (Higham, Accuracy and Stability of
 * Numerical Algorithms, 3.1), u the unit roundoff (2^-24 float, 2^-53 double). */
static inline double score_gamma(int n, double u)
{
    return (double)n * u / (1.0 - (double)n * u);
}

/* The magnitudes the invariance bound is stated in: for each row of x (rows x head_dim) the
 * Euclidean norm of each rotated pair (rotary_dim / 2 of them, paired as `pairing` says:
 * POSENC_PAIR_INTERLEAVED (2i, 2i+1), else (i, i + rotary_dim / 2)), then |x_j| of each element
 * past rotary_dim, which rotary passes through: out is rows x score_groups(...). */
int score_groups(int head_dim, int rotary_dim);
void score_group_norms(const float *x, int rows, int head_dim, int rotary_dim,
                       posenc_pairing pairing, double *out);

/* Exact rotary rows: row t of x (rows x head_dim, doubles) rotated to position p0 + t by the
 * frequencies and attention factor of p (a rotary posenc_params; its dtype, angle mode and
 * max_positions do not count), from the oracle: each pair (a, b) of frequency i becomes
 * f (a cos - b sin, a sin + b cos), cos and sin of (p0 + t) w_i correctly rounded to double and
 * f the attention factor; elements past rotary_dim are copied. M-RoPE frequencies take their
 * position from one axis each; with every axis at the same position (text tokens), as here,
 * that is plain RoPE. Each value is within about 2^-51 (relative to its pair) of the exact
 * rotation. Returns 0, or -1 after a message on stderr for parameters the oracle refuses. */
int score_exact_rotary_rows(const posenc_params *p, int head_dim, const double *x, int rows,
                            int64_t p0, double *out);

/* Exact sinusoidal rows: for position p0 + t, row t holds sin then cos of each frequency of p
 * (a sinusoidal posenc_params, dim values: dim / 2 sines, then dim / 2 cosines; the pairing
 * only permutes a row, which no dot product of two rows sees). Returns 0 or -1 as above. */
int score_exact_sinusoidal_rows(const posenc_params *p, int rows, int64_t p0, double *out);

/* The exact rotary scores of q and k (rows x head_dim each, doubles) at positions p0 .. p0 +
 * rows - 1: S[m][n] = (R(p0 + m) q_m) . (R(p0 + n) k_n) / sqrt(head_dim), rows x rows, from
 * score_exact_rotary_rows and score_dgemm. They depend on m - n only, not on p0. 0 or -1. */
int score_exact_rotary(const posenc_params *p, int head_dim, const double *q, const double *k,
                       int rows, int64_t p0, double *s);

/* The exact sinusoidal similarities PE(p0 + m) . PE(p0 + n) / (dim / 2), rows x rows: the mean
 * of cos((m - n) w_i) over the frequencies. 0 or -1. */
int score_exact_sinusoidal(const posenc_params *p, int rows, int64_t p0, double *s);

#ifdef __cplusplus
}
#endif

#endif
