/*
 * From a kernel file to what the domain builder needs: unpack the ELF
 * image (compressed files, bzImages), read its Xen notes with libelf's
 * checks (kernel-info.c), and load its segments through the builder.
 */
#include <stdlib.h>
#include <string.h>
#include "xenplat/kernel-info.h"
#include "xenplat/pvimage.h"
#include "xenplat/unpack.h"

/* What pv_kernel.image points at. */
struct pv_image {
    const char *name;
    const uint8_t *file;
    uint8_t *elf;              /* == file for a plain ELF */
    size_t elf_len;
    struct xen_kernel info;
};

void pv_image_elf(const struct pv_kernel *k, const uint8_t **elf,
                  size_t *len)
{
    const struct pv_image *im = k->image;

    *elf = im ? im->elf : NULL;
    *len = im ? im->elf_len : 0;
}

static int load(const struct pv_kernel *k,
                int (*write)(void *opaque, uint64_t va, const void *src,
                             size_t n),
                void *opaque)
{
    const struct pv_image *im = k->image;
    char why[256];

    if (xen_kernel_load(&im->info, im->elf, im->elf_len, write, opaque, why,
                        sizeof(why))) {
        xe_error("%s: %s", im->name, why);
        return -1;
    }
    return 0;
}

int pv_image_parse(const char *name, const uint8_t *image, size_t len,
                   uint64_t max_size, struct pv_kernel *k)
{
    struct pv_image *im = calloc(1, sizeof(*im));
    const struct xen_kernel *x;
    char why[256];

    memset(k, 0, sizeof(*k));
    if (!im) {
        xe_error("out of memory");
        return -1;
    }
    im->name = name;
    im->file = image;
    k->image = im;
    if (unpack_kernel(name, image, len, max_size, &im->elf, &im->elf_len,
                      why, sizeof(why)) ||
        xen_kernel_parse(&im->info, im->elf, im->elf_len, why, sizeof(why))) {
        xe_error("%s: %s", name, why);
        pv_image_free(k);
        return -1;
    }
    x = &im->info;
    if (x->virt_kend - x->virt_base > max_size) {
        xe_error("%s: the kernel (%llu KiB from virt_base) does not fit in "
                 "guest memory", name,
                 (unsigned long long)((x->virt_kend - x->virt_base) >> 10));
        pv_image_free(k);
        return -1;
    }
    k->is64 = x->is_64;
    k->virt_base = x->virt_base;
    k->virt_offset = x->virt_offset;
    k->virt_kstart = x->virt_kstart;
    k->virt_kend = x->virt_kend;
    k->virt_entry = x->virt_entry;
    k->has_hypercall_page = x->has_hypercall_page;
    k->hypercall_page = x->hypercall_page;
    k->has_init_p2m = x->init_p2m != XEN_UNSET_ADDR;
    k->init_p2m = k->has_init_p2m ? x->init_p2m : 0;
    k->mod_start_pfn = x->mod_start_pfn;
    k->pae_extended_cr3 = x->pae == XEN_PAE_EXTCR3 ||
                          x->pae == XEN_PAE_BIMODAL;
    k->load = load;
    k->image_len = len;
    return 0;
}

void pv_image_free(struct pv_kernel *k)
{
    struct pv_image *im = (struct pv_image *)k->image;

    if (im) {
        unpack_free(im->file, im->elf);
        free(im);
    }
    k->image = NULL;
}
