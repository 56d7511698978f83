/* write_compare_json.c - compare.json, the verdict of `posenc compare` for programs (CI): schema
 * "posenc-compare", version COMPARE_SCHEMA_VERSION, fields documented in results/README.md. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "write_json.h"

/* A JSON string. The runs' strings came through the JSON reader, so they are valid UTF-8 already;
 * only quotes, backslashes and control characters need escaping. NULL is written as null. */
static void put_str(report_file *rf, const char *s)
{
    if (!s) {
        report_file_puts(rf, "null");
        return;
    }
    report_file_puts(rf, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            report_file_printf(rf, "\\%c", *p);
        else if (*p < 0x20)
            report_file_printf(rf, "\\u%04x", *p);
        else
            report_file_write(rf, p, 1);
    }
    report_file_puts(rf, "\"");
}

static void put_num(report_file *rf, double v)
{
    if (!isfinite(v)) { /* not measured, not applicable: null, never a made-up number */
        report_file_puts(rf, "null");
        return;
    }
    char buf[32];
    report_format_double(v, buf);
    report_file_puts(rf, buf);
}

static void key(report_file *rf, int indent, const char *k)
{
    report_file_printf(rf, "%*s\"%s\": ", indent, "", k);
}

static void put_run(report_file *rf, const char *name, const cmp_run *r)
{
    const run_record *m = &r->read.run;
    key(rf, 2, name);
    report_file_puts(rf, "{\n");
    key(rf, 4, "run_id");
    put_str(rf, m->id);
    report_file_puts(rf, ",\n");
    key(rf, 4, "path");
    put_str(rf, r->path);
    report_file_puts(rf, ",\n");
    key(rf, 4, "host");
    put_str(rf, m->host);
    report_file_puts(rf, ",\n");
    key(rf, 4, "kind");
    put_str(rf, m->kind);
    report_file_puts(rf, ",\n");
    key(rf, 4, "cpu_model");
    put_str(rf, m->cpu_model);
    report_file_puts(rf, ",\n");
    key(rf, 4, "arch");
    put_str(rf, m->arch);
    report_file_puts(rf, ",\n");
    key(rf, 4, "cpu_id");
    report_file_puts(rf, "{\"vendor\": ");
    put_str(rf, m->cpu_vendor[0] ? m->cpu_vendor : NULL);
    const struct {
        const char *name;
        int v;
    } ids[] = {{"family", m->cpu_family},           {"model", m->cpu_model_number},
               {"stepping", m->cpu_stepping},       {"implementer", m->cpu_implementer},
               {"variant", m->cpu_variant},         {"part", m->cpu_part},
               {"revision", m->cpu_revision}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        report_file_printf(rf, ", \"%s\": ", ids[i].name);
        if (ids[i].v >= 0)
            report_file_printf(rf, "%d", ids[i].v);
        else
            report_file_puts(rf, "null");
    }
    report_file_puts(rf, "},\n");
    key(rf, 4, "emulated");
    report_file_puts(rf, m->emulated ? "true" : "false");
    report_file_puts(rf, ",\n");
    key(rf, 4, "cpu_features");
    report_file_puts(rf, "[");
    for (size_t i = 0; i < r->n_features; i++) {
        report_file_puts(rf, i ? ", " : "");
        put_str(rf, r->features[i]);
    }
    report_file_puts(rf, "],\n");
    key(rf, 4, "compiler");
    put_str(rf, m->compiler);
    report_file_puts(rf, "\n  },\n");
}

static void put_side(report_file *rf, const compare_side *s, int present)
{
    if (!present) {
        report_file_puts(rf, "null");
        return;
    }
    report_file_puts(rf, "{\"implementation\": ");
    put_str(rf, s->implementation);
    report_file_puts(rf, ", \"counted\": ");
    put_str(rf, s->counted);
    report_file_puts(rf, ", \"value\": ");
    put_num(rf, s->value);
    report_file_printf(rf, ", \"samples\": %zu}", s->n);
}

static void put_case(report_file *rf, const compare_case_result *c, int last)
{
    report_file_puts(rf, "    {\"id\": ");
    put_str(rf, c->id);
    report_file_puts(rf, ", \"verdict\": ");
    put_str(rf, compare_verdict_name(c->verdict));
    report_file_puts(rf, ", \"ratio\": ");
    put_num(rf, c->ratio);
    report_file_puts(rf, ", \"p_value\": ");
    put_num(rf, c->p_value);
    report_file_puts(rf, ",\n     \"base\": ");
    put_side(rf, &c->base, c->has_base);
    report_file_puts(rf, ",\n     \"new\": ");
    put_side(rf, &c->new_, c->has_new);
    report_file_puts(rf, ",\n     \"reason\": ");
    put_str(rf, c->reason);
    report_file_puts(rf, last ? "}\n" : "},\n");
}

static void put_accuracy(report_file *rf, const compare_accuracy_result *a, int last)
{
    const run_accuracy *n = a->acc, *b = a->base;
    report_file_puts(rf, "    {\"case\": ");
    put_str(rf, a->case_id);
    report_file_puts(rf, ", \"implementation\": ");
    put_str(rf, n->implementation);
    report_file_puts(rf, ", \"angle_mode\": ");
    put_str(rf, run_angle_mode_name(n->angle_mode));
    report_file_puts(rf, ", \"dtype\": ");
    put_str(rf, run_dtype_name(n->dtype));
    report_file_printf(rf, ", \"failed\": %s,\n     \"within_bound\": %s", a->failed ? "true" : "false",
              n->within_bound < 0 ? "null" : n->within_bound ? "true" : "false");
    static const char *const names[] = {"max_err_u", "bound_u", "apply_max_err_u",
                                        "apply_bound_u", "base_max_err_u",
                                        "base_apply_max_err_u", "growth_u", "apply_growth_u",
                                        "max_err_type_ulp", "apply_max_err_type_ulp",
                                        "bound_type_ulp"};
    const double nan = NAN;
    const double values[] = {n->max_err_u, n->bound_u, n->apply_max_err_u, n->apply_bound_u,
                             b ? b->max_err_u : nan, b ? b->apply_max_err_u : nan, a->growth_u,
                             a->apply_growth_u, n->max_err_type_ulp, n->apply_max_err_type_ulp,
                             n->bound_type_ulp};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        report_file_printf(rf, "%s\"%s\": ", i % 4 ? ", " : ",\n     ", names[i]);
        put_num(rf, values[i]);
    }
    report_file_puts(rf, ",\n     \"reason\": ");
    put_str(rf, a->reason);
    report_file_puts(rf, last ? "}\n" : "},\n");
}

int compare_write_json(const char *path, const cmp_run *base, const cmp_run *new_,
                       const compare_options *opt, const compare_result *res)
{
    report_file rf;
    if (report_file_open(&rf, path))
        return -1;
    report_file_printf(&rf, "{\n  \"schema\": \"posenc-compare\",\n  \"schema_version\": %d,\n",
              COMPARE_SCHEMA_VERSION);
    put_run(&rf, "base", base);
    put_run(&rf, "new", new_);
    key(&rf, 2, "metric");
    put_str(&rf, compare_metric_name(opt->metric));
    report_file_puts(&rf, ",\n");
    key(&rf, 2, "relative_to");
    put_str(&rf, opt->metric != METRIC_RELATIVE       ? NULL
                 : opt->reference == REF_MEMPASS ? "mempass"
                                                 : "scalar");
    report_file_puts(&rf, ",\n");
    key(&rf, 2, "threshold");
    put_num(&rf, opt->threshold);
    report_file_puts(&rf, ",\n");
    key(&rf, 2, "alpha");
    put_num(&rf, opt->alpha);
    report_file_puts(&rf, ",\n");
    key(&rf, 2, "filter");
    put_str(&rf, opt->filter);
    report_file_printf(&rf, ",\n  \"dispatched_only\": %s,\n  \"comparable\": %s,\n"
                   "  \"allow_mismatch\": %s,\n  \"mismatches\": [",
              opt->dispatched_only ? "true" : "false", res->comparable ? "true" : "false",
              opt->allow_mismatch ? "true" : "false");
    for (size_t i = 0; i < res->n_mismatches; i++) {
        report_file_puts(&rf, i ? ", " : "");
        put_str(&rf, res->mismatches[i]);
    }
    report_file_puts(&rf, "],\n  \"notes\": [");
    for (size_t i = 0; i < res->n_notes; i++) {
        report_file_puts(&rf, i ? ", " : "");
        put_str(&rf, res->notes[i]);
    }
    report_file_printf(&rf, "],\n  \"compared\": %s,\n  \"counts\": {", res->compared ? "true" : "false");
    for (int v = 0; v < VERDICT_COUNT; v++)
        report_file_printf(&rf, "%s\"%s\": %zu", v ? ", " : "", compare_verdict_name(v), res->counts[v]);
    report_file_puts(&rf, "},\n  \"cases\": [\n");
    for (size_t i = 0; i < res->n_cases; i++)
        put_case(&rf, &res->cases[i], i + 1 == res->n_cases);
    report_file_printf(&rf, "  ],\n  \"accuracy_failures\": %zu,\n  \"accuracy\": [\n",
              res->accuracy_failures);
    for (size_t i = 0; i < res->n_accuracy; i++)
        put_accuracy(&rf, &res->accuracy[i], i + 1 == res->n_accuracy);
    report_file_printf(&rf, "  ],\n  \"exit_code\": %d,\n  \"exit_reason\": ", res->exit_code);
    put_str(&rf, res->exit_reason);
    report_file_puts(&rf, "\n}\n");
    return report_file_commit(&rf);
}
