/* test_safetensors_json.c - libposenc's own safetensors header scanner (impls/learned/json_scan.c,
 * through posenc_weights_load_safetensors) against a reading of the same files with jansson and
 * the format's rules written out again here: the fuzz target's seeds, any files named on the
 * command line, and generated headers (valid ones, each rule broken, bytes flipped).
 *
 * Where jansson accepts the header, the loader must give the same verdict and the same tensor
 * (shape, and the float32 values bit for bit). Where jansson rejects it, the loader must reject
 * it too, except for what RFC 8259 leaves to implementations and the format ignores: a member
 * named twice inside an ignored member, a number beyond a double, an integer past int64_t
 * (jansson's json_int_t; the scanner reads extents and offsets up to 2^64 - 1). Those inputs are
 * counted by kind with the loader's verdicts and printed: they are where the two readers differ
 * by design, and the test shows how often. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, opendir */

#include <dirent.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "check.h"
#include "posenc.h"

#ifndef POSENC_SAFETENSORS_SEEDS
#error "POSENC_SAFETENSORS_SEEDS must name harness/fuzz/corpus/safetensors (harness/tests/CMakeLists.txt)"
#endif

/* ---- the format's rules, read with jansson ------------------------------------------------ */

/* The format's dtypes and sizes, written out again rather than taken from the loader: this test
 * is a second reading of the format, so it shares no table with what it checks. */
static const struct {
    const char *name;
    unsigned bits;
} dtypes[] = {
    {"BOOL", 8},    {"F4", 4},       {"F6_E2M3", 6}, {"F6_E3M2", 6}, {"U8", 8},
    {"I8", 8},      {"F8_E5M2", 8},  {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"I16", 16},
    {"U16", 16},    {"F16", 16},     {"BF16", 16},   {"I32", 32},    {"U32", 32},
    {"F32", 32},    {"C64", 64},     {"F64", 64},    {"I64", 64},    {"U64", 64},
};
#define N_DTYPES (sizeof dtypes / sizeof *dtypes)

/* The scanner's nesting limit (impls/learned/json_scan.h, JSON_MAX_DEPTH). */
#define SCAN_MAX_DEPTH 64

typedef struct verdict {
    int valid;             /* the whole file by the format's rules */
    char why[160];         /* when not */
    /* the first tensor, which the loader is asked for */
    char name[128];
    int has_name;          /* 0: ask for "wpe.weight" (no tensor, or a name with a NUL) */
    const char *dtype;
    size_t ndim;
    uint64_t shape[2];
    uint64_t begin;
} verdict;

static int bad(verdict *v, const char *what)
{
    v->valid = 0;
    snprintf(v->why, sizeof v->why, "%s", what);
    return 0;
}

static int depth(const json_t *v)
{
    int d = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            int e = depth(x);
            d = e > d ? e : d;
        }
        return d + 1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            int e = depth(x);
            d = e > d ? e : d;
        }
        return d + 1;
    }
    return 0;
}

/* An integer in [0, 2^64): jansson's integers stop at 2^63 - 1; with JSON_DECODE_INT_AS_REAL
 * (the tolerant reading) a whole real is taken when it is exact. */
static int count_of(const json_t *v, uint64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return 1;
    }
    return 0;
}

typedef struct span {
    uint64_t begin, end;
} span;

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

/* The format's rules (posenc.h, posenc_weights_load_safetensors) on a parsed header. */
static int check_header(const json_t *root, uint64_t buf_size, verdict *v)
{
    if (!json_is_object(root))
        return bad(v, "not an object");
    if (depth(root) > SCAN_MAX_DEPTH)
        return bad(v, "nested deeper than the scanner's limit");
    size_t n = json_object_size(root), k = 0;
    span *spans = malloc((n ? n : 1) * sizeof *spans);
    const char *key;
    size_t key_len;
    json_t *e;
    int ok = 1;
    json_object_keylen_foreach((json_t *)root, key, key_len, e)
    {
        if (!ok)
            break;
        if (key_len == 12 && !memcmp(key, "__metadata__", 12)) {
            if (json_is_null(e))
                continue;
            if (!json_is_object(e)) {
                ok = bad(v, "metadata not an object");
                continue;
            }
            const char *mk;
            json_t *mv;
            json_object_foreach(e, mk, mv) if (!json_is_string(mv)) ok = bad(v, "metadata value");
            continue;
        }
        if (!json_is_object(e)) {
            ok = bad(v, "entry not an object");
            continue;
        }
        const json_t *dt = json_object_get(e, "dtype"), *sh = json_object_get(e, "shape");
        const json_t *off = json_object_get(e, "data_offsets");
        if (!dt || !sh || !off) {
            ok = bad(v, "entry lacks a member");
            continue;
        }
        size_t d = 0;
        while (d < N_DTYPES &&
               !(json_is_string(dt) && !strcmp(json_string_value(dt), dtypes[d].name) &&
                 json_string_length(dt) == strlen(dtypes[d].name)))
            d++;
        if (d == N_DTYPES || !json_is_array(sh) || !json_is_array(off) ||
            json_array_size(off) != 2) {
            ok = bad(v, "dtype, shape or data_offsets malformed");
            continue;
        }
        uint64_t elements = 1, x, b, en;
        size_t i;
        json_t *item;
        uint64_t ext[2] = {0, 0};
        json_array_foreach(sh, i, item)
        {
            if (!count_of(item, &x)) {
                ok = bad(v, "shape extent");
                break;
            }
            if (i < 2)
                ext[i] = x;
            if (elements && x > UINT64_MAX / elements) {
                ok = bad(v, "more than 2^64 elements");
                break;
            }
            elements *= x;
        }
        if (!ok)
            continue;
        if (!count_of(json_array_get(off, 0), &b) || !count_of(json_array_get(off, 1), &en)) {
            ok = bad(v, "data_offsets values");
            continue;
        }
        if (elements && dtypes[d].bits > UINT64_MAX / elements) {
            ok = bad(v, "byte size overflows");
            continue;
        }
        uint64_t bits = elements * dtypes[d].bits;
        if (bits % 8 || b > en || en - b != bits / 8) {
            ok = bad(v, "byte size or offsets");
            continue;
        }
        spans[k++] = (span){b, en};
        if (!v->has_name && key_len < sizeof v->name && !memchr(key, '\0', key_len)) {
            memcpy(v->name, key, key_len + 1);
            v->has_name = 1;
            v->dtype = dtypes[d].name;
            v->ndim = json_array_size(sh);
            v->shape[0] = ext[0];
            v->shape[1] = ext[1];
            v->begin = b;
        }
    }
    if (ok && k > 1)
        qsort(spans, k, sizeof *spans, cmp_span);
    uint64_t at = 0;
    for (size_t i = 0; ok && i < k; i++) {
        if (spans[i].begin != at)
            ok = bad(v, "gap or overlap");
        at = spans[i].end;
    }
    if (ok && at != buf_size)
        ok = bad(v, "tensors do not cover the buffer");
    free(spans);
    return ok;
}

/* What RFC 8259 leaves to the implementation (jansson's limits), as jansson words it. */
enum {
    LENIENT_NONE,
    LENIENT_DUPLICATE,
    LENIENT_REAL,
    LENIENT_BIG_INTEGER,
    LENIENT_NUL_KEY,
    N_LENIENT
};
static const char *const lenient_names[N_LENIENT] = {
    "", "a member named twice", "a number beyond a double", "an integer past int64_t",
    "a NUL (\\u0000) in a member name"};

static int lenient_kind(const char *text)
{
    if (strstr(text, "duplicate object key"))
        return LENIENT_DUPLICATE;
    if (strstr(text, "real number overflow"))
        return LENIENT_REAL;
    if (!strncmp(text, "too big ", 8))
        return LENIENT_BIG_INTEGER;
    if (strstr(text, "NUL byte in object key"))
        return LENIENT_NUL_KEY;
    return LENIENT_NONE;
}

/* The whole file. *lenient is the kind of JSON jansson refused that the format tolerates. */
static void judge(const unsigned char *data, size_t size, verdict *v, int *lenient)
{
    memset(v, 0, sizeof *v);
    v->valid = 1;
    *lenient = LENIENT_NONE;
    if (size < 8) {
        bad(v, "shorter than 8 bytes");
        return;
    }
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | data[i];
    if (hlen > 100000000u || hlen > size - 8) {
        bad(v, "header size");
        return;
    }
    const char *h = (const char *)data + 8;
    if (!hlen || h[0] != '{') {
        bad(v, "header does not start with '{'");
        return;
    }
    json_error_t e;
    json_t *root = json_loadb(h, hlen, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
    if (!root) {
        bad(v, e.text);
        *lenient = lenient_kind(e.text);
        return;
    }
    check_header(root, size - 8 - hlen, v);
    json_decref(root);
}

/* ---- one file ---------------------------------------------------------------------------- */

static char dir[] = "/tmp/test_safetensors_json.XXXXXX";
static unsigned long n_files, n_valid, n_rejected, n_loaded, lenient_count[N_LENIENT],
    lenient_accepted[N_LENIENT];

static void check_file(const unsigned char *data, size_t size, const char *label)
{
    char path[sizeof dir + 32];
    snprintf(path, sizeof path, "%s/f.safetensors", dir);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
        CHECK(0, "cannot write %s", path);
        return;
    }
    verdict v;
    int lenient;
    judge(data, size, &v, &lenient);
    const char *name = v.has_name ? v.name : "wpe.weight";
    posenc_weights *w = NULL;
    int rc = posenc_weights_load_safetensors(path, name, &w);
    n_files++;
    if (lenient != LENIENT_NONE) {
        /* jansson refused what the format tolerates; the scanner decides by the format's rules,
           which this test does not restate for such text: only count what it did */
        lenient_count[lenient]++;
        lenient_accepted[lenient] += rc != POSENC_ERR_FORMAT;
        CHECK(rc != POSENC_OK || w != NULL, "%s: OK without a table", label);
    } else if (!v.valid) {
        n_rejected++;
        CHECK(rc == POSENC_ERR_FORMAT, "%s: jansson and the rules refuse it (%s), the loader "
              "returned %s (%s)", label, v.why, posenc_strerror(rc),
              rc ? posenc_last_error() : "loaded");
    } else {
        n_valid++;
        int want = POSENC_OK;
        if (!v.has_name)
            want = POSENC_ERR_NOT_FOUND;
        else if (strcmp(v.dtype, "F32") && strcmp(v.dtype, "F16") && strcmp(v.dtype, "BF16"))
            want = POSENC_ERR_DTYPE;
        else if (v.ndim != 2 || !v.shape[0] || !v.shape[1] || v.shape[1] > 65536)
            want = POSENC_ERR_SHAPE;
        CHECK(rc == want || (want == POSENC_OK && rc == POSENC_ERR_OVERFLOW),
              "%s: valid by the rules, tensor '%s': the loader returned %s (%s), expected %s",
              label, name, posenc_strerror(rc), rc ? posenc_last_error() : "",
              posenc_strerror(want));
        if (rc == POSENC_OK && w) {
            n_loaded++;
            CHECK((uint64_t)posenc_weights_rows(w) == v.shape[0] &&
                      (uint64_t)posenc_weights_dim(w) == v.shape[1],
                  "%s: loaded (%lld, %d), the header says (%" PRIu64 ", %" PRIu64 ")", label,
                  (long long)posenc_weights_rows(w), (int)posenc_weights_dim(w), v.shape[0],
                  v.shape[1]);
            uint64_t hlen = 0;
            for (int i = 7; i >= 0; i--)
                hlen = hlen << 8 | data[i];
            size_t count = (size_t)(v.shape[0] * v.shape[1]);
            if (!strcmp(v.dtype, "F32") && count == (size_t)posenc_weights_rows(w) *
                                                         (size_t)posenc_weights_dim(w)) {
                const unsigned char *src = data + 8 + hlen + v.begin;
                int same = 1;
                for (size_t i = 0; i < count && same; i++) {
                    uint32_t bits = (uint32_t)src[4 * i] | (uint32_t)src[4 * i + 1] << 8 |
                                    (uint32_t)src[4 * i + 2] << 16 |
                                    (uint32_t)src[4 * i + 3] << 24, got;
                    memcpy(&got, posenc_weights_data(w) + i, 4);
                    same = got == bits;
                }
                CHECK(same, "%s: the F32 values differ from the file's bytes", label);
            }
        }
    }
    posenc_weights_free(w);
    remove(path);
}

/* ---- generated headers -------------------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static unsigned pick(unsigned n) { return (unsigned)(next() % n); }

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap)
            b->cap = b->cap ? 2 * b->cap : 256;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}
static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }
static void putf(buf *b, const char *fmt, uint64_t x)
{
    char t[64];
    snprintf(t, sizeof t, fmt, x);
    puts_(b, t);
}

/* One header of up to four tensors, mostly valid, with one rule broken now and then; its data
 * buffer's size in *data_size. */
static void gen_header(buf *h, uint64_t *data_size)
{
    /* distinct names mostly; now and then one that repeats another (an escape spells
       "wpe.weight" again) or one jansson cannot hold (a NUL) */
    static const char *const names[] = {"wpe.weight", "a", "\\u00e9", "__metadata__x", "q.k"};
    static const char *const odd_names[] = {"w\\u0070e.weight", "wpe.weight", "b\\u0000c"};
    unsigned first_name = pick(5);
    static const char *const bad_dtypes[] = {"F31", "f32", "", "F32 ", "\\u0046\\u0033\\u0032"};
    static const char *const extras[] = {
        "\"x\": [[[1]]]", "\"x\": 1e400", "\"x\": {\"y\": 1, \"y\": 2}", "\"x\": null",
        "\"x\": 99999999999999999999", "\"x\": \"\\ud83d\\ude00\"", "\"x\": -0.0e-5",
        "\"x\": [1, 2, 3]", "\"x\": {}"};
    unsigned n = pick(5);
    uint64_t at = 0;
    puts_(h, pick(8) ? "{" : "{ \n\t");
    if (pick(4) == 0) {
        static const char *const metas[] = {"\"__metadata__\": null", "\"__metadata__\": {}",
                                            "\"__metadata__\": {\"format\": \"pt\"}",
                                            "\"__metadata__\": {\"a\": 1}",
                                            "\"__metadata__\": {\"a\": \"1\", \"a\": \"2\"}",
                                            "\"__metadata__\": []"};
        puts_(h, metas[pick(6)]);
        if (n)
            puts_(h, ", ");
    }
    for (unsigned t = 0; t < n; t++) {
        unsigned d = pick(N_DTYPES + 2) % N_DTYPES;
        if (pick(3))
            d = 15 - pick(2) * 3 - pick(2) * 4; /* F32, F16, BF16 often */
        unsigned ndim = pick(6) ? 2 : pick(4);
        uint64_t ext[3] = {1 + pick(4), 1 + pick(5), 1 + pick(3)};
        if (pick(20) == 0)
            ext[pick(2)] = 0;
        uint64_t elements = 1;
        for (unsigned i = 0; i < ndim; i++)
            elements *= ext[i];
        uint64_t bytes = elements * dtypes[d].bits / 8;
        if ((elements * dtypes[d].bits) % 8)
            bytes++; /* broken on purpose: not whole bytes */
        puts_(h, "\"");
        puts_(h, pick(25) ? names[(first_name + t) % 5] : odd_names[pick(3)]);
        puts_(h, "\": {");
        unsigned order = pick(6), broken = pick(12);
        for (unsigned m = 0; m < 3; m++) {
            unsigned which = (order + m) % 3;
            if (m)
                puts_(h, ", ");
            if (which == 0) {
                puts_(h, "\"dtype\": \"");
                puts_(h, broken == 0 ? bad_dtypes[pick(5)] : dtypes[d].name);
                puts_(h, "\"");
            } else if (which == 1) {
                puts_(h, "\"shape\": [");
                for (unsigned i = 0; i < ndim; i++) {
                    if (i)
                        puts_(h, ", ");
                    if (broken == 1 && i == 0)
                        puts_(h, pick(2) ? "1.0" : pick(2) ? "-1" : "18446744073709551615");
                    else
                        putf(h, "%" PRIu64, ext[i]);
                }
                puts_(h, "]");
            } else {
                uint64_t b = at, e = at + bytes;
                if (broken == 2)
                    e += 1 + pick(3);
                if (broken == 3 && at)
                    b -= 1;
                puts_(h, "\"data_offsets\": [");
                putf(h, "%" PRIu64, b);
                puts_(h, broken == 4 ? "]" : ", ");
                if (broken != 4)
                    putf(h, "%" PRIu64 "]", e);
                at = e;
            }
        }
        if (pick(5) == 0) {
            puts_(h, ", ");
            puts_(h, extras[pick(sizeof extras / sizeof *extras)]);
        } else if (pick(40) == 0) {
            /* nesting at the scanner's limit: the root and the entry, then 61 to 63 arrays */
            unsigned levels = 61 + pick(3);
            puts_(h, ", \"deep\": ");
            for (unsigned l = 0; l < levels; l++)
                puts_(h, "[");
            for (unsigned l = 0; l < levels; l++)
                puts_(h, "]");
        }
        puts_(h, "}");
        if (t + 1 < n)
            puts_(h, pick(30) ? ", " : ",, ");
    }
    puts_(h, pick(30) ? "}" : "},");
    for (unsigned s = pick(4) ? 0 : pick(9); s; s--)
        puts_(h, " ");
    *data_size = at + (pick(25) == 0 ? 1 : 0);
    /* a byte flipped, now and then */
    if (h->n && pick(10) == 0)
        h->p[pick((unsigned)h->n)] ^= (char)(1u << pick(8));
}

static void check_generated(unsigned count)
{
    buf h = {0}, file = {0};
    for (unsigned i = 0; i < count; i++) {
        h.n = 0;
        uint64_t data_size;
        gen_header(&h, &data_size);
        file.n = 0;
        unsigned char size[8];
        for (int k = 0; k < 8; k++)
            size[k] = (unsigned char)((uint64_t)h.n >> (8 * k));
        put(&file, (const char *)size, 8);
        put(&file, h.p, h.n);
        for (uint64_t k = 0; k < data_size; k++) {
            char byte = (char)next();
            put(&file, &byte, 1);
        }
        char label[64];
        snprintf(label, sizeof label, "generated header %u", i);
        check_file((const unsigned char *)file.p, file.n, label);
    }
    free(h.p);
    free(file.p);
}

static void check_folder(const char *folder)
{
    DIR *d = opendir(folder);
    CHECK(d != NULL, "cannot open %s", folder);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        size_t len;
        char *data = tests_slurp(path, &len);
        if (data)
            check_file((const unsigned char *)data, len, path);
        free(data);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    /* the fuzz target's seeds, then any folders named (a fuzzing run's corpus) */
    check_folder(POSENC_SAFETENSORS_SEEDS);
    for (int a = 1; a < argc; a++)
        check_folder(argv[a]);
    const char *env = getenv("POSENC_TEST_QUICK");
    check_generated(env && *env && strcmp(env, "0") ? 2000 : 20000);
    rmdir(dir);
    printf("test_safetensors_json: %lu files: %lu valid by the rules read with jansson (%lu "
           "loaded), %lu refused by both\n",
           n_files, n_valid, n_loaded, n_rejected);
    for (int k = 1; k < N_LENIENT; k++)
        printf("  refused by jansson for %s: %lu, of which the loader accepted %lu\n",
               lenient_names[k], lenient_count[k], lenient_accepted[k]);
    CHECK(n_valid > 100 && n_loaded > 50 && n_rejected > 100,
          "the generated headers must exercise both verdicts");
    return tests_exit_code("test_safetensors_json");
}
