/* table_instances.h - the table backend's kernel instances (one per vector ISA of
 * impls/core/isa_list.h, then the portable one) that this CPU runs, and how a test makes table
 * plans with a chosen one: while they are made, POSENC_DISABLE_CPU_FEATURES hides the features
 * of the wider instances that the chosen one lacks and nothing else (optional features such as
 * AVX512-BF16 stay visible, and what the variable hid already stays hidden), as a CPU without
 * the wider ISAs would; table_pick_check then asks the plan which instance it uses. The test
 * defines _GNU_SOURCE (setenv, unsetenv) before its first include. */
#ifndef POSENC_TESTS_TABLE_INSTANCES_H
#define POSENC_TESTS_TABLE_INSTANCES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "posenc.h"

#include "table/table_plan.h"

#define TABLE_MAX_INSTANCES 8

typedef struct table_pick {
    const posenc_impl *kernels; /* the instance */
    char hide[512];             /* POSENC_DISABLE_CPU_FEATURES while its plans are made */
    char saved[512];            /* the variable before, restored after */
    int had_saved;
} table_pick;

/* The names of the detected features among `bits`, separated by commas, into out. */
static inline void table_feature_names(uint64_t bits, char *out, size_t size)
{
    size_t at = 0;
    out[0] = '\0';
    for (int b = 0; b < 64; b++) {
        uint64_t bit = UINT64_C(1) << b;
        const char *name = posenc_cpu_feature_name(bit);
        if (!(bits & bit) || !name)
            continue;
        int w = snprintf(out + at, size - at, "%s%s", at ? "," : "", name);
        if (w < 0 || (size_t)w >= size - at)
            break;
        at += (size_t)w;
    }
}

/* The instances of `kind` (sinusoidal or rotary) that this CPU runs with the features usable
 * now, best first, the portable one last, into picks; returns how many. */
static inline size_t table_picks(posenc_kind kind, table_pick picks[TABLE_MAX_INSTANCES])
{
    uint64_t detected = posenc_cpu_features_detected(), usable = posenc_cpu_features();
    const char *env = getenv("POSENC_DISABLE_CPU_FEATURES");
    uint64_t wider = 0; /* the features of the instances before this one */
    size_t n = 0;
    for (size_t i = 0; table_kernels_at(kind, i); i++) {
        const posenc_impl *k = table_kernels_at(kind, i);
        if ((k->cpu_features & ~usable) == 0 && n < TABLE_MAX_INSTANCES) {
            table_pick *p = &picks[n++];
            p->kernels = k;
            table_feature_names(detected & (~usable | (wider & ~k->cpu_features)), p->hide,
                                sizeof p->hide);
            p->had_saved = env != NULL;
            snprintf(p->saved, sizeof p->saved, "%s", env ? env : "");
        }
        wider |= k->cpu_features;
    }
    CHECK(n > 0 && picks[n - 1].kernels->cpu_features == 0,
          "the table's %s instances end without a portable one", posenc_kind_name(kind));
    return n;
}

/* Plans made from now until table_pick_leave use the pick's instance. */
static inline void table_pick_enter(const table_pick *p)
{
    if (p->hide[0])
        setenv("POSENC_DISABLE_CPU_FEATURES", p->hide, 1);
    else
        unsetenv("POSENC_DISABLE_CPU_FEATURES");
}

static inline void table_pick_leave(const table_pick *p)
{
    if (p->had_saved)
        setenv("POSENC_DISABLE_CPU_FEATURES", p->saved, 1);
    else
        unsetenv("POSENC_DISABLE_CPU_FEATURES");
}

/* CHECKs that a table plan uses the pick's instance; returns whether it does. */
static inline int table_pick_check(const posenc_plan *plan, const table_pick *p, const char *what)
{
    const posenc_impl *k = table_plan_kernels(plan);
    CHECK(k == p->kernels, "%s: the plan uses %s, not %s (POSENC_DISABLE_CPU_FEATURES=%s)", what,
          k ? k->name : "no table instance", p->kernels->name, p->hide);
    return k == p->kernels;
}

#endif
