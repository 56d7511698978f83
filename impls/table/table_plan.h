/* table_plan.h - what the table backend adds to a plan: the table of sin and cos values, and the
 * kernels.h instance (one per ISA of core/isa_list.h, or portable) that encodes and applies from
 * it. */
#ifndef POSENC_TABLE_PLAN_H
#define POSENC_TABLE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/plan.h"
#include "simd/simd_plan.h"

/* Documented bounds (posenc_impl.max_err_u, u = 2^-24) of the table backend, exact mode: an
 * entry is correctly rounded, within half an ulp: 0.5u for values below 1. A rotated pair
 * (a c - b s, a s + b c) adds to the entries' 0.5u (|a| + |b|) the rounding of two products and
 * a sum, at most sqrt(2) u max(|a|, |b|) each: 1 + 2 sqrt(2) < 4. */
#define TABLE_BOUND_SINUSOIDAL 0.5
#define TABLE_BOUND_ROTARY 4.0

/* Floats allocated after the last row: a vector load of a row's last frequencies may read up to
 * a vector (less one lane) past the row (table_phase.h). */
#define TABLE_SLACK_FLOATS SIMD_MAX_LANES

typedef struct table_data {
    /* rows x 2 n_freq floats: row p holds cos of frequencies 0 .. n_freq-1, then their sin,
       which is the rotary encode row */
    float *values;
    int64_t rows;                /* positions 0 .. rows-1; the plan's max_pos */
    const posenc_impl *kernels;  /* encode and apply of the chosen kernels.h instance */
} table_data;

/* The row of position p (0 <= p < rows). */
static inline const float *table_row(const posenc_plan *plan, int64_t p)
{
    const table_data *t = plan->backend;
    return t->values + (size_t)p * 2 * plan->n_freq;
}

/* The kernels.h instance the table backend runs for the plan's kind: the widest one whose
 * features the plan's CPU features (fixed at plan creation, after POSENC_DISABLE_CPU_FEATURES)
 * hold; the common designs (impls/recipe) use it too. */
const posenc_impl *table_kernels(const posenc_plan *plan);

/* Fill `values` (rows x 2 n_freq) for the plan's parameters: the exact angle mode's correctly
 * rounded values, or the fp32 recipe's (posenc_sincos_fp32_angle of the fp32 angle). Returns
 * POSENC_OK or NOMEM. */
int table_build(const posenc_plan *plan, float *values, int64_t rows);

/* The kernels.h instances of `kind` (sinusoidal or rotary), best first, the portable one last:
 * the i-th, or NULL past the end (and for other kinds). The tests make a plan with each. */
const posenc_impl *table_kernels_at(posenc_kind kind, size_t i);

/* impl->release, encode, apply, encode16 and apply16 of the table's descriptors: the table's
 * kernel instance on the plan's table. The recipe-cache design (impls/recipe) takes them as
 * they are, with a prepare of its own. */
void table_release(posenc_plan *plan);
int table_encode(const posenc_plan *plan, const int64_t *pos, size_t n, float *out);
int table_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                const posenc_layout *layout);
int table_encode16(const posenc_plan *plan, const int64_t *pos, size_t n, void *out);
int table_apply16(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, void *x,
                  const posenc_layout *layout);

/* The instance a table plan encodes and applies with; NULL for a plan of another backend. */
const posenc_impl *table_plan_kernels(const posenc_plan *plan);

#endif
