/*
 * The CPU's system architecture: event delivery (real, protected and long
 * mode), privilege changes, call gates, SYSCALL/SYSENTER, segment loads,
 * control registers and MSRs, port-I/O permission, double and triple
 * faults, and ring-0 exits.  Machines come from cpu-harness.h; code bytes
 * are hand-assembled.  Debug registers: test-cpu-debug.c.
 */
#include <string.h>

#include "cpu/cpu.h"
#include "cpu-harness.h"
#include "unit.h"

static struct harness h;
static struct cpu *c;

static void setup(enum h_mode m)
{
    CU_ASSERT_FATAL(h_init(&h, m) == 0);
    c = &h.cpu;
}

static void teardown(void)
{
    h_destroy(&h);
}

/* Run until the machine stops; expect an exit (ring0_exits) or a halt. */
static void run_exit(void)
{
    c->ring0_exits = true;
    CU_ASSERT_EQUAL(h_run(&h, 1000), STOP_REQUEST);
    CU_ASSERT_EQUAL(h.nexits, 1);
}

static bool zf(void)
{
    return cpu_get_rflags(c) & FL_ZF;
}

/* ---- protected mode delivery ------------------------------------------- */

static void test_prot_fault_same_ring(void)
{
    setup(H_PROT32);
    H_CODE_AT(&h, H_CODE, 0x0f, 0x0b);                  /* ud2 */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_UD);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 12);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), H_CODE);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 4), H_KCS32);
    CU_ASSERT_EQUAL(h_stack(&h, 2, 4), 0x10002);        /* RF: a fault */
    CU_ASSERT_EQUAL(c->cpl, 0);
    teardown();
}

static void test_prot_user_gp_stack_switch(void)
{
    setup(H_PROT32);
    h_to_user(&h, H_UCODE, H_USTACK);
    cpu_set_rflags(c, 0x202);
    H_CODE_AT(&h, H_UCODE, 0xfa);                      /* cli: IOPL 0 */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_GP);
    CU_ASSERT_EQUAL(c->cpl, 0);
    CU_ASSERT_EQUAL(c->seg[SEG_CS].sel, H_KCS32);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, H_KDS);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 24);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), 0);             /* error code */
    CU_ASSERT_EQUAL(h_stack(&h, 1, 4), H_UCODE);
    CU_ASSERT_EQUAL(h_stack(&h, 2, 4), H_UCS32);
    CU_ASSERT_EQUAL(h_stack(&h, 3, 4), 0x10202);
    CU_ASSERT_EQUAL(h_stack(&h, 4, 4), H_USTACK);
    CU_ASSERT_EQUAL(h_stack(&h, 5, 4), H_UDS);
    CU_ASSERT_FALSE(c->rflags & FL_IF);                /* interrupt gate */
    teardown();
}

static void test_prot_int_gate_dpl(void)
{
    setup(H_PROT32);
    h_gate(&h, 0x80, H_KCS32, H_HANDLERS + 8 * 0x80, 0xf, 3, 0);
    h_to_user(&h, H_UCODE, H_USTACK);
    cpu_set_rflags(c, 0x202);
    H_CODE_AT(&h, H_UCODE, 0xcd, 0x80);                /* int 0x80 */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x80);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), H_UCODE + 2);   /* next insn */
    CU_ASSERT_EQUAL(h_stack(&h, 2, 4), 0x202);         /* no RF */
    CU_ASSERT_TRUE(c->rflags & FL_IF);                 /* trap gate */
    teardown();

    setup(H_PROT32);                                   /* gate DPL 0 */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xcd, 0x81);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_GP);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), 0x81 * 8 + 2);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 4), H_UCODE);       /* the INT itself */
    teardown();
}

static void test_prot_iret_to_user_and_back(void)
{
    setup(H_PROT32);
    h_gate(&h, 0x80, H_KCS32, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    H_CODE_AT(&h, H_CODE,
              0x68, H_UDS, 0, 0, 0,                    /* push ss */
              0x68, 0x00, 0x00, 0x04, 0x00,            /* push esp */
              0x68, 0x02, 0x02, 0x00, 0x00,            /* push eflags */
              0x68, H_UCS32, 0, 0, 0,                  /* push cs */
              0x68, 0x00, 0x00, 0x02, 0x00,            /* push eip */
              0xcf);                                   /* iret */
    H_CODE_AT(&h, H_UCODE, 0xcd, 0x80);
    CU_ASSERT_EQUAL(h_run(&h, 6), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->rip, H_UCODE);
    CU_ASSERT_EQUAL(c->r[R_SP], H_USTACK);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, H_UDS);
    CU_ASSERT_EQUAL(c->seg[SEG_DS].sel, 0);           /* DPL 0 data: nulled */
    CU_ASSERT_TRUE(c->rflags & FL_IF);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x80);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 20);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), H_UCODE + 2);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 4), H_UCS32);
    CU_ASSERT_EQUAL(h_stack(&h, 3, 4), H_USTACK);
    CU_ASSERT_EQUAL(h_stack(&h, 4, 4), H_UDS);
    teardown();
}

/* IRET to the same ring pops no stack; bad CS RPL < CPL is #GP(sel). */
static void test_prot_iret_checks(void)
{
    setup(H_PROT32);
    H_CODE_AT(&h, H_CODE,
              0x6a, 0x02,                              /* push 2 */
              0x6a, H_KCS32,                           /* push cs */
              0x68, 0x20, 0x01, 0x01, 0x00,            /* push 0x10120 */
              0xcf);
    H_CODE_AT(&h, H_CODE + 0x120, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x121);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK);
    teardown();

    setup(H_PROT32);                       /* from ring 3 to ring 0 */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE,
              0x6a, 0x02, 0x6a, H_KCS32, 0x6a, 0x00, 0xcf);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.error, H_KCS32);
    CU_ASSERT_EQUAL(h.ev.rip, H_UCODE + 6);
    teardown();
}

/* ---- long mode delivery ------------------------------------------------ */

static void test_long_user_gp_frame(void)
{
    setup(H_LONG64);
    h_store(&h, H_TSS + 4, 8, H_KSTACK - 8);           /* RSP0, unaligned */
    h_to_user(&h, H_UCODE, H_USTACK - 8);
    cpu_set_rflags(c, 0x202);
    H_CODE_AT(&h, H_UCODE, 0xfa);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_GP);
    CU_ASSERT_EQUAL(c->mode, MODE_LONG64);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 16 - 48);   /* aligned to 16 */
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), 0);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 8), H_UCODE);
    CU_ASSERT_EQUAL(h_stack(&h, 2, 8), H_UCS64);
    CU_ASSERT_EQUAL(h_stack(&h, 3, 8), 0x10202);
    CU_ASSERT_EQUAL(h_stack(&h, 4, 8), H_USTACK - 8);
    CU_ASSERT_EQUAL(h_stack(&h, 5, 8), H_UDS);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, 0);            /* null, RPL 0 */
    CU_ASSERT_EQUAL(c->seg[SEG_CS].sel, H_KCS64);
    teardown();
}

static void test_long_ist(void)
{
    setup(H_LONG64);
    h_gate(&h, EXC_UD, H_KCS64, H_HANDLERS + 8 * EXC_UD, 0xe, 0, 1);
    c->r[R_SP] = H_KSTACK - 0x100;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x0b);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_UD);
    CU_ASSERT_EQUAL(c->r[R_SP], H_ISTACK - 40);        /* IST even at CPL 0 */
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), H_CODE);
    CU_ASSERT_EQUAL(h_stack(&h, 3, 8), H_KSTACK - 0x100);
    CU_ASSERT_EQUAL(h_stack(&h, 4, 8), H_KDS);
    teardown();
}

static void test_long_gate_checks(void)
{
    setup(H_LONG64);                       /* 32-bit gate type in long mode */
    h_store(&h, H_IDT + 16 * 0x40 + 5, 1, 0x8c);
    H_CODE_AT(&h, H_CODE, 0xcd, 0x40);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_GP);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), 0x40 * 8 + 2);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 8), H_CODE);
    teardown();

    setup(H_LONG64);                       /* not present: #NP, EXT = 1 */
    h_store(&h, H_IDT + 16 * EXC_UD + 5, 1, 0x0e);
    H_CODE_AT(&h, H_CODE, 0x0f, 0x0b);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_NP);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), EXC_UD * 8 + 3);
    teardown();

    setup(H_LONG64);                       /* beyond the IDT limit */
    c->idtr.limit = 16 * 0x30 - 1;
    H_CODE_AT(&h, H_CODE, 0xcd, 0x30);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_GP);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), 0x30 * 8 + 2);
    teardown();
}

static void test_long_iretq_user_and_compat(void)
{
    setup(H_LONG64);
    h_gate(&h, 0x80, H_KCS64, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    H_CODE_AT(&h, H_CODE,
              0x6a, H_UDS,                             /* push ss */
              0x68, 0x00, 0x00, 0x04, 0x00,            /* push rsp */
              0x68, 0x02, 0x02, 0x00, 0x00,            /* push rflags */
              0x6a, H_UCS64,                           /* push cs */
              0x68, 0x00, 0x00, 0x02, 0x00,            /* push rip */
              0x48, 0xcf);                             /* iretq */
    H_CODE_AT(&h, H_UCODE, 0xcd, 0x80);
    CU_ASSERT_EQUAL(h_run(&h, 6), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->mode, MODE_LONG64);
    CU_ASSERT_EQUAL(c->r[R_SP], H_USTACK);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x80);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 40);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), H_UCODE + 2);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 8), H_UCS64);
    CU_ASSERT_EQUAL(h_stack(&h, 3, 8), H_USTACK);
    teardown();

    setup(H_LONG64);                       /* IRETQ to compatibility mode */
    H_CODE_AT(&h, H_CODE,
              0x6a, H_UDS, 0x68, 0x00, 0x00, 0x04, 0x00,
              0x68, 0x02, 0x00, 0x00, 0x00, 0x6a, H_UCS32,
              0x68, 0x00, 0x00, 0x02, 0x00, 0x48, 0xcf);
    CU_ASSERT_EQUAL(h_run(&h, 6), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->mode, MODE_COMPAT32);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->rip, H_UCODE);
    teardown();

    setup(H_LONG64);                       /* non-canonical RIP: #GP(0) */
    H_CODE_AT(&h, H_CODE,
              0x6a, H_KDS, 0x68, 0x00, 0x00, 0x04, 0x00,
              0x6a, 0x02, 0x6a, H_KCS64,
              0x48, 0xb8, 0, 0, 0, 0, 0, 0x80, 0, 0,   /* mov rax, 1<<47 */
              0x50, 0x48, 0xcf);                       /* push rax; iretq */
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.error, 0);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE + 22);
    teardown();
}

static void test_long_page_fault(void)
{
    setup(H_LONG64);
    h_store(&h, H_PD + 8 * 2, 8, 0);                   /* 4-6 MiB absent */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE,
              0xa3, 0x10, 0x00, 0x40, 0, 0, 0, 0, 0);  /* mov [0x400010], eax */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_PF);
    CU_ASSERT_EQUAL(c->cr2, 0x400010);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), PFEC_W | PFEC_U);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 8), H_UCODE);
    teardown();
}

/* ---- real mode ---------------------------------------------------------- */

static void test_real_int_and_iret(void)
{
    setup(H_REAL);
    cpu_set_rflags(c, 0x202);
    H_CODE_AT(&h, H_CODE, 0xcd, 0x10);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x10);
    CU_ASSERT_EQUAL(c->r[R_SP], 0xfff0 - 6);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 2), 2);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 2), H_CODE >> 4);
    CU_ASSERT_EQUAL(h_stack(&h, 2, 2), 0x202);
    CU_ASSERT_FALSE(c->rflags & FL_IF);
    teardown();

    setup(H_REAL);
    cpu_set_rflags(c, 0x202);
    h_store(&h, H_HANDLERS + 8 * 0x10, 1, 0xcf);       /* handler: iret */
    H_CODE_AT(&h, H_CODE, 0xcd, 0x10, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->rip, 3);
    CU_ASSERT_EQUAL(c->seg[SEG_CS].base, H_CODE);
    CU_ASSERT_EQUAL(c->r[R_SP], 0xfff0);
    CU_ASSERT_TRUE(c->rflags & FL_IF);
    teardown();
}

/* ---- call gates --------------------------------------------------------- */

static void test_call_gate32_inner_and_retf(void)
{
    setup(H_PROT32);
    h_call_gate(&h, H_FREE, H_KCS32, H_CODE + 0x200, 0xc, 3, 2);
    h_gate(&h, 0x80, H_KCS32, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE,
              0x68, 0x11, 0x11, 0x11, 0x11,
              0x68, 0x22, 0x22, 0x22, 0x22,
              0x9a, 0, 0, 0, 0, H_FREE | 3, 0,         /* lcall gate */
              0xcd, 0x80);
    H_CODE_AT(&h, H_CODE + 0x200, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x201);
    CU_ASSERT_EQUAL(c->cpl, 0);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 24);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), H_UCODE + 17);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 4), H_UCS32);
    CU_ASSERT_EQUAL(h_stack(&h, 2, 4), 0x22222222);
    CU_ASSERT_EQUAL(h_stack(&h, 3, 4), 0x11111111);
    CU_ASSERT_EQUAL(h_stack(&h, 4, 4), H_USTACK - 8);
    CU_ASSERT_EQUAL(h_stack(&h, 5, 4), H_UDS);

    /* RETF 8 returns to ring 3 and drops the parameters. */
    c->halted = false;
    H_CODE_AT(&h, H_CODE + 0x200, 0xca, 0x08, 0x00);
    c->rip = H_CODE + 0x200;
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x80);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 4), H_UCS32);
    CU_ASSERT_EQUAL(h_stack(&h, 3, 4), H_USTACK);
    teardown();
}

/* RETF to ring 3 nulls a DS of DPL 0, and a DS access then faults: the
 * flat-segment fast path must forget the nulled register. */
static void test_retf_outer_nulls_ds(void)
{
    setup(H_PROT32);
    h_load_seg(&h, SEG_DS, H_KDS);
    h_gate(&h, 0x80, H_KCS32, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    /* mov eax, [DATA] (DS fast path warmed up), push user ss, esp, cs,
     * eip; retf */
    H_CODE_AT(&h, H_CODE, 0xa1, 0x00, 0x00, 0x05, 0x00,
              0x6a, H_UDS, 0x68, 0x00, 0x00, 0x04, 0x00,
              0x6a, H_UCS32, 0x68, 0x00, 0x00, 0x02, 0x00, 0xcb);
    H_CODE_AT(&h, H_UCODE, 0xa1, 0x00, 0x00, 0x05, 0x00,    /* mov eax,[] */
              0xcd, 0x80);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->seg[SEG_DS].sel, 0);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_GP);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), 0);            /* error code */
    CU_ASSERT_EQUAL(h_stack(&h, 1, 4), H_UCODE);      /* at the mov */
    teardown();
}

static void test_call_gate_checks(void)
{
    setup(H_PROT32);                       /* gate DPL 0 from ring 3 */
    h_call_gate(&h, H_FREE, H_KCS32, H_CODE, 0xc, 0, 0);
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x9a, 0, 0, 0, 0, H_FREE | 3, 0);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.error, H_FREE);
    teardown();

    setup(H_PROT32);                       /* JMP through a gate to ring 0 */
    h_call_gate(&h, H_FREE, H_KCS32, H_CODE, 0xc, 3, 0);
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xea, 0, 0, 0, 0, H_FREE | 3, 0);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.error, H_KCS32 & ~3);
    teardown();
}

static void test_call_gate64(void)
{
    setup(H_LONG64);
    h_call_gate(&h, 0x68, H_KCS64, H_CODE + 0x200, 0xc, 3, 0);
    h_store(&h, H_DATA, 4, 0);
    h_store(&h, H_DATA + 4, 2, 0x6b);
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xff, 0x1c, 0x25, 0x00, 0x00, 0x05, 0x00);
    H_CODE_AT(&h, H_CODE + 0x200, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x201);
    CU_ASSERT_EQUAL(c->cpl, 0);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, 0);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 32);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 8), H_UCODE + 7);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 8), H_UCS64);
    CU_ASSERT_EQUAL(h_stack(&h, 2, 8), H_USTACK);
    CU_ASSERT_EQUAL(h_stack(&h, 3, 8), H_UDS);
    teardown();
}

static void test_far_jmp_modes(void)
{
    setup(H_LONG64);
    h_store(&h, H_DATA, 4, H_CODE + 0x300);
    h_store(&h, H_DATA + 4, 2, H_KCS32);
    H_CODE_AT(&h, H_CODE, 0xff, 0x2c, 0x25, 0x00, 0x00, 0x05, 0x00);
    H_CODE_AT(&h, H_CODE + 0x300,
              0xea, 0x00, 0x04, 0x01, 0x00, H_KCS64, 0x00);
    H_CODE_AT(&h, H_CODE + 0x400, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->mode, MODE_COMPAT32);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x300);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->mode, MODE_LONG64);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x401);
    teardown();
}

/* ---- SYSCALL and SYSENTER ------------------------------------------------ */

static void syscall_msrs(void)
{
    c->star = (uint64_t)(H_UCS32 & ~3) << 48 | (uint64_t)H_KCS64 << 32;
    c->lstar = H_CODE + 0x100;
    c->sfmask = FL_IF | FL_TF;
}

static void test_syscall_sysret64(void)
{
    setup(H_LONG64);
    syscall_msrs();
    h_gate(&h, 0x80, H_KCS64, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    h_to_user(&h, H_UCODE, H_USTACK);
    cpu_set_rflags(c, 0x203);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x05, 0xcd, 0x80);
    H_CODE_AT(&h, H_CODE + 0x100, 0x48, 0x0f, 0x07);
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->cpl, 0);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x100);
    CU_ASSERT_EQUAL(c->seg[SEG_CS].sel, H_KCS64);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, H_KDS);
    CU_ASSERT_EQUAL(c->r[R_CX], H_UCODE + 2);
    CU_ASSERT_EQUAL(c->r[R_R11], 0x203);
    CU_ASSERT_FALSE(c->rflags & FL_IF);
    CU_ASSERT_EQUAL(c->r[R_SP], H_USTACK);             /* unchanged */
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->seg[SEG_CS].sel, H_UCS64);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, H_UDS);
    CU_ASSERT_EQUAL(c->rip, H_UCODE + 2);
    CU_ASSERT_EQUAL(cpu_get_rflags(c), 0x203);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x80);
    teardown();
}

static void test_sysret_compat_and_noncanonical(void)
{
    setup(H_LONG64);
    syscall_msrs();
    c->r[R_CX] = H_UCODE;
    c->r[R_R11] = 0x202;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x07);                 /* sysretl */
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->mode, MODE_COMPAT32);
    CU_ASSERT_EQUAL(c->seg[SEG_CS].sel, H_UCS32);
    CU_ASSERT_EQUAL(c->rip, H_UCODE);
    teardown();

    /* AMD: the return completes, then the fetch faults at CPL 3. */
    setup(H_LONG64);
    syscall_msrs();
    c->r[R_CX] = 1ull << 47;
    c->r[R_R11] = 0x202;
    c->r[R_SP] = H_USTACK;
    H_CODE_AT(&h, H_CODE, 0x48, 0x0f, 0x07);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_GP);
    CU_ASSERT_EQUAL(h_stack(&h, 1, 8), 1ull << 47);
    CU_ASSERT_EQUAL(h_stack(&h, 2, 8), H_UCS64);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 48);
    teardown();

    setup(H_LONG64);                       /* SYSRET at CPL 3: #GP */
    syscall_msrs();
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x48, 0x0f, 0x07);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    teardown();

    setup(H_LONG64);                       /* SYSCALL without EFER.SCE */
    c->efer &= ~EFER_SCE;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x05);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_UD);
    teardown();
}

static void test_syscall_legacy_amd(void)
{
    setup(H_PROT32);
    c->efer |= EFER_SCE;
    c->star = (uint64_t)(H_UCS32 & ~3) << 48 | (uint64_t)H_KCS32 << 32 |
              (H_CODE + 0x100);
    h_to_user(&h, H_UCODE, H_USTACK);
    cpu_set_rflags(c, 0x202);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x05);
    H_CODE_AT(&h, H_CODE + 0x100, 0x0f, 0x07);
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->cpl, 0);
    CU_ASSERT_EQUAL(c->mode, MODE_PROT32);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x100);
    CU_ASSERT_EQUAL(c->r[R_CX], H_UCODE + 2);
    CU_ASSERT_FALSE(c->rflags & FL_IF);
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->seg[SEG_CS].sel, H_UCS32);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, H_UDS);
    CU_ASSERT_EQUAL(c->rip, H_UCODE + 2);
    CU_ASSERT_TRUE(c->rflags & FL_IF);
    teardown();
}

static void test_sysenter_sysexit(void)
{
    setup(H_PROT32);
    c->sysenter_cs = H_KCS32;
    c->sysenter_esp = H_KSTACK - 0x40;
    c->sysenter_eip = H_CODE + 0x100;
    h_to_user(&h, H_UCODE, H_USTACK);
    cpu_set_rflags(c, 0x202);
    c->r[R_DX] = H_UCODE + 0x10;
    c->r[R_CX] = H_USTACK - 0x10;
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x34);
    H_CODE_AT(&h, H_CODE + 0x100, 0x0f, 0x35);
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->cpl, 0);
    CU_ASSERT_EQUAL(c->seg[SEG_CS].sel, H_KCS32);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, H_KCS32 + 8);
    CU_ASSERT_EQUAL(c->r[R_SP], H_KSTACK - 0x40);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x100);
    CU_ASSERT_FALSE(c->rflags & FL_IF);
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->seg[SEG_CS].sel, (H_KCS32 + 16) | 3);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, (H_KCS32 + 24) | 3);
    CU_ASSERT_EQUAL(c->rip, H_UCODE + 0x10);
    CU_ASSERT_EQUAL(c->r[R_SP], H_USTACK - 0x10);
    teardown();

    setup(H_LONG64);                       /* AMD: #UD in long mode */
    c->sysenter_cs = H_KCS64;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x34);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_UD);
    teardown();

    setup(H_PROT32);                       /* SYSENTER_CS null: #GP(0) */
    H_CODE_AT(&h, H_CODE, 0x0f, 0x34);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    teardown();
}

/* ---- segment loads ------------------------------------------------------ */

/* mov <sreg>, ax with ax = sel: the exit it causes (vector, error). */
static void seg_load_case(uint8_t modrm, uint16_t sel, bool user, int vec,
                          uint32_t err)
{
    setup(H_PROT32);
    h_gdt_set(&h, 0x68, h_desc(0, 0xfffff, 0x13, 0xc));  /* absent data */
    h_gdt_set(&h, 0x70, h_desc(0, 0xfffff, 0x98, 0xc));  /* code, no read */
    if (user)
        h_to_user(&h, H_UCODE, H_USTACK);
    c->r[R_AX] = sel;
    H_CODE_AT(&h, user ? H_UCODE : H_CODE, 0x8e, modrm, 0xf4);
    c->ring0_exits = true;
    enum cpu_stop why = h_run(&h, 100);
    if (vec < 0) {
        CU_ASSERT_EQUAL(h.nexits, user ? 1 : 0);     /* HLT at CPL 3: #GP */
        CU_ASSERT_TRUE(user || why == STOP_HLT);
    } else {
        CU_ASSERT_EQUAL(why, STOP_REQUEST);
        CU_ASSERT_EQUAL(h.ev.vector, vec);
        CU_ASSERT_EQUAL(h.ev.error, err);
        CU_ASSERT_TRUE(h.ev.has_error || vec == EXC_UD);
    }
    teardown();
}

static void test_seg_load_faults(void)
{
    seg_load_case(0xd8, 0, false, -1, 0);                 /* null DS */
    seg_load_case(0xd8, 0x1000, false, EXC_GP, 0x1000);   /* beyond GDT */
    seg_load_case(0xd8, 0x68, false, EXC_NP, 0x68);       /* absent */
    seg_load_case(0xd8, 0x70, false, EXC_GP, 0x70);       /* exec-only */
    seg_load_case(0xd8, H_KDS, true, EXC_GP, H_KDS);      /* DPL < CPL */
    seg_load_case(0xd8, 0x0c, false, EXC_GP, 0x0c);       /* no LDT */
    seg_load_case(0xd8, H_KCS32, false, -1, 0);           /* readable code */
    seg_load_case(0xd0, 0, false, EXC_GP, 0);             /* null SS */
    seg_load_case(0xd0, H_UDS, false, EXC_GP, H_UDS & ~3);/* RPL != CPL */
    seg_load_case(0xd0, H_KCS32, false, EXC_GP, H_KCS32); /* code as SS */
    seg_load_case(0xd0, 0x68, false, EXC_SS, 0x68);       /* absent SS */
    seg_load_case(0xc8, H_KCS32, false, EXC_UD, 0);       /* mov cs */
}

static void test_seg_load_sets_accessed(void)
{
    setup(H_PROT32);
    h_gdt_set(&h, 0x68, h_desc(0x1234, 0xff, 0x92, 0x4));
    c->r[R_AX] = 0x68;
    H_CODE_AT(&h, H_CODE, 0x8e, 0xc0, 0xf4);              /* mov es, ax */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_load(&h, H_GDT + 0x68 + 5, 1), 0x93);
    CU_ASSERT_EQUAL(c->seg[SEG_ES].base, 0x1234);
    CU_ASSERT_EQUAL(c->seg[SEG_ES].limit, 0xff);
    teardown();
}

/* MOV SS blocks interrupts for one instruction. */
static int irq_vector = -1;
static int ack_irq(void *opaque, struct cpu *cc)
{
    (void)opaque;
    cc->irq_pending = false;
    return irq_vector;
}

static void test_mov_ss_shadow_and_sti(void)
{
    setup(H_PROT32);
    c->hooks.ack_irq = ack_irq;
    irq_vector = 0x30;
    cpu_set_rflags(c, 0x202);
    c->r[R_AX] = H_KDS;
    H_CODE_AT(&h, H_CODE, 0x8e, 0xd0, 0x90, 0x90);   /* mov ss, ax; nop */
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    c->irq_pending = true;
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x30);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), H_CODE + 3);   /* after the nop */
    teardown();

    setup(H_PROT32);
    c->hooks.ack_irq = ack_irq;
    c->irq_pending = true;
    H_CODE_AT(&h, H_CODE, 0xfb, 0x90, 0x90);          /* sti; nop; nop */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x30);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), H_CODE + 2);   /* after sti; nop */
    teardown();
}

/* ---- descriptor tables and LAR/LSL/VERR/VERW ---------------------------- */

static void test_descriptor_table_insns(void)
{
    setup(H_PROT32);
    h_gdt_set(&h, 0x68, h_desc(H_DATA + 0x800, 0x67, 0x89, 0));
    h_store(&h, H_DATA + 0x10, 2, 0x7f);
    h_store(&h, H_DATA + 0x12, 4, H_GDT);
    c->r[R_AX] = 0x68;
    H_CODE_AT(&h, H_CODE,
              0x0f, 0x01, 0x05, 0x00, 0x00, 0x05, 0x00,   /* sgdt [H_DATA] */
              0x0f, 0x00, 0xd8,                           /* ltr ax */
              0x0f, 0x01, 0x15, 0x10, 0x00, 0x05, 0x00,   /* lgdt [+0x10] */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA, 2), 32 * 8 - 1);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA + 2, 4), H_GDT);
    CU_ASSERT_EQUAL(c->tr.sel, 0x68);
    CU_ASSERT_EQUAL(c->tr.base, H_DATA + 0x800);
    CU_ASSERT_EQUAL(h_load(&h, H_GDT + 0x68 + 5, 1), 0x8b);  /* busy */
    CU_ASSERT_EQUAL(c->gdtr.limit, 0x7f);
    teardown();

    setup(H_PROT32);                       /* LTR of a busy TSS */
    c->r[R_AX] = H_TSS_SEL;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x00, 0xd8);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.error, H_TSS_SEL);
    teardown();
}

static void test_lar_lsl_verr_verw(void)
{
    setup(H_PROT32);
    c->r[R_CX] = H_UCS32;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x02, 0xc1, 0xf4);        /* lar eax, ecx */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_TRUE(zf());
    CU_ASSERT_EQUAL(c->r[R_AX], 0x00c0fb00);
    teardown();

    setup(H_PROT32);
    c->r[R_CX] = H_UDS;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x03, 0xc1, 0xf4);        /* lsl eax, ecx */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_TRUE(zf());
    CU_ASSERT_EQUAL(c->r[R_AX], 0xffffffffu);
    teardown();

    setup(H_PROT32);                       /* from ring 3: DPL 0 invisible */
    h_to_user(&h, H_UCODE, H_USTACK);
    c->r[R_AX] = 0x1234;
    c->r[R_CX] = H_KDS;
    cpu_set_rflags(c, 2 | FL_ZF);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x02, 0xc1, 0xcd, 0x80);
    h_gate(&h, 0x80, H_KCS32, H_HANDLERS + 8 * 0x80, 0xe, 3, 0);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_FALSE(h_stack(&h, 2, 4) & FL_ZF);
    CU_ASSERT_EQUAL(c->r[R_AX], 0x1234);
    teardown();

    setup(H_PROT32);
    c->r[R_CX] = H_KCS32;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x00, 0xe1, 0xf4);        /* verr cx */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_TRUE(zf());
    teardown();

    setup(H_PROT32);
    c->r[R_CX] = H_KCS32;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x00, 0xe9, 0xf4);        /* verw cx */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_FALSE(zf());
    teardown();
}

/* ---- control registers and MSRs ------------------------------------------ */

static void cr_case(enum h_mode m, const uint8_t *code, size_t n,
                    uint64_t rax, int vec)
{
    setup(m);
    c->r[R_AX] = rax;
    h_code(&h, H_CODE, code, n);
    c->ring0_exits = true;
    enum cpu_stop why = h_run(&h, 1);
    if (vec < 0) {
        CU_ASSERT_EQUAL(why, STOP_BUDGET);
        CU_ASSERT_EQUAL(h.nexits, 0);
    } else {
        CU_ASSERT_EQUAL(why, STOP_REQUEST);
        CU_ASSERT_EQUAL(h.ev.vector, vec);
    }
}

static void test_control_registers(void)
{
    static const uint8_t mov_cr4[] = { 0x0f, 0x22, 0xe0 };
    static const uint8_t mov_cr0[] = { 0x0f, 0x22, 0xc0 };
    static const uint8_t mov_cr1[] = { 0x0f, 0x22, 0xc8 };
    static const uint8_t mov_cr8[] = { 0x44, 0x0f, 0x22, 0xc0 };
    static const uint8_t get_cr8[] = { 0x44, 0x0f, 0x20, 0xc0 };

    cr_case(H_PROT32, mov_cr4, 3, CR4_VME, EXC_GP);         /* no VME */
    teardown();
    cr_case(H_PROT32, mov_cr4, 3, CR4_PSE | CR4_SMEP, -1);
    CU_ASSERT_EQUAL(c->cr4, CR4_PSE | CR4_SMEP);
    teardown();
    cr_case(H_PROT32, mov_cr0, 3, CR0_PG | CR0_ET, EXC_GP);  /* PG, no PE */
    teardown();
    cr_case(H_PROT32, mov_cr0, 3, CR0_PE | CR0_NW, EXC_GP);  /* NW, no CD */
    teardown();
    cr_case(H_PROT32, mov_cr1, 3, 0, EXC_UD);
    teardown();
    cr_case(H_LONG64, mov_cr0, 3, CR0_PE | CR0_ET, EXC_GP);  /* PG off in 64 */
    teardown();
    cr_case(H_LONG64, mov_cr4, 3, 0, EXC_GP);                /* PAE off */
    teardown();
    cr_case(H_LONG64, mov_cr8, 4, 5, -1);
    CU_ASSERT_EQUAL(c->cr8, 5);
    teardown();
    cr_case(H_LONG64, mov_cr8, 4, 0x10, EXC_GP);
    teardown();
    cr_case(H_LONG64, get_cr8, 4, 0, -1);
    teardown();

    setup(H_PROT32);                       /* CPL 3: #GP(0) */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x20, 0xc0);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.error, 0);
    teardown();

}

static void msr_case(uint32_t msr, uint64_t val, bool write, int vec)
{
    setup(H_LONG64);
    c->r[R_CX] = msr;
    c->r[R_AX] = (uint32_t)val;
    c->r[R_DX] = val >> 32;
    H_CODE_AT(&h, H_CODE, 0x0f, write ? 0x30 : 0x32);
    c->ring0_exits = true;
    enum cpu_stop why = h_run(&h, 1);
    if (vec < 0) {
        CU_ASSERT_EQUAL(why, STOP_BUDGET);
    } else {
        CU_ASSERT_EQUAL(why, STOP_REQUEST);
        CU_ASSERT_EQUAL(h.ev.vector, vec);
        CU_ASSERT_EQUAL(h.ev.error, 0);
    }
}

static void test_msrs(void)
{
    msr_case(0xc0000080, EFER_SCE | EFER_LMA | EFER_NXE, true, EXC_GP);
    teardown();                            /* LME off while paging */
    msr_case(0xc0000080, EFER_LME | EFER_LMA | EFER_NXE, true, -1);
    CU_ASSERT_EQUAL(c->efer, EFER_LME | EFER_LMA | EFER_NXE);
    teardown();
    msr_case(0x12345678, 0, false, EXC_GP);
    teardown();
    msr_case(0xc0000082, 1ull << 47, true, EXC_GP);          /* LSTAR */
    teardown();
    msr_case(0xc0000100, 0xffff800000001000ull, true, -1);   /* FS base */
    CU_ASSERT_EQUAL(c->seg[SEG_FS].base, 0xffff800000001000ull);
    teardown();
    msr_case(0x277, 0x0007040600070402ull, true, EXC_GP);    /* PAT type 2 */
    teardown();
    msr_case(0xc0000081, 0, false, -1);
    teardown();

    setup(H_LONG64);                       /* TSC: icount + offset */
    c->tsc_offset = 1000;
    c->r[R_CX] = 0x10;
    c->r[R_AX] = 50;
    c->r[R_DX] = 0;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x31, 0x89, 0xc3,   /* rdtsc; mov ebx, eax */
              0xb8, 50, 0, 0, 0,                    /* mov eax, 50 */
              0x0f, 0x30, 0x0f, 0x31, 0xf4);        /* wrmsr; rdtsc */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_BX], 1000);
    CU_ASSERT_EQUAL(c->r[R_AX], 51);
    teardown();

    setup(H_PROT32);                       /* CR4.TSD at CPL 3 */
    c->cr4 |= CR4_TSD;
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x31);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    teardown();
}

static void test_cpuid_model(void)
{
    setup(H_PROT32);
    H_CODE_AT(&h, H_CODE, 0x0f, 0xa2, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_AX], 0xd);
    CU_ASSERT_EQUAL(c->r[R_BX], 0x68747541);      /* "Auth" */
    CU_ASSERT_EQUAL(c->r[R_DX], 0x69746e65);      /* "enti" */
    CU_ASSERT_EQUAL(c->r[R_CX], 0x444d4163);      /* "cAMD" */
    teardown();

    setup(H_PROT32);
    c->r[R_AX] = 0x80000001;
    H_CODE_AT(&h, H_CODE, 0x0f, 0xa2, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_TRUE(c->r[R_DX] & (1u << 29));      /* LM */
    CU_ASSERT_TRUE(c->r[R_DX] & (1u << 20));      /* NX */
    CU_ASSERT_TRUE(c->r[R_DX] & (1u << 11));      /* SYSCALL */
    CU_ASSERT_FALSE(c->r[R_DX] & (1u << 9));      /* no APIC */
    teardown();

    setup(H_PROT32);
    c->r[R_AX] = 1;
    H_CODE_AT(&h, H_CODE, 0x0f, 0xa2, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_AX], 0x00800f12);      /* family 17h */
    CU_ASSERT_TRUE(c->r[R_CX] & (1u << 23));      /* POPCNT */
    CU_ASSERT_FALSE(c->r[R_CX] & (1u << 31));     /* not a hypervisor */
    CU_ASSERT_FALSE(c->r[R_CX] & (1u << 5));      /* no VMX */
    teardown();

    setup(H_PROT32);
    c->r[R_AX] = 0x80000002;
    H_CODE_AT(&h, H_CODE, 0x0f, 0xa2, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_AX], 0x656e6578);      /* "xene" */
    teardown();
}

/* ---- port I/O ------------------------------------------------------------ */

static unsigned pio_writes;
static uint16_t pio_last_port;

static void pio_write(void *opaque, uint16_t port, unsigned size,
                      uint32_t val)
{
    (void)opaque; (void)size; (void)val;
    pio_writes++;
    pio_last_port = port;
}

static void test_io_bitmap(void)
{
    setup(H_PROT32);
    h.mem.pio_write = pio_write;
    pio_writes = 0;
    h_store(&h, H_IOMAP + 0x10, 1, 0xfe);              /* 0x80 allowed */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xe6, 0x80, 0xe6, 0x81);     /* out 0x80/0x81 */
    run_exit();
    CU_ASSERT_EQUAL(pio_writes, 1);
    CU_ASSERT_EQUAL(pio_last_port, 0x80);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.rip, H_UCODE + 2);
    teardown();

    setup(H_PROT32);                       /* word access: both bits */
    h.mem.pio_write = pio_write;
    pio_writes = 0;
    h_store(&h, H_IOMAP + 0x10, 1, 0x7f);              /* 0x87 allowed */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x66, 0xe7, 0x87);          /* out 0x87, ax */
    run_exit();
    CU_ASSERT_EQUAL(pio_writes, 0);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    teardown();

    setup(H_PROT32);                       /* IOPL 3 needs no bitmap */
    h.mem.pio_write = pio_write;
    pio_writes = 0;
    h_to_user(&h, H_UCODE, H_USTACK);
    cpu_set_rflags(c, 0x3002);
    H_CODE_AT(&h, H_UCODE, 0xe6, 0x81, 0xe6, 0x82);
    CU_ASSERT_EQUAL(h_run(&h, 2), STOP_BUDGET);
    CU_ASSERT_EQUAL(pio_writes, 2);
    teardown();
}

/* ---- POPF, CLI/STI ------------------------------------------------------ */

static void test_popf_privilege(void)
{
    setup(H_PROT32);
    h_to_user(&h, H_UCODE, H_USTACK);
    cpu_set_rflags(c, 0x202);
    H_CODE_AT(&h, H_UCODE, 0x68, 0xd5, 0x30, 0x00, 0x00, 0x9d);  /* IOPL 3, IF 0 */
    CU_ASSERT_EQUAL(h_run(&h, 2), STOP_BUDGET);
    CU_ASSERT_EQUAL(cpu_get_rflags(c), 0x2d7);          /* IF, IOPL kept */
    teardown();

    setup(H_PROT32);
    cpu_set_rflags(c, 0x202);
    H_CODE_AT(&h, H_CODE, 0x68, 0xd5, 0x30, 0x01, 0x00, 0x9d);  /* +RF */
    CU_ASSERT_EQUAL(h_run(&h, 2), STOP_BUDGET);
    CU_ASSERT_EQUAL(cpu_get_rflags(c), 0x30d7);         /* RF never set */
    teardown();
}

/* ---- double and triple faults --------------------------------------------- */

static void test_double_fault(void)
{
    setup(H_PROT32);                       /* #GP gate absent: #NP -> #DF */
    h_store(&h, H_IDT + 8 * EXC_GP + 5, 1, 0x0e);
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xfa);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_DF);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), 0);
    teardown();

    setup(H_PROT32);                       /* #PF gate absent: #PF, #NP */
    h_store(&h, H_IDT + 8 * EXC_NP + 5, 1, 0x0e);
    h_store(&h, H_IDT + 8 * EXC_UD + 5, 1, 0x0e);
    H_CODE_AT(&h, H_CODE, 0x0f, 0x0b);     /* #UD -> #NP -> #NP: #DF */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), EXC_DF);
    teardown();
}

static void test_triple_fault(void)
{
    setup(H_PROT32);
    c->idtr.limit = 0;
    H_CODE_AT(&h, H_CODE, 0x0f, 0x0b);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_TRIPLE_FAULT);
    teardown();

    setup(H_LONG64);                       /* IST stack unmapped */
    h_store(&h, H_PD + 8 * 2, 8, 0);           /* 4-6 MiB absent */
    h_store(&h, H_TSS + 0x24, 8, 0x500000);    /* IST1 into the hole */
    for (unsigned v = 0; v < 32; v++)
        h_gate(&h, v, H_KCS64, H_HANDLERS + 8 * v, 0xe, 0, 1);
    H_CODE_AT(&h, H_CODE, 0x0f, 0x0b);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_TRIPLE_FAULT);
    teardown();
}

/* ---- ring-0 exits ------------------------------------------------------- */

static void test_exits_every_kind(void)
{
    setup(H_LONG64);                       /* INT n from ring 3 */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xcd, 0x80);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.kind, EV_SOFTINT);
    CU_ASSERT_EQUAL(h.ev.vector, 0x80);
    CU_ASSERT_EQUAL(h.ev.rip, H_UCODE);
    CU_ASSERT_EQUAL(h.ev.next_rip, H_UCODE + 2);
    CU_ASSERT_EQUAL(h.ev.insn_len, 2);
    CU_ASSERT_EQUAL(h.exit_rip, H_UCODE + 2);
    CU_ASSERT_EQUAL(h.exit_cs, H_UCS64);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->r[R_SP], H_USTACK);
    teardown();

    setup(H_LONG64);                       /* INT3 */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xcc);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.kind, EV_SOFTINT);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_BP);
    CU_ASSERT_EQUAL(h.ev.next_rip, H_UCODE + 1);
    teardown();

    setup(H_LONG64);                       /* privileged instruction */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xf4);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.kind, EV_EXCEPTION);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_TRUE(h.ev.has_error);
    CU_ASSERT_EQUAL(h.ev.rip, H_UCODE);
    CU_ASSERT_EQUAL(h.exit_rip, H_UCODE);
    teardown();

    setup(H_LONG64);                       /* page fault: CR2 in the event */
    h_store(&h, H_PD + 8 * 2, 8, 0);
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xa1, 0x08, 0x00, 0x40, 0, 0, 0, 0, 0);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_PF);
    CU_ASSERT_EQUAL(h.ev.cr2, 0x400008);
    CU_ASSERT_EQUAL(h.ev.error, PFEC_U);
    teardown();

    setup(H_LONG64);                       /* SYSCALL */
    syscall_msrs();
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x05);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.kind, EV_SYSCALL);
    CU_ASSERT_EQUAL(h.ev.rip, H_UCODE);
    CU_ASSERT_EQUAL(h.ev.next_rip, H_UCODE + 2);
    CU_ASSERT_EQUAL(c->cpl, 3);                /* the machine decides */
    CU_ASSERT_EQUAL(c->r[R_CX], 0);
    teardown();

    setup(H_PROT32);                       /* SYSENTER */
    c->sysenter_cs = H_KCS32;
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x34);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.kind, EV_SYSENTER);
    CU_ASSERT_EQUAL(h.ev.next_rip, H_UCODE + 2);
    teardown();

    setup(H_LONG64);                       /* external interrupt */
    c->hooks.ack_irq = ack_irq;
    irq_vector = 0x41;
    c->irq_pending = true;
    h_to_user(&h, H_UCODE, H_USTACK);
    cpu_set_rflags(c, 0x202);
    H_CODE_AT(&h, H_UCODE, 0x90);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.kind, EV_INTERRUPT);
    CU_ASSERT_EQUAL(h.ev.vector, 0x41);
    CU_ASSERT_EQUAL(h.ev.rip, H_UCODE);
    teardown();
}

/* ---- FS/GS bases ------------------------------------------------------------ */

static void test_fsgsbase_swapgs(void)
{
    setup(H_LONG64);
    c->r[R_AX] = 0x1234;
    H_CODE_AT(&h, H_CODE, 0xf3, 0x48, 0x0f, 0xae, 0xd0);  /* wrfsbase rax */
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_UD);                 /* CR4.FSGSBASE */
    teardown();

    setup(H_LONG64);
    c->cr4 |= CR4_FSGSBASE;
    c->r[R_AX] = 0x1234;
    c->seg[SEG_GS].base = 0x9999;
    c->kernel_gs_base = 0x5678;
    H_CODE_AT(&h, H_CODE, 0xf3, 0x48, 0x0f, 0xae, 0xd0,
              0x0f, 0x01, 0xf8,                            /* swapgs */
              0xf3, 0x48, 0x0f, 0xae, 0xc9, 0xf4);         /* rdgsbase rcx */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->seg[SEG_FS].base, 0x1234);
    CU_ASSERT_EQUAL(c->seg[SEG_GS].base, 0x5678);
    CU_ASSERT_EQUAL(c->kernel_gs_base, 0x9999);
    CU_ASSERT_EQUAL(c->r[R_CX], 0x5678);
    teardown();

    setup(H_LONG64);
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0x0f, 0x01, 0xf8);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    teardown();
}

/* ---- task switch ------------------------------------------------------------ */

static void test_task_switch_jmp(void)
{
    setup(H_PROT32);
    uint32_t t = H_DATA + 0x1000;
    h_gdt_set(&h, 0x68, h_desc(t, 0x67, 0x89, 0));
    h_store(&h, t + 0x20, 4, H_CODE + 0x500);              /* EIP */
    h_store(&h, t + 0x24, 4, 0x2);                         /* EFLAGS */
    h_store(&h, t + 0x28, 4, 0xaaaa);                      /* EAX */
    h_store(&h, t + 0x38, 4, 0x3f000);                     /* ESP */
    for (unsigned s = 0; s < 6; s++)
        h_store(&h, t + 0x48 + 4 * s, 4, s == SEG_CS ? H_KCS32 : H_KDS);
    c->r[R_AX] = 0x5555;
    H_CODE_AT(&h, H_CODE, 0xea, 0, 0, 0, 0, 0x68, 0);
    H_CODE_AT(&h, H_CODE + 0x500, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x501);
    CU_ASSERT_EQUAL(c->tr.sel, 0x68);
    CU_ASSERT_EQUAL(c->r[R_AX], 0xaaaa);
    CU_ASSERT_EQUAL(c->r[R_SP], 0x3f000);
    CU_ASSERT_TRUE(c->cr0 & CR0_TS);
    CU_ASSERT_EQUAL(h_load(&h, H_TSS + 0x20, 4), H_CODE + 7);  /* saved */
    CU_ASSERT_EQUAL(h_load(&h, H_TSS + 0x28, 4), 0x5555);
    CU_ASSERT_EQUAL(h_load(&h, H_GDT + H_TSS_SEL + 5, 1), 0x89);  /* free */
    CU_ASSERT_EQUAL(h_load(&h, H_GDT + 0x68 + 5, 1), 0x8b);       /* busy */
    teardown();
}

/* ---- more segment and system instructions ----------------------------------- */

static void test_lss_push_pop_sreg(void)
{
    setup(H_PROT32);
    h_store(&h, H_DATA, 4, 0x3f000);
    h_store(&h, H_DATA + 4, 2, H_KDS);
    c->seg[SEG_ES].sel = 0;
    H_CODE_AT(&h, H_CODE,
              0x0f, 0xb2, 0x25, 0x00, 0x00, 0x05, 0x00,   /* lss esp, [H_DATA] */
              0x1e, 0x07,                                 /* push ds; pop es */
              0x0e, 0x17);                                /* push cs; pop ss */
    CU_ASSERT_EQUAL(h_run(&h, 1), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->r[R_SP], 0x3f000);
    CU_ASSERT_EQUAL(c->seg[SEG_SS].sel, H_KDS);
    CU_ASSERT_EQUAL(h_run(&h, 2), STOP_BUDGET);
    CU_ASSERT_EQUAL(c->seg[SEG_ES].sel, H_KDS);
    CU_ASSERT_EQUAL(c->r[R_SP], 0x3f000);
    c->ring0_exits = true;                 /* pop ss of a code selector */
    CU_ASSERT_EQUAL(h_run(&h, 10), STOP_REQUEST);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.error, H_KCS32);
    CU_ASSERT_EQUAL(c->r[R_SP], 0x3f000 - 4);    /* pop undone */
    teardown();
}

static unsigned pio_reads;

static uint32_t pio_read(void *opaque, uint16_t port, unsigned size)
{
    (void)opaque; (void)size;
    return (uint32_t)(port + pio_reads++);
}

static void test_rep_ins_outs(void)
{
    setup(H_PROT32);
    h.mem.pio_read = pio_read;
    h.mem.pio_write = pio_write;
    pio_reads = pio_writes = 0;
    c->r[R_CX] = 4;
    c->r[R_DI] = H_DATA;
    c->r[R_DX] = 0x60;
    H_CODE_AT(&h, H_CODE, 0xf3, 0x6c, 0xf4);            /* rep insb */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_CX], 0);
    CU_ASSERT_EQUAL(c->r[R_DI], H_DATA + 4);
    CU_ASSERT_EQUAL(h_load(&h, H_DATA, 4), 0x63626160);
    teardown();

    setup(H_PROT32);                       /* outsw, backwards */
    h.mem.pio_write = pio_write;
    pio_writes = 0;
    cpu_set_rflags(c, 2 | FL_DF);
    c->r[R_CX] = 3;
    c->r[R_SI] = H_DATA + 4;
    c->r[R_DX] = 0x70;
    H_CODE_AT(&h, H_CODE, 0xf3, 0x66, 0x6f, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(pio_writes, 3);
    CU_ASSERT_EQUAL(pio_last_port, 0x70);
    CU_ASSERT_EQUAL(c->r[R_SI], H_DATA - 2);
    teardown();

    setup(H_PROT32);                       /* INS faults before the read */
    h.mem.pio_read = pio_read;
    pio_reads = 0;
    h_gdt_set(&h, 0x68, h_desc(0, 0xfffff, 0x91, 0xc));   /* read-only */
    h_load_seg(&h, SEG_ES, 0x68);
    c->r[R_DI] = H_DATA;
    H_CODE_AT(&h, H_CODE, 0x6c);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(pio_reads, 0);
    teardown();
}

static void test_cr0_small_insns(void)
{
    setup(H_PROT32);
    c->cr0 |= CR0_TS;
    c->r[R_AX] = 0x000e;                   /* LMSW cannot clear PE */
    H_CODE_AT(&h, H_CODE,
              0x0f, 0x06,                  /* clts */
              0x0f, 0x01, 0xe3,            /* smsw ebx */
              0x0f, 0x01, 0xf0,            /* lmsw ax */
              0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->r[R_BX], CR0_PE | CR0_ET);
    CU_ASSERT_EQUAL(c->cr0, CR0_PE | CR0_ET | 0xe);
    CU_ASSERT_EQUAL(c->mode, MODE_PROT32);
    teardown();
}

static void test_hlt_and_interrupt(void)
{
    setup(H_PROT32);
    c->hooks.ack_irq = ack_irq;
    irq_vector = 0x31;
    H_CODE_AT(&h, H_CODE, 0xfb, 0xf4, 0x90);           /* sti; hlt */
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_TRUE(c->halted);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 2);
    c->irq_pending = true;
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(h_vector(&h), 0x31);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), H_CODE + 2);
    CU_ASSERT_EQUAL(h_stack(&h, 2, 4), 0x202);         /* no RF */
    teardown();

    setup(H_PROT32);                       /* CLI at CPL 1 with IOPL 1 */
    h_load_seg(&h, SEG_SS, H_R1DS);
    h_load_seg(&h, SEG_CS, H_R1CS);
    c->rip = H_UCODE;
    c->r[R_SP] = H_STACK1;
    cpu_set_rflags(c, 0x1202);
    H_CODE_AT(&h, H_UCODE, 0xfa, 0xf4);
    run_exit();
    CU_ASSERT_FALSE(c->rflags & FL_IF);
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);              /* from the HLT */
    CU_ASSERT_EQUAL(h.ev.rip, H_UCODE + 1);
    teardown();
}

/* A #DF through a task gate, as 32-bit kernels handle it. */
static void test_task_gate_double_fault(void)
{
    setup(H_PROT32);
    uint32_t t = H_DATA + 0x1000;
    h_gdt_set(&h, 0x68, h_desc(t, 0x67, 0x89, 0));
    h_store(&h, t + 0x20, 4, H_CODE + 0x500);
    h_store(&h, t + 0x24, 4, 0x2);
    h_store(&h, t + 0x38, 4, 0x3f000);
    for (unsigned s = 0; s < 6; s++)
        h_store(&h, t + 0x48 + 4 * s, 4, s == SEG_CS ? H_KCS32 : H_KDS);
    h_store(&h, H_IDT + 8 * EXC_GP + 5, 1, 0x0e);      /* #GP gate absent */
    h_gate(&h, EXC_DF, 0x68, 0, 5, 0, 0);              /* task gate */
    h_to_user(&h, H_UCODE, H_USTACK);
    H_CODE_AT(&h, H_UCODE, 0xfa);
    H_CODE_AT(&h, H_CODE + 0x500, 0xf4);
    CU_ASSERT_EQUAL(h_run(&h, 100), STOP_HLT);
    CU_ASSERT_EQUAL(c->rip, H_CODE + 0x501);
    CU_ASSERT_EQUAL(c->tr.sel, 0x68);
    CU_ASSERT_EQUAL(c->r[R_SP], 0x3f000 - 4);
    CU_ASSERT_EQUAL(h_stack(&h, 0, 4), 0);             /* #DF error code */
    CU_ASSERT_TRUE(c->rflags & FL_NT);
    CU_ASSERT_EQUAL(h_load(&h, t, 2), H_TSS_SEL);      /* back link */
    CU_ASSERT_EQUAL(h_load(&h, H_TSS + 0x4c, 2), H_UCS32);  /* saved CS */
    teardown();
}

/* Fetch rules of the decoder and run loop: CS limit, 15-byte limit. */
static void test_fetch_limits(void)
{
    setup(H_PROT32);
    c->seg[SEG_CS].limit = H_CODE + 3;
    H_CODE_AT(&h, H_CODE, 0xb8, 1, 2, 3, 4);            /* crosses the limit */
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.error, 0);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE);
    teardown();

    setup(H_LONG64);
    H_CODE_AT(&h, H_CODE, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
              0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90);  /* 15 bytes: ok */
    H_CODE_AT(&h, H_CODE + 15, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
              0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90);
    run_exit();
    CU_ASSERT_EQUAL(h.ev.vector, EXC_GP);
    CU_ASSERT_EQUAL(h.ev.rip, H_CODE + 15);
    teardown();
}

UNIT_SUITE(cpu_system)
{
    CU_pSuite s = CU_add_suite("cpu_system", NULL, NULL);
    UNIT_TEST(s, test_prot_fault_same_ring);
    UNIT_TEST(s, test_prot_user_gp_stack_switch);
    UNIT_TEST(s, test_prot_int_gate_dpl);
    UNIT_TEST(s, test_prot_iret_to_user_and_back);
    UNIT_TEST(s, test_prot_iret_checks);
    UNIT_TEST(s, test_long_user_gp_frame);
    UNIT_TEST(s, test_long_ist);
    UNIT_TEST(s, test_long_gate_checks);
    UNIT_TEST(s, test_long_iretq_user_and_compat);
    UNIT_TEST(s, test_long_page_fault);
    UNIT_TEST(s, test_real_int_and_iret);
    UNIT_TEST(s, test_call_gate32_inner_and_retf);
    UNIT_TEST(s, test_retf_outer_nulls_ds);
    UNIT_TEST(s, test_call_gate_checks);
    UNIT_TEST(s, test_call_gate64);
    UNIT_TEST(s, test_far_jmp_modes);
    UNIT_TEST(s, test_syscall_sysret64);
    UNIT_TEST(s, test_sysret_compat_and_noncanonical);
    UNIT_TEST(s, test_syscall_legacy_amd);
    UNIT_TEST(s, test_sysenter_sysexit);
    UNIT_TEST(s, test_seg_load_faults);
    UNIT_TEST(s, test_seg_load_sets_accessed);
    UNIT_TEST(s, test_mov_ss_shadow_and_sti);
    UNIT_TEST(s, test_descriptor_table_insns);
    UNIT_TEST(s, test_lar_lsl_verr_verw);
    UNIT_TEST(s, test_control_registers);
    UNIT_TEST(s, test_msrs);
    UNIT_TEST(s, test_cpuid_model);
    UNIT_TEST(s, test_io_bitmap);
    UNIT_TEST(s, test_popf_privilege);
    UNIT_TEST(s, test_double_fault);
    UNIT_TEST(s, test_triple_fault);
    UNIT_TEST(s, test_exits_every_kind);
    UNIT_TEST(s, test_fsgsbase_swapgs);
    UNIT_TEST(s, test_task_switch_jmp);
    UNIT_TEST(s, test_lss_push_pop_sreg);
    UNIT_TEST(s, test_rep_ins_outs);
    UNIT_TEST(s, test_cr0_small_insns);
    UNIT_TEST(s, test_hlt_and_interrupt);
    UNIT_TEST(s, test_task_gate_double_fault);
    UNIT_TEST(s, test_fetch_limits);
}
