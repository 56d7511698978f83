/* analysis_view_html.c - the analysis in report.html (analysis_view.h): invariance drift, the
 * PE.PE^T heat map, decay, wavelengths and collisions as SVG plots and tables, each plot with
 * the sentence analysis_view.c computes from the data. */
#include "analysis_view.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness_util.h"
#include "html_page.h"
#include "report_file.h"
#include "svg_plot.h"

#define WIDE_W 600
#define EM_DASH HTML_EM_DASH
#define MAX_ROWS 64

static void esc(FILE *f, const char *s) { html_esc(f, s); }

static void explain(FILE *f, const char *text) { html_explain(f, text); }

static void caption(FILE *f, const char *text)
{
    fputs("<figcaption>", f);
    esc(f, text);
    fputs("</figcaption>\n</figure>\n", f);
}

static void num_cell(FILE *f, double v, int digits)
{
    if (isfinite(v))
        fprintf(f, "<td class=\"num\">%.*g</td>", digits, v);
    else
        fputs("<td class=\"num\">" EM_DASH "</td>", f);
}

static void pos_cell(FILE *f, int64_t v, const char *none)
{
    if (v >= 0)
        fprintf(f, "<td class=\"num\">%" PRId64 "</td>", v);
    else
        fprintf(f, "<td class=\"num\">%s</td>", none);
}

static void text_cell(FILE *f, const char *s)
{
    fputs("<td>", f);
    esc(f, s);
    fputs("</td>", f);
}

/* ---- invariance ---------------------------------------------------------------------------- */

/* One colour per angle mode (the Okabe-Ito of svg_plot.h), one marker per family. */
static plot_style mode_style(const char *mode, int family_index)
{
    const char *colour = !strcmp(mode, "exact") ? "#000000"
                         : !strcmp(mode, "fp32") ? "#0072B2"
                         : !strcmp(mode, "bf16") ? "#D55E00"
                                                 : "#009E73";
    plot_style st = {colour, family_index % PLOT_N_MARKERS};
    return st;
}

/* Drift against offset of model's records on float32 data (any data without those), a line
 * per family and angle mode. */
static void drift_chart(const analysis_record *a, const char *model, FILE *f)
{
    const analysis_invariance *rows[MAX_ROWS];
    const char *dtype = "f32";
    size_t n = analysis_view_rows(a, model, dtype, rows, MAX_ROWS);
    if (!n) {
        dtype = NULL;
        n = analysis_view_rows(a, model, NULL, rows, MAX_ROWS);
    }
    plot_series se[MAX_ROWS];
    char names[MAX_ROWS][96];
    if (!n)
        return;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += rows[i]->n_points;
    if (!total) {
        fputs("<p class=\"no-data\">", f);
        esc(f, model);
        fputs(": no offsets measured.</p>\n", f);
        return;
    }
    double *xy = harness_xmalloc((2 * total + 1) * sizeof *xy);
    const char *families[MAX_ROWS];
    size_t n_fam = 0, o = 0;
    for (size_t i = 0; i < n; i++) {
        const analysis_invariance *v = rows[i];
        size_t k = 0;
        while (k < n_fam && strcmp(families[k], v->family))
            k++;
        if (k == n_fam)
            families[n_fam++] = v->family;
        snprintf(names[i], sizeof names[i], "%s, %s angles%s%s", v->family, v->angle_mode,
                 dtype ? "" : ", ", dtype ? "" : v->dtype);
        double *x = xy + o, *y = xy + o + v->n_points;
        for (size_t p = 0; p < v->n_points; p++) {
            x[p] = (double)v->points[p].offset;
            y[p] = v->points[p].max_abs;
        }
        o += 2 * v->n_points;
        se[i] = (plot_series){names[i], mode_style(v->angle_mode, (int)k), x, y, v->n_points,
                              NULL};
    }
    const plot_hline levels[] = {{ANALYZE_LEVEL_FINE, "1e-3"},
                                 {ANALYZE_LEVEL_COARSE, "1e-2"},
                                 {ANALYZE_LEVEL_BF16, "2^-8 (bf16 at 1)"}};
    char title[160];
    snprintf(title, sizeof title, "invariance drift, %s%s%s", model,
             dtype ? ", data " : "", dtype ? dtype : "");
    plot_xy_chart ch = {title, "offset (log scale)", "max |S(offset) - S_exact| (logits)",
                        NULL, "logits", PLOT_LOG10, PLOT_LOG10, n, se, 1, 0, 1, 3, levels,
                        WIDE_W, 380};
    char sentence[1024];
    analysis_view_drift_sentence(rows, n, ANALYZE_LEVEL_FINE, sentence, sizeof sentence);
    fprintf(f, "<figure id=\"analysis-drift-%s\">\n", strcmp(rows[0]->encoding, "rotary") ?
                                                          "sinusoidal" : "rotary");
    plot_xy_chart_write(f, &ch);
    caption(f, sentence);
    free(xy);
}

static void invariance_html(const analysis_record *a, FILE *f)
{
    fputs("<h3 id=\"analysis-invariance\">Relative-position invariance</h3>\n", f);
    if (!a->n_invariance) {
        html_no_data(f, "No invariance records in this analysis.");
        return;
    }
    char text[600];
    snprintf(text, sizeof text,
             "Scores S = (R(m + offset) q).(R(n + offset) k)^T / sqrt(head_dim) of seeded random "
             "q and k over a %d x %d window of positions, against the same from the oracle's "
             "rows: in exact arithmetic they do not depend on the offset. The largest "
             "difference at each offset, in logits (an offset or drift of 0 is drawn hollow on "
             "the axis edge); dashed: the levels whose crossing the table gives.",
             a->window, a->window);
    explain(f, text);
    fputs("<div class=\"grid wide\">\n", f);
    const char *model = analysis_view_headline(a);
    drift_chart(a, model, f);
    /* beside a rotary headline, the first sinusoidal model (without one, the headline is it) */
    const analysis_invariance *rows[1];
    int rotary = analysis_view_rows(a, model, NULL, rows, 1) &&
                 !strcmp(rows[0]->encoding, "rotary");
    for (size_t i = 0; i < a->n_invariance && rotary; i++)
        if (!strcmp(a->invariance[i].encoding, "sinusoidal")) {
            drift_chart(a, a->invariance[i].model, f);
            break;
        }
    /* one row per implementation x mode x type x model: hundreds at the default level, so the
       table is folded under the charts */
    char summary[64];
    snprintf(summary, sizeof summary, "Every invariance record (%zu)", a->n_invariance);
    fputs("</div>\n", f);
    html_details_open(f, NULL, summary, 0);
    fputs("<table class=\"data\">\n<tr><th>model</th><th>variant</th>"
          "<th>implementation</th><th>angles</th><th>data</th><th>max drift</th>"
          "<th>at offset</th><th>crosses 1e-3</th><th>crosses 1e-2</th><th>crosses 2^-8</th>"
          "<th>bound (normalised)</th><th>within</th><th>note</th></tr>\n", f);
    for (size_t i = 0; i < a->n_invariance; i++) {
        const analysis_invariance *v = &a->invariance[i];
        int64_t at;
        double peak = analysis_view_max_drift(v, &at);
        fputs("<tr>", f);
        text_cell(f, v->model);
        text_cell(f, v->variant);
        text_cell(f, v->implementation);
        text_cell(f, v->angle_mode);
        text_cell(f, v->dtype);
        num_cell(f, peak, 3);
        pos_cell(f, at, EM_DASH);
        pos_cell(f, v->cross_fine, "none");
        pos_cell(f, v->cross_coarse, "none");
        pos_cell(f, v->cross_bf16, "none");
        num_cell(f, v->bound_norm, 3);
        fprintf(f, "<td class=\"%s\">%s</td>",
                v->within_bound == 1 ? "pass" : v->within_bound == 0 ? "fail" : "",
                v->within_bound == 1 ? "yes" : v->within_bound == 0 ? "NO" : "no bound");
        text_cell(f, v->note);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    html_details_close(f);
}

/* ---- the PE.PE^T heat map ------------------------------------------------------------------ */

static void heatmap_html(const analysis_record *a, FILE *f)
{
    if (!a->n_heatmaps)
        return;
    fputs("<h3 id=\"analysis-heatmap\">Sinusoidal similarity PE(i).PE(j)</h3>\n", f);
    explain(f, "PE(i).PE(j) / (dim / 2) for the first positions, from the encoded rows: 1 on the "
               "diagonal; a matrix whose every diagonal is constant depends on i - j only.");
    fputs("<div class=\"grid wide\">\n", f);
    for (size_t k = 0; k < a->n_heatmaps && k < 2; k++) {
        const analysis_heatmap *h = &a->heatmaps[k];
        const int n = h->n;
        if (n <= 0)
            continue;
        /* how far the matrix is from a function of i - j, and where similarity falls off */
        double dev = 0, lowest = INFINITY;
        int64_t half = -1, lowest_at = -1;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double d = fabs(h->values[(size_t)i * n + j] - h->values[abs(i - j)]);
                dev = d > dev ? d : dev;
            }
        for (int d = 1; d < n; d++) {
            if (half < 0 && h->values[d] < 0.5)
                half = d;
            if (h->values[d] < lowest) {
                lowest = h->values[d];
                lowest_at = d;
            }
        }
        char title[200], sentence[400];
        snprintf(title, sizeof title, "PE.PE^T / (dim/2), %s (%s, %s)", h->model,
                 h->implementation, h->dtype);
        plot_heatmap hm = {title, "position j", "position i", "similarity", n, n, h->values,
                           NAN, NAN, 360};
        int cells = plot_heatmap_cells(n);
        int len = dev > 0 ? snprintf(sentence, sizeof sentence,
                                     "Similarity depends on i - j alone to within %.2g; ", dev)
                          : snprintf(sentence, sizeof sentence,
                                     "Similarity depends on i - j alone, every diagonal "
                                     "constant; ");
        if (half > 0)
            len += snprintf(sentence + len, sizeof sentence - (size_t)len,
                            "it falls below 0.5 at distance %" PRId64, half);
        else
            len += snprintf(sentence + len, sizeof sentence - (size_t)len,
                            "it stays above 0.5 for the first %d positions", n);
        if (lowest_at > 0)
            len += snprintf(sentence + len, sizeof sentence - (size_t)len,
                            " and is lowest (%.3g) at distance %" PRId64, lowest, lowest_at);
        if (cells < n)
            snprintf(sentence + len, sizeof sentence - (size_t)len,
                     " (drawn as %d x %d block means)", cells, cells);
        fputs("<figure>\n", f);
        plot_heatmap_write(f, &hm);
        caption(f, sentence);
    }
    fputs("</div>\n", f);
}

/* ---- decay --------------------------------------------------------------------------------- */

/* 1 when q is one of the space-separated words of list. */
static int listed(const char *list, const char *q)
{
    const size_t n = strlen(q);
    for (const char *p = list; n && (p = strstr(p, q)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* The curves of the quantities in `quantities` (space-separated) on one chart: log distance,
 * linear value. */
static void decay_chart(const analysis_record *a, const char *quantities, const char *title,
                        const char *y_label, FILE *f)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_curves; i++)
        n += listed(quantities, a->curves[i].quantity);
    if (!n)
        return;
    plot_series *se = harness_xmalloc(n * sizeof *se);
    double *x = NULL;
    size_t total = 0;
    for (size_t i = 0; i < a->n_curves; i++)
        total += a->curves[i].n;
    x = harness_xmalloc((total + 1) * sizeof *x);
    plot_palette pal;
    plot_palette_init(&pal);
    for (size_t i = 0; i < a->n_curves; i++)
        plot_palette_add(&pal, a->curves[i].label, -1);
    plot_palette_assign(&pal);
    size_t k = 0, o = 0;
    const analysis_curve *first = NULL, *last = NULL;
    int64_t first_d = -1, last_d = -1;
    size_t never = 0;
    for (size_t i = 0; i < a->n_curves; i++) {
        const analysis_curve *c = &a->curves[i];
        if (!listed(quantities, c->quantity))
            continue;
        for (size_t p = 0; p < c->n; p++)
            x[o + p] = (double)c->distance[p];
        se[k++] = (plot_series){c->label[0] ? c->label : c->model,
                                plot_palette_style(&pal, c->label), x + o, c->value, c->n,
                                NULL};
        o += c->n;
        int64_t h = analysis_view_curve_half(c);
        if (h < 0) {
            never++;
            continue;
        }
        if (!first || h < first_d) {
            first = c;
            first_d = h;
        }
        if (!last || h > last_d) {
            last = c;
            last_d = h;
        }
    }
    plot_xy_chart ch = {title, "distance (log scale)", y_label, NULL, NULL, PLOT_LOG10,
                        PLOT_LINEAR, n, se, 1, 0, 1, 0, NULL, WIDE_W, 380};
    char sentence[600];
    int len = 0;
    if (first)
        len = snprintf(sentence, sizeof sentence,
                       "Half the distance-0 value is reached first at distance %" PRId64
                       " (%s)",
                       first_d, first->label);
    if (last && last != first)
        len += snprintf(sentence + len, sizeof sentence - (size_t)len,
                        ", last at %" PRId64 " (%s)", last_d, last->label);
    if (never)
        snprintf(sentence + len, sizeof sentence - (size_t)len, "%s%zu of %zu curves never fall "
                                                                "to half within their distances",
                 first ? "; " : "", never, n);
    fputs("<figure>\n", f);
    plot_xy_chart_write(f, &ch);
    caption(f, sentence);
    free(se);
    free(x);
}

static void decay_html(const analysis_record *a, FILE *f)
{
    if (!a->n_curves)
        return;
    fputs("<h3 id=\"analysis-decay\">Long-range decay</h3>\n", f);
    explain(f, "How each base and scaling variant reshapes attention at a distance d. rope_self: "
               "q.R(d)q / |q|^2, a token meeting itself d positions away (1 at 0); alibi_weight: "
               "exp(-m d), the softmax weight ALiBi's bias leaves for one head's slope m, on the "
               "same axis; RoFormer's relative upper bound (section 3.4.3); mean |q.R(d)k| / "
               "sqrt(head_dim) of independent random q and k, in logits. Distance 0 is drawn "
               "hollow on the axis edge.");
    fputs("<div class=\"grid wide\">\n", f);
    decay_chart(a, "rope_self alibi_weight", "what attention keeps at a distance",
                "rope_self, alibi_weight", f);
    decay_chart(a, "rope_bound", "RoFormer's relative upper bound", "(1/(n/2)) sum |S_j|", f);
    decay_chart(a, "rope_random", "mean |q.R(d)k| / sqrt(head_dim), independent q, k",
                "logits", f);
    fputs("</div>\n", f);
}

/* ---- wavelengths --------------------------------------------------------------------------- */

static void wavelengths_html(const analysis_record *a, FILE *f)
{
    if (!a->n_wavelengths)
        return;
    fputs("<h3 id=\"analysis-wavelengths\">Wavelengths and the context</h3>\n", f);
    explain(f, "2 pi / w_i of each frequency with the variant's scaling, in positions: those "
               "longer than the context never complete a turn inside it, and those longer than "
               "the original context (of the base alone) are the ones scaling methods treat "
               "differently.");
    const size_t max_series = 10;
    size_t n = 0, total = 0;
    plot_series se[10];
    char names[10][96];
    plot_hline contexts[4];
    char context_labels[4][64];
    size_t n_ctx = 0;
    for (size_t i = 0; i < a->n_wavelengths; i++)
        total += (size_t)(a->wavelengths[i].n_freqs > 0 ? a->wavelengths[i].n_freqs : 0);
    double *idx = harness_xmalloc((total + 1) * sizeof *idx);
    plot_palette pal;
    plot_palette_init(&pal);
    for (size_t i = 0; i < a->n_wavelengths && i < max_series; i++) {
        snprintf(names[i], sizeof names[i], "%s %s", a->wavelengths[i].model,
                 a->wavelengths[i].variant);
        plot_palette_add(&pal, names[i], -1);
    }
    plot_palette_assign(&pal);
    size_t o = 0;
    for (size_t i = 0; i < a->n_wavelengths && n < max_series; i++) {
        const analysis_wavelengths *w = &a->wavelengths[i];
        for (int32_t j = 0; j < w->n_freqs; j++)
            idx[o + (size_t)j] = j;
        se[n] = (plot_series){names[n], plot_palette_style(&pal, names[n]), idx + o,
                              w->wavelength, (size_t)(w->n_freqs > 0 ? w->n_freqs : 0), NULL};
        o += (size_t)(w->n_freqs > 0 ? w->n_freqs : 0);
        n++;
        size_t c = 0;
        while (c < n_ctx && contexts[c].y != (double)w->context)
            c++;
        if (c == n_ctx && n_ctx < 4) {
            snprintf(context_labels[n_ctx], sizeof context_labels[n_ctx],
                     "context %" PRId64, w->context);
            contexts[n_ctx] = (plot_hline){(double)w->context, context_labels[n_ctx]};
            n_ctx++;
        }
    }
    plot_xy_chart ch = {"wavelength per frequency", "frequency index i",
                        "2 pi / w_i (positions, log scale)", NULL, "positions", PLOT_LINEAR,
                        PLOT_LOG10, n, se, 1, 0, 1, n_ctx, contexts, WIDE_W, 380};
    /* the sentence: the headline model's first record, else the first */
    const char *model = analysis_view_headline(a);
    const analysis_wavelengths *hw = &a->wavelengths[0];
    for (size_t i = 0; i < a->n_wavelengths; i++)
        if (model && !strcmp(a->wavelengths[i].model, model)) {
            hw = &a->wavelengths[i];
            break;
        }
    size_t with_beyond = 0;
    for (size_t i = 0; i < a->n_wavelengths; i++)
        with_beyond += a->wavelengths[i].n_beyond_context > 0;
    char sentence[400];
    snprintf(sentence, sizeof sentence,
             "%s %s: %d of %d wavelengths exceed the context %" PRId64 " and %d (unscaled) the "
             "original context %" PRId64 "; %zu of %zu settings have wavelengths beyond their "
             "context%s",
             hw->model, hw->variant, (int)hw->n_beyond_context, (int)hw->n_freqs, hw->context,
             (int)hw->n_beyond_original, hw->context_original, with_beyond, a->n_wavelengths,
             a->n_wavelengths > max_series ? " (the chart shows the first 10)" : "");
    fputs("<div class=\"grid wide\">\n<figure>\n", f);
    plot_xy_chart_write(f, &ch);
    caption(f, sentence);
    fputs("</div>\n<table class=\"data\">\n<tr><th>model</th><th>variant</th>"
          "<th>frequencies</th><th>context</th><th>beyond it</th><th>original context</th>"
          "<th>beyond it (unscaled)</th><th>longest wavelength</th></tr>\n", f);
    for (size_t i = 0; i < a->n_wavelengths; i++) {
        const analysis_wavelengths *w = &a->wavelengths[i];
        double longest = NAN;
        for (int32_t j = 0; j < w->n_freqs; j++)
            if (!(w->wavelength[j] <= longest))
                longest = w->wavelength[j];
        fputs("<tr>", f);
        text_cell(f, w->model);
        text_cell(f, w->variant);
        pos_cell(f, w->n_freqs, EM_DASH);
        pos_cell(f, w->context, EM_DASH);
        pos_cell(f, w->n_beyond_context, EM_DASH);
        pos_cell(f, w->context_original, EM_DASH);
        pos_cell(f, w->n_beyond_original, EM_DASH);
        num_cell(f, longest, 4);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    free(idx);
}

/* ---- collisions ---------------------------------------------------------------------------- */

static void collisions_html(const analysis_record *a, FILE *f)
{
    if (!a->n_collisions)
        return;
    char sentence[1024];
    analysis_view_collision_sentence(a, sentence, sizeof sentence);
    fputs("<h3 id=\"analysis-collisions\">Position collisions</h3>\n", f);
    explain(f, "Positions whose stored encoding row is bit-identical to an earlier position's "
               "once rounded to the element type: attention cannot tell them apart.");
    fputs("<p class=\"explain\"><strong>", f);
    esc(f, sentence);
    char summary[64];
    snprintf(summary, sizeof summary, "Every collision scan (%zu)", a->n_collisions);
    fputs(".</strong></p>\n", f);
    html_details_open(f, NULL, summary, 0);
    fputs("<table class=\"data\">\n<tr><th>model</th><th>variant</th>"
          "<th>implementation</th><th>angles</th><th>data</th><th>positions scanned</th>"
          "<th>onset</th><th>equal to</th><th>colliding positions</th></tr>\n", f);
    for (size_t i = 0; i < a->n_collisions; i++) {
        const analysis_collisions *c = &a->collisions[i];
        fputs("<tr>", f);
        text_cell(f, c->model);
        text_cell(f, c->variant);
        text_cell(f, c->implementation);
        text_cell(f, c->angle_mode);
        text_cell(f, c->dtype);
        pos_cell(f, c->scanned, EM_DASH);
        pos_cell(f, c->onset, "none");
        pos_cell(f, c->onset_partner, EM_DASH);
        fprintf(f, "<td class=\"num\">%" PRIu64 "</td></tr>\n", c->n_colliding);
    }
    fputs("</table>\n", f);
    html_details_close(f);
}

/* ---- the section and the page -------------------------------------------------------------- */

void analysis_html_section(const analysis_record *a, FILE *f)
{
    html_section_open(f, "analysis", "What the encodings do to attention");
    char text[400];
    int len = snprintf(text, sizeof text,
                       "posenc analyze at its %s level (seed %" PRIu64 "), measured on the rows "
                       "the implementations produce; analysis.json holds every figure.",
                       a->level[0] ? a->level : "unknown", a->seed);
    if (isfinite(a->seconds_total))
        snprintf(text + len, sizeof text - (size_t)len,
                 " It took %.1f s: invariance %.1f s, decay %.1f s, resolution %.1f s.",
                 a->seconds_total, a->seconds_invariance, a->seconds_decay,
                 a->seconds_resolution);
    explain(f, text);
    invariance_html(a, f);
    heatmap_html(a, f);
    decay_html(a, f);
    wavelengths_html(a, f);
    collisions_html(a, f);
    if (a->n_skipped) {
        fputs("<h3 id=\"analysis-skipped\">Left out</h3>\n<ul class=\"skipped\">\n", f);
        for (size_t i = 0; i < a->n_skipped; i++) {
            fputs("<li><strong>", f);
            esc(f, a->skipped[i].what);
            fputs("</strong>: ", f);
            esc(f, a->skipped[i].why);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    html_section_close(f);
}

int analysis_write_html(const analysis_record *a, const char *path)
{
    report_file rf;
    if (report_file_open(&rf, path))
        return -1;
    FILE *f = rf.f;
    char buf[160];
    snprintf(buf, sizeof buf, "posenc analysis %s", a->started_utc);
    html_page_open(f, buf);
    fputs("<header>\n<h1>posenc analysis report</h1>\n", f);
    html_facts_begin(f);
    html_facts_table_open(f, "Run");
    html_fact(f, "started (UTC)", a->started_utc);
    html_fact(f, "command", a->command);
    html_fact(f, "level", a->level);
    snprintf(buf, sizeof buf, "%" PRIu64, a->seed);
    html_fact(f, "seed", buf);
    snprintf(buf, sizeof buf, "%d x %d positions", a->window, a->window);
    html_fact(f, "score window", buf);
    html_facts_table_close(f);
    html_facts_table_open(f, "Machine and build");
    html_fact(f, "machine kind", a->kind[0] ? a->kind : "not recorded");
    html_fact(f, "posenc", a->posenc_version);
    html_fact(f, "git revision", a->git_revision[0] ? a->git_revision : "unknown");
    html_fact(f, "OpenBLAS", a->openblas_version);
    html_fact(f, "MPFR", a->mpfr_version);
    html_facts_table_close(f);
    html_facts_end(f);
    fputs("</header>\n", f);
    analysis_html_section(a, f);
    snprintf(buf, sizeof buf, "Analysis record schema version %d; analysis.json holds the "
                              "same results for programs.", ANALYSIS_SCHEMA_VERSION);
    html_page_close(f, buf);
    return report_file_commit(&rf);
}
