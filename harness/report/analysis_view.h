/* analysis_view.h - `posenc analyze` (harness/analyze/analysis.h) as sections of summary.md and
 * report.html, and as those two files alone for a run without a bench; with the choices and
 * sentences both share (which model stands for the rest, what each plot says in words), so the
 * Markdown and the page say the same. Markdown and the shared part: analysis_view.c (in
 * posenc_report); the page: analysis_view_html.c (in posenc_report_html). */
#ifndef POSENC_ANALYSIS_VIEW_H
#define POSENC_ANALYSIS_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Markdown (analysis_view.c) ------------------------------------------------------------ */

/* The analysis as a section of summary.md ("## posenc analyze"): for the headline model the
 * offsets where invariance drift crosses each level per implementation family, angle mode and
 * element type, the collision onsets per variant and type, the decay curves at distances 10^3,
 * 10^5 and 10^6, and what was left out. Returns 0, or -1 when f reports a write error. */
int analysis_md_section(const analysis_record *a, FILE *f);

/* summary.md of a `posenc analyze` run alone: a line of facts, then the section. Written through
 * path.tmp renamed on success; returns 0, or -1 after one line on stderr naming the path and
 * the reason, with no file left behind. */
int analysis_write_md(const analysis_record *a, const char *path);

/* ---- report.html (analysis_view_html.c) ---------------------------------------------------- */

/* The analysis as a section of report.html (<section id="analysis">): invariance drift against
 * offset (log-log) per family and angle mode for the headline model, the crossing offsets of
 * every record, the sinusoidal PE.PE^T heat map, the decay curves, the wavelengths and the
 * collisions, each plot with one sentence computed from the data. Errors show in ferror(f). */
void analysis_html_section(const analysis_record *a, FILE *f);

/* report.html of a `posenc analyze` run alone: one self-contained page with the stylesheet of
 * report_write_html, its facts and the section. Written as analysis_write_md is. */
int analysis_write_html(const analysis_record *a, const char *path);

/* ---- what both show ------------------------------------------------------------------------ */

/* The model whose invariance records the plot and the summary table show: llama-3-8b when the
 * record has it, else the first rotary model, else the first model; NULL without records. */
const char *analysis_view_headline(const analysis_record *a);

/* The invariance records of model, one per (family, angle mode, element type) (the first; the
 * members of a family give the same bits), in the record's order; dtype non-NULL keeps that
 * type only. Returns the count written to out (at most max). */
size_t analysis_view_rows(const analysis_record *a, const char *model, const char *dtype,
                          const analysis_invariance **out, size_t max);

/* The largest max_abs of v over its offsets, and the offset where it was (-1 without points). */
double analysis_view_max_drift(const analysis_invariance *v, int64_t *at);

/* The first offset of v whose max_abs exceeds level, -1 none; the record's cross_* for the three
 * levels it states. */
int64_t analysis_view_crossing(const analysis_invariance *v, double level);

/* One sentence on rows (of one model) against level: per angle mode the offset where scores
 * first drift past it, or how far they stay below it ("fp32 angles: scores drift past 1e-3
 * from offset 131072; exact angles: below 1e-3 at every offset up to 2147482624"). */
void analysis_view_drift_sentence(const analysis_invariance *const *rows, size_t n, double level,
                                  char *buf, size_t size);

/* The value of c at distance d, linear in log distance between its samples; NaN outside. */
double analysis_view_curve_at(const analysis_curve *c, double d);

/* The first sampled distance where c has fallen to half its value at distance 0 (value_at_0,
 * else its first sample's); -1 when it never does. */
int64_t analysis_view_curve_half(const analysis_curve *c);

/* One sentence on the collisions: where bf16 rows first collide and in which model, and the
 * same of f16 and f32 (or that they did not below what was scanned). */
void analysis_view_collision_sentence(const analysis_record *a, char *buf, size_t size);

/* A level as the text reads it: "1e-3", "1e-2", "2^-8". */
const char *analysis_view_level_name(double level);

#ifdef __cplusplus
}
#endif

#endif
