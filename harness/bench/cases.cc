// cases.cc - the shapes `posenc bench` times: real models' encodings (the models suite) and the
// speed targets' shapes (the targets suite).
#include "cases.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "strf.h"

extern "C" {
#include "model_settings.h"
}

namespace posenc_bench {

void fill_random(float *x, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        x[i] = (float)(int32_t)(s >> 32) * 0x1p-31f;
    }
}

void fill_random_elements(void *x, size_t n, posenc_dtype dtype, uint64_t seed)
{
    if (dtype == POSENC_DTYPE_F32) {
        fill_random(static_cast<float *>(x), n, seed);
        return;
    }
    // in blocks, so that a buffer of any size needs no float copy of itself
    uint16_t *h = static_cast<uint16_t *>(x);
    float block[4096];
    uint64_t s = seed;
    for (size_t i = 0; i < n; i += 4096) {
        const size_t k = std::min(n - i, (size_t)4096);
        fill_random(block, k, s);
        for (size_t j = 0; j < k; j++) {
            uint32_t bits;
            memcpy(&bits, &block[j], sizeof bits);
            const uint16_t sign = (uint16_t)(bits >> 16 & 0x8000);
            const int e = (int)(bits >> 23 & 0xff) - 127;  // |value| < 1: e < 0
            h[i + j] = dtype == POSENC_DTYPE_BF16 ? (uint16_t)(bits >> 16)
                       : e < -14                  ? sign
                                                  : (uint16_t)(sign | (e + 15) << 10 |
                                                               (bits >> 13 & 0x3ff));
        }
        s = s * 0x9e3779b97f4a7c15u + 1;
    }
}

namespace {

std::vector<int64_t> iota_positions(size_t n)
{
    std::vector<int64_t> p(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (int64_t)i;
    return p;
}

Case &add(Case c)
{
    cases().push_back(std::move(c));
    return cases().back();
}

// c again on bfloat16 and on float16 data (the same shape and parameters), after it.
void add_16bit(const Case &c)
{
    for (posenc_dtype d : {POSENC_DTYPE_BF16, POSENC_DTYPE_F16}) {
        Case h = c;
        h.params.dtype = d;
        h.about += d == POSENC_DTYPE_BF16 ? ", bfloat16 data" : ", float16 data";
        add(std::move(h));
    }
}

Case make(const char *family, const std::string &model, const std::string &shape,
          const std::string &about, posenc_kind kind, int32_t dim, Op op, size_t n_tokens,
          size_t n_heads, std::vector<int64_t> pos)
{
    Case c;
    c.family = family;
    c.model = model;
    c.shape = shape;
    c.about = about;
    c.params = posenc_params_default(kind, dim);  // exact angles, base 10000
    c.op = op;
    c.n_tokens = n_tokens;
    c.n_heads = n_heads;
    c.pos = std::move(pos);
    return c;
}

// One rotary model: head counts, head_dim, rotated dims, base, pairing.
struct RotaryModel {
    const char *name;
    size_t q_heads, kv_heads;
    int32_t head_dim, rotary_dim;
    double base;
    posenc_pairing pairing;
};

// The published configurations (heads, head_dim, rotated dims, base, pairing).
const RotaryModel llama_2_7b = {"Llama-2-7B", 32, 32, 128, 128, 1e4, POSENC_PAIR_HALF};
const RotaryModel llama_3_8b = {"Llama-3-8B", 32, 8, 128, 128, 5e5, POSENC_PAIR_HALF};
const RotaryModel qwen2_7b = {"Qwen2-7B", 28, 4, 128, 128, 1e6, POSENC_PAIR_HALF};
const RotaryModel pythia_1_4b = {"Pythia-1.4B", 16, 16, 128, 32, 1e4, POSENC_PAIR_HALF};
const RotaryModel gpt_j_6b = {"GPT-J-6B", 16, 16, 256, 64, 1e4, POSENC_PAIR_INTERLEAVED};

// One rotary apply of the model: q and k of one layer are rotated together, one call over
// q_heads + kv_heads heads per token, as an engine does on a fused qk buffer.
Case rotary_case(const RotaryModel &m, const std::string &shape, const std::string &about,
                 size_t n, std::vector<int64_t> pos)
{
    const std::string heads = m.q_heads == m.kv_heads
                                  ? strf("%zu q + %zu k heads", m.q_heads, m.kv_heads)
                                  : strf("%zu q + %zu kv heads", m.q_heads, m.kv_heads);
    const std::string dims = m.rotary_dim == m.head_dim
                                 ? strf("x %d", m.head_dim)
                                 : strf("x %d (%d rotated)", m.head_dim, m.rotary_dim);
    Case c = make("rotary_apply", m.name, shape, heads + " " + dims + ", " + about,
                  POSENC_ROTARY, m.head_dim, Op::kApply, n, m.q_heads + m.kv_heads,
                  std::move(pos));
    c.params.rotary_dim = m.rotary_dim;
    c.params.base = m.base;
    c.params.pairing = m.pairing;
    c.kv_heads = m.kv_heads;
    return c;
}

Case rotary_prefill(const RotaryModel &m, size_t t)
{
    return rotary_case(m, strf("T=%zu", t), strf("prefill, positions 0..%zu", t - 1), t,
                       iota_positions(t));
}

Case rotary_decode(const RotaryModel &m, int64_t p)
{
    return rotary_case(m, strf("decode@%lld", (long long)p),
                       strf("decode, 1 token at %lld", (long long)p), 1, {p});
}

// The model's prefills of 512 and 4096 tokens (quick: 512), each beside Q.K^T, and decodes at
// 4095 and 131071; with half, each also on bfloat16 and float16 data (quick: the prefill and
// the decode at 4095).
void add_rotary(const RotaryModel &m, bool quick, bool half)
{
    for (size_t t : {(size_t)512, (size_t)4096}) {
        if (quick && t != 512)
            continue;
        Case c = rotary_prefill(m, t);
        c.attention = true;
        const Case &added = add(std::move(c));
        if (half)
            add_16bit(added);
    }
    for (int64_t p : {(int64_t)4095, (int64_t)131071}) {
        const Case &added = add(rotary_decode(m, p));
        if (half && !(quick && p != 4095))
            add_16bit(added);
    }
}

}  // namespace

std::deque<Case> &cases()
{
    static std::deque<Case> all;
    return all;
}

int64_t Case::max_position() const { return *std::max_element(pos.begin(), pos.end()); }

size_t Case::elements() const
{
    const size_t dim = (size_t)params.dim;
    const size_t rot = (size_t)(params.rotary_dim ? params.rotary_dim : params.dim);
    if (op == Op::kApply)
        return n_tokens * n_heads * dim;
    if (op == Op::kScores)
        return n_heads * n_tokens * n_keys;
    if (op == Op::kPlan)  // the frequencies the plan derives
        return params.kind == POSENC_ROTARY ? rot / 2 : dim;
    // encode writes one row per position: sinusoidal and learned dim floats, rotary the cos
    // and sin of each rotated pair
    const size_t row = params.kind == POSENC_ROTARY
                           ? (size_t)(params.rotary_dim ? params.rotary_dim : params.dim)
                           : dim;
    return n_tokens * row;
}

size_t Case::traffic_bytes() const
{
    if (op == Op::kPlan)
        return 0;
    if (op == Op::kEncode)
        return buffer_bytes();
    size_t b = 2 * buffer_bytes();
    if (params.kind == POSENC_LEARNED)
        b += n_tokens * (size_t)params.dim * sizeof(float);
    return b;
}

PassKind Case::ref_kind() const
{
    if (op == Op::kEncode)
        return PassKind::kWrite;
    return params.kind == POSENC_LEARNED ? PassKind::kReadWriteRead32 : PassKind::kReadWrite;
}

std::vector<Pass> Case::ref_passes() const
{
    std::vector<Pass> out;
    if (has_ref())
        for (PassWay way : mempass_ways(ref_kind()))
            out.push_back({ref_kind(), params.dtype, way});
    return out;
}

std::vector<std::string> Case::ref_names() const
{
    std::vector<std::string> out;
    for (const Pass &p : ref_passes())
        out.push_back(mempass_family(p) + strf("/bytes=%zu", buffer_bytes()));
    return out;
}

double Case::attention_factor() const
{
    if (params.kind != POSENC_ROTARY)
        return 1.0;
    // the library's own derivation, through a plan (cheap to make: no tables)
    posenc_plan *plan = nullptr;
    if (posenc_plan_create(posenc_impl_find("rotary/scalar"), &params, &plan) != POSENC_OK)
        return NAN;
    const double af = posenc_plan_attention_factor(plan);
    posenc_plan_destroy(plan);
    return af;
}

std::string Case::variant() const
{
    if (params.kind == POSENC_ALIBI)
        return params.alibi.form == POSENC_ALIBI_CAUSAL ? "alibi-causal"
               : params.alibi.form == POSENC_ALIBI_FULL ? "alibi-full"
                                                        : "alibi-key-only";
    if (params.kind != POSENC_ROTARY)
        return "";
    const posenc_scaling &sc = params.scaling;
    std::string v;
    switch (sc.type) {
    case POSENC_SCALING_LINEAR: v = "linear"; break;
    case POSENC_SCALING_NTK: v = "ntk"; break;
    case POSENC_SCALING_DYNAMIC: v = "dynamic"; break;
    case POSENC_SCALING_YARN: v = "yarn"; break;
    case POSENC_SCALING_LLAMA3: v = "llama3"; break;
    case POSENC_SCALING_LONGROPE: {
        const int64_t l0 = sc.original_max_positions, len = sc.seq_len ? sc.seq_len : l0;
        v = len > l0 ? "longrope-long" : "longrope-short";
        break;
    }
    default: break;
    }
    if (params.mrope.layout != POSENC_MROPE_NONE)
        v += std::string(v.empty() ? "" : "+") +
             (params.mrope.layout == POSENC_MROPE_SECTIONS ? "mrope" : "mrope-interleaved");
    return v.empty() ? "rope" : v;
}

std::string Case::group() const
{
    std::string g = model.empty() ? family + "/" + shape : family + "/" + slug(model) + "/" + shape;
    return params.dtype == POSENC_DTYPE_F32 ? g : g + "/" + dtype_name();
}

const posenc_weights *Case::learned_weights()
{
    if (!weights) {
        const size_t rows = (size_t)max_position() + 1, n = rows * (size_t)params.dim;
        std::vector<float> w(n);
        fill_random(w.data(), n, 0x243f6a8885a308d3u);
        int rc = posenc_weights_from_array((int64_t)rows, params.dim, w.data(), &weights);
        if (rc != POSENC_OK) {
            fprintf(stderr, "posenc bench: weights %zu x %d: %s\n", rows, params.dim,
                    posenc_strerror(rc));
            exit(1);
        }
    }
    return weights;
}

posenc_params Case::plan_params(const posenc_impl *impl)
{
    posenc_params p = params;
    if (p.kind == POSENC_LEARNED)
        p.weights = learned_weights();
    else
        p.max_positions = max_position() + 1;
    if (impl->flags & POSENC_IMPL_DESIGN)
        p.angle_mode = POSENC_ANGLE_FP32;
    return p;
}

std::string slug(const std::string &s)
{
    std::string out;
    for (char ch : s)
        out += std::isalnum((unsigned char)ch) || ch == '.' ? (char)std::tolower((unsigned char)ch)
                                                             : '-';
    return out;
}

bool define_model_cases(bool quick, const std::string &models_path, std::string *why)
{
    // Sinusoidal PE of "Attention Is All You Need": base (d 512) and big (d 1024), building the
    // table (encode) and adding it to the embeddings (apply).
    const struct {
        const char *name;
        int32_t dim;
    } sin_models[] = {{"Transformer-base", 512}, {"Transformer-big", 1024}};
    for (const auto &m : sin_models)
        for (size_t seq : {(size_t)128, (size_t)512, (size_t)4096, (size_t)65536}) {
            if (quick && seq != 512 && seq != 4096)
                continue;
            for (Op op : {Op::kEncode, Op::kApply}) {
                const Case &c =
                    add(make(op == Op::kApply ? "sinusoidal_apply" : "sinusoidal_encode", m.name,
                             strf("seq=%zu", seq),
                             strf("d %d, positions 0..%zu", m.dim, seq - 1), POSENC_SINUSOIDAL,
                             m.dim, op, seq, 1, iota_positions(seq)));
                if (op == Op::kApply && (quick ? seq == 512 && m.dim == 512
                                               : seq == 512 || seq == 4096))
                    add_16bit(c);
            }
        }

    // Learned absolute tables over their whole context: wpe of BERT-base and GPT-2 (small, XL).
    const struct {
        const char *name;
        size_t rows;
        int32_t dim;
    } learned_models[] = {{"BERT-base", 512, 768}, {"GPT-2", 1024, 768}, {"GPT-2-XL", 1024, 1600}};
    for (const auto &m : learned_models)
        for (Op op : {Op::kEncode, Op::kApply}) {
            const Case &c =
                add(make(op == Op::kApply ? "learned_apply" : "learned_encode", m.name,
                         strf("seq=%zu", m.rows), strf("W %zu x %d, positions 0..%zu", m.rows,
                                                       m.dim, m.rows - 1),
                         POSENC_LEARNED, m.dim, op, m.rows, 1, iota_positions(m.rows)));
            if (op == Op::kApply && !(quick && m.dim > 768))
                add_16bit(c);
        }

    // Rotary: the 16-bit cases on the models of the speed targets and the other GQA model.
    add_rotary(llama_2_7b, quick, false);
    add_rotary(llama_3_8b, quick, true);
    add_rotary(qwen2_7b, quick, true);
    add_rotary(pythia_1_4b, quick, false);
    add_rotary(gpt_j_6b, quick, false);
    return define_variant_cases(models_path, quick, why);
}

// ---- the variants -------------------------------------------------------------------------------

namespace {

std::vector<int64_t> positions_from(int64_t first, size_t n)
{
    std::vector<int64_t> p(n);
    for (size_t i = 0; i < n; i++)
        p[i] = first + (int64_t)i;
    return p;
}

// Qwen2-VL's get_rope_index for a prompt of `text` tokens, one image of rows x cols patches
// (after the 2x2 merge) and `text` tokens more: text positions on all three axes; the image at
// t = its first position, h = that + row, w = that + col; the text after resumes at the largest
// position so far + 1. Axis-major, as posenc reads M-RoPE positions.
std::vector<int64_t> qwen2_vl_image_prompt(size_t text, size_t rows, size_t cols)
{
    const size_t n = 2 * text + rows * cols;
    std::vector<int64_t> p(3 * n);
    auto set = [&](size_t t, int64_t a0, int64_t a1, int64_t a2) {
        p[t] = a0;
        p[n + t] = a1;
        p[2 * n + t] = a2;
    };
    size_t t = 0;
    for (; t < text; t++)
        set(t, (int64_t)t, (int64_t)t, (int64_t)t);
    const int64_t img = (int64_t)text;
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++, t++)
            set(t, img, img + (int64_t)r, img + (int64_t)c);
    const int64_t after = img + (int64_t)std::max(rows, cols);
    for (size_t k = 0; k < text; k++, t++)
        set(t, after + (int64_t)k, after + (int64_t)k, after + (int64_t)k);
    return p;
}

// Where the cases of one model from the models file are made.
class VariantModel {
public:
    VariantModel(const model_setting *m, const char *display) : m_(m), display_(display) {}

    // A rotary case of the model's own setting (seq_len for dynamic and longrope: the length
    // the frequencies are for), and with twin its plain-RoPE counterpart on the same shape
    // ("<shape>-rope": no scaling, one position axis; twin_pos its positions, pos when empty).
    void rotary(Op op, const std::string &shape, const std::string &about, size_t n,
                std::vector<int64_t> pos, int64_t seq_len, bool twin,
                std::vector<int64_t> twin_pos = {})
    {
        Case c;
        c.family = op == Op::kPlan ? "rotary_plan" : "rotary_apply";
        c.model = display_;
        c.shape = shape;
        c.model_key = m_->key;
        c.params = model_setting_params(m_);
        c.params.scaling.seq_len = seq_len;
        c.op = op;
        c.n_tokens = n;
        c.n_heads = (size_t)(m_->heads + m_->kv_heads);
        c.kv_heads = (size_t)m_->kv_heads;
        const std::string heads =
            m_->heads == m_->kv_heads ? strf("%d q + %d k heads", m_->heads, m_->kv_heads)
                                      : strf("%d q + %d kv heads", m_->heads, m_->kv_heads);
        const std::string dims = m_->rotary_dim == m_->head_dim
                                     ? strf("x %d", m_->head_dim)
                                     : strf("x %d (%d rotated)", m_->head_dim, m_->rotary_dim);
        c.about = heads + " " + dims + ", " + c.variant() + ", " + about;
        Case plain = c;
        c.pos = std::move(pos);
        cases().push_back(c);
        if (half_ && op == Op::kApply)
            add_16bit(c);
        if (!twin)
            return;
        plain.params.scaling = posenc_scaling{};
        plain.params.mrope = posenc_mrope{};
        plain.shape = shape + "-rope";
        plain.about = heads + " " + dims + ", rope (no scaling), " + about;
        plain.pos = twin_pos.empty() ? c.pos : std::move(twin_pos);
        cases().push_back(std::move(plain));
    }

    // Whether the apply cases made after this also run on bfloat16 and float16 data (not
    // their plain-RoPE twins).
    void with_16bit(bool on) { half_ = on; }

    // ALiBi on the scores of every head, T queries x T keys at positions 0..T-1, beside Q.K^T
    // of one head (qk_dim wide) times the heads.
    void alibi(posenc_alibi_form form, size_t t, int32_t qk_dim)
    {
        Case c;
        c.family = "alibi_apply";
        c.model = display_;
        c.shape = strf("T=%zu", t);
        c.model_key = m_->key;
        c.params = model_setting_params(m_);
        c.params.alibi.form = form;
        c.op = Op::kScores;
        c.n_tokens = c.n_keys = t;
        c.n_heads = c.kv_heads = (size_t)m_->heads;
        c.pos = iota_positions(t);
        c.attention = true;
        c.qk_dim = qk_dim;
        c.about = strf("%d heads x %zu queries x %zu keys, ", m_->heads, t, t) + c.variant() +
                  strf(" (bias_max %g)", m_->alibi_bias_max);
        cases().push_back(std::move(c));
    }

private:
    const model_setting *m_;
    const char *display_;
    bool half_ = false;
};

}  // namespace

bool define_variant_cases(const std::string &models_path, bool quick, std::string *why)
{
    // Read once for the process: the cases' longrope factor arrays point into it.
    static model_settings settings;
    char msg[512];
    if (model_settings_load(models_path.c_str(), &settings, msg, sizeof msg)) {
        *why = msg;
        return false;
    }
    for (size_t i = 0; i < bench_n_variant_models; i++)
        if (!model_settings_find(&settings, bench_variant_models[i])) {
            *why = strf("%s has no entry '%s', which the variant cases need", settings.source,
                        bench_variant_models[i]);
            return false;
        }
    auto model = [&](const char *key, const char *display) {
        return VariantModel(model_settings_find(&settings, key), display);
    };
    // The prefills: 4096 tokens (quick: 512), each deep into the context where the variant is
    // what makes it work.
    const size_t t = quick ? 512 : 4096;

    // Llama 3.1: a decode at 100000 and a prefill (a chunk of a long prompt) at 120000..
    VariantModel llama31 = model("llama-3.1-8b", "Llama-3.1-8B");
    llama31.with_16bit(true);
    llama31.rotary(Op::kApply, "decode@100000", "decode, 1 token at 100000", 1, {100000}, 0,
                   true);
    llama31.with_16bit(!quick);
    llama31.rotary(Op::kApply, strf("T=%zu@120000", t),
                   strf("prefill chunk, positions 120000..%zu", 120000 + t - 1), t,
                   positions_from(120000, t), 0, !quick);
    // Qwen2.5-7B with YaRN x4 past its 32768 positions.
    model("qwen2.5-7b-yarn", "Qwen2.5-7B-YaRN")
        .rotary(Op::kApply, "decode@120000", "decode, 1 token at 120000", 1, {120000}, 0, true);
    // DeepSeek-V2-Lite: YaRN x40 with mscale on its 64 rotated dims of each head.
    VariantModel dsv2 = model("deepseek-v2-lite", "DeepSeek-V2-Lite");
    dsv2.rotary(Op::kApply, "decode@100000", "decode, 1 token at 100000", 1, {100000}, 0, true);
    dsv2.rotary(Op::kApply, strf("T=%zu", t), strf("prefill, positions 0..%zu", t - 1), t,
                iota_positions(t), 0, !quick);
    // Phi-3 128k: the short factors while the sequence fits in 4096, the long ones past it.
    VariantModel phi3 = model("phi-3-128k", "Phi-3-128k");
    phi3.rotary(Op::kApply, strf("T=%zu", t),
                strf("prefill, positions 0..%zu, seq_len %zu (short factors)", t - 1, t), t,
                iota_positions(t), (int64_t)t, !quick);
    phi3.rotary(Op::kApply, "decode@100000", "decode, 1 token at 100000, seq_len 100001 (long "
                "factors)", 1, {100000}, 100001, true);
    // Llama-2-7B run to 8192 with dynamic NTK x2: the decode at 8191 with the frequencies of
    // seq_len 8192, and what making that plan costs (an engine makes one as the length grows).
    VariantModel dyn = model("llama-2-7b-dynamic-ntk", "Llama-2-7B-dynamic-NTK");
    dyn.rotary(Op::kApply, "decode@8191", "decode, 1 token at 8191, seq_len 8192", 1, {8191},
               8192, true);
    dyn.rotary(Op::kPlan, "seq=8192", "posenc_plan_create + posenc_plan_destroy for seq_len "
               "8192 (positions < 8192)", 1, {8191}, 8192, true);
    // Qwen2-VL-7B: M-RoPE on 16 text tokens, a 28 x 28 patch grid and 16 text tokens; beside
    // it plain RoPE on the same 816 tokens at positions 0..815.
    const size_t vl_n = 16 + 28 * 28 + 16;
    model("qwen2-vl-7b", "Qwen2-VL-7B")
        .rotary(Op::kApply, strf("T=%zu", vl_n),
                strf("prompt of 16 text tokens, a 28 x 28 image, 16 text tokens (positions "
                     "t/h/w up to 59); -rope: positions 0..%zu", vl_n - 1),
                vl_n, qwen2_vl_image_prompt(16, 28, 28), 0, true, iota_positions(vl_n));
    // ALiBi on T x T scores of every head: BLOOM-7B1's key-only form, MPT-7B's causal one.
    // Q.K^T beside them: both models have 4096 / 32 = 128 dims per head (their configs' hidden
    // size over heads; the models file holds only what the bias needs).
    for (size_t n : {(size_t)512, (size_t)2048}) {
        model("bloom-7b1", "BLOOM-7B1").alibi(POSENC_ALIBI_KEY_ONLY, n, 128);
        model("mpt-7b", "MPT-7B").alibi(POSENC_ALIBI_CAUSAL, n, 128);
    }
    return true;
}

TargetCases define_target_cases()
{
    TargetCases t;
    // Llama-2-7B queries: 32 heads x 128, half-split (NeoX) pairs, a prefill of T tokens.
    t.rotary_4096 = &add(make("rotary_apply", "", "T=4096", "32 heads x 128, positions 0..4095",
                              POSENC_ROTARY, 128, Op::kApply, 4096, 32, iota_positions(4096)));
    t.rotary_512 = &add(make("rotary_apply", "", "T=512", "32 heads x 128, positions 0..511",
                             POSENC_ROTARY, 128, Op::kApply, 512, 32, iota_positions(512)));
    // One decode step far into a long context: the call's fixed cost shows here.
    t.rotary_decode = &add(make("rotary_decode", "", "p=100000", "1 token x 32 heads x 128",
                                POSENC_ROTARY, 128, Op::kApply, 1, 32, {100000}));
    // Building a PE table (65536 positions of a 512-wide model): 128 MiB written.
    t.sin_encode = &add(make("sinusoidal_encode", "", "65536x512", "PE table, positions 0..65535",
                             POSENC_SINUSOIDAL, 512, Op::kEncode, 65536, 1,
                             iota_positions(65536)));
    t.sin_apply = &add(make("sinusoidal_apply", "", "4096x4096", "x += PE, 4096 tokens",
                            POSENC_SINUSOIDAL, 4096, Op::kApply, 4096, 1, iota_positions(4096)));
    // GPT-2's wpe (1024 x 768), and a 4096-wide model over 4096 positions.
    t.learned_small = &add(make("learned_apply", "", "1024x768", "x += W[p], W 1024 x 768",
                                POSENC_LEARNED, 768, Op::kApply, 1024, 1, iota_positions(1024)));
    t.learned_large = &add(make("learned_apply", "", "4096x4096", "x += W[p], W 4096 x 4096",
                                POSENC_LEARNED, 4096, Op::kApply, 4096, 1,
                                iota_positions(4096)));
    // Llama-3-8B's q and k on bfloat16 and float16 data, each beside the float32 case of the
    // same shape (the same cases as the models suite's, without Q.K^T).
    Case llama3[3] = {rotary_prefill(llama_3_8b, 512), rotary_prefill(llama_3_8b, 4096),
                      rotary_decode(llama_3_8b, 131071)};
    for (int k = 0; k < 3; k++) {
        t.llama3_f32[k] = &add(std::move(llama3[k]));
        add_16bit(*t.llama3_f32[k]);
        t.half[0][k] = &cases()[cases().size() - 2];
        t.half[1][k] = &cases().back();
    }
    // The prefills of every rotary target: both pairings; Llama-2-7B's q alone, Llama-3-8B's q
    // and k, and Llama-2-7B's q and k fused (the models suite's Llama-2-7B case: 64 heads per
    // token in one call). Interleaved pairs are GPT-J's (rotary_apply_interleaved/...).
    const size_t lengths[2] = {512, 4096};
    for (int k = 0; k < 2; k++) {
        const size_t n = lengths[k];
        t.prefill[0][0][k] = k ? t.rotary_4096 : t.rotary_512;
        t.prefill[0][1][k] = t.llama3_f32[k];
        Case q = make("rotary_apply_interleaved", "", strf("T=%zu", n),
                      strf("32 heads x 128, GPT-J pairs, positions 0..%zu", n - 1), POSENC_ROTARY,
                      128, Op::kApply, n, 32, iota_positions(n));
        q.params.pairing = POSENC_PAIR_INTERLEAVED;
        t.prefill[1][0][k] = &add(std::move(q));
        for (int pairing = 0; pairing < 2; pairing++) {
            RotaryModel l3 = llama_3_8b, l2 = llama_2_7b;
            if (pairing)
                l3.pairing = l2.pairing = POSENC_PAIR_INTERLEAVED;
            Case fused = rotary_prefill(l2, n);
            fused.about = "q and k fused in one [T, 64 x 128] buffer, " + fused.about;
            if (pairing) {
                Case c = rotary_prefill(l3, n);
                c.family = fused.family = "rotary_apply_interleaved";
                c.about += ", GPT-J pairs";
                fused.about += ", GPT-J pairs";
                t.prefill[1][1][k] = &add(std::move(c));
            }
            t.prefill[pairing][2][k] = &add(std::move(fused));
        }
    }
    // Not a target: the cos/sin cache an engine builds once (also on 16-bit data).
    add_16bit(add(make("rotary_encode", "", "T=4096", "cos/sin rows of 128, positions 0..4095",
                       POSENC_ROTARY, 128, Op::kEncode, 4096, 1, iota_positions(4096))));
    return t;
}

}  // namespace posenc_bench
