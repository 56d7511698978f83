/* float_bits.h - what the tests use to compare floats bit for bit: a float's bits and back, the
 * first float where two buffers differ, and the portable implementation a vector one must match. */
#ifndef POSENC_TESTS_FLOAT_BITS_H
#define POSENC_TESTS_FLOAT_BITS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "posenc.h"

static inline uint32_t bits_of(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Index of the first float of a and b (n each) whose bits differ, or -1. */
static inline long first_difference(const float *a, const float *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (bits_of(a[i]) != bits_of(b[i]))
            return (long)i;
    return -1;
}

/* The portable implementation with impl's kind and algorithm (posenc_impl.algorithm: the same
 * bits for the same input), or NULL. */
static inline const posenc_impl *reference_of(const posenc_impl *impl)
{
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *r = posenc_impl_at(i);
        if (r->kind == impl->kind && r->cpu_features == 0 && r->algorithm && impl->algorithm &&
            !strcmp(r->algorithm, impl->algorithm))
            return r;
    }
    return NULL;
}

#endif
