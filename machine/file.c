/* Reading input files and resolving paths relative to a config file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "machine/file.h"

int file_read_all(const char *path, uint8_t **data, size_t *len,
                  const char **why)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    size_t size, got;

    *data = NULL;
    *len = 0;
    if (!f) {
        *why = strerror(errno);
        return -1;
    }
    if (fstat(fileno(f), &st) != 0) {
        *why = strerror(errno);
        fclose(f);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
        fclose(f);
        return -1;
    }
    if ((uint64_t)st.st_size > FILE_MAX_SIZE) {
        *why = "file too large (more than 1 GiB)";
        fclose(f);
        return -1;
    }
    size = (size_t)st.st_size;
    buf = malloc(size + 1);
    if (!buf) {
        *why = "out of memory reading the file";
        fclose(f);
        return -1;
    }
    got = fread(buf, 1, size, f);
    if (got != size || ferror(f)) {
        *why = ferror(f) ? strerror(errno) : "file changed while being read";
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    buf[size] = 0;
    *data = buf;
    *len = size;
    return 0;
}

char *path_resolve(const char *dir, const char *p)
{
    size_t dl, pl;
    char *r;

    if (p[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
        return strdup(p);
    dl = strlen(dir);
    pl = strlen(p);
    r = malloc(dl + 1 + pl + 1);
    if (!r)
        return NULL;
    memcpy(r, dir, dl);
    r[dl] = '/';
    memcpy(r + dl + 1, p, pl + 1);
    return r;
}

char *path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n;
    char *r;

    if (!slash)
        return strdup(".");
    n = slash == path ? 1 : (size_t)(slash - path);
    r = malloc(n + 1);
    if (!r)
        return NULL;
    memcpy(r, path, n);
    r[n] = 0;
    return r;
}
