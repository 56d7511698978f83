/* decay.c - long-range decay: RoFormer's relative upper bound and the scores of seeded random
 * vectors against distance, per rotary setting, and the softmax weight ALiBi's bias leaves at
 * the same distances, measured on what the library computes. */
#include "analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_models.h"
#include "harness_util.h"
#include "oracle.h"

/* a curve over the config's distances, values NaN until set */
static analysis_curve *add_curve(analysis_record *r, const analyze_config *c,
                                 const analyze_model *m, const char *quantity, const char *label)
{
    analysis_curve *cv = analysis_add_curve(r);
    snprintf(cv->model, sizeof cv->model, "%s", m->key);
    snprintf(cv->variant, sizeof cv->variant, "%s", m->variant);
    snprintf(cv->quantity, sizeof cv->quantity, "%s", quantity);
    snprintf(cv->label, sizeof cv->label, "%s", label);
    cv->n = c->n_distances;
    cv->distance = harness_xmalloc(cv->n * sizeof *cv->distance);
    cv->value = harness_xmalloc(cv->n * sizeof *cv->value);
    for (size_t j = 0; j < cv->n; j++) {
        cv->distance[j] = c->distances[j];
        cv->value[j] = NAN;
    }
    return cv;
}

/* "llama-3.1-8b llama3 x8 (base 5e5)"; a dynamic setting names the length its frequencies are
 * for, a longrope one its factor set, a partial rotary its rotated dims */
static void rotary_label(const analyze_model *m, char *out, size_t size)
{
    const posenc_params *p = &m->params;
    const posenc_scaling *s = &p->scaling;
    char base[24], what[64] = "", extra[48] = "";
    analyze_format_base(p->base == 0.0 ? 10000.0 : p->base, base, sizeof base);
    if (analyze_model_is_derived(m))
        snprintf(what, sizeof what, " static NTK x%g, derived from the dynamic setting",
                 s->factor);
    else if (s->type == POSENC_SCALING_DYNAMIC)
        snprintf(what, sizeof what, " dynamic x%g at length %lld", s->factor,
                 (long long)(s->seq_len ? s->seq_len : s->original_max_positions));
    else if (s->type == POSENC_SCALING_LONGROPE) /* which factor set the length selects */
        snprintf(what, sizeof what, " %s x%g, %s factors", m->variant, s->factor,
                 s->seq_len > s->original_max_positions ? "long" : "short");
    else if (s->type != POSENC_SCALING_NONE && s->factor > 0.0 && s->factor != 1.0)
        snprintf(what, sizeof what, " %s x%g", m->variant, s->factor);
    else if (strcmp(m->variant, "none") && m->variant[0])
        snprintf(what, sizeof what, " %s", m->variant);
    const int32_t n = analyze_model_freq_dims(m);
    if (n < p->dim)
        snprintf(extra, sizeof extra, ", rotary %d of %d", (int)n, (int)p->dim);
    snprintf(out, size, "%s%s (base %s%s)", m->key, what, base, extra);
}

/* RoFormer 3.4.3: (1 / N) sum_{j=1}^{N} |S_j|, S_j = sum_{k<j} e^{i d theta_k}, N = n / 2, with
 * each sin and cos from the oracle (correctly rounded to double from the exact angle). */
static int rope_bound(const analyze_config *c, analysis_record *r, const analyze_model *m,
                      const char *label)
{
    const int32_t half = analyze_model_freq_dims(m) / 2;
    oracle_freq *f = harness_xmalloc((size_t)half * sizeof *f);
    for (int32_t i = 0; i < half; i++) {
        if (oracle_freq_init_params(&f[i], &m->params, i) != 0) {
            for (int32_t k = 0; k < i; k++)
                oracle_freq_clear(&f[k]);
            free(f);
            analysis_add_skip(r, c, m->key, "decay: the oracle does not cover its frequencies");
            return 0;
        }
    }
    analysis_curve *cv = add_curve(r, c, m, "rope_bound", label);
    cv->base = m->params.base == 0.0 ? 10000.0 : m->params.base;
    cv->value_at_0 = (half + 1) / 2.0; /* |S_j| = j at d = 0 */
    for (size_t j = 0; j < cv->n; j++) {
        double re = 0.0, im = 0.0, sum = 0.0;
        for (int32_t k = 0; k < half; k++) {
            double s, co;
            oracle_sincos(&f[k], cv->distance[j], &s, &co);
            re += co;
            im += s;
            sum += hypot(re, im);
        }
        cv->value[j] = sum / half;
    }
    for (int32_t i = 0; i < half; i++)
        oracle_freq_clear(&f[i]);
    free(f);
    return 0;
}

static double dot(const float *a, const float *b, int32_t n)
{
    double s = 0.0;
    for (int32_t i = 0; i < n; i++)
        s += (double)a[i] * b[i];
    return s;
}

/* The plan the curves measure with: *p (m's parameters) in exact angles on float32 data, every
 * position accepted, on the dispatch's implementation; NULL after recording why it is left out. */
static posenc_plan *measuring_plan(const analyze_config *c, analysis_record *r,
                                   const analyze_model *m, posenc_params *p)
{
    p->angle_mode = POSENC_ANGLE_EXACT;
    p->dtype = POSENC_DTYPE_F32;
    p->max_positions = 0;
    posenc_plan *plan;
    if (posenc_plan_create(NULL, p, &plan) == POSENC_OK)
        return plan;
    char why[160];
    snprintf(why, sizeof why, "decay: no %s plan: %s", posenc_kind_name(p->kind),
             posenc_last_error());
    analysis_add_skip(r, c, m->key, why);
    return NULL;
}

/* rope_self and rope_random: c->vectors seeded q (and independent k) of head_dim, turned to each
 * distance by the library (the best rotary implementation, exact angles, float32 data) */
static int rope_scores(const analyze_config *c, analysis_record *r, const analyze_model *m,
                       const char *label)
{
    posenc_params p = m->params;
    posenc_plan *plan = measuring_plan(c, r, m, &p);
    if (!plan)
        return 0;
    int rc = POSENC_OK;
    const int32_t h = p.dim, rot = analyze_model_freq_dims(m);
    const size_t v = c->vectors > 0 ? (size_t)c->vectors : 1;
    const size_t len = v * (size_t)h;
    const int axes = p.mrope.layout != POSENC_MROPE_NONE ? 3 : 1;
    double *normal = harness_xmalloc(2 * len * sizeof *normal);
    analyze_random_normal(c->seed, 2 * len, normal);
    float *q = harness_xmalloc(len * sizeof *q), *k = harness_xmalloc(len * sizeof *k);
    float *buf = harness_xmalloc(len * sizeof *buf);
    int64_t *pos = harness_xmalloc((size_t)axes * v * sizeof *pos);
    for (size_t i = 0; i < len; i++) {
        q[i] = (float)normal[i];
        k[i] = (float)normal[len + i];
    }
    free(normal);

    const double a = oracle_attention_factor(&p);
    /* the record's array may move when it grows: the pointers are taken after both adds */
    add_curve(r, c, m, "rope_self", label);
    add_curve(r, c, m, "rope_random", label);
    analysis_curve *self = &r->curves[r->n_curves - 2], *rnd = &r->curves[r->n_curves - 1];
    self->base = rnd->base = p.base == 0.0 ? 10000.0 : p.base;
    /* at d = 0 every cos is a and every sin 0: R(0) scales the rotated dims by a */
    double self0 = 0.0, rnd0 = 0.0;
    for (size_t t = 0; t < v; t++) {
        const float *qt = q + t * (size_t)h, *kt = k + t * (size_t)h;
        const double qq_rot = dot(qt, qt, rot), qq_pass = dot(qt + rot, qt + rot, h - rot);
        self0 += (a * qq_rot + qq_pass) / (qq_rot + qq_pass);
        rnd0 += fabs(a * dot(qt, kt, rot) + dot(qt + rot, kt + rot, h - rot));
    }
    self->value_at_0 = self0 / (double)v;
    rnd->value_at_0 = rnd0 / (double)v / sqrt((double)h);

    const int64_t max_pos = posenc_plan_max_pos(plan);
    for (size_t j = 0; j < self->n && rc == POSENC_OK; j++) {
        const int64_t d = self->distance[j];
        if (d < 0 || d >= max_pos)
            continue; /* NaN: the plan does not reach it */
        for (size_t i = 0; i < (size_t)axes * v; i++)
            pos[i] = d;
        memcpy(buf, q, len * sizeof *buf);
        rc = posenc_apply(plan, pos, v, buf, NULL);
        double s = 0.0;
        for (size_t t = 0; t < v && rc == POSENC_OK; t++) {
            const float *qt = q + t * (size_t)h;
            s += dot(qt, buf + t * (size_t)h, h) / dot(qt, qt, h);
        }
        self->value[j] = s / (double)v;
        if (rc == POSENC_OK) {
            memcpy(buf, k, len * sizeof *buf);
            rc = posenc_apply(plan, pos, v, buf, NULL);
        }
        s = 0.0;
        for (size_t t = 0; t < v && rc == POSENC_OK; t++)
            s += fabs(dot(q + t * (size_t)h, buf + t * (size_t)h, h));
        rnd->value[j] = s / (double)v / sqrt((double)h);
    }
    if (rc != POSENC_OK)
        fprintf(stderr, "posenc analyze: decay of %s: posenc_apply: %s\n", m->key,
                posenc_last_error());
    free(q);
    free(k);
    free(buf);
    free(pos);
    posenc_plan_destroy(plan);
    return rc == POSENC_OK ? 0 : -1;
}

/* The weight exp(bias) ALiBi's bias leaves at each distance, for the heads of the largest, the
 * median and the smallest slope. The biases are the library's: one query row against keys at
 * each distance (bidirectional form, so the bias is -m d whatever form the model uses), and the
 * slope m is minus the bias at distance 1. */
static int alibi_weights(const analyze_config *c, analysis_record *r, const analyze_model *m)
{
    posenc_params p = m->params;
    p.alibi.form = POSENC_ALIBI_FULL;
    posenc_plan *plan = measuring_plan(c, r, m, &p);
    if (!plan)
        return 0;
    const size_t heads = (size_t)p.dim, nd = c->n_distances;
    int64_t far = 1;
    for (size_t j = 0; j < nd; j++)
        far = c->distances[j] > far ? c->distances[j] : far;
    if (far >= posenc_plan_max_pos(plan))
        far = posenc_plan_max_pos(plan) - 1;
    int64_t *kpos = harness_xmalloc((nd + 1) * sizeof *kpos);
    float *bias = harness_xmalloc(heads * (nd + 1) * sizeof *bias);
    memset(bias, 0, heads * (nd + 1) * sizeof *bias); /* scores 0: what remains is the bias */
    /* key 0: distance 1, for the slope; then one key per distance the plan reaches */
    const int64_t qpos = far;
    kpos[0] = far - 1;
    for (size_t j = 0; j < nd; j++)
        kpos[j + 1] = c->distances[j] >= 0 && c->distances[j] <= far ? far - c->distances[j]
                                                                        : far;
    const int rc = posenc_alibi_apply(plan, &qpos, 1, kpos, nd + 1, bias, NULL);
    if (rc != POSENC_OK) {
        fprintf(stderr, "posenc analyze: decay of %s: posenc_alibi_apply: %s\n", m->key,
                posenc_last_error());
        free(kpos);
        free(bias);
        posenc_plan_destroy(plan);
        return -1;
    }
    /* heads by slope: largest first */
    size_t *order = harness_xmalloc(heads * sizeof *order);
    for (size_t h = 0; h < heads; h++) {
        size_t at = h;
        while (at > 0 && bias[order[at - 1] * (nd + 1)] > bias[h * (nd + 1)]) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = h;
    }
    const size_t picks[3] = {order[0], order[heads / 2], order[heads - 1]};
    for (size_t i = 0; i < 3; i++) {
        if ((i == 1 && (picks[1] == picks[0] || picks[1] == picks[2])) ||
            (i == 2 && picks[2] == picks[0]))
            continue;
        const size_t h = picks[i];
        const float *row = bias + h * (nd + 1);
        char label[96];
        snprintf(label, sizeof label, "%s head %zu of %zu (m = %.3g)", m->key, h + 1, heads,
                 -(double)row[0]);
        analysis_curve *cv = add_curve(r, c, m, "alibi_weight", label);
        cv->base = -(double)row[0];
        cv->value_at_0 = 1.0; /* exp(-m 0) */
        for (size_t j = 0; j < nd; j++)
            if (c->distances[j] >= 0 && c->distances[j] <= far)
                cv->value[j] = exp((double)row[j + 1]);
    }
    free(order);
    free(kpos);
    free(bias);
    posenc_plan_destroy(plan);
    return 0;
}

int analyze_run_decay(const analyze_config *c, analysis_record *r)
{
    const double t0 = harness_now_s();
    size_t n;
    analyze_model *models = analyze_models_expanded(c, &n);
    size_t total = 0, done = 0;
    for (size_t i = 0; i < n; i++)
        total += models[i].params.kind == POSENC_ROTARY || models[i].params.kind == POSENC_ALIBI;
    analyze_progress(c, "decay", 0, total, "");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const analyze_model *m = &models[i];
        if (m->params.kind == POSENC_ROTARY) {
            char label[96];
            rotary_label(m, label, sizeof label);
            rc = rope_bound(c, r, m, label);
            if (rc == 0)
                rc = rope_scores(c, r, m, label);
        } else if (m->params.kind == POSENC_ALIBI) {
            rc = alibi_weights(c, r, m);
        } else {
            continue;
        }
        analyze_progress(c, "decay", ++done, total, m->key);
    }
    free(models);
    r->seconds_decay = harness_now_s() - t0;
    return rc;
}
