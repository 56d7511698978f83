/* test_dtypes.c - bfloat16 and float16 data (posenc.h, posenc_dtype) on every implementation this
 * CPU runs, for every kind (sinusoidal, learned, rotary in both pairings with partial rotary,
 * a scaling variant with an attention factor, M-RoPE, alibi in each form):
 * - bits: encode writes the float results rounded to the type (core/half.h, round to nearest
 *   even), and apply/alibi give exactly what widening the inputs, the float kernel and one
 *   rounding give; computed NaNs are the type's canonical NaN, values apply does not compute
 *   (past rotary_dim, padding between heads and tokens) keep their bits; every implementation
 *   equals the portable one, and each kernel instance of the table the widest;
 * - inputs: random values, NaNs with payloads and both signs, infinities, subnormals of the
 *   type, signed zeros, the largest finite values (which overflow to inf when rotated with an
 *   attention factor or added to), and (rotary) ordinary values alone, on odd sizes, padded strides and buffers one element off
 *   their alignment; pieces larger than the staging buffer (a 40-head token, an 8192-wide head,
 *   300 M-RoPE tokens, 5000-key score rows);
 * - accuracy: rotary apply on 16-bit inputs within half an ulp of the result's type plus the
 *   float bound (impl->max_err_u u max(|a|, |b|)), against the MPFR oracle's rotation of the
 *   same inputs (exact as floats), at positions up to 2^31 - 1;
 * - core/half.h's conversions against independent references;
 * - an unknown dtype fails plan creation with ARGUMENT. */
#define _GNU_SOURCE /* setenv, unsetenv */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "design_skip.h"
#include "error_units.h"
#include "float_bits.h"
#include "harness_util.h"
#include "oracle.h"
#include "posenc.h"
#include "sample_grid.h"
#include "table_instances.h"

#include "core/half.h"

static sample_rng rng = {UINT64_C(0xdf16)};

static float widen1(uint16_t h, posenc_dtype t)
{
    return from_bits(t == POSENC_DTYPE_BF16 ? posenc_bf16_to_f32_bits(h)
                                            : posenc_f16_to_f32_bits(h));
}

static uint16_t narrow1(float f, posenc_dtype t)
{
    return t == POSENC_DTYPE_BF16 ? posenc_f32_bits_to_bf16(bits_of(f))
                                  : posenc_f32_bits_to_f16(bits_of(f));
}

/* A 16-bit input element: mostly ordinary values, sometimes a special one of the type. */
static uint16_t input16(posenc_dtype t, int specials)
{
    uint64_t r = sample_rng_next(&rng);
    if (specials && r % 4 == 0) {
        static const uint16_t bf[] = {0x7fc0, 0xffc1, 0x7f81, 0xff80, 0x7f80, 0x0001, 0x8003,
                                      0x007f, 0x0000, 0x8000, 0x7f7f, 0xff7f, 0x7fa5};
        static const uint16_t hf[] = {0x7e00, 0xfe01, 0x7c01, 0xfc00, 0x7c00, 0x0001, 0x8003,
                                      0x03ff, 0x0000, 0x8000, 0x7bff, 0xfbff, 0x7d55};
        size_t k = (size_t)(r >> 8) % (sizeof bf / sizeof bf[0]);
        return t == POSENC_DTYPE_BF16 ? bf[k] : hf[k];
    }
    return narrow1(sample_rng_input(&rng), t);
}

/* One case: a plan shape, a layout and positions. */
typedef struct dcase {
    const char *name;
    posenc_params p;
    size_t n_tokens, n_heads, head_pad, token_pad;
} dcase;

static size_t dtype_failures_before;
static int quick; /* --quick / POSENC_TEST_QUICK: ordinary-value passes on small cases only */

/* Plans of params p on float32 and on type t, both made (each creation checked); 0 when one
   failed (destroy both either way). */
static int plan_pair(const posenc_impl *impl, posenc_params p, posenc_dtype t, posenc_plan **f32,
                     posenc_plan **half)
{
    *f32 = *half = NULL;
    p.dtype = POSENC_DTYPE_F32;
    CHECK_CODE(posenc_plan_create(impl, &p, f32), POSENC_OK);
    p.dtype = t;
    CHECK_CODE(posenc_plan_create(impl, &p, half), POSENC_OK);
    return *f32 && *half;
}

/* encode: the 16-bit rows equal the float rows rounded */
static void check_encode(const posenc_impl *impl, const dcase *c, posenc_dtype t,
                         const int64_t *pos)
{
    posenc_plan *a, *b;
    if (plan_pair(impl, c->p, t, &a, &b)) {
        size_t row = posenc_plan_row_size(a), n = c->n_tokens, m = n * row;
        float *f = harness_xmalloc(m * sizeof(float));
        uint16_t *h = harness_xmalloc((m + 1) * sizeof(uint16_t));
        CHECK_CODE(posenc_encode(a, pos, n, f), POSENC_OK);
        CHECK_CODE(posenc_encode(b, pos, n, h + 1), POSENC_OK); /* one element off alignment */
        size_t bad = 0;
        for (size_t j = 0; j < m; j++)
            if (h[1 + j] != narrow1(f[j], t) && bad++ < 3)
                fprintf(stderr, "%s %s %s encode [%zu]: %04x, float %a rounds to %04x\n",
                        impl->name, c->name, posenc_dtype_name(t), j, h[1 + j], f[j],
                        narrow1(f[j], t));
        CHECK(bad == 0, "%s %s %s: %zu encoded elements are not the float rows rounded",
              impl->name, c->name, posenc_dtype_name(t), bad);
        free(f);
        free(h);
    }
    posenc_plan_destroy(a);
    posenc_plan_destroy(b);
}

/* apply: widened inputs, the float kernel of the same implementation, one rounding; untouched
 * elements keep their bits. Returns the 16-bit result (the caller frees it) to compare
 * implementations. */
static uint16_t *check_apply(const posenc_impl *impl, const dcase *c, posenc_dtype t,
                             const int64_t *pos, const uint16_t *in, size_t total)
{
    posenc_plan *a, *b;
    uint16_t *h = NULL;
    if (plan_pair(impl, c->p, t, &a, &b)) {
        size_t dim = (size_t)c->p.dim;
        size_t width = c->p.kind == POSENC_ROTARY ? (size_t)posenc_plan_params(a)->rotary_dim
                                                  : dim;
        posenc_layout l = {c->n_heads, dim + c->head_pad,
                           c->n_heads * (dim + c->head_pad) + c->token_pad};
        float *f = harness_xmalloc(total * sizeof(float));
        h = harness_xmalloc((total + 1) * sizeof(uint16_t));
        for (size_t j = 0; j < total; j++)
            f[j] = widen1(in[j], t);
        memcpy(h + 1, in, total * sizeof(uint16_t));
        CHECK_CODE(posenc_apply(a, pos, c->n_tokens, f, &l), POSENC_OK);
        CHECK_CODE(posenc_apply(b, pos, c->n_tokens, h + 1, &l), POSENC_OK);
        size_t bad = 0, canon = 0;
        for (size_t tk = 0; tk < c->n_tokens; tk++)
            for (size_t hd = 0; hd < c->n_heads; hd++)
                for (size_t e = 0; e < width; e++) {
                    size_t j = tk * l.token_stride + hd * l.head_stride + e;
                    uint16_t want = narrow1(f[j], t);
                    if (h[1 + j] != want && bad++ < 3)
                        fprintf(stderr, "%s %s %s apply token %zu head %zu [%zu]: %04x, want "
                                "%04x (input %04x)\n", impl->name, c->name,
                                posenc_dtype_name(t), tk, hd, e, h[1 + j], want, in[j]);
                    if (f[j] != f[j] &&
                        h[1 + j] != (t == POSENC_DTYPE_BF16 ? POSENC_BF16_NAN : POSENC_F16_NAN))
                        canon++;
                }
        CHECK(bad == 0, "%s %s %s: %zu applied elements differ from the float kernel rounded",
              impl->name, c->name, posenc_dtype_name(t), bad);
        CHECK(canon == 0, "%s %s %s: %zu NaN results not canonical", impl->name, c->name,
              posenc_dtype_name(t), canon);
        /* what apply does not compute keeps its bits */
        size_t moved = 0;
        for (size_t j = 0; j < total; j++) {
            size_t in_tok = j % l.token_stride, hd = in_tok / l.head_stride,
                   e = in_tok % l.head_stride;
            int computed = j / l.token_stride < c->n_tokens && hd < c->n_heads && e < width;
            if (!computed && h[1 + j] != in[j])
                moved++;
        }
        CHECK(moved == 0, "%s %s %s: %zu elements apply does not compute were changed",
              impl->name, c->name, posenc_dtype_name(t), moved);
        free(f);
        memmove(h, h + 1, total * sizeof(uint16_t));
    }
    posenc_plan_destroy(a);
    posenc_plan_destroy(b);
    return h;
}

/* A table: encode and apply with each kernel instance this CPU runs (table_instances.h), each
 * checked as above and giving the bits of the widest. */
static void check_table_instances(const posenc_impl *impl, const dcase *c, posenc_dtype t,
                                  const int64_t *pos, const uint16_t *in, size_t total)
{
    table_pick picks[TABLE_MAX_INSTANCES];
    size_t n_picks = table_picks(impl->kind, picks);
    uint16_t *first = NULL;
    for (size_t k = 0; k < n_picks; k++) {
        char what[200];
        snprintf(what, sizeof what, "%s %s %s", picks[k].kernels->name, c->name,
                 posenc_dtype_name(t));
        /* a plan of one row asks which instance the pick gives */
        posenc_params small = posenc_params_default(impl->kind, 2);
        small.max_positions = 1;
        posenc_plan *probe = NULL;
        table_pick_enter(&picks[k]);
        CHECK_CODE(posenc_plan_create(impl, &small, &probe), POSENC_OK);
        int right = probe && table_pick_check(probe, &picks[k], what);
        posenc_plan_destroy(probe);
        uint16_t *out = NULL;
        if (right) {
            check_encode(impl, c, t, pos);
            out = check_apply(impl, c, t, pos, in, total);
        }
        table_pick_leave(&picks[k]);
        if (out && first)
            CHECK(!memcmp(out, first, total * sizeof(uint16_t)), "%s differs from %s", what,
                  picks[0].kernels->name);
        if (!first) {
            first = out;
            out = NULL;
        }
        free(out);
    }
    free(first);
}

static size_t buffer_elements(const dcase *c)
{
    size_t ts = c->n_heads * ((size_t)c->p.dim + c->head_pad) + c->token_pad;
    return c->n_tokens * ts;
}

static void run_case(const dcase *c)
{
    size_t axes = c->p.mrope.layout != POSENC_MROPE_NONE ? 3 : 1;
    int64_t *pos = harness_xmalloc(axes * c->n_tokens * sizeof *pos);
    for (size_t k = 0; k < c->n_tokens; k++) {
        int64_t p = k % 3 == 0 ? sample_rng_log_position(&rng) : (int64_t)(k * 37);
        for (size_t a = 0; a < axes; a++)
            pos[a * c->n_tokens + k] = a == 0 ? p : p / (int64_t)(a + 1);
    }
    size_t total = buffer_elements(c);
    /* rotary twice: with special values, and without, where the vector kernels' fast paths
       (no NaN alarm, no zero lane for AVX512-BF16's store) run on every group; quick runs
       (the emulated aarch64 stage) keep the second pass to cases of up to 8192 elements */
    int passes = c->p.kind == POSENC_ROTARY && (!quick || total <= 8192) ? 4 : 2;
    for (int ti = 0; ti < passes; ti++) {
        posenc_dtype t = ti % 2 ? POSENC_DTYPE_F16 : POSENC_DTYPE_BF16;
        uint16_t *in = harness_xmalloc(total * sizeof(uint16_t));
        for (size_t j = 0; j < total; j++)
            in[j] = input16(t, ti < 2);
        uint16_t *ref = NULL;
        const posenc_impl *ref_impl = NULL;
        for (size_t i = 0; i < posenc_impl_count(); i++) {
            const posenc_impl *impl = posenc_impl_at(i);
            if (tests_skip_design(impl))
                continue;
            if (impl->kind != c->p.kind || !posenc_impl_supported(impl) ||
                c->p.kind == POSENC_ALIBI)
                continue;
            dcase cc = *c;
            if (impl->flags & POSENC_IMPL_TABLE_BOUNDED) {
                /* small positions for the table: building its rows is most of this test's
                   time, and test_table covers the rows themselves */
                cc.p.max_positions = 512;
                for (size_t k = 0; k < axes * c->n_tokens; k++)
                    pos[k] %= 512;
                check_table_instances(impl, &cc, t, pos, in, total);
                continue;
            }
            check_encode(impl, &cc, t, pos);
            uint16_t *out = check_apply(impl, &cc, t, pos, in, total);
            /* implementations of one algorithm agree on 16-bit data as on float data */
            if (out && !(impl->flags & POSENC_IMPL_TABLE_BOUNDED) && impl->algorithm &&
                ref_impl && ref_impl->algorithm && !strcmp(impl->algorithm, ref_impl->algorithm))
                CHECK(!memcmp(out, ref, total * sizeof(uint16_t)), "%s %s %s differs from %s",
                      impl->name, c->name, posenc_dtype_name(t), ref_impl->name);
            if (!ref_impl && out && !(impl->flags & POSENC_IMPL_TABLE_BOUNDED)) {
                ref = out;
                ref_impl = impl;
                out = NULL;
            }
            free(out);
        }
        free(ref);
        free(in);
    }
    free(pos);
}

/* alibi: each implementation, each form, scores of the type with padding; each once more
   through the library's staging (a copy of the implementation without its 16-bit kernels) */
static void run_alibi(size_t n_q, size_t n_k, int32_t H)
{
    for (int ti = 0; ti < 2; ti++)
        for (int form = 0; form < 3; form++)
            for (size_t i = 0; i < 2 * posenc_impl_count(); i++) {
                posenc_impl staged = *posenc_impl_at(i / 2);
                staged.dtypes = 0;
                const posenc_impl *impl = i % 2 ? &staged : posenc_impl_at(i / 2);
                if (impl->kind != POSENC_ALIBI || !posenc_impl_supported(impl) ||
                    (i % 2 && !posenc_impl_at(i / 2)->dtypes))
                    continue;
                posenc_dtype t = ti ? POSENC_DTYPE_F16 : POSENC_DTYPE_BF16;
                posenc_params pa = posenc_params_default(POSENC_ALIBI, H);
                pa.alibi.form = (posenc_alibi_form)form;
                posenc_plan *a, *b;
                if (!plan_pair(impl, pa, t, &a, &b)) {
                    posenc_plan_destroy(a);
                    posenc_plan_destroy(b);
                    continue;
                }
                posenc_score_layout l = {1, (size_t)H - 1, n_k + 2, n_q * (n_k + 2) + 3};
                size_t total = l.n_heads * l.head_stride;
                int64_t *qp = harness_xmalloc(n_q * sizeof *qp), *kp = harness_xmalloc(n_k * 8);
                for (size_t k = 0; k < n_k; k++)
                    kp[k] = 100000 + (int64_t)k;
                for (size_t q = 0; q < n_q; q++)
                    qp[q] = 100000 + (int64_t)(n_k - n_q + q);
                uint16_t *h = harness_xmalloc(total * sizeof(uint16_t));
                float *f = harness_xmalloc(total * sizeof(float));
                for (size_t j = 0; j < total; j++) {
                    h[j] = input16(t, 1);
                    f[j] = widen1(h[j], t);
                }
                uint16_t *in = harness_xmalloc(total * sizeof(uint16_t));
                memcpy(in, h, total * sizeof(uint16_t));
                CHECK_CODE(posenc_alibi_apply(a, qp, n_q, kp, n_k, f, &l), POSENC_OK);
                CHECK_CODE(posenc_alibi_apply(b, qp, n_q, kp, n_k, h, &l), POSENC_OK);
                size_t bad = 0;
                for (size_t j = 0; j < total; j++) {
                    size_t hd = j / l.head_stride, r = j % l.head_stride;
                    int computed = r / l.row_stride < n_q && r % l.row_stride < n_k &&
                                   hd < l.n_heads;
                    uint16_t want = computed ? narrow1(f[j], t) : in[j];
                    if (h[j] != want && bad++ < 3)
                        fprintf(stderr, "%s%s form %d %s [%zu]: %04x want %04x\n", impl->name,
                                i % 2 ? " (staged)" : "", form, posenc_dtype_name(t), j, h[j],
                                want);
                }
                CHECK(bad == 0, "%s%s form %d %s, %zu x %zu scores: %zu differ", impl->name,
                      i % 2 ? " (staged)" : "", form, posenc_dtype_name(t), n_q, n_k, bad);
                free(qp);
                free(kp);
                free(h);
                free(f);
                free(in);
                posenc_plan_destroy(a);
                posenc_plan_destroy(b);
            }
}

/* Accuracy: rotary apply on 16-bit inputs against the oracle's rotation of the same inputs. */
static void check_accuracy(posenc_dtype t)
{
    const posenc_impl *impl = posenc_impl_best(POSENC_ROTARY);
    posenc_params p = posenc_params_default(POSENC_ROTARY, 128);
    p.dtype = t;
    posenc_plan *plan = NULL;
    CHECK_CODE(posenc_plan_create(impl, &p, &plan), POSENC_OK);
    if (!plan)
        return;
    enum { NP = 48 };
    int64_t pos[NP];
    for (int k = 0; k < NP; k++)
        pos[k] = k < 8 ? k : k == NP - 1 ? INT64_C(2147483647) : sample_rng_log_position(&rng);
    int32_t idx[64];
    for (int i = 0; i < 64; i++)
        idx[i] = i;
    oracle_table tab;
    if (oracle_table_build(&tab, 1e4, 128, 1.0, pos, NP, idx, 64, 0)) {
        CHECK(0, "oracle table");
        posenc_plan_destroy(plan);
        return;
    }
    uint16_t x[128];
    double worst = 0.0;
    for (int k = 0; k < NP; k++) {
        for (int j = 0; j < 128; j++)
            x[j] = input16(t, 0);
        uint16_t in[128];
        memcpy(in, x, sizeof in);
        CHECK_CODE(posenc_apply(plan, &pos[k], 1, x, NULL), POSENC_OK);
        for (int i = 0; i < 64; i++) {
            double a = widen1(in[i], t), b = widen1(in[i + 64], t);
            double c = oracle_table_cos(&tab, (size_t)k, i), s = oracle_table_sin(&tab, (size_t)k, i);
            double ea = a * c - b * s, eb = a * s + b * c; /* within 2^-50 of the exact rotation */
            double m = fmax(fabs(a), fabs(b));
            double outs[2] = {widen1(x[i], t), widen1(x[i + 64], t)}, ex[2] = {ea, eb};
            for (int w = 0; w < 2; w++) {
                /* half an ulp of the type plus the float bound (error_units.h) */
                double bound = err_type_bound(ex[w], err_pair_share(impl->max_err_u, m), t);
                double err = fabs(outs[w] - ex[w]);
                CHECK(err <= bound, "%s %s p %" PRId64 " i %d: error %.3g > bound %.3g",
                      impl->name, posenc_dtype_name(t), pos[k], i, err, bound);
                if (bound > 0 && err / bound > worst)
                    worst = err / bound;
            }
        }
    }
    printf("%s %s apply vs oracle: worst error %.3f of the bound (half an ulp of the type + "
           "%.0fu max(|a|,|b|))\n", impl->name, posenc_dtype_name(t), worst, impl->max_err_u);
    oracle_table_free(&tab);
    posenc_plan_destroy(plan);
}

/* core/half.h against independent references: the compiler's _Float16 conversion (round to
 * nearest even) for fp16, and the nearer of the two bf16 neighbours (ties to the even one, the
 * largest finite value's upper neighbour being 2^128 = inf) for bf16; every 16-bit pattern
 * widened; narrowing of random float patterns, every exponent's rounding boundaries and ties,
 * the subnormal range and the overflow edges. */
static uint16_t bf16_reference(uint32_t f)
{
    uint32_t lo = f & 0xffff0000u;
    if (lo == f) /* a bf16 value already (infinities included) */
        return (uint16_t)(f >> 16);
    double x = from_bits(f), dl = fabs(x - (double)from_bits(lo));
    double up = (lo & 0x7fffffffu) == 0x7f7f0000u ? ldexp(1.0, 128) * (f >> 31 ? -1 : 1)
                                                  : (double)from_bits(lo + 0x10000u);
    double dh = fabs(up - x);
    return (uint16_t)((dl < dh || (dl == dh && !((lo >> 16) & 1u))) ? lo >> 16
                                                                      : (lo + 0x10000u) >> 16);
}

static void check_conversions(void)
{
    size_t bad = 0;
    for (uint32_t h = 0; h < 65536; h++) {
        _Float16 v;
        uint16_t hh = (uint16_t)h;
        memcpy(&v, &hh, 2);
        float want = (float)v;
        uint32_t got = posenc_f16_to_f32_bits(hh);
        if (want == want ? got != bits_of(want) : from_bits(got) == from_bits(got))
            bad++;
        if (posenc_bf16_to_f32_bits(hh) != (uint32_t)h << 16)
            bad++;
    }
    CHECK(bad == 0, "%zu 16-bit patterns widen wrongly", bad);
    bad = 0;
    for (uint32_t k = 0; k < (1u << 21); k++) {
        uint32_t f;
        if (k < (1u << 20)) {
            f = (uint32_t)sample_rng_next(&rng);
        } else { /* each exponent: the values around the roundings of both types */
            uint32_t e = (k >> 10) & 0x1ffu, off = k & 0x3ffu;
            uint32_t base = e << 23 | ((off >> 3) << 16);
            static const uint32_t near[8] = {0, 1, 0x7fff, 0x8000, 0x8001, 0xfff, 0x1000, 0x1001};
            f = base + near[off & 7u];
        }
        float x = from_bits(f);
        if (x != x) {
            if (posenc_f32_bits_to_f16(f) != POSENC_F16_NAN ||
                posenc_f32_bits_to_bf16(f) != POSENC_BF16_NAN)
                bad++;
            continue;
        }
        _Float16 h16 = (_Float16)x;
        uint16_t want16;
        memcpy(&want16, &h16, 2);
        if (posenc_f32_bits_to_f16(f) != want16 && bad++ < 3)
            fprintf(stderr, "fp16 of %08x: %04x, want %04x\n", f, posenc_f32_bits_to_f16(f),
                    want16);
        if (posenc_f32_bits_to_bf16(f) != bf16_reference(f) && bad++ < 3)
            fprintf(stderr, "bf16 of %08x: %04x, want %04x\n", f, posenc_f32_bits_to_bf16(f),
                    bf16_reference(f));
    }
    CHECK(bad == 0, "%zu float patterns narrow wrongly", bad);
}

int main(int argc, char **argv)
{
    check_conversions();
    quick = tests_parse_quick(argc, argv, "test_dtypes");
    if (quick < 0)
        return 2;
    (void)dtype_failures_before;
    static double short_f[48];
    for (int i = 0; i < 48; i++)
        short_f[i] = 1.0 + i / 16.0;
    dcase cases[12];
    size_t nc = 0;
    cases[nc++] = (dcase){"sinusoidal 64 interleaved", posenc_params_default(POSENC_SINUSOIDAL, 64),
                          7, 3, 5, 3};
    cases[nc] = (dcase){"sinusoidal 38 half", posenc_params_default(POSENC_SINUSOIDAL, 38), 5, 1,
                        0, 1};
    cases[nc++].p.pairing = POSENC_PAIR_HALF;
    cases[nc++] = (dcase){"rotary 128 half, 40 heads (pieces of heads)",
                          posenc_params_default(POSENC_ROTARY, 128), 3, 40, 0, 0};
    cases[nc] = (dcase){"rotary 80 (32 rotated) interleaved", posenc_params_default(POSENC_ROTARY, 80),
                        33, 3, 7, 5};
    cases[nc].p.rotary_dim = 32;
    cases[nc++].p.pairing = POSENC_PAIR_INTERLEAVED;
    cases[nc] = (dcase){"rotary 96 longrope (attention factor)",
                        posenc_params_default(POSENC_ROTARY, 96), 9, 4, 2, 0};
    cases[nc++].p.scaling = (posenc_scaling){.type = POSENC_SCALING_LONGROPE, .factor = 32.0,
                                             .original_max_positions = 4096,
                                             .short_factor = short_f, .long_factor = short_f};
    cases[nc] = (dcase){"rotary 128 M-RoPE, 300 tokens", posenc_params_default(POSENC_ROTARY, 128),
                        300, 2, 0, 0};
    cases[nc++].p.mrope = (posenc_mrope){POSENC_MROPE_SECTIONS, {16, 24, 24}};
    cases[nc] = (dcase){"rotary 8192 (heap piece)", posenc_params_default(POSENC_ROTARY, 8192), 2,
                        1, 0, 0};
    cases[nc++].p.angle_mode = POSENC_ANGLE_FP32;
    for (size_t k = 0; k < nc; k++) {
        printf("case %s\n", cases[k].name);
        run_case(&cases[k]);
    }
    /* the vector backends' native 16-bit kernels: every tail length of the half-split and
       interleaved loops (n_freq 1 .. 81 covers the 4-vector loop and the partial vector for 4,
       8 and 16 lanes), one token and several, partial rotary, padded strides */
    for (int32_t nf = 1; nf <= 81; nf++)
        for (int pi = 0; pi < 2; pi++) {
            char name[80];
            snprintf(name, sizeof name, "rotary n_freq %d %s", (int)nf,
                     pi ? "interleaved" : "half");
            dcase tc = {name, posenc_params_default(POSENC_ROTARY, 2 * nf + 2),
                        (size_t)(nf % 3 == 0 ? 1 : 2 + nf % 3), 1 + (size_t)(nf % 3), nf % 2,
                        (size_t)(nf % 5)};
            tc.p.rotary_dim = 2 * nf;
            tc.p.pairing = pi ? POSENC_PAIR_INTERLEAVED : POSENC_PAIR_HALF;
            run_case(&tc);
        }
    /* decode-shaped: Llama-3-8B's 32 + 8 heads x 128 for one token, and a short prefill */
    for (size_t nt = 1; nt <= 5; nt += 4) {
        dcase dc = {"rotary 128 half, 40 heads, decode", posenc_params_default(POSENC_ROTARY, 128),
                    nt, 40, 0, 0};
        printf("case %s, %zu tokens\n", dc.name, nt);
        run_case(&dc);
    }
    /* learned: W stays float32; the data is 16-bit */
    {
        float w[16 * 24];
        for (size_t j = 0; j < 16 * 24; j++)
            w[j] = j % 29 == 0 ? 65504.0f : sample_rng_input(&rng);
        posenc_weights *wt = NULL;
        CHECK_CODE(posenc_weights_from_array(16, 24, w, &wt), POSENC_OK);
        dcase lc = {"learned 16 x 24", posenc_params_default(POSENC_LEARNED, 24), 11, 2, 1, 0};
        lc.p.weights = wt;
        int64_t save = 0;
        (void)save;
        printf("case %s\n", lc.name);
        /* positions below the rows of W */
        size_t total = buffer_elements(&lc);
        int64_t pos[11];
        for (int k = 0; k < 11; k++)
            pos[k] = (k * 5) % 16;
        for (int ti = 0; ti < 2; ti++) {
            posenc_dtype t = ti ? POSENC_DTYPE_F16 : POSENC_DTYPE_BF16;
            uint16_t *in = harness_xmalloc(total * sizeof(uint16_t));
            for (size_t j = 0; j < total; j++)
                in[j] = input16(t, 1);
            for (size_t i = 0; i < posenc_impl_count(); i++) {
                const posenc_impl *impl = posenc_impl_at(i);
                if (impl->kind != POSENC_LEARNED || !posenc_impl_supported(impl))
                    continue;
                check_encode(impl, &lc, t, pos);
                free(check_apply(impl, &lc, t, pos, in, total));
            }
            free(in);
        }
        posenc_weights_free(wt);
    }
    printf("case alibi\n");
    run_alibi(37, 70, 12);
    run_alibi(3, 5000, 4); /* rows wider than the staging buffer */
    check_accuracy(POSENC_DTYPE_BF16);
    check_accuracy(POSENC_DTYPE_F16);
    posenc_params bad = posenc_params_default(POSENC_ROTARY, 64);
    bad.dtype = (posenc_dtype)3;
    posenc_plan *x = NULL;
    CHECK_CODE(posenc_plan_create(NULL, &bad, &x), POSENC_ERR_ARGUMENT);
    CHECK(x == NULL, "plan written on failure");
    oracle_cleanup();
    return tests_exit_code("test_dtypes");
}
