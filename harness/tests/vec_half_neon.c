/* vec_half_neon.c - vec_half.h's table over vec_neon.h (AArch64). */
#include "arm/vec_neon.h"

#define VEC_HALF_SUFFIX neon
#define VEC_HALF_NAME "neon"
#define VEC_HALF_FEATURES POSENC_CPU_NEON
#include "vec_half_template.h"
