// perf_counter.cc - the retired-instruction counter through perf_event_open (perf_counter.h).
#include "perf_counter.h"

#include <cerrno>
#include <cstring>

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "run_folder.h"
#include "strf.h"

namespace posenc_bench {

namespace {

std::string open_failure(int err)
{
    std::string what = strf("perf_event_open: %s", strerror(err));
    switch (err) {
    case ENOENT:
    case EOPNOTSUPP:
    case ENODEV:
        // Virtual machines without a virtual PMU, and CPUs perf does not know.
        return "this CPU or VM exposes no hardware instruction counter (" + what + ")";
    case EACCES:
    case EPERM: {
        std::string level = read_line("/proc/sys/kernel/perf_event_paranoid");
        return "not permitted (" + what + "; kernel.perf_event_paranoid is " +
               (level.empty() ? "unreadable" : level) + ")";
    }
    case ENOSYS:
        return "this kernel has no perf events (" + what + ")";
    default:
        return what;
    }
}

bool read_counter(int fd, PerfCounter::Reading *r)
{
    return read(fd, r, sizeof *r) == (ssize_t)sizeof *r;
}

}  // namespace

PerfCounter::~PerfCounter()
{
    if (fd_ >= 0)
        close(fd_);
}

bool PerfCounter::open(std::string *why)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = 1;
    a.exclude_kernel = 1;  // the kernel's share (page faults, interrupts) varies run to run
    a.exclude_hv = 1;
    a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    // pid 0, cpu -1: this thread, wherever it runs.
    const long fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) {
        *why = open_failure(errno);
        return false;
    }
    fd_ = (int)fd;
    // Some hypervisors accept the event but never schedule it: a loop of known length must
    // count at least its own iterations.
    uint64_t n = 0;
    volatile uint64_t sink = 0;
    if (!count([&sink]() {
            for (int i = 0; i < 1000; i++)
                sink = sink + (uint64_t)i;
        }, &n, why))
        return false;
    if (n < 1000) {
        *why = strf("the hardware instruction counter opened but counted %llu instructions in a "
                    "loop of 1000 iterations", (unsigned long long)n);
        return false;
    }
    return true;
}

// The times only grow (a reset clears the count alone): the call was multiplexed when they grew
// by different amounts over it.
void PerfCounter::start()
{
    if (!read_counter(fd_, &before_))
        before_ = Reading{};
    ioctl(fd_, PERF_EVENT_IOC_RESET, 0);
    ioctl(fd_, PERF_EVENT_IOC_ENABLE, 0);
}

bool PerfCounter::stop(uint64_t *out, std::string *why)
{
    ioctl(fd_, PERF_EVENT_IOC_DISABLE, 0);
    Reading r;
    if (!read_counter(fd_, &r)) {
        *why = strf("reading the instruction counter: %s", strerror(errno));
        return false;
    }
    if (r.time_running - before_.time_running < r.time_enabled - before_.time_enabled) {
        *why = "the instruction counter was shared with other events (multiplexed): not exact";
        return false;
    }
    *out = r.value;
    return true;
}

}  // namespace posenc_bench
