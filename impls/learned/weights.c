/* weights.c - the posenc_weights handle: checked allocation, copying from memory, accessors. */
#include "learned/weights.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Kernels stream rows with full-width vector loads; 64 bytes covers every ISA up to AVX-512
 * and keeps a row start from straddling cache lines when dim is a multiple of 16. */
#define WEIGHTS_ALIGN 64u
#define WEIGHTS_MAX_DIM 65536

int posenc_weights_alloc(int64_t rows, int64_t dim, posenc_weights **out)
{
    posenc_weights *w;
    size_t bytes;
    if (!out) return posenc_fail(POSENC_ERR_NULL, "weights: out is NULL");
    if (rows <= 0 || dim <= 0)
        return posenc_fail(POSENC_ERR_SHAPE, "weights: shape (%lld, %lld) has an extent < 1",
                           (long long)rows, (long long)dim);
    if (dim > WEIGHTS_MAX_DIM)
        return posenc_fail(POSENC_ERR_SHAPE, "weights: dim %lld exceeds the limit %d",
                           (long long)dim, WEIGHTS_MAX_DIM);
    /* dividing the limit, rather than multiplying the sizes, keeps the test itself exact; the
     * limit leaves room to round up to the alignment */
    if ((uint64_t)rows > (SIZE_MAX - (WEIGHTS_ALIGN - 1)) / sizeof(float) / (uint64_t)dim)
        return posenc_fail(POSENC_ERR_OVERFLOW, "weights: %lld x %lld floats overflow size_t",
                           (long long)rows, (long long)dim);
    bytes = (size_t)rows * (size_t)dim * sizeof(float);
    bytes = (bytes + (WEIGHTS_ALIGN - 1)) & ~(size_t)(WEIGHTS_ALIGN - 1); /* aligned_alloc's rule */

    w = malloc(sizeof *w);
    if (!w) return posenc_fail(POSENC_ERR_NOMEM, "weights: out of memory for the handle");
    w->data = aligned_alloc(WEIGHTS_ALIGN, bytes);
    if (!w->data) {
        free(w);
        return posenc_fail(POSENC_ERR_NOMEM, "weights: cannot allocate %zu bytes", bytes);
    }
    w->rows = rows;
    w->dim = (int32_t)dim;
    *out = w;
    return POSENC_OK;
}

int posenc_weights_from_array(int64_t rows, int32_t dim, const float *data, posenc_weights **out)
{
    posenc_weights *w = NULL;
    int rc;
    posenc_clear_error();
    if (!data) return posenc_fail(POSENC_ERR_NULL, "posenc_weights_from_array: data is NULL");
    if (!out) return posenc_fail(POSENC_ERR_NULL, "posenc_weights_from_array: out is NULL");
    rc = posenc_weights_alloc(rows, dim, &w);
    if (rc != POSENC_OK) return rc;
    memcpy(w->data, data, (size_t)rows * (size_t)dim * sizeof(float));
    *out = w;
    return POSENC_OK;
}

int64_t posenc_weights_rows(const posenc_weights *w) { return w ? w->rows : 0; }

int32_t posenc_weights_dim(const posenc_weights *w) { return w ? w->dim : 0; }

const float *posenc_weights_data(const posenc_weights *w) { return w ? w->data : NULL; }

void posenc_weights_free(posenc_weights *w)
{
    if (!w) return;
    free(w->data);
    free(w);
}
