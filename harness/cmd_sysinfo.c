/* cmd_sysinfo.c - `posenc sysinfo`: the machine and build a run's figures belong to, as text or
 * (--json) as one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exit_codes.h"
#include "json_write.h"
#include "machine.h"
#include "posenc.h"

/* What sysinfo reports, gathered once for both forms. */
typedef struct sysinfo_facts {
    char version[16], model[256], detected[512], usable[512], kind[160];
    machine_cpu_id id;
    int emulated;
    const char *disabled, *forced; /* the environment's values, or NULL */
    size_t stream;                 /* posenc_stream_threshold */
    const char *stream_source;
    const posenc_impl *best[4];    /* per kind of best_kinds */
} sysinfo_facts;

static const posenc_kind best_kinds[4] = {POSENC_SINUSOIDAL, POSENC_LEARNED, POSENC_ROTARY,
                                          POSENC_ALIBI};

static void gather(sysinfo_facts *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->version, sizeof s->version, "%d.%d.%d", POSENC_VERSION_MAJOR,
             POSENC_VERSION_MINOR, POSENC_VERSION_PATCH);
    machine_cpu_model(s->model, sizeof s->model);
    machine_feature_list(posenc_cpu_features_detected(), s->detected, sizeof s->detected);
    machine_feature_list(posenc_cpu_features(), s->usable, sizeof s->usable);
    s->disabled = getenv("POSENC_DISABLE_CPU_FEATURES");
    s->forced = getenv("POSENC_IMPL");
    machine_cpu_identify(&s->id);
    s->emulated = machine_is_emulated();
    machine_kind(POSENC_TARGET_ARCH, &s->id, posenc_cpu_features_detected(), s->emulated,
                 s->kind, sizeof s->kind);
    s->stream = posenc_stream_threshold(&s->stream_source);
    for (size_t k = 0; k < 4; k++)
        s->best[k] = posenc_impl_best(best_kinds[k]);
}

static void print_text(const sysinfo_facts *s)
{
    printf("posenc       %s\n", s->version);
    /* the kind first: scripts/check-speed reads it as the baseline folder's name */
    printf("kind         %s\n", s->kind);
    printf("cpu          %s\n", s->model);
    const machine_cpu_id *id = &s->id;
    if (id->vendor[0] || id->family >= 0)
        printf("cpu id       vendor %s, family %d, model %d, stepping %d\n",
               id->vendor[0] ? id->vendor : "unknown", id->family, id->model, id->stepping);
    else if (id->implementer >= 0)
        printf("cpu id       implementer 0x%02x, variant 0x%x, part 0x%03x, revision %d\n",
               id->implementer, id->variant, id->part, id->revision);
    else
        printf("cpu id       unknown\n");
    printf("arch         %s%s\n", POSENC_TARGET_ARCH, s->emulated ? " (emulated)" : "");
    printf("features     %s\n", s->detected);
    printf("usable       %s%s%s\n", s->usable, s->disabled ? "  (POSENC_DISABLE_CPU_FEATURES=" : "",
           s->disabled ? s->disabled : "");
    if (s->disabled)
        printf(")\n");
    printf("compiler     %s\n", POSENC_COMPILER);
    printf("flags        %s\n", POSENC_C_FLAGS);
    if (s->forced)
        printf("forced       POSENC_IMPL=%s\n", s->forced);
    char stream_size[32];
    if (s->stream && s->stream % (1u << 20) == 0)
        snprintf(stream_size, sizeof stream_size, "%zu MiB", s->stream >> 20);
    else if (s->stream && s->stream % 1024 == 0)
        snprintf(stream_size, sizeof stream_size, "%zu KiB", s->stream >> 10);
    else
        snprintf(stream_size, sizeof stream_size, "%zu bytes", s->stream);
    /* where the value came from: the cache size (cpuid, sysfs), the variable, or the fallback */
    int from_env = !strcmp(s->stream_source, "POSENC_STREAM_THRESHOLD");
    printf("streaming    encode outputs of %s and more (%s%s)%s\n", stream_size,
           strcmp(s->stream_source, "cpuid") && strcmp(s->stream_source, "sysfs")
               ? ""
               : "last-level cache, ",
           s->stream_source,
           from_env ? "" : "; sinusoidal and rotary rows only with POSENC_STREAM_THRESHOLD");
    for (size_t k = 0; k < 3; k++) /* sinusoidal, learned, rotary: the text has always had these */
        printf("best         %s\n", s->best[k] ? s->best[k]->name : "(none)");
}

/* A string member from a C string (NULL: null). */
static void str_member(jw *w, const char *key, const char *s)
{
    if (s)
        jw_str(w, key, s, strlen(s) + 1);
    else
        jw_null(w, key);
}

static int print_json(const sysinfo_facts *s)
{
    report_file out;
    report_file_stdout(&out);
    jw w;
    jw_init(&w, &out);
    jw_open(&w, NULL, '{', 0);
    str_member(&w, "posenc_version", s->version);
    str_member(&w, "kind", s->kind);
    str_member(&w, "cpu_model", s->model);
    const machine_cpu_id *id = &s->id;
    jw_open(&w, "cpu_id", '{', 1);
    if (id->vendor[0] || id->family >= 0) {
        str_member(&w, "vendor", id->vendor[0] ? id->vendor : NULL);
        jw_i64(&w, "family", id->family);
        jw_i64(&w, "model", id->model);
        jw_i64(&w, "stepping", id->stepping);
    } else if (id->implementer >= 0) {
        jw_i64(&w, "implementer", id->implementer);
        jw_i64(&w, "variant", id->variant);
        jw_i64(&w, "part", id->part);
        jw_i64(&w, "revision", id->revision);
    }
    jw_close(&w, '}');
    str_member(&w, "arch", POSENC_TARGET_ARCH);
    jw_bool(&w, "emulated", s->emulated);
    jw_words(&w, "features", s->detected, sizeof s->detected);
    jw_words(&w, "usable", s->usable, sizeof s->usable);
    str_member(&w, "disabled_features", s->disabled);
    str_member(&w, "compiler", POSENC_COMPILER);
    str_member(&w, "flags", POSENC_C_FLAGS);
    str_member(&w, "forced_impl", s->forced);
    jw_u64(&w, "stream_threshold_bytes", s->stream);
    str_member(&w, "stream_threshold_source", s->stream_source);
    jw_open(&w, "best", '{', 1);
    for (size_t k = 0; k < 4; k++)
        str_member(&w, posenc_kind_name(best_kinds[k]), s->best[k] ? s->best[k]->name : NULL);
    jw_close(&w, '}');
    jw_close(&w, '}');
    jw_put(&w, "\n");
    return report_file_commit(&out) == 0 ? POSENC_EXIT_OK : POSENC_EXIT_ERROR;
}

int cmd_sysinfo(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: posenc sysinfo [--json]\n"
                   "  prints the machine kind (the name of its baseline folder), the CPU's\n"
                   "  identity, model name and features, the compiler and flags, what\n"
                   "  dispatch picks, and the output size from which encode writes with\n"
                   "  streaming stores (posenc_stream_threshold).\n"
                   "  --json   the same as one JSON object on stdout\n"
                   "exit: 0 printed, 1 a failed write, 2 usage.\n");
            return POSENC_EXIT_OK;
        } else {
            fprintf(stderr, "posenc sysinfo: unexpected argument '%s'\n", argv[i]);
            return POSENC_EXIT_USAGE;
        }
    }
    sysinfo_facts s;
    gather(&s);
    if (json)
        return print_json(&s);
    print_text(&s);
    return POSENC_EXIT_OK;
}
