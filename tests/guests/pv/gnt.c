/*
 * Grant tables from inside a guest (64-bit, and 32-bit PAE with the compat
 * layouts): query_size and setup_table, the grant frame mapped through
 * update_va_mapping, a page granted to ourselves mapped at another address
 * with map_grant_ref (writes go through; the GTF_reading/writing bits come
 * and go), a read-only grant (a write through its mapping faults), copy
 * with per-segment status, versions and status frames, and Xen's errors.
 */
#include "pvrt.h"

#define HC_grant_table_op 20
#define DOMID_SELF 0x7ff0u
#define SELF_ID 1u                 /* the first domain xenemu creates */
#define PG_KERNEL 0x63ull
#define UVMF_INVLPG 2
#ifdef __x86_64__
#define M2P ((const unsigned long *)0xffff800000000000ul)
#define SI_MFN_LIST 104
#else
#define M2P ((const unsigned long *)0xf5800000ul)
#define SI_MFN_LIST 68
#endif

enum {
    MAP = 0, UNMAP = 1, SETUP = 2, DUMP = 3, COPY = 5, QUERY = 6,
    SET_VERSION = 8, GET_STATUS_FRAMES = 9, GET_VERSION = 10,
};
enum { PERMIT = 1, READONLY = 4, HOST_MAP = 2, MAP_RO = 4 };
enum { SRC_GREF = 1, DST_GREF = 2 };

/* The guest ABI's structures: the compiler's i386 layout is the compat
 * one (64-bit fields 4-aligned), so plain C structs fit both ABIs. */
struct map_op {
    uint64_t host_addr;
    uint32_t flags, ref;
    uint16_t dom;
    int16_t status;
    uint32_t handle;
    uint64_t dev_bus_addr;
};
struct unmap_op {
    uint64_t host_addr, dev_bus_addr;
    uint32_t handle;
    int16_t status;
};
struct setup_op {
    uint16_t dom;
    uint32_t nr_frames;
    int16_t status;
    unsigned long *frame_list;
};
struct query_op {
    uint16_t dom;
    uint32_t nr_frames, max_nr_frames;
    int16_t status;
};
struct copy_ptr {
    unsigned long u;
    uint16_t domid, offset;
};
struct copy_op {
    struct copy_ptr src, dst;
    uint16_t len, flags;
    int16_t status;
};
struct status_frames_op {
    uint32_t nr_frames;
    uint16_t dom;
    int16_t status;
    uint64_t *frame_list;
};
struct version_op {
    uint16_t dom, pad;
    uint32_t version;
};

/* A v1 grant entry. */
struct grant {
    uint16_t flags, domid;
    uint32_t frame;
};

static unsigned long *p2m;
static volatile struct grant *table = (volatile struct grant *)0x1000;

static long gnttab(unsigned cmd, void *op, unsigned count)
{
    return HYPERCALL(HC_grant_table_op, cmd, op, count);
}

static long uvm(unsigned long va, uint64_t pte)
{
#ifdef __x86_64__
    return HYPERCALL(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
#else
    return pv_hypercall(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte,
                        (uint32_t)(pte >> 32), UVMF_INVLPG, 0);
#endif
}

static void grant(unsigned ref, unsigned flags, unsigned domid,
                  unsigned long frame)
{
    table[ref].domid = (uint16_t)domid;
    table[ref].frame = (uint32_t)frame;
    __asm__ volatile("" ::: "memory");
    table[ref].flags = (uint16_t)flags;
}

static struct map_op map(unsigned long va, unsigned flags, unsigned ref,
                         unsigned dom)
{
    struct map_op op = { va, flags, ref, (uint16_t)dom, 99, 99, 0 };
    long rc = gnttab(MAP, &op, 1);

    if (rc)
        printf("map_grant_ref returned %ld\n", rc);
    return op;
}

static int unmap(unsigned long va, unsigned handle)
{
    struct unmap_op op = { va, 0, handle, 99 };
    long rc = gnttab(UNMAP, &op, 1);

    return rc ? (int)rc : op.status;
}

static int copy(unsigned long su, unsigned sdom, unsigned soff,
                unsigned long du, unsigned ddom, unsigned doff,
                unsigned len, unsigned flags)
{
    struct copy_op op = { { su, (uint16_t)sdom, (uint16_t)soff },
                          { du, (uint16_t)ddom, (uint16_t)doff },
                          (uint16_t)len, (uint16_t)flags, 99 };
    long rc = gnttab(COPY, &op, 1);

    return rc ? (int)rc : op.status;
}

static void write_ro(void)
{
    *(volatile char *)0x2000 = 'Z';
}

/* Arguments are evaluated in any order: make the call, then print. */
#define SHOW(what, call, ...) do { long rc_ = (call); \
        printf(what ": %ld" __VA_ARGS__); } while (0)

static void table_ops(void)
{
    struct query_op q = { DOMID_SELF, 0, 0, 99 };
    static unsigned long frames[4];
    struct setup_op s = { DOMID_SELF, 1, 99, frames };
    struct version_op ver = { DOMID_SELF, 0, 0 };
    uint32_t sv;
    static uint64_t sframes[2];
    struct status_frames_op sf = { 1, DOMID_SELF, 99, sframes };

    SHOW("query_size", gnttab(QUERY, &q, 1), ", status %d, %u of %u frames\n",
         rc_, q.status, q.nr_frames, q.max_nr_frames);
    SHOW("setup_table", gnttab(SETUP, &s, 1), ", status %d, frame is Xen's: "
         "%d\n", rc_, s.status, M2P[frames[0]] == ~0ul);
    SHOW("map the grant frame", uvm((unsigned long)table,
         (uint64_t)frames[0] << 12 | PG_KERNEL), "\n", rc_);
    s.nr_frames = 65;
    SHOW("setup_table(65)", gnttab(SETUP, &s, 1), ", status %d\n", rc_,
         s.status);
    s.nr_frames = 1;
    s.dom = 5;
    SHOW("setup_table(dom 5)", gnttab(SETUP, &s, 1), ", status %d\n", rc_,
         s.status);
    SHOW("setup_table count 2", gnttab(SETUP, &s, 2), "\n", rc_);
    SHOW("get_version", gnttab(GET_VERSION, &ver, 1), ", version %u\n", rc_,
         ver.version);
    sv = 2;
    SHOW("set_version 2", gnttab(SET_VERSION, &sv, 1), ", version %u\n",
         rc_, sv);
    SHOW("get_status_frames", gnttab(GET_STATUS_FRAMES, &sf, 1),
         ", status %d, frame is Xen's: %d\n", rc_, sf.status,
         M2P[(unsigned long)sframes[0]] == ~0ul);
    sf.nr_frames = 2;
    SHOW("get_status_frames(2)", gnttab(GET_STATUS_FRAMES, &sf, 1),
         ", status %d\n", rc_, sf.status);
    SHOW("get_version", gnttab(GET_VERSION, &ver, 1), ", version %u\n", rc_,
         ver.version);
    sv = 3;
    SHOW("set_version 3", gnttab(SET_VERSION, &sv, 1), ", version %u\n",
         rc_, sv);
    sv = 1;
    SHOW("set_version 1", gnttab(SET_VERSION, &sv, 1), ", version %u\n",
         rc_, sv);
    SHOW("dump_table", gnttab(DUMP, &ver, 1), "\n", rc_);
}

static void mappings(void)
{
    volatile char *mine = (volatile char *)0x3000;
    volatile char *there = (volatile char *)0x2000;
    struct map_op m;
    struct pv_trap t;
    int v;

    memcpy((void *)mine, "hello grants", 13);
    grant(10, PERMIT, SELF_ID, p2m[3]);
    m = map(0x2000, HOST_MAP, 10, SELF_ID);
    printf("map own grant: status %d, handle %u, bus address is the frame: "
           "%d\n", m.status, m.handle,
           m.dev_bus_addr == (uint64_t)p2m[3] << 12);
    printf("entry flags while mapped: %#x\n", table[10].flags);
    printf("through the mapping: %s\n", (const char *)there);
    there[0] = 'J';
    printf("written through it: %s\n", (const char *)mine);
    printf("unmap (wrong address): %d\n", unmap(0x4000, m.handle));
    v = unmap(0x2000, m.handle);
    printf("unmap: %d\n", v);
    printf("unmap again: %d\n", unmap(0x2000, m.handle));
    printf("entry flags after unmap: %#x\n", table[10].flags);

    grant(11, PERMIT | READONLY, SELF_ID, p2m[3]);
    printf("map a read-only grant writable: %d\n",
           map(0x2000, HOST_MAP, 11, SELF_ID).status);
    m = map(0x2000, HOST_MAP | MAP_RO, 11, SELF_ID);
    __asm__ volatile("" ::: "memory");
    printf("map it read-only: %d, entry flags %#x\n", m.status,
           table[11].flags);
    v = pv_try(write_ro, &t);
    printf("write through it: vector %d, error %lu, still %c\n", v,
           t.error & 3, mine[0]);
    v = unmap(0x2000, m.handle);
    printf("unmap: %d, entry flags %#x\n", v, table[11].flags);
    printf("pfn 2 mapped back: %ld\n",
           uvm(0x2000, (uint64_t)p2m[2] << 12 | PG_KERNEL));

    printf("map with no flags: %d\n", map(0x2000, 0, 10, SELF_ID).status);
    printf("map from domain 7: %d\n", map(0x2000, HOST_MAP, 10, 7).status);
    printf("map ref 5000: %d\n", map(0x2000, HOST_MAP, 5000, SELF_ID).status);
    printf("map an ungranted ref: %d\n",
           map(0x2000, HOST_MAP, 12, SELF_ID).status);
    grant(13, PERMIT, SELF_ID + 1, p2m[3]);
    printf("map a grant for another domain: %d\n",
           map(0x2000, HOST_MAP, 13, SELF_ID).status);
    printf("unmap handle 99: %d\n", unmap(0x2000, 99));
}

static void copies(void)
{
    volatile char *dst = (volatile char *)0x4000;

    printf("copy gref -> frame: %d\n",
           copy(10, SELF_ID, 0, p2m[4], DOMID_SELF, 100, 13, SRC_GREF));
    printf("copied: %s\n", (const char *)dst + 100);
    printf("copy frame -> gref: %d\n",
           copy(p2m[4], DOMID_SELF, 100, 10, SELF_ID, 20, 5, DST_GREF));
    printf("copied: %s\n", (const char *)0x3000 + 20);
    printf("copy into a read-only grant: %d\n",
           copy(p2m[4], DOMID_SELF, 0, 11, SELF_ID, 0, 5, DST_GREF));
    printf("copy beyond the page: %d\n",
           copy(10, SELF_ID, 4000, p2m[4], DOMID_SELF, 0, 200, SRC_GREF));
    printf("copy a frame of domain 0: %d\n",
           copy(p2m[4], 0, 0, p2m[5], DOMID_SELF, 0, 1, 0));
    printf("entry flags after the copies: %#x %#x\n", table[10].flags,
           table[11].flags);
}

int main(void)
{
    p2m = *(unsigned long **)((char *)pv_start_info + SI_MFN_LIST);
    pv_trap_init();
    table_ops();
    mappings();
    copies();
    return 0;
}
