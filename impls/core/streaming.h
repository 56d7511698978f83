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

/* The threshold of encodes that compute their rows (sinusoidal, rotary): POSENC_STREAM_THRESHOLD
 * when set, else SIZE_MAX (never). Such a kernel is bound by its arithmetic where 512-bit
 * operations run as two halves (Zen 4: sinusoidal encode of 128 MiB 10.4 ms with ordinary
 * stores, 12.7-13.4 ms streamed, avx2 16.3 against 19.4-20.1 ms), so streaming only adds the
 * cost of its stores there; a CPU where the same kernel waits for memory instead can opt in. */
size_t posenc_stream_threshold_computed(void);

/* POSENC_STREAM_THRESHOLD well-formed (or unset): POSENC_OK, or ARGUMENT recorded with a message
 * naming the variable and its value. Part of posenc_env_check. */
int posenc_stream_env_check(void);

#endif
