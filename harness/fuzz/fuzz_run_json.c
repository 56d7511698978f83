/* fuzz_run_json.c - libFuzzer target for the run.json reader of `posenc merge` (run_read) and
 * `posenc compare` (run_load, which adds the case index): any bytes as a run.json file. */
#include "fuzz_common.h"

#include <math.h>

#include "run_load.h"
#include "run_record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed-size string field of the run model holds a NUL. */
#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

static int tri_state(int v) { return v == -1 || v == 0 || v == 1; }

/* v is a value of the set, whose name parses back to it: run_read refuses every name outside
 * the set, so no other value can come out of it. */
static int named(run_name_set set, int v)
{
    const char *name = run_name(set, v);
    int back = -1;
    return strcmp(name, "?") && !run_name_parse(set, name, &back, NULL, 0) && back == v;
}

static void check_accuracy(const run_accuracy *a, size_t i)
{
    FUZZ_CHECK(TERMINATED(a->implementation) && TERMINATED(a->worst_value),
               "accuracy %zu: a string without its NUL", i);
    /* run_record.h, run_read: the encoding, angle mode and element type are of their sets */
    FUZZ_CHECK(named(RUN_SET_ENCODING, (int)a->encoding) &&
                   named(RUN_SET_ANGLE_MODE, (int)a->angle_mode) &&
                   named(RUN_SET_DTYPE, (int)a->dtype),
               "accuracy %zu: encoding %d, angle mode %d, dtype %d", i, (int)a->encoding,
               (int)a->angle_mode, (int)a->dtype);
    FUZZ_CHECK(tri_state(a->within_bound) && tri_state(a->bit_exact),
               "accuracy %zu: within_bound %d, bit_exact %d", i, a->within_bound, a->bit_exact);
}

static void check_case(const run_record *r, const run_case *c, size_t i)
{
    FUZZ_CHECK(TERMINATED(c->id) && TERMINATED(c->group) && TERMINATED(c->model) &&
                   TERMINATED(c->shape) && TERMINATED(c->implementation) &&
                   TERMINATED(c->reason) && TERMINATED(c->pairing) &&
                   TERMINATED(c->mempass_id) && TERMINATED(c->instructions_source) &&
                   TERMINATED(c->instructions_note),
               "case %zu: a string without its NUL", i);
    FUZZ_CHECK(c->dispatched == 0 || c->dispatched == 1, "case %zu: dispatched %d", i,
               c->dispatched);
    FUZZ_CHECK(named(RUN_SET_STATUS, (int)c->status) &&
                   named(RUN_SET_ENCODING, (int)c->encoding) && named(RUN_SET_OP, (int)c->op) &&
                   named(RUN_SET_DTYPE, (int)c->dtype),
               "case %zu: status %d, encoding %d, op %d, dtype %d", i, (int)c->status,
               (int)c->encoding, (int)c->op, (int)c->dtype);
    FUZZ_CHECK(c->threads >= 1, "case %zu: %d threads", i, c->threads);
    FUZZ_CHECK(c->repetitions >= 0, "case %zu: %d repetitions", i, c->repetitions);
    /* run_read: times_ns holds the first min(repetitions, 32) repetitions, each >= 0 */
    int kept = c->repetitions < 32 ? c->repetitions : 32;
    for (int k = 0; k < kept; k++)
        FUZZ_CHECK(isfinite(c->times_ns[k]) && c->times_ns[k] >= 0, "case %zu: times_ns[%d] %g",
                   i, k, c->times_ns[k]);
    /* a case's accuracy is one of the run's top-level records */
    if (c->accuracy) {
        FUZZ_CHECK(r->n_accuracy > 0 && c->accuracy >= r->accuracy &&
                       c->accuracy < r->accuracy + r->n_accuracy,
                   "case %zu: accuracy points outside /accuracy", i);
        size_t off = (size_t)((const char *)c->accuracy - (const char *)r->accuracy);
        FUZZ_CHECK(off % sizeof *r->accuracy == 0, "case %zu: accuracy inside a record", i);
    }
}

static void check_record(const run_read_result *res, const char *path)
{
    const run_record *r = &res->run;
    FUZZ_CHECK(res->file && !strcmp(res->file, path), "file is %s, read %s",
               res->file ? res->file : "NULL", path);
    FUZZ_CHECK(res->schema_version >= RUN_READ_MIN_SCHEMA_VERSION &&
                   res->schema_version <= RUN_SCHEMA_VERSION,
               "schema_version %d", res->schema_version);
    FUZZ_CHECK(TERMINATED(r->id) && TERMINATED(r->started_utc) && TERMINATED(r->command) &&
                   TERMINATED(r->suite) && TERMINATED(r->host) &&
                   TERMINATED(r->cpu_model) && TERMINATED(r->arch) &&
                   TERMINATED(r->governor) && TERMINATED(r->cpu_features) &&
                   TERMINATED(r->cpu_features_detected) && TERMINATED(r->posenc_version) &&
                   TERMINATED(r->compiler) && TERMINATED(r->flags) &&
                   TERMINATED(r->git_revision),
               "a string of the run without its NUL");
    FUZZ_CHECK((r->quick == 0 || r->quick == 1) && (r->emulated == 0 || r->emulated == 1) &&
                   tri_state(r->git_dirty),
               "quick %d, emulated %d, git_dirty %d", r->quick, r->emulated, r->git_dirty);
    FUZZ_CHECK(r->cores >= 0, "cores %d", r->cores);
    FUZZ_CHECK(named(RUN_SET_ANGLE_MODE, (int)r->angle_mode), "angle mode %d",
               (int)r->angle_mode);
    FUZZ_CHECK(!r->n_cases || r->cases, "%zu cases and no array", r->n_cases);
    FUZZ_CHECK(!r->n_accuracy || r->accuracy, "%zu accuracy records and no array",
               r->n_accuracy);
    for (size_t i = 0; i < r->n_accuracy; i++)
        check_accuracy(&r->accuracy[i], i);
    for (size_t i = 0; i < r->n_cases; i++)
        check_case(r, &r->cases[i], i);
}

/* run_load on a file run_read accepted: the comparison's view of the same run. */
static void check_load(const char *path, const run_read_result *res)
{
    cmp_run run;
    int rc = run_load(path, "FUZZ", &run);
    FUZZ_CHECK(rc == 0 || rc == -1, "run_load returned %d", rc);
    if (rc) {
        FUZZ_CHECK(all_zero(&run, sizeof run), "run_load failed but left its output filled");
        return;
    }
    FUZZ_CHECK(res->schema_version >= RUN_LOAD_MIN_SCHEMA_VERSION &&
                   res->schema_version <= RUN_SCHEMA_VERSION,
               "run_load took version %d", res->schema_version);
    const run_record *r = &run.read.run;
    FUZZ_CHECK(r->n_cases == res->run.n_cases && r->n_accuracy == res->run.n_accuracy,
               "run_load: %zu cases, %zu records; run_read: %zu, %zu", r->n_cases,
               r->n_accuracy, res->run.n_cases, res->run.n_accuracy);
    for (size_t i = 0; i < run.n_features; i++)
        FUZZ_CHECK(run.features[i] && run.features[i][0] && !strchr(run.features[i], ' '),
                   "feature %zu is empty or holds a space", i);
    /* ids are unique (run_load refuses duplicates) and each finds its own case */
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        FUZZ_CHECK(run_find_case(&run, c->id, c->dtype, run_case_threads(c)) == c,
                   "case %zu (%s) is not found by its id and type", i, c->id);
        if (i)
            FUZZ_CHECK(strcmp(r->cases[run.by_id[i - 1]].id, r->cases[run.by_id[i]].id) < 0,
                       "the case index is not sorted at %zu", i);
        size_t n_times = cmp_n_times(c);
        FUZZ_CHECK(n_times <= 32 && (c->status == RUN_STATUS_OK || !n_times),
                   "case %zu: %zu samples, status %s", i, n_times, run_status_name(c->status));
        if (n_times)
            FUZZ_CHECK(!isnan(cmp_median_ns(c)), "case %zu: %zu times and no median", i,
                       n_times);
    }
    run_free(&run);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file(data, size);
    run_read_result res;
    char why[768];
    why[0] = '\0';
    int rc = run_read(path, &res, why, sizeof why);
    FUZZ_CHECK(rc == 0 || rc == -1, "run_read returned %d", rc);
    if (rc) {
        /* run_read: one line in why, and an empty result */
        FUZZ_CHECK(why[0] != '\0' && !strchr(why, '\n'), "run_read failed with message \"%s\"",
                   why);
        FUZZ_CHECK(all_zero(&res, sizeof res), "run_read failed but left its output filled");
        return 0;
    }
    check_record(&res, path);
    check_load(path, &res);
    run_read_free(&res);
    return 0;
}
