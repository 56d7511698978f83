// cmd_bench.cc - `posenc bench`: times every implementation this CPU runs over the shapes of a
// suite with Google Benchmark, runs the oracle sweep of each, and writes the run folder:
// gbench.json (Google Benchmark's own), run.json, results.csv, summary.md and report.html.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <regex.h>
#include <unistd.h>

#include "callgrind_child.h"
#include "cases.h"
#include "display_reporter.h"
#include "instructions.h"
#include "progress.h"
#include "record.h"
#include "run_folder.h"
#include "runner.h"
#include "build_info.h"
#include "strf.h"
#include "targets.h"

extern "C" {
#include "analyze_config.h"
#include "commands.h"
#include "exit_codes.h"
#include "harness_util.h"
#include "machine.h"
#include "run_record.h"
#include "sweep.h"
#include "write_csv.h"
#include "write_html.h"
#include "write_json.h"
#include "write_md.h"
#include "write_analysis_json.h"
}

using namespace posenc_bench;

namespace {


struct Options {
    std::string suite = "models";
    bool quick = false;
    bool accuracy = true;
    bool analyze = true;     // --no-analyze: no analysis.json
    bool list_only = false;  // --benchmark_list_tests[=true]: list the names, write nothing
    std::string encodings;   // comma-separated kinds, "" for all
    std::string dtypes;      // comma-separated element types (posenc_dtype_name), "" for all
    std::string variants;    // comma-separated variant names (Case::variant), "" for all
    std::string models;      // --models FILE; "" the embedded copy
    std::string impl_regex;  // on implementation names
    std::string shape_regex; // on case groups ("rotary_apply/llama-3-8b/T=512")
    std::string out_dir;     // the run folder; "" makes one under results_dir
    std::string results_dir = "results";
    std::vector<std::string> gbench;  // passed on to Google Benchmark
    std::string instructions;  // --instructions: "auto", "perf", "callgrind"; "" not counted
    std::string count_child;   // hidden: the counting-only run under callgrind_child.h
    std::vector<int> threads = {1};  // --threads: thread counts, ascending, no repeats
};

void usage(FILE *f)
{
    fprintf(f,
            "usage: posenc bench [options] [--benchmark_* flags of Google Benchmark]\n"
            "  Times every implementation this CPU runs over real model shapes, each beside a\n"
            "  plain memory pass over the same bytes, sweeps its accuracy against the MPFR\n"
            "  oracle, and writes a run folder: gbench.json, run.json, results.csv, summary.md,\n"
            "  report.html (results/README.md describes them).\n"
            "options:\n"
            "  --quick             fewer shapes, 3 repetitions of >= 0.02 s, the quick sweep\n"
            "                      (default: 5 repetitions of >= 0.05 s)\n"
            "  --suite NAME        models (default): sinusoidal, learned, rotary and alibi\n"
            "                      shapes of real models, with the variants below; targets: the\n"
            "                      speed-target shapes and their PASS/MISS table\n"
            "                      (speed-targets.txt)\n"
            "  --encoding LIST     only these encodings: sinusoidal,learned,rotary,alibi\n"
            "  --dtype LIST        only cases on these element types: f32,bf16,f16\n"
            "  --variant LIST      only cases of these variants: rope (plain RoPE), linear, ntk,\n"
            "                      dynamic, yarn, llama3, longrope-short, longrope-long, mrope,\n"
            "                      alibi-causal, alibi-full, alibi-key-only\n"
            "  --impl REGEX        only implementations whose name matches (POSIX ERE)\n"
            "  --shape REGEX       only cases whose name matches, e.g. 'llama-3|T=512'\n"
            "  --filter REGEX      the same as --benchmark_filter=REGEX (on full names)\n"
            "  --models FILE       the model settings the variant cases are made from (default:\n"
            "                      harness/bench/models/rope-models.json, embedded at build\n"
            "                      time)\n"
            "  --threads LIST      thread counts, e.g. 1,2 (default 1): on N > 1 threads each\n"
            "                      case's tokens (alibi: query rows) are split over N threads\n"
            "                      with one plan, thread i taking [i T/N, (i+1) T/N), timed in\n"
            "                      wall-clock time beside its memory pass on N threads (each\n"
            "                      thread its slice), as <group>/threads=N/impl=<impl> and\n"
            "                      <pass>/bytes=N/threads=N; cases of fewer tokens than N\n"
            "                      (decode) and plan cases are skipped with the reason. The\n"
            "                      reports add the scaling: throughput against 1 thread\n"
            "  --no-accuracy       skip the oracle sweeps (accuracy fields are null)\n"
            "  --no-analyze        skip the short analysis of what the encodings do to\n"
            "                      attention (`posenc analyze --quick`; analysis.json and\n"
            "                      its sections of summary.md and report.html)\n"
            "  --instructions[=HOW]\n"
            "                      also count the instructions one call of each kernel\n"
            "                      retires, HOW: auto (the CPU's counter, else valgrind's\n"
            "                      callgrind; the default), perf, callgrind\n"
            "  --out DIR           write the run into DIR (created; default: a new folder\n"
            "                      RESULTS/<UTC>-<host>-<cpu>-<git7>)\n"
            "  --results DIR       where run folders go (default: results)\n"
            "Variant cases (models suite; settings from the models file), each run by every\n"
            "implementation of its kind, and beside plain RoPE of the same model on the same\n"
            "shape (<shape>-rope):\n"
            "  Llama-3.1-8B (llama3 x8): decode@100000, T=4096@120000 (quick: T=512@120000)\n"
            "  Qwen2.5-7B-YaRN (yarn x4): decode@120000\n"
            "  DeepSeek-V2-Lite (yarn x40, mscale): decode@100000, T=4096 (quick: T=512)\n"
            "  Phi-3-128k (longrope): short factors T=4096 (quick: T=512), long decode@100000\n"
            "  Llama-2-7B-dynamic-NTK (dynamic x2): decode@8191 with seq_len 8192, and\n"
            "    rotary_plan/.../seq=8192: posenc_plan_create + destroy of that plan\n"
            "  Qwen2-VL-7B (M-RoPE 16/24/24): T=816, 16 text + 28x28 image + 16 text tokens\n"
            "  BLOOM-7B1 (alibi key-only), MPT-7B (alibi causal): T=512 and T=2048, scores of\n"
            "    32 heads x T x T, beside Q.K^T of those shapes\n"
            "16-bit data: the rotary cases of Llama-3-8B, Qwen2-7B and Llama-3.1-8B (not the\n"
            "  -rope twins; quick: the prefill of 512 and the first decode), the sinusoidal\n"
            "  applies of 512 and 4096 positions (quick: Transformer-base's of 512) and the\n"
            "  learned applies (quick: BERT-base, GPT-2) also run on bfloat16 and float16 data,\n"
            "  as <group>/bf16 and <group>/f16, each beside a memory pass over elements of\n"
            "  its type.\n"
            "Names: <family>/<model>/<shape>/impl=<implementation>, e.g.\n"
            "  rotary_apply/llama-3-8b/T=512/impl=rotary/avx2, alibi_apply/mpt-7b/T=512/\n"
            "  impl=alibi/avx2, rotary_plan/llama-2-7b-dynamic-ntk/seq=8192/impl=rotary/scalar;\n"
            "  rotary_apply/llama-3-8b/T=512/bf16/impl=rotary/avx2; references\n"
            "  mempass_rw/bytes=N, mempass_w/bytes=N, (learned) mempass_rw_r32/bytes=N, on\n"
            "  16-bit data mempass_rw_bf16/bytes=N, ... (f16 likewise), each also as _vec,\n"
            "  _nt (and writes _memset): the fastest is the case's reference,\n"
            "  attention_qk/<model>/<shape>/sgemm.\n"
            "Progress: every 10 s a line on stderr with the repetitions done of the run's\n"
            "  total, the time left at the pace so far and the benchmark running\n"
            "  (POSENC_BENCH_PROGRESS_S=N sets the interval; 0 prints every repetition).\n"
            "exit: 0 done, 4 an accuracy bound exceeded, 1 an error (a kernel failed, a file\n"
            "      could not be written, the models file unreadable, the instruction counting\n"
            "      failed), 2 usage.\n");
}

// "--name=value" or "--name value"; advances *i over the value.
bool take(int argc, char **argv, int *i, const char *name, std::string *value)
{
    const size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n))
        return false;
    if (a[n] == '=') {
        *value = a + n + 1;
        return true;
    }
    if (a[n] == '\0') {
        if (*i + 1 >= argc) {
            fprintf(stderr, "posenc bench: %s needs a value\n", name);
            exit(POSENC_EXIT_USAGE);
        }
        *value = argv[++*i];
        return true;
    }
    return false;
}

bool valid_regex(const std::string &re, const char *what)
{
    regex_t r;
    if (regcomp(&r, re.c_str(), REG_EXTENDED | REG_NOSUB) != 0) {
        fprintf(stderr, "posenc bench: %s: not a valid regular expression: %s\n", what,
                re.c_str());
        return false;
    }
    regfree(&r);
    return true;
}

// Each comma-separated entry of list is one of known; otherwise a message naming the first that
// is not, with `what` it should be and the hint.
bool valid_list(const std::string &list, std::initializer_list<const char *> known,
                const char *what, const char *hint)
{
    const std::string s = list + ",";
    for (size_t p = 0, q; (q = s.find(',', p)) != std::string::npos; p = q + 1) {
        const std::string e = s.substr(p, q - p);
        bool ok = false;
        for (const char *k : known)
            ok |= e == k;
        if (!ok) {
            fprintf(stderr, "posenc bench: unknown %s '%s' %s\n", what, e.c_str(), hint);
            return false;
        }
    }
    return true;
}

// "1,2,4": thread counts from 1 to 256, kept ascending without repeats.
bool parse_threads(const std::string &list, std::vector<int> *out)
{
    std::vector<int> t;
    const std::string s = list + ",";
    for (size_t p = 0, q; (q = s.find(',', p)) != std::string::npos; p = q + 1) {
        const std::string e = s.substr(p, q - p);
        char *end = nullptr;
        errno = 0;
        const long n = e.empty() ? 0 : strtol(e.c_str(), &end, 10);
        if (e.empty() || *end || errno || n < 1 || n > 256) {
            fprintf(stderr, "posenc bench: --threads: '%s' is not a thread count from 1 to 256\n",
                    e.c_str());
            return false;
        }
        t.push_back((int)n);
    }
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    *out = t;
    return true;
}

// The --benchmark_repetitions Google Benchmark runs with: the last one given wins, as in its
// flag parsing.
int repetitions_of(const std::vector<std::string> &args)
{
    int n = 1;
    const std::string flag = "--benchmark_repetitions=";
    for (const std::string &a : args)
        if (!a.compare(0, flag.size(), flag))
            n = atoi(a.c_str() + flag.size());
    return n;
}

int parse(int argc, char **argv, Options *o)
{
    for (int i = 1; i < argc; i++) {
        std::string v;
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(POSENC_EXIT_OK);
        } else if (!strcmp(a, "--quick")) {
            o->quick = true;
        } else if (!strcmp(a, "--no-accuracy")) {
            o->accuracy = false;
        } else if (!strcmp(a, "--no-analyze")) {
            o->analyze = false;
        } else if (!strcmp(a, "--instructions")) {
            o->instructions = "auto";
        } else if (!strncmp(a, "--instructions=", 15)) {
            o->instructions = a + 15;
            if (!instructions_method_valid(o->instructions)) {
                fprintf(stderr, "posenc bench: --instructions=%s: not auto, perf or callgrind\n",
                        o->instructions.c_str());
                return POSENC_EXIT_USAGE;
            }
        } else if (take(argc, argv, &i, "--threads", &v)) {
            if (!parse_threads(v, &o->threads))
                return POSENC_EXIT_USAGE;
        } else if (take(argc, argv, &i, "--count-child", &o->count_child)) {
        } else if (take(argc, argv, &i, "--suite", &o->suite)) {
            if (o->suite != "models" && o->suite != "targets") {
                fprintf(stderr, "posenc bench: unknown suite '%s' (models, targets)\n",
                        o->suite.c_str());
                return POSENC_EXIT_USAGE;
            }
        } else if (take(argc, argv, &i, "--encoding", &o->encodings)) {
            if (!valid_list(o->encodings, {"sinusoidal", "learned", "rotary", "alibi"},
                            "encoding", "(sinusoidal, learned, rotary, alibi)"))
                return POSENC_EXIT_USAGE;
        } else if (take(argc, argv, &i, "--dtype", &o->dtypes)) {
            if (!valid_list(o->dtypes, {"f32", "bf16", "f16"}, "element type",
                            "(f32, bf16, f16)"))
                return POSENC_EXIT_USAGE;
        } else if (take(argc, argv, &i, "--variant", &o->variants)) {
            if (!valid_list(o->variants,
                            {"rope", "linear", "ntk", "dynamic", "yarn", "llama3",
                             "longrope-short", "longrope-long", "mrope", "mrope-interleaved",
                             "alibi-causal", "alibi-full", "alibi-key-only"},
                            "variant", "(see --help)"))
                return POSENC_EXIT_USAGE;
        } else if (take(argc, argv, &i, "--models", &o->models)) {
        } else if (take(argc, argv, &i, "--impl", &o->impl_regex)) {
            if (!valid_regex(o->impl_regex, "--impl"))
                return POSENC_EXIT_USAGE;
        } else if (take(argc, argv, &i, "--shape", &o->shape_regex)) {
            if (!valid_regex(o->shape_regex, "--shape"))
                return POSENC_EXIT_USAGE;
        } else if (take(argc, argv, &i, "--filter", &v)) {
            o->gbench.push_back("--benchmark_filter=" + v);
        } else if (take(argc, argv, &i, "--out", &o->out_dir)) {
        } else if (take(argc, argv, &i, "--results", &o->results_dir)) {
        } else if (!strncmp(a, "--benchmark_", 12)) {
            if (!strncmp(a, "--benchmark_out=", 16) || !strncmp(a, "--benchmark_out_format=", 23)) {
                fprintf(stderr, "posenc bench: %s: the run folder's gbench.json is written "
                                "always; use --out DIR\n", a);
                return POSENC_EXIT_USAGE;
            }
            o->gbench.push_back(a);
            // Google Benchmark's listing runs nothing: no run folder for it (the last value
            // given wins, as in Google Benchmark)
            if (!strncmp(a, "--benchmark_list_tests", 22))
                o->list_only = !strcmp(a + 22, "") || !strcmp(a + 22, "=true") ||
                               !strcmp(a + 22, "=1") || !strcmp(a + 22, "=yes");
        } else {
            fprintf(stderr, "posenc bench: unknown option '%s' (try --help)\n", a);
            return POSENC_EXIT_USAGE;
        }
    }
    return POSENC_EXIT_OK;
}

// ---- facts about the run's surroundings -------------------------------------------------------

// ---- the run record ---------------------------------------------------------------------------

// Sweeps every implementation that was timed (or skipped only by the filter): on float32 data
// exact mode, and for computed encodings the recipe modes fp32, bf16 and fp16 too (alibi fp32
// only, learned none); on each 16-bit type the run's cases use (--dtype), exact mode, whose
// bound the 16-bit records carry. One progress line each.
std::vector<run_accuracy> sweep_all(const Options &o, const Registered &reg)
{
    std::vector<const posenc_impl *> impls;
    for (const KernelBench &kb : reg.kernels)
        if (std::find(impls.begin(), impls.end(), kb.impl) == impls.end())
            impls.push_back(kb.impl);
    std::vector<posenc_dtype> types16;
    for (posenc_dtype t : accuracy_dtypes)
        if (t != POSENC_DTYPE_F32 &&
            (o.dtypes.empty() ||
             ("," + o.dtypes + ",").find(std::string(",") + posenc_dtype_name(t) + ",") !=
                 std::string::npos))
            types16.push_back(t);
    std::vector<run_accuracy> out;
    accuracy_options opt = {};
    opt.level = o.quick ? ACCURACY_QUICK : ACCURACY_FULL;
    opt.name = "posenc bench";
    size_t total = 0, done = 0;
    for (const posenc_impl *impl : impls)
        total += (impl->kind == POSENC_LEARNED ? 1 : impl->kind == POSENC_ALIBI ? 2
                                                                              : ACCURACY_N_MODES) +
                 types16.size();
    auto sweep_one = [&](const posenc_impl *impl, posenc_angle_mode mode, posenc_dtype t) {
        const double t0 = harness_now_s();
        run_accuracy a;
        memset(&a, 0, sizeof a);
        int rc = accuracy_sweep_dtype(impl, mode, t, &opt, &a);
        done++;
        fprintf(stderr, "[accuracy %zu/%zu] %-26s %-5s %-4s ", done, total, impl->name,
                accuracy_mode_name(mode), posenc_dtype_name(t));
        if (rc == ACCURACY_OK) {
            fprintf(stderr, "max %.3g u%s (%.1f s)\n", a.max_err_u,
                    a.within_bound == 0 ? "  OVER ITS BOUND" : "", harness_now_s() - t0);
            out.push_back(a);
        } else {
            fprintf(stderr, "not swept\n");
        }
    };
    for (const posenc_impl *impl : impls) {
        for (posenc_angle_mode mode : accuracy_modes) {
            if (impl->kind == POSENC_LEARNED && mode != POSENC_ANGLE_EXACT)
                continue;
            if (impl->kind == POSENC_ALIBI && mode != POSENC_ANGLE_EXACT &&
                mode != POSENC_ANGLE_FP32)
                continue; /* no angle: alibi plans refuse bf16 and fp16 */
            sweep_one(impl, mode, POSENC_DTYPE_F32);
        }
        for (posenc_dtype t : types16) /* a design's in fp32 angles, its only mode */
            sweep_one(impl, impl->flags & POSENC_IMPL_DESIGN ? POSENC_ANGLE_FP32
                                                             : POSENC_ANGLE_EXACT, t);
    }
    accuracy_cache_free();
    return out;
}

// Sweeps each model's variants among the selected cases of the models file (one record per
// model, variant and angle mode) with the implementation dispatch picks for the kind: what a
// user of that model gets. Variants the oracle cannot express are left out with a message.
std::vector<run_variant_accuracy> sweep_variants(const Options &o)
{
    std::vector<run_variant_accuracy> out;
    std::vector<std::pair<std::string, std::string>> seen;
    accuracy_options opt = {};
    opt.level = o.quick ? ACCURACY_QUICK : ACCURACY_FULL;
    opt.name = "posenc bench";
    for (const Case &c : cases()) {
        if (!c.selected || c.model_key.empty() || c.op == Op::kPlan)
            continue;
        const std::pair<std::string, std::string> key(c.model, c.variant());
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            continue;
        seen.push_back(key);
        const posenc_impl *impl = posenc_impl_best(c.params.kind);
        if (!impl)
            continue;
        for (posenc_angle_mode mode : accuracy_modes) {
            if (c.params.kind == POSENC_ALIBI && mode != POSENC_ANGLE_EXACT &&
                mode != POSENC_ANGLE_FP32)
                continue; /* no angle: alibi plans refuse bf16 and fp16 */
            const double t0 = harness_now_s();
            run_variant_accuracy v;
            memset(&v, 0, sizeof v);
            copy(v.model, sizeof v.model, c.model);
            copy(v.variant, sizeof v.variant, key.second);
            copy(v.model_key, sizeof v.model_key, c.model_key);
            int rc = accuracy_sweep_variant(impl, &c.params, mode, &opt, &v.acc,
                                            &v.attention_factor);
            fprintf(stderr, "[variant accuracy] %-24s %-16s %-16s %-5s ", c.model.c_str(),
                    key.second.c_str(), impl->name, accuracy_mode_name(mode));
            if (rc == ACCURACY_OK) {
                fprintf(stderr, "max %.3g u%s (%.1f s)\n", v.acc.max_err_u,
                        v.acc.within_bound == 0 ? "  OVER ITS BOUND" : "", harness_now_s() - t0);
                out.push_back(v);
            } else {
                fprintf(stderr, "not swept\n");
            }
        }
    }
    accuracy_cache_free();
    return out;
}

// The instructions of one call are those of its single-thread case: the cases on N > 1 threads
// are not counted again and say so.
int count_on_one_thread(const std::string &method, std::vector<run_case> &rcases,
                        const std::string &dir, int argc, char **argv)
{
    std::vector<run_case> one;
    for (const run_case &c : rcases)
        if (c.threads <= 1)
            one.push_back(c);
    const int rc = count_instructions(method, one, dir, argc, argv);
    size_t k = 0;
    for (run_case &c : rcases) {
        if (c.threads <= 1)
            c = one[k++];
        else
            copy(c.instructions_note, sizeof c.instructions_note,
                 strf("not counted on %d threads: the one-thread case counts the call",
                      c.threads));
    }
    return rc;
}

// `posenc analyze --quick` into the run folder: analysis.json, and the record the report's
// analysis sections are written from. Returns false after a message when it could not run.
bool quick_analysis(const Options &o, const run_record &r, const std::string &dir,
                    analysis_record *rec)
{
    model_settings settings;
    char why[512];
    if (model_settings_load(o.models.empty() ? nullptr : o.models.c_str(), &settings, why,
                            sizeof why) != 0) {
        fprintf(stderr, "posenc bench: analysis: models file: %s\n", why);
        return false;
    }
    analyze_request req = {};
    req.level = ANALYZE_QUICK;
    req.progress = 1;
    analyze_config cfg;
    if (analyze_config_build(&req, &settings, &cfg, why, sizeof why) != 0) {
        fprintf(stderr, "posenc bench: analysis: %s\n", why);
        model_settings_free(&settings);
        return false;
    }
    copy(rec->command, sizeof rec->command, r.command);
    copy(rec->started_utc, sizeof rec->started_utc, r.started_utc);
    copy(rec->kind, sizeof rec->kind, r.kind);
    copy(rec->git_revision, sizeof rec->git_revision, r.git_revision);
    analyze_record_versions(rec);
    bool ok = analyze_run(&cfg, ANALYZE_ALL, rec) == 0;
    ok &= analysis_write_json(rec, (dir + "/analysis.json").c_str()) == 0;
    analyze_config_free(&cfg);
    model_settings_free(&settings);
    return ok;
}

int write_reports(const run_record &r, const std::string &dir)
{
    int bad = 0;
    bad |= report_write_json(&r, (dir + "/run.json").c_str()) != 0;
    bad |= report_write_csv(&r, (dir + "/results.csv").c_str()) != 0;
    bad |= report_write_md(&r, (dir + "/summary.md").c_str()) != 0;
    bad |= report_write_html(&r, (dir + "/report.html").c_str()) != 0;
    return bad;
}

}  // namespace

extern "C" int cmd_bench(int argc, char **argv)
{
    harness_set_name("posenc bench");
    Options o;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;

    // The run folder and its facts, before anything is timed.
    run_record r;
    memset(&r, 0, sizeof r);
    const time_t now = time(nullptr);
    struct tm utc;
    gmtime_r(&now, &utc);
    char stamp[32], iso[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
    std::string rev;
    git_state(&rev, &r.git_dirty);
    copy(r.git_revision, sizeof r.git_revision, rev);
    char model[256], host[256] = "host";
    machine_cpu_model(model, sizeof model);
    gethostname(host, sizeof host - 1);
    std::string host_slug = slug_of(host, 24);
    copy(r.host, sizeof r.host, host);
    std::string dir = o.out_dir;
    if (dir.empty())
        dir = o.results_dir + "/" + stamp + "-" + (host_slug.empty() ? "host" : host_slug) + "-" +
              cpu_slug(model) + "-" + (rev == "unknown" ? "0000000" : rev.substr(0, 7));
    if (!o.list_only && !make_dirs(dir))
        return POSENC_EXIT_ERROR;
    const char *slash = strrchr(dir.c_str(), '/');
    copy(r.id, sizeof r.id, slash && slash[1] ? slash + 1 : dir);
    copy(r.started_utc, sizeof r.started_utc, iso);
    std::string cmdline = "posenc";
    for (int i = 0; i < argc; i++)
        cmdline += std::string(" ") + argv[i];
    copy(r.command, sizeof r.command, cmdline);
    r.quick = o.quick;
    copy(r.suite, sizeof r.suite, o.suite);
    r.angle_mode = RUN_ANGLE_EXACT;
    r.threads = o.threads.back();

    // Google Benchmark: our defaults first, then the caller's flags (the last value given wins),
    // then the run folder's gbench.json.
    std::vector<std::string> args = {"posenc bench", "--benchmark_enable_random_interleaving=true",
                                     "--benchmark_display_aggregates_only=true"};
    if (o.quick) {
        args.push_back("--benchmark_repetitions=3");
        args.push_back("--benchmark_min_time=0.02");
    } else {
        args.push_back("--benchmark_repetitions=5");
        args.push_back("--benchmark_min_time=0.05");
    }
    args.insert(args.end(), o.gbench.begin(), o.gbench.end());
    if (!o.list_only) {
        args.push_back("--benchmark_out=" + dir + "/gbench.json");
        args.push_back("--benchmark_out_format=json");
    }
    std::vector<char *> cargv;
    for (std::string &a : args)
        cargv.push_back(&a[0]);
    cargv.push_back(nullptr);
    int cargc = (int)args.size();
    benchmark::Initialize(&cargc, cargv.data());
    if (benchmark::ReportUnrecognizedArguments(cargc, cargv.data()))
        return POSENC_EXIT_USAGE;

    TargetCases targets = {};
    if (o.suite == "targets") {
        targets = define_target_cases();
    } else {
        std::string why;
        if (!define_model_cases(o.quick, o.models, &why)) {
            fprintf(stderr, "posenc bench: model settings: %s\n", why.c_str());
            return POSENC_EXIT_ERROR;
        }
    }
    regex_t shape_re;
    const bool by_shape = !o.shape_regex.empty();
    if (by_shape)
        regcomp(&shape_re, o.shape_regex.c_str(), REG_EXTENDED | REG_NOSUB);
    for (Case &c : cases()) {
        const std::string kind = posenc_kind_name(c.params.kind);
        if (!o.encodings.empty() && ("," + o.encodings + ",").find("," + kind + ",") ==
                                        std::string::npos)
            c.selected = false;
        if (!o.dtypes.empty() && ("," + o.dtypes + ",").find(std::string(",") + c.dtype_name() +
                                                            ",") == std::string::npos)
            c.selected = false;
        if (by_shape && regexec(&shape_re, c.group().c_str(), 0, nullptr, 0) != 0)
            c.selected = false;
        if (!o.variants.empty() &&
            ("," + o.variants + ",").find("," + c.variant() + ",") == std::string::npos)
            c.selected = false;
    }
    if (by_shape)
        regfree(&shape_re);
    if (!o.count_child.empty())
        return count_child_main(o.count_child);

    Registered reg;
    register_all(o.impl_regex, o.threads, reg);
    if (reg.kernels.empty()) {
        fprintf(stderr, "posenc bench: no implementation and case match the filters\n");
        return POSENC_EXIT_USAGE;
    }
    widen_filter_to_references(reg);
    add_context(reg, o.threads);
    benchmark::AddCustomContext("library_compiler", POSENC_COMPILER);
    benchmark::AddCustomContext("library_flags", POSENC_C_FLAGS);
    benchmark::AddCustomContext("target_arch", POSENC_TARGET_ARCH);
    benchmark::AddCustomContext("git_revision", rev);
    benchmark::AddCustomContext("suite", o.suite);
    std::map<std::string, std::string> why;  // one line per implementation, not per case
    std::map<std::string, std::string> unsplit;  // one line per case not split
    for (const Skip &s : reg.skipped)
        if (s.unsplit)
            unsplit.emplace(s.c->group() + strf(" on %d threads", s.threads), s.reason);
        else
            why.emplace(s.impl->name, s.reason);
    for (const auto &w : why)
        fprintf(stderr, "skipped: %s: %s\n", w.first.c_str(), w.second.c_str());
    for (const auto &w : unsplit)
        fprintf(stderr, "skipped: %s: %s\n", w.first.c_str(), w.second.c_str());
    if (o.list_only) {
        benchmark::RunSpecifiedBenchmarks();  // prints the names and runs nothing
        benchmark::Shutdown();
        return POSENC_EXIT_OK;
    }
    fprintf(stderr, "posenc bench: %zu kernel benchmarks, suite %s%s; writing %s\n",
            reg.kernels.size(), o.suite.c_str(), o.quick ? " (quick)" : "", dir.c_str());

    std::unique_ptr<benchmark::BenchmarkReporter> display = make_display_reporter();
    Collector col;
    progress_start(reg.benchmark_names, benchmark::GetBenchmarkFilter(), repetitions_of(args));
    benchmark::RunSpecifiedBenchmarks(display.get(), &col);
    progress_finish();
    benchmark::Shutdown();

    std::vector<run_case> rcases = collect_cases(col, reg);
    const int count_failed =
        o.instructions.empty() ? 0 : count_on_one_thread(o.instructions, rcases, dir, argc, argv);
    std::vector<run_accuracy> accs;
    std::vector<run_variant_accuracy> vaccs;
    if (o.accuracy) {
        accs = sweep_all(o, reg);
        vaccs = sweep_variants(o);
    }
    run_record found = {};
    found.n_accuracy = accs.size();
    found.accuracy = accs.data();
    for (run_case &c : rcases) /* the exact-mode record of the case's implementation and type
                                  (a design's: fp32, its only mode) */
        c.accuracy = run_find_accuracy(
            &found, c.implementation,
            run_impl_is_design(c.implementation) ? RUN_ANGLE_FP32 : RUN_ANGLE_EXACT, c.dtype);
    fill_machine(&r, col);
    r.n_cases = rcases.size();
    r.cases = rcases.data();
    r.n_accuracy = accs.size();
    r.accuracy = accs.data();
    r.n_variant_accuracy = vaccs.size();
    r.variant_accuracy = vaccs.data();

    analysis_record arec;
    analysis_record_init(&arec);
    bool analysis_failed = o.analyze && !quick_analysis(o, r, dir, &arec);
    if (o.analyze && !analysis_failed)
        r.analysis = &arec; /* the analysis sections of summary.md and report.html */

    int bad = write_reports(r, dir) | analysis_failed;
    if (o.suite == "targets") {
        int misses = 0;
        std::string table = targets_summary(col, reg, targets, &misses);
        FILE *f = fopen((dir + "/speed-targets.txt").c_str(), "w");
        if (!f || fputs(table.c_str(), f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "posenc bench: cannot write %s/speed-targets.txt\n", dir.c_str());
            bad = 1;
        }
        printf("\n%s", table.c_str());
    }
    printf("\n");
    report_md_to(&r, stdout);
    r.analysis = nullptr;
    analysis_record_free(&arec);  // after the last writer that reads it through r.analysis
    release_plans();

    bool over = false;
    for (const run_accuracy &a : accs)
        over |= a.within_bound == 0;
    for (const run_variant_accuracy &v : vaccs)
        over |= v.acc.within_bound == 0;
    printf("\nrun folder: %s\nreport: %s/report.html\n", dir.c_str(), dir.c_str());
    if (!col.errors.empty() || bad || count_failed)
        return POSENC_EXIT_ERROR;
    return over ? POSENC_EXIT_ACCURACY : POSENC_EXIT_OK;
}
