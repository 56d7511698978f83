/* harness_util.c - the monotonic clock and the exit-on-failure allocators of harness_util.h. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "harness_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char *harness_name = "posenc";

void harness_set_name(const char *name) { harness_name = name; }

double harness_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *or_exit(void *p)
{
    if (!p) {
        fprintf(stderr, "%s: out of memory\n", harness_name);
        exit(1);
    }
    return p;
}

void *harness_xmalloc(size_t n) { return or_exit(malloc(n ? n : 1)); }

void *harness_xrealloc(void *p, size_t n) { return or_exit(realloc(p, n ? n : 1)); }

void *harness_xaligned_alloc(size_t align, size_t n)
{
    /* C11 wants the size to be a multiple of the alignment */
    return or_exit(aligned_alloc(align, (n + align - 1) / align * align));
}
