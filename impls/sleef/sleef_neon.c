/* sleef_neon.c - the SLEEF NEON backends: impls/simd/kernels.h with SLEEF's
 * Sleef_sincosf4_u10advsimd and Sleef_sincosf4_u35advsimd as the sin/cos (sinusoidal and rotary;
 * explicit-only). */
#include <math.h> /* before sleef.h, whose FP_FAST_FMA would otherwise clash with glibc's */

#include "arm/vec_neon.h"

#include <sleef.h>

#include "simd/kernel_names.h"
#include "sleef/sleef_phase.h"

/* The 2 pi (int32)t / 2^32 of sleef_phase.h on 4 lanes: each half widened to int64 and converted
   to double (exact), scaled in double, rounded once to float. */
static inline vf sleef_angle_of_turns(vi t)
{
    const float64x2_t k = vdupq_n_f64(SLEEF_RAD_PER_TURN32);
    int32x4_t ts = vreinterpretq_s32_u32(t);
    float64x2_t lo = vmulq_f64(vcvtq_f64_s64(vmovl_s32(vget_low_s32(ts))), k);
    float64x2_t hi = vmulq_f64(vcvtq_f64_s64(vmovl_high_s32(ts)), k);
    return vcvt_high_f32_f64(vcvt_f32_f64(lo), hi);
}

/* SLEEF's "advsimd" functions are its AArch64 ASIMD build (fused multiply-adds are part of that
   base ISA). In exact mode they gave the bits of SLEEF's AVX2 build on every value compared
   (sleef_phase.h); in fp32 mode SLEEF's bits depend on the vector width, so the algorithm names
   the ISA. */

/* ---- u10: SLEEF's 1.0-ULP sincosf -------------------------------------------------------- */

#define ISA_SUFFIX sleef_u10_neon
#define ISA_NAME "sleef-u10-neon"
#define ISA_DESC "NEON"
#define ISA_METHOD                                                                     \
    "exact 64-bit phase or the fp32 recipe's angle, then " SLEEF_VERSION_STRING            \
    " Sleef_sincosf4_u10advsimd"
#define ISA_FEATURES POSENC_CPU_NEON
#define ISA_ALGORITHM "sleef-u10-neon"
#define ISA_FLAGS (POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_APPROX_SINCOS)
#define ISA_BOUND_SINUSOIDAL SLEEF_U10_BOUND_SINUSOIDAL
#define ISA_BOUND_ROTARY SLEEF_U10_BOUND_ROTARY
#define SIMD_NO_LEARNED
#define SLEEF_SINCOSF(a, sp, cp)                                                                   \
    do {                                                                                           \
        Sleef_float32x4_t_2 r_ = Sleef_sincosf4_u10advsimd(a);                                     \
        *(sp) = r_.x;                                                                              \
        *(cp) = r_.y;                                                                              \
    } while (0)
#include "sleef/sleef_phase.h"
#include "simd/kernels.h"

/* ---- u35: SLEEF's 3.5-ULP sincosf -------------------------------------------------------- */

#define ISA_SUFFIX sleef_u35_neon
#define ISA_NAME "sleef-u35-neon"
#define ISA_DESC "NEON"
#define ISA_METHOD                                                                     \
    "exact 64-bit phase or the fp32 recipe's angle, then " SLEEF_VERSION_STRING            \
    " Sleef_sincosf4_u35advsimd"
#define ISA_FEATURES POSENC_CPU_NEON
#define ISA_ALGORITHM "sleef-u35-neon"
#define ISA_FLAGS (POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_APPROX_SINCOS)
#define ISA_BOUND_SINUSOIDAL SLEEF_U35_BOUND_SINUSOIDAL
#define ISA_BOUND_ROTARY SLEEF_U35_BOUND_ROTARY
#define SIMD_NO_LEARNED
#define SLEEF_SINCOSF(a, sp, cp)                                                                   \
    do {                                                                                           \
        Sleef_float32x4_t_2 r_ = Sleef_sincosf4_u35advsimd(a);                                     \
        *(sp) = r_.x;                                                                              \
        *(cp) = r_.y;                                                                              \
    } while (0)
#include "sleef/sleef_phase.h"
#include "simd/kernels.h"
