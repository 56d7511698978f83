/* run_load.c - a run folder's run.json, read by run_read, for the comparison (run_load.h): the
 * schema version compare needs, the features as a list, the case index and its duplicate
 * check. */
#define _POSIX_C_SOURCE 200809L /* stat */

#include "run_load.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness_util.h"
#include "median.h"

/* Where the loader is, for the error line: the file and the JSON pointer of the value. */
typedef struct loader {
    const char *label;
    const char *path;
    int failed;
} loader;

static void fail(loader *L, const char *pointer, const char *fmt, ...)
{
    if (L->failed++) /* the first problem is the one worth reading */
        return;
    fprintf(stderr, "posenc compare: %s %s: %s%s", L->label, L->path, pointer,
            *pointer ? ": " : "");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

double cmp_median_ns(const run_case *c)
{
    return harness_median(c->times_ns, cmp_n_times(c));
}

static const cmp_run *sort_run; /* qsort has no context argument in C11 */

static int by_case_id(const void *a, const void *b)
{
    const run_case *cases = sort_run->read.run.cases;
    return strcmp(cases[*(const size_t *)a].id, cases[*(const size_t *)b].id);
}

static void index_cases(loader *L, cmp_run *run)
{
    const run_record *r = &run->read.run;
    run->by_id = harness_xmalloc((r->n_cases ? r->n_cases : 1) * sizeof *run->by_id);
    for (size_t i = 0; i < r->n_cases; i++)
        run->by_id[i] = i;
    sort_run = run;
    qsort(run->by_id, r->n_cases, sizeof *run->by_id, by_case_id);
    for (size_t i = 1; i < r->n_cases; i++) {
        const run_case *c = &r->cases[run->by_id[i]];
        if (!strcmp(c->id, r->cases[run->by_id[i - 1]].id)) {
            char ptr[48];
            snprintf(ptr, sizeof ptr, "/cases/%zu", run->by_id[i]);
            fail(L, ptr, "case id \"%s\" appears twice", c->id);
            return;
        }
    }
}

/* machine.cpu_features, space-separated in the run model, as a list of words. */
static void split_features(cmp_run *run)
{
    const char *words = run->read.run.cpu_features;
    size_t n = strlen(words);
    run->feature_words = harness_xmalloc(n + 1);
    memcpy(run->feature_words, words, n + 1);
    run->features = harness_xmalloc((n / 2 + 1) * sizeof *run->features);
    for (char *p = run->feature_words; *p;) {
        run->features[run->n_features++] = p;
        p += strcspn(p, " ");
        if (*p)
            *p++ = '\0';
    }
}

/* What compare adds to the record run_read gave: the version check, the features, the index. */
static void check_run(loader *L, cmp_run *run)
{
    /* run_read takes versions 1 and 2 too; the comparison needs version 2's "dispatched" and
       counts and version 3's machine kind, without which two "AMD EPYC" look alike. Versions 4
       to 6 only added fields and values (the variants; the bf16 and fp16 angle modes; the
       cases' element types, float32 before), so a version 3 baseline still compares. */
    if (run->read.schema_version < RUN_LOAD_MIN_SCHEMA_VERSION) {
        fail(L, "/schema_version",
             "schema version %d, but this posenc compares versions %d to %d only "
             "(results/README.md says what each version changed)",
             run->read.schema_version, RUN_LOAD_MIN_SCHEMA_VERSION, RUN_SCHEMA_VERSION);
        return;
    }
    split_features(run);
    index_cases(L, run);
}

int run_load(const char *arg, const char *label, cmp_run *run)
{
    memset(run, 0, sizeof *run);
    char why[768];
    if (run_read(arg, &run->read, why, sizeof why)) {
        fprintf(stderr, "posenc compare: %s %s\n", label, why); /* why names the file first */
        run_free(run);
        return -1;
    }
    run->path = run->read.file;
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(arg);
        run->folder = harness_xmalloc(n + 1);
        memcpy(run->folder, arg, n + 1);
    }
    loader L = {label, run->path, 0};
    check_run(&L, run);
    if (L.failed) {
        run_free(run);
        return -1;
    }
    return 0;
}

void run_free(cmp_run *run)
{
    free(run->features);
    free(run->feature_words);
    free(run->by_id);
    free(run->folder);
    run_read_free(&run->read);
    memset(run, 0, sizeof *run);
}

const run_case *run_find_case(const cmp_run *run, const char *id, run_dtype dtype, int threads)
{
    const run_case *c = run_find_id(run, id);
    return c && c->dtype == dtype && run_case_threads(c) == threads ? c : NULL;
}

const run_case *run_find_id(const cmp_run *run, const char *id)
{
    size_t lo = 0, hi = run->read.run.n_cases;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const run_case *c = &run->read.run.cases[run->by_id[mid]];
        int d = strcmp(id, c->id);
        if (!d)
            return c;
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
