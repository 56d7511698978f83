// run_folder.cc - where a run goes and what it records about its surroundings: the git state
// of the source tree, the run folder's name (<UTC>-<host>-<cpu>-<git7>), creating it.
#include "run_folder.h"

#include "build_info.h"
#include "harness_util.h"
#include "source_tree.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/stat.h>

namespace posenc_bench {

std::string read_line(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256] = "";
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    }
    std::string s = line;
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

void git_state(std::string *rev, int *dirty)
{
    char buf[64];
    source_git_state(POSENC_SOURCE_DIR, buf, sizeof buf, dirty);
    *rev = buf;
}

// Lower-case letters and digits, other runs as one '-'.
std::string slug_of(const std::string &s, size_t max)
{
    std::string out;
    for (char ch : s) {
        if (isalnum((unsigned char)ch))
            out += (char)tolower((unsigned char)ch);
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    if (out.size() > max)
        out.resize(max);
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out;
}

// The CPU model shortened to what tells machines apart: "AMD EPYC 7B13 64-Core Processor" ->
// "amd-epyc-7b13".
std::string cpu_slug(std::string model)
{
    for (const char *drop : {"(R)", "(r)", "(TM)", "(tm)"})
        for (size_t p; (p = model.find(drop)) != std::string::npos;)
            model.erase(p, strlen(drop));
    size_t at = model.find('@');
    if (at != std::string::npos)
        model.erase(at);
    std::string s = slug_of(model, 64), out;
    // drop the words that every model name has
    std::string rest = s + "-";
    for (size_t p = 0, q; (q = rest.find('-', p)) != std::string::npos; p = q + 1) {
        std::string w = rest.substr(p, q - p);
        if (w == "cpu" || w == "processor" || w == "core" ||
            (w.size() > 4 && w.compare(w.size() - 4, 4, "core") == 0))
            continue;
        out += (out.empty() ? "" : "-") + w;
    }
    if (out.size() > 40)
        out.resize(40);
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? POSENC_TARGET_ARCH : out;
}

bool make_dirs(const std::string &path) { return harness_make_dirs(path.c_str()) == 0; }

}  // namespace posenc_bench
