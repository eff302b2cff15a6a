/*
 * Guest physical memory: RAM, MMIO dispatch, port I/O and code-page
 * tracking for the decoded-block cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mmu/mmu.h"
#include "xenemu/le.h"

int mem_init(struct mem *m, uint64_t ram_size)
{
    memset(m, 0, sizeof(*m));
    if (ram_size == 0 || ram_size % PAGE_SIZE != 0 ||
        ram_size > SIZE_MAX - PAGE_SIZE)
        return -1;
    /* calloc, not aligned_alloc + memset: large zeroed blocks come straight
     * from the OS and are not touched until the guest uses them. */
    m->ram_alloc = calloc(1, (size_t)ram_size + PAGE_SIZE);
    m->nr_frames = ram_size / PAGE_SIZE;
    m->frame_flags = calloc(1, (size_t)m->nr_frames);
    if (!m->ram_alloc || !m->frame_flags) {
        mem_destroy(m);
        return -1;
    }
    uintptr_t p = (uintptr_t)m->ram_alloc;
    m->ram = (uint8_t *)m->ram_alloc + ((PAGE_SIZE - p % PAGE_SIZE) % PAGE_SIZE);
    m->ram_size = ram_size;
    return 0;
}

void mem_destroy(struct mem *m)
{
    free(m->ram_alloc);
    free(m->frame_flags);
    memset(m, 0, sizeof(*m));
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

int mem_add_mmio(struct mem *m, uint64_t base, uint64_t size,
                 mmio_read_fn r, mmio_write_fn w, void *opaque)
{
    if (m->nr_mmio == MEM_MAX_MMIO || size == 0 || base + size < base ||
        base < m->ram_size)
        return -1;
    for (unsigned i = 0; i < m->nr_mmio; i++)
        if (ranges_overlap(base, size, m->mmio[i].base, m->mmio[i].size))
            return -1;
    m->mmio[m->nr_mmio++] = (struct mmio_region){ base, size, r, w, opaque };
    return 0;
}

static struct mmio_region *mmio_find(struct mem *m, uint64_t pa)
{
    for (unsigned i = 0; i < m->nr_mmio; i++)
        if (pa - m->mmio[i].base < m->mmio[i].size)
            return &m->mmio[i];
    return NULL;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;
}

static bool in_ram(const struct mem *m, uint64_t pa, unsigned size)
{
    return pa < m->ram_size && size <= m->ram_size - pa;
}

/* The MMIO region holding all of [pa, pa + size), or NULL. */
static struct mmio_region *mmio_whole(struct mem *m, uint64_t pa, unsigned size)
{
    struct mmio_region *r = mmio_find(m, pa);
    return r && size <= r->size - (pa - r->base) ? r : NULL;
}

static uint64_t mmio_load(struct mmio_region *r, uint64_t pa, unsigned size)
{
    if (!r->read)
        return size_mask(size);
    return r->read(r->opaque, pa - r->base, size) & size_mask(size);
}

static uint8_t load_byte(struct mem *m, uint64_t pa)
{
    if (pa < m->ram_size)
        return m->ram[pa];
    struct mmio_region *r = mmio_find(m, pa);
    return r ? (uint8_t)mmio_load(r, pa, 1) : 0xff;
}

uint64_t phys_load(struct mem *m, uint64_t pa, unsigned size)
{
    if (likely(in_ram(m, pa, size)))
        return le_load(m->ram + pa, size);
    struct mmio_region *r = mmio_whole(m, pa, size);
    if (r)
        return mmio_load(r, pa, size);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)load_byte(m, pa + i) << (i * 8);
    return v;
}

static void track_code_write(struct mem *m, uint64_t first_pfn,
                             uint64_t last_pfn)
{
    for (uint64_t pfn = first_pfn; pfn <= last_pfn && pfn < m->nr_frames; pfn++)
        if (m->frame_flags[pfn] & FRAME_CODE)
            mem_code_written(m, pfn);
}

static void mmio_store(struct mmio_region *r, uint64_t pa, unsigned size,
                       uint64_t val)
{
    if (r->write)
        r->write(r->opaque, pa - r->base, size, val & size_mask(size));
}

static void store_byte(struct mem *m, uint64_t pa, uint8_t val)
{
    if (pa < m->ram_size) {
        m->ram[pa] = val;
        track_code_write(m, pa >> PAGE_SHIFT, pa >> PAGE_SHIFT);
        return;
    }
    struct mmio_region *r = mmio_find(m, pa);
    if (r)
        mmio_store(r, pa, 1, val);
}

void phys_store(struct mem *m, uint64_t pa, unsigned size, uint64_t val)
{
    if (likely(in_ram(m, pa, size))) {
        le_store(m->ram + pa, size, val);
        track_code_write(m, pa >> PAGE_SHIFT, (pa + size - 1) >> PAGE_SHIFT);
        return;
    }
    struct mmio_region *r = mmio_whole(m, pa, size);
    if (r) {
        mmio_store(r, pa, size, val);
        return;
    }
    for (unsigned i = 0; i < size; i++)
        store_byte(m, pa + i, (uint8_t)(val >> (i * 8)));
}

static bool range_in_ram(const struct mem *m, uint64_t pa, size_t len)
{
    return pa <= m->ram_size && len <= m->ram_size - pa;
}

int phys_read(struct mem *m, uint64_t pa, void *buf, size_t len)
{
    if (!range_in_ram(m, pa, len)) {
        memset(buf, 0xff, len);
        return -1;
    }
    if (len)
        memcpy(buf, m->ram + pa, len);
    return 0;
}

int phys_write(struct mem *m, uint64_t pa, const void *buf, size_t len)
{
    if (!range_in_ram(m, pa, len))
        return -1;
    if (len == 0)
        return 0;
    memcpy(m->ram + pa, buf, len);
    track_code_write(m, pa >> PAGE_SHIFT, (pa + len - 1) >> PAGE_SHIFT);
    return 0;
}

uint32_t pio_in(struct mem *m, uint16_t port, unsigned size)
{
    uint32_t mask = (uint32_t)size_mask(size);
    if (!m->pio_read)
        return mask;
    return m->pio_read(m->pio_opaque, port, size) & mask;
}

void pio_out(struct mem *m, uint16_t port, unsigned size, uint32_t val)
{
    if (m->pio_write)
        m->pio_write(m->pio_opaque, port, size, val & (uint32_t)size_mask(size));
}

void mem_mark_code(struct mem *m, uint64_t pfn)
{
    if (pfn >= m->nr_frames || (m->frame_flags[pfn] & FRAME_CODE))
        return;
    m->frame_flags[pfn] |= FRAME_CODE;
    for (unsigned i = 0; i < m->nr_tlbs; i++)
        tlb_flush_phys_writes(m->tlbs[i], pfn << PAGE_SHIFT);
}

void mem_code_written(struct mem *m, uint64_t pfn)
{
    if (pfn >= m->nr_frames)
        return;
    m->frame_flags[pfn] &= (uint8_t)~FRAME_CODE;
    if (m->code_write)
        m->code_write(m->code_write_opaque, pfn);
    for (unsigned i = 0; i < m->nr_code_listeners; i++)
        m->code_listener[i].fn(m->code_listener[i].opaque, pfn);
}

void mem_add_code_listener(struct mem *m, code_write_fn fn, void *opaque)
{
    if (m->nr_code_listeners == MEM_MAX_TLBS) {
        fprintf(stderr, "xenemu: mmu: more than %u code listeners\n",
                MEM_MAX_TLBS);
        exit(XE_EXIT_INTERNAL);
    }
    m->code_listener[m->nr_code_listeners].fn = fn;
    m->code_listener[m->nr_code_listeners++].opaque = opaque;
}

void mem_remove_code_listener(struct mem *m, void *opaque)
{
    for (unsigned i = 0; i < m->nr_code_listeners; i++)
        if (m->code_listener[i].opaque == opaque) {
            m->code_listener[i] = m->code_listener[--m->nr_code_listeners];
            return;
        }
}

void mem_register_tlb(struct mem *m, struct tlb *t)
{
    for (unsigned i = 0; i < m->nr_tlbs; i++)
        if (m->tlbs[i] == t)
            return;
    if (m->nr_tlbs == MEM_MAX_TLBS) {
        /* A machine with more vCPUs than this is a bug in xenemu. */
        fprintf(stderr, "xenemu: mmu: more than %u TLBs registered\n",
                MEM_MAX_TLBS);
        exit(XE_EXIT_INTERNAL);
    }
    m->tlbs[m->nr_tlbs++] = t;
}

void mem_unregister_tlb(struct mem *m, struct tlb *t)
{
    for (unsigned i = 0; i < m->nr_tlbs; i++) {
        if (m->tlbs[i] == t) {
            m->tlbs[i] = m->tlbs[--m->nr_tlbs];
            m->tlbs[m->nr_tlbs] = NULL;
            return;
        }
    }
}
