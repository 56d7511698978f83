/* accuracy_dtype_view.c - the float32 and 16-bit accuracy records side by side (accuracy_dtype_view.h). */
#include "accuracy_dtype_view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char accuracy_dtype_explain[] =
    "Exact angles. f32: the largest error in u = 2^-24 (values, then rotary apply per pair "
    "relative to max(|a|, |b|)). bf16 and f16: encode's values and apply's outputs (on inputs of "
    "the type) in ulps of the type beyond the float32 bound; within the bound is at most 0.5, the "
    "one rounding to the type. Learned and alibi: the float32 results rounded to the type, bit "
    "for bit.";

const run_accuracy *accuracy_dtype_record(const run_record *r, const run_accuracy *row, int t)
{
    if (t < 0 || t >= DTYPE_VIEW_N)
        return NULL;
    return run_find_accuracy(r, row->implementation, row->angle_mode, (run_dtype)t);
}

size_t accuracy_dtype_rows(const run_record *r, const run_accuracy **rows, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < r->n_accuracy; k++) {
        const run_accuracy *a = &r->accuracy[k];
        if (a->dtype != RUN_DTYPE_F32 || a->angle_mode != RUN_ANGLE_EXACT ||
            (!accuracy_dtype_record(r, a, 1) && !accuracy_dtype_record(r, a, 2)))
            continue;
        if (n < max)
            rows[n] = a;
        n++;
    }
    return n;
}

void accuracy_dtype_cell(const run_accuracy *a, char *buf, size_t size)
{
    if (!a) {
        snprintf(buf, size, "not swept");
        return;
    }
    if (a->bit_exact == 1) {
        snprintf(buf, size, "bit-exact");
        return;
    }
    const int f32 = a->dtype == RUN_DTYPE_F32 || isnan(a->max_err_type_ulp);
    const char *unit = f32 ? "u" : "ulp";
    double v = f32 ? a->max_err_u : a->max_err_type_ulp;
    double ap = f32 ? a->apply_max_err_u : a->apply_max_err_type_ulp;
    int w = snprintf(buf, size, "%.4g %s", v, unit);
    if (!isnan(ap) && w >= 0 && (size_t)w < size)
        snprintf(buf + w, size - (size_t)w, ", apply %.4g %s", ap, unit);
}

const char *accuracy_dtype_verdict(const run_accuracy *a)
{
    if (!a)
        return "";
    return a->within_bound == 1 ? "ok" : a->within_bound == 0 ? "over bound" : "no bound";
}
