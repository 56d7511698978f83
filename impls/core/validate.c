/* validate.c - parameter, position, size and layout checks shared by every backend. */
#include "validate.h"


#include "core/error.h"
#include "learned/weights.h"

static int in_range(double v, double lo, double hi) { return v >= lo && v <= hi; } /* NaN: 0 */

static int check_factor(const char *type, double factor)
{
    if (!in_range(factor, 1.0, 1e9))
        return posenc_fail(POSENC_ERR_ARGUMENT, "%s scaling factor %g is outside [1, 1e9]", type,
                           factor);
    return POSENC_OK;
}

static int check_original(const char *type, int64_t l0)
{
    if (l0 < 1 || l0 > (INT64_C(1) << 31))
        return posenc_fail(POSENC_ERR_ARGUMENT,
                           "%s scaling original_max_positions %lld is outside 1..2^31", type,
                           (long long)l0);
    return POSENC_OK;
}

static int check_seq_len(const char *type, posenc_scaling *s)
{
    if (s->seq_len < 0 || s->seq_len > (INT64_C(1) << 31))
        return posenc_fail(POSENC_ERR_ARGUMENT, "%s scaling seq_len %lld is outside 0..2^31",
                           type, (long long)s->seq_len);
    if (s->seq_len == 0)
        s->seq_len = s->original_max_positions;
    return POSENC_OK;
}

static int check_attention(const char *type, double a)
{
    if (a != 0.0 && !(a > 0.0 && a <= 1e3))
        return posenc_fail(POSENC_ERR_ARGUMENT,
                           "%s attention_factor %g is outside (0, 1e3] (0: derived)", type, a);
    return POSENC_OK;
}

static int check_factor_list(const char *which, const double *f, int32_t count)
{
    if (!f)
        return posenc_fail(POSENC_ERR_NULL, "longrope scaling without %s", which);
    for (int32_t i = 0; i < count; i++)
        if (!in_range(f[i], 1e-6, 1e9))
            return posenc_fail(POSENC_ERR_ARGUMENT, "longrope %s[%d] = %g is outside [1e-6, 1e9]",
                               which, (int)i, f[i]);
    return POSENC_OK;
}

/* The scaling description of a rotary (or, NONE and LINEAR only, sinusoidal) plan with n
 * rotated dims: every field the type reads checked, defaults filled in, the rest zeroed. */
static int resolve_scaling(posenc_kind kind, int32_t n, posenc_scaling *s)
{
    posenc_scaling in = *s, out = {0};
    out.type = in.type;
    int rc = POSENC_OK;
    switch (in.type) {
    case POSENC_SCALING_NONE:
        out.factor = 1.0;
        break;
    case POSENC_SCALING_LINEAR:
        rc = check_factor("linear", in.factor);
        out.factor = in.factor;
        break;
    case POSENC_SCALING_NTK:
    case POSENC_SCALING_DYNAMIC: {
        const char *name = in.type == POSENC_SCALING_NTK ? "ntk" : "dynamic";
        if (n <= 2)
            return posenc_fail(POSENC_ERR_DIM, "%s scaling needs rotary_dim > 2 (n / (n - 2))",
                               name);
        rc = check_factor(name, in.factor);
        out.factor = in.factor;
        if (!rc && in.type == POSENC_SCALING_DYNAMIC) {
            out.original_max_positions = in.original_max_positions;
            out.seq_len = in.seq_len;
            rc = check_original(name, in.original_max_positions);
            if (!rc)
                rc = check_seq_len(name, &out);
        }
        break;
    }
    case POSENC_SCALING_YARN:
        out = in;
        out.low_freq_factor = out.high_freq_factor = 0.0;
        out.short_factor = out.long_factor = NULL;
        out.seq_len = 0;
        out.no_truncate = in.no_truncate != 0;
        if (out.beta_fast == 0.0)
            out.beta_fast = 32.0;
        if (out.beta_slow == 0.0)
            out.beta_slow = 1.0;
        rc = check_factor("yarn", in.factor);
        if (!rc)
            rc = check_original("yarn", in.original_max_positions);
        if (!rc)
            rc = check_attention("yarn", in.attention_factor);
        if (!rc && !(out.beta_slow > 0.0 && out.beta_slow <= out.beta_fast &&
                     out.beta_fast <= 1e6))
            rc = posenc_fail(POSENC_ERR_ARGUMENT,
                             "yarn beta_fast %g and beta_slow %g: need 0 < beta_slow <= "
                             "beta_fast <= 1e6", out.beta_fast, out.beta_slow);
        if (!rc && !(in_range(out.mscale, 0.0, 1e3) && in_range(out.mscale_all_dim, 0.0, 1e3)))
            rc = posenc_fail(POSENC_ERR_ARGUMENT,
                             "yarn mscale %g / mscale_all_dim %g outside [0, 1e3]", out.mscale,
                             out.mscale_all_dim);
        break;
    case POSENC_SCALING_LLAMA3:
        out.factor = in.factor;
        out.original_max_positions = in.original_max_positions;
        out.low_freq_factor = in.low_freq_factor;
        out.high_freq_factor = in.high_freq_factor;
        rc = check_factor("llama3", in.factor);
        if (!rc)
            rc = check_original("llama3", in.original_max_positions);
        if (!rc && !(in_range(in.low_freq_factor, 1e-6, 1e6) &&
                     in_range(in.high_freq_factor, 1e-6, 1e6) &&
                     in.high_freq_factor > in.low_freq_factor))
            rc = posenc_fail(POSENC_ERR_ARGUMENT,
                             "llama3 low_freq_factor %g / high_freq_factor %g: need "
                             "1e-6 <= low < high <= 1e6", in.low_freq_factor,
                             in.high_freq_factor);
        break;
    case POSENC_SCALING_LONGROPE:
        out.factor = in.factor == 0.0 ? 1.0 : in.factor;
        out.original_max_positions = in.original_max_positions;
        out.seq_len = in.seq_len;
        out.attention_factor = in.attention_factor;
        out.short_factor = in.short_factor;
        out.long_factor = in.long_factor;
        rc = check_factor("longrope", out.factor);
        if (!rc)
            rc = check_original("longrope", in.original_max_positions);
        if (!rc)
            rc = check_seq_len("longrope", &out);
        if (!rc)
            rc = check_attention("longrope", in.attention_factor);
        if (!rc)
            rc = check_factor_list("short_factor", in.short_factor, n / 2);
        if (!rc)
            rc = check_factor_list("long_factor", in.long_factor, n / 2);
        break;
    default:
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown scaling type %d", (int)in.type);
    }
    if (!rc && kind == POSENC_SINUSOIDAL && in.type > POSENC_SCALING_LINEAR)
        rc = posenc_fail(POSENC_ERR_ARGUMENT,
                         "scaling type %d is a RoPE scaling: sinusoidal takes none or linear",
                         (int)in.type);
    if (!rc)
        *s = out;
    return rc;
}

static int resolve_mrope(posenc_kind kind, int32_t n_freq, posenc_mrope *m)
{
    if (m->layout == POSENC_MROPE_NONE) {
        *m = (posenc_mrope){0};
        return POSENC_OK;
    }
    if (m->layout != POSENC_MROPE_SECTIONS && m->layout != POSENC_MROPE_INTERLEAVED)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown M-RoPE layout %d", (int)m->layout);
    if (kind != POSENC_ROTARY)
        return posenc_fail(POSENC_ERR_ARGUMENT, "M-RoPE is for rotary encodings only");
    int64_t sum = 0;
    for (int a = 0; a < 3; a++) {
        if (m->section[a] < 0)
            return posenc_fail(POSENC_ERR_ARGUMENT, "M-RoPE section[%d] = %d is negative", a,
                               (int)m->section[a]);
        sum += m->section[a];
    }
    if (sum != n_freq)
        return posenc_fail(POSENC_ERR_ARGUMENT,
                           "M-RoPE sections %d + %d + %d = %lld, not rotary_dim / 2 = %d",
                           (int)m->section[0], (int)m->section[1], (int)m->section[2],
                           (long long)sum, (int)n_freq);
    return POSENC_OK;
}

static int resolve_alibi(posenc_params *p)
{
    if (p->alibi.bias_max == 0.0)
        p->alibi.bias_max = 8.0;
    if (!(p->alibi.bias_max > 0.0 && p->alibi.bias_max <= 1e3))
        return posenc_fail(POSENC_ERR_ARGUMENT, "alibi bias_max %g is outside (0, 1e3]",
                           p->alibi.bias_max);
    if (p->alibi.form != POSENC_ALIBI_CAUSAL && p->alibi.form != POSENC_ALIBI_FULL &&
        p->alibi.form != POSENC_ALIBI_KEY_ONLY)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown alibi form %d", (int)p->alibi.form);
    if (p->angle_mode == POSENC_ANGLE_BF16 || p->angle_mode == POSENC_ANGLE_FP16)
        return posenc_fail(POSENC_ERR_ARGUMENT, "alibi has no angle: angle mode %s is for "
                           "sinusoidal and rotary plans", p->angle_mode == POSENC_ANGLE_BF16
                                                              ? "bf16" : "fp16");
    if (p->angle_mode != POSENC_ANGLE_EXACT && p->angle_mode != POSENC_ANGLE_FP32)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown angle mode %d", (int)p->angle_mode);
    p->rotary_dim = 0;
    p->base = 0.0;
    p->pairing = POSENC_PAIR_DEFAULT;
    p->scaling = (posenc_scaling){0};
    p->scaling.factor = 1.0;
    p->mrope = (posenc_mrope){0};
    p->weights = NULL;
    return POSENC_OK;
}

int posenc_resolve_params(const posenc_params *in, posenc_params *out)
{
    if (!in)
        return posenc_fail(POSENC_ERR_NULL, "params is NULL");
    posenc_params p = *in;
    if (p.kind != POSENC_SINUSOIDAL && p.kind != POSENC_LEARNED && p.kind != POSENC_ROTARY &&
        p.kind != POSENC_ALIBI)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown encoding kind %d", (int)p.kind);
    if (p.dim <= 0 || p.dim > POSENC_MAX_DIM)
        return posenc_fail(POSENC_ERR_DIM, "dim %d is outside 1..%d", (int)p.dim, POSENC_MAX_DIM);
    if (p.max_positions < 0 || p.max_positions > (INT64_C(1) << 31))
        return posenc_fail(POSENC_ERR_ARGUMENT,
                           "max_positions %lld is outside 1..2^31 (0: the implementation's limit)",
                           (long long)p.max_positions);
    if (p.dtype != POSENC_DTYPE_F32 && p.dtype != POSENC_DTYPE_BF16 && p.dtype != POSENC_DTYPE_F16)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown element type %d", (int)p.dtype);
    if (p.mrope.layout != POSENC_MROPE_NONE && p.kind != POSENC_ROTARY)
        return posenc_fail(POSENC_ERR_ARGUMENT, "M-RoPE is for rotary encodings only");
    if (p.kind == POSENC_ALIBI) {
        int rc = resolve_alibi(&p);
        if (!rc)
            *out = p;
        return rc;
    }
    p.alibi = (posenc_alibi){0};
    if (p.kind == POSENC_LEARNED) {
        if (!p.weights)
            return posenc_fail(POSENC_ERR_NULL, "learned encoding without weights");
        if (p.weights->dim != p.dim)
            return posenc_fail(POSENC_ERR_SHAPE, "weights have dim %d, params say %d",
                               (int)p.weights->dim, (int)p.dim);
        p.rotary_dim = 0;
        p.mrope = (posenc_mrope){0};
        *out = p;
        return POSENC_OK;
    }
    if (p.pairing < POSENC_PAIR_DEFAULT || p.pairing > POSENC_PAIR_HALF)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown pairing %d", (int)p.pairing);
    if (p.pairing == POSENC_PAIR_DEFAULT)
        p.pairing = p.kind == POSENC_ROTARY ? POSENC_PAIR_HALF : POSENC_PAIR_INTERLEAVED;
    if (p.angle_mode < POSENC_ANGLE_EXACT || p.angle_mode > POSENC_ANGLE_FP16)
        return posenc_fail(POSENC_ERR_ARGUMENT, "unknown angle mode %d", (int)p.angle_mode);
    if (p.base == 0.0)
        p.base = 10000.0;
    if (!(p.base > 1.0 && p.base <= 1e300)) /* also rejects NaN */
        return posenc_fail(POSENC_ERR_ARGUMENT, "base %g is outside (1, 1e300]", p.base);
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
    int32_t n = p.kind == POSENC_ROTARY ? p.rotary_dim : p.dim;
    int rc = resolve_scaling(p.kind, n, &p.scaling);
    if (!rc)
        rc = resolve_mrope(p.kind, n / 2, &p.mrope);
    if (rc)
        return rc;
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
