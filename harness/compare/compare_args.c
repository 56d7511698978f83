/* compare_args.c - the options of `posenc compare`, its --help text, and the names and value
 * format the reports share. */
#define _POSIX_C_SOURCE 200809L /* regcomp */

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

void compare_usage(FILE *f)
{
    fprintf(f,
            "usage: posenc compare [options] BASE NEW\n"
            "  The speed-regression and accuracy verdict of run NEW against run BASE. Each is a\n"
            "  run folder (with its run.json) or a run.json file written by 'posenc bench'.\n"
            "  Cases are matched by id; only cases with status ok are timed. Per case: the ratio\n"
            "  NEW / BASE of the metric's median and a two-sided Mann-Whitney U test over the\n"
            "  repetitions of both runs. Verdicts: regression (ratio > 1 + threshold and\n"
            "  p < alpha), improvement (ratio < 1 / (1 + threshold) and p < alpha), unchanged,\n"
            "  inconclusive (too few repetitions for any p below alpha, a change that is not\n"
            "  significant, no reference), missing (timed in BASE, not in NEW), new (timed in\n"
            "  NEW, not in BASE). Accuracy: every record of NEW must be within its bound.\n"
            "  The runs must come from the same CPU model, CPU features and compiler.\n"
            "\n"
            "options:\n"
            "  --metric time|relative|instructions\n"
            "                      time (default): each repetition's time in ns;\n"
            "                      relative: each repetition's time over a reference of the\n"
            "                      same run (--relative-to), so that runs from a quieter or a\n"
            "                      busier hour on the same machine kind compare;\n"
            "                      instructions: instructions retired per element (posenc\n"
            "                      bench --instructions), deterministic, no test\n"
            "  --relative-to mempass|scalar\n"
            "                      the reference of --metric relative: the case's memory pass\n"
            "                      (default) or the same shape's scalar implementation\n"
            "  --threshold X       relative change that counts, X >= 0 (default 0.10; 0.01 for\n"
            "                      --metric instructions)\n"
            "  --alpha A           significance level, 0 < A < 1 (default 0.01)\n"
            "  --filter REGEX      only cases whose id matches this POSIX extended regular\n"
            "                      expression, e.g. '^rotary_apply/' or 'impl=dispatch$'\n"
            "  --dispatched-only   only the cases that time what dispatch picks (the CI gate)\n"
            "  --allow-mismatch    compare runs of different CPUs or compilers anyway; the\n"
            "                      reports say so\n"
            "  --out DIR           where compare.md and compare.json go (default: the NEW run\n"
            "                      folder, or the current directory when NEW is a file)\n"
            "  --help              this text\n"
            "\n"
            "exit: 0 pass, 3 speed regression, 4 accuracy failure, 5 both, 6 not comparable\n"
            "      (without --allow-mismatch), 1 error (unreadable or invalid run, a report not\n"
            "      written), 2 usage error.\n");
}

const char *compare_metric_name(compare_metric m)
{
    switch (m) {
    case METRIC_TIME:
        return "time";
    case METRIC_RELATIVE:
        return "relative";
    case METRIC_INSTRUCTIONS:
        return "instructions";
    }
    return "?";
}

const char *compare_verdict_name(compare_verdict v)
{
    static const char *const names[VERDICT_COUNT] = {
        [VERDICT_REGRESSION] = "regression", [VERDICT_MISSING] = "missing",
        [VERDICT_INCONCLUSIVE] = "inconclusive", [VERDICT_IMPROVEMENT] = "improvement",
        [VERDICT_NEW] = "new", [VERDICT_UNCHANGED] = "unchanged"};
    return (unsigned)v < VERDICT_COUNT ? names[v] : "?";
}

void compare_format_value(compare_metric m, double v, char *buf, size_t cap)
{
    if (isnan(v)) {
        snprintf(buf, cap, "-");
    } else if (m != METRIC_TIME) {
        snprintf(buf, cap, "%.4g", v);
    } else { /* times span ns (decode) to ms (long prefill): a unit that keeps 4 digits */
        static const char *const unit[] = {"ns", "us", "ms", "s"};
        int u = 0;
        while (u < 3 && fabs(v) >= 1000) {
            v /= 1000;
            u++;
        }
        snprintf(buf, cap, "%.4g %s", v, unit[u]);
    }
}

static int bad(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "posenc compare: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'posenc compare --help')\n");
    va_end(ap);
    return POSENC_EXIT_USAGE;
}

/* A whole decimal number, finite, nothing after it. */
static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int compare_parse_args(int argc, char **argv, compare_options *opt)
{
    *opt = (compare_options){.metric = METRIC_TIME, .reference = REF_MEMPASS,
                             .threshold = NAN, .alpha = COMPARE_DEFAULT_ALPHA};
    const char *files[2];
    int n_files = 0, options_done = 0;
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        if (options_done || arg[0] != '-' || !arg[1]) {
            if (n_files == 2)
                return bad("one BASE and one NEW run, but '%s' is a third", arg);
            files[n_files++] = arg;
            continue;
        }
        if (!strcmp(arg, "--")) {
            options_done = 1;
            continue;
        }
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            opt->help = 1;
            return 0;
        }
        if (!strcmp(arg, "--dispatched-only")) {
            opt->dispatched_only = 1;
            continue;
        }
        if (!strcmp(arg, "--allow-mismatch")) {
            opt->allow_mismatch = 1;
            continue;
        }
        /* the options with a value: --name VALUE or --name=VALUE */
        static const char *const valued[] = {"--metric", "--relative-to", "--threshold",
                                             "--alpha", "--filter", "--out"};
        const char *name = NULL, *value = NULL;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
            size_t n = strlen(valued[k]);
            if (!strncmp(arg, valued[k], n) && (arg[n] == '\0' || arg[n] == '=')) {
                name = valued[k];
                if (arg[n] == '=')
                    value = arg + n + 1;
                else if (a + 1 < argc)
                    value = argv[++a];
                else
                    return bad("%s needs a value", name);
                break;
            }
        }
        if (!name)
            return bad("unknown option '%s'", arg);
        if (!strcmp(name, "--metric")) {
            if (!strcmp(value, "time"))
                opt->metric = METRIC_TIME;
            else if (!strcmp(value, "relative"))
                opt->metric = METRIC_RELATIVE;
            else if (!strcmp(value, "instructions"))
                opt->metric = METRIC_INSTRUCTIONS;
            else
                return bad("--metric '%s': use time, relative or instructions", value);
        } else if (!strcmp(name, "--relative-to")) {
            if (!strcmp(value, "mempass"))
                opt->reference = REF_MEMPASS;
            else if (!strcmp(value, "scalar"))
                opt->reference = REF_SCALAR;
            else
                return bad("--relative-to '%s': use mempass or scalar", value);
        } else if (!strcmp(name, "--threshold")) {
            if (parse_double(value, &opt->threshold) || opt->threshold < 0)
                return bad("--threshold '%s': a number >= 0, such as 0.1 for 10%%", value);
        } else if (!strcmp(name, "--alpha")) {
            if (parse_double(value, &opt->alpha) || !(opt->alpha > 0 && opt->alpha < 1))
                return bad("--alpha '%s': a number between 0 and 1, such as 0.01", value);
        } else if (!strcmp(name, "--filter")) {
            regex_t re;
            int rc = regcomp(&re, value, REG_EXTENDED | REG_NOSUB);
            if (rc) {
                char msg[128];
                regerror(rc, &re, msg, sizeof msg);
                return bad("--filter '%s': %s", value, msg);
            }
            regfree(&re);
            opt->filter = value;
        } else { /* --out */
            if (!*value)
                return bad("--out needs a directory");
            opt->out_dir = value;
        }
    }
    if (n_files < 2)
        return bad("%s missing: posenc compare [options] BASE NEW",
                   n_files ? "the NEW run is" : "the BASE and NEW runs are");
    opt->base_arg = files[0];
    opt->new_arg = files[1];
    if (isnan(opt->threshold))
        opt->threshold = opt->metric == METRIC_INSTRUCTIONS
                             ? COMPARE_DEFAULT_THRESHOLD_INSTRUCTIONS
                             : COMPARE_DEFAULT_THRESHOLD;
    return 0;
}
