/* write_csv.h - results.csv: one row per case of a run, for spreadsheets and plotting scripts. */
#ifndef POSENC_WRITE_CSV_H
#define POSENC_WRITE_CSV_H

#include "run_record.h"

/* Write the record's cases to path as RFC 4180 CSV: one header row naming the columns (listed in
 * results/README.md), then one row per case, CRLF line ends, a field quoted (quotes doubled)
 * when it holds a comma, a quote, CR or LF. A NaN double, a figure that does not apply, the
 * speed of a case that did not run and the accuracy of a case without a sweep are empty fields.
 * Strings are written as valid UTF-8, as in run.json. Returns 0, or -1 after one line on stderr
 * naming the path and the system's reason; path is then left as it was. */
int report_write_csv(const run_record *r, const char *path);

#endif
