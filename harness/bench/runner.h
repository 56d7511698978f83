// runner.h - registers the cases with Google Benchmark (every implementation this CPU runs, the
// same-run memory passes, the attention context) and collects what each benchmark measured.
#ifndef POSENC_BENCH_RUNNER_H
#define POSENC_BENCH_RUNNER_H

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cases.h"

namespace posenc_bench {

// One (case, implementation) benchmark.
struct KernelBench {
    Case *c;
    const posenc_impl *impl;
    std::string name;
    bool dispatched = false;  // "<group>/impl=dispatch": impl is what dispatch picked
    int threads = 1;          // the call split over this many threads (thread_split.h)
};

// An implementation that was not timed on a case, and why ("this CPU lacks avx512f ...").
struct Skip {
    Case *c;
    const posenc_impl *impl;
    std::string reason;
    int threads = 1;
    bool unsplit = false;  // the case is not split over `threads` threads (split_refusal)
};

// What one benchmark counts per call, by benchmark name.
struct Entry {
    size_t elements;
    size_t traffic_bytes;
};

struct Registered {
    std::vector<int> threads;                        // the run's thread counts, ascending
    std::vector<KernelBench> kernels;
    std::vector<Skip> skipped;
    std::map<std::string, Entry> entries;            // kernels and memory passes
    std::map<const Case *, std::string> attention;   // rotary prefill case -> its sgemm benchmark
    std::vector<std::string> benchmark_names;        // every benchmark, as Google Benchmark
                                                     // names it (progress.h)
};

// Registers everything for cases(), once per thread count of `threads` (ascending, 1 the
// single-thread benchmarks of old; N > 1 the case's tokens split over N threads beside its
// memory pass on N threads, timed in wall-clock time, "/threads=N" in their names);
// implementations whose names do not match impl_regex (POSIX extended, "" for all) are left
// out entirely. Returns false on a bad expression.
bool register_all(const std::string &impl_regex, const std::vector<int> &threads,
                  Registered &out);

// The name of a kernel benchmark: "<group>[/threads=N]/impl=<implementation>".
std::string kernel_name(const Case &c, const std::string &impl, int threads);
// The memory passes of a case on `threads` threads, one per way of moving its bytes
// (mempass.h): "<family>/bytes=<N>[/threads=N]".
std::vector<std::string> ref_names(const Case &c, int threads);

// Narrows Google Benchmark's filter to what the caller selected, widened to the memory passes
// and attention benchmarks of the kernels it selects, so that every ratio can still be formed.
void widen_filter_to_references(const Registered &reg);

// Machine facts, posenc's build and the run's implementations in Google Benchmark's context
// (and so in gbench.json); "threads": the run's thread counts, "1,2".
void add_context(const Registered &reg, const std::vector<int> &threads);

// The plan of a (case, implementation), kept for the run (a table plan is as large as the data);
// its table memory in bytes, or 0.
size_t plan_table_bytes(const Case *c, const posenc_impl *impl);
void release_plans();

// The file reporter of the run: writes Google Benchmark's own JSON (gbench.json, through its
// JSONReporter, on the stream Google Benchmark opens for --benchmark_out) and keeps every
// repetition's CPU time for the records. It sees every run, whatever the console shows
// (--benchmark_display_aggregates_only applies to the display reporter only).
class Collector : public benchmark::BenchmarkReporter {
public:
    bool ReportContext(const Context &context) override;
    void ReportRuns(const std::vector<Run> &runs) override;
    void Finalize() override { json_.Finalize(); }

    // Median of the repetitions' time per call, ns; NaN when the benchmark did not run. The time
    // is the thread's CPU time for a benchmark on one thread, and the wall-clock time of the
    // whole call (every thread's slice) for one on N threads.
    double median_ns(const std::string &name) const;
    // Every repetition's time per call, ns, in the order they ran.
    const std::vector<double> *samples(const std::string &name) const;
    // The median of the repetitions' wall-clock time per call, ns (on N threads the same as
    // median_ns); NaN when the benchmark did not run. What the thread scaling compares with.
    double median_wall_ns(const std::string &name) const;

    std::map<std::string, std::string> errors;
    int64_t repetitions = 0;
    // Machine facts from Google Benchmark's context.
    double mhz = 0;
    int num_cpus = 0;
    std::vector<benchmark::CPUInfo::CacheInfo> caches;
    std::vector<double> load_avg;

private:
    benchmark::JSONReporter json_;
    std::map<std::string, std::vector<double>> samples_, wall_;
};

// A case's reference on `threads` threads: the fastest of its memory pass's ways timed in this
// run (mempass.h), its benchmark name and median; {"", NaN} when none ran.
struct Reference {
    std::string name;
    double median_ns = NAN;
};
Reference case_reference(const Collector &col, const Case &c, int threads = 1);

}  // namespace posenc_bench

#endif
