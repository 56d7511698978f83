/* recipe_recurrence.c - "rotary/recipe-recurrence", a common design timed beside posenc: RoPE as
 * ggml's CPU kernel computes it (ggml-cpu ops.cpp, ggml_rope_cache_init). Per token,
 * theta = (float)p, then for each pair i in order: cos and sin of theta from libm's cosf and
 * sinf, then theta *= theta_scale, with theta_scale = powf((float)base, -2.0f / rotary_dim) in
 * float32; the row of cos and sin is made once per token and applied to every head with the
 * table backend's vector kernels, reading the row as a one-row table. M-RoPE as ggml does it
 * (ggml_mrope_cache_init): one theta per axis, each multiplied by theta_scale at every pair,
 * frequency i taking the theta of its axis. Other scaling types are refused: ggml carries them
 * as further per-pair factors, which this design leaves out. */
#include <math.h>
#include <stdlib.h>

#include "recipe/recipe.h"
#include "table/table_plan.h"

typedef struct recurrence_data {
    float theta_scale;
    const posenc_impl *kernels; /* the table backend's instance for this CPU */
} recurrence_data;

static int recurrence_prepare(posenc_plan *plan)
{
    int rc = recipe_check_mode(plan);
    if (rc)
        return rc;
    if (plan->params.scaling.type != POSENC_SCALING_NONE)
        return posenc_fail(POSENC_ERR_ARGUMENT,
                           "%s is plain RoPE's recurrence theta *= base^(-2/d): it takes no "
                           "scaling (scaling.type %d; rotary/recipe-cache takes every type)",
                           plan->impl->name, (int)plan->params.scaling.type);
    recurrence_data *d = malloc(sizeof *d);
    if (!d)
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for a plan's recurrence");
    d->theta_scale = powf((float)plan->params.base, -2.0f / (float)plan->params.rotary_dim);
    d->kernels = table_kernels(plan);
    plan->backend = d;
    return POSENC_OK;
}

static void recurrence_release(posenc_plan *plan)
{
    free(plan->backend);
    plan->backend = NULL;
}

/* The row of token t of n (pos as posenc_encode takes it): cos of each frequency, then sin. */
static void recurrence_row(const posenc_plan *plan, const int64_t *pos, size_t n, size_t t,
                           float *row)
{
    const recurrence_data *d = plan->backend;
    const size_t nf = plan->n_freq;
    float theta[3] = {(float)pos[t], 0.0f, 0.0f};
    if (plan->axis) {
        theta[1] = (float)pos[n + t];
        theta[2] = (float)pos[2 * n + t];
    }
    for (size_t i = 0; i < nf; i++) {
        float th = theta[plan->axis ? plan->axis[i] : 0];
        row[i] = cosf(th);
        row[nf + i] = sinf(th);
        theta[0] *= d->theta_scale;
        theta[1] *= d->theta_scale;
        theta[2] *= d->theta_scale;
    }
}

/* Frequencies whose row fits on the stack; wider heads take one from the heap per call. */
#define STACK_FREQS 512

/* The one-row table a token's row is read from: a copy of the plan whose backend is that row,
 * one position axis (the row already holds each frequency's axis). */
typedef struct row_plan {
    posenc_plan plan;
    table_data table;
    float *row;
    float stack_row[2 * STACK_FREQS + TABLE_SLACK_FLOATS];
} row_plan;

static int row_plan_init(row_plan *r, const posenc_plan *plan)
{
    const recurrence_data *d = plan->backend;
    size_t floats = 2 * plan->n_freq + TABLE_SLACK_FLOATS;
    r->row = plan->n_freq <= STACK_FREQS ? r->stack_row : malloc(floats * sizeof(float));
    if (!r->row)
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for a row of %zu floats", floats);
    /* the kernels' vector loads read into the slack past the row's sin */
    for (size_t i = 2 * plan->n_freq; i < floats; i++)
        r->row[i] = 0.0f;
    r->table = (table_data){r->row, 1, d->kernels};
    r->plan = *plan;
    r->plan.backend = &r->table;
    r->plan.axis = NULL;
    r->plan.n_axes = 1;
    r->plan.params.mrope.layout = POSENC_MROPE_NONE;
    return POSENC_OK;
}

static void row_plan_free(row_plan *r)
{
    if (r->row != r->stack_row)
        free(r->row);
}

/* What each entry point does per token: the token's row, then the kernel on that token alone,
   at position 0 of the one-row table. */
typedef enum { ENCODE, APPLY, ENCODE16, APPLY16 } recurrence_op;

static int recurrence_run(recurrence_op op, const posenc_plan *plan, const int64_t *pos,
                          size_t n, void *data, const posenc_layout *l)
{
    row_plan r;
    int rc = row_plan_init(&r, plan);
    if (rc)
        return rc;
    const posenc_impl *k = ((const recurrence_data *)plan->backend)->kernels;
    const int64_t zero = 0;
    for (size_t t = 0; t < n && rc == POSENC_OK; t++) {
        recurrence_row(plan, pos, n, t, r.row);
        switch (op) {
        case ENCODE:
            rc = k->encode(&r.plan, &zero, 1, (float *)data + t * plan->row_size);
            break;
        case APPLY:
            rc = k->apply(&r.plan, &zero, 1, (float *)data + t * l->token_stride, l);
            break;
        case ENCODE16:
            rc = k->encode16(&r.plan, &zero, 1, (uint16_t *)data + t * plan->row_size);
            break;
        case APPLY16:
            rc = k->apply16(&r.plan, &zero, 1, (uint16_t *)data + t * l->token_stride, l);
            break;
        }
    }
    row_plan_free(&r);
    return rc;
}

static int recurrence_encode(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    return recurrence_run(ENCODE, plan, pos, n, out, NULL);
}

static int recurrence_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                            float *x, const posenc_layout *layout)
{
    return recurrence_run(APPLY, plan, pos, n_tokens, x, layout);
}

static int recurrence_encode16(const posenc_plan *plan, const int64_t *pos, size_t n, void *out)
{
    return recurrence_run(ENCODE16, plan, pos, n, out, NULL);
}

static int recurrence_apply16(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                              void *x, const posenc_layout *layout)
{
    return recurrence_run(APPLY16, plan, pos, n_tokens, x, layout);
}

const posenc_impl posenc_rotary_recipe_recurrence = {
    .name = "rotary/recipe-recurrence",
    .description = "design: per-token theta *= theta_scale recurrence, libm sinf/cosf per "
                   "pair (as ggml's CPU RoPE), vector rotate",
    .kind = POSENC_ROTARY,
    .cpu_features = 0,
    .algorithm = "recipe-recurrence",
    .flags = POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_DESIGN,
    .max_err_u = 0.0, /* no bound: the recurrence's error grows with the position */
    .max_pos = INT64_C(1) << 31,
    .prepare = recurrence_prepare,
    .encode = recurrence_encode,
    .apply = recurrence_apply,
    .release = recurrence_release,
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
    .encode16 = recurrence_encode16,
    .apply16 = recurrence_apply16,
};
