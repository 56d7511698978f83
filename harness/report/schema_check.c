/* schema_check.c - the JSON Schema subset of schema_check.h: a pass over the schema that refuses
 * what it cannot enforce, then the check of a document, stopping at the first failure. */
#include "schema_check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The JSON pointer of the value being looked at, grown and cut back as the walk descends. */
typedef struct where {
    char s[sizeof ((schema_error *)0)->pointer - 3]; /* room left for "..." */
    size_t n;
    int truncated;
} where;

static size_t where_push(where *w, const char *token, size_t len)
{
    size_t saved = w->n;
    char buf[sizeof w->s];
    size_t k = 0;
    buf[k++] = '/';
    for (size_t i = 0; i < len && k + 2 < sizeof buf; i++) {
        if (token[i] == '~' || token[i] == '/') {
            buf[k++] = '~';
            buf[k++] = token[i] == '~' ? '0' : '1';
        } else {
            buf[k++] = token[i];
        }
    }
    if (w->n + k + 4 >= sizeof w->s) {
        w->truncated = 1;
        return saved;
    }
    memcpy(w->s + w->n, buf, k);
    w->n += k;
    w->s[w->n] = '\0';
    return saved;
}

static size_t where_push_index(where *w, size_t i)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%zu", i);
    return where_push(w, buf, (size_t)n);
}

static void where_pop(where *w, size_t saved)
{
    w->n = saved;
    w->s[saved] = '\0';
}

static schema_result report(schema_result r, const where *w, schema_error *err, const char *fmt,
                            ...)
{
    if (!err)
        return r;
    snprintf(err->pointer, sizeof err->pointer, "%s%s", w->s, w->truncated ? "..." : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->reason, sizeof err->reason, fmt, ap);
    va_end(ap);
    return r;
}

/* A value as a reason names it: scalars in full (strings cut at 60 bytes), containers by type. */
static const char *show(const jread_value *v, char *buf, size_t size)
{
    switch (v->type) {
    case JREAD_NULL:
        snprintf(buf, size, "null");
        break;
    case JREAD_BOOL:
        snprintf(buf, size, "%s", v->boolean ? "true" : "false");
        break;
    case JREAD_NUMBER:
        if (v->is_integer)
            snprintf(buf, size, "%lld", (long long)v->integer);
        else
            snprintf(buf, size, "%.17g", v->number);
        break;
    case JREAD_STRING:
        snprintf(buf, size, "\"%.60s%s\"", v->string, v->len > 60 ? "..." : "");
        break;
    case JREAD_ARRAY:
        snprintf(buf, size, "an array");
        break;
    case JREAD_OBJECT:
        snprintf(buf, size, "an object");
        break;
    }
    return buf;
}

static const char *const type_names[] = {"null",   "boolean", "object", "array",
                                         "number", "string",  "integer"};

static int known_type(const jread_value *t)
{
    if (t->type != JREAD_STRING)
        return 0;
    for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
        if (!strcmp(t->string, type_names[i]))
            return 1;
    return 0;
}

static int is_count(const jread_value *v)
{
    return v->type == JREAD_NUMBER && v->number >= 0 && floor(v->number) == v->number;
}

/* ---- the schema itself -------------------------------------------------------------------- */

static schema_result lint(const jread_value *s, where *w, schema_error *err)
{
    if (s->type == JREAD_BOOL)
        return SCHEMA_VALID;
    if (s->type != JREAD_OBJECT)
        return report(SCHEMA_BAD_SCHEMA, w, err, "a schema must be an object or a boolean");
    for (size_t i = 0; i < s->n; i++) {
        const char *k = s->members[i].key;
        const jread_value *v = &s->members[i].value;
        size_t saved = where_push(w, k, s->members[i].key_len);
        schema_result r = SCHEMA_VALID;
        if (!strcmp(k, "$schema") || !strcmp(k, "$id") || !strcmp(k, "$comment") ||
            !strcmp(k, "title") || !strcmp(k, "description")) {
            /* annotations */
        } else if (!strcmp(k, "type")) {
            int ok = known_type(v);
            if (v->type == JREAD_ARRAY) {
                ok = v->n > 0;
                for (size_t t = 0; t < v->n && ok; t++)
                    ok = known_type(&v->items[t]);
            }
            if (!ok)
                r = report(SCHEMA_BAD_SCHEMA, w, err,
                           "\"type\" must be a type name or a non-empty array of them");
        } else if (!strcmp(k, "properties")) {
            if (v->type != JREAD_OBJECT)
                r = report(SCHEMA_BAD_SCHEMA, w, err, "\"properties\" must be an object");
            for (size_t p = 0; p < v->n && r == SCHEMA_VALID; p++) {
                size_t inner = where_push(w, v->members[p].key, v->members[p].key_len);
                r = lint(&v->members[p].value, w, err);
                where_pop(w, inner);
            }
        } else if (!strcmp(k, "required")) {
            int ok = v->type == JREAD_ARRAY;
            for (size_t t = 0; ok && t < v->n; t++)
                ok = v->items[t].type == JREAD_STRING;
            if (!ok)
                r = report(SCHEMA_BAD_SCHEMA, w, err, "\"required\" must be an array of strings");
        } else if (!strcmp(k, "additionalProperties") || !strcmp(k, "items")) {
            r = lint(v, w, err);
        } else if (!strcmp(k, "enum")) {
            if (v->type != JREAD_ARRAY)
                r = report(SCHEMA_BAD_SCHEMA, w, err, "\"enum\" must be an array");
        } else if (!strcmp(k, "const")) {
            /* any value */
        } else if (!strcmp(k, "minimum") || !strcmp(k, "maximum")) {
            if (v->type != JREAD_NUMBER)
                r = report(SCHEMA_BAD_SCHEMA, w, err, "\"%s\" must be a number", k);
        } else if (!strcmp(k, "minItems") || !strcmp(k, "maxItems")) {
            if (!is_count(v))
                r = report(SCHEMA_BAD_SCHEMA, w, err, "\"%s\" must be a non-negative integer", k);
        } else {
            r = report(SCHEMA_BAD_SCHEMA, w, err, "unsupported keyword \"%s\"", k);
        }
        where_pop(w, saved);
        if (r != SCHEMA_VALID)
            return r;
    }
    return SCHEMA_VALID;
}

/* ---- the document ------------------------------------------------------------------------- */

static int has_type(const jread_value *v, const char *t)
{
    if (!strcmp(t, "integer"))
        return v->type == JREAD_NUMBER && (v->is_integer || floor(v->number) == v->number);
    return !strcmp(t, jread_type_name(v->type));
}

static schema_result check_type(const jread_value *t, const jread_value *v, const where *w,
                                schema_error *err)
{
    char names[160] = "", shown[96];
    if (t->type == JREAD_STRING) {
        if (has_type(v, t->string))
            return SCHEMA_VALID;
        snprintf(names, sizeof names, "%s", t->string);
    } else {
        size_t n = 0;
        for (size_t i = 0; i < t->n; i++) {
            if (has_type(v, t->items[i].string))
                return SCHEMA_VALID;
            int k = snprintf(names + n, sizeof names - n, "%s%s",
                             i == 0 ? "" : i + 1 == t->n ? " or " : ", ", t->items[i].string);
            if (k > 0 && n + (size_t)k < sizeof names)
                n += (size_t)k;
        }
    }
    if (v->type == JREAD_NUMBER) /* an "integer" with a fraction: show which */
        return report(SCHEMA_INVALID, w, err, "expected %s, found the number %s", names,
                      show(v, shown, sizeof shown));
    return report(SCHEMA_INVALID, w, err, "expected %s, found %s", names,
                  jread_type_name(v->type));
}

static schema_result check(const jread_value *s, const jread_value *v, where *w,
                           schema_error *err);

static schema_result check_object(const jread_value *s, const jread_value *v, where *w,
                                  schema_error *err)
{
    const jread_value *req = jread_get(s, "required");
    for (size_t i = 0; req && i < req->n; i++)
        if (!jread_get_n(v, req->items[i].string, req->items[i].len))
            return report(SCHEMA_INVALID, w, err, "required member \"%s\" is missing",
                          req->items[i].string);
    const jread_value *props = jread_get(s, "properties");
    const jread_value *extra = jread_get(s, "additionalProperties");
    for (size_t i = 0; i < v->n; i++) {
        const jread_member *m = &v->members[i];
        const jread_value *sub = jread_get_n(props, m->key, m->key_len);
        if (!sub)
            sub = extra;
        if (!sub)
            continue;
        size_t saved = where_push(w, m->key, m->key_len);
        schema_result r;
        if (sub->type == JREAD_BOOL && !sub->boolean)
            r = report(SCHEMA_INVALID, w, err, "member \"%s\" is not allowed here", m->key);
        else
            r = check(sub, &m->value, w, err);
        where_pop(w, saved);
        if (r != SCHEMA_VALID)
            return r;
    }
    return SCHEMA_VALID;
}

static schema_result check(const jread_value *s, const jread_value *v, where *w,
                           schema_error *err)
{
    char a[96], b[96];
    if (s->type == JREAD_BOOL)
        return s->boolean ? SCHEMA_VALID
                          : report(SCHEMA_INVALID, w, err, "no value is allowed here");
    const jread_value *k;
    schema_result r;
    if ((k = jread_get(s, "type")) && (r = check_type(k, v, w, err)) != SCHEMA_VALID)
        return r;
    if ((k = jread_get(s, "const")) && !jread_equal(k, v))
        return report(SCHEMA_INVALID, w, err, "expected %s, found %s", show(k, a, sizeof a),
                      show(v, b, sizeof b));
    if ((k = jread_get(s, "enum"))) {
        size_t i = 0;
        while (i < k->n && !jread_equal(&k->items[i], v))
            i++;
        if (i == k->n)
            return report(SCHEMA_INVALID, w, err, "%s is not one of the enum values",
                          show(v, b, sizeof b));
    }
    if (v->type == JREAD_NUMBER) {
        if ((k = jread_get(s, "minimum")) && v->number < k->number)
            return report(SCHEMA_INVALID, w, err, "%s is below the minimum %s",
                          show(v, b, sizeof b), show(k, a, sizeof a));
        if ((k = jread_get(s, "maximum")) && v->number > k->number)
            return report(SCHEMA_INVALID, w, err, "%s is above the maximum %s",
                          show(v, b, sizeof b), show(k, a, sizeof a));
    }
    if (v->type == JREAD_ARRAY) {
        if ((k = jread_get(s, "minItems")) && (double)v->n < k->number)
            return report(SCHEMA_INVALID, w, err, "%zu items, fewer than minItems %s", v->n,
                          show(k, a, sizeof a));
        if ((k = jread_get(s, "maxItems")) && (double)v->n > k->number)
            return report(SCHEMA_INVALID, w, err, "%zu items, more than maxItems %s", v->n,
                          show(k, a, sizeof a));
        if ((k = jread_get(s, "items"))) {
            for (size_t i = 0; i < v->n; i++) {
                size_t saved = where_push_index(w, i);
                r = check(k, &v->items[i], w, err);
                where_pop(w, saved);
                if (r != SCHEMA_VALID)
                    return r;
            }
        }
    }
    if (v->type == JREAD_OBJECT)
        return check_object(s, v, w, err);
    return SCHEMA_VALID;
}

schema_result schema_check(const jread_value *schema, const jread_value *instance,
                           schema_error *err)
{
    where w = {{0}, 0, 0};
    if (err)
        memset(err, 0, sizeof *err);
    schema_result r = lint(schema, &w, err);
    if (r != SCHEMA_VALID)
        return r;
    return check(schema, instance, &w, err);
}

schema_result schema_check_files(const char *schema_path, const char *json_path,
                                 schema_error *err)
{
    jread_error perr;
    schema_result r = SCHEMA_BAD_INPUT;
    jread_value *doc = NULL, *schema = jread_parse_file(schema_path, 0, &perr);
    if (schema)
        doc = jread_parse_file(json_path, 0, &perr);
    if (schema && doc) {
        r = schema_check(schema, doc, err);
    } else if (err) {
        snprintf(err->pointer, sizeof err->pointer, "%s", "");
        snprintf(err->reason, sizeof err->reason, "%s", perr.message);
    }
    jread_free(doc);
    jread_free(schema);
    return r;
}

void schema_error_print(FILE *f, const char *json_name, schema_result r, const schema_error *err)
{
    switch (r) {
    case SCHEMA_VALID:
        fprintf(f, "%s: valid\n", json_name);
        break;
    case SCHEMA_INVALID:
        fprintf(f, "%s: %s: %s\n", json_name, err->pointer[0] ? err->pointer : "(root)",
                err->reason);
        break;
    case SCHEMA_BAD_SCHEMA:
        fprintf(f, "schema %s: %s\n", err->pointer[0] ? err->pointer : "(root)", err->reason);
        break;
    case SCHEMA_BAD_INPUT:
        fprintf(f, "%s\n", err->reason);
        break;
    }
}
