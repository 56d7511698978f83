/* vec_neon.h - the vector API of impls/simd/kernels.h on AArch64 NEON (ASIMD): 4 float lanes. */
#ifndef POSENC_VEC_NEON_H
#define POSENC_VEC_NEON_H

/* ASIMD is part of the AArch64 base ISA. 32-bit Arm NEON is not a target: it flushes subnormals
   to zero, so it could not match the scalar backend bit for bit, and lacks vmull_high_n_u32. */
#if !defined(__aarch64__) || !defined(__ARM_NEON)
#error "vec_neon.h needs AArch64 with NEON: compile this file in the neon object library"
#endif

#include <arm_neon.h>
#include <stdint.h>

#define VL 4
typedef float32x4_t vf;
typedef uint32x4_t vi;

/* Separate multiplies and adds only: vfmaq_f32, and vmlaq_f32 (which compilers may emit as a
   fused fmla on AArch64), would round once where the scalar backend rounds twice. The build's
   -ffp-contract=off keeps the compiler from fusing vmulq_f32 + vaddq_f32 itself. */
static inline vf vf_loadu(const float *p) { return vld1q_f32(p); }
static inline void vf_storeu(float *p, vf v) { vst1q_f32(p, v); }
static inline vf vf_set1(float x) { return vdupq_n_f32(x); }
static inline vf vf_add(vf a, vf b) { return vaddq_f32(a, b); }
static inline vf vf_sub(vf a, vf b) { return vsubq_f32(a, b); }
static inline vf vf_mul(vf a, vf b) { return vmulq_f32(a, b); }

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

/* t = (uint32)(p * wh) + (uint32)((p * wl + 2^31) >> 32): the rounded top 32 bits of
 * p * (wh * 2^32 + wl) mod 2^64, for p < 2^32. p * wl + 2^31 < 2^64, so the 64-bit lanes
 * never wrap. */
static inline vi vi_turns32(uint32_t p, vi wh, vi wl)
{
    const uint64x2_t half = vdupq_n_u64(UINT64_C(1) << 31);
    uint32x4_t top = vmulq_n_u32(wh, p);
    uint64x2_t lo = vaddq_u64(vmull_n_u32(vget_low_u32(wl), p), half); /* lanes 0, 1 */
    uint64x2_t hi = vaddq_u64(vmull_high_n_u32(wl, p), half);          /* lanes 2, 3 */
    uint32x4_t carry = vcombine_u32(vshrn_n_u64(lo, 32), vshrn_n_u64(hi, 32));
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

#endif
