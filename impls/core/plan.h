/* plan.h - the plan every backend reads: resolved parameters and the per-frequency data shared by
 * all backends (exact fixed-point phase steps and the fp32 recipe's inverse frequencies). */
#ifndef POSENC_CORE_PLAN_H
#define POSENC_CORE_PLAN_H

#include "posenc.h"

/* Entries of posenc_plan.axis are padded to a multiple of this (the widest vector's lanes). */
#define POSENC_AXIS_PAD 16

struct posenc_plan {
    const posenc_impl *impl;
    posenc_params params;     /* defaults filled in */
    size_t row_size;          /* floats per encode row */
    int64_t max_pos;          /* positions must be < max_pos */
    size_t n_freq;            /* dim/2 (sinusoidal) or rotary_dim/2 (rotary); 0 for learned */
    /* exact mode: turns(p, i) = p * turn_step[i] mod 2^64, in units of 2^-64 turn;
       turn_step[i] = round(w_i / (2 pi * scale) * 2^64) */
    uint64_t *turn_step;
    /* recipe modes (fp32, bf16, fp16): the recipe's inverse frequencies, 1.0f / powf(base,
       (float)2i / n) / scale (frequencies.c), and in fp16 mode those rounded to binary16: what
       posenc_recipe_angle multiplies by (core/half_angle.h) */
    float *inv_freq;
    /* rotary: the attention factor that multiplies every cos and sin (HF's attention_scaling;
       1 unless yarn or longrope sets it), as a double (exact mode's definition) and rounded to
       float (what the kernels multiply by, in both angle modes) */
    double attention;
    float attention_f;
    /* M-RoPE: n_axes = 3 positions per token and axis[i] in {0, 1, 2}, the axis frequency i
       takes its position from, padded with the last frequency's axis to a multiple of
       POSENC_AXIS_PAD entries for vector loads; one axis: n_axes = 1 and axis = NULL */
    int n_axes;
    uint32_t *axis;
    /* longrope: the plan's copy of short_factor then long_factor (params.scaling points here) */
    double *longrope_factors;
    /* alibi: slope m_h of head h + 1 (h < H): exact as slope_hi + slope_lo (about 2^-100
       relative), and the fp32 recipe's float */
    double *slope_hi, *slope_lo;
    float *slope_f;
    const posenc_weights *weights; /* learned */
    /* posenc_cpu_features() when the plan was made: the optional instructions a backend may use
       beyond its descriptor's cpu_features (AVX512-BF16 in the avx512 bfloat16 stores), fixed
       for the plan's life, so a call never re-reads POSENC_DISABLE_CPU_FEATURES */
    uint64_t cpu_features;
    /* posenc_stream_threshold() and posenc_stream_threshold_computed() (core/streaming.h)
       when the plan was made: encode outputs of at least this many bytes are written with
       streaming stores (kernel_common.h), by the kernels that copy rows and by those that
       compute them; fixed for the plan's life */
    size_t stream_bytes, stream_computed_bytes;
    void *backend;            /* owned by impl->prepare / impl->release */
    size_t backend_bytes;     /* bytes of backend tables, reported by posenc_plan_table_bytes */
};

/* The implementation reads and writes the plan's 16-bit dtype itself (posenc_impl.dtypes:
 * encode16 and apply16 where not NULL, alibi's scores); otherwise core/stage.c stages the data
 * through the float kernels. */
static inline int posenc_plan_native16(const posenc_plan *plan)
{
    return (plan->impl->dtypes >> plan->params.dtype & 1u) != 0;
}

#endif
