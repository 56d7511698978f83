/* write_analysis_json.c - analysis.json from an analysis_record (write_analysis_json.h), through
 * the report writers' JSON emitter and their path.tmp-then-rename files. */
#include "write_analysis_json.h"

#include <math.h>
#include <string.h>

#include "json_write.h"

#define STR(w, key, field) jw_str(w, key, field, sizeof field)

/* A position or offset: -1 (none, not applicable) is null. */
static void jw_pos(jw *w, const char *key, int64_t v)
{
    if (v >= 0)
        jw_i64(w, key, v);
    else
        jw_null(w, key);
}

static void jw_doubles(jw *w, const char *key, const double *v, size_t n)
{
    jw_open(w, key, '[', 1);
    for (size_t i = 0; i < n; i++)
        jw_num(w, NULL, v[i]);
    jw_close(w, ']');
}

static void write_invariance(jw *w, const analysis_invariance *v)
{
    jw_open(w, NULL, '{', 0);
    STR(w, "model", v->model);
    STR(w, "variant", v->variant);
    STR(w, "encoding", v->encoding);
    STR(w, "implementation", v->implementation);
    STR(w, "family", v->family);
    STR(w, "angle_mode", v->angle_mode);
    STR(w, "dtype", v->dtype);
    jw_i64(w, "head_dim", v->head_dim);
    jw_i64(w, "window", v->window);
    jw_num(w, "bound_norm", v->bound_norm);
    jw_tristate(w, "within_bound", v->within_bound);
    jw_pos(w, "cross_fine", v->cross_fine);
    jw_pos(w, "cross_coarse", v->cross_coarse);
    jw_pos(w, "cross_bf16", v->cross_bf16);
    jw_open(w, "points", '[', 0);
    for (size_t i = 0; i < v->n_points; i++) {
        const analysis_drift *p = &v->points[i];
        jw_open(w, NULL, '{', 1);
        jw_i64(w, "offset", p->offset);
        jw_num(w, "max_abs", p->max_abs);
        jw_num(w, "mean_abs", p->mean_abs);
        jw_num(w, "max_norm", p->max_norm);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    STR(w, "note", v->note);
    jw_close(w, '}');
}

static void write_heatmap(jw *w, const analysis_heatmap *h)
{
    jw_open(w, NULL, '{', 0);
    STR(w, "model", h->model);
    STR(w, "implementation", h->implementation);
    STR(w, "dtype", h->dtype);
    jw_i64(w, "n", h->n);
    jw_open(w, "values", '[', 0); /* a row per line */
    for (int32_t i = 0; i < h->n; i++)
        jw_doubles(w, NULL, h->values + (size_t)i * (size_t)h->n, (size_t)h->n);
    jw_close(w, ']');
    jw_close(w, '}');
}

static void write_curve(jw *w, const analysis_curve *c)
{
    jw_open(w, NULL, '{', 0);
    STR(w, "model", c->model);
    STR(w, "variant", c->variant);
    STR(w, "quantity", c->quantity);
    STR(w, "label", c->label);
    jw_num(w, "base", c->base);
    jw_num(w, "value_at_0", c->value_at_0);
    jw_open(w, "distance", '[', 1);
    for (size_t i = 0; i < c->n; i++)
        jw_i64(w, NULL, c->distance[i]);
    jw_close(w, ']');
    jw_doubles(w, "value", c->value, c->n);
    jw_close(w, '}');
}

static void write_wavelengths(jw *w, const analysis_wavelengths *v)
{
    jw_open(w, NULL, '{', 0);
    STR(w, "model", v->model);
    STR(w, "variant", v->variant);
    jw_i64(w, "context", v->context);
    jw_i64(w, "context_original", v->context_original);
    jw_i64(w, "n_freqs", v->n_freqs);
    jw_doubles(w, "wavelength", v->wavelength, (size_t)v->n_freqs);
    jw_doubles(w, "wavelength_unscaled", v->wavelength_unscaled, (size_t)v->n_freqs);
    jw_i64(w, "n_beyond_context", v->n_beyond_context);
    jw_i64(w, "n_beyond_original", v->n_beyond_original);
    jw_close(w, '}');
}

static void write_collisions(jw *w, const analysis_collisions *c)
{
    jw_open(w, NULL, '{', 1);
    STR(w, "model", c->model);
    STR(w, "variant", c->variant);
    STR(w, "implementation", c->implementation);
    STR(w, "angle_mode", c->angle_mode);
    STR(w, "dtype", c->dtype);
    jw_i64(w, "scanned", c->scanned);
    jw_pos(w, "onset", c->onset);
    jw_pos(w, "onset_partner", c->onset_partner);
    jw_u64(w, "n_colliding", c->n_colliding);
    jw_close(w, '}');
}

static void write_record(jw *w, const analysis_record *r)
{
    jw_open(w, NULL, '{', 0);
    jw_name(w, "schema");
    jw_put(w, "\"posenc-analysis\"");
    jw_i64(w, "schema_version", ANALYSIS_SCHEMA_VERSION);
    STR(w, "started_utc", r->started_utc);
    STR(w, "command", r->command);
    STR(w, "level", r->level);
    STR(w, "kind", r->kind);
    jw_str_or_null(w, "git_revision", r->git_revision, sizeof r->git_revision);
    STR(w, "posenc_version", r->posenc_version);
    jw_str_or_null(w, "openblas_version", r->openblas_version, sizeof r->openblas_version);
    jw_str_or_null(w, "mpfr_version", r->mpfr_version, sizeof r->mpfr_version);
    jw_u64(w, "seed", r->seed);
    jw_i64(w, "window", r->window);
    jw_num(w, "seconds_invariance", r->seconds_invariance);
    jw_num(w, "seconds_decay", r->seconds_decay);
    jw_num(w, "seconds_resolution", r->seconds_resolution);
    jw_num(w, "seconds_total", r->seconds_total);
    jw_open(w, "invariance", '[', 0);
    for (size_t i = 0; i < r->n_invariance; i++)
        write_invariance(w, &r->invariance[i]);
    jw_close(w, ']');
    jw_open(w, "heatmaps", '[', 0);
    for (size_t i = 0; i < r->n_heatmaps; i++)
        write_heatmap(w, &r->heatmaps[i]);
    jw_close(w, ']');
    jw_open(w, "curves", '[', 0);
    for (size_t i = 0; i < r->n_curves; i++)
        write_curve(w, &r->curves[i]);
    jw_close(w, ']');
    jw_open(w, "wavelengths", '[', 0);
    for (size_t i = 0; i < r->n_wavelengths; i++)
        write_wavelengths(w, &r->wavelengths[i]);
    jw_close(w, ']');
    jw_open(w, "collisions", '[', 0);
    for (size_t i = 0; i < r->n_collisions; i++)
        write_collisions(w, &r->collisions[i]);
    jw_close(w, ']');
    jw_open(w, "skipped", '[', 0);
    for (size_t i = 0; i < r->n_skipped; i++) {
        jw_open(w, NULL, '{', 1);
        STR(w, "what", r->skipped[i].what);
        STR(w, "why", r->skipped[i].why);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
    jw_put(w, "\n");
}

/* Why r cannot be written as it is (a count without its array), or NULL. */
static const char *inconsistent(const analysis_record *r)
{
    if ((r->n_invariance && !r->invariance) || (r->n_heatmaps && !r->heatmaps) ||
        (r->n_curves && !r->curves) || (r->n_wavelengths && !r->wavelengths) ||
        (r->n_collisions && !r->collisions) || (r->n_skipped && !r->skipped))
        return "the record lists results it does not hold";
    for (size_t i = 0; i < r->n_invariance; i++)
        if (r->invariance[i].n_points && !r->invariance[i].points)
            return "an invariance record lists points it does not hold";
    for (size_t i = 0; i < r->n_heatmaps; i++)
        if (r->heatmaps[i].n < 0 || (r->heatmaps[i].n && !r->heatmaps[i].values))
            return "a heat map lists values it does not hold";
    for (size_t i = 0; i < r->n_curves; i++)
        if (r->curves[i].n && (!r->curves[i].distance || !r->curves[i].value))
            return "a curve lists points it does not hold";
    for (size_t i = 0; i < r->n_wavelengths; i++) {
        const analysis_wavelengths *v = &r->wavelengths[i];
        if (v->n_freqs < 0 || (v->n_freqs && (!v->wavelength || !v->wavelength_unscaled)))
            return "a wavelength record lists frequencies it does not hold";
    }
    return NULL;
}

int analysis_write_json(const analysis_record *r, const char *path)
{
    const char *why = inconsistent(r);
    if (why) {
        fprintf(stderr, "posenc: cannot write %s: %s\n", path, why);
        return -1;
    }
    report_file out;
    if (report_file_open(&out, path))
        return -1;
    jw w;
    jw_init(&w, &out);
    write_record(&w, r);
    return report_file_commit(&out);
}
