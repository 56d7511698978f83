/* table.c - the table backend, "sinusoidal/table" and "rotary/table": prepare builds a table of
 * correctly rounded sin and cos floats for positions 0 .. max_positions-1, and encode and apply
 * look them up with the widest kernels.h instance this CPU runs (one per ISA of core/isa_list.h:
 * AVX-512, AVX2, NEON; else portable C).
 * Positions at or past the table's end fail with POSENC_ERR_POSITION. Explicit-only: the
 * position limit and the memory are costs a caller opts into. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* sysconf: the machine's memory */

#include "core/error.h"
#include "core/isa_list.h"
#include "table/table_plan.h"

/* The kernels.h instances, one per ISA of core/isa_list.h, best first, then the portable one.
   kernels.h emits each as a pair of descriptors; they are not in the registry, the table's own
   descriptors below call their encode and apply. */
#define DECLARE_KERNELS(isa)                                                                    \
    extern const posenc_impl posenc_sinusoidal_table_##isa, posenc_rotary_table_##isa;
POSENC_ISAS(DECLARE_KERNELS)
DECLARE_KERNELS(portable)

#define KERNELS(isa) {&posenc_sinusoidal_table_##isa, &posenc_rotary_table_##isa},
static const posenc_impl *const instances[][2] = {POSENC_ISAS(KERNELS) KERNELS(portable)};
#define N_INSTANCES (sizeof instances / sizeof instances[0])

const posenc_impl *table_kernels_at(posenc_kind kind, size_t i)
{
    if (i >= N_INSTANCES || (kind != POSENC_SINUSOIDAL && kind != POSENC_ROTARY))
        return NULL;
    return instances[i][kind == POSENC_ROTARY];
}

static int table_prepare(posenc_plan *plan);

const posenc_impl *table_plan_kernels(const posenc_plan *plan)
{
    const table_data *t = plan && plan->impl->prepare == table_prepare ? plan->backend : NULL;
    return t ? t->kernels : NULL;
}

/* the portable instance, last, needs no feature */
const posenc_impl *table_kernels(const posenc_plan *plan)
{
    int rotary = plan->params.kind == POSENC_ROTARY;
    size_t i = 0;
    while (i + 1 < N_INSTANCES && (instances[i][rotary]->cpu_features & ~plan->cpu_features))
        i++;
    return instances[i][rotary];
}

/* Bytes of physical memory, or SIZE_MAX when the system does not say. */
static size_t physical_bytes(void)
{
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0 && (unsigned long)pages <= SIZE_MAX / (unsigned long)page)
        return (size_t)pages * (size_t)page;
#endif
    return SIZE_MAX;
}

static int table_prepare(posenc_plan *plan)
{
    /* plan->max_pos is already max_positions when that was given */
    int64_t rows = plan->params.max_positions ? plan->max_pos : POSENC_TABLE_DEFAULT_POSITIONS;
    if (rows > plan->max_pos) /* fp16 angle mode's limit may be below the default */
        rows = plan->max_pos;
    size_t row_floats = 2 * plan->n_freq;
    if ((uint64_t)rows > SIZE_MAX / sizeof(float) / row_floats)
        return posenc_fail(POSENC_ERR_NOMEM, "a table of %lld rows of %zu floats exceeds memory",
                           (long long)rows, row_floats);
    size_t bytes = (size_t)rows * row_floats * sizeof(float);
    /* A table larger than the machine's memory is refused before any allocation: with
       overcommit the allocation could succeed and the build then fill memory until the process
       is killed, and an allocator with a size cap (AddressSanitizer's) aborts instead of
       returning NULL. Every row is written, so such a table could never be used anyway. */
    if (bytes > physical_bytes())
        return posenc_fail(POSENC_ERR_NOMEM,
                           "a table of %zu bytes (%lld rows) exceeds this machine's memory",
                           bytes, (long long)rows);
    table_data *t = calloc(1, sizeof *t);
    /* aligned_alloc wants a multiple of the alignment; the slack is zeroed, as a vector load
       of the last row's last frequencies reads into it */
    size_t alloc = bytes <= SIZE_MAX - 127 - TABLE_SLACK_FLOATS * sizeof(float)
                       ? (bytes + TABLE_SLACK_FLOATS * sizeof(float) + 63) / 64 * 64
                       : 0;
    float *values = alloc ? aligned_alloc(64, alloc) : NULL;
    if (!t || !values) {
        free(t);
        free(values);
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for a table of %zu bytes (%lld rows)",
                           bytes, (long long)rows);
    }
    memset((char *)values + bytes, 0, alloc - bytes);
    int rc = table_build(plan, values, rows);
    if (rc) {
        free(t);
        free(values);
        return rc;
    }
    t->values = values;
    t->rows = rows;
    t->kernels = table_kernels(plan);
    plan->backend = t;
    plan->backend_bytes = bytes;
    plan->max_pos = rows;
    return POSENC_OK;
}

void table_release(posenc_plan *plan)
{
    table_data *t = plan->backend;
    if (t)
        free(t->values);
    free(t);
    plan->backend = NULL;
    plan->backend_bytes = 0;
}

int table_encode(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    const table_data *t = plan->backend;
    return t->kernels->encode(plan, pos, n, out);
}

int table_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                       const posenc_layout *layout)
{
    const table_data *t = plan->backend;
    return t->kernels->apply(plan, pos, n_tokens, x, layout);
}

/* 16-bit data: every kernel instance of the table reads and writes bf16 and fp16 natively */
int table_encode16(const posenc_plan *plan, const int64_t *pos, size_t n, void *out)
{
    const table_data *t = plan->backend;
    return t->kernels->encode16(plan, pos, n, out);
}

int table_apply16(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, void *x,
                         const posenc_layout *layout)
{
    const table_data *t = plan->backend;
    return t->kernels->apply16(plan, pos, n_tokens, x, layout);
}

const posenc_impl posenc_sinusoidal_table = {
    .name = "sinusoidal/table",
    .description = "sinusoidal PE, lookup in a table of correctly rounded floats "
                   "(max_positions rows), vector add",
    .kind = POSENC_SINUSOIDAL,
    .cpu_features = 0,
    .algorithm = "table",
    .flags = POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_TABLE_BOUNDED,
    .max_err_u = TABLE_BOUND_SINUSOIDAL,
    .max_pos = INT64_C(1) << 31, /* the largest table; a plan holds max_positions rows */
    .prepare = table_prepare,
    .encode = table_encode,
    .apply = table_apply,
    .release = table_release,
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
    .encode16 = table_encode16,
    .apply16 = table_apply16,
};

const posenc_impl posenc_rotary_table = {
    .name = "rotary/table",
    .description = "RoPE, lookup in a table of correctly rounded cos/sin floats "
                   "(max_positions rows), vector rotate",
    .kind = POSENC_ROTARY,
    .cpu_features = 0,
    .algorithm = "table",
    .flags = POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_TABLE_BOUNDED,
    .max_err_u = TABLE_BOUND_ROTARY,
    .max_pos = INT64_C(1) << 31,
    .prepare = table_prepare,
    .encode = table_encode,
    .apply = table_apply,
    .release = table_release,
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
    .encode16 = table_encode16,
    .apply16 = table_apply16,
};
