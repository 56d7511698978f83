/* avx512.c - the AVX-512 backend: impls/simd/kernels.h compiled with -mavx512f -mavx512bw
 * -mavx512dq -mavx512vl (16 float lanes). */
#include "core/isa_list.h"
#include "x86/vec_avx512.h"

#define ISA_SUFFIX avx512
#define ISA_NAME "avx512"
#define ISA_DESC "AVX-512"
#define ISA_FEATURES POSENC_FEATURES_AVX512
#include "simd/alibi_kernels.h"
#include "simd/kernels.h"
