// thread_split.cc - a case's call and its memory pass split over threads (thread_split.h).
#include "thread_split.h"

#include "strf.h"

namespace posenc_bench {

std::string threads_suffix(int threads)
{
    return threads > 1 ? strf("/threads=%d", threads) : std::string();
}

std::string split_refusal(const Case &c, int threads)
{
    if (threads <= 1)
        return "";
    if (c.op == Op::kPlan)
        return "plan creation is one call of no tokens: not split over threads";
    if (c.n_tokens < (size_t)threads)
        return strf("%zu %s, fewer than %d threads: not split", c.n_tokens,
                    c.op == Op::kScores ? (c.n_tokens == 1 ? "query row" : "query rows")
                                        : (c.n_tokens == 1 ? "token" : "tokens"),
                    threads);
    return "";
}

void SliceCall::prepare(const Case &c, size_t i, size_t threads, void *x, size_t row)
{
    c_ = &c;
    const size_t t0 = split_begin(c.n_tokens, i, threads), t1 = split_begin(c.n_tokens, i + 1, threads);
    n_ = t1 - t0;
    pos_.clear();
    for (size_t a = 0; a < c.axes(); a++)  // axis-major: pos[a * T + t]
        pos_.insert(pos_.end(), c.pos.begin() + (ptrdiff_t)(a * c.n_tokens + t0),
                    c.pos.begin() + (ptrdiff_t)(a * c.n_tokens + t1));
    size_t per_token = c.op == Op::kApply    ? c.n_heads * (size_t)c.params.dim
                       : c.op == Op::kScores ? c.n_keys
                                             : row;
    x_ = static_cast<char *>(x) + t0 * per_token * c.element_bytes();
}

int SliceCall::call(const posenc_plan *plan) const
{
    switch (c_->op) {
    case Op::kApply: {
        const posenc_layout layout = {c_->n_heads, 0, 0};
        return posenc_apply(plan, pos_.data(), n_, x_, &layout);
    }
    case Op::kScores: {
        // the rows of every head: head h's rows stay n_tokens rows apart
        const posenc_score_layout layout = {0, c_->n_heads, c_->n_keys,
                                            c_->n_tokens * c_->n_keys};
        return posenc_alibi_apply(plan, pos_.data(), n_, c_->pos.data(), c_->n_keys, x_,
                                  &layout);
    }
    case Op::kEncode: return posenc_encode(plan, pos_.data(), n_, x_);
    default: return POSENC_ERR_ARGUMENT;  // split_refusal keeps plan cases whole
    }
}

void pass_slice(Pass pass, size_t n, size_t i, size_t threads, size_t *begin, size_t *end)
{
    const size_t line = 64 / element_size(pass.dtype);
    auto cut = [&](size_t k) { return k == threads ? n : split_begin(n, k, threads) / line * line; };
    *begin = cut(i);
    *end = cut(i + 1);
}

}  // namespace posenc_bench
