/* sweep.h - the oracle sweep of one implementation in one angle mode, as a library: the error of
 * its encode (and rotary apply) against the MPFR oracle over positions up to 2^31, filled into
 * the run_accuracy record of run_record.h. `posenc accuracy` prints it; the bench stores it.
 *
 * What is swept. Per representative shape of the implementation's kind (accuracy_shapes):
 * - positions 0..4095 (every one, or every 16th when quick), 4095, 1e4 .. 1e9, 2^k - 1, 2^k,
 *   2^k + 1 for k <= 30, 2^31 - 1, random positions in every decade from 1e3 up, and the three
 *   positions around zeros of sin(p w_min) of the slowest frequency (m pi / w_min, m = 1, 2, 3,
 *   then log-spread up to 2^31), where a phase error shows as a wrong tiny value; positions at or
 *   past the plan's limit (table backends) are left out;
 * - sin and cos of every frequency (every freq_stride-th, plus the last, for the wide shapes);
 * - rotary: apply on one head per token with inputs in [-4, 4), at the positions past the dense
 *   range and every 64th inside it;
 * - learned: a random (rows x dim) table with a -0.0 in it, encode of every row in a shuffled
 *   order and apply x + W[p], both compared bit for bit.
 * Every random draw has a fixed seed, so every implementation meets the same positions and inputs
 * and a run is the same on every machine.
 *
 * Units. Errors are |computed - exact| against the oracle's value rounded to double:
 * - in u = 2^-24 (error_units.h), absolute: 1u is half an ULP of 1.0f;
 * - in ULP, SLEEF's convention: |computed - exact| / ulp(exact), where ulp(x) = 2^(e - 23) for
 *   the binade 2^e <= |x| < 2^(e + 1) and ulp(x) = 2^-149 (the float subnormal spacing) for
 *   |x| < 2^-126, an exact 0 included. Near a zero of sin a small absolute error is many ULP:
 *   the bounds are absolute (DESIGN.md), the ULP figure shows the relative cost.
 * - rotary apply: per pair, max(|a' - a'_exact|, |b' - b'_exact|) in u relative to max(|a|, |b|)
 *   of the input pair (err_pair_u).
 * A NaN output counts as an infinite error.
 *
 * Angle modes: exact, and the recipes fp32, bf16 and fp16 (posenc.h), each its own record. An
 * fp16 plan refuses positions from 65520 on (its float16 angle is inf there): those decades
 * have no values (count 0), as past a table's rows.
 *
 * Element types (posenc_params.dtype): float32, and bf16 and fp16 data, each its own record
 * (run_accuracy.dtype) in every angle mode; every implementation's plan takes every type, so
 * none is left out (the variant sweeps stay float32). With 16-bit data the same positions are
 * swept: encode writes the type, and each value read back is compared with the exact one;
 * apply's inputs are the float32 sweep's draws rounded to the type (so exactly representable),
 * and each output is compared with the exact result on those inputs: the oracle's rotation
 * (rotary), x + the exact PE (sinusoidal apply, swept for 16-bit data only: in float32 it is
 * encode's row added in float, bit for bit). posenc.h rounds the float32 result once to the
 * type, so each value must be within half an ulp of the type beyond its float32 bound, its
 * share (error_units.h: err_type_ulps, the ulp taken at |exact| + share):
 * - sinusoidal values: impl->max_err_u u; rotary cos/sin rows: ERR_VALUE_BOUND_U u;
 * - rotary apply: impl->max_err_u u max(|a|, |b|) + 2^-149 per output (err_pair_share);
 * - sinusoidal apply: impl->max_err_u u plus the float32 addition's half ulp.
 * The record's max_err_type_ulp and apply_max_err_type_ulp are the largest of those figures
 * and bound_type_ulp is ERR_TYPE_BOUND_ULP (exact mode); max_err_u, mean_err_u and the decades
 * stay absolute errors in u, apply_max_err_u (rotary) per pair in u, bound_u and apply_bound_u
 * NaN. Learned: encode must give W[p] rounded to the type and apply x + W[p] (a float sum)
 * rounded to the type, bit for bit (W stays float32); alibi: each bias the correctly rounded
 * float32 one rounded to the type. Those roundings are computed here (err_type_round), not
 * with the library's conversions.
 *
 * Bounds in the record (exact mode; the recipe modes have none: NaN, within_bound -1):
 * - sinusoidal: bound_u = impl->max_err_u on every value;
 * - rotary: impl->max_err_u bounds apply (apply_bound_u); the cos/sin rows of encode are held to
 *   the value bound ERR_VALUE_BOUND_U (4u), which is bound_u;
 * - learned: bound_u = 0 and bit_exact says whether every value matched bit for bit (0 or 1).
 * within_bound is 1 when max_err_u <= bound_u and (rotary) apply_max_err_u <= apply_bound_u;
 * for sinusoidal and rotary 16-bit data when max_err_type_ulp and apply_max_err_type_ulp are at
 * most bound_type_ulp.
 *
 * Cost. The oracle tables (one per shape and level) are the expensive part: they are built on
 * the first sweep that needs them and kept for the rest of the process, so sweeping every
 * implementation builds each once; accuracy_cache_free releases them (and apply's inputs,
 * drawn once per element type). On a 2-core x86 machine the quick level sweeps every
 * implementation in every angle mode and element type in under two seconds (the table
 * backends' plans, a table per plan, most of it), the full level in about 25 s.
 *
 * Not thread-safe: call these functions from one thread at a time (the oracle itself uses
 * threads while it builds a table).
 *
 * mpfr.h (oracle.h) defines mpfr_version as a macro, which rewrites run_record's field of that
 * name: include this header (run_record.h) before mpfr.h, and a file that also uses the field
 * must #undef mpfr_version after including mpfr.h. */
#ifndef POSENC_ACCURACY_SWEEP_H
#define POSENC_ACCURACY_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "posenc.h"
#include "run_record.h"

/* How much to sweep. Zero is the full sweep. */
typedef enum accuracy_level {
    ACCURACY_FULL = 0,  /* every dense position, 64 random positions per decade, 48 zeros */
    ACCURACY_QUICK = 1  /* every 16th dense position, 8 per decade, 8 zeros, fewer frequencies
                           for the wide sinusoidal shape, a 64 x 64 learned table */
} accuracy_level;

typedef struct accuracy_options {
    accuracy_level level;
    const char *name;   /* prefix of error messages ("posenc accuracy"); NULL: "accuracy" */
    FILE *log;          /* where error messages go; NULL: stderr */
} accuracy_options;

/* One representative shape: the model dim (sinusoidal, learned) or head_dim (rotary). */
typedef struct accuracy_shape {
    posenc_kind kind;
    int32_t dim;
    double base;        /* frequency base; 0 for learned */
    int freq_stride;    /* every freq_stride-th frequency index is checked, and the last */
    int64_t rows;       /* learned: rows of the random table; 0 otherwise */
} accuracy_shape;

/* Return codes. */
enum {
    ACCURACY_OK = 0,            /* swept; the figures and within_bound are in *out */
    ACCURACY_ERROR = -1,        /* no plan, an encode or apply error, the oracle out of memory,
                                   an implementation this CPU does not run: a message went to
                                   the log, *out's figures cover only what ran, and
                                   within_bound and bit_exact are not 1 */
    ACCURACY_NOT_APPLICABLE = 1, /* learned in a recipe angle mode: learned has no angle, it is
                                   swept once, in exact mode; alibi in bf16 or fp16 mode, which
                                   its plans refuse; a design (POSENC_IMPL_DESIGN) in any mode
                                   but fp32; *out holds only the names */
    ACCURACY_NO_ORACLE = 2      /* accuracy_sweep_variant: the oracle does not cover these
                                   parameters (a message says so); *out holds the names */
};

/* The common designs (POSENC_IMPL_DESIGN) are swept in fp32 angle mode only, which is all they
 * take, with no bound (the recipe's error grows with the position). A design with a cache
 * (POSENC_IMPL_TABLE_BOUNDED: recipe-cache) gets max_positions = ACCURACY_DESIGN_CACHE_ROWS in
 * the full sweep, so its figures reach position 1e6 as a cache sized for a million-token context
 * would (512 MiB and about 4 s to build at head_dim 128 on a Zen 4 core); the quick sweep keeps
 * its default rows (POSENC_TABLE_DEFAULT_POSITIONS), as for the table backend. */
#define ACCURACY_DESIGN_CACHE_ROWS (INT64_C(1) << 20)

/* The angle modes every sweep covers, in report order (exact, fp32, bf16, fp16), and the name
 * run.json gives each ("exact", "fp32", "bf16", "fp16"; "unknown" for another value). */
#define ACCURACY_N_MODES 4
extern const posenc_angle_mode accuracy_modes[ACCURACY_N_MODES];
const char *accuracy_mode_name(posenc_angle_mode mode);

/* The element types every sweep covers, in report order (f32, bf16, f16); run.json names them
 * as posenc_dtype_name does. */
#define ACCURACY_N_DTYPES 3
extern const posenc_dtype accuracy_dtypes[ACCURACY_N_DTYPES];

/* The shapes swept for `kind` at `level`, in the order they are swept: *shapes points to static
 * storage. Returns how many (0 for an unknown kind). Rotary: dim 128. Sinusoidal: dim 128 and a
 * wide dim (4096 with every 2nd frequency; quick: 1024, every 8th). Learned: 1024 x 768 (quick:
 * 64 x 64). All with base 10000. Alibi: 32 heads with bias_max 8 (the shape's dim is the heads,
 * its base the bias_max), every bias of encode's rows against the correctly rounded one. */
size_t accuracy_shapes(posenc_kind kind, accuracy_level level, const accuracy_shape **shapes);

/* Sweep `impl` in angle mode `mode` on data of element type `dtype` over every shape of its
 * kind and fill *out (all shapes in one record: maxima over all, means weighted by the values
 * checked, the worst wherever it was). opt may be NULL (full level, messages to stderr).
 * Returns ACCURACY_OK, ACCURACY_ERROR (also for a dtype that is not a posenc_dtype) or
 * ACCURACY_NOT_APPLICABLE; a bound exceeded is ACCURACY_OK with out->within_bound == 0. */
int accuracy_sweep_dtype(const posenc_impl *impl, posenc_angle_mode mode, posenc_dtype dtype,
                         const accuracy_options *opt, run_accuracy *out);

/* accuracy_sweep_dtype on float32 data. */
int accuracy_sweep(const posenc_impl *impl, posenc_angle_mode mode, const accuracy_options *opt,
                   run_accuracy *out);

/* The same for one shape (one of accuracy_shapes(impl->kind, ...), or another of that kind with
 * an even dim >= 2 and base > 1), so a report can show each shape on its own. */
int accuracy_sweep_shape(const posenc_impl *impl, posenc_angle_mode mode, posenc_dtype dtype,
                         const accuracy_options *opt, const accuracy_shape *shape,
                         run_accuracy *out);

/* Sweep `impl` on one variant: rotary params with a scaling type and M-RoPE layout, or alibi
 * params (heads, bias_max), in angle mode `mode` (variant->angle_mode and variant->dtype are
 * ignored: float32 data), over the
 * positions of the rotary shape (rotary_dim frequencies, the variant's base). Rotary values are
 * compared with a cos and a sin, a the variant's attention factor (*attention_factor; NaN for
 * alibi and when not swept); M-RoPE gives each token three different positions from the sweep
 * and each frequency's error counts in the decade of its own axis's position. Exact-mode bounds:
 * each value within 4u a plus half an ulp of it (bound_u is 4a; within_bound counts each
 * value against its own allowance), rotary apply within impl->max_err_u a per pair
 * (apply_bound_u). Alibi: every bias -m_h d against the correctly rounded one (alibi_oracle.h):
 * bit_exact, and within_bound = bit_exact in exact mode. Frequencies and attention factor come
 * from the oracle's own derivation of each variant (oracle.h, oracle_table_build_params and
 * oracle_attention_factor), tables cached per frequencies and level. Returns as
 * accuracy_sweep, or ACCURACY_NO_ORACLE for parameters the oracle does not cover. */
int accuracy_sweep_variant(const posenc_impl *impl, const posenc_params *variant,
                           posenc_angle_mode mode, const accuracy_options *opt,
                           run_accuracy *out, double *attention_factor);

/* The ULP of an exact value in SLEEF's convention (above): 2^(e - 23) for 2^e <= |x| < 2^(e+1),
 * 2^-149 for |x| < 2^-126 and for 0. */
double accuracy_ulp(double exact);

/* Free the cached oracle tables and MPFR's caches of the calling thread. Sweeps after it
 * rebuild what they need. */
void accuracy_cache_free(void);

#endif
