/* vec_half_pairs.h - what the 16-bit rotations derive from a vector API's pair loads and stores.
 *
 * A vec_<isa>.h gives, for t = bf16 and f16,
 *   vf_load2_<t>(p, &v0, &v1)   2 VL elements p[0 .. 2VL) widened to two float vectors,
 *   vf_store2_<t>(p, v0, v1)    their inverse, rounded to nearest even (a NaN to some NaN of
 *                               the type: the kernels canonicalize afterwards, rarely),
 *   VEC_<T>_ORDER               which elements land in which vector:
 *     VEC_ORDER_HALVES    v0 = p[0 .. VL), v1 = p[VL .. 2VL): a conversion per half;
 *     VEC_ORDER_EVEN_ODD  v0 = p[0], p[2], .., v1 = p[1], p[3], ..: a shift and a mask within
 *                         each 32-bit lane, no shuffle (bfloat16 on x86);
 * and vf_unzip, vf_zip's inverse. Each ISA picks the order its conversions make cheapest; the
 * kernels never depend on it, through these helpers:
 *   vf_arrange2_<t>(x0, x1, &v0, &v1)  2 VL floats held in order (x0 the first VL) put in the
 *                                      pair order, for the cos and sin a half-split rotation
 *                                      meets its elements with (once per token, not per head);
 *   vf_split_pairs2_<t>(v0, v1, &a, &b) the loaded vectors of interleaved pairs (a0 b0 a1 b1 ..)
 *                                      as a = (a0 a1 ..), b = (b0 b1 ..), and
 *   vf_join_pairs2_<t>(a, b, &v0, &v1)  back (the even/odd order is already split: no work);
 *   vf_load2_<t>_n / vf_store2_<t>_n   n < 2 VL elements through a buffer of 2 VL, unless the
 *                                      ISA has masked ones (VEC_HAVE_PAIR_TAILS) (lanes past n
 *                                      read as +0; memory past n untouched);
 *   vf_store2x2_<t>(p, p0, p1, q, q0, q1)  the two stores of a rotation (an ISA's native store
 *                                      may test both at once).
 *
 * bfloat16 rounding in integers (f + 0x7fff + the lowest kept bit, the top half kept) leaves a
 * NaN a NaN only when its low half is zero, so the pair stores skip vec_f32_to_bf16's
 * canonicalization only because every NaN a rotation of 16-bit inputs makes has that form: a
 * widened bfloat16 NaN has zeros there and keeps them through the multiplies and additions
 * (which quiet it, setting a top bit), and the default NaN of x86 and AArch64 has none. */
#ifndef POSENC_SIMD_VEC_HALF_PAIRS_H
#define POSENC_SIMD_VEC_HALF_PAIRS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VEC_ORDER_HALVES 0
#define VEC_ORDER_EVEN_ODD 1

#define VEC_PAIRS_DERIVED(t, ORDER)                                                             \
    static inline void vf_arrange2_##t(vf x0, vf x1, vf *v0, vf *v1)                            \
    {                                                                                           \
        if (ORDER == VEC_ORDER_EVEN_ODD) {                                                      \
            vf_unzip(x0, x1, v0, v1);                                                           \
        } else {                                                                                \
            *v0 = x0;                                                                           \
            *v1 = x1;                                                                           \
        }                                                                                       \
    }                                                                                           \
    static inline void vf_split_pairs2_##t(vf v0, vf v1, vf *a, vf *b)                          \
    {                                                                                           \
        if (ORDER == VEC_ORDER_EVEN_ODD) {                                                      \
            *a = v0;                                                                            \
            *b = v1;                                                                            \
        } else {                                                                                \
            vf_unzip(v0, v1, a, b);                                                             \
        }                                                                                       \
    }                                                                                           \
    static inline void vf_join_pairs2_##t(vf a, vf b, vf *v0, vf *v1)                           \
    {                                                                                           \
        if (ORDER == VEC_ORDER_EVEN_ODD) {                                                      \
            *v0 = a;                                                                            \
            *v1 = b;                                                                            \
        } else {                                                                                \
            vf_zip(a, b, v0, v1);                                                               \
        }                                                                                       \
    }                                                                                           \
    static inline void vf_store2x2_##t(uint16_t *p, vf p0, vf p1, uint16_t *q, vf q0, vf q1)    \
    {                                                                                           \
        vf_store2_##t(p, p0, p1);                                                               \
        vf_store2_##t(q, q0, q1);                                                               \
    }

/* the tails through a buffer of 2 VL, for an ISA without masked 16-bit loads and stores
   (VEC_HAVE_PAIR_TAILS: the ISA has its own) */
#define VEC_PAIR_TAILS_BUFFERED(t)                                                              \
    static inline void vf_load2_##t##_n(const uint16_t *p, size_t n, vf *v0, vf *v1)            \
    {                                                                                           \
        uint16_t buf[2 * VL] = {0};                                                             \
        memcpy(buf, p, n * sizeof *p);                                                          \
        vf_load2_##t(buf, v0, v1);                                                              \
    }                                                                                           \
    static inline void vf_store2_##t##_n(uint16_t *p, vf v0, vf v1, size_t n)                   \
    {                                                                                           \
        uint16_t buf[2 * VL];                                                                   \
        vf_store2_##t(buf, v0, v1);                                                             \
        memcpy(p, buf, n * sizeof *p);                                                          \
    }

VEC_PAIRS_DERIVED(bf16, VEC_BF16_ORDER)
VEC_PAIRS_DERIVED(f16, VEC_F16_ORDER)
#ifndef VEC_HAVE_PAIR_TAILS
VEC_PAIR_TAILS_BUFFERED(bf16)
VEC_PAIR_TAILS_BUFFERED(f16)
#endif

#undef VEC_PAIRS_DERIVED
#undef VEC_PAIR_TAILS_BUFFERED

#endif
