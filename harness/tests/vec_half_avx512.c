/* vec_half_avx512.c - vec_half.h's table over vec_avx512.h, compiled with the avx512 backends'
 * flags. */
#include "x86/vec_avx512.h"

#define VEC_HALF_SUFFIX avx512
#define VEC_HALF_NAME "avx512"
#define VEC_HALF_FEATURES                                                                       \
    (POSENC_CPU_AVX512F | POSENC_CPU_AVX512BW | POSENC_CPU_AVX512DQ | POSENC_CPU_AVX512VL)
#include "vec_half_template.h"
