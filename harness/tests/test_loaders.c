/* test_loaders.c - learned-weight loaders (.npy, .safetensors, from_array): round trips, exact
 * F16/BF16 widening, every kind of bad file, and truncation/corruption sweeps. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, unlink, rmdir, mkfifo, fork, setenv */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "float_bits.h"
#include "posenc.h"

/* Failing calls must leave *out alone: it starts as this address and must still be it. */
static char sentinel_storage;
#define SENTINEL ((posenc_weights *)(void *)&sentinel_storage)

static int verbose;

/* ---- fixture files ------------------------------------------------------------------------- */

static char tmpdir[4096];
static char created[64][64]; /* names made in tmpdir, removed at exit */
static int n_created;

static const char *path_of(const char *name)
{
    static char paths[4][4200];
    static int next;
    char *p = paths[next++ % 4];
    if (snprintf(p, sizeof paths[0], "%s/%s", tmpdir, name) >= (int)sizeof paths[0]) {
        fprintf(stderr, "fixture path too long: %s/%s\n", tmpdir, name);
        exit(2);
    }
    return p;
}

static void remember(const char *name)
{
    for (int i = 0; i < n_created; i++)
        if (strcmp(created[i], name) == 0) return;
    if (n_created < 64) snprintf(created[n_created++], sizeof created[0], "%s", name);
}

static void write_file(const char *name, const void *data, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    remember(name);
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        fprintf(stderr, "cannot write fixture %s\n", path_of(name));
        exit(2);
    }
}

static void make_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/posenc_loaders_XXXXXX", base);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(2);
    }
}

static void remove_tmpdir(void)
{
    for (int i = 0; i < n_created; i++)
        unlink(path_of(created[i]));
    rmdir(tmpdir);
}

/* A growable byte string for building file images. */
typedef struct bytes {
    unsigned char *p;
    size_t n, cap;
} bytes;

static void put(bytes *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p) exit(2);
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void put_str(bytes *b, const char *s) { put(b, s, strlen(s)); }

static void put_le(bytes *b, uint64_t v, int nbytes)
{
    for (int i = 0; i < nbytes; i++) {
        unsigned char c = (unsigned char)(v >> (8 * i));
        put(b, &c, 1);
    }
}

static void put_f32_bits(bytes *b, const uint32_t *bits, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_le(b, bits[i], 4);
}

/* Deterministic xorshift64*, so every run tests the same corruptions. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

/* ---- .npy images, byte for byte as numpy writes them --------------------------------------- */

/* numpy >= 1.24: keys sorted, "'key': repr(value), " each, then spaces so the first extent can
 * grow to 21 digits in place, then spaces and '\n' so the data starts at a multiple of 64. */
static void npy_dict(char *out, size_t cap, const char *descr, const char *fortran,
                     const char *shape)
{
    size_t first = strcspn(shape + 1, ",)");
    int growth = strcmp(shape, "()") == 0 ? 0 : 21 - (int)first;
    snprintf(out, cap, "{'descr': %s, 'fortran_order': %s, 'shape': %s, }%*s", descr, fortran,
             shape, growth, "");
}

/* magic, version, length field, header text (padded numpy's way), data */
static bytes npy_image(int major, const char *header_text, const void *data, size_t data_n)
{
    bytes b = {0};
    size_t len_bytes = major == 1 ? 2 : 4, hlen = strlen(header_text) + 1;
    size_t pad = 64 - (8 + len_bytes + hlen) % 64;
    put(&b, "\x93NUMPY", 6);
    put_le(&b, (uint64_t)major, 1);
    put_le(&b, 0, 1);
    put_le(&b, hlen + pad, (int)len_bytes);
    put_str(&b, header_text);
    for (size_t i = 0; i < pad; i++)
        put_str(&b, " ");
    put_str(&b, "\n");
    put(&b, data, data_n);
    return b;
}

/* the same with the header used as given, unpadded */
static bytes npy_raw(int major, int minor, const char *header_text, const void *data,
                     size_t data_n)
{
    bytes b = {0};
    put(&b, "\x93NUMPY", 6);
    put_le(&b, (uint64_t)major, 1);
    put_le(&b, (uint64_t)minor, 1);
    put_le(&b, strlen(header_text), major == 1 ? 2 : 4);
    put_str(&b, header_text);
    put(&b, data, data_n);
    return b;
}

/* ---- .safetensors images ------------------------------------------------------------------- */

/* u64 header size, the JSON padded with spaces to a multiple of 8 as the reference writer
 * does, then the buffer */
static bytes st_image(const char *json, const void *data, size_t data_n)
{
    bytes b = {0};
    size_t n = strlen(json), padded = (n + 7) / 8 * 8;
    put_le(&b, padded, 8);
    put_str(&b, json);
    for (size_t i = n; i < padded; i++)
        put_str(&b, " ");
    put(&b, data, data_n);
    return b;
}

/* ---- checking outcomes --------------------------------------------------------------------- */

/* w is passed by address: as an argument next to the call that sets it, its value would be
 * read in unspecified order. */
static void check_outcome(const char *label, int rc, int expected, posenc_weights **wp)
{
    posenc_weights *w = *wp;
    if (expected == POSENC_OK) {
        CHECK(rc == POSENC_OK && w != SENTINEL && posenc_last_error()[0] == '\0',
              "%s: returned %d (%s), expected success; message: %s", label, rc,
              posenc_strerror(rc), posenc_last_error());
        if (rc == POSENC_OK && w != SENTINEL) posenc_weights_free(w);
        return;
    }
    CHECK(rc == expected, "%s: returned %d (%s), expected %d (%s); message: %s", label, rc,
          posenc_strerror(rc), expected, posenc_strerror(expected), posenc_last_error());
    CHECK(w == SENTINEL, "%s: *out was written by a failing call", label);
    CHECK(posenc_last_error()[0] != '\0', "%s: posenc_last_error() is empty", label);
    if (verbose) printf("  %-44s %3d  %s\n", label, rc, posenc_last_error());
    if (rc == POSENC_OK && w != SENTINEL) posenc_weights_free(w);
}

static void expect_npy(const char *label, bytes b, int expected)
{
    posenc_weights *w = SENTINEL;
    write_file("case.npy", b.p, b.n);
    free(b.p);
    check_outcome(label, posenc_weights_load_npy(path_of("case.npy"), &w), expected, &w);
}

static void expect_st(const char *label, bytes b, const char *name, int expected)
{
    posenc_weights *w = SENTINEL;
    write_file("case.safetensors", b.p, b.n);
    free(b.p);
    check_outcome(label, posenc_weights_load_safetensors(path_of("case.safetensors"), name, &w),
                  expected, &w);
}

/* Loaded table must be rows x dim, 64-byte aligned, with exactly these float bits. */
static void check_table(const char *label, int rc, posenc_weights **wp, int64_t rows,
                        int32_t dim, const uint32_t *want)
{
    posenc_weights *w = *wp;
    CHECK(rc == POSENC_OK, "%s: returned %d (%s): %s", label, rc, posenc_strerror(rc),
          posenc_last_error());
    if (rc != POSENC_OK) return;
    CHECK(posenc_last_error()[0] == '\0', "%s: message after success: %s", label,
          posenc_last_error());
    CHECK(posenc_weights_rows(w) == rows && posenc_weights_dim(w) == dim,
          "%s: shape (%lld, %d), expected (%lld, %d)", label, (long long)posenc_weights_rows(w),
          posenc_weights_dim(w), (long long)rows, dim);
    CHECK((uintptr_t)posenc_weights_data(w) % 64 == 0, "%s: data not 64-byte aligned", label);
    if (posenc_weights_rows(w) == rows && posenc_weights_dim(w) == dim) {
        const float *d = posenc_weights_data(w);
        size_t bad = 0, first = 0;
        for (size_t i = 0; i < (size_t)rows * (size_t)dim; i++) {
            if (bits_of(d[i]) != want[i] && bad++ == 0) first = i;
        }
        CHECK(bad == 0, "%s: %zu values differ, first [%zu] = 0x%08x, expected 0x%08x", label,
              bad, first, (unsigned)bits_of(d[first]), (unsigned)want[first]);
    }
    posenc_weights_free(w);
}

/* Values that a float-based copy could disturb: -0, subnormals, inf, NaNs with payloads,
 * signalling NaN. */
static const uint32_t special_bits[12] = {
    0x3F800000u, 0x80000000u, 0x00000001u, 0x007FFFFFu, 0x7F800000u, 0xFF800000u,
    0x7FC00000u, 0x7F800001u, 0xFFC12345u, 0x40490FDBu, 0x7F7FFFFFu, 0x00800000u,
};

/* ---- posenc_weights_from_array ------------------------------------------------------------- */

static void test_from_array(void)
{
    float data[12];
    posenc_weights *w = SENTINEL;
    for (int i = 0; i < 12; i++)
        memcpy(&data[i], &special_bits[i], 4);

    check_table("from_array 3x4", posenc_weights_from_array(3, 4, data, &w), &w, 3, 4,
                special_bits);

    w = SENTINEL;
    check_outcome("from_array NULL data", posenc_weights_from_array(3, 4, NULL, &w),
                  POSENC_ERR_NULL, &w);
    CHECK_CODE(posenc_weights_from_array(3, 4, data, NULL), POSENC_ERR_NULL);
    check_outcome("from_array rows 0", posenc_weights_from_array(0, 4, data, &w),
                  POSENC_ERR_SHAPE, &w);
    check_outcome("from_array dim 0", posenc_weights_from_array(3, 0, data, &w),
                  POSENC_ERR_SHAPE, &w);
    check_outcome("from_array rows -1", posenc_weights_from_array(-1, 4, data, &w),
                  POSENC_ERR_SHAPE, &w);
    check_outcome("from_array dim -4", posenc_weights_from_array(3, -4, data, &w),
                  POSENC_ERR_SHAPE, &w);
    check_outcome("from_array dim 65537", posenc_weights_from_array(1, 65537, data, &w),
                  POSENC_ERR_SHAPE, &w);
    check_outcome("from_array rows*dim overflow",
                  posenc_weights_from_array(INT64_MAX, 65536, data, &w), POSENC_ERR_OVERFLOW, &w);
    check_outcome("from_array 2^62 x 1 overflow",
                  posenc_weights_from_array(INT64_C(1) << 62, 1, data, &w), POSENC_ERR_OVERFLOW,
                  &w);

    CHECK(posenc_weights_rows(NULL) == 0, "rows(NULL)");
    CHECK(posenc_weights_dim(NULL) == 0, "dim(NULL)");
    CHECK(posenc_weights_data(NULL) == NULL, "data(NULL)");
    posenc_weights_free(NULL);
}

/* ---- .npy ---------------------------------------------------------------------------------- */

static void test_npy_valid(void)
{
    char dict[256];
    uint32_t *big = malloc(513 * 96 * sizeof *big);
    bytes b;
    posenc_weights *w;
    if (!big) exit(2);

    /* format 1.0, 2.0 and 3.0, as numpy writes them */
    npy_dict(dict, sizeof dict, "'<f4'", "False", "(3, 4)");
    for (int major = 1; major <= 3; major++) {
        char label[64];
        bytes data = {0};
        put_f32_bits(&data, special_bits, 12);
        b = npy_image(major, dict, data.p, data.n);
        CHECK((b.n - data.n) % 64 == 0, "fixture: numpy pads the header to 64 bytes");
        free(data.p);
        write_file("ok.npy", b.p, b.n);
        free(b.p);
        snprintf(label, sizeof label, "npy %d.0 specials", major);
        w = SENTINEL;
        check_table(label, posenc_weights_load_npy(path_of("ok.npy"), &w), &w, 3, 4,
                    special_bits);
    }

    /* a larger table of arbitrary bit patterns */
    for (size_t i = 0; i < 513 * 96; i++)
        big[i] = (uint32_t)(rng() >> 32);
    {
        bytes data = {0};
        put_f32_bits(&data, big, 513 * 96);
        npy_dict(dict, sizeof dict, "'<f4'", "False", "(513, 96)");
        b = npy_image(1, dict, data.p, data.n);
        free(data.p);
        write_file("ok.npy", b.p, b.n);
        free(b.p);
        w = SENTINEL;
        check_table("npy 513x96 random bits", posenc_weights_load_npy(path_of("ok.npy"), &w), &w,
                    513, 96, big);
    }

    /* dictionaries numpy could read but spelled otherwise: other key order, double quotes,
     * no spaces, tuple trailing comma, no trailing comma, Python 2 longs, 16-byte padding */
    {
        static const char *const variants[] = {
            "{'shape': (3, 4), 'fortran_order': False, 'descr': '<f4'}",
            "{\"descr\":\"<f4\",\"fortran_order\":False,\"shape\":(3,4,),}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 4L), }        \n",
            "  {  'descr' : '<f4' ,\t'fortran_order' : False , 'shape' : ( 3 , 4 ) }\n",
        };
        bytes data = {0};
        put_f32_bits(&data, special_bits, 12);
        for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
            char label[64];
            b = npy_raw(1, 0, variants[i], data.p, data.n);
            write_file("ok.npy", b.p, b.n);
            free(b.p);
            snprintf(label, sizeof label, "npy header variant %zu", i);
            w = SENTINEL;
            check_table(label, posenc_weights_load_npy(path_of("ok.npy"), &w), &w, 3, 4,
                        special_bits);
        }
        free(data.p);
    }
    free(big);
}

static void test_npy_bad(void)
{
    char dict[256], hdr[512];
    unsigned char d48[48] = {0};
    bytes b;

    expect_npy("npy empty file", (bytes){0}, POSENC_ERR_FORMAT);
    b = (bytes){0};
    put(&b, "\x93NUM", 4);
    expect_npy("npy truncated magic", b, POSENC_ERR_FORMAT);
    b = (bytes){0};
    put(&b, "\x93NUMPY\x01", 7);
    expect_npy("npy truncated version", b, POSENC_ERR_FORMAT);
    b = (bytes){0};
    put(&b, "\x93NUMPY\x01\x00\x40", 9);
    expect_npy("npy truncated header length", b, POSENC_ERR_FORMAT);
    b = (bytes){0};
    put(&b, "\x93NUMPY\x02\x00\x40\x00", 10);
    expect_npy("npy 2.0 truncated header length", b, POSENC_ERR_FORMAT);

    npy_dict(dict, sizeof dict, "'<f4'", "False", "(3, 4)");
    b = npy_image(1, dict, d48, 48);
    b.p[5] = 'Z';
    expect_npy("npy wrong magic", b, POSENC_ERR_FORMAT);
    b = (bytes){0};
    put(&b, "PK\x03\x04\x14\x00\x00\x00\x00\x00", 10);
    expect_npy("npy given an .npz (zip)", b, POSENC_ERR_FORMAT);
    b = npy_image(1, dict, d48, 48);
    b.p[6] = 4;
    expect_npy("npy version 4.0", b, POSENC_ERR_FORMAT);
    b = npy_image(1, dict, d48, 48);
    b.p[7] = 1;
    expect_npy("npy version 1.1", b, POSENC_ERR_FORMAT);

    b = npy_image(1, dict, d48, 48);
    b.p[8] = 0xFF, b.p[9] = 0xFF;
    expect_npy("npy 1.0 header length past EOF", b, POSENC_ERR_FORMAT);
    b = npy_image(2, dict, d48, 48);
    b.p[8] = 0x70, b.p[9] = 0x11, b.p[10] = 0x01, b.p[11] = 0; /* 70000 */
    expect_npy("npy 2.0 header length past EOF", b, POSENC_ERR_FORMAT);
    b = npy_image(2, dict, d48, 48);
    b.p[8] = b.p[9] = b.p[10] = b.p[11] = 0xFF;
    expect_npy("npy 2.0 header length 2^32-1", b, POSENC_ERR_FORMAT);

    expect_npy("npy header empty", npy_raw(1, 0, "", d48, 48), POSENC_ERR_FORMAT);
    expect_npy("npy header not a dict (list)", npy_image(1, "[1, 2]", d48, 48),
               POSENC_ERR_FORMAT);
    expect_npy("npy header not a dict (string)", npy_image(1, "'<f4'", d48, 48),
               POSENC_ERR_FORMAT);
    expect_npy("npy header unterminated dict",
               npy_image(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), ", d48,
                         48),
               POSENC_ERR_FORMAT);
    expect_npy("npy header garbage after dict",
               npy_image(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4)} x", d48,
                         48),
               POSENC_ERR_FORMAT);
    expect_npy("npy header missing shape",
               npy_image(1, "{'descr': '<f4', 'fortran_order': False, }", d48, 48),
               POSENC_ERR_FORMAT);
    expect_npy("npy header missing descr",
               npy_image(1, "{'fortran_order': False, 'shape': (3, 4), }", d48, 48),
               POSENC_ERR_FORMAT);
    expect_npy("npy header missing fortran_order",
               npy_image(1, "{'descr': '<f4', 'shape': (3, 4), }", d48, 48), POSENC_ERR_FORMAT);
    expect_npy("npy header unknown key",
               npy_image(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), "
                            "'extra': 1, }",
                         d48, 48),
               POSENC_ERR_FORMAT);
    expect_npy("npy header missing colon",
               npy_image(1, "{'descr' '<f4', 'fortran_order': False, 'shape': (3, 4), }", d48,
                         48),
               POSENC_ERR_FORMAT);
    expect_npy("npy header escape in string",
               npy_image(1, "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (3, 4), }",
                         d48, 48),
               POSENC_ERR_FORMAT);
    {
        /* a header of four NUL bytes (npy_raw takes C strings) */
        b = (bytes){0};
        put(&b, "\x93NUMPY\x01\x00\x04\x00\0\0\0\0", 14);
        put(&b, d48, 48);
        expect_npy("npy header of NULs", b, POSENC_ERR_FORMAT);
    }

    /* element type and order: DTYPE */
    static const char *const bad_descr[] = {
        "'<f8'", "'>f4'", "'<i4'", "'<f2'", "'f8'", "'>f'", "'d'", "'<u4'", "'<c8'",
        /* numpy looks names up with the byte-order character attached: not found */
        "'<float32'", "'=single'", "'float'", "'Float32'",
        /* sizes strtol does not read as 4 to the end of the string */
        "'<f4 '", "'<f-4'", "'<f0'", "'f40'", "'<f4x'", "'<f 4 '", "'<f+ 4'", "'<f44'",
        "''", "'<'", "'|'", "'<f4\x01'", "'f\xe9" "4'"};
    for (size_t i = 0; i < sizeof bad_descr / sizeof *bad_descr; i++) {
        char label[64];
        npy_dict(dict, sizeof dict, bad_descr[i], "False", "(3, 4)");
        snprintf(label, sizeof label, "npy descr %s", bad_descr[i]);
        expect_npy(label, npy_image(1, dict, d48, 48), POSENC_ERR_DTYPE);
    }
    npy_dict(dict, sizeof dict, "[('a', '<f4'), ('b', '<f4')]", "False", "(3, 2)");
    expect_npy("npy structured descr", npy_image(1, dict, d48, 48), POSENC_ERR_DTYPE);
    npy_dict(dict, sizeof dict, "('<f4', (2,))", "False", "(3, 2)");
    expect_npy("npy subarray descr", npy_image(1, dict, d48, 48), POSENC_ERR_DTYPE);
    npy_dict(dict, sizeof dict, "('<f4')", "False", "(3, 4)");
    expect_npy("npy descr ('<f4'), a parenthesized string", npy_image(1, dict, d48, 48),
               POSENC_OK);
    npy_dict(dict, sizeof dict, "'<f4'", "True", "(3, 4)");
    expect_npy("npy fortran_order True", npy_image(1, dict, d48, 48), POSENC_ERR_DTYPE);
    npy_dict(dict, sizeof dict, "4", "False", "(3, 4)");
    expect_npy("npy descr not a string", npy_image(1, dict, d48, 48), POSENC_ERR_FORMAT);
    npy_dict(dict, sizeof dict, "'<f4'", "1", "(3, 4)");
    expect_npy("npy fortran_order 1", npy_image(1, dict, d48, 48), POSENC_ERR_FORMAT);
    npy_dict(dict, sizeof dict, "'<f4'", "None", "(3, 4)");
    expect_npy("npy fortran_order None", npy_image(1, dict, d48, 48), POSENC_ERR_FORMAT);

    /* shapes */
    static const struct {
        const char *shape;
        int expected;
    } shapes[] = {
        {"(12,)", POSENC_ERR_SHAPE},
        {"()", POSENC_ERR_SHAPE},
        {"(2, 3, 2)", POSENC_ERR_SHAPE},
        {"(1, 1, 3, 4)", POSENC_ERR_SHAPE},
        {"(0, 4)", POSENC_ERR_SHAPE},
        {"(3, 0)", POSENC_ERR_SHAPE},
        {"(-3, 4)", POSENC_ERR_SHAPE},
        {"(1, 65537)", POSENC_ERR_SHAPE},
        {"(4611686018427387904, 8)", POSENC_ERR_OVERFLOW},
        {"(9223372036854775808, 1)", POSENC_ERR_OVERFLOW},
        {"(99999999999999999999999, 4)", POSENC_ERR_OVERFLOW},
        {"(3)", POSENC_ERR_FORMAT},
        {"[3, 4]", POSENC_ERR_FORMAT},
        {"(3.0, 4)", POSENC_ERR_FORMAT},
        {"('3', 4)", POSENC_ERR_FORMAT},
        {"(03, 4)", POSENC_ERR_FORMAT},
        {"(3, 4", POSENC_ERR_FORMAT},
        {"(3,, 4)", POSENC_ERR_FORMAT},
        {"(,)", POSENC_ERR_FORMAT},
        {"3, 4", POSENC_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        char label[80];
        snprintf(hdr, sizeof hdr, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }",
                 shapes[i].shape);
        snprintf(label, sizeof label, "npy shape %s", shapes[i].shape);
        expect_npy(label, npy_image(1, hdr, d48, 48), shapes[i].expected);
    }
    {
        /* nesting deeper than the parser's cap, in a value */
        char deep[400];
        memset(deep, 0, sizeof deep);
        strcpy(deep, "{'descr': ");
        for (int i = 0; i < 100; i++)
            strcat(deep, "[");
        expect_npy("npy deeply nested descr", npy_image(1, deep, d48, 48), POSENC_ERR_FORMAT);
    }

    /* data size against the shape */
    npy_dict(dict, sizeof dict, "'<f4'", "False", "(3, 4)");
    expect_npy("npy data shorter than shape", npy_image(1, dict, d48, 44), POSENC_ERR_FORMAT);
    expect_npy("npy no data at all", npy_image(1, dict, d48, 0), POSENC_ERR_FORMAT);
    npy_dict(dict, sizeof dict, "'<f4'", "False", "(1000000, 1000)");
    expect_npy("npy huge shape, small file", npy_image(1, dict, d48, 48), POSENC_ERR_FORMAT);
}

/* Where numpy.load and a strict reader could disagree, numpy.load decides (the issue's
 * finding 7; the reasons are in load_npy.c). */
static void test_npy_numpy_rules(void)
{
    char dict[256];
    bytes data = {0}, b;
    posenc_weights *w;
    unsigned char d48[48] = {0};
    put_f32_bits(&data, special_bits, 12);

    /* every descr numpy.dtype() reads as little-endian float32 on x86-64 and AArch64 */
    static const char *const ok_descr[] = {
        "'<f4'", "'=f4'", "'|f4'", "'f4'", "\"<f4\"", "'<f'", "'=f'", "'|f'", "'f'",
        "'float32'", "'single'", "'<f04'", "'<f+4'", "'<f 4'", "'<f\t4'", "'=f0004'",
    };
    for (size_t i = 0; i < sizeof ok_descr / sizeof *ok_descr; i++) {
        char label[64];
        npy_dict(dict, sizeof dict, ok_descr[i], "False", "(3, 4)");
        b = npy_image(1, dict, data.p, data.n);
        write_file("ok.npy", b.p, b.n);
        free(b.p);
        snprintf(label, sizeof label, "npy descr %s loads", ok_descr[i]);
        w = SENTINEL;
        check_table(label, posenc_weights_load_npy(path_of("ok.npy"), &w), &w, 3, 4,
                    special_bits);
    }

    /* bytes after the array are ignored: here a second array, as np.save twice to one file
     * writes it */
    {
        bytes two;
        npy_dict(dict, sizeof dict, "'<f4'", "False", "(2, 4)");
        two = npy_image(1, dict, data.p, 32);
        b = npy_image(1, dict, data.p + 16, 32);
        put(&two, b.p, b.n);
        put(&two, "x", 1);
        free(b.p);
        write_file("ok.npy", two.p, two.n);
        free(two.p);
        w = SENTINEL;
        check_table("npy two arrays back to back: the first loads",
                    posenc_weights_load_npy(path_of("ok.npy"), &w), &w, 2, 4, special_bits);
        npy_dict(dict, sizeof dict, "'<f4'", "False", "(3, 4)");
        b = npy_image(1, dict, data.p, data.n);
        put(&b, "\0\0\0", 3);
        write_file("ok.npy", b.p, b.n);
        free(b.p);
        w = SENTINEL;
        check_table("npy 3 bytes after the array",
                    posenc_weights_load_npy(path_of("ok.npy"), &w), &w, 3, 4, special_bits);
    }

    /* numpy's max_header_size: 10000 loads, 10001 does not (the padding is spaces) */
    for (int major = 1; major <= 3; major++) {
        for (size_t hlen = 9999; hlen <= 10001; hlen++) {
            char *hdr = malloc(hlen + 1), label[80];
            if (!hdr) exit(2);
            npy_dict(dict, sizeof dict, "'<f4'", "False", "(3, 4)");
            memset(hdr, ' ', hlen);
            memcpy(hdr, dict, strlen(dict));
            hdr[hlen - 1] = '\n';
            hdr[hlen] = '\0';
            snprintf(label, sizeof label, "npy %d.0 header of %zu bytes", major, hlen);
            b = npy_raw(major, 0, hdr, data.p, data.n);
            if (hlen <= 10000) {
                write_file("ok.npy", b.p, b.n);
                free(b.p);
                w = SENTINEL;
                check_table(label, posenc_weights_load_npy(path_of("ok.npy"), &w), &w, 3, 4,
                            special_bits);
            } else {
                expect_npy(label, b, POSENC_ERR_FORMAT);
            }
            free(hdr);
        }
    }

    /* Python 2's 3L: numpy filters it out of 1.0 and 2.0 headers only, and only 'L' */
    {
        static const char l_dict[] =
            "{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 4L), }";
        for (int major = 1; major <= 3; major++) {
            char label[64];
            snprintf(label, sizeof label, "npy %d.0 shape (3L, 4L)", major);
            b = npy_image(major, l_dict, data.p, data.n);
            if (major < 3) {
                write_file("ok.npy", b.p, b.n);
                free(b.p);
                w = SENTINEL;
                check_table(label, posenc_weights_load_npy(path_of("ok.npy"), &w), &w, 3, 4,
                            special_bits);
            } else {
                expect_npy(label, b, POSENC_ERR_FORMAT);
            }
        }
        expect_npy("npy 1.0 shape (3l, 4l)",
                   npy_image(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3l, 4l), }",
                             data.p, data.n),
                   POSENC_ERR_FORMAT);
    }

    /* a key given twice: the last value counts, as in a Python dict */
    expect_npy("npy descr '<f8' then '<f4'",
               npy_image(1, "{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, "
                            "'shape': (3, 4), }", d48, 48),
               POSENC_OK);
    expect_npy("npy descr '<f4' then '<f8'",
               npy_image(1, "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, "
                            "'shape': (3, 4), }", d48, 48),
               POSENC_ERR_DTYPE);
    expect_npy("npy shape (3, 4) then (3, 4, 1)",
               npy_image(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), "
                            "'shape': (3, 4, 1)}", d48, 48),
               POSENC_ERR_SHAPE);

    /* Python does not take \v as whitespace */
    expect_npy("npy vertical tab between tokens",
               npy_image(1, "{'descr':\v'<f4', 'fortran_order': False, 'shape': (3, 4), }", d48,
                         48),
               POSENC_ERR_FORMAT);

    /* a NUL in the descr: FORMAT (Python refuses source with NUL bytes); a control byte:
     * DTYPE, with the byte shown escaped rather than cutting or garbling the message */
    {
        posenc_weights *w2 = SENTINEL;
        npy_dict(dict, sizeof dict, "'<f4X'", "False", "(3, 4)");
        b = npy_image(1, dict, d48, 48);
        *(unsigned char *)memchr(b.p, 'X', b.n) = 0;
        expect_npy("npy descr '<f4\\0'", b, POSENC_ERR_FORMAT);
        CHECK(strstr(posenc_last_error(), "NUL byte at byte 24") != NULL,
              "npy descr '<f4\\0': message does not place the NUL: %s", posenc_last_error());
        npy_dict(dict, sizeof dict, "'<f4\x01\x7f'", "False", "(3, 4)");
        b = npy_image(1, dict, d48, 48);
        write_file("case.npy", b.p, b.n);
        free(b.p);
        CHECK_CODE(posenc_weights_load_npy(path_of("case.npy"), &w2), POSENC_ERR_DTYPE);
        CHECK(w2 == SENTINEL, "npy descr with a control byte: *out written");
        CHECK(strstr(posenc_last_error(), "dtype '<f4\\x01\\x7f'") != NULL,
              "npy descr with a control byte: message does not show it escaped: %s",
              posenc_last_error());
    }
    free(data.p);
}

/* ---- .safetensors -------------------------------------------------------------------------- */

/* Reference binary16 -> binary32 by arithmetic, independent of the loader's bit shuffling. */
static uint32_t ref_f16(uint16_t h)
{
    int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
    int scale = e == 0 ? -24 : e - 25; /* value = significand * 2^scale */
    double v;
    float f;
    if (e == 31) return (uint32_t)s << 31 | 0x7F800000u | (uint32_t)m << 13; /* inf, NaN */
    v = e == 0 ? m : 1024 + m;
    for (; scale < 0; scale++) /* exact: powers of two */
        v *= 0.5;
    for (; scale > 0; scale--)
        v *= 2.0;
    f = (float)(s ? -v : v);
    return bits_of(f);
}

static void test_st_valid(void)
{
    static uint16_t halves[65536];
    static uint32_t want16[65536], wantbf[65536];
    char json[2048];
    bytes data = {0}, b;
    posenc_weights *w;

    /* known values first, so a wrong reference cannot hide a wrong loader */
    static const struct {
        uint16_t h;
        uint32_t f;
    } known[] = {
        {0x0000, 0x00000000u}, {0x8000, 0x80000000u}, {0x0001, 0x33800000u},
        {0x8001, 0xB3800000u}, {0x03FF, 0x387FC000u}, {0x0200, 0x38000000u},
        {0x0400, 0x38800000u}, {0x3C00, 0x3F800000u}, {0xC000, 0xC0000000u},
        {0x7BFF, 0x477FE000u}, {0x3555, 0x3EAAA000u}, {0x7C00, 0x7F800000u},
        {0xFC00, 0xFF800000u}, {0x7E00, 0x7FC00000u}, {0x7C01, 0x7F802000u},
        {0xFE01, 0xFFC02000u}, {0x7FFF, 0x7FFFE000u},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        CHECK(ref_f16(known[i].h) == known[i].f, "reference f16 0x%04x -> 0x%08x, expected 0x%08x",
              known[i].h, (unsigned)ref_f16(known[i].h), (unsigned)known[i].f);

    for (uint32_t i = 0; i < 65536; i++) {
        halves[i] = (uint16_t)i;
        want16[i] = ref_f16((uint16_t)i);
        wantbf[i] = i << 16;
    }

    /* w32 F32 [3,4] at 0..48, w16 F16 [256,256] at 48..131120, wbf BF16 [256,256] at
     * 131120..262192, then tensors whose names need escapes, F32 [1,2] each */
    put_f32_bits(&data, special_bits, 12);
    for (int i = 0; i < 65536; i++)
        put_le(&data, halves[i], 2);
    for (int i = 0; i < 65536; i++)
        put_le(&data, halves[i], 2);
    put_f32_bits(&data, special_bits, 2);
    put_f32_bits(&data, special_bits + 2, 2);
    put_f32_bits(&data, special_bits + 4, 2);
    snprintf(json, sizeof json,
             "{\"__metadata__\":{\"format\":\"pt\",\"source\":\"posenc tests\"},"
             "\"w32\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},"
             "\"w16\":{\"dtype\":\"F16\",\"shape\":[256,256],\"data_offsets\":[48,131120]},"
             "\"wbf\":{\"dtype\":\"BF16\",\"shape\":[256,256],\"data_offsets\":[131120,262192]},"
             "\"pos\\u00e9mb\\ud83d\\ude00\":{\"dtype\":\"F32\",\"shape\":[1,2],"
             "\"data_offsets\":[262192,262200]},"
             "\"raw\xc3\xa9\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[262200,262208]},"
             "\"q\\\"b\\\\s\\/\\t\":{\"shape\":[1,2],\"dtype\":\"F32\",\"extra\":[1,2,3],"
             "\"data_offsets\":[262208,262216]}}");
    b = st_image(json, data.p, data.n);
    free(data.p);
    write_file("ok.safetensors", b.p, b.n);
    free(b.p);

    w = SENTINEL;
    check_table("st F32", posenc_weights_load_safetensors(path_of("ok.safetensors"), "w32", &w),
                &w, 3, 4, special_bits);
    w = SENTINEL;
    check_table("st F16 all 65536 values",
                posenc_weights_load_safetensors(path_of("ok.safetensors"), "w16", &w), &w, 256,
                256, want16);
    w = SENTINEL;
    check_table("st BF16 all 65536 values",
                posenc_weights_load_safetensors(path_of("ok.safetensors"), "wbf", &w), &w, 256,
                256, wantbf);
    w = SENTINEL;
    check_table("st name with \\u escapes and a surrogate pair",
                posenc_weights_load_safetensors(path_of("ok.safetensors"),
                                                "pos\xc3\xa9mb\xf0\x9f\x98\x80", &w),
                &w, 1, 2, special_bits);
    w = SENTINEL;
    check_table("st name in raw UTF-8",
                posenc_weights_load_safetensors(path_of("ok.safetensors"), "raw\xc3\xa9", &w), &w,
                1, 2, special_bits + 2);
    w = SENTINEL;
    check_table("st name with simple escapes, extra member",
                posenc_weights_load_safetensors(path_of("ok.safetensors"), "q\"b\\s/\t", &w), &w,
                1, 2, special_bits + 4);

    /* what the format allows around the tensors: metadata strings with escapes, metadata
     * null (the reference reads it as absent), members of an entry it does not know (holding
     * numbers, literals, nesting), zero-size tensors sharing an offset, entries in any order,
     * a header padded with spaces */
    {
        static const char *const headers[] = {
            "{\"__metadata__\":{\"a\":\"b\",\"s\":\"\\u0000\",\"\":\"\",\"\\u00e9\":\"\\\"\"},"
            "\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}",
            "{\"__metadata__\":null,"
            "\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}",
            "{\"w\":{\"dtype\":\"F32\",\"f\":-1.5e-3,\"g\":0.25E+2,\"t\":true,\"u\":false,"
            "\"n\":null,\"arr\":[1,{\"x\":[]},{}],\"shape\":[1,2],\"data_offsets\":[0,8]}}",
            "{\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]},"
            "\"e\":{\"dtype\":\"I8\",\"shape\":[2,0],\"data_offsets\":[0,0]},"
            "\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},"
            "\"y\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[8,8]}}",
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}      ",
        };
        data = (bytes){0};
        put_f32_bits(&data, special_bits, 2);
        for (size_t i = 0; i < sizeof headers / sizeof *headers; i++) {
            char label[64];
            b = st_image(headers[i], data.p, data.n);
            write_file("ok.safetensors", b.p, b.n);
            free(b.p);
            snprintf(label, sizeof label, "st valid header variant %zu", i);
            w = SENTINEL;
            check_table(label, posenc_weights_load_safetensors(path_of("ok.safetensors"), "w", &w),
                        &w, 1, 2, special_bits);
        }
        free(data.p);
    }
}

#define ST_NO_DATA (-1L)

static void test_st_bad(void)
{
    static const char good_entry[] = "{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}";
    unsigned char d48[48] = {0};
    char json[1024];
    bytes b;

    /* the baseline the bad cases are variations of must itself load */
    snprintf(json, sizeof json, "{\"w\":%s}", good_entry);
    {
        posenc_weights *w = SENTINEL;
        b = st_image(json, d48, 48);
        write_file("case.safetensors", b.p, b.n);
        free(b.p);
        CHECK_CODE(posenc_weights_load_safetensors(path_of("case.safetensors"), "w", &w),
                   POSENC_OK);
        if (w != SENTINEL) posenc_weights_free(w);
    }

    /* framing */
    expect_st("st empty file", (bytes){0}, "w", POSENC_ERR_FORMAT);
    b = (bytes){0};
    put(&b, "\x10\0\0\0\0\0\0", 7);
    expect_st("st 7-byte file", b, "w", POSENC_ERR_FORMAT);
    b = st_image(json, d48, 48);
    b.p[0] = (unsigned char)(b.p[0] + 100);
    expect_st("st header size past EOF", b, "w", POSENC_ERR_FORMAT);
    b = st_image(json, d48, 48);
    memset(b.p, 0, 8);
    b.p[7] = 0x80;
    expect_st("st header size 2^63", b, "w", POSENC_ERR_FORMAT);
    b = st_image(json, d48, 48);
    memset(b.p, 0xFF, 8);
    expect_st("st header size 2^64-1", b, "w", POSENC_ERR_FORMAT);
    b = (bytes){0};
    put_le(&b, 0, 8);
    put(&b, d48, 48);
    expect_st("st header size 0", b, "w", POSENC_ERR_FORMAT);
    {
        /* a header size over the 100 MB cap in a file that is big enough: sparse */
        FILE *f = fopen(path_of("big.safetensors"), "wb");
        int ok = f != NULL;
        remember("big.safetensors");
        b = (bytes){0};
        put_le(&b, 100000001u, 8);
        ok = ok && fwrite(b.p, 1, 8, f) == 8 && fseek(f, 8 + 100000001L + 63, SEEK_SET) == 0 &&
             fputc('\0', f) != EOF;
        if (f) ok = fclose(f) == 0 && ok;
        free(b.p);
        CHECK(ok, "cannot write the sparse fixture");
        if (ok) {
            posenc_weights *w = SENTINEL;
            check_outcome("st header size over 100 MB",
                          posenc_weights_load_safetensors(path_of("big.safetensors"), "w", &w),
                          POSENC_ERR_FORMAT, &w);
        }
        unlink(path_of("big.safetensors"));
    }

    /* JSON syntax */
    static const char *const bad_json[] = {
        "[1,2]",
        "\"w\"",
        "{\"w\":{\"dtype\":\"F32",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}} x",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4,],\"data_offsets\":[0,48]}}",
        "{'w':{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}}",
        "{\"w\" {\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}}",
        "{\"w\":{\"dtype\":\"F\\x32\",\"shape\":[3,4],\"data_offsets\":[0,48]}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[03,4],\"data_offsets\":[0,48]}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48.]}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,-]}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,1e]}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,+48]}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},\"m\":tru}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},\"m\":nul}",
        "{\"m\":\"\\ud800\",\"w\":1}",
        "{\"m\":\"\\udc00\",\"w\":1}",
        "{\"m\":\"\\ud800\\u0041\",\"w\":1}",
        "{\"m\":\"\\u12g4\",\"w\":1}",
        "{\"m\":\"\\u12",
        "{\"m\":\"a\x01\",\"w\":1}",
        "{\"m\":\"a\tb\",\"w\":1}",
        "{\"m\":\"\xff\",\"w\":1}",
        "{\"m\":\"\xc0\xaf\",\"w\":1}",
        "{\"m\":\"\xed\xa0\x80\",\"w\":1}",
        "{\"m\":\"\xf4\x90\x80\x80\",\"w\":1}",
        "{\"m\":\"\xe2\x82\",\"w\":1}",
        "{\"m\":\"\x80\",\"w\":1}",
        "",
        "   ",
        "{",
        "{\"w\"",
        "{\"w\":",
        "{\"w\":}",
        "{,}",
        "{1:2}",
    };
    for (size_t i = 0; i < sizeof bad_json / sizeof *bad_json; i++) {
        char label[64];
        snprintf(label, sizeof label, "st bad JSON #%zu", i);
        expect_st(label, st_image(bad_json[i], d48, 48), "w", POSENC_ERR_FORMAT);
    }
    {
        /* a NUL inside the header */
        b = st_image("{\"w\":1}", d48, 48);
        b.p[8 + 5] = '\0';
        expect_st("st NUL byte in JSON", b, "w", POSENC_ERR_FORMAT);
    }
    {
        /* 10000 '[' must not recurse 10000 deep; 64 levels are accepted, 65 are not */
        size_t n = 10000;
        char *deep = malloc(n + 64);
        if (!deep) exit(2);
        strcpy(deep, "{\"m\":");
        memset(deep + 5, '[', n);
        deep[5 + n] = '\0';
        expect_st("st 10000 nested '['", st_image(deep, d48, 48), "w", POSENC_ERR_FORMAT);
        for (int extra = 62; extra <= 63; extra++) {
            char *p = deep;
            /* in a member of the entry that the format does not know, which it ignores */
            p += sprintf(p, "{\"w\":{\"k\":");
            for (int i = 0; i < extra; i++)
                *p++ = '[';
            for (int i = 0; i < extra; i++)
                *p++ = ']';
            sprintf(p, ",%s}", good_entry + 1);
            expect_st(extra == 62 ? "st nesting 64 deep (the cap) loads"
                                  : "st nesting 65 deep is refused",
                      st_image(deep, d48, 48), "w",
                      extra == 62 ? POSENC_OK : POSENC_ERR_FORMAT);
        }
        free(deep);
    }

    /* lookup */
    expect_st("st tensor missing", st_image(json, d48, 48), "v", POSENC_ERR_NOT_FOUND);
    expect_st("st empty tensor name", st_image(json, d48, 48), "", POSENC_ERR_NOT_FOUND);
    snprintf(json, sizeof json, "{\"__metadata__\":{\"a\":\"b\"},\"ww\":%s}", good_entry);
    expect_st("st tensor name differs in length", st_image(json, d48, 48), "w",
              POSENC_ERR_NOT_FOUND);
    expect_st("st asking for __metadata__", st_image(json, d48, 48), "__metadata__",
              POSENC_ERR_NOT_FOUND);
    expect_st("st empty header object", st_image("{}", d48, 0), "w", POSENC_ERR_NOT_FOUND);
    expect_st("st empty header object, 48 bytes after it", st_image("{}", d48, 48), "w",
              POSENC_ERR_FORMAT);
    snprintf(json, sizeof json, "{\"w\":%s,\"w\":%s}", good_entry, good_entry);
    expect_st("st tensor described twice", st_image(json, d48, 48), "w", POSENC_ERR_FORMAT);
    snprintf(json, sizeof json, "{\"w\":%s,\"\\u0077\":%s}", good_entry, good_entry);
    expect_st("st tensor described twice (escaped)", st_image(json, d48, 48), "w",
              POSENC_ERR_FORMAT);

    /* the tensor's entry */
    /* each alone in a file whose buffer is `buf` bytes (0: 48, ST_NO_DATA: none) */
    static const struct {
        const char *entry;
        int expected;
        long buf;
    } entries[] = {
        {"5", POSENC_ERR_FORMAT, 0},
        {"[]", POSENC_ERR_FORMAT, 0},
        {"{\"shape\":[3,4],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}",
         POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"shape\":[3,4],\"data_offsets\":[0,48]}",
         POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":32,\"shape\":[3,4],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":\"3x4\",\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3.0,4],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,\"4\"],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":{\"b\":0}}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48,96]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[-1,47]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,4.8e1]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,\"48\"]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,18446744073709551616]}",
         POSENC_ERR_FORMAT, 0},
        /* element type */
        {"{\"dtype\":\"I64\",\"shape\":[3,2],\"data_offsets\":[0,48]}", POSENC_ERR_DTYPE, 0},
        {"{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[0,48]}", POSENC_ERR_DTYPE, 0},
        {"{\"dtype\":\"f32\",\"shape\":[3,4],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F8_E4M3\",\"shape\":[3,16],\"data_offsets\":[0,48]}", POSENC_ERR_DTYPE, 0},
        {"{\"dtype\":\"\",\"shape\":[3,4],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\\u0000\",\"shape\":[3,4],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT,
         0},
        {"{\"dtype\":\"U8\",\"shape\":[3,16],\"data_offsets\":[0,48]}", POSENC_ERR_DTYPE, 0},
        {"{\"dtype\":\"F4\",\"shape\":[3,32],\"data_offsets\":[0,48]}", POSENC_ERR_DTYPE, 0},
        {"{\"dtype\":\"C64\",\"shape\":[3,2],\"data_offsets\":[0,48]}", POSENC_ERR_DTYPE, 0},
        /* escapes in the dtype are resolved, as any JSON reader does */
        {"{\"dtype\":\"F\\u0033\\u0032\",\"shape\":[3,4],\"data_offsets\":[0,48]}", POSENC_OK, 0},
        /* shape */
        {"{\"dtype\":\"F32\",\"shape\":[12],\"data_offsets\":[0,48]}", POSENC_ERR_SHAPE, 0},
        {"{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}", POSENC_ERR_SHAPE, 4},
        {"{\"dtype\":\"F32\",\"shape\":[1,3,4],\"data_offsets\":[0,48]}", POSENC_ERR_SHAPE, 0},
        {"{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[0,0]}", POSENC_ERR_SHAPE,
         ST_NO_DATA},
        {"{\"dtype\":\"F32\",\"shape\":[3,0],\"data_offsets\":[0,0]}", POSENC_ERR_SHAPE,
         ST_NO_DATA},
        {"{\"dtype\":\"F32\",\"shape\":[1,65537],\"data_offsets\":[0,262148]}",
         POSENC_ERR_SHAPE, 262148},
        /* what the format forbids in any entry is FORMAT, also in the one asked for */
        {"{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[0,0]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[-3,4],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[-0,4],\"data_offsets\":[0,0]}", POSENC_ERR_FORMAT,
         ST_NO_DATA},
        {"{\"dtype\":\"F32\",\"shape\":[1,65537],\"data_offsets\":[0,262148]}",
         POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[4611686018427387904,8],\"data_offsets\":[0,48]}",
         POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"BF16\",\"shape\":[4611686018427387904,8],\"data_offsets\":[0,48]}",
         POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[99999999999999999999999,4],\"data_offsets\":[0,48]}",
         POSENC_ERR_FORMAT, 0},
        /* 2^62 * 4 bytes = 2^64: the byte size, not the element count, overflows */
        {"{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}",
         POSENC_ERR_FORMAT, 0},
        /* sub-byte types must end on a byte boundary */
        {"{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,1]}", POSENC_ERR_FORMAT, 1},
        {"{\"dtype\":\"F6_E2M3\",\"shape\":[4,1],\"data_offsets\":[0,3]}", POSENC_ERR_DTYPE, 3},
        /* offsets against the shape and the buffer */
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[48,96]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[48,0]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,44]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[4,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,52]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F16\",\"shape\":[3,4],\"data_offsets\":[0,48]}", POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[18446744073709551600,"
         "18446744073709551615]}",
         POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[18446744073709551568,"
         "18446744073709551615]}",
         POSENC_ERR_FORMAT, 0},
        {"{\"dtype\":\"F32\",\"shape\":[1000000,1000],\"data_offsets\":[0,4000000000]}",
         POSENC_ERR_FORMAT, 0},
    };
    {
        unsigned char *zeros = calloc(262148, 1);
        if (!zeros) exit(2);
        for (size_t i = 0; i < sizeof entries / sizeof *entries; i++) {
            char label[64];
            long buf = entries[i].buf == ST_NO_DATA ? 0 : entries[i].buf ? entries[i].buf : 48;
            snprintf(json, sizeof json, "{\"__metadata__\":{\"format\":\"pt\"},\"w\":%s}",
                     entries[i].entry);
            snprintf(label, sizeof label, "st entry #%zu", i);
            expect_st(label, st_image(json, zeros, (size_t)buf), "w", entries[i].expected);
        }
        free(zeros);
    }
    {
        /* the last tensor's bytes cut short by truncating the file */
        snprintf(json, sizeof json, "{\"w\":%s}", good_entry);
        b = st_image(json, d48, 48);
        b.n -= 1;
        expect_st("st data cut short", b, "w", POSENC_ERR_FORMAT);
    }
}

/* The whole header is held to the format's rules, whichever tensor is asked for: each file
 * here holds a valid F32 tensor "w" and breaks a rule elsewhere (the finding 6). */
static void test_st_whole_header(void)
{
    static const char w48[] = "\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":";
    static const struct {
        const char *label;
        const char *json; /* %s is w48 */
        size_t buf;
        int expected;
    } cases[] = {
        {"st baseline: a then w",
         "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},%s[16,64]}}", 64,
         POSENC_OK},
        {"st tensors overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                               "%s[8,56]}}", 56, POSENC_ERR_FORMAT},
        {"st tensors share a region", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3,4],"
                                      "\"data_offsets\":[0,48]},%s[0,48]}}", 48, POSENC_ERR_FORMAT},
        {"st gap before the first tensor", "{%s[4,52]}}", 52, POSENC_ERR_FORMAT},
        {"st gap between tensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],"
                                   "\"data_offsets\":[0,16]},%s[20,68]}}", 68, POSENC_ERR_FORMAT},
        {"st a byte after the last tensor", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],"
                                            "\"data_offsets\":[0,16]},%s[16,64]}}", 65,
         POSENC_ERR_FORMAT},
        {"st __metadata__ a number", "{\"__metadata__\":5,%s[0,48]}}", 48, POSENC_ERR_FORMAT},
        {"st __metadata__ a string", "{\"__metadata__\":\"pt\",%s[0,48]}}", 48, POSENC_ERR_FORMAT},
        {"st __metadata__ an array", "{\"__metadata__\":[\"a\",\"b\"],%s[0,48]}}", 48,
         POSENC_ERR_FORMAT},
        {"st __metadata__ maps to a number", "{\"__metadata__\":{\"a\":\"b\",\"n\":1},%s[0,48]}}",
         48, POSENC_ERR_FORMAT},
        {"st __metadata__ maps to an object", "{\"__metadata__\":{\"a\":{}},%s[0,48]}}", 48,
         POSENC_ERR_FORMAT},
        {"st __metadata__ maps to null", "{\"__metadata__\":{\"a\":null},%s[0,48]}}", 48,
         POSENC_ERR_FORMAT},
        {"st __metadata__ twice", "{\"__metadata__\":{},%s[0,48]},\"__metadata__\":{}}", 48,
         POSENC_ERR_FORMAT},
        {"st __metadata__ key twice", "{\"__metadata__\":{\"a\":\"1\",\"b\":\"\",\"a\":\"2\"},"
                                      "%s[0,48]}}", 48, POSENC_ERR_FORMAT},
        {"st \"junk\": 5", "{\"junk\":5,%s[0,48]}}", 48, POSENC_ERR_FORMAT},
        {"st \"junk\": \"x\"", "{%s[0,48]},\"junk\":\"x\"}", 48, POSENC_ERR_FORMAT},
        {"st \"junk\": {}", "{%s[0,48]},\"junk\":{}}", 48, POSENC_ERR_FORMAT},
        {"st entry without dtype", "{%s[0,48]},\"v\":{\"shape\":[0],\"data_offsets\":[48,48]}}",
         48, POSENC_ERR_FORMAT},
        {"st entry without shape", "{%s[0,48]},\"v\":{\"dtype\":\"U8\",\"data_offsets\":[48,48]}}",
         48, POSENC_ERR_FORMAT},
        {"st entry without data_offsets", "{%s[0,48]},\"v\":{\"dtype\":\"U8\",\"shape\":[0]}}",
         48, POSENC_ERR_FORMAT},
        {"st entry with unknown dtype F128", "{%s[0,48]},\"v\":{\"dtype\":\"F128\",\"shape\":[0],"
                                             "\"data_offsets\":[48,48]}}", 48, POSENC_ERR_FORMAT},
        {"st entry with dtype float32", "{%s[0,48]},\"v\":{\"dtype\":\"float32\",\"shape\":[0],"
                                        "\"data_offsets\":[48,48]}}", 48, POSENC_ERR_FORMAT},
        {"st entry with a negative extent", "{%s[0,48]},\"v\":{\"dtype\":\"U8\",\"shape\":[-1],"
                                            "\"data_offsets\":[48,48]}}", 48, POSENC_ERR_FORMAT},
        {"st entry whose offsets disagree with its shape",
         "{%s[0,48]},\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[48,52]}}", 52,
         POSENC_ERR_FORMAT},
        {"st entry ending before it begins",
         "{%s[0,48]},\"v\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[49,48]}}", 48,
         POSENC_ERR_FORMAT},
        {"st entry with a misaligned F4 tensor",
         "{%s[0,48]},\"v\":{\"dtype\":\"F4\",\"shape\":[1],\"data_offsets\":[48,48]}}", 48,
         POSENC_ERR_FORMAT},
        {"st entry with dtype twice", "{%s[0,48]},\"v\":{\"dtype\":\"U8\",\"dtype\":\"U8\","
                                      "\"shape\":[0],\"data_offsets\":[48,48]}}", 48,
         POSENC_ERR_FORMAT},
        {"st tensor name twice", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                                 "\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]},"
                                 "%s[32,80]}}", 80, POSENC_ERR_FORMAT},
        {"st tensor name twice (one escaped)",
         "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
         "\"\\u0061\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]},"
         "%s[32,80]}}", 80, POSENC_ERR_FORMAT},
        {"st names differing only in length", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],"
                                              "\"data_offsets\":[0,16]},\"a\\u0000\":{\"dtype\":"
                                              "\"F32\",\"shape\":[4],\"data_offsets\":[16,32]},"
                                              "%s[32,80]}}", 80, POSENC_OK},
        {"st header starting with a space", " {%s[0,48]}}", 48, POSENC_ERR_FORMAT},
        {"st header starting with a newline", "\n{%s[0,48]}}", 48, POSENC_ERR_FORMAT},
        {"st header padded with a newline", "{%s[0,48]}}\n", 48, POSENC_OK},
    };
    unsigned char zeros[128] = {0};
    char json[1024];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(json, sizeof json, cases[i].json, w48);
        expect_st(cases[i].label, st_image(json, zeros, cases[i].buf), "w", cases[i].expected);
    }
}

/* ---- arguments and the file system --------------------------------------------------------- */

static void test_args_and_io(void)
{
    posenc_weights *w = SENTINEL;
    unsigned char d[4] = {0};
    bytes b;

    check_outcome("npy NULL path", posenc_weights_load_npy(NULL, &w), POSENC_ERR_NULL, &w);
    CHECK_CODE(posenc_weights_load_npy(path_of("x.npy"), NULL), POSENC_ERR_NULL);
    CHECK(posenc_last_error()[0] != '\0', "npy NULL out: no message");
    check_outcome("st NULL path", posenc_weights_load_safetensors(NULL, "w", &w),
                  POSENC_ERR_NULL, &w);
    check_outcome("st NULL name",
                  posenc_weights_load_safetensors(path_of("x.safetensors"), NULL, &w),
                  POSENC_ERR_NULL, &w);
    CHECK_CODE(posenc_weights_load_safetensors(path_of("x.safetensors"), "w", NULL),
               POSENC_ERR_NULL);
    CHECK(posenc_last_error()[0] != '\0', "st NULL out: no message");

    check_outcome("npy nonexistent path", posenc_weights_load_npy(path_of("missing.npy"), &w),
                  POSENC_ERR_IO, &w);
    check_outcome("st nonexistent path",
                  posenc_weights_load_safetensors(path_of("missing.safetensors"), "w", &w),
                  POSENC_ERR_IO, &w);
    check_outcome("npy path is a directory", posenc_weights_load_npy(tmpdir, &w), POSENC_ERR_IO,
                  &w);
    check_outcome("st path is a directory", posenc_weights_load_safetensors(tmpdir, "w", &w),
                  POSENC_ERR_IO, &w);

    /* a success clears the message a failure left */
    b = npy_image(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", d, 4);
    write_file("one.npy", b.p, b.n);
    free(b.p);
    CHECK_CODE(posenc_weights_load_npy(path_of("missing.npy"), &w), POSENC_ERR_IO);
    w = SENTINEL;
    CHECK_CODE(posenc_weights_load_npy(path_of("one.npy"), &w), POSENC_OK);
    CHECK(posenc_last_error()[0] == '\0', "message left after a success: %s",
          posenc_last_error());
    if (w != SENTINEL) posenc_weights_free(w);
}

/* ---- files that are not regular files ----------------------------------------------------- */

/* Exit codes of a forked or re-executed child that checks one load. */
enum { CHILD_PASS = 0, CHILD_FAIL = 1, CHILD_SKIP = 3 };

/* The load of `path` must fail with `expected`, *out untouched and a message containing `want`
 * (when not NULL). Run in a child with an alarm, so a loader that blocks fails the test instead
 * of hanging it. */
static int child_check(int st, const char *path, int expected, const char *want)
{
    posenc_weights *w = SENTINEL;
    int rc = st ? posenc_weights_load_safetensors(path, "w", &w)
                : posenc_weights_load_npy(path, &w);
    if (rc != expected || w != SENTINEL || !posenc_last_error()[0] ||
        (want && !strstr(posenc_last_error(), want))) {
        fprintf(stderr, "  %s %s: returned %d (%s), expected %d (%s)%s; message: %s\n",
                st ? "st" : "npy", path, rc, posenc_strerror(rc), expected,
                posenc_strerror(expected), w != SENTINEL ? ", *out written" : "",
                posenc_last_error());
        return CHILD_FAIL;
    }
    if (verbose) printf("  %-44s %3d  %s\n", path, rc, posenc_last_error());
    return CHILD_PASS;
}

/* Wait for a child; returns its exit code, or reports how it died. */
static int wait_child(pid_t pid, const char *label, unsigned timeout)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            CHECK(0, "%s: waitpid: %s", label, strerror(errno));
            return CHILD_FAIL;
        }
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    CHECK(!(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM),
          "%s: the load blocked for %u s (killed by the alarm)", label, timeout);
    CHECK(!WIFSIGNALED(status) || WTERMSIG(status) == SIGALRM, "%s: child killed by signal %d",
          label, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}

static void expect_in_child(const char *label, int st, const char *path, int expected,
                            const char *want)
{
    const unsigned timeout = 20; /* generous: emulated runs are slow, the load is not */
    pid_t pid;
    int code;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        CHECK(0, "%s: fork: %s", label, strerror(errno));
        return;
    }
    if (pid == 0) {
        alarm(timeout);
        code = child_check(st, path, expected, want);
        fflush(NULL);
        _exit(code);
    }
    code = wait_child(pid, label, timeout);
    CHECK(code == CHILD_PASS || code < 0, "%s: the child's checks failed (exit %d)", label, code);
}

static void test_not_regular(void)
{
    int fds[2];
    char pipe_path[64];

    /* a FIFO nobody writes to: opening it for reading would block until a writer came */
    remember("fifo");
    if (mkfifo(path_of("fifo"), 0600) != 0) {
        CHECK(0, "mkfifo %s: %s", path_of("fifo"), strerror(errno));
    } else {
        expect_in_child("npy FIFO without a writer", 0, path_of("fifo"), POSENC_ERR_IO, "FIFO");
        expect_in_child("st FIFO without a writer", 1, path_of("fifo"), POSENC_ERR_IO, "FIFO");
    }
    /* an anonymous pipe with a writer, through its /proc/self/fd link */
    if (pipe(fds) == 0) {
        snprintf(pipe_path, sizeof pipe_path, "/proc/self/fd/%d", fds[0]);
        if (write(fds[1], "\x93NUMPY", 6) != 6) CHECK(0, "cannot write to the pipe");
        expect_in_child("npy pipe with a writer", 0, pipe_path, POSENC_ERR_IO, "FIFO");
        expect_in_child("st pipe with a writer", 1, pipe_path, POSENC_ERR_IO, "FIFO");
        close(fds[0]);
        close(fds[1]);
    }
    /* a character device: reports size 0 whatever reading it returns */
    expect_in_child("npy /dev/zero", 0, "/dev/zero", POSENC_ERR_IO, "character device");
    expect_in_child("st /dev/null", 1, "/dev/null", POSENC_ERR_IO, "character device");
    expect_in_child("npy directory", 0, tmpdir, POSENC_ERR_IO, "directory");
}

/* ---- files whose reported size is smaller than their contents ------------------------------ */

/* A procfs file reports size 0 and still has contents. /proc/self/cmdline holds the argument
 * strings, NUL-terminated: a child re-executed with arguments cut from a file image at its NUL
 * bytes reads that image back from it, under a size of 0. */
#define CHILD_ENV "POSENC_TEST_LOADERS_CHILD"
#define LIES_HUGE_NPY 0
#define LIES_HUGE_ST 1

/* The hostile files of the fuzzing report. .npy: shape (4611686018427387882, 1) needs
 * 2^64 - 88 bytes, and the data starts at byte 88, so a size of 0 minus 88 wrapped to exactly
 * that and the old check let an aligned_alloc(0xffffffffffffffc0) through. .safetensors: 337
 * bytes promising an F32 [4096, 65536] tensor, which the old code allocated (1 GiB) before the
 * read failed. Each ends in a NUL, as /proc/self/cmdline does. */
static bytes hostile_image(int which)
{
    bytes b = {0};
    if (which == LIES_HUGE_NPY) {
        char hdr[128];
        int k = snprintf(hdr, sizeof hdr, "{'descr': '<f4', 'fortran_order': False, "
                                          "'shape': (4611686018427387882, 1), }");
        while (k < 77)
            hdr[k++] = ' ';
        hdr[k++] = '\n';
        put(&b, "\x93NUMPY\x01\x00", 8);
        put_le(&b, (uint64_t)k, 2);
        put(&b, hdr, (size_t)k); /* the data would start at 10 + 78 = 88 */
        put(&b, "", 1);
    } else {
        static const char json[] =
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[4096,65536],\"data_offsets\":[0,1073741824]}}";
        unsigned char zeros[337] = {0};
        b = st_image(json, zeros, 0);
        put(&b, zeros, sizeof zeros - b.n);
    }
    return b;
}

/* In the re-executed child: check that /proc/self/cmdline is the image under a size of 0
 * (else this system cannot show the case: skip), then that the load refuses it. */
static int lies_child(const char *which)
{
    int st = strcmp(which, "st") == 0;
    bytes want = hostile_image(st ? LIES_HUGE_ST : LIES_HUGE_NPY);
    unsigned char got[1024];
    struct stat sb;
    size_t n = 0;
    FILE *f = fopen("/proc/self/cmdline", "rb");
    int same = 0;
    if (f) {
        n = fread(got, 1, sizeof got, f);
        same = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0 &&
               n == want.n && memcmp(got, want.p, n) == 0;
        fclose(f);
    }
    free(want.p);
    if (!same) return CHILD_SKIP; /* e.g. qemu-user, which emulates /proc/self/cmdline */
    return child_check(st, "/proc/self/cmdline", POSENC_ERR_FORMAT, "0 bytes");
}

static void expect_lies(const char *label, int which)
{
    bytes img = hostile_image(which);
    char *args[512];
    size_t n_args = 0;
    pid_t pid;
    int code;

    for (size_t at = 0; at < img.n && n_args + 1 < sizeof args / sizeof *args;) {
        args[n_args++] = (char *)img.p + at;
        at += strlen((char *)img.p + at) + 1;
    }
    args[n_args] = NULL;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        CHECK(0, "%s: fork: %s", label, strerror(errno));
        free(img.p);
        return;
    }
    if (pid == 0) {
        alarm(60);
        if (setenv(CHILD_ENV, which == LIES_HUGE_ST ? "st" : "npy", 1) == 0)
            execv("/proc/self/exe", args);
        _exit(CHILD_SKIP); /* cannot re-execute here (an emulator without binfmt support) */
    }
    free(img.p);
    code = wait_child(pid, label, 60);
    if (code == CHILD_SKIP)
        printf("  %s: not shown on this system (/proc/self/cmdline is not a size-0 file "
               "holding the arguments, or re-executing failed)\n", label);
    else
        CHECK(code == CHILD_PASS || code < 0, "%s: the child's checks failed (exit %d)", label,
              code);
}

static void test_size_lies(void)
{
    /* the same images as regular files, where the size is true: FORMAT, nothing allocated */
    expect_npy("npy shape (4611686018427387882, 1), 89 bytes", hostile_image(LIES_HUGE_NPY),
               POSENC_ERR_FORMAT);
    expect_st("st 337 bytes promising [4096, 65536]", hostile_image(LIES_HUGE_ST), "w",
              POSENC_ERR_FORMAT);
    /* and as a size-0 procfs file */
    expect_lies("npy shape (4611686018427387882, 1) in /proc/self/cmdline", LIES_HUGE_NPY);
    expect_lies("st [4096, 65536] in /proc/self/cmdline", LIES_HUGE_ST);
}

/* ---- truncation and corruption sweeps ------------------------------------------------------ */

/* Run one load of a mutated file: any outcome but a crash, a sanitizer report, a positive
 * code or a failure that writes *out is acceptable. Returns the code. */
static int sweep_one(const char *kind, const char *what, size_t at, const bytes *b,
                     const char *name)
{
    posenc_weights *w = SENTINEL;
    int rc;
    write_file(name ? "fuzz.safetensors" : "fuzz.npy", b->p, b->n);
    rc = name ? posenc_weights_load_safetensors(path_of("fuzz.safetensors"), name, &w)
              : posenc_weights_load_npy(path_of("fuzz.npy"), &w);
    if (rc == POSENC_OK) {
        CHECK(w != SENTINEL && posenc_weights_rows(w) > 0 && posenc_weights_dim(w) > 0,
              "%s %s %zu: OK without a table", kind, what, at);
        if (w != SENTINEL) posenc_weights_free(w);
    } else {
        CHECK(rc < 0 && rc >= POSENC_ERR_LAYOUT, "%s %s %zu: code %d", kind, what, at, rc);
        CHECK(w == SENTINEL, "%s %s %zu: *out written on failure", kind, what, at);
        CHECK(posenc_last_error()[0] != '\0', "%s %s %zu: no message", kind, what, at);
    }
    return rc;
}

static void sweep(const char *kind, const bytes *valid, size_t header_end, const char *name,
                  int all_prefixes_fail)
{
    static const unsigned char interesting[] = {0x00, 0xFF, 0x80, ' ', '"', '\'', '\\', ',',
                                                ':', '{', '}', '[', ']', '(', ')', '0', '9',
                                                '-', 'e', '.', 'u', 'F', 'B', 'I', 0x7F};
    bytes m = {0};
    int n_ok = 0, n_fail = 0;
    put(&m, valid->p, valid->n);

    for (size_t len = 0; len < valid->n; len++) {
        bytes cut = {m.p, len, m.cap};
        int rc = sweep_one(kind, "prefix", len, &cut, name);
        if (all_prefixes_fail)
            CHECK(rc != POSENC_OK, "%s prefix of %zu bytes loaded", kind, len);
    }
    CHECK(sweep_one(kind, "whole file", valid->n, &m, name) == POSENC_OK,
          "%s: the unmodified file does not load: %s", kind, posenc_last_error());

    for (int i = 0; i < 400; i++) {
        uint64_t r = rng();
        /* mostly in the header: data bytes are taken as is */
        size_t at = (size_t)(r % 4 ? (r >> 8) % header_end : (r >> 8) % valid->n);
        unsigned char old = m.p[at];
        m.p[at] = (r >> 40) % 2 ? (unsigned char)(r >> 48)
                                : interesting[(r >> 48) % sizeof interesting];
        if (sweep_one(kind, "corrupt byte", at, &m, name) == POSENC_OK)
            n_ok++;
        else
            n_fail++;
        m.p[at] = old;
    }
    if (verbose) printf("  %s corruptions: %d loaded, %d refused\n", kind, n_ok, n_fail);
    free(m.p);
}

static void test_sweeps(void)
{
    char dict[256];
    bytes data = {0}, npy, st;
    size_t st_header_end;
    static const char json[] =
        "{\"__metadata__\":{\"format\":\"pt\",\"n\":\"[1.5,true,null]\"},"
        "\"a\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
        "\"b\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[8,16]},"
        "\"c\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[16,40]}}";

    put_f32_bits(&data, special_bits, 12);
    npy_dict(dict, sizeof dict, "'<f4'", "False", "(3, 4)");
    npy = npy_image(1, dict, data.p, data.n);
    sweep("npy 1.0", &npy, npy.n - data.n, NULL, 1);
    free(npy.p);
    npy_dict(dict, sizeof dict, "'<f4'", "False", "(2, 3)");
    npy = npy_image(2, dict, data.p, 24);
    sweep("npy 2.0", &npy, npy.n - 24, NULL, 1);
    free(npy.p);

    st = st_image(json, data.p, 40);
    st_header_end = st.n - 40;
    sweep("st last tensor", &st, st_header_end, "c", 1);
    sweep("st first tensor", &st, st_header_end, "a", 0);
    sweep("st F16 tensor", &st, st_header_end, "b", 0);
    free(st.p);
    free(data.p);
}

int main(int argc, char **argv)
{
    const char *child = getenv(CHILD_ENV);
    if (child) return lies_child(child); /* argv is a file image then, not options */
    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    make_tmpdir();
    test_from_array();
    test_npy_valid();
    test_npy_bad();
    test_npy_numpy_rules();
    test_st_valid();
    test_st_bad();
    test_st_whole_header();
    test_args_and_io();
    test_not_regular();
    test_size_lies();
    test_sweeps();
    remove_tmpdir();
    return tests_exit_code("test_loaders");
}
