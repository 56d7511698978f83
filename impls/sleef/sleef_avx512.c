/* sleef_avx512.c - the SLEEF AVX-512 backends: impls/simd/kernels.h with SLEEF's
 * Sleef_sincosf16_u10avx512f and Sleef_sincosf16_u35avx512f as the sin/cos (sinusoidal and
 * rotary; explicit-only). */
#include <math.h> /* before sleef.h, whose FP_FAST_FMA would otherwise clash with glibc's */

#include "core/isa_list.h"
#include "x86/vec_avx512.h"

#include <sleef.h>

#include "simd/kernel_names.h"
#include "sleef/sleef_phase.h"

/* SLEEF's "avx512f" functions need AVX-512F only, but this file is compiled with the flags of the
   avx512 backend (F, BW, DQ, VL), so the compiler may use any of them: the descriptors require
   what the avx512 backend requires. */
#define SLEEF_ISA_FEATURES POSENC_FEATURES_AVX512

/* No AVX-512 machine has run this file: its bounds are those measured on SLEEF's AVX2 and NEON
   builds (sleef_phase.h), which gave the same bits; SLEEF compiles one sincosf source for all
   three, with fused multiply-adds. */

#define SLEEF_ISA avx512
#define SLEEF_ISA_DESC "AVX-512"
#define SLEEF_FN_LANES 16
#define SLEEF_FN_ISA avx512f
#define SLEEF_FN_RESULT Sleef___m512_2

#define SLEEF_ACC u10 /* SLEEF's 1.0-ULP sincosf */
#include "sleef/sleef_phase.h"
#define SLEEF_ACC u35 /* SLEEF's 3.5-ULP sincosf */
#include "sleef/sleef_phase.h"
