/* test_bitwise.c - every vector implementation returns exactly the bits of the portable
 * implementation of its algorithm (posenc_impl.algorithm), over the accuracy grid: positions
 * 0..4095, 2^k-1, 2^k, 2^k+1, 2^31-1 and random ones; every test dim; bases 1e4, 5e5, 1e6; both
 * pairings and every angle mode (exact, fp32, bf16, fp16: fp16 plans on the positions below their
 * limit of 65520); partial rotary; linear scaling; strided, offset layouts; and apply
 * on inputs (and learned tables) full of infinities, NaNs (quiet and signalling, both signs,
 * with payloads), subnormals, signed zeros and FLT_MAX; the RoPE scaling variants (with an
 * attention factor) and M-RoPE's axes. ALiBi: encode's bias rows and posenc_alibi_apply in
 * each form on scores of such special values.
 *
 * It fails when a vector implementation this CPU runs was not compared (no portable twin, or
 * nothing compared), and reports a skip (exit 77) when only portable implementations run. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "float_bits.h"
#include "harness_util.h"
#include "posenc.h"
#include "sample_grid.h"

static const int32_t dims[] = {2, 6, 34, 64, 80, 96, 128, 256, 512, 768, 1024, 4096, 8192};
static const double bases[] = {1e4, 5e5, 1e6};

/* Positions to compare at: the whole grid for dims up to 1024, a sample above; the sample's
 * positions below 65520 for fp16 angle mode, whose plans refuse the rest (posenc.h). */
static pos_list grid_all, grid_sample, grid_fp16;

static const posenc_angle_mode modes[] = {POSENC_ANGLE_EXACT, POSENC_ANGLE_FP32,
                                          POSENC_ANGLE_BF16, POSENC_ANGLE_FP16};
static const char *const mode_names[] = {"exact", "fp32", "bf16", "fp16"};
#define N_MODES (sizeof modes / sizeof modes[0])

/* The sampled grid of a mode. */
static const pos_list *sample_of(posenc_angle_mode m)
{
    return m == POSENC_ANGLE_FP16 ? &grid_fp16 : &grid_sample;
}

/* Compare calls that compared something, for the implementation under test. */
static size_t compared_cases;

/* Special floats for apply's inputs: +-inf, NaNs of both signs (quiet, signalling, payloads),
   +-0, +-FLT_MAX, +-FLT_MIN, +-the smallest subnormal. */
static const uint32_t special_bits[] = {
    0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fd23456, 0xff812345, 0x7f800001,
    0xffbfffff, 0x00000000, 0x80000000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000,
    0x00000001, 0x80000001,
};

/* One apply input: a special one time in four, a subnormal (random significand and sign) one
   time in four, else a plain value in [-4, 4). */
static float special_input(sample_rng *rng)
{
    uint64_t r = sample_rng_next(rng);
    uint32_t u;
    float f;
    switch (r & 3) {
    case 0:
        u = special_bits[(r >> 2) % (sizeof special_bits / sizeof special_bits[0])];
        break;
    case 1:
        u = (uint32_t)(r >> 8) & UINT32_C(0x807fffff);
        break;
    default:
        return sample_rng_input(rng);
    }
    memcpy(&f, &u, sizeof f);
    return f;
}

/* The positions a plan reads for n tokens: with M-RoPE 3 per token, axis-major, the axes apart
 * (t = p, h = p / 3, w = p mod 4099) so that each frequency's axis shows; buf holds 3 n. */
static const int64_t *plan_positions(const posenc_params *p, const int64_t *pos, size_t n,
                                     int64_t *buf)
{
    if (p->mrope.layout == POSENC_MROPE_NONE)
        return pos;
    for (size_t t = 0; t < n; t++) {
        buf[t] = pos[t];
        buf[n + t] = pos[t] / 3;
        buf[2 * n + t] = pos[t] % 4099;
    }
    return buf;
}

static void compare_encode(const posenc_impl *impl, const posenc_impl *ref,
                           const posenc_params *p, const pos_list *positions, const char *what)
{
    posenc_plan *a = NULL, *b = NULL;
    CHECK_CODE(posenc_plan_create(impl, p, &a), POSENC_OK);
    CHECK_CODE(posenc_plan_create(ref, p, &b), POSENC_OK);
    if (!a || !b)
        goto done;
    size_t row = posenc_plan_row_size(a), chunk = (size_t)1 << 20 >> 2; /* floats per batch */
    size_t per = chunk / row ? chunk / row : 1;
    float *oa = harness_xaligned_alloc(64, per * row * sizeof(float) + 64);
    float *ob = harness_xaligned_alloc(64, per * row * sizeof(float) + 64);
    int64_t *buf = harness_xmalloc(3 * per * sizeof *buf);
    for (size_t k = 0; k < positions->n; k += per) {
        size_t n = positions->n - k < per ? positions->n - k : per;
        const int64_t *pp = plan_positions(p, positions->v + k, n, buf);
        /* an output 4 bytes past alignment: kernels must not assume aligned rows */
        CHECK_CODE(posenc_encode(a, pp, n, oa + 1), POSENC_OK);
        CHECK_CODE(posenc_encode(b, pp, n, ob + 1), POSENC_OK);
        long at = first_difference(oa + 1, ob + 1, n * row);
        if (at >= 0) {
            CHECK(0, "%s vs %s, %s, encode: position %" PRId64 " element %zu: %a vs %a",
                  impl->name, ref->name, what, positions->v[k + (size_t)at / row],
                  (size_t)at % row, oa[1 + at], ob[1 + at]);
            break;
        }
        check_passes++;
    }
    compared_cases++;
    free(oa);
    free(ob);
    free(buf);
done:
    posenc_plan_destroy(a);
    posenc_plan_destroy(b);
}

/* apply on a strided layout: heads with padding between them, tokens with padding, x offset by
 * one float; the padding must come back untouched. With `specials`, x is full of special
 * values (special_input), the padding included. */
static void compare_apply(const posenc_impl *impl, const posenc_impl *ref,
                          const posenc_params *p, const pos_list *positions, size_t n_heads,
                          int specials, const char *what)
{
    posenc_plan *a = NULL, *b = NULL;
    CHECK_CODE(posenc_plan_create(impl, p, &a), POSENC_OK);
    CHECK_CODE(posenc_plan_create(ref, p, &b), POSENC_OK);
    if (!a || !b)
        goto done;
    size_t dim = (size_t)p->dim;
    posenc_layout l = {.n_heads = n_heads, .head_stride = dim + 3,
                       .token_stride = n_heads * (dim + 3) + 5};
    size_t n = positions->n < 257 ? positions->n : 257, floats = n * l.token_stride + 1;
    float *xa = harness_xaligned_alloc(64, floats * sizeof(float));
    float *xb = harness_xaligned_alloc(64, floats * sizeof(float));
    sample_rng rng = {UINT64_C(0xb17e) ^ (uint64_t)dim};
    for (size_t i = 0; i < floats; i++)
        xa[i] = xb[i] = specials ? special_input(&rng) : sample_rng_input(&rng);
    float *x0 = harness_xmalloc(floats * sizeof(float));
    memcpy(x0, xa, floats * sizeof(float));
    int64_t *buf = harness_xmalloc(3 * n * sizeof *buf);
    const int64_t *pp = plan_positions(p, positions->v, n, buf);
    CHECK_CODE(posenc_apply(a, pp, n, xa + 1, &l), POSENC_OK);
    CHECK_CODE(posenc_apply(b, pp, n, xb + 1, &l), POSENC_OK);
    free(buf);
    long at = first_difference(xa, xb, floats);
    uint32_t ua = 0, ub = 0, u0 = 0;
    if (at >= 0) {
        memcpy(&ua, &xa[at], 4);
        memcpy(&ub, &xb[at], 4);
        memcpy(&u0, &x0[at], 4);
    }
    CHECK(at < 0, "%s vs %s, %s, apply%s with %zu heads: float %ld (input %08" PRIx32 ") "
          "differs: %08" PRIx32 " vs %08" PRIx32, impl->name, ref->name, what,
          specials ? " on special values" : "", n_heads, at, u0, ua, ub);
    compared_cases++;
    free(x0);
    free(xa);
    free(xb);
done:
    posenc_plan_destroy(a);
    posenc_plan_destroy(b);
}

static void check_computed(const posenc_impl *impl, const posenc_impl *ref, int quick)
{
    static const posenc_pairing pairings[] = {POSENC_PAIR_INTERLEAVED, POSENC_PAIR_HALF};
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
        for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++)
            for (size_t m = 0; m < N_MODES; m++)
                for (size_t pr = 0; pr < 2; pr++) {
                    /* quick (sanitizers, qemu): the half recipes share the fp32 mode's lane
                       loop, so they keep the shapes up to 256 wide */
                    if (quick && modes[m] >= POSENC_ANGLE_BF16 && dims[d] > 256)
                        continue;
                    posenc_params p = posenc_params_default(impl->kind, dims[d]);
                    p.base = bases[b];
                    p.angle_mode = modes[m];
                    p.pairing = pairings[pr];
                    char what[160];
                    snprintf(what, sizeof what, "dim %d base %g %s %s", (int)dims[d], bases[b],
                             mode_names[m], pr ? "half" : "interleaved");
                    /* the recipe modes' double-precision sin/cos costs more: sample it */
                    const pos_list *gs = sample_of(modes[m]);
                    const pos_list *g = dims[d] <= 1024 && !m && !quick ? &grid_all : gs;
                    /* special inputs: at one base, which does not change what they test */
                    int sp = b == 0;
                    compare_encode(impl, ref, &p, g, what);
                    compare_apply(impl, ref, &p, gs, dims[d] <= 256 ? 5 : 1, 0, what);
                    if (sp)
                        compare_apply(impl, ref, &p, gs, dims[d] <= 256 ? 3 : 1, 1, what);
                    if (impl->kind == POSENC_ROTARY && dims[d] >= 64) {
                        p.rotary_dim = dims[d] / 4 + (dims[d] / 4) % 2; /* partial: 25% */
                        compare_encode(impl, ref, &p, gs, what);
                        compare_apply(impl, ref, &p, gs, 3, 0, what);
                        if (sp)
                            compare_apply(impl, ref, &p, gs, 3, 1, what);
                        p.rotary_dim = dims[d];
                    }
                    if (b == 0 && dims[d] == 128) {
                        p.scaling.type = POSENC_SCALING_LINEAR;
                        p.scaling.factor = 4.0;
                        compare_encode(impl, ref, &p, gs, what);
                        compare_apply(impl, ref, &p, gs, 2, 0, what);
                    }
                }
}

/* The RoPE scaling variants and M-RoPE (rotary_dim 128, both pairings and angle modes): the
 * kernels multiply by the attention factor and read each frequency's axis, which every backend
 * must do to the same bits. test_variants checks the same against the oracle. */
static void check_variants(const posenc_impl *impl, const posenc_impl *ref)
{
    static double lr_short[64], lr_long[64];
    for (int i = 0; i < 64; i++) {
        lr_short[i] = 1.0 + i / 32.0;
        lr_long[i] = 1.0 + i * 1.03;
    }
    static const struct {
        const char *name;
        double base;
        posenc_scaling s;
        posenc_mrope m;
    } variants[] = {
        {"ntk", 1e4, {.type = POSENC_SCALING_NTK, .factor = 4.0}, {0}},
        {"dynamic", 1e4, {.type = POSENC_SCALING_DYNAMIC, .factor = 2.0,
                          .original_max_positions = 4096, .seq_len = 16384}, {0}},
        {"yarn", 1e6, {.type = POSENC_SCALING_YARN, .factor = 4.0,
                       .original_max_positions = 32768}, {0}},
        {"yarn no_truncate, af 0.8", 1.5e5, {.type = POSENC_SCALING_YARN, .factor = 32.0,
                                             .original_max_positions = 4096, .no_truncate = 1,
                                             .attention_factor = 0.8}, {0}},
        {"llama3", 5e5, {.type = POSENC_SCALING_LLAMA3, .factor = 8.0,
                         .original_max_positions = 8192, .low_freq_factor = 1.0,
                         .high_freq_factor = 4.0}, {0}},
        {"longrope long", 1e4, {.type = POSENC_SCALING_LONGROPE, .factor = 32.0,
                                .original_max_positions = 4096, .seq_len = 131072,
                                .short_factor = lr_short, .long_factor = lr_long}, {0}},
        {"mrope sections", 1e6, {0}, {POSENC_MROPE_SECTIONS, {16, 24, 24}}},
        {"mrope interleaved, yarn", 5e6, {.type = POSENC_SCALING_YARN, .factor = 4.0,
                                          .original_max_positions = 32768},
         {POSENC_MROPE_INTERLEAVED, {24, 20, 20}}},
    };
    static const posenc_pairing pairings[] = {POSENC_PAIR_INTERLEAVED, POSENC_PAIR_HALF};
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++)
        for (size_t m = 0; m < N_MODES; m++)
            for (int pr = 0; pr < 2; pr++) {
                posenc_params p = posenc_params_default(POSENC_ROTARY, 128);
                p.base = variants[v].base;
                p.scaling = variants[v].s;
                p.mrope = variants[v].m;
                p.angle_mode = modes[m];
                p.pairing = pairings[pr];
                char what[160];
                snprintf(what, sizeof what, "%s, %s %s", variants[v].name, mode_names[m],
                         pr ? "half" : "interleaved");
                const pos_list *gs = sample_of(modes[m]);
                compare_encode(impl, ref, &p, gs, what);
                compare_apply(impl, ref, &p, gs, 3, 0, what);
                if (v == 3) /* special inputs through the attention factor's multiply */
                    compare_apply(impl, ref, &p, gs, 3, 1, what);
            }
}

/* alibi: encode's bias rows, and posenc_alibi_apply in each form on scores full of special
 * values, with padded rows and heads and a shard of the heads; the padding must come back
 * untouched. */
static void compare_scores(const posenc_impl *impl, const posenc_impl *ref,
                           const posenc_params *p, const char *what)
{
    posenc_plan *a = NULL, *b = NULL;
    CHECK_CODE(posenc_plan_create(impl, p, &a), POSENC_OK);
    CHECK_CODE(posenc_plan_create(ref, p, &b), POSENC_OK);
    if (!a || !b)
        goto done;
    size_t H = (size_t)p->dim, n_q = 37, n_k = 70, first = H > 2 ? 1 : 0;
    posenc_score_layout l = {.first_head = first, .n_heads = H - first, .row_stride = n_k + 3,
                             .head_stride = n_q * (n_k + 3) + 5};
    size_t floats = (H - first) * l.head_stride + 1;
    int64_t q_pos[37], k_pos[70];
    for (size_t j = 0; j < n_k; j++)
        k_pos[j] = 1000 + (int64_t)j; /* keys 1000..1069, queries 1033..1069: a prefill */
    for (size_t q = 0; q < n_q; q++)
        q_pos[q] = 1000 + (int64_t)(n_k - n_q + q);
    float *xa = harness_xmalloc(floats * sizeof(float)), *xb = harness_xmalloc(floats * sizeof(float));
    sample_rng rng = {UINT64_C(0xa11b) ^ (uint64_t)H};
    for (size_t i = 0; i < floats; i++)
        xa[i] = xb[i] = special_input(&rng);
    CHECK_CODE(posenc_alibi_apply(a, q_pos, n_q, k_pos, n_k, xa + 1, &l), POSENC_OK);
    CHECK_CODE(posenc_alibi_apply(b, q_pos, n_q, k_pos, n_k, xb + 1, &l), POSENC_OK);
    long at = first_difference(xa, xb, floats);
    CHECK(at < 0, "%s vs %s, %s, scores: float %ld differs: %a vs %a", impl->name, ref->name,
          what, at, at < 0 ? 0.0 : xa[at], at < 0 ? 0.0 : xb[at]);
    compared_cases++;
    free(xa);
    free(xb);
done:
    posenc_plan_destroy(a);
    posenc_plan_destroy(b);
}

static void check_alibi(const posenc_impl *impl, const posenc_impl *ref)
{
    static const int32_t heads[] = {1, 8, 12, 32, 64};
    for (size_t d = 0; d < sizeof heads / sizeof heads[0]; d++)
        for (int m = 0; m < 2; m++)
            for (int f = 0; f < 3; f++) {
                posenc_params p = posenc_params_default(POSENC_ALIBI, heads[d]);
                p.angle_mode = m ? POSENC_ANGLE_FP32 : POSENC_ANGLE_EXACT;
                p.alibi.form = (posenc_alibi_form)f;
                p.alibi.bias_max = d % 2 ? 16.0 : 8.0;
                char what[96];
                snprintf(what, sizeof what, "%d heads %s form %d", (int)heads[d],
                         m ? "fp32" : "exact", f);
                if (f == 0)
                    compare_encode(impl, ref, &p, &grid_all, what);
                compare_scores(impl, ref, &p, what);
            }
}

static void check_learned(const posenc_impl *impl, const posenc_impl *ref)
{
    static const int32_t learned_dims[] = {1, 3, 7, 64, 768, 1600};
    sample_rng rng = {UINT64_C(0x1ea7)};
    for (size_t c = 0; c < 2 * sizeof learned_dims / sizeof learned_dims[0]; c++) {
        size_t d = c / 2;
        int specials = c % 2; /* then W and x full of special values */
        int64_t rows = 4096;
        size_t n = (size_t)rows * (size_t)learned_dims[d];
        float *table = harness_xmalloc(n * sizeof(float));
        for (size_t i = 0; i < n; i++)
            table[i] = specials ? special_input(&rng) : sample_rng_input(&rng);
        posenc_weights *w = NULL;
        CHECK_CODE(posenc_weights_from_array(rows, learned_dims[d], table, &w), POSENC_OK);
        posenc_params p = posenc_params_default(POSENC_LEARNED, learned_dims[d]);
        p.weights = w;
        pos_list below = {0};
        for (size_t k = 0; k < grid_all.n; k++)
            if (grid_all.v[k] < rows)
                pos_list_push(&below, grid_all.v[k]);
        char what[64];
        snprintf(what, sizeof what, "dim %d%s", (int)learned_dims[d],
                 specials ? ", W of special values" : "");
        compare_encode(impl, ref, &p, &below, what);
        compare_apply(impl, ref, &p, &below, 4, specials, what);
        pos_list_free(&below);
        posenc_weights_free(w);
        free(table);
    }
}

int main(int argc, char **argv)
{
    int quick = tests_parse_quick(argc, argv, "test_bitwise");
    harness_set_name("test_bitwise");
    sample_rng rng = {UINT64_C(0xb1b1)};
    sample_push_dense(&grid_all, 1);
    sample_push_specials(&grid_all, 0);
    for (int k = 0; k < 64; k++)
        pos_list_push(&grid_all, sample_rng_log_position(&rng));
    sample_push_dense(&grid_sample, quick ? 257 : 61);
    sample_push_specials(&grid_sample, 0);
    for (int k = 0; k < 16; k++)
        pos_list_push(&grid_sample, sample_rng_log_position(&rng));
    for (size_t k = 0; k < grid_sample.n; k++)
        if (grid_sample.v[k] < 65520)
            pos_list_push(&grid_fp16, grid_sample.v[k]);
    pos_list_push(&grid_fp16, 65519); /* the last position an fp16 plan accepts */

    int compared = 0, runnable = 0;
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        const posenc_impl *ref = reference_of(impl);
        if (impl->cpu_features == 0)
            continue; /* a portable implementation is the reference of its algorithm */
        if (!posenc_impl_supported(impl)) {
            printf("skip %s: this CPU lacks its instruction set\n", impl->name);
            continue;
        }
        runnable++;
        if (!ref) {
            /* SLEEF's sin/cos depend on the vector width in fp32 mode: no portable twin by
               design (its algorithm names the ISA). Any other backend must have one. */
            int by_design = (impl->flags & POSENC_IMPL_APPROX_SINCOS) != 0;
            if (by_design)
                printf("skip %s: no portable implementation of algorithm '%s' to compare with; "
                       "test_accuracy checks it against the oracle\n", impl->name,
                       impl->algorithm ? impl->algorithm : "(none)");
            CHECK(by_design, "%s: no portable implementation has its algorithm '%s': it "
                  "cannot be compared bit for bit", impl->name,
                  impl->algorithm ? impl->algorithm : "(none)");
            continue;
        }
        printf("compare %s with %s\n", impl->name, ref->name);
        compared_cases = 0;
        if (impl->kind == POSENC_LEARNED)
            check_learned(impl, ref);
        else if (impl->kind == POSENC_ALIBI)
            check_alibi(impl, ref);
        else
            check_computed(impl, ref, quick);
        if (impl->kind == POSENC_ROTARY)
            check_variants(impl, ref);
        CHECK(compared_cases > 0, "%s: no case was compared with %s", impl->name, ref->name);
        compared++;
    }
    printf("%d implementations compared bit for bit\n", compared);
    pos_list_free(&grid_all);
    pos_list_free(&grid_sample);
    pos_list_free(&grid_fp16);
    if (runnable == 0)
        return tests_skip("test_bitwise", "only portable implementations run on this CPU "
                                          "(or POSENC_DISABLE_CPU_FEATURES hides the others)");
    CHECK(compared > 0, "%d vector implementations run here, none was compared", runnable);
    return tests_exit_code("test_bitwise");
}
