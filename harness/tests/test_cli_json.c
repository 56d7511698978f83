/* test_cli_json.c - `posenc list --json` and `posenc sysinfo --json` (their output files given
 * on the command line) against the library they describe: every implementation in registry
 * order with its kind, support and bound, and what dispatch picks.
 * Usage: test_cli_json LIST_JSON SYSINFO_JSON */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json_read.h"
#include "posenc.h"

static const char *str(const jread_value *o, const char *key)
{
    const char *s = jread_string(jread_get(o, key));
    return s ? s : "";
}

static int is_bool(const jread_value *v, int want)
{
    return v && v->type == JREAD_BOOL && v->boolean == want;
}

static void check_list(const jread_value *root)
{
    const jread_value *impls = jread_get(root, "implementations");
    CHECK(impls && impls->type == JREAD_ARRAY && impls->n == posenc_impl_count(),
          "implementations: %zu, the registry has %zu", impls ? impls->n : 0,
          posenc_impl_count());
    for (size_t i = 0; impls && i < impls->n && i < posenc_impl_count(); i++) {
        const jread_value *v = jread_at(impls, i);
        const posenc_impl *impl = posenc_impl_at(i);
        CHECK(!strcmp(str(v, "name"), impl->name), "entry %zu is %s, not %s", i,
              str(v, "name"), impl->name);
        CHECK(!strcmp(str(v, "kind"), posenc_kind_name(impl->kind)), "%s: kind %s",
              impl->name, str(v, "kind"));
        CHECK(is_bool(jread_get(v, "supported"), posenc_impl_supported(impl)),
              "%s: supported", impl->name);
        const jread_value *missing = jread_get(v, "missing_features");
        CHECK(missing && missing->type == JREAD_ARRAY &&
                  (missing->n == 0) == (posenc_impl_supported(impl) != 0),
              "%s: missing features listed when supported, or none when not", impl->name);
        double bound = -1;
        if (jread_number(jread_get(v, "max_err_u"), &bound))
            CHECK(bound == impl->max_err_u, "%s: bound %g, not %g", impl->name, bound,
                  impl->max_err_u);
        CHECK(is_bool(jread_get(v, "design"), (impl->flags & POSENC_IMPL_DESIGN) != 0),
              "%s: design flag", impl->name);
    }
    const jread_value *variants = jread_get(root, "variants");
    CHECK(variants && variants->type == JREAD_ARRAY && variants->n >= 5, "variants");
}

static void check_sysinfo(const jread_value *root)
{
    CHECK(str(root, "kind")[0] != '\0', "no machine kind");
    CHECK(!strcmp(str(root, "arch"), "x86_64") || !strcmp(str(root, "arch"), "aarch64"),
          "arch '%s'", str(root, "arch"));
    static const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY,
                                        POSENC_ALIBI};
    const jread_value *best = jread_get(root, "best");
    for (size_t k = 0; k < 4; k++) {
        const posenc_impl *b = posenc_impl_best(kinds[k]);
        const char *name = str(best, posenc_kind_name(kinds[k]));
        CHECK(b && !strcmp(name, b->name), "best %s: '%s', dispatch picks %s",
              posenc_kind_name(kinds[k]), name, b ? b->name : "(none)");
    }
    double stream = 0;
    CHECK(jread_number(jread_get(root, "stream_threshold_bytes"), &stream) &&
              stream == (double)posenc_stream_threshold(NULL),
          "stream threshold %g", stream);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_cli_json LIST_JSON SYSINFO_JSON\n");
        return 2;
    }
    jread_error err;
    jread_value *list = jread_parse_file(argv[1], 0, &err);
    CHECK(list != NULL, "%s is not JSON", argv[1]);
    if (list)
        check_list(list);
    jread_value *sys = jread_parse_file(argv[2], 0, &err);
    CHECK(sys != NULL, "%s is not JSON", argv[2]);
    if (sys)
        check_sysinfo(sys);
    jread_free(list);
    jread_free(sys);
    printf("test_cli_json: %d checks passed, %d failed\n", check_passes, check_failures);
    return check_failures ? 1 : 0;
}
