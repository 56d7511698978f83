/* test_run_records.c - run.json and results.csv from a synthetic run: ok, skipped and failed
 * cases, NaN fields, strings that need escaping, accuracy records of float32, bf16 and fp16
 * data; run.json read back and checked against results/run.schema.json and with run_read,
 * results.csv read back with a strict RFC 4180 reader, summary.md's 16-bit table beside
 * float32, and a write that fails leaves no file behind. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, mkdir, rmdir, stat */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "csv_strict.h"
#include "json_check.h"
#include "run_record.h"
#include "write_csv.h"
#include "write_json.h"
#include "write_md.h"

#ifndef POSENC_RUN_SCHEMA
#error "POSENC_RUN_SCHEMA must name results/run.schema.json (set by harness/tests/CMakeLists.txt)"
#endif

/* ---- the synthetic run ----------------------------------------------------------------------- */

static run_accuracy accuracy[6];
static run_case cases[4];
static run_record rec;
static run_variant_accuracy variant_acc[1];

static const double times0[5] = {0.1, 1.0 / 3.0, 1e-300, 4.9406564584124654e-324,
                                 1.7976931348623157e308};
static const char command[] = "posenc bench --suite \"models\"\t--out C:\\runs\\a,b";
static const char cpu_model[] = "AMD EPYC\xE2\x84\xA2 7B13 \xF0\x9F\x92\xA1, \"Zen 3\"";
static const char skip_reason[] = "needs avx512f\nand avx512bw, \"vl\"\x01\r";
static const char model_x[] = "Model \"X\", v2";
static const char id_x[] = "learned_encode/model-x,v2/seq=4096/impl=learned/scalar";
#define BIG_ELEMENTS ((UINT64_C(1) << 53) + 1) /* a double cannot hold it: integers stay exact */

static void fill_accuracy(run_accuracy *a, const char *impl, run_encoding enc,
                          run_angle_mode mode, double bound, int within, int bit_exact)
{
    snprintf(a->implementation, sizeof a->implementation, "%s", impl);
    a->encoding = enc;
    a->angle_mode = mode;
    a->bound_u = bound;
    a->values_checked = 123456789;
    a->max_err_u = 3.5;
    a->max_ulp = 1.25;
    a->mean_err_u = 0.0625;
    a->worst_position = 2147483647;
    a->worst_index = 63;
    snprintf(a->worst_value, sizeof a->worst_value, "cos");
    a->apply_max_err_u = NAN;
    a->apply_bound_u = NAN;
    a->within_bound = within;
    a->bit_exact = bit_exact;
    int64_t lo = 0, hi = 10;
    for (int d = 0; d < RUN_N_DECADES; d++) {
        run_decade *dec = &a->decades[d];
        dec->lo = lo;
        dec->hi = d == RUN_N_DECADES - 1 ? INT64_C(2147483648) : hi;
        dec->count = d < 7 ? (uint64_t)(d + 1) * 1000 : 0;
        dec->max_err_u = d < 7 ? 0.5 * d : NAN;
        dec->max_ulp = d < 7 ? 0.25 * d : 0; /* 0 with no values: written as null anyway */
        dec->mean_err_u = d < 7 ? 0.125 : NAN;
        lo = hi;
        hi *= 10;
    }
}

/* A record of 16-bit data: the float32 share's bound_u does not apply, its figures in ulps of
 * the type do (bound 0.5 in exact mode); max_err_u is the type's rounding, far above float's. */
static void fill_type(run_accuracy *a, run_dtype dtype, double type_ulp, double apply_ulp)
{
    a->dtype = dtype;
    a->bound_u = a->apply_bound_u = NAN;
    a->max_err_u = 32768;
    a->apply_max_err_u = 65536;
    a->max_err_type_ulp = type_ulp;
    a->apply_max_err_type_ulp = apply_ulp;
    a->bound_type_ulp = a->angle_mode != RUN_ANGLE_EXACT ? NAN : 0.5;
}

static void fill_case(run_case *c, const char *id, const char *impl, run_status status)
{
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->implementation, sizeof c->implementation, "%s", impl);
    c->status = status;
    snprintf(c->group, sizeof c->group, "rotary_apply/llama-3-8b/T=512");
    c->encoding = RUN_ENCODING_ROTARY;
    c->op = RUN_OP_APPLY;
    c->dtype = RUN_DTYPE_F32;
    snprintf(c->model, sizeof c->model, "Llama-3-8B");
    snprintf(c->shape, sizeof c->shape, "T=512");
    snprintf(c->pairing, sizeof c->pairing, "half");
    c->tokens = 512;
    c->heads = 32;
    c->kv_heads = 8;
    c->head_dim = 128;
    c->rotary_dim = 128;
    c->first_position = 0;
    c->last_position = 511;
    c->base = 500000;
    c->elements = 2097152;
    c->bytes = 16777216;
    c->repetitions = 3;
    for (int i = 0; i < 32; i++)
        c->times_ns[i] = 1000 + i;
    c->median_ns = c->min_ns = c->mean_ns = 1001;
    c->stddev_ns = 0.5;
    c->ns_per_element = 1001.0 / 2097152;
    c->elements_per_second = 2097152 / 1001e-9;
    c->bytes_per_second = 16777216 / 1001e-9;
    snprintf(c->mempass_id, sizeof c->mempass_id, "mempass_rw/bytes=16777216");
    c->mempass_median_ns = 800;
    c->ratio_to_mempass = 1001.0 / 800;
    c->speedup_over_scalar = 3.75;
    c->wall_median_ns = 1003;
    c->mempass_wall_median_ns = 801;
    c->sgemm_median_ns = NAN;
    c->score_median_ns = NAN;
    c->encoding_fraction = NAN;
}

static void fill_record(void)
{
    fill_accuracy(&accuracy[0], "rotary/avx2", RUN_ENCODING_ROTARY, RUN_ANGLE_EXACT, 8, 1, -1);
    accuracy[0].apply_max_err_u = 2.75;
    accuracy[0].apply_bound_u = 8;
    /* a recipe mode: fp16 (schema version 5), the newest name the schema allows */
    fill_accuracy(&accuracy[1], "rotary/avx2", RUN_ENCODING_ROTARY, RUN_ANGLE_FP16, NAN, -1, -1);
    fill_accuracy(&accuracy[2], "learned/scalar", RUN_ENCODING_LEARNED, RUN_ANGLE_EXACT, 0, 1, 1);
    /* bf16 and fp16 data (schema version 6): within, past the bound, and a recipe mode whose
       float32 record is accuracy[1] */
    fill_accuracy(&accuracy[3], "rotary/avx2", RUN_ENCODING_ROTARY, RUN_ANGLE_EXACT, NAN, 1, -1);
    fill_type(&accuracy[3], RUN_DTYPE_BF16, 0.4999, 0.5);
    fill_accuracy(&accuracy[4], "rotary/avx2", RUN_ENCODING_ROTARY, RUN_ANGLE_EXACT, NAN, 0, -1);
    fill_type(&accuracy[4], RUN_DTYPE_F16, 0.75, 0.25);
    fill_accuracy(&accuracy[5], "rotary/avx2", RUN_ENCODING_ROTARY, RUN_ANGLE_FP16, NAN, -1, -1);
    fill_type(&accuracy[5], RUN_DTYPE_BF16, 1e5, 2e5);

    run_case *c = &cases[0]; /* ok, with attention context and accuracy */
    fill_case(c, "rotary_apply/llama-3-8b/T=512/impl=rotary/avx2", "rotary/avx2",
              RUN_STATUS_OK);
    c->repetitions = 5;
    memcpy(c->times_ns, times0, sizeof times0);
    c->median_ns = 0.1 + 0.2;
    c->min_ns = 1e-300;
    c->mean_ns = 123456.789;
    c->stddev_ns = 0;
    c->sgemm_median_ns = 12345.5;
    c->score_median_ns = 98764;
    c->encoding_fraction = 0.125;
    c->accuracy = &accuracy[0];
    c->dispatched = 1;
    c->instructions = UINT64_C(12345678901);
    c->instructions_per_element = 5.5;
    snprintf(c->instructions_source, sizeof c->instructions_source, "callgrind");
    /* a variant: llama3 scaling (no seq_len: null), no M-RoPE, no alibi */
    c->variant = (run_variant){.name = "llama3", .model_key = "llama-3.1-8b", .scaling = "llama3",
                               .factor = 8, .original_max_positions = 8192,
                               .attention_factor = 1, .alibi_bias_max = NAN};
    c->axes = 1;

    c = &cases[1]; /* skipped: whatever the speed fields hold must not be written */
    fill_case(c, "rotary_apply/llama-3-8b/T=512/impl=rotary/avx512", "rotary/avx512",
              RUN_STATUS_SKIPPED);
    memcpy(c->reason, skip_reason, sizeof skip_reason);

    c = &cases[2]; /* ok, with NaN fields and integers a double cannot hold */
    fill_case(c, id_x, "learned/scalar", RUN_STATUS_OK);
    memcpy(c->model, model_x, sizeof model_x);
    c->encoding = RUN_ENCODING_LEARNED;
    c->op = RUN_OP_ENCODE;
    c->base = NAN;
    c->speedup_over_scalar = NAN;
    c->elements = BIG_ELEMENTS;
    c->bytes = UINT64_MAX;
    c->table_bytes = 4096;
    c->accuracy = &accuracy[2];

    c = &cases[3]; /* failed, with an attention figure but no score, on bfloat16 data, split
                      over two threads */
    fill_case(c, "rotary_apply/llama-3-8b/T=512/bf16/threads=2/impl=rotary/table", "rotary/table",
              RUN_STATUS_ERROR);
    snprintf(c->reason, sizeof c->reason, "plan: position 2147483648 beyond max_pos");
    snprintf(c->group, sizeof c->group, "rotary_apply/llama-3-8b/T=512/bf16/threads=2");
    c->threads = 2;
    c->dtype = RUN_DTYPE_BF16;
    snprintf(c->mempass_id, sizeof c->mempass_id, "mempass_rw_bf16/bytes=8388608");
    c->sgemm_median_ns = 100;
    c->accuracy = &accuracy[3]; /* bf16 data: not the float32 record of its implementation */

    snprintf(rec.id, sizeof rec.id, "20261130T081500Z-vm-amd-epyc-1a2b3c4");
    snprintf(rec.started_utc, sizeof rec.started_utc, "2026-11-30T08:15:00Z");
    memcpy(rec.command, command, sizeof command);
    rec.quick = 1;
    snprintf(rec.suite, sizeof rec.suite, "models");
    rec.angle_mode = RUN_ANGLE_EXACT;
    rec.threads = 1;
    snprintf(rec.host, sizeof rec.host, "h\xC3"); /* a 2-byte character cut after one byte */
    memcpy(rec.cpu_model, cpu_model, sizeof cpu_model);
    snprintf(rec.arch, sizeof rec.arch, "x86_64");
    snprintf(rec.kind, sizeof rec.kind, "x86_64-authenticamd-f25-m17-avx512");
    snprintf(rec.cpu_vendor, sizeof rec.cpu_vendor, "AuthenticAMD");
    rec.cpu_family = 25;
    rec.cpu_model_number = 17;
    rec.cpu_stepping = 0; /* 0 is a stepping, not "unknown" */
    rec.cpu_implementer = rec.cpu_variant = rec.cpu_part = rec.cpu_revision = -1;
    rec.emulated = 0;
    rec.cores = 2;
    rec.mhz = NAN;
    snprintf(rec.cpu_features, sizeof rec.cpu_features, "sse4.2 avx2  fma ");
    snprintf(rec.cpu_features_detected, sizeof rec.cpu_features_detected, "none");
    rec.n_caches = 2;
    rec.caches[0] = (run_cache){1, "Data", 32768, 2};
    rec.caches[1] = (run_cache){3, "Unified", 33554432, 2};
    rec.load_avg[0] = 0.5;
    rec.load_avg[1] = NAN;
    rec.load_avg[2] = 1.25;
    snprintf(rec.posenc_version, sizeof rec.posenc_version, "0.1.0");
    snprintf(rec.compiler, sizeof rec.compiler, "GNU 12.2.0");
    snprintf(rec.flags, sizeof rec.flags, "-O3 -DNDEBUG -ffp-contract=off");
    rec.git_revision[0] = '\0';
    rec.git_dirty = -1;
    snprintf(rec.benchmark_version, sizeof rec.benchmark_version, "1.7.1");
    snprintf(rec.sleef_version, sizeof rec.sleef_version, "3.5.1");
    snprintf(rec.openblas_version, sizeof rec.openblas_version, "OpenBLAS 0.3.21 Haswell");
    snprintf(rec.mpfr_version, sizeof rec.mpfr_version, "4.2.0");
    rec.n_cases = 4;
    rec.cases = cases;
    rec.n_accuracy = 6;
    rec.accuracy = accuracy;
    run_variant_accuracy *v = &variant_acc[0];
    snprintf(v->model, sizeof v->model, "Llama-3-8B");
    snprintf(v->variant, sizeof v->variant, "llama3");
    snprintf(v->model_key, sizeof v->model_key, "llama-3.1-8b");
    v->attention_factor = 1.25;
    fill_accuracy(&v->acc, "rotary/avx2", RUN_ENCODING_ROTARY, RUN_ANGLE_EXACT, 5, 1, -1);
    rec.n_variant_accuracy = 1;
    rec.variant_accuracy = variant_acc;
}

/* ---- numbers --------------------------------------------------------------------------------- */

static void check_numbers(void)
{
    static const struct {
        double v;
        const char *text;
    } want[] = {
        {0, "0"},
        {-0.0, "-0"},
        {0.1, "0.1"},
        {500000, "500000"},
        {1.5e5, "150000"},
        {1e16, "10000000000000000"},
        {1e17, "1e+17"},
        {1e20, "1e+20"},
        {1e-5, "1e-05"},
        {123456.789, "123456.789"},
        {0.1 + 0.2, "0.30000000000000004"},
        {4.9406564584124654e-324, "5e-324"},
        {9007199254740993.0, "9007199254740992"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {-2.5e-3, "-0.0025"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        size_t n = report_format_double(want[i].v, buf);
        CHECK(n == strlen(buf) && !strcmp(buf, want[i].text), "%.17g written as %s, not %s",
              want[i].v, buf, want[i].text);
    }
    /* every finite double reads back bit for bit: random bit patterns over all exponents */
    uint64_t x = 0x9E3779B97F4A7C15u;
    int bad = 0;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v, back;
        memcpy(&v, &x, sizeof v);
        if (!isfinite(v))
            continue;
        report_format_double(v, buf);
        back = strtod(buf, NULL);
        if (memcmp(&back, &v, sizeof v) && !bad++)
            CHECK(0, "%.17g written as %s reads back as %.17g", v, buf, back);
    }
    CHECK(bad == 0, "%d doubles did not read back", bad);
}

/* ---- files ----------------------------------------------------------------------------------- */

static char tmpdir[4096];

static const char *path_of(const char *name)
{
    static char paths[4][4200];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", tmpdir, name);
    return p;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- run.json -------------------------------------------------------------------------------- */

static const json_t *at(const json_t *root, const char *pointer)
{
    const json_t *v = json_doc_pointer(root, pointer);
    CHECK(v != NULL, "run.json has no %s", pointer);
    return v;
}

static int is_null(const json_t *root, const char *pointer)
{
    const json_t *v = at(root, pointer);
    return v && json_is_null(v);
}

static int has_string(const json_t *root, const char *pointer, const char *s, size_t len)
{
    const json_t *v = at(root, pointer);
    return v && json_is_string(v) && json_string_length(v) == len && !memcmp(json_string_value(v), s, len);
}
#define HAS_STRING(root, ptr, lit) has_string(root, ptr, lit, sizeof lit - 1)

/* The same double, bit for bit (so -0 and 0 differ). */
static int has_double(const json_t *root, const char *pointer, double x)
{
    const json_t *v = at(root, pointer);
    double got = json_number_value(v);
    return v && json_is_number(v) && !memcmp(&got, &x, sizeof x);
}

/* The schema's two copies of the accuracy record (top level and inlined in a case) must say
 * the same thing; only their "type" differs (the inlined one may be null). */
static void check_schema_copies(const json_t *schema)
{
    const char *parts[] = {"required", "properties", "additionalProperties"};
    for (size_t i = 0; i < 3; i++) {
        char a[128], b[128];
        snprintf(a, sizeof a, "/properties/accuracy/items/%s", parts[i]);
        snprintf(b, sizeof b, "/properties/cases/items/properties/accuracy/%s", parts[i]);
        const json_t *x = json_doc_pointer(schema, a), *y = json_doc_pointer(schema, b);
        CHECK(x && y && json_equal(x, y), "schema: %s differs from %s", a, b);
        snprintf(b, sizeof b,
                 "/properties/variant_accuracy/items/properties/accuracy/%s", parts[i]);
        y = json_doc_pointer(schema, b);
        CHECK(x && y && json_equal(x, y), "schema: %s differs from %s", a, b);
    }
}

/* A copy of doc with the member key of the object at parent set to value (taken), written to a
 * file: the schema must reject it there. */
static void check_rejected(const json_t *doc, const char *parent, const char *key, json_t *value)
{
    json_t *copy = json_deep_copy(doc);
    json_t *obj = json_doc_pointer(copy, parent);
    char at[256];
    snprintf(at, sizeof at, "%s/%s", parent, key);
    CHECK(json_object_get(obj, key) && json_object_set_new(obj, key, value) == 0,
          "%s: not in the document", at);
    const char *path = path_of("broken.json");
    if (json_object_get(obj, key) == value && tests_json_write(copy, path) == 0)
        tests_schema_rejects(POSENC_RUN_SCHEMA, path, at);
    remove(path);
    json_decref(copy);
}

/* Break the document one value at a time and see the schema catch each. */
static void check_schema_catches(const json_t *doc)
{
    check_rejected(doc, "", "schema_version", json_integer(RUN_SCHEMA_VERSION + 1));
    check_rejected(doc, "/cases/0/shape", "tokens", json_integer(-1));
    check_rejected(doc, "/machine", "emulated", json_null());
    CHECK(HAS_STRING(doc, "/cases/3/dtype", "bf16"), "case 3 is a bf16 case");
    check_rejected(doc, "/cases/3", "dtype", json_string("bx16")); /* not an element type */
    check_rejected(doc, "/cases/1", "status", json_string("Skipped")); /* not a status */
}

static void check_json(void)
{
    const char *path = path_of("run.json");
    CHECK(report_write_json(&rec, path) == 0, "report_write_json failed");
    CHECK(!exists(path_of("run.json.tmp")), "run.json.tmp left behind");

    /* the reusable check: the file against the schema in the source tree */
    tests_schema_valid(POSENC_RUN_SCHEMA, path);

    size_t len = 0;
    char *text = tests_slurp(path, &len);
    CHECK(text != NULL, "cannot read %s back", path);
    if (!text)
        return;
    /* every control byte is escaped; the newlines left are the indentation's */
    int raw_control = 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
            raw_control = 1;
    CHECK(!raw_control, "a raw control character in run.json");
    CHECK(strstr(text, "\\u000a") && strstr(text, "\\u0001") && strstr(text, "\\u000d") &&
              strstr(text, "\\u0009"),
          "control characters escaped as \\u00XX");
    CHECK(strstr(text, "\"bytes\": 18446744073709551615"), "uint64 written exactly");
    CHECK(len > 0 && text[len - 1] == '\n', "run.json ends with a newline");

    char why[512];
    json_t *doc = json_doc_parse(text, len, path, why, sizeof why);
    free(text);
    CHECK(doc != NULL, "%s", why);
    json_t *schema = tests_json_load(POSENC_RUN_SCHEMA);
    if (!doc || !schema) {
        json_decref(doc);
        json_decref(schema);
        return;
    }
    CHECK(HAS_STRING(doc, "/schema", "posenc-run"), "schema name");
    const json_t *v = at(doc, "/schema_version");
    CHECK(v && json_is_integer(v) && json_integer_value(v) == RUN_SCHEMA_VERSION, "schema_version");

    /* the variants: a case's variant (fields that do not apply are null), a case without one,
       and the variant sweeps */
    CHECK(HAS_STRING(doc, "/cases/0/variant/name", "llama3") &&
              HAS_STRING(doc, "/cases/0/variant/scaling", "llama3") &&
              has_double(doc, "/cases/0/variant/factor", 8) &&
              has_double(doc, "/cases/0/variant/original_max_positions", 8192) &&
              is_null(doc, "/cases/0/variant/seq_len") && is_null(doc, "/cases/0/variant/mrope") &&
              is_null(doc, "/cases/0/variant/mrope_section") &&
              is_null(doc, "/cases/0/variant/alibi_form") &&
              is_null(doc, "/cases/0/variant/alibi_bias_max") &&
              is_null(doc, "/cases/0/shape/keys") && has_double(doc, "/cases/0/shape/axes", 1),
          "the case's variant");
    CHECK(is_null(doc, "/cases/2/variant") && has_double(doc, "/cases/2/shape/axes", 1),
          "a case without a variant: null, one axis");
    CHECK(HAS_STRING(doc, "/variant_accuracy/0/model", "Llama-3-8B") &&
              HAS_STRING(doc, "/variant_accuracy/0/variant", "llama3") &&
              has_double(doc, "/variant_accuracy/0/attention_factor", 1.25) &&
              has_double(doc, "/variant_accuracy/0/accuracy/bound_u", 5) &&
              HAS_STRING(doc, "/variant_accuracy/0/accuracy/angle_mode", "exact"),
          "the variant sweep");

    /* the run and the machine */
    CHECK(has_string(doc, "/run/command", command, sizeof command - 1), "command round trip");
    v = at(doc, "/run/quick");
    CHECK(v && json_is_boolean(v) && json_is_true(v) == 1, "quick is true");
    CHECK(HAS_STRING(doc, "/machine/host", "h\xEF\xBF\xBD"), "a cut character becomes U+FFFD");
    CHECK(has_string(doc, "/machine/cpu_model", cpu_model, sizeof cpu_model - 1),
          "cpu_model round trip (UTF-8, quotes, comma)");
    CHECK(is_null(doc, "/machine/mhz") && is_null(doc, "/machine/governor"),
          "unknown mhz and governor are null");
    CHECK(HAS_STRING(doc, "/machine/kind", "x86_64-authenticamd-f25-m17-avx512") &&
              HAS_STRING(doc, "/machine/cpu_id/vendor", "AuthenticAMD"),
          "machine kind and vendor");
    v = at(doc, "/machine/cpu_id/family");
    CHECK(v && json_is_integer(v) && json_integer_value(v) == 25, "cpu_id family");
    v = at(doc, "/machine/cpu_id/stepping");
    CHECK(v && json_is_integer(v) && json_integer_value(v) == 0, "cpu_id stepping 0 is a number");
    CHECK(is_null(doc, "/machine/cpu_id/implementer") && is_null(doc, "/machine/cpu_id/part") &&
              is_null(doc, "/machine/cpu_id/variant") && is_null(doc, "/machine/cpu_id/revision"),
          "the AArch64 fields of an x86 CPU are null");
    v = at(doc, "/machine/cpu_features");
    CHECK(v && json_array_size(v) == 3 && HAS_STRING(doc, "/machine/cpu_features/0", "sse4.2") &&
              HAS_STRING(doc, "/machine/cpu_features/1", "avx2") &&
              HAS_STRING(doc, "/machine/cpu_features/2", "fma"),
          "cpu_features split on spaces");
    v = at(doc, "/machine/cpu_features_detected");
    CHECK(v && json_is_array(v) && json_array_size(v) == 0, "\"none\" is the empty list");
    v = at(doc, "/machine/caches/1/size_bytes");
    CHECK(v && json_is_integer(v) && json_integer_value(v) == 33554432, "cache size");
    CHECK(has_double(doc, "/machine/load_avg/0", 0.5) && is_null(doc, "/machine/load_avg/1") &&
              has_double(doc, "/machine/load_avg/2", 1.25),
          "load_avg with a NaN");
    CHECK(is_null(doc, "/build/git_revision") && is_null(doc, "/build/git_dirty"),
          "unknown revision and dirtiness are null");
    CHECK(HAS_STRING(doc, "/build/libraries/openblas", "OpenBLAS 0.3.21 Haswell"), "openblas");

    /* an ok case: every double back bit for bit */
    v = at(doc, "/cases");
    CHECK(v && json_array_size(v) == 4, "4 cases");
    v = at(doc, "/cases/0/speed/times_ns");
    CHECK(v && json_is_array(v) && json_array_size(v) == 5, "times_ns holds the 5 repetitions");
    for (size_t i = 0; v && i < json_array_size(v) && i < 5; i++) {
        char p[64];
        snprintf(p, sizeof p, "/cases/0/speed/times_ns/%zu", i);
        CHECK(has_double(doc, p, times0[i]), "%s is %.17g", p, times0[i]);
    }
    CHECK(has_double(doc, "/cases/0/speed/median_ns", 0.1 + 0.2), "median 0.1 + 0.2");
    CHECK(has_double(doc, "/cases/0/speed/mean_ns", 123456.789), "mean");
    CHECK(has_double(doc, "/cases/0/speed/stddev_ns", 0), "stddev 0");
    CHECK(has_double(doc, "/cases/0/shape/base", 500000), "base");
    CHECK(HAS_STRING(doc, "/cases/0/shape/name", "T=512"), "the shape's name");
    CHECK(has_double(doc, "/cases/0/attention/score_median_ns", 98764), "attention");
    CHECK(json_equal(at(doc, "/cases/0/accuracy"), at(doc, "/accuracy/0")),
          "the inlined accuracy is the top-level record");
    v = at(doc, "/cases/0/speed/instructions_per_call");
    CHECK(v && json_is_integer(v) && json_integer_value(v) == INT64_C(12345678901), "instructions per call");
    CHECK(has_double(doc, "/cases/0/speed/instructions_per_element", 5.5) &&
              HAS_STRING(doc, "/cases/0/speed/instructions_source", "callgrind") &&
              HAS_STRING(doc, "/cases/0/speed/instructions_impl", "rotary/avx2") &&
              is_null(doc, "/cases/0/speed/instructions_note"),
          "instruction count, its source and what it counted (the case's own)");
    CHECK(is_null(doc, "/cases/2/speed/instructions_impl"), "not counted: nothing counted");
    v = at(doc, "/cases/0/dispatched");
    CHECK(v && json_is_boolean(v) && json_is_true(v), "dispatched");
    CHECK(is_null(doc, "/cases/2/speed/instructions_per_element"), "not counted is null");

    /* a skipped case: every speed field null, no attention, no accuracy */
    CHECK(has_string(doc, "/cases/1/reason", skip_reason, sizeof skip_reason - 1),
          "reason round trip (newline, quotes, control characters)");
    v = at(doc, "/cases/1/speed");
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)v, key, member)
        CHECK(json_is_null(member), "skipped case: speed/%s is not null", key);
    CHECK(v && json_object_size(v) == 21, "speed has 21 fields");
    CHECK(is_null(doc, "/cases/1/attention") && is_null(doc, "/cases/1/accuracy"),
          "skipped case: no attention, no accuracy");

    /* NaN fields and big integers */
    CHECK(has_string(doc, "/cases/2/model", model_x, sizeof model_x - 1), "model round trip");
    CHECK(has_string(doc, "/cases/2/id", id_x, sizeof id_x - 1), "id round trip");
    CHECK(is_null(doc, "/cases/2/shape/base") && is_null(doc, "/cases/2/speed/speedup_over_scalar"),
          "NaN is null");
    v = at(doc, "/cases/2/shape/elements");
    CHECK(v && json_is_integer(v) && (uint64_t)json_integer_value(v) == BIG_ELEMENTS, "2^53 + 1 exact");
    v = at(doc, "/cases/2/speed/repetitions");
    CHECK(v && json_is_integer(v) && json_integer_value(v) == 3, "repetitions");
    v = at(doc, "/cases/2/speed/times_ns");
    CHECK(v && json_array_size(v) == 3, "times_ns holds the first `repetitions` entries");
    v = at(doc, "/cases/2/speed/table_bytes");
    CHECK(v && json_is_integer(v) && json_integer_value(v) == 4096, "table_bytes");
    CHECK(is_null(doc, "/cases/2/attention"), "NaN sgemm: attention is null");
    v = at(doc, "/cases/2/accuracy/bit_exact");
    CHECK(v && json_is_boolean(v) && json_is_true(v) == 1, "bit_exact true");
    CHECK(json_equal(at(doc, "/cases/2/accuracy"), at(doc, "/accuracy/2")), "inlined accuracy");

    /* the element types: as given, and float32 for a case that names none */
    CHECK(HAS_STRING(doc, "/cases/0/dtype", "f32") && HAS_STRING(doc, "/cases/2/dtype", "f32") &&
              HAS_STRING(doc, "/cases/3/dtype", "bf16") &&
              HAS_STRING(doc, "/cases/3/group", "rotary_apply/llama-3-8b/T=512/bf16/threads=2"),
          "each case's element type");
    /* the thread counts (schema version 7): as given, and 1 for a case that names none */
    CHECK(has_double(doc, "/cases/3/threads", 2) && has_double(doc, "/cases/0/threads", 1) &&
              has_double(doc, "/cases/2/threads", 1),
          "each case's thread count");

    /* a failed case */
    CHECK(is_null(doc, "/cases/3/speed/median_ns"), "failed case: no speed");
    CHECK(has_double(doc, "/cases/3/attention/sgemm_median_ns", 100) &&
              is_null(doc, "/cases/3/attention/score_median_ns"),
          "attention with a NaN score");

    /* the accuracy records */
    v = at(doc, "/accuracy");
    CHECK(v && json_array_size(v) == 6, "6 accuracy records");
    CHECK(HAS_STRING(doc, "/accuracy/0/dtype", "f32") && is_null(doc, "/accuracy/0/max_err_type_ulp") &&
              is_null(doc, "/accuracy/0/apply_max_err_type_ulp") &&
              is_null(doc, "/accuracy/0/bound_type_ulp"),
          "a float32 record: dtype f32, no figures in ulps of a 16-bit type");
    CHECK(HAS_STRING(doc, "/accuracy/3/dtype", "bf16") &&
              has_double(doc, "/accuracy/3/max_err_type_ulp", 0.4999) &&
              has_double(doc, "/accuracy/3/apply_max_err_type_ulp", 0.5) &&
              has_double(doc, "/accuracy/3/bound_type_ulp", 0.5) &&
              is_null(doc, "/accuracy/3/bound_u") && is_null(doc, "/accuracy/3/apply_bound_u"),
          "a bf16 record: its figures and bound in ulps of the type");
    CHECK(HAS_STRING(doc, "/accuracy/5/dtype", "bf16") &&
              is_null(doc, "/accuracy/5/bound_type_ulp") && is_null(doc, "/accuracy/5/within_bound"),
          "a bf16 record in a recipe mode: no bound");
    CHECK(json_equal(at(doc, "/cases/3/accuracy"), at(doc, "/accuracy/3")),
          "a case's inlined bf16 record is the top-level one");
    CHECK(is_null(doc, "/accuracy/1/bound_u") && is_null(doc, "/accuracy/1/within_bound") &&
              is_null(doc, "/accuracy/1/bit_exact"),
          "fp32 mode: no bound");
    v = at(doc, "/accuracy/0/within_bound");
    CHECK(v && json_is_boolean(v) && json_is_true(v) == 1, "within_bound true");
    CHECK(has_double(doc, "/accuracy/0/apply_max_err_u", 2.75), "apply_max_err_u");
    v = at(doc, "/accuracy/0/decades");
    CHECK(v && json_array_size(v) == RUN_N_DECADES, "10 decades");
    v = at(doc, "/accuracy/0/decades/9/hi");
    CHECK(v && json_integer_value(v) == INT64_C(2147483648), "the last decade ends at 2^31");
    CHECK(has_double(doc, "/accuracy/0/decades/3/max_err_u", 1.5) &&
              is_null(doc, "/accuracy/0/decades/7/max_err_u") &&
              is_null(doc, "/accuracy/0/decades/7/max_ulp"),
          "an empty decade has no error figures");

    check_schema_copies(schema);
    check_schema_catches(doc);
    json_decref(doc);
    json_decref(schema);
}

/* ---- results.csv ----------------------------------------------------------------------------- */

#define MAX_ROWS 8
#define MAX_FIELDS 80

typedef struct table {
    char *field[MAX_ROWS][MAX_FIELDS];
    size_t len[MAX_ROWS][MAX_FIELDS];
    size_t n_fields[MAX_ROWS];
    size_t n_rows;
    int overflow;
} table;

/* csv_strict_read's callback: keeps the first MAX_ROWS x MAX_FIELDS fields, counts the rest. */
static void keep_field(size_t row, size_t col, const char *text, size_t len, void *ctx)
{
    table *t = ctx;
    if (row >= MAX_ROWS || col >= MAX_FIELDS) {
        t->overflow = 1;
        return;
    }
    t->field[row][col] = malloc(len + 1);
    memcpy(t->field[row][col], text, len + 1);
    t->len[row][col] = len;
    if (col + 1 > t->n_fields[row])
        t->n_fields[row] = col + 1;
}

static const char *read_csv(const char *s, size_t n, table *t)
{
    memset(t, 0, sizeof *t);
    const char *err = csv_strict_read(s, n, keep_field, t, &t->n_rows);
    if (!err && t->overflow)
        err = "more rows or fields than this test expects";
    return err;
}

static void free_table(table *t)
{
    for (size_t r = 0; r < MAX_ROWS; r++)
        for (size_t f = 0; f < MAX_FIELDS; f++)
            free(t->field[r][f]);
}

static const char *const csv_columns[] = {
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
#define N_CSV_COLUMNS (sizeof csv_columns / sizeof *csv_columns)

/* The field of a row in the named column, or NULL. */
static const char *cell(const table *t, size_t row, const char *column, size_t *len)
{
    for (size_t f = 0; f < t->n_fields[0]; f++) {
        if (!strcmp(t->field[0][f], column) && f < t->n_fields[row]) {
            if (len)
                *len = t->len[row][f];
            return t->field[row][f];
        }
    }
    CHECK(0, "results.csv has no column %s", column);
    return NULL;
}

static int cell_is(const table *t, size_t row, const char *column, const char *s, size_t len)
{
    size_t n = 0;
    const char *c = cell(t, row, column, &n);
    return c && n == len && !memcmp(c, s, len);
}
#define CELL_IS(t, row, col, lit) cell_is(t, row, col, lit, sizeof lit - 1)

static void check_csv(void)
{
    const char *path = path_of("results.csv");
    CHECK(report_write_csv(&rec, path) == 0, "report_write_csv failed");
    CHECK(!exists(path_of("results.csv.tmp")), "results.csv.tmp left behind");
    size_t len = 0;
    char *text = tests_slurp(path, &len);
    CHECK(text != NULL, "cannot read %s back", path);
    if (!text)
        return;
    CHECK(!strncmp(text, "id,group,", 9), "the header is the first line (no preamble)");
    CHECK(strstr(text, ",\"Model \"\"X\"\", v2\",") != NULL, "quotes doubled in a quoted field");
    CHECK(strstr(text, ",Llama-3-8B,") != NULL, "plain fields are not quoted");
    table *t = malloc(sizeof *t);
    const char *why = read_csv(text, len, t);
    CHECK(why == NULL, "results.csv is not strict RFC 4180: %s", why);
    free(text);
    if (why) {
        free_table(t);
        free(t);
        return;
    }
    CHECK(t->n_rows == 1 + rec.n_cases, "%zu rows, expected a header and %zu cases", t->n_rows,
          rec.n_cases);
    CHECK(t->n_fields[0] == N_CSV_COLUMNS, "header of %zu columns, expected %zu", t->n_fields[0],
          N_CSV_COLUMNS);
    for (size_t f = 0; f < N_CSV_COLUMNS && f < t->n_fields[0]; f++)
        CHECK(!strcmp(t->field[0][f], csv_columns[f]), "column %zu is %s, expected %s", f,
              t->field[0][f], csv_columns[f]);
    for (size_t r = 1; r < t->n_rows; r++)
        CHECK(t->n_fields[r] == N_CSV_COLUMNS, "row %zu has %zu fields", r, t->n_fields[r]);

    /* row 1: ok */
    CHECK(CELL_IS(t, 1, "median_ns", "0.30000000000000004"), "median in shortest round trip");
    const char *m = cell(t, 1, "min_ns", NULL);
    CHECK(m && strtod(m, NULL) == 1e-300, "min_ns round trip");
    CHECK(CELL_IS(t, 1, "base", "500000") && CELL_IS(t, 1, "repetitions", "5") &&
              CELL_IS(t, 1, "within_bound", "true") && CELL_IS(t, 1, "angle_mode", "exact") &&
              CELL_IS(t, 1, "bound_u", "8") && CELL_IS(t, 1, "sgemm_median_ns", "12345.5") &&
              CELL_IS(t, 1, "encoding_fraction", "0.125"),
          "ok case fields");
    CHECK(cell_is(t, 1, "cpu_model", cpu_model, sizeof cpu_model - 1), "cpu_model round trip");
    CHECK(CELL_IS(t, 1, "variant", "llama3") && CELL_IS(t, 1, "model_key", "llama-3.1-8b") &&
              CELL_IS(t, 1, "scaling", "llama3") && CELL_IS(t, 1, "attention_factor", "1") &&
              CELL_IS(t, 1, "keys", "") && CELL_IS(t, 1, "axes", "1") &&
              CELL_IS(t, 1, "variant_implementation", "rotary/avx2") &&
              CELL_IS(t, 1, "variant_max_err_exact", "3.5") &&
              CELL_IS(t, 1, "variant_max_err_fp32", "") &&
              CELL_IS(t, 1, "variant_within_bound", "true"),
          "the variant columns and the variant's sweep");
    CHECK(CELL_IS(t, 3, "variant", "") && CELL_IS(t, 3, "variant_max_err_exact", ""),
          "a case without a variant");
    CHECK(CELL_IS(t, 1, "git_revision", ""), "unknown revision is empty");
    CHECK(CELL_IS(t, 1, "instructions_impl", "rotary/avx2") &&
              CELL_IS(t, 1, "machine_kind", "x86_64-authenticamd-f25-m17-avx512") &&
              CELL_IS(t, 3, "instructions_impl", "") &&
              CELL_IS(t, 3, "machine_kind", "x86_64-authenticamd-f25-m17-avx512"),
          "what was counted, and the machine kind on every row");
    /* row 2: skipped */
    CHECK(cell_is(t, 2, "reason", skip_reason, sizeof skip_reason - 1),
          "reason with CR, LF, quotes, comma, control byte");
    static const char *const speed_cols[] = {"table_bytes", "repetitions", "median_ns",
                                             "mempass_id", "speedup_over_scalar", "angle_mode",
                                             "within_bound", "sgemm_median_ns"};
    for (size_t i = 0; i < sizeof speed_cols / sizeof *speed_cols; i++)
        CHECK(CELL_IS(t, 2, speed_cols[i], ""), "skipped case: %s is not empty", speed_cols[i]);
    CHECK(CELL_IS(t, 2, "tokens", "512"), "the shape of a skipped case is still there");
    /* row 3: NaN fields, big integers, a comma in the id */
    CHECK(cell_is(t, 3, "model", model_x, sizeof model_x - 1), "model round trip");
    CHECK(cell_is(t, 3, "id", id_x, sizeof id_x - 1), "id with a comma");
    CHECK(CELL_IS(t, 3, "base", "") && CELL_IS(t, 3, "speedup_over_scalar", ""), "NaN is empty");
    CHECK(CELL_IS(t, 3, "elements", "9007199254740993") &&
              CELL_IS(t, 3, "bytes", "18446744073709551615"),
          "integers exact");
    CHECK(CELL_IS(t, 3, "within_bound", "true") && CELL_IS(t, 3, "bound_u", "0"), "learned");
    /* the recipe columns take the float32 records, never bf16 data's in the same mode */
    CHECK(CELL_IS(t, 1, "fp16_max_err_u", "3.5") && CELL_IS(t, 1, "bf16_max_err_u", ""),
          "recipe columns of float32 data");
    CHECK(CELL_IS(t, 1, "dtype", "f32") && CELL_IS(t, 3, "dtype", "f32") &&
              CELL_IS(t, 4, "dtype", "bf16"),
          "the element type on every row (f32 where the case names none)");
    CHECK(CELL_IS(t, 1, "threads", "1") && CELL_IS(t, 3, "threads", "1") &&
              CELL_IS(t, 4, "threads", "2"),
          "the thread count on every row (1 where the case names none)");
    /* row 4: failed */
    CHECK(CELL_IS(t, 4, "status", "error") && CELL_IS(t, 4, "median_ns", "") &&
              CELL_IS(t, 4, "sgemm_median_ns", "100") && CELL_IS(t, 4, "encoding_fraction", ""),
          "failed case");
    free_table(t);
    free(t);
}

/* ---- summary.md ------------------------------------------------------------------------------ */

/* The 16-bit records beside the float32 ones, with their verdicts; the float32 tables without
 * them. */
static void check_md(void)
{
    const char *path = path_of("summary.md");
    CHECK(report_write_md(&rec, path) == 0, "report_write_md failed");
    char *md = tests_slurp(path, NULL);
    CHECK(md != NULL, "cannot read %s back", path);
    if (!md)
        return;
    char *sect = strstr(md, "### accuracy on bf16 and fp16 data, beside float32");
    char *end = sect ? strstr(sect + 4, "\n#") : NULL;
    if (end)
        *end = '\0'; /* the section alone */
    CHECK(sect && strstr(sect, "| implementation | f32 | within | bf16 | within | f16 | within |"),
          "summary.md: no table of 16-bit data");
    CHECK(sect && strstr(sect, "| rotary/avx2 | 3.5 u, apply 2.75 u | yes | 0.4999 ulp, apply "
                               "0.5 ulp | yes | 0.75 ulp, apply 0.25 ulp | **NO** |"),
          "summary.md: the rotary/avx2 row of the 16-bit table");
    CHECK(sect && !strstr(sect, "| learned/scalar |"), "summary.md: a row without 16-bit records");
    if (end)
        *end = '\n';
    /* 32768 u, the 16-bit records' max_err_u, in none of the float32 tables */
    CHECK(!strstr(md, "3.28e+04"), "summary.md: a 16-bit record in a float32 table");
    free(md);
    remove(path);
}

/* ---- the closed sets of names ---------------------------------------------------------------- */

/* The set's names in run_record.c's table are the enum of results/run.schema.json at pointer, in
 * order, and each parses back to its value. */
static void check_set(const json_t *schema, run_name_set set, const char *pointer, int count)
{
    const json_t *e = json_doc_pointer(schema, pointer);
    CHECK(json_is_array(e) && json_array_size(e) == (size_t)count, "%s: %zu names, the table %d",
          pointer, json_array_size(e), count);
    for (int v = 0; v < count; v++) {
        const char *name = run_name(set, v), *want = json_string_value(json_array_get(e, v));
        int back = -1;
        CHECK(want && !strcmp(name, want), "%s/%d: \"%s\" in the table, \"%s\" in the schema",
              pointer, v, name, want ? want : "(none)");
        CHECK(run_name_parse(set, name, &back, NULL, 0) == 0 && back == v,
              "\"%s\" parses to %d, not %d", name, back, v);
    }
    CHECK(!strcmp(run_name(set, count), "?") && !strcmp(run_name(set, -1), "?"),
          "%s: a value outside the set has a name", pointer);
}

static void check_names(void)
{
    char why[256];
    json_t *schema = json_doc_load(POSENC_RUN_SCHEMA, why, sizeof why);
    CHECK(schema != NULL, "%s", why);
    if (!schema)
        return;
#define CASE_ENUM(field) "/properties/cases/items/properties/" field "/enum"
#define ACC_ENUM(field) "/properties/accuracy/items/properties/" field "/enum"
    check_set(schema, RUN_SET_STATUS, CASE_ENUM("status"), RUN_STATUS_ERROR + 1);
    check_set(schema, RUN_SET_ENCODING, CASE_ENUM("encoding"), RUN_ENCODING_ALIBI + 1);
    check_set(schema, RUN_SET_OP, CASE_ENUM("op"), RUN_OP_PLAN + 1);
    check_set(schema, RUN_SET_DTYPE, CASE_ENUM("dtype"), RUN_DTYPE_F16 + 1);
    check_set(schema, RUN_SET_ENCODING, ACC_ENUM("encoding"), RUN_ENCODING_ALIBI + 1);
    check_set(schema, RUN_SET_ANGLE_MODE, ACC_ENUM("angle_mode"), RUN_ANGLE_FP16 + 1);
    check_set(schema, RUN_SET_DTYPE, ACC_ENUM("dtype"), RUN_DTYPE_F16 + 1);
#undef CASE_ENUM
#undef ACC_ENUM
    json_decref(schema);

    /* the library's names are run.json's: the bench and the sweep convert by value */
    for (posenc_kind k = POSENC_SINUSOIDAL; k <= POSENC_ALIBI; k++)
        CHECK(!strcmp(run_encoding_name(run_encoding_of(k)), posenc_kind_name(k)),
              "kind %d: %s in run.json, %s in posenc.h", (int)k,
              run_encoding_name(run_encoding_of(k)), posenc_kind_name(k));
    for (posenc_dtype d = POSENC_DTYPE_F32; d <= POSENC_DTYPE_F16; d++)
        CHECK(!strcmp(run_dtype_name(run_dtype_of(d)), posenc_dtype_name(d)),
              "dtype %d: %s in run.json, %s in posenc.h", (int)d,
              run_dtype_name(run_dtype_of(d)), posenc_dtype_name(d));

    /* a name outside its set: refused, with every name of the set in the message */
    int v = 7;
    CHECK(run_name_parse(RUN_SET_DTYPE, "f64", &v, why, sizeof why) == -1 && v == 7 &&
              !strcmp(why, "\"f64\" is not an element type (f32, bf16 or f16)"),
          "f64: '%s'", why);
    CHECK(run_name_parse(RUN_SET_STATUS, "OK", &v, why, sizeof why) == -1 &&
              !strcmp(why, "\"OK\" is not a case status (ok, skipped or error)"),
          "OK: '%s'", why);
    CHECK(run_name_parse(RUN_SET_OP, "", &v, NULL, 0) == -1, "the empty name parsed");
    /* a message longer than its buffer is cut, still terminated */
    char small[12];
    CHECK(run_name_parse(RUN_SET_ANGLE_MODE, "fp64", &v, small, sizeof small) == -1 &&
              strlen(small) == sizeof small - 1,
          "a cut message: '%s'", small);
}

/* ---- run_read -------------------------------------------------------------------------------- */

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* run_read of the run.json check_json wrote with its schema_version set to `version`, as
 * v<version>.json (removed again). */
static int read_as_version(int version, run_read_result *rr, char *why, size_t why_size)
{
    char *text = tests_slurp(path_of("run.json"), NULL);
    char name[32], from[32];
    snprintf(from, sizeof from, "\"schema_version\": %d", RUN_SCHEMA_VERSION);
    snprintf(name, sizeof name, "v%d.json", version);
    const char *v = text ? strstr(text, from) : NULL;
    CHECK(v != NULL, "run.json has no %s", from);
    FILE *f = v ? fopen(path_of(name), "wb") : NULL;
    if (f) {
        fprintf(f, "%.*s\"schema_version\": %d%s", (int)(v - text), text, version,
                v + strlen(from));
        fclose(f);
    }
    free(text);
    int rc = run_read(path_of(name), rr, why, why_size);
    remove(path_of(name));
    return rc;
}

/* The run.json check_json wrote, read back through its folder: what it was written from. */
static void check_read(void)
{
    run_read_result rr;
    char why[1024];
    int rc = run_read(tmpdir, &rr, why, sizeof why);
    CHECK(rc == 0, "run_read %s: %s", tmpdir, rc ? why : "");
    if (rc)
        return;
    const run_record *r = &rr.run;
    CHECK(rr.schema_version == RUN_SCHEMA_VERSION && !strcmp(rr.file, path_of("run.json")),
          "run_read: version %d, file %s", rr.schema_version, rr.file);
    CHECK(!strcmp(r->id, rec.id) && !strcmp(r->command, rec.command) && r->quick == 1 &&
              !strcmp(r->cpu_model, rec.cpu_model) && !strcmp(r->compiler, rec.compiler) &&
              r->cores == 2 && isnan(r->mhz) && r->git_dirty == -1 && !r->git_revision[0],
          "run_read: run, machine or build differ");
    CHECK(!strcmp(r->host, "h\xEF\xBF\xBD"), "run_read: host '%s' (the cut byte is U+FFFD)",
          r->host);
    CHECK(!strcmp(r->cpu_features, "sse4.2 avx2 fma"), "run_read: cpu_features '%s'",
          r->cpu_features);
    CHECK(!strcmp(r->kind, rec.kind) && !strcmp(r->cpu_vendor, "AuthenticAMD") &&
              r->cpu_family == 25 && r->cpu_model_number == 17 && r->cpu_stepping == 0 &&
              r->cpu_implementer == -1 && r->cpu_variant == -1 && r->cpu_part == -1 &&
              r->cpu_revision == -1,
          "run_read: machine kind or cpu_id differ ('%s', %s %d %d %d)", r->kind, r->cpu_vendor,
          r->cpu_family, r->cpu_model_number, r->cpu_stepping);
    CHECK(r->n_cases == 4 && r->n_accuracy == 6, "run_read: %zu cases, %zu accuracy records",
          r->n_cases, r->n_accuracy);
    if (r->n_cases != 4 || r->n_accuracy != 6)
        goto out;
    for (size_t i = 0; i < 4; i++) {
        const run_case *a = &r->cases[i], *w = &cases[i];
        int ok = w->status == RUN_STATUS_OK;
        CHECK(!strcmp(a->id, w->id) && !strcmp(a->group, w->group) &&
                  !strcmp(a->implementation, w->implementation) &&
                  a->status == w->status && !strcmp(a->reason, w->reason) &&
                  !strcmp(a->model, w->model) && a->dispatched == w->dispatched &&
                  a->elements == w->elements && a->bytes == w->bytes &&
                  a->encoding == w->encoding && a->op == w->op && a->dtype == w->dtype &&
                  a->threads == (w->threads > 1 ? w->threads : 1),
              "run_read: case %zu differs", i);
        CHECK(a->repetitions == (ok ? w->repetitions : 0) &&
                  (!ok || !memcmp(a->times_ns, w->times_ns, (size_t)w->repetitions *
                                                                sizeof *a->times_ns)),
              "run_read: case %zu times differ", i);
        CHECK(same_double(a->median_ns, ok ? w->median_ns : NAN) &&
                  same_double(a->mempass_median_ns, ok ? w->mempass_median_ns : NAN) &&
                  same_double(a->speedup_over_scalar, ok ? w->speedup_over_scalar : NAN) &&
                  same_double(a->wall_median_ns, ok ? w->wall_median_ns : NAN) &&
                  same_double(a->mempass_wall_median_ns, ok ? w->mempass_wall_median_ns : NAN),
              "run_read: case %zu speed differs", i);
        CHECK((a->accuracy == NULL) == (w->accuracy == NULL) &&
                  (!a->accuracy || a->accuracy == &r->accuracy[w->accuracy - accuracy]),
              "run_read: case %zu accuracy link", i);
    }
    const run_case *c0 = &r->cases[0];
    CHECK(c0->instructions_per_element == 5.5 &&
              !strcmp(c0->instructions_source, "callgrind") && !c0->instructions_note[0] &&
              !strcmp(c0->instructions_impl, "rotary/avx2"),
          "run_read: instruction counts");
    CHECK(r->cases[1].reason[0] && isnan(r->cases[1].instructions_per_element),
          "run_read: the skipped case");
    for (size_t k = 0; k < 6; k++) {
        const run_accuracy *a = &r->accuracy[k], *w = &accuracy[k];
        int f32 = w->dtype == RUN_DTYPE_F32;
        CHECK(a->dtype == w->dtype &&
                  same_double(a->max_err_type_ulp, f32 ? NAN : w->max_err_type_ulp) &&
                  same_double(a->apply_max_err_type_ulp, f32 ? NAN : w->apply_max_err_type_ulp) &&
                  same_double(a->bound_type_ulp, f32 ? NAN : w->bound_type_ulp),
              "run_read: accuracy %zu: dtype %s or its figures differ", k,
              run_dtype_name(a->dtype));
        CHECK(!strcmp(a->implementation, w->implementation) && a->encoding == w->encoding &&
                  a->angle_mode == w->angle_mode && same_double(a->bound_u, w->bound_u) &&
                  a->values_checked == w->values_checked && a->max_err_u == w->max_err_u &&
                  same_double(a->apply_max_err_u, w->apply_max_err_u) &&
                  a->within_bound == w->within_bound && a->bit_exact == w->bit_exact,
              "run_read: accuracy %zu differs", k);
    }
out:
    run_read_free(&rr);
    CHECK(rr.run.cases == NULL && rr.file == NULL, "run_read_free left the record");

    /* refused: a version from the future, named with the file */
    char future[32], future_file[32];
    snprintf(future, sizeof future, "schema_version %d", RUN_SCHEMA_VERSION + 1);
    snprintf(future_file, sizeof future_file, "v%d.json", RUN_SCHEMA_VERSION + 1);
    rc = read_as_version(RUN_SCHEMA_VERSION + 1, &rr, why, sizeof why);
    CHECK(rc == -1 && strstr(why, path_of(future_file)) && strstr(why, future) &&
              rr.run.cases == NULL && rr.file == NULL,
          "run_read of version %d: %d, '%s'", RUN_SCHEMA_VERSION + 1, rc, why);

    /* still read: version 6, whose cases all ran on one thread (a "threads" there is not
       read) */
    rc = read_as_version(6, &rr, why, sizeof why);
    CHECK(rc == 0 && rr.schema_version == 6, "run_read of version 6: %d, '%s'", rc,
          rc ? why : "");
    for (size_t i = 0; rc == 0 && i < rr.run.n_cases; i++)
        CHECK(rr.run.cases[i].threads == 1, "version 6: case %zu read as on %d threads", i,
              rr.run.cases[i].threads);
    run_read_free(&rr);

    /* still read: version 2, which had no machine kind, no cpu_id and no instructions_impl (its
       counts are of the case's own implementation) */
    rc = read_as_version(2, &rr, why, sizeof why);
    CHECK(rc == 0 && rr.schema_version == 2, "run_read of version 2: %d, '%s'", rc,
          rc ? why : "");
    if (rc == 0) {
        CHECK(!rr.run.kind[0] && !rr.run.cpu_vendor[0] && rr.run.cpu_family == -1 &&
                  rr.run.cpu_stepping == -1 && rr.run.cpu_part == -1,
              "version 2: a machine kind or cpu_id was read ('%s', %d)", rr.run.kind,
              rr.run.cpu_family);
        CHECK(!strcmp(rr.run.cases[0].instructions_impl, rr.run.cases[0].implementation) &&
                  !rr.run.cases[2].instructions_impl[0],
              "version 2: a count is of the case's own implementation ('%s')",
              rr.run.cases[0].instructions_impl);
    }
    run_read_free(&rr);

    /* still read: version 5, whose cases and accuracy records are all of float32 data */
    rc = read_as_version(5, &rr, why, sizeof why);
    CHECK(rc == 0 && rr.schema_version == 5, "run_read of version 5: %d, '%s'", rc,
          rc ? why : "");
    for (size_t k = 0; rc == 0 && k < rr.run.n_accuracy; k++)
        CHECK(rr.run.accuracy[k].dtype == RUN_DTYPE_F32 &&
                  isnan(rr.run.accuracy[k].max_err_type_ulp) &&
                  isnan(rr.run.accuracy[k].bound_type_ulp),
              "version 5: accuracy %zu read as %s data", k,
              run_dtype_name(rr.run.accuracy[k].dtype));
    for (size_t i = 0; rc == 0 && i < rr.run.n_cases; i++)
        CHECK(rr.run.cases[i].dtype == RUN_DTYPE_F32, "version 5: case %zu read as '%s', not f32",
              i, run_dtype_name(rr.run.cases[i].dtype));
    run_read_free(&rr);
}

/* run.json with its first `from` replaced by `to` is refused, with one line naming `what`. */
static void check_refused(const char *from, const char *to, const char *what)
{
    size_t len;
    char *text = tests_slurp(path_of("run.json"), &len);
    const char *at_from = text ? strstr(text, from) : NULL;
    CHECK(at_from != NULL, "run.json has no %s", from);
    if (!at_from) {
        free(text);
        return;
    }
    FILE *f = fopen(path_of("edited.json"), "wb");
    if (f) {
        fprintf(f, "%.*s%s%s", (int)(at_from - text), text, to, at_from + strlen(from));
        fclose(f);
    }
    run_read_result rr;
    char why[1024];
    int rc = run_read(path_of("edited.json"), &rr, why, sizeof why);
    CHECK(rc == -1 && strstr(why, what) && !strpbrk(why, "\n\r\001") && rr.file == NULL,
          "run_read with %s as %s: %d, '%s'", from, to, rc, rc ? why : "");
    if (!rc)
        run_read_free(&rr);
    remove(path_of("edited.json"));
    free(text);
}

/* Faults of run_read that harness/fuzz/fuzz_run_json.c catches (its seeds bad_cores_* and
 * bad_schema_newline hold them). */
static void check_read_refuses(void)
{
    /* cores beyond an int was converted anyway (undefined behaviour), negative or fractional
     * ones were taken */
    check_refused("\"cores\": 2", "\"cores\": 1e300", "/machine/cores");
    check_refused("\"cores\": 2", "\"cores\": 4294967298", "/machine/cores");
    check_refused("\"cores\": 2", "\"cores\": -1", "/machine/cores");
    /* a feature name that is not one word read back as other words (compare's list of them) */
    check_refused("\"sse4.2\"", "\" sse4.2\"", "/machine/cpu_features/0");
    check_refused("\"sse4.2\"", "\"\"", "/machine/cpu_features/0");
    check_refused("\"cores\": 2", "\"cores\": 2.5", "/machine/cores");
    /* an element type posenc does not have, and a version 6 case without one */
    check_refused("\"dtype\": \"bf16\"", "\"dtype\": \"f64\"",
                  "/cases/3/dtype: \"f64\" is not an element type (f32, bf16 or f16)");
    check_refused("\"dtype\": \"bf16\",", "", "/cases/3/dtype: missing");
    /* the message quotes the file's "schema", which held a newline: two lines, not one */
    check_refused("\"schema\": \"posenc-run\"", "\"schema\": \"posenc-run\\n\\r\\u0001\"",
                  "not a posenc run record");
    /* an element type posenc does not have, in an accuracy record (the one a bf16 case
       inlines, whose dtype comes before its bound_u) */
    check_refused("\"dtype\": \"bf16\",\n        \"bound_u\"",
                  "\"dtype\": \"f8\",\n        \"bound_u\"", "/cases/3/accuracy/dtype");
    /* the other closed sets: a name outside the set, with its JSON pointer and the set */
    check_refused("\"status\": \"ok\"", "\"status\": \"done\"",
                  "/cases/0/status: \"done\" is not a case status (ok, skipped or error)");
    check_refused("\"encoding\": \"rotary\"", "\"encoding\": \"rope\"",
                  "/cases/0/encoding: \"rope\" is not an encoding");
    check_refused("\"op\": \"apply\"", "\"op\": \"rotate\"",
                  "/cases/0/op: \"rotate\" is not an op (encode, apply, scores or plan)");
    check_refused("\"angle_mode\": \"exact\"", "\"angle_mode\": \"fp64\"",
                  "/run/angle_mode: \"fp64\" is not an angle mode (exact, fp32, bf16 or fp16)");
    check_refused("\"status\": \"ok\"", "\"status\": null", "/cases/0/status: expected string");
}

/* ---- failures -------------------------------------------------------------------------------- */

static void check_failed_writes(void)
{
    fprintf(stderr, "(the 'cannot write' and 'cannot rename' lines below are expected)\n");
    const char *json = path_of("no-such-dir/run.json"), *csv = path_of("no-such-dir/r.csv");
    CHECK(report_write_json(&rec, json) != 0, "writing into a missing directory succeeded");
    CHECK(report_write_csv(&rec, csv) != 0, "writing into a missing directory succeeded");
    CHECK(!exists(path_of("no-such-dir")), "a directory was created");

    /* the rename fails: a directory holds the name; the temporary file must go */
    const char *dir_json = path_of("taken.json"), *dir_csv = path_of("taken.csv");
    CHECK(mkdir(dir_json, 0700) == 0 && mkdir(dir_csv, 0700) == 0, "mkdir");
    CHECK(report_write_json(&rec, dir_json) != 0, "renaming over a directory succeeded");
    CHECK(report_write_csv(&rec, dir_csv) != 0, "renaming over a directory succeeded");
    CHECK(!exists(path_of("taken.json.tmp")) && !exists(path_of("taken.csv.tmp")),
          "a temporary file was left behind");
    rmdir(dir_json);
    rmdir(dir_csv);

    /* a record that claims cases it does not hold is refused before anything is created */
    run_record bad = rec;
    bad.cases = NULL;
    CHECK(report_write_json(&bad, path_of("bad.json")) != 0 && !exists(path_of("bad.json")) &&
              !exists(path_of("bad.json.tmp")),
          "an inconsistent record was written");

    /* a second write replaces the first */
    CHECK(report_write_json(&rec, path_of("run.json")) == 0 &&
              report_write_csv(&rec, path_of("results.csv")) == 0,
          "overwriting failed");
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/posenc_records_XXXXXX", base);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    check_names();
    fill_record();
    check_numbers();
    check_json();
    check_read();
    check_read_refuses();
    check_csv();
    check_md();
    check_failed_writes();
    remove(path_of("run.json"));
    remove(path_of("results.csv"));
    if (rmdir(tmpdir) != 0)
        fprintf(stderr, "test_run_records: %s was not empty\n", tmpdir);
    return tests_exit_code("test_run_records");
}
