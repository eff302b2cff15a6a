/* Reading input files (kernel images, configs) and resolving their paths. */
#ifndef XENEMU_MACHINE_FILE_H
#define XENEMU_MACHINE_FILE_H

#include "xenemu/common.h"

/* Largest input file xenemu reads (a kernel image or a config). */
#define FILE_MAX_SIZE ((size_t)1 << 30)

/*
 * Read the whole regular file at path into a fresh buffer, followed by a
 * NUL that *len does not count.  Returns 0, or -1 with *why set to the
 * problem for the error line (the caller prints it with the path).
 */
int file_read_all(const char *path, uint8_t **data, size_t *len,
                  const char **why);

/* p resolved against dir (unless p is absolute or dir is NULL/empty);
 * malloc'd, NULL when out of memory. */
char *path_resolve(const char *dir, const char *p);

/* The directory part of path ("." when it has none); malloc'd. */
char *path_dirname(const char *path);

#endif
