/* kernels.h - the encode/apply kernels of every vector backend, written once against a small
 * vector API and compiled once per ISA (the libdeflate template pattern). This header is the
 * instance: the shared part (kernel_common.h: the phase source, the rotary phase, the NaN rule,
 * the block helpers), then one header per encoding (sinusoidal_kernels.h, rotary_kernels.h,
 * learned_kernels.h; ALiBi's alibi_kernels.h is included by the backend beside it).
 *
 * Before including, a backend file defines:
 *   - the vector API, by including its vec_<isa>.h: VL lanes; vf/vi types; vf_loadu, vf_storeu,
 *     vf_set1, vf_add, vf_sub, vf_mul, vf_fma; vi_loadu, vi_set1, vi_add, vi_sub, vi_and,
 *     vi_srli, vi_slli; vf_from_vi; vf_select_odd; vf_xor_sign; vf_quarter_turn; vi_turns32;
 *     vf_zip; vf_swap_pairs;
 *     vf_any_nan2 (a NaN in either vector?), vf_canon_nan (every NaN lane to 0x7fc00000);
 *     vf_loadu_n / vf_storeu_n (masked tails); the 16-bit types' vf_load_<t> / vf_store_<t>
 *     (VL elements, and their _n tails) and pair loads and stores vf_load2_<t> / vf_store2_<t>
 *     with VEC_<T>_ORDER and vf_unzip (simd/vec_half_pairs.h), t = bf16, f16; optionally
 *     VEC_HAVE_NATIVE_BF16 with vf_store2_bf16_native (rotary_kernels.h);
 *   - ISA_SUFFIX (avx2), ISA_NAME ("avx2"), ISA_DESC ("AVX2"), ISA_FEATURES (POSENC_CPU_* bits);
 *   - optionally ISA_METHOD, ISA_ALGORITHM, ISA_FLAGS, ISA_BOUND_SINUSOIDAL / ISA_BOUND_ROTARY
 *     when they differ from the polynomial backend's, SIMD_NO_LEARNED, and SIMD_PHASE_SOURCE
 *     when it supplies its own phase source (kernel_common.h) instead of simd/phase_poly.h.
 * It gets the descriptors posenc_{sinusoidal,learned,rotary}_<ISA_SUFFIX> (learned only
 * without SIMD_NO_LEARNED). The configuration macros are undefined at the end, so one file can
 * include this twice with two configurations (SLEEF's u10 and u35).
 *
 * Same bits as the scalar backend: the phase sources compute what the scalar code computes, the
 * rotation and additions are the same IEEE operations on the same operands, and partial vectors
 * fall back to the scalar formulas rather than to other arithmetic.
 *
 * Same bits for NaN too: IEEE fixes every result but a NaN's sign and payload, which differ
 * between ISAs and with the compiler's operand order (core/special_values.h), so every NaN an
 * apply kernel computes is written as 0x7fc00000: the additions check their results, one
 * compare per two vectors (KFN(canon_nan2)), the rotations their inputs (KFN(rotate_vec)), and
 * the scalar tails use posenc_canon_nan2. Finite inputs pay the checks and a branch never
 * taken; the blends run only where a NaN can be. */
#include "simd/kernel_common.h"

#include "simd/sinusoidal_kernels.h"
#include "simd/rotary_kernels.h"
#ifndef SIMD_NO_LEARNED
#include "simd/learned_kernels.h"
#endif

#undef ISA_SUFFIX
#undef ISA_NAME
#undef ISA_DESC
#undef ISA_FEATURES
#undef ISA_ALGORITHM
#undef ISA_METHOD
#undef ISA_FLAGS
#undef ISA_BOUND_SINUSOIDAL
#undef ISA_BOUND_ROTARY
#undef SIMD_PHASE_SOURCE
#undef SIMD_PHASE_HAS_ATTENTION
#undef SIMD_NO_LEARNED
