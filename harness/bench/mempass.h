// mempass.h - the reference memory passes the kernel benchmarks are measured against.
//
// Every speed target is a ratio to one of these passes over the same bytes, timed in the same
// run, so a figure reads as a fraction of what this machine's memory system allows.
#ifndef POSENC_BENCH_MEMPASS_H
#define POSENC_BENCH_MEMPASS_H

#include <cstddef>
#include <cstdint>
#include <string>

#include "posenc.h"

namespace posenc_bench {

// A reference pass: what it does, and the element type of the buffer it runs over (a case's pass
// runs over the buffer of the case's type, the pages its kernel uses).
enum class PassKind { kWrite, kReadWrite, kWriteStreaming, kReadWriteRead32 };
struct Pass {
    PassKind kind;
    posenc_dtype dtype;
};

// Its benchmark family: mempass_w, mempass_rw and mempass_w_stream on float32 data;
// mempass_w_bf16, mempass_rw_bf16 and mempass_rw_bf16_r32 on bfloat16 data (f16 likewise).
std::string mempass_family(Pass pass);

// Write-only pass: x[i] = value for i < n, ordinary (cached) stores of the widest vectors this
// CPU has. The reference for encode, which writes a table it does not read.
void mempass_write(float *x, size_t n, float value);

// In-place read+write pass: x[i] += 1.0f for i < n, widest vectors. The reference for apply,
// which reads x and writes it back.
void mempass_read_write(float *x, size_t n);

// The same two passes over 16-bit elements (bfloat16 or float16 data: the passes move bits and
// do no arithmetic of either type), for the cases on 16-bit data. The read+write pass flips the
// lowest bit of each element (x[i] ^= 1): a 16-bit value stays within one unit in the last
// place of what it was, so the finite values a kernel meets stay finite and of their size
// whatever ran before.
void mempass_write16(uint16_t *x, size_t n, uint16_t value);
void mempass_read_write16(uint16_t *x, size_t n);

// The reference of learned apply on 16-bit data, which reads and writes x and reads one float32
// row of W per token: n elements of x read and written, n float32 bits of w read (4 bytes of w
// for every 2 of x), each element's lowest bit flipped by the lowest bit of one of them.
void mempass_read_write16_read32(uint16_t *x, const uint32_t *w, size_t n);

// Write-only pass with non-temporal (streaming) stores, which skip the read-for-ownership an
// ordinary store costs; the machine's raw write ceiling. Shown for information only. Returns
// false where this build has no such pass (it exists on x86-64 only).
bool mempass_write_streaming(float *x, size_t n, float value);
bool mempass_have_streaming();

// One line saying how the passes above were compiled and dispatched, for the report context.
const char *mempass_description();

}  // namespace posenc_bench

#endif
