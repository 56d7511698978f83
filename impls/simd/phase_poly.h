/* phase_poly.h - the default phase source of impls/simd/kernels.h: sin and cos of VL frequencies
 * computed from the plan's constants (simd_plan.h).
 *   - exact mode: the rounded top 32 bits of p * turn_step mod 2^64 plus 1/8 turn (vi_turns32),
 *     then posenc_sincos_turns32 (impls/core/sincos.h) operation for operation on VL lanes;
 *   - fp32 mode: the recipe's angle (float)p * inv_freq[i] and its correctly rounded sin/cos in
 *     double, lane by lane: this mode exists to show the recipe's error, not to be fast;
 *   - bf16 and fp16 modes: the same, with the position and angle rounded as
 *     core/half_angle.h says (posenc_bit_round).
 * Included by kernels.h when the backend supplies no phase source of its own. */
#include <stddef.h>
#include <stdint.h>

#include "core/half_angle.h"
#include "core/plan.h"
#include "core/sincos.h"
#include "simd/kernel_names.h"
#include "simd/phase_state.h"

/* posenc_sincos_turns32 on VL lanes, from tq = t + 2^29 (vi_turns32 adds it with the rounding) */
static inline void KFN(sincos_turns)(vi tq, vf *sin_out, vf *cos_out)
{
    vi r = vi_sub(vi_and(tq, vi_set1(UINT32_C(0x3fffffff))), vi_set1(UINT32_C(1) << 29));
    vf s = vf_mul(vf_from_vi(r), vf_set1(1.0f / 4294967296.0f));
    vf s2 = vf_mul(s, s);
    vf ps = vf_fma(vf_set1(POSENC_SIN_S7), s2, vf_set1(POSENC_SIN_S5));
    ps = vf_fma(ps, s2, vf_set1(POSENC_SIN_S3));
    ps = vf_fma(ps, s2, vf_set1(POSENC_SIN_S1));
    vf sn = vf_mul(ps, vf_xor_sign(s, tq)); /* bit 31 of tq (bit 1 of q): negated */
    vf pc = vf_fma(vf_set1(POSENC_COS_C6), s2, vf_set1(POSENC_COS_C4));
    pc = vf_fma(pc, s2, vf_set1(POSENC_COS_C2));
    vf cs = vf_xor_sign(vf_fma(pc, s2, vf_set1(1.0f)), tq);
    vf_quarter_turn(tq, sn, cs, sin_out, cos_out); /* bit 30 (bit 0 of q) */
}

static inline void KFN(phase_vec)(const KFN(phase) *ph, size_t i, vf *s, vf *c)
{
    /* exact mode is the one users run and the bench times: the hint keeps it the straight
       path (scripts/check-speed counts its instructions) */
    if (__builtin_expect(ph->exact, 1)) {
        vi tq = vi_turns32(ph->p32, ph->d->step + i, ph->d->step_hi + i, ph->d->step_lo + i,
                           UINT32_C(1) << 29);
        KFN(sincos_turns)(tq, s, c);
    } else {
        /* the recipe modes' roundings as bit constants (core/half_angle.h: the same values as
           posenc_recipe_position and posenc_recipe_angle in an fp16 plan's positions), so that
           this path adds no branch or call to the loops the exact path runs in */
        float sb[VL], cb[VL];
        float pf = posenc_bit_round_apply(ph->d->round_pos, ph->pf);
        for (int k = 0; k < VL; k++)
            posenc_sincos_fp32_angle(
                posenc_bit_round_apply(ph->d->round_angle, pf * ph->d->inv_freq[i + k]), &sb[k],
                &cb[k]);
        *s = vf_loadu(sb);
        *c = vf_loadu(cb);
    }
}
