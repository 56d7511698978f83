// cases.h - what `posenc bench` times: one Case per (operation, model shape), run by every
// implementation of its encoding. Two suites: "models" (shapes of real models, the default, with
// the RoPE scaling, M-RoPE and ALiBi variants whose settings come from the models file,
// model_settings.h) and "targets" (the shapes of the speed targets, with their summary table).
#ifndef POSENC_BENCH_CASES_H
#define POSENC_BENCH_CASES_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "mempass.h"
#include "posenc.h"

namespace posenc_bench {

// kScores: posenc_alibi_apply on a heads x queries x keys score matrix. kPlan: posenc_plan_create
// and posenc_plan_destroy of the case's parameters (what an engine pays when it re-derives the
// frequencies, e.g. dynamic NTK as the sequence grows); it moves no buffer.
enum class Op { kEncode, kApply, kScores, kPlan };

// Bytes of one element: 4 for float32, 2 for bfloat16 and float16.
inline size_t element_size(posenc_dtype dtype) { return dtype == POSENC_DTYPE_F32 ? 4 : 2; }

struct Case {
    std::string family;  // "rotary_apply", "sinusoidal_encode", ...
    std::string model;   // "Llama-3-8B"; "" in most of the targets suite
    std::string shape;   // "T=4096", "decode@131071", "seq=512"
    std::string about;   // "32 q + 8 kv heads x 128, positions 0..4095"
    posenc_params params; // params.dtype is the element type of x (or of the encoded rows)
    Op op = Op::kApply;
    size_t n_tokens = 0;
    size_t n_heads = 1;  // heads rotated per token (apply): rotary q and k heads together
    size_t kv_heads = 0; // rotary: key/value heads (the head groups of attention)
    std::vector<int64_t> pos;          // n_tokens positions; M-RoPE: 3 n_tokens, axis-major
    size_t n_keys = 0;                 // scores: key columns per query row (keys at pos too)
    std::string model_key;             // the models file's entry the case was made from, or ""
    bool attention = false;            // also time Q.K^T of one head group (rotary prefill,
                                       // alibi scores)
    int32_t qk_dim = 0;                // head size of that Q.K^T; 0 means params.dim
    bool selected = true;              // false: left out by the command's filters
    posenc_weights *weights = nullptr; // learned: made on first use, kept for the run

    int64_t max_position() const;
    // Elements of x (apply) or of the encoded rows (encode), of the case's dtype.
    size_t elements() const;
    size_t element_bytes() const { return element_size(params.dtype); }
    // "f32", "bf16", "f16" (posenc_dtype_name).
    const char *dtype_name() const { return posenc_dtype_name(params.dtype); }
    size_t buffer_bytes() const { return elements() * element_bytes(); }
    // Bytes moved per call: apply reads and writes x (learned also reads one row of W per
    // token, float32 whatever the dtype of x: posenc.h keeps W in float32); encode writes its
    // rows.
    size_t traffic_bytes() const;
    // The reference pass: what the kernel must move, over elements of the case's type. Write
    // for encode; read+write for apply and scores; for learned apply the read+write of x with
    // the read of as many float32 values as W gives it (mempass_rw_r32, mempass_rw_bf16_r32):
    // the W rows the kernel reads. None for plan.
    bool has_ref() const { return op != Op::kPlan; }
    PassKind ref_kind() const;
    // Every way of moving those bytes this build times (mempass_ways), each timed beside the
    // case: its reference is the fastest of them in the run (runner.h, case_reference). Their
    // benchmark names, "<family>/bytes=<buffer_bytes>"; none for plan.
    std::vector<Pass> ref_passes() const;
    std::vector<std::string> ref_names() const;
    // M-RoPE: 3 positions per token.
    size_t axes() const { return params.mrope.layout != POSENC_MROPE_NONE ? 3 : 1; }
    // The variant, named from the parameters: "rope", "linear", "ntk", "dynamic", "yarn",
    // "llama3", "longrope-short" / "longrope-long" (the factor set seq_len picks), "mrope" /
    // "mrope-interleaved", "alibi-causal", "alibi-full", "alibi-key-only"; "" for sinusoidal and
    // learned.
    std::string variant() const;
    // The attention factor multiplying cos and sin (posenc.h, posenc_scaling_type: yarn and
    // longrope, from their definitions; 1 for the others and for alibi).
    double attention_factor() const;
    // "rotary_apply/llama-3-8b/T=512": the benchmark name without the implementation; a bf16
    // or f16 case ends in its dtype ("rotary_apply/llama-3-8b/T=512/bf16"), a float32 case
    // has none (the names of the float32 cases predate the other types).
    std::string group() const;
    std::string name(const posenc_impl *impl) const { return group() + "/impl=" + impl->name; }
    // One call of the case's operation through the public entry point (posenc_apply over
    // n_heads heads per token, or posenc_encode) on x, elements of the case's dtype; the
    // posenc code. Scores: posenc_alibi_apply over n_heads heads of n_tokens x n_keys. Plan:
    // a new plan of plan's implementation and parameters, made and destroyed (x is not used).
    int call(const posenc_plan *plan, void *x) const
    {
        switch (op) {
        case Op::kApply: {
            const posenc_layout layout = {n_heads, 0, 0};
            return posenc_apply(plan, pos.data(), n_tokens, x, &layout);
        }
        case Op::kScores: {
            const posenc_score_layout layout = {0, n_heads, 0, 0};
            return posenc_alibi_apply(plan, pos.data(), n_tokens, pos.data(), n_keys, x,
                                      &layout);
        }
        case Op::kPlan: {
            posenc_plan *fresh = nullptr;
            int rc = posenc_plan_create(posenc_plan_impl(plan), posenc_plan_params(plan), &fresh);
            posenc_plan_destroy(fresh);
            return rc;
        }
        default: return posenc_encode(plan, pos.data(), n_tokens, x);
        }
    }
    // The learned table W (rows = the case's positions), made on first use.
    const posenc_weights *learned_weights();
    // The parameters a plan for this case is made with (timing and counting alike): learned
    // gets the case's W; the others max_positions = the positions the case uses, so a table
    // implementation holds that many rows, as an engine sizes it to its context (computed
    // encodings only check against it). A common design (POSENC_IMPL_DESIGN) is the fp32
    // recipe and gets that angle mode.
    posenc_params plan_params(const posenc_impl *impl);
};

// The cases of the run, in registration order; a deque, since benchmarks keep pointers to them.
std::deque<Case> &cases();

// The models suite: sinusoidal (Transformer base and big), learned (BERT-base, GPT-2, GPT-2 XL),
// rotary (Llama-2-7B, Llama-3-8B, Qwen2-7B, Pythia-1.4B, GPT-J) prefill and decode, then the
// variants (define_variant_cases; false with *why when the models file fails). quick keeps one
// or two shapes of each kind. Beside some float32 cases, the same case on bfloat16 and on
// float16 data: the rotary prefills and decodes of Llama-3-8B and Qwen2-7B (quick: the prefill
// and the decode at 4095), the sinusoidal applies of 512 and 4096 positions (quick:
// Transformer-base's of 512) and every learned apply (quick: BERT-base's and GPT-2's).
bool define_model_cases(bool quick, const std::string &models_path, std::string *why);

// The variants, each model's settings taken from the models file (model_settings.h): Llama-3.1-8B
// (llama3), Qwen2.5-7B (YaRN x4), DeepSeek-V2-Lite (YaRN x40, mscale), Phi-3 128k (LongRoPE, both
// factor sets), Llama-2-7B with dynamic NTK (and its plan's cost), Qwen2-VL-7B (M-RoPE on a
// prompt with one image), each beside plain RoPE of the same model on the same shape ("-rope"),
// and ALiBi of BLOOM-7B1 (key-only) and MPT-7B (causal) on T x T scores beside Q.K^T. The
// Llama-3.1-8B cases also run on bfloat16 and float16 data (quick: the decode; their plain
// twins do not). Returns
// false, with *why, when the file lacks an entry the cases need or it does not parse.
// models_path "" reads the embedded copy. The entries used are model_settings.h's
// bench_variant_models.
bool define_variant_cases(const std::string &models_path, bool quick, std::string *why);

// The targets suite: the shapes of the speed targets (targets.h reads them back). The rotary
// prefills are prefill[pairing][shape][T]: pairing 0 half-split (NeoX, Llama), 1 interleaved
// (GPT-J); shape 0 Llama-2-7B's q alone (32 heads x 128: q and k rotated separately, one call
// each), 1 Llama-3-8B's q and k (32 + 8 heads x 128, one call), 2 Llama-2-7B's q and k fused
// in one [T, 64 x 128] buffer (one call); T 512 (0) or 4096 (1). rotary_decode is one token of
// 32 heads x 128 at 100000. The 16-bit targets are on Llama-3-8B's q and k: half[d][0..2] the
// prefills of 512 and 4096 tokens and the decode at 131071 on bfloat16 (d = 0) and float16
// (d = 1) data, each beside the float32 case of the same shape (llama3_f32).
struct TargetCases {
    Case *prefill[2][3][2];
    Case *rotary_4096, *rotary_512, *rotary_decode, *sin_encode, *sin_apply, *learned_small,
        *learned_large;
    Case *llama3_f32[3], *half[2][3];
};
TargetCases define_target_cases();

// x[0 .. n) = values in [-1, 1), the same sequence for a seed (a 64-bit LCG): buffers, learned
// tables and attention operands are filled alike and the same in every run.
void fill_random(float *x, size_t n, uint64_t seed);

// n elements of dtype at x from fill_random's values: floats, their bfloat16 bits (the top 16
// bits), or their float16 bits (rounded toward zero; below 2^-14, zero).
void fill_random_elements(void *x, size_t n, posenc_dtype dtype, uint64_t seed);

// "Llama-3-8B" -> "llama-3-8b": names hold no spaces or regex metacharacters.
std::string slug(const std::string &s);

}  // namespace posenc_bench

#endif
