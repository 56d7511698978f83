/* machine.h - facts about the machine a run happens on, for sysinfo and reports. */
#ifndef POSENC_HARNESS_MACHINE_H
#define POSENC_HARNESS_MACHINE_H

#include <stddef.h>
#include <stdint.h>

/* CPU model name ("AMD EPYC 7B13"), or "unknown". */
void machine_cpu_model(char *buf, size_t size);

/* Space-separated names of the POSENC_CPU_* bits set in `features`, or "none". */
void machine_feature_list(uint64_t features, char *buf, size_t size);

/* 1 when the process runs under user-mode emulation (qemu), as far as can be told. */
int machine_is_emulated(void);

#endif
