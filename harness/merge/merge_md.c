/* merge_md.c - merge.md: the machines, the fastest backend per case group and machine, the
 * chosen speed figure as (group, implementation) x machine tables per encoding, and the
 * exact-mode accuracy as implementation x machine, for a pull request or an issue. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "merge_out.h"

/* A cell must not break the table: '|' escaped, line breaks and control bytes as spaces. */
static void cell(FILE *f, const char *s)
{
    fputs(" ", f);
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if ((unsigned char)*s < 0x20)
            fputc(' ', f);
        else
            fputc(*s, f);
    }
    fputs(" |", f);
}

static void fmt_metric(char *buf, size_t n, double v, merge_metric m)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (m == MERGE_NS_PER_ELEMENT)
        snprintf(buf, n, v < 1000 ? "%.3g" : "%.0f", v);
    else
        snprintf(buf, n, v < 100 ? "%.2fx" : "%.0fx", v);
}

/* The reasons cells refer to as [n], numbered in order of first use. */
#define MAX_NOTES 64
typedef struct footnotes {
    size_t n;
    const char *text[MAX_NOTES];
} footnotes;

static size_t footnote(footnotes *fn, const char *text)
{
    for (size_t i = 0; i < fn->n; i++)
        if (!strcmp(fn->text[i], text))
            return i + 1;
    if (fn->n == MAX_NOTES)
        return 0; /* the cell then shows no number; the CSV has every reason */
    fn->text[fn->n++] = text;
    return fn->n;
}

static void with_note(char *buf, size_t n, const char *word, footnotes *fn, const char *why)
{
    size_t k = footnote(fn, why);
    if (k)
        snprintf(buf, n, "%s [%zu]", word, k);
    else
        snprintf(buf, n, "%s", word);
}

static void machine_header(const merge_set *s, FILE *f)
{
    for (size_t m = 0; m < s->n_machines; m++) {
        char h[MERGE_LABEL_MAX + 32];
        snprintf(h, sizeof h, "%s %s", s->machines[m].tag, s->machines[m].label);
        cell(f, h);
    }
}

static void write_machines(const merge_set *s, FILE *f)
{
    fputs("\n## Machines\n\n| | CPU | ISA set used | arch | run | started (UTC) | build | "
          "|\n|---|---|---|---|---|---|---|---|\n",
          f);
    for (size_t m = 0; m < s->n_machines; m++) {
        const merge_machine *mm = &s->machines[m];
        const run_record *r = mm->run;
        char build[128], flags[96];
        snprintf(build, sizeof build, "%s %.7s%s", r->posenc_version,
                 r->git_revision[0] ? r->git_revision : "(unknown commit)",
                 r->git_dirty == 1 ? " (dirty)" : "");
        snprintf(flags, sizeof flags, "%s%s%s", r->emulated ? "**emulated**: speed for "
                                                              "correctness only" : "",
                 r->emulated && r->quick ? "; " : "", r->quick ? "quick" : "");
        fprintf(f, "| %s |", mm->tag);
        cell(f, r->cpu_model[0] ? r->cpu_model : "unknown");
        cell(f, r->cpu_features[0] ? r->cpu_features : "none");
        cell(f, r->arch);
        cell(f, r->id[0] ? r->id : mm->source);
        cell(f, r->started_utc);
        cell(f, build);
        cell(f, flags);
        fputs("\n", f);
    }
    if (s->n_notes) {
        fputs("\n", f);
        for (size_t i = 0; i < s->n_notes; i++)
            fprintf(f, "- %s\n", s->notes[i]);
    }
}

static void write_fastest(const merge_set *s, FILE *f)
{
    fputs("\n## Fastest backend per case\n\nThe implementation with the lowest median on each "
          "machine, with its ns per element.\n\n| case |",
          f);
    machine_header(s, f);
    fputs("\n|---|", f);
    for (size_t m = 0; m < s->n_machines; m++)
        fputs("---|", f);
    fputs("\n", f);
    for (size_t g = 0; g < s->n_groups; g++) {
        const merge_group *gr = &s->groups[g];
        fputs("|", f);
        cell(f, gr->group);
        for (size_t m = 0; m < s->n_machines; m++) {
            char buf[96], v[32];
            long row = gr->fastest[m];
            if (row < 0) {
                snprintf(buf, sizeof buf, "-");
            } else if (s->machines[m].run->emulated) {
                snprintf(buf, sizeof buf, "(emulated)");
            } else {
                fmt_metric(v, sizeof v, merge_cell(s, (size_t)row, m)->ns_per_element,
                           MERGE_NS_PER_ELEMENT);
                snprintf(buf, sizeof buf, "%s (%s)",
                         merge_backend_of(s->rows[row].implementation), v);
            }
            cell(f, buf);
        }
        fputs("\n", f);
    }
}

static void speed_cell(const merge_set *s, size_t row, size_t m, footnotes *fn, char *buf,
                       size_t n)
{
    const char *why;
    switch (merge_cell_kind_of(s, row, m, &why)) {
    case MERGE_CELL_OK: {
        const run_case *c = merge_cell(s, row, m);
        char v[32];
        if (s->machines[m].run->emulated) {
            snprintf(buf, n, "(emulated)");
            break;
        }
        fmt_metric(v, sizeof v, merge_metric_value(c, s->metric), s->metric);
        int best = merge_is_fastest(s, row, m);
        if (s->rows[row].dispatch) /* what dispatch picked on that machine */
            snprintf(buf, n, "%s (%s)", v, merge_backend_of(c->implementation));
        else
            snprintf(buf, n, "%s%s%s", best ? "**" : "", v, best ? "**" : "");
        break;
    }
    case MERGE_CELL_SKIPPED:
        with_note(buf, n, "skipped", fn, why);
        break;
    case MERGE_CELL_ERROR:
        with_note(buf, n, "error", fn, why);
        break;
    default:
        snprintf(buf, n, s->rows[row].dispatch ? "not timed" : "-");
        break;
    }
}

static void write_speed(const merge_set *s, FILE *f, footnotes *fn)
{
    fprintf(f, "\n## %s\n\n%c%s. The fastest on each machine in **bold**; a dispatch row "
               "names what dispatch picked; `-`: not in that machine's build, or the shape was "
               "not run there.\n",
            merge_metric_title(s->metric), merge_metric_explain(s->metric)[0] - 'a' + 'A',
            merge_metric_explain(s->metric) + 1);
    run_encoding encs[16];
    size_t ne = 0;
    for (size_t i = 0; i < s->n_rows; i++) {
        size_t e = 0;
        while (e < ne && encs[e] != s->rows[i].encoding)
            e++;
        if (e == ne && ne < 16)
            encs[ne++] = s->rows[i].encoding;
    }
    for (size_t e = 0; e < ne; e++) {
        fprintf(f, "\n### %s\n\n| case | implementation |", run_encoding_name(encs[e]));
        machine_header(s, f);
        fputs("\n|---|---|", f);
        for (size_t m = 0; m < s->n_machines; m++)
            fputs("---:|", f);
        fputs("\n", f);
        const char *last_group = NULL;
        for (size_t i = 0; i < s->n_rows; i++) {
            if (s->rows[i].encoding != encs[e])
                continue;
            fputs("|", f);
            /* the group once, where its rows start: the table reads as blocks */
            int first = !last_group || strcmp(last_group, s->rows[i].group);
            cell(f, first ? s->rows[i].group : "");
            last_group = s->rows[i].group;
            cell(f, s->rows[i].implementation);
            for (size_t m = 0; m < s->n_machines; m++) {
                char buf[96];
                speed_cell(s, i, m, fn, buf, sizeof buf);
                cell(f, buf);
            }
            fputs("\n", f);
        }
    }
}

static void write_accuracy(const merge_set *s, FILE *f, footnotes *fn)
{
    fputs("\n## Accuracy, exact angles\n\nMaximum absolute error in u = 2^-24 against the MPFR "
          "oracle over each run's sweep, and whether every figure of the implementation is "
          "within its documented bound. Emulated machines count here: emulation computes the "
          "same bits.\n\n",
          f);
    if (!s->n_acc) {
        fputs("No run has accuracy records (they were made with `--no-accuracy`).\n", f);
        return;
    }
    fputs("| implementation | bound (u) |", f);
    machine_header(s, f);
    fputs(" same on every machine |\n|---|---:|", f);
    for (size_t m = 0; m < s->n_machines; m++)
        fputs("---:|", f);
    fputs("---|\n", f);
    for (size_t i = 0; i < s->n_acc; i++) {
        const merge_acc_row *a = &s->acc[i];
        char bound[32];
        if (isnan(a->bound_u))
            snprintf(bound, sizeof bound, "-");
        else
            snprintf(bound, sizeof bound, "%.3g", a->bound_u);
        fputs("|", f);
        cell(f, a->implementation);
        cell(f, bound);
        for (size_t m = 0; m < s->n_machines; m++) {
            const run_accuracy *r = a->cell[m];
            char buf[96];
            if (!r) {
                const char *why = merge_acc_missing_reason(s, i, m);
                if (!strcmp(why, "not in this build"))
                    snprintf(buf, sizeof buf, "-");
                else if (!strncmp(why, "not swept", 9) || !strncmp(why, "no exact", 8))
                    snprintf(buf, sizeof buf, "not swept");
                else
                    with_note(buf, sizeof buf, "skipped", fn, why);
            } else if (r->bit_exact == 1) {
                snprintf(buf, sizeof buf, "bit-exact");
            } else {
                snprintf(buf, sizeof buf, "%.3g%s", r->max_err_u,
                         r->within_bound == 1   ? " (ok)"
                         : r->within_bound == 0 ? " **(over bound)**"
                                                : "");
            }
            cell(f, buf);
        }
        cell(f, a->agree == 1 ? "yes" : a->agree == 0 ? "**no**" : "-");
        fputs("\n", f);
    }
}

void merge_write_md(const merge_set *s, FILE *f)
{
    footnotes fn = {0};
    fprintf(f, "# posenc merge: %zu run%s\n", s->n_machines, s->n_machines == 1 ? "" : "s");
    write_machines(s, f);
    write_fastest(s, f);
    write_speed(s, f, &fn);
    write_accuracy(s, f, &fn);
    if (fn.n) {
        fputs("\n## Why not run\n\n", f);
        for (size_t i = 0; i < fn.n; i++) {
            fprintf(f, "%zu. ", i + 1);
            for (const char *p = fn.text[i]; *p; p++)
                fputc((unsigned char)*p < 0x20 ? ' ' : *p, f);
            fputs("\n", f);
        }
    }
}
