/* report_file.h - how every report file is written: through path + ".tmp", renamed into place
 * only when every write, the flush and the close succeeded, so a reader never sees a
 * half-written report and a failed run leaves no stray file. */
#ifndef POSENC_REPORT_FILE_H
#define POSENC_REPORT_FILE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

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

/* Standard output as a report file (`posenc list --json`): writes go straight to stdout, commit
 * flushes it and reports a failed write (path reads "standard output"), nothing is renamed. */
void report_file_stdout(report_file *rf);

/* Append n bytes; a failure is remembered and reported by commit, later writes do nothing.
 * A writer may also print to rf->f directly: commit checks the stream's error flag too. */
void report_file_write(report_file *rf, const void *data, size_t n);
void report_file_puts(report_file *rf, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void report_file_printf(report_file *rf, const char *fmt, ...);

/* Flush, close and rename into place. Returns 0, or -1 after the stderr line with the
 * temporary file removed. */
int report_file_commit(report_file *rf);

/* Close and remove the temporary file without touching path (the caller found the record
 * unusable and said so). */
void report_file_abort(report_file *rf);

#ifdef __cplusplus
}
#endif

#endif
