// attention.h - the attention context of a rotary prefill or an alibi scores case: the score
// matrix Q.K^T of one head group (the query heads sharing one key head; one head for the alibi
// models, which have multi-head attention) with OpenBLAS's cblas_sgemm on one thread, so a
// report can say what fraction of the attention-score cost the encoding adds.
#ifndef POSENC_BENCH_ATTENTION_H
#define POSENC_BENCH_ATTENTION_H

#include <benchmark/benchmark.h>

#include <string>

#include "cases.h"

namespace posenc_bench {

// Query heads per key/value head of a rotary case (1 for multi-head attention and for alibi).
size_t attention_group_size(const Case &c);

// "attention_qk/llama-3-8b/T=512/sgemm"
std::string attention_benchmark_name(const Case &c);

// Times C = Q K^T: Q is (T * group) x head_dim (the group's query heads, token-major; head_dim
// is the case's qk_dim when set), K is T x head_dim, C is (T * group) x T, all fp32 row-major,
// one cblas_sgemm call per iteration.
void bench_qk_scores(benchmark::State &st, const Case &c);

// OpenBLAS's version string ("OpenBLAS 0.3.21 ..."), for the records.
std::string openblas_version();

// Frees the Q, K and C buffers kept between repetitions.
void release_attention_buffers();

}  // namespace posenc_bench

#endif
