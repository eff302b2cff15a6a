/* The gdbstub's sockets (see gdb-io.h). */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "monitor/gdb-io.h"

static int listen_unix(const char *path, char *why, size_t why_len)
{
    struct sockaddr_un a;
    int fd;

    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    if (!*path || strlen(path) >= sizeof(a.sun_path)) {
        snprintf(why, why_len, "unix:%s: the path is empty or too long",
                 path);
        return -1;
    }
    strcpy(a.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
        listen(fd, 1)) {
        snprintf(why, why_len, "unix:%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int listen_tcp(const char *host, const char *port, char *why,
                      size_t why_len)
{
    struct addrinfo hints, *res = NULL, *ai;
    int fd = -1, one = 1, err;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    err = getaddrinfo(*host ? host : "127.0.0.1", port, &hints, &res);
    if (err) {
        snprintf(why, why_len, "tcp:%s:%s: %s", host, port,
                 gai_strerror(err));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0)
            break;
        err = errno;
        close(fd);
        fd = -1;
        errno = err;
    }
    if (fd < 0)
        snprintf(why, why_len, "tcp:%s:%s: %s", host, port, strerror(errno));
    freeaddrinfo(res);
    return fd;
}

int gdb_io_listen(const char *spec, char *why, size_t why_len)
{
    char host[256];
    const char *colon, *port;
    char *end;
    unsigned long n;

    /* A client that goes away must not kill the run with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    if (strncmp(spec, "unix:", 5) == 0)
        return listen_unix(spec + 5, why, why_len);
    if (strncmp(spec, "tcp:", 4) != 0 || !(colon = strrchr(spec + 4, ':'))) {
        snprintf(why, why_len, "'%s' is neither tcp:[HOST]:PORT nor "
                 "unix:PATH", spec);
        return -1;
    }
    port = colon + 1;
    n = strtoul(port, &end, 10);
    if (*port < '0' || *port > '9' || *end || n == 0 || n > 65535) {
        snprintf(why, why_len, "'%s': '%s' is not a port from 1 to 65535",
                 spec, port);
        return -1;
    }
    if ((size_t)(colon - (spec + 4)) >= sizeof(host)) {
        snprintf(why, why_len, "'%s': the host is too long", spec);
        return -1;
    }
    memcpy(host, spec + 4, (size_t)(colon - (spec + 4)));
    host[colon - (spec + 4)] = '\0';
    return listen_tcp(host, port, why, why_len);
}

int gdb_io_accept(int lfd, bool block)
{
    struct pollfd p = { lfd, POLLIN, 0 };
    int fd, one = 1;

    if (lfd < 0)
        return -1;
    while (poll(&p, 1, block ? -1 : 0) < 0)
        if (errno != EINTR)
            return -1;
    if (!(p.revents & POLLIN))
        return -1;
    fd = accept(lfd, NULL, NULL);
    if (fd >= 0)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

long gdb_io_recv(int fd, void *buf, size_t len, bool block)
{
    struct pollfd p = { fd, POLLIN, 0 };
    ssize_t n;

    for (;;) {
        int r = poll(&p, 1, block ? -1 : 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 0;
        break;
    }
    do
        n = recv(fd, buf, len, 0);
    while (n < 0 && errno == EINTR);
    return n > 0 ? (long)n : -1;
}

int gdb_io_send(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = send(fd, p, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

void gdb_io_close(int fd)
{
    if (fd >= 0)
        close(fd);
}
