// attention.cc - Q.K^T of one head group with cblas_sgemm, the reference cost a rotary prefill
// is set against.
#include "attention.h"

#include <cblas.h>

#include <cstdlib>
#include <map>

#include "progress.h"
#include "strf.h"

extern "C" {
#include "harness_util.h"
}

// OpenBLAS's own entry points (its cblas.h declares them too; declared here so that the
// program also builds against another CBLAS header that lacks them).
extern "C" void openblas_set_num_threads(int num_threads);
extern "C" char *openblas_get_config(void);

namespace posenc_bench {

namespace {

struct Buffers {
    float *q = nullptr, *k = nullptr, *scores = nullptr;
};

// Kept between repetitions: the score matrix of a 4096-token group is 256 MiB (Llama-3-8B) or
// more, and touching its pages anew for every repetition would cost more than the product.
std::map<const Case *, Buffers> buffers;

float *filled(size_t n, uint64_t seed)
{
    float *p = static_cast<float *>(harness_xaligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64));
    fill_random(p, n, seed);
    return p;
}

}  // namespace

size_t attention_group_size(const Case &c)
{
    if (c.params.kind != POSENC_ROTARY)  // alibi models: multi-head attention
        return 1;
    const size_t q_heads = c.n_heads - c.kv_heads;
    return c.kv_heads ? q_heads / c.kv_heads : 1;
}

std::string attention_benchmark_name(const Case &c)
{
    return "attention_qk/" + slug(c.model) + "/" + c.shape + "/sgemm";
}

void bench_qk_scores(benchmark::State &st, const Case &c)
{
    progress_note(attention_benchmark_name(c), (long long)st.max_iterations);
    openblas_set_num_threads(1);  // the kernels run on one thread; so does the reference
    const size_t t = c.n_tokens, rows = t * attention_group_size(c);
    const size_t hd = (size_t)(c.qk_dim ? c.qk_dim : c.params.dim);
    Buffers &b = buffers[&c];
    if (!b.q) {
        b.q = filled(rows * hd, 1);
        b.k = filled(t * hd, 2);
        b.scores = filled(rows * t, 3);
    }
    auto product = [&]() {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)t, (int)hd, 1.0f, b.q,
                    (int)hd, b.k, (int)hd, 0.0f, b.scores, (int)t);
    };
    product();
    for (auto _ : st) {
        product();
        benchmark::DoNotOptimize(b.scores);
        benchmark::ClobberMemory();
    }
    const double flops = 2.0 * (double)rows * (double)t * (double)hd;
    st.counters["flops"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
}

std::string openblas_version()
{
    const char *cfg = openblas_get_config();  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."
    return cfg ? cfg : "OpenBLAS (unknown)";
}

void release_attention_buffers()
{
    for (auto &e : buffers) {
        free(e.second.q);
        free(e.second.k);
        free(e.second.scores);
    }
    buffers.clear();
}

}  // namespace posenc_bench
