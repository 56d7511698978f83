/* test_slow_kernel.c - the instruction metric catches a real slowdown: a deliberately slower
 * rotary kernel, defined here and nowhere else (the scalar kernel, then its first token once
 * more: 1/64 = 1.6% more work), is counted with valgrind's callgrind next to the scalar kernel,
 * both counts go into run records, and `posenc compare --metric instructions` (1% threshold)
 * must say regression (exit 3); the scalar kernel against itself must pass (exit 0).
 *
 * The program runs itself under valgrind (`--child DIR`), where callgrind client requests
 * around each call count the kernel alone, as `posenc bench --instructions` does. Skipped (exit
 * 77, which ctest reports as a skip), saying why, when valgrind is missing or the build has
 * AddressSanitizer (valgrind cannot run it); when valgrind runs, a kernel left uncounted or a
 * comparison that judged nothing fails. */
#define _DEFAULT_SOURCE /* mkdtemp, readlink */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <valgrind/callgrind.h>

#include "check.h"
#include "compare.h"
#include "json_check.h"
#include "posenc.h"
#include "run_record.h"
#include "write_json.h"

#if defined(__SANITIZE_ADDRESS__)
#define BUILT_WITH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BUILT_WITH_ASAN 1
#endif
#endif

enum { TOKENS = 64, HEADS = 8, HEAD_DIM = 128 };

static const posenc_impl *scalar;

/* The slower kernel: all the scalar work, then the first token rotated once more. */
static int slower_apply(const posenc_plan *plan, const int64_t *pos, size_t n_tokens, float *x,
                        const posenc_layout *l)
{
    int rc = scalar->apply(plan, pos, n_tokens, x, l);
    return rc ? rc : scalar->apply(plan, pos, 1, x, l);
}

/* ---- the child, under callgrind ------------------------------------------------------------ */

/* One call of impl's apply counted alone, dumped under `name`. */
static int count_one(const posenc_impl *impl, const char *name)
{
    posenc_params p = posenc_params_default(POSENC_ROTARY, HEAD_DIM);
    posenc_plan *plan = NULL;
    int rc = posenc_plan_create(impl, &p, &plan);
    if (rc) {
        fprintf(stderr, "%s: plan: %s\n", name, posenc_strerror(rc));
        return 1;
    }
    static float x[TOKENS * HEADS * HEAD_DIM];
    int64_t pos[TOKENS];
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        x[i] = (float)(i % 97) / 97.0f - 0.5f;
    for (int t = 0; t < TOKENS; t++)
        pos[t] = 1000 + t;
    const posenc_layout layout = {HEADS, 0, 0};
    rc = posenc_apply(plan, pos, TOKENS, x, &layout); /* warm-up, not counted */
    CALLGRIND_TOGGLE_COLLECT;
    rc |= posenc_apply(plan, pos, TOKENS, x, &layout);
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT(name);
    posenc_plan_destroy(plan);
    return rc ? 1 : 0;
}

static int child(void)
{
    if (!RUNNING_ON_VALGRIND) {
        fprintf(stderr, "test_slow_kernel --child runs under valgrind only\n");
        return 1;
    }
    posenc_impl slower = *scalar;
    slower.name = "rotary/slower-test";
    slower.apply = slower_apply;
    return count_one(scalar, "scalar") | count_one(&slower, "slower");
}

/* ---- the parent ------------------------------------------------------------------------------ */

/* Ir of the dump of process pid whose trigger is `name`, from dir/out.<pid>.<n>; 0 if none. */
static uint64_t dumped_ir(const char *dir, long pid, const char *name)
{
    char path[4200], line[4200], want[256];
    snprintf(want, sizeof want, "desc: Trigger: Client Request: %s\n", name);
    for (int n = 1; n < 16; n++) {
        snprintf(path, sizeof path, "%s/out.%ld.%d", dir, pid, n);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        int mine = 0;
        uint64_t ir = 0;
        while (fgets(line, sizeof line, f)) {
            if (!strcmp(line, want))
                mine = 1;
            else if (!strncmp(line, "summary: ", 9))
                ir = strtoull(line + 9, NULL, 10);
        }
        fclose(f);
        if (mine)
            return ir;
    }
    return 0;
}

/* A run record of one dispatched rotary case counted at `instructions` per call, written as
 * dir/run.json. */
static int write_run(const char *dir, const char *impl, uint64_t instructions)
{
    static run_record r;
    static run_case c;
    memset(&r, 0, sizeof r);
    memset(&c, 0, sizeof c);
    snprintf(r.id, sizeof r.id, "%s", strrchr(dir, '/') + 1);
    snprintf(r.host, sizeof r.host, "test host");
    snprintf(r.cpu_model, sizeof r.cpu_model, "test CPU");
    snprintf(r.arch, sizeof r.arch, "x86_64");
    snprintf(r.cpu_features, sizeof r.cpu_features, "avx2");
    snprintf(r.compiler, sizeof r.compiler, "test compiler");
    snprintf(r.suite, sizeof r.suite, "models");
    r.angle_mode = RUN_ANGLE_EXACT;
    r.threads = 1;
    r.cores = 1;
    r.mhz = r.load_avg[0] = r.load_avg[1] = r.load_avg[2] = NAN;
    r.git_dirty = -1;
    snprintf(c.id, sizeof c.id, "rotary_apply/test/T=%d/impl=dispatch", TOKENS);
    snprintf(c.group, sizeof c.group, "rotary_apply/test/T=%d", TOKENS);
    c.encoding = RUN_ENCODING_ROTARY;
    c.op = RUN_OP_APPLY;
    snprintf(c.shape, sizeof c.shape, "T=%d", TOKENS);
    snprintf(c.implementation, sizeof c.implementation, "%s", impl);
    c.status = RUN_STATUS_OK;
    snprintf(c.pairing, sizeof c.pairing, "half");
    c.dispatched = 1;
    c.tokens = TOKENS;
    c.heads = HEADS;
    c.head_dim = c.rotary_dim = HEAD_DIM;
    c.last_position = 1000 + TOKENS - 1;
    c.first_position = 1000;
    c.base = 10000;
    c.elements = (uint64_t)TOKENS * HEADS * HEAD_DIM;
    c.bytes = 2 * c.elements * sizeof(float);
    c.repetitions = 1;
    c.times_ns[0] = c.median_ns = c.min_ns = c.mean_ns = 1000;
    c.stddev_ns = 0;
    c.ns_per_element = c.elements_per_second = c.bytes_per_second = 1;
    c.mempass_median_ns = c.ratio_to_mempass = c.speedup_over_scalar = NAN;
    c.sgemm_median_ns = c.score_median_ns = c.encoding_fraction = NAN;
    c.instructions = instructions;
    c.instructions_per_element = (double)instructions / (double)c.elements;
    snprintf(c.instructions_source, sizeof c.instructions_source, "callgrind");
    r.n_cases = 1;
    r.cases = &c;
    char path[4200];
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/run.json", dir);
    return report_write_json(&r, path);
}

/* counts.unchanged of out/compare.json, or -1. */
static int unchanged_cases(const char *out)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/compare.json", out);
    char why[512];
    json_t *v = json_doc_load(path, why, sizeof why);
    double n = -1;
    if (v)
        json_doc_number(json_doc_pointer(v, "/counts/unchanged"), &n);
    json_decref(v);
    return (int)n;
}

static int compare(const char *base, const char *new_, const char *out)
{
    char *argv[] = {"compare", (char *)base, (char *)new_, "--metric", "instructions",
                    "--out", (char *)out, NULL};
    return compare_main(7, argv);
}

int main(int argc, char **argv)
{
    scalar = posenc_impl_find("rotary/scalar");
    if (!scalar) {
        fprintf(stderr, "no rotary/scalar\n");
        return 1;
    }
    if (argc == 3 && !strcmp(argv[1], "--child"))
        return child();
#ifdef BUILT_WITH_ASAN
    return tests_skip("test_slow_kernel", "valgrind cannot run an AddressSanitizer build");
#endif
    if (system("valgrind --version >/dev/null 2>&1") != 0)
        return tests_skip("test_slow_kernel", "valgrind not found (scripts/setup installs it)");
    char dir[] = "/tmp/posenc_slow_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        perror("readlink /proc/self/exe");
        return 1;
    }
    self[n] = '\0';
    char out_opt[4200];
    snprintf(out_opt, sizeof out_opt, "--callgrind-out-file=%s/out.%%p", dir);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("valgrind", "valgrind", "--tool=callgrind", "--collect-atstart=no", out_opt,
               "--log-file=/dev/null", self, "--child", dir, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the counting run failed (status %d)",
          status);
    /* valgrind keeps the pid it was started with: the child's pid is the dumps' */
    uint64_t ir_scalar = dumped_ir(dir, (long)pid, "scalar");
    uint64_t ir_slower = dumped_ir(dir, (long)pid, "slower");
    CHECK(ir_scalar > 0 && ir_slower > 0, "no counts (scalar %llu, slower %llu) in %s",
          (unsigned long long)ir_scalar, (unsigned long long)ir_slower, dir);
    printf("instructions per call: scalar %llu, slower %llu (+%.2f%%)\n",
           (unsigned long long)ir_scalar, (unsigned long long)ir_slower,
           100.0 * ((double)ir_slower / (double)ir_scalar - 1));
    CHECK(ir_slower > ir_scalar, "the slower kernel is not counted as slower");

    char base[4200], same[4200], slow[4200], out[4200];
    snprintf(base, sizeof base, "%s/base", dir);
    snprintf(same, sizeof same, "%s/same", dir);
    snprintf(slow, sizeof slow, "%s/slow", dir);
    CHECK(write_run(base, "rotary/scalar", ir_scalar) == 0, "base run.json");
    CHECK(write_run(same, "rotary/scalar", ir_scalar) == 0, "same run.json");
    CHECK(write_run(slow, "rotary/slower-test", ir_slower) == 0, "slow run.json");
    snprintf(out, sizeof out, "%s/cmp-same", dir);
    CHECK(compare(base, same, out) == 0, "the same kernel against itself does not pass");
    /* and it passed by judging the case, not by finding nothing to judge */
    CHECK(unchanged_cases(out) == 1, "the same kernel against itself: %d cases unchanged, "
          "expected 1", unchanged_cases(out));
    snprintf(out, sizeof out, "%s/cmp-slow", dir);
    CHECK(compare(base, slow, out) == 3, "the slower kernel is not a regression (exit 3)");
    int failed = tests_exit_code("test_slow_kernel");
    if (!failed) { /* kept for a look when something failed */
        char rm[4300];
        snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
        if (system(rm) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
    return failed;
}
