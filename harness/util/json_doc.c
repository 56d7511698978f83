/* json_doc.c - jansson's parse with the harness's flags and messages, the file read before it, and
 * JSON pointers (json_doc.h). */
#define _POSIX_C_SOURCE 200809L /* fstat, fileno */

#include "json_doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* jansson's error for an integer literal beyond json_int_t: "too big integer", "too big negative
 * integer". */
static int big_integer_error(const json_error_t *e)
{
    return !strncmp(e->text, "too big ", 8) && strstr(e->text, "integer");
}

/* jansson refuses an integer literal beyond json_int_t ("too big integer", e.position just past
 * its digits). Such a literal is made a real by appending ".0" in a copy of the text, and the
 * parse is tried again, so it reads as its nearest double while every other integer stays
 * exact. Returns the new copy (the caller frees it) or NULL when the error is another one or
 * the position is not just past digits. */
static char *widen_big_integer(const char *text, size_t len, const json_error_t *e,
                               size_t *new_len)
{
    size_t end = (size_t)e->position;
    if (!big_integer_error(e) || e->position <= 0 || end > len ||
        text[end - 1] < '0' || text[end - 1] > '9')
        return NULL;
    char *copy = malloc(len + 2);
    if (!copy)
        return NULL;
    memcpy(copy, text, end);
    memcpy(copy + end, ".0", 2);
    memcpy(copy + end + 2, text + end, len - end);
    *new_len = len + 2;
    return copy;
}

json_t *json_doc_parse(const char *text, size_t len, const char *name, char *why,
                       size_t why_size)
{
    json_error_t e;
    json_t *root = json_loadb(text, len, JSON_DOC_FLAGS, &e);
    /* a few such literals are widened one by one (a run.json has at most a handful of
       counts past 2^63); past that every number is read as a double */
    char *widened = NULL;
    size_t at[16], n_at = 0; /* where each ".0" went, in the widened text */
    while (!root && n_at < 16) {
        size_t n;
        char *next = widen_big_integer(widened ? widened : text, len, &e, &n);
        if (!next)
            break;
        free(widened);
        widened = next;
        len = n;
        at[n_at++] = (size_t)e.position;
        root = json_loadb(widened, len, JSON_DOC_FLAGS, &e);
    }
    if (!root && big_integer_error(&e))
        root = json_loadb(widened ? widened : text, len, JSON_DOC_FLAGS | JSON_DECODE_INT_AS_REAL,
                          &e);
    /* an error after a widened literal on its line: the column of the text as it was */
    for (size_t i = 0; !root && widened && i < n_at && e.position > 0; i++)
        if (at[i] < (size_t)e.position && e.column > 2 &&
            !memchr(widened + at[i], '\n', (size_t)e.position - at[i]))
            e.column -= 2;
    free(widened);
    if (!root) {
        const char *sep = name ? ": " : "";
        name = name ? name : "";
        if (e.line > 0)
            snprintf(why, why_size, "%s%sline %d, column %d: %s", name, sep, e.line, e.column,
                     e.text);
        else
            snprintf(why, why_size, "%s%s%s", name, sep, e.text);
        /* one line, as promised: jansson quotes the text near the error as it is */
        for (char *c = why; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
    }
    return root;
}

/* The whole file in one allocation; NULL after a message. A folder or a device is refused before
 * reading: fopen opens a folder and its read fails, which would read as an empty document. */
static char *read_file(const char *path, size_t *len, char *why, size_t why_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    const char *bad = fstat(fileno(f), &st) != 0 ? strerror(errno)
                      : S_ISDIR(st.st_mode)       ? "is a directory"
                      : !S_ISREG(st.st_mode)      ? "not a regular file"
                                                  : NULL;
    if (bad) {
        snprintf(why, why_size, "%s: %s", path, bad);
        fclose(f);
        return NULL;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || ferror(f))
            break;
        char *grown = realloc(buf, cap *= 2); /* the file grew since fstat */
        if (!grown)
            free(buf);
        buf = grown;
    }
    if (!buf || ferror(f)) {
        snprintf(why, why_size, "%s: %s", path, buf ? strerror(errno) : "out of memory");
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

json_t *json_doc_load(const char *path, char *why, size_t why_size)
{
    size_t len;
    char *text = read_file(path, &len, why, why_size);
    if (!text)
        return NULL;
    json_t *root = json_doc_parse(text, len, path, why, why_size);
    free(text);
    return root;
}

json_t *json_doc_pointer(const json_t *root, const char *pointer)
{
    json_t *v = (json_t *)root;
    const char *p = pointer;
    while (v && *p) {
        if (*p++ != '/')
            return NULL;
        char token[256];
        size_t n = 0;
        for (; *p && *p != '/'; p++) {
            char c = *p;
            if (c == '~') {
                if (p[1] != '0' && p[1] != '1')
                    return NULL;
                c = *++p == '0' ? '~' : '/';
            }
            if (n + 1 >= sizeof token)
                return NULL;
            token[n++] = c;
        }
        token[n] = '\0';
        if (json_is_object(v)) {
            v = json_object_getn(v, token, n);
        } else if (json_is_array(v)) {
            if (!n || (n > 1 && token[0] == '0') || strspn(token, "0123456789") != n || n > 18)
                return NULL;
            v = json_array_get(v, (size_t)strtoull(token, NULL, 10));
        } else {
            return NULL;
        }
    }
    return v;
}

const char *json_doc_type_name(const json_t *v)
{
    if (!v)
        return "missing";
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    default:
        return "null";
    }
}
