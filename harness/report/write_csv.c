/* write_csv.c - results.csv from a run_record (write_csv.h): a flat row per case, RFC 4180. */
#include "write_csv.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "variants_view.h"
#include "write_json.h"

/* The columns in order; results/README.md explains each. write_row writes the same order. */
static const char *const columns[] = {
    "id", "group", "encoding", "op", "model", "shape", "implementation", "status", "reason",
    "tokens", "heads", "kv_heads", "head_dim", "rotary_dim", "pairing", "base",
    "first_position", "last_position", "elements", "bytes", "table_bytes", "repetitions",
    "median_ns", "min_ns", "mean_ns", "stddev_ns", "ns_per_element", "elements_per_second",
    "bytes_per_second", "mempass_id", "mempass_median_ns", "ratio_to_mempass",
    "speedup_over_scalar", "sgemm_median_ns", "encoding_fraction", "angle_mode", "max_err_u",
    "max_ulp", "mean_err_u", "bound_u", "within_bound", "cpu_model", "git_revision",
    "dispatched", "instructions_per_element", "instructions_source", "instructions_impl",
    "machine_kind", "variant", "model_key", "scaling", "attention_factor", "mrope", "alibi_form",
    "keys", "axes", "variant_implementation", "variant_max_err_exact", "variant_max_err_fp32",
    "variant_max_err_bf16", "variant_max_err_fp16", "variant_within_bound", "fp32_max_err_u",
    "bf16_max_err_u", "fp16_max_err_u", "dtype", "threads"};
#define N_COLUMNS (sizeof columns / sizeof *columns)

typedef struct csv {
    report_file *out;
    size_t col; /* fields written in the current row */
} csv;

static void put(csv *c, const char *s) { report_file_puts(c->out, s); }

/* One field: bytes that are not UTF-8 become U+FFFD; quoted when RFC 4180 requires it. */
static void field(csv *c, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int quote = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            quote = 1;
    if (c->col++)
        put(c, ",");
    if (quote)
        put(c, "\"");
    const unsigned char *run = p; /* bytes copied as they are, written in one go */
    while (p < end) {
        uint32_t cp;
        int n = *p < 0x80 ? 1 : utf8_decode(p, (size_t)(end - p), &cp);
        if (n > 0 && *p != '"') {
            p += n;
            continue;
        }
        report_file_write(c->out, run, (size_t)(p - run));
        put(c, *p == '"' ? "\"\"" : "\xEF\xBF\xBD");
        p++;
        run = p;
    }
    report_file_write(c->out, run, (size_t)(p - run));
    if (quote)
        put(c, "\"");
}

#define STR(c, f) field(c, f, report_field_len(f, sizeof f))
/* a name of one of run.json's closed sets (run_record.h) */
#define NAME(c, name) field(c, name, strlen(name))

static void empty(csv *c) { field(c, "", 0); }

static void num(csv *c, double v)
{
    char buf[32];
    if (!isfinite(v)) {
        empty(c);
        return;
    }
    field(c, buf, report_format_double(v, buf));
}

static void i64(csv *c, int64_t v)
{
    char buf[24];
    field(c, buf, (size_t)snprintf(buf, sizeof buf, "%" PRId64, v));
}

static void u64(csv *c, uint64_t v)
{
    char buf[24];
    field(c, buf, (size_t)snprintf(buf, sizeof buf, "%" PRIu64, v));
}

static void end_row(csv *c)
{
    put(c, "\r\n");
    c->col = 0;
}

static void write_row(csv *c, const run_record *r, const run_case *k)
{
    int ok = k->status == RUN_STATUS_OK;
    STR(c, k->id);
    STR(c, k->group);
    NAME(c, run_encoding_name(k->encoding));
    NAME(c, run_op_name(k->op));
    STR(c, k->model);
    STR(c, k->shape);
    STR(c, k->implementation);
    NAME(c, run_status_name(k->status));
    STR(c, k->reason);
    i64(c, k->tokens);
    i64(c, k->heads);
    i64(c, k->kv_heads);
    i64(c, k->head_dim);
    i64(c, k->rotary_dim);
    STR(c, k->pairing);
    num(c, k->base);
    i64(c, k->first_position);
    i64(c, k->last_position);
    u64(c, k->elements);
    u64(c, k->bytes);
    if (ok) {
        u64(c, k->table_bytes);
        i64(c, k->repetitions);
        num(c, k->median_ns);
        num(c, k->min_ns);
        num(c, k->mean_ns);
        num(c, k->stddev_ns);
        num(c, k->ns_per_element);
        num(c, k->elements_per_second);
        num(c, k->bytes_per_second);
        STR(c, k->mempass_id);
        num(c, k->mempass_median_ns);
        num(c, k->ratio_to_mempass);
        num(c, k->speedup_over_scalar);
    } else { /* a case that did not run has no measurements */
        for (int i = 0; i < 13; i++)
            empty(c);
    }
    num(c, k->sgemm_median_ns);
    num(c, k->encoding_fraction);
    const run_accuracy *a = k->accuracy;
    if (a) {
        NAME(c, run_angle_mode_name(a->angle_mode));
        num(c, a->max_err_u);
        num(c, a->max_ulp);
        num(c, a->mean_err_u);
        num(c, a->bound_u);
        const char *within = a->within_bound == 1 ? "true" : a->within_bound == 0 ? "false" : "";
        field(c, within, strlen(within)); /* -1: no bound (fp32 mode) */
    } else {
        for (int i = 0; i < 6; i++)
            empty(c);
    }
    STR(c, r->cpu_model);
    STR(c, r->git_revision);
    const char *dispatched = k->dispatched ? "true" : "false";
    field(c, dispatched, strlen(dispatched));
    if (ok && k->instructions_source[0]) {
        num(c, k->instructions_per_element);
        STR(c, k->instructions_source);
        if (k->instructions_impl[0])
            STR(c, k->instructions_impl);
        else
            STR(c, k->implementation);
    } else {
        empty(c);
        empty(c);
        empty(c);
    }
    STR(c, r->kind);
    /* the variant, and its sweep (variant_accuracy: the dispatched implementation's) */
    const run_variant *v = &k->variant;
    STR(c, v->name);
    STR(c, v->model_key);
    STR(c, v->scaling);
    num(c, v->attention_factor);
    STR(c, v->mrope);
    STR(c, v->alibi_form);
    if (k->keys)
        i64(c, k->keys);
    else
        empty(c);
    i64(c, k->axes > 0 ? k->axes : 1);
    const run_variant_accuracy *ex =
        v->name[0] ? variants_view_accuracy(r, k->model, v->name, RUN_ANGLE_EXACT) : NULL;
    const run_variant_accuracy *fp =
        v->name[0] ? variants_view_accuracy(r, k->model, v->name, RUN_ANGLE_FP32) : NULL;
    if (ex || fp)
        STR(c, (ex ? ex : fp)->acc.implementation);
    else
        empty(c);
    /* in u; alibi in ulps of the correctly rounded bias, as the variants view shows them */
    double e = NAN, x = NAN;
    if (ex)
        e = ex->acc.encoding == RUN_ENCODING_ALIBI ? ex->acc.max_ulp : ex->acc.max_err_u;
    if (fp)
        x = fp->acc.encoding == RUN_ENCODING_ALIBI ? fp->acc.max_ulp : fp->acc.max_err_u;
    num(c, e);
    num(c, x);
    for (int m = 2; m < VARIANTS_N_MODES; m++) { /* bf16, fp16 */
        const run_variant_accuracy *h =
            v->name[0] ? variants_view_accuracy(r, k->model, v->name, (run_angle_mode)m) : NULL;
        num(c, !h                                    ? NAN
               : h->acc.encoding == RUN_ENCODING_ALIBI ? h->acc.max_ulp
                                                       : h->acc.max_err_u);
    }
    const char *within = ex && ex->acc.within_bound == 1 ? "true"
                         : ex && ex->acc.within_bound == 0 ? "false" : "";
    field(c, within, strlen(within));
    /* the case's implementation swept in the recipe modes (max_err_u above is exact mode's) */
    for (int m = 1; m < VARIANTS_N_MODES; m++) {
        const run_accuracy *rec =
            run_find_accuracy(r, k->implementation, (run_angle_mode)m, RUN_DTYPE_F32);
        num(c, rec ? rec->max_err_u : NAN);
    }
    NAME(c, run_dtype_name(k->dtype));
    i64(c, run_case_threads(k));
}

int report_write_csv(const run_record *r, const char *path)
{
    if (r->n_cases && !r->cases) {
        fprintf(stderr, "posenc: cannot write %s: the run record lists cases it does not hold\n",
                path);
        return -1;
    }
    report_file out;
    if (report_file_open(&out, path))
        return -1;
    csv c = {&out, 0};
    for (size_t i = 0; i < N_COLUMNS; i++)
        field(&c, columns[i], strlen(columns[i]));
    end_row(&c);
    for (size_t i = 0; i < r->n_cases; i++) {
        write_row(&c, r, &r->cases[i]);
        if (c.col != N_COLUMNS) { /* a column added to one list and not the other */
            fprintf(stderr, "posenc: cannot write %s: row of %zu fields, header of %zu\n", path,
                    c.col, (size_t)N_COLUMNS);
            report_file_abort(&out);
            return -1;
        }
        end_row(&c);
    }
    return report_file_commit(&out);
}
