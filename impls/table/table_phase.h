/* table_phase.h - the phase source of impls/simd/kernels.h for the table backend: the cos and sin
 * of a block of frequencies are read from the plan's table instead of computed. Included by each
 * table_<isa>.c after its vector API and ISA_SUFFIX, before kernels.h, whose instance then
 * provides the table's encode and apply for that ISA. */
#include "simd/kernel_names.h"
#include "table/table_plan.h"

#define SIMD_PHASE_SOURCE
#define SIMD_PHASE_HAS_ATTENTION /* the entries are af cos and af sin */
#define SIMD_NO_LEARNED
#define ISA_ALGORITHM "table"
#define ISA_METHOD "lookup in a table of correctly rounded floats"
#define ISA_FLAGS (POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_TABLE_BOUNDED)
#define ISA_BOUND_SINUSOIDAL TABLE_BOUND_SINUSOIDAL
#define ISA_BOUND_ROTARY TABLE_BOUND_ROTARY

typedef struct {
    const float *row; /* cos of the n_freq frequencies, then their sin */
    size_t n_freq;
} KFN(phase);

static inline void KFN(phase_at)(KFN(phase) *ph, const posenc_plan *plan, int64_t p)
{
    ph->row = table_row(plan, p);
    ph->n_freq = plan->n_freq;
}

/* Reads up to VL - 1 floats past the row's sin: the next row, or the table's slack after the
   last row (TABLE_SLACK_FLOATS). */
static inline void KFN(phase_vec)(const KFN(phase) *ph, size_t i, vf *s, vf *c)
{
    *c = vf_loadu(ph->row + i);
    *s = vf_loadu(ph->row + ph->n_freq + i);
}
