/* test_vec_half.c - every vector API's 16-bit loads and stores against core/half.h, bit for bit:
 * widening on every bf16 and fp16 pattern, narrowing on every sign and exponent with the
 * mantissas at each rounding boundary (the dropped bits 0, 1, just below, at and above half, all
 * ones, for the 13 bits fp16 drops, the 14 to 24 of its subnormals and the 16 of bf16), the
 * overflow boundaries (65520, bf16's largest finite), NaNs with payloads and both signs,
 * infinities and random patterns; every call on unaligned pointers, with each tail length. The
 * masked tails (floats and 16-bit elements) read as zero past n, leave memory past n untouched,
 * and neither read nor write past n (the element before an inaccessible page). An ISA this CPU
 * lacks is skipped, saying so; the portable API runs everywhere. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "core/half.h"
#include "float_bits.h"
#include "posenc.h"
#include "vec_half.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rng32(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* The narrowing patterns. */
static uint32_t *narrow_patterns(size_t *count, int quick)
{
    static const unsigned dropped[] = {13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
    static const uint32_t special[] = {
        0x477fe000u, /* 65504, fp16's largest */
        0x477fefffu, /* just below 65520: rounds to 65504 */
        0x477ff000u, /* 65520: the tie, rounds to inf */
        0x477ff001u, 0x47800000u, /* 65536 */
        0x7f7f0000u, /* bf16's largest */
        0x7f7f7fffu, 0x7f7f8000u, /* the tie above it: rounds to inf */
        0x7f7fffffu, /* float's largest */
        0x7f800000u, 0xff800000u, /* infinities */
        0x7f800001u, 0x7fbfffffu, 0x7fc00000u, 0x7fc00001u, 0x7fffffffu, 0x7f802000u,
        0xff800001u, 0xffbfffffu, 0xffc00000u, 0xffffffffu, 0xffc02000u, /* NaNs */
        0x38800000u, 0x387fffffu, /* 2^-14, fp16's smallest normal, and below */
        0x33800000u, 0x33000000u, 0x33000001u, 0x32ffffffu, /* 2^-24, 2^-25 (tie) and around */
        0x00000001u, 0x007fffffu, 0x00800000u, 0x00008000u, 0x00018000u, /* float subnormals */
        0x00000000u, 0x80000000u,
    };
    size_t n_random = quick ? 100000 : 2000000;
    size_t cap = 2 * 256 * (sizeof dropped / sizeof *dropped) * 8 * 6 +
                 sizeof special / sizeof *special + n_random;
    uint32_t *p = malloc(cap * sizeof *p);
    size_t n = 0;
    for (uint32_t sign = 0; sign < 2; sign++)
        for (uint32_t e = 0; e < 256; e++)
            for (size_t d = 0; d < sizeof dropped / sizeof *dropped; d++) {
                unsigned s = dropped[d];
                uint32_t half = UINT32_C(1) << (s - 1), full = UINT32_C(1) << s;
                uint32_t kept_max = (UINT32_C(1) << (23 - (s < 23 ? s : 23))) - 1;
                uint32_t kept[8] = {0, 1, 2, 3, kept_max, kept_max - 1, rng32(), rng32()};
                uint32_t rest[6] = {0, 1, half - 1, half, half + 1, full - 1};
                for (int k = 0; k < 8; k++)
                    for (int r = 0; r < 6; r++) {
                        uint32_t m = (s < 23 ? kept[k] << s : 0) | rest[r];
                        p[n++] = sign << 31 | e << 23 | (m & 0x7fffffu);
                    }
            }
    for (size_t i = 0; i < sizeof special / sizeof *special; i++)
        p[n++] = special[i];
    for (size_t i = 0; i < n_random; i++)
        p[n++] = rng32();
    *count = n;
    return p;
}

/* n elements of `size` bytes at `offset` elements past a 64-byte boundary (unaligned) */
static void *aligned_at(size_t n, size_t size, size_t offset)
{
    unsigned char *b = aligned_alloc(64, ((n + offset) * size + 63) / 64 * 64 + 64);
    return b + offset * size;
}

/* the ISA's conversion over the whole array in calls of 1, 2, .. 2 lanes + 3 elements (every
   tail length), at `offset` elements from alignment */
typedef void (*narrow_fn)(const float *, uint16_t *, size_t);
typedef void (*widen_fn)(const uint16_t *, float *, size_t);

static void run_narrow(narrow_fn f, unsigned lanes, const float *in, uint16_t *out, size_t n)
{
    size_t len = 1;
    for (size_t j = 0; j < n;) {
        size_t m = len < n - j ? len : n - j;
        f(in + j, out + j, m);
        j += m;
        len = len % (2 * lanes + 3) + 1;
    }
}

static void run_widen(widen_fn f, unsigned lanes, const uint16_t *in, float *out, size_t n)
{
    size_t len = 1;
    for (size_t j = 0; j < n;) {
        size_t m = len < n - j ? len : n - j;
        f(in + j, out + j, m);
        j += m;
        len = len % (2 * lanes + 3) + 1;
    }
}

static void check_narrowing(const vec_half_isa *isa, const uint32_t *pat, size_t n)
{
    for (size_t offset = 0; offset < 3; offset++) {
        float *in = aligned_at(n, sizeof(float), offset);
        uint16_t *out = aligned_at(n, sizeof(uint16_t), offset + 1);
        for (size_t i = 0; i < n; i++)
            in[i] = from_bits(pat[i]);
        for (int bf = 0; bf < 2; bf++) {
            memset(out, 0xAA, n * sizeof *out);
            run_narrow(bf ? isa->narrow_bf16 : isa->narrow_f16, isa->lanes, in, out, n);
            size_t bad = 0, first = 0;
            for (size_t i = 0; i < n; i++) {
                uint16_t want = bf ? posenc_f32_bits_to_bf16(pat[i]) : posenc_f32_bits_to_f16(pat[i]);
                if (out[i] != want && !bad++)
                    first = i;
            }
            CHECK(!bad, "%s: %s stores: %zu of %zu differ from core/half.h, first 0x%08x -> 0x%04x, "
                  "want 0x%04x (offset %zu)", isa->name, bf ? "bf16" : "f16", bad, n, pat[first],
                  out[first], bf ? posenc_f32_bits_to_bf16(pat[first])
                                 : posenc_f32_bits_to_f16(pat[first]), offset);
        }
        free(in - offset);
        free(out - offset - 1);
    }
}

static void check_widening(const vec_half_isa *isa)
{
    size_t n = 65536;
    for (size_t offset = 0; offset < 3; offset++) {
        uint16_t *in = aligned_at(n, sizeof(uint16_t), offset);
        float *out = aligned_at(n, sizeof(float), offset + 1);
        for (size_t i = 0; i < n; i++)
            in[i] = (uint16_t)(i * 40503u); /* every pattern once, in a scattered order */
        for (int bf = 0; bf < 2; bf++) {
            memset(out, 0xAA, n * sizeof *out);
            run_widen(bf ? isa->widen_bf16 : isa->widen_f16, isa->lanes, in, out, n);
            size_t bad = 0, first = 0;
            for (size_t i = 0; i < n; i++) {
                uint32_t want = bf ? posenc_bf16_to_f32_bits(in[i]) : posenc_f16_to_f32_bits(in[i]);
                if (bits_of(out[i]) != want && !bad++)
                    first = i;
            }
            CHECK(!bad, "%s: %s loads: %zu of 65536 differ from core/half.h, first 0x%04x -> "
                  "0x%08x, want 0x%08x (offset %zu)", isa->name, bf ? "bf16" : "f16", bad,
                  in[first], bits_of(out[first]),
                  bf ? posenc_bf16_to_f32_bits(in[first]) : posenc_f16_to_f32_bits(in[first]),
                  offset);
        }
        free(in - offset);
        free(out - offset - 1);
    }
}

/* Tails: n < lanes elements; the lanes past n load as +0, memory past n keeps its bytes. */
static void check_tails(const vec_half_isa *isa)
{
    unsigned L = isa->lanes;
    float in[64], out[64], lanes[64];
    uint16_t hin[64], hout[64];
    for (unsigned i = 0; i < 64; i++) {
        in[i] = (float)i + 0.25f;
        hin[i] = (uint16_t)(0x3c00u + i); /* 1 + i/1024 in fp16; a normal bf16 too */
    }
    for (unsigned n = 0; n <= L; n++)
        for (unsigned off = 0; off < 4; off++) {
            /* floats */
            memset(out, 0xAA, sizeof out);
            isa->copy_f32(in + off, out + off, n);
            int ok = 1;
            for (unsigned i = 0; i < 64; i++)
                ok &= i >= off && i < off + n ? bits_of(out[i]) == bits_of(in[i])
                                              : bits_of(out[i]) == 0xAAAAAAAAu;
            CHECK(ok, "%s: vf_loadu_n/vf_storeu_n of %u at offset %u", isa->name, n, off);
            /* 16-bit stores */
            for (int bf = 0; bf < 2; bf++) {
                memset(hout, 0xAA, sizeof hout);
                (bf ? isa->narrow_bf16 : isa->narrow_f16)(in + off, hout + off, n);
                ok = 1;
                for (unsigned i = 0; i < 64; i++) {
                    uint32_t b = bits_of(in[i]);
                    uint16_t want = bf ? posenc_f32_bits_to_bf16(b) : posenc_f32_bits_to_f16(b);
                    ok &= i >= off && i < off + n ? hout[i] == want : hout[i] == 0xAAAAu;
                }
                CHECK(ok, "%s: vf_store_%s_n of %u at offset %u", isa->name, bf ? "bf16" : "f16",
                      n, off);
            }
            /* loads: lanes past n are +0 */
            for (int type = VEC_HALF_F32; type <= VEC_HALF_BF16; type++) {
                memset(lanes, 0xAA, sizeof lanes);
                const void *src = type == VEC_HALF_F32 ? (const void *)(in + off)
                                                       : (const void *)(hin + off);
                isa->load_lanes(type, src, n, lanes);
                ok = 1;
                for (unsigned i = 0; i < L; i++) {
                    uint32_t want = i >= n                 ? 0
                                    : type == VEC_HALF_F32 ? bits_of(in[off + i])
                                    : type == VEC_HALF_F16 ? posenc_f16_to_f32_bits(hin[off + i])
                                                           : posenc_bf16_to_f32_bits(hin[off + i]);
                    ok &= bits_of(lanes[i]) == want;
                }
                CHECK(ok, "%s: masked load (type %d) of %u at offset %u: lanes past n not +0 or "
                      "lanes below n wrong", isa->name, type, n, off);
            }
        }
}

/* Tails that end at an inaccessible page: a read or write past n faults. */
static void check_page_end(const vec_half_isa *isa)
{
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        CHECK(0, "mmap failed");
        return;
    }
    CHECK(mprotect(m + page, (size_t)page, PROT_NONE) == 0, "mprotect failed");
    unsigned char *end = m + page;
    float lanes[64];
    for (unsigned n = 0; n < isa->lanes; n++) {
        float *f = (float *)(void *)(end - n * sizeof(float));
        uint16_t *h = (uint16_t *)(void *)(end - n * sizeof(uint16_t));
        for (unsigned i = 0; i < n; i++) {
            f[i] = 1.5f;
            h[i] = 0x3e00u;
        }
        float *fo = (float *)(void *)(end - (size_t)page / 2); /* a float buffer of n, in bounds */
        isa->copy_f32(f, f, n);
        isa->narrow_f16(fo, h, n);
        isa->narrow_bf16(fo, h, n);
        isa->widen_f16(h, fo, n);
        isa->widen_bf16(h, fo, n);
        isa->load_lanes(VEC_HALF_F32, f, n, lanes);
        isa->load_lanes(VEC_HALF_F16, h, n, lanes);
        isa->load_lanes(VEC_HALF_BF16, h, n, lanes);
    }
    CHECK(1, "%s: tails before an inaccessible page", isa->name); /* reached: nothing faulted */
    munmap(m, 2 * (size_t)page);
}

int main(int argc, char **argv)
{
    int quick = tests_parse_quick(argc, argv, "test_vec_half");
    if (quick < 0)
        return 2;
    size_t n;
    uint32_t *pat = narrow_patterns(&n, quick);
    const vec_half_isa *isas[] = {
        &vec_half_portable,
#if TEST_HAVE_AVX2
        &vec_half_avx2,
#endif
#if TEST_HAVE_AVX512
        &vec_half_avx512,
#endif
#if TEST_HAVE_NEON
        &vec_half_neon,
#endif
    };
    uint64_t have = posenc_cpu_features();
    int vector_isas = 0;
    for (size_t k = 0; k < sizeof isas / sizeof *isas; k++) {
        const vec_half_isa *isa = isas[k];
        if ((have & isa->cpu_features) != isa->cpu_features) {
            printf("test_vec_half: SKIP %s: this CPU lacks a feature it needs (or "
                   "POSENC_DISABLE_CPU_FEATURES hides it)\n", isa->name);
            continue;
        }
        int before = check_failures;
        check_widening(isa);
        check_narrowing(isa, pat, n);
        check_tails(isa);
        check_page_end(isa);
        printf("test_vec_half: %s (%u lanes): 2 x 65536 loads, 2 x %zu stores, tails: %s\n",
               isa->name, isa->lanes, n, check_failures == before ? "ok" : "FAILED");
        vector_isas += isa->cpu_features != 0;
    }
    free(pat);
    if (!vector_isas)
        return tests_skip("test_vec_half", "this CPU runs none of the vector APIs compiled in "
                                           "(the portable one passed)");
    return tests_exit_code("test_vec_half");
}
