/* recipe.h - what the common designs (recipe_cache.c, recipe_recurrence.c) share: they are the
 * fp32 recipe, so a plan in another angle mode is refused, and the parameters they take. */
#ifndef POSENC_RECIPE_H
#define POSENC_RECIPE_H

#include "core/error.h"
#include "core/plan.h"

/* A design computes the fp32 recipe whatever it is asked: a plan in another angle mode would
   say one thing and hold another, so it fails instead. */
static inline int recipe_check_mode(const posenc_plan *plan)
{
    if (plan->params.angle_mode == POSENC_ANGLE_FP32)
        return POSENC_OK;
    return posenc_fail(POSENC_ERR_ARGUMENT,
                       "%s is a common design of the fp32 recipe: its plans need angle_mode "
                       "POSENC_ANGLE_FP32 (this one asks for mode %d)",
                       plan->impl->name, (int)plan->params.angle_mode);
}

#endif
