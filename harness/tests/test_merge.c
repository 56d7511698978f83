/* test_merge.c - `posenc merge` on three synthetic runs written with report_write_json (an x86-64
 * AVX2 machine, an x86-64 AVX-512 one, an emulated AArch64 one): merge.csv read back with a
 * strict RFC 4180 reader, merge.md and merge.html checked for the emulated machine, the skip
 * reasons and offline-only content; then the errors: a missing folder, an unknown schema or
 * version, a damaged field, usage mistakes, none of which may leave an output behind.
 * `test_merge --write DIR` also keeps the merged files in DIR to look at. */
#define _XOPEN_SOURCE 700 /* mkdtemp, mkstemp, dup, dup2, nftw */

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "commands.h"
#include "csv_strict.h"
#include "run_record.h"
#include "write_json.h"

/* ---- the synthetic runs ---------------------------------------------------------------------- */

#define G_ROT "rotary_apply/llama-3-8b/T=512"
#define G_SIN "sinusoidal_encode/transformer-base/seq=4096"
#define LACKS_AVX512 "this CPU lacks avx512f avx512bw avx512dq avx512vl"
/* a reason that needs quoting in CSV and escaping in HTML */
static const char sleef_reason[] = "SLEEF built without \"neon\", see scripts/setup <3";

typedef struct machine_def {
    run_record rec;
    run_case cases[8];
    run_accuracy acc[8];
} machine_def;

static machine_def mach[3];

static void add_case(machine_def *m, const char *group, const char *impl, run_status status,
                     double ns_per_element, const char *dispatch_picked)
{
    run_case *c = &m->cases[m->rec.n_cases++];
    memset(c, 0, sizeof *c);
    int rot = !strncmp(group, "rotary", 6);
    snprintf(c->group, sizeof c->group, "%s", group);
    snprintf(c->id, sizeof c->id, "%s/impl=%s", group, dispatch_picked ? "dispatch" : impl);
    snprintf(c->implementation, sizeof c->implementation, "%s",
             dispatch_picked ? dispatch_picked : impl);
    c->dispatched = dispatch_picked != NULL;
    c->encoding = rot ? RUN_ENCODING_ROTARY : RUN_ENCODING_SINUSOIDAL;
    c->op = rot ? RUN_OP_APPLY : RUN_OP_ENCODE;
    snprintf(c->model, sizeof c->model, "%s", rot ? "Llama-3-8B" : "Transformer-base");
    snprintf(c->shape, sizeof c->shape, "%s", rot ? "T=512" : "seq=4096");
    snprintf(c->pairing, sizeof c->pairing, "half");
    c->status = status;
    c->tokens = rot ? 512 : 4096;
    c->heads = rot ? 32 : 1;
    c->kv_heads = rot ? 8 : 1;
    c->head_dim = rot ? 128 : 512;
    c->rotary_dim = rot ? 128 : 0;
    c->base = rot ? 500000 : 10000;
    c->last_position = c->tokens - 1;
    c->elements = 2097152;
    c->bytes = rot ? 16777216 : 8388608;
    c->sgemm_median_ns = c->score_median_ns = c->encoding_fraction = NAN;
    c->instructions_per_element = NAN;
    if (status != RUN_STATUS_OK) {
        snprintf(c->reason, sizeof c->reason, "%s",
                 !strcmp(impl, "rotary/sleef-u10-neon") ? sleef_reason : LACKS_AVX512);
        c->median_ns = c->min_ns = c->mean_ns = c->stddev_ns = c->ns_per_element = NAN;
        c->elements_per_second = c->bytes_per_second = c->mempass_median_ns = NAN;
        c->ratio_to_mempass = c->speedup_over_scalar = NAN;
        return;
    }
    c->repetitions = 3;
    c->ns_per_element = ns_per_element;
    c->median_ns = c->min_ns = c->mean_ns = ns_per_element * (double)c->elements;
    c->times_ns[0] = c->times_ns[1] = c->times_ns[2] = c->median_ns;
    c->stddev_ns = 0;
    c->elements_per_second = 1e9 / ns_per_element;
    c->bytes_per_second = (double)c->bytes / c->median_ns * 1e9;
    snprintf(c->mempass_id, sizeof c->mempass_id, "mempass_rw/bytes=%llu",
             (unsigned long long)c->bytes);
    c->mempass_median_ns = 0.25 * (double)c->elements;
    c->ratio_to_mempass = c->median_ns / c->mempass_median_ns;
    c->speedup_over_scalar = NAN; /* set once the scalar case is known */
}

static void add_accuracy(machine_def *m, const char *impl, run_angle_mode mode, double max_err,
                         double bound)
{
    run_accuracy *a = &m->acc[m->rec.n_accuracy++];
    memset(a, 0, sizeof *a);
    snprintf(a->implementation, sizeof a->implementation, "%s", impl);
    a->encoding = !strncmp(impl, "rotary", 6) ? RUN_ENCODING_ROTARY : RUN_ENCODING_SINUSOIDAL;
    a->angle_mode = mode;
    a->bound_u = mode != RUN_ANGLE_EXACT ? NAN : bound;
    a->values_checked = 1000000;
    a->max_err_u = max_err;
    a->max_ulp = max_err / 2;
    a->mean_err_u = max_err / 8;
    a->worst_position = 2147483647;
    a->worst_index = 3;
    snprintf(a->worst_value, sizeof a->worst_value, "sin");
    a->apply_max_err_u = a->apply_bound_u = NAN;
    a->within_bound = mode != RUN_ANGLE_EXACT ? -1 : max_err <= bound;
    a->bit_exact = -1;
    for (int d = 0; d < RUN_N_DECADES; d++) {
        a->decades[d].lo = d ? (int64_t)pow(10, d) : 0;
        a->decades[d].hi = d == RUN_N_DECADES - 1 ? INT64_C(2147483648) : (int64_t)pow(10, d + 1);
        a->decades[d].count = 100000;
        a->decades[d].max_err_u = max_err;
        a->decades[d].max_ulp = max_err / 2;
        a->decades[d].mean_err_u = max_err / 8;
    }
}

static const char *backend(const char *impl)
{
    const char *slash = strchr(impl, '/');
    return slash ? slash + 1 : impl;
}

/* Speedups from the scalar case of each group, and each case's link to its exact-mode record,
 * as posenc bench leaves them. */
static void finish(machine_def *m)
{
    run_record *r = &m->rec;
    for (size_t i = 0; i < r->n_cases; i++) {
        run_case *c = &r->cases[i];
        for (size_t k = 0; k < r->n_cases; k++)
            if (!strcmp(r->cases[k].group, c->group) && !r->cases[k].dispatched &&
                !strcmp(backend(r->cases[k].implementation), "scalar") &&
                c->status == RUN_STATUS_OK)
                c->speedup_over_scalar = r->cases[k].median_ns / c->median_ns;
        for (size_t k = 0; k < r->n_accuracy; k++)
            if (!strcmp(r->accuracy[k].implementation, c->implementation) &&
                r->accuracy[k].angle_mode == RUN_ANGLE_EXACT)
                c->accuracy = &r->accuracy[k];
    }
}

static void machine(machine_def *m, const char *id, const char *cpu, const char *arch,
                    const char *features, int emulated, int quick)
{
    run_record *r = &m->rec;
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", id);
    snprintf(r->started_utc, sizeof r->started_utc, "2026-11-30T08:15:00Z");
    snprintf(r->command, sizeof r->command, "posenc bench --quick");
    r->quick = quick;
    snprintf(r->suite, sizeof r->suite, "models");
    r->angle_mode = RUN_ANGLE_EXACT;
    r->threads = 1;
    snprintf(r->host, sizeof r->host, "host-%s", id);
    snprintf(r->cpu_model, sizeof r->cpu_model, "%s", cpu);
    snprintf(r->arch, sizeof r->arch, "%s", arch);
    r->emulated = emulated;
    r->cores = 4;
    r->mhz = NAN;
    snprintf(r->cpu_features, sizeof r->cpu_features, "%s", features);
    snprintf(r->cpu_features_detected, sizeof r->cpu_features_detected, "%s", features);
    r->load_avg[0] = r->load_avg[1] = r->load_avg[2] = NAN;
    snprintf(r->posenc_version, sizeof r->posenc_version, "0.1.0");
    snprintf(r->compiler, sizeof r->compiler, "GNU 12.2.0");
    snprintf(r->flags, sizeof r->flags, "-O3 -DNDEBUG -ffp-contract=off");
    snprintf(r->git_revision, sizeof r->git_revision, "1fdddc89fbc61e552b4235b59bd9fec694895ff7");
    r->git_dirty = 0;
    r->cases = m->cases;
    r->accuracy = m->acc;
}

static void make_runs(void)
{
    machine_def *a = &mach[0], *b = &mach[1], *c = &mach[2];
    machine(a, "run-avx2", "Intel(R) Xeon(R) Gold 6338", "x86_64", "sse4.1 avx avx2 fma f16c", 0,
            0);
    add_case(a, G_ROT, "rotary/avx512", RUN_STATUS_SKIPPED, NAN, NULL);
    add_case(a, G_ROT, "rotary/avx2", RUN_STATUS_OK, 0.8, NULL);
    add_case(a, G_ROT, "rotary/scalar", RUN_STATUS_OK, 1.6, NULL);
    add_case(a, G_ROT, NULL, RUN_STATUS_OK, 0.81, "rotary/avx2");
    add_case(a, G_SIN, "sinusoidal/avx512", RUN_STATUS_SKIPPED, NAN, NULL);
    add_case(a, G_SIN, "sinusoidal/avx2", RUN_STATUS_OK, 0.3, NULL);
    add_case(a, G_SIN, "sinusoidal/scalar", RUN_STATUS_OK, 0.9, NULL);
    /* bf16 data (schema version 6): not in the table, which holds float32 records */
    add_accuracy(a, "rotary/avx2", RUN_ANGLE_EXACT, 32768, NAN);
    a->acc[a->rec.n_accuracy - 1].dtype = RUN_DTYPE_BF16;
    add_accuracy(a, "rotary/avx2", RUN_ANGLE_EXACT, 3.5, 8);
    add_accuracy(a, "rotary/avx2", RUN_ANGLE_FP32, 777.125, NAN); /* fp32 mode: not in the table */
    add_accuracy(a, "rotary/scalar", RUN_ANGLE_EXACT, 3.5, 8);
    add_accuracy(a, "sinusoidal/avx2", RUN_ANGLE_EXACT, 1.5, 4);

    machine(b, "run-avx512", "AMD EPYC 9654 96-Core Processor", "x86_64",
            "sse4.1 avx avx2 fma f16c avx512f avx512bw avx512dq avx512vl", 0, 0);
    add_case(b, G_ROT, "rotary/avx512", RUN_STATUS_OK, 0.5, NULL);
    add_case(b, G_ROT, "rotary/avx2", RUN_STATUS_OK, 0.7, NULL);
    add_case(b, G_ROT, "rotary/scalar", RUN_STATUS_OK, 1.5, NULL);
    add_case(b, G_ROT, NULL, RUN_STATUS_OK, 0.52, "rotary/avx512");
    add_case(b, G_SIN, "sinusoidal/avx512", RUN_STATUS_OK, 0.2, NULL);
    add_case(b, G_SIN, "sinusoidal/avx2", RUN_STATUS_OK, 0.25, NULL);
    add_case(b, G_SIN, "sinusoidal/scalar", RUN_STATUS_OK, 0.8, NULL);
    add_accuracy(b, "rotary/avx512", RUN_ANGLE_EXACT, 3.5, 8);
    add_accuracy(b, "rotary/avx2", RUN_ANGLE_EXACT, 3.5, 8);
    add_accuracy(b, "rotary/scalar", RUN_ANGLE_EXACT, 3.5, 8);
    add_accuracy(b, "sinusoidal/avx2", RUN_ANGLE_EXACT, 1.5, 4);

    /* emulated, quick, and without the sinusoidal shape */
    machine(c, "run-qemu", "Neoverse-N1", "aarch64", "asimd", 1, 1);
    add_case(c, G_ROT, "rotary/neon", RUN_STATUS_OK, 41.25, NULL);
    add_case(c, G_ROT, "rotary/scalar", RUN_STATUS_OK, 97.5, NULL);
    add_case(c, G_ROT, "rotary/sleef-u10-neon", RUN_STATUS_SKIPPED, NAN, NULL);
    add_accuracy(c, "rotary/neon", RUN_ANGLE_EXACT, 9.5, 8); /* over its bound: shown, not hidden */
    add_accuracy(c, "rotary/scalar", RUN_ANGLE_EXACT, 3.5, 8);
    for (int i = 0; i < 3; i++)
        finish(&mach[i]);
}

/* ---- files and commands ---------------------------------------------------------------------- */

static int spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fputs(text, f) < 0;
    return fclose(f) != 0 || bad ? -1 : 0;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = s; (p = strstr(p, needle)); p += len)
        n++;
    return n;
}

/* Files in dir whose name starts with "merge" (outputs or their .tmp): none after a failure. */
static size_t merge_files(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += !strncmp(e->d_name, "merge", 5);
    if (d)
        closedir(d);
    return n;
}

/* `posenc merge ARGS...` in this process, its stderr kept in err. */
static char err[8192];

static int merge(const char *first, ...)
{
    char *argv[16] = {"merge"};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;

    char path[] = "/tmp/test_merge_stderr_XXXXXX";
    int fd = mkstemp(path);
    fflush(stderr);
    int saved = dup(2);
    if (fd >= 0)
        dup2(fd, 2);
    int rc = cmd_merge(argc, argv);
    fflush(stderr);
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    err[0] = '\0';
    if (fd >= 0) {
        close(fd);
        char *text = tests_slurp(path, NULL);
        snprintf(err, sizeof err, "%s", text ? text : "");
        free(text);
        unlink(path);
    }
    return rc;
}

/* ---- merge.csv ------------------------------------------------------------------------------- */

#define CSV_ROWS 64
#define CSV_COLS 32

typedef struct table {
    size_t rows, cols[CSV_ROWS];
    char *cell[CSV_ROWS][CSV_COLS];
} table;

static void on_field(size_t row, size_t col, const char *text, size_t len, void *ctx)
{
    table *t = ctx;
    if (row >= CSV_ROWS || col >= CSV_COLS)
        return;
    t->cell[row][col] = malloc(len + 1);
    if (t->cell[row][col])
        memcpy(t->cell[row][col], text, len + 1);
    if (col + 1 > t->cols[row])
        t->cols[row] = col + 1;
}

static void table_free(table *t)
{
    for (size_t r = 0; r < CSV_ROWS; r++)
        for (size_t c = 0; c < CSV_COLS; c++)
            free(t->cell[r][c]);
}

/* The columns results/README.md documents, in order. */
static const char *const csv_columns[] = {
    "group", "encoding", "op", "implementation", "backend", "dispatched_to", "machine",
    "machine_label", "cpu_model", "cpu_features", "arch", "emulated", "run_id", "status",
    "reason", "median_ns", "ns_per_element", "ratio_to_mempass", "speedup_over_scalar",
    "fastest", "fastest_backend", "max_err_u", "bound_u", "within_bound"};
#define N_CSV_COLUMNS (sizeof csv_columns / sizeof *csv_columns)

static size_t col_of(const char *name)
{
    for (size_t c = 0; c < N_CSV_COLUMNS; c++)
        if (!strcmp(csv_columns[c], name))
            return c;
    fprintf(stderr, "test_merge: no column %s\n", name);
    exit(2);
}

/* The field `column` of the row of (implementation, machine); "?" when there is no such row. */
static const char *field(const table *t, const char *impl, const char *mach_tag,
                         const char *column)
{
    size_t ci = col_of("implementation"), cm = col_of("machine"), cc = col_of(column);
    for (size_t r = 1; r < t->rows && r < CSV_ROWS; r++)
        if (t->cell[r][ci] && t->cell[r][cm] && !strcmp(t->cell[r][ci], impl) &&
            !strcmp(t->cell[r][cm], mach_tag))
            return t->cell[r][cc] ? t->cell[r][cc] : "";
    return "?";
}

#define CHECK_FIELD(t, impl, m, column, want)                                                 \
    do {                                                                                      \
        const char *got_ = field(t, impl, m, column);                                         \
        CHECK(!strcmp(got_, want), "merge.csv %s on %s, %s: '%s', expected '%s'", impl, m,    \
              column, got_, want);                                                            \
    } while (0)

static void check_csv(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/merge.csv", dir);
    size_t len = 0;
    char *text = tests_slurp(path, &len);
    CHECK(text != NULL, "no %s", path);
    if (!text)
        return;
    table t = {0};
    const char *bad = csv_strict_read(text, len, on_field, &t, &t.rows);
    CHECK(bad == NULL, "merge.csv is not strict RFC 4180: %s", bad ? bad : "");
    /* rows: rotary 6 (avx512, avx2, scalar, neon, sleef-u10-neon, dispatch), sinusoidal 3;
     * each on the 3 machines, and the header */
    CHECK(t.rows == 1 + (6 + 3) * 3, "merge.csv has %zu records, expected %d", t.rows,
          1 + (6 + 3) * 3);
    for (size_t r = 0; r < t.rows && r < CSV_ROWS; r++)
        CHECK(t.cols[r] == N_CSV_COLUMNS, "merge.csv record %zu has %zu fields, expected %zu", r,
              t.cols[r], N_CSV_COLUMNS);
    for (size_t c = 0; c < N_CSV_COLUMNS; c++)
        CHECK(t.cell[0][c] && !strcmp(t.cell[0][c], csv_columns[c]),
              "merge.csv column %zu is '%s', expected '%s'", c, t.cell[0][c] ? t.cell[0][c] : "",
              csv_columns[c]);

    /* the machines: labels with CPU, ISA set and arch; the emulated one says so on every row */
    const char *label3 = field(&t, "rotary/neon", "M3", "machine_label");
    CHECK(strstr(label3, "Neoverse-N1") && strstr(label3, "asimd") && strstr(label3, "aarch64") &&
              strstr(label3, "emulated"),
          "label of the emulated machine: '%s'", label3);
    const char *label2 = field(&t, "rotary/neon", "M2", "machine_label");
    CHECK(strstr(label2, "avx512f") && strstr(label2, "x86_64") && !strstr(label2, "emulated"),
          "label of the AVX-512 machine: '%s'", label2);
    size_t cm = col_of("machine"), ce = col_of("emulated");
    for (size_t r = 1; r < t.rows && r < CSV_ROWS; r++) {
        const char *m = t.cell[r][cm] ? t.cell[r][cm] : "", *e = t.cell[r][ce];
        CHECK(e && !strcmp(e, strcmp(m, "M3") ? "false" : "true"), "record %zu (%s): emulated %s",
              r, m, e ? e : "(none)");
    }

    /* speed cells, skips and absences */
    CHECK_FIELD(&t, "rotary/avx512", "M1", "status", "skipped");
    CHECK_FIELD(&t, "rotary/avx512", "M1", "reason", LACKS_AVX512);
    CHECK_FIELD(&t, "rotary/avx512", "M1", "ns_per_element", "");
    CHECK_FIELD(&t, "rotary/avx512", "M2", "status", "ok");
    CHECK_FIELD(&t, "rotary/avx512", "M2", "ns_per_element", "0.5");
    CHECK_FIELD(&t, "rotary/avx512", "M2", "speedup_over_scalar", "3");
    CHECK_FIELD(&t, "rotary/avx512", "M2", "fastest", "true");
    CHECK_FIELD(&t, "rotary/avx2", "M2", "fastest", "false");
    CHECK_FIELD(&t, "rotary/avx2", "M1", "fastest", "true");
    CHECK_FIELD(&t, "rotary/neon", "M1", "status", "absent");
    CHECK_FIELD(&t, "rotary/neon", "M1", "reason", "not in this build");
    CHECK_FIELD(&t, "rotary/neon", "M3", "status", "ok");
    CHECK_FIELD(&t, "rotary/neon", "M3", "ns_per_element", "41.25"); /* the data stays */
    CHECK_FIELD(&t, "rotary/sleef-u10-neon", "M3", "status", "skipped");
    CHECK_FIELD(&t, "rotary/sleef-u10-neon", "M3", "reason", sleef_reason);
    CHECK_FIELD(&t, "sinusoidal/scalar", "M3", "status", "absent");
    CHECK_FIELD(&t, "sinusoidal/scalar", "M3", "reason", "shape not run on this machine");
    CHECK_FIELD(&t, "rotary/dispatch", "M2", "dispatched_to", "rotary/avx512");
    CHECK_FIELD(&t, "rotary/dispatch", "M2", "fastest", "");
    CHECK_FIELD(&t, "rotary/dispatch", "M3", "status", "absent");
    /* the fastest backend of each group on each machine */
    CHECK_FIELD(&t, "rotary/scalar", "M1", "fastest_backend", "avx2");
    CHECK_FIELD(&t, "rotary/scalar", "M2", "fastest_backend", "avx512");
    CHECK_FIELD(&t, "rotary/scalar", "M3", "fastest_backend", "neon");
    CHECK_FIELD(&t, "sinusoidal/scalar", "M2", "fastest_backend", "avx512");
    CHECK_FIELD(&t, "sinusoidal/scalar", "M3", "fastest_backend", "");
    /* accuracy, exact mode, the emulated machine's included */
    CHECK_FIELD(&t, "rotary/avx2", "M1", "max_err_u", "3.5");
    CHECK_FIELD(&t, "rotary/avx2", "M1", "within_bound", "true");
    CHECK_FIELD(&t, "rotary/neon", "M3", "max_err_u", "9.5");
    CHECK_FIELD(&t, "rotary/neon", "M3", "bound_u", "8");
    CHECK_FIELD(&t, "rotary/neon", "M3", "within_bound", "false");
    CHECK_FIELD(&t, "rotary/avx512", "M1", "max_err_u", "");
    table_free(&t);
    free(text);
}

/* ---- merge.md and merge.html ----------------------------------------------------------------- */

/* The line of doc after `after` that starts with `start`; NULL when none. Copied into line. */
static const char *line_after(const char *doc, const char *after, const char *start,
                              char *line, size_t n)
{
    const char *p = after ? strstr(doc, after) : doc;
    for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, start, strlen(start)))
            continue;
        size_t len = strcspn(p, "\n");
        snprintf(line, n, "%.*s", (int)len, p);
        return line;
    }
    return NULL;
}

static void check_md(const char *dir)
{
    char path[512], line[2048];
    snprintf(path, sizeof path, "%s/merge.md", dir);
    char *doc = tests_slurp(path, NULL);
    CHECK(doc != NULL, "no %s", path);
    if (!doc)
        return;
    CHECK(strstr(doc, "M3 Neoverse-N1 (aarch64, emulated): asimd") != NULL,
          "merge.md: no column label for the emulated machine");
    CHECK(strstr(doc, "M2 AMD EPYC 9654 96-Core Processor (x86_64): sse4.1 avx avx2 fma f16c "
                      "avx512f avx512bw avx512dq avx512vl") != NULL,
          "merge.md: no column label for the AVX-512 machine");
    /* speed: the emulated cell says so and leaves the time out */
    const char *l = line_after(doc, "\n### rotary", "|  | rotary/neon |", line, sizeof line);
    CHECK(l && strstr(l, "(emulated)") && !strstr(l, "41.2"), "merge.md neon row: %s",
          l ? l : "(none)");
    CHECK(l && strstr(l, "| - |"), "merge.md neon row shows no '-' on x86-64: %s",
          l ? l : "(none)");
    l = line_after(doc, "\n### rotary", "| " G_ROT " | rotary/avx512 |", line, sizeof line);
    CHECK(l && strstr(l, "skipped [") && strstr(l, "**0.5**"),
          "merge.md avx512 row (skipped on M1, fastest on M2): %s", l ? l : "(none)");
    CHECK(strstr(doc, LACKS_AVX512) != NULL, "merge.md: the skip reason is not given");
    l = line_after(doc, "\n### rotary", "|  | rotary/sleef-u10-neon |", line, sizeof line);
    CHECK(l && strstr(l, "skipped ["), "merge.md sleef-u10-neon row: %s", l ? l : "(none)");
    l = line_after(doc, "\n### rotary", "|  | rotary/dispatch |", line, sizeof line);
    CHECK(l && strstr(l, "(avx2)") && strstr(l, "(avx512)") && strstr(l, "not timed"),
          "merge.md dispatch row: %s", l ? l : "(none)");
    /* fastest backend per group and machine */
    l = line_after(doc, "## Fastest backend", "| " G_ROT " |", line, sizeof line);
    CHECK(l && strstr(l, "| avx2 (0.8) |") && strstr(l, "| avx512 (0.5) |") &&
              strstr(l, "| (emulated) |"),
          "merge.md fastest row: %s", l ? l : "(none)");
    /* accuracy counts under emulation: the value is there, and it is over its bound */
    l = line_after(doc, "## Accuracy", "| rotary/neon |", line, sizeof line);
    CHECK(l && strstr(l, "9.5") && strstr(l, "over bound"), "merge.md accuracy neon: %s",
          l ? l : "(none)");
    l = line_after(doc, "## Accuracy", "| rotary/scalar |", line, sizeof line);
    CHECK(l && strstr(l, "| yes |"), "merge.md accuracy scalar agrees: %s", l ? l : "(none)");
    CHECK(!strstr(doc, "777.1"), "merge.md shows the fp32-mode record");
    CHECK(strstr(doc, "emulation (qemu)") != NULL, "merge.md: no note on the emulated machine");
    free(doc);
}

static void check_html(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/merge.html", dir);
    char *doc = tests_slurp(path, NULL);
    CHECK(doc != NULL, "no %s", path);
    if (!doc)
        return;
    size_t svg = count(doc, "<svg"), svg_end = count(doc, "</svg>");
    CHECK(svg == svg_end, "merge.html: %zu <svg> but %zu </svg>", svg, svg_end);
    /* rotary: native and emulated charts; sinusoidal: native only */
    CHECK(svg == 3, "merge.html: %zu charts, expected 3", svg);
    size_t http = count(doc, "http://"), ns = count(doc, "xmlns=\"http://www.w3.org/2000/svg\"");
    CHECK(http == ns, "merge.html: %zu http:// but %zu SVG namespaces", http, ns);
    CHECK(!strstr(doc, "https://"), "merge.html refers to https://");
    CHECK(!strstr(doc, "<script") && !strstr(doc, " src=") && !strstr(doc, "url("),
          "merge.html fetches or runs something");
    CHECK(strstr(doc, "<div class=\"emulated\"") != NULL, "merge.html: emulated chart not greyed");
    CHECK(strstr(doc, "Neoverse-N1 (aarch64, emulated): asimd") != NULL,
          "merge.html: no label for the emulated machine");
    CHECK(strstr(doc, "SLEEF built without &quot;neon&quot;, see scripts/setup &lt;3") != NULL,
          "merge.html: skip reason missing or not escaped");
    CHECK(count(doc, "<html") == 1 && count(doc, "</html>") == 1, "merge.html: not one page");
    free(doc);
}

/* ---- errors ---------------------------------------------------------------------------------- */

/* dst: src's run.json text with `from` replaced by `to` everywhere */
static int rewrite(const char *src, const char *dst, const char *from, const char *to)
{
    char *text = tests_slurp(src, NULL);
    if (!text)
        return -1;
    size_t n = strlen(text), fl = strlen(from), tl = strlen(to);
    char *out = malloc(n + count(text, from) * (tl + 1) + 1), *o = out;
    if (!out) {
        free(text);
        return -1;
    }
    for (const char *p = text; *p;) {
        if (!strncmp(p, from, fl)) {
            memcpy(o, to, tl);
            o += tl;
            p += fl;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    int rc = spit(dst, out);
    free(out);
    free(text);
    return rc;
}

static void check_errors(const char *tmp, const char *const *runs, const char *good_out)
{
    char out[128], missing[128], path[512];
    snprintf(out, sizeof out, "%s/out-error", tmp);
    snprintf(missing, sizeof missing, "%s/no-such-run", tmp);

    /* a missing folder: exit 1, the path and the reason, no output (not even the folder) */
    int rc = merge(runs[0], missing, runs[2], "--out", out, NULL);
    CHECK(rc == 1, "missing folder: exit %d, expected 1", rc);
    CHECK(strstr(err, missing) && strstr(err, "No such file"), "missing folder: stderr '%s'",
          err);
    CHECK(strstr(err, "nothing written") != NULL, "missing folder: stderr '%s'", err);
    CHECK(!exists(out), "missing folder: %s was created", out);
    /* ... and the files of an earlier merge stay as they were */
    char md[512];
    snprintf(md, sizeof md, "%s/merge.md", good_out);
    char *before = tests_slurp(md, NULL);
    rc = merge(runs[0], missing, "--out", good_out, NULL);
    char *after = tests_slurp(md, NULL);
    CHECK(rc == 1 && before && after && !strcmp(before, after),
          "a failed merge changed the earlier merge.md (exit %d)", rc);
    CHECK(merge_files(good_out) == 3, "%zu merge* files in %s after a failed merge, expected 3",
          merge_files(good_out), good_out);
    free(before);
    free(after);

    /* a folder without run.json */
    rc = merge(runs[0], tmp, "--out", out, NULL);
    CHECK(rc == 1 && strstr(err, "no run.json"), "folder without run.json: exit %d, '%s'", rc,
          err);

    /* a schema_version this posenc does not know, and another schema */
    char src[512];
    snprintf(src, sizeof src, "%s/run.json", runs[1]);
    snprintf(path, sizeof path, "%s/v99.json", tmp);
    CHECK(rewrite(src, path, "\"schema_version\": 7", "\"schema_version\": 99") == 0,
          "cannot write %s", path);
    rc = merge(runs[0], path, "--out", out, NULL);
    CHECK(rc == 1, "schema_version 99: exit %d, expected 1", rc);
    CHECK(strstr(err, path) && strstr(err, "schema_version 99"), "schema_version 99: '%s'", err);
    CHECK(!exists(out), "schema_version 99: %s was created", out);
    snprintf(path, sizeof path, "%s/other.json", tmp);
    rewrite(src, path, "\"posenc-run\"", "\"posenc-compare\"");
    rc = merge(path, "--out", out, NULL);
    CHECK(rc == 1 && strstr(err, "not a posenc run record"), "other schema: exit %d, '%s'", rc,
          err);
    /* a damaged field: named by its JSON pointer */
    snprintf(path, sizeof path, "%s/damaged.json", tmp);
    rewrite(src, path, "\"group\": \"" G_ROT "\"", "\"group\": 7");
    rc = merge(path, "--out", out, NULL);
    CHECK(rc == 1 && strstr(err, "/cases/0/group") && strstr(err, "expected string"),
          "damaged field: exit %d, '%s'", rc, err);
    /* not JSON */
    snprintf(path, sizeof path, "%s/not-json.json", tmp);
    spit(path, "{\"schema\": \"posenc-run\",");
    rc = merge(path, "--out", out, NULL);
    CHECK(rc == 1 && strstr(err, path), "not JSON: exit %d, '%s'", rc, err);
    CHECK(!exists(out), "a failed merge created %s", out);

    /* version 5 (no "dtype": every case float32) merges with version 6, as one case per row */
    char v5[512], v5out[128], step[512];
    char *text;
    snprintf(v5, sizeof v5, "%s/v5.json", tmp);
    snprintf(step, sizeof step, "%s/v5-step.json", tmp);
    snprintf(v5out, sizeof v5out, "%s/out-v5", tmp);
    rewrite(src, step, "\"schema_version\": 7", "\"schema_version\": 5");
    rewrite(step, v5, "\"dtype\": \"f32\",", "");
    text = tests_slurp(v5, NULL);
    CHECK(text && !strstr(text, "\"dtype\""), "v5.json still has \"dtype\"");
    free(text);
    rc = merge(runs[0], v5, "--out", v5out, NULL);
    snprintf(path, sizeof path, "%s/merge.md", v5out);
    text = tests_slurp(path, NULL);
    CHECK(rc == 0 && text && !strstr(text, "element type"),
          "schema_version 5: exit %d, '%s', or its float32 cases were taken for other data", rc,
          err);
    free(text);
    /* one group on other data on another machine: said, not merged silently */
    snprintf(path, sizeof path, "%s/bf16.json", tmp);
    rewrite(src, path, "\"dtype\": \"f32\"", "\"dtype\": \"bf16\"");
    snprintf(v5out, sizeof v5out, "%s/out-bf16", tmp);
    rc = merge(runs[0], path, "--out", v5out, NULL);
    snprintf(path, sizeof path, "%s/merge.md", v5out);
    text = tests_slurp(path, NULL);
    CHECK(rc == 0 && text &&
              strstr(text, "`" G_ROT "` is not on the same element type on every machine (M1: "
                           "f32, M2: bf16)"),
          "a group on float32 and on bfloat16 data: exit %d, no note", rc);
    free(text);

    /* version 1 (no "dispatched": the id says it) still merges */
    char v1[512], v1out[128];
    snprintf(v1, sizeof v1, "%s/v1.json", tmp);
    snprintf(step, sizeof step, "%s/v1-step.json", tmp);
    snprintf(v1out, sizeof v1out, "%s/out-v1", tmp);
    /* version 2 (no machine kind, no cpu_id: extra fields a reader of 2 ignores) merges */
    char v2[512];
    snprintf(v2, sizeof v2, "%s/v2.json", tmp);
    snprintf(v1out, sizeof v1out, "%s/out-v2", tmp);
    rewrite(src, v2, "\"schema_version\": 7", "\"schema_version\": 2");
    rc = merge(runs[0], v2, "--out", v1out, NULL);
    CHECK(rc == 0, "schema_version 2: exit %d, '%s'", rc, err);
    snprintf(v1out, sizeof v1out, "%s/out-v1", tmp);
    rewrite(src, v1, "\"schema_version\": 7", "\"schema_version\": 1");
    rewrite(v1, step, "\"dispatched\": false,", "");
    rewrite(step, v1, "\"dispatched\": true,", "");
    text = tests_slurp(v1, NULL);
    CHECK(text && !strstr(text, "\"dispatched\""), "v1.json still has \"dispatched\"");
    free(text);
    rc = merge(v1, "--out", v1out, NULL);
    CHECK(rc == 0, "schema_version 1: exit %d, '%s'", rc, err);
    snprintf(path, sizeof path, "%s/merge.csv", v1out);
    char *csv = tests_slurp(path, NULL);
    CHECK(csv && strstr(csv, "rotary/dispatch,dispatch,rotary/avx512,"),
          "schema_version 1: the dispatch case is not its own row");
    free(csv);

    /* usage: exit 2 */
    rc = merge(NULL);
    CHECK(rc == 2 && strstr(err, "no runs"), "no arguments: exit %d, '%s'", rc, err);
    rc = merge(runs[0], "--metric", "gflops", NULL);
    CHECK(rc == 2 && strstr(err, "gflops"), "bad metric: exit %d, '%s'", rc, err);
    rc = merge(runs[0], "--out", NULL);
    CHECK(rc == 2, "--out without a folder: exit %d", rc);
    rc = merge(runs[0], "--frobnicate", NULL);
    CHECK(rc == 2 && strstr(err, "--frobnicate"), "unknown option: exit %d, '%s'", rc, err);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

/* ---- main ------------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    const char *keep_dir = NULL;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--write") && a + 1 < argc) {
            keep_dir = argv[++a];
        } else {
            fprintf(stderr, "usage: %s [--write DIR]\n", argv[0]);
            return 2;
        }
    }
    char tmp[] = "/tmp/test_merge_XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 2;
    }
    make_runs();
    static const char *const names[3] = {"run-avx2", "run-avx512", "run-qemu"};
    char dirs[3][128], files[3][160];
    for (int i = 0; i < 3; i++) {
        snprintf(dirs[i], sizeof dirs[i], "%s/%s", tmp, names[i]);
        snprintf(files[i], sizeof files[i], "%s/%s/run.json", tmp, names[i]);
        CHECK(mkdir(dirs[i], 0777) == 0, "mkdir %s", dirs[i]);
        CHECK(report_write_json(&mach[i].rec, files[i]) == 0, "report_write_json %s", files[i]);
    }

    /* folders and a run.json file, the same way a user names them */
    char out[128];
    snprintf(out, sizeof out, "%s/out", tmp);
    int rc = merge(dirs[0], files[1], dirs[2], "--out", out, NULL);
    CHECK(rc == 0, "merge: exit %d, stderr '%s'", rc, err);
    static const char *const outputs[] = {"merge.md", "merge.csv", "merge.html"};
    for (int i = 0; i < 3; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", out, outputs[i]);
        CHECK(exists(path), "no %s", path);
    }
    CHECK(merge_files(out) == 3, "%zu merge* files in %s (a .tmp left?)", merge_files(out), out);
    check_csv(out);
    check_md(out);
    check_html(out);

    /* another metric: the tables and charts say which */
    char out2[128];
    snprintf(out2, sizeof out2, "%s/out-speedup", tmp);
    rc = merge(dirs[0], dirs[1], dirs[2], "--metric=speedup_over_scalar", "--out", out2, NULL);
    CHECK(rc == 0, "--metric speedup_over_scalar: exit %d, '%s'", rc, err);
    char path[600];
    snprintf(path, sizeof path, "%s/merge.md", out2);
    char *md = tests_slurp(path, NULL);
    CHECK(md && strstr(md, "## speedup over scalar") && strstr(md, "**3.00x**"),
          "--metric speedup_over_scalar: merge.md has no speedup table");
    free(md);

    check_errors(tmp, (const char *const[]){dirs[0], dirs[1], dirs[2]}, out);

    if (keep_dir) {
        rc = merge(dirs[0], dirs[1], dirs[2], "--out", keep_dir, NULL);
        CHECK(rc == 0, "merge --out %s: exit %d, '%s'", keep_dir, rc, err);
        printf("merged files kept in %s\n", keep_dir);
    }
    if (nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "test_merge: could not remove %s\n", tmp);
    return tests_exit_code("test_merge");
}
