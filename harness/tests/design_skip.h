/* design_skip.h - why the tests that hold every implementation to posenc's bounds, to the bits
 * of another implementation or to exact angle mode leave the common designs out
 * (POSENC_IMPL_DESIGN: the fp32 recipe as other projects compute it, in no other mode, with no
 * bound); test_designs checks what they must compute instead. */
#ifndef POSENC_TESTS_DESIGN_SKIP_H
#define POSENC_TESTS_DESIGN_SKIP_H

#include <stdio.h>

#include "posenc.h"

/* 1 when impl is a design, saying so (once per implementation and program), else 0. */
static inline int tests_skip_design(const posenc_impl *impl)
{
    static const posenc_impl *said[8];
    if (!(impl->flags & POSENC_IMPL_DESIGN))
        return 0;
    size_t k = 0;
    while (k < 8 && said[k] && said[k] != impl)
        k++;
    if (k < 8 && !said[k]) {
        said[k] = impl;
        printf("skip %s: a common design (POSENC_IMPL_DESIGN), fp32 recipe only and without "
               "posenc's bounds; test_designs checks it\n", impl->name);
    }
    return 1;
}

#endif
