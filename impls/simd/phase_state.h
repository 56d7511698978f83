/* phase_state.h - the per-position state of the phase sources that compute sin and cos from the
 * plan's per-frequency constants (simd_plan.h): simd/phase_poly.h and the SLEEF backends. It
 * defines KFN(phase) and KFN(phase_at) of the phase-source contract in simd/kernel_common.h;
 * the including source adds KFN(phase_vec). Included once per kernels.h instance (no guard). */
#include <stdint.h>

#include "core/plan.h"
#include "simd/kernel_names.h"
#include "simd/simd_plan.h"

typedef struct {
    const simd_plan_data *d;
    int exact;    /* exact angle mode: d->step_hi/lo; recipe modes: d->inv_freq (d->mode) */
    uint32_t p32; /* the position mod 2^32 (turn_step * 2^32 is a whole number of turns) */
    float pf;     /* (float)p, rounded once as the fp32 recipe does */
} KFN(phase);

static inline void KFN(phase_at)(KFN(phase) *ph, const posenc_plan *plan, int64_t p)
{
    ph->d = plan->backend;
    ph->exact = plan->params.angle_mode == POSENC_ANGLE_EXACT;
    ph->p32 = (uint32_t)p;
    ph->pf = (float)p;
}
