/* merge_matrix.c - the machine x implementation matrix of `posenc merge` (merge_matrix.h): rows,
 * cells, the fastest backend per group and machine, the accuracy table and the notes on what
 * makes the columns less comparable. */
#include "merge_matrix.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- metrics ---------------------------------------------------------------------------- */

static const struct {
    const char *name, *title, *explain;
} metrics[] = {
    [MERGE_NS_PER_ELEMENT] = {"ns_per_element", "ns per element",
                              "median thread CPU time per call divided by the elements of the "
                              "call; lower is faster"},
    [MERGE_RATIO_TO_MEMPASS] = {"ratio_to_mempass", "time / memory pass",
                                "median time over the same run's plain memory pass over the "
                                "same bytes; 1 is as fast as moving the bytes, lower is "
                                "faster"},
    [MERGE_SPEEDUP_OVER_SCALAR] = {"speedup_over_scalar", "speedup over scalar",
                                   "the scalar implementation's median on the same shape and "
                                   "machine over this median; higher is faster"},
};

const char *merge_metric_name(merge_metric m) { return metrics[m].name; }
const char *merge_metric_title(merge_metric m) { return metrics[m].title; }
const char *merge_metric_explain(merge_metric m) { return metrics[m].explain; }

int merge_metric_parse(const char *s, merge_metric *m)
{
    for (size_t i = 0; i < sizeof metrics / sizeof *metrics; i++)
        if (!strcmp(s, metrics[i].name)) {
            *m = (merge_metric)i;
            return 0;
        }
    return -1;
}

static int is_ok(const run_case *c) { return c && c->status == RUN_STATUS_OK; }

double merge_metric_value(const run_case *c, merge_metric m)
{
    if (!is_ok(c))
        return NAN;
    double v = m == MERGE_NS_PER_ELEMENT     ? c->ns_per_element
               : m == MERGE_RATIO_TO_MEMPASS ? c->ratio_to_mempass
                                             : c->speedup_over_scalar;
    return isfinite(v) ? v : NAN;
}

const char *merge_backend_of(const char *impl)
{
    const char *slash = strchr(impl, '/');
    return slash && slash[1] ? slash + 1 : impl;
}

/* ---- building --------------------------------------------------------------------------- */

/* The row key of a case: dispatch cases get a row of their own, whatever they picked. */
static void row_key(const run_case *c, char *key, size_t n)
{
    if (c->dispatched)
        snprintf(key, n, "%s/dispatch", run_encoding_name(c->encoding));
    else
        snprintf(key, n, "%s", c->implementation);
}

static int add_note(merge_set *s, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **grown = realloc(s->notes, (s->n_notes + 1) * sizeof *grown);
    if (!grown)
        return -1;
    s->notes = grown;
    if (!(s->notes[s->n_notes] = malloc(strlen(buf) + 1)))
        return -1;
    strcpy(s->notes[s->n_notes++], buf);
    return 0;
}

static void make_labels(merge_set *s)
{
    for (size_t m = 0; m < s->n_machines; m++) {
        merge_machine *mm = &s->machines[m];
        const run_record *r = mm->run;
        snprintf(mm->tag, sizeof mm->tag, "M%zu", m + 1);
        /* the ISA set last: where a chart must cut a long label, the tooltip keeps it */
        snprintf(mm->label, sizeof mm->label, "%s (%s%s): %s",
                 r->cpu_model[0] ? r->cpu_model : "unknown CPU",
                 r->arch[0] ? r->arch : "unknown arch", r->emulated ? ", emulated" : "",
                 r->cpu_features[0] ? r->cpu_features : "no SIMD features");
    }
    /* two runs of one machine keep the same label but must stay two columns; the label
     * before any suffix decides, so a third run is " #3", not a second " #2" */
    for (size_t m = 0; m < s->n_machines; m++) {
        s->machines[m].repeat = 1;
        for (size_t k = 0; k < m; k++)
            s->machines[m].repeat += !strcmp(s->machines[k].label, s->machines[m].label);
    }
    for (size_t m = 0; m < s->n_machines; m++) {
        merge_machine *mm = &s->machines[m];
        if (mm->repeat < 2)
            continue;
        size_t n = strlen(mm->label);
        if (n > MERGE_LABEL_MAX - 16)
            n = MERGE_LABEL_MAX - 16;
        snprintf(mm->label + n, MERGE_LABEL_MAX - n, " #%d", mm->repeat);
    }
}

/* Rows grouped by case group, groups and implementations in order of first appearance over
 * the runs; dispatch rows last in their group, where they read as a summary. */
static int make_rows(merge_set *s)
{
    size_t total = 0;
    for (size_t m = 0; m < s->n_machines; m++)
        total += s->machines[m].run->n_cases;
    s->rows = calloc(total ? total : 1, sizeof *s->rows);
    s->groups = calloc(total ? total : 1, sizeof *s->groups);
    if (!s->rows || !s->groups)
        return -1;
    for (size_t m = 0; m < s->n_machines; m++) {
        const run_record *r = s->machines[m].run;
        for (size_t k = 0; k < r->n_cases; k++) {
            size_t g = 0;
            while (g < s->n_groups && strcmp(s->groups[g].group, r->cases[k].group))
                g++;
            if (g == s->n_groups)
                s->groups[s->n_groups++].group = r->cases[k].group;
        }
    }
    for (size_t g = 0; g < s->n_groups; g++) {
        merge_group *gr = &s->groups[g];
        gr->first_row = s->n_rows;
        for (int pass = 0; pass < 2; pass++) /* 0: implementations, 1: dispatch */
            for (size_t m = 0; m < s->n_machines; m++) {
                const run_record *r = s->machines[m].run;
                for (size_t k = 0; k < r->n_cases; k++) {
                    const run_case *c = &r->cases[k];
                    if (strcmp(c->group, gr->group) || c->dispatched != pass)
                        continue;
                    char key[48];
                    row_key(c, key, sizeof key);
                    size_t i = gr->first_row;
                    while (i < s->n_rows && strcmp(s->rows[i].implementation, key))
                        i++;
                    if (i < s->n_rows)
                        continue;
                    merge_row *row = &s->rows[s->n_rows++];
                    row->group = c->group;
                    row->encoding = c->encoding;
                    row->op = c->op;
                    snprintf(row->implementation, sizeof row->implementation, "%s", key);
                    row->dispatch = pass;
                }
            }
        gr->n_rows = s->n_rows - gr->first_row;
    }
    return 0;
}

static int fill_cells(merge_set *s)
{
    size_t nm = s->n_machines;
    size_t n_cells = s->n_rows * nm;
    s->cells = calloc(n_cells ? n_cells : 1, sizeof *s->cells);
    if (!s->cells)
        return -1;
    for (size_t m = 0; m < nm; m++) {
        const run_record *r = s->machines[m].run;
        for (size_t k = 0; k < r->n_cases; k++) {
            const run_case *c = &r->cases[k];
            char key[48];
            row_key(c, key, sizeof key);
            for (size_t i = 0; i < s->n_rows; i++)
                if (!strcmp(s->rows[i].group, c->group) &&
                    !strcmp(s->rows[i].implementation, key)) {
                    /* a repeated case keeps its first record */
                    if (!s->cells[i * nm + m])
                        s->cells[i * nm + m] = c;
                    break;
                }
        }
    }
    for (size_t g = 0; g < s->n_groups; g++) {
        merge_group *gr = &s->groups[g];
        if (!(gr->fastest = malloc((nm ? nm : 1) * sizeof *gr->fastest)))
            return -1;
        for (size_t m = 0; m < nm; m++) {
            long best = -1;
            double best_t = INFINITY;
            for (size_t i = gr->first_row; i < gr->first_row + gr->n_rows; i++) {
                const run_case *c = s->cells[i * nm + m];
                /* one shape on one machine: ns per element orders them as the medians do */
                double t = is_ok(c) ? c->ns_per_element : NAN;
                if (!s->rows[i].dispatch && isfinite(t) && t < best_t) {
                    best_t = t;
                    best = (long)i;
                }
            }
            gr->fastest[m] = best;
        }
    }
    return 0;
}

static int make_accuracy(merge_set *s)
{
    size_t nm = s->n_machines, total = 0;
    for (size_t m = 0; m < nm; m++)
        total += s->machines[m].run->n_accuracy;
    s->acc = calloc(total ? total : 1, sizeof *s->acc);
    if (!s->acc)
        return -1;
    for (size_t m = 0; m < nm; m++) {
        const run_record *r = s->machines[m].run;
        for (size_t k = 0; k < r->n_accuracy; k++) {
            const run_accuracy *a = &r->accuracy[k];
            if (a->angle_mode != RUN_ANGLE_EXACT || a->dtype != RUN_DTYPE_F32)
                continue; /* the float32 records: what every run (version 1 on) has */
            size_t i = 0;
            while (i < s->n_acc && strcmp(s->acc[i].implementation, a->implementation))
                i++;
            if (i == s->n_acc) {
                merge_acc_row *row = &s->acc[s->n_acc++];
                snprintf(row->implementation, sizeof row->implementation, "%s",
                         a->implementation);
                row->encoding = a->encoding;
                row->bound_u = a->bound_u;
                if (!(row->cell = calloc(nm, sizeof *row->cell)))
                    return -1;
            }
            if (!s->acc[i].cell[m])
                s->acc[i].cell[m] = a;
        }
    }
    /* one encoding's rows together, encodings and rows within them in order of appearance */
    merge_acc_row *sorted = malloc((s->n_acc ? s->n_acc : 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < s->n_acc; i++) {
        size_t seen = 0;
        while (seen < i && s->acc[seen].encoding != s->acc[i].encoding)
            seen++;
        if (seen < i)
            continue; /* its encoding was placed with an earlier row */
        for (size_t k = i; k < s->n_acc; k++)
            if (s->acc[k].encoding == s->acc[i].encoding)
                sorted[o++] = s->acc[k];
    }
    memcpy(s->acc, sorted, s->n_acc * sizeof *sorted);
    free(sorted);
    for (size_t i = 0; i < s->n_acc; i++) {
        merge_acc_row *row = &s->acc[i];
        const run_accuracy *first = NULL;
        size_t same_n = 0;
        row->agree = 1;
        for (size_t m = 0; m < nm; m++) {
            const run_accuracy *a = row->cell[m];
            if (!a || !isfinite(a->max_err_u))
                continue;
            if (!first)
                first = a;
            if (a->values_checked != first->values_checked)
                continue; /* another sample of positions: its maximum may differ honestly */
            same_n++;
            if (a->max_err_u != first->max_err_u)
                row->agree = 0;
        }
        if (same_n < 2)
            row->agree = -1;
    }
    return 0;
}

/* "M1, M2 and M4" of the machines with flag[m] set */
static void list_tags(const merge_set *s, const int *flag, char *buf, size_t n)
{
    size_t count = 0, seen = 0, o = 0;
    buf[0] = '\0';
    for (size_t m = 0; m < s->n_machines; m++)
        count += flag[m] != 0;
    for (size_t m = 0; m < s->n_machines && o < n; m++) {
        if (!flag[m])
            continue;
        seen++;
        int w = snprintf(buf + o, n - o, "%s%s", seen == 1 ? "" : seen == count ? " and " : ", ",
                         s->machines[m].tag);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

static int make_notes(merge_set *s)
{
    size_t nm = s->n_machines;
    int *flag = calloc(nm ? nm : 1, sizeof *flag);
    if (!flag)
        return -1;
    char tags[256];
    int rc = 0;

    size_t n_emu = 0, n_quick = 0;
    for (size_t m = 0; m < nm; m++) {
        n_emu += (flag[m] = s->machines[m].run->emulated) != 0;
    }
    if (n_emu) {
        list_tags(s, flag, tags, sizeof tags);
        rc |= add_note(s, "%s ran under user-mode emulation (qemu): %s times measure the "
                          "emulator, not a CPU, so %s speed cells are for correctness only (what "
                          "ran, what was skipped); the accuracy figures hold, since emulation "
                          "computes the same bits.",
                       tags, n_emu > 1 ? "their" : "its", n_emu > 1 ? "their" : "its");
    }
    for (size_t m = 0; m < nm; m++)
        n_quick += (flag[m] = s->machines[m].run->quick) != 0;
    if (n_quick == nm && nm)
        rc |= add_note(s, "Every run is a quick run (`--quick`: fewer repetitions and shapes): "
                          "the times are indicative only.");
    else if (n_quick) {
        list_tags(s, flag, tags, sizeof tags);
        rc |= add_note(s, "%s %s quick (`--quick`: fewer repetitions), the others full runs: "
                          "quick times are less certain.",
                       tags, n_quick > 1 ? "are" : "is");
    }

    /* different builds: a column's difference may be the code, not the machine */
    int builds_differ = 0;
    for (size_t m = 1; m < nm; m++) {
        const run_record *a = s->machines[0].run, *b = s->machines[m].run;
        builds_differ |= strcmp(a->git_revision, b->git_revision) != 0 ||
                         a->git_dirty != b->git_dirty ||
                         strcmp(a->posenc_version, b->posenc_version) != 0;
    }
    if (builds_differ) {
        char list[1024];
        size_t o = 0;
        list[0] = '\0';
        for (size_t m = 0; m < nm && o < sizeof list; m++) {
            const run_record *r = s->machines[m].run;
            int w = snprintf(list + o, sizeof list - o, "%s%s %s %.7s%s", m ? ", " : "",
                             s->machines[m].tag, r->posenc_version,
                             r->git_revision[0] ? r->git_revision : "(unknown commit)",
                             r->git_dirty == 1 ? " with uncommitted changes" : "");
            if (w < 0)
                break;
            o += (size_t)w;
        }
        rc |= add_note(s, "The runs come from different builds (%s): a difference between "
                          "columns may be the code, not the machine.",
                       list);
    }
    for (size_t m = 1; m < nm; m++) {
        const run_record *a = s->machines[0].run, *b = s->machines[m].run;
        if (a->angle_mode != b->angle_mode) {
            rc |= add_note(s, "The kernels were timed in different angle modes (%s %s, %s %s).",
                           s->machines[0].tag, run_angle_mode_name(a->angle_mode),
                           s->machines[m].tag, run_angle_mode_name(b->angle_mode));
            break;
        }
    }
    for (size_t m = 1; m < nm; m++) {
        const run_record *a = s->machines[0].run, *b = s->machines[m].run;
        if (strcmp(a->suite, b->suite)) {
            rc |= add_note(s, "The runs are of different suites (%s %s, %s %s): only the shapes "
                              "they share are compared.",
                           s->machines[0].tag, a->suite, s->machines[m].tag, b->suite);
            break;
        }
    }
    for (size_t m = 0; m < nm; m++)
        if (s->machines[m].repeat > 1)
            rc |= add_note(s, "%s is another run on a machine already listed; it keeps a "
                              "column of its own.",
                           s->machines[m].tag);
    /* one group name, two shapes, element types or thread counts: a changed model table, or a
       hand-edited record (a threaded case's group ends in "/threads=N", so runs of posenc bench
       never give one group two thread counts) */
    for (size_t g = 0; g < s->n_groups; g++) {
        const merge_group *gr = &s->groups[g];
        uint64_t first = 0;
        size_t first_m = 0;
        int have_first = 0;
        run_dtype first_type = RUN_DTYPE_F32;
        int first_threads = 1;
        for (size_t m = 0; m < nm; m++)
            for (size_t i = gr->first_row; i < gr->first_row + gr->n_rows; i++) {
                const run_case *c = merge_cell(s, i, m);
                if (!c)
                    continue;
                if (!have_first) {
                    have_first = 1;
                    first = c->elements;
                    first_m = m;
                    first_type = c->dtype;
                    first_threads = run_case_threads(c);
                } else if (run_case_threads(c) != first_threads ||
                           c->dtype != first_type) {
                    const int by_threads = run_case_threads(c) != first_threads;
                    char was[16], is[16];
                    snprintf(was, sizeof was, "%s", run_dtype_name(first_type));
                    snprintf(is, sizeof is, "%s", run_dtype_name(c->dtype));
                    if (by_threads) {
                        snprintf(was, sizeof was, "%d", first_threads);
                        snprintf(is, sizeof is, "%d", run_case_threads(c));
                    }
                    rc |= add_note(s, "`%s` is not on the same %s on every machine (%s: %s, "
                                      "%s: %s): its cells are not one case.",
                                   gr->group,
                                   by_threads ? "number of threads" : "element type",
                                   s->machines[first_m].tag, was, s->machines[m].tag, is);
                    m = nm;
                    break;
                } else if (c->elements != first) {
                    rc |= add_note(s, "`%s` is not the same shape on every machine (%s: %" PRIu64
                                      " elements, %s: %" PRIu64 "): compare ns per element, not "
                                      "times.",
                                   gr->group, s->machines[first_m].tag, first,
                                   s->machines[m].tag, c->elements);
                    m = nm; /* one note per group */
                    break;
                }
            }
    }
    free(flag);
    return rc ? -1 : 0;
}

int merge_build(merge_set *s, const run_record *runs, const char *const *sources, size_t n,
                merge_metric metric)
{
    memset(s, 0, sizeof *s);
    s->metric = metric;
    s->n_machines = n;
    s->machines = calloc(n ? n : 1, sizeof *s->machines);
    if (!s->machines)
        return -1;
    for (size_t m = 0; m < n; m++) {
        s->machines[m].run = &runs[m];
        s->machines[m].source = sources[m];
    }
    make_labels(s);
    if (make_rows(s) || fill_cells(s) || make_accuracy(s) || make_notes(s)) {
        merge_set_free(s);
        return -1;
    }
    return 0;
}

void merge_set_free(merge_set *s)
{
    for (size_t g = 0; s->groups && g < s->n_groups; g++)
        free(s->groups[g].fastest);
    for (size_t i = 0; s->acc && i < s->n_acc; i++)
        free((void *)s->acc[i].cell);
    for (size_t i = 0; i < s->n_notes; i++)
        free(s->notes[i]);
    free(s->notes);
    free(s->acc);
    free(s->groups);
    free(s->cells);
    free(s->rows);
    free(s->machines);
    memset(s, 0, sizeof *s);
}

/* ---- reading ---------------------------------------------------------------------------- */

static int run_has_group(const run_record *r, const char *group)
{
    for (size_t k = 0; k < r->n_cases; k++)
        if (!strcmp(r->cases[k].group, group))
            return 1;
    return 0;
}

merge_cell_kind merge_cell_kind_of(const merge_set *s, size_t row, size_t machine,
                                   const char **why)
{
    const run_case *c = merge_cell(s, row, machine);
    if (c) {
        if (is_ok(c)) {
            *why = "";
            return MERGE_CELL_OK;
        }
        int skipped = c->status == RUN_STATUS_SKIPPED;
        *why = c->reason[0] ? c->reason : skipped ? "skipped" : "failed";
        return skipped ? MERGE_CELL_SKIPPED : MERGE_CELL_ERROR;
    }
    if (!run_has_group(s->machines[machine].run, s->rows[row].group)) {
        *why = "shape not run on this machine";
        return MERGE_CELL_NO_SHAPE;
    }
    *why = s->rows[row].dispatch ? "dispatch not timed in this run" : "not in this build";
    return MERGE_CELL_ABSENT;
}

const merge_group *merge_group_of(const merge_set *s, size_t row)
{
    for (size_t g = 0; g < s->n_groups; g++)
        if (row >= s->groups[g].first_row && row < s->groups[g].first_row + s->groups[g].n_rows)
            return &s->groups[g];
    return NULL;
}

int merge_is_fastest(const merge_set *s, size_t row, size_t machine)
{
    const merge_group *g = merge_group_of(s, row);
    return g && g->fastest[machine] == (long)row;
}

const char *merge_acc_missing_reason(const merge_set *s, size_t acc_row, size_t machine)
{
    const run_record *r = s->machines[machine].run;
    const char *impl = s->acc[acc_row].implementation;
    const run_case *skipped = NULL;
    int ran = 0;
    for (size_t k = 0; k < r->n_cases; k++) {
        const run_case *c = &r->cases[k];
        if (c->dispatched || strcmp(c->implementation, impl))
            continue;
        if (is_ok(c))
            ran = 1;
        else if (!skipped)
            skipped = c;
    }
    if (!ran && skipped)
        return skipped->reason[0] ? skipped->reason : run_status_name(skipped->status);
    for (size_t k = 0; k < r->n_accuracy; k++)
        if (!strcmp(r->accuracy[k].implementation, impl))
            return "no exact-mode sweep in this run";
    if (ran || !r->n_accuracy)
        return "not swept in this run";
    return "not in this build";
}
