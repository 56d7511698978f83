/* merge_out.c - writes the outputs of `posenc merge` through NAME.tmp files, renamed together
 * once every one of them is complete (merge_out.h). */
#define _POSIX_C_SOURCE 200809L /* mkdir, unlink */

#include "merge_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p: each missing component in turn; one that exists as a folder is fine. */
static int make_dir(const char *dir)
{
    size_t n = strlen(dir);
    char *p = malloc(n + 1);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char keep = p[i];
        p[i] = '\0';
        struct stat st;
        if (stat(p, &st) != 0 && (errno != ENOENT || mkdir(p, 0777) != 0)) {
            free(p);
            return -1;
        }
        if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode)) {
            free(p);
            errno = ENOTDIR;
            return -1;
        }
        p[i] = keep;
    }
    free(p);
    return 0;
}

static char *join(const char *dir, const char *name, const char *suffix)
{
    size_t a = strlen(dir), b = strlen(name), c = strlen(suffix);
    char *p = malloc(a + b + c + 2);
    if (p) {
        memcpy(p, dir, a);
        size_t o = a;
        if (a && dir[a - 1] != '/')
            p[o++] = '/';
        memcpy(p + o, name, b);
        memcpy(p + o + b, suffix, c + 1);
    }
    return p;
}

int merge_write_outputs(const merge_set *s, const char *dir, const merge_output *outs, size_t n,
                        const char *prog)
{
    if (make_dir(dir) != 0) {
        fprintf(stderr, "%s: cannot create the output folder %s: %s\n", prog, dir,
                strerror(errno));
        return -1;
    }
    char **final = calloc(n ? n : 1, sizeof *final), **tmp = calloc(n ? n : 1, sizeof *tmp);
    int err = 0;
    size_t failed = 0; /* the output the message names */
    if (!final || !tmp)
        err = ENOMEM;
    for (size_t i = 0; i < n && !err; i++) {
        final[i] = join(dir, outs[i].name, "");
        tmp[i] = join(dir, outs[i].name, ".tmp");
        failed = i;
        if (!final[i] || !tmp[i]) {
            err = ENOMEM;
            break;
        }
        errno = 0;
        FILE *f = fopen(tmp[i], "w");
        if (!f) {
            err = errno ? errno : EIO;
            break;
        }
        outs[i].write(s, f);
        /* a failed write leaves its errno; the flush and close report the rest */
        if (ferror(f))
            err = errno ? errno : EIO;
        if (fflush(f) != 0 && !err)
            err = errno ? errno : EIO;
        if (fclose(f) != 0 && !err)
            err = errno ? errno : EIO;
    }
    for (size_t i = 0; i < n && !err; i++) {
        failed = i;
        if (rename(tmp[i], final[i]) != 0)
            err = errno ? errno : EIO;
    }
    if (err) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog,
                final && final[failed] ? final[failed] : outs[failed].name, strerror(err));
        for (size_t i = 0; tmp && i < n; i++)
            if (tmp[i])
                unlink(tmp[i]); /* those already renamed are gone: ENOENT is fine */
    }
    for (size_t i = 0; i < n; i++) {
        free(final ? final[i] : NULL);
        free(tmp ? tmp[i] : NULL);
    }
    free(final);
    free(tmp);
    return err ? -1 : 0;
}
