/* invariance.c - placeholder until the section is written: records that it did not run. */
#include "analysis.h"

int analyze_run_invariance(const analyze_config *c, analysis_record *r)
{
    analysis_add_skip(r, c, "invariance", "not built yet");
    return 0;
}
