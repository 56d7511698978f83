/* oracle.c - the MPFR oracle: high-precision frequencies, sin/cos of p * w rounded to double, and
 * a threaded table of them shared by every implementation a test checks. */
#define _POSIX_C_SOURCE 200809L /* sysconf */

#include "oracle.h"

#include <limits.h>
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
    mpfr_clear(e);
    mpfr_clear(b);
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

int oracle_table_build(oracle_table *t, double base, int32_t n, double scale, const int64_t *pos,
                       size_t n_pos, const int32_t *idx, size_t n_idx, int threads)
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

void oracle_cleanup(void)
{
    mpfr_free_cache();
}
