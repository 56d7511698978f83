/* cmd_analyze.c - `posenc analyze`: what each encoding does to attention (analysis.h), measured
 * on the numbers every implementation produces, written to a run folder as analysis.json,
 * summary.md and report.html. */
#define _POSIX_C_SOURCE 200809L /* gethostname, gmtime_r */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis_view.h"
#include "analyze_config.h"
#include "commands.h"
#include "exit_codes.h"
#include "harness_util.h"
#include "machine.h"
#include "source_tree.h"
#include "write_analysis_json.h"

#ifndef POSENC_SOURCE_DIR
#define POSENC_SOURCE_DIR "."
#endif
#ifndef POSENC_TARGET_ARCH
#define POSENC_TARGET_ARCH "unknown"
#endif


static void usage(FILE *f)
{
    fprintf(f,
            "usage: posenc analyze [options]\n"
            "\n"
            "What each encoding does to attention, measured on the numbers every implementation\n"
            "produces (OpenBLAS for the score matrices, the MPFR oracle for the references):\n"
            "  invariance  max and mean |S(offset) - S_exact| of the scores q.k/sqrt(d) of a\n"
            "              window of positions moved by offsets up to 2^31, per implementation,\n"
            "              angle mode, element type and variant; sinusoidal PE.PE^T\n"
            "  decay       RoFormer's relative upper bound and the mean score of random vectors\n"
            "              against distance up to 10^6 per base and scaling variant; ALiBi's\n"
            "              softmax weight exp(-m d) on the same axis\n"
            "  resolution  wavelengths longer than the context; positions whose encoded rows\n"
            "              are bit-identical to an earlier position's in each element type\n"
            "\n"
            "options:\n"
            "  --quick              the quick level (what 'posenc bench' runs): Llama-3-8B,\n"
            "                       Transformer-base and MPT-7B, the implementations dispatch\n"
            "                       picks, exact and fp32 angles, f32 and bf16 data\n"
            "  --sections LIST      invariance,decay,resolution (default: all)\n"
            "  --model KEYS         models of the models file (default: every rotary,\n"
            "                       sinusoidal and alibi entry; decay and resolution add the\n"
            "                       static-NTK form of a dynamic-NTK one)\n"
            "  --encoding LIST      models of these encodings: rotary,sinusoidal,alibi\n"
            "  --variant LIST       models of these variants: none, linear, ntk, dynamic, yarn,\n"
            "                       llama3, longrope, mrope-sections, mrope-interleaved,\n"
            "                       sinusoidal, alibi\n"
            "  --models FILE        another models file (default: the embedded copy of\n"
            "                       harness/bench/models/rope-models.json)\n"
            "  --impl REGEX         implementations whose name matches (POSIX ERE; default: the\n"
            "                       best supported one of each family: polynomial, table, sleef\n"
            "                       and the two designs; members of a family give the same bits)\n"
            "  --modes LIST         angle modes: exact,fp32,bf16,fp16 (default: all)\n"
            "  --dtype LIST         element types: f32,bf16,f16 (default: all)\n"
            "  --window N           positions per side of a score matrix (default 512; quick 128)\n"
            "  --vectors N          random vectors of the decay curves (default 256; quick 64)\n"
            "  --collision-limit N  scan positions below min(context, N) for collisions\n"
            "                       (default 2^20; quick 8192)\n"
            "  --seed N             seed of the random q and k (default 20260101)\n"
            "  --results DIR        where the run folder is made (default: results)\n"
            "  --out DIR            the run folder itself\n"
            "  --no-progress        no progress lines on stderr\n"
            "  -h, --help           this text\n"
            "\n"
            "writes <results>/<UTC>-<host>-analyze/: analysis.json (results/README.md and\n"
            "results/analysis.schema.json describe it), summary.md and report.html.\n"
            "\n"
            "exit: 0 done, 1 a section or a file failed, 2 usage (an unknown option, model,\n"
            "      mode or type, a value out of range).\n");
}

/* A non-negative integer option value, or -1. */
static long long parse_count(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return (errno || end == s || *end || v < 0) ? -1 : v;
}

/* The record's facts about the run: command, time, machine kind, source revision, versions. */
static void record_context(analysis_record *r, int argc, char **argv, const char *iso)
{
    size_t used = (size_t)snprintf(r->command, sizeof r->command, "posenc");
    for (int i = 0; i < argc && used < sizeof r->command; i++)
        used += (size_t)snprintf(r->command + used, sizeof r->command - used, " %s", argv[i]);
    snprintf(r->started_utc, sizeof r->started_utc, "%s", iso);
    machine_cpu_id id;
    machine_cpu_identify(&id);
    machine_kind(POSENC_TARGET_ARCH, &id, posenc_cpu_features_detected(),
                 machine_is_emulated(), r->kind, sizeof r->kind);
    int dirty;
    source_git_state(POSENC_SOURCE_DIR, r->git_revision, sizeof r->git_revision, &dirty);
    analyze_record_versions(r);
}

int cmd_analyze(int argc, char **argv)
{
    harness_set_name("posenc analyze");
    analyze_request req;
    memset(&req, 0, sizeof req);
    req.level = ANALYZE_DEFAULT;
    req.progress = 1;
    const char *results = "results", *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        long long n;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return POSENC_EXIT_OK;
        } else if (!strcmp(a, "--quick")) {
            req.level = ANALYZE_QUICK;
            continue;
        } else if (!strcmp(a, "--no-progress")) {
            req.progress = 0;
            continue;
        }
        if (!v) {
            fprintf(stderr, "posenc analyze: unknown option or missing value: %s\n\n", a);
            usage(stderr);
            return POSENC_EXIT_USAGE;
        }
        i++;
        if (!strcmp(a, "--sections")) {
            char why[128];
            if (analyze_parse_sections(v, &req.sections, why, sizeof why) != 0) {
                fprintf(stderr, "posenc analyze: --sections %s: %s\n", v, why);
                return POSENC_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--model")) {
            req.models = v;
        } else if (!strcmp(a, "--encoding")) {
            req.encodings = v;
        } else if (!strcmp(a, "--variant")) {
            req.variants = v;
        } else if (!strcmp(a, "--models")) {
            req.models_path = v;
        } else if (!strcmp(a, "--impl")) {
            req.impl_regex = v;
        } else if (!strcmp(a, "--modes")) {
            req.modes = v;
        } else if (!strcmp(a, "--dtype")) {
            req.dtypes = v;
        } else if (!strcmp(a, "--window") || !strcmp(a, "--vectors") ||
                   !strcmp(a, "--collision-limit") || !strcmp(a, "--seed")) {
            if ((n = parse_count(v)) <= 0) {
                fprintf(stderr, "posenc analyze: %s %s: a positive integer\n", a, v);
                return POSENC_EXIT_USAGE;
            }
            if (!strcmp(a, "--seed"))
                req.seed = (uint64_t)n;
            else if (!strcmp(a, "--collision-limit"))
                req.collision_limit = n > (INT64_C(1) << 31) ? -1 : (int64_t)n;
            else if (!strcmp(a, "--window"))
                req.window = n > 65536 ? -1 : (int)n; /* refused with its range below */
            else
                req.vectors = n > 65536 ? -1 : (int)n;
        } else if (!strcmp(a, "--results")) {
            results = v;
        } else if (!strcmp(a, "--out")) {
            out = v;
        } else {
            fprintf(stderr, "posenc analyze: unknown option %s\n\n", a);
            usage(stderr);
            return POSENC_EXIT_USAGE;
        }
    }

    model_settings settings;
    char why[512];
    if (model_settings_load(req.models_path, &settings, why, sizeof why) != 0) {
        fprintf(stderr, "posenc analyze: models file: %s\n", why);
        return req.models_path ? POSENC_EXIT_USAGE : POSENC_EXIT_ERROR;
    }
    analyze_config cfg;
    if (analyze_config_build(&req, &settings, &cfg, why, sizeof why) != 0) {
        fprintf(stderr, "posenc analyze: %s\n", why);
        model_settings_free(&settings);
        return POSENC_EXIT_USAGE;
    }

    const time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    char stamp[32], iso[32], host[64] = "host", dir[1024];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
    gethostname(host, sizeof host - 1);
    for (char *p = host; *p; p++) /* a folder name: letters, digits and '-' */
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            *p = '-';
    if (out)
        snprintf(dir, sizeof dir, "%s", out);
    else
        snprintf(dir, sizeof dir, "%s/%s-%s-analyze", results, stamp, host);
    if (harness_make_dirs(dir) != 0) {
        analyze_config_free(&cfg);
        model_settings_free(&settings);
        return POSENC_EXIT_ERROR;
    }

    analysis_record rec;
    analysis_record_init(&rec);
    record_context(&rec, argc, argv, iso);
    if (req.progress)
        fprintf(stderr, "[analyze] %s level: %zu models, %zu implementations, %zu angle modes, "
                        "%zu element types, window %d, %zu offsets\n",
                analyze_level_name(cfg.level), cfg.n_models, cfg.n_impls, cfg.n_modes,
                cfg.n_dtypes, cfg.window, cfg.n_offsets);
    int bad = analyze_run(&cfg, req.sections, &rec) != 0;

    char path[1100];
    snprintf(path, sizeof path, "%s/analysis.json", dir);
    bad |= analysis_write_json(&rec, path) != 0;
    snprintf(path, sizeof path, "%s/summary.md", dir);
    bad |= analysis_write_md(&rec, path) != 0;
    snprintf(path, sizeof path, "%s/report.html", dir);
    bad |= analysis_write_html(&rec, path) != 0;
    if (req.progress) {
        fprintf(stderr, "[analyze] %.1f s", rec.seconds_total);
        const double secs[] = {rec.seconds_invariance, rec.seconds_decay,
                               rec.seconds_resolution};
        const char *names[] = {"invariance", "decay", "resolution"};
        for (int k = 0, n = 0; k < 3; k++) /* NaN: the section did not run */
            if (secs[k] == secs[k])
                fprintf(stderr, "%s%s %.1f s", n++ ? ", " : " (", names[k], secs[k]);
        fprintf(stderr, "%s; %s\n", rec.seconds_total == rec.seconds_total ? ")" : "", dir);
    }
    printf("%s\n", dir);
    analysis_record_free(&rec);
    analyze_config_free(&cfg);
    model_settings_free(&settings);
    return bad ? POSENC_EXIT_ERROR : POSENC_EXIT_OK;
}
