/* merge_load.h - reads one run.json (a run folder or the file itself) back into the run model
 * for `posenc merge`, refusing records that are not posenc runs of a schema version it knows. */
#ifndef POSENC_MERGE_LOAD_H
#define POSENC_MERGE_LOAD_H

#include <stddef.h>

#include "run_model.h"

/* The oldest run.json schema_version merge reads. Version 2 only added fields merge does not
 * need (results/README.md), so runs recorded before it still merge; newer versions are refused
 * because this reader cannot know what they changed. */
#define MERGE_MIN_SCHEMA_VERSION 1

/* Read the run at path: a folder holding run.json, or a run.json file. Fills *r with the run,
 * the machine, the build, every case (status, reason, shape size, speed figures) and the
 * accuracy records; numbers that are null become NaN, each case's `accuracy` points at its
 * implementation's exact-mode record in r->accuracy. Fields merge does not use are left zero.
 * Returns 0, or -1 with one line in err (no newline) naming the file and what is wrong: a path
 * that does not exist, text that is not JSON, a "schema" other than posenc-run, an unknown
 * schema_version, a missing or mistyped field (with its JSON pointer). */
int merge_load_run(const char *path, run_record *r, char *err, size_t err_size);

/* Release what merge_load_run allocated in r (its cases and accuracy records). */
void merge_free_run(run_record *r);

#endif
