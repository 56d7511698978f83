/* cmd_merge.c - `posenc merge`: runs of `posenc bench` from several machines into one CPU x
 * implementation matrix (merge.md, merge.csv, merge.html). Every input is read and checked
 * before anything is written, so a bad input leaves no output behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exit_codes.h"
#include "merge_matrix.h"
#include "merge_out.h"
#include "run_record.h"


#define PROG "posenc merge"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: posenc merge RUN... [--out DIR] [--metric NAME] [--help]\n"
            "  Merges runs of `posenc bench` made on different machines into one CPU x\n"
            "  implementation matrix. RUN is a run folder or its run.json; one column per\n"
            "  run, labelled by CPU model, ISA set and architecture. Writes merge.md,\n"
            "  merge.csv and merge.html (results/README.md describes them).\n"
            "  --out DIR      where the files go (created when missing; default: here)\n"
            "  --metric NAME  the speed figure of the tables and charts:\n"
            "                 ns_per_element (default), ratio_to_mempass,\n"
            "                 speedup_over_scalar\n"
            "Runs made under emulation (qemu) are marked: their times are shown for\n"
            "correctness only, their accuracy counts.\n"
            "exit: 0 written, 1 an input could not be read or is not a run record this\n"
            "      posenc knows (nothing is written then), or a file could not be written,\n"
            "      2 usage.\n");
}

/* The value of an option given as "--name VALUE" or "--name=VALUE"; NULL when argv[*a] is not
 * that option. *missing is set when the option is there without its value. */
static const char *option(int argc, char **argv, int *a, const char *name, int *missing)
{
    size_t n = strlen(name);
    if (strncmp(argv[*a], name, n))
        return NULL;
    if (argv[*a][n] == '=')
        return argv[*a] + n + 1;
    if (argv[*a][n] != '\0')
        return NULL;
    if (*a + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*a];
}

int cmd_merge(int argc, char **argv)
{
    const char *out = ".";
    merge_metric metric = MERGE_NS_PER_ELEMENT;
    const char **inputs = calloc(argc > 0 ? (size_t)argc : 1, sizeof *inputs);
    size_t n = 0;
    if (!inputs) {
        fprintf(stderr, PROG ": out of memory\n");
        return POSENC_EXIT_ERROR;
    }
    int only_inputs = 0; /* after "--" */
    for (int a = 1; a < argc; a++) {
        int missing = 0;
        const char *v;
        if (only_inputs || argv[a][0] != '-' || !strcmp(argv[a], "-")) {
            inputs[n++] = argv[a];
        } else if (!strcmp(argv[a], "--")) {
            only_inputs = 1;
        } else if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            usage(stdout);
            free(inputs);
            return POSENC_EXIT_OK;
        } else if ((v = option(argc, argv, &a, "--out", &missing)) || missing) {
            if (missing || !*v) {
                fprintf(stderr, PROG ": --out needs a folder\n");
                free(inputs);
                return POSENC_EXIT_USAGE;
            }
            out = v;
        } else if ((v = option(argc, argv, &a, "--metric", &missing)) || missing) {
            if (missing || merge_metric_parse(v, &metric)) {
                fprintf(stderr, PROG ": --metric %s%s%s: expected ns_per_element, "
                                "ratio_to_mempass or speedup_over_scalar\n",
                        missing ? "" : "'", missing ? "needs a value" : v, missing ? "" : "'");
                free(inputs);
                return POSENC_EXIT_USAGE;
            }
        } else {
            fprintf(stderr, PROG ": unknown option '%s'\n", argv[a]);
            usage(stderr);
            free(inputs);
            return POSENC_EXIT_USAGE;
        }
    }
    if (!n) {
        fprintf(stderr, PROG ": no runs to merge\n");
        usage(stderr);
        free(inputs);
        return POSENC_EXIT_USAGE;
    }

    /* reads[] owns what was read; runs[] are views of the records, the array merge_build takes */
    run_read_result *reads = calloc(n, sizeof *reads);
    run_record *runs = calloc(n, sizeof *runs);
    if (!reads || !runs) {
        fprintf(stderr, PROG ": out of memory\n");
        free(reads);
        free(runs);
        free(inputs);
        return POSENC_EXIT_ERROR;
    }
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        char err[768];
        if (run_read(inputs[i], &reads[i], err, sizeof err)) {
            fprintf(stderr, PROG ": %s\n", err);
            bad++;
        } else {
            runs[i] = reads[i].run;
        }
    }
    int rc = POSENC_EXIT_OK;
    if (bad) {
        fprintf(stderr, PROG ": %zu of %zu input%s unusable; nothing written\n", bad, n,
                n == 1 ? "" : "s");
        rc = POSENC_EXIT_ERROR;
    } else {
        merge_set s;
        static const merge_output outs[] = {{"merge.md", merge_write_md},
                                            {"merge.csv", merge_write_csv},
                                            {"merge.html", merge_write_html}};
        if (merge_build(&s, runs, inputs, n, metric)) {
            fprintf(stderr, PROG ": out of memory\n");
            rc = POSENC_EXIT_ERROR;
        } else {
            if (merge_write_outputs(&s, out, outs, sizeof outs / sizeof *outs, PROG))
                rc = POSENC_EXIT_ERROR;
            else
                printf("merged %zu run%s (%zu case groups, %zu rows): %s/merge.md, merge.csv, "
                       "merge.html\n",
                       n, n == 1 ? "" : "s", s.n_groups, s.n_rows, out);
            merge_set_free(&s);
        }
    }
    for (size_t i = 0; i < n; i++)
        run_read_free(&reads[i]);
    free(reads);
    free(runs);
    free(inputs);
    return rc;
}
