/* sweep.c - the oracle sweep of sweep.h: the positions of a shape, a process-wide cache of oracle
 * tables, the error of encode and rotary apply against them, and the bit-exact learned check. */
#include "sweep.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error_units.h"
#include "harness_util.h"
#include "alibi_oracle.h"
#include "oracle.h"
#include "sample_grid.h"

#define PI 3.14159265358979323846

/* Fixed seeds: every implementation meets the same positions and inputs, on every machine. */
#define SEED_POSITIONS UINT64_C(0xacc0ac1e)
#define SEED_APPLY UINT64_C(0xa991e5ed)
#define SEED_LEARNED UINT64_C(0x1ea2ed00)

static void say(const accuracy_options *opt, const char *fmt, ...)
{
    FILE *f = opt->log ? opt->log : stderr;
    va_list ap;
    va_start(ap, fmt);
    fprintf(f, "%s: ", opt->name ? opt->name : "accuracy");
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    va_end(ap);
}

/* ---- shapes ------------------------------------------------------------------------------- */

/* Grouped by kind, so a kind's shapes are one contiguous run. Rotary and sinusoidal dim 128 have
 * the same frequencies and share one oracle table. */
static const accuracy_shape shapes_full[] = {
    {.kind = POSENC_ROTARY, .dim = 128, .base = 1e4, .freq_stride = 1},
    {.kind = POSENC_SINUSOIDAL, .dim = 128, .base = 1e4, .freq_stride = 1},
    {.kind = POSENC_SINUSOIDAL, .dim = 4096, .base = 1e4, .freq_stride = 2},
    {.kind = POSENC_LEARNED, .dim = 768, .freq_stride = 1, .rows = 1024},
    {.kind = POSENC_ALIBI, .dim = 32, .base = 8, .freq_stride = 1},
};
static const accuracy_shape shapes_quick[] = {
    {.kind = POSENC_ROTARY, .dim = 128, .base = 1e4, .freq_stride = 1},
    {.kind = POSENC_SINUSOIDAL, .dim = 128, .base = 1e4, .freq_stride = 1},
    {.kind = POSENC_SINUSOIDAL, .dim = 1024, .base = 1e4, .freq_stride = 8},
    {.kind = POSENC_LEARNED, .dim = 64, .freq_stride = 1, .rows = 64},
    {.kind = POSENC_ALIBI, .dim = 32, .base = 8, .freq_stride = 1},
};
#define N_SHAPES (sizeof shapes_full / sizeof shapes_full[0])

size_t accuracy_shapes(posenc_kind kind, accuracy_level level, const accuracy_shape **shapes)
{
    const accuracy_shape *all = level == ACCURACY_QUICK ? shapes_quick : shapes_full;
    size_t first = N_SHAPES, n = 0;
    for (size_t s = 0; s < N_SHAPES; s++)
        if (all[s].kind == kind) {
            if (first == N_SHAPES)
                first = s;
            n++;
        }
    *shapes = n ? all + first : NULL;
    return n;
}

/* ---- positions ---------------------------------------------------------------------------- */

/* Random positions and neighbours of zeros are computed in double and may fall just outside
 * [0, 2^31): those are dropped. */
static void push(pos_list *l, int64_t p)
{
    if (p >= 0 && p < SAMPLE_POS_LIMIT)
        pos_list_push(l, p);
}

/* The sweep for a slowest frequency w_min. Sorted: the oracle walks consecutive runs fast. */
static void sweep_positions(pos_list *l, double w_min, accuracy_level level, sample_rng *rng)
{
    int quick = level == ACCURACY_QUICK;
    sample_push_dense(l, quick ? 16 : 1);
    push(l, SAMPLE_DENSE_END - 1);
    for (int64_t p = 10000; p < SAMPLE_POS_LIMIT; p *= 10)
        push(l, p);
    sample_push_specials(l, 0);
    int per_decade = quick ? 8 : 64;
    for (int d = 3; d < RUN_N_DECADES; d++) {
        double lo = pow(10.0, d), hi = fmin(pow(10.0, d + 1), (double)SAMPLE_POS_LIMIT);
        for (int k = 0; k < per_decade; k++)
            push(l, (int64_t)(lo + sample_rng_unit(rng) * (hi - lo)));
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

/* ---- the oracle table cache --------------------------------------------------------------- */

/* Keyed by what decides the table's contents: the frequencies (dim, base, stride) and the
 * positions (level; the seed is fixed). The kind is not part of it: see shapes_full. */
typedef struct cached_table {
    int32_t dim;
    double base;
    double scale; /* linear scaling: the frequencies are base^(-2i/dim) / scale */
    int freq_stride;
    accuracy_level level;
    oracle_table t;
    struct cached_table *next;
} cached_table;

static cached_table *cache;

static const oracle_table *table_scaled(const accuracy_shape *sh, double scale,
                                        const accuracy_options *opt)
{
    for (cached_table *c = cache; c; c = c->next)
        if (c->dim == sh->dim && c->base == sh->base && c->freq_stride == sh->freq_stride &&
            c->level == opt->level && c->scale == scale)
            return &c->t;
    int32_t h = sh->dim / 2;
    oracle_freq slow;
    oracle_freq_init(&slow, sh->base, sh->dim, h - 1, scale);
    /* the seed depends on the dim so that shapes do not all draw the same random positions */
    sample_rng rng = {SEED_POSITIONS + (uint64_t)sh->dim * UINT64_C(0x9E3779B97F4A7C15)};
    pos_list pl = {0};
    sweep_positions(&pl, slow.w_d, opt->level, &rng);
    oracle_freq_clear(&slow);
    int32_t *idx = harness_xmalloc((size_t)h * sizeof *idx);
    size_t ni = 0;
    for (int32_t i = 0; i < h; i += sh->freq_stride)
        idx[ni++] = i;
    if (idx[ni - 1] != h - 1)
        idx[ni++] = h - 1;
    cached_table *c = harness_xmalloc(sizeof *c);
    *c = (cached_table){.dim = sh->dim, .base = sh->base, .scale = scale,
                        .freq_stride = sh->freq_stride, .level = opt->level};
    int rc = oracle_table_build(&c->t, sh->base, sh->dim, scale, pl.v, pl.n, idx, ni, 0);
    free(idx);
    pos_list_free(&pl);
    if (rc) {
        say(opt, "oracle table for dim %d base %g failed (out of memory?)", sh->dim, sh->base);
        free(c);
        return NULL;
    }
    c->next = cache;
    cache = c;
    return &c->t;
}

static const oracle_table *table_for(const accuracy_shape *sh, const accuracy_options *opt)
{
    return table_scaled(sh, 1.0, opt);
}

static void variant_cache_free(void);

static void input_cache_free(void);

void accuracy_cache_free(void)
{
    variant_cache_free();
    input_cache_free();
    while (cache) {
        cached_table *next = cache->next;
        oracle_table_free(&cache->t);
        free(cache);
        cache = next;
    }
    oracle_cleanup();
}

/* ---- units and the accumulator ------------------------------------------------------------ */

const posenc_angle_mode accuracy_modes[ACCURACY_N_MODES] = {
    POSENC_ANGLE_EXACT, POSENC_ANGLE_FP32, POSENC_ANGLE_BF16, POSENC_ANGLE_FP16};

const char *accuracy_mode_name(posenc_angle_mode mode)
{
    switch (mode) {
    case POSENC_ANGLE_EXACT:
        return "exact";
    case POSENC_ANGLE_FP32:
        return "fp32";
    case POSENC_ANGLE_BF16:
        return "bf16";
    case POSENC_ANGLE_FP16:
        return "fp16";
    }
    return "unknown";
}

double accuracy_ulp(double exact)
{
    double a = fabs(exact);
    if (!(a >= 0x1p-126))
        return 0x1p-149;
    if (isinf(a))
        return INFINITY;
    /* a is a normal double: its exponent field is e + 1023, and 2^(e - 23) is normal too */
    uint64_t bits;
    memcpy(&bits, &a, sizeof bits);
    bits = (((bits >> 52) & 0x7ff) - 23) << 52;
    double u;
    memcpy(&u, &bits, sizeof u);
    return u;
}

const posenc_dtype accuracy_dtypes[ACCURACY_N_DTYPES] = {POSENC_DTYPE_F32, POSENC_DTYPE_BF16,
                                                          POSENC_DTYPE_F16};

/* ---- data of an element type ---------------------------------------------------------------
 * Buffers of float or 16-bit elements, read and written as doubles here, with conversions of
 * their own (not the library's): widening is exact, and only values of the type are written
 * (err_type_round's). */

static int dtype_known(posenc_dtype t)
{
    return t == POSENC_DTYPE_F32 || t == POSENC_DTYPE_BF16 || t == POSENC_DTYPE_F16;
}

static void *data_alloc(size_t n, posenc_dtype t)
{
    return harness_xmalloc(n * (t == POSENC_DTYPE_F32 ? sizeof(float) : sizeof(uint16_t)) + 1);
}

static double data_get(const void *d, size_t i, posenc_dtype t)
{
    if (t == POSENC_DTYPE_F32)
        return ((const float *)d)[i];
    uint16_t h = ((const uint16_t *)d)[i];
    if (t == POSENC_DTYPE_BF16) {
        uint32_t b = (uint32_t)h << 16;
        float f;
        memcpy(&f, &b, sizeof f);
        return f;
    }
    static float f16[65536]; /* every binary16 value, made once */
    static int made;
    if (!made) {
        for (uint32_t k = 0; k < 65536; k++) {
            int e = (k >> 10) & 31, m = k & 1023;
            double v = e == 31 ? (m ? NAN : INFINITY) : e ? ldexp(1024 + m, e - 25)
                                                          : ldexp(m, -24);
            f16[k] = (float)(k >> 15 ? -v : v);
        }
        made = 1;
    }
    return f16[h];
}

/* v must be a value of the type: finite, inf or NaN (written as the type's quiet NaN). */
static void data_set(void *d, size_t i, double v, posenc_dtype t)
{
    if (t == POSENC_DTYPE_F32) {
        ((float *)d)[i] = (float)v;
        return;
    }
    uint16_t h;
    if (t == POSENC_DTYPE_BF16) {
        float f = (float)v;
        uint32_t b;
        memcpy(&b, &f, sizeof b);
        h = isnan(v) ? 0x7fc0 : (uint16_t)(b >> 16);
    } else {
        double a = fabs(v);
        uint64_t b;
        memcpy(&b, &a, sizeof b);
        /* a normal binary16 value: its exponent rebiased, the top 10 bits of its mantissa */
        uint16_t normal = (uint16_t)((((b >> 52) - 1023 + 15) << 10) | ((b >> 42) & 0x3ff));
        h = isnan(v)      ? 0x7e00
            : isinf(v)    ? 0x7c00
            : a < 0x1p-14 ? (uint16_t)(a * 0x1p24)
                          : normal;
        if (signbit(v) && !isnan(v))
            h |= 0x8000;
    }
    ((uint16_t *)d)[i] = h;
}

/* The first n inputs of apply's draw (SEED_APPLY: in [-4, 4), rounded to the type, so exactly
 * representable), kept per type for the process: every implementation, shape and angle mode
 * meets the same ones. */
static double *input_cache[ACCURACY_N_DTYPES];
static size_t input_cached[ACCURACY_N_DTYPES];

static const double *apply_inputs(posenc_dtype t, size_t n)
{
    size_t d = (size_t)t;
    if (input_cached[d] < n) {
        free(input_cache[d]);
        input_cache[d] = harness_xmalloc(n * sizeof *input_cache[d] + 1);
        sample_rng rng = {SEED_APPLY};
        for (size_t e = 0; e < n; e++)
            input_cache[d][e] = err_type_round(sample_rng_input(&rng), t);
        input_cached[d] = n;
    }
    return input_cache[d];
}

static void input_cache_free(void)
{
    for (size_t d = 0; d < ACCURACY_N_DTYPES; d++) {
        free(input_cache[d]);
        input_cache[d] = NULL;
        input_cached[d] = 0;
    }
}

/* The same value, signed zeros told apart (the library writes no NaN here). */
static int same_value(double x, double y)
{
    return x == y && !signbit(x) == !signbit(y);
}

typedef struct bucket {
    double max_u, max_ulp, sum_u; /* max_u < 0: nothing yet */
    uint64_t count;
} bucket;

typedef struct acc {
    bucket all, dec[RUN_N_DECADES];
    int64_t worst_p;
    int32_t worst_i;
    const char *worst_what;
    double apply_max_u; /* NaN: no apply checked */
    uint64_t over;      /* values past their own bound (variant sweeps: u af + half an ulp) */
    int bit_exact;      /* learned: 1 or 0; -1 otherwise */
    double type_max, type_apply_max; /* 16-bit data: err_type_ulps of values and of apply's
                                        outputs; NaN: none checked */
} acc;

static void acc_init(acc *a)
{
    memset(a, 0, sizeof *a);
    a->all.max_u = -1.0;
    for (int d = 0; d < RUN_N_DECADES; d++)
        a->dec[d].max_u = -1.0;
    a->worst_p = -1;
    a->worst_i = -1;
    a->apply_max_u = NAN;
    a->bit_exact = -1;
    a->type_max = a->type_apply_max = NAN;
}

static int decade_of(int64_t p)
{
    int d = 0;
    for (int64_t lim = 10; p >= lim && d < RUN_N_DECADES - 1; lim *= 10)
        d++;
    return d;
}

static void bucket_add(bucket *b, double err_u, double err_ulp)
{
    b->count++;
    b->sum_u += err_u;
    if (err_u > b->max_u)
        b->max_u = err_u;
    if (err_ulp > b->max_ulp)
        b->max_ulp = err_ulp;
}

/* One value: got against the exact want. */
static void acc_add(acc *a, double got, double want, int64_t p, int32_t i, const char *what)
{
    double e = got == want ? 0.0 : fabs(got - want); /* an inf where inf is due is exact */
    if (isnan(e))
        e = INFINITY; /* a NaN output is the worst error there is, not one that compares false */
    double err_u = e / ERR_U, err_ulp = e / accuracy_ulp(want);
    if (err_u > a->all.max_u) { /* ties keep the first */
        a->worst_p = p;
        a->worst_i = i;
        a->worst_what = what;
    }
    bucket_add(&a->all, err_u, err_ulp);
    bucket_add(&a->dec[decade_of(p)], err_u, err_ulp);
}

/* The larger of *m and e, NaN (an error) as infinite; *m NaN means none yet. */
static void max_into(double *m, double e)
{
    if (isnan(e))
        e = INFINITY;
    if (isnan(*m) || e > *m)
        *m = e;
}

static void acc_add_apply(acc *a, double err_u)
{
    max_into(&a->apply_max_u, err_u);
}

/* The identity fields, and every figure "not measured". */
static void record_init(run_accuracy *out, const posenc_impl *impl, posenc_angle_mode mode,
                        posenc_dtype dtype)
{
    memset(out, 0, sizeof *out);
    out->dtype = run_dtype_of(dtype);
    out->max_err_type_ulp = out->apply_max_err_type_ulp = out->bound_type_ulp = NAN;
    snprintf(out->implementation, sizeof out->implementation, "%s", impl->name);
    out->encoding = run_encoding_of(impl->kind);
    out->angle_mode = impl->kind == POSENC_LEARNED ? RUN_ANGLE_EXACT : run_angle_mode_of(mode);
    out->bound_u = out->max_err_u = out->max_ulp = out->mean_err_u = NAN;
    out->apply_max_err_u = out->apply_bound_u = NAN;
    out->worst_position = -1;
    out->worst_index = -1;
    out->within_bound = -1;
    out->bit_exact = -1;
    for (int d = 0; d < RUN_N_DECADES; d++) {
        run_decade *r = &out->decades[d];
        int64_t lo = 1;
        for (int k = 0; k < d; k++)
            lo *= 10;
        r->lo = d ? lo : 0;
        r->hi = d == RUN_N_DECADES - 1 ? SAMPLE_POS_LIMIT : lo * 10;
        r->max_err_u = r->max_ulp = r->mean_err_u = NAN;
    }
}

static void record_finish(run_accuracy *out, const acc *a, const posenc_impl *impl,
                          posenc_angle_mode mode, posenc_dtype dtype, int rc)
{
    const int narrow = dtype != POSENC_DTYPE_F32;
    out->values_checked = a->all.count;
    if (a->all.count) {
        out->max_err_u = a->all.max_u;
        out->max_ulp = a->all.max_ulp;
        out->mean_err_u = a->all.sum_u / (double)a->all.count;
        out->worst_position = a->worst_p;
        out->worst_index = a->worst_i;
        snprintf(out->worst_value, sizeof out->worst_value, "%s", a->worst_what);
    }
    for (int d = 0; d < RUN_N_DECADES; d++) {
        const bucket *b = &a->dec[d];
        run_decade *r = &out->decades[d];
        r->count = b->count;
        if (b->count) {
            r->max_err_u = b->max_u;
            r->max_ulp = b->max_ulp;
            r->mean_err_u = b->sum_u / (double)b->count;
        }
    }
    out->apply_max_err_u = a->apply_max_u;
    out->bit_exact = a->bit_exact;
    if (impl->kind == POSENC_LEARNED) {
        out->bound_u = impl->max_err_u;
        out->within_bound = a->bit_exact == 1 && out->max_err_u <= out->bound_u;
    } else if (impl->kind == POSENC_ALIBI) {
        /* exact mode's biases are correctly rounded: every one the oracle's, bit for bit */
        if (mode == POSENC_ANGLE_EXACT) {
            out->bound_u = 0;
            out->within_bound = a->bit_exact == 1;
        }
    } else if (narrow) {
        /* half an ulp of the type beyond each value's float32 share */
        out->max_err_type_ulp = a->type_max;
        out->apply_max_err_type_ulp = a->type_apply_max;
        if (mode == POSENC_ANGLE_EXACT) {
            out->bound_type_ulp = ERR_TYPE_BOUND_ULP;
            out->within_bound = a->type_max <= ERR_TYPE_BOUND_ULP &&
                                !(a->type_apply_max > ERR_TYPE_BOUND_ULP);
        }
    } else if (mode == POSENC_ANGLE_EXACT) {
        /* a rotary max_err_u bounds apply; its cos/sin rows have the value bound */
        int rot = impl->kind == POSENC_ROTARY;
        out->bound_u = rot ? ERR_VALUE_BOUND_U : impl->max_err_u;
        out->apply_bound_u = rot ? impl->max_err_u : NAN;
        out->within_bound = out->max_err_u <= out->bound_u &&
                            (!rot || out->apply_max_err_u <= out->apply_bound_u);
    }
    if (rc == ACCURACY_ERROR) {
        /* part of the sweep did not run: nothing was shown to hold */
        if (out->within_bound == 1)
            out->within_bound = 0;
        if (out->bit_exact == 1)
            out->bit_exact = 0;
    }
}

/* ---- sinusoidal and rotary: encode (and apply) against the table ------------------------- */

/* The row of the table axis a of a token whose axis 0 is row k: M-RoPE sweeps give the three
 * axes different positions, all from the table (axis 1 its rows backwards, axis 2 half-way
 * round), so every frequency meets positions of every decade. */
static size_t axis_row(size_t k, int a, size_t n)
{
    return a == 0 ? k : a == 1 ? n - 1 - k : (k + n / 2) % n;
}

/* Apply of `impl` on one head per token (x one token after another) at the table rows kk[0..m)
 * (positions pos, axis-major with M-RoPE), inputs drawn in [-4, 4) and rounded to the data's
 * type: rotary against the rotation by the table's cos and sin (times af), sinusoidal against
 * x + the table's PE (swept for 16-bit data only). */
static int sweep_apply(acc *a, const posenc_impl *impl, const posenc_plan *plan,
                       const posenc_params *prm, const accuracy_options *opt,
                       const oracle_table *t, double af, const size_t *kk, const int64_t *pos,
                       size_t m)
{
    const posenc_dtype dt = prm->dtype;
    const int rot = impl->kind == POSENC_ROTARY, narrow = dt != POSENC_DTYPE_F32;
    const int inter = prm->pairing == POSENC_PAIR_INTERLEAVED;
    const int axes = prm->mrope.layout != POSENC_MROPE_NONE ? 3 : 1;
    const size_t dim = (size_t)prm->dim, h = posenc_plan_row_size(plan) / 2, np = t->n_pos;
    void *x = data_alloc(m * dim, dt);
    const double *x0 = apply_inputs(dt, m * dim);
    for (size_t e = 0; e < m * dim; e++)
        data_set(x, e, x0[e], dt);
    int rc = posenc_apply(plan, pos, m, x, NULL);
    if (rc != POSENC_OK)
        say(opt, "%s: apply: %s (%s)", impl->name, posenc_strerror(rc), posenc_last_error());
    const double share = impl->max_err_u * ERR_U * af; /* sinusoidal: before the addition */
    for (size_t q = 0; q < m && rc == POSENC_OK; q++) {
        for (size_t j = 0; j < t->n_idx; j++) {
            size_t i = (size_t)t->idx[j];
            size_t kr = axes == 3 ? axis_row(kk[q], oracle_mrope_axis(prm, (int32_t)i), np)
                                  : kk[q];
            double s = af * t->s[kr * t->n_idx + j], c = af * t->c[kr * t->n_idx + j];
            /* rotary: the pair (ia, ib); sinusoidal: where sin and cos go */
            size_t ia = inter ? 2 * i : i, ib = inter ? 2 * i + 1 : i + h;
            double va = x0[q * dim + ia], vb = x0[q * dim + ib];
            double ea = rot ? va * c - vb * s : va + s, eb = rot ? va * s + vb * c : vb + c;
            double ga = data_get(x, q * dim + ia, dt), gb = data_get(x, q * dim + ib, dt);
            double da = fabs(ga - ea), db = fabs(gb - eb);
            if (rot)
                acc_add_apply(a, err_pair_u(fmax(da, db), fmax(fabs(va), fabs(vb))));
            if (!narrow)
                continue;
            double sa, sb; /* each output's float32 share */
            if (rot) {
                sa = sb = err_pair_share(impl->max_err_u * af, fmax(fabs(va), fabs(vb)));
            } else { /* x + PE: PE's bound, then the float addition's half ulp */
                sa = share + 0.5 * err_type_ulp(fabs(ea) + share, POSENC_DTYPE_F32);
                sb = share + 0.5 * err_type_ulp(fabs(eb) + share, POSENC_DTYPE_F32);
            }
            max_into(&a->type_apply_max, err_type_ulps(da, ea, sa, dt));
            max_into(&a->type_apply_max, err_type_ulps(db, eb, sb, dt));
        }
    }
    free(x);
    return rc;
}

/* Encode (and apply: rotary, and sinusoidal with 16-bit data) of `impl` with the parameters prm
 * against table t, whose columns are frequencies of prm and whose values are sin and cos before
 * the attention factor af. Each value is also held to bound_u u af plus half an ulp of the
 * value (when bound_u > 0; over-bound values are counted in a->over). With 16-bit data
 * (prm->dtype) each value's error in ulps of the type beyond its float32 share goes to
 * a->type_max. */
static int sweep_params(acc *a, const posenc_impl *impl, const posenc_params *prm,
                        const accuracy_options *opt, const oracle_table *t, double af,
                        double bound_u)
{
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(impl, prm, &plan);
    if (rc != POSENC_OK) {
        say(opt, "%s: no plan for dim %d, %s data: %s (%s)", impl->name, prm->dim,
            posenc_dtype_name(prm->dtype), posenc_strerror(rc), posenc_last_error());
        return ACCURACY_ERROR;
    }
    const posenc_dtype dt = prm->dtype;
    const int rot = impl->kind == POSENC_ROTARY, narrow = dt != POSENC_DTYPE_F32;
    const int inter = prm->pairing == POSENC_PAIR_INTERLEAVED;
    const int axes = prm->mrope.layout != POSENC_MROPE_NONE ? 3 : 1;
    const size_t row = posenc_plan_row_size(plan), h = row / 2, np = t->n_pos;
    const int64_t max_pos = posenc_plan_max_pos(plan);
    /* a value's float32 bound, the share of a 16-bit one's */
    const double share = (rot ? ERR_VALUE_BOUND_U : impl->max_err_u) * ERR_U * af;
    int ax_of[32768 / 2];
    for (size_t i = 0; i < h && i < sizeof ax_of / sizeof ax_of[0]; i++)
        ax_of[i] = oracle_mrope_axis(prm, (int32_t)i);
    size_t chunk = ((size_t)1 << 20) / row + 1;
    void *out = data_alloc(chunk * row, dt);
    int64_t *pos = harness_xmalloc(3 * chunk * sizeof *pos);
    size_t *kk = harness_xmalloc(chunk * sizeof *kk);
    for (size_t k = 0; rc == POSENC_OK;) {
        size_t m = sample_take_below(t->pos, np, &k, max_pos, chunk, pos, kk);
        if (!m)
            break;
        if (axes == 3) { /* keep the tokens whose other axes are below the limit too */
            size_t w = 0;
            for (size_t q = 0; q < m; q++)
                if (t->pos[axis_row(kk[q], 1, np)] < max_pos &&
                    t->pos[axis_row(kk[q], 2, np)] < max_pos)
                    kk[w++] = kk[q];
            m = w;
            for (int ax = 0; ax < 3; ax++)
                for (size_t q = 0; q < m; q++)
                    pos[(size_t)ax * m + q] = t->pos[axis_row(kk[q], ax, np)];
            if (!m)
                continue;
        }
        rc = posenc_encode(plan, pos, m, out);
        if (rc != POSENC_OK) {
            say(opt, "%s: encode: %s (%s)", impl->name, posenc_strerror(rc),
                posenc_last_error());
            break;
        }
        for (size_t q = 0; q < m; q++) {
            for (size_t j = 0; j < t->n_idx; j++) {
                size_t i = (size_t)t->idx[j];
                size_t kr = axes == 3 ? axis_row(kk[q], ax_of[i], np) : kk[q];
                double ws = af * t->s[kr * t->n_idx + j], wc = af * t->c[kr * t->n_idx + j];
                size_t si = rot ? h + i : inter ? 2 * i : i;
                size_t ci = rot ? i : inter ? 2 * i + 1 : h + i;
                double gs = data_get(out, q * row + si, dt), gc = data_get(out, q * row + ci, dt);
                acc_add(a, gs, ws, t->pos[kr], (int32_t)i, "sin");
                acc_add(a, gc, wc, t->pos[kr], (int32_t)i, "cos");
                if (bound_u > 0) {
                    a->over += fabs(gs - ws) > bound_u * af * ERR_U + 0.5 * accuracy_ulp(ws);
                    a->over += fabs(gc - wc) > bound_u * af * ERR_U + 0.5 * accuracy_ulp(wc);
                }
                if (narrow) {
                    max_into(&a->type_max, err_type_ulps(fabs(gs - ws), ws, share, dt));
                    max_into(&a->type_max, err_type_ulps(fabs(gc - wc), wc, share, dt));
                }
            }
        }
    }

    /* apply: one head per token at the positions past the dense range and every 64th inside
       it (sinusoidal: 16-bit data only) */
    if ((rot || narrow) && rc == POSENC_OK) {
        size_t m = 0;
        for (size_t k = 0; k < np && m < chunk; k++) {
            int ok = t->pos[k] < max_pos && (t->pos[k] >= SAMPLE_DENSE_END || t->pos[k] % 64 == 0);
            for (int ax = 1; ax < axes; ax++)
                ok &= t->pos[axis_row(k, ax, np)] < max_pos;
            if (ok)
                kk[m++] = k;
        }
        for (int ax = 0; ax < axes; ax++)
            for (size_t q = 0; q < m; q++)
                pos[(size_t)ax * m + q] = t->pos[axis_row(kk[q], ax, np)];
        rc = sweep_apply(a, impl, plan, prm, opt, t, af, kk, pos, m);
    }
    free(out);
    free(pos);
    free(kk);
    posenc_plan_destroy(plan);
    return rc == POSENC_OK ? ACCURACY_OK : ACCURACY_ERROR;
}

static int sweep_computed(acc *a, const posenc_impl *impl, posenc_angle_mode mode,
                          posenc_dtype dtype, const accuracy_options *opt,
                          const accuracy_shape *sh)
{
    const oracle_table *t = table_for(sh, opt);
    if (!t)
        return ACCURACY_ERROR;
    posenc_params prm = posenc_params_default(impl->kind, sh->dim);
    prm.base = sh->base;
    prm.angle_mode = mode;
    prm.dtype = dtype;
    /* a design's cache (recipe-cache) is sized to reach position 1e6 in the full sweep */
    if ((impl->flags & POSENC_IMPL_DESIGN) && (impl->flags & POSENC_IMPL_TABLE_BOUNDED) &&
        opt->level == ACCURACY_FULL)
        prm.max_positions = ACCURACY_DESIGN_CACHE_ROWS;
    return sweep_params(a, impl, &prm, opt, t, 1.0, 0.0);
}

/* ---- alibi: every bias against the correctly rounded oracle -------------------------------- */

/* posenc_encode's rows of an alibi plan (the H biases -m_h d of each distance d) against
 * -m_h d correctly rounded (alibi_oracle.h; with 16-bit data, that rounded to the type), at the
 * sweep's positions as distances. */
static int sweep_alibi(acc *a, const posenc_impl *impl, posenc_angle_mode mode,
                       posenc_dtype dtype, const accuracy_options *opt, int32_t heads,
                       double bias_max)
{
    posenc_params prm = posenc_params_default(POSENC_ALIBI, heads);
    prm.alibi.bias_max = bias_max;
    prm.angle_mode = mode;
    prm.dtype = dtype;
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(impl, &prm, &plan);
    if (rc != POSENC_OK) {
        say(opt, "%s: no plan for %d heads: %s (%s)", impl->name, heads, posenc_strerror(rc),
            posenc_last_error());
        return ACCURACY_ERROR;
    }
    alibi_oracle o;
    if (alibi_oracle_init(&o, heads, bias_max > 0 ? bias_max : 8.0)) {
        say(opt, "%s: alibi oracle: out of memory", impl->name);
        posenc_plan_destroy(plan);
        return ACCURACY_ERROR;
    }
    sample_rng rng = {SEED_POSITIONS + (uint64_t)heads};
    pos_list pl = {0};
    sweep_positions(&pl, 0.0, opt->level, &rng); /* no zeros of a sine to look for */
    const int64_t max_pos = posenc_plan_max_pos(plan);
    const size_t row = (size_t)heads, chunk = 4096;
    void *out = data_alloc(chunk * row, dtype);
    int64_t *pos = harness_xmalloc(chunk * sizeof *pos);
    size_t *kk = harness_xmalloc(chunk * sizeof *kk);
    int exact = 1;
    for (size_t k = 0; rc == POSENC_OK;) {
        size_t m = sample_take_below(pl.v, pl.n, &k, max_pos, chunk, pos, kk);
        if (!m)
            break;
        rc = posenc_encode(plan, pos, m, out);
        if (rc != POSENC_OK) {
            say(opt, "%s: encode: %s (%s)", impl->name, posenc_strerror(rc),
                posenc_last_error());
            break;
        }
        for (size_t q = 0; q < m; q++)
            for (int32_t h = 0; h < heads; h++) {
                double want = err_type_round(-alibi_oracle_magnitude(&o, h, pos[q]), dtype);
                double got = data_get(out, q * row + h, dtype);
                exact &= same_value(got, want);
                acc_add(a, got, want, pos[q], h, "bias");
            }
    }
    a->bit_exact = exact && rc == POSENC_OK;
    free(out);
    free(pos);
    free(kk);
    pos_list_free(&pl);
    alibi_oracle_clear(&o);
    posenc_plan_destroy(plan);
    return rc == POSENC_OK ? ACCURACY_OK : ACCURACY_ERROR;
}

/* ---- learned: the encode rows must be the weights, bit for bit ---------------------------- */

/* encode's rows are W[p] and apply's results x + W[p] (a float sum), each rounded to the data's
 * type, bit for bit; W stays float32. */
static int sweep_learned(acc *a, const posenc_impl *impl, posenc_dtype dtype,
                         const accuracy_options *opt, const accuracy_shape *sh)
{
    sample_rng rng = {SEED_LEARNED};
    int64_t rows = sh->rows;
    size_t dim = (size_t)sh->dim, n = (size_t)rows * dim;
    float *w = harness_xmalloc(n * sizeof *w);
    for (size_t e = 0; e < n; e++)
        w[e] = (float)(sample_rng_unit(&rng) * 2.0 - 1.0);
    w[0] = -0.0f; /* a sign bit that a careless copy (or x + 0) would lose */
    posenc_weights *wt = NULL;
    int rc = posenc_weights_from_array(rows, sh->dim, w, &wt);
    if (rc != POSENC_OK) {
        say(opt, "%s: weights: %s", impl->name, posenc_strerror(rc));
        free(w);
        return ACCURACY_ERROR;
    }
    posenc_params prm = posenc_params_default(POSENC_LEARNED, sh->dim);
    prm.weights = wt;
    prm.dtype = dtype;
    posenc_plan *plan = NULL;
    rc = posenc_plan_create(impl, &prm, &plan);
    if (rc != POSENC_OK) {
        say(opt, "%s: no plan: %s (%s)", impl->name, posenc_strerror(rc), posenc_last_error());
        posenc_weights_free(wt);
        free(w);
        return ACCURACY_ERROR;
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
    void *out = data_alloc(n, dtype);
    int exact = 1;
    rc = posenc_encode(plan, pos, (size_t)rows, out);
    for (int64_t k = 0; rc == POSENC_OK && k < rows; k++)
        for (size_t j = 0; j < dim; j++) {
            double got = data_get(out, (size_t)k * dim + j, dtype);
            double want = err_type_round(w[(size_t)pos[k] * dim + j], dtype);
            exact &= same_value(got, want);
            acc_add(a, got, want, pos[k], (int32_t)j, "W[p]");
        }
    /* apply: x + W[p] in float, rounded to the type, bit for bit */
    if (rc == POSENC_OK) {
        void *x = data_alloc(n, dtype);
        float *x0 = harness_xmalloc(n * sizeof *x0);
        for (size_t e = 0; e < n; e++) {
            x0[e] = (float)err_type_round(sample_rng_input(&rng), dtype);
            data_set(x, e, x0[e], dtype);
        }
        rc = posenc_apply(plan, pos, (size_t)rows, x, NULL);
        for (int64_t k = 0; rc == POSENC_OK && k < rows; k++)
            for (size_t j = 0; j < dim; j++) {
                size_t e = (size_t)k * dim + j;
                /* volatile: the float sum itself, never a wider intermediate */
                volatile float sum = x0[e] + w[(size_t)pos[k] * dim + j];
                double got = data_get(x, e, dtype), want = err_type_round(sum, dtype);
                exact &= same_value(got, want);
                acc_add(a, got, want, pos[k], (int32_t)j, "x+W[p]");
            }
        free(x);
        free(x0);
    }
    if (rc != POSENC_OK)
        say(opt, "%s: %s (%s)", impl->name, posenc_strerror(rc), posenc_last_error());
    a->bit_exact = exact;
    posenc_plan_destroy(plan);
    posenc_weights_free(wt);
    free(pos);
    free(out);
    free(w);
    return rc == POSENC_OK ? ACCURACY_OK : ACCURACY_ERROR;
}

/* ---- the entry points --------------------------------------------------------------------- */

static int shape_ok(const posenc_impl *impl, const accuracy_shape *sh)
{
    if (sh->kind != impl->kind || sh->dim < 1)
        return 0;
    if (sh->kind == POSENC_LEARNED)
        return sh->rows >= 1;
    if (sh->kind == POSENC_ALIBI)
        return sh->base > 0;
    return sh->dim >= 2 && sh->dim % 2 == 0 && sh->base > 1.0 && sh->freq_stride >= 1;
}

/* Checks shared by both entry points; ACCURACY_OK to go on. */
static int start(const posenc_impl *impl, posenc_angle_mode mode, posenc_dtype dtype,
                 const accuracy_options *opt, run_accuracy *out)
{
    record_init(out, impl, mode, dtype);
    if (!dtype_known(dtype)) {
        say(opt, "%s: unknown element type %d", impl->name, (int)dtype);
        return ACCURACY_ERROR;
    }
    if (!posenc_impl_supported(impl)) {
        say(opt, "%s does not run on this CPU", impl->name);
        return ACCURACY_ERROR;
    }
    if (impl->kind == POSENC_LEARNED && mode != POSENC_ANGLE_EXACT)
        return ACCURACY_NOT_APPLICABLE;
    if ((impl->flags & POSENC_IMPL_DESIGN) && mode != POSENC_ANGLE_FP32)
        return ACCURACY_NOT_APPLICABLE; /* a design is the fp32 recipe: its plans refuse the rest */
    if (impl->kind == POSENC_ALIBI && mode != POSENC_ANGLE_EXACT && mode != POSENC_ANGLE_FP32)
        return ACCURACY_NOT_APPLICABLE; /* no angle to round: the plan refuses bf16 and fp16 */
    return ACCURACY_OK;
}

static int sweep_one(acc *a, const posenc_impl *impl, posenc_angle_mode mode, posenc_dtype dtype,
                     const accuracy_options *opt, const accuracy_shape *sh)
{
    if (!shape_ok(impl, sh)) {
        say(opt, "%s: not a shape of its kind (dim %d, base %g)", impl->name, sh->dim, sh->base);
        return ACCURACY_ERROR;
    }
    if (impl->kind == POSENC_ALIBI)
        return sweep_alibi(a, impl, mode, dtype, opt, sh->dim, sh->base);
    return impl->kind == POSENC_LEARNED ? sweep_learned(a, impl, dtype, opt, sh)
                                        : sweep_computed(a, impl, mode, dtype, opt, sh);
}

int accuracy_sweep_shape(const posenc_impl *impl, posenc_angle_mode mode, posenc_dtype dtype,
                         const accuracy_options *opt, const accuracy_shape *shape,
                         run_accuracy *out)
{
    const accuracy_options none = {0};
    if (!opt)
        opt = &none;
    int rc = start(impl, mode, dtype, opt, out);
    if (rc != ACCURACY_OK)
        return rc;
    acc a;
    acc_init(&a);
    rc = sweep_one(&a, impl, mode, dtype, opt, shape);
    record_finish(out, &a, impl, mode, dtype, rc);
    return rc;
}

int accuracy_sweep(const posenc_impl *impl, posenc_angle_mode mode, const accuracy_options *opt,
                   run_accuracy *out)
{
    return accuracy_sweep_dtype(impl, mode, POSENC_DTYPE_F32, opt, out);
}

int accuracy_sweep_dtype(const posenc_impl *impl, posenc_angle_mode mode, posenc_dtype dtype,
                         const accuracy_options *opt, run_accuracy *out)
{
    const accuracy_options none = {0};
    if (!opt)
        opt = &none;
    int rc = start(impl, mode, dtype, opt, out);
    if (rc != ACCURACY_OK)
        return rc;
    const accuracy_shape *shapes;
    size_t n = accuracy_shapes(impl->kind, opt->level, &shapes);
    if (!n) {
        say(opt, "%s: no shapes for its kind", impl->name);
        return ACCURACY_ERROR;
    }
    acc a;
    acc_init(&a);
    for (size_t s = 0; s < n && rc == ACCURACY_OK; s++)
        rc = sweep_one(&a, impl, mode, dtype, opt, &shapes[s]);
    record_finish(out, &a, impl, mode, dtype, rc);
    return rc;
}

/* ---- variants ----------------------------------------------------------------------------- */

/* The oracle tables of variants, keyed by their frequencies (oracle_params_same_freqs) and the
 * level: the exact and fp32 sweeps of a variant share one, and so do variants whose frequencies
 * are the same (an M-RoPE layout and its plain twin). */
typedef struct cached_variant {
    posenc_params p; /* longrope's factor arrays are the caller's */
    accuracy_level level;
    oracle_table t;
    struct cached_variant *next;
} cached_variant;

static cached_variant *variant_cache;

/* The oracle table of a rotary variant (every frequency of it, at the sweep's positions for its
 * slowest frequency) and its attention factor, or NULL with *why. */
static const oracle_table *variant_table(const posenc_params *p, const accuracy_options *opt,
                                         double *af, const char **why)
{
    *af = oracle_attention_factor(p);
    if (!isfinite(*af)) {
        *why = "the oracle does not cover these parameters";
        return NULL;
    }
    for (cached_variant *c = variant_cache; c; c = c->next)
        if (c->level == opt->level && oracle_params_same_freqs(&c->p, p))
            return &c->t;
    const int32_t n = p->rotary_dim ? p->rotary_dim : p->dim, h = n / 2;
    oracle_freq slow;
    if (oracle_freq_init_params(&slow, p, h - 1)) {
        *why = "the oracle does not cover these parameters";
        return NULL;
    }
    sample_rng rng = {SEED_POSITIONS + (uint64_t)n * UINT64_C(0x9E3779B97F4A7C15)};
    pos_list pl = {0};
    sweep_positions(&pl, slow.w_d, opt->level, &rng);
    oracle_freq_clear(&slow);
    int32_t *idx = harness_xmalloc((size_t)h * sizeof *idx);
    for (int32_t i = 0; i < h; i++)
        idx[i] = i;
    cached_variant *c = harness_xmalloc(sizeof *c);
    c->p = *p;
    c->level = opt->level;
    int rc = oracle_table_build_params(&c->t, p, pl.v, pl.n, idx, (size_t)h, 0);
    free(idx);
    pos_list_free(&pl);
    if (rc) {
        free(c);
        *why = "the oracle table could not be built (out of memory?)";
        return NULL;
    }
    c->next = variant_cache;
    variant_cache = c;
    return &c->t;
}

static void variant_cache_free(void)
{
    while (variant_cache) {
        cached_variant *next = variant_cache->next;
        oracle_table_free(&variant_cache->t);
        free(variant_cache);
        variant_cache = next;
    }
}

int accuracy_sweep_variant(const posenc_impl *impl, const posenc_params *variant,
                           posenc_angle_mode mode, const accuracy_options *opt,
                           run_accuracy *out, double *attention_factor)
{
    const accuracy_options none = {0};
    if (!opt)
        opt = &none;
    *attention_factor = NAN;
    int rc = start(impl, mode, POSENC_DTYPE_F32, opt, out);
    if (rc != ACCURACY_OK)
        return rc;
    if (variant->kind != impl->kind ||
        (variant->kind != POSENC_ROTARY && variant->kind != POSENC_ALIBI)) {
        say(opt, "%s: a variant of another kind", impl->name);
        return ACCURACY_ERROR;
    }
    acc a;
    acc_init(&a);
    if (variant->kind == POSENC_ALIBI) {
        rc = sweep_alibi(&a, impl, mode, POSENC_DTYPE_F32, opt, variant->dim,
                         variant->alibi.bias_max);
        record_finish(out, &a, impl, mode, POSENC_DTYPE_F32, rc);
        return rc;
    }
    double af;
    const char *why = "";
    const oracle_table *t = variant_table(variant, opt, &af, &why);
    if (!t) {
        say(opt, "%s: not swept: %s", impl->name, why);
        return ACCURACY_NO_ORACLE;
    }
    *attention_factor = af;
    posenc_params prm = *variant;
    prm.angle_mode = mode;
    prm.max_positions = 0;
    prm.dtype = POSENC_DTYPE_F32;
    const int exact = mode == POSENC_ANGLE_EXACT;
    rc = sweep_params(&a, impl, &prm, opt, t, af, exact ? ERR_VALUE_BOUND_U : 0.0);
    record_finish(out, &a, impl, mode, POSENC_DTYPE_F32, rc);
    if (exact) {
        /* values within 4u af plus half an ulp; pairs within max_err_u af */
        out->bound_u = ERR_VALUE_BOUND_U * af;
        out->apply_bound_u = impl->max_err_u * af;
        out->within_bound = rc == ACCURACY_OK && a.over == 0 &&
                            out->apply_max_err_u <= out->apply_bound_u;
    }
    return rc;
}
