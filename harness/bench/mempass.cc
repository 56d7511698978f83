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

// The 16-bit passes work on pairs of elements, 32-bit words: 16-bit lanes in 512-bit vectors
// need AVX-512BW, which GCC's target_clones cannot name (with F alone it keeps them to 256 bits),
// while 32-bit words take AVX-512F's widest vectors like the float passes. A last element of an
// odd count is done alone. The words alias the 16-bit elements.
typedef uint32_t __attribute__((may_alias)) word_alias;

POSENC_MEMPASS_CLONES void mempass_write16(uint16_t *x, size_t n, uint16_t value)
{
    word_alias *__restrict p = static_cast<word_alias *>(__builtin_assume_aligned(x, 64));
    const uint32_t v = (uint32_t)value * 0x10001u;
    POSENC_MEMPASS_UNROLL
    for (size_t i = 0; i < n / 2; i++)
        p[i] = v;
    if (n & 1)
        x[n - 1] = value;
}

POSENC_MEMPASS_CLONES void mempass_read_write16(uint16_t *x, size_t n)
{
    word_alias *__restrict p = static_cast<word_alias *>(__builtin_assume_aligned(x, 64));
    POSENC_MEMPASS_UNROLL
    for (size_t i = 0; i < n / 2; i++)
        p[i] ^= 0x10001u;
    if (n & 1)
        x[n - 1] ^= 1;
}

// Each word of x (two elements) takes one float32's bits from each half of w, so w is read in
// two streams, in full and once.
POSENC_MEMPASS_CLONES void mempass_read_write16_read32(uint16_t *x, const uint32_t *w, size_t n)
{
    word_alias *__restrict p = static_cast<word_alias *>(__builtin_assume_aligned(x, 64));
    const size_t m = n / 2;
    const uint32_t *__restrict lo = static_cast<const uint32_t *>(__builtin_assume_aligned(w, 64));
    const uint32_t *__restrict hi = w + m;
    POSENC_MEMPASS_UNROLL
    for (size_t i = 0; i < m; i++)
        p[i] ^= (lo[i] ^ hi[i]) & 0x10001u;
    if (n & 1)
        x[n - 1] ^= (uint16_t)(w[n - 1] & 1);
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

std::string mempass_family(Pass pass)
{
    const bool f32 = pass.dtype == POSENC_DTYPE_F32;
    const std::string t = f32 ? "" : std::string("_") + posenc_dtype_name(pass.dtype);
    switch (pass.kind) {
    case PassKind::kWrite: return "mempass_w" + t;
    case PassKind::kReadWrite: return "mempass_rw" + t;
    case PassKind::kWriteStreaming: return "mempass_w_stream" + t;
    default: return "mempass_rw" + t + "_r32";
    }
}

const char *mempass_description()
{
    return "write: x[i] = c, ordinary stores; read+write: x[i] += 1.0f; 16-bit data: "
           "x[i] = c, x[i] ^= 1, learned x[i] ^= w[i] & 1 (w float32); compiled -O3, "
           POSENC_MEMPASS_CLONE_NOTE;
}

}  // namespace posenc_bench
