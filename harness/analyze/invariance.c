/* invariance.c - relative-position invariance (analysis.h): how far the score matrices an
 * implementation's rows give at offset D drift from the exact ones, which depend on m - n only.
 *
 * Rotary: seeded q and k (W rows of head_dim each, rounded to the element type so that the
 * reference takes the same inputs) are rotated by posenc_apply to positions D .. D + W - 1 in
 * the type, widened to float, and S = Q' K'^T / sqrt(head_dim) is one cblas_sgemm. The exact
 * scores are the oracle's rotation of the same q and k at positions 0 .. W - 1 through
 * cblas_dgemm, computed once per model and type: the truth at any offset is the same (the test
 * holds the oracle to that). Sinusoidal: S = E E^T / (dim / 2) over posenc_encode's rows E, the
 * exact one the mean of cos((m - n) w_i) from the oracle's rows; and a heat map of the first
 * positions' similarities. */
#include "analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/half.h"
#include "harness_util.h"
#include "score_gemm.h"
#include "sweep.h" /* accuracy_mode_name */

#define U_F32 0x1p-24

/* ---- the exact-mode bound ----------------------------------------------------------------
 *
 * What max_norm must keep on float32 data in exact angle mode, relative to
 * N(m, n) = sum over groups |q_g| |k_g| / sqrt(head_dim), the groups being the rotated pairs
 * and each element past rotary_dim on its own (sinusoidal: the (sin, cos) pairs of unit length
 * over dim / 2, so N = 1). With u = 2^-24, B = impl->max_err_u and a the attention factor:
 *
 * 1. The rotation. posenc.h bounds each output of a rotated pair (q1, q2) within
 *    B a u max(|q1|, |q2|) (+ 2^-149, below) of the exact a R q, so the pair's error vector e has
 *    |e| <= sqrt(2) B a u |q_p|, and likewise f for k's pair, while |a R q_p| = a |q_p|. The
 *    pair's contribution to the dot product is then off by at most
 *      |e| a |k_p| + a |q_p| |f| + |e| |f| <= (2 sqrt(2) B u + 2 B^2 u^2) a^2 |q_p| |k_p|.
 *    Elements past rotary_dim pass through unchanged. Sinusoidal values are within B u
 *    (absolute) of sin and cos, which is the same statement with |q_p| = |k_p| = 1, a = 1.
 * 2. sgemm's float accumulation of head_dim products: within gamma_hd sum_j |q'_j| |k'_j|
 *    (score_gemm.h), in any order OpenBLAS sums them. Per pair, |q'_1 k'_1| + |q'_2 k'_2| <=
 *    |q'_p| |k'_p| (Cauchy-Schwarz) <= a^2 (1 + sqrt(2) B u)^2 |q_p| |k_p|; an unrotated
 *    element gives |q_j| |k_j|. So gamma_hd (1 + sqrt(2) B u)^2 max(a^2, 1) N sqrt(hd).
 * 3. The rest is in double: the float sum widened exactly, the scaling by 1 / sqrt(hd) and the
 *    reference (oracle rows within 2^-53 of the truth, relative, a dgemm of hd products:
 *    gamma_hd at u = 2^-53) stay below (hd + 8) 2^-52 max(a^2, 1) N.
 * Dividing by N:
 *   bound_norm = max(a^2, 1) (2 sqrt(2) B u + 2 B^2 u^2 + gamma_hd (1 + sqrt(2) B u)^2
 *                + (hd + 8) 2^-52).
 * posenc.h's 2^-149 per output (products that fall among the subnormals) adds at most about
 * 2^-147 / min |q_p| relative: below 2^-100 for seeded normal vectors, left out.
 * At head_dim 128 and B = 8 this is about 151 u = 9.0e-6 (the accumulation, 128 u, dominates);
 * N of random normal vectors is about 9 there, so about 8e-5 of a logit. */
static double drift_bound(double b_u, double attention, int hd)
{
    const double bu = b_u * U_F32, a2 = attention * attention;
    const double grow = 1.0 + sqrt(2.0) * bu;
    return fmax(a2, 1.0) * (2.0 * sqrt(2.0) * bu + 2.0 * bu * bu +
                            score_gamma(hd, U_F32) * grow * grow + (hd + 8) * 0x1p-52);
}

/* ---- element types ------------------------------------------------------------------------ */

static size_t elem_size(posenc_dtype t)
{
    return t == POSENC_DTYPE_F32 ? sizeof(float) : sizeof(uint16_t);
}

static uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float bits_float(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* x rounded to float, then to the type, stored at element i of out. */
static void store_elem(posenc_dtype t, void *out, size_t i, double x)
{
    const float f = (float)x;
    if (t == POSENC_DTYPE_F32)
        ((float *)out)[i] = f;
    else if (t == POSENC_DTYPE_BF16)
        ((uint16_t *)out)[i] = posenc_f32_bits_to_bf16(float_bits(f));
    else
        ((uint16_t *)out)[i] = posenc_f32_bits_to_f16(float_bits(f));
}

/* n elements of the type, widened (exactly) to float. */
static void widen(posenc_dtype t, const void *in, size_t n, float *out)
{
    if (t == POSENC_DTYPE_F32) {
        memcpy(out, in, n * sizeof *out);
    } else if (t == POSENC_DTYPE_BF16) {
        for (size_t i = 0; i < n; i++)
            out[i] = bits_float(posenc_bf16_to_f32_bits(((const uint16_t *)in)[i]));
    } else {
        for (size_t i = 0; i < n; i++)
            out[i] = bits_float(posenc_f16_to_f32_bits(((const uint16_t *)in)[i]));
    }
}

/* ---- one model and element type: inputs and the exact scores -------------------------------- */

typedef struct reference {
    posenc_dtype dtype;
    void *q, *k;       /* W x head_dim in the type (rotary) */
    float *qf, *kf;    /* the same widened */
    double *exact;     /* W x W exact scores */
    double *inv_norm;  /* W x W: 1 / N(m, n) (rotary); NULL: N = 1 */
} reference;

static void reference_free(reference *ref)
{
    free(ref->q);
    free(ref->k);
    free(ref->qf);
    free(ref->kf);
    free(ref->exact);
    free(ref->inv_norm);
    memset(ref, 0, sizeof *ref);
}

static int rotary_dim_of(const posenc_params *p)
{
    return p->rotary_dim ? p->rotary_dim : p->dim;
}

/* normal: 2 W hd seeded values, q's then k's */
static int reference_rotary(const analyze_config *c, const posenc_params *p,
                            const double *normal, posenc_dtype dtype, reference *ref)
{
    const int W = c->window, hd = p->dim, rd = rotary_dim_of(p);
    const size_t n = (size_t)W * hd, ww = (size_t)W * W;
    ref->dtype = dtype;
    ref->q = harness_xmalloc(n * elem_size(dtype));
    ref->k = harness_xmalloc(n * elem_size(dtype));
    ref->qf = harness_xmalloc(n * sizeof(float));
    ref->kf = harness_xmalloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        store_elem(dtype, ref->q, i, normal[i]);
        store_elem(dtype, ref->k, i, normal[n + i]);
    }
    widen(dtype, ref->q, n, ref->qf);
    widen(dtype, ref->k, n, ref->kf);

    double *qd = harness_xmalloc(2 * n * sizeof *qd), *kd = qd + n;
    for (size_t i = 0; i < n; i++) {
        qd[i] = ref->qf[i];
        kd[i] = ref->kf[i];
    }
    ref->exact = harness_xmalloc(ww * sizeof(double));
    int rc = score_exact_rotary(p, hd, qd, kd, W, 0, ref->exact);
    free(qd);
    if (rc)
        return -1;

    const int g = score_groups(hd, rd);
    double *gq = harness_xmalloc(2 * (size_t)W * g * sizeof *gq), *gk = gq + (size_t)W * g;
    score_group_norms(ref->qf, W, hd, rd, p->pairing, gq);
    score_group_norms(ref->kf, W, hd, rd, p->pairing, gk);
    ref->inv_norm = harness_xmalloc(ww * sizeof(double));
    score_dgemm(gq, gk, W, W, g, ref->inv_norm);
    free(gq);
    const double sq = sqrt((double)hd);
    for (size_t e = 0; e < ww; e++)
        ref->inv_norm[e] = sq / ref->inv_norm[e];
    return 0;
}

static int reference_sinusoidal(const analyze_config *c, const posenc_params *p,
                                posenc_dtype dtype, reference *ref)
{
    ref->dtype = dtype;
    ref->exact = harness_xmalloc((size_t)c->window * c->window * sizeof(double));
    return score_exact_sinusoidal(p, c->window, 0, ref->exact);
}

/* ---- one record ---------------------------------------------------------------------------- */

typedef struct work {
    void *qw, *kw;   /* rows in the type, rotated or encoded in place */
    float *qf, *kf;  /* the same widened */
    float *s;        /* W x W sgemm output */
    int64_t *pos;    /* 3 W positions (M-RoPE: axis-major, every axis alike) */
} work;

/* |S - S_exact| over the W x W scores, S = s * scale. */
static void drift(const float *s, double scale, const reference *ref, size_t ww,
                  analysis_drift *d)
{
    double mx = 0, sum = 0, mx_norm = 0;
    for (size_t e = 0; e < ww; e++) {
        const double diff = fabs((double)s[e] * scale - ref->exact[e]);
        sum += diff;
        mx = diff > mx ? diff : mx;
        if (ref->inv_norm) {
            const double nd = diff * ref->inv_norm[e];
            mx_norm = nd > mx_norm ? nd : mx_norm;
        }
        if (diff != diff) /* a NaN score: no bound holds */
            mx = mx_norm = NAN;
    }
    d->max_abs = mx;
    d->mean_abs = sum / (double)ww;
    d->max_norm = ref->inv_norm ? mx_norm : mx;
}

static void set_names(analysis_invariance *v, const analyze_model *m, const posenc_impl *impl,
                      posenc_angle_mode mode, posenc_dtype dtype, int window)
{
    snprintf(v->model, sizeof v->model, "%s", m->key);
    snprintf(v->variant, sizeof v->variant, "%s", m->variant);
    snprintf(v->encoding, sizeof v->encoding, "%s", posenc_kind_name(impl->kind));
    snprintf(v->implementation, sizeof v->implementation, "%s", impl->name);
    snprintf(v->family, sizeof v->family, "%s", analyze_family(impl));
    snprintf(v->angle_mode, sizeof v->angle_mode, "%s", accuracy_mode_name(mode));
    snprintf(v->dtype, sizeof v->dtype, "%s", posenc_dtype_name(dtype));
    v->head_dim = m->params.dim;
    v->window = window;
}

/* Scores of the plan at one offset into w->s: rotary rotates copies of q and k, sinusoidal
 * encodes the rows. */
static int scores_at(const posenc_plan *plan, const reference *ref, int W, int64_t off,
                     work *w)
{
    const posenc_params *p = posenc_plan_params(plan);
    const int hd = p->dim;
    const size_t n = (size_t)W * hd, es = elem_size(ref->dtype);
    const int axes = p->mrope.layout != POSENC_MROPE_NONE ? 3 : 1;
    for (int a = 0; a < axes; a++)
        for (int t = 0; t < W; t++)
            w->pos[(size_t)a * W + t] = off + t;
    int rc;
    if (p->kind == POSENC_ROTARY) {
        const posenc_layout layout = {.n_heads = 1, .head_stride = (size_t)hd,
                                      .token_stride = (size_t)hd};
        memcpy(w->qw, ref->q, n * es);
        memcpy(w->kw, ref->k, n * es);
        rc = posenc_apply(plan, w->pos, (size_t)W, w->qw, &layout);
        if (rc == POSENC_OK)
            rc = posenc_apply(plan, w->pos, (size_t)W, w->kw, &layout);
        if (rc == POSENC_OK) {
            widen(ref->dtype, w->qw, n, w->qf);
            widen(ref->dtype, w->kw, n, w->kf);
            score_sgemm(w->qf, w->kf, W, W, hd, w->s);
        }
    } else {
        rc = posenc_encode(plan, w->pos, (size_t)W, w->qw);
        if (rc == POSENC_OK) {
            widen(ref->dtype, w->qw, n, w->qf);
            score_sgemm(w->qf, w->qf, W, W, hd, w->s);
        }
    }
    if (rc != POSENC_OK)
        fprintf(stderr, "analyze: invariance: %s at offset %lld: %s (%s)\n",
                posenc_plan_impl(plan)->name, (long long)off, posenc_strerror(rc),
                posenc_last_error());
    return rc == POSENC_OK ? 0 : -1;
}

/* Appends the record of one (model, implementation, mode, type) and returns 0; or records a
 * skip and returns 1 when the plan is refused (a design refusing a scaling type, fp16 angles
 * refusing longrope's factors: refusals of the setting, which hold for every type); -1 on
 * failure. */
static int invariance_record(const analyze_config *c, analysis_record *r,
                             const analyze_model *m, const posenc_impl *impl,
                             posenc_angle_mode mode, const reference *ref, work *w)
{
    const int W = c->window;
    posenc_params p = m->params;
    p.angle_mode = mode;
    p.dtype = ref->dtype;
    char what[96];
    snprintf(what, sizeof what, "invariance %s %s %s %s", m->key, impl->name,
             accuracy_mode_name(mode), posenc_dtype_name(ref->dtype));
    posenc_plan *plan;
    int rc = posenc_plan_create(impl, &p, &plan);
    if (rc == POSENC_ERR_ARGUMENT || rc == POSENC_ERR_DIM || rc == POSENC_ERR_UNSUPPORTED) {
        char why[160];
        snprintf(why, sizeof why, "%s: %s", posenc_strerror(rc), posenc_last_error());
        snprintf(what, sizeof what, "invariance %s %s %s", m->key, impl->name,
                 accuracy_mode_name(mode));
        analysis_add_skip(r, c, what, why);
        return 1;
    }
    if (rc != POSENC_OK) {
        fprintf(stderr, "analyze: %s: %s (%s)\n", what, posenc_strerror(rc), posenc_last_error());
        return -1;
    }
    const int64_t max_pos = posenc_plan_max_pos(plan);
    size_t fit = 0;
    while (fit < c->n_offsets && c->offsets[fit] + W <= max_pos)
        fit++;
    if (fit == 0) {
        char why[160];
        snprintf(why, sizeof why, "the plan takes positions below %lld, fewer than the window",
                 (long long)max_pos);
        analysis_add_skip(r, c, what, why);
        posenc_plan_destroy(plan);
        return 0;
    }

    analysis_invariance *v = analysis_add_invariance(r);
    set_names(v, m, impl, mode, ref->dtype, W);
    v->points = harness_xmalloc(fit * sizeof *v->points);
    if (fit < c->n_offsets)
        snprintf(v->note, sizeof v->note,
                 "offsets from %lld on left out: the plan takes positions below %lld%s",
                 (long long)c->offsets[fit], (long long)max_pos,
                 impl->flags & POSENC_IMPL_TABLE_BOUNDED ? " (table rows)"
                 : mode == POSENC_ANGLE_FP16            ? " (finite fp16 angles)"
                                                        : "");
    const double scale = p.kind == POSENC_ROTARY ? 1.0 / sqrt((double)p.dim) : 2.0 / p.dim;
    const double bound =
        mode == POSENC_ANGLE_EXACT && ref->dtype == POSENC_DTYPE_F32 && impl->max_err_u > 0
            ? drift_bound(impl->max_err_u, posenc_plan_attention_factor(plan), p.dim)
            : NAN;
    v->bound_norm = bound;
    int within = 1;
    for (size_t o = 0; o < fit; o++) {
        if (scores_at(plan, ref, W, c->offsets[o], w)) {
            posenc_plan_destroy(plan);
            return -1;
        }
        analysis_drift *d = &v->points[v->n_points++];
        d->offset = c->offsets[o];
        drift(w->s, scale, ref, (size_t)W * W, d);
        if (!(d->max_norm <= bound))
            within = 0;
        if (v->cross_fine < 0 && !(d->max_abs <= ANALYZE_LEVEL_FINE))
            v->cross_fine = d->offset;
        if (v->cross_bf16 < 0 && !(d->max_abs <= ANALYZE_LEVEL_BF16))
            v->cross_bf16 = d->offset;
        if (v->cross_coarse < 0 && !(d->max_abs <= ANALYZE_LEVEL_COARSE))
            v->cross_coarse = d->offset;
    }
    v->within_bound = isnan(bound) ? -1 : within;
    posenc_plan_destroy(plan);
    return 0;
}

/* ---- the heat map ------------------------------------------------------------------------- */

static int heatmap(const analyze_config *c, analysis_record *r, const analyze_model *m)
{
    const posenc_impl *impl = posenc_impl_best(POSENC_SINUSOIDAL);
    const int n = c->heatmap_positions, dim = m->params.dim;
    if (!impl) {
        analysis_add_skip(r, c, "heat map", posenc_last_error());
        return 0;
    }
    posenc_params p = m->params;
    p.angle_mode = POSENC_ANGLE_EXACT;
    p.dtype = POSENC_DTYPE_F32;
    posenc_plan *plan;
    int rc = posenc_plan_create(impl, &p, &plan);
    if (rc != POSENC_OK) {
        fprintf(stderr, "analyze: heat map of %s: %s (%s)\n", m->key, posenc_strerror(rc),
                posenc_last_error());
        return -1;
    }
    if (posenc_plan_max_pos(plan) < n) {
        analysis_add_skip(r, c, "heat map", "the plan takes fewer positions than the map");
        posenc_plan_destroy(plan);
        return 0;
    }
    int64_t *pos = harness_xmalloc((size_t)n * sizeof *pos);
    float *e = harness_xmalloc((size_t)n * dim * sizeof *e);
    float *s = harness_xmalloc((size_t)n * n * sizeof *s);
    for (int t = 0; t < n; t++)
        pos[t] = t;
    rc = posenc_encode(plan, pos, (size_t)n, e);
    if (rc == POSENC_OK) {
        score_sgemm(e, e, n, n, dim, s);
        analysis_heatmap *h = analysis_add_heatmap(r);
        snprintf(h->model, sizeof h->model, "%s", m->key);
        snprintf(h->implementation, sizeof h->implementation, "%s", impl->name);
        snprintf(h->dtype, sizeof h->dtype, "%s", posenc_dtype_name(POSENC_DTYPE_F32));
        h->n = n;
        h->values = harness_xmalloc((size_t)n * n * sizeof *h->values);
        for (size_t i = 0; i < (size_t)n * n; i++)
            h->values[i] = (double)s[i] * (2.0 / dim);
    } else {
        fprintf(stderr, "analyze: heat map of %s: %s (%s)\n", m->key, posenc_strerror(rc),
                posenc_last_error());
    }
    free(pos);
    free(e);
    free(s);
    posenc_plan_destroy(plan);
    return rc == POSENC_OK ? 0 : -1;
}

/* ---- the section ---------------------------------------------------------------------------- */

static int kind_analysed(posenc_kind k)
{
    return k == POSENC_ROTARY || k == POSENC_SINUSOIDAL;
}

/* A design runs in fp32 angles only: other modes are not its to run. */
static int mode_runs(const posenc_impl *impl, posenc_angle_mode mode)
{
    return !(impl->flags & POSENC_IMPL_DESIGN) || mode == POSENC_ANGLE_FP32;
}

int analyze_run_invariance(const analyze_config *c, analysis_record *r)
{
    const double t0 = harness_now_s();
    const int W = c->window;
    if (W < 1 || c->n_offsets == 0) {
        analysis_add_skip(r, c, "invariance", "no window or no offsets");
        return 0;
    }

    /* the implementations to run, each supported; the rest said once */
    const posenc_impl **impls = harness_xmalloc((c->n_impls + 1) * sizeof *impls);
    size_t n_impls = 0;
    for (size_t i = 0; i < c->n_impls; i++) {
        if (!kind_analysed(c->impls[i]->kind))
            continue;
        if (posenc_impl_supported(c->impls[i])) {
            impls[n_impls++] = c->impls[i];
        } else {
            char what[96];
            snprintf(what, sizeof what, "invariance %s", c->impls[i]->name);
            analysis_add_skip(r, c, what, "this CPU cannot run it");
        }
    }

    size_t total = 0, done = 0;
    for (size_t mi = 0; mi < c->n_models; mi++)
        for (size_t i = 0; i < n_impls; i++)
            if (impls[i]->kind == c->models[mi].params.kind)
                for (size_t k = 0; k < c->n_modes; k++)
                    total += mode_runs(impls[i], c->modes[k]) ? c->n_dtypes : 0;
    analyze_progress(c, "invariance", 0, total, NULL);

    /* One thread: a W x W x head_dim sgemm of a few hundred rows is under half the section's
     * time, and a second OpenBLAS thread made the whole no faster on a 2-core Zen 4 (2.54 s one
     * thread, 2.72 s two, Llama-3-8B at W = 512) while it spins on the other core. */
    const int threads_before = score_gemm_threads();
    score_gemm_set_threads(1);

    int rc = 0;
    for (size_t mi = 0; mi < c->n_models && !rc; mi++) {
        const analyze_model *m = &c->models[mi];
        if (!kind_analysed(m->params.kind))
            continue;
        const int hd = m->params.dim;
        const size_t n = (size_t)W * hd, ww = (size_t)W * W;

        reference refs[3];
        memset(refs, 0, sizeof refs);
        double *normal = NULL;
        if (m->params.kind == POSENC_ROTARY) {
            normal = harness_xmalloc(2 * n * sizeof *normal);
            analyze_random_normal(c->seed, 2 * n, normal);
        }
        for (size_t d = 0; d < c->n_dtypes && !rc; d++)
            rc = m->params.kind == POSENC_ROTARY
                     ? reference_rotary(c, &m->params, normal, c->dtypes[d], &refs[d])
                     : reference_sinusoidal(c, &m->params, c->dtypes[d], &refs[d]);
        free(normal);

        work w = {
            .qw = harness_xmalloc(n * sizeof(float)),
            .kw = harness_xmalloc(n * sizeof(float)),
            .qf = harness_xmalloc(n * sizeof(float)),
            .kf = harness_xmalloc(n * sizeof(float)),
            .s = harness_xmalloc(ww * sizeof(float)),
            .pos = harness_xmalloc(3 * (size_t)W * sizeof(int64_t)),
        };
        for (size_t i = 0; i < n_impls && !rc; i++) {
            if (impls[i]->kind != m->params.kind)
                continue;
            for (size_t k = 0; k < c->n_modes && !rc; k++) {
                if (!mode_runs(impls[i], c->modes[k]))
                    continue;
                int refused = 0;
                for (size_t d = 0; d < c->n_dtypes && !rc; d++) {
                    if (!refused) {
                        rc = invariance_record(c, r, m, impls[i], c->modes[k], &refs[d], &w);
                        refused = rc == 1;
                        rc = rc < 0 ? -1 : 0;
                    }
                    char label[160];
                    snprintf(label, sizeof label, "%s %s %s %s", m->key, impls[i]->name,
                             accuracy_mode_name(c->modes[k]), posenc_dtype_name(c->dtypes[d]));
                    analyze_progress(c, "invariance", ++done, total, label);
                }
            }
        }
        free(w.qw);
        free(w.kw);
        free(w.qf);
        free(w.kf);
        free(w.s);
        free(w.pos);
        for (size_t d = 0; d < 3; d++)
            reference_free(&refs[d]);
        if (!rc && m->params.kind == POSENC_SINUSOIDAL && c->heatmap_positions > 0)
            rc = heatmap(c, r, m);
    }
    score_gemm_set_threads(threads_before);
    free(impls);
    r->seconds_invariance = harness_now_s() - t0;
    return rc;
}
