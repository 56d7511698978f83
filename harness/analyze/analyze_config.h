/* analyze_config.h - what `posenc analyze` (and the short analysis `posenc bench` runs) asks
 * for, resolved into the analyze_config the sections run: the models, implementations, angle
 * modes, element types and sizes of a level, narrowed by the caller's choices. */
#ifndef POSENC_ANALYZE_CONFIG_H
#define POSENC_ANALYZE_CONFIG_H

#include <stddef.h>

#include "analysis.h"
#include "model_settings.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The sections, as bits of analyze_request.sections. */
enum {
    ANALYZE_INVARIANCE = 1u << 0,
    ANALYZE_DECAY = 1u << 1,
    ANALYZE_RESOLUTION = 1u << 2,
    ANALYZE_ALL = 7u
};

/* The caller's choices; a NULL string or a zero number means the level's default. Lists are
 * comma-separated. */
typedef struct analyze_request {
    analyze_level level;
    unsigned sections;        /* ANALYZE_* bits; 0 means all */
    const char *models_path;  /* a models file; NULL: the embedded rope-models.json */
    const char *models;       /* keys of the models file ("llama-3-8b,mpt-7b") */
    const char *encodings;    /* "rotary,sinusoidal,alibi": models of these kinds only */
    const char *variants;     /* "none,llama3,yarn,...,sinusoidal,alibi" (analyze_model's
                                 variant names): models of these variants only */
    const char *impl_regex;   /* implementations whose name matches (POSIX ERE); default: for
                                 each encoding, the best supported implementation of every
                                 family (analyze_family) */
    const char *modes;        /* "exact,fp32,bf16,fp16" */
    const char *dtypes;       /* "f32,bf16,f16" */
    int window;               /* 2 .. 4096 */
    int vectors;              /* 1 .. 65536 */
    int64_t collision_limit;  /* 1 .. 2^31 */
    uint64_t seed;            /* 0 means the default seed */
    int progress;
} analyze_request;

/* The ANALYZE_* bits of a list such as "invariance,decay" into *bits. Returns 0, or -1 with
 * one line in why naming a word that is not a section. */
int analyze_parse_sections(const char *list, unsigned *bits, char *why, size_t why_size);

/* Resolves req into c (zeroed first; free it with analyze_config_free) with the model settings
 * s, which must outlive c. Returns 0, or -1 with one line in why (an unknown model, mode or
 * type, a bad regex, a size out of range, a selection that leaves nothing to analyse). */
int analyze_config_build(const analyze_request *req, const model_settings *s,
                         analyze_config *c, char *why, size_t why_size);

void analyze_config_free(analyze_config *c);

/* Runs the sections req->sections names on c, filling r (analysis_record_init first) and its
 * seconds_* fields. Returns 0, or -1 when a section failed (it printed why). */
int analyze_run(const analyze_config *c, unsigned sections, analysis_record *r);

/* Fills r's posenc, OpenBLAS and MPFR versions (the caller fills the machine kind, the git
 * revision and the command). */
void analyze_record_versions(analysis_record *r);

/* "quick", "default" */
const char *analyze_level_name(analyze_level level);

#ifdef __cplusplus
}
#endif

#endif
