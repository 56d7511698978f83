/* oracle.c - the MPFR oracle: high-precision frequencies, sin/cos of p * w rounded to double, and
 * a threaded table of them shared by every implementation a test checks. */
#define _POSIX_C_SOURCE 200809L /* sysconf */

#include "oracle.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A 192-bit w times a position below 2^53 needs at most 192 + 53 bits: the product is exact. */
#define ANGLE_PREC (ORACLE_PREC + 64)
/* The rotation recurrence runs with a few guard bits over the oracle's precision. */
#define RUN_PREC (ORACLE_PREC + 32)

void oracle_freq_init(oracle_freq *f, double base, int32_t n, int32_t i, double scale)
{
    mpfr_t e, b;
    f->base = base;
    f->scale = scale;
    f->n = n;
    f->i = i;
    mpfr_init2(f->w, ORACLE_PREC);
    mpfr_init2(e, 2 * ORACLE_PREC);
    mpfr_init2(b, 64);
    /* -2i/n is rarely a dyadic rational, so it is rounded; at 384 bits its error moves w by a
       relative 2^-380 * |ln base * 2i/n|, far below w's own rounding. */
    mpfr_set_si(e, -2 * (long)i, MPFR_RNDN);
    mpfr_div_si(e, e, (long)n, MPFR_RNDN);
    mpfr_set_d(b, base, MPFR_RNDN); /* exact: a double has 53 bits */
    if (scale == 1.0) {
        mpfr_pow(f->w, b, e, MPFR_RNDN);
    } else {
        mpfr_t t;
        mpfr_init2(t, ORACLE_PREC + 16);
        mpfr_pow(t, b, e, MPFR_RNDN);
        mpfr_div_d(f->w, t, scale, MPFR_RNDN);
        mpfr_clear(t);
    }
    f->w_d = mpfr_get_d(f->w, MPFR_RNDN);
    f->attention = 1.0;
    f->axis = 0;
    mpfr_clear(e);
    mpfr_clear(b);
}

/* ---- variants: HF's double scalars -------------------------------------------------------- */

/* Python's math.log, math.sqrt and ** on floats, correctly rounded (a libm may be off by an
   ulp; posenc.h asks for the correctly rounded value). +, -, *, / are C's: IEEE, round to
   nearest, and -ffp-contract=off keeps them apart. */
static double cr_log(double x)
{
    mpfr_t a;
    mpfr_init2(a, 53);
    mpfr_set_d(a, x, MPFR_RNDN);
    mpfr_log(a, a, MPFR_RNDN);
    double r = mpfr_get_d(a, MPFR_RNDN);
    mpfr_clear(a);
    return r;
}

static double cr_pow(double x, double y)
{
    mpfr_t a, b;
    mpfr_init2(a, 53);
    mpfr_init2(b, 53);
    mpfr_set_d(a, x, MPFR_RNDN);
    mpfr_set_d(b, y, MPFR_RNDN);
    mpfr_pow(a, a, b, MPFR_RNDN);
    double r = mpfr_get_d(a, MPFR_RNDN);
    mpfr_clears(a, b, (mpfr_ptr)0);
    return r;
}

/* volatile: every operation rounded to double once, whatever the evaluation method */
static double dbl(double x)
{
    volatile double v = x;
    return v;
}

/* HF's find_correction_dim: (dim * math.log(L0 / (num_rotations * 2 * math.pi))) /
   (2 * math.log(base)), left to right */
static double yarn_correction_dim(double beta, int32_t n, double base, int64_t l0)
{
    double two_beta = dbl(beta * 2.0);
    double turn = dbl(two_beta * 3.141592653589793); /* math.pi */
    double ratio = dbl((double)l0 / turn);
    double num = dbl((double)n * cr_log(ratio));
    double den = dbl(2.0 * cr_log(base));
    return dbl(num / den);
}

/* HF's get_mscale: 0.1 * mscale * math.log(scale) + 1.0, 1 for scale <= 1 */
static double yarn_mscale(double scale, double m)
{
    if (scale <= 1.0)
        return 1.0;
    return dbl(dbl(dbl(0.1 * m) * cr_log(scale)) + 1.0);
}

int oracle_variant_init(oracle_variant *v, const posenc_params *in)
{
    memset(v, 0, sizeof *v);
    if (!in || (in->kind != POSENC_ROTARY && in->kind != POSENC_SINUSOIDAL))
        return -1;
    posenc_params p = *in;
    if (p.base == 0.0)
        p.base = 10000.0;
    if (p.kind == POSENC_ROTARY && p.rotary_dim == 0)
        p.rotary_dim = p.dim;
    int32_t n = p.kind == POSENC_ROTARY ? p.rotary_dim : p.dim;
    if (n < 2 || !(p.base > 1.0) || !isfinite(p.base))
        return -1;
    posenc_scaling *s = &p.scaling;
    v->base_scaled = p.base;
    v->attention = 1.0;
    switch (s->type) {
    case POSENC_SCALING_NONE:
        s->factor = 1.0;
        break;
    case POSENC_SCALING_LINEAR:
        break;
    case POSENC_SCALING_NTK:
    case POSENC_SCALING_DYNAMIC: {
        if (n <= 2)
            return -1;
        double x = s->factor;
        int scaled = 1;
        if (s->type == POSENC_SCALING_DYNAMIC) {
            if (s->seq_len == 0)
                s->seq_len = s->original_max_positions;
            int64_t len = s->seq_len > s->original_max_positions ? s->seq_len
                                                                 : s->original_max_positions;
            scaled = s->seq_len > s->original_max_positions;
            /* (factor * seq_len / max_position_embeddings) - (factor - 1) */
            x = dbl(dbl(dbl(s->factor * (double)len) / (double)s->original_max_positions) -
                    dbl(s->factor - 1.0));
        }
        if (scaled) /* base * x ** (dim / (dim - 2)) */
            v->base_scaled = dbl(p.base * cr_pow(x, dbl((double)n / (double)(n - 2))));
        break;
    }
    case POSENC_SCALING_YARN: {
        if (s->beta_fast == 0.0)
            s->beta_fast = 32.0;
        if (s->beta_slow == 0.0)
            s->beta_slow = 1.0;
        double low = yarn_correction_dim(s->beta_fast, n, p.base, s->original_max_positions);
        double high = yarn_correction_dim(s->beta_slow, n, p.base, s->original_max_positions);
        if (!s->no_truncate) {
            low = floor(low);
            high = ceil(high);
        }
        low = low > 0.0 ? low : 0.0;                               /* max(low, 0) */
        high = high < (double)(n - 1) ? high : (double)(n - 1);     /* min(high, dim - 1) */
        if (low == high)
            high = dbl(high + 0.001);
        v->yarn_low = low;
        v->yarn_high = high;
        if (s->attention_factor != 0.0)
            v->attention = s->attention_factor;
        else if (s->mscale != 0.0 && s->mscale_all_dim != 0.0)
            v->attention = dbl(yarn_mscale(s->factor, s->mscale) /
                               yarn_mscale(s->factor, s->mscale_all_dim));
        else
            v->attention = yarn_mscale(s->factor, 1.0);
        break;
    }
    case POSENC_SCALING_LLAMA3:
        v->llama_low_wl = dbl((double)s->original_max_positions / s->low_freq_factor);
        v->llama_high_wl = dbl((double)s->original_max_positions / s->high_freq_factor);
        break;
    case POSENC_SCALING_LONGROPE:
        if (s->factor == 0.0)
            s->factor = 1.0;
        if (s->seq_len == 0)
            s->seq_len = s->original_max_positions;
        v->longrope_f = s->seq_len > s->original_max_positions ? s->long_factor : s->short_factor;
        if (!v->longrope_f)
            return -1;
        if (s->attention_factor != 0.0)
            v->attention = s->attention_factor;
        else if (s->factor > 1.0) /* math.sqrt(1 + math.log(factor) / math.log(L0)) */
            v->attention = sqrt(dbl(1.0 + dbl(cr_log(s->factor) /
                                               cr_log((double)s->original_max_positions))));
        break;
    default:
        return -1;
    }
    if (p.mrope.layout != POSENC_MROPE_NONE && p.mrope.layout != POSENC_MROPE_SECTIONS &&
        p.mrope.layout != POSENC_MROPE_INTERLEAVED)
        return -1;
    v->p = p;
    v->n = n;
    return 0;
}

int oracle_mrope_axis(const posenc_params *p, int32_t i)
{
    const posenc_mrope *m = &p->mrope;
    switch (m->layout) {
    case POSENC_MROPE_SECTIONS: /* [0, s0) temporal, [s0, s0 + s1) height, the rest width */
        if (i < m->section[0])
            return 0;
        return i < m->section[0] + m->section[1] ? 1 : 2;
    case POSENC_MROPE_INTERLEAVED: /* Qwen3-VL: T H W T H W ..., H and W for 3 s1, 3 s2 */
        if (i % 3 == 1 && i < 3 * m->section[1])
            return 1;
        if (i % 3 == 2 && i < 3 * m->section[2])
            return 2;
        return 0;
    default:
        return 0;
    }
}

int oracle_freq_init_variant(oracle_freq *f, const oracle_variant *v, int32_t i)
{
    const posenc_scaling *s = &v->p.scaling;
    int32_t n = v->n;
    if (i < 0 || i >= n / 2)
        return -1;
    const mpfr_prec_t prec = ORACLE_PREC + 32;
    mpfr_t e, b, w0, r, t, u;
    mpfr_init2(e, 2 * ORACLE_PREC);
    mpfr_init2(b, 64);
    mpfr_inits2(prec, w0, r, t, u, (mpfr_ptr)0);
    mpfr_init2(f->w, ORACLE_PREC);
    mpfr_set_si(e, -2 * (long)i, MPFR_RNDN);
    mpfr_div_si(e, e, (long)n, MPFR_RNDN);
    mpfr_set_d(b, v->p.base, MPFR_RNDN); /* exact */
    mpfr_pow(w0, b, e, MPFR_RNDN);       /* the unscaled w_i */
    int ntk = s->type == POSENC_SCALING_NTK ||
              (s->type == POSENC_SCALING_DYNAMIC && s->seq_len > s->original_max_positions);
    if (ntk) {
        /* base'^(-2i/n) = base^(-2i/n) x^(-2i/(n - 2)), x real: factor (ntk), or
           factor L / L0 - (factor - 1) (dynamic) */
        mpfr_set_d(r, s->factor, MPFR_RNDN);
        if (s->type == POSENC_SCALING_DYNAMIC) {
            mpfr_mul_d(r, r, (double)s->seq_len, MPFR_RNDN); /* exact: 53 + 32 bits */
            mpfr_div_d(r, r, (double)s->original_max_positions, MPFR_RNDN);
            mpfr_sub_d(r, r, s->factor, MPFR_RNDN);
            mpfr_add_ui(r, r, 1, MPFR_RNDN);
        }
        mpfr_set_si(t, -2 * (long)i, MPFR_RNDN);
        mpfr_div_si(t, t, (long)(n - 2), MPFR_RNDN);
        mpfr_pow(u, r, t, MPFR_RNDN);
        mpfr_mul(w0, w0, u, MPFR_RNDN);
    }
    switch (s->type) {
    case POSENC_SCALING_NONE:
    case POSENC_SCALING_NTK:
    case POSENC_SCALING_DYNAMIC:
        mpfr_set(f->w, w0, MPFR_RNDN);
        break;
    case POSENC_SCALING_LINEAR:
        mpfr_div_d(f->w, w0, s->factor, MPFR_RNDN);
        break;
    case POSENC_SCALING_YARN:
        /* r = clamp((i - low) / (high - low), 0, 1); w = w0 ((1 - r) + r / factor) */
        mpfr_set_si(r, (long)i, MPFR_RNDN);
        mpfr_sub_d(r, r, v->yarn_low, MPFR_RNDN);
        mpfr_set_d(t, v->yarn_high, MPFR_RNDN);
        mpfr_sub_d(t, t, v->yarn_low, MPFR_RNDN);
        mpfr_div(r, r, t, MPFR_RNDN);
        if (mpfr_cmp_si(r, 0) < 0)
            mpfr_set_si(r, 0, MPFR_RNDN);
        if (mpfr_cmp_si(r, 1) > 0)
            mpfr_set_si(r, 1, MPFR_RNDN);
        mpfr_ui_sub(t, 1, r, MPFR_RNDN);
        mpfr_div_d(u, r, s->factor, MPFR_RNDN);
        mpfr_add(t, t, u, MPFR_RNDN);
        mpfr_mul(f->w, w0, t, MPFR_RNDN);
        break;
    case POSENC_SCALING_LLAMA3:
        /* lambda = 2 pi / w0 against L0 / hff and L0 / lff (real: lambda hff < L0, ...) */
        mpfr_const_pi(t, MPFR_RNDN);
        mpfr_mul_2ui(t, t, 1, MPFR_RNDN);
        mpfr_div(t, t, w0, MPFR_RNDN);
        mpfr_mul_d(r, t, s->high_freq_factor, MPFR_RNDN);
        mpfr_mul_d(u, t, s->low_freq_factor, MPFR_RNDN);
        if (mpfr_cmp_d(r, (double)s->original_max_positions) < 0) {
            mpfr_set(f->w, w0, MPFR_RNDN);
        } else if (mpfr_cmp_d(u, (double)s->original_max_positions) > 0) {
            mpfr_div_d(f->w, w0, s->factor, MPFR_RNDN);
        } else {
            /* t = (L0 / lambda - lff) / (hff - lff); w = (1 - t) w0 / factor + t w0 */
            mpfr_d_div(r, (double)s->original_max_positions, t, MPFR_RNDN);
            mpfr_sub_d(r, r, s->low_freq_factor, MPFR_RNDN);
            mpfr_set_d(u, s->high_freq_factor, MPFR_RNDN);
            mpfr_sub_d(u, u, s->low_freq_factor, MPFR_RNDN);
            mpfr_div(r, r, u, MPFR_RNDN);
            mpfr_ui_sub(t, 1, r, MPFR_RNDN);
            mpfr_mul(t, t, w0, MPFR_RNDN);
            mpfr_div_d(t, t, s->factor, MPFR_RNDN);
            mpfr_mul(u, r, w0, MPFR_RNDN);
            mpfr_add(f->w, t, u, MPFR_RNDN);
        }
        break;
    case POSENC_SCALING_LONGROPE:
        mpfr_div_d(f->w, w0, v->longrope_f[i], MPFR_RNDN);
        break;
    default:
        break;
    }
    f->w_d = mpfr_get_d(f->w, MPFR_RNDN);
    f->base = v->p.base;
    f->scale = s->factor;
    f->n = n;
    f->i = i;
    f->attention = v->attention;
    f->axis = oracle_mrope_axis(&v->p, i);
    mpfr_clears(e, b, w0, r, t, u, (mpfr_ptr)0);
    return 0;
}

int oracle_freq_init_params(oracle_freq *f, const posenc_params *p, int32_t i)
{
    oracle_variant v;
    if (oracle_variant_init(&v, p))
        return -1;
    return oracle_freq_init_variant(f, &v, i);
}

double oracle_attention_factor(const posenc_params *p)
{
    oracle_variant v;
    return oracle_variant_init(&v, p) ? NAN : v.attention;
}

int oracle_params_same_freqs(const posenc_params *a, const posenc_params *b)
{
    oracle_variant va, vb;
    if (oracle_variant_init(&va, a) || oracle_variant_init(&vb, b))
        return 0;
    const posenc_scaling *x = &va.p.scaling, *y = &vb.p.scaling;
    if (va.n != vb.n || va.p.base != vb.p.base || x->type != y->type ||
        va.base_scaled != vb.base_scaled || va.attention != vb.attention ||
        va.p.mrope.layout != vb.p.mrope.layout)
        return 0;
    if (va.p.mrope.layout != POSENC_MROPE_NONE)
        for (int k = 0; k < 3; k++)
            if (va.p.mrope.section[k] != vb.p.mrope.section[k])
                return 0;
    switch (x->type) {
    case POSENC_SCALING_LINEAR:
        return x->factor == y->factor;
    case POSENC_SCALING_YARN:
        return x->factor == y->factor && va.yarn_low == vb.yarn_low &&
               va.yarn_high == vb.yarn_high;
    case POSENC_SCALING_LLAMA3:
        return x->factor == y->factor && x->original_max_positions == y->original_max_positions &&
               x->low_freq_factor == y->low_freq_factor &&
               x->high_freq_factor == y->high_freq_factor;
    case POSENC_SCALING_LONGROPE:
        for (int32_t i = 0; i < va.n / 2; i++)
            if (va.longrope_f[i] != vb.longrope_f[i])
                return 0;
        return 1;
    default: /* none, ntk, dynamic: base_scaled decides */
        return 1;
    }
}

void oracle_freq_clear(oracle_freq *f)
{
    mpfr_clear(f->w);
}

/* Scratch of one thread, so the hot loops do not allocate. */
typedef struct scratch {
    mpfr_t p;         /* the position, exact */
    mpfr_t angle;     /* ANGLE_PREC: p * w, exact */
    mpfr_t s53, c53;  /* results rounded once to double */
    mpfr_t sw, cw;    /* sin w, cos w (RUN_PREC) */
    mpfr_t s, c;      /* the running rotation (RUN_PREC) */
    mpfr_t t1, t2, t3, t4;
} scratch;

static void scratch_init(scratch *z)
{
    mpfr_init2(z->p, 64);
    mpfr_init2(z->angle, ANGLE_PREC);
    mpfr_init2(z->s53, 53);
    mpfr_init2(z->c53, 53);
    mpfr_inits2(RUN_PREC, z->sw, z->cw, z->s, z->c, z->t1, z->t2, z->t3, z->t4, (mpfr_ptr)0);
}

static void scratch_clear(scratch *z)
{
    mpfr_clears(z->p, z->angle, z->s53, z->c53, z->sw, z->cw, z->s, z->c, z->t1, z->t2, z->t3,
                z->t4, (mpfr_ptr)0);
}

static void set_angle(scratch *z, const oracle_freq *f, int64_t p)
{
    /* p < 2^53 converts to double exactly; mpfr_set_si would need a 64-bit long. */
    mpfr_set_d(z->p, (double)p, MPFR_RNDN);
    mpfr_mul(z->angle, f->w, z->p, MPFR_RNDN);
}

static void sincos_one(scratch *z, const oracle_freq *f, int64_t p, double *s, double *c)
{
    set_angle(z, f, p);
    mpfr_sin_cos(z->s53, z->c53, z->angle, MPFR_RNDN);
    *s = mpfr_get_d(z->s53, MPFR_RNDN);
    *c = mpfr_get_d(z->c53, MPFR_RNDN);
}

/* The run, writing s[k * stride], c[k * stride]. */
static void sincos_run(scratch *z, const oracle_freq *f, int64_t p0, size_t count, double *s,
                       double *c, size_t stride)
{
    if (count == 0)
        return;
    if (count < 8) { /* too short to pay for sin w and cos w at RUN_PREC */
        for (size_t k = 0; k < count; k++)
            sincos_one(z, f, p0 + (int64_t)k, &s[k * stride], &c[k * stride]);
        return;
    }
    mpfr_sin_cos(z->sw, z->cw, f->w, MPFR_RNDN);
    for (size_t k = 0; k < count; k++) {
        if (k % ORACLE_RUN_ANCHOR == 0) {
            set_angle(z, f, p0 + (int64_t)k);
            mpfr_sin_cos(z->s, z->c, z->angle, MPFR_RNDN);
        } else {
            /* (s, c) <- rotation by w: sin(a + w) = s cw + c sw, cos(a + w) = c cw - s sw */
            mpfr_mul(z->t1, z->s, z->cw, MPFR_RNDN);
            mpfr_mul(z->t2, z->c, z->sw, MPFR_RNDN);
            mpfr_mul(z->t3, z->c, z->cw, MPFR_RNDN);
            mpfr_mul(z->t4, z->s, z->sw, MPFR_RNDN);
            mpfr_add(z->s, z->t1, z->t2, MPFR_RNDN);
            mpfr_sub(z->c, z->t3, z->t4, MPFR_RNDN);
        }
        s[k * stride] = mpfr_get_d(z->s, MPFR_RNDN);
        c[k * stride] = mpfr_get_d(z->c, MPFR_RNDN);
    }
}

void oracle_sincos(const oracle_freq *f, int64_t p, double *s, double *c)
{
    scratch z;
    scratch_init(&z);
    sincos_one(&z, f, p, s, c);
    scratch_clear(&z);
}

void oracle_sincos_run(const oracle_freq *f, int64_t p0, size_t count, double *s, double *c)
{
    scratch z;
    scratch_init(&z);
    sincos_run(&z, f, p0, count, s, c, 1);
    scratch_clear(&z);
}

/* ---- the table ------------------------------------------------------------------------------ */

/* A work item: one frequency column over positions [k0, k1). */
typedef struct work {
    oracle_table *t;
    const oracle_freq *freqs; /* one per column */
    const size_t *seg;        /* segment boundaries: seg[0] = 0 < ... < seg[n_seg] = n_pos */
    size_t n_seg;
    size_t n_items;
    atomic_size_t next;
} work;

static void do_item(scratch *z, work *wk, size_t item)
{
    oracle_table *t = wk->t;
    size_t j = item % t->n_idx;
    size_t g = item / t->n_idx;
    const oracle_freq *f = &wk->freqs[j];
    size_t k = wk->seg[g], k1 = wk->seg[g + 1];
    while (k < k1) {
        size_t len = 1;
        while (k + len < k1 && t->pos[k + len] == t->pos[k] + (int64_t)len)
            len++;
        sincos_run(z, f, t->pos[k], len, &t->s[k * t->n_idx + j], &t->c[k * t->n_idx + j],
                   t->n_idx);
        k += len;
    }
}

static void *worker(void *arg)
{
    work *wk = arg;
    scratch z;
    scratch_init(&z);
    for (;;) {
        size_t item = atomic_fetch_add(&wk->next, 1);
        if (item >= wk->n_items)
            break;
        do_item(&z, wk, item);
    }
    scratch_clear(&z);
    /* this thread's cached constants would otherwise leak at its exit; only the local cache:
       other threads may still be using a shared one */
    mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
    return NULL;
}

int oracle_default_threads(void)
{
    if (!mpfr_buildopt_tls_p())
        return 1; /* MPFR's caches are shared and unlocked: one thread only */
    const char *env = getenv("POSENC_ORACLE_THREADS");
    if (env && *env) {
        long v = strtol(env, NULL, 10);
        if (v >= 1 && v <= 64)
            return (int)v;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > 16 ? 16 : (int)n;
}

void oracle_table_free(oracle_table *t)
{
    free(t->pos);
    free(t->idx);
    free(t->w);
    free(t->s);
    free(t->c);
    free(t->col);
    memset(t, 0, sizeof *t);
}

/* The table of (base, n, scale), or of the variant v when it is not NULL. */
static int table_build(oracle_table *t, const oracle_variant *v, double base, int32_t n,
                       double scale, const int64_t *pos, size_t n_pos, const int32_t *idx,
                       size_t n_idx, int threads)
{
    memset(t, 0, sizeof *t);
    if (!(base > 1.0) || n < 2 || !(scale > 0.0) || (n_pos && !pos) || (n_idx && !idx))
        return -1;
    for (size_t k = 0; k < n_pos; k++)
        if (pos[k] < 0 || pos[k] >= (INT64_C(1) << 53))
            return -1;
    for (size_t j = 0; j < n_idx; j++)
        if (idx[j] < 0 || idx[j] >= n / 2)
            return -1;
    if (n_pos && n_idx > SIZE_MAX / sizeof(double) / n_pos)
        return -1;
    t->base = base;
    t->scale = scale;
    t->n = n;
    t->attention = v ? v->attention : 1.0;
    t->n_pos = n_pos;
    t->n_idx = n_idx;
    t->pos = malloc((n_pos ? n_pos : 1) * sizeof *t->pos);
    t->idx = malloc((n_idx ? n_idx : 1) * sizeof *t->idx);
    t->w = malloc((n_idx ? n_idx : 1) * sizeof *t->w);
    size_t cells = n_pos * n_idx;
    if (!cells)
        cells = 1;
    t->s = malloc(cells * sizeof *t->s);
    t->c = malloc(cells * sizeof *t->c);
    t->col = malloc((size_t)(n / 2) * sizeof *t->col);
    oracle_freq *freqs = calloc(n_idx ? n_idx : 1, sizeof *freqs);
    /* segments: runs of consecutive positions stay together up to a few anchors' worth;
       scattered positions go 16 to an item so the threads share the work evenly */
    size_t *seg = malloc((n_pos + 1) * sizeof *seg);
    if (!t->pos || !t->idx || !t->w || !t->s || !t->c || !t->col || !freqs || !seg) {
        free(freqs);
        free(seg);
        oracle_table_free(t);
        return -1;
    }
    if (n_pos)
        memcpy(t->pos, pos, n_pos * sizeof *pos);
    if (n_idx)
        memcpy(t->idx, idx, n_idx * sizeof *idx);
    for (int32_t i = 0; i < n / 2; i++)
        t->col[i] = -1;
    for (size_t j = 0; j < n_idx; j++) {
        if (v)
            oracle_freq_init_variant(&freqs[j], v, idx[j]); /* idx[j] < n/2: cannot fail */
        else
            oracle_freq_init(&freqs[j], base, n, idx[j], scale);
        t->w[j] = freqs[j].w_d;
        if (t->col[idx[j]] < 0)
            t->col[idx[j]] = (int32_t)j;
    }
    size_t n_seg = 0;
    seg[0] = 0;
    for (size_t k = 0; k < n_pos;) {
        size_t len = 1;
        while (k + len < n_pos && len < 2 * ORACLE_RUN_ANCHOR &&
               t->pos[k + len] == t->pos[k + len - 1] + 1)
            len++;
        if (len == 1) /* scattered: take up to 16 positions */
            while (k + len < n_pos && len < 16 && t->pos[k + len] != t->pos[k + len - 1] + 1)
                len++;
        k += len;
        seg[++n_seg] = k;
    }

    work wk = {.t = t, .freqs = freqs, .seg = seg, .n_seg = n_seg, .n_items = n_seg * n_idx};
    atomic_init(&wk.next, 0);
    if (threads <= 0)
        threads = oracle_default_threads();
    if ((size_t)threads > wk.n_items)
        threads = wk.n_items ? (int)wk.n_items : 1;
    pthread_t tid[64];
    int started = 0;
    for (int i = 1; i < threads && i < 64; i++) {
        if (pthread_create(&tid[started], NULL, worker, &wk) != 0)
            break; /* fewer threads is only slower */
        started++;
    }
    /* the calling thread works too, with its own scratch (its MPFR cache stays for later calls) */
    {
        scratch z;
        scratch_init(&z);
        for (;;) {
            size_t item = atomic_fetch_add(&wk.next, 1);
            if (item >= wk.n_items)
                break;
            do_item(&z, &wk, item);
        }
        scratch_clear(&z);
    }
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    for (size_t j = 0; j < n_idx; j++)
        oracle_freq_clear(&freqs[j]);
    free(freqs);
    free(seg);
    return 0;
}

int oracle_table_build(oracle_table *t, double base, int32_t n, double scale, const int64_t *pos,
                       size_t n_pos, const int32_t *idx, size_t n_idx, int threads)
{
    return table_build(t, NULL, base, n, scale, pos, n_pos, idx, n_idx, threads);
}

int oracle_table_build_params(oracle_table *t, const posenc_params *p, const int64_t *pos,
                              size_t n_pos, const int32_t *idx, size_t n_idx, int threads)
{
    oracle_variant v;
    if (oracle_variant_init(&v, p)) {
        memset(t, 0, sizeof *t);
        return -1;
    }
    return table_build(t, &v, v.p.base, v.n, v.p.scaling.factor > 0.0 ? v.p.scaling.factor : 1.0,
                       pos, n_pos, idx, n_idx, threads);
}

void oracle_cleanup(void)
{
    mpfr_free_cache();
}
