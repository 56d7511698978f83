// progress.cc - the bench's progress lines (progress.h).
#include "progress.h"

#include <cstdio>
#include <cstdlib>

#include <regex.h>

#include "harness_util.h"

namespace posenc_bench {

namespace {

struct Progress {
    long total = 0;    // repetitions the run times
    long started = 0;  // repetitions begun (visits: a body under a new name)
    std::string running;
    long long iterations = 0;  // of the last call
    double t0 = -1, last_line = -1, interval_s = 10;
} state;

std::string fmt_duration(double s)
{
    char buf[32];
    return harness_fmt_duration(buf, sizeof buf, s);
}

// How many of names Google Benchmark's filter selects (its FindBenchmarks: regexec, REG_EXTENDED).
long count_selected(const std::vector<std::string> &names, std::string filter)
{
    bool negative = false;
    if (filter.empty() || filter == "all")
        filter = ".";
    else if (filter[0] == '-') {
        negative = true;
        filter.erase(0, 1);
    }
    regex_t re;
    if (regcomp(&re, filter.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return 0;  // Google Benchmark reports the bad expression and runs nothing
    long n = 0;
    for (const std::string &name : names)
        n += (regexec(&re, name.c_str(), 0, nullptr, 0) == 0) != negative;
    regfree(&re);
    return n;
}

}  // namespace

void progress_start(const std::vector<std::string> &names, const std::string &filter,
                    int repetitions, double interval_s)
{
    state = Progress();
    state.total = count_selected(names, filter) * (repetitions > 0 ? repetitions : 1);
    const char *env = getenv("POSENC_BENCH_PROGRESS_S");
    state.interval_s = env && *env ? atof(env) : interval_s;
    state.t0 = harness_now_s();
}

void progress_note(const std::string &name, long long iterations)
{
    const bool sizing = name == state.running && iterations > state.iterations;
    state.iterations = iterations;
    if (sizing)
        return;  // the same repetition, its loop being sized
    state.running = name;
    state.started++;
    const double now = harness_now_s();
    if (state.t0 < 0)
        state.t0 = now;
    if (state.last_line >= 0 && now - state.last_line < state.interval_s)
        return;
    state.last_line = now;
    long done = state.started - 1;
    if (state.total && done > state.total)
        done = state.total;
    const double elapsed = now - state.t0;
    std::string left = "time left unknown yet";
    if (done > 0 && state.total)
        left = "about " + fmt_duration(elapsed / (double)done * (double)(state.total - done)) +
               " left";
    fprintf(stderr, "[posenc bench %s] %ld of %ld runs done (%d%%), %s; now %s\n",
            fmt_duration(elapsed).c_str(), done, state.total,
            state.total ? (int)(100 * done / state.total) : 0, left.c_str(), name.c_str());
}

void progress_finish()
{
    if (state.t0 < 0)
        return;
    fprintf(stderr, "[posenc bench %s] %ld of %ld runs done\n",
            fmt_duration(harness_now_s() - state.t0).c_str(), state.total, state.total);
}

}  // namespace posenc_bench
