// bench_kernels.cc - posenc-bench: Google Benchmark over every implementation this CPU runs, on
// model shapes, timed against same-run memory passes, ending with a speed-target summary.
//
//   posenc-bench [--quick] [--targets_out=FILE] [--benchmark_* flags of Google Benchmark]
//
// Names: <case>/<shape>/impl=<implementation>, e.g. rotary_apply/T=4096/impl=rotary/avx2, and
// mempass_rw/bytes=N, mempass_w/bytes=N for the references. The summary uses the thread's CPU
// time (Google Benchmark's default clock): on a shared 2-core VM wall-clock time also counts
// the time other processes held the core, CPU time does not (nor time the host stole).
// Counters: bytes_per_second counts bytes moved (read + written), items_per_second and
// s_per_elem count elements (floats of x, or of the encoded table), "elements" is that count.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <regex.h>

#include "mempass.h"
#include "posenc.h"

extern "C" {
#include "harness_util.h"
#include "machine.h"
}

namespace {

std::string strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
std::string strf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

// ---- buffers ----------------------------------------------------------------------------------

// One 64-byte-aligned buffer serves every case and its reference pass, so a kernel and the pass
// it is compared with run over the same pages. It is allocated once, at the size of the largest
// case registered, and filled before any timing: on these virtual machines the first touch of a
// 4 KiB page costs about 13 us, which would swamp the kernels.
class Arena {
public:
    void reserve(size_t bytes) { want_ = std::max(want_, bytes); }

    float *get(size_t bytes)
    {
        if (!buf_ || bytes > cap_) {
            free(buf_);
            cap_ = std::max(bytes, want_);
            buf_ = static_cast<float *>(harness_xaligned_alloc(64, cap_));
            fill_random(buf_, cap_ / sizeof(float), 0x9e3779b97f4a7c15u);
        }
        return buf_;
    }

    // Values in [-1, 1): rotation keeps them bounded, and x += PE (|PE| <= 1) or the pass's
    // x += 1 grow them by at most one per call, far from overflow within a run.
    static void fill_random(float *x, size_t n, uint64_t seed)
    {
        uint64_t s = seed;
        for (size_t i = 0; i < n; i++) {
            s = s * 6364136223846793005u + 1442695040888963407u;
            x[i] = (float)(int32_t)(s >> 32) * 0x1p-31f;
        }
    }

private:
    float *buf_ = nullptr;
    size_t cap_ = 0;
    size_t want_ = 0;
};

Arena arena;

// ---- cases ------------------------------------------------------------------------------------

enum class Op { kEncode, kApply };

struct Case {
    std::string family;  // "rotary_apply"
    std::string shape;   // "T=4096"
    std::string about;   // for the summary: "32 heads x 128, positions 0..4095"
    posenc_params params;
    Op op;
    size_t n_tokens;
    size_t n_heads;      // apply only; sinusoidal and learned use one head per token
    std::vector<int64_t> pos;
    posenc_weights *weights = nullptr;  // learned: made on first use, kept for the run

    int64_t max_position() const { return *std::max_element(pos.begin(), pos.end()); }
    size_t row_floats() const { return (size_t)params.dim; }  // rotary: rotary_dim == dim here
    // Floats of x (apply) or of the encoded table (encode).
    size_t elements() const
    {
        return op == Op::kApply ? n_tokens * n_heads * (size_t)params.dim
                                : n_tokens * row_floats();
    }
    size_t buffer_bytes() const { return elements() * sizeof(float); }
    // Bytes moved per call: apply reads and writes x (learned also reads one row of W per
    // token); encode writes its table.
    size_t traffic_bytes() const
    {
        if (op == Op::kEncode)
            return buffer_bytes();
        size_t b = 2 * buffer_bytes();
        if (params.kind == POSENC_LEARNED)
            b += n_tokens * (size_t)params.dim * sizeof(float);
        return b;
    }
    const char *ref_family() const { return op == Op::kApply ? "mempass_rw" : "mempass_w"; }
    std::string ref_name() const { return strf("%s/bytes=%zu", ref_family(), buffer_bytes()); }
    std::string name(const posenc_impl *impl) const
    {
        return family + "/" + shape + "/impl=" + impl->name;
    }

    const posenc_weights *learned_weights()
    {
        if (!weights) {
            size_t n = n_tokens * (size_t)params.dim;
            std::vector<float> w(n);
            Arena::fill_random(w.data(), n, 0x243f6a8885a308d3u);
            int rc = posenc_weights_from_array((int64_t)n_tokens, params.dim, w.data(), &weights);
            if (rc != POSENC_OK) {
                fprintf(stderr, "posenc-bench: weights %zu x %d: %s\n", n_tokens, params.dim,
                        posenc_strerror(rc));
                exit(1);
            }
        }
        return weights;
    }
};

std::vector<int64_t> iota_positions(size_t n)
{
    std::vector<int64_t> p(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (int64_t)i;
    return p;
}

// Cases live in a deque: registered lambdas keep pointers to them.
std::deque<Case> cases;

Case &add_case(const char *family, std::string shape, std::string about, posenc_kind kind,
               int32_t dim, Op op, size_t n_tokens, size_t n_heads, std::vector<int64_t> pos,
               posenc_pairing pairing = POSENC_PAIR_DEFAULT)
{
    Case c;
    c.family = family;
    c.shape = std::move(shape);
    c.about = std::move(about);
    c.params = posenc_params_default(kind, dim);  // exact angles, base 10000
    c.params.pairing = pairing;
    c.op = op;
    c.n_tokens = n_tokens;
    c.n_heads = n_heads;
    c.pos = std::move(pos);
    cases.push_back(std::move(c));
    return cases.back();
}

// The shapes of the speed targets (1 thread, float32, exact angles), and a few more.
struct TargetCases {
    Case *rotary_4096, *rotary_512, *rotary_decode, *sin_encode, *sin_apply, *learned_small,
        *learned_large;
};

TargetCases define_cases()
{
    TargetCases t;
    // Llama-2-7B queries: 32 heads x 128, half-split (NeoX) pairs, a prefill of T tokens.
    t.rotary_4096 = &add_case("rotary_apply", "T=4096", "32 heads x 128, positions 0..4095",
                              POSENC_ROTARY, 128, Op::kApply, 4096, 32, iota_positions(4096));
    t.rotary_512 = &add_case("rotary_apply", "T=512", "32 heads x 128, positions 0..511",
                             POSENC_ROTARY, 128, Op::kApply, 512, 32, iota_positions(512));
    // One decode step far into a long context: the call's fixed cost shows here.
    t.rotary_decode = &add_case("rotary_decode", "p=100000", "1 token x 32 heads x 128",
                                POSENC_ROTARY, 128, Op::kApply, 1, 32, {100000});
    // Building a PE table (65536 positions of a 512-wide model): 128 MiB written.
    t.sin_encode = &add_case("sinusoidal_encode", "65536x512", "PE table, positions 0..65535",
                             POSENC_SINUSOIDAL, 512, Op::kEncode, 65536, 1,
                             iota_positions(65536));
    t.sin_apply = &add_case("sinusoidal_apply", "4096x4096", "x += PE, 4096 tokens",
                            POSENC_SINUSOIDAL, 4096, Op::kApply, 4096, 1, iota_positions(4096));
    // GPT-2's wpe (1024 x 768), and a 4096-wide model over 4096 positions.
    t.learned_small = &add_case("learned_apply", "1024x768", "x += W[p], W 1024 x 768 (GPT-2)",
                                POSENC_LEARNED, 768, Op::kApply, 1024, 1, iota_positions(1024));
    t.learned_large = &add_case("learned_apply", "4096x4096", "x += W[p], W 4096 x 4096",
                                POSENC_LEARNED, 4096, Op::kApply, 4096, 1,
                                iota_positions(4096));
    // Not targets: GPT-J's interleaved pairs, and the cos/sin cache an engine builds once.
    add_case("rotary_apply_interleaved", "T=512", "32 heads x 128, GPT-J pairs",
             POSENC_ROTARY, 128, Op::kApply, 512, 32, iota_positions(512),
             POSENC_PAIR_INTERLEAVED);
    add_case("rotary_encode", "T=4096", "cos/sin rows of 128, positions 0..4095", POSENC_ROTARY,
             128, Op::kEncode, 4096, 1, iota_positions(4096));
    return t;
}

// ---- what each benchmark measured, for the summary ----------------------------------------------

struct Entry {
    size_t elements;
    size_t traffic_bytes;
};
std::map<std::string, Entry> entries;  // by benchmark name

void set_counters(benchmark::State &st, size_t elements, size_t traffic_bytes)
{
    const int64_t it = (int64_t)st.iterations();
    st.SetBytesProcessed(it * (int64_t)traffic_bytes);
    st.SetItemsProcessed(it * (int64_t)elements);
    // kInvert turns the rate into time per element: seconds in the JSON, "1.2ns" on the console.
    st.counters["s_per_elem"] = benchmark::Counter(
        (double)elements, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    st.counters["elements"] = (double)elements;
}

// ---- the benchmark bodies ---------------------------------------------------------------------

// Plans are setup, not part of what is timed: each (case, implementation) gets one on its first
// run and keeps it, because a table implementation's plan holds a table as large as the data
// (128 MiB for the 65536 x 512 encode) and Google Benchmark calls a benchmark function several
// times (estimation, every repetition).
std::map<std::pair<const Case *, const posenc_impl *>, posenc_plan *> plans;

int get_plan(Case *c, const posenc_impl *impl, posenc_plan **out)
{
    posenc_plan *&plan = plans[{c, impl}];
    if (!plan) {
        posenc_params params = c->params;
        if (params.kind == POSENC_LEARNED)
            params.weights = c->learned_weights();
#ifdef POSENC_TABLE_DEFAULT_POSITIONS
        // The positions the case uses: a table implementation holds that many rows, as an
        // engine would size it to its context; computed encodings only check against it.
        if (params.kind != POSENC_LEARNED)
            params.max_positions = c->max_position() + 1;
#endif
        int rc = posenc_plan_create(impl, &params, &plan);
        if (rc != POSENC_OK)
            return rc;
    }
    *out = plan;
    return POSENC_OK;
}

void bench_kernel(benchmark::State &st, Case *c, const posenc_impl *impl)
{
    posenc_plan *plan = nullptr;
    int rc = get_plan(c, impl, &plan);
    if (rc != POSENC_OK) {
        st.SkipWithError(strf("plan: %s: %s", posenc_strerror(rc), posenc_last_error()).c_str());
        return;
    }
    float *x = arena.get(c->buffer_bytes());
    const posenc_layout layout = {c->n_heads, 0, 0};
    const int64_t *pos = c->pos.data();
    const size_t n = c->n_tokens;
    auto call = [&]() {
        return c->op == Op::kApply ? posenc_apply(plan, pos, n, x, &layout)
                                   : posenc_encode(plan, pos, n, x);
    };
    // One untimed call: its result code is checked once here (not in the loop), and it leaves
    // caches and TLB as every timed call after it will find them.
    rc = call();
    if (rc != POSENC_OK) {
        st.SkipWithError(strf("%s: %s", posenc_strerror(rc), posenc_last_error()).c_str());
        return;
    }
    for (auto _ : st) {
        int r = call();
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();  // x was written through a pointer the compiler cannot see
    }
    set_counters(st, c->elements(), c->traffic_bytes());
}

enum class Pass { kWrite, kReadWrite, kWriteStreaming };

void bench_mempass(benchmark::State &st, Pass pass, size_t bytes)
{
    float *x = arena.get(bytes);
    const size_t n = bytes / sizeof(float);
    const float value = 0.5f;
    auto run = [&]() {
        switch (pass) {
        case Pass::kWrite: posenc_bench::mempass_write(x, n, value); break;
        case Pass::kReadWrite: posenc_bench::mempass_read_write(x, n); break;
        case Pass::kWriteStreaming: posenc_bench::mempass_write_streaming(x, n, value); break;
        }
    };
    run();
    for (auto _ : st) {
        run();
        benchmark::DoNotOptimize(x);
        benchmark::ClobberMemory();
    }
    set_counters(st, n, pass == Pass::kReadWrite ? 2 * bytes : bytes);
}

// ---- registration -----------------------------------------------------------------------------

struct KernelBench {
    const Case *c;
    const posenc_impl *impl;
    std::string name;
};
std::vector<KernelBench> kernel_benches;
std::vector<std::string> skipped;  // "rotary/avx512: this CPU lacks avx512f ..."

std::string feature_list(uint64_t f)
{
    char buf[256];
    machine_feature_list(f, buf, sizeof buf);
    return buf;
}

// Why this CPU cannot run impl, or "" when it can.
std::string unsupported_reason(const posenc_impl *impl)
{
    if (posenc_impl_supported(impl))
        return "";
    const uint64_t missing = impl->cpu_features & ~posenc_cpu_features();
    const uint64_t absent = missing & ~posenc_cpu_features_detected();
    std::string why;
    if (absent)
        why = "this CPU lacks " + feature_list(absent);
    if (missing & ~absent)
        why += std::string(why.empty() ? "" : "; ") + "POSENC_DISABLE_CPU_FEATURES hides " +
               feature_list(missing & ~absent);
    return why;
}

void register_mempass(const char *family, Pass pass, size_t bytes,
                      std::map<std::string, bool> &done)
{
    std::string name = strf("%s/bytes=%zu", family, bytes);
    if (done[name])
        return;
    done[name] = true;
    entries[name] = {bytes / sizeof(float), pass == Pass::kReadWrite ? 2 * bytes : bytes};
    arena.reserve(bytes);
    benchmark::RegisterBenchmark(name.c_str(),
                                 [pass, bytes](benchmark::State &st) {
                                     bench_mempass(st, pass, bytes);
                                 })
        ->Unit(bytes < (1u << 20) ? benchmark::kNanosecond : benchmark::kMicrosecond);
}

void register_all()
{
    std::map<std::string, bool> done;
    for (Case &c : cases) {
        const Pass pass = c.op == Op::kApply ? Pass::kReadWrite : Pass::kWrite;
        register_mempass(c.ref_family(), pass, c.buffer_bytes(), done);
        if (c.op == Op::kEncode && posenc_bench::mempass_have_streaming())
            register_mempass("mempass_w_stream", Pass::kWriteStreaming, c.buffer_bytes(), done);
    }
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        std::string why = unsupported_reason(impl);
        if (!why.empty()) {
            skipped.push_back(std::string(impl->name) + ": " + why);
            continue;
        }
        for (Case &c : cases) {
            if (c.params.kind != impl->kind)
                continue;
            if (c.params.kind != POSENC_LEARNED && c.max_position() >= impl->max_pos) {
                skipped.push_back(strf("%s on %s: position %" PRId64 " is past its limit %" PRId64,
                                       impl->name, (c.family + "/" + c.shape).c_str(),
                                       c.max_position(), impl->max_pos));
                continue;
            }
            Case *cp = &c;
            std::string name = c.name(impl);
            entries[name] = {c.elements(), c.traffic_bytes()};
            kernel_benches.push_back({cp, impl, name});
            arena.reserve(c.buffer_bytes());
            benchmark::RegisterBenchmark(name.c_str(),
                                         [cp, impl](benchmark::State &st) {
                                             bench_kernel(st, cp, impl);
                                         })
                ->Unit(c.buffer_bytes() < (1u << 20) ? benchmark::kNanosecond
                                                     : benchmark::kMicrosecond);
        }
    }
}

// A filter that selects kernels is widened to their reference passes, so that a run of some
// cases still yields their ratios. Google Benchmark searches names with an extended regular
// expression, as regexec does here; a negative filter ("-...") is left alone.
void widen_filter_to_references()
{
    std::string filter = benchmark::GetBenchmarkFilter();
    if (filter.empty() || filter == "all" || filter == "." || filter[0] == '-')
        return;
    regex_t re;
    if (regcomp(&re, filter.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return;  // Google Benchmark reports the bad expression itself
    std::map<std::string, bool> refs;
    for (const KernelBench &kb : kernel_benches)
        if (regexec(&re, kb.name.c_str(), 0, nullptr, 0) == 0)
            refs[kb.c->ref_name()] = true;
    regfree(&re);
    if (refs.empty())
        return;
    std::string alt;
    for (const auto &r : refs)
        alt += (alt.empty() ? "" : "|") + r.first;  // names hold no regex metacharacters
    benchmark::SetBenchmarkFilter("(" + filter + ")|^(" + alt + ")$");
}

// ---- machine facts in the report's context ----------------------------------------------------

std::string read_first_line(const char *path)
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
    return s.empty() ? "unknown" : s;
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

std::string cpu_model()
{
    char buf[256];
    machine_cpu_model(buf, sizeof buf);
    return buf;
}

void add_context()
{
    benchmark::AddCustomContext("posenc_version", strf("%d.%d.%d", POSENC_VERSION_MAJOR,
                                                      POSENC_VERSION_MINOR, POSENC_VERSION_PATCH));
    benchmark::AddCustomContext("cpu_model", cpu_model());
    benchmark::AddCustomContext("cpu_features", feature_list(posenc_cpu_features()));
    benchmark::AddCustomContext("cpu_features_detected",
                                feature_list(posenc_cpu_features_detected()));
    benchmark::AddCustomContext("emulated", machine_is_emulated() ? "yes" : "no");
    benchmark::AddCustomContext("target_arch", POSENC_TARGET_ARCH);
    benchmark::AddCustomContext("library_compiler", POSENC_COMPILER);
    benchmark::AddCustomContext("library_flags", POSENC_C_FLAGS);
    std::string all, run;
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        all += std::string(all.empty() ? "" : " ") + impl->name;
        if (posenc_impl_supported(impl))
            run += std::string(run.empty() ? "" : " ") + impl->name;
    }
    benchmark::AddCustomContext("implementations", all);
    benchmark::AddCustomContext("implementations_run", run);
    std::string sk;
    for (const std::string &s : skipped)
        sk += (sk.empty() ? "" : "; ") + s;
    benchmark::AddCustomContext("implementations_skipped", sk.empty() ? "none" : sk);
    benchmark::AddCustomContext("mempass", posenc_bench::mempass_description());
    benchmark::AddCustomContext("transparent_hugepage",
                                read_first_line("/sys/kernel/mm/transparent_hugepage/enabled"));
    benchmark::AddCustomContext("threads", "1");
    benchmark::AddCustomContext("angle_mode", "exact");
}

// ---- collecting medians as the run goes -------------------------------------------------------

double to_ns(benchmark::TimeUnit u)
{
    switch (u) {
    case benchmark::kSecond: return 1e9;
    case benchmark::kMillisecond: return 1e6;
    case benchmark::kMicrosecond: return 1e3;
    default: return 1.0;
    }
}

// Passes every report on to the display reporter (which honours --benchmark_format and colour)
// and keeps each benchmark's median CPU time for the summary.
class Collector : public benchmark::BenchmarkReporter {
public:
    explicit Collector(benchmark::BenchmarkReporter *display) : display_(display) {}

    bool ReportContext(const Context &context) override
    {
        return display_->ReportContext(context);
    }

    void ReportRuns(const std::vector<Run> &runs) override
    {
        for (const Run &r : runs) {
            const std::string &name = r.run_name.function_name;
            if (r.error_occurred) {
                errors[name] = r.error_message;
                continue;
            }
            const double ns = r.GetAdjustedCPUTime() * to_ns(r.time_unit);
            repetitions = std::max(repetitions, (int64_t)r.repetitions);
            if (r.run_type == Run::RT_Aggregate) {
                if (r.aggregate_name == "median")
                    medians_[name] = ns;
            } else {
                samples_[name].push_back(ns);
            }
        }
        display_->ReportRuns(runs);
    }

    void Finalize() override { display_->Finalize(); }

    // Google Benchmark's "median" aggregate; with one repetition there is no aggregate and the
    // single run stands. -1 when the benchmark did not run.
    double median_ns(const std::string &name) const
    {
        auto m = medians_.find(name);
        if (m != medians_.end())
            return m->second;
        auto s = samples_.find(name);
        if (s == samples_.end() || s->second.empty())
            return -1;
        std::vector<double> v = s->second;
        std::sort(v.begin(), v.end());
        size_t k = v.size();
        return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
    }

    std::map<std::string, std::string> errors;
    int64_t repetitions = 0;

private:
    benchmark::BenchmarkReporter *display_;
    std::map<std::string, double> medians_;
    std::map<std::string, std::vector<double>> samples_;
};

// ---- the summary ------------------------------------------------------------------------------

std::string fmt_time(double ns)
{
    if (ns < 0)
        return "-";
    if (ns < 1e3)
        return strf("%.1f ns", ns);
    if (ns < 1e6)
        return strf("%.2f us", ns / 1e3);
    if (ns < 1e9)
        return strf("%.2f ms", ns / 1e6);
    return strf("%.3f s", ns / 1e9);
}

std::string fmt_mib(size_t bytes)
{
    if (bytes >= (1u << 20))
        return strf("%g MiB", (double)bytes / (1u << 20));
    return strf("%g KiB", (double)bytes / 1024);
}

class Table {
public:
    explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.size() == 1; }
    std::string str() const
    {
        std::vector<size_t> w(rows_[0].size(), 0);
        for (const auto &r : rows_)
            for (size_t i = 0; i < r.size(); i++)
                w[i] = std::max(w[i], r[i].size());
        std::string out;
        for (size_t k = 0; k < rows_.size(); k++) {
            std::string line;
            for (size_t i = 0; i < rows_[k].size(); i++) {
                line += (i ? " | " : "") + rows_[k][i];
                if (i + 1 < rows_[k].size())
                    line += std::string(w[i] - rows_[k][i].size(), ' ');
            }
            out += line + "\n";
            if (k == 0) {
                std::string rule;
                for (size_t i = 0; i < w.size(); i++)
                    rule += (i ? "-|-" : "") + std::string(w[i], '-');
                out += rule + "\n";
            }
        }
        return out;
    }

private:
    std::vector<std::vector<std::string>> rows_;
};

struct Summary {
    std::string text;
    int misses = 0;
};

Summary summarize(const Collector &col, const TargetCases &t)
{
    Table table({"target", "impl", "median", "reference median", "ratio", "limit", "result"});
    int misses = 0;

    // Rows of one case: every implementation benchmarked on it, against its memory pass.
    auto ratio_rows = [&](const Case *c, const std::string &label, double limit) {
        const std::string ref = c->ref_name();
        const double ref_ns = col.median_ns(ref);
        const std::string ref_cell =
            fmt_time(ref_ns) + " (" + (c->op == Op::kApply ? "rw " : "w ") +
            fmt_mib(c->buffer_bytes()) + ")";
        for (const KernelBench &kb : kernel_benches) {
            if (kb.c != c)
                continue;
            const double ns = col.median_ns(kb.name);
            if (ns < 0)
                continue;
            std::string ratio = "-", result = "n/a (no reference)";
            if (ref_ns > 0) {
                const double r = ns / ref_ns;
                ratio = strf("%.2fx", r);
                result = r <= limit ? "PASS" : "MISS";
                misses += r > limit;
            }
            table.add({label, kb.impl->name, fmt_time(ns), ref_cell, ratio,
                       strf("<= %.2fx", limit), result});
        }
    };
    ratio_rows(t.rotary_4096, "rotary apply T=4096 (64 MiB)", 1.15);
    ratio_rows(t.rotary_512, "rotary apply T=512 (8 MiB)", 1.6);
    for (const KernelBench &kb : kernel_benches) {
        if (kb.c != t.rotary_decode)
            continue;
        const double ns = col.median_ns(kb.name);
        if (ns < 0)
            continue;
        const bool pass = ns <= 400.0;
        misses += !pass;
        table.add({"rotary decode 1x32x128 @100000", kb.impl->name, fmt_time(ns), "-", "-",
                   "<= 400 ns", pass ? "PASS" : "MISS"});
    }
    ratio_rows(t.sin_encode, "sinusoidal encode 65536x512", 2.0);
    ratio_rows(t.sin_apply, "sinusoidal apply 4096x4096", 1.3);
    ratio_rows(t.learned_small, "learned apply 1024x768", 1.3);
    ratio_rows(t.learned_large, "learned apply 4096x4096", 1.3);
    // Vector backends against scalar on the same PE table.
    const posenc_impl *scalar = posenc_impl_find("sinusoidal/scalar");
    const double scalar_ns = scalar ? col.median_ns(t.sin_encode->name(scalar)) : -1;
    for (const KernelBench &kb : kernel_benches) {
        const char *backend = strchr(kb.impl->name, '/');
        if (kb.c != t.sin_encode || !backend ||
            (strcmp(backend, "/avx2") && strcmp(backend, "/avx512")))
            continue;
        const double ns = col.median_ns(kb.name);
        if (ns < 0)
            continue;
        std::string ratio = "-", result = "n/a (scalar not run)";
        if (scalar_ns > 0) {
            const double speedup = scalar_ns / ns;
            ratio = strf("%.2fx faster", speedup);
            result = speedup >= 6.0 ? "PASS" : "MISS";
            misses += speedup < 6.0;
        }
        table.add({"sinusoidal encode speedup over scalar", kb.impl->name, fmt_time(ns),
                   fmt_time(scalar_ns) + " (scalar)", ratio, ">= 6x faster", result});
    }

    // Every benchmark that ran, targets or not.
    Table all({"benchmark", "median", "ns/element", "GB/s moved"});
    for (const auto &e : entries) {
        const double ns = col.median_ns(e.first);
        if (ns < 0)
            continue;
        all.add({e.first, fmt_time(ns), strf("%.4f", ns / (double)e.second.elements),
                 strf("%.2f", (double)e.second.traffic_bytes / ns)});
    }

    std::string out;
    out += "posenc-bench speed targets: " + cpu_model() + ", 1 thread, float32, exact angles\n";
    if (machine_is_emulated())
        out += "EMULATED (qemu user mode): the CPU named above is the host's, and these times "
               "say nothing about the target CPU\n";
    out += strf("medians of %" PRId64 " repetition(s), thread CPU time; ratio = kernel median / "
                "memory-pass median over the same bytes, same run\n",
                col.repetitions);
    out += "references: rw = in-place read+write pass (x[i] += 1), w = write-only pass "
           "(x[i] = c, ordinary stores)\n\n";
    out += table.empty() ? "(no target benchmark ran)\n" : table.str();
    for (const std::string &s : skipped)
        out += "not measured: " + s + "\n";
    for (const auto &e : col.errors)
        out += "error: " + e.first + ": " + e.second + "\n";
    out += strf("\n%d target row(s) missed\n\n", misses);
    if (!all.empty())
        out += all.str();
    return {out, misses};
}

// ---- command line -----------------------------------------------------------------------------

void print_help()
{
    printf("usage: posenc-bench [--quick] [--targets_out=FILE] [Google Benchmark flags]\n"
           "  Times every posenc implementation this CPU runs on model shapes, and plain memory\n"
           "  passes over the same bytes, then prints the speed targets as ratios to them.\n"
           "  --quick             3 repetitions of at least 0.1 s (default: 5 of 0.5 s)\n"
           "  --targets_out=FILE  also write the summary table to FILE\n"
           "  Defaults passed to Google Benchmark (a later flag overrides them):\n"
           "    --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true\n"
           "    --benchmark_display_aggregates_only=true\n"
           "  A --benchmark_filter that selects kernels also runs their memory passes.\n"
           "  e.g. --benchmark_filter=rotary --benchmark_out=gbench.json "
           "--benchmark_out_format=json\n\n");
    benchmark::PrintDefaultHelp();
}

}  // namespace

int main(int argc, char **argv)
{
    harness_set_name("posenc-bench");
    bool quick = false;
    std::string targets_out;
    bool console = true;  // the summary goes to stdout unless stdout carries JSON or CSV
    std::vector<std::string> passed;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--quick") {
            quick = true;
        } else if (a.rfind("--targets_out=", 0) == 0) {
            targets_out = a.substr(strlen("--targets_out="));
        } else {
            if (a.rfind("--benchmark_format=", 0) == 0)
                console = a == "--benchmark_format=console";
            passed.push_back(a);
        }
    }
    // Our defaults first, then the caller's flags: Google Benchmark keeps the last value given.
    std::vector<std::string> args = {argv[0], "--benchmark_repetitions=5",
                                     "--benchmark_enable_random_interleaving=true",
                                     "--benchmark_display_aggregates_only=true"};
    if (quick) {
        args.push_back("--benchmark_repetitions=3");
        args.push_back("--benchmark_min_time=0.1");
    }
    args.insert(args.end(), passed.begin(), passed.end());
    std::vector<char *> cargv;
    for (std::string &a : args)
        cargv.push_back(&a[0]);
    cargv.push_back(nullptr);
    int cargc = (int)args.size();

    benchmark::Initialize(&cargc, cargv.data(), print_help);
    if (benchmark::ReportUnrecognizedArguments(cargc, cargv.data()))
        return 2;

    const TargetCases targets = define_cases();
    register_all();
    widen_filter_to_references();
    for (const std::string &s : skipped)
        fprintf(stderr, "skipped: %s\n", s.c_str());
    add_context();

    std::unique_ptr<benchmark::BenchmarkReporter> display(benchmark::CreateDefaultDisplayReporter());
    Collector collector(display.get());
    benchmark::RunSpecifiedBenchmarks(&collector);
    benchmark::Shutdown();

    if (!entries.empty() && collector.repetitions > 0) {
        Summary s = summarize(collector, targets);
        fputs(("\n" + s.text).c_str(), console ? stdout : stderr);
        if (!targets_out.empty()) {
            FILE *f = fopen(targets_out.c_str(), "w");
            if (!f || fputs(s.text.c_str(), f) < 0 || fclose(f) != 0) {
                fprintf(stderr, "posenc-bench: cannot write %s\n", targets_out.c_str());
                return 1;
            }
        }
    }
    for (auto &p : plans)
        posenc_plan_destroy(p.second);
    for (Case &c : cases)
        posenc_weights_free(c.weights);
    // A kernel that failed is an error; a missed target is a finding, reported in the table.
    return collector.errors.empty() ? 0 : 1;
}
