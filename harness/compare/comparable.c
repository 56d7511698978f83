/* comparable.c - whether two runs timed the same kind of machine with the same compiler: the
 * CPU model, the set of CPU features posenc used and the C compiler must match, or a ratio of
 * their times says more about the machines than about the code. */
#include <stdio.h>
#include <string.h>

#include "compare.h"

static int has_feature(const cmp_run *run, const char *f)
{
    for (size_t i = 0; i < run->n_features; i++)
        if (!strcmp(run->features[i], f))
            return 1;
    return 0;
}

/* Appends to s[0, cap) the features of a that b lacks, "avx512f avx512bw"; returns how many. */
static size_t only_in(const cmp_run *a, const cmp_run *b, char *s, size_t cap)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < a->n_features; i++) {
        if (has_feature(b, a->features[i]))
            continue;
        int w = snprintf(s + len, cap - len, "%s%s", n ? " " : "", a->features[i]);
        if (w > 0 && (size_t)w < cap - len)
            len += (size_t)w;
        n++;
    }
    return n;
}

static void mismatch(compare_result *res, const char *field, const char *b, const char *n)
{
    if (res->n_mismatches < sizeof res->mismatches / sizeof res->mismatches[0])
        snprintf(res->mismatches[res->n_mismatches++], sizeof res->mismatches[0],
                 "%s: BASE '%s', NEW '%s'", field, b, n);
}

void compare_machines(const cmp_run *base, const cmp_run *new_, compare_result *res)
{
    res->n_mismatches = 0;
    if (strcmp(base->cpu_model, new_->cpu_model))
        mismatch(res, "machine.cpu_model", base->cpu_model, new_->cpu_model);
    char b_only[180] = "", n_only[180] = "";
    size_t nb = only_in(base, new_, b_only, sizeof b_only);
    size_t nn = only_in(new_, base, n_only, sizeof n_only);
    if (nb || nn)
        snprintf(res->mismatches[res->n_mismatches++], sizeof res->mismatches[0],
                 "machine.cpu_features: only in BASE '%s', only in NEW '%s'", b_only, n_only);
    if (strcmp(base->compiler, new_->compiler))
        mismatch(res, "build.compiler", base->compiler, new_->compiler);
    res->comparable = res->n_mismatches == 0;
}
