/* load_npy.c - posenc_weights_load_npy: a float32 (rows, dim) table from a NumPy .npy file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "learned/file_io.h"
#include "learned/weights.h"

/* The format (numpy/lib/format.py): "\x93NUMPY", major and minor version bytes, the header
 * length (2 bytes LE for 1.0, 4 bytes LE for 2.0 and 3.0), then the header: a Python dict
 * literal padded with spaces and a '\n', then the raw array. Data is read as little-endian
 * whatever the host; on a big-endian host the bytes are swapped after reading.
 *
 * What is accepted is decided against numpy.load with its defaults (numpy 2.x:
 * lib/_format_impl.py read_array and _read_array_header, _core/src/multiarray/descriptor.c
 * _convert_from_str): a file loads here exactly when numpy.load would give a little-endian
 * float32, C-order, 2-D array from it, within the Python literal syntax numpy writers produce.
 * Where the two could differ, the choice and its reason:
 * - descr: every spelling numpy.dtype() reads as little-endian float32 on this host is taken:
 *   '<f4', and, as '=' and '|' (and no prefix) mean native order, '=f4', '|f4', 'f4' on a
 *   little-endian host; the one-letter code 'f' with any of those prefixes ('<f', 'f'); the
 *   size as C's strtol reads it ('<f04', '<f+4', '<f 4'); the names 'float32' and 'single'
 *   without a prefix (numpy looks names up with the prefix attached, so '<float32' fails).
 *   '>f4' is DTYPE; so is a native spelling on a big-endian host, where it means big-endian.
 * - bytes after the array: ignored, as numpy.load ignores them (np.save called twice on one
 *   open file writes two arrays back to back, and numpy.load reads the first); the table is
 *   the rows * dim * 4 bytes after the header.
 * - a header over 10000 bytes: FORMAT, as numpy refuses it unless max_header_size is raised
 *   (numpy counts characters; every header that could describe a float32 array is ASCII, so
 *   bytes and characters agree wherever it matters).
 * - Python 2's long suffix (3L): accepted in 1.0 and 2.0 headers, which numpy filters for it,
 *   refused (FORMAT) in 3.0 headers, which it does not; only 'L', as numpy's filter drops
 *   only that token.
 * - a key given twice: the last value counts, as in a Python dict literal.
 * - a NUL byte anywhere in the header: FORMAT, as Python refuses source with NUL bytes.
 * Python literal spellings no numpy writer produces are refused (FORMAT): string escapes and
 * prefixes, implicit string concatenation, comments, line continuations, integers in hex,
 * with underscores, a '+' sign or leading zeros, and bools as extents. */

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
/* numpy's default max_header_size; a float32 header is under 128 bytes */
#define NPY_MAX_HEADER 10000u
/* Nesting of tuples and lists in a value; only structured dtypes nest at all. */
#define NPY_MAX_NEST 16
/* Extents kept per tuple: enough to tell 2-D from anything else. */
#define NPY_KEEP_ITEMS 4
#define NPY_MAX_DIM 65536

/* ---- the header dictionary ----------------------------------------------------------------- */

/* The Python literals numpy writes: str, bool, None, int and tuples or lists of them. */
typedef enum py_kind { PY_STR, PY_BOOL, PY_NONE, PY_INT, PY_TUPLE, PY_LIST } py_kind;

typedef struct py_value {
    py_kind kind;
    const char *str; /* PY_STR: the characters between the quotes */
    size_t len;
    int truth;       /* PY_BOOL */
    uint64_t u;      /* PY_INT: magnitude, valid unless too_big */
    int negative;    /* PY_INT; for sequences: some item is a negative int */
    int too_big;     /* PY_INT: above UINT64_MAX; for sequences: some item is */
    size_t n_items;  /* PY_TUPLE, PY_LIST */
    int all_ints;    /* PY_TUPLE, PY_LIST: every item is a PY_INT */
    uint64_t items[NPY_KEEP_ITEMS];
} py_value;

typedef struct npy_parser {
    const char *start, *p, *end;
    const char *path;
    unsigned long long base; /* file offset of start, for messages */
    int long_suffix;         /* Python 2's 3L is allowed (format 1.0 and 2.0) */
} npy_parser;

static int syntax(const npy_parser *ps, const char *what)
{
    return posenc_fail(POSENC_ERR_FORMAT, "%s: header dictionary: %s at byte %llu", ps->path,
                       what, ps->base + (unsigned long long)(ps->p - ps->start));
}

/* Python's whitespace between tokens (all inside the dict's braces, where newlines join) */
static void skip_ws(npy_parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
                               *ps->p == '\r' || *ps->p == '\f'))
        ps->p++;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_name_char(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int parse_value(npy_parser *ps, int depth, py_value *v);

static int parse_str(npy_parser *ps, py_value *v)
{
    char quote = *ps->p++;
    const char *s = ps->p;
    /* numpy's strings ('descr', '<f4', field names) never need escapes: refusing them keeps
     * the string's bytes equal to its value */
    while (ps->p < ps->end && *ps->p != quote) {
        if (*ps->p == '\\' || *ps->p == '\n' || *ps->p == '\r')
            return syntax(ps, "escape or newline in a string");
        ps->p++;
    }
    if (ps->p >= ps->end) return syntax(ps, "unterminated string");
    v->kind = PY_STR;
    v->str = s;
    v->len = (size_t)(ps->p - s);
    ps->p++;
    return POSENC_OK;
}

static int parse_int(npy_parser *ps, py_value *v)
{
    v->kind = PY_INT;
    if (*ps->p == '-') v->negative = 1, ps->p++;
    if (ps->p >= ps->end || !is_digit(*ps->p)) return syntax(ps, "digit expected");
    if (*ps->p == '0' && ps->p + 1 < ps->end && is_digit(ps->p[1]))
        return syntax(ps, "leading zero in an integer");
    for (; ps->p < ps->end && is_digit(*ps->p); ps->p++) {
        unsigned d = (unsigned)(*ps->p - '0');
        if (v->u > (UINT64_MAX - d) / 10u)
            v->too_big = 1;
        else
            v->u = v->u * 10u + d;
    }
    /* Python 2 numpy wrote shapes as (3L, 4L); numpy drops the 'L' for 1.0 and 2.0 only */
    if (ps->long_suffix && ps->p < ps->end && *ps->p == 'L') ps->p++;
    if (ps->p < ps->end && (is_name_char(*ps->p) || *ps->p == '.'))
        return syntax(ps, "malformed integer");
    return POSENC_OK;
}

static int parse_name(npy_parser *ps, py_value *v)
{
    const char *s = ps->p;
    size_t n;
    while (ps->p < ps->end && is_name_char(*ps->p))
        ps->p++;
    n = (size_t)(ps->p - s);
    if (n == 4 && memcmp(s, "True", 4) == 0) {
        v->kind = PY_BOOL, v->truth = 1;
    } else if (n == 5 && memcmp(s, "False", 5) == 0) {
        v->kind = PY_BOOL, v->truth = 0;
    } else if (n == 4 && memcmp(s, "None", 4) == 0) {
        v->kind = PY_NONE;
    } else {
        ps->p = s;
        return syntax(ps, "unknown name");
    }
    return POSENC_OK;
}

static int parse_seq(npy_parser *ps, int depth, py_value *v)
{
    char close = *ps->p == '(' ? ')' : ']';
    int trailing_comma = 0, rc;
    py_value item;
    if (depth >= NPY_MAX_NEST) return syntax(ps, "tuples or lists nested too deeply");
    v->kind = close == ')' ? PY_TUPLE : PY_LIST;
    v->all_ints = 1;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return POSENC_OK;
    }
    for (;;) {
        if ((rc = parse_value(ps, depth + 1, &item)) != POSENC_OK) return rc;
        if (item.kind == PY_INT) {
            if (v->n_items < NPY_KEEP_ITEMS) v->items[v->n_items] = item.u;
        } else {
            v->all_ints = 0;
        }
        v->negative |= item.negative;
        v->too_big |= item.too_big;
        v->n_items++;
        skip_ws(ps);
        if (ps->p >= ps->end) return syntax(ps, "unterminated tuple or list");
        if (*ps->p == close) {
            ps->p++;
            break;
        }
        if (*ps->p != ',') return syntax(ps, "',' expected");
        ps->p++;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            trailing_comma = 1;
            break;
        }
    }
    /* as in Python, "(3)" is the int 3; only "(3,)" is a 1-tuple */
    if (v->kind == PY_TUPLE && v->n_items == 1 && !trailing_comma) *v = item;
    return POSENC_OK;
}

static int parse_value(npy_parser *ps, int depth, py_value *v)
{
    memset(v, 0, sizeof *v);
    skip_ws(ps);
    if (ps->p >= ps->end) return syntax(ps, "value expected");
    switch (*ps->p) {
    case '\'': case '"': return parse_str(ps, v);
    case '(': case '[': return parse_seq(ps, depth, v);
    case '-': return parse_int(ps, v);
    default:
        if (is_digit(*ps->p)) return parse_int(ps, v);
        if (is_name_char(*ps->p)) return parse_name(ps, v);
        return syntax(ps, "value expected");
    }
}

enum { KEY_DESCR, KEY_FORTRAN, KEY_SHAPE, N_KEYS };
static const char *const key_names[N_KEYS] = {"descr", "fortran_order", "shape"};

/* Parse the whole header into values[] for the three keys numpy writes; any other key, a
 * repeated or missing key, or anything after the closing brace but whitespace is FORMAT. */
static int parse_header(npy_parser *ps, py_value values[N_KEYS])
{
    int seen[N_KEYS] = {0}, rc;
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != '{') return syntax(ps, "'{' expected");
    ps->p++;
    for (;;) {
        py_value key, val;
        int k;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            break;
        }
        if ((rc = parse_value(ps, 0, &key)) != POSENC_OK) return rc;
        if (key.kind != PY_STR) return syntax(ps, "a key that is not a string");
        for (k = 0; k < N_KEYS; k++)
            if (strlen(key_names[k]) == key.len && memcmp(key.str, key_names[k], key.len) == 0)
                break;
        if (k == N_KEYS)
            return posenc_fail(POSENC_ERR_FORMAT, "%s: unexpected key '%.*s' in the header",
                               ps->path, (int)(key.len > 64 ? 64 : key.len), key.str);
        /* a key given twice: the last value counts, as in a Python dict literal */
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':') return syntax(ps, "':' expected");
        ps->p++;
        if ((rc = parse_value(ps, 0, &val)) != POSENC_OK) return rc;
        values[k] = val;
        seen[k] = 1;
        skip_ws(ps);
        if (ps->p >= ps->end) return syntax(ps, "unterminated dictionary");
        if (*ps->p == '}') {
            ps->p++;
            break;
        }
        if (*ps->p != ',') return syntax(ps, "',' or '}' expected");
        ps->p++;
    }
    skip_ws(ps);
    if (ps->p != ps->end) return syntax(ps, "unexpected data after the dictionary");
    for (int k = 0; k < N_KEYS; k++)
        if (!seen[k])
            return posenc_fail(POSENC_ERR_FORMAT, "%s: header has no '%s' key", ps->path,
                               key_names[k]);
    return POSENC_OK;
}

/* 1 if numpy.dtype(descr) is float32 in little-endian order on this host, following
 * _convert_from_str: an optional byte-order character ('|' means '='), then either one type
 * character, or a kind character and a size that strtol reads to its end, or (with no
 * byte-order character, since the lookup uses the whole string) a registered name. */
static int descr_is_le_float32(const char *s, size_t n)
{
    char order = '=';
    int prefixed = 0;
    if (n > 0 && (s[0] == '<' || s[0] == '>' || s[0] == '=' || s[0] == '|')) {
        order = s[0] == '|' ? '=' : s[0];
        prefixed = 1;
        s++, n--;
    }
    /* '=' is the host's order: little-endian on x86-64 and AArch64, but asked, not assumed */
    if (order == '>' || (order == '=' && !file_host_is_little_endian())) return 0;
    if (n == 1) return s[0] == 'f';
    if (n >= 2 && s[0] == 'f') {
        /* strtol: C-locale spaces, a sign, decimal digits to the end, value 4 */
        size_t i = 1;
        unsigned long v = 0;
        int digits = 0, minus = 0;
        while (i < n && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
            i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) minus = s[i++] == '-';
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
            if (v <= 4) v = v * 10 + (unsigned long)(s[i] - '0'); /* saturates above 4 */
        if (digits && i == n) return !minus && v == 4;
    }
    if (prefixed) return 0;
    return (n == 7 && memcmp(s, "float32", 7) == 0) || (n == 6 && memcmp(s, "single", 6) == 0);
}

/* A string from the header for a message: printable ASCII as is, anything else as \xNN, cut
 * after 32 bytes, so a NUL or a control byte can neither cut the message nor hide in it. */
static const char *escaped(const char *s, size_t n, char out[160])
{
    size_t o = 0;
    for (size_t i = 0; i < n && i < 32; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)sprintf(out + o, "\\x%02x", c);
    }
    if (n > 32) memcpy(out + o, "...", 3), o += 3;
    out[o] = '\0';
    return out;
}

/* DTYPE, SHAPE and OVERFLOW checks of a parsed header; *bytes is the data size it promises. */
static int check_header(const char *path, const py_value v[N_KEYS], int64_t *rows,
                        int64_t *dim, unsigned long long *bytes)
{
    const py_value *d = &v[KEY_DESCR], *f = &v[KEY_FORTRAN], *s = &v[KEY_SHAPE];
    uint64_t r, c;

    if (d->kind == PY_LIST || d->kind == PY_TUPLE)
        return posenc_fail(POSENC_ERR_DTYPE, "%s: %s dtype, expected '<f4'", path,
                           d->kind == PY_LIST ? "structured" : "subarray");
    if (d->kind != PY_STR)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: 'descr' is not a string", path);
    if (!descr_is_le_float32(d->str, d->len)) {
        char buf[160];
        return posenc_fail(POSENC_ERR_DTYPE,
                           "%s: dtype '%s', expected little-endian float32 ('<f4')", path,
                           escaped(d->str, d->len, buf));
    }
    if (f->kind != PY_BOOL)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: 'fortran_order' is not True or False", path);
    if (f->truth)
        return posenc_fail(POSENC_ERR_DTYPE,
                           "%s: Fortran-order (column-major) arrays are not supported", path);

    if (s->kind != PY_TUPLE || !s->all_ints)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: 'shape' is not a tuple of integers", path);
    if (s->n_items != 2)
        return posenc_fail(POSENC_ERR_SHAPE, "%s: array is %zu-D, expected (rows, dim)", path,
                           s->n_items);
    if (s->negative)
        return posenc_fail(POSENC_ERR_SHAPE, "%s: shape has a negative extent", path);
    if (s->too_big)
        return posenc_fail(POSENC_ERR_OVERFLOW, "%s: shape extent above 2^64", path);
    r = s->items[0], c = s->items[1];
    if (r == 0 || c == 0)
        return posenc_fail(POSENC_ERR_SHAPE, "%s: shape (%llu, %llu) has a zero extent", path,
                           (unsigned long long)r, (unsigned long long)c);
    if (c > NPY_MAX_DIM)
        return posenc_fail(POSENC_ERR_SHAPE, "%s: dim %llu exceeds the limit %d", path,
                           (unsigned long long)c, NPY_MAX_DIM);
    if (r > (uint64_t)INT64_MAX || r > SIZE_MAX / sizeof(float) / c)
        return posenc_fail(POSENC_ERR_OVERFLOW, "%s: shape (%llu, %llu) overflows size_t", path,
                           (unsigned long long)r, (unsigned long long)c);
    *rows = (int64_t)r;
    *dim = (int64_t)c;
    *bytes = (unsigned long long)r * c * sizeof(float);
    return POSENC_OK;
}

/* ---- the loader ---------------------------------------------------------------------------- */

static int load(FILE *f, const char *path, unsigned long long size, posenc_weights **out)
{
    unsigned char pre[12]; /* magic, version, and at most 4 length bytes */
    unsigned long long hlen, hstart, have, need = 0;
    size_t n, len_bytes;
    char *header = NULL;
    py_value values[N_KEYS];
    npy_parser ps;
    posenc_weights *w = NULL;
    int64_t rows = 0, dim = 0;
    int rc;

    /* Every size below is checked against the size fstat reported before anything is read
     * or allocated past it, and no difference is taken before its operands are ordered. */
    n = size < sizeof pre ? (size_t)size : sizeof pre;
    if ((rc = file_read_exact(f, path, pre, n, "the magic")) != POSENC_OK) return rc;
    if (memcmp(pre, NPY_MAGIC, n < NPY_MAGIC_LEN ? n : NPY_MAGIC_LEN) != 0)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: not a .npy file (bad magic)", path);
    if (n < NPY_MAGIC_LEN + 2)
        return posenc_fail(POSENC_ERR_FORMAT,
                           "%s: file is %llu bytes (as the file system reports it), too short "
                           "for a .npy file", path, size);
    if (pre[6] == 1 && pre[7] == 0)
        len_bytes = 2;
    else if ((pre[6] == 2 || pre[6] == 3) && pre[7] == 0)
        len_bytes = 4; /* 3.0 differs from 2.0 only in allowing UTF-8 in the header */
    else
        return posenc_fail(POSENC_ERR_FORMAT, "%s: unsupported .npy format version %u.%u", path,
                           pre[6], pre[7]);
    hstart = NPY_MAGIC_LEN + 2 + len_bytes;
    if (n < hstart)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: file ends inside the header length", path);
    hlen = (unsigned long long)pre[8] | (unsigned long long)pre[9] << 8;
    if (len_bytes == 4)
        hlen |= (unsigned long long)pre[10] << 16 | (unsigned long long)pre[11] << 24;
    /* hstart <= n <= size here */
    if (hlen > size - hstart)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: header length %llu exceeds file size %llu",
                           path, hlen, size);
    if (hlen > NPY_MAX_HEADER)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: header length %llu exceeds the limit %u",
                           path, hlen, NPY_MAX_HEADER);

    header = malloc(hlen ? (size_t)hlen : 1);
    if (!header) return posenc_fail(POSENC_ERR_NOMEM, "%s: no memory for the header", path);
    if ((rc = file_seek_to(f, path, hstart)) != POSENC_OK ||
        (rc = file_read_exact(f, path, header, (size_t)hlen, "the header")) != POSENC_OK)
        goto done;
    {
        const char *nul = memchr(header, '\0', (size_t)hlen);
        if (nul) {
            rc = posenc_fail(POSENC_ERR_FORMAT, "%s: header has a NUL byte at byte %llu", path,
                             hstart + (unsigned long long)(nul - header));
            goto done;
        }
    }
    ps.start = ps.p = header;
    ps.end = header + hlen;
    ps.path = path;
    ps.base = hstart;
    ps.long_suffix = pre[6] <= 2;
    memset(values, 0, sizeof values);
    if ((rc = parse_header(&ps, values)) != POSENC_OK) goto done;
    if ((rc = check_header(path, values, &rows, &dim, &need)) != POSENC_OK) goto done;

    /* hstart + hlen <= size was checked above */
    have = size - (hstart + hlen);
    if (have < need) {
        rc = posenc_fail(POSENC_ERR_FORMAT,
                         "%s: %llu bytes of data, shape (%lld, %lld) needs %llu", path, have,
                         (long long)rows, (long long)dim, need);
        goto done;
    }
    /* bytes after the array are ignored, as numpy.load ignores them */
    /* only now, with the data proven to be in the file, is the table allocated */
    if ((rc = posenc_weights_alloc(rows, dim, &w)) != POSENC_OK) goto done;
    if ((rc = file_read_exact(f, path, w->data, (size_t)need, "the data")) != POSENC_OK) {
        posenc_weights_free(w);
        goto done;
    }
    file_floats_from_little_endian(w->data, (size_t)rows * (size_t)dim);
    *out = w;
done:
    free(header);
    return rc;
}

int posenc_weights_load_npy(const char *path, posenc_weights **out)
{
    FILE *f = NULL;
    unsigned long long size = 0;
    int rc;
    posenc_clear_error();
    if (!path) return posenc_fail(POSENC_ERR_NULL, "posenc_weights_load_npy: path is NULL");
    if (!out) return posenc_fail(POSENC_ERR_NULL, "posenc_weights_load_npy: out is NULL");
    if ((rc = file_open_regular(path, &f, &size)) != POSENC_OK) return rc;
    rc = load(f, path, size, out);
    fclose(f);
    return rc;
}
