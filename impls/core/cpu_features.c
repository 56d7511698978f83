/* cpu_features.c - what the CPU can run: cpuid + XCR0 on x86-64, hwcaps on AArch64, less the
 * features a user hides with POSENC_DISABLE_CPU_FEATURES (so tests can exercise dispatch). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/environment.h"
#include "posenc.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t read_xcr0(void)
{
    uint32_t lo, hi;
    /* xgetbv, spelled as bytes so this file needs no -mxsave */
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static uint64_t detect(void)
{
    unsigned a, b, c, d;
    uint64_t f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    if (c & bit_SSE4_1)
        f |= POSENC_CPU_SSE41;
    int osxsave = (c & bit_OSXSAVE) != 0;
    uint64_t xcr0 = osxsave ? read_xcr0() : 0;
    /* AVX state only counts when the OS saves XMM and YMM registers (XCR0 bits 1, 2) */
    int ymm_ok = (xcr0 & 0x6) == 0x6;
    /* AVX-512 also needs opmask, ZMM_Hi256 and Hi16_ZMM state (XCR0 bits 5, 6, 7) */
    int zmm_ok = ymm_ok && (xcr0 & 0xe0) == 0xe0;
    if (!ymm_ok)
        return f;
    if (c & bit_AVX)
        f |= POSENC_CPU_AVX;
    if (c & bit_FMA)
        f |= POSENC_CPU_FMA;
    if (c & bit_F16C)
        f |= POSENC_CPU_F16C;
    if (__get_cpuid_max(0, NULL) < 7)
        return f;
    __cpuid_count(7, 0, a, b, c, d);
    if (b & bit_AVX2)
        f |= POSENC_CPU_AVX2;
    if (zmm_ok) {
        if (b & bit_AVX512F)
            f |= POSENC_CPU_AVX512F;
        if (b & bit_AVX512BW)
            f |= POSENC_CPU_AVX512BW;
        if (b & bit_AVX512DQ)
            f |= POSENC_CPU_AVX512DQ;
        if (b & bit_AVX512VL)
            f |= POSENC_CPU_AVX512VL;
        __cpuid_count(7, 1, a, b, c, d);
        if (a & (1u << 5))
            f |= POSENC_CPU_AVX512BF16;
    }
    return f;
}

#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>

static uint64_t detect(void)
{
    unsigned long hw = getauxval(AT_HWCAP);
    uint64_t f = 0;
    if (hw & (1ul << 1)) /* HWCAP_ASIMD */
        f |= POSENC_CPU_NEON;
    if (hw & (1ul << 10)) /* HWCAP_ASIMDHP */
        f |= POSENC_CPU_FP16;
    if (hw & (1ul << 22)) /* HWCAP_SVE */
        f |= POSENC_CPU_SVE;
    return f;
}

#else
static uint64_t detect(void) { return 0; }
#endif

static const struct {
    uint64_t bit;
    const char *name;
} feature_names[] = {
    {POSENC_CPU_SSE41, "sse4.1"},       {POSENC_CPU_AVX, "avx"},
    {POSENC_CPU_AVX2, "avx2"},          {POSENC_CPU_FMA, "fma"},
    {POSENC_CPU_F16C, "f16c"},          {POSENC_CPU_AVX512F, "avx512f"},
    {POSENC_CPU_AVX512BW, "avx512bw"},  {POSENC_CPU_AVX512DQ, "avx512dq"},
    {POSENC_CPU_AVX512VL, "avx512vl"},  {POSENC_CPU_AVX512BF16, "avx512bf16"},
    {POSENC_CPU_NEON, "neon"},          {POSENC_CPU_FP16, "fp16"},
    {POSENC_CPU_SVE, "sve"},
};

const char *posenc_cpu_feature_name(uint64_t bit)
{
    for (size_t i = 0; i < sizeof feature_names / sizeof feature_names[0]; i++)
        if (feature_names[i].bit == bit)
            return feature_names[i].name;
    return NULL;
}

/* Features named in the list `env` (POSENC_DISABLE_CPU_FEATURES: names separated by commas or
 * spaces; "avx512" hides every AVX-512 bit, "all" every bit). Returns NULL, or the first name it
 * does not know, whose length goes to *bad_len; the names it knows are in *mask either way. */
const char *posenc_disable_list_parse(const char *env, uint64_t *mask, size_t *bad_len)
{
    const char *bad = NULL;
    *mask = 0;
    while (env && *env) {
        size_t len = strcspn(env, ", ");
        int known = 1;
        if (len == 3 && !strncmp(env, "all", 3)) {
            *mask = ~(uint64_t)0;
        } else if (len == 6 && !strncmp(env, "avx512", 6)) {
            *mask |= POSENC_CPU_AVX512F | POSENC_CPU_AVX512BW | POSENC_CPU_AVX512DQ |
                     POSENC_CPU_AVX512VL | POSENC_CPU_AVX512BF16;
        } else if (len) {
            known = 0;
            for (size_t i = 0; i < sizeof feature_names / sizeof feature_names[0]; i++)
                if (strlen(feature_names[i].name) == len &&
                    !strncmp(env, feature_names[i].name, len)) {
                    *mask |= feature_names[i].bit;
                    known = 1;
                }
        }
        if (!known && !bad) {
            bad = env;
            *bad_len = len;
        }
        env += len;
        env += strspn(env, ", ");
    }
    return bad;
}

uint64_t posenc_cpu_features_detected(void)
{
    /* detection is idempotent, so a race only repeats it */
    static _Atomic uint64_t cached;
    const uint64_t known = UINT64_C(1) << 63;
    uint64_t f = atomic_load_explicit(&cached, memory_order_relaxed);
    if (!(f & known)) {
        f = detect() | known;
        atomic_store_explicit(&cached, f, memory_order_relaxed);
    }
    return f & ~known;
}

/* Read on every call (it is cheap next to building a plan) so a test can change it between
 * cases. An unknown name hides nothing more here; posenc_env_check fails every plan over it. */
uint64_t posenc_cpu_features(void)
{
    uint64_t mask;
    size_t bad_len;
    posenc_disable_list_parse(getenv("POSENC_DISABLE_CPU_FEATURES"), &mask, &bad_len);
    return posenc_cpu_features_detected() & ~mask;
}
