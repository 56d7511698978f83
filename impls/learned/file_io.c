/* file_io.c - opening regular files only, exact reads and seeks for the weight loaders, with
 * clear IO errors. */
#define _POSIX_C_SOURCE 200809L /* open, fstat, fcntl, fdopen, fseeko */

#include "learned/file_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/error.h"

int file_io_error(const char *path, const char *what, int err)
{
    return posenc_fail(POSENC_ERR_IO, "%s: cannot read %s: %s", path, what,
                       err ? strerror(err) : "read error");
}

/* What a file that is not a regular file is, for the message. */
static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

static int not_regular(const char *path, mode_t mode)
{
    return posenc_fail(POSENC_ERR_IO, "%s: is %s; weights are read from regular files only",
                       path, kind_of(mode));
}

int file_open_regular(const char *path, FILE **f, unsigned long long *size)
{
    struct stat st;
    int fd, flags;
    FILE *fp;

    /* stat first, so a device is never opened at all (opening some has side effects) */
    if (stat(path, &st) != 0)
        return posenc_fail(POSENC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return not_regular(path, st.st_mode);
    /* The path may have been replaced since: O_NONBLOCK keeps open() from waiting for a FIFO's
     * writer, O_NOCTTY from adopting a terminal, and fstat below decides on what was opened. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return posenc_fail(POSENC_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return file_io_error(path, "the file's status", err);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return not_regular(path, st.st_mode);
    }
    if (st.st_size < 0) { /* not for a regular file, but the cast below must not wrap */
        close(fd);
        return posenc_fail(POSENC_ERR_IO, "%s: the file system reports a negative size", path);
    }
    /* O_NONBLOCK means nothing for a regular file's reads; cleared so stdio never sees EAGAIN */
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int err = errno;
        close(fd);
        return file_io_error(path, "(fcntl failed)", err);
    }
    fp = fdopen(fd, "rb");
    if (!fp) {
        int err = errno;
        close(fd);
        return posenc_fail(POSENC_ERR_IO, "%s: cannot open: %s", path, strerror(err));
    }
    *f = fp;
    *size = (unsigned long long)st.st_size;
    return POSENC_OK;
}

int file_read_exact(FILE *f, const char *path, void *buf, size_t n, const char *what)
{
    errno = 0;
    if (fread(buf, 1, n, f) == n)
        return POSENC_OK;
    if (ferror(f))
        return file_io_error(path, what, errno);
    /* sizes were checked against the file before reading, so it shrank underneath us */
    return posenc_fail(POSENC_ERR_IO, "%s: file ended early while reading %s", path, what);
}

int file_seek_to(FILE *f, const char *path, unsigned long long offset)
{
    /* offsets are at most the size fstat reported, which is an off_t */
    errno = 0;
    if (fseeko(f, (off_t)offset, SEEK_SET) != 0)
        return file_io_error(path, "(seek failed)", errno);
    return POSENC_OK;
}

int file_host_is_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

void file_floats_from_little_endian(float *data, size_t n)
{
    unsigned char *b = (unsigned char *)data;
    if (file_host_is_little_endian())
        return; /* nothing to do */
    for (size_t i = 0; i < n; i++, b += 4) {
        unsigned char t0 = b[0], t1 = b[1];
        b[0] = b[3], b[1] = b[2], b[2] = t1, b[3] = t0;
    }
}
