/* write_html.h - report.html: the human report of one run, a single HTML5 file with inline CSS
 * and SVG plots (svg_plot.h) that opens offline, written from the run model (run_record.h). */
#ifndef POSENC_WRITE_HTML_H
#define POSENC_WRITE_HTML_H

#include <stdio.h>

#include "run_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes r to path: the machine and build, plots of time per element, speedup over scalar,
 * fraction of the memory pass, error per decade of position, speed against accuracy and
 * encoding time against attention-score time, then every case and every accuracy record.
 * Skipped and failed cases appear with their reason in the plots and tables.
 * The file is written as path + ".tmp" and renamed to path once complete, so a reader never
 * sees half a report. Returns 0; or -1 after one line on stderr naming path and the system's
 * reason, with no file left behind. Ends the program when memory runs out (harness_util.h). */
int report_write_html(const run_record *r, const char *path);

#ifdef __cplusplus
}
#endif

#endif
