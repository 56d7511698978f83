// run_folder.h - the run folder of `posenc bench` and the facts about the source tree it records.
#ifndef POSENC_BENCH_RUN_FOLDER_H
#define POSENC_BENCH_RUN_FOLDER_H

#include <cstddef>
#include <string>

namespace posenc_bench {

// The git revision (40 hex digits) of the source tree the program was built from, "unknown"
// without git or a checkout; *dirty 1 when tracked files have changes, 0 when not, -1 unknown.
void git_state(std::string *rev, int *dirty);

// The first line of a file, trailing spaces and newline removed; "" when unreadable.
std::string read_line(const char *path);

// Lower-case letters and digits, other runs as one '-', at most max characters.
std::string slug_of(const std::string &s, size_t max);

// The CPU model shortened to what tells machines apart: "AMD EPYC 7B13 64-Core Processor" ->
// "amd-epyc-7b13".
std::string cpu_slug(std::string model);

// mkdir -p; false after a message on stderr.
bool make_dirs(const std::string &path);

}  // namespace posenc_bench

#endif
