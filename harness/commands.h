/* commands.h - the subcommands of the `posenc` command; each returns the process exit code. */
#ifndef POSENC_HARNESS_COMMANDS_H
#define POSENC_HARNESS_COMMANDS_H

int cmd_list(int argc, char **argv);
int cmd_sysinfo(int argc, char **argv);
int cmd_accuracy(int argc, char **argv);
int cmd_compare(int argc, char **argv); /* harness/compare/cmd_compare.c */
int cmd_merge(int argc, char **argv); /* harness/merge/cmd_merge.c */
int cmd_bench(int argc, char **argv); /* C++: harness/bench/cmd_bench.cc */
int cmd_analyze(int argc, char **argv); /* harness/analyze/cmd_analyze.c */

#endif
