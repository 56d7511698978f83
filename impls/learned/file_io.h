/* file_io.h - the file reading both weight loaders share: exact reads, sizes, seeks, each
 * failure recorded with the path and the part of the file being read. */
#ifndef POSENC_LEARNED_FILE_IO_H
#define POSENC_LEARNED_FILE_IO_H

#include <stddef.h>
#include <stdio.h>

/* IO error naming `what` was being read and errno's text. */
int file_io_error(const char *path, const char *what, int err);

/* Read exactly n bytes or fail with IO (a file that ended early shrank after its size was
 * checked: every caller checks sizes first). */
int file_read_exact(FILE *f, const char *path, void *buf, size_t n, const char *what);

/* The file's size in bytes. */
int file_size(FILE *f, const char *path, unsigned long long *size);

/* Seek to `offset`, which must not exceed the size file_size reported. */
int file_seek_to(FILE *f, const char *path, unsigned long long offset);

/* Little-endian float32 data as read from a file, put in host order in place. */
void file_floats_from_little_endian(float *data, size_t n);

#endif
