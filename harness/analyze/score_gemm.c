/* score_gemm.c - the score matrices of score_gemm.h: OpenBLAS products, their naive loops, and
 * the exact rows of the references from the oracle. */
#include "score_gemm.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_util.h"
#include "oracle.h"

/* OpenBLAS's own entry points (its cblas.h declares them too; declared here so that the file
 * also builds against another CBLAS header that lacks them). */
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);

int score_gemm_threads(void)
{
    return openblas_get_num_threads();
}

void score_gemm_set_threads(int n)
{
    openblas_set_num_threads(n);
}

void score_sgemm(const float *a, const float *b, int m, int n, int d, float *s)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1.0f, a, d, b, d, 0.0f, s, n);
}

void score_dgemm(const double *a, const double *b, int m, int n, int d, double *s)
{
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, 1.0, a, d, b, d, 0.0, s, n);
}

/* Each product of two floats is exact in double: widening first changes nothing. */
void score_naive_f(const float *a, const float *b, int m, int n, int d, double *s,
                   double *abs_out)
{
    double *ad = harness_xmalloc(((size_t)m + n) * d * sizeof *ad), *bd = ad + (size_t)m * d;
    for (size_t i = 0; i < (size_t)m * d; i++)
        ad[i] = a[i];
    for (size_t i = 0; i < (size_t)n * d; i++)
        bd[i] = b[i];
    score_naive_d(ad, bd, m, n, d, s, abs_out);
    free(ad);
}

void score_naive_d(const double *a, const double *b, int m, int n, int d, double *s,
                   double *abs_out)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double sum = 0, mag = 0;
            for (int k = 0; k < d; k++) {
                double p = a[(size_t)i * d + k] * b[(size_t)j * d + k];
                sum += p;
                mag += fabs(p);
            }
            s[(size_t)i * n + j] = sum;
            if (abs_out)
                abs_out[(size_t)i * n + j] = mag;
        }
}

int score_groups(int head_dim, int rotary_dim)
{
    return rotary_dim / 2 + (head_dim - rotary_dim);
}

/* The two elements of pair i of a head: interleaved (2i, 2i+1), else half-split (i, i + r/2). */
static void pair_index(posenc_pairing pairing, int rotary_dim, int i, int *j0, int *j1)
{
    if (pairing == POSENC_PAIR_INTERLEAVED) {
        *j0 = 2 * i;
        *j1 = 2 * i + 1;
    } else {
        *j0 = i;
        *j1 = i + rotary_dim / 2;
    }
}

void score_group_norms(const float *x, int rows, int head_dim, int rotary_dim,
                       posenc_pairing pairing, double *out)
{
    const int half = rotary_dim / 2, g = score_groups(head_dim, rotary_dim);
    for (int t = 0; t < rows; t++) {
        const float *row = x + (size_t)t * head_dim;
        double *o = out + (size_t)t * g;
        for (int i = 0; i < half; i++) {
            int j0, j1;
            pair_index(pairing, rotary_dim, i, &j0, &j1);
            o[i] = hypot((double)row[j0], (double)row[j1]);
        }
        for (int j = rotary_dim; j < head_dim; j++)
            o[half + j - rotary_dim] = fabs((double)row[j]);
    }
}

/* sin and cos of (p0 + t) w_i for t < rows, times the attention factor, for each frequency i <
 * n_freqs of p: s[i * rows + t], c[i * rows + t]. */
static int exact_sincos(const posenc_params *p, int n_freqs, int rows, int64_t p0, double *s,
                        double *c)
{
    for (int i = 0; i < n_freqs; i++) {
        oracle_freq f;
        if (oracle_freq_init_params(&f, p, i)) {
            fprintf(stderr, "analyze: the oracle refuses the parameters of this %s setting\n",
                    posenc_kind_name(p->kind));
            return -1;
        }
        double *si = s + (size_t)i * rows, *ci = c + (size_t)i * rows;
        oracle_sincos_run(&f, p0, (size_t)rows, si, ci);
        if (f.attention != 1.0)
            for (int t = 0; t < rows; t++) {
                si[t] *= f.attention;
                ci[t] *= f.attention;
            }
        oracle_freq_clear(&f);
    }
    return 0;
}

int score_exact_rotary_rows(const posenc_params *p, int head_dim, const double *x, int rows,
                            int64_t p0, double *out)
{
    const int rd = p->rotary_dim ? p->rotary_dim : p->dim, half = rd / 2;
    double *s = harness_xmalloc(2 * (size_t)half * rows * sizeof *s), *c = s + (size_t)half * rows;
    if (exact_sincos(p, half, rows, p0, s, c)) {
        free(s);
        return -1;
    }
    for (int t = 0; t < rows; t++) {
        const double *xr = x + (size_t)t * head_dim;
        double *o = out + (size_t)t * head_dim;
        memcpy(o, xr, (size_t)head_dim * sizeof *o); /* the part past rotary_dim */
        for (int i = 0; i < half; i++) {
            int j0, j1;
            pair_index(p->pairing, rd, i, &j0, &j1);
            const double ct = c[(size_t)i * rows + t], st = s[(size_t)i * rows + t];
            o[j0] = xr[j0] * ct - xr[j1] * st;
            o[j1] = xr[j0] * st + xr[j1] * ct;
        }
    }
    free(s);
    return 0;
}

int score_exact_sinusoidal_rows(const posenc_params *p, int rows, int64_t p0, double *out)
{
    const int half = p->dim / 2;
    double *s = harness_xmalloc(2 * (size_t)half * rows * sizeof *s), *c = s + (size_t)half * rows;
    if (exact_sincos(p, half, rows, p0, s, c)) {
        free(s);
        return -1;
    }
    for (int t = 0; t < rows; t++)
        for (int i = 0; i < half; i++) {
            out[(size_t)t * p->dim + i] = s[(size_t)i * rows + t];
            out[(size_t)t * p->dim + half + i] = c[(size_t)i * rows + t];
        }
    free(s);
    return 0;
}

int score_exact_rotary(const posenc_params *p, int head_dim, const double *q, const double *k,
                       int rows, int64_t p0, double *s)
{
    const size_t n = (size_t)rows * head_dim;
    double *rq = harness_xmalloc(2 * n * sizeof *rq), *rk = rq + n;
    int rc = score_exact_rotary_rows(p, head_dim, q, rows, p0, rq);
    if (!rc)
        rc = score_exact_rotary_rows(p, head_dim, k, rows, p0, rk);
    if (!rc) {
        score_dgemm(rq, rk, rows, rows, head_dim, s);
        const double scale = 1.0 / sqrt((double)head_dim);
        for (size_t e = 0; e < (size_t)rows * rows; e++)
            s[e] *= scale;
    }
    free(rq);
    return rc;
}

int score_exact_sinusoidal(const posenc_params *p, int rows, int64_t p0, double *s)
{
    double *e = harness_xmalloc((size_t)rows * p->dim * sizeof *e);
    int rc = score_exact_sinusoidal_rows(p, rows, p0, e);
    if (!rc) {
        score_dgemm(e, e, rows, rows, p->dim, s);
        const double scale = 2.0 / (double)p->dim;
        for (size_t i = 0; i < (size_t)rows * rows; i++)
            s[i] *= scale;
    }
    free(e);
    return rc;
}
