/* sleef_avx2.c - the SLEEF AVX2 backends: impls/simd/kernels.h with SLEEF's Sleef_sincosf8_u10avx2
 * and Sleef_sincosf8_u35avx2 as the sin/cos (sinusoidal and rotary; explicit-only). */
#include <math.h> /* before sleef.h, whose FP_FAST_FMA would otherwise clash with glibc's */

#include "core/isa_list.h"
#include "x86/vec_avx2.h"

#include <sleef.h>

#include "simd/kernel_names.h"
#include "sleef/sleef_phase.h"

/* SLEEF's "avx2" functions are its AVX2 + FMA3 build: they need FMA at run time too. */
#define SLEEF_ISA avx2
#define SLEEF_ISA_DESC "AVX2+FMA"
/* The file is compiled with the avx2 backends' flags (vec_avx2.h), so the descriptors require
   what those require, FMA among them. */
#define SLEEF_ISA_FEATURES POSENC_FEATURES_AVX2
#define SLEEF_FN_LANES 8
#define SLEEF_FN_ISA avx2
#define SLEEF_FN_RESULT Sleef___m256_2

#define SLEEF_ACC u10 /* SLEEF's 1.0-ULP sincosf */
#include "sleef/sleef_phase.h"
#define SLEEF_ACC u35 /* SLEEF's 3.5-ULP sincosf */
#include "sleef/sleef_phase.h"
