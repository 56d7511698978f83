// progress.h - the bench's progress lines on stderr: how many of the run's benchmark repetitions
// are done out of how many, the time left at the pace so far, and what runs now.
#ifndef POSENC_BENCH_PROGRESS_H
#define POSENC_BENCH_PROGRESS_H

#include <string>
#include <vector>

namespace posenc_bench {

// Before the run: `names` are every registered benchmark as Google Benchmark names them
// ("<name>/real_time/threads:N" on N threads); those `filter` selects (Google Benchmark's rules:
// an extended regular expression searched in the name, "-" before it negates, "" and "all"
// select everything) run `repetitions` times each. Lines come every `interval_s` seconds
// (POSENC_BENCH_PROGRESS_S overrides it; 0: at every new repetition).
void progress_start(const std::vector<std::string> &names, const std::string &filter,
                    int repetitions, double interval_s = 10);

// From a benchmark body (the first thread of one on N threads): `name` runs now, for
// `iterations` (State::max_iterations). Google Benchmark sizes a benchmark's first repetition by
// calling its body with more and more iterations, and runs each later repetition as one call
// with the final count; with random interleaving the repetitions come in any order. So a call
// under a new name, or under the same name with no more iterations than the last, starts the
// next repetition.
void progress_note(const std::string &name, long long iterations);

// After the run: one line with the number of repetitions run and the time they took.
void progress_finish();

}  // namespace posenc_bench

#endif
