/* compare_main.c - `posenc compare` from the command line to the exit code: read both runs,
 * check they are comparable, judge the cases and the accuracy, write compare.md and
 * compare.json, print the summary. */
#define _POSIX_C_SOURCE 200809L /* mkdir */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"
#include "harness_util.h"

void compare_result_free(compare_result *res)
{
    free(res->cases);
    free(res->accuracy);
    memset(res, 0, sizeof *res);
}

static void exit_code(compare_result *res)
{
    int speed = res->counts[VERDICT_REGRESSION] > 0, acc = res->accuracy_failures > 0;
    if (!res->compared) {
        res->exit_code = POSENC_EXIT_NOT_COMPARABLE;
        res->exit_reason = "not comparable";
    } else if (speed && acc) {
        res->exit_code = POSENC_EXIT_SPEED_ACCURACY;
        res->exit_reason = "speed regression and accuracy failure";
    } else if (speed) {
        res->exit_code = POSENC_EXIT_SPEED;
        res->exit_reason = "speed regression";
    } else if (acc) {
        res->exit_code = POSENC_EXIT_ACCURACY;
        res->exit_reason = "accuracy failure";
    } else {
        res->exit_code = POSENC_EXIT_OK;
        res->exit_reason = "pass";
    }
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir), m = strlen(name);
    char *s = harness_xmalloc(n + m + 2);
    snprintf(s, n + m + 2, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return s;
}

static void print_summary(const cmp_run *base, const cmp_run *new_, const compare_options *opt,
                          const compare_result *res)
{
    const run_record *rb = &base->read.run, *rn = &new_->read.run;
    printf("posenc compare: BASE %s (%s, %s, %s)\n", rb->id, rb->host, rb->kind,
           rb->cpu_model);
    printf("                NEW  %s (%s, %s, %s)\n", rn->id, rn->host, rn->kind,
           rn->cpu_model);
    if (!res->comparable) {
        printf("not comparable%s: %s; these differ:\n",
               res->compared ? " (compared anyway: --allow-mismatch)" : "",
               strcmp(rb->kind, rn->kind) ? "not the same machine kind"
                                              : "the same machine kind, but not the same run "
                                                "conditions");
        for (size_t i = 0; i < res->n_mismatches; i++)
            printf("  %s\n", res->mismatches[i]);
    }
    for (size_t i = 0; i < res->n_notes; i++)
        printf("note (comparable all the same): %s\n", res->notes[i]);
    if (!res->compared)
        return;
    printf("metric %s", compare_metric_name(opt->metric));
    if (opt->metric == METRIC_RELATIVE)
        printf(" (to %s)", opt->reference == REF_MEMPASS ? "the memory pass" : "scalar");
    printf(", threshold %g", opt->threshold);
    if (opt->metric != METRIC_INSTRUCTIONS)
        printf(", alpha %g", opt->alpha);
    printf("; %zu cases:", res->n_cases);
    for (int v = 0; v < VERDICT_COUNT; v++)
        printf("%s %zu %s", v ? "," : "", res->counts[v], compare_verdict_name(v));
    printf("\n");
    if (res->counts[VERDICT_REGRESSION]) {
        printf("regressions:\n");
        for (size_t i = 0; i < res->n_cases; i++) {
            const compare_case_result *c = &res->cases[i];
            if (c->verdict != VERDICT_REGRESSION)
                continue;
            char bv[48], nv[48];
            compare_format_value(opt->metric, c->base.value, bv, sizeof bv);
            compare_format_value(opt->metric, c->new_.value, nv, sizeof nv);
            printf("  %s  %s -> %s  ratio %.4f", c->id, bv, nv, c->ratio);
            if (opt->metric != METRIC_INSTRUCTIONS)
                printf("  p %.3g", c->p_value);
            printf("\n");
        }
    }
    if (res->accuracy_failures) {
        printf("accuracy failures:\n");
        for (size_t i = 0; i < res->n_accuracy; i++) {
            const compare_accuracy_result *a = &res->accuracy[i];
            if (!a->failed)
                continue;
            printf("  %s %s %s%s%s: %s\n", a->acc->implementation,
                   run_angle_mode_name(a->acc->angle_mode), run_dtype_name(a->acc->dtype),
                   a->case_id ? " in " : "", a->case_id ? a->case_id : "",
                   a->reason);
        }
    }
}

static int make_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "posenc compare: cannot create %s: %s\n", dir, strerror(errno));
    return -1;
}

int compare_main(int argc, char **argv)
{
    compare_options opt;
    int rc = compare_parse_args(argc, argv, &opt);
    if (rc)
        return rc;
    if (opt.help) {
        compare_usage(stdout);
        return POSENC_EXIT_OK;
    }
    cmp_run base, new_;
    if (run_load(opt.base_arg, "BASE", &base))
        return POSENC_EXIT_ERROR;
    if (run_load(opt.new_arg, "NEW", &new_)) {
        run_free(&base);
        return POSENC_EXIT_ERROR;
    }
    compare_result res;
    memset(&res, 0, sizeof res);
    compare_machines(&base, &new_, &res);
    res.compared = res.comparable || opt.allow_mismatch;
    if (res.compared) {
        rc = compare_cases(&base, &new_, &opt, &res);
        if (!rc)
            compare_accuracy(&base, &new_, &opt, &res);
    }
    if (!rc) {
        exit_code(&res);
        const char *dir = opt.out_dir ? opt.out_dir : new_.folder ? new_.folder : ".";
        char *md = join(dir, "compare.md"), *json = join(dir, "compare.json");
        print_summary(&base, &new_, &opt, &res);
        if (make_dir(dir) || compare_write_md(md, &base, &new_, &opt, &res) ||
            compare_write_json(json, &base, &new_, &opt, &res)) {
            printf("exit %d: error: the reports could not be written\n", POSENC_EXIT_ERROR);
            rc = POSENC_EXIT_ERROR;
        } else {
            printf("reports: %s, %s\n", md, json);
            printf("exit %d: %s%s\n", res.exit_code, res.exit_reason,
                   res.exit_code == POSENC_EXIT_NOT_COMPARABLE
                       ? " (the runs differ as listed; --allow-mismatch compares anyway)"
                       : "");
            rc = res.exit_code;
        }
        free(md);
        free(json);
    }
    compare_result_free(&res);
    run_free(&base);
    run_free(&new_);
    return rc;
}
