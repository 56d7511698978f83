/* table_portable.c - the table backend's kernels in plain C: impls/simd/kernels.h reading the
 * table (table_phase.h) over the 4-lane array API of vec_portable.h. Used where no vector
 * instance runs (or POSENC_DISABLE_CPU_FEATURES hides it). */
#include "table/vec_portable.h"

#define ISA_SUFFIX table_portable
#define ISA_NAME "table-portable"
#define ISA_DESC "portable C"
#define ISA_FEATURES 0
#include "table/table_phase.h"
#include "simd/kernels.h"
