/* vec_half_tails.h - the masked 16-bit loads and stores (vf_load_bf16_n, vf_load_f16_n,
 * vf_store_bf16_n, vf_store_f16_n) of a vector API without 16-bit masked loads or stores (AVX2,
 * NEON): n < VL elements go through a buffer of VL, lanes from n on reading as +0, memory past
 * n untouched. Included by such a vec_<isa>.h after its full-width 16-bit loads and stores. */
#ifndef POSENC_SIMD_VEC_HALF_TAILS_H
#define POSENC_SIMD_VEC_HALF_TAILS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline vf vf_load_bf16_n(const uint16_t *p, size_t n)
{
    uint16_t b[VL] = {0};
    memcpy(b, p, n * sizeof *p);
    return vf_load_bf16(b);
}
static inline vf vf_load_f16_n(const uint16_t *p, size_t n)
{
    uint16_t b[VL] = {0};
    memcpy(b, p, n * sizeof *p);
    return vf_load_f16(b);
}
static inline void vf_store_bf16_n(uint16_t *p, vf v, size_t n)
{
    uint16_t b[VL];
    vf_store_bf16(b, v);
    memcpy(p, b, n * sizeof *p);
}
static inline void vf_store_f16_n(uint16_t *p, vf v, size_t n)
{
    uint16_t b[VL];
    vf_store_f16(b, v);
    memcpy(p, b, n * sizeof *p);
}

#endif
