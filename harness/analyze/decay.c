/* decay.c - placeholder until the section is written: records that it did not run. */
#include "analysis.h"

int analyze_run_decay(const analyze_config *c, analysis_record *r)
{
    analysis_add_skip(r, c, "decay", "not built yet");
    return 0;
}
