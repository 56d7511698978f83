/* test_accuracy.c - every supported sinusoidal and rotary implementation, exact angle mode, against
 * the MPFR oracle over the grid of positions, dims, bases, pairings, partial rotary and linear
 * scaling; then bit-exact consistency of apply with encode on strided, offset layouts; then the
 * oracle sweep of `posenc accuracy` (sweep.h, quick level) on bf16 and fp16 data: every
 * supported implementation of every kind within its exact-mode bound, and kernels that round
 * their 16-bit results toward zero instead of to nearest caught by it.
 *
 * The oracle is the slow part (a few microseconds a value), so the grid is covered in two
 * crossing samples per (base, n, scale), each evaluated once and shared by every implementation,
 * both pairings and both kinds (a sinusoidal dim n and a rotary rotary_dim n have the same
 * frequencies):
 *   table A: every frequency at a subset of positions (the 2^k +- 1, 2^31 - 1, random ones and
 *            a strided sample of 0..4095);
 *   table B: every position of the grid at a subset of frequencies (first, last, middle and
 *            random ones).
 * --quick (or POSENC_TEST_QUICK=1) shrinks both samples about tenfold for sanitizer and emulated
 * runs; every dim, base, pairing and special position stays. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sweep.h (run_record.h) before oracle.h (mpfr.h): see sweep.h */
#include "sweep.h"

#include "check.h"
#include "design_skip.h"
#include "error_units.h"
#include "harness_util.h"
#include "oracle.h"
#include "posenc.h"
#include "sample_grid.h"
#include "test_shape.h"

#include "core/half.h"

#define MAX_IMPLS 64

static int quick;

static sample_rng rng; /* seeded in main: the same grid on every machine */

/* ---- position and frequency sets ---------------------------------------------------------- */

static int64_t randoms[64];
static size_t n_randoms;

/* Table B's positions: the whole grid. */
static void grid_positions(pos_list *l)
{
    sample_push_dense(l, quick ? 37 : 1);
    for (int64_t p = SAMPLE_DENSE_END - 8; p < SAMPLE_DENSE_END; p++) /* the top, in any case */
        pos_list_push(l, p);
    sample_push_specials(l, 0);
    for (size_t k = 0; k < n_randoms; k++)
        pos_list_push(l, randoms[k]);
    pos_list_sort_unique(l);
}

/* Table A's positions for frequency count h = n/2: fewer for the two largest n, where every
 * position costs thousands of oracle calls; their small specials stay in table B. */
static void subset_positions(pos_list *l, int32_t n)
{
    int big = n >= 4096;
    if (quick) {
        static const int64_t few[] = {1, 3, 4095, 65537, 1000000, (1 << 24) - 1, (1 << 24) + 1,
                                      (1 << 30) + 1, 2147483647};
        for (size_t k = big ? 2 : 0; k < sizeof few / sizeof few[0]; k++)
            pos_list_push(l, few[k]);
        pos_list_push(l, randoms[0]);
        if (!big)
            pos_list_push(l, randoms[1]);
    } else {
        sample_push_specials(l, big ? 12 : 0);
        size_t nr = big ? 8 : 16;
        for (size_t k = 0; k < nr && k < n_randoms; k++)
            pos_list_push(l, randoms[k]);
        int64_t step = big ? SAMPLE_DENSE_END / 8 : SAMPLE_DENSE_END / 16;
        for (int64_t p = 7; p < SAMPLE_DENSE_END; p += step) /* odd offsets: not powers of two */
            pos_list_push(l, p);
    }
    pos_list_sort_unique(l);
}

typedef struct i32_list {
    int32_t v[64];
    size_t n;
} i32_list;

static void idx_push(i32_list *l, int32_t i, int32_t h)
{
    if (i < 0 || i >= h)
        return;
    for (size_t k = 0; k < l->n; k++)
        if (l->v[k] == i)
            return;
    if (l->n < 64)
        l->v[l->n++] = i;
}

/* Table B's frequencies: the fastest (first), the slowest (last), some between and random. */
static void subset_freqs(i32_list *l, int32_t h)
{
    l->n = 0;
    idx_push(l, 0, h);
    idx_push(l, 1, h);
    idx_push(l, h - 1, h);
    idx_push(l, h / 2, h);
    if (!quick) {
        idx_push(l, 2, h);
        idx_push(l, h - 2, h);
        idx_push(l, h - 3, h);
        idx_push(l, h / 4, h);
        idx_push(l, 3 * h / 4, h);
    }
    int nr = quick ? 1 : 4;
    for (int k = 0; k < nr; k++)
        idx_push(l, (int32_t)(sample_rng_next(&rng) % (uint64_t)h), h);
}

/* ---- statistics: the worst error of each implementation and where it happened --------------- */

enum { M_SIN_VALUES, M_ROT_VALUES, M_ROT_APPLY, M_COUNT };
static const char *const metric_name[M_COUNT] = {"sinusoidal values (abs)", "rotary cos/sin (abs)",
                                                 "rotary apply (rel. to max|a|,|b|)"};

typedef struct stat {
    double max_u;
    char where[200];
    double sum_u;
    uint64_t count;
    uint64_t bad;
} stat;

static stat stats[MAX_IMPLS][M_COUNT];

typedef struct ctx {
    const posenc_impl *impl;
    size_t impl_index;
    shape sh;
    double base;
    double scale;
} ctx;

static void describe(char *buf, size_t size, const ctx *c, int64_t p, int32_t i, const char *what)
{
    snprintf(buf, size, "base %g n %d dim %d scale %g %s p %" PRId64 " i %d %s", c->base,
             c->sh.kind == POSENC_ROTARY ? c->sh.rotary_dim : c->sh.dim, c->sh.dim, c->scale,
             pairing_name(c->sh.pairing), p, i, what);
}

/* Record one error (in u); report and count it when above the bound (NaN is above). */
static void record(const ctx *c, int metric, double err_u, double bound_u, int64_t p, int32_t i,
                   const char *what, float got, double want)
{
    stat *st = &stats[c->impl_index][metric];
    st->count++;
    if (err_u == err_u)
        st->sum_u += err_u;
    if (!(err_u <= st->max_u)) {
        st->max_u = err_u;
        describe(st->where, sizeof st->where, c, p, i, what);
    }
    if (!(err_u <= bound_u)) {
        if (st->bad < 5) {
            char buf[200];
            describe(buf, sizeof buf, c, p, i, what);
            fprintf(stderr, "%s: %s error %.3f u > %.3f u at %s: got %.9g want %.17g\n",
                    c->impl->name, metric_name[metric], err_u, bound_u, buf, (double)got, want);
        }
        st->bad++;
    }
}

/* ---- checks against one oracle table ------------------------------------------------------- */

static posenc_plan *make_plan(const ctx *c)
{
    posenc_params prm = shape_params(&c->sh, c->base, c->scale, POSENC_ANGLE_EXACT);
    shape_bound_table(c->impl, &prm);
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(c->impl, &prm, &plan);
    CHECK(rc == POSENC_OK, "%s: plan for dim %d rotary_dim %d base %g scale %g %s: %s (%s)",
          c->impl->name, c->sh.dim, c->sh.rotary_dim, c->base, c->scale,
          pairing_name(c->sh.pairing), posenc_strerror(rc), posenc_last_error());
    return rc == POSENC_OK ? plan : NULL;
}

/* Where frequency i's sin and cos sit in an encode row. */
static void row_slots(const ctx *c, int32_t i, size_t *si, size_t *ci)
{
    if (c->sh.kind == POSENC_ROTARY) {
        *ci = (size_t)i;
        *si = (size_t)(c->sh.rotary_dim / 2 + i);
    } else if (c->sh.pairing == POSENC_PAIR_HALF) {
        *si = (size_t)i;
        *ci = (size_t)(c->sh.dim / 2 + i);
    } else {
        *si = 2 * (size_t)i;
        *ci = 2 * (size_t)i + 1;
    }
}

/* Encode every table position below the plan's limit, chunk by chunk, and compare the table's
 * frequencies. */
static void check_encode(const ctx *c, posenc_plan *plan, const oracle_table *t)
{
    size_t row = posenc_plan_row_size(plan);
    int64_t max_pos = posenc_plan_max_pos(plan);
    size_t chunk = ((size_t)1 << 20) / row + 1;
    float *out = harness_xmalloc(chunk * row * sizeof *out);
    int64_t *pos = harness_xmalloc(chunk * sizeof *pos);
    size_t *kk = harness_xmalloc(chunk * sizeof *kk);
    int metric = c->sh.kind == POSENC_ROTARY ? M_ROT_VALUES : M_SIN_VALUES;
    double bound = ERR_VALUE_BOUND_U;
    if (c->sh.kind == POSENC_SINUSOIDAL && c->impl->max_err_u < bound)
        bound = c->impl->max_err_u;
    size_t k = 0, m;
    while ((m = sample_take_below(t->pos, t->n_pos, &k, max_pos, chunk, pos, kk))) {
        int rc = posenc_encode(plan, pos, m, out);
        CHECK(rc == POSENC_OK, "%s: encode: %s", c->impl->name, posenc_strerror(rc));
        if (rc != POSENC_OK)
            break;
        for (size_t r = 0; r < m; r++) {
            const float *o = out + r * row;
            for (size_t j = 0; j < t->n_idx; j++) {
                int32_t i = t->idx[j];
                size_t si, ci;
                row_slots(c, i, &si, &ci);
                double ws = t->s[kk[r] * t->n_idx + j], wc = t->c[kk[r] * t->n_idx + j];
                double es = fabs((double)o[si] - ws) / ERR_U, ec = fabs((double)o[ci] - wc) / ERR_U;
                record(c, metric, es, bound, pos[r], i, "sin", o[si], ws);
                record(c, metric, ec, bound, pos[r], i, "cos", o[ci], wc);
            }
        }
    }
    free(out);
    free(pos);
    free(kk);
}

/* A random input element in [-4, 4); one pair in eleven is (0, big) or (big, 0) with big from a
 * wide range of magnitudes, to catch errors that are relative to the wrong element; one in
 * eleven has subnormal or near-subnormal elements, where the bound's absolute 2^-149 counts. */
static void fill_pair(float *a, float *b)
{
    static const float big[] = {1e30f, -3e25f, 1e-30f, 65504.0f, -0x1p100f, 1e10f, -7.5e-20f};
    static const float tiny[] = {0x1p-149f, -0x1.8p-147f, 0x1.23456p-130f, -0x1.fffffcp-127f,
                                 0x1p-126f, 0x1.5p-140f, -0x1.1p-145f, 0x1.7p-124f};
    uint64_t pick = sample_rng_next(&rng) % 11;
    if (pick == 1) {
        uint64_t r = sample_rng_next(&rng);
        const size_t nt = sizeof tiny / sizeof tiny[0];
        *a = tiny[r % nt];
        *b = (r >> 8) % 3 == 0 ? 0.0f : tiny[(r >> 16) % nt];
        if ((r >> 24) & 1) {
            float t = *a;
            *a = *b;
            *b = t;
        }
        return;
    }
    if (pick == 0) {
        float v = big[sample_rng_next(&rng) % (sizeof big / sizeof big[0])];
        if (sample_rng_next(&rng) & 1) {
            *a = 0.0f;
            *b = v;
        } else {
            *a = v;
            *b = 0.0f;
        }
        return;
    }
    *a = sample_rng_input(&rng);
    *b = sample_rng_input(&rng);
}

/* Rotate one head per token at every table position and compare each pair with the exact
 * rotation (computed in double from the oracle's cos and sin). */
static void check_rotary_apply(const ctx *c, posenc_plan *plan, const oracle_table *t)
{
    size_t dim = (size_t)c->sh.dim, r = (size_t)c->sh.rotary_dim, h = r / 2;
    int64_t max_pos = posenc_plan_max_pos(plan);
    size_t chunk = ((size_t)1 << 19) / dim + 1;
    float *x = harness_xmalloc(chunk * dim * sizeof *x);
    float *x0 = harness_xmalloc(chunk * dim * sizeof *x0);
    int64_t *pos = harness_xmalloc(chunk * sizeof *pos);
    size_t *kk = harness_xmalloc(chunk * sizeof *kk);
    int interleaved = c->sh.pairing == POSENC_PAIR_INTERLEAVED;
    size_t k = 0, m;
    while ((m = sample_take_below(t->pos, t->n_pos, &k, max_pos, chunk, pos, kk))) {
        for (size_t q = 0; q < m; q++) {
            float *row = x0 + q * dim;
            for (size_t i = 0; i < h; i++) {
                size_t ia = interleaved ? 2 * i : i, ib = interleaved ? 2 * i + 1 : i + h;
                fill_pair(&row[ia], &row[ib]);
            }
            for (size_t j = r; j < dim; j++)
                row[j] = sample_rng_input(&rng);
        }
        memcpy(x, x0, m * dim * sizeof *x);
        int rc = posenc_apply(plan, pos, m, x, NULL);
        CHECK(rc == POSENC_OK, "%s: apply: %s", c->impl->name, posenc_strerror(rc));
        if (rc != POSENC_OK)
            break;
        for (size_t q = 0; q < m; q++) {
            const float *in = x0 + q * dim, *o = x + q * dim;
            for (size_t j = 0; j < t->n_idx; j++) {
                size_t i = (size_t)t->idx[j];
                size_t ia = interleaved ? 2 * i : i, ib = interleaved ? 2 * i + 1 : i + h;
                double a = in[ia], b = in[ib];
                double s = t->s[kk[q] * t->n_idx + j], co = t->c[kk[q] * t->n_idx + j];
                double ra = a * co - b * s, rb = a * s + b * co;
                double ea = fabs((double)o[ia] - ra), eb = fabs((double)o[ib] - rb);
                double err_u = err_pair_u(ea > eb ? ea : eb, fmax(fabs(a), fabs(b)));
                record(c, M_ROT_APPLY, err_u, c->impl->max_err_u, pos[q], (int32_t)i,
                       ea >= eb ? "a" : "b", ea >= eb ? o[ia] : o[ib], ea >= eb ? ra : rb);
            }
            CHECK(memcmp(in + r, o + r, (dim - r) * sizeof *o) == 0,
                  "%s: apply changed elements past rotary_dim %zu (dim %zu, p %" PRId64 ")",
                  c->impl->name, r, dim, pos[q]);
        }
    }
    free(x);
    free(x0);
    free(pos);
    free(kk);
}

/* ---- the grid ------------------------------------------------------------------------------ */

static const int32_t dims[] = {2, 64, 80, 96, 128, 256, 512, 768, 1024, 4096, 8192};
static const double bases[] = {1e4, 5e5, 1e6};

/* Partial rotary: (head_dim, rotary_dim, pairing) of real models. */
static const shape partials[] = {
    {POSENC_ROTARY, 128, 32, POSENC_PAIR_HALF},        /* Pythia: 25% of 128, NeoX style */
    {POSENC_ROTARY, 256, 64, POSENC_PAIR_INTERLEAVED}, /* GPT-J: 64 of 256, interleaved */
    {POSENC_ROTARY, 80, 32, POSENC_PAIR_HALF},         /* Phi-2: 40% of 80 */
    {POSENC_ROTARY, 128, 64, POSENC_PAIR_INTERLEAVED}, /* ChatGLM: half of 128, interleaved */
};

/* Linear scaling (position interpolation) by 4 on a few (base, n). */
static const struct {
    double base;
    int32_t n;
} scaled[] = {{1e4, 128}, {5e5, 128}, {1e6, 64}};

static int in_dims(int32_t n)
{
    for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++)
        if (dims[k] == n)
            return 1;
    return 0;
}

/* All shapes of one (base, n, scale) group: sinusoidal dim n and rotary rotary_dim n, both
 * pairings, and the partial rotary shapes whose rotary_dim is n. */
static size_t group_shapes(int32_t n, shape *out)
{
    size_t m = 0;
    static const posenc_pairing pairings[] = {POSENC_PAIR_INTERLEAVED, POSENC_PAIR_HALF};
    for (int q = 0; q < 2; q++) {
        if (in_dims(n)) {
            out[m++] = (shape){POSENC_SINUSOIDAL, n, 0, pairings[q]};
            out[m++] = (shape){POSENC_ROTARY, n, n, pairings[q]};
        }
        for (size_t k = 0; k < sizeof partials / sizeof partials[0]; k++)
            if (partials[k].rotary_dim == n)
                out[m++] = (shape){POSENC_ROTARY, partials[k].dim, n, pairings[q]};
    }
    return m;
}

static double oracle_seconds, impl_seconds;

static void run_group(double base, int32_t n, double scale)
{
    int32_t h = n / 2;
    pos_list pa = {0}, pb = {0};
    subset_positions(&pa, n);
    grid_positions(&pb);
    int32_t *all = harness_xmalloc((size_t)h * sizeof *all);
    for (int32_t i = 0; i < h; i++)
        all[i] = i;
    i32_list fb;
    subset_freqs(&fb, h);

    double t0 = harness_now_s();
    oracle_table ta, tb;
    int ra = oracle_table_build(&ta, base, n, scale, pa.v, pa.n, all, (size_t)h, 0);
    int rb = oracle_table_build(&tb, base, n, scale, pb.v, pb.n, fb.v, fb.n, 0);
    oracle_seconds += harness_now_s() - t0;
    CHECK(ra == 0 && rb == 0, "oracle tables for base %g n %d", base, n);
    if (ra || rb) {
        free(all);
        pos_list_free(&pa);
        pos_list_free(&pb);
        return;
    }

    t0 = harness_now_s();
    shape shapes[16];
    size_t n_shapes = group_shapes(n, shapes);
    for (size_t ii = 0; ii < posenc_impl_count() && ii < MAX_IMPLS; ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (!posenc_impl_supported(impl))
            continue;
        for (size_t q = 0; q < n_shapes; q++) {
            if (shapes[q].kind != impl->kind)
                continue;
            ctx c = {impl, ii, shapes[q], base, scale};
            posenc_plan *plan = make_plan(&c);
            if (!plan)
                continue;
            check_encode(&c, plan, &ta);
            /* a rotary encode row does not depend on the pairing: one pass over the long
               table B per rotary shape is enough */
            if (c.sh.kind == POSENC_SINUSOIDAL || c.sh.pairing == POSENC_PAIR_HALF)
                check_encode(&c, plan, &tb);
            if (c.sh.kind == POSENC_ROTARY)
                check_rotary_apply(&c, plan, &ta);
            posenc_plan_destroy(plan);
        }
    }
    impl_seconds += harness_now_s() - t0;
    oracle_table_free(&ta);
    oracle_table_free(&tb);
    free(all);
    pos_list_free(&pa);
    pos_list_free(&pb);
}

/* ---- bit-exact consistency of apply with encode -------------------------------------------- */

static const int64_t mixed_positions[] = {0,       1,       7,        4095,    4096,
                                          65537,   1000000, 10000000, 16777217, 2147483647,
                                          123457,  99,      33554431, 31,       1 << 20};

static int same_bits(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

static uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* Sentinel for padding: a quiet NaN with a payload no arithmetic produces. */
static const uint32_t PAD_BITS = 0x7fc5a5a5u;

typedef struct layout_case {
    size_t n_heads, head_stride, token_stride; /* 0: the library's defaults */
    size_t n_tokens;
} layout_case;

/* Apply over one layout and demand: each element is what encode's row gives through the
 * documented float formula (sinusoidal x + pe; rotary fl(fl(a c) - fl(b s)), fl(fl(a s) + fl(b c))),
 * elements past rotary_dim and all padding keep their bits. x starts one float past a 64-byte
 * boundary. */
static void check_layout(const posenc_impl *impl, posenc_plan *plan, const layout_case *lc)
{
    const posenc_params *prm = posenc_plan_params(plan);
    size_t dim = (size_t)prm->dim;
    size_t r = prm->kind == POSENC_ROTARY ? (size_t)prm->rotary_dim : dim, h = r / 2;
    size_t heads = lc->n_heads ? lc->n_heads : 1;
    size_t hs = lc->head_stride ? lc->head_stride : dim;
    size_t ts = lc->token_stride ? lc->token_stride : heads * hs;
    size_t nt = lc->n_tokens;
    size_t row = posenc_plan_row_size(plan);
    int64_t max_pos = posenc_plan_max_pos(plan);
    size_t total = 1 + (nt - 1) * ts + (heads - 1) * hs + dim + 16;
    size_t bytes = (total * sizeof(float) + 63) / 64 * 64;
    float *buf = harness_xaligned_alloc(64, bytes), *before = harness_xmalloc(bytes);
    float *pe = harness_xmalloc(nt * row * sizeof *pe);
    int64_t *pos = harness_xmalloc(nt * sizeof *pos);
    for (size_t t = 0; t < nt; t++) {
        int64_t p = mixed_positions[t % (sizeof mixed_positions / sizeof mixed_positions[0])];
        pos[t] = p < max_pos ? p : p % max_pos;
    }
    for (size_t e = 0; e < total; e++)
        memcpy(&buf[e], &PAD_BITS, sizeof PAD_BITS);
    float *x = buf + 1;
    for (size_t t = 0; t < nt; t++)
        for (size_t hd = 0; hd < heads; hd++)
            for (size_t j = 0; j < dim; j++)
                x[t * ts + hd * hs + j] = sample_rng_input(&rng);
    memcpy(before, buf, total * sizeof *buf);
    int rc = posenc_encode(plan, pos, nt, pe);
    CHECK(rc == POSENC_OK, "%s: encode: %s", impl->name, posenc_strerror(rc));
    posenc_layout lay = {lc->n_heads, lc->head_stride, lc->token_stride};
    rc = posenc_apply(plan, pos, nt, x, &lay);
    CHECK(rc == POSENC_OK, "%s: apply (heads %zu, head_stride %zu, token_stride %zu): %s",
          impl->name, lc->n_heads, lc->head_stride, lc->token_stride, posenc_strerror(rc));
    if (rc != POSENC_OK)
        goto done;
    const float *x0 = before + 1;
    size_t bad = 0;
    /* every float of the buffer: inside a head it is checked by value, elsewhere by bits */
    for (size_t e = 0; e < total; e++) {
        float got = buf[e], want = before[e];
        size_t off = e - 1; /* index in x; buf[0] is the float before x */
        size_t t = e >= 1 ? off / ts : nt, in_tok = e >= 1 ? off % ts : 0;
        size_t hd = in_tok / hs, j = in_tok % hs;
        if (t < nt && hd < heads && j < dim) {
            const float *pr = pe + t * row;
            if (prm->kind == POSENC_SINUSOIDAL) {
                volatile float v = x0[off] + pr[j];
                want = v;
            } else if (j < r) {
                int interleaved = prm->pairing == POSENC_PAIR_INTERLEAVED;
                size_t i = interleaved ? j / 2 : (j < h ? j : j - h);
                int first = interleaved ? (j % 2 == 0) : (j < h);
                size_t ia = interleaved ? 2 * i : i, ib = interleaved ? 2 * i + 1 : i + h;
                const float *base = x0 + t * ts + hd * hs;
                float a = base[ia], b = base[ib], c = pr[i], s = pr[h + i];
                volatile float ac = a * c, bs = b * s, as = a * s, bc = b * c;
                volatile float v = first ? ac - bs : as + bc;
                want = v;
            }
        }
        if (!same_bits(got, want)) {
            if (bad < 3)
                fprintf(stderr,
                        "%s: dim %zu rotary %zu %s, heads %zu head_stride %zu token_stride %zu "
                        "tokens %zu: float %zu (token %zu head %zu elem %zu) is %.9g (0x%08x), "
                        "expected %.9g\n",
                        impl->name, dim, r, pairing_name(prm->pairing), heads, hs, ts, nt, e,
                        t, hd, j, (double)got, (unsigned)float_bits(got), (double)want);
            bad++;
        }
    }
    CHECK(bad == 0, "%s: apply differs from encode + formula or touched padding in %zu floats",
          impl->name, bad);
done:
    free(buf);
    free(before);
    free(pe);
    free(pos);
}

static void check_consistency(void)
{
    static const shape cshapes[] = {
        {POSENC_SINUSOIDAL, 64, 0, POSENC_PAIR_INTERLEAVED},
        {POSENC_SINUSOIDAL, 96, 0, POSENC_PAIR_HALF},
        {POSENC_SINUSOIDAL, 768, 0, POSENC_PAIR_INTERLEAVED},
        {POSENC_SINUSOIDAL, 768, 0, POSENC_PAIR_HALF},
        {POSENC_SINUSOIDAL, 2, 0, POSENC_PAIR_HALF},
        {POSENC_ROTARY, 128, 128, POSENC_PAIR_HALF},
        {POSENC_ROTARY, 128, 128, POSENC_PAIR_INTERLEAVED},
        {POSENC_ROTARY, 128, 32, POSENC_PAIR_HALF},
        {POSENC_ROTARY, 256, 64, POSENC_PAIR_INTERLEAVED},
        {POSENC_ROTARY, 80, 32, POSENC_PAIR_HALF},
        {POSENC_ROTARY, 64, 64, POSENC_PAIR_INTERLEAVED},
        {POSENC_ROTARY, 2, 2, POSENC_PAIR_HALF},
    };
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (!posenc_impl_supported(impl) ||
            (impl->kind != POSENC_SINUSOIDAL && impl->kind != POSENC_ROTARY))
            continue;
        for (size_t q = 0; q < sizeof cshapes / sizeof cshapes[0]; q++) {
            const shape *sh = &cshapes[q];
            if (sh->kind != impl->kind)
                continue;
            for (int mode = 0; mode < 2; mode++) {
                /* both bases, and every third shape with linear scaling by 4 */
                posenc_params prm = shape_params(sh, q % 2 ? 5e5 : 1e4, q % 3 == 2 ? 4.0 : 1.0,
                                                 mode ? POSENC_ANGLE_FP32 : POSENC_ANGLE_EXACT);
                shape_bound_table(impl, &prm);
                posenc_plan *plan = NULL;
                int rc = posenc_plan_create(impl, &prm, &plan);
                CHECK(rc == POSENC_OK, "%s: plan dim %d: %s", impl->name, sh->dim,
                      posenc_strerror(rc));
                if (rc != POSENC_OK)
                    continue;
                size_t d = (size_t)sh->dim;
                layout_case cases[] = {
                    {0, 0, 0, 33},                     /* contiguous, odd token count */
                    {1, 0, 0, 1},                      /* one token */
                    {3, d + 3, 3 * (d + 3) + 5, 7},    /* padded heads and tokens */
                    {2, d, 2 * d + 1, 5},              /* padding between tokens only */
                };
                for (size_t lc = 0; lc < sizeof cases / sizeof cases[0]; lc++)
                    check_layout(impl, plan, &cases[lc]);
                if (sh->kind == POSENC_ROTARY && sh->dim == 128) {
                    /* GQA: 32 query heads and 8 key/value heads at the same positions,
                       contiguous and with padded rows */
                    layout_case gqa[] = {
                        {32, 128, 0, 9}, {8, 128, 0, 9}, {32, 136, 32 * 136 + 4, 5},
                        {8, 130, 8 * 130 + 6, 5},
                    };
                    for (size_t lc = 0; lc < sizeof gqa / sizeof gqa[0]; lc++)
                        check_layout(impl, plan, &gqa[lc]);
                }
                posenc_plan_destroy(plan);
            }
        }
    }
}

/* ---- main ---------------------------------------------------------------------------------- */

/* ---- the sweep on 16-bit data ----------------------------------------------------------------- */

/* error_units.h's rounding, which the sweep's expectations use, against core/half.h's (which
 * test_dtypes holds to independent references) on random floats and each binade's halfway
 * points; and its ulps at the ends of each type's range. */
static void check_type_units(void)
{
    static const posenc_dtype types[2] = {POSENC_DTYPE_BF16, POSENC_DTYPE_F16};
    sample_rng r = {UINT64_C(0x7e57ab1e)};
    size_t bad = 0;
    for (int ti = 0; ti < 2; ti++) {
        posenc_dtype t = types[ti];
        for (uint32_t k = 0; k < (1u << 18); k++) {
            uint32_t b = k < (1u << 17) ? (uint32_t)sample_rng_next(&r)
                                        : (k << 15 & 0xff800000u) | (t == POSENC_DTYPE_BF16
                                                                         ? 0x8000u
                                                                         : 0x1000u);
            float f;
            memcpy(&f, &b, sizeof f);
            if (f != f)
                continue;
            uint32_t w = t == POSENC_DTYPE_BF16
                             ? posenc_bf16_to_f32_bits(posenc_f32_bits_to_bf16(b))
                             : posenc_f16_to_f32_bits(posenc_f32_bits_to_f16(b));
            float want;
            memcpy(&want, &w, sizeof want);
            double got = err_type_round(f, t);
            if (!(got == want && !signbit(got) == !signbit(want)) && bad++ < 3)
                fprintf(stderr, "err_type_round(%a, %s) = %a, core/half.h %a\n", f,
                        posenc_dtype_name(t), got, want);
        }
    }
    CHECK(bad == 0, "err_type_round differs from core/half.h on %zu floats", bad);
    CHECK(err_type_ulp(1.0, POSENC_DTYPE_F32) == 0x1p-23 &&
              err_type_ulp(1.0, POSENC_DTYPE_BF16) == 0x1p-7 &&
              err_type_ulp(1.999, POSENC_DTYPE_F16) == 0x1p-10 &&
              err_type_ulp(0.0, POSENC_DTYPE_F32) == 0x1p-149 &&
              err_type_ulp(1e-45, POSENC_DTYPE_BF16) == 0x1p-133 &&
              err_type_ulp(-1e-9, POSENC_DTYPE_F16) == 0x1p-24 &&
              err_type_ulp(65504.0, POSENC_DTYPE_F16) == 32.0 &&
              err_type_ulp(INFINITY, POSENC_DTYPE_F16) == 32.0,
          "err_type_ulp at the ends of the ranges");
    /* within half an ulp beyond the share exactly when err_type_ulps is at most 0.5 */
    CHECK(err_type_ulps(0x1p-8 + 0x1p-20, 1.0, 0x1p-20, POSENC_DTYPE_BF16) == 0.5 &&
              err_type_ulps(0x1p-20, 1.0, 0x1p-20, POSENC_DTYPE_BF16) == 0 &&
              err_type_ulps(NAN, 1.0, 0, POSENC_DTYPE_F16) == INFINITY &&
              err_type_bound(1.0, 0x1p-20, POSENC_DTYPE_BF16) == 0x1p-8 + 0x1p-20,
          "err_type_ulps and err_type_bound");
}

/* Kernels that give the float kernel's results rounded toward zero instead of to nearest: at
 * most one ulp of the type off, so they pass any bound of one ulp, and the sweep must catch
 * them. Each is a copy of the kind's scalar implementation with its own 16-bit entry points. */
static const posenc_impl *truncated_base[POSENC_ALIBI + 1]; /* by posenc_kind */

static uint16_t toward_zero(float f, posenc_dtype t)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    uint16_t h = t == POSENC_DTYPE_BF16 ? posenc_f32_bits_to_bf16(b) : posenc_f32_bits_to_f16(b);
    uint32_t w = t == POSENC_DTYPE_BF16 ? posenc_bf16_to_f32_bits(h) : posenc_f16_to_f32_bits(h);
    float g;
    memcpy(&g, &w, sizeof g);
    return fabsf(g) > fabsf(f) ? (uint16_t)(h - 1) : h; /* one step toward zero */
}

static float widen_bits(uint16_t h, posenc_dtype t)
{
    uint32_t w = t == POSENC_DTYPE_BF16 ? posenc_bf16_to_f32_bits(h) : posenc_f16_to_f32_bits(h);
    float f;
    memcpy(&f, &w, sizeof f);
    return f;
}

static int truncated_encode16(const posenc_plan *plan, const int64_t *pos, size_t n, void *out)
{
    const posenc_impl *base = truncated_base[posenc_plan_impl(plan)->kind];
    posenc_dtype t = posenc_plan_params(plan)->dtype;
    size_t m = n * posenc_plan_row_size(plan);
    float *f = harness_xmalloc(m * sizeof *f + 1);
    int rc = base->encode(plan, pos, n, f);
    for (size_t j = 0; rc == POSENC_OK && j < m; j++)
        ((uint16_t *)out)[j] = toward_zero(f[j], t);
    free(f);
    return rc;
}

/* the whole span of the layout, widened, the float kernel, narrowed toward zero */
static int truncated_apply16(const posenc_plan *plan, const int64_t *pos, size_t n_tokens,
                             void *x, const posenc_layout *l)
{
    const posenc_impl *base = truncated_base[posenc_plan_impl(plan)->kind];
    posenc_dtype t = posenc_plan_params(plan)->dtype;
    size_t m = n_tokens * l->token_stride;
    float *f = harness_xmalloc(m * sizeof *f + 1);
    uint16_t *h = x;
    for (size_t j = 0; j < m; j++)
        f[j] = widen_bits(h[j], t);
    int rc = base->apply(plan, pos, n_tokens, f, l);
    for (size_t j = 0; rc == POSENC_OK && j < m; j++)
        h[j] = toward_zero(f[j], t);
    free(f);
    return rc;
}

static void check_sweep_dtypes(void)
{
    accuracy_options opt = {.level = ACCURACY_QUICK, .name = "test_accuracy"};
    static const posenc_dtype types[2] = {POSENC_DTYPE_BF16, POSENC_DTYPE_F16};
    printf("\nthe sweep on 16-bit data, exact angles [quick level]: values and apply in ulps of "
           "the type beyond the float32 bound (bound %.1f)\n", ERR_TYPE_BOUND_ULP);
    size_t swept = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (!posenc_impl_supported(impl))
            continue;
        for (int ti = 0; ti < 2; ti++) {
            run_accuracy a;
            int rc = accuracy_sweep_dtype(impl, POSENC_ANGLE_EXACT, types[ti], &opt, &a);
            CHECK(rc == ACCURACY_OK, "%s on %s data: sweep returned %d", impl->name,
                  posenc_dtype_name(types[ti]), rc);
            if (rc != ACCURACY_OK)
                continue;
            swept++;
            const char *tn = run_dtype_name(a.dtype);
            CHECK(a.dtype == run_dtype_of(types[ti]) && a.values_checked > 0,
                  "%s: a record of %s data with %" PRIu64 " values", impl->name, tn,
                  a.values_checked);
            CHECK(a.within_bound == 1, "%s on %s data: not within its bound (values %.4g ulp, "
                  "apply %.4g ulp, bit-exact %d)", impl->name, tn, a.max_err_type_ulp,
                  a.apply_max_err_type_ulp, a.bit_exact);
            if (impl->kind == POSENC_LEARNED || impl->kind == POSENC_ALIBI) {
                CHECK(a.bit_exact == 1, "%s on %s data: not bit-exact", impl->name, tn);
                printf("  %-28s %-4s bit-exact\n", impl->name, tn);
                continue;
            }
            /* rotary and sinusoidal apply are swept on 16-bit data */
            CHECK(a.max_err_type_ulp <= ERR_TYPE_BOUND_ULP &&
                      a.apply_max_err_type_ulp <= ERR_TYPE_BOUND_ULP &&
                      a.bound_type_ulp == ERR_TYPE_BOUND_ULP && isnan(a.bound_u),
                  "%s on %s data: values %.4g, apply %.4g ulp (bound %.4g)", impl->name, tn,
                  a.max_err_type_ulp, a.apply_max_err_type_ulp, a.bound_type_ulp);
            printf("  %-28s %-4s values %.4f ulp, apply %.4f ulp\n", impl->name, tn,
                   a.max_err_type_ulp, a.apply_max_err_type_ulp);
        }
    }
    CHECK(swept > 0, "no implementation swept on 16-bit data");

    /* the float32 record stays what it was: no figures in ulps of a type */
    const posenc_impl *rot = posenc_impl_best(POSENC_ROTARY);
    run_accuracy f32;
    CHECK(rot && accuracy_sweep(rot, POSENC_ANGLE_EXACT, &opt, &f32) == ACCURACY_OK &&
              f32.dtype == RUN_DTYPE_F32 && isnan(f32.max_err_type_ulp) &&
              isnan(f32.bound_type_ulp) && f32.within_bound == 1,
          "the float32 sweep of the best rotary implementation");
    run_accuracy bad;
    printf("  (the 'unknown element type' line below is expected)\n");
    fflush(stdout);
    CHECK(rot && accuracy_sweep_dtype(rot, POSENC_ANGLE_EXACT, (posenc_dtype)7, &opt, &bad) ==
                     ACCURACY_ERROR,
          "an unknown element type is an error");

    /* rounding toward zero is caught: by the values, apply, or bit for bit */
    static const posenc_kind kinds[3] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY};
    static const char *const names[3] = {"sinusoidal/toward-zero-test", "learned/toward-zero-test",
                                         "rotary/toward-zero-test"};
    for (int k = 0; k < 3; k++) {
        const posenc_impl *base = NULL;
        for (size_t ii = 0; ii < posenc_impl_count() && !base; ii++) {
            const posenc_impl *impl = posenc_impl_at(ii);
            if (impl->kind == kinds[k] && impl->cpu_features == 0 &&
                !(impl->flags & POSENC_IMPL_TABLE_BOUNDED))
                base = impl;
        }
        CHECK(base != NULL, "no portable implementation of kind %d", (int)kinds[k]);
        if (!base)
            continue;
        truncated_base[kinds[k]] = base;
        posenc_impl wrong = *base;
        wrong.name = names[k];
        wrong.dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16;
        wrong.encode16 = truncated_encode16;
        wrong.apply16 = truncated_apply16;
        for (int ti = 0; ti < 2; ti++) {
            run_accuracy a;
            int rc = accuracy_sweep_dtype(&wrong, POSENC_ANGLE_EXACT, types[ti], &opt, &a);
            CHECK(rc == ACCURACY_OK && a.within_bound == 0,
                  "%s on %s data: rounding toward zero not caught (sweep %d, within_bound %d)",
                  wrong.name, posenc_dtype_name(types[ti]), rc, a.within_bound);
            if (kinds[k] == POSENC_LEARNED) {
                CHECK(a.bit_exact == 0, "%s: bit-exact", wrong.name);
            } else {
                /* more than half an ulp, never more than one (with the float32 share) */
                CHECK(a.max_err_type_ulp > 0.5 && a.max_err_type_ulp <= 1.0 &&
                          a.apply_max_err_type_ulp > 0.5 && a.apply_max_err_type_ulp <= 1.0,
                      "%s on %s data: values %.4g, apply %.4g ulp", wrong.name,
                      posenc_dtype_name(types[ti]), a.max_err_type_ulp,
                      a.apply_max_err_type_ulp);
            }
            printf("  %-28s %-4s caught: values %.4f ulp, apply %.4f ulp, bit-exact %d\n",
                   wrong.name, posenc_dtype_name(types[ti]), a.max_err_type_ulp,
                   a.apply_max_err_type_ulp, a.bit_exact);
        }
    }
    accuracy_cache_free();
}

int main(int argc, char **argv)
{
    quick = tests_parse_quick(argc, argv, "test_accuracy");
    if (quick < 0)
        return 2;
    harness_set_name("test_accuracy");
    double t_start = harness_now_s();
    rng.state = UINT64_C(0x5eed0f00d);
    /* half uniform, half log-uniform, so the small decades get their share */
    n_randoms = quick ? 4 : 32;
    for (size_t k = 0; k < n_randoms; k++)
        randoms[k] = k % 2 == 0 ? sample_rng_uniform_position(&rng) : sample_rng_log_position(&rng);

    int any = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (tests_skip_design(impl))
            continue;
        if (posenc_impl_supported(impl) &&
            (impl->kind == POSENC_SINUSOIDAL || impl->kind == POSENC_ROTARY)) {
            printf("checking %s (bound %.2f u)\n", impl->name, impl->max_err_u);
            any = 1;
        }
    }
    CHECK(any, "no supported sinusoidal or rotary implementation");

    static const int32_t group_n[] = {2, 32, 64, 80, 96, 128, 256, 512, 768, 1024, 4096, 8192};
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
        for (size_t g = 0; g < sizeof group_n / sizeof group_n[0]; g++)
            run_group(bases[b], group_n[g], 1.0);
    for (size_t g = 0; g < sizeof scaled / sizeof scaled[0]; g++)
        run_group(scaled[g].base, scaled[g].n, 4.0);
    double t_grid = harness_now_s();
    check_consistency();
    double t_cons = harness_now_s() - t_grid;
    check_type_units();
    check_sweep_dtypes();
    double t_sweep = harness_now_s() - t_grid - t_cons;

    printf("\nworst errors (u = 2^-24)%s:\n", quick ? " [quick sample]" : "");
    double worst[M_COUNT] = {0};
    char worst_where[M_COUNT][300] = {{0}};
    for (size_t ii = 0; ii < posenc_impl_count() && ii < MAX_IMPLS; ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        for (int m = 0; m < M_COUNT; m++) {
            const stat *st = &stats[ii][m];
            if (!st->count)
                continue;
            printf("  %-22s %-34s max %7.3f u  mean %6.3f u  over %" PRIu64 "  at %s\n",
                   impl->name, metric_name[m], st->max_u, st->sum_u / (double)st->count,
                   st->count, st->where);
            CHECK(st->bad == 0, "%s: %" PRIu64 " %s beyond the bound", impl->name, st->bad,
                  metric_name[m]);
            if (!(st->max_u <= worst[m])) {
                worst[m] = st->max_u;
                snprintf(worst_where[m], sizeof worst_where[m], "%s, %s", impl->name, st->where);
            }
        }
    }
    for (int m = 0; m < M_COUNT; m++)
        if (worst_where[m][0])
            printf("worst %s: %.3f u (%s)\n", metric_name[m], worst[m], worst_where[m]);
    printf("time: oracle %.1f s, implementations %.1f s, consistency %.1f s, 16-bit sweep %.1f s, "
           "total %.1f s\n", oracle_seconds, impl_seconds, t_cons, t_sweep,
           harness_now_s() - t_start);
    oracle_cleanup();
    return tests_exit_code("test_accuracy");
}
