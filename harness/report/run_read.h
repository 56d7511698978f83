/* run_read.h - a run.json (a run folder or the file itself) read back into the run model, with
 * the schema name, the schema version and every field taken checked, for `posenc merge`,
 * `posenc compare` and the tests. */
#ifndef POSENC_RUN_READ_H
#define POSENC_RUN_READ_H

#include <stddef.h>

#include "run_model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The oldest run.json schema_version run_read accepts. Later versions only added fields and
 * values (results/README.md), so older records still read, with those fields absent; newer
 * versions are refused because this reader cannot know what they changed. A command that needs
 * the newer fields checks run_read_result.schema_version itself. */
#define RUN_READ_MIN_SCHEMA_VERSION 1

typedef struct run_read_result {
    run_record run;     /* owns its cases and accuracy arrays */
    int schema_version; /* as the file states, RUN_READ_MIN_SCHEMA_VERSION..RUN_SCHEMA_VERSION */
    char *file;         /* the run.json read: the argument, or the argument's run.json */
} run_read_result;

/* Read the run at path: a folder holding run.json, or a run.json file.
 *
 * Fills out->run with the run (id, started_utc, command, quick, suite, angle_mode), the machine
 * (host, kind, cpu_model, arch, the cpu_id fields, emulated, cores, mhz, cpu_features and
 * cpu_features_detected as space-separated words), the build (posenc_version, compiler, flags,
 * git_revision, git_dirty), every case (id, group, encoding, op, dtype, model, implementation,
 * dispatched, threads, status, reason, shape name, elements, bytes, and from speed: repetitions,
 * times_ns, median_ns, ns_per_element, mempass_median_ns, ratio_to_mempass,
 * speedup_over_scalar, instructions_per_element, instructions_source, instructions_impl,
 * instructions_note) and the top-level accuracy records (everything but the worst position and
 * the decades). A null number is NaN, a null string "", a null boolean -1 where the model has a
 * third state, a null cpu_id number -1. Version 1 records have no "dispatched" (a case whose id
 * ends in "/impl=dispatch" is the dispatch case) and no instruction counts (NaN, ""); versions
 * 1 and 2 have no machine kind and no cpu_id ("", -1), and their counts are of the case's own
 * implementation (instructions_impl is set to it). Before version 6 a case has no "dtype" and
 * accuracy records have none either: both are float32 ("f32", the type-ulp figures NaN); a
 * dtype other than f32, bf16 or f16 is refused. Before version 7 a case has no "threads": it
 * ran on one thread (1); a count below 1 is refused. A case's `accuracy` points at the top-level
 * record its inlined one repeats (same implementation, angle mode and dtype), NULL when that
 * is null.
 * Fields not listed are left NaN (numbers) or zero. Strings longer than the model's fields are
 * cut, as the writer cuts them; counts above 2^63 are the nearest double, at most 2^64 - 1.
 * Integers are taken by value, as JSON Schema counts them (2 and 2.0 alike).
 *
 * Returns 0, or -1 with one line in why (no newline) naming the file and what is wrong: a path
 * that does not exist, a folder without run.json, text that is not JSON (jansson's message with
 * the line and column, harness/util/json_doc.h), a "schema" other than
 * "posenc-run", a schema_version outside the range above, a field missing or of the wrong type
 * (with its JSON pointer), a dtype that is not "f32", "bf16" or "f16", times_ns not matching
 * repetitions, an inlined case accuracy without
 * its top-level record. *out is then empty, and run_read_free on it is harmless. */
int run_read(const char *path, run_read_result *out, char *why, size_t why_size);

/* Release what run_read allocated in r and empty it. */
void run_read_free(run_read_result *r);

#ifdef __cplusplus
}
#endif

#endif
