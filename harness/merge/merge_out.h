/* merge_out.h - the files `posenc merge` writes: each written whole to NAME.tmp in the output
 * folder, and only when all of them were written are they renamed into place, so a failed
 * merge leaves neither half-written files nor a mix of old and new ones. */
#ifndef POSENC_MERGE_OUT_H
#define POSENC_MERGE_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "merge_matrix.h"

/* Writes one file's content from the matrix; errors show in ferror(f). */
typedef void (*merge_writer)(const merge_set *s, FILE *f);

typedef struct merge_output {
    const char *name;     /* "merge.md" */
    merge_writer write;
} merge_output;

/* Create dir when missing (with its parents), write outs[0, n) there and rename them into
 * place. Returns 0, or -1 after one line on stderr starting with prog and naming the file and
 * the system's reason; the .tmp files are then removed. */
int merge_write_outputs(const merge_set *s, const char *dir, const merge_output *outs, size_t n,
                        const char *prog);

/* The three outputs (merge_md.c, merge_csv.c, merge_html.c). */
void merge_write_md(const merge_set *s, FILE *f);
void merge_write_csv(const merge_set *s, FILE *f);
void merge_write_html(const merge_set *s, FILE *f);

#endif
