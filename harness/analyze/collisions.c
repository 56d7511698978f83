/* collisions.c - finds positions whose encoded rows are bit-identical: rows hashed chunk by
 * chunk, hashes sorted, equal hashes checked byte for byte on rows encoded again. */
#include "collisions.h"

#include <stdlib.h>
#include <string.h>

#include "harness_util.h"

typedef struct row_key {
    uint64_t hash;
    int64_t pos;
} row_key;

/* 64-bit hash of a row's bytes: word-wise multiply-xorshift, then a finaliser (splitmix64's)
 * so that rows differing in one low bit land far apart. Collisions of distinct rows are
 * harmless (bytes decide), only slower. */
static uint64_t row_hash(const unsigned char *p, size_t n)
{
    uint64_t h = UINT64_C(0x243F6A8885A308D3) ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
        h ^= h >> 32;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i);
        h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
        h ^= h >> 32;
    }
    h = (h ^ (h >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    h = (h ^ (h >> 27)) * UINT64_C(0x94D049BB133111EB);
    return h ^ (h >> 31);
}

static int key_cmp(const void *a, const void *b)
{
    const row_key *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static size_t element_bytes(const posenc_plan *plan)
{
    return posenc_plan_params(plan)->dtype == POSENC_DTYPE_F32 ? 4 : 2;
}

/* rows of positions pos[0..n) into out; M-RoPE plans read each position on all three axes */
static int encode_rows(const posenc_plan *plan, const int64_t *pos, size_t n, int64_t *axis_pos,
                       void *out)
{
    const posenc_params *p = posenc_plan_params(plan);
    if (p->kind != POSENC_ROTARY || p->mrope.layout == POSENC_MROPE_NONE)
        return posenc_encode(plan, pos, n, out);
    for (int a = 0; a < 3; a++)
        memcpy(axis_pos + (size_t)a * n, pos, n * sizeof *pos);
    return posenc_encode(plan, axis_pos, n, out);
}

int collisions_scan(const posenc_plan *plan, int64_t n, collision_scan *out)
{
    if (!plan || n < 0)
        return POSENC_ERR_ARGUMENT;
    const size_t row_bytes = posenc_plan_row_size(plan) * element_bytes(plan);
    size_t chunk = COLLISIONS_CHUNK_BYTES / row_bytes;
    chunk = chunk ? chunk : 1;
    row_key *keys = harness_xmalloc(((size_t)n + 1) * sizeof *keys);
    unsigned char *rows = harness_xmalloc(chunk * row_bytes);
    int64_t *pos = harness_xmalloc(chunk * sizeof *pos);
    int64_t *axis_pos = harness_xmalloc(3 * chunk * sizeof *axis_pos);
    int rc = POSENC_OK;
    for (int64_t start = 0; start < n && rc == POSENC_OK; start += (int64_t)chunk) {
        const size_t m = (size_t)(n - start) < chunk ? (size_t)(n - start) : chunk;
        for (size_t t = 0; t < m; t++)
            pos[t] = start + (int64_t)t;
        rc = encode_rows(plan, pos, m, axis_pos, rows);
        for (size_t t = 0; t < m && rc == POSENC_OK; t++) {
            keys[start + (int64_t)t].hash = row_hash(rows + t * row_bytes, row_bytes);
            keys[start + (int64_t)t].pos = start + (int64_t)t;
        }
    }
    if (rc == POSENC_OK)
        qsort(keys, (size_t)n, sizeof *keys, key_cmp);

    /* Each run of equal hashes, positions ascending: a member equal to a row seen earlier in
     * the run collides with that row's first position; otherwise it starts a new distinct row
     * (a hash collision). Members are encoded again a chunk at a time. */
    collision_scan s = {-1, -1, 0};
    size_t cap_reps = 4, n_reps = 0;
    unsigned char *reps = harness_xmalloc(cap_reps * row_bytes);
    int64_t *rep_pos = harness_xmalloc(cap_reps * sizeof *rep_pos);
    for (size_t g = 0; g < (size_t)n && rc == POSENC_OK;) {
        size_t end = g + 1;
        while (end < (size_t)n && keys[end].hash == keys[g].hash)
            end++;
        n_reps = 0;
        for (size_t at = g; end - g > 1 && at < end && rc == POSENC_OK; at += chunk) {
            const size_t m = end - at < chunk ? end - at : chunk;
            for (size_t t = 0; t < m; t++)
                pos[t] = keys[at + t].pos;
            rc = encode_rows(plan, pos, m, axis_pos, rows);
            for (size_t t = 0; t < m && rc == POSENC_OK; t++) {
                const unsigned char *row = rows + t * row_bytes;
                size_t k = 0;
                while (k < n_reps && memcmp(reps + k * row_bytes, row, row_bytes))
                    k++;
                if (k < n_reps) {
                    s.n_colliding++;
                    if (s.onset < 0 || pos[t] < s.onset) {
                        s.onset = pos[t];
                        s.onset_partner = rep_pos[k];
                    }
                    continue;
                }
                if (n_reps == cap_reps) {
                    cap_reps *= 2;
                    reps = harness_xrealloc(reps, cap_reps * row_bytes);
                    rep_pos = harness_xrealloc(rep_pos, cap_reps * sizeof *rep_pos);
                }
                memcpy(reps + n_reps * row_bytes, row, row_bytes);
                rep_pos[n_reps++] = pos[t];
            }
        }
        g = end;
    }
    free(reps);
    free(rep_pos);
    free(keys);
    free(rows);
    free(pos);
    free(axis_pos);
    if (rc == POSENC_OK)
        *out = s;
    return rc;
}
