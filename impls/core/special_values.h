/* special_values.h - the special value rule of posenc.h in scalar C: every float apply computes
 * (a rotated pair, x + PE, x + W[p]) that is NaN is written as the one canonical quiet NaN.
 *
 * Why a rule at all: IEEE 754 fixes every non-NaN result, but not which NaN an operation returns.
 * x86 returns the first operand's NaN (quieted), and its own "default NaN" for inf * 0 or
 * inf - inf has the sign bit set (0xffc00000); AArch64 returns the default NaN 0x7fc00000 in
 * that case. A compiler may also swap the operands of a commutative * or +, so even one ISA
 * cannot promise which input's NaN comes out. Writing every NaN as 0x7fc00000 (positive, quiet,
 * no payload: C's NAN and AArch64's default NaN) is the one answer every backend can give.
 * The vector API's vf_canon_nan (impls/simd/kernels.h) does the same on VL lanes. */
#ifndef POSENC_CORE_SPECIAL_VALUES_H
#define POSENC_CORE_SPECIAL_VALUES_H

#include <stdint.h>
#include <string.h>

#define POSENC_CANONICAL_NAN_BITS UINT32_C(0x7fc00000)

/* v, or the canonical NaN when v is any NaN */
static inline float posenc_canon_nan(float v)
{
    if (v != v) {
        uint32_t u = POSENC_CANONICAL_NAN_BITS;
        memcpy(&v, &u, sizeof v);
    }
    return v;
}

#endif
