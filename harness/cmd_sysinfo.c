/* cmd_sysinfo.c - `posenc sysinfo`: the machine and build a run's figures belong to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "machine.h"
#include "posenc.h"

int cmd_sysinfo(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) {
            fprintf(stderr, "posenc sysinfo: unexpected argument '%s'\n", argv[1]);
            return 2;
        }
        printf("usage: posenc sysinfo\n  prints CPU model, features, compiler and flags.\n");
        return 0;
    }
    char model[256], detected[512], usable[512];
    machine_cpu_model(model, sizeof model);
    machine_feature_list(posenc_cpu_features_detected(), detected, sizeof detected);
    machine_feature_list(posenc_cpu_features(), usable, sizeof usable);
    const char *disabled = getenv("POSENC_DISABLE_CPU_FEATURES");
    const char *forced = getenv("POSENC_IMPL");
    printf("posenc       %d.%d.%d\n", POSENC_VERSION_MAJOR, POSENC_VERSION_MINOR,
           POSENC_VERSION_PATCH);
    printf("cpu          %s\n", model);
    printf("arch         %s%s\n", POSENC_TARGET_ARCH,
           machine_is_emulated() ? " (emulated)" : "");
    printf("features     %s\n", detected);
    printf("usable       %s%s%s\n", usable, disabled ? "  (POSENC_DISABLE_CPU_FEATURES=" : "",
           disabled ? disabled : "");
    if (disabled)
        printf(")\n");
    printf("compiler     %s\n", POSENC_COMPILER);
    printf("flags        %s\n", POSENC_C_FLAGS);
    if (forced)
        printf("forced       POSENC_IMPL=%s\n", forced);
    static const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY};
    for (size_t k = 0; k < 3; k++) {
        const posenc_impl *best = posenc_impl_best(kinds[k]);
        printf("best         %s\n", best ? best->name : "(none)");
    }
    return 0;
}
