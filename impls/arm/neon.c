/* neon.c - the NEON backend: impls/simd/kernels.h compiled for AArch64 ASIMD (4 float lanes). */
#include "arm/vec_neon.h"
#include "core/isa_list.h"

#define ISA_SUFFIX neon
#define ISA_NAME "neon"
#define ISA_DESC "NEON"
#define ISA_FEATURES POSENC_FEATURES_NEON
#include "simd/alibi_kernels.h"
#include "simd/kernels.h"
