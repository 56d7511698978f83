// instructions.h - `posenc bench --instructions`: the instructions retired by one call of each
// kernel, counted around that call only, for a gate that must not flake on a noisy machine
// (`posenc compare --metric instructions`). The counts go into the run model's instructions,
// instructions_per_element, instructions_source and instructions_note (run.json's speed object).
//
// How a count is taken. For each case that was timed (status "ok", the impl=dispatch cases
// included), the implementation's plan is made as the benchmark makes it, the case's buffer is
// filled with fixed values, and one warm-up call is made, outside any count; then one more call
// is counted:
//   - "perf": the CPU's counter through perf_event_open (PERF_COUNT_HW_INSTRUCTIONS, user space
//     only: exclude_kernel, exclude_hv) on the calling thread: reset, enable, the call, disable,
//     read. The smallest of three such counts is kept: on some x86 CPUs an interrupt that lands
//     in the window can add a count. Used when the counter opens and counts.
//   - "callgrind": where the CPU exposes no counter (most VMs), the command runs itself again
//     under `valgrind --tool=callgrind --collect-atstart=no` in a counting-only mode
//     (callgrind_child.h) with the same options and environment; there the call is wrapped in
//     CALLGRIND_TOGGLE_COLLECT and dumped with CALLGRIND_DUMP_STATS_AT("<case id>"), and this
//     process reads each dump's Ir (callgrind_dump.h). The dumps stay in <run>/callgrind/ for
//     callgrind_annotate.
//
// What a count includes: the call through the public entry point, posenc_apply or posenc_encode,
// with its argument checks and the call into the implementation, the kernel itself, and a few
// dozen instructions of the harness around the call (kernel_call.h, the counter's switching).
// Not included: making the plan (tables, frequencies), filling the buffer, the warm-up call, and
// whatever the operating system does for the call (page faults).
//
// Counts are deterministic: the same build, machine kind and options give the same counts run
// after run (the buffer's values and its place relative to the data it is copied from are fixed,
// kernel_call.cc).
//
// perf and callgrind counts are not comparable with each other: the hardware counts retired
// x86 instructions, callgrind the guest instructions valgrind decodes (a rep-prefixed string
// instruction is one per iteration there), and under valgrind the C library and libm pick their
// own variants (memcpy, memset) for valgrind's CPU. A count is comparable with counts of the
// same source, build and CPU kind only; a compare must refuse or warn when sources differ.
//
// AVX-512 under valgrind: valgrind cannot run AVX-512, so an avx512 implementation is counted
// through its avx2 instantiation of the same kernel template (callgrind_child.h says when one
// stands in): instructions_impl names what was counted ("rotary/avx2"), instructions_note says
// what the count covers ("counted rotary/avx2 under callgrind, standing in for rotary/avx512
// ..."). Such a count follows changes to the shared kernel code, not to what only the AVX-512
// instantiation does (its wider vectors, its masked tails); the time metric covers that.
//
// Not counted, with the reason in instructions_note: cases that did not run (their reason), an
// emulated run (qemu), implementations whose features valgrind's CPU hides and that have no
// stand-in, a build with AddressSanitizer under valgrind, and every case when valgrind is
// missing (a warning says so; the run goes on).
#ifndef POSENC_BENCH_INSTRUCTIONS_H
#define POSENC_BENCH_INSTRUCTIONS_H

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include "run_record.h"
}

namespace posenc_bench {

// One kernel call to count: the case id, the case's group, the implementation's name, and
// whether the case is the dispatched one (impl=dispatch).
struct CountTarget {
    std::string id, group, impl;
    bool dispatched = false;
};

// Its count (source "perf" or "callgrind") and the implementation counted (the target's, or a
// stand-in, with note saying what the count covers), or why there is none (note).
struct CountResult {
    uint64_t instructions = 0;
    std::string source, impl, note;
};

// "auto" (perf, else callgrind), "perf", "callgrind": whether the word names a method.
bool instructions_method_valid(const std::string &method);

// Counts the timed cases of rcases by method and fills their instruction fields; the cases that
// are not counted get instructions_note. argc and argv are `posenc bench`'s own (argv[0]
// "bench"), passed on to the counting child. Returns 0, or 1 after a message when counting
// failed (the callgrind child failed, a kernel failed while counted); a method that is not
// available here (no counter, no valgrind) is a warning and notes, not a failure.
int count_instructions(const std::string &method, std::vector<run_case> &rcases,
                       const std::string &run_dir, int argc, char **argv);

}  // namespace posenc_bench

#endif
