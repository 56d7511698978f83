/* variants_view.c - the variants view's choices (variants_view.h), made once for every report. */
#include "variants_view.h"

#include <math.h>
#include <string.h>

_Static_assert(RUN_ANGLE_FP16 + 1 == VARIANTS_N_MODES, "a row per angle mode");

static int ok(const run_case *c) { return c->status == RUN_STATUS_OK; }

int variants_view_has(const run_record *r, const run_case *c)
{
    if (!c->variant.model_key[0] || c->dtype != RUN_DTYPE_F32)
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
                                                   const char *variant, run_angle_mode mode)
{
    for (size_t i = 0; i < r->n_variant_accuracy; i++) {
        const run_variant_accuracy *v = &r->variant_accuracy[i];
        if (!strcmp(v->model, model) && !strcmp(v->variant, variant) &&
            v->acc.angle_mode == mode)
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
    return a->encoding == RUN_ENCODING_ALIBI ? a->decades[d].max_ulp : a->decades[d].max_err_u;
}
