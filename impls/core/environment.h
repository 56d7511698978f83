/* environment.h - the environment variables that steer dispatch, POSENC_IMPL and
 * POSENC_DISABLE_CPU_FEATURES, and the streaming threshold's POSENC_STREAM_THRESHOLD
 * (core/streaming.c): their parsers and the check that fails a plan over a bad one. */
#ifndef POSENC_CORE_ENVIRONMENT_H
#define POSENC_CORE_ENVIRONMENT_H

#include <stddef.h>
#include <stdint.h>

#include "posenc.h"

/* Features named in a POSENC_DISABLE_CPU_FEATURES list, into *mask. Returns NULL, or the first
 * name it does not know (its length in *bad_len). impls/core/cpu_features.c */
const char *posenc_disable_list_parse(const char *env, uint64_t *mask, size_t *bad_len);

/* What POSENC_IMPL forces for `kind`: *forced is the implementation, or NULL when the variable
 * names none of this kind. Returns POSENC_OK, or an error recorded with its message: NOT_FOUND
 * for a name that is neither an implementation nor a backend, ARGUMENT for two implementations
 * of one kind, UNSUPPORTED for one this CPU cannot run. impls/core/registry.c */
int posenc_forced_impl(posenc_kind kind, const posenc_impl **forced);

/* The variables well-formed, and every implementation POSENC_IMPL forces runs here: POSENC_OK,
 * or the error of the first problem with a message naming the variable and the bad name. */
int posenc_env_check(void);

#endif
