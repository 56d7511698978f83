/* dtype_view.c - the rows of the float32 / bfloat16 / float16 view (dtype_view.h). */
#include "dtype_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(RUN_DTYPE_F16 + 1 == DTYPE_VIEW_N, "a view column per element type");

static int type_index(const run_case *c)
{
    return (int)c->dtype < DTYPE_VIEW_N ? (int)c->dtype : -1;
}

typedef char base_name[sizeof ((run_case *)0)->group];

dtype_view_row *dtype_view_rows(const run_record *r, size_t *n)
{
    *n = 0;
    if (!r->n_cases)
        return NULL;
    base_name *base = malloc(r->n_cases * sizeof *base);
    size_t *first = malloc(r->n_cases * sizeof *first); /* the first case of each one's base */
    int *half = calloc(r->n_cases, sizeof *half);       /* its base has a 16-bit case */
    dtype_view_row *rows = calloc(r->n_cases, sizeof *rows);
    size_t *order = malloc(r->n_cases * sizeof *order);  /* each row's group, by first case */
    if (!base || !first || !half || !rows || !order) {
        free(base), free(first), free(half), free(rows), free(order);
        return NULL;
    }
    for (size_t i = 0; i < r->n_cases; i++) {
        run_case_base_group(&r->cases[i], base[i], sizeof base[i]);
        first[i] = i;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(base[j], base[i])) {
                first[i] = first[j];
                break;
            }
        if (type_index(&r->cases[i]) > 0)
            half[first[i]] = 1;
    }
    size_t nr = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        const int t = type_index(c);
        if (t < 0 || !half[first[i]])
            continue;
        size_t k = 0;
        while (k < nr && !(order[k] == first[i] && rows[k].dispatched == c->dispatched &&
                           (c->dispatched || !strcmp(rows[k].implementation, c->implementation))))
            k++;
        if (k == nr) {
            snprintf(rows[k].group, sizeof rows[k].group, "%s", base[i]);
            rows[k].implementation = c->implementation;
            rows[k].dispatched = c->dispatched;
            order[k] = first[i];
            nr++;
        }
        if (!rows[k].by_type[t])
            rows[k].by_type[t] = c;
    }
    /* groups in order of their first case, the dispatched row last in each (stable) */
    for (size_t k = 1; k < nr; k++) {
        dtype_view_row v = rows[k];
        size_t o = order[k], j = k;
        while (j > 0 && (order[j - 1] > o || (order[j - 1] == o && rows[j - 1].dispatched >
                                                                       v.dispatched))) {
            rows[j] = rows[j - 1];
            order[j] = order[j - 1];
            j--;
        }
        rows[j] = v;
        order[j] = o;
    }
    free(base);
    free(first);
    free(half);
    free(order);
    if (!nr) {
        free(rows);
        return NULL;
    }
    *n = nr;
    return rows;
}

double dtype_view_vs_f32(const dtype_view_row *row, int t)
{
    const run_case *c = t >= 0 && t < DTYPE_VIEW_N ? row->by_type[t] : NULL;
    const run_case *f = row->by_type[0];
    if (!c || !f || c->status != RUN_STATUS_OK || f->status != RUN_STATUS_OK || !(f->median_ns > 0))
        return NAN;
    return c->median_ns / f->median_ns;
}
