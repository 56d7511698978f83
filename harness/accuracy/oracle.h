/* oracle.h - the MPFR accuracy oracle: sin and cos of p * base^(-2i/n) / scale, computed at
 * high precision and rounded to double, for the tests and `posenc accuracy`.
 *
 * Precision. w_i = base^(-2i/n) / scale is held with ORACLE_PREC (192) bits, so its relative
 * error is below 2^-190. The angle p * w_i is formed exactly (ORACLE_PREC + 64 bits hold the
 * product of a 192-bit w and a 63-bit p), so for p < 2^31 the angle is within 2^-159 of the
 * true p * w_i: more than 150 bits after the binary point. MPFR then rounds sin and cos of that
 * angle correctly to double. The double results are within 2^-53 (relative) of the truth,
 * which is 2^-29 u when errors are measured in u = 2^-24: the oracle's own error never shows.
 *
 * Cost. One oracle_sincos is an MPFR sin_cos, about 3 us on a 2020s x86 core (10-20x more under
 * qemu). oracle_sincos_run walks consecutive positions by exact rotation in 192-bit arithmetic,
 * about 10x cheaper per position. oracle_table_build evaluates a positions x frequencies grid
 * once, on several threads, so that many implementations can be checked against one table.
 *
 * Thread safety: every function is safe to call from several threads on distinct outputs; an
 * oracle_freq is read-only after oracle_freq_init. */
#ifndef POSENC_ORACLE_H
#define POSENC_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include <mpfr.h>

#define ORACLE_PREC 192

/* One frequency w = base^(-2i/n) / scale. */
typedef struct oracle_freq {
    mpfr_t w;       /* ORACLE_PREC bits */
    double w_d;     /* w rounded to double, for choosing positions (zeros of sin, ...) */
    double base;
    double scale;
    int32_t n;
    int32_t i;
} oracle_freq;

/* Compute w = base^(-2i/n) / scale. Needs base > 1, n >= 2, 0 <= i < n/2, scale > 0 (scale is
 * the linear scaling factor: angle = (p / scale) * base^(-2i/n)). The exponent -2i/n is formed
 * with 2 * ORACLE_PREC bits and the power and quotient are rounded to ORACLE_PREC bits. */
void oracle_freq_init(oracle_freq *f, double base, int32_t n, int32_t i, double scale);
void oracle_freq_clear(oracle_freq *f);

/* sin(p * w) and cos(p * w), each correctly rounded to double from the exact product of p and
 * the ORACLE_PREC-bit w. 0 <= p < 2^62. */
void oracle_sincos(const oracle_freq *f, int64_t p, double *s, double *c);

/* s[k], c[k] = sin and cos of (p0 + k) * w for k < count. Starts exactly at p0 and every
 * ORACLE_RUN_ANCHOR positions; in between it rotates by w in ORACLE_PREC-bit arithmetic,
 * which keeps the values within 2^-170 of the truth, so the doubles are those of oracle_sincos
 * unless the truth lies within 2^-170 of a rounding boundary. */
#define ORACLE_RUN_ANCHOR 512
void oracle_sincos_run(const oracle_freq *f, int64_t p0, size_t count, double *s, double *c);

/* sin and cos of positions x frequency indices, for one (base, n, scale). */
typedef struct oracle_table {
    double base;
    double scale;
    int32_t n;
    size_t n_pos;
    size_t n_idx;
    int64_t *pos;   /* copy of the positions, in the caller's order */
    int32_t *idx;   /* copy of the frequency indices */
    double *w;      /* w[j]: frequency idx[j] rounded to double */
    double *s;      /* s[k * n_idx + j] = sin(pos[k] * w_idx[j]) */
    double *c;      /* c[k * n_idx + j] = cos(pos[k] * w_idx[j]) */
    int32_t *col;   /* col[i] = j with idx[j] == i, or -1; for i < n/2 */
} oracle_table;

/* Evaluate the table. Runs of consecutive positions (pos[k+1] == pos[k] + 1) use
 * oracle_sincos_run. threads <= 0 means oracle_default_threads(). Returns 0, or -1 when memory
 * runs out or an argument is out of range (then *t is zeroed). Indices may repeat. */
int oracle_table_build(oracle_table *t, double base, int32_t n, double scale, const int64_t *pos,
                       size_t n_pos, const int32_t *idx, size_t n_idx, int threads);
void oracle_table_free(oracle_table *t);

/* Position k's sin / cos of frequency index i, which must be in the table (col[i] >= 0). */
static inline double oracle_table_sin(const oracle_table *t, size_t k, int32_t i)
{
    return t->s[k * t->n_idx + (size_t)t->col[i]];
}
static inline double oracle_table_cos(const oracle_table *t, size_t k, int32_t i)
{
    return t->c[k * t->n_idx + (size_t)t->col[i]];
}

/* Threads for oracle_table_build: POSENC_ORACLE_THREADS if set (1..64), else the online CPUs
 * (at most 16); 1 when this MPFR is not built thread-safe. */
int oracle_default_threads(void);

/* Free MPFR's caches of the calling thread (constants such as pi), so leak checkers stay quiet. */
void oracle_cleanup(void);

#endif
