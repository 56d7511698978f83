// callgrind_dump.cc - the Ir totals of callgrind's client-request dumps (callgrind_dump.h).
#include "callgrind_dump.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <dirent.h>

#include "strf.h"

namespace posenc_bench {

namespace {

// "summary: 1234" or "totals: 1234 5 6": the first figure, which is Ir's when events start with
// Ir.
bool first_figure(const std::string &line, size_t skip, uint64_t *out)
{
    const char *s = line.c_str() + skip;
    while (*s == ' ')
        s++;
    char *end = nullptr;
    errno = 0;
    const unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno)
        return false;
    *out = (uint64_t)v;
    return true;
}

bool starts(const std::string &s, const char *prefix)
{
    return s.compare(0, strlen(prefix), prefix) == 0;
}

bool read_one(const std::string &path, std::string *id, uint64_t *ir, std::string *why)
{
    FILE *f = fopen(path.c_str(), "r");
    if (!f) {
        *why = strf("%s: %s", path.c_str(), strerror(errno));
        return false;
    }
    static const char kTrigger[] = "desc: Trigger: Client Request: ";
    bool have_id = false, have_summary = false, have_totals = false, ir_first = false;
    uint64_t summary = 0, totals = 0;
    std::vector<char> buf(1 << 16);
    std::string line;
    while (fgets(buf.data(), (int)buf.size(), f)) {
        line = buf.data();
        const bool whole = !line.empty() && line.back() == '\n';
        if (whole)
            line.pop_back();
        // Cost lines can be long; only the header lines matter and they are short.
        if (!whole)
            while (fgets(buf.data(), (int)buf.size(), f) && !strchr(buf.data(), '\n')) {
            }
        if (starts(line, kTrigger)) {
            *id = line.substr(sizeof kTrigger - 1);
            have_id = true;
        } else if (starts(line, "events:")) {
            ir_first = line.compare(0, 10, "events: Ir") == 0 &&
                       (line.size() == 10 || line[10] == ' ');
        } else if (starts(line, "summary:")) {
            have_summary = first_figure(line, 8, &summary);
        } else if (starts(line, "totals:")) {
            have_totals = first_figure(line, 7, &totals);
        }
    }
    fclose(f);
    if (!have_id) {
        *why = path + ": no \"" + std::string(kTrigger, sizeof kTrigger - 2) + "\" line";
        return false;
    }
    if (!ir_first) {
        *why = path + ": its first event is not Ir";
        return false;
    }
    if (!have_summary && !have_totals) {
        *why = path + ": no summary: or totals: line";
        return false;
    }
    *ir = have_summary ? summary : totals;
    return true;
}

}  // namespace

bool read_callgrind_dumps(const std::string &dir, long pid, std::map<std::string, uint64_t> *ir,
                          std::string *why)
{
    DIR *d = opendir(dir.c_str());
    if (!d) {
        *why = strf("%s: %s", dir.c_str(), strerror(errno));
        return false;
    }
    const std::string prefix = strf("out.%ld.", pid);
    std::vector<std::string> files;
    while (const struct dirent *e = readdir(d)) {
        const std::string name = e->d_name;
        if (!starts(name, prefix.c_str()) || name.size() == prefix.size())
            continue;
        // "out.<pid>.<n>" only: callgrind adds "-<thread>" with --separate-threads=yes,
        // which is not used here
        if (name.find_first_not_of("0123456789", prefix.size()) != std::string::npos)
            continue;
        files.push_back(dir + "/" + name);
    }
    closedir(d);
    for (const std::string &path : files) {
        std::string id;
        uint64_t n = 0;
        if (!read_one(path, &id, &n, why))
            return false;
        if (!ir->emplace(id, n).second) {
            *why = strf("%s: a second dump of %s", path.c_str(), id.c_str());
            return false;
        }
    }
    return true;
}

}  // namespace posenc_bench
