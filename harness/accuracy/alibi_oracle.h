/* alibi_oracle.h - the MPFR oracle of ALiBi, independent of the library: slopes from their
 * definition (posenc.h, posenc_alibi: 2^(-b h / H), BLOOM's rule when H is not a power of two)
 * and each bias m_h v correctly rounded to float.
 *
 * Method (Ziv's): each slope is held as an interval [lo, hi] of ALIBI_ORACLE_PREC-bit bounds
 * (MPFR's exp2 rounded down and up from the exact exponent); a product m_h v is bounded by
 * directed products of those bounds, and when both bounds round to the same float that float is
 * the correctly rounded m_h v. When they do not (the truth near a midpoint between floats), the
 * slope is recomputed with four times the precision, up to 4096 bits. Slopes that are powers of
 * two are exact, so an exact midpoint rounds to even, as IEEE says.
 *
 * Not thread-safe per oracle (the retry widens the cached bounds); use one per thread. */
#ifndef POSENC_ALIBI_ORACLE_H
#define POSENC_ALIBI_ORACLE_H

#include <stdint.h>

#include <mpfr.h>

#define ALIBI_ORACLE_PREC 160

typedef struct alibi_oracle {
    int32_t heads;  /* H */
    double bias_max; /* b */
    mpfr_prec_t *prec; /* per head: the precision of lo and hi */
    mpfr_t *lo, *hi;   /* per head: lo <= m_h <= hi */
} alibi_oracle;

/* An oracle for H heads (1 .. 65536) and bias_max b (0 < b <= 1e3). 0, or -1 when out of
   memory. */
int alibi_oracle_init(alibi_oracle *o, int32_t heads, double bias_max);
void alibi_oracle_clear(alibi_oracle *o);

/* The exponent e_h of head h (0-based) with m_h = 2^(-b e_h): h + 1 over P for h < P, else
   2 (h - P) + 1 over 2P, P the largest power of two <= H. */
void alibi_oracle_exponent(int32_t heads, int32_t h, int32_t *num, int32_t *den);

/* m_h v (head h 0-based, v >= 0) correctly rounded to float (round to nearest even, subnormals
   included). v = 0 gives +0. */
float alibi_oracle_magnitude(alibi_oracle *o, int32_t h, int64_t v);

/* m_h rounded to nearest at `prec` bits, into out (initialised by the caller to any precision:
   it is set to prec). */
void alibi_oracle_slope(const alibi_oracle *o, int32_t h, mpfr_prec_t prec, mpfr_t out);

/* x rounded to the nearest float (ties to even), subnormals by the 2^-149 grid: what a float
   operation would give for the exact value x. Finite x below 2^128 in magnitude. */
float alibi_oracle_round_float(const mpfr_t x);

#endif
