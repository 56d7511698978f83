/* test_compare.c - `posenc compare`: the Mann-Whitney U test against known p-values (exact counts
 * checked by enumeration, the normal approximation with ties), then the command on synthetic
 * runs written with report_write_json: every verdict, every metric and reference, every exit
 * code, and compare.json / compare.md read back. `test_compare --keep` leaves the files in /tmp. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, mkdir, chdir, getcwd */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "compare.h"
#include "harness_util.h"
#include "json_check.h"

#ifndef POSENC_COMPARE_SCHEMA
#error "POSENC_COMPARE_SCHEMA must name results/compare.schema.json (harness/tests/CMakeLists.txt)"
#endif
#include "mann_whitney.h"
#include "run_record.h"
#include "write_json.h"

#define CLOSE(a, b, rel) (fabs((a) - (b)) <= (rel) * fabs((double)(b)))

/* ---- Mann-Whitney ---------------------------------------------------------------------------- */

static double p_of(const double *x, size_t nx, const double *y, size_t ny, mw_result *r)
{
    int rc = mann_whitney(x, nx, y, ny, r);
    CHECK(rc == 0, "mann_whitney returned %d", rc);
    return rc ? NAN : r->p;
}

static size_t bits(unsigned m)
{
    size_t n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* The exact two-sided p by enumeration of every way to pick which nx of the ranks 1..n are x's:
 * an independent check of the Gaussian-binomial counts. */
static double brute_force_p(size_t nx, size_t ny, double u_obs)
{
    size_t n = nx + ny, total = 0, extreme = 0;
    double mean = (double)(nx * ny) / 2;
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        if (bits(mask) != nx)
            continue;
        double rank_sum = 0;
        for (size_t i = 0; i < n; i++)
            if (mask >> i & 1)
                rank_sum += (double)(i + 1);
        double u = rank_sum - (double)(nx * (nx + 1)) / 2;
        total++;
        extreme += fabs(u - mean) >= fabs(u_obs - mean) - 1e-9;
    }
    return fmin(1.0, (double)extreme / (double)total);
}

static void test_mann_whitney(void)
{
    mw_result r;
    const double a3[] = {1, 2, 3}, b3[] = {4, 5, 6};
    CHECK(p_of(a3, 3, b3, 3, &r) == 0.1, "3 below 3: p %g, want 0.1", r.p);
    CHECK(r.method == MW_EXACT && r.u == 0 && !r.ties, "method %d u %g ties %d", r.method, r.u,
          r.ties);
    CHECK(p_of(b3, 3, a3, 3, &r) == 0.1 && r.u == 9, "swapped: p %g u %g", r.p, r.u);

    const double a5[] = {5, 1, 4, 2, 3}, b5[] = {6, 10, 7, 9, 8};
    CHECK(CLOSE(p_of(a5, 5, b5, 5, &r), 2.0 / 252, 1e-12), "5 below 5: p %.17g", r.p);

    const double odd[] = {1, 3, 5}, even[] = {2, 4, 6}; /* U = 3, P(U <= 3) = 7/20 */
    CHECK(CLOSE(p_of(odd, 3, even, 3, &r), 0.7, 1e-12) && r.u == 3, "interleaved: p %g u %g",
          r.p, r.u);

    /* SciPy's documented example (mannwhitneyu): U = 17, exact p = 1/9, asymptotic with
       continuity correction 0.11134688653314041 */
    const double males[] = {19, 22, 16, 29, 24}, females[] = {20, 11, 17, 12};
    CHECK(CLOSE(p_of(males, 5, females, 4, &r), 1.0 / 9, 1e-12) && r.u == 17,
          "scipy example: p %.17g u %g", r.p, r.u);

    /* exact counts against enumeration, for every U of several sizes */
    static const size_t sizes[][2] = {{1, 1}, {1, 5}, {2, 3}, {4, 4}, {5, 7}, {3, 9}, {6, 6}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t nx = sizes[s][0], ny = sizes[s][1], n = nx + ny;
        /* every split of 0..n-1 into x and y: pick by mask */
        for (unsigned mask = 0; mask < (1u << n); mask++) {
            if (bits(mask) != nx)
                continue;
            double x[16], y[16];
            size_t ix = 0, iy = 0;
            for (size_t i = 0; i < n; i++) {
                if (mask >> i & 1)
                    x[ix++] = (double)i;
                else
                    y[iy++] = (double)i;
            }
            double p = p_of(x, nx, y, ny, &r), want = brute_force_p(nx, ny, r.u);
            if (!CLOSE(p, want, 1e-12)) {
                CHECK(0, "%zu vs %zu, U %g: p %.17g, enumeration %.17g", nx, ny, r.u, p, want);
                break;
            }
            mw_result back;
            p_of(y, ny, x, nx, &back);
            if (back.p != p || back.u != (double)(nx * ny) - r.u) {
                CHECK(0, "%zu vs %zu: not symmetric (p %g / %g, U %g / %g)", nx, ny, p, back.p,
                      r.u, back.u);
                break;
            }
        }
    }

    /* 20 against 20, the largest exact case: 2 / C(40, 20) */
    double x20[20], y20[20];
    for (int i = 0; i < 20; i++) {
        x20[i] = i;
        y20[i] = 100 + i;
    }
    CHECK(CLOSE(p_of(x20, 20, y20, 20, &r), 2 / 137846528820.0, 1e-12) && r.method == MW_EXACT,
          "20 vs 20: p %.17g method %d", r.p, r.method);

    /* normal approximation: 25 against 25, completely apart: z = 312 / sqrt(625 * 51 / 12) */
    double x25[25], y25[25];
    for (int i = 0; i < 25; i++) {
        x25[i] = 25 + i;
        y25[i] = i;
    }
    CHECK(CLOSE(p_of(x25, 25, y25, 25, &r), 1.4156562248495634e-09, 1e-9) &&
              r.method == MW_NORMAL && r.u == 625 && CLOSE(r.z, 6.053689200906871, 1e-12),
          "25 vs 25: p %.17g z %.17g u %g", r.p, r.z, r.u);
    CHECK(mann_whitney_min_p(25, 25) == r.p, "min p 25 vs 25: %g", mann_whitney_min_p(25, 25));

    /* ties: the normal approximation with the tie correction, even for small samples */
    const double tx[] = {1, 2, 2, 3}, ty[] = {2, 3, 3, 4};
    CHECK(CLOSE(p_of(tx, 4, ty, 4, &r), 0.17203370892182296, 1e-12) && r.ties &&
              r.method == MW_NORMAL && r.u == 3,
          "ties: p %.17g u %g method %d", r.p, r.u, r.method);
    const double tx12[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6},
                 ty12[] = {4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9};
    CHECK(CLOSE(p_of(tx12, 12, ty12, 12, &r), 0.0018501733843753437, 1e-12) && r.u == 18,
          "ties 12 vs 12: p %.17g u %g", r.p, r.u);
    const double all5[] = {5, 5, 5, 5};
    CHECK(p_of(all5, 3, all5, 4, &r) == 1 && r.ties && r.u == 6, "all tied: p %g u %g", r.p,
          r.u);
    CHECK(p_of(a3, 1, b3, 1, &r) == 1, "1 vs 1: p %g", r.p);

    CHECK(mann_whitney_min_p(3, 3) == 0.1, "min p 3 vs 3: %g", mann_whitney_min_p(3, 3));
    CHECK(CLOSE(mann_whitney_min_p(5, 5), 2.0 / 252, 1e-12), "min p 5 vs 5");
    CHECK(CLOSE(mann_whitney_min_p(10, 10), 2.0 / 184756, 1e-12), "min p 10 vs 10");
    CHECK(mann_whitney_min_p(1, 1) == 1 && mann_whitney_min_p(0, 4) == 1, "min p, tiny");
    const double with_nan[] = {1, NAN};
    CHECK(mann_whitney(a3, 0, b3, 3, &r) == -1, "empty x accepted");
    CHECK(mann_whitney(a3, 3, b3, 0, &r) == -1, "empty y accepted");
    CHECK(mann_whitney(with_nan, 2, b3, 3, &r) == -1, "NaN accepted");
}

/* ---- synthetic runs -------------------------------------------------------------------------- */

/* One case of a synthetic run: reps repetitions spread evenly and symmetrically around center,
 * so their median is center. */
typedef struct spec {
    const char *group;
    const char *impl;       /* "rotary/avx2"; the id ends in impl=dispatch when dispatched */
    int dispatched;
    run_status status;
    int reps;
    double center, spread;  /* times: center * (1 + spread * (k / reps)), k symmetric */
    double mempass;         /* NaN: not timed */
    double ipe;             /* instructions per element; NaN: not counted */
    run_dtype dtype;        /* the element type */
} spec;

/* short names for the tables of specs */
#define OK RUN_STATUS_OK
#define SKIPPED RUN_STATUS_SKIPPED
#define F32 RUN_DTYPE_F32
#define BF16 RUN_DTYPE_BF16

enum { MAX_CASES = 16 };

typedef struct synth {
    run_record rec;
    run_case cases[MAX_CASES];
    run_accuracy acc[4];
} synth;

#define G1 "rotary_apply/llama-3-8b/T=512"
#define G2 "rotary_apply/llama-2-7b/T=4096"
#define G3 "sinusoidal_encode/transformer-base/seq=512"

static void fill_accuracy(run_accuracy *a, run_angle_mode mode, int fail)
{
    memset(a, 0, sizeof *a);
    snprintf(a->implementation, sizeof a->implementation, "rotary/avx2");
    a->encoding = RUN_ENCODING_ROTARY;
    a->angle_mode = mode;
    int exact = mode == RUN_ANGLE_EXACT;
    a->bound_u = exact ? 4 : NAN;
    a->values_checked = 1000;
    a->max_err_u = exact ? (fail ? 5.5 : 1.5) : 3e7;
    a->max_ulp = 1;
    a->mean_err_u = 0.25;
    snprintf(a->worst_value, sizeof a->worst_value, "sin");
    a->apply_max_err_u = exact ? 3.25 : 4e7;
    a->apply_bound_u = exact ? 8 : NAN;
    a->within_bound = exact ? !fail : -1;
    a->bit_exact = -1;
    int64_t lo = 0, hi = 10;
    for (int d = 0; d < RUN_N_DECADES; d++, lo = hi, hi *= 10) {
        a->decades[d] = (run_decade){lo, d == RUN_N_DECADES - 1 ? INT64_C(2147483648) : hi, 100,
                                     a->max_err_u, 1, 0.25};
    }
}

/* An exact-mode record of 16-bit data: its error type_ulp in ulps of the type beyond the float32
 * share, against the bound of half an ulp; max_err_u is half an ulp of the type at 1, far past
 * the float32 bound_u, which does not apply to it. */
static void fill_accuracy_type(run_accuracy *a, run_dtype dtype, double type_ulp)
{
    fill_accuracy(a, RUN_ANGLE_EXACT, 0);
    a->dtype = dtype;
    a->bound_u = a->apply_bound_u = NAN;
    a->max_err_u = dtype == RUN_DTYPE_BF16 ? 32768 : 4096;
    a->apply_max_err_u = 2 * a->max_err_u;
    a->max_err_type_ulp = a->apply_max_err_type_ulp = type_ulp;
    a->bound_type_ulp = 0.5;
    a->within_bound = type_ulp <= 0.5;
}

/* The machine's identity and kind (the brand string is build's `cpu`). */
static void set_cpu(run_record *r, const char *vendor, int family, int model, int stepping)
{
    snprintf(r->cpu_vendor, sizeof r->cpu_vendor, "%s", vendor);
    r->cpu_family = family;
    r->cpu_model_number = model;
    r->cpu_stepping = stepping;
    r->cpu_implementer = r->cpu_variant = r->cpu_part = r->cpu_revision = -1;
    snprintf(r->kind, sizeof r->kind, "x86_64-%s-f%d-m%d-avx2", vendor, family, model);
}

static void build(synth *s, const char *id, const spec *specs, size_t n, const char *cpu,
                  const char *features, int accuracy_fail)
{
    memset(s, 0, sizeof *s);
    run_record *r = &s->rec;
    snprintf(r->id, sizeof r->id, "%s", id);
    snprintf(r->started_utc, sizeof r->started_utc, "2026-11-30T08:15:00Z");
    snprintf(r->command, sizeof r->command, "posenc bench");
    snprintf(r->suite, sizeof r->suite, "models");
    r->angle_mode = RUN_ANGLE_EXACT;
    r->threads = 1;
    snprintf(r->host, sizeof r->host, "ci-runner");
    snprintf(r->cpu_model, sizeof r->cpu_model, "%s", cpu);
    snprintf(r->arch, sizeof r->arch, "x86_64");
    set_cpu(r, "AuthenticAMD", 25, 17, 1);
    r->cores = 2;
    r->mhz = NAN;
    snprintf(r->cpu_features, sizeof r->cpu_features, "%s", features);
    snprintf(r->cpu_features_detected, sizeof r->cpu_features_detected, "%s", features);
    r->load_avg[0] = r->load_avg[1] = r->load_avg[2] = NAN;
    snprintf(r->posenc_version, sizeof r->posenc_version, "0.1.0");
    snprintf(r->compiler, sizeof r->compiler, "GNU 12.2.0");
    snprintf(r->flags, sizeof r->flags, "-O3");
    r->git_dirty = -1;
    fill_accuracy(&s->acc[0], RUN_ANGLE_EXACT, accuracy_fail);
    fill_accuracy(&s->acc[1], RUN_ANGLE_FP32, 0);
    r->n_accuracy = 2;
    r->accuracy = s->acc;
    for (size_t i = 0; i < n; i++) {
        const spec *p = &specs[i];
        run_case *c = &s->cases[i];
        snprintf(c->id, sizeof c->id, "%s/impl=%s", p->group,
                 p->dispatched ? "dispatch" : p->impl);
        snprintf(c->group, sizeof c->group, "%s", p->group);
        c->encoding =
            strncmp(p->group, "rotary", 6) ? RUN_ENCODING_SINUSOIDAL : RUN_ENCODING_ROTARY;
        c->op = RUN_OP_APPLY;
        c->dtype = p->dtype;
        snprintf(c->shape, sizeof c->shape, "T=512");
        snprintf(c->implementation, sizeof c->implementation, "%s", p->impl);
        c->dispatched = p->dispatched;
        c->status = p->status;
        if (p->status != RUN_STATUS_OK)
            snprintf(c->reason, sizeof c->reason, "needs avx512f");
        snprintf(c->pairing, sizeof c->pairing, "half");
        c->tokens = 512;
        c->heads = 40;
        c->kv_heads = 8;
        c->head_dim = c->rotary_dim = 128;
        c->last_position = 511;
        c->base = 500000;
        c->elements = 2621440;
        c->bytes = 20971520;
        c->repetitions = p->reps;
        for (int k = 0; k < p->reps; k++)
            c->times_ns[k] = p->center * (1 + p->spread * (k - (p->reps - 1) / 2.0) / p->reps);
        c->median_ns = c->min_ns = c->mean_ns = p->center;
        c->stddev_ns = 0;
        c->ns_per_element = p->center / 2621440;
        c->elements_per_second = c->bytes_per_second = 1;
        snprintf(c->mempass_id, sizeof c->mempass_id, "mempass_rw/bytes=20971520");
        c->mempass_median_ns = p->mempass;
        c->ratio_to_mempass = p->center / p->mempass;
        c->speedup_over_scalar = NAN;
        if (!isnan(p->ipe)) {
            c->instructions = (uint64_t)(p->ipe * 2621440);
            c->instructions_per_element = p->ipe;
            snprintf(c->instructions_source, sizeof c->instructions_source, "perf");
        } else {
            c->instructions_per_element = NAN;
        }
        c->sgemm_median_ns = c->score_median_ns = c->encoding_fraction = NAN;
        if (!strcmp(p->impl, "rotary/avx2"))
            c->accuracy = &s->acc[0];
    }
    r->n_cases = n;
    r->cases = s->cases;
}

static char tmp[256];

/* Writes the run as tmp/name/run.json; returns the folder (static storage, one per name). */
static const char *write_run(const char *name, const synth *s)
{
    static char folders[64][300];
    static int used;
    char *dir = folders[used++ % 64];
    snprintf(dir, 300, "%s/%s", tmp, name);
    mkdir(dir, 0777);
    char path[340];
    snprintf(path, sizeof path, "%s/run.json", dir);
    CHECK(report_write_json(&s->rec, path) == 0, "cannot write %s", path);
    return dir;
}

/* compare_main on "compare", the options (NULL-terminated), then base and new. */
static int run_compare(const char *base, const char *new_, ...)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = "compare";
    va_list ap;
    va_start(ap, new_);
    for (const char *o; (o = va_arg(ap, const char *)) && argc < 28;)
        argv[argc++] = (char *)o;
    va_end(ap);
    if (base)
        argv[argc++] = (char *)base;
    if (new_)
        argv[argc++] = (char *)new_;
    argv[argc] = NULL;
    fflush(stdout);
    int rc = compare_main(argc, argv);
    fflush(stdout);
    return rc;
}

static json_t *read_compare_json(const char *dir)
{
    char path[340];
    snprintf(path, sizeof path, "%s/compare.json", dir);
    tests_schema_valid(POSENC_COMPARE_SCHEMA, path);
    json_t *v = tests_json_load(path);
    if (!v)
        return NULL;
    CHECK(!strcmp(json_string_value(json_object_get(v, "schema")) ? json_string_value(json_object_get(v, "schema")) : "",
                  "posenc-compare"),
          "compare.json: schema");
    double version = 0;
    CHECK(json_doc_number(json_object_get(v, "schema_version"), &version) &&
              version == COMPARE_SCHEMA_VERSION,
          "compare.json: schema_version %g", version);
    snprintf(path, sizeof path, "%s/compare.md", dir);
    struct stat st;
    CHECK(stat(path, &st) == 0 && st.st_size > 100, "%s missing or empty", path);
    snprintf(path, sizeof path, "%s/compare.json.tmp", dir);
    CHECK(stat(path, &st) != 0, "%s left behind", path);
    return v;
}

/* The verdict compare.json gives the case whose id ends in suffix ("" when absent). */
static const char *verdict_of(const json_t *v, const char *suffix, const json_t **out)
{
    const json_t *cases = json_object_get(v, "cases");
    size_t m = strlen(suffix);
    for (size_t i = 0; cases && i < json_array_size(cases); i++) {
        const char *id = json_string_value(json_object_get(json_array_get(cases, i), "id"));
        size_t n = id ? strlen(id) : 0;
        if (id && n >= m && !strcmp(id + n - m, suffix)) {
            if (out)
                *out = json_array_get(cases, i);
            const char *verdict = json_string_value(json_object_get(json_array_get(cases, i), "verdict"));
            return verdict ? verdict : "";
        }
    }
    return "";
}

static void check_verdict(const json_t *v, const char *suffix, const char *want,
                          const char *reason_part)
{
    const json_t *c = NULL;
    const char *got = verdict_of(v, suffix, &c);
    CHECK(!strcmp(got, want), "case ...%s: verdict '%s', want '%s'", suffix, got, want);
    if (c && reason_part) {
        const char *reason = json_string_value(json_object_get(c, "reason"));
        CHECK(reason && strstr(reason, reason_part), "case ...%s: reason '%s' lacks '%s'", suffix,
              reason ? reason : "(null)", reason_part);
    }
}

static double count_of(const json_t *v, const char *verdict)
{
    double n = -1;
    json_doc_number(json_doc_pointer(v, verdict), &n);
    return n;
}

static void check_exit(const json_t *v, int want)
{
    double code = -1;
    CHECK(json_doc_number(json_object_get(v, "exit_code"), &code) && code == want,
          "compare.json exit_code %g, want %d", code, want);
}

/* ---- the scenarios --------------------------------------------------------------------------- */

#define N NAN
/* BASE and NEW of the main scenario: one case per verdict */
static const spec base_main[] = {
    {G1, "rotary/scalar", 0, OK, 10, 1000, 0.02, 500, 10, F32},
    {G1, "rotary/avx2", 0, OK, 10, 100, 0.02, 500, 10, F32},
    {G1, "rotary/table", 0, OK, 10, 200, 0.02, 500, 10, F32},
    {G1, "rotary/sleef-u10-avx2", 0, OK, 3, 100, 0.02, 500, N, F32},
    {G1, "rotary/sleef-u35-avx2", 0, OK, 10, 100, 0.8, 500, 10, F32},
    {G1, "rotary/avx512", 0, OK, 10, 100, 0.02, 500, 10, F32},
    {G1, "rotary/neon", 0, SKIPPED, 0, 0, 0, N, N, F32},
    {G1, "rotary/fresh", 0, SKIPPED, 0, 0, 0, N, N, F32},
    {G1, "rotary/avx2", 1, OK, 10, 100, 0.02, 500, 10, F32},
};
static const spec new_main[] = {
    {G1, "rotary/scalar", 0, OK, 10, 1005, 0.02, 500, 10.05, F32}, /* unchanged */
    {G1, "rotary/avx2", 0, OK, 10, 150, 0.02, 500, 10.5, F32},     /* regression */
    {G1, "rotary/table", 0, OK, 10, 100, 0.02, 500, 9, F32},       /* improvement */
    {G1, "rotary/sleef-u10-avx2", 0, OK, 3, 200, 0.02, 500, N, F32}, /* too few repetitions */
    {G1, "rotary/sleef-u35-avx2", 0, OK, 10, 115, 0.8, 500, 10, F32}, /* not significant */
    {G1, "rotary/avx512", 0, SKIPPED, 0, 0, 0, N, N, F32},         /* missing */
    {G1, "rotary/neon", 0, SKIPPED, 0, 0, 0, N, N, F32},           /* in neither: not listed */
    {G1, "rotary/fresh", 0, OK, 10, 100, 0.02, 500, 10, F32},      /* new */
    {G1, "rotary/avx2", 1, OK, 10, 101, 0.02, 500, 10, F32},       /* unchanged (dispatched) */
    {G1, "rotary/only-new", 0, OK, 10, 100, 0.02, 500, 10, F32},   /* new: not in BASE at all */
};
/* a machine twice as slow: time says regression, relative says unchanged */
static const spec base_slow[] = {
    {G2, "rotary/scalar", 0, OK, 10, 1000, 0.02, 500, N, F32},
    {G2, "rotary/avx2", 0, OK, 10, 100, 0.02, 500, N, F32},
    {G3, "sinusoidal/avx2", 0, OK, 10, 100, 0.02, 50, N, F32},
};
static const spec new_slow[] = {
    {G2, "rotary/scalar", 0, OK, 10, 2000, 0.02, 1000, N, F32},
    {G2, "rotary/avx2", 0, OK, 10, 200, 0.02, 1000, N, F32},
    {G3, "sinusoidal/avx2", 0, OK, 10, 200, 0.02, N, N, F32}, /* no memory pass, no scalar */
};
#undef N

#define NSPEC(a) (sizeof(a) / sizeof(a)[0])
#define FEAT "sse4.2 avx2 fma"

static synth s_base, s_new; /* large: static storage */

/* The dispatched case of a run like new_main, counted as `counted` at ipe per element while
 * timing `impl` (an avx512 kernel counted through its avx2 stand-in under valgrind). */
static const char *dispatch_counted(const char *name, const char *impl, const char *counted,
                                    double ipe)
{
    build(&s_new, name, new_main, NSPEC(new_main), "AMD EPYC", FEAT, 0);
    for (size_t k = 0; k < s_new.rec.n_cases; k++) {
        run_case *c = &s_new.cases[k];
        if (!c->dispatched)
            continue;
        snprintf(c->implementation, sizeof c->implementation, "%s", impl);
        snprintf(c->instructions_impl, sizeof c->instructions_impl, "%s", counted);
        c->instructions_per_element = ipe;
        c->instructions = (uint64_t)(ipe * 2621440);
        snprintf(c->instructions_source, sizeof c->instructions_source, "callgrind");
    }
    return write_run(name, &s_new);
}

/* Instruction counts compare like with like: a stand-in against the same stand-in is judged;
 * against another implementation's own count only a regression can be told (the stand-in
 * counts at least what it stands in for); two different stand-ins tell nothing. */
static void test_stand_ins(void)
{
    const char *b = dispatch_counted("base-standin", "rotary/avx512", "rotary/avx2", 10);
    char out[300];
    snprintf(out, sizeof out, "%s/out-standin", tmp);
    const char *same = dispatch_counted("new-standin", "rotary/avx512", "rotary/avx2", 10.05);
    CHECK(run_compare(b, same, "--metric", "instructions", "--filter", "impl=dispatch$", "--out",
                      out, NULL) == POSENC_EXIT_OK,
          "the same stand-in, the same count: exit code");
    json_t *v = read_compare_json(out);
    if (v) {
        check_verdict(v, "impl=dispatch", "unchanged", NULL);
        const char *counted = json_string_value(json_doc_pointer(v, "/cases/0/new/counted"));
        CHECK(counted && !strcmp(counted, "rotary/avx2"), "compare.json: counted '%s'",
              counted ? counted : "(null)");
        json_decref(v);
    }
    const char *slower = dispatch_counted("new-standin-slow", "rotary/avx512", "rotary/avx2",
                                          10.5);
    CHECK(run_compare(b, slower, "--metric", "instructions", "--filter", "impl=dispatch$",
                      "--out", out, NULL) == POSENC_EXIT_SPEED,
          "the same stand-in, 5%% more: exit code");
    /* dispatch forced to scalar: scalar's own count against the stand-in's, which counts at
       least what rotary/avx512 runs, so more than the threshold above it is a regression */
    const char *scalar = dispatch_counted("new-scalar", "rotary/scalar", "rotary/scalar", 100);
    CHECK(run_compare(b, scalar, "--metric", "instructions", "--filter", "impl=dispatch$",
                      "--out", out, NULL) == POSENC_EXIT_SPEED,
          "a stand-in against a count of more instructions: exit code");
    v = read_compare_json(out);
    if (v) {
        check_verdict(v, "impl=dispatch", "regression",
                      "BASE counted rotary/avx2 for rotary/avx512, NEW counted rotary/scalar");
        json_decref(v);
    }
    /* fewer instructions than the stand-in tells nothing of the avx512 count itself */
    const char *fewer = dispatch_counted("new-fewer", "rotary/table", "rotary/table", 5);
    CHECK(run_compare(b, fewer, "--metric", "instructions", "--filter", "impl=dispatch$",
                      "--out", out, NULL) == POSENC_EXIT_OK,
          "a stand-in against a count of fewer instructions: exit code");
    v = read_compare_json(out);
    if (v) {
        check_verdict(v, "impl=dispatch", "inconclusive",
                      "not like with like: BASE counted rotary/avx2 for rotary/avx512, NEW "
                      "counted rotary/table (a stand-in tells only a regression)");
        json_decref(v);
    }
    /* two different stand-ins: nothing */
    const char *other = dispatch_counted("new-other-standin", "rotary/sleef-u10-avx512",
                                         "rotary/sleef-u10-avx2", 100);
    CHECK(run_compare(b, other, "--metric", "instructions", "--filter", "impl=dispatch$",
                      "--out", out, NULL) == POSENC_EXIT_OK,
          "two different stand-ins: exit code");
    v = read_compare_json(out);
    if (v) {
        check_verdict(v, "impl=dispatch", "inconclusive", "not like with like");
        json_decref(v);
    }
}

static void test_main_scenario(void)
{
    build(&s_base, "base-run", base_main, NSPEC(base_main), "AMD EPYC", FEAT, 0);
    const char *b = write_run("base", &s_base);
    build(&s_new, "new-run", new_main, NSPEC(new_main), "AMD EPYC", FEAT, 0);
    const char *n = write_run("new", &s_new);

    /* time: one case per verdict; default --out is the NEW folder */
    CHECK(run_compare(b, n, NULL) == POSENC_EXIT_SPEED, "main scenario: exit code");
    json_t *v = read_compare_json(n);
    if (v) {
        check_exit(v, POSENC_EXIT_SPEED);
        check_verdict(v, "impl=rotary/scalar", "unchanged", NULL);
        check_verdict(v, "impl=rotary/avx2", "regression", NULL);
        check_verdict(v, "impl=rotary/table", "improvement", NULL);
        check_verdict(v, "impl=rotary/sleef-u10-avx2", "inconclusive", "too few repetitions");
        check_verdict(v, "impl=rotary/sleef-u35-avx2", "inconclusive", "not significant");
        check_verdict(v, "impl=rotary/avx512", "missing", "skipped in NEW");
        check_verdict(v, "impl=rotary/fresh", "new", "skipped in BASE");
        check_verdict(v, "impl=rotary/only-new", "new", "not in BASE");
        check_verdict(v, "impl=dispatch", "unchanged", NULL);
        CHECK(!*verdict_of(v, "impl=rotary/neon", NULL), "a case timed in neither run is listed");
        CHECK(count_of(v, "/counts/regression") == 1 && count_of(v, "/counts/improvement") == 1 &&
                  count_of(v, "/counts/unchanged") == 2 &&
                  count_of(v, "/counts/inconclusive") == 2 && count_of(v, "/counts/missing") == 1 &&
                  count_of(v, "/counts/new") == 2,
              "counts");
        /* regressions first; the regression's figures */
        const json_t *first = json_doc_pointer(v, "/cases/0");
        double ratio = 0, p = 1, bv = 0, nv = 0;
        json_doc_number(json_object_get(first, "ratio"), &ratio);
        json_doc_number(json_object_get(first, "p_value"), &p);
        json_doc_number(json_doc_pointer(first, "/base/value"), &bv);
        json_doc_number(json_doc_pointer(first, "/new/value"), &nv);
        CHECK(!strcmp(verdict_of(v, "", NULL), "regression"),
              "the first case is not the regression");
        CHECK(CLOSE(ratio, 1.5, 1e-12) && CLOSE(bv, 100, 1e-12) && CLOSE(nv, 150, 1e-12),
              "regression: ratio %g base %g new %g", ratio, bv, nv);
        CHECK(CLOSE(p, 2.0 / 184756, 1e-9), "regression: p %g, want 2/C(20,10)", p);
        const json_t *missing = NULL;
        verdict_of(v, "impl=rotary/avx512", &missing);
        CHECK(missing && json_is_null(json_object_get(missing, "new")), "missing: new not null");
        CHECK(json_is_true(json_object_get(v, "comparable")), "comparable");
        double af = -1;
        CHECK(json_doc_number(json_object_get(v, "accuracy_failures"), &af) && af == 0,
              "accuracy failures %g", af);
        json_decref(v);
    }

    /* --out elsewhere, and the selections */
    char out[300];
    snprintf(out, sizeof out, "%s/out-filter", tmp);
    CHECK(run_compare(b, n, "--filter", "scalar$", "--out", out, NULL) == POSENC_EXIT_OK,
          "--filter scalar$: exit code");
    v = read_compare_json(out);
    if (v) {
        check_exit(v, POSENC_EXIT_OK);
        CHECK(json_array_size(json_object_get(v, "cases")) == 1, "--filter: %zu cases", json_array_size(json_object_get(v, "cases")));
        json_decref(v);
    }
    snprintf(out, sizeof out, "%s/out-dispatched", tmp);
    CHECK(run_compare(b, n, "--dispatched-only", "--out", out, NULL) == POSENC_EXIT_OK,
          "--dispatched-only: exit code");
    v = read_compare_json(out);
    if (v) {
        CHECK(json_array_size(json_object_get(v, "cases")) == 1, "--dispatched-only: %zu cases",
              json_array_size(json_object_get(v, "cases")));
        check_verdict(v, "impl=dispatch", "unchanged", NULL);
        json_decref(v);
    }
    /* a wider threshold: 1.5 is within 60% (the others stay as they were) */
    snprintf(out, sizeof out, "%s/out-threshold", tmp);
    CHECK(run_compare(b, n, "--threshold=0.6", "--out", out, NULL) == POSENC_EXIT_OK,
          "--threshold 0.6: exit code");
    v = read_compare_json(out);
    if (v) {
        check_verdict(v, "impl=rotary/avx2", "unchanged", NULL);
        check_verdict(v, "impl=rotary/table", "improvement", NULL);
        json_decref(v);
    }

    /* instructions: the threshold alone decides, 1% by default */
    snprintf(out, sizeof out, "%s/out-instructions", tmp);
    CHECK(run_compare(b, n, "--metric", "instructions", "--out", out, NULL) == POSENC_EXIT_SPEED,
          "--metric instructions: exit code");
    v = read_compare_json(out);
    if (v) {
        check_verdict(v, "impl=rotary/avx2", "regression", NULL);     /* 10 -> 10.5 */
        check_verdict(v, "impl=rotary/scalar", "unchanged", NULL);    /* 10 -> 10.05 */
        check_verdict(v, "impl=rotary/table", "improvement", NULL);   /* 10 -> 9 */
        check_verdict(v, "impl=rotary/sleef-u10-avx2", "inconclusive", "no instruction counts");
        check_verdict(v, "impl=dispatch", "unchanged", NULL);
        double thr = 0, p = 0;
        CHECK(json_doc_number(json_object_get(v, "threshold"), &thr) && thr == 0.01, "threshold %g", thr);
        const json_t *c = NULL;
        verdict_of(v, "impl=rotary/avx2", &c);
        CHECK(c && !json_doc_number(json_object_get(c, "p_value"), &p) &&
                  json_is_null(json_object_get(c, "p_value")),
              "instructions: p_value should be null");
        json_decref(v);
    }
    snprintf(out, sizeof out, "%s/out-instructions-10", tmp);
    CHECK(run_compare(b, n, "--metric", "instructions", "--threshold", "0.1", "--out", out,
                      NULL) == POSENC_EXIT_OK,
          "--metric instructions --threshold 0.1: exit code");
    /* counts taken two ways are not compared: a CPU counts `rep movsb` as one instruction,
       callgrind every byte it moves */
    build(&s_new, "new-run-callgrind", new_main, NSPEC(new_main), "AMD EPYC", FEAT, 0);
    for (size_t k = 0; k < s_new.rec.n_cases; k++)
        if (s_new.cases[k].instructions_source[0])
            snprintf(s_new.cases[k].instructions_source,
                     sizeof s_new.cases[k].instructions_source, "callgrind");
    const char *ncg = write_run("new-callgrind", &s_new);
    snprintf(out, sizeof out, "%s/out-instructions-sources", tmp);
    CHECK(run_compare(b, ncg, "--metric", "instructions", "--out", out, NULL) == POSENC_EXIT_OK,
          "--metric instructions, perf against callgrind: exit code");
    v = read_compare_json(out);
    if (v) {
        check_verdict(v, "impl=rotary/avx2", "inconclusive",
                      "counted by perf in BASE, by callgrind in NEW");
        json_decref(v);
    }
    test_stand_ins();

    /* accuracy: NEW's exact record out of bounds; alone (4), with the regression (5) */
    build(&s_new, "new-run-bad-accuracy", new_main, NSPEC(new_main), "AMD EPYC", FEAT, 1);
    const char *nb = write_run("new-acc", &s_new);
    CHECK(run_compare(b, nb, "--filter", "scalar$", NULL) == POSENC_EXIT_ACCURACY,
          "accuracy failure: exit code");
    v = read_compare_json(nb);
    if (v) {
        check_exit(v, POSENC_EXIT_ACCURACY);
        double af = 0, growth = 0;
        CHECK(json_doc_number(json_object_get(v, "accuracy_failures"), &af) && af == 1,
              "accuracy failures %g (the record; its case is filtered out)", af);
        const json_t *a0 = json_doc_pointer(v, "/accuracy/0");
        CHECK(a0 && json_is_true(json_object_get(a0, "failed")), "accuracy/0 not failed");
        CHECK(json_doc_number(json_object_get(a0, "growth_u"), &growth) && growth == 4,
              "growth_u %g, want 5.5 - 1.5", growth);
        json_decref(v);
    }
    CHECK(run_compare(b, nb, NULL) == POSENC_EXIT_SPEED_ACCURACY, "regression and accuracy: exit code");
    v = read_compare_json(nb);
    if (v) {
        check_exit(v, POSENC_EXIT_SPEED_ACCURACY);
        double af = 0;
        /* the record, and the two cases of rotary/avx2 whose inlined record exceeds 4 u */
        CHECK(json_doc_number(json_object_get(v, "accuracy_failures"), &af) && af == 3,
              "accuracy failures %g, want 3", af);
        json_decref(v);
    }

    /* not comparable: another machine kind behind the same brand string ("AMD EPYC" on Zen 1
       and Zen 4), features, compiler; --allow-mismatch compares anyway */
    build(&s_new, "new-run-other-cpu", new_main, NSPEC(new_main), "AMD EPYC", FEAT, 0);
    set_cpu(&s_new.rec, "AuthenticAMD", 23, 1, 2);
    const char *nc = write_run("new-cpu", &s_new);
    CHECK(run_compare(b, nc, NULL) == POSENC_EXIT_NOT_COMPARABLE, "other CPU: exit code");
    v = read_compare_json(nc);
    if (v) {
        check_exit(v, POSENC_EXIT_NOT_COMPARABLE);
        CHECK(json_is_false(json_object_get(v, "comparable")), "comparable should be false");
        const char *m0 = json_string_value(json_doc_pointer(v, "/mismatches/0"));
        const char *m1 = json_string_value(json_doc_pointer(v, "/mismatches/1"));
        CHECK(m0 && !strcmp(m0, "machine.cpu_id.family: BASE '25', NEW '23'"), "mismatch '%s'",
              m0 ? m0 : "(none)");
        CHECK(m1 && !strcmp(m1, "machine.cpu_id.model: BASE '17', NEW '1'"), "mismatch '%s'",
              m1 ? m1 : "(none)");
        CHECK(json_array_size(json_object_get(v, "mismatches")) == 2, "%zu mismatches, expected family and model",
              json_array_size(json_object_get(v, "mismatches")));
        const char *n0 = json_string_value(json_doc_pointer(v, "/notes/0"));
        CHECK(n0 && !strcmp(n0, "machine.cpu_id.stepping: BASE '1', NEW '2'"), "note '%s'",
              n0 ? n0 : "(none)");
        const char *kind = json_string_value(json_doc_pointer(v, "/new/kind"));
        CHECK(kind && !strcmp(kind, "x86_64-AuthenticAMD-f23-m1-avx2") &&
                  json_doc_pointer(v, "/new/cpu_id/family") &&
                  json_is_null(json_doc_pointer(v, "/new/cpu_id/part")),
              "compare.json: NEW's kind and cpu_id");
        CHECK(json_array_size(json_object_get(v, "cases")) == 0, "not compared, yet cases listed");
        json_decref(v);
    }
    /* what does not make another kind: the stepping, the brand string (noted) */
    build(&s_new, "new-run-stepping", new_main, NSPEC(new_main), "AMD EPYC 9R14", FEAT, 0);
    set_cpu(&s_new.rec, "AuthenticAMD", 25, 17, 2);
    const char *ns = write_run("new-stepping", &s_new);
    CHECK(run_compare(b, ns, NULL) == POSENC_EXIT_SPEED, "another stepping: compared");
    v = read_compare_json(ns);
    if (v) {
        CHECK(json_is_true(json_object_get(v, "comparable")) && json_array_size(json_object_get(v, "notes")) == 2,
              "another stepping and brand string: comparable, with 2 notes");
        const char *n1 = json_string_value(json_doc_pointer(v, "/notes/1"));
        CHECK(n1 && strstr(n1, "machine.cpu_model") && strstr(n1, "9R14"), "note '%s'",
              n1 ? n1 : "(none)");
        json_decref(v);
    }
    build(&s_new, "new-run-vendor", new_main, NSPEC(new_main), "AMD EPYC", FEAT, 0);
    set_cpu(&s_new.rec, "GenuineIntel", 25, 17, 1);
    CHECK(run_compare(b, write_run("new-vendor", &s_new), NULL) == POSENC_EXIT_NOT_COMPARABLE,
          "another vendor: exit code");
    build(&s_new, "new-run-arch", new_main, NSPEC(new_main), "AMD EPYC", FEAT, 0);
    snprintf(s_new.rec.arch, sizeof s_new.rec.arch, "aarch64");
    CHECK(run_compare(b, write_run("new-arch", &s_new), NULL) == POSENC_EXIT_NOT_COMPARABLE,
          "another architecture: exit code");
    CHECK(run_compare(b, nc, "--allow-mismatch", NULL) == POSENC_EXIT_SPEED,
          "other CPU, --allow-mismatch: exit code");
    v = read_compare_json(nc);
    if (v) {
        check_exit(v, POSENC_EXIT_SPEED);
        CHECK(json_is_false(json_object_get(v, "comparable")) && json_is_true(json_object_get(v, "compared")),
              "--allow-mismatch: comparable false, compared true");
        check_verdict(v, "impl=rotary/avx2", "regression", NULL);
        json_decref(v);
    }
    build(&s_new, "new-run-features", new_main, NSPEC(new_main), "AMD EPYC", "sse4.2 avx2", 0);
    const char *nf = write_run("new-features", &s_new);
    CHECK(run_compare(b, nf, NULL) == POSENC_EXIT_NOT_COMPARABLE, "other features: exit code");
    v = read_compare_json(nf);
    if (v) {
        const char *m = json_string_value(json_doc_pointer(v, "/mismatches/0"));
        CHECK(m && strstr(m, "cpu_features") && strstr(m, "fma"), "mismatch '%s'", m ? m : "");
        json_decref(v);
    }
    build(&s_new, "new-run-order", new_main, NSPEC(new_main), "AMD EPYC", "fma sse4.2 avx2", 0);
    CHECK(run_compare(b, write_run("new-order", &s_new), NULL) == POSENC_EXIT_SPEED,
          "the same features in another order are comparable");
    build(&s_new, "new-run-compiler", new_main, NSPEC(new_main), "AMD EPYC", FEAT, 0);
    snprintf(s_new.rec.compiler, sizeof s_new.rec.compiler, "Clang 16.0.6");
    CHECK(run_compare(b, write_run("new-compiler", &s_new), NULL) == POSENC_EXIT_NOT_COMPARABLE,
          "other compiler: exit code");

    /* run.json files instead of folders: --out defaults to the current directory */
    char cwd[512], here[300], bf[340], nf2[340];
    snprintf(here, sizeof here, "%s/cwd", tmp);
    mkdir(here, 0777);
    snprintf(bf, sizeof bf, "%s/run.json", b);
    snprintf(nf2, sizeof nf2, "%s/run.json", n);
    if (getcwd(cwd, sizeof cwd) && chdir(here) == 0) {
        CHECK(run_compare(bf, nf2, NULL) == POSENC_EXIT_SPEED, "run.json files: exit code");
        CHECK(chdir(cwd) == 0, "chdir back");
        v = read_compare_json(here);
        if (v)
            json_decref(v);
    }
}

static void test_relative(void)
{
    build(&s_base, "quiet-hour", base_slow, NSPEC(base_slow), "AMD EPYC", FEAT, 0);
    const char *b = write_run("quiet", &s_base);
    build(&s_new, "busy-hour", new_slow, NSPEC(new_slow), "AMD EPYC", FEAT, 0);
    const char *n = write_run("busy", &s_new);
    char out[300];

    snprintf(out, sizeof out, "%s/out-slow-time", tmp);
    CHECK(run_compare(b, n, "--out", out, NULL) == POSENC_EXIT_SPEED, "slow machine, time: exit");
    json_t *v = read_compare_json(out);
    if (v) {
        CHECK(count_of(v, "/counts/regression") == 3, "slow machine, time: every case regresses");
        json_decref(v);
    }

    snprintf(out, sizeof out, "%s/out-slow-mempass", tmp);
    CHECK(run_compare(b, n, "--metric", "relative", "--out", out, NULL) == POSENC_EXIT_OK,
          "relative to mempass: exit");
    v = read_compare_json(out);
    if (v) {
        CHECK(!strcmp(json_string_value(json_object_get(v, "relative_to")), "mempass"), "relative_to");
        check_verdict(v, "impl=rotary/scalar", "unchanged", NULL);
        check_verdict(v, "impl=rotary/avx2", "unchanged", NULL);
        check_verdict(v, "impl=sinusoidal/avx2", "inconclusive", "no memory pass reference in NEW");
        const json_t *c = NULL;
        double bv = 0;
        verdict_of(v, "impl=rotary/avx2", &c);
        CHECK(c && json_doc_number(json_doc_pointer(c, "/base/value"), &bv) && CLOSE(bv, 0.2, 1e-12),
              "relative value %g, want 100 / 500", bv);
        json_decref(v);
    }

    snprintf(out, sizeof out, "%s/out-slow-scalar", tmp);
    CHECK(run_compare(b, n, "--metric=relative", "--relative-to", "scalar", "--out", out, NULL) ==
              POSENC_EXIT_OK,
          "relative to scalar: exit");
    v = read_compare_json(out);
    if (v) {
        CHECK(!strcmp(json_string_value(json_object_get(v, "relative_to")), "scalar"), "relative_to");
        check_verdict(v, "impl=rotary/scalar", "unchanged", NULL);
        check_verdict(v, "impl=rotary/avx2", "unchanged", NULL);
        check_verdict(v, "impl=sinusoidal/avx2", "inconclusive", "no timed scalar case");
        const json_t *c = NULL;
        double bv = 0;
        verdict_of(v, "impl=rotary/avx2", &c);
        CHECK(c && json_doc_number(json_doc_pointer(c, "/base/value"), &bv) && CLOSE(bv, 0.1, 1e-12),
              "relative value %g, want 100 / 1000", bv);
        json_decref(v);
    }

    /* a regression relative to scalar while the machine slowed: scalar 2x, avx2 3x */
    spec worse[NSPEC(new_slow)];
    memcpy(worse, new_slow, sizeof worse);
    worse[1].center = 300;
    build(&s_new, "busy-hour-worse", worse, NSPEC(worse), "AMD EPYC", FEAT, 0);
    n = write_run("busy-worse", &s_new);
    snprintf(out, sizeof out, "%s/out-slow-scalar-worse", tmp);
    CHECK(run_compare(b, n, "--metric", "relative", "--relative-to", "scalar", "--out", out,
                      NULL) == POSENC_EXIT_SPEED,
          "relative to scalar, a real regression: exit");
    v = read_compare_json(out);
    if (v) {
        check_verdict(v, "impl=rotary/avx2", "regression", NULL);
        json_decref(v);
    }
}

/* A case is its id and its element type: cases on different data are never compared, even
 * under one id (a hand-made record; the bench names 16-bit cases with their type), and the
 * scalar reference of --relative-to scalar is one on the same data. */
static void test_dtypes(void)
{
#define N NAN
    const spec base[] = {
        {G1, "rotary/scalar", 0, OK, 10, 1000, 0.02, 500, N, F32},
        {G1, "rotary/avx2", 0, OK, 10, 100, 0.02, 500, N, F32},
        {G1 "/bf16", "rotary/scalar", 0, OK, 10, 1500, 0.02, 250, N, BF16},
        {G1 "/bf16", "rotary/avx2", 0, OK, 10, 300, 0.02, 250, N, BF16},
        {G2, "rotary/avx2", 0, OK, 10, 100, 0.02, 500, N, F32},
    };
    spec fresh[NSPEC(base)];
    memcpy(fresh, base, sizeof fresh);
    fresh[2].center = 1515; /* the same machine, another hour */
    fresh[3].center = 303;
    fresh[4].dtype = RUN_DTYPE_F16; /* G2's id, on float16 data */
    fresh[4].center = 200;
    build(&s_base, "dtype-base", base, NSPEC(base), "AMD EPYC", FEAT, 0);
    const char *b = write_run("dtype-base", &s_base);
    build(&s_new, "dtype-new", fresh, NSPEC(fresh), "AMD EPYC", FEAT, 0);
    const char *n = write_run("dtype-new", &s_new);
    char out[300];
    snprintf(out, sizeof out, "%s/out-dtype", tmp);
    CHECK(run_compare(b, n, "--out", out, NULL) == POSENC_EXIT_OK,
          "a case on other data: not a regression, not an error");
    json_t *v = read_compare_json(out);
    if (v) {
        check_verdict(v, G1 "/bf16/impl=rotary/avx2", "unchanged", NULL);
        check_verdict(v, G1 "/impl=rotary/avx2", "unchanged", NULL);
        /* one id, two cases: BASE's f32 case missing, NEW's f16 one new, each saying why */
        CHECK(count_of(v, "/counts/missing") == 1 && count_of(v, "/counts/new") == 1,
              "the f32 and f16 cases of one id: %g missing, %g new",
              count_of(v, "/counts/missing"), count_of(v, "/counts/new"));
        const json_t *cases = json_object_get(v, "cases");
        int missing = 0, fresh_one = 0;
        for (size_t i = 0; cases && i < json_array_size(cases); i++) {
            const json_t *c = json_array_get(cases, i);
            const char *verdict = json_string_value(json_object_get(c, "verdict"));
            const char *reason = json_string_value(json_object_get(c, "reason"));
            if (strcmp(json_string_value(json_object_get(c, "id")), G2 "/impl=rotary/avx2") || !reason)
                continue;
            missing += !strcmp(verdict, "missing") &&
                       strstr(reason, "NEW has this id on f16 data, not f32") != NULL;
            fresh_one += !strcmp(verdict, "new") &&
                         strstr(reason, "BASE has this id on f32 data, not f16") != NULL;
        }
        CHECK(missing == 1 && fresh_one == 1,
              "the reasons do not say the id is on other data (%d, %d)", missing, fresh_one);
        json_decref(v);
    }
    /* relative to scalar: each side's own type's scalar (300 / 1500 against 303 / 1515) */
    snprintf(out, sizeof out, "%s/out-dtype-scalar", tmp);
    CHECK(run_compare(b, n, "--metric", "relative", "--relative-to", "scalar", "--out", out,
                      NULL) == POSENC_EXIT_OK,
          "relative to scalar on 16-bit data: exit");
    v = read_compare_json(out);
    if (v) {
        const json_t *c = NULL;
        double bv = 0;
        check_verdict(v, G1 "/bf16/impl=rotary/avx2", "unchanged", NULL);
        verdict_of(v, G1 "/bf16/impl=rotary/avx2", &c);
        CHECK(c && json_doc_number(json_doc_pointer(c, "/base/value"), &bv) && CLOSE(bv, 0.2, 1e-12),
              "bf16 relative to scalar %g, want 300 / 1500 (bf16 scalar, not f32)", bv);
        json_decref(v);
    }
    /* a group whose scalar case is on other data has no reference */
    spec mixed[2] = {base[0], base[3]};
    mixed[1].group = G1;
    build(&s_base, "dtype-mixed", mixed, 2, "AMD EPYC", FEAT, 0);
    b = write_run("dtype-mixed", &s_base);
    snprintf(out, sizeof out, "%s/out-dtype-mixed", tmp);
    run_compare(b, b, "--metric", "relative", "--relative-to", "scalar", "--out", out, NULL);
    v = read_compare_json(out);
    if (v) {
        const json_t *cases = json_object_get(v, "cases");
        int bf16_inconclusive = 0;
        for (size_t i = 0; cases && i < json_array_size(cases); i++) {
            const json_t *c = json_array_get(cases, i);
            const char *reason = json_string_value(json_object_get(c, "reason"));
            bf16_inconclusive += !strcmp(json_string_value(json_object_get(c, "id")),
                                         G1 "/impl=rotary/avx2") &&
                                 !strcmp(json_string_value(json_object_get(c, "verdict")), "inconclusive") &&
                                 reason && strstr(reason, "no timed scalar case");
        }
        CHECK(bf16_inconclusive == 1, "a bf16 case took an f32 scalar case as its reference");
        json_decref(v);
    }
#undef N
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "cannot create %s", path);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* run.json of the base scenario with one substring replaced, into tmp/name.json */
static const char *altered(const char *name, const char *from, const char *to)
{
    static char out[8][340];
    static int used;
    char *path = out[used++ % 8];
    char src[340];
    snprintf(src, sizeof src, "%s/base/run.json", tmp);
    snprintf(path, 340, "%s/%s.json", tmp, name);
    FILE *f = fopen(src, "rb");
    CHECK(f != NULL, "cannot read %s", src);
    if (!f)
        return path;
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    CHECK(at != NULL, "'%s' not in run.json", from);
    if (!at)
        return path;
    FILE *g = fopen(path, "wb");
    if (g) {
        fwrite(text, 1, (size_t)(at - text), g);
        fputs(to, g);
        fputs(at + strlen(from), g);
        fclose(g);
    }
    return path;
}

/* 16-bit accuracy records: never set against float32 ones, failing like them past their bound
 * (half an ulp of the type), and a case inlining one is judged by that bound, not bound_u. */
static void test_dtype_records(void)
{
    char out[300];
    build(&s_base, "base-run-16", base_main, NSPEC(base_main), "AMD EPYC", FEAT, 0);
    fill_accuracy_type(&s_base.acc[2], RUN_DTYPE_BF16, 0.4999);
    s_base.rec.n_accuracy = 3;
    const char *b = write_run("base-16", &s_base);
    build(&s_new, "new-run-16", base_main, NSPEC(base_main), "AMD EPYC", FEAT, 0);
    fill_accuracy_type(&s_new.acc[2], RUN_DTYPE_BF16, 0.4999);
    fill_accuracy_type(&s_new.acc[3], RUN_DTYPE_F16, 0.4996);
    s_new.rec.n_accuracy = 4;
    s_new.cases[1].accuracy = &s_new.acc[2]; /* rotary/avx2 on bf16 data */
    const char *n = write_run("new-16", &s_new);
    snprintf(out, sizeof out, "%s/out-16", tmp);
    CHECK(run_compare(b, n, "--out", out, NULL) == POSENC_EXIT_OK, "16-bit records within bound");
    json_t *v = read_compare_json(out);
    if (v) {
        double af = -1, base_u = 0, growth = -1;
        CHECK(json_doc_number(json_object_get(v, "accuracy_failures"), &af) && af == 0,
              "16-bit records within bound: %g accuracy failures", af);
        const json_t *a2 = json_doc_pointer(v, "/accuracy/2"), *a3 = json_doc_pointer(v, "/accuracy/3");
        const char *d2 = a2 ? json_string_value(json_object_get(a2, "dtype")) : NULL;
        const char *d3 = a3 ? json_string_value(json_object_get(a3, "dtype")) : NULL;
        CHECK(d2 && !strcmp(d2, "bf16") && d3 && !strcmp(d3, "f16"), "dtypes %s, %s",
              d2 ? d2 : "-", d3 ? d3 : "-");
        /* the bf16 record against BASE's bf16 one, not its float32 one (1.5 u) */
        CHECK(a2 && json_doc_number(json_object_get(a2, "base_max_err_u"), &base_u) && base_u == 32768 &&
                  json_doc_number(json_object_get(a2, "growth_u"), &growth) && growth == 0,
              "bf16 against BASE's record %g u, growth %g", base_u, growth);
        /* BASE has no f16 record: nothing to set it against */
        CHECK(a3 && json_is_null(json_object_get(a3, "base_max_err_u")),
              "f16 record set against another type's");
        double tu = 0;
        CHECK(a3 && json_doc_number(json_object_get(a3, "max_err_type_ulp"), &tu) && tu == 0.4996,
              "f16 max_err_type_ulp %g", tu);
        const json_t *a0 = json_doc_pointer(v, "/accuracy/0");
        CHECK(a0 && json_is_null(json_object_get(a0, "max_err_type_ulp")),
              "a float32 record with a figure in ulps of a 16-bit type");
        json_decref(v);
    }
    /* past half an ulp: the record and the case that inlines it fail */
    fill_accuracy_type(&s_new.acc[2], RUN_DTYPE_BF16, 0.75);
    n = write_run("new-16-over", &s_new);
    snprintf(out, sizeof out, "%s/out-16-over", tmp);
    CHECK(run_compare(b, n, "--out", out, NULL) == POSENC_EXIT_ACCURACY, "16-bit record past bound");
    v = read_compare_json(out);
    if (v) {
        double af = 0;
        CHECK(json_doc_number(json_object_get(v, "accuracy_failures"), &af) && af == 2,
              "16-bit record past bound: %g accuracy failures, want the record and its case", af);
        const json_t *a2 = json_doc_pointer(v, "/accuracy/2");
        const char *why = a2 ? json_string_value(json_object_get(a2, "reason")) : NULL;
        CHECK(a2 && json_is_true(json_object_get(a2, "failed")) && why &&
                  strstr(why, "bf16 data: max_err_type_ulp 0.75"),
              "bf16 record: reason '%s'", why ? why : "-");
        json_decref(v);
    }
    snprintf(out, sizeof out, "%s/out-16-over/compare.md", tmp);
    char *md = tests_slurp(out, NULL);
    CHECK(md && strstr(md, "| (record) | rotary/avx2 | exact | bf16 |") &&
              strstr(md, "| 0.75 / 0.75 / 0.5 | **FAIL**"),
          "compare.md: no failing bf16 row");
    free(md);
}

static void test_errors(void)
{
    char b[300], n[300], corrupt[300], absent[300];
    snprintf(b, sizeof b, "%s/base", tmp);
    snprintf(n, sizeof n, "%s/new", tmp);
    snprintf(corrupt, sizeof corrupt, "%s/corrupt.json", tmp);
    snprintf(absent, sizeof absent, "%s/no-such-run", tmp);
    write_text(corrupt, "{\"schema\": \"posenc-run\", \"schema_version\": 7,");

    /* 1: unreadable or invalid runs */
    CHECK(run_compare(corrupt, n, NULL) == POSENC_EXIT_ERROR, "corrupt BASE");
    CHECK(run_compare(b, corrupt, NULL) == POSENC_EXIT_ERROR, "corrupt NEW");
    CHECK(run_compare(b, absent, NULL) == POSENC_EXIT_ERROR, "absent NEW");
    CHECK(run_compare(altered("version", "\"schema_version\": 7", "\"schema_version\": 99"), n,
                      NULL) == POSENC_EXIT_ERROR,
          "schema_version 99");
    CHECK(run_compare(altered("version1", "\"schema_version\": 7", "\"schema_version\": 1"), n,
                      NULL) == POSENC_EXIT_ERROR,
          "schema_version 1");
    /* version 2 has no machine kind: two "AMD EPYC" of other generations would look alike */
    CHECK(run_compare(altered("version2", "\"schema_version\": 7", "\"schema_version\": 2"), n,
                      NULL) == POSENC_EXIT_ERROR,
          "schema_version 2");
    /* version 3 (the committed baselines) still compares with a version 6 run: 4 only added
       the variants, 5 the bf16 and fp16 angle modes, 6 the cases' element types */
    for (int version = 3; version <= 5; version++) {
        char name[16], to[32];
        snprintf(name, sizeof name, "version%d", version);
        snprintf(to, sizeof to, "\"schema_version\": %d", version);
        CHECK(run_compare(altered(name, "\"schema_version\": 7", to), n, NULL) != POSENC_EXIT_ERROR,
              "schema_version %d refused", version);
    }
    /* version 6 names the element type of every case, one of three */
    CHECK(run_compare(altered("dtype", "\"dtype\": \"f32\"", "\"dtype\": \"f64\""), n, NULL) ==
              POSENC_EXIT_ERROR,
          "dtype f64 accepted");
    CHECK(run_compare(altered("no-dtype", "\"dtype\": \"f32\",", ""), n, NULL) ==
              POSENC_EXIT_ERROR,
          "a version 6 case without a dtype accepted");
    CHECK(run_compare(altered("kind", "\"kind\"", "\"kin\""), n, NULL) == POSENC_EXIT_ERROR,
          "no machine.kind");
    CHECK(run_compare(altered("schema", "\"posenc-run\"", "\"posenc-compare\""), n, NULL) ==
              POSENC_EXIT_ERROR,
          "wrong schema");
    CHECK(run_compare(altered("field", "\"cpu_model\"", "\"cpu_name\""), n, NULL) ==
              POSENC_EXIT_ERROR,
          "no machine.cpu_model");
    CHECK(run_compare(altered("type", "\"times_ns\": [", "\"times_ns\": [\"fast\", "), n, NULL) ==
              POSENC_EXIT_ERROR,
          "a string among the times");
    CHECK(run_compare(altered("dup", "impl=rotary/table\"", "impl=rotary/scalar\""), n, NULL) ==
              POSENC_EXIT_ERROR,
          "a case id twice");
    CHECK(run_compare(b, n, "--out", corrupt, NULL) == POSENC_EXIT_ERROR,
          "--out is a file: the reports cannot be written");

    /* 2: usage */
    CHECK(run_compare(NULL, NULL, NULL) == POSENC_EXIT_USAGE, "no runs");
    CHECK(run_compare(b, NULL, NULL) == POSENC_EXIT_USAGE, "one run");
    CHECK(run_compare(b, n, n, NULL) == POSENC_EXIT_USAGE, "three runs");
    CHECK(run_compare(b, n, "--frobnicate", NULL) == POSENC_EXIT_USAGE, "unknown option");
    CHECK(run_compare(b, n, "--filter", "(", NULL) == POSENC_EXIT_USAGE, "bad regex");
    CHECK(run_compare(b, n, "--threshold", "-0.1", NULL) == POSENC_EXIT_USAGE, "negative threshold");
    CHECK(run_compare(b, n, "--threshold", "10%", NULL) == POSENC_EXIT_USAGE, "threshold 10%%");
    CHECK(run_compare(b, n, "--threshold", "nan", NULL) == POSENC_EXIT_USAGE, "threshold nan");
    CHECK(run_compare(b, n, "--alpha", "0", NULL) == POSENC_EXIT_USAGE, "alpha 0");
    CHECK(run_compare(b, n, "--alpha", "1.5", NULL) == POSENC_EXIT_USAGE, "alpha 1.5");
    CHECK(run_compare(b, n, "--metric", "cycles", NULL) == POSENC_EXIT_USAGE, "bad metric");
    CHECK(run_compare(b, n, "--relative-to", "avx2", NULL) == POSENC_EXIT_USAGE, "bad reference");
    CHECK(run_compare(b, NULL, "--alpha", NULL) == POSENC_EXIT_USAGE, "--alpha without value");
    CHECK(run_compare(NULL, NULL, "--help", NULL) == POSENC_EXIT_OK, "--help");
}

int main(int argc, char **argv)
{
    harness_set_name("test_compare");
    int keep = argc > 1 && !strcmp(argv[1], "--keep"); /* the files stay, to look at */
    if (argc > 2 || (argc == 2 && !keep)) {
        fprintf(stderr, "usage: test_compare [--keep]\n");
        return 2;
    }
    test_mann_whitney();
    snprintf(tmp, sizeof tmp, "/tmp/test_compare.XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("test_compare: mkdtemp");
        return 1;
    }
    printf("test_compare: synthetic runs in %s\n", tmp);
    test_main_scenario();
    test_relative();
    test_dtype_records();
    test_dtypes();
    test_errors();
    if (!check_failures && !keep) { /* a failed run keeps its files too */
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "test_compare: could not remove %s\n", tmp);
    }
    return tests_exit_code("test_compare");
}
