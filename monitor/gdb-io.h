/*
 * The gdbstub's sockets (POSIX): a listening TCP or unix socket and the
 * one client connection.
 */
#ifndef XENEMU_MONITOR_GDB_IO_H
#define XENEMU_MONITOR_GDB_IO_H

#include <stdbool.h>
#include <stddef.h>

/* Listen on SPEC: "tcp::PORT" (127.0.0.1), "tcp:HOST:PORT" or
 * "unix:PATH".  The socket, or -1 with why filled. */
int gdb_io_listen(const char *spec, char *why, size_t why_len);
/* A client: wait for one (block), or only take one already waiting.
 * The connection, or -1. */
int gdb_io_accept(int lfd, bool block);
/* Bytes from the client: wait for some (block) or not.  The count, 0 when
 * none are there (not blocking), or -1 when the connection is over. */
long gdb_io_recv(int fd, void *buf, size_t len, bool block);
/* All of buf: 0, or -1 when the connection is over. */
int gdb_io_send(int fd, const void *buf, size_t len);
void gdb_io_close(int fd);

#endif
