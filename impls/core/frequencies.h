/* frequencies.h - per-frequency constants of the two angle modes, computed once per plan. */
#ifndef POSENC_CORE_FREQUENCIES_H
#define POSENC_CORE_FREQUENCIES_H

#include <stdint.h>

/* Exact mode: steps[i] for i < count, the phase advance per position of frequency
 * w_i = base^(-2i/n) / scale, as a 64-bit fraction of a turn: round(frac(w_i / (2 pi)) * 2^64).
 * The phase of position p is then p * step mod 2^64 with an error below p * 2^-65 turn
 * (2^-34 turn at p = 2^31).
 * Computed in double-double arithmetic (about 2^-100 relative) with only IEEE +, -, *, /, so
 * every machine gets the same bits. Needs 1 < base <= 1e300 (what validate.c accepts),
 * count <= n/2, scale > 0. */
void posenc_turn_steps(double base, int32_t n, int32_t count, double scale, uint64_t *steps);

/* posenc_turn_steps, plus the bits below the step that the rounding to 64 bits dropped:
 * residuals[i] = frac(w_i / (2 pi)) * 2^64 - steps[i] (taken before the wrap to 0), in units of
 * 2^-64 turn, |residuals[i]| <= 1/2. steps[i] + residuals[i] is then the phase advance to about
 * 2^-100 turn, and p * steps[i] + p * residuals[i] (mod 2^64) the phase of position p to about
 * p * 2^-100 turn: what a correctly rounded table needs. */
void posenc_turn_steps_fine(double base, int32_t n, int32_t count, double scale,
                            uint64_t *steps, double *residuals);

/* fp32 mode: inv[i] for i < count, the common recipe's inverse frequency in float operations,
 *     b = (float)base, e = (float)(2i) / (float)n, inv[i] = 1.0f / CR_powf(b, e),
 *     then inv[i] = inv[i] / (float)scale when scale != 1,
 * with CR_powf the correctly rounded powf (so the value does not depend on the machine's libm).
 * For base > FLT_MAX (+ half an ulp), b is inf: inv is 1 for i = 0 and 0 for the rest, as
 * powf(inf, 0) = 1 and powf(inf, e > 0) = inf. Needs base >= 1 (any double up to 1e300 and
 * beyond: never loops), count <= n/2, scale > 0. */
void posenc_fp32_inv_freqs(double base, int32_t n, int32_t count, double scale, float *inv);

#endif
