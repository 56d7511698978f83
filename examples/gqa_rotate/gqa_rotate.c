/* gqa_rotate.c - rotates q and k of one Llama 3.1 8B attention layer in bfloat16 at positions
 * past 100,000 through posenc's public API, and checks the result.
 *
 * Llama 3.1 8B has grouped-query attention: 32 query heads and 8 key/value heads of 128 each.
 * The projections of a token are held fused, one row of q | k | v (48 heads) per token, as
 * vLLM and Hugging Face hold them; q and k are rotated in place with one plan and two layouts,
 * and v is left alone. The checks, any of which failing makes the exit code 1:
 *   1. each bfloat16 result is the float32 rotation of the same (widened) inputs rounded once
 *      to bfloat16, bit for bit: what posenc.h promises for 16-bit data;
 *   2. each float32 rotated pair is within the implementation's documented bound of the exact
 *      rotation, computed here in double from Llama 3.1's frequencies as the model defines them
 *      (an independent derivation of the llama3 scaling, not posenc's);
 *   3. v is untouched, bit for bit.
 * Exit codes: 0 all checks passed, 1 a check failed, 2 a posenc call failed. */
#include <posenc.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N_HEADS = 32, N_KV_HEADS = 8, HEAD_DIM = 128, HALF = HEAD_DIM / 2 };
enum { ROW = (N_HEADS + 2 * N_KV_HEADS) * HEAD_DIM }; /* q | k | v of one token */
enum { N_TOKENS = 16 };

/* Llama 3.1's rope settings (config.json of Llama-3.1-8B: rope_theta, rope_scaling). */
static const double ROPE_THETA = 500000.0;
static const double FACTOR = 8.0, LOW_FREQ_FACTOR = 1.0, HIGH_FREQ_FACTOR = 4.0;
static const double ORIGINAL_MAX_POSITIONS = 8192.0;
static const double TWO_PI = 6.283185307179586476925287;

static posenc_params llama31_params(posenc_dtype dtype)
{
    posenc_params p = posenc_params_default(POSENC_ROTARY, HEAD_DIM); /* half-split pairs */
    p.base = ROPE_THETA;
    p.scaling = (posenc_scaling){ .type = POSENC_SCALING_LLAMA3, .factor = FACTOR,
                                  .low_freq_factor = LOW_FREQ_FACTOR,
                                  .high_freq_factor = HIGH_FREQ_FACTOR,
                                  .original_max_positions = (int64_t)ORIGINAL_MAX_POSITIONS };
    p.dtype = dtype;
    return p;
}

/* Frequency i of Llama 3.1 as its reference code derives it: short wavelengths kept, long ones
 * divided by the factor, a smooth mix between. */
static double llama31_frequency(int i)
{
    double w = pow(ROPE_THETA, -2.0 * i / HEAD_DIM);
    double wavelength = TWO_PI / w;
    if (wavelength < ORIGINAL_MAX_POSITIONS / HIGH_FREQ_FACTOR)
        return w;
    if (wavelength > ORIGINAL_MAX_POSITIONS / LOW_FREQ_FACTOR)
        return w / FACTOR;
    double t = (ORIGINAL_MAX_POSITIONS / wavelength - LOW_FREQ_FACTOR) /
               (HIGH_FREQ_FACTOR - LOW_FREQ_FACTOR);
    return (1.0 - t) * w / FACTOR + t * w;
}

static float bf16_to_float(uint16_t h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* To nearest even; the data here is finite, a NaN would become the canonical 0x7fc0. */
static uint16_t float_to_bf16(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    if ((u & 0x7fffffffu) > 0x7f800000u)
        return 0x7fc0;
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

/* Deterministic inputs: xorshift64, values in [-4, 4). */
static float next_value(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (float)((double)(*s >> 11) * 0x1p-53 * 8.0 - 4.0);
}

static int failed_call(const char *what, int rc)
{
    fprintf(stderr, "gqa_rotate: %s: %s (%s)\n", what, posenc_strerror(rc), posenc_last_error());
    return 2;
}

int main(void)
{
    /* A chunk of a long prompt past position 100,000, and the last position of the 128k
     * context. */
    int64_t pos[N_TOKENS];
    for (int t = 0; t < N_TOKENS - 1; t++)
        pos[t] = 100000 + t;
    pos[N_TOKENS - 1] = 131071;

    static uint16_t qkv[N_TOKENS * ROW], before[N_TOKENS * ROW];
    static float qkv_f32[N_TOKENS * ROW];
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (size_t e = 0; e < (size_t)N_TOKENS * ROW; e++) {
        qkv[e] = before[e] = float_to_bf16(next_value(&seed));
        qkv_f32[e] = bf16_to_float(qkv[e]);
    }

    /* q: 32 heads at the start of each row; k: 8 heads after them; both step a whole row. */
    const posenc_layout q_layout = { .n_heads = N_HEADS, .token_stride = ROW };
    const posenc_layout k_layout = { .n_heads = N_KV_HEADS, .token_stride = ROW };
    const size_t k_offset = (size_t)N_HEADS * HEAD_DIM;
    const size_t v_offset = k_offset + (size_t)N_KV_HEADS * HEAD_DIM;

    posenc_params p16 = llama31_params(POSENC_DTYPE_BF16), p32 = llama31_params(POSENC_DTYPE_F32);
    posenc_plan *plan16, *plan32;
    int rc = posenc_plan_create(NULL, &p16, &plan16); /* NULL: the best backend for this CPU */
    if (rc != POSENC_OK)
        return failed_call("posenc_plan_create (bf16)", rc);
    rc = posenc_plan_create(posenc_plan_impl(plan16), &p32, &plan32);
    if (rc != POSENC_OK)
        return failed_call("posenc_plan_create (f32)", rc);

    if ((rc = posenc_apply(plan16, pos, N_TOKENS, qkv, &q_layout)) != POSENC_OK ||
        (rc = posenc_apply(plan16, pos, N_TOKENS, qkv + k_offset, &k_layout)) != POSENC_OK)
        return failed_call("posenc_apply (bf16)", rc);
    if ((rc = posenc_apply(plan32, pos, N_TOKENS, qkv_f32, &q_layout)) != POSENC_OK ||
        (rc = posenc_apply(plan32, pos, N_TOKENS, qkv_f32 + k_offset, &k_layout)) != POSENC_OK)
        return failed_call("posenc_apply (f32)", rc);

    const posenc_impl *impl = posenc_plan_impl(plan16);
    double bound_u = impl->max_err_u;
    double frequency[HALF];
    for (int i = 0; i < HALF; i++)
        frequency[i] = llama31_frequency(i);

    long bits_differ = 0, beyond_bound = 0, v_changed = 0;
    double worst_u = 0.0; /* error / max(|a|, |b|), in u = 2^-24 */
    for (int t = 0; t < N_TOKENS; t++) {
        const uint16_t *row = qkv + (size_t)t * ROW, *row0 = before + (size_t)t * ROW;
        const float *row32 = qkv_f32 + (size_t)t * ROW;
        for (size_t e = 0; e < v_offset; e++)
            bits_differ += row[e] != float_to_bf16(row32[e]);
        for (size_t e = v_offset; e < ROW; e++)
            v_changed += row[e] != row0[e];
        for (int h = 0; h < N_HEADS + N_KV_HEADS; h++) {
            const uint16_t *in = row0 + (size_t)h * HEAD_DIM;
            const float *out = row32 + (size_t)h * HEAD_DIM;
            for (int i = 0; i < HALF; i++) {
                /* the angle in double: its error (about 2^-53 of p w) is far below the bound */
                double angle = (double)pos[t] * frequency[i], c = cos(angle), s = sin(angle);
                double a = bf16_to_float(in[i]), b = bf16_to_float(in[i + HALF]);
                double scale = fmax(fabs(a), fabs(b));
                double err = fmax(fabs(out[i] - (a * c - b * s)),
                                  fabs(out[i + HALF] - (a * s + b * c)));
                /* the bound of posenc.h (posenc_impl.max_err_u), plus 2^-40 relative for this
                 * reference's own rounding */
                if (err > (bound_u * 0x1p-24 + 0x1p-40) * scale + 0x1p-149)
                    beyond_bound++;
                if (scale > 0 && err / scale / 0x1p-24 > worst_u)
                    worst_u = err / scale / 0x1p-24;
            }
        }
    }
    posenc_plan_destroy(plan16);
    posenc_plan_destroy(plan32);

    printf("gqa_rotate: %s, Llama 3.1 8B (llama3 scaling x%g), %d tokens at positions %lld..%lld "
           "and %lld, q %d heads and k %d heads of %d in bf16\n",
           impl->name, FACTOR, N_TOKENS, (long long)pos[0], (long long)pos[N_TOKENS - 2],
           (long long)pos[N_TOKENS - 1], N_HEADS, N_KV_HEADS, HEAD_DIM);
    printf("  bf16 results differing from the f32 rotation rounded once: %ld (must be 0)\n",
           bits_differ);
    printf("  f32 pairs beyond %g u of the exact rotation: %ld (must be 0; worst %.3g u)\n",
           bound_u, beyond_bound, worst_u);
    printf("  v values changed: %ld (must be 0)\n", v_changed);
    int ok = bits_differ == 0 && beyond_bound == 0 && v_changed == 0;
    printf("gqa_rotate: %s\n", ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
}
