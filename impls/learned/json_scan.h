/* json_scan.h - a small strict JSON reader for safetensors headers: validate, walk in place. */
#ifndef POSENC_LEARNED_JSON_SCAN_H
#define POSENC_LEARNED_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* Deeper documents are rejected: the validator recurses once per level, and no header a
 * safetensors writer produces comes close (it nests three levels). */
#define JSON_MAX_DEPTH 64

typedef enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

/* One value of a document that json_parse accepted: its type and its text [begin, end). No tree
 * is built; containers are walked again on demand with json_iter. */
typedef struct json_value {
    json_type type;
    const char *begin;
    const char *end;
} json_value;

/* Why a document was rejected and the byte offset where that was noticed. */
typedef struct json_error {
    size_t offset;
    const char *what; /* static string */
} json_error;

/* Accept text[0, len) only if it is exactly one RFC 8259 value with optional whitespace around
 * it: UTF-8 checked (no overlong forms, no encoded surrogates), \uXXXX surrogates paired, no
 * control characters in strings, no trailing commas, nesting at most JSON_MAX_DEPTH.
 * Returns 0 with *root spanning the value, or -1 with *err filled. Reads nothing outside
 * text[0, len); text needs no terminating NUL. */
int json_parse(const char *text, size_t len, json_value *root, json_error *err);

/* Walks the members of an object or the elements of an array returned (directly or through
 * other walks) by a successful json_parse. */
typedef struct json_iter {
    const char *p;
    const char *end;
} json_iter;

void json_iter_init(json_iter *it, const json_value *container);

/* Next member of an object: returns 1 with *key (a JSON_STRING) and *val, or 0 after the last. */
int json_object_next(json_iter *it, json_value *key, json_value *val);

/* Next element of an array: returns 1 with *elem, or 0 after the last. */
int json_array_next(json_iter *it, json_value *elem);

/* 1 if the string value s, escapes resolved, is exactly the len bytes at bytes; else 0. */
int json_string_equals(const json_value *s, const char *bytes, size_t len);

/* Compare two strings of a validated document by their decoded bytes (escapes resolved),
 * shorter first when one is a prefix of the other; a and b point at their opening quotes. */
int json_string_compare(const char *a, const char *b);

/* Just past the closing quote of the validated string whose opening quote is at quote. */
const char *json_string_end(const char *quote);

/* Decode the string value s (escapes resolved, UTF-8) into buf, cut to cap - 1 bytes and
 * NUL-terminated when cap > 0. Returns the full decoded length. */
size_t json_string_copy(const json_value *s, char *buf, size_t cap);

enum {
    JSON_UINT_OK = 0,
    JSON_UINT_NOT_INTEGER = -1, /* not a number, or has a fraction or exponent (even 1.0, 1e3) */
    JSON_UINT_NEGATIVE = -2,    /* starts with '-' */
    JSON_UINT_TOO_BIG = -3      /* an integer above UINT64_MAX */
};

/* Read a number value as a non-negative integer. */
int json_uint64(const json_value *n, uint64_t *out);

#endif
