/* test_shape.h - the encoding shape the accuracy tests sweep (kind, dim, rotary_dim, pairing) and
 * the plan parameters built from it, so every test asks the library for the same plan. */
#ifndef POSENC_TESTS_TEST_SHAPE_H
#define POSENC_TESTS_TEST_SHAPE_H

#include "posenc.h"

typedef struct shape {
    posenc_kind kind;
    int32_t dim;
    int32_t rotary_dim; /* rotary */
    posenc_pairing pairing;
} shape;

static inline const char *pairing_name(posenc_pairing p)
{
    return p == POSENC_PAIR_HALF ? "half" : "interleaved";
}

/* The defaults for sh, with this base and angle mode, and linear scaling unless scale is 1. */
static inline posenc_params shape_params(const shape *sh, double base, double scale,
                                         posenc_angle_mode mode)
{
    posenc_params prm = posenc_params_default(sh->kind, sh->dim);
    if (sh->kind == POSENC_ROTARY)
        prm.rotary_dim = sh->rotary_dim;
    prm.base = base;
    prm.pairing = sh->pairing;
    prm.angle_mode = mode;
    if (scale != 1.0) {
        prm.scaling.type = POSENC_SCALING_LINEAR;
        prm.scaling.factor = scale;
    }
    return prm;
}

/* A table implementation builds max_positions rows of correctly rounded entries when a plan is
 * made (tens of ns each; far more under sanitizers and emulation). The tests give it the dense
 * positions 0..4096 for dims up to 1024 and 0..256 above, which covers its lookup and tails. */
static inline void shape_bound_table(const posenc_impl *impl, posenc_params *prm)
{
    if (impl->flags & POSENC_IMPL_TABLE_BOUNDED)
        prm->max_positions = prm->dim <= 1024 ? 4097 : 257;
}

#endif
