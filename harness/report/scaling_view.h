/* scaling_view.h - the thread scaling of a run of `posenc bench --threads`, shared by summary.md
 * and report.html: each case timed on N > 1 threads beside its one-thread case (the same group
 * without "/threads=N", the same implementation), its throughput against that one's and against
 * the memory pass on N threads; and the one-thread part of the run, which the other views show. */
#ifndef POSENC_SCALING_VIEW_H
#define POSENC_SCALING_VIEW_H

#include <stddef.h>

#include "run_record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct scaling_row {
    const run_case *c;        /* the case on `threads` threads, timed */
    const run_case *one;      /* its one-thread case; NULL when the run has none that ran */
    int threads;
    double speedup;           /* throughput on N threads over throughput on 1: one's median
                                 wall-clock time / c's (ideal: N); NaN without one. Wall-clock
                                 time on both sides, so that other work on a shared machine
                                 slows both alike (the CPU-time median of a record without it) */
    double mempass_speedup;   /* the same of the two memory passes: what the memory system gives
                                 N threads over 1 */
    double ratio_to_mempass;  /* c's median / the memory pass on N threads (1.00 = memory speed) */
} scaling_row;

/* 1 when some case of the run was split over more than one thread. */
int scaling_view_any(const run_record *r);

/* The rows: every timed case on N > 1 threads, in the run's order; dispatched_only keeps the
 * "impl=dispatch" cases. Returns the count; *rows is allocated (free it), NULL when 0. */
size_t scaling_view_rows(const run_record *r, int dispatched_only, scaling_row **rows);

/* The thread counts above 1 the run used, ascending, up to max; returns how many. */
size_t scaling_view_thread_counts(const run_record *r, int *counts, size_t max);

/* *one: r with only its cases on one thread (the views before threads read it). Returns the
 * case array to free; NULL (and *one = *r) when the run has no case on more threads. */
run_case *scaling_view_one_thread(const run_record *r, run_record *one);

#ifdef __cplusplus
}
#endif

#endif
