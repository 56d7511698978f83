/* table_neon.c - the table backend's kernels on AArch64 NEON: impls/simd/kernels.h reading the
 * table (table_phase.h) over vec_neon.h, in its own object library. */
#include "arm/vec_neon.h"
#include "core/isa_list.h"

#define ISA_SUFFIX table_neon
#define ISA_NAME "table-neon"
#define ISA_DESC "NEON"
#define ISA_FEATURES POSENC_FEATURES_NEON
#include "table/table_phase.h"
#include "simd/kernels.h"
