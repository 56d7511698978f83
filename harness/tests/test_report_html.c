/* test_report_html.c - report.html from a synthetic run: well-formed, self-contained, every plot
 * section present, names escaped, skipped cases shown with their reason, the bf16 and fp16
 * accuracy records in their table beside float32 and out of the float32 plots, and a failed
 * write leaves no file. `test_report_html --write DIR` also keeps DIR/report.html and
 * DIR/report-empty.html (a run with no results) to look at. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, dup, dup2, unlink, rmdir */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "html_check.h"
#include "run_record.h"
#include "fmt_time.h"
#include "write_html.h"

/* ---- the synthetic run ----------------------------------------------------------------- */

#define MAX_CASES 96
#define MAX_ACC 32

/* Names a report must escape: in an implementation, a model and a reason. */
#define ODD_IMPL "rotary/<a&b>"
#define ODD_IMPL_ESCAPED "rotary/&lt;a&amp;b&gt;"
#define ODD_MODEL "GPT-2 \"small\" & <wpe>"
#define ODD_MODEL_ESCAPED "GPT-2 &quot;small&quot; &amp; &lt;wpe&gt;"
#define SKIP_REASON "CPU lacks avx512f <needs AVX-512F & BW>"
#define SKIP_REASON_ESCAPED "CPU lacks avx512f &lt;needs AVX-512F &amp; BW&gt;"
#define SKIPPED_ID "rotary_apply/T=512/impl=rotary/avx512"
#define VARIANT_GROUP "rotary_apply/llama-3.1-8b/decode@100000"

static run_case *add_case(run_record *r, run_encoding encoding, run_op op, const char *group,
                          const char *model, const char *impl, uint64_t elements,
                          double ns_per_element, double mempass_ns_per_element)
{
    run_case *c = &r->cases[r->n_cases++];
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s/impl=%s", group, impl);
    snprintf(c->group, sizeof c->group, "%s", group);
    c->encoding = encoding;
    c->op = op;
    snprintf(c->model, sizeof c->model, "%s", model);
    snprintf(c->shape, sizeof c->shape, "%s", strchr(group, '/') + 1);
    snprintf(c->implementation, sizeof c->implementation, "%s", impl);
    c->status = RUN_STATUS_OK;
    snprintf(c->pairing, sizeof c->pairing, "half");
    c->elements = elements;
    c->bytes = elements * 8;
    c->base = 10000;
    c->repetitions = 5;
    c->median_ns = ns_per_element * (double)elements;
    c->min_ns = c->median_ns * 0.98;
    c->mean_ns = c->median_ns * 1.01;
    c->stddev_ns = c->median_ns * 0.01;
    for (int i = 0; i < c->repetitions; i++)
        c->times_ns[i] = c->median_ns * (1 + 0.01 * (i - 2));
    c->ns_per_element = ns_per_element;
    c->elements_per_second = 1e9 / ns_per_element;
    c->bytes_per_second = (double)c->bytes / c->median_ns * 1e9;
    c->mempass_median_ns = mempass_ns_per_element * (double)elements;
    c->ratio_to_mempass = c->median_ns / c->mempass_median_ns;
    c->speedup_over_scalar = NAN;
    c->sgemm_median_ns = NAN;
    c->score_median_ns = NAN;
    c->encoding_fraction = NAN;
    return c;
}

static void skip_case(run_case *c, run_status status, const char *reason)
{
    c->status = status;
    snprintf(c->reason, sizeof c->reason, "%s", reason);
    c->repetitions = 0;
    c->median_ns = c->min_ns = c->mean_ns = c->stddev_ns = NAN;
    c->ns_per_element = c->elements_per_second = c->bytes_per_second = NAN;
    c->ratio_to_mempass = NAN;
}

/* error(d) in u for decade d of a sweep */
typedef double (*error_curve)(int d);
static double flat_small(int d) { return d == 0 ? 0 : 0.8 + 0.05 * d; }
static double flat_mid(int d) { return 1.6 + 0.1 * (d % 3); }
static double grows(int d) { return 0.5 * pow(10, 0.75 * d); }
static double grows_fast(int d) { return 0.9 * pow(10, 0.9 * d); }
static double too_big(int d) { return d < 5 ? 2.0 : 9.5; }
static double zero(int d) { return 0 * d; }

static run_accuracy *add_accuracy(run_record *r, const char *impl, run_encoding encoding,
                                  run_angle_mode mode, double bound, error_curve err)
{
    run_accuracy *a = &r->accuracy[r->n_accuracy++];
    memset(a, 0, sizeof *a);
    snprintf(a->implementation, sizeof a->implementation, "%s", impl);
    a->encoding = encoding;
    a->angle_mode = mode;
    a->bound_u = bound;
    a->apply_max_err_u = NAN;
    a->apply_bound_u = NAN;
    a->bit_exact = -1;
    a->max_err_u = 0;
    a->mean_err_u = 0;
    int64_t lo = 0;
    for (int d = 0; d < RUN_N_DECADES; d++) {
        run_decade *dc = &a->decades[d];
        int64_t hi = d == RUN_N_DECADES - 1 ? INT64_C(2147483648) : (lo ? lo * 10 : 10);
        dc->lo = lo;
        dc->hi = hi;
        dc->count = 4096;
        dc->max_err_u = err(d);
        dc->max_ulp = dc->max_err_u * 1.7;
        dc->mean_err_u = dc->max_err_u * 0.2;
        if (dc->max_err_u > a->max_err_u) {
            a->max_err_u = dc->max_err_u;
            a->max_ulp = dc->max_ulp;
            a->worst_position = lo + 7;
            a->worst_index = 3 + d;
        }
        a->mean_err_u += dc->mean_err_u / RUN_N_DECADES;
        a->values_checked += dc->count;
        lo = hi;
    }
    snprintf(a->worst_value, sizeof a->worst_value, "%s", a->worst_index % 2 ? "sin" : "cos");
    a->within_bound = isnan(bound) ? -1 : a->max_err_u <= bound;
    if (encoding == RUN_ENCODING_ROTARY && mode == RUN_ANGLE_EXACT) {
        a->apply_max_err_u = a->max_err_u * 1.5;
        a->apply_bound_u = 8;
    }
    return a;
}

static const char *const rotary_impls[] = {"rotary/scalar", "rotary/avx2", "rotary/avx512",
                                           "rotary/table-portable", ODD_IMPL};
static const char *const sin_impls[] = {"sinusoidal/scalar", "sinusoidal/avx2",
                                        "sinusoidal/sleef-u10-avx2", "sinusoidal/table-portable"};
static const char *const learned_impls[] = {"learned/scalar", "learned/avx2"};

/* speed of each implementation relative to scalar (ns/element = scalar's * factor) */
static const double rotary_factor[] = {1, 0.14, 0.1, 0.3, 0.6};
static const double sin_factor[] = {1, 0.12, 0.2, 0.05};
static const double learned_factor[] = {1, 0.5};

static void add_shape(run_record *r, run_encoding encoding, run_op op, const char *group,
                      const char *model, const char *const *impls, const double *factor,
                      size_t n_impls, uint64_t elements, double scalar_ns, double mempass_ns)
{
    size_t first = r->n_cases;
    for (size_t i = 0; i < n_impls; i++)
        add_case(r, encoding, op, group, model, impls[i], elements, scalar_ns * factor[i],
                 mempass_ns);
    /* the speedups the bench derives from the scalar case of the shape */
    for (size_t i = first; i < r->n_cases; i++)
        r->cases[i].speedup_over_scalar = r->cases[first].median_ns / r->cases[i].median_ns;
}

static void finish_speedups(run_record *r)
{
    for (size_t i = 0; i < r->n_cases; i++) {
        run_case *c = &r->cases[i];
        if (c->status != RUN_STATUS_OK)
            c->speedup_over_scalar = NAN;
    }
}

static run_case *find_case(run_record *r, const char *group, const char *impl)
{
    for (size_t i = 0; i < r->n_cases; i++)
        if (!strcmp(r->cases[i].group, group) && !strcmp(r->cases[i].implementation, impl))
            return &r->cases[i];
    fprintf(stderr, "no case %s %s\n", group, impl);
    exit(2);
}

/* An implementation counted in the stead of another (as avx2 stands in for avx512). */
/* A record of 16-bit data (exact mode): type_ulp in ulps of the type beyond the float32 bound;
 * its errors in u are the type's rounding, half an ulp of bf16 at 1. */
static double half_ulp_bf16(int d) { return 32768 + 0 * d; }

static run_accuracy *add_type_accuracy(run_record *r, const char *impl, run_encoding encoding,
                                       run_dtype dtype, double type_ulp)
{
    run_accuracy *a = add_accuracy(r, impl, encoding, RUN_ANGLE_EXACT, NAN, half_ulp_bf16);
    a->dtype = dtype;
    a->max_err_type_ulp = a->apply_max_err_type_ulp = type_ulp;
    a->bound_type_ulp = 0.5;
    a->within_bound = !(type_ulp > 0.5); /* NaN: a bit-exact kind, within */
    return a;
}

#define STAND_IN "rotary/avx2-half-width-test"

static void make_run(run_record *r, run_case *cases, run_accuracy *acc)
{
    memset(r, 0, sizeof *r);
    r->cases = cases;
    r->accuracy = acc;
    snprintf(r->id, sizeof r->id, "20261130T081500Z-vm-amd-epyc-1a2b3c4");
    snprintf(r->started_utc, sizeof r->started_utc, "2026-11-30T08:15:00Z");
    snprintf(r->command, sizeof r->command, "posenc bench --suite models --out results/ <x>");
    r->quick = 1;
    snprintf(r->suite, sizeof r->suite, "models");
    r->angle_mode = RUN_ANGLE_EXACT;
    r->threads = 1;
    snprintf(r->host, sizeof r->host, "vm");
    snprintf(r->cpu_model, sizeof r->cpu_model, "AMD EPYC 9R14 96-Core Processor");
    snprintf(r->arch, sizeof r->arch, "x86_64");
    snprintf(r->kind, sizeof r->kind, "x86_64-authenticamd-f25-m17-avx2-emulated");
    snprintf(r->cpu_vendor, sizeof r->cpu_vendor, "AuthenticAMD");
    r->cpu_family = 25;
    r->cpu_model_number = 17;
    r->cpu_stepping = 1;
    r->cpu_implementer = r->cpu_variant = r->cpu_part = r->cpu_revision = -1;
    r->emulated = 1;
    r->cores = 2;
    r->mhz = NAN;
    snprintf(r->cpu_features, sizeof r->cpu_features, "sse2 avx2 fma");
    snprintf(r->cpu_features_detected, sizeof r->cpu_features_detected, "sse2 avx2 fma avx512f");
    r->n_caches = 2;
    r->caches[0] = (run_cache){1, "Data", 32768, 2};
    r->caches[1] = (run_cache){2, "Unified", 1048576, 2};
    r->load_avg[0] = 0.5;
    r->load_avg[1] = 0.25;
    r->load_avg[2] = NAN;
    snprintf(r->posenc_version, sizeof r->posenc_version, "0.1.0");
    snprintf(r->compiler, sizeof r->compiler, "GNU 12.2.0");
    snprintf(r->flags, sizeof r->flags, "-O3 -DNDEBUG -ffp-contract=off");
    snprintf(r->git_revision, sizeof r->git_revision, "1a2b3c4");
    r->git_dirty = 1;
    snprintf(r->benchmark_version, sizeof r->benchmark_version, "1.7.1");
    snprintf(r->sleef_version, sizeof r->sleef_version, "3.5.1");
    snprintf(r->openblas_version, sizeof r->openblas_version, "OpenBLAS 0.3.21");
    snprintf(r->mpfr_version, sizeof r->mpfr_version, "4.2.0");

    add_shape(r, RUN_ENCODING_ROTARY, RUN_OP_APPLY, "rotary_apply/T=512", "Llama-2-7B",
              rotary_impls, rotary_factor, 5, 512 * 32 * 128, 1.5, 0.11);
    add_shape(r, RUN_ENCODING_ROTARY, RUN_OP_APPLY, "rotary_apply/T=4096", "Llama-2-7B",
              rotary_impls, rotary_factor, 5, 4096 * 32 * 128, 1.5, 0.14);
    add_shape(r, RUN_ENCODING_ROTARY, RUN_OP_APPLY, "rotary_decode/p=100000", "Llama-2-7B",
              rotary_impls, rotary_factor, 5, 32 * 128, 2.4, 0.04);
    add_shape(r, RUN_ENCODING_ROTARY, RUN_OP_ENCODE, "rotary_encode/T=4096", "Llama-2-7B",
              rotary_impls, rotary_factor, 5, 4096 * 128, 3.1, 0.09);
    add_shape(r, RUN_ENCODING_SINUSOIDAL, RUN_OP_ENCODE, "sinusoidal_encode/65536x512",
              "Transformer-base", sin_impls, sin_factor, 4, 65536 * 512, 4.0, 0.12);
    add_shape(r, RUN_ENCODING_SINUSOIDAL, RUN_OP_APPLY, "sinusoidal_apply/4096x4096",
              "Transformer-base", sin_impls, sin_factor, 4, 4096 * 4096, 4.2, 0.15);
    add_shape(r, RUN_ENCODING_LEARNED, RUN_OP_APPLY, "learned_apply/1024x768", ODD_MODEL,
              learned_impls, learned_factor, 2, 1024 * 768, 0.4, 0.1);
    /* the prefill of 512 again on bfloat16 (1.2 times float32's time) and float16 (2 times)
       data, each against a 16-bit pass over half the bytes */
    add_shape(r, RUN_ENCODING_ROTARY, RUN_OP_APPLY, "rotary_apply/T=512/bf16", "Llama-2-7B",
              rotary_impls, rotary_factor, 5, 512 * 32 * 128, 1.8, 0.06);
    add_shape(r, RUN_ENCODING_ROTARY, RUN_OP_APPLY, "rotary_apply/T=512/f16", "Llama-2-7B",
              rotary_impls, rotary_factor, 5, 512 * 32 * 128, 3.0, 0.06);
    for (size_t i = 0; i < r->n_cases; i++) {
        const char *g = r->cases[i].group;
        size_t n = strlen(g);
        if (n > 5 && !strcmp(g + n - 5, "/bf16"))
            r->cases[i].dtype = RUN_DTYPE_BF16;
        else if (n > 4 && !strcmp(g + n - 4, "/f16"))
            r->cases[i].dtype = RUN_DTYPE_F16;
    }

    /* this CPU has no AVX-512: every rotary/avx512 case is skipped */
    for (size_t i = 0; i < r->n_cases; i++)
        if (!strcmp(r->cases[i].implementation, "rotary/avx512"))
            skip_case(&r->cases[i], RUN_STATUS_SKIPPED, SKIP_REASON);
    skip_case(find_case(r, "sinusoidal_encode/65536x512", "sinusoidal/table-portable"),
              RUN_STATUS_ERROR, "plan: table of 128 MiB > limit");
    /* one very slow decode, so that chart's implementations span more than 30x: a log axis */
    run_case *slow = find_case(r, "rotary_decode/p=100000", ODD_IMPL);
    slow->median_ns *= 40;
    slow->ns_per_element *= 40;
    slow->ratio_to_mempass *= 40;
    slow->speedup_over_scalar /= 40;
    /* no memory pass measured for one case */
    run_case *c = find_case(r, "rotary_encode/T=4096", "rotary/table-portable");
    c->mempass_median_ns = NAN;
    c->ratio_to_mempass = NAN;
    finish_speedups(r);
    /* a variant of the models file beside its plain-RoPE twin, as dispatch ran them: 1.25x */
    const char *const variant_groups[] = {VARIANT_GROUP, VARIANT_GROUP "-rope"};
    for (int k = 0; k < 2; k++) {
        run_case *vc = add_case(r, RUN_ENCODING_ROTARY, RUN_OP_APPLY, variant_groups[k],
                                "Llama-3.1-8B", "rotary/avx2", 32 * 128, k ? 0.8 : 1.0, 0.2);
        snprintf(vc->id, sizeof vc->id, "%s/impl=dispatch", variant_groups[k]);
        vc->dispatched = 1;
        snprintf(vc->variant.name, sizeof vc->variant.name, "%s", k ? "rope" : "llama3");
        snprintf(vc->variant.model_key, sizeof vc->variant.model_key, "llama-3.1-8b");
    }
    /* instruction counts: one of the case's own kernel, one through a stand-in */
    c = find_case(r, "rotary_apply/T=512", "rotary/scalar");
    c->instructions = 5 * 512 * 32 * 128;
    c->instructions_per_element = 5;
    snprintf(c->instructions_source, sizeof c->instructions_source, "callgrind");
    c = find_case(r, "rotary_apply/T=512", "rotary/avx2");
    c->instructions = 512 * 32 * 128;
    c->instructions_per_element = 1;
    snprintf(c->instructions_source, sizeof c->instructions_source, "callgrind");
    snprintf(c->instructions_impl, sizeof c->instructions_impl, STAND_IN);
    snprintf(c->instructions_note, sizeof c->instructions_note, "counted " STAND_IN
             " under callgrind, standing in for rotary/avx2");

    /* the attention context of the rotary prefills: Q.K^T of 8 head groups */
    for (size_t i = 0; i < r->n_cases; i++) {
        run_case *rc = &r->cases[i];
        if (strcmp(rc->group, "rotary_apply/T=512") && strcmp(rc->group, "rotary_apply/T=4096"))
            continue;
        rc->tokens = !strcmp(rc->group, "rotary_apply/T=512") ? 512 : 4096;
        rc->kv_heads = 8;
        rc->sgemm_median_ns = 2.0 * (double)rc->tokens * (double)rc->tokens * 4 * 128 / 60.0;
        rc->score_median_ns = rc->sgemm_median_ns * 8;
        rc->encoding_fraction = rc->median_ns / rc->score_median_ns;
    }

    add_accuracy(r, "rotary/scalar", RUN_ENCODING_ROTARY, RUN_ANGLE_EXACT, 4, flat_small);
    add_accuracy(r, "rotary/avx2", RUN_ENCODING_ROTARY, RUN_ANGLE_EXACT, 4, flat_mid);
    add_accuracy(r, "rotary/table-portable", RUN_ENCODING_ROTARY, RUN_ANGLE_EXACT, 0.5,
                 zero)->decades[9].count = 0;
    add_accuracy(r, ODD_IMPL, RUN_ENCODING_ROTARY, RUN_ANGLE_EXACT, 4, too_big);
    add_accuracy(r, "rotary/scalar", RUN_ENCODING_ROTARY, RUN_ANGLE_FP32, NAN, grows);
    add_accuracy(r, "rotary/avx2", RUN_ENCODING_ROTARY, RUN_ANGLE_FP32, NAN, grows_fast);
    add_accuracy(r, "sinusoidal/scalar", RUN_ENCODING_SINUSOIDAL, RUN_ANGLE_EXACT, 4, flat_mid);
    add_accuracy(r, "sinusoidal/avx2", RUN_ENCODING_SINUSOIDAL, RUN_ANGLE_EXACT, 4, flat_small);
    add_accuracy(r, "sinusoidal/sleef-u10-avx2", RUN_ENCODING_SINUSOIDAL, RUN_ANGLE_EXACT, 4,
                 too_big);
    add_accuracy(r, "sinusoidal/scalar", RUN_ENCODING_SINUSOIDAL, RUN_ANGLE_FP32, NAN, grows);
    add_accuracy(r, "learned/scalar", RUN_ENCODING_LEARNED, RUN_ANGLE_EXACT, 0,
                 zero)->bit_exact = 1;
    add_accuracy(r, "learned/avx2", RUN_ENCODING_LEARNED, RUN_ANGLE_EXACT, 0, zero)->bit_exact = 1;
    /* bf16 and fp16 data (schema version 6), the last N_TYPE_RECORDS: their own table, never
       the float32 plots; one past its bound */
    add_type_accuracy(r, "rotary/avx2", RUN_ENCODING_ROTARY, RUN_DTYPE_BF16, 0.4999);
    add_type_accuracy(r, "rotary/avx2", RUN_ENCODING_ROTARY, RUN_DTYPE_F16, 0.75);
    add_type_accuracy(r, "learned/scalar", RUN_ENCODING_LEARNED, RUN_DTYPE_BF16,
                      NAN)->bit_exact = 1;
    /* link each case (float32 data) to its implementation's exact-mode record */
    for (size_t i = 0; i < r->n_cases; i++)
        r->cases[i].accuracy =
            run_find_accuracy(r, r->cases[i].implementation, RUN_ANGLE_EXACT, RUN_DTYPE_F32);
}
#define N_TYPE_RECORDS 3

/* ---- reading the report back ------------------------------------------------------------ */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static size_t count(const char *doc, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = doc; (p = strstr(p, needle)); p += len)
        n++;
    return n;
}

static int file_exists(const char *path) { return access(path, F_OK) == 0; }

/* What every report must be, whatever the run held. */
static void check_common(const char *doc, const char *label)
{
    char why[200] = "";
    CHECK(html_well_formed(doc, why, sizeof why), "%s: not well-formed: %s", label, why);
    CHECK(!strncmp(doc, "<!DOCTYPE html>", 15), "%s: no HTML5 doctype", label);
    CHECK(count(doc, "<html") == 1 && count(doc, "</html>") == 1, "%s: html tags", label);
    CHECK(count(doc, "<body") == 1 && count(doc, "</body>") == 1, "%s: body tags", label);
    CHECK(count(doc, "<svg") == count(doc, "</svg>"), "%s: %zu <svg> but %zu </svg>", label,
          count(doc, "<svg"), count(doc, "</svg>"));
    const char *end = strstr(doc, "</html>");
    CHECK(end && strspn(end + 7, " \n") == strlen(end + 7), "%s: text after </html>", label);
    static const char *const sections[] = {
        "plot-ns-per-element", "plot-speedup", "plot-memory", "plot-accuracy",
        "plot-speed-accuracy", "plot-attention", "dtypes", "table-cases", "skipped",
        "table-accuracy"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        char id[64];
        snprintf(id, sizeof id, "<section id=\"%s\">", sections[i]);
        CHECK(count(doc, id) == 1, "%s: section %s appears %zu times", label, sections[i],
              count(doc, id));
    }
    /* nothing fetched: the only URL is the SVG namespace, which is a name, not a fetch */
    size_t http = count(doc, "http://"), ns = count(doc, "xmlns=\"http://www.w3.org/2000/svg\"");
    CHECK(http == ns, "%s: %zu http:// but %zu SVG namespaces", label, http, ns);
    CHECK(count(doc, "https://") == 0, "%s: https:// in the report", label);
    CHECK(!strstr(doc, "<script"), "%s: a script", label);
    CHECK(!strstr(doc, "<link"), "%s: a <link>", label);
    CHECK(!strstr(doc, "url(") && !strstr(doc, "@import"), "%s: CSS fetches", label);
    CHECK(!strstr(doc, "nan") && !strstr(doc, "inf<") && !strstr(doc, "NaN"),
          "%s: a NaN or infinity printed as a number", label);
}

/* The 16-bit records in their table, with figures in ulps of the type and verdicts. */
static void check_dtype_accuracy(const char *doc)
{
    const char *t = strstr(doc, "<section id=\"table-dtypes\">");
    const char *end = t ? strstr(t, "</section>") : NULL;
    CHECK(t && end, "no table of 16-bit data");
    if (!t || !end)
        return;
    const char *row = strstr(t, "rotary/avx2</td>");
    CHECK(row && row < end && strstr(row, "0.4999 ulp, apply 0.4999 ulp</td><td class=\"pass\">"
                                          "yes</td>") &&
              strstr(row, "0.75 ulp, apply 0.75 ulp</td><td class=\"fail\">NO</td>"),
          "the rotary/avx2 row of the 16-bit table");
    row = strstr(t, "learned/scalar</td>");
    CHECK(row && row < end && strstr(row, "bit-exact</td><td class=\"pass\">yes</td><td "
                                          "class=\"num\">bit-exact</td><td class=\"pass\">"),
          "the learned/scalar row");
    const char *all = strstr(doc, "<section id=\"table-accuracy\">");
    CHECK(all && strstr(all, "<td>bf16</td>") && strstr(all, "0.75 / 0.75 / 0.5"),
          "every accuracy record: the 16-bit ones with their data type and figures");
}

/* The text of a section, from its opening tag to its </section>, copied (free it); NULL when
 * the report has none. */
static char *section_text(const char *doc, const char *id)
{
    char open[64];
    snprintf(open, sizeof open, "<section id=\"%s\">", id);
    const char *start = strstr(doc, open);
    const char *end = start ? strstr(start, "</section>") : NULL;
    if (!end)
        return NULL;
    size_t n = (size_t)(end - start);
    char *s = malloc(n + 1);
    memcpy(s, start, n);
    s[n] = '\0';
    return s;
}

/* float32 against bfloat16 against float16: one row per implementation of the prefill of 512
 * (the group without its dtype), each type's median and ratio to its own pass, the 16-bit
 * medians over float32's, and the chart */
static void check_dtypes(const char *doc)
{
    char *sec = section_text(doc, "dtypes");
    CHECK(sec != NULL, "no dtypes section");
    if (!sec)
        return;
    CHECK(strstr(sec, "<svg") != NULL, "dtypes: no chart");
    CHECK(count(sec, "<td>rotary_apply/T=512</td>") == 5,
          "dtypes: %zu rows of rotary_apply/T=512, want one per implementation (5)",
          count(sec, "<td>rotary_apply/T=512</td>"));
    CHECK(!strstr(sec, "<td>rotary_apply/T=512/bf16</td>") && !strstr(sec, "rotary_apply/T=4096"),
          "dtypes: a 16-bit group as a row of its own, or a group without 16-bit cases");
    /* scalar: 1.5, 1.8 and 3.0 ns per element on 2097152 elements, against passes of 0.11 and
       0.06 ns per element */
    CHECK(strstr(sec, "<td class=\"num\">3.15 ms</td><td class=\"num\">13.6</td>"
                      "<td class=\"num\">3.77 ms</td><td class=\"num\">30</td>"
                      "<td class=\"num\">6.29 ms</td><td class=\"num\">50</td>"
                      "<td class=\"num\">1.20\xC3\x97</td><td class=\"num\">2.00\xC3\x97</td>"),
          "dtypes: scalar's row lacks its medians, ratios to the passes and 16-bit / f32");
    CHECK(count(sec, "1.20\xC3\x97") == 4 && count(sec, "2.00\xC3\x97") == 4,
          "dtypes: %zu bf16 / f32 and %zu f16 / f32 ratios, want 4 each (avx512 skipped)",
          count(sec, "1.20\xC3\x97"), count(sec, "2.00\xC3\x97"));
    CHECK(count(sec, "<td colspan=\"2\">skipped</td>") == 3,
          "dtypes: the skipped avx512 case on each type");
    free(sec);
}

/* The overview comes first, whole; every per-case section is folded below it. */
static void check_overview(const char *doc)
{
    const char *ov = strstr(doc, "<section id=\"overview\">"), *fold = strstr(doc, "<details");
    CHECK(ov && fold && ov < fold, "the overview is not before the folded parts");
    static const char *const folded[] = {"plot-ns-per-element", "plot-speedup", "plot-memory",
                                         "plot-accuracy", "plot-attention", "dtypes",
                                         "table-cases", "table-accuracy"};
    for (size_t i = 0; fold && i < sizeof folded / sizeof folded[0]; i++) {
        char id[64];
        snprintf(id, sizeof id, "<section id=\"%s\">", folded[i]);
        const char *sec = strstr(doc, id);
        CHECK(sec && sec > fold, "section %s is not folded below the overview", folded[i]);
    }
    const char *sa = strstr(doc, "<section id=\"plot-speed-accuracy\">");
    CHECK(sa && ov && sa > ov && (!fold || sa < fold), "the scatter is not in the overview");
    /* the heat map: a cell per (shape, backend) that ran, a skipped one with its reason */
    const char *grid = ov ? strstr(ov, "Fraction of the memory limit") : NULL;
    CHECK(grid && (!fold || grid < fold), "no memory-limit heat map in the overview");
    const char *var = ov ? strstr(ov, "Variants: time over plain RoPE") : NULL;
    CHECK(var && (!fold || var < fold) && strstr(var, "decode@100000: 1.25 \xC3\x97 plain RoPE</title>"),
          "the overview does not set the variant against plain RoPE (1.25x)");
    if (grid) {
        CHECK(strstr(grid, "rotary_apply/T=512, scalar: ") != NULL, "heat map: no scalar T=512 cell");
        CHECK(strstr(grid, "rotary_apply/T=512, avx512: skipped: ") != NULL,
              "heat map: the skipped avx512 cell does not say why");
    }
}

static void check_full(const char *doc)
{
    check_common(doc, "full run");
    CHECK(count(doc, "<svg") >= 7 + 3 + 3 + 3 + 2 + 1, "only %zu charts", count(doc, "<svg"));
    CHECK(!strstr(doc, ODD_IMPL) && strstr(doc, ODD_IMPL_ESCAPED), "implementation not escaped");
    CHECK(!strstr(doc, ODD_MODEL) && strstr(doc, ODD_MODEL_ESCAPED), "model not escaped");
    CHECK(!strstr(doc, SKIP_REASON) && strstr(doc, SKIP_REASON_ESCAPED), "reason not escaped");
    CHECK(!strstr(doc, "<x>") && strstr(doc, "results/ &lt;x&gt;"), "command not escaped");
    /* the skipped case: in the case table, the list of skipped cases and the charts */
    CHECK(count(doc, SKIPPED_ID) >= 2, "skipped case listed %zu times", count(doc, SKIPPED_ID));
    CHECK(count(doc, SKIP_REASON_ESCAPED) >= 3, "skip reason shown %zu times",
          count(doc, SKIP_REASON_ESCAPED));
    CHECK(strstr(doc, "plan: table of 128 MiB &gt; limit") != NULL, "failed case's reason");
    const char *list = strstr(doc, "<section id=\"skipped\">");
    CHECK(list && strstr(list, SKIPPED_ID) && strstr(list, SKIP_REASON_ESCAPED),
          "skipped case missing from its list");
    CHECK(strstr(doc, "Emulated run.") != NULL, "no emulation banner");
    CHECK(strstr(doc, "Quick run.") != NULL, "no quick banner");
    CHECK(strstr(doc, "DIRTY") != NULL, "dirty flag not shown");
    CHECK(strstr(doc, "AMD EPYC 9R14") && strstr(doc, "1a2b3c4") && strstr(doc, "OpenBLAS 0.3.21"),
          "machine or build facts missing");
    CHECK(strstr(doc, "x86_64-authenticamd-f25-m17-avx2-emulated") &&
              strstr(doc, "AuthenticAMD family 25 model 17 stepping 1"),
          "machine kind or CPU identity missing from the header");
    const char *counts = strstr(doc, "<section id=\"table-instructions\">");
    CHECK(counts && strstr(counts, STAND_IN) && strstr(counts, "standing in for rotary/avx2"),
          "the instruction counts do not say what a stand-in count covers");
    /* d: the exact-mode bound dashed; learned's all-zero errors as a note, not an empty chart */
    CHECK(strstr(doc, "documented bound 4 u") != NULL, "bound line missing");
    CHECK(strstr(doc, "learned, exact angles: max error per decade: every value checked is exact")
              != NULL,
          "learned accuracy note missing");
    /* e: the representative shape is named */
    CHECK(strstr(doc, "Shape: <code>rotary_apply/T=4096</code> (16,777,216 elements), the "
                      "largest shape every implementation of this encoding ran (1 ran no shape")
              != NULL,
          "rotary scatter shape not named");
    /* f: a chart and a table row for the prefill cases only */
    const char *att = strstr(doc, "<section id=\"plot-attention\">");
    const char *att_end = att ? strstr(att, "</section>") : NULL;
    CHECK(att && att_end && strstr(att, "<svg") && strstr(att, "<svg") < att_end,
          "no attention chart");
    CHECK(count(doc, "no memory pass for this shape") >= 1, "missing memory pass not noted");
    CHECK(strstr(doc, "ns per element (log scale)") != NULL, "no log axis for a 40x spread");
    CHECK(count(doc, "<title>") > 100, "few tooltips: %zu", count(doc, "<title>"));
    check_dtypes(doc);
    check_dtype_accuracy(doc);
    check_overview(doc);
}

static void check_empty(const char *doc)
{
    check_common(doc, "empty run");
    CHECK(count(doc, "<svg") == 0, "charts in an empty run");
    CHECK(count(doc, "class=\"no-data\"") >= 6, "%zu no-data notes in an empty run",
          count(doc, "class=\"no-data\""));
}

/* The one time formatter of every report: three digits, the unit chosen after rounding. */
static void check_fmt_time(void)
{
    static const struct {
        double ns;
        const char *text;
    } t[] = {{0.25, "0.25 ns"}, {7.3, "7.30 ns"}, {57.84, "57.8 ns"}, {999.4, "999 ns"},
             {999.7, "1.00 us"}, {1234.5, "1.23 us"}, {999999, "1.00 ms"}, {3.146e6, "3.15 ms"},
             {2.5e9, "2.50 s"}, {4.2e12, "4200 s"}, {1e300, "1e+291 s"}, {0, "0.00 ns"}, {NAN, "-"},
             {INFINITY, "-"}, {-1, "-"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char buf[REPORT_TIME_MAX];
        report_fmt_time(buf, sizeof buf, t[i].ns);
        CHECK(!strcmp(buf, t[i].text), "report_fmt_time(%g) = '%s', want '%s'", t[i].ns, buf,
              t[i].text);
    }
}

/* ---- the test --------------------------------------------------------------------------- */

static char tmpdir[4096];

static void path_in(char *buf, size_t n, const char *dir, const char *name)
{
    if (snprintf(buf, n, "%s/%s", dir, name) >= (int)n) {
        fprintf(stderr, "path too long: %s/%s\n", dir, name);
        exit(2);
    }
}

/* Writes r to path and checks it with check(); keeps the file when keep is set. */
static void write_and_check(const run_record *r, const char *path, void (*check)(const char *),
                            int keep)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(report_write_html(r, path) == 0, "writing %s failed", path);
    CHECK(!file_exists(tmp), "%s left behind", tmp);
    char *doc = read_all(path);
    CHECK(doc != NULL, "cannot read back %s", path);
    if (doc)
        check(doc);
    free(doc);
    if (!keep)
        unlink(path);
}

/* A section of doc (by id), copied; NULL when there is none. */
static char *section_of(const char *doc, const char *id)
{
    char open[96];
    snprintf(open, sizeof open, "<section id=\"%s\">", id);
    const char *a = strstr(doc, open), *b = a ? strstr(a, "</section>") : NULL;
    if (!b)
        return NULL;
    char *s = malloc((size_t)(b - a) + 1);
    if (s) {
        memcpy(s, a, (size_t)(b - a));
        s[b - a] = '\0';
    }
    return s;
}

/* The float32 plots of a run with 16-bit records are those of the run without them. */
static void check_plots_f32_only(const run_record *r)
{
    run_record without = *r;
    without.n_accuracy -= N_TYPE_RECORDS;
    char a[4200], b[4200];
    path_in(a, sizeof a, tmpdir, "with.html");
    path_in(b, sizeof b, tmpdir, "without.html");
    CHECK(report_write_html(r, a) == 0 && report_write_html(&without, b) == 0,
          "writing the reports to compare failed");
    char *da = read_all(a), *db = read_all(b);
    static const char *const plots[] = {"plot-accuracy", "plot-speed-accuracy"};
    for (size_t i = 0; da && db && i < sizeof plots / sizeof plots[0]; i++) {
        char *sa = section_of(da, plots[i]), *sb = section_of(db, plots[i]);
        CHECK(sa && sb && !strcmp(sa, sb), "%s changed with the 16-bit records", plots[i]);
        free(sa);
        free(sb);
    }
    CHECK(db && !strstr(db, "table-dtypes"), "a table of 16-bit data without 16-bit records");
    free(da);
    free(db);
    unlink(a);
    unlink(b);
}

/* A run of posenc bench --threads 1,2: the prefill of 512 split over two threads (1.8 times the
 * one-thread throughput, its memory pass 1.5 times), the decode not split. The scaling section
 * shows them, with its chart, and every other view is that of the one-thread run. */
static void check_threads(const run_record *r)
{
    static run_case cases[MAX_CASES];
    run_record t = *r;
    memcpy(cases, r->cases, r->n_cases * sizeof *cases);
    t.cases = cases;
    t.threads = 2;
    for (size_t i = 0; i < r->n_cases && t.n_cases < MAX_CASES; i++) {
        const run_case *one = &r->cases[i];
        const int prefill = !strcmp(one->group, "rotary_apply/T=512");
        if (!prefill && strcmp(one->group, "rotary_decode/p=100000"))
            continue;
        run_case *c = &cases[t.n_cases++];
        *c = *one;
        c->threads = 2;
        char group[sizeof c->group], id[sizeof c->id];
        snprintf(group, sizeof group, "%.80s/threads=2", one->group);
        snprintf(id, sizeof id, "%s/impl=%.48s", group, one->implementation);
        memcpy(c->group, group, sizeof group);
        memcpy(c->id, id, sizeof id);
        if (!prefill) {
            skip_case(c, RUN_STATUS_SKIPPED, "1 token, fewer than 2 threads: not split");
        } else if (one->status == RUN_STATUS_OK) {
            c->median_ns = one->median_ns / 1.8;
            c->mempass_median_ns = one->mempass_median_ns / 1.5;
            c->ratio_to_mempass = c->median_ns / c->mempass_median_ns;
        }
    }
    char a[4200], b[4200];
    path_in(a, sizeof a, tmpdir, "threads.html");
    path_in(b, sizeof b, tmpdir, "one-thread.html");
    CHECK(report_write_html(&t, a) == 0 && report_write_html(r, b) == 0,
          "writing the reports with and without threads failed");
    char *da = read_all(a), *db = read_all(b);
    if (da)
        check_common(da, "threads");
    char *sec = da ? section_of(da, "scaling") : NULL;
    CHECK(sec && strstr(sec, "<svg") && strstr(sec, "2 threads against 1") &&
              strstr(sec, "2\xC3\x97: linear"),
          "no scaling chart");
    CHECK(sec && count(sec, "<td class=\"num\">1.8</td><td class=\"num\">1.5</td>") == 4,
          "the scaling table does not give 1.8 and 1.5 for the 4 prefill cases that ran");
    CHECK(sec && !strstr(sec, "rotary_decode"), "the decode that was not split is in the chart");
    CHECK(db && !strstr(db, "id=\"scaling\""), "a scaling section in a one-thread run");
    static const char *const same[] = {"plot-ns-per-element", "plot-speedup", "plot-memory",
                                       "plot-attention", "dtypes"};
    for (size_t i = 0; da && db && i < sizeof same / sizeof same[0]; i++) {
        char *sa = section_of(da, same[i]), *sb = section_of(db, same[i]);
        CHECK(sa && sb && !strcmp(sa, sb), "%s changed with the cases on two threads", same[i]);
        free(sa);
        free(sb);
    }
    const char *all = da ? strstr(da, "<section id=\"table-cases\">") : NULL;
    CHECK(all && strstr(all, "rotary_apply/T=512/threads=2/impl=rotary/avx2") &&
              strstr(all, "rotary_decode/p=100000/threads=2/impl=rotary/avx2"),
          "the case table lacks the cases on two threads");
    free(sec);
    free(da);
    free(db);
    unlink(a);
    unlink(b);
}

/* A report into a missing directory: nonzero, nothing written, one line naming path and why. */
static void check_failure(const run_record *r)
{
    char path[4200], tmp[4300], log[4200];
    path_in(path, sizeof path, tmpdir, "missing/report.html");
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    path_in(log, sizeof log, tmpdir, "stderr.txt");
    fflush(stderr);
    int saved = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (saved < 0 || fd < 0) {
        perror("capturing stderr");
        exit(2);
    }
    dup2(fd, 2);
    close(fd);
    int rc = report_write_html(r, path);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    CHECK(rc != 0, "writing into a missing directory returned 0");
    CHECK(!file_exists(path) && !file_exists(tmp), "a file was left at %s", path);
    char *msg = read_all(log);
    CHECK(msg && strstr(msg, path) && strstr(msg, strerror(ENOENT)) &&
              count(msg, "\n") == 1,
          "stderr should be one line naming the path and the reason, was: %s", msg ? msg : "");
    free(msg);
    unlink(log);
}

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
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/posenc_report_XXXXXX", base);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }

    static run_case cases[MAX_CASES];
    static run_accuracy acc[MAX_ACC];
    static run_record r;
    make_run(&r, cases, acc);

    char path[4200];
    path_in(path, sizeof path, keep_dir ? keep_dir : tmpdir, "report.html");
    write_and_check(&r, path, check_full, keep_dir != NULL);
    if (keep_dir)
        printf("wrote %s\n", path);

    run_record empty = r;
    empty.n_cases = 0;
    empty.n_accuracy = 0;
    empty.emulated = 0;
    path_in(path, sizeof path, keep_dir ? keep_dir : tmpdir, "report-empty.html");
    write_and_check(&empty, path, check_empty, keep_dir != NULL);
    if (keep_dir)
        printf("wrote %s\n", path);

    check_fmt_time();
    check_plots_f32_only(&r);
    check_threads(&r);
    check_failure(&r);
    rmdir(tmpdir);
    return tests_exit_code("test_report_html");
}
