/* model_settings.h - the position-encoding settings of real models, read from
 * harness/bench/models/rope-models.json (a copy of the published configs' numbers), which the
 * bench's variant cases are made from. The build embeds the file (models_embedded.c, generated
 * by CMake from the file itself), so the command needs nothing at run time; `posenc bench
 * --models FILE` reads another copy instead.
 *
 * What each JSON member becomes (posenc.h's names):
 *   heads, kv_heads, head_dim, rotary_dim (default head_dim), base, max_positions;
 *   pairing: "interleaved" exactly is POSENC_PAIR_INTERLEAVED, anything else (absent, "half", or
 *     a note such as DeepSeek's "half-split in HF's port") POSENC_PAIR_HALF, Hugging Face's;
 *   scaling.type: linear, dynamic, yarn, llama3, longrope ("su" too, its old name), null none;
 *     factor; original_max_position_embeddings is L0 (dynamic without it: max_positions, as
 *     HF's dynamic scaling takes config.max_position_embeddings); low_freq_factor and
 *     high_freq_factor (llama3); beta_fast, beta_slow, mscale, mscale_all_dim (yarn);
 *     long_factor and short_factor (longrope, rotary_dim / 2 numbers each), whose factor is
 *     max_positions / L0 when the entry gives none (HF derives it so);
 *   mrope_section: three integers, M-RoPE with POSENC_MROPE_SECTIONS;
 *   alibi_bias_max (alibi; default 8).
 * Members not listed (about, note) are ignored. */
#ifndef POSENC_BENCH_MODEL_SETTINGS_H
#define POSENC_BENCH_MODEL_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "posenc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MODEL_MAX_FACTORS 512

typedef struct model_setting {
    char key[48];           /* the member name: "llama-3.1-8b" */
    posenc_kind kind;       /* rotary, alibi, learned, sinusoidal */
    int32_t heads, kv_heads, head_dim, rotary_dim;
    double base;            /* 0 when the entry has none (alibi, learned) */
    int64_t max_positions;  /* 0 when the entry has none */
    posenc_pairing pairing;
    posenc_scaling scaling; /* long_factor / short_factor NULL here: model_setting_params
                               points them at the arrays below */
    size_t n_long, n_short;
    double long_factor[MODEL_MAX_FACTORS], short_factor[MODEL_MAX_FACTORS];
    posenc_mrope mrope;
    double alibi_bias_max;  /* 8 unless the entry says otherwise */
} model_setting;

typedef struct model_settings {
    size_t n;
    model_setting *models; /* in the file's order */
    char source[256];      /* "embedded copy of harness/bench/models/rope-models.json" or a path */
} model_settings;

/* Parse the text of a models file. Returns 0, or -1 with one line in why (a JSON error with its
 * line and column, or the JSON pointer of a member missing or of the wrong type). */
int model_settings_parse(const char *text, size_t len, model_settings *out, char *why,
                         size_t why_size);

/* The file at path, or the embedded copy when path is NULL or "". 0 or -1 as above. */
int model_settings_load(const char *path, model_settings *out, char *why, size_t why_size);

void model_settings_free(model_settings *s);

/* The models file's name of a scaling type: "none", "linear", "ntk", "dynamic", "yarn",
 * "llama3", "longrope". */
const char *model_scaling_name(posenc_scaling_type t);

/* The entry called key, or NULL. */
const model_setting *model_settings_find(const model_settings *s, const char *key);

/* posenc_params of the entry (rotary or alibi; exact angles, the default of every field the
 * entry does not set), longrope's factor arrays pointing into *m, which must outlive them. */
posenc_params model_setting_params(const model_setting *m);

/* The entries `posenc bench` makes its variant cases from (harness/bench/cases.cc): each must be
 * in the file, which the bench checks before it times anything (and test_model_settings). */
extern const char *const bench_variant_models[];
extern const size_t bench_n_variant_models;

/* The embedded copy (generated at build time from harness/bench/models/rope-models.json). */
extern const unsigned char posenc_models_json[];
extern const size_t posenc_models_json_len;

#ifdef __cplusplus
}
#endif

#endif
