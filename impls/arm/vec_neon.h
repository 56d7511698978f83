/* vec_neon.h - the vector API of impls/simd/kernels.h on AArch64 NEON (ASIMD): 4 float lanes,
 * and this ISA's one place for the typed vocabulary around it (16-bit element loads and stores,
 * masked tails, the double-precision step the SLEEF backends need). */
#ifndef POSENC_VEC_NEON_H
#define POSENC_VEC_NEON_H

/* ASIMD is part of the AArch64 base ISA. 32-bit Arm NEON is not a target: it flushes subnormals
   to zero, so it could not match the scalar backend bit for bit, and lacks vmull_high_n_u32. */
#if !defined(__aarch64__) || !defined(__ARM_NEON)
#error "vec_neon.h needs AArch64 with NEON: compile this file in the neon object library"
#endif

#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VL 4
typedef float32x4_t vf;
typedef uint32x4_t vi;

/* vf_mul and vf_add round twice, as the scalar code's a * b + c; vf_fma is the fused form
   (fmla), rounding once as its fmaf does. vmlaq_f32 is never used: compilers may emit it as
   either. The build's -ffp-contract=off keeps the compiler from fusing vmulq_f32 + vaddq_f32
   itself. */
static inline vf vf_loadu(const float *p) { return vld1q_f32(p); }
static inline void vf_storeu(float *p, vf v) { vst1q_f32(p, v); }
static inline vf vf_set1(float x) { return vdupq_n_f32(x); }
/* No streaming store (vf_stream, VEC_STREAM_BYTES): outputs of every size take ordinary stores
   (simd/kernel_common.h). */
static inline vf vf_add(vf a, vf b) { return vaddq_f32(a, b); }
static inline vf vf_sub(vf a, vf b) { return vsubq_f32(a, b); }
static inline vf vf_mul(vf a, vf b) { return vmulq_f32(a, b); }
static inline vf vf_fma(vf a, vf b, vf c) { return vfmaq_f32(c, a, b); }

static inline vi vi_loadu(const uint32_t *p) { return vld1q_u32(p); }
static inline vi vi_set1(uint32_t x) { return vdupq_n_u32(x); }
static inline vi vi_add(vi a, vi b) { return vaddq_u32(a, b); }
static inline vi vi_sub(vi a, vi b) { return vsubq_u32(a, b); }
static inline vi vi_and(vi a, vi b) { return vandq_u32(a, b); }
/* The shift count is an immediate of the instruction, so these must stay macros. */
#define vi_srli(v, n) vshrq_n_u32((v), (n))
#define vi_slli(v, n) vshlq_n_u32((v), (n))

/* signed int32 lanes to float, rounding to nearest as (float)int32 does */
static inline vf vf_from_vi(vi v) { return vcvtq_f32_s32(vreinterpretq_s32_u32(v)); }

/* lanes whose bit 0 of q is set take b, the others a */
static inline vf vf_select_odd(vi q, vf a, vf b)
{
    return vbslq_f32(vtstq_u32(q, vdupq_n_u32(1)), b, a);
}

/* v with its sign bits xor-ed by bit 31 of `bits` */
static inline vf vf_xor_sign(vf v, vi bits)
{
    uint32x4_t sign = vandq_u32(bits, vdupq_n_u32(UINT32_C(0x80000000)));
    return vreinterpretq_f32_u32(veorq_u32(vreinterpretq_u32_f32(v), sign));
}

/* nonzero when a lane of a or b is NaN (x == x fails only there) */
static inline int vf_any_nan2(vf a, vf b)
{
    return vminvq_u32(vandq_u32(vceqq_f32(a, a), vceqq_f32(b, b))) == 0;
}

/* v with every NaN lane replaced by the canonical NaN 0x7fc00000 (core/special_values.h): v == v
   is false exactly in the NaN lanes, which take the constant. Needed here too: AArch64 gives its
   default NaN only for invalid operations and otherwise passes an input NaN through. */
static inline vf vf_canon_nan(vf v)
{
    return vbslq_f32(vceqq_f32(v, v), v, vreinterpretq_f32_u32(vdupq_n_u32(0x7fc00000)));
}

/* (s, c) = (cs, -sn) in the lanes whose bit 30 of q is set, (sn, cs) in the others: a quarter
   turn more (negation flips the sign bit only, as the other ISAs' xor does) */
static inline void vf_quarter_turn(vi q, vf sn, vf cs, vf *s, vf *c)
{
    uint32x4_t odd = vtstq_u32(q, vdupq_n_u32(UINT32_C(1) << 30));
    *s = vbslq_f32(odd, cs, sn);
    *c = vbslq_f32(odd, vnegq_f32(sn), cs);
}

/* t = (uint32)(p * hi) + (uint32)((p * lo + 2^31 + add * 2^32) >> 32): the rounded top 32 bits
 * of p * (hi * 2^32 + lo) mod 2^64, plus add, for the VL steps from index 0 (w: the same steps
 * whole, unused here). vaddhn adds and keeps the high halves in one step. With p < 2^31 and
 * add <= 2^31, p * lo + 2^31 + add * 2^32 < 2^64: the 64-bit sums never wrap. */
static inline vi vi_turns32(uint32_t p, const uint64_t *w, const uint32_t *hi, const uint32_t *lo,
                            uint32_t add)
{
    (void)w;
    const uint64x2_t off = vdupq_n_u64(((uint64_t)add << 32) + (UINT64_C(1) << 31));
    uint32x4_t l = vld1q_u32(lo);
    uint32x4_t top = vmulq_n_u32(vld1q_u32(hi), p);
    uint32x2_t c01 = vaddhn_u64(vmull_n_u32(vget_low_u32(l), p), off); /* lanes 0, 1 */
    uint32x4_t carry = vaddhn_high_u64(c01, vmull_high_n_u32(l, p), off); /* lanes 2, 3 */
    return vaddq_u32(top, carry);
}

/* *first = (a0 b0 a1 b1), *second = (a2 b2 a3 b3) */
static inline void vf_zip(vf a, vf b, vf *first, vf *second)
{
    *first = vzip1q_f32(a, b);
    *second = vzip2q_f32(a, b);
}

/* (v0, v1, v2, v3) -> (v1, v0, v3, v2) */
static inline vf vf_swap_pairs(vf v) { return vrev64q_f32(v); }

/* ---- masked tails: n < VL lanes (n <= VL allowed), the others zero (loads) or untouched
   (stores). NEON has no masked loads or stores: n elements go through a buffer of VL. */
static inline vf vf_loadu_n(const float *p, size_t n)
{
    float b[VL] = {0};
    memcpy(b, p, n * sizeof *p);
    return vld1q_f32(b);
}
static inline void vf_storeu_n(float *p, vf v, size_t n)
{
    float b[VL];
    vst1q_f32(b, v);
    memcpy(p, b, n * sizeof *p);
}

/* ---- 16-bit element types: core/half.h's conversions on VL lanes, bit for bit ------------- */

/* bfloat16 widens by a shift: the top half of a binary32 */
static inline vf vec_bf16_to_f32(uint16x4_t h) { return vreinterpretq_f32_u32(vshll_n_u16(h, 16)); }

/* posenc_f32_bits_to_bf16: NaNs made 0x7fc00000 first (which rounds to 0x7fc0, the canonical
   bf16 NaN), then f + 0x7fff + the lowest kept bit, the top halves kept (no lane can wrap: the
   largest non-NaN, -inf, is 0xff800000) */
static inline uint16x4_t vec_f32_to_bf16(vf v)
{
    uint32x4_t f = vreinterpretq_u32_f32(vf_canon_nan(v));
    uint32x4_t lsb = vandq_u32(vshrq_n_u32(f, 16), vdupq_n_u32(1));
    return vshrn_n_u32(vaddq_u32(vaddq_u32(f, vdupq_n_u32(0x7fff)), lsb), 16);
}

/* binary16 widens with fcvtl, exact except that it quiets a signalling NaN (sets the top
   mantissa bit; FPCR.DN is off on Linux, so the sign and payload are kept) where
   posenc_f16_to_f32_bits keeps the bits: in the lanes whose exponent is all ones, that bit is
   cleared again unless the input had it. */
static inline vf vec_f16_to_f32(uint16x4_t h)
{
    uint32x4_t f = vreinterpretq_u32_f32(vcvt_f32_f16(vreinterpret_f16_u16(h)));
    uint32x4_t w = vmovl_u16(h);
    uint32x4_t exp = vdupq_n_u32(0x7c00);
    uint32x4_t special = vceqq_u32(vandq_u32(w, exp), exp);
    uint32x4_t clear = vbicq_u32(vdupq_n_u32(0x400000), vshlq_n_u32(w, 13));
    return vreinterpretq_f32_u32(vbicq_u32(f, vandq_u32(special, clear)));
}

/* posenc_f32_bits_to_f16 with fcvtn, rounding by FPCR (to nearest even, Linux's default; FZ
   off, so subnormal results are kept) and overflowing to inf as half.h does, but turning a NaN
   into a quiet NaN with the sign and top payload bits kept; NaNs made 0x7fc00000 first convert
   to 0x7e00, the canonical fp16 NaN. */
static inline uint16x4_t vec_f32_to_f16(vf v)
{
    return vreinterpret_u16_f16(vcvt_f16_f32(vf_canon_nan(v)));
}

static inline vf vf_load_bf16(const uint16_t *p) { return vec_bf16_to_f32(vld1_u16(p)); }
static inline vf vf_load_f16(const uint16_t *p) { return vec_f16_to_f32(vld1_u16(p)); }
static inline void vf_store_bf16(uint16_t *p, vf v) { vst1_u16(p, vec_f32_to_bf16(v)); }
static inline void vf_store_f16(uint16_t *p, vf v) { vst1_u16(p, vec_f32_to_f16(v)); }

/* 16-bit tails: no 16-bit masked load or store on this ISA */
#include "simd/vec_half_tails.h"

/* ---- 16-bit pairs: 2 VL elements as two float vectors (simd/vec_half_pairs.h) -------------
   The rotations' loads and stores, each half widened or narrowed in place (vshll / vuzp2 for
   bfloat16, fcvtl / fcvtn for float16). Widening is exact (a signalling NaN may come out quiet:
   the kernels only ask whether a lane is NaN); narrowing rounds as core/half.h does, except
   that a NaN becomes some NaN of the type, not the canonical one (the kernels canonicalize NaNs
   after the fact, rarely). */
#define VEC_BF16_ORDER VEC_ORDER_HALVES
#define VEC_F16_ORDER VEC_ORDER_HALVES

static inline void vf_load2_bf16(const uint16_t *p, vf *lo, vf *hi)
{
    uint16x8_t h = vld1q_u16(p);
    *lo = vreinterpretq_f32_u32(vshll_n_u16(vget_low_u16(h), 16));
    *hi = vreinterpretq_f32_u32(vshll_high_n_u16(h, 16));
}

/* f + 0x7fff + the lowest kept bit in every lane, the rounded value in the top half (a NaN:
   vec_half_pairs.h) */
static inline uint16x8_t vec_round_bf16_hi(vf v)
{
    uint32x4_t f = vreinterpretq_u32_f32(v);
    uint32x4_t lsb = vandq_u32(vshrq_n_u32(f, 16), vdupq_n_u32(1));
    return vreinterpretq_u16_u32(vaddq_u32(vaddq_u32(f, vdupq_n_u32(0x7fff)), lsb));
}
static inline void vf_store2_bf16(uint16_t *p, vf lo, vf hi)
{
    /* the odd 16-bit lanes are the top halves, in order */
    vst1q_u16(p, vuzp2q_u16(vec_round_bf16_hi(lo), vec_round_bf16_hi(hi)));
}

static inline void vf_load2_f16(const uint16_t *p, vf *lo, vf *hi)
{
    float16x8_t h = vreinterpretq_f16_u16(vld1q_u16(p));
    *lo = vcvt_f32_f16(vget_low_f16(h));
    *hi = vcvt_high_f32_f16(h);
}
static inline void vf_store2_f16(uint16_t *p, vf lo, vf hi)
{
    vst1q_u16(p, vreinterpretq_u16_f16(vcvt_high_f16_f32(vcvt_f16_f32(lo), hi)));
}

/* (a0 b0 a1 b1), (a2 b2 a3 b3) -> a, b: vf_zip's inverse */
static inline void vf_unzip(vf first, vf second, vf *a, vf *b)
{
    *a = vuzp1q_f32(first, second);
    *b = vuzp2q_f32(first, second);
}

/* ---- doubles ------------------------------------------------------------------------------- */

/* (float)((double)(int32)t * k) on every lane: each half widened to int64 and converted to
   double (exact), scaled in double (one rounding), rounded once to float (the SLEEF backends'
   angle of a turn fraction) */
static inline vf vf_from_vi_mul_f64(vi t, double k)
{
    const float64x2_t kv = vdupq_n_f64(k);
    int32x4_t ts = vreinterpretq_s32_u32(t);
    float64x2_t lo = vmulq_f64(vcvtq_f64_s64(vmovl_s32(vget_low_s32(ts))), kv);
    float64x2_t hi = vmulq_f64(vcvtq_f64_s64(vmovl_high_s32(ts)), kv);
    return vcvt_high_f32_f64(vcvt_f32_f64(lo), hi);
}

#endif
