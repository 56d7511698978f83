/* run_read.c - run.json back into a run_record (run_record.h): each field taken is checked for
 * presence and type so that a damaged or foreign record is named rather than half read. */
#define _POSIX_C_SOURCE 200809L /* stat */

#include "run_record.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json_doc.h"

typedef struct loader {
    const char *file; /* as the messages name it */
    char *err;
    size_t err_size;
    int failed;       /* the first failure is the one reported */
} loader;

static void fail(loader *ld, const char *fmt, ...)
{
    if (ld->failed++)
        return;
    int n = snprintf(ld->err, ld->err_size, "%s: ", ld->file);
    if (n < 0 || (size_t)n >= ld->err_size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ld->err + n, ld->err_size - (size_t)n, fmt, ap);
    va_end(ap);
    /* one line, as promised, even when it quotes the file's own text ("schema": "a\nb") */
    for (char *c = ld->err + n; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
}

/* The JSON types a field may have (jansson splits numbers into integers and reals, and booleans
 * into true and false). */
typedef enum field_type { T_STRING, T_NUMBER, T_BOOL, T_ARRAY, T_OBJECT } field_type;

static int has_type(const json_t *v, field_type t)
{
    switch (t) {
    case T_STRING:
        return json_is_string(v);
    case T_NUMBER:
        return json_is_number(v);
    case T_BOOL:
        return json_is_boolean(v);
    case T_ARRAY:
        return json_is_array(v);
    default:
        return json_is_object(v);
    }
}

static const char *const type_names[] = {"string", "number", "boolean", "array", "object"};

/* key of obj (at JSON pointer base) with one of the wanted types; NULL after a message. A null
 * where null is allowed comes back as the null value: the caller reads it as "not measured". */
static const json_t *member(loader *ld, const json_t *obj, const char *base, const char *key,
                            field_type want, int nullable)
{
    const json_t *v = json_object_get(obj, key);
    if (!v) {
        fail(ld, "%s/%s: missing", base, key);
        return NULL;
    }
    if (has_type(v, want) || (nullable && json_is_null(v)))
        return v;
    fail(ld, "%s/%s: expected %s%s, found %s", base, key, type_names[want],
         nullable ? " or null" : "", json_doc_type_name(v));
    return NULL;
}

/* A string into a fixed field (cut when longer, as the writer's own fields are); null is "". */
static void get_str(loader *ld, const json_t *obj, const char *base, const char *key,
                    char *dst, size_t cap, int nullable)
{
    const json_t *v = member(ld, obj, base, key, T_STRING, nullable);
    snprintf(dst, cap, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static double get_num(loader *ld, const json_t *obj, const char *base, const char *key)
{
    const json_t *v = member(ld, obj, base, key, T_NUMBER, 1);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A name of one of run.json's closed sets (run_record.h), as its enum value. */
static int get_name(loader *ld, const json_t *obj, const char *base, const char *key,
                    run_name_set set)
{
    const json_t *v = member(ld, obj, base, key, T_STRING, 0);
    int value = 0;
    char why[160];
    if (v && run_name_parse(set, json_string_value(v), &value, why, sizeof why))
        fail(ld, "%s/%s: %s", base, key, why);
    return value;
}

static uint64_t get_count(loader *ld, const json_t *obj, const char *base, const char *key)
{
    const json_t *v = member(ld, obj, base, key, T_NUMBER, 0);
    if (!v)
        return 0;
    if (json_is_integer(v) && json_integer_value(v) >= 0)
        return (uint64_t)json_integer_value(v);
    /* counts go up to 2^64 - 1 but jansson's integers stop at int64_t: a document with a larger
       one is read with doubles (json_doc.h), and a count is then the nearest double, saturated
       (a size that large is never one a program relies on) */
    double d = json_real_value(v);
    if (!json_is_real(v) || !(d >= 0) || d != floor(d)) {
        fail(ld, "%s/%s: expected a count (an integer >= 0)", base, key);
        return 0;
    }
    return d >= 0x1p64 ? UINT64_MAX : (uint64_t)d;
}

/* 1 true, 0 false, -1 null (when allowed) */
static int get_bool(loader *ld, const json_t *obj, const char *base, const char *key,
                    int nullable)
{
    const json_t *v = member(ld, obj, base, key, T_BOOL, nullable);
    return json_is_boolean(v) ? json_is_true(v) : -1;
}

/* An array of strings as one space-separated string, the run model's form. */
static void get_words(loader *ld, const json_t *obj, const char *base, const char *key,
                      char *dst, size_t cap)
{
    dst[0] = '\0';
    const json_t *v = member(ld, obj, base, key, T_ARRAY, 0);
    size_t o = 0;
    for (size_t i = 0; v && i < json_array_size(v); i++) {
        const json_t *item = json_array_get(v, i);
        if (!json_is_string(item)) {
            fail(ld, "%s/%s/%zu: expected string, found %s", base, key, i,
                 json_doc_type_name(item));
            return;
        }
        /* the words are joined with spaces: an empty one, or one holding a space, would read
           back as other words */
        const char *word = json_string_value(item);
        if (!word[0] || strpbrk(word, " \t\n\r\f\v")) {
            fail(ld, "%s/%s/%zu: expected one word, found \"%s\"", base, key, i, word);
            return;
        }
        int w = snprintf(dst + o, cap - o, "%s%s", o ? " " : "", word);
        if (w < 0 || (size_t)w >= cap - o)
            return; /* cut at the last whole word */
        o += (size_t)w;
    }
}

static const json_t *object(loader *ld, const json_t *obj, const char *base,
                                 const char *key)
{
    return member(ld, obj, base, key, T_OBJECT, 0);
}

static void read_accuracy(loader *ld, const json_t *a, const char *base, int version,
                          run_accuracy *out)
{
    get_str(ld, a, base, "implementation", out->implementation, sizeof out->implementation, 0);
    out->encoding = (run_encoding)get_name(ld, a, base, "encoding", RUN_SET_ENCODING);
    out->angle_mode = (run_angle_mode)get_name(ld, a, base, "angle_mode", RUN_SET_ANGLE_MODE);
    /* the data's element type: float32 before version 6 */
    out->dtype = RUN_DTYPE_F32;
    out->max_err_type_ulp = out->apply_max_err_type_ulp = out->bound_type_ulp = NAN;
    if (version >= 6) {
        out->dtype = (run_dtype)get_name(ld, a, base, "dtype", RUN_SET_DTYPE);
        out->max_err_type_ulp = get_num(ld, a, base, "max_err_type_ulp");
        out->apply_max_err_type_ulp = get_num(ld, a, base, "apply_max_err_type_ulp");
        out->bound_type_ulp = get_num(ld, a, base, "bound_type_ulp");
    }
    out->bound_u = get_num(ld, a, base, "bound_u");
    out->values_checked = get_count(ld, a, base, "values_checked");
    out->max_err_u = get_num(ld, a, base, "max_err_u");
    out->max_ulp = get_num(ld, a, base, "max_ulp");
    out->mean_err_u = get_num(ld, a, base, "mean_err_u");
    out->apply_max_err_u = get_num(ld, a, base, "apply_max_err_u");
    out->apply_bound_u = get_num(ld, a, base, "apply_bound_u");
    out->within_bound = get_bool(ld, a, base, "within_bound", 1);
    out->bit_exact = get_bool(ld, a, base, "bit_exact", 1);
}

/* The id's last part names the dispatch cases; version 1 records have no "dispatched". */
static int id_is_dispatch(const char *id)
{
    static const char tail[] = "/impl=dispatch";
    size_t n = strlen(id), t = sizeof tail - 1;
    return n >= t && !strcmp(id + n - t, tail);
}

/* A case's speed; every field is null in a case that did not run. */
static void read_speed(loader *ld, const json_t *speed, const char *base, int version,
                       int ok, run_case *out)
{
    const json_t *reps = member(ld, speed, base, "repetitions", T_NUMBER, 1);
    json_int_t n_reps;
    if (json_is_number(reps)) {
        if (!json_doc_integer(reps, 0, INT32_MAX, &n_reps))
            fail(ld, "%s/repetitions: expected a count (an integer >= 0)", base);
        else
            out->repetitions = (int)n_reps;
    }
    /* the writer keeps the first 32 repetitions (run_case.times_ns) */
    const json_t *times = member(ld, speed, base, "times_ns", T_ARRAY, 1);
    size_t kept = out->repetitions < 32 ? (size_t)out->repetitions : 32;
    if (json_is_null(times) && ok)
        fail(ld, "%s/times_ns: null, but the case's status is \"ok\"", base);
    size_t n_times = json_array_size(times); /* 0 when not an array */
    for (size_t i = 0; i < n_times && !ld->failed; i++) {
        const json_t *t = json_array_get(times, i);
        double ns = json_number_value(t);
        if (!json_is_number(t) || !isfinite(ns) || ns < 0)
            fail(ld, "%s/times_ns/%zu: expected a number >= 0, found %s", base, i,
                 json_is_number(t) ? "a negative number" : json_doc_type_name(t));
        else if (i < kept)
            out->times_ns[i] = ns;
    }
    if (json_is_array(times) && n_times != kept)
        fail(ld, "%s/times_ns: %zu entries for %d repetitions (expected %zu)", base, n_times,
             out->repetitions, kept);
    out->median_ns = get_num(ld, speed, base, "median_ns");
    out->ns_per_element = get_num(ld, speed, base, "ns_per_element");
    out->mempass_median_ns = get_num(ld, speed, base, "mempass_median_ns");
    out->ratio_to_mempass = get_num(ld, speed, base, "ratio_to_mempass");
    out->speedup_over_scalar = get_num(ld, speed, base, "speedup_over_scalar");
    out->wall_median_ns = out->mempass_wall_median_ns = NAN;
    if (version >= 7) {
        out->wall_median_ns = get_num(ld, speed, base, "wall_median_ns");
        out->mempass_wall_median_ns = get_num(ld, speed, base, "mempass_wall_median_ns");
    }
    if (version >= 2) {
        out->instructions_per_element = get_num(ld, speed, base, "instructions_per_element");
        get_str(ld, speed, base, "instructions_source", out->instructions_source,
                sizeof out->instructions_source, 1);
        get_str(ld, speed, base, "instructions_note", out->instructions_note,
                sizeof out->instructions_note, 1);
    }
    if (version >= 3)
        get_str(ld, speed, base, "instructions_impl", out->instructions_impl,
                sizeof out->instructions_impl, 1);
    else if (out->instructions_source[0])
        /* before version 3 a count was always of the case's own implementation */
        snprintf(out->instructions_impl, sizeof out->instructions_impl, "%s",
                 out->implementation);
}

/* The inlined record repeats the implementation's top-level one: check it as one, then point at
 * the top-level copy so that the run holds each record once. */
static void read_case_accuracy(loader *ld, const json_t *c, const char *base, int version,
                               const run_record *r, run_case *out)
{
    const json_t *a = member(ld, c, base, "accuracy", T_OBJECT, 1);
    if (!a || json_is_null(a))
        return;
    char sub[96];
    snprintf(sub, sizeof sub, "%s/accuracy", base);
    run_accuracy inl;
    memset(&inl, 0, sizeof inl);
    read_accuracy(ld, a, sub, version, &inl);
    if (ld->failed)
        return;
    out->accuracy = run_find_accuracy(r, inl.implementation, inl.angle_mode, inl.dtype);
    if (!out->accuracy)
        fail(ld, "%s: no record of \"%s\" (%s mode, %s data) in /accuracy", sub,
             inl.implementation, run_angle_mode_name(inl.angle_mode), run_dtype_name(inl.dtype));
}

/* Threads the case's call was split over (version 7): an integer >= 1; 1 before version 7. */
static void read_threads(loader *ld, const json_t *c, const char *base, int version,
                         run_case *out)
{
    out->threads = 1;
    if (version < 7)
        return;
    const json_t *v = member(ld, c, base, "threads", T_NUMBER, 0);
    if (!v)
        return;
    json_int_t threads;
    if (!json_doc_integer(v, 1, 4096, &threads)) {
        fail(ld, "%s/threads: expected an integer from 1 to 4096", base);
        return;
    }
    out->threads = (int)threads;
}

static void read_case(loader *ld, const json_t *c, const char *base, int version,
                      const run_record *r, run_case *out)
{
    /* the run model's NaN for what is not read, so no writer mistakes it for 0 */
    out->base = out->min_ns = out->mean_ns = out->stddev_ns = NAN;
    out->elements_per_second = out->bytes_per_second = out->instructions_per_element = NAN;
    out->sgemm_median_ns = out->score_median_ns = out->encoding_fraction = NAN;
    get_str(ld, c, base, "id", out->id, sizeof out->id, 0);
    get_str(ld, c, base, "group", out->group, sizeof out->group, 0);
    out->encoding = (run_encoding)get_name(ld, c, base, "encoding", RUN_SET_ENCODING);
    out->op = (run_op)get_name(ld, c, base, "op", RUN_SET_OP);
    /* the case's element type (version 6), part of its identity for compare: before version 6
       every case was float32 */
    out->dtype = version >= 6 ? (run_dtype)get_name(ld, c, base, "dtype", RUN_SET_DTYPE)
                              : RUN_DTYPE_F32;
    get_str(ld, c, base, "model", out->model, sizeof out->model, 0);
    get_str(ld, c, base, "implementation", out->implementation, sizeof out->implementation, 0);
    out->status = (run_status)get_name(ld, c, base, "status", RUN_SET_STATUS);
    get_str(ld, c, base, "reason", out->reason, sizeof out->reason, 0);
    out->dispatched = version >= 2 ? get_bool(ld, c, base, "dispatched", 0) == 1
                                   : id_is_dispatch(out->id);
    read_threads(ld, c, base, version, out);
    char sub[96];
    snprintf(sub, sizeof sub, "%s/shape", base);
    const json_t *shape = object(ld, c, base, "shape");
    if (shape) {
        get_str(ld, shape, sub, "name", out->shape, sizeof out->shape, 0);
        out->elements = get_count(ld, shape, sub, "elements");
        out->bytes = get_count(ld, shape, sub, "bytes");
    }
    snprintf(sub, sizeof sub, "%s/speed", base);
    const json_t *speed = object(ld, c, base, "speed");
    if (speed)
        read_speed(ld, speed, sub, version, out->status == RUN_STATUS_OK, out);
    read_case_accuracy(ld, c, base, version, r, out);
}

/* A field of machine.cpu_id: an integer >= 0, or null (-1). */
static int get_id(loader *ld, const json_t *obj, const char *key)
{
    const json_t *v = member(ld, obj, "/machine/cpu_id", key, T_NUMBER, 1);
    if (!v || json_is_null(v))
        return -1;
    json_int_t id;
    if (!json_doc_integer(v, 0, INT32_MAX, &id)) {
        fail(ld, "/machine/cpu_id/%s: expected an integer >= 0 or null", key);
        return -1;
    }
    return (int)id;
}

/* machine.cpu_id (version 3): what the CPU says it is. */
static void read_cpu_id(loader *ld, const json_t *m, run_record *r)
{
    const json_t *id = object(ld, m, "/machine", "cpu_id");
    if (!id)
        return;
    get_str(ld, id, "/machine/cpu_id", "vendor", r->cpu_vendor, sizeof r->cpu_vendor, 1);
    r->cpu_family = get_id(ld, id, "family");
    r->cpu_model_number = get_id(ld, id, "model");
    r->cpu_stepping = get_id(ld, id, "stepping");
    r->cpu_implementer = get_id(ld, id, "implementer");
    r->cpu_variant = get_id(ld, id, "variant");
    r->cpu_part = get_id(ld, id, "part");
    r->cpu_revision = get_id(ld, id, "revision");
}

/* The file to read: path itself, or path/run.json when path is a folder. */
static char *resolve(const char *path, char *err, size_t err_size)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t n = strlen(path);
    char *file = malloc(n + sizeof "/run.json");
    if (!file) {
        snprintf(err, err_size, "%s: out of memory", path);
        return NULL;
    }
    memcpy(file, path, n + 1);
    if (S_ISDIR(st.st_mode)) {
        snprintf(file + n, sizeof "/run.json", "%srun.json", n && path[n - 1] == '/' ? "" : "/");
        if (stat(file, &st) != 0) {
            snprintf(err, err_size, "%s: no run.json in this folder (is it a run folder of "
                                    "`posenc bench`?)", path);
            free(file);
            return NULL;
        }
    }
    return file;
}

int run_read(const char *path, run_read_result *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    run_record *r = &out->run;
    char *file = resolve(path, err, err_size);
    if (!file)
        return -1;
    json_t *root = json_doc_load(file, err, err_size);
    if (!root) {
        free(file);
        return -1;
    }
    loader ld = {file, err, err_size, 0};
    const char *schema = json_string_value(json_object_get(root, "schema"));
    const json_t *ver = json_object_get(root, "schema_version");
    json_int_t ver_int = 0;
    if (!json_is_object(root) || !schema || strcmp(schema, RUN_SCHEMA_NAME)) {
        fail(&ld, "not a posenc run record (\"schema\" is %s%s%s, expected \"" RUN_SCHEMA_NAME
             "\")", schema ? "\"" : "", schema ? schema : "missing", schema ? "\"" : "");
    } else if (!json_doc_integer(ver, -(INT64_C(1) << 53), INT64_C(1) << 53, &ver_int)) {
        fail(&ld, "\"schema_version\" is missing or not an integer");
    } else if (ver_int < RUN_READ_MIN_SCHEMA_VERSION || ver_int > RUN_SCHEMA_VERSION) {
        fail(&ld, "run.json schema_version %lld is not one this posenc reads (%d to %d); %s",
             (long long)ver_int, RUN_READ_MIN_SCHEMA_VERSION, RUN_SCHEMA_VERSION,
             ver_int > RUN_SCHEMA_VERSION ? "read it with a newer posenc"
                                               : "it predates the documented versions");
    }
    int version = ld.failed ? 0 : (int)ver_int;

    const json_t *run = ld.failed ? NULL : object(&ld, root, "", "run");
    if (run) {
        get_str(&ld, run, "/run", "id", r->id, sizeof r->id, 0);
        get_str(&ld, run, "/run", "started_utc", r->started_utc, sizeof r->started_utc, 0);
        get_str(&ld, run, "/run", "command", r->command, sizeof r->command, 0);
        r->quick = get_bool(&ld, run, "/run", "quick", 0) == 1;
        get_str(&ld, run, "/run", "suite", r->suite, sizeof r->suite, 0);
        r->angle_mode =
            (run_angle_mode)get_name(&ld, run, "/run", "angle_mode", RUN_SET_ANGLE_MODE);
    }
    r->load_avg[0] = r->load_avg[1] = r->load_avg[2] = NAN; /* not read */
    /* unknown until version 3 says */
    r->cpu_family = r->cpu_model_number = r->cpu_stepping = -1;
    r->cpu_implementer = r->cpu_variant = r->cpu_part = r->cpu_revision = -1;
    const json_t *m = ld.failed ? NULL : object(&ld, root, "", "machine");
    if (m) {
        get_str(&ld, m, "/machine", "host", r->host, sizeof r->host, 0);
        if (version >= 3) {
            get_str(&ld, m, "/machine", "kind", r->kind, sizeof r->kind, 0);
            read_cpu_id(&ld, m, r);
        }
        get_str(&ld, m, "/machine", "cpu_model", r->cpu_model, sizeof r->cpu_model, 0);
        get_str(&ld, m, "/machine", "arch", r->arch, sizeof r->arch, 0);
        r->emulated = get_bool(&ld, m, "/machine", "emulated", 0) == 1;
        /* an int: anything else (1e300, -1, 2.5) is refused, never converted (undefined) */
        const json_t *cores = member(&ld, m, "/machine", "cores", T_NUMBER, 0);
        json_int_t n_cores = 0;
        if (cores && !json_doc_integer(cores, 0, INT_MAX, &n_cores))
            fail(&ld, "/machine/cores: expected a count (an integer >= 0)");
        else if (cores)
            r->cores = (int)n_cores;
        r->mhz = get_num(&ld, m, "/machine", "mhz");
        get_words(&ld, m, "/machine", "cpu_features", r->cpu_features, sizeof r->cpu_features);
        get_words(&ld, m, "/machine", "cpu_features_detected", r->cpu_features_detected,
                  sizeof r->cpu_features_detected);
    }
    const json_t *b = ld.failed ? NULL : object(&ld, root, "", "build");
    if (b) {
        get_str(&ld, b, "/build", "posenc_version", r->posenc_version,
                sizeof r->posenc_version, 0);
        get_str(&ld, b, "/build", "compiler", r->compiler, sizeof r->compiler, 0);
        get_str(&ld, b, "/build", "flags", r->flags, sizeof r->flags, 0);
        get_str(&ld, b, "/build", "git_revision", r->git_revision, sizeof r->git_revision, 1);
        r->git_dirty = get_bool(&ld, b, "/build", "git_dirty", 1);
    }

    const json_t *acc = ld.failed ? NULL : member(&ld, root, "", "accuracy", T_ARRAY, 0);
    size_t n_acc = json_array_size(acc);
    if (n_acc) {
        r->accuracy = calloc(n_acc, sizeof *r->accuracy);
        if (!r->accuracy)
            fail(&ld, "out of memory");
    }
    for (size_t i = 0; r->accuracy && i < n_acc && !ld.failed; i++) {
        char base[32];
        snprintf(base, sizeof base, "/accuracy/%zu", i);
        const json_t *a = json_array_get(acc, i);
        if (!json_is_object(a))
            fail(&ld, "%s: expected object, found %s", base, json_doc_type_name(a));
        else
            read_accuracy(&ld, a, base, version, &r->accuracy[i]);
        r->n_accuracy = i + 1;
    }

    const json_t *cases = ld.failed ? NULL : member(&ld, root, "", "cases", T_ARRAY, 0);
    size_t n_cases = json_array_size(cases);
    if (n_cases) {
        r->cases = calloc(n_cases, sizeof *r->cases);
        if (!r->cases)
            fail(&ld, "out of memory");
    }
    for (size_t i = 0; r->cases && i < n_cases && !ld.failed; i++) {
        char base[32];
        snprintf(base, sizeof base, "/cases/%zu", i);
        run_case *c = &r->cases[i];
        const json_t *item = json_array_get(cases, i);
        if (!json_is_object(item))
            fail(&ld, "%s: expected object, found %s", base, json_doc_type_name(item));
        else
            read_case(&ld, item, base, version, r, c);
        r->n_cases = i + 1;
    }
    json_decref(root);
    out->schema_version = version;
    out->file = file;
    if (ld.failed) {
        run_read_free(out);
        return -1;
    }
    return 0;
}

void run_read_free(run_read_result *r)
{
    free(r->run.cases);
    free(r->run.accuracy);
    free(r->file);
    memset(r, 0, sizeof *r);
}
