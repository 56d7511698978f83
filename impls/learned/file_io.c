/* file_io.c - exact reads, sizes and seeks for the weight loaders, with clear IO errors. */
#include "learned/file_io.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core/error.h"

int file_io_error(const char *path, const char *what, int err)
{
    return posenc_fail(POSENC_ERR_IO, "%s: cannot read %s: %s", path, what,
                       err ? strerror(err) : "read error");
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

int file_size(FILE *f, const char *path, unsigned long long *size)
{
    long end;
    errno = 0;
    if (fseek(f, 0, SEEK_END) != 0 || (end = ftell(f)) < 0)
        return file_io_error(path, "the file size", errno);
    *size = (unsigned long long)end;
    return POSENC_OK;
}

int file_seek_to(FILE *f, const char *path, unsigned long long offset)
{
    /* offsets are below the size ftell reported, so they fit in a long */
    errno = 0;
    if (fseek(f, (long)offset, SEEK_SET) != 0)
        return file_io_error(path, "(seek failed)", errno);
    return POSENC_OK;
}

void file_floats_from_little_endian(float *data, size_t n)
{
    const uint16_t one = 1;
    unsigned char first, *b = (unsigned char *)data;
    memcpy(&first, &one, 1);
    if (first == 1)
        return; /* little-endian host: nothing to do */
    for (size_t i = 0; i < n; i++, b += 4) {
        unsigned char t0 = b[0], t1 = b[1];
        b[0] = b[3], b[1] = b[2], b[2] = t1, b[3] = t0;
    }
}
