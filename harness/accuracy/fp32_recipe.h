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
 * inf^e = inf for e > 0, so inv_f is 1, 0, 0, ... (posenc.h, POSENC_ANGLE_FP32). */
#ifndef POSENC_FP32_RECIPE_H
#define POSENC_FP32_RECIPE_H

#include <stddef.h>
#include <stdint.h>

typedef struct fp32_recipe {
    double base;
    double scale;
    int32_t n;
    size_t n_freq; /* n / 2 */
    float *inv_f;  /* n_freq inverse frequencies */
} fp32_recipe;

/* Compute the inverse frequencies. Needs base > 1 (finite as a double; its float may be inf),
 * n >= 2, scale > 0. Returns 0, or
 * -1 on a bad argument or when memory runs out (then *r is zeroed). */
int fp32_recipe_init(fp32_recipe *r, double base, int32_t n, double scale);
void fp32_recipe_free(fp32_recipe *r);

/* fl32((float)p * inv_f[i]). */
float fp32_recipe_angle(const fp32_recipe *r, size_t i, int64_t p);

/* sin and cos of a float angle, each correctly rounded to float (round to nearest even). */
void fp32_recipe_sincos_angle(float angle, float *s, float *c);

/* sin and cos of fp32_recipe_angle(r, i, p). */
void fp32_recipe_sincos(const fp32_recipe *r, size_t i, int64_t p, float *s, float *c);

/* Correctly rounded x^y in float (MPFR), the recipe's powf. */
float fp32_recipe_powf(float x, float y);

#endif
