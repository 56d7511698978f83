// callgrind_child.h - the counting-only mode of `posenc bench` that runs under valgrind's
// callgrind (`posenc bench --count-child=DIR ...`, started by callgrind_run.cc, not by users):
// each requested kernel call is counted alone and dumped under its case id.
#ifndef POSENC_BENCH_CALLGRIND_CHILD_H
#define POSENC_BENCH_CALLGRIND_CHILD_H

#include <string>

namespace posenc_bench {

// The files the parent and the child share in DIR (the run folder's callgrind/).
// targets.tsv, written by the parent: "<case id>\t<group>\t<implementation>\t<dispatched or
// named>" per line.
// child.tsv, written by the child: "features\t<posenc_cpu_features() in hex>" first, then per
// target "counted\t<id>", "stand-in\t<id>\t<the implementation counted in its stead>",
// "note\t<id>\t<why not counted>" or "failed\t<id>\t<what failed>".
// out.<pid>.<n>: callgrind's dumps, one per counted target, triggered with the id.
extern const char kCountTargets[];
extern const char kCountResults[];

// Counts every target of dir/targets.tsv whose case the command's options defined (the parent
// passes its own options on, so both define the same cases): a warm-up call outside
// collection, then CALLGRIND_TOGGLE_COLLECT, the call, CALLGRIND_TOGGLE_COLLECT and
// CALLGRIND_DUMP_STATS_AT("<id>"). An AVX-512 implementation, which valgrind cannot run, is
// counted through its AVX2 instantiation of the same kernel template where there is one (and,
// for a dispatched case, where dispatch picks it once AVX-512 is hidden): a "stand-in" line;
// other implementations valgrind's CPU cannot run are noted, not counted. Returns 0, 1 when a
// target failed (or not under valgrind), 2 on unreadable files.
int count_child_main(const std::string &dir);

}  // namespace posenc_bench

#endif
