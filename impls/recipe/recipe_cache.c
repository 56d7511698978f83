/* recipe_cache.c - "rotary/recipe-cache", a common design timed beside posenc: the float32
 * cos/sin cache of PyTorch/HF and of vLLM's CPU kernel (csrc/cpu/pos_encoding.cpp), built once
 * when the plan is made from the fp32 recipe (inv_freq and the angle p * inv_freq in float32,
 * sin and cos of that float angle) for max_positions rows, then read per token and applied with
 * the table backend's kernels. The cache is the table backend's table in fp32 angle mode, so it
 * is built, bounded, counted and read by that machinery (impls/table): only the angle mode is
 * fixed here. */
#include "recipe/recipe.h"
#include "table/table_plan.h"

extern const posenc_impl posenc_rotary_table;

static int cache_prepare(posenc_plan *plan)
{
    int rc = recipe_check_mode(plan);
    return rc ? rc : posenc_rotary_table.prepare(plan);
}

const posenc_impl posenc_rotary_recipe_cache = {
    .name = "rotary/recipe-cache",
    .description = "design: fp32 cos/sin cache (max_positions rows, as HF and vLLM's CPU "
                   "kernel), vector rotate",
    .kind = POSENC_ROTARY,
    .cpu_features = 0,
    .algorithm = "recipe-cache",
    .flags = POSENC_IMPL_EXPLICIT_ONLY | POSENC_IMPL_TABLE_BOUNDED | POSENC_IMPL_DESIGN,
    .max_err_u = 0.0, /* no bound: the recipe's error grows with the position */
    .max_pos = INT64_C(1) << 31,
    .prepare = cache_prepare,
    .encode = table_encode,
    .apply = table_apply,
    .release = table_release,
    .dtypes = 1u << POSENC_DTYPE_BF16 | 1u << POSENC_DTYPE_F16,
    .encode16 = table_encode16,
    .apply16 = table_apply16,
};
