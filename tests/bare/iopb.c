/*
 * (f) I/O permission checks at CPL 3 with IOPL 0: the TSS I/O bitmap
 * (every bit of a multi-byte access, the terminating byte, an I/O map base
 * beyond the TSS limit), string I/O, IOPL 3, and POPF not changing IOPL.
 * Allowed user writes go straight to the debug console (port 0xE9).
 */
#include "bare.h"

struct rt_trap t;
volatile uintptr_t u_flags;

ASM_FN(user_outb, "mov $'u', %al\n user_outb_at: outb %al, $0xe9\n"
                  "mov $' ', %al\n outb %al, $0xe9\n ret");
ASM_FN(user_outw_e8, "xor %eax, %eax\n mov $0xe8, %edx\n"
                     "user_outw_e8_at: outw %ax, %dx\n ret");
ASM_FN(user_outw_ffff, "xor %eax, %eax\n mov $0xffff, %edx\n"
                       "user_outw_ffff_at: outw %ax, %dx\n ret");
ASM_FN(user_inb_80, "user_inb_80_at: inb $0x80, %al\n ret");
ASM_FN(user_outsb, "lea msg(%rip), %rsi\n mov $msg_len, %ecx\n mov $0xe9, %edx\n"
                   "rep outsb\n ret\n"
                   "msg: .ascii \"(rep outsb from ring 3) \"\n"
                   ".set msg_len, . - msg");
ASM_FN(user_cli_sti, "cli\n sti\n cli\n ret");
/* POPF at CPL 3 with IOPL 0 leaves IOPL and IF alone (no fault). */
ASM_FN(user_popf, "pushfq\n orl $0x3200, (%rsp)\n popfq\n"
                  "pushfq\n pop %rax\n mov %rax, u_flags(%rip)\n ret");
extern char user_outb_at[], user_outw_e8_at[], user_outw_ffff_at[];
extern char user_inb_80_at[];

static void run(const char *what, void *fn, const void *at)
{
    printf("%s: ", what);
    report_tail(TRY_USER(fn, &t), &t, at, 0);
}

static void set_iopl(unsigned iopl)
{
    write_flags((read_flags() & ~(uintptr_t)X86_FL_IOPL) | iopl << 12);
}

/* The I/O map base is the 16-bit field at byte 102 of the TSS. */
static uint16_t *iomap_base(void)
{
    uint64_t d = rt_gdt[TSS_SEL >> 3];
    uintptr_t base = ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24;
    return (uint16_t *)(base + 102);
}

int main(void)
{
    printf("-- IOPL 0, bitmap\n");
    rt_io_permit(0xe9, 1);
    run("outb 0xe9, allowed", user_outb, user_outb_at);
    rt_io_permit(0xe9, 0);
    run("outb 0xe9, denied", user_outb, user_outb_at);
    rt_io_permit(0xe8, 1);
    run("outw 0xe8, 0xe8 allowed, 0xe9 denied", user_outw_e8, user_outw_e8_at);
    rt_io_permit(0xe8, 0);
    rt_io_permit(0xffff, 1);
    run("outw 0xffff, 0xffff allowed, end of map", user_outw_ffff,
        user_outw_ffff_at);
    rt_io_permit(0xffff, 0);
    run("inb 0x80, denied", user_inb_80, user_inb_80_at);
    rt_io_permit(0xe9, 1);
    run("rep outsb 0xe9, allowed", user_outsb, user_outsb);
    uint16_t saved = *iomap_base();
    *iomap_base() = 0xffff;
    run("outb 0xe9, allowed, map base beyond limit", user_outb, user_outb_at);
    *iomap_base() = saved;
    rt_io_permit(0xe9, 0);
    run("cli/sti", user_cli_sti, user_cli_sti);
    run("popf setting IOPL and IF", user_popf, user_popf);
    printf("  flags after: IOPL=%lu IF=%d\n",
           (unsigned long)((u_flags & X86_FL_IOPL) >> 12),
           (u_flags & X86_FL_IF) != 0);

    printf("-- IOPL 3\n");
    set_iopl(3);
    run("outb 0xe9, denied in the bitmap", user_outb, user_outb_at);
    run("cli/sti", user_cli_sti, user_cli_sti);
    set_iopl(0);
    printf("-- IOPL 0 again\n");
    run("outb 0xe9, denied", user_outb, user_outb_at);
    return 0;
}
