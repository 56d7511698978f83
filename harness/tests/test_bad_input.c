/* test_bad_input.c - every entry point against bad input: the documented error code, a message,
 * and output buffers left exactly as they were. Runs for every implementation this CPU supports. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
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
