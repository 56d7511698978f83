/* frequencies.h - per-frequency constants of the two angle modes, computed once per plan. */
#ifndef POSENC_CORE_FREQUENCIES_H
#define POSENC_CORE_FREQUENCIES_H

#include <stdint.h>

/* Exact mode: steps[i] for i < count, the phase advance per position of frequency w_i = base^(-2i/n) / scale, as a
 * 64-bit fraction of a turn: round(frac(w_i / (2 pi)) * 2^64). The phase of position p is then
 * p * step mod 2^64 with an error below p * 2^-65 turn (2^-34 turn at p = 2^31).
 * Computed in double-double arithmetic (about 2^-100 relative) with only IEEE +, -, *, /, so
 * every machine gets the same bits. Needs 1 < base < 1e300, count <= n/2, scale > 0. */
void posenc_turn_steps(double base, int32_t n, int32_t count, double scale, uint64_t *steps);

/* posenc_turn_steps, plus the bits below the step that the rounding to 64 bits dropped:
 * residuals[i] = frac(w_i / (2 pi)) * 2^64 - steps[i] (taken before the wrap to 0), in units of
 * 2^-64 turn, |residuals[i]| <= 1/2. steps[i] + residuals[i] is then the phase advance to about
 * 2^-100 turn, and p * steps[i] + p * residuals[i] (mod 2^64) the phase of position p to about
 * p * 2^-100 turn: what a correctly rounded table needs. */
void posenc_turn_steps_fine(double base, int32_t n, int32_t count, double scale,
                            uint64_t *steps, double *residuals);

/* fp32 mode: inv[i] for i < count, the common recipe's inverse frequency, 1.0f / powf(base, (float)(2i) / (float)n),
 * divided by (float)scale when scale != 1, with the powf correctly rounded (so the value does
 * not depend on the machine's libm). */
void posenc_fp32_inv_freqs(double base, int32_t n, int32_t count, double scale, float *inv);

#endif
