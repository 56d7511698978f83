/* write_json.h - the number formatting every report writer shares (their output goes through
 * report_file.h, included here for them); run.json itself is declared with the record, in
 * run_record.h. */
#ifndef POSENC_WRITE_JSON_H
#define POSENC_WRITE_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "report_file.h"

/* ---- values -------------------------------------------------------------------------------- */

/* A finite double in the fewest significant digits (at most 17) that read back (strtod) as the
 * same double, as "%g" spells it: "0.1", "1e+300", "-0", "512". A decimal separator other than
 * '.' (a caller's locale) is replaced. buf must hold 32 bytes; returns the length. */
size_t report_format_double(double v, char buf[32]);

/* The length of a string held in a fixed-size field: up to its NUL, at most cap bytes, so a
 * field filled without a terminator is still read safely. */
size_t report_field_len(const char *s, size_t cap);

#endif
