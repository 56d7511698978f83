/* json_doc.h - JSON documents for the harness, read with jansson: files and texts parsed as
 * RFC 8259 demands (duplicate member names refused too) with one-line errors that name the file,
 * line and column; JSON pointers (RFC 6901) and the type names messages use. */
#ifndef POSENC_JSON_DOC_H
#define POSENC_JSON_DOC_H

#include <math.h>
#include <stddef.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The jansson decoding flags every harness reader uses: any value at the top (RFC 8259; the
 * callers check the type they need) and a member named twice is an error (RFC 8259 leaves its
 * meaning open, and a record that has one is broken). jansson itself refuses the rest of what
 * RFC 8259 does not allow: invalid UTF-8, a byte order mark, comments, trailing commas, NaN,
 * \u0000 in a string, lone surrogates, a number beyond a double, nesting deeper than 2048
 * levels. */
#define JSON_DOC_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES)

/* Parse text[0, len) (no NUL needed) as one JSON document. name is what messages call it (NULL:
 * they start at "line"). Integers are jansson's json_int_t (int64_t); an integer literal beyond
 * it (a uint64_t count the writers print whole) is read as a real, its nearest double, the other
 * integers staying exact (past 16 such literals every number is read as a double): readers take
 * integers by value, as JSON Schema does (json_doc_integer). Returns a new reference
 * (json_decref it), or NULL with one line in why (no newline):
 * "<name>: line 3, column 14: '}' expected near ','" (jansson's text; the column counts
 * characters, not bytes). */
json_t *json_doc_parse(const char *text, size_t len, const char *name, char *why,
                       size_t why_size);

/* Read the regular file at path and parse it; as json_doc_parse with the path as the name. A file
 * that cannot be read is "<path>: <strerror>" ("<path>: is a directory" for a folder). */
json_t *json_doc_load(const char *path, char *why, size_t why_size);

/* The value a JSON pointer names (RFC 6901: "" is the root, "/cases/0/speed/median_ns", ~0 for
 * '~' and ~1 for '/' in a token), or NULL. Array indices are decimal without leading zeros; "-"
 * names nothing. A borrowed reference. */
json_t *json_doc_pointer(const json_t *root, const char *pointer);

/* The number v holds in *out (1), or 0 leaving *out alone when v is NULL or not a number. */
static inline int json_doc_number(const json_t *v, double *out)
{
    if (!json_is_number(v))
        return 0;
    *out = json_number_value(v);
    return 1;
}

/* An integer in the sense of JSON Schema (a number without a fraction: 3, 3.0, 3e0) within
 * [lo, hi] (both within +-2^53), in *out (1); 0 leaving *out alone otherwise (not a number, a
 * fraction, out of range). */
static inline int json_doc_integer(const json_t *v, json_int_t lo, json_int_t hi, json_int_t *out)
{
    json_int_t i;
    if (json_is_integer(v)) {
        i = json_integer_value(v);
    } else {
        double d = json_real_value(v); /* 0.0 when v is not a real */
        /* the range test first: converting a double beyond json_int_t is undefined */
        if (!json_is_real(v) || !(d >= (double)lo && d <= (double)hi) || d != floor(d))
            return 0;
        i = (json_int_t)d;
    }
    if (i < lo || i > hi)
        return 0;
    *out = i;
    return 1;
}

/* "null", "boolean", "number", "string", "array", "object" ("missing" for NULL): the names
 * messages give a value's type. */
const char *json_doc_type_name(const json_t *v);

#ifdef __cplusplus
}
#endif

#endif
