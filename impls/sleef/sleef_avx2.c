/* sleef_avx2.c - the SLEEF AVX2 backends: impls/simd/kernels.h with SLEEF's Sleef_sincosf8_u10avx2
 * and Sleef_sincosf8_u35avx2 as the sin/cos (sinusoidal and rotary; explicit-only). */
#include <math.h> /* before sleef.h, whose FP_FAST_FMA would otherwise clash with glibc's */

#include "x86/vec_avx2.h"

#include <sleef.h>

#include "simd/kernel_names.h"
#include "sleef/sleef_phase.h"

/* The 2 pi (int32)t / 2^32 of sleef_phase.h on 8 lanes: each half converted to double exactly,
   scaled in double, rounded once to float. */
static inline vf sleef_angle_of_turns(vi t)
{
    const __m256d k = _mm256_set1_pd(SLEEF_RAD_PER_TURN32);
    __m256d lo = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(t)), k);
    __m256d hi = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(t, 1)), k);
    return _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo));
}

/* SLEEF's "avx2" functions are its AVX2 + FMA3 build: they need FMA at run time too. */
#define SLEEF_ISA avx2
#define SLEEF_ISA_DESC "AVX2+FMA"
#define SLEEF_ISA_FEATURES (POSENC_CPU_AVX | POSENC_CPU_AVX2 | POSENC_CPU_FMA)
#define SLEEF_FN_LANES 8
#define SLEEF_FN_ISA avx2
#define SLEEF_FN_RESULT Sleef___m256_2

#define SLEEF_ACC u10 /* SLEEF's 1.0-ULP sincosf */
#include "sleef/sleef_phase.h"
#define SLEEF_ACC u35 /* SLEEF's 3.5-ULP sincosf */
#include "sleef/sleef_phase.h"
