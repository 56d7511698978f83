/* analysis_view.h - the analysis (harness/analyze/analysis.h) as summary.md and report.html of
 * a `posenc analyze` run. Placeholder until the views are written. */
#ifndef POSENC_ANALYSIS_VIEW_H
#define POSENC_ANALYSIS_VIEW_H

#include "analysis.h"

int analysis_write_md(const analysis_record *r, const char *path);
int analysis_write_html(const analysis_record *r, const char *path);

#endif
