/* test_instructions.c - `posenc bench --instructions` on a few small cases of scalar and of
 * what dispatch picks, twice: every timed case carries a positive instruction count with its
 * source (perf or callgrind) and the implementation it counted (its own, or on an AVX-512
 * machine under valgrind the avx2 instantiation of the same kernel standing in for an avx512
 * one, with a note saying so), run.json still validates, and the second run counts exactly what
 * the first did. Where nothing can count (no hardware counter and no valgrind, an
 * AddressSanitizer build, an emulated run) the test is skipped (exit 77) saying why, as the
 * bench noted it in every case; a case left without a count for any other reason fails.
 *
 *   test_instructions POSENC WORK_DIR SCHEMA */
#define _POSIX_C_SOURCE 200809L /* fork, execv, waitpid */

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "json_check.h"
#include "posenc.h"

#define MAX_CASES 64

typedef struct counted {
    char id[192];
    char source[16];
    char impl[48];     /* what was counted */
    int64_t instructions;
} counted;

/* The notes of `posenc bench` for a machine or build where nothing can count: a skip. Any other
 * reason for a missing count is a failure. */
static int cannot_count_here(const char *note)
{
    static const char *const reasons[] = {"valgrind is not installed",
                                          "valgrind cannot run an AddressSanitizer build",
                                          "not counted in an emulated run"};
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (!strncmp(note, reasons[i], strlen(reasons[i])))
            return 1;
    return 0;
}

/* impl with "avx512" replaced by "avx2": the stand-in an avx512 implementation may have. */
static void avx2_of(const char *impl, char *out, size_t cap)
{
    const char *at = strstr(impl, "avx512");
    if (!at)
        snprintf(out, cap, "(none)");
    else
        snprintf(out, cap, "%.*savx2%s", (int)(at - impl), impl, at + 6);
}

/* Runs `posenc bench` into dir/instructions-run-<n>, its output in dir/instructions-run-<n>.log;
 * its exit code, or -1 when it could not run. */
static int run_bench(const char *posenc, const char *dir, int n, char *out, size_t out_size)
{
    char log[4096];
    snprintf(out, out_size, "%s/instructions-run-%d", dir, n);
    snprintf(log, sizeof log, "%s/instructions-run-%d.log", dir, n);
    /* Small cases of each encoding, scalar (it runs everywhere, valgrind included) and the
     * dispatched implementation (counted through a stand-in where valgrind cannot run it); one
     * short repetition, since only the counts matter here. */
    char *argv[] = {(char *)posenc, "bench", "--instructions", "--quick", "--no-accuracy",
                    "--shape", "llama-3-8b/decode@4095|bert-base/seq=512|transformer-base/seq=512",
                    "--impl", "scalar|dispatch", "--benchmark_repetitions=1",
                    "--benchmark_min_time=0.001", "--out", out, NULL};
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execv(posenc, argv);
        fprintf(stderr, "exec %s failed\n", posenc);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    if (WEXITSTATUS(status) != 0) {
        fprintf(stderr, "posenc bench exited with %d; its output: %s\n", WEXITSTATUS(status), log);
        FILE *f = fopen(log, "r");
        char line[1024];
        while (f && fgets(line, sizeof line, f))
            fprintf(stderr, "  | %s", line);
        if (f)
            fclose(f);
    }
    return WEXITSTATUS(status);
}

static const char *string_of(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* The timed cases of run_dir/run.json with their counts; *n_counted of them counted. The note
 * of the first case that was not counted goes into note. -1 when run.json is unreadable. */
static int n_stand_ins; /* counts of an avx2 stand-in for an avx512 implementation */

static int read_counts(const char *run_dir, const char *schema, counted *out, int *n_counted,
                       char *note, size_t note_size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/run.json", run_dir);
    tests_schema_valid(schema, path);
    json_t *run = tests_json_load(path);
    if (!run)
        return -1;
    const json_t *cases = json_object_get(run, "cases");
    int n = 0;
    *n_counted = 0;
    note[0] = '\0';
    for (size_t i = 0; cases && i < json_array_size(cases) && n < MAX_CASES; i++) {
        const json_t *c = json_array_get(cases, i);
        if (strcmp(string_of(c, "status"), "ok"))
            continue;
        const json_t *speed = json_object_get(c, "speed");
        const json_t *per_call = json_object_get(speed, "instructions_per_call");
        const json_t *per_elem = json_object_get(speed, "instructions_per_element");
        const json_t *elements = json_object_get(json_object_get(c, "shape"), "elements");
        counted *k = &out[n++];
        snprintf(k->id, sizeof k->id, "%s", string_of(c, "id"));
        snprintf(k->source, sizeof k->source, "%s", string_of(speed, "instructions_source"));
        snprintf(k->impl, sizeof k->impl, "%s", string_of(speed, "instructions_impl"));
        k->instructions = -1;
        if (!k->source[0]) {
            const char *why = string_of(speed, "instructions_note");
            if (!note[0])
                snprintf(note, note_size, "%s", why);
            /* a case of a machine where counting works must be counted */
            CHECK(cannot_count_here(why), "%s: not counted: %s", k->id, why[0] ? why : "no note");
            continue;
        }
        (*n_counted)++;
        CHECK(!strcmp(k->source, "perf") || !strcmp(k->source, "callgrind"),
              "%s: instructions_source \"%s\"", k->id, k->source);
        CHECK(per_call && json_is_number(per_call) && json_is_integer(per_call) &&
                  json_integer_value(per_call) > 0,
              "%s: instructions_per_call is not a positive integer", k->id);
        if (per_call && json_is_integer(per_call))
            k->instructions = json_integer_value(per_call);
        double pe = NAN, el = NAN;
        json_doc_number(per_elem, &pe);
        json_doc_number(elements, &el);
        CHECK(pe > 0 && fabs(pe * el - (double)k->instructions) <= 1e-6 * (double)k->instructions,
              "%s: instructions_per_element %g is not %lld / %g", k->id, pe,
              (long long)k->instructions, el);
        /* what was counted: the case's own implementation, or its avx2 stand-in, said so */
        const char *impl = string_of(c, "implementation");
        char standin[64];
        avx2_of(impl, standin, sizeof standin);
        const char *cnote = string_of(speed, "instructions_note");
        if (!strcmp(k->impl, impl)) {
            CHECK(json_object_get(speed, "instructions_note") &&
                      json_is_null(json_object_get(speed, "instructions_note")),
                  "%s: a count of its own kernel has an instructions_note", k->id);
        } else {
            CHECK(!strcmp(k->impl, standin) && !strcmp(k->source, "callgrind") &&
                      strstr(cnote, "standing in for") && strstr(cnote, impl),
                  "%s: %s counted for %s (note '%s')", k->id, k->impl, impl, cnote);
            n_stand_ins++;
        }
    }
    json_decref(run);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: test_instructions POSENC WORK_DIR SCHEMA\n");
        return 2;
    }
    const char *posenc = argv[1], *work = argv[2], *schema = argv[3];
    counted first[MAX_CASES], second[MAX_CASES];
    int n1 = 0, n2 = 0, c1 = 0, c2 = 0;
    char dir1[4096], dir2[4096], note[128];

    int rc = run_bench(posenc, work, 1, dir1, sizeof dir1);
    CHECK(rc == 0, "the first posenc bench --instructions exited with %d", rc);
    if (rc != 0)
        return tests_exit_code("test_instructions");
    n1 = read_counts(dir1, schema, first, &c1, note, sizeof note);
    CHECK(n1 > 0, "%s/run.json: no timed case", dir1);
    if (n1 > 0 && c1 == 0 && cannot_count_here(note)) {
        /* Nothing can count here; the bench said why in every case. */
        char why[192];
        snprintf(why, sizeof why, "no instruction counts on this machine or build: %s", note);
        return tests_skip("test_instructions", why);
    }
    CHECK(c1 == n1, "%d of %d timed cases counted; first note: %s", c1, n1, note);

    /* The second run forces, by POSENC_IMPL, what dispatch picked: the same counts, also where
     * that is an AVX-512 implementation the counting child must force through its stand-in. */
    char forced[256] = "";
    const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY};
    for (size_t k = 0; k < 3; k++) {
        const posenc_impl *best = posenc_impl_best(kinds[k]);
        CHECK(best != NULL, "no implementation of kind %d", (int)kinds[k]);
        if (best)
            snprintf(forced + strlen(forced), sizeof forced - strlen(forced), "%s%s",
                     forced[0] ? "," : "", best->name);
    }
    setenv("POSENC_IMPL", forced, 1);
    rc = run_bench(posenc, work, 2, dir2, sizeof dir2);
    unsetenv("POSENC_IMPL");
    CHECK(rc == 0, "the second posenc bench --instructions exited with %d", rc);
    if (rc != 0)
        return tests_exit_code("test_instructions");
    n2 = read_counts(dir2, schema, second, &c2, note, sizeof note);
    CHECK(n2 == n1 && c2 == c1, "the second run has %d cases (%d counted), the first %d (%d)", n2,
          c2, n1, c1);
    for (int i = 0; i < n1 && i < n2; i++) {
        CHECK(!strcmp(first[i].id, second[i].id), "case %d: %s, then %s", i, first[i].id,
              second[i].id);
        CHECK(!strcmp(first[i].source, second[i].source), "%s: counted by %s, then by %s",
              first[i].id, first[i].source, second[i].source);
        CHECK(!strcmp(first[i].impl, second[i].impl), "%s: counted %s, then %s", first[i].id,
              first[i].impl, second[i].impl);
        CHECK(first[i].instructions == second[i].instructions,
              "%s: %lld instructions, then %lld: not deterministic", first[i].id,
              (long long)first[i].instructions, (long long)second[i].instructions);
        printf("%-60s %12lld %s %s\n", first[i].id, (long long)first[i].instructions,
               first[i].source, first[i].impl);
    }
    printf("test_instructions: %d counts through an avx2 stand-in (both runs)\n", n_stand_ins);
    return tests_exit_code("test_instructions");
}
