/* accuracy_dtype_view.h - the accuracy on bf16 and fp16 data beside float32, per implementation, shared
 * by summary.md and report.html: a row per exact-mode float32 record that has a 16-bit record
 * of the same implementation, a cell per element type with its figures and verdict. */
#ifndef POSENC_ACCURACY_DTYPE_VIEW_H
#define POSENC_ACCURACY_DTYPE_VIEW_H

#include <stddef.h>

#include "dtype_view.h" /* DTYPE_VIEW_N: the element types, run_dtype's order */
#include "run_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the view's figures are, one paragraph of plain text for the reports. */
extern const char accuracy_dtype_explain[];


/* The exact-mode float32 records of r that have a bf16 or fp16 record of the same
 * implementation and mode, in the run's order: writes up to max pointers to rows and returns
 * how many there are (all of them, also past max). */
size_t accuracy_dtype_rows(const run_record *r, const run_accuracy **rows, size_t max);

/* The record of row's implementation and angle mode for type t (0 .. DTYPE_VIEW_N - 1); NULL
 * when the run has none. */
const run_accuracy *accuracy_dtype_record(const run_record *r, const run_accuracy *row, int t);

/* A cell's figures: "bit-exact" (learned, alibi), float32 "1.55 u, apply 3.26 u" (apply per
 * pair, rotary), 16-bit "0.4999 ulp, apply 0.5 ulp" (ulps of the type beyond the float32
 * bound), "not swept" for NULL. */
void accuracy_dtype_cell(const run_accuracy *a, char *buf, size_t size);

/* A cell's verdict: "ok", "over bound", "no bound" ("" for NULL). */
const char *accuracy_dtype_verdict(const run_accuracy *a);

#ifdef __cplusplus
}
#endif

#endif
