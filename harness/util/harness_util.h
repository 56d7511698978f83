/* harness_util.h - process helpers the harness programs share: a monotonic clock for the timing
 * lines and allocation that ends the program when memory runs out. */
#ifndef POSENC_HARNESS_UTIL_H
#define POSENC_HARNESS_UTIL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The name the out-of-memory message starts with ("test_accuracy", "posenc accuracy"); set it
 * once at the start of the program or command. */
void harness_set_name(const char *name);

/* Seconds on the monotonic clock: only differences mean anything. */
double harness_now_s(void);

/* A duration for progress lines, "0m42s", "3m05s" or "1h02m" (s rounded to whole seconds);
 * returns buf. n of 16 holds any duration below 10^8 hours. */
const char *harness_fmt_duration(char *buf, size_t n, double s);

/* malloc, realloc and aligned_alloc that print "<name>: out of memory" and exit(1) instead of
 * returning NULL. A harness run without its buffers has nothing useful left to do, and exit
 * code 1 is what both the tests and `posenc accuracy` use for an error. harness_xmalloc(0)
 * returns a valid pointer. */
void *harness_xmalloc(size_t n);
void *harness_xrealloc(void *p, size_t n);
void *harness_xaligned_alloc(size_t align, size_t n);

/* mkdir -p: path and every missing parent, mode 0777 before the umask. Returns 0, or -1 after
 * "<name>: cannot create <dir>: <reason>" on stderr. */
int harness_make_dirs(const char *path);

#ifdef __cplusplus
}
#endif

#endif
