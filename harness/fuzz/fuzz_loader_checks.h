/* fuzz_loader_checks.h - the promises both weight loaders make (posenc.h), checked after a call:
 * a documented error code, *out untouched and a message on failure, a table inside the file on
 * success, no allocation out of proportion to the file. */
#ifndef POSENC_FUZZ_LOADER_CHECKS_H
#define POSENC_FUZZ_LOADER_CHECKS_H

#include "fuzz_common.h"
#include "posenc.h"

/* Never a real handle: on failure *out must still hold it. */
static char fuzz_sentinel_storage;
#define FUZZ_SENTINEL ((posenc_weights *)(void *)&fuzz_sentinel_storage)

/* What every call must satisfy. name is the function's, for the messages; safetensors says
 * whether NOT_FOUND is documented for it. Returns the table on success (the caller checks where
 * its data lies, then frees it), NULL on failure. */
static inline posenc_weights *fuzz_check_load(const char *name, int rc, posenc_weights *out,
                                              size_t file_size, size_t largest, int safetensors)
{
    FUZZ_CHECK(largest <= FUZZ_ALLOC_BOUND(file_size),
               "%s allocated %zu bytes at once for a %zu-byte file (rc %d)", name, largest,
               file_size, rc);
    if (rc != POSENC_OK) {
        /* posenc.h: errors NULL, IO, FORMAT, DTYPE, SHAPE, OVERFLOW, NOMEM (+ NOT_FOUND). IO
         * is "could not be opened or read": the file is a complete regular file that nobody
         * changes, so IO here means a size check let a read run past the end. */
        FUZZ_CHECK(rc == POSENC_ERR_FORMAT || rc == POSENC_ERR_DTYPE || rc == POSENC_ERR_SHAPE ||
                       rc == POSENC_ERR_OVERFLOW || rc == POSENC_ERR_NOMEM ||
                       (safetensors && rc == POSENC_ERR_NOT_FOUND),
                   "%s returned %d (%s): %s", name, rc, posenc_strerror(rc),
                   posenc_last_error());
        FUZZ_CHECK(out == FUZZ_SENTINEL, "%s failed with %d but changed *out", name, rc);
        const char *msg = posenc_last_error();
        FUZZ_CHECK(msg && msg[0], "%s failed with %d and no message", name, rc);
        return NULL;
    }
    FUZZ_CHECK(out != FUZZ_SENTINEL && out != NULL, "%s returned 0 without a table", name);
    int64_t rows = posenc_weights_rows(out);
    int32_t dim = posenc_weights_dim(out);
    FUZZ_CHECK(rows > 0 && dim > 0 && dim <= 65536, "%s: shape (%lld, %d)", name,
               (long long)rows, (int)dim);
    const float *data = posenc_weights_data(out);
    FUZZ_CHECK(data != NULL, "%s: no data", name);
    /* every float is readable: AddressSanitizer stops at one past the allocation */
    uint32_t acc = 0;
    for (size_t i = 0; i < (size_t)rows * (size_t)dim; i++) {
        uint32_t bits;
        memcpy(&bits, &data[i], sizeof bits);
        acc ^= bits;
    }
    (void)acc;
    return out;
}

/* elem_size-byte elements of a rows x dim table, in bytes; 0 when that overflows 64 bits. */
static inline uint64_t fuzz_table_bytes(int64_t rows, int32_t dim, unsigned elem_size)
{
    uint64_t n;
    if (__builtin_mul_overflow((uint64_t)rows, (uint64_t)dim, &n) ||
        __builtin_mul_overflow(n, (uint64_t)elem_size, &n))
        return 0;
    return n;
}

/* Each loader target is one file including this header: its libFuzzer start-up, which installs
 * the allocation watch before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_install_hooks();
    return 0;
}

#endif
