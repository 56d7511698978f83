/* alibi_bias.c - ALiBi's correctly rounded biases (Ziv's strategy: a double product with a
 * known error, a double-double one when that error straddles a rounding boundary) and the loop
 * over heads and rows that every alibi backend runs with its own row kernel. */
#include "core/alibi_bias.h"

#include <math.h> /* INFINITY */
#include <stdlib.h>
#include <string.h>

#include "core/double_double.h"
#include "core/error.h"

/* RN_float(m v) for the real slope m = hi + lo (|lo| <= ulp(hi) / 2, m <= 1) and 0 <= v < 2^31.
 * p = hi * v is within 1.5 units of its own last place of m v (hi is off by ulp(hi) / 2, the
 * product by half an ulp of p): when the 29 bits float rounding drops from p's 52 are more than
 * 4 units away from half of their range, the midpoint between two floats is too far for the
 * true value to cross it, and (float)p is the correctly rounded result. p below 2^-152 means a
 * true value below 2^-150, half the smallest subnormal: +0. The rest (products near a midpoint,
 * and those in the float subnormal range) take the double-double product, about 2^-100. */
static inline float magnitude_exact(double hi, double lo, int64_t v)
{
    if (v == 0)
        return 0.0f;
    double p = hi * (double)v;
    if (p >= 0x1p-125) {
        uint64_t bits;
        memcpy(&bits, &p, sizeof bits);
        int64_t low = (int64_t)(bits & ((UINT64_C(1) << 29) - 1)) - (INT64_C(1) << 28);
        if (low > 4 || low < -4)
            return (float)p;
    } else if (p < 0x1p-152) {
        return 0.0f;
    }
    return dd_to_float(dd_mul((dd){hi, lo}, (dd){(double)v, 0.0}));
}

float posenc_alibi_magnitude(const posenc_plan *plan, size_t h, int64_t v)
{
    if (plan->params.angle_mode == POSENC_ANGLE_FP32)
        return (float)v * plan->slope_f[h];
    return magnitude_exact(plan->slope_hi[h], plan->slope_lo[h], v);
}

int posenc_alibi_encode(const posenc_plan *plan, const int64_t *pos, size_t n, float *out)
{
    size_t H = plan->row_size;
    for (size_t t = 0; t < n; t++)
        for (size_t h = 0; h < H; h++)
            out[t * H + h] = -posenc_alibi_magnitude(plan, h, pos[t]);
    return POSENC_OK;
}

/* T[t] = -m_h |d_max - t| for t < n (causal: 0 where d_max - t < 0, entries never read): the
   table of one head, in one loop with the slope and the mode hoisted out of it */
static void fill_table(const posenc_plan *plan, size_t h, int64_t d_max, size_t n, int causal,
                       float *table)
{
    if (plan->params.angle_mode == POSENC_ANGLE_FP32) {
        float m = plan->slope_f[h];
        for (size_t t = 0; t < n; t++) {
            int64_t d = d_max - (int64_t)t;
            table[t] = causal && d < 0 ? 0.0f : -((float)(d < 0 ? -d : d) * m);
        }
        return;
    }
    double hi = plan->slope_hi[h], lo = plan->slope_lo[h];
    for (size_t t = 0; t < n; t++) {
        int64_t d = d_max - (int64_t)t;
        table[t] = causal && d < 0 ? 0.0f : -magnitude_exact(hi, lo, d < 0 ? -d : d);
    }
}

/* The per-call facts the loop needs: position ranges and whether the keys are consecutive. */
typedef struct call_shape {
    int64_t q_min, q_max, k_min, k_max;
    int k_consecutive; /* k_pos[j] == k_pos[0] + j for every j */
} call_shape;

static call_shape shape_of(const int64_t *q_pos, size_t n_q, const int64_t *k_pos, size_t n_k)
{
    call_shape c = {q_pos[0], q_pos[0], k_pos[0], k_pos[0], 1};
    for (size_t q = 1; q < n_q; q++) {
        c.q_min = q_pos[q] < c.q_min ? q_pos[q] : c.q_min;
        c.q_max = q_pos[q] > c.q_max ? q_pos[q] : c.q_max;
    }
    for (size_t j = 1; j < n_k; j++) {
        c.k_min = k_pos[j] < c.k_min ? k_pos[j] : c.k_min;
        c.k_max = k_pos[j] > c.k_max ? k_pos[j] : c.k_max;
        c.k_consecutive &= k_pos[j] == k_pos[0] + (int64_t)j;
    }
    return c;
}

/* s[j] = -inf for j < n, s of element type t */
static void fill_neg_inf(void *s, size_t n, posenc_dtype t)
{
    if (t == POSENC_DTYPE_F32) {
        float *f = s;
        for (size_t j = 0; j < n; j++)
            f[j] = -INFINITY;
        return;
    }
    uint16_t v = t == POSENC_DTYPE_BF16 ? UINT16_C(0xff80) : UINT16_C(0xfc00), *h = s;
    for (size_t j = 0; j < n; j++)
        h[j] = v;
}

/* element e of score row s, of e_size bytes each */
static inline void *at(void *s, size_t e, size_t e_size) { return (char *)s + e * e_size; }

/* BLOOM's form: bias m_h k_pos, the same for every query row. */
static void run_key_only(const posenc_plan *plan, const int64_t *k_pos, size_t n_q, size_t n_k,
                         void *scores, const posenc_score_layout *l, posenc_alibi_row_fn add_row,
                         size_t e_size, float *row)
{
    for (size_t h = 0; h < l->n_heads; h++) {
        for (size_t j = 0; j < n_k; j++)
            row[j] = posenc_alibi_magnitude(plan, l->first_head + h, k_pos[j]);
        for (size_t q = 0; q < n_q; q++)
            add_row(at(scores, h * l->head_stride + q * l->row_stride, e_size), row, n_k);
    }
}

int posenc_alibi_run(const posenc_plan *plan, const int64_t *q_pos, size_t n_q,
                     const int64_t *k_pos, size_t n_k, void *scores,
                     const posenc_score_layout *l, const posenc_alibi_rows *rows)
{
    /* float scores unless the implementation takes the plan's 16-bit type itself (else
       core/stage.c hands it float rows) */
    const posenc_dtype t = posenc_plan_native16(plan) ? plan->params.dtype : POSENC_DTYPE_F32;
    const posenc_alibi_row_fn add_row = rows->add[t];
    const size_t e_size = t == POSENC_DTYPE_F32 ? sizeof(float) : sizeof(uint16_t);
    posenc_alibi_form form = plan->params.alibi.form;
    call_shape c = shape_of(q_pos, n_q, k_pos, n_k);
    int causal = form == POSENC_ALIBI_CAUSAL;

    /* Signed distances d = q - k of this call lie in [d_min, d_max]. When that range is not much
       larger than the call (consecutive positions: n_q + n_k - 1 values), each head's biases are
       computed once per distance into a table T[t] = bias(d_max - t): for consecutive keys, a
       query row's biases are then one contiguous slice of it. Otherwise each is computed where
       it is used. */
    int64_t d_min = c.q_min - c.k_max, d_max = c.q_max - c.k_min;
    uint64_t span = (uint64_t)(d_max - d_min) + 1;
    int use_table = form != POSENC_ALIBI_KEY_ONLY &&
                    span <= 2 * ((uint64_t)n_q + (uint64_t)n_k) + 4096;
    int need_row = form == POSENC_ALIBI_KEY_ONLY || !use_table || !c.k_consecutive;
    size_t n_table = use_table ? (size_t)span : 0, n_row = need_row ? n_k : 0;
    float *buf = malloc((n_table + n_row) * sizeof *buf);
    if (!buf)
        return posenc_fail(POSENC_ERR_NOMEM, "no memory for %zu ALiBi biases",
                           n_table + n_row);
    float *table = buf, *row = buf + n_table;

    if (form == POSENC_ALIBI_KEY_ONLY) {
        run_key_only(plan, k_pos, n_q, n_k, scores, l, add_row, e_size, row);
        free(buf);
        return POSENC_OK;
    }
    for (size_t h = 0; h < l->n_heads; h++) {
        size_t head = l->first_head + h;
        void *sh = at(scores, h * l->head_stride, e_size);
        fill_table(plan, head, d_max, n_table, causal, table);
        for (size_t q = 0; q < n_q; q++) {
            int64_t i = q_pos[q];
            void *s = at(sh, q * l->row_stride, e_size);
            if (use_table && c.k_consecutive) {
                /* key j has distance i - k0 - j: T[d_max - i + k0 + j] */
                const float *slice = table + (d_max - (i - k_pos[0]));
                if (causal) {
                    int64_t seen = i - k_pos[0] + 1; /* keys at or before the query */
                    size_t u = seen <= 0 ? 0 : (uint64_t)seen >= n_k ? n_k : (size_t)seen;
                    add_row(s, slice, u);
                    fill_neg_inf(at(s, u, e_size), n_k - u, t);
                } else {
                    add_row(s, slice, n_k);
                }
                continue;
            }
            for (size_t j = 0; j < n_k; j++) {
                int64_t d = i - k_pos[j];
                if (causal && d < 0)
                    row[j] = 0.0f; /* overwritten by the mask below */
                else if (use_table)
                    row[j] = table[d_max - d];
                else
                    row[j] = -posenc_alibi_magnitude(plan, head, d < 0 ? -d : d);
            }
            add_row(s, row, n_k);
            if (causal)
                for (size_t j = 0; j < n_k; j++)
                    if (k_pos[j] > i)
                        fill_neg_inf(at(s, j, e_size), 1, t);
        }
    }
    free(buf);
    return POSENC_OK;
}
