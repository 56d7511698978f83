/* analyze_settings.h - model settings made by hand for the tests of `posenc analyze`'s
 * sections (an analyze_model as the command would resolve one from the models file). */
#ifndef POSENC_TESTS_ANALYZE_SETTINGS_H
#define POSENC_TESTS_ANALYZE_SETTINGS_H

#include <stdio.h>
#include <string.h>

#include "analysis.h"

/* rotary: head of dim, rotary_dim rot (0: all of it), unscaled; context as both L and L0 */
static inline analyze_model test_rotary_setting(const char *key, const char *variant,
                                                int32_t dim, int32_t rot, double base,
                                                int64_t context)
{
    analyze_model m;
    memset(&m, 0, sizeof m);
    snprintf(m.key, sizeof m.key, "%s", key);
    snprintf(m.variant, sizeof m.variant, "%s", variant);
    m.params = posenc_params_default(POSENC_ROTARY, dim);
    m.params.rotary_dim = rot;
    m.params.base = base;
    m.heads = 1;
    m.head_dim = dim;
    m.context = m.context_original = context;
    return m;
}

/* sinusoidal of dim, base 10000; context 0 leaves it to the section */
static inline analyze_model test_sinusoidal_setting(const char *key, int32_t dim,
                                                    int64_t context)
{
    analyze_model m;
    memset(&m, 0, sizeof m);
    snprintf(m.key, sizeof m.key, "%s", key);
    snprintf(m.variant, sizeof m.variant, "sinusoidal");
    m.params = posenc_params_default(POSENC_SINUSOIDAL, dim);
    m.head_dim = dim;
    m.context = m.context_original = context;
    return m;
}

#endif
