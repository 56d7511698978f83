/* analysis_view.c - placeholder until the views are written: writes nothing. */
#include "analysis_view.h"

int analysis_write_md(const analysis_record *r, const char *path)
{
    (void)r;
    (void)path;
    return 0;
}

int analysis_write_html(const analysis_record *r, const char *path)
{
    (void)r;
    (void)path;
    return 0;
}
