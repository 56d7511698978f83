/* cmd_accuracy.c - `posenc accuracy`: the error of every sinusoidal and rotary implementation in
 * every angle mode (exact, fp32, bf16, fp16) against the MPFR oracle, swept over positions up to
 * 2^31, a bit-exact check of the learned ones, and the alibi biases against the correctly
 * rounded ones (accuracy/sweep.h), on float32, bf16 and fp16 data; the exit code says whether
 * every bound holds. */
#define _POSIX_C_SOURCE 200809L /* regcomp */

#include <inttypes.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sweep.h (run_record.h) before oracle.h (mpfr.h): see sweep.h */
#include "sweep.h"

#include "commands.h"
#include "error_units.h"
#include "exit_codes.h"
#include "harness_util.h"
#include "oracle.h"
#include "posenc.h"


/* v to `digits` significant digits, or "-" for NaN (ulps of a 16-bit type get 5: 0.49996 is
 * within half an ulp, 0.5 may be just past it) */
static const char *fmt_num(char *buf, size_t size, double v, int digits)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.*g", digits, v);
    return buf;
}

static void print_result(const accuracy_shape *sh, const run_accuracy *r, const char *status)
{
    char shape_s[48], worst[64], apply[24], tv[24], ta[24];
    if (sh->kind == POSENC_ALIBI)
        snprintf(shape_s, sizeof shape_s, "%d heads bias_max %g", sh->dim, sh->base);
    else
        snprintf(shape_s, sizeof shape_s, "dim %d base %g", sh->dim, sh->base);
    snprintf(worst, sizeof worst, "p=%" PRId64 " i=%d %s", r->worst_position, r->worst_index,
             r->values_checked ? r->worst_value : "-");
    printf("%-22s %-4s %-5s %-20s %10.4g %10.4g  %-30s %10.4g %12s %9s %9s  %s\n",
           r->implementation, run_dtype_name(r->dtype), run_angle_mode_name(r->angle_mode),
           shape_s, r->max_err_u, r->max_ulp, worst,
           r->mean_err_u, fmt_num(apply, sizeof apply, r->apply_max_err_u, 4),
           fmt_num(tv, sizeof tv, r->max_err_type_ulp, 5),
           fmt_num(ta, sizeof ta, r->apply_max_err_type_ulp, 5), status);
    for (int d = 0; d < RUN_N_DECADES; d++) {
        const run_decade *b = &r->decades[d];
        if (!b->count && (d == 0 || !r->decades[d - 1].count))
            continue;
        char range[32];
        if (d == 0)
            snprintf(range, sizeof range, "[0, 1e1)");
        else if (d == RUN_N_DECADES - 1)
            snprintf(range, sizeof range, "[1e%d, 2^31)", d);
        else
            snprintf(range, sizeof range, "[1e%d, 1e%d)", d, d + 1);
        if (!b->count) /* the first decade past the plan's limit (fp16 mode, a table) */
            printf("    %-14s none: past the plan's position limit\n", range);
        else
            printf("    %-14s max %10.4g u %10.4g ulp   mean %10.4g u   (%" PRIu64 " values)\n",
                   range, b->max_err_u, b->max_ulp, b->mean_err_u, b->count);
    }
}

static void print_learned(const accuracy_shape *sh, const run_accuracy *r)
{
    char shape_s[48], verdict[96];
    snprintf(shape_s, sizeof shape_s, "%lld x %d random", (long long)sh->rows, sh->dim);
    if (r->bit_exact == 1)
        snprintf(verdict, sizeof verdict, "bit-exact");
    else
        snprintf(verdict, sizeof verdict, "NOT bit-exact, max %.4g u at p=%" PRId64 " j=%d %s",
                 r->max_err_u, r->worst_position, r->worst_index, r->worst_value);
    printf("%-22s %-4s %-5s %-20s encode W[p] and apply x + W[p]%s (%" PRIu64
           " values): %s  %s\n",
           r->implementation, run_dtype_name(r->dtype), "-", shape_s,
           r->dtype != RUN_DTYPE_F32 ? ", rounded to the type" : "", r->values_checked, verdict,
           r->within_bound == 1 ? "ok" : "FAIL");
}

/* The worst exact-mode figures of one implementation over its shapes, per element type. */
typedef struct summary_row {
    const posenc_impl *impl;
    double values[ACCURACY_N_DTYPES], apply[ACCURACY_N_DTYPES]; /* f32: u; 16-bit: ulp */
    int swept[ACCURACY_N_DTYPES], within[ACCURACY_N_DTYPES], bit_exact[ACCURACY_N_DTYPES];
} summary_row;

static void keep_max(double *m, double v)
{
    if (!isnan(v) && (isnan(*m) || v > *m))
        *m = v;
}

static void summary_add(summary_row *s, int d, const run_accuracy *r)
{
    const int f32 = accuracy_dtypes[d] == POSENC_DTYPE_F32;
    if (!s->swept[d]) {
        s->swept[d] = 1;
        s->within[d] = s->bit_exact[d] = 1;
        s->values[d] = s->apply[d] = NAN;
    }
    keep_max(&s->values[d], f32 ? r->max_err_u : r->max_err_type_ulp);
    keep_max(&s->apply[d], f32 ? r->apply_max_err_u : r->apply_max_err_type_ulp);
    s->within[d] &= r->within_bound == 1;
    s->bit_exact[d] &= r->bit_exact == 1;
}

static void print_summary(const summary_row *rows, size_t n, const int *use)
{
    printf("\nexact angles, worst over the shapes: float32 in u (values, apply per pair); bf16 "
           "and f16 in ulps of\nthe type beyond the float32 bound's share (values, apply), "
           "bound %.1f; learned and alibi bit for bit; the common designs in fp32 angles, "
           "their only mode, unbounded\n", ERR_TYPE_BOUND_ULP);
    printf("%-28s", "implementation");
    for (int d = 0; d < ACCURACY_N_DTYPES; d++)
        if (use[d])
            printf(" %-26s", posenc_dtype_name(accuracy_dtypes[d]));
    printf("\n");
    for (size_t k = 0; k < n; k++) {
        const summary_row *s = &rows[k];
        printf("%-28s", s->impl->name);
        for (int d = 0; d < ACCURACY_N_DTYPES; d++) {
            if (!use[d])
                continue;
            char cell[64], v[24], ap[24];
            if (!s->swept[d])
                snprintf(cell, sizeof cell, "not swept");
            else if (s->impl->kind == POSENC_LEARNED || s->impl->kind == POSENC_ALIBI)
                snprintf(cell, sizeof cell, "%s", s->bit_exact[d] ? "bit-exact ok" : "NOT bit-exact");
            else
                snprintf(cell, sizeof cell, "%s, %s %s",
                         fmt_num(v, sizeof v, s->values[d], d ? 5 : 4),
                         fmt_num(ap, sizeof ap, s->apply[d], d ? 5 : 4),
                         (s->impl->flags & POSENC_IMPL_DESIGN) ? "fp32 design"
                         : s->within[d]                        ? "ok"
                                                               : "FAIL");
            printf(" %-26s", cell);
        }
        printf("\n");
    }
}

/* Parse a comma-separated list of element type names into use[ACCURACY_N_DTYPES]; 0 or -1 after
 * a message. */
static int parse_dtypes(const char *list, int *use)
{
    memset(use, 0, ACCURACY_N_DTYPES * sizeof *use);
    const char *p = list;
    int any = 0;
    while (1) {
        size_t n = strcspn(p, ",");
        int d = 0;
        while (d < ACCURACY_N_DTYPES &&
               (strlen(posenc_dtype_name(accuracy_dtypes[d])) != n ||
                strncmp(p, posenc_dtype_name(accuracy_dtypes[d]), n)))
            d++;
        if (d == ACCURACY_N_DTYPES) {
            fprintf(stderr, "posenc accuracy: --dtype: unknown element type '%.*s' in '%s' "
                    "(f32, bf16, f16, separated by commas)\n", (int)n, p, list);
            return -1;
        }
        use[d] = any = 1;
        if (!p[n])
            break;
        p += n + 1;
    }
    return any ? 0 : -1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: posenc accuracy [--quick] [--impl REGEX] [--dtype LIST] [--help]\n"
            "  Error of every supported implementation against an MPFR oracle (192-bit),\n"
            "  in u = 2^-24 and in ULP of the true value (SLEEF's convention), over positions\n"
            "  0..4095, 1e4..1e9, 2^k +- 1, 2^31 - 1, random positions in every decade and\n"
            "  positions next to zeros of the slowest frequency's sine. Sinusoidal and rotary\n"
            "  in every angle mode: exact, and the recipes fp32, bf16 and fp16 (fp16 below\n"
            "  position 65520 only: its angle overflows there); learned ones are checked bit\n"
            "  for bit against a random table; alibi biases -m_h d (32 heads, bias_max 8)\n"
            "  against the correctly rounded ones (exact mode: bit for bit; fp32 mode: MPT's\n"
            "  recipe, not bounded). Each on float32, bf16 and fp16 data: with 16-bit data\n"
            "  the values (and apply's outputs, on inputs of the type) are also stated in\n"
            "  ulps of the type beyond their float32 bound; exact mode allows half an ulp\n"
            "  there (learned and alibi: the float32 results rounded to the type, bit for bit).\n"
            "  --quick        fewer positions and frequencies (about 10x faster)\n"
            "  --impl REGEX   only implementations whose name matches this POSIX extended\n"
            "                 regular expression anywhere: 'rotary/scalar', '^rotary/',\n"
            "                 'avx2$' (see 'posenc list')\n"
            "  --dtype LIST   element types of the data, separated by commas: f32, bf16, f16\n"
            "                 (default: all three)\n"
            "exit: 0 every exact-mode error within its documented bound (rotary cos/sin within\n"
            "      4u, rotary apply within the bound per pair, alibi correctly rounded; 16-bit\n"
            "      data within half an ulp of the type beyond those), 4 otherwise, 1 on an\n"
            "      error, 2 on a usage error.\n");
}

/* One record's verdict: printed, and a message when over its bound. Returns 1 when over. */
static int report(const posenc_impl *impl, const accuracy_shape *sh, const run_accuracy *r)
{
    if (impl->kind == POSENC_LEARNED) {
        print_learned(sh, r);
        return r->within_bound != 1;
    }
    const char *status = r->within_bound < 0 ? "(not bounded)" : r->within_bound ? "ok" : "FAIL";
    if (r->within_bound == 0 && r->dtype == RUN_DTYPE_F32)
        fprintf(stderr, "posenc accuracy: %s exceeds its bound at dim %d: values %.4g u (bound "
                "%.4g u), apply %.4g u (bound %.4g u)\n", impl->name, sh->dim, r->max_err_u,
                r->bound_u, r->apply_max_err_u, r->apply_bound_u);
    else if (r->within_bound == 0)
        fprintf(stderr, "posenc accuracy: %s exceeds its bound at dim %d on %s data: values %.4g "
                "ulp, apply %.4g ulp of the type beyond the float32 bound (bound %.4g ulp)%s\n",
                impl->name, sh->dim, run_dtype_name(r->dtype), r->max_err_type_ulp,
                r->apply_max_err_type_ulp, r->bound_type_ulp,
                r->bit_exact == 0 ? ", not bit-exact" : "");
    print_result(sh, r, status);
    return r->within_bound == 0;
}

int cmd_accuracy(int argc, char **argv)
{
    const char *only = NULL;
    int use[ACCURACY_N_DTYPES] = {1, 1, 1};
    accuracy_options opt = {.level = ACCURACY_FULL, .name = "posenc accuracy"};
    harness_set_name("posenc accuracy");
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--quick")) {
            opt.level = ACCURACY_QUICK;
        } else if (!strcmp(argv[a], "--impl") || !strcmp(argv[a], "--dtype")) {
            if (a + 1 >= argc) {
                fprintf(stderr, "posenc accuracy: %s needs %s\n", argv[a],
                        argv[a][2] == 'i' ? "a regular expression" : "a list of element types");
                return POSENC_EXIT_USAGE;
            }
            if (argv[a][2] == 'i')
                only = argv[++a];
            else if (parse_dtypes(argv[++a], use))
                return POSENC_EXIT_USAGE;
        } else if (!strncmp(argv[a], "--impl=", 7)) {
            only = argv[a] + 7;
        } else if (!strncmp(argv[a], "--dtype=", 8)) {
            if (parse_dtypes(argv[a] + 8, use))
                return POSENC_EXIT_USAGE;
        } else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            usage(stdout);
            return POSENC_EXIT_OK;
        } else {
            fprintf(stderr, "posenc accuracy: unknown option '%s'\n", argv[a]);
            usage(stderr);
            return POSENC_EXIT_USAGE;
        }
    }
    regex_t re;
    if (only) {
        int rc = regcomp(&re, only, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            char msg[128];
            regerror(rc, &re, msg, sizeof msg);
            fprintf(stderr, "posenc accuracy: --impl '%s': %s\n", only, msg);
            return POSENC_EXIT_USAGE;
        }
    }
    /* say what is wrong with --impl before any output */
    int matched = 0, runnable = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if (!only || regexec(&re, impl->name, 0, NULL, 0) == 0) {
            matched++;
            runnable += posenc_impl_supported(impl);
        }
    }
    if (!runnable) {
        if (only)
            regfree(&re);
        if (only && !matched) {
            fprintf(stderr, "posenc accuracy: no implementation matches '%s' (see 'posenc list')\n",
                    only);
            return POSENC_EXIT_USAGE;
        }
        fprintf(stderr, "posenc accuracy: %s\n",
                only ? "every implementation that matches is one this CPU does not run"
                     : "no implementation to check");
        return POSENC_EXIT_ERROR;
    }
    double t0 = harness_now_s();
    int quick = opt.level == ACCURACY_QUICK;
    printf("posenc accuracy: errors against an MPFR oracle (%d-bit), u = 2^-24%s\n", ORACLE_PREC,
           quick ? " [quick]" : "");
    printf("%-22s %-4s %-5s %-20s %10s %10s  %-30s %10s %12s %9s %9s  %s\n", "implementation",
           "data", "mode", "shape", "max (u)", "max (ulp)", "worst at", "mean (u)",
           "apply max(u)", "type ulp", "apply ulp", "status");
    summary_row *rows = harness_xmalloc(posenc_impl_count() * sizeof *rows);
    size_t n_rows = 0;
    int accuracy_failed = 0, errors = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if ((only && regexec(&re, impl->name, 0, NULL, 0) != 0) || !posenc_impl_supported(impl))
            continue;
        summary_row *row = &rows[n_rows++];
        memset(row, 0, sizeof *row);
        row->impl = impl;
        const accuracy_shape *shapes;
        size_t n_shapes = accuracy_shapes(impl->kind, opt.level, &shapes);
        if (n_shapes == 0)
            printf("%-22s not swept: no shapes of its kind\n", impl->name);
        for (size_t s = 0; s < n_shapes; s++)
            for (int mode = 0; mode < ACCURACY_N_MODES; mode++)
                for (int d = 0; d < ACCURACY_N_DTYPES; d++) {
                    if (!use[d])
                        continue;
                    posenc_angle_mode am = accuracy_modes[mode];
                    run_accuracy r;
                    int rc = accuracy_sweep_shape(impl, am, accuracy_dtypes[d], &opt, &shapes[s],
                                                  &r);
                    if (rc == ACCURACY_NOT_APPLICABLE)
                        continue;
                    if (rc != ACCURACY_OK) {
                        errors++;
                        continue;
                    }
                    accuracy_failed |= report(impl, &shapes[s], &r);
                    /* a design has only fp32 mode: its row shows that, unbounded */
                    if (am == POSENC_ANGLE_EXACT || (impl->flags & POSENC_IMPL_DESIGN))
                        summary_add(row, d, &r);
                }
    }
    if (only)
        regfree(&re);
    accuracy_cache_free();
    print_summary(rows, n_rows, use);
    free(rows);
    printf("%.1f s\n", harness_now_s() - t0);
    if (accuracy_failed)
        return POSENC_EXIT_ACCURACY;
    return errors ? POSENC_EXIT_ERROR : POSENC_EXIT_OK;
}
