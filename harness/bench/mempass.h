// mempass.h - the reference memory passes the kernel benchmarks are measured against.
//
// Every speed target is a ratio to a pass over the same bytes, timed in the same run, so a figure
// reads as a fraction of what this machine's memory system allows. A pass kind (what the kernel
// must move) has several ways of moving those bytes; every way is timed, and a case's reference
// is the fastest of them in that run (runner.h, case_reference): the limit is whatever this
// machine does fastest, not what one loop happens to reach.
#ifndef POSENC_BENCH_MEMPASS_H
#define POSENC_BENCH_MEMPASS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "posenc.h"

namespace posenc_bench {

// What a pass moves. kWrite: writes the buffer (encode). kReadWrite: reads and writes it in place
// (apply, scores). kReadWriteRead32: reads and writes it and reads one float32 per element of a
// second buffer (learned apply, which reads a float32 row of W per token whatever the type of x).
enum class PassKind { kWrite, kReadWrite, kReadWriteRead32 };

// How it moves them. kPlain: the loop the compiler vectorizes (the only reference before the
// others existed; kept as the comparison). kVector: explicit widest vectors, four per iteration,
// ordinary stores. kStreaming: the same loads with non-temporal stores, which skip the cache (and
// for a write-only pass the read-for-ownership): on x86-64 only. kMemset: glibc's memset, write
// only.
enum class PassWay { kPlain, kVector, kStreaming, kMemset };

// A reference pass over a buffer of dtype elements (a case's pass runs over the buffer of the
// case's type, the pages its kernel uses).
struct Pass {
    PassKind kind;
    posenc_dtype dtype;
    PassWay way = PassWay::kPlain;
};

// The ways this build times for a kind (kPlain first).
std::vector<PassWay> mempass_ways(PassKind kind);

// Its benchmark family: mempass_w, mempass_rw, mempass_rw_r32 on float32 data, with the type
// after it on 16-bit data (mempass_rw_bf16, mempass_rw_f16_r32, ...), then the way: nothing for
// kPlain, _vec, _nt, _memset (mempass_rw_bf16_nt, mempass_w_memset).
std::string mempass_family(Pass pass);

// One pass over `bytes` of x (elements of pass.dtype; 64-byte aligned), and for kReadWriteRead32
// over 4 bytes of w per element of x. Write: x[i] = 0.5 (bfloat16 0x3f00, float16 0x3800;
// memset: every byte 0x3f, 0.747 in float32, 0.746 in bfloat16, 1.81 in float16). Read+write:
// each element's lowest bit flipped (x[i] ^= 1), which keeps a finite value finite and of its
// size whatever ran before; with w, flipped by the lowest bit of w's values. The passes move bits
// and do no arithmetic of the type, so they work on 32-bit words (two 16-bit elements at a
// time) with the widest vectors POSENC_DISABLE_CPU_FEATURES leaves (AVX-512F, AVX2, or the
// compiler's choice for the base ISA), so that hiding AVX-512 gives the view of an AVX2 machine.
void mempass_run(Pass pass, void *x, const void *w, size_t bytes);

// One line saying how the passes above were compiled and dispatched, for the report context.
std::string mempass_description();

}  // namespace posenc_bench

#endif
