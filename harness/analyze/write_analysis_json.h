/* write_analysis_json.h - analysis.json: the record of `posenc analyze` (analysis.h), in the
 * shape results/analysis.schema.json gives and results/README.md documents. */
#ifndef POSENC_WRITE_ANALYSIS_JSON_H
#define POSENC_WRITE_ANALYSIS_JSON_H

#include "analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes r to path through path.tmp renamed on success: never a partial file. Returns 0, or -1
 * after one line on stderr naming the path and the reason. */
int analysis_write_json(const analysis_record *r, const char *path);

#ifdef __cplusplus
}
#endif

#endif
