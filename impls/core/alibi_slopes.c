/* alibi_slopes.c - ALiBi's slopes m_h = 2^(-b h / P) as double-doubles (exact mode) and as MPT's
 * float recipe (fp32 mode), once per plan, from dd_math.h's exact exp2: the slopes are the same
 * bits on every machine. */
#include "core/alibi_slopes.h"

#include <float.h>
#include <math.h> /* ldexp, INFINITY: exact operations and constants */
#include <stdlib.h>

#include "core/dd_math.h"
#include "core/error.h"

/* m = 2^(-b num / den) for a power of two den <= 2^17 and num <= 2^17: b * num is exact as a
   double-double (dd_two_prod), and the division by a power of two is exact too (ldexp). */
static dd slope_exact(double b, int32_t num, int32_t den)
{
    dd e = dd_two_prod(b, (double)num);
    int shift = 0;
    while ((INT32_C(1) << shift) < den)
        shift++;
    dd x = {-ldexp(e.hi, -shift), -ldexp(e.lo, -shift)};
    return dd_exp2(x);
}

/* The correctly rounded powf(2, y) for the recipe's 0 < y < 1100: 2^y to about 2^-100, rounded
   once. Beyond 128 it overflows to inf in float, as powf does (1 / inf is then 0). */
static float recipe_exp2f(float y)
{
    if (y >= 128.0f)
        return INFINITY;
    return dd_to_float(dd_exp2((dd){(double)y, 0.0}));
}

int posenc_alibi_slopes(posenc_plan *plan)
{
    int32_t H = plan->params.dim;
    double b = plan->params.alibi.bias_max;
    plan->slope_hi = malloc((size_t)H * sizeof *plan->slope_hi);
    plan->slope_lo = malloc((size_t)H * sizeof *plan->slope_lo);
    plan->slope_f = malloc((size_t)H * sizeof *plan->slope_f);
    if (!plan->slope_hi || !plan->slope_lo || !plan->slope_f)
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for %d ALiBi slopes", (int)H);

    /* exact: BLOOM's rule. P the largest power of two <= H; heads 1..P get 2^(-b h / P), the
       rest 2^(-b h / (2P)) for odd h = 1, 3, 5, .. */
    int32_t P = 1;
    while (P * 2 <= H)
        P *= 2;
    for (int32_t k = 0; k < H; k++) {
        dd m = k < P ? slope_exact(b, k + 1, P) : slope_exact(b, 2 * (k - P) + 1, 2 * P);
        plan->slope_hi[k] = m.hi;
        plan->slope_lo[k] = m.lo;
    }

    /* fp32: MPT's build_mpt_alibi_tensor. P2 the power of two >= H; base = arange(1, P2 + 1)
       as float times (float)(b / P2); slopes = 1.0f / pow(2, base); when P2 != H, the slopes
       of odd index then those of even index (slopes[1::2] ++ slopes[::2]), the first H. */
    int32_t P2 = P == H ? H : 2 * P;
    float step = (float)(b / (double)P2);
    for (int32_t k = 0; k < H; k++) {
        int32_t i; /* 0-based index into the P2 slopes before the reordering */
        if (P2 == H)
            i = k;
        else
            i = k < P2 / 2 ? 2 * k + 1 : 2 * (k - P2 / 2);
        float y = (float)(i + 1) * step;
        plan->slope_f[k] = 1.0f / recipe_exp2f(y);
    }
    /* what posenc_plan_table_bytes reports: alibi has no backend tables, the slopes are its */
    plan->backend_bytes = (size_t)H * (2 * sizeof(double) + sizeof(float));
    return POSENC_OK;
}
