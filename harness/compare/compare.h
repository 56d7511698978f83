/* compare.h - `posenc compare BASE NEW`: the speed-regression and accuracy verdict between two
 * runs of `posenc bench`. compare_main is the whole command as a library call (the tests call
 * it, cmd_compare.c hands it the command line); the rest are its steps, one file each:
 * compare_args.c (options), comparable.c (same machine kind and compiler), speed_verdict.c
 * (per case verdicts), accuracy_gate.c (accuracy failures), write_compare_md.c and
 * write_compare_json.c (the reports), compare_main.c (the order of it all and the exit code).
 * results/README.md, section "posenc compare", documents the behaviour and compare.json. */
#ifndef POSENC_COMPARE_H
#define POSENC_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "exit_codes.h"
#include "run_load.h"

#define COMPARE_SCHEMA_VERSION 3 /* compare.json's "schema_version" */

/* `posenc compare` returns the exit codes of exit_codes.h: OK, ERROR, USAGE, SPEED, ACCURACY,
 * SPEED_ACCURACY and NOT_COMPARABLE. */

typedef enum compare_metric {
    METRIC_TIME,            /* each repetition's time, ns */
    METRIC_RELATIVE,        /* each repetition's time over the same run's reference */
    METRIC_INSTRUCTIONS     /* instructions retired per element: one count, no repetitions */
} compare_metric;

typedef enum compare_reference {
    REF_MEMPASS,            /* the case's memory pass, speed.mempass_median_ns */
    REF_SCALAR              /* the median of the same group's "/scalar" case */
} compare_reference;

typedef enum compare_verdict {
    /* in the order of the reports: what needs attention first */
    VERDICT_REGRESSION,
    VERDICT_MISSING,        /* timed in BASE, not in NEW */
    VERDICT_INCONCLUSIVE,   /* reason says why: too few repetitions, not significant, ... */
    VERDICT_IMPROVEMENT,
    VERDICT_NEW,            /* timed in NEW, not in BASE */
    VERDICT_UNCHANGED,
    VERDICT_COUNT
} compare_verdict;

#define COMPARE_DEFAULT_THRESHOLD 0.10
#define COMPARE_DEFAULT_THRESHOLD_INSTRUCTIONS 0.01
#define COMPARE_DEFAULT_ALPHA 0.01

typedef struct compare_options {
    const char *base_arg, *new_arg; /* run folders or run.json files */
    const char *out_dir;            /* NULL: the NEW folder, or "." when NEW is a file */
    compare_metric metric;
    compare_reference reference;    /* METRIC_RELATIVE */
    double threshold;               /* relative change that counts, 0.10 = 10% */
    double alpha;                   /* significance level of the U test */
    const char *filter;             /* POSIX ERE on case ids; NULL: every case */
    int dispatched_only;
    int allow_mismatch;
    int help;                       /* --help was given: print usage, nothing else */
} compare_options;

/* One side of a case. */
typedef struct compare_side {
    const char *implementation;
    const char *counted;   /* instructions: the implementation whose call was counted (this
                              one, or its stand-in); NULL for the other metrics */
    double value;   /* time: median ns; relative: median ratio to the reference;
                       instructions: per element; NaN when there is none */
    size_t n;       /* samples behind value (repetitions; 1 for instructions) */
} compare_side;

typedef struct compare_case_result {
    const char *id;
    int has_base, has_new;          /* the case is timed on that side */
    compare_side base, new_;
    compare_verdict verdict;
    double ratio;                   /* new / base value; NaN when there is not both */
    double p_value;                 /* the U test's; NaN for instructions or no test */
    char reason[200];               /* why inconclusive / missing / new; "" otherwise */
} compare_case_result;

/* One accuracy check of NEW: a top-level record, or the inlined record of a case when that one
 * fails its bound. */
typedef struct compare_accuracy_result {
    const char *case_id;            /* NULL for a top-level record */
    const run_accuracy *acc;        /* NEW's record */
    const run_accuracy *base;       /* BASE's record of the same implementation, angle mode
                                       and element type, or NULL */
    double growth_u, apply_growth_u; /* max_err_u and apply_max_err_u, NEW - BASE; NaN when
                                        either is missing (information, not a verdict) */
    int failed;
    char reason[200];
} compare_accuracy_result;

typedef struct compare_result {
    int comparable;
    size_t n_mismatches;
    char mismatches[8][400];        /* "machine.cpu_id.family: BASE '23', NEW '25'" */
    size_t n_notes;
    char notes[4][400];             /* differences that leave the runs comparable: stepping,
                                       brand string ("machine.cpu_model: BASE 'x', NEW 'y'") */
    int compared;                   /* 0 when not comparable and not allowed: no verdicts */
    size_t n_cases;
    compare_case_result *cases;     /* in report order: regressions first */
    size_t counts[VERDICT_COUNT];
    size_t n_accuracy;
    compare_accuracy_result *accuracy;
    size_t accuracy_failures;
    int exit_code;
    const char *exit_reason;
} compare_result;

/* The command: argv[0] is "compare", then options, BASE and NEW. Prints the summary on stdout,
 * errors on stderr, writes compare.md and compare.json; returns the exit code above. */
int compare_main(int argc, char **argv);

/* compare_args.c: fill *opt from the command line. Returns 0, or COMPARE_USAGE after a line on
 * stderr. A threshold not given becomes the metric's default. */
int compare_parse_args(int argc, char **argv, compare_options *opt);
void compare_usage(FILE *f);

/* compare_args.c too: "time", "relative", "instructions"; "regression", "missing", ... */
const char *compare_metric_name(compare_metric m);
const char *compare_verdict_name(compare_verdict v);

/* A case's value in the metric's unit for the reports: "1.469 ms", "15.3 us", "0.2034". */
void compare_format_value(compare_metric m, double v, char *buf, size_t cap);

/* comparable.c: records in res the fields that differ: as mismatches those of the machine kind
 * (machine.arch, machine.cpu_id's vendor, family, model, implementer and part, the set of
 * machine.cpu_features) and build.compiler; as notes the stepping, variant, revision and
 * machine.cpu_model. Sets res->comparable when there is no mismatch. */
void compare_machines(const cmp_run *base, const cmp_run *new_, compare_result *res);

/* speed_verdict.c: a verdict for every case timed in either run that the options select.
 * Returns 0, or COMPARE_USAGE after a line on stderr when the filter is not a valid ERE. */
int compare_cases(const cmp_run *base, const cmp_run *new_, const compare_options *opt,
                  compare_result *res);

/* accuracy_gate.c: the accuracy checks of NEW (the options' filters select the cases whose
 * inlined records are checked; every top-level record is). */
void compare_accuracy(const cmp_run *base, const cmp_run *new_, const compare_options *opt,
                      compare_result *res);

/* The reports, through NAME.tmp renamed on success. Return 0, or -1 after a line on stderr. */
int compare_write_md(const char *path, const cmp_run *base, const cmp_run *new_,
                     const compare_options *opt, const compare_result *res);
int compare_write_json(const char *path, const cmp_run *base, const cmp_run *new_,
                       const compare_options *opt, const compare_result *res);

void compare_result_free(compare_result *res);

#endif
