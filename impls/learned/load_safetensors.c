/* load_safetensors.c - posenc_weights_load_safetensors: one F32/F16/BF16 (rows, dim) tensor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/half.h"
#include "learned/json_scan.h"
#include "learned/file_io.h"
#include "learned/weights.h"

/* The format (huggingface/safetensors): an 8-byte little-endian header size N, N bytes of JSON
 * mapping tensor names to {"dtype", "shape", "data_offsets": [begin, end]} plus an optional
 * "__metadata__" object, then the byte buffer the offsets index. Element bytes are
 * little-endian; they are assembled byte by byte, so any host reads them the same. */

/* The reference implementation's MAX_HEADER_SIZE: a corrupt size field must not make us
 * allocate gigabytes before the JSON is even looked at. */
#define ST_MAX_HEADER 100000000ull
#define ST_MAX_DIM 65536
#define ST_METADATA "__metadata__"

/* ---- the header ---------------------------------------------------------------------------- */

/* The element types of the format and their sizes in bits: safetensors' Dtype (0.6: the OCP
 * microscaling types F4, F6_*, F8_E8M0 and C64 included). A name not listed is FORMAT for any
 * entry, as the reference deserializer refuses it; only F32, F16 and BF16 can be loaded. */
static const struct {
    const char *name;
    unsigned bits;
} st_dtypes[] = {
    {"BOOL", 8},    {"F4", 4},       {"F6_E2M3", 6}, {"F6_E3M2", 6}, {"U8", 8},
    {"I8", 8},      {"F8_E5M2", 8},  {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"I16", 16},
    {"U16", 16},    {"F16", 16},     {"BF16", 16},   {"I32", 32},    {"U32", 32},
    {"F32", 32},    {"C64", 64},     {"F64", 64},    {"I64", 64},    {"U64", 64},
};
#define ST_N_DTYPES (sizeof st_dtypes / sizeof *st_dtypes)

/* A name or value from the header, cut and with control bytes replaced, for a message. */
static const char *shown(const json_value *s, char buf[72])
{
    size_t len = json_string_copy(s, buf, 64);
    for (size_t i = 0; i < len && i < 63; i++) /* a decoded \u0000 too */
        if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7F) buf[i] = '?';
    if (len > 63) strcpy(buf + 63, "...");
    return buf;
}

/* One tensor entry as the format defines it. */
typedef struct tensor_info {
    size_t dtype;        /* index in st_dtypes */
    size_t ndim;
    uint64_t shape[2];   /* the first two extents */
    uint64_t begin, end; /* data_offsets, end - begin proven equal to the byte size */
} tensor_info;

static int bad_entry(const char *path, const json_value *name, const char *what)
{
    char nb[72];
    return posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s': %s", path, shown(name, nb), what);
}

/* Check one tensor entry by the format's rules (the reference's TensorInfo and
 * Metadata::validate): an object with "dtype" (a known name), "shape" (integers >= 0) and
 * "data_offsets" ([begin, end], begin <= end, end - begin the tensor's byte size), each once.
 * Other members are ignored, as the reference ignores them. Every failure is FORMAT. */
static int read_entry(const char *path, const json_value *name, const json_value *entry,
                      tensor_info *ti)
{
    json_iter it, arr;
    json_value key, val, elem;
    int have_dtype = 0, have_shape = 0, have_offsets = 0;
    uint64_t elements = 1, bits;

    if (entry->type != JSON_OBJECT) return bad_entry(path, name, "entry is not a JSON object");
    memset(ti, 0, sizeof *ti);
    json_iter_init(&it, entry);
    while (json_object_next(&it, &key, &val)) {
        if (json_string_equals(&key, "dtype", 5)) {
            char db[72];
            if (have_dtype++) return bad_entry(path, name, "\"dtype\" appears twice");
            if (val.type != JSON_STRING) return bad_entry(path, name, "\"dtype\" is not a string");
            for (ti->dtype = 0; ti->dtype < ST_N_DTYPES; ti->dtype++)
                if (json_string_equals(&val, st_dtypes[ti->dtype].name,
                                       strlen(st_dtypes[ti->dtype].name)))
                    break;
            if (ti->dtype == ST_N_DTYPES) {
                char nb[72];
                return posenc_fail(POSENC_ERR_FORMAT,
                                   "%s: tensor '%s': dtype '%s' is not a safetensors dtype",
                                   path, shown(name, nb), shown(&val, db));
            }
        } else if (json_string_equals(&key, "shape", 5)) {
            if (have_shape++) return bad_entry(path, name, "\"shape\" appears twice");
            if (val.type != JSON_ARRAY) return bad_entry(path, name, "\"shape\" is not an array");
            json_iter_init(&arr, &val);
            while (json_array_next(&arr, &elem)) {
                uint64_t x = 0;
                if (json_uint64(&elem, &x) != JSON_UINT_OK)
                    return bad_entry(path, name,
                                     "\"shape\" holds something other than an integer in "
                                     "[0, 2^64)");
                if (ti->ndim < 2) ti->shape[ti->ndim] = x;
                ti->ndim++;
                if (elements && x > UINT64_MAX / elements)
                    return bad_entry(path, name, "\"shape\" has more than 2^64 elements");
                elements *= x;
            }
        } else if (json_string_equals(&key, "data_offsets", 12)) {
            uint64_t off[2];
            size_t n = 0;
            if (have_offsets++) return bad_entry(path, name, "\"data_offsets\" appears twice");
            if (val.type != JSON_ARRAY)
                return bad_entry(path, name, "\"data_offsets\" is not an array");
            json_iter_init(&arr, &val);
            while (json_array_next(&arr, &elem)) {
                uint64_t x;
                if (n == 2 || json_uint64(&elem, &x) != JSON_UINT_OK)
                    return bad_entry(path, name,
                                     "\"data_offsets\" is not [begin, end] in bytes below 2^64");
                off[n++] = x;
            }
            if (n != 2)
                return bad_entry(path, name,
                                 "\"data_offsets\" is not [begin, end] in bytes below 2^64");
            ti->begin = off[0];
            ti->end = off[1];
        }
    }
    if (!have_dtype) return bad_entry(path, name, "no \"dtype\"");
    if (!have_shape) return bad_entry(path, name, "no \"shape\"");
    if (!have_offsets) return bad_entry(path, name, "no \"data_offsets\"");
    if (elements && st_dtypes[ti->dtype].bits > UINT64_MAX / elements)
        return bad_entry(path, name, "the byte size of \"shape\" overflows 64 bits");
    bits = elements * st_dtypes[ti->dtype].bits;
    if (bits % 8)
        return bad_entry(path, name, "the tensor does not end on a byte boundary");
    if (ti->begin > ti->end) {
        char nb[72];
        return posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s': data_offsets [%llu, %llu] end "
                           "before they begin", path, shown(name, nb),
                           (unsigned long long)ti->begin, (unsigned long long)ti->end);
    }
    if (ti->end - ti->begin != bits / 8) {
        char nb[72];
        return posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s': data_offsets [%llu, %llu] span "
                           "%llu bytes, dtype %s and the shape need %llu", path, shown(name, nb),
                           (unsigned long long)ti->begin, (unsigned long long)ti->end,
                           (unsigned long long)(ti->end - ti->begin),
                           st_dtypes[ti->dtype].name, (unsigned long long)(bits / 8));
    }
    return POSENC_OK;
}

/* "__metadata__": absent, null (the reference reads it as an Option), or an object whose
 * values are all strings. */
static int check_metadata(const char *path, const json_value *meta, const char ***keys,
                          size_t *n_keys)
{
    json_iter it;
    json_value key, val;
    size_t n = 0;
    if (meta->type == JSON_NULL) return POSENC_OK;
    if (meta->type != JSON_OBJECT)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: '%s' is not an object", path, ST_METADATA);
    json_iter_init(&it, meta);
    while (json_object_next(&it, &key, &val)) {
        char kb[72];
        if (val.type != JSON_STRING)
            return posenc_fail(POSENC_ERR_FORMAT, "%s: '%s' maps '%s' to something other than "
                               "a string", path, ST_METADATA, shown(&key, kb));
        n++;
    }
    /* each member takes at least 6 bytes of the header: the array is smaller than the header */
    *keys = malloc((n ? n : 1) * sizeof **keys);
    if (!*keys) return posenc_fail(POSENC_ERR_NOMEM, "%s: no memory for the metadata", path);
    json_iter_init(&it, meta);
    for (*n_keys = 0; json_object_next(&it, &key, &val);)
        (*keys)[(*n_keys)++] = key.begin;
    return POSENC_OK;
}

static int cmp_key(const void *a, const void *b)
{
    return json_string_compare(*(const char *const *)a, *(const char *const *)b);
}

/* The first key that appears twice among keys[0, n) (sorted in place), or NULL. */
static const char *duplicate_key(const char **keys, size_t n)
{
    if (n < 2) return NULL; /* keys may be NULL then, which qsort must not be given */
    qsort(keys, n, sizeof *keys, cmp_key);
    for (size_t i = 1; i < n; i++)
        if (json_string_compare(keys[i - 1], keys[i]) == 0) return keys[i];
    return NULL;
}

/* A tensor's place in the buffer, kept for the coverage check. */
typedef struct st_span {
    const char *name; /* the key's opening quote */
    uint64_t begin, end;
} st_span;

static int cmp_span(const void *a, const void *b)
{
    const st_span *x = a, *y = b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return 0;
}

/* A string value from a key's opening quote, for messages. */
static json_value key_at(const char *quote)
{
    json_value v = {JSON_STRING, quote, json_string_end(quote)};
    return v;
}

/* The whole header by the format's rules, as the reference's SafeTensors::read_metadata checks
 * it: every entry well formed, no name twice (nor twice in "__metadata__"), and the tensors,
 * in order of their offsets, covering the buffer from 0 to its last byte with no gap and no
 * overlap. FORMAT for any failure. */
static int validate_header(const char *path, const json_value *root, uint64_t buf_size)
{
    json_iter it;
    json_value key, val;
    tensor_info ti;
    st_span *spans = NULL;
    const char **names = NULL, **meta_keys = NULL, *dup;
    size_t n = 0, n_meta = 0, i;
    int seen_meta = 0, rc = POSENC_OK;
    uint64_t start = 0;
    char nb[72];

    if (root->type != JSON_OBJECT)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: header is not a JSON object", path);
    /* first pass: each entry on its own; counting them bounds the arrays by the header size */
    json_iter_init(&it, root);
    while (json_object_next(&it, &key, &val)) {
        if (json_string_equals(&key, ST_METADATA, strlen(ST_METADATA))) {
            if (seen_meta++) {
                rc = posenc_fail(POSENC_ERR_FORMAT, "%s: '%s' appears twice", path,
                                 ST_METADATA);
                goto done;
            }
            if ((rc = check_metadata(path, &val, &meta_keys, &n_meta)) != POSENC_OK) goto done;
            continue;
        }
        if ((rc = read_entry(path, &key, &val, &ti)) != POSENC_OK) goto done;
        n++;
    }
    if ((dup = duplicate_key(meta_keys, n_meta)) != NULL) {
        json_value k = key_at(dup);
        rc = posenc_fail(POSENC_ERR_FORMAT, "%s: '%s' has the key '%s' twice", path,
                         ST_METADATA, shown(&k, nb));
        goto done;
    }
    /* each entry takes well over sizeof(st_span) + sizeof(char *) bytes of the header */
    spans = malloc((n ? n : 1) * sizeof *spans);
    names = malloc((n ? n : 1) * sizeof *names);
    if (!spans || !names) {
        rc = posenc_fail(POSENC_ERR_NOMEM, "%s: no memory for %zu tensor entries", path, n);
        goto done;
    }
    json_iter_init(&it, root);
    for (i = 0; json_object_next(&it, &key, &val);) {
        if (json_string_equals(&key, ST_METADATA, strlen(ST_METADATA))) continue;
        read_entry(path, &key, &val, &ti); /* checked above */
        spans[i].name = names[i] = key.begin;
        spans[i].begin = ti.begin;
        spans[i].end = ti.end;
        i++;
    }
    if ((dup = duplicate_key(names, n)) != NULL) {
        json_value k = key_at(dup);
        rc = posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s' is described twice", path,
                         shown(&k, nb));
        goto done;
    }
    if (n > 1) qsort(spans, n, sizeof *spans, cmp_span);
    for (i = 0; i < n; i++) {
        json_value k = key_at(spans[i].name);
        if (spans[i].begin != start) {
            rc = posenc_fail(POSENC_ERR_FORMAT,
                             "%s: tensor '%s' starts at byte %llu of the buffer, where %s", path,
                             shown(&k, nb), (unsigned long long)spans[i].begin,
                             spans[i].begin > start ? "a gap would be left before it"
                                                    : "it would overlap the tensor before it");
            goto done;
        }
        start = spans[i].end;
    }
    if (start != buf_size) {
        rc = posenc_fail(POSENC_ERR_FORMAT,
                         "%s: the tensors cover %llu bytes, the data buffer holds %llu", path,
                         (unsigned long long)start, (unsigned long long)buf_size);
        goto done;
    }
done:
    free(spans);
    free(names);
    free(meta_keys);
    return rc;
}

/* Find the entry called name in a validated header. */
static int find_tensor(const char *path, const char *name, const json_value *root,
                       json_value *key_out, json_value *entry)
{
    json_iter it;
    json_value key, val;
    size_t len = strlen(name);
    if (strcmp(name, ST_METADATA) == 0)
        return posenc_fail(POSENC_ERR_NOT_FOUND, "%s: '%s' holds metadata, not a tensor", path,
                           ST_METADATA);
    json_iter_init(&it, root);
    while (json_object_next(&it, &key, &val)) {
        if (json_string_equals(&key, name, len)) {
            *key_out = key;
            *entry = val;
            return POSENC_OK;
        }
    }
    return posenc_fail(POSENC_ERR_NOT_FOUND, "%s: no tensor named '%s'", path, name);
}

/* ---- the loader ---------------------------------------------------------------------------- */

static int read_half_tensor(FILE *f, const char *path, posenc_weights *w, size_t count,
                            uint32_t (*convert)(uint16_t))
{
    unsigned char chunk[8192];
    size_t done = 0;
    while (done < count) {
        size_t k = count - done;
        int rc;
        if (k > sizeof chunk / 2) k = sizeof chunk / 2;
        rc = file_read_exact(f, path, chunk, 2 * k, "the tensor data");
        if (rc != POSENC_OK) return rc;
        for (size_t i = 0; i < k; i++) {
            uint32_t bits = convert((uint16_t)(chunk[2 * i] | chunk[2 * i + 1] << 8));
            memcpy(&w->data[done + i], &bits, sizeof bits);
        }
        done += k;
    }
    return POSENC_OK;
}

static int read_f32_tensor(FILE *f, const char *path, posenc_weights *w, size_t count)
{
    int rc = file_read_exact(f, path, w->data, count * sizeof(float), "the tensor data");
    if (rc == POSENC_OK)
        file_floats_from_little_endian(w->data, count);
    return rc;
}

static int load(FILE *f, const char *path, unsigned long long size, const char *name,
                posenc_weights **out)
{
    unsigned char pre[8];
    unsigned long long hlen, buf_start, buf_size;
    size_t count;
    char *header = NULL;
    json_value root = {0}, key = {0}, entry = {0}; /* the compiler cannot see failures skip them */
    json_error jerr;
    tensor_info ti;
    posenc_weights *w = NULL;
    const char *dtype;
    uint64_t rows, dim;
    int rc;

    /* Every size below is checked against the size fstat reported before anything is read
     * or allocated past it, and no difference is taken before its operands are ordered. */
    if (size < sizeof pre)
        return posenc_fail(POSENC_ERR_FORMAT,
                           "%s: file is %llu bytes (as the file system reports it), too short "
                           "for the 8-byte header size", path, size);
    if ((rc = file_read_exact(f, path, pre, sizeof pre, "the header size")) != POSENC_OK)
        return rc;
    hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | pre[i];
    if (hlen > ST_MAX_HEADER)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: header size %llu exceeds the limit %llu",
                           path, hlen, ST_MAX_HEADER);
    if (hlen > size - sizeof pre) /* size >= 8 */
        return posenc_fail(POSENC_ERR_FORMAT, "%s: header size %llu exceeds file size %llu",
                           path, hlen, size);
    buf_start = sizeof pre + hlen;
    buf_size = size - buf_start; /* buf_start <= size */

    header = malloc(hlen ? (size_t)hlen : 1);
    if (!header) return posenc_fail(POSENC_ERR_NOMEM, "%s: no memory for the header", path);
    if ((rc = file_read_exact(f, path, header, (size_t)hlen, "the header")) != POSENC_OK)
        goto done;
    /* the format: the header starts with '{' and may be padded with trailing spaces */
    if (hlen == 0 || header[0] != '{') {
        rc = posenc_fail(POSENC_ERR_FORMAT, "%s: the header does not start with '{'", path);
        goto done;
    }
    if (json_parse(header, (size_t)hlen, &root, &jerr) != 0) {
        rc = posenc_fail(POSENC_ERR_FORMAT, "%s: bad JSON header at byte %llu: %s", path,
                         8 + (unsigned long long)jerr.offset, jerr.what);
        goto done;
    }
    /* the whole file first: a file the format forbids is refused whatever is asked of it */
    if ((rc = validate_header(path, &root, buf_size)) != POSENC_OK) goto done;
    if ((rc = find_tensor(path, name, &root, &key, &entry)) != POSENC_OK) goto done;
    if ((rc = read_entry(path, &key, &entry, &ti)) != POSENC_OK) goto done;

    dtype = st_dtypes[ti.dtype].name;
    if (strcmp(dtype, "F32") != 0 && strcmp(dtype, "F16") != 0 && strcmp(dtype, "BF16") != 0) {
        rc = posenc_fail(POSENC_ERR_DTYPE,
                         "%s: tensor '%s' has dtype %s, expected F32, F16 or BF16", path, name,
                         dtype);
        goto done;
    }
    rows = ti.shape[0], dim = ti.shape[1];
    if (ti.ndim != 2 || rows == 0 || dim == 0 || dim > ST_MAX_DIM) {
        rc = posenc_fail(POSENC_ERR_SHAPE,
                         "%s: tensor '%s' is %zu-D with extents [%llu, %llu%s]: expected "
                         "[rows, dim], extents >= 1, dim <= %d", path, name, ti.ndim,
                         (unsigned long long)rows, (unsigned long long)dim,
                         ti.ndim > 2 ? ", ..." : "", ST_MAX_DIM);
        goto done;
    }
    /* the bound is the float32 table we build, which may be twice the stored bytes */
    if (rows > (uint64_t)INT64_MAX || rows > SIZE_MAX / sizeof(float) / dim) {
        rc = posenc_fail(POSENC_ERR_OVERFLOW, "%s: tensor '%s' shape [%llu, %llu] overflows size_t",
                         path, name, (unsigned long long)rows, (unsigned long long)dim);
        goto done;
    }
    count = (size_t)rows * (size_t)dim;

    /* only now, with the tensor's bytes proven to lie inside the file, is the table allocated */
    if ((rc = posenc_weights_alloc((int64_t)rows, (int64_t)dim, &w)) != POSENC_OK) goto done;
    if ((rc = file_seek_to(f, path, buf_start + ti.begin)) == POSENC_OK) {
        if (strcmp(dtype, "F32") == 0)
            rc = read_f32_tensor(f, path, w, count);
        else
            rc = read_half_tensor(f, path, w, count,
                                  strcmp(dtype, "F16") == 0 ? posenc_f16_to_f32_bits
                                                            : posenc_bf16_to_f32_bits);
    }
    if (rc != POSENC_OK) {
        posenc_weights_free(w);
        goto done;
    }
    *out = w;
done:
    free(header);
    return rc;
}

int posenc_weights_load_safetensors(const char *path, const char *name, posenc_weights **out)
{
    FILE *f = NULL;
    unsigned long long size = 0;
    int rc;
    posenc_clear_error();
    if (!path)
        return posenc_fail(POSENC_ERR_NULL, "posenc_weights_load_safetensors: path is NULL");
    if (!name)
        return posenc_fail(POSENC_ERR_NULL, "posenc_weights_load_safetensors: name is NULL");
    if (!out) return posenc_fail(POSENC_ERR_NULL, "posenc_weights_load_safetensors: out is NULL");
    if ((rc = file_open_regular(path, &f, &size)) != POSENC_OK) return rc;
    rc = load(f, path, size, name, out);
    fclose(f);
    return rc;
}
