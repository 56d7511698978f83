/* comparable.c - whether two runs timed the same kind of machine with the same compiler: the
 * architecture, the CPU's identity (x86: vendor, family, model; AArch64: implementer, part),
 * the set of CPU features posenc used and the C compiler must match, or a ratio of their times
 * says more about the machines than about the code. Not the brand string: virtual machines cut
 * it short ("AMD EPYC" on Zen 1, Zen 4 and Zen 5 alike). What differs without making the runs
 * incomparable (stepping, variant, revision, the brand string) is noted. */
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

#define CAPACITY(a) (sizeof(a) / sizeof((a)[0]))

static void add(char (*list)[400], size_t cap, size_t *n, const char *field, const char *b,
                const char *nw)
{
    if (*n < cap)
        snprintf(list[(*n)++], sizeof list[0], "%s: BASE '%s', NEW '%s'", field, b, nw);
}

/* A cpu_id number as the reports show it: "25", "0xd0c" (AArch64 codes in hex), "unknown". */
static const char *id_text(int v, int hex, char *buf, size_t cap)
{
    if (v < 0)
        snprintf(buf, cap, "unknown");
    else
        snprintf(buf, cap, hex ? "0x%x" : "%d", v);
    return buf;
}

/* One cpu_id field: a mismatch when `key` says so, else a note. */
static void id_field(const char *field, int b, int n, int hex, int key, compare_result *res)
{
    if (b == n)
        return;
    char tb[24], tn[24];
    id_text(b, hex, tb, sizeof tb);
    id_text(n, hex, tn, sizeof tn);
    if (key)
        add(res->mismatches, CAPACITY(res->mismatches), &res->n_mismatches, field, tb, tn);
    else
        add(res->notes, CAPACITY(res->notes), &res->n_notes, field, tb, tn);
}

void compare_machines(const cmp_run *base, const cmp_run *new_, compare_result *res)
{
    res->n_mismatches = res->n_notes = 0;
    const size_t cap = CAPACITY(res->mismatches);
    const run_record *b = &base->read.run, *n = &new_->read.run;
    if (strcmp(b->arch, n->arch))
        add(res->mismatches, cap, &res->n_mismatches, "machine.arch", b->arch, n->arch);
    if (strcmp(b->cpu_vendor, n->cpu_vendor))
        add(res->mismatches, cap, &res->n_mismatches, "machine.cpu_id.vendor",
            b->cpu_vendor[0] ? b->cpu_vendor : "unknown",
            n->cpu_vendor[0] ? n->cpu_vendor : "unknown");
    id_field("machine.cpu_id.family", b->cpu_family, n->cpu_family, 0, 1, res);
    id_field("machine.cpu_id.model", b->cpu_model_number, n->cpu_model_number, 0, 1, res);
    id_field("machine.cpu_id.implementer", b->cpu_implementer, n->cpu_implementer, 1, 1,
             res);
    id_field("machine.cpu_id.part", b->cpu_part, n->cpu_part, 1, 1, res);
    char b_only[180] = "", n_only[180] = "";
    size_t nb = only_in(base, new_, b_only, sizeof b_only);
    size_t nn = only_in(new_, base, n_only, sizeof n_only);
    if ((nb || nn) && res->n_mismatches < cap) {
        char *m = res->mismatches[res->n_mismatches++];
        if (nb && nn)
            snprintf(m, sizeof res->mismatches[0],
                     "machine.cpu_features: only in BASE '%s', only in NEW '%s'", b_only, n_only);
        else
            snprintf(m, sizeof res->mismatches[0], "machine.cpu_features: only in %s '%s'",
                     nb ? "BASE" : "NEW", nb ? b_only : n_only);
    }
    if (strcmp(b->compiler, n->compiler))
        add(res->mismatches, cap, &res->n_mismatches, "build.compiler", b->compiler,
            n->compiler);
    /* Differences that leave the runs comparable: another stepping (variant, revision) of the
       same model is the same core with fixes, and the brand string is what a VM chose to say */
    id_field("machine.cpu_id.stepping", b->cpu_stepping, n->cpu_stepping, 0, 0, res);
    id_field("machine.cpu_id.variant", b->cpu_variant, n->cpu_variant, 1, 0, res);
    id_field("machine.cpu_id.revision", b->cpu_revision, n->cpu_revision, 0, 0, res);
    if (strcmp(b->cpu_model, n->cpu_model))
        add(res->notes, CAPACITY(res->notes), &res->n_notes, "machine.cpu_model",
            b->cpu_model, n->cpu_model);
    res->comparable = res->n_mismatches == 0;
}
