/* error.c - error names and the per-thread message behind posenc_last_error. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_message[256];

const char *posenc_strerror(int code)
{
    switch (code) {
    case POSENC_OK: return "success";
    case POSENC_ERR_NULL: return "required pointer is NULL";
    case POSENC_ERR_ARGUMENT: return "invalid argument";
    case POSENC_ERR_DIM: return "invalid dimension";
    case POSENC_ERR_POSITION: return "position out of range";
    case POSENC_ERR_OVERFLOW: return "size overflows";
    case POSENC_ERR_NOMEM: return "out of memory";
    case POSENC_ERR_UNSUPPORTED: return "instruction set not supported by this CPU";
    case POSENC_ERR_NOT_FOUND: return "not found";
    case POSENC_ERR_KIND: return "implementation is for another encoding";
    case POSENC_ERR_IO: return "file could not be read";
    case POSENC_ERR_FORMAT: return "file is truncated or corrupt";
    case POSENC_ERR_DTYPE: return "unsupported element type";
    case POSENC_ERR_SHAPE: return "unexpected tensor shape";
    case POSENC_ERR_LAYOUT: return "invalid layout strides";
    default: return "unknown error code";
    }
}

const char *posenc_last_error(void) { return last_message; }

void posenc_clear_error(void) { last_message[0] = '\0'; }

int posenc_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return code;
}
