/* rotation.h - the rotation of one pair (a, b) by the angle whose cosine and sine are c and s,
 * as every rotary backend computes it: a' = a c - b s, b' = a s + b c, two rounded products and
 * a rounded difference or sum each (never fused: the build's -ffp-contract=off). The vector
 * kernels compute the same on VL lanes, operation for operation (KFN(rotate) in
 * impls/simd/kernel_common.h), so a partial vector's scalar tail gives the vector's bits. */
#ifndef POSENC_CORE_ROTATION_H
#define POSENC_CORE_ROTATION_H

/* *ra = a c - b s, *rb = a s + b c; a NaN result is left as computed (the caller applies the
   special value rule, core/special_values.h) */
static inline void posenc_rotate_pair(float a, float b, float c, float s, float *ra, float *rb)
{
    *ra = a * c - b * s;
    *rb = a * s + b * c;
}

#endif
