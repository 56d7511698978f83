// thread_split.h - a case's call split over the threads of a `posenc bench --threads N` run, as
// an engine splits one call over its threads: thread i of N takes tokens [i T / N, (i+1) T / N)
// (ALiBi: those query rows) with the same plan, and the memory pass beside it runs over the same
// bytes, each thread its slice.
#ifndef POSENC_BENCH_THREAD_SPLIT_H
#define POSENC_BENCH_THREAD_SPLIT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cases.h"
#include "mempass.h"

namespace posenc_bench {

// The first of the n items that thread i of threads takes; thread i takes [split_begin(n, i),
// split_begin(n, i + 1)).
static inline size_t split_begin(size_t n, size_t i, size_t threads)
{
    return (size_t)((unsigned __int128)n * i / threads);
}

// "" for one thread, "/threads=N" for more: what a threaded benchmark's group and memory pass
// add to their names ("rotary_apply/llama-3-8b/T=512/threads=2/impl=rotary/avx2",
// "mempass_rw/bytes=N/threads=2").
std::string threads_suffix(int threads);

// Why the case is not split over `threads` threads (plan creation; fewer tokens or query rows
// than threads, as in a decode), or "" when it is.
std::string split_refusal(const Case &c, int threads);

// Thread i's share of one call of the case: its tokens (query rows) and their positions (with
// M-RoPE gathered axis by axis, as the positions of a call of those tokens are laid out), and
// where its part of the buffer starts. Built before timing; call() is what each thread times.
class SliceCall {
public:
    // x: the case's whole buffer; row: elements per encoded row (posenc_plan_row_size).
    void prepare(const Case &c, size_t i, size_t threads, void *x, size_t row);
    int call(const posenc_plan *plan) const;
    size_t tokens() const { return n_; }

private:
    const Case *c_ = nullptr;
    size_t n_ = 0;
    std::vector<int64_t> pos_;
    void *x_ = nullptr;
};

// Thread i's slice of a pass over n elements: [*begin, *end), cut at 64-byte boundaries so that
// no cache line is written by two threads.
void pass_slice(Pass pass, size_t n, size_t i, size_t threads, size_t *begin, size_t *end);

}  // namespace posenc_bench

#endif
