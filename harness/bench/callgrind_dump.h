// callgrind_dump.h - reads the dumps a callgrind run wrote at CALLGRIND_DUMP_STATS_AT("<id>"):
// the instructions (Ir) each dump holds, by the id its trigger names.
#ifndef POSENC_BENCH_CALLGRIND_DUMP_H
#define POSENC_BENCH_CALLGRIND_DUMP_H

#include <cstdint>
#include <map>
#include <string>

namespace posenc_bench {

// Every dump of process pid in dir: files "out.<pid>.<n>" (callgrind numbers the dumps of
// --callgrind-out-file=DIR/out.%p), each with "desc: Trigger: Client Request: <id>" and its
// Ir total ("summary:", or "totals:" where an older callgrind writes no summary). The final
// dump at program end ("out.<pid>", trigger "Program termination") is not one of them.
// false with *why set when a dump is unreadable, lacks its trigger or total, counts something
// other than Ir first, or names an id twice.
bool read_callgrind_dumps(const std::string &dir, long pid, std::map<std::string, uint64_t> *ir,
                          std::string *why);

}  // namespace posenc_bench

#endif
