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
#include "json_check.h"

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static double num(const json_t *o, const char *key)
{
    double v = NAN;
    json_doc_number(json_object_get(o, key), &v);
    return v;
}

static void check_invariance(const json_t *root)
{
    const json_t *inv = json_object_get(root, "invariance");
    int exact = 0, fp32 = 0;
    for (size_t i = 0; inv && i < json_array_size(inv); i++) {
        const json_t *v = json_array_get(inv, i);
        if (strcmp(str(v, "model"), "llama-3-8b") || strcmp(str(v, "dtype"), "f32"))
            continue;
        const json_t *pts = json_object_get(v, "points");
        double last_offset = -1, bound = num(v, "bound_norm");
        for (size_t k = 0; pts && k < json_array_size(pts); k++) {
            const json_t *p = json_array_get(pts, k);
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
            const json_t *within = json_object_get(v, "within_bound");
            CHECK(within && json_is_boolean(within) && json_is_true(within),
                  "exact mode not within bound");
            CHECK(json_is_null(json_object_get(v, "cross_fine")),
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

static void check_decay_and_wavelengths(const json_t *root)
{
    const json_t *curves = json_object_get(root, "curves");
    int bounds = 0;
    for (size_t i = 0; curves && i < json_array_size(curves); i++) {
        const json_t *c = json_array_get(curves, i);
        if (strcmp(str(c, "model"), "llama-3-8b") || strcmp(str(c, "quantity"), "rope_bound"))
            continue;
        bounds++;
        const json_t *d = json_object_get(c, "distance"), *v = json_object_get(c, "value");
        double d0 = NAN, v0 = NAN;
        json_doc_number(json_array_get(d, 0), &d0);
        json_doc_number(json_array_get(v, 0), &v0);
        /* (n/2 + 1) / 2 for n = 128 rotated dims */
        CHECK(d0 == 0 && fabs(v0 - 32.5) < 1e-9, "rope_bound at %g is %.17g, not 32.5", d0, v0);
    }
    CHECK(bounds == 1, "%d llama-3-8b rope_bound curves", bounds);
    const json_t *wl = json_object_get(root, "wavelengths");
    int found = 0;
    for (size_t i = 0; wl && i < json_array_size(wl); i++) {
        const json_t *w = json_array_get(wl, i);
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
    tests_schema_valid(argv[2], path);
    json_t *root = tests_json_load(path);
    if (root) {
        CHECK(!strcmp(str(root, "level"), "quick"), "level '%s'", str(root, "level"));
        check_invariance(root);
        check_decay_and_wavelengths(root);
        json_decref(root);
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
    return tests_exit_code("test_analyze_run");
}
