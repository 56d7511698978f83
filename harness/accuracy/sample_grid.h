/* sample_grid.h - the positions the accuracy sweeps draw from: a deterministic random generator
 * (the same sample on every machine), the dense range 0..4095, the 2^k +- 1 and 2^31 - 1
 * specials, random uniform and log-uniform positions, and a growable, sortable position list. */
#ifndef POSENC_SAMPLE_GRID_H
#define POSENC_SAMPLE_GRID_H

#include <stddef.h>
#include <stdint.h>

#define SAMPLE_POS_LIMIT (INT64_C(1) << 31) /* every position the harness checks is below this */
#define SAMPLE_DENSE_END 4096               /* the dense range is 0 .. SAMPLE_DENSE_END - 1 */

/* splitmix64: tiny, seedable and the same everywhere, so a run is reproduced from its seed. */
typedef struct sample_rng {
    uint64_t state;
} sample_rng;

uint64_t sample_rng_next(sample_rng *r);
double sample_rng_unit(sample_rng *r);             /* uniform in [0, 1), 53 bits */
float sample_rng_input(sample_rng *r);             /* a kernel input element, uniform in [-4, 4) */
int64_t sample_rng_uniform_position(sample_rng *r); /* uniform in [0, 2^31) */
int64_t sample_rng_log_position(sample_rng *r);     /* log-uniform over [1, 2^31) */

/* A list of positions; {0} is an empty one. Growing it exits when memory runs out. */
typedef struct pos_list {
    int64_t *v;
    size_t n, cap;
} pos_list;

void pos_list_push(pos_list *l, int64_t p);
/* Sort and drop repeats: the oracle walks runs of consecutive positions much faster. */
void pos_list_sort_unique(pos_list *l);
void pos_list_free(pos_list *l);

/* 0, stride, 2 stride, ... below SAMPLE_DENSE_END. */
void sample_push_dense(pos_list *l, int stride);
/* 2^k - 1, 2^k, 2^k + 1 for k_min <= k <= 30, then 2^31 - 1. Powers of two are where a phase
 * accumulator or a float conversion changes its exponent. */
void sample_push_specials(pos_list *l, int k_min);

/* Copy the next positions below limit from from[*k ...] into pos (at most max of them), with
 * their indices into `from` in idx, and advance *k past what was looked at. Returns how many
 * were copied: 0 when none below limit is left. Walks an oracle table's positions in chunks a
 * plan accepts (a plan's max_pos may be below the table's largest position). */
size_t sample_take_below(const int64_t *from, size_t n_from, size_t *k, int64_t limit, size_t max,
                         int64_t *pos, size_t *idx);

#endif
