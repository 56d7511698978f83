/* commands.h - the subcommands of the `posenc` command; each returns the process exit code. */
#ifndef POSENC_HARNESS_COMMANDS_H
#define POSENC_HARNESS_COMMANDS_H

int cmd_list(int argc, char **argv);
int cmd_sysinfo(int argc, char **argv);
int cmd_accuracy(int argc, char **argv);
int cmd_bench(int argc, char **argv); /* C++: harness/bench/cmd_bench.cc */

#endif
