/* merge_html.c - merge.html: the merged runs as one self-contained page (inline CSS and SVG,
 * nothing fetched, no scripts): the machines, the fastest backend per case, a grouped bar chart
 * per case group of the chosen figure by machine, the full matrix and the accuracy table.
 * Emulated machines get charts and columns of their own, greyed: their times measure qemu. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_util.h"
#include "html_page.h"
#include "merge_out.h"
#include "svg_plot.h"

#define CHART_W 600 /* two charts side by side on the 1240 px page */
#define EM_DASH HTML_EM_DASH

static void esc(FILE *f, const char *s) { html_esc(f, s); }

/* A note's text, written for merge.md: its `code` spans become <code>. */
static void esc_notes(FILE *f, const char *s)
{
    size_t n = strlen(s);
    char *copy = harness_xmalloc(n + 1), *part = copy;
    memcpy(copy, s, n + 1);
    int in_code = 0;
    for (char *tick; (tick = strchr(part, '`')); part = tick + 1) {
        *tick = '\0';
        esc(f, part);
        fputs(in_code ? "</code>" : "<code>", f);
        in_code = !in_code;
    }
    esc(f, part);
    if (in_code)
        fputs("</code>", f);
    free(copy);
}

typedef struct page {
    const merge_set *s;
    FILE *f;
    plot_palette palette;
} page;

static plot_style style_of(const page *p, const char *impl)
{
    return plot_palette_style(&p->palette, merge_backend_of(impl));
}

static void swatch(const page *p, const char *impl) { html_swatch(p->f, style_of(p, impl).colour); }

static int emulated(const merge_set *s, size_t m) { return s->machines[m].run->emulated; }

static void fmt_metric(char *buf, size_t n, double v, merge_metric m)
{
    if (isnan(v))
        snprintf(buf, n, EM_DASH);
    else if (m == MERGE_NS_PER_ELEMENT)
        snprintf(buf, n, v < 1000 ? "%.3g" : "%.0f", v);
    else
        snprintf(buf, n, v < 100 ? "%.2f\xC3\x97" : "%.0f\xC3\x97", v);
}

/* <th> of a machine column: its tag and label, greyed when emulated */
static void machine_th(const page *p, size_t m)
{
    const merge_machine *mm = &p->s->machines[m];
    fprintf(p->f, "<th%s>%s ", emulated(p->s, m) ? " class=\"emu\"" : "", mm->tag);
    esc(p->f, mm->label);
    fputs("</th>", p->f);
}

static void write_header(const page *p)
{
    const merge_set *s = p->s;
    FILE *f = p->f;
    size_t n_emu = 0; /* quick runs are one of the notes under the machines */
    for (size_t m = 0; m < s->n_machines; m++)
        n_emu += emulated(s, m) != 0;
    fprintf(f, "<header>\n<h1>posenc merge</h1>\n<p class=\"sub\">%zu run%s; speed figure: ",
            s->n_machines, s->n_machines == 1 ? "" : "s");
    esc(f, merge_metric_title(s->metric));
    fputs(" (", f);
    esc(f, merge_metric_explain(s->metric));
    fputs(").</p>\n", f);
    if (n_emu)
        fputs("<p class=\"banner emulated\"><strong>Emulated runs.</strong> Machines marked "
              "<em>emulated</em> ran under qemu: their times measure the emulator, so their "
              "charts and columns are greyed and say only what ran. Their accuracy figures "
              "count.</p>\n",
              f);
    fputs("</header>\n", f);
    static const html_link contents[] = {{"machines", "machines"},
                                         {"fastest", "fastest backend"},
                                         {"charts", "charts"},
                                         {"matrix", "every case"},
                                         {"accuracy", "accuracy"}};
    html_nav(f, contents, sizeof contents / sizeof contents[0]);
}

static void write_machines(const page *p)
{
    const merge_set *s = p->s;
    FILE *f = p->f;
    html_section_open(f, "machines", "Machines");
    fputs("<table class=\"data\">\n<tr><th></th>"
          "<th>CPU</th><th>ISA set used</th><th>arch</th><th>run</th><th>started (UTC)</th>"
          "<th>build</th><th>host</th><th></th></tr>\n",
          f);
    for (size_t m = 0; m < s->n_machines; m++) {
        const merge_machine *mm = &s->machines[m];
        const run_record *r = mm->run;
        char build[128];
        snprintf(build, sizeof build, "%s %.7s%s", r->posenc_version,
                 r->git_revision[0] ? r->git_revision : "(unknown commit)",
                 r->git_dirty == 1 ? " (dirty)" : "");
        const char *cls = r->emulated ? " class=\"emu\"" : "";
        fprintf(f, "<tr><td%s>%s</td><td%s>", cls, mm->tag, cls);
        esc(f, r->cpu_model);
        fprintf(f, "</td><td%s>", cls);
        esc(f, r->cpu_features[0] ? r->cpu_features : "none");
        fprintf(f, "</td><td%s>", cls);
        esc(f, r->arch);
        fprintf(f, "</td><td%s><code>", cls);
        esc(f, r->id[0] ? r->id : mm->source);
        fprintf(f, "</code></td><td%s>", cls);
        esc(f, r->started_utc);
        fprintf(f, "</td><td%s>", cls);
        esc(f, build);
        fprintf(f, "</td><td%s>", cls);
        esc(f, r->host);
        fprintf(f, "</td><td%s>%s%s%s</td></tr>\n", cls,
                r->emulated ? "<strong>emulated</strong>: speed for correctness only" : "",
                r->emulated && r->quick ? "; " : "", r->quick ? "quick" : "");
    }
    fputs("</table>\n", f);
    if (s->n_notes) {
        fputs("<ul class=\"notes\">\n", f);
        for (size_t i = 0; i < s->n_notes; i++) {
            fputs("<li>", f);
            esc_notes(f, s->notes[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    html_section_close(f);
}

static void write_fastest(const page *p)
{
    const merge_set *s = p->s;
    FILE *f = p->f;
    html_section_open(f, "fastest", "Fastest backend per case");
    fputs("<p class=\"explain\">"
          "The implementation with the lowest median on each machine, with its ns per "
          "element.</p>\n<table class=\"data\">\n<tr><th>case</th>",
          f);
    for (size_t m = 0; m < s->n_machines; m++)
        machine_th(p, m);
    fputs("</tr>\n", f);
    for (size_t g = 0; g < s->n_groups; g++) {
        const merge_group *gr = &s->groups[g];
        fputs("<tr><td><code>", f);
        esc(f, gr->group);
        fputs("</code></td>", f);
        for (size_t m = 0; m < s->n_machines; m++) {
            long row = gr->fastest[m];
            if (row < 0) {
                fprintf(f, "<td%s>" EM_DASH "</td>", emulated(s, m) ? " class=\"emu\"" : "");
            } else if (emulated(s, m)) {
                fputs("<td class=\"emu\" title=\"emulated: the times measure qemu\">"
                      "(emulated)</td>",
                      f);
            } else {
                char v[32];
                const char *impl = s->rows[row].implementation;
                fmt_metric(v, sizeof v, merge_cell(s, (size_t)row, m)->ns_per_element,
                           MERGE_NS_PER_ELEMENT);
                fputs("<td class=\"impl\">", f);
                swatch(p, impl);
                esc(f, merge_backend_of(impl));
                fprintf(f, " (%s)</td>", v);
            }
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    html_section_close(f);
}

/* One bar chart of the group over the machines with emulated == emu: a category per machine,
 * a bar per implementation. Returns 0 when no machine of that kind has anything to show. */
static int group_chart(const page *p, const merge_group *gr, int emu)
{
    const merge_set *s = p->s;
    size_t nm = 0, ni = 0;
    for (size_t m = 0; m < s->n_machines; m++)
        nm += !emulated(s, m) == !emu;
    if (!nm)
        return 0;
    size_t *mach = harness_xmalloc(nm * sizeof *mach);
    size_t *rows = harness_xmalloc(gr->n_rows * sizeof *rows);
    const char **cats = harness_xmalloc(nm * sizeof *cats);
    char (*names)[MERGE_LABEL_MAX + 32] = harness_xmalloc(nm * sizeof *names);
    nm = 0;
    for (size_t m = 0; m < s->n_machines; m++)
        if (!emulated(s, m) == !emu) {
            snprintf(names[nm], sizeof names[nm], "%s %s", s->machines[m].tag,
                     s->machines[m].label);
            cats[nm] = names[nm];
            mach[nm++] = m;
        }
    for (size_t i = gr->first_row; i < gr->first_row + gr->n_rows; i++)
        if (!s->rows[i].dispatch) /* it repeats one of the bars */
            rows[ni++] = i;
    size_t n_values = ni * nm;
    n_values += !n_values;
    double *v = harness_xmalloc(n_values * sizeof *v);
    plot_series *se = harness_xmalloc((ni ? ni : 1) * sizeof *se);
    plot_note *notes = harness_xmalloc(n_values * sizeof *notes);
    plot_range rg;
    plot_range_init(&rg);
    for (size_t i = 0; i < ni; i++) {
        for (size_t c = 0; c < nm; c++) {
            const char *why;
            merge_cell_kind k = merge_cell_kind_of(s, rows[i], mach[c], &why);
            double x = merge_metric_value(merge_cell(s, rows[i], mach[c]), s->metric);
            v[i * nm + c] = x;
            plot_range_add(&rg, x);
            /* skipped and failed rows say so; implementations a build lacks are left out */
            notes[c * ni + i] = (plot_note){k == MERGE_CELL_SKIPPED ? "skipped"
                                            : k == MERGE_CELL_ERROR ? "error"
                                            : k == MERGE_CELL_OK && isnan(x) ? "no figure"
                                                                              : NULL,
                                            why};
        }
        const char *impl = s->rows[rows[i]].implementation;
        se[i] = (plot_series){impl, style_of(p, impl), NULL, &v[i * nm], nm, NULL};
    }
    int shown = rg.min <= rg.max;
    if (shown) {
        int ratio = s->metric != MERGE_NS_PER_ELEMENT;
        if (ratio)
            plot_range_add(&rg, 1);
        int log = rg.min > 0 && rg.max / rg.min > PLOT_LOG_SPAN;
        char axis[96], title[160];
        snprintf(axis, sizeof axis, "%s%s", merge_metric_title(s->metric),
                 log ? " (log scale)" : "");
        snprintf(title, sizeof title, "%s%s", gr->group, emu ? " (emulated: not a CPU's speed)"
                                                             : "");
        plot_bar_chart ch = {title, axis,
                             s->metric == MERGE_NS_PER_ELEMENT ? "ns/element" : "\xC3\x97", nm,
                             cats, ni, se, notes, log ? PLOT_LOG10 : PLOT_LINEAR,
                             ratio ? 1.0 : NAN,
                             s->metric == MERGE_RATIO_TO_MEMPASS   ? "memory pass"
                             : s->metric == MERGE_SPEEDUP_OVER_SCALAR ? "scalar"
                                                                      : NULL,
                             CHART_W};
        if (emu)
            fputs("<div class=\"emulated\" title=\"emulated: these times measure qemu\">\n",
                  p->f);
        plot_bar_chart_write(p->f, &ch);
        if (emu)
            fputs("</div>\n", p->f);
    }
    free(mach);
    free(rows);
    free(cats);
    free(names);
    free(v);
    free(se);
    free(notes);
    return shown;
}

static void write_charts(const page *p)
{
    const merge_set *s = p->s;
    FILE *f = p->f;
    fputs("<section id=\"charts\">\n<h2>", f);
    esc(f, merge_metric_title(s->metric));
    fputs(" by machine</h2>\n<p class=\"explain\">One chart per case group: a block of bars per "
          "machine, a bar per implementation, coloured by backend as in report.html. A log "
          "scale where the bars differ by more than 30x; hover a bar for its value, a "
          "<em>skipped</em> note for the reason. Emulated machines are drawn apart and greyed: "
          "their times measure the emulator.</p>\n",
          f);
    if (!s->n_groups)
        html_no_data(f, "The runs have no speed cases.");
    int last_enc = -1; /* a run_encoding once the first group is out */
    for (size_t g = 0; g < s->n_groups; g++) {
        const merge_group *gr = &s->groups[g];
        const run_encoding enc = s->rows[gr->first_row].encoding;
        if (last_enc != (int)enc) {
            fputs(last_enc >= 0 ? "</div>\n<h3>" : "<h3>", f);
            esc(f, run_encoding_name(enc));
            fputs("</h3>\n<div class=\"grid wide\">\n", f);
            last_enc = (int)enc;
        }
        fputs("<figure>\n", f);
        int native = group_chart(p, gr, 0);
        int emu = group_chart(p, gr, 1);
        if (!native && !emu) {
            fputs("<p class=\"no-data\"><code>", f);
            esc(f, gr->group);
            fputs("</code>: no machine has a figure for this shape (see the table of every "
                  "case).</p>\n",
                  f);
        }
        fputs("</figure>\n", f);
    }
    if (last_enc >= 0)
        fputs("</div>\n", f);
    html_section_close(f);
}

static void write_matrix(const page *p)
{
    const merge_set *s = p->s;
    FILE *f = p->f;
    html_section_open(f, "matrix", "Every case");
    fputs("<p class=\"explain\">", f);
    esc(f, merge_metric_title(s->metric));
    fputs(" per case group and implementation on each machine; the fastest of a group on a "
          "machine in bold; a dispatch row names what dispatch picked. " EM_DASH
          ": not in that machine's build, or the shape was not run there (hover for which). "
          "Greyed columns are emulated.</p>\n<table class=\"data\">\n<tr><th>case</th>"
          "<th>implementation</th>",
          f);
    for (size_t m = 0; m < s->n_machines; m++)
        machine_th(p, m);
    fputs("</tr>\n", f);
    const char *last = NULL;
    for (size_t i = 0; i < s->n_rows; i++) {
        const merge_row *row = &s->rows[i];
        int first = !last || strcmp(last, row->group);
        last = row->group;
        fputs(first ? "<tr class=\"first\"><td><code>" : "<tr><td><code>", f);
        if (first)
            esc(f, row->group);
        fputs("</code></td><td class=\"impl\">", f);
        if (!row->dispatch)
            swatch(p, row->implementation);
        esc(f, row->implementation);
        fputs("</td>", f);
        for (size_t m = 0; m < s->n_machines; m++) {
            const char *why;
            merge_cell_kind k = merge_cell_kind_of(s, i, m, &why);
            const char *emu = emulated(s, m) ? " emu" : "";
            if (k == MERGE_CELL_OK) {
                const run_case *c = merge_cell(s, i, m);
                char v[32];
                fmt_metric(v, sizeof v, merge_metric_value(c, s->metric), s->metric);
                fprintf(f, "<td class=\"num%s%s\"%s>%s", emu,
                        merge_is_fastest(s, i, m) ? " best" : "",
                        *emu ? " title=\"emulated: this time measures qemu\"" : "", v);
                if (row->dispatch) {
                    fputs(" (", f);
                    esc(f, merge_backend_of(c->implementation));
                    fputs(")", f);
                }
                fputs("</td>", f);
            } else {
                fprintf(f, "<td class=\"why%s\" title=\"", emu);
                esc(f, why);
                fputs("\">", f);
                if (k == MERGE_CELL_SKIPPED || k == MERGE_CELL_ERROR) {
                    fputs(k == MERGE_CELL_SKIPPED ? "skipped: " : "error: ", f);
                    esc(f, why);
                } else {
                    fputs(EM_DASH, f);
                }
                fputs("</td>", f);
            }
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    html_section_close(f);
}

static void write_accuracy(const page *p)
{
    const merge_set *s = p->s;
    FILE *f = p->f;
    html_section_open(f, "accuracy", "Accuracy, exact angles");
    fputs("<p class=\"explain\">"
          "Maximum absolute error in u = 2<sup>-24</sup> against the MPFR oracle over each "
          "run's sweep, and whether every figure of the implementation is within its "
          "documented bound. Emulated machines count here: emulation computes the same "
          "bits.</p>\n",
          f);
    if (!s->n_acc) {
        html_no_data(f, "No run has accuracy records (they were made with --no-accuracy).");
        html_section_close(f);
        return;
    }
    fputs("<table class=\"data\">\n<tr><th>implementation</th><th>bound (u)</th>", f);
    for (size_t m = 0; m < s->n_machines; m++) {
        fprintf(f, "<th>%s ", s->machines[m].tag);
        esc(f, s->machines[m].label);
        fputs("</th>", f);
    }
    fputs("<th>same on every machine</th></tr>\n", f);
    for (size_t i = 0; i < s->n_acc; i++) {
        const merge_acc_row *a = &s->acc[i];
        char b[32];
        fputs("<tr><td class=\"impl\">", f);
        swatch(p, a->implementation);
        esc(f, a->implementation);
        if (isnan(a->bound_u))
            snprintf(b, sizeof b, EM_DASH);
        else
            snprintf(b, sizeof b, "%.3g", a->bound_u);
        fprintf(f, "</td><td class=\"num\">%s</td>", b);
        for (size_t m = 0; m < s->n_machines; m++) {
            const run_accuracy *r = a->cell[m];
            if (!r) {
                const char *why = merge_acc_missing_reason(s, i, m);
                fputs("<td class=\"why\" title=\"", f);
                esc(f, why);
                fputs("\">", f);
                esc(f, !strcmp(why, "not in this build") ? EM_DASH : why);
                fputs("</td>", f);
            } else if (r->bit_exact == 1) {
                fputs("<td class=\"num pass\">bit-exact</td>", f);
            } else {
                fprintf(f, "<td class=\"num %s\">%.3g%s</td>",
                        r->within_bound == 1 ? "pass" : r->within_bound == 0 ? "fail" : "",
                        r->max_err_u,
                        r->within_bound == 1   ? " (ok)"
                        : r->within_bound == 0 ? " (over bound)"
                                               : "");
            }
        }
        fprintf(f, "<td class=\"%s\">%s</td></tr>\n", a->agree == 0 ? "fail" : "",
                a->agree == 1 ? "yes" : a->agree == 0 ? "NO" : EM_DASH);
    }
    fputs("</table>\n", f);
    html_section_close(f);
}

void merge_write_html(const merge_set *s, FILE *f)
{
    page p = {s, f, {0}};
    /* colours by backend, scalar (every speedup's reference) black, as report.html has them */
    plot_palette_init(&p.palette);
    for (size_t i = 0; i < s->n_rows; i++) {
        const char *b = merge_backend_of(s->rows[i].implementation);
        if (!s->rows[i].dispatch)
            plot_palette_add(&p.palette, b, strcmp(b, "scalar") ? -1 : 0);
    }
    for (size_t i = 0; i < s->n_acc; i++) {
        const char *b = merge_backend_of(s->acc[i].implementation);
        plot_palette_add(&p.palette, b, strcmp(b, "scalar") ? -1 : 0);
    }
    plot_palette_assign(&p.palette);

    char title[64];
    snprintf(title, sizeof title, "posenc merge: %zu run%s", s->n_machines,
             s->n_machines == 1 ? "" : "s");
    html_page_open(f, title);
    write_header(&p);
    write_machines(&p);
    write_fastest(&p);
    write_charts(&p);
    write_matrix(&p);
    write_accuracy(&p);
    html_page_close(f, "merge.csv holds the same matrix for programs, a row per case group, "
                       "implementation and machine.");
}
