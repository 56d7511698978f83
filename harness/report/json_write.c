/* json_write.c - the JSON emitter of json_write.h. */
#include "json_write.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "write_json.h"

void jw_init(jw *w, report_file *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

void jw_put(jw *w, const char *s) { report_file_puts(w->out, s); }

void jw_escaped(jw *w, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    const unsigned char *run = p; /* bytes copied as they are, written in one go */
    jw_put(w, "\"");
    while (p < end) {
        uint32_t cp;
        if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
            p++;
            continue;
        }
        int n = *p < 0x80 ? 1 : utf8_decode(p, (size_t)(end - p), &cp);
        if (*p >= 0x80 && n > 0) {
            p += n;
            continue;
        }
        report_file_write(w->out, run, (size_t)(p - run));
        if (*p == '"' || *p == '\\') {
            char esc[3] = {'\\', (char)*p, '\0'};
            jw_put(w, esc);
        } else if (*p < 0x20) { /* RFC 8259: every control character must be escaped */
            char esc[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], '\0'};
            jw_put(w, esc);
        } else {
            jw_put(w, "\xEF\xBF\xBD"); /* not UTF-8: U+FFFD, one per bad byte */
        }
        p++;
        run = p;
    }
    report_file_write(w->out, run, (size_t)(p - run));
    jw_put(w, "\"");
}

void jw_name(jw *w, const char *key)
{
    int d = w->depth;
    if (d > 0) {
        if (w->count[d]++)
            jw_put(w, w->flat[d] ? ", " : ",");
        if (!w->flat[d]) {
            jw_put(w, "\n");
            for (int i = 0; i < d; i++)
                jw_put(w, "  ");
        }
    }
    if (key) {
        jw_escaped(w, key, strlen(key));
        jw_put(w, ": ");
    }
}

void jw_open(jw *w, const char *key, char bracket, int flat)
{
    jw_name(w, key);
    char s[2] = {bracket, '\0'};
    jw_put(w, s);
    w->depth++;
    w->count[w->depth] = 0;
    w->flat[w->depth] = flat || w->flat[w->depth - 1];
}

void jw_close(jw *w, char bracket)
{
    int d = w->depth;
    if (w->count[d] && !w->flat[d]) {
        jw_put(w, "\n");
        for (int i = 0; i < d - 1; i++)
            jw_put(w, "  ");
    }
    char s[2] = {bracket, '\0'};
    jw_put(w, s);
    w->depth--;
}

void jw_null(jw *w, const char *key)
{
    jw_name(w, key);
    jw_put(w, "null");
}

void jw_str(jw *w, const char *key, const char *s, size_t cap)
{
    jw_name(w, key);
    jw_escaped(w, s, report_field_len(s, cap));
}

void jw_str_or_null(jw *w, const char *key, const char *s, size_t cap)
{
    if (report_field_len(s, cap) == 0)
        jw_null(w, key);
    else
        jw_str(w, key, s, cap);
}

void jw_num(jw *w, const char *key, double v)
{
    char buf[32];
    if (!isfinite(v)) {
        jw_null(w, key);
        return;
    }
    report_format_double(v, buf);
    jw_name(w, key);
    jw_put(w, buf);
}

void jw_i64(jw *w, const char *key, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    jw_name(w, key);
    jw_put(w, buf);
}

void jw_u64(jw *w, const char *key, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    jw_name(w, key);
    jw_put(w, buf);
}

void jw_bool(jw *w, const char *key, int v)
{
    jw_name(w, key);
    jw_put(w, v ? "true" : "false");
}

void jw_tristate(jw *w, const char *key, int v)
{
    if (v == 0 || v == 1)
        jw_bool(w, key, v);
    else
        jw_null(w, key);
}

void jw_words(jw *w, const char *key, const char *s, size_t cap)
{
    size_t len = report_field_len(s, cap), i = 0;
    jw_open(w, key, '[', 1);
    if (!(len == 4 && !memcmp(s, "none", 4))) {
        while (i < len) {
            while (i < len && s[i] == ' ')
                i++;
            size_t start = i;
            while (i < len && s[i] != ' ')
                i++;
            if (i > start) {
                jw_name(w, NULL);
                jw_escaped(w, s + start, i - start);
            }
        }
    }
    jw_close(w, ']');
}
