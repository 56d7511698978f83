// targets.cc - the speed-target table of the targets suite (`posenc bench --suite targets`):
// each target as a ratio to its same-run memory pass, PASS or MISS, then every benchmark's median.
#include "targets.h"

#include <algorithm>
#include <cinttypes>
#include <cstring>
#include <map>

#include "build_info.h"
#include "fmt_time.h"
#include "strf.h"

extern "C" {
#include "machine.h"
}

namespace posenc_bench {

namespace {

std::string fmt_time(double ns)
{
    char buf[REPORT_TIME_MAX];
    return report_fmt_time(buf, sizeof buf, ns);
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

// The machine kinds of the targets set for one kind (results/README.md: baselines/), with a
// name for people.
struct MachineKind {
    const char *kind, *name;
};
const MachineKind zen5 = {"x86_64-authenticamd-f26-m2-avx512", "Zen 5, AVX-512"};
const MachineKind zen1 = {"x86_64-authenticamd-f23-m1-avx2", "Zen 1, AVX2 only"};

// The implementations of posenc timed on c on one thread (the dispatched case aside), each with
// its median; with dispatched, the "impl=dispatch" benchmark alone.
std::vector<std::pair<const KernelBench *, double>> timed_on(const Collector &col,
                                                             const Registered &reg, const Case *c,
                                                             bool dispatched = false)
{
    std::vector<std::pair<const KernelBench *, double>> out;
    for (const KernelBench &kb : reg.kernels) {
        // one thread; the common designs are not posenc's to judge (their own rows compare)
        if (kb.threads != 1 || (kb.impl->flags & POSENC_IMPL_DESIGN))
            continue;
        const double ns = kb.c == c && kb.dispatched == dispatched ? col.median_ns(kb.name) : NAN;
        if (!std::isnan(ns))
            out.emplace_back(&kb, ns);
    }
    return out;
}

std::string this_machine_kind()
{
    machine_cpu_id id;
    machine_cpu_identify(&id);
    char buf[128];
    machine_kind(POSENC_TARGET_ARCH, &id, posenc_cpu_features_detected(), machine_is_emulated(),
                 buf, sizeof buf);
    return buf;
}

}  // namespace

std::string targets_summary(const Collector &col, const Registered &reg, const TargetCases &t,
                            int *misses_out)
{
    Table table({"target", "for", "impl", "median", "reference median", "ratio", "limit",
                 "result"});
    const std::string kind = this_machine_kind();
    int misses = 0, other_misses = 0;

    // A row's verdict; a target for another machine kind is judged too, but says so and is
    // counted apart.
    auto verdict = [&](bool pass, const MachineKind *mk) {
        if (mk && kind != mk->kind) {
            other_misses += !pass;
            return std::string(pass ? "PASS" : "MISS") + " (other kind)";
        }
        misses += !pass;
        return std::string(pass ? "PASS" : "MISS");
    };
    auto for_cell = [](const MachineKind *mk) {
        return mk ? std::string(mk->name) + " (" + mk->kind + ")" : std::string("any");
    };
    // The implementation cell: its name, or for the dispatched benchmark what dispatch picked.
    auto impl_cell = [](const KernelBench *kb) {
        return kb->dispatched ? std::string("dispatch: ") + kb->impl->name
                              : std::string(kb->impl->name);
    };
    // Rows of one case: every implementation benchmarked on it (dispatched: what dispatch
    // picks), against its reference, the fastest way of its memory pass in this run.
    auto ratio_rows = [&](const Case *c, const std::string &label, double limit,
                          const MachineKind *mk, bool dispatched = false) {
        const Reference ref = case_reference(col, *c);
        const double ref_ns = ref.median_ns;
        const std::string ref_cell =
            ref_ns > 0 ? fmt_time(ref_ns) + " (" + ref.name.substr(0, ref.name.find('/')) + " " +
                             fmt_mib(c->buffer_bytes()) + ")"
                       : std::string("-");
        for (const auto &k : timed_on(col, reg, c, dispatched)) {
            std::string ratio = "-", result = "n/a (no reference)";
            if (ref_ns > 0) {
                const double r = k.second / ref_ns;
                ratio = strf("%.2fx", r);
                result = verdict(r <= limit, mk);
            }
            table.add({label, for_cell(mk), impl_cell(k.first), fmt_time(k.second), ref_cell,
                       ratio, strf("<= %.2fx", limit), result});
        }
    };
    // Rows of an absolute target: every implementation's median against limit_ns.
    auto time_rows = [&](const Case *c, const std::string &label, double limit_ns,
                         const MachineKind *mk, bool dispatched = false) {
        for (const auto &k : timed_on(col, reg, c, dispatched))
            table.add({label, for_cell(mk), impl_cell(k.first), fmt_time(k.second), "-", "-",
                       "<= " + fmt_time(limit_ns), verdict(k.second <= limit_ns, mk)});
    };
    ratio_rows(t.rotary_4096, "rotary apply T=4096 (64 MiB)", 1.15, nullptr);
    ratio_rows(t.rotary_512, "rotary apply T=512 (8 MiB)", 1.6, nullptr);
    time_rows(t.rotary_decode, "rotary decode 1x32x128 @100000", 400.0, nullptr);
    ratio_rows(t.sin_encode, "sinusoidal encode 65536x512", 2.0, nullptr);
    ratio_rows(t.sin_apply, "sinusoidal apply 4096x4096", 1.3, nullptr);
    ratio_rows(t.learned_small, "learned apply 1024x768", 1.3, nullptr);
    ratio_rows(t.learned_large, "learned apply 4096x4096", 1.3, nullptr);
    // Vector backends against scalar on the same PE table.
    const posenc_impl *scalar = posenc_impl_find("sinusoidal/scalar");
    const double scalar_ns = scalar ? col.median_ns(t.sin_encode->name(scalar)) : -1;
    for (const auto &k : timed_on(col, reg, t.sin_encode)) {
        const char *name = k.first->impl->name, *backend = strchr(name, '/');
        const double ns = k.second;
        if (!backend || (strcmp(backend, "/avx2") && strcmp(backend, "/avx512")))
            continue;
        std::string ratio = "-", result = "n/a (scalar not run)";
        if (scalar_ns > 0) {
            const double speedup = scalar_ns / ns;
            ratio = strf("%.2fx faster", speedup);
            result = verdict(speedup >= 6.0, nullptr);
        }
        table.add({"sinusoidal encode speedup over scalar", "any", name, fmt_time(ns),
                   fmt_time(scalar_ns) + " (scalar)", ratio, ">= 6x faster", result});
    }
    // The 16-bit targets: Llama-3-8B's q and k on bfloat16 and float16 data, each against the
    // same-run 16-bit read+write pass over its bytes; the decode as a time.
    for (int d = 0; d < 2; d++) {
        const std::string ty = d == 0 ? "bf16" : "f16";
        for (const MachineKind *mk : {&zen5, &zen1}) {
            const bool z5 = mk == &zen5;
            ratio_rows(t.half[d][0], "rotary apply Llama-3-8B T=512 " + ty + " (5 MiB)",
                       z5 ? 1.25 : 1.6, mk);
            ratio_rows(t.half[d][1], "rotary apply Llama-3-8B T=4096 " + ty + " (40 MiB)",
                       z5 ? 1.25 : 1.35, mk);
        }
    }
    time_rows(t.half[0][2], "rotary decode Llama-3-8B 1x(32+8)x128 bf16 @131071", 150.0, &zen5);

    // The targets per machine kind, for what dispatch picks: the rotary prefills in both
    // pairings on Llama-2-7B's q (32 x 128) and Llama-3-8B's q and k (32 + 8 heads), the decode,
    // sinusoidal encode and apply, learned apply.
    static const char *const pairing_name[2] = {"half-split", "interleaved"};
    static const char *const shape_name[3] = {"Llama-2-7B q 32x128", "Llama-3-8B q+k (32+8)x128",
                                              "Llama-2-7B q+k fused 64x128"};
    auto prefill_label = [&](int pairing, int shape, int k) {
        const Case *c = t.prefill[pairing][shape][k];
        return strf("rotary apply %s %s %s (%s)", pairing_name[pairing], shape_name[shape],
                    c->shape.c_str(), fmt_mib(c->buffer_bytes()).c_str());
    };
    for (const MachineKind *mk : {&zen5, &zen1}) {
        const bool z5 = mk == &zen5;
        for (int pairing = 0; pairing < 2; pairing++)
            for (int shape = 0; shape < 2; shape++)
                for (int k = 0; k < 2; k++)
                    ratio_rows(t.prefill[pairing][shape][k], prefill_label(pairing, shape, k),
                               z5 ? 1.10 : k ? 1.15 : 1.3, mk, true);
        ratio_rows(t.sin_encode, "sinusoidal encode 65536x512", z5 ? 1.15 : 2.5, mk, true);
    }
    time_rows(t.rotary_decode, "rotary decode 1x32x128 @100000", 80.0, &zen5, true);
    ratio_rows(t.sin_apply, "sinusoidal apply 4096x4096", 1.10, &zen5, true);
    ratio_rows(t.learned_small, "learned apply 1024x768", 1.15, &zen5, true);
    ratio_rows(t.learned_large, "learned apply 4096x4096", 1.15, &zen5, true);

    // Faster than the recipe-cache design (an engine's cos/sin cache, then a rotation reading
    // it): what dispatch picks against rotary/recipe-cache on every rotary target case.
    const posenc_impl *recipe = posenc_impl_find("rotary/recipe-cache");
    std::vector<std::pair<const Case *, std::string>> rotary_targets;
    for (int pairing = 0; pairing < 2; pairing++)
        for (int shape = 0; shape < 3; shape++)
            for (int k = 0; k < 2; k++)
                rotary_targets.emplace_back(t.prefill[pairing][shape][k],
                                            prefill_label(pairing, shape, k));
    rotary_targets.emplace_back(t.rotary_decode, "rotary decode 1x32x128 @100000");
    rotary_targets.emplace_back(t.llama3_f32[2], "rotary decode Llama-3-8B 1x(32+8)x128 @131071");
    for (const auto &rt : rotary_targets)
        for (const auto &k : timed_on(col, reg, rt.first, true)) {
            const double rc_ns = recipe ? col.median_ns(rt.first->name(recipe)) : -1;
            std::string ratio = "-", result = recipe ? "n/a (rotary/recipe-cache not timed)"
                                                     : "n/a (rotary/recipe-cache not built)";
            if (rc_ns > 0) {
                ratio = strf("%.2fx", k.second / rc_ns);
                result = verdict(k.second < rc_ns, nullptr);
            }
            table.add({rt.second + " faster than the recipe-cache design", "any",
                       impl_cell(k.first), fmt_time(k.second),
                       rc_ns > 0 ? fmt_time(rc_ns) + " (rotary/recipe-cache)" : std::string("-"),
                       ratio, "< 1x (faster)", result});
        }

    // Two threads (`--threads` with 2), what dispatch picks, split as thread_split.h says: a
    // prefill that fits the caches (T = 512) should scale (two threads' throughput at least
    // 1.8x one thread's, wall-clock time both), one that streams from DRAM (T = 4096) should
    // stay at the two-thread memory pass (at most 1.10x of it).
    const bool two = std::find(reg.threads.begin(), reg.threads.end(), 2) != reg.threads.end();
    for (int pairing = 0; pairing < 2; pairing++)
        for (int shape = 0; shape < 2; shape++)
            for (int k = 0; k < 2; k++) {
                const Case *c = t.prefill[pairing][shape][k];
                const std::string label = prefill_label(pairing, shape, k) + ", 2 threads";
                const std::string limit = k ? "<= 1.10x" : ">= 1.8x faster";
                const posenc_impl *best = posenc_impl_best(c->params.kind);
                if (!two || !best) {
                    table.add({label, for_cell(&zen5), "dispatch", "-", "-", "-", limit,
                               "not run (no --threads 2)"});
                    continue;
                }
                const double ns2 = col.median_ns(kernel_name(*c, "dispatch", 2));
                const std::string impl = std::string("dispatch: ") + best->name;
                if (ns2 <= 0) {
                    table.add({label, for_cell(&zen5), impl, "-", "-", "-", limit,
                               "n/a (not timed)"});
                    continue;
                }
                if (k == 0) {
                    const double ns1 = col.median_wall_ns(kernel_name(*c, "dispatch", 1));
                    const bool ok = ns1 > 0;
                    table.add({label, for_cell(&zen5), impl, fmt_time(ns2),
                               ok ? fmt_time(ns1) + " (1 thread, wall)" : std::string("-"),
                               ok ? strf("%.2fx faster", ns1 / ns2) : std::string("-"), limit,
                               ok ? verdict(ns1 / ns2 >= 1.8, &zen5)
                                  : std::string("n/a (no 1-thread time)")});
                } else {
                    const Reference ref = case_reference(col, *c, 2);
                    const bool ok = ref.median_ns > 0;
                    table.add({label, for_cell(&zen5), impl, fmt_time(ns2),
                               ok ? fmt_time(ref.median_ns) + " (" +
                                        ref.name.substr(0, ref.name.find('/')) + ", 2 threads)"
                                  : std::string("-"),
                               ok ? strf("%.2fx", ns2 / ref.median_ns) : std::string("-"), limit,
                               ok ? verdict(ns2 / ref.median_ns <= 1.10, &zen5)
                                  : std::string("n/a (no reference)")});
                }
            }

    // Every benchmark that ran, targets or not.
    Table all({"benchmark", "median", "ns/element", "GB/s moved"});
    for (const auto &e : reg.entries) {
        const double ns = col.median_ns(e.first);
        if (std::isnan(ns))
            continue;
        all.add({e.first, fmt_time(ns), strf("%.4f", ns / (double)e.second.elements),
                 strf("%.2f", (double)e.second.traffic_bytes / ns)});
    }

    std::string out;
    char model[256];
    machine_cpu_model(model, sizeof model);
    out += std::string("posenc bench speed targets: ") + model + " (machine kind " + kind +
           "), 1 thread unless a target says 2, exact angles, float32 data unless a target "
           "names bf16 or f16\n";
    if (machine_is_emulated())
        out += "EMULATED (qemu user mode): the CPU named above is the host's, and these times "
               "say nothing about the target CPU\n";
    out += strf("medians of %" PRId64 " repetition(s), thread CPU time (2 threads: wall-clock "
                "time of the whole call); ratio = kernel median / memory-pass median over the "
                "same bytes, same run\n",
                col.repetitions);
    out += "reference: the fastest way of the case's memory pass timed in this run, named in "
           "its cell: mempass_rw (in-place read+write, x[i] ^= 1), mempass_w (write only), "
           "mempass_rw_r32 (learned: x read and written, the float32 W rows read), over elements "
           "of the case's type (_bf16, _f16); ways: none = compiler-vectorized loop, _vec = "
           "explicit vectors, _nt = non-temporal stores, _memset = memset\n";
    out += "impl \"dispatch: NAME\": what dispatch picks on this machine (posenc_impl_best); "
           "the targets for a machine kind judge it alone\n";
    out += "for: the machine kind a target is set for (posenc sysinfo's kind); a target for "
           "another kind than this machine's is judged too, marked (other kind), and counted "
           "apart\n\n";
    out += table.empty() ? "(no target benchmark ran)\n" : table.str();
    std::map<std::string, std::string> why;  // one line per implementation
    for (const Skip &s : reg.skipped)
        if (s.threads == 1)
            why.emplace(s.impl->name, s.reason);
    for (const auto &w : why)
        out += "not measured: " + w.first + ": " + w.second + "\n";
    for (const auto &e : col.errors)
        out += "error: " + e.first + ": " + e.second + "\n";
    out += strf("\n%d target row(s) missed, %d more for other machine kinds\n\n", misses,
                other_misses);
    if (!all.empty())
        out += all.str();
    *misses_out = misses;
    return out;
}


}  // namespace posenc_bench
