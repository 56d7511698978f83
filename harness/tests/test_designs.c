/* test_designs.c - what the common designs (posenc.h, POSENC_IMPL_DESIGN) must compute, since no
 * bound of posenc's holds for them: rotary/recipe-cache's entries are the fp32 recipe's values
 * (fp32_recipe.h, MPFR) bit for bit, for plain RoPE, the scaling types and M-RoPE;
 * rotary/recipe-recurrence's are those of a plain scalar reimplementation of ggml's recurrence;
 * both rotate by their own cos/sin with posenc's float operations (both pairings, partial
 * rotary, padded heads), near the oracle's rotation at small positions, and on bf16 and fp16
 * data give the float32 results rounded once; both refuse other angle modes (and the
 * recurrence the scaling types), positions past the cache or the limit, with clear errors and
 * nothing written. Every design also keeps the naming convention the reports mark designs by
 * (run_record.h, run_impl_is_design). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* run_record.h before oracle.h (mpfr.h), which defines mpfr_version as a macro: see sweep.h */
#include "run_record.h"

#include "check.h"
#include "core/half.h"
#include "float_bits.h"
#include "fp32_recipe.h"
#include "oracle.h"
#include "posenc.h"

static const char *const CACHE = "rotary/recipe-cache";
static const char *const RECURRENCE = "rotary/recipe-recurrence";

/* A rotary plan of impl in fp32 angles; NULL after a failed CHECK. */
static posenc_plan *make(const posenc_impl *impl, posenc_params p, const char *what)
{
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(impl, &p, &plan);
    CHECK(rc == POSENC_OK, "%s: %s: %s (%s)", impl->name, what, posenc_strerror(rc),
          posenc_last_error());
    return plan;
}

static posenc_params rotary(int32_t dim, int32_t rotary_dim, double base, posenc_pairing pair)
{
    posenc_params p = posenc_params_default(POSENC_ROTARY, dim);
    p.rotary_dim = rotary_dim;
    p.base = base;
    p.pairing = pair;
    p.angle_mode = POSENC_ANGLE_FP32;
    return p;
}

/* ---- the registry: flags and the naming convention ---------------------------------------- */

static void check_registry(void)
{
    int designs = 0;
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        int design = (impl->flags & POSENC_IMPL_DESIGN) != 0;
        designs += design;
        CHECK(design == run_impl_is_design(impl->name),
              "%s: POSENC_IMPL_DESIGN %d but the reports' name rule says %d", impl->name, design,
              run_impl_is_design(impl->name));
        if (design)
            CHECK((impl->flags & POSENC_IMPL_EXPLICIT_ONLY) && impl->max_err_u == 0.0,
                  "%s: a design is explicit-only with no bound", impl->name);
    }
    CHECK(designs == 2, "%d designs in the registry, expected recipe-cache and -recurrence",
          designs);
    CHECK(posenc_impl_find(CACHE) && posenc_impl_find(RECURRENCE), "designs not found by name");
}

/* ---- recipe-cache: the cache is the fp32 recipe -------------------------------------------- */

/* Encode every row of a cache of `rows` positions and compare it with the recipe. */
static void check_cache_entries(posenc_params p, int64_t rows, const char *what)
{
    const posenc_impl *impl = posenc_impl_find(CACHE);
    p.max_positions = rows;
    posenc_plan *plan = make(impl, p, what);
    if (!plan)
        return;
    fp32_recipe rec;
    if (fp32_recipe_init_params(&rec, posenc_plan_params(plan))) {
        CHECK(0, "%s: no recipe", what);
        posenc_plan_destroy(plan);
        return;
    }
    size_t row = posenc_plan_row_size(plan), h = row / 2;
    CHECK(posenc_plan_max_pos(plan) == rows, "%s: max_pos %lld, cache of %lld rows", what,
          (long long)posenc_plan_max_pos(plan), (long long)rows);
    CHECK(posenc_plan_table_bytes(plan) >= (size_t)rows * row * sizeof(float),
          "%s: the plan counts %zu bytes for a cache of %lld x %zu floats", what,
          posenc_plan_table_bytes(plan), (long long)rows, row);
    int mrope = p.mrope.layout != POSENC_MROPE_NONE;
    const size_t n = 64;
    float *out = malloc(n * row * sizeof *out);
    int64_t pos[3 * 64];
    size_t bad = 0;
    for (int64_t p0 = 0; p0 < rows; p0 += (int64_t)n) {
        size_t m = (size_t)(rows - p0 < (int64_t)n ? rows - p0 : (int64_t)n);
        /* M-RoPE: the axes run over the cache in different orders */
        for (size_t t = 0; t < m; t++) {
            pos[t] = p0 + (int64_t)t;
            if (mrope) {
                pos[m + t] = rows - 1 - pos[t];
                pos[2 * m + t] = (pos[t] * 7 + 3) % rows;
            }
        }
        CHECK_CODE(posenc_encode(plan, pos, m, out), POSENC_OK);
        for (size_t t = 0; t < m; t++)
            for (size_t i = 0; i < h; i++) {
                int ax = oracle_mrope_axis(&p, (int32_t)i);
                float s, c;
                fp32_recipe_sincos(&rec, i, pos[(size_t)ax * m + t], &s, &c);
                if (bits_of(out[t * row + i]) != bits_of(c) ||
                    bits_of(out[t * row + h + i]) != bits_of(s)) {
                    if (!bad++)
                        fprintf(stderr, "%s: p %lld i %zu: cos %a sin %a, recipe %a %a\n", what,
                                (long long)pos[(size_t)ax * m + t], i, out[t * row + i],
                                out[t * row + h + i], c, s);
                }
            }
    }
    CHECK(bad == 0, "%s: %zu cache values differ from the fp32 recipe", what, bad);
    printf("%s: %lld rows x %zu frequencies, the fp32 recipe bit for bit\n", what,
           (long long)rows, h);
    free(out);
    fp32_recipe_free(&rec);
    posenc_plan_destroy(plan);
}

static void check_cache(void)
{
    check_cache_entries(rotary(128, 128, 1e4, POSENC_PAIR_HALF), 3000, "cache, 128, base 1e4");
    check_cache_entries(rotary(256, 64, 1e4, POSENC_PAIR_INTERLEAVED), 1000,
                        "cache, GPT-J 64 of 256");
    check_cache_entries(rotary(128, 128, 5e5, POSENC_PAIR_HALF), 1000, "cache, base 5e5");
    check_cache_entries(rotary(96, 96, 1e4, POSENC_PAIR_HALF), 500, "cache, head 96");
    posenc_params y = rotary(128, 128, 1e6, POSENC_PAIR_HALF);
    y.scaling = (posenc_scaling){.type = POSENC_SCALING_YARN, .factor = 4.0,
                                 .original_max_positions = 32768};
    check_cache_entries(y, 700, "cache, yarn x4 (attention factor)");
    posenc_params l3 = rotary(128, 128, 5e5, POSENC_PAIR_HALF);
    l3.scaling = (posenc_scaling){.type = POSENC_SCALING_LLAMA3, .factor = 8.0,
                                  .low_freq_factor = 1.0, .high_freq_factor = 4.0,
                                  .original_max_positions = 8192};
    check_cache_entries(l3, 700, "cache, llama3");
    posenc_params mr = rotary(128, 128, 1e6, POSENC_PAIR_HALF);
    mr.mrope = (posenc_mrope){POSENC_MROPE_SECTIONS, {16, 24, 24}};
    check_cache_entries(mr, 700, "cache, M-RoPE sections");
    /* the default rows are the table backend's */
    posenc_plan *plan = make(posenc_impl_find(CACHE), rotary(64, 64, 1e4, POSENC_PAIR_HALF),
                             "default rows");
    if (plan)
        CHECK(posenc_plan_max_pos(plan) == POSENC_TABLE_DEFAULT_POSITIONS,
              "default cache of %lld rows", (long long)posenc_plan_max_pos(plan));
    posenc_plan_destroy(plan);
}

/* ---- recipe-recurrence: the values of ggml's recurrence ----------------------------------- */

/* The recurrence written out plainly (posenc.h, POSENC_IMPL_DESIGN): cos then sin of each
   frequency of token t of n, pos axis-major with M-RoPE. */
static void recurrence_row(const posenc_params *p, const int64_t *pos, size_t n, size_t t,
                           float *row)
{
    size_t h = (size_t)p->rotary_dim / 2;
    float theta_scale = powf((float)p->base, -2.0f / (float)p->rotary_dim);
    float theta[3];
    for (int a = 0; a < 3; a++)
        theta[a] = (float)pos[p->mrope.layout != POSENC_MROPE_NONE ? (size_t)a * n + t : t];
    for (size_t i = 0; i < h; i++) {
        float th = theta[oracle_mrope_axis(p, (int32_t)i)];
        row[i] = cosf(th);
        row[h + i] = sinf(th);
        for (int a = 0; a < 3; a++)
            theta[a] = theta[a] * theta_scale;
    }
}

static void check_recurrence_values(posenc_params p, const char *what)
{
    posenc_plan *plan = make(posenc_impl_find(RECURRENCE), p, what);
    if (!plan)
        return;
    size_t row = posenc_plan_row_size(plan);
    enum { N = 48 };
    int64_t pos[3 * N];
    static const int64_t far[] = {4095, 100000, 1000000, 123456789, 2147483647};
    for (size_t t = 0; t < N; t++)
        pos[t] = t < 40 ? (int64_t)t * 37 : far[(t - 40) % 5];
    for (size_t t = 0; t < N; t++) {
        pos[N + t] = pos[N - 1 - t];
        pos[2 * N + t] = pos[(t + N / 2) % N];
    }
    float *out = malloc(N * row * sizeof *out), *want = malloc(row * sizeof *want);
    CHECK_CODE(posenc_encode(plan, pos, N, out), POSENC_OK);
    size_t bad = 0;
    for (size_t t = 0; t < N; t++) {
        recurrence_row(&p, pos, N, t, want);
        long d = first_difference(out + t * row, want, row);
        if (d >= 0 && !bad++)
            fprintf(stderr, "%s: token %zu (p %lld) value %ld: %a, the recurrence %a\n", what,
                    t, (long long)pos[t], d, out[t * row + (size_t)d], want[d]);
    }
    CHECK(bad == 0, "%s: %zu rows differ from the recurrence", what, bad);
    printf("%s: %d rows, the recurrence bit for bit\n", what, N);
    free(out);
    free(want);
    posenc_plan_destroy(plan);
}

static void check_recurrence(void)
{
    check_recurrence_values(rotary(128, 128, 1e4, POSENC_PAIR_HALF), "recurrence, 128");
    check_recurrence_values(rotary(256, 64, 1e4, POSENC_PAIR_INTERLEAVED),
                            "recurrence, GPT-J 64 of 256");
    check_recurrence_values(rotary(128, 128, 5e5, POSENC_PAIR_HALF), "recurrence, base 5e5");
    check_recurrence_values(rotary(2048, 2048, 1e4, POSENC_PAIR_HALF),
                            "recurrence, head 2048 (a row on the heap)");
    posenc_params mr = rotary(128, 128, 1e6, POSENC_PAIR_HALF);
    mr.mrope = (posenc_mrope){POSENC_MROPE_SECTIONS, {16, 24, 24}};
    check_recurrence_values(mr, "recurrence, M-RoPE sections");
    mr.mrope = (posenc_mrope){POSENC_MROPE_INTERLEAVED, {24, 20, 20}};
    check_recurrence_values(mr, "recurrence, M-RoPE interleaved");
}

/* ---- both: the rotation, 16-bit data, bad input ------------------------------------------- */

/* Apply on 3 heads of dim floats with 5 floats of padding between heads: each pair rotated by
   the design's own encode row with posenc's float operations, the rest untouched; at small
   positions near the oracle's rotation. */
static void check_rotation(const posenc_impl *impl, posenc_params p, const char *what)
{
    posenc_plan *plan = make(impl, p, what);
    if (!plan)
        return;
    enum { N = 24, HEADS = 3 };
    const size_t dim = (size_t)p.dim, hs = dim + 5, ts = HEADS * hs, row = (size_t)p.rotary_dim;
    const size_t h = row / 2;
    const int inter = p.pairing == POSENC_PAIR_INTERLEAVED;
    int64_t pos[N];
    for (size_t t = 0; t < N; t++)
        pos[t] = t < 16 ? (int64_t)t * 3 : 100 + (int64_t)t * 91;
    float *x = malloc(N * ts * sizeof *x), *x0 = malloc(N * ts * sizeof *x0);
    float *enc = malloc(N * row * sizeof *enc);
    srand(7);
    for (size_t k = 0; k < N * ts; k++)
        x0[k] = x[k] = (float)(rand() % 2001 - 1000) / 250.0f;
    posenc_layout l = {HEADS, hs, ts};
    CHECK_CODE(posenc_apply(plan, pos, N, x, &l), POSENC_OK);
    CHECK_CODE(posenc_encode(plan, pos, N, enc), POSENC_OK);
    size_t bad = 0, far = 0;
    double worst = 0;
    for (size_t t = 0; t < N; t++)
        for (size_t hd = 0; hd < HEADS; hd++) {
            const float *a0 = x0 + t * ts + hd * hs;
            const float *got = x + t * ts + hd * hs;
            for (size_t i = 0; i < h; i++) {
                size_t ia = inter ? 2 * i : i, ib = inter ? 2 * i + 1 : h + i;
                float a = a0[ia], b = a0[ib], c = enc[t * row + i], s = enc[t * row + h + i];
                float ra = a * c - b * s, rb = a * s + b * c;
                bad += bits_of(got[ia]) != bits_of(ra) || bits_of(got[ib]) != bits_of(rb);
                if (pos[t] < 64) { /* small positions: the recipe is close to the truth */
                    oracle_freq f;
                    oracle_freq_init(&f, p.base, p.rotary_dim, (int32_t)i, 1.0);
                    double es, ec;
                    oracle_sincos(&f, pos[t], &es, &ec);
                    oracle_freq_clear(&f);
                    double m = fmax(fabs(a), fabs(b));
                    double e = fmax(fabs(got[ia] - (a * ec - b * es)),
                                    fabs(got[ib] - (a * es + b * ec)));
                    if (m > 0 && e / m > worst)
                        worst = e / m;
                    far += e > 1e-4 * m + 0x1p-149;
                }
            }
            for (size_t k = row; k < hs; k++) /* past rotary_dim, and the padding */
                bad += bits_of(got[k]) != bits_of(a0[k]);
        }
    CHECK(bad == 0, "%s: %zu values are not the rotation by its own cos/sin (or were touched)",
          what, bad);
    CHECK(far == 0, "%s: %zu pairs beyond 1e-4 of the exact rotation at positions < 64 (worst "
          "%.3g relative)", what, far, worst);
    printf("%s: rotation by its own cos/sin; positions < 64 within %.3g of the exact one\n",
           what, worst);
    free(x);
    free(x0);
    free(enc);
    posenc_plan_destroy(plan);
}

/* bf16 and fp16 data: encode gives the float32 row rounded to the type, apply the float32
   rotation of the widened input rounded once. */
static void check_16bit(const posenc_impl *impl, posenc_params p, const char *what)
{
    enum { N = 9 };
    const size_t dim = (size_t)p.dim, row = (size_t)p.rotary_dim, heads = 2;
    int64_t pos[N] = {0, 1, 2, 7, 100, 999, 1023, 500, 3};
    for (int ti = 0; ti < 2; ti++) {
        posenc_dtype t = ti ? POSENC_DTYPE_F16 : POSENC_DTYPE_BF16;
        posenc_params q = p;
        q.dtype = t;
        posenc_plan *f32 = make(impl, p, what), *half = make(impl, q, what);
        if (!f32 || !half) {
            posenc_plan_destroy(f32);
            posenc_plan_destroy(half);
            continue;
        }
        float *ef = malloc(N * row * sizeof *ef), *xf = malloc(N * heads * dim * sizeof *xf);
        uint16_t *eh = malloc(N * row * sizeof *eh), *xh = malloc(N * heads * dim * sizeof *xh);
        CHECK_CODE(posenc_encode(f32, pos, N, ef), POSENC_OK);
        CHECK_CODE(posenc_encode(half, pos, N, eh), POSENC_OK);
        for (size_t k = 0; k < N * heads * dim; k++) {
            float v = (float)((int)(k * 37 % 211) - 105) / 16.0f; /* exact in both types */
            xf[k] = v;
            xh[k] = t == POSENC_DTYPE_BF16 ? posenc_f32_bits_to_bf16(bits_of(v))
                                           : posenc_f32_bits_to_f16(bits_of(v));
        }
        posenc_layout l = {heads, 0, 0};
        CHECK_CODE(posenc_apply(f32, pos, N, xf, &l), POSENC_OK);
        CHECK_CODE(posenc_apply(half, pos, N, xh, &l), POSENC_OK);
        size_t bad = 0;
        for (size_t k = 0; k < N * row; k++)
            bad += eh[k] != (t == POSENC_DTYPE_BF16 ? posenc_f32_bits_to_bf16(bits_of(ef[k]))
                                                     : posenc_f32_bits_to_f16(bits_of(ef[k])));
        for (size_t k = 0; k < N * heads * dim; k++)
            bad += xh[k] != (t == POSENC_DTYPE_BF16 ? posenc_f32_bits_to_bf16(bits_of(xf[k]))
                                                     : posenc_f32_bits_to_f16(bits_of(xf[k])));
        CHECK(bad == 0, "%s on %s data: %zu values are not the float32 ones rounded once", what,
              posenc_dtype_name(t), bad);
        free(ef);
        free(xf);
        free(eh);
        free(xh);
        posenc_plan_destroy(f32);
        posenc_plan_destroy(half);
    }
}

/* Other angle modes and (recurrence) scaling types are refused with ARGUMENT, *out untouched;
   positions past the cache (or 2^31) fail with POSITION and write nothing. */
static void check_bad_input(const posenc_impl *impl)
{
    static const posenc_angle_mode modes[] = {POSENC_ANGLE_EXACT, POSENC_ANGLE_BF16,
                                              POSENC_ANGLE_FP16};
    for (size_t m = 0; m < 3; m++) {
        posenc_params p = rotary(64, 64, 1e4, POSENC_PAIR_HALF);
        p.angle_mode = modes[m];
        posenc_plan *sentinel = (posenc_plan *)&p, *out = sentinel;
        CHECK_CODE(posenc_plan_create(impl, &p, &out), POSENC_ERR_ARGUMENT);
        CHECK(out == sentinel, "%s: *out written on a refused mode", impl->name);
        CHECK(strstr(posenc_last_error(), "POSENC_ANGLE_FP32") != NULL,
              "%s: the message names the mode it needs: '%s'", impl->name, posenc_last_error());
    }
    int recurrence = !strcmp(impl->name, RECURRENCE);
    static const posenc_scaling_type types[] = {POSENC_SCALING_LINEAR, POSENC_SCALING_NTK,
                                                POSENC_SCALING_YARN};
    for (size_t k = 0; k < 3; k++) {
        posenc_params p = rotary(64, 64, 1e4, POSENC_PAIR_HALF);
        p.scaling = (posenc_scaling){.type = types[k], .factor = 2.0,
                                     .original_max_positions = 4096};
        posenc_plan *plan = NULL;
        CHECK_CODE(posenc_plan_create(impl, &p, &plan), recurrence ? POSENC_ERR_ARGUMENT
                                                                   : POSENC_OK);
        CHECK(recurrence == (plan == NULL), "%s: scaling type %d", impl->name, (int)types[k]);
        posenc_plan_destroy(plan);
    }
    posenc_params p = rotary(64, 64, 1e4, POSENC_PAIR_HALF);
    p.max_positions = 100;
    posenc_plan *plan = make(impl, p, "100 positions");
    if (!plan)
        return;
    int64_t past = posenc_plan_max_pos(plan); /* 100: the cache's rows, the recurrence's limit */
    const int64_t bad_pos[][3] = {{0, 5, past}, {past, 1, 2}, {-1, 0, 0}, {3, 4, INT64_MAX}};
    float x[3 * 64], x0[3 * 64], e[3 * 64];
    for (size_t k = 0; k < 3 * 64; k++)
        x0[k] = x[k] = e[k] = (float)k;
    for (size_t b = 0; b < 4; b++) {
        CHECK_CODE(posenc_apply(plan, bad_pos[b], 3, x, NULL), POSENC_ERR_POSITION);
        CHECK_CODE(posenc_encode(plan, bad_pos[b], 3, e), POSENC_ERR_POSITION);
        CHECK(first_difference(x, x0, 3 * 64) < 0 && first_difference(e, x0, 3 * 64) < 0,
              "%s: a refused call wrote (positions %lld %lld %lld)", impl->name,
              (long long)bad_pos[b][0], (long long)bad_pos[b][1], (long long)bad_pos[b][2]);
    }
    const int64_t ok[3] = {0, 50, past - 1};
    CHECK_CODE(posenc_apply(plan, ok, 3, x, NULL), POSENC_OK);
    posenc_plan_destroy(plan);
}

/* The error of each design's cos/sin over Llama-2-7B's 64 frequencies (dim 128, base 1e4) at
   the positions README.md's accuracy table gives, against the oracle: printed for the release
   note. recipe-cache's cache covers position 1e6 only with a million rows (512 MiB): its values
   are the fp32 recipe's (check_cache), so the figure is taken from a 2049-row cache and the
   recipe itself beyond it. */
static void print_errors(void)
{
    static const int64_t at[] = {2048, 100000, 1000000};
    posenc_params p = rotary(128, 128, 1e4, POSENC_PAIR_HALF);
    posenc_plan *rp = make(posenc_impl_find(RECURRENCE), p, "errors");
    p.max_positions = 2049;
    posenc_plan *cp = make(posenc_impl_find(CACHE), p, "errors");
    fp32_recipe rec;
    if (!rp || !cp || fp32_recipe_init(&rec, 1e4, 128, 1.0)) {
        posenc_plan_destroy(rp);
        posenc_plan_destroy(cp);
        return;
    }
    printf("max |error| of cos/sin, dim 128 base 1e4:   position  recipe-cache  "
           "recipe-recurrence\n");
    for (size_t k = 0; k < 3; k++) {
        float r[128], c[128];
        int64_t big = 2048; /* the cache's last row */
        CHECK_CODE(posenc_encode(rp, &at[k], 1, r), POSENC_OK);
        CHECK_CODE(posenc_encode(cp, at[k] < 2049 ? &at[k] : &big, 1, c), POSENC_OK);
        double ec = 0, er = 0;
        for (int32_t i = 0; i < 64; i++) {
            oracle_freq f;
            oracle_freq_init(&f, 1e4, 128, i, 1.0);
            double es, ecos;
            oracle_sincos(&f, at[k], &es, &ecos);
            oracle_freq_clear(&f);
            float s = c[64 + i], co = c[i];
            if (at[k] >= 2049)
                fp32_recipe_sincos(&rec, (size_t)i, at[k], &s, &co);
            ec = fmax(ec, fmax(fabs(co - ecos), fabs(s - es)));
            er = fmax(er, fmax(fabs(r[i] - ecos), fabs(r[64 + i] - es)));
        }
        printf("%*s%10lld  %12.2g  %17.2g\n", 44, "", (long long)at[k], ec, er);
    }
    fp32_recipe_free(&rec);
    posenc_plan_destroy(rp);
    posenc_plan_destroy(cp);
}

int main(void)
{
    check_registry();
    const posenc_impl *cache = posenc_impl_find(CACHE), *rec = posenc_impl_find(RECURRENCE);
    if (!cache || !rec)
        return tests_exit_code("test_designs");
    check_cache();
    check_recurrence();
    const posenc_impl *both[] = {cache, rec};
    for (int k = 0; k < 2; k++) {
        char what[96];
        snprintf(what, sizeof what, "%s half-split", both[k]->name);
        posenc_params p = rotary(128, 128, 1e4, POSENC_PAIR_HALF);
        p.max_positions = 4096;
        check_rotation(both[k], p, what);
        check_16bit(both[k], p, what);
        snprintf(what, sizeof what, "%s interleaved, 64 of 72", both[k]->name);
        p = rotary(72, 64, 1e4, POSENC_PAIR_INTERLEAVED);
        p.max_positions = 4096;
        check_rotation(both[k], p, what);
        check_16bit(both[k], p, what);
        check_bad_input(both[k]);
    }
    print_errors();
    oracle_cleanup();
    return tests_exit_code("test_designs");
}
