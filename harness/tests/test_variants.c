/* test_variants.c - the RoPE scaling variants (linear, ntk, dynamic, yarn, llama3, longrope) and
 * M-RoPE on real models' settings, against the MPFR oracle's frequencies from the definitions
 * (oracle.h, nothing of the library) and the independent fp32 recipe (fp32_recipe.h):
 *   exact mode  every rotary implementation this CPU runs (the default one included): each
 *               encode value within 4u af + half an ulp of the value of af cos, af sin (4u when
 *               af = 1: no rounding of a product), each rotated pair within B u af
 *               max(|a|, |b|) + 2^-149 (B = impl->max_err_u), at every position of the grid
 *               below the plan's limit and every frequency;
 *   fp32 mode   encode and apply equal the recipe bit for bit (SLEEF implementations: within
 *               4u af + half an ulp of the recipe's values, their sin/cos being SLEEF's);
 *   bitwise     every vector implementation gives the bits of the portable one of its
 *               algorithm (posenc_impl.algorithm), both modes, encode and apply;
 *   M-RoPE      text tokens (one position on all three axes) give exactly plain RoPE's bits;
 *               an image prompt (Qwen2-VL's get_rope_index: 16 text tokens, a 28 x 28 grid with
 *               t fixed, 16 text tokens) matches the oracle per frequency at the position of
 *               its axis (exact) and the recipe (fp32);
 *   dynamic     plans for seq_len below and at L0 (and 0, meaning L0) give the unscaled plan's
 *               bits; above L0 they differ;
 *   constants   the library's derivation (core/frequencies.h) against the oracle's, one by one:
 *               each exact frequency within 2^-80 relative (the library claims about 2^-100;
 *               a double rounding where the definition has none shows as 2^-53), the attention
 *               factor the same double, the fp32 inverse frequencies the recipe's bits.
 * It prints, per variant, the attention factor, the worst exact-mode errors (u, position,
 * frequency) of the default implementation and of any implementation, and the fp32 mode's error
 * against the oracle at positions 1e5, 1e6 and 1e7: a table for the report.
 *
 * Cost and the choices that bound it. The oracle (a few microseconds a value, 10-20x more under
 * qemu) is evaluated once per variant, over every frequency and the grid of positions, and
 * shared by every implementation: the dense range 0..4095 (walked by exact rotation, cheap per
 * position), 10^k for k = 4..9, 2^k - 1, 2^k, 2^k + 1 for k <= 30 and 2^31 - 1, 64 random
 * positions in each decade from 1e3 to 2^31 and 32 log-uniform ones (as `posenc accuracy`'s
 * full sweep draws them). Variants share no table: each changes the frequencies. Fourteen
 * variants x up to 64 frequencies x about 4,700 positions take about 2 s of oracle on 2 cores,
 * the whole test about 4 s. Implementations are checked at every grid position (the table
 * implementation below its limit of 4097 rows, as test_accuracy gives it) with one head per
 * token; the fp32 recipe (MPFR sin/cos per value) at 14 positions plus 8 random ones; the
 * bitwise comparison on a sample (dense every 61st, the specials, random ones), 5 heads with
 * padding; the image prompt's 816 tokens x 3 axes. --quick (or POSENC_TEST_QUICK=1, as the
 * sanitizer and qemu stages run it) takes every 16th dense position, 2 random positions per
 * decade and 4 log-uniform ones, 6 fp32 positions (1e5, 1e6, 1e7 among them) and a smaller
 * bitwise sample: every variant, implementation and special position stays (under a second
 * natively). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "design_skip.h"
#include "float_bits.h"
#include "core/frequencies.h" /* the library's derivation, to compare constant by constant */
#include "error_units.h"
#include "fp32_recipe.h"
#include "harness_util.h"
#include "oracle.h"
#include "posenc.h"
#include "sample_grid.h"
#include "test_shape.h"

#define MAX_IMPLS 64
#define MAX_CASES 24

static int quick;
static sample_rng rng = {UINT64_C(0x7a41a7)};

/* ---- the variants: real models' settings ---------------------------------------------------- */

/* Phi-3-mini-128k (rope-models.json "phi-3-128k"): 48 = head_dim / 2 factors each, as the
   published config gives them. */
static const double phi3_long[48] = {
    1.0299999713897705, 1.0499999523162842, 1.0499999523162842, 1.0799999237060547,
    1.2299998998641968, 1.2299998998641968, 1.2999999523162842, 1.4499999284744263,
    1.5999999046325684, 1.6499998569488525, 1.8999998569488525, 2.859999895095825,
    3.68999981880188,   5.419999599456787,  5.489999771118164,  5.489999771118164,
    9.09000015258789,   11.579999923706055, 15.65999984741211,  15.769999504089355,
    15.789999961853027, 18.360000610351562, 21.989999771118164, 23.079999923706055,
    30.009998321533203, 32.35000228881836,  32.590003967285156, 35.56000518798828,
    39.95000457763672,  53.840003967285156, 56.20000457763672,  57.95000457763672,
    59.29000473022461,  59.77000427246094,  59.920005798339844, 61.190006256103516,
    61.96000671386719,  62.50000762939453,  63.3700065612793,   63.48000717163086,
    63.48000717163086,  63.66000747680664,  63.850006103515625, 64.08000946044922,
    64.760009765625,    64.80001068115234,  64.81001281738281,  64.81001281738281};
static const double phi3_short[48] = {
    1.05, 1.05, 1.05, 1.1, 1.1, 1.1, 1.2500000000000002, 1.2500000000000002, 1.4000000000000004,
    1.4500000000000004, 1.5500000000000005, 1.8500000000000008, 1.9000000000000008,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.000000000000001,
    2.000000000000001, 2.000000000000001, 2.000000000000001, 2.1000000000000005,
    2.1000000000000005, 2.2, 2.3499999999999996, 2.3499999999999996, 2.3499999999999996,
    2.3499999999999996, 2.3999999999999995, 2.3999999999999995, 2.6499999999999986,
    2.6999999999999984, 2.8999999999999977, 2.9499999999999975, 3.049999999999997,
    3.049999999999997, 3.049999999999997};

typedef struct vcase {
    const char *name;
    const char *model;
    posenc_params p; /* exact mode; the fp32 checks switch angle_mode */
} vcase;

static vcase cases[MAX_CASES];
static size_t n_cases;

static posenc_params rotary(int32_t head_dim, double base)
{
    posenc_params p = posenc_params_default(POSENC_ROTARY, head_dim);
    p.base = base;
    return p;
}

static posenc_params *add_case(const char *name, const char *model, posenc_params p)
{
    cases[n_cases] = (vcase){name, model, p};
    return &cases[n_cases++].p;
}

static void make_cases(void)
{
    posenc_params *p;
    add_case("none", "Llama-2-7B (no scaling)", rotary(128, 1e4));
    p = add_case("linear", "Llama-2-7B, factor 4", rotary(128, 1e4));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_LINEAR, .factor = 4.0};
    p = add_case("ntk", "Llama-2-7B, factor 4", rotary(128, 1e4));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_NTK, .factor = 4.0};
    p = add_case("dynamic L<L0", "Llama-2-7B, factor 2, L 2048", rotary(128, 1e4));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_DYNAMIC, .factor = 2.0,
                                  .original_max_positions = 4096, .seq_len = 2048};
    p = add_case("dynamic L>L0", "Llama-2-7B, factor 2, L 16384", rotary(128, 1e4));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_DYNAMIC, .factor = 2.0,
                                  .original_max_positions = 4096, .seq_len = 16384};
    p = add_case("yarn", "Qwen2.5-7B, factor 4", rotary(128, 1e6));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_YARN, .factor = 4.0,
                                  .original_max_positions = 32768};
    /* DeepSeek-V2-Lite: qk_rope_head_dim 64, interleaved pairs as in DeepSeek's own code */
    p = add_case("yarn mscale", "DeepSeek-V2-Lite, factor 40", rotary(64, 1e4));
    p->pairing = POSENC_PAIR_INTERLEAVED;
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_YARN, .factor = 40.0,
                                  .original_max_positions = 4096, .beta_fast = 32.0,
                                  .beta_slow = 1.0, .mscale = 0.707, .mscale_all_dim = 0.707};
    /* gpt-oss: truncate = false keeps the ramp's ends fractional */
    p = add_case("yarn no_truncate", "gpt-oss (base 150000, factor 32)", rotary(64, 150000.0));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_YARN, .factor = 32.0,
                                  .original_max_positions = 4096, .beta_fast = 32.0,
                                  .beta_slow = 1.0, .no_truncate = 1};
    p = add_case("yarn af 0.8", "Qwen2.5-7B, factor 4, attention_factor 0.8", rotary(128, 1e6));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_YARN, .factor = 4.0,
                                  .original_max_positions = 32768, .attention_factor = 0.8};
    p = add_case("llama3", "Llama-3.1-8B, factor 8", rotary(128, 5e5));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_LLAMA3, .factor = 8.0,
                                  .original_max_positions = 8192, .low_freq_factor = 1.0,
                                  .high_freq_factor = 4.0};
    p = add_case("longrope short", "Phi-3-128k, L 4096", rotary(96, 1e4));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_LONGROPE, .factor = 32.0,
                                  .original_max_positions = 4096, .seq_len = 4096,
                                  .short_factor = phi3_short, .long_factor = phi3_long};
    p = add_case("longrope long", "Phi-3-128k, L 131072", rotary(96, 1e4));
    p->scaling = (posenc_scaling){.type = POSENC_SCALING_LONGROPE, .factor = 32.0,
                                  .original_max_positions = 4096, .seq_len = 131072,
                                  .short_factor = phi3_short, .long_factor = phi3_long};
    p = add_case("mrope sections", "Qwen2-VL-7B [16,24,24]", rotary(128, 1e6));
    p->mrope = (posenc_mrope){POSENC_MROPE_SECTIONS, {16, 24, 24}};
    p = add_case("mrope interleaved", "Qwen3-VL [24,20,20] (base 5e6)", rotary(128, 5e6));
    p->mrope = (posenc_mrope){POSENC_MROPE_INTERLEAVED, {24, 20, 20}};
}

static int is_mrope(const posenc_params *p) { return p->mrope.layout != POSENC_MROPE_NONE; }

/* n tokens' positions as the plan reads them: 3 per token, axis-major, for M-RoPE (a text token
   carries p on every axis); out holds 3 n. */
static const int64_t *plan_positions(const posenc_params *p, const int64_t *pos, size_t n,
                                     int64_t *out)
{
    if (!is_mrope(p))
        return pos;
    for (int a = 0; a < 3; a++)
        memcpy(out + (size_t)a * n, pos, n * sizeof *pos);
    return out;
}

/* ---- positions ------------------------------------------------------------------------------ */

static pos_list grid;      /* the exact-mode grid, sorted */
static pos_list bit_grid;  /* the bitwise comparison's sample */
static int64_t fp32_pos[32];
static size_t n_fp32_pos;
static const int64_t report_pos[3] = {100000, 1000000, 10000000};

static void make_positions(void)
{
    sample_push_dense(&grid, quick ? 16 : 1);
    pos_list_push(&grid, SAMPLE_DENSE_END - 1);
    for (int64_t p = 10000; p < SAMPLE_POS_LIMIT; p *= 10)
        pos_list_push(&grid, p);
    sample_push_specials(&grid, 0);
    int per_decade = quick ? 2 : 64;
    for (int d = 3; d <= 9; d++) {
        double lo = pow(10.0, d), hi = fmin(pow(10.0, d + 1), (double)SAMPLE_POS_LIMIT);
        for (int k = 0; k < per_decade; k++)
            pos_list_push(&grid, (int64_t)(lo + sample_rng_unit(&rng) * (hi - lo)));
    }
    for (int k = 0; k < (quick ? 4 : 32); k++)
        pos_list_push(&grid, sample_rng_log_position(&rng));
    pos_list_sort_unique(&grid);

    sample_push_dense(&bit_grid, quick ? 257 : 61);
    sample_push_specials(&bit_grid, 0);
    for (int k = 0; k < (quick ? 4 : 16); k++)
        pos_list_push(&bit_grid, sample_rng_log_position(&rng));

    static const int64_t fixed_full[] = {0,        1,        2,        3,        4095,
                                         10000,    100000,   1000000,  10000000, 16777215,
                                         16777217, 16777219, 100000000, 2147483647};
    static const int64_t fixed_quick[] = {0, 1, 100000, 1000000, 10000000, 2147483647};
    const int64_t *fixed = quick ? fixed_quick : fixed_full;
    size_t nf = quick ? sizeof fixed_quick / sizeof *fixed_quick
                      : sizeof fixed_full / sizeof *fixed_full;
    for (size_t k = 0; k < nf; k++)
        fp32_pos[n_fp32_pos++] = fixed[k];
    for (int k = 0; k < (quick ? 0 : 8); k++)
        fp32_pos[n_fp32_pos++] = sample_rng_log_position(&rng);
}

/* ---- measures ------------------------------------------------------------------------------- */

/* Half an ulp of x as a float: the rounding of the attention factor's product. */
static double half_ulp_f(double x)
{
    x = fabs(x);
    if (x < 0x1p-126)
        return 0x1p-150;
    int e;
    frexp(x, &e); /* x = m 2^e, m in [0.5, 1): ulp = 2^(e - 24) */
    return ldexp(1.0, e - 25);
}

/* The allowed error of an exact-mode encode value want = af * (cos or sin). */
static double value_bound(double af, double want)
{
    if (af == 1.0)
        return ERR_VALUE_BOUND_U * ERR_U;
    return ERR_VALUE_BOUND_U * ERR_U * af + half_ulp_f(want);
}

typedef struct worst {
    double u;       /* the worst error, in u */
    double ratio;   /* the worst error over its bound */
    int64_t p;
    int32_t i;
    uint64_t count, bad;
} worst;

static void worst_add(worst *w, double err_u, double bound_u, int64_t p, int32_t i)
{
    w->count++;
    if (!(err_u <= w->u)) {
        w->u = err_u;
        w->p = p;
        w->i = i;
    }
    double r = err_u / bound_u;
    if (!(r <= w->ratio))
        w->ratio = r;
    if (!(err_u <= bound_u))
        w->bad++;
}

typedef struct case_result {
    double af;
    double w_rel;       /* the library's exact frequencies against the oracle's, worst */
    int w_rel_i;
    worst enc[MAX_IMPLS], app[MAX_IMPLS];
    double fp32_err[3]; /* default implementation, fp32 mode, max over frequencies */
    int fp32_err_i[3];
    uint64_t fp32_compared, fp32_differ;
    uint64_t bit_compared, bit_differ;
    int done;
} case_result;

static case_result results[MAX_CASES];
static size_t best_index = SIZE_MAX; /* posenc_impl_best(POSENC_ROTARY) in the registry */

static posenc_plan *make_plan(const posenc_impl *impl, const posenc_params *p0,
                              posenc_angle_mode mode, const char *what)
{
    posenc_params p = *p0;
    p.angle_mode = mode;
    if (impl)
        shape_bound_table(impl, &p);
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(impl, &p, &plan);
    CHECK(rc == POSENC_OK, "%s: %s plan (%s mode): %s (%s)", impl ? impl->name : "default", what,
          mode == POSENC_ANGLE_FP32 ? "fp32" : "exact", posenc_strerror(rc), posenc_last_error());
    return rc == POSENC_OK ? plan : NULL;
}

/* A random input pair in [-4, 4); one in eleven is (0, big) or (big, 0) so that an error
   relative to the wrong element shows. */
static void fill_pair(float *a, float *b)
{
    static const float big[] = {1e30f, -3e25f, 1e-30f, 65504.0f, -0x1p100f, 1e10f, -7.5e-20f};
    if (sample_rng_next(&rng) % 11 == 0) {
        float v = big[sample_rng_next(&rng) % (sizeof big / sizeof big[0])];
        int first = (int)(sample_rng_next(&rng) & 1);
        *a = first ? v : 0.0f;
        *b = first ? 0.0f : v;
        return;
    }
    *a = sample_rng_input(&rng);
    *b = sample_rng_input(&rng);
}

/* ---- exact mode against the oracle ---------------------------------------------------------- */

/* Encode and apply every table position below the plan's limit; compare with af times the
   oracle's cos and sin (encode) and af times the exact rotation (apply). */
static void check_exact(const vcase *vc, case_result *res, size_t ii, const oracle_table *t)
{
    const posenc_impl *impl = posenc_impl_at(ii);
    posenc_plan *plan = make_plan(impl, &vc->p, POSENC_ANGLE_EXACT, vc->name);
    if (!plan)
        return;
    const posenc_params *prm = posenc_plan_params(plan);
    size_t row = posenc_plan_row_size(plan), dim = (size_t)prm->dim;
    size_t h = (size_t)prm->rotary_dim / 2;
    int inter = prm->pairing == POSENC_PAIR_INTERLEAVED;
    double af = res->af;
    double app_bound = impl->max_err_u * af;
    int64_t max_pos = posenc_plan_max_pos(plan);
    size_t chunk = 512;
    float *out = harness_xmalloc(chunk * row * sizeof *out);
    float *x = harness_xmalloc(chunk * dim * sizeof *x), *x0 = harness_xmalloc(chunk * dim * 4);
    int64_t *pos = harness_xmalloc(chunk * sizeof *pos), *pos3 = harness_xmalloc(3 * chunk * 8);
    size_t *kk = harness_xmalloc(chunk * sizeof *kk);
    size_t k = 0, m;
    int reported = 0;
    while ((m = sample_take_below(t->pos, t->n_pos, &k, max_pos, chunk, pos, kk))) {
        const int64_t *pp = plan_positions(prm, pos, m, pos3);
        int rc = posenc_encode(plan, pp, m, out);
        CHECK(rc == POSENC_OK, "%s %s: encode: %s", impl->name, vc->name, posenc_strerror(rc));
        for (size_t q = 0; q < m; q++) {
            float *in = x0 + q * dim;
            for (size_t i = 0; i < h; i++)
                fill_pair(&in[inter ? 2 * i : i], &in[inter ? 2 * i + 1 : i + h]);
            for (size_t j = 2 * h; j < dim; j++)
                in[j] = sample_rng_input(&rng);
        }
        memcpy(x, x0, m * dim * sizeof *x);
        int rc2 = posenc_apply(plan, pp, m, x, NULL);
        CHECK(rc2 == POSENC_OK, "%s %s: apply: %s", impl->name, vc->name, posenc_strerror(rc2));
        if (rc || rc2)
            break;
        for (size_t q = 0; q < m; q++) {
            const float *o = out + q * row, *in = x0 + q * dim, *ox = x + q * dim;
            for (size_t i = 0; i < h; i++) {
                double wc = af * oracle_table_cos(t, kk[q], (int32_t)i);
                double ws = af * oracle_table_sin(t, kk[q], (int32_t)i);
                double ec = fabs((double)o[i] - wc), es = fabs((double)o[h + i] - ws);
                double bc = value_bound(af, wc), bs = value_bound(af, ws);
                worst_add(&res->enc[ii], ec / ERR_U, bc / ERR_U, pos[q], (int32_t)i);
                worst_add(&res->enc[ii], es / ERR_U, bs / ERR_U, pos[q], (int32_t)i);
                if ((!(ec <= bc) || !(es <= bs)) && reported++ < 3)
                    fprintf(stderr, "%s %s exact encode p %" PRId64 " i %zu: cos %.9g want %.17g "
                            "(%.3f u), sin %.9g want %.17g (%.3f u), bound %.3f u\n", impl->name,
                            vc->name, pos[q], i, (double)o[i], wc, ec / ERR_U, (double)o[h + i],
                            ws, es / ERR_U, bc / ERR_U);
                size_t ia = inter ? 2 * i : i, ib = inter ? 2 * i + 1 : i + h;
                double a = in[ia], b = in[ib];
                double ra = a * wc - b * ws, rb = a * ws + b * wc;
                double ea = fabs((double)ox[ia] - ra), eb = fabs((double)ox[ib] - rb);
                double eu = err_pair_u(fmax(ea, eb), fmax(fabs(a), fabs(b)));
                worst_add(&res->app[ii], eu, app_bound, pos[q], (int32_t)i);
                if (!(eu <= app_bound) && reported++ < 3)
                    fprintf(stderr, "%s %s exact apply p %" PRId64 " i %zu: (%.9g, %.9g) -> "
                            "(%.9g, %.9g), want (%.17g, %.17g): %.3f u > %.3f u\n", impl->name,
                            vc->name, pos[q], i, a, b, (double)ox[ia], (double)ox[ib], ra, rb,
                            eu, app_bound);
            }
            CHECK(memcmp(in + 2 * h, ox + 2 * h, (dim - 2 * h) * sizeof *ox) == 0,
                  "%s %s: apply changed elements past rotary_dim", impl->name, vc->name);
        }
    }
    CHECK(res->enc[ii].bad == 0 && res->app[ii].bad == 0,
          "%s %s: exact mode: %" PRIu64 " encode values and %" PRIu64 " rotated pairs beyond "
          "the bound (worst %.3f u, %.3f u)", impl->name, vc->name, res->enc[ii].bad,
          res->app[ii].bad, res->enc[ii].u, res->app[ii].u);
    free(out);
    free(x);
    free(x0);
    free(pos);
    free(pos3);
    free(kk);
    posenc_plan_destroy(plan);
}

/* ---- fp32 mode against the recipe ----------------------------------------------------------- */

typedef struct recipe_table {
    fp32_recipe rec;
    size_t h, n_pos;
    const int64_t *pos;
    float *s, *c; /* [k * h + i], attention factor included */
} recipe_table;

/* The recipe at positions pos (n) of every frequency; with axes (M-RoPE, 3 n positions
   axis-major), frequency i takes axis oracle_mrope_axis(p, i)'s position. */
static int recipe_build(recipe_table *r, const posenc_params *p, const int64_t *pos, size_t n,
                        int axes)
{
    posenc_params q = *p;
    q.angle_mode = POSENC_ANGLE_FP32;
    if (fp32_recipe_init_params(&r->rec, &q))
        return -1;
    r->h = r->rec.n_freq;
    r->n_pos = n;
    r->pos = pos;
    r->s = harness_xmalloc(n * r->h * sizeof *r->s);
    r->c = harness_xmalloc(n * r->h * sizeof *r->c);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < r->h; i++) {
            int a = axes ? oracle_mrope_axis(p, (int32_t)i) : 0;
            fp32_recipe_sincos(&r->rec, i, pos[(size_t)a * n + k], &r->s[k * r->h + i],
                               &r->c[k * r->h + i]);
        }
    return 0;
}

static void recipe_free(recipe_table *r)
{
    fp32_recipe_free(&r->rec);
    free(r->s);
    free(r->c);
}

/* fp32 encode and apply of impl at the recipe's positions (pp: as the plan reads them). */
static void check_fp32(const vcase *vc, case_result *res, const posenc_impl *impl,
                       const recipe_table *r, const int64_t *pp, const char *what)
{
    posenc_plan *plan = make_plan(impl, &vc->p, POSENC_ANGLE_FP32, vc->name);
    if (!plan)
        return;
    const posenc_params *prm = posenc_plan_params(plan);
    size_t n = r->n_pos, h = r->h, row = posenc_plan_row_size(plan), dim = (size_t)prm->dim;
    int inter = prm->pairing == POSENC_PAIR_INTERLEAVED;
    int approx = (impl->flags & POSENC_IMPL_APPROX_SINCOS) != 0;
    double af = res->af;
    int64_t max_pos = posenc_plan_max_pos(plan);
    for (size_t k = 0; k < (is_mrope(prm) ? 3 : 1) * n; k++)
        if (pp[k] >= max_pos) { /* the table implementation: positions past its rows */
            posenc_plan_destroy(plan);
            return;
        }
    float *out = harness_xmalloc(n * row * sizeof *out);
    float *x = harness_xmalloc(n * dim * sizeof *x), *x0 = harness_xmalloc(n * dim * sizeof *x);
    for (size_t e = 0; e < n * dim; e++)
        x0[e] = sample_rng_input(&rng);
    memcpy(x, x0, n * dim * sizeof *x);
    CHECK_CODE(posenc_encode(plan, pp, n, out), POSENC_OK);
    CHECK_CODE(posenc_apply(plan, pp, n, x, NULL), POSENC_OK);
    uint64_t bad = 0;
    for (size_t k = 0; k < n; k++) {
        const float *o = out + k * row, *in = x0 + k * dim, *ox = x + k * dim;
        for (size_t i = 0; i < h; i++) {
            float c = r->c[k * h + i], s = r->s[k * h + i];
            res->fp32_compared += 2;
            int differ;
            if (approx) /* SLEEF's sin/cos of the recipe's angle */
                differ = !(fabs((double)o[i] - c) <= value_bound(af, c)) ||
                         !(fabs((double)o[h + i] - s) <= value_bound(af, s));
            else
                differ = bits_of(o[i]) != bits_of(c) || bits_of(o[h + i]) != bits_of(s);
            size_t ia = inter ? 2 * i : i, ib = inter ? 2 * i + 1 : i + h;
            volatile float ac = in[ia] * c, bs = in[ib] * s, as = in[ia] * s, bc = in[ib] * c;
            volatile float ra = ac - bs, rb = as + bc;
            if (!approx)
                res->fp32_compared += 2;
            if (!approx && (bits_of(ox[ia]) != bits_of(ra) || bits_of(ox[ib]) != bits_of(rb)))
                differ = 1;
            if (differ && bad++ < 3)
                fprintf(stderr, "%s %s fp32 mode%s: token %zu (p %" PRId64 ") i %zu: cos %a sin "
                        "%a, recipe %a %a; apply (%a, %a), recipe (%a, %a)\n", impl->name,
                        vc->name, what, k, pp[k], i, o[i], o[h + i], c, s, ox[ia], ox[ib],
                        (float)ra, (float)rb);
        }
    }
    res->fp32_differ += bad;
    CHECK(bad == 0, "%s %s fp32 mode%s: %" PRIu64 " values differ from the recipe", impl->name,
          vc->name, what, bad);
    free(out);
    free(x);
    free(x0);
    posenc_plan_destroy(plan);
}

/* fp32 mode's error against af times the oracle at the report positions (default
   implementation). */
static void fp32_cost(const vcase *vc, case_result *res, const oracle_table *t)
{
    posenc_plan *plan = make_plan(NULL, &vc->p, POSENC_ANGLE_FP32, vc->name);
    if (!plan)
        return;
    const posenc_params *prm = posenc_plan_params(plan);
    size_t row = posenc_plan_row_size(plan), h = row / 2;
    float *out = harness_xmalloc(row * sizeof *out);
    for (int r = 0; r < 3; r++) {
        size_t k = 0;
        while (k < t->n_pos && t->pos[k] != report_pos[r])
            k++;
        res->fp32_err[r] = NAN;
        if (k == t->n_pos)
            continue;
        int64_t p3[3];
        const int64_t *pp = plan_positions(prm, &report_pos[r], 1, p3);
        if (posenc_encode(plan, pp, 1, out) != POSENC_OK)
            continue;
        double e = 0.0;
        for (size_t i = 0; i < h; i++) {
            double ec = fabs(out[i] - res->af * oracle_table_cos(t, k, (int32_t)i));
            double es = fabs(out[h + i] - res->af * oracle_table_sin(t, k, (int32_t)i));
            if (fmax(ec, es) > e) {
                e = fmax(ec, es);
                res->fp32_err_i[r] = (int)i;
            }
        }
        res->fp32_err[r] = e;
    }
    free(out);
    posenc_plan_destroy(plan);
}

/* ---- bit for bit across backends ------------------------------------------------------------ */

/* encode and apply (5 heads, padded) of impl and ref on the same input: the same bits. */
static void compare_plans(posenc_plan *a, posenc_plan *b, const int64_t *pos, size_t n,
                          case_result *res, const char *what)
{
    const posenc_params *prm = posenc_plan_params(a);
    size_t row = posenc_plan_row_size(a), dim = (size_t)prm->dim;
    int64_t *pos3 = harness_xmalloc(3 * n * sizeof *pos3);
    const int64_t *pp = plan_positions(prm, pos, n, pos3);
    float *oa = harness_xmalloc((n * row + 1) * sizeof *oa);
    float *ob = harness_xmalloc((n * row + 1) * sizeof *ob);
    CHECK_CODE(posenc_encode(a, pp, n, oa + 1), POSENC_OK);
    CHECK_CODE(posenc_encode(b, pp, n, ob + 1), POSENC_OK);
    long at = first_difference(oa + 1, ob + 1, n * row);
    res->bit_compared += n * row;
    if (at >= 0)
        res->bit_differ++;
    CHECK(at < 0, "%s: encode differs at position %" PRId64 " element %zu: %a vs %a", what,
          pos[(size_t)at / row], (size_t)at % row, oa[1 + at], ob[1 + at]);
    posenc_layout l = {.n_heads = 5, .head_stride = dim + 3, .token_stride = 5 * (dim + 3) + 1};
    size_t floats = n * l.token_stride + 1;
    float *xa = harness_xmalloc(floats * sizeof *xa), *xb = harness_xmalloc(floats * sizeof *xb);
    for (size_t e = 0; e < floats; e++)
        xa[e] = xb[e] = sample_rng_input(&rng);
    CHECK_CODE(posenc_apply(a, pp, n, xa + 1, &l), POSENC_OK);
    CHECK_CODE(posenc_apply(b, pp, n, xb + 1, &l), POSENC_OK);
    at = first_difference(xa, xb, floats);
    res->bit_compared += floats;
    if (at >= 0)
        res->bit_differ++;
    CHECK(at < 0, "%s: apply differs at float %ld: %a vs %a", what, at, xa[at], xb[at]);
    free(pos3);
    free(oa);
    free(ob);
    free(xa);
    free(xb);
}

static void check_bitwise(const vcase *vc, case_result *res)
{
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (impl->kind != POSENC_ROTARY || impl->cpu_features == 0 ||
            !posenc_impl_supported(impl))
            continue;
        const posenc_impl *ref = reference_of(impl);
        if (!ref)
            continue; /* SLEEF: no portable twin by design (test_bitwise says so) */
        for (int mode = 0; mode < 2; mode++) {
            posenc_plan *a = make_plan(impl, &vc->p, (posenc_angle_mode)mode, vc->name);
            posenc_plan *b = make_plan(ref, &vc->p, (posenc_angle_mode)mode, vc->name);
            if (a && b) {
                pos_list below = {0};
                for (size_t k = 0; k < bit_grid.n; k++)
                    if (bit_grid.v[k] < posenc_plan_max_pos(a))
                        pos_list_push(&below, bit_grid.v[k]);
                char what[160];
                snprintf(what, sizeof what, "%s vs %s, %s, %s mode", impl->name, ref->name,
                         vc->name, mode ? "fp32" : "exact");
                compare_plans(a, b, below.v, below.n, res, what);
                pos_list_free(&below);
            }
            posenc_plan_destroy(a);
            posenc_plan_destroy(b);
        }
    }
}

/* ---- M-RoPE --------------------------------------------------------------------------------- */

/* Text tokens: the same position on all three axes gives plain RoPE's bits, every
   implementation, both modes. */
static void check_mrope_text(const vcase *vc, case_result *res)
{
    posenc_params plain = vc->p;
    plain.mrope = (posenc_mrope){0};
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (impl->kind != POSENC_ROTARY || !posenc_impl_supported(impl))
            continue;
        for (int mode = 0; mode < 2; mode++) {
            posenc_plan *a = make_plan(impl, &vc->p, (posenc_angle_mode)mode, vc->name);
            posenc_plan *b = make_plan(impl, &plain, (posenc_angle_mode)mode, "plain RoPE");
            if (a && b) {
                pos_list below = {0};
                for (size_t k = 0; k < bit_grid.n; k++)
                    if (bit_grid.v[k] < posenc_plan_max_pos(a))
                        pos_list_push(&below, bit_grid.v[k]);
                /* compare_plans gives the M-RoPE plan 3 equal axes and the plain one 1 */
                char what[160];
                snprintf(what, sizeof what, "%s: %s text tokens vs plain RoPE, %s mode",
                         impl->name, vc->name, mode ? "fp32" : "exact");
                compare_plans(a, b, below.v, below.n, res, what);
                pos_list_free(&below);
            }
            posenc_plan_destroy(a);
            posenc_plan_destroy(b);
        }
    }
}

/* Qwen2-VL's get_rope_index for 16 text tokens, one image of 28 x 28 merged patches (t fixed,
   h and w running from the text's next position), 16 text tokens: 3 n positions, axis-major. */
#define IMG_SIDE 28
#define IMG_TEXT 16
#define IMG_TOKENS (2 * IMG_TEXT + IMG_SIDE * IMG_SIDE)

static void image_prompt(int64_t *pos)
{
    const size_t n = IMG_TOKENS;
    size_t t = 0;
    for (int k = 0; k < IMG_TEXT; k++, t++)
        pos[t] = pos[n + t] = pos[2 * n + t] = k;
    int64_t st = IMG_TEXT;
    for (int hh = 0; hh < IMG_SIDE; hh++)
        for (int ww = 0; ww < IMG_SIDE; ww++, t++) {
            pos[t] = st;
            pos[n + t] = st + hh;
            pos[2 * n + t] = st + ww;
        }
    st += IMG_SIDE; /* the largest position so far (st + 27) plus one */
    for (int k = 0; k < IMG_TEXT; k++, t++)
        pos[t] = pos[n + t] = pos[2 * n + t] = st + k;
}

static void check_mrope_image(const vcase *vc, case_result *res)
{
    const size_t n = IMG_TOKENS;
    int64_t *pos = harness_xmalloc(3 * n * sizeof *pos);
    image_prompt(pos);
    int64_t top = 0;
    for (size_t k = 0; k < 3 * n; k++)
        top = pos[k] > top ? pos[k] : top;
    /* the oracle at positions 0..top, every frequency: row q is position q */
    int32_t h = vc->p.dim / 2;
    int64_t *rows = harness_xmalloc((size_t)(top + 1) * sizeof *rows);
    for (int64_t q = 0; q <= top; q++)
        rows[q] = q;
    int32_t *all = harness_xmalloc((size_t)h * sizeof *all);
    for (int32_t i = 0; i < h; i++)
        all[i] = i;
    oracle_table t;
    int rc = oracle_table_build_params(&t, &vc->p, rows, (size_t)top + 1, all, (size_t)h, 0);
    CHECK(rc == 0, "%s: oracle table of the image prompt", vc->name);
    recipe_table r;
    int rr = recipe_build(&r, &vc->p, pos, n, 1);
    CHECK(rr == 0, "%s: recipe of the image prompt", vc->name);
    for (size_t ii = 0; ii < posenc_impl_count() && rc == 0; ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (impl->kind != POSENC_ROTARY || !posenc_impl_supported(impl))
            continue;
        posenc_plan *plan = make_plan(impl, &vc->p, POSENC_ANGLE_EXACT, vc->name);
        if (!plan)
            continue;
        size_t row = posenc_plan_row_size(plan);
        float *out = harness_xmalloc(n * row * sizeof *out);
        CHECK_CODE(posenc_encode(plan, pos, n, out), POSENC_OK);
        uint64_t bad = 0;
        for (size_t k = 0; k < n; k++)
            for (int32_t i = 0; i < h; i++) {
                int a = oracle_mrope_axis(&vc->p, i);
                size_t q = (size_t)pos[(size_t)a * n + k];
                double wc = oracle_table_cos(&t, q, i), ws = oracle_table_sin(&t, q, i);
                double ec = fabs(out[k * row + (size_t)i] - wc);
                double es = fabs(out[k * row + (size_t)h + (size_t)i] - ws);
                worst_add(&res->enc[ii], ec / ERR_U, ERR_VALUE_BOUND_U, (int64_t)q, i);
                worst_add(&res->enc[ii], es / ERR_U, ERR_VALUE_BOUND_U, (int64_t)q, i);
                if (!(fmax(ec, es) <= ERR_VALUE_BOUND_U * ERR_U) && bad++ < 3)
                    fprintf(stderr, "%s %s image token %zu (t %" PRId64 " h %" PRId64 " w %" PRId64
                            ") i %d (axis %d): cos %.9g want %.17g, sin %.9g want %.17g\n",
                            impl->name, vc->name, k, pos[k], pos[n + k], pos[2 * n + k], (int)i,
                            a, (double)out[k * row + (size_t)i], wc,
                            (double)out[k * row + (size_t)h + (size_t)i], ws);
            }
        CHECK(bad == 0, "%s %s: image prompt: %" PRIu64 " values beyond 4u of the oracle at "
              "their axis position", impl->name, vc->name, bad);
        free(out);
        posenc_plan_destroy(plan);
        if (rr == 0)
            check_fp32(vc, res, impl, &r, pos, " (image prompt)");
    }
    if (rc == 0)
        oracle_table_free(&t);
    if (rr == 0)
        recipe_free(&r);
    free(rows);
    free(all);
    free(pos);
}

/* ---- dynamic: below and at L0 nothing changes ------------------------------------------------ */

static int same_encode(posenc_plan *a, posenc_plan *b)
{
    size_t row = posenc_plan_row_size(a), n = bit_grid.n;
    float *oa = harness_xmalloc(n * row * sizeof *oa), *ob = harness_xmalloc(n * row * 4);
    int ok = posenc_encode(a, bit_grid.v, n, oa) == POSENC_OK &&
             posenc_encode(b, bit_grid.v, n, ob) == POSENC_OK;
    int same = ok && first_difference(oa, ob, n * row) < 0;
    free(oa);
    free(ob);
    return ok ? same : -1;
}

static void check_dynamic_threshold(void)
{
    posenc_params none = rotary(128, 1e4);
    static const int64_t lens[] = {2048, 4095, 4096, 0, 4097, 16384};
    for (int mode = 0; mode < 2; mode++) {
        posenc_plan *ref = make_plan(NULL, &none, (posenc_angle_mode)mode, "unscaled");
        for (size_t k = 0; ref && k < sizeof lens / sizeof lens[0]; k++) {
            posenc_params p = none;
            p.scaling = (posenc_scaling){.type = POSENC_SCALING_DYNAMIC, .factor = 2.0,
                                         .original_max_positions = 4096, .seq_len = lens[k]};
            posenc_plan *dyn = make_plan(NULL, &p, (posenc_angle_mode)mode, "dynamic");
            if (!dyn)
                continue;
            int same = same_encode(dyn, ref);
            CHECK(same >= 0, "dynamic seq_len %lld: encode failed", (long long)lens[k]);
            if (lens[k] <= 4096) /* 0 means L0 */
                CHECK(same == 1, "dynamic (factor 2, L0 4096) seq_len %lld, %s mode: not the "
                      "unscaled plan's bits", (long long)lens[k], mode ? "fp32" : "exact");
            else
                CHECK(same == 0, "dynamic (factor 2, L0 4096) seq_len %lld, %s mode: the "
                      "unscaled plan's bits, not scaled", (long long)lens[k],
                      mode ? "fp32" : "exact");
            posenc_plan_destroy(dyn);
        }
        posenc_plan_destroy(ref);
    }
}

/* ---- the derivation, constant by constant --------------------------------------------------- */

static void check_constants(const vcase *vc, case_result *res)
{
    posenc_plan *plan = make_plan(NULL, &vc->p, POSENC_ANGLE_EXACT, vc->name);
    if (!plan)
        return;
    const posenc_params *prm = posenc_plan_params(plan); /* resolved */
    int32_t h = posenc_freq_count(prm);
    dd *w = harness_xmalloc((size_t)h * sizeof *w);
    float *inv = harness_xmalloc((size_t)h * sizeof *inv);
    posenc_exact_frequencies(prm, w);
    mpfr_t lib, d;
    mpfr_inits2(ORACLE_PREC, lib, d, (mpfr_ptr)0);
    res->w_rel = 0.0;
    for (int32_t i = 0; i < h; i++) {
        oracle_freq f;
        if (oracle_freq_init_params(&f, &vc->p, i)) {
            CHECK(0, "%s: oracle frequency %d", vc->name, (int)i);
            break;
        }
        mpfr_set_d(lib, w[i].hi, MPFR_RNDN);
        mpfr_add_d(lib, lib, w[i].lo, MPFR_RNDN); /* exact: 107 bits fit in ORACLE_PREC */
        mpfr_sub(d, lib, f.w, MPFR_RNDN);
        mpfr_div(d, d, f.w, MPFR_RNDN);
        double rel = fabs(mpfr_get_d(d, MPFR_RNDN));
        if (!(rel <= res->w_rel)) {
            res->w_rel = rel;
            res->w_rel_i = (int)i;
        }
        oracle_freq_clear(&f);
    }
    mpfr_clears(lib, d, (mpfr_ptr)0);
    CHECK(res->w_rel <= 0x1p-80, "%s: the library's exact frequency %d is %.3g (relative) from "
          "the definition's", vc->name, res->w_rel_i, res->w_rel);
    double af_lib = posenc_attention_factor(prm);
    CHECK(af_lib == res->af, "%s: attention factor %.17g, the definition's (HF's double) %.17g",
          vc->name, af_lib, res->af);
    posenc_plan *asked = NULL; /* and what a plan tells its caller */
    CHECK_CODE(posenc_plan_create(NULL, &vc->p, &asked), POSENC_OK);
    CHECK(posenc_plan_attention_factor(asked) == res->af,
          "%s: posenc_plan_attention_factor %.17g, the definition's %.17g", vc->name,
          posenc_plan_attention_factor(asked), res->af);
    posenc_plan_destroy(asked);
    posenc_params q = *prm;
    q.angle_mode = POSENC_ANGLE_FP32;
    posenc_fp32_inv_freqs(&q, inv);
    fp32_recipe rec;
    if (fp32_recipe_init_params(&rec, &vc->p) == 0) {
        int differ = 0;
        for (int32_t i = 0; i < h; i++)
            if (bits_of(inv[i]) != bits_of(rec.inv_f[i]) && differ++ < 3)
                fprintf(stderr, "%s: fp32 inv_freq[%d] %a, the recipe's %a\n", vc->name, (int)i,
                        inv[i], rec.inv_f[i]);
        CHECK(differ == 0, "%s: %d fp32 inverse frequencies differ from the recipe", vc->name,
              differ);
        fp32_recipe_free(&rec);
    }
    free(w);
    free(inv);
    posenc_plan_destroy(plan);
}

/* ---- one variant ---------------------------------------------------------------------------- */

static double oracle_seconds, check_seconds;

static void run_case(size_t c)
{
    const vcase *vc = &cases[c];
    case_result *res = &results[c];
    res->af = oracle_attention_factor(&vc->p);
    int32_t h = (vc->p.rotary_dim ? vc->p.rotary_dim : vc->p.dim) / 2;
    int32_t *all = harness_xmalloc((size_t)h * sizeof *all);
    for (int32_t i = 0; i < h; i++)
        all[i] = i;
    double t0 = harness_now_s();
    oracle_table t;
    int rc = oracle_table_build_params(&t, &vc->p, grid.v, grid.n, all, (size_t)h, 0);
    oracle_seconds += harness_now_s() - t0;
    CHECK(rc == 0, "%s: oracle table", vc->name);
    free(all);
    if (rc)
        return;
    t0 = harness_now_s();
    for (size_t ii = 0; ii < posenc_impl_count() && ii < MAX_IMPLS; ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (impl->kind == POSENC_ROTARY && posenc_impl_supported(impl))
            check_exact(vc, res, ii, &t);
    }
    recipe_table r;
    rc = recipe_build(&r, &vc->p, fp32_pos, n_fp32_pos, 0);
    CHECK(rc == 0, "%s: fp32 recipe", vc->name);
    if (rc == 0) {
        int64_t *pos3 = harness_xmalloc(3 * n_fp32_pos * sizeof *pos3);
        const int64_t *pp = plan_positions(&vc->p, fp32_pos, n_fp32_pos, pos3);
        for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
            const posenc_impl *impl = posenc_impl_at(ii);
            if (tests_skip_design(impl))
                continue;
            if (impl->kind == POSENC_ROTARY && posenc_impl_supported(impl))
                check_fp32(vc, res, impl, &r, pp, "");
        }
        free(pos3);
        recipe_free(&r);
    }
    fp32_cost(vc, res, &t);
    check_constants(vc, res);
    check_bitwise(vc, res);
    if (is_mrope(&vc->p)) {
        check_mrope_text(vc, res);
        check_mrope_image(vc, res);
    }
    check_seconds += harness_now_s() - t0;
    res->done = 1;
    oracle_table_free(&t);
}

/* ---- the report ----------------------------------------------------------------------------- */

static void print_report(void)
{
    const posenc_impl *best = best_index < SIZE_MAX ? posenc_impl_at(best_index) : NULL;
    printf("\nRoPE variants: exact mode against the MPFR oracle, fp32 mode's cost "
           "(u = 2^-24)%s\n", quick ? " [quick sample]" : "");
    printf("implementation: %s (the default); exact encode bound 4u af + 1/2 ulp of the value, "
           "apply bound %.0fu af max(|a|,|b|);\n", best ? best->name : "(none)",
           best ? best->max_err_u : 0.0);
    printf("w: the library's exact frequencies against the definition's (worst relative "
           "error); fp32: worst |encode - af cos, af sin| over the frequencies at p\n\n");
    printf("| %-17s | %-42s | %-8s | %-8s | %-25s | %-25s | %-8s | %-8s | %-8s |\n", "variant",
           "model", "af", "w rel.", "exact encode worst (p, i)", "exact apply worst (p, i)",
           "fp32 1e5", "fp32 1e6", "fp32 1e7");
    printf("|-------------------|--------------------------------------------|----------|-------"
           "---|---------------------------|---------------------------|----------|----------|"
           "----------|\n");
    for (size_t c = 0; c < n_cases; c++) {
        const case_result *res = &results[c];
        if (!res->done)
            continue;
        char enc[64] = "-", app[64] = "-", f[3][16], wr[16];
        if (best) {
            const worst *we = &res->enc[best_index], *wa = &res->app[best_index];
            if (we->count)
                snprintf(enc, sizeof enc, "%.3f u (%" PRId64 ", %d)", we->u, we->p, (int)we->i);
            if (wa->count)
                snprintf(app, sizeof app, "%.3f u (%" PRId64 ", %d)", wa->u, wa->p, (int)wa->i);
        }
        for (int r = 0; r < 3; r++)
            snprintf(f[r], sizeof f[r], "%.2e", res->fp32_err[r]);
        snprintf(wr, sizeof wr, "%.1e", res->w_rel);
        printf("| %-17s | %-42s | %-8.6g | %-8s | %-25s | %-25s | %-8s | %-8s | %-8s |\n",
               cases[c].name, cases[c].model, res->af, wr, enc, app, f[0], f[1], f[2]);
    }
    printf("\nHF's double scalars (oracle.h): yarn's low, high and the attention factors in both "
           "modes; base' and the llama3 limits in the fp32 recipe (exact mode: the reals)\n");
    for (size_t c = 0; c < n_cases; c++) {
        oracle_variant v;
        if (oracle_variant_init(&v, &cases[c].p))
            continue;
        switch (v.p.scaling.type) {
        case POSENC_SCALING_NTK:
        case POSENC_SCALING_DYNAMIC:
            printf("  %-17s base' = %.17g\n", cases[c].name, v.base_scaled);
            break;
        case POSENC_SCALING_YARN:
            printf("  %-17s low = %.17g, high = %.17g, attention factor %.17g\n", cases[c].name,
                   v.yarn_low, v.yarn_high, v.attention);
            break;
        case POSENC_SCALING_LLAMA3:
            printf("  %-17s L0 / lff = %.17g, L0 / hff = %.17g\n", cases[c].name,
                   v.llama_low_wl, v.llama_high_wl);
            break;
        case POSENC_SCALING_LONGROPE:
            printf("  %-17s %s factors, attention factor %.17g\n", cases[c].name,
                   v.longrope_f == v.p.scaling.long_factor ? "long" : "short", v.attention);
            break;
        default:
            break;
        }
    }
    printf("\nworst over every rotary implementation this CPU runs (error / its bound):\n");
    for (size_t c = 0; c < n_cases; c++) {
        const case_result *res = &results[c];
        if (!res->done)
            continue;
        size_t we = SIZE_MAX, wa = SIZE_MAX;
        for (size_t ii = 0; ii < posenc_impl_count() && ii < MAX_IMPLS; ii++) {
            if (res->enc[ii].count && (we == SIZE_MAX || res->enc[ii].u > res->enc[we].u))
                we = ii;
            if (res->app[ii].count &&
                (wa == SIZE_MAX || res->app[ii].ratio > res->app[wa].ratio))
                wa = ii;
        }
        if (we == SIZE_MAX || wa == SIZE_MAX)
            continue;
        printf("  %-17s encode %.3f u (%.2f of bound, %s at p %" PRId64 " i %d); apply %.3f u "
               "(%.2f of bound, %s at p %" PRId64 " i %d); fp32 %" PRIu64 " values vs recipe, "
               "%" PRIu64 " differ; bitwise %" PRIu64 " floats, %" PRIu64 " differ\n",
               cases[c].name, res->enc[we].u, res->enc[we].ratio, posenc_impl_at(we)->name,
               res->enc[we].p, (int)res->enc[we].i, res->app[wa].u, res->app[wa].ratio,
               posenc_impl_at(wa)->name, res->app[wa].p, (int)res->app[wa].i, res->fp32_compared,
               res->fp32_differ, res->bit_compared, res->bit_differ);
    }
}

int main(int argc, char **argv)
{
    quick = tests_parse_quick(argc, argv, "test_variants");
    if (quick < 0)
        return 2;
    harness_set_name("test_variants");
    double t_start = harness_now_s();
    make_cases();
    make_positions();
    const posenc_impl *best = posenc_impl_best(POSENC_ROTARY);
    for (size_t ii = 0; ii < posenc_impl_count(); ii++)
        if (posenc_impl_at(ii) == best)
            best_index = ii;
    CHECK(best != NULL, "no default rotary implementation");
    int any = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (impl->kind != POSENC_ROTARY)
            continue;
        if (!posenc_impl_supported(impl)) {
            printf("skip %s: this CPU lacks its instruction set\n", impl->name);
            continue;
        }
        printf("checking %s (bound %.2f u)%s\n", impl->name, impl->max_err_u,
               impl == best ? " [default]" : "");
        any = 1;
    }
    if (!any)
        return tests_skip("test_variants", "no rotary implementation runs here");
    printf("%zu grid positions, %zu fp32 positions, %zu variants\n", grid.n, n_fp32_pos, n_cases);
    for (size_t c = 0; c < n_cases; c++)
        run_case(c);
    check_dynamic_threshold();
    print_report();
    printf("time: oracle %.1f s, checks %.1f s, total %.1f s\n", oracle_seconds, check_seconds,
           harness_now_s() - t_start);
    pos_list_free(&grid);
    pos_list_free(&bit_grid);
    oracle_cleanup();
    return tests_exit_code("test_variants");
}
