/* kernel_names.h - KFN(name): name_<ISA_SUFFIX>, so one kernel body gets a name per ISA. A
 * backend that supplies its own phase source (SIMD_PHASE_SOURCE) includes this before kernels.h. */
#ifndef POSENC_SIMD_KERNEL_NAMES_H
#define POSENC_SIMD_KERNEL_NAMES_H

#define KCAT2(a, b) a##_##b
#define KCAT(a, b) KCAT2(a, b)
#define KFN(name) KCAT(name, ISA_SUFFIX)

#endif
