/* harness_util.c - the monotonic clock, the exit-on-failure allocators and mkdir -p of
 * harness_util.h. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "harness_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int harness_make_dirs(const char *path)
{
    char *p = harness_xmalloc(strlen(path) + 1);
    strcpy(p, path);
    int rc = 0;
    for (char *c = p + 1; rc == 0; c++) { /* each '/' after the first byte, then the whole */
        const char end = *c;
        if (end != '/' && end != '\0')
            continue;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "%s: cannot create %s: %s\n", harness_name, p, strerror(errno));
            rc = -1;
        }
        *c = end;
        if (end == '\0')
            break;
    }
    free(p);
    return rc;
}

const char *harness_fmt_duration(char *buf, size_t n, double s)
{
    const long v = s > 0 ? (long)(s + 0.5) : 0;
    if (v >= 3600)
        snprintf(buf, n, "%ldh%02ldm", v / 3600, v / 60 % 60);
    else
        snprintf(buf, n, "%ldm%02lds", v / 60, v % 60);
    return buf;
}
