/* collisions.h - positions whose encoded rows are bit-identical: the scan behind the resolution
 * section's collision records, on any plan. */
#ifndef POSENC_ANALYZE_COLLISIONS_H
#define POSENC_ANALYZE_COLLISIONS_H

#include <stddef.h>
#include <stdint.h>

#include "posenc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rows encoded per posenc_encode call of a scan: at most this many bytes of them. */
#define COLLISIONS_CHUNK_BYTES ((size_t)1 << 21)

typedef struct collision_scan {
    int64_t onset;         /* the smallest position whose row equals an earlier one's; -1 */
    int64_t onset_partner; /* the first position with that row; -1 */
    uint64_t n_colliding;  /* positions whose row equals some earlier position's */
} collision_scan;

/* Encodes positions 0 .. n-1 with plan (posenc_encode: rows of posenc_plan_row_size elements of
 * the plan's dtype; M-RoPE plans get the same position on every axis, as text tokens do) in
 * chunks of COLLISIONS_CHUNK_BYTES, hashes each row, sorts the hashes and compares the bytes of
 * the rows whose hashes are equal, so only rows that really are identical count. Memory: 16
 * bytes per position plus a chunk of rows. Returns POSENC_OK or the encode's error (a position
 * the plan does not accept); *out is set on success only. */
int collisions_scan(const posenc_plan *plan, int64_t n, collision_scan *out);

#ifdef __cplusplus
}
#endif

#endif
