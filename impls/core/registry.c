/* registry.c - every compiled-in implementation, best first within each kind, and the choice of
 * one for this CPU (POSENC_IMPL forces a name). */
#include <stdlib.h>
#include <string.h>

#include "posenc.h"

#define POSENC_DECLARE_BACKEND(isa)                                                          \
    extern const posenc_impl posenc_sinusoidal_##isa, posenc_learned_##isa, posenc_rotary_##isa;

#if POSENC_HAVE_AVX2
POSENC_DECLARE_BACKEND(avx2)
#endif
extern const posenc_impl posenc_sinusoidal_scalar;
extern const posenc_impl posenc_learned_scalar;
extern const posenc_impl posenc_rotary_scalar;

/* Best first: dispatch takes the first supported entry of a kind. */
static const posenc_impl *const registry[] = {
#if POSENC_HAVE_AVX2
    &posenc_sinusoidal_avx2,
#endif
    &posenc_sinusoidal_scalar,
#if POSENC_HAVE_AVX2
    &posenc_learned_avx2,
#endif
    &posenc_learned_scalar,
#if POSENC_HAVE_AVX2
    &posenc_rotary_avx2,
#endif
    &posenc_rotary_scalar,
};

size_t posenc_impl_count(void) { return sizeof registry / sizeof registry[0]; }

const posenc_impl *posenc_impl_at(size_t i)
{
    return i < posenc_impl_count() ? registry[i] : NULL;
}

const posenc_impl *posenc_impl_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < posenc_impl_count(); i++)
        if (!strcmp(registry[i]->name, name))
            return registry[i];
    return NULL;
}

int posenc_impl_supported(const posenc_impl *impl)
{
    if (!impl)
        return 0;
    return (impl->cpu_features & ~posenc_cpu_features()) == 0;
}

const posenc_impl *posenc_impl_best(posenc_kind kind)
{
    const posenc_impl *forced = posenc_impl_find(getenv("POSENC_IMPL"));
    if (forced && forced->kind == kind && posenc_impl_supported(forced))
        return forced;
    for (size_t i = 0; i < posenc_impl_count(); i++)
        if (registry[i]->kind == kind && posenc_impl_supported(registry[i]))
            return registry[i];
    return NULL;
}
