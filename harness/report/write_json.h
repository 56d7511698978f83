/* write_json.h - run.json, the machine-readable record of one `posenc bench` run (schema in
 * results/run.schema.json, fields in results/README.md), and the number formatting every report
 * writer shares (their output goes through report_file.h, included here for them). */
#ifndef POSENC_WRITE_JSON_H
#define POSENC_WRITE_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "report_file.h"
#include "run_model.h"

/* Write the record to path as run.json (schema_version RUN_SCHEMA_VERSION). NaN and infinite
 * doubles become null, and so does every speed field of a case whose status is not "ok";
 * strings are written as valid UTF-8 (a byte sequence that is not UTF-8, such as a multi-byte
 * character cut by a fixed-size field, becomes U+FFFD). Returns 0, or -1 after one line on
 * stderr naming the path and the system's reason; path is then left as it was (absent, or its
 * previous content). */
int report_write_json(const run_record *r, const char *path);

/* ---- values -------------------------------------------------------------------------------- */

/* A finite double in the fewest significant digits (at most 17) that read back (strtod) as the
 * same double, as "%g" spells it: "0.1", "1e+300", "-0", "512". A decimal separator other than
 * '.' (a caller's locale) is replaced. buf must hold 32 bytes; returns the length. */
size_t report_format_double(double v, char buf[32]);

/* The length of a string held in a fixed-size field: up to its NUL, at most cap bytes, so a
 * field filled without a terminator is still read safely. */
size_t report_field_len(const char *s, size_t cap);

#endif
