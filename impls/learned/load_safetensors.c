/* load_safetensors.c - posenc_weights_load_safetensors: one F32/F16/BF16 (rows, dim) tensor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
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

/* ---- element conversion -------------------------------------------------------------------- */

/* IEEE binary16 to binary32 bits. Every half is exactly a float: the exponent is rebiased
 * (15 -> 127), subnormal halves become normal floats, inf stays inf and a NaN keeps its sign
 * and payload (quiet or signalling) in the top mantissa bits. Bits, not a float, are returned
 * so a signalling NaN is never loaded into an FPU register that might quiet it. */
static uint32_t f16_to_f32_bits(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t mant = h & 0x3FFu;
    if (exp == 0x1Fu) return sign | 0x7F800000u | (mant << 13);
    if (exp != 0) return sign | ((exp + (127 - 15)) << 23) | (mant << 13);
    if (mant == 0) return sign;
    /* subnormal: mant * 2^-24; shift the leading one up to the implicit bit position */
    exp = 127 - 15 + 1;
    while (!(mant & 0x400u)) {
        mant <<= 1;
        exp--;
    }
    return sign | (exp << 23) | ((mant & 0x3FFu) << 13);
}

/* bfloat16 is the top half of a binary32. */
static uint32_t bf16_to_f32_bits(uint16_t h) { return (uint32_t)h << 16; }

/* ---- the header ---------------------------------------------------------------------------- */

typedef struct tensor_info {
    json_value dtype;          /* a string */
    size_t ndim;
    uint64_t shape[2];         /* the first two extents */
    int shape_negative, shape_too_big;
    uint64_t begin, end;
} tensor_info;

static int bad_field(const char *path, const char *name, const char *what)
{
    return posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s': %s", path, name, what);
}

/* Structural checks of the tensor's entry: every failure here is FORMAT. */
static int read_info(const char *path, const char *name, const json_value *entry,
                     tensor_info *ti)
{
    json_iter it, arr;
    json_value key, val, elem;
    int have_dtype = 0, have_shape = 0, have_offsets = 0;

    if (entry->type != JSON_OBJECT) return bad_field(path, name, "entry is not a JSON object");
    memset(ti, 0, sizeof *ti);
    json_iter_init(&it, entry);
    while (json_object_next(&it, &key, &val)) {
        if (json_string_equals(&key, "dtype", 5)) {
            if (have_dtype++) return bad_field(path, name, "\"dtype\" appears twice");
            if (val.type != JSON_STRING) return bad_field(path, name, "\"dtype\" is not a string");
            ti->dtype = val;
        } else if (json_string_equals(&key, "shape", 5)) {
            if (have_shape++) return bad_field(path, name, "\"shape\" appears twice");
            if (val.type != JSON_ARRAY) return bad_field(path, name, "\"shape\" is not an array");
            json_iter_init(&arr, &val);
            while (json_array_next(&arr, &elem)) {
                uint64_t x = 0;
                switch (json_uint64(&elem, &x)) {
                case JSON_UINT_OK: break;
                case JSON_UINT_NEGATIVE: ti->shape_negative = 1; break;
                case JSON_UINT_TOO_BIG: ti->shape_too_big = 1; break;
                default: return bad_field(path, name, "\"shape\" holds a non-integer");
                }
                if (ti->ndim < 2) ti->shape[ti->ndim] = x;
                ti->ndim++;
            }
        } else if (json_string_equals(&key, "data_offsets", 12)) {
            uint64_t off[2];
            size_t n = 0;
            if (have_offsets++) return bad_field(path, name, "\"data_offsets\" appears twice");
            if (val.type != JSON_ARRAY)
                return bad_field(path, name, "\"data_offsets\" is not an array");
            json_iter_init(&arr, &val);
            while (json_array_next(&arr, &elem)) {
                uint64_t x;
                if (n == 2 || json_uint64(&elem, &x) != JSON_UINT_OK)
                    return bad_field(path, name,
                                     "\"data_offsets\" is not [begin, end] in bytes below 2^64");
                off[n++] = x;
            }
            if (n != 2)
                return bad_field(path, name,
                                 "\"data_offsets\" is not [begin, end] in bytes below 2^64");
            ti->begin = off[0];
            ti->end = off[1];
        }
        /* other members are tolerated: the format may grow */
    }
    if (!have_dtype) return bad_field(path, name, "no \"dtype\"");
    if (!have_shape) return bad_field(path, name, "no \"shape\"");
    if (!have_offsets) return bad_field(path, name, "no \"data_offsets\"");
    return POSENC_OK;
}

/* Find the entry called name in the top-level object; a name given twice is ambiguous. */
static int find_tensor(const char *path, const char *name, const json_value *root,
                       json_value *entry)
{
    json_iter it;
    json_value key, val;
    size_t len = strlen(name);
    int found = 0;
    if (root->type != JSON_OBJECT)
        return posenc_fail(POSENC_ERR_FORMAT, "%s: header is not a JSON object", path);
    if (strcmp(name, ST_METADATA) == 0)
        return posenc_fail(POSENC_ERR_NOT_FOUND, "%s: '%s' holds metadata, not a tensor", path,
                           ST_METADATA);
    json_iter_init(&it, root);
    while (json_object_next(&it, &key, &val)) {
        if (!json_string_equals(&key, name, len)) continue;
        if (found++)
            return posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s' is described twice", path,
                               name);
        *entry = val;
    }
    if (!found) return posenc_fail(POSENC_ERR_NOT_FOUND, "%s: no tensor named '%s'", path, name);
    return POSENC_OK;
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
        if ((rc = file_read_exact(f, path, chunk, 2 * k, "the tensor data")) != POSENC_OK) return rc;
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
    unsigned long long hlen, buf_start, buf_size, need;
    size_t elem_size, count;
    char *header = NULL;
    char dtype[16];
    json_value root = {0}, entry = {0}; /* the compiler cannot see that failures skip them */
    json_error jerr;
    tensor_info ti;
    posenc_weights *w = NULL;
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
    if ((rc = file_seek_to(f, path, 8)) != POSENC_OK ||
        (rc = file_read_exact(f, path, header, (size_t)hlen, "the header")) != POSENC_OK)
        goto done;
    if (json_parse(header, (size_t)hlen, &root, &jerr) != 0) {
        rc = posenc_fail(POSENC_ERR_FORMAT, "%s: bad JSON header at byte %llu: %s", path,
                         8 + (unsigned long long)jerr.offset, jerr.what);
        goto done;
    }
    if ((rc = find_tensor(path, name, &root, &entry)) != POSENC_OK) goto done;
    if ((rc = read_info(path, name, &entry, &ti)) != POSENC_OK) goto done;

    if (json_string_equals(&ti.dtype, "F32", 3)) {
        elem_size = 4;
    } else if (json_string_equals(&ti.dtype, "F16", 3) ||
               json_string_equals(&ti.dtype, "BF16", 4)) {
        elem_size = 2;
    } else {
        size_t len = json_string_copy(&ti.dtype, dtype, sizeof dtype);
        for (size_t i = 0; i < len && i < sizeof dtype - 1; i++)
            if ((unsigned char)dtype[i] < 0x20) dtype[i] = '?'; /* keep the message one line */
        rc = posenc_fail(POSENC_ERR_DTYPE,
                         "%s: tensor '%s' has dtype '%s', expected F32, F16 or BF16", path,
                         name, dtype);
        goto done;
    }
    if (ti.ndim != 2) {
        rc = posenc_fail(POSENC_ERR_SHAPE, "%s: tensor '%s' is %zu-D, expected [rows, dim]", path,
                         name, ti.ndim);
        goto done;
    }
    if (ti.shape_negative) {
        rc = posenc_fail(POSENC_ERR_SHAPE, "%s: tensor '%s' has a negative extent", path, name);
        goto done;
    }
    if (ti.shape_too_big) {
        rc = posenc_fail(POSENC_ERR_OVERFLOW, "%s: tensor '%s' has an extent above 2^64", path,
                         name);
        goto done;
    }
    rows = ti.shape[0], dim = ti.shape[1];
    if (rows == 0 || dim == 0 || dim > ST_MAX_DIM) {
        rc = posenc_fail(POSENC_ERR_SHAPE,
                         "%s: tensor '%s' has shape [%llu, %llu]: extents must be >= 1, dim <= %d",
                         path, name, (unsigned long long)rows, (unsigned long long)dim,
                         ST_MAX_DIM);
        goto done;
    }
    /* the bound is the float32 table we build, which is at least as big as the stored bytes */
    if (rows > (uint64_t)INT64_MAX || rows > SIZE_MAX / sizeof(float) / dim) {
        rc = posenc_fail(POSENC_ERR_OVERFLOW, "%s: tensor '%s' shape [%llu, %llu] overflows size_t",
                         path, name, (unsigned long long)rows, (unsigned long long)dim);
        goto done;
    }
    count = (size_t)rows * (size_t)dim;
    need = (unsigned long long)count * elem_size;
    if (ti.begin > ti.end) {
        rc = posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s' data_offsets [%llu, %llu] end before "
                         "they begin", path, name, (unsigned long long)ti.begin,
                         (unsigned long long)ti.end);
        goto done;
    }
    if (ti.end - ti.begin != need) {
        rc = posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s' data_offsets [%llu, %llu] span %llu "
                         "bytes, shape [%llu, %llu] needs %llu", path, name,
                         (unsigned long long)ti.begin, (unsigned long long)ti.end,
                         (unsigned long long)(ti.end - ti.begin), (unsigned long long)rows,
                         (unsigned long long)dim, need);
        goto done;
    }
    if (ti.end > buf_size) {
        rc = posenc_fail(POSENC_ERR_FORMAT, "%s: tensor '%s' data_offsets end %llu lies past the "
                         "%llu-byte data buffer", path, name, (unsigned long long)ti.end,
                         buf_size);
        goto done;
    }

    if ((rc = posenc_weights_alloc((int64_t)rows, (int64_t)dim, &w)) != POSENC_OK) goto done;
    if ((rc = file_seek_to(f, path, buf_start + ti.begin)) == POSENC_OK) {
        if (elem_size == 4)
            rc = read_f32_tensor(f, path, w, count);
        else
            rc = read_half_tensor(f, path, w, count,
                                  json_string_equals(&ti.dtype, "F16", 3) ? f16_to_f32_bits
                                                                          : bf16_to_f32_bits);
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
