/* vec_half_template.h - the functions of a vec_half_isa table (vec_half.h) written once over the
 * vector API; a vec_half_<isa>.c includes its vec_<isa>.h, defines VEC_HALF_SUFFIX, VEC_HALF_NAME
 * and VEC_HALF_FEATURES, then this. */
#include "posenc.h"
#include "vec_half.h"

#define VH_CAT2(a, b) a##_##b
#define VH_CAT(a, b) VH_CAT2(a, b)
#define VH(name) VH_CAT(name, VEC_HALF_SUFFIX)

static void VH(widen_f16)(const uint16_t *in, float *out, size_t n)
{
    size_t j = 0;
    for (; j + VL <= n; j += VL)
        vf_storeu(out + j, vf_load_f16(in + j));
    if (j < n)
        vf_storeu_n(out + j, vf_load_f16_n(in + j, n - j), n - j);
}

static void VH(widen_bf16)(const uint16_t *in, float *out, size_t n)
{
    size_t j = 0;
    for (; j + VL <= n; j += VL)
        vf_storeu(out + j, vf_load_bf16(in + j));
    if (j < n)
        vf_storeu_n(out + j, vf_load_bf16_n(in + j, n - j), n - j);
}

static void VH(narrow_f16)(const float *in, uint16_t *out, size_t n)
{
    size_t j = 0;
    for (; j + VL <= n; j += VL)
        vf_store_f16(out + j, vf_loadu(in + j));
    if (j < n)
        vf_store_f16_n(out + j, vf_loadu_n(in + j, n - j), n - j);
}

static void VH(narrow_bf16)(const float *in, uint16_t *out, size_t n)
{
    size_t j = 0;
    for (; j + VL <= n; j += VL)
        vf_store_bf16(out + j, vf_loadu(in + j));
    if (j < n)
        vf_store_bf16_n(out + j, vf_loadu_n(in + j, n - j), n - j);
}

static void VH(copy_f32)(const float *in, float *out, size_t n)
{
    size_t j = 0;
    for (; j + VL <= n; j += VL)
        vf_storeu(out + j, vf_loadu(in + j));
    if (j < n)
        vf_storeu_n(out + j, vf_loadu_n(in + j, n - j), n - j);
}

static void VH(load_lanes)(int type, const void *in, size_t n, float *out)
{
    vf v = type == VEC_HALF_F16    ? vf_load_f16_n((const uint16_t *)in, n)
           : type == VEC_HALF_BF16 ? vf_load_bf16_n((const uint16_t *)in, n)
                                   : vf_loadu_n((const float *)in, n);
    vf_storeu(out, v);
}

const vec_half_isa VH(vec_half) = {
    .name = VEC_HALF_NAME,
    .lanes = VL,
    .cpu_features = VEC_HALF_FEATURES,
    .widen_f16 = VH(widen_f16),
    .widen_bf16 = VH(widen_bf16),
    .narrow_f16 = VH(narrow_f16),
    .narrow_bf16 = VH(narrow_bf16),
    .copy_f32 = VH(copy_f32),
    .load_lanes = VH(load_lanes),
};
