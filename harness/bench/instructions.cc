// instructions.cc - `posenc bench --instructions`: picks how to count (the CPU's counter, else
// callgrind), counts every timed case and fills the run model's instruction fields
// (instructions.h).
#include "instructions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "callgrind_run.h"
#include "kernel_call.h"
#include "perf_counter.h"
#include "record.h"

extern "C" {
#include "machine.h"
}

namespace posenc_bench {

namespace {

void set_count(run_case *rc, const CountResult &r)
{
    if (r.source.empty()) {
        copy(rc->instructions_note, sizeof rc->instructions_note, r.note);
        return;
    }
    rc->instructions = r.instructions;
    rc->instructions_per_element =
        rc->elements ? (double)r.instructions / (double)rc->elements : NAN;
    copy(rc->instructions_source, sizeof rc->instructions_source, r.source);
    copy(rc->instructions_impl, sizeof rc->instructions_impl,
         r.impl.empty() ? std::string(rc->implementation) : r.impl);
    copy(rc->instructions_note, sizeof rc->instructions_note, r.note);
}

// One call of each target with the CPU's counter; false after a message when a kernel failed.
bool count_with_perf(PerfCounter &pc, const std::vector<CountTarget> &targets,
                     std::vector<CountResult> *results)
{
    bool ok = true;
    results->assign(targets.size(), CountResult());
    for (size_t i = 0; i < targets.size(); i++) {
        CountResult &res = (*results)[i];
        Case *c = find_case(targets[i].group);
        const posenc_impl *impl = posenc_impl_find(targets[i].impl.c_str());
        KernelCall k;
        std::string why = "no such case or implementation";
        if (!c || !impl || !k.prepare(c, impl, &why)) {
            fprintf(stderr, "posenc bench: --instructions: %s: %s\n", targets[i].id.c_str(),
                    why.c_str());
            res.note = "the kernel failed when counted: " + why;
            ok = false;
            continue;
        }
        // Three counts of one call each, the smallest kept (instructions.h says why).
        uint64_t best = UINT64_MAX;
        for (int rep = 0; rep < 3; rep++) {
            uint64_t n = 0;
            int rc = POSENC_OK;
            if (!pc.count([&]() { rc = k.call(); }, &n, &why)) {
                res.note = "perf: " + why;
                break;
            }
            if (rc != POSENC_OK) {
                fprintf(stderr, "posenc bench: --instructions: %s: %s\n", targets[i].id.c_str(),
                        posenc_strerror(rc));
                res.note = std::string("the kernel failed when counted: ") + posenc_strerror(rc);
                ok = false;
                break;
            }
            best = std::min(best, n);
        }
        if (res.note.empty()) {
            res.instructions = best;
            res.source = "perf";
        }
    }
    return ok;
}

}  // namespace

bool instructions_method_valid(const std::string &method)
{
    return method == "auto" || method == "perf" || method == "callgrind";
}

int count_instructions(const std::string &method, std::vector<run_case> &rcases,
                       const std::string &run_dir, int argc, char **argv)
{
    std::vector<CountTarget> targets;
    std::vector<run_case *> timed;
    for (run_case &rc : rcases) {
        if (rc.status == RUN_STATUS_OK) {
            targets.push_back({rc.id, rc.group, rc.implementation, rc.dispatched != 0});
            timed.push_back(&rc);
        } else {
            copy(rc.instructions_note, sizeof rc.instructions_note,
                 std::string("not run: ") +
                     (rc.reason[0] ? rc.reason : run_status_name(rc.status)));
        }
    }
    auto note_all = [&](const std::string &note) {
        for (run_case *rc : timed)
            copy(rc->instructions_note, sizeof rc->instructions_note, note);
    };
    if (targets.empty())
        return 0;
    if (machine_is_emulated()) {
        // Either counter would count the emulator's work, not the kernel's.
        fprintf(stderr, "posenc bench: warning: --instructions: an emulated run (qemu) has no "
                        "meaningful instruction counts; not counted\n");
        note_all("not counted in an emulated run (qemu)");
        return 0;
    }

    std::vector<CountResult> results;
    std::string perf_why;
    if (method != "callgrind") {
        PerfCounter pc;
        if (pc.open(&perf_why)) {
            fprintf(stderr, "posenc bench: counting %zu kernel calls with the CPU's instruction "
                            "counter (perf)\n", targets.size());
            const bool ok = count_with_perf(pc, targets, &results);
            for (size_t i = 0; i < targets.size(); i++)
                set_count(timed[i], results[i]);
            return ok ? 0 : 1;
        }
        if (method == "perf") {
            fprintf(stderr, "posenc bench: warning: --instructions=perf: %s; not counted\n",
                    perf_why.c_str());
            note_all("perf: " + perf_why);
            return 0;
        }
        fprintf(stderr, "posenc bench: --instructions: %s; counting under valgrind's callgrind "
                        "instead\n", perf_why.c_str());
    }
    const std::string unavailable = callgrind_unavailable();
    if (!unavailable.empty()) {
        fprintf(stderr, "posenc bench: warning: --instructions: %s%s; instructions not counted\n",
                unavailable.c_str(),
                method == "auto" ? " and the CPU's counter is unavailable" : "");
        note_all(unavailable);
        return 0;
    }
    std::string why;
    const bool ok = count_with_callgrind(targets, run_dir, argc, argv, &results, &why);
    for (size_t i = 0; i < targets.size(); i++)
        set_count(timed[i], results[i]);
    if (!ok) {
        fprintf(stderr, "posenc bench: error: --instructions: %s\n", why.c_str());
        return 1;
    }
    return 0;
}

}  // namespace posenc_bench
