/* test_bad_input.c - every entry point against bad input: the documented error code, a message,
 * and output buffers left exactly as they were. Runs for every implementation this CPU supports. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "design_skip.h"
#include "posenc.h"

#define SENTINEL ((posenc_plan *)(uintptr_t)0x5ea1)
#define BUF 4096

static float buffer[BUF], pristine[BUF];

static void fill_buffer(void)
{
    for (int i = 0; i < BUF; i++)
        buffer[i] = pristine[i] = (float)(i % 97) * 0.25f - 3.0f;
}

static int buffer_unchanged(void) { return !memcmp(buffer, pristine, sizeof buffer); }

/* plan_create rejects `p` with `code`, says why, and leaves *out alone */
static void expect_create_fails(const posenc_impl *impl, const posenc_params *p, int code,
                                const char *what)
{
    posenc_plan *plan = SENTINEL;
    int rc = posenc_plan_create(impl, p, &plan);
    CHECK(rc == code, "%s: got %d (%s), expected %d", what, rc, posenc_strerror(rc), code);
    CHECK(plan == SENTINEL, "%s: *out was written on failure", what);
    CHECK(posenc_last_error()[0] != '\0', "%s: no message", what);
    if (rc == POSENC_OK && plan != SENTINEL)
        posenc_plan_destroy(plan);
}

static void check_params(const posenc_impl *impl, const posenc_weights *w)
{
    posenc_kind kind = impl->kind;
    posenc_params good = posenc_params_default(kind, 64), p;
    good.weights = w;
    posenc_plan *plan = SENTINEL;
    CHECK_CODE(posenc_plan_create(impl, NULL, &plan), POSENC_ERR_NULL);
    CHECK_CODE(posenc_plan_create(impl, &good, NULL), POSENC_ERR_NULL);
    CHECK(plan == SENTINEL, "out written");

    p = good; p.kind = (posenc_kind)0;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "kind 0");
    p = good; p.kind = (posenc_kind)99;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "kind 99");
    p = good; p.dim = 0;
    expect_create_fails(impl, &p, POSENC_ERR_DIM, "dim 0");
    p = good; p.dim = -2;
    expect_create_fails(impl, &p, POSENC_ERR_DIM, "dim -2");
    p = good; p.dim = 65538;
    expect_create_fails(impl, &p, kind == POSENC_LEARNED ? POSENC_ERR_DIM : POSENC_ERR_DIM,
                        "dim 65538");
    /* an implementation of another kind */
    for (size_t i = 0; i < posenc_impl_count(); i++)
        if (posenc_impl_at(i)->kind != kind) {
            expect_create_fails(posenc_impl_at(i), &good, POSENC_ERR_KIND, "wrong kind");
            break;
        }
    if (kind == POSENC_LEARNED) {
        p = good; p.weights = NULL;
        expect_create_fails(impl, &p, POSENC_ERR_NULL, "learned without weights");
        p = good; p.dim = 32;
        expect_create_fails(impl, &p, POSENC_ERR_SHAPE, "weights dim differs");
        return;
    }
    if (kind == POSENC_SINUSOIDAL) {
        p = good; p.dim = 63;
        expect_create_fails(impl, &p, POSENC_ERR_DIM, "odd sinusoidal dim");
    } else {
        p = good; p.rotary_dim = 66;
        expect_create_fails(impl, &p, POSENC_ERR_DIM, "rotary_dim > dim");
        p = good; p.rotary_dim = 31;
        expect_create_fails(impl, &p, POSENC_ERR_DIM, "odd rotary_dim");
        p = good; p.rotary_dim = -4;
        expect_create_fails(impl, &p, POSENC_ERR_DIM, "negative rotary_dim");
        p = good; p.dim = 63; p.rotary_dim = 62;
        posenc_plan *odd_head = NULL; /* an odd head_dim is fine when rotary_dim is even */
        CHECK_CODE(posenc_plan_create(impl, &p, &odd_head), POSENC_OK);
        posenc_plan_destroy(odd_head);
    }
    static const double bad_bases[] = {-1.0, 0.5, 1.0, 1e301};
    for (size_t i = 0; i < 4; i++) {
        p = good; p.base = bad_bases[i];
        expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "bad base");
    }
    p = good; p.base = NAN;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "NaN base");
    p = good; p.base = INFINITY;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "infinite base");
    p = good; p.pairing = (posenc_pairing)7;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "pairing 7");
    p = good; p.angle_mode = (posenc_angle_mode)5;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "angle mode 5");
    p = good; p.angle_mode = (posenc_angle_mode)4;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "angle mode 4 (one past fp16)");
    p = good; p.angle_mode = (posenc_angle_mode)-1;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "angle mode -1");
    p = good; p.scaling.type = (posenc_scaling_type)9;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "scaling type 9");
    p = good; p.scaling.type = POSENC_SCALING_LINEAR; p.scaling.factor = 0.5;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "factor 0.5");
    p = good; p.scaling.type = POSENC_SCALING_LINEAR; p.scaling.factor = NAN;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "factor NaN");
    /* the first value past each end of the ranges posenc.h states (test_edges makes plans at
       the ends themselves) */
    p = good; p.base = nextafter(1e300, INFINITY);
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "base just above 1e300");
    p = good; p.base = nextafter(1.0, 0.0);
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "base just below 1");
    p = good; p.scaling.type = POSENC_SCALING_LINEAR; p.scaling.factor = nextafter(1.0, 0.0);
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "factor just below 1");
    p = good; p.scaling.type = POSENC_SCALING_LINEAR; p.scaling.factor = nextafter(1e9, 2e9);
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "factor just above 1e9");
    p = good; p.scaling.type = POSENC_SCALING_LINEAR; p.scaling.factor = INFINITY;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "factor inf");
    p = good; p.max_positions = -1;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "max_positions -1");
    p = good; p.max_positions = (INT64_C(1) << 31) + 1;
    expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "max_positions 2^31 + 1");
}

/* A valid description of each RoPE scaling type (rotary_dim 64: 32 factors for longrope). */
static double lr_factors[32] = {0};

static posenc_scaling good_scaling(posenc_scaling_type type)
{
    for (int i = 0; i < 32; i++)
        lr_factors[i] = 1.0 + i / 8.0;
    posenc_scaling s = {.type = type, .factor = 4.0, .original_max_positions = 4096};
    switch (type) {
    case POSENC_SCALING_DYNAMIC:
    case POSENC_SCALING_LONGROPE:
        s.seq_len = 8192;
        s.short_factor = s.long_factor = lr_factors;
        break;
    case POSENC_SCALING_YARN:
        s.beta_fast = 32.0;
        s.beta_slow = 1.0;
        break;
    case POSENC_SCALING_LLAMA3:
        s.low_freq_factor = 1.0;
        s.high_freq_factor = 4.0;
        break;
    default:
        break;
    }
    return s;
}

/* The scaling variants and M-RoPE (posenc.h, posenc_scaling and posenc_mrope; validate.c): each
 * parameter just outside its domain fails with its code and leaves *out alone. */
static void check_variant_params(const posenc_impl *impl)
{
    posenc_params good = posenc_params_default(impl->kind, 64), p;
    static const posenc_scaling_type rope_types[] = {
        POSENC_SCALING_NTK, POSENC_SCALING_DYNAMIC, POSENC_SCALING_YARN, POSENC_SCALING_LLAMA3,
        POSENC_SCALING_LONGROPE};
    char what[160];
    if (impl->kind == POSENC_SINUSOIDAL) {
        /* RoPE scaling types and M-RoPE are refused for sinusoidal encodings */
        for (size_t t = 0; t < sizeof rope_types / sizeof *rope_types; t++) {
            p = good;
            p.scaling = good_scaling(rope_types[t]);
            snprintf(what, sizeof what, "sinusoidal with RoPE scaling type %d", (int)rope_types[t]);
            expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
        }
        p = good;
        p.mrope = (posenc_mrope){POSENC_MROPE_SECTIONS, {16, 8, 8}};
        expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, "sinusoidal with M-RoPE");
        return;
    }
    if (impl->kind != POSENC_ROTARY)
        return;
    /* the valid descriptions make plans: each failure below is the one field's */
    static const posenc_scaling_type all_types[] = {
        POSENC_SCALING_LINEAR, POSENC_SCALING_NTK, POSENC_SCALING_DYNAMIC, POSENC_SCALING_YARN,
        POSENC_SCALING_LLAMA3, POSENC_SCALING_LONGROPE};
    for (size_t t = 0; t < sizeof all_types / sizeof *all_types; t++) {
        p = good;
        p.scaling = good_scaling(all_types[t]);
        posenc_plan *ok = NULL;
        int rc = posenc_plan_create(impl, &p, &ok);
        CHECK(rc == POSENC_OK, "%s: valid scaling type %d: %s (%s)", impl->name,
              (int)all_types[t], posenc_strerror(rc), posenc_last_error());
        posenc_plan_destroy(ok);
    }
    /* factor: [1, 1e9] for every type that has one (longrope: 0 also, meaning 1) */
    static const double bad_factors[] = {0.5, 0.0, -4.0, 1e9 * (1.0 + 0x1p-52), NAN, INFINITY};
    for (size_t t = 0; t < sizeof all_types / sizeof *all_types; t++)
        for (size_t k = 0; k < sizeof bad_factors / sizeof *bad_factors; k++) {
            if (all_types[t] == POSENC_SCALING_LONGROPE && bad_factors[k] == 0.0)
                continue;
            p = good;
            p.scaling = good_scaling(all_types[t]);
            p.scaling.factor = bad_factors[k];
            snprintf(what, sizeof what, "scaling type %d factor %g", (int)all_types[t],
                     bad_factors[k]);
            expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
        }
    p = good;
    p.scaling = good_scaling(POSENC_SCALING_LONGROPE);
    p.scaling.factor = 0.0;
    posenc_plan *lr = NULL;
    CHECK_CODE(posenc_plan_create(impl, &p, &lr), POSENC_OK); /* 0 means 1 */
    posenc_plan_destroy(lr);
    /* original_max_positions: 1 .. 2^31 (dynamic, yarn, llama3, longrope) */
    static const int64_t bad_l0[] = {0, -1, (INT64_C(1) << 31) + 1, INT64_MIN};
    for (size_t t = 2; t < sizeof all_types / sizeof *all_types; t++)
        for (size_t k = 0; k < sizeof bad_l0 / sizeof *bad_l0; k++) {
            p = good;
            p.scaling = good_scaling(all_types[t]);
            p.scaling.original_max_positions = bad_l0[k];
            snprintf(what, sizeof what, "scaling type %d original_max_positions %lld",
                     (int)all_types[t], (long long)bad_l0[k]);
            expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
        }
    /* seq_len: 0 .. 2^31 (dynamic, longrope) */
    static const posenc_scaling_type seq_types[] = {POSENC_SCALING_DYNAMIC,
                                                    POSENC_SCALING_LONGROPE};
    static const int64_t bad_seq[] = {-1, (INT64_C(1) << 31) + 1, INT64_MIN};
    for (size_t t = 0; t < 2; t++)
        for (size_t k = 0; k < sizeof bad_seq / sizeof *bad_seq; k++) {
            p = good;
            p.scaling = good_scaling(seq_types[t]);
            p.scaling.seq_len = bad_seq[k];
            snprintf(what, sizeof what, "scaling type %d seq_len %lld", (int)seq_types[t],
                     (long long)bad_seq[k]);
            expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
        }
    /* attention_factor: 0 (derived) or (0, 1e3] (yarn, longrope) */
    static const posenc_scaling_type af_types[] = {POSENC_SCALING_YARN, POSENC_SCALING_LONGROPE};
    static const double bad_af[] = {-1.0, -0.0 - 1e-300, 1e3 * (1.0 + 0x1p-52), NAN, INFINITY};
    for (size_t t = 0; t < 2; t++)
        for (size_t k = 0; k < sizeof bad_af / sizeof *bad_af; k++) {
            p = good;
            p.scaling = good_scaling(af_types[t]);
            p.scaling.attention_factor = bad_af[k];
            snprintf(what, sizeof what, "scaling type %d attention_factor %g", (int)af_types[t],
                     bad_af[k]);
            expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
        }
    /* yarn: 0 < beta_slow <= beta_fast <= 1e6 (0 means the default: 32, 1) */
    static const double bad_betas[][2] = {
        {1.0, 2.0}, {-32.0, 1.0}, {32.0, -1.0}, {1e6 * (1.0 + 0x1p-52), 1.0}, {NAN, 1.0},
        {32.0, NAN}, {INFINITY, 1.0}, {0.5, 0.0} /* beta_slow defaults to 1 > 0.5 */};
    for (size_t k = 0; k < sizeof bad_betas / sizeof *bad_betas; k++) {
        p = good;
        p.scaling = good_scaling(POSENC_SCALING_YARN);
        p.scaling.beta_fast = bad_betas[k][0];
        p.scaling.beta_slow = bad_betas[k][1];
        snprintf(what, sizeof what, "yarn beta_fast %g beta_slow %g", bad_betas[k][0],
                 bad_betas[k][1]);
        expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
    }
    /* yarn: mscale and mscale_all_dim in [0, 1e3] */
    static const double bad_mscale[] = {-0.5, 1e3 * (1.0 + 0x1p-52), NAN, INFINITY};
    for (int which = 0; which < 2; which++)
        for (size_t k = 0; k < sizeof bad_mscale / sizeof *bad_mscale; k++) {
            p = good;
            p.scaling = good_scaling(POSENC_SCALING_YARN);
            p.scaling.mscale = p.scaling.mscale_all_dim = 0.707;
            if (which)
                p.scaling.mscale_all_dim = bad_mscale[k];
            else
                p.scaling.mscale = bad_mscale[k];
            snprintf(what, sizeof what, "yarn %s %g", which ? "mscale_all_dim" : "mscale",
                     bad_mscale[k]);
            expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
        }
    /* llama3: 0 < low_freq_factor < high_freq_factor */
    static const double bad_llama[][2] = {{0.0, 4.0},  {-1.0, 4.0}, {4.0, 4.0}, {4.0, 1.0},
                                          {NAN, 4.0},  {1.0, NAN},  {1.0, INFINITY}};
    for (size_t k = 0; k < sizeof bad_llama / sizeof *bad_llama; k++) {
        p = good;
        p.scaling = good_scaling(POSENC_SCALING_LLAMA3);
        p.scaling.low_freq_factor = bad_llama[k][0];
        p.scaling.high_freq_factor = bad_llama[k][1];
        snprintf(what, sizeof what, "llama3 low_freq_factor %g high_freq_factor %g",
                 bad_llama[k][0], bad_llama[k][1]);
        expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
    }
    /* longrope: both factor arrays present (NULL), every factor finite in [1e-6, 1e9] */
    for (int which = 0; which < 2; which++) {
        p = good;
        p.scaling = good_scaling(POSENC_SCALING_LONGROPE);
        if (which)
            p.scaling.long_factor = NULL;
        else
            p.scaling.short_factor = NULL;
        expect_create_fails(impl, &p, POSENC_ERR_NULL,
                            which ? "longrope long_factor NULL" : "longrope short_factor NULL");
    }
    static const double bad_lr[] = {NAN, INFINITY, 0.0, -1.0, 1e-6 * (1.0 - 0x1p-53),
                                    1e9 * (1.0 + 0x1p-52)};
    static double bad_array[32];
    for (int which = 0; which < 2; which++)
        for (size_t k = 0; k < sizeof bad_lr / sizeof *bad_lr; k++) {
            p = good;
            p.scaling = good_scaling(POSENC_SCALING_LONGROPE);
            memcpy(bad_array, lr_factors, sizeof bad_array);
            bad_array[31 - 7 * (int)k % 32] = bad_lr[k];
            if (which)
                p.scaling.long_factor = bad_array;
            else
                p.scaling.short_factor = bad_array;
            snprintf(what, sizeof what, "longrope %s with %g", which ? "long_factor" :
                     "short_factor", bad_lr[k]);
            expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
        }
    /* M-RoPE: a known layout, sections >= 0 summing to rotary_dim / 2 (32 here) */
    static const posenc_mrope bad_mrope[] = {
        {(posenc_mrope_layout)3, {16, 8, 8}},
        {(posenc_mrope_layout)-1, {16, 8, 8}},
        {POSENC_MROPE_SECTIONS, {16, 8, 7}},
        {POSENC_MROPE_SECTIONS, {16, 8, 9}},
        {POSENC_MROPE_SECTIONS, {40, -8, 0}},
        {POSENC_MROPE_INTERLEAVED, {24, 20, 20}}, /* Qwen3-VL's sections: head_dim 128 */
        {POSENC_MROPE_INTERLEAVED, {INT32_MAX, INT32_MAX, 66}}, /* no wrap to 32 */
    };
    for (size_t k = 0; k < sizeof bad_mrope / sizeof *bad_mrope; k++) {
        p = good;
        p.mrope = bad_mrope[k];
        snprintf(what, sizeof what, "M-RoPE layout %d sections [%d, %d, %d]",
                 (int)bad_mrope[k].layout, (int)bad_mrope[k].section[0],
                 (int)bad_mrope[k].section[1], (int)bad_mrope[k].section[2]);
        expect_create_fails(impl, &p, POSENC_ERR_ARGUMENT, what);
    }
    p = good;
    p.mrope = (posenc_mrope){POSENC_MROPE_INTERLEAVED, {12, 10, 10}};
    posenc_plan *mr = NULL;
    CHECK_CODE(posenc_plan_create(impl, &p, &mr), POSENC_OK);
    if (mr) {
        /* 3 positions per token: a bad one on any axis fails and writes nothing */
        int64_t pos[6] = {0, 1, 2, 3, 4, -1};
        fill_buffer();
        CHECK_CODE(posenc_encode(mr, pos, 2, buffer), POSENC_ERR_POSITION);
        CHECK_CODE(posenc_apply(mr, pos, 2, buffer, NULL), POSENC_ERR_POSITION);
        pos[5] = 5;
        pos[4] = posenc_plan_max_pos(mr);
        CHECK_CODE(posenc_encode(mr, pos, 2, buffer), POSENC_ERR_POSITION);
        CHECK(buffer_unchanged(), "%s: M-RoPE: written before failing on a position",
              impl->name);
    }
    posenc_plan_destroy(mr);
}

static void check_kernels(const posenc_impl *impl, const posenc_weights *w)
{
    posenc_params p = posenc_params_default(impl->kind, 64);
    p.weights = w;
    posenc_plan *plan = NULL;
    CHECK_CODE(posenc_plan_create(impl, &p, &plan), POSENC_OK);
    if (!plan)
        return;
    int64_t limit = posenc_plan_max_pos(plan);
    size_t row = posenc_plan_row_size(plan);
    int64_t good_pos[4] = {0, 1, 2, 3};

    /* a bad position anywhere: nothing written, even for the good rows before it */
    const int64_t bad_values[] = {-1, INT64_MIN, limit, INT64_MAX};
    for (size_t v = 0; v < 4; v++) {
        int64_t pos[4] = {0, 1, 2, bad_values[v]};
        fill_buffer();
        CHECK_CODE(posenc_encode(plan, pos, 4, buffer), POSENC_ERR_POSITION);
        CHECK(buffer_unchanged(), "%s: encode wrote before failing on position %lld", impl->name,
              (long long)bad_values[v]);
        fill_buffer();
        CHECK_CODE(posenc_apply(plan, pos, 4, buffer, NULL), POSENC_ERR_POSITION);
        CHECK(buffer_unchanged(), "%s: apply wrote before failing", impl->name);
        CHECK(posenc_last_error()[0], "%s: no message for a bad position", impl->name);
    }
    /* NULL pointers */
    fill_buffer();
    CHECK_CODE(posenc_encode(NULL, good_pos, 1, buffer), POSENC_ERR_NULL);
    CHECK_CODE(posenc_encode(plan, NULL, 1, buffer), POSENC_ERR_NULL);
    CHECK_CODE(posenc_encode(plan, good_pos, 1, NULL), POSENC_ERR_NULL);
    CHECK_CODE(posenc_apply(NULL, good_pos, 1, buffer, NULL), POSENC_ERR_NULL);
    CHECK_CODE(posenc_apply(plan, NULL, 1, buffer, NULL), POSENC_ERR_NULL);
    CHECK_CODE(posenc_apply(plan, good_pos, 1, NULL, NULL), POSENC_ERR_NULL);
    CHECK(buffer_unchanged(), "%s: written on NULL argument", impl->name);
    /* n = 0 is a no-op, whatever the pointers */
    CHECK_CODE(posenc_encode(plan, NULL, 0, NULL), POSENC_OK);
    CHECK_CODE(posenc_apply(plan, NULL, 0, NULL, NULL), POSENC_OK);
    /* counts whose byte size overflows (checked before any position is read) */
    CHECK_CODE(posenc_encode(plan, good_pos, SIZE_MAX / 2, buffer), POSENC_ERR_OVERFLOW);
    CHECK_CODE(posenc_encode(plan, good_pos, SIZE_MAX / sizeof(float) / row + 1, buffer),
               POSENC_ERR_OVERFLOW);
    posenc_layout huge = {.n_heads = 1, .head_stride = 64, .token_stride = SIZE_MAX / 8};
    CHECK_CODE(posenc_apply(plan, good_pos, 4, buffer, &huge), POSENC_ERR_OVERFLOW);
    posenc_layout many_heads = {.n_heads = SIZE_MAX / 64, .head_stride = 64};
    CHECK_CODE(posenc_apply(plan, good_pos, 1, buffer, &many_heads), POSENC_ERR_OVERFLOW);
    /* layouts whose heads or tokens overlap */
    posenc_layout overlap_heads = {.n_heads = 2, .head_stride = 32};
    CHECK_CODE(posenc_apply(plan, good_pos, 1, buffer, &overlap_heads), POSENC_ERR_LAYOUT);
    posenc_layout overlap_tokens = {.n_heads = 2, .head_stride = 64, .token_stride = 100};
    CHECK_CODE(posenc_apply(plan, good_pos, 2, buffer, &overlap_tokens), POSENC_ERR_LAYOUT);
    CHECK(buffer_unchanged(), "%s: written on a bad layout", impl->name);
    /* and the good call succeeds, clearing the message */
    CHECK_CODE(posenc_encode(plan, good_pos, 4, buffer), POSENC_OK);
    CHECK(posenc_last_error()[0] == '\0', "message not cleared by a successful call");
    posenc_plan_destroy(plan);
}

int main(void)
{
    static float table[8 * 64];
    for (int i = 0; i < 8 * 64; i++)
        table[i] = (float)i;
    posenc_weights *w = NULL;
    CHECK_CODE(posenc_weights_from_array(8, 64, table, &w), POSENC_OK);
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        if (tests_skip_design(impl))
            continue;
        if (!posenc_impl_supported(impl)) {
            printf("skip %s: this CPU lacks its instruction set\n", impl->name);
            continue;
        }
        if (impl->kind == POSENC_ALIBI) {
            printf("skip %s: test_alibi checks its parameters and posenc_alibi_apply's bad "
                   "input\n", impl->name);
            continue;
        }
        check_params(impl, w);
        check_variant_params(impl);
        check_kernels(impl, w);
    }
    /* learned positions stop at the rows of W */
    posenc_params lp = posenc_params_default(POSENC_LEARNED, 64);
    lp.weights = w;
    posenc_plan *lplan = NULL;
    CHECK_CODE(posenc_plan_create(NULL, &lp, &lplan), POSENC_OK);
    CHECK(posenc_plan_max_pos(lplan) == 8, "learned max_pos %lld",
          (long long)posenc_plan_max_pos(lplan));
    int64_t row8 = 8;
    fill_buffer();
    CHECK_CODE(posenc_encode(lplan, &row8, 1, buffer), POSENC_ERR_POSITION);
    CHECK(buffer_unchanged(), "learned: written past the table");
    posenc_plan_destroy(lplan);
    /* M-RoPE belongs to rotary plans: learned and alibi refuse it rather than ignore it */
    lp.mrope = (posenc_mrope){POSENC_MROPE_SECTIONS, {16, 8, 8}};
    lplan = NULL;
    CHECK_CODE(posenc_plan_create(NULL, &lp, &lplan), POSENC_ERR_ARGUMENT);
    CHECK(lplan == NULL, "learned with M-RoPE: plan written on failure");
    posenc_params ap = posenc_params_default(POSENC_ALIBI, 8);
    ap.mrope = lp.mrope;
    CHECK_CODE(posenc_plan_create(NULL, &ap, &lplan), POSENC_ERR_ARGUMENT);
    CHECK(lplan == NULL, "alibi with M-RoPE: plan written on failure");
    /* the half-precision angle recipes need an angle: alibi refuses them */
    ap = posenc_params_default(POSENC_ALIBI, 8);
    for (int m = POSENC_ANGLE_BF16; m <= POSENC_ANGLE_FP16; m++) {
        ap.angle_mode = (posenc_angle_mode)m;
        CHECK_CODE(posenc_plan_create(NULL, &ap, &lplan), POSENC_ERR_ARGUMENT);
        CHECK(lplan == NULL, "alibi in angle mode %d: plan written on failure", m);
    }
    /* fp16 angle mode: positions from 65520 on have an infinite float16 angle, POSITION; an
       inverse frequency beyond float16 (a longrope factor of 1e-6) has none: ARGUMENT */
    {
        posenc_params hp = posenc_params_default(POSENC_ROTARY, 64);
        hp.angle_mode = POSENC_ANGLE_FP16;
        posenc_plan *hplan = NULL;
        CHECK_CODE(posenc_plan_create(NULL, &hp, &hplan), POSENC_OK);
        CHECK(posenc_plan_max_pos(hplan) == 65520, "fp16 plan limit %lld, not 65520",
              (long long)posenc_plan_max_pos(hplan));
        int64_t hpos[2] = {65519, 65520};
        fill_buffer();
        CHECK_CODE(posenc_encode(hplan, hpos, 2, buffer), POSENC_ERR_POSITION);
        CHECK(buffer_unchanged(), "fp16 encode at 65520: written");
        CHECK_CODE(posenc_apply(hplan, hpos + 1, 1, buffer, NULL), POSENC_ERR_POSITION);
        CHECK(buffer_unchanged(), "fp16 apply at 65520: written");
        CHECK_CODE(posenc_encode(hplan, hpos, 1, buffer), POSENC_OK);
        posenc_plan_destroy(hplan);
        double f[32];
        for (int i = 0; i < 32; i++)
            f[i] = i ? 1.0 : 1e-6;
        hp.scaling = (posenc_scaling){.type = POSENC_SCALING_LONGROPE, .factor = 1.0,
                                      .original_max_positions = 4096, .short_factor = f,
                                      .long_factor = f};
        hplan = NULL;
        CHECK_CODE(posenc_plan_create(NULL, &hp, &hplan), POSENC_ERR_ARGUMENT);
        CHECK(hplan == NULL, "fp16 plan with an inf inverse frequency: plan written");
        hp.angle_mode = POSENC_ANGLE_BF16; /* bf16 has float's range: fine */
        CHECK_CODE(posenc_plan_create(NULL, &hp, &hplan), POSENC_OK);
        posenc_plan_destroy(hplan);
    }
    posenc_weights_free(w);

    /* every code has its own name */
    for (int a = POSENC_ERR_LAYOUT; a <= 0; a++) {
        CHECK(strcmp(posenc_strerror(a), "unknown error code"), "code %d has no name", a);
        for (int b = a + 1; b <= 0; b++)
            CHECK(strcmp(posenc_strerror(a), posenc_strerror(b)), "codes %d and %d share a name",
                  a, b);
    }
    CHECK(!strcmp(posenc_strerror(-999), "unknown error code"), "unknown code");
    posenc_plan_destroy(NULL);
    posenc_weights_free(NULL);
    return tests_exit_code("test_bad_input");
}
