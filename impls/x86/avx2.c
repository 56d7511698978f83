/* avx2.c - the AVX2 backend: impls/simd/kernels.h compiled with -mavx2 -mf16c (8 float lanes;
 * F16C for vec_avx2.h's fp16 loads and stores). */
#include "x86/vec_avx2.h"

#define ISA_SUFFIX avx2
#define ISA_NAME "avx2"
#define ISA_DESC "AVX2"
#define ISA_FEATURES (POSENC_CPU_AVX | POSENC_CPU_AVX2 | POSENC_CPU_F16C)
#include "simd/alibi_kernels.h"
#include "simd/kernels.h"
