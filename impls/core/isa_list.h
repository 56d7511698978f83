/* isa_list.h - the vector ISAs this build compiled, best first: the one list from which the
 * registry takes its vector and SLEEF backends (core/registry.c) and the table backend its kernel
 * instances (table/table.c), as libdeflate keeps the order dispatch tries in one header.
 *
 * POSENC_ISAS(X) expands X(isa) for each ISA, best first; POSENC_ISAS_WITH(F, X) expands
 * F(X, isa), for lists that make several entries of one ISA (SLEEF's u10 and u35). An ISA is
 * here when the build compiled it: CMake's posenc_isa() builds its files (impls/<arch>/<isa>.c,
 * table/table_<isa>.c, sleef/sleef_<isa>.c), each with the ISA's flags, and defines
 * POSENC_HAVE_<ISA>. Adding an ISA is those files, one posenc_isa() line and one line below.
 * Where several ISAs are built, an earlier one must need features a later one lacks, so that
 * hiding them (POSENC_DISABLE_CPU_FEATURES) reaches the later one. */
#ifndef POSENC_CORE_ISA_LIST_H
#define POSENC_CORE_ISA_LIST_H

#include "posenc.h"

/* The features each ISA's files require (their descriptors' cpu_features): what the ISA's flags
   let the compiler use. F16C's conversions are vec_avx2.h's fp16 loads and stores, FMA3 its
   vf_fma; every AVX2 CPU has both. */
#define POSENC_FEATURES_AVX512                                                                  \
    (POSENC_CPU_AVX512F | POSENC_CPU_AVX512BW | POSENC_CPU_AVX512DQ | POSENC_CPU_AVX512VL)
#define POSENC_FEATURES_AVX2 (POSENC_CPU_AVX | POSENC_CPU_AVX2 | POSENC_CPU_FMA | POSENC_CPU_F16C)
#define POSENC_FEATURES_NEON POSENC_CPU_NEON

/* x86-64: AVX-512 (F, BW, DQ, VL), then AVX2 (with FMA and F16C) */
#if POSENC_HAVE_AVX512
#define POSENC_ISA_AVX512(F, X) F(X, avx512)
#else
#define POSENC_ISA_AVX512(F, X)
#endif
#if POSENC_HAVE_AVX2
#define POSENC_ISA_AVX2(F, X) F(X, avx2)
#else
#define POSENC_ISA_AVX2(F, X)
#endif

/* AArch64: NEON (ASIMD) */
#if POSENC_HAVE_NEON
#define POSENC_ISA_NEON(F, X) F(X, neon)
#else
#define POSENC_ISA_NEON(F, X)
#endif

#define POSENC_ISAS_WITH(F, X) POSENC_ISA_AVX512(F, X) POSENC_ISA_AVX2(F, X) POSENC_ISA_NEON(F, X)

#define POSENC_ISA_ITSELF(X, isa) X(isa)
#define POSENC_ISAS(X) POSENC_ISAS_WITH(POSENC_ISA_ITSELF, X)

#endif
