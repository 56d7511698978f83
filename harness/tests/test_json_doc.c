/* test_json_doc.c - the harness's JSON reading through jansson (harness/util/json_doc.h): what
 * RFC 8259 refuses is refused with one line naming the document, line and column; duplicate
 * members, deep nesting and files that are not regular files are refused cleanly; JSON pointers
 * name what RFC 6901 says. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_doc.h"

static json_t *parse(const char *text)
{
    char why[320];
    json_t *v = json_doc_parse(text, strlen(text), "t", why, sizeof why);
    CHECK(v != NULL, "parse of %s failed: %s", text, why);
    return v;
}

static void test_valid(void)
{
    json_t *v = parse(" \t\r\n{\"b\": {\"c\": -2}, \"a\": [1, true, 2.5, null, \"s\", {}, []]}\n");
    if (!v)
        return;
    /* members keep the document's order (the models file's entries are read in it) */
    const char *key;
    json_t *value;
    const char *order[2];
    size_t n = 0;
    json_object_foreach(v, key, value) if (n < 2) order[n++] = key;
    CHECK(n == 2 && !strcmp(order[0], "b") && !strcmp(order[1], "a"), "member order");
    double d = 0;
    CHECK(json_doc_number(json_doc_pointer(v, "/b/c"), &d) && d == -2, "/b/c = %g", d);
    CHECK(json_doc_number(json_doc_pointer(v, "/a/2"), &d) && d == 2.5, "/a/2 = %g", d);
    CHECK(json_is_integer(json_doc_pointer(v, "/a/0")) && json_is_real(json_doc_pointer(v, "/a/2")),
          "integers and reals");
    CHECK(json_doc_pointer(v, "") == v, "empty pointer is the root");
    CHECK(json_doc_pointer(v, "/a/01") == NULL && json_doc_pointer(v, "/a/-") == NULL &&
              json_doc_pointer(v, "/a/7") == NULL && json_doc_pointer(v, "a") == NULL &&
              json_doc_pointer(v, "/a/0/x") == NULL && json_doc_pointer(v, "/a/") == NULL,
          "bad pointers name nothing");
    CHECK(!json_doc_number(json_doc_pointer(v, "/a/4"), &d) && d == 2.5,
          "a string is not a number, *out untouched");
    CHECK(!strcmp(json_doc_type_name(json_doc_pointer(v, "/a/1")), "boolean") &&
              !strcmp(json_doc_type_name(json_doc_pointer(v, "/a/0")), "number") &&
              !strcmp(json_doc_type_name(json_doc_pointer(v, "/a/3")), "null") &&
              !strcmp(json_doc_type_name(NULL), "missing"),
          "type names");
    json_decref(v);

    v = parse("{\"a/b\": {\"m~n\": 7}, \"\": 1}");
    if (v) {
        CHECK(json_doc_number(json_doc_pointer(v, "/a~1b/m~0n"), &d) && d == 7, "~0 ~1");
        CHECK(json_doc_number(json_doc_pointer(v, "/"), &d) && d == 1, "\"/\": the empty key");
        CHECK(json_doc_pointer(v, "/a~2b") == NULL, "~2 is not an escape");
        json_decref(v);
    }
    /* an integer past int64_t reads as its nearest double; the others stay exact integers */
    v = parse("[18446744073709551615, 9007199254740993, -99999999999999999999, 1,"
              " 18446744073709551616]");
    if (v) {
        CHECK(json_is_real(json_array_get(v, 0)) &&
                  json_real_value(json_array_get(v, 0)) == 0x1p64 &&
                  json_is_integer(json_array_get(v, 1)) &&
                  json_integer_value(json_array_get(v, 1)) == (json_int_t)9007199254740993LL &&
                  json_real_value(json_array_get(v, 2)) == -1e20 &&
                  json_is_real(json_array_get(v, 4)),
              "big integers");
        json_int_t i = 7;
        CHECK(!json_doc_integer(json_array_get(v, 0), 0, INT32_MAX, &i) && i == 7 &&
                  json_doc_integer(json_array_get(v, 3), 0, 1, &i) && i == 1,
              "json_doc_integer ranges");
        json_decref(v);
    }
    v = parse("[3.0, 3.5, 3e0, \"3\"]");
    if (v) {
        json_int_t i = 0;
        CHECK(json_doc_integer(json_array_get(v, 0), 0, 9, &i) && i == 3 &&
                  !json_doc_integer(json_array_get(v, 1), 0, 9, &i) &&
                  json_doc_integer(json_array_get(v, 2), 0, 9, &i) &&
                  !json_doc_integer(json_array_get(v, 3), 0, 9, &i),
              "integers by value, as JSON Schema counts them");
        json_decref(v);
    }
    const char *scalars[] = {"0", "\"\"", "true", "null", " 1 ", "-0", "1e2"};
    for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++)
        json_decref(parse(scalars[i]));
}

/* What RFC 8259 (or the harness: duplicates) refuses, with the line and column jansson gives. */
static void test_errors(void)
{
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int line;
        const char *what; /* a piece of the message */
    } cases[] = {
        {"", 0, 1, "unexpected token"},
        {"[1,2", 0, 1, "']' expected"},
        {"[1 2]", 0, 1, "']' expected"},
        {"{\"a\":1,}", 0, 1, "string or '}' expected"},
        {"[1,]", 0, 1, "unexpected token"},
        {"NaN", 0, 1, "invalid token"},
        {"[Infinity]", 0, 1, "invalid token"},
        {"01", 0, 1, "invalid token"},
        {"[1.]", 0, 1, "invalid token"},
        {"[1e400]", 0, 1, "overflow"},
        {"\"a\tb\"", 0, 1, "control character"},
        {"\"\\uDC00\"", 0, 1, "invalid Unicode"},
        {"\"\\u0000\"", 0, 1, "\\u0000"},
        {"\"\xC3\x28\"", 0, 1, "unable to decode byte"},
        {"\"\xED\xA0\x80\"", 0, 1, "unable to decode byte"},
        {"\xEF\xBB\xBF{}", 0, 1, "invalid token"}, /* a byte order mark */
        {"[1,\0]", 5, 1, ""},
        {"/* c */ {}", 0, 1, "invalid token"},
        {"{} x", 0, 1, "end of file expected"},
        {"[1,\r\n 2,\r\n x]", 0, 3, "invalid token"},
        {"{\"a\":1,\n \"a\":2}", 0, 2, "duplicate object key"},
        {"{\"\\u0061\":1,\"a\":2}", 0, 1, "duplicate object key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *t = cases[i].text;
        size_t len = cases[i].len ? cases[i].len : strlen(t);
        char why[320] = "";
        json_t *v = json_doc_parse(t, len, "doc.json", why, sizeof why);
        CHECK(v == NULL, "case %zu was accepted", i);
        json_decref(v);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "doc.json: line %d, column ", cases[i].line);
        CHECK(!strncmp(why, prefix, strlen(prefix)) && strstr(why, cases[i].what) &&
                  !strpbrk(why, "\n\r\t"),
              "case %zu: message '%s', expected '%s...' with '%s'", i, why, prefix,
              cases[i].what);
    }
    char why[320];
    /* an error after an integer past int64_t (read again as a real, json_doc.h): the column is
       the text's own, and the next line's is untouched */
    const char *big = "[18446744073709551615, 18446744073709551616, x,\n 99999999999999999999, y]";
    json_t *v = json_doc_parse(big, strlen(big), NULL, why, sizeof why);
    CHECK(!v && !strncmp(why, "line 1, column 46: ", 19), "after big integers: '%s'", why);
    json_decref(v);
    big = "[18446744073709551615,\n 1, y]";
    v = json_doc_parse(big, strlen(big), NULL, why, sizeof why);
    CHECK(!v && !strncmp(why, "line 2, column 5: ", 18), "a line below: '%s'", why);
    json_decref(v);
    v = json_doc_parse("x", 1, NULL, why, sizeof why);
    CHECK(!v && !strncmp(why, "line 1, column 1: ", 18), "no name: '%s'", why);
    json_decref(v);
}

/* Nesting past jansson's limit (2048) is refused, a hundred thousand levels without running out
 * of stack. */
static void test_depth(void)
{
    const int n = 100000;
    char *t = malloc((size_t)2 * n + 2);
    if (!t)
        return;
    for (int i = 0; i < n; i++) {
        t[i] = '[';
        t[n + 1 + i] = ']';
    }
    t[n] = '0';
    char why[320];
    json_t *v = json_doc_parse(t, (size_t)2 * n + 1, "deep", why, sizeof why);
    CHECK(!v && strstr(why, "depth"), "100000 levels: '%s'", why);
    json_decref(v);
    /* 64 levels, more than any record nests, are fine */
    v = json_doc_parse(t + n - 64, 129, "deep", why, sizeof why);
    CHECK(v != NULL, "64 levels: %s", why);
    json_decref(v);
    free(t);
}

/* Files: the path in every message; a folder, a missing file and a device refused. */
static void test_files(void)
{
    char dir[] = "/tmp/test_json_doc.XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0, "mkdtemp");
        return;
    }
    char path[64], why[320];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("{\n  \"a\": [1,\n  2 3]\n}\n", f);
        fclose(f);
    }
    json_t *v = json_doc_load(path, why, sizeof why);
    char want[128];
    snprintf(want, sizeof want, "%s: line 3, column ", path);
    CHECK(!v && !strncmp(why, want, strlen(want)) && strstr(why, "']' expected"),
          "bad file: '%s'", why);
    json_decref(v);
    v = json_doc_load(dir, why, sizeof why);
    CHECK(!v && strstr(why, dir) && strstr(why, "is a directory"), "folder: '%s'", why);
    json_decref(v);
    v = json_doc_load("/nonexistent-dir/x.json", why, sizeof why);
    CHECK(!v && strstr(why, "/nonexistent-dir/x.json") && strstr(why, "No such file"),
          "missing file: '%s'", why);
    json_decref(v);
    v = json_doc_load("/dev/null", why, sizeof why);
    CHECK(!v && strstr(why, "not a regular file"), "device: '%s'", why);
    json_decref(v);
    f = fopen(path, "w");
    if (f) {
        fputs("{\"ok\": [true]}", f);
        fclose(f);
    }
    v = json_doc_load(path, why, sizeof why);
    CHECK(v && json_is_true(json_doc_pointer(v, "/ok/0")), "good file: %s", v ? "" : why);
    json_decref(v);
    remove(path);
    rmdir(dir);
}

int main(void)
{
    test_valid();
    test_errors();
    test_depth();
    test_files();
    return tests_exit_code("test_json_doc");
}
