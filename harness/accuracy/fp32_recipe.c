/* fp32_recipe.c - the fp32 recipe's reference: float arithmetic where the recipe uses float,
 * MPFR (correctly rounded) where it calls pow, sin and cos. */
#include "fp32_recipe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "oracle.h" /* oracle_variant: the double scalars HF computes in Python */

/* MPFR's default exponent range is far wider than float's, so a 24-bit MPFR result equals the
 * float mpfr_get_flt returns as long as it is zero, infinite or a normal float. Every value here
 * is: pow lies in [1, (float)base] (inf when (float)base is inf: MPFR's pow has C's special
 * cases, inf^0 = 1 and inf^y = inf for y > 0), and sin, cos of a float angle (0 or normal) are
 * 0, 1 or far above 2^-126 (no float lies within 2^-60 or so of a multiple of pi/2). */

float fp32_recipe_powf(float x, float y)
{
    mpfr_t mx, my, mz;
    mpfr_init2(mx, 24);
    mpfr_init2(my, 24);
    mpfr_init2(mz, 24);
    mpfr_set_flt(mx, x, MPFR_RNDN); /* exact */
    mpfr_set_flt(my, y, MPFR_RNDN); /* exact */
    /* a 24-bit destination makes MPFR round the exact power once, to nearest even: the
       correctly rounded powf (no double rounding through a wider intermediate) */
    mpfr_pow(mz, mx, my, MPFR_RNDN);
    float z = mpfr_get_flt(mz, MPFR_RNDN);
    mpfr_clears(mx, my, mz, (mpfr_ptr)0);
    return z;
}

int fp32_recipe_init(fp32_recipe *r, double base, int32_t n, double scale)
{
    memset(r, 0, sizeof *r);
    if (!(base > 1.0) || !isfinite(base) || n < 2 || !(scale > 0.0) || !isfinite(scale))
        return -1;
    r->base = base;
    r->scale = scale;
    r->attention_f = 1.0f;
    r->n = n;
    r->n_freq = (size_t)(n / 2);
    r->inv_f = malloc(r->n_freq * sizeof *r->inv_f);
    if (!r->inv_f) {
        memset(r, 0, sizeof *r);
        return -1;
    }
    /* volatile keeps each step a separately rounded float operation whatever the compiler's
       evaluation method */
    for (size_t i = 0; i < r->n_freq; i++) {
        volatile float e = (float)(int32_t)(2 * i) / (float)n;
        volatile float pw = fp32_recipe_powf((float)base, e);
        volatile float inv = 1.0f / pw;
        if (scale != 1.0)
            inv = inv / (float)scale;
        r->inv_f[i] = inv;
    }
    return 0;
}

static float clamp01(float x) { return x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }

int fp32_recipe_init_params(fp32_recipe *r, const posenc_params *p)
{
    memset(r, 0, sizeof *r);
    oracle_variant v;
    if (oracle_variant_init(&v, p) || !isfinite(v.base_scaled))
        return -1;
    const posenc_scaling *sc = &v.p.scaling;
    int32_t n = v.n;
    r->base = v.p.base;
    r->scale = sc->factor;
    r->n = n;
    r->n_freq = (size_t)(n / 2);
    r->attention_f = (float)v.attention;
    r->inv_f = malloc(r->n_freq * sizeof *r->inv_f);
    if (!r->inv_f) {
        memset(r, 0, sizeof *r);
        return -1;
    }
    const float b = (float)v.base_scaled, factor = (float)sc->factor;
    for (size_t i = 0; i < r->n_freq; i++) {
        volatile float e = (float)(int32_t)(2 * i) / (float)n;
        volatile float pw = fp32_recipe_powf(b, e);
        volatile float inv = 1.0f / pw;
        switch (sc->type) {
        case POSENC_SCALING_LINEAR:
            inv = inv / factor;
            break;
        case POSENC_SCALING_YARN: {
            volatile float ex = 1.0f / pw;
            volatile float fp = factor * pw;
            volatile float in = 1.0f / fp;
            volatile float num = (float)(int32_t)i - (float)v.yarn_low;
            volatile float q = num / (float)(v.yarn_high - v.yarn_low);
            volatile float ramp = clamp01(q);
            volatile float f = 1.0f - ramp;
            volatile float g = 1.0f - f;
            volatile float a = in * g, c = ex * f;
            inv = a + c;
            break;
        }
        case POSENC_SCALING_LLAMA3: {
            volatile float rec = 1.0f / inv;
            volatile float wl = rec * (float)(2.0 * 3.141592653589793);
            if (wl < (float)v.llama_high_wl)
                break;
            if (wl > (float)v.llama_low_wl) {
                inv = inv / factor;
                break;
            }
            volatile float rwl = 1.0f / wl;
            volatile float ratio = rwl * (float)sc->original_max_positions;
            volatile float num = ratio - (float)sc->low_freq_factor;
            volatile float t = num / (float)(sc->high_freq_factor - sc->low_freq_factor);
            volatile float one_t = 1.0f - t;
            volatile float lo = one_t * inv;
            volatile float lo_f = lo / factor;
            volatile float hi = t * inv;
            inv = lo_f + hi;
            break;
        }
        case POSENC_SCALING_LONGROPE: {
            volatile float fp = (float)v.longrope_f[i] * pw;
            inv = 1.0f / fp;
            break;
        }
        default: /* none, ntk, dynamic: b carries the scaling */
            break;
        }
        r->inv_f[i] = inv;
    }
    return 0;
}

void fp32_recipe_free(fp32_recipe *r)
{
    free(r->inv_f);
    memset(r, 0, sizeof *r);
}

void fp32_recipe_set_angle(fp32_recipe *r, fp32_recipe_angle_kind angle) { r->angle = angle; }

/* mpfr_t m (precision prec) rounded into the exponent range [emin, emax] with IEEE's gradual
 * underflow (the MPFR manual's recipe: set the range, check it, subnormalize), then read back as
 * a float: exact, since bfloat16 and binary16 values are floats. emin is the exponent (MPFR's
 * convention, x = 0.1b... 2^e) of the smallest subnormal. */
static float round_narrow(const mpfr_t x, mpfr_prec_t prec, mpfr_exp_t emin, mpfr_exp_t emax)
{
    mpfr_exp_t old_min = mpfr_get_emin(), old_max = mpfr_get_emax();
    mpfr_t m;
    mpfr_init2(m, prec);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    int t = mpfr_set(m, x, MPFR_RNDN);
    t = mpfr_check_range(m, t, MPFR_RNDN);
    mpfr_subnormalize(m, t, MPFR_RNDN);
    mpfr_set_emin(old_min);
    mpfr_set_emax(old_max);
    float f = mpfr_get_flt(m, MPFR_RNDN);
    mpfr_clear(m);
    return f;
}

/* bfloat16: 8 bits; smallest subnormal 2^-133 = 0.1b 2^-132, largest finite below 2^128. */
static float bf16_of(const mpfr_t x) { return round_narrow(x, 8, -132, 128); }
/* binary16: 11 bits; smallest subnormal 2^-24 = 0.1b 2^-23, largest finite 65504 < 2^16. */
static float fp16_of(const mpfr_t x) { return round_narrow(x, 11, -23, 16); }

static float round_flt(float x, float (*of)(const mpfr_t))
{
    mpfr_t m;
    mpfr_init2(m, 24);
    mpfr_set_flt(m, x, MPFR_RNDN); /* exact */
    float f = of(m);
    mpfr_clear(m);
    return f;
}

float fp32_recipe_round_bf16(float x) { return round_flt(x, bf16_of); }
float fp32_recipe_round_fp16(float x) { return round_flt(x, fp16_of); }

float fp32_recipe_angle(const fp32_recipe *r, size_t i, int64_t p)
{
    volatile float fp = (float)p; /* int64 -> float: round to nearest even */
    if (r->angle == FP32_RECIPE_FP16) {
        /* the binary16 multiply: exact product of the two binary16 operands, rounded once */
        mpfr_t ph, ih, prod;
        mpfr_inits2(64, ph, ih, prod, (mpfr_ptr)0);
        mpfr_set_flt(ph, fp32_recipe_round_fp16(fp), MPFR_RNDN);
        mpfr_set_flt(ih, fp32_recipe_round_fp16(r->inv_f[i]), MPFR_RNDN);
        mpfr_mul(prod, ph, ih, MPFR_RNDN); /* 11 x 11 bits (or inf, NaN): exact in 64 */
        float a = mpfr_nan_p(prod) ? NAN : fp16_of(prod);
        mpfr_clears(ph, ih, prod, (mpfr_ptr)0);
        return a;
    }
    volatile float a = fp * r->inv_f[i];
    if (r->angle == FP32_RECIPE_BF16)
        return fp32_recipe_round_bf16(a);
    return a;
}

void fp32_recipe_sincos_angle(float angle, float *s, float *c)
{
    mpfr_t a, ms, mc;
    mpfr_init2(a, 24);
    mpfr_init2(ms, 24);
    mpfr_init2(mc, 24);
    mpfr_set_flt(a, angle, MPFR_RNDN); /* exact */
    mpfr_sin_cos(ms, mc, a, MPFR_RNDN); /* both correctly rounded to 24 bits */
    *s = mpfr_get_flt(ms, MPFR_RNDN);
    *c = mpfr_get_flt(mc, MPFR_RNDN);
    mpfr_clears(a, ms, mc, (mpfr_ptr)0);
}

void fp32_recipe_sincos(const fp32_recipe *r, size_t i, int64_t p, float *s, float *c)
{
    fp32_recipe_sincos_angle(fp32_recipe_angle(r, i, p), s, c);
    if (r->attention_f != 1.0f) {
        volatile float ms = *s * r->attention_f, mc = *c * r->attention_f;
        *s = ms;
        *c = mc;
    }
}
