/* machine.h - facts about the machine a run happens on, for sysinfo, reports and the machine
 * kind that baselines and comparisons key on. */
#ifndef POSENC_HARNESS_MACHINE_H
#define POSENC_HARNESS_MACHINE_H

#include <stddef.h>
#include <stdint.h>

/* CPU model name ("AMD EPYC 7B13"), or "unknown". Virtual machines often cut it short ("AMD
 * EPYC" on three generations of cores), so it names a machine for people, never its kind. */
void machine_cpu_model(char *buf, size_t size);

/* Space-separated names of the POSENC_CPU_* bits set in `features`, or "none". */
void machine_feature_list(uint64_t features, char *buf, size_t size);

/* 1 when the process runs under user-mode emulation (qemu), as far as can be told. */
int machine_is_emulated(void);

/* What the CPU says it is. x86: the cpuid vendor string and the display family, model and
 * stepping (leaf 1, with the extended family added when the base family is 15 and the extended
 * model when it is 6 or 15, as the vendors' manuals say). AArch64: the MIDR_EL1 fields, from
 * /proc/cpuinfo or, failing that, read through the kernel's emulation of MRS (HWCAP_CPUID).
 * Numbers are -1 and the vendor "" when unknown or not of this architecture. */
typedef struct machine_cpu_id {
    char vendor[16];        /* "AuthenticAMD", "GenuineIntel" */
    int family, model, stepping;
    int implementer, variant, part, revision;
} machine_cpu_id;

void machine_cpu_identify(machine_cpu_id *id);

/* The widest vector ISA posenc has backends for among `features` (posenc_cpu_features_detected
 * bits): "avx512" (F, BW, DQ and VL), "avx2" (AVX2 and FMA), "sse4.1", "sve", "neon", or
 * "base". */
const char *machine_isa_level(uint64_t features);

/* The machine kind as one stable name for a folder, `<arch>-<cpu>-<isa level>`:
 *   x86_64-authenticamd-f25-m17-avx512     (vendor, family, model)
 *   aarch64-0x41-0xd0c-neon                (implementer, part)
 *   x86_64-unknown-avx2                    (the CPU did not say)
 * with "-emulated" appended under qemu. Stepping, variant and revision are left out (results/
 * README.md says why); the ISA level is put in, so a VM that hides AVX-512 on a CPU that has it
 * is another kind. `features` are the detected ones, not those POSENC_DISABLE_CPU_FEATURES
 * leaves: hiding features changes what runs, not what the machine is. */
void machine_kind(const char *arch, const machine_cpu_id *id, uint64_t features, int emulated,
                  char *buf, size_t size);

#endif
