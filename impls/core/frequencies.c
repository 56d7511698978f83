/* frequencies.c - every variant's frequencies derived once (frequencies.h): the real-number
 * definition for exact mode, HF's float32 recipe for fp32 mode, and the attention factor.
 * Definitions: posenc.h (posenc_scaling_type, POSENC_ANGLE_FP32). Scalars that HF computes in
 * Python (yarn's correction range, ntk's base, attention factors) are the doubles Python gets,
 * every operation correctly rounded (dd_math.h stands in for a correctly rounded libm). */
#include "core/frequencies.h"

#include <float.h>
#include <math.h> /* ldexp, sqrt, INFINITY: exact operations and constants */
#include <stddef.h>

#include "core/dd_math.h"

static int32_t rotated_dims(const posenc_params *p)
{
    return p->kind == POSENC_ROTARY ? p->rotary_dim : p->dim;
}

int32_t posenc_freq_count(const posenc_params *p) { return rotated_dims(p) / 2; }

static dd dd_neg(dd a) { return (dd){-a.hi, -a.lo}; }
static int dd_lt(dd a, dd b) { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo); }

/* ---- the doubles HF computes in Python ------------------------------------------------------ */

/* ntk and dynamic: base * x ** (n / (n - 2)) */
static double hf_ntk_base(double base, double x, int32_t n)
{
    return base * dd_cr_pow(x, (double)n / (double)(n - 2));
}

/* dynamic: (factor * L / L0) - (factor - 1), L = max(seq_len, L0) */
static double hf_dynamic_x(const posenc_scaling *s)
{
    int64_t l = s->seq_len > s->original_max_positions ? s->seq_len : s->original_max_positions;
    return s->factor * (double)l / (double)s->original_max_positions - (s->factor - 1.0);
}

/* yarn's find_correction_dim: (n * log(L0 / (rotations * 2 * pi))) / (2 * log(base)) */
static double hf_yarn_correction_dim(double rotations, int32_t n, double base, int64_t l0)
{
    double t = (double)l0 / (rotations * 2.0 * DD_PI.hi);
    return ((double)n * dd_cr_log(t)) / (2.0 * dd_cr_log(base));
}

/* yarn's find_correction_range and linear_ramp_factor's guard: the ramp runs from low to high */
static void hf_yarn_range(const posenc_params *p, double *low, double *high)
{
    const posenc_scaling *s = &p->scaling;
    int32_t n = rotated_dims(p);
    double lo = hf_yarn_correction_dim(s->beta_fast, n, p->base, s->original_max_positions);
    double hi = hf_yarn_correction_dim(s->beta_slow, n, p->base, s->original_max_positions);
    if (!s->no_truncate) {
        lo = dd_floor_exact(lo);
        hi = -dd_floor_exact(-hi);
    }
    if (lo < 0.0)
        lo = 0.0;
    if (hi > (double)(n - 1))
        hi = (double)(n - 1);
    if (lo == hi)
        hi += 0.001;
    *low = lo;
    *high = hi;
}

/* yarn's get_mscale: 0.1 * m * log(s) + 1.0, 1 for s <= 1 */
static double hf_mscale(double s, double m) { return s <= 1.0 ? 1.0 : 0.1 * m * dd_cr_log(s) + 1.0; }

double posenc_attention_factor(const posenc_params *p)
{
    const posenc_scaling *s = &p->scaling;
    if (p->kind != POSENC_ROTARY)
        return 1.0;
    if (s->type == POSENC_SCALING_YARN) {
        if (s->attention_factor != 0.0)
            return s->attention_factor;
        if (s->mscale != 0.0 && s->mscale_all_dim != 0.0)
            return hf_mscale(s->factor, s->mscale) / hf_mscale(s->factor, s->mscale_all_dim);
        return hf_mscale(s->factor, 1.0);
    }
    if (s->type == POSENC_SCALING_LONGROPE) {
        if (s->attention_factor != 0.0)
            return s->attention_factor;
        if (s->factor <= 1.0)
            return 1.0;
        return sqrt(1.0 + dd_cr_log(s->factor) / dd_cr_log((double)s->original_max_positions));
    }
    return 1.0;
}

static const double *longrope_factors(const posenc_scaling *s)
{
    return s->seq_len > s->original_max_positions ? s->long_factor : s->short_factor;
}

/* ---- exact mode: the definitions in real arithmetic ----------------------------------------- */

/* w[i - i0] for the frequencies i0 <= i < i1 */
static void exact_frequencies(const posenc_params *p, int32_t i0, int32_t i1, dd *w)
{
    const posenc_scaling *s = &p->scaling;
    int32_t n = rotated_dims(p);
    dd log_base = dd_log(p->base);
    dd ntk_exponent = dd_div_d((dd){(double)n, 0.0}, (double)(n - 2));
    if (s->type == POSENC_SCALING_NTK)
        log_base = dd_add(log_base, dd_mul(ntk_exponent, dd_log(s->factor)));
    if (s->type == POSENC_SCALING_DYNAMIC && s->seq_len > s->original_max_positions) {
        /* factor L / L0 - factor + 1, with factor L exact */
        dd x = dd_div_d(dd_two_prod(s->factor, (double)s->seq_len),
                        (double)s->original_max_positions);
        x = dd_add(dd_add(x, (dd){-s->factor, 0.0}), (dd){1.0, 0.0});
        log_base = dd_add(log_base, dd_mul(ntk_exponent, dd_log_dd(x)));
    }
    double low = 0.0, high = 0.0;
    if (s->type == POSENC_SCALING_YARN)
        hf_yarn_range(p, &low, &high);
    const double *f = s->type == POSENC_SCALING_LONGROPE ? longrope_factors(s) : NULL;
    dd l0 = {(double)s->original_max_positions, 0.0};
    /* w0_i = base^(-2i/n): an exp every 8 frequencies, and between them w0_(i-1) times
       w0_1 (each product adds about 2^-105, relative: 7 of them stay near 2^-102). exp is what
       a plan costs to make, and dynamic NTK makes one per sequence length. */
    dd step = dd_exp(dd_div_d(dd_mul_d(log_base, -2.0), (double)n)), w0 = {1.0, 0.0};
    for (int32_t i = i0; i < i1; i++) {
        if (i == i0 || i % 8 == 0)
            w0 = dd_exp(dd_div_d(dd_mul_d(log_base, -2.0 * (double)i), (double)n));
        else
            w0 = dd_mul(w0, step);
        dd v = w0;
        switch (s->type) {
        case POSENC_SCALING_LINEAR:
            v = dd_div_d(w0, s->factor);
            break;
        case POSENC_SCALING_YARN: {
            /* w0 ((1 - r) + r / factor), r the ramp clamped to [0, 1] */
            dd r = dd_div(dd_two_sum((double)i, -low), dd_two_sum(high, -low));
            if (r.hi < 0.0)
                r = (dd){0.0, 0.0};
            else if (dd_lt((dd){1.0, 0.0}, r))
                r = (dd){1.0, 0.0};
            dd m = dd_add(dd_add((dd){1.0, 0.0}, dd_neg(r)), dd_div_d(r, s->factor));
            v = dd_mul(w0, m);
            break;
        }
        case POSENC_SCALING_LLAMA3: {
            dd wavelen = dd_div(dd_mul_d(DD_PI, 2.0), w0);
            dd high_wl = dd_div_d(l0, s->high_freq_factor);
            dd low_wl = dd_div_d(l0, s->low_freq_factor);
            if (dd_lt(wavelen, high_wl)) {
                v = w0;
            } else if (dd_lt(low_wl, wavelen)) {
                v = dd_div_d(w0, s->factor);
            } else { /* the smooth band: continuous with both neighbours at its edges */
                dd t = dd_div(dd_add(dd_div(l0, wavelen), (dd){-s->low_freq_factor, 0.0}),
                              dd_two_sum(s->high_freq_factor, -s->low_freq_factor));
                dd one_minus_t = dd_add((dd){1.0, 0.0}, dd_neg(t));
                v = dd_add(dd_div_d(dd_mul(one_minus_t, w0), s->factor), dd_mul(t, w0));
            }
            break;
        }
        case POSENC_SCALING_LONGROPE:
            v = dd_div_d(w0, f[i]);
            break;
        default: /* NONE; NTK and DYNAMIC changed the base above */
            break;
        }
        w[i - i0] = v;
    }
}

void posenc_exact_frequencies(const posenc_params *p, dd *w)
{
    exact_frequencies(p, 0, posenc_freq_count(p), w);
}

void posenc_turn_steps(const dd *w, int32_t count, uint64_t *steps, double *residuals)
{
    for (int32_t i = 0; i < count; i++) {
        dd f = dd_mul(w[i], DD_INV_2PI);                   /* turns per position */
        f = dd_add(f, (dd){-dd_floor_exact(f.hi), 0.0});   /* only the fraction of a turn counts */
        if (f.hi < 0.0)
            f = dd_add(f, (dd){1.0, 0.0});
        double a = ldexp(f.hi, 64), b = ldexp(f.lo, 64);
        double ai = dd_floor_exact(a);                     /* integer part of the high word */
        double rest = dd_floor_exact((a - ai) + b + 0.5);  /* rounds the small remainder */
        uint64_t whole = ai >= 0x1p63 ? (uint64_t)(int64_t)(ai - 0x1p63) + (UINT64_C(1) << 63)
                                      : (uint64_t)(int64_t)ai;
        steps[i] = whole + (uint64_t)(int64_t)rest;        /* wraps mod 2^64: mod one turn */
        if (residuals) {
            /* (a - ai) + b - rest: the pair holds the sum exactly and its high part lies
               within about 1/2 of the integer rest, so the difference loses at most 2^-54 */
            dd frac = dd_two_sum(a - ai, b);
            residuals[i] = (frac.hi - rest) + frac.lo;
        }
    }
}

/* ---- fp32 mode: HF's float32 recipe --------------------------------------------------------- */

/* The correctly rounded powf(b, e) for the recipe's operands: b = (float)base in [1, inf] and
 * e = (float)(2i) / (float)n in [0, 1). pow's own special cases come first, as C's powf (and
 * MPFR) define them: b^0 = 1 for every b, inf^e = inf for e > 0. A base above FLT_MAX rounds to
 * inf in float, and the recipe's frequencies are then 1 (i = 0) and 1/inf = 0 (i > 0). Otherwise
 * b^e = e^(e ln b) to about 2^-100, rounded once: b^e <= b <= FLT_MAX, so it never overflows. */
static float recipe_powf(float b, dd log_b, float e)
{
    if (e == 0.0f)
        return 1.0f;
    if (b > FLT_MAX)
        return INFINITY;
    return dd_to_float(dd_exp(dd_mul_d(log_b, (double)e)));
}

/* inv[i] for the first count frequencies */
static void fp32_inv_freqs(const posenc_params *p, int32_t count, float *inv)
{
    const posenc_scaling *s = &p->scaling;
    int32_t n = rotated_dims(p);
    double base = p->base;
    if (s->type == POSENC_SCALING_NTK)
        base = hf_ntk_base(base, s->factor, n);
    else if (s->type == POSENC_SCALING_DYNAMIC)
        base = hf_ntk_base(base, hf_dynamic_x(s), n);
    float b = (float)base; /* the recipe's base: rounds to inf above FLT_MAX (+ half an ulp) */
    dd log_b = b > FLT_MAX ? (dd){INFINITY, 0.0} : dd_log((double)b);
    double low = 0.0, high = 0.0;
    if (s->type == POSENC_SCALING_YARN)
        hf_yarn_range(p, &low, &high);
    const double *f = s->type == POSENC_SCALING_LONGROPE ? longrope_factors(s) : NULL;
    float factor = (float)s->factor;
    for (int32_t i = 0; i < count; i++) {
        float e = (float)(2 * i) / (float)n;
        float pw = recipe_powf(b, log_b, e);
        float v = 1.0f / pw;
        switch (s->type) {
        case POSENC_SCALING_LINEAR:
            if (s->factor != 1.0)
                v = v / factor;
            break;
        case POSENC_SCALING_YARN: {
            float in = 1.0f / (factor * pw);
            float r = ((float)i - (float)low) / (float)(high - low);
            r = r < 0.0f ? 0.0f : r > 1.0f ? 1.0f : r;
            float ef = 1.0f - r; /* HF's inv_freq_extrapolation_factor */
            v = in * (1.0f - ef) + (1.0f / pw) * ef;
            break;
        }
        case POSENC_SCALING_LLAMA3: {
            double l0 = (double)s->original_max_positions;
            float low_wl = (float)(l0 / s->low_freq_factor);
            float high_wl = (float)(l0 / s->high_freq_factor);
            float wl = (1.0f / v) * (float)(2.0 * DD_PI.hi); /* torch: reciprocal, multiply */
            float v_ll = wl > low_wl ? v / factor : v;
            float t = ((1.0f / wl) * (float)l0 - (float)s->low_freq_factor) /
                      (float)(s->high_freq_factor - s->low_freq_factor);
            float smoothed = ((1.0f - t) * v_ll) / factor + t * v_ll;
            v = !(wl < high_wl) && !(wl > low_wl) ? smoothed : v_ll;
            break;
        }
        case POSENC_SCALING_LONGROPE:
            v = 1.0f / ((float)f[i] * pw);
            break;
        default:
            break;
        }
        inv[i] = v;
    }
}

void posenc_fp32_inv_freqs(const posenc_params *p, float *inv)
{
    fp32_inv_freqs(p, posenc_freq_count(p), inv);
}

/* ---- the linear special case, without a plan ------------------------------------------------ */

static posenc_params linear_params(double base, int32_t n, double scale)
{
    posenc_params p = {0};
    p.kind = POSENC_ROTARY;
    p.dim = p.rotary_dim = n;
    p.base = base;
    p.scaling.type = scale != 1.0 ? POSENC_SCALING_LINEAR : POSENC_SCALING_NONE;
    p.scaling.factor = scale;
    return p;
}

void posenc_turn_steps_linear(double base, int32_t n, int32_t count, double scale,
                              uint64_t *steps, double *residuals)
{
    posenc_params p = linear_params(base, n, scale);
    dd w[64];
    for (int32_t i0 = 0; i0 < count; i0 += 64) {
        int32_t i1 = count - i0 < 64 ? count : i0 + 64;
        exact_frequencies(&p, i0, i1, w);
        posenc_turn_steps(w, i1 - i0, steps + i0, residuals ? residuals + i0 : NULL);
    }
}

void posenc_fp32_inv_freqs_linear(double base, int32_t n, int32_t count, double scale,
                                  float *inv)
{
    posenc_params p = linear_params(base, n, scale);
    fp32_inv_freqs(&p, count, inv);
}
