/* vec_avx512.h - the vector API of impls/simd/kernels.h on AVX-512 (F, BW, DQ, VL): 16 float
 * lanes, and this ISA's one place for the typed vocabulary around it (16-bit element loads and
 * stores, masked tails, the double-precision step the SLEEF backends need). Included only by
 * files compiled with the AVX-512 flags (others stop at the #error). */
#ifndef POSENC_VEC_AVX512_H
#define POSENC_VEC_AVX512_H

/* The backend is registered as needing all four subsets, so it is built only when all four are
   on: code that relies on one of them can never reach a CPU that lacks it. */
#if !defined(__AVX512F__) || !defined(__AVX512DQ__) || !defined(__AVX512BW__) ||               \
    !defined(__AVX512VL__)
#error "vec_avx512.h needs -mavx512f -mavx512bw -mavx512dq -mavx512vl: avx512 object library"
#endif

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

#define VL 16
typedef __m512 vf;
typedef __m512i vi;

static inline vf vf_loadu(const float *p) { return _mm512_loadu_ps(p); }
static inline void vf_storeu(float *p, vf v) { _mm512_storeu_ps(p, v); }
static inline vf vf_set1(float x) { return _mm512_set1_ps(x); }
/* A streaming (non-temporal) store of VL floats to p, 64-byte aligned: written around the
   caches, weakly ordered until vec_stream_fence. */
#define VEC_STREAM_BYTES 64
static inline void vf_stream(float *p, vf v) { _mm512_stream_ps(p, v); }
static inline void vec_stream_fence(void) { _mm_sfence(); }
/* Separate multiply and add, rounding as the scalar code's a * b + c does; vf_fma is the fused
   form, rounding once as its fmaf does. */
static inline vf vf_add(vf a, vf b) { return _mm512_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return _mm512_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return _mm512_mul_ps(a, b); }
static inline vf vf_fma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }

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

/* (s, c) = (cs, -sn) in the lanes whose bit 30 of q is set, (sn, cs) in the others: a quarter
   turn more. The mask is tested directly; the negated sine is a masked xor of its sign bit. */
static inline void vf_quarter_turn(vi q, vf sn, vf cs, vf *s, vf *c)
{
    __mmask16 odd = _mm512_test_epi32_mask(q, _mm512_set1_epi32(1 << 30));
    *s = _mm512_mask_blend_ps(odd, sn, cs);
    *c = _mm512_mask_xor_ps(cs, odd, sn, _mm512_castsi512_ps(_mm512_set1_epi32(INT32_MIN)));
}

/* The rounded top 32 bits of p * w[k] mod 2^64, plus add, for the VL steps w[0 .. VL) (hi, lo:
 * their halves, unused here). On Zen 4 a zmm vpmullq costs what vpmulld and vpmuludq do (the
 * same throughput, latency 4; Intel's cores split it into three uops), so the product is taken
 * whole in 64-bit lanes, the rounding and add in one 64-bit add, and the high halves of the two
 * vectors gathered by one two-source permute: 5 operations where the 32-bit halves took 9
 * (vpmulld, two vpmuludq, shifts, adds and a blend). */
static inline vi vi_turns32(uint32_t p, const uint64_t *w, const uint32_t *hi, const uint32_t *lo,
                            uint32_t add)
{
    (void)hi;
    (void)lo;
    const __m512i pv = _mm512_set1_epi64((long long)p);
    const __m512i off = _mm512_set1_epi64((long long)(((uint64_t)add << 32) + (UINT64_C(1) << 31)));
    const __m512i high = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15,
                                           17, 19, 21, 23, 25, 27, 29, 31);
    __m512i a = _mm512_add_epi64(_mm512_mullo_epi64(pv, _mm512_loadu_si512(w)), off);
    __m512i b = _mm512_add_epi64(_mm512_mullo_epi64(pv, _mm512_loadu_si512(w + 8)), off);
    return _mm512_permutex2var_epi32(a, high, b);
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

/* ---- masked tails: n < VL lanes (n <= VL allowed), the others zero (loads) or untouched
   (stores); a masked-off lane is neither read nor written, so no access passes p + n */

/* lanes 0 .. n-1 */
static inline __mmask16 vec_lanes_below(size_t n) { return (__mmask16)((1u << n) - 1u); }
static inline vf vf_loadu_n(const float *p, size_t n)
{
    return _mm512_maskz_loadu_ps(vec_lanes_below(n), p);
}
static inline void vf_storeu_n(float *p, vf v, size_t n)
{
    _mm512_mask_storeu_ps(p, vec_lanes_below(n), v);
}

/* ---- 16-bit element types: core/half.h's conversions on VL lanes, bit for bit -------------
   bfloat16 is converted in AVX-512F integer arithmetic, never with AVX512-BF16's vcvtneps2bf16,
   which gives other bits: it reads binary32 subnormal inputs as zero (0x007fffff gives 0x0000
   where half.h rounds to 0x0080, 0x00018000 0x0000 for 0x0002) and keeps a NaN's sign and
   payload (0xffc12345 gives 0xffc1 for 0x7fc0), as measured on Zen 4; canonicalizing NaNs first
   would mend the second but not the first, and this backend does not require AVX512-BF16. */

/* 16 uint16 widened to 32-bit lanes (a masked load reads only lanes below n) */
static inline __m512i vec_widen_u16(__m256i h) { return _mm512_cvtepu16_epi32(h); }

static inline vf vec_bf16_to_f32(__m256i h)
{
    return _mm512_castsi512_ps(_mm512_slli_epi32(vec_widen_u16(h), 16));
}

/* posenc_f32_bits_to_bf16: NaNs made 0x7fc00000 first (which rounds to 0x7fc0, the canonical
   bf16 NaN), then f + 0x7fff + the lowest kept bit, shifted down (no lane can wrap: the
   largest non-NaN, -inf, is 0xff800000); vpmovdw narrows (the values fit: no truncation) */
static inline __m256i vec_f32_to_bf16(vf v)
{
    __m512i f = _mm512_castps_si512(vf_canon_nan(v));
    __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(f, 16), _mm512_set1_epi32(1));
    __m512i r = _mm512_add_epi32(_mm512_add_epi32(f, _mm512_set1_epi32(0x7fff)), lsb);
    return _mm512_cvtepi32_epi16(_mm512_srli_epi32(r, 16));
}

/* binary16 widens with vcvtph2ps, exact except that it quiets a signalling NaN (sets the top
   mantissa bit) where posenc_f16_to_f32_bits keeps the bits: in the lanes whose exponent is all
   ones, that bit is cleared again unless the input had it. */
static inline vf vec_f16_to_f32(__m256i h)
{
    __m512i f = _mm512_castps_si512(_mm512_cvtph_ps(h));
    __m512i w = vec_widen_u16(h);
    __m512i exp = _mm512_set1_epi32(0x7c00);
    __mmask16 special = _mm512_cmpeq_epi32_mask(_mm512_and_si512(w, exp), exp);
    __m512i clear = _mm512_andnot_si512(_mm512_slli_epi32(w, 13), _mm512_set1_epi32(0x400000));
    return _mm512_castsi512_ps(_mm512_mask_andnot_epi32(f, special, clear, f));
}

/* posenc_f32_bits_to_f16 with vcvtps2ph, rounding to nearest even by its immediate (not MXCSR):
   it keeps subnormal results and overflows to inf as half.h does, but turns a NaN into a quiet
   NaN with the sign and top payload bits kept; NaNs made 0x7fc00000 first convert to 0x7e00,
   the canonical fp16 NaN. (A binary32 subnormal input rounds to a signed zero either way, so
   MXCSR.DAZ cannot change a result.) */
static inline __m256i vec_f32_to_f16(vf v)
{
    return _mm512_cvtps_ph(vf_canon_nan(v), _MM_FROUND_TO_NEAREST_INT);
}

static inline vf vf_load_bf16(const uint16_t *p)
{
    return vec_bf16_to_f32(_mm256_loadu_si256((const __m256i *)p));
}
static inline vf vf_load_f16(const uint16_t *p)
{
    return vec_f16_to_f32(_mm256_loadu_si256((const __m256i *)p));
}
static inline void vf_store_bf16(uint16_t *p, vf v)
{
    _mm256_storeu_si256((__m256i *)p, vec_f32_to_bf16(v));
}
static inline void vf_store_f16(uint16_t *p, vf v)
{
    _mm256_storeu_si256((__m256i *)p, vec_f32_to_f16(v));
}
/* streaming stores of VL 16-bit elements, p 32-byte aligned (as vf_stream) */
#define VEC_STREAM16_BYTES 32
static inline void vf_stream_bf16(uint16_t *p, vf v)
{
    _mm256_stream_si256((__m256i *)p, vec_f32_to_bf16(v));
}
static inline void vf_stream_f16(uint16_t *p, vf v)
{
    _mm256_stream_si256((__m256i *)p, vec_f32_to_f16(v));
}

/* 16-bit tails: AVX-512BW's masked 16-bit loads and stores (lanes from n on read as +0) */
static inline vf vf_load_bf16_n(const uint16_t *p, size_t n)
{
    return vec_bf16_to_f32(_mm256_maskz_loadu_epi16(vec_lanes_below(n), p));
}
static inline vf vf_load_f16_n(const uint16_t *p, size_t n)
{
    return vec_f16_to_f32(_mm256_maskz_loadu_epi16(vec_lanes_below(n), p));
}
static inline void vf_store_bf16_n(uint16_t *p, vf v, size_t n)
{
    _mm256_mask_storeu_epi16(p, vec_lanes_below(n), vec_f32_to_bf16(v));
}
static inline void vf_store_f16_n(uint16_t *p, vf v, size_t n)
{
    _mm256_mask_storeu_epi16(p, vec_lanes_below(n), vec_f32_to_f16(v));
}

/* ---- 16-bit pairs: 2 VL elements as two float vectors (simd/vec_half_pairs.h) -------------
   The rotations' loads and stores. Widening is exact (a signalling NaN may come out quiet: the
   kernels only ask whether a lane is NaN); narrowing rounds as core/half.h does, except that a
   NaN becomes some NaN of the type, not the canonical one (the kernels canonicalize NaNs after
   the fact, rarely). bfloat16 splits even and odd elements within each 32-bit lane (a shift and
   a mask, no shuffle); float16 converts each half with vcvtph2ps / vcvtps2ph. */
#define VEC_BF16_ORDER VEC_ORDER_EVEN_ODD
#define VEC_F16_ORDER VEC_ORDER_HALVES

/* 32 bf16 in one register to their even and odd floats */
static inline void vec_split_bf16(__m512i h, vf *even, vf *odd)
{
    *even = _mm512_castsi512_ps(_mm512_slli_epi32(h, 16));
    *odd = _mm512_castsi512_ps(_mm512_and_si512(h, _mm512_set1_epi32((int)0xffff0000u)));
}
static inline void vf_load2_bf16(const uint16_t *p, vf *even, vf *odd)
{
    vec_split_bf16(_mm512_loadu_si512(p), even, odd);
}

/* f + 0x7fff + the lowest kept bit in every lane, the rounded value in the top half (a NaN:
   vec_half_pairs.h) */
static inline __m512i vec_round_bf16_hi(vf v)
{
    __m512i f = _mm512_castps_si512(v);
    __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(f, 16), _mm512_set1_epi32(1));
    return _mm512_add_epi32(_mm512_add_epi32(f, _mm512_set1_epi32(0x7fff)), lsb);
}
/* even and odd floats rounded back into 32 bf16 */
static inline __m512i vec_join_bf16(vf even, vf odd)
{
    __m512i e = _mm512_srli_epi32(vec_round_bf16_hi(even), 16);
    return _mm512_mask_blend_epi16(0xAAAAAAAAu, e, vec_round_bf16_hi(odd));
}
static inline void vf_store2_bf16(uint16_t *p, vf even, vf odd)
{
    _mm512_storeu_si512(p, vec_join_bf16(even, odd));
}

/* vcvtph2ps quiets a signalling NaN: a NaN all the same, which is all the rotations need */
static inline void vf_load2_f16(const uint16_t *p, vf *lo, vf *hi)
{
    *lo = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p));
    *hi = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p + VL)));
}
static inline void vf_store2_f16(uint16_t *p, vf lo, vf hi)
{
    _mm256_storeu_si256((__m256i *)p, _mm512_cvtps_ph(lo, _MM_FROUND_TO_NEAREST_INT));
    _mm256_storeu_si256((__m256i *)(p + VL), _mm512_cvtps_ph(hi, _MM_FROUND_TO_NEAREST_INT));
}

/* The first n < 2 VL elements with AVX-512BW's masked 16-bit loads and stores (lanes from n on
   read as +0; no access past n), in place of vec_half_pairs.h's buffered tails, whose small
   copies stall store forwarding (a 96-wide head's last 16 pairs took 4x its first 32). */
#define VEC_HAVE_PAIR_TAILS 1
static inline __mmask32 vec_lanes_below32(size_t n) { return (__mmask32)((UINT64_C(1) << n) - 1u); }
static inline size_t vec_lanes_from(size_t n, size_t first) { return n > first ? n - first : 0; }
static inline void vf_load2_bf16_n(const uint16_t *p, size_t n, vf *even, vf *odd)
{
    vec_split_bf16(_mm512_maskz_loadu_epi16(vec_lanes_below32(n), p), even, odd);
}
static inline void vf_store2_bf16_n(uint16_t *p, vf even, vf odd, size_t n)
{
    _mm512_mask_storeu_epi16(p, vec_lanes_below32(n), vec_join_bf16(even, odd));
}
static inline void vf_load2_f16_n(const uint16_t *p, size_t n, vf *lo, vf *hi)
{
    *lo = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(vec_lanes_below(n < VL ? n : VL), p));
    *hi = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(vec_lanes_below(vec_lanes_from(n, VL)), p + VL));
}
static inline void vf_store2_f16_n(uint16_t *p, vf lo, vf hi, size_t n)
{
    _mm256_mask_storeu_epi16(p, vec_lanes_below(n < VL ? n : VL),
                             _mm512_cvtps_ph(lo, _MM_FROUND_TO_NEAREST_INT));
    _mm256_mask_storeu_epi16(p + VL, vec_lanes_below(vec_lanes_from(n, VL)),
                             _mm512_cvtps_ph(hi, _MM_FROUND_TO_NEAREST_INT));
}

/* (a0 b0 a1 b1 ..), (.. a15 b15) -> a, b: vf_zip's inverse */
static inline void vf_unzip(vf first, vf second, vf *a, vf *b)
{
    const __m512i ev = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14,
                                         16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i od = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15,
                                         17, 19, 21, 23, 25, 27, 29, 31);
    *a = _mm512_permutex2var_ps(first, ev, second);
    *b = _mm512_permutex2var_ps(first, od, second);
}

/* AVX512-BF16's vcvtne2ps2bf16 rounds 32 floats to nearest even in one instruction, but reads a
   binary32 subnormal as zero (core/half.h keeps it: 0x007fffff rounds to 0x0080, not 0x0000).
   Only a zero or subnormal input gives a zero result, so a store with no zero lane is exact;
   one with a zero lane (rare: the rotation of a zero pair, or of tiny values) is redone by the
   integer rounding. Compiled for AVX512-BF16 only in these functions; the backend calls them
   only when posenc_cpu_features() has POSENC_CPU_AVX512BF16. */
#define VEC_HAVE_NATIVE_BF16 1
#define VEC_NATIVE_BF16_FEATURE POSENC_CPU_AVX512BF16
#if defined(__clang__)
#define VEC_NATIVE_BF16_BEGIN                                                                   \
    _Pragma("clang attribute push(__attribute__((target(\"avx512bf16\"))), apply_to = function)")
#define VEC_NATIVE_BF16_END _Pragma("clang attribute pop")
#else
#define VEC_NATIVE_BF16_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx512bf16\")")
#define VEC_NATIVE_BF16_END _Pragma("GCC pop_options")
#endif
VEC_NATIVE_BF16_BEGIN
static inline __m512i vec_bf16_interleave(__m512i h)
{
    const __m512i interleave = _mm512_setr_epi32(
        0x00100000, 0x00110001, 0x00120002, 0x00130003, 0x00140004, 0x00150005, 0x00160006,
        0x00170007, 0x00180008, 0x00190009, 0x001a000a, 0x001b000b, 0x001c000c, 0x001d000d,
        0x001e000e, 0x001f000f);
    return _mm512_permutexvar_epi16(interleave, h);
}
static inline void vf_store2_bf16_native(uint16_t *p, vf even, vf odd)
{
    __m512i h = (__m512i)_mm512_cvtne2ps_pbh(odd, even); /* even's 16, then odd's */
    if (__builtin_expect(_mm512_testn_epi16_mask(h, _mm512_set1_epi16(0x7fff)) != 0, 0)) {
        vf_store2_bf16(p, even, odd);
        return;
    }
    _mm512_storeu_si512(p, vec_bf16_interleave(h));
}
/* both stores of a rotation with one test (a branch per store cost 8% of a decode on Zen 4) */
static inline void vf_store2x2_bf16_native(uint16_t *p, vf p0, vf p1, uint16_t *q, vf q0, vf q1)
{
    __m512i hp = (__m512i)_mm512_cvtne2ps_pbh(p1, p0), hq = (__m512i)_mm512_cvtne2ps_pbh(q1, q0);
    const __m512i magnitude = _mm512_set1_epi16(0x7fff);
    if (__builtin_expect(!_kortestz_mask32_u8(_mm512_testn_epi16_mask(hp, magnitude),
                                              _mm512_testn_epi16_mask(hq, magnitude)),
                         0)) {
        vf_store2_bf16(p, p0, p1);
        vf_store2_bf16(q, q0, q1);
        return;
    }
    _mm512_storeu_si512(p, vec_bf16_interleave(hp));
    _mm512_storeu_si512(q, vec_bf16_interleave(hq));
}
VEC_NATIVE_BF16_END

/* ---- doubles ------------------------------------------------------------------------------- */

/* (float)((double)(int32)t * k) on every lane: each half converted to double exactly, scaled in
   double (one rounding), rounded once to float (the SLEEF backends' angle of a turn fraction) */
static inline vf vf_from_vi_mul_f64(vi t, double k)
{
    const __m512d kv = _mm512_set1_pd(k);
    __m512d lo = _mm512_mul_pd(_mm512_cvtepi32_pd(_mm512_castsi512_si256(t)), kv);
    __m512d hi = _mm512_mul_pd(_mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(t, 1)), kv);
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm512_cvtpd_ps(lo)), _mm512_cvtpd_ps(hi),
                              1);
}

#endif
