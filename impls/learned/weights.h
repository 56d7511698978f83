/* weights.h - the learned table behind the opaque posenc_weights handle. */
#ifndef POSENC_LEARNED_WEIGHTS_H
#define POSENC_LEARNED_WEIGHTS_H

#include "posenc.h"

struct posenc_weights {
    int64_t rows;  /* positions covered: valid positions are 0 .. rows-1 */
    int32_t dim;
    float *data;   /* rows * dim floats, row-major, 64-byte aligned, owned */
};

/* Allocate an uninitialised rows x dim table (checks sizes: SHAPE for zero or dim > 65536,
 * OVERFLOW when the byte size does not fit). */
int posenc_weights_alloc(int64_t rows, int64_t dim, posenc_weights **out);

#endif
