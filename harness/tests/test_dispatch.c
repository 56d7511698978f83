/* test_dispatch.c - run-time choice of implementation: best-first order, features hidden with
 * POSENC_DISABLE_CPU_FEATURES one after another down to the portable backend, POSENC_IMPL. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "posenc.h"

static const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY};

/* What dispatch must pick: the first registry entry of `kind` whose features are all usable. */
static const posenc_impl *expected_best(posenc_kind kind, uint64_t usable)
{
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        if (impl->kind == kind && !(impl->flags & POSENC_IMPL_EXPLICIT_ONLY) &&
            (impl->cpu_features & ~usable) == 0)
            return impl;
    }
    return NULL;
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
}

int main(void)
{
    unsetenv("POSENC_IMPL");
    unsetenv("POSENC_DISABLE_CPU_FEATURES");
    uint64_t detected = posenc_cpu_features_detected();
    check_best_for(detected, "no features hidden");

    /* every kind has a portable implementation, the last of its automatic choices */
    for (size_t k = 0; k < 3; k++) {
        const posenc_impl *last = NULL;
        for (size_t i = 0; i < posenc_impl_count(); i++)
            if (posenc_impl_at(i)->kind == kinds[k] &&
                !(posenc_impl_at(i)->flags & POSENC_IMPL_EXPLICIT_ONLY))
                last = posenc_impl_at(i);
        CHECK(last && last->cpu_features == 0, "kind %d lacks a portable fallback", (int)kinds[k]);
    }

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

    setenv("POSENC_DISABLE_CPU_FEATURES", "all", 1);
    check_best_for(0, "all");
    for (size_t k = 0; k < 3; k++)
        CHECK(posenc_impl_best(kinds[k])->cpu_features == 0, "kind %d: not portable with all hidden",
              (int)kinds[k]);
    unsetenv("POSENC_DISABLE_CPU_FEATURES");

    /* names of features round-trip, unknown bits have none */
    CHECK(!strcmp(posenc_cpu_feature_name(POSENC_CPU_AVX2), "avx2"), "avx2 name");
    CHECK(posenc_cpu_feature_name(UINT64_C(1) << 40) == NULL, "unknown bit has a name");
    setenv("POSENC_DISABLE_CPU_FEATURES", " avx2 ,, fma,neon,bogus", 1);
    CHECK((posenc_cpu_features() & (POSENC_CPU_AVX2 | POSENC_CPU_FMA | POSENC_CPU_NEON)) == 0,
          "list with spaces and unknown names");
    CHECK(posenc_cpu_features() ==
              (detected & ~(uint64_t)(POSENC_CPU_AVX2 | POSENC_CPU_FMA | POSENC_CPU_NEON)),
          "only the named features are hidden");
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
    setenv("POSENC_IMPL", "rotary/no-such-backend", 1);
    CHECK(posenc_impl_best(POSENC_ROTARY) == expected_best(POSENC_ROTARY, detected),
          "an unknown POSENC_IMPL is ignored");
    unsetenv("POSENC_IMPL");

    /* find by name */
    CHECK(posenc_impl_find("rotary/scalar") && posenc_impl_find("sinusoidal/scalar") &&
              posenc_impl_find("learned/scalar"),
          "scalar implementations are registered");
    CHECK(posenc_impl_find(NULL) == NULL && posenc_impl_find("rotary") == NULL, "find misses");
    CHECK(posenc_impl_at(posenc_impl_count()) == NULL, "at() past the end");
    return tests_exit_code("test_dispatch");
}
