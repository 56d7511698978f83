/* run_load.h - a run.json read back for `posenc compare`: the run model run_read fills (which
 * checks every field's type, so a broken or foreign record is refused with the JSON pointer of
 * what is wrong), seen as the fields the comparison uses, with its case index. */
#ifndef POSENC_RUN_LOAD_H
#define POSENC_RUN_LOAD_H

#include <stddef.h>

#include "run_read.h"

/* One implementation's accuracy record (a case's inlined one or an entry of the top-level
 * "accuracy"). A null number is NaN. */
typedef struct cmp_accuracy {
    const char *implementation;
    const char *angle_mode;     /* "exact", "fp32", "bf16", "fp16" */
    const char *dtype;          /* "f32", "bf16", "f16" (records before version 6: "f32") */
    double bound_u, max_err_u;
    double apply_bound_u, apply_max_err_u;
    /* 16-bit data: ulps of the type beyond the float32 share, and their bound */
    double max_err_type_ulp, apply_max_err_type_ulp, bound_type_ulp;
    int within_bound;           /* 1 true, 0 false, -1 null (no bound: fp32 mode) */
} cmp_accuracy;

typedef struct cmp_case {
    const char *id, *group, *implementation, *status;
    const char *dtype;          /* "f32", "bf16", "f16": part of the case's identity */
    int threads;                /* threads the call was split over (1 before version 7): part
                                   of the case's identity too */
    int dispatched;
    int ok;                     /* status is "ok": the speed fields hold measurements */
    size_t n_times;             /* speed.times_ns, every repetition (ok cases) */
    const double *times_ns;
    double median_ns;           /* the median of times_ns; NaN without repetitions */
    double mempass_median_ns;   /* NaN when null */
    double instructions_per_element; /* NaN when null (not counted) */
    const char *instructions_source;   /* "perf", "callgrind"; NULL when not counted */
    const char *instructions_impl;     /* the implementation counted; NULL when not counted */
    const char *instructions_note;     /* why not counted; NULL when there is no note */
    int has_accuracy;
    cmp_accuracy accuracy;      /* the inlined exact-mode record when has_accuracy */
} cmp_case;

/* A loaded run. Strings and times point into the run model in `read`, which the run owns. */
typedef struct cmp_run {
    run_read_result read;
    const char *path;           /* the run.json that was read (read.file) */
    char *folder;               /* the run folder when the argument was one, else NULL */
    char *feature_words;        /* machine.cpu_features, cut into the strings of `features` */
    const char *id, *host, *cpu_model, *arch, *compiler;
    const char *kind;           /* machine.kind; machine.cpu_id is read.run.cpu_* */
    int emulated;
    size_t n_features;
    const char **features;      /* machine.cpu_features */
    size_t n_cases;
    cmp_case *cases;
    size_t n_accuracy;
    cmp_accuracy *accuracy;     /* the top-level "accuracy" */
    size_t *by_id;              /* case indices sorted by id, for run_find_case */
} cmp_run;

/* The oldest run.json schema_version posenc compare takes: version 1 lacks the instruction counts
 * and "dispatched", version 2 the machine kind and the CPU's identity; versions 4 to 6 only
 * added the variants, the bf16 and fp16 angle modes, the cases' element types and the 16-bit
 * accuracy records (float32 before version 6), so a version 3 baseline compares with a version 6
 * run. */
#define RUN_LOAD_MIN_SCHEMA_VERSION 3

/* Read the run at arg: a run folder (its run.json) or a run.json file, with run_read. The
 * document must be JSON whose "schema" is "posenc-run" and whose "schema_version" is
 * RUN_LOAD_MIN_SCHEMA_VERSION to RUN_SCHEMA_VERSION, with every field
 * of the type results/README.md gives it, and no case id twice.
 * label ("BASE", "NEW") starts the error line. Returns 0, or -1 after one line on stderr saying
 * which file and what is wrong; *run is then empty (run_free is still fine). */
int run_load(const char *arg, const char *label, cmp_run *run);

void run_free(cmp_run *run);

/* The case of `run` with this id, element type (run.json's dtype: "f32", "bf16", "f16") and
 * thread count, or NULL. Cases on different element types or thread counts are never the same
 * case, whatever their ids say. */
const cmp_case *run_find_case(const cmp_run *run, const char *id, const char *dtype,
                              int threads);

/* The case of `run` with this id, whatever its element type, or NULL. */
const cmp_case *run_find_id(const cmp_run *run, const char *id);

#endif
