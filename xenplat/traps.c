/*
 * Exits of a PV vCPU and bounces to the guest (see traps.h).
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/hypercall.h"
#include "xenplat/mm.h"
#include "xenplat/observe.h"
#include "xenplat/traps.h"

#define VGCF_in_syscall 0x100u      /* iret flags (pub/arch-x86/xen-x86_64.h) */
#define VMASST_architectural_iopl 4
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
    /* Compat syscall: Xen reports the user's flat selectors, not the
     * interrupted ones (compat/entry.S compat_syscall). */
    bool fake_user_sel;
    enum xen_bounce_kind why;  /* for observers */
    unsigned vector;           /* XB_TRAP */
};

/* ---- flat selectors of the guest kernel ---------------------------------- */

void pv_load_flat_seg(struct cpu *c, int seg, uint16_t sel, uint16_t type,
                      unsigned dpl, bool code64)
{
    uint16_t attr = (uint16_t)(type | SEGA_S | SEGA_P | dpl << 5 | SEGA_G |
                               (code64 ? SEGA_L : SEGA_DB));
    cpu_set_seg(c, seg, sel, 0, 0xffffffffu, attr);
}

/* CS/SS of a 64-bit guest kernel entry (Xen returns there via SYSRET). */
static void enter_kernel64(struct cpu *c)
{
    pv_load_flat_seg(c, SEG_CS, FLAT_KERNEL_CS64, 0xb, 3, true);
    pv_load_flat_seg(c, SEG_SS, FLAT_KERNEL_SS64, 0x3, 3, false);
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

/* CS and SS as Xen's saved frame (regs->cs, regs->ss) has them: those of
 * the iret target while its return is pending. */
static uint16_t guest_cs(const struct vcpu *v)
{
    return v->return_pending ? v->return_cs : v->cpu.seg[SEG_CS].sel;
}

static uint16_t guest_ss(const struct vcpu *v)
{
    return v->return_pending ? v->return_ss : v->cpu.seg[SEG_SS].sel;
}

/* A selector load Xen does itself (MOV Sreg, IRETQ): a #PF on the LDT
 * window maps the guest's LDT page and the load is retried, as Xen's
 * fixup_page_fault does for its own accesses. */
static bool load_sel(struct vcpu *v, int seg, uint16_t sel,
                     struct cpu_event *fault)
{
    for (;;) {
        if (cpu_load_seg(&v->cpu, seg, sel, fault))
            return true;
        if (fault->vector != EXC_PF || !mm_ldt_window_fault(v, fault->cr2))
            return false;
    }
}

/* ---- bounce frames ------------------------------------------------------- */

static void bounce64(struct vcpu *v, const struct bounce *tb)
{
    struct cpu *c = &v->cpu;
    struct domain *d = v->d;
    uint64_t rflags = cpu_get_rflags(c), frame[10], sp;
    uint64_t cs = guest_cs(v), ss = guest_ss(v);
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
    /* A frame that would reach into Xen's range (entry.S: bad_sp). */
    if (sp > HYPERVISOR_VIRT_START_64 && sp < HYPERVISOR_VIRT_END_64 + 64) {
        domain_crash(d, "bad kernel stack 0x%llx while delivering an event",
                     (unsigned long long)sp);
        return;
    }
    frame[n++] = c->r[R_CX];
    frame[n++] = c->r[R_R11];
    if (tb->flags & TBF_ERROR)
        frame[n++] = tb->error;
    frame[n++] = c->rip;
    frame[n++] = cs | (uint64_t)mask << 32;
    rflags &= ~(uint64_t)(FL_IF | FL_IOPL);
    if (!mask)
        rflags |= FL_IF;
    if (d->vm_assist & (1ul << VMASST_architectural_iopl))
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
    if (!tb->ip) {
        domain_crash(d, "event or trap with a null handler address");
        return;
    }
    v->return_pending = false;
    enter_kernel64(c);
    c->r[R_SP] = sp;
    c->rip = tb->ip;
    rflags = cpu_get_rflags(c) &
             ~(uint64_t)(FL_AC | FL_VM | FL_RF | FL_NT | FL_TF);
    cpu_set_rflags(c, rflags | FL_IF);
    c->r[R_CX] = c->rip;                    /* as SYSRET leaves them */
    c->r[R_R11] = cpu_get_rflags(c);
    XEN_OBSERVE(v, .kind = XO_BOUNCE, .bounce = tb->why,
                .vector = tb->vector);
}

static void bounce32(struct vcpu *v, const struct bounce *tb)
{
    struct cpu *c = &v->cpu;
    struct domain *d = v->d;
    uint32_t rflags = (uint32_t)cpu_get_rflags(c), frame[8];
    uint32_t cs = guest_cs(v), ss = guest_ss(v);
    uint32_t esp = (uint32_t)c->r[R_SP], sp;
    uint8_t mask = upcall_mask(v);
    uint8_t buf[sizeof(frame)];
    struct cpu_event fault;
    unsigned n = 0, i;
    uint64_t base;

    if (tb->fake_user_sel) {
        cs = FLAT_RING3_CS;
        ss = FLAT_RING3_DS;
    }
    /* From ring 2/3: switch to kernel_ss:kernel_sp, saving ESP and SS. */
    if (cs & 2) {
        /* The kernel stack segment is checked at the kernel's privilege:
         * load the handler's CS first. */
        if (!(tb->cs & ~3u) || !cpu_load_seg(c, SEG_CS, tb->cs, &fault)) {
            domain_crash(d, "event or trap to bad code selector %04x",
                         tb->cs);
            return;
        }
        if (!cpu_load_seg(c, SEG_SS, v->kernel_ss, &fault)) {
            domain_crash(d, "bad kernel SS %04x while delivering an event",
                         v->kernel_ss);
            return;
        }
        sp = (uint32_t)v->kernel_sp;
    } else {
        sp = esp;
    }
    if (tb->flags & TBF_ERROR)
        frame[n++] = tb->error;
    frame[n++] = (uint32_t)c->rip;
    frame[n++] = (cs & 0xffff) | (uint32_t)mask << 16;
    rflags &= ~(uint32_t)(FL_IF | FL_IOPL);
    if (!mask)
        rflags |= FL_IF;
    if (d->vm_assist & (1ul << VMASST_architectural_iopl))
        rflags |= (uint32_t)v->iopl << 12;
    frame[n++] = rflags;
    if (cs & 2) {
        frame[n++] = esp;
        frame[n++] = ss;
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
    /* compat_create_bounce_frame clears VM, RF, NT and TF (not AC). */
    cpu_set_rflags(c, (cpu_get_rflags(c) &
                       ~(uint64_t)(FL_VM | FL_RF | FL_NT | FL_TF)) | FL_IF);
    c->r[R_SP] = sp;
    if (!(tb->cs & ~3u) ||
        !cpu_load_seg(c, SEG_CS, tb->cs, &fault)) {
        domain_crash(d, "event or trap to bad code selector %04x", tb->cs);
        return;
    }
    v->return_pending = false;
    c->rip = (uint32_t)tb->ip;
    XEN_OBSERVE(v, .kind = XO_BOUNCE, .bounce = tb->why,
                .vector = tb->vector);
}

static void bounce(struct vcpu *v, const struct bounce *tb)
{
    if (is_pv32(v->d))
        bounce32(v, tb);
    else
        bounce64(v, tb);
}

/* ---- injection ------------------------------------------------------------ */

/* Xen's vector_name() for its "Unhandled" message. */
static const char *const exc_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO",
    "#TS", "#NP", "#SS", "#GP", "#PF", "#SPV", "#MF", "#AC", "#MC", "#XM",
    "#VE", "#CP", NULL, NULL, NULL, NULL, NULL, NULL, "#HV", "#VC", "#SX",
};

/* Xen's null_trap_bounce(): 64-bit has no selector to check. */
static bool null_trap(const struct vcpu *v, const struct trap_entry *t)
{
    return is_pv32(v->d) ? !(t->cs & ~3u) : !t->address;
}

static void inject_trap(struct vcpu *v, unsigned vector, unsigned flags,
                        uint32_t error)
{
    const struct trap_entry *t = &v->trap[vector];
    struct bounce tb = { .cs = t->cs, .ip = t->address, .flags = flags,
                         .error = error, .why = XB_TRAP, .vector = vector };

    if (null_trap(v, t)) {
        const char *name = vector < 32 && exc_names[vector]
            ? exc_names[vector] : "software interrupt";
        domain_crash(v->d, "unhandled %s[%04x] (vector %u) at rip=0x%llx",
                     name, flags & TBF_ERROR ? error : 0, vector,
                     (unsigned long long)v->cpu.rip);
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

static bool guest_kernel_mode(const struct vcpu *v)
{
    return is_pv32(v->d) ? (v->cpu.seg[SEG_CS].sel & 3) == 1 : v->kernel_mode;
}

void pv_inject_page_fault(struct vcpu *v, uint64_t cr2, uint32_t pfec)
{
    /* The U bit says whether the guest was in its user mode, not what the
     * hardware saw (the 64-bit kernel runs at CPL 3, pv/traps.c). */
    pfec &= ~(uint32_t)PFEC_U;
    if (!guest_kernel_mode(v))
        pfec |= PFEC_U;
    pv_set_cr2(v, cr2);
    inject_trap(v, EXC_PF, TBF_ERROR, pfec);
}

void pv_set_cr2(struct vcpu *v, uint64_t cr2)
{
    if (is_pv32(v->d))
        cr2 = (uint32_t)cr2;
    v->cr2 = cr2;
    vcpu_info_store(v, v->d->abi->vi_cr2, v->d->abi->ulong_size, cr2);
}

/* ---- events ---------------------------------------------------------------- */

/* process_nmi (entry.S test_all_events): a pending NMI not masked goes to
 * trap_info[2] and masks further ones until the iret hypercall; without
 * a handler it is dropped (set_guest_nmi_trapbounce).  True when it was
 * taken off. */
#define VCPU_TRAP_NMI 1

static bool process_nmi(struct vcpu *v)
{
    if (!v->nmi_pending ||
        (v->async_exception_mask & (1u << VCPU_TRAP_NMI)))
        return false;
    v->nmi_pending = false;
    if (null_trap(v, &v->trap[EXC_NMI]))
        return true;
    v->nmi_old_mask = v->async_exception_mask;
    v->async_exception_mask |= 1u << VCPU_TRAP_NMI;
    inject_trap(v, EXC_NMI, 0, 0);
    return true;
}

/* async_exception_cleanup (pv/iret.c): back to the mask before the NMI. */
static void async_exception_cleanup(struct vcpu *v)
{
    if (v->async_exception_mask & (1u << VCPU_TRAP_NMI))
        v->async_exception_mask = v->nmi_old_mask;
}

static void pv_check_events(struct vcpu *v)
{
    const struct callback *cb = &v->cb[CB_EVENT];
    struct bounce tb;

    if (v->d->state != DOM_RUNNING)
        return;
    if (!vcpu_info_load8(v, VI_UPCALL_PENDING) || upcall_mask(v))
        return;
    tb = (struct bounce){ .cs = cb->cs, .ip = cb->ip,
                          .flags = TBF_INTERRUPT, .why = XB_EVENT };
    bounce(v, &tb);
}

/* ---- the failsafe callback (x86/domain.c load_segments) ---------------------- */

/* The failsafe frame (Xen 4.17 load_segments): 64-bit, from the low
 * address up, RCX, R11, DS, ES, FS, GS, RIP, CS|mask<<32, RFLAGS, RSP, SS
 * on the 16-byte aligned kernel stack (switching to kernel mode first;
 * a kernel-mode CS shows RPL 0); 32-bit DS, ES, FS, GS, EIP, CS|mask<<16,
 * EFLAGS [, ESP, SS] at the ring-1 ESP or kernel_sp (not kernel_ss) from
 * an outer ring.  The callback runs with Xen's flat kernel CS and SS,
 * not the registered failsafe selector. */
static void failsafe_callback(struct vcpu *v, const uint16_t sel[4])
{
    struct cpu *c = &v->cpu;
    struct domain *d = v->d;
    bool is32 = is_pv32(d), outer;
    uint8_t mask = upcall_mask(v), buf[11 * 8];
    uint64_t w[11], sp, rflags = cpu_get_rflags(c);
    uint64_t cs = guest_cs(v), ss = guest_ss(v);
    unsigned i, n = 0, size = is32 ? 4 : 8;

    rflags &= ~(uint64_t)(FL_IF | FL_IOPL);
    rflags |= mask ? 0 : FL_IF;
    if (d->vm_assist & (1ul << VMASST_architectural_iopl))
        rflags |= (uint64_t)v->iopl << 12;
    if (is32) {
        outer = (cs & 3) != 1;
        sp = outer ? (uint32_t)v->kernel_sp : (uint32_t)c->r[R_SP];
    } else {
        outer = !v->kernel_mode;
        sp = (outer ? v->kernel_sp : c->r[R_SP]) & ~15ull;
        if (outer)
            pv_toggle_guest_mode(v);
        else
            cs &= ~3ull;
        w[n++] = c->r[R_CX];
        w[n++] = c->r[R_R11];
    }
    for (i = 0; i < 4; i++)
        w[n++] = sel[i];
    w[n++] = c->rip;
    w[n++] = is32 ? (uint32_t)(cs | (uint32_t)mask << 16)
                  : cs | (uint64_t)mask << 32;
    w[n++] = is32 ? (uint32_t)rflags : rflags;
    if (!is32 || outer) {
        w[n++] = is32 ? (uint32_t)c->r[R_SP] : c->r[R_SP];
        w[n++] = ss;
    }
    sp -= n * size;
    for (i = 0; i < n; i++)
        le_store(buf + i * size, size, w[i]);
    if (copy_to_guest(v, sp, buf, n * size)) {
        domain_crash(d, "error creating %sfailsafe callback frame",
                     is32 ? "compat " : "");
        return;
    }
    if (v->cb[CB_FAILSAFE].mask_events)
        vcpu_info_store8(v, VI_UPCALL_MASK, 1);
    rflags = cpu_get_rflags(c) & ~(uint64_t)(FL_VM | FL_RF | FL_NT | FL_TF |
                                             FL_IOPL);
    if (is32) {
        struct cpu_event fault;
        cpu_set_rflags(c, rflags | FL_IF);
        if (!load_sel(v, SEG_CS, FLAT_RING1_CS, &fault) ||
            !load_sel(v, SEG_SS, FLAT_RING1_DS, &fault)) {
            domain_crash(d, "cannot enter the failsafe callback");
            return;
        }
    } else {
        cpu_set_rflags(c, (rflags & ~(uint64_t)FL_AC) | FL_IF);
        enter_kernel64(c);
    }
    v->return_pending = false;
    c->r[R_SP] = sp;
    c->rip = is32 ? (uint32_t)v->cb[CB_FAILSAFE].ip : v->cb[CB_FAILSAFE].ip;
    if (!is32) {                         /* entered through SYSRET */
        c->r[R_CX] = c->rip;
        c->r[R_R11] = cpu_get_rflags(c);
    }
    XEN_OBSERVE(v, .kind = XO_BOUNCE, .bounce = XB_FAILSAFE);
}

void pv_load_segments(struct vcpu *v)
{
    static const int load_order[4] = { SEG_FS, SEG_GS, SEG_DS, SEG_ES };
    static const int frame_order[4] = { SEG_DS, SEG_ES, SEG_FS, SEG_GS };
    struct cpu *c = &v->cpu;
    uint64_t fs_base = c->seg[SEG_FS].base, gs_base = c->seg[SEG_GS].base;
    uint64_t gs_shadow = c->kernel_gs_base;
    uint16_t saved[6], sel[4];
    struct cpu_event fault;
    bool ok = true;
    unsigned i;

    for (i = 0; i < 4; i++)
        saved[frame_order[i]] = c->seg[frame_order[i]].sel;
    for (i = 0; i < 4; i++) {
        int seg = load_order[i];
        if (!load_sel(v, seg, saved[seg], &fault)) {
            cpu_load_seg(c, seg, 0, &fault);
            ok = false;
        }
    }
    if (!is_pv32(v->d)) {
        /* write_fs_base, write_gs_shadow, write_gs_base */
        c->seg[SEG_FS].base = fs_base;
        c->seg[SEG_GS].base = gs_base;
        c->kernel_gs_base = gs_shadow;
    }
    if (ok)
        return;
    for (i = 0; i < 4; i++)
        sel[i] = saved[frame_order[i]];
    failsafe_callback(v, sel);
}

/* ---- exits ----------------------------------------------------------------- */

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

/* What the SYSCALL instruction itself did before Xen's entry point. */
static void syscall_regs(struct cpu *c, const struct cpu_event *ev)
{
    c->r[R_CX] = c->mode == MODE_LONG64 ? ev->next_rip
                                        : (uint32_t)ev->next_rip;
    c->r[R_R11] = cpu_get_rflags(c) & ~(uint64_t)FL_RF;
    c->rip = ev->next_rip;
}

/* 64-bit guest: a user syscall (entry.S switch_to_kernel; compatibility
 * mode arrives through cstar_enter with the syscall32 address but the
 * syscall callback's event flag). */
static void user_syscall64(struct vcpu *v, const struct cpu_event *ev)
{
    struct cpu *c = &v->cpu;
    bool compat = c->mode != MODE_LONG64;
    const struct callback *cb = &v->cb[compat ? CB_SYSCALL32 : CB_SYSCALL];
    struct bounce tb = { .ip = cb->ip, .why = XB_SYSCALL, .flags =
        v->cb[CB_SYSCALL].mask_events ? TBF_INTERRUPT : 0 };

    syscall_regs(c, ev);
    if (!cb->ip) {
        c->rip = ev->rip;
        inject_trap(v, EXC_UD, 0, 0);
        return;
    }
    bounce64(v, &tb);
    cpu_set_rflags(c, cpu_get_rflags(c) & ~(uint64_t)FL_DF);
    c->r[R_CX] = c->rip;                    /* SYSRET to the handler */
    c->r[R_R11] = cpu_get_rflags(c);
}

/* 32-bit guest: compat_syscall (any ring). */
static void syscall32(struct vcpu *v, const struct cpu_event *ev)
{
    struct cpu *c = &v->cpu;
    const struct callback *cb = &v->cb[CB_SYSCALL32];
    struct bounce tb = { .cs = cb->cs, .ip = cb->ip, .fake_user_sel = true,
                         .flags = cb->mask_events ? TBF_INTERRUPT : 0,
                         .why = XB_SYSCALL };

    syscall_regs(c, ev);
    if (!(cb->cs & ~3u)) {
        const struct trap_entry *t = &v->trap[EXC_GP];
        c->rip = ev->rip;
        tb = (struct bounce){ .cs = t->cs, .ip = t->address,
                              .flags = TBF_ERROR, .fake_user_sel = true,
                              .why = XB_TRAP, .vector = EXC_GP };
        if (t->flags & TI_MASK_EVENTS)
            tb.flags |= TBF_INTERRUPT;
    }
    bounce32(v, &tb);
}

static void softint(struct vcpu *v, const struct cpu_event *ev)
{
    struct cpu *c = &v->cpu;
    unsigned vec = ev->vector;

    c->rip = ev->next_rip;
    /* int $0x82: a DPL-1 gate, so only the 32-bit kernel gets through. */
    if (is_pv32(v->d) && vec == HYPERCALL_VECTOR32 && c->cpl == 1) {
        hypercall_from_guest(v);
        return;
    }
    /* #BP and #OF have DPL-3 gates; ICEBP is not DPL-checked. */
    if (vec == EXC_BP || vec == EXC_OF ||
        (vec == EXC_DB && ev->insn_len == 1)) {
        if (vec == EXC_DB)
            pv_debug_merge(v);
        inject_trap(v, vec, 0, 0);
        return;
    }
    /* int $0x80: straight to trap_info[0x80] when set, whatever its DPL
     * (init_int80_direct_trap). */
    if (vec == LEGACY_SYSCALL_VECTOR && !null_trap(v, &v->trap[vec])) {
        inject_trap(v, vec, 0, 0);
        return;
    }
    /* Every other gate has DPL 0: #GP(vec:IDT), which Xen turns into a soft
     * interrupt when the guest's trap_info DPL permits it. */
    if (permit_softint(v, TI_DPL(v->trap[vec].flags))) {
        inject_trap(v, vec, 0, 0);
        return;
    }
    c->rip = ev->rip;
    pv_inject_exception(v, EXC_GP, true, vec * 8u + 2);
}

/* do_debug: fold the hardware DR6 into the guest's (Xen 4.17) and give the
 * hardware its default back. */
#define DR6_DEFAULT 0xffff0ff0u

void pv_debug_merge(struct vcpu *v)
{
    uint64_t hw = v->cpu.dr[6];

    v->dr[6] |= hw & ~(uint64_t)DR6_DEFAULT;
    v->dr[6] &= hw | ~(uint64_t)DR6_DEFAULT;
    v->cpu.dr[6] = DR6_DEFAULT;
}

static void exception(struct vcpu *v, const struct cpu_event *ev)
{
    struct cpu *c = &v->cpu;

    c->rip = ev->rip;
    switch (ev->vector) {
    case EXC_GP:
        /* do_general_protection: a selector error of a 32-bit guest may be
         * a call gate's (not one from the IDT, not an external event). */
        if (is_pv32(v->d) && ev->error && (ev->error & 3) == 0) {
            pv_emulate_gate_op(v, ev->error);
            return;
        }
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
        /* do_device_not_available: #NM only under the virtual TS, which
         * Xen clears as it delivers it. */
        if (!v->fpu_ts) {
            cpu_set_cr0(c, c->cr0 & ~CR0_TS);
            return;
        }
        pv_inject_exception(v, EXC_NM, false, 0);
        v->fpu_ts = false;
        cpu_set_cr0(c, c->cr0 & ~CR0_TS);
        return;
    case EXC_DB:
        c->rip = ev->next_rip;                  /* traps */
        pv_debug_merge(v);
        break;
    default:
        break;
    }
    pv_inject_exception(v, ev->vector, ev->has_error, ev->error);
}

void pv_exit(void *opaque, struct cpu *c, const struct cpu_event *ev)
{
    struct vcpu *v = opaque;

    XEN_OBSERVE(v, .kind = XO_EXIT, .ev = ev);
    switch (ev->kind) {
    case EV_SYSCALL:
        if (is_pv32(v->d))
            syscall32(v, ev);
        else if (v->kernel_mode && c->mode == MODE_LONG64)
            syscall_hypercall64(v, ev);
        else
            user_syscall64(v, ev);
        break;
    case EV_SYSENTER: {
        /* Only reachable on CPUs with SYSENTER in long mode (Intel). */
        const struct callback *cb = &v->cb[CB_SYSENTER];
        struct bounce tb = { .cs = cb->cs, .ip = cb->ip,
                             .flags = cb->mask_events ? TBF_INTERRUPT : 0,
                             .why = XB_SYSENTER };
        if (null_trap(v, &(struct trap_entry){ .cs = cb->cs,
                                               .address = cb->ip })) {
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
        pv_return_to_guest(v);
}

/* ---- hypercalls: trap table and callbacks ------------------------------------ */

/* Xen's fixup_guest_{code,stack}_selector: raise the RPL to the kernel's. */
uint16_t pv_fixup_selector(const struct domain *d, uint64_t sel)
{
    unsigned rpl = is_pv32(d) ? 1 : 3;
    uint16_t s = (uint16_t)sel;

    return (s & 3) >= rpl ? s : (uint16_t)((s & ~3u) | rpl);
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
        if (is64 && !is_canonical(addr))
            return -XEN_EINVAL;
        v->trap[e[TI_VECTOR]] = (struct trap_entry){
            .cs = pv_fixup_selector(v->d, le16_load(e + TI_CS)),
            .flags = e[TI_FLAGS],
            .address = addr,
        };
    }
    return -XEN_EINVAL;
}

/* register_guest_nmi_callback: trap_info[2] with Xen's flat kernel CS,
 * events masked; an NMI reason already in shared_info re-asserts the NMI
 * ("lose the NMI edge") for vCPU 0. */
static long register_nmi(struct vcpu *v, uint64_t ip)
{
    struct domain *d = v->d;

    if (!is_canonical(ip))
        return -XEN_EINVAL;
    v->trap[EXC_NMI] = (struct trap_entry){
        .cs = is_pv32(d) ? FLAT_RING1_CS : FLAT_KERNEL_CS64,
        .address = ip, .flags = TI_MASK_EVENTS };
    v->cb[CB_NMI] = (struct callback){ v->trap[EXC_NMI].cs, ip, true };
    if (v->id == 0 &&
        maddr_load(d->x, (d->shared_info_mfn << PAGE_SHIFT) +
                   d->abi->sh_nmi_reason, d->abi->ulong_size))
        v->nmi_pending = true;
    return 0;
}

static void unregister_nmi(struct vcpu *v)
{
    v->trap[EXC_NMI] = (struct trap_entry){ 0 };
    v->cb[CB_NMI] = (struct callback){ 0 };
}

static long register_callback(struct vcpu *v, unsigned type, uint16_t cs,
                              uint64_t ip, unsigned flags)
{
    bool mask = flags & 1, is32 = is_pv32(v->d);

    if (!is32 && !is_canonical(ip))
        return -XEN_EINVAL;
    switch (type) {
    case CB_EVENT:
        mask = true;
        break;
    case CB_FAILSAFE:
    case CB_SYSENTER:
    case CB_SYSCALL32:
        break;
    case CB_SYSCALL:
        if (is32)
            return -XEN_ENOSYS;
        break;
    case CB_NMI:
        return register_nmi(v, ip);
    default:
        return -XEN_ENOSYS;
    }
    v->cb[type] = (struct callback){
        .cs = is32 ? pv_fixup_selector(v->d, cs) : 0, .ip = ip,
        .mask_events = mask };
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
        if (copy_from_guest(v, a[1], b, 2))
            return -XEN_EFAULT;
        switch (le16_load(b)) {
        case CB_NMI:
            unregister_nmi(v);
            return 0;
        case CB_EVENT: case CB_FAILSAFE: case CB_SYSCALL: case CB_SYSCALL32:
        case CB_SYSENTER:
            return -XEN_EINVAL;
        default:
            return -XEN_ENOSYS;
        }
    default:
        return -XEN_ENOSYS;
    }
}

long do_nmi_op(struct vcpu *v, const uint64_t *a)
{
    enum { XENNMI_register_callback = 0, XENNMI_unregister_callback = 1 };

    unsigned ul = v->d->abi->ulong_size;
    uint8_t cb[16];

    switch (a[0]) {
    case XENNMI_register_callback:
        /* xennmi_callback { ulong handler_address; ulong pad; } */
        if (copy_from_guest(v, a[1], cb, 2 * ul))
            return -XEN_EFAULT;
        return register_nmi(v, le_load(cb, ul));
    case XENNMI_unregister_callback:
        unregister_nmi(v);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_stack_switch(struct vcpu *v, const uint64_t *a)
{
    v->kernel_ss = pv_fixup_selector(v->d, a[0]);
    v->kernel_sp = a[1];
    return 0;
}

long do_fpu_taskswitch(struct vcpu *v, const uint64_t *a)
{
    pv_fpu_taskswitch(v, a[0] != 0);
    return 0;
}

void pv_fpu_taskswitch(struct vcpu *v, bool set)
{
    struct cpu *c = &v->cpu;

    v->fpu_ts = set;
    cpu_set_cr0(c, set ? c->cr0 | CR0_TS : c->cr0 & ~CR0_TS);
}

/* ---- iret ------------------------------------------------------------------ */

long do_pv_iret(struct vcpu *v, const uint64_t *a)
{
    struct cpu *c = &v->cpu;
    uint8_t b[9 * 8];
    uint64_t f[9];
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
    if ((f[5] & 3) == 3) {
        if (!v->user_l4) {
            domain_crash(v->d, "iret: guest switching to user mode with no "
                         "user page tables");
            return -XEN_EFAULT;
        }
        pv_toggle_guest_mode(v);
    }
    if (v->d->vm_assist & (1ul << VMASST_architectural_iopl))
        v->iopl = (unsigned)(f[6] >> 12) & 3;
    c->rip = f[4];
    c->r[R_SP] = f[7];
    cpu_set_rflags(c, (f[6] & ~(uint64_t)(FL_IOPL | FL_VM)) | FL_IF);
    vcpu_info_store8(v, VI_UPCALL_MASK, !(f[6] & FL_IF));
    async_exception_cleanup(v);
    c->r[R_AX] = f[0];
    v->return_pending = true;
    v->return_cs = (uint16_t)(f[5] | 3);        /* force guest privilege */
    v->return_ss = (uint16_t)(f[8] | 3);
    v->return_sysret = f[3] & VGCF_in_syscall;
    if (!v->return_sysret) {
        c->r[R_R11] = f[1];
        c->r[R_CX] = f[2];
    } else {
        c->r[R_CX] = c->rip;                 /* SYSRET */
        c->r[R_R11] = cpu_get_rflags(c);
    }
    return 0;
}

/* Xen cannot return to virtual-8086 mode: it moves the frame onto the
 * kernel stack and delivers #GP there instead (pv/iret.c compat_iret). */
static long iret32_vm86(struct vcpu *v, uint32_t eflags)
{
    struct cpu *c = &v->cpu;
    uint32_t esp = (uint32_t)c->r[R_SP], ksp = (uint32_t)v->kernel_sp - 40;
    const struct trap_entry *t = &v->trap[EXC_GP];
    struct cpu_event fault;
    uint8_t b[40];

    if (ksp != esp && (copy_from_guest(v, esp + 4, b, 36) ||
                       copy_to_guest(v, ksp + 4, b, 36))) {
        domain_crash(v->d, "iret: cannot move a virtual-8086 frame");
        return -XEN_EFAULT;
    }
    if (put_guest_u32(v, ksp, 0)) {
        domain_crash(v->d, "iret: cannot move a virtual-8086 frame");
        return -XEN_EFAULT;
    }
    if (t->flags & TI_MASK_EVENTS)
        eflags &= ~(uint32_t)FL_IF;
    cpu_set_rflags(c, (eflags & ~(uint32_t)(FL_IOPL | FL_VM | FL_RF | FL_NT |
                                            FL_TF)) | FL_IF);
    if (!cpu_load_seg(c, SEG_SS, v->kernel_ss, &fault) ||
        !(t->cs & ~3u) || !cpu_load_seg(c, SEG_CS, t->cs, &fault)) {
        domain_crash(v->d, "iret: no #GP handler for a virtual-8086 return");
        return -XEN_EFAULT;
    }
    c->r[R_SP] = ksp;
    c->rip = (uint32_t)t->address;
    vcpu_info_store8(v, VI_UPCALL_MASK, !(eflags & FL_IF));
    XEN_OBSERVE(v, .kind = XO_BOUNCE, .bounce = XB_TRAP, .vector = EXC_GP);
    async_exception_cleanup(v);
    return 0;
}

long do_pv_iret32(struct vcpu *v, const uint64_t *a)
{
    struct cpu *c = &v->cpu;
    uint32_t esp = (uint32_t)c->r[R_SP], f[6];
    uint8_t b[24];
    uint16_t cs;
    unsigned i;

    (void)a;
    hypercall_no_return(v);
    /* Xen reads the frame at the flat address ESP. */
    if (copy_from_guest(v, esp, b, 16)) {
        domain_crash(v->d, "iret: cannot read the frame at 0x%x", esp);
        return -XEN_EFAULT;
    }
    for (i = 0; i < 4; i++)
        f[i] = le32_load(b + i * 4);
    /* f: eax, eip, cs, eflags [, esp, ss] */
    c->r[R_AX] = f[0];
    if (v->d->vm_assist & (1ul << VMASST_architectural_iopl))
        v->iopl = (f[3] >> 12) & 3;
    if (f[3] & FL_VM)
        return iret32_vm86(v, f[3]);
    cs = (uint16_t)f[2];
    if ((cs & 3) == 0) {
        domain_crash(v->d, "iret to ring 0 (CS %04x)", cs);
        return -XEN_EFAULT;
    }
    v->return_pending = true;
    v->return_sysret = false;
    v->return_cs = cs;
    v->return_ss = c->seg[SEG_SS].sel;
    if ((cs & 3) == 1) {
        c->r[R_SP] = esp + 16;
    } else {
        if (copy_from_guest(v, esp + 16, b + 16, 8)) {
            v->return_pending = false;
            domain_crash(v->d, "iret: cannot read the frame at 0x%x", esp);
            return -XEN_EFAULT;
        }
        c->r[R_SP] = le32_load(b + 16);
        v->return_ss = (uint16_t)le32_load(b + 20);
    }
    c->rip = f[1];
    cpu_set_rflags(c, (f[3] & ~(uint64_t)(FL_IOPL | FL_VM)) | FL_IF);
    vcpu_info_store8(v, VI_UPCALL_MASK, !(f[3] & FL_IF));
    async_exception_cleanup(v);
    return 0;
}

void pv_far_transfer(struct vcpu *v, uint16_t cs, uint16_t ss, uint32_t eip)
{
    struct cpu *c = &v->cpu;
    uint64_t rflags = cpu_get_rflags(c) & ~(uint64_t)FL_RF;

    v->return_pending = true;
    v->return_sysret = false;
    v->return_cs = cs;
    v->return_ss = ss;
    c->rip = eip;
    cpu_set_rflags(c, rflags);
    if (rflags & FL_TF) {
        v->dr[6] |= 1u << 14;                   /* BS */
        pv_inject_exception(v, EXC_DB, false, 0);
    }
}

/* ---- the return to the guest (entry.S restore_all_guest) -------------------- */

/* SYSRETQ/SYSRETL with Xen's STAR: flat CS 0xe033 (0xe023 when the frame
 * asked for it), SS 0xe02b, whatever selectors the frame held. */
static void sysret64(struct vcpu *v)
{
    struct cpu *c = &v->cpu;

    if (v->return_cs == FLAT_RING3_CS32) {
        pv_load_flat_seg(c, SEG_CS, FLAT_RING3_CS32, 0xb, 3, false);
        c->rip = (uint32_t)c->rip;
    } else {
        pv_load_flat_seg(c, SEG_CS, FLAT_RING3_CS64, 0xb, 3, true);
    }
    pv_load_flat_seg(c, SEG_SS, FLAT_RING3_SS64, 0x3, 3, false);
    cpu_update_mode(c);
}

/* IRETQ to the pending context: its checks in the hardware's order (CS,
 * SS, then a 64-bit RIP must be canonical), and on success the data
 * selectors an outer ring may not hold become null.  False with *fault
 * when IRETQ would fault. */
static bool iretq(struct vcpu *v, struct cpu_event *fault)
{
    struct cpu *c = &v->cpu;

    if (!load_sel(v, SEG_CS, v->return_cs, fault) ||
        !load_sel(v, SEG_SS, v->return_ss, fault))
        return false;
    if (c->mode == MODE_LONG64 && !is_canonical(c->rip)) {
        *fault = (struct cpu_event){ .kind = EV_EXCEPTION,
                                     .vector = EXC_GP, .has_error = true };
        return false;
    }
    cpu_null_outer_segs(c);
    return true;
}

/* Leave Xen for the guest: events first (test_all_events), then the
 * pending iret's CS/SS.  An IRETQ that faults is, as with Xen 4.17's
 * pre-exception fixup to handle_exception, the guest's own fault at the
 * context it was returning to: RIP the target, CS/SS the frame's.  (Xen
 * would first try to emulate a privileged instruction at the target on a
 * #GP(0); xenemu delivers the #GP.) */
/* What pv_return_to_guest does before observers hear of the return. */
static void return_to_guest(struct vcpu *v)
{
    struct cpu_event fault;
    unsigned i;

    for (i = 0; i < 4 && v->d->state == DOM_RUNNING; i++) {
        if (process_nmi(v))
            continue;
        pv_check_events(v);
        if (!v->return_pending)
            return;
        if (v->return_sysret && is_canonical(v->cpu.rip)) {
            v->return_pending = false;
            sysret64(v);
            return;
        }
        if (iretq(v, &fault)) {
            v->return_pending = false;
            return;
        }
        pv_inject_exception(v, fault.vector, fault.has_error, fault.error);
    }
}

void pv_return_to_guest(struct vcpu *v)
{
    return_to_guest(v);
    XEN_OBSERVE(v, .kind = XO_RESUME);
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
        if (!is_canonical(base))
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

/* ---- debug registers (pv/misc-hypercalls.c set_debugreg) ------------------- */

#define DR6_ZEROS        0x1000u       /* bit 12 */
#define DR7_DEFAULT      0x400u
#define DR7_ZEROS        0xd800u       /* bits 11, 12, 14, 15 (no RTM) */
#define DR7_GD           (1u << 13)
#define DR7_ACTIVE_MASK  0xffu
#define DR_IO            2u

static bool breakpoint_addr_ok(const struct vcpu *v, uint64_t va)
{
    if (is_pv32(v->d))
        return true;
    return va < (1ull << 47) || va >= HYPERVISOR_VIRT_END_64;
}

long pv_set_debugreg(struct vcpu *v, unsigned reg, uint64_t val)
{
    bool de = pv_read_cr4(v) & CR4_DE;
    uint32_t io = 0;
    unsigned i;

    switch (reg) {
    case 0: case 1: case 2: case 3:
        if (!breakpoint_addr_ok(v, val) ||
            !breakpoint_addr_ok(v, val + 7))
            return -XEN_EPERM;
        v->dr[reg] = val;
        v->cpu.dr[reg] = val;
        return 0;
    case 4:
        if (de)
            return -XEN_ENODEV;
        /* fall through */
    case 6:
        if (val >> 32)
            return -XEN_EINVAL;
        v->dr[6] = (val | DR6_DEFAULT) & ~(uint64_t)DR6_ZEROS;
        v->cpu.dr[6] = v->dr[6];
        return 0;
    case 5:
        if (de)
            return -XEN_ENODEV;
        /* fall through */
    case 7:
        if (val >> 32)
            return -XEN_EINVAL;
        val = (val & ~(uint64_t)DR7_ZEROS) | DR7_DEFAULT;
        if (val & DR7_GD)
            return -XEN_EPERM;
        if (val & DR7_ACTIVE_MASK)
            for (i = 0; i < 4; i++)
                if (((val >> (16 + 4 * i)) & 3) == DR_IO) {
                    if (!de)
                        return -XEN_EPERM;
                    io |= (uint32_t)val & (3u << (2 * i));
                }
        v->dr7_emul = io;
        v->dr[7] = val & ~(uint64_t)io;
        v->cpu.dr[7] = v->dr[7];
        return 0;
    default:
        return -XEN_ENODEV;
    }
}

long pv_get_debugreg(struct vcpu *v, unsigned reg, uint64_t *val)
{
    bool de = pv_read_cr4(v) & CR4_DE;

    switch (reg) {
    case 0: case 1: case 2: case 3: case 6:
        *val = v->dr[reg];
        return 0;
    case 7:
        *val = v->dr[7] | v->dr7_emul;
        return 0;
    case 4:
        if (de)
            return -XEN_ENODEV;
        *val = v->dr[6];
        return 0;
    case 5:
        if (de)
            return -XEN_ENODEV;
        *val = v->dr[7] | v->dr7_emul;
        return 0;
    default:
        return -XEN_ENODEV;
    }
}

long do_set_debugreg(struct vcpu *v, const uint64_t *a)
{
    return pv_set_debugreg(v, (unsigned)a[0], a[1]);
}

long do_get_debugreg(struct vcpu *v, const uint64_t *a)
{
    uint64_t val;
    long r = pv_get_debugreg(v, (unsigned)a[0], &val);

    return r ? r : (long)val;
}
