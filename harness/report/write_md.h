/* write_md.h - summary.md: the run as Markdown tables fit for a pull-request comment. */
#ifndef POSENC_WRITE_MD_H
#define POSENC_WRITE_MD_H

#include <stdio.h>

#include "run_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the summary to f: the machine line, then per encoding a table of case groups (rows)
 * by implementations (columns) with each median and its ratio to the memory pass, the attention
 * context of rotary prefill, the accuracy of every implementation and the skipped ones. Returns
 * 0, or -1 when f reports a write error. */
int report_md_to(const run_record *r, FILE *f);

/* The same into path, through path.tmp renamed on success: never a partial file. Returns 0, or
 * -1 after one line on stderr naming the path and the reason. */
int report_write_md(const run_record *r, const char *path);

#ifdef __cplusplus
}
#endif

#endif
