/* table_avx512.c - the table backend's kernels on AVX-512: impls/simd/kernels.h reading the table
 * (table_phase.h), compiled with the avx512 backend's flags in its own object library. */
#include "core/isa_list.h"
#include "x86/vec_avx512.h"

#define ISA_SUFFIX table_avx512
#define ISA_NAME "table-avx512"
#define ISA_DESC "AVX-512"
#define ISA_FEATURES POSENC_FEATURES_AVX512
#include "table/table_phase.h"
#include "simd/kernels.h"
