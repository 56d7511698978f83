/* special_values.h - the special value rule of posenc.h in scalar C: every float apply computes
 * (a rotated pair, x + PE, x + W[p]) that is NaN is written as the one canonical quiet NaN.
 *
 * Why a rule at all: IEEE 754 fixes every non-NaN result, but not which NaN an operation returns.
 * x86 returns the first operand's NaN (quieted), and its own "default NaN" for inf * 0 or
 * inf - inf has the sign bit set (0xffc00000); AArch64 returns the default NaN 0x7fc00000 in
 * that case. A compiler may also swap the operands of a commutative * or +, so even one ISA
 * cannot promise which input's NaN comes out. Writing every NaN as 0x7fc00000 (positive, quiet,
 * no payload: C's NAN and AArch64's default NaN) is the one answer every backend can give.
 * The vector API's vf_any_nan2 and vf_canon_nan (impls/simd/kernels.h) do the same on VL lanes. */
#ifndef POSENC_CORE_SPECIAL_VALUES_H
#define POSENC_CORE_SPECIAL_VALUES_H

#include <math.h> /* isunordered: a quiet compare, no exception on a quiet NaN */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define POSENC_CANONICAL_NAN_BITS UINT32_C(0x7fc00000)

/* the canonical NaN as a float */
static inline float posenc_canonical_nan(void)
{
    float f;
    uint32_t u = POSENC_CANONICAL_NAN_BITS;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* v, or the canonical NaN when v is any NaN. A select, not a branch: compilers turn it into a
   compare and a blend, so loops that use it stay vectorisable (the scalar backend's loop over
   heads is vectorised by GCC). */
static inline float posenc_canon_nan(float v) { return v != v ? posenc_canonical_nan() : v; }

/* *a and *b with each NaN canonical. One unordered compare covers both (it is true when either
   is NaN), so finite results pay a compare and a branch that is never taken per pair. */
static inline void posenc_canon_nan2(float *a, float *b)
{
    if (isunordered(*a, *b)) {
        *a = posenc_canon_nan(*a);
        *b = posenc_canon_nan(*b);
    }
}

/* x[0 .. n) with every NaN canonical. The test is a loop of its own, which compilers vectorise
   (an OR of compares); the rewrite runs only when it found a NaN. */
static inline void posenc_canon_nan_run(float *x, size_t n)
{
    int nan = 0;
    for (size_t j = 0; j < n; j++)
        nan |= x[j] != x[j];
    if (nan)
        for (size_t j = 0; j < n; j++)
            x[j] = posenc_canon_nan(x[j]);
}

#endif
