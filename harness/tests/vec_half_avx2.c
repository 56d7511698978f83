/* vec_half_avx2.c - vec_half.h's table over vec_avx2.h, compiled with the avx2 backends' flags. */
#include "x86/vec_avx2.h"

#define VEC_HALF_SUFFIX avx2
#define VEC_HALF_NAME "avx2"
#define VEC_HALF_FEATURES (POSENC_CPU_AVX | POSENC_CPU_AVX2 | POSENC_CPU_F16C)
#include "vec_half_template.h"
