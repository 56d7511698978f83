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
        printf("usage: posenc sysinfo\n  prints the machine kind (the name of its baseline "
               "folder), the CPU's\n  identity, model name and features, the compiler and "
               "flags, what\n  dispatch picks, and the output size from which encode writes with\n  streaming stores (posenc_stream_threshold).\n"
               "exit: 0 printed, 2 usage (any argument but --help).\n");
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
    machine_cpu_id id;
    machine_cpu_identify(&id);
    char kind[160];
    const int emulated = machine_is_emulated();
    machine_kind(POSENC_TARGET_ARCH, &id, posenc_cpu_features_detected(), emulated, kind,
                 sizeof kind);
    /* the kind first: scripts/check-speed reads it as the baseline folder's name */
    printf("kind         %s\n", kind);
    printf("cpu          %s\n", model);
    if (id.vendor[0] || id.family >= 0)
        printf("cpu id       vendor %s, family %d, model %d, stepping %d\n",
               id.vendor[0] ? id.vendor : "unknown", id.family, id.model, id.stepping);
    else if (id.implementer >= 0)
        printf("cpu id       implementer 0x%02x, variant 0x%x, part 0x%03x, revision %d\n",
               id.implementer, id.variant, id.part, id.revision);
    else
        printf("cpu id       unknown\n");
    printf("arch         %s%s\n", POSENC_TARGET_ARCH, emulated ? " (emulated)" : "");
    printf("features     %s\n", detected);
    printf("usable       %s%s%s\n", usable, disabled ? "  (POSENC_DISABLE_CPU_FEATURES=" : "",
           disabled ? disabled : "");
    if (disabled)
        printf(")\n");
    printf("compiler     %s\n", POSENC_COMPILER);
    printf("flags        %s\n", POSENC_C_FLAGS);
    if (forced)
        printf("forced       POSENC_IMPL=%s\n", forced);
    const char *stream_source;
    size_t stream = posenc_stream_threshold(&stream_source);
    char stream_size[32];
    if (stream && stream % (1u << 20) == 0)
        snprintf(stream_size, sizeof stream_size, "%zu MiB", stream >> 20);
    else if (stream && stream % 1024 == 0)
        snprintf(stream_size, sizeof stream_size, "%zu KiB", stream >> 10);
    else
        snprintf(stream_size, sizeof stream_size, "%zu bytes", stream);
    /* where the value came from: the cache size (cpuid, sysfs), the variable, or the fallback */
    int from_env = !strcmp(stream_source, "POSENC_STREAM_THRESHOLD");
    printf("streaming    encode outputs of %s and more (%s%s)%s\n", stream_size,
           strcmp(stream_source, "cpuid") && strcmp(stream_source, "sysfs") ? ""
                                                                           : "last-level cache, ",
           stream_source, from_env ? "" : "; sinusoidal and rotary rows only with POSENC_STREAM_THRESHOLD");
    static const posenc_kind kinds[] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY};
    for (size_t k = 0; k < 3; k++) {
        const posenc_impl *best = posenc_impl_best(kinds[k]);
        printf("best         %s\n", best ? best->name : "(none)");
    }
    return 0;
}
