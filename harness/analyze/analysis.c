/* analysis.c - the pieces every section of `posenc analyze` shares: the record's growable
 * arrays, implementation families, seeded normal vectors and progress lines. */
#include "analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness_util.h"

void analysis_record_init(analysis_record *r)
{
    memset(r, 0, sizeof *r);
    r->schema_version = ANALYSIS_SCHEMA_VERSION;
    r->seconds_invariance = r->seconds_decay = r->seconds_resolution = r->seconds_total = NAN;
}

void analysis_record_free(analysis_record *r)
{
    for (size_t i = 0; i < r->n_invariance; i++)
        free(r->invariance[i].points);
    for (size_t i = 0; i < r->n_heatmaps; i++)
        free(r->heatmaps[i].values);
    for (size_t i = 0; i < r->n_curves; i++) {
        free(r->curves[i].distance);
        free(r->curves[i].value);
    }
    for (size_t i = 0; i < r->n_wavelengths; i++) {
        free(r->wavelengths[i].wavelength);
        free(r->wavelengths[i].wavelength_unscaled);
    }
    free(r->invariance);
    free(r->heatmaps);
    free(r->curves);
    free(r->wavelengths);
    free(r->collisions);
    free(r->skipped);
    memset(r, 0, sizeof *r);
}

/* Grows *arr by one zeroed element of `size` bytes. Capacity doubles at powers of two, so the
 * count alone says when to grow. */
static void *grow(void **arr, size_t *n, size_t size)
{
    if ((*n & (*n - 1)) == 0) /* 0, 1, 2, 4, ...: full */
        *arr = harness_xrealloc(*arr, (*n ? 2 * *n : 1) * size);
    char *e = (char *)*arr + *n * size;
    memset(e, 0, size);
    (*n)++;
    return e;
}

analysis_invariance *analysis_add_invariance(analysis_record *r)
{
    analysis_invariance *v = grow((void **)&r->invariance, &r->n_invariance, sizeof *v);
    v->bound_norm = NAN;
    v->within_bound = -1;
    v->cross_fine = v->cross_coarse = v->cross_bf16 = -1;
    return v;
}

analysis_heatmap *analysis_add_heatmap(analysis_record *r)
{
    return grow((void **)&r->heatmaps, &r->n_heatmaps, sizeof(analysis_heatmap));
}

analysis_curve *analysis_add_curve(analysis_record *r)
{
    analysis_curve *c = grow((void **)&r->curves, &r->n_curves, sizeof *c);
    c->base = c->value_at_0 = NAN;
    return c;
}

analysis_wavelengths *analysis_add_wavelengths(analysis_record *r)
{
    return grow((void **)&r->wavelengths, &r->n_wavelengths, sizeof(analysis_wavelengths));
}

analysis_collisions *analysis_add_collisions(analysis_record *r)
{
    analysis_collisions *c = grow((void **)&r->collisions, &r->n_collisions, sizeof *c);
    c->onset = c->onset_partner = -1;
    return c;
}

static void copy_cut(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

void analysis_add_skip(analysis_record *r, const analyze_config *c, const char *what,
                       const char *why)
{
    analysis_skip *s = grow((void **)&r->skipped, &r->n_skipped, sizeof *s);
    copy_cut(s->what, sizeof s->what, what);
    copy_cut(s->why, sizeof s->why, why);
    if (c && c->progress)
        fprintf(stderr, "[analyze] left out: %s (%s)\n", s->what, s->why);
}

const char *analyze_family(const posenc_impl *impl)
{
    const char *slash = strchr(impl->name, '/');
    const char *backend = slash ? slash + 1 : impl->name;
    if (!strncmp(backend, "recipe-", 7))
        return backend;
    if (!strncmp(backend, "table", 5))
        return "table";
    if (!strncmp(backend, "sleef", 5))
        return "sleef";
    return "polynomial";
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* a uniform double in (0, 1): 53 random bits, never 0 (log(0) below) */
static double uniform_open(uint64_t *state)
{
    return ((double)(splitmix64(state) >> 11) + 0.5) * 0x1p-53;
}

void analyze_random_normal(uint64_t seed, size_t n, double *out)
{
    uint64_t state = seed;
    const double two_pi = 6.283185307179586476925286766559;
    for (size_t i = 0; i < n; i += 2) {
        double r = sqrt(-2.0 * log(uniform_open(&state)));
        double t = two_pi * uniform_open(&state);
        out[i] = r * cos(t);
        if (i + 1 < n)
            out[i + 1] = r * sin(t);
    }
}

void analyze_progress(const analyze_config *c, const char *section, size_t done, size_t total,
                      const char *label)
{
    static double section_t0; /* the section's done == 0 call: one section runs at a time */
    if (done == 0)
        section_t0 = harness_now_s();
    if (!c->progress)
        return;
    const double spent = harness_now_s() - section_t0;
    fprintf(stderr, "[analyze] %s %zu/%zu %s", section, done, total, label ? label : "");
    char left[32];
    if (done > 0 && total > done)
        fprintf(stderr, ", about %s left in this section",
                harness_fmt_duration(left, sizeof left,
                                     spent * (double)(total - done) / (double)done));
    fputc('\n', stderr);
}
