// cases.cc - the shapes `posenc bench` times: real models' encodings (the models suite) and the
// speed targets' shapes (the targets suite).
#include "cases.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "strf.h"

namespace posenc_bench {

void fill_random(float *x, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        x[i] = (float)(int32_t)(s >> 32) * 0x1p-31f;
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

void add_rotary(const RotaryModel &m, bool quick)
{
    // q and k of one layer are rotated together: one call over q_heads + kv_heads heads per
    // token, as an engine does on a fused qk buffer.
    const size_t heads = m.q_heads + m.kv_heads;
    std::string heads_about = m.q_heads == m.kv_heads
                                  ? strf("%zu q + %zu k heads", m.q_heads, m.kv_heads)
                                  : strf("%zu q + %zu kv heads", m.q_heads, m.kv_heads);
    std::string dims = m.rotary_dim == m.head_dim
                           ? strf("x %d", m.head_dim)
                           : strf("x %d (%d rotated)", m.head_dim, m.rotary_dim);
    auto one = [&](const std::string &shape, const std::string &about, size_t n,
                   std::vector<int64_t> pos, bool prefill) {
        Case c = make("rotary_apply", m.name, shape, heads_about + " " + dims + ", " + about,
                      POSENC_ROTARY, m.head_dim, Op::kApply, n, heads, std::move(pos));
        c.params.rotary_dim = m.rotary_dim;
        c.params.base = m.base;
        c.params.pairing = m.pairing;
        c.kv_heads = m.kv_heads;
        c.attention = prefill;
        add(std::move(c));
    };
    for (size_t t : {(size_t)512, (size_t)4096}) {
        if (quick && t != 512)
            continue;
        one(strf("T=%zu", t), strf("prefill, positions 0..%zu", t - 1), t, iota_positions(t),
            true);
    }
    for (int64_t p : {(int64_t)4095, (int64_t)131071})
        one(strf("decode@%lld", (long long)p), strf("decode, 1 token at %lld", (long long)p), 1,
            {p}, false);
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
    if (op == Op::kApply)
        return n_tokens * n_heads * dim;
    // encode writes one row per position: sinusoidal and learned dim floats, rotary the cos
    // and sin of each rotated pair
    const size_t row = params.kind == POSENC_ROTARY
                           ? (size_t)(params.rotary_dim ? params.rotary_dim : params.dim)
                           : dim;
    return n_tokens * row;
}

size_t Case::traffic_bytes() const
{
    if (op == Op::kEncode)
        return buffer_bytes();
    size_t b = 2 * buffer_bytes();
    if (params.kind == POSENC_LEARNED)
        b += n_tokens * (size_t)params.dim * sizeof(float);
    return b;
}

std::string Case::ref_name() const { return strf("%s/bytes=%zu", ref_family(), buffer_bytes()); }

std::string Case::group() const
{
    return model.empty() ? family + "/" + shape : family + "/" + slug(model) + "/" + shape;
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

posenc_params Case::plan_params()
{
    posenc_params p = params;
    if (p.kind == POSENC_LEARNED)
        p.weights = learned_weights();
    else
        p.max_positions = max_position() + 1;
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

void define_model_cases(bool quick)
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
            for (Op op : {Op::kEncode, Op::kApply})
                add(make(op == Op::kApply ? "sinusoidal_apply" : "sinusoidal_encode", m.name,
                         strf("seq=%zu", seq),
                         strf("d %d, positions 0..%zu", m.dim, seq - 1), POSENC_SINUSOIDAL,
                         m.dim, op, seq, 1, iota_positions(seq)));
        }

    // Learned absolute tables over their whole context: wpe of BERT-base and GPT-2 (small, XL).
    const struct {
        const char *name;
        size_t rows;
        int32_t dim;
    } learned_models[] = {{"BERT-base", 512, 768}, {"GPT-2", 1024, 768}, {"GPT-2-XL", 1024, 1600}};
    for (const auto &m : learned_models)
        for (Op op : {Op::kEncode, Op::kApply})
            add(make(op == Op::kApply ? "learned_apply" : "learned_encode", m.name,
                     strf("seq=%zu", m.rows), strf("W %zu x %d, positions 0..%zu", m.rows, m.dim,
                                                   m.rows - 1),
                     POSENC_LEARNED, m.dim, op, m.rows, 1, iota_positions(m.rows)));

    // Rotary: the published configurations (heads, head_dim, rotated dims, base, pairing).
    const RotaryModel rotary_models[] = {
        {"Llama-2-7B", 32, 32, 128, 128, 1e4, POSENC_PAIR_HALF},
        {"Llama-3-8B", 32, 8, 128, 128, 5e5, POSENC_PAIR_HALF},
        {"Qwen2-7B", 28, 4, 128, 128, 1e6, POSENC_PAIR_HALF},
        {"Pythia-1.4B", 16, 16, 128, 32, 1e4, POSENC_PAIR_HALF},
        {"GPT-J-6B", 16, 16, 256, 64, 1e4, POSENC_PAIR_INTERLEAVED},
    };
    for (const RotaryModel &m : rotary_models)
        add_rotary(m, quick);
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
    // Not targets: GPT-J's interleaved pairs, and the cos/sin cache an engine builds once.
    Case gptj = make("rotary_apply_interleaved", "", "T=512", "32 heads x 128, GPT-J pairs",
                     POSENC_ROTARY, 128, Op::kApply, 512, 32, iota_positions(512));
    gptj.params.pairing = POSENC_PAIR_INTERLEAVED;
    add(std::move(gptj));
    add(make("rotary_encode", "", "T=4096", "cos/sin rows of 128, positions 0..4095",
             POSENC_ROTARY, 128, Op::kEncode, 4096, 1, iota_positions(4096)));
    return t;
}

}  // namespace posenc_bench
