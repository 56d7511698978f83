/* phase_poly.h - the default phase source of impls/simd/kernels.h: sin and cos of VL frequencies
 * computed from the plan's constants (simd_plan.h).
 *   - exact mode: the rounded top 32 bits of p * turn_step mod 2^64 (vi_turns32), then
 *     posenc_sincos_turns32 (impls/core/sincos.h) operation for operation on VL lanes;
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

/* posenc_sincos_turns32 on VL lanes */
static inline void KFN(sincos_turns)(vi t, vf *sin_out, vf *cos_out)
{
    vi q = vi_srli(vi_add(t, vi_set1(UINT32_C(1) << 29)), 30);
    vi r = vi_sub(t, vi_slli(q, 30));
    vf s = vf_mul(vf_from_vi(r), vf_set1(1.0f / 4294967296.0f));
    vf s2 = vf_mul(s, s);
    vf ps = vf_set1(POSENC_SIN_T9);
    ps = vf_add(vf_mul(ps, s2), vf_set1(POSENC_SIN_T7));
    ps = vf_add(vf_mul(ps, s2), vf_set1(POSENC_SIN_T5));
    ps = vf_add(vf_mul(ps, s2), vf_set1(POSENC_SIN_T3));
    ps = vf_add(vf_mul(ps, s2), vf_set1(POSENC_SIN_T1));
    vf sn = vf_mul(ps, s);
    vf pc = vf_set1(POSENC_COS_T10);
    pc = vf_add(vf_mul(pc, s2), vf_set1(POSENC_COS_T8));
    pc = vf_add(vf_mul(pc, s2), vf_set1(POSENC_COS_T6));
    pc = vf_add(vf_mul(pc, s2), vf_set1(POSENC_COS_T4));
    pc = vf_add(vf_mul(pc, s2), vf_set1(POSENC_COS_T2));
    vf cs = vf_add(vf_mul(pc, s2), vf_set1(1.0f));
    vf sv = vf_select_odd(q, sn, cs);
    vf cv = vf_select_odd(q, cs, sn);
    *sin_out = vf_xor_sign(sv, vi_slli(q, 30));                   /* bit 1 of q: negate */
    *cos_out = vf_xor_sign(cv, vi_slli(vi_add(q, vi_set1(1)), 30)); /* bit 1 of q+1 */
}

static inline void KFN(phase_vec)(const KFN(phase) *ph, size_t i, vf *s, vf *c)
{
    /* exact mode is the one users run and the bench times: the hint keeps it the straight
       path (scripts/check-speed counts its instructions) */
    if (__builtin_expect(ph->exact, 1)) {
        vi t = vi_turns32(ph->p32, vi_loadu(ph->d->step_hi + i), vi_loadu(ph->d->step_lo + i));
        KFN(sincos_turns)(t, s, c);
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
