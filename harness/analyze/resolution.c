/* resolution.c - resolution and wavelengths: the frequencies of each rotary and sinusoidal
 * setting whose wavelength exceeds its context, and the positions whose stored encoding rows
 * are bit-identical to an earlier position's, per element type and angle mode. */
#include "analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_models.h"
#include "collisions.h"
#include "harness_util.h"
#include "sweep.h"

static int wavelengths(const analyze_config *c, analysis_record *r, const analyze_model *m)
{
    const int32_t half = analyze_model_freq_dims(m) / 2;
    double *w = harness_xmalloc((size_t)half * sizeof *w);
    double *w0 = harness_xmalloc((size_t)half * sizeof *w0);
    if (analyze_model_freqs(m, w, w0, NULL) != 0) {
        free(w);
        free(w0);
        analysis_add_skip(r, c, m->key, "wavelengths: the oracle does not cover its frequencies");
        return 0;
    }
    analysis_wavelengths *wl = analysis_add_wavelengths(r);
    snprintf(wl->model, sizeof wl->model, "%s", m->key);
    snprintf(wl->variant, sizeof wl->variant, "%s", m->variant);
    wl->context = analyze_model_context(m);
    wl->context_original = m->context_original > 0 ? m->context_original : wl->context;
    wl->n_freqs = half;
    wl->wavelength = w;
    wl->wavelength_unscaled = w0;
    const double two_pi = 6.283185307179586476925286766559;
    for (int32_t i = 0; i < half; i++) {
        w[i] = two_pi / w[i];
        w0[i] = two_pi / w0[i];
        wl->n_beyond_context += w[i] > (double)wl->context;
        wl->n_beyond_original += w0[i] > (double)wl->context_original;
    }
    return 0;
}

/* One collision record: positions below min(context, collision_limit, the plan's limit) encoded
 * by impl (NULL: the dispatch's choice) in this angle mode and element type. */
static int collisions(const analyze_config *c, analysis_record *r, const analyze_model *m,
                      const posenc_impl *impl, posenc_angle_mode mode, posenc_dtype dtype)
{
    posenc_params p = m->params;
    p.angle_mode = mode;
    p.dtype = dtype;
    int64_t scan = analyze_model_context(m);
    if (c->collision_limit > 0 && c->collision_limit < scan)
        scan = c->collision_limit;
    p.max_positions = impl && (impl->flags & POSENC_IMPL_TABLE_BOUNDED) ? scan : 0;
    posenc_plan *plan;
    int rc = posenc_plan_create(impl, &p, &plan);
    const char *mode_name = accuracy_mode_name(mode), *dtype_name = posenc_dtype_name(dtype);
    if (rc != POSENC_OK) {
        char what[96], why[160];
        snprintf(what, sizeof what, "collisions %s %s %s %s angles", m->key,
                 impl ? impl->name : posenc_kind_name(p.kind), dtype_name, mode_name);
        snprintf(why, sizeof why, "no plan: %s", posenc_last_error());
        analysis_add_skip(r, c, what, why);
        return 0;
    }
    if (posenc_plan_max_pos(plan) < scan)
        scan = posenc_plan_max_pos(plan); /* fp16 angles: 65520 */
    collision_scan s;
    rc = collisions_scan(plan, scan, &s);
    if (rc != POSENC_OK) {
        fprintf(stderr, "posenc analyze: collisions of %s (%s, %s angles): %s\n", m->key,
                dtype_name, mode_name, posenc_last_error());
        posenc_plan_destroy(plan);
        return -1;
    }
    analysis_collisions *col = analysis_add_collisions(r);
    snprintf(col->model, sizeof col->model, "%s", m->key);
    snprintf(col->variant, sizeof col->variant, "%s", m->variant);
    snprintf(col->implementation, sizeof col->implementation, "%s",
             posenc_plan_impl(plan)->name);
    snprintf(col->angle_mode, sizeof col->angle_mode, "%s", mode_name);
    snprintf(col->dtype, sizeof col->dtype, "%s", dtype_name);
    col->scanned = scan;
    col->onset = s.onset;
    col->onset_partner = s.onset_partner;
    col->n_colliding = s.n_colliding;
    posenc_plan_destroy(plan);
    return 0;
}

/* the designs among the config's implementations for this kind (they run in fp32 angles) */
static size_t designs_of(const analyze_config *c, posenc_kind kind, const posenc_impl **out,
                         size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_impls && n < cap; i++)
        if (c->impls[i]->kind == kind && (c->impls[i]->flags & POSENC_IMPL_DESIGN))
            out[n++] = c->impls[i];
    return n;
}

/* 1 when the design takes m's setting (the recurrence takes no scaling); else 0, recorded once
 * for the setting rather than once per element type */
static int design_fits(const analyze_config *c, analysis_record *r, const analyze_model *m,
                       const posenc_impl *design)
{
    posenc_params p = m->params;
    p.angle_mode = POSENC_ANGLE_FP32;
    p.max_positions = 1; /* a cache of one row is enough to ask */
    posenc_plan *plan;
    if (posenc_plan_create(design, &p, &plan) == POSENC_OK) {
        posenc_plan_destroy(plan);
        return 1;
    }
    char what[96], why[160];
    snprintf(what, sizeof what, "collisions %s %s", m->key, design->name);
    snprintf(why, sizeof why, "no plan: %s", posenc_last_error());
    analysis_add_skip(r, c, what, why);
    return 0;
}

int analyze_run_resolution(const analyze_config *c, analysis_record *r)
{
    const double t0 = harness_now_s();
    size_t n;
    analyze_model *models = analyze_models_expanded(c, &n);
    enum { MAX_DESIGNS = 8 };
    const posenc_impl *designs[MAX_DESIGNS];
    size_t total = 0, done = 0;
    for (size_t i = 0; i < n; i++) {
        const posenc_kind kind = models[i].params.kind;
        if (kind == POSENC_ROTARY || kind == POSENC_SINUSOIDAL)
            total += c->n_dtypes * (c->n_modes + designs_of(c, kind, designs, MAX_DESIGNS));
    }
    analyze_progress(c, "resolution", 0, total, "");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const analyze_model *m = &models[i];
        const posenc_kind kind = m->params.kind;
        if (kind != POSENC_ROTARY && kind != POSENC_SINUSOIDAL)
            continue;
        rc = wavelengths(c, r, m);
        const size_t all_designs = designs_of(c, kind, designs, MAX_DESIGNS);
        size_t n_designs = 0;
        for (size_t k = 0; k < all_designs; k++)
            if (design_fits(c, r, m, designs[k]))
                designs[n_designs++] = designs[k];
        total -= c->n_dtypes * (all_designs - n_designs);
        char label[96];
        for (size_t d = 0; d < c->n_dtypes && rc == 0; d++) {
            for (size_t a = 0; a < c->n_modes && rc == 0; a++) {
                rc = collisions(c, r, m, NULL, c->modes[a], c->dtypes[d]);
                snprintf(label, sizeof label, "%s %s %s angles", m->key,
                         posenc_dtype_name(c->dtypes[d]), accuracy_mode_name(c->modes[a]));
                analyze_progress(c, "resolution", ++done, total, label);
            }
            for (size_t k = 0; k < n_designs && rc == 0; k++) {
                rc = collisions(c, r, m, designs[k], POSENC_ANGLE_FP32, c->dtypes[d]);
                snprintf(label, sizeof label, "%s %s %s", m->key,
                         posenc_dtype_name(c->dtypes[d]), designs[k]->name);
                analyze_progress(c, "resolution", ++done, total, label);
            }
        }
    }
    free(models);
    r->seconds_resolution = harness_now_s() - t0;
    return rc;
}
