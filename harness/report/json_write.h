/* json_write.h - the JSON emitter the record writers share (run.json, analysis.json): values
 * written in order to a report_file, two-space indentation, containers asked to be flat on one
 * line, strings kept valid UTF-8 and numbers in the fewest digits that read back. */
#ifndef POSENC_JSON_WRITE_H
#define POSENC_JSON_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "report_file.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JW_MAX_DEPTH 8

typedef struct jw {
    report_file *out;
    int depth;
    int count[JW_MAX_DEPTH]; /* values written so far in the container open at each depth */
    int flat[JW_MAX_DEPTH];  /* 1: that container is written on one line */
} jw;

/* A writer at the top level of out. */
void jw_init(jw *w, report_file *out);

/* Text as it is (a literal the caller knows to be JSON). */
void jw_put(jw *w, const char *s);
/* s[0, len) as a JSON string: control characters escaped, a byte sequence that is not UTF-8
 * (such as a multi-byte character cut by a fixed-size field) written as U+FFFD per bad byte. */
void jw_escaped(jw *w, const char *s, size_t len);

/* The separator and indentation before a value, and its name inside an object (key NULL in an
 * array or at the top level). The value writers below call it; a caller writing a value with
 * jw_put or jw_escaped calls it first. */
void jw_name(jw *w, const char *key);

/* Opens an object ('{') or array ('['); flat: the container, and everything in it, on one line.
 * jw_close takes the matching closing bracket. Nesting deeper than JW_MAX_DEPTH - 1 is the
 * caller's error. */
void jw_open(jw *w, const char *key, char bracket, int flat);
void jw_close(jw *w, char bracket);

void jw_null(jw *w, const char *key);
/* A string from a fixed-size field of cap bytes (report_field_len). */
void jw_str(jw *w, const char *key, const char *s, size_t cap);
/* A fact that may be unknown: "" is written as null. */
void jw_str_or_null(jw *w, const char *key, const char *s, size_t cap);
/* A double (report_format_double); NaN and infinities are null. */
void jw_num(jw *w, const char *key, double v);
void jw_i64(jw *w, const char *key, int64_t v);
void jw_u64(jw *w, const char *key, uint64_t v);
void jw_bool(jw *w, const char *key, int v);
/* 1 true, 0 false, anything else (-1: unknown, not applicable) null. */
void jw_tristate(jw *w, const char *key, int v);
/* The space-separated words of a field of cap bytes as an array of strings ("avx2 fma" ->
 * ["avx2", "fma"]): the feature lists machine.h writes, whose "none" (and "") is []. */
void jw_words(jw *w, const char *key, const char *s, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
