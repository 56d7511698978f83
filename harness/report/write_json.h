/* write_json.h - run.json, the machine-readable record of one `posenc bench` run (schema in
 * results/run.schema.json, fields in results/README.md), and what every report file writer
 * shares: output through a temporary file renamed into place, and number formatting. */
#ifndef POSENC_WRITE_JSON_H
#define POSENC_WRITE_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "run_model.h"

/* Write the record to path as run.json (schema_version RUN_SCHEMA_VERSION). NaN and infinite
 * doubles become null, and so does every speed field of a case whose status is not "ok";
 * strings are written as valid UTF-8 (a byte sequence that is not UTF-8, such as a multi-byte
 * character cut by a fixed-size field, becomes U+FFFD). Returns 0, or -1 after one line on
 * stderr naming the path and the system's reason; path is then left as it was (absent, or its
 * previous content). */
int report_write_json(const run_record *r, const char *path);

/* ---- output through path + ".tmp" ---------------------------------------------------------- */

/* An output file being written: writes go to path + ".tmp", which report_file_commit renames
 * to path only if every write, the flush and the close succeeded. A reader of path never sees
 * a half-written file, and a failed run leaves no stray file behind. */
typedef struct report_file {
    FILE *f;
    const char *path;   /* the caller's string: it must live until commit or abort */
    char *tmp;
    int error;          /* errno of the first failed write, 0 while all went well */
} report_file;

/* Create path + ".tmp". Returns 0, or -1 after the stderr line (nothing to commit or abort). */
int report_file_open(report_file *rf, const char *path);

/* Append n bytes; a failure is remembered and reported by commit, later writes do nothing. */
void report_file_write(report_file *rf, const void *data, size_t n);
void report_file_puts(report_file *rf, const char *s);

/* Flush, close and rename into place. Returns 0, or -1 after the stderr line with the
 * temporary file removed. */
int report_file_commit(report_file *rf);

/* Close and remove the temporary file without touching path (the caller found the record
 * unusable and said so). */
void report_file_abort(report_file *rf);

/* ---- values -------------------------------------------------------------------------------- */

/* A finite double in the fewest significant digits (at most 17) that read back (strtod) as the
 * same double, as "%g" spells it: "0.1", "1e+300", "-0", "512". A decimal separator other than
 * '.' (a caller's locale) is replaced. buf must hold 32 bytes; returns the length. */
size_t report_format_double(double v, char buf[32]);

/* The length of a string held in a fixed-size field: up to its NUL, at most cap bytes, so a
 * field filled without a terminator is still read safely. */
size_t report_field_len(const char *s, size_t cap);

#endif
