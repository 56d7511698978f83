/* main.c - the `posenc` command: dispatches to its subcommands. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "exit_codes.h"
#include "posenc.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    int uses_dispatch; /* runs kernels or reports what dispatch picks here */
    const char *summary;
} commands[] = {
    {"list", cmd_list, 1,
     "every implementation (CPU support, bound, valid positions) and the variants"},
    {"sysinfo", cmd_sysinfo, 1, "CPU model, detected features, compiler and flags"},
    {"bench", cmd_bench, 1,
     "time every implementation on model shapes and variants; write a run folder"},
    {"accuracy", cmd_accuracy, 1, "error of every implementation against the MPFR oracle"},
    {"compare", cmd_compare, 0,
     "speed-regression and accuracy verdict of a run against a baseline"},
    {"merge", cmd_merge, 0, "runs from several machines as one CPU x implementation matrix"},
    {"analyze", cmd_analyze, 1,
     "what each encoding does to attention: invariance, decay, resolution; a run folder"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: posenc <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nencodings: sinusoidal, learned, rotary (RoPE) and alibi, each with several\n"
               "implementations (backends); variants are parameters every implementation runs:\n"
               "  rotary scaling   none, linear, ntk, dynamic, yarn, llama3, longrope\n"
               "  M-RoPE layouts   sections (Qwen2-VL), interleaved (Qwen3-VL)\n"
               "  alibi forms      causal (MPT), full, key-only (BLOOM)\n"
               "  angle modes      exact (default), fp32 (the common float32 recipe), bf16 and\n"
               "                   fp16 (the recipe's angle in half precision)\n"
               "'posenc list' shows the implementations and the variants in detail.\n");
    fprintf(f, "\n'posenc <command> --help' describes a command's options; 'posenc --version'\n"
               "prints the version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return POSENC_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return POSENC_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("posenc %d.%d.%d\n", POSENC_VERSION_MAJOR, POSENC_VERSION_MINOR,
               POSENC_VERSION_PATCH);
        return POSENC_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name))
            continue;
        /* a misspelt POSENC_IMPL or POSENC_DISABLE_CPU_FEATURES would make every plan fail */
        if (commands[i].uses_dispatch && posenc_check_environment() != POSENC_OK) {
            fprintf(stderr, "posenc: %s\n", posenc_last_error());
            return POSENC_EXIT_USAGE;
        }
        return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "posenc: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return POSENC_EXIT_USAGE;
}
