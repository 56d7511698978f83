/* simd_plan.c - prepare/release for the vector backends: one aligned allocation holding the
 * padded, split per-frequency constants. Plain C: runs before any CPU check matters. */
#include "simd/simd_plan.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int simd_prepare(posenc_plan *plan)
{
    size_t n_pad = (plan->n_freq + SIMD_MAX_LANES - 1) / SIMD_MAX_LANES * SIMD_MAX_LANES;
    size_t arrays = n_pad * sizeof(uint32_t) * 2; /* step_hi + step_lo, or inv_freq twice over */
    size_t bytes = (sizeof(simd_plan_data) + 63) / 64 * 64 + arrays;
    bytes = (bytes + 63) / 64 * 64;
    unsigned char *mem = aligned_alloc(64, bytes);
    if (!mem)
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu bytes of vector tables", bytes);
    memset(mem, 0, bytes);
    simd_plan_data *d = (simd_plan_data *)mem;
    unsigned char *arr = mem + (sizeof(simd_plan_data) + 63) / 64 * 64;
    d->n_pad = n_pad;
    d->mode = plan->params.angle_mode;
    d->round_pos = posenc_bit_round_position(d->mode);
    d->round_angle = posenc_bit_round_angle(d->mode);
    if (plan->turn_step) {
        d->step_hi = (uint32_t *)arr;
        d->step_lo = d->step_hi + n_pad;
        for (size_t i = 0; i < plan->n_freq; i++) {
            d->step_hi[i] = (uint32_t)(plan->turn_step[i] >> 32);
            d->step_lo[i] = (uint32_t)plan->turn_step[i];
        }
    } else if (plan->inv_freq) {
        d->inv_freq = (float *)arr;
        memcpy(d->inv_freq, plan->inv_freq, plan->n_freq * sizeof(float));
    }
    plan->backend = d;
    plan->backend_bytes = bytes;
    return POSENC_OK;
}

void simd_release(posenc_plan *plan)
{
    free(plan->backend);
    plan->backend = NULL;
    plan->backend_bytes = 0;
}
