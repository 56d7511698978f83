/* cmd_list.c - `posenc list`: every compiled-in implementation, whether this CPU runs it, its
 * documented error bound, the positions it accepts and the memory a plan of a reference shape
 * holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "machine.h"
#include "posenc.h"

/* The reference shape of the memory column: a Llama-style rotary head, a BERT-base-sized
 * sinusoidal model; table implementations at their default rows. */
#define REF_ROTARY_DIM 128
#define REF_SINUSOIDAL_DIM 512
#define REF_ALIBI_HEADS 32

/* One line of the implementation table: its cells as text. */
typedef struct list_row {
    char cell[7][320];
} list_row;

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
static void list_variants(void)
{
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
    printf("\nvariants (posenc_params fields: every implementation of the kind runs each; "
           "'posenc bench --variant' times them on real models):\n");
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        printf("  %-18s %-13s %s\n", variants[i].what, variants[i].field, variants[i].values);
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
               "  valid positions, memory of a plan of a reference shape and description;\n"
               "  then the variants every implementation of a kind runs (RoPE scaling types,\n"
               "  M-RoPE layouts, pairings, angle modes, ALiBi forms).\n"
               "exit: 0 listed, 1 out of memory, 2 usage (any argument but --help).\n");
        return 0;
    }
    /* the rows first, then each column as wide as its widest cell, so long names
       (sinusoidal/sleef-u10-avx512) and unsupported features do not break the columns */
    enum { N_COLS = 6 };
    const size_t n = posenc_impl_count();
    list_row *rows = calloc(n + 1, sizeof *rows);
    if (!rows) {
        fprintf(stderr, "posenc list: out of memory\n");
        return 1;
    }
    const char *header[N_COLS + 1] = {"implementation", "kind", "this CPU", "bound (exact angles)",
                                      "positions", "memory", "description"};
    for (int k = 0; k <= N_COLS; k++)
        snprintf(rows[0].cell[k], sizeof rows[0].cell[k], "%s", header[k]);
    for (size_t i = 0; i < n; i++) {
        const posenc_impl *impl = posenc_impl_at(i);
        char support[300], bound[64], range[32], memory[32] = "-";
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
        else if (impl->kind == POSENC_ALIBI)
            snprintf(bound, sizeof bound, "bias correctly rounded");
        else if (impl->flags & POSENC_IMPL_DESIGN)
            snprintf(bound, sizeof bound, "none (design, fp32)");
        else if (impl->kind == POSENC_ROTARY)
            snprintf(bound, sizeof bound, "%gu x max(|a|,|b|)/pair", impl->max_err_u);
        else
            snprintf(bound, sizeof bound, "%gu absolute", impl->max_err_u);
        /* a plan's own limit and tables: a table implementation's depend on its rows */
        posenc_plan *plan = reference_plan(impl);
        if (impl->kind == POSENC_LEARNED)
            snprintf(range, sizeof range, "< rows of W");
        else
            snprintf(range, sizeof range, "< %lld",
                     (long long)(plan ? posenc_plan_max_pos(plan) : impl->max_pos));
        if (plan)
            format_bytes(memory, sizeof memory, posenc_plan_table_bytes(plan));
        posenc_plan_destroy(plan);
        const char *cells[N_COLS + 1] = {impl->name, posenc_kind_name(impl->kind), support,
                                         bound, range, memory, impl->description};
        for (int k = 0; k <= N_COLS; k++)
            snprintf(rows[i + 1].cell[k], sizeof rows[i + 1].cell[k], "%s", cells[k]);
    }
    int width[N_COLS] = {0};
    for (size_t i = 0; i <= n; i++)
        for (int k = 0; k < N_COLS; k++) {
            int len = (int)strlen(rows[i].cell[k]);
            if (len > width[k])
                width[k] = len;
        }
    for (size_t i = 0; i <= n; i++) {
        for (int k = 0; k < N_COLS; k++)
            printf("%-*s ", width[k], rows[i].cell[k]);
        printf("%s\n", rows[i].cell[N_COLS]);
    }
    free(rows);
    printf("\nmemory: tables of one plan for rotary head_dim %d, sinusoidal dim %d, alibi %d heads "
           "(learned: the caller's W).\ntable implementations hold max_positions rows (default "
           "%d): their positions and memory scale with it.\n",
           REF_ROTARY_DIM, REF_SINUSOIDAL_DIM, REF_ALIBI_HEADS, POSENC_TABLE_DEFAULT_POSITIONS);
    list_variants();
    return 0;
}
