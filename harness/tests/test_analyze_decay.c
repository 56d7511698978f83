/* test_analyze_decay.c - the decay section of `posenc analyze` (harness/analyze/decay.c) on
 * settings built here:
 *
 * 1. rope_bound, RoFormer's relative upper bound: (n/2 + 1) / 2 at distance 0, exactly; never
 *    above it (|S_j| <= j); its decade means fall over the first three decades and its mean
 *    from 10^4 on is below 0.4 of the value at 0 and twice the level of random phases.
 * 2. rope_self: at distance 0 the library's rotation gives the analytic value, recomputed here
 *    from the same seeded vectors with the attention factor and partial rotary, within 4e-6
 *    (each rotated float is rounded once: 2^-24 relative, summed over a vector's squares and
 *    averaged). From 10^4 on, where all but the lowest frequencies have turned many times, its
 *    mean is near 0 for a full rotary and near the unrotated share (h - r) / h for a partial
 *    one (within 0.25: each frequency still turning slowly weighs 2 / n).
 * 3. rope_random: random independent q, k have a score whose distribution does not depend on
 *    the distance, so every value stays within 15% of the mean over the distances.
 * 4. alibi_weight: the heads of the largest, median and smallest slopes of BLOOM's geometry
 *    (2^(-8h/H); H = 12 adds the interleaved series), their weights exp(-m d) within the
 *    rounding of the float bias (relative 2^-24 of m d, in the log) or 0 past exp's range.
 * 5. A sinusoidal setting adds no curve; a dynamic-NTK setting at its original length gives
 *    the unscaled setting's curves bit for bit (HF keeps the base up to L0) and brings its
 *    derived static-NTK curves ("+ntk" key), which differ. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "analyze_settings.h"
#include "check.h"
#include "harness_util.h"

#define N_DIST 40
#define VECTORS 256

static int64_t distances[N_DIST];
static size_t n_distances;

static void make_distances(void)
{
    /* 0, then four per decade up to 10^6, plus 1..4 */
    distances[n_distances++] = 0;
    for (int k = 0; k <= 24; k++) {
        int64_t d = (int64_t)llround(pow(10.0, k / 4.0));
        if (d > distances[n_distances - 1])
            distances[n_distances++] = d;
    }
    for (int64_t d = 2; d <= 4; d++) {
        size_t at = n_distances;
        while (at > 0 && distances[at - 1] > d)
            at--;
        if (distances[at - 1] == d)
            continue;
        memmove(distances + at + 1, distances + at, (n_distances - at) * sizeof *distances);
        distances[at] = d;
        n_distances++;
    }
}

static const analysis_curve *find(const analysis_record *r, const char *model,
                                  const char *quantity, size_t nth)
{
    for (size_t i = 0; i < r->n_curves; i++)
        if (!strcmp(r->curves[i].model, model) && !strcmp(r->curves[i].quantity, quantity) &&
            nth-- == 0)
            return &r->curves[i];
    return NULL;
}

/* mean of the curve's values over distances in [lo, hi) */
static double mean_over(const analysis_curve *cv, int64_t lo, int64_t hi)
{
    double s = 0.0;
    int n = 0;
    for (size_t j = 0; j < cv->n; j++)
        if (cv->distance[j] >= lo && cv->distance[j] < hi) {
            s += cv->value[j];
            n++;
        }
    return n ? s / n : NAN;
}

static double dotf(const float *a, const float *b, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += (double)a[i] * b[i];
    return s;
}

/* the analytic rope_self at 0, from the section's vectors: the first `len` normals of the seed
 * are q, each rotated dim scaled by a */
static double self_at_0(uint64_t seed, int h, int rot, double a)
{
    const size_t len = (size_t)VECTORS * h;
    double *nrm = harness_xmalloc(2 * len * sizeof *nrm);
    analyze_random_normal(seed, 2 * len, nrm);
    float *q = harness_xmalloc((size_t)h * sizeof *q);
    double s = 0.0;
    for (size_t t = 0; t < VECTORS; t++) {
        for (int i = 0; i < h; i++)
            q[i] = (float)nrm[t * h + i];
        const double r2 = dotf(q, q, rot), p2 = dotf(q + rot, q + rot, h - rot);
        s += (a * r2 + p2) / (r2 + p2);
    }
    free(q);
    free(nrm);
    return s / VECTORS;
}

static void check_rotary(const analysis_record *r, const analyze_model *m, double a,
                         uint64_t seed)
{
    const int h = m->params.dim, rot = m->params.rotary_dim ? m->params.rotary_dim : h;
    const analysis_curve *b = find(r, m->key, "rope_bound", 0);
    const analysis_curve *s = find(r, m->key, "rope_self", 0);
    const analysis_curve *x = find(r, m->key, "rope_random", 0);
    CHECK(b && s && x, "%s: curves missing", m->key);
    if (!b || !s || !x)
        return;
    CHECK(b->n == n_distances && b->distance[0] == 0, "%s: distances", m->key);

    /* 1. the bound */
    const double b0 = (rot / 2 + 1) / 2.0;
    CHECK(b->value_at_0 == b0 && fabs(b->value[0] - b0) <= 1e-12 * b0,
          "%s: bound at 0: %.17g (analytic %.17g, stated %.17g)", m->key, b->value[0], b0,
          b->value_at_0);
    int above = 0;
    for (size_t j = 0; j < b->n; j++)
        above += !(b->value[j] <= b0 * (1 + 1e-12));
    CHECK(above == 0, "%s: the bound exceeds its value at 0 at %d distances", m->key, above);
    const double d1 = mean_over(b, 1, 10), d2 = mean_over(b, 10, 100), d3 = mean_over(b, 100, 1000);
    CHECK(b0 > d1 && d1 > d2 && d2 > d3, "%s: decade means of the bound %.3g %.3g %.3g %.3g",
          m->key, b0, d1, d2, d3);
    /* far away the phases d theta_k are spread like independent uniform ones, whose partial
     * sums have E|S_j| = sqrt(pi j) / 2; the lowest frequencies still turn together, so allow
     * twice that level */
    double random_level = 0.0;
    for (int j = 1; j <= rot / 2; j++)
        random_level += sqrt(3.14159265358979323846 * j) / 2.0;
    random_level /= rot / 2;
    const double far = mean_over(b, 10000, INT64_MAX);
    CHECK(far < 0.4 * b0 && far < 2.0 * random_level,
          "%s: bound from 1e4 on %.3g, at 0 %.3g, random phases %.3g", m->key, far, b0,
          random_level);

    /* 2. a token meeting itself */
    const double s0 = self_at_0(seed, h, rot, a);
    CHECK(fabs(s->value_at_0 - s0) <= 1e-12 && fabs(s->value[0] - s0) <= 4e-6,
          "%s: rope_self at 0: measured %.9g, stated %.9g, analytic %.9g", m->key, s->value[0],
          s->value_at_0, s0);
    const double self_far = mean_over(s, 10000, INT64_MAX), pass = (double)(h - rot) / h;
    CHECK(fabs(self_far - pass) < 0.25, "%s: rope_self from 1e4 on %.3g, expected about %.3g",
          m->key, self_far, pass);
    CHECK(s->value[1] < s->value[0], "%s: rope_self does not fall at distance 1", m->key);

    /* 3. the baseline */
    const double mx = mean_over(x, 0, INT64_MAX);
    int off = 0;
    for (size_t j = 0; j < x->n; j++)
        off += !(fabs(x->value[j] - mx) <= 0.15 * mx);
    CHECK(off == 0 && isfinite(x->value_at_0) && fabs(x->value[0] - x->value_at_0) <= 1e-5,
          "%s: rope_random: %d values off the mean %.3g by 15%%; at 0 %.9g, stated %.9g",
          m->key, off, mx, x->value[0], x->value_at_0);
}

/* BLOOM's slopes for H heads (posenc.h, posenc_alibi) */
static void bloom_slopes(int H, double *m)
{
    int p = 1;
    while (2 * p <= H)
        p *= 2;
    int k = 0;
    for (int h = 1; h <= p; h++)
        m[k++] = pow(2.0, -8.0 * h / p);
    for (int h = 1; k < H; h += 2)
        m[k++] = pow(2.0, -8.0 * h / (2 * p));
}

static void check_alibi(const analysis_record *r, const char *key, int H)
{
    double m[64], lo = INFINITY, hi = 0;
    bloom_slopes(H, m);
    for (int h = 0; h < H; h++) {
        lo = m[h] < lo ? m[h] : lo;
        hi = m[h] > hi ? m[h] : hi;
    }
    int seen_lo = 0, seen_hi = 0, n = 0;
    for (const analysis_curve *cv; (cv = find(r, key, "alibi_weight", (size_t)n)); n++) {
        int known = 0;
        for (int h = 0; h < H; h++)
            known |= fabs(cv->base - m[h]) <= 1e-7 * m[h];
        CHECK(known, "%s: slope %.9g is not one of BLOOM's", key, cv->base);
        seen_lo |= fabs(cv->base - lo) <= 1e-7 * lo;
        seen_hi |= fabs(cv->base - hi) <= 1e-7 * hi;
        CHECK(cv->value_at_0 == 1.0 && cv->value[0] == 1.0, "%s: weight at 0 %.9g", key,
              cv->value[0]);
        int bad = 0;
        for (size_t j = 0; j < cv->n; j++) {
            const double md = cv->base * (double)cv->distance[j];
            if (md > 745.0) /* exp underflows to 0 in double */
                bad += cv->value[j] != 0.0;
            else
                bad += !(fabs(log(cv->value[j]) + md) <= md * 0x1p-23 + 1e-300);
        }
        CHECK(bad == 0, "%s: %d weights differ from exp(-m d), m = %.9g", key, bad, cv->base);
    }
    CHECK(n == 3 && seen_lo && seen_hi, "%s: %d alibi curves (want 3: largest %d, smallest %d)",
          key, n, seen_hi, seen_lo);
}

int main(int argc, char **argv)
{
    harness_set_name("test_analyze_decay");
    if (tests_parse_quick(argc, argv, "test_analyze_decay") < 0)
        return 2;
    make_distances();

    analyze_model models[8];
    size_t n = 0;
    models[n++] = test_rotary_setting("plain-64", "none", 64, 0, 10000.0, 4096);
    /* yarn x4: attention factor 0.1 ln 4 + 1; half of each head rotated */
    analyze_model y = test_rotary_setting("yarn-partial", "yarn", 64, 32, 10000.0, 4096);
    y.params.scaling.type = POSENC_SCALING_YARN;
    y.params.scaling.factor = 4.0;
    y.params.scaling.original_max_positions = 1024;
    y.context_original = 1024;
    models[n++] = y;
    analyze_model dyn = test_rotary_setting("tiny-dynamic-ntk", "dynamic", 32, 0, 10000.0, 4096);
    dyn.params.scaling.type = POSENC_SCALING_DYNAMIC;
    dyn.params.scaling.factor = 2.0;
    dyn.params.scaling.original_max_positions = 4096;
    models[n++] = dyn;
    models[n++] = test_rotary_setting("plain-32", "none", 32, 0, 10000.0, 4096);
    for (int H = 8; H <= 12; H += 4) {
        analyze_model a;
        memset(&a, 0, sizeof a);
        snprintf(a.key, sizeof a.key, "alibi-%d", H);
        snprintf(a.variant, sizeof a.variant, "alibi");
        a.params = posenc_params_default(POSENC_ALIBI, H);
        a.params.alibi.form = POSENC_ALIBI_CAUSAL; /* the section measures -m d in any form */
        a.heads = H;
        a.context = a.context_original = 2048;
        models[n++] = a;
    }
    models[n++] = test_sinusoidal_setting("sin-16", 16, 0);

    analyze_config c;
    memset(&c, 0, sizeof c);
    c.n_models = n;
    c.models = models;
    c.vectors = VECTORS;
    c.n_distances = n_distances;
    c.distances = distances;
    c.seed = 20260101;
    analysis_record r;
    analysis_record_init(&r);
    CHECK(analyze_run_decay(&c, &r) == 0, "analyze_run_decay failed");

    check_rotary(&r, &models[0], 1.0, c.seed);
    check_rotary(&r, &models[1], 0.1 * log(4.0) + 1.0, c.seed);
    check_rotary(&r, &models[2], 1.0, c.seed);
    check_rotary(&r, &models[3], 1.0, c.seed);
    check_alibi(&r, "alibi-8", 8);
    check_alibi(&r, "alibi-12", 12);

    /* 5. what else the record holds */
    static const char *const quantities[3] = {"rope_bound", "rope_self", "rope_random"};
    for (int q = 0; q < 3; q++) {
        const analysis_curve *dy = find(&r, "tiny-dynamic-ntk", quantities[q], 0);
        const analysis_curve *pl = find(&r, "plain-32", quantities[q], 0);
        const analysis_curve *st = find(&r, "tiny+ntk2", quantities[q], 0);
        CHECK(dy && pl && st, "%s: curves of the NTK settings missing", quantities[q]);
        if (!dy || !pl || !st)
            continue;
        CHECK(!memcmp(dy->value, pl->value, dy->n * sizeof *dy->value),
              "%s: dynamic NTK at L0 differs from the unscaled setting", quantities[q]);
        CHECK(memcmp(st->value, pl->value, st->n * sizeof *st->value) &&
                  !strcmp(st->variant, "ntk") && strstr(st->label, "derived"),
              "%s: the derived static NTK (variant %s, label %s) is the unscaled setting",
              quantities[q], st->variant, st->label);
    }
    size_t expected = 3 * 5 + 3 * 2; /* 5 rotary settings (one derived), 2 alibi */
    CHECK(r.n_curves == expected, "%zu curves, expected %zu", r.n_curves, expected);
    CHECK(find(&r, "sin-16", "rope_bound", 0) == NULL, "a sinusoidal setting got curves");
    CHECK(r.n_skipped == 0, "%zu settings left out (first: %s, %s)", r.n_skipped,
          r.n_skipped ? r.skipped[0].what : "", r.n_skipped ? r.skipped[0].why : "");

    analysis_record_free(&r);
    return tests_exit_code("test_analyze_decay");
}
