/* write_analysis_json.c - placeholder until the writer is written. */
#include "write_analysis_json.h"

int analysis_write_json(const analysis_record *r, const char *path)
{
    (void)r;
    fprintf(stderr, "posenc analyze: %s: the analysis.json writer is not built yet\n", path);
    return -1;
}
