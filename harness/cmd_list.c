/* cmd_list.c - `posenc list`: every compiled-in implementation, whether this CPU runs it, its
 * documented error bound, the positions it accepts and the memory a plan of a reference shape
 * holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exit_codes.h"
#include "json_write.h"
#include "machine.h"
#include "posenc.h"

/* The reference shape of the memory column: a Llama-style rotary head, a BERT-base-sized
 * sinusoidal model; table implementations at their default rows. */
#define REF_ROTARY_DIM 128
#define REF_SINUSOIDAL_DIM 512
#define REF_ALIBI_HEADS 32

/* What `posenc list` says of one implementation, for the table and for --json. */
typedef struct impl_facts {
    int supported;
    char missing[256];   /* features this CPU lacks (or POSENC_DISABLE_CPU_FEATURES hides) */
    char bound[64];      /* the documented bound as text */
    int64_t max_pos;     /* positions below this; -1: the rows of W (learned) */
    int has_plan;        /* a plan of the reference shape was made: plan_bytes is its tables */
    size_t plan_bytes;
} impl_facts;

/* A plan of the reference shape for impl, or NULL (learned needs weights; unsupported CPU). */
static posenc_plan *reference_plan(const posenc_impl *impl)
{
    if (impl->kind == POSENC_LEARNED || !posenc_impl_supported(impl))
        return NULL;
    posenc_params p = posenc_params_default(
        impl->kind, impl->kind == POSENC_ROTARY  ? REF_ROTARY_DIM
                    : impl->kind == POSENC_ALIBI ? REF_ALIBI_HEADS
                                                 : REF_SINUSOIDAL_DIM);
    if (impl->flags & POSENC_IMPL_DESIGN) /* the fp32 recipe, in no other mode */
        p.angle_mode = POSENC_ANGLE_FP32;
    posenc_plan *plan = NULL;
    return posenc_plan_create(impl, &p, &plan) == POSENC_OK ? plan : NULL;
}

static void gather_facts(const posenc_impl *impl, impl_facts *f)
{
    memset(f, 0, sizeof *f);
    f->supported = posenc_impl_supported(impl);
    if (!f->supported)
        machine_feature_list(impl->cpu_features & ~posenc_cpu_features(), f->missing,
                             sizeof f->missing);
    if (impl->kind == POSENC_LEARNED)
        snprintf(f->bound, sizeof f->bound, "bit-exact");
    else if (impl->kind == POSENC_ALIBI)
        snprintf(f->bound, sizeof f->bound, "bias correctly rounded");
    else if (impl->flags & POSENC_IMPL_DESIGN)
        snprintf(f->bound, sizeof f->bound, "none (design, fp32)");
    else if (impl->kind == POSENC_ROTARY)
        snprintf(f->bound, sizeof f->bound, "%gu x max(|a|,|b|)/pair", impl->max_err_u);
    else
        snprintf(f->bound, sizeof f->bound, "%gu absolute", impl->max_err_u);
    /* a plan's own limit and tables: a table implementation's depend on its rows */
    posenc_plan *plan = reference_plan(impl);
    f->max_pos = impl->kind == POSENC_LEARNED ? -1
                 : plan                       ? posenc_plan_max_pos(plan)
                                              : impl->max_pos;
    f->has_plan = plan != NULL;
    f->plan_bytes = plan ? posenc_plan_table_bytes(plan) : 0;
    posenc_plan_destroy(plan);
}

static void format_bytes(char *buf, size_t size, size_t bytes)
{
    if (bytes < 1024)
        snprintf(buf, size, "%zu B", bytes);
    else if (bytes < 1024 * 1024)
        snprintf(buf, size, "%.1f KiB", (double)bytes / 1024.0);
    else
        snprintf(buf, size, "%.1f MiB", (double)bytes / (1024.0 * 1024.0));
}

/* The variants: parameters of a plan (posenc.h), not implementations, so every implementation
 * of the kind runs each; whether a plan accepts one, `posenc_plan_create` says. */
static const struct {
    const char *what, *field, *values;
} variants[] = {
    {"rotary scaling", "scaling.type",
     "none; linear (position interpolation); ntk (static NTK-aware); dynamic (dynamic NTK, "
     "per seq_len); yarn (YaRN, mscale / mscale_all_dim as DeepSeek); llama3 (Llama 3.1); "
     "longrope (Phi-3: short and long factors, by seq_len)"},
    {"M-RoPE layouts", "mrope.layout",
     "none; sections (Qwen2-VL, [16, 24, 24]); interleaved (Qwen3-VL, [24, 20, 20]): "
     "3 positions per token (temporal, height, width)"},
    {"rotary pairs", "pairing", "half (NeoX, Llama, HF); interleaved (GPT-J)"},
    {"sinusoidal layout", "pairing", "interleaved (sin, cos); half ([sin | cos]); scaling "
     "none or linear"},
    {"alibi forms", "alibi.form",
     "causal (MPT; -inf above the diagonal); full (-m |i - j|); key-only (BLOOM: +m j); "
     "bias_max b, slopes 2^(-b h / H)"},
    {"angle modes", "angle_mode",
     "exact (default: every position < 2^31 as accurate as 0); fp32 (HF's float32 recipe "
     "of each variant, to measure its cost); bf16 (that angle rounded to bfloat16, as "
     "under autocast); fp16 (inv_freq and angle in float16; positions < 65520)"},
};

static void list_variants(void)
{
    printf("\nvariants (posenc_params fields: every implementation of the kind runs each; "
           "'posenc bench --variant' times them on real models):\n");
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        printf("  %-18s %-13s %s\n", variants[i].what, variants[i].field, variants[i].values);
}

/* The implementation table as text, each column as wide as its widest cell, so long names
 * (sinusoidal/sleef-u10-avx512) and unsupported features do not break the columns. */
static int print_table(void)
{
    enum { N_COLS = 7 };
    typedef struct list_row {
        char cell[N_COLS][320];
    } list_row;
    const size_t n = posenc_impl_count();
    list_row *rows = calloc(n + 1, sizeof *rows);
    if (!rows) {
        fprintf(stderr, "posenc list: out of memory\n");
        return POSENC_EXIT_ERROR;
    }
    const char *header[N_COLS] = {"implementation", "kind", "this CPU", "bound (exact angles)",
                                  "positions", "memory", "description"};
    for (int k = 0; k < N_COLS; k++)
        snprintf(rows[0].cell[k], sizeof rows[0].cell[k], "%s", header[k]);
    for (size_t i = 0; i < n; i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        impl_facts f;
        gather_facts(impl, &f);
        char support[300], range[32], memory[32] = "-";
        if (f.supported)
            snprintf(support, sizeof support, "yes");
        else
            snprintf(support, sizeof support, "no (%s)", f.missing);
        if (f.max_pos < 0)
            snprintf(range, sizeof range, "< rows of W");
        else
            snprintf(range, sizeof range, "< %lld", (long long)f.max_pos);
        if (f.has_plan)
            format_bytes(memory, sizeof memory, f.plan_bytes);
        const char *cells[N_COLS] = {impl->name, posenc_kind_name(impl->kind), support,
                                     f.bound, range, memory, impl->description};
        for (int k = 0; k < N_COLS; k++)
            snprintf(rows[i + 1].cell[k], sizeof rows[i + 1].cell[k], "%s", cells[k]);
    }
    int width[N_COLS - 1] = {0};
    for (size_t i = 0; i <= n; i++)
        for (int k = 0; k < N_COLS - 1; k++) {
            int len = (int)strlen(rows[i].cell[k]);
            if (len > width[k])
                width[k] = len;
        }
    for (size_t i = 0; i <= n; i++) {
        for (int k = 0; k < N_COLS - 1; k++)
            printf("%-*s ", width[k], rows[i].cell[k]);
        printf("%s\n", rows[i].cell[N_COLS - 1]);
    }
    free(rows);
    printf("\nmemory: tables of one plan for rotary head_dim %d, sinusoidal dim %d, alibi %d heads "
           "(learned: the caller's W).\ntable implementations hold max_positions rows (default "
           "%d): their positions and memory scale with it.\n",
           REF_ROTARY_DIM, REF_SINUSOIDAL_DIM, REF_ALIBI_HEADS, POSENC_TABLE_DEFAULT_POSITIONS);
    list_variants();
    return POSENC_EXIT_OK;
}

/* The same as JSON on stdout (`posenc list --json`): the facts as values, not text. */
static int print_json(void)
{
    report_file out;
    report_file_stdout(&out);
    jw w;
    jw_init(&w, &out);
    char version[16];
    snprintf(version, sizeof version, "%d.%d.%d", POSENC_VERSION_MAJOR, POSENC_VERSION_MINOR,
             POSENC_VERSION_PATCH);
    jw_open(&w, NULL, '{', 0);
    jw_str(&w, "posenc_version", version, sizeof version);
    jw_open(&w, "reference_shape", '{', 1);
    jw_i64(&w, "rotary_head_dim", REF_ROTARY_DIM);
    jw_i64(&w, "sinusoidal_dim", REF_SINUSOIDAL_DIM);
    jw_i64(&w, "alibi_heads", REF_ALIBI_HEADS);
    jw_i64(&w, "table_rows", POSENC_TABLE_DEFAULT_POSITIONS);
    jw_close(&w, '}');
    jw_open(&w, "implementations", '[', 0);
    for (size_t i = 0; i < posenc_impl_count(); i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        impl_facts f;
        gather_facts(impl, &f);
        jw_open(&w, NULL, '{', 0);
        jw_str(&w, "name", impl->name, strlen(impl->name) + 1);
        const char *kind = posenc_kind_name(impl->kind);
        jw_str(&w, "kind", kind, strlen(kind) + 1);
        jw_bool(&w, "supported", f.supported);
        jw_words(&w, "missing_features", f.missing, sizeof f.missing);
        jw_str(&w, "bound", f.bound, sizeof f.bound);
        if (impl->kind == POSENC_LEARNED || impl->kind == POSENC_ALIBI ||
            (impl->flags & POSENC_IMPL_DESIGN))
            jw_null(&w, "max_err_u");
        else
            jw_num(&w, "max_err_u", impl->max_err_u);
        if (f.max_pos < 0)
            jw_null(&w, "max_positions");
        else
            jw_i64(&w, "max_positions", f.max_pos);
        if (f.has_plan)
            jw_u64(&w, "plan_table_bytes", f.plan_bytes);
        else
            jw_null(&w, "plan_table_bytes");
        jw_bool(&w, "explicit_only", (impl->flags & POSENC_IMPL_EXPLICIT_ONLY) != 0);
        jw_bool(&w, "design", (impl->flags & POSENC_IMPL_DESIGN) != 0);
        jw_str(&w, "description", impl->description, strlen(impl->description) + 1);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    jw_open(&w, "variants", '[', 0);
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        jw_open(&w, NULL, '{', 1);
        jw_str(&w, "what", variants[i].what, strlen(variants[i].what) + 1);
        jw_str(&w, "field", variants[i].field, strlen(variants[i].field) + 1);
        jw_str(&w, "values", variants[i].values, strlen(variants[i].values) + 1);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    jw_close(&w, '}');
    jw_put(&w, "\n");
    return report_file_commit(&out) == 0 ? POSENC_EXIT_OK : POSENC_EXIT_ERROR;
}

int cmd_list(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: posenc list [--json]\n"
                   "  every implementation: CPU support, documented error bound (u = 2^-24),\n"
                   "  valid positions, memory of a plan of a reference shape and description;\n"
                   "  then the variants every implementation of a kind runs (RoPE scaling\n"
                   "  types, M-RoPE layouts, pairings, angle modes, ALiBi forms).\n"
                   "  --json   the same as one JSON object on stdout (README.md, \"The command\")\n"
                   "exit: 0 listed, 1 out of memory or a failed write, 2 usage.\n");
            return POSENC_EXIT_OK;
        } else {
            fprintf(stderr, "posenc list: unexpected argument '%s'\n", argv[i]);
            return POSENC_EXIT_USAGE;
        }
    }
    return json ? print_json() : print_table();
}
