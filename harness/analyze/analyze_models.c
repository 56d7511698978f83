/* analyze_models.c - the model settings as the decay and resolution sections read them:
 * frequencies through the MPFR oracle, the derived static-NTK settings, legend bases. */
#include "analyze_models.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness_util.h"
#include "oracle.h"

int32_t analyze_model_freq_dims(const analyze_model *m)
{
    if (m->params.kind == POSENC_ROTARY)
        return m->params.rotary_dim ? m->params.rotary_dim : m->params.dim;
    if (m->params.kind == POSENC_SINUSOIDAL)
        return m->params.dim;
    return 0;
}

int64_t analyze_model_context(const analyze_model *m)
{
    if (m->context <= 0 && m->params.kind == POSENC_SINUSOIDAL)
        return ANALYZE_SINUSOIDAL_CONTEXT;
    return m->context;
}

int analyze_model_freqs(const analyze_model *m, double *w, double *unscaled, double *attention)
{
    const int32_t n = analyze_model_freq_dims(m);
    if (n < 2)
        return -1;
    const double base = m->params.base == 0.0 ? 10000.0 : m->params.base;
    for (int32_t i = 0; i < n / 2; i++) {
        oracle_freq f;
        if (oracle_freq_init_params(&f, &m->params, i) != 0)
            return -1;
        w[i] = f.w_d;
        if (attention)
            *attention = f.attention;
        oracle_freq_clear(&f);
        if (unscaled) {
            oracle_freq_init(&f, base, n, i, 1.0);
            unscaled[i] = f.w_d;
            oracle_freq_clear(&f);
        }
    }
    return 0;
}

/* key without a trailing `suffix`, into out */
static int strip_suffix(const char *key, const char *suffix, char *out, size_t size)
{
    size_t k = strlen(key), s = strlen(suffix);
    if (k <= s || strcmp(key + k - s, suffix))
        return 0;
    snprintf(out, size, "%.*s", (int)(k - s), key);
    return 1;
}

int analyze_static_ntk_from(const analyze_model *dyn, analyze_model *out)
{
    if (dyn->params.kind != POSENC_ROTARY || dyn->params.scaling.type != POSENC_SCALING_DYNAMIC)
        return -1;
    *out = *dyn;
    char stem[48];
    if (!strip_suffix(dyn->key, "-dynamic-ntk", stem, sizeof stem) &&
        !strip_suffix(dyn->key, "-dynamic", stem, sizeof stem))
        snprintf(stem, sizeof stem, "%s", dyn->key);
    char factor[24];
    snprintf(factor, sizeof factor, "%g", dyn->params.scaling.factor);
    /* a long key is cut, never its "+ntk" tail: the key must say it is derived */
    const size_t tail = strlen("+ntk") + strlen(factor);
    snprintf(out->key, sizeof out->key, "%.*s+ntk%s", (int)(sizeof out->key - 1 - tail), stem,
             factor);
    snprintf(out->variant, sizeof out->variant, "ntk");
    out->params.scaling.type = POSENC_SCALING_NTK;
    out->params.scaling.seq_len = 0;
    return 0;
}

int analyze_model_is_derived(const analyze_model *m)
{
    return strchr(m->key, '+') != NULL;
}

static int has_key(const analyze_model *models, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(models[i].key, key))
            return 1;
    return 0;
}

analyze_model *analyze_models_expanded(const analyze_config *c, size_t *n)
{
    analyze_model *out = harness_xmalloc((2 * c->n_models + 1) * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < c->n_models; i++) {
        out[k++] = c->models[i];
        analyze_model ntk;
        if (analyze_static_ntk_from(&c->models[i], &ntk) == 0 &&
            !has_key(c->models, c->n_models, ntk.key))
            out[k++] = ntk;
    }
    *n = k;
    return out;
}

void analyze_format_base(double base, char *out, size_t size)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.3g", base);
    /* "5e+05" -> "5e5" */
    char *e = strchr(buf, 'e');
    if (e) {
        char *d = e + 1;
        const int neg = *d == '-';
        if (*d == '+' || *d == '-')
            d++;
        while (*d == '0' && d[1])
            d++;
        snprintf(out, size, "%.*se%s%s", (int)(e - buf), buf, neg ? "-" : "", d);
    } else {
        snprintf(out, size, "%s", buf);
    }
}
