/* table_avx2.c - the table backend's kernels on AVX2: impls/simd/kernels.h reading the table
 * (table_phase.h), compiled with -mavx2 -mfma -mf16c in its own object library. */
#include "core/isa_list.h"
#include "x86/vec_avx2.h"

#define ISA_SUFFIX table_avx2
#define ISA_NAME "table-avx2"
#define ISA_DESC "AVX2"
#define ISA_FEATURES POSENC_FEATURES_AVX2
#include "table/table_phase.h"
#include "simd/kernels.h"
