/* variants_view.h - the "variants" view of a run, shared by summary.md, report.html and
 * results.csv: the cases made from the models file (a case whose variant has a model_key),
 * grouped by model, each model's variants side by side with the same-run plain-RoPE twin on
 * the same shape ("<shape>-rope"), and the accuracy of each variant from the run's
 * variant_accuracy records. */
#ifndef POSENC_VARIANTS_VIEW_H
#define POSENC_VARIANTS_VIEW_H

#include <stddef.h>

#include "run_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The first decade the view shows: positions 1e3 .. 1e9 (decades 3 .. 9 of run_decade). */
#define VARIANTS_FIRST_DECADE 3

/* The angle modes the view shows per variant, in run_angle_mode's order: exact, fp32, bf16,
 * fp16 (alibi has the first two only). Each recipe also gets a row of its error over exact
 * mode's. */
#define VARIANTS_N_MODES 4

/* 1 when c belongs in the view: a float32 case made from the models file (the 16-bit ones are
 * in dtype_view.h's view), and the one case that stands for its group: the dispatched case, or
 * (when the run timed none for the group) the first case of the group that ran. */
int variants_view_has(const run_record *r, const run_case *c);

/* The models of the view, in the order of their first case: writes up to max pointers to their
 * names (run_case.model) into models, returns how many there are. */
size_t variants_view_models(const run_record *r, const char **models, size_t max);

/* The variant accuracy record of (model, variant, angle mode), or NULL. */
const run_variant_accuracy *variants_view_accuracy(const run_record *r, const char *model,
                                                   const char *variant, run_angle_mode mode);

/* The plain-RoPE twin of a view case (same model, group + "-rope", the same implementation, ok),
 * or NULL: the case the variant is compared with. */
const run_case *variants_view_twin(const run_record *r, const run_case *c);

/* The figure the view shows for a record in decade d: max_err_u, or for alibi max_ulp (biases
 * grow with the distance, so an absolute error in u says nothing; ulps do). NaN when the decade
 * has no values. */
double variants_view_decade_error(const run_accuracy *a, int d);

#ifdef __cplusplus
}
#endif

#endif
