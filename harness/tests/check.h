/* check.h - what the ctest programs share to run and report: the assertion macros (a failed
 * CHECK prints where and why and counts), the --quick switch of the long tests, and
 * tests_exit_code(), which a program returns so ctest sees any failure, and tests_skip() and
 * tests_skip_part(), whose exit code ctest reports as a skip (SKIP_RETURN_CODE in
 * harness/tests/CMakeLists.txt), never as a pass. */
#ifndef POSENC_TESTS_CHECK_H
#define POSENC_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_passes;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (cond) {                                                                         \
            check_passes++;                                                                 \
        } else {                                                                            \
            check_failures++;                                                               \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                                   \
            fputc('\n', stderr);                                                            \
        }                                                                                   \
    } while (0)

/* CHECK that an int-returning call gives the expected posenc code. */
#define CHECK_CODE(call, expected)                                                          \
    do {                                                                                    \
        int check_rc_ = (call);                                                             \
        CHECK(check_rc_ == (expected), "%s returned %d (%s), expected %d", #call, check_rc_, \
              posenc_strerror(check_rc_), (int)(expected));                                 \
    } while (0)

/* The sample size of a long test: 1 for the small one (--quick, or POSENC_TEST_QUICK set to
 * anything but "" or "0", which lets scripts shrink every test without knowing their options),
 * 0 for the full one, -1 after a usage message on any other argument (exit with 2 then). */
static inline int tests_parse_quick(int argc, char **argv, const char *name)
{
    int quick = 0;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--quick")) {
            quick = 1;
        } else {
            fprintf(stderr, "usage: %s [--quick]\n", name);
            return -1;
        }
    }
    const char *env = getenv("POSENC_TEST_QUICK");
    if (env && *env && strcmp(env, "0"))
        quick = 1;
    return quick;
}

/* The whole file at path, NUL-terminated (the caller frees it), its length in *len when len is
 * not NULL; NULL when it cannot be read or memory runs out. */
static inline char *tests_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (cap - n < 2) {
            char *grown = realloc(buf, cap * 2);
            if (!grown)
                free(buf);
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* The exit code ctest counts as "skipped" (every test's SKIP_RETURN_CODE). */
#define TESTS_SKIP_CODE 77

/* Why a part of the program could not run (the first reason given), or NULL. */
static const char *check_skipped_part;

/* A part of the program cannot run here (the schema validation without python3-jsonschema):
 * the rest still runs and its failures still fail the program, but a program that passes ends
 * as skipped with the reason rather than as passed. why must outlive the checks (a literal). */
static inline void tests_skip_part(const char *why)
{
    if (!check_skipped_part)
        fprintf(stderr, "SKIP: %s\n", why);
    if (!check_skipped_part)
        check_skipped_part = why;
}

static inline int tests_exit_code(const char *name)
{
    printf("%s: %d checks passed, %d failed\n", name, check_passes, check_failures);
    if (!check_failures && check_skipped_part) {
        printf("%s: SKIP: %s\n", name, check_skipped_part);
        return TESTS_SKIP_CODE;
    }
    return check_failures ? 1 : 0;
}

/* Say why the whole program tested nothing and return TESTS_SKIP_CODE (a failed check made
 * before still fails the program). */
static inline int tests_skip(const char *name, const char *why)
{
    if (check_failures)
        return tests_exit_code(name);
    printf("%s: SKIP: %s\n", name, why);
    return TESTS_SKIP_CODE;
}

#endif
