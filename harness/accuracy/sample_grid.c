/* sample_grid.c - the deterministic generator and the position sets of sample_grid.h. */
#include "sample_grid.h"

#include <math.h>
#include <stdlib.h>

#include "harness_util.h"

uint64_t sample_rng_next(sample_rng *r)
{
    uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

double sample_rng_unit(sample_rng *r) { return (double)(sample_rng_next(r) >> 11) * 0x1p-53; }

float sample_rng_input(sample_rng *r) { return (float)(sample_rng_unit(r) * 8.0 - 4.0); }

int64_t sample_rng_uniform_position(sample_rng *r) { return (int64_t)(sample_rng_next(r) >> 33); }

int64_t sample_rng_log_position(sample_rng *r)
{
    return (int64_t)floor(exp(sample_rng_unit(r) * log((double)SAMPLE_POS_LIMIT)));
}

void pos_list_push(pos_list *l, int64_t p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->v = harness_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = p;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void pos_list_sort_unique(pos_list *l)
{
    if (!l->n)
        return;
    qsort(l->v, l->n, sizeof *l->v, cmp_i64);
    size_t m = 1;
    for (size_t k = 1; k < l->n; k++)
        if (l->v[k] != l->v[m - 1])
            l->v[m++] = l->v[k];
    l->n = m;
}

void pos_list_free(pos_list *l)
{
    free(l->v);
    *l = (pos_list){0};
}

void sample_push_dense(pos_list *l, int stride)
{
    for (int64_t p = 0; p < SAMPLE_DENSE_END; p += stride)
        pos_list_push(l, p);
}

void sample_push_specials(pos_list *l, int k_min)
{
    for (int k = k_min; k <= 30; k++) {
        int64_t p = INT64_C(1) << k;
        pos_list_push(l, p - 1);
        pos_list_push(l, p);
        pos_list_push(l, p + 1);
    }
    pos_list_push(l, SAMPLE_POS_LIMIT - 1);
}

size_t sample_take_below(const int64_t *from, size_t n_from, size_t *k, int64_t limit, size_t max,
                         int64_t *pos, size_t *idx)
{
    size_t m = 0;
    for (; *k < n_from && m < max; ++*k)
        if (from[*k] < limit) {
            pos[m] = from[*k];
            idx[m++] = *k;
        }
    return m;
}
