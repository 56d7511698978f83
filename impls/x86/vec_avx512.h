/* vec_avx512.h - the vector API of impls/simd/kernels.h on AVX-512 (F, BW, DQ, VL): 16 float
 * lanes. Included only by files compiled with the AVX-512 flags (others stop at the #error). */
#ifndef POSENC_VEC_AVX512_H
#define POSENC_VEC_AVX512_H

/* The backend is registered as needing all four subsets, so it is built only when all four are
   on: code that relies on one of them can never reach a CPU that lacks it. */
#if !defined(__AVX512F__) || !defined(__AVX512DQ__) || !defined(__AVX512BW__) ||               \
    !defined(__AVX512VL__)
#error "vec_avx512.h needs -mavx512f -mavx512bw -mavx512dq -mavx512vl: avx512 object library"
#endif

#include <immintrin.h>
#include <stdint.h>

#define VL 16
typedef __m512 vf;
typedef __m512i vi;

static inline vf vf_loadu(const float *p) { return _mm512_loadu_ps(p); }
static inline void vf_storeu(float *p, vf v) { _mm512_storeu_ps(p, v); }
static inline vf vf_set1(float x) { return _mm512_set1_ps(x); }
/* Separate multiply and add (never a fused form), so every lane rounds as the scalar code does. */
static inline vf vf_add(vf a, vf b) { return _mm512_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return _mm512_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return _mm512_mul_ps(a, b); }

static inline vi vi_loadu(const uint32_t *p) { return _mm512_loadu_si512((const void *)p); }
static inline vi vi_set1(uint32_t x) { return _mm512_set1_epi32((int)x); }
static inline vi vi_add(vi a, vi b) { return _mm512_add_epi32(a, b); }
static inline vi vi_sub(vi a, vi b) { return _mm512_sub_epi32(a, b); }
static inline vi vi_and(vi a, vi b) { return _mm512_and_si512(a, b); }
/* Macros, not functions: the shift count must stay a compile-time constant (immediate form). */
#define vi_srli(v, n) _mm512_srli_epi32((v), (n))
#define vi_slli(v, n) _mm512_slli_epi32((v), (n))

/* signed int32 lanes to float, rounding to nearest as (float)int32 does */
static inline vf vf_from_vi(vi v) { return _mm512_cvtepi32_ps(v); }

/* lanes whose bit 0 of q is set take b, the others a. AVX-512 selects through a mask register
   rather than a vector's sign bits, so the bit is tested directly instead of shifted to bit 31. */
static inline vf vf_select_odd(vi q, vf a, vf b)
{
    __mmask16 odd = _mm512_test_epi32_mask(q, _mm512_set1_epi32(1));
    return _mm512_mask_blend_ps(odd, a, b);
}

/* v with its sign bits xor-ed by bit 31 of `bits`. One vpternlogd computing A ^ (B & C) with
   A = v, B = bits, C = the sign mask: with the operand truth columns A = 0xF0, B = 0xCC,
   C = 0xAA, B & C = 0x88 and A ^ 0x88 = 0x78. */
static inline vf vf_xor_sign(vf v, vi bits)
{
    return _mm512_castsi512_ps(_mm512_ternarylogic_epi32(
        _mm512_castps_si512(v), bits, _mm512_set1_epi32(INT32_MIN), 0x78));
}

/* nonzero when a lane of a or b is NaN: one unordered compare of a with b covers both */
static inline int vf_any_nan2(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q) != 0; }

/* v with every NaN lane replaced by the canonical NaN 0x7fc00000 (core/special_values.h): an
   unordered compare of v with itself sets the mask of the NaN lanes, a masked move fills them */
static inline vf vf_canon_nan(vf v)
{
    __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    return _mm512_mask_mov_ps(v, nan, _mm512_castsi512_ps(_mm512_set1_epi32(0x7fc00000)));
}

/* t = (uint32)(p * wh) + (uint32)((p * wl + 2^31) >> 32): the rounded top 32 bits of
 * p * (wh * 2^32 + wl) mod 2^64, for p < 2^32.
 * p and wl both fit in 32 bits, so the low product is exactly the unsigned 32x32->64 multiply of
 * vpmuludq (one uop), run once on the even and once on the odd lanes. Widening to 64-bit lanes
 * for AVX-512DQ's vpmullq would cost two multiplies of three uops each plus the shuffles to widen
 * wl and narrow the result, for no extra precision. p * (2^32 - 1) + 2^31 < 2^64: no overflow. */
static inline vi vi_turns32(uint32_t p, vi wh, vi wl)
{
    const __m512i pv = _mm512_set1_epi32((int)p); /* p in the low half of every 64-bit lane */
    const __m512i half = _mm512_set1_epi64(INT64_C(1) << 31);
    __m512i top = _mm512_mullo_epi32(pv, wh);
    /* lanes 0, 2, ..: the low halves of wl; lanes 1, 3, ..: the high halves shifted down */
    __m512i even = _mm512_add_epi64(_mm512_mul_epu32(pv, wl), half);
    __m512i odd = _mm512_add_epi64(_mm512_mul_epu32(pv, _mm512_srli_epi64(wl, 32)), half);
    /* the wanted high halves: even's moved down into the even lanes, odd's already in the odd */
    __m512i carry = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
    return _mm512_add_epi32(top, carry);
}

/* *first = (a0 b0 .. a7 b7), *second = (a8 b8 .. a15 b15). A two-source permute picks lanes from
 * a (index k) and b (index 16 + k) in any order, so each half is one vpermt2ps, with no unpack
 * step before it. */
static inline void vf_zip(vf a, vf b, vf *first, vf *second)
{
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19,
                                         4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27,
                                         12, 28, 13, 29, 14, 30, 15, 31);
    *first = _mm512_permutex2var_ps(a, lo, b);
    *second = _mm512_permutex2var_ps(a, hi, b);
}

/* (v0, v1, v2, v3, ...) -> (v1, v0, v3, v2, ...); the immediate acts within each 128-bit lane,
   which holds whole pairs */
static inline vf vf_swap_pairs(vf v) { return _mm512_permute_ps(v, 0xB1); }

#endif
