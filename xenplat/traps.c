/*
 * Exits of a PV vCPU and bounces to the guest (see traps.h).
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/mm.h"
#include "xenplat/traps.h"

#define VGCF_in_syscall 0x100u      /* iret flags (pub/arch-x86/xen-x86_64.h) */
#define LEGACY_SYSCALL_VECTOR 0x80
#define HYPERCALL_VECTOR32    0x82

/* Bounce flags (Xen's TBF_*). */
enum {
    TBF_ERROR = 1u << 0,       /* push the error code */
    TBF_INTERRUPT = 1u << 1,   /* mask events on entry */
};

struct bounce {
    uint16_t cs;               /* 32-bit only */
    uint64_t ip;
    unsigned flags;
    uint32_t error;
};

static bool canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* ---- flat selectors of the guest kernel ---------------------------------- */

static void load_flat(struct cpu *c, int seg, uint16_t sel, uint16_t type,
                      bool code64, unsigned dpl)
{
    uint16_t attr = (uint16_t)(type | SEGA_S | SEGA_P | dpl << 5 | SEGA_G |
                               (code64 ? SEGA_L : SEGA_DB));
    cpu_set_seg(c, seg, sel, 0, 0xffffffffu, attr);
}

/* CS/SS of a 64-bit guest kernel entry (Xen returns there via SYSRET). */
static void enter_kernel64(struct cpu *c)
{
    load_flat(c, SEG_CS, FLAT_KERNEL_CS64, 0xb, true, 3);
    load_flat(c, SEG_SS, FLAT_KERNEL_SS64, 0x3, false, 3);
    cpu_update_mode(c);
}

/* ---- guest kernel/user mode (64-bit) -------------------------------------- */

void pv_toggle_guest_mode(struct vcpu *v)
{
    struct cpu *c = &v->cpu;
    uint64_t gs = c->seg[SEG_GS].base;

    c->seg[SEG_GS].base = c->kernel_gs_base;       /* SWAPGS */
    c->kernel_gs_base = gs;
    v->kernel_mode = !v->kernel_mode;
    mm_load_cr3(v);
}

static uint8_t upcall_mask(struct vcpu *v)
{
    return vcpu_info_load8(v, VI_UPCALL_MASK);
}

/* ---- bounce frames ------------------------------------------------------- */

static void bounce64(struct vcpu *v, const struct bounce *tb)
{
    struct cpu *c = &v->cpu;
    struct domain *d = v->d;
    uint64_t rflags = cpu_get_rflags(c), frame[10], sp;
    uint64_t cs = c->seg[SEG_CS].sel, ss = c->seg[SEG_SS].sel;
    uint64_t rsp = c->r[R_SP];
    uint8_t mask = upcall_mask(v);
    uint8_t buf[sizeof(frame)];
    unsigned n = 0, i;

    if (!v->kernel_mode) {
        pv_toggle_guest_mode(v);
        sp = v->kernel_sp;
    } else {
        sp = rsp;
        cs &= ~3ull;
    }
    sp &= ~15ull;
    frame[n++] = c->r[R_CX];
    frame[n++] = c->r[R_R11];
    if (tb->flags & TBF_ERROR)
        frame[n++] = tb->error;
    frame[n++] = c->rip;
    frame[n++] = cs | (uint64_t)mask << 32;
    rflags &= ~(uint64_t)(FL_IF | FL_IOPL);
    if (!mask)
        rflags |= FL_IF;
    if (d->vm_assist & (1ul << 4))          /* architectural_iopl */
        rflags |= (uint64_t)v->iopl << 12;
    frame[n++] = rflags;
    frame[n++] = rsp;
    frame[n++] = ss;
    sp -= n * 8;
    for (i = 0; i < n; i++)
        le64_store(buf + i * 8, frame[i]);
    if (copy_to_guest(v, sp, buf, n * 8)) {
        domain_crash(d, "bad kernel stack 0x%llx while delivering an event",
                     (unsigned long long)sp);
        return;
    }
    if (tb->flags & TBF_INTERRUPT)
        vcpu_info_store8(v, VI_UPCALL_MASK, 1);
    enter_kernel64(c);
    c->r[R_SP] = sp;
    c->rip = tb->ip;
    rflags = cpu_get_rflags(c) &
             ~(uint64_t)(FL_AC | FL_VM | FL_RF | FL_NT | FL_TF);
    cpu_set_rflags(c, rflags | FL_IF);
    c->r[R_CX] = c->rip;                    /* as SYSRET leaves them */
    c->r[R_R11] = cpu_get_rflags(c);
}

static void bounce32(struct vcpu *v, const struct bounce *tb)
{
    struct cpu *c = &v->cpu;
    struct domain *d = v->d;
    uint32_t rflags = (uint32_t)cpu_get_rflags(c), frame[8];
    uint32_t cs = c->seg[SEG_CS].sel, ss = c->seg[SEG_SS].sel;
    uint32_t esp = (uint32_t)c->r[R_SP], sp;
    uint8_t mask = upcall_mask(v);
    uint8_t buf[sizeof(frame)];
    bool to_kernel_stack = (cs & 2) != 0;
    struct cpu_event fault;
    unsigned n = 0, i;
    uint64_t base;

    if (!tb->cs) {
        domain_crash(d, "event or trap with a null code selector");
        return;
    }
    if (tb->flags & TBF_ERROR)
        frame[n++] = tb->error;
    frame[n++] = (uint32_t)c->rip;
    frame[n++] = cs | (uint32_t)mask << 16;
    rflags &= ~(uint32_t)(FL_IF | FL_IOPL);
    if (!mask)
        rflags |= FL_IF;
    if (d->vm_assist & (1ul << 4))
        rflags |= (uint32_t)v->iopl << 12;
    frame[n++] = rflags;
    if (to_kernel_stack) {
        frame[n++] = esp;
        frame[n++] = ss;
        if (!cpu_load_seg(c, SEG_CS, (uint16_t)(tb->cs | 1), &fault) ||
            !cpu_load_seg(c, SEG_SS, v->kernel_ss, &fault)) {
            domain_crash(d, "bad kernel CS:SS %04x:%04x", tb->cs,
                         v->kernel_ss);
            return;
        }
        sp = (uint32_t)v->kernel_sp;
    } else {
        if (!cpu_load_seg(c, SEG_CS, (uint16_t)(tb->cs | 1), &fault)) {
            domain_crash(d, "bad kernel CS %04x", tb->cs);
            return;
        }
        sp = esp;
    }
    sp -= n * 4;
    for (i = 0; i < n; i++)
        le32_store(buf + i * 4, frame[i]);
    base = c->seg[SEG_SS].base;
    if (copy_to_guest(v, (uint32_t)(base + sp), buf, n * 4)) {
        domain_crash(d, "bad kernel stack 0x%x while delivering an event", sp);
        return;
    }
    if (tb->flags & TBF_INTERRUPT)
        vcpu_info_store8(v, VI_UPCALL_MASK, 1);
    c->r[R_SP] = sp;
    c->rip = (uint32_t)tb->ip;
    cpu_set_rflags(c, (cpu_get_rflags(c) &
                       ~(uint64_t)(FL_AC | FL_VM | FL_RF | FL_NT | FL_TF)) |
                      FL_IF);
}

static void bounce(struct vcpu *v, const struct bounce *tb)
{
    if (is_pv32(v->d))
        bounce32(v, tb);
    else
        bounce64(v, tb);
}

/* ---- injection ------------------------------------------------------------ */

static const char *const exc_names[32] = {
    "divide error", "debug", "NMI", "int3", "overflow", "bounds",
    "invalid opcode", "device not available", "double fault",
    "coprocessor segment overrun", "invalid TSS", "segment not present",
    "stack fault", "general protection fault", "page fault", "spurious",
    "x87 FPU error", "alignment check", "machine check", "SIMD error",
    "virtualisation exception", "control protection",
};

static void inject_trap(struct vcpu *v, unsigned vector, unsigned flags,
                        uint32_t error)
{
    const struct trap_entry *t = &v->trap[vector];
    struct bounce tb = { .cs = t->cs, .ip = t->address, .flags = flags,
                         .error = error };

    if (!t->address) {
        const char *name = vector < 32 && exc_names[vector]
            ? exc_names[vector] : "software interrupt";
        domain_crash(v->d, "unhandled %s (vector %u) at rip=0x%llx, "
                     "error code 0x%x", name, vector,
                     (unsigned long long)v->cpu.rip, error);
        return;
    }
    if (t->flags & TI_MASK_EVENTS)
        tb.flags |= TBF_INTERRUPT;
    bounce(v, &tb);
}

void pv_inject_exception(struct vcpu *v, unsigned vector, bool has_error,
                         uint32_t error)
{
    unsigned flags = 0;

    if (vector < 32 && (EXC_HAS_ERROR_MASK >> vector & 1)) {
        flags |= TBF_ERROR;
        if (!has_error)
            error = 0;
    }
    inject_trap(v, vector, flags, error);
}

void pv_inject_page_fault(struct vcpu *v, uint64_t cr2, uint32_t pfec)
{
    /* The guest kernel runs at CPL 3 (64-bit): the U bit says whether the
     * guest was in user mode, not what the hardware saw. */
    if (!is_pv32(v->d)) {
        pfec &= ~(uint32_t)PFEC_U;
        if (!v->kernel_mode)
            pfec |= PFEC_U;
    }
    v->cr2 = cr2;
    vcpu_info_store(v, v->d->abi->vi_cr2, v->d->abi->ulong_size, cr2);
    inject_trap(v, EXC_PF, TBF_ERROR, pfec);
}

/* ---- events ---------------------------------------------------------------- */

void pv_check_events(struct vcpu *v)
{
    const struct callback *cb = &v->cb[CB_EVENT];
    struct bounce tb;

    if (v->d->state != DOM_RUNNING)
        return;
    if (!vcpu_info_load8(v, VI_UPCALL_PENDING) || upcall_mask(v))
        return;
    if (!cb->ip)
        return;
    tb = (struct bounce){ .cs = cb->cs, .ip = cb->ip,
                          .flags = TBF_INTERRUPT };
    bounce(v, &tb);
}

/* ---- exits ----------------------------------------------------------------- */

static bool guest_kernel_mode(const struct vcpu *v)
{
    return is_pv32(v->d) ? (v->cpu.cpl & 2) == 0 : v->kernel_mode;
}

/* Xen's permit_softint(): may INT n reach trap_info[n]? */
static bool permit_softint(const struct vcpu *v, unsigned dpl)
{
    return dpl >= (guest_kernel_mode(v) ? 1u : 3u);
}

static void syscall_hypercall64(struct vcpu *v, const struct cpu_event *ev)
{
    struct cpu *c = &v->cpu;

    c->rip = ev->next_rip;
    hypercall_from_guest(v);
    if (!v->hc_no_return) {
        c->r[R_CX] = c->rip;                /* Xen returns with SYSRET */
        c->r[R_R11] = cpu_get_rflags(c);
    }
}

static void user_syscall64(struct vcpu *v, const struct cpu_event *ev)
{
    struct cpu *c = &v->cpu;
    bool compat = c->mode != MODE_LONG64;
    const struct callback *cb = &v->cb[compat ? CB_SYSCALL32 : CB_SYSCALL];
    struct bounce tb = { .ip = cb->ip,
                         .flags = cb->mask_events ? TBF_INTERRUPT : 0 };

    c->rip = ev->next_rip;
    if (!cb->ip) {
        c->rip = ev->rip;
        pv_inject_exception(v, EXC_UD, false, 0);
        return;
    }
    cpu_set_rflags(c, cpu_get_rflags(c) & ~(uint64_t)FL_DF);
    bounce(v, &tb);
}

static void softint(struct vcpu *v, const struct cpu_event *ev)
{
    struct cpu *c = &v->cpu;
    unsigned vec = ev->vector;

    if (is_pv32(v->d) && vec == HYPERCALL_VECTOR32 && c->cpl <= 1) {
        c->rip = ev->next_rip;
        hypercall_from_guest(v);
        return;
    }
    if (vec == EXC_BP || vec == EXC_OF) {        /* DPL 3 gates in Xen */
        c->rip = ev->next_rip;
        pv_inject_exception(v, vec, false, 0);
        return;
    }
    if (vec == EXC_DB && ev->insn_len == 1) {    /* ICEBP */
        c->rip = ev->next_rip;
        pv_inject_exception(v, EXC_DB, false, 0);
        return;
    }
    /* Xen's other gates have DPL 0: #GP(vec:IDT), which Xen turns into a
     * soft interrupt when the guest's trap_info DPL permits it. */
    if (v->trap[vec].address && permit_softint(v, TI_DPL(v->trap[vec].flags))) {
        c->rip = ev->next_rip;
        inject_trap(v, vec, 0, 0);
        return;
    }
    c->rip = ev->rip;
    pv_inject_exception(v, EXC_GP, true, vec * 8u + 2);
}

static void exception(struct vcpu *v, const struct cpu_event *ev)
{
    struct cpu *c = &v->cpu;

    c->rip = ev->rip;
    switch (ev->vector) {
    case EXC_GP:
        if (ev->error == 0 && pv_emulate_privileged_op(v))
            return;
        break;
    case EXC_UD:
        if (pv_emulate_forced_invalid_op(v))
            return;
        break;
    case EXC_PF:
        if (pv_ro_page_fault(v, ev->cr2, ev->error))
            return;
        pv_inject_page_fault(v, ev->cr2, ev->error);
        return;
    case EXC_NM:
        /* Xen clears the virtual TS as it delivers #NM. */
        v->fpu_ts = false;
        cpu_set_cr0(c, c->cr0 & ~CR0_TS);
        break;
    case EXC_DB:
    case EXC_BP:
    case EXC_OF:
        c->rip = ev->next_rip;                  /* traps */
        break;
    default:
        break;
    }
    pv_inject_exception(v, ev->vector, ev->has_error, ev->error);
}

void pv_exit(void *opaque, struct cpu *c, const struct cpu_event *ev)
{
    struct vcpu *v = opaque;

    (void)c;
    switch (ev->kind) {
    case EV_SYSCALL:
        if (!is_pv32(v->d) && v->kernel_mode)
            syscall_hypercall64(v, ev);
        else
            user_syscall64(v, ev);
        break;
    case EV_SYSENTER: {
        const struct callback *cb = &v->cb[CB_SYSENTER];
        struct bounce tb = { .cs = cb->cs, .ip = cb->ip,
                             .flags = cb->mask_events ? TBF_INTERRUPT : 0 };
        if (!cb->ip) {
            c->rip = ev->rip;
            pv_inject_exception(v, EXC_GP, true, 0);
            break;
        }
        c->rip = ev->next_rip;
        bounce(v, &tb);
        break;
    }
    case EV_SOFTINT:
        softint(v, ev);
        break;
    case EV_EXCEPTION:
        exception(v, ev);
        break;
    case EV_INTERRUPT:
        break;
    }
    if (v->d->state != DOM_RUNNING || v->blocked)
        c->stop_request = true;
    else
        pv_check_events(v);
}

/* ---- hypercalls: trap table and callbacks ------------------------------------ */

static uint16_t kernel_rpl(const struct domain *d)
{
    return is_pv32(d) ? 1 : 3;
}

long do_set_trap_table(struct vcpu *v, const uint64_t *a)
{
    bool is64 = !is_pv32(v->d);
    uint64_t va = a[0];
    unsigned size = TI_SIZE(is64), n;

    if (!va) {
        memset(v->trap, 0, sizeof(v->trap));
        return 0;
    }
    /* Bounded like Xen's loop would be by preemption: a table that never
     * ends is refused rather than spun on. */
    for (n = 0; n < (1u << 20); n++, va += size) {
        uint8_t e[16];
        uint64_t addr;

        if (copy_from_guest(v, va, e, size))
            return -XEN_EFAULT;
        addr = is64 ? le64_load(e + TI_ADDRESS(true))
                    : le32_load(e + TI_ADDRESS(false));
        if (addr == 0)
            return 0;
        v->trap[e[TI_VECTOR]] = (struct trap_entry){
            .cs = (uint16_t)((le16_load(e + TI_CS) & ~3u) | kernel_rpl(v->d)),
            .flags = e[TI_FLAGS],
            .address = addr,
        };
    }
    return -XEN_EINVAL;
}

static long register_callback(struct vcpu *v, unsigned type, uint16_t cs,
                              uint64_t ip, unsigned flags)
{
    bool mask = flags & 1;

    if (!is_pv32(v->d) && !canonical(ip))
        return -XEN_EINVAL;
    cs = cs ? (uint16_t)((cs & ~3u) | kernel_rpl(v->d)) : 0;
    switch (type) {
    case CB_EVENT:
    case CB_FAILSAFE:
    case CB_SYSENTER:
    case CB_SYSCALL32:
        break;
    case CB_SYSCALL:
        if (is_pv32(v->d))
            return -XEN_EINVAL;
        break;
    case CB_NMI:
        /* The NMI callback lives in trap_info[2]. */
        v->trap[EXC_NMI] = (struct trap_entry){ .cs = cs, .address = ip,
                                                .flags = TI_MASK_EVENTS };
        v->cb[CB_NMI] = (struct callback){ cs, ip, true };
        return 0;
    default:
        return -XEN_ENOSYS;
    }
    if (type == CB_EVENT)
        mask = true;
    v->cb[type] = (struct callback){ .cs = cs, .ip = ip, .mask_events = mask };
    return 0;
}

long do_set_callbacks(struct vcpu *v, const uint64_t *a)
{
    register_callback(v, CB_EVENT, 0, a[0], 0);
    register_callback(v, CB_FAILSAFE, 0, a[1], 0);
    register_callback(v, CB_SYSCALL, 0, a[2], 0);
    return 0;
}

long do_set_callbacks32(struct vcpu *v, const uint64_t *a)
{
    register_callback(v, CB_EVENT, (uint16_t)a[0], a[1], 0);
    register_callback(v, CB_FAILSAFE, (uint16_t)a[2], a[3], 0);
    return 0;
}

enum { CALLBACKOP_register = 0, CALLBACKOP_unregister = 1 };

long do_callback_op(struct vcpu *v, const uint64_t *a)
{
    bool is64 = !is_pv32(v->d);
    uint8_t b[16];

    switch (a[0]) {
    case CALLBACKOP_register:
        if (copy_from_guest(v, a[1], b, is64 ? 16 : 12))
            return -XEN_EFAULT;
        if (is64)
            return register_callback(v, le16_load(b), 0, le64_load(b + 8),
                                     le16_load(b + 2));
        return register_callback(v, le16_load(b), (uint16_t)le32_load(b + 4),
                                 le32_load(b + 8), le16_load(b + 2));
    case CALLBACKOP_unregister:
        if (copy_from_guest(v, a[1], b, 4))
            return -XEN_EFAULT;
        if (le16_load(b) != CB_NMI)
            return -XEN_EINVAL;
        v->trap[EXC_NMI] = (struct trap_entry){ 0 };
        v->cb[CB_NMI] = (struct callback){ 0 };
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_nmi_op(struct vcpu *v, const uint64_t *a)
{
    enum { XENNMI_register_callback = 0, XENNMI_unregister_callback = 1 };

    switch (a[0]) {
    case XENNMI_register_callback:
        return register_callback(v, CB_NMI, 0, a[1], 0);
    case XENNMI_unregister_callback:
        v->trap[EXC_NMI] = (struct trap_entry){ 0 };
        v->cb[CB_NMI] = (struct callback){ 0 };
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_stack_switch(struct vcpu *v, const uint64_t *a)
{
    v->kernel_ss = (uint16_t)((a[0] & ~3u) | kernel_rpl(v->d));
    v->kernel_sp = a[1];
    return 0;
}

long do_fpu_taskswitch(struct vcpu *v, const uint64_t *a)
{
    struct cpu *c = &v->cpu;

    v->fpu_ts = a[0] != 0;
    cpu_set_cr0(c, v->fpu_ts ? c->cr0 | CR0_TS : c->cr0 & ~CR0_TS);
    return 0;
}

/* ---- iret ------------------------------------------------------------------ */

long do_pv_iret(struct vcpu *v, const uint64_t *a)
{
    struct cpu *c = &v->cpu;
    uint8_t b[9 * 8];
    uint64_t f[9];
    struct cpu_event fault;
    unsigned i;

    (void)a;
    hypercall_no_return(v);
    if (copy_from_guest(v, c->r[R_SP], b, sizeof(b))) {
        domain_crash(v->d, "iret: cannot read the frame at 0x%llx",
                     (unsigned long long)c->r[R_SP]);
        return -XEN_EFAULT;
    }
    for (i = 0; i < 9; i++)
        f[i] = le64_load(b + i * 8);
    /* f: rax, r11, rcx, flags, rip, cs, rflags, rsp, ss */
    if ((f[5] & 3) == 3 && v->kernel_mode) {
        if (!v->user_l4) {
            domain_crash(v->d, "iret to user mode without user page tables");
            return -XEN_EFAULT;
        }
        pv_toggle_guest_mode(v);
    }
    if (!cpu_load_seg(c, SEG_CS, (uint16_t)(f[5] | 3), &fault) ||
        !cpu_load_seg(c, SEG_SS, (uint16_t)(f[8] | 3), &fault)) {
        domain_crash(v->d, "iret to bad CS:SS %04llx:%04llx",
                     (unsigned long long)f[5], (unsigned long long)f[8]);
        return -XEN_EFAULT;
    }
    c->rip = f[4];
    c->r[R_SP] = f[7];
    cpu_set_rflags(c, (f[6] & ~(uint64_t)(FL_IOPL | FL_VM)) | FL_IF);
    vcpu_info_store8(v, VI_UPCALL_MASK, !(f[6] & FL_IF));
    c->r[R_AX] = f[0];
    if (!(f[3] & VGCF_in_syscall)) {
        c->r[R_R11] = f[1];
        c->r[R_CX] = f[2];
    } else {
        c->r[R_CX] = c->rip;
        c->r[R_R11] = cpu_get_rflags(c);
    }
    return 0;
}

long do_pv_iret32(struct vcpu *v, const uint64_t *a)
{
    struct cpu *c = &v->cpu;
    uint32_t esp = (uint32_t)c->r[R_SP], f[6];
    uint64_t base = c->seg[SEG_SS].base;
    struct cpu_event fault;
    uint8_t b[24];
    uint16_t cs;
    unsigned i;

    (void)a;
    hypercall_no_return(v);
    if (copy_from_guest(v, (uint32_t)(base + esp), b, 16)) {
        domain_crash(v->d, "iret: cannot read the frame at 0x%x", esp);
        return -XEN_EFAULT;
    }
    for (i = 0; i < 4; i++)
        f[i] = le32_load(b + i * 4);
    /* f: eax, eip, cs, eflags [, esp, ss] */
    if (f[3] & FL_VM) {
        domain_crash(v->d, "iret to virtual-8086 mode is not supported");
        return -XEN_EINVAL;
    }
    cs = (uint16_t)f[2];
    if ((cs & 3) == 0)
        cs |= 1;                             /* ring compression */
    if ((cs & 3) >= 2) {
        if (copy_from_guest(v, (uint32_t)(base + esp + 16), b + 16, 8)) {
            domain_crash(v->d, "iret: cannot read the frame at 0x%x", esp);
            return -XEN_EFAULT;
        }
        f[4] = le32_load(b + 16);
        f[5] = le32_load(b + 20);
    }
    if (!cpu_load_seg(c, SEG_CS, cs, &fault)) {
        domain_crash(v->d, "iret to bad CS %04x", cs);
        return -XEN_EFAULT;
    }
    if ((cs & 3) >= 2) {
        if (!cpu_load_seg(c, SEG_SS, (uint16_t)f[5], &fault)) {
            domain_crash(v->d, "iret to bad SS %04x", f[5]);
            return -XEN_EFAULT;
        }
        c->r[R_SP] = f[4];
    } else {
        c->r[R_SP] = esp + 16;
    }
    c->rip = f[1];
    cpu_set_rflags(c, (f[3] & ~(uint64_t)FL_IOPL) | FL_IF);
    vcpu_info_store8(v, VI_UPCALL_MASK, !(f[3] & FL_IF));
    c->r[R_AX] = f[0];
    return 0;
}

/* ---- segment bases and debug registers -------------------------------------- */

enum { SEGBASE_FS = 0, SEGBASE_GS_USER = 1, SEGBASE_GS_KERNEL = 2,
       SEGBASE_GS_USER_SEL = 3 };

long do_set_segment_base(struct vcpu *v, const uint64_t *a)
{
    struct cpu *c = &v->cpu;
    uint64_t base = a[1];
    struct cpu_event fault;

    switch (a[0]) {
    case SEGBASE_FS:
    case SEGBASE_GS_USER:
    case SEGBASE_GS_KERNEL:
        if (!canonical(base))
            return -XEN_EINVAL;
        break;
    case SEGBASE_GS_USER_SEL:
        break;
    default:
        return -XEN_EINVAL;
    }
    switch (a[0]) {
    case SEGBASE_FS:
        c->seg[SEG_FS].base = base;
        break;
    case SEGBASE_GS_USER:
        if (v->kernel_mode)
            c->kernel_gs_base = base;
        else
            c->seg[SEG_GS].base = base;
        break;
    case SEGBASE_GS_KERNEL:
        if (v->kernel_mode)
            c->seg[SEG_GS].base = base;
        else
            c->kernel_gs_base = base;
        break;
    case SEGBASE_GS_USER_SEL: {
        /* swapgs; mov sel,%gs; swapgs, loading null on a fault. */
        uint64_t kbase = c->seg[SEG_GS].base;
        if (!cpu_load_seg(c, SEG_GS, (uint16_t)base, &fault))
            cpu_load_seg(c, SEG_GS, 0, &fault);
        c->kernel_gs_base = c->seg[SEG_GS].base;
        c->seg[SEG_GS].base = kbase;
        break;
    }
    }
    return 0;
}

#define DR6_RESERVED_ONE  0xffff0ff0ull
#define DR7_RESERVED_ONE  0x400ull

long do_set_debugreg(struct vcpu *v, const uint64_t *a)
{
    unsigned reg = (unsigned)a[0];
    uint64_t val = a[1];

    switch (reg) {
    case 0: case 1: case 2: case 3:
        if (!guest_range_ok(v, val, 1))
            return -XEN_EPERM;
        break;
    case 6:
        if (val >> 32)
            return -XEN_EPERM;
        val |= DR6_RESERVED_ONE;
        break;
    case 7:
        if (val >> 32)
            return -XEN_EPERM;
        val |= DR7_RESERVED_ONE;
        break;
    default:
        return -XEN_EINVAL;
    }
    v->dr[reg] = val;
    v->cpu.dr[reg] = val;
    return 0;
}

long do_get_debugreg(struct vcpu *v, const uint64_t *a)
{
    unsigned reg = (unsigned)a[0];

    switch (reg) {
    case 0: case 1: case 2: case 3: case 6: case 7:
        return (long)v->dr[reg];
    case 4: case 5:
        return (long)v->dr[reg + 2];
    default:
        return -XEN_EINVAL;
    }
}
