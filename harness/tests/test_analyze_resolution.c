/* test_analyze_resolution.c - the resolution section of `posenc analyze`
 * (harness/analyze/resolution.c, collisions.c) on settings built here:
 *
 * 1. Wavelengths: Llama-3-8B's frequencies (head 128, base 5e5) are 2 pi 5e5^(2i/128), and
 *    those longer than its 8192 positions are counted as the closed form says (i above
 *    64 ln(8192 / 2 pi) / ln 5e5). Llama 3.1's scaling (x8, L0 8192, low 1, high 4) keeps the
 *    wavelengths below L0 / 4, multiplies those above L0 by 8, puts those between in between,
 *    and counts beyond its 131072 positions the unscaled ones beyond 131072 / 8. A sinusoidal
 *    setting without a context gets ANALYZE_SINUSOIDAL_CONTEXT.
 * 2. Collisions: on settings made to collide (one frequency: rows of two values) the scan's
 *    onset, its partner and the count equal a brute-force comparison of every pair of rows,
 *    for each element type and angle mode and for a design (rotary/recipe-recurrence); bf16
 *    rows collide before f32 rows (or f32 rows do not collide in the scan); with fp16 angles
 *    a 64-dim head collides first at 2049, which fp16 rounds to 2048 (positions are exact in
 *    fp16 below 2048); the scan stops at the collision limit; a design the setting does not
 *    fit (recurrence with yarn) is recorded as left out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "analyze_models.h"
#include "analyze_settings.h"
#include "check.h"
#include "harness_util.h"
#include "sweep.h"

static const analysis_wavelengths *find_wl(const analysis_record *r, const char *model)
{
    for (size_t i = 0; i < r->n_wavelengths; i++)
        if (!strcmp(r->wavelengths[i].model, model))
            return &r->wavelengths[i];
    return NULL;
}

static const analysis_collisions *find_col(const analysis_record *r, const char *model,
                                           const char *impl, const char *mode, const char *dtype)
{
    for (size_t i = 0; i < r->n_collisions; i++) {
        const analysis_collisions *k = &r->collisions[i];
        if (!strcmp(k->model, model) && (!impl || !strcmp(k->implementation, impl)) &&
            !strcmp(k->angle_mode, mode) && !strcmp(k->dtype, dtype))
            return k;
    }
    return NULL;
}

/* indices i < half with 2 pi base^(2i/n) > limit, by the closed form i > (n/2) ln(limit / 2 pi)
 * / ln(base) */
static int beyond_by_hand(double base, int n, double limit)
{
    const double two_pi = 6.283185307179586476925286766559;
    const double first = (n / 2) * log(limit / two_pi) / log(base);
    int i0 = (int)floor(first) + 1;
    i0 = i0 < 0 ? 0 : i0;
    return i0 < n / 2 ? n / 2 - i0 : 0;
}

static void check_wavelengths(const analysis_record *r)
{
    const double two_pi = 6.283185307179586476925286766559;
    const analysis_wavelengths *a = find_wl(r, "llama-3-8b"), *b = find_wl(r, "llama-3.1-8b");
    CHECK(a && b, "wavelength records missing");
    if (!a || !b)
        return;
    int off = 0;
    for (int i = 0; i < a->n_freqs; i++) {
        const double want = two_pi * pow(5e5, 2.0 * i / 128.0);
        off += !(fabs(a->wavelength[i] - want) <= 1e-12 * want &&
                 a->wavelength_unscaled[i] == a->wavelength[i]);
    }
    const int hand = beyond_by_hand(5e5, 128, 8192.0);
    CHECK(a->n_freqs == 64 && off == 0 && a->context == 8192 && a->context_original == 8192,
          "llama-3-8b: %d frequencies, %d off 2 pi 5e5^(2i/128), context %lld / %lld",
          (int)a->n_freqs, off, (long long)a->context, (long long)a->context_original);
    CHECK(a->n_beyond_context == hand && a->n_beyond_original == hand,
          "llama-3-8b: %d and %d beyond 8192, by hand %d", (int)a->n_beyond_context,
          (int)a->n_beyond_original, hand);

    int kept = 0, stretched = 0, between = 0, bad = 0;
    for (int i = 0; i < b->n_freqs; i++) {
        const double u = b->wavelength_unscaled[i], s = b->wavelength[i];
        bad += !(fabs(u - a->wavelength[i]) <= 1e-12 * u);
        if (u < 8192.0 / 4.0)
            kept += fabs(s - u) <= 1e-12 * u, bad += !(fabs(s - u) <= 1e-12 * u);
        else if (u > 8192.0)
            stretched += 1, bad += !(fabs(s - 8 * u) <= 1e-12 * s);
        else
            between += 1, bad += !(s > u && s < 8 * u);
    }
    CHECK(bad == 0 && kept > 0 && stretched > 0 && between > 0,
          "llama-3.1-8b: %d wavelengths off the llama3 rule (%d kept, %d x8, %d between)", bad,
          kept, stretched, between);
    CHECK(b->n_beyond_original == hand && b->context_original == 8192,
          "llama-3.1-8b: %d unscaled beyond L0 = 8192, by hand %d", (int)b->n_beyond_original,
          hand);
    const int hand_ctx = beyond_by_hand(5e5, 128, 131072.0 / 8.0);
    CHECK(b->n_beyond_context == hand_ctx && b->context == 131072,
          "llama-3.1-8b: %d beyond 131072, by hand %d", (int)b->n_beyond_context, hand_ctx);

    const analysis_wavelengths *s = find_wl(r, "sin-16");
    CHECK(s && s->context == ANALYZE_SINUSOIDAL_CONTEXT && s->n_freqs == 8 &&
              s->n_beyond_context == beyond_by_hand(10000.0, 16, ANALYZE_SINUSOIDAL_CONTEXT),
          "sin-16: wavelengths against the default context");
}

/* Every pair of rows compared: the smallest position equal to an earlier one, that one, and
 * how many positions equal an earlier one. */
static void brute_force(const posenc_plan *plan, int64_t n, int64_t *onset, int64_t *partner,
                        uint64_t *count)
{
    const posenc_params *p = posenc_plan_params(plan);
    const size_t row = posenc_plan_row_size(plan) * (p->dtype == POSENC_DTYPE_F32 ? 4 : 2);
    unsigned char *rows = harness_xmalloc((size_t)n * row);
    int64_t *pos = harness_xmalloc((size_t)n * sizeof *pos);
    for (int64_t t = 0; t < n; t++)
        pos[t] = t;
    CHECK_CODE(posenc_encode(plan, pos, (size_t)n, rows), POSENC_OK);
    *onset = *partner = -1;
    *count = 0;
    for (int64_t j = 1; j < n; j++)
        for (int64_t i = 0; i < j; i++)
            if (!memcmp(rows + (size_t)i * row, rows + (size_t)j * row, row)) {
                if (*onset < 0) {
                    *onset = j;
                    *partner = i;
                }
                ++*count;
                break;
            }
    free(rows);
    free(pos);
}

static const posenc_angle_mode modes[4] = {POSENC_ANGLE_EXACT, POSENC_ANGLE_FP32,
                                           POSENC_ANGLE_BF16, POSENC_ANGLE_FP16};
static const posenc_dtype dtypes[3] = {POSENC_DTYPE_F32, POSENC_DTYPE_BF16, POSENC_DTYPE_F16};

/* the record of (model, impl, mode, dtype) against brute force on the same plan */
static void check_against_brute(const analysis_record *r, const analyze_model *m,
                                const posenc_impl *impl, posenc_angle_mode mode,
                                posenc_dtype dtype, int64_t limit)
{
    const char *mode_name = accuracy_mode_name(mode), *dt = posenc_dtype_name(dtype);
    const analysis_collisions *k =
        find_col(r, m->key, impl ? impl->name : NULL, mode_name, dt);
    CHECK(k != NULL, "%s %s %s: no collision record", m->key, mode_name, dt);
    if (!k)
        return;
    posenc_params p = m->params;
    p.angle_mode = mode;
    p.dtype = dtype;
    posenc_plan *plan = NULL;
    CHECK_CODE(posenc_plan_create(impl, &p, &plan), POSENC_OK);
    if (!plan)
        return;
    int64_t n = m->context < limit ? m->context : limit;
    n = n < posenc_plan_max_pos(plan) ? n : posenc_plan_max_pos(plan);
    int64_t onset, partner;
    uint64_t count;
    brute_force(plan, n, &onset, &partner, &count);
    CHECK(!strcmp(k->implementation, posenc_plan_impl(plan)->name) && k->scanned == n &&
              k->onset == onset && k->onset_partner == partner && k->n_colliding == count,
          "%s %s %s %s: scan of %lld: onset %lld = %lld, count %llu; brute force of %lld: "
          "onset %lld = %lld, count %llu",
          m->key, k->implementation, mode_name, dt, (long long)k->scanned, (long long)k->onset,
          (long long)k->onset_partner, (unsigned long long)k->n_colliding, (long long)n,
          (long long)onset, (long long)partner, (unsigned long long)count);
    posenc_plan_destroy(plan);
}

int main(int argc, char **argv)
{
    harness_set_name("test_analyze_resolution");
    if (tests_parse_quick(argc, argv, "test_analyze_resolution") < 0)
        return 2;
    const posenc_impl *design = posenc_impl_find("rotary/recipe-recurrence");
    CHECK(design != NULL && (design->flags & POSENC_IMPL_DESIGN),
          "rotary/recipe-recurrence is not a design");

    analyze_model models[8];
    size_t n = 0;
    models[n++] = test_rotary_setting("llama-3-8b", "none", 128, 0, 5e5, 8192);
    analyze_model l31 = test_rotary_setting("llama-3.1-8b", "llama3", 128, 0, 5e5, 131072);
    l31.params.scaling.type = POSENC_SCALING_LLAMA3;
    l31.params.scaling.factor = 8.0;
    l31.params.scaling.original_max_positions = 8192;
    l31.params.scaling.low_freq_factor = 1.0;
    l31.params.scaling.high_freq_factor = 4.0;
    l31.context_original = 8192;
    models[n++] = l31;
    /* one frequency (w = 1): a row is (cos p, sin p), which 8 bits resolve poorly */
    models[n++] = test_rotary_setting("one-freq", "none", 2, 0, 10000.0, 2048);
    analyze_model yarn = test_rotary_setting("one-freq-yarn", "yarn", 2, 0, 10000.0, 2048);
    yarn.params.scaling.type = POSENC_SCALING_YARN;
    yarn.params.scaling.factor = 2.0;
    yarn.params.scaling.original_max_positions = 1024;
    yarn.context_original = 1024;
    models[n++] = yarn;
    models[n++] = test_rotary_setting("head-64", "none", 64, 0, 10000.0, 8192);
    models[n++] = test_sinusoidal_setting("sin-16", 16, 0); /* ANALYZE_SINUSOIDAL_CONTEXT */
    models[n++] = test_sinusoidal_setting("sin-2", 2, 2048);

    const posenc_impl *impls[1] = {design};
    analyze_config c;
    memset(&c, 0, sizeof c);
    c.n_models = n;
    c.models = models;
    c.n_impls = design ? 1 : 0;
    c.impls = impls;
    c.n_modes = 4;
    memcpy(c.modes, modes, sizeof modes);
    c.n_dtypes = 3;
    memcpy(c.dtypes, dtypes, sizeof dtypes);
    c.collision_limit = 2100; /* past 2048 for fp16 angles; below head-64's context */
    c.seed = 1;

    analysis_record r;
    analysis_record_init(&r);
    CHECK(analyze_run_resolution(&c, &r) == 0, "analyze_run_resolution failed");

    /* 1. */
    check_wavelengths(&r);

    /* 2. every type and angle mode of the settings made to collide, and the design */
    for (int d = 0; d < 3; d++)
        for (int a = 0; a < 4; a++) {
            check_against_brute(&r, &models[2], NULL, modes[a], dtypes[d], c.collision_limit);
            check_against_brute(&r, &models[6], NULL, modes[a], dtypes[d], c.collision_limit);
        }
    for (int d = 0; design && d < 3; d++)
        check_against_brute(&r, &models[2], design, POSENC_ANGLE_FP32, dtypes[d],
                            c.collision_limit);
    check_against_brute(&r, &models[4], NULL, POSENC_ANGLE_FP16, POSENC_DTYPE_F32,
                        c.collision_limit);

    const analysis_collisions *bf = find_col(&r, "one-freq", NULL, "exact", "bf16");
    const analysis_collisions *f32 = find_col(&r, "one-freq", NULL, "exact", "f32");
    CHECK(bf && f32 && bf->onset >= 0 && (f32->onset < 0 || f32->onset > bf->onset),
          "one-freq, exact angles: bf16 rows collide from %lld, f32 rows from %lld",
          bf ? (long long)bf->onset : -2, f32 ? (long long)f32->onset : -2);
    CHECK(bf && f32 && bf->n_colliding > f32->n_colliding,
          "one-freq: %llu bf16 rows collide, %llu f32 rows",
          bf ? (unsigned long long)bf->n_colliding : 0,
          f32 ? (unsigned long long)f32->n_colliding : 0);

    const analysis_collisions *h16 = find_col(&r, "head-64", NULL, "fp16", "f32");
    const analysis_collisions *hx = find_col(&r, "head-64", NULL, "exact", "f32");
    CHECK(h16 && h16->scanned == 2100 && h16->onset == 2049 && h16->onset_partner == 2048,
          "head-64, fp16 angles: onset %lld = %lld in %lld (expected 2049 = 2048 in 2100)",
          h16 ? (long long)h16->onset : -2, h16 ? (long long)h16->onset_partner : -2,
          h16 ? (long long)h16->scanned : -2);
    CHECK(hx && hx->onset == -1 && hx->n_colliding == 0, "head-64, exact angles: rows collide");

    /* the design cannot take yarn: left out, said so */
    int left_out = 0;
    for (size_t i = 0; i < r.n_skipped; i++)
        left_out += strstr(r.skipped[i].what, "one-freq-yarn") &&
                    strstr(r.skipped[i].what, "recipe-recurrence");
    CHECK(left_out == 1, "recurrence with yarn recorded as left out %d times, not once",
          left_out);
    CHECK(find_col(&r, "one-freq-yarn", NULL, "exact", "f32") != NULL,
          "one-freq-yarn: no record of the dispatch's implementation");

    /* one record per setting x type x mode, and the design's on the 3 unscaled rotary ones */
    const size_t want = 7 * 3 * 4 + 3 * 3;
    CHECK(r.n_collisions == want, "%zu collision records, expected %zu", r.n_collisions, want);
    CHECK(r.n_wavelengths == 7, "%zu wavelength records, expected 7", r.n_wavelengths);

    analysis_record_free(&r);
    return tests_exit_code("test_analyze_resolution");
}
