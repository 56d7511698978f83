/* vec_avx2.h - the vector API of impls/simd/kernels.h on AVX2: 8 float lanes. Included only by
 * files compiled with -mavx2 (a file without the flag stops at the #error below). */
#ifndef POSENC_VEC_AVX2_H
#define POSENC_VEC_AVX2_H

#ifndef __AVX2__
#error "vec_avx2.h needs -mavx2: compile this file in the avx2 object library"
#endif

#include <immintrin.h>
#include <stdint.h>

#define VL 8
typedef __m256 vf;
typedef __m256i vi;

static inline vf vf_loadu(const float *p) { return _mm256_loadu_ps(p); }
static inline void vf_storeu(float *p, vf v) { _mm256_storeu_ps(p, v); }
static inline vf vf_set1(float x) { return _mm256_set1_ps(x); }
static inline vf vf_add(vf a, vf b) { return _mm256_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return _mm256_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return _mm256_mul_ps(a, b); }

static inline vi vi_loadu(const uint32_t *p) { return _mm256_loadu_si256((const __m256i *)p); }
static inline vi vi_set1(uint32_t x) { return _mm256_set1_epi32((int)x); }
static inline vi vi_add(vi a, vi b) { return _mm256_add_epi32(a, b); }
static inline vi vi_sub(vi a, vi b) { return _mm256_sub_epi32(a, b); }
static inline vi vi_and(vi a, vi b) { return _mm256_and_si256(a, b); }
#define vi_srli(v, n) _mm256_srli_epi32((v), (n))
#define vi_slli(v, n) _mm256_slli_epi32((v), (n))

/* signed int32 lanes to float, rounding to nearest as (float)int32 does */
static inline vf vf_from_vi(vi v) { return _mm256_cvtepi32_ps(v); }

/* lanes whose bit 0 of q is set take b, the others a */
static inline vf vf_select_odd(vi q, vf a, vf b)
{
    return _mm256_blendv_ps(a, b, _mm256_castsi256_ps(_mm256_slli_epi32(q, 31)));
}

/* v with its sign bits xor-ed by bit 31 of `bits` */
static inline vf vf_xor_sign(vf v, vi bits)
{
    __m256i sign = _mm256_and_si256(bits, _mm256_set1_epi32(INT32_MIN));
    return _mm256_xor_ps(v, _mm256_castsi256_ps(sign));
}

/* nonzero when a lane of a or b is NaN: one unordered compare of a with b covers both */
static inline int vf_any_nan2(vf a, vf b)
{
    return _mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_UNORD_Q));
}

/* v with every NaN lane replaced by the canonical NaN 0x7fc00000 (core/special_values.h): an
   unordered compare of v with itself marks the NaN lanes, a blend takes the constant there */
static inline vf vf_canon_nan(vf v)
{
    vf nan = _mm256_cmp_ps(v, v, _CMP_UNORD_Q);
    return _mm256_blendv_ps(v, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fc00000)), nan);
}

/* t = (uint32)(p * wh) + (uint32)((p * wl + 2^31) >> 32): the rounded top 32 bits of
 * p * (wh * 2^32 + wl) mod 2^64, for p < 2^32 */
static inline vi vi_turns32(uint32_t p, vi wh, vi wl)
{
    const __m256i pv = _mm256_set1_epi32((int)p);
    const __m256i half = _mm256_set1_epi64x(INT64_C(1) << 31);
    __m256i top = _mm256_mullo_epi32(pv, wh);
    /* lanes 0, 2, ..: the low halves of wl; lanes 1, 3, ..: the high halves shifted down */
    __m256i even = _mm256_add_epi64(_mm256_mul_epu32(pv, wl), half);
    __m256i odd = _mm256_add_epi64(_mm256_mul_epu32(pv, _mm256_srli_epi64(wl, 32)), half);
    __m256i carry = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
    return _mm256_add_epi32(top, carry);
}

/* *first = (a0 b0 a1 b1 a2 b2 a3 b3), *second = (a4 b4 .. a7 b7). The 128-bit halves are moved
   with insert/extract/blend rather than vperm2f128, which costs 8 micro-ops on AMD Zen 1. */
static inline void vf_zip(vf a, vf b, vf *first, vf *second)
{
    vf lo = _mm256_unpacklo_ps(a, b); /* a0 b0 a1 b1 | a4 b4 a5 b5 */
    vf hi = _mm256_unpackhi_ps(a, b); /* a2 b2 a3 b3 | a6 b6 a7 b7 */
    *first = _mm256_insertf128_ps(lo, _mm256_castps256_ps128(hi), 1);
    *second = _mm256_blend_ps(_mm256_castps128_ps256(_mm256_extractf128_ps(lo, 1)), hi, 0xF0);
}

/* (v0, v1, v2, v3, ...) -> (v1, v0, v3, v2, ...) */
static inline vf vf_swap_pairs(vf v) { return _mm256_permute_ps(v, 0xB1); }

#endif
