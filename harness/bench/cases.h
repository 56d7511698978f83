// cases.h - what `posenc bench` times: one Case per (operation, model shape), run by every
// implementation of its encoding. Two suites: "models" (shapes of real models, the default) and
// "targets" (the shapes of the speed targets, with their summary table).
#ifndef POSENC_BENCH_CASES_H
#define POSENC_BENCH_CASES_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "posenc.h"

namespace posenc_bench {

enum class Op { kEncode, kApply };

struct Case {
    std::string family;  // "rotary_apply", "sinusoidal_encode", ...
    std::string model;   // "Llama-3-8B"; "" in the targets suite
    std::string shape;   // "T=4096", "decode@131071", "seq=512"
    std::string about;   // "32 q + 8 kv heads x 128, positions 0..4095"
    posenc_params params;
    Op op = Op::kApply;
    size_t n_tokens = 0;
    size_t n_heads = 1;  // heads rotated per token (apply): rotary q and k heads together
    size_t kv_heads = 0; // rotary: key/value heads (the head groups of attention)
    std::vector<int64_t> pos;
    bool attention = false;            // also time Q.K^T of one head group (rotary prefill)
    bool selected = true;              // false: left out by the command's filters
    posenc_weights *weights = nullptr; // learned: made on first use, kept for the run

    int64_t max_position() const;
    // Floats of x (apply) or of the encoded rows (encode).
    size_t elements() const;
    size_t buffer_bytes() const { return elements() * sizeof(float); }
    // Bytes moved per call: apply reads and writes x (learned also reads one row of W per
    // token); encode writes its rows.
    size_t traffic_bytes() const;
    const char *op_name() const { return op == Op::kApply ? "apply" : "encode"; }
    const char *ref_family() const { return op == Op::kApply ? "mempass_rw" : "mempass_w"; }
    std::string ref_name() const;
    // "rotary_apply/llama-3-8b/T=512": the benchmark name without the implementation.
    std::string group() const;
    std::string name(const posenc_impl *impl) const { return group() + "/impl=" + impl->name; }
    // One call of the case's operation through the public entry point (posenc_apply over
    // n_heads heads per token, or posenc_encode) on x; the posenc code.
    int call(const posenc_plan *plan, float *x) const
    {
        const posenc_layout layout = {n_heads, 0, 0};
        return op == Op::kApply ? posenc_apply(plan, pos.data(), n_tokens, x, &layout)
                                : posenc_encode(plan, pos.data(), n_tokens, x);
    }
    // The learned table W (rows = the case's positions), made on first use.
    const posenc_weights *learned_weights();
    // The parameters a plan for this case is made with (timing and counting alike): learned
    // gets the case's W; the others max_positions = the positions the case uses, so a table
    // implementation holds that many rows, as an engine sizes it to its context (computed
    // encodings only check against it).
    posenc_params plan_params();
};

// The cases of the run, in registration order; a deque, since benchmarks keep pointers to them.
std::deque<Case> &cases();

// The models suite: sinusoidal (Transformer base and big), learned (BERT-base, GPT-2, GPT-2 XL),
// rotary (Llama-2-7B, Llama-3-8B, Qwen2-7B, Pythia-1.4B, GPT-J) prefill and decode. quick keeps
// one or two shapes of each kind.
void define_model_cases(bool quick);

// The targets suite: the shapes of the speed targets (targets.h reads them back).
struct TargetCases {
    Case *rotary_4096, *rotary_512, *rotary_decode, *sin_encode, *sin_apply, *learned_small,
        *learned_large;
};
TargetCases define_target_cases();

// x[0 .. n) = values in [-1, 1), the same sequence for a seed (a 64-bit LCG): buffers, learned
// tables and attention operands are filled alike and the same in every run.
void fill_random(float *x, size_t n, uint64_t seed);

// "Llama-3-8B" -> "llama-3-8b": names hold no spaces or regex metacharacters.
std::string slug(const std::string &s);

}  // namespace posenc_bench

#endif
