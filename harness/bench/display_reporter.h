// display_reporter.h - what a bench run prints on the console: Google Benchmark's display
// reporter (--benchmark_format chooses it), with its "Library was built as DEBUG" warning
// replaced by what that means here.
#ifndef POSENC_BENCH_DISPLAY_REPORTER_H
#define POSENC_BENCH_DISPLAY_REPORTER_H

#include <benchmark/benchmark.h>

#include <memory>

namespace posenc_bench {

// Debian builds libbenchmark without NDEBUG, so Google Benchmark's context block warns that
// "Library was built as DEBUG. Timings may be affected." That is about its own internal checks,
// which run once per batch of iterations around the timed loop; the loop itself is inline code
// compiled into posenc with posenc's flags. The reporter says so instead of the warning.
std::unique_ptr<benchmark::BenchmarkReporter> make_display_reporter();

}  // namespace posenc_bench

#endif
