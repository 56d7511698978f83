/* merge_matrix.h - runs of `posenc bench` from several machines as one table: a row per (case
 * group, implementation), a column per machine, the fastest backend of each group on each
 * machine, and an implementation x machine accuracy table. The writers of merge.md, merge.csv
 * and merge.html read it; none of them decides anything the matrix has not. */
#ifndef POSENC_MERGE_MATRIX_H
#define POSENC_MERGE_MATRIX_H

#include <stddef.h>

#include "run_record.h"

/* The speed figure the tables and charts show; every one comes from run.json's `speed`. */
typedef enum merge_metric {
    MERGE_NS_PER_ELEMENT,     /* median_ns / elements: lower is faster */
    MERGE_RATIO_TO_MEMPASS,   /* median / the same-run memory pass: 1 is memory speed */
    MERGE_SPEEDUP_OVER_SCALAR /* scalar's median / this median: higher is faster */
} merge_metric;

/* "ns_per_element", ... (the option's spelling and run.json's field) */
const char *merge_metric_name(merge_metric m);
/* "ns per element", ... for headings and axis labels */
const char *merge_metric_title(merge_metric m);
/* One sentence on what the figure means and which way is better. */
const char *merge_metric_explain(merge_metric m);
/* 0 and *m set when s names a metric, -1 otherwise. */
int merge_metric_parse(const char *s, merge_metric *m);
/* The case's figure; NaN when it did not run or the figure is missing. */
double merge_metric_value(const run_case *c, merge_metric m);

/* The part of an implementation's name after the encoding: "sleef-u10-avx2" of
 * "rotary/sleef-u10-avx2". Colours and the fastest-backend table use it. */
const char *merge_backend_of(const char *impl);

#define MERGE_LABEL_MAX 448

typedef struct merge_machine {
    const run_record *run;
    const char *source;            /* the path it was read from */
    char tag[24];                  /* "M1", "M2", ...: short and unique */
    char label[MERGE_LABEL_MAX];   /* CPU model, arch, "emulated", ISA set: "AMD EPYC
                                      (x86_64): sse4.1 avx avx2 fma f16c"; made unique with
                                      " #2" when two runs name the same machine */
    int repeat;                    /* 1, or n for the n-th run with this machine's label */
} merge_machine;

typedef struct merge_row {
    const char *group;                 /* from the first run that has the group */
    run_encoding encoding;
    run_op op;
    char implementation[48];           /* "rotary/avx2", or "<encoding>/dispatch" for the
                                          cases that timed what dispatch picked */
    int dispatch;
} merge_row;

/* What a cell of the speed table holds on one machine. */
typedef enum merge_cell_kind {
    MERGE_CELL_OK,      /* ran: the figure is merge_metric_value(case) */
    MERGE_CELL_SKIPPED, /* the run lists it as skipped (reason: the CPU lacks a feature, ...) */
    MERGE_CELL_ERROR,   /* the kernel failed */
    MERGE_CELL_NO_SHAPE,/* the machine's run did not include this shape */
    MERGE_CELL_ABSENT   /* the shape ran, but this implementation is not in that build (NEON on
                           x86-64, AVX-512 on AArch64) */
} merge_cell_kind;

typedef struct merge_group {
    const char *group;
    size_t first_row, n_rows;      /* its rows are rows[first_row, first_row + n_rows) */
    long *fastest;                 /* per machine: the row of the fastest implementation that
                                      ran (lowest median; dispatch rows excluded), or -1 */
} merge_group;

/* One implementation's exact-mode accuracy on each machine. Emulation runs the same
 * instructions and so gives the same bits: these cells count for emulated machines too. */
typedef struct merge_acc_row {
    char implementation[48];
    run_encoding encoding;
    double bound_u;                /* the documented bound, from the first record found */
    const run_accuracy **cell;     /* per machine; NULL: not swept there */
    int agree;                     /* 1: every machine that swept it with the same number of
                                      values found the same max error; 0: they differ;
                                      -1: fewer than two comparable records */
} merge_acc_row;

typedef struct merge_set {
    merge_metric metric;
    size_t n_machines;
    merge_machine *machines;
    size_t n_rows;
    merge_row *rows;
    const run_case **cells;        /* cells[row * n_machines + machine]; NULL when the run has
                                      no such case */
    size_t n_groups;
    merge_group *groups;
    size_t n_acc;
    merge_acc_row *acc;
    size_t n_notes;
    char **notes;                  /* what makes the columns less comparable, one sentence
                                      each: emulation, quick runs, different builds, a group
                                      whose shape differs between runs */
} merge_set;

/* Build the matrix of runs[0, n) (read from sources[i]); rows and groups in order of first
 * appearance over the runs in the order given. The runs must outlive the set. Returns 0, or -1
 * when memory ran out. */
int merge_build(merge_set *s, const run_record *runs, const char *const *sources, size_t n,
                merge_metric metric);
void merge_set_free(merge_set *s);

static inline const run_case *merge_cell(const merge_set *s, size_t row, size_t machine)
{
    return s->cells[row * s->n_machines + machine];
}

/* What the cell (row, machine) holds, and in *why (never NULL) the reason shown for the
 * cells that hold no figure: the run's reason, "shape not run", "not in this build". */
merge_cell_kind merge_cell_kind_of(const merge_set *s, size_t row, size_t machine,
                                   const char **why);

/* 1 when the implementation of row is the fastest of its group on machine. */
int merge_is_fastest(const merge_set *s, size_t row, size_t machine);

/* The group that row belongs to. */
const merge_group *merge_group_of(const merge_set *s, size_t row);

/* The accuracy cell text's reason when there is no record: the implementation was skipped on
 * that machine (its reason), is not in that build, or was not swept (--no-accuracy). */
const char *merge_acc_missing_reason(const merge_set *s, size_t acc_row, size_t machine);

#endif
