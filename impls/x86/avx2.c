/* avx2.c - the AVX2 backend: impls/simd/kernels.h compiled with -mavx2 (8 float lanes). */
#include "x86/vec_avx2.h"

#define ISA_SUFFIX avx2
#define ISA_NAME "avx2"
#define ISA_DESC "AVX2"
#define ISA_FEATURES (POSENC_CPU_AVX | POSENC_CPU_AVX2)
#include "simd/alibi_kernels.h"
#include "simd/kernels.h"
