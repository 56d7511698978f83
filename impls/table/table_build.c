/* table_build.c - fills a table backend's rows: every (position, frequency) of the plan in its
 * angle mode. Runs once, in prepare (not timed), but a large table has tens of millions of
 * entries, so the exact mode walks each frequency by rotation between exact restarts. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/frequencies.h"
#include "core/half_angle.h"
#include "core/sincos.h"
#include "table/table_entry.h"
#include "table/table_plan.h"

/* Rows between exact restarts. Rotating a (cos, sin) pair by one step in double adds at most
 * about 4 * 2^-53 to the error of the pair (rounded step constants, two products and a sum per
 * element); ROTATION_ERR states it with a margin of 4. After the restart's own error
 * (RESTART_ERR: TABLE_DOUBLE_REL for each element, sqrt 2 for the pair) and 31 rotations, a value
 * is within 2^-44 of the truth: the rounding of a value near 1 is then in doubt with odds of about
 * 2^-19 (smaller values more often), and those values take the double-double path. */
#define RESTART_ROWS 32
#define RESTART_ERR 0x1p-48
#define ROTATION_ERR 0x1p-49

typedef struct walk {
    uint64_t step;
    double residual;
    double cos_step, sin_step; /* of one position's angle, rounded to double */
    double c, s;               /* of the current position */
} walk;

/* Round one entry pair af (c, s), with (c, s) known to within err, or settle it in
 * double-double. af is the plan's attention factor (a double, the definition's value): entries
 * hold the correctly rounded af cos and af sin, as the other backends' values approximate. */
static inline void store(const walk *w, int64_t p, double af, double err_c, double err_s,
                         float *c_out, float *s_out)
{
    double c = w->c, s = w->s;
    if (af != 1.0) { /* the product's rounding adds at most 2^-53 of it */
        c *= af;
        s *= af;
        err_c = err_c * af + fabs(c) * 0x1p-53;
        err_s = err_s * af + fabs(s) * 0x1p-53;
    }
    if (table_round_if_certain(c, err_c, c_out) && table_round_if_certain(s, err_s, s_out))
        return;
    dd sd, cd;
    table_sincos_dd(w->step, w->residual, p, &sd, &cd);
    *c_out = dd_to_float(dd_mul_d(cd, af));
    *s_out = dd_to_float(dd_mul_d(sd, af));
}

static int build_exact(const posenc_plan *plan, float *values, int64_t rows)
{
    const posenc_params *prm = &plan->params;
    size_t nf = plan->n_freq;
    walk *w = malloc(nf * sizeof *w);
    uint64_t *steps = malloc(nf * sizeof *steps);
    double *residuals = malloc(nf * sizeof *residuals);
    dd *freq = malloc(nf * sizeof *freq);
    if (!w || !steps || !residuals || !freq) {
        free(w);
        free(steps);
        free(residuals);
        free(freq);
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu frequencies", nf);
    }
    /* The plan's 64-bit steps are too coarse for correct rounding: take their residuals too. */
    posenc_exact_frequencies(prm, freq);
    posenc_turn_steps(freq, (int32_t)nf, steps, residuals);
    free(freq);
    for (size_t i = 0; i < nf; i++) {
        dd s1, c1;
        table_sincos_dd(steps[i], residuals[i], 1, &s1, &c1);
        w[i] = (walk){steps[i], residuals[i], c1.hi, s1.hi, 0.0, 0.0};
    }
    free(steps);
    free(residuals);

    for (int64_t p = 0; p < rows; p++) {
        float *row = values + (size_t)p * 2 * nf;
        int64_t k = p % RESTART_ROWS;
        double err = RESTART_ERR + (double)k * ROTATION_ERR + TABLE_PHASE_ABS;
        for (size_t i = 0; i < nf; i++) {
            walk *g = &w[i];
            if (k == 0) {
                table_sincos_double(g->step, g->residual, p, &g->s, &g->c);
                store(g, p, plan->attention, fabs(g->c) * TABLE_DOUBLE_REL + TABLE_PHASE_ABS,
                      fabs(g->s) * TABLE_DOUBLE_REL + TABLE_PHASE_ABS, &row[i], &row[nf + i]);
            } else {
                double c = g->c * g->cos_step - g->s * g->sin_step;
                double s = g->s * g->cos_step + g->c * g->sin_step;
                g->c = c;
                g->s = s;
                store(g, p, plan->attention, err, err, &row[i], &row[nf + i]);
            }
        }
    }
    free(w);
    return POSENC_OK;
}

/* A recipe's values (fp32, bf16, fp16 modes), as every backend's recipe modes give them. */
static void build_recipe(const posenc_plan *plan, float *values, int64_t rows)
{
    size_t nf = plan->n_freq;
    posenc_angle_mode m = plan->params.angle_mode;
    for (int64_t p = 0; p < rows; p++) {
        float *row = values + (size_t)p * 2 * nf;
        float pf = posenc_recipe_position(m, p);
        for (size_t i = 0; i < nf; i++) {
            posenc_sincos_fp32_angle(posenc_recipe_angle(m, pf, plan->inv_freq[i]), &row[nf + i],
                                     &row[i]);
            if (plan->attention_f != 1.0f) { /* the recipe's multiply, as the kernels do it */
                row[i] *= plan->attention_f;
                row[nf + i] *= plan->attention_f;
            }
        }
    }
}

int table_build(const posenc_plan *plan, float *values, int64_t rows)
{
    if (plan->params.angle_mode == POSENC_ANGLE_EXACT)
        return build_exact(plan, values, rows);
    build_recipe(plan, values, rows);
    return POSENC_OK;
}
