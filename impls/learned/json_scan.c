/* json_scan.c - strict JSON validation and in-place walking, sized for safetensors headers. */
#include "json_scan.h"

#include <string.h>

typedef struct scanner {
    const char *start; /* offsets in errors are counted from here */
    const char *end;
    json_error *err;   /* may be NULL when re-walking a validated document */
} scanner;

/* Every scan_* function takes the position of the first byte of what it scans and returns the
 * position just past it, or NULL after recording why it failed. */
static const char *fail_at(scanner *sc, const char *at, const char *what)
{
    if (sc->err) {
        sc->err->offset = (size_t)(at - sc->start);
        sc->err->what = what;
    }
    return NULL;
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The four hex digits of a \u escape; p is just past the 'u'. */
static const char *scan_hex4(scanner *sc, const char *p, unsigned *cp)
{
    unsigned v = 0;
    if (sc->end - p < 4) return fail_at(sc, p, "truncated \\u escape");
    for (int i = 0; i < 4; i++) {
        int h = hex_value(p[i]);
        if (h < 0) return fail_at(sc, p + i, "bad hex digit in \\u escape");
        v = v * 16u + (unsigned)h;
    }
    *cp = v;
    return p + 4;
}

/* Length of the well-formed UTF-8 sequence at p (< end), or 0. Overlong forms, UTF-16
 * surrogates and code points above U+10FFFF are not well-formed (RFC 3629). */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0], cp, min;
    size_t n;
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0; /* a continuation byte, or a 2-byte overlong form */
    if (c < 0xE0) {
        n = 2, cp = c & 0x1Fu, min = 0x80;
    } else if (c < 0xF0) {
        n = 3, cp = c & 0x0Fu, min = 0x800;
    } else if (c < 0xF5) {
        n = 4, cp = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0u) != 0x80u) return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu)) return 0;
    return n;
}

static const char *scan_string(scanner *sc, const char *p)
{
    p++; /* the opening quote */
    for (;;) {
        if (p >= sc->end) return fail_at(sc, p, "unterminated string");
        unsigned char c = (unsigned char)*p;
        if (c == '"') return p + 1;
        if (c < 0x20) return fail_at(sc, p, "control character in string");
        if (c == '\\') {
            const char *esc = p;
            p++;
            if (p >= sc->end) return fail_at(sc, p, "unterminated string");
            switch (*p) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                p++;
                break;
            case 'u': {
                unsigned hi = 0, lo = 0;
                p = scan_hex4(sc, p + 1, &hi);
                if (!p) return NULL;
                if (hi >= 0xDC00u && hi <= 0xDFFFu)
                    return fail_at(sc, esc, "unpaired low surrogate in \\u escape");
                if (hi >= 0xD800u && hi <= 0xDBFFu) {
                    if (sc->end - p < 2 || p[0] != '\\' || p[1] != 'u')
                        return fail_at(sc, esc, "unpaired high surrogate in \\u escape");
                    p = scan_hex4(sc, p + 2, &lo);
                    if (!p) return NULL;
                    if (lo < 0xDC00u || lo > 0xDFFFu)
                        return fail_at(sc, esc, "unpaired high surrogate in \\u escape");
                }
                break;
            }
            default:
                return fail_at(sc, p, "invalid escape in string");
            }
        } else if (c < 0x80) {
            p++;
        } else {
            size_t n = utf8_sequence((const unsigned char *)p, (const unsigned char *)sc->end);
            if (n == 0) return fail_at(sc, p, "invalid UTF-8 in string");
            p += n;
        }
    }
}

static const char *scan_number(scanner *sc, const char *p)
{
    const char *end = sc->end;
    if (p < end && *p == '-') p++;
    if (p >= end || !is_digit(*p)) return fail_at(sc, p, "malformed number");
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p)) return fail_at(sc, p, "leading zero in number");
    } else {
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p)) return fail_at(sc, p, "digit expected after '.'");
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end || !is_digit(*p)) return fail_at(sc, p, "digit expected in exponent");
        while (p < end && is_digit(*p))
            p++;
    }
    return p;
}

static const char *scan_literal(scanner *sc, const char *p, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(sc->end - p) < n || memcmp(p, word, n) != 0)
        return fail_at(sc, p, "invalid literal");
    return p + n;
}

static const char *scan_value(scanner *sc, const char *p, int depth, json_value *out);

static const char *scan_array(scanner *sc, const char *p, int depth)
{
    if (depth > JSON_MAX_DEPTH) return fail_at(sc, p, "nesting deeper than 64 levels");
    p = skip_ws(p + 1, sc->end);
    if (p < sc->end && *p == ']') return p + 1;
    for (;;) {
        p = scan_value(sc, p, depth, NULL);
        if (!p) return NULL;
        p = skip_ws(p, sc->end);
        if (p >= sc->end) return fail_at(sc, p, "unterminated array");
        if (*p == ']') return p + 1;
        if (*p != ',') return fail_at(sc, p, "',' or ']' expected");
        p = skip_ws(p + 1, sc->end);
    }
}

static const char *scan_object(scanner *sc, const char *p, int depth)
{
    if (depth > JSON_MAX_DEPTH) return fail_at(sc, p, "nesting deeper than 64 levels");
    p = skip_ws(p + 1, sc->end);
    if (p < sc->end && *p == '}') return p + 1;
    for (;;) {
        if (p >= sc->end) return fail_at(sc, p, "unterminated object");
        if (*p != '"') return fail_at(sc, p, "string key expected");
        p = scan_string(sc, p);
        if (!p) return NULL;
        p = skip_ws(p, sc->end);
        if (p >= sc->end || *p != ':') return fail_at(sc, p, "':' expected after key");
        p = skip_ws(p + 1, sc->end);
        p = scan_value(sc, p, depth, NULL);
        if (!p) return NULL;
        p = skip_ws(p, sc->end);
        if (p >= sc->end) return fail_at(sc, p, "unterminated object");
        if (*p == '}') return p + 1;
        if (*p != ',') return fail_at(sc, p, "',' or '}' expected");
        p = skip_ws(p + 1, sc->end);
    }
}

static const char *scan_value(scanner *sc, const char *p, int depth, json_value *out)
{
    const char *q;
    json_type type;
    if (p >= sc->end) return fail_at(sc, p, "value expected");
    switch (*p) {
    case '{': type = JSON_OBJECT, q = scan_object(sc, p, depth + 1); break;
    case '[': type = JSON_ARRAY, q = scan_array(sc, p, depth + 1); break;
    case '"': type = JSON_STRING, q = scan_string(sc, p); break;
    case 't': type = JSON_BOOL, q = scan_literal(sc, p, "true"); break;
    case 'f': type = JSON_BOOL, q = scan_literal(sc, p, "false"); break;
    case 'n': type = JSON_NULL, q = scan_literal(sc, p, "null"); break;
    default:
        if (*p != '-' && !is_digit(*p)) return fail_at(sc, p, "value expected");
        type = JSON_NUMBER, q = scan_number(sc, p);
        break;
    }
    if (q && out) {
        out->type = type;
        out->begin = p;
        out->end = q;
    }
    return q;
}

int json_parse(const char *text, size_t len, json_value *root, json_error *err)
{
    static const char empty[1] = {0};
    json_value v;
    if (!text) text = empty, len = 0; /* arithmetic on a null pointer is undefined */
    scanner sc = {text, text + len, err};
    const char *p = skip_ws(text, sc.end);
    p = scan_value(&sc, p, 0, &v);
    if (!p) return -1;
    p = skip_ws(p, sc.end);
    if (p != sc.end) {
        fail_at(&sc, p, "unexpected data after the JSON value");
        return -1;
    }
    *root = v;
    return 0;
}

void json_iter_init(json_iter *it, const json_value *container)
{
    /* the interior, between the brackets */
    it->p = container->begin + 1;
    it->end = container->end - 1;
}

int json_object_next(json_iter *it, json_value *key, json_value *val)
{
    scanner sc = {it->p, it->end, NULL};
    const char *p = skip_ws(it->p, it->end);
    if (p < it->end && *p == ',') p = skip_ws(p + 1, it->end);
    if (p >= it->end || *p != '"') return 0;
    p = scan_value(&sc, p, 0, key);
    if (!p) return 0;
    p = skip_ws(p, it->end);
    if (p >= it->end || *p != ':') return 0;
    p = skip_ws(p + 1, it->end);
    p = scan_value(&sc, p, 0, val);
    if (!p) return 0;
    it->p = p;
    return 1;
}

int json_array_next(json_iter *it, json_value *elem)
{
    scanner sc = {it->p, it->end, NULL};
    const char *p = skip_ws(it->p, it->end);
    if (p < it->end && *p == ',') p = skip_ws(p + 1, it->end);
    if (p >= it->end) return 0;
    p = scan_value(&sc, p, 0, elem);
    if (!p) return 0;
    it->p = p;
    return 1;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++)
        v = v * 16u + (unsigned)hex_value(p[i]);
    return v;
}

/* One unit of a validated string body at p: a raw byte, or an escape decoded to UTF-8 in out.
 * Returns the position after it. */
static const char *decode_unit(const char *p, unsigned char out[4], size_t *n)
{
    unsigned cp;
    if (*p != '\\') {
        out[0] = (unsigned char)*p;
        *n = 1;
        return p + 1;
    }
    p++;
    switch (*p) {
    case 'b': cp = '\b'; p++; break;
    case 'f': cp = '\f'; p++; break;
    case 'n': cp = '\n'; p++; break;
    case 'r': cp = '\r'; p++; break;
    case 't': cp = '\t'; p++; break;
    case 'u':
        cp = hex4(p + 1);
        p += 5;
        if (cp >= 0xD800u && cp <= 0xDBFFu) {
            unsigned lo = hex4(p + 2);
            p += 6;
            cp = 0x10000u + ((cp - 0xD800u) << 10) + (lo - 0xDC00u);
        }
        break;
    default: cp = (unsigned char)*p; p++; break; /* \" \\ \/ */
    }
    if (cp < 0x80u) {
        out[0] = (unsigned char)cp;
        *n = 1;
    } else if (cp < 0x800u) {
        out[0] = (unsigned char)(0xC0u | (cp >> 6));
        out[1] = (unsigned char)(0x80u | (cp & 0x3Fu));
        *n = 2;
    } else if (cp < 0x10000u) {
        out[0] = (unsigned char)(0xE0u | (cp >> 12));
        out[1] = (unsigned char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[2] = (unsigned char)(0x80u | (cp & 0x3Fu));
        *n = 3;
    } else {
        out[0] = (unsigned char)(0xF0u | (cp >> 18));
        out[1] = (unsigned char)(0x80u | ((cp >> 12) & 0x3Fu));
        out[2] = (unsigned char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[3] = (unsigned char)(0x80u | (cp & 0x3Fu));
        *n = 4;
    }
    return p;
}

int json_string_equals(const json_value *s, const char *bytes, size_t len)
{
    const unsigned char *want = (const unsigned char *)bytes;
    size_t at = 0;
    if (s->type != JSON_STRING) return 0;
    for (const char *p = s->begin + 1, *end = s->end - 1; p < end;) {
        unsigned char u[4];
        size_t n;
        p = decode_unit(p, u, &n);
        if (n > len - at || memcmp(u, want + at, n) != 0) return 0;
        at += n;
    }
    return at == len;
}

int json_string_compare(const char *a, const char *b)
{
    unsigned char ua[4], ub[4];
    size_t na = 0, nb = 0, ia = 0, ib = 0;
    a++, b++; /* the opening quotes */
    for (;;) {
        if (ia == na) {
            if (*a == '"') break;
            a = decode_unit(a, ua, &na);
            ia = 0;
        }
        if (ib == nb) {
            if (*b == '"') return 1; /* b ended first */
            b = decode_unit(b, ub, &nb);
            ib = 0;
        }
        if (ua[ia] != ub[ib]) return ua[ia] < ub[ib] ? -1 : 1;
        ia++, ib++;
    }
    /* a ended; b may still hold bytes of the current unit or more units */
    return ib < nb || *b != '"' ? -1 : 0;
}

const char *json_string_end(const char *quote)
{
    const char *p = quote + 1;
    while (*p != '"')
        p += *p == '\\' ? 2 : 1; /* the escaped character, or the first of a \uXXXX */
    return p + 1;
}

size_t json_string_copy(const json_value *s, char *buf, size_t cap)
{
    size_t total = 0;
    if (s->type != JSON_STRING) {
        if (cap) buf[0] = '\0';
        return 0;
    }
    for (const char *p = s->begin + 1, *end = s->end - 1; p < end;) {
        unsigned char u[4];
        size_t n;
        p = decode_unit(p, u, &n);
        for (size_t i = 0; i < n; i++, total++)
            if (cap && total < cap - 1) buf[total] = (char)u[i];
    }
    if (cap) buf[total < cap - 1 ? total : cap - 1] = '\0';
    return total;
}

int json_uint64(const json_value *n, uint64_t *out)
{
    const char *p, *digits, *end;
    uint64_t v = 0;
    int negative = 0;
    if (n->type != JSON_NUMBER) return JSON_UINT_NOT_INTEGER;
    p = n->begin, end = n->end;
    if (p < end && *p == '-') negative = 1, p++;
    digits = p;
    while (p < end && is_digit(*p))
        p++;
    if (p == digits || p != end) return JSON_UINT_NOT_INTEGER;
    if (negative) return JSON_UINT_NEGATIVE;
    for (p = digits; p < end; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10u) return JSON_UINT_TOO_BIG;
        v = v * 10u + d;
    }
    *out = v;
    return JSON_UINT_OK;
}
