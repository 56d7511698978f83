/* file_io.h - the file reading both weight loaders share: opening regular files only, exact
 * reads, seeks, each failure recorded with the path and the part of the file being read. */
#ifndef POSENC_LEARNED_FILE_IO_H
#define POSENC_LEARNED_FILE_IO_H

#include <stddef.h>
#include <stdio.h>

/* IO error naming `what` was being read and errno's text. */
int file_io_error(const char *path, const char *what, int err);

/* Open `path` for reading if it is a regular file, with its size as fstat reports it. Anything
 * else (a directory, a FIFO, a socket, a device) is IO with a message naming what it is, found
 * without blocking: a FIFO with no writer would otherwise block the open forever, and a device
 * reports a size (0) that says nothing about what reading it returns. Every size check of the
 * loaders compares against *size, so nothing is read or allocated past what it allows. */
int file_open_regular(const char *path, FILE **f, unsigned long long *size);

/* Read exactly n bytes or fail with IO (a file that ended early shrank after its size was
 * checked: every caller checks sizes first). */
int file_read_exact(FILE *f, const char *path, void *buf, size_t n, const char *what);

/* Seek to `offset`, which must not exceed the size file_open_regular reported. */
int file_seek_to(FILE *f, const char *path, unsigned long long offset);

/* 1 on a little-endian host, 0 on a big-endian one, found from memory, not from macros. */
int file_host_is_little_endian(void);

/* Little-endian float32 data as read from a file, put in host order in place. */
void file_floats_from_little_endian(float *data, size_t n);

#endif
