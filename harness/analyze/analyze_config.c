/* analyze_config.c - the level defaults of `posenc analyze` and the caller's choices resolved
 * into an analyze_config; analyze_run runs its sections. */
#define _POSIX_C_SOURCE 200809L /* regcomp */

#include "analyze_config.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <mpfr.h>
#undef mpfr_version /* MPFR's macro for its version string: the record's field of that name */

#include "analyze_models.h"
#include "harness_util.h"

#define DEFAULT_SEED UINT64_C(20260101)
#define MAX_OFFSETS 96

/* The quick level's models: one of each encoding the analysis covers, the Llama-3-8B shape that
 * the closing figures quote first. */
static const char *const quick_models[] = {"llama-3-8b", "transformer-base", "mpt-7b"};

static int fail(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

const char *analyze_level_name(analyze_level level)
{
    return level == ANALYZE_QUICK ? "quick" : "default";
}

/* Is `word` one of the comma-separated words of list? */
static int in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, word, n))
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* Every word of list must be one of the names: else why names the first that is not. */
static int check_words(const char *list, const char *const *names, size_t n_names,
                       const char *what, char *why, size_t why_size)
{
    char word[64];
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), p);
        size_t k = 0;
        while (k < n_names && strcmp(word, names[k]))
            k++;
        if (k == n_names)
            return fail(why, why_size, "unknown %s '%s'", what, word);
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

int analyze_parse_sections(const char *list, unsigned *bits, char *why, size_t why_size)
{
    static const char *const names[] = {"invariance", "decay", "resolution"};
    static const unsigned values[] = {ANALYZE_INVARIANCE, ANALYZE_DECAY, ANALYZE_RESOLUTION};
    if (check_words(list, names, 3, "section", why, why_size))
        return -1;
    *bits = 0;
    for (int k = 0; k < 3; k++)
        if (in_list(list, names[k]))
            *bits |= values[k];
    if (!*bits)
        return fail(why, why_size, "no section named");
    return 0;
}

static const char *variant_name(const posenc_params *p)
{
    if (p->kind == POSENC_SINUSOIDAL)
        return "sinusoidal";
    if (p->kind == POSENC_ALIBI)
        return "alibi";
    if (p->mrope.layout == POSENC_MROPE_SECTIONS)
        return "mrope-sections";
    if (p->mrope.layout == POSENC_MROPE_INTERLEAVED)
        return "mrope-interleaved";
    return model_scaling_name(p->scaling.type);
}

/* A models-file entry as the analysis takes it. Sequence-length-dependent variants are taken at
 * the length they are for: dynamic NTK at factor x L0 (the length its factor was chosen for),
 * LongRoPE at its full context (the long factors). */
static void model_from_setting(const model_setting *m, analyze_model *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->key, sizeof a->key, "%s", m->key);
    a->params = model_setting_params(m);
    if (m->kind == POSENC_SINUSOIDAL)
        a->params.pairing = POSENC_PAIR_DEFAULT; /* the paper's interleaved sin, cos */
    a->heads = m->heads;
    a->head_dim = m->head_dim;
    a->context = m->max_positions;
    if (!a->context) /* sinusoidal entries name none (analyze_models.h says which is taken) */
        a->context = ANALYZE_SINUSOIDAL_CONTEXT;
    a->context_original = a->context;
    posenc_scaling *sc = &a->params.scaling;
    if (sc->type != POSENC_SCALING_NONE && sc->original_max_positions)
        a->context_original = sc->original_max_positions;
    if (sc->type == POSENC_SCALING_DYNAMIC) {
        sc->seq_len = (int64_t)llround(sc->factor * (double)a->context_original);
        a->context = sc->seq_len;
    } else if (sc->type == POSENC_SCALING_LONGROPE) {
        sc->seq_len = a->context;
    }
    snprintf(a->variant, sizeof a->variant, "%s", variant_name(&a->params));
}

static void add_model(analyze_config *c, const analyze_model *m)
{
    c->models = harness_xrealloc(c->models, (c->n_models + 1) * sizeof *c->models);
    c->models[c->n_models++] = *m;
}

static int pick_models(const analyze_request *req, const model_settings *s, analyze_config *c,
                       char *why, size_t why_size)
{
    if (req->models) {
        const char **names = harness_xmalloc(s->n * sizeof *names);
        for (size_t i = 0; i < s->n; i++)
            names[i] = s->models[i].key;
        int bad = check_words(req->models, names, s->n, "model", why, why_size);
        free(names);
        if (bad)
            return -1;
    }
    static const char *const kinds[] = {"rotary", "sinusoidal", "alibi", "learned"};
    static const char *const variants[] = {"none", "linear", "ntk", "dynamic", "yarn",
                                           "llama3", "longrope", "mrope-sections",
                                           "mrope-interleaved", "sinusoidal", "alibi"};
    if ((req->encodings && check_words(req->encodings, kinds, 4, "encoding", why, why_size)) ||
        (req->variants &&
         check_words(req->variants, variants, sizeof variants / sizeof *variants, "variant",
                     why, why_size)))
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        const model_setting *m = &s->models[i];
        if (req->encodings && !in_list(req->encodings, posenc_kind_name(m->kind)))
            continue;
        int want;
        if (req->models) {
            want = in_list(req->models, m->key);
        } else if (req->level == ANALYZE_QUICK) {
            want = 0;
            for (size_t k = 0; k < sizeof quick_models / sizeof *quick_models; k++)
                want |= !strcmp(m->key, quick_models[k]);
        } else {
            want = 1;
        }
        if (!want)
            continue;
        if (m->kind == POSENC_LEARNED && req->variants)
            continue; /* a variant filter names none of a learned table's */
        if (m->kind == POSENC_LEARNED) {
            size_t used = strlen(c->learned_left_out);
            snprintf(c->learned_left_out + used, sizeof c->learned_left_out - used, "%s%s",
                     used ? "," : "", m->key);
            continue;
        }
        analyze_model a;
        model_from_setting(m, &a);
        if (req->variants && !in_list(req->variants, a.variant))
            continue;
        add_model(c, &a); /* the decay and resolution sections add the static-NTK form of a
                             dynamic-NTK model (analyze_models_expanded) */
    }
    if (!c->n_models)
        return fail(why, why_size, "no rotary, sinusoidal or alibi model selected (learned "
                                   "tables have no position structure to analyse)");
    return 0;
}

/* Without a regex: for each encoding, the first supported implementation of each family in the
 * registry's best-first order (the others of a family give the same bits: test_bitwise). */
static int pick_impls(const analyze_request *req, analyze_config *c, char *why, size_t why_size)
{
    regex_t re;
    if (req->impl_regex && regcomp(&re, req->impl_regex, REG_EXTENDED | REG_NOSUB) != 0)
        return fail(why, why_size, "--impl: '%s' is not a regular expression", req->impl_regex);
    const size_t n = posenc_impl_count();
    c->impls = harness_xmalloc((n ? n : 1) * sizeof *c->impls);
    for (size_t i = 0; i < n; i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        if (impl->kind != POSENC_ROTARY && impl->kind != POSENC_SINUSOIDAL &&
            impl->kind != POSENC_ALIBI)
            continue;
        if (!posenc_impl_supported(impl))
            continue;
        if (req->impl_regex) {
            if (regexec(&re, impl->name, 0, NULL, 0) != 0)
                continue;
        } else {
            int seen = 0;
            for (size_t k = 0; k < c->n_impls; k++)
                seen |= c->impls[k]->kind == impl->kind &&
                        !strcmp(analyze_family(c->impls[k]), analyze_family(impl));
            if (seen)
                continue;
            /* the quick level: what dispatch picks, and nothing else */
            if (req->level == ANALYZE_QUICK && impl != posenc_impl_best(impl->kind))
                continue;
        }
        c->impls[c->n_impls++] = impl;
    }
    if (req->impl_regex)
        regfree(&re);
    if (!c->n_impls)
        return fail(why, why_size, "no supported implementation matches '%s'",
                    req->impl_regex ? req->impl_regex : "");
    return 0;
}

static int pick_modes_types(const analyze_request *req, analyze_config *c, char *why,
                            size_t why_size)
{
    static const char *const mode_names[] = {"exact", "fp32", "bf16", "fp16"};
    static const posenc_angle_mode mode_values[] = {POSENC_ANGLE_EXACT, POSENC_ANGLE_FP32,
                                                    POSENC_ANGLE_BF16, POSENC_ANGLE_FP16};
    static const char *const type_names[] = {"f32", "bf16", "f16"};
    static const posenc_dtype type_values[] = {POSENC_DTYPE_F32, POSENC_DTYPE_BF16,
                                               POSENC_DTYPE_F16};
    const char *modes = req->modes ? req->modes
                        : req->level == ANALYZE_QUICK ? "exact,fp32" : "exact,fp32,bf16,fp16";
    const char *types = req->dtypes ? req->dtypes
                        : req->level == ANALYZE_QUICK ? "f32,bf16" : "f32,bf16,f16";
    if (check_words(modes, mode_names, 4, "angle mode", why, why_size) ||
        check_words(types, type_names, 3, "element type", why, why_size))
        return -1;
    for (int k = 0; k < 4; k++)
        if (in_list(modes, mode_names[k]))
            c->modes[c->n_modes++] = mode_values[k];
    for (int k = 0; k < 3; k++)
        if (in_list(types, type_names[k]))
            c->dtypes[c->n_dtypes++] = type_values[k];
    if (!c->n_modes || !c->n_dtypes)
        return fail(why, why_size, "no angle mode or element type selected");
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorted, without repeats; returns the new count. */
static size_t sort_unique(int64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_i64);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || v[i] != v[m - 1])
            v[m++] = v[i];
    return m;
}

/* Offsets of the window's first position: 0, every decade, and (default level) the window
 * straddling each power of two from 2^k >= window on, where a fixed-point phase or a float
 * position changes its exponent; the last the window allows (2^31 - window). */
static void pick_offsets(analyze_config *c)
{
    const int64_t top = (INT64_C(1) << 31) - c->window;
    c->offsets = harness_xmalloc(MAX_OFFSETS * sizeof *c->offsets);
    size_t n = 0;
    c->offsets[n++] = 0;
    for (int64_t d = 10; d <= top; d *= 10)
        c->offsets[n++] = d;
    if (c->level != ANALYZE_QUICK)
        for (int k = 1; k <= 31; k++) {
            int64_t edge = INT64_C(1) << k;
            if (edge >= c->window && edge - c->window / 2 <= top)
                c->offsets[n++] = edge - c->window / 2;
        }
    c->offsets[n++] = top;
    c->n_offsets = sort_unique(c->offsets, n);
}

/* 0, then `per_decade` log-spaced integer distances per decade from 1 to 10^6. */
static void pick_distances(analyze_config *c, int per_decade)
{
    const int n_max = 6 * per_decade + 2;
    c->distances = harness_xmalloc((size_t)n_max * sizeof *c->distances);
    size_t n = 0;
    c->distances[n++] = 0;
    for (int k = 0; k <= 6 * per_decade; k++)
        c->distances[n++] = (int64_t)llround(pow(10.0, (double)k / per_decade));
    c->n_distances = sort_unique(c->distances, n);
}

int analyze_config_build(const analyze_request *req, const model_settings *s,
                         analyze_config *c, char *why, size_t why_size)
{
    memset(c, 0, sizeof *c);
    const int quick = req->level == ANALYZE_QUICK;
    c->level = req->level;
    c->progress = req->progress;
    c->seed = req->seed ? req->seed : DEFAULT_SEED;
    c->window = req->window ? req->window : quick ? 128 : 512;
    c->vectors = req->vectors ? req->vectors : quick ? 64 : 256;
    c->heatmap_positions = quick ? 64 : 128;
    c->collision_limit = req->collision_limit ? req->collision_limit
                         : quick ? 8192 : INT64_C(1) << 20;
    if (c->window < 2 || c->window > 4096)
        return fail(why, why_size, "--window %d: from 2 to 4096", c->window);
    if (c->vectors < 1 || c->vectors > 65536)
        return fail(why, why_size, "--vectors %d: from 1 to 65536", c->vectors);
    if (c->collision_limit < 1 || c->collision_limit > (INT64_C(1) << 31))
        return fail(why, why_size, "--collision-limit: from 1 to 2^31");
    if (pick_models(req, s, c, why, why_size) || pick_impls(req, c, why, why_size) ||
        pick_modes_types(req, c, why, why_size)) {
        analyze_config_free(c);
        return -1;
    }
    pick_offsets(c);
    pick_distances(c, quick ? 8 : 16);
    return 0;
}

void analyze_config_free(analyze_config *c)
{
    free(c->models);
    free((void *)c->impls);
    free(c->offsets);
    free(c->distances);
    memset(c, 0, sizeof *c);
}

int analyze_run(const analyze_config *c, unsigned sections, analysis_record *r)
{
    if (!sections)
        sections = ANALYZE_ALL;
    r->seed = c->seed;
    r->window = c->window;
    snprintf(r->level, sizeof r->level, "%s", analyze_level_name(c->level));
    if (c->learned_left_out[0])
        analysis_add_skip(r, c, c->learned_left_out,
                          "learned: a trained table's rows follow no rule of position to measure");
    const double t0 = harness_now_s();
    int rc = 0; /* each section records its own seconds_* */
    if (sections & ANALYZE_INVARIANCE)
        rc |= analyze_run_invariance(c, r);
    if (sections & ANALYZE_DECAY)
        rc |= analyze_run_decay(c, r);
    if (sections & ANALYZE_RESOLUTION)
        rc |= analyze_run_resolution(c, r);
    r->seconds_total = harness_now_s() - t0;
    return rc ? -1 : 0;
}

void analyze_record_versions(analysis_record *r)
{
    snprintf(r->posenc_version, sizeof r->posenc_version, "%d.%d.%d", POSENC_VERSION_MAJOR,
             POSENC_VERSION_MINOR, POSENC_VERSION_PATCH);
    const char *cfg = openblas_get_config(); /* "OpenBLAS 0.3.21 DYNAMIC_ARCH ..." */
    snprintf(r->openblas_version, sizeof r->openblas_version, "%s",
             cfg ? cfg : "OpenBLAS (unknown)");
    snprintf(r->mpfr_version, sizeof r->mpfr_version, "%s", mpfr_get_version());
}
