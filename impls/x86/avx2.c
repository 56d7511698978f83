/* avx2.c - the AVX2 backend: impls/simd/kernels.h compiled with -mavx2 -mfma -mf16c (8 float
 * lanes; FMA3 for vec_avx2.h's vf_fma, F16C for its fp16 loads and stores). */
#include "core/isa_list.h"
#include "x86/vec_avx2.h"

#define ISA_SUFFIX avx2
#define ISA_NAME "avx2"
#define ISA_DESC "AVX2"
#define ISA_FEATURES POSENC_FEATURES_AVX2
#include "simd/alibi_kernels.h"
#include "simd/kernels.h"
