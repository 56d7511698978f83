/* frequencies.h - the one description of a plan's frequencies: each variant (posenc.h,
 * posenc_scaling_type) derived once, here, into what the angle modes consume:
 *   - exact mode: the real frequency w_i of the definition, to about 2^-100 (relative) in
 *     double-double, turned into 64-bit fixed-point phase steps (and, for correctly rounded
 *     tables, the bits the steps drop);
 *   - fp32 mode: the HF float32 recipe's inverse frequencies, operation by operation;
 *   - the attention factor that multiplies cos and sin.
 * Backends never derive a variant themselves: they read the plan's steps, inverse frequencies
 * and attention factor. Only IEEE-exact operations are used (core/dd_math.h), so every machine
 * derives the same bits. Every function takes parameters resolved by posenc_resolve_params. */
#ifndef POSENC_CORE_FREQUENCIES_H
#define POSENC_CORE_FREQUENCIES_H

#include <stdint.h>

#include "core/double_double.h"
#include "posenc.h"

/* Frequencies a plan of these parameters has: rotary_dim / 2 (rotary) or dim / 2 (sinusoidal). */
int32_t posenc_freq_count(const posenc_params *p);

/* w[i], i < posenc_freq_count(p): the variant's frequency in radians per position. */
void posenc_exact_frequencies(const posenc_params *p, dd *w);

/* Exact mode's phase steps: steps[i] = round(frac(w[i] / (2 pi)) * 2^64), the phase advance per
 * position as a 64-bit fraction of a turn. The phase of position p is then p * step mod 2^64
 * with an error below p * 2^-65 turn (2^-34 turn at p = 2^31). With residuals != NULL, also
 * the bits below the step the rounding dropped: residuals[i] = frac(w[i] / (2 pi)) * 2^64 -
 * steps[i] (before the wrap to 0), |residuals[i]| <= 1/2, so that p * steps[i] + p *
 * residuals[i] (mod 2^64) is the phase to about p * 2^-100 turn: what a correctly rounded
 * table needs. */
void posenc_turn_steps(const dd *w, int32_t count, uint64_t *steps, double *residuals);

/* fp32 mode: inv[i], the recipe's inverse frequencies (posenc.h, POSENC_ANGLE_FP32). */
void posenc_fp32_inv_freqs(const posenc_params *p, float *inv);

/* The attention factor of the variant: 1 unless yarn or longrope, as the double HF computes. */
double posenc_attention_factor(const posenc_params *p);

/* Steps (and residuals) of base^(-2i/n) / scale, i < count: a rotary plan with linear scaling.
 * For tests and tools that probe the derivation without a plan. */
void posenc_turn_steps_linear(double base, int32_t n, int32_t count, double scale,
                              uint64_t *steps, double *residuals);

/* The fp32 recipe's inverse frequencies of base^(-2i/n) / scale (linear scaling), i < count. */
void posenc_fp32_inv_freqs_linear(double base, int32_t n, int32_t count, double scale,
                                  float *inv);

#endif
