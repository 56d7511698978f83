/* write_json.c - run.json from a run_record (run_record.h), with the number formatting the
 * other report writers use too; files are written through report_file.h, values through
 * json_write.h. */
#include "write_json.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_write.h"
#include "run_record.h"

/* ---- values -------------------------------------------------------------------------------- */

size_t report_format_double(double v, char buf[32])
{
    /* A normal double that some k <= 15 digit decimal reads back as is within 2^-53 of it,
     * closer than the 15-digit decimals are to each other: %.15g finds that decimal, and %g
     * drops its trailing zeros. Failing that, 16 or 17 digits; 17 always read back. Subnormals
     * have fewer bits, so they search from one digit up. */
    int n = 0, prec = fabs(v) < DBL_MIN ? 1 : 15;
    for (;; prec++) {
        n = snprintf(buf, 32, "%.*g", prec, v);
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    /* %g writes 500000 as 5e+05 at one digit; an integer below 1e17 reads better in full, and
     * more digits read back the same double too */
    const char *e = strchr(buf, 'e');
    if (e && e[1] == '+' && atoi(e + 2) < 17)
        n = snprintf(buf, 32, "%.*g", atoi(e + 2) + 1, v);
    for (int i = 0; i < n; i++) /* a locale's decimal comma would end a JSON number */
        if (buf[i] == ',')
            buf[i] = '.';
    return (size_t)n;
}

size_t report_field_len(const char *s, size_t cap)
{
    const char *nul = memchr(s, '\0', cap);
    return nul ? (size_t)(nul - s) : cap;
}

/* A field of the CPU's identity: a number >= 0, or null (-1: unknown, not of this arch). */
static void jw_id(jw *w, const char *key, int v)
{
    if (v >= 0)
        jw_i64(w, key, v);
    else
        jw_null(w, key);
}

/* ---- the record ---------------------------------------------------------------------------- */

#define STR(w, key, field) jw_str(w, key, field, sizeof field)

/* A value of one of run.json's closed sets, by its name in the set's table. */
static void jw_name_of(jw *w, const char *key, run_name_set set, int value)
{
    const char *name = run_name(set, value);
    jw_str(w, key, name, strlen(name));
}

static void write_accuracy(jw *w, const char *key, const run_accuracy *a)
{
    jw_open(w, key, '{', 0);
    STR(w, "implementation", a->implementation);
    jw_name_of(w, "encoding", RUN_SET_ENCODING, (int)a->encoding);
    jw_name_of(w, "angle_mode", RUN_SET_ANGLE_MODE, (int)a->angle_mode);
    jw_name_of(w, "dtype", RUN_SET_DTYPE, (int)a->dtype);
    const int f32 = a->dtype == RUN_DTYPE_F32;
    jw_num(w, "bound_u", a->bound_u);
    jw_u64(w, "values_checked", a->values_checked);
    jw_num(w, "max_err_u", a->max_err_u);
    jw_num(w, "max_ulp", a->max_ulp);
    jw_num(w, "mean_err_u", a->mean_err_u);
    jw_i64(w, "worst_position", a->worst_position);
    jw_i64(w, "worst_index", a->worst_index);
    STR(w, "worst_value", a->worst_value);
    jw_num(w, "apply_max_err_u", a->apply_max_err_u);
    jw_num(w, "apply_bound_u", a->apply_bound_u);
    jw_tristate(w, "within_bound", a->within_bound);
    jw_tristate(w, "bit_exact", a->bit_exact);
    /* figures in ulps of a 16-bit type: null for float32 data */
    jw_num(w, "max_err_type_ulp", f32 ? NAN : a->max_err_type_ulp);
    jw_num(w, "apply_max_err_type_ulp", f32 ? NAN : a->apply_max_err_type_ulp);
    jw_num(w, "bound_type_ulp", f32 ? NAN : a->bound_type_ulp);
    jw_open(w, "decades", '[', 0);
    for (int d = 0; d < RUN_N_DECADES; d++) {
        const run_decade *dec = &a->decades[d];
        int empty = dec->count == 0; /* no values: no error figures either */
        jw_open(w, NULL, '{', 1);
        jw_i64(w, "lo", dec->lo);
        jw_i64(w, "hi", dec->hi);
        jw_u64(w, "count", dec->count);
        jw_num(w, "max_err_u", empty ? NAN : dec->max_err_u);
        jw_num(w, "max_ulp", empty ? NAN : dec->max_ulp);
        jw_num(w, "mean_err_u", empty ? NAN : dec->mean_err_u);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

static void write_speed(jw *w, const run_case *c)
{
    int ok = c->status == RUN_STATUS_OK;
    /* a case that did not run has no measurements: every figure is null, not 0 */
    double nan = NAN;
#define SPEED(x) (ok ? (x) : nan)
    jw_open(w, "speed", '{', 0);
    if (ok) {
        int n = c->repetitions < 0 ? 0 : c->repetitions > 32 ? 32 : c->repetitions;
        jw_i64(w, "repetitions", c->repetitions);
        jw_open(w, "times_ns", '[', 1);
        for (int i = 0; i < n; i++)
            jw_num(w, NULL, c->times_ns[i]);
        jw_close(w, ']');
    } else {
        jw_null(w, "repetitions");
        jw_null(w, "times_ns");
    }
    jw_num(w, "median_ns", SPEED(c->median_ns));
    jw_num(w, "min_ns", SPEED(c->min_ns));
    jw_num(w, "mean_ns", SPEED(c->mean_ns));
    jw_num(w, "stddev_ns", SPEED(c->stddev_ns));
    jw_num(w, "ns_per_element", SPEED(c->ns_per_element));
    jw_num(w, "elements_per_second", SPEED(c->elements_per_second));
    jw_num(w, "bytes_per_second", SPEED(c->bytes_per_second));
    if (ok)
        jw_str_or_null(w, "mempass_id", c->mempass_id, sizeof c->mempass_id);
    else
        jw_null(w, "mempass_id");
    jw_num(w, "mempass_median_ns", SPEED(c->mempass_median_ns));
    jw_num(w, "ratio_to_mempass", SPEED(c->ratio_to_mempass));
    jw_num(w, "speedup_over_scalar", SPEED(c->speedup_over_scalar));
    jw_num(w, "wall_median_ns", SPEED(c->wall_median_ns));
    jw_num(w, "mempass_wall_median_ns", SPEED(c->mempass_wall_median_ns));
    if (ok)
        jw_u64(w, "table_bytes", c->table_bytes);
    else
        jw_null(w, "table_bytes");
    if (ok && c->instructions_source[0]) {
        jw_u64(w, "instructions_per_call", c->instructions);
        jw_num(w, "instructions_per_element", c->instructions_per_element);
        STR(w, "instructions_source", c->instructions_source);
        /* a count names what it counted; a writer that left it empty counted the case's own */
        if (c->instructions_impl[0])
            STR(w, "instructions_impl", c->instructions_impl);
        else
            STR(w, "instructions_impl", c->implementation);
    } else {
        jw_null(w, "instructions_per_call");
        jw_null(w, "instructions_per_element");
        jw_null(w, "instructions_source");
        jw_null(w, "instructions_impl");
    }
    jw_str_or_null(w, "instructions_note", c->instructions_note, sizeof c->instructions_note);
#undef SPEED
    jw_close(w, '}');
}

/* An integer field that is null when 0 (not applicable). */
static void jw_i64_or_null(jw *w, const char *key, int64_t v)
{
    if (v)
        jw_i64(w, key, v);
    else
        jw_null(w, key);
}

static void write_variant(jw *w, const run_variant *v)
{
    if (!v->name[0]) {
        jw_null(w, "variant");
        return;
    }
    jw_open(w, "variant", '{', 0);
    STR(w, "name", v->name);
    jw_str_or_null(w, "model_key", v->model_key, sizeof v->model_key);
    jw_str_or_null(w, "scaling", v->scaling, sizeof v->scaling);
    jw_num(w, "factor", v->factor);
    jw_i64_or_null(w, "original_max_positions", v->original_max_positions);
    jw_i64_or_null(w, "seq_len", v->seq_len);
    jw_num(w, "attention_factor", v->attention_factor);
    jw_str_or_null(w, "longrope_factors", v->longrope_factors, sizeof v->longrope_factors);
    jw_str_or_null(w, "mrope", v->mrope, sizeof v->mrope);
    if (v->mrope[0]) {
        jw_open(w, "mrope_section", '[', 1);
        for (int a = 0; a < 3; a++)
            jw_i64(w, NULL, v->mrope_section[a]);
        jw_close(w, ']');
    } else {
        jw_null(w, "mrope_section");
    }
    jw_str_or_null(w, "alibi_form", v->alibi_form, sizeof v->alibi_form);
    jw_num(w, "alibi_bias_max", v->alibi_bias_max);
    jw_close(w, '}');
}

static void write_case(jw *w, const run_case *c)
{
    jw_open(w, NULL, '{', 0);
    STR(w, "id", c->id);
    STR(w, "group", c->group);
    jw_name_of(w, "encoding", RUN_SET_ENCODING, (int)c->encoding);
    jw_name_of(w, "op", RUN_SET_OP, (int)c->op);
    jw_name_of(w, "dtype", RUN_SET_DTYPE, (int)c->dtype);
    STR(w, "model", c->model);
    STR(w, "implementation", c->implementation);
    jw_bool(w, "dispatched", c->dispatched);
    jw_i64(w, "threads", run_case_threads(c));
    jw_name_of(w, "status", RUN_SET_STATUS, (int)c->status);
    STR(w, "reason", c->reason);
    jw_open(w, "shape", '{', 0);
    STR(w, "name", c->shape);
    jw_i64(w, "tokens", c->tokens);
    jw_i64(w, "heads", c->heads);
    jw_i64(w, "kv_heads", c->kv_heads);
    jw_i64(w, "head_dim", c->head_dim);
    jw_i64(w, "rotary_dim", c->rotary_dim);
    STR(w, "pairing", c->pairing);
    jw_num(w, "base", c->base);
    jw_i64(w, "first_position", c->first_position);
    jw_i64(w, "last_position", c->last_position);
    jw_u64(w, "elements", c->elements);
    jw_u64(w, "bytes", c->bytes);
    jw_i64_or_null(w, "keys", c->keys);
    jw_i64(w, "axes", c->axes > 0 ? c->axes : 1);
    jw_close(w, '}');
    write_variant(w, &c->variant);
    write_speed(w, c);
    if (!isfinite(c->sgemm_median_ns)) { /* NaN: no attention context for this case */
        jw_null(w, "attention");
    } else {
        jw_open(w, "attention", '{', 0);
        jw_num(w, "sgemm_median_ns", c->sgemm_median_ns);
        jw_num(w, "score_median_ns", c->score_median_ns);
        jw_num(w, "encoding_fraction", c->encoding_fraction);
        jw_close(w, '}');
    }
    if (c->accuracy)
        write_accuracy(w, "accuracy", c->accuracy);
    else
        jw_null(w, "accuracy");
    jw_close(w, '}');
}

static void write_record(jw *w, const run_record *r)
{
    jw_open(w, NULL, '{', 0);
    jw_name(w, "schema");
    jw_put(w, "\"" RUN_SCHEMA_NAME "\"");
    jw_i64(w, "schema_version", RUN_SCHEMA_VERSION);

    jw_open(w, "run", '{', 0);
    STR(w, "id", r->id);
    STR(w, "started_utc", r->started_utc);
    STR(w, "command", r->command);
    jw_bool(w, "quick", r->quick);
    STR(w, "suite", r->suite);
    jw_name_of(w, "angle_mode", RUN_SET_ANGLE_MODE, (int)r->angle_mode);
    jw_i64(w, "threads", r->threads);
    jw_close(w, '}');

    jw_open(w, "machine", '{', 0);
    STR(w, "host", r->host);
    STR(w, "kind", r->kind);
    STR(w, "cpu_model", r->cpu_model);
    STR(w, "arch", r->arch);
    jw_open(w, "cpu_id", '{', 1);
    jw_str_or_null(w, "vendor", r->cpu_vendor, sizeof r->cpu_vendor);
    jw_id(w, "family", r->cpu_family);
    jw_id(w, "model", r->cpu_model_number);
    jw_id(w, "stepping", r->cpu_stepping);
    jw_id(w, "implementer", r->cpu_implementer);
    jw_id(w, "variant", r->cpu_variant);
    jw_id(w, "part", r->cpu_part);
    jw_id(w, "revision", r->cpu_revision);
    jw_close(w, '}');
    jw_bool(w, "emulated", r->emulated);
    jw_i64(w, "cores", r->cores);
    jw_num(w, "mhz", r->mhz);
    jw_str_or_null(w, "governor", r->governor, sizeof r->governor);
    jw_words(w, "cpu_features", r->cpu_features, sizeof r->cpu_features);
    jw_words(w, "cpu_features_detected", r->cpu_features_detected,
             sizeof r->cpu_features_detected);
    int n_caches = r->n_caches < 0 ? 0 : r->n_caches > 8 ? 8 : r->n_caches;
    jw_open(w, "caches", '[', 0);
    for (int i = 0; i < n_caches; i++) {
        const run_cache *k = &r->caches[i];
        jw_open(w, NULL, '{', 1);
        jw_i64(w, "level", k->level);
        STR(w, "type", k->type);
        jw_u64(w, "size_bytes", k->size_bytes);
        jw_i64(w, "shared_by", k->shared_by);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_open(w, "load_avg", '[', 1);
    for (int i = 0; i < 3; i++)
        jw_num(w, NULL, r->load_avg[i]);
    jw_close(w, ']');
    jw_close(w, '}');

    jw_open(w, "build", '{', 0);
    STR(w, "posenc_version", r->posenc_version);
    STR(w, "compiler", r->compiler);
    STR(w, "flags", r->flags);
    jw_str_or_null(w, "git_revision", r->git_revision, sizeof r->git_revision);
    jw_tristate(w, "git_dirty", r->git_dirty);
    jw_open(w, "libraries", '{', 0);
    jw_str_or_null(w, "google_benchmark", r->benchmark_version, sizeof r->benchmark_version);
    jw_str_or_null(w, "sleef", r->sleef_version, sizeof r->sleef_version);
    jw_str_or_null(w, "openblas", r->openblas_version, sizeof r->openblas_version);
    jw_str_or_null(w, "mpfr", r->mpfr_version, sizeof r->mpfr_version);
    jw_close(w, '}');
    jw_close(w, '}');

    jw_open(w, "cases", '[', 0);
    for (size_t i = 0; i < r->n_cases; i++)
        write_case(w, &r->cases[i]);
    jw_close(w, ']');
    jw_open(w, "accuracy", '[', 0);
    for (size_t i = 0; i < r->n_accuracy; i++)
        write_accuracy(w, NULL, &r->accuracy[i]);
    jw_close(w, ']');
    jw_open(w, "variant_accuracy", '[', 0);
    for (size_t i = 0; i < r->n_variant_accuracy; i++) {
        const run_variant_accuracy *v = &r->variant_accuracy[i];
        jw_open(w, NULL, '{', 0);
        STR(w, "model", v->model);
        STR(w, "variant", v->variant);
        jw_str_or_null(w, "model_key", v->model_key, sizeof v->model_key);
        jw_num(w, "attention_factor", v->attention_factor);
        write_accuracy(w, "accuracy", &v->acc);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
    jw_put(w, "\n");
}

int report_write_json(const run_record *r, const char *path)
{
    if ((r->n_cases && !r->cases) || (r->n_accuracy && !r->accuracy) ||
        (r->n_variant_accuracy && !r->variant_accuracy)) {
        fprintf(stderr, "posenc: cannot write %s: the run record lists results it does not "
                        "hold\n", path);
        return -1;
    }
    report_file out;
    if (report_file_open(&out, path))
        return -1;
    jw w;
    jw_init(&w, &out);
    write_record(&w, r);
    return report_file_commit(&out);
}
