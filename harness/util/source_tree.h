/* source_tree.h - what a run records about the source tree the program was built from: its git
 * revision and whether tracked files had changes. */
#ifndef POSENC_SOURCE_TREE_H
#define POSENC_SOURCE_TREE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The revision (40 hex digits) of the git checkout at source_dir into rev, or "unknown" without
 * git or a checkout; *dirty 1 when tracked files have changes, 0 when not, -1 unknown. */
void source_git_state(const char *source_dir, char *rev, size_t rev_size, int *dirty);

#ifdef __cplusplus
}
#endif

#endif
