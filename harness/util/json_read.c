/* json_read.c - the recursive-descent parser, the lookups and the value comparison of
 * json_read.h. */
#include "json_read.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef const unsigned char *cursor;

typedef struct parser {
    cursor start, p, end;
    int max_depth;
    jread_error *err;
} parser;

/* ---- errors ------------------------------------------------------------------------------- */

static void where(cursor start, cursor at, size_t *line, size_t *column)
{
    size_t l = 1, c = 1;
    for (cursor q = start; q < at; q++) {
        if (*q == '\n') {
            l++;
            c = 1;
        } else if ((*q & 0xC0) != 0x80) { /* continuation bytes belong to the character before */
            c++;
        }
    }
    *line = l;
    *column = c;
}

/* Record the error at `at` and return -1, which every parse_* function passes up. */
static int fail(parser *ps, cursor at, jread_errcode code, const char *fmt, ...)
{
    jread_error *e = ps->err;
    if (!e)
        return -1;
    e->code = code;
    e->offset = (size_t)(at - ps->start);
    where(ps->start, at, &e->line, &e->column);
    int n = snprintf(e->message, sizeof e->message, "line %zu, column %zu: ", e->line, e->column);
    if (n < 0 || (size_t)n >= sizeof e->message)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message + n, sizeof e->message - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* How an error message names the character at `at`: 'x', U+00E9, byte 0xFF, the end. */
static const char *describe(cursor at, cursor end, char *buf, size_t size)
{
    uint32_t cp;
    if (at >= end)
        snprintf(buf, size, "the end of the text");
    else if (*at >= 0x20 && *at < 0x7F)
        snprintf(buf, size, "'%c'", *at);
    else if (jread_utf8_decode(at, (size_t)(end - at), &cp))
        snprintf(buf, size, "U+%04X", (unsigned)cp);
    else
        snprintf(buf, size, "byte 0x%02X", (unsigned)*at);
    return buf;
}

/* ---- UTF-8 -------------------------------------------------------------------------------- */

int jread_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c0 = s[0];
    if (c0 < 0x80) {
        *cp = c0;
        return 1;
    }
    if (c0 < 0xC2 || c0 > 0xF4) /* continuation byte, overlong 2-byte lead, beyond U+10FFFF */
        return 0;
    int len = c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
    if (n < (size_t)len)
        return 0;
    uint32_t v = c0 & (0x7Fu >> len);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) || v > 0x10FFFF ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* ---- the tree ----------------------------------------------------------------------------- */

/* Frees what a value owns. Values being built are kept consistent (n counts only initialised
 * children, zeroed otherwise), so a parse that fails half way is released the same way. */
static void free_inner(jread_value *v)
{
    switch (v->type) {
    case JREAD_STRING:
        free(v->string);
        break;
    case JREAD_ARRAY:
        for (size_t i = 0; i < v->n; i++)
            free_inner(&v->items[i]);
        free(v->items);
        break;
    case JREAD_OBJECT:
        for (size_t i = 0; i < v->n; i++) {
            free(v->members[i].key);
            free_inner(&v->members[i].value);
        }
        free(v->members);
        break;
    default:
        break;
    }
}

void jread_free(jread_value *root)
{
    if (!root)
        return;
    free_inner(root);
    free(root);
}

/* ---- the parser --------------------------------------------------------------------------- */

static int parse_value(parser *ps, jread_value *out, int depth);

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

static int hex4(cursor q, cursor end, uint32_t *v)
{
    if (end - q < 4)
        return 0;
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = q[i];
        unsigned d = is_digit(c) ? c - '0'
                     : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                     : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                              : 16;
        if (d == 16)
            return 0;
        x = x << 4 | d;
    }
    *v = x;
    return 1;
}

typedef struct strbuf {
    char *s;
    size_t n, cap;
} strbuf;

static int sb_put(strbuf *b, const void *data, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s)
            return -1;
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->n, data, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

static int sb_put_cp(strbuf *b, uint32_t cp)
{
    unsigned char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | cp >> 6);
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | cp >> 12);
        u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | cp >> 18);
        u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return sb_put(b, u, n);
}

/* A \u escape at q (the backslash), with its low half when it is a surrogate pair: the code
 * point in *cp and the length of the escape text, or -1 after recording the error. */
static int parse_u_escape(parser *ps, cursor q, uint32_t *cp)
{
    uint32_t hi, lo;
    if (!hex4(q + 2, ps->end, &hi))
        return fail(ps, q, JREAD_ERR_ESCAPE, "\\u must be followed by four hex digits");
    if (hi >= 0xDC00 && hi <= 0xDFFF)
        return fail(ps, q, JREAD_ERR_SURROGATE,
                    "\\u%04X is a low surrogate without a high surrogate before it", (unsigned)hi);
    if (hi < 0xD800 || hi > 0xDBFF) {
        *cp = hi;
        return 6;
    }
    cursor q2 = q + 6;
    if (ps->end - q2 < 2 || q2[0] != '\\' || q2[1] != 'u')
        return fail(ps, q, JREAD_ERR_SURROGATE,
                    "\\u%04X is a high surrogate without a low surrogate after it", (unsigned)hi);
    if (!hex4(q2 + 2, ps->end, &lo))
        return fail(ps, q2, JREAD_ERR_ESCAPE, "\\u must be followed by four hex digits");
    if (lo < 0xDC00 || lo > 0xDFFF)
        return fail(ps, q, JREAD_ERR_SURROGATE,
                    "\\u%04X is a high surrogate followed by \\u%04X, not a low surrogate",
                    (unsigned)hi, (unsigned)lo);
    *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    return 12;
}

/* The string whose opening quote is at ps->p, decoded into a new buffer. */
static int parse_string(parser *ps, char **out, size_t *out_len)
{
    strbuf b = {0};
    cursor q = ps->p + 1;
    char what[32];
    if (sb_put(&b, "", 0))
        goto nomem;
    for (;;) {
        if (q >= ps->end) {
            fail(ps, ps->end, JREAD_ERR_EOF, "the text ends inside a string");
            goto error;
        }
        unsigned c = *q;
        if (c == '"')
            break;
        if (c < 0x20) {
            fail(ps, q, JREAD_ERR_CONTROL,
                 "control character U+%04X in a string (it must be escaped)", c);
            goto error;
        }
        if (c == '\\') {
            if (q + 1 >= ps->end) {
                fail(ps, ps->end, JREAD_ERR_EOF, "the text ends inside a string");
                goto error;
            }
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            const char *hit = q[1] ? strchr(from, q[1]) : NULL;
            if (hit) {
                if (sb_put(&b, &to[hit - from], 1))
                    goto nomem;
                q += 2;
            } else if (q[1] == 'u') {
                uint32_t cp = 0;
                int n = parse_u_escape(ps, q, &cp);
                if (n < 0)
                    goto error;
                if (sb_put_cp(&b, cp))
                    goto nomem;
                q += n;
            } else {
                fail(ps, q, JREAD_ERR_ESCAPE, "unknown escape: backslash before %s",
                     describe(q + 1, ps->end, what, sizeof what));
                goto error;
            }
            continue;
        }
        uint32_t cp;
        int n = c < 0x80 ? 1 : jread_utf8_decode(q, (size_t)(ps->end - q), &cp);
        if (!n) {
            fail(ps, q, JREAD_ERR_UTF8, "invalid UTF-8 (byte 0x%02X)", c);
            goto error;
        }
        if (sb_put(&b, q, (size_t)n))
            goto nomem;
        q += n;
    }
    ps->p = q + 1;
    *out = b.s;
    *out_len = b.n;
    return 0;
nomem:
    fail(ps, q, JREAD_ERR_NOMEM, "out of memory");
error:
    free(b.s);
    return -1;
}

static int parse_number(parser *ps, jread_value *out)
{
    cursor s = ps->p, q = s, end = ps->end;
    char what[32];
    if (*q == '-')
        q++;
    if (q < end && *q == '0') {
        q++;
        if (q < end && is_digit(*q))
            return fail(ps, s, JREAD_ERR_NUMBER, "a number must not start with a leading zero");
    } else if (q < end && is_digit(*q)) {
        while (q < end && is_digit(*q))
            q++;
    } else {
        return fail(ps, q, JREAD_ERR_NUMBER, "expected a digit, found %s",
                    describe(q, end, what, sizeof what));
    }
    cursor int_end = q;
    if (q < end && *q == '.') {
        q++;
        if (q >= end || !is_digit(*q))
            return fail(ps, q, JREAD_ERR_NUMBER, "expected a digit after '.', found %s",
                        describe(q, end, what, sizeof what));
        while (q < end && is_digit(*q))
            q++;
    }
    if (q < end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        if (q >= end || !is_digit(*q))
            return fail(ps, q, JREAD_ERR_NUMBER, "expected a digit in the exponent, found %s",
                        describe(q, end, what, sizeof what));
        while (q < end && is_digit(*q))
            q++;
    }
    /* strtod needs a terminated copy: the text may not end after the number */
    size_t len = (size_t)(q - s);
    char small[64];
    char *copy = len < sizeof small ? small : malloc(len + 1);
    if (!copy)
        return fail(ps, s, JREAD_ERR_NOMEM, "out of memory");
    memcpy(copy, s, len);
    copy[len] = '\0';
    double v = strtod(copy, NULL);
    if (copy != small)
        free(copy);
    if (isinf(v))
        return fail(ps, s, JREAD_ERR_NUMBER, "number out of the range of a double");
    out->type = JREAD_NUMBER;
    out->number = v;
    if (int_end == q) { /* an integer literal: keep it exact when int64_t holds it */
        uint64_t mag = 0;
        int neg = *s == '-', fits = 1;
        for (cursor d = s + neg; d < q && fits; d++) {
            unsigned digit = *d - '0';
            if (mag > (UINT64_MAX - digit) / 10)
                fits = 0;
            else
                mag = mag * 10 + digit;
        }
        if (fits && mag <= (uint64_t)INT64_MAX + (uint64_t)neg) {
            out->is_integer = 1;
            out->integer = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag)
                               : (int64_t)mag;
        }
    }
    ps->p = q;
    return 0;
}

static int parse_literal(parser *ps, jread_value *out, const char *word, jread_type type, int b)
{
    size_t n = strlen(word), avail = (size_t)(ps->end - ps->p);
    if (avail < n && memcmp(ps->p, word, avail) == 0)
        return fail(ps, ps->end, JREAD_ERR_EOF, "the text ends inside the literal '%s'", word);
    if (avail < n || memcmp(ps->p, word, n) != 0)
        return fail(ps, ps->p, JREAD_ERR_SYNTAX, "invalid literal (expected '%s')", word);
    out->type = type;
    out->boolean = b;
    ps->p += n;
    return 0;
}

static int enter(parser *ps, int depth)
{
    if (depth + 1 > ps->max_depth)
        return fail(ps, ps->p, JREAD_ERR_DEPTH, "nesting deeper than %d levels", ps->max_depth);
    return 0;
}

static int parse_array(parser *ps, jread_value *out, int depth)
{
    char what[32];
    size_t cap = 0;
    if (enter(ps, depth))
        return -1;
    out->type = JREAD_ARRAY;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return 0;
    }
    for (;;) {
        if (out->n == cap) {
            size_t ncap = cap ? 2 * cap : 4;
            jread_value *items = realloc(out->items, ncap * sizeof *items);
            if (!items)
                return fail(ps, ps->p, JREAD_ERR_NOMEM, "out of memory");
            out->items = items;
            cap = ncap;
        }
        jread_value *item = &out->items[out->n];
        memset(item, 0, sizeof *item);
        out->n++; /* counted before it is parsed: a failure half way frees what it holds */
        if (parse_value(ps, item, depth + 1))
            return -1;
        skip_ws(ps);
        if (ps->p >= ps->end)
            return fail(ps, ps->end, JREAD_ERR_EOF, "the text ends inside an array");
        if (*ps->p == ']') {
            ps->p++;
            return 0;
        }
        if (*ps->p != ',')
            return fail(ps, ps->p, JREAD_ERR_SYNTAX,
                        "expected ',' or ']' after an array item, found %s",
                        describe(ps->p, ps->end, what, sizeof what));
        ps->p++;
    }
}

/* A key as an error message shows it: at most 40 bytes, anything unprintable as '?'. */
static const char *show_key(const char *key, size_t len, char *buf, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 4 < size && i < 40; i++)
        buf[n++] = (key[i] >= 0x20 && key[i] < 0x7F) ? key[i] : '?';
    if (len > 40 && n + 4 < size) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

static int parse_object(parser *ps, jread_value *out, int depth)
{
    char what[48];
    size_t cap = 0;
    if (enter(ps, depth))
        return -1;
    out->type = JREAD_OBJECT;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return 0;
    }
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end)
            return fail(ps, ps->end, JREAD_ERR_EOF, "the text ends inside an object");
        if (*ps->p != '"')
            return fail(ps, ps->p, JREAD_ERR_SYNTAX, "expected a member name (a string), found %s",
                        describe(ps->p, ps->end, what, sizeof what));
        cursor key_at = ps->p;
        char *key;
        size_t key_len;
        if (parse_string(ps, &key, &key_len))
            return -1;
        for (size_t i = 0; i < out->n; i++) {
            if (out->members[i].key_len == key_len && !memcmp(out->members[i].key, key, key_len)) {
                fail(ps, key_at, JREAD_ERR_DUPLICATE, "duplicate member name \"%s\"",
                     show_key(key, key_len, what, sizeof what));
                free(key);
                return -1;
            }
        }
        if (out->n == cap) {
            size_t ncap = cap ? 2 * cap : 4;
            jread_member *m = realloc(out->members, ncap * sizeof *m);
            if (!m) {
                free(key);
                return fail(ps, ps->p, JREAD_ERR_NOMEM, "out of memory");
            }
            out->members = m;
            cap = ncap;
        }
        jread_member *m = &out->members[out->n];
        memset(m, 0, sizeof *m);
        m->key = key;
        m->key_len = key_len;
        out->n++;
        skip_ws(ps);
        if (ps->p >= ps->end)
            return fail(ps, ps->end, JREAD_ERR_EOF, "the text ends inside an object");
        if (*ps->p != ':')
            return fail(ps, ps->p, JREAD_ERR_SYNTAX, "expected ':' after the member name, found %s",
                        describe(ps->p, ps->end, what, sizeof what));
        ps->p++;
        if (parse_value(ps, &m->value, depth + 1))
            return -1;
        skip_ws(ps);
        if (ps->p >= ps->end)
            return fail(ps, ps->end, JREAD_ERR_EOF, "the text ends inside an object");
        if (*ps->p == '}') {
            ps->p++;
            return 0;
        }
        if (*ps->p != ',')
            return fail(ps, ps->p, JREAD_ERR_SYNTAX,
                        "expected ',' or '}' after an object member, found %s",
                        describe(ps->p, ps->end, what, sizeof what));
        ps->p++;
    }
}

static int parse_value(parser *ps, jread_value *out, int depth)
{
    char what[32];
    skip_ws(ps);
    if (ps->p >= ps->end)
        return fail(ps, ps->end, JREAD_ERR_EOF, "expected a value, found the end of the text");
    switch (*ps->p) {
    case '{':
        return parse_object(ps, out, depth);
    case '[':
        return parse_array(ps, out, depth);
    case '"':
        if (parse_string(ps, &out->string, &out->len))
            return -1;
        out->type = JREAD_STRING;
        return 0;
    case 't':
        return parse_literal(ps, out, "true", JREAD_BOOL, 1);
    case 'f':
        return parse_literal(ps, out, "false", JREAD_BOOL, 0);
    case 'n':
        return parse_literal(ps, out, "null", JREAD_NULL, 0);
    default:
        if (*ps->p == '-' || is_digit(*ps->p))
            return parse_number(ps, out);
        return fail(ps, ps->p, JREAD_ERR_SYNTAX, "expected a value, found %s",
                    describe(ps->p, ps->end, what, sizeof what));
    }
}

jread_value *jread_parse(const char *text, size_t len, int max_depth, jread_error *err)
{
    parser ps = {(cursor)text, (cursor)text, (cursor)text + len, max_depth, err};
    if (ps.max_depth <= 0)
        ps.max_depth = JREAD_DEFAULT_MAX_DEPTH;
    if (ps.max_depth > JREAD_MAX_DEPTH_LIMIT)
        ps.max_depth = JREAD_MAX_DEPTH_LIMIT;
    if (err)
        memset(err, 0, sizeof *err);
    jread_value *root = calloc(1, sizeof *root);
    if (!root) {
        fail(&ps, ps.p, JREAD_ERR_NOMEM, "out of memory");
        return NULL;
    }
    char what[32];
    if (parse_value(&ps, root, 0) == 0) {
        skip_ws(&ps);
        if (ps.p == ps.end)
            return root;
        fail(&ps, ps.p, JREAD_ERR_TRAILING, "%s after the value",
             describe(ps.p, ps.end, what, sizeof what));
    }
    jread_free(root);
    return NULL;
}

jread_value *jread_parse_file(const char *path, int max_depth, jread_error *err)
{
    jread_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0;
    int e = 0;
    if (!f) {
        e = errno;
    } else {
        for (;;) {
            if (len == cap) {
                size_t ncap = cap ? 2 * cap : 65536;
                char *t = realloc(text, ncap);
                if (!t) {
                    e = ENOMEM;
                    break;
                }
                text = t;
                cap = ncap;
            }
            size_t got = fread(text + len, 1, cap - len, f);
            len += got;
            if (got == 0) {
                if (ferror(f))
                    e = errno ? errno : EIO;
                break;
            }
        }
        fclose(f);
    }
    if (e) {
        free(text);
        err->code = e == ENOMEM ? JREAD_ERR_NOMEM : JREAD_ERR_IO;
        snprintf(err->message, sizeof err->message, "%s: %s", path, strerror(e));
        return NULL;
    }
    jread_value *root = jread_parse(text, len, max_depth, err);
    free(text);
    if (!root) {
        char msg[sizeof err->message];
        memcpy(msg, err->message, sizeof msg);
        int n = snprintf(err->message, sizeof err->message, "%s: %s", path, msg);
        if (n < 0 || (size_t)n >= sizeof err->message) /* a long path: show that it was cut */
            memcpy(err->message + sizeof err->message - 4, "...", 4);
    }
    return root;
}

/* ---- lookups ------------------------------------------------------------------------------ */

const char *jread_type_name(jread_type t)
{
    switch (t) {
    case JREAD_NULL:
        return "null";
    case JREAD_BOOL:
        return "boolean";
    case JREAD_NUMBER:
        return "number";
    case JREAD_STRING:
        return "string";
    case JREAD_ARRAY:
        return "array";
    case JREAD_OBJECT:
        return "object";
    }
    return "?";
}

const jread_value *jread_get_n(const jread_value *object, const char *key, size_t key_len)
{
    if (!object || object->type != JREAD_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->n; i++)
        if (object->members[i].key_len == key_len && !memcmp(object->members[i].key, key, key_len))
            return &object->members[i].value;
    return NULL;
}

const jread_value *jread_get(const jread_value *object, const char *key)
{
    return jread_get_n(object, key, strlen(key));
}

const jread_value *jread_at(const jread_value *array, size_t i)
{
    if (!array || array->type != JREAD_ARRAY || i >= array->n)
        return NULL;
    return &array->items[i];
}

const jread_value *jread_pointer(const jread_value *root, const char *pointer)
{
    const jread_value *v = root;
    const char *p = pointer;
    char token[256];
    while (v && *p) {
        if (*p != '/')
            return NULL;
        p++;
        size_t n = 0;
        while (*p && *p != '/') {
            char c = *p++;
            if (c == '~') {
                if (*p != '0' && *p != '1')
                    return NULL;
                c = *p++ == '0' ? '~' : '/';
            }
            if (n + 1 >= sizeof token)
                return NULL;
            token[n++] = c;
        }
        token[n] = '\0';
        if (v->type == JREAD_OBJECT) {
            v = jread_get_n(v, token, n);
        } else if (v->type == JREAD_ARRAY) {
            if (n == 0 || (n > 1 && token[0] == '0') || n > 18)
                return NULL;
            size_t i = 0;
            for (size_t k = 0; k < n; k++) {
                if (!is_digit((unsigned char)token[k]))
                    return NULL;
                i = i * 10 + (size_t)(token[k] - '0');
            }
            v = jread_at(v, i);
        } else {
            return NULL;
        }
    }
    return v;
}

const char *jread_string(const jread_value *v)
{
    return v && v->type == JREAD_STRING ? v->string : NULL;
}

int jread_number(const jread_value *v, double *out)
{
    if (!v || v->type != JREAD_NUMBER)
        return 0;
    *out = v->number;
    return 1;
}

int jread_equal(const jread_value *a, const jread_value *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case JREAD_NULL:
        return 1;
    case JREAD_BOOL:
        return a->boolean == b->boolean;
    case JREAD_NUMBER:
        if (a->is_integer && b->is_integer)
            return a->integer == b->integer;
        return a->number == b->number;
    case JREAD_STRING:
        return a->len == b->len && !memcmp(a->string, b->string, a->len);
    case JREAD_ARRAY:
        if (a->n != b->n)
            return 0;
        for (size_t i = 0; i < a->n; i++)
            if (!jread_equal(&a->items[i], &b->items[i]))
                return 0;
        return 1;
    case JREAD_OBJECT:
        /* member names are unique (the parser rejects duplicates), so equal counts and every
         * member of a found in b make the two sets equal */
        if (a->n != b->n)
            return 0;
        for (size_t i = 0; i < a->n; i++) {
            const jread_member *m = &a->members[i];
            const jread_value *o = jread_get_n(b, m->key, m->key_len);
            if (!o || !jread_equal(&m->value, o))
                return 0;
        }
        return 1;
    }
    return 0;
}
