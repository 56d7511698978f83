/* streaming.c - the output size from which the kernels write with streaming stores: one
 * threshold for every kernel, decided here. An output larger than the last-level cache cannot
 * stay in it for a consumer, so writing it around the caches loses nothing and saves the read
 * of each line an ordinary store makes first; a smaller one keeps ordinary stores, which leave
 * it in the cache. */
#include "core/streaming.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "posenc.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* The largest data or unified cache of the deterministic cache leaf (4 on Intel, 0x8000001D on
   AMD): ways x partitions x line size x sets of the highest level. */
static size_t cpuid_llc(void)
{
    unsigned a, b, c, d, leaf = 4;
    if (!__get_cpuid(0, &a, &b, &c, &d))
        return 0;
    unsigned max_std = a;
    if (b == 0x68747541u) { /* "Auth": AMD's own leaf, when topology extensions are there */
        if ((unsigned)__get_cpuid_max(0x80000000u, NULL) < 0x8000001Du)
            return 0;
        __cpuid(0x80000001u, a, b, c, d);
        if (!(c & (1u << 22)))
            return 0;
        leaf = 0x8000001Du;
    } else if (max_std < 4) {
        return 0;
    }
    size_t best = 0;
    unsigned best_level = 0;
    for (unsigned i = 0; i < 16; i++) {
        __cpuid_count(leaf, i, a, b, c, d);
        unsigned type = a & 0x1f, level = (a >> 5) & 7;
        if (type == 0)
            break;
        if (type == 2) /* instruction cache */
            continue;
        size_t bytes = (size_t)((b >> 22) + 1) * (((b >> 12) & 0x3ff) + 1) * ((b & 0xfff) + 1) *
                       ((size_t)c + 1);
        if (level > best_level || (level == best_level && bytes > best)) {
            best = bytes;
            best_level = level;
        }
    }
    return best;
}
#else
static size_t cpuid_llc(void) { return 0; }
#endif

/* The same from Linux's description of cpu0's caches (AArch64, or an x86 without the leaf). */
static size_t sysfs_llc(void)
{
    size_t best = 0;
    int best_level = 0;
    for (int i = 0; i < 16; i++) {
        char path[96], buf[64];
        int level = 0;
        unsigned long long size = 0;
        char unit = 0;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
        FILE *f = fopen(path, "r");
        if (!f)
            break;
        int instr = fgets(buf, sizeof buf, f) && !strncmp(buf, "Instruction", 11);
        fclose(f);
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        if (instr || !(f = fopen(path, "r")))
            continue;
        int ok = fscanf(f, "%d", &level) == 1;
        fclose(f);
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        if (!ok || !(f = fopen(path, "r")))
            continue;
        ok = fscanf(f, "%llu%c", &size, &unit) >= 1;
        fclose(f);
        if (!ok)
            continue;
        size *= unit == 'K' ? 1024ull : unit == 'M' ? 1024ull * 1024 : 1;
        if (level > best_level || (level == best_level && size > best)) {
            best = (size_t)size;
            best_level = level;
        }
    }
    return best;
}

size_t posenc_llc_bytes(const char **source)
{
    /* 0 not yet detected; else the size + 1 and its source in the low bits of a second word.
       Detection is idempotent, so a race only repeats it. */
    static _Atomic size_t cached;
    static _Atomic int cached_source;
    static const char *const sources[] = {"unknown", "cpuid", "sysfs"};
    size_t v = atomic_load_explicit(&cached, memory_order_acquire);
    if (!v) {
        int s = 1;
        size_t bytes = cpuid_llc();
        if (!bytes) {
            s = 2;
            bytes = sysfs_llc();
        }
        if (!bytes)
            s = 0;
        atomic_store_explicit(&cached_source, s, memory_order_relaxed);
        v = bytes + 1;
        atomic_store_explicit(&cached, v, memory_order_release);
    }
    if (source)
        *source = sources[atomic_load_explicit(&cached_source, memory_order_relaxed)];
    return v - 1;
}

/* s as a byte count: decimal digits and an optional binary suffix k, m, g or t (either case).
   Returns 0 and *out, or -1 on anything else (empty, other characters, overflow). */
static int parse_bytes(const char *s, size_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: break;
    }
    if (*end || (shift && v > (SIZE_MAX >> shift)) || v > SIZE_MAX)
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

int posenc_stream_env_check(void)
{
    const char *env = getenv("POSENC_STREAM_THRESHOLD");
    size_t v;
    if (!env || !parse_bytes(env, &v))
        return POSENC_OK;
    return posenc_fail(POSENC_ERR_ARGUMENT,
                       "POSENC_STREAM_THRESHOLD: '%.64s' is not a byte count (digits, then "
                       "optionally k, m, g or t)", env);
}

size_t posenc_stream_threshold_computed(void)
{
    size_t v;
    return parse_bytes(getenv("POSENC_STREAM_THRESHOLD"), &v) ? SIZE_MAX : v;
}

/* Read on every call, as POSENC_DISABLE_CPU_FEATURES is, so a test can change it between plans;
   a malformed value falls back to the cache size here and fails every plan creation. */
size_t posenc_stream_threshold(const char **source)
{
    size_t v;
    if (!parse_bytes(getenv("POSENC_STREAM_THRESHOLD"), &v)) {
        if (source)
            *source = "POSENC_STREAM_THRESHOLD";
        return v;
    }
    const char *s;
    v = posenc_llc_bytes(&s);
    if (!v) {
        if (source)
            *source = "default";
        return POSENC_STREAM_DEFAULT_BYTES;
    }
    if (source)
        *source = s;
    return v;
}
