/* plan.c - plans (parameters resolved, per-frequency constants, backend tables) and the public
 * encode/apply entry points, which validate everything before a backend runs. */
#include "core/plan.h"

#include <stdlib.h>
#include <string.h>

#include "core/alibi_slopes.h"
#include "core/environment.h"
#include "core/error.h"
#include "core/frequencies.h"
#include "core/half_angle.h"
#include "core/stage.h"
#include "core/streaming.h"
#include "core/validate.h"
#include "learned/weights.h"

posenc_params posenc_params_default(posenc_kind kind, int32_t dim)
{
    posenc_params p = {0};
    p.kind = kind;
    p.dim = dim;
    p.rotary_dim = kind == POSENC_ROTARY ? dim : 0;
    p.base = 10000.0;
    p.pairing = kind == POSENC_ROTARY ? POSENC_PAIR_HALF : POSENC_PAIR_INTERLEAVED;
    p.angle_mode = POSENC_ANGLE_EXACT;
    p.scaling.type = POSENC_SCALING_NONE;
    p.scaling.factor = 1.0;
    return p;
}

void posenc_plan_destroy(posenc_plan *plan)
{
    if (!plan)
        return;
    if (plan->impl && plan->impl->release)
        plan->impl->release(plan);
    free(plan->turn_step);
    free(plan->inv_freq);
    free(plan->axis);
    free(plan->longrope_factors);
    free(plan->slope_hi);
    free(plan->slope_lo);
    free(plan->slope_f);
    free(plan);
}

/* The plan's own copy of longrope's factor lists, so that the caller's arrays need not outlive
 * the plan and posenc_plan_params describes what the plan uses. */
static int copy_longrope_factors(posenc_plan *plan)
{
    posenc_scaling *s = &plan->params.scaling;
    size_t nf = plan->n_freq;
    plan->longrope_factors = malloc(2 * nf * sizeof *plan->longrope_factors);
    if (!plan->longrope_factors)
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu longrope factors", 2 * nf);
    memcpy(plan->longrope_factors, s->short_factor, nf * sizeof(double));
    memcpy(plan->longrope_factors + nf, s->long_factor, nf * sizeof(double));
    s->short_factor = plan->longrope_factors;
    s->long_factor = plan->longrope_factors + nf;
    return POSENC_OK;
}

/* M-RoPE: the axis each frequency takes its position from (posenc_mrope). */
static int map_axes(posenc_plan *plan)
{
    const posenc_mrope *m = &plan->params.mrope;
    plan->n_axes = 1;
    if (m->layout == POSENC_MROPE_NONE)
        return POSENC_OK;
    size_t n_pad = (plan->n_freq + POSENC_AXIS_PAD - 1) / POSENC_AXIS_PAD * POSENC_AXIS_PAD;
    plan->axis = malloc(n_pad * sizeof *plan->axis);
    if (!plan->axis)
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu M-RoPE axes", plan->n_freq);
    plan->n_axes = 3;
    for (size_t i = 0; i < n_pad; i++) {
        uint32_t a = 0;
        if (i >= plan->n_freq) { /* padding repeats the last axis */
            plan->axis[i] = plan->axis[plan->n_freq - 1];
            continue;
        }
        if (m->layout == POSENC_MROPE_SECTIONS)
            a = i < (size_t)m->section[0] ? 0 : i < (size_t)(m->section[0] + m->section[1]) ? 1
                                                                                          : 2;
        else if (i % 3 == 1 && i < 3 * (size_t)m->section[1])
            a = 1;
        else if (i % 3 == 2 && i < 3 * (size_t)m->section[2])
            a = 2;
        plan->axis[i] = a;
    }
    return POSENC_OK;
}

/* fp16 angle mode: inv_freq rounded to binary16, and the plan's positions cut to those whose
 * every angle is finite (posenc.h, POSENC_ANGLE_FP16). The angle of a frequency grows with the
 * position (both roundings are monotonic), so the first position with an infinite angle is found
 * by bisection over [0, 65520), past which p_h itself is inf. */
static int fp16_frequencies(posenc_plan *plan)
{
    size_t nf = plan->n_freq;
    float inv_max = 0.0f;
    for (size_t i = 0; i < nf; i++) {
        plan->inv_freq[i] = posenc_round_fp16(plan->inv_freq[i]);
        if (plan->inv_freq[i] > inv_max)
            inv_max = plan->inv_freq[i];
    }
    if (inv_max > 65504.0f)
        return posenc_fail(POSENC_ERR_ARGUMENT, "fp16 angle mode: an inverse frequency %g "
                           "rounds to inf in float16 (no position has a finite angle)",
                           (double)inv_max);
    /* the largest inv_h reaches inf first: lo has a finite angle, hi an infinite one */
    int64_t lo = 0, hi = 65520;
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        float a = posenc_recipe_angle(POSENC_ANGLE_FP16,
                                      posenc_recipe_position(POSENC_ANGLE_FP16, mid), inv_max);
        if (a <= 65504.0f)
            lo = mid;
        else
            hi = mid;
    }
    if (hi < plan->max_pos)
        plan->max_pos = hi;
    return POSENC_OK;
}

/* The constants of the plan's variant and angle mode, one per frequency (core/frequencies.h):
 * no backend derives a variant itself. */
static int compute_frequencies(posenc_plan *plan)
{
    const posenc_params *p = &plan->params;
    plan->n_freq = (size_t)posenc_freq_count(p);
    plan->attention = posenc_attention_factor(p);
    plan->attention_f = (float)plan->attention;
    if (plan->n_freq == 0)
        return POSENC_OK; /* rotary_dim 0 cannot happen (0 means dim), but stay safe */
    int rc = p->scaling.type == POSENC_SCALING_LONGROPE ? copy_longrope_factors(plan) : 0;
    if (!rc)
        rc = map_axes(plan);
    if (rc)
        return rc;
    if (p->angle_mode == POSENC_ANGLE_EXACT) {
        plan->turn_step = malloc(plan->n_freq * sizeof *plan->turn_step);
        dd *w = malloc(plan->n_freq * sizeof *w);
        if (!plan->turn_step || !w) {
            free(w);
            return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu phase steps", plan->n_freq);
        }
        posenc_exact_frequencies(p, w);
        posenc_turn_steps(w, (int32_t)plan->n_freq, plan->turn_step, NULL);
        free(w);
    } else {
        plan->inv_freq = malloc(plan->n_freq * sizeof *plan->inv_freq);
        if (!plan->inv_freq)
            return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu frequencies", plan->n_freq);
        posenc_fp32_inv_freqs(p, plan->inv_freq); /* fp32, bf16: as they are */
        if (p->angle_mode == POSENC_ANGLE_FP16)
            return fp16_frequencies(plan);
    }
    return POSENC_OK;
}

int posenc_plan_create(const posenc_impl *impl, const posenc_params *params, posenc_plan **out)
{
    posenc_clear_error();
    if (!params || !out)
        return posenc_fail(POSENC_ERR_NULL, "%s is NULL", params ? "out" : "params");
    posenc_params resolved;
    int rc = posenc_resolve_params(params, &resolved);
    if (!rc)
        rc = posenc_env_check(); /* a misspelt POSENC_IMPL fails here, named, not silently */
    if (rc)
        return rc;
    if (!impl) {
        impl = posenc_impl_best(resolved.kind);
        if (!impl)
            return posenc_fail(POSENC_ERR_UNSUPPORTED, "no implementation of this kind runs here");
    }
    if (impl->kind != resolved.kind)
        return posenc_fail(POSENC_ERR_KIND, "%s does not implement the requested encoding",
                           impl->name);
    if (!posenc_impl_supported(impl))
        return posenc_fail(POSENC_ERR_UNSUPPORTED, "%s needs instructions this CPU lacks%s",
                           impl->name,
                           (impl->cpu_features & ~posenc_cpu_features_detected()) ? ""
                           : " (hidden by POSENC_DISABLE_CPU_FEATURES)");
    posenc_plan *plan = calloc(1, sizeof *plan);
    if (!plan)
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for a plan");
    plan->impl = impl;
    plan->params = resolved;
    plan->cpu_features = posenc_cpu_features();
    plan->stream_bytes = posenc_stream_threshold(NULL);
    plan->stream_computed_bytes = posenc_stream_threshold_computed();
    plan->n_axes = 1;
    plan->attention = 1.0;
    plan->attention_f = 1.0f;
    if (resolved.kind == POSENC_LEARNED) {
        plan->weights = params->weights;
        plan->row_size = (size_t)resolved.dim;
        plan->max_pos = params->weights->rows;
        plan->params.weights = params->weights;
    } else if (resolved.kind == POSENC_ALIBI) {
        plan->row_size = (size_t)resolved.dim;
        plan->max_pos = impl->max_pos;
        rc = posenc_alibi_slopes(plan);
    } else {
        plan->row_size = (size_t)(resolved.kind == POSENC_ROTARY ? resolved.rotary_dim
                                                                 : resolved.dim);
        plan->max_pos = impl->max_pos;
        rc = compute_frequencies(plan);
    }
    if (resolved.max_positions && resolved.max_positions < plan->max_pos)
        plan->max_pos = resolved.max_positions;
    if (!rc && impl->prepare)
        rc = impl->prepare(plan);
    if (rc) {
        plan->impl = NULL; /* a failed prepare cleans up after itself: no release */
        posenc_plan_destroy(plan);
        return rc;
    }
    *out = plan;
    return POSENC_OK;
}

const posenc_impl *posenc_plan_impl(const posenc_plan *plan) { return plan ? plan->impl : NULL; }

const posenc_params *posenc_plan_params(const posenc_plan *plan)
{
    return plan ? &plan->params : NULL;
}

size_t posenc_plan_row_size(const posenc_plan *plan) { return plan ? plan->row_size : 0; }

size_t posenc_plan_table_bytes(const posenc_plan *plan)
{
    if (!plan)
        return 0;
    return plan->n_freq * (plan->turn_step ? sizeof(uint64_t) : sizeof(float)) +
           plan->backend_bytes;
}

double posenc_plan_attention_factor(const posenc_plan *plan) { return plan ? plan->attention : 0.0; }

int64_t posenc_plan_max_pos(const posenc_plan *plan) { return plan ? plan->max_pos : 0; }

/* The positions of n tokens: n_axes per token (3 with M-RoPE, axis-major). */
static int check_token_positions(const posenc_plan *plan, const int64_t *pos, size_t n)
{
    size_t axes = (size_t)plan->n_axes;
    if (axes > 1 && n > SIZE_MAX / sizeof(int64_t) / axes)
        return posenc_fail(POSENC_ERR_OVERFLOW, "%zu tokens of %zu M-RoPE positions overflow "
                           "size_t", n, axes);
    return posenc_check_positions(pos, n * axes, plan->max_pos);
}


int posenc_encode(const posenc_plan *plan, const int64_t *pos, size_t n, void *out)
{
    posenc_clear_error();
    if (!plan)
        return posenc_fail(POSENC_ERR_NULL, "plan is NULL");
    if (n == 0)
        return POSENC_OK;
    if (!pos || !out)
        return posenc_fail(POSENC_ERR_NULL, "%s is NULL", pos ? "out" : "pos");
    int rc = posenc_check_rows(n, plan->row_size);
    if (!rc)
        rc = check_token_positions(plan, pos, n);
    if (rc)
        return rc;
    if (plan->params.dtype == POSENC_DTYPE_F32)
        return plan->impl->encode(plan, pos, n, out);
    return posenc_plan_native16(plan) && plan->impl->encode16
               ? plan->impl->encode16(plan, pos, n, out)
                           : posenc_stage_encode(plan, pos, n, out);
}

int posenc_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, void *x,
                 const posenc_layout *layout)
{
    posenc_clear_error();
    if (!plan)
        return posenc_fail(POSENC_ERR_NULL, "plan is NULL");
    if (n_tokens == 0)
        return POSENC_OK;
    if (!pos || !x)
        return posenc_fail(POSENC_ERR_NULL, "%s is NULL", pos ? "x" : "pos");
    if (!plan->impl->apply)
        return posenc_fail(POSENC_ERR_KIND, "%s acts on attention scores: use "
                           "posenc_alibi_apply", plan->impl->name);
    posenc_layout l;
    int rc = posenc_resolve_layout(layout, (size_t)plan->params.dim, n_tokens, &l);
    if (!rc)
        rc = check_token_positions(plan, pos, n_tokens);
    if (rc)
        return rc;
    if (plan->params.dtype == POSENC_DTYPE_F32)
        return plan->impl->apply(plan, pos, n_tokens, x, &l);
    return posenc_plan_native16(plan) && plan->impl->apply16
               ? plan->impl->apply16(plan, pos, n_tokens, x, &l)
                           : posenc_stage_apply(plan, pos, n_tokens, x, &l);
}
