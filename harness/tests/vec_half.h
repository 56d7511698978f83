/* vec_half.h - the typed loads and stores of each vector API (vec_<isa>.h: 16-bit elements,
 * masked tails) behind plain functions, one table per ISA, so test_vec_half can hold them to
 * core/half.h. Each table is compiled in its own object with its ISA's flags (vec_half_<isa>.c
 * over vec_half_template.h) and called only after the CPU check. */
#ifndef POSENC_TESTS_VEC_HALF_H
#define POSENC_TESTS_VEC_HALF_H

#include <stddef.h>
#include <stdint.h>

/* element types of load_lanes */
enum { VEC_HALF_F32, VEC_HALF_F16, VEC_HALF_BF16 };

typedef struct {
    const char *name;
    unsigned lanes;
    uint64_t cpu_features; /* POSENC_CPU_* bits the object needs, as its backends require */
    /* out[j] = in[j] widened / narrowed / copied, j < n: whole vectors, then one masked tail */
    void (*widen_f16)(const uint16_t *in, float *out, size_t n);
    void (*widen_bf16)(const uint16_t *in, float *out, size_t n);
    void (*narrow_f16)(const float *in, uint16_t *out, size_t n);
    void (*narrow_bf16)(const float *in, uint16_t *out, size_t n);
    void (*copy_f32)(const float *in, float *out, size_t n);
    /* the masked load of n <= lanes elements of a type, all `lanes` lanes stored to out */
    void (*load_lanes)(int type, const void *in, size_t n, float *out);
} vec_half_isa;

extern const vec_half_isa vec_half_portable;
#if TEST_HAVE_AVX2
extern const vec_half_isa vec_half_avx2;
#endif
#if TEST_HAVE_AVX512
extern const vec_half_isa vec_half_avx512;
#endif
#if TEST_HAVE_NEON
extern const vec_half_isa vec_half_neon;
#endif

#endif
