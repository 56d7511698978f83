/* validate.c - parameter, position, size and layout checks shared by every backend. */
#include "validate.h"


#include "core/error.h"
#include "learned/weights.h"

int posenc_resolve_params(const posenc_params *in, posenc_params *out)
{
    if (!in)
        return posenc_fail(POSENC_ERR_NULL, "params is NULL");
    posenc_params p = *in;
    if (p.kind != POSENC_SINUSOIDAL && p.kind != POSENC_LEARNED && p.kind != POSENC_ROTARY)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown encoding kind %d", (int)p.kind);
    if (p.dim <= 0 || p.dim > POSENC_MAX_DIM)
        return posenc_fail(POSENC_ERR_DIM, "dim %d is outside 1..%d", (int)p.dim, POSENC_MAX_DIM);
    if (p.max_positions < 0 || p.max_positions > (INT64_C(1) << 31))
        return posenc_fail(POSENC_ERR_ARGUMENT,
                           "max_positions %lld is outside 1..2^31 (0: the implementation's limit)",
                           (long long)p.max_positions);
    if (p.kind == POSENC_LEARNED) {
        if (!p.weights)
            return posenc_fail(POSENC_ERR_NULL, "learned encoding without weights");
        if (p.weights->dim != p.dim)
            return posenc_fail(POSENC_ERR_SHAPE, "weights have dim %d, params say %d",
                               (int)p.weights->dim, (int)p.dim);
        p.rotary_dim = 0;
        *out = p;
        return POSENC_OK;
    }
    if (p.pairing < POSENC_PAIR_DEFAULT || p.pairing > POSENC_PAIR_HALF)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown pairing %d", (int)p.pairing);
    if (p.pairing == POSENC_PAIR_DEFAULT)
        p.pairing = p.kind == POSENC_ROTARY ? POSENC_PAIR_HALF : POSENC_PAIR_INTERLEAVED;
    if (p.angle_mode != POSENC_ANGLE_EXACT && p.angle_mode != POSENC_ANGLE_FP32)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown angle mode %d", (int)p.angle_mode);
    if (p.base == 0.0)
        p.base = 10000.0;
    if (!(p.base > 1.0 && p.base <= 1e300)) /* also rejects NaN */
        return posenc_fail(POSENC_ERR_ARGUMENT, "base %g is outside (1, 1e300]", p.base);
    if (p.scaling.type == POSENC_SCALING_NONE) {
        p.scaling.factor = 1.0;
    } else if (p.scaling.type == POSENC_SCALING_LINEAR) {
        if (!(p.scaling.factor >= 1.0 && p.scaling.factor <= 1e9))
            return posenc_fail(POSENC_ERR_ARGUMENT, "linear scaling factor %g is outside [1, 1e9]",
                               p.scaling.factor);
    } else {
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown scaling type %d", (int)p.scaling.type);
    }
    if (p.kind == POSENC_SINUSOIDAL) {
        if (p.dim % 2)
            return posenc_fail(POSENC_ERR_DIM,
                               "sinusoidal dim %d is odd: sin and cos come in pairs",
                               (int)p.dim);
        p.rotary_dim = 0;
    } else {
        if (p.rotary_dim == 0)
            p.rotary_dim = p.dim;
        if (p.rotary_dim < 0 || p.rotary_dim > p.dim)
            return posenc_fail(POSENC_ERR_DIM, "rotary_dim %d is outside 0..dim (%d)",
                               (int)p.rotary_dim, (int)p.dim);
        if (p.rotary_dim % 2)
            return posenc_fail(POSENC_ERR_DIM, "rotary_dim %d is odd: rotations act on pairs",
                               (int)p.rotary_dim);
    }
    p.weights = NULL;
    *out = p;
    return POSENC_OK;
}

int posenc_check_positions(const int64_t *pos, size_t n, int64_t max_pos)
{
    for (size_t t = 0; t < n; t++)
        if (pos[t] < 0 || pos[t] >= max_pos)
            return posenc_fail(POSENC_ERR_POSITION, "pos[%zu] = %lld is outside [0, %lld)", t,
                               (long long)pos[t], (long long)max_pos);
    return POSENC_OK;
}

int posenc_check_rows(size_t n, size_t row_size)
{
    if (row_size && n > SIZE_MAX / sizeof(float) / row_size)
        return posenc_fail(POSENC_ERR_OVERFLOW, "%zu rows of %zu floats overflow size_t", n,
                           row_size);
    return POSENC_OK;
}

int posenc_resolve_layout(const posenc_layout *in, size_t dim, size_t n_tokens,
                          posenc_layout *out)
{
    posenc_layout l = in ? *in : (posenc_layout){0, 0, 0};
    if (l.n_heads == 0)
        l.n_heads = 1;
    if (l.head_stride == 0)
        l.head_stride = dim;
    if (l.head_stride < dim && l.n_heads > 1)
        return posenc_fail(POSENC_ERR_LAYOUT, "head_stride %zu < dim %zu: heads overlap",
                           l.head_stride, dim);
    const size_t max_floats = SIZE_MAX / sizeof(float);
    if (l.n_heads - 1 > (max_floats - dim) / l.head_stride)
        return posenc_fail(POSENC_ERR_OVERFLOW, "%zu heads of stride %zu overflow size_t",
                           l.n_heads, l.head_stride);
    size_t token_span = (l.n_heads - 1) * l.head_stride + dim; /* floats one token covers */
    if (l.token_stride == 0)
        l.token_stride = l.n_heads * l.head_stride;
    if (l.token_stride < token_span && n_tokens > 1)
        return posenc_fail(POSENC_ERR_LAYOUT, "token_stride %zu < %zu floats of one token",
                           l.token_stride, token_span);
    if (n_tokens > 1 && n_tokens - 1 > (max_floats - token_span) / l.token_stride)
        return posenc_fail(POSENC_ERR_OVERFLOW, "%zu tokens of stride %zu overflow size_t",
                           n_tokens, l.token_stride);
    *out = l;
    return POSENC_OK;
}
