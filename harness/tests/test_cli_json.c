/* test_cli_json.c - `posenc list --json` and `posenc sysinfo --json` (their output files given
 * on the command line) against the library they describe: every implementation in registry
 * order with its kind, support and bound, and what dispatch picks; both held to their schemas
 * (results/list.schema.json, results/sysinfo.schema.json), which refuse edited copies.
 * Usage: test_cli_json LIST_JSON SYSINFO_JSON */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_check.h"
#include "posenc.h"

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int is_bool(const json_t *v, int want)
{
    return v && json_is_boolean(v) && json_is_true(v) == want;
}

static void check_list(const json_t *root)
{
    const json_t *impls = json_object_get(root, "implementations");
    CHECK(impls && json_is_array(impls) && json_array_size(impls) == posenc_impl_count(),
          "implementations: %zu, the registry has %zu", impls ? json_array_size(impls) : 0,
          posenc_impl_count());
    for (size_t i = 0; impls && i < json_array_size(impls) && i < posenc_impl_count(); i++) {
        const json_t *v = json_array_get(impls, i);
        const posenc_impl *impl = posenc_impl_at(i);
        CHECK(!strcmp(str(v, "name"), impl->name), "entry %zu is %s, not %s", i,
              str(v, "name"), impl->name);
        CHECK(!strcmp(str(v, "kind"), posenc_kind_name(impl->kind)), "%s: kind %s",
              impl->name, str(v, "kind"));
        CHECK(is_bool(json_object_get(v, "supported"), posenc_impl_supported(impl)),
              "%s: supported", impl->name);
        const json_t *missing = json_object_get(v, "missing_features");
        CHECK(missing && json_is_array(missing) &&
                  (json_array_size(missing) == 0) == (posenc_impl_supported(impl) != 0),
              "%s: missing features listed when supported, or none when not", impl->name);
        double bound = -1;
        if (json_doc_number(json_object_get(v, "max_err_u"), &bound))
            CHECK(bound == impl->max_err_u, "%s: bound %g, not %g", impl->name, bound,
                  impl->max_err_u);
        CHECK(is_bool(json_object_get(v, "design"), (impl->flags & POSENC_IMPL_DESIGN) != 0),
              "%s: design flag", impl->name);
    }
    const json_t *variants = json_object_get(root, "variants");
    CHECK(variants && json_is_array(variants) && json_array_size(variants) >= 5, "variants");
}

static void check_sysinfo(const json_t *root)
{
    CHECK(str(root, "kind")[0] != '\0', "no machine kind");
    CHECK(!strcmp(str(root, "arch"), "x86_64") || !strcmp(str(root, "arch"), "aarch64"),
          "arch '%s'", str(root, "arch"));
    static const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY,
                                        POSENC_ALIBI};
    const json_t *best = json_object_get(root, "best");
    for (size_t k = 0; k < 4; k++) {
        const posenc_impl *b = posenc_impl_best(kinds[k]);
        const char *name = str(best, posenc_kind_name(kinds[k]));
        CHECK(b && !strcmp(name, b->name), "best %s: '%s', dispatch picks %s",
              posenc_kind_name(kinds[k]), name, b ? b->name : "(none)");
    }
    double stream = 0;
    CHECK(json_doc_number(json_object_get(root, "stream_threshold_bytes"), &stream) &&
              stream == (double)posenc_stream_threshold(NULL),
          "stream threshold %g", stream);
}

#ifndef POSENC_RESULTS_DIR
#error "POSENC_RESULTS_DIR must name results/ of the source tree (harness/tests/CMakeLists.txt)"
#endif

/* doc with `edit` applied, written beside `path` and refused by the schema at `at`. */
static void check_refused(const char *schema, const char *path, json_t *doc, const char *at,
                          void (*edit)(json_t *), const char *what)
{
    json_t *copy = json_deep_copy(doc);
    edit(copy);
    char bad[4096];
    snprintf(bad, sizeof bad, "%s.%s.json", path, what);
    if (tests_json_write(copy, bad) == 0)
        tests_schema_rejects(schema, bad, at);
    json_decref(copy);
}

static void misspell_kind(json_t *d)
{
    json_object_set_new(json_array_get(json_object_get(d, "implementations"), 0), "kind",
                        json_string("rotory"));
}
static void unknown_feature(json_t *d)
{
    json_array_append_new(json_object_get(d, "features"), json_string("avx1024"));
}
static void extra_member(json_t *d) { json_object_set_new(d, "cores", json_integer(2)); }

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_cli_json LIST_JSON SYSINFO_JSON\n");
        return 2;
    }
    const char *list_schema = POSENC_RESULTS_DIR "/list.schema.json";
    const char *sys_schema = POSENC_RESULTS_DIR "/sysinfo.schema.json";
    json_t *list = tests_json_load(argv[1]);
    if (list) {
        check_list(list);
        if (tests_schema_valid(list_schema, argv[1]) > 0) {
            check_refused(list_schema, argv[1], list, "/implementations/0/kind", misspell_kind,
                          "bad-kind");
            check_refused(list_schema, argv[1], list, NULL, extra_member, "extra");
        }
    }
    json_t *sys = tests_json_load(argv[2]);
    if (sys) {
        check_sysinfo(sys);
        if (tests_schema_valid(sys_schema, argv[2]) > 0) {
            check_refused(sys_schema, argv[2], sys, NULL, unknown_feature, "bad-feature");
            check_refused(sys_schema, argv[2], sys, NULL, extra_member, "extra");
        }
    }
    json_decref(list);
    json_decref(sys);
    return tests_exit_code("test_cli_json");
}
