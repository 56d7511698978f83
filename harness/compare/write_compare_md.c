/* write_compare_md.c - compare.md, the verdict of `posenc compare` for people (a pull-request
 * comment): both runs, the rule applied, every case with its verdict (regressions first) and the
 * accuracy checks. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "write_json.h"

/* Text inside a table cell: a '|' would split the cell and a line end would end the table. */
static void cell(report_file *rf, const char *s)
{
    if (!s) {
        report_file_puts(rf, "-");
        return;
    }
    for (; *s; s++) {
        if (*s == '|')
            report_file_puts(rf, "\\|");
        else if (*s == '\n' || *s == '\r')
            report_file_puts(rf, " ");
        else
            report_file_write(rf, s, 1);
    }
}

static void num(report_file *rf, double v, const char *fmt)
{
    if (isnan(v))
        report_file_puts(rf, "-");
    else
        report_file_printf(rf, fmt, v);
}

static const char *value_unit(const compare_options *opt)
{
    switch (opt->metric) {
    case METRIC_TIME:
        return "median ns per call";
    case METRIC_RELATIVE:
        return opt->reference == REF_MEMPASS ? "median time / the case's memory pass"
                                             : "median time / the shape's scalar median";
    case METRIC_INSTRUCTIONS:
        return "instructions per element";
    }
    return "";
}

static void run_row(report_file *rf, const char *what, const char *b, const char *n)
{
    report_file_printf(rf, "| %s | ", what);
    cell(rf, b);
    report_file_puts(rf, " | ");
    cell(rf, n);
    report_file_puts(rf, " |\n");
}

static void features(const cmp_run *r, char *s, size_t cap)
{
    size_t len = 0;
    s[0] = '\0';
    for (size_t i = 0; i < r->n_features && len < cap; i++) {
        int w = snprintf(s + len, cap - len, "%s%s", i ? " " : "", r->features[i]);
        if (w > 0)
            len += (size_t)w;
    }
    if (!r->n_features)
        snprintf(s, cap, "(none)");
}

static void header(report_file *rf, const cmp_run *base, const cmp_run *new_,
                   const compare_options *opt, const compare_result *res)
{
    const run_record *rb = &base->read.run, *rn = &new_->read.run;
    report_file_puts(rf, "# posenc compare\n\n| | BASE | NEW |\n|---|---|---|\n");
    run_row(rf, "run", rb->id, rn->id);
    run_row(rf, "file", base->path, new_->path);
    char mb[256], mn[256];
    snprintf(mb, sizeof mb, "%s: %s (%s%s)", rb->host, rb->cpu_model, rb->arch,
             rb->emulated ? ", emulated" : "");
    snprintf(mn, sizeof mn, "%s: %s (%s%s)", rn->host, rn->cpu_model, rn->arch,
             rn->emulated ? ", emulated" : "");
    run_row(rf, "machine", mb, mn);
    run_row(rf, "machine kind", rb->kind, rn->kind);
    run_cpu_id_text(rb, mb, sizeof mb);
    run_cpu_id_text(rn, mn, sizeof mn);
    run_row(rf, "CPU identity", mb, mn);
    features(base, mb, sizeof mb);
    features(new_, mn, sizeof mn);
    run_row(rf, "CPU features", mb, mn);
    run_row(rf, "compiler", rb->compiler, rn->compiler);

    report_file_printf(rf, "\nMetric: **%s** (%s); threshold %g%%", compare_metric_name(opt->metric),
              value_unit(opt), opt->threshold * 100);
    if (opt->metric != METRIC_INSTRUCTIONS)
        report_file_printf(rf, "; alpha %g (two-sided Mann-Whitney U over the repetitions)", opt->alpha);
    if (opt->filter) {
        report_file_puts(rf, "; cases matching `");
        cell(rf, opt->filter);
        report_file_puts(rf, "`");
    }
    if (opt->dispatched_only)
        report_file_puts(rf, "; dispatched cases only");
    report_file_puts(rf, ".\n\n");
    if (res->comparable) {
        report_file_puts(rf, "Comparable: same machine kind (architecture, CPU vendor, "
                             "family and model or implementer and part), CPU features and "
                             "compiler.\n\n");
    } else {
        report_file_printf(rf, "**Not comparable** (%s; %s); these differ:\n\n",
                  strcmp(rb->kind, rn->kind) ? "not the same machine kind"
                                                 : "the same machine kind, not the same run "
                                                   "conditions",
                  res->compared ? "compared anyway, --allow-mismatch"
                                : "not compared; --allow-mismatch compares anyway");
        for (size_t i = 0; i < res->n_mismatches; i++) {
            report_file_puts(rf, "- ");
            cell(rf, res->mismatches[i]);
            report_file_puts(rf, "\n");
        }
        report_file_puts(rf, "\n");
    }
    if (res->n_notes) {
        report_file_puts(rf, "Differences that leave the runs comparable:\n\n");
        for (size_t i = 0; i < res->n_notes; i++) {
            report_file_puts(rf, "- ");
            cell(rf, res->notes[i]);
            report_file_puts(rf, "\n");
        }
        report_file_puts(rf, "\n");
    }
    if (rb->emulated || rn->emulated)
        report_file_puts(rf, "Note: a run under emulation (qemu) times the emulator, not a CPU."
                             "\n\n");
    report_file_printf(rf, "**Result: exit %d, %s.**", res->exit_code, res->exit_reason);
    if (res->compared) {
        report_file_puts(rf, " Cases:");
        for (int v = 0; v < VERDICT_COUNT; v++)
            report_file_printf(rf, "%s %zu %s", v ? "," : "", res->counts[v], compare_verdict_name(v));
        report_file_printf(rf, ". Accuracy failures: %zu.", res->accuracy_failures);
    }
    report_file_puts(rf, "\n");
}

static void value(report_file *rf, compare_metric m, double v)
{
    char buf[48];
    compare_format_value(m, v, buf, sizeof buf);
    report_file_puts(rf, buf);
}

/* Instruction counts of another implementation than the case's (a stand-in): which. */
static void counted_note(report_file *rf, const compare_case_result *c)
{
    const char *bi = c->base.implementation, *ni = c->new_.implementation;
    const char *bc = c->base.counted, *nc = c->new_.counted;
    const int b_other = bi && bc && strcmp(bi, bc), n_other = ni && nc && strcmp(ni, nc);
    if (!b_other && !n_other)
        return;
    report_file_puts(rf, " (counted: ");
    if (bc && nc && strcmp(bc, nc)) {
        cell(rf, bc);
        report_file_puts(rf, " → ");
        cell(rf, nc);
    } else {
        cell(rf, bc ? bc : nc);
    }
    report_file_puts(rf, ")");
}

static void cases_table(report_file *rf, const compare_options *opt, const compare_result *res)
{
    report_file_puts(rf, "\n## Cases\n\n");
    if (!res->n_cases) {
        report_file_puts(rf, "No case is timed in either run (or selected by the options).\n");
        return;
    }
    report_file_puts(rf, "| id | implementation | base | new | ratio | p | verdict |\n"
                         "|---|---|---:|---:|---:|---:|---|\n");
    for (size_t i = 0; i < res->n_cases; i++) {
        const compare_case_result *c = &res->cases[i];
        report_file_puts(rf, "| ");
        cell(rf, c->id);
        report_file_puts(rf, " | ");
        const char *bi = c->base.implementation, *ni = c->new_.implementation;
        if (bi && ni && strcmp(bi, ni)) { /* a dispatched case can pick another one */
            cell(rf, bi);
            report_file_puts(rf, " → ");
            cell(rf, ni);
        } else {
            cell(rf, bi ? bi : ni);
        }
        counted_note(rf, c);
        report_file_puts(rf, " | ");
        value(rf, opt->metric, c->base.value);
        report_file_puts(rf, " | ");
        value(rf, opt->metric, c->new_.value);
        report_file_puts(rf, " | ");
        num(rf, c->ratio, "%.4f");
        report_file_puts(rf, " | ");
        num(rf, c->p_value, "%.3g");
        const char *v = compare_verdict_name(c->verdict);
        report_file_printf(rf, c->verdict == VERDICT_REGRESSION ? " | **%s**" : " | %s", v);
        if (c->reason[0]) {
            report_file_puts(rf, ": ");
            cell(rf, c->reason);
        }
        report_file_puts(rf, " |\n");
    }
}

static void accuracy_table(report_file *rf, const compare_result *res)
{
    report_file_puts(rf, "\n## Accuracy of NEW\n\n");
    if (!res->n_accuracy) {
        report_file_puts(rf, "No accuracy record.\n");
        return;
    }
    report_file_puts(rf, "Errors in u = 2^-24. A record fails when it is not within its bound, a "
                         "case when its exact-mode error exceeds the bound; the change from "
                         "BASE (its record of the same implementation, mode and data type) is "
                         "information. 16-bit data: values and apply in ulps of the type beyond "
                         "the float32 bound, and their bound.\n\n"
                         "| case | implementation | mode | data | max_err_u | BASE | change | "
                         "bound_u | apply_max_err_u | BASE | change | apply_bound_u | "
                         "type ulp (values / apply / bound) | result |\n"
                         "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    /* failures first */
    for (int pass = 1; pass >= 0; pass--) {
        for (size_t i = 0; i < res->n_accuracy; i++) {
            const compare_accuracy_result *a = &res->accuracy[i];
            if (a->failed != pass)
                continue;
            const run_accuracy *n = a->acc, *b = a->base;
            report_file_puts(rf, "| ");
            cell(rf, a->case_id ? a->case_id : "(record)");
            report_file_puts(rf, " | ");
            cell(rf, n->implementation);
            report_file_puts(rf, " | ");
            cell(rf, run_angle_mode_name(n->angle_mode));
            report_file_puts(rf, " | ");
            cell(rf, run_dtype_name(n->dtype));
            report_file_puts(rf, " | ");
            num(rf, n->max_err_u, "%.4g");
            report_file_puts(rf, " | ");
            num(rf, b ? b->max_err_u : NAN, "%.4g");
            report_file_puts(rf, " | ");
            num(rf, a->growth_u, "%+.3g");
            report_file_puts(rf, " | ");
            num(rf, n->bound_u, "%.4g");
            report_file_puts(rf, " | ");
            num(rf, n->apply_max_err_u, "%.4g");
            report_file_puts(rf, " | ");
            num(rf, b ? b->apply_max_err_u : NAN, "%.4g");
            report_file_puts(rf, " | ");
            num(rf, a->apply_growth_u, "%+.3g");
            report_file_puts(rf, " | ");
            num(rf, n->apply_bound_u, "%.4g");
            report_file_puts(rf, " | ");
            if (n->dtype != RUN_DTYPE_F32) {
                num(rf, n->max_err_type_ulp, "%.4g");
                report_file_puts(rf, " / ");
                num(rf, n->apply_max_err_type_ulp, "%.4g");
                report_file_puts(rf, " / ");
                num(rf, n->bound_type_ulp, "%.4g");
            } else {
                report_file_puts(rf, "-");
            }
            if (a->failed) {
                report_file_puts(rf, " | **FAIL**: ");
                cell(rf, a->reason);
            } else {
                report_file_puts(rf, n->within_bound < 0 ? " | no bound" : " | ok");
            }
            report_file_puts(rf, " |\n");
        }
    }
}

int compare_write_md(const char *path, const cmp_run *base, const cmp_run *new_,
                     const compare_options *opt, const compare_result *res)
{
    report_file rf;
    if (report_file_open(&rf, path))
        return -1;
    header(&rf, base, new_, opt, res);
    if (res->compared) {
        cases_table(&rf, opt, res);
        accuracy_table(&rf, res);
    }
    return report_file_commit(&rf);
}
