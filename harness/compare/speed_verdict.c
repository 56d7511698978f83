/* speed_verdict.c - the per case speed verdict of `posenc compare`: match the cases of the two
 * runs by id, take each side's samples in the chosen metric, and judge the ratio of their
 * medians by the threshold and, over repetitions, by a Mann-Whitney U test. */
#define _POSIX_C_SOURCE 200809L /* regcomp */

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "harness_util.h"
#include "mann_whitney.h"
#include "median.h"

/* A reason into s, cut to cap as every reason is (the reports quote its start): a note or an
 * implementation's name from the record can be as long as the record's field for it. */
__attribute__((format(printf, 3, 4))) static void say(char *s, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, cap, fmt, ap);
    va_end(ap);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !memcmp(s + n - m, suffix, m);
}

/* The timed "/scalar" case of c's group and element type in the same run; a dispatched one only
 * when it is the only one (dispatch picks scalar where nothing better runs). */
static const run_case *scalar_of(const cmp_run *run, const run_case *c)
{
    const run_case *found = NULL;
    for (size_t i = 0; i < run->read.run.n_cases; i++) {
        const run_case *s = &run->read.run.cases[i];
        if (cmp_n_times(s) && !strcmp(s->group, c->group) && s->dtype == c->dtype &&
            ends_with(s->implementation, "/scalar")) {
            if (!s->dispatched)
                return s;
            found = s;
        }
    }
    return found;
}

/* One side's samples in the metric into *out (allocated; *n of them). Returns 0, or -1 with
 * why (one clause, "no instruction counts in NEW") when the case has none. */
static int samples(const cmp_run *run, const run_case *c, const char *label,
                   const compare_options *opt, double **out, size_t *n, char *why, size_t cap)
{
    *out = NULL;
    *n = 0;
    if (opt->metric == METRIC_INSTRUCTIONS) {
        if (isnan(c->instructions_per_element)) {
            if (c->instructions_note[0])
                say(why, cap, "no instruction counts in %s (%s)", label, c->instructions_note);
            else
                snprintf(why, cap, "no instruction counts in %s", label);
            return -1;
        }
        *out = harness_xmalloc(sizeof **out);
        (*out)[0] = c->instructions_per_element;
        *n = 1;
        return 0;
    }
    size_t n_times = cmp_n_times(c);
    if (!n_times) {
        snprintf(why, cap, "no repetitions in %s", label);
        return -1;
    }
    double ref = 1;
    if (opt->metric == METRIC_RELATIVE) {
        if (opt->reference == REF_MEMPASS) {
            ref = c->mempass_median_ns;
            if (!(ref > 0)) {
                snprintf(why, cap, "no memory pass reference in %s", label);
                return -1;
            }
        } else {
            const run_case *s = scalar_of(run, c);
            ref = s ? cmp_median_ns(s) : NAN;
            if (!(ref > 0)) {
                snprintf(why, cap, "no timed scalar case of this shape in %s", label);
                return -1;
            }
        }
    }
    *out = harness_xmalloc(n_times * sizeof **out);
    for (size_t i = 0; i < n_times; i++)
        (*out)[i] = c->times_ns[i] / ref;
    *n = n_times;
    return 0;
}

/* Whether c's count is of another implementation, standing in for c's (an avx512 kernel
 * counted through its avx2 instantiation under valgrind). */
static int stand_in(const run_case *c)
{
    return cmp_counted(c) && strcmp(c->instructions_impl, c->implementation);
}

/* s = p followed by s, cut to cap. */
static void prefix(char *s, size_t cap, const char *p)
{
    size_t n = strlen(p), len = strlen(s);
    if (n + 1 >= cap)
        return;
    if (len + n + 1 > cap)
        len = cap - n - 1;
    memmove(s + n, s, len);
    s[n + len] = '\0';
    memcpy(s, p, n);
}

/* How two instruction counts can be judged against each other. */
enum { LIKE_NONE, LIKE_BOTH, LIKE_REGRESSION_ONLY, LIKE_IMPROVEMENT_ONLY };

/* Both ways when the same implementation was counted on both sides, or each side's own (dispatch
 * picked another one: the counts are of what each run ran). A stand-in (an avx2 instantiation
 * counted for its avx512 one, which runs twice the lanes per instruction of the same template)
 * counts at least what it stands in for: against another implementation's own count, only the
 * direction that holds whatever the avx512 count is can be told (BASE a stand-in: a regression;
 * NEW a stand-in: an improvement). Two different stand-ins tell nothing. Otherwise sets why. */
static int like_with_like(const run_case *b, const run_case *n, char *why, size_t cap)
{
    const char *bi = cmp_counted(b) ? b->instructions_impl : b->implementation;
    const char *ni = cmp_counted(n) ? n->instructions_impl : n->implementation;
    if (!strcmp(bi, ni) || (!stand_in(b) && !stand_in(n)))
        return LIKE_BOTH;
    say(why, cap, "BASE counted %s%s%s, NEW counted %s%s%s", bi, stand_in(b) ? " for " : "",
        stand_in(b) ? b->implementation : "", ni, stand_in(n) ? " for " : "",
        stand_in(n) ? n->implementation : "");
    return stand_in(b) && stand_in(n) ? LIKE_NONE
           : stand_in(b)              ? LIKE_REGRESSION_ONLY
                                      : LIKE_IMPROVEMENT_ONLY;
}

static void not_timed(char *reason, size_t cap, const run_case *c, const char *label)
{
    if (!c)
        snprintf(reason, cap, "not in %s", label);
    else if (c->status == RUN_STATUS_OK)
        snprintf(reason, cap, "no repetitions in %s", label);
    else
        snprintf(reason, cap, "%s in %s", run_status_name(c->status), label);
}

static void judge(const cmp_run *base, const run_case *b, const cmp_run *new_, const run_case *n,
                  const compare_options *opt, compare_case_result *r)
{
    memset(r, 0, sizeof *r);
    int like = LIKE_BOTH; /* instructions: how the counts can be judged */
    r->id = b ? b->id : n->id;
    r->has_base = b && b->status == RUN_STATUS_OK;
    r->has_new = n && n->status == RUN_STATUS_OK;
    r->base.implementation = b ? b->implementation : NULL;
    r->new_.implementation = n ? n->implementation : NULL;
    if (opt->metric == METRIC_INSTRUCTIONS) {
        r->base.counted = b ? cmp_counted(b) : NULL;
        r->new_.counted = n ? cmp_counted(n) : NULL;
    }
    r->base.value = r->new_.value = r->ratio = r->p_value = NAN;

    double *xs = NULL, *ys = NULL;
    char why_b[96] = "", why_n[96] = "";
    int ok_b = r->has_base && !samples(base, b, "BASE", opt, &xs, &r->base.n, why_b,
                                       sizeof why_b);
    int ok_n = r->has_new && !samples(new_, n, "NEW", opt, &ys, &r->new_.n, why_n, sizeof why_n);
    if (ok_b)
        r->base.value = harness_median(xs, r->base.n);
    if (ok_n)
        r->new_.value = harness_median(ys, r->new_.n);

    if (!r->has_new) {
        r->verdict = VERDICT_MISSING;
        not_timed(r->reason, sizeof r->reason, n, "NEW");
    } else if (!r->has_base) {
        r->verdict = VERDICT_NEW;
        not_timed(r->reason, sizeof r->reason, b, "BASE");
    } else if (!ok_b || !ok_n) {
        r->verdict = VERDICT_INCONCLUSIVE;
        snprintf(r->reason, sizeof r->reason, "%s%s%s", why_b, *why_b && *why_n ? "; " : "",
                 why_n);
    } else if (opt->metric == METRIC_INSTRUCTIONS && b->instructions_source[0] &&
               n->instructions_source[0] &&
               strcmp(b->instructions_source, n->instructions_source)) {
        /* a CPU counts `rep movsb` as one instruction, callgrind each byte it moves: counts
           taken two ways are not comparable */
        r->verdict = VERDICT_INCONCLUSIVE;
        snprintf(r->reason, sizeof r->reason, "counted by %s in BASE, by %s in NEW",
                 b->instructions_source, n->instructions_source);
    } else if (opt->metric == METRIC_INSTRUCTIONS &&
               (like = like_with_like(b, n, r->reason, sizeof r->reason)) == LIKE_NONE) {
        r->verdict = VERDICT_INCONCLUSIVE;
        prefix(r->reason, sizeof r->reason, "not like with like: ");
    } else if (!(r->base.value > 0) || !isfinite(r->new_.value)) {
        r->verdict = VERDICT_INCONCLUSIVE;
        snprintf(r->reason, sizeof r->reason, "no ratio: BASE %g, NEW %g", r->base.value,
                 r->new_.value);
    } else {
        r->ratio = r->new_.value / r->base.value;
        double up = 1 + opt->threshold, down = 1 / (1 + opt->threshold);
        int past = r->ratio > up || r->ratio < down;
        if (opt->metric == METRIC_INSTRUCTIONS) {
            /* counts are the same on every repetition: the threshold alone decides */
            r->verdict = r->ratio > up     ? VERDICT_REGRESSION
                         : r->ratio < down ? VERDICT_IMPROVEMENT
                                           : VERDICT_UNCHANGED;
            if (like == LIKE_BOTH) {
                r->reason[0] = '\0';
            } else if ((like == LIKE_REGRESSION_ONLY && r->verdict != VERDICT_REGRESSION) ||
                       (like == LIKE_IMPROVEMENT_ONLY && r->verdict != VERDICT_IMPROVEMENT)) {
                r->verdict = VERDICT_INCONCLUSIVE;
                prefix(r->reason, sizeof r->reason, "not like with like: ");
                size_t len = strlen(r->reason);
                snprintf(r->reason + len, sizeof r->reason - len, " (a stand-in tells only %s)",
                         like == LIKE_REGRESSION_ONLY ? "a regression" : "an improvement");
            } else {
                size_t len = strlen(r->reason);
                snprintf(r->reason + len, sizeof r->reason - len,
                         " (a stand-in counts at least what it stands in for)");
            }
        } else {
            mw_result mw;
            double min_p = mann_whitney_min_p(r->base.n, r->new_.n);
            if (mann_whitney(xs, r->base.n, ys, r->new_.n, &mw) == 0)
                r->p_value = mw.p;
            if (min_p >= opt->alpha) {
                r->verdict = VERDICT_INCONCLUSIVE;
                snprintf(r->reason, sizeof r->reason,
                         "too few repetitions: %zu vs %zu cannot give p below alpha %g (the "
                         "smallest p is %.3g)",
                         r->base.n, r->new_.n, opt->alpha, min_p);
            } else if (isnan(r->p_value)) {
                r->verdict = VERDICT_INCONCLUSIVE;
                snprintf(r->reason, sizeof r->reason, "no test: a sample is not a number");
            } else if (past && r->p_value < opt->alpha) {
                r->verdict = r->ratio > 1 ? VERDICT_REGRESSION : VERDICT_IMPROVEMENT;
            } else if (past) {
                r->verdict = VERDICT_INCONCLUSIVE;
                snprintf(r->reason, sizeof r->reason, "not significant: p = %.3g >= alpha %g",
                         r->p_value, opt->alpha);
            } else {
                r->verdict = VERDICT_UNCHANGED;
            }
        }
    }
    free(xs);
    free(ys);
}

/* When the other run has a case of c's id on another element type or thread count, r's reason
 * says so: the two are not compared. */
static void other_type(compare_case_result *r, const run_case *c, const run_case *other,
                       const char *other_label)
{
    if (other && other->dtype != c->dtype)
        snprintf(r->reason, sizeof r->reason, "%s has this id on %s data, not %s: not compared",
                 other_label, run_dtype_name(other->dtype), run_dtype_name(c->dtype));
    else if (other && run_case_threads(other) != run_case_threads(c))
        snprintf(r->reason, sizeof r->reason,
                 "%s has this id on %d thread(s), not %d: not compared", other_label,
                 run_case_threads(other), run_case_threads(c));
}

static int selected(const compare_options *opt, const regex_t *re, const run_case *b,
                    const run_case *n)
{
    const char *id = b ? b->id : n->id;
    if (re && regexec(re, id, 0, NULL, 0) != 0)
        return 0;
    if (opt->dispatched_only && !((b && b->dispatched) || (n && n->dispatched)))
        return 0;
    return 1;
}

int compare_cases(const cmp_run *base, const cmp_run *new_, const compare_options *opt,
                  compare_result *res)
{
    regex_t re;
    if (opt->filter) {
        int rc = regcomp(&re, opt->filter, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            char msg[128];
            regerror(rc, &re, msg, sizeof msg);
            fprintf(stderr, "posenc compare: --filter '%s': %s\n", opt->filter, msg);
            return POSENC_EXIT_USAGE;
        }
    }
    const regex_t *rp = opt->filter ? &re : NULL;
    const run_record *br = &base->read.run, *nr = &new_->read.run;
    size_t cap = br->n_cases + nr->n_cases;
    compare_case_result *out = harness_xmalloc((cap ? cap : 1) * sizeof *out);
    size_t n_out = 0;
    /* BASE's order, then what only NEW has, in NEW's order; a case is its id and its element
       type, so a case of one id on other data is missing on one side and new on the other */
    for (size_t i = 0; i < br->n_cases; i++) {
        const run_case *b = &br->cases[i],
                       *n = run_find_case(new_, b->id, b->dtype, run_case_threads(b));
        if ((b->status == RUN_STATUS_OK || (n && n->status == RUN_STATUS_OK)) &&
            selected(opt, rp, b, n)) {
            judge(base, b, new_, n, opt, &out[n_out]);
            other_type(&out[n_out++], b, run_find_id(new_, b->id), "NEW");
        }
    }
    for (size_t i = 0; i < nr->n_cases; i++) {
        const run_case *n = &nr->cases[i];
        if (n->status == RUN_STATUS_OK &&
            !run_find_case(base, n->id, n->dtype, run_case_threads(n)) &&
            selected(opt, rp, NULL, n)) {
            judge(base, NULL, new_, n, opt, &out[n_out]);
            other_type(&out[n_out++], n, run_find_id(base, n->id), "BASE");
        }
    }
    if (rp)
        regfree(&re);

    /* by verdict, the runs' order kept within one: qsort is not stable, an insertion sort is
       (and a run holds hundreds of cases, not millions) */
    size_t *order = harness_xmalloc((n_out ? n_out : 1) * sizeof *order);
    for (size_t k = 0; k < n_out; k++)
        order[k] = k;
    for (size_t k = 1; k < n_out; k++) {
        size_t v = order[k], j = k;
        while (j > 0 && out[order[j - 1]].verdict > out[v].verdict) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    res->cases = harness_xmalloc((n_out ? n_out : 1) * sizeof *res->cases);
    for (size_t k = 0; k < n_out; k++)
        res->cases[k] = out[order[k]];
    res->n_cases = n_out;
    for (size_t k = 0; k < n_out; k++)
        res->counts[res->cases[k].verdict]++;
    free(order);
    free(out);
    return 0;
}
