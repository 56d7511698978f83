/* half.h - conversions between float32 and the two 16-bit element types, bfloat16 and IEEE
 * binary16 (float16): the one definition every backend's half-precision loads and stores, and
 * the safetensors loader, reproduce bit for bit.
 *
 * Widening is exact: every bf16 and fp16 value is a float, NaNs keep their sign and payload
 * (bits in, bits out: a signalling NaN never passes through an FPU register that might quiet
 * it). Narrowing rounds to nearest, ties to even, in integer arithmetic (no dependence on the
 * FPU's rounding mode or flush-to-zero flags): subnormal results are kept, results beyond the
 * type's range become +-inf, and a NaN becomes the type's canonical quiet NaN (0x7fc0 for
 * bf16, 0x7e00 for fp16: positive, no payload), posenc.h's special value rule in 16 bits. */
#ifndef POSENC_CORE_HALF_H
#define POSENC_CORE_HALF_H

#include <stdint.h>

#define POSENC_BF16_NAN UINT16_C(0x7fc0)
#define POSENC_F16_NAN UINT16_C(0x7e00)

/* bfloat16 is the top half of a binary32. */
static inline uint32_t posenc_bf16_to_f32_bits(uint16_t h) { return (uint32_t)h << 16; }

/* binary16 to binary32 bits: the exponent rebiased (15 -> 127), subnormal halves made normal
 * floats, inf kept, a NaN's sign and payload kept in the top mantissa bits. */
static inline uint32_t posenc_f16_to_f32_bits(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t mant = h & 0x3FFu;
    if (exp == 0x1Fu)
        return sign | 0x7F800000u | (mant << 13);
    if (exp != 0)
        return sign | ((exp + (127 - 15)) << 23) | (mant << 13);
    if (mant == 0)
        return sign;
    /* subnormal: mant * 2^-24; shift the leading one up to the implicit bit position */
    exp = 127 - 15 + 1;
    while (!(mant & 0x400u)) {
        mant <<= 1;
        exp--;
    }
    return sign | (exp << 23) | ((mant & 0x3FFu) << 13);
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
 * (multiples of 2^-24), and what rounds below half of 2^-24 a signed zero. */
static inline uint16_t posenc_f32_bits_to_f16(uint32_t f)
{
    uint16_t sign = (uint16_t)((f >> 16) & 0x8000u);
    uint32_t a = f & 0x7fffffffu;
    if (a > 0x7f800000u)
        return POSENC_F16_NAN;
    if (a >= 0x477ff000u) /* 65520 and up, inf included: rounds to inf */
        return sign | 0x7c00u;
    if (a >= 0x38800000u) { /* 2^-14 and up: normal; rebias, round the 13 dropped bits */
        uint32_t r = a - ((127u - 15u) << 23);
        r += 0xfffu + ((r >> 13) & 1u);
        return sign | (uint16_t)(r >> 13);
    }
    if (a < 0x33000000u) /* below 2^-25: at most half of the smallest subnormal, rounds to 0 */
        return sign;
    /* subnormal result: the value in units of 2^-24 is m * 2^(e - 150) / 2^-24 */
    uint32_t e = a >> 23, m = (a & 0x7fffffu) | 0x800000u;
    uint32_t shift = 126u - e; /* 14 .. 24 bits dropped: 2^-25 <= a < 2^-14 */
    uint32_t kept = m >> shift, rest = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
    if (rest > half || (rest == half && (kept & 1u)))
        kept++;
    return sign | (uint16_t)kept;
}

#endif
