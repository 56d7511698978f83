/* source_tree.c - the git state of the source tree, read with the git command. */
#define _POSIX_C_SOURCE 200809L /* popen */

#include "source_tree.h"

#include <stdio.h>
#include <string.h>

void source_git_state(const char *source_dir, char *rev, size_t rev_size, int *dirty)
{
    char cmd[1200];
    snprintf(rev, rev_size, "unknown");
    *dirty = -1;
    if (strchr(source_dir, '\''))
        return; /* not quotable in the command line below */
    snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse HEAD 2>/dev/null", source_dir);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    char line[128] = "";
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    if (pclose(p) != 0 || !line[0])
        return;
    line[strcspn(line, "\r\n")] = '\0';
    snprintf(rev, rev_size, "%s", line);
    snprintf(cmd, sizeof cmd,
             "git -C '%s' status --porcelain --untracked-files=no 2>/dev/null", source_dir);
    p = popen(cmd, "r");
    if (!p)
        return;
    char buf[256];
    int any = fgets(buf, sizeof buf, p) != NULL;
    while (fgets(buf, sizeof buf, p)) {
    }
    *dirty = pclose(p) == 0 ? any : -1;
}
