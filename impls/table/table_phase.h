/* table_phase.h - the phase source of impls/simd/kernels.h for the table backend: the cos and sin
 * of a block of frequencies are read from the plan's table instead of computed. Included by each
 * table_<isa>.c after its vector API and ISA_SUFFIX, before kernels.h, whose instance then
 * provides the table's encode and apply for that ISA. */
#include <string.h>

#include "simd/kernel_names.h"
#include "table/table_plan.h"

#define SIMD_PHASE_BLOCK
#define SIMD_NO_LEARNED
#define ISA_ALGORITHM "table"
#define ISA_METHOD "lookup in a table of correctly rounded floats"
#define ISA_FLAGS (POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_TABLE_BOUNDED)
#define ISA_BOUND_SINUSOIDAL TABLE_BOUND_SINUSOIDAL
#define ISA_BOUND_ROTARY TABLE_BOUND_ROTARY

/* c[j], s[j] = cos, sin of frequency i0 + j at position p, for j < count: a copy out of the table
 * row, since the kernels take the block as buffers (they read only the first count entries). */
static void KFN(phase_block)(const posenc_plan *plan, int64_t p, size_t i0, size_t count,
                             float *c, float *s)
{
    const float *row = table_row(plan, p);
    memcpy(c, row + i0, count * sizeof *c);
    memcpy(s, row + plan->n_freq + i0, count * sizeof *s);
}
