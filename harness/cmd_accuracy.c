/* cmd_accuracy.c - `posenc accuracy`: the error of every sinusoidal and rotary implementation in
 * both angle modes against the MPFR oracle, swept over positions up to 2^31, and a bit-exact
 * check of the learned ones; the exit code says whether every documented bound holds. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "error_units.h"
#include "harness_util.h"
#include "oracle.h"
#include "posenc.h"
#include "sample_grid.h"

#define N_DECADES 10 /* [0, 10), [10, 100), ..., [1e9, 2^31) */
#define PI 3.14159265358979323846

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_ACCURACY = 4 };

static int quick;

static sample_rng rng;

static int decade_of(int64_t p)
{
    int d = 0;
    for (int64_t lim = 10; p >= lim && d < N_DECADES - 1; lim *= 10)
        d++;
    return d;
}

/* ---- positions ---------------------------------------------------------------------------- */

/* Random positions and neighbours of zeros are computed in double and may fall just outside
 * [0, 2^31): those are dropped. */
static void push(pos_list *l, int64_t p)
{
    if (p >= 0 && p < SAMPLE_POS_LIMIT)
        pos_list_push(l, p);
}

/* The sweep for a slowest frequency w_min: 0..4095, round numbers, 2^k +- 1, random positions
 * in every decade, and positions next to zeros of sin(p w_min) (m pi / w_min), where a phase
 * error shows as a sign flip of a tiny value. Sorted: the oracle walks consecutive runs fast. */
static void sweep_positions(pos_list *l, double w_min)
{
    sample_push_dense(l, quick ? 16 : 1);
    push(l, SAMPLE_DENSE_END - 1);
    for (int64_t p = 10000; p < SAMPLE_POS_LIMIT; p *= 10)
        push(l, p);
    sample_push_specials(l, 0);
    int per_decade = quick ? 8 : 64;
    for (int d = 3; d < N_DECADES; d++) {
        double lo = pow(10.0, d), hi = fmin(pow(10.0, d + 1), (double)SAMPLE_POS_LIMIT);
        for (int k = 0; k < per_decade; k++)
            push(l, (int64_t)(lo + sample_rng_unit(&rng) * (hi - lo)));
    }
    double m_max = floor(((double)SAMPLE_POS_LIMIT - 2) * w_min / PI);
    int n_zero = quick ? 8 : 48;
    for (int k = 0; k < n_zero && m_max >= 1; k++) {
        /* m = 1, 2, 3, then spread log-uniformly up to the last zero below 2^31 */
        double m = k < 3 ? k + 1 : floor(exp(log(m_max) * (double)(k - 2) / (n_zero - 3)));
        if (m < 1)
            m = 1;
        int64_t p = (int64_t)llround(m * PI / w_min);
        push(l, p - 1);
        push(l, p);
        push(l, p + 1);
    }
    pos_list_sort_unique(l);
}

/* ---- one representative shape and its oracle ---------------------------------------------- */

typedef struct shape {
    posenc_kind kind;
    int32_t dim;
    double base;
    int freq_stride; /* check every freq_stride-th frequency (plus the last) */
    oracle_table table;
    int built;
} shape;

static int build_table(shape *sh)
{
    if (sh->built)
        return sh->built > 0 ? 0 : -1;
    int32_t h = sh->dim / 2;
    oracle_freq slow;
    oracle_freq_init(&slow, sh->base, sh->dim, h - 1, 1.0);
    pos_list pl = {0};
    sweep_positions(&pl, slow.w_d);
    oracle_freq_clear(&slow);
    int32_t *idx = harness_xmalloc((size_t)h * sizeof *idx);
    size_t ni = 0;
    for (int32_t i = 0; i < h; i += sh->freq_stride)
        idx[ni++] = i;
    if (idx[ni - 1] != h - 1)
        idx[ni++] = h - 1;
    int rc = oracle_table_build(&sh->table, sh->base, sh->dim, 1.0, pl.v, pl.n, idx, ni, 0);
    free(idx);
    pos_list_free(&pl);
    sh->built = rc ? -1 : 1;
    if (rc)
        fprintf(stderr, "posenc accuracy: oracle table for dim %d base %g failed\n", sh->dim,
                sh->base);
    return rc;
}

/* ---- error of one (implementation, mode, shape) ------------------------------------------- */

typedef struct bucket {
    double max_u, sum_u;
    uint64_t count;
} bucket;

typedef struct result {
    double max_u, sum_u;
    uint64_t count;
    int64_t worst_p;
    int32_t worst_i;
    const char *worst_what;
    bucket dec[N_DECADES];
    double apply_max_u; /* rotary: per pair, relative to max(|a|, |b|); < 0 when not run */
} result;

static void add(result *r, double err_u, int64_t p, int32_t i, const char *what)
{
    r->count++;
    r->sum_u += err_u;
    if (!(err_u <= r->max_u)) {
        r->max_u = err_u;
        r->worst_p = p;
        r->worst_i = i;
        r->worst_what = what;
    }
    bucket *b = &r->dec[decade_of(p)];
    b->count++;
    b->sum_u += err_u;
    if (!(err_u <= b->max_u))
        b->max_u = err_u;
}

static int measure(const posenc_impl *impl, shape *sh, posenc_angle_mode mode, result *res)
{
    memset(res, 0, sizeof *res);
    res->apply_max_u = -1.0;
    posenc_params prm = posenc_params_default(impl->kind, sh->dim);
    prm.base = sh->base;
    prm.angle_mode = mode;
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(impl, &prm, &plan);
    if (rc != POSENC_OK) {
        fprintf(stderr, "posenc accuracy: %s: no plan for dim %d: %s (%s)\n", impl->name,
                sh->dim, posenc_strerror(rc), posenc_last_error());
        return -1;
    }
    const oracle_table *t = &sh->table;
    size_t row = posenc_plan_row_size(plan), h = (size_t)sh->dim / 2;
    int64_t max_pos = posenc_plan_max_pos(plan);
    int rot = impl->kind == POSENC_ROTARY;
    int inter = prm.pairing == POSENC_PAIR_INTERLEAVED;
    size_t chunk = ((size_t)1 << 20) / row + 1;
    float *out = harness_xmalloc(chunk * row * sizeof *out);
    int64_t *pos = harness_xmalloc(chunk * sizeof *pos);
    size_t *kk = harness_xmalloc(chunk * sizeof *kk);
    for (size_t k = 0; rc == POSENC_OK;) {
        size_t m = sample_take_below(t->pos, t->n_pos, &k, max_pos, chunk, pos, kk);
        if (!m)
            break;
        rc = posenc_encode(plan, pos, m, out);
        if (rc != POSENC_OK) {
            fprintf(stderr, "posenc accuracy: %s: encode: %s (%s)\n", impl->name,
                    posenc_strerror(rc), posenc_last_error());
            break;
        }
        for (size_t q = 0; q < m; q++) {
            const float *o = out + q * row;
            for (size_t j = 0; j < t->n_idx; j++) {
                size_t i = (size_t)t->idx[j];
                size_t si = rot ? h + i : inter ? 2 * i : i;
                size_t ci = rot ? i : inter ? 2 * i + 1 : h + i;
                double ws = t->s[kk[q] * t->n_idx + j], wc = t->c[kk[q] * t->n_idx + j];
                add(res, fabs(o[si] - ws) / ERR_U, pos[q], (int32_t)i, "sin");
                add(res, fabs(o[ci] - wc) / ERR_U, pos[q], (int32_t)i, "cos");
            }
        }
    }

    /* rotary apply: one head per token with inputs in [-4, 4), at the positions past the dense
       range and every 64th inside it */
    if (rot && rc == POSENC_OK) {
        size_t dim = (size_t)sh->dim, m = 0;
        for (size_t k = 0; k < t->n_pos && m < chunk; k++)
            if (t->pos[k] < max_pos && (t->pos[k] >= SAMPLE_DENSE_END || t->pos[k] % 64 == 0)) {
                pos[m] = t->pos[k];
                kk[m++] = k;
            }
        float *x = harness_xmalloc(m * dim * sizeof *x);
        float *x0 = harness_xmalloc(m * dim * sizeof *x0);
        for (size_t e = 0; e < m * dim; e++)
            x0[e] = sample_rng_input(&rng);
        memcpy(x, x0, m * dim * sizeof *x);
        rc = posenc_apply(plan, pos, m, x, NULL);
        if (rc != POSENC_OK)
            fprintf(stderr, "posenc accuracy: %s: apply: %s (%s)\n", impl->name,
                    posenc_strerror(rc), posenc_last_error());
        res->apply_max_u = 0.0;
        for (size_t q = 0; q < m && rc == POSENC_OK; q++) {
            for (size_t j = 0; j < t->n_idx; j++) {
                size_t i = (size_t)t->idx[j];
                size_t ia = inter ? 2 * i : i, ib = inter ? 2 * i + 1 : i + h;
                double a = x0[q * dim + ia], b = x0[q * dim + ib];
                double s = t->s[kk[q] * t->n_idx + j], c = t->c[kk[q] * t->n_idx + j];
                double e = fmax(fabs(x[q * dim + ia] - (a * c - b * s)),
                                fabs(x[q * dim + ib] - (a * s + b * c)));
                double eu = err_pair_u(e, fmax(fabs(a), fabs(b)));
                if (!(eu <= res->apply_max_u))
                    res->apply_max_u = eu;
            }
        }
        free(x);
        free(x0);
    }
    free(out);
    free(pos);
    free(kk);
    posenc_plan_destroy(plan);
    return rc == POSENC_OK ? 0 : -1;
}

static void print_result(const posenc_impl *impl, const shape *sh, posenc_angle_mode mode,
                         const result *r, const char *status)
{
    char shape_s[48], worst[64], apply[24];
    snprintf(shape_s, sizeof shape_s, "dim %d base %g", sh->dim, sh->base);
    snprintf(worst, sizeof worst, "p=%" PRId64 " i=%d %s", r->worst_p, r->worst_i,
             r->worst_what ? r->worst_what : "-");
    if (r->apply_max_u >= 0)
        snprintf(apply, sizeof apply, "%.4g", r->apply_max_u);
    else
        snprintf(apply, sizeof apply, "-");
    printf("%-22s %-5s %-20s %12.4g  %-30s %10.4g %12s  %s\n", impl->name,
           mode == POSENC_ANGLE_EXACT ? "exact" : "fp32", shape_s, r->max_u, worst,
           r->count ? r->sum_u / (double)r->count : 0.0, apply, status);
    for (int d = 0; d < N_DECADES; d++) {
        const bucket *b = &r->dec[d];
        if (!b->count)
            continue;
        char range[32];
        if (d == 0)
            snprintf(range, sizeof range, "[0, 1e1)");
        else if (d == N_DECADES - 1)
            snprintf(range, sizeof range, "[1e%d, 2^31)", d);
        else
            snprintf(range, sizeof range, "[1e%d, 1e%d)", d, d + 1);
        printf("    %-14s max %12.4g u   mean %10.4g u   (%" PRIu64 " values)\n", range, b->max_u,
               b->sum_u / (double)b->count, b->count);
    }
}

/* ---- learned: the encode rows must be the weights, bit for bit ---------------------------- */

static int check_learned(const posenc_impl *impl)
{
    int64_t rows = quick ? 64 : 1024;
    int32_t dim = quick ? 64 : 768;
    float *w = harness_xmalloc((size_t)rows * (size_t)dim * sizeof *w);
    for (size_t e = 0; e < (size_t)rows * (size_t)dim; e++)
        w[e] = (float)(sample_rng_unit(&rng) * 2.0 - 1.0);
    w[0] = -0.0f; /* a sign bit that a careless copy (or x + 0) would lose */
    posenc_weights *wt = NULL;
    int rc = posenc_weights_from_array(rows, dim, w, &wt);
    if (rc != POSENC_OK) {
        fprintf(stderr, "posenc accuracy: weights: %s\n", posenc_strerror(rc));
        free(w);
        return -1;
    }
    posenc_params prm = posenc_params_default(POSENC_LEARNED, dim);
    prm.weights = wt;
    posenc_plan *plan = NULL;
    rc = posenc_plan_create(impl, &prm, &plan);
    if (rc != POSENC_OK) {
        fprintf(stderr, "posenc accuracy: %s: no plan: %s (%s)\n", impl->name,
                posenc_strerror(rc), posenc_last_error());
        posenc_weights_free(wt);
        free(w);
        return -1;
    }
    /* every row once, in a shuffled order */
    int64_t *pos = harness_xmalloc((size_t)rows * sizeof *pos);
    for (int64_t p = 0; p < rows; p++)
        pos[p] = p;
    for (int64_t p = rows - 1; p > 0; p--) {
        int64_t q = (int64_t)(sample_rng_next(&rng) % (uint64_t)(p + 1)), tmp = pos[p];
        pos[p] = pos[q];
        pos[q] = tmp;
    }
    float *out = harness_xmalloc((size_t)rows * (size_t)dim * sizeof *out);
    rc = posenc_encode(plan, pos, (size_t)rows, out);
    size_t bad_rows = 0;
    for (int64_t k = 0; rc == POSENC_OK && k < rows; k++)
        if (memcmp(out + (size_t)k * (size_t)dim, w + (size_t)pos[k] * (size_t)dim,
                   (size_t)dim * sizeof *w))
            bad_rows++;
    /* apply: x + W[p] in float, bit for bit */
    size_t bad_apply = 0;
    if (rc == POSENC_OK) {
        float *x = harness_xmalloc((size_t)rows * (size_t)dim * sizeof *x);
        float *x0 = harness_xmalloc((size_t)rows * (size_t)dim * sizeof *x0);
        for (size_t e = 0; e < (size_t)rows * (size_t)dim; e++)
            x0[e] = sample_rng_input(&rng);
        memcpy(x, x0, (size_t)rows * (size_t)dim * sizeof *x);
        rc = posenc_apply(plan, pos, (size_t)rows, x, NULL);
        for (int64_t k = 0; rc == POSENC_OK && k < rows; k++)
            for (int32_t j = 0; j < dim; j++) {
                size_t e = (size_t)k * (size_t)dim + (size_t)j;
                volatile float want = x0[e] + w[(size_t)pos[k] * (size_t)dim + (size_t)j];
                float got = x[e], wv = want;
                if (memcmp(&got, &wv, sizeof got))
                    bad_apply++;
            }
        free(x);
        free(x0);
    }
    if (rc != POSENC_OK)
        fprintf(stderr, "posenc accuracy: %s: %s (%s)\n", impl->name, posenc_strerror(rc),
                posenc_last_error());
    int ok = rc == POSENC_OK && !bad_rows && !bad_apply;
    printf("%-22s %-5s %-20s encode: %s (%zu of %lld rows differ), apply x + W[p]: %s  %s\n",
           impl->name, "-", quick ? "64 x 64 random" : "1024 x 768 random",
           bad_rows ? "NOT bit-exact" : "bit-exact", bad_rows, (long long)rows,
           bad_apply ? "NOT bit-exact" : "bit-exact", ok ? "ok" : "FAIL");
    posenc_plan_destroy(plan);
    posenc_weights_free(wt);
    free(pos);
    free(out);
    free(w);
    return ok ? 0 : 1;
}

/* ---- the command --------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: posenc accuracy [--quick] [--impl NAME] [--help]\n"
            "  Error of every supported implementation against an MPFR oracle (192-bit),\n"
            "  in u = 2^-24, over positions 0..4095, 1e4..1e9, 2^k +- 1, 2^31 - 1, random\n"
            "  positions in every decade and positions next to zeros of the slowest\n"
            "  frequency's sine. Sinusoidal and rotary in both angle modes (exact, fp32);\n"
            "  learned ones are checked bit for bit against a random table.\n"
            "  --quick      fewer positions and frequencies (about 10x faster)\n"
            "  --impl NAME  only this implementation (see 'posenc list')\n"
            "exit: 0 every exact-mode error within its documented bound (rotary cos/sin within\n"
            "      4u, rotary apply within the bound per pair), 4 otherwise, 1 on an error,\n"
            "      2 on a usage error.\n");
}

int cmd_accuracy(int argc, char **argv)
{
    const char *only = NULL;
    quick = 0;
    harness_set_name("posenc accuracy");
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--quick")) {
            quick = 1;
        } else if (!strcmp(argv[a], "--impl")) {
            if (a + 1 >= argc) {
                fprintf(stderr, "posenc accuracy: --impl needs a name\n");
                return EXIT_USAGE;
            }
            only = argv[++a];
        } else if (!strncmp(argv[a], "--impl=", 7)) {
            only = argv[a] + 7;
        } else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "posenc accuracy: unknown option '%s'\n", argv[a]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (only) {
        const posenc_impl *impl = posenc_impl_find(only);
        if (!impl) {
            fprintf(stderr, "posenc accuracy: no implementation called '%s' (see 'posenc list')\n",
                    only);
            return EXIT_USAGE;
        }
        if (!posenc_impl_supported(impl)) {
            fprintf(stderr, "posenc accuracy: %s does not run on this CPU\n", only);
            return EXIT_ERROR;
        }
    }
    rng.state = UINT64_C(0xacc0ac1e);
    double t0 = harness_now_s();

    /* The representative shapes; --quick shrinks the sweep and the big sinusoidal dim. */
    shape shapes[] = {
        {.kind = POSENC_ROTARY, .dim = 128, .base = 1e4, .freq_stride = 1},
        {.kind = POSENC_SINUSOIDAL, .dim = 128, .base = 1e4, .freq_stride = 1},
        {.kind = POSENC_SINUSOIDAL, .dim = quick ? 1024 : 4096, .base = 1e4,
         .freq_stride = quick ? 8 : 2},
    };
    const size_t n_shapes = sizeof shapes / sizeof shapes[0];

    printf("posenc accuracy: errors against an MPFR oracle (%d-bit), u = 2^-24%s\n", ORACLE_PREC,
           quick ? " [quick]" : "");
    printf("%-22s %-5s %-20s %12s  %-30s %10s %12s  %s\n", "implementation", "mode", "shape",
           "max (u)", "worst at", "mean (u)", "apply max(u)", "status");
    int accuracy_failed = 0, errors = 0, ran = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (only ? strcmp(impl->name, only) != 0 : !posenc_impl_supported(impl))
            continue;
        ran++;
        if (impl->kind == POSENC_LEARNED) {
            int r = check_learned(impl);
            if (r < 0)
                errors++;
            else if (r > 0)
                accuracy_failed = 1;
            continue;
        }
        for (size_t s = 0; s < n_shapes; s++) {
            shape *sh = &shapes[s];
            if (sh->kind != impl->kind)
                continue;
            /* shapes of one (base, dim, stride) share one oracle table: rotary and
               sinusoidal dim n have the same frequencies */
            shape *tab = sh;
            for (size_t o = 0; o < s; o++)
                if (shapes[o].dim == sh->dim && shapes[o].base == sh->base &&
                    shapes[o].freq_stride == sh->freq_stride) {
                    tab = &shapes[o];
                    break;
                }
            if (build_table(tab)) {
                errors++;
                continue;
            }
            shape view = *sh;
            view.table = tab->table;
            for (int mode = 0; mode < 2; mode++) {
                posenc_angle_mode am = mode ? POSENC_ANGLE_FP32 : POSENC_ANGLE_EXACT;
                result r;
                if (measure(impl, &view, am, &r)) {
                    errors++;
                    continue;
                }
                const char *status = "(not bounded)";
                if (am == POSENC_ANGLE_EXACT) {
                    /* a rotary max_err_u bounds apply; its cos/sin rows have the value bound */
                    double bound =
                        impl->kind == POSENC_ROTARY ? ERR_VALUE_BOUND_U : impl->max_err_u;
                    int ok = r.max_u <= bound &&
                             (r.apply_max_u < 0 || r.apply_max_u <= impl->max_err_u);
                    status = ok ? "ok" : "FAIL";
                    if (!ok) {
                        accuracy_failed = 1;
                        fprintf(stderr,
                                "posenc accuracy: %s exceeds its bound at dim %d: values %.4g u "
                                "(bound %.4g u), apply %.4g u (bound %.4g u)\n",
                                impl->name, sh->dim, r.max_u, bound, r.apply_max_u,
                                impl->max_err_u);
                    }
                }
                print_result(impl, sh, am, &r, status);
            }
        }
    }
    for (size_t s = 0; s < n_shapes; s++)
        if (shapes[s].built > 0)
            oracle_table_free(&shapes[s].table);
    oracle_cleanup();
    if (!ran) {
        fprintf(stderr, "posenc accuracy: no implementation to check\n");
        return EXIT_ERROR;
    }
    printf("%.1f s\n", harness_now_s() - t0);
    if (accuracy_failed)
        return EXIT_ACCURACY;
    return errors ? EXIT_ERROR : EXIT_OK;
}
