/* test_bench_records.c - the records of a real `posenc bench` run (ctest runs a quick one first,
 * the bench_quick_run fixture): every file of the run folder is there, run.json validates
 * against results/run.schema.json, gbench.json is Google Benchmark's JSON with the benchmarks
 * run.json names, results.csv is strict RFC 4180 with one row per case of run.json, and the
 * timed cases carry speed, memory-pass ratio and accuracy together; the variant cases (M-RoPE
 * beside plain RoPE, ALiBi beside Q.K^T, a dynamic-NTK plan) carry their variant and sweeps,
 * and summary.md and report.html show them in the variants view with the run's own numbers;
 * the cases on bfloat16 and float16 data carry their type and their 16-bit memory pass, and the
 * reports put them beside the float32 case.
 *
 *   test_bench_records RUN_DIR SCHEMA */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csv_strict.h"
#include "json_check.h"
#include "run_record.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap ? 2 * cap : 65536;
            buf = realloc(buf, cap + 1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char path_buf[4096];
static const char *in_run(const char *dir, const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

static const json_t *at(const json_t *root, const char *pointer)
{
    return json_doc_pointer(root, pointer);
}

static json_t *parse_file(const char *path)
{
    return tests_json_load(path);
}

static double number_at(const json_t *v, const char *pointer)
{
    double x = NAN;
    json_doc_number(json_doc_pointer(v, pointer), &x);
    return x;
}

static const char *string_at(const json_t *v, const char *pointer)
{
    const char *s = json_string_value(json_doc_pointer(v, pointer));
    return s ? s : "";
}

/* ---- results.csv ------------------------------------------------------------------------- */

typedef struct csv_shape {
    size_t header_fields, bad_rows, rows_seen;
    size_t fields_in_row;
    size_t current_row;
} csv_shape;

static void count_field(size_t row, size_t col, const char *text, size_t len, void *ctx)
{
    csv_shape *s = ctx;
    (void)text;
    (void)len;
    if (row != s->current_row) { /* the previous record ended */
        if (s->current_row == 0)
            s->header_fields = s->fields_in_row;
        else if (s->fields_in_row != s->header_fields)
            s->bad_rows++;
        s->current_row = row;
        s->fields_in_row = 0;
    }
    s->fields_in_row = col + 1;
}

static void check_csv(const char *dir, size_t n_cases)
{
    size_t n = 0, rows = 0;
    char *text = slurp(in_run(dir, "results.csv"), &n);
    CHECK(text != NULL, "results.csv missing");
    if (!text)
        return;
    csv_shape s = {0};
    const char *err = csv_strict_read(text, n, count_field, &s, &rows);
    CHECK(err == NULL, "results.csv: %s", err ? err : "");
    if (s.current_row > 0 && s.fields_in_row != s.header_fields)
        s.bad_rows++;
    CHECK(s.header_fields >= 40, "results.csv: %zu columns in the header", s.header_fields);
    CHECK(s.bad_rows == 0, "results.csv: %zu rows with another field count than the header",
          s.bad_rows);
    CHECK(rows == n_cases + 1, "results.csv: %zu records for %zu cases", rows, n_cases);
    free(text);
}

/* ---- run.json and gbench.json -------------------------------------------------------------- */

static size_t check_run_json(const char *dir, const char *schema)
{
    tests_schema_valid(schema, in_run(dir, "run.json"));

    json_t *run = parse_file(in_run(dir, "run.json"));
    json_t *gb = parse_file(in_run(dir, "gbench.json"));
    if (!run || !gb) {
        json_decref(run);
        json_decref(gb);
        return 0;
    }
    const json_t *cases = at(run, "/cases");
    const json_t *benchmarks = at(gb, "/benchmarks");
    CHECK(cases && json_is_array(cases), "run.json: no cases array");
    CHECK(benchmarks && json_is_array(benchmarks), "gbench.json: no benchmarks array");
    CHECK(at(gb, "/context/cpu_model") != NULL, "gbench.json: no posenc context");
    size_t n_cases = cases ? json_array_size(cases) : 0, ok = 0, with_accuracy = 0;
    CHECK(n_cases > 0, "run.json: no case");
    for (size_t i = 0; i < n_cases; i++) {
        const json_t *c = json_array_get(cases, i);
        const char *id = string_at(c, "/id");
        if (strcmp(string_at(c, "/status"), "ok"))
            continue;
        ok++;
        CHECK(number_at(c, "/speed/median_ns") > 0, "%s: no median", id);
        if (!strcmp(string_at(c, "/op"), "plan")) { /* a plan moves no buffer: no reference */
            const json_t *ratio = at(c, "/speed/ratio_to_mempass");
            CHECK(ratio && json_is_null(ratio), "%s: a plan with a memory-pass ratio", id);
        } else {
            CHECK(number_at(c, "/speed/ratio_to_mempass") > 0, "%s: no ratio to its memory pass",
                  id);
        }
        const json_t *acc = json_object_get(c, "accuracy");
        if (acc && json_is_object(acc)) {
            with_accuracy++;
            const json_t *within = json_object_get(acc, "within_bound");
            const char *impl = string_at(c, "/implementation");
            if (run_impl_is_design(impl)) /* fp32 angles, its only mode: no bound */
                CHECK(!strcmp(string_at(acc, "/angle_mode"), "fp32") && within &&
                          json_is_null(within),
                      "%s: a design's accuracy is its fp32 record, unbounded", id);
            else
                CHECK(within && json_is_boolean(within) && json_is_true(within),
                      "%s: accuracy over its bound", id);
        }
        /* the same benchmark, with every repetition, in gbench.json */
        size_t reps = 0;
        for (size_t k = 0; benchmarks && k < json_array_size(benchmarks); k++) {
            const json_t *b = json_array_get(benchmarks, k);
            if (!strcmp(string_at(b, "/name"), id) && !strcmp(string_at(b, "/run_type"),
                                                               "iteration"))
                reps++;
        }
        const double want = number_at(c, "/speed/repetitions");
        CHECK(reps == (size_t)want, "%s: %zu repetitions in gbench.json, run.json says %g", id,
              reps, want);
    }
    CHECK(ok > 0, "run.json: no case was timed");
    CHECK(with_accuracy == ok, "run.json: %zu of %zu timed cases carry their accuracy",
          with_accuracy, ok);
    json_decref(run);
    json_decref(gb);
    return n_cases;
}

/* ---- the variants ---------------------------------------------------------------------------- */

/* The dispatched case of a group, or NULL. */
static const json_t *dispatched(const json_t *cases, const char *group)
{
    for (size_t i = 0; cases && i < json_array_size(cases); i++) {
        const json_t *c = json_array_get(cases, i);
        const json_t *d = json_object_get(c, "dispatched");
        if (!strcmp(string_at(c, "/group"), group) && d && json_is_boolean(d) && json_is_true(d))
            return c;
    }
    return NULL;
}

static const json_t *variant_record(const json_t *run, const char *model,
                                         const char *variant, const char *mode)
{
    const json_t *va = at(run, "/variant_accuracy");
    for (size_t i = 0; va && i < json_array_size(va); i++) {
        const json_t *v = json_array_get(va, i);
        if (!strcmp(string_at(v, "/model"), model) && !strcmp(string_at(v, "/variant"), variant) &&
            !strcmp(string_at(v, "/accuracy/angle_mode"), mode))
            return v;
    }
    return NULL;
}

static int is_true(const json_t *v) { return v && json_is_boolean(v) && json_is_true(v); }

/* The run covers the variant cases ctest asks for (Qwen2-VL's M-RoPE and its plain twin, MPT's
 * causal ALiBi at T=512, the dynamic-NTK plan, Llama 3.1's decode): their records, their
 * sweeps and the variants view of summary.md with the run's own numbers. */
static void check_variants(const char *dir)
{
    json_t *run = parse_file(in_run(dir, "run.json"));
    if (!run)
        return;
    const json_t *cases = at(run, "/cases");
    const json_t *mrope = dispatched(cases, "rotary_apply/qwen2-vl-7b/T=816");
    const json_t *plain = dispatched(cases, "rotary_apply/qwen2-vl-7b/T=816-rope");
    const json_t *alibi = dispatched(cases, "alibi_apply/mpt-7b/T=512");
    const json_t *plan = dispatched(cases, "rotary_plan/llama-2-7b-dynamic-ntk/seq=8192");
    CHECK(mrope && plain && alibi && plan, "the variant cases are missing from the run");
    if (!mrope || !plain || !alibi || !plan) {
        json_decref(run);
        return;
    }
    /* what each case says about its variant */
    CHECK(!strcmp(string_at(mrope, "/variant/name"), "mrope") &&
              !strcmp(string_at(mrope, "/variant/model_key"), "qwen2-vl-7b") &&
              !strcmp(string_at(mrope, "/variant/mrope"), "sections") &&
              number_at(mrope, "/variant/mrope_section/1") == 24 &&
              number_at(mrope, "/shape/axes") == 3 && number_at(mrope, "/shape/tokens") == 816 &&
              number_at(mrope, "/shape/last_position") == 59,
          "the M-RoPE case's variant and shape");
    CHECK(!strcmp(string_at(plain, "/variant/name"), "rope") &&
              !strcmp(string_at(plain, "/variant/scaling"), "none") &&
              number_at(plain, "/shape/axes") == 1 &&
              number_at(plain, "/shape/last_position") == 815,
          "the plain twin's variant and shape");
    CHECK(!strcmp(string_at(alibi, "/encoding"), "alibi") &&
              !strcmp(string_at(alibi, "/op"), "scores") &&
              !strcmp(string_at(alibi, "/variant/alibi_form"), "causal") &&
              number_at(alibi, "/variant/alibi_bias_max") == 8 &&
              number_at(alibi, "/shape/keys") == 512 &&
              number_at(alibi, "/shape/elements") == 32.0 * 512 * 512 &&
              number_at(alibi, "/attention/score_median_ns") > 0,
          "the alibi case: form, scores of 32 x 512 x 512, Q.K^T beside it");
    CHECK(!strcmp(string_at(plan, "/op"), "plan") &&
              !strcmp(string_at(plan, "/variant/scaling"), "dynamic") &&
              number_at(plan, "/variant/seq_len") == 8192 &&
              number_at(plan, "/variant/original_max_positions") == 4096,
          "the dynamic-NTK plan case");
    /* the sweeps of the variants */
    const json_t *vm = variant_record(run, "Qwen2-VL-7B", "mrope", "exact");
    const json_t *vf = variant_record(run, "Qwen2-VL-7B", "mrope", "fp32");
    const json_t *va = variant_record(run, "MPT-7B", "alibi-causal", "exact");
    CHECK(vm && is_true(json_doc_pointer(vm, "/accuracy/within_bound")) &&
              number_at(vm, "/accuracy/values_checked") > 0 &&
              number_at(vm, "/accuracy/decades/9/count") > 0,
          "Qwen2-VL-7B mrope: no exact-mode sweep within its bound up to 2^31");
    CHECK(vf && number_at(vf, "/accuracy/decades/9/max_err_u") >
                    number_at(vm, "/accuracy/decades/9/max_err_u"),
          "Qwen2-VL-7B mrope: fp32 angles no worse than exact ones at 1e9");
    /* a scaled variant: llama3's frequencies from the oracle's own derivation */
    const json_t *vl = variant_record(run, "Llama-3.1-8B", "llama3", "exact");
    CHECK(vl && is_true(json_doc_pointer(vl, "/accuracy/within_bound")) &&
              number_at(vl, "/attention_factor") == 1 &&
              number_at(vl, "/accuracy/decades/9/count") > 0,
          "Llama-3.1-8B llama3: no exact-mode sweep within its bound up to 2^31");
    CHECK(va && is_true(json_doc_pointer(va, "/accuracy/bit_exact")) &&
              is_true(json_doc_pointer(va, "/accuracy/within_bound")),
          "MPT-7B alibi-causal: exact biases not the correctly rounded ones");
    /* the half-precision recipes: llama3 in bf16 over every decade, in fp16 up to its position
       limit 65520 only (decades from 1e5 empty), both far from exact at 1e3; alibi has neither */
    const json_t *vb = variant_record(run, "Llama-3.1-8B", "llama3", "bf16");
    const json_t *vh = variant_record(run, "Llama-3.1-8B", "llama3", "fp16");
    CHECK(vb && vh && number_at(vb, "/accuracy/decades/9/count") > 0 &&
              number_at(vh, "/accuracy/decades/4/count") > 0 &&
              number_at(vh, "/accuracy/decades/5/count") == 0 &&
              number_at(vh, "/accuracy/decades/9/count") == 0 &&
              number_at(vb, "/accuracy/decades/3/max_err_u") >
                  1e3 * number_at(vl, "/accuracy/decades/3/max_err_u") &&
              number_at(vh, "/accuracy/decades/3/max_err_u") >
                  1e3 * number_at(vl, "/accuracy/decades/3/max_err_u"),
          "Llama-3.1-8B llama3: no bf16 and fp16 sweeps, or fp16 past 65520, or not the recipes");
    CHECK(!variant_record(run, "MPT-7B", "alibi-causal", "bf16") &&
              !variant_record(run, "MPT-7B", "alibi-causal", "fp16"),
          "MPT-7B alibi-causal: swept in a half-precision angle mode it has no angle for");

    /* the variants view of summary.md: the M-RoPE row with its median against its twin's */
    size_t n = 0;
    char *md = slurp(in_run(dir, "summary.md"), &n);
    CHECK(md && strstr(md, "### variants") && strstr(md, "#### Qwen2-VL-7B (`qwen2-vl-7b`)") &&
              strstr(md, "#### MPT-7B (`mpt-7b`)"),
          "summary.md has no variants view for Qwen2-VL-7B and MPT-7B");
    const char *row = md ? strstr(md, "| mrope | rotary_apply/qwen2-vl-7b/T=816 |") : NULL;
    CHECK(row != NULL, "summary.md: no variants row for the M-RoPE case");
    if (row) {
        char want[64];
        snprintf(want, sizeof want, "| %.2fx |",
                 number_at(mrope, "/speed/median_ns") / number_at(plain, "/speed/median_ns"));
        const char *eol = strchr(row, '\n');
        const char *hit = strstr(row, want);
        CHECK(hit && (!eol || hit < eol), "summary.md: the M-RoPE row lacks '%s' (M-RoPE over "
              "plain RoPE)", want);
        snprintf(want, sizeof want, "| %.2fx |", number_at(mrope, "/speed/ratio_to_mempass"));
        hit = strstr(row, want);
        CHECK(hit && (!eol || hit < eol), "summary.md: the M-RoPE row lacks '%s' (ratio to "
              "the memory pass)", want);
    }
    free(md);
    char *html = slurp(in_run(dir, "report.html"), &n);
    CHECK(html && strstr(html, "<section id=\"variants\">") && strstr(html, "Qwen2-VL-7B"),
          "report.html has no variants section");
    free(html);
    json_decref(run);
}

/* ---- 16-bit data ---------------------------------------------------------------------------- */

/* The case with this id, or NULL. */
static const json_t *case_of(const json_t *cases, const char *id)
{
    for (size_t i = 0; cases && i < json_array_size(cases); i++)
        if (!strcmp(string_at(json_array_get(cases, i), "/id"), id))
            return json_array_get(cases, i);
    return NULL;
}

/* The timed repetitions of a benchmark in gbench.json. */
static size_t gbench_runs(const json_t *gb, const char *name)
{
    const json_t *b = at(gb, "/benchmarks");
    size_t n = 0;
    for (size_t k = 0; b && k < json_array_size(b); k++)
        n += !strcmp(string_at(json_array_get(b, k), "/name"), name) &&
             !strcmp(string_at(json_array_get(b, k), "/run_type"), "iteration");
    return n;
}

/* Median CPU time in ns of a benchmark's repetitions in gbench.json, as the records take it (the
 * middle one, or the mean of the two middle ones); -1 when it did not run. */
static double gbench_median_ns(const json_t *gb, const char *name)
{
    const json_t *b = at(gb, "/benchmarks");
    double t[64];
    size_t n = 0;
    for (size_t k = 0; b && k < json_array_size(b) && n < 64; k++) {
        const json_t *r = json_array_get(b, k);
        if (strcmp(string_at(r, "/name"), name) || strcmp(string_at(r, "/run_type"), "iteration"))
            continue;
        const char *u = string_at(r, "/time_unit");
        const double scale = !strcmp(u, "us")  ? 1e3
                             : !strcmp(u, "ms") ? 1e6
                             : !strcmp(u, "s")  ? 1e9
                                                : 1;
        t[n++] = number_at(r, "/cpu_time") * scale;
    }
    if (!n)
        return -1;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && t[j] < t[j - 1]; j--) {
            const double x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* A record's reference is the fastest way of its memory pass (family over `bytes`) timed in the
 * run: mempass_id names one of the ways that ran, the plain loop among them, and
 * mempass_median_ns is its median, no slower than any other way's. */
static void check_reference(const json_t *gb, const json_t *rec, const char *family,
                            double bytes, const char *label)
{
    static const char *const ways[4] = {"", "_vec", "_nt", "_memset"};
    const char *id = string_at(rec, "/speed/mempass_id");
    const double ref = number_at(rec, "/speed/mempass_median_ns");
    int named = 0, ran = 0;
    for (int k = 0; k < 4; k++) {
        char name[128];
        snprintf(name, sizeof name, "%s%s/bytes=%.0f", family, ways[k], bytes);
        const double ns = gbench_median_ns(gb, name);
        if (ns < 0) {
            CHECK(k > 0, "%s: the plain pass %s did not run", label, name);
            continue;
        }
        ran++;
        CHECK(ref <= ns * (1 + 1e-9), "%s: reference %s at %g ns, but %s took %g ns", label, id,
              ref, name, ns);
        if (!strcmp(id, name)) {
            named = 1;
            CHECK(fabs(ns - ref) <= 1e-9 * ref, "%s: %s took %g ns in gbench.json, %g in run.json",
                  label, name, ns, ref);
        }
    }
    CHECK(named && ran >= 1 && number_at(rec, "/speed/ratio_to_mempass") > 0,
          "%s: reference '%s' is not one of the %d ways of %s/bytes=%.0f that ran", label, id,
          ran, family, bytes);
}

/* Llama-3-8B's prefill of 512 and BERT-base's learned apply on float32, bfloat16 and float16
 * data (ctest's quick run has them): float32 ids as before, the 16-bit ones with their type,
 * half the bytes of x, each against a 16-bit memory pass over its own bytes that ran in the same
 * run (learned's also reading W's float32 rows); summary.md and report.html put the three side by
 * side with the run's numbers. */
static void check_dtypes(const char *dir)
{
    json_t *run = parse_file(in_run(dir, "run.json"));
    json_t *gb = parse_file(in_run(dir, "gbench.json"));
    if (!run || !gb) {
        json_decref(run);
        json_decref(gb);
        return;
    }
    const json_t *cases = at(run, "/cases");
    const char *const types[3] = {"f32", "bf16", "f16"};
    const json_t *rot[3], *lrn[3];
    for (int t = 0; t < 3; t++) {
        char id[160];
        snprintf(id, sizeof id, "rotary_apply/llama-3-8b/T=512%s%s/impl=dispatch",
                 t ? "/" : "", t ? types[t] : "");
        rot[t] = case_of(cases, id);
        snprintf(id, sizeof id, "learned_apply/bert-base/seq=512%s%s/impl=learned/scalar",
                 t ? "/" : "", t ? types[t] : "");
        lrn[t] = case_of(cases, id);
        CHECK(rot[t] && lrn[t], "no %s case of Llama-3-8B's prefill or BERT-base's apply",
              types[t]);
        if (!rot[t] || !lrn[t]) {
            json_decref(run);
            json_decref(gb);
            return;
        }
        CHECK(!strcmp(string_at(rot[t], "/dtype"), types[t]) &&
                  !strcmp(string_at(lrn[t], "/dtype"), types[t]),
              "the %s cases say dtype '%s'", types[t], string_at(rot[t], "/dtype"));
    }
    const double x32 = number_at(rot[0], "/shape/bytes") / 2; /* bytes of x, float32 */
    CHECK(x32 == 512.0 * 40 * 128 * 4, "Llama-3-8B's T=512: %g bytes of x in float32", x32);
    const double w = 512.0 * 768 * 4; /* BERT-base's W rows read, float32 whatever x is */
    for (int t = 1; t < 3; t++) {
        char want[96];
        CHECK(number_at(rot[t], "/shape/elements") == number_at(rot[0], "/shape/elements") &&
                  number_at(rot[t], "/shape/bytes") == x32,
              "%s rotary: the float32 case's elements in half the bytes", types[t]);
        snprintf(want, sizeof want, "mempass_rw_%s", types[t]);
        CHECK(gbench_runs(gb, string_at(rot[t], "/speed/mempass_id")) ==
                  (size_t)number_at(rot[t], "/speed/repetitions"),
              "%s rotary: reference '%s' not timed in the same run", types[t],
              string_at(rot[t], "/speed/mempass_id"));
        check_reference(gb, rot[t], want, x32 / 2, types[t]);
        snprintf(want, sizeof want, "mempass_rw_%s_r32", types[t]);
        CHECK(number_at(lrn[t], "/shape/bytes") == 2 * 512.0 * 768 * 2 + w,
              "%s learned: %g bytes, want x read and written and W read", types[t],
              number_at(lrn[t], "/shape/bytes"));
        check_reference(gb, lrn[t], want, 512.0 * 768 * 2, types[t]);
    }
    /* float32: the read+write of x; learned also reads W's rows, as many bytes as x */
    check_reference(gb, rot[0], "mempass_rw", 10485760, "f32 rotary");
    CHECK(number_at(lrn[0], "/shape/bytes") == 3 * 1572864.0, "f32 learned: %g bytes",
          number_at(lrn[0], "/shape/bytes"));
    check_reference(gb, lrn[0], "mempass_rw_r32", 1572864, "f32 learned");

    /* summary.md: the row of what dispatch picks, each type's median and ratio, 16-bit / f32 */
    size_t n = 0;
    char *md = slurp(in_run(dir, "summary.md"), &n);
    const char *table = md ? strstr(md, "### float32, bfloat16 and float16") : NULL;
    char head[160];
    snprintf(head, sizeof head, "| rotary_apply/llama-3-8b/T=512 | dispatch: %s |",
             string_at(rot[0], "/implementation"));
    const char *row = table ? strstr(table, head) : NULL;
    CHECK(row != NULL, "summary.md: no float32 / bfloat16 / float16 row '%s'", head);
    if (row) {
        const char *eol = strchr(row, '\n');
        for (int t = 0; t < 3; t++) {
            char want[64];
            snprintf(want, sizeof want, "(%.2fx) |", number_at(rot[t], "/speed/ratio_to_mempass"));
            const char *hit = strstr(row, want);
            CHECK(hit && (!eol || hit < eol), "summary.md: the row lacks %s's ratio '%s'",
                  types[t], want);
            if (!t)
                continue;
            snprintf(want, sizeof want, "| %.2fx |",
                     number_at(rot[t], "/speed/median_ns") / number_at(rot[0], "/speed/median_ns"));
            hit = strstr(row, want);
            CHECK(hit && (!eol || hit < eol), "summary.md: the row lacks %s / f32 '%s'", types[t],
                  want);
        }
    }
    free(md);
    char *html = slurp(in_run(dir, "report.html"), &n);
    const char *sec = html ? strstr(html, "<section id=\"dtypes\">") : NULL;
    CHECK(sec && strstr(sec, "<td>rotary_apply/llama-3-8b/T=512</td>") &&
              strstr(sec, "<td>learned_apply/bert-base/seq=512</td>"),
          "report.html: no float32 / bfloat16 / float16 rows");
    free(html);
    json_decref(run);
    json_decref(gb);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_bench_records RUN_DIR SCHEMA\n");
        return 2;
    }
    const char *dir = argv[1];
    const char *files[] = {"gbench.json", "run.json", "results.csv", "summary.md", "report.html"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t n = 0;
        char *text = slurp(in_run(dir, files[i]), &n);
        CHECK(text != NULL && n > 0, "%s/%s missing or empty", dir, files[i]);
        free(text);
    }
    size_t n_cases = check_run_json(dir, argv[2]);
    check_csv(dir, n_cases);
    check_variants(dir);
    check_dtypes(dir);
    return tests_exit_code("test_bench_records");
}
