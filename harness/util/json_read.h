/* json_read.h - a small DOM JSON reader for the harness: parse a whole RFC 8259 document into a
 * tree (run.json, gbench.json, schemas), look members up by key, index or JSON pointer.
 *
 * The names start with jread_ because libposenc's static archive holds json_* too (its
 * safetensors header scanner, impls/learned/json_scan.h: hidden in the shared library, but a
 * static link sees every global name), and the command links both. */
#ifndef POSENC_JSON_READ_H
#define POSENC_JSON_READ_H

#include <stddef.h>
#include <stdint.h>

/* Deeper documents are rejected unless the caller asks for more: the parser recurses once per
 * level. No record the harness writes nests more than six levels. */
#define JREAD_DEFAULT_MAX_DEPTH 256
#define JREAD_MAX_DEPTH_LIMIT 4096 /* a larger max_depth is clamped to this */

typedef enum jread_type {
    JREAD_NULL,
    JREAD_BOOL,
    JREAD_NUMBER,
    JREAD_STRING,
    JREAD_ARRAY,
    JREAD_OBJECT
} jread_type;

typedef struct jread_value jread_value;
typedef struct jread_member jread_member;

/* One value. Containers own their children; jread_free releases a whole tree from its root. */
struct jread_value {
    jread_type type;
    int boolean;            /* JREAD_BOOL: 0 or 1 */
    /* JREAD_NUMBER: the nearest double (strtod, round to nearest even). is_integer is 1 when the
     * literal has no fraction and no exponent and fits int64_t; `integer` is then its exact
     * value (a double loses integers above 2^53). Literals that overflow a double are errors. */
    double number;
    int is_integer;
    int64_t integer;
    /* JREAD_STRING: the decoded UTF-8 bytes, NUL-terminated; len excludes the NUL and counts
     * any \u0000 the string holds. */
    char *string;
    size_t len;
    /* JREAD_ARRAY: items[0, n); JREAD_OBJECT: members[0, n), in document order. */
    jread_value *items;
    jread_member *members;
    size_t n;
};

struct jread_member {
    char *key;              /* decoded, NUL-terminated */
    size_t key_len;
    jread_value value;
};

/* Why a document was rejected. */
typedef enum jread_errcode {
    JREAD_OK = 0,
    JREAD_ERR_IO,           /* jread_parse_file could not read the file (message has strerror) */
    JREAD_ERR_NOMEM,
    JREAD_ERR_EOF,          /* the text ends inside a value, or holds no value at all */
    JREAD_ERR_SYNTAX,       /* unexpected character, missing ',' ':' ']' '}', bad literal */
    JREAD_ERR_NUMBER,       /* malformed number (leading zero, no digits), or beyond a double */
    JREAD_ERR_CONTROL,      /* unescaped control character (U+0000..U+001F) in a string */
    JREAD_ERR_ESCAPE,       /* unknown escape, or \u without four hex digits */
    JREAD_ERR_SURROGATE,    /* \u escape of a lone or reversed UTF-16 surrogate */
    JREAD_ERR_UTF8,         /* bytes that are not UTF-8 (RFC 3629: no overlong forms, no
                               encoded surrogates, nothing above U+10FFFF) */
    JREAD_ERR_DEPTH,        /* arrays and objects nested deeper than max_depth */
    JREAD_ERR_TRAILING,     /* something other than whitespace after the value */
    JREAD_ERR_DUPLICATE     /* an object names one member twice */
} jread_errcode;

/* Where and why. line and column start at 1; the column counts characters (UTF-8 sequences),
 * not bytes; offset is in bytes. They point at the first character that is wrong: the
 * backslash of a bad escape, the first byte of a bad UTF-8 sequence, the opening quote of a
 * duplicate key, the start of a bad literal or of a number that overflows, the bracket that is
 * one level too deep, and the end of the text for JREAD_ERR_EOF. message is one line, ready to
 * print: "line 3, column 14: expected ',' or '}' after an object member" (file errors: the path
 * and strerror instead of the position, line 0). */
typedef struct jread_error {
    jread_errcode code;
    size_t line, column, offset;
    char message[320];
} jread_error;

/* Parse text[0, len) (no NUL needed) as exactly one JSON value with optional whitespace around
 * it. Strict RFC 8259: UTF-8 only (a byte order mark is an error), no comments, no trailing
 * commas, no NaN/Infinity, no duplicate member names (RFC 8259 leaves their meaning open; a
 * record that has them is broken). max_depth <= 0 means JREAD_DEFAULT_MAX_DEPTH.
 * Returns the root, to release with jread_free, or NULL with *err filled (err may be NULL).
 * Numbers are converted with strtod, so the C locale's decimal point is assumed (the harness
 * never calls setlocale). */
jread_value *jread_parse(const char *text, size_t len, int max_depth, jread_error *err);

/* Read the file at path and parse it. File errors are JREAD_ERR_IO; parse errors have the
 * path in front of their message ("run.json: line 3, column 14: ..."). */
jread_value *jread_parse_file(const char *path, int max_depth, jread_error *err);

/* Release a tree returned by a parse function (NULL is fine). Not for inner values. */
void jread_free(jread_value *root);

/* "null", "boolean", "number", "string", "array", "object". */
const char *jread_type_name(jread_type t);

/* The member of an object named key, or NULL (not an object, or no such member).
 * jread_get_n takes a key of key_len bytes, which may hold NUL bytes. */
const jread_value *jread_get(const jread_value *object, const char *key);
const jread_value *jread_get_n(const jread_value *object, const char *key, size_t key_len);

/* Item i of an array, or NULL (not an array, or i >= n). */
const jread_value *jread_at(const jread_value *array, size_t i);

/* The value a JSON pointer (RFC 6901: "" is the root, "/cases/0/speed/median_ns", ~0 for '~'
 * and ~1 for '/' in a token) names, or NULL when there is none. Array indices are decimal
 * without leading zeros; "-" names nothing. */
const jread_value *jread_pointer(const jread_value *root, const char *pointer);

/* Typed access: the string, or NULL when v is NULL or not a string; the number in *out (1), or
 * 0 leaving *out alone when v is NULL or not a number. */
const char *jread_string(const jread_value *v);
int jread_number(const jread_value *v, double *out);

/* 1 when a and b are the same JSON value in the sense of JSON Schema: numbers by value (1 and
 * 1.0 are equal), strings byte for byte, arrays item by item, objects as sets of members
 * regardless of order. */
int jread_equal(const jread_value *a, const jread_value *b);

/* Decode one UTF-8 sequence at s[0, n): returns its length (1..4) with the code point in *cp,
 * or 0 when the bytes there are not a valid sequence per RFC 3629 (truncated, overlong, an
 * encoded surrogate, above U+10FFFF, a stray continuation byte). n must be at least 1. The
 * report writers use it to keep what they write valid UTF-8. */
int jread_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
