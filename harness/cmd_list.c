/* cmd_list.c - `posenc list`: every compiled-in implementation, whether this CPU runs it, its
 * documented error bound and the positions it accepts. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "machine.h"
#include "posenc.h"

static const char *kind_name(posenc_kind k)
{
    return k == POSENC_SINUSOIDAL ? "sinusoidal" : k == POSENC_LEARNED ? "learned" : "rotary";
}

int cmd_list(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) {
            fprintf(stderr, "posenc list: unexpected argument '%s'\n", argv[1]);
            return 2;
        }
        printf("usage: posenc list\n"
               "  every implementation: CPU support, documented error bound (u = 2^-24),\n"
               "  valid positions and description.\n");
        return 0;
    }
    printf("%-24s %-10s %-9s %-26s %-12s %s\n", "implementation", "kind", "this CPU",
           "bound (exact angles)", "positions", "description");
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        char support[300], bound[64], range[32];
        if (posenc_impl_supported(impl)) {
            snprintf(support, sizeof support, "yes");
        } else {
            char missing[256];
            machine_feature_list(impl->cpu_features & ~posenc_cpu_features(), missing,
                                 sizeof missing);
            snprintf(support, sizeof support, "no (%s)", missing);
        }
        if (impl->kind == POSENC_LEARNED)
            snprintf(bound, sizeof bound, "bit-exact");
        else if (impl->kind == POSENC_ROTARY)
            snprintf(bound, sizeof bound, "%gu x max(|a|,|b|)/pair", impl->max_err_u);
        else
            snprintf(bound, sizeof bound, "%gu absolute", impl->max_err_u);
        if (impl->kind == POSENC_LEARNED)
            snprintf(range, sizeof range, "< rows of W");
        else
            snprintf(range, sizeof range, "< %lld", (long long)impl->max_pos);
        printf("%-24s %-10s %-9s %-26s %-12s %s\n", impl->name, kind_name(impl->kind), support,
               bound, range, impl->description);
    }
    return 0;
}
