/* sleef_neon.c - the SLEEF NEON backends: impls/simd/kernels.h with SLEEF's
 * Sleef_sincosf4_u10advsimd and Sleef_sincosf4_u35advsimd as the sin/cos (sinusoidal and rotary;
 * explicit-only). */
#include <math.h> /* before sleef.h, whose FP_FAST_FMA would otherwise clash with glibc's */

#include "arm/vec_neon.h"
#include "core/isa_list.h"

#include <sleef.h>

#include "simd/kernel_names.h"
#include "sleef/sleef_phase.h"

/* SLEEF's "advsimd" functions are its AArch64 ASIMD build (fused multiply-adds are part of that
   base ISA). In exact mode they gave the bits of SLEEF's AVX2 build on every value compared
   (sleef_phase.h). */

#define SLEEF_ISA neon
#define SLEEF_ISA_DESC "NEON"
#define SLEEF_ISA_FEATURES POSENC_FEATURES_NEON
#define SLEEF_FN_LANES 4
#define SLEEF_FN_ISA advsimd
#define SLEEF_FN_RESULT Sleef_float32x4_t_2

#define SLEEF_ACC u10 /* SLEEF's 1.0-ULP sincosf */
#include "sleef/sleef_phase.h"
#define SLEEF_ACC u35 /* SLEEF's 3.5-ULP sincosf */
#include "sleef/sleef_phase.h"
