/* simd_plan.c - prepare/release for the vector backends: one aligned allocation holding the
 * padded per-frequency constants, whole and split. Plain C: runs before any CPU check matters. */
#include "simd/simd_plan.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int simd_prepare(posenc_plan *plan)
{
    size_t n_pad = (plan->n_freq + SIMD_MAX_LANES - 1) / SIMD_MAX_LANES * SIMD_MAX_LANES;
    /* step, step_hi and step_lo (and the zero after it), or inv_freq in the same room */
    size_t arrays = n_pad * sizeof(uint64_t) + (2 * n_pad + 1) * sizeof(uint32_t);
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
        d->step = (uint64_t *)arr;
        d->step_hi = (uint32_t *)(d->step + n_pad);
        d->step_lo = d->step_hi + n_pad;
        for (size_t i = 0; i < plan->n_freq; i++) {
            d->step[i] = plan->turn_step[i];
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
