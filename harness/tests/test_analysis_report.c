/* test_analysis_report.c - analysis.json, summary.md and report.html of `posenc analyze` from a
 * synthetic analysis record holding every kind of element (NaNs, positions without a value,
 * strings to escape): analysis.json valid against results/analysis.schema.json, which refuses
 * what it must, its values read back; the page well-formed with every section and the plotted
 * values and sentences the data gives; summary.md with the crossing offsets; the sections inside
 * a bench run's reports; and failed writes leaving no file. `test_analysis_report --write DIR`
 * also keeps DIR/analysis.json, DIR/summary.md and DIR/report.html to look at. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, mkdir, rmdir */

#include <complex.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis.h"
#include "analysis_view.h"
#include "check.h"
#include "html_check.h"
#include "json_check.h"
#include "write_analysis_json.h"
#include "write_html.h"
#include "write_md.h"

#ifndef POSENC_ANALYSIS_SCHEMA
#error "POSENC_ANALYSIS_SCHEMA must name results/analysis.schema.json (set by CMakeLists.txt)"
#endif

#define WINDOW 64
#define HEADLINE "llama-3-8b"
/* strings the writers must escape: JSON quotes, backslash, a control character, HTML markup,
   a Markdown table's '|', a multi-byte character cut short */
#define ODD_WHAT "rotary/sleef \"fp16\" <angles> & \\ | tab\t"
#define ODD_WHAT_HTML "rotary/sleef &quot;fp16&quot; &lt;angles&gt; &amp; \\ | tab\t"
#define ODD_WHY "SLEEF not built \x01 (\xC3"

static char tmpdir[4096];

static const char *path_of(const char *dir, const char *name)
{
    static char paths[4][4200];
    static int k;
    char *p = paths[k++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

static void set(char *dst, size_t size, const char *src) { snprintf(dst, size, "%s", src); }
#define SET(field, s) set(field, sizeof field, s)

/* ---- the synthetic record ------------------------------------------------------------------ */

/* The sampled offsets: 0, every 2^k and every decade up to 2^31 - WINDOW, increasing. */
static size_t offsets(int64_t *out)
{
    size_t n = 0;
    const int64_t last = (INT64_C(1) << 31) - WINDOW;
    int64_t p2 = 1, p10 = 10;
    out[n++] = 0;
    while (p2 <= last || p10 <= last) {
        int64_t next = p2 < p10 ? p2 : p10;
        if (next > last)
            next = p2 > last ? p10 : p2;
        out[n++] = next;
        if (next == p2)
            p2 *= 2;
        if (next == p10)
            p10 *= 10;
    }
    out[n++] = last;
    return n;
}

/* An invariance record whose drift grows as floor + slope * offset (the way angles rounded to a
 * type lose the offset's low bits); its crossings are found from the points as the section
 * finds them. */
static analysis_invariance *add_drift(analysis_record *r, const char *model, const char *variant,
                                      const char *encoding, const char *impl, const char *family,
                                      const char *mode, const char *dtype, double floor_,
                                      double slope)
{
    analysis_invariance *v = analysis_add_invariance(r);
    SET(v->model, model);
    SET(v->variant, variant);
    SET(v->encoding, encoding);
    SET(v->implementation, impl);
    SET(v->family, family);
    SET(v->angle_mode, mode);
    SET(v->dtype, dtype);
    v->head_dim = 128;
    v->window = WINDOW;
    int64_t off[80];
    v->n_points = offsets(off);
    v->points = malloc(v->n_points * sizeof *v->points);
    for (size_t i = 0; i < v->n_points; i++) {
        double d = floor_ * (1 + 0.1 * sin((double)i)) + slope * (double)off[i];
        d = d > 3 ? 3 : d; /* decorrelated scores: the drift saturates */
        v->points[i] = (analysis_drift){off[i], d, d / 5, d / 40};
        if (d > ANALYZE_LEVEL_FINE && v->cross_fine < 0)
            v->cross_fine = off[i];
        if (d > ANALYZE_LEVEL_COARSE && v->cross_coarse < 0)
            v->cross_coarse = off[i];
        if (d > ANALYZE_LEVEL_BF16 && v->cross_bf16 < 0)
            v->cross_bf16 = off[i];
    }
    if (!strcmp(mode, "exact") && !strcmp(dtype, "f32")) {
        v->bound_norm = 4e-6;
        v->within_bound = 1;
    }
    return v;
}

static const double *thetas(double base, int pairs, double *out)
{
    for (int k = 0; k < pairs; k++)
        out[k] = pow(base, -2.0 * k / (2.0 * pairs));
    return out;
}

/* distances 0, then 4 per decade from 1 to 10^6 */
static size_t distances(int64_t *out)
{
    size_t n = 0;
    out[n++] = 0;
    for (int i = 0; i <= 24; i++)
        out[n++] = (int64_t)llround(pow(10, i / 4.0));
    return n;
}

static analysis_curve *add_curve(analysis_record *r, const char *model, const char *variant,
                                 const char *quantity, double base, double scale)
{
    analysis_curve *c = analysis_add_curve(r);
    SET(c->model, model);
    SET(c->variant, variant);
    SET(c->quantity, quantity);
    snprintf(c->label, sizeof c->label, "%s %s (%s %g)", model, variant,
             strcmp(quantity, "alibi_weight") ? "base" : "m", base);
    c->base = base;
    c->distance = malloc(32 * sizeof *c->distance);
    c->value = malloc(32 * sizeof *c->value);
    c->n = distances(c->distance);
    double th[64];
    thetas(base, 64, th);
    for (size_t i = 0; i < c->n; i++) {
        const double d = (double)c->distance[i] / scale;
        double v = 0;
        if (!strcmp(quantity, "alibi_weight")) {
            v = exp(-base * d);
        } else if (!strcmp(quantity, "rope_self")) {
            for (int k = 0; k < 64; k++)
                v += cos(d * th[k]) / 64;
        } else { /* rope_bound: (1/(n/2)) sum_j |S_j|, S_j the partial sums of e^{i d theta} */
            double complex s = 0;
            for (int k = 0; k < 64; k++) {
                s += cexp(I * d * th[k]);
                v += cabs(s) / 64;
            }
        }
        c->value[i] = v;
    }
    c->value_at_0 = c->value[0];
    return c;
}

static void add_wavelengths(analysis_record *r, const char *model, const char *variant,
                            double base, int64_t context, int64_t original, double factor)
{
    analysis_wavelengths *w = analysis_add_wavelengths(r);
    SET(w->model, model);
    SET(w->variant, variant);
    w->context = context;
    w->context_original = original;
    w->n_freqs = 64;
    w->wavelength = malloc(64 * sizeof(double));
    w->wavelength_unscaled = malloc(64 * sizeof(double));
    double th[64];
    thetas(base, 64, th);
    for (int k = 0; k < 64; k++) {
        const double lambda = 6.283185307179586 / th[k];
        w->wavelength_unscaled[k] = lambda;
        /* llama3-like: the long wavelengths stretched by the factor, the short kept */
        w->wavelength[k] = lambda > (double)original / 4 ? lambda * factor : lambda;
        w->n_beyond_context += w->wavelength[k] > (double)context;
        w->n_beyond_original += lambda > (double)original;
    }
}

static void add_collision(analysis_record *r, const char *model, const char *variant,
                          const char *dtype, int64_t scanned, int64_t onset, int64_t partner,
                          uint64_t count)
{
    analysis_collisions *c = analysis_add_collisions(r);
    SET(c->model, model);
    SET(c->variant, variant);
    SET(c->implementation, "rotary/avx512");
    SET(c->angle_mode, "exact");
    SET(c->dtype, dtype);
    c->scanned = scanned;
    c->onset = onset;
    c->onset_partner = partner;
    c->n_colliding = count;
}

static void fill(analysis_record *r, int heatmap_n)
{
    analysis_record_init(r);
    SET(r->started_utc, "2026-12-06T11:00:00Z");
    SET(r->command, "posenc analyze --level default");
    SET(r->level, "default");
    SET(r->kind, "x86_64-authenticamd-f25-m17-avx512");
    SET(r->posenc_version, "0.13.0");
    SET(r->openblas_version, "OpenBLAS 0.3.26 DYNAMIC_ARCH");
    /* git_revision and mpfr_version left empty: null */
    r->seed = UINT64_C(12345678901234567);
    r->window = WINDOW;
    r->seconds_invariance = 41.5;
    r->seconds_decay = 3.25;
    r->seconds_resolution = 7;
    /* seconds_total left NaN: null */

    /* a rotary model before the headline one: the headline is chosen by name */
    add_drift(r, "llama-2-7b", "none", "rotary", "rotary/avx512", "polynomial", "fp32", "f32",
              3e-7, 4e-8);
    const char *fams[][2] = {{"rotary/avx512", "polynomial"}, {"rotary/table-avx512", "table"}};
    for (int f = 0; f < 2; f++) {
        add_drift(r, HEADLINE, "none", "rotary", fams[f][0], fams[f][1], "exact", "f32", 4e-7,
                  0);
        add_drift(r, HEADLINE, "none", "rotary", fams[f][0], fams[f][1], "fp32", "f32", 3e-7,
                  f ? 3e-9 : 7.6e-9);
        add_drift(r, HEADLINE, "none", "rotary", fams[f][0], fams[f][1], "bf16", "f32", 2e-3,
                  2e-4);
    }
    analysis_invariance *b = add_drift(r, HEADLINE, "none", "rotary", "rotary/avx512",
                                       "polynomial", "exact", "bf16", 6e-3, 0);
    SET(b->note, "bf16 rows: \"q, k\" stored <rounded>\nsecond line");
    b->points[3].mean_abs = NAN; /* a figure not measured */
    add_drift(r, "transformer-base", "sinusoidal", "sinusoidal", "sinusoidal/avx512",
              "polynomial", "fp32", "f32", 2e-7, 2e-9);
    analysis_invariance *t = add_drift(r, "transformer-base", "sinusoidal", "sinusoidal",
                                       "sinusoidal/table", "table", "exact", "f32", 2e-7, 0);
    SET(t->note, "table: positions below 2^20");

    /* PE.PE^T / (dim/2) of sinusoidal dim 64 */
    analysis_heatmap *h = analysis_add_heatmap(r);
    SET(h->model, "transformer-base");
    SET(h->implementation, "sinusoidal/avx512");
    SET(h->dtype, "f32");
    h->n = heatmap_n;
    h->values = malloc((size_t)heatmap_n * (size_t)heatmap_n * sizeof(double));
    double th[32];
    thetas(10000, 32, th);
    for (int i = 0; i < heatmap_n; i++)
        for (int j = 0; j < heatmap_n; j++) {
            double v = 0;
            for (int k = 0; k < 32; k++)
                v += cos((i - j) * th[k]) / 32;
            h->values[(size_t)i * heatmap_n + j] = v;
        }

    add_curve(r, "llama-2-7b", "none", "rope_self", 1e4, 1);
    add_curve(r, HEADLINE, "none", "rope_self", 5e5, 1);
    add_curve(r, "qwen2.5-7b-yarn", "yarn", "rope_self", 1e6, 4);
    add_curve(r, HEADLINE, "none", "rope_bound", 5e5, 1);
    add_curve(r, "llama-2-7b", "none", "rope_bound", 1e4, 1);
    add_curve(r, "mpt-7b", "alibi", "alibi_weight", 1.0 / 256, 1);
    analysis_curve *al = add_curve(r, "mpt-7b", "alibi", "alibi_weight", 0.5, 1);
    al->value[5] = NAN; /* a point not measured: a break in the line, null in JSON */
    al->value_at_0 = NAN;

    add_wavelengths(r, "llama-2-7b", "none", 1e4, 4096, 4096, 1);
    add_wavelengths(r, HEADLINE, "none", 5e5, 8192, 8192, 1);
    add_wavelengths(r, "llama-3.1-8b", "llama3", 5e5, 131072, 8192, 8);

    add_collision(r, HEADLINE, "none", "f32", 131072, -1, -1, 0);
    add_collision(r, HEADLINE, "none", "bf16", 131072, 24567, 123, 98304);
    add_collision(r, HEADLINE, "none", "f16", 131072, 65519, 3, 12000);
    add_collision(r, "llama-3.1-8b", "llama3", "bf16", 131072, 40001, 9, 50000);

    analysis_add_skip(r, NULL, ODD_WHAT, ODD_WHY);
    analysis_add_skip(r, NULL, "rotary/neon", "not built for this CPU");
}

/* ---- analysis.json ------------------------------------------------------------------------- */

static const json_t *at(const json_t *doc, const char *pointer)
{
    const json_t *v = json_doc_pointer(doc, pointer);
    CHECK(v != NULL, "analysis.json lacks %s", pointer);
    return v;
}

static void check_number(const json_t *doc, const char *pointer, double want)
{
    const json_t *v = at(doc, pointer);
    CHECK(v && json_is_number(v) && json_number_value(v) == want, "%s: want %.17g, got %.17g",
          pointer, want, v && json_is_number(v) ? json_number_value(v) : NAN);
}

static void check_null(const json_t *doc, const char *pointer)
{
    const json_t *v = at(doc, pointer);
    CHECK(v && json_is_null(v), "%s should be null", pointer);
}

/* text with `from` replaced by `to`, written to dir, must fail the schema */
static void check_refused(const char *dir, const char *text, const char *from, const char *to)
{
    const char *hit = strstr(text, from);
    CHECK(hit != NULL, "'%s' not in analysis.json", from);
    if (!hit)
        return;
    size_t n = strlen(text), a = (size_t)(hit - text), lf = strlen(from), lt = strlen(to);
    char *mod = malloc(n - lf + lt + 1);
    memcpy(mod, text, a);
    memcpy(mod + a, to, lt);
    memcpy(mod + a + lt, hit + lf, n - a - lf + 1);
    const char *path = path_of(dir, "refused.json");
    FILE *f = fopen(path, "wb");
    int written = f && fputs(mod, f) >= 0;
    CHECK(f && fclose(f) == 0 && written, "cannot write %s", path);
    if (written && tests_schema_rejects(POSENC_ANALYSIS_SCHEMA, path, NULL) == 0)
        fprintf(stderr, "  (the schema accepts '%s' in place of '%s')\n", to, from);
    remove(path);
    free(mod);
}

static void check_json(const analysis_record *r, const char *dir)
{
    const char *path = path_of(dir, "analysis.json");
    CHECK(analysis_write_json(r, path) == 0, "analysis_write_json failed");
    CHECK(!exists(path_of(dir, "analysis.json.tmp")), "analysis.json.tmp left behind");
    tests_schema_valid(POSENC_ANALYSIS_SCHEMA, path);
    json_t *doc = tests_json_load(path);
    if (!doc)
        return;
    const json_t *v = at(doc, "/schema_version");
    CHECK(v && json_is_integer(v) && json_integer_value(v) == ANALYSIS_SCHEMA_VERSION, "schema_version");
    v = at(doc, "/seed");
    CHECK(v && json_is_integer(v) && (uint64_t)json_integer_value(v) == r->seed, "seed");
    check_null(doc, "/git_revision");
    check_null(doc, "/seconds_total");
    check_number(doc, "/seconds_decay", r->seconds_decay);
    v = at(doc, "/invariance");
    CHECK(v && json_is_array(v) && json_array_size(v) == r->n_invariance, "invariance count");
    /* every point of one record, the crossings and the bound */
    const analysis_invariance *fp = &r->invariance[2]; /* llama-3-8b polynomial fp32 */
    char ptr[128];
    for (size_t i = 0; i < fp->n_points; i++) {
        snprintf(ptr, sizeof ptr, "/invariance/2/points/%zu/max_abs", i);
        check_number(doc, ptr, fp->points[i].max_abs);
        snprintf(ptr, sizeof ptr, "/invariance/2/points/%zu/offset", i);
        check_number(doc, ptr, (double)fp->points[i].offset);
    }
    check_number(doc, "/invariance/2/cross_fine", (double)fp->cross_fine);
    check_null(doc, "/invariance/2/bound_norm");
    check_null(doc, "/invariance/2/within_bound");
    v = at(doc, "/invariance/1/within_bound");
    CHECK(v && json_is_boolean(v) && json_is_true(v), "within_bound of an exact record");
    check_null(doc, "/invariance/1/cross_fine"); /* -1: never crosses */
    check_null(doc, "/invariance/7/points/3/mean_abs");
    v = at(doc, "/invariance/7/note");
    CHECK(v && json_is_string(v) && !strcmp(json_string_value(v), r->invariance[7].note),
          "a note with quotes, markup and a newline reads back as written");
    check_number(doc, "/heatmaps/0/values/3/5", r->heatmaps[0].values[3 * r->heatmaps[0].n + 5]);
    v = at(doc, "/heatmaps/0/values");
    CHECK(v && json_array_size(v) == (size_t)r->heatmaps[0].n &&
              json_array_size(json_array_get(v, 0)) == (size_t)r->heatmaps[0].n,
          "the heat map is n rows of n");
    check_null(doc, "/curves/6/value/5");
    check_null(doc, "/curves/6/value_at_0");
    check_number(doc, "/curves/3/value/7", r->curves[3].value[7]);
    check_number(doc, "/wavelengths/2/n_beyond_original", r->wavelengths[2].n_beyond_original);
    check_null(doc, "/collisions/0/onset");
    check_null(doc, "/collisions/0/onset_partner");
    check_number(doc, "/collisions/1/onset", 24567);
    v = at(doc, "/skipped/0/what");
    CHECK(v && json_is_string(v) && !strcmp(json_string_value(v), ODD_WHAT), "escaped what");
    v = at(doc, "/skipped/0/why");
    CHECK(v && json_is_string(v) && !strcmp(json_string_value(v), "SLEEF not built \x01 (\xEF\xBF\xBD"),
          "a control character escaped, a cut character replaced: '%s'", v ? json_string_value(v) : "");
    json_decref(doc);

    /* the schema is strict */
    char *text = tests_slurp(path, NULL);
    CHECK(text != NULL, "reading analysis.json");
    if (text) {
        check_refused(dir, text, "\"schema_version\": 1", "\"schema_version\": 2");
        check_refused(dir, text, "\"angle_mode\": \"fp32\"", "\"angle_mode\": \"fp64\"");
        check_refused(dir, text, "\"seed\":", "\"extra\": 1, \"seed\":");
        check_refused(dir, text, "\"n_colliding\": 0", "\"n_colliding\": -1");
        check_refused(dir, text, "\"offset\": 0,", "\"offset\": 0, \"max_ulp\": 1,");
        check_refused(dir, text, "\"quantity\": \"rope_self\"", "\"quantity\": \"rope\"");
    }
    free(text);
}

/* ---- summary.md and report.html ------------------------------------------------------------ */

static size_t count(const char *doc, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = doc; (p = strstr(p, needle)); p += len)
        n++;
    return n;
}

static void check_md(const analysis_record *r, const char *dir)
{
    const char *path = path_of(dir, "summary.md");
    CHECK(analysis_write_md(r, path) == 0 && !exists(path_of(dir, "summary.md.tmp")),
          "analysis_write_md");
    char *md = tests_slurp(path, NULL);
    CHECK(md != NULL, "summary.md unreadable");
    if (!md)
        return;
    CHECK(strstr(md, "### Relative-position invariance (" HEADLINE ")"), "headline model");
    /* the crossing offsets of each family and mode of the headline model */
    for (size_t i = 0; i < r->n_invariance; i++) {
        const analysis_invariance *v = &r->invariance[i];
        if (strcmp(v->model, HEADLINE))
            continue;
        char row[200], c1[24], c2[24];
        snprintf(c1, sizeof c1, "%" PRId64, v->cross_fine);
        snprintf(c2, sizeof c2, "%" PRId64, v->cross_coarse);
        snprintf(row, sizeof row, "| %s | %s | %s | %s | %s |", v->family, v->angle_mode,
                 v->dtype, v->cross_fine >= 0 ? c1 : "none", v->cross_coarse >= 0 ? c2 : "none");
        CHECK(strstr(md, row), "summary.md lacks the row '%s'", row);
    }
    CHECK(!strstr(md, "| llama-2-7b | none | fp32"), "a model beside the headline in its table");
    CHECK(strstr(md, "| " HEADLINE " | none | exact | none below 131072 | 24567 (= 123) | "
                     "65519 (= 3) |"),
          "the collision onsets per type");
    CHECK(strstr(md, "bf16 rows first collide at position 24567 (" HEADLINE " none"),
          "the collision sentence");
    CHECK(strstr(md, "- rotary/sleef \"fp16\" <angles> & \\ | tab : SLEEF not built"),
          "the skipped list");
    char sentence[1024];
    const analysis_invariance *rows[16];
    size_t n = analysis_view_rows(r, HEADLINE, "f32", rows, 16);
    analysis_view_drift_sentence(rows, n, ANALYZE_LEVEL_FINE, sentence, sizeof sentence);
    CHECK(strstr(md, sentence), "summary.md lacks the sentence '%s'", sentence);
    free(md);
}

static void check_html(const analysis_record *r, const char *dir)
{
    const char *path = path_of(dir, "report.html");
    CHECK(analysis_write_html(r, path) == 0 && !exists(path_of(dir, "report.html.tmp")),
          "analysis_write_html");
    char *doc = tests_slurp(path, NULL);
    CHECK(doc != NULL, "report.html unreadable");
    if (!doc)
        return;
    char why[256];
    CHECK(html_well_formed(doc, why, sizeof why), "report.html not well-formed: %s", why);
    const char *sections[] = {"<section id=\"analysis\">", "id=\"analysis-invariance\"",
                              "id=\"analysis-drift-rotary\"", "id=\"analysis-drift-sinusoidal\"",
                              "id=\"analysis-heatmap\"", "id=\"analysis-decay\"",
                              "id=\"analysis-wavelengths\"", "id=\"analysis-collisions\"",
                              "id=\"analysis-skipped\""};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        CHECK(strstr(doc, sections[i]), "report.html lacks %s", sections[i]);
    CHECK(count(doc, "<svg ") == 6, "2 drift charts, the heat map, 2 decay charts and the "
                                    "wavelengths: %zu", count(doc, "<svg "));
    CHECK(!strstr(doc, "<script") && !strstr(doc, "src=") && !strstr(doc, "href=\"http"),
          "a script or something fetched");
    CHECK(strstr(doc, "invariance drift, " HEADLINE ", data f32"), "the headline's chart");
    CHECK(strstr(doc, ODD_WHAT_HTML) && !strstr(doc, "<angles>"), "escaped skip");

    /* a plotted point: the tooltip of the polynomial fp32 line at 2^17 */
    const analysis_invariance *fp = &r->invariance[2];
    for (size_t i = 0; i < fp->n_points; i++)
        if (fp->points[i].offset == 131072) {
            char value[32], tip[160];
            snprintf(value, sizeof value, "%.9g", fp->points[i].max_abs); /* no exponent */
            snprintf(tip, sizeof tip, "polynomial, fp32 angles \xE2\x80\x94 131072: %s logits",
                     value);
            CHECK(!strchr(value, 'e') && strstr(doc, tip), "report.html lacks the point '%s'",
                  tip);
        }
    /* the sentences, from the data */
    char sentence[1024], expect[200];
    const analysis_invariance *rows[16];
    size_t n = analysis_view_rows(r, HEADLINE, "f32", rows, 16);
    analysis_view_drift_sentence(rows, n, ANALYZE_LEVEL_FINE, sentence, sizeof sentence);
    snprintf(expect, sizeof expect, "fp32 angles: scores drift past 1e-3 from offset %" PRId64
                                    " (polynomial), %" PRId64 " (table)",
             r->invariance[2].cross_fine, r->invariance[5].cross_fine);
    CHECK(strstr(sentence, expect), "drift sentence '%s' lacks '%s'", sentence, expect);
    CHECK(strstr(sentence, "exact angles: scores stay below 1e-3 up to offset 2147483584 (at "
                           "most "),
          "exact sentence: %s", sentence);
    CHECK(strstr(doc, sentence), "report.html lacks the sentence '%s'", sentence);
    CHECK(strstr(doc, "bf16 rows first collide at position 24567 (" HEADLINE " none, equal to "
                      "position 123)"),
          "the collision sentence");
    snprintf(expect, sizeof expect, "%s none: %d of 64 wavelengths exceed the context 8192",
             HEADLINE, (int)r->wavelengths[1].n_beyond_context);
    CHECK(strstr(doc, expect), "the wavelength sentence '%s'", expect);
    /* the heat map: cells in viridis, and the sentence from its first row */
    CHECK(count(doc, "shape-rendering=\"crispEdges\" d=\"M") >= 8, "heat map cells");
    int64_t half = -1;
    for (int d = 1; d < r->heatmaps[0].n && half < 0; d++)
        if (r->heatmaps[0].values[d] < 0.5)
            half = d;
    snprintf(expect, sizeof expect, "it falls below 0.5 at distance %" PRId64, half);
    CHECK(half > 0 && strstr(doc, expect), "heat map sentence '%s'", expect);
    free(doc);
}

/* The sections inside a bench run's reports, and nowhere without an analysis. */
static void check_in_bench_reports(const analysis_record *a)
{
    static run_record run;
    memset(&run, 0, sizeof run);
    SET(run.id, "20261206T110000Z-synthetic");
    run.git_dirty = -1;
    run.mhz = NAN;
    for (int with = 0; with < 2; with++) {
        run.analysis = with ? a : NULL;
        const char *html = path_of(tmpdir, "bench.html"), *md = path_of(tmpdir, "bench.md");
        CHECK(report_write_html(&run, html) == 0 && report_write_md(&run, md) == 0,
              "bench reports");
        char *h = tests_slurp(html, NULL), *m = tests_slurp(md, NULL);
        char why[256];
        CHECK(h && html_well_formed(h, why, sizeof why), "bench report.html: %s", why);
        CHECK(h && (strstr(h, "<section id=\"analysis\">") != NULL) == with &&
                  (strstr(h, "href=\"#analysis\"") != NULL) == with,
              "report.html %s the analysis", with ? "lacks" : "shows");
        CHECK(m && (strstr(m, "## posenc analyze") != NULL) == with, "summary.md %s the analysis",
              with ? "lacks" : "shows");
        free(h);
        free(m);
        remove(html);
        remove(md);
    }
}

static void check_failed_writes(const analysis_record *r)
{
    fprintf(stderr, "(the 'cannot write' and 'cannot rename' lines below are expected)\n");
    const char *json = path_of(tmpdir, "missing/analysis.json");
    const char *md = path_of(tmpdir, "missing/summary.md");
    const char *html = path_of(tmpdir, "missing/report.html");
    CHECK(analysis_write_json(r, json) != 0 && analysis_write_md(r, md) != 0 &&
              analysis_write_html(r, html) != 0,
          "writing into a missing directory succeeded");
    CHECK(!exists(path_of(tmpdir, "missing")), "a directory was created");
    /* the rename fails: a directory holds the name; the temporary file must go */
    const char *taken = path_of(tmpdir, "taken.json");
    CHECK(mkdir(taken, 0700) == 0, "mkdir");
    CHECK(analysis_write_json(r, taken) != 0, "renaming over a directory succeeded");
    CHECK(!exists(path_of(tmpdir, "taken.json.tmp")), "a temporary file was left behind");
    rmdir(taken);
    /* a record that lists what it does not hold is refused before anything is created */
    analysis_record bad = *r;
    bad.curves = NULL;
    CHECK(analysis_write_json(&bad, path_of(tmpdir, "bad.json")) != 0 &&
              !exists(path_of(tmpdir, "bad.json")) && !exists(path_of(tmpdir, "bad.json.tmp")),
          "an inconsistent record was written");
}

int main(int argc, char **argv)
{
    const char *keep = NULL;
    int heatmap_n = 48;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--write") && a + 1 < argc) {
            keep = argv[++a];
            heatmap_n = 200; /* past the drawing's cell limit, to look at the block means */
        } else {
            fprintf(stderr, "usage: %s [--write DIR]\n", argv[0]);
            return 2;
        }
    }
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/posenc_analysis_XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    static analysis_record r;
    fill(&r, heatmap_n);
    const char *dir = keep ? keep : tmpdir;
    check_json(&r, dir);
    check_md(&r, dir);
    check_html(&r, dir);
    check_in_bench_reports(&r);
    check_failed_writes(&r);
    if (!keep) {
        remove(path_of(dir, "analysis.json"));
        remove(path_of(dir, "summary.md"));
        remove(path_of(dir, "report.html"));
    } else {
        printf("wrote %s/analysis.json, summary.md and report.html\n", keep);
    }
    analysis_record_free(&r);
    if (rmdir(tmpdir) != 0)
        fprintf(stderr, "test_analysis_report: %s was not empty\n", tmpdir);
    return tests_exit_code("test_analysis_report");
}
