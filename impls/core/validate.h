/* validate.h - the checks every entry point makes before any backend runs, so that no backend
 * sees bad input and no failing call writes anything. */
#ifndef POSENC_CORE_VALIDATE_H
#define POSENC_CORE_VALIDATE_H

#include "posenc.h"

#define POSENC_MAX_DIM 65536

/* Copy `in` to `out` with defaults filled in, or fail with ARGUMENT, DIM, NULL or SHAPE. */
int posenc_resolve_params(const posenc_params *in, posenc_params *out);

/* Every pos[t] in [0, max_pos), or POSITION naming the first that is not. */
int posenc_check_positions(const int64_t *pos, size_t n, int64_t max_pos);

/* n * row_size floats must have a byte size that fits in size_t (OVERFLOW). */
int posenc_check_rows(size_t n, size_t row_size);

/* `in` (NULL: one contiguous head) with zeros replaced by defaults, checked for dim floats per
 * head: LAYOUT when heads overlap each other or the next token, OVERFLOW when the span of
 * n_tokens tokens does not fit in size_t bytes. */
int posenc_resolve_layout(const posenc_layout *in, size_t dim, size_t n_tokens,
                          posenc_layout *out);

#endif
