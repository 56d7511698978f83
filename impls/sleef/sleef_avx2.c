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

/* SLEEF's "avx2" functions are its AVX2 + FMA3 build: they need FMA at run time too. The algorithm
   names the ISA: in fp32 mode SLEEF's bits depend on the vector width (sleef_phase.h), and
   test_bitwise then finds no portable twin and leaves these to the oracle tests. */
#define SLEEF_AVX2_FEATURES (POSENC_CPU_AVX | POSENC_CPU_AVX2 | POSENC_CPU_FMA)

/* ---- u10: SLEEF's 1.0-ULP sincosf -------------------------------------------------------- */

#define ISA_SUFFIX sleef_u10_avx2
#define ISA_NAME "sleef-u10-avx2"
#define ISA_DESC "AVX2+FMA"
#define ISA_METHOD                                                                     \
    "exact 64-bit phase or the fp32 recipe's angle, then " SLEEF_VERSION_STRING            \
    " Sleef_sincosf8_u10avx2"
#define ISA_FEATURES SLEEF_AVX2_FEATURES
#define ISA_ALGORITHM "sleef-u10-avx2"
#define ISA_FLAGS (POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_APPROX_SINCOS)
#define ISA_BOUND_SINUSOIDAL SLEEF_U10_BOUND_SINUSOIDAL
#define ISA_BOUND_ROTARY SLEEF_U10_BOUND_ROTARY
#define SIMD_NO_LEARNED
#define SLEEF_SINCOSF(a, sp, cp)                                                                   \
    do {                                                                                           \
        Sleef___m256_2 r_ = Sleef_sincosf8_u10avx2(a);                                             \
        *(sp) = r_.x;                                                                              \
        *(cp) = r_.y;                                                                              \
    } while (0)
#include "sleef/sleef_phase.h"
#include "simd/kernels.h"

/* ---- u35: SLEEF's 3.5-ULP sincosf -------------------------------------------------------- */

#define ISA_SUFFIX sleef_u35_avx2
#define ISA_NAME "sleef-u35-avx2"
#define ISA_DESC "AVX2+FMA"
#define ISA_METHOD                                                                     \
    "exact 64-bit phase or the fp32 recipe's angle, then " SLEEF_VERSION_STRING            \
    " Sleef_sincosf8_u35avx2"
#define ISA_FEATURES SLEEF_AVX2_FEATURES
#define ISA_ALGORITHM "sleef-u35-avx2"
#define ISA_FLAGS (POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_APPROX_SINCOS)
#define ISA_BOUND_SINUSOIDAL SLEEF_U35_BOUND_SINUSOIDAL
#define ISA_BOUND_ROTARY SLEEF_U35_BOUND_ROTARY
#define SIMD_NO_LEARNED
#define SLEEF_SINCOSF(a, sp, cp)                                                                   \
    do {                                                                                           \
        Sleef___m256_2 r_ = Sleef_sincosf8_u35avx2(a);                                             \
        *(sp) = r_.x;                                                                              \
        *(cp) = r_.y;                                                                              \
    } while (0)
#include "sleef/sleef_phase.h"
#include "simd/kernels.h"
