/* analysis_view.c - the analysis in summary.md, and what summary.md and report.html say of it
 * alike (analysis_view.h). */
#include "analysis_view.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report_file.h"

#define HEADLINE_MODEL "llama-3-8b"

/* ---- what both show ------------------------------------------------------------------------ */

const char *analysis_view_headline(const analysis_record *a)
{
    for (size_t i = 0; i < a->n_invariance; i++)
        if (!strcmp(a->invariance[i].model, HEADLINE_MODEL))
            return a->invariance[i].model;
    for (size_t i = 0; i < a->n_invariance; i++)
        if (!strcmp(a->invariance[i].encoding, "rotary"))
            return a->invariance[i].model;
    return a->n_invariance ? a->invariance[0].model : NULL;
}

size_t analysis_view_rows(const analysis_record *a, const char *model, const char *dtype,
                          const analysis_invariance **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_invariance && n < max; i++) {
        const analysis_invariance *v = &a->invariance[i];
        if (strcmp(v->model, model) || (dtype && strcmp(v->dtype, dtype)))
            continue;
        size_t k = 0;
        while (k < n && (strcmp(out[k]->family, v->family) ||
                         strcmp(out[k]->angle_mode, v->angle_mode) ||
                         strcmp(out[k]->dtype, v->dtype)))
            k++;
        if (k == n)
            out[n++] = v;
    }
    return n;
}

double analysis_view_max_drift(const analysis_invariance *v, int64_t *at)
{
    double m = NAN;
    *at = -1;
    for (size_t i = 0; i < v->n_points; i++)
        if (isfinite(v->points[i].max_abs) && !(v->points[i].max_abs <= m)) {
            m = v->points[i].max_abs;
            *at = v->points[i].offset;
        }
    return m;
}

int64_t analysis_view_crossing(const analysis_invariance *v, double level)
{
    if (level == ANALYZE_LEVEL_FINE)
        return v->cross_fine;
    if (level == ANALYZE_LEVEL_COARSE)
        return v->cross_coarse;
    if (level == ANALYZE_LEVEL_BF16)
        return v->cross_bf16;
    for (size_t i = 0; i < v->n_points; i++)
        if (v->points[i].max_abs > level)
            return v->points[i].offset;
    return -1;
}

const char *analysis_view_level_name(double level)
{
    return level == ANALYZE_LEVEL_FINE     ? "1e-3"
           : level == ANALYZE_LEVEL_COARSE ? "1e-2"
           : level == ANALYZE_LEVEL_BF16   ? "2^-8"
                                           : "the level";
}

/* Appends to buf[0, size) what fits. */
static void cat(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < size)
        snprintf(buf + n, size - n, "%s", s);
}

static int64_t last_offset(const analysis_invariance *v)
{
    return v->n_points ? v->points[v->n_points - 1].offset : -1;
}

/* " (polynomial, bf16)": who a row is, in the words that tell it from the others */
static void row_name(const analysis_invariance *v, int families, int types, char *buf,
                     size_t size)
{
    buf[0] = '\0';
    if (families || types)
        snprintf(buf, size, " (%s%s%s)", families ? v->family : "",
                 families && types ? ", " : "", types ? v->dtype : "");
}

void analysis_view_drift_sentence(const analysis_invariance *const *rows, size_t n, double level,
                                  char *buf, size_t size)
{
    const char *modes[] = {"exact", "fp32", "bf16", "fp16"};
    const char *name = analysis_view_level_name(level);
    buf[0] = '\0';
    /* a family or element type is named only when the rows hold more than one */
    int families = 0, types = 0;
    for (size_t i = 1; i < n; i++) {
        families |= strcmp(rows[i]->family, rows[0]->family) != 0;
        types |= strcmp(rows[i]->dtype, rows[0]->dtype) != 0;
    }
    for (size_t m = 0; m < 4; m++) {
        /* the rows of this mode that cross (each offset named, once if all agree) and those
           that do not (one clause: how far they were sampled and their largest drift) */
        char crossing[400] = "", below_who[200] = "", who[96];
        size_t n_cross = 0, n_below = 0;
        int64_t first_x = -1, reach = -1;
        int same = 1;
        double peak = NAN;
        for (size_t i = 0; i < n; i++) {
            const analysis_invariance *v = rows[i];
            if (strcmp(v->angle_mode, modes[m]))
                continue;
            row_name(v, families, types, who, sizeof who);
            const int64_t x = analysis_view_crossing(v, level);
            if (x >= 0) {
                char item[160];
                snprintf(item, sizeof item, "%s%" PRId64 "%s", n_cross ? ", " : "", x, who);
                cat(crossing, sizeof crossing, item);
                same &= !n_cross || x == first_x;
                first_x = n_cross++ ? first_x : x;
                continue;
            }
            int64_t at;
            const double p = analysis_view_max_drift(v, &at);
            peak = isfinite(p) && !(p <= peak) ? p : peak;
            reach = last_offset(v) > reach ? last_offset(v) : reach;
            cat(below_who, sizeof below_who, n_below++ ? " / " : "");
            cat(below_who, sizeof below_who, who[0] ? who + 2 : "");
            if (who[0]) /* drop the closing bracket: the list gets one */
                below_who[strlen(below_who) - 1] = '\0';
        }
        if (!n_cross && !n_below)
            continue;
        char part[800];
        int len = snprintf(part, sizeof part, "%s angles: scores", modes[m]);
        if (n_cross > 1 && same)
            len += snprintf(part + len, sizeof part - (size_t)len,
                            " drift past %s from offset %" PRId64, name, first_x);
        else if (n_cross)
            len += snprintf(part + len, sizeof part - (size_t)len,
                            " drift past %s from offset %s", name, crossing);
        if (n_below) {
            char peak_s[32] = "";
            if (isfinite(peak))
                snprintf(peak_s, sizeof peak_s, " (at most %.2g)", peak);
            snprintf(part + len, sizeof part - (size_t)len,
                     "%s stay below %s up to offset %" PRId64 "%s%s%s%s", n_cross ? " and" : "",
                     name, reach, peak_s, n_cross && below_who[0] ? " (" : "",
                     n_cross ? below_who : "", n_cross && below_who[0] ? ")" : "");
        }
        if (buf[0])
            cat(buf, size, "; ");
        cat(buf, size, part);
    }
    if (!buf[0])
        snprintf(buf, size, "no invariance records");
}

double analysis_view_curve_at(const analysis_curve *c, double d)
{
    for (size_t i = 0; i < c->n; i++) {
        if ((double)c->distance[i] == d)
            return c->value[i];
        if (i > 0 && (double)c->distance[i - 1] < d && d < (double)c->distance[i]) {
            double d0 = (double)c->distance[i - 1], d1 = (double)c->distance[i];
            /* log distance from 1: distance 0 sits one step before 1 */
            double t = d0 > 0 ? (log(d) - log(d0)) / (log(d1) - log(d0)) : (d - d0) / (d1 - d0);
            return c->value[i - 1] + t * (c->value[i] - c->value[i - 1]);
        }
    }
    return NAN;
}

int64_t analysis_view_curve_half(const analysis_curve *c)
{
    double v0 = isfinite(c->value_at_0) ? c->value_at_0 : c->n ? c->value[0] : NAN;
    if (!isfinite(v0))
        return -1;
    for (size_t i = 0; i < c->n; i++)
        if (c->distance[i] > 0 && fabs(c->value[i]) <= 0.5 * fabs(v0))
            return c->distance[i];
    return -1;
}

void analysis_view_collision_sentence(const analysis_record *a, char *buf, size_t size)
{
    /* per angle mode, since the mode decides (exact angles keep rows apart that rounded ones
       merge), and within it per element type */
    const char *modes[] = {"exact", "fp32", "bf16", "fp16"};
    const char *types[] = {"bf16", "f16", "f32"};
    buf[0] = '\0';
    for (size_t m = 0; m < 4; m++) {
        char part[768] = "";
        int64_t scanned = -1;
        for (size_t t = 0; t < 3; t++) {
            const analysis_collisions *first = NULL;
            for (size_t i = 0; i < a->n_collisions; i++) {
                const analysis_collisions *c = &a->collisions[i];
                if (strcmp(c->angle_mode, modes[m]) || strcmp(c->dtype, types[t]))
                    continue;
                if (c->onset >= 0 && (!first || c->onset < first->onset))
                    first = c;
                if (c->scanned > scanned)
                    scanned = c->scanned;
            }
            if (!first)
                continue;
            char one[256];
            snprintf(one, sizeof one, "%s%s rows first collide at position %" PRId64
                                      " (%s %s, equal to position %" PRId64 ")",
                     part[0] ? ", " : "", types[t], first->onset, first->model, first->variant,
                     first->onset_partner);
            cat(part, sizeof part, one);
        }
        if (scanned < 0)
            continue; /* no scan in this mode */
        if (!part[0])
            snprintf(part, sizeof part, "no collision in any element type below position %" PRId64,
                     scanned);
        if (buf[0])
            cat(buf, size, "; ");
        cat(buf, size, modes[m]);
        cat(buf, size, " angles: ");
        cat(buf, size, part);
    }
    if (!buf[0])
        snprintf(buf, size, "no collision records");
}

/* ---- summary.md ---------------------------------------------------------------------------- */

/* Text on one line: control characters (newlines, tabs) become spaces; in a table cell, '|' is
 * escaped too. */
static void put_flat(FILE *f, const char *s, int cell)
{
    for (; *s; s++)
        fputs(cell && *s == '|' ? "\\|" : (unsigned char)*s < 0x20 ? " " : (char[2]){*s, 0}, f);
}

/* A cell must not break the table. */
static void put_cell(FILE *f, const char *s)
{
    fputc(' ', f);
    put_flat(f, s, 1);
    fputs(" |", f);
}

static const char *fmt_pos(char *buf, size_t size, int64_t v, const char *none)
{
    if (v >= 0)
        snprintf(buf, size, "%" PRId64, v);
    else
        snprintf(buf, size, "%s", none);
    return buf;
}

static const char *fmt_g(char *buf, size_t size, double v)
{
    if (isfinite(v))
        snprintf(buf, size, "%.3g", v);
    else
        snprintf(buf, size, "-");
    return buf;
}

static void invariance_table(const analysis_record *a, FILE *f)
{
    const char *model = analysis_view_headline(a);
    if (!model)
        return;
    const analysis_invariance *rows[256];
    /* the sentence of report.html's chart: float32 data where there is some */
    size_t n = analysis_view_rows(a, model, "f32", rows, 256);
    if (!n)
        n = analysis_view_rows(a, model, NULL, rows, 256);
    char sentence[1024];
    analysis_view_drift_sentence(rows, n, ANALYZE_LEVEL_FINE, sentence, sizeof sentence);
    n = analysis_view_rows(a, model, NULL, rows, 256);
    fprintf(f, "\n### Relative-position invariance (%s)\n\nThe first sampled offset where "
               "|S(offset) - S_exact| over the %d x %d score window exceeds each level (logits; "
               "`none`: it never does up to the last offset sampled). %s.\n\n"
               "| family | angles | data | 1e-3 | 1e-2 | 2^-8 | max drift | at offset | "
               "within bound |\n|---|---|---|---:|---:|---:|---:|---:|---|\n",
            model, n ? rows[0]->window : a->window, n ? rows[0]->window : a->window, sentence);
    for (size_t i = 0; i < n; i++) {
        const analysis_invariance *v = rows[i];
        char c1[32], c2[32], c3[32], m[32], at_s[32];
        int64_t at;
        double peak = analysis_view_max_drift(v, &at);
        fputs("|", f);
        put_cell(f, v->family);
        put_cell(f, v->angle_mode);
        put_cell(f, v->dtype);
        put_cell(f, fmt_pos(c1, sizeof c1, v->cross_fine, "none"));
        put_cell(f, fmt_pos(c2, sizeof c2, v->cross_coarse, "none"));
        put_cell(f, fmt_pos(c3, sizeof c3, v->cross_bf16, "none"));
        put_cell(f, fmt_g(m, sizeof m, peak));
        put_cell(f, fmt_pos(at_s, sizeof at_s, at, "-"));
        put_cell(f, v->within_bound == 1 ? "yes" : v->within_bound == 0 ? "NO" : "no bound");
        fputs("\n", f);
    }
}

static void collision_table(const analysis_record *a, FILE *f)
{
    if (!a->n_collisions)
        return;
    const char *types[] = {"f32", "bf16", "f16"};
    char sentence[1024];
    analysis_view_collision_sentence(a, sentence, sizeof sentence);
    fprintf(f, "\n### Position collisions\n\nThe first position whose stored row equals an "
               "earlier position's bit for bit, per variant and element type (`none below N`: "
               "positions 0 .. N-1 are all distinct). %s.\n\n| model | variant | angles |",
            sentence);
    for (size_t t = 0; t < 3; t++)
        fprintf(f, " %s |", types[t]);
    fputs("\n|---|---|---|---:|---:|---:|\n", f);
    for (size_t i = 0; i < a->n_collisions; i++) {
        const analysis_collisions *c = &a->collisions[i];
        int first = 1; /* one row per (model, variant, angle mode): its first record */
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(a->collisions[j].model, c->model) ||
                    strcmp(a->collisions[j].variant, c->variant) ||
                    strcmp(a->collisions[j].angle_mode, c->angle_mode);
        if (!first)
            continue;
        fputs("|", f);
        put_cell(f, c->model);
        put_cell(f, c->variant);
        put_cell(f, c->angle_mode);
        for (size_t t = 0; t < 3; t++) {
            const analysis_collisions *d = NULL;
            for (size_t j = i; j < a->n_collisions && !d; j++)
                if (!strcmp(a->collisions[j].model, c->model) &&
                    !strcmp(a->collisions[j].variant, c->variant) &&
                    !strcmp(a->collisions[j].angle_mode, c->angle_mode) &&
                    !strcmp(a->collisions[j].dtype, types[t]))
                    d = &a->collisions[j];
            char cell[64];
            if (!d)
                snprintf(cell, sizeof cell, "-");
            else if (d->onset >= 0)
                snprintf(cell, sizeof cell, "%" PRId64 " (= %" PRId64 ")", d->onset,
                         d->onset_partner);
            else
                snprintf(cell, sizeof cell, "none below %" PRId64, d->scanned);
            put_cell(f, cell);
        }
        fputs("\n", f);
    }
}

static void decay_table(const analysis_record *a, FILE *f)
{
    if (!a->n_curves)
        return;
    static const double at[] = {1e3, 1e5, 1e6};
    fputs("\n### Long-range decay\n\nEach curve at distance 0 and, interpolated in log distance "
          "between its samples, at 10^3, 10^5 and 10^6 (`-`: beyond its samples). `rope_bound`: "
          "RoFormer's relative upper bound; `rope_self`: q.R(d)q / |q|^2; `rope_random`: "
          "mean |q.R(d)k| / sqrt(head_dim) (logits); `alibi_weight`: exp(-m d).\n\n"
          "| curve | quantity | 0 | 10^3 | 10^5 | 10^6 |\n|---|---|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < a->n_curves; i++) {
        const analysis_curve *c = &a->curves[i];
        char b[32];
        fputs("|", f);
        put_cell(f, c->label[0] ? c->label : c->model);
        put_cell(f, c->quantity);
        put_cell(f, fmt_g(b, sizeof b, isfinite(c->value_at_0) ? c->value_at_0
                                                                : analysis_view_curve_at(c, 0)));
        for (size_t k = 0; k < 3; k++)
            put_cell(f, fmt_g(b, sizeof b, analysis_view_curve_at(c, at[k])));
        fputs("\n", f);
    }
}

static void wavelength_table(const analysis_record *a, FILE *f)
{
    if (!a->n_wavelengths)
        return;
    fputs("\n### Wavelengths beyond the context\n\n| model | variant | frequencies | context | "
          "beyond it | original context | beyond it (unscaled) |\n"
          "|---|---|---:|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < a->n_wavelengths; i++) {
        const analysis_wavelengths *w = &a->wavelengths[i];
        fputs("|", f);
        put_cell(f, w->model);
        put_cell(f, w->variant);
        fprintf(f, " %d | %" PRId64 " | %d | %" PRId64 " | %d |\n", (int)w->n_freqs, w->context,
                (int)w->n_beyond_context, w->context_original, (int)w->n_beyond_original);
    }
}

int analysis_md_section(const analysis_record *a, FILE *f)
{
    fprintf(f, "\n## posenc analyze (%s level)\n\nWhat each encoding does to attention, "
               "measured on the rows the implementations produce (seed %" PRIu64 ", score window "
               "%d x %d; analysis.json holds every figure).",
            a->level[0] ? a->level : "unknown", a->seed, a->window, a->window);
    if (isfinite(a->seconds_total))
        fprintf(f, " Took %.1f s (invariance %.1f s, decay %.1f s, resolution %.1f s).",
                a->seconds_total, a->seconds_invariance, a->seconds_decay,
                a->seconds_resolution);
    fputs("\n", f);
    invariance_table(a, f);
    collision_table(a, f);
    decay_table(a, f);
    wavelength_table(a, f);
    if (a->n_skipped) {
        fputs("\n### Left out of the analysis\n\n", f);
        for (size_t i = 0; i < a->n_skipped; i++) {
            fputs("- ", f);
            put_flat(f, a->skipped[i].what, 0);
            fputs(": ", f);
            put_flat(f, a->skipped[i].why, 0);
            fputs("\n", f);
        }
    }
    return ferror(f) ? -1 : 0;
}

int analysis_write_md(const analysis_record *a, const char *path)
{
    report_file rf;
    if (report_file_open(&rf, path))
        return -1;
    fprintf(rf.f, "# posenc analyze: %s\n\nMachine kind `%s`; posenc %s at %s; OpenBLAS %s; "
                  "MPFR %s.\n\n`%s`\n",
            a->started_utc, a->kind[0] ? a->kind : "not recorded", a->posenc_version,
            a->git_revision[0] ? a->git_revision : "unknown revision",
            a->openblas_version[0] ? a->openblas_version : "unknown",
            a->mpfr_version[0] ? a->mpfr_version : "unknown", a->command);
    analysis_md_section(a, rf.f);
    return report_file_commit(&rf);
}
