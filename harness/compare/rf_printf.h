/* rf_printf.h - printf into a report_file (write_json.h), so that a failed write is remembered
 * and reported by report_file_commit like every other write of the report writers. */
#ifndef POSENC_RF_PRINTF_H
#define POSENC_RF_PRINTF_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "write_json.h"

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static inline void rf_printf(report_file *rf, const char *fmt, ...)
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

#endif
