/*
 * Paths (docs/misc/xenstore.txt, xenstored's canonicalize): ASCII
 * letters, digits and -/_@ only; absolute ("/..."), special ("@...") or
 * relative to the connection's /local/domain/N; no trailing or doubled
 * slash except the root itself.  An unprivileged domain's path may be at
 * most path-max (2048) bytes long, not counting "/local/domain/N/".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenplat/xenstore/store.h"

#define LOCAL_DOMAIN "/local/domain/"

static bool valid_chars(const char *p)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "abcdefghijklmnopqrstuvwxyz0123456789-/_@";

    return p[strspn(p, ok)] == '\0';
}

void xs_domain_path(uint32_t domid, char *buf, size_t size)
{
    snprintf(buf, size, LOCAL_DOMAIN "%u", domid);
}

/* xenstored measures a path after "/local/domain/<domid>/", where the
 * domid is what sscanf's %5u takes: an optional sign and digits, five
 * characters at most. */
static size_t local_prefix(const char *path)
{
    size_t i = strlen(LOCAL_DOMAIN), start;

    if (strncmp(path, LOCAL_DOMAIN, i) != 0)
        return 0;
    start = i;
    if (path[i] == '+' || path[i] == '-')
        i++;
    while (i - start < 5 && path[i] >= '0' && path[i] <= '9')
        i++;
    if (path[i - 1] < '0' || path[i - 1] > '9' || path[i] != '/')
        return 0;
    return i + 1;
}

char *xs_path_canonical(struct xs_conn *c, const char *path,
                        bool allow_special, int *err)
{
    size_t len;
    char *name;

    *err = XS_EINVAL;
    if (!path || !valid_chars(path) || (path[0] == '@' && !allow_special))
        return NULL;
    if (path[0] != '/' && path[0] != '@') {
        char base[32];
        xs_domain_path(c->id, base, sizeof(base));
        len = strlen(base) + 1 + strlen(path) + 1;
        if (!(name = malloc(len))) {
            *err = XS_ENOMEM;
            return NULL;
        }
        snprintf(name, len, "%s/%s", base, path);
    } else if (!(name = strdup(path))) {
        *err = XS_ENOMEM;
        return NULL;
    }
    len = strlen(name);
    if ((len > 1 && name[len - 1] == '/') || strstr(name, "//") ||
        (!xs_conn_privileged(c) &&
         len - local_prefix(name) > c->s->quota[XS_Q_PATH_MAX])) {
        free(name);
        return NULL;
    }
    *err = 0;
    return name;
}

char *xs_path_parent(const char *path)
{
    const char *slash = strrchr(path + 1, '/');
    size_t n = slash ? (size_t)(slash - path) : 1;
    char *p = malloc(n + 1);

    if (p) {
        memcpy(p, slash ? path : "/", n);
        p[n] = '\0';
    }
    return p;
}

const char *xs_path_basename(const char *path)
{
    return strrchr(path, '/') + 1;
}

bool xs_path_is_child(const char *child, const char *parent)
{
    size_t n = strlen(parent);

    if (strcmp(parent, "/") == 0)
        return true;
    return strncmp(child, parent, n) == 0 &&
           (child[n] == '/' || child[n] == '\0');
}
