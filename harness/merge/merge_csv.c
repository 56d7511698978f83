/* merge_csv.c - merge.csv: the merged matrix as one flat table for programs and spreadsheets,
 * a row per (case group, implementation, machine), RFC 4180 with CRLF and a header row. The
 * long form keeps every machine's facts (emulated, ISA set) on its own rows, so a pivot
 * rebuilds the matrix of merge.md without a column name to parse. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "merge_out.h"
#include "write_json.h"

/* The columns in order; results/README.md ("posenc merge") explains each. */
static const char *const columns[] = {
    "group", "encoding", "op", "implementation", "backend", "dispatched_to", "machine",
    "machine_label", "cpu_model", "cpu_features", "arch", "emulated", "run_id", "status",
    "reason", "median_ns", "ns_per_element", "ratio_to_mempass", "speedup_over_scalar",
    "fastest", "fastest_backend", "max_err_u", "bound_u", "within_bound"};
#define N_COLUMNS (sizeof columns / sizeof *columns)

typedef struct csv {
    FILE *f;
    size_t col;
} csv;

/* One field, quoted when it holds a comma, a quote, CR or LF; bytes that are not UTF-8 (a
 * name cut inside a character by a fixed-size field) become U+FFFD. */
static void field(csv *c, const char *s)
{
    size_t len = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (c->col++)
        fputc(',', c->f);
    if (quote)
        fputc('"', c->f);
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        uint32_t cp;
        int n = *p < 0x80 ? 1 : utf8_decode(p, (size_t)(end - p), &cp);
        if (n <= 0) {
            fputs("\xEF\xBF\xBD", c->f);
            p++;
        } else {
            if (*p == '"')
                fputc('"', c->f);
            fwrite(p, 1, (size_t)n, c->f);
            p += n;
        }
    }
    if (quote)
        fputc('"', c->f);
}

/* NaN (not measured, not applicable) is the empty field. */
static void num(csv *c, double v)
{
    char buf[32];
    if (!isfinite(v)) {
        field(c, "");
        return;
    }
    report_format_double(v, buf);
    field(c, buf);
}

static void end_row(csv *c)
{
    fputs("\r\n", c->f);
    c->col = 0;
}

static const run_accuracy *exact_record(const run_record *r, const char *impl)
{
    return run_find_accuracy(r, impl, RUN_ANGLE_EXACT, RUN_DTYPE_F32);
}

static void write_row(csv *c, const merge_set *s, size_t i, size_t m)
{
    const merge_row *row = &s->rows[i];
    const merge_machine *mm = &s->machines[m];
    const run_record *r = mm->run;
    const run_case *k = merge_cell(s, i, m);
    const char *why;
    merge_cell_kind kind = merge_cell_kind_of(s, i, m, &why);
    field(c, row->group);
    field(c, run_encoding_name(row->encoding));
    field(c, run_op_name(row->op));
    field(c, row->implementation);
    field(c, merge_backend_of(row->implementation));
    field(c, row->dispatch && k ? k->implementation : "");
    field(c, mm->tag);
    field(c, mm->label);
    field(c, r->cpu_model);
    field(c, r->cpu_features);
    field(c, r->arch);
    field(c, r->emulated ? "true" : "false");
    field(c, r->id);
    field(c, kind == MERGE_CELL_OK        ? "ok"
             : kind == MERGE_CELL_SKIPPED ? "skipped"
             : kind == MERGE_CELL_ERROR   ? "error"
                                          : "absent");
    field(c, why);
    int ok = kind == MERGE_CELL_OK;
    num(c, ok ? k->median_ns : NAN);
    num(c, merge_metric_value(k, MERGE_NS_PER_ELEMENT));
    num(c, merge_metric_value(k, MERGE_RATIO_TO_MEMPASS));
    num(c, merge_metric_value(k, MERGE_SPEEDUP_OVER_SCALAR));
    field(c, !ok || row->dispatch ? "" : merge_is_fastest(s, i, m) ? "true" : "false");
    const merge_group *g = merge_group_of(s, i);
    long best = g ? g->fastest[m] : -1;
    field(c, best >= 0 ? merge_backend_of(s->rows[best].implementation) : "");
    /* the implementation's exact-mode sweep on this machine, whatever the speed cell holds */
    const char *impl = row->dispatch ? (k ? k->implementation : NULL) : row->implementation;
    const run_accuracy *a = impl ? exact_record(r, impl) : NULL;
    num(c, a ? a->max_err_u : NAN);
    num(c, a ? a->bound_u : NAN);
    field(c, !a || a->within_bound < 0 ? "" : a->within_bound ? "true" : "false");
}

void merge_write_csv(const merge_set *s, FILE *f)
{
    csv c = {f, 0};
    for (size_t i = 0; i < N_COLUMNS; i++)
        field(&c, columns[i]);
    end_row(&c);
    for (size_t i = 0; i < s->n_rows; i++)
        for (size_t m = 0; m < s->n_machines; m++) {
            write_row(&c, s, i, m);
            end_row(&c);
        }
}
