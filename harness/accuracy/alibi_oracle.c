/* alibi_oracle.c - ALiBi's slopes and biases from their definition in MPFR (alibi_oracle.h). */
#include "alibi_oracle.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_PREC 4096

void alibi_oracle_exponent(int32_t heads, int32_t h, int32_t *num, int32_t *den)
{
    int32_t P = 1;
    while (P * 2 <= heads)
        P *= 2;
    if (h < P) {
        *num = h + 1;
        *den = P;
    } else {
        *num = 2 * (h - P) + 1;
        *den = 2 * P;
    }
}

/* m_h = 2^(-b num / den) rounded in direction rnd at out's precision; the exponent is exact
   (53 + 17 bits of b num, and a division by a power of two) */
static void slope(const alibi_oracle *o, int32_t h, mpfr_t out, mpfr_rnd_t rnd)
{
    int32_t num, den;
    alibi_oracle_exponent(o->heads, h, &num, &den);
    mpfr_t x;
    mpfr_init2(x, 128);
    mpfr_set_d(x, o->bias_max, MPFR_RNDN);
    mpfr_mul_si(x, x, num, MPFR_RNDN); /* exact */
    mpfr_div_si(x, x, den, MPFR_RNDN); /* exact: den is a power of two */
    mpfr_neg(x, x, MPFR_RNDN);
    mpfr_exp2(out, x, rnd);
    mpfr_clear(x);
}

static void set_bounds(alibi_oracle *o, int32_t h, mpfr_prec_t prec)
{
    o->prec[h] = prec;
    mpfr_set_prec(o->lo[h], prec);
    mpfr_set_prec(o->hi[h], prec);
    slope(o, h, o->lo[h], MPFR_RNDD);
    slope(o, h, o->hi[h], MPFR_RNDU);
}

int alibi_oracle_init(alibi_oracle *o, int32_t heads, double bias_max)
{
    o->heads = heads;
    o->bias_max = bias_max;
    o->prec = malloc((size_t)heads * sizeof *o->prec);
    o->lo = malloc((size_t)heads * sizeof *o->lo);
    o->hi = malloc((size_t)heads * sizeof *o->hi);
    if (!o->prec || !o->lo || !o->hi) {
        free(o->prec);
        free(o->lo);
        free(o->hi);
        return -1;
    }
    for (int32_t h = 0; h < heads; h++) {
        mpfr_init2(o->lo[h], ALIBI_ORACLE_PREC);
        mpfr_init2(o->hi[h], ALIBI_ORACLE_PREC);
        set_bounds(o, h, ALIBI_ORACLE_PREC);
    }
    return 0;
}

void alibi_oracle_clear(alibi_oracle *o)
{
    for (int32_t h = 0; h < o->heads; h++) {
        mpfr_clear(o->lo[h]);
        mpfr_clear(o->hi[h]);
    }
    free(o->prec);
    free(o->lo);
    free(o->hi);
}

void alibi_oracle_slope(const alibi_oracle *o, int32_t h, mpfr_prec_t prec, mpfr_t out)
{
    mpfr_set_prec(out, prec);
    slope(o, h, out, MPFR_RNDN);
}

float alibi_oracle_round_float(const mpfr_t x)
{
    if (mpfr_zero_p(x))
        return mpfr_signbit(x) ? -0.0f : 0.0f;
    mpfr_t r;
    mpfr_init2(r, mpfr_get_prec(x) + 160);
    float f;
    if (mpfr_get_exp(x) <= -126) { /* |x| < 2^-126 */
        /* below the normal range: the nearest multiple of 2^-149, ties to even */
        mpfr_mul_2si(r, x, 149, MPFR_RNDN); /* exact */
        mpfr_rint(r, r, MPFR_RNDN);
        mpfr_div_2si(r, r, 149, MPFR_RNDN);
        f = mpfr_get_flt(r, MPFR_RNDN); /* exact: a float */
        if (f == 0.0f && mpfr_signbit(x))
            f = -0.0f;
    } else {
        mpfr_set_prec(r, 24);
        mpfr_set(r, x, MPFR_RNDN); /* 24 bits, ties to even */
        f = mpfr_get_flt(r, MPFR_RNDN); /* exact */
    }
    mpfr_clear(r);
    return f;
}

float alibi_oracle_magnitude(alibi_oracle *o, int32_t h, int64_t v)
{
    if (v == 0)
        return 0.0f;
    for (;;) {
        mpfr_prec_t p = o->prec[h] + 64;
        mpfr_t a, b;
        mpfr_init2(a, p);
        mpfr_init2(b, p);
        mpfr_mul_si(a, o->lo[h], (long)v, MPFR_RNDD); /* exact at this precision */
        mpfr_mul_si(b, o->hi[h], (long)v, MPFR_RNDU);
        float fa = alibi_oracle_round_float(a), fb = alibi_oracle_round_float(b);
        mpfr_clear(a);
        mpfr_clear(b);
        if (fa == fb)
            return fa;
        if (o->prec[h] >= MAX_PREC) {
            fprintf(stderr, "alibi_oracle: head %d, v %lld: no decision at %ld bits\n", (int)h,
                    (long long)v, (long)o->prec[h]);
            abort();
        }
        set_bounds(o, h, o->prec[h] * 4);
    }
}
