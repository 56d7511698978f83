/* report_file.c - report files written through path + ".tmp" and renamed into place
 * (report_file.h). */
#include "report_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int report_file_open(report_file *rf, const char *path)
{
    memset(rf, 0, sizeof *rf);
    rf->path = path;
    size_t n = strlen(path);
    rf->tmp = malloc(n + sizeof ".tmp");
    if (!rf->tmp) {
        fprintf(stderr, "posenc: cannot write %s: %s\n", path, strerror(ENOMEM));
        return -1;
    }
    memcpy(rf->tmp, path, n);
    memcpy(rf->tmp + n, ".tmp", sizeof ".tmp");
    rf->f = fopen(rf->tmp, "wb");
    if (!rf->f) {
        fprintf(stderr, "posenc: cannot write %s: %s\n", path, strerror(errno));
        free(rf->tmp);
        rf->tmp = NULL;
        return -1;
    }
    return 0;
}

void report_file_stdout(report_file *rf)
{
    memset(rf, 0, sizeof *rf);
    rf->f = stdout;
    rf->path = "standard output";
}

void report_file_write(report_file *rf, const void *data, size_t n)
{
    if (rf->error || n == 0)
        return;
    errno = 0;
    if (fwrite(data, 1, n, rf->f) != n)
        rf->error = errno ? errno : EIO;
}

void report_file_puts(report_file *rf, const char *s) { report_file_write(rf, s, strlen(s)); }

void report_file_printf(report_file *rf, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        report_file_write(rf, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        rf->error = rf->error ? rf->error : ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    report_file_write(rf, big, (size_t)n);
    free(big);
}

int report_file_commit(report_file *rf)
{
    int e = rf->error;
    if (rf->f == stdout) { /* report_file_stdout: flushed, kept open, nothing to rename */
        errno = 0;
        if (!e && (fflush(stdout) != 0 || ferror(stdout)))
            e = errno ? errno : EIO;
        if (e)
            fprintf(stderr, "posenc: cannot write %s: %s\n", rf->path, strerror(e));
        rf->f = NULL;
        return e ? -1 : 0;
    }
    if (!e && ferror(rf->f)) /* a writer that printed to rf->f directly */
        e = EIO;
    errno = 0;
    if (!e && fflush(rf->f) != 0)
        e = errno ? errno : EIO;
    errno = 0;
    if (fclose(rf->f) != 0 && !e) /* the last buffered bytes can fail here (a full disk, NFS) */
        e = errno ? errno : EIO;
    rf->f = NULL;
    int rc = 0;
    if (e) {
        fprintf(stderr, "posenc: cannot write %s: %s\n", rf->path, strerror(e));
        rc = -1;
    } else if (rename(rf->tmp, rf->path) != 0) {
        fprintf(stderr, "posenc: cannot rename %s to %s: %s\n", rf->tmp, rf->path,
                strerror(errno));
        rc = -1;
    }
    if (rc)
        remove(rf->tmp);
    free(rf->tmp);
    rf->tmp = NULL;
    return rc;
}

void report_file_abort(report_file *rf)
{
    if (rf->f && rf->f != stdout)
        fclose(rf->f);
    rf->f = NULL;
    if (rf->tmp)
        remove(rf->tmp);
    free(rf->tmp);
    rf->tmp = NULL;
}
