// runner.cc - the benchmark bodies and their registration: every implementation this CPU runs
// on every case of its encoding, the memory pass over the same bytes as its reference, and for
// rotary prefill the Q.K^T of one head group (attention.h).
#include "runner.h"

#include <algorithm>
#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>

#include <regex.h>

#include "attention.h"
#include "mempass.h"
#include "progress.h"
#include "strf.h"
#include "thread_split.h"

extern "C" {
#include "harness_util.h"
#include "median.h"
#include "machine.h"
}

namespace posenc_bench {

namespace {

// ---- buffers ----------------------------------------------------------------------------------

// One 64-byte-aligned buffer serves every case and its reference pass, so a kernel and the pass
// it is compared with run over the same pages. It is allocated once, at the size of the largest
// case registered, and filled before any timing: on these virtual machines the first touch of a
// 4 KiB page costs about 13 us, which would swamp the kernels.
class Arena {
public:
    // fill: the element type the buffer is filled with (fill_random_elements).
    explicit Arena(posenc_dtype fill) : fill_(fill) {}

    void reserve(size_t bytes) { want_ = std::max(want_, bytes); }

    void *get(size_t bytes)
    {
        if (!buf_ || bytes > cap_) {
            free(buf_);
            cap_ = std::max(bytes, want_);
            buf_ = harness_xaligned_alloc(64, cap_);
            // Values in [-1, 1): rotation keeps them bounded, x += PE (|PE| <= 1) grows them by
            // at most one per call, far from overflow within a run, and the passes flip their
            // lowest bits (mempass.h).
            fill_random_elements(buf_, cap_ / element_size(fill_), fill_, 0x9e3779b97f4a7c15u);
        }
        return buf_;
    }

private:
    posenc_dtype fill_;
    void *buf_ = nullptr;
    size_t cap_ = 0;
    size_t want_ = 0;
};

Arena arena(POSENC_DTYPE_F32);
// Score cases (alibi) have their own: the causal form writes -inf above the diagonal, and a
// rotary kernel meeting -inf makes NaNs and takes its NaN path, which would time something else.
Arena score_arena(POSENC_DTYPE_F32);
// Each 16-bit type too, filled with its own values: float data read as 16-bit elements holds
// infs and NaNs (the low halves of floats are any bits), and one type's values read as the
// other's are of any size (with one buffer for both, every bf16 and f16 decode of a quick run
// went from 0.4 us to 6 us in its later repetitions). The 16-bit passes keep each one's values
// finite and of their size (mempass.h).
Arena bf16_arena(POSENC_DTYPE_BF16);
Arena f16_arena(POSENC_DTYPE_F16);
// The float32 values the learned passes read beside x, as the kernel reads W.
Arena w_arena(POSENC_DTYPE_F32);

// Where in w_arena a pass over x reads: half a page away from x's offset in its page. At the
// same offset (both arenas are large allocations, so they start alike) every load of w falsely
// waits on the store to x 4 KiB apart (4K aliasing): on Zen 4 the float32 pass over 64 MiB of x
// and 64 MiB of w took 5.40 ms at the same offset, 4.91 ms at 2 KiB apart, as fast as the kernel
// reading W where posenc put it. The arena holds a page more than the pass reads.
const void *w_beside(const void *x, size_t w_bytes)
{
    const char *base = static_cast<const char *>(w_arena.get(w_bytes + 4096));
    const uintptr_t skew = ((uintptr_t)x + 2048 - (uintptr_t)base) % 4096;  // a multiple of 64
    return base + skew;
}

Arena &arena_of(posenc_dtype dtype)
{
    return dtype == POSENC_DTYPE_BF16 ? bf16_arena : dtype == POSENC_DTYPE_F16 ? f16_arena : arena;
}

Arena &arena_for(const Case &c)
{
    return c.op == Op::kScores ? score_arena : arena_of(c.params.dtype);
}

void set_counters(benchmark::State &st, size_t elements, size_t traffic_bytes)
{
    const int64_t it = (int64_t)st.iterations();
    // a plan moves no buffer: no byte rate (its cv would be 0 / 0, NaN, which is not JSON)
    if (traffic_bytes)
        st.SetBytesProcessed(it * (int64_t)traffic_bytes);
    st.SetItemsProcessed(it * (int64_t)elements);
    // kInvert turns the rate into time per element: seconds in the JSON, "1.2ns" on the console.
    st.counters["s_per_elem"] = benchmark::Counter(
        (double)elements, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
    // No constant counters (elements per call, table bytes: those are in run.json): Google
    // Benchmark 1.7 computes a stddev of equal values as sqrt(E[x^2] - E[x]^2), which rounding
    // can make sqrt of a negative, and writes the NaN cv into gbench.json, which is not JSON.
}

// ---- plans ------------------------------------------------------------------------------------

// Plans are setup, not part of what is timed: each (case, implementation) gets one on its first
// run and keeps it, because a table implementation's plan holds a table as large as the data
// (128 MiB for a 65536 x 512 encode) and Google Benchmark calls a benchmark function several
// times (estimation, every repetition).
std::map<std::pair<const Case *, const posenc_impl *>, posenc_plan *> plans;

int get_plan(Case *c, const posenc_impl *impl, posenc_plan **out)
{
    posenc_plan *&plan = plans[{c, impl}];
    if (!plan) {
        const posenc_params params = c->plan_params(impl);
        int rc = posenc_plan_create(impl, &params, &plan);
        if (rc != POSENC_OK)
            return rc;
    }
    *out = plan;
    return POSENC_OK;
}

// A plan like `plan` whose attention factor is the inverse of its own (yarn and longrope take
// the factor as a parameter): applied after `plan`, it brings x back to its scale.
int undo_plan(const posenc_plan *plan, posenc_plan **out)
{
    posenc_params p = *posenc_plan_params(plan);
    p.scaling.attention_factor = 1.0 / posenc_plan_attention_factor(plan);
    return posenc_plan_create(posenc_plan_impl(plan), &p, out);
}

// ---- the benchmark bodies ---------------------------------------------------------------------

void bench_kernel(benchmark::State &st, Case *c, const posenc_impl *impl)
{
    progress_note(c->name(impl), (long long)st.max_iterations);
    posenc_plan *plan = nullptr;
    int rc = get_plan(c, impl, &plan);
    if (rc != POSENC_OK) {
        st.SkipWithError(strf("plan: %s: %s", posenc_strerror(rc), posenc_last_error()).c_str());
        return;
    }
    void *x = arena_for(*c).get(c->buffer_bytes());
    // One untimed call: its result code is checked once here (not in the loop), and it leaves
    // caches and TLB as every timed call after it will find them.
    rc = c->call(plan, x);
    if (rc != POSENC_OK) {
        st.SkipWithError(strf("%s: %s", posenc_strerror(rc), posenc_last_error()).c_str());
        return;
    }
    // A rotary plan with an attention factor a != 1 (yarn, longrope) scales x by a every call:
    // repeated on one buffer, x would reach inf and NaN within a few hundred calls, and the
    // loop would time the NaN path. So every other call goes through a twin plan with the same
    // frequencies and the factor 1/a: the same instructions on the same bytes, x stays finite.
    posenc_plan *undo = nullptr;
    if (c->op == Op::kApply && posenc_plan_attention_factor(plan) != 1.0 &&
        (rc = undo_plan(plan, &undo)) != POSENC_OK) {
        st.SkipWithError(strf("twin plan: %s: %s", posenc_strerror(rc), posenc_last_error())
                             .c_str());
        return;
    }
    size_t k = 0;
    for (auto _ : st) {
        int r = c->call(undo && (k++ & 1) ? undo : plan, x);
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();  // x was written through a pointer the compiler cannot see
    }
    posenc_plan_destroy(undo);
    set_counters(st, c->elements(), c->traffic_bytes());
}

// The threads of one threaded benchmark start together: their setup (the plan map, the arena)
// goes one thread at a time.
std::mutex setup_mutex;

// The case's call split over st.threads() threads, one plan for all (thread_split.h): thread i
// times its slice, and Google Benchmark's wall clock from the first thread's start to the last
// one's end is the call's (UseRealTime).
void bench_kernel_split(benchmark::State &st, Case *c, const posenc_impl *impl)
{
    const size_t threads = (size_t)st.threads(), i = (size_t)st.thread_index();
    posenc_plan *plan = nullptr, *undo = nullptr;
    SliceCall slice;
    int rc;
    {
        std::lock_guard<std::mutex> lock(setup_mutex);
        if (i == 0)
            progress_note(c->name(impl) + threads_suffix((int)threads), (long long)st.max_iterations);
        rc = get_plan(c, impl, &plan);
        if (rc != POSENC_OK) {
            st.SkipWithError(strf("plan: %s: %s", posenc_strerror(rc), posenc_last_error()).c_str());
            return;
        }
        slice.prepare(*c, i, threads, arena_for(*c).get(c->buffer_bytes()),
                      posenc_plan_row_size(plan));
        // as bench_kernel: a twin plan with the inverse attention factor on every other call
        if (c->op == Op::kApply && posenc_plan_attention_factor(plan) != 1.0 &&
            (rc = undo_plan(plan, &undo)) != POSENC_OK) {
            st.SkipWithError(strf("twin plan: %s: %s", posenc_strerror(rc), posenc_last_error())
                                 .c_str());
            return;
        }
    }
    // the untimed call of bench_kernel, on this thread's slice
    rc = slice.call(plan);
    if (rc != POSENC_OK) {
        st.SkipWithError(strf("%s: %s", posenc_strerror(rc), posenc_last_error()).c_str());
        posenc_plan_destroy(undo);
        return;
    }
    size_t k = 0;
    for (auto _ : st) {
        int r = slice.call(undo && (k++ & 1) ? undo : plan);
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
    posenc_plan_destroy(undo);
    // this thread's share: Google Benchmark adds the threads' counters
    const size_t part = slice.tokens(), all = c->n_tokens;
    set_counters(st, c->elements() / all * part, c->traffic_bytes() / all * part);
}

// Elements a pass over `bytes` of its buffer touches, and the bytes it moves (read + written).
size_t pass_elements(Pass pass, size_t bytes) { return bytes / element_size(pass.dtype); }

size_t pass_traffic(Pass pass, size_t bytes)
{
    switch (pass.kind) {
    case PassKind::kReadWrite: return 2 * bytes;
    case PassKind::kReadWriteRead32: return 2 * bytes + pass_elements(pass, bytes) * sizeof(float);
    default: return bytes;
    }
}

// The pass over `bytes` of its buffer; on st.threads() > 1 threads, each thread its slice
// (pass_slice), timed in wall-clock time as bench_kernel_split is.
void bench_mempass(benchmark::State &st, Pass pass, size_t bytes)
{
    const size_t threads = (size_t)st.threads(), i = (size_t)st.thread_index();
    const size_t n = pass_elements(pass, bytes);
    void *x;
    const uint32_t *w = nullptr;
    {
        std::lock_guard<std::mutex> lock(setup_mutex);
        if (i == 0)
            progress_note(mempass_family(pass) + strf("/bytes=%zu", bytes) +
                              threads_suffix((int)threads),
                          (long long)st.max_iterations);
        x = arena_of(pass.dtype).get(bytes);
        if (pass.kind == PassKind::kReadWriteRead32)
            w = static_cast<const uint32_t *>(w_beside(x, n * sizeof(float)));
    }
    size_t b, e;
    pass_slice(pass, n, i, threads, &b, &e);
    void *xs = static_cast<char *>(x) + b * element_size(pass.dtype);
    const uint32_t *ws = w ? w + b : nullptr;  // one float32 of w per element of x
    const size_t slice_bytes = (e - b) * element_size(pass.dtype);
    mempass_run(pass, xs, ws, slice_bytes);
    for (auto _ : st) {
        mempass_run(pass, xs, ws, slice_bytes);
        benchmark::DoNotOptimize(x);
        benchmark::ClobberMemory();
    }
    set_counters(st, e - b, pass_traffic(pass, slice_bytes));
}

benchmark::TimeUnit unit_for(size_t bytes)
{
    return bytes < (1u << 20) ? benchmark::kNanosecond : benchmark::kMicrosecond;
}

// ---- registration -----------------------------------------------------------------------------

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

// The name Google Benchmark gives a benchmark registered as `name` on `threads` threads (what
// its filter and its reports see).
std::string full_name(const std::string &name, int threads)
{
    return threads > 1 ? name + strf("/real_time/threads:%d", threads) : name;
}

void register_mempass(Registered &reg, Pass pass, size_t bytes, int threads)
{
    std::string name = mempass_family(pass) + strf("/bytes=%zu", bytes) + threads_suffix(threads);
    if (reg.entries.count(name))
        return;
    reg.entries[name] = {pass_elements(pass, bytes), pass_traffic(pass, bytes)};
    arena_of(pass.dtype).reserve(bytes);
    if (pass.kind == PassKind::kReadWriteRead32)
        w_arena.reserve(pass_elements(pass, bytes) * sizeof(float) + 4096);
    auto *b = benchmark::RegisterBenchmark(name.c_str(),
                                           [pass, bytes](benchmark::State &st) {
                                               bench_mempass(st, pass, bytes);
                                           })
                  ->Unit(unit_for(bytes));
    if (threads > 1)
        b->Threads(threads)->UseRealTime();
    reg.benchmark_names.push_back(full_name(name, threads));
}

// Registers (case, impl) on `threads` threads as `name`.
void register_kernel(Registered &reg, Case *cp, const posenc_impl *impl, const std::string &name,
                     int threads)
{
    reg.benchmark_names.push_back(full_name(name, threads));
    benchmark::internal::Benchmark *b;
    if (threads > 1)
        b = benchmark::RegisterBenchmark(name.c_str(),
                                         [cp, impl](benchmark::State &st) {
                                             bench_kernel_split(st, cp, impl);
                                         })
                ->Threads(threads)
                ->UseRealTime();
    else
        b = benchmark::RegisterBenchmark(name.c_str(), [cp, impl](benchmark::State &st) {
            bench_kernel(st, cp, impl);
        });
    b->Unit(unit_for(cp->buffer_bytes()));
}

}  // namespace

std::string kernel_name(const Case &c, const std::string &impl, int threads)
{
    return c.group() + threads_suffix(threads) + "/impl=" + impl;
}

std::vector<std::string> ref_names(const Case &c, int threads)
{
    std::vector<std::string> out;
    for (const std::string &name : c.ref_names())
        out.push_back(name + threads_suffix(threads));
    return out;
}

bool register_all(const std::string &impl_regex, const std::vector<int> &threads,
                  Registered &reg)
{
    regex_t re;
    const bool filtered = !impl_regex.empty();
    if (filtered && regcomp(&re, impl_regex.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    reg.threads = threads;
    std::set<std::string> qk_registered;
    for (Case &c : cases()) {
        if (!c.selected)
            continue;
        for (int n : threads)
            if (c.has_ref() && split_refusal(c, n).empty())
                for (const Pass &p : c.ref_passes())
                    register_mempass(reg, p, c.buffer_bytes(), n);
        if (c.attention) {
            // Q.K^T is float32 whatever the dtype of x: the 16-bit cases of a shape share the
            // float32 case's benchmark
            std::string name = attention_benchmark_name(c);
            reg.attention[&c] = name;
            Case *cp = &c;
            if (qk_registered.insert(name).second) {
                reg.benchmark_names.push_back(name);
                benchmark::RegisterBenchmark(name.c_str(), [cp](benchmark::State &st) {
                    bench_qk_scores(st, *cp);
                })->Unit(benchmark::kMicrosecond);
            }
        }
    }
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        if (filtered && regexec(&re, impl->name, 0, nullptr, 0) != 0)
            continue;
        const std::string why = unsupported_reason(impl);
        for (int n : threads)
            for (Case &c : cases()) {
                if (!c.selected || c.params.kind != impl->kind)
                    continue;
                if (!why.empty()) {
                    reg.skipped.push_back({&c, impl, why, n});
                    continue;
                }
                if (c.params.kind != POSENC_LEARNED && c.max_position() >= impl->max_pos) {
                    reg.skipped.push_back({&c, impl,
                                           strf("position %" PRId64 " is past its limit %" PRId64,
                                                c.max_position(), impl->max_pos),
                                           n});
                    continue;
                }
                // a design takes only its own recipe's parameters (posenc.h, POSENC_IMPL_DESIGN):
                // a case whose plan it refuses is skipped with the library's reason
                posenc_plan *design_plan = nullptr;
                if ((impl->flags & POSENC_IMPL_DESIGN) && get_plan(&c, impl, &design_plan)) {
                    reg.skipped.push_back({&c, impl, posenc_last_error(), n});
                    continue;
                }
                const std::string refusal = split_refusal(c, n);
                if (!refusal.empty()) {
                    reg.skipped.push_back({&c, impl, refusal, n, true});
                    continue;
                }
                std::string name = kernel_name(c, impl->name, n);
                reg.entries[name] = {c.elements(), c.traffic_bytes()};
                reg.kernels.push_back({&c, impl, name, false, n});
                arena_for(c).reserve(c.buffer_bytes());
                register_kernel(reg, &c, impl, name, n);
            }
    }
    // What a caller gets without naming an implementation: posenc_impl_best, which honours
    // POSENC_IMPL and the CPU. These are the cases a CI gate compares, so a change of dispatch
    // (or a slower best kernel) shows as a slower "impl=dispatch" case.
    const bool want_dispatch = !filtered || regexec(&re, "dispatch", 0, nullptr, 0) == 0;
    for (int n : threads)
        for (Case &c : cases()) {
            const posenc_impl *best = posenc_impl_best(c.params.kind);
            if (!c.selected || !want_dispatch || !best || !split_refusal(c, n).empty())
                continue;
            if (c.params.kind != POSENC_LEARNED && c.max_position() >= best->max_pos)
                continue;
            KernelBench kb{&c, best, kernel_name(c, "dispatch", n), true, n};
            reg.entries[kb.name] = {c.elements(), c.traffic_bytes()};
            reg.kernels.push_back(kb);
            register_kernel(reg, &c, best, kb.name, n);
        }
    if (filtered)
        regfree(&re);
    return true;
}

// A filter that selects kernels is widened to their reference passes and attention benchmarks,
// so that a run of some cases still yields their ratios. Google Benchmark searches names with an
// extended regular expression, as regexec does here; a negative filter ("-...") is left alone.
void widen_filter_to_references(const Registered &reg)
{
    std::string filter = benchmark::GetBenchmarkFilter();
    if (filter.empty() || filter == "all" || filter == "." || filter[0] == '-')
        return;
    regex_t re;
    if (regcomp(&re, filter.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return;  // Google Benchmark reports the bad expression itself
    std::map<std::string, bool> refs;
    for (const KernelBench &kb : reg.kernels)
        if (regexec(&re, kb.name.c_str(), 0, nullptr, 0) == 0) {
            for (const std::string &r : ref_names(*kb.c, kb.threads))
                refs[r] = true;
            auto a = reg.attention.find(kb.c);
            if (a != reg.attention.end())
                refs[a->second] = true;
        }
    regfree(&re);
    if (refs.empty())
        return;
    std::string alt;
    for (const auto &r : refs)
        alt += (alt.empty() ? "" : "|") + r.first;  // names hold no regex metacharacters
    // a benchmark on N threads is named "<name>/real_time/threads:N" by Google Benchmark
    benchmark::SetBenchmarkFilter("(" + filter + ")|^(" + alt + ")(/real_time/threads:[0-9]+)?$");
}

size_t plan_table_bytes(const Case *c, const posenc_impl *impl)
{
    auto p = plans.find({c, impl});
    return p == plans.end() || !p->second ? 0 : posenc_plan_table_bytes(p->second);
}

void release_plans()
{
    for (auto &p : plans)
        posenc_plan_destroy(p.second);
    plans.clear();
    for (Case &c : cases()) {
        posenc_weights_free(c.weights);
        c.weights = nullptr;
    }
    release_attention_buffers();
}

// ---- machine facts in the report's context ----------------------------------------------------

void add_context(const Registered &reg, const std::vector<int> &threads)
{
    char model[256];
    machine_cpu_model(model, sizeof model);
    benchmark::AddCustomContext("posenc_version", strf("%d.%d.%d", POSENC_VERSION_MAJOR,
                                                      POSENC_VERSION_MINOR, POSENC_VERSION_PATCH));
    benchmark::AddCustomContext("cpu_model", model);
    benchmark::AddCustomContext("cpu_features", feature_list(posenc_cpu_features()));
    benchmark::AddCustomContext("cpu_features_detected",
                                feature_list(posenc_cpu_features_detected()));
    benchmark::AddCustomContext("emulated", machine_is_emulated() ? "yes" : "no");
    std::string all, run;
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        all += std::string(all.empty() ? "" : " ") + impl->name;
        if (posenc_impl_supported(impl))
            run += std::string(run.empty() ? "" : " ") + impl->name;
    }
    benchmark::AddCustomContext("implementations", all);
    benchmark::AddCustomContext("implementations_run", run);
    std::map<std::string, std::string> why;  // one line per implementation, not per case
    for (const Skip &s : reg.skipped)
        if (!s.unsplit)  // a case not split, not the implementation
            why.emplace(s.impl->name, s.reason);
    std::string sk;
    for (const auto &w : why)
        sk += (sk.empty() ? "" : "; ") + w.first + ": " + w.second;
    benchmark::AddCustomContext("implementations_skipped", sk.empty() ? "none" : sk);
    benchmark::AddCustomContext("mempass", mempass_description());
    std::string tl;
    for (int n : threads)
        tl += (tl.empty() ? "" : ",") + std::to_string(n);
    benchmark::AddCustomContext("threads", tl);
    benchmark::AddCustomContext("angle_mode", "exact");
}

// ---- collecting the repetitions as the run goes -----------------------------------------------

namespace {

double to_ns(benchmark::TimeUnit u)
{
    switch (u) {
    case benchmark::kSecond: return 1e9;
    case benchmark::kMillisecond: return 1e6;
    case benchmark::kMicrosecond: return 1e3;
    default: return 1.0;
    }
}

}  // namespace

bool Collector::ReportContext(const Context &context)
{
    mhz = context.cpu_info.cycles_per_second / 1e6;
    num_cpus = context.cpu_info.num_cpus;
    caches = context.cpu_info.caches;
    load_avg = context.cpu_info.load_avg;
    json_.SetOutputStream(&GetOutputStream());
    json_.SetErrorStream(&GetErrorStream());
    return json_.ReportContext(context);
}

void Collector::ReportRuns(const std::vector<Run> &runs)
{
    for (const Run &r : runs) {
        const std::string &name = r.run_name.function_name;
        if (r.error_occurred) {
            errors[name] = r.error_message;
            continue;
        }
        repetitions = std::max(repetitions, (int64_t)r.repetitions);
        // On N threads Google Benchmark gives the wall-clock time per thread iteration: the
        // threads' average wall time over all their iterations together (benchmark_runner.cc
        // divides the summed real time by N, and the time by N times the iterations of one
        // thread). One iteration of each thread is one call, so the call takes N times that.
        if (r.run_type == Run::RT_Iteration) {
            const double wall = r.GetAdjustedRealTime() * to_ns(r.time_unit) * r.threads;
            samples_[name].push_back(r.threads > 1 ? wall
                                                   : r.GetAdjustedCPUTime() * to_ns(r.time_unit));
            wall_[name].push_back(wall);
        }
    }
    json_.ReportRuns(runs);
}

const std::vector<double> *Collector::samples(const std::string &name) const
{
    auto s = samples_.find(name);
    return s == samples_.end() || s->second.empty() ? nullptr : &s->second;
}

Reference case_reference(const Collector &col, const Case &c, int threads)
{
    Reference best;
    for (const std::string &name : ref_names(c, threads)) {
        const double ns = col.median_ns(name);
        if (ns > 0 && (std::isnan(best.median_ns) || ns < best.median_ns))
            best = {name, ns};
    }
    return best;
}

namespace {

// The median of a benchmark's repetitions (harness_median: Google Benchmark's median
// aggregate); NaN for none.
double median_of(const std::map<std::string, std::vector<double>> &m, const std::string &name)
{
    auto s = m.find(name);
    return s == m.end() ? NAN : harness_median(s->second.data(), s->second.size());
}

}  // namespace

double Collector::median_ns(const std::string &name) const { return median_of(samples_, name); }

double Collector::median_wall_ns(const std::string &name) const { return median_of(wall_, name); }

}  // namespace posenc_bench
