/* half.h - conversions between float32 and the two 16-bit element types, bfloat16 and IEEE
 * binary16 (float16): the one definition every backend's half-precision loads and stores, and
 * the safetensors loader, reproduce bit for bit.
 *
 * Widening is exact: every bf16 and fp16 value is a float, NaNs keep their sign and payload
 * (bits in, bits out: a signalling NaN never passes through an FPU register that might quiet
 * it). Narrowing rounds to nearest, ties to even (bf16 and normal fp16 results in integer
 * arithmetic; fp16 subnormals through one float addition in the default environment that
 * posenc.h assumes): subnormal results are kept, results beyond the
 * type's range become +-inf, and a NaN becomes the type's canonical quiet NaN (0x7fc0 for
 * bf16, 0x7e00 for fp16: positive, no payload), posenc.h's special value rule in 16 bits. */
#ifndef POSENC_CORE_HALF_H
#define POSENC_CORE_HALF_H

#include <stdint.h>
#include <string.h>

#define POSENC_BF16_NAN UINT16_C(0x7fc0)
#define POSENC_F16_NAN UINT16_C(0x7e00)

/* bfloat16 is the top half of a binary32. */
static inline uint32_t posenc_bf16_to_f32_bits(uint16_t h) { return (uint32_t)h << 16; }

/* binary16 to binary32 bits: the exponent rebiased (15 -> 127), subnormal halves made normal
 * floats (m 2^-24 formed in float: exact), inf kept, a NaN's sign and payload kept in the top
 * mantissa bits. Selects rather than branches, so loops over it vectorize. */
static inline uint32_t posenc_f16_to_f32_bits(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, em = h & 0x7fffu;
    uint32_t exp = em & 0x7c00u;
    float sub = (float)(int32_t)em * 0x1p-24f; /* zero and subnormal halves, exactly */
    uint32_t sub_bits;
    memcpy(&sub_bits, &sub, sizeof sub_bits);
    uint32_t o = (em << 13) + (exp == 0x7c00u ? (255u - 31u) << 23 : (127u - 15u) << 23);
    return sign | (exp == 0 ? sub_bits : o);
}

/* binary32 bits to bfloat16, rounded to nearest even; NaN to POSENC_BF16_NAN. Adding 0x7fff
 * plus the lowest kept bit carries into the kept half exactly when the dropped half is above
 * the midpoint, or at it with an odd kept half; the carry out of the largest finite value makes
 * inf, as rounding should. */
static inline uint16_t posenc_f32_bits_to_bf16(uint32_t f)
{
    if ((f & 0x7fffffffu) > 0x7f800000u)
        return POSENC_BF16_NAN;
    return (uint16_t)((f + 0x7fffu + ((f >> 16) & 1u)) >> 16);
}

/* binary32 bits to binary16, rounded to nearest even; NaN to POSENC_F16_NAN, beyond 65504
 * (from 65520 on, which rounds up) +-inf, below the normal range the binary16 subnormals
 * (multiples of 2^-24), and what rounds below half of 2^-24 a signed zero. Normal results
 * round their 13 dropped bits in integers; subnormal ones by one float addition of 0.5, whose
 * ulp is 2^-24 (round to nearest even, the default environment posenc.h assumes). Selects
 * rather than branches, so loops over it vectorize. */
static inline uint16_t posenc_f32_bits_to_f16(uint32_t f)
{
    uint32_t sign = (f >> 16) & 0x8000u, a = f & 0x7fffffffu;
    uint32_t r = a - ((127u - 15u) << 23); /* normal: rebias, round the dropped bits */
    r = (r + 0xfffu + ((r >> 13) & 1u)) >> 13;
    float x, half = 0.5f;
    memcpy(&x, &a, sizeof x);
    float s = x + half; /* subnormal: 2^-24 units in the low bits of 0.5 + x */
    uint32_t sb, hb;
    memcpy(&sb, &s, sizeof sb);
    memcpy(&hb, &half, sizeof hb);
    uint32_t sub = sb - hb;
    uint32_t v = a > 0x7f800000u ? POSENC_F16_NAN
                 : a >= 0x477ff000u ? 0x7c00u | sign /* 65520 and up, inf included */
                 : a >= 0x38800000u ? r | sign       /* 2^-14 and up */
                                    : sub | sign;
    return (uint16_t)v;
}

/* h, or the type's canonical NaN when h is any NaN (for values a vector store left as some
   NaN of the type) */
static inline uint16_t posenc_bf16_canon(uint16_t h)
{
    return (h & 0x7fffu) > 0x7f80u ? POSENC_BF16_NAN : h;
}
static inline uint16_t posenc_f16_canon(uint16_t h)
{
    return (h & 0x7fffu) > 0x7c00u ? POSENC_F16_NAN : h;
}

#endif
