/* vec_half_portable.c - vec_half.h's table over the portable vector API (table/vec_portable.h). */
#include "table/vec_portable.h"

#define VEC_HALF_SUFFIX portable
#define VEC_HALF_NAME "portable"
#define VEC_HALF_FEATURES 0
#include "vec_half_template.h"
