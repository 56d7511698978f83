/* scaling_view.c - the thread scaling of a run (scaling_view.h). */
#include "scaling_view.h"

#include <math.h>
#include <stdlib.h>

int scaling_view_any(const run_record *r)
{
    for (size_t i = 0; i < r->n_cases; i++)
        if (run_case_threads(&r->cases[i]) > 1)
            return 1;
    return 0;
}

static int is_ok(const run_case *c) { return c && c->status == RUN_STATUS_OK; }

static double wall_or_cpu(double wall, double cpu) { return wall > 0 ? wall : cpu; }

size_t scaling_view_rows(const run_record *r, int dispatched_only, scaling_row **rows)
{
    *rows = NULL;
    size_t n = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (run_case_threads(c) <= 1 || !is_ok(c) || (dispatched_only && !c->dispatched))
            continue;
        if (!*rows && !(*rows = malloc(r->n_cases * sizeof **rows)))
            return 0;
        scaling_row *s = &(*rows)[n++];
        const run_case *one = run_case_one_thread(r, c);
        s->c = c;
        s->one = is_ok(one) ? one : NULL;
        s->threads = run_case_threads(c);
        /* wall-clock time on both sides (the one-thread median, thread CPU time, when a record
           has no wall-clock time) */
        const double wall = s->one ? wall_or_cpu(s->one->wall_median_ns, s->one->median_ns) : NAN;
        const double pass = s->one ? wall_or_cpu(s->one->mempass_wall_median_ns,
                                                 s->one->mempass_median_ns)
                                   : NAN;
        s->speedup = wall / wall_or_cpu(c->wall_median_ns, c->median_ns);
        s->mempass_speedup =
            pass / wall_or_cpu(c->mempass_wall_median_ns, c->mempass_median_ns);
        s->ratio_to_mempass = c->ratio_to_mempass;
    }
    return n;
}

size_t scaling_view_thread_counts(const run_record *r, int *counts, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        int t = run_case_threads(&r->cases[i]), k = 0;
        if (t <= 1)
            continue;
        while ((size_t)k < n && counts[k] < t)
            k++;
        if ((size_t)k < n && counts[k] == t)
            continue;
        if (n == max)
            continue;
        memmove(counts + k + 1, counts + k, (n - (size_t)k) * sizeof *counts);
        counts[k] = t;
        n++;
    }
    return n;
}

run_case *scaling_view_one_thread(const run_record *r, run_record *one)
{
    *one = *r;
    if (!scaling_view_any(r))
        return NULL;
    run_case *keep = malloc((r->n_cases ? r->n_cases : 1) * sizeof *keep);
    if (!keep)
        return NULL; /* the whole run then: more rows, nothing lost */
    size_t n = 0;
    for (size_t i = 0; i < r->n_cases; i++)
        if (run_case_threads(&r->cases[i]) == 1)
            keep[n++] = r->cases[i];
    one->cases = keep;
    one->n_cases = n;
    return keep;
}
