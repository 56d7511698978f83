/* write_md.c - summary.md: a run's speed and accuracy as Markdown tables. Rows are case groups
 * (one shape of one model), columns the implementations of the encoding, so a reviewer reads
 * one line per shape; each cell is the median and its ratio to the same-run memory pass. */
#include "write_md.h"

#include "accuracy_dtype_view.h"
#include "analysis_view.h"
#include "dtype_view.h"
#include "fmt_time.h"
#include "report_file.h"
#include "scaling_view.h"
#include "variants_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 24


/* A cell must not break the table: '|' and newlines are replaced. */
static void put_cell(FILE *f, const char *s)
{
    fputs(" ", f);
    for (; *s; s++)
        fputs(*s == '|' ? "\\|" : *s == '\n' || *s == '\r' ? " " : (char[2]){*s, 0}, f);
    fputs(" |", f);
}

/* An implementation's cell: its name, and "(design)" after a common design's
   (run_impl_is_design). */
static void put_impl(FILE *f, const char *implementation)
{
    char cell[80];
    snprintf(cell, sizeof cell, "%s%s", implementation,
             run_impl_is_design(implementation) ? " (design)" : "");
    put_cell(f, cell);
}

/* The implementations timed on cases of one encoding, in first-seen order (the others are listed
   under "not measured"). */
static size_t columns_of(const run_record *r, run_encoding enc, const char **cols)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (c->encoding != enc || c->status != RUN_STATUS_OK || c->dispatched)
            continue;
        size_t k = 0;
        while (k < n && strcmp(cols[k], c->implementation))
            k++;
        if (k == n && n < MAX_COLUMNS)
            cols[n++] = c->implementation;
    }
    return n;
}

/* The case of (group, implementation) named explicitly, not the dispatched one. */
static const run_case *find_case(const run_record *r, const char *group, const char *impl)
{
    for (size_t i = 0; i < r->n_cases; i++)
        if (!strcmp(r->cases[i].group, group) && !strcmp(r->cases[i].implementation, impl) &&
            !r->cases[i].dispatched)
            return &r->cases[i];
    return NULL;
}

/* One line per encoding: what dispatch picked (the "impl=dispatch" cases, which a CI gate
   compares). */
static void dispatch_line(const run_record *r, FILE *f)
{
    int any = 0;
    for (int e = RUN_ENCODING_SINUSOIDAL; e <= RUN_ENCODING_ALIBI; e++)
        for (size_t i = 0; i < r->n_cases; i++) {
            const run_case *c = &r->cases[i];
            if (!c->dispatched || c->encoding != (run_encoding)e)
                continue;
            fprintf(f, "%s`%s`", any ? ", " : "\nDispatch picks (the `impl=dispatch` cases): ",
                    c->implementation);
            any = 1;
            break;
        }
    if (any)
        fputs(".\n", f);
}

/* "1.23 ms (1.05x)": a case's median and its ratio to its memory pass; its status when it did
   not run, "-" when the run has no such case. */
static void median_cell(char *cell, size_t size, const run_case *c)
{
    char t[32];
    if (!c)
        snprintf(cell, size, "-");
    else if (c->status != RUN_STATUS_OK)
        snprintf(cell, size, "%s", run_status_name(c->status));
    else {
        report_fmt_time(t, sizeof t, c->median_ns);
        if (isfinite(c->ratio_to_mempass))
            snprintf(cell, size, "%s (%.2fx)", t, c->ratio_to_mempass);
        else
            snprintf(cell, size, "%s", t);
    }
}

static void speed_table(const run_record *r, run_encoding enc, FILE *f)
{
    const char *cols[MAX_COLUMNS];
    size_t nc = columns_of(r, enc, cols);
    if (!nc)
        return;
    fprintf(f, "\n### %s\n\n| case |", run_encoding_name(enc));
    for (size_t k = 0; k < nc; k++)
        put_impl(f, cols[k]);
    fputs("\n|---|", f);
    for (size_t k = 0; k < nc; k++)
        fputs("---:|", f);
    fputs("\n", f);
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (c->encoding != enc || find_case(r, c->group, c->implementation) != c)
            continue;
        /* the first case of each group starts its row */
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(r->cases[j].group, c->group))
                first = 0;
        if (!first)
            continue;
        fputs("|", f);
        put_cell(f, c->group);
        for (size_t k = 0; k < nc; k++) {
            char cell[96];
            median_cell(cell, sizeof cell, find_case(r, c->group, cols[k]));
            put_cell(f, cell);
        }
        fputs("\n", f);
    }
}

/* Float32 against bfloat16 against float16: each case that also ran on 16-bit data, per
   implementation. */
static void dtype_table(const run_record *r, FILE *f)
{
    size_t n = 0;
    dtype_view_row *rows = dtype_view_rows(r, &n);
    if (!rows)
        return;
    fputs("\n### float32, bfloat16 and float16\n\nThe cases that also ran on 16-bit data: the "
          "median on each element type with, in brackets, its ratio to its own same-run memory "
          "pass over the same bytes (float32: `mempass_rw`; bfloat16, float16: `mempass_rw_bf16`, "
          "`mempass_rw_f16`; learned `mempass_rw_r32`, `mempass_rw_bf16_r32`, "
          "`mempass_rw_f16_r32`, which also read the float32 rows of W the kernel reads; each "
          "the fastest of its ways in the run), then each 16-bit median over the "
          "float32 one.\n\n| case | implementation |", f);
    for (int t = 0; t < DTYPE_VIEW_N; t++)
        fprintf(f, " %s |", run_dtype_name((run_dtype)t));
    for (int t = 1; t < DTYPE_VIEW_N; t++)
        fprintf(f, " %s / f32 |", run_dtype_name((run_dtype)t));
    fputs("\n|---|---|", f);
    for (int t = 1; t < 2 * DTYPE_VIEW_N; t++)
        fputs("---:|", f);
    fputs("\n", f);
    for (size_t k = 0; k < n; k++) {
        const dtype_view_row *row = &rows[k];
        char impl[64], cell[96];
        snprintf(impl, sizeof impl, "%s%s", row->dispatched ? "dispatch: " : "",
                 row->implementation);
        fputs("|", f);
        put_cell(f, row->group);
        put_cell(f, impl);
        for (int t = 0; t < DTYPE_VIEW_N; t++) {
            median_cell(cell, sizeof cell, row->by_type[t]);
            put_cell(f, cell);
        }
        for (int t = 1; t < DTYPE_VIEW_N; t++) {
            const double v = dtype_view_vs_f32(row, t);
            if (isfinite(v))
                snprintf(cell, sizeof cell, "%.2fx", v);
            else
                snprintf(cell, sizeof cell, "-");
            put_cell(f, cell);
        }
        fputs("\n", f);
    }
    free(rows);
}

static void attention_table(const run_record *r, FILE *f)
{
    int any = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (!isfinite(c->encoding_fraction) || c->status != RUN_STATUS_OK || c->dispatched)
            continue;
        if (!any) {
            fputs("\n### the encoding against the attention scores\n\n"
                  "Q.K^T of every head group of the layer (cblas_sgemm, 1 thread) beside the "
                  "rotation of q and k (rotary prefill) or the bias added to the scores "
                  "(alibi).\n\n"
                  "| case | implementation | encoding | Q.K^T (all groups) | encoding / Q.K^T |\n"
                  "|---|---|---:|---:|---:|\n",
                  f);
            any = 1;
        }
        char a[32], b[32], frac[32];
        report_fmt_time(a, sizeof a, c->median_ns);
        report_fmt_time(b, sizeof b, c->score_median_ns);
        snprintf(frac, sizeof frac, "%.1f%%", 100.0 * c->encoding_fraction);
        fputs("|", f);
        put_cell(f, c->group);
        put_impl(f, c->implementation);
        put_cell(f, a);
        put_cell(f, b);
        put_cell(f, frac);
        fputs("\n", f);
    }
}

static void fmt_u(char *buf, size_t size, double u)
{
    if (!isfinite(u))
        snprintf(buf, size, "-");
    else if (u < 100)
        snprintf(buf, size, "%.3f", u);
    else
        snprintf(buf, size, "%.3g", u);
}

static void accuracy_table(const run_record *r, FILE *f)
{
    if (!r->n_accuracy)
        return;
    fputs("\n### accuracy against the MPFR oracle\n\n"
          "u = 2^-24, float32 data (bf16 and fp16: the next table). Values: max |error| of "
          "every sin and cos written; apply: rotary pairs, relative to max(|a|, |b|).\n\n"
          "| implementation | angles | max error (u) | max ulp | mean (u) | worst at (p, i) | "
          "apply (u) | bound (u) | within |\n"
          "|---|---|---:|---:|---:|---|---:|---:|---|\n",
          f);
    for (size_t i = 0; i < r->n_accuracy; i++) {
        const run_accuracy *a = &r->accuracy[i];
        if (a->dtype != RUN_DTYPE_F32)
            continue; /* 16-bit data: dtype_accuracy_table */
        char mx[32], ulp[32], mean[32], worst[64], app[32], bound[32];
        if (a->bit_exact == 1) {
            snprintf(mx, sizeof mx, "0 (bit-exact)");
            snprintf(ulp, sizeof ulp, "0");
            snprintf(mean, sizeof mean, "0");
            snprintf(worst, sizeof worst, "-");
        } else {
            fmt_u(mx, sizeof mx, a->max_err_u);
            fmt_u(ulp, sizeof ulp, a->max_ulp);
            fmt_u(mean, sizeof mean, a->mean_err_u);
            snprintf(worst, sizeof worst, "%lld, %d %s", (long long)a->worst_position,
                     a->worst_index, a->worst_value);
        }
        fmt_u(app, sizeof app, a->apply_max_err_u);
        fmt_u(bound, sizeof bound, a->bound_u);
        fputs("|", f);
        put_impl(f, a->implementation);
        put_cell(f, run_angle_mode_name(a->angle_mode));
        put_cell(f, mx);
        put_cell(f, ulp);
        put_cell(f, mean);
        put_cell(f, worst);
        put_cell(f, app);
        put_cell(f, bound);
        put_cell(f, a->within_bound == 1 ? "yes" : a->within_bound == 0 ? "**NO**" : "-");
        fputs("\n", f);
    }
}

/* Exact mode on bf16 and fp16 data beside float32, per implementation (accuracy_dtype_view.h). */
static void dtype_accuracy_table(const run_record *r, FILE *f)
{
    size_t n = accuracy_dtype_rows(r, NULL, 0);
    if (!n)
        return;
    const run_accuracy **rows = malloc(n * sizeof *rows);
    if (!rows)
        return;
    accuracy_dtype_rows(r, rows, n);
    fprintf(f, "\n### accuracy on bf16 and fp16 data, beside float32\n\n%s\n\n| implementation |",
            accuracy_dtype_explain);
    for (int t = 0; t < DTYPE_VIEW_N; t++)
        fprintf(f, " %s | within |", run_dtype_name((run_dtype)t));
    fputs("\n|---|", f);
    for (int t = 0; t < DTYPE_VIEW_N; t++)
        fputs("---:|---|", f);
    fputs("\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("|", f);
        put_impl(f, rows[i]->implementation);
        for (int t = 0; t < DTYPE_VIEW_N; t++) {
            const run_accuracy *a = accuracy_dtype_record(r, rows[i], t);
            const char *v = accuracy_dtype_verdict(a);
            char cell[64];
            accuracy_dtype_cell(a, cell, sizeof cell);
            put_cell(f, cell);
            put_cell(f, !strcmp(v, "over bound") ? "**NO**" : !strcmp(v, "ok") ? "yes" : "-");
        }
        fputs("\n", f);
    }
    free(rows);
}

/* The implementation a dispatched case of `encoding` ran, or NULL when the run timed none. */
static const char *dispatched_impl(const run_record *r, run_encoding encoding)
{
    for (size_t i = 0; i < r->n_cases; i++)
        if (r->cases[i].dispatched && r->cases[i].encoding == encoding)
            return r->cases[i].implementation;
    return NULL;
}

/* Max error per decade of position of the sinusoidal and rotary records, one row per angle mode
 * (exact, fp32, bf16, fp16), for the implementation dispatch picks (every implementation when
 * the run timed no dispatched case): what each angle recipe costs as positions grow. A decade
 * past the plan's position limit (fp16 from 65520) has no values: "-". */
static void decade_table(const run_record *r, FILE *f)
{
    int header = 0;
    for (size_t i = 0; i < r->n_accuracy; i++) {
        const run_accuracy *a = &r->accuracy[i];
        if ((a->encoding != RUN_ENCODING_ROTARY && a->encoding != RUN_ENCODING_SINUSOIDAL) ||
            a->dtype != RUN_DTYPE_F32)
            continue;
        const char *d_impl = dispatched_impl(r, a->encoding);
        if (d_impl && strcmp(d_impl, a->implementation) && !run_impl_is_design(a->implementation))
            continue; /* the designs stay beside dispatch's pick: what one gets otherwise */
        if (!header) {
            fputs("\n### error per decade of position, by angle mode\n\n"
                  "Max |error| of sin and cos in u = 2^-24 over the positions of each decade "
                  "(the implementation dispatch picks, and the common designs). exact: the "
                  "fixed-point phase; fp32: the "
                  "common recipe; bf16: its angle rounded to bfloat16 (autocast); fp16: "
                  "inv_freq and the angle in float16, positions below 65520 only (\"-\": none "
                  "there).\n\n| implementation | angles |", f);
            for (int d = 0; d < RUN_N_DECADES; d++)
                fprintf(f, d ? " 1e%d |" : " [0, 10) |", d);
            fputs("\n|---|---|", f);
            for (int d = 0; d < RUN_N_DECADES; d++)
                fputs("---:|", f);
            fputs("\n", f);
            header = 1;
        }
        fputs("|", f);
        put_impl(f, a->implementation);
        put_cell(f, run_angle_mode_name(a->angle_mode));
        for (int d = 0; d < RUN_N_DECADES; d++) {
            char cell[32];
            fmt_u(cell, sizeof cell, a->decades[d].count ? a->decades[d].max_err_u : NAN);
            put_cell(f, cell);
        }
        fputs("\n", f);
    }
}

/* ---- the variants view ------------------------------------------------------------------- */

static void variant_speed_rows(const run_record *r, const char *model, FILE *f)
{
    fputs("\n| variant | case | implementation | median | ratio to memory pass | "
          "attention factor | vs plain RoPE | Q.K^T (all heads) | encoding / Q.K^T |\n"
          "|---|---|---|---:|---:|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (strcmp(c->model, model) || !variants_view_has(r, c))
            continue;
        const run_case *twin = variants_view_twin(r, c);
        char med[32], ratio[32] = "-", af[32] = "-", vs[32] = "-", qk[32] = "-", frac[32] = "-";
        report_fmt_time(med, sizeof med, c->median_ns);
        if (isfinite(c->ratio_to_mempass))
            snprintf(ratio, sizeof ratio, "%.2fx", c->ratio_to_mempass);
        if (isfinite(c->variant.attention_factor))
            snprintf(af, sizeof af, "%.6g", c->variant.attention_factor);
        if (twin && twin->median_ns > 0)
            snprintf(vs, sizeof vs, "%.2fx", c->median_ns / twin->median_ns);
        if (isfinite(c->score_median_ns)) {
            report_fmt_time(qk, sizeof qk, c->score_median_ns);
            snprintf(frac, sizeof frac, "%.1f%%", 100.0 * c->encoding_fraction);
        }
        fputs("|", f);
        put_cell(f, c->variant.name);
        put_cell(f, c->group);
        put_impl(f, c->implementation);
        put_cell(f, med);
        put_cell(f, ratio);
        put_cell(f, af);
        put_cell(f, vs);
        put_cell(f, qk);
        put_cell(f, frac);
        fputs("\n", f);
    }
}

static void variant_accuracy_rows(const run_record *r, const char *model, FILE *f)
{
    const char *seen[32];
    size_t n_seen = 0;
    int header = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (strcmp(c->model, model) || !variants_view_has(r, c))
            continue;
        size_t k = 0;
        while (k < n_seen && strcmp(seen[k], c->variant.name))
            k++;
        if (k < n_seen || n_seen == 32)
            continue;
        seen[n_seen++] = c->variant.name;
        const run_variant_accuracy *rows[VARIANTS_N_MODES];
        int any = 0;
        for (int m = 0; m < VARIANTS_N_MODES; m++)
            any |= (rows[m] = variants_view_accuracy(r, model, c->variant.name,
                                                     (run_angle_mode)m)) != NULL;
        const run_variant_accuracy *ex = rows[0];
        if (!header) {
            fputs("\n| variant | implementation | angles |", f);
            for (int d = VARIANTS_FIRST_DECADE; d < RUN_N_DECADES; d++)
                fprintf(f, " 1e%d |", d);
            fputs(" bound | within |\n|---|---|---|", f);
            for (int d = VARIANTS_FIRST_DECADE; d < RUN_N_DECADES; d++)
                fputs("---:|", f);
            fputs("---:|---|\n", f);
            header = 1;
        }
        if (!any) {
            fputs("|", f);
            put_cell(f, c->variant.name);
            fputs(" not swept (the oracle has no frequencies for it, or --no-accuracy) | |", f);
            for (int d = VARIANTS_FIRST_DECADE; d < RUN_N_DECADES; d++)
                fputs(" |", f);
            fputs(" | |\n", f);
            continue;
        }
        for (int m = 0; m < VARIANTS_N_MODES; m++) {
            if (!rows[m])
                continue;
            const run_accuracy *a = &rows[m]->acc;
            char bound[32] = "-";
            if (isfinite(a->bound_u))
                snprintf(bound, sizeof bound, "%.4g", a->bound_u);
            fputs("|", f);
            put_cell(f, c->variant.name);
            put_impl(f, a->implementation);
            put_cell(f, run_angle_mode_name(a->angle_mode));
            for (int d = VARIANTS_FIRST_DECADE; d < RUN_N_DECADES; d++) {
                char cell[32];
                fmt_u(cell, sizeof cell, variants_view_decade_error(a, d));
                put_cell(f, cell);
            }
            put_cell(f, bound);
            put_cell(f, a->within_bound == 1 ? "yes" : a->within_bound == 0 ? "**NO**" : "-");
            fputs("\n", f);
        }
        for (int m = 1; m < VARIANTS_N_MODES; m++) {
            /* what each recipe costs against exact angles, decade by decade */
            const run_variant_accuracy *fp = rows[m];
            if (!ex || !fp)
                continue;
            char what[32];
            snprintf(what, sizeof what, "%s / exact", run_angle_mode_name((run_angle_mode)m));
            fputs("|", f);
            put_cell(f, c->variant.name);
            put_impl(f, ex->acc.implementation);
            put_cell(f, what);
            for (int d = VARIANTS_FIRST_DECADE; d < RUN_N_DECADES; d++) {
                double e = variants_view_decade_error(&ex->acc, d);
                double x = variants_view_decade_error(&fp->acc, d);
                char cell[32] = "-";
                if (isfinite(e) && isfinite(x) && e > 0)
                    snprintf(cell, sizeof cell, "%.3gx", x / e);
                else if (isfinite(e) && isfinite(x) && x == 0 && e == 0)
                    snprintf(cell, sizeof cell, "same");
                put_cell(f, cell);
            }
            fputs(" | |\n", f);
        }
    }
}

static void variants_view(const run_record *r, FILE *f)
{
    const char *models[64];
    size_t n = variants_view_models(r, models, 64);
    if (!n)
        return;
    fputs("\n### variants\n\nEach model of the models file with its variants side by side, "
          "on what dispatch picks (the `impl=dispatch` cases): the median and its ratio to the "
          "memory pass, against plain RoPE on the same shape (`-rope`), and for alibi against "
          "Q.K^T of every head. Accuracy: the variant swept against the oracle, max error per "
          "decade of position in u (alibi: in ulps of the correctly rounded bias), exact angles "
          "and the recipes fp32, bf16 and fp16 (alibi: fp32 only; fp16 below position 65520), "
          "each recipe also as its ratio to exact.\n", f);
    for (size_t m = 0; m < n; m++) {
        const char *key = "";
        for (size_t i = 0; i < r->n_cases; i++)
            if (!strcmp(r->cases[i].model, models[m]) && r->cases[i].variant.model_key[0]) {
                key = r->cases[i].variant.model_key;
                break;
            }
        fprintf(f, "\n#### %s (`%s`)\n", models[m], key);
        variant_speed_rows(r, models[m], f);
        variant_accuracy_rows(r, models[m], f);
    }
}

/* One line per implementation that was not timed (its reason is the same on every case). */
static void skipped_list(const run_record *r, FILE *f)
{
    int any = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (c->status == RUN_STATUS_OK)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = r->cases[j].status != RUN_STATUS_OK &&
                   !strcmp(r->cases[j].implementation, c->implementation) &&
                   !strcmp(r->cases[j].reason, c->reason);
        if (seen)
            continue;
        if (!any)
            fputs("\n### not measured\n\n", f);
        any = 1;
        fprintf(f, "- `%s` (%s): %s\n", c->implementation, run_status_name(c->status),
                c->reason);
    }
}

static void ratio_cell(FILE *f, double x)
{
    if (isnan(x))
        fputs(" - |", f);
    else
        fprintf(f, " %.2fx |", x);
}

/* The cases split over threads (posenc bench --threads): the dispatched case of each group
 * against its one-thread case and the memory pass on as many threads; then the cases that were
 * not split, one line per group and reason. */
static void scaling_table(const run_record *r, FILE *f)
{
    if (!scaling_view_any(r))
        return;
    scaling_row *rows;
    size_t n = scaling_view_rows(r, 1, &rows);
    if (!n) /* a run without the dispatched cases (posenc bench --impl): every implementation */
        n = scaling_view_rows(r, 0, &rows);
    fputs("\n### Threads: scaling\n\n"
          "Each case split over N threads sharing one plan, thread i taking tokens (alibi: query "
          "rows) [i T/N, (i+1) T/N), timed in wall-clock time for the whole call, beside a memory "
          "pass over the same bytes on N threads (each thread its slice). *vs 1 thread*: the "
          "one-thread case's median wall-clock time / the N-thread median (throughput ratio; N "
          "is linear scaling; wall-clock time on both sides, so other work on the machine slows "
          "both); *memory pass vs 1 thread*: the same of the "
          "two memory passes; *vs memory pass*: the N-thread median / the N-thread memory pass "
          "(1.00x = memory speed). What dispatch picks (every implementation when the run has "
          "no dispatched cases); each implementation's figures are in run.json and results.csv.\n\n"
          "| case | implementation | threads | median | vs 1 thread | memory pass vs 1 thread "
          "| vs memory pass |\n|---|---|---:|---:|---:|---:|---:|\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const scaling_row *s = &rows[i];
        char t[32];
        report_fmt_time(t, sizeof t, s->c->median_ns);
        fputs("|", f);
        put_cell(f, s->c->group);
        put_cell(f, s->c->implementation);
        fprintf(f, " %d | %s |", s->threads, t);
        ratio_cell(f, s->speedup);
        ratio_cell(f, s->mempass_speedup);
        ratio_cell(f, s->ratio_to_mempass);
        fputs("\n", f);
    }
    if (!n)
        fputs("| (no case ran on more than one thread) | | | | | | |\n", f);
    free(rows);
    int any = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (run_case_threads(c) <= 1 || c->status != RUN_STATUS_SKIPPED)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(r->cases[j].group, c->group) && !strcmp(r->cases[j].reason, c->reason);
        if (seen)
            continue;
        if (!any)
            fputs("\nNot split:\n\n", f);
        any = 1;
        fprintf(f, "- `%s`: %s\n", c->group, c->reason);
    }
}

/* What each instruction count covers, in a run that counted (posenc bench --instructions). */
static void instruction_table(const run_record *r, FILE *f)
{
    if (!run_has_instruction_info(r))
        return;
    fputs("\n### instructions per element\n\nOne call counted (perf, or valgrind's callgrind; "
          "valgrind cannot run AVX-512, so an avx512 kernel is counted through its avx2 "
          "instantiation of the same kernel template, named under *counted*).\n\n"
          "| case | implementation | counted | instructions / element | source | note |\n"
          "|---|---|---|---:|---|---|\n", f);
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (c->status != RUN_STATUS_OK)
            continue;
        const int counted = c->instructions_source[0] != '\0';
        fputs("|", f);
        put_cell(f, c->id);
        put_impl(f, c->implementation);
        put_cell(f, !counted ? "" : c->instructions_impl[0] ? c->instructions_impl
                                                            : c->implementation);
        if (counted)
            fprintf(f, " %.4g |", c->instructions_per_element);
        else
            fputs(" |", f);
        put_cell(f, c->instructions_source);
        put_cell(f, c->instructions_note);
        fputs("\n", f);
    }
}

int report_md_to(const run_record *r, FILE *f)
{
    char id[160];
    run_cpu_id_text(r, id, sizeof id);
    fprintf(f, "## posenc bench: %s\n\n", r->id);
    fprintf(f, "%s (machine kind `%s`: %s), %s%s, %d logical CPUs; %s %s; posenc %s at %s%s; "
               "suite %s%s.\n",
            r->cpu_model, r->kind[0] ? r->kind : "not recorded", id, r->arch,
            r->emulated ? " (EMULATED: times say nothing of the target)" : "",
            r->cores, r->compiler, r->flags, r->posenc_version, r->git_revision,
            r->git_dirty == 1 ? " (dirty tree)" : "", r->suite, r->quick ? ", quick" : "");
    fputs("\nMedians of each implementation per case (thread CPU time, 1 thread (the cases split "
          "over threads are in the scaling table), exact angles; "
          "float32 data unless the case ends in `/bf16` or `/f16`); in brackets the ratio to the "
          "case's memory pass, the fastest way of moving the same bytes timed in the same run "
          "(run.json names it: `speed.mempass_id`; 1.00x = as fast as memory "
          "allows; a partial rotary, Pythia's or GPT-J's, touches only the rotated part of each "
          "head and can go below it).\n",
          f);
    for (size_t i = 0; i < r->n_cases; i++)
        if (run_impl_is_design(r->cases[i].implementation)) {
            fputs("\nAn implementation marked (design) is a common design of the fp32 recipe "
                  "timed beside posenc's to show what one gets otherwise (posenc.h, "
                  "POSENC_IMPL_DESIGN): `recipe-cache`, a float32 cos/sin cache built from the "
                  "recipe when the plan is made (as HF and vLLM's CPU kernel), and "
                  "`recipe-recurrence`, the angle by theta *= theta_scale per pair with libm "
                  "sinf/cosf (as ggml's CPU RoPE). They run in fp32 angles, their only mode.\n",
                  f);
            break;
        }
    /* the views below are of one thread; the cases on more are in the scaling table */
    run_record one;
    run_case *keep = scaling_view_one_thread(r, &one);
    dispatch_line(&one, f);
    for (int e = RUN_ENCODING_SINUSOIDAL; e <= RUN_ENCODING_ALIBI; e++)
        speed_table(&one, (run_encoding)e, f);
    dtype_table(&one, f);
    attention_table(&one, f);
    variants_view(&one, f);
    scaling_table(r, f);
    accuracy_table(&one, f);
    dtype_accuracy_table(&one, f);
    decade_table(&one, f);
    instruction_table(&one, f);
    skipped_list(&one, f);
    if (r->analysis)
        analysis_md_section(r->analysis, f);
    free(keep);
    return ferror(f) ? -1 : 0;
}

int report_write_md(const run_record *r, const char *path)
{
    report_file rf;
    if (report_file_open(&rf, path))
        return -1;
    report_md_to(r, rf.f);
    return report_file_commit(&rf);
}
