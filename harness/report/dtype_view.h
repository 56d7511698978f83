/* dtype_view.h - float32 against bfloat16 against float16, the view summary.md and report.html
 * share: each case of a run that also ran on 16-bit data, per implementation, with the case on
 * every element type side by side (the cases of one shape on different types share their group
 * but for the "/<dtype>" a 16-bit group ends in: run_case_base_group). */
#ifndef POSENC_DTYPE_VIEW_H
#define POSENC_DTYPE_VIEW_H

#include <stddef.h>

#include "run_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The element types, in the view's order: run_dtype's, f32, bf16, f16 (a type index t of the
 * view is a run_dtype value). */
#define DTYPE_VIEW_N 3

typedef struct dtype_view_row {
    char group[96];             /* the shape's group without the dtype:
                                   "rotary_apply/llama-3-8b/T=512" */
    const char *implementation; /* the implementation, or for the dispatched row what dispatch
                                   picked on the first type that ran it */
    int dispatched;             /* the row of the "impl=dispatch" cases */
    const run_case *by_type[DTYPE_VIEW_N]; /* the case on each run_dtype; NULL: not in the
                                              run */
} dtype_view_row;

/* The rows of r, allocated (free() them), *n of them: the groups that have a case on a 16-bit
 * type, in order of their first case; in each, the implementations in order of first
 * appearance and the dispatched row last. NULL with *n = 0 when the run has no 16-bit case
 * (or memory ran out). */
dtype_view_row *dtype_view_rows(const run_record *r, size_t *n);

/* The median of the row's case on type t over its float32 case's; NaN unless both ran. */
double dtype_view_vs_f32(const dtype_view_row *row, int t);

#ifdef __cplusplus
}
#endif

#endif
