/* write_html.c - report.html from the run model: header, six plot sections, the tables of every
 * case and every accuracy record. One file, nothing fetched: inline CSS and SVG, no scripts. */
#include "write_html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy_dtype_view.h"
#include "analysis_view.h"
#include "dtype_view.h"
#include "fmt_time.h"
#include "harness_util.h"
#include "html_page.h"
#include "report_file.h"
#include "scaling_view.h"
#include "svg_plot.h"
#include "variants_view.h"

/* Chart widths, px: three small multiples or two wide charts fit the 1240 px page. */
#define SMALL_W 380
#define WIDE_W 600
#define SIDE_W 440 /* the overview's column beside the heat map */
#define EM_DASH HTML_EM_DASH

static void esc(FILE *f, const char *s) { html_esc(f, s); }

/* An implementation's name, and "(design)" after a common design's (run_impl_is_design). */
static void esc_impl(FILE *f, const char *implementation)
{
    esc(f, implementation);
    if (run_impl_is_design(implementation))
        fputs(" (design)", f);
}

/* A plot's label of an implementation, the same words as esc_impl. */
static const char *impl_label(char *buf, size_t size, const char *implementation)
{
    snprintf(buf, size, "%s%s", implementation,
             run_impl_is_design(implementation) ? " (design)" : "");
    return buf;
}

/* ---- names in order of first appearance ------------------------------------------------ */

typedef struct name_list {
    size_t n;
    const char **v;
} name_list;

static name_list list_new(size_t cap)
{
    name_list l = {0, harness_xmalloc((cap ? cap : 1) * sizeof(const char *))};
    return l;
}

static size_t list_find(const name_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return i;
    return l->n;
}

/* The caller sizes the list for every name it may add. */
static void list_add(name_list *l, const char *s)
{
    if (list_find(l, s) == l->n)
        l->v[l->n++] = s;
}

/* The part of an implementation's name after the encoding, "avx2" of "rotary/avx2": the key of
 * its colour, so one backend looks the same in the charts of every encoding. */
static const char *backend_of(const char *impl)
{
    const char *slash = strchr(impl, '/');
    return slash && slash[1] ? slash + 1 : impl;
}

static int is_ok(const run_case *c) { return c->status == RUN_STATUS_OK; }

/* ---- number formatting ----------------------------------------------------------------- */

/* NaN (not applicable) reads as a dash everywhere. */
static const char *fmt_g(char *buf, size_t n, double v, int digits)
{
    if (isnan(v))
        snprintf(buf, n, EM_DASH);
    else
        snprintf(buf, n, "%.*g", digits, v);
    return buf;
}

/* report_fmt_time, with the page's dash for "no time" */
static const char *fmt_time(char *buf, size_t n, double ns)
{
    if (isfinite(ns) && ns >= 0)
        return report_fmt_time(buf, n, ns);
    snprintf(buf, n, EM_DASH);
    return buf;
}

/* 2097152 -> "2,097,152" */
static const char *fmt_count(char *buf, size_t n, uint64_t v)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t len = strlen(digits), o = 0;
    for (size_t i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static const char *fmt_bytes(char *buf, size_t n, uint64_t b)
{
    if (b < 1024)
        snprintf(buf, n, "%llu B", (unsigned long long)b);
    else if (b < 1024 * 1024)
        snprintf(buf, n, "%.4g KiB", (double)b / 1024.0);
    else if (b < 1024ull * 1024 * 1024)
        snprintf(buf, n, "%.4g MiB", (double)b / (1024.0 * 1024.0));
    else
        snprintf(buf, n, "%.4g GiB", (double)b / (1024.0 * 1024.0 * 1024.0));
    return buf;
}

/* ---- the run's structure: encodings, their shapes and implementations ------------------- */

/* The cases of one encoding as a grid: a row per case group (shape), a column per
 * implementation, both in order of first appearance. */
typedef struct enc_grid {
    run_encoding encoding;
    name_list groups, impls;
    const run_case **cell; /* cell[g * impls.n + i], NULL: no such case */
} enc_grid;

typedef struct report {
    const run_record *r;     /* the cases on one thread: what every view but the scaling reads */
    const run_record *all;   /* every case, on any number of threads */
    FILE *f;
    plot_palette palette;
    size_t n_enc;
    enc_grid *enc;
} report;

static const run_case *cell(const enc_grid *e, size_t g, size_t i)
{
    return e->cell[g * e->impls.n + i];
}

/* v added to the n encodings of list unless it is there: the new count (order of first
 * appearance). */
static size_t add_encoding(run_encoding *list, size_t n, run_encoding v)
{
    size_t k = 0;
    while (k < n && list[k] != v)
        k++;
    if (k == n)
        list[n++] = v;
    return n;
}

static void build_grids(report *rp)
{
    const run_record *r = rp->r;
    run_encoding encs[RUN_ENCODING_ALIBI + 1];
    size_t n_encs = 0;
    for (size_t k = 0; k < r->n_cases; k++)
        n_encs = add_encoding(encs, n_encs, r->cases[k].encoding);
    rp->n_enc = n_encs;
    rp->enc = harness_xmalloc((n_encs ? n_encs : 1) * sizeof *rp->enc);
    for (size_t e = 0; e < n_encs; e++) {
        enc_grid *g = &rp->enc[e];
        g->encoding = encs[e];
        g->groups = list_new(r->n_cases);
        g->impls = list_new(r->n_cases);
        for (size_t k = 0; k < r->n_cases; k++)
            if (r->cases[k].encoding == g->encoding && !r->cases[k].dispatched) {
                list_add(&g->groups, r->cases[k].group);
                list_add(&g->impls, r->cases[k].implementation);
            }
        size_t cells = g->groups.n * g->impls.n;
        g->cell = harness_xmalloc((cells ? cells : 1) * sizeof *g->cell);
        for (size_t c = 0; c < cells; c++)
            g->cell[c] = NULL;
        for (size_t k = 0; k < r->n_cases; k++) {
            const run_case *c = &r->cases[k];
            if (c->encoding != g->encoding || c->dispatched)
                continue;
            size_t gi = list_find(&g->groups, c->group);
            size_t ii = list_find(&g->impls, c->implementation);
            /* a repeated (shape, implementation) keeps its first case; the table lists both */
            if (!g->cell[gi * g->impls.n + ii])
                g->cell[gi * g->impls.n + ii] = c;
        }
    }

    /* colours: scalar, the reference of every speedup, is black with circles */
    plot_palette_init(&rp->palette);
    for (size_t k = 0; k < r->n_cases; k++) {
        const char *b = backend_of(r->cases[k].implementation);
        plot_palette_add(&rp->palette, b, strcmp(b, "scalar") ? -1 : 0);
    }
    for (size_t k = 0; k < r->n_accuracy; k++) {
        const char *b = backend_of(r->accuracy[k].implementation);
        plot_palette_add(&rp->palette, b, strcmp(b, "scalar") ? -1 : 0);
    }
    plot_palette_assign(&rp->palette);
}

static void free_grids(report *rp)
{
    for (size_t e = 0; e < rp->n_enc; e++) {
        free(rp->enc[e].groups.v);
        free(rp->enc[e].impls.v);
        free(rp->enc[e].cell);
    }
    free(rp->enc);
}

static plot_style style_of(const report *rp, const char *impl)
{
    return plot_palette_style(&rp->palette, backend_of(impl));
}

/* The exact-mode accuracy record of impl: the case's link, else a search of the run's float32
 * records; a design's fp32 record, its only mode. */
static const run_accuracy *exact_accuracy(const run_record *r, const run_case *c)
{
    if (c && c->accuracy)
        return c->accuracy;
    return c ? run_find_accuracy(r, c->implementation,
                                 run_impl_is_design(c->implementation) ? RUN_ANGLE_FP32
                                                                       : RUN_ANGLE_EXACT,
                                 RUN_DTYPE_F32)
             : NULL;
}

/* ---- page pieces ------------------------------------------------------------------------ */

static void write_header(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    char buf[1024];
    fputs("<header>\n<h1>posenc benchmark report</h1>\n<p class=\"run-id\">", f);
    esc(f, r->id[0] ? r->id : "(run without an id)");
    fputs("</p>\n<p class=\"sub\">", f);
    /* the run in one line; every fact is folded under the overview */
    char cores[32] = "";
    if (r->cores > 0)
        snprintf(cores, sizeof cores, ", %d logical cores", r->cores);
    snprintf(buf, sizeof buf, "%s (%s%s)%s; %s suite%s, started %s UTC; posenc %s, git %.12s%s; %s",
             r->cpu_model[0] ? r->cpu_model : "unknown CPU",
             r->kind[0] ? r->kind : "kind not recorded", r->emulated ? ", EMULATED" : "", cores,
             r->suite[0] ? r->suite : "unknown", r->quick ? " (quick)" : "", r->started_utc,
             r->posenc_version, r->git_revision[0] ? r->git_revision : "unknown",
             r->git_dirty == 1 ? " (dirty)" : "", r->compiler);
    esc(f, buf);
    fputs("</p>\n", f);
    if (r->emulated) {
        fputs("<p class=\"banner emulated\"><strong>Emulated run.</strong> This run executed "
              "under an emulator (", f);
        esc(f, r->arch);
        fputs(" on another CPU): its times measure the emulator, not the hardware named above. "
              "Compare them only with other emulated runs.</p>\n", f);
    }
    if (r->quick)
        fputs("<p class=\"banner quick\"><strong>Quick run.</strong> Fewer repetitions and "
              "samples than a full run: the numbers are indicative only.</p>\n", f);
    if (r->git_dirty == 1)
        fputs("<p class=\"banner dirty\"><strong>Uncommitted changes.</strong> The build had "
              "changes not in the recorded git revision.</p>\n", f);

    fputs("</header>\n", f);
    const html_link contents[] = {
        {"overview", "overview"},
        {"facts", "machine"},
        {"plot-ns-per-element", "time per element"},
        {"plot-speedup", "speedup"},
        {"plot-memory", "memory limit"},
        {"plot-accuracy", "accuracy"},
        {"plot-attention", "vs attention"},
        {"dtypes", "f32 / bf16 / f16"},
        {variants_view_models(r, (const char *[1]){NULL}, 1) ? "variants" : NULL, "variants"},
        {r->analysis ? "analysis" : NULL, "analysis"},
        {scaling_view_any(rp->all) ? "scaling" : NULL, "threads"},
        {"table-cases", "cases"},
        {"skipped", "skipped"},
        {"table-accuracy", "accuracy records"}};
    html_nav(f, contents, sizeof contents / sizeof contents[0]);
}

/* Every fact of the run, machine and build, folded: the header's line says the essentials. */
static void write_facts(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    char buf[512];
    html_details_open(f, "facts", "Run, machine and build: every fact", 0);
    html_facts_begin(f);
    html_facts_table_open(f, "Run");
    html_fact(f, "started (UTC)", r->started_utc);
    html_fact(f, "host", r->host);
    html_fact(f, "suite", r->suite);
    html_fact(f, "quick", r->quick ? "yes: fewer repetitions" : "no");
    html_fact(f, "command", r->command);
    html_facts_table_close(f);
    html_facts_table_open(f, "Machine");
    html_fact(f, "CPU", r->cpu_model);
    html_fact(f, "machine kind", r->kind[0] ? r->kind : "not recorded");
    run_cpu_id_text(r, buf, sizeof buf);
    html_fact(f, "CPU identity", buf);
    snprintf(buf, sizeof buf, "%s%s", r->arch, r->emulated ? " (EMULATED)" : "");
    html_fact(f, "architecture", buf);
    snprintf(buf, sizeof buf, "%d logical", r->cores);
    html_fact(f, "cores", r->cores > 0 ? buf : "");
    if (isfinite(r->mhz))
        snprintf(buf, sizeof buf, "%.0f MHz", r->mhz);
    else
        snprintf(buf, sizeof buf, "unknown");
    html_fact(f, "clock", buf);
    html_fact(f, "governor", r->governor[0] ? r->governor : "unreadable");
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < r->n_caches && i < 8; i++) {
        const run_cache *c = &r->caches[i];
        char size[32];
        int w = snprintf(buf + o, sizeof buf - o, "%sL%d %s %s (shared by %d)", i ? ", " : "",
                         c->level, c->type, fmt_bytes(size, sizeof size, c->size_bytes),
                         c->shared_by);
        if (w < 0 || (size_t)w >= sizeof buf - o)
            break;
        o += (size_t)w;
    }
    html_fact(f, "caches", buf);
    char l0[16], l1[16], l2[16];
    snprintf(buf, sizeof buf, "%s %s %s", fmt_g(l0, sizeof l0, r->load_avg[0], 3),
             fmt_g(l1, sizeof l1, r->load_avg[1], 3), fmt_g(l2, sizeof l2, r->load_avg[2], 3));
    html_fact(f, "load average", buf);
    html_fact(f, "CPU features used", r->cpu_features);
    if (strcmp(r->cpu_features, r->cpu_features_detected))
        html_fact(f, "CPU features detected", r->cpu_features_detected);
    html_facts_table_close(f);
    html_facts_table_open(f, "Build");
    html_fact(f, "posenc", r->posenc_version);
    html_fact(f, "compiler", r->compiler);
    html_fact(f, "flags", r->flags);
    snprintf(buf, sizeof buf, "%s %s", r->git_revision[0] ? r->git_revision : "unknown",
             r->git_dirty == 1   ? "(DIRTY: uncommitted changes)"
             : r->git_dirty == 0 ? "(clean)"
                                 : "(state unknown)");
    html_fact(f, "git revision", buf);
    html_fact(f, "Google Benchmark", r->benchmark_version);
    html_fact(f, "SLEEF", r->sleef_version);
    html_fact(f, "OpenBLAS", r->openblas_version);
    html_fact(f, "MPFR", r->mpfr_version);
    html_facts_table_close(f);
    html_facts_end(f);
    html_details_close(f);
}

static void no_data(FILE *f, const char *text) { html_no_data(f, text); }

/* ---- time per element: a small bar chart per shape --------------------------------------- */

/* Log scale when the values span more than PLOT_LOG_SPAN (and are positive). */
static int wants_log(const plot_range *rg)
{
    return rg->min > 0 && rg->max / rg->min > PLOT_LOG_SPAN;
}

static void write_ns_per_element(const report *rp)
{
    FILE *f = rp->f;
    fputs("<section id=\"plot-ns-per-element\">\n<h2>Time per element</h2>\n"
          "<p class=\"explain\">Median thread CPU time per call divided by the elements of the "
          "call (floats of x for apply, of the encoded rows for encode); shorter is faster. One "
          "chart per shape; a log scale where the implementations differ by more than 30x. "
          "Hover a bar for the exact value.</p>\n",
          f);
    if (!rp->n_enc)
        no_data(f, "This run has no speed cases.");
    for (size_t e = 0; e < rp->n_enc; e++) {
        const enc_grid *g = &rp->enc[e];
        size_t ni = g->impls.n;
        fputs("<h3>", f);
        esc(f, run_encoding_name(g->encoding));
        fputs("</h3>\n<div class=\"grid small\">\n", f);
        double *v = harness_xmalloc(ni * sizeof *v);
        plot_series *se = harness_xmalloc(ni * sizeof *se);
        plot_note *notes = harness_xmalloc(ni * sizeof *notes);
        for (size_t gi = 0; gi < g->groups.n; gi++) {
            plot_range rg;
            plot_range_init(&rg);
            const run_case *any = NULL;
            for (size_t i = 0; i < ni; i++) {
                const run_case *c = cell(g, gi, i);
                v[i] = c && is_ok(c) ? c->ns_per_element : NAN;
                plot_range_add(&rg, v[i]);
                se[i] = (plot_series){g->impls.v[i], style_of(rp, g->impls.v[i]), NULL, &v[i],
                                      1, NULL};
                notes[i] = (plot_note){c && !is_ok(c) ? run_status_name(c->status) : NULL,
                                       c ? c->reason : NULL};
                if (c && !any)
                    any = c;
            }
            int log = wants_log(&rg);
            const char *cat = g->groups.v[gi];
            plot_bar_chart ch = {cat, log ? "ns per element (log scale)" : "ns per element",
                                 "ns/element", 1, &cat, ni, se, notes,
                                 log ? PLOT_LOG10 : PLOT_LINEAR, NAN, NULL, SMALL_W};
            fputs("<figure>\n", f);
            if (rg.min <= rg.max) {
                plot_bar_chart_write(f, &ch);
            } else {
                fputs("<p class=\"no-data\">", f);
                esc(f, cat);
                fputs(": no implementation ran this shape (see the skipped cases).</p>\n", f);
            }
            if (any) {
                char el[32], by[32];
                fputs("<figcaption>", f);
                if (any->model[0]) {
                    esc(f, any->model);
                    fputs(", ", f);
                }
                esc(f, run_op_name(any->op));
                fprintf(f, ": %s elements, %s moved per call</figcaption>\n",
                        fmt_count(el, sizeof el, any->elements),
                        fmt_bytes(by, sizeof by, any->bytes));
            }
            fputs("</figure>\n", f);
        }
        fputs("</div>\n", f);
        free(v);
        free(se);
        free(notes);
    }
    fputs("</section>\n", f);
}

/* ---- speedup and memory fraction: one grouped chart per encoding ------------------------- */

typedef double (*case_value)(const run_case *);

static double speedup_of(const run_case *c) { return c->speedup_over_scalar; }

static double memory_fraction_of(const run_case *c)
{
    return c->mempass_median_ns / c->median_ns;
}

/* One grouped bar chart per encoding of value(case) for the ok cases, with a dashed line at 1;
 * cases not ok show their status, ok cases without a value show `missing`. */
static void write_ratio_charts(const report *rp, case_value value, const char *what,
                               const char *axis, const char *unit, const char *reference_label,
                               const char *missing)
{
    FILE *f = rp->f;
    int any_chart = 0;
    fputs("<div class=\"grid wide\">\n", f);
    for (size_t e = 0; e < rp->n_enc; e++) {
        const enc_grid *g = &rp->enc[e];
        size_t ng = g->groups.n, ni = g->impls.n;
        double *v = harness_xmalloc(ng * ni * sizeof *v);
        plot_series *se = harness_xmalloc(ni * sizeof *se);
        plot_note *notes = harness_xmalloc(ng * ni * sizeof *notes);
        plot_range rg;
        plot_range_init(&rg);
        for (size_t i = 0; i < ni; i++) {
            for (size_t gi = 0; gi < ng; gi++) {
                const run_case *c = cell(g, gi, i);
                double x = c && is_ok(c) ? value(c) : NAN;
                v[i * ng + gi] = isfinite(x) ? x : NAN;
                plot_range_add(&rg, x);
                plot_note *n = &notes[gi * ni + i];
                *n = (plot_note){NULL, NULL};
                if (c && !is_ok(c))
                    *n = (plot_note){run_status_name(c->status), c->reason};
                else if (c && !isfinite(x))
                    *n = (plot_note){missing, missing};
            }
            se[i] = (plot_series){g->impls.v[i], style_of(rp, g->impls.v[i]), NULL, &v[i * ng],
                                  ng, NULL};
        }
        if (rg.min <= rg.max) {
            any_chart = 1;
            plot_range_add(&rg, 1);
            int log = wants_log(&rg);
            char title[128], label[160];
            snprintf(title, sizeof title, "%s: %s", run_encoding_name(g->encoding), what);
            snprintf(label, sizeof label, "%s%s", axis, log ? " (log scale)" : "");
            plot_bar_chart ch = {title, label, unit, ng, g->groups.v, ni, se, notes,
                                 log ? PLOT_LOG10 : PLOT_LINEAR, 1.0, reference_label, WIDE_W};
            fputs("<figure>\n", f);
            plot_bar_chart_write(f, &ch);
            fputs("</figure>\n", f);
        } else {
            fputs("<p class=\"no-data\">", f);
            esc(f, run_encoding_name(g->encoding));
            fputs(": no ", f);
            esc(f, what);
            fputs(" in this run.</p>\n", f);
        }
        free(v);
        free(se);
        free(notes);
    }
    fputs("</div>\n", f);
    if (!any_chart && !rp->n_enc)
        no_data(f, "This run has no speed cases.");
}

static void write_speedup(const report *rp)
{
    fputs("<section id=\"plot-speedup\">\n<h2>Speedup over the scalar implementation</h2>\n"
          "<p class=\"explain\">The scalar implementation's median on the same shape divided by "
          "each implementation's: above the dashed line at 1 is faster than scalar.</p>\n",
          rp->f);
    write_ratio_charts(rp, speedup_of, "speedup over scalar", "times as fast as scalar",
                       "\xC3\x97 scalar's speed", "scalar = 1", "no scalar time for this shape");
    fputs("</section>\n", rp->f);
}

static void write_memory_fraction(const report *rp)
{
    fputs("<section id=\"plot-memory\">\n<h2>Fraction of the memory limit</h2>\n"
          "<p class=\"explain\">The median of the case's memory pass (the fastest way of "
          "moving the same bytes timed in the same run), divided by the implementation's "
          "median: 1.0 (the dashed line) is as fast as moving the data at all; 0.5 takes twice "
          "as long. Values above 1 are possible when the data stays in cache.</p>\n",
          rp->f);
    write_ratio_charts(rp, memory_fraction_of, "fraction of the memory pass",
                       "memory-pass time / implementation time", "\xC3\x97 memory-pass speed",
                       "memory pass = 1", "no memory pass for this shape");
    fputs("</section>\n", rp->f);
}

/* ---- accuracy against position ----------------------------------------------------------- */

/* Encodings and angle modes of the accuracy records, exact mode first within an encoding. */
static void write_accuracy_by_position(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    fputs("<section id=\"plot-accuracy\">\n<h2>Accuracy against position</h2>\n"
          "<p class=\"explain\">The largest error against the MPFR oracle in each decade of "
          "position, in u = 2<sup>-24</sup> (log scale). The decade [0, 10) is drawn at 1. "
          "Dashed: the documented bound (exact mode). A hollow marker on the bottom edge is an "
          "error of 0: exact, which a log scale cannot place.</p>\n",
          f);
    if (!r->n_accuracy) {
        no_data(f, "This run has no accuracy records.");
        fputs("</section>\n", f);
        return;
    }
    run_encoding encs[RUN_ENCODING_ALIBI + 1];
    run_angle_mode modes[RUN_ANGLE_FP16 + 1] = {RUN_ANGLE_EXACT};
    size_t n_encs = 0, n_modes = 1;
    for (size_t k = 0; k < r->n_accuracy; k++) {
        const run_accuracy *a = &r->accuracy[k];
        if (a->dtype != RUN_DTYPE_F32)
            continue; /* 16-bit data: the table of section table-dtypes */
        n_encs = add_encoding(encs, n_encs, a->encoding);
        size_t m = 0;
        while (m < n_modes && modes[m] != a->angle_mode)
            m++;
        if (m == n_modes)
            modes[n_modes++] = a->angle_mode;
    }
    size_t cap = r->n_accuracy;
    plot_series *se = harness_xmalloc(cap * sizeof *se);
    char(*labels)[80] = harness_xmalloc(cap * sizeof *labels);
    double *xs = harness_xmalloc(cap * RUN_N_DECADES * sizeof *xs);
    double *ys = harness_xmalloc(cap * RUN_N_DECADES * sizeof *ys);
    char(*note_text)[48] = harness_xmalloc(cap * RUN_N_DECADES * sizeof *note_text);
    const char **notes = harness_xmalloc(cap * RUN_N_DECADES * sizeof *notes);
    plot_hline *hl = harness_xmalloc(cap * sizeof *hl);
    char(*hl_text)[64] = harness_xmalloc(cap * sizeof *hl_text);
    fputs("<div class=\"grid wide\">\n", f);
    for (size_t e = 0; e < n_encs; e++)
        for (size_t m = 0; m < n_modes; m++) {
            size_t ns = 0, n_hl = 0, n_positive = 0, n_points = 0;
            for (size_t k = 0; k < r->n_accuracy; k++) {
                const run_accuracy *a = &r->accuracy[k];
                if (a->encoding != encs[e] || a->angle_mode != modes[m] ||
                    a->dtype != RUN_DTYPE_F32)
                    continue;
                double *x = &xs[ns * RUN_N_DECADES], *y = &ys[ns * RUN_N_DECADES];
                const char **pn = &notes[ns * RUN_N_DECADES];
                for (int d = 0; d < RUN_N_DECADES; d++) {
                    const run_decade *dc = &a->decades[d];
                    x[d] = dc->lo > 1 ? (double)dc->lo : 1;
                    y[d] = dc->count ? dc->max_err_u : NAN;
                    snprintf(note_text[ns * RUN_N_DECADES + d], 48, "positions [%lld, %lld)",
                             (long long)dc->lo, (long long)dc->hi);
                    pn[d] = note_text[ns * RUN_N_DECADES + d];
                    n_points += isfinite(y[d]);
                    n_positive += isfinite(y[d]) && y[d] > 0;
                }
                se[ns] = (plot_series){impl_label(labels[ns], sizeof labels[ns],
                                                  a->implementation),
                                       style_of(rp, a->implementation), x, y, RUN_N_DECADES, pn};
                ns++;
                int seen = 0;
                for (size_t h = 0; h < n_hl; h++)
                    seen |= hl[h].y == a->bound_u;
                if (a->angle_mode == RUN_ANGLE_EXACT && isfinite(a->bound_u) && !seen) {
                    snprintf(hl_text[n_hl], 64, "documented bound %g u", a->bound_u);
                    hl[n_hl] = (plot_hline){a->bound_u, hl_text[n_hl]};
                    n_hl++;
                }
            }
            if (!ns)
                continue;
            char title[96];
            snprintf(title, sizeof title, "%s, %s angles: max error per decade",
                     run_encoding_name(encs[e]), run_angle_mode_name(modes[m]));
            if (!n_positive) {
                fputs("<p class=\"no-data\">", f);
                esc(f, title);
                fputs(n_points ? ": every value checked is exact (error 0); a log scale has "
                                 "nothing to draw.</p>\n"
                               : ": no per-decade results.</p>\n",
                      f);
                continue;
            }
            plot_xy_chart ch = {title, "position (decade lower bound, log scale)",
                                "max |error| (u, log scale)", NULL, "u", PLOT_LOG10,
                                PLOT_LOG10, ns, se, 1, 0, 1, n_hl, hl, WIDE_W, 340};
            fputs("<figure>\n", f);
            plot_xy_chart_write(f, &ch);
            fputs("</figure>\n", f);
        }
    fputs("</div>\n", f);
    free(se);
    free(labels);
    free(xs);
    free(ys);
    free(note_text);
    free(notes);
    free(hl);
    free(hl_text);
    fputs("</section>\n", f);
}

/* ---- speed against accuracy (in the overview) -------------------------------------------- */

/* The shape an encoding's scatter uses: the largest (most elements) that every implementation
 * that ran at all ran, else the one most of them ran; an implementation skipped on every shape
 * (a CPU without its features) does not count. Returns its index, or groups.n if nothing ran;
 * *n_ran: implementations on that shape, *n_running: those that ran any shape. */
static size_t representative_group(const enc_grid *g, size_t *n_ran, size_t *n_running)
{
    *n_running = 0;
    for (size_t i = 0; i < g->impls.n; i++) {
        int ran = 0;
        for (size_t gi = 0; gi < g->groups.n; gi++) {
            const run_case *c = cell(g, gi, i);
            ran |= c && is_ok(c) && isfinite(c->ns_per_element);
        }
        *n_running += ran;
    }
    size_t best = g->groups.n, best_ran = 0;
    uint64_t best_el = 0;
    for (size_t gi = 0; gi < g->groups.n; gi++) {
        size_t ran = 0;
        uint64_t el = 0;
        for (size_t i = 0; i < g->impls.n; i++) {
            const run_case *c = cell(g, gi, i);
            if (c && is_ok(c) && isfinite(c->ns_per_element)) {
                ran++;
                el = c->elements;
            }
        }
        if (ran && (ran > best_ran || (ran == best_ran && el > best_el))) {
            best = gi;
            best_ran = ran;
            best_el = el;
        }
    }
    *n_ran = best_ran;
    return best;
}

static void write_speed_accuracy(const report *rp)
{
    FILE *f = rp->f;
    fputs("<section id=\"plot-speed-accuracy\">\n", f);
    int any = 0;
    /* encodings with nothing to draw share one line at the end: the column must stay short */
    name_list exact = list_new(rp->n_enc), unswept_enc = list_new(rp->n_enc);
    for (size_t e = 0; e < rp->n_enc; e++) {
        const enc_grid *g = &rp->enc[e];
        size_t ran = 0, running = 0, ni = g->impls.n;
        size_t gi = representative_group(g, &ran, &running);
        if (gi == g->groups.n)
            continue;
        double *x = harness_xmalloc(ni * sizeof *x), *y = harness_xmalloc(ni * sizeof *y);
        plot_series *se = harness_xmalloc(ni * sizeof *se);
        char(*labels)[80] = harness_xmalloc(ni * sizeof *labels);
        name_list unswept = list_new(ni);
        size_t ns = 0, n_positive = 0;
        uint64_t elements = 0;
        for (size_t i = 0; i < ni; i++) {
            const run_case *c = cell(g, gi, i);
            if (!c || !is_ok(c) || !isfinite(c->ns_per_element))
                continue;
            elements = c->elements;
            const run_accuracy *a = exact_accuracy(rp->r, c);
            if (!a || !isfinite(a->max_err_u)) {
                list_add(&unswept, c->implementation);
                continue;
            }
            x[ns] = c->ns_per_element;
            y[ns] = a->max_err_u;
            n_positive += y[ns] > 0;
            se[ns] = (plot_series){impl_label(labels[ns], sizeof labels[ns], c->implementation),
                                   style_of(rp, c->implementation), &x[ns], &y[ns], 1, NULL};
            ns++;
        }
        char title[96];
        snprintf(title, sizeof title, "%s: speed against accuracy",
                 run_encoding_name(g->encoding));
        if (!ns || !n_positive) {
            /* a log axis has no place for 0; the time-per-element charts have the times */
            list_add(ns ? &exact : &unswept_enc, run_encoding_name(g->encoding));
            free(x);
            free(y);
            free(se);
            free(labels);
            free(unswept.v);
            continue;
        }
        fputs("<figure>\n", f);
        {
            any = 1;
            plot_xy_chart ch = {title, "ns per element", "max |error|, exact angles (u, log)",
                                "ns/element", "u", PLOT_AUTO, PLOT_LOG10, ns, se, 0, 1, 0, 0,
                                NULL, SIDE_W, 190};
            plot_xy_chart_write(f, &ch);
        }
        char el[32];
        fputs("<figcaption>Shape: <code>", f);
        esc(f, g->groups.v[gi]);
        fprintf(f, "</code> (%s elements), ", fmt_count(el, sizeof el, elements));
        if (ran == running)
            fputs("the largest shape every implementation of this encoding ran", f);
        else
            fprintf(f, "run by %zu of the %zu implementations that ran: no shape was run by all",
                    ran, running);
        if (running < ni)
            fprintf(f, " (%zu ran no shape: see the skipped cases)", ni - running);
        fputs(".", f);
        if (unswept.n) {
            fputs(" Not drawn, no accuracy record: ", f);
            for (size_t u = 0; u < unswept.n; u++) {
                fputs(u ? ", " : "", f);
                esc(f, unswept.v[u]);
            }
            fputs(".", f);
        }
        fputs("</figcaption>\n</figure>\n", f);
        free(x);
        free(y);
        free(se);
        free(labels);
        free(unswept.v);
    }
    if (!any && !rp->n_enc)
        no_data(f, "This run has no speed cases to set against accuracy.");
    for (int k = 0; k < 2; k++) {
        const name_list *l = k ? &unswept_enc : &exact;
        if (!l->n)
            continue;
        fputs("<p class=\"explain\">Speed against accuracy of ", f);
        for (size_t u = 0; u < l->n; u++) {
            fputs(u ? ", " : "", f);
            esc(f, l->v[u]);
        }
        fputs(k ? ": no implementation that ran has an exact-mode accuracy record.</p>\n"
                : ": every implementation is exact (error 0), no trade-off to draw.</p>\n",
              f);
    }
    free(exact.v);
    free(unswept_enc.v);
    fputs("<p class=\"explain\">A point per implementation: its time per element on the "
          "shape named against the largest error of its exact-mode sweep (a design: fp32); down "
          "and to the left is better, hollow on the bottom edge: error 0.</p>\n</section>\n",
          f);
}

/* ---- the overview ----------------------------------------------------------------------- */

/* A group's row in the grid: its family ("rotary_apply", the heading above it) and the rest of
 * its name (the label), split at the first '/'. */
static const char *grid_row_label(const char *group, char *family, size_t n)
{
    const char *slash = strchr(group, '/');
    size_t k = slash && slash[1] ? (size_t)(slash - group) : 0;
    snprintf(family, n, "%.*s", (int)k, group);
    return k ? slash + 1 : group;
}

/* 1 when row gi of g belongs in the grid: some case of it ran beside a memory pass (a plan
 * case has none, and a shape nothing ran has no figure: the speed part lists both). */
static int grid_has_row(const enc_grid *g, size_t gi)
{
    for (size_t i = 0; i < g->impls.n; i++) {
        const run_case *c = cell(g, gi, i);
        if (c && is_ok(c) && isfinite(memory_fraction_of(c)))
            return 1;
    }
    return 0;
}

static size_t grid_rows_of(const enc_grid *g)
{
    size_t n = 0;
    for (size_t gi = 0; gi < g->groups.n; gi++)
        n += grid_has_row(g, gi);
    return n;
}

/* One panel of the overview's heat map, for encodings [e0, e1): a row per case group that has
 * a memory pass (under its family's heading), a column per backend of those encodings (scalar
 * first, the designs last), each cell the fraction of the memory limit, the memory pass's
 * median over the implementation's; what dispatch picks outlined. */
static void write_limit_grid(const report *rp, size_t e0, size_t e1, const char *title,
                             int legend)
{
    FILE *f = rp->f;
    const run_record *r = rp->r;
    size_t cap = r->n_cases ? r->n_cases : 1;
    name_list cols = list_new(cap + 1), rows = list_new(cap);
    char(*heads_text)[64] = harness_xmalloc(cap * sizeof *heads_text);
    const char **heads = harness_xmalloc(cap * sizeof *heads);
    const enc_grid **row_enc = harness_xmalloc(cap * sizeof *row_enc);
    size_t *row_group = harness_xmalloc(cap * sizeof *row_group);
    for (int pass = 0; pass < 3; pass++) /* scalar, the others, the designs */
        for (size_t e = e0; e < e1; e++)
            for (size_t i = 0; i < rp->enc[e].impls.n; i++) {
                const char *impl = rp->enc[e].impls.v[i], *b = backend_of(impl);
                int kind = !strcmp(b, "scalar") ? 0 : run_impl_is_design(impl) ? 2 : 1;
                if (kind == pass)
                    list_add(&cols, b);
            }
    for (size_t e = e0; e < e1; e++) {
        const enc_grid *g = &rp->enc[e];
        size_t first = rows.n;
        for (size_t gi = 0; gi < g->groups.n; gi++) {
            if (!grid_has_row(g, gi))
                continue;
            char family[64];
            const char *label = grid_row_label(g->groups.v[gi], family, sizeof family);
            /* a family's rows together, in order of its first row: one heading each */
            size_t at = rows.n;
            for (size_t k = first; k < rows.n; k++)
                if (!strcmp(heads[k], family))
                    at = k + 1;
            for (size_t k = rows.n; k > at; k--) {
                rows.v[k] = rows.v[k - 1];
                memcpy(heads_text[k], heads_text[k - 1], sizeof heads_text[k]);
                heads[k] = heads_text[k];
                row_enc[k] = row_enc[k - 1];
                row_group[k] = row_group[k - 1];
            }
            rows.v[at] = label;
            snprintf(heads_text[at], sizeof heads_text[at], "%s", family);
            heads[at] = heads_text[at];
            row_enc[at] = g;
            row_group[at] = gi;
            rows.n++;
        }
    }
    size_t n = rows.n * cols.n;
    double *v = harness_xmalloc((n ? n : 1) * sizeof *v);
    const char **notes = harness_xmalloc((n ? n : 1) * sizeof *notes);
    char(*note_text)[256] = harness_xmalloc((n ? n : 1) * sizeof *note_text);
    unsigned char *marked = harness_xmalloc(n ? n : 1);
    for (size_t ri = 0; ri < rows.n; ri++) {
        const enc_grid *g = row_enc[ri];
        const char *group = g->groups.v[row_group[ri]];
        const char *picked = NULL;
        for (size_t k = 0; k < r->n_cases && !picked; k++)
            if (r->cases[k].dispatched && is_ok(&r->cases[k]) &&
                !strcmp(r->cases[k].group, group))
                picked = r->cases[k].implementation;
        for (size_t ci = 0; ci < cols.n; ci++) {
            size_t x = ri * cols.n + ci;
            v[x] = NAN;
            notes[x] = NULL;
            marked[x] = 0;
            for (size_t i = 0; i < g->impls.n; i++) {
                if (strcmp(backend_of(g->impls.v[i]), cols.v[ci]))
                    continue;
                const run_case *c = cell(g, row_group[ri], i);
                if (!c)
                    break;
                if (!is_ok(c)) {
                    snprintf(note_text[x], sizeof note_text[x], "%s: %s",
                             run_status_name(c->status),
                             c->reason[0] ? c->reason : "no reason recorded");
                    notes[x] = note_text[x];
                } else {
                    v[x] = memory_fraction_of(c);
                    if (!isfinite(v[x]))
                        notes[x] = "no memory pass for this shape";
                }
                marked[x] = picked && !strcmp(picked, c->implementation);
                break;
            }
        }
    }
    plot_grid grid = {title, "% of the memory limit",
                      NULL, rows.n, cols.n, rows.v, cols.v, heads, v, notes, marked, 0, 1,
                      100, 17, 10, 200, !legend};
    fputs("<figure class=\"limits\">\n", f);
    plot_grid_write(f, &grid);
    fputs("</figure>\n", f);
    free(cols.v);
    free(rows.v);
    free(heads_text);
    free(heads);
    free(row_enc);
    free(row_group);
    free(v);
    free(notes);
    free(note_text);
    free(marked);
}

/* The heat map in panels side by side: one when its rows fit a screen, else two, the encodings
 * split (in order) where the taller panel is shortest. */
static void write_limit_grids(const report *rp)
{
    size_t total = 0, best = rp->n_enc, best_max = 0;
    size_t *rows = harness_xmalloc((rp->n_enc ? rp->n_enc : 1) * sizeof *rows);
    for (size_t e = 0; e < rp->n_enc; e++)
        total += rows[e] = grid_rows_of(&rp->enc[e]);
    if (total > 48) {
        size_t left = 0;
        best_max = total;
        for (size_t k = 1; k < rp->n_enc; k++) {
            left += rows[k - 1];
            size_t m = left > total - left ? left : total - left;
            if (m < best_max) {
                best_max = m;
                best = k;
            }
        }
    }
    fputs("<div class=\"limits\">\n", rp->f);
    if (best < rp->n_enc) {
        write_limit_grid(rp, 0, best, "Fraction of the memory limit (%)", 0);
        write_limit_grid(rp, best, rp->n_enc, "(continued)", 1);
    } else {
        write_limit_grid(rp, 0, rp->n_enc, "Fraction of the memory limit (%)", 1);
    }
    fputs("</div>\n<p class=\"explain\">The fraction of the memory limit: a row per shape, a "
          "column per backend, each cell the fastest memory pass over the same bytes in the run "
          "over the case's median, in % (100: as fast as moving the bytes at all; above 100 the "
          "data stayed in cache). Outlined: what dispatch picks; grey &#215;: skipped (hover "
          "for why, and any cell for its value).</p>\n",
          rp->f);
    free(rows);
}

/* The variants side by side: each model's variant cases (what dispatch picks) as their time
 * over plain RoPE's on the same shape. */
static void write_variant_chart(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    size_t cap = r->n_cases ? r->n_cases : 1, nc = 0;
    const char **cats = harness_xmalloc(cap * sizeof *cats);
    char(*labels)[160] = harness_xmalloc(cap * sizeof *labels);
    double *v = harness_xmalloc(cap * sizeof *v);
    for (size_t k = 0; k < r->n_cases; k++) {
        const run_case *c = &r->cases[k];
        const run_case *twin = variants_view_has(r, c) ? variants_view_twin(r, c) : NULL;
        if (!twin || !(twin->median_ns > 0) || !is_ok(c))
            continue;
        snprintf(labels[nc], sizeof labels[nc], "%s %s, %s", c->model, c->variant.name,
                 c->shape);
        cats[nc] = labels[nc];
        v[nc++] = c->median_ns / twin->median_ns;
    }
    if (nc) {
        /* one category and a series per case: rows labelled with the cases, one colour */
        plot_series *rows = harness_xmalloc(nc * sizeof *rows);
        for (size_t i = 0; i < nc; i++)
            rows[i] = (plot_series){cats[i], {"#0072B2", PLOT_MARKER_CIRCLE}, NULL, &v[i], 1,
                                    NULL};
        const char *cat = "";
        plot_bar_chart ch = {"Variants: time over plain RoPE on the same shape",
                             "variant time / plain-RoPE time", "\xC3\x97 plain RoPE", 1, &cat,
                             nc, rows, NULL, PLOT_LINEAR, 1.0, "plain RoPE = 1", SIDE_W};
        fputs("<figure>\n", f);
        plot_bar_chart_write(f, &ch);
        fputs("<figcaption>What dispatch picks; the variants section below has each one's "
              "accuracy per decade of position.</figcaption>\n</figure>\n",
              f);
        free(rows);
    }
    free(cats);
    free(labels);
    free(v);
}

static void write_overview(const report *rp)
{
    FILE *f = rp->f;
    fputs("<section id=\"overview\">\n<div class=\"overview\">\n<div>\n", f);
    if (!rp->n_enc)
        no_data(f, "This run has no speed cases.");
    else
        write_limit_grids(rp);
    fputs("</div>\n<div class=\"side\">\n", f);
    write_speed_accuracy(rp);
    write_variant_chart(rp);
    fputs("</div>\n</div>\n</section>\n", f);
}

/* ---- encoding time against attention-score time ------------------------------------------ */

static int has_attention(const run_case *c) { return is_ok(c) && !isnan(c->sgemm_median_ns); }

static double attention_fraction_of(const run_case *c)
{
    return has_attention(c) ? c->encoding_fraction : NAN;
}

static void write_attention(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    fputs("<section id=\"plot-attention\">\n<h2>Encoding time against attention scores</h2>\n"
          "<p class=\"explain\">Rotary prefill: the time to rotate q and k as a fraction of the "
          "time of the attention scores Q&middot;K<sup>T</sup> of the same layer (cblas_sgemm "
          "per head group, times the groups). 0.05 means the encoding adds 5% to the "
          "score computation.</p>\n",
          f);
    size_t n = 0;
    for (size_t k = 0; k < r->n_cases; k++)
        n += has_attention(&r->cases[k]);
    if (!n) {
        no_data(f, "No case in this run has an attention context (Q\xC2\xB7K\xE1\xB5\x80 timed "
                   "with cblas_sgemm): nothing to compare the encoding with.");
        fputs("</section>\n", f);
        return;
    }
    fputs("<div class=\"grid wide\">\n", f);
    for (size_t e = 0; e < rp->n_enc; e++) {
        const enc_grid *g = &rp->enc[e];
        /* only the shapes with an attention context, in the grid's order */
        size_t ng = 0, ni = g->impls.n;
        const char **cats = harness_xmalloc((g->groups.n ? g->groups.n : 1) * sizeof *cats);
        size_t *rows = harness_xmalloc((g->groups.n ? g->groups.n : 1) * sizeof *rows);
        for (size_t gi = 0; gi < g->groups.n; gi++) {
            int with = 0;
            for (size_t i = 0; i < ni; i++)
                with |= cell(g, gi, i) && has_attention(cell(g, gi, i));
            if (with) {
                cats[ng] = g->groups.v[gi];
                rows[ng++] = gi;
            }
        }
        if (ng) {
            double *v = harness_xmalloc(ng * ni * sizeof *v);
            plot_series *se = harness_xmalloc(ni * sizeof *se);
            plot_note *notes = harness_xmalloc(ng * ni * sizeof *notes);
            plot_range rg;
            plot_range_init(&rg);
            for (size_t i = 0; i < ni; i++) {
                for (size_t j = 0; j < ng; j++) {
                    const run_case *c = cell(g, rows[j], i);
                    v[i * ng + j] = c ? attention_fraction_of(c) : NAN;
                    plot_range_add(&rg, v[i * ng + j]);
                    notes[j * ni + i] = (plot_note){c && !is_ok(c) ? run_status_name(c->status)
                                                                     : NULL,
                                                    c ? c->reason : NULL};
                }
                se[i] = (plot_series){g->impls.v[i], style_of(rp, g->impls.v[i]), NULL,
                                      &v[i * ng], ng, NULL};
            }
            int log = wants_log(&rg);
            char title[96];
            snprintf(title, sizeof title, "%s: encoding time / Q\xC2\xB7K\xE1\xB5\x80 time",
                     run_encoding_name(g->encoding));
            plot_bar_chart ch = {title,
                                 log ? "fraction of the score time (log scale)"
                                     : "fraction of the score time",
                                 NULL, ng, cats, ni, se, notes, log ? PLOT_LOG10 : PLOT_LINEAR,
                                 NAN, NULL, WIDE_W};
            fputs("<figure>\n", f);
            plot_bar_chart_write(f, &ch);
            fputs("</figure>\n", f);
            free(v);
            free(se);
            free(notes);
        }
        free(cats);
        free(rows);
    }
    fputs("</div>\n<table class=\"data\">\n<tr><th>case</th><th>encoding median</th>"
          "<th>Q&middot;K<sup>T</sup>, one head group</th><th>Q&middot;K<sup>T</sup>, layer</th>"
          "<th>fraction</th></tr>\n",
          f);
    for (size_t k = 0; k < r->n_cases; k++) {
        const run_case *c = &r->cases[k];
        if (!has_attention(c))
            continue;
        char a[32], b[32], d[32], fr[32];
        fputs("<tr><td><code>", f);
        esc(f, c->id);
        fprintf(f, "</code></td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                   "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                fmt_time(a, sizeof a, c->median_ns), fmt_time(b, sizeof b, c->sgemm_median_ns),
                fmt_time(d, sizeof d, c->score_median_ns),
                fmt_g(fr, sizeof fr, c->encoding_fraction, 3));
    }
    fputs("</table>\n</section>\n", f);
}

/* ---- tables ----------------------------------------------------------------------------- */

static void swatch(const report *rp, const char *impl)
{
    html_swatch(rp->f, style_of(rp, impl).colour);
}

/* ---- threads: each case split over N threads against one thread and the memory pass ---- */

/* One chart per thread count N > 1: per case, the throughput on N threads over that on one
 * thread, for the kernel and for the memory pass over the same bytes, beside the line at N
 * (linear scaling); then the table of the same with the ratio to the N-thread memory pass. */
static void write_scaling(const report *rp)
{
    const run_record *r = rp->all;
    FILE *f = rp->f;
    if (!scaling_view_any(r))
        return;
    fputs("<section id=\"scaling\">\n<h2>Threads: scaling</h2>\n<p class=\"explain\">Each case "
          "split over N threads that share one plan, thread i taking tokens (alibi: query rows) "
          "[i T/N, (i+1) T/N), timed in wall-clock time for the whole call, beside a memory "
          "pass over the same bytes on N threads, each thread its slice. A bar is the median "
          "wall-clock time on one thread divided by the median on N threads: the throughput "
          "gained (wall-clock time on both sides, so other work on the machine slows both); "
          "the dashed line at N is linear scaling. The memory pass's bar shows what the "
          "memory system gives N threads on the same bytes. Cases of what dispatch picks "
          "(every implementation when the run has none).</p>\n",
          f);
    scaling_row *rows;
    size_t n = scaling_view_rows(r, 1, &rows);
    if (!n)
        n = scaling_view_rows(r, 0, &rows);
    int counts[16];
    size_t nt = scaling_view_thread_counts(r, counts, 16);
    fputs("<div class=\"grid wide\">\n", f);
    for (size_t t = 0; t < nt; t++) {
        size_t nc = 0;
        const char **cats = harness_xmalloc((n ? n : 1) * sizeof *cats);
        char(*labels)[sizeof rows->c->group + sizeof rows->c->implementation + 2] =
            harness_xmalloc((n ? n : 1) * sizeof *labels);
        double *v = harness_xmalloc(2 * (n ? n : 1) * sizeof *v);
        plot_range rg;
        plot_range_init(&rg);
        for (size_t i = 0; i < n; i++) {
            if (rows[i].threads != counts[t])
                continue;
            /* the case as one thread names it; with every implementation shown, and which */
            const run_case *c = rows[i].one ? rows[i].one : rows[i].c;
            snprintf(labels[nc], sizeof labels[nc], "%s%s%s", c->group, c->dispatched ? "" : " ",
                     c->dispatched ? "" : c->implementation);
            cats[nc] = labels[nc];
            v[nc] = rows[i].speedup;
            v[n + nc] = rows[i].mempass_speedup;
            plot_range_add(&rg, rows[i].speedup);
            plot_range_add(&rg, rows[i].mempass_speedup);
            nc++;
        }
        if (nc && rg.min <= rg.max) {
            char title[64], line[48], kernel[48], pass[48];
            snprintf(title, sizeof title, "%d threads against 1", counts[t]);
            snprintf(line, sizeof line, "%d\xC3\x97: linear", counts[t]);
            snprintf(kernel, sizeof kernel, "kernel on %d threads", counts[t]);
            snprintf(pass, sizeof pass, "memory pass on %d threads", counts[t]);
            plot_range_add(&rg, 0);
            plot_range_add(&rg, counts[t]);
            plot_series se[2] = {
                {kernel, {"#0072B2", PLOT_MARKER_CIRCLE}, NULL, v, nc, NULL},
                {pass, {"#000000", PLOT_MARKER_SQUARE}, NULL, v + n, nc, NULL},
            };
            plot_bar_chart ch = {title, "throughput on N threads / on 1 thread",
                                 "\xC3\x97 one thread's throughput", nc, cats, 2, se, NULL,
                                 PLOT_LINEAR, (double)counts[t], line, WIDE_W};
            fputs("<figure>\n", f);
            plot_bar_chart_write(f, &ch);
            fputs("</figure>\n", f);
        } else {
            char msg[96];
            snprintf(msg, sizeof msg, "No case ran on %d threads and on one.", counts[t]);
            no_data(f, msg);
        }
        free(cats);
        free(labels);
        free(v);
    }
    fputs("</div>\n<table class=\"data\">\n<tr><th>case</th><th>implementation</th>"
          "<th>threads</th><th>median</th><th>vs 1 thread</th><th>memory pass vs 1 thread</th>"
          "<th>time / memory pass (N threads)</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const scaling_row *s = &rows[i];
        char med[32], a[32], b[32], c[32];
        fputs("<tr><td><code>", f);
        esc(f, s->c->group);
        fputs("</code></td><td class=\"impl\">", f);
        swatch(rp, s->c->implementation);
        esc(f, s->c->implementation);
        fprintf(f, "</td><td class=\"num\">%d</td><td class=\"num\">%s</td>"
                   "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
                   "<td class=\"num\">%s</td></tr>\n",
                s->threads, fmt_time(med, sizeof med, s->c->median_ns),
                fmt_g(a, sizeof a, s->speedup, 3), fmt_g(b, sizeof b, s->mempass_speedup, 3),
                fmt_g(c, sizeof c, s->ratio_to_mempass, 3));
    }
    fputs("</table>\n", f);
    free(rows);
    fputs("</section>\n", f);
}

static void write_case_table(const report *rp)
{
    const run_record *r = rp->all;
    FILE *f = rp->f;
    fputs("<section id=\"table-cases\">\n<h2>Every case</h2>\n", f);
    if (!r->n_cases) {
        no_data(f, "This run has no speed cases.");
        fputs("</section>\n<section id=\"skipped\">\n<h2>Skipped and failed cases</h2>\n"
              "<p>No cases, none skipped.</p>\n</section>\n",
              f);
        return;
    }
    fputs("<table class=\"data\">\n<tr><th>case</th><th>implementation</th><th>median</th>"
          "<th>ns / element</th><th>time / memory pass</th><th>speedup over scalar</th>"
          "<th>repetitions</th><th>status</th></tr>\n",
          f);
    for (size_t k = 0; k < r->n_cases; k++) {
        const run_case *c = &r->cases[k];
        const char *cls = is_ok(c) ? "" : run_status_name(c->status);
        char med[32], npe[32], ratio[32], sp[32];
        fprintf(f, "<tr class=\"%s\"><td><code>", cls);
        esc(f, c->id);
        fputs("</code></td><td class=\"impl\">", f);
        swatch(rp, c->implementation);
        esc_impl(f, c->implementation);
        fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                   "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%d</td>"
                   "<td>",
                fmt_time(med, sizeof med, c->median_ns),
                fmt_g(npe, sizeof npe, c->ns_per_element, 4),
                fmt_g(ratio, sizeof ratio, c->ratio_to_mempass, 3),
                fmt_g(sp, sizeof sp, c->speedup_over_scalar, 3), c->repetitions);
        esc(f, run_status_name(c->status));
        if (c->reason[0]) {
            fputs(": ", f);
            esc(f, c->reason);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n</section>\n", f);

    fputs("<section id=\"skipped\">\n<h2>Skipped and failed cases</h2>\n", f);
    size_t n = 0;
    for (size_t k = 0; k < r->n_cases; k++) {
        const run_case *c = &r->cases[k];
        if (is_ok(c))
            continue;
        fputs(n++ ? "" : "<ul class=\"skipped\">\n", f);
        fputs("<li><code>", f);
        esc(f, c->id);
        fputs("</code>: ", f);
        esc(f, run_status_name(c->status));
        fputs(" " EM_DASH " ", f);
        esc(f, c->reason[0] ? c->reason : "no reason recorded");
        fputs("</li>\n", f);
    }
    fputs(n ? "</ul>\n" : "<p>Every case ran.</p>\n", f);
    fputs("</section>\n", f);
}

/* What each instruction count covers: the implementation counted (a stand-in for an avx512
 * one under valgrind) and how. Only in a run that counted (posenc bench --instructions). */
static void write_instruction_table(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    if (!run_has_instruction_info(r))
        return;
    fputs("<section id=\"table-instructions\">\n<h2>Instruction counts</h2>\n"
          "<p class=\"explain\">Instructions retired by one call, counted around the call "
          "(perf) or under valgrind's callgrind. Valgrind cannot run AVX-512: an avx512 kernel "
          "is counted through its avx2 instantiation of the same kernel template, named in "
          "<em>counted</em>; its time is still its own.</p>\n<table class=\"data\">\n"
          "<tr><th>case</th><th>implementation</th><th>counted</th>"
          "<th>instructions / element</th><th>per call</th><th>source</th><th>note</th></tr>\n",
          f);
    for (size_t k = 0; k < r->n_cases; k++) {
        const run_case *c = &r->cases[k];
        if (!is_ok(c))
            continue;
        const int counted = c->instructions_source[0] != '\0';
        char per_elem[32], per_call[32];
        fputs("<tr><td><code>", f);
        esc(f, c->id);
        fputs("</code></td><td class=\"impl\">", f);
        esc_impl(f, c->implementation);
        fputs("</td><td>", f);
        esc(f, !counted ? "" : c->instructions_impl[0] ? c->instructions_impl : c->implementation);
        snprintf(per_call, sizeof per_call, "%llu", (unsigned long long)c->instructions);
        fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>",
                counted ? fmt_g(per_elem, sizeof per_elem, c->instructions_per_element, 5) : "",
                counted ? per_call : "");
        esc(f, c->instructions_source);
        fputs("</td><td>", f);
        esc(f, c->instructions_note);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n</section>\n", f);
}

/* Exact mode on bf16 and fp16 data beside float32, per implementation (accuracy_dtype_view.h). */
static void write_dtype_accuracy_table(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    size_t n = accuracy_dtype_rows(r, NULL, 0);
    if (!n)
        return;
    const run_accuracy **rows = harness_xmalloc(n * sizeof *rows);
    accuracy_dtype_rows(r, rows, n);
    fputs("<section id=\"table-dtypes\">\n<h2>Accuracy on bf16 and fp16 data, beside float32"
          "</h2>\n<p class=\"explain\">", f);
    esc(f, accuracy_dtype_explain);
    fputs("</p>\n<table class=\"data\">\n<tr><th>implementation</th>", f);
    for (int t = 0; t < DTYPE_VIEW_N; t++)
        fprintf(f, "<th>%s</th><th>within bound</th>", run_dtype_name((run_dtype)t));
    fputs("</tr>\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><td class=\"impl\">", f);
        swatch(rp, rows[i]->implementation);
        esc_impl(f, rows[i]->implementation);
        fputs("</td>", f);
        for (int t = 0; t < DTYPE_VIEW_N; t++) {
            const run_accuracy *a = accuracy_dtype_record(r, rows[i], t);
            char cell[64];
            accuracy_dtype_cell(a, cell, sizeof cell);
            const char *v = accuracy_dtype_verdict(a);
            fputs("<td class=\"num\">", f);
            esc(f, cell);
            fprintf(f, "</td><td class=\"%s\">%s</td>",
                    !strcmp(v, "ok") ? "pass" : !strcmp(v, "over bound") ? "fail" : "",
                    !strcmp(v, "ok") ? "yes" : !strcmp(v, "over bound") ? "NO" : v);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n</section>\n", f);
    free(rows);
}

static void write_accuracy_table(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    fputs("<section id=\"table-accuracy\">\n<h2>Every accuracy record</h2>\n"
          "<p class=\"explain\">Errors in u = 2<sup>-24</sup> against the MPFR oracle over the "
          "sampled positions; the rotary apply error is per pair relative to "
          "max(|a|,|b|). bf16 and f16 data: also in ulps of the type beyond the float32 bound "
          "(values / apply / bound).</p>\n",
          f);
    if (!r->n_accuracy) {
        no_data(f, "This run has no accuracy records.");
        fputs("</section>\n", f);
        return;
    }
    fputs("<table class=\"data\">\n<tr><th>implementation</th><th>encoding</th><th>angles</th>"
          "<th>data</th><th>bound (u)</th><th>max err (u)</th><th>max ulp</th><th>mean err (u)</th>"
          "<th>worst position</th><th>worst index</th><th>values checked</th>"
          "<th>apply max err (u) / bound</th><th>type ulp</th><th>within bound</th>"
          "<th>bit-exact</th></tr>\n",
          f);
    for (size_t k = 0; k < r->n_accuracy; k++) {
        const run_accuracy *a = &r->accuracy[k];
        char b[32], me[32], mu[32], mn[32], ch[32], am[32], ab[32];
        fputs("<tr><td class=\"impl\">", f);
        swatch(rp, a->implementation);
        esc_impl(f, a->implementation);
        fputs("</td><td>", f);
        esc(f, run_encoding_name(a->encoding));
        fputs("</td><td>", f);
        esc(f, run_angle_mode_name(a->angle_mode));
        fputs("</td><td>", f);
        esc(f, run_dtype_name(a->dtype));
        fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                   "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
                   "<td class=\"num\">%lld</td><td class=\"num\">%d ",
                fmt_g(b, sizeof b, a->bound_u, 4), fmt_g(me, sizeof me, a->max_err_u, 4),
                fmt_g(mu, sizeof mu, a->max_ulp, 4), fmt_g(mn, sizeof mn, a->mean_err_u, 3),
                (long long)a->worst_position, (int)a->worst_index);
        esc(f, a->worst_value);
        fprintf(f, "</td><td class=\"num\">%s</td>", fmt_count(ch, sizeof ch, a->values_checked));
        if (isnan(a->apply_max_err_u) && isnan(a->apply_bound_u))
            fputs("<td class=\"num\">" EM_DASH "</td>", f);
        else
            fprintf(f, "<td class=\"num\">%s / %s</td>",
                    fmt_g(am, sizeof am, a->apply_max_err_u, 4),
                    fmt_g(ab, sizeof ab, a->apply_bound_u, 4));
        if (a->dtype == RUN_DTYPE_F32 || (isnan(a->max_err_type_ulp) && isnan(a->bound_type_ulp)))
            fputs("<td class=\"num\">" EM_DASH "</td>", f);
        else
            fprintf(f, "<td class=\"num\">%s / %s / %s</td>",
                    fmt_g(me, sizeof me, a->max_err_type_ulp, 4),
                    fmt_g(am, sizeof am, a->apply_max_err_type_ulp, 4),
                    fmt_g(ab, sizeof ab, a->bound_type_ulp, 4));
        fprintf(f, "<td class=\"%s\">%s</td><td>%s</td></tr>\n",
                a->within_bound == 1 ? "pass" : a->within_bound == 0 ? "fail" : "",
                a->within_bound == 1   ? "yes"
                : a->within_bound == 0 ? "NO"
                                       : "no bound",
                a->bit_exact == 1 ? "yes" : EM_DASH);
    }
    fputs("</table>\n</section>\n", f);
}

/* ---- float32, bfloat16 and float16 ----------------------------------------------------- */

/* Fixed styles, Okabe-Ito colours no backend is pinned to: one per element type. */
static const plot_style dtype_styles[DTYPE_VIEW_N] = {
    {"#0072B2", PLOT_MARKER_CIRCLE}, {"#D55E00", PLOT_MARKER_SQUARE},
    {"#009E73", PLOT_MARKER_TRIANGLE}};

/* A case's median and ratio to its own memory pass as two table cells. */
static void dtype_cells(FILE *f, const run_case *c)
{
    char t[32], ra[32];
    if (!c)
        fputs("<td class=\"num\">" EM_DASH "</td><td class=\"num\">" EM_DASH "</td>", f);
    else if (!is_ok(c)) {
        fputs("<td colspan=\"2\">", f);
        esc(f, run_status_name(c->status));
        fputs("</td>", f);
    } else
        fprintf(f, "<td class=\"num\">%s</td><td class=\"num\">%s</td>",
                fmt_time(t, sizeof t, c->median_ns), fmt_g(ra, sizeof ra, c->ratio_to_mempass, 3));
}

/* 1 when row k is the one the chart shows for its group: the dispatched row, or without one
 * the group's first. */
static int stands_for_group(const dtype_view_row *rows, size_t n, size_t k)
{
    if (rows[k].dispatched)
        return 1;
    for (size_t j = 0; j < n; j++)
        if (j != k && !strcmp(rows[j].group, rows[k].group) && (rows[j].dispatched || j < k))
            return 0;
    return 1;
}

/* Each case that also ran on 16-bit data: a chart of the ratio to the memory pass of what
 * dispatch picks (else the first implementation) per type, then every implementation's
 * medians and ratios side by side. */
static void write_dtypes(const report *rp)
{
    FILE *f = rp->f;
    size_t n = 0;
    dtype_view_row *rows = dtype_view_rows(rp->r, &n);
    fputs("<section id=\"dtypes\">\n<h2>Float32, bfloat16 and float16</h2>\n"
          "<p class=\"explain\">The cases that also ran on 16-bit data, on each element type: "
          "the median and its ratio to its own memory pass over the same bytes in the same run "
          "(float32: <code>mempass_rw</code>, bfloat16: <code>mempass_rw_bf16</code>, float16: "
          "<code>mempass_rw_f16</code>; learned: <code>mempass_rw_r32</code>, "
          "<code>mempass_rw_bf16_r32</code> and <code>mempass_rw_f16_r32</code>, which also read "
          "the float32 rows of W the kernel reads; each the fastest of its ways in the run), and "
          "each 16-bit median over the float32 one.</p>\n", f);
    if (!rows) {
        no_data(f, "This run has no case on 16-bit data.");
        fputs("</section>\n", f);
        return;
    }
    /* the chart: one row per group, the dispatched one where there is one */
    const char **cats = harness_xmalloc(n * sizeof *cats);
    double *v = harness_xmalloc(DTYPE_VIEW_N * n * sizeof *v);
    plot_note *notes = harness_xmalloc(n * DTYPE_VIEW_N * sizeof *notes);
    size_t nc = 0;
    plot_range rg;
    plot_range_init(&rg);
    for (size_t k = 0; k < n; k++) {
        if (!stands_for_group(rows, n, k))
            continue;
        for (int t = 0; t < DTYPE_VIEW_N; t++) {
            const run_case *c = rows[k].by_type[t];
            double x = c && is_ok(c) ? c->ratio_to_mempass : NAN;
            v[t * n + nc] = isfinite(x) ? x : NAN;
            plot_range_add(&rg, x);
            notes[nc * DTYPE_VIEW_N + t] = (plot_note){c && !is_ok(c) ? run_status_name(c->status)
                                                                        : NULL,
                                                       c ? c->reason : NULL};
        }
        cats[nc++] = rows[k].group;
    }
    plot_series se[DTYPE_VIEW_N];
    for (int t = 0; t < DTYPE_VIEW_N; t++)
        se[t] = (plot_series){run_dtype_name((run_dtype)t), dtype_styles[t], NULL, &v[t * n], nc,
                              NULL};
    if (rg.min <= rg.max) {
        plot_range_add(&rg, 1);
        int log = wants_log(&rg);
        plot_bar_chart ch = {"time / memory pass by element type",
                             log ? "time / memory-pass time (log scale)"
                                 : "time / memory-pass time",
                             "\xC3\x97 memory pass", nc, cats, DTYPE_VIEW_N, se, notes,
                             log ? PLOT_LOG10 : PLOT_LINEAR, 1.0, "memory pass = 1", WIDE_W};
        fputs("<figure>\n", f);
        plot_bar_chart_write(f, &ch);
        fputs("<figcaption>What dispatch picks (else the first implementation) on each "
              "shape.</figcaption>\n</figure>\n", f);
    }
    free(cats);
    free(v);
    free(notes);

    fputs("<table class=\"data\">\n<tr><th rowspan=\"2\">case</th>"
          "<th rowspan=\"2\">implementation</th>", f);
    for (int t = 0; t < DTYPE_VIEW_N; t++)
        fprintf(f, "<th colspan=\"2\">%s</th>", run_dtype_name((run_dtype)t));
    for (int t = 1; t < DTYPE_VIEW_N; t++)
        fprintf(f, "<th rowspan=\"2\">%s / f32</th>", run_dtype_name((run_dtype)t));
    fputs("</tr>\n<tr>", f);
    for (int t = 0; t < DTYPE_VIEW_N; t++)
        fputs("<th>median</th><th>/ memory pass</th>", f);
    fputs("</tr>\n", f);
    for (size_t k = 0; k < n; k++) {
        const dtype_view_row *row = &rows[k];
        fputs("<tr><td>", f);
        esc(f, row->group);
        fputs("</td><td class=\"impl\">", f);
        swatch(rp, row->implementation);
        if (row->dispatched)
            fputs("dispatch: ", f);
        esc_impl(f, row->implementation);
        fputs("</td>", f);
        for (int t = 0; t < DTYPE_VIEW_N; t++)
            dtype_cells(f, row->by_type[t]);
        for (int t = 1; t < DTYPE_VIEW_N; t++) {
            const double x = dtype_view_vs_f32(row, t);
            char b[32] = EM_DASH;
            if (isfinite(x))
                snprintf(b, sizeof b, "%.2f\xC3\x97", x);
            fprintf(f, "<td class=\"num\">%s</td>", b);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n</section>\n", f);
    free(rows);
}

/* ---- the variants view ------------------------------------------------------------------ */

static void write_variants(const report *rp)
{
    const run_record *r = rp->r;
    FILE *f = rp->f;
    const char *models[64];
    size_t n = variants_view_models(r, models, 64);
    if (!n)
        return;
    fputs("<section id=\"variants\">\n<h2>Variants</h2>\n"
          "<p class=\"explain\">Each model of the models file with its variants side by side, on "
          "what dispatch picks: the median and its ratio to the memory pass, against plain RoPE "
          "on the same shape (<code>-rope</code>), and for alibi against Q.K<sup>T</sup> of "
          "every head. Accuracy: each variant swept against the oracle, the max error per decade "
          "of position in u (alibi: ulps of the correctly rounded bias), with exact angles and "
          "the recipes fp32, bf16 and fp16 (alibi: fp32 only; fp16 below position 65520), each "
          "recipe also as its ratio to exact.</p>\n", f);
    for (size_t m = 0; m < n; m++) {
        fputs("<h3>", f);
        esc(f, models[m]);
        fputs("</h3>\n<table class=\"data\">\n<tr><th>variant</th><th>case</th>"
              "<th>implementation</th><th>median</th><th>ratio to memory pass</th>"
              "<th>attention factor</th><th>vs plain RoPE</th><th>Q.K<sup>T</sup> (all heads)"
              "</th><th>encoding / Q.K<sup>T</sup></th></tr>\n", f);
        const char *seen[32];
        size_t n_seen = 0;
        for (size_t i = 0; i < r->n_cases; i++) {
            const run_case *c = &r->cases[i];
            if (strcmp(c->model, models[m]) || !variants_view_has(r, c))
                continue;
            size_t k = 0;
            while (k < n_seen && strcmp(seen[k], c->variant.name))
                k++;
            if (k == n_seen && n_seen < 32)
                seen[n_seen++] = c->variant.name;
            const run_case *twin = variants_view_twin(r, c);
            char t[32], ra[32], af[32], vs[32] = EM_DASH, qk[32] = EM_DASH, fr[32] = EM_DASH;
            if (twin && twin->median_ns > 0)
                snprintf(vs, sizeof vs, "%.2f\xC3\x97", c->median_ns / twin->median_ns);
            if (isfinite(c->score_median_ns)) {
                fmt_time(qk, sizeof qk, c->score_median_ns);
                snprintf(fr, sizeof fr, "%.1f%%", 100.0 * c->encoding_fraction);
            }
            fputs("<tr><td>", f);
            esc(f, c->variant.name);
            fputs("</td><td>", f);
            esc(f, c->group);
            fputs("</td><td class=\"impl\">", f);
            swatch(rp, c->implementation);
            esc_impl(f, c->implementation);
            fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                       "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
                       "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                    fmt_time(t, sizeof t, c->median_ns), fmt_g(ra, sizeof ra,
                                                               c->ratio_to_mempass, 3),
                    fmt_g(af, sizeof af, c->variant.attention_factor, 6), vs, qk, fr);
        }
        fputs("</table>\n<table class=\"data\">\n<tr><th>variant</th><th>implementation</th>"
              "<th>angles</th>", f);
        for (int d = VARIANTS_FIRST_DECADE; d < RUN_N_DECADES; d++)
            fprintf(f, "<th>1e%d</th>", d);
        fputs("<th>bound</th><th>within</th></tr>\n", f);
        for (size_t k = 0; k < n_seen; k++) {
            const run_variant_accuracy *rows[VARIANTS_N_MODES];
            int any = 0;
            for (int mo = 0; mo < VARIANTS_N_MODES; mo++)
                any |= (rows[mo] = variants_view_accuracy(r, models[m], seen[k],
                                                          (run_angle_mode)mo)) != NULL;
            const run_variant_accuracy *ex = rows[0];
            if (!any) {
                fputs("<tr><td>", f);
                esc(f, seen[k]);
                fprintf(f, "</td><td colspan=\"%d\">not swept (the oracle has no frequencies "
                           "for it, or --no-accuracy)</td></tr>\n",
                        RUN_N_DECADES - VARIANTS_FIRST_DECADE + 4);
                continue;
            }
            for (int mo = 0; mo < VARIANTS_N_MODES; mo++) {
                if (!rows[mo])
                    continue;
                const run_accuracy *a = &rows[mo]->acc;
                char b[32];
                fputs("<tr><td>", f);
                esc(f, seen[k]);
                fputs("</td><td class=\"impl\">", f);
                esc_impl(f, a->implementation);
                fputs("</td><td>", f);
                esc(f, run_angle_mode_name(a->angle_mode));
                fputs("</td>", f);
                for (int d = VARIANTS_FIRST_DECADE; d < RUN_N_DECADES; d++) {
                    char v[32];
                    fprintf(f, "<td class=\"num\">%s</td>",
                            fmt_g(v, sizeof v, variants_view_decade_error(a, d), 4));
                }
                fprintf(f, "<td class=\"num\">%s</td><td class=\"%s\">%s</td></tr>\n",
                        fmt_g(b, sizeof b, a->bound_u, 4),
                        a->within_bound == 1 ? "pass" : a->within_bound == 0 ? "fail" : "",
                        a->within_bound == 1   ? "yes"
                        : a->within_bound == 0 ? "NO"
                                               : "no bound");
            }
            for (int mo = 1; mo < VARIANTS_N_MODES; mo++) {
                const run_variant_accuracy *fp = rows[mo]; /* a recipe over exact angles */
                if (!ex || !fp)
                    continue;
                fputs("<tr><td>", f);
                esc(f, seen[k]);
                fputs("</td><td class=\"impl\">", f);
                esc_impl(f, ex->acc.implementation);
                fprintf(f, "</td><td>%s / exact</td>", run_angle_mode_name((run_angle_mode)mo));
                for (int d = VARIANTS_FIRST_DECADE; d < RUN_N_DECADES; d++) {
                    double e = variants_view_decade_error(&ex->acc, d);
                    double x = variants_view_decade_error(&fp->acc, d);
                    char v[32] = EM_DASH;
                    if (isfinite(e) && isfinite(x) && e > 0)
                        snprintf(v, sizeof v, "%.3g\xC3\x97", x / e);
                    fprintf(f, "<td class=\"num\">%s</td>", v);
                }
                fputs("<td></td><td></td></tr>\n", f);
            }
        }
        fputs("</table>\n", f);
    }
    fputs("</section>\n", f);
}

/* ---- the file --------------------------------------------------------------------------- */

static void write_document(report *rp)
{
    FILE *f = rp->f;
    char title[200];
    snprintf(title, sizeof title, "posenc report %s", rp->r->id);
    html_page_open(f, title);
    write_header(rp);
    write_overview(rp);
    write_facts(rp);
    html_details_open(f, NULL, "Speed per case: time per element, speedup over scalar, "
                               "fraction of the memory limit", 0);
    write_ns_per_element(rp);
    write_speedup(rp);
    write_memory_fraction(rp);
    html_details_close(f);
    html_details_open(f, NULL, "Accuracy against position, per encoding and angle mode", 0);
    write_accuracy_by_position(rp);
    html_details_close(f);
    html_details_open(f, NULL, "Encoding time against the attention scores", 0);
    write_attention(rp);
    html_details_close(f);
    html_details_open(f, NULL, "Float32, bfloat16 and float16", 0);
    write_dtypes(rp);
    html_details_close(f);
    if (variants_view_models(rp->r, (const char *[1]){NULL}, 1)) {
        html_details_open(f, NULL, "Variants: each model's variants, their times and accuracy",
                          0);
        write_variants(rp);
        html_details_close(f);
    }
    if (rp->r->analysis) {
        html_details_open(f, NULL, "What the encodings do to attention", 0);
        analysis_html_section(rp->r->analysis, f);
        html_details_close(f);
    }
    if (scaling_view_any(rp->all)) {
        html_details_open(f, NULL, "Threads: scaling", 0);
        write_scaling(rp);
        html_details_close(f);
    }
    html_details_open(f, NULL, "Tables: every case, the skipped ones, instruction counts and "
                               "every accuracy record", 0);
    write_case_table(rp);
    write_instruction_table(rp);
    write_dtype_accuracy_table(rp);
    write_accuracy_table(rp);
    html_details_close(f);
    snprintf(title, sizeof title, "Run record schema version %d; run.json holds the same "
                                  "results for programs.", RUN_SCHEMA_VERSION);
    html_page_close(f, title);
}

int report_write_html(const run_record *r, const char *path)
{
    report_file rf;
    if (report_file_open(&rf, path))
        return -1;
    run_record one;
    run_case *keep = scaling_view_one_thread(r, &one);
    report rp = {&one, r, rf.f, {0}, 0, NULL};
    build_grids(&rp);
    write_document(&rp);
    free_grids(&rp);
    free(keep);
    return report_file_commit(&rf);
}
