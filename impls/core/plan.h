/* plan.h - the plan every backend reads: resolved parameters and the per-frequency data shared by
 * all backends (exact fixed-point phase steps and the fp32 recipe's inverse frequencies). */
#ifndef POSENC_CORE_PLAN_H
#define POSENC_CORE_PLAN_H

#include "posenc.h"

struct posenc_plan {
    const posenc_impl *impl;
    posenc_params params;     /* defaults filled in */
    size_t row_size;          /* floats per encode row */
    int64_t max_pos;          /* positions must be < max_pos */
    size_t n_freq;            /* dim/2 (sinusoidal) or rotary_dim/2 (rotary); 0 for learned */
    /* exact mode: turns(p, i) = p * turn_step[i] mod 2^64, in units of 2^-64 turn;
       turn_step[i] = round(w_i / (2 pi * scale) * 2^64) */
    uint64_t *turn_step;
    /* fp32 mode: the recipe's inverse frequencies, 1.0f / powf(base, (float)2i / n) / scale */
    float *inv_freq;
    const posenc_weights *weights; /* learned */
    void *backend;            /* owned by impl->prepare / impl->release */
    size_t backend_bytes;     /* bytes of backend tables, reported by posenc_plan_table_bytes */
};

#endif
