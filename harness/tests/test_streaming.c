/* test_streaming.c - streaming stores change the kind of store and nothing else: every
 * implementation's encode gives the same bits with POSENC_STREAM_THRESHOLD forced to 0 (every
 * output streamed, where the backend can) as with 1t (none), and the bits of the portable
 * implementation of its algorithm, on float32, bfloat16 and float16 rows of odd and even sizes,
 * with the output at every element offset within a cache line, and without writing a byte
 * outside the output. Also: the variable's parsing and what posenc_stream_threshold reports.
 * --quick (or POSENC_TEST_QUICK, as the sanitizer and emulated stages set) tries 6 of the
 * offsets, among them 0, 1 and an aligned one of each vector width, on dims 6, 34 and 130 (a
 * table plan of dim 512 alone is 16 MiB to build). */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "float_bits.h"
#include "posenc.h"

#define GUARD 128 /* bytes before and after each output, which must keep their fill */
#define FILL 0xA5

static const int32_t dims[] = {2, 6, 34, 64, 96, 130, 512};
static const size_t counts[] = {1, 5};
static const posenc_dtype dtypes[] = {POSENC_DTYPE_F32, POSENC_DTYPE_BF16, POSENC_DTYPE_F16};

static size_t elem_bytes(posenc_dtype d) { return d == POSENC_DTYPE_F32 ? 4 : 2; }

/* The learned table every learned plan reads: values of every kind (NaN payloads included, which
   encode copies as they are in float32). */
static posenc_weights *weights_for(int32_t dim)
{
    size_t rows = 64, n = rows * (size_t)dim;
    float *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = i % 97 == 0 ? from_bits(0x7fd23456u) : (float)((int)(i * 7919 % 2001) - 1000) / 37.0f;
    posenc_weights *out = NULL;
    int rc = posenc_weights_from_array((int64_t)rows, dim, w, &out);
    free(w);
    return rc == POSENC_OK ? out : NULL;
}

/* A plan of impl for (kind, dim, pairing, dtype, M-RoPE or not) made under threshold `env`;
   NULL when the implementation does not take these parameters. */
static posenc_plan *plan_under(const char *env, const posenc_impl *impl, posenc_kind kind,
                               int32_t dim, posenc_pairing pairing, posenc_dtype dtype, int mrope,
                               posenc_weights *w)
{
    setenv("POSENC_STREAM_THRESHOLD", env, 1);
    posenc_params p = posenc_params_default(kind, dim);
    p.dtype = dtype;
    if (kind != POSENC_LEARNED)
        p.pairing = pairing;
    if (kind == POSENC_LEARNED)
        p.weights = w;
    if (impl->flags & POSENC_IMPL_DESIGN) /* the fp32 recipe is a design's only angle mode */
        p.angle_mode = POSENC_ANGLE_FP32;
    if (mrope) {
        p.mrope.layout = POSENC_MROPE_SECTIONS;
        int32_t nf = dim / 2;
        p.mrope.section[0] = nf / 4;
        p.mrope.section[1] = (nf - nf / 4) / 2;
        p.mrope.section[2] = nf - p.mrope.section[0] - p.mrope.section[1];
    }
    posenc_plan *plan = NULL;
    if (posenc_plan_create(impl, &p, &plan) != POSENC_OK)
        return NULL;
    return plan;
}

/* encode into a fresh guarded buffer at `offset` elements past a 64-byte boundary; the
   output's bytes into *out (bytes long). Returns 0, or -1 after a failed CHECK. */
static int encode_guarded(const posenc_plan *plan, const int64_t *pos, size_t n, size_t offset,
                          size_t esize, unsigned char *out, size_t bytes, const char *what)
{
    size_t total = GUARD + 64 + bytes + GUARD;
    unsigned char *buf = aligned_alloc(64, (total + 63) / 64 * 64);
    memset(buf, FILL, total);
    unsigned char *o = buf + GUARD + offset * esize;
    int rc = posenc_encode(plan, pos, n, o);
    CHECK(rc == POSENC_OK, "%s: encode failed: %s", what, posenc_last_error());
    int bad = rc != POSENC_OK;
    for (unsigned char *p = buf; p < buf + total && !bad; p++)
        if ((p < o || p >= o + bytes) && *p != FILL) {
            CHECK(0, "%s: byte %td outside the output written", what, p - o);
            bad = 1;
        }
    memcpy(out, o, bytes);
    free(buf);
    return bad ? -1 : 0;
}

static size_t compared;
static int quick;

/* The offsets (in elements) a quick run tries: unaligned by one element, by a vector's half,
   aligned to 16 and 32 bytes, and the last one of the line. */
static int offset_tried(size_t off_e, size_t esize)
{
    if (!quick)
        return 1;
    size_t b = off_e * esize;
    return b == 0 || off_e == 1 || b == 16 || b == 32 || b == 40 || off_e == 64 / esize - 1;
}

/* One (implementation, shape): streamed, unstreamed and the portable twin's rows, compared. */
static void check_case(const posenc_impl *impl, const posenc_impl *ref, posenc_kind kind,
                       int32_t dim, posenc_pairing pairing, posenc_dtype dtype, int mrope,
                       posenc_weights *w)
{
    posenc_plan *on = plan_under("0", impl, kind, dim, pairing, dtype, mrope, w);
    posenc_plan *off = plan_under("1t", impl, kind, dim, pairing, dtype, mrope, w);
    posenc_plan *twin = ref ? plan_under("1t", ref, kind, dim, pairing, dtype, mrope, w) : NULL;
    if (!on || !off) {
        CHECK(!on && !off, "%s dim %d: a plan made under one threshold but not the other",
              impl->name, (int)dim);
        goto done;
    }
    size_t esize = elem_bytes(dtype), row = posenc_plan_row_size(on);
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        size_t n = counts[c], axes = mrope ? 3 : 1;
        int64_t pos[3 * 5];
        for (size_t t = 0; t < n * axes; t++)
            pos[t] = kind == POSENC_LEARNED ? (int64_t)(t * 13 % 64) : (int64_t)(t * 977 % 4096 + 3); /* within a table's rows */
        size_t bytes = n * row * esize;
        unsigned char *a = malloc(bytes), *b = malloc(bytes), *r = malloc(bytes);
        for (size_t off_e = 0; off_e < 64 / esize; off_e++) {
            if (!offset_tried(off_e, esize))
                continue;
            char what[160];
            snprintf(what, sizeof what, "%s %s dim %d %s%s n %zu offset %zu", impl->name,
                     posenc_dtype_name(dtype), (int)dim,
                     pairing == POSENC_PAIR_HALF ? "half" : "interleaved", mrope ? " M-RoPE" : "",
                     n, off_e);
            if (encode_guarded(on, pos, n, off_e, esize, a, bytes, what) ||
                encode_guarded(off, pos, n, off_e, esize, b, bytes, what))
                continue;
            CHECK(!memcmp(a, b, bytes), "%s: streamed and ordinary stores differ", what);
            if (twin && !encode_guarded(twin, pos, n, off_e, esize, r, bytes, what))
                CHECK(!memcmp(a, r, bytes), "%s: differs from %s", what, ref->name);
            compared++;
        }
        free(a);
        free(b);
        free(r);
    }
done:
    posenc_plan_destroy(on);
    posenc_plan_destroy(off);
    posenc_plan_destroy(twin);
}

static void check_environment(void)
{
    const char *src = NULL;
    setenv("POSENC_STREAM_THRESHOLD", "64k", 1);
    CHECK(posenc_stream_threshold(&src) == 65536 && !strcmp(src, "POSENC_STREAM_THRESHOLD"),
          "64k read as %zu from %s", posenc_stream_threshold(NULL), src);
    CHECK_CODE(posenc_check_environment(), POSENC_OK);
    setenv("POSENC_STREAM_THRESHOLD", "3M", 1);
    CHECK(posenc_stream_threshold(NULL) == (size_t)3 << 20, "3M read as %zu",
          posenc_stream_threshold(NULL));
    static const char *const bad[] = {"", "x", "12q", "-1", "1kk", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("POSENC_STREAM_THRESHOLD", bad[i], 1);
        CHECK_CODE(posenc_check_environment(), POSENC_ERR_ARGUMENT);
        CHECK(strstr(posenc_last_error(), "POSENC_STREAM_THRESHOLD") != NULL,
              "'%s': message '%s' does not name the variable", bad[i], posenc_last_error());
        posenc_params p = posenc_params_default(POSENC_SINUSOIDAL, 64);
        posenc_plan *plan = NULL;
        CHECK_CODE(posenc_plan_create(NULL, &p, &plan), POSENC_ERR_ARGUMENT);
        CHECK(plan == NULL, "'%s': a plan was made", bad[i]);
    }
    unsetenv("POSENC_STREAM_THRESHOLD");
    size_t v = posenc_stream_threshold(&src);
    CHECK(v > 0 && (!strcmp(src, "cpuid") || !strcmp(src, "sysfs") || !strcmp(src, "default")),
          "unset: %zu from %s", v, src);
    printf("threshold here: %zu bytes (%s)\n", v, src);
}

int main(int argc, char **argv)
{
    quick = tests_parse_quick(argc, argv, "test_streaming");
    if (quick < 0)
        return 2;
    check_environment();
    static const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY};
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        if (!posenc_impl_supported(impl) || !impl->encode)
            continue;
        int listed = 0;
        for (size_t k = 0; k < 3; k++)
            listed |= impl->kind == kinds[k];
        if (!listed)
            continue;
        const posenc_impl *ref = reference_of(impl);
        size_t before = compared;
        for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
            if (quick && dims[d] != 6 && dims[d] != 34 && dims[d] != 130)
                continue;
            posenc_weights *w = impl->kind == POSENC_LEARNED ? weights_for(dims[d]) : NULL;
            for (size_t t = 0; t < sizeof dtypes / sizeof dtypes[0]; t++)
                for (int pairing = 0; pairing < 2; pairing++) {
                    posenc_pairing pr = pairing ? POSENC_PAIR_INTERLEAVED : POSENC_PAIR_HALF;
                    if (impl->kind == POSENC_LEARNED && pairing)
                        continue;
                    check_case(impl, ref, impl->kind, dims[d], pr, dtypes[t], 0, w);
                    if (impl->kind == POSENC_ROTARY && !pairing && dims[d] >= 34)
                        check_case(impl, ref, impl->kind, dims[d], pr, dtypes[t], 1, w);
                }
            posenc_weights_free(w);
        }
        printf("%s: %zu cases%s%s\n", impl->name, compared - before, ref ? ", against " : "",
               ref ? ref->name : "");
        CHECK(compared > before, "%s: nothing compared", impl->name);
    }
    return tests_exit_code("test_streaming");
}
