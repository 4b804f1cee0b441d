/*
 * fdio: write(2) all of a buffer, whatever short writes and signals do.
 */
#ifndef SOCKPLAY_FDIO_H
#define SOCKPLAY_FDIO_H

#include <stddef.h>

/* 0 when all len bytes went out; -1 (errno) when a write failed or wrote nothing. */
int write_full(int fd, const void *buf, size_t len);

#endif
