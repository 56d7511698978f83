// kernel_call.h - one kernel call of a bench case made ready to be counted: its plan, its buffer
// and a warm-up call, so that the call that is counted does only what every later call does.
#ifndef POSENC_BENCH_KERNEL_CALL_H
#define POSENC_BENCH_KERNEL_CALL_H

#include <string>

#include "cases.h"

namespace posenc_bench {

class KernelCall {
public:
    KernelCall() = default;
    KernelCall(const KernelCall &) = delete;
    KernelCall &operator=(const KernelCall &) = delete;
    ~KernelCall();

    // Makes the plan of impl for case c as the timed benchmark does (a table sized to the case's
    // positions, the case's learned weights), fills the buffer with the case's fixed values and
    // makes one call. false with *why set when the plan or that call fails.
    bool prepare(Case *c, const posenc_impl *impl, std::string *why);

    // The call that is counted: posenc_apply or posenc_encode, through the public entry point
    // (its argument checks included). Returns its posenc code. Not inlined, so that it is the
    // same few instructions around the entry point wherever it is called from.
    __attribute__((noinline)) int call() const;

private:
    Case *c_ = nullptr;
    posenc_plan *plan_ = nullptr;
    void *raw_ = nullptr;  // the allocation x_ lies in
    void *x_ = nullptr;    // elements of the case's dtype
};

// The case whose group ("rotary_apply/llama-3-8b/T=512") is group, or nullptr.
Case *find_case(const std::string &group);

}  // namespace posenc_bench

#endif
