// callgrind_run.h - counts kernel calls under valgrind's callgrind: runs `posenc bench` again in
// its counting-only mode (callgrind_child.h) under valgrind and reads back what it counted.
#ifndef POSENC_BENCH_CALLGRIND_RUN_H
#define POSENC_BENCH_CALLGRIND_RUN_H

#include <string>
#include <vector>

#include "instructions.h"

namespace posenc_bench {

// Why callgrind cannot count in this build or on this machine ("valgrind is not installed
// ..."), or "" when it can.
std::string callgrind_unavailable();

// Counts targets under callgrind, filling results (one per target, in order) with counts or
// the child's notes (an implementation valgrind's CPU cannot run). The child is
//   valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=<run_dir>/callgrind/out.%p
//       <this program> bench <argv without --instructions> --count-child=<run_dir>/callgrind
//       --out <run_dir>
// with this process's environment, OPENBLAS_NUM_THREADS=1 added (the child never calls BLAS,
// and idle BLAS threads would only slow valgrind down) and avx512 added to
// POSENC_DISABLE_CPU_FEATURES (valgrind cannot run it; AVX-512 implementations are counted
// through their avx2 stand-ins, callgrind_child.h); its output goes to
// <run_dir>/callgrind/child.log. false with *why set when the child failed: it did not start,
// exited non-zero or by a signal, or left a target without a count or a note; results keep
// what it did count.
bool count_with_callgrind(const std::vector<CountTarget> &targets, const std::string &run_dir,
                          int argc, char **argv, std::vector<CountResult> *results,
                          std::string *why);

}  // namespace posenc_bench

#endif
