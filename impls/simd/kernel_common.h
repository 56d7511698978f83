/* kernel_common.h - what the encode/apply kernels of impls/simd/kernels.h share, for one
 * instance (one ISA, one phase source): the defaults of the configuration macros, the phase
 * source, the NaN rule on two vectors, the rotary phase (M-RoPE axes and the attention factor
 * over any phase source) and the block helpers. Included once per instance by kernels.h, before
 * the per-encoding headers (no include guard: a file may hold two instances).
 *
 * The phase source is where backends differ (polynomial, SLEEF, table); the loops of the
 * per-encoding headers are shared. It provides
 *   KFN(phase)                          the state for one position,
 *   KFN(phase_at)(&ph, plan, p)         set it up for position p,
 *   KFN(phase_vec)(&ph, i, &s, &c)      sin and cos of frequencies i .. i+VL-1 (i < n_freq).
 * phase_vec may read constants up to the next multiple of VL past n_freq (they are padded);
 * the lanes past n_freq hold values no kernel stores. A source whose values already include the
 * attention factor (the table) defines SIMD_PHASE_HAS_ATTENTION.
 *
 * Rotary kernels read the phase through KFN(rphase), which adds what every source shares: the
 * position of each lane's M-RoPE axis (one phase per axis, blended by the plan's axis map) and
 * the attention factor (one multiply). Variants are the plan's constants, not code here. */
#include <stdint.h>
#include <string.h>

#include "core/plan.h"
#include "core/rotation.h"
#include "core/special_values.h"
#include "simd/simd_plan.h"

#include "simd/kernel_names.h"

#ifndef SIMD_PHASE_SOURCE
#include "simd/phase_poly.h"
#endif

#ifndef ISA_BOUND_SINUSOIDAL
#define ISA_BOUND_SINUSOIDAL 4.0
#endif
#ifndef ISA_METHOD
#define ISA_METHOD "exact 64-bit phase, float polynomial sincos"
#endif
#ifndef ISA_ALGORITHM
#define ISA_ALGORITHM "poly32"
#endif
#ifndef ISA_FLAGS
#define ISA_FLAGS 0u
#endif
#ifndef ISA_BOUND_ROTARY
#define ISA_BOUND_ROTARY 8.0
#endif

#define KALIGN _Alignas(64)

/* ---- the NaN rule on two vectors ---------------------------------------------------------- */

/* *a and *b with every NaN lane canonical (posenc.h's special value rule) */
static inline void KFN(canon_nan2)(vf *a, vf *b)
{
    if (vf_any_nan2(*a, *b)) {
        *a = vf_canon_nan(*a);
        *b = vf_canon_nan(*b);
    }
}

/* ---- the rotation of VL pairs -------------------------------------------------------------- */

/* *ra = a c - b s, *rb = a s + b c on every lane: core/rotation.h's posenc_rotate_pair, the same
   operations in the same order, so the scalar tails that call that give a lane's bits. */
static inline void KFN(rotate)(vf a, vf b, vf c, vf s, vf *ra, vf *rb)
{
    *ra = vf_sub(vf_mul(a, c), vf_mul(b, s));
    *rb = vf_add(vf_mul(a, s), vf_mul(b, c));
}

/* ---- the rotary phase: M-RoPE axes and the attention factor over any phase source ---------- */

typedef struct {
    KFN(phase) ax[3];    /* the phase at each axis' position (one axis: ax[0] only) */
    const uint32_t *axis; /* M-RoPE: the plan's axis map; NULL for one axis */
    int sections;        /* the axes form three runs (sections): a vector with one axis at both
                            ends has it in every lane */
    int scaled;          /* the attention factor is not 1 and the source leaves it out */
    vf af;
} KFN(rphase);

/* The phase of token t of n; pos as posenc_encode takes it (M-RoPE: axis-major). */
static inline void KFN(rphase_at)(KFN(rphase) *r, const posenc_plan *plan, const int64_t *pos,
                                  size_t n, size_t t)
{
    r->axis = plan->axis;
    r->sections = plan->params.mrope.layout == POSENC_MROPE_SECTIONS;
    KFN(phase_at)(&r->ax[0], plan, pos[t]);
    if (plan->axis) {
        KFN(phase_at)(&r->ax[1], plan, pos[n + t]);
        KFN(phase_at)(&r->ax[2], plan, pos[2 * n + t]);
    }
#ifdef SIMD_PHASE_HAS_ATTENTION
    r->scaled = 0;
#else
    r->scaled = plan->attention_f != 1.0f;
#endif
    r->af = vf_set1(plan->attention_f);
}

/* sin and cos of frequencies i .. i+VL-1, each lane at its own axis' position */
static inline void KFN(rphase_vec)(const KFN(rphase) *r, size_t i, vf *s, vf *c)
{
    if (!r->axis) {
        KFN(phase_vec)(&r->ax[0], i, s, c);
    } else if (r->sections && r->axis[i] == r->axis[i + VL - 1]) {
        KFN(phase_vec)(&r->ax[r->axis[i]], i, s, c);
    } else { /* lanes of several axes: each axis' phase, blended by the map (axes 0, 1, 2) */
        vi lanes = vi_loadu(r->axis + i);
        vf s1, c1, s2, c2;
        KFN(phase_vec)(&r->ax[0], i, s, c);
        KFN(phase_vec)(&r->ax[1], i, &s1, &c1);
        KFN(phase_vec)(&r->ax[2], i, &s2, &c2);
        /* vf_select_odd(q, even, odd): axis 1 is the only odd one, and 2 the only one whose
           half is odd */
        *s = vf_select_odd(lanes, *s, s1);
        *c = vf_select_odd(lanes, *c, c1);
        vi is2 = vi_srli(lanes, 1);
        *s = vf_select_odd(is2, *s, s2);
        *c = vf_select_odd(is2, *c, c2);
    }
    if (r->scaled) {
        *s = vf_mul(*s, r->af);
        *c = vf_mul(*c, r->af);
    }
}

/* ---- blocks: the cos/sin of a block of frequencies, computed once per token --------------- */

/* c[j], s[j] = cos, sin of frequency i0 + j of token r, for j < count rounded up to VL (the
   buffers hold SIMD_BLOCK floats, a multiple of VL) */
static inline void KFN(phase_block)(const KFN(rphase) *r, size_t i0, size_t count, float *c,
                                    float *s)
{
    if (!r->axis && !r->scaled) { /* plain RoPE: the source alone, no test per vector */
        for (size_t j = 0; j < count; j += VL) {
            vf sv, cv;
            KFN(phase_vec)(&r->ax[0], i0 + j, &sv, &cv);
            vf_storeu(s + j, sv);
            vf_storeu(c + j, cv);
        }
        return;
    }
    for (size_t j = 0; j < count; j += VL) {
        vf sv, cv;
        KFN(rphase_vec)(r, i0 + j, &sv, &cv);
        vf_storeu(s + j, sv);
        vf_storeu(c + j, cv);
    }
}

/* ---- streaming stores: outputs past the plan's threshold (core/streaming.c) --------------- */

/* The vector API's streaming stores (vf_stream, vf_stream_bf16 / _f16, vec_stream_fence;
   VEC_STREAM_BYTES and VEC_STREAM16_BYTES their alignments) where the ISA has them; elsewhere
   (NEON, portable C) no output is streamed and the helpers below are ordinary stores. Kernels
   pass `stream` as a constant at each call of an inlined loop, so the loop without streaming
   carries no test. A streamed vector store needs an aligned address: the others (a row's head
   and tail, rows whose layout never meets the alignment) are ordinary stores of the same bits. */
#ifdef VEC_STREAM_BYTES
#define KSTREAM_BYTES VEC_STREAM_BYTES
#define KSTREAM16_BYTES VEC_STREAM16_BYTES
#else
#define KSTREAM_BYTES 0
#define KSTREAM16_BYTES 0
#endif

/* A call writing `bytes` of output streams them (never on an ISA without streaming stores):
   `computed` for a kernel that computes its rows, which has its own threshold (plan.h). */
static inline int KFN(streams)(const posenc_plan *plan, size_t bytes, int computed)
{
    return KSTREAM_BYTES &&
           bytes >= (computed ? plan->stream_computed_bytes : plan->stream_bytes);
}

/* The streamed stores of a call (`stream`: it made some) visible to other threads in order
   before it returns (x86 orders them only at a fence). */
static inline void KFN(stream_end)(int stream)
{
#ifdef VEC_STREAM_BYTES
    if (stream)
        vec_stream_fence();
#else
    (void)stream;
#endif
}

#ifndef VEC_STREAM_BYTES /* never reached: KFN(stream_at) is false without streaming stores */
#define vf_stream vf_storeu
#define vf_stream_bf16 vf_store_bf16
#define vf_stream_f16 vf_store_f16
#endif

/* p is streamed to: `stream`, and p aligned as the ISA's streaming stores need */
static inline int KFN(stream_at)(const void *p, size_t align, int stream)
{
    return stream && align && ((uintptr_t)p & (align - 1)) == 0;
}

/* *p = v: streamed when `stream` and p is aligned for it */
static inline void KFN(put)(float *p, vf v, int stream)
{
    if (KFN(stream_at)(p, KSTREAM_BYTES, stream))
        vf_stream(p, v);
    else
        vf_storeu(p, v);
}
static inline void KFN(put_bf16)(uint16_t *p, vf v, int stream)
{
    if (KFN(stream_at)(p, KSTREAM16_BYTES, stream))
        vf_stream_bf16(p, v);
    else
        vf_store_bf16(p, v);
}
static inline void KFN(put_f16)(uint16_t *p, vf v, int stream)
{
    if (KFN(stream_at)(p, KSTREAM16_BYTES, stream))
        vf_stream_f16(p, v);
    else
        vf_store_f16(p, v);
}

/* Where a streamed row starts its vectors: the first k < VL such that p + k * step bytes is
   aligned to `align` (p the row's first element, step the bytes one vector index advances it),
   so the vector stores from k on are aligned and [0, k) is a head of ordinary stores; 0 when
   no k is (or when not streaming). */
static inline size_t KFN(stream_skew)(const void *p, size_t step, size_t align, int stream)
{
    if (!stream || !align)
        return 0;
    size_t mis = (size_t)(-(uintptr_t)p & (align - 1));
    return mis % step == 0 && mis / step < VL ? mis / step : 0;
}

/* dst[0 .. n) = src[0 .. n) (bits as they are), the aligned middle streamed */
static inline void KFN(stream_copy)(float *dst, const float *src, size_t n)
{
    size_t j = KFN(stream_skew)(dst, sizeof(float), KSTREAM_BYTES, 1);
    if (j > n)
        j = n;
    memcpy(dst, src, j * sizeof(float));
    for (; j + 2 * VL <= n; j += 2 * VL) {
        vf a = vf_loadu(src + j), b = vf_loadu(src + j + VL);
        KFN(put)(dst + j, a, 1);
        KFN(put)(dst + j + VL, b, 1);
    }
    for (; j + VL <= n; j += VL)
        KFN(put)(dst + j, vf_loadu(src + j), 1);
    memcpy(dst + j, src + j, (n - j) * sizeof(float));
}

/* name's bfloat16 or float16 instance (name_bf16_<ISA>, name_f16_<ISA>), by the plan's dtype:
   the 16-bit entry points of the per-type kernel headers */
#define KFN_BY_DTYPE(plan, name, ...)                                                           \
    ((plan)->params.dtype == POSENC_DTYPE_BF16 ? KFN(KCAT(name, bf16))(__VA_ARGS__)             \
                                               : KFN(KCAT(name, f16))(__VA_ARGS__))

static inline size_t KFN(block_len)(size_t n_freq, size_t i0)
{
    return n_freq - i0 < SIMD_BLOCK ? n_freq - i0 : SIMD_BLOCK;
}
