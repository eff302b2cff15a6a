/*
 * Events and time for the PV test guests (64-bit and 32-bit PAE): vcpu_info moved into
 * a page of our own (VCPUOP_register_vcpu_info), the event upcall
 * (assembly below: save registers, call evt_upcall_c, return with the
 * iret hypercall), and system time from vcpu_time_info + RDTSC as a guest
 * computes it.  Header-only: each test guest is its own kernel.
 *
 * shared_info itself (the pending and mask bit arrays) needs a mapping
 * hypercall that the interim MMU does not offer yet, so these guests see
 * events through vcpu_info (upcall flag, selector words); the 2-level bit
 * logic is covered by tests/unit/test-evtchn.c.
 */
#ifndef PV_EVTLIB_H
#define PV_EVTLIB_H

#include <stdbool.h>
#include "pvrt.h"

#define DOMID_SELF 0x7ff0
enum {
    EVTCHNOP_bind_interdomain = 0, EVTCHNOP_bind_virq = 1, EVTCHNOP_close = 3,
    EVTCHNOP_send = 4, EVTCHNOP_status = 5, EVTCHNOP_alloc_unbound = 6,
    EVTCHNOP_bind_ipi = 7, EVTCHNOP_bind_vcpu = 8, EVTCHNOP_unmask = 9,
    EVTCHNOP_reset = 10, EVTCHNOP_init_control = 11,
    EVTCHNOP_expand_array = 12, EVTCHNOP_set_priority = 13,
};
enum { VIRQ_TIMER = 0, VIRQ_DEBUG = 1, VIRQ_CONSOLE = 2 };
enum { SCHEDOP_poll = 3, SCHEDOP_shutdown_code = 5, SCHEDOP_watchdog = 6 };
enum {
    VCPUOP_up = 1, VCPUOP_is_up = 3, VCPUOP_get_runstate_info = 4,
    VCPUOP_register_runstate_memory_area = 5, VCPUOP_set_periodic_timer = 6,
    VCPUOP_stop_periodic_timer = 7, VCPUOP_set_singleshot_timer = 8,
    VCPUOP_stop_singleshot_timer = 9, VCPUOP_register_vcpu_info = 10,
    VCPUOP_get_physid = 12,
};
#define CALLBACKTYPE_event 0
#define UVMF_INVLPG 2

/* An address in Xen's range: copies from it fault. */
#ifdef __x86_64__
#define XEN_ADDR 0xffff810000000000ul
#else
#define XEN_ADDR 0xf5800000ul
#endif

/* start_info (pub/xen.h; 64-bit / 32-bit offsets) */
#ifdef __x86_64__
#define SI_OFF(o64, o32) (o64)
#else
#define SI_OFF(o64, o32) (o32)
#endif
#define SI_ULONG(si, o64, o32) \
    (*(unsigned long *)((char *)(si) + SI_OFF(o64, o32)))
#define SI_SHARED_INFO(si) SI_ULONG(si, 40, 36)
#define SI_MFN_LIST(si) ((unsigned long *)SI_ULONG(si, 104, 68))
#define SI_CONSOLE_MFN(si) SI_ULONG(si, 72, 52)
#define SI_CONSOLE_PORT(si) \
    (*(uint32_t *)((char *)(si) + SI_OFF(80, 56)))

/* vcpu_info (the same 64 bytes in both ABIs; longs where Xen has them) */
struct vcpu_time_info {
    uint32_t version, pad0;
    uint64_t tsc_timestamp, system_time;
    uint32_t mul;
    int8_t shift;
    uint8_t flags, pad1[2];
};
struct vcpu_info {
    uint8_t upcall_pending, upcall_mask, pad[sizeof(long) - 2];
    unsigned long pending_sel;
    unsigned long cr2;
    uint8_t arch_pad[32 - 3 * sizeof(long)];
    struct vcpu_time_info time;
};
static volatile struct vcpu_info *vinfo;
static uint8_t vinfo_page[4096] __attribute__((aligned(4096)));

/* Upcalls taken, and the selector words each one found. */
static volatile unsigned evt_count;
static volatile unsigned long evt_sel[64];
static volatile uint64_t evt_stamp[64];   /* time_info.system_time then */


void evt_upcall_c(void);
void evt_upcall_c(void)
{
    unsigned long sel;
    unsigned n = evt_count;

    vinfo->upcall_pending = 0;
    sel = __atomic_exchange_n(&vinfo->pending_sel, 0, __ATOMIC_SEQ_CST);
    if (n < 64) {
        evt_sel[n] = sel;
        evt_stamp[n] = vinfo->time.system_time;
    }
    evt_count = n + 1;
}

#ifdef __x86_64__
/* The upcall: Xen left RCX, R11, then an iretq frame on the stack. */
__asm__(
    ".text\n"
    ".globl evt_upcall\n"
    "evt_upcall:\n"
    "    pop %rcx\n"
    "    pop %r11\n"
    "    push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
    "    push %r8\n push %r9\n push %r10\n push %r11\n"
    "    sub $8, %rsp\n"
    "    call evt_upcall_c\n"
    "    add $8, %rsp\n"
    "    pop %r11\n pop %r10\n pop %r9\n pop %r8\n"
    "    pop %rdi\n pop %rsi\n pop %rdx\n pop %rcx\n pop %rax\n"
    "    push $0\n"                       /* iret flags */
    "    jmp hypercall_page + 23 * 32\n");
#else
/* The upcall: Xen left EIP, CS, EFLAGS [, ESP, SS] on the ring-1 stack;
 * the kernel's data selectors for the C part. */
__asm__(
    ".text\n"
    ".globl evt_upcall\n"
    "evt_upcall:\n"
    "    pusha\n"
    "    push %ds\n push %es\n"
    "    mov $0xe021, %eax\n mov %eax, %ds\n mov %eax, %es\n"
    "    call evt_upcall_c\n"
    "    pop %es\n pop %ds\n"
    "    popa\n"
    "    jmp hypercall_page + 23 * 32\n");
#endif
void evt_upcall(void);

static inline long evtchn_op(unsigned cmd, void *arg)
{
    return HYPERCALL(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static inline long vcpu_op(unsigned cmd, unsigned vcpu, void *arg)
{
    return HYPERCALL(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

/* Move vcpu_info to vinfo_page (mfn from the p2m list; virt_base is 0)
 * and register the upcall (callback_register: type, flags, then the
 * 64-bit address or the 32-bit cs, eip). */
static void evt_init(void)
{
    uint64_t mfn = SI_MFN_LIST(pv_start_info)[(unsigned long)vinfo_page >> 12];
    uint64_t reg[2] = { mfn, 0 };
    struct { uint16_t type, flags; uint32_t cs; unsigned long address; } cb = {
        CALLBACKTYPE_event, 0, sizeof(long) == 8 ? 0 : 0xe019,
        (unsigned long)evt_upcall,
    };
    long r;

    vinfo = (volatile struct vcpu_info *)vinfo_page;
    r = vcpu_op(VCPUOP_register_vcpu_info, 0, reg);
    if (r)
        printf("register_vcpu_info = %ld\n", r);
    r = HYPERCALL(__HYPERVISOR_callback_op, 0, &cb, 0);
    if (r)
        printf("callback_op(register event) = %ld\n", r);
}

static inline void evt_mask_upcalls(void) { vinfo->upcall_mask = 1; }

/* Unmask and let a pending upcall in (Linux's force_evtchn_callback). */
static inline void evt_unmask_upcalls(void)
{
    vinfo->upcall_mask = 0;
    __asm__ volatile("" ::: "memory");
    HYPERCALL(__HYPERVISOR_xen_version, 0, 0, 0);
}

static inline long evt_bind_virq(unsigned virq, unsigned vcpu)
{
    uint32_t b[3] = { virq, vcpu, 0 };
    long r = evtchn_op(EVTCHNOP_bind_virq, b);
    return r ? r : (long)b[2];
}

static inline long evt_send(unsigned port)
{
    uint32_t p = port;
    return evtchn_op(EVTCHNOP_send, &p);
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* System time as a guest computes it (version protocol, mul/shift). */
static __attribute__((unused)) uint64_t now_ns(void)
{
    volatile struct vcpu_time_info *t = &vinfo->time;
    uint32_t ver;
    uint64_t d, st;
    int8_t shift;
    uint32_t mul;

    do {
        ver = t->version;
        __asm__ volatile("" ::: "memory");
        d = rdtsc() - t->tsc_timestamp;
        st = t->system_time;
        shift = t->shift;
        mul = t->mul;
        __asm__ volatile("" ::: "memory");
    } while ((ver & 1) || ver != t->version);
    d = shift < 0 ? d >> -shift : d << shift;
    /* (d * mul) >> 32 without a 128-bit type */
    return st + (d >> 32) * mul + (((d & 0xffffffffu) * mul) >> 32);
}

#endif
