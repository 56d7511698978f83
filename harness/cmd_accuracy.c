/* cmd_accuracy.c - `posenc accuracy`: the error of every sinusoidal and rotary implementation in
 * every angle mode (exact, fp32, bf16, fp16) against the MPFR oracle, swept over positions up to 2^31, a bit-exact check
 * of the learned ones, and the alibi biases against the correctly rounded ones
 * (accuracy/sweep.h); the exit code says whether every bound holds. */
#define _POSIX_C_SOURCE 200809L /* regcomp */

#include <inttypes.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

/* sweep.h (run_model.h) before oracle.h (mpfr.h): see sweep.h */
#include "sweep.h"

#include "commands.h"
#include "harness_util.h"
#include "oracle.h"
#include "posenc.h"

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_ACCURACY = 4 };

static void print_result(const accuracy_shape *sh, const run_accuracy *r, const char *status)
{
    char shape_s[48], worst[64], apply[24];
    if (sh->kind == POSENC_ALIBI)
        snprintf(shape_s, sizeof shape_s, "%d heads bias_max %g", sh->dim, sh->base);
    else
        snprintf(shape_s, sizeof shape_s, "dim %d base %g", sh->dim, sh->base);
    snprintf(worst, sizeof worst, "p=%" PRId64 " i=%d %s", r->worst_position, r->worst_index,
             r->values_checked ? r->worst_value : "-");
    if (!isnan(r->apply_max_err_u))
        snprintf(apply, sizeof apply, "%.4g", r->apply_max_err_u);
    else
        snprintf(apply, sizeof apply, "-");
    printf("%-22s %-5s %-20s %10.4g %10.4g  %-30s %10.4g %12s  %s\n", r->implementation,
           r->angle_mode, shape_s, r->max_err_u, r->max_ulp, worst, r->mean_err_u, apply, status);
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
    printf("%-22s %-5s %-20s encode W[p] and apply x + W[p] (%" PRIu64 " values): %s  %s\n",
           r->implementation, "-", shape_s, r->values_checked, verdict,
           r->within_bound == 1 ? "ok" : "FAIL");
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: posenc accuracy [--quick] [--impl REGEX] [--help]\n"
            "  Error of every supported implementation against an MPFR oracle (192-bit),\n"
            "  in u = 2^-24 and in ULP of the true value (SLEEF's convention), over positions\n"
            "  0..4095, 1e4..1e9, 2^k +- 1, 2^31 - 1, random positions in every decade and\n"
            "  positions next to zeros of the slowest frequency's sine. Sinusoidal and rotary\n"
            "  in every angle mode: exact, and the recipes fp32, bf16 and fp16 (fp16 below\n"
            "  position 65520 only: its angle overflows there); learned ones are checked bit\n"
            "  for bit against a random table; alibi biases -m_h d (32 heads, bias_max 8)\n"
            "  against the correctly rounded ones (exact mode: bit for bit; fp32 mode: MPT's\n"
            "  recipe, not bounded).\n"
            "  --quick        fewer positions and frequencies (about 10x faster)\n"
            "  --impl REGEX   only implementations whose name matches this POSIX extended\n"
            "                 regular expression anywhere: 'rotary/scalar', '^rotary/',\n"
            "                 'avx2$' (see 'posenc list')\n"
            "exit: 0 every exact-mode error within its documented bound (rotary cos/sin within\n"
            "      4u, rotary apply within the bound per pair, alibi correctly rounded),\n"
            "      4 otherwise, 1 on an error,\n"
            "      2 on a usage error.\n");
}

int cmd_accuracy(int argc, char **argv)
{
    const char *only = NULL;
    accuracy_options opt = {.level = ACCURACY_FULL, .name = "posenc accuracy"};
    harness_set_name("posenc accuracy");
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--quick")) {
            opt.level = ACCURACY_QUICK;
        } else if (!strcmp(argv[a], "--impl")) {
            if (a + 1 >= argc) {
                fprintf(stderr, "posenc accuracy: --impl needs a regular expression\n");
                return EXIT_USAGE;
            }
            only = argv[++a];
        } else if (!strncmp(argv[a], "--impl=", 7)) {
            only = argv[a] + 7;
        } else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "posenc accuracy: unknown option '%s'\n", argv[a]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    regex_t re;
    if (only) {
        int rc = regcomp(&re, only, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            char msg[128];
            regerror(rc, &re, msg, sizeof msg);
            fprintf(stderr, "posenc accuracy: --impl '%s': %s\n", only, msg);
            return EXIT_USAGE;
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
            return EXIT_USAGE;
        }
        fprintf(stderr, "posenc accuracy: %s\n",
                only ? "every implementation that matches is one this CPU does not run"
                     : "no implementation to check");
        return EXIT_ERROR;
    }
    double t0 = harness_now_s();
    int quick = opt.level == ACCURACY_QUICK;
    printf("posenc accuracy: errors against an MPFR oracle (%d-bit), u = 2^-24%s\n", ORACLE_PREC,
           quick ? " [quick]" : "");
    printf("%-22s %-5s %-20s %10s %10s  %-30s %10s %12s  %s\n", "implementation", "mode", "shape",
           "max (u)", "max (ulp)", "worst at", "mean (u)", "apply max(u)", "status");
    int accuracy_failed = 0, errors = 0;
    for (size_t ii = 0; ii < posenc_impl_count(); ii++) {
        const posenc_impl *impl = posenc_impl_at(ii);
        if ((only && regexec(&re, impl->name, 0, NULL, 0) != 0) || !posenc_impl_supported(impl))
            continue;
        const accuracy_shape *shapes;
        size_t n_shapes = accuracy_shapes(impl->kind, opt.level, &shapes);
        if (n_shapes == 0)
            printf("%-22s not swept: no shapes of its kind (alibi: test_alibi checks every bias "
                   "against its MPFR oracle bit for bit)\n", impl->name);
        for (size_t s = 0; s < n_shapes; s++) {
            for (int mode = 0; mode < ACCURACY_N_MODES; mode++) {
                posenc_angle_mode am = accuracy_modes[mode];
                run_accuracy r;
                int rc = accuracy_sweep_shape(impl, am, &opt, &shapes[s], &r);
                if (rc == ACCURACY_NOT_APPLICABLE)
                    continue;
                if (rc != ACCURACY_OK) {
                    errors++;
                    continue;
                }
                if (impl->kind == POSENC_LEARNED) {
                    print_learned(&shapes[s], &r);
                    if (r.within_bound != 1)
                        accuracy_failed = 1;
                    continue;
                }
                const char *status = "(not bounded)";
                if (r.within_bound >= 0) {
                    status = r.within_bound ? "ok" : "FAIL";
                    if (!r.within_bound) {
                        accuracy_failed = 1;
                        fprintf(stderr,
                                "posenc accuracy: %s exceeds its bound at dim %d: values %.4g u "
                                "(bound %.4g u), apply %.4g u (bound %.4g u)\n",
                                impl->name, shapes[s].dim, r.max_err_u, r.bound_u,
                                r.apply_max_err_u, r.apply_bound_u);
                    }
                }
                print_result(&shapes[s], &r, status);
            }
        }
    }
    if (only)
        regfree(&re);
    accuracy_cache_free();
    printf("%.1f s\n", harness_now_s() - t0);
    if (accuracy_failed)
        return EXIT_ACCURACY;
    return errors ? EXIT_ERROR : EXIT_OK;
}
