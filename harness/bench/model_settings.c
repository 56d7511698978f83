/* model_settings.c - the models file (model_settings.h) read with jansson (harness/util/json_doc.h). */
#include "model_settings.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_doc.h"

const char *const bench_variant_models[] = {
    "llama-3.1-8b", "qwen2.5-7b-yarn", "deepseek-v2-lite", "phi-3-128k",
    "llama-2-7b-dynamic-ntk", "qwen2-vl-7b", "bloom-7b1", "mpt-7b",
};
const size_t bench_n_variant_models = sizeof bench_variant_models / sizeof bench_variant_models[0];

static int fail(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (why && size)
        vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* A number member: 1 taken, 0 absent or null, -1 of another type. */
static int get_number(const json_t *obj, const char *key, double *out)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v))
        return -1;
    *out = json_number_value(v);
    return 1;
}

/* An integer member in [lo, hi]: 1, 0 absent, -1 wrong type or range. */
static int get_int(const json_t *obj, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return 0;
    double d = json_number_value(v);
    if (!json_is_number(v) || d != floor(d) || d < (double)lo || d > (double)hi)
        return -1;
    *out = (int64_t)d;
    return 1;
}

static int get_factors(const json_t *obj, const char *key, double *dst, size_t *n)
{
    const json_t *v = json_object_get(obj, key);
    *n = 0;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v) || json_array_size(v) > MODEL_MAX_FACTORS)
        return -1;
    for (size_t i = 0; i < json_array_size(v); i++) {
        if (!json_is_number(json_array_get(v, i)))
            return -1;
        dst[i] = json_number_value(json_array_get(v, i));
    }
    *n = json_array_size(v);
    return 1;
}

static int parse_scaling(const json_t *s, model_setting *m, char *why, size_t size)
{
    const char *type = json_string_value(json_object_get(s, "type"));
    posenc_scaling *sc = &m->scaling;
    if (!type)
        return fail(why, size, "/models/%s/scaling/type is missing or not a string", m->key);
    if (!strcmp(type, "linear"))
        sc->type = POSENC_SCALING_LINEAR;
    else if (!strcmp(type, "dynamic"))
        sc->type = POSENC_SCALING_DYNAMIC;
    else if (!strcmp(type, "yarn"))
        sc->type = POSENC_SCALING_YARN;
    else if (!strcmp(type, "llama3"))
        sc->type = POSENC_SCALING_LLAMA3;
    else if (!strcmp(type, "longrope") || !strcmp(type, "su"))
        sc->type = POSENC_SCALING_LONGROPE;
    else
        return fail(why, size, "/models/%s/scaling/type: unknown type '%s'", m->key, type);
    int64_t l0 = 0;
    int bad = 0;
    bad |= get_number(s, "factor", &sc->factor) < 0;
    bad |= get_int(s, "original_max_position_embeddings", 1, INT64_C(1) << 31, &l0) < 0;
    bad |= get_number(s, "low_freq_factor", &sc->low_freq_factor) < 0;
    bad |= get_number(s, "high_freq_factor", &sc->high_freq_factor) < 0;
    bad |= get_number(s, "beta_fast", &sc->beta_fast) < 0;
    bad |= get_number(s, "beta_slow", &sc->beta_slow) < 0;
    bad |= get_number(s, "mscale", &sc->mscale) < 0;
    bad |= get_number(s, "mscale_all_dim", &sc->mscale_all_dim) < 0;
    bad |= get_number(s, "attention_factor", &sc->attention_factor) < 0;
    bad |= get_factors(s, "long_factor", m->long_factor, &m->n_long) < 0;
    bad |= get_factors(s, "short_factor", m->short_factor, &m->n_short) < 0;
    if (bad)
        return fail(why, size, "/models/%s/scaling: a member of the wrong type or range", m->key);
    sc->original_max_positions = l0;
    if (sc->type == POSENC_SCALING_DYNAMIC && !l0)
        sc->original_max_positions = m->max_positions;
    if (sc->type == POSENC_SCALING_LONGROPE) {
        const size_t half = (size_t)m->rotary_dim / 2;
        if (m->n_long != half || m->n_short != half)
            return fail(why, size, "/models/%s/scaling: longrope needs %zu long and short "
                        "factors, has %zu and %zu", m->key, half, m->n_long, m->n_short);
        if (sc->factor == 0 && l0 > 0 && m->max_positions > 0)
            sc->factor = (double)m->max_positions / (double)l0;
    }
    if (sc->type != POSENC_SCALING_LONGROPE && !(sc->factor >= 1))
        return fail(why, size, "/models/%s/scaling/factor is missing or below 1", m->key);
    return 0;
}

static int parse_model(const char *key, const json_t *o, model_setting *m, char *why,
                       size_t size)
{
    memset(m, 0, sizeof *m);
    snprintf(m->key, sizeof m->key, "%s", key);
    if (!json_is_object(o))
        return fail(why, size, "/models/%s is not an object", m->key);
    const char *kind = json_string_value(json_object_get(o, "kind"));
    if (!kind)
        return fail(why, size, "/models/%s/kind is missing or not a string", m->key);
    if (!strcmp(kind, "rotary"))
        m->kind = POSENC_ROTARY;
    else if (!strcmp(kind, "alibi"))
        m->kind = POSENC_ALIBI;
    else if (!strcmp(kind, "learned"))
        m->kind = POSENC_LEARNED;
    else if (!strcmp(kind, "sinusoidal"))
        m->kind = POSENC_SINUSOIDAL;
    else
        return fail(why, size, "/models/%s/kind: unknown kind '%s'", m->key, kind);
    int64_t heads = 0, kv = 0, hd = 0, rd = 0, maxp = 0, dim = 0;
    int bad = 0;
    bad |= get_int(o, "heads", 1, 65536, &heads) < 0;
    bad |= get_int(o, "kv_heads", 1, 65536, &kv) < 0;
    bad |= get_int(o, "head_dim", 1, 65536, &hd) < 0;
    bad |= get_int(o, "dim", 1, 65536, &dim) < 0;
    bad |= get_int(o, "rotary_dim", 2, 65536, &rd) < 0;
    bad |= get_int(o, "max_positions", 1, INT64_C(1) << 31, &maxp) < 0;
    bad |= get_number(o, "base", &m->base) < 0;
    m->alibi_bias_max = 8;
    bad |= get_number(o, "alibi_bias_max", &m->alibi_bias_max) < 0;
    if (bad)
        return fail(why, size, "/models/%s: a member of the wrong type or range", m->key);
    m->heads = (int32_t)heads;
    m->kv_heads = (int32_t)(kv ? kv : heads);
    m->head_dim = (int32_t)(hd ? hd : dim);
    m->rotary_dim = (int32_t)(rd ? rd : m->head_dim);
    m->max_positions = maxp;
    const char *pairing = json_string_value(json_object_get(o, "pairing"));
    m->pairing = pairing && !strcmp(pairing, "interleaved") ? POSENC_PAIR_INTERLEAVED
                                                             : POSENC_PAIR_HALF;
    if (m->kind == POSENC_ROTARY && (!heads || !m->head_dim || !(m->base > 1)))
        return fail(why, size, "/models/%s: a rotary entry needs heads, head_dim and base",
                    m->key);
    if (m->kind == POSENC_ALIBI && !heads)
        return fail(why, size, "/models/%s: an alibi entry needs heads", m->key);
    const json_t *sc = json_object_get(o, "scaling");
    if (json_is_object(sc)) {
        if (parse_scaling(sc, m, why, size))
            return -1;
    } else if (sc && !json_is_null(sc)) {
        return fail(why, size, "/models/%s/scaling is neither an object nor null", m->key);
    }
    const json_t *sec = json_object_get(o, "mrope_section");
    if (sec && !json_is_null(sec)) {
        if (!json_is_array(sec) || json_array_size(sec) != 3)
            return fail(why, size, "/models/%s/mrope_section is not 3 integers", m->key);
        for (size_t a = 0; a < 3; a++) {
            const json_t *item = json_array_get(sec, a);
            double d = json_number_value(item);
            if (!json_is_number(item) || d != floor(d) || d < 0 || d > 65536)
                return fail(why, size, "/models/%s/mrope_section/%zu is not an integer", m->key,
                            a);
            m->mrope.section[a] = (int32_t)d;
        }
        m->mrope.layout = POSENC_MROPE_SECTIONS;
    }
    return 0;
}

/* The settings of a parsed models file; root is released. */
static int from_json(json_t *root, model_settings *out, char *why, size_t why_size)
{
    const json_t *models = json_object_get(root, "models");
    if (!json_is_object(models) || json_object_size(models) == 0) {
        json_decref(root);
        return fail(why, why_size, "/models is missing, empty or not an object");
    }
    out->models = calloc(json_object_size(models), sizeof *out->models);
    if (!out->models) {
        json_decref(root);
        return fail(why, why_size, "out of memory");
    }
    /* jansson keeps an object's members in the file's order */
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)models, key, value) {
        if (parse_model(key, value, &out->models[out->n], why, why_size)) {
            json_decref(root);
            model_settings_free(out);
            return -1;
        }
        out->n++;
    }
    json_decref(root);
    return 0;
}

int model_settings_parse(const char *text, size_t len, model_settings *out, char *why,
                         size_t why_size)
{
    memset(out, 0, sizeof *out);
    json_t *root = json_doc_parse(text, len, NULL, why, why_size);
    return root ? from_json(root, out, why, why_size) : -1;
}

int model_settings_load(const char *path, model_settings *out, char *why, size_t why_size)
{
    if (!path || !*path) {
        int rc = model_settings_parse((const char *)posenc_models_json, posenc_models_json_len,
                                      out, why, why_size);
        if (!rc)
            snprintf(out->source, sizeof out->source,
                     "harness/bench/models/rope-models.json (embedded at build time)");
        return rc;
    }
    memset(out, 0, sizeof *out);
    json_t *root = json_doc_load(path, why, why_size); /* its message names the file */
    if (!root)
        return -1;
    char inner[256];
    if (from_json(root, out, inner, sizeof inner))
        return fail(why, why_size, "%s: %s", path, inner);
    snprintf(out->source, sizeof out->source, "%s", path);
    return 0;
}

void model_settings_free(model_settings *s)
{
    free(s->models);
    memset(s, 0, sizeof *s);
}

const model_setting *model_settings_find(const model_settings *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->models[i].key, key))
            return &s->models[i];
    return NULL;
}

posenc_params model_setting_params(const model_setting *m)
{
    posenc_params p = posenc_params_default(m->kind, m->kind == POSENC_ALIBI ? m->heads
                                                                             : m->head_dim);
    if (m->kind == POSENC_ALIBI) {
        p.alibi.bias_max = m->alibi_bias_max;
        return p;
    }
    p.rotary_dim = m->rotary_dim;
    p.base = m->base;
    p.pairing = m->pairing;
    p.scaling = m->scaling;
    if (m->scaling.type == POSENC_SCALING_LONGROPE) {
        p.scaling.long_factor = m->long_factor;
        p.scaling.short_factor = m->short_factor;
    }
    p.mrope = m->mrope;
    return p;
}

const char *model_scaling_name(posenc_scaling_type t)
{
    switch (t) {
    case POSENC_SCALING_LINEAR: return "linear";
    case POSENC_SCALING_NTK: return "ntk";
    case POSENC_SCALING_DYNAMIC: return "dynamic";
    case POSENC_SCALING_YARN: return "yarn";
    case POSENC_SCALING_LLAMA3: return "llama3";
    case POSENC_SCALING_LONGROPE: return "longrope";
    default: return "none";
    }
}
