/* test_model_settings.c - the models file the bench's variant cases are made from
 * (harness/bench/models/rope-models.json): the copy embedded at build time is the file, it
 * parses with the harness's JSON reader, every model the bench names is in it with the settings
 * the published configs give, and a damaged file is refused with the member named.
 *
 *   test_model_settings MODELS_FILE */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model_settings.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = buf ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

static const model_setting *need(const model_settings *s, const char *key)
{
    const model_setting *m = model_settings_find(s, key);
    CHECK(m != NULL, "no entry '%s'", key);
    return m;
}

static void check_values(const model_settings *s)
{
    /* every model the bench names */
    for (size_t i = 0; i < bench_n_variant_models; i++)
        need(s, bench_variant_models[i]);
    CHECK(bench_n_variant_models == 8, "%zu variant models", bench_n_variant_models);

    const model_setting *m = need(s, "llama-3.1-8b");
    if (m) {
        CHECK(m->kind == POSENC_ROTARY && m->heads == 32 && m->kv_heads == 8 &&
                  m->head_dim == 128 && m->rotary_dim == 128 && m->base == 500000.0,
              "llama-3.1-8b shape");
        CHECK(m->scaling.type == POSENC_SCALING_LLAMA3 && m->scaling.factor == 8.0 &&
                  m->scaling.low_freq_factor == 1.0 && m->scaling.high_freq_factor == 4.0 &&
                  m->scaling.original_max_positions == 8192,
              "llama-3.1-8b scaling");
    }
    m = need(s, "qwen2.5-7b-yarn");
    if (m)
        CHECK(m->scaling.type == POSENC_SCALING_YARN && m->scaling.factor == 4.0 &&
                  m->scaling.original_max_positions == 32768 && m->base == 1e6 &&
                  m->heads == 28 && m->kv_heads == 4,
              "qwen2.5-7b-yarn");
    m = need(s, "deepseek-v2-lite");
    if (m)
        CHECK(m->scaling.type == POSENC_SCALING_YARN && m->scaling.factor == 40 &&
                  m->scaling.original_max_positions == 4096 && m->scaling.mscale == 0.707 &&
                  m->scaling.mscale_all_dim == 0.707 && m->scaling.beta_fast == 32 &&
                  m->scaling.beta_slow == 1 && m->head_dim == 64 &&
                  m->pairing == POSENC_PAIR_HALF,
              "deepseek-v2-lite (half-split pairs, as HF's port)");
    m = need(s, "phi-3-128k");
    if (m) {
        CHECK(m->scaling.type == POSENC_SCALING_LONGROPE && m->head_dim == 96 &&
                  m->n_long == 48 && m->n_short == 48 &&
                  m->scaling.original_max_positions == 4096,
              "phi-3-128k longrope");
        CHECK(m->scaling.factor == 32.0, "phi-3-128k factor %g, want 131072 / 4096 = 32",
              m->scaling.factor);
        CHECK(m->long_factor[0] == 1.0299999713897705 && m->short_factor[47] == 3.049999999999997,
              "phi-3-128k factors read as written");
        posenc_params p = model_setting_params(m);
        CHECK(p.scaling.long_factor == m->long_factor && p.scaling.short_factor ==
                  m->short_factor && p.rotary_dim == 96,
              "model_setting_params: the factor arrays");
    }
    m = need(s, "llama-2-7b-dynamic-ntk");
    if (m)
        CHECK(m->scaling.type == POSENC_SCALING_DYNAMIC && m->scaling.factor == 2.0 &&
                  m->scaling.original_max_positions == 4096,
              "dynamic: L0 is max_positions when the entry has no original_max_position_"
              "embeddings");
    m = need(s, "qwen2-vl-7b");
    if (m)
        CHECK(m->mrope.layout == POSENC_MROPE_SECTIONS && m->mrope.section[0] == 16 &&
                  m->mrope.section[1] == 24 && m->mrope.section[2] == 24 &&
                  m->scaling.type == POSENC_SCALING_NONE,
              "qwen2-vl-7b M-RoPE sections");
    m = need(s, "mpt-7b");
    if (m) {
        CHECK(m->kind == POSENC_ALIBI && m->heads == 32 && m->alibi_bias_max == 8,
              "mpt-7b alibi");
        posenc_params p = model_setting_params(m);
        CHECK(p.kind == POSENC_ALIBI && p.dim == 32 && p.alibi.bias_max == 8,
              "mpt-7b params");
    }
    m = need(s, "bloom-7b1");
    if (m)
        CHECK(m->kind == POSENC_ALIBI && m->heads == 32 && m->alibi_bias_max == 8,
              "bloom-7b1: bias_max 8 by default");
    m = need(s, "gpt-j-6b");
    if (m)
        CHECK(m->pairing == POSENC_PAIR_INTERLEAVED && m->rotary_dim == 64, "gpt-j-6b");
}

/* Every variant model's params make a plan: the settings are ones the library accepts. */
static void check_plans(const model_settings *s)
{
    for (size_t i = 0; i < bench_n_variant_models; i++) {
        const model_setting *m = model_settings_find(s, bench_variant_models[i]);
        if (!m)
            continue;
        posenc_params p = model_setting_params(m);
        posenc_plan *plan = NULL;
        int rc = posenc_plan_create(NULL, &p, &plan);
        CHECK(rc == POSENC_OK, "%s: plan: %s (%s)", m->key, posenc_strerror(rc),
              posenc_last_error());
        posenc_plan_destroy(plan);
    }
}

static void check_refused(const char *text, const char *want)
{
    model_settings s;
    char why[256] = "";
    int rc = model_settings_parse(text, strlen(text), &s, why, sizeof why);
    CHECK(rc == -1 && strstr(why, want), "'%s': %d, '%s' (want '%s')", text, rc, why, want);
    if (!rc)
        model_settings_free(&s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_model_settings MODELS_FILE\n");
        return 2;
    }
    size_t len = 0;
    char *text = slurp(argv[1], &len);
    CHECK(text != NULL, "cannot read %s", argv[1]);
    /* the embedded copy is the file, byte for byte (the build re-embeds it when it changes) */
    CHECK(text && len == posenc_models_json_len && !memcmp(text, posenc_models_json, len),
          "the embedded copy (%zu bytes) differs from %s (%zu bytes)", posenc_models_json_len,
          argv[1], len);
    free(text);

    model_settings file, embedded;
    char why[256];
    int rc = model_settings_load(argv[1], &file, why, sizeof why);
    CHECK(rc == 0, "%s: %s", argv[1], why);
    if (rc == 0) {
        CHECK(file.n == 17, "%zu entries, the file has 17", file.n);
        check_values(&file);
        check_plans(&file);
        model_settings_free(&file);
    }
    rc = model_settings_load(NULL, &embedded, why, sizeof why);
    CHECK(rc == 0 && strstr(embedded.source, "embedded"), "embedded copy: %s", why);
    if (rc == 0) {
        check_values(&embedded);
        model_settings_free(&embedded);
    }

    rc = model_settings_load("/no/such/models.json", &file, why, sizeof why);
    CHECK(rc == -1 && strstr(why, "/no/such/models.json"), "missing file: '%s'", why);
    check_refused("{\"models\": {}}", "/models");
    check_refused("{\"models\": {\"x\": {\"kind\": \"rotary\", \"heads\": 1}}}", "/models/x");
    check_refused("{\"models\": {\"x\": {\"kind\": \"rotary\", \"heads\": 1, \"head_dim\": 64, "
                  "\"base\": 1e4, \"scaling\": {\"type\": \"warp\", \"factor\": 2}}}}",
                  "unknown type 'warp'");
    check_refused("{\"models\": {\"x\": {\"kind\": \"rotary\", \"heads\": 1, \"head_dim\": 8, "
                  "\"base\": 1e4, \"scaling\": {\"type\": \"longrope\", "
                  "\"original_max_position_embeddings\": 4, \"long_factor\": [1], "
                  "\"short_factor\": [1]}}}}",
                  "longrope needs 4 long and short factors");
    check_refused("{\"models\": {\"x\": {\"kind\": \"rotary\", \"heads\": \"32\"}}}",
                  "/models/x");
    check_refused("{\"models\": ", "line 1");
    return tests_exit_code("test_model_settings");
}
