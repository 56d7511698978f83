/* fuzz_common.h - what the fuzz targets share: the input as a file the code under test opens by
 * path, invariant checks that abort with a message, and the largest allocation made by a call. */
#ifndef POSENC_FUZZ_COMMON_H
#define POSENC_FUZZ_COMMON_H

#define _POSIX_C_SOURCE 200809L /* mkstemp, ftruncate, pwrite */

#include <sanitizer/allocator_interface.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* abort() is what libFuzzer records as a crash (with the input that caused it); the message says
 * which promise was broken, the sanitizer's stack trace where. */
#define FUZZ_CHECK(cond, ...)                                                                    \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fprintf(stderr, "fuzz: invariant broken at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                        \
            fputc('\n', stderr);                                                                 \
            abort();                                                                             \
        }                                                                                        \
    } while (0)

/* ---- the input as a file ------------------------------------------------------------------- */

/* One regular file per process, rewritten for each input: the loaders take a path, and they are
 * meant to accept regular files only (no memfd or /proc/self/fd link). It lives in $TMPDIR (or
 * /tmp); scripts/fuzz points TMPDIR into the build folder, so a crashed run's file stays there. */
static char fuzz_path[4096];
static int fuzz_fd = -1;

static inline void fuzz_remove_file(void)
{
    if (fuzz_fd >= 0)
        unlink(fuzz_path);
}

static inline const char *fuzz_input_file(const uint8_t *data, size_t size)
{
    if (fuzz_fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(fuzz_path, sizeof fuzz_path, "%s/posenc-fuzz-XXXXXX", dir && *dir ? dir : "/tmp");
        fuzz_fd = mkstemp(fuzz_path);
        FUZZ_CHECK(fuzz_fd >= 0, "cannot create a temporary file in %s", fuzz_path);
        atexit(fuzz_remove_file);
    }
    FUZZ_CHECK(ftruncate(fuzz_fd, 0) == 0, "ftruncate %s", fuzz_path);
    for (size_t done = 0; done < size;) {
        ssize_t w = pwrite(fuzz_fd, data + done, size - done, (off_t)done);
        FUZZ_CHECK(w > 0, "cannot write %s", fuzz_path);
        done += (size_t)w;
    }
    return fuzz_path;
}

/* ---- the largest single allocation ---------------------------------------------------------- */

/* Sanitizer malloc hooks see every allocation; while watching, the largest is kept. A loader
 * must prove sizes from what it read before it allocates (issue 9), so no allocation may exceed
 * a bound in the file's size: a header promising gigabytes in a few hundred bytes is caught even
 * when the allocation would succeed. */
#define FUZZ_ALLOC_SLACK (64u << 10) /* fixed buffers: stdio's, a loader's chunk, a few KiB */
/* The float32 table a loader builds is at most twice the bytes it read (F16, BF16). */
#define FUZZ_ALLOC_BOUND(file_size) (2 * (size_t)(file_size) + FUZZ_ALLOC_SLACK)

static volatile int fuzz_watching;
static volatile size_t fuzz_largest;

static inline void fuzz_malloc_hook(const volatile void *ptr, size_t size)
{
    (void)ptr;
    if (fuzz_watching && size > fuzz_largest)
        fuzz_largest = size;
}

static inline void fuzz_free_hook(const volatile void *ptr) { (void)ptr; }

static inline void fuzz_install_hooks(void)
{
    static int installed;
    if (!installed++)
        __sanitizer_install_malloc_and_free_hooks(fuzz_malloc_hook, fuzz_free_hook);
}

static inline void fuzz_watch_start(void)
{
    fuzz_largest = 0;
    fuzz_watching = 1;
}

static inline size_t fuzz_watch_stop(void)
{
    fuzz_watching = 0;
    return fuzz_largest;
}

/* Little-endian integers of the input, for the targets' own view of the format. */
static inline uint64_t fuzz_le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    while (n--)
        v = v << 8 | p[n];
    return v;
}

#endif
