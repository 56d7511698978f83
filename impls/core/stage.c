/* stage.c - bfloat16 and float16 data through the float kernels (stage.h). The float buffer
 * holds STAGE_FLOATS floats on the stack (16 KiB: safe on small thread stacks), enough for a
 * 32 x 128 decode; a call is cut into pieces of tokens (or of heads, or rows) that fit, and
 * only a single piece wider than that (a head of more than 4096 elements) takes a heap buffer,
 * allocated before anything is written. */
#include "core/stage.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/half.h"

#define STAGE_FLOATS 4096
#define STAGE_TOKENS_MROPE 128 /* M-RoPE pieces gather 3 positions per token on the stack */

/* ---- conversions of runs -------------------------------------------------------------------- */

/* One loop per type, the type's choice made once per run, so the compiler can vectorize the
   bf16 loops (shifts, adds and selects). */
static void widen(const uint16_t *src, float *dst, size_t n, posenc_dtype t)
{
    /* bits copied into the floats: exact, never through an FPU register */
    if (t == POSENC_DTYPE_BF16)
        for (size_t j = 0; j < n; j++) {
            uint32_t b = posenc_bf16_to_f32_bits(src[j]);
            memcpy(&dst[j], &b, sizeof b);
        }
    else
        for (size_t j = 0; j < n; j++) {
            uint32_t b = posenc_f16_to_f32_bits(src[j]);
            memcpy(&dst[j], &b, sizeof b);
        }
}

static void narrow(const float *src, uint16_t *dst, size_t n, posenc_dtype t)
{
    uint32_t b;
    if (t == POSENC_DTYPE_BF16)
        for (size_t j = 0; j < n; j++) {
            memcpy(&b, &src[j], sizeof b);
            dst[j] = posenc_f32_bits_to_bf16(b);
        }
    else
        for (size_t j = 0; j < n; j++) {
            memcpy(&b, &src[j], sizeof b);
            dst[j] = posenc_f32_bits_to_f16(b);
        }
}

/* A float buffer of at least `floats`: the caller's stack buffer, or the heap. */
typedef struct stage_buf {
    float *p;
    float *heap;
} stage_buf;

static int stage_get(stage_buf *b, float *local, size_t floats)
{
    b->heap = NULL;
    b->p = local;
    if (floats <= STAGE_FLOATS)
        return POSENC_OK;
    if (floats > SIZE_MAX / sizeof(float) || !(b->heap = malloc(floats * sizeof(float))))
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu floats of 16-bit staging",
                           floats);
    b->p = b->heap;
    return POSENC_OK;
}

/* Positions of tokens t0 .. t0 + cnt - 1 as a piece of cnt tokens sees them: the same pointer
 * for one axis, M-RoPE's three axes gathered (axis-major) into `buf`. */
static const int64_t *piece_positions(const posenc_plan *plan, const int64_t *pos, size_t n,
                                      size_t t0, size_t cnt, int64_t *buf)
{
    if (plan->n_axes == 1)
        return pos + t0;
    for (int a = 0; a < plan->n_axes; a++)
        memcpy(buf + (size_t)a * cnt, pos + (size_t)a * n + t0, cnt * sizeof *buf);
    return buf;
}

static size_t tokens_per_piece(const posenc_plan *plan, size_t floats_per_token, size_t n)
{
    size_t cnt = floats_per_token <= STAGE_FLOATS ? STAGE_FLOATS / floats_per_token : 1;
    if (plan->n_axes > 1 && cnt > STAGE_TOKENS_MROPE)
        cnt = STAGE_TOKENS_MROPE;
    return cnt < n ? cnt : n;
}

/* ---- the entry points' work ----------------------------------------------------------------- */

int posenc_stage_encode(const posenc_plan *plan, const int64_t *pos, size_t n, void *out)
{
    const posenc_dtype t = plan->params.dtype;
    const size_t row = plan->row_size;
    float local[STAGE_FLOATS];
    int64_t pbuf[3 * STAGE_TOKENS_MROPE];
    stage_buf b;
    size_t cnt = tokens_per_piece(plan, row, n);
    int rc = stage_get(&b, local, cnt * row);
    uint16_t *o = out;
    for (size_t t0 = 0; !rc && t0 < n; t0 += cnt) {
        size_t k = n - t0 < cnt ? n - t0 : cnt;
        rc = plan->impl->encode(plan, piece_positions(plan, pos, n, t0, k, pbuf), k, b.p);
        if (!rc)
            narrow(b.p, o + t0 * row, k * row, t);
    }
    free(b.heap);
    return rc;
}

int posenc_stage_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, void *x,
                       const posenc_layout *l)
{
    const posenc_dtype t = plan->params.dtype;
    const size_t width = plan->params.kind == POSENC_ROTARY ? (size_t)plan->params.rotary_dim
                                                            : (size_t)plan->params.dim;
    /* a piece: whole tokens when a token's computed parts fit, else heads of one token */
    const size_t per_token = l->n_heads * width;
    const int whole = per_token <= STAGE_FLOATS;
    size_t cnt = whole ? tokens_per_piece(plan, per_token, n_tokens) : 1;
    size_t heads = whole ? l->n_heads : (width <= STAGE_FLOATS ? STAGE_FLOATS / width : 1);
    float local[STAGE_FLOATS];
    int64_t pbuf[3 * STAGE_TOKENS_MROPE];
    stage_buf b;
    int rc = stage_get(&b, local, cnt * heads * width);
    uint16_t *xs = x;
    for (size_t t0 = 0; !rc && t0 < n_tokens; t0 += cnt) {
        size_t k = n_tokens - t0 < cnt ? n_tokens - t0 : cnt;
        const int64_t *pp = piece_positions(plan, pos, n_tokens, t0, k, pbuf);
        for (size_t h0 = 0; !rc && h0 < l->n_heads; h0 += heads) {
            size_t hk = l->n_heads - h0 < heads ? l->n_heads - h0 : heads;
            for (size_t j = 0; j < k; j++)
                for (size_t h = 0; h < hk; h++)
                    widen(xs + (t0 + j) * l->token_stride + (h0 + h) * l->head_stride,
                          b.p + (j * hk + h) * width, width, t);
            const posenc_layout pl = {hk, width, hk * width};
            rc = plan->impl->apply(plan, pp, k, b.p, &pl);
            for (size_t j = 0; !rc && j < k; j++)
                for (size_t h = 0; h < hk; h++)
                    narrow(b.p + (j * hk + h) * width,
                           xs + (t0 + j) * l->token_stride + (h0 + h) * l->head_stride, width, t);
        }
    }
    free(b.heap);
    return rc;
}

int posenc_stage_scores(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                        const int64_t *k_pos, size_t n_k, void *scores,
                        const posenc_score_layout *l)
{
    const posenc_dtype t = plan->params.dtype;
    /* a piece: rows of one head */
    size_t rows = n_k <= STAGE_FLOATS ? STAGE_FLOATS / n_k : 1;
    if (rows > n_q)
        rows = n_q;
    float local[STAGE_FLOATS];
    stage_buf b;
    int rc = stage_get(&b, local, rows * n_k);
    uint16_t *s = scores;
    for (size_t h = 0; !rc && h < l->n_heads; h++)
        for (size_t q0 = 0; !rc && q0 < n_q; q0 += rows) {
            size_t k = n_q - q0 < rows ? n_q - q0 : rows;
            uint16_t *base = s + h * l->head_stride + q0 * l->row_stride;
            for (size_t q = 0; q < k; q++)
                widen(base + q * l->row_stride, b.p + q * n_k, n_k, t);
            const posenc_score_layout pl = {l->first_head + h, 1, n_k, k * n_k};
            rc = plan->impl->scores(plan, q_pos + q0, k, k_pos, n_k, b.p, &pl);
            for (size_t q = 0; !rc && q < k; q++)
                narrow(b.p + q * n_k, base + q * l->row_stride, n_k, t);
        }
    free(b.heap);
    return rc;
}
