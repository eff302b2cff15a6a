/*
 * (g) Debug registers: instruction breakpoints (faults, RF), data
 * breakpoints (traps after the access, any overlapping byte), single
 * stepping with TF (traps, DR6.BS), general detect (DR7.GD) and the fixed
 * bits of DR6/DR7.
 */
#include "bare.h"

#define DR7_FIXED 0x400
#define DR7_L(n) (1ul << (2 * (n)))
#define DR7_RW(n, v) ((unsigned long)(v) << (16 + 4 * (n)))
#define DR7_LEN(n, v) ((unsigned long)(v) << (18 + 4 * (n)))
#define DR7_GD (1ul << 13)

struct event {
    uintptr_t ip, dr6, dr7;
};
static struct event ev[16];
static int nev;

volatile uint32_t watch[2] __attribute__((aligned(8)));

static void db_handler(struct rt_frame *f)
{
    if (nev < 16) {
        ev[nev].ip = f->ip;
        ev[nev].dr6 = read_dr6();
        ev[nev].dr7 = read_dr7();
        nev++;
    }
    write_dr6(0);
    f->flags |= X86_FL_RF;     /* resume past an instruction breakpoint */
}

struct label {
    const char *name;
    const void *addr;
};

static void show(const char *what, const struct label *labels)
{
    printf("%s: %d event%s\n", what, nev, nev == 1 ? "" : "s");
    for (int i = 0; i < nev; i++) {
        const char *name = 0;
        for (const struct label *l = labels; l->name; l++)
            if ((uintptr_t)l->addr == ev[i].ip)
                name = l->name;
        printf("  ip=%s dr6=%#lx\n", name ? name : "?",
               (unsigned long)ev[i].dr6);
    }
}

static void run(void (*fn)(void))
{
    nev = 0;
    write_dr6(0);
    fn();
    write_dr7(DR7_FIXED);
}

ASM_FN(bp_code, "nop\n bp_at: nop\n bp_after: nop\n ret");
extern char bp_at[], bp_after[];

ASM_FN(watch_code, "movl $1, watch(%rip)\n"
                   "w1: movl watch(%rip), %eax\n"
                   "w2: movb $2, watch+2(%rip)\n"
                   "w3: movl $3, watch+4(%rip)\n"
                   "w4: movw watch+3(%rip), %ax\n"
                   "w5: ret");
extern char w1[], w2[], w3[], w4[], w5[];

ASM_FN(step_code, "pushfq\n orl $0x100, (%rsp)\n popfq\n"
                  "s1: nop\n"
                  "s2: mov $1, %eax\n"
                  "s3: add %eax, %eax\n"
                  "s4: pushfq\n"
                  "s5: andl $~0x100, (%rsp)\n"
                  "s6: popfq\n"
                  "s7: nop\n"
                  "s8: ret");
extern char s1[], s2[], s3[], s4[], s5[], s6[], s7[], s8[];

ASM_FN(gd_code, "gd_at: mov %dr0, %rax\n gd_after: ret");
extern char gd_at[], gd_after[];

static void bp_run(void)
{
    write_dr0((uintptr_t)bp_at);
    write_dr7(DR7_FIXED | DR7_L(0));
    ((void (*)(void))(uintptr_t)bp_code)();
}

static void bp_disabled(void)
{
    write_dr0((uintptr_t)bp_at);
    write_dr7(DR7_FIXED);
    ((void (*)(void))(uintptr_t)bp_code)();
}

static void watch_write(void)
{
    write_dr1((uintptr_t)watch);
    write_dr7(DR7_FIXED | DR7_L(1) | DR7_RW(1, 1) | DR7_LEN(1, 3));
    ((void (*)(void))(uintptr_t)watch_code)();
}

static void watch_rw(void)
{
    write_dr3((uintptr_t)watch);
    write_dr7(DR7_FIXED | DR7_L(3) | DR7_RW(3, 3) | DR7_LEN(3, 3));
    ((void (*)(void))(uintptr_t)watch_code)();
}

static void step(void)
{
    ((void (*)(void))(uintptr_t)step_code)();
}

static void gd(void)
{
    write_dr7(DR7_FIXED | DR7_GD);
    ((void (*)(void))(uintptr_t)gd_code)();
}

int main(void)
{
    rt_set_handler(1, db_handler);

    write_dr6(0);
    write_dr7(0);
    printf("dr6 after writing 0: %#lx, dr7 after writing 0: %#lx\n",
           (unsigned long)read_dr6(), (unsigned long)read_dr7());

    static const struct label bp_labels[] = {
        { "bp_at", bp_at }, { "bp_after", bp_after }, { 0, 0 } };
    run(bp_run);
    show("instruction breakpoint, DR0", bp_labels);
    run(bp_disabled);
    show("instruction breakpoint, L0 clear", bp_labels);

    static const struct label w_labels[] = {
        { "w1", w1 }, { "w2", w2 }, { "w3", w3 }, { "w4", w4 }, { "w5", w5 },
        { 0, 0 } };
    run(watch_write);
    show("data write breakpoint, DR1, 4 bytes", w_labels);
    run(watch_rw);
    show("data read/write breakpoint, DR3, 4 bytes", w_labels);

    static const struct label s_labels[] = {
        { "s1", s1 }, { "s2", s2 }, { "s3", s3 }, { "s4", s4 }, { "s5", s5 },
        { "s6", s6 }, { "s7", s7 }, { "s8", s8 }, { 0, 0 } };
    run(step);
    show("single step (TF set and cleared by popf)", s_labels);

    static const struct label gd_labels[] = {
        { "gd_at", gd_at }, { "gd_after", gd_after }, { 0, 0 } };
    run(gd);
    show("general detect", gd_labels);
    if (nev)
        printf("  dr7 in the handler: %#lx\n", (unsigned long)ev[0].dr7);
    return 0;
}
