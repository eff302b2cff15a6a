/*
 * Exceptions and soft interrupts of a PV guest as its handlers see them:
 * Xen's bounce frame (x86_64/entry.S create_bounce_frame, compat/entry.S),
 * trap_info DPL checks, int $0x80, and the iret hypercall back.
 */
#include "pvrt.h"

#ifdef __x86_64__
#define KCS 0xe033ul
#define MASK_SHIFT 32
#else
#define KCS 0xe019ul
#define MASK_SHIFT 16
#endif
#define FL_TF 0x100ul
#define FL_IF 0x200ul

extern char de_insn[], ud_insn[], bp_next[], icebp_next[], gp_insn[],
            hlt_insn[], pf_insn[], nm_insn[], int40_insn[], int40_next[],
            int80_next[], tf_after[];

static volatile unsigned long zero;

static void show(const char *what, int vec, const struct pv_trap *t,
                 const char *ip_label, const char *ip_at)
{
    printf("%-12s vector %d error %#lx cs %#lx mask %lu IF %lu TF %lu ip %s\n",
           what, vec, t->error, t->cs & 0xffff,
           (t->cs >> MASK_SHIFT) & 0xff, (t->flags & FL_IF) >> 9,
           (t->flags & FL_TF) >> 8,
           (unsigned long)ip_at == t->ip ? ip_label : "WRONG");
}

static void do_de(void)
{
    unsigned long a = 1, d = 0;
    __asm__ volatile("de_insn: div %2" : "+a"(a), "+d"(d) : "r"(zero));
}
static void do_ud(void) { __asm__ volatile("ud_insn: ud2"); }
static void do_bp(void) { __asm__ volatile("int3\nbp_next:"); }
static void do_icebp(void) { __asm__ volatile(".byte 0xf1\nicebp_next:"); }
static void do_gp(void)
{
    __asm__ volatile("mov $0x1230, %%ax\ngp_insn: mov %%ax, %%ds" ::: "ax");
}
static void do_hlt(void) { __asm__ volatile("hlt_insn: hlt"); }
static void do_pf_read(void)
{
    __asm__ volatile("pf_insn: mov 0x10000000, %%eax" ::: "ax");
}
static void do_pf_write(void) { *(volatile int *)0x10000008 = 1; }
static void do_nm(void) { __asm__ volatile("nm_insn: fnop"); }
static void do_int40(void)
{
    __asm__ volatile("int40_insn: int $0x40\nint40_next:");
}
static void do_int80(void) { __asm__ volatile("int $0x80\nint80_next:"); }
static void do_tf(void)
{
#ifdef __x86_64__
    __asm__ volatile("pushf; orl $0x100, (%%rsp); popf; nop\ntf_after:"
                     ::: "memory");
#else
    __asm__ volatile("pushf; orl $0x100, (%%esp); popf; nop\ntf_after:"
                     ::: "memory");
#endif
}

/* A handler that resumes after the faulting ud2 through the iret
 * hypercall. */
static unsigned long resumed_cs, resumed_sp_ok;
static void skip_ud2(struct pv_frame *f, struct pv_trap *t)
{
    (void)f;
    resumed_cs = t->cs;
    t->ip += 2;
}

static void frame_checks(void)
{
    struct pv_trap t;
    unsigned long sp;

    /* Kernel-mode bounce: Xen pushes on the current stack (64-bit: after
     * aligning it to 16). */
    pv_try(do_ud, &t);
    sp = t.frame + t.frame_words * sizeof(long);
#ifdef __x86_64__
    printf("frame: %u words, ends %s the aligned interrupted rsp, ss %#lx, "
           "rcx/r11 kept %s\n", t.frame_words,
           sp == (t.sp & ~15ul) ? "at" : "NOT at", t.ss,
           t.r11 != 0 ? "yes" : "no");
#else
    printf("frame: %u words (no ESP/SS from ring 1)\n", t.frame_words);
    (void)sp;
#endif
    pv_set_handler(6, skip_ud2);
    __asm__ volatile("ud2");
    pv_set_handler(6, 0);
    resumed_sp_ok = 1;
    printf("resumed after ud2 through the iret hypercall (cs %#lx)\n",
           resumed_cs & 0xffff);
}

int main(void)
{
    struct pv_trap t;
    int v;
    long r;

    printf("trap_init %ld\n", pv_trap_init());
    frame_checks();

    v = pv_try(do_de, &t);      show("#DE", v, &t, "de_insn", de_insn);
    v = pv_try(do_ud, &t);      show("#UD", v, &t, "ud_insn", ud_insn);
    v = pv_try(do_bp, &t);      show("int3", v, &t, "bp_next", bp_next);
    v = pv_try(do_icebp, &t);   show("icebp", v, &t, "icebp_next", icebp_next);
    printf("dr6 after icebp %#lx\n",
           HYPERCALL(__HYPERVISOR_get_debugreg, 6, 0, 0));
    v = pv_try(do_tf, &t);      show("TF", v, &t, "tf_after", tf_after);
    printf("dr6 after single step %#lx\n",
           HYPERCALL(__HYPERVISOR_get_debugreg, 6, 0, 0));
    HYPERCALL(__HYPERVISOR_set_debugreg, 6, 0xffff0ff0, 0);
    v = pv_try(do_gp, &t);      show("#GP sel", v, &t, "gp_insn", gp_insn);
    v = pv_try(do_hlt, &t);     show("#GP hlt", v, &t, "hlt_insn", hlt_insn);
    v = pv_try(do_pf_read, &t); show("#PF read", v, &t, "pf_insn", pf_insn);
    printf("cr2 %#lx\n", (unsigned long)read_cr2());
    v = pv_try(do_pf_write, &t);
    printf("#PF write   vector %d error %#lx cr2 %#lx\n", v, t.error,
           (unsigned long)read_cr2());

    /* #NM under the virtual CR0.TS, which Xen clears as it delivers it. */
    HYPERCALL(__HYPERVISOR_fpu_taskswitch, 1, 0, 0);
    v = pv_try(do_nm, &t);      show("#NM", v, &t, "nm_insn", nm_insn);
    {
        unsigned long cr0;
        __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
        printf("cr0 after #NM %#lx\n", cr0);
    }

    /* INT n: trap_info DPL must allow the guest kernel (>= 1). */
    v = pv_try(do_int40, &t);
    show("int 0x40", v, &t, "int40_insn", int40_insn);
    pv_set_trap(0x40, 0);
    v = pv_try(do_int40, &t);
    show("int 0x40 d0", v, &t, "int40_insn", int40_insn);
    pv_set_trap(0x40, 1);
    v = pv_try(do_int40, &t);
    show("int 0x40 d1", v, &t, "int40_next", int40_next);
    pv_set_trap(0x80, 0);
    v = pv_try(do_int80, &t);
    show("int 0x80 d0", v, &t, "int80_next", int80_next);

    /* Event masking through trap_info flags bit 2 shows in the next frame's
     * saved mask only once events were unmasked: they never are here, so
     * the saved mask stays 1 and IF 0 throughout. */
    r = pv_set_trap(6, 4);
    v = pv_try(do_ud, &t);
    show("#UD masked", v, &t, "ud_insn", ud_insn);
    (void)r;
    return 0;
}
