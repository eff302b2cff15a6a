/* From a kernel file to what the domain builder needs (struct pv_kernel). */
#ifndef XENEMU_XENPLAT_PVIMAGE_H
#define XENEMU_XENPLAT_PVIMAGE_H

#include "xenplat/builder.h"

/* Parse image (the file's bytes; kept, not copied) into k.  0, or -1 with
 * one error line naming name and the problem. */
int pv_image_parse(const char *name, const uint8_t *image, size_t len,
                   uint64_t max_size, struct pv_kernel *k);
void pv_image_free(struct pv_kernel *k);
/* The unpacked ELF image (for its symbols). */
void pv_image_elf(const struct pv_kernel *k, const uint8_t **elf,
                  size_t *len);

#endif
