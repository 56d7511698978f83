/* test_threads.c - one plan shared by threads, a call's tokens split among them (how an engine
 * runs posenc on its thread pool, README "Threads"): for every implementation this CPU runs,
 * every kind (sinusoidal in both pairings, learned, rotary half-split, interleaved with partial
 * rotary, yarn with its attention factor, M-RoPE; alibi in each form), float32, bfloat16 and
 * float16 data, encode and apply on contiguous, GQA (q and k heads of one token together) and
 * padded layouts, and alibi split by query rows and by heads: several random splits (empty
 * pieces and 1-token pieces among them) run piece by piece, and again with the pieces spread
 * over 2 to 4 threads running at once on the same plan, give byte for byte the buffer one
 * whole call gives, padding included; and the plan's bytes (the struct, its frequency, slope
 * and axis arrays, the backend's tables) are the same after all those calls as before. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness_util.h"
#include "posenc.h"
#include "sample_grid.h"

#include "core/plan.h"
#include "table/table_plan.h"

static sample_rng rng = {UINT64_C(0x7d5e11)};

enum op { OP_ENCODE, OP_APPLY, OP_SCORES_ROWS, OP_SCORES_HEADS };

/* One call and how it is split: items are tokens (encode, apply), query rows or heads (alibi). */
typedef struct job {
    const posenc_plan *plan;
    enum op op;
    size_t n;                 /* tokens, query rows or heads of the whole call */
    size_t axes;              /* positions per token (3 with M-RoPE), axis-major */
    const int64_t *pos;       /* axes * n (encode, apply); the query positions (alibi) */
    const int64_t *k_pos;     /* alibi: n_k key positions */
    size_t n_q, n_k;          /* alibi */
    posenc_layout layout;     /* apply */
    posenc_score_layout score_layout; /* alibi: the whole call's */
    size_t item_elements;     /* elements from one item to the next in the buffer */
    size_t esize;             /* bytes of an element */
} job;

/* Items [a, b) of the call on buf: the call an engine thread makes for its share. */
static int run_piece(const job *j, void *buf, size_t a, size_t b)
{
    char *x = (char *)buf + a * j->item_elements * j->esize;
    int64_t pos[3 * 64];
    if (j->op == OP_ENCODE || j->op == OP_APPLY) {
        for (size_t ax = 0; ax < j->axes; ax++) /* the piece's positions, axis by axis */
            memcpy(pos + ax * (b - a), j->pos + ax * j->n + a, (b - a) * sizeof *pos);
        if (j->op == OP_ENCODE)
            return posenc_encode(j->plan, pos, b - a, x);
        return posenc_apply(j->plan, pos, b - a, x, &j->layout);
    }
    posenc_score_layout l = j->score_layout;
    if (j->op == OP_SCORES_ROWS)
        return posenc_alibi_apply(j->plan, j->pos + a, b - a, j->k_pos, j->n_k, x, &l);
    if (a == b) /* n_heads 0 means every head from first_head: an empty share makes no call */
        return POSENC_OK;
    l.first_head = a;
    l.n_heads = b - a;
    return posenc_alibi_apply(j->plan, j->pos, j->n_q, j->k_pos, j->n_k, x, &l);
}

typedef struct worker {
    const job *j;
    void *buf;
    const size_t *cuts;       /* piece k is items [cuts[k], cuts[k + 1]) */
    size_t n_pieces, first, step;
    int rc;                   /* the first failing code, or POSENC_OK */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (size_t k = w->first; k < w->n_pieces; k += w->step) {
        int rc = run_piece(w->j, w->buf, w->cuts[k], w->cuts[k + 1]);
        if (rc != POSENC_OK && w->rc == POSENC_OK)
            w->rc = rc;
    }
    return NULL;
}

/* n_pieces + 1 cuts from 0 to n: random, with repeats (empty pieces) and a 1-item piece. */
static void random_cuts(size_t n, size_t n_pieces, size_t *cuts)
{
    cuts[0] = 0;
    cuts[n_pieces] = n;
    for (size_t k = 1; k < n_pieces; k++)
        cuts[k] = (size_t)(sample_rng_next(&rng) % (n + 1));
    for (size_t k = 1; k < n_pieces; k++) /* insertion sort: a few cuts */
        for (size_t m = k; m > 1 && cuts[m - 1] > cuts[m]; m--) {
            size_t t = cuts[m];
            cuts[m] = cuts[m - 1];
            cuts[m - 1] = t;
        }
    if (n_pieces >= 8) /* the first piece empty */
        cuts[1] = 0;
    if (n_pieces >= 3 && cuts[1] < cuts[3]) /* a piece of exactly one item */
        cuts[2] = cuts[1] + 1;
    if (n_pieces >= 5) /* an empty piece inside */
        cuts[4] = cuts[3];
}

/* The whole call on `whole`, then each split piece by piece and on threads, against it. */
static void check_splits(const job *j, const void *input, size_t bytes, const char *what)
{
    void *whole = harness_xmalloc(bytes), *piecewise = harness_xmalloc(bytes);
    memcpy(whole, input, bytes);
    int rc = run_piece(j, whole, 0, j->n);
    CHECK(rc == POSENC_OK, "%s: the whole call: %s", what, posenc_strerror(rc));
    CHECK(memcmp(whole, input, bytes) != 0 || j->n == 0, "%s: the whole call changed nothing",
          what);
    static const size_t piece_counts[] = {1, 2, 3, 5, 8};
    for (size_t s = 0; rc == POSENC_OK && s < sizeof piece_counts / sizeof *piece_counts; s++) {
        size_t n_pieces = piece_counts[s], cuts[9];
        if (n_pieces == 2 && s == 1) { /* the even split a bench thread takes */
            cuts[0] = 0, cuts[1] = j->n / 2, cuts[2] = j->n;
        } else {
            random_cuts(j->n, n_pieces, cuts);
        }
        /* one thread, piece by piece, in order */
        memcpy(piecewise, input, bytes);
        worker seq = {j, piecewise, cuts, n_pieces, 0, 1, POSENC_OK};
        work(&seq);
        CHECK(seq.rc == POSENC_OK && !memcmp(piecewise, whole, bytes),
              "%s: %zu pieces one after another (cuts %zu %zu ..): %s", what, n_pieces, cuts[1],
              n_pieces > 1 ? cuts[2] : j->n,
              seq.rc ? posenc_strerror(seq.rc) : "the bytes differ from one call");
        /* 2 to 4 threads at once, thread t taking pieces t, t + P, ... */
        size_t n_threads = 2 + (size_t)(sample_rng_next(&rng) % 3);
        memcpy(piecewise, input, bytes);
        pthread_t tid[4];
        worker w[4];
        int started[4] = {0};
        for (size_t t = 0; t < n_threads; t++) {
            w[t] = (worker){j, piecewise, cuts, n_pieces, t, n_threads, POSENC_OK};
            started[t] = pthread_create(&tid[t], NULL, work, &w[t]) == 0;
            if (!started[t])
                work(&w[t]); /* no thread to be had: the same pieces here */
        }
        int trc = POSENC_OK;
        for (size_t t = 0; t < n_threads; t++) {
            if (started[t])
                pthread_join(tid[t], NULL);
            if (w[t].rc != POSENC_OK)
                trc = w[t].rc;
        }
        CHECK(trc == POSENC_OK && !memcmp(piecewise, whole, bytes),
              "%s: %zu pieces on %zu threads: %s", what, n_pieces, n_threads,
              trc ? posenc_strerror(trc) : "the bytes differ from one call");
    }
    free(whole);
    free(piecewise);
}

/* FNV-1a of n bytes at p, continued from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; p && i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* A digest of everything a plan holds: a call that wrote to it would change this. */
static uint64_t plan_digest(const posenc_plan *p)
{
    uint64_t h = fnv(UINT64_C(0xcbf29ce484222325), p, sizeof *p);
    h = fnv(h, p->turn_step, p->n_freq * sizeof *p->turn_step);
    h = fnv(h, p->inv_freq, p->n_freq * sizeof *p->inv_freq);
    h = fnv(h, p->axis, p->axis ? p->n_freq * sizeof *p->axis : 0);
    const size_t heads = p->params.kind == POSENC_ALIBI ? (size_t)p->params.dim : 0;
    h = fnv(h, p->slope_hi, p->slope_hi ? heads * sizeof *p->slope_hi : 0);
    h = fnv(h, p->slope_lo, p->slope_lo ? heads * sizeof *p->slope_lo : 0);
    h = fnv(h, p->slope_f, p->slope_f ? heads * sizeof *p->slope_f : 0);
    if (p->impl->flags & POSENC_IMPL_TABLE_BOUNDED) { /* its backend: the table's rows */
        const table_data *t = p->backend;
        h = fnv(h, t, sizeof *t);
        return fnv(h, t->values, p->backend_bytes);
    }
    /* the vector backends' tables: one allocation of backend_bytes (simd/simd_plan.c) */
    return fnv(h, p->backend, p->backend ? p->backend_bytes : 0);
}

/* n random finite elements of dtype t (float32 bits or 16-bit bits of values in [-4, 4)). */
static void *random_buffer(size_t n, posenc_dtype t)
{
    size_t es = t == POSENC_DTYPE_F32 ? 4 : 2;
    unsigned char *b = harness_xmalloc(n * es + 1);
    for (size_t i = 0; i < n; i++) {
        float f = sample_rng_input(&rng);
        uint32_t u;
        memcpy(&u, &f, 4);
        if (es == 4) {
            memcpy(b + 4 * i, &u, 4);
        } else {
            /* bf16: the top half; f16: a finite half of about that size, built from bits */
            uint16_t h = t == POSENC_DTYPE_BF16
                             ? (uint16_t)(u >> 16)
                             : (uint16_t)((u >> 16 & 0x8000) | (sample_rng_next(&rng) % 0x4800));
            memcpy(b + 2 * i, &h, 2);
        }
    }
    return b;
}

typedef struct variant {
    const char *name;
    posenc_kind kind;
    int32_t dim, rotary_dim;
    posenc_pairing pairing;
    int yarn, mrope;
    posenc_alibi_form alibi_form;
} variant;

static const variant variants[] = {
    {"sinusoidal interleaved", POSENC_SINUSOIDAL, 64, 0, POSENC_PAIR_INTERLEAVED, 0, 0, 0},
    {"sinusoidal half", POSENC_SINUSOIDAL, 38, 0, POSENC_PAIR_HALF, 0, 0, 0},
    {"learned", POSENC_LEARNED, 48, 0, POSENC_PAIR_DEFAULT, 0, 0, 0},
    {"rotary half", POSENC_ROTARY, 64, 64, POSENC_PAIR_HALF, 0, 0, 0},
    {"rotary interleaved partial", POSENC_ROTARY, 80, 32, POSENC_PAIR_INTERLEAVED, 0, 0, 0},
    {"rotary yarn", POSENC_ROTARY, 96, 96, POSENC_PAIR_HALF, 1, 0, 0},
    {"rotary mrope", POSENC_ROTARY, 128, 128, POSENC_PAIR_HALF, 0, 1, 0},
    {"alibi causal", POSENC_ALIBI, 12, 0, POSENC_PAIR_DEFAULT, 0, 0, POSENC_ALIBI_CAUSAL},
    {"alibi full", POSENC_ALIBI, 8, 0, POSENC_PAIR_DEFAULT, 0, 0, POSENC_ALIBI_FULL},
    {"alibi key-only", POSENC_ALIBI, 5, 0, POSENC_PAIR_DEFAULT, 0, 0, POSENC_ALIBI_KEY_ONLY},
};

enum { N_TOKENS = 37, N_KEYS = 29, LEARNED_ROWS = 5000 };

static posenc_weights *weights;

static posenc_params params_of(const variant *v, const posenc_impl *impl, posenc_dtype t)
{
    posenc_params p = posenc_params_default(v->kind, v->dim);
    p.dtype = t;
    if (v->kind == POSENC_ROTARY) {
        p.rotary_dim = v->rotary_dim;
        p.base = 500000;
    }
    if (v->kind != POSENC_LEARNED && v->kind != POSENC_ALIBI)
        p.pairing = v->pairing;
    if (v->yarn) {
        p.scaling.type = POSENC_SCALING_YARN;
        p.scaling.factor = 4;
        p.scaling.original_max_positions = 32768;
    }
    if (v->mrope) {
        p.mrope.layout = POSENC_MROPE_SECTIONS;
        p.mrope.section[0] = 16, p.mrope.section[1] = 24, p.mrope.section[2] = 24;
    }
    if (v->kind == POSENC_LEARNED)
        p.weights = weights;
    if (v->kind == POSENC_ALIBI)
        p.alibi.form = v->alibi_form;
    if (impl->flags & POSENC_IMPL_TABLE_BOUNDED)
        p.max_positions = 4097;
    if (impl->flags & POSENC_IMPL_DESIGN) /* the fp32 recipe is a design's only angle mode */
        p.angle_mode = POSENC_ANGLE_FP32;
    return p;
}

static void run_variant(const posenc_impl *impl, const variant *v, posenc_dtype t)
{
    posenc_params p = params_of(v, impl, t);
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(impl, &p, &plan);
    if (rc == POSENC_ERR_ARGUMENT && (impl->flags & POSENC_IMPL_DESIGN)) {
        /* a design refuses what its recipe lacks (the recurrence: scaled variants) */
        printf("skip %s %s: %s\n", impl->name, v->name, posenc_last_error());
        return;
    }
    CHECK(rc == POSENC_OK, "%s %s %s: plan: %s", impl->name, v->name, posenc_dtype_name(t),
          posenc_strerror(rc));
    if (rc != POSENC_OK)
        return;
    const int64_t limit = posenc_plan_max_pos(plan);
    const size_t axes = v->mrope ? 3 : 1, es = t == POSENC_DTYPE_F32 ? 4 : 2;
    int64_t pos[3 * N_TOKENS], k_pos[N_KEYS];
    for (size_t i = 0; i < axes * N_TOKENS; i++) /* small and large positions alike */
        pos[i] = i % 3 ? (int64_t)(sample_rng_next(&rng) % (uint64_t)limit)
                       : (int64_t)(sample_rng_next(&rng) % (limit < 5000 ? (uint64_t)limit : 5000));
    for (size_t i = 0; i < N_KEYS; i++)
        k_pos[i] = (int64_t)(sample_rng_next(&rng) % (limit < 64 ? (uint64_t)limit : 64));
    const uint64_t digest = plan_digest(plan);
    char what[200];
    job j = {plan, OP_ENCODE, N_TOKENS, axes, pos, k_pos, 0, 0, {0, 0, 0}, {0, 0, 0, 0},
             posenc_plan_row_size(plan), es};

    /* encode: rows of the plan's row size */
    size_t n = N_TOKENS * j.item_elements;
    void *in = random_buffer(n, t);
    snprintf(what, sizeof what, "%s %s %s encode", impl->name, v->name, posenc_dtype_name(t));
    check_splits(&j, in, n * es, what);
    free(in);

    if (v->kind == POSENC_ALIBI) {
        /* scores: H heads of N_TOKENS query rows of N_KEYS keys, rows and heads padded */
        const size_t H = (size_t)v->dim, row = N_KEYS + 3, head = N_TOKENS * row + 5;
        j.n_q = N_TOKENS;
        j.n_k = N_KEYS;
        j.score_layout = (posenc_score_layout){0, H, row, head};
        n = H * head;
        in = random_buffer(n, t);
        for (int by_heads = 0; by_heads < 2; by_heads++) {
            j.op = by_heads ? OP_SCORES_HEADS : OP_SCORES_ROWS;
            j.n = by_heads ? H : N_TOKENS;
            j.item_elements = by_heads ? head : row;
            snprintf(what, sizeof what, "%s %s %s scores by %s", impl->name, v->name,
                     posenc_dtype_name(t), by_heads ? "heads" : "rows");
            check_splits(&j, in, n * es, what);
        }
        free(in);
        CHECK(plan_digest(plan) == digest, "%s %s %s: the calls changed the plan", impl->name,
              v->name, posenc_dtype_name(t));
        posenc_plan_destroy(plan);
        return;
    }

    /* apply: one head per token; GQA, 4 query and 2 key heads of a token together; 3 heads
       with padding after each head and each token */
    const size_t dim = (size_t)v->dim;
    const posenc_layout layouts[] = {
        {1, 0, 0},
        {6, 0, 0},
        {3, dim + 5, 3 * (dim + 5) + 7},
    };
    static const char *layout_names[] = {"one head", "GQA 4+2 heads", "padded strides"};
    for (size_t l = 0; l < 3; l++) {
        j.op = OP_APPLY;
        j.n = N_TOKENS;
        j.layout = layouts[l];
        const size_t hs = j.layout.head_stride ? j.layout.head_stride : dim;
        j.item_elements = j.layout.token_stride ? j.layout.token_stride : j.layout.n_heads * hs;
        n = N_TOKENS * j.item_elements;
        in = random_buffer(n, t);
        snprintf(what, sizeof what, "%s %s %s apply, %s", impl->name, v->name,
                 posenc_dtype_name(t), layout_names[l]);
        check_splits(&j, in, n * es, what);
        free(in);
    }
    CHECK(plan_digest(plan) == digest, "%s %s %s: the calls changed the plan", impl->name,
          v->name, posenc_dtype_name(t));
    posenc_plan_destroy(plan);
}

int main(void)
{
    float *w = harness_xmalloc((size_t)LEARNED_ROWS * 48 * sizeof *w);
    for (size_t i = 0; i < (size_t)LEARNED_ROWS * 48; i++)
        w[i] = sample_rng_input(&rng);
    CHECK_CODE(posenc_weights_from_array(LEARNED_ROWS, 48, w, &weights), POSENC_OK);
    free(w);
    static const posenc_dtype types[] = {POSENC_DTYPE_F32, POSENC_DTYPE_BF16, POSENC_DTYPE_F16};
    size_t impls = 0;
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        if (!posenc_impl_supported(impl))
            continue;
        impls++;
        for (size_t k = 0; k < sizeof variants / sizeof *variants; k++)
            if (variants[k].kind == impl->kind)
                for (size_t d = 0; d < 3; d++)
                    run_variant(impl, &variants[k], types[d]);
    }
    posenc_weights_free(weights);
    printf("test_threads: %zu implementations\n", impls);
    return tests_exit_code("test_threads");
}
