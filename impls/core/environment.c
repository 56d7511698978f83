/* environment.c - the check of POSENC_IMPL, POSENC_DISABLE_CPU_FEATURES and
 * POSENC_STREAM_THRESHOLD that every plan creation (and posenc_check_environment) makes: a
 * misspelt name is an error, never a silent fallback to another implementation. */
#include "core/environment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/streaming.h"

/* "all, avx512, sse4.1, avx, ...": every name the list accepts, for the error message. */
static void known_feature_names(char *buf, size_t size)
{
    int n = snprintf(buf, size, "all, avx512");
    for (int b = 0; b < 64 && n >= 0 && (size_t)n < size; b++) {
        const char *name = posenc_cpu_feature_name(UINT64_C(1) << b);
        if (name)
            n += snprintf(buf + n, size - (size_t)n, ", %s", name);
    }
}

static int check_disabled_features(void)
{
    uint64_t mask;
    size_t bad_len = 0;
    const char *bad =
        posenc_disable_list_parse(getenv("POSENC_DISABLE_CPU_FEATURES"), &mask, &bad_len);
    if (!bad)
        return POSENC_OK;
    char known[256];
    known_feature_names(known, sizeof known);
    int len = bad_len > 64 ? 64 : (int)bad_len;
    return posenc_fail(POSENC_ERR_ARGUMENT,
                       "POSENC_DISABLE_CPU_FEATURES: unknown feature '%.*s' (known: %s)", len,
                       bad, known);
}

int posenc_env_check(void)
{
    int rc = check_disabled_features();
    if (!rc)
        rc = posenc_stream_env_check();
    if (rc)
        return rc;
    static const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const posenc_impl *forced;
        rc = posenc_forced_impl(kinds[k], &forced);
        if (rc)
            return rc;
    }
    return POSENC_OK;
}

int posenc_check_environment(void)
{
    posenc_clear_error();
    return posenc_env_check();
}
