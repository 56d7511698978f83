/* variants_view.c - the variants view's choices (variants_view.h), made once for every report. */
#include "variants_view.h"

#include <math.h>
#include <string.h>

const char *const variants_view_modes[VARIANTS_N_MODES] = {"exact", "fp32", "bf16", "fp16"};

static int ok(const run_case *c) { return !strcmp(c->status, "ok"); }

int variants_view_has(const run_record *r, const run_case *c)
{
    if (!c->variant.model_key[0] || strcmp(run_case_dtype(c), "f32"))
        return 0;
    if (c->dispatched)
        return ok(c);
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *d = &r->cases[i];
        if (strcmp(d->group, c->group))
            continue;
        if (d->dispatched && ok(d))
            return 0; /* the group has its dispatched case */
    }
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *d = &r->cases[i];
        if (!strcmp(d->group, c->group) && ok(d))
            return d == c;
    }
    return 0;
}

size_t variants_view_models(const run_record *r, const char **models, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (!variants_view_has(r, c))
            continue;
        size_t k = 0;
        while (k < n && strcmp(models[k], c->model))
            k++;
        if (k == n && n < max)
            models[n++] = c->model;
    }
    return n;
}

const run_variant_accuracy *variants_view_accuracy(const run_record *r, const char *model,
                                                   const char *variant, const char *mode)
{
    for (size_t i = 0; i < r->n_variant_accuracy; i++) {
        const run_variant_accuracy *v = &r->variant_accuracy[i];
        if (!strcmp(v->model, model) && !strcmp(v->variant, variant) &&
            !strcmp(v->acc.angle_mode, mode))
            return v;
    }
    return NULL;
}

const run_case *variants_view_twin(const run_record *r, const run_case *c)
{
    char group[sizeof c->group + 8];
    snprintf(group, sizeof group, "%s-rope", c->group);
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *d = &r->cases[i];
        if (d != c && !strcmp(d->group, group) && !strcmp(d->implementation, c->implementation) &&
            d->dispatched == c->dispatched && ok(d))
            return d;
    }
    return NULL;
}

double variants_view_decade_error(const run_accuracy *a, int d)
{
    if (!a || d < 0 || d >= RUN_N_DECADES || !a->decades[d].count)
        return NAN;
    return !strcmp(a->encoding, "alibi") ? a->decades[d].max_ulp : a->decades[d].max_err_u;
}
