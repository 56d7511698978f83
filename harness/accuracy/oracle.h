/* oracle.h - the MPFR accuracy oracle: sin and cos of p * w_i, w_i = base^(-2i/n) / scale or the
 * frequency of a RoPE scaling variant (posenc_scaling), computed at high precision and rounded
 * to double, for the tests and `posenc accuracy`.
 *
 * Precision. w_i = base^(-2i/n) / scale is held with ORACLE_PREC (192) bits, so its relative
 * error is below 2^-190. The angle p * w_i is formed exactly (ORACLE_PREC + 64 bits hold the
 * product of a 192-bit w and a 63-bit p), so for p < 2^31 the angle is within 2^-159 of the
 * true p * w_i: more than 150 bits after the binary point. MPFR then rounds sin and cos of that
 * angle correctly to double. The double results are within 2^-53 (relative) of the truth,
 * which is 2^-29 u when errors are measured in u = 2^-24: the oracle's own error never shows.
 *
 * Cost. One oracle_sincos is an MPFR sin_cos, about 3 us on a 2020s x86 core (10-20x more under
 * qemu). oracle_sincos_run walks consecutive positions by exact rotation in 192-bit arithmetic,
 * about 10x cheaper per position. oracle_table_build evaluates a positions x frequencies grid
 * once, on several threads, so that many implementations can be checked against one table.
 *
 * Thread safety: every function is safe to call from several threads on distinct outputs; an
 * oracle_freq is read-only after oracle_freq_init. */
#ifndef POSENC_ORACLE_H
#define POSENC_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include <mpfr.h>

#include "posenc.h" /* posenc_params: the description of a variant (data only, no library code) */

#define ORACLE_PREC 192

/* One frequency w = base^(-2i/n) / scale, or a variant's (oracle_freq_init_params). */
typedef struct oracle_freq {
    mpfr_t w;         /* ORACLE_PREC bits */
    double w_d;       /* w rounded to double, for choosing positions (zeros of sin, ...) */
    double base;
    double scale;     /* oracle_freq_init's scale; the scaling factor for a variant */
    int32_t n;
    int32_t i;
    double attention; /* the attention factor multiplying cos and sin (1 without a variant) */
    int axis;         /* M-RoPE: the position axis (0 temporal, 1 height, 2 width); else 0 */
} oracle_freq;

/* Compute w = base^(-2i/n) / scale. Needs base > 1, n >= 2, 0 <= i < n/2, scale > 0 (scale is
 * the linear scaling factor: angle = (p / scale) * base^(-2i/n)). The exponent -2i/n is formed
 * with 2 * ORACLE_PREC bits and the power and quotient are rounded to ORACLE_PREC bits. */
void oracle_freq_init(oracle_freq *f, double base, int32_t n, int32_t i, double scale);
void oracle_freq_clear(oracle_freq *f);

/* ---- variants: RoPE scaling (posenc_scaling) and M-RoPE axes (posenc_mrope) -----------------
 *
 * Each frequency is derived from the definition posenc.h gives (posenc_scaling_type), written
 * here again from Hugging Face transformers' modeling_rope_utils and nothing of the library:
 *   NONE       w_i = base^(-2i/n)                         n = rotary_dim (rotary), dim (sinusoidal)
 *   LINEAR     w_i / factor
 *   NTK        base'^(-2i/n), base' = base * factor ** (n / (n - 2))
 *   DYNAMIC    the same with x = (factor * L / L0) - (factor - 1) for factor, L = seq_len, when
 *              L > L0 (base unchanged otherwise)
 *   YARN       w_i ((1 - r_i) + r_i / factor), r_i = clamp((i - low) / (high - low), 0, 1)
 *   LLAMA3     lambda_i = 2 pi / w_i: w_i below L0 / hff, w_i / factor above L0 / lff, between
 *              (1 - t) w_i / factor + t w_i, t = (L0 / lambda_i - lff) / (hff - lff)
 *   LONGROPE   w_i / f_i, f = long_factor when seq_len > L0, else short_factor
 * Exact mode is real arithmetic from the parameters as given (posenc.h, posenc_scaling_type),
 * at ORACLE_PREC + 32 bits, except where posenc.h names HF's doubles: yarn's correction dims low
 * and high (HF's float64 values: truncated unless no_truncate, clipped to [0, n - 1], high +
 * 0.001 when equal) and the attention factors (yarn: the 0.1 m ln(factor) + 1 forms; longrope:
 * sqrt(1 + ln(factor) / ln(L0)); plan.h's "the double HF computes"). Those doubles are formed
 * with every operation correctly rounded in the order Python evaluates it (log and pow through
 * MPFR at 53 bits). So ntk/dynamic's base' = base x^(n / (n - 2)) and llama3's limits L0 / lff,
 * L0 / hff are real numbers in exact mode; the fp32 recipe (fp32_recipe.h) takes them as the
 * doubles HF computes (oracle_variant's base_scaled, llama_low_wl, llama_high_wl). */

/* A variant's parameters with posenc.h's defaults filled in, and the double scalars above. */
typedef struct oracle_variant {
    posenc_params p;     /* copy of the caller's; defaults filled in (base, rotary_dim, betas,
                            seq_len, longrope factor); the factor arrays are the caller's */
    int32_t n;           /* dims the frequencies are for: rotary_dim or dim */
    double base_scaled;  /* ntk, dynamic: base' as HF's doubles give it (the recipe's); else
                            base. Exact mode's base' is real (oracle_freq_init_variant) */
    double yarn_low, yarn_high;   /* yarn: the ramp's ends as HF passes them (both modes) */
    double llama_low_wl, llama_high_wl; /* llama3: L0 / lff and L0 / hff as doubles (the
                                           recipe's; exact mode compares with the reals) */
    const double *longrope_f;     /* longrope: the factor set in use */
    double attention;    /* the attention factor (1 for the types without one) */
} oracle_variant;

/* Fill v from p. Returns 0, or -1 for parameters the definitions do not cover (a kind other
 * than rotary and sinusoidal, n < 2, a scaling type or M-RoPE layout outside posenc.h's lists,
 * a longrope factor array missing); the ranges are for posenc_plan_create to check. */
int oracle_variant_init(oracle_variant *v, const posenc_params *p);

/* Frequency i (0 <= i < n/2) of the variant p at ORACLE_PREC bits, its attention factor and
 * M-RoPE axis. Returns 0, or -1 as oracle_variant_init (then f is not initialised). */
int oracle_freq_init_params(oracle_freq *f, const posenc_params *p, int32_t i);
int oracle_freq_init_variant(oracle_freq *f, const oracle_variant *v, int32_t i);

/* The attention factor of p (yarn, longrope; 1 otherwise), or NaN when oracle_variant_init
 * refuses p. */
double oracle_attention_factor(const posenc_params *p);

/* M-RoPE: the axis frequency i takes its position from (posenc_mrope: sections or interleaved),
 * 0 without M-RoPE. With positions held axis-major (pos[a * n_tokens + t]), frequency i of
 * token t turns by pos[oracle_mrope_axis(p, i) * n_tokens + t]. */
int oracle_mrope_axis(const posenc_params *p, int32_t i);

/* 1 when a and b give the same frequencies and attention factor (so one oracle table serves
 * both: the kind, pairing, angle mode, max_positions and dim beyond rotary_dim do not count),
 * else 0. Parameters oracle_variant_init refuses are equal to nothing. */
int oracle_params_same_freqs(const posenc_params *a, const posenc_params *b);

/* sin(p * w) and cos(p * w), each correctly rounded to double from the exact product of p and
 * the ORACLE_PREC-bit w. 0 <= p < 2^62. */
void oracle_sincos(const oracle_freq *f, int64_t p, double *s, double *c);

/* s[k], c[k] = sin and cos of (p0 + k) * w for k < count. Starts exactly at p0 and every
 * ORACLE_RUN_ANCHOR positions; in between it rotates by w in ORACLE_PREC-bit arithmetic,
 * which keeps the values within 2^-170 of the truth, so the doubles are those of oracle_sincos
 * unless the truth lies within 2^-170 of a rounding boundary. */
#define ORACLE_RUN_ANCHOR 512
void oracle_sincos_run(const oracle_freq *f, int64_t p0, size_t count, double *s, double *c);

/* sin and cos of positions x frequency indices, for one (base, n, scale) or one variant. The
 * values are sin and cos of p * w only: multiply by `attention` for what an encode row holds. */
typedef struct oracle_table {
    double base;
    double scale;
    int32_t n;
    double attention; /* the variant's attention factor; 1 from oracle_table_build */
    size_t n_pos;
    size_t n_idx;
    int64_t *pos;   /* copy of the positions, in the caller's order */
    int32_t *idx;   /* copy of the frequency indices */
    double *w;      /* w[j]: frequency idx[j] rounded to double */
    double *s;      /* s[k * n_idx + j] = sin(pos[k] * w_idx[j]) */
    double *c;      /* c[k * n_idx + j] = cos(pos[k] * w_idx[j]) */
    int32_t *col;   /* col[i] = j with idx[j] == i, or -1; for i < n/2 */
} oracle_table;

/* Evaluate the table. Runs of consecutive positions (pos[k+1] == pos[k] + 1) use
 * oracle_sincos_run. threads <= 0 means oracle_default_threads(). Returns 0, or -1 when memory
 * runs out or an argument is out of range (then *t is zeroed). Indices may repeat. */
int oracle_table_build(oracle_table *t, double base, int32_t n, double scale, const int64_t *pos,
                       size_t n_pos, const int32_t *idx, size_t n_idx, int threads);
/* The same for the variant p (oracle_freq_init_params): frequency idx[j] of p at each position
 * (for M-RoPE, the caller picks per token the row of the frequency's axis position). Returns 0,
 * or -1 as oracle_table_build and for parameters oracle_variant_init refuses. */
int oracle_table_build_params(oracle_table *t, const posenc_params *p, const int64_t *pos,
                              size_t n_pos, const int32_t *idx, size_t n_idx, int threads);
void oracle_table_free(oracle_table *t);

/* Position k's sin / cos of frequency index i, which must be in the table (col[i] >= 0). */
static inline double oracle_table_sin(const oracle_table *t, size_t k, int32_t i)
{
    return t->s[k * t->n_idx + (size_t)t->col[i]];
}
static inline double oracle_table_cos(const oracle_table *t, size_t k, int32_t i)
{
    return t->c[k * t->n_idx + (size_t)t->col[i]];
}

/* Threads for oracle_table_build: POSENC_ORACLE_THREADS if set (1..64), else the online CPUs
 * (at most 16); 1 when this MPFR is not built thread-safe. */
int oracle_default_threads(void);

/* Free MPFR's caches of the calling thread (constants such as pi), so leak checkers stay quiet. */
void oracle_cleanup(void);

#endif
