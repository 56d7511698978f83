/* vec_portable.h - the vector API of impls/simd/kernels.h in plain C: 4 lanes held in arrays, so
 * the table backend has a kernels.h instance on every CPU (its fallback when neither AVX2 nor
 * NEON runs). Lane-wise IEEE operations, so the results are those of any other instance; the
 * typed vocabulary (16-bit loads and stores, masked tails, doubles) is core/half.h's scalar
 * conversions and plain C, the definition the ISA headers reproduce. */
#ifndef POSENC_TABLE_VEC_PORTABLE_H
#define POSENC_TABLE_VEC_PORTABLE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/half.h"
#include "core/special_values.h"

/* Four lanes, not one: rotate_interleaved swaps neighbouring lanes within a vector. */
#define VL 4
typedef struct {
    float v[VL];
} vf;
typedef struct {
    uint32_t v[VL];
} vi;

#define VEC_LANES(k) for (int k = 0; k < VL; k++)

static inline vf vf_loadu(const float *p)
{
    vf r;
    memcpy(r.v, p, sizeof r.v);
    return r;
}
static inline void vf_storeu(float *p, vf v) { memcpy(p, v.v, sizeof v.v); }
/* No streaming store (vf_stream, VEC_STREAM_BYTES): outputs of every size take ordinary stores
   (simd/kernel_common.h). */
static inline vf vf_set1(float x)
{
    vf r;
    VEC_LANES(k) r.v[k] = x;
    return r;
}
static inline vf vf_add(vf a, vf b)
{
    VEC_LANES(k) a.v[k] = a.v[k] + b.v[k];
    return a;
}
static inline vf vf_sub(vf a, vf b)
{
    VEC_LANES(k) a.v[k] = a.v[k] - b.v[k];
    return a;
}
static inline vf vf_mul(vf a, vf b)
{
    VEC_LANES(k) a.v[k] = a.v[k] * b.v[k];
    return a;
}
static inline vf vf_fma(vf a, vf b, vf c)
{
    VEC_LANES(k) a.v[k] = fmaf(a.v[k], b.v[k], c.v[k]);
    return a;
}

static inline vi vi_loadu(const uint32_t *p)
{
    vi r;
    memcpy(r.v, p, sizeof r.v);
    return r;
}
static inline vi vi_set1(uint32_t x)
{
    vi r;
    VEC_LANES(k) r.v[k] = x;
    return r;
}
static inline vi vi_add(vi a, vi b)
{
    VEC_LANES(k) a.v[k] += b.v[k];
    return a;
}
static inline vi vi_sub(vi a, vi b)
{
    VEC_LANES(k) a.v[k] -= b.v[k];
    return a;
}
static inline vi vi_and(vi a, vi b)
{
    VEC_LANES(k) a.v[k] &= b.v[k];
    return a;
}
static inline vi vi_srli(vi a, int n)
{
    VEC_LANES(k) a.v[k] >>= n;
    return a;
}
static inline vi vi_slli(vi a, int n)
{
    VEC_LANES(k) a.v[k] <<= n;
    return a;
}

/* signed int32 lanes to float, rounding to nearest as (float)int32 does */
static inline vf vf_from_vi(vi v)
{
    vf r;
    VEC_LANES(k) r.v[k] = (float)(int32_t)v.v[k];
    return r;
}

/* lanes whose bit 0 of q is set take b, the others a */
static inline vf vf_select_odd(vi q, vf a, vf b)
{
    VEC_LANES(k) if (q.v[k] & 1) a.v[k] = b.v[k];
    return a;
}

/* v with its sign bits xor-ed by bit 31 of `bits` */
static inline vf vf_xor_sign(vf v, vi bits)
{
    VEC_LANES(k)
    {
        uint32_t u;
        memcpy(&u, &v.v[k], sizeof u);
        u ^= bits.v[k] & UINT32_C(0x80000000);
        memcpy(&v.v[k], &u, sizeof u);
    }
    return v;
}

/* nonzero when a lane of a or b is NaN */
static inline int vf_any_nan2(vf a, vf b)
{
    int any = 0;
    VEC_LANES(k) any |= a.v[k] != a.v[k] || b.v[k] != b.v[k];
    return any;
}

/* v with every NaN lane replaced by the canonical NaN 0x7fc00000 */
static inline vf vf_canon_nan(vf v)
{
    VEC_LANES(k) v.v[k] = posenc_canon_nan(v.v[k]);
    return v;
}

/* (s, c) = (cs, -sn) in the lanes whose bit 30 of q is set, (sn, cs) in the others */
static inline void vf_quarter_turn(vi q, vf sn, vf cs, vf *s, vf *c)
{
    VEC_LANES(k)
    {
        int odd = (q.v[k] >> 30) & 1;
        s->v[k] = odd ? cs.v[k] : sn.v[k];
        c->v[k] = odd ? -sn.v[k] : cs.v[k];
    }
}

/* the rounded top 32 bits of p * w[k] mod 2^64, plus add, as the ISA headers compute them */
static inline vi vi_turns32(uint32_t p, const uint64_t *w, const uint32_t *hi, const uint32_t *lo,
                            uint32_t add)
{
    (void)hi;
    (void)lo;
    vi r;
    VEC_LANES(k)
    r.v[k] = (uint32_t)(((uint64_t)p * w[k] + (UINT64_C(1) << 31)) >> 32) + add;
    return r;
}

/* *first = (a0 b0 a1 b1), *second = (a2 b2 a3 b3) */
static inline void vf_zip(vf a, vf b, vf *first, vf *second)
{
    vf r[2];
    VEC_LANES(k)
    {
        r[k / 2].v[2 * (k % 2)] = a.v[k];
        r[k / 2].v[2 * (k % 2) + 1] = b.v[k];
    }
    *first = r[0];
    *second = r[1];
}

/* (v0, v1, v2, v3) -> (v1, v0, v3, v2) */
static inline vf vf_swap_pairs(vf v)
{
    vf r = {{v.v[1], v.v[0], v.v[3], v.v[2]}};
    return r;
}

/* ---- masked tails: n < VL lanes (n <= VL allowed), the others zero (loads) or untouched
   (stores) */
static inline vf vf_loadu_n(const float *p, size_t n)
{
    vf r = {{0}};
    memcpy(r.v, p, n * sizeof *p);
    return r;
}
static inline void vf_storeu_n(float *p, vf v, size_t n) { memcpy(p, v.v, n * sizeof *p); }

/* ---- 16-bit element types: core/half.h's conversions lane by lane ------------------------- */

static inline float vec_bits_to_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}
static inline uint32_t vec_f32_to_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline vf vf_load_bf16_n(const uint16_t *p, size_t n)
{
    vf r = {{0}};
    for (size_t k = 0; k < n; k++)
        r.v[k] = vec_bits_to_f32(posenc_bf16_to_f32_bits(p[k]));
    return r;
}
static inline vf vf_load_f16_n(const uint16_t *p, size_t n)
{
    vf r = {{0}};
    for (size_t k = 0; k < n; k++)
        r.v[k] = vec_bits_to_f32(posenc_f16_to_f32_bits(p[k]));
    return r;
}
static inline void vf_store_bf16_n(uint16_t *p, vf v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        p[k] = posenc_f32_bits_to_bf16(vec_f32_to_bits(v.v[k]));
}
static inline void vf_store_f16_n(uint16_t *p, vf v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        p[k] = posenc_f32_bits_to_f16(vec_f32_to_bits(v.v[k]));
}
static inline vf vf_load_bf16(const uint16_t *p) { return vf_load_bf16_n(p, VL); }
static inline vf vf_load_f16(const uint16_t *p) { return vf_load_f16_n(p, VL); }
static inline void vf_store_bf16(uint16_t *p, vf v) { vf_store_bf16_n(p, v, VL); }
static inline void vf_store_f16(uint16_t *p, vf v) { vf_store_f16_n(p, v, VL); }

/* ---- 16-bit pairs: 2 VL elements as two float vectors (simd/vec_half_pairs.h): each half
   through core/half.h (whose narrowing already makes every NaN canonical) */
#define VEC_BF16_ORDER VEC_ORDER_HALVES
#define VEC_F16_ORDER VEC_ORDER_HALVES

static inline void vf_load2_bf16(const uint16_t *p, vf *lo, vf *hi)
{
    *lo = vf_load_bf16(p);
    *hi = vf_load_bf16(p + VL);
}
static inline void vf_store2_bf16(uint16_t *p, vf lo, vf hi)
{
    vf_store_bf16(p, lo);
    vf_store_bf16(p + VL, hi);
}
static inline void vf_load2_f16(const uint16_t *p, vf *lo, vf *hi)
{
    *lo = vf_load_f16(p);
    *hi = vf_load_f16(p + VL);
}
static inline void vf_store2_f16(uint16_t *p, vf lo, vf hi)
{
    vf_store_f16(p, lo);
    vf_store_f16(p + VL, hi);
}

/* (a0 b0 a1 b1), (a2 b2 a3 b3) -> a, b: vf_zip's inverse */
static inline void vf_unzip(vf first, vf second, vf *a, vf *b)
{
    VEC_LANES(k)
    {
        const vf *src = k < VL / 2 ? &first : &second;
        a->v[k] = src->v[2 * (k % (VL / 2))];
        b->v[k] = src->v[2 * (k % (VL / 2)) + 1];
    }
}

/* ---- doubles ------------------------------------------------------------------------------- */

/* (float)((double)(int32)t * k) on every lane */
static inline vf vf_from_vi_mul_f64(vi t, double k)
{
    vf r;
    VEC_LANES(j) r.v[j] = (float)((double)(int32_t)t.v[j] * k);
    return r;
}

#endif
