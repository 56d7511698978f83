/* analysis.h - `posenc analyze` in memory: what each encoding does to attention, measured on the
 * numbers the implementations produce. The command (cmd_analyze.c) resolves its options into an
 * analyze_config; three sections fill an analysis_record from it:
 *   invariance.c  relative-position invariance of the score matrices (OpenBLAS sgemm on encoded
 *                 rows, dgemm on the oracle's), per implementation x angle mode x type x variant,
 *                 and the PE.PE^T similarity of the first positions (sinusoidal);
 *   decay.c       long-range decay: RoFormer's relative upper bound and the mean score of random
 *                 vectors against distance per base and scaling variant, and ALiBi's bias on the
 *                 same axis;
 *   resolution.c  wavelengths beyond the context and position collisions per element type.
 * The writers (write_analysis_json.c: analysis.json; harness/report/analysis_view.c: sections of
 * summary.md and report.html) read the record. analysis.json's members are these fields under
 * the same names, documented in results/README.md and results/analysis.schema.json.
 *
 * Scores. q and k are seeded N(0, 1) vectors (analyze_random_normal) and a score is
 * q.k / sqrt(head_dim), the logit attention takes, so the levels below are in logit units. A
 * double that does not apply is NaN (null in JSON); a position or offset that does not apply
 * is -1. */
#ifndef POSENC_ANALYSIS_H
#define POSENC_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "posenc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* analysis.json's "schema_version"; results/README.md documents each version. */
#define ANALYSIS_SCHEMA_VERSION 1

/* The logit drifts an invariance record states the first offset past: a thousandth and a
 * hundredth of a logit, and bfloat16's unit roundoff at a logit of 1 (2^-8: the error of
 * storing a logit near 1 in bf16). */
#define ANALYZE_LEVEL_FINE 1e-3
#define ANALYZE_LEVEL_COARSE 1e-2
#define ANALYZE_LEVEL_BF16 (1.0 / 256.0)

typedef enum analyze_level {
    ANALYZE_QUICK = 0,   /* what `posenc bench` runs: one model, one implementation, seconds */
    ANALYZE_DEFAULT = 1  /* every model of the models file, one implementation per family */
} analyze_level;

/* One encoding setting to analyse: an entry of the models file (or one derived from it, such as
 * a static-NTK form of a dynamic-NTK model, which says so in its key). */
typedef struct analyze_model {
    char key[48];             /* "llama-3.1-8b"; derived: "llama-2-7b+ntk4" */
    char variant[32];         /* rotary: "none", "linear", "ntk", "dynamic", "yarn", "llama3",
                                 "longrope", "mrope-sections", ...; else "sinusoidal", "alibi" */
    posenc_params params;     /* exact angle mode; longrope factor arrays point into the models
                                 file's settings, which outlive the config */
    int32_t heads;            /* query heads (alibi: the slopes' count) */
    int32_t head_dim;         /* rotary: the head size (rotary_dim may be smaller); sinusoidal:
                                 dim */
    int64_t context;          /* max_positions (L): the scans and the wavelength test use it */
    int64_t context_original; /* original_max_position_embeddings of a scaled variant (L0), else
                                 context */
} analyze_model;

/* What the sections run, resolved from the command's options and level. Arrays belong to the
 * config (analyze_config_free). */
typedef struct analyze_config {
    analyze_level level;
    size_t n_models;
    analyze_model *models;          /* in the models file's order; any kind */
    size_t n_impls;
    const posenc_impl **impls;      /* every kind mixed: each section takes the kinds it uses */
    size_t n_modes;
    posenc_angle_mode modes[4];     /* a design runs in fp32 only, whatever is asked */
    size_t n_dtypes;
    posenc_dtype dtypes[3];
    int window;                     /* positions per side of a score matrix (W x W) */
    size_t n_offsets;
    int64_t *offsets;               /* increasing, 0 first, each <= 2^31 - window */
    int heatmap_positions;          /* sinusoidal PE.PE^T: the first n positions */
    int vectors;                    /* random q, k for the decay curves */
    size_t n_distances;
    int64_t *distances;             /* decay axis: 0, then log-spaced up to max_distance */
    int64_t collision_limit;        /* collisions: positions below min(context, this) */
    uint64_t seed;
    int progress;                   /* 1: progress lines on stderr */
    char learned_left_out[256];     /* learned models selected and left out, comma-separated:
                                       a trained table has no structure to measure */
} analyze_config;

/* ---- the record ---------------------------------------------------------------------------- */

/* |S(offset) - S_exact| over the W x W scores at one offset. */
typedef struct analysis_drift {
    int64_t offset;
    double max_abs, mean_abs;  /* logits */
    double max_norm;           /* max of |S - S_exact| / (sum over pairs |q_pair| |k_pair| /
                                  sqrt(head_dim)): what the exact-mode bound is stated in */
} analysis_drift;

typedef struct analysis_invariance {
    char model[48], variant[32];
    char encoding[16];         /* "rotary", "sinusoidal" */
    char implementation[48];   /* "rotary/avx512" */
    char family[24];           /* analyze_family() */
    char angle_mode[8];        /* "exact", "fp32", "bf16", "fp16" */
    char dtype[8];             /* "f32", "bf16", "f16": q, k and the encoded rows */
    int32_t head_dim, window;
    double bound_norm;         /* exact mode on f32 data: the bound max_norm must keep, derived
                                  from the kernels' documented bounds; else NaN */
    int within_bound;          /* 1, 0, or -1 without a bound */
    int64_t cross_fine, cross_coarse, cross_bf16; /* first sampled offset whose max_abs exceeds
                                  ANALYZE_LEVEL_FINE / _COARSE / _BF16; -1 none */
    size_t n_points;
    analysis_drift *points;
    char note[160];            /* offsets left out and why ("table: positions below 2^20") */
} analysis_invariance;

/* Sinusoidal PE(i).PE(j) / (dim / 2) for i, j < n: 1 on the diagonal. */
typedef struct analysis_heatmap {
    char model[48], implementation[48], dtype[8];
    int32_t n;
    double *values; /* n x n, row-major */
} analysis_heatmap;

/* One curve against distance. */
typedef struct analysis_curve {
    char model[48], variant[32];
    char quantity[24];   /* "rope_bound": RoFormer 3.4.3's (1/(n/2)) sum_j |S_j|;
                            "rope_self": mean over the vectors of q.R(d)q / |q|^2 (a token
                            meeting itself at distance d);
                            "rope_random": mean |q.R(d)k| / sqrt(head_dim), q, k independent;
                            "alibi_weight": exp(-m d), the softmax weight ALiBi leaves at
                            distance d, for one head's slope m */
    char label[96];      /* legend text: "llama-3.1-8b llama3 (base 5e5)" */
    double base;         /* rotary base; alibi: the slope m */
    double value_at_0;   /* the analytic value at distance 0 (NaN when none) */
    size_t n;
    int64_t *distance;
    double *value;
} analysis_curve;

/* The frequencies of a rotary or sinusoidal setting against its context. */
typedef struct analysis_wavelengths {
    char model[48], variant[32];
    int64_t context, context_original;
    int32_t n_freqs;
    double *wavelength;          /* 2 pi / w_i with the variant's frequencies, positions */
    double *wavelength_unscaled; /* 2 pi / w_i of the base alone */
    int32_t n_beyond_context;    /* wavelengths longer than context */
    int32_t n_beyond_original;   /* longer than context_original (unscaled): those the scaling
                                    methods treat differently */
} analysis_wavelengths;

/* Positions below `scanned` whose encoded row, stored in dtype, is bit-identical to an earlier
 * position's. */
typedef struct analysis_collisions {
    char model[48], variant[32], implementation[48], angle_mode[8], dtype[8];
    int64_t scanned;       /* positions 0 .. scanned-1 */
    int64_t onset;         /* the smallest position equal to an earlier one; -1 none */
    int64_t onset_partner; /* the earlier position it equals; -1 none */
    uint64_t n_colliding;  /* positions equal to some earlier position */
} analysis_collisions;

/* Something the analysis left out, and why. */
typedef struct analysis_skip {
    char what[96];
    char why[160];
} analysis_skip;

typedef struct analysis_record {
    int schema_version;
    char started_utc[32];
    char command[512];
    char level[8];            /* "quick", "default" */
    char kind[96];            /* the machine kind (harness/machine.h) */
    char git_revision[48];
    char posenc_version[16];
    char openblas_version[128];
    char mpfr_version[32];
    uint64_t seed;
    int window;
    double seconds_invariance, seconds_decay, seconds_resolution, seconds_total;
    size_t n_invariance;
    analysis_invariance *invariance;
    size_t n_heatmaps;
    analysis_heatmap *heatmaps;
    size_t n_curves;
    analysis_curve *curves;
    size_t n_wavelengths;
    analysis_wavelengths *wavelengths;
    size_t n_collisions;
    analysis_collisions *collisions;
    size_t n_skipped;
    analysis_skip *skipped;
} analysis_record;

/* ---- shared pieces (analysis.c) ------------------------------------------------------------ */

/* Zeroed record with the schema version set. */
void analysis_record_init(analysis_record *r);
/* Frees every array of r (and the arrays their elements own); r is left zeroed. */
void analysis_record_free(analysis_record *r);

/* Appends a zeroed element (NaN doubles, -1 positions) and returns it; the record owns it. The
 * program ends with a message when memory runs out (harness_util.h). */
analysis_invariance *analysis_add_invariance(analysis_record *r);
analysis_heatmap *analysis_add_heatmap(analysis_record *r);
analysis_curve *analysis_add_curve(analysis_record *r);
analysis_wavelengths *analysis_add_wavelengths(analysis_record *r);
analysis_collisions *analysis_add_collisions(analysis_record *r);
/* Records something left out (what and why are cut to fit), and prints it when progress is on. */
void analysis_add_skip(analysis_record *r, const analyze_config *c, const char *what,
                       const char *why);

/* The family of an implementation, whose members give the same bits (same algorithm on another
 * ISA): "polynomial" (scalar, avx2, avx512, neon), "table", "sleef", or the design's name
 * ("recipe-cache", "recipe-recurrence"). */
const char *analyze_family(const posenc_impl *impl);

/* n N(0, 1) values from seed (splitmix64 and Box-Muller): the same on every machine. */
void analyze_random_normal(uint64_t seed, size_t n, double *out);

/* One progress line on stderr when c->progress: "[analyze] invariance 12/96 <label>, 40 s
 * left in this section". A section calls it with done = 0 first (that starts its clock), then
 * after each unit of work; the estimate is the time so far scaled by (total - done) / done. */
void analyze_progress(const analyze_config *c, const char *section, size_t done, size_t total,
                      const char *label);

/* ---- the sections: each appends to r what c selects, records what it leaves out and sets its
 * seconds_* field ------------------------------------------------------------------------------
 * Return 0, or -1 after a message on stderr (an allocation or a plan failing where it should
 * not); a setting a section does not apply to is skipped silently (learned has no angle). */
int analyze_run_invariance(const analyze_config *c, analysis_record *r); /* invariance.c */
int analyze_run_decay(const analyze_config *c, analysis_record *r);      /* decay.c */
int analyze_run_resolution(const analyze_config *c, analysis_record *r); /* resolution.c */

#ifdef __cplusplus
}
#endif

#endif
