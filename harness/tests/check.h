/* check.h - the few assertion macros the ctest programs share. A failed CHECK prints where and
 * why and counts; a program returns tests_exit_code() so ctest sees any failure. */
#ifndef POSENC_TESTS_CHECK_H
#define POSENC_TESTS_CHECK_H

#include <stdio.h>

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

static inline int tests_exit_code(const char *name)
{
    printf("%s: %d checks passed, %d failed\n", name, check_passes, check_failures);
    return check_failures ? 1 : 0;
}

#endif
