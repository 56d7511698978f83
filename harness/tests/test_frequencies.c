/* test_frequencies.c - the per-plan constants against MPFR: the exact mode's 64-bit phase steps
 * must be the correctly rounded fraction of a turn, the fp32 recipe's powf correctly rounded,
 * over common bases and the ends of the accepted range. */
#include <float.h>
#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h> /* alarm */

#include "check.h"
#include "core/frequencies.h"
#include "posenc.h"

/* round(frac(base^(-2i/n) / (2 pi scale)) * 2^64) mod 2^64, at 320 bits */
static uint64_t mpfr_turn_step(double base, int n, int i, double scale)
{
    mpfr_t w, t, pi;
    mpfr_inits2(320, w, t, pi, (mpfr_ptr)0);
    mpfr_set_si(t, -2 * i, MPFR_RNDN);
    mpfr_div_si(t, t, n, MPFR_RNDN);
    mpfr_set_d(w, base, MPFR_RNDN);
    mpfr_pow(w, w, t, MPFR_RNDN);
    mpfr_div_d(w, w, scale, MPFR_RNDN);
    mpfr_const_pi(pi, MPFR_RNDN);
    mpfr_mul_ui(pi, pi, 2, MPFR_RNDN);
    mpfr_div(w, w, pi, MPFR_RNDN);
    mpfr_frac(w, w, MPFR_RNDN);
    mpfr_mul_2ui(w, w, 64, MPFR_RNDN);
    mpfr_rint(w, w, MPFR_RNDN);
    /* w in [0, 2^64]: take it apart in two 32-bit halves */
    mpfr_div_2ui(t, w, 32, MPFR_RNDN);
    mpfr_floor(t, t);
    uint64_t hi = mpfr_get_ui(t, MPFR_RNDN);
    mpfr_mul_2ui(t, t, 32, MPFR_RNDN);
    mpfr_sub(t, w, t, MPFR_RNDN);
    uint64_t lo = mpfr_get_ui(t, MPFR_RNDN);
    mpfr_clears(w, t, pi, (mpfr_ptr)0);
    return (hi << 32) + lo;
}

static float mpfr_recipe_inv_freq(double base, int n, int i, double scale)
{
    mpfr_t x, e;
    mpfr_inits2(320, x, e, (mpfr_ptr)0);
    mpfr_set_d(x, (double)(float)base, MPFR_RNDN);
    mpfr_set_flt(e, (float)(2 * i) / (float)n, MPFR_RNDN);
    mpfr_pow(x, x, e, MPFR_RNDN);
    float p = mpfr_get_flt(x, MPFR_RNDN);
    mpfr_clears(x, e, (mpfr_ptr)0);
    float v = 1.0f / p;
    return scale != 1.0 ? v / (float)scale : v;
}

int main(void)
{
    /* SIGALRM's default action ends the program: a hang (a base whose float is inf once made
       dd_log spin) fails instead of stalling ctest */
    alarm(600);
    /* common bases, then the ends of the accepted range: just above 1 (1.0f in the fp32
       recipe), FLT_MAX, the first double whose float is inf (a tie rounding to even), 1e39 and
       1e300, where the recipe's inverse frequencies are 1, 0, 0, ... */
    const double bases[] = {10000.0, 500000.0, 1000000.0, 1.5, 3.0e7, nextafter(1.0, 2.0),
                            1.0001, (double)FLT_MAX, (double)FLT_MAX + ldexp(1.0, 103), 1e39,
                            1e300};
    static const int dims[] = {2, 64, 80, 96, 128, 256, 512, 768, 1024, 4096, 8192};
    static const double scales[] = {1.0, 4.0, 0.5, 3.0};
    uint64_t *steps = malloc(4096 * sizeof *steps);
    float *inv = malloc(4096 * sizeof *inv);
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
        for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++)
            for (size_t s = 0; s < sizeof scales / sizeof scales[0]; s++) {
                int n = dims[d], count = n / 2;
                if (s > 0 && n > 256)
                    continue; /* scaling is one division: a few dims cover it */
                posenc_turn_steps_linear(bases[b], n, count, scales[s], steps, NULL);
                posenc_fp32_inv_freqs_linear(bases[b], n, count, scales[s], inv);
                int bad_steps = 0, bad_inv = 0;
                for (int i = 0; i < count; i++) {
                    uint64_t want = mpfr_turn_step(bases[b], n, i, scales[s]);
                    if (steps[i] != want && bad_steps++ < 3)
                        CHECK(0, "base %g n %d i %d scale %g: step %llx, MPFR %llx", bases[b], n,
                              i, scales[s], (unsigned long long)steps[i],
                              (unsigned long long)want);
                    float want_inv = mpfr_recipe_inv_freq(bases[b], n, i, scales[s]);
                    if (inv[i] != want_inv && bad_inv++ < 3)
                        CHECK(0, "base %g n %d i %d scale %g: inv_freq %a, MPFR recipe %a",
                              bases[b], n, i, scales[s], inv[i], want_inv);
                }
                CHECK(bad_steps == 0, "base %g n %d scale %g: %d phase steps differ", bases[b], n,
                      scales[s], bad_steps);
                CHECK(bad_inv == 0, "base %g n %d scale %g: %d inverse frequencies differ",
                      bases[b], n, scales[s], bad_inv);
            }
    free(steps);
    free(inv);
    return tests_exit_code("test_frequencies");
}
