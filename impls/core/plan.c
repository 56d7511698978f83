/* plan.c - plans (parameters resolved, per-frequency constants, backend tables) and the public
 * encode/apply entry points, which validate everything before a backend runs. */
#include "core/plan.h"

#include <stdlib.h>

#include "core/alibi_slopes.h"
#include "core/environment.h"
#include "core/error.h"
#include "core/frequencies.h"
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

/* The constants of the plan's angle mode, one per frequency. */
static int compute_frequencies(posenc_plan *plan)
{
    const posenc_params *p = &plan->params;
    int32_t n = p->kind == POSENC_ROTARY ? p->rotary_dim : p->dim;
    plan->n_freq = (size_t)n / 2;
    if (plan->n_freq == 0)
        return POSENC_OK; /* rotary_dim 0 cannot happen (0 means dim), but stay safe */
    if (p->angle_mode == POSENC_ANGLE_EXACT) {
        plan->turn_step = malloc(plan->n_freq * sizeof *plan->turn_step);
        if (!plan->turn_step)
            return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu phase steps", plan->n_freq);
        posenc_turn_steps(p->base, n, (int32_t)plan->n_freq, p->scaling.factor, plan->turn_step);
    } else {
        plan->inv_freq = malloc(plan->n_freq * sizeof *plan->inv_freq);
        if (!plan->inv_freq)
            return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu frequencies", plan->n_freq);
        posenc_fp32_inv_freqs(p->base, n, (int32_t)plan->n_freq, p->scaling.factor,
                              plan->inv_freq);
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

int64_t posenc_plan_max_pos(const posenc_plan *plan) { return plan ? plan->max_pos : 0; }

int posenc_encode(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
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
        rc = posenc_check_positions(pos, n, plan->max_pos);
    return rc ? rc : plan->impl->encode(plan, pos, n, out);
}

int posenc_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
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
        rc = posenc_check_positions(pos, n_tokens, plan->max_pos);
    return rc ? rc : plan->impl->apply(plan, pos, n_tokens, x, &l);
}
