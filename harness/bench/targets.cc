// targets.cc - the speed-target table of the targets suite (`posenc bench --suite targets`):
// each target as a ratio to its same-run memory pass, PASS or MISS, then every benchmark's median.
#include "targets.h"

#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <map>

#include "strf.h"

extern "C" {
#include "machine.h"
}

namespace posenc_bench {

namespace {

std::string fmt_time(double ns)
{
    if (ns < 0)
        return "-";
    if (ns < 1e3)
        return strf("%.1f ns", ns);
    if (ns < 1e6)
        return strf("%.2f us", ns / 1e3);
    if (ns < 1e9)
        return strf("%.2f ms", ns / 1e6);
    return strf("%.3f s", ns / 1e9);
}

std::string fmt_mib(size_t bytes)
{
    if (bytes >= (1u << 20))
        return strf("%g MiB", (double)bytes / (1u << 20));
    return strf("%g KiB", (double)bytes / 1024);
}

class Table {
public:
    explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.size() == 1; }
    std::string str() const
    {
        std::vector<size_t> w(rows_[0].size(), 0);
        for (const auto &r : rows_)
            for (size_t i = 0; i < r.size(); i++)
                w[i] = std::max(w[i], r[i].size());
        std::string out;
        for (size_t k = 0; k < rows_.size(); k++) {
            std::string line;
            for (size_t i = 0; i < rows_[k].size(); i++) {
                line += (i ? " | " : "") + rows_[k][i];
                if (i + 1 < rows_[k].size())
                    line += std::string(w[i] - rows_[k][i].size(), ' ');
            }
            out += line + "\n";
            if (k == 0) {
                std::string rule;
                for (size_t i = 0; i < w.size(); i++)
                    rule += (i ? "-|-" : "") + std::string(w[i], '-');
                out += rule + "\n";
            }
        }
        return out;
    }

private:
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace

std::string targets_summary(const Collector &col, const Registered &reg, const TargetCases &t,
                            int *misses_out)
{
    Table table({"target", "impl", "median", "reference median", "ratio", "limit", "result"});
    int misses = 0;

    // Rows of one case: every implementation benchmarked on it, against its memory pass.
    auto ratio_rows = [&](const Case *c, const std::string &label, double limit) {
        const std::string ref = c->ref_name();
        const double ref_ns = col.median_ns(ref);
        const std::string ref_cell =
            fmt_time(ref_ns) + " (" + (c->op == Op::kApply ? "rw " : "w ") +
            fmt_mib(c->buffer_bytes()) + ")";
        for (const KernelBench &kb : reg.kernels) {
            if (kb.c != c || kb.dispatched)
                continue;
            const double ns = col.median_ns(kb.name);
            if (ns < 0)
                continue;
            std::string ratio = "-", result = "n/a (no reference)";
            if (ref_ns > 0) {
                const double r = ns / ref_ns;
                ratio = strf("%.2fx", r);
                result = r <= limit ? "PASS" : "MISS";
                misses += r > limit;
            }
            table.add({label, kb.impl->name, fmt_time(ns), ref_cell, ratio,
                       strf("<= %.2fx", limit), result});
        }
    };
    ratio_rows(t.rotary_4096, "rotary apply T=4096 (64 MiB)", 1.15);
    ratio_rows(t.rotary_512, "rotary apply T=512 (8 MiB)", 1.6);
    for (const KernelBench &kb : reg.kernels) {
        if (kb.c != t.rotary_decode || kb.dispatched)
            continue;
        const double ns = col.median_ns(kb.name);
        if (ns < 0)
            continue;
        const bool pass = ns <= 400.0;
        misses += !pass;
        table.add({"rotary decode 1x32x128 @100000", kb.impl->name, fmt_time(ns), "-", "-",
                   "<= 400 ns", pass ? "PASS" : "MISS"});
    }
    ratio_rows(t.sin_encode, "sinusoidal encode 65536x512", 2.0);
    ratio_rows(t.sin_apply, "sinusoidal apply 4096x4096", 1.3);
    ratio_rows(t.learned_small, "learned apply 1024x768", 1.3);
    ratio_rows(t.learned_large, "learned apply 4096x4096", 1.3);
    // Vector backends against scalar on the same PE table.
    const posenc_impl *scalar = posenc_impl_find("sinusoidal/scalar");
    const double scalar_ns = scalar ? col.median_ns(t.sin_encode->name(scalar)) : -1;
    for (const KernelBench &kb : reg.kernels) {
        const char *backend = strchr(kb.impl->name, '/');
        if (kb.c != t.sin_encode || kb.dispatched || !backend ||
            (strcmp(backend, "/avx2") && strcmp(backend, "/avx512")))
            continue;
        const double ns = col.median_ns(kb.name);
        if (ns < 0)
            continue;
        std::string ratio = "-", result = "n/a (scalar not run)";
        if (scalar_ns > 0) {
            const double speedup = scalar_ns / ns;
            ratio = strf("%.2fx faster", speedup);
            result = speedup >= 6.0 ? "PASS" : "MISS";
            misses += speedup < 6.0;
        }
        table.add({"sinusoidal encode speedup over scalar", kb.impl->name, fmt_time(ns),
                   fmt_time(scalar_ns) + " (scalar)", ratio, ">= 6x faster", result});
    }

    // Every benchmark that ran, targets or not.
    Table all({"benchmark", "median", "ns/element", "GB/s moved"});
    for (const auto &e : reg.entries) {
        const double ns = col.median_ns(e.first);
        if (ns < 0)
            continue;
        all.add({e.first, fmt_time(ns), strf("%.4f", ns / (double)e.second.elements),
                 strf("%.2f", (double)e.second.traffic_bytes / ns)});
    }

    std::string out;
    char model[256];
    machine_cpu_model(model, sizeof model);
    out += std::string("posenc bench speed targets: ") + model + ", 1 thread, float32, exact angles\n";
    if (machine_is_emulated())
        out += "EMULATED (qemu user mode): the CPU named above is the host's, and these times "
               "say nothing about the target CPU\n";
    out += strf("medians of %" PRId64 " repetition(s), thread CPU time; ratio = kernel median / "
                "memory-pass median over the same bytes, same run\n",
                col.repetitions);
    out += "references: rw = in-place read+write pass (x[i] += 1), w = write-only pass "
           "(x[i] = c, ordinary stores)\n\n";
    out += table.empty() ? "(no target benchmark ran)\n" : table.str();
    std::map<std::string, std::string> why;  // one line per implementation
    for (const Skip &s : reg.skipped)
        why.emplace(s.impl->name, s.reason);
    for (const auto &w : why)
        out += "not measured: " + w.first + ": " + w.second + "\n";
    for (const auto &e : col.errors)
        out += "error: " + e.first + ": " + e.second + "\n";
    out += strf("\n%d target row(s) missed\n\n", misses);
    if (!all.empty())
        out += all.str();
    *misses_out = misses;
    return out;
}


}  // namespace posenc_bench
