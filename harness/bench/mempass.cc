// mempass.cc - the reference memory passes: plain loops the compiler vectorizes, one clone per
// vector width on x86-64, and a streaming-store pass for the raw write ceiling.
//
// CMake compiles this file with -O3 whatever the build type, so the passes are vectorized in
// every build (GCC 12 at -O2 leaves a loop of unknown length scalar).
#include "mempass.h"

#if defined(__x86_64__)
#include <emmintrin.h> // SSE2, part of the x86-64 baseline: _mm_stream_ps needs no CPU check
#endif

// The reference must be as fast as the machine allows, or every ratio to it flatters the
// kernels: with the x86-64 baseline (SSE2) the read+write pass runs at 20 GB/s on a 3 MiB buffer
// where AVX2 reaches 33 GB/s. target_clones builds one copy per width and picks the widest the
// CPU runs when the program loads (a GCC ifunc resolver that checks CPUID and XCR0), so no AVX
// instruction runs on a CPU without it. AArch64 has one vector width (NEON) in the base ISA.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define POSENC_MEMPASS_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#define POSENC_MEMPASS_CLONE_NOTE "x86-64 clones avx512f/avx2/default, widest supported runs"
#else
#define POSENC_MEMPASS_CLONES
#define POSENC_MEMPASS_CLONE_NOTE "one build for the target's base vector ISA"
#endif

// Unrolled so that loop overhead does not cap the cache-resident sizes (a 16 KiB decode buffer
// sits in L1, where one vector per iteration falls short of the load/store ports).
#define POSENC_MEMPASS_UNROLL _Pragma("GCC unroll 4")

namespace posenc_bench {

POSENC_MEMPASS_CLONES void mempass_write(float *x, size_t n, float value)
{
    float *__restrict p = static_cast<float *>(__builtin_assume_aligned(x, 64));
    POSENC_MEMPASS_UNROLL
    for (size_t i = 0; i < n; i++)
        p[i] = value;
}

POSENC_MEMPASS_CLONES void mempass_read_write(float *x, size_t n)
{
    float *__restrict p = static_cast<float *>(__builtin_assume_aligned(x, 64));
    POSENC_MEMPASS_UNROLL
    for (size_t i = 0; i < n; i++)
        p[i] += 1.0f;
}

#if defined(__x86_64__)
bool mempass_have_streaming() { return true; }

bool mempass_write_streaming(float *x, size_t n, float value)
{
    // Buffers are 64-byte aligned (16 would do); a tail shorter than a vector is stored plainly.
    const __m128 v = _mm_set1_ps(value);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        _mm_stream_ps(x + i, v);
        _mm_stream_ps(x + i + 4, v);
        _mm_stream_ps(x + i + 8, v);
        _mm_stream_ps(x + i + 12, v);
    }
    for (; i < n; i++)
        x[i] = value;
    // Streaming stores are weakly ordered: fence so the pass is complete when the timer stops.
    _mm_sfence();
    return true;
}
#else
bool mempass_have_streaming() { return false; }
bool mempass_write_streaming(float *, size_t, float) { return false; }
#endif

const char *mempass_description()
{
    return "write: x[i] = c, ordinary stores; read+write: x[i] += 1.0f; compiled -O3, "
           POSENC_MEMPASS_CLONE_NOTE;
}

}  // namespace posenc_bench
