/* test_edges.c - inputs at the edges: every parameter at the ends of the range posenc.h states
 * (and just past them), for every implementation, each plan made and used under a time limit;
 * then inf, NaN, subnormal and signed-zero inputs to apply, whose outputs must follow the special
 * value rule of posenc.h bit for bit on every backend.
 *
 * 1. Parameters. dim 1, 2, 3, 65535, 65536; rotary_dim 2 of 65536 and 65534 of 65535; base just
 *    above 1 (nextafter(1, 2), which is 1.0f in the fp32 recipe), 1.0001, FLT_MAX, the smallest
 *    double whose float is inf, 1e39 and 1e300, and just past 1e300; linear scaling 1 and 1e9 and
 *    just outside them; max_positions 1, 2 and 2^31 and just past 2^31; all at once. Each in
 *    both angle modes and pairings, on every implementation (an unsupported one must say
 *    UNSUPPORTED; a table too large for any machine NOMEM). A plan must be made, or refused
 *    with the documented code, before TIME_LIMIT seconds (SIGALRM ends a hang as a failure,
 *    rather than stalling ctest), then encode and apply at its first and last positions must
 *    give finite values (the fp32 recipe's bits where the MPFR reference is cheap), and its
 *    first position past the end POSITION.
 * 2. Special values. Every pair of 16 specials (+-0, +-1.5, +-inf, quiet and signalling NaNs of
 *    both signs with payloads, +-subnormals, +-FLT_MAX, FLT_MIN) through rotary apply, every one
 *    through sinusoidal and learned apply (also in W), at a few positions, with tails and a
 *    partial rotary: each computed output must be the IEEE result of the formula posenc.h
 *    gives, with every NaN written as 0x7fc00000; elements apply does not compute keep their
 *    bits. */
#define _GNU_SOURCE /* setenv, unsetenv */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "design_skip.h"
#include "float_bits.h"
#include "fp32_recipe.h"
#include "harness_util.h"
#include "posenc.h"
#include "table_instances.h"

/* Seconds one case may take: plan, encode, apply. The slowest accepted case (dim 65536 exact
   mode, a table of 2 rows) takes well under a second natively, a few under qemu and ASan. */
#define TIME_LIMIT 120

#define CANONICAL_NAN UINT32_C(0x7fc00000)

static char current[300]; /* the case running, for the alarm handler */

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "test_edges: FAILED: no return within the time limit (a hang) in ";
    ssize_t r = write(2, msg, sizeof msg - 1);
    r = write(2, current, strlen(current));
    r = write(2, "\n", 1);
    (void)r;
    _exit(1);
}

/* ---- 1. parameters at the edges ----------------------------------------------------------- */

enum { K_SIN = 1 << POSENC_SINUSOIDAL, K_LRN = 1 << POSENC_LEARNED, K_ROT = 1 << POSENC_ROTARY };

typedef struct edge {
    char what[64];
    unsigned kinds;        /* K_* bits: the kinds this case applies to */
    int32_t dim, rotary_dim;
    double base;           /* 0: the default */
    double factor;         /* linear scaling factor; 0: no scaling */
    int64_t max_positions;
    int64_t rows;          /* learned: rows of W */
    int expect;            /* POSENC_OK or the code every implementation must give */
} edge;

static edge edges[64];
static size_t n_edges;

static void add(const char *what, unsigned kinds, int32_t dim, int32_t rotary_dim, double base,
                double factor, int64_t max_positions, int64_t rows, int expect)
{
    edge *e = &edges[n_edges++];
    *e = (edge){.kinds = kinds, .dim = dim, .rotary_dim = rotary_dim, .base = base,
                .factor = factor, .max_positions = max_positions, .rows = rows ? rows : 4,
                .expect = expect};
    snprintf(e->what, sizeof e->what, "%s", what);
}

static void make_edges(void)
{
    const unsigned C = K_SIN | K_ROT, A = K_SIN | K_ROT | K_LRN;
    const int OK = POSENC_OK, ARG = POSENC_ERR_ARGUMENT, DIM = POSENC_ERR_DIM;
    const int64_t P31 = INT64_C(1) << 31;
    /* the smallest double that rounds to inf in float: FLT_MAX + half its ulp (a tie, which
       rounds to the even neighbour, inf); below it (float) gives FLT_MAX */
    const double to_inf = (double)FLT_MAX + ldexp(1.0, 103);
    add("dim 1", K_LRN, 1, 0, 0, 0, 0, 0, OK);
    add("dim 1 (odd: no pairs)", C, 1, 0, 0, 0, 0, 0, DIM);
    add("dim 2", A, 2, 0, 0, 0, 0, 0, OK);
    add("dim 3, rotary_dim 2", K_ROT, 3, 2, 0, 0, 0, 0, OK);
    add("dim 65535", K_LRN, 65535, 0, 0, 0, 0, 0, OK);
    add("dim 65535, rotary_dim 65534", K_ROT, 65535, 65534, 0, 0, 0, 0, OK);
    add("dim 65536", A, 65536, 0, 0, 0, 0, 0, OK);
    add("dim 65536, rotary_dim 2", K_ROT, 65536, 2, 0, 0, 0, 0, OK);
    add("dim 65537", A, 65537, 0, 0, 0, 0, 0, DIM);
    add("base nextafter(1, 2)", C, 64, 0, nextafter(1.0, 2.0), 0, 0, 0, OK);
    add("base 1.0001", C, 64, 0, 1.0001, 0, 0, 0, OK);
    add("base 1", C, 64, 0, 1.0, 0, 0, 0, ARG);
    add("base FLT_MAX", C, 64, 0, (double)FLT_MAX, 0, 0, 0, OK);
    add("base below the float overflow", C, 64, 0, nextafter(to_inf, 0.0), 0, 0, 0, OK);
    add("base whose float is inf", C, 64, 0, to_inf, 0, 0, 0, OK);
    add("base 1e39", C, 64, 0, 1e39, 0, 0, 0, OK);
    add("base 1e39, dim 2", C, 2, 0, 1e39, 0, 0, 0, OK);
    add("base 1e300", C, 64, 0, 1e300, 0, 0, 0, OK);
    add("base just above 1e300", C, 64, 0, nextafter(1e300, INFINITY), 0, 0, 0, ARG);
    add("linear factor 1", C, 64, 0, 0, 1.0, 0, 0, OK);
    add("linear factor 1e9", C, 64, 0, 0, 1e9, 0, 0, OK);
    add("linear factor just below 1", C, 64, 0, 0, nextafter(1.0, 0.0), 0, 0, ARG);
    add("linear factor just above 1e9", C, 64, 0, 0, nextafter(1e9, INFINITY), 0, 0, ARG);
    add("max_positions 1", A, 64, 0, 0, 0, 1, 0, OK);
    add("max_positions 2", A, 64, 0, 0, 0, 2, 0, OK);
    add("max_positions 2^31", A, 64, 0, 0, 0, P31, 0, OK);
    add("max_positions 2^31 + 1", A, 64, 0, 0, 0, P31 + 1, 0, ARG);
    add("learned, 1 row", K_LRN, 8, 0, 0, 0, 0, 1, OK);
    add("learned, 1 row of 65536", K_LRN, 65536, 0, 0, 0, P31, 1, OK);
    add("dim 65536, base 1e300, factor 1e9, max 1", C, 65536, 0, 1e300, 1e9, 1, 0, OK);
    add("dim 65536, base 1e39, factor 1e9, max 2^31", C, 65536, 0, 1e39, 1e9, P31, 0, OK);
    add("dim 2, base nextafter(1, 2), factor 1e9", C, 2, 0, nextafter(1.0, 2.0), 1e9, 0, 0, OK);
}

/* Finite rows of sin/cos pairs (|v| <= 1, sin^2 + cos^2 near 1) for the computed kinds. */
static void check_rows(const char *what, const posenc_plan *plan, const float *out, size_t n)
{
    const posenc_params *p = posenc_plan_params(plan);
    size_t row = posenc_plan_row_size(plan), nf = row / 2;
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < nf; i++) {
            size_t si, ci;
            if (p->kind == POSENC_ROTARY) {
                ci = i;
                si = nf + i;
            } else if (p->pairing == POSENC_PAIR_HALF) {
                si = i;
                ci = nf + i;
            } else {
                si = 2 * i;
                ci = 2 * i + 1;
            }
            double s = out[t * row + si], c = out[t * row + ci];
            if (!(fabs(s) <= 1.0 && fabs(c) <= 1.0 && fabs(s * s + c * c - 1.0) < 1e-5)) {
                CHECK(0, "%s: row %zu frequency %zu: sin %a cos %a", what, t, i, s, c);
                return;
            }
        }
}

/* The fp32 recipe's rows (MPFR) at pos, bit for bit. */
static void check_fp32_recipe(const char *what, const posenc_plan *plan, const int64_t *pos,
                              const float *out, size_t n)
{
    const posenc_params *p = posenc_plan_params(plan);
    int32_t nn = p->kind == POSENC_ROTARY ? p->rotary_dim : p->dim;
    fp32_recipe rec;
    if (fp32_recipe_init(&rec, p->base, nn, p->scaling.factor)) {
        CHECK(0, "%s: fp32_recipe_init failed", what);
        return;
    }
    size_t row = posenc_plan_row_size(plan), nf = rec.n_freq;
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < nf; i++) {
            float s, c;
            fp32_recipe_sincos(&rec, i, pos[t], &s, &c);
            size_t si = p->kind == POSENC_ROTARY ? nf + i
                        : p->pairing == POSENC_PAIR_HALF ? i : 2 * i;
            size_t ci = p->kind == POSENC_ROTARY ? i
                        : p->pairing == POSENC_PAIR_HALF ? nf + i : 2 * i + 1;
            if (bits_of(out[t * row + si]) != bits_of(s) || bits_of(out[t * row + ci]) != bits_of(c)) {
                CHECK(0, "%s: p %" PRId64 " frequency %zu: sin %a cos %a, the recipe %a %a "
                      "(inv_freq %a)", what, pos[t], i, out[t * row + si], out[t * row + ci], s,
                      c, rec.inv_f[i]);
                fp32_recipe_free(&rec);
                return;
            }
        }
    fp32_recipe_free(&rec);
}

/* Encode and apply at the plan's first and last positions; POSITION just past the end. */
static void use_plan(const char *what, const posenc_impl *impl, const posenc_plan *plan,
                     const edge *e, const posenc_weights *w)
{
    const posenc_params *p = posenc_plan_params(plan);
    int64_t max = posenc_plan_max_pos(plan);
    int64_t want_max = impl->kind == POSENC_LEARNED ? e->rows
                       : (impl->flags & POSENC_IMPL_TABLE_BOUNDED) && !p->max_positions
                           ? POSENC_TABLE_DEFAULT_POSITIONS
                           : INT64_C(1) << 31;
    if (p->max_positions && p->max_positions < want_max)
        want_max = p->max_positions;
    CHECK(max == want_max, "%s: plan accepts %" PRId64 " positions, expected %" PRId64, what,
          max, want_max);
    if (max < 1)
        return;
    int64_t pos[2] = {0, max - 1};
    size_t row = posenc_plan_row_size(plan), dim = (size_t)p->dim;
    float *out = harness_xmalloc((2 * row + 1) * sizeof *out);
    out[2 * row] = 42.0f;
    CHECK_CODE(posenc_encode(plan, pos, 2, out), POSENC_OK);
    CHECK(out[2 * row] == 42.0f, "%s: encode wrote past its rows", what);
    if (impl->kind == POSENC_LEARNED) {
        const float *wd = posenc_weights_data(w);
        CHECK(!memcmp(out, wd, row * sizeof *out) &&
                  !memcmp(out + row, wd + (size_t)(max - 1) * row, row * sizeof *out),
              "%s: encode differs from W", what);
    } else {
        check_rows(what, plan, out, 2);
        if (p->angle_mode == POSENC_ANGLE_FP32 && !(impl->flags & POSENC_IMPL_APPROX_SINCOS) &&
            row <= 128)
            check_fp32_recipe(what, plan, pos, out, 2);
    }
    int64_t past = max; /* < 2^63 - 1 for every plan; a learned plan's limit is rows of W */
    float keep = out[0];
    CHECK_CODE(posenc_encode(plan, &past, 1, out), POSENC_ERR_POSITION);
    CHECK(bits_of(out[0]) == bits_of(keep), "%s: a failed encode wrote", what);
    free(out);

    /* two tokens of two heads, one float of padding after each head */
    posenc_layout l = {.n_heads = 2, .head_stride = dim + 1, .token_stride = 2 * (dim + 1)};
    size_t floats = 2 * l.token_stride;
    float *x = harness_xmalloc(floats * sizeof *x), *x0 = harness_xmalloc(floats * sizeof *x0);
    for (size_t k = 0; k < floats; k++)
        x[k] = x0[k] = (float)((int)(k % 13) - 6) * 0.625f;
    CHECK_CODE(posenc_apply(plan, pos, 2, x, &l), POSENC_OK);
    size_t r = impl->kind == POSENC_ROTARY ? (size_t)p->rotary_dim : dim;
    for (size_t k = 0; k < floats; k++) {
        size_t j = k % (dim + 1);
        int computed = j < r;
        if (computed ? !isfinite(x[k]) : bits_of(x[k]) != bits_of(x0[k])) {
            CHECK(0, "%s: apply: float %zu is %a (was %a)", what, k, x[k], x0[k]);
            break;
        }
    }
    CHECK_CODE(posenc_apply(plan, &past, 1, x, &l), POSENC_ERR_POSITION);
    free(x);
    free(x0);
}

/* The code plan creation must give for `impl` on case e, or SKIP_TABLE for a table the machine
   could build but a test should not (gigabytes of correctly rounded entries). */
#define SKIP_TABLE 1 /* error codes are negative */
static int expected_code(const posenc_impl *impl, const edge *e, const posenc_params *p)
{
    if (e->expect != POSENC_OK)
        return e->expect;
    if (!posenc_impl_supported(impl))
        return POSENC_ERR_UNSUPPORTED;
    if (impl->flags & POSENC_IMPL_TABLE_BOUNDED) {
        int32_t n = impl->kind == POSENC_ROTARY ? (p->rotary_dim ? p->rotary_dim : p->dim)
                                                : p->dim;
        double rows = p->max_positions ? (double)p->max_positions
                                       : (double)POSENC_TABLE_DEFAULT_POSITIONS;
        double bytes = rows * (double)n * 4.0;
        if (bytes > 0x1p46) /* 64 TiB: more than any machine this runs on holds */
            return POSENC_ERR_NOMEM;
        if (bytes > 0x1p26)
            return SKIP_TABLE;
    }
    return POSENC_OK;
}

static void check_edges(void)
{
    make_edges();
    static const posenc_angle_mode modes[] = {POSENC_ANGLE_EXACT, POSENC_ANGLE_FP32};
    static const posenc_pairing pairings[] = {POSENC_PAIR_INTERLEAVED, POSENC_PAIR_HALF};
    size_t runs = 0, skipped = 0;
    for (size_t k = 0; k < n_edges; k++) {
        const edge *e = &edges[k];
        posenc_weights *w = NULL;
        if (e->kinds & K_LRN) {
            /* a W as wide as W can be when the case's dim is wider: the dim check must
               still come first */
            int32_t wd = e->dim < 65536 ? e->dim : 65536;
            size_t n = (size_t)e->rows * (size_t)wd;
            float *data = harness_xmalloc(n * sizeof *data);
            for (size_t j = 0; j < n; j++)
                data[j] = (float)(j % 29) * 0.125f - 1.5f;
            CHECK_CODE(posenc_weights_from_array(e->rows, wd, data, &w), POSENC_OK);
            free(data);
        }
        for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
            const posenc_impl *impl = posenc_impl_at(ii);
            if (tests_skip_design(impl))
                continue;
            if (!(e->kinds & (1u << impl->kind)))
                continue;
            int learned = impl->kind == POSENC_LEARNED;
            /* the widest dims with the kind's default pairing only: the pairings' loops are
               the same at dim 64, and each plan there costs 32768 frequencies (seconds under
               qemu) */
            size_t n_pairings = learned || e->dim > 4096 ? 1 : 2;
            for (size_t m = 0; m < (learned ? 1u : 2u); m++)
                for (size_t pr = 0; pr < n_pairings; pr++) {
                    posenc_params p = posenc_params_default(impl->kind, e->dim);
                    p.rotary_dim = impl->kind == POSENC_ROTARY ? e->rotary_dim : 0;
                    if (e->base != 0.0)
                        p.base = e->base;
                    if (e->factor != 0.0) {
                        p.scaling.type = POSENC_SCALING_LINEAR;
                        p.scaling.factor = e->factor;
                    }
                    p.max_positions = e->max_positions;
                    /* a table of the default 8192 rows costs a correctly rounded entry per row
                       and frequency: the cases of dim 2 keep it, the others take 3 rows */
                    if ((impl->flags & POSENC_IMPL_TABLE_BOUNDED) && !p.max_positions &&
                        e->dim > 3)
                        p.max_positions = 3;
                    p.weights = w;
                    if (!learned) {
                        p.angle_mode = modes[m];
                        p.pairing = n_pairings == 1 ? POSENC_PAIR_DEFAULT : pairings[pr];
                    }
                    int want = expected_code(impl, e, &p);
                    snprintf(current, sizeof current, "%.120s, %.63s%s%s", impl->name, e->what,
                             learned ? "" : m ? ", fp32" : ", exact",
                             learned ? "" : n_pairings == 1 ? ", default pairing"
                                                            : pr ? ", half" : ", interleaved");
                    if (want == SKIP_TABLE) {
                        skipped++;
                        continue;
                    }
                    alarm(TIME_LIMIT);
                    posenc_plan *plan = NULL;
                    int rc = posenc_plan_create(impl, &p, &plan);
                    CHECK(rc == want, "%s: plan_create gave %d (%s: %s), expected %d (%s)",
                          current, rc, posenc_strerror(rc), posenc_last_error(), want,
                          posenc_strerror(want));
                    if (rc == POSENC_OK)
                        use_plan(current, impl, plan, e, w);
                    posenc_plan_destroy(plan);
                    alarm(0);
                    runs++;
                }
        }
        posenc_weights_free(w);
    }
    printf("parameters at the edges: %zu plans over %zu cases (%zu tables of more than 64 MiB "
           "not built)\n", runs, n_edges, skipped);
    CHECK(runs > 0, "no case ran");
}

/* ---- 2. special values -------------------------------------------------------------------- */

static const uint32_t special_bits[16] = {
    0x00000000, 0x80000000, /* +0, -0 */
    0x3fc00000, 0xbfc00000, /* +1.5, -1.5 */
    0x7f800000, 0xff800000, /* +inf, -inf */
    0x7fc00000, 0xffc00000, /* quiet NaN, the x86 default NaN */
    0x7fe12345, 0xffd00001, /* quiet NaNs with payloads */
    0x7f800001, 0xffa00002, /* signalling NaNs */
    0x00000001, 0x807fffff, /* the smallest subnormal, the largest negative one */
    0x7f7fffff, 0x00800000, /* FLT_MAX, FLT_MIN */
};

/* What apply must write for an IEEE result r: r, or the canonical NaN. */
static uint32_t rule(float r) { return r != r ? CANONICAL_NAN : bits_of(r); }

/* One plan: x filled with specials (pairs of every two for rotary), applied; every float
   compared with the formula's IEEE result under the rule, using encode's cos/sin. With a
   `pick`, a table plan made with that kernel instance (table_instances.h), which test_bitwise
   cannot reach (the table is its own reference). */
static void special_case(const posenc_impl *impl, const posenc_params *prm,
                         const table_pick *pick, const char *what)
{
    posenc_plan *plan = NULL;
    if (pick)
        table_pick_enter(pick);
    CHECK_CODE(posenc_plan_create(impl, prm, &plan), POSENC_OK);
    if (pick)
        table_pick_leave(pick);
    if (!plan)
        return;
    if (pick && !table_pick_check(plan, pick, what)) {
        posenc_plan_destroy(plan);
        return;
    }
    const posenc_params *p = posenc_plan_params(plan);
    size_t dim = (size_t)p->dim, row = posenc_plan_row_size(plan), nf = row / 2;
    size_t r = p->kind == POSENC_ROTARY ? (size_t)p->rotary_dim : dim;
    int half = p->pairing == POSENC_PAIR_HALF;
    /* 256 combinations of (a, b) over the pairs of all tokens */
    size_t n_tok = 256 / (r / 2 ? r / 2 : 1) + 2;
    int64_t *pos = harness_xmalloc(n_tok * sizeof *pos);
    static const int64_t at[] = {0, 3, 1000003, 4095};
    int64_t max = posenc_plan_max_pos(plan);
    for (size_t t = 0; t < n_tok; t++)
        pos[t] = at[t % 4] % max;
    float *enc = harness_xmalloc(n_tok * row * sizeof *enc);
    CHECK_CODE(posenc_encode(plan, pos, n_tok, enc), POSENC_OK);
    posenc_layout l = {.n_heads = 2, .head_stride = dim + 1, .token_stride = 2 * dim + 3};
    size_t floats = n_tok * l.token_stride;
    float *x = harness_xmalloc(floats * sizeof *x), *x0 = harness_xmalloc(floats * sizeof *x0);
    for (size_t k = 0; k < floats; k++) /* padding and pass-through floats: a signalling NaN */
        x0[k] = from_bits(0x7fa0beef);
    size_t combo = 0;
    for (size_t t = 0; t < n_tok; t++)
        for (size_t h = 0; h < 2; h++) {
            float *head = x0 + t * l.token_stride + h * l.head_stride;
            if (p->kind == POSENC_ROTARY) {
                for (size_t i = 0; i < r / 2; i++, combo++) {
                    size_t ia = half ? i : 2 * i, ib = half ? i + r / 2 : 2 * i + 1;
                    head[ia] = from_bits(special_bits[combo % 16]);
                    head[ib] = from_bits(special_bits[(combo / 16 + h) % 16]);
                }
            } else {
                for (size_t j = 0; j < dim; j++)
                    head[j] = from_bits(special_bits[(combo++) % 16]);
            }
        }
    memcpy(x, x0, floats * sizeof *x);
    CHECK_CODE(posenc_apply(plan, pos, n_tok, x, &l), POSENC_OK);
    size_t bad = 0;
    for (size_t t = 0; t < n_tok; t++)
        for (size_t h = 0; h < 2; h++) {
            size_t base = t * l.token_stride + h * l.head_stride;
            const float *in = x0 + base, *o = x + base, *e = enc + t * row;
            for (size_t j = 0; j < dim; j++) {
                uint32_t want;
                if (j >= r) {
                    want = bits_of(in[j]);
                } else if (p->kind == POSENC_ROTARY) {
                    size_t i = half ? j % (r / 2) : j / 2;
                    int is_a = half ? j < r / 2 : j % 2 == 0;
                    size_t ia = half ? i : 2 * i, ib = half ? i + r / 2 : 2 * i + 1;
                    volatile float a = in[ia], b = in[ib], c = e[i], s = e[nf + i];
                    volatile float p1 = is_a ? a * c : a * s, p2 = is_a ? b * s : b * c;
                    volatile float res = is_a ? p1 - p2 : p1 + p2;
                    want = rule(res);
                } else {
                    /* x + PE, PE the encode row (W[p] for learned) */
                    volatile float sum = in[j] + e[j];
                    want = rule(sum);
                }
                if (bits_of(o[j]) != want && bad++ < 4)
                    CHECK(0, "%s, %s: token %zu (p %" PRId64 ") head %zu float %zu: input "
                          "%08" PRIx32 ", got %08" PRIx32 ", the rule gives %08" PRIx32,
                          impl->name, what, t, pos[t], h, j, bits_of(in[j]), bits_of(o[j]), want);
            }
        }
    /* padding after each head and token */
    for (size_t t = 0; t < n_tok; t++)
        for (size_t h = 0; h < 2; h++) {
            size_t k = t * l.token_stride + h * l.head_stride + dim;
            if (bits_of(x[k]) != bits_of(x0[k]) && bad++ < 4)
                CHECK(0, "%s, %s: padding float %zu changed", impl->name, what, k);
        }
    CHECK(bad == 0, "%s, %s: %zu floats break the special value rule", impl->name, what, bad);
    free(x);
    free(x0);
    free(enc);
    free(pos);
    posenc_plan_destroy(plan);
}

static void check_specials(void)
{
    static const int32_t dims[] = {2, 40, 64};
    size_t plans = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (!posenc_impl_supported(impl))
            continue;
        if (impl->kind == POSENC_ALIBI)
            continue; /* no posenc_apply: test_alibi checks its scores on special values */
        for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
            char what[96];
            if (impl->kind == POSENC_LEARNED) {
                /* W of specials too: x + W[p] with both operands special */
                size_t n = 8 * (size_t)dims[d];
                float *data = harness_xmalloc(n * sizeof *data);
                for (size_t j = 0; j < n; j++)
                    data[j] = from_bits(special_bits[(j * 7 + j / 16) % 16]);
                posenc_weights *w = NULL;
                CHECK_CODE(posenc_weights_from_array(8, dims[d], data, &w), POSENC_OK);
                free(data);
                posenc_params p = posenc_params_default(POSENC_LEARNED, dims[d]);
                p.weights = w;
                snprintf(what, sizeof what, "dim %d", (int)dims[d]);
                if (w)
                    special_case(impl, &p, NULL, what);
                posenc_weights_free(w);
                plans++;
                continue;
            }
            for (int m = 0; m < 2; m++)
                for (int pr = 0; pr < 2; pr++) {
                    posenc_params p = posenc_params_default(impl->kind, dims[d]);
                    p.angle_mode = m ? POSENC_ANGLE_FP32 : POSENC_ANGLE_EXACT;
                    p.pairing = pr ? POSENC_PAIR_HALF : POSENC_PAIR_INTERLEAVED;
                    /* a table: with each kernel instance this CPU runs */
                    table_pick picks[TABLE_MAX_INSTANCES];
                    size_t n_picks = 1;
                    int table = (impl->flags & POSENC_IMPL_TABLE_BOUNDED) != 0;
                    if (table) {
                        p.max_positions = 4096;
                        n_picks = table_picks(impl->kind, picks);
                    }
                    for (size_t k = 0; k < n_picks; k++) {
                        snprintf(what, sizeof what, "dim %d %s %s%s%s", (int)dims[d],
                                 m ? "fp32" : "exact", pr ? "half" : "interleaved",
                                 table ? ", " : "", table ? picks[k].kernels->name : "");
                        special_case(impl, &p, table ? &picks[k] : NULL, what);
                        plans++;
                    }
                    if (impl->kind == POSENC_ROTARY && dims[d] == 64) {
                        p.rotary_dim = 26; /* partial: the rest passes through untouched */
                        snprintf(what, sizeof what, "dim 64 rotary_dim 26 %s %s",
                                 m ? "fp32" : "exact", pr ? "half" : "interleaved");
                        special_case(impl, &p, NULL, what);
                        plans++;
                    }
                }
        }
    }
    printf("special values: %zu plans\n", plans);
}

int main(void)
{
    harness_set_name("test_edges");
    signal(SIGALRM, on_alarm);
    check_edges();
    snprintf(current, sizeof current, "the special value cases");
    alarm(TIME_LIMIT * 5);
    check_specials();
    alarm(0);
    return tests_exit_code("test_edges");
}
