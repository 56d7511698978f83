// perf_counter.h - the CPU's retired-instruction counter (Linux perf_event_open) on the calling
// thread, user space only, read around one call.
#ifndef POSENC_BENCH_PERF_COUNTER_H
#define POSENC_BENCH_PERF_COUNTER_H

#include <cstdint>
#include <string>

namespace posenc_bench {

class PerfCounter {
public:
    PerfCounter() = default;
    PerfCounter(const PerfCounter &) = delete;
    PerfCounter &operator=(const PerfCounter &) = delete;
    ~PerfCounter();

    // Opens PERF_COUNT_HW_INSTRUCTIONS (exclude_kernel, exclude_hv, disabled until counted) and
    // checks that it counts. false with *why set ("this CPU or VM exposes no hardware
    // instruction counter (perf_event_open: No such file or directory)") when it cannot.
    bool open(std::string *why);

    // Instructions retired in user space by one call of fn: reset, enable, call, disable, read.
    // false with *why set when the counter was not running the whole time (multiplexed with
    // other events: the count would be scaled, not exact).
    template <class Fn>
    bool count(Fn &&fn, uint64_t *out, std::string *why)
    {
        start();
        fn();
        return stop(out, why);
    }

    // What read() returns with the counter's read_format.
    struct Reading {
        uint64_t value, time_enabled, time_running;
    };

private:
    void start();
    bool stop(uint64_t *out, std::string *why);
    int fd_ = -1;
    Reading before_ = {};
};

}  // namespace posenc_bench

#endif
