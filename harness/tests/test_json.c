/* test_json.c - the harness JSON reader (valid documents, numbers, escapes, every error kind
 * with its line and column, the depth limit, lookups) and the JSON Schema checker (each
 * keyword passing and failing, the pointer of the failure, schemas it must refuse). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_read.h"
#include "schema_check.h"

static jread_value *parse(const char *text)
{
    jread_error err;
    jread_value *v = jread_parse(text, strlen(text), 0, &err);
    CHECK(v != NULL, "parse of %s failed: %s", text, err.message);
    return v;
}

/* ---- valid documents ------------------------------------------------------------------------- */

static void test_valid(void)
{
    jread_value *v =
        parse(" \t\r\n{\"a\": [1, true, false, null, \"s\", {}, []], \"b\": {\"c\": -2}}\n");
    if (!v)
        return;
    CHECK(v->type == JREAD_OBJECT && v->n == 2, "root: type %d, %zu members", v->type, v->n);
    CHECK(!strcmp(v->members[0].key, "a") && !strcmp(v->members[1].key, "b"), "member order");
    const jread_value *a = jread_get(v, "a");
    CHECK(a && a->type == JREAD_ARRAY && a->n == 7, "a is an array of 7");
    CHECK(jread_at(a, 1)->type == JREAD_BOOL && jread_at(a, 1)->boolean == 1, "true");
    CHECK(jread_at(a, 2)->type == JREAD_BOOL && jread_at(a, 2)->boolean == 0, "false");
    CHECK(jread_at(a, 3)->type == JREAD_NULL, "null");
    CHECK(!strcmp(jread_string(jread_at(a, 4)), "s"), "string item");
    CHECK(jread_at(a, 5)->type == JREAD_OBJECT && jread_at(a, 5)->n == 0, "empty object");
    CHECK(jread_at(a, 6)->type == JREAD_ARRAY && jread_at(a, 6)->n == 0, "empty array");
    CHECK(jread_at(a, 7) == NULL && jread_at(v, 0) == NULL, "index out of range / not an array");
    CHECK(jread_get(v, "z") == NULL && jread_get(a, "a") == NULL, "missing key / not an object");
    double d = 0;
    CHECK(jread_number(jread_pointer(v, "/b/c"), &d) && d == -2, "/b/c = %g", d);
    CHECK(jread_number(jread_pointer(v, "/a/0"), &d) && d == 1, "/a/0");
    CHECK(jread_pointer(v, "") == v, "empty pointer is the root");
    CHECK(jread_pointer(v, "/a/01") == NULL && jread_pointer(v, "/a/-") == NULL &&
              jread_pointer(v, "/a/7") == NULL && jread_pointer(v, "a") == NULL &&
              jread_pointer(v, "/a/0/x") == NULL,
          "bad pointers name nothing");
    CHECK(jread_string(jread_get(v, "b")) == NULL && !jread_number(jread_get(v, "a"), &d),
          "typed access refuses other types");
    jread_free(v);

    v = parse("{\"a/b\": {\"m~n\": 7}, \"\": 1}");
    if (v) {
        CHECK(jread_number(jread_pointer(v, "/a~1b/m~0n"), &d) && d == 7, "~0 ~1 in pointers");
        CHECK(jread_number(jread_pointer(v, "/"), &d) && d == 1, "\"/\" names the empty key");
        CHECK(jread_pointer(v, "/a~2b") == NULL, "~2 is not an escape");
        jread_free(v);
    }
    const char *scalars[] = {"0", "\"\"", "true", "null", " 1 "};
    for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
        jread_free(parse(scalars[i]));
}

static void test_numbers(void)
{
    static const struct {
        const char *text;
        double value;
        int is_integer;
        int64_t integer;
    } cases[] = {
        {"0", 0, 1, 0},
        {"-0", -0.0, 1, 0},
        {"17", 17, 1, 17},
        {"-17", -17, 1, -17},
        {"1.5", 1.5, 0, 0},
        {"1.0", 1.0, 0, 0},
        {"1e3", 1000, 0, 0},
        {"1E+3", 1000, 0, 0},
        {"-2.5e-3", -2.5e-3, 0, 0},
        {"0.1", 0.1, 0, 0},
        {"1.7976931348623157e308", 1.7976931348623157e308, 0, 0},
        {"4.9406564584124654e-324", 4.9406564584124654e-324, 0, 0},
        {"1e-400", 0, 0, 0}, /* underflow rounds to zero: representable, not an error */
        {"9007199254740993", 9007199254740992.0, 1, INT64_C(9007199254740993)},
        {"9223372036854775807", 9223372036854775807.0, 1, INT64_MAX},
        {"-9223372036854775808", -9223372036854775808.0, 1, INT64_MIN},
        {"9223372036854775808", 9223372036854775808.0, 0, 0},
        {"18446744073709551616", 18446744073709551616.0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        jread_value *v = parse(cases[i].text);
        if (!v)
            continue;
        CHECK(v->type == JREAD_NUMBER && v->number == cases[i].value &&
                  signbit(v->number) == signbit(cases[i].value),
              "%s: %.17g", cases[i].text, v->number);
        CHECK(v->is_integer == cases[i].is_integer, "%s: is_integer %d", cases[i].text,
              v->is_integer);
        if (cases[i].is_integer)
            CHECK(v->integer == cases[i].integer, "%s: integer %lld", cases[i].text,
                  (long long)v->integer);
        jread_free(v);
    }
}

static void test_strings(void)
{
    static const struct {
        const char *text;
        const char *bytes;
        size_t len;
    } cases[] = {
        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8},
        {"\"\\u0041\\u00e9\\u20AC\"", "A\xC3\xA9\xE2\x82\xAC", 6},
        {"\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80", 4},
        {"\"\\udbff\\udfff\"", "\xF4\x8F\xBF\xBF", 4},
        {"\"a\\u0000b\"", "a\0b", 3},
        {"\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x7F\"",
         "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\x7F", 10},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        jread_value *v = parse(cases[i].text);
        if (!v)
            continue;
        CHECK(v->type == JREAD_STRING && v->len == cases[i].len &&
                  !memcmp(v->string, cases[i].bytes, cases[i].len) && v->string[v->len] == 0,
              "string %zu: %zu bytes", i, v->len);
        jread_free(v);
    }
    jread_value *v = parse("{\"k\\u00e9y\": 1, \"a\\u0000b\": 2}");
    if (v) {
        CHECK(jread_get(v, "k\xC3\xA9y") != NULL, "escaped key");
        CHECK(jread_get_n(v, "a\0b", 3) != NULL && jread_get(v, "a") == NULL, "key with NUL");
        jread_free(v);
    }
    uint32_t cp = 0;
    CHECK(jread_utf8_decode((const unsigned char *)"\xE2\x82\xAC", 3, &cp) == 3 && cp == 0x20AC,
          "decode U+20AC");
    CHECK(jread_utf8_decode((const unsigned char *)"\xE2\x82\xAC", 2, &cp) == 0,
          "a truncated sequence is invalid");
    CHECK(jread_utf8_decode((const unsigned char *)"\x80", 1, &cp) == 0, "stray continuation");
    CHECK(jread_utf8_decode((const unsigned char *)"\xE0\x80\x80", 3, &cp) == 0, "overlong");
}

/* ---- errors ---------------------------------------------------------------------------------- */

static void test_errors(void)
{
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        jread_errcode code;
        size_t line, column;
    } cases[] = {
        {"", 0, JREAD_ERR_EOF, 1, 1},
        {"  \n ", 0, JREAD_ERR_EOF, 2, 2},
        {"[1,2", 0, JREAD_ERR_EOF, 1, 5},
        {"{\"a\":1", 0, JREAD_ERR_EOF, 1, 7},
        {"{\"a\"", 0, JREAD_ERR_EOF, 1, 5},
        {"\"abc", 0, JREAD_ERR_EOF, 1, 5},
        {"\"ab\\", 0, JREAD_ERR_EOF, 1, 5},
        {"tru", 0, JREAD_ERR_EOF, 1, 4},
        {"[1 2]", 0, JREAD_ERR_SYNTAX, 1, 4},
        {"{\"a\" 1}", 0, JREAD_ERR_SYNTAX, 1, 6},
        {"{1:2}", 0, JREAD_ERR_SYNTAX, 1, 2},
        {"[1,]", 0, JREAD_ERR_SYNTAX, 1, 4},
        {"{\"a\":1,}", 0, JREAD_ERR_SYNTAX, 1, 8},
        {"{\"a\":1 \"b\":2}", 0, JREAD_ERR_SYNTAX, 1, 8},
        {"[\n  nul]", 0, JREAD_ERR_SYNTAX, 2, 3},
        {"[True]", 0, JREAD_ERR_SYNTAX, 1, 2},
        {"NaN", 0, JREAD_ERR_SYNTAX, 1, 1},
        {"-Infinity", 0, JREAD_ERR_NUMBER, 1, 2},
        {".5", 0, JREAD_ERR_SYNTAX, 1, 1},
        {"+1", 0, JREAD_ERR_SYNTAX, 1, 1},
        {"\xEF\xBB\xBF{}", 0, JREAD_ERR_SYNTAX, 1, 1}, /* a byte order mark */
        {"[1,\0]", 5, JREAD_ERR_SYNTAX, 1, 4},
        {"[\"\xC3\xA9\", x]", 0, JREAD_ERR_SYNTAX, 1, 7}, /* columns count characters */
        {"[1,\r\n 2,\r\n x]", 0, JREAD_ERR_SYNTAX, 3, 2},
        {"01", 0, JREAD_ERR_NUMBER, 1, 1},
        {"[-01]", 0, JREAD_ERR_NUMBER, 1, 2},
        {"-", 0, JREAD_ERR_NUMBER, 1, 2},
        {"[1.]", 0, JREAD_ERR_NUMBER, 1, 4},
        {"1.e5", 0, JREAD_ERR_NUMBER, 1, 3},
        {"1e+", 0, JREAD_ERR_NUMBER, 1, 4},
        {"[1e400]", 0, JREAD_ERR_NUMBER, 1, 2},
        {"-1e999", 0, JREAD_ERR_NUMBER, 1, 1},
        {"\"a\tb\"", 0, JREAD_ERR_CONTROL, 1, 3},
        {"[\n\"\n\"]", 0, JREAD_ERR_CONTROL, 2, 2},
        {"\"\\x\"", 0, JREAD_ERR_ESCAPE, 1, 2},
        {"\"\\u12G4\"", 0, JREAD_ERR_ESCAPE, 1, 2},
        {"\"\\u12\"", 0, JREAD_ERR_ESCAPE, 1, 2},
        {"\"\\U0041\"", 0, JREAD_ERR_ESCAPE, 1, 2},
        {"\"ab\\uD800\\uZZZZ\"", 0, JREAD_ERR_ESCAPE, 1, 10},
        {"\"\\uDC00\"", 0, JREAD_ERR_SURROGATE, 1, 2},
        {"\"x\\uD800\"", 0, JREAD_ERR_SURROGATE, 1, 3},
        {"\"\\uD800\\u0041\"", 0, JREAD_ERR_SURROGATE, 1, 2},
        {"\"\\uD800\\uD800\"", 0, JREAD_ERR_SURROGATE, 1, 2},
        {"\"\xC3\x28\"", 0, JREAD_ERR_UTF8, 1, 2},
        {"\"\xC0\xAF\"", 0, JREAD_ERR_UTF8, 1, 2},
        {"\"\xED\xA0\x80\"", 0, JREAD_ERR_UTF8, 1, 2},
        {"\"\xF4\x90\x80\x80\"", 0, JREAD_ERR_UTF8, 1, 2},
        {"\"\xE2\x82\"", 0, JREAD_ERR_UTF8, 1, 2},
        {"\"\xFF\"", 0, JREAD_ERR_UTF8, 1, 2},
        {"{} x", 0, JREAD_ERR_TRAILING, 1, 4},
        {"[1]]", 0, JREAD_ERR_TRAILING, 1, 4},
        {"truex", 0, JREAD_ERR_TRAILING, 1, 5},
        {"1 2", 0, JREAD_ERR_TRAILING, 1, 3},
        {"{\"a\":1,\n \"a\":2}", 0, JREAD_ERR_DUPLICATE, 2, 2},
        {"{\"\\u0061\":1,\"a\":2}", 0, JREAD_ERR_DUPLICATE, 1, 13},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *t = cases[i].text;
        size_t len = cases[i].len ? cases[i].len : strlen(t);
        jread_error err;
        jread_value *v = jread_parse(t, len, 0, &err);
        CHECK(v == NULL, "case %zu was accepted", i);
        jread_free(v);
        if (v)
            continue;
        CHECK(err.code == cases[i].code && err.line == cases[i].line &&
                  err.column == cases[i].column,
              "case %zu: code %d at %zu:%zu, expected %d at %zu:%zu (%s)", i, err.code, err.line,
              err.column, cases[i].code, cases[i].line, cases[i].column, err.message);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "line %zu, column %zu: ", err.line, err.column);
        CHECK(!strncmp(err.message, prefix, strlen(prefix)) &&
                  strlen(err.message) > strlen(prefix) && !strchr(err.message, '\n'),
              "case %zu: message '%s'", i, err.message);
    }
    /* no error structure: still refused, nothing written anywhere */
    CHECK(jread_parse("[", 1, 0, NULL) == NULL, "NULL err");

    jread_error err;
    CHECK(jread_parse_file("/nonexistent-dir/x.json", 0, &err) == NULL &&
              err.code == JREAD_ERR_IO && strstr(err.message, "/nonexistent-dir/x.json") &&
              strstr(err.message, "No such file"),
          "missing file: %s", err.message);
}

/* n nested arrays around a 0, with max_depth as given */
static jread_value *nested(int n, int max_depth, jread_error *err)
{
    char *t = malloc((size_t)2 * (size_t)n + 2);
    for (int i = 0; i < n; i++) {
        t[i] = '[';
        t[n + 1 + i] = ']';
    }
    t[n] = '0';
    t[2 * n + 1] = '\0';
    jread_value *v = jread_parse(t, strlen(t), max_depth, err);
    free(t);
    return v;
}

static void test_depth(void)
{
    jread_error err;
    jread_value *v;
    CHECK((v = nested(4, 4, &err)) != NULL, "depth 4 of 4: %s", err.message);
    jread_free(v);
    CHECK((v = nested(5, 4, &err)) == NULL && err.code == JREAD_ERR_DEPTH && err.column == 5,
          "depth 5 of 4: code %d column %zu", err.code, err.column);
    jread_free(v);
    CHECK((v = nested(JREAD_DEFAULT_MAX_DEPTH, 0, &err)) != NULL, "default depth: %s",
          err.message);
    jread_free(v);
    CHECK((v = nested(JREAD_DEFAULT_MAX_DEPTH + 1, 0, &err)) == NULL &&
              err.code == JREAD_ERR_DEPTH,
          "beyond the default depth");
    jread_free(v);
    CHECK((v = nested(JREAD_MAX_DEPTH_LIMIT, 1 << 30, &err)) != NULL, "depth at the limit");
    jread_free(v);
    CHECK((v = nested(JREAD_MAX_DEPTH_LIMIT + 1, 1 << 30, &err)) == NULL &&
              err.code == JREAD_ERR_DEPTH,
          "a huge max_depth is clamped");
    jread_free(v);
    /* a hundred thousand levels must fail cleanly, not overflow the stack */
    CHECK((v = nested(100000, 0, &err)) == NULL && err.code == JREAD_ERR_DEPTH, "deep input");
    jread_free(v);
    const char *objects = "{\"a\":{\"a\":{\"a\":1}}}";
    CHECK((v = jread_parse(objects, strlen(objects), 2, &err)) == NULL &&
              err.code == JREAD_ERR_DEPTH && err.column == 11,
          "objects count as levels too: column %zu", err.column);
    jread_free(v);
}

static void test_equal(void)
{
    jread_value *a = parse("{\"x\": [1, 2.5, \"s\", null, true], \"y\": {\"z\": 1}}");
    jread_value *b = parse("{\"y\": {\"z\": 1.0}, \"x\": [1.0, 25e-1, \"s\", null, true]}");
    jread_value *c = parse("{\"y\": {\"z\": 1}, \"x\": [1, 2.5, \"s\", null, false]}");
    jread_value *d = parse("{\"y\": {\"z\": 1}, \"x\": [1, 2.5, \"s\", null]}");
    if (a && b && c && d) {
        CHECK(jread_equal(a, b) && jread_equal(b, a), "equal regardless of order and spelling");
        CHECK(!jread_equal(a, c) && !jread_equal(a, d), "different values, different lengths");
    }
    jread_free(a);
    jread_free(b);
    jread_free(c);
    jread_free(d);
}

/* ---- the schema checker ---------------------------------------------------------------------- */

/* Check doc against schema; expect the result and, for failures, the pointer and a piece of the
 * reason. */
static void expect(const char *schema_text, const char *doc_text, schema_result want,
                   const char *pointer, const char *reason_part)
{
    jread_value *s = parse(schema_text), *d = parse(doc_text);
    if (s && d) {
        schema_error err;
        schema_result r = schema_check(s, d, &err);
        CHECK(r == want, "%s against %s: %d, expected %d (%s: %s)", doc_text, schema_text, r, want,
              err.pointer, err.reason);
        if (r == want && want != SCHEMA_VALID) {
            CHECK(!strcmp(err.pointer, pointer), "%s against %s: pointer '%s', expected '%s'",
                  doc_text, schema_text, err.pointer, pointer);
            CHECK(strstr(err.reason, reason_part) != NULL,
                  "%s against %s: reason '%s' lacks '%s'", doc_text, schema_text, err.reason,
                  reason_part);
        }
    }
    jread_free(s);
    jread_free(d);
}

#define OK(s, d) expect(s, d, SCHEMA_VALID, "", "")
#define BAD(s, d, ptr, why) expect(s, d, SCHEMA_INVALID, ptr, why)
#define BAD_SCHEMA(s, ptr, why) expect(s, "null", SCHEMA_BAD_SCHEMA, ptr, why)

static void test_schema(void)
{
    /* type */
    OK("{\"type\": \"number\"}", "1.5");
    OK("{\"type\": \"string\"}", "\"x\"");
    OK("{\"type\": \"boolean\"}", "false");
    OK("{\"type\": \"null\"}", "null");
    OK("{\"type\": \"object\"}", "{}");
    OK("{\"type\": \"array\"}", "[]");
    BAD("{\"type\": \"number\"}", "\"1\"", "", "expected number, found string");
    BAD("{\"type\": \"object\"}", "[]", "", "found array");
    OK("{\"type\": [\"number\", \"null\"]}", "null");
    OK("{\"type\": [\"number\", \"null\"]}", "3");
    BAD("{\"type\": [\"number\", \"null\"]}", "true", "", "expected number or null, found boolean");
    /* integer: any number without a fraction */
    OK("{\"type\": \"integer\"}", "3");
    OK("{\"type\": \"integer\"}", "3.0");
    OK("{\"type\": \"integer\"}", "1e3");
    OK("{\"type\": \"integer\"}", "18446744073709551615");
    BAD("{\"type\": \"integer\"}", "3.5", "", "found the number 3.5");
    OK("{\"type\": \"number\"}", "7");
    /* properties, required, additionalProperties */
    const char *obj = "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}, "
                      "\"b\": {\"type\": \"number\"}}, \"required\": [\"a\"]}";
    OK(obj, "{\"a\": \"x\"}");
    OK(obj, "{\"a\": \"x\", \"b\": 2, \"c\": null}");
    BAD(obj, "{\"a\": 1}", "/a", "expected string");
    BAD(obj, "{\"b\": 1}", "", "required member \"a\" is missing");
    BAD(obj, "{\"a\": \"x\", \"b\": \"y\"}", "/b", "expected number");
    const char *closed = "{\"properties\": {\"a\": true}, \"additionalProperties\": false}";
    OK(closed, "{\"a\": [1]}");
    OK(closed, "{}");
    BAD(closed, "{\"a\": 1, \"zz\": 2}", "/zz", "member \"zz\" is not allowed");
    const char *typed = "{\"properties\": {\"a\": true}, \"additionalProperties\": "
                        "{\"type\": \"number\"}}";
    OK(typed, "{\"a\": \"x\", \"n\": 2}");
    BAD(typed, "{\"n\": \"x\"}", "/n", "expected number");
    OK("{\"additionalProperties\": true}", "{\"q\": 1}");
    OK("{\"required\": [\"a\"]}", "3"); /* object keywords ignore other types */
    /* items, minItems, maxItems */
    const char *arr = "{\"type\": \"array\", \"items\": {\"type\": \"number\"}, \"minItems\": 2, "
                      "\"maxItems\": 3}";
    OK(arr, "[1, 2]");
    OK(arr, "[1, 2, 3]");
    BAD(arr, "[1, \"x\"]", "/1", "expected number");
    BAD(arr, "[1]", "", "fewer than minItems 2");
    BAD(arr, "[1, 2, 3, 4]", "", "more than maxItems 3");
    /* enum and const */
    const char *en = "{\"enum\": [\"ok\", \"skipped\", 1, null, [1], {\"a\": 1}]}";
    OK(en, "\"ok\"");
    OK(en, "1.0");
    OK(en, "null");
    OK(en, "[1]");
    OK(en, "{\"a\": 1}");
    BAD(en, "\"error\"", "", "\"error\" is not one of the enum values");
    BAD(en, "[2]", "", "not one of the enum values");
    OK("{\"const\": \"posenc-run\"}", "\"posenc-run\"");
    OK("{\"const\": 1}", "1");
    BAD("{\"const\": 1}", "2", "", "expected 1, found 2");
    BAD("{\"const\": \"a\"}", "\"b\"", "", "expected \"a\", found \"b\"");
    BAD("{\"const\": null}", "false", "", "expected null");
    /* minimum and maximum: inclusive, numbers only */
    const char *range = "{\"minimum\": 0, \"maximum\": 10}";
    OK(range, "0");
    OK(range, "10");
    OK(range, "\"not a number\"");
    BAD(range, "-0.5", "", "-0.5 is below the minimum 0");
    BAD(range, "10.25", "", "above the maximum 10");
    /* boolean schemas */
    OK("true", "{\"anything\": [1]}");
    BAD("false", "1", "", "no value is allowed");
    /* the pointer: nested, escaped, first failure in document order */
    const char *deep = "{\"properties\": {\"a/b~c\": {\"items\": {\"properties\": {\"v\": "
                       "{\"type\": \"number\"}}}}}}";
    BAD(deep, "{\"a/b~c\": [{\"v\": 1}, {\"v\": 1}, {\"v\": \"x\"}]}", "/a~1b~0c/2/v",
        "expected number");
    BAD("{\"additionalProperties\": {\"type\": \"null\"}}", "{\"p\": null, \"q\": 1, \"r\": 2}",
        "/q", "expected null");
    /* annotations are ignored */
    OK("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"$id\": \"x\", "
       "\"title\": \"t\", \"description\": \"d\", \"$comment\": \"c\"}",
       "1");
    /* schemas the checker refuses, even where the document has nothing for them to judge */
    BAD_SCHEMA("{\"pattern\": \"^a\"}", "/pattern", "unsupported keyword \"pattern\"");
    BAD_SCHEMA("{\"items\": {\"items\": {\"minLength\": 1}}}", "/items/items/minLength",
               "unsupported keyword");
    BAD_SCHEMA("{\"properties\": {\"a\": {\"$ref\": \"#/x\"}}}", "/properties/a/$ref",
               "unsupported keyword");
    BAD_SCHEMA("{\"type\": \"int\"}", "/type", "type name");
    BAD_SCHEMA("{\"type\": []}", "/type", "type name");
    BAD_SCHEMA("{\"type\": [\"number\", 1]}", "/type", "type name");
    BAD_SCHEMA("{\"required\": \"a\"}", "/required", "array of strings");
    BAD_SCHEMA("{\"required\": [1]}", "/required", "array of strings");
    BAD_SCHEMA("{\"properties\": []}", "/properties", "must be an object");
    BAD_SCHEMA("{\"additionalProperties\": 0}", "/additionalProperties", "object or a boolean");
    BAD_SCHEMA("{\"enum\": \"a\"}", "/enum", "must be an array");
    BAD_SCHEMA("{\"minimum\": \"0\"}", "/minimum", "must be a number");
    BAD_SCHEMA("{\"minItems\": -1}", "/minItems", "non-negative integer");
    BAD_SCHEMA("{\"maxItems\": 1.5}", "/maxItems", "non-negative integer");
    BAD_SCHEMA("[]", "", "object or a boolean");

    /* the file form, and its printed line */
    schema_error err;
    CHECK(schema_check_files("/nonexistent-dir/s.json", "/nonexistent-dir/d.json", &err) ==
                  SCHEMA_BAD_INPUT &&
              strstr(err.reason, "/nonexistent-dir/s.json"),
          "missing schema file: %s", err.reason);
}

int main(void)
{
    test_valid();
    test_numbers();
    test_strings();
    test_errors();
    test_depth();
    test_equal();
    test_schema();
    return tests_exit_code("test_json");
}
