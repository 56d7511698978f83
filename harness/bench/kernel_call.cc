// kernel_call.cc - a kernel call of a bench case prepared for counting (kernel_call.h).
#include "kernel_call.h"

#include <cstdint>
#include <cstdlib>

#include "strf.h"

extern "C" {
#include "harness_util.h"
}

namespace posenc_bench {

KernelCall::~KernelCall()
{
    posenc_plan_destroy(plan_);
    free(raw_);
}

bool KernelCall::prepare(Case *c, const posenc_impl *impl, std::string *why)
{
    c_ = c;
    // The plan as the timed benchmark makes it.
    const posenc_params params = c->plan_params(impl);
    int rc = posenc_plan_create(impl, &params, &plan_);
    if (rc != POSENC_OK) {
        *why = strf("plan: %s: %s", posenc_strerror(rc), posenc_last_error());
        return false;
    }
    // Where the buffer lies must not change the count either. glibc's memcpy (learned encode
    // copies rows of W with it) copies backward instead of forward when destination and source
    // are within 256 bytes of each other modulo 4 KiB, and heap addresses depend on everything
    // allocated before. So the buffer sits half a page (mod 4 KiB) from W, or at a fixed page
    // offset when there is no W: the same path in every run, whatever else was selected.
    const size_t n = c->elements();
    const uintptr_t anchor = params.kind == POSENC_LEARNED
                                 ? (uintptr_t)posenc_weights_data(params.weights) : 0;
    const size_t offset = (size_t)((anchor + 2048) & 4095 & ~(uintptr_t)63);
    raw_ = harness_xaligned_alloc(4096, n * c->element_bytes() + 4096);
    x_ = static_cast<char *>(raw_) + offset;
    // The same values for a case whatever ran before it, so that its count does not depend on
    // which other cases were selected (the kernels have no data-dependent paths today; this
    // keeps it so if one ever has).
    fill_random_elements(x_, n, c->params.dtype, 0x9e3779b97f4a7c15u);
    // The warm-up call: it resolves lazily bound symbols and does any first-use setup, so the
    // counted call does not include the dynamic linker's instructions; its result code is
    // checked here, once.
    rc = call();
    if (rc != POSENC_OK) {
        *why = strf("%s: %s", posenc_strerror(rc), posenc_last_error());
        return false;
    }
    return true;
}

int KernelCall::call() const { return c_->call(plan_, x_); }

Case *find_case(const std::string &group)
{
    for (Case &c : cases())
        if (c.group() == group)
            return &c;
    return nullptr;
}

}  // namespace posenc_bench
