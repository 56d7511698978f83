/* error.h - recording an error code with a detailed per-thread message (posenc_last_error). */
#ifndef POSENC_CORE_ERROR_H
#define POSENC_CORE_ERROR_H

#include "posenc.h"

#if defined(__GNUC__)
#define POSENC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define POSENC_PRINTF(f, a)
#endif

/* Record `fmt` as the calling thread's last error message and return `code`, so a failing path
 * reads: return posenc_fail(POSENC_ERR_DIM, "rotary_dim %d > dim %d", r, d); */
int posenc_fail(int code, const char *fmt, ...) POSENC_PRINTF(2, 3);

/* Forget the calling thread's last message (entry points call it on entry). */
void posenc_clear_error(void);

#endif
