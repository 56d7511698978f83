/* streaming.h - the output size from which the kernels write with streaming (non-temporal)
 * stores: the last-level cache's size as detected, or POSENC_STREAM_THRESHOLD. */
#ifndef POSENC_CORE_STREAMING_H
#define POSENC_CORE_STREAMING_H

#include <stddef.h>

/* Used when neither the CPU nor the system says how large the last-level cache is. */
#define POSENC_STREAM_DEFAULT_BYTES ((size_t)32 << 20)

/* Bytes of the largest data or unified cache level (one instance of it, as one core sees it),
 * and where that came from ("cpuid", "sysfs"); 0 and "unknown" when nothing says. Detected once;
 * thread-safe. */
size_t posenc_llc_bytes(const char **source);

/* POSENC_STREAM_THRESHOLD well-formed (or unset): POSENC_OK, or ARGUMENT recorded with a message
 * naming the variable and its value. Part of posenc_env_check. */
int posenc_stream_env_check(void);

#endif
