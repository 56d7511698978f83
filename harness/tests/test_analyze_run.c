/* test_analyze_run.c - the run folder of a real `posenc analyze --quick` (or of `posenc bench`,
 * which runs the same analysis): analysis.json valid against results/analysis.schema.json, and
 * what the quick level must have measured on this machine: Llama-3-8B's exact-angle scores
 * within their bound at every offset up to 2^31 - window, the fp32 recipe's past 1e-3 by offset
 * 10^6, RoFormer's bound at distance 0 equal to its closed form, Llama-3-8B's wavelengths beyond
 * 8192; and the analysis sections in summary.md and report.html.
 * Usage: test_analyze_run RUN_DIR SCHEMA */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_read.h"
#include "schema_check.h"

static const char *str(const jread_value *o, const char *key)
{
    const char *s = jread_string(jread_get(o, key));
    return s ? s : "";
}

static double num(const jread_value *o, const char *key)
{
    double v = NAN;
    jread_number(jread_get(o, key), &v);
    return v;
}

static void check_invariance(const jread_value *root)
{
    const jread_value *inv = jread_get(root, "invariance");
    int exact = 0, fp32 = 0;
    for (size_t i = 0; inv && i < inv->n; i++) {
        const jread_value *v = jread_at(inv, i);
        if (strcmp(str(v, "model"), "llama-3-8b") || strcmp(str(v, "dtype"), "f32"))
            continue;
        const jread_value *pts = jread_get(v, "points");
        double last_offset = -1, bound = num(v, "bound_norm");
        for (size_t k = 0; pts && k < pts->n; k++) {
            const jread_value *p = jread_at(pts, k);
            last_offset = num(p, "offset");
            if (!strcmp(str(v, "angle_mode"), "exact"))
                CHECK(num(p, "max_norm") <= bound, "%s exact: drift %g over its bound %g at "
                      "offset %.0f", str(v, "implementation"), num(p, "max_norm"), bound,
                      last_offset);
        }
        if (!strcmp(str(v, "angle_mode"), "exact")) {
            exact++;
            CHECK(bound > 0 && bound < 1e-4, "exact bound %g", bound);
            CHECK(last_offset == 2147483648.0 - num(root, "window"),
                  "exact mode sampled up to %.0f, not 2^31 - window", last_offset);
            const jread_value *within = jread_get(v, "within_bound");
            CHECK(within && within->type == JREAD_BOOL && within->boolean,
                  "exact mode not within bound");
            CHECK(jread_get(v, "cross_fine")->type == JREAD_NULL,
                  "exact angles crossed 1e-3 at %g", num(v, "cross_fine"));
        } else if (!strcmp(str(v, "angle_mode"), "fp32")) {
            fp32++;
            double cross = num(v, "cross_fine");
            CHECK(cross > 0 && cross <= 1e6, "fp32 angles: 1e-3 crossed at %g, not by 10^6",
                  cross);
        }
    }
    CHECK(exact >= 1 && fp32 >= 1, "llama-3-8b f32 records: %d exact, %d fp32", exact, fp32);
}

static void check_decay_and_wavelengths(const jread_value *root)
{
    const jread_value *curves = jread_get(root, "curves");
    int bounds = 0;
    for (size_t i = 0; curves && i < curves->n; i++) {
        const jread_value *c = jread_at(curves, i);
        if (strcmp(str(c, "model"), "llama-3-8b") || strcmp(str(c, "quantity"), "rope_bound"))
            continue;
        bounds++;
        const jread_value *d = jread_get(c, "distance"), *v = jread_get(c, "value");
        double d0 = NAN, v0 = NAN;
        jread_number(jread_at(d, 0), &d0);
        jread_number(jread_at(v, 0), &v0);
        /* (n/2 + 1) / 2 for n = 128 rotated dims */
        CHECK(d0 == 0 && fabs(v0 - 32.5) < 1e-9, "rope_bound at %g is %.17g, not 32.5", d0, v0);
    }
    CHECK(bounds == 1, "%d llama-3-8b rope_bound curves", bounds);
    const jread_value *wl = jread_get(root, "wavelengths");
    int found = 0;
    for (size_t i = 0; wl && i < wl->n; i++) {
        const jread_value *w = jread_at(wl, i);
        if (strcmp(str(w, "model"), "llama-3-8b"))
            continue;
        found++;
        /* 2 pi 500000^(2i/128) > 8192 from i = 35 on: 29 of 64 */
        CHECK(num(w, "n_beyond_context") == 29, "llama-3-8b: %g wavelengths beyond 8192",
              num(w, "n_beyond_context"));
    }
    CHECK(found == 1, "%d llama-3-8b wavelength records", found);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_analyze_run RUN_DIR SCHEMA\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/analysis.json", argv[1]);
    schema_error serr;
    schema_result sr = schema_check_files(argv[2], path, &serr);
    if (sr != SCHEMA_VALID)
        schema_error_print(stderr, "analysis.json", sr, &serr);
    CHECK(sr == SCHEMA_VALID, "%s does not validate against %s", path, argv[2]);
    jread_error err;
    jread_value *root = jread_parse_file(path, 0, &err);
    CHECK(root != NULL, "%s does not parse", path);
    if (root) {
        CHECK(!strcmp(str(root, "level"), "quick"), "level '%s'", str(root, "level"));
        check_invariance(root);
        check_decay_and_wavelengths(root);
        jread_free(root);
    }
    static const struct {
        const char *file, *text;
    } sections[] = {{"summary.md", "### Relative-position invariance"},
                    {"summary.md", "### Long-range decay"},
                    {"report.html", "id=\"analysis-invariance\""},
                    {"report.html", "id=\"analysis-decay\""},
                    {"report.html", "id=\"analysis-collisions\""}};
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
        snprintf(path, sizeof path, "%s/%s", argv[1], sections[i].file);
        char *text = tests_slurp(path, NULL);
        CHECK(text && strstr(text, sections[i].text), "%s lacks %s", path, sections[i].text);
        free(text);
    }
    printf("test_analyze_run: %d checks passed, %d failed\n", check_passes, check_failures);
    return check_failures ? 1 : 0;
}
