/* analyze_models.h - what the decay and resolution sections read from a model setting: its
 * frequencies (with and without its scaling), the models they walk (the config's, plus the
 * static-NTK form of each dynamic-NTK model), a short base for legends and the context of a
 * setting that has none. */
#ifndef POSENC_ANALYZE_MODELS_H
#define POSENC_ANALYZE_MODELS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The context a sinusoidal setting is measured against when the config gives none: the
 * encoding itself has no limit, and the paper does not state one; 1024 is the position limit of
 * fairseq's transformer (DEFAULT_MAX_SOURCE_POSITIONS), the reference reproduction of the
 * paper's base and big models. */
#define ANALYZE_SINUSOIDAL_CONTEXT 1024

/* Dims the frequencies are for: rotary_dim (rotary; 0 means dim), dim (sinusoidal); 0 for the
 * kinds without frequencies. */
int32_t analyze_model_freq_dims(const analyze_model *m);

/* m's context, with ANALYZE_SINUSOIDAL_CONTEXT for a sinusoidal setting that has none. */
int64_t analyze_model_context(const analyze_model *m);

/* The n / 2 frequencies of m (analyze_model_freq_dims): w[i] the variant's, from the MPFR oracle
 * (oracle_freq_init_params) rounded to double, and, when unscaled is not NULL, base^(-2i/n) of
 * the base alone; *attention (when not NULL) the attention factor. Returns 0, or -1 for a
 * setting the oracle does not cover (alibi, learned). */
int analyze_model_freqs(const analyze_model *m, double *w, double *unscaled, double *attention);

/* The static-NTK setting derived from a dynamic-NTK one: the same base and factor as a static
 * scaling (base' = base factor^(n / (n - 2)) at every length), keyed "<key>+ntk<factor>" with
 * the key's "-dynamic-ntk" or "-dynamic" suffix dropped ("llama-2-7b+ntk2"), variant "ntk".
 * Returns 0, or -1 when dyn is not a rotary dynamic-NTK setting. */
int analyze_static_ntk_from(const analyze_model *dyn, analyze_model *out);

/* The models a section walks: c->models in order, each dynamic-NTK one followed by its static-NTK
 * form (analyze_static_ntk_from) unless the config already holds a model of that key. The
 * caller frees the array (the longrope factor arrays still point into the config's). */
analyze_model *analyze_models_expanded(const analyze_config *c, size_t *n);

/* 1 when m was derived by analyze_static_ntk_from (its key holds '+'). */
int analyze_model_is_derived(const analyze_model *m);

/* A base as legends write it: "1e4", "5e5", "1e6", "1.5e4" (three significant digits at
 * most). */
void analyze_format_base(double base, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif
