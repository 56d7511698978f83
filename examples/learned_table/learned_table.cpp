// learned_table.cpp - loads a learned position table with posenc (GPT-2's wpe: 1024 positions x
// 768, in bfloat16 as checkpoints often store it), adds its rows to token embeddings and checks
// the sums bit for bit.
//
//   learned_table                  writes a .safetensors file holding GPT-2-shaped "wte.weight"
//                                  and "wpe.weight" tensors into the temporary folder, loads
//                                  "wpe.weight" from it and removes it afterwards
//   learned_table FILE [TENSOR]    a table of one's own: a .npy file, or the tensor TENSOR of a
//                                  .safetensors file (default wpe.weight, as in GPT-2's
//                                  model.safetensors)
//
// Checks, any of which failing makes the exit code 1 (2 when a posenc call fails):
//   1. the table loads with the shape written and each value the bfloat16 value written, widened
//      exactly (a table of one's own: whatever its shape, as posenc read it);
//   2. posenc_apply adds row W[p] to each token's embedding, each float x + W[p] rounded once,
//      bit for bit (posenc.h: learned encodings are exact);
//   3. a position past the table fails with POSENC_ERR_POSITION and leaves the embeddings as
//      they were (a failing call writes nothing).
#include <posenc.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr int64_t kRows = 1024; // GPT-2's n_positions
constexpr int32_t kDim = 768;   // GPT-2's n_embd
constexpr int64_t kVocabRows = 16; // a slice of wte, so that the file holds more than one tensor

struct weights_free {
    void operator()(posenc_weights *w) const { posenc_weights_free(w); }
};
struct plan_destroy {
    void operator()(posenc_plan *p) const { posenc_plan_destroy(p); }
};
using weights_ptr = std::unique_ptr<posenc_weights, weights_free>;
using plan_ptr = std::unique_ptr<posenc_plan, plan_destroy>;

// A failed posenc call, with posenc's own message.
struct posenc_failure : std::runtime_error {
    explicit posenc_failure(const std::string &what, int rc)
        : std::runtime_error(what + ": " + posenc_strerror(rc) + " (" + posenc_last_error() + ")")
    {
    }
};

void check_call(int rc, const char *what)
{
    if (rc != POSENC_OK)
        throw posenc_failure(what, rc);
}

float bf16_to_float(uint16_t h)
{
    uint32_t u = uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

// Deterministic values in [-0.25, 0.25) as bfloat16 bits (a truncated float: any pattern will do).
uint16_t table_value(uint64_t row, uint64_t col, uint64_t tensor)
{
    uint64_t s = (row * 0x9e3779b97f4a7c15u) ^ (col * 0xc2b2ae3d27d4eb4fu) ^ (tensor << 60);
    s ^= s >> 31;
    s *= 0xbf58476d1ce4e5b9u;
    s ^= s >> 29;
    float f = float(double(s >> 11) * 0x1p-53 * 0.5 - 0.25);
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return uint16_t(u >> 16);
}

void put_le16(std::string &out, uint16_t v)
{
    out.push_back(char(v & 0xff));
    out.push_back(char(v >> 8));
}

// A .safetensors file: an 8-byte little-endian header length, the JSON header (padded with
// spaces to a multiple of 8, as the reference writer does), then the tensors' bytes in order.
void write_gpt2_tables(const std::filesystem::path &path)
{
    const uint64_t wte_bytes = uint64_t(kVocabRows) * kDim * 2;
    const uint64_t wpe_bytes = uint64_t(kRows) * kDim * 2;
    std::string header = "{\"wte.weight\":{\"dtype\":\"BF16\",\"shape\":[" +
                         std::to_string(kVocabRows) + "," + std::to_string(kDim) +
                         "],\"data_offsets\":[0," + std::to_string(wte_bytes) +
                         "]},\"wpe.weight\":{\"dtype\":\"BF16\",\"shape\":[" +
                         std::to_string(kRows) + "," + std::to_string(kDim) +
                         "],\"data_offsets\":[" + std::to_string(wte_bytes) + "," +
                         std::to_string(wte_bytes + wpe_bytes) + "]}}";
    header.append((8 - header.size() % 8) % 8, ' ');
    std::string file;
    for (int b = 0; b < 8; b++)
        file.push_back(char((uint64_t(header.size()) >> (8 * b)) & 0xff));
    file += header;
    for (int64_t r = 0; r < kVocabRows; r++)
        for (int32_t c = 0; c < kDim; c++)
            put_le16(file, table_value(uint64_t(r), uint64_t(c), 0));
    for (int64_t r = 0; r < kRows; r++)
        for (int32_t c = 0; c < kDim; c++)
            put_le16(file, table_value(uint64_t(r), uint64_t(c), 1));
    std::ofstream out(path, std::ios::binary);
    out.write(file.data(), std::streamsize(file.size()));
    if (!out.flush())
        throw std::runtime_error("cannot write " + path.string());
}

// Removes the file it names when it goes out of scope.
struct scratch_file {
    std::filesystem::path path;
    ~scratch_file()
    {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};

int run(int argc, char **argv)
{
    std::unique_ptr<scratch_file> scratch;
    std::string path, tensor = "wpe.weight";
    bool own_table = argc < 2;
    if (own_table) {
        scratch.reset(new scratch_file{std::filesystem::temp_directory_path() /
                                       ("posenc-gpt2-" + std::to_string(getpid()) +
                                        ".safetensors")});
        write_gpt2_tables(scratch->path);
        path = scratch->path.string();
    } else {
        path = argv[1];
        if (argc > 2)
            tensor = argv[2];
    }

    posenc_weights *loaded = nullptr;
    bool npy = path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
    check_call(npy ? posenc_weights_load_npy(path.c_str(), &loaded)
                   : posenc_weights_load_safetensors(path.c_str(), tensor.c_str(), &loaded),
               ("loading " + path).c_str());
    weights_ptr weights(loaded);
    const int64_t rows = posenc_weights_rows(weights.get());
    const int32_t dim = posenc_weights_dim(weights.get());
    const float *w = posenc_weights_data(weights.get());

    long wrong_values = 0;
    bool shape_ok = true;
    if (own_table) {
        shape_ok = rows == kRows && dim == kDim;
        for (int64_t r = 0; shape_ok && r < rows; r++)
            for (int32_t c = 0; c < dim; c++) {
                float want = bf16_to_float(table_value(uint64_t(r), uint64_t(c), 1));
                wrong_values += std::memcmp(&w[r * dim + c], &want, sizeof want) != 0;
            }
    }

    posenc_params params = posenc_params_default(POSENC_LEARNED, dim);
    params.weights = weights.get(); // the weights outlive the plan: declared before it
    posenc_plan *made = nullptr;
    check_call(posenc_plan_create(nullptr, &params, &made), "posenc_plan_create");
    plan_ptr plan(made);

    // A batch of tokens: the ends of the table and a few between.
    std::vector<int64_t> pos;
    for (int64_t p : {int64_t(0), int64_t(1), int64_t(2), rows / 2, rows / 3, rows - 2, rows - 1})
        pos.push_back(p < 0 ? 0 : p % rows); // a table of one's own may have a single row
    std::vector<float> x(pos.size() * size_t(dim));
    uint64_t s = 0x243f6a8885a308d3u;
    for (float &v : x) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        v = float(double(s >> 11) * 0x1p-53 * 4.0 - 2.0);
    }
    const std::vector<float> x0 = x;
    check_call(posenc_apply(plan.get(), pos.data(), pos.size(), x.data(), nullptr),
               "posenc_apply");
    long wrong_sums = 0;
    for (size_t t = 0; t < pos.size(); t++)
        for (int32_t c = 0; c < dim; c++) {
            size_t e = t * size_t(dim) + size_t(c);
            float want = x0[e] + w[pos[t] * dim + c];
            wrong_sums += std::memcmp(&x[e], &want, sizeof want) != 0;
        }

    // One token past the table: refused, and nothing written.
    std::vector<int64_t> past = pos;
    past.back() = rows;
    const std::vector<float> x1 = x;
    int rc = posenc_apply(plan.get(), past.data(), past.size(), x.data(), nullptr);
    bool refused = rc == POSENC_ERR_POSITION && x == x1;

    std::printf("learned_table: %s, table %s%s%s: %lld x %d\n",
                posenc_plan_impl(plan.get())->name, path.c_str(), npy ? "" : " ",
                npy ? "" : tensor.c_str(), (long long)rows, int(dim));
    if (own_table)
        std::printf("  shape %s; values differing from the bf16 written: %ld (must be 0)\n",
                    shape_ok ? "as written" : "NOT as written", wrong_values);
    std::printf("  sums differing from x + W[p] rounded once: %ld of %zu (must be 0)\n",
                wrong_sums, x.size());
    std::printf("  position %lld: %s, embeddings %s\n", (long long)rows, posenc_strerror(rc),
                x == x1 ? "unchanged" : "CHANGED");
    bool ok = shape_ok && wrong_values == 0 && wrong_sums == 0 && refused;
    std::printf("learned_table: %s\n", ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    try {
        return run(argc, argv);
    } catch (const std::exception &e) { // posenc_failure, or the file could not be written
        std::fprintf(stderr, "learned_table: %s\n", e.what());
        return 2;
    }
}
