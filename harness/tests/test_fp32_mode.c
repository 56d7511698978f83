/* test_fp32_mode.c - the recipe angle modes (fp32, and the half-precision bf16 and fp16) of every
 * supported sinusoidal and rotary implementation equal the independent MPFR reference of the
 * recipe (fp32_recipe) bit for bit, and their error against the exact oracle is what each recipe
 * costs: printed for the release note, beside exact mode's, at positions 2048, 1e5 and 1e6.
 *
 * The RoPE scaling variants (ntk, dynamic, yarn, llama3, longrope: fp32_recipe_init_params) run
 * through the same comparison on rotary shapes. fp16 mode's position limit (posenc.h,
 * POSENC_ANGLE_FP16) is checked against the first position whose reference angle is not finite.
 *
 * Bits are compared as uint32, so -0.0 against 0.0 and NaN payloads count as differences.
 * --quick (or POSENC_TEST_QUICK=1) keeps every dim, base and pairing with fewer positions. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "design_skip.h"
#include "float_bits.h"
#include "error_units.h"
#include "fp32_recipe.h"
#include "harness_util.h"
#include "oracle.h"
#include "posenc.h"
#include "sample_grid.h"
#include "test_shape.h"

static int quick;

/* The angle mode under test, and the reference's recipe of it. */
static posenc_angle_mode mode = POSENC_ANGLE_FP32;

static const char *mode_name(posenc_angle_mode m)
{
    return m == POSENC_ANGLE_EXACT ? "exact" : m == POSENC_ANGLE_FP32 ? "fp32"
                                             : m == POSENC_ANGLE_BF16 ? "bf16" : "fp16";
}

static fp32_recipe_angle_kind recipe_kind(posenc_angle_mode m)
{
    return m == POSENC_ANGLE_BF16 ? FP32_RECIPE_BF16
           : m == POSENC_ANGLE_FP16 ? FP32_RECIPE_FP16 : FP32_RECIPE_FP32;
}

static sample_rng rng = {UINT64_C(0xf32f32f32)};

/* Positions where the recipe is interesting: 0 (sin must be +0.0), small ones, 2048 (the
 * gpt-neox fp16 bug's context), 1e4..1e7 where its error grows, 2^11 + 1 and 4097 (the first
 * integers binary16 rounds), 65519 (fp16's last position), 2^24 +- 1 where (float)p starts to
 * round (2^24 + 1 becomes 2^24), the top. Positions past a plan's limit are left out. */
static const int64_t fixed_full[] = {0,        1,        2,        3,        2048,     2049,
                                     4097,     10000,    65519,    100000,   1000000,  10000000,
                                     16777215, 16777216, 16777217, 16777219, 2147483647,
                                     2147483646, 100000000};
static const int64_t fixed_quick[] = {0, 1, 2048, 2049, 10000, 65519, 100000, 1000000,
                                      10000000, 16777217, 2147483647};

static int64_t positions[32];
static size_t n_positions;

/* run_variant's RoPE scaling (ntk, dynamic, yarn, llama3, longrope), else NULL: plans and the
   reference then take it instead of linear scaling by `scale`. */
static const posenc_scaling *variant;

/* The reference for one (base, n, scale): sin and cos of every frequency at every position. */
typedef struct ref_table {
    fp32_recipe rec;
    float *s, *c; /* [k * n_freq + i] */
} ref_table;

static int ref_build(ref_table *t, double base, int32_t n, double scale)
{
    posenc_params q = posenc_params_default(POSENC_ROTARY, n);
    q.base = base;
    if (variant)
        q.scaling = *variant;
    if (variant ? fp32_recipe_init_params(&t->rec, &q) : fp32_recipe_init(&t->rec, base, n, scale))
        return -1;
    fp32_recipe_set_angle(&t->rec, recipe_kind(mode));
    size_t h = t->rec.n_freq;
    t->s = harness_xmalloc(n_positions * h * sizeof *t->s);
    t->c = harness_xmalloc(n_positions * h * sizeof *t->c);
    for (size_t k = 0; k < n_positions; k++)
        for (size_t i = 0; i < h; i++)
            fp32_recipe_sincos(&t->rec, i, positions[k], &t->s[k * h + i], &t->c[k * h + i]);
    return 0;
}

static void ref_free(ref_table *t)
{
    fp32_recipe_free(&t->rec);
    free(t->s);
    free(t->c);
}

static posenc_plan *make_plan(const posenc_impl *impl, const shape *sh, double base, double scale,
                              posenc_angle_mode am)
{
    posenc_params prm = shape_params(sh, base, scale, am);
    if (variant)
        prm.scaling = *variant;
    shape_bound_table(impl, &prm);
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(impl, &prm, &plan);
    CHECK(rc == POSENC_OK, "%s: plan dim %d rotary_dim %d base %g scale %g: %s (%s)", impl->name,
          sh->dim, sh->rotary_dim, base, scale, posenc_strerror(rc), posenc_last_error());
    return rc == POSENC_OK ? plan : NULL;
}

static unsigned long long compared, mismatched;

/* One report per (impl, shape), the first few differing values spelled out. */
static void mismatch(const posenc_impl *impl, const shape *sh, double base, double scale,
                     const char *what, int64_t p, size_t i, float got, float want, size_t *bad)
{
    if (*bad < 3)
        fprintf(stderr,
                "%s: %s mode %s differs from the recipe: dim %d rotary_dim %d %s base %g "
                "scale %g p %" PRId64 " i %zu: got %.9g (0x%08x) want %.9g (0x%08x)\n",
                impl->name, mode_name(mode), what, sh->dim, sh->rotary_dim, pairing_name(sh->pairing), base, scale,
                p, i, (double)got, (unsigned)bits_of(got), (double)want, (unsigned)bits_of(want));
    (*bad)++;
}

static void check_shape(const posenc_impl *impl, const shape *sh, double base, double scale,
                        const ref_table *ref)
{
    posenc_plan *plan = make_plan(impl, sh, base, scale, mode);
    if (!plan)
        return;
    int64_t max_pos = posenc_plan_max_pos(plan);
    size_t row = posenc_plan_row_size(plan), h = ref->rec.n_freq;
    size_t dim = (size_t)sh->dim;
    int rot = sh->kind == POSENC_ROTARY, inter = sh->pairing == POSENC_PAIR_INTERLEAVED;
    int64_t *pos = harness_xmalloc(n_positions * sizeof *pos);
    size_t *kk = harness_xmalloc(n_positions * sizeof *kk);
    size_t k = 0; /* the positions this plan accepts, and their rows in the reference */
    size_t m = sample_take_below(positions, n_positions, &k, max_pos, n_positions, pos, kk);
    float *out = harness_xmalloc(m * row * sizeof *out);
    float *x = harness_xmalloc(m * dim * sizeof *x), *x0 = harness_xmalloc(m * dim * sizeof *x0);
    size_t bad = 0;
    int approx = (impl->flags & POSENC_IMPL_APPROX_SINCOS) != 0;

    int rc = posenc_encode(plan, pos, m, out);
    CHECK(rc == POSENC_OK, "%s: encode: %s", impl->name, posenc_strerror(rc));
    for (size_t q = 0; rc == POSENC_OK && q < m; q++) {
        const float *o = out + q * row;
        for (size_t i = 0; i < h; i++) {
            float ws = ref->s[kk[q] * h + i], wc = ref->c[kk[q] * h + i];
            size_t si = rot ? h + i : inter ? 2 * i : i;
            size_t ci = rot ? i : inter ? 2 * i + 1 : h + i;
            compared += 2;
            if (approx) { /* SLEEF: the recipe's angle, SLEEF's sin/cos of it, times the
                             attention factor af (rounded: half an ulp, <= 2^-24 |value|) */
                float af = ref->rec.attention_f;
                double bs = ERR_VALUE_BOUND_U * ERR_U * af + (af != 1.0f ? fabsf(ws) * ERR_U : 0);
                double bc = ERR_VALUE_BOUND_U * ERR_U * af + (af != 1.0f ? fabsf(wc) * ERR_U : 0);
                if (fabsf(o[si] - ws) > bs)
                    mismatch(impl, sh, base, scale, "sin", pos[q], i, o[si], ws, &bad);
                if (fabsf(o[ci] - wc) > bc)
                    mismatch(impl, sh, base, scale, "cos", pos[q], i, o[ci], wc, &bad);
                continue;
            }
            if (bits_of(o[si]) != bits_of(ws))
                mismatch(impl, sh, base, scale, "sin", pos[q], i, o[si], ws, &bad);
            if (bits_of(o[ci]) != bits_of(wc))
                mismatch(impl, sh, base, scale, "cos", pos[q], i, o[ci], wc, &bad);
        }
    }

    /* apply: x + PE (sinusoidal) or the rotation formula with the recipe's cos and sin. An
       approximate sin/cos cannot match those bits; test_accuracy checks its apply against its
       own encode instead. */
    for (size_t e = 0; e < m * dim && !approx; e++)
        x0[e] = sample_rng_input(&rng);
    memcpy(x, x0, m * dim * sizeof *x);
    rc = approx ? POSENC_ERR_ARGUMENT : posenc_apply(plan, pos, m, x, NULL);
    CHECK(approx || rc == POSENC_OK, "%s: apply: %s", impl->name, posenc_strerror(rc));
    for (size_t q = 0; rc == POSENC_OK && q < m; q++) {
        const float *in = x0 + q * dim, *o = x + q * dim;
        for (size_t i = 0; i < h; i++) {
            float s = ref->s[kk[q] * h + i], c = ref->c[kk[q] * h + i];
            if (rot) {
                size_t ia = inter ? 2 * i : i, ib = inter ? 2 * i + 1 : i + h;
                volatile float ac = in[ia] * c, bs = in[ib] * s, as = in[ia] * s,
                               bc = in[ib] * c;
                volatile float ra = ac - bs, rb = as + bc;
                compared += 2;
                if (bits_of(o[ia]) != bits_of(ra))
                    mismatch(impl, sh, base, scale, "apply a", pos[q], i, o[ia], ra, &bad);
                if (bits_of(o[ib]) != bits_of(rb))
                    mismatch(impl, sh, base, scale, "apply b", pos[q], i, o[ib], rb, &bad);
            } else {
                size_t si = inter ? 2 * i : i, ci = inter ? 2 * i + 1 : h + i;
                volatile float rs = in[si] + s, rc2 = in[ci] + c;
                compared += 2;
                if (bits_of(o[si]) != bits_of(rs))
                    mismatch(impl, sh, base, scale, "apply sin", pos[q], i, o[si], rs, &bad);
                if (bits_of(o[ci]) != bits_of(rc2))
                    mismatch(impl, sh, base, scale, "apply cos", pos[q], i, o[ci], rc2, &bad);
            }
        }
        if (rot)
            CHECK(memcmp(in + 2 * h, o + 2 * h, (dim - 2 * h) * sizeof *o) == 0,
                  "%s: apply changed elements past rotary_dim", impl->name);
    }
    mismatched += bad;
    CHECK(bad == 0, "%s: %s mode: %zu values differ from the recipe (dim %d rotary_dim %d %s "
          "base %g scale %g)", impl->name, mode_name(mode), bad, sh->dim, sh->rotary_dim,
          pairing_name(sh->pairing), base, scale);
    posenc_plan_destroy(plan);
    free(pos);
    free(kk);
    free(out);
    free(x);
    free(x0);
}

static const int32_t dims[] = {2, 64, 80, 96, 128, 256, 512, 768, 1024, 4096, 8192};
static const double bases[] = {1e4, 5e5, 1e6};

/* Every shape whose frequencies are those of n, for all supported implementations. */
static void run_group(double base, int32_t n, double scale, int with_full, int with_partial)
{
    ref_table ref;
    int rc = ref_build(&ref, base, n, scale);
    CHECK(rc == 0, "recipe for base %g n %d", base, n);
    if (rc)
        return;
    shape shapes[8];
    size_t ns = 0;
    static const posenc_pairing pairings[] = {POSENC_PAIR_INTERLEAVED, POSENC_PAIR_HALF};
    for (int q = 0; q < 2; q++) {
        if (with_full) {
            shapes[ns++] = (shape){POSENC_SINUSOIDAL, n, 0, pairings[q]};
            shapes[ns++] = (shape){POSENC_ROTARY, n, n, pairings[q]};
        }
        if (with_partial && n == 32)
            shapes[ns++] = (shape){POSENC_ROTARY, 128, 32, pairings[q]}; /* Pythia */
        if (with_partial && n == 64)
            shapes[ns++] = (shape){POSENC_ROTARY, 256, 64, pairings[q]}; /* GPT-J */
    }
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (!posenc_impl_supported(impl))
            continue;
        for (size_t q = 0; q < ns; q++)
            if (shapes[q].kind == impl->kind)
                check_shape(impl, &shapes[q], base, scale, &ref);
    }
    ref_free(&ref);
}

/* The RoPE scaling variants on rotary_dim 128 (and 96 for Phi-3's longrope), both pairings,
 * every implementation: each type's float steps (posenc.h, POSENC_ANGLE_FP32) and the attention
 * factor's multiply. test_variants adds M-RoPE and the image prompt. */
static void run_variants(void)
{
    static double lr_short[48], lr_long[48];
    for (int i = 0; i < 48; i++) {
        lr_short[i] = 1.05 + i / 20.0;
        lr_long[i] = 1.03 + i * 1.35;
    }
    static const struct {
        double base;
        int32_t n;
        posenc_scaling s;
    } variants[] = {
        {1e4, 128, {.type = POSENC_SCALING_NTK, .factor = 4.0}},
        {1e4, 128, {.type = POSENC_SCALING_DYNAMIC, .factor = 2.0,
                    .original_max_positions = 4096, .seq_len = 16384}},
        {1e6, 128, {.type = POSENC_SCALING_YARN, .factor = 4.0, .original_max_positions = 32768}},
        {1e4, 64, {.type = POSENC_SCALING_YARN, .factor = 40.0, .original_max_positions = 4096,
                   .mscale = 0.707, .mscale_all_dim = 1.0}},
        {1.5e5, 64, {.type = POSENC_SCALING_YARN, .factor = 32.0, .original_max_positions = 4096,
                     .no_truncate = 1}},
        {5e5, 128, {.type = POSENC_SCALING_LLAMA3, .factor = 8.0, .original_max_positions = 8192,
                    .low_freq_factor = 1.0, .high_freq_factor = 4.0}},
        {1e4, 96, {.type = POSENC_SCALING_LONGROPE, .factor = 32.0,
                   .original_max_positions = 4096, .seq_len = 4096, .short_factor = lr_short,
                   .long_factor = lr_long}},
        {1e4, 96, {.type = POSENC_SCALING_LONGROPE, .factor = 32.0,
                   .original_max_positions = 4096, .seq_len = 131072, .short_factor = lr_short,
                   .long_factor = lr_long}},
    };
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        variant = &variants[v].s;
        ref_table ref;
        int rc = ref_build(&ref, variants[v].base, variants[v].n, 1.0);
        CHECK(rc == 0, "recipe of scaling type %d", (int)variant->type);
        for (size_t ii = 0; rc == 0 && ii < posenc_impl_count(); ii++) {
            const posenc_impl *impl = posenc_impl_at(ii);
            if (tests_skip_design(impl))
                continue;
            if (!posenc_impl_supported(impl) || impl->kind != POSENC_ROTARY)
                continue;
            for (int q = 0; q < 2; q++) {
                shape sh = {POSENC_ROTARY, variants[v].n, variants[v].n,
                            q ? POSENC_PAIR_HALF : POSENC_PAIR_INTERLEAVED};
                check_shape(impl, &sh, variants[v].base, 1.0, &ref);
            }
        }
        if (rc == 0)
            ref_free(&ref);
    }
    variant = NULL;
}

/* ---- what the recipe costs: fp32 and exact mode against the oracle ------------------------- */

/* Max over frequencies of |encode - oracle| at one position; *where gets the frequency. */
static double max_err(posenc_plan *plan, const oracle_table *t, size_t k, int32_t *where)
{
    const posenc_params *prm = posenc_plan_params(plan);
    size_t row = posenc_plan_row_size(plan), h = (size_t)t->n / 2;
    float *out = harness_xmalloc(row * sizeof *out);
    double worst = 0.0;
    *where = -1;
    int rc = posenc_encode(plan, &t->pos[k], 1, out);
    CHECK(rc == POSENC_OK, "encode: %s", posenc_strerror(rc));
    int rot = prm->kind == POSENC_ROTARY, inter = prm->pairing == POSENC_PAIR_INTERLEAVED;
    for (size_t i = 0; rc == POSENC_OK && i < h; i++) {
        size_t si = rot ? h + i : inter ? 2 * i : i, ci = rot ? i : inter ? 2 * i + 1 : h + i;
        double e = fmax(fabs(out[si] - oracle_table_sin(t, k, (int32_t)i)),
                        fabs(out[ci] - oracle_table_cos(t, k, (int32_t)i)));
        if (!(e <= worst)) {
            worst = e;
            *where = (int32_t)i;
        }
    }
    free(out);
    return worst;
}

/* The error of each angle mode at a few positions, max over the frequencies of dim 128, base
 * 1e4 (Llama-2-7B's heads), beside exact mode's: the figures of the release note. A mode whose
 * plan refuses the position (fp16 from 65520) prints the reason instead; the reference recipe
 * itself is printed too, NaN where its fp16 angle is inf. */
static void recipe_cost(void)
{
    static const int64_t where[] = {2048, 10000, 65519, 100000, 1000000, 10000000};
    enum { N_WHERE = sizeof where / sizeof where[0] };
    static const posenc_angle_mode modes[] = {POSENC_ANGLE_EXACT, POSENC_ANGLE_FP32,
                                              POSENC_ANGLE_BF16, POSENC_ANGLE_FP16};
    const int32_t dim = 128;
    int32_t all[64];
    for (int32_t i = 0; i < 64; i++)
        all[i] = i;
    oracle_table t;
    int rc = oracle_table_build(&t, 1e4, dim, 1.0, where, N_WHERE, all, 64, 0);
    CHECK(rc == 0, "oracle table");
    if (rc)
        return;
    printf("\nerror against the exact oracle, dim %d base 1e4, max |sin|, |cos| error over the %d "
           "frequencies (absolute; u = 2^-24):\n", dim, dim / 2);
    printf("  %-24s %10s %12s %12s %12s %12s\n", "implementation", "position", "exact", "fp32",
           "bf16", "fp16");
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (!posenc_impl_supported(impl) ||
            (impl->kind != POSENC_SINUSOIDAL && impl->kind != POSENC_ROTARY))
            continue;
        shape sh = {impl->kind, dim, dim, impl->kind == POSENC_ROTARY ? POSENC_PAIR_HALF
                                                                      : POSENC_PAIR_INTERLEAVED};
        posenc_plan *pl[4];
        int ok = 1;
        for (int m = 0; m < 4; m++)
            ok &= (pl[m] = make_plan(impl, &sh, 1e4, 1.0, modes[m])) != NULL;
        for (size_t k = 0; ok && k < N_WHERE; k++) {
            if (where[k] >= posenc_plan_max_pos(pl[0]))
                continue;
            double e[4];
            int32_t w[4];
            printf("  %-24s %10" PRId64, impl->name, where[k]);
            for (int m = 0; m < 4; m++) {
                e[m] = NAN;
                if (where[k] < posenc_plan_max_pos(pl[m])) {
                    e[m] = max_err(pl[m], &t, k, &w[m]);
                    printf(" %12.4g", e[m]);
                } else {
                    printf(" %12s", "(POSITION)");
                }
            }
            printf("\n");
            /* Exact mode forms the phase in fixed point, so its error does not grow with p. */
            CHECK(e[0] <= ERR_VALUE_BOUND_U * ERR_U,
                  "%s: exact mode error %.3g u at p %" PRId64 " exceeds %g u", impl->name,
                  e[0] / ERR_U, where[k], ERR_VALUE_BOUND_U);
            /* The recipe rounds the angle p * inv_f to float: near 1e6 the spacing of floats
               is 2^-4, so the angle is off by up to 2^-5 from rounding alone, plus p * w *
               2^-24 (about 0.05) from inv_f's own rounding. Errors near 6e-2 are the expected
               cost; anything under 1e-3 would mean the mode is not the recipe. */
            if (where[k] == 1000000)
                CHECK(e[1] > 1e-3, "%s: fp32 mode error at p 1e6 is only %.3g: not the recipe",
                      impl->name, e[1]);
            /* At 2048 a bf16 angle has 8 bits (spacing 8 above 1024 rad) and an fp16 one 11
               (spacing 1) with inv_h off by up to 2^-12 relative: both are far off. */
            if (where[k] == 2048)
                CHECK(e[2] > 0.1 && e[3] > 0.1, "%s: at p 2048 bf16 %.3g, fp16 %.3g: not the "
                      "half recipes", impl->name, e[2], e[3]);
        }
        for (int m = 0; m < 4; m++)
            posenc_plan_destroy(pl[m]);
    }
    /* The references themselves, independent of any implementation. */
    fp32_recipe rec;
    if (fp32_recipe_init(&rec, 1e4, dim, 1.0) == 0) {
        for (size_t k = 0; k < N_WHERE; k++) {
            printf("  %-24s %10" PRId64 " %12s", "(recipe references)", where[k], "");
            for (int m = 1; m < 4; m++) {
                fp32_recipe_set_angle(&rec, recipe_kind(modes[m]));
                double worst = 0;
                for (int32_t i = 0; i < dim / 2; i++) {
                    float s, c;
                    fp32_recipe_sincos(&rec, (size_t)i, where[k], &s, &c);
                    double e = fmax(fabs(s - oracle_table_sin(&t, k, i)),
                                    fabs(c - oracle_table_cos(&t, k, i)));
                    worst = isnan(e) ? NAN : isnan(worst) ? worst : fmax(worst, e);
                }
                printf(" %12.4g", worst);
            }
            printf("\n");
        }
        fp32_recipe_free(&rec);
    }
    oracle_table_free(&t);
}

/* Every fp16 angle of the reference finite at position p. */
static int ref_all_finite(const fp32_recipe *rec, int64_t p)
{
    for (size_t i = 0; i < rec->n_freq; i++)
        if (!isfinite(fp32_recipe_angle(rec, i, p)))
            return 0;
    return 1;
}

/* fp16 mode's position limit: the first position at which some frequency's reference angle is
 * not finite; every position below it encodes, that one fails with POSITION and writes nothing.
 * Plain RoPE (every inv_h <= 1: 65520), and longrope with factors below 1 (inv_h up to 4096),
 * whose limit is lower; a factor below 1/65520 makes even position 0 inf: ARGUMENT. */
static void fp16_limit(void)
{
    static double lr_small[32], lr_tiny[32];
    for (int i = 0; i < 32; i++) {
        lr_small[i] = i == 0 ? 1.0 / 4096.0 : 1.0;
        lr_tiny[i] = i == 0 ? 1e-6 : 1.0; /* inv_0 = 1e6 */
    }
    static const struct {
        posenc_scaling s;
        int64_t want; /* 0: ARGUMENT; -1: below 65520, found by bisection */
    } cases[] = {
        {{.type = POSENC_SCALING_NONE, .factor = 1.0}, 65520},
        {{.type = POSENC_SCALING_LINEAR, .factor = 4.0}, 65520},
        {{.type = POSENC_SCALING_LONGROPE, .factor = 1.0, .original_max_positions = 4096,
          .short_factor = lr_small, .long_factor = lr_small}, -1},
        {{.type = POSENC_SCALING_LONGROPE, .factor = 1.0, .original_max_positions = 4096,
          .short_factor = lr_tiny, .long_factor = lr_tiny}, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        posenc_params prm = posenc_params_default(POSENC_ROTARY, 64);
        prm.angle_mode = POSENC_ANGLE_FP16;
        prm.scaling = cases[c].s;
        fp32_recipe rec;
        int rc = fp32_recipe_init_params(&rec, &prm);
        CHECK(rc == 0, "fp16 limit case %zu: reference", c);
        if (rc)
            continue;
        fp32_recipe_set_angle(&rec, FP32_RECIPE_FP16);
        /* the reference's angles at p: all finite? (The angle grows with p, so the limit L is
           the one position with every angle finite at L - 1 and not at L.) */
        int64_t want = cases[c].want;
        if (want < 0) { /* longrope's small factor: the reference's own limit, by bisection */
            int64_t lo = 0, hi = 65520;
            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;
                *(ref_all_finite(&rec, mid) ? &lo : &hi) = mid;
            }
            want = hi;
            CHECK(want < 65520, "fp16 limit case %zu: an inv_h of 4096 leaves the limit at %lld",
                  c, (long long)want);
        }
        CHECK(want == 0 ? !ref_all_finite(&rec, 0)
                        : ref_all_finite(&rec, want - 1) && !ref_all_finite(&rec, want),
              "fp16 limit case %zu: the reference's angles are not all finite below %lld and "
              "not inf at it", c, (long long)want);
        for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
            const posenc_impl *impl = posenc_impl_at(ii);
            if (tests_skip_design(impl))
                continue;
            if (!posenc_impl_supported(impl) || impl->kind != POSENC_ROTARY)
                continue;
            posenc_params q = prm;
            q.max_positions = 0; /* a table plan builds its rows up to the limit, at most */
            posenc_plan *plan = NULL;
            rc = posenc_plan_create(impl, &q, &plan);
            if (want == 0) {
                CHECK(rc == POSENC_ERR_ARGUMENT, "%s: fp16 plan with an inf inv_h: %s, not "
                      "ARGUMENT", impl->name, posenc_strerror(rc));
                posenc_plan_destroy(plan);
                continue;
            }
            CHECK(rc == POSENC_OK, "%s: fp16 plan case %zu: %s (%s)", impl->name, c,
                  posenc_strerror(rc), posenc_last_error());
            if (rc)
                continue;
            int64_t lim = posenc_plan_max_pos(plan);
            int table = (impl->flags & POSENC_IMPL_TABLE_BOUNDED) != 0;
            CHECK(table ? lim <= want : lim == want, "%s: fp16 plan limit %lld, reference %lld",
                  impl->name, (long long)lim, (long long)want);
            size_t row = posenc_plan_row_size(plan);
            float *out = harness_xmalloc(2 * row * sizeof *out);
            int64_t last[1] = {lim - 1}, past[2] = {0, lim};
            rc = posenc_encode(plan, last, 1, out);
            CHECK(rc == POSENC_OK, "%s: fp16 encode at its last position %lld: %s", impl->name,
                  (long long)last[0], posenc_strerror(rc));
            int finite = 1;
            for (size_t e = 0; rc == POSENC_OK && e < row; e++)
                finite &= isfinite(out[e]) != 0;
            CHECK(finite, "%s: fp16 encode at %lld wrote inf or NaN", impl->name,
                  (long long)last[0]);
            memset(out, 0x5a, 2 * row * sizeof *out);
            rc = posenc_encode(plan, past, 2, out);
            int untouched = 1;
            for (size_t e = 0; e < 2 * row * sizeof *out; e++)
                untouched &= ((unsigned char *)out)[e] == 0x5a;
            CHECK(rc == POSENC_ERR_POSITION && untouched,
                  "%s: fp16 encode at its limit %lld: %s, %s", impl->name, (long long)lim,
                  posenc_strerror(rc), untouched ? "nothing written" : "output written");
            free(out);
            posenc_plan_destroy(plan);
        }
        fp32_recipe_free(&rec);
    }
}

int main(int argc, char **argv)
{
    quick = tests_parse_quick(argc, argv, "test_fp32_mode");
    if (quick < 0)
        return 2;
    harness_set_name("test_fp32_mode");
    double t0 = harness_now_s();
    const int64_t *fixed = quick ? fixed_quick : fixed_full;
    size_t n_fixed = quick ? sizeof fixed_quick / sizeof fixed_quick[0]
                           : sizeof fixed_full / sizeof fixed_full[0];
    for (size_t k = 0; k < n_fixed; k++)
        positions[n_positions++] = fixed[k];
    size_t n_random = quick ? 1 : 8;
    for (size_t k = 0; k < n_random; k++)
        positions[n_positions++] = sample_rng_log_position(&rng);

    static const posenc_angle_mode recipes[] = {POSENC_ANGLE_FP32, POSENC_ANGLE_BF16,
                                                POSENC_ANGLE_FP16};
    for (size_t r = 0; r < sizeof recipes / sizeof recipes[0]; r++) {
        mode = recipes[r];
        compared = mismatched = 0;
        for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
                /* quick (sanitizers, qemu): the half recipes round the same angles at every
                   width, so they keep the shapes up to 256 wide: the MPFR reference of the
                   wider ones costs most */
                if (quick && mode != POSENC_ANGLE_FP32 && dims[d] > 256)
                    continue;
                run_group(bases[b], dims[d], 1.0, 1, dims[d] == 64);
            }
            run_group(bases[b], 32, 1.0, 0, 1);
        }
        /* linear scaling by 4: inv_f is divided by 4.0f after the recipe's own rounding */
        run_group(1e4, 128, 4.0, 1, 0);
        run_group(5e5, 128, 4.0, 1, 0);
        run_group(1e4, 64, 4.0, 0, 1);
        run_variants();
        printf("%s mode: %llu values compared bit for bit, %llu differ\n", mode_name(mode),
               compared, mismatched);
    }
    fp16_limit();
    recipe_cost();
    printf("time: %.1f s\n", harness_now_s() - t0);
    oracle_cleanup();
    return tests_exit_code("test_fp32_mode");
}
