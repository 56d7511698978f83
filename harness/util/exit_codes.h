/* exit_codes.h - the exit codes of every `posenc` subcommand. A code means the same in every
 * command that can return it; each command's --help and README.md's command table list the
 * ones it returns. */
#ifndef POSENC_EXIT_CODES_H
#define POSENC_EXIT_CODES_H

enum posenc_exit_code {
    POSENC_EXIT_OK = 0,             /* done (compare: no regression) */
    POSENC_EXIT_ERROR = 1,          /* a file that cannot be read or written, a failed section,
                                       an invalid run */
    POSENC_EXIT_USAGE = 2,          /* bad options or arguments */
    POSENC_EXIT_SPEED = 3,          /* compare: a speed regression */
    POSENC_EXIT_ACCURACY = 4,       /* an implementation outside its documented bound (bench,
                                       accuracy), an accuracy failure (compare) */
    POSENC_EXIT_SPEED_ACCURACY = 5, /* compare: both */
    POSENC_EXIT_NOT_COMPARABLE = 6  /* compare: another machine kind (arch, CPU identity, CPU
                                       features) or compiler, not allowed */
};

#endif
