// targets.h - the speed-target summary of the targets suite.
#ifndef POSENC_BENCH_TARGETS_H
#define POSENC_BENCH_TARGETS_H

#include <string>

#include "cases.h"
#include "runner.h"

namespace posenc_bench {

// The table of speed targets (the machine kind a target is for, median, reference median,
// ratio, limit, PASS/MISS per implementation), the implementations not measured, and every
// benchmark's median, ns per element and GB/s; *misses gets the number of rows that missed among
// the targets for any machine and for this machine's kind.
std::string targets_summary(const Collector &col, const Registered &reg, const TargetCases &t,
                            int *misses);

}  // namespace posenc_bench

#endif
