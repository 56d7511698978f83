// callgrind_run.cc - the parent side of counting under callgrind (callgrind_run.h): starts the
// counting child under valgrind, waits, and matches its dumps with the targets.
#include "callgrind_run.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "callgrind_child.h"
#include "callgrind_dump.h"
#include "posenc.h"
#include "run_folder.h"
#include "strf.h"

extern "C" {
#include "harness_util.h"
#include "machine.h"
}

namespace posenc_bench {

namespace {

#if defined(__SANITIZE_ADDRESS__)
const bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
const bool kAddressSanitizer = true;
#else
const bool kAddressSanitizer = false;
#endif
#else
const bool kAddressSanitizer = false;
#endif

// The first executable `name` on PATH, or "".
std::string on_path(const char *name)
{
    const char *path = getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    dirs += ":";
    for (size_t p = 0, q; (q = dirs.find(':', p)) != std::string::npos; p = q + 1) {
        std::string file = (q == p ? std::string(".") : dirs.substr(p, q - p)) + "/" + name;
        if (access(file.c_str(), X_OK) == 0)
            return file;
    }
    return "";
}

// Leftovers of an earlier run into the same folder: callgrind numbers dumps by process id,
// which can repeat.
void remove_old_dumps(const std::string &dir)
{
    DIR *d = opendir(dir.c_str());
    if (!d)
        return;
    std::vector<std::string> old;
    while (const struct dirent *e = readdir(d))
        if (!strncmp(e->d_name, "out.", 4))
            old.push_back(dir + "/" + e->d_name);
    closedir(d);
    for (const std::string &f : old)
        unlink(f.c_str());
}

// The last lines of the child's log, for the message when it failed.
std::string log_tail(const std::string &path, size_t lines)
{
    FILE *f = fopen(path.c_str(), "r");
    if (!f)
        return "";
    std::vector<std::string> all;
    char buf[1024];
    while (fgets(buf, sizeof buf, f))
        all.push_back(buf);
    fclose(f);
    std::string out;
    for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); i++)
        out += "  | " + all[i];
    return out;
}

// Starts argv with its output into log_path; the child's pid, or -1 with *why set.
pid_t spawn(const std::vector<std::string> &args, const std::string &log_path, std::string *why)
{
    std::vector<char *> cargv;
    for (const std::string &a : args)
        cargv.push_back(const_cast<char *>(a.c_str()));
    cargv.push_back(nullptr);
    const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log < 0) {
        *why = strf("%s: %s", log_path.c_str(), strerror(errno));
        return -1;
    }
    fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        *why = strf("fork: %s", strerror(errno));
        close(log);
        return -1;
    }
    if (pid == 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        setenv("OPENBLAS_NUM_THREADS", "1", 1);
        // Valgrind's CPUID already lacks AVX-512; hiding it from posenc too says so to
        // dispatch in any valgrind, so that a dispatched case's stand-in is what dispatch
        // picks without AVX-512 (callgrind_child.h).
        const char *hidden = getenv("POSENC_DISABLE_CPU_FEATURES");
        const std::string disable = hidden && *hidden ? std::string(hidden) + ",avx512"
                                                      : std::string("avx512");
        setenv("POSENC_DISABLE_CPU_FEATURES", disable.c_str(), 1);
        // A POSENC_IMPL that forces an AVX-512 implementation forces its stand-in there (the
        // same renaming as stand_in in callgrind_child.cc), or every plan would fail on it.
        if (const char *forced = getenv("POSENC_IMPL")) {
            std::string impl = forced;
            for (size_t at; (at = impl.find("avx512")) != std::string::npos;)
                impl.replace(at, 6, "avx2");
            setenv("POSENC_IMPL", impl.c_str(), 1);
        }
        execv(cargv[0], cargv.data());
        fprintf(stderr, "exec %s: %s\n", cargv[0], strerror(errno));
        _exit(127);
    }
    close(log);
    return pid;
}

}  // namespace

std::string callgrind_unavailable()
{
    if (kAddressSanitizer)
        return "valgrind cannot run an AddressSanitizer build";
    if (on_path("valgrind").empty())
        return "valgrind is not installed (scripts/setup installs it)";
    return "";
}

bool count_with_callgrind(const std::vector<CountTarget> &targets, const std::string &run_dir,
                          int argc, char **argv, std::vector<CountResult> *results,
                          std::string *why)
{
    results->assign(targets.size(), CountResult());
    const std::string dir = run_dir + "/callgrind";
    if (!make_dirs(dir)) {
        *why = "cannot make " + dir;
        return false;
    }
    remove_old_dumps(dir);
    const std::string targets_path = dir + "/" + kCountTargets;
    FILE *f = fopen(targets_path.c_str(), "w");
    if (!f) {
        *why = strf("%s: %s", targets_path.c_str(), strerror(errno));
        return false;
    }
    for (const CountTarget &t : targets)
        fprintf(f, "%s\t%s\t%s\t%s\n", t.id.c_str(), t.group.c_str(), t.impl.c_str(),
                t.dispatched ? "dispatched" : "named");
    if (fclose(f) != 0) {
        *why = strf("%s: %s", targets_path.c_str(), strerror(errno));
        return false;
    }

    // This very program through its /proc link: the same binary even when a rebuild has
    // replaced the file since this process started (valgrind reads it from there too).
    const std::string self = strf("/proc/%ld/exe", (long)getpid());
    if (access(self.c_str(), R_OK) != 0) {
        *why = strf("%s: %s", self.c_str(), strerror(errno));
        return false;
    }
    // Instrumentation stays on from the start: --instr-atstart=no, started around each call,
    // saved only a tenth of the time and gave wrong counts (callgrind lost track of the call
    // stack it joined in the middle; some totals came out negative).
    std::vector<std::string> args = {on_path("valgrind"), "--tool=callgrind",
                                     "--collect-atstart=no",
                                     "--callgrind-out-file=" + dir + "/out.%p", self, "bench"};
    for (int i = 1; i < argc; i++) {
        // The child counts; it neither counts again nor writes the run folder's files, so
        // only the options that define and select the cases matter, and all are passed on.
        if (!strncmp(argv[i], "--instructions", 14) || !strncmp(argv[i], "--count-child", 13))
            continue;
        args.push_back(argv[i]);
    }
    args.push_back("--count-child=" + dir);
    args.push_back("--out");  // the last --out wins: no second run folder
    args.push_back(run_dir);
    const std::string log_path = dir + "/child.log";

    fprintf(stderr, "posenc bench: counting %zu kernel calls under callgrind (log: %s)\n",
            targets.size(), log_path.c_str());
    const double t0 = harness_now_s();
    const pid_t pid = spawn(args, log_path, why);
    if (pid < 0)
        return false;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            *why = strf("waitpid: %s", strerror(errno));
            return false;
        }
    fprintf(stderr, "posenc bench: callgrind counting took %.1f s\n", harness_now_s() - t0);

    std::string failure;
    if (WIFSIGNALED(status))
        failure = strf("the callgrind run was killed by signal %d (%s)", WTERMSIG(status),
                       strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0)
        failure = strf("the callgrind run exited with %d", WEXITSTATUS(status));

    // What the child said of each target, then the dumps of what it counted.
    std::map<std::string, std::pair<std::string, std::string>> said;  // id -> (word, text)
    uint64_t child_features = 0;
    bool have_features = false;
    if (FILE *r = fopen((dir + "/" + kCountResults).c_str(), "r")) {
        char buf[4096];
        while (fgets(buf, sizeof buf, r)) {
            std::string line = buf;
            if (!line.empty() && line.back() == '\n')
                line.pop_back();
            const size_t t1 = line.find('\t');
            if (t1 == std::string::npos)
                continue;
            const std::string word = line.substr(0, t1), rest = line.substr(t1 + 1);
            if (word == "features") {
                have_features = sscanf(rest.c_str(), "%" SCNx64, &child_features) == 1;
                continue;
            }
            const size_t t2 = rest.find('\t');
            said[rest.substr(0, t2)] = {word, t2 == std::string::npos ? "" : rest.substr(t2 + 1)};
        }
        fclose(r);
    }
    if (have_features) {
        const uint64_t hidden = posenc_cpu_features() & ~child_features;
        if (hidden) {
            char names[256];
            machine_feature_list(hidden, names, sizeof names);
            fprintf(stderr, "posenc bench: note: valgrind's CPU hides %s: an implementation "
                            "that needs them is counted through its avx2 instantiation where "
                            "there is one, else not counted\n", names);
        }
    }
    std::map<std::string, uint64_t> ir;
    std::string dump_why;
    if (!read_callgrind_dumps(dir, (long)pid, &ir, &dump_why) && failure.empty())
        failure = dump_why;

    size_t unaccounted = 0;
    for (size_t i = 0; i < targets.size(); i++) {
        CountResult &res = (*results)[i];
        auto s = said.find(targets[i].id);
        auto d = ir.find(targets[i].id);
        if (s != said.end() && s->second.first == "counted" && d != ir.end()) {
            res.instructions = d->second;
            res.source = "callgrind";
        } else if (s != said.end() && s->second.first == "stand-in" && d != ir.end()) {
            res.instructions = d->second;
            res.source = "callgrind";
            res.impl = s->second.second;
            res.note = strf("counted %s under callgrind, standing in for %s (same kernel "
                            "template; valgrind cannot run AVX-512)",
                            res.impl.c_str(), targets[i].impl.c_str());
        } else if (s != said.end() && s->second.first == "note") {
            res.note = s->second.second;
        } else if (s != said.end() && s->second.first == "failed") {
            res.note = "the callgrind run failed: " + s->second.second;
            fprintf(stderr, "posenc bench: callgrind: %s: %s\n", targets[i].id.c_str(),
                    s->second.second.c_str());
        } else {
            res.note = "the callgrind run did not count it";
            unaccounted++;
        }
    }
    if (failure.empty() && unaccounted)
        failure = strf("the callgrind run left %zu of %zu kernel calls without a count",
                       unaccounted, targets.size());
    if (!failure.empty()) {
        *why = failure + "; its output: " + log_path + "\n" + log_tail(log_path, 15);
        return false;
    }
    return true;
}

}  // namespace posenc_bench
