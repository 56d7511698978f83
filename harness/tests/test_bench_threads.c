/* test_bench_threads.c - the records of a real `posenc bench --threads 1,2` run (ctest runs a
 * quick one first, the bench_threads_run fixture): run.json validates against the schema; every
 * case split over two threads ran beside its one-thread case and its memory pass on two
 * threads, with "/threads=2" in its group, id and pass; the decode of one token is skipped on two
 * threads with the reason; results.csv says each case's thread count; summary.md and report.html
 * have the scaling section with the cases that ran, and their other views only the one-thread
 * cases.
 *
 *   test_bench_threads RUN_DIR SCHEMA */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "run_record.h"
#include "json_check.h"

static char path_buf[4096];
static const char *in_run(const char *dir, const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_bench_threads RUN_DIR SCHEMA\n");
        return 2;
    }
    const char *dir = argv[1];
    tests_schema_valid(argv[2], in_run(dir, "run.json"));

    run_read_result rr;
    char why[512];
    if (run_read(dir, &rr, why, sizeof why) != 0) {
        CHECK(0, "%s", why);
        return tests_exit_code("test_bench_threads");
    }
    const run_record *r = &rr.run;
    size_t split = 0, unsplit = 0, one = 0;
    for (size_t i = 0; i < r->n_cases; i++) {
        const run_case *c = &r->cases[i];
        if (c->threads == 1) {
            one++;
            CHECK(!strstr(c->id, "threads"), "%s: a one-thread case named with threads", c->id);
            continue;
        }
        CHECK(c->threads == 2, "%s: on %d threads", c->id, c->threads);
        CHECK(ends_with(c->group, "/threads=2") && strstr(c->id, "/threads=2/impl="),
              "%s: group %s does not end in /threads=2", c->id, c->group);
        if (c->status == RUN_STATUS_SKIPPED && strstr(c->group, "decode@")) {
            unsplit++;
            CHECK(strstr(c->reason, "1 token, fewer than 2 threads") != NULL,
                  "%s: the reason is '%s'", c->id, c->reason);
            continue;
        }
        CHECK(c->status == RUN_STATUS_OK, "%s: %s (%s)", c->id, run_status_name(c->status),
              c->reason);
        if (c->status != RUN_STATUS_OK)
            continue;
        split++;
        const run_case *o = run_case_one_thread(r, c);
        CHECK(o && o->status == RUN_STATUS_OK, "%s: no one-thread case", c->id);
        CHECK(c->median_ns > 0 && c->mempass_median_ns > 0 &&
                  fabs(c->ratio_to_mempass - c->median_ns / c->mempass_median_ns) <
                      1e-9 * c->ratio_to_mempass,
              "%s: median %g, memory pass %g, ratio %g", c->id, c->median_ns,
              c->mempass_median_ns, c->ratio_to_mempass);
        CHECK(o && c->elements == o->elements && c->bytes == o->bytes,
              "%s: not the bytes of its one-thread case", c->id);
        /* on two threads the median is the wall-clock time; the one-thread case has both */
        CHECK(c->wall_median_ns == c->median_ns && c->mempass_wall_median_ns > 0 && o &&
                  o->wall_median_ns > 0 && o->mempass_wall_median_ns > 0,
              "%s: wall-clock medians %g (median %g), pass %g; one thread %g, pass %g", c->id,
              c->wall_median_ns, c->median_ns, c->mempass_wall_median_ns,
              o ? o->wall_median_ns : NAN, o ? o->mempass_wall_median_ns : NAN);
    }
    CHECK(split >= 4 && unsplit >= 1 && one > split, "%zu split, %zu not split, %zu on one thread",
          split, unsplit, one);

    FILE *f = fopen(in_run(dir, "results.csv"), "rb");
    char line[8192];
    int header_ok = f && fgets(line, sizeof line, f) && strstr(line, ",dtype,threads\r\n");
    CHECK(header_ok, "results.csv does not end its header in dtype,threads");
    size_t rows2 = 0;
    while (f && fgets(line, sizeof line, f))
        rows2 += ends_with(line, ",2\r\n");
    if (f)
        fclose(f);
    CHECK(rows2 == split + unsplit, "results.csv: %zu rows on 2 threads, run.json %zu", rows2,
          split + unsplit);

    char *md = tests_slurp(in_run(dir, "summary.md"), NULL);
    const char *sec = md ? strstr(md, "### Threads: scaling") : NULL;
    CHECK(sec && strstr(sec, "/threads=2 |") && strstr(sec, "Not split:") &&
              strstr(sec, "decode@4095/threads=2`: 1 token"),
          "summary.md: no scaling table with the split and the unsplit cases");
    const char *first = md ? strstr(md, "/threads=2") : NULL;
    CHECK(first && sec && first > sec, "summary.md: a case on 2 threads before the scaling table");
    free(md);
    char *html = tests_slurp(in_run(dir, "report.html"), NULL);
    const char *hs = html ? strstr(html, "<section id=\"scaling\">") : NULL;
    const char *he = hs ? strstr(hs, "</section>") : NULL;
    const char *svg = hs ? strstr(hs, "<svg") : NULL;
    CHECK(hs && he && svg && svg < he && strstr(hs, "2 threads against 1"),
          "report.html: no scaling chart");
    free(html);
    run_read_free(&rr);
    return tests_exit_code("test_bench_threads");
}
