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
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <math.h> /* before sleef.h, whose FP_FAST_FMA would otherwise clash with glibc's */
#include <mpfr.h>
#include <regex.h>
#include <sleef.h>
#undef mpfr_version /* mpfr.h's macro; run_record has a field of that name */
#include <sys/stat.h>
#include <unistd.h>

#include "attention.h"
#include "cases.h"
#include "runner.h"
#include "strf.h"
#include "targets.h"

extern "C" {
#include "commands.h"
#include "harness_util.h"
#include "machine.h"
#include "run_model.h"
#include "sweep.h"
#include "write_csv.h"
#include "write_html.h"
#include "write_json.h"
#include "write_md.h"
}

#ifndef POSENC_COMPILER
#define POSENC_COMPILER "unknown"
#endif
#ifndef POSENC_C_FLAGS
#define POSENC_C_FLAGS "unknown"
#endif
#ifndef POSENC_TARGET_ARCH
#define POSENC_TARGET_ARCH "unknown"
#endif
#ifndef POSENC_SOURCE_DIR
#define POSENC_SOURCE_DIR "."
#endif
#ifndef POSENC_BENCHMARK_VERSION
#define POSENC_BENCHMARK_VERSION "unknown"
#endif

using namespace posenc_bench;

namespace {

enum { kExitOk = 0, kExitError = 1, kExitUsage = 2, kExitAccuracy = 4 };

struct Options {
    std::string suite = "models";
    bool quick = false;
    bool accuracy = true;
    std::string encodings;   // comma-separated kinds, "" for all
    std::string impl_regex;  // on implementation names
    std::string shape_regex; // on case groups ("rotary_apply/llama-3-8b/T=512")
    std::string out_dir;     // the run folder; "" makes one under results_dir
    std::string results_dir = "results";
    std::vector<std::string> gbench;  // passed on to Google Benchmark
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
            "  --suite NAME        models (default): sinusoidal, learned and rotary shapes of\n"
            "                      real models; targets: the speed-target shapes and their\n"
            "                      PASS/MISS table (speed-targets.txt)\n"
            "  --encoding LIST     only these encodings: sinusoidal,learned,rotary\n"
            "  --impl REGEX        only implementations whose name matches (POSIX ERE)\n"
            "  --shape REGEX       only cases whose name matches, e.g. 'llama-3|T=512'\n"
            "  --filter REGEX      the same as --benchmark_filter=REGEX (on full names)\n"
            "  --no-accuracy       skip the oracle sweeps (accuracy fields are null)\n"
            "  --out DIR           write the run into DIR (created; default: a new folder\n"
            "                      RESULTS/<UTC>-<host>-<cpu>-<git7>)\n"
            "  --results DIR       where run folders go (default: results)\n"
            "Names: <family>/<model>/<shape>/impl=<implementation>, e.g.\n"
            "  rotary_apply/llama-3-8b/T=512/impl=rotary/avx2; references mempass_rw/bytes=N,\n"
            "  mempass_w/bytes=N, attention_qk/<model>/<shape>/sgemm.\n"
            "Exit: 0 done, 4 an accuracy bound exceeded, 1 an error (a kernel failed, a file\n"
            "could not be written), 2 usage.\n");
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
            exit(kExitUsage);
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

int parse(int argc, char **argv, Options *o)
{
    for (int i = 1; i < argc; i++) {
        std::string v;
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(kExitOk);
        } else if (!strcmp(a, "--quick")) {
            o->quick = true;
        } else if (!strcmp(a, "--no-accuracy")) {
            o->accuracy = false;
        } else if (take(argc, argv, &i, "--suite", &o->suite)) {
            if (o->suite != "models" && o->suite != "targets") {
                fprintf(stderr, "posenc bench: unknown suite '%s' (models, targets)\n",
                        o->suite.c_str());
                return kExitUsage;
            }
        } else if (take(argc, argv, &i, "--encoding", &o->encodings)) {
            std::string s = o->encodings + ",";
            for (size_t p = 0, q; (q = s.find(',', p)) != std::string::npos; p = q + 1) {
                std::string e = s.substr(p, q - p);
                if (e != "sinusoidal" && e != "learned" && e != "rotary") {
                    fprintf(stderr, "posenc bench: unknown encoding '%s' "
                                    "(sinusoidal, learned, rotary)\n", e.c_str());
                    return kExitUsage;
                }
            }
        } else if (take(argc, argv, &i, "--impl", &o->impl_regex)) {
            if (!valid_regex(o->impl_regex, "--impl"))
                return kExitUsage;
        } else if (take(argc, argv, &i, "--shape", &o->shape_regex)) {
            if (!valid_regex(o->shape_regex, "--shape"))
                return kExitUsage;
        } else if (take(argc, argv, &i, "--filter", &v)) {
            o->gbench.push_back("--benchmark_filter=" + v);
        } else if (take(argc, argv, &i, "--out", &o->out_dir)) {
        } else if (take(argc, argv, &i, "--results", &o->results_dir)) {
        } else if (!strncmp(a, "--benchmark_", 12)) {
            if (!strncmp(a, "--benchmark_out=", 16) || !strncmp(a, "--benchmark_out_format=", 23)) {
                fprintf(stderr, "posenc bench: %s: the run folder's gbench.json is written "
                                "always; use --out DIR\n", a);
                return kExitUsage;
            }
            o->gbench.push_back(a);
        } else {
            fprintf(stderr, "posenc bench: unknown option '%s' (try --help)\n", a);
            return kExitUsage;
        }
    }
    return kExitOk;
}

const char *kind_name(posenc_kind k)
{
    return k == POSENC_SINUSOIDAL ? "sinusoidal" : k == POSENC_LEARNED ? "learned" : "rotary";
}

// ---- facts about the run's surroundings -------------------------------------------------------

// First line of a command's output, "" when it fails.
std::string command_line(const std::string &cmd)
{
    FILE *p = popen((cmd + " 2>/dev/null").c_str(), "r");
    if (!p)
        return "";
    char line[512] = "";
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    int rc = pclose(p);
    std::string s = line;
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return rc == 0 ? s : "";
}

std::string read_line(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    std::string s = line;
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

// The git revision of the source tree the program was built from, and whether it has changes
// (-1: unknown, e.g. no git or not a checkout).
void git_state(std::string *rev, int *dirty)
{
    const std::string git = std::string("git -C '") + POSENC_SOURCE_DIR + "' ";
    *rev = command_line(git + "rev-parse HEAD");
    if (rev->empty()) {
        *rev = "unknown";
        *dirty = -1;
        return;
    }
    FILE *p = popen((git + "status --porcelain --untracked-files=no 2>/dev/null").c_str(), "r");
    if (!p) {
        *dirty = -1;
        return;
    }
    char buf[256];
    bool any = fgets(buf, sizeof buf, p) != nullptr;
    while (fgets(buf, sizeof buf, p)) {
    }
    *dirty = pclose(p) == 0 ? (any ? 1 : 0) : -1;
}

// Lower-case letters and digits, other runs as one '-'.
std::string slug_of(const std::string &s, size_t max)
{
    std::string out;
    for (char ch : s) {
        if (isalnum((unsigned char)ch))
            out += (char)tolower((unsigned char)ch);
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    if (out.size() > max)
        out.resize(max);
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out;
}

// The CPU model shortened to what tells machines apart: "AMD EPYC 7B13 64-Core Processor" ->
// "amd-epyc-7b13".
std::string cpu_slug(std::string model)
{
    for (const char *drop : {"(R)", "(r)", "(TM)", "(tm)"})
        for (size_t p; (p = model.find(drop)) != std::string::npos;)
            model.erase(p, strlen(drop));
    size_t at = model.find('@');
    if (at != std::string::npos)
        model.erase(at);
    std::string s = slug_of(model, 64), out;
    // drop the words that every model name has
    std::string rest = s + "-";
    for (size_t p = 0, q; (q = rest.find('-', p)) != std::string::npos; p = q + 1) {
        std::string w = rest.substr(p, q - p);
        if (w == "cpu" || w == "processor" || w == "core" ||
            (w.size() > 4 && w.compare(w.size() - 4, 4, "core") == 0))
            continue;
        out += (out.empty() ? "" : "-") + w;
    }
    if (out.size() > 40)
        out.resize(40);
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? POSENC_TARGET_ARCH : out;
}

void copy(char *dst, size_t size, const std::string &s) { snprintf(dst, size, "%s", s.c_str()); }

// ---- the run record ---------------------------------------------------------------------------

// Speed fields of a case from the collector; NaN where they do not apply.
void fill_speed(run_case *rc, const Collector &col, const Case &c, const KernelBench &kb,
                const Registered &reg)
{
    const std::vector<double> *s = col.samples(kb.name);
    const double nan = NAN;
    rc->median_ns = rc->min_ns = rc->mean_ns = rc->stddev_ns = nan;
    rc->ns_per_element = rc->elements_per_second = rc->bytes_per_second = nan;
    rc->mempass_median_ns = rc->ratio_to_mempass = rc->speedup_over_scalar = nan;
    auto err = col.errors.find(kb.name);
    if (err != col.errors.end()) {
        copy(rc->status, sizeof rc->status, "error");
        copy(rc->reason, sizeof rc->reason, err->second);
        return;
    }
    if (!s) {
        copy(rc->status, sizeof rc->status, "skipped");
        copy(rc->reason, sizeof rc->reason, "not selected by the benchmark filter");
        return;
    }
    copy(rc->status, sizeof rc->status, "ok");
    rc->repetitions = (int)std::min(s->size(), sizeof rc->times_ns / sizeof rc->times_ns[0]);
    double sum = 0, mn = INFINITY;
    for (int i = 0; i < rc->repetitions; i++) {
        rc->times_ns[i] = (*s)[i];
        sum += (*s)[i];
        mn = std::min(mn, (*s)[i]);
    }
    rc->mean_ns = sum / rc->repetitions;
    double var = 0;
    for (int i = 0; i < rc->repetitions; i++)
        var += (rc->times_ns[i] - rc->mean_ns) * (rc->times_ns[i] - rc->mean_ns);
    rc->stddev_ns = rc->repetitions > 1 ? std::sqrt(var / (rc->repetitions - 1)) : 0.0;
    rc->min_ns = mn;
    rc->median_ns = col.median_ns(kb.name);
    rc->ns_per_element = rc->median_ns / (double)c.elements();
    rc->elements_per_second = (double)c.elements() / rc->median_ns * 1e9;
    rc->bytes_per_second = (double)c.traffic_bytes() / rc->median_ns * 1e9;
    const double ref = col.median_ns(c.ref_name());
    copy(rc->mempass_id, sizeof rc->mempass_id, c.ref_name());
    if (ref > 0) {
        rc->mempass_median_ns = ref;
        rc->ratio_to_mempass = rc->median_ns / ref;
    }
    rc->table_bytes = plan_table_bytes(&c, kb.impl);
    auto a = reg.attention.find(&c);
    if (a != reg.attention.end()) {
        const double g = col.median_ns(a->second);
        if (g > 0) {
            rc->sgemm_median_ns = g;
            rc->score_median_ns = g * (double)(c.kv_heads ? c.kv_heads : 1);
            rc->encoding_fraction = rc->median_ns / rc->score_median_ns;
        }
    }
}

void fill_shape(run_case *rc, const Case &c, const posenc_impl *impl)
{
    copy(rc->id, sizeof rc->id, c.name(impl));
    copy(rc->group, sizeof rc->group, c.group());
    copy(rc->encoding, sizeof rc->encoding, kind_name(c.params.kind));
    copy(rc->op, sizeof rc->op, c.op_name());
    copy(rc->model, sizeof rc->model, c.model);
    copy(rc->shape, sizeof rc->shape, c.shape);
    copy(rc->implementation, sizeof rc->implementation, impl->name);
    rc->tokens = (int64_t)c.n_tokens;
    rc->heads = (int64_t)c.n_heads;
    rc->kv_heads = (int64_t)c.kv_heads;
    rc->head_dim = c.params.dim;
    rc->rotary_dim = c.params.kind == POSENC_ROTARY
                         ? (c.params.rotary_dim ? c.params.rotary_dim : c.params.dim)
                         : 0;
    rc->first_position = *std::min_element(c.pos.begin(), c.pos.end());
    rc->last_position = c.max_position();
    copy(rc->pairing, sizeof rc->pairing,
         c.params.kind == POSENC_LEARNED
             ? "none"
             : c.params.pairing == POSENC_PAIR_INTERLEAVED
                   ? "interleaved"
                   : c.params.pairing == POSENC_PAIR_HALF ? "half" : "default");
    rc->base = c.params.kind == POSENC_LEARNED ? NAN : c.params.base;
    rc->elements = c.elements();
    rc->bytes = c.traffic_bytes();
    rc->sgemm_median_ns = rc->score_median_ns = rc->encoding_fraction = NAN;
    rc->median_ns = rc->min_ns = rc->mean_ns = rc->stddev_ns = NAN;
    rc->ns_per_element = rc->elements_per_second = rc->bytes_per_second = NAN;
    rc->mempass_median_ns = rc->ratio_to_mempass = rc->speedup_over_scalar = NAN;
}

void fill_machine(run_record *r, const Collector &col)
{
    char buf[256];
    machine_cpu_model(buf, sizeof buf);
    copy(r->cpu_model, sizeof r->cpu_model, buf);
    copy(r->arch, sizeof r->arch, POSENC_TARGET_ARCH);
    r->emulated = machine_is_emulated();
    r->cores = col.num_cpus > 0 ? col.num_cpus : (int)sysconf(_SC_NPROCESSORS_ONLN);
    r->mhz = col.mhz > 0 ? col.mhz : NAN;
    copy(r->governor, sizeof r->governor,
         read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
    machine_feature_list(posenc_cpu_features(), buf, sizeof buf);
    copy(r->cpu_features, sizeof r->cpu_features, buf);
    machine_feature_list(posenc_cpu_features_detected(), buf, sizeof buf);
    copy(r->cpu_features_detected, sizeof r->cpu_features_detected, buf);
    r->n_caches = 0;
    for (const auto &c : col.caches) {
        if (r->n_caches == (int)(sizeof r->caches / sizeof r->caches[0]))
            break;
        run_cache *rc = &r->caches[r->n_caches++];
        rc->level = c.level;
        copy(rc->type, sizeof rc->type, c.type);
        rc->size_bytes = (uint64_t)c.size;
        rc->shared_by = c.num_sharing;
    }
    for (int i = 0; i < 3; i++)
        r->load_avg[i] = i < (int)col.load_avg.size() ? col.load_avg[i] : NAN;
    copy(r->posenc_version, sizeof r->posenc_version,
         strf("%d.%d.%d", POSENC_VERSION_MAJOR, POSENC_VERSION_MINOR, POSENC_VERSION_PATCH));
    copy(r->compiler, sizeof r->compiler, POSENC_COMPILER);
    copy(r->flags, sizeof r->flags, POSENC_C_FLAGS);
    copy(r->benchmark_version, sizeof r->benchmark_version, POSENC_BENCHMARK_VERSION);
    copy(r->sleef_version, sizeof r->sleef_version,
         strf("%d.%d.%d", SLEEF_VERSION_MAJOR, SLEEF_VERSION_MINOR, SLEEF_VERSION_PATCHLEVEL));
    copy(r->openblas_version, sizeof r->openblas_version, openblas_version());
    copy(r->mpfr_version, sizeof r->mpfr_version, mpfr_get_version());
}

// Cases in registration order: each case's implementations (timed or skipped) in registry order.
std::vector<run_case> collect_cases(const Collector &col, const Registered &reg)
{
    std::vector<run_case> out;
    for (Case &c : cases()) {
        if (!c.selected)
            continue;
        for (size_t i = 0; i < posenc_impl_count(); i++) {
            const posenc_impl *impl = posenc_impl_at(i);
            run_case rc;
            memset(&rc, 0, sizeof rc);
            bool seen = false;
            for (const KernelBench &kb : reg.kernels)
                if (kb.c == &c && kb.impl == impl) {
                    fill_shape(&rc, c, impl);
                    fill_speed(&rc, col, c, kb, reg);
                    seen = true;
                }
            for (const Skip &s : reg.skipped)
                if (!seen && s.c == &c && s.impl == impl) {
                    fill_shape(&rc, c, impl);
                    copy(rc.status, sizeof rc.status, "skipped");
                    copy(rc.reason, sizeof rc.reason, s.reason);
                    seen = true;
                }
            if (seen)
                out.push_back(rc);
        }
    }
    // Speedup over the scalar implementation of the same encoding on the same shape.
    for (run_case &rc : out) {
        if (strcmp(rc.status, "ok"))
            continue;
        for (const run_case &s : out)
            if (!strcmp(s.group, rc.group) && !strcmp(s.status, "ok") &&
                !strcmp(strchr(s.implementation, '/'), "/scalar"))
                rc.speedup_over_scalar = s.median_ns / rc.median_ns;
    }
    return out;
}

// Sweeps every implementation that was timed (or skipped only by the filter), exact mode and,
// for computed encodings, fp32 mode, printing one progress line each.
std::vector<run_accuracy> sweep_all(const Options &o, const Registered &reg)
{
    std::vector<const posenc_impl *> impls;
    for (const KernelBench &kb : reg.kernels)
        if (std::find(impls.begin(), impls.end(), kb.impl) == impls.end())
            impls.push_back(kb.impl);
    std::vector<run_accuracy> out;
    accuracy_options opt = {};
    opt.level = o.quick ? ACCURACY_QUICK : ACCURACY_FULL;
    opt.name = "posenc bench";
    size_t total = 0, done = 0;
    for (const posenc_impl *impl : impls)
        total += impl->kind == POSENC_LEARNED ? 1 : 2;
    for (const posenc_impl *impl : impls)
        for (posenc_angle_mode mode : {POSENC_ANGLE_EXACT, POSENC_ANGLE_FP32}) {
            if (impl->kind == POSENC_LEARNED && mode != POSENC_ANGLE_EXACT)
                continue;
            const double t0 = harness_now_s();
            run_accuracy a;
            memset(&a, 0, sizeof a);
            int rc = accuracy_sweep(impl, mode, &opt, &a);
            done++;
            fprintf(stderr, "[accuracy %zu/%zu] %-26s %-5s ", done, total, impl->name,
                    mode == POSENC_ANGLE_EXACT ? "exact" : "fp32");
            if (rc == ACCURACY_OK) {
                fprintf(stderr, "max %.3g u%s (%.1f s)\n", a.max_err_u,
                        a.within_bound == 0 ? "  OVER ITS BOUND" : "", harness_now_s() - t0);
                out.push_back(a);
            } else {
                fprintf(stderr, "not swept\n");
            }
        }
    accuracy_cache_free();
    return out;
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

bool make_dirs(const std::string &path)
{
    std::string p;
    for (size_t i = 0; i <= path.size(); i++) {
        if (i == path.size() || path[i] == '/') {
            if (!p.empty() && mkdir(p.c_str(), 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "posenc bench: cannot create %s: %s\n", p.c_str(),
                        strerror(errno));
                return false;
            }
        }
        if (i < path.size())
            p += path[i];
    }
    return true;
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
    if (!make_dirs(dir))
        return kExitError;
    const char *slash = strrchr(dir.c_str(), '/');
    copy(r.id, sizeof r.id, slash && slash[1] ? slash + 1 : dir);
    copy(r.started_utc, sizeof r.started_utc, iso);
    std::string cmdline = "posenc";
    for (int i = 0; i < argc; i++)
        cmdline += std::string(" ") + argv[i];
    copy(r.command, sizeof r.command, cmdline);
    r.quick = o.quick;
    copy(r.suite, sizeof r.suite, o.suite);
    copy(r.angle_mode, sizeof r.angle_mode, "exact");
    r.threads = 1;

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
    args.push_back("--benchmark_out=" + dir + "/gbench.json");
    args.push_back("--benchmark_out_format=json");
    std::vector<char *> cargv;
    for (std::string &a : args)
        cargv.push_back(&a[0]);
    cargv.push_back(nullptr);
    int cargc = (int)args.size();
    benchmark::Initialize(&cargc, cargv.data());
    if (benchmark::ReportUnrecognizedArguments(cargc, cargv.data()))
        return kExitUsage;

    TargetCases targets = {};
    if (o.suite == "targets")
        targets = define_target_cases();
    else
        define_model_cases(o.quick);
    regex_t shape_re;
    const bool by_shape = !o.shape_regex.empty();
    if (by_shape)
        regcomp(&shape_re, o.shape_regex.c_str(), REG_EXTENDED | REG_NOSUB);
    for (Case &c : cases()) {
        const std::string kind = kind_name(c.params.kind);
        if (!o.encodings.empty() && ("," + o.encodings + ",").find("," + kind + ",") ==
                                        std::string::npos)
            c.selected = false;
        if (by_shape && regexec(&shape_re, c.group().c_str(), 0, nullptr, 0) != 0)
            c.selected = false;
    }
    if (by_shape)
        regfree(&shape_re);

    Registered reg;
    register_all(o.impl_regex, reg);
    if (reg.kernels.empty()) {
        fprintf(stderr, "posenc bench: no implementation and case match the filters\n");
        return kExitUsage;
    }
    widen_filter_to_references(reg);
    add_context(reg);
    benchmark::AddCustomContext("library_compiler", POSENC_COMPILER);
    benchmark::AddCustomContext("library_flags", POSENC_C_FLAGS);
    benchmark::AddCustomContext("target_arch", POSENC_TARGET_ARCH);
    benchmark::AddCustomContext("git_revision", rev);
    benchmark::AddCustomContext("suite", o.suite);
    std::map<std::string, std::string> why;  // one line per implementation, not per case
    for (const Skip &s : reg.skipped)
        why.emplace(s.impl->name, s.reason);
    for (const auto &w : why)
        fprintf(stderr, "skipped: %s: %s\n", w.first.c_str(), w.second.c_str());
    fprintf(stderr, "posenc bench: %zu kernel benchmarks, suite %s%s; writing %s\n",
            reg.kernels.size(), o.suite.c_str(), o.quick ? " (quick)" : "", dir.c_str());

    std::unique_ptr<benchmark::BenchmarkReporter> display(
        benchmark::CreateDefaultDisplayReporter());
    Collector col;
    benchmark::RunSpecifiedBenchmarks(display.get(), &col);
    benchmark::Shutdown();

    std::vector<run_case> rcases = collect_cases(col, reg);
    std::vector<run_accuracy> accs;
    if (o.accuracy)
        accs = sweep_all(o, reg);
    for (run_case &c : rcases)
        for (const run_accuracy &a : accs)
            if (!strcmp(a.implementation, c.implementation) && !strcmp(a.angle_mode, "exact"))
                c.accuracy = &a;
    fill_machine(&r, col);
    r.n_cases = rcases.size();
    r.cases = rcases.data();
    r.n_accuracy = accs.size();
    r.accuracy = accs.data();

    int bad = write_reports(r, dir);
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
    release_plans();

    bool over = false;
    for (const run_accuracy &a : accs)
        over |= a.within_bound == 0;
    printf("\nrun folder: %s\nreport: %s/report.html\n", dir.c_str(), dir.c_str());
    if (!col.errors.empty() || bad)
        return kExitError;
    return over ? kExitAccuracy : kExitOk;
}
