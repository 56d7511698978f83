// mempass.cc - the reference memory passes: every way of moving a kind's bytes (mempass.h), built
// once per instruction set (mempass_isa.h) and picked by the CPU features posenc uses.
//
// CMake compiles this file with -O3 whatever the build type, so the plain loops are vectorized
// in every build (GCC 12 at -O2 leaves a loop of unknown length scalar).
//
// Which way wins depends on the machine and the size, so every way is timed and the fastest
// taken. On Zen 4 (2-core VM, medians of 11): the read+write of 8 MiB (in the last-level cache)
// takes 152 us with explicit vectors, four or eight per iteration alike, 355 us with
// non-temporal stores; of 64 MiB 2.5 ms with vectors, 2.8 ms with non-temporal stores. Software
// prefetch (prefetcht0 1 to 4 KiB ahead, or prefetchw) is not a way: it slowed every size there
// (8 MiB 161-176 us, 64 MiB 3.1-3.6 ms), the hardware prefetchers already follow one stream.
// For writes alone the non-temporal stores and memset win past the cache (128 MiB: 4.9 ms
// against 5.8-6.1 ms with ordinary stores, which read each line before writing it).
#include "mempass.h"

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define POSENC_MEMPASS_X86 1
#endif

// Unrolled so that loop overhead does not cap the cache-resident sizes (a 16 KiB decode buffer
// sits in L1, where one vector per iteration falls short of the load/store ports).
#define POSENC_MEMPASS_UNROLL _Pragma("GCC unroll 4")

namespace posenc_bench {

namespace {

// 32-bit words aliasing the elements of any type.
typedef uint32_t __attribute__((may_alias)) word;

// One way of a pass over m words: write v; flip the bits of mask; flip the bits of mask that
// are set in w, r words of w per word of x (r = 1 for float32 x, 2 for 16-bit x).
struct PassFns {
    void (*write)(word *x, size_t m, uint32_t v);
    void (*rw)(word *x, size_t m, uint32_t mask);
    void (*rw_r32)(word *x, size_t m, const word *w, size_t r, uint32_t mask);
};

// The base ISA of the target: plain loops only (on AArch64 NEON is in the base ISA).
#define MP_NS isa_base
#define MP_ATTR
#include "mempass_isa.h"

#if POSENC_MEMPASS_X86
// The reference must be as fast as the machine allows, or every ratio to it flatters the kernels:
// with the x86-64 baseline (SSE2) the read+write pass runs at 20 GB/s on a 3 MiB buffer where
// AVX2 reaches 33 GB/s. Each ISA's copy runs only after posenc's CPU check (which
// POSENC_DISABLE_CPU_FEATURES narrows).
#define MP_NS isa_avx2
#define MP_ATTR __attribute__((target("avx2")))
#define MP_VEC __m256i
#define MP_LOAD(p) _mm256_load_si256(reinterpret_cast<const __m256i *>(p))
#define MP_STORE(p, v) _mm256_store_si256(reinterpret_cast<__m256i *>(p), v)
#define MP_STREAM(p, v) _mm256_stream_si256(reinterpret_cast<__m256i *>(p), v)
#define MP_XOR(a, b) _mm256_xor_si256(a, b)
#define MP_AND(a, b) _mm256_and_si256(a, b)
#define MP_SET1(v) _mm256_set1_epi32((int)(v))
#include "mempass_isa.h"

#define MP_NS isa_avx512
#define MP_ATTR __attribute__((target("avx512f")))
#define MP_VEC __m512i
#define MP_LOAD(p) _mm512_load_si512(reinterpret_cast<const void *>(p))
#define MP_STORE(p, v) _mm512_store_si512(reinterpret_cast<void *>(p), v)
#define MP_STREAM(p, v) _mm512_stream_si512(reinterpret_cast<__m512i *>(p), v)
#define MP_XOR(a, b) _mm512_xor_si512(a, b)
#define MP_AND(a, b) _mm512_and_si512(a, b)
#define MP_SET1(v) _mm512_set1_epi32((int)(v))
#include "mempass_isa.h"
#endif

// The widest vectors posenc may use on this CPU: 512, 256, or 0 (the base ISA only).
int vector_bits()
{
#if POSENC_MEMPASS_X86
    const uint64_t f = posenc_cpu_features();
    if (f & POSENC_CPU_AVX512F)
        return 512;
    if (f & POSENC_CPU_AVX2)
        return 256;
#endif
    return 0;
}

// The functions of a way (not kMemset); null when this CPU has none (explicit vectors on the
// base ISA).
const PassFns *fns_of(PassWay way)
{
#if POSENC_MEMPASS_X86
    const int bits = vector_bits();
    if (bits)
        switch (way) {
        case PassWay::kPlain: return bits == 512 ? &isa_avx512::plain : &isa_avx2::plain;
        case PassWay::kVector: return bits == 512 ? &isa_avx512::vec : &isa_avx2::vec;
        case PassWay::kStreaming: return bits == 512 ? &isa_avx512::nt : &isa_avx2::nt;
        default: return nullptr;
        }
#endif
    return way == PassWay::kPlain ? &isa_base::plain : nullptr;
}

}  // namespace

std::vector<PassWay> mempass_ways(PassKind kind)
{
    std::vector<PassWay> ways = {PassWay::kPlain};
    if (vector_bits())
        ways.insert(ways.end(), {PassWay::kVector, PassWay::kStreaming});
    if (kind == PassKind::kWrite)
        ways.push_back(PassWay::kMemset);
    return ways;
}

std::string mempass_family(Pass pass)
{
    std::string f = pass.kind == PassKind::kWrite ? "mempass_w" : "mempass_rw";
    if (pass.dtype != POSENC_DTYPE_F32)
        f += std::string("_") + posenc_dtype_name(pass.dtype);
    if (pass.kind == PassKind::kReadWriteRead32)
        f += "_r32";
    switch (pass.way) {
    case PassWay::kVector: return f + "_vec";
    case PassWay::kStreaming: return f + "_nt";
    case PassWay::kMemset: return f + "_memset";
    default: return f;
    }
}

void mempass_run(Pass pass, void *x, const void *w, size_t bytes)
{
    if (pass.way == PassWay::kMemset) {
        memset(x, 0x3f, bytes);
        return;
    }
    const PassFns *f = fns_of(pass.way);
    if (!f)
        return;  // not in mempass_ways: never registered
    const bool f32 = pass.dtype == POSENC_DTYPE_F32;
    const uint16_t half = pass.dtype == POSENC_DTYPE_BF16 ? 0x3f00 : 0x3800;  // 0.5
    const uint32_t mask = f32 ? 1u : 0x10001u;
    word *p = static_cast<word *>(x);
    const size_t m = bytes / 4;
    // the last element of an odd count of 16-bit elements, alone
    uint16_t *last = bytes % 4 ? static_cast<uint16_t *>(x) + bytes / 2 - 1 : nullptr;
    switch (pass.kind) {
    case PassKind::kWrite:
        f->write(p, m, f32 ? 0x3f000000u : half * 0x10001u);
        if (last)
            *last = half;
        break;
    case PassKind::kReadWrite:
        f->rw(p, m, mask);
        if (last)
            *last ^= 1;
        break;
    case PassKind::kReadWriteRead32: {
        const word *ww = static_cast<const word *>(w);
        f->rw_r32(p, m, ww, f32 ? 1 : 2, mask);
        if (last)
            *last ^= (uint16_t)(ww[bytes / 2 - 1] & 1);
        break;
    }
    }
}

std::string mempass_description()
{
    const int bits = vector_bits();
    return std::string("each case's reference is the fastest way timed in the run; ways: plain "
                       "(compiler-vectorized loop), vec (explicit vectors, 4 per iteration), nt "
                       "(non-temporal stores), memset (write only); write x[i] = 0.5, "
                       "read+write x[i] ^= 1, learned x[i] ^= w[i] & 1 (w float32), on 32-bit "
                       "words; compiled -O3; vectors: ") +
           (bits == 512 ? "AVX-512F" : bits == 256 ? "AVX2" : "the base ISA's");
}

}  // namespace posenc_bench
