// record.h - the run model (harness/report/run_record.h) filled from a finished Google Benchmark
// run: the cases with their speed, and the machine and build.
#ifndef POSENC_BENCH_RECORD_H
#define POSENC_BENCH_RECORD_H

#include <string>
#include <vector>

#include "runner.h"

extern "C" {
#include "run_record.h"
}

namespace posenc_bench {

// s into a fixed-size field of the run model, cut to fit.
void copy(char *dst, size_t size, const std::string &s);

// One record per (selected case, implementation) in registration order, timed ("ok"), failed
// ("error") or skipped with the reason; speedup over the scalar implementation of the same
// case filled in. accuracy pointers are left NULL.
std::vector<run_case> collect_cases(const Collector &col, const Registered &reg);

// The machine (CPU, features, caches, load, governor) and the build (compiler, flags, library
// versions) of *r.
void fill_machine(run_record *r, const Collector &col);

}  // namespace posenc_bench

#endif
