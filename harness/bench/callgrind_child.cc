// callgrind_child.cc - `posenc bench --count-child=DIR`: counts kernel calls under callgrind
// with its client requests (callgrind_child.h).
#include "callgrind_child.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define POSENC_HAVE_CALLGRIND_H 1
#endif
#endif

#include "kernel_call.h"
#include "strf.h"

extern "C" {
#include "harness_util.h"
#include "machine.h"
}

namespace posenc_bench {

const char kCountTargets[] = "targets.tsv";
const char kCountResults[] = "child.tsv";

namespace {

const uint64_t kAvx512 = POSENC_CPU_AVX512F | POSENC_CPU_AVX512BW | POSENC_CPU_AVX512DQ |
                         POSENC_CPU_AVX512VL | POSENC_CPU_AVX512BF16;

// Why valgrind's CPU cannot run impl, or "". Valgrind presents its own CPUID, with what its
// instruction decoder knows: no AVX-512 in any release so far.
std::string hidden_by_valgrind(const posenc_impl *impl)
{
    const uint64_t missing = impl->cpu_features & ~posenc_cpu_features();
    if (!missing)
        return "";
    if (missing & kAvx512)
        return "valgrind cannot run AVX-512";
    char names[256];
    machine_feature_list(missing, names, sizeof names);
    return strf("valgrind's CPU lacks %s", names);
}

// What counts in the stead of an AVX-512 implementation valgrind cannot run, or nullptr with
// *why: its AVX2 instantiation, the implementation whose name has "avx2" where impl's has
// "avx512". Both are one kernel template compiled twice (impls/simd/kernels.h through
// impls/x86/avx2.c and avx512.c; the SLEEF ones through impls/sleef/sleef_phase.h), so the
// count follows every change to the kernel's code, at half the vector width. A dispatched case
// also needs dispatch itself to pick that stand-in once AVX-512 is hidden (this process runs
// with POSENC_DISABLE_CPU_FEATURES=avx512): the count is then of what an AVX-512 machine's
// dispatch would run without AVX-512.
const posenc_impl *stand_in(const posenc_impl *impl, bool dispatched, std::string *why)
{
    std::string name = impl->name;
    const size_t at = name.find("avx512");
    if (!(impl->cpu_features & kAvx512) || at == std::string::npos) {
        *why = "no AVX2 instantiation of the same kernel";
        return nullptr;
    }
    name.replace(at, 6, "avx2");
    const posenc_impl *s = posenc_impl_find(name.c_str());
    if (!s || s->kind != impl->kind || !posenc_impl_supported(s)) {
        *why = s ? name + " cannot run here either" : "no " + name + " in this build";
        return nullptr;
    }
    const posenc_impl *best = dispatched ? posenc_impl_best(impl->kind) : s;
    if (best != s) {
        *why = strf("dispatch without AVX-512 picks %s, not %s", best ? best->name : "nothing",
                    s->name);
        return nullptr;
    }
    return s;
}

std::vector<std::string> split_tabs(const std::string &line)
{
    std::vector<std::string> f;
    size_t p = 0, q;
    while ((q = line.find('\t', p)) != std::string::npos) {
        f.push_back(line.substr(p, q - p));
        p = q + 1;
    }
    f.push_back(line.substr(p));
    return f;
}

}  // namespace

int count_child_main(const std::string &dir)
{
#ifndef POSENC_HAVE_CALLGRIND_H
    fprintf(stderr, "posenc bench --count-child: built without <valgrind/callgrind.h>\n");
    return 1;
#else
    if (!RUNNING_ON_VALGRIND) {
        fprintf(stderr, "posenc bench --count-child: runs only under valgrind --tool=callgrind "
                        "(posenc bench --instructions starts it)\n");
        return 1;
    }
    const std::string in_path = dir + "/" + kCountTargets, out_path = dir + "/" + kCountResults;
    FILE *in = fopen(in_path.c_str(), "r");
    if (!in) {
        fprintf(stderr, "posenc bench --count-child: %s: %s\n", in_path.c_str(), strerror(errno));
        return 2;
    }
    std::vector<std::vector<std::string>> targets;
    char buf[4096];
    while (fgets(buf, sizeof buf, in)) {
        std::string line = buf;
        if (!line.empty() && line.back() == '\n')
            line.pop_back();
        if (!line.empty())
            targets.push_back(split_tabs(line));
    }
    fclose(in);
    FILE *out = fopen(out_path.c_str(), "w");
    if (!out) {
        fprintf(stderr, "posenc bench --count-child: %s: %s\n", out_path.c_str(), strerror(errno));
        return 2;
    }
    // Line-buffered: what was counted before a crash is still there for the parent to report.
    setvbuf(out, nullptr, _IOLBF, 0);
    fprintf(out, "features\t%" PRIx64 "\n", posenc_cpu_features());
    int failed = 0;
    const double t0 = harness_now_s();
    for (size_t i = 0; i < targets.size(); i++) {
        const std::vector<std::string> &t = targets[i];
        if (t.size() != 4) {
            fprintf(out, "failed\t%s\tmalformed line in %s\n", t[0].c_str(), kCountTargets);
            failed = 1;
            continue;
        }
        const std::string &id = t[0];
        fprintf(stderr, "[count %zu/%zu, %.0f s] %s\n", i + 1, targets.size(),
                harness_now_s() - t0, id.c_str());
        Case *c = find_case(t[1]);
        const posenc_impl *impl = posenc_impl_find(t[2].c_str());
        if (!c || !impl) {
            fprintf(out, "failed\t%s\tthe counting run has no %s %s\n", id.c_str(),
                    c ? "implementation" : "case", c ? t[2].c_str() : t[1].c_str());
            failed = 1;
            continue;
        }
        const std::string hidden = hidden_by_valgrind(impl);
        const posenc_impl *counted = impl;
        if (!hidden.empty()) {
            std::string why;
            counted = stand_in(impl, t[3] == "dispatched", &why);
            if (!counted) {
                fprintf(out, "note\t%s\t%s (%s)\n", id.c_str(), hidden.c_str(), why.c_str());
                continue;
            }
        }
        KernelCall k;
        std::string why;
        if (!k.prepare(c, counted, &why)) {
            fprintf(out, "failed\t%s\t%s\n", id.c_str(), why.c_str());
            failed = 1;
            continue;
        }
        // Only the call is collected; the dump then holds it alone and is named by the id.
        CALLGRIND_TOGGLE_COLLECT;
        const int rc = k.call();
        CALLGRIND_TOGGLE_COLLECT;
        CALLGRIND_DUMP_STATS_AT(id.c_str());
        if (rc != POSENC_OK) {
            fprintf(out, "failed\t%s\t%s: %s\n", id.c_str(), posenc_strerror(rc),
                    posenc_last_error());
            failed = 1;
            continue;
        }
        if (counted == impl)
            fprintf(out, "counted\t%s\n", id.c_str());
        else
            fprintf(out, "stand-in\t%s\t%s\n", id.c_str(), counted->name);
    }
    if (fclose(out) != 0) {
        fprintf(stderr, "posenc bench --count-child: %s: %s\n", out_path.c_str(), strerror(errno));
        return 2;
    }
    return failed;
#endif
}

}  // namespace posenc_bench
