/* test_table.c - the table backend ("sinusoidal/table", "rotary/table"): every entry of its
 * tables is the MPFR value correctly rounded to float (every position below a few thousand, for
 * several dims, bases, pairings and a linear scaling; the last rows; single entries at positions
 * up to 2^31 - 1), apply is the documented float formula on those values bit for bit, with
 * each kernel instance this CPU runs (table_instances.h: AVX-512, AVX2 and portable on an
 * AVX-512 machine), each plan asked which it uses, positions at or past max_positions fail without
 * writing, and posenc_plan_table_bytes counts the table. Also: every implementation honours
 * posenc_params.max_positions, and a table with an attention factor (yarn, longrope) holds the
 * correctly rounded a cos and a sin of the variant's own frequencies (oracle.h).
 *
 * The MPFR reference walks each frequency by rotation at 256 bits from exact restarts every 256
 * positions (values within 2^-215 of the truth), rounds with mpfr_get_flt, and recomputes at 600
 * bits any value within 2^-200 of a rounding boundary, so no double rounding enters it.
 * --quick (or POSENC_TEST_QUICK=1) checks fewer positions. */
#define _GNU_SOURCE /* setenv, unsetenv */
#include <inttypes.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "oracle.h"
#include "float_bits.h"
#include "harness_util.h"
#include "posenc.h"
#include "sample_grid.h"
#include "test_shape.h"

#include "core/frequencies.h"
#include "table/table_entry.h"
#include "table_instances.h"

static int quick;
static sample_rng rng = {UINT64_C(0x7ab1e)};

/* ---- the MPFR reference ------------------------------------------------------------------- */

#define REF_PREC 256
#define REF_RESTART 256
#define DIRECT_PREC 600

/* w = base^(-2i/n) / scale at `prec` bits */
static void ref_freq(mpfr_t w, double base, int32_t n, int32_t i, double scale, mpfr_prec_t prec)
{
    mpfr_t e;
    mpfr_init2(e, prec + 64);
    mpfr_set_si(e, -2 * (long)i, MPFR_RNDN);
    mpfr_div_si(e, e, (long)n, MPFR_RNDN);
    mpfr_set_d(w, base, MPFR_RNDN);
    mpfr_pow(w, w, e, MPFR_RNDN);
    mpfr_div_d(w, w, scale, MPFR_RNDN);
    mpfr_clear(e);
}

/* sin and cos of p * w correctly rounded to float, at DIRECT_PREC bits */
static void ref_direct(double base, int32_t n, int32_t i, double scale, int64_t p, float *s,
                       float *c)
{
    mpfr_t w, ms, mc;
    mpfr_inits2(DIRECT_PREC, w, ms, mc, (mpfr_ptr)0);
    ref_freq(w, base, n, i, scale, DIRECT_PREC);
    mpfr_mul_si(w, w, (long)p, MPFR_RNDN); /* 600 bits hold the angle to 2^-560 */
    mpfr_sin_cos(ms, mc, w, MPFR_RNDN);
    *s = mpfr_get_flt(ms, MPFR_RNDN);
    *c = mpfr_get_flt(mc, MPFR_RNDN);
    mpfr_clears(w, ms, mc, (mpfr_ptr)0);
}

/* v rounded to float when every value within 2^-200 of v rounds alike, else 0 */
static int ref_round(const mpfr_t v, mpfr_t tmp, float *out)
{
    mpfr_sub_d(tmp, v, 0x1p-200, MPFR_RNDN);
    float lo = mpfr_get_flt(tmp, MPFR_RNDN);
    mpfr_add_d(tmp, v, 0x1p-200, MPFR_RNDN);
    float hi = mpfr_get_flt(tmp, MPFR_RNDN);
    if (bits_of(lo) != bits_of(hi))
        return 0;
    *out = mpfr_get_flt(v, MPFR_RNDN);
    return 1;
}

/* A reference table: s[p * nf + i], c[p * nf + i] for p < rows, i < nf. */
typedef struct ref_table {
    double base, scale;
    int32_t n;
    size_t nf;
    int64_t rows;
    float *s, *c;
} ref_table;

static void ref_build(ref_table *t, double base, int32_t n, double scale, int64_t rows)
{
    *t = (ref_table){base, scale, n, (size_t)n / 2, rows, NULL, NULL};
    t->s = harness_xmalloc((size_t)rows * t->nf * sizeof *t->s);
    t->c = harness_xmalloc((size_t)rows * t->nf * sizeof *t->c);
    mpfr_t w, ws, wc, ms, mc, a, t1, t2;
    mpfr_inits2(REF_PREC, w, ws, wc, ms, mc, t1, t2, (mpfr_ptr)0);
    mpfr_init2(a, REF_PREC + 64); /* p * w exactly */
    for (size_t i = 0; i < t->nf; i++) {
        ref_freq(w, base, n, (int32_t)i, scale, REF_PREC);
        mpfr_sin_cos(ws, wc, w, MPFR_RNDN);
        for (int64_t p = 0; p < rows; p++) {
            if (p % REF_RESTART == 0) {
                mpfr_mul_si(a, w, (long)p, MPFR_RNDN);
                mpfr_sin_cos(ms, mc, a, MPFR_RNDN);
            } else { /* (c, s) rotated by w */
                mpfr_mul(t1, mc, wc, MPFR_RNDN);
                mpfr_mul(t2, ms, ws, MPFR_RNDN);
                mpfr_sub(t1, t1, t2, MPFR_RNDN);
                mpfr_mul(t2, ms, wc, MPFR_RNDN);
                mpfr_mul(ms, mc, ws, MPFR_RNDN);
                mpfr_add(ms, ms, t2, MPFR_RNDN);
                mpfr_swap(mc, t1);
            }
            size_t at = (size_t)p * t->nf + i;
            if (!ref_round(ms, t1, &t->s[at]) || !ref_round(mc, t2, &t->c[at]))
                ref_direct(base, n, (int32_t)i, scale, p, &t->s[at], &t->c[at]);
        }
    }
    mpfr_clears(w, ws, wc, ms, mc, a, t1, t2, (mpfr_ptr)0);
}

static void ref_free(ref_table *t)
{
    free(t->s);
    free(t->c);
}

/* ---- one shape ---------------------------------------------------------------------------- */

typedef struct table_case {
    shape sh;
    double base, scale;
    int64_t max_positions; /* 0: the default rows */
    int64_t checked;       /* positions 0 .. checked-1 are compared with the reference */
} table_case;

/* Where frequency i's sin and cos sit in an encode row. */
static void row_slots(const posenc_params *prm, size_t i, size_t *si, size_t *ci)
{
    size_t h = (size_t)(prm->kind == POSENC_ROTARY ? prm->rotary_dim : prm->dim) / 2;
    if (prm->kind == POSENC_ROTARY) {
        *ci = i;
        *si = h + i;
    } else if (prm->pairing == POSENC_PAIR_HALF) {
        *si = i;
        *ci = h + i;
    } else {
        *si = 2 * i;
        *ci = 2 * i + 1;
    }
}

/* Encode rows first .. first+count-1 and compare with the reference (rows of ref start at 0). */
static size_t check_encode(posenc_plan *plan, const ref_table *ref, int64_t first, int64_t count,
                           const char *what)
{
    const posenc_params *prm = posenc_plan_params(plan);
    size_t row = posenc_plan_row_size(plan), bad = 0;
    float *out = harness_xmalloc((size_t)count * row * sizeof *out);
    int64_t *pos = harness_xmalloc((size_t)count * sizeof *pos);
    for (int64_t k = 0; k < count; k++)
        pos[k] = first + k;
    CHECK_CODE(posenc_encode(plan, pos, (size_t)count, out), POSENC_OK);
    for (int64_t k = 0; k < count; k++)
        for (size_t i = 0; i < ref->nf; i++) {
            size_t si, ci, at = (size_t)(first + k) * ref->nf + i;
            row_slots(prm, i, &si, &ci);
            float gs = out[(size_t)k * row + si], gc = out[(size_t)k * row + ci];
            if (bits_of(gs) != bits_of(ref->s[at]) || bits_of(gc) != bits_of(ref->c[at])) {
                if (bad < 3)
                    fprintf(stderr, "%s: p %" PRId64 " i %zu: sin %a cos %a, MPFR %a %a\n", what,
                            first + k, i, gs, gc, ref->s[at], ref->c[at]);
                bad++;
            }
        }
    free(out);
    free(pos);
    return bad;
}

/* The last two rows against MPFR directly (the reference table stops at `checked`). */
static size_t check_last_rows(posenc_plan *plan, const table_case *tc, const char *what)
{
    const posenc_params *prm = posenc_plan_params(plan);
    int32_t n = prm->kind == POSENC_ROTARY ? prm->rotary_dim : prm->dim;
    size_t row = posenc_plan_row_size(plan), nf = (size_t)n / 2, bad = 0;
    int64_t pos[2] = {posenc_plan_max_pos(plan) - 2, posenc_plan_max_pos(plan) - 1};
    float *out = harness_xmalloc(2 * row * sizeof *out);
    CHECK_CODE(posenc_encode(plan, pos, 2, out), POSENC_OK);
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < nf; i += quick ? 7 : 1) {
            float s, c;
            size_t si, ci;
            ref_direct(tc->base, n, (int32_t)i, tc->scale, pos[k], &s, &c);
            row_slots(prm, i, &si, &ci);
            if (bits_of(out[k * row + si]) != bits_of(s) || bits_of(out[k * row + ci]) != bits_of(c)) {
                if (bad < 3)
                    fprintf(stderr, "%s: last rows, p %" PRId64 " i %zu: %a %a, MPFR %a %a\n",
                            what, pos[k], i, out[k * row + si], out[k * row + ci], s, c);
                bad++;
            }
        }
    free(out);
    return bad;
}

/* apply on 3 heads with padding, x one float past alignment: each element must be the float
 * formula on the reference values (x + PE; a c - b s, a s + b c), padding and the elements past
 * rotary_dim untouched. */
static size_t check_apply(posenc_plan *plan, const ref_table *ref, const char *what)
{
    const posenc_params *prm = posenc_plan_params(plan);
    size_t dim = (size_t)prm->dim, nf = ref->nf, heads = 3, hs = dim + 3, ts = heads * hs + 5;
    size_t nt = 37, total = 1 + nt * ts, bad = 0;
    int rotary = prm->kind == POSENC_ROTARY, inter = prm->pairing == POSENC_PAIR_INTERLEAVED;
    float *buf = harness_xaligned_alloc(64, (total * sizeof(float) + 63) / 64 * 64);
    float *x0 = harness_xmalloc(total * sizeof *x0);
    int64_t pos[37];
    for (size_t t = 0; t < nt; t++) /* the first and last checked rows, random ones between */
        pos[t] = t == 0 ? 0 : t == 1 ? ref->rows - 1 : (int64_t)(sample_rng_next(&rng) %
                                                                 (uint64_t)ref->rows);
    for (size_t e = 0; e < total; e++)
        buf[e] = x0[e] = sample_rng_input(&rng);
    posenc_layout lay = {heads, hs, ts};
    CHECK_CODE(posenc_apply(plan, pos, nt, buf + 1, &lay), POSENC_OK);
    float *want = harness_xmalloc(total * sizeof *want);
    memcpy(want, x0, total * sizeof *want);
    for (size_t t = 0; t < nt; t++)
        for (size_t h = 0; h < heads; h++) {
            const float *in = x0 + 1 + t * ts + h * hs;
            float *o = want + 1 + t * ts + h * hs;
            for (size_t i = 0; i < nf; i++) {
                float s = ref->s[(size_t)pos[t] * nf + i], c = ref->c[(size_t)pos[t] * nf + i];
                size_t si, ci;
                row_slots(prm, i, &si, &ci);
                if (rotary) {
                    size_t ia = inter ? 2 * i : i, ib = inter ? 2 * i + 1 : i + nf;
                    volatile float ac = in[ia] * c, bs = in[ib] * s, as = in[ia] * s,
                                   bc = in[ib] * c;
                    o[ia] = ac - bs;
                    o[ib] = as + bc;
                } else {
                    volatile float vs = in[si] + s, vc = in[ci] + c;
                    o[si] = vs;
                    o[ci] = vc;
                }
            }
        }
    for (size_t e = 0; e < total; e++)
        if (bits_of(buf[e]) != bits_of(want[e])) {
            if (bad < 3)
                fprintf(stderr, "%s: apply float %zu is %a, formula gives %a\n", what, e, buf[e],
                        want[e]);
            bad++;
        }
    free(buf);
    free(x0);
    free(want);
    return bad;
}

/* Positions at or past the table's end fail and leave the output as it was. */
static void check_limit(posenc_plan *plan, const table_case *tc, const char *what)
{
    int64_t want_rows = tc->max_positions ? tc->max_positions : POSENC_TABLE_DEFAULT_POSITIONS;
    int64_t m = posenc_plan_max_pos(plan);
    CHECK(m == want_rows, "%s: max_pos %lld, expected %lld", what, (long long)m,
          (long long)want_rows);
    size_t dim = (size_t)posenc_plan_params(plan)->dim, row = posenc_plan_row_size(plan);
    size_t n = 4 * (dim > row ? dim : row);
    float *buf = harness_xmalloc(n * sizeof *buf), *before = harness_xmalloc(n * sizeof *buf);
    for (size_t e = 0; e < n; e++)
        buf[e] = before[e] = (float)e * 0.5f;
    const int64_t bad_values[] = {m, m + 1, INT64_C(1) << 31, -1};
    for (size_t v = 0; v < 4; v++) {
        int64_t pos[4] = {0, m - 1, 5 % m, bad_values[v]};
        CHECK_CODE(posenc_encode(plan, pos, 4, buf), POSENC_ERR_POSITION);
        CHECK_CODE(posenc_apply(plan, pos, 4, buf, NULL), POSENC_ERR_POSITION);
        CHECK(!memcmp(buf, before, n * sizeof *buf), "%s: written before failing on %lld", what,
              (long long)bad_values[v]);
    }
    int64_t last = m - 1;
    CHECK_CODE(posenc_encode(plan, &last, 1, buf), POSENC_OK);
    free(buf);
    free(before);
}

/* Memory: the table is max_pos rows of row_size floats, beyond what a computing plan holds. */
static void check_memory(posenc_plan *plan, const posenc_params *prm, const char *what)
{
    const posenc_impl *scalar = posenc_impl_find(prm->kind == POSENC_ROTARY ? "rotary/scalar"
                                                                              : "sinusoidal/scalar");
    posenc_plan *sp = NULL;
    CHECK_CODE(posenc_plan_create(scalar, prm, &sp), POSENC_OK);
    if (!sp)
        return;
    size_t table = (size_t)posenc_plan_max_pos(plan) * posenc_plan_row_size(plan) * sizeof(float);
    CHECK(posenc_plan_table_bytes(plan) == posenc_plan_table_bytes(sp) + table,
          "%s: table bytes %zu, expected %zu + %zu", what, posenc_plan_table_bytes(plan),
          posenc_plan_table_bytes(sp), table);
    posenc_plan_destroy(sp);
}

static void run_case(const table_case *tc)
{
    const posenc_impl *impl = posenc_impl_find(tc->sh.kind == POSENC_ROTARY ? "rotary/table"
                                                                             : "sinusoidal/table");
    CHECK(impl, "table implementation missing");
    if (!impl)
        return;
    posenc_params prm = shape_params(&tc->sh, tc->base, tc->scale, POSENC_ANGLE_EXACT);
    prm.max_positions = tc->max_positions;
    int32_t n = tc->sh.kind == POSENC_ROTARY ? tc->sh.rotary_dim : tc->sh.dim;
    char what[200];
    snprintf(what, sizeof what, "%s dim %d n %d %s base %g scale %g max_positions %lld",
             impl->name, tc->sh.dim, n, pairing_name(tc->sh.pairing), tc->base, tc->scale,
             (long long)tc->max_positions);
    int64_t checked = quick ? (tc->checked < 700 ? tc->checked : 700) : tc->checked;
    ref_table ref;
    ref_build(&ref, tc->base, n, tc->scale, checked);
    /* each kernel instance this CPU runs, the widest first */
    table_pick picks[TABLE_MAX_INSTANCES];
    size_t n_picks = table_picks(tc->sh.kind, picks);
    for (size_t k = 0; k < n_picks; k++) {
        posenc_plan *plan = NULL;
        table_pick_enter(&picks[k]);
        CHECK_CODE(posenc_plan_create(impl, &prm, &plan), POSENC_OK);
        table_pick_leave(&picks[k]);
        if (!plan)
            continue;
        char w2[240];
        snprintf(w2, sizeof w2, "%s (%s)", what, picks[k].kernels->name);
        table_pick_check(plan, &picks[k], w2);
        size_t bad = check_encode(plan, &ref, 0, checked, w2);
        CHECK(bad == 0, "%s: %zu entries differ from MPFR", w2, bad);
        if (k == 0) {
            bad = check_last_rows(plan, tc, w2);
            CHECK(bad == 0, "%s: %zu entries of the last rows differ from MPFR", w2, bad);
            check_limit(plan, tc, w2);
            check_memory(plan, &prm, w2);
        }
        bad = check_apply(plan, &ref, w2);
        CHECK(bad == 0, "%s: apply differs from the formula in %zu floats", w2, bad);
        posenc_plan_destroy(plan);
    }
    ref_free(&ref);
}

/* ---- variants: the attention factor inside the entries ------------------------------------ */

/* With an attention factor a (yarn, longrope) the entries are a cos and a sin, still correctly
 * rounded: each checked against MPFR from the variant's own definition (oracle.h derives w and
 * a independently of the library), a times the 256-bit sin and cos, rounded once. Positions
 * 0..rows-1 of every frequency, with each kernel instance this CPU runs. */
static void check_variant_entries(void)
{
    static const double short_f[32] = {
        1.05, 1.05, 1.1, 1.1, 1.2, 1.25, 1.4, 1.45, 1.55, 1.85, 1.9, 2.0, 2.0, 2.0, 2.0, 2.0,
        2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.1, 2.1, 2.2, 2.35, 2.35, 2.4, 2.65, 2.7, 2.9, 3.05};
    posenc_params cases[2];
    cases[0] = posenc_params_default(POSENC_ROTARY, 128); /* Qwen2.5-7B with YaRN x4 */
    cases[0].base = 1e6;
    cases[0].scaling = (posenc_scaling){.type = POSENC_SCALING_YARN, .factor = 4.0,
                                        .original_max_positions = 32768};
    cases[1] = posenc_params_default(POSENC_ROTARY, 64); /* LongRoPE, short factors */
    cases[1].scaling = (posenc_scaling){.type = POSENC_SCALING_LONGROPE, .factor = 32.0,
                                        .original_max_positions = 4096,
                                        .short_factor = short_f, .long_factor = short_f};
    const posenc_impl *impl = posenc_impl_find("rotary/table");
    const int64_t rows = quick ? 300 : 2048;
    mpfr_t angle, ms, mc, tmp;
    mpfr_inits2(REF_PREC, angle, ms, mc, tmp, (mpfr_ptr)0);
    for (int k = 0; k < 2 && impl; k++) {
        posenc_params prm = cases[k];
        prm.max_positions = rows;
        int32_t nf = prm.dim / 2;
        table_pick picks[TABLE_MAX_INSTANCES];
        size_t n_picks = table_picks(POSENC_ROTARY, picks);
        for (size_t pk = 0; pk < n_picks; pk++) {
            posenc_plan *plan = NULL;
            table_pick_enter(&picks[pk]);
            CHECK_CODE(posenc_plan_create(impl, &prm, &plan), POSENC_OK);
            table_pick_leave(&picks[pk]);
            if (!plan || !table_pick_check(plan, &picks[pk], "attention factor case")) {
                posenc_plan_destroy(plan);
                continue;
            }
            float *out = harness_xmalloc((size_t)rows * 2 * (size_t)nf * sizeof(float));
            int64_t *pos = harness_xmalloc((size_t)rows * sizeof *pos);
            for (int64_t p = 0; p < rows; p++)
                pos[p] = p;
            CHECK_CODE(posenc_encode(plan, pos, (size_t)rows, out), POSENC_OK);
            size_t bad = 0, doubtful = 0;
            for (int32_t i = 0; i < nf; i++) {
                oracle_freq f;
                CHECK(oracle_freq_init_params(&f, &prm, i) == 0, "oracle refuses case %d", k);
                CHECK(f.attention != 1.0, "case %d has no attention factor", k);
                for (int64_t p = 0; p < rows; p++) {
                    mpfr_mul_si(angle, f.w, (long)p, MPFR_RNDN);
                    mpfr_sin_cos(ms, mc, angle, MPFR_RNDN);
                    mpfr_mul_d(ms, ms, f.attention, MPFR_RNDN);
                    mpfr_mul_d(mc, mc, f.attention, MPFR_RNDN);
                    float es = 0.0f, ec; /* sin 0 is an exact zero: nothing to round */
                    if ((!mpfr_zero_p(ms) && !ref_round(ms, tmp, &es)) ||
                        !ref_round(mc, tmp, &ec)) {
                        doubtful++; /* within 2^-200 of a boundary: not judged */
                        continue;
                    }
                    const float *row = out + (size_t)p * 2 * (size_t)nf;
                    if (bits_of(row[i]) != bits_of(ec) || bits_of(row[nf + i]) != bits_of(es)) {
                        if (bad++ < 5)
                            fprintf(stderr, "case %d p %lld i %d: (%a, %a), MPFR (%a, %a)\n", k,
                                    (long long)p, (int)i, row[i], row[nf + i], ec, es);
                    }
                }
                oracle_freq_clear(&f);
            }
            CHECK(bad == 0, "%s, %s, attention factor case %d: %zu entries are not the "
                  "correctly rounded a cos, a sin", impl->name, picks[pk].kernels->name, k, bad);
            CHECK(doubtful == 0, "case %d: %zu entries too close to a rounding boundary to judge",
                  k, doubtful);
            printf("%s, %s, attention factor %.6g: %lld positions x %d frequencies "
                   "correctly rounded\n", impl->name, picks[pk].kernels->name,
                   posenc_plan_attention_factor(plan), (long long)rows, (int)nf);
            free(out);
            free(pos);
            posenc_plan_destroy(plan);
        }
    }
    mpfr_clears(angle, ms, mc, tmp, (mpfr_ptr)0);
}

/* ---- single entries at large positions ------------------------------------------------------ */

/* table_entry_sincos, which every exact-mode entry equals, against MPFR up to p = 2^31 - 1:
 * the phase must stay accurate to the last position a table may hold. */
static void check_large_positions(void)
{
    static const double bases[] = {1e4, 5e5, 1e6};
    static const int32_t ns[] = {128, 4096};
    size_t bad = 0, count = 0;
    for (size_t b = 0; b < 3; b++)
        for (size_t d = 0; d < 2; d++) {
            int32_t n = ns[d], nf = n / 2;
            uint64_t *steps = harness_xmalloc((size_t)nf * sizeof *steps);
            double *res = harness_xmalloc((size_t)nf * sizeof *res);
            posenc_turn_steps_linear(bases[b], n, nf, 1.0, steps, res);
            int32_t freqs[6] = {0, 1, nf / 3, nf / 2, nf - 1,
                                (int32_t)(sample_rng_next(&rng) % (uint64_t)nf)};
            for (size_t f = 0; f < 6; f++) {
                int32_t i = freqs[f];
                int np = quick ? 3 : 12;
                for (int k = 0; k < np; k++) {
                    int64_t p = k == 0   ? (INT64_C(1) << 31) - 1
                                : k == 1 ? (INT64_C(1) << 24) + 1
                                : k % 2  ? sample_rng_uniform_position(&rng)
                                         : sample_rng_log_position(&rng);
                    float s, c, ws, wc;
                    table_entry_sincos(steps[i], res[i], p, &s, &c);
                    ref_direct(bases[b], n, i, 1.0, p, &ws, &wc);
                    count++;
                    if (bits_of(s) != bits_of(ws) || bits_of(c) != bits_of(wc)) {
                        if (bad < 3)
                            fprintf(stderr, "base %g n %d i %d p %" PRId64 ": %a %a, MPFR %a %a\n",
                                    bases[b], n, i, p, s, c, ws, wc);
                        bad++;
                    }
                }
            }
            free(steps);
            free(res);
        }
    CHECK(bad == 0, "%zu of %zu entries at large positions differ from MPFR", bad, count);
}

/* ---- max_positions, for every implementation ------------------------------------------------ */

static void check_max_positions(void)
{
    static float w_data[8 * 64];
    posenc_weights *w = NULL;
    CHECK_CODE(posenc_weights_from_array(8, 64, w_data, &w), POSENC_OK);
    for (size_t k = 0; k < posenc_impl_count(); k++) {
        const posenc_impl *impl = posenc_impl_at(k);
        if (!posenc_impl_supported(impl))
            continue;
        posenc_params p = posenc_params_default(impl->kind, 64);
        p.weights = w;
        if (impl->flags & POSENC_IMPL_DESIGN) /* the fp32 recipe, in no other mode */
            p.angle_mode = POSENC_ANGLE_FP32;
        const int64_t bad_values[] = {-1, (INT64_C(1) << 31) + 1, INT64_MIN};
        for (size_t v = 0; v < 3; v++) {
            p.max_positions = bad_values[v];
            posenc_plan *plan = NULL;
            CHECK_CODE(posenc_plan_create(impl, &p, &plan), POSENC_ERR_ARGUMENT);
            CHECK(plan == NULL, "%s: plan made with max_positions %lld", impl->name,
                  (long long)bad_values[v]);
        }
        /* learned: the smaller of max_positions and the rows of W */
        const int64_t limits[] = {1, 5, 100};
        for (size_t v = 0; v < 3; v++) {
            p.max_positions = limits[v];
            posenc_plan *plan = NULL;
            CHECK_CODE(posenc_plan_create(impl, &p, &plan), POSENC_OK);
            if (!plan)
                continue;
            int64_t want = impl->kind == POSENC_LEARNED && limits[v] > 8 ? 8 : limits[v];
            CHECK(posenc_plan_max_pos(plan) == want, "%s: max_positions %lld gives max_pos %lld",
                  impl->name, (long long)limits[v], (long long)posenc_plan_max_pos(plan));
            float out[64];
            int64_t last = want - 1, past = want;
            CHECK_CODE(posenc_encode(plan, &last, 1, out), POSENC_OK);
            CHECK_CODE(posenc_encode(plan, &past, 1, out), POSENC_ERR_POSITION);
            posenc_plan_destroy(plan);
        }
    }
    posenc_weights_free(w);
}

/* ---- build time ----------------------------------------------------------------------------- */

static void report_build_time(void)
{
    static const struct {
        posenc_kind kind;
        int32_t dim;
        posenc_angle_mode mode;
    } shapes[] = {{POSENC_ROTARY, 128, POSENC_ANGLE_EXACT}, {POSENC_ROTARY, 128, POSENC_ANGLE_FP32},
                  {POSENC_SINUSOIDAL, 512, POSENC_ANGLE_EXACT}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        posenc_params p = posenc_params_default(shapes[k].kind, shapes[k].dim);
        p.angle_mode = shapes[k].mode;
        posenc_plan *plan = NULL;
        clock_t c0 = clock();
        double t0 = harness_now_s();
        CHECK_CODE(posenc_plan_create(posenc_impl_find(shapes[k].kind == POSENC_ROTARY
                                                           ? "rotary/table"
                                                           : "sinusoidal/table"),
                                      &p, &plan),
                   POSENC_OK);
        double wall = harness_now_s() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
        printf("table build, %s dim %d %s, %d positions x %d frequencies: %.3f s CPU "
               "(%.3f s wall), %.1f MiB\n",
               shapes[k].kind == POSENC_ROTARY ? "rotary" : "sinusoidal", shapes[k].dim,
               shapes[k].mode == POSENC_ANGLE_EXACT ? "exact" : "fp32",
               POSENC_TABLE_DEFAULT_POSITIONS, shapes[k].dim / 2, cpu, wall,
               plan ? (double)posenc_plan_table_bytes(plan) / 1048576.0 : 0.0);
        posenc_plan_destroy(plan);
    }
}

int main(int argc, char **argv)
{
    quick = tests_parse_quick(argc, argv, "test_table");
    if (quick < 0)
        return 2;
    harness_set_name("test_table");
    unsetenv("POSENC_DISABLE_CPU_FEATURES");
    double t0 = harness_now_s();
    static const table_case cases[] = {
        /* Llama-2 heads, NeoX pairing */
        {{POSENC_ROTARY, 128, 128, POSENC_PAIR_HALF}, 1e4, 1.0, 0, 4096},
        /* Llama-3 base, GPT-J pairing, position interpolation by 4 */
        {{POSENC_ROTARY, 128, 128, POSENC_PAIR_INTERLEAVED}, 5e5, 4.0, 0, 2048},
        /* partial rotary (Phi-2: 32 of 80), a table of 3000 rows */
        {{POSENC_ROTARY, 80, 32, POSENC_PAIR_HALF}, 1e6, 1.0, 3000, 3000},
        /* the smallest head: one frequency, w = 1 */
        {{POSENC_ROTARY, 2, 2, POSENC_PAIR_INTERLEAVED}, 1e4, 1.0, 5000, 5000},
        /* BERT-base-sized sinusoidal, interleaved */
        {{POSENC_SINUSOIDAL, 512, 0, POSENC_PAIR_INTERLEAVED}, 1e4, 1.0, 0, 1024},
        /* small sinusoidal, [sin | cos], the whole table */
        {{POSENC_SINUSOIDAL, 64, 0, POSENC_PAIR_HALF}, 1e4, 1.0, 4500, 4500},
        {{POSENC_SINUSOIDAL, 96, 0, POSENC_PAIR_INTERLEAVED}, 1e6, 1.0, 2500, 2500},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        run_case(&cases[k]);
    double t_cases = harness_now_s() - t0;
    check_large_positions();
    check_variant_entries();
    check_max_positions();
    report_build_time();
    printf("time: %.1f s (table cases %.1f s)\n", harness_now_s() - t0, t_cases);
    mpfr_free_cache();
    return tests_exit_code("test_table");
}
