/* run_load.h - a run.json read back for `posenc compare`: the run record run_read fills (which
 * checks every field's type and name, so a broken or foreign record is refused with the JSON
 * pointer of what is wrong), with what the comparison adds to it: the schema version it needs,
 * the CPU features as a list, the case index by id, and each case's repetitions as samples. The
 * comparison reads the record's own cases and accuracy records; nothing is copied. */
#ifndef POSENC_RUN_LOAD_H
#define POSENC_RUN_LOAD_H

#include <stddef.h>

#include "run_record.h"

/* A loaded run: its record is read.run. */
typedef struct cmp_run {
    run_read_result read;
    const char *path;           /* the run.json that was read (read.file) */
    char *folder;               /* the run folder when the argument was one, else NULL */
    char *feature_words;        /* machine.cpu_features, cut into the strings of `features` */
    size_t n_features;
    const char **features;      /* machine.cpu_features */
    size_t *by_id;              /* case indices sorted by id, for run_find_case */
} cmp_run;

/* The oldest run.json schema_version posenc compare takes: version 1 lacks the instruction counts
 * and "dispatched", version 2 the machine kind and the CPU's identity; versions 4 to 7 only
 * added the variants, the bf16 and fp16 angle modes, the cases' element types and the 16-bit
 * accuracy records (float32 before version 6), and the cases' thread counts, so a version 3
 * baseline compares with a version 7 run. */
#define RUN_LOAD_MIN_SCHEMA_VERSION 3

/* Read the run at arg: a run folder (its run.json) or a run.json file, with run_read. The
 * document must be JSON whose "schema" is "posenc-run" and whose "schema_version" is
 * RUN_LOAD_MIN_SCHEMA_VERSION to RUN_SCHEMA_VERSION, with every field
 * of the type results/README.md gives it, and no case id twice.
 * label ("BASE", "NEW") starts the error line. Returns 0, or -1 after one line on stderr saying
 * which file and what is wrong; *run is then empty (run_free is still fine). */
int run_load(const char *arg, const char *label, cmp_run *run);

void run_free(cmp_run *run);

/* The case of `run` with this id, element type and thread count, or NULL. Cases on different
 * element types or thread counts are never the same case, whatever their ids say. */
const run_case *run_find_case(const cmp_run *run, const char *id, run_dtype dtype, int threads);

/* The case of `run` with this id, whatever its element type, or NULL. */
const run_case *run_find_id(const cmp_run *run, const char *id);

/* A case's samples: the repetitions of a case that ran (speed.times_ns, the first
 * min(repetitions, 32), as run_read checked them), none for one that did not. */
static inline size_t cmp_n_times(const run_case *c)
{
    if (c->status != RUN_STATUS_OK || c->repetitions <= 0)
        return 0;
    return c->repetitions < 32 ? (size_t)c->repetitions : 32;
}

/* The median of the case's samples; NaN without any. */
double cmp_median_ns(const run_case *c);

/* The implementation whose instructions were counted for a case that ran (its own, or a
 * stand-in's), or NULL when it has no count. */
static inline const char *cmp_counted(const run_case *c)
{
    return c->status == RUN_STATUS_OK && c->instructions_impl[0] ? c->instructions_impl : NULL;
}

#endif
