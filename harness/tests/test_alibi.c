/* test_alibi.c - ALiBi (posenc.h: POSENC_ALIBI, posenc_alibi_apply) against its definition:
 *
 * 1. Slopes: the plan's double-double slopes within 2^-98 of MPFR's, BLOOM's rule for H not a
 *    power of two; the fp32 slopes equal MPT's recipe, reimplemented here with MPFR's powf.
 * 2. Exact biases (posenc_encode) bit for bit against the MPFR oracle (alibi_oracle.h) for H in
 *    {1, 8, 12, 32, 64}, bias_max 8 and 16 (and 1000 for 64 heads: subnormal and vanishing
 *    biases), at distances 0..4096, decades, 2^k +- 1, 2^31 - 1 and random ones per decade;
 *    the double-double fallback of the rounding on slopes made to put products near midpoints.
 * 3. fp32 biases bit for bit against the recipe.
 * 4. posenc_alibi_apply in each form against the oracle, and the relations between the forms:
 *    causal is -inf above the diagonal and full's sum below, full is symmetric, key-only's rows
 *    are all alike and differ from causal's by m_h q_pos (within the two roundings).
 * 5. Layouts: a shard of the heads, padded rows and heads whose padding keeps its bits.
 * 6. Positions that are not consecutive (descending, permuted, sparse up to 2^31 - 1).
 * 7. Every alibi backend this CPU runs gives alibi/scalar's bits.
 * 8. Special values in the scores follow posenc.h's rule (NaN written as 0x7fc00000).
 * 9. Bad input: every error code, and nothing written. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mpfr.h>

#include "alibi_oracle.h"
#include "check.h"
#include "float_bits.h"
#include "core/alibi_bias.h" /* white box: posenc_alibi_magnitude on made-up slopes */
#include "core/plan.h"       /* white box: the plan's slopes */
#include "harness_util.h"
#include "posenc.h"
#include "sample_grid.h"

static int quick;

static float canon(float v) { return v != v ? from_bits(0x7fc00000) : v; }

static posenc_plan *make_plan(const posenc_impl *impl, int32_t H, double b,
                              posenc_angle_mode mode, posenc_alibi_form form)
{
    posenc_params p = posenc_params_default(POSENC_ALIBI, H);
    p.alibi.bias_max = b;
    p.alibi.form = form;
    p.angle_mode = mode;
    posenc_plan *plan = NULL;
    CHECK_CODE(posenc_plan_create(impl, &p, &plan), POSENC_OK);
    return plan;
}

/* ---- MPT's fp32 recipe, independently: torch's float operations, a correctly rounded pow ---- */

/* 2^y correctly rounded to float, y a float: MPFR's bounds rounded down and up must agree */
static float cr_exp2f(float y)
{
    for (mpfr_prec_t prec = 128; prec <= 4096; prec *= 4) {
        mpfr_t x, lo, hi;
        mpfr_inits2(prec, x, lo, hi, (mpfr_ptr)0);
        mpfr_set_flt(x, y, MPFR_RNDN);
        mpfr_exp2(lo, x, MPFR_RNDD);
        mpfr_exp2(hi, x, MPFR_RNDU);
        float a = mpfr_cmp_ui_2exp(lo, 1, 128) >= 0 ? INFINITY : alibi_oracle_round_float(lo);
        float b = mpfr_cmp_ui_2exp(hi, 1, 128) >= 0 ? INFINITY : alibi_oracle_round_float(hi);
        mpfr_clears(x, lo, hi, (mpfr_ptr)0);
        if (a == b)
            return a;
    }
    abort();
}

/* build_mpt_alibi_tensor's slopes: base = arange(1, P2 + 1).float() * (b / P2) (a Python
   float, which torch rounds to float for a float tensor), slopes = 1.0 / torch.pow(2, base),
   then when P2 != H: cat(slopes[1::2], slopes[::2])[:H]. */
static void mpt_slopes(int32_t H, double b, float *out)
{
    int32_t P2 = 1;
    while (P2 < H)
        P2 *= 2;
    float *all = harness_xmalloc((size_t)P2 * sizeof *all);
    float step = (float)(b / (double)P2);
    for (int32_t i = 0; i < P2; i++)
        all[i] = 1.0f / cr_exp2f((float)(i + 1) * step);
    int32_t n = 0;
    if (P2 != H) {
        for (int32_t i = 1; i < P2 && n < H; i += 2)
            out[n++] = all[i];
        for (int32_t i = 0; i < P2 && n < H; i += 2)
            out[n++] = all[i];
    } else {
        for (int32_t i = 0; i < H; i++)
            out[n++] = all[i];
    }
    free(all);
}

/* ---- the expected scores ---------------------------------------------------------------------- */

/* What a plan of H heads must compute, from the oracle (exact) or the recipe (fp32). */
typedef struct model {
    int32_t H;
    double b;
    posenc_angle_mode mode;
    posenc_alibi_form form;
    alibi_oracle oracle;
    float *slope_f;
    float *cache;  /* exact magnitudes of v < CACHE_V per head, once computed */
    uint8_t *have;
} model;

#define CACHE_V 4096

static void model_init(model *m, int32_t H, double b, posenc_angle_mode mode,
                       posenc_alibi_form form)
{
    m->H = H;
    m->b = b;
    m->mode = mode;
    m->form = form;
    if (alibi_oracle_init(&m->oracle, H, b))
        abort();
    m->slope_f = harness_xmalloc((size_t)H * sizeof *m->slope_f);
    mpt_slopes(H, b, m->slope_f);
    m->cache = harness_xmalloc((size_t)H * CACHE_V * sizeof *m->cache);
    m->have = calloc((size_t)H * CACHE_V, 1);
    if (!m->have)
        abort();
}

static void model_clear(model *m)
{
    alibi_oracle_clear(&m->oracle);
    free(m->slope_f);
    free(m->cache);
    free(m->have);
}

/* m_h v rounded as the mode says, v >= 0 */
static float model_magnitude(model *m, int32_t h, int64_t v)
{
    if (m->mode == POSENC_ANGLE_FP32)
        return (float)v * m->slope_f[h];
    if (v >= CACHE_V)
        return alibi_oracle_magnitude(&m->oracle, h, v);
    size_t c = (size_t)h * CACHE_V + (size_t)v;
    if (!m->have[c]) {
        m->cache[c] = alibi_oracle_magnitude(&m->oracle, h, v);
        m->have[c] = 1;
    }
    return m->cache[c];
}

/* score s of head h, query position i, key position k, after the bias */
static float model_score(model *m, int32_t h, int64_t i, int64_t k, float s)
{
    if (m->form == POSENC_ALIBI_KEY_ONLY)
        return canon(s + model_magnitude(m, h, k));
    if (m->form == POSENC_ALIBI_CAUSAL && k > i)
        return -INFINITY;
    return canon(s + -model_magnitude(m, h, i > k ? i - k : k - i));
}

/* A call's scores buffer with its layout resolved as posenc.h says. */
typedef struct scores_buf {
    size_t first, n_heads, n_q, n_k, row_stride, head_stride, floats;
    float *v;
} scores_buf;

static void scores_alloc(scores_buf *s, int32_t H, const posenc_score_layout *l, size_t n_q,
                         size_t n_k, uint64_t seed, int specials)
{
    s->first = l ? l->first_head : 0;
    s->n_heads = l && l->n_heads ? l->n_heads : (size_t)H - s->first;
    s->n_q = n_q;
    s->n_k = n_k;
    s->row_stride = l && l->row_stride ? l->row_stride : n_k;
    s->head_stride = l && l->head_stride ? l->head_stride : n_q * s->row_stride;
    s->floats = s->n_heads * s->head_stride + 8; /* and padding after the last head */
    s->v = harness_xmalloc(s->floats * sizeof(float));
    static const uint32_t special[] = {
        0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fd23456, 0xff812345, 0x7f800001,
        0x00000000, 0x80000000, 0x7f7fffff, 0xff7fffff, 0x00000001, 0x80000001, 0x00800000,
    };
    sample_rng rng = {seed};
    for (size_t i = 0; i < s->floats; i++) {
        uint64_t r = sample_rng_next(&rng);
        if (specials && (r & 3) == 0)
            s->v[i] = from_bits(special[(r >> 2) % (sizeof special / sizeof special[0])]);
        else if (specials && (r & 3) == 1)
            s->v[i] = from_bits((uint32_t)(r >> 8) & UINT32_C(0x807fffff)); /* subnormal */
        else
            s->v[i] = sample_rng_input(&rng) * 64.0f;
    }
}

static size_t at(const scores_buf *s, size_t h, size_t q, size_t k)
{
    return h * s->head_stride + q * s->row_stride + k;
}

/* expected := what the model says for every score of `in`, the rest of `in` as it was */
static void model_apply(model *m, const scores_buf *in, const int64_t *q_pos,
                        const int64_t *k_pos, float *expected)
{
    memcpy(expected, in->v, in->floats * sizeof(float));
    for (size_t h = 0; h < in->n_heads; h++)
        for (size_t q = 0; q < in->n_q; q++)
            for (size_t k = 0; k < in->n_k; k++) {
                size_t o = at(in, h, q, k);
                expected[o] = model_score(m, (int32_t)(in->first + h), q_pos[q], k_pos[k],
                                          in->v[o]);
            }
}

/* posenc_alibi_apply with impl against the model, the padding included. Returns the output
   (the caller frees it) for comparisons between backends. */
static float *check_apply(const posenc_impl *impl, model *m, const int64_t *q_pos, size_t n_q,
                          const int64_t *k_pos, size_t n_k, const posenc_score_layout *l,
                          int specials, const char *what)
{
    posenc_plan *plan = make_plan(impl, m->H, m->b, m->mode, m->form);
    if (!plan)
        return NULL;
    scores_buf s;
    scores_alloc(&s, m->H, l, n_q, n_k, UINT64_C(0x5c0e) ^ n_q ^ (n_k << 20), specials);
    float *expected = harness_xmalloc(s.floats * sizeof(float));
    model_apply(m, &s, q_pos, k_pos, expected);
    CHECK_CODE(posenc_alibi_apply(plan, q_pos, n_q, k_pos, n_k, s.v, l), POSENC_OK);
    long d = first_difference(s.v, expected, s.floats);
    if (d >= 0) {
        size_t h = (size_t)d / s.head_stride, r = (size_t)d % s.head_stride;
        size_t q = r / s.row_stride, k = r % s.row_stride;
        CHECK(0, "%s, %s: float %ld (head %zu row %zu column %zu, q_pos %" PRId64 " k_pos %"
              PRId64 "): got %08" PRIx32 ", expected %08" PRIx32, impl->name, what, d,
              s.first + h, q, k, q < n_q ? q_pos[q] : -1, k < n_k ? k_pos[k] : -1,
              bits_of(s.v[d]), bits_of(expected[d]));
    }
    for (size_t i = 0; i < s.floats; i++)
        if (s.v[i] != s.v[i])
            CHECK(bits_of(s.v[i]) == 0x7fc00000 || bits_of(expected[i]) == bits_of(s.v[i]),
                  "%s, %s: a NaN %08" PRIx32 " written", impl->name, what, bits_of(s.v[i]));
    free(expected);
    posenc_plan_destroy(plan);
    return s.v;
}

/* ---- 1. slopes ------------------------------------------------------------------------------- */

static void check_slopes(void)
{
    static const int32_t heads[] = {1, 2, 3, 5, 8, 12, 16, 24, 32, 40, 64, 96, 1000};
    static const double bs[] = {8.0, 16.0, 0.5, 3.7, 1000.0};
    for (size_t hi = 0; hi < sizeof heads / sizeof heads[0]; hi++)
        for (size_t bi = 0; bi < sizeof bs / sizeof bs[0]; bi++) {
            int32_t H = heads[hi];
            double b = bs[bi];
            posenc_plan *exact = make_plan(NULL, H, b, POSENC_ANGLE_EXACT, POSENC_ALIBI_CAUSAL);
            posenc_plan *fp32 = make_plan(NULL, H, b, POSENC_ANGLE_FP32, POSENC_ALIBI_CAUSAL);
            if (!exact || !fp32)
                return;
            alibi_oracle o;
            if (alibi_oracle_init(&o, H, b))
                abort();
            float *recipe = harness_xmalloc((size_t)H * sizeof *recipe);
            mpt_slopes(H, b, recipe);
            mpfr_t m, got;
            mpfr_inits2(320, m, got, (mpfr_ptr)0);
            int bad = 0;
            for (int32_t h = 0; h < H; h++) {
                alibi_oracle_slope(&o, h, 320, m);
                mpfr_set_d(got, exact->slope_hi[h], MPFR_RNDN);
                mpfr_add_d(got, got, exact->slope_lo[h], MPFR_RNDN);
                mpfr_sub(got, got, m, MPFR_RNDN);
                mpfr_div(got, got, m, MPFR_RNDN);
                /* the low word is subnormal below 2^-969: judged there only above 2^-900 */
                double rel = fabs(mpfr_get_d(got, MPFR_RNDN));
                if (mpfr_get_exp(m) > -900 && !(rel <= 0x1p-98) && bad++ < 3)
                    CHECK(0, "H %d b %g: slope %d off by %g relative", (int)H, b, (int)h + 1,
                          rel);
                if (bits_of(fp32->slope_f[h]) != bits_of(recipe[h]) && bad++ < 3)
                    CHECK(0, "H %d b %g: fp32 slope %d is %a, MPT's recipe %a", (int)H, b,
                          (int)h + 1, fp32->slope_f[h], recipe[h]);
            }
            CHECK(bad == 0, "H %d b %g: %d slopes wrong", (int)H, b, bad);
            /* BLOOM's rule by hand for 12 heads, b = 8: 2^-1 .. 2^-8, then 2^-0.5, 2^-1.5, .. */
            if (H == 12 && b == 8.0)
                for (int32_t h = 0; h < 12; h++) {
                    /* 2^-(h+1), then 2^-(j + 1/2) = 2^-j sqrt(1/2): sqrt is correctly rounded */
                    double want = h < 8 ? ldexp(1.0, -(h + 1)) : ldexp(sqrt(0.5), -(h - 8));
                    CHECK(exact->slope_hi[h] == want && exact->slope_lo[h] * 0x1p50 < want,
                          "12 heads: slope %d is %a + %a, not %a", (int)h + 1,
                          exact->slope_hi[h], exact->slope_lo[h], want);
                }
            mpfr_clears(m, got, (mpfr_ptr)0);
            free(recipe);
            alibi_oracle_clear(&o);
            posenc_plan_destroy(exact);
            posenc_plan_destroy(fp32);
        }
}

/* ---- 2, 3. biases by encode ---------------------------------------------------------------- */

static pos_list distance_grid(void)
{
    pos_list g = {0};
    int64_t dense = quick ? 512 : 4096;
    for (int64_t d = 0; d <= dense; d++)
        pos_list_push(&g, d);
    for (int64_t p = 10; p < (INT64_C(1) << 31); p *= 10)
        for (int64_t e = -1; e <= 1; e++)
            pos_list_push(&g, p + e);
    for (int k = 2; k <= 31; k++)
        for (int64_t e = -1; e <= 1; e++)
            if ((INT64_C(1) << k) + e < (INT64_C(1) << 31))
                pos_list_push(&g, (INT64_C(1) << k) + e);
    /* random distances in each decade */
    sample_rng rng = {UINT64_C(0xa1b1)};
    for (int64_t lo = 1; lo < (INT64_C(1) << 31); lo *= 10) {
        int64_t hi = lo * 10 < (INT64_C(1) << 31) ? lo * 10 : (INT64_C(1) << 31);
        for (int r = 0; r < (quick ? 4 : 32); r++)
            pos_list_push(&g, lo + (int64_t)(sample_rng_next(&rng) % (uint64_t)(hi - lo)));
    }
    pos_list_push(&g, (INT64_C(1) << 31) - 1);
    pos_list_sort_unique(&g);
    return g;
}

static void check_encode(const pos_list *grid)
{
    static const struct {
        int32_t H;
        double b;
    } cases[] = {{1, 8}, {8, 8}, {12, 8}, {32, 8}, {64, 8}, {1, 16}, {8, 16}, {12, 16},
                 {32, 16}, {64, 16}, {12, 0.75}, {64, 1000}, {1, 160}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (int mode = 0; mode < 2; mode++) {
            int32_t H = cases[c].H;
            posenc_angle_mode am = mode ? POSENC_ANGLE_FP32 : POSENC_ANGLE_EXACT;
            posenc_plan *plan = make_plan(NULL, H, cases[c].b, am, POSENC_ALIBI_CAUSAL);
            if (!plan)
                continue;
            CHECK(posenc_plan_row_size(plan) == (size_t)H, "row size %zu for %d heads",
                  posenc_plan_row_size(plan), (int)H);
            CHECK(posenc_plan_max_pos(plan) == INT64_C(1) << 31, "max_pos %" PRId64,
                  posenc_plan_max_pos(plan));
            model m;
            model_init(&m, H, cases[c].b, am, POSENC_ALIBI_CAUSAL);
            float *out = harness_xmalloc(grid->n * (size_t)H * sizeof *out);
            CHECK_CODE(posenc_encode(plan, grid->v, grid->n, out), POSENC_OK);
            int bad = 0;
            for (size_t t = 0; t < grid->n; t++)
                for (int32_t h = 0; h < H; h++) {
                    float want = -model_magnitude(&m, h, grid->v[t]);
                    float got = out[t * (size_t)H + (size_t)h];
                    if (bits_of(got) != bits_of(want) && bad++ < 5)
                        CHECK(0, "%s H %d b %g head %d distance %" PRId64 ": %a (%08" PRIx32
                              "), expected %a (%08" PRIx32 ")", mode ? "fp32" : "exact",
                              (int)H, cases[c].b, (int)h + 1, grid->v[t], got, bits_of(got),
                              want, bits_of(want));
                }
            CHECK(bad == 0, "%s H %d b %g: %d biases wrong", mode ? "fp32" : "exact", (int)H,
                  cases[c].b, bad);
            free(out);
            model_clear(&m);
            posenc_plan_destroy(plan);
        }
}

/* The rounding's fallback: slopes (hi, lo) made so that hi * v lands on or next to a midpoint
 * between two floats, with lo deciding the side. The double product alone would be wrong for
 * some of them; the result must be the correctly rounded (hi + lo) v. */
static void check_rounding_fallback(void)
{
    posenc_plan *plan = make_plan(NULL, 1, 8.0, POSENC_ANGLE_EXACT, POSENC_ALIBI_CAUSAL);
    if (!plan)
        return;
    double keep_hi = plan->slope_hi[0], keep_lo = plan->slope_lo[0];
    sample_rng rng = {UINT64_C(0xfa11)};
    mpfr_t x, t;
    mpfr_inits2(400, x, t, (mpfr_ptr)0);
    int bad = 0, cases = 0;
    for (int r = 0; r < (quick ? 2000 : 20000); r++) {
        /* v, and a midpoint M of floats near c v for a slope c in (2^-30, 1); one case in
           four has v a power of two and lo 0: M / v is exact, a tie that goes to even */
        int tie = r % 4 == 0;
        int64_t v = tie ? INT64_C(1) << (sample_rng_next(&rng) % 31)
                        : 1 + (int64_t)(sample_rng_next(&rng) % ((UINT64_C(1) << 31) - 1));
        double c = ldexp(0.5 + 0.5 * sample_rng_unit(&rng), -(int)(sample_rng_next(&rng) % 30));
        float f = (float)(c * (double)v);
        float up = nextafterf(f, INFINITY);
        double M = ((double)f + (double)up) * 0.5; /* exact */
        double hi = M / (double)v, lo = 0.0;
        if (!(hi < 1.0))
            continue;
        if (!tie) {
            /* lo: the rest of M / v, nudged by 1 or 2 units of 2^-80 hi either way: the true
               product then lies that far (far beyond 2^-100) on one side of M or the other */
            mpfr_set_d(x, M, MPFR_RNDN);
            mpfr_div_si(x, x, (long)v, MPFR_RNDN);
            mpfr_sub_d(x, x, hi, MPFR_RNDN);
            lo = mpfr_get_d(x, MPFR_RNDN);
            int nudge = (int)(sample_rng_next(&rng) % 4);
            lo += ldexp(hi, -80) * (nudge < 2 ? nudge - 2 : nudge - 1);
        }
        if (!(fabs(lo) <= ldexp(hi, -53)))
            continue;
        plan->slope_hi[0] = hi;
        plan->slope_lo[0] = lo;
        float got = posenc_alibi_magnitude(plan, 0, v);
        mpfr_set_d(x, hi, MPFR_RNDN);
        mpfr_add_d(x, x, lo, MPFR_RNDN); /* exact at 400 bits */
        mpfr_mul_si(t, x, (long)v, MPFR_RNDN);
        float want = alibi_oracle_round_float(t);
        cases++;
        if (bits_of(got) != bits_of(want) && bad++ < 5)
            CHECK(0, "slope %a + %a times %" PRId64 ": %a, correctly rounded %a", hi, lo, v, got,
                  want);
    }
    CHECK(bad == 0, "%d of %d made-up near-midpoint products rounded wrong", bad, cases);
    CHECK(cases > 100, "only %d near-midpoint cases made", cases);
    plan->slope_hi[0] = keep_hi;
    plan->slope_lo[0] = keep_lo;
    mpfr_clears(x, t, (mpfr_ptr)0);
    posenc_plan_destroy(plan);
}

/* ---- 4. forms and their relations ----------------------------------------------------------- */

static void consecutive(int64_t *p, size_t n, int64_t first)
{
    for (size_t i = 0; i < n; i++)
        p[i] = first + (int64_t)i;
}

static void check_forms(void)
{
    enum { NQ = 33, NK = 77 };
    int64_t q_pos[NQ], k_pos[NK];
    consecutive(k_pos, NK, 5);
    consecutive(q_pos, NQ, 5 + NK - NQ); /* a prefill with a cache: the last NQ keys' queries */
    for (int mode = 0; mode < 2; mode++)
        for (int f = 0; f < 3; f++) {
            posenc_angle_mode am = mode ? POSENC_ANGLE_FP32 : POSENC_ANGLE_EXACT;
            model m;
            model_init(&m, 12, 8.0, am, (posenc_alibi_form)f);
            char what[64];
            snprintf(what, sizeof what, "%s form %d prefill", mode ? "fp32" : "exact", f);
            free(check_apply(NULL, &m, q_pos, NQ, k_pos, NK, NULL, 0, what));
            /* decode: one query at the end of a long cache, at a large position */
            int64_t big_k[300], big_q = 2000000000 + 299;
            consecutive(big_k, 300, 2000000000);
            snprintf(what, sizeof what, "%s form %d decode", mode ? "fp32" : "exact", f);
            free(check_apply(NULL, &m, &big_q, 1, big_k, 300, NULL, 0, what));
            model_clear(&m);
        }

    /* relations, on scores of -0.0 (x + -0 = x for every x, -0 included: the bias itself) */
    for (int mode = 0; mode < 2; mode++) {
        posenc_angle_mode am = mode ? POSENC_ANGLE_FP32 : POSENC_ANGLE_EXACT;
        const size_t H = 12, n = 60;
        int64_t pos[60];
        for (size_t i = 0; i < n; i++)
            pos[i] = 1000 + (int64_t)(i * i); /* not consecutive */
        float *res[3];
        for (int f = 0; f < 3; f++) {
            posenc_plan *plan = make_plan(NULL, (int32_t)H, 8.0, am, (posenc_alibi_form)f);
            res[f] = harness_xmalloc(H * n * n * sizeof(float));
            for (size_t i = 0; i < H * n * n; i++)
                res[f][i] = -0.0f;
            if (plan)
                CHECK_CODE(posenc_alibi_apply(plan, pos, n, pos, n, res[f], NULL), POSENC_OK);
            posenc_plan_destroy(plan);
        }
        model m;
        model_init(&m, (int32_t)H, 8.0, am, POSENC_ALIBI_FULL);
        int bad = 0;
        for (size_t h = 0; h < H; h++) {
            /* m_h as a double: the oracle's slope (exact) or the recipe's float */
            mpfr_t s;
            mpfr_init2(s, 64);
            alibi_oracle_slope(&m.oracle, (int32_t)h, 64, s);
            double slope = mode ? (double)m.slope_f[h] : mpfr_get_d(s, MPFR_RNDN);
            mpfr_clear(s);
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++) {
                    size_t o = (h * n + i) * n + j, t = (h * n + j) * n + i;
                    float c = res[POSENC_ALIBI_CAUSAL][o], fu = res[POSENC_ALIBI_FULL][o];
                    float k = res[POSENC_ALIBI_KEY_ONLY][o];
                    if (j > i)
                        bad += !(c == -INFINITY);
                    else
                        bad += bits_of(c) != bits_of(fu);
                    bad += bits_of(fu) != bits_of(res[POSENC_ALIBI_FULL][t]); /* symmetric */
                    bad += bits_of(k) != bits_of(res[POSENC_ALIBI_KEY_ONLY][(h * n) * n + j]);
                    if (j <= i) {
                        /* k - c = m q_pos, within half an ulp of each (and m's own rounding
                           in fp32 mode, where both come from the float slope) */
                        double diff = (double)k - (double)c - slope * (double)pos[i];
                        double tol = 0.5 * (nextafterf(fabsf(k), INFINITY) - fabsf(k)) +
                                     0.5 * (nextafterf(fabsf(c), INFINITY) - fabsf(c)) +
                                     fabs(slope * (double)pos[i]) * 0x1p-50;
                        if (mode)
                            tol += 2.0 * fabs(slope * (double)pos[i]) * 0x1p-24;
                        if (!(fabs(diff) <= tol) && bad++ < 3)
                            CHECK(0, "head %zu q %" PRId64 " k %" PRId64 ": key-only %a - causal "
                                  "%a differs from m q by %g", h, pos[i], pos[j], k, c, diff);
                    }
                }
        }
        CHECK(bad == 0, "%s: %d scores break the relations between the forms",
              mode ? "fp32" : "exact", bad);
        model_clear(&m);
        for (int f = 0; f < 3; f++)
            free(res[f]);
    }
}

/* ---- 5, 6, 7, 8. layouts, positions, backends, special values ------------------------------- */

typedef struct positions_case {
    const char *what;
    size_t n_q, n_k;
    int64_t q[64], k[96];
} positions_case;

static size_t make_position_cases(positions_case *pc)
{
    sample_rng rng = {UINT64_C(0x9051)};
    size_t n = 0;
    positions_case *c;
    /* consecutive: a prefill with a cache */
    c = &pc[n++];
    *c = (positions_case){.what = "consecutive", .n_q = 40, .n_k = 90};
    consecutive(c->k, 90, 70);
    consecutive(c->q, 40, 120);
    /* keys in descending order */
    c = &pc[n++];
    *c = (positions_case){.what = "descending keys", .n_q = 21, .n_k = 50};
    for (size_t j = 0; j < 50; j++)
        c->k[j] = 200 - (int64_t)j;
    consecutive(c->q, 21, 170);
    /* a permutation of a small range (biases from the table, gathered) */
    c = &pc[n++];
    *c = (positions_case){.what = "permuted", .n_q = 30, .n_k = 64};
    consecutive(c->k, 64, 3);
    for (size_t j = 63; j > 0; j--) {
        size_t r = (size_t)(sample_rng_next(&rng) % (j + 1));
        int64_t t = c->k[j];
        c->k[j] = c->k[r];
        c->k[r] = t;
    }
    for (size_t q = 0; q < 30; q++)
        c->q[q] = 3 + (int64_t)(sample_rng_next(&rng) % 80);
    /* sparse positions up to 2^31 - 1 (each bias computed where used) */
    c = &pc[n++];
    *c = (positions_case){.what = "sparse", .n_q = 17, .n_k = 45};
    for (size_t j = 0; j < 45; j++)
        c->k[j] = sample_rng_log_position(&rng) - 1;
    c->k[0] = (INT64_C(1) << 31) - 1;
    c->k[1] = 0;
    for (size_t q = 0; q < 17; q++)
        c->q[q] = sample_rng_log_position(&rng) - 1;
    c->q[0] = (INT64_C(1) << 31) - 1;
    c->q[1] = 0;
    /* consecutive keys, queries far apart (the table would be too large) */
    c = &pc[n++];
    *c = (positions_case){.what = "queries far apart", .n_q = 3, .n_k = 60};
    consecutive(c->k, 60, 1000);
    c->q[0] = 1030;
    c->q[1] = (INT64_C(1) << 31) - 1;
    c->q[2] = 0;
    return n;
}

static void check_positions_layouts_backends(void)
{
    static positions_case pc[8];
    size_t n_cases = make_position_cases(pc);
    const posenc_impl *scalar = posenc_impl_find("alibi/scalar");
    CHECK(scalar != NULL, "no alibi/scalar");
    if (!scalar)
        return;
    const int32_t H = 12;
    const posenc_score_layout layouts[] = {
        {0, 0, 0, 0},
        {2, 5, 0, 0},     /* a shard of 5 heads from head 2 */
        {0, 0, 101, 0},   /* padded rows */
        {3, 0, 97, 9000}, /* the last 9 heads, padded rows and heads */
    };
    size_t n_layouts = sizeof layouts / sizeof layouts[0];
    static model models[2][3];
    for (int mode = 0; mode < 2; mode++)
        for (int f = 0; f < 3; f++)
            model_init(&models[mode][f], H, 8.0, mode ? POSENC_ANGLE_FP32 : POSENC_ANGLE_EXACT,
                       (posenc_alibi_form)f);
    int compared = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (impl->kind != POSENC_ALIBI)
            continue;
        if (!posenc_impl_supported(impl)) {
            printf("skip %s: this CPU lacks its instruction set (or "
                   "POSENC_DISABLE_CPU_FEATURES hides it)\n", impl->name);
            continue;
        }
        printf("check %s\n", impl->name);
        for (size_t c = 0; c < n_cases; c++)
            for (size_t li = 0; li < n_layouts; li++)
                for (int mode = 0; mode < 2; mode++)
                    for (int f = 0; f < 3; f++)
                        for (int sp = 0; sp < 2; sp++) {
                            if (quick && li % 2 != (size_t)(f + c) % 2)
                                continue; /* half the layouts, each form gets some */
                            const posenc_score_layout *l = li ? &layouts[li] : NULL;
                            if (l && l->row_stride && l->row_stride < pc[c].n_k)
                                continue;
                            model *m = &models[mode][f];
                            char what[128];
                            snprintf(what, sizeof what, "%s, layout %zu, %s form %d%s",
                                     pc[c].what, li, mode ? "fp32" : "exact", f,
                                     sp ? ", special scores" : "");
                            float *a = check_apply(impl, m, pc[c].q, pc[c].n_q, pc[c].k,
                                                   pc[c].n_k, l, sp, what);
                            float *b = impl == scalar ? NULL
                                                      : check_apply(scalar, m, pc[c].q,
                                                                    pc[c].n_q, pc[c].k,
                                                                    pc[c].n_k, l, sp, what);
                            if (a && b) {
                                scores_buf s;
                                scores_alloc(&s, H, l, pc[c].n_q, pc[c].n_k, 0, 0);
                                long d = first_difference(a, b, s.floats);
                                CHECK(d < 0, "%s vs alibi/scalar, %s: float %ld differs",
                                      impl->name, what, d);
                                free(s.v);
                            }
                            free(a);
                            free(b);
                        }
        compared++;
    }
    for (int mode = 0; mode < 2; mode++)
        for (int f = 0; f < 3; f++)
            model_clear(&models[mode][f]);
    CHECK(compared > 0, "no alibi implementation ran");
}

/* Scores of special values at the diagonal and off it, spelled out: -0 + -0 stays -0, +0 + -0
 * is +0, inf + bias is inf, a masked NaN is -inf, NaNs of any payload come out 0x7fc00000. */
static void check_special_cases(void)
{
    int64_t pos[2] = {7, 8};
    for (int f = 0; f < 3; f++) {
        posenc_plan *plan = make_plan(NULL, 1, 8.0, POSENC_ANGLE_EXACT, (posenc_alibi_form)f);
        if (!plan)
            return;
        /* rows q = 7, 8; columns k = 7, 8 */
        float s[4] = {-0.0f, from_bits(0xffd23456), 0.0f, INFINITY};
        CHECK_CODE(posenc_alibi_apply(plan, pos, 2, pos, 2, s, NULL), POSENC_OK);
        /* one head, b = 8: m = 2^-8 */
        if (f == POSENC_ALIBI_KEY_ONLY) {
            CHECK(s[0] == 7.0f / 256.0f, "key-only: -0 + m 7 is %a", s[0]);
            CHECK(bits_of(s[1]) == 0x7fc00000, "key-only: NaN in, %08" PRIx32 " out",
                  bits_of(s[1]));
            CHECK(s[2] == 7.0f / 256.0f, "key-only: +0 + m 7 is %a", s[2]);
            CHECK(s[3] == INFINITY, "key-only: inf + m 8 is %a", s[3]);
        } else {
            CHECK(bits_of(s[0]) == 0x80000000, "form %d: -0 at distance 0 gives %08" PRIx32, f,
                  bits_of(s[0]));
            if (f == POSENC_ALIBI_CAUSAL)
                CHECK(s[1] == -INFINITY, "causal: a NaN above the diagonal gives %a", s[1]);
            else
                CHECK(bits_of(s[1]) == 0x7fc00000, "full: NaN in, %08" PRIx32 " out",
                      bits_of(s[1]));
            CHECK(s[2] == -1.0f / 256.0f, "form %d: +0 at distance 1 gives %a", f, s[2]);
            CHECK(s[3] == INFINITY, "form %d: inf at distance 0 gives %a", f, s[3]);
        }
        posenc_plan_destroy(plan);
    }
    /* +0 at distance 0 stays +0 (0 + -0 = +0) */
    posenc_plan *plan = make_plan(NULL, 3, 8.0, POSENC_ANGLE_EXACT, POSENC_ALIBI_FULL);
    if (plan) {
        float s[3] = {0.0f, 0.0f, 0.0f};
        CHECK_CODE(posenc_alibi_apply(plan, pos, 1, pos, 1, s, NULL), POSENC_OK);
        for (int h = 0; h < 3; h++)
            CHECK(bits_of(s[h]) == 0, "+0 at distance 0, head %d: %08" PRIx32, h,
                  bits_of(s[h]));
        posenc_plan_destroy(plan);
    }
}

/* ---- 9. bad input ---------------------------------------------------------------------------- */

#define BUF 4096
static float buffer[BUF], pristine[BUF];

static void fill_buffer(void)
{
    for (int i = 0; i < BUF; i++)
        buffer[i] = pristine[i] = (float)(i % 89) * 0.5f - 7.0f;
}

static int unchanged(void) { return !memcmp(buffer, pristine, sizeof buffer); }

#define EXPECT_FAILS(call, code, what)                                                      \
    do {                                                                                    \
        fill_buffer();                                                                      \
        CHECK_CODE(call, code);                                                             \
        CHECK(unchanged(), "%s: scores written on failure", what);                          \
        CHECK(posenc_last_error()[0] != '\0', "%s: no message", what);                      \
    } while (0)

static void check_bad_input(void)
{
    posenc_plan *plan = make_plan(NULL, 8, 8.0, POSENC_ANGLE_EXACT, POSENC_ALIBI_CAUSAL);
    if (!plan)
        return;
    int64_t q[4] = {0, 1, 2, 3}, k[4] = {0, 1, 2, 3};
    EXPECT_FAILS(posenc_alibi_apply(NULL, q, 4, k, 4, buffer, NULL), POSENC_ERR_NULL, "NULL plan");
    EXPECT_FAILS(posenc_alibi_apply(plan, NULL, 4, k, 4, buffer, NULL), POSENC_ERR_NULL,
                 "NULL q_pos");
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, NULL, 4, buffer, NULL), POSENC_ERR_NULL,
                 "NULL k_pos");
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, k, 4, NULL, NULL), POSENC_ERR_NULL,
                 "NULL scores");
    /* a plan of another kind */
    posenc_params rp = posenc_params_default(POSENC_ROTARY, 64);
    posenc_plan *rot = NULL;
    CHECK_CODE(posenc_plan_create(NULL, &rp, &rot), POSENC_OK);
    EXPECT_FAILS(posenc_alibi_apply(rot, q, 4, k, 4, buffer, NULL), POSENC_ERR_KIND,
                 "rotary plan");
    posenc_plan_destroy(rot);
    /* and apply on an alibi plan */
    EXPECT_FAILS(posenc_apply(plan, q, 4, buffer, NULL), POSENC_ERR_KIND, "posenc_apply");
    /* positions */
    int64_t neg[4] = {0, 1, -1, 3}, past[4] = {0, INT64_C(1) << 31, 2, 3};
    EXPECT_FAILS(posenc_alibi_apply(plan, neg, 4, k, 4, buffer, NULL), POSENC_ERR_POSITION,
                 "negative query position");
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, past, 4, buffer, NULL), POSENC_ERR_POSITION,
                 "key position 2^31");
    posenc_params lp = posenc_params_default(POSENC_ALIBI, 8);
    lp.max_positions = 3;
    posenc_plan *low = NULL;
    CHECK_CODE(posenc_plan_create(NULL, &lp, &low), POSENC_OK);
    if (low) {
        CHECK(posenc_plan_max_pos(low) == 3, "max_positions 3: limit %" PRId64,
              posenc_plan_max_pos(low));
        EXPECT_FAILS(posenc_alibi_apply(low, q, 4, k, 3, buffer, NULL), POSENC_ERR_POSITION,
                     "query position 3 of a 3-position plan");
        EXPECT_FAILS(posenc_encode(low, q, 4, buffer), POSENC_ERR_POSITION, "encode at 3");
    }
    posenc_plan_destroy(low);
    /* layouts */
    posenc_score_layout bad_first = {.first_head = 8};
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, k, 4, buffer, &bad_first), POSENC_ERR_LAYOUT,
                 "first_head 8 of 8");
    posenc_score_layout too_many = {.first_head = 3, .n_heads = 6};
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, k, 4, buffer, &too_many), POSENC_ERR_LAYOUT,
                 "heads 3..8 of 8");
    posenc_score_layout huge_heads = {.first_head = 0, .n_heads = SIZE_MAX};
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, k, 4, buffer, &huge_heads), POSENC_ERR_LAYOUT,
                 "SIZE_MAX heads");
    posenc_score_layout short_rows = {.row_stride = 3};
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, k, 4, buffer, &short_rows), POSENC_ERR_LAYOUT,
                 "row_stride 3 < n_k 4");
    posenc_score_layout short_heads = {.row_stride = 5, .head_stride = 19};
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, k, 4, buffer, &short_heads), POSENC_ERR_LAYOUT,
                 "head_stride 19 < 4 x 5");
    /* spans past size_t: found before any position is read */
    posenc_score_layout wide_rows = {.row_stride = SIZE_MAX / 8};
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 16, k, 4, buffer, &wide_rows), POSENC_ERR_OVERFLOW,
                 "16 rows of stride SIZE_MAX / 8");
    posenc_score_layout wide_heads = {.head_stride = SIZE_MAX / 16};
    EXPECT_FAILS(posenc_alibi_apply(plan, q, 4, k, 4, buffer, &wide_heads), POSENC_ERR_OVERFLOW,
                 "8 heads of stride SIZE_MAX / 16");
    EXPECT_FAILS(posenc_alibi_apply(plan, q, SIZE_MAX / 2, k, 4, buffer, NULL),
                 POSENC_ERR_OVERFLOW, "SIZE_MAX / 2 rows");
    /* nothing to do is not an error, with NULL pointers too */
    fill_buffer();
    CHECK_CODE(posenc_alibi_apply(plan, NULL, 0, k, 4, buffer, NULL), POSENC_OK);
    CHECK_CODE(posenc_alibi_apply(plan, q, 4, NULL, 0, NULL, NULL), POSENC_OK);
    CHECK(unchanged(), "a call with nothing to do wrote");
    /* one head, one row: the strides do not matter */
    posenc_score_layout one = {.first_head = 7, .n_heads = 1, .row_stride = 1, .head_stride = 1};
    CHECK_CODE(posenc_alibi_apply(plan, q, 1, k, 4, buffer, &one), POSENC_OK);
    CHECK(posenc_last_error()[0] == '\0', "message not cleared by a successful call");
    posenc_plan_destroy(plan);

    /* parameters */
    static const double bad_b[] = {-1.0, 1000.0000000001, NAN, INFINITY, -0.5};
    for (size_t i = 0; i < sizeof bad_b / sizeof bad_b[0]; i++) {
        posenc_params p = posenc_params_default(POSENC_ALIBI, 8);
        p.alibi.bias_max = bad_b[i];
        posenc_plan *x = NULL;
        CHECK_CODE(posenc_plan_create(NULL, &p, &x), POSENC_ERR_ARGUMENT);
        CHECK(x == NULL, "plan written on failure");
    }
    posenc_params p = posenc_params_default(POSENC_ALIBI, 8);
    p.alibi.form = (posenc_alibi_form)3;
    posenc_plan *x = NULL;
    CHECK_CODE(posenc_plan_create(NULL, &p, &x), POSENC_ERR_ARGUMENT);
    p = posenc_params_default(POSENC_ALIBI, 8);
    p.angle_mode = (posenc_angle_mode)2;
    CHECK_CODE(posenc_plan_create(NULL, &p, &x), POSENC_ERR_ARGUMENT);
    p = posenc_params_default(POSENC_ALIBI, 0);
    CHECK_CODE(posenc_plan_create(NULL, &p, &x), POSENC_ERR_DIM);
    p = posenc_params_default(POSENC_ALIBI, 65537);
    CHECK_CODE(posenc_plan_create(NULL, &p, &x), POSENC_ERR_DIM);
    p = posenc_params_default(POSENC_ALIBI, 8);
    CHECK_CODE(posenc_plan_create(posenc_impl_find("rotary/scalar"), &p, &x), POSENC_ERR_KIND);
    CHECK(x == NULL, "plan written on failure");
    /* bias_max 0 means 8, 1e3 is accepted; the largest H too */
    p = posenc_params_default(POSENC_ALIBI, 65536);
    p.alibi.bias_max = 1e3;
    CHECK_CODE(posenc_plan_create(NULL, &p, &x), POSENC_OK);
    posenc_plan_destroy(x);
    x = NULL;
    p = posenc_params_default(POSENC_ALIBI, 8);
    CHECK_CODE(posenc_plan_create(NULL, &p, &x), POSENC_OK);
    CHECK(x && posenc_plan_params(x)->alibi.bias_max == 8.0, "bias_max 0 is not 8");
    posenc_plan_destroy(x);
}

int main(int argc, char **argv)
{
    quick = tests_parse_quick(argc, argv, "test_alibi");
    if (quick < 0)
        return 2;
    harness_set_name("test_alibi");
    const posenc_impl *best = posenc_impl_best(POSENC_ALIBI);
    CHECK(best && best->kind == POSENC_ALIBI, "no alibi implementation for dispatch");
    if (best)
        printf("dispatch: %s\n", best->name);
    check_slopes();
    pos_list grid = distance_grid();
    printf("%zu distances\n", grid.n);
    check_encode(&grid);
    pos_list_free(&grid);
    check_rounding_fallback();
    check_forms();
    check_special_cases();
    check_positions_layouts_backends();
    check_bad_input();
    return tests_exit_code("test_alibi");
}
