/*
 * The monitor's tables: breakpoints (monitor/bptable.c), symbols from ELF
 * images (monitor/symbols.c), hypercall decoding (monitor/hcdecode.c),
 * ring accounting (monitor/rings.c) and the trace hash.
 */
#include <string.h>
#include "xenemu/le.h"
#include "monitor/bptable.h"
#include "monitor/hcdecode.h"
#include "monitor/rings.h"
#include "monitor/symbols.h"
#include "monitor/trace.h"
#include "kimage.h"
#include "unit.h"

static struct bptable t;

static struct bp *add(enum bp_kind kind, uint64_t addr, uint64_t len,
                      unsigned access)
{
    struct bp b = { .kind = kind, .addr = addr, .len = len,
                    .access = access, .enabled = true };
    return bptable_add(&t, &b);
}

static void test_bp_numbering(void)
{
    bptable_init(&t);
    CU_ASSERT_EQUAL(add(BP_EXEC, 0x1000, 0, 0)->id, 1);
    CU_ASSERT_EQUAL(add(BP_EXEC, 0x2000, 0, 0)->id, 2);
    CU_ASSERT_EQUAL(add(BP_CR3, BP_ANY, 0, 0)->id, 3);
    CU_ASSERT_EQUAL(bptable_delete(&t, 2), 0);
    CU_ASSERT_EQUAL(bptable_delete(&t, 2), -1);
    CU_ASSERT_PTR_NULL(bptable_get(&t, 2));
    CU_ASSERT_EQUAL(bptable_get(&t, 3)->kind, BP_CR3);
    CU_ASSERT_EQUAL(add(BP_EXEC, 0x3000, 0, 0)->id, 4);  /* never reused */
    CU_ASSERT_EQUAL(t.n, 3);
    bptable_clear(&t);
    CU_ASSERT_EQUAL(t.n, 0);
    for (int i = 0; i < BP_MAX; i++)
        CU_ASSERT_PTR_NOT_NULL_FATAL(add(BP_EXEC, (uint64_t)i, 0, 0));
    CU_ASSERT_PTR_NULL(add(BP_EXEC, 0, 0, 0));         /* full */
}

static void test_bp_exec(void)
{
    struct bp *b;

    bptable_init(&t);
    add(BP_EXEC, 0x401000, 0, 0);
    b = add(BP_EXEC_PHYS, 0x7000, 0, 0);
    CU_ASSERT_EQUAL(bptable_match_exec(&t, 0x401000, 0x9999)->id, 1);
    CU_ASSERT_EQUAL(bptable_match_exec(&t, 0x555, 0x7000)->id, 2);
    CU_ASSERT_PTR_NULL(bptable_match_exec(&t, 0x401001, 0x7001));
    CU_ASSERT_TRUE(bptable_exec_in_page(&t, 0x401fff, 0));
    CU_ASSERT_TRUE(bptable_exec_in_page(&t, 0, 0x7abc));
    CU_ASSERT_FALSE(bptable_exec_in_page(&t, 0x402000, 0x8000));
    b->enabled = false;                                 /* disabled: gone */
    CU_ASSERT_PTR_NULL(bptable_match_exec(&t, 0, 0x7000));
    CU_ASSERT_FALSE(bptable_exec_in_page(&t, 0, 0x7000));
    CU_ASSERT_TRUE(bptable_has(&t, BP_EXEC));
    CU_ASSERT_FALSE(bptable_has(&t, BP_EXEC_PHYS));
}

static void test_bp_watch(void)
{
    bptable_init(&t);
    add(BP_WATCH, 0x1000, 8, BP_WRITE);
    add(BP_WATCH_PHYS, 0x5000, 1, BP_READ | BP_WRITE);
    add(BP_WATCH, UINT64_MAX - 3, 4, BP_READ);          /* at the top */
    CU_ASSERT_EQUAL(bptable_match_watch(&t, 0x1007, 0, 1, true)->id, 1);
    CU_ASSERT_EQUAL(bptable_match_watch(&t, 0xffe, 0, 4, true)->id, 1);
    CU_ASSERT_PTR_NULL(bptable_match_watch(&t, 0xffc, 0, 4, true));
    CU_ASSERT_PTR_NULL(bptable_match_watch(&t, 0x1008, 0, 8, true));
    CU_ASSERT_PTR_NULL(bptable_match_watch(&t, 0x1000, 0, 8, false));
    CU_ASSERT_EQUAL(bptable_match_watch(&t, 0x9, 0x5000, 1, false)->id, 2);
    CU_ASSERT_EQUAL(bptable_match_watch(&t, 0x9, 0x4fff, 2, true)->id, 2);
    CU_ASSERT_EQUAL(bptable_match_watch(&t, UINT64_MAX, 0, 1, false)->id, 3);
    CU_ASSERT_PTR_NULL(bptable_match_watch(&t, 0, 0, 1, false));
}

static void test_bp_values(void)
{
    bptable_init(&t);
    add(BP_HYPERCALL, 29, 0, 0);
    CU_ASSERT_EQUAL(bptable_match_value(&t, BP_HYPERCALL, 29)->id, 1);
    CU_ASSERT_PTR_NULL(bptable_match_value(&t, BP_HYPERCALL, 18));
    CU_ASSERT_PTR_NULL(bptable_match_value(&t, BP_EXCEPTION, 29));
    add(BP_EXCEPTION, BP_ANY, 0, 0);
    CU_ASSERT_EQUAL(bptable_match_value(&t, BP_EXCEPTION, 14)->id, 2);
    CU_ASSERT_STRING_EQUAL(bp_kind_name(BP_EVTCHN), "catch event channel");
}

/* ---- symbols ----------------------------------------------------------------------- */

static const struct ki_sym syms[] = {
    { "main", 0x401000, 0x40, 2, 1 },
    { "helper", 0x401040, 0x10, 2, 1 },
    { "table", 0x402000, 0x100, 1, 1 },
    { "label", 0x401050, 0, 0, 1 },             /* no size */
    { "alias", 0x401000, 0x40, 1, 1 },           /* same address, object */
    { "undef", 0, 0, 2, 0 },                    /* undefined: skipped */
    { "file.c", 0, 0, 4, 0xfff1 },              /* STT_FILE: skipped */
    { "konst", 0x401001, 0, 0, 0xfff1 },         /* SHN_ABS: a constant */
};

static void test_symbols_elf(bool is64)
{
    struct kimage ki;
    struct symtab st;
    char why[128], buf[64];
    uint64_t a, off;
    const struct sym *s;

    ki_linux64(&ki);
    if (!is64)
        ki_linux32(&ki);
    ki.symtab = true;
    ki.syms = syms;
    ki.nsyms = ARRAY_SIZE(syms);
    ki_build(&ki);
    symtab_init(&st);
    CU_ASSERT_EQUAL_FATAL(symtab_add_elf(&st, ki.b, ki.len, why, sizeof(why)),
                          6);
    CU_ASSERT_TRUE(symtab_lookup(&st, "konst", &a));     /* by name only */
    CU_ASSERT_STRING_EQUAL(symtab_describe(&st, 0x401001, buf, sizeof(buf)),
                           "main+0x1");
    CU_ASSERT_TRUE(symtab_lookup(&st, "helper", &a));
    CU_ASSERT_EQUAL(a, 0x401040);
    CU_ASSERT_FALSE(symtab_lookup(&st, "undef", &a));
    CU_ASSERT_FALSE(symtab_lookup(&st, "file.c", &a));
    s = symtab_find(&st, 0x401000, &off);
    CU_ASSERT_STRING_EQUAL(s->name, "main");            /* function first */
    CU_ASSERT_STRING_EQUAL(symtab_describe(&st, 0x401044, buf, sizeof(buf)),
                           "helper+0x4");
    CU_ASSERT_STRING_EQUAL(symtab_describe(&st, 0x401060, buf, sizeof(buf)),
                           "label+0x10");               /* nearest below */
    CU_ASSERT_STRING_EQUAL(symtab_describe(&st, 0x402100, buf, sizeof(buf)),
                           "");                         /* past table */
    CU_ASSERT_STRING_EQUAL(symtab_describe(&st, 0x400fff, buf, sizeof(buf)),
                           "");
    CU_ASSERT_STRING_EQUAL(symtab_complete(&st, "ma", 0), "main");
    CU_ASSERT_PTR_NULL(symtab_complete(&st, "ma", 1));
    CU_ASSERT_STRING_EQUAL(symtab_complete(&st, "", 0), "alias");
    CU_ASSERT_STRING_EQUAL(symtab_complete(&st, "k", 0), "konst");
    symtab_free(&st);
}

static void test_symbols(void)
{
    test_symbols_elf(true);
    test_symbols_elf(false);
}

static void test_symbols_bad(void)
{
    struct kimage ki;
    struct symtab st;
    char why[128];

    symtab_init(&st);
    CU_ASSERT_EQUAL(symtab_add_elf(&st, (const uint8_t *)"nope", 4, why,
                                   sizeof(why)), -1);
    ki_linux64(&ki);
    ki_build(&ki);
    CU_ASSERT_EQUAL(symtab_add_elf(&st, ki.b, ki.len, why, sizeof(why)), 0);
    /* A symbol table running past the end of the file. */
    ki_linux64(&ki);
    ki.symtab = true;
    ki.syms = syms;
    ki.nsyms = 2;
    ki_build(&ki);
    CU_ASSERT_EQUAL(symtab_add_elf(&st, ki.b, ki.len - 64 * 2, why,
                                   sizeof(why)), -1);
    CU_ASSERT_EQUAL(st.n, 0);
    symtab_free(&st);
}

/* ---- hypercalls ---------------------------------------------------------------------- */

static uint8_t guest[64];

static int read_guest(void *opaque, uint64_t va, void *buf, size_t len)
{
    (void)opaque;
    if (va + len > sizeof(guest))
        return -1;
    memcpy(buf, guest + va, len);
    return 0;
}

/* The description of a hypercall captured now from guest[]. */
static void describe(char *buf, size_t len, unsigned nr, const uint64_t *a,
                     const struct hc_ctx *ctx)
{
    struct hc_call c;

    hc_capture(&c, nr, a, ctx);
    hc_describe(buf, len, &c);
}

static void test_hcdecode(void)
{
    struct hc_ctx ctx = { true, read_guest, NULL };
    uint64_t a[6] = { 2, 8, 0, 0, 0, 0 };
    char buf[160];

    le32_store(guest + 8, 3);                       /* reason: crash */
    CU_ASSERT_STRING_EQUAL(hc_name(29), "sched_op");
    CU_ASSERT_PTR_NULL(hc_name(50));
    CU_ASSERT_EQUAL(hc_subop(29, a, &ctx), 2);
    hc_short(buf, sizeof(buf), 29, 1);
    CU_ASSERT_STRING_EQUAL(buf, "sched_op(block)");
    describe(buf, sizeof(buf), 29, a, &ctx);
    CU_ASSERT_STRING_EQUAL(buf, "sched_op(shutdown, reason=crash)");
    a[0] = 8;                                       /* mmuext_op at 8 */
    a[1] = 1;
    a[3] = 0x7ff0;
    le32_store(guest + 8, 3);
    le64_store(guest + 16, 0x4cb);
    CU_ASSERT_EQUAL(hc_subop(26, a, &ctx), 3);
    describe(buf, sizeof(buf), 26, a, &ctx);
    CU_ASSERT_STRING_EQUAL(buf, "mmuext_op(pin_l4_table, arg1=0x4cb, "
                           "count=1, dom=self)");
    a[0] = 1000000;
    describe(buf, sizeof(buf), 15, a, &ctx);     /* no sub-op */
    CU_ASSERT_STRING_EQUAL(buf, "set_timer_op(timeout=1000000 ns)");
    describe(buf, sizeof(buf), 23, a, &ctx);
    CU_ASSERT_STRING_EQUAL(buf, "iret()");
    a[0] = 62;                                      /* unreadable */
    CU_ASSERT_EQUAL(hc_subop(26, a, &ctx), HC_NO_SUBOP);
    describe(buf, sizeof(buf), 51, a, &ctx);
    CU_ASSERT_STRING_EQUAL(buf, "hypercall 51(0x3e, 0x1, 0x0)");
    hc_short(buf, sizeof(buf), 29, 40);
    CU_ASSERT_STRING_EQUAL(buf, "sched_op(40)");
    hc_result(buf, sizeof(buf), -38);
    CU_ASSERT_STRING_EQUAL(buf, "-38 (ENOSYS)");
    hc_result(buf, sizeof(buf), 0x40011);
    CU_ASSERT_STRING_EQUAL(buf, "262161 (0x40011)");
    hc_result(buf, sizeof(buf), -1000);
    CU_ASSERT_STRING_EQUAL(buf, "-1000 (0xfffffffffffffc18)");
    hc_outcome(-38, false, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, " = -38 (ENOSYS)");
    hc_outcome(0, true, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, " (no return value)");
}

/* A record keeps the guest words as they were when the hypercall was
 * made: the guest changing them afterwards changes no description. */
static void test_hc_capture(void)
{
    struct hc_ctx ctx = { true, read_guest, NULL };
    uint64_t a[6] = { 1, 8, 0, 0, 0, 0 };           /* bind_virq at 8 */
    struct hc_call c;
    char buf[160];

    le32_store(guest + 8, 3);
    le32_store(guest + 12, 1);
    hc_capture(&c, 32, a, &ctx);
    le32_store(guest + 8, 7);
    le32_store(guest + 12, 5);
    hc_describe(buf, sizeof(buf), &c);
    CU_ASSERT_STRING_EQUAL(buf, "event_channel_op(bind_virq, virq=3, "
                           "vcpu=1)");
    a[1] = 60;                          /* the second word is unreadable */
    le32_store(guest + 60, 9);
    hc_capture(&c, 32, a, &ctx);
    CU_ASSERT_EQUAL(c.peeked, 1);
    hc_describe(buf, sizeof(buf), &c);
    CU_ASSERT_STRING_EQUAL(buf, "event_channel_op(bind_virq)");
    a[0] = 4;                           /* send: needs only the first */
    hc_capture(&c, 32, a, &ctx);
    hc_describe(buf, sizeof(buf), &c);
    CU_ASSERT_STRING_EQUAL(buf, "event_channel_op(send, port=9)");
}

/* ---- rings and the hash ----------------------------------------------------------- */

static void test_rings(void)
{
    struct rings r;
    struct place kernel = { 3, PM_KERNEL }, user = { 3, PM_USER },
                 xen = { 0, PM_XEN };
    struct transition t = { .icount = 100, .ns = 1000, .to = user,
                            .kind = TK_IRET };
    char buf[160];

    rings_init(&r, kernel, 0, 0);
    rings_record(&r, &t);
    t = (struct transition){ .icount = 150, .ns = 1050, .to = xen,
                             .kind = TK_HYPERCALL,
                             .why.hc = { .nr = 29, .sub = 1 } };
    rings_record(&r, &t);
    rings_charge(&r, 150, 5000);                    /* blocked in Xen */
    CU_ASSERT_EQUAL(r.insns[place_index(kernel)], 100);
    CU_ASSERT_EQUAL(r.insns[place_index(user)], 50);
    CU_ASSERT_EQUAL(r.ns[place_index(xen)], 3950);
    CU_ASSERT_EQUAL(r.kinds[TK_HYPERCALL], 1);
    CU_ASSERT_TRUE(place_eq(rings_recent(&r, 1)->to, user));
    CU_ASSERT_PTR_NULL(rings_recent(&r, 2));
    transition_text(rings_recent(&r, 0), buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "ring3(user) -> xen hypercall 29 "
                           "sched_op(block)");
    for (unsigned i = 0; i < NR_PLACES; i++)
        CU_ASSERT_EQUAL(place_index(place_at(i)), i);
    CU_ASSERT_STRING_EQUAL(place_name((struct place){ 1, PM_KERNEL }, buf,
                                      sizeof(buf)), "ring1(kernel)");
    CU_ASSERT_STRING_EQUAL(place_name((struct place){ 0, PM_NONE }, buf,
                                      sizeof(buf)), "ring0");
}

static void expect_cause(const struct transition *t, const char *want)
{
    char buf[160];

    transition_cause(t, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, want);
}

/* Every kind's raw cause in words, as info rings and traces show it. */
static void test_transition_causes(void)
{
    struct transition t = { .kind = TK_HYPERCALL_RETURN,
                            .why.hc = { .nr = 29, .sub = 2, .ret = -22 } };

    expect_cause(&t, "return from sched_op(shutdown) = -22 (EINVAL)");
    t.why.hc.no_return = true;
    expect_cause(&t, "return from sched_op(shutdown)");
    t = (struct transition){ .kind = TK_TRAP, .why.trap = { 14, false } };
    expect_cause(&t, "trap 14 #PF");
    t.why.trap.vector = 0x80;
    t.why.trap.int_n = true;
    expect_cause(&t, "trap 0x80 (int $0x80)");
    t = (struct transition){ .kind = TK_EVENT_UPCALL, .why.port = 3 };
    expect_cause(&t, "event upcall port 3");
    t.why.port = 0;
    expect_cause(&t, "event upcall");
    t = (struct transition){ .kind = TK_HANDLED_IN_XEN,
                             .why.ev = { .kind = EV_EXCEPTION, .vector = 13,
                                         .has_error = true } };
    expect_cause(&t, "exception 13 #GP (error 0x0) handled in xen");
    t.kind = TK_EXCEPTION;
    expect_cause(&t, "exception 13 #GP (error 0x0)");
    t = (struct transition){ .kind = TK_RETURN, .why.insn = "sysret" };
    expect_cause(&t, "sysret");
    t = (struct transition){ .kind = TK_IRET };
    expect_cause(&t, "iret");
    t.kind = TK_OTHER;
    expect_cause(&t, "far transfer");
    t.kind = TK_SYSCALL_CALLBACK;
    expect_cause(&t, "syscall callback");
}

static void test_trace_hash(void)
{
    /* FNV-1a 64 of the bytes 01 00 00 00 00 00 00 00, by hand. */
    uint64_t h = TRACE_HASH_INIT;
    uint8_t bytes[8] = { 1 };

    for (int i = 0; i < 8; i++) {
        h ^= bytes[i];
        h *= 0x100000001b3ull;
    }
    CU_ASSERT_EQUAL(trace_hash_mix(TRACE_HASH_INIT, 1), h);
    CU_ASSERT_NOT_EQUAL(trace_hash_mix(trace_hash_mix(TRACE_HASH_INIT, 1), 2),
                        trace_hash_mix(trace_hash_mix(TRACE_HASH_INIT, 2), 1));
}

UNIT_SUITE(monitor_tables)
{
    CU_pSuite s = CU_add_suite("monitor_tables", NULL, NULL);
    UNIT_TEST(s, test_bp_numbering);
    UNIT_TEST(s, test_bp_exec);
    UNIT_TEST(s, test_bp_watch);
    UNIT_TEST(s, test_bp_values);
    UNIT_TEST(s, test_symbols);
    UNIT_TEST(s, test_symbols_bad);
    UNIT_TEST(s, test_hcdecode);
    UNIT_TEST(s, test_hc_capture);
    UNIT_TEST(s, test_rings);
    UNIT_TEST(s, test_transition_causes);
    UNIT_TEST(s, test_trace_hash);
}
