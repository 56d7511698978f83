/* run_load.c - reads a run folder's run.json into the comparison's model (run_load.h), checking
 * the schema name and version and the type of every field it takes. */
#define _POSIX_C_SOURCE 200809L /* stat */

#include "run_load.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness_util.h"
#include "run_model.h"

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

static const jread_value *member(loader *L, const jread_value *obj, const char *ptr,
                                 const char *key)
{
    const jread_value *v = jread_get(obj, key);
    if (!v)
        fail(L, ptr, "no member \"%s\"", key);
    return v;
}

static void wrong_type(loader *L, const char *ptr, const char *key, const char *want,
                       const jread_value *v)
{
    fail(L, ptr, "\"%s\" should be %s, found %s", key, want, jread_type_name(v->type));
}

static const char *get_string(loader *L, const jread_value *obj, const char *ptr, const char *key)
{
    const jread_value *v = member(L, obj, ptr, key);
    if (v && v->type != JREAD_STRING) {
        wrong_type(L, ptr, key, "a string", v);
        return NULL;
    }
    return v ? v->string : NULL;
}

/* A string member that may be null: NULL then. */
static const char *get_string_or_null(loader *L, const jread_value *obj, const char *ptr,
                                      const char *key)
{
    const jread_value *v = member(L, obj, ptr, key);
    if (!v || v->type == JREAD_NULL)
        return NULL;
    if (v->type != JREAD_STRING) {
        wrong_type(L, ptr, key, "a string or null", v);
        return NULL;
    }
    return v->string;
}

static int get_bool(loader *L, const jread_value *obj, const char *ptr, const char *key)
{
    const jread_value *v = member(L, obj, ptr, key);
    if (v && v->type != JREAD_BOOL) {
        wrong_type(L, ptr, key, "a boolean", v);
        return 0;
    }
    return v ? v->boolean : 0;
}

/* 1 true, 0 false, -1 null */
static int get_tristate(loader *L, const jread_value *obj, const char *ptr, const char *key)
{
    const jread_value *v = member(L, obj, ptr, key);
    if (!v || v->type == JREAD_NULL)
        return -1;
    if (v->type != JREAD_BOOL) {
        wrong_type(L, ptr, key, "a boolean or null", v);
        return -1;
    }
    return v->boolean;
}

/* NaN for null */
static double get_number(loader *L, const jread_value *obj, const char *ptr, const char *key)
{
    const jread_value *v = member(L, obj, ptr, key);
    if (!v || v->type == JREAD_NULL)
        return NAN;
    if (v->type != JREAD_NUMBER) {
        wrong_type(L, ptr, key, "a number or null", v);
        return NAN;
    }
    return v->number;
}

static const jread_value *get_container(loader *L, const jread_value *obj, const char *ptr,
                                        const char *key, jread_type type, int nullable)
{
    const jread_value *v = member(L, obj, ptr, key);
    if (!v || (nullable && v->type == JREAD_NULL))
        return NULL;
    if (v->type != type) {
        wrong_type(L, ptr, key,
                   type == JREAD_ARRAY ? (nullable ? "an array or null" : "an array")
                                       : (nullable ? "an object or null" : "an object"),
                   v);
        return NULL;
    }
    return v;
}

static void load_accuracy(loader *L, const jread_value *obj, const char *ptr, cmp_accuracy *a)
{
    a->implementation = get_string(L, obj, ptr, "implementation");
    a->angle_mode = get_string(L, obj, ptr, "angle_mode");
    a->bound_u = get_number(L, obj, ptr, "bound_u");
    a->max_err_u = get_number(L, obj, ptr, "max_err_u");
    a->apply_bound_u = get_number(L, obj, ptr, "apply_bound_u");
    a->apply_max_err_u = get_number(L, obj, ptr, "apply_max_err_u");
    a->within_bound = get_tristate(L, obj, ptr, "within_bound");
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, w = *(const double *)b;
    return (u > w) - (u < w);
}

double run_median(const double *v, size_t n)
{
    if (!n)
        return NAN;
    double *s = harness_xmalloc(n * sizeof *s);
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}

static void load_speed(loader *L, const jread_value *obj, const char *ptr, cmp_case *c)
{
    char sp[64];
    snprintf(sp, sizeof sp, "%s/speed", ptr);
    const jread_value *speed = get_container(L, obj, ptr, "speed", JREAD_OBJECT, 0);
    c->median_ns = c->mempass_median_ns = c->instructions_per_element = NAN;
    c->instructions_source = c->instructions_note = NULL;
    if (!speed || !c->ok)
        return; /* a case that did not run has nulls there: nothing to read */
    const jread_value *times = get_container(L, speed, sp, "times_ns", JREAD_ARRAY, 0);
    if (times) {
        c->n_times = times->n;
        c->times_ns = harness_xmalloc(times->n * sizeof *c->times_ns);
        for (size_t i = 0; i < times->n; i++) {
            const jread_value *t = &times->items[i];
            if (t->type != JREAD_NUMBER || !isfinite(t->number) || t->number < 0) {
                fail(L, sp, "times_ns[%zu] should be a number >= 0, found %s", i,
                     t->type == JREAD_NUMBER ? "a negative number" : jread_type_name(t->type));
                return;
            }
            c->times_ns[i] = t->number;
        }
        c->median_ns = run_median(c->times_ns, c->n_times);
    }
    c->mempass_median_ns = get_number(L, speed, sp, "mempass_median_ns");
    c->instructions_per_element = get_number(L, speed, sp, "instructions_per_element");
    c->instructions_source = get_string_or_null(L, speed, sp, "instructions_source");
    c->instructions_note = get_string_or_null(L, speed, sp, "instructions_note");
}

static void load_case(loader *L, const jread_value *obj, size_t i, cmp_case *c)
{
    char ptr[48];
    snprintf(ptr, sizeof ptr, "/cases/%zu", i);
    if (obj->type != JREAD_OBJECT) {
        fail(L, ptr, "a case should be an object, found %s", jread_type_name(obj->type));
        return;
    }
    c->id = get_string(L, obj, ptr, "id");
    c->group = get_string(L, obj, ptr, "group");
    c->implementation = get_string(L, obj, ptr, "implementation");
    c->status = get_string(L, obj, ptr, "status");
    c->dispatched = get_bool(L, obj, ptr, "dispatched");
    c->ok = c->status && !strcmp(c->status, "ok");
    load_speed(L, obj, ptr, c);
    const jread_value *acc = get_container(L, obj, ptr, "accuracy", JREAD_OBJECT, 1);
    if (acc) {
        char ap[64];
        snprintf(ap, sizeof ap, "%s/accuracy", ptr);
        c->has_accuracy = 1;
        load_accuracy(L, acc, ap, &c->accuracy);
    }
}

static const cmp_run *sort_run; /* qsort has no context argument in C11 */

static int by_case_id(const void *a, const void *b)
{
    return strcmp(sort_run->cases[*(const size_t *)a].id, sort_run->cases[*(const size_t *)b].id);
}

static void index_cases(loader *L, cmp_run *run)
{
    run->by_id = harness_xmalloc((run->n_cases ? run->n_cases : 1) * sizeof *run->by_id);
    for (size_t i = 0; i < run->n_cases; i++)
        run->by_id[i] = i;
    sort_run = run;
    qsort(run->by_id, run->n_cases, sizeof *run->by_id, by_case_id);
    for (size_t i = 1; i < run->n_cases; i++) {
        const cmp_case *c = &run->cases[run->by_id[i]];
        if (!strcmp(c->id, run->cases[run->by_id[i - 1]].id)) {
            char ptr[48];
            snprintf(ptr, sizeof ptr, "/cases/%zu", run->by_id[i]);
            fail(L, ptr, "case id \"%s\" appears twice", c->id);
            return;
        }
    }
}

static void load_tree(loader *L, cmp_run *run)
{
    const jread_value *root = run->root;
    if (root->type != JREAD_OBJECT) {
        fail(L, "", "not a run record: the document is %s, not an object",
             jread_type_name(root->type));
        return;
    }
    const jread_value *schema = jread_get(root, "schema");
    if (!schema || schema->type != JREAD_STRING || strcmp(schema->string, "posenc-run")) {
        fail(L, "/schema", "not a run record: \"schema\" should be \"posenc-run\"");
        return;
    }
    const jread_value *version = jread_get(root, "schema_version");
    if (!version || version->type != JREAD_NUMBER || !version->is_integer) {
        fail(L, "/schema_version", "should be an integer");
        return;
    }
    if (version->integer != RUN_SCHEMA_VERSION) {
        fail(L, "/schema_version",
             "schema version %lld, but this posenc reads version %d only (results/README.md "
             "says what each version changed)",
             (long long)version->integer, RUN_SCHEMA_VERSION);
        return;
    }
    const jread_value *r = get_container(L, root, "", "run", JREAD_OBJECT, 0);
    const jread_value *m = get_container(L, root, "", "machine", JREAD_OBJECT, 0);
    const jread_value *b = get_container(L, root, "", "build", JREAD_OBJECT, 0);
    const jread_value *cases = get_container(L, root, "", "cases", JREAD_ARRAY, 0);
    const jread_value *acc = get_container(L, root, "", "accuracy", JREAD_ARRAY, 0);
    if (L->failed)
        return;
    run->id = get_string(L, r, "/run", "id");
    run->host = get_string(L, m, "/machine", "host");
    run->cpu_model = get_string(L, m, "/machine", "cpu_model");
    run->arch = get_string(L, m, "/machine", "arch");
    run->emulated = get_bool(L, m, "/machine", "emulated");
    run->compiler = get_string(L, b, "/build", "compiler");
    const jread_value *feats = get_container(L, m, "/machine", "cpu_features", JREAD_ARRAY, 0);
    if (feats) {
        run->n_features = feats->n;
        run->features = harness_xmalloc((feats->n ? feats->n : 1) * sizeof *run->features);
        for (size_t i = 0; i < feats->n; i++) {
            if (feats->items[i].type != JREAD_STRING) {
                fail(L, "/machine/cpu_features", "item %zu should be a string, found %s", i,
                     jread_type_name(feats->items[i].type));
                return;
            }
            run->features[i] = feats->items[i].string;
        }
    }
    if (L->failed)
        return;
    run->n_cases = cases->n;
    run->cases = calloc(cases->n ? cases->n : 1, sizeof *run->cases);
    run->n_accuracy = acc->n;
    run->accuracy = calloc(acc->n ? acc->n : 1, sizeof *run->accuracy);
    if (!run->cases || !run->accuracy) {
        fail(L, "", "out of memory");
        return;
    }
    for (size_t i = 0; i < cases->n && !L->failed; i++)
        load_case(L, &cases->items[i], i, &run->cases[i]);
    for (size_t i = 0; i < acc->n && !L->failed; i++) {
        char ptr[48];
        snprintf(ptr, sizeof ptr, "/accuracy/%zu", i);
        if (acc->items[i].type != JREAD_OBJECT)
            fail(L, ptr, "should be an object, found %s", jread_type_name(acc->items[i].type));
        else
            load_accuracy(L, &acc->items[i], ptr, &run->accuracy[i]);
    }
    if (!L->failed)
        index_cases(L, run);
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir), m = strlen(name);
    char *s = harness_xmalloc(n + m + 2);
    memcpy(s, dir, n);
    size_t k = n;
    if (!n || dir[n - 1] != '/')
        s[k++] = '/';
    memcpy(s + k, name, m + 1);
    return s;
}

int run_load(const char *arg, const char *label, cmp_run *run)
{
    memset(run, 0, sizeof *run);
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(arg);
        run->folder = harness_xmalloc(n + 1);
        memcpy(run->folder, arg, n + 1);
        run->path = join_path(arg, "run.json");
    } else {
        size_t n = strlen(arg);
        run->path = harness_xmalloc(n + 1);
        memcpy(run->path, arg, n + 1);
    }
    jread_error err;
    run->root = jread_parse_file(run->path, 0, &err);
    if (!run->root) {
        fprintf(stderr, "posenc compare: %s: %s\n", label, err.message);
        run_free(run);
        return -1;
    }
    loader L = {label, run->path, 0};
    load_tree(&L, run);
    if (L.failed) {
        run_free(run);
        return -1;
    }
    return 0;
}

void run_free(cmp_run *run)
{
    if (run->cases)
        for (size_t i = 0; i < run->n_cases; i++)
            free(run->cases[i].times_ns);
    free(run->cases);
    free(run->accuracy);
    free(run->features);
    free(run->by_id);
    free(run->path);
    free(run->folder);
    jread_free(run->root);
    memset(run, 0, sizeof *run);
}

const cmp_case *run_find_case(const cmp_run *run, const char *id)
{
    size_t lo = 0, hi = run->n_cases;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const cmp_case *c = &run->cases[run->by_id[mid]];
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
