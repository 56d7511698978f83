/* machine.c - CPU model, identity (vendor, family, model...), feature names, emulation detection
 * and the machine kind, for sysinfo, reports and baselines. */
#define _GNU_SOURCE
#include "machine.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posenc.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t lead = strspn(s, " \t");
    memmove(s, s + lead, strlen(s + lead) + 1);
}

/* The first "key : value" line of /proc/cpuinfo whose key is `key`. */
static int cpuinfo_field(const char *key, char *buf, size_t size)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    int found = 0;
    if (!f)
        return 0;
    while (!found && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        trim(line);
        if (!strcmp(line, key)) {
            snprintf(buf, size, "%s", colon + 1);
            trim(buf);
            found = buf[0] != '\0';
        }
    }
    fclose(f);
    return found;
}

void machine_cpu_model(char *buf, size_t size)
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned regs[12];
    if (__get_cpuid_max(0x80000000, NULL) >= 0x80000004) {
        for (unsigned i = 0; i < 3; i++)
            __get_cpuid(0x80000002 + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2],
                        &regs[4 * i + 3]);
        char brand[49];
        memcpy(brand, regs, 48);
        brand[48] = '\0';
        trim(brand);
        if (brand[0]) {
            snprintf(buf, size, "%s", brand);
            return;
        }
    }
#endif
    if (cpuinfo_field("model name", buf, size))
        return;
    char part[64], impl[64];
    if (cpuinfo_field("CPU implementer", impl, sizeof impl) &&
        cpuinfo_field("CPU part", part, sizeof part)) {
        snprintf(buf, size, "implementer %s part %s", impl, part);
        return;
    }
    snprintf(buf, size, "unknown");
}

void machine_feature_list(uint64_t features, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int b = 0; b < 64; b++) {
        const char *name = posenc_cpu_feature_name(UINT64_C(1) << b);
        if (!name || !(features & (UINT64_C(1) << b)))
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? " " : "", name);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    if (!used)
        snprintf(buf, size, "none");
}

int machine_is_emulated(void)
{
    /* qemu-user does not emulate /proc/cpuinfo for a foreign guest: it shows the host's x86
       fields to an AArch64 process. */
#if defined(__aarch64__)
    char v[128];
    return cpuinfo_field("vendor_id", v, sizeof v);
#else
    return 0;
#endif
}

#if defined(__aarch64__)
/* A number of /proc/cpuinfo ("0x41", "3"), or -1. */
static int cpuinfo_number(const char *key)
{
    char v[64], *end;
    if (!cpuinfo_field(key, v, sizeof v))
        return -1;
    long n = strtol(v, &end, 0);
    return end != v && *end == '\0' && n >= 0 && n <= 0xfffff ? (int)n : -1;
}
#endif

void machine_cpu_identify(machine_cpu_id *id)
{
    memset(id, 0, sizeof *id);
    id->family = id->model = id->stepping = -1;
    id->implementer = id->variant = id->part = id->revision = -1;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (__get_cpuid(0, &a, &b, &c, &d)) {
        memcpy(id->vendor, &b, 4);
        memcpy(id->vendor + 4, &d, 4);
        memcpy(id->vendor + 8, &c, 4);
        id->vendor[12] = '\0';
    }
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        const int base_family = (int)(a >> 8) & 0xf, base_model = (int)(a >> 4) & 0xf;
        id->stepping = (int)a & 0xf;
        id->family = base_family + (base_family == 0xf ? (int)(a >> 20) & 0xff : 0);
        id->model = base_model +
                    (base_family == 0x6 || base_family == 0xf ? ((int)(a >> 16) & 0xf) << 4 : 0);
    }
#elif defined(__aarch64__)
    /* /proc/cpuinfo first: it needs no trap into the kernel, and lists what the kernel read */
    id->implementer = cpuinfo_number("CPU implementer");
    id->variant = cpuinfo_number("CPU variant");
    id->part = cpuinfo_number("CPU part");
    id->revision = cpuinfo_number("CPU revision");
#if defined(__linux__)
    if ((id->implementer < 0 || id->part < 0) && (getauxval(AT_HWCAP) & (1ul << 11))) {
        /* HWCAP_CPUID: the kernel emulates MRS of the ID registers for user space */
        uint64_t midr;
        __asm__ volatile("mrs %0, MIDR_EL1" : "=r"(midr));
        id->implementer = (int)(midr >> 24) & 0xff;
        id->variant = (int)(midr >> 20) & 0xf;
        id->part = (int)(midr >> 4) & 0xfff;
        id->revision = (int)midr & 0xf;
    }
#endif
#endif
}

const char *machine_isa_level(uint64_t f)
{
    const uint64_t avx512 = POSENC_CPU_AVX512F | POSENC_CPU_AVX512BW | POSENC_CPU_AVX512DQ |
                            POSENC_CPU_AVX512VL;
    if ((f & avx512) == avx512)
        return "avx512";
    if ((f & (POSENC_CPU_AVX2 | POSENC_CPU_FMA)) == (POSENC_CPU_AVX2 | POSENC_CPU_FMA))
        return "avx2";
    if (f & POSENC_CPU_SSE41)
        return "sse4.1";
    if (f & POSENC_CPU_SVE)
        return "sve";
    if (f & POSENC_CPU_NEON)
        return "neon";
    return "base";
}

void machine_kind(const char *arch, const machine_cpu_id *id, uint64_t features, int emulated,
                  char *buf, size_t size)
{
    char cpu[64];
    if (id->vendor[0] && id->family >= 0 && id->model >= 0)
        snprintf(cpu, sizeof cpu, "%s-f%d-m%d", id->vendor, id->family, id->model);
    else if (id->implementer >= 0 && id->part >= 0)
        snprintf(cpu, sizeof cpu, "0x%02x-0x%03x", id->implementer, id->part);
    else
        snprintf(cpu, sizeof cpu, "unknown");
    char raw[160];
    snprintf(raw, sizeof raw, "%s-%s-%s%s", arch, cpu, machine_isa_level(features),
             emulated ? "-emulated" : "");
    /* a folder name: lower case; anything but [a-z0-9_.] becomes '-' */
    size_t o = 0;
    for (const char *p = raw; *p && o + 1 < size; p++) {
        const unsigned char ch = (unsigned char)*p;
        buf[o++] = isalnum(ch) || ch == '_' || ch == '.' ? (char)tolower(ch) : '-';
    }
    if (size)
        buf[o] = '\0';
}
