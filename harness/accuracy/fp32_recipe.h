/* fp32_recipe.h - an independent reference for the library's fp32 angle mode: the common recipe
 * (fp32 inverse frequency, fp32 product) with every transcendental step done in MPFR, so the
 * tests can demand the library's fp32 mode bit for bit. Uses nothing of the library.
 *
 * The recipe, with fl32() a rounding to float and CR_powf a correctly rounded float pow:
 *     inv_f[i] = fl32(1.0f / CR_powf((float)base, fl32((float)(2i) / (float)n)))
 *     inv_f[i] = fl32(inv_f[i] / (float)scale)            only when scale != 1
 *     angle    = fl32((float)p * inv_f[i])                 (float)p rounds to nearest even
 *     sin, cos = sin(angle), cos(angle) correctly rounded to float
 * n is dim for sinusoidal encodings and rotary_dim for rotary ones. (float)base is inf for
 * bases above FLT_MAX (+ half an ulp): CR_powf then follows pow's special cases, inf^0 = 1 and
 * inf^e = inf for e > 0, so inv_f is 1, 0, 0, ... (posenc.h, POSENC_ANGLE_FP32).
 *
 * Variants (fp32_recipe_init_params) follow POSENC_ANGLE_FP32's steps of each scaling type from
 * HF's code, every float operation rounded once, with HF's double scalars (ntk/dynamic base',
 * yarn's low and high, llama3's wavelength limits, the attention factor) as oracle.h computes
 * them; with pw = CR_powf(b, e), e = (float)(2i) / (float)n:
 *     NONE, NTK, DYNAMIC  inv = 1.0f / pw              (b = (float)base' for ntk, dynamic)
 *     LINEAR              inv = (1.0f / pw) / (float)factor
 *     YARN                ex = 1.0f / pw, in = 1.0f / ((float)factor * pw),
 *                         r = clamp(((float)i - (float)low) / (float)(high - low), 0, 1),
 *                         f = 1.0f - r, inv = in * (1.0f - f) + ex * f
 *     LLAMA3              wl = (1.0f / inv) * (float)(2 pi): inv below (float)(L0 / hff),
 *                         inv / (float)factor above (float)(L0 / lff), else with
 *                         t = ((1.0f / wl) * (float)L0 - (float)lff) / (float)(hff - lff):
 *                         ((1.0f - t) * inv) / (float)factor + t * inv
 *     LONGROPE            inv = 1.0f / ((float)f_i * pw)
 * then the angle as above (for M-RoPE, p is the frequency's axis position: oracle_mrope_axis)
 * and sin, cos each times (float)attention_factor, rounded once, when that is not 1.
 *
 * The half-precision recipes (fp32_recipe_set_angle; posenc.h, POSENC_ANGLE_BF16 and _FP16)
 * change only the angle, each rounding done by MPFR at the narrow type's precision and exponent
 * range (subnormals by mpfr_subnormalize), not by bit manipulation:
 *     BF16  angle = bf16(fl32((float)p * inv_f[i]))       8 bits, float's exponent range
 *     FP16  angle = fp16(fp16((float)p) * fp16(inv_f[i]))  11 bits, binary16's range: the
 *           product of the two binary16 values taken exactly, then rounded once to binary16
 *           (65520 and above to inf; fp32_recipe_angle is then inf or NaN) */
#ifndef POSENC_FP32_RECIPE_H
#define POSENC_FP32_RECIPE_H

#include <stddef.h>
#include <stdint.h>

/* Which recipe forms the angle. */
typedef enum fp32_recipe_angle_kind {
    FP32_RECIPE_FP32 = 0,
    FP32_RECIPE_BF16 = 1,
    FP32_RECIPE_FP16 = 2
} fp32_recipe_angle_kind;

typedef struct fp32_recipe {
    double base;
    double scale;
    int32_t n;
    size_t n_freq; /* n / 2 */
    float *inv_f;  /* n_freq inverse frequencies */
    float attention_f; /* (float) of the attention factor; 1 for fp32_recipe_init */
    fp32_recipe_angle_kind angle; /* FP32_RECIPE_FP32 after init */
} fp32_recipe;

/* Compute the inverse frequencies. Needs base > 1 (finite as a double; its float may be inf),
 * n >= 2, scale > 0. Returns 0, or
 * -1 on a bad argument or when memory runs out (then *r is zeroed). */
int fp32_recipe_init(fp32_recipe *r, double base, int32_t n, double scale);
/* The recipe of a variant: rotary or sinusoidal params with any scaling type (defaults as
 * posenc.h gives them). Returns 0, or -1 for what oracle_variant_init refuses, a base whose
 * double is not finite, or when memory runs out (then *r is zeroed). */
struct posenc_params;
int fp32_recipe_init_params(fp32_recipe *r, const struct posenc_params *p);
void fp32_recipe_free(fp32_recipe *r);

/* Choose the recipe of the angle (inv_f stays the fp32 recipe's). */
void fp32_recipe_set_angle(fp32_recipe *r, fp32_recipe_angle_kind angle);

/* x rounded to nearest even at bfloat16's (prec 8) or binary16's (prec 11, subnormals, inf from
 * 65520) precision and range, as a float. */
float fp32_recipe_round_bf16(float x);
float fp32_recipe_round_fp16(float x);

/* fl32((float)p * inv_f[i]), or the half recipe's angle (above). */
float fp32_recipe_angle(const fp32_recipe *r, size_t i, int64_t p);

/* sin and cos of a float angle, each correctly rounded to float (round to nearest even). */
void fp32_recipe_sincos_angle(float angle, float *s, float *c);

/* sin and cos of fp32_recipe_angle(r, i, p), each times attention_f (rounded once) when that
 * is not 1: what an encode row of the variant holds. */
void fp32_recipe_sincos(const fp32_recipe *r, size_t i, int64_t p, float *s, float *c);

/* Correctly rounded x^y in float (MPFR), the recipe's powf. */
float fp32_recipe_powf(float x, float y);

#endif
