/* test_dispatch.c - run-time choice of implementation: the order documented in posenc.h, features
 * hidden with POSENC_DISABLE_CPU_FEATURES one after another down to the portable backend (and
 * the table backend's choice of kernel instance, which follows the same order), POSENC_IMPL,
 * and the errors for misspelt names in either variable. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "posenc.h"

#include "table/table_plan.h"

static const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY};

/* The backends of the "Dispatch order:" line of posenc.h (POSENC_HEADER), best first: the
 * test holds the registry to the documentation, not to itself. */
#define MAX_ORDER 16
static char order[MAX_ORDER][32];
static int n_order;

static void read_documented_order(void)
{
    FILE *f = fopen(POSENC_HEADER, "r");
    CHECK(f != NULL, "cannot open %s", POSENC_HEADER);
    if (!f)
        return;
    char line[512];
    const char *key = "Dispatch order:";
    while (fgets(line, sizeof line, f)) {
        char *at = strstr(line, key);
        if (!at)
            continue;
        for (char *tok = strtok(at + strlen(key), ", \n"); tok && n_order < MAX_ORDER;
             tok = strtok(NULL, ", \n"))
            snprintf(order[n_order++], sizeof order[0], "%.31s", tok);
        break;
    }
    fclose(f);
    CHECK(n_order >= 2, "posenc.h documents no dispatch order (a \"%s\" line)", key);
}

static const posenc_impl *find_backend(posenc_kind kind, const char *backend)
{
    char name[600]; /* kind + "/" + any backend string: never truncated */
    snprintf(name, sizeof name, "%s/%s", posenc_kind_name(kind), backend);
    return posenc_impl_find(name);
}

/* What dispatch must pick: the first documented backend of `kind` built here whose features
 * are all usable. */
static const posenc_impl *expected_best(posenc_kind kind, uint64_t usable)
{
    for (int o = 0; o < n_order; o++) {
        const posenc_impl *impl = find_backend(kind, order[o]);
        if (impl && (impl->cpu_features & ~usable) == 0)
            return impl;
    }
    return NULL;
}

/* The registry's automatic choices of `kind` are the documented backends built here, in the
 * documented order, and the last runs everywhere. */
static void check_registry_order(posenc_kind kind)
{
    int next = 0;
    const posenc_impl *last = NULL;
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        if (impl->kind != kind || (impl->flags & POSENC_IMPL_EXPLICIT_ONLY))
            continue;
        while (next < n_order && find_backend(kind, order[next]) != impl)
            next++;
        CHECK(next < n_order, "%s is chosen by dispatch but not in the documented order (or out "
              "of it)", impl->name);
        last = impl;
    }
    CHECK(last && last->cpu_features == 0, "kind %s lacks a portable fallback",
          posenc_kind_name(kind));
}

/* The table's kernel instances of `kind`: each but the portable one, which ends them, is named
 * "<kind>/table-<backend>" after a documented backend, in the documented order. */
static void check_table_order(posenc_kind kind)
{
    int next = 0;
    size_t i = 0;
    for (const posenc_impl *k; (k = table_kernels_at(kind, i)) != NULL; i++) {
        const char *backend = strstr(k->name, "/table-");
        CHECK(backend != NULL, "table instance %s is not named <kind>/table-<backend>", k->name);
        if (!backend)
            continue;
        backend += strlen("/table-");
        if (!strcmp(backend, "portable")) {
            CHECK(k->cpu_features == 0 && table_kernels_at(kind, i + 1) == NULL,
                  "%s: not the last, or needs CPU features", k->name);
            continue;
        }
        while (next < n_order && strcmp(order[next], backend))
            next++;
        CHECK(next < n_order, "table instance %s is not in the documented order (or out of it)",
              k->name);
    }
    CHECK(i > 0, "the table has no %s kernel instances", posenc_kind_name(kind));
}

/* The instance a table plan of `kind` must use: the table's instance of the first documented
 * backend that has one built here whose features are all usable, else the portable one. */
static const posenc_impl *expected_table_kernels(posenc_kind kind, uint64_t usable)
{
    char name[600]; /* kind + "/table-" + any backend string: never truncated */
    for (int o = 0; o <= n_order; o++) {
        snprintf(name, sizeof name, "%s/table-%s", posenc_kind_name(kind),
                 o < n_order ? order[o] : "portable");
        for (size_t i = 0; table_kernels_at(kind, i); i++) {
            const posenc_impl *k = table_kernels_at(kind, i);
            if (!strcmp(k->name, name) && (k->cpu_features & ~usable) == 0)
                return k;
        }
    }
    return NULL;
}

static void check_table_for(uint64_t usable, const char *setting)
{
    static const posenc_kind table_kinds[] = {POSENC_SINUSOIDAL, POSENC_ROTARY};
    for (size_t k = 0; k < 2; k++) {
        posenc_params p = posenc_params_default(table_kinds[k], 64);
        p.max_positions = 4;
        posenc_plan *plan = NULL;
        CHECK_CODE(posenc_plan_create(find_backend(table_kinds[k], "table"), &p, &plan),
                   POSENC_OK);
        const posenc_impl *got = table_plan_kernels(plan);
        const posenc_impl *want = expected_table_kernels(table_kinds[k], usable);
        CHECK(got && got == want, "%s: the %s table plan uses %s, expected %s", setting,
              posenc_kind_name(table_kinds[k]), got ? got->name : "NULL",
              want ? want->name : "NULL");
        posenc_plan_destroy(plan);
    }
}

static void check_best_for(uint64_t usable, const char *setting)
{
    CHECK(posenc_cpu_features() == usable, "%s: features %llx, expected %llx", setting,
          (unsigned long long)posenc_cpu_features(), (unsigned long long)usable);
    for (size_t k = 0; k < 3; k++) {
        const posenc_impl *best = posenc_impl_best(kinds[k]);
        const posenc_impl *want = expected_best(kinds[k], usable);
        CHECK(best && best == want, "%s: kind %d chose %s, expected %s", setting, (int)kinds[k],
              best ? best->name : "NULL", want ? want->name : "NULL");
        /* and a plan made without naming an implementation uses it */
        posenc_params p = posenc_params_default(kinds[k], 64);
        posenc_weights *w = NULL;
        if (kinds[k] == POSENC_LEARNED) {
            static float zeros[4 * 64];
            CHECK_CODE(posenc_weights_from_array(4, 64, zeros, &w), POSENC_OK);
            p.weights = w;
        }
        posenc_plan *plan = NULL;
        CHECK_CODE(posenc_plan_create(NULL, &p, &plan), POSENC_OK);
        CHECK(plan && posenc_plan_impl(plan) == want, "%s: plan uses %s", setting,
              plan ? posenc_plan_impl(plan)->name : "NULL");
        posenc_plan_destroy(plan);
        posenc_weights_free(w);
    }
    check_table_for(usable, setting);
}

/* A plan made without naming an implementation fails with `code`, and posenc_impl_best gives
 * NULL: a bad variable is never a silent fallback. */
static void check_env_error(int code, const char *what, const char *needle)
{
    CHECK_CODE(posenc_check_environment(), code);
    CHECK(strstr(posenc_last_error(), needle) != NULL, "%s: message '%s' lacks '%s'", what,
          posenc_last_error(), needle);
    for (size_t k = 0; k < 3; k++)
        CHECK(posenc_impl_best(kinds[k]) == NULL, "%s: posenc_impl_best still chose", what);
    posenc_params p = posenc_params_default(POSENC_ROTARY, 64);
    posenc_plan *plan = NULL;
    CHECK_CODE(posenc_plan_create(NULL, &p, &plan), code);
    CHECK(plan == NULL, "%s: a plan was made", what);
    CHECK_CODE(posenc_plan_create(posenc_impl_find("rotary/scalar"), &p, &plan), code);
    CHECK(plan == NULL, "%s: a plan was made with a named implementation", what);
}

int main(void)
{
    unsetenv("POSENC_IMPL");
    unsetenv("POSENC_DISABLE_CPU_FEATURES");
    read_documented_order();
    for (size_t k = 0; k < 3; k++)
        check_registry_order(kinds[k]);
    check_table_order(POSENC_SINUSOIDAL);
    check_table_order(POSENC_ROTARY);
    CHECK_CODE(posenc_check_environment(), POSENC_OK);
    uint64_t detected = posenc_cpu_features_detected();
    check_best_for(detected, "no features hidden");

    /* hide detected features one at a time, newest first, as a user on an older CPU would see */
    char hidden[512] = "";
    uint64_t usable = detected;
    for (int b = 63; b >= 0; b--) {
        uint64_t bit = UINT64_C(1) << b;
        const char *name = posenc_cpu_feature_name(bit);
        if (!(detected & bit) || !name)
            continue;
        if (hidden[0])
            strcat(hidden, ", ");
        strcat(hidden, name);
        setenv("POSENC_DISABLE_CPU_FEATURES", hidden, 1);
        usable &= ~bit;
        check_best_for(usable, hidden);
        /* an implementation needing a hidden feature is refused by name as well */
        for (size_t i = 0; i < posenc_impl_count(); i++) {
            const posenc_impl *impl = posenc_impl_at(i);
            if (!(impl->cpu_features & bit))
                continue;
            CHECK(!posenc_impl_supported(impl), "%s still supported with %s hidden", impl->name,
                  name);
        }
    }

    /* the AVX-512 family by its one name, as on an AVX2-only machine */
    uint64_t avx512_bits = 0;
    for (int b = 0; b < 64; b++) {
        const char *name = posenc_cpu_feature_name(UINT64_C(1) << b);
        if (name && !strncmp(name, "avx512", 6))
            avx512_bits |= UINT64_C(1) << b;
    }
    setenv("POSENC_DISABLE_CPU_FEATURES", "avx512", 1);
    check_best_for(detected & ~avx512_bits, "avx512");

    setenv("POSENC_DISABLE_CPU_FEATURES", "all", 1);
    check_best_for(0, "all");
    for (size_t k = 0; k < 3; k++)
        CHECK(posenc_impl_best(kinds[k])->cpu_features == 0, "kind %d: not portable with all hidden",
              (int)kinds[k]);
    unsetenv("POSENC_DISABLE_CPU_FEATURES");

    /* names of features round-trip, unknown bits have none */
    CHECK(!strcmp(posenc_cpu_feature_name(POSENC_CPU_AVX2), "avx2"), "avx2 name");
    CHECK(posenc_cpu_feature_name(UINT64_C(1) << 40) == NULL, "unknown bit has a name");
    setenv("POSENC_DISABLE_CPU_FEATURES", " avx2 ,, fma,neon", 1);
    CHECK_CODE(posenc_check_environment(), POSENC_OK);
    CHECK(posenc_cpu_features() ==
              (detected & ~(uint64_t)(POSENC_CPU_AVX2 | POSENC_CPU_FMA | POSENC_CPU_NEON)),
          "a list with spaces and empty names hides exactly the named features");
    /* an unknown feature name is an error, named, as libdeflate stops on one */
    setenv("POSENC_DISABLE_CPU_FEATURES", "avx2,avx3", 1);
    check_env_error(POSENC_ERR_ARGUMENT, "POSENC_DISABLE_CPU_FEATURES=avx2,avx3", "'avx3'");
    unsetenv("POSENC_DISABLE_CPU_FEATURES");

    /* POSENC_IMPL forces a supported implementation of its kind, and only of its kind */
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        if (!posenc_impl_supported(impl))
            continue;
        setenv("POSENC_IMPL", impl->name, 1);
        CHECK(posenc_impl_best(impl->kind) == impl, "POSENC_IMPL=%s not honoured", impl->name);
        for (size_t k = 0; k < 3; k++)
            if (kinds[k] != impl->kind)
                CHECK(posenc_impl_best(kinds[k]) == expected_best(kinds[k], detected),
                      "POSENC_IMPL=%s changed the choice for kind %d", impl->name, (int)kinds[k]);
    }
    /* a backend name forces it for every kind; a list mixes both forms */
    setenv("POSENC_IMPL", "scalar", 1);
    for (size_t k = 0; k < 3; k++)
        CHECK(posenc_impl_best(kinds[k]) == find_backend(kinds[k], "scalar"),
              "POSENC_IMPL=scalar: kind %s", posenc_kind_name(kinds[k]));
    setenv("POSENC_IMPL", "rotary/table, learned/scalar", 1);
    CHECK(posenc_impl_best(POSENC_ROTARY) == posenc_impl_find("rotary/table") &&
              posenc_impl_best(POSENC_LEARNED) == posenc_impl_find("learned/scalar") &&
              posenc_impl_best(POSENC_SINUSOIDAL) == expected_best(POSENC_SINUSOIDAL, detected),
          "POSENC_IMPL as a list");
    /* misspelt, contradictory or unusable: an error naming it */
    setenv("POSENC_IMPL", "rotary/no-such-backend", 1);
    check_env_error(POSENC_ERR_NOT_FOUND, "POSENC_IMPL=rotary/no-such-backend",
                    "'rotary/no-such-backend'");
    setenv("POSENC_IMPL", "scalar,avx", 1);
    check_env_error(POSENC_ERR_NOT_FOUND, "POSENC_IMPL=scalar,avx", "'avx'");
    setenv("POSENC_IMPL", "rotary/scalar,rotary/table", 1);
    check_env_error(POSENC_ERR_ARGUMENT, "two rotary implementations", "rotary/table");
    setenv("POSENC_IMPL", "rotary/scalar", 1);
    setenv("POSENC_DISABLE_CPU_FEATURES", "all", 1);
    CHECK_CODE(posenc_check_environment(), POSENC_OK);
    const posenc_impl *vector = expected_best(POSENC_ROTARY, detected);
    if (vector && vector->cpu_features) {
        setenv("POSENC_IMPL", vector->name, 1);
        check_env_error(POSENC_ERR_UNSUPPORTED, "a forced implementation hidden", vector->name);
    }
    unsetenv("POSENC_DISABLE_CPU_FEATURES");
    unsetenv("POSENC_IMPL");
    CHECK_CODE(posenc_check_environment(), POSENC_OK);

    /* find by name */
    CHECK(posenc_impl_find("rotary/scalar") && posenc_impl_find("sinusoidal/scalar") &&
              posenc_impl_find("learned/scalar"),
          "scalar implementations are registered");
    CHECK(posenc_impl_find(NULL) == NULL && posenc_impl_find("rotary") == NULL, "find misses");
    CHECK(posenc_impl_at(posenc_impl_count()) == NULL, "at() past the end");
    return tests_exit_code("test_dispatch");
}
