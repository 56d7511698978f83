/* registry.c - every compiled-in implementation, best first within each kind, and the choice of
 * one for this CPU (POSENC_IMPL forces a name). */
#include <stdlib.h>
#include <string.h>

#include "core/environment.h"
#include "core/error.h"
#include "core/isa_list.h"
#include "posenc.h"

/* Best first: dispatch takes the first supported entry that is not explicit-only. The vector
 * ISAs come from core/isa_list.h; the portable scalar backend ends the automatic choices; table
 * (its kernels chosen per plan from the same ISAs, table/table.c) and the SLEEF backends of
 * each ISA follow it, used by name. */
#define SLEEF_OF(X, isa) X(sleef_u10_##isa) X(sleef_u35_##isa)
#define VECTOR_BACKENDS(X) POSENC_ISAS(X) X(scalar)
#define OPT_IN_BACKENDS(X) X(table) POSENC_ISAS_WITH(SLEEF_OF, X)

#define DECLARE_ALL(b) extern const posenc_impl posenc_sinusoidal_##b, posenc_rotary_##b;
#define DECLARE_VECTOR_ONLY(b) extern const posenc_impl posenc_learned_##b, posenc_alibi_##b;
VECTOR_BACKENDS(DECLARE_ALL)
VECTOR_BACKENDS(DECLARE_VECTOR_ONLY)
OPT_IN_BACKENDS(DECLARE_ALL)
extern const posenc_impl posenc_rotary_recipe_cache, posenc_rotary_recipe_recurrence; /* designs */

#define SINUSOIDAL(b) &posenc_sinusoidal_##b,
#define LEARNED(b) &posenc_learned_##b,
#define ROTARY(b) &posenc_rotary_##b,
#define ALIBI(b) &posenc_alibi_##b,

static const posenc_impl *const registry[] = {
    VECTOR_BACKENDS(SINUSOIDAL) OPT_IN_BACKENDS(SINUSOIDAL)
    VECTOR_BACKENDS(LEARNED)
    VECTOR_BACKENDS(ROTARY) OPT_IN_BACKENDS(ROTARY) ROTARY(recipe_cache) ROTARY(recipe_recurrence)
    /* ALiBi adds biases to attention scores: no sin or cos, so no table or SLEEF backend */
    VECTOR_BACKENDS(ALIBI)
};

const char *posenc_kind_name(posenc_kind kind)
{
    switch (kind) {
    case POSENC_SINUSOIDAL: return "sinusoidal";
    case POSENC_LEARNED: return "learned";
    case POSENC_ROTARY: return "rotary";
    case POSENC_ALIBI: return "alibi";
    }
    return "unknown";
}

const char *posenc_dtype_name(posenc_dtype dtype)
{
    switch (dtype) {
    case POSENC_DTYPE_F32: return "f32";
    case POSENC_DTYPE_BF16: return "bf16";
    case POSENC_DTYPE_F16: return "f16";
    }
    return "unknown";
}

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

/* The backend part of an implementation's name: "avx2" of "rotary/avx2". */
static const char *backend_of(const posenc_impl *impl)
{
    const char *slash = strchr(impl->name, '/');
    return slash ? slash + 1 : impl->name;
}

static int name_is(const char *name, const char *entry, size_t len)
{
    return strlen(name) == len && !strncmp(name, entry, len);
}

/* POSENC_IMPL is a list of entries separated by commas or spaces; each is an implementation
 * ("rotary/avx2") or a backend ("scalar": that backend for every kind that has one). */
int posenc_forced_impl(posenc_kind kind, const posenc_impl **forced)
{
    const char *env = getenv("POSENC_IMPL");
    *forced = NULL;
    while (env && *env) {
        env += strspn(env, ", ");
        size_t len = strcspn(env, ", ");
        if (!len)
            break;
        int known = 0;
        const posenc_impl *pick = NULL;
        for (size_t i = 0; i < posenc_impl_count(); i++) {
            const posenc_impl *impl = registry[i];
            int full = name_is(impl->name, env, len);
            int backend = !memchr(env, '/', len) && name_is(backend_of(impl), env, len);
            known |= full || backend;
            if ((full || backend) && impl->kind == kind)
                pick = impl;
        }
        if (!known)
            return posenc_fail(POSENC_ERR_NOT_FOUND,
                               "POSENC_IMPL: '%.*s' is neither an implementation nor a backend "
                               "(`posenc list` shows them)", len > 64 ? 64 : (int)len, env);
        if (pick && *forced && pick != *forced)
            return posenc_fail(POSENC_ERR_ARGUMENT, "POSENC_IMPL names both %s and %s",
                               (*forced)->name, pick->name);
        if (pick)
            *forced = pick;
        env += len;
    }
    if (*forced && !posenc_impl_supported(*forced))
        return posenc_fail(POSENC_ERR_UNSUPPORTED,
                           "POSENC_IMPL forces %s, which needs instructions this CPU lacks or "
                           "POSENC_DISABLE_CPU_FEATURES hides", (*forced)->name);
    return POSENC_OK;
}

const posenc_impl *posenc_impl_best(posenc_kind kind)
{
    const posenc_impl *forced;
    if (posenc_env_check() || posenc_forced_impl(kind, &forced))
        return NULL;
    if (forced)
        return forced;
    for (size_t i = 0; i < posenc_impl_count(); i++)
        if (registry[i]->kind == kind && !(registry[i]->flags & POSENC_IMPL_EXPLICIT_ONLY) &&
            posenc_impl_supported(registry[i]))
            return registry[i];
    return NULL;
}
