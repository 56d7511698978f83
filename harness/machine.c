/* machine.c - CPU model, feature names and emulation detection for sysinfo and reports. */
#define _GNU_SOURCE
#include "machine.h"

#include <stdio.h>
#include <string.h>

#include "posenc.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
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
