/* accuracy_gate.c - the accuracy half of `posenc compare`: NEW fails when one of its accuracy
 * records is not within its bound, or when a case's exact-mode error exceeds the documented
 * bound (16-bit data: half an ulp of the type beyond the float32 share); how far each error
 * moved from BASE's record of the same implementation, angle mode and element type is reported
 * beside, as information (a bound, not a previous run, is the contract). */
#define _POSIX_C_SOURCE 200809L /* regcomp */

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "harness_util.h"

static const run_accuracy *base_record(const cmp_run *base, const run_accuracy *a)
{
    return run_find_accuracy(&base->read.run, a->implementation, a->angle_mode, a->dtype);
}

/* The 16-bit figures of a past their bound, as a clause; 0 when none is. */
static int past_type_bound(const run_accuracy *a, char *s, size_t cap)
{
    int values = a->max_err_type_ulp > a->bound_type_ulp;
    int apply = a->apply_max_err_type_ulp > a->bound_type_ulp;
    if (values || apply)
        snprintf(s, cap, "%s data: %s%.4g%s ulp > bound_type_ulp %.4g ulp",
                 run_dtype_name(a->dtype), values ? "max_err_type_ulp " : "apply_max_err_type_ulp ",
                 values ? a->max_err_type_ulp : a->apply_max_err_type_ulp,
                 values && apply ? " (apply too)" : "", a->bound_type_ulp);
    return values || apply;
}

/* The figures of a past their bounds, as a clause; 0 when none is (a NaN is never past). */
static int past_bound(const run_accuracy *a, char *s, size_t cap)
{
    if (past_type_bound(a, s, cap))
        return 1;
    int values = a->max_err_u > a->bound_u, apply = a->apply_max_err_u > a->apply_bound_u;
    if (values && apply)
        snprintf(s, cap, "max_err_u %.4g u > bound_u %.4g u, apply_max_err_u %.4g u > "
                 "apply_bound_u %.4g u", a->max_err_u, a->bound_u, a->apply_max_err_u,
                 a->apply_bound_u);
    else if (values)
        snprintf(s, cap, "max_err_u %.4g u > bound_u %.4g u", a->max_err_u, a->bound_u);
    else if (apply)
        snprintf(s, cap, "apply_max_err_u %.4g u > apply_bound_u %.4g u", a->apply_max_err_u,
                 a->apply_bound_u);
    return values || apply;
}

static void fill(compare_accuracy_result *r, const cmp_run *base, const run_accuracy *a,
                 const char *case_id)
{
    memset(r, 0, sizeof *r);
    r->case_id = case_id;
    r->acc = a;
    r->base = base_record(base, a);
    r->growth_u = r->base ? a->max_err_u - r->base->max_err_u : NAN;
    r->apply_growth_u = r->base ? a->apply_max_err_u - r->base->apply_max_err_u : NAN;
}

void compare_accuracy(const cmp_run *base, const cmp_run *new_, const compare_options *opt,
                      compare_result *res)
{
    regex_t re;
    /* compare_parse_args has compiled the filter once already: it cannot fail here */
    int use_re = opt->filter && !regcomp(&re, opt->filter, REG_EXTENDED | REG_NOSUB);
    const run_record *nr = &new_->read.run;
    size_t cap = nr->n_accuracy + nr->n_cases;
    res->accuracy = harness_xmalloc((cap ? cap : 1) * sizeof *res->accuracy);
    res->n_accuracy = 0;
    res->accuracy_failures = 0;
    for (size_t i = 0; i < nr->n_accuracy; i++) {
        const run_accuracy *a = &nr->accuracy[i];
        compare_accuracy_result *r = &res->accuracy[res->n_accuracy++];
        fill(r, base, a, NULL);
        if (a->within_bound == 0) {
            char why[160] = "";
            past_bound(a, why, sizeof why);
            r->failed = 1;
            snprintf(r->reason, sizeof r->reason, "not within its bound%s%s", *why ? ": " : "",
                     why);
        }
    }
    for (size_t i = 0; i < nr->n_cases; i++) {
        const run_case *c = &nr->cases[i];
        if (!c->accuracy || (use_re && regexec(&re, c->id, 0, NULL, 0) != 0) ||
            (opt->dispatched_only && !c->dispatched))
            continue;
        char why[160];
        if (!past_bound(c->accuracy, why, sizeof why))
            continue;
        compare_accuracy_result *r = &res->accuracy[res->n_accuracy++];
        fill(r, base, c->accuracy, c->id);
        r->failed = 1;
        snprintf(r->reason, sizeof r->reason, "%s", why);
    }
    for (size_t i = 0; i < res->n_accuracy; i++)
        res->accuracy_failures += res->accuracy[i].failed;
    if (use_re)
        regfree(&re);
}
