/* vec_avx2.h - the vector API of impls/simd/kernels.h on AVX2 (with FMA3 and F16C): 8 float
 * lanes, and this ISA's one place for the typed vocabulary around it (16-bit element loads and
 * stores, masked tails, the double-precision step the SLEEF backends need). Included only by
 * files compiled with -mavx2 -mfma -mf16c (a file without them stops at the #error below); every
 * backend built on it requires POSENC_CPU_FMA and POSENC_CPU_F16C beside AVX and AVX2 (every
 * AVX2 CPU has both). */
#ifndef POSENC_VEC_AVX2_H
#define POSENC_VEC_AVX2_H

#if !defined(__AVX2__) || !defined(__FMA__) || !defined(__F16C__)
#error "vec_avx2.h needs -mavx2 -mfma -mf16c: compile this file in an avx2 object library"
#endif

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VL 8
typedef __m256 vf;
typedef __m256i vi;

static inline vf vf_loadu(const float *p) { return _mm256_loadu_ps(p); }
static inline void vf_storeu(float *p, vf v) { _mm256_storeu_ps(p, v); }
static inline vf vf_set1(float x) { return _mm256_set1_ps(x); }
/* A streaming (non-temporal) store of VL floats to p, 32-byte aligned: written around the
   caches, weakly ordered until vec_stream_fence. */
#define VEC_STREAM_BYTES 32
static inline void vf_stream(float *p, vf v) { _mm256_stream_ps(p, v); }
static inline void vec_stream_fence(void) { _mm_sfence(); }
static inline vf vf_add(vf a, vf b) { return _mm256_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return _mm256_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return _mm256_mul_ps(a, b); }
/* one rounding, as fmaf: FMA3, which the backends built on this header require */
static inline vf vf_fma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }

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

/* (s, c) = (cs, -sn) in the lanes whose bit 30 of q is set, (sn, cs) in the others: a quarter
   turn more. vblendvps selects by bit 31, so the bit is shifted there once for both blends. */
static inline void vf_quarter_turn(vi q, vf sn, vf cs, vf *s, vf *c)
{
    vf odd = _mm256_castsi256_ps(_mm256_slli_epi32(q, 1));
    vf neg = _mm256_xor_ps(sn, _mm256_castsi256_ps(_mm256_set1_epi32(INT32_MIN)));
    *s = _mm256_blendv_ps(sn, cs, odd);
    *c = _mm256_blendv_ps(cs, neg, odd);
}

/* t = (uint32)(p * hi) + (uint32)((p * lo + 2^31 + add * 2^32) >> 32): the rounded top 32 bits
 * of p * (hi * 2^32 + lo) mod 2^64, plus add, for the VL steps from index 0 (w: the same steps
 * whole, unused here); lo is read up to lo[VL]. p and lo both fit in 32 bits, so the low product
 * is exactly vpmuludq's unsigned 32x32->64 multiply, which reads the even lanes: once at lo and
 * once at lo + 1, whose even lanes are lo's odd ones (a load in place of a shift). With
 * p < 2^31 and add <= 2^31, p * lo + 2^31 + add * 2^32 < 2^64: the 64-bit sums never wrap. */
static inline vi vi_turns32(uint32_t p, const uint64_t *w, const uint32_t *hi, const uint32_t *lo,
                            uint32_t add)
{
    (void)w;
    const __m256i pv = _mm256_set1_epi32((int)p);
    const __m256i off = _mm256_set1_epi64x((long long)(((uint64_t)add << 32) + (UINT64_C(1) << 31)));
    __m256i top = _mm256_mullo_epi32(pv, vi_loadu(hi));
    __m256i even = _mm256_add_epi64(_mm256_mul_epu32(pv, vi_loadu(lo)), off);
    __m256i odd = _mm256_add_epi64(_mm256_mul_epu32(pv, vi_loadu(lo + 1)), off);
    /* the wanted high halves: even's moved down into the even lanes, odd's already in the odd */
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

/* ---- masked tails: n < VL lanes (n <= VL allowed), the others zero (loads) or untouched
   (stores); vmaskmovps neither reads nor writes a masked-off lane, so no access passes p + n */

/* lanes 0 .. n-1 set */
static inline __m256i vec_lanes_below(size_t n)
{
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), lane);
}
static inline vf vf_loadu_n(const float *p, size_t n)
{
    return _mm256_maskload_ps(p, vec_lanes_below(n));
}
static inline void vf_storeu_n(float *p, vf v, size_t n)
{
    _mm256_maskstore_ps(p, vec_lanes_below(n), v);
}

/* ---- 16-bit element types: core/half.h's conversions on VL lanes, bit for bit ------------- */

/* bfloat16 widens by a shift: the top half of a binary32 */
static inline vf vf_load_bf16(const uint16_t *p)
{
    __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
}

/* 32-bit lanes holding 16-bit values to 8 packed uint16 (unsigned saturation never acts) */
static inline __m128i vec_narrow_u16(__m256i v)
{
    return _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
}

/* posenc_f32_bits_to_bf16 in integer arithmetic: NaNs made 0x7fc00000 first (which rounds to
   0x7fc0, the canonical bf16 NaN), then f + 0x7fff + the lowest kept bit, shifted down (no lane
   can wrap: the largest non-NaN, -inf, is 0xff800000) */
static inline __m128i vec_f32_to_bf16(vf v)
{
    __m256i f = _mm256_castps_si256(vf_canon_nan(v));
    __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(f, 16), _mm256_set1_epi32(1));
    __m256i r = _mm256_add_epi32(_mm256_add_epi32(f, _mm256_set1_epi32(0x7fff)), lsb);
    return vec_narrow_u16(_mm256_srli_epi32(r, 16));
}
static inline void vf_store_bf16(uint16_t *p, vf v)
{
    _mm_storeu_si128((__m128i *)p, vec_f32_to_bf16(v));
}

/* binary16 widens with F16C's vcvtph2ps, which is exact except that it quiets a signalling NaN
   (sets the top mantissa bit) where posenc_f16_to_f32_bits keeps the bits: in the lanes whose
   exponent is all ones, that bit is cleared again unless the input had it. */
static inline vf vf_load_f16(const uint16_t *p)
{
    __m128i h = _mm_loadu_si128((const __m128i *)p);
    __m256i f = _mm256_castps_si256(_mm256_cvtph_ps(h));
    __m256i w = _mm256_cvtepu16_epi32(h);
    __m256i exp = _mm256_set1_epi32(0x7c00);
    __m256i special = _mm256_cmpeq_epi32(_mm256_and_si256(w, exp), exp);
    __m256i clear = _mm256_andnot_si256(_mm256_slli_epi32(w, 13), _mm256_set1_epi32(0x400000));
    return _mm256_castsi256_ps(_mm256_andnot_si256(_mm256_and_si256(special, clear), f));
}

/* posenc_f32_bits_to_f16 with F16C's vcvtps2ph, rounding to nearest even by its immediate (not
   MXCSR): it keeps subnormal results and overflows to inf as half.h does, but turns a NaN into
   a quiet NaN with the sign and top payload bits kept; NaNs made 0x7fc00000 first convert to
   0x7e00, the canonical fp16 NaN. (A binary32 subnormal input rounds to a signed zero either
   way, so MXCSR.DAZ cannot change a result.) */
static inline __m128i vec_f32_to_f16(vf v)
{
    return _mm256_cvtps_ph(vf_canon_nan(v), _MM_FROUND_TO_NEAREST_INT);
}
static inline void vf_store_f16(uint16_t *p, vf v)
{
    _mm_storeu_si128((__m128i *)p, vec_f32_to_f16(v));
}
/* streaming stores of VL 16-bit elements, p 16-byte aligned (as vf_stream) */
#define VEC_STREAM16_BYTES 16
static inline void vf_stream_bf16(uint16_t *p, vf v) { _mm_stream_si128((__m128i *)p, vec_f32_to_bf16(v)); }
static inline void vf_stream_f16(uint16_t *p, vf v) { _mm_stream_si128((__m128i *)p, vec_f32_to_f16(v)); }

/* 16-bit tails: no 16-bit masked load or store on this ISA */
#include "simd/vec_half_tails.h"

/* ---- 16-bit pairs: 2 VL elements as two float vectors (simd/vec_half_pairs.h) -------------
   The rotations' loads and stores. Widening is exact (a signalling NaN may come out quiet: the
   kernels only ask whether a lane is NaN); narrowing rounds as core/half.h does, except that a
   NaN becomes some NaN of the type, not the canonical one (the kernels canonicalize NaNs after
   the fact, rarely). bfloat16 splits even and odd elements within each 32-bit lane (a shift and
   a mask, no shuffle); float16 converts each half with F16C. */
#define VEC_BF16_ORDER VEC_ORDER_EVEN_ODD
#define VEC_F16_ORDER VEC_ORDER_HALVES

static inline void vf_load2_bf16(const uint16_t *p, vf *even, vf *odd)
{
    __m256i h = _mm256_loadu_si256((const __m256i *)p);
    *even = _mm256_castsi256_ps(_mm256_slli_epi32(h, 16));
    *odd = _mm256_castsi256_ps(_mm256_and_si256(h, _mm256_set1_epi32((int)0xffff0000u)));
}

/* f + 0x7fff + the lowest kept bit in every lane, the rounded value in the top half (a NaN:
   vec_half_pairs.h) */
static inline __m256i vec_round_bf16_hi(vf v)
{
    __m256i f = _mm256_castps_si256(v);
    __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(f, 16), _mm256_set1_epi32(1));
    return _mm256_add_epi32(_mm256_add_epi32(f, _mm256_set1_epi32(0x7fff)), lsb);
}
static inline void vf_store2_bf16(uint16_t *p, vf even, vf odd)
{
    __m256i e = _mm256_srli_epi32(vec_round_bf16_hi(even), 16);
    _mm256_storeu_si256((__m256i *)p, _mm256_blend_epi16(e, vec_round_bf16_hi(odd), 0xAA));
}

/* vcvtph2ps quiets a signalling NaN: a NaN all the same, which is all the rotations need */
static inline void vf_load2_f16(const uint16_t *p, vf *lo, vf *hi)
{
    *lo = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
    *hi = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + VL)));
}
static inline void vf_store2_f16(uint16_t *p, vf lo, vf hi)
{
    _mm_storeu_si128((__m128i *)p, _mm256_cvtps_ph(lo, _MM_FROUND_TO_NEAREST_INT));
    _mm_storeu_si128((__m128i *)(p + VL), _mm256_cvtps_ph(hi, _MM_FROUND_TO_NEAREST_INT));
}

/* (a0 b0 a1 b1 ..), (.. a7 b7) -> a, b: vf_zip's inverse. vshufps picks the even (odd) lanes of
   both inputs within each 128-bit half, vpermpd puts the halves in order. */
static inline void vf_unzip(vf first, vf second, vf *a, vf *b)
{
    vf ev = _mm256_shuffle_ps(first, second, 0x88); /* a0 a1 a4 a5 | a2 a3 a6 a7 */
    vf od = _mm256_shuffle_ps(first, second, 0xDD);
    *a = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(ev), 0xD8));
    *b = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(od), 0xD8));
}

/* ---- doubles ------------------------------------------------------------------------------- */

/* (float)((double)(int32)t * k) on every lane: each half converted to double exactly, scaled in
   double (one rounding), rounded once to float (the SLEEF backends' angle of a turn fraction) */
static inline vf vf_from_vi_mul_f64(vi t, double k)
{
    const __m256d kv = _mm256_set1_pd(k);
    __m256d lo = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(t)), kv);
    __m256d hi = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(t, 1)), kv);
    return _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo));
}

#endif
