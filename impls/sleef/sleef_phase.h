/* sleef_phase.h - the phase block of the SLEEF backends: each angle mode's angle as one float,
 * then SLEEF's vector sincosf, in place of the polynomial of impls/simd/kernels.h.
 *
 * These backends show what a team that reaches for SLEEF gets, so the sin and cos are SLEEF's own
 * and the angle is the float a caller would hand it:
 *   - exact mode: the phase is formed exactly in fixed point as in kernels.h (vi_turns32: the
 *     rounded top 32 bits t of p * turn_step mod 2^64), read as a signed fraction of a turn,
 *     (int32)t / 2^32 in [-1/2, 1/2), and converted to the float angle nearest 2 pi (int32)t / 2^32
 *     in [-pi, pi]; SLEEF never sees a large argument, whatever the position.
 *   - fp32 mode: the recipe's angle, (float)p * inv_freq[i] rounded in fp32 as the scalar backend
 *     forms it, then SLEEF on that angle (up to 2^31: SLEEF's own range reduction). SLEEF picks
 *     one reduction for a whole vector (the short one only when every lane is small), so here a
 *     lane's bits depend on the other frequencies in its vector, and so on the vector width: the
 *     algorithm of each backend names its ISA. Against the correctly rounded recipe (the other
 *     backends' fp32 mode) u10 differs by at most 1 ulp (in 2.9% of values), u35 by at most
 *     2 ulp (12.7%), measured over dims 64..4096, bases 1e4..1e6 and 64 positions up to 2^31-1.
 *   - bf16 and fp16 modes: the half recipe's angle formed lane by lane as every backend forms
 *     it (core/half_angle.h), then SLEEF on it. The angle is the same bits as elsewhere; the sin
 *     and cos are SLEEF's approximation of it (POSENC_IMPL_APPROX_SINCOS), so they differ from
 *     the other backends' correctly rounded values by SLEEF's error, as in fp32 mode (u10: 1
 *     ulp, u35: 2), a speck beside the half recipes' own error.
 *
 * The conversion of t (see SLEEF_RAD_PER_TURN32): t is converted to double (exact, |t| <= 2^31),
 * multiplied by 2 pi / 2^32 in double and rounded once to float. The double product is within
 * 2^-52 (relative) of the true angle, so the float is the correctly rounded angle except when the
 * true angle lies within 2^-52 (relative) of a midpoint between two floats, and is never off by
 * more than half an ulp plus that: at most 2u (u = 2^-24) of angle near |angle| = pi, where a
 * float's ulp is 2^-22. That half ulp is the price of any float angle on [-pi, pi]. The plain
 * fp32 alternative, (float)(int32)t * (float)(2 pi / 2^32), rounds three times (t to 24 bits,
 * the constant, the product): 5.04u of angle at worst over all t, against 2.00u for the double
 * route (measured). The double route costs a few conversions and two multiplies per vector, small
 * beside SLEEF's sincosf, and gives the same float on every ISA (IEEE double arithmetic, no fused
 * operations).
 *
 * The conversion is the vector API's vf_from_vi_mul_f64 (its ISA's vec_<isa>.h): the SLEEF
 * backends write no intrinsics of their own, only SLEEF's functions.
 *
 * Use: a backend file includes its vec_<isa>.h, <sleef.h>, simd/kernel_names.h and this header
 * (for the constants; without SLEEF_ACC the template below is skipped), and defines once
 *   - SLEEF_ISA (avx2: the backends' names), SLEEF_ISA_DESC ("AVX2+FMA"), SLEEF_ISA_FEATURES
 *     (POSENC_CPU_* bits), and SLEEF's naming of the same: SLEEF_FN_LANES (8), SLEEF_FN_ISA
 *     (avx2, in Sleef_sincosf8_u10avx2) and SLEEF_FN_RESULT (Sleef___m256_2).
 * Then, once per SLEEF accuracy, it defines SLEEF_ACC (u10 or u35) and includes this header
 * again: the template makes the kernels.h configuration (names, bounds, SLEEF's sincosf as the
 * phase source) and includes simd/kernels.h, which defines the descriptors
 * posenc_{sinusoidal,rotary}_sleef_<acc>_<isa>. */
#ifndef POSENC_SLEEF_PHASE_H
#define POSENC_SLEEF_PHASE_H

#include <stddef.h>
#include <stdint.h>

#include "core/half_angle.h"
#include "core/plan.h"
#include "simd/simd_plan.h"

/* 2 pi / 2^32 = pi * 2^-31, radians per unit of a 32-bit turn fraction, rounded to double
   (pi's double times a power of two: relative error below 2^-53). */
#define SLEEF_RAD_PER_TURN32 0x1.921fb54442d18p-30

/* Documented bounds of every SLEEF backend (posenc_impl.max_err_u, exact mode, u = 2^-24), from
   measurement against the exact truth:
   - all 2^32 turn values t through this conversion and SLEEF 3.5's AVX2 sincosf, against
     sin/cos(2 pi t / 2^32) in double: worst |error| u10 2.295u (sin 2.293, cos 2.294), u35
     2.744u (sin 2.744, cos 2.614); worst |error cos| + |error sin| at one t: u10 4.205u, u35
     4.829u. Rounding the 64-bit phase to t adds at most 2 pi 2^-33 turn = 0.012u to each value.
   - test_accuracy against the MPFR oracle (full grid, AVX2): values u10 2.248u, u35 2.710u;
     rotary apply u10 4.499u, u35 5.081u per pair, relative to max(|a|, |b|).
   - SLEEF's NEON build (under qemu-aarch64) gives the AVX2 build's bits on every value compared:
     the angles of every 61st t and every 61st float in [0, 2^31], u10 and u35.
   Values: u10 2.31u -> 3u, u35 2.76u -> 3.5u. Rotary apply: a pair's error is at most
   (|error c| + |error s|) max(|a|, |b|) from the values plus three float roundings (two products
   and a sum, together 2 sqrt(2)u), so u10 4.23u + 2.83u = 7.06u -> 8u and u35 4.85u + 2.83u =
   7.68u -> 9u, above the measured 4.5u and 5.1u. */
#define SLEEF_BOUND_SINUSOIDAL_u10 3.0
#define SLEEF_BOUND_ROTARY_u10 8.0
#define SLEEF_BOUND_SINUSOIDAL_u35 3.5
#define SLEEF_BOUND_ROTARY_u35 9.0

#define SLEEF_STR2(x) #x
#define SLEEF_STR(x) SLEEF_STR2(x)
#define SLEEF_PASTE2(a, b) a##b
#define SLEEF_PASTE(a, b) SLEEF_PASTE2(a, b)
/* Sleef_sincosf<lanes>_<acc><isa>, e.g. Sleef_sincosf8_u10avx2 */
#define SLEEF_FN_NAME3(lanes, acc, isa) Sleef_sincosf##lanes##_##acc##isa
#define SLEEF_FN_NAME(lanes, acc, isa) SLEEF_FN_NAME3(lanes, acc, isa)
/* "SLEEF 3.5": the version of the sleef.h compiled against, for the descriptions. */
#define SLEEF_VERSION_STRING                                                                      \
    "SLEEF " SLEEF_STR(SLEEF_VERSION_MAJOR) "." SLEEF_STR(SLEEF_VERSION_MINOR)

#endif /* POSENC_SLEEF_PHASE_H */

/* ---- the template: once per accuracy, after SLEEF_ACC -------------------------------------- */

#ifdef SLEEF_ACC
#define SLEEF_FN SLEEF_FN_NAME(SLEEF_FN_LANES, SLEEF_ACC, SLEEF_FN_ISA)

#define ISA_SUFFIX KCAT(KCAT(sleef, SLEEF_ACC), SLEEF_ISA) /* sleef_u10_avx2 */
#define ISA_NAME "sleef-" SLEEF_STR(SLEEF_ACC) "-" SLEEF_STR(SLEEF_ISA)
#define ISA_DESC SLEEF_ISA_DESC
#define ISA_METHOD                                                                               \
    "exact 64-bit phase or the fp32 recipe's angle, then " SLEEF_VERSION_STRING " "             \
    SLEEF_STR(SLEEF_FN)
#define ISA_FEATURES SLEEF_ISA_FEATURES
/* The algorithm names the ISA: in fp32 mode SLEEF's bits depend on the vector width (above),
   so test_bitwise finds no portable twin and leaves these to the oracle tests. */
#define ISA_ALGORITHM ISA_NAME
#define ISA_FLAGS (POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_APPROX_SINCOS)
#define ISA_BOUND_SINUSOIDAL SLEEF_PASTE(SLEEF_BOUND_SINUSOIDAL_, SLEEF_ACC)
#define ISA_BOUND_ROTARY SLEEF_PASTE(SLEEF_BOUND_ROTARY_, SLEEF_ACC)
#define SIMD_NO_LEARNED
#define SIMD_PHASE_SOURCE

#include "simd/phase_state.h"

/* The phase_vec of the phase-source contract (impls/simd/kernel_common.h). The constants are
 * zero-padded (simd_plan.h): lanes past n_freq compute sin and cos of 0. */
static inline void KFN(phase_vec)(const KFN(phase) *ph, size_t i, vf *s, vf *c)
{
    vf angle;
    if (ph->exact) {
        vi t = vi_turns32(ph->p32, ph->d->step + i, ph->d->step_hi + i, ph->d->step_lo + i, 0);
        angle = vf_from_vi_mul_f64(t, SLEEF_RAD_PER_TURN32);
    } else if (ph->d->mode == POSENC_ANGLE_FP32) {
        /* the recipe: (float)p rounded once (as the scalar backend does), one fp32 product */
        angle = vf_mul(vf_set1(ph->pf), vf_loadu(ph->d->inv_freq + i));
    } else {
        /* bf16, fp16: the half recipe's angle, lane by lane (core/half_angle.h) */
        posenc_angle_mode m = ph->d->mode;
        float pf = m == POSENC_ANGLE_FP16 ? posenc_round_fp16(ph->pf) : ph->pf, ab[VL];
        for (int k = 0; k < VL; k++)
            ab[k] = posenc_recipe_angle(m, pf, ph->d->inv_freq[i + k]);
        angle = vf_loadu(ab);
    }
    SLEEF_FN_RESULT r = SLEEF_FN(angle);
    *s = r.x;
    *c = r.y;
}

#include "simd/kernels.h"

#undef SLEEF_FN
#undef SLEEF_ACC
#endif /* SLEEF_ACC */
