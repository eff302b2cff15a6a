/*
 * MMX/SSE instructions against known answers: every register form of the
 * non-floating-point MMX, SSE..SSE4.2, AES-NI, PCLMULQDQ and CRC32
 * instructions, run from the inputs of sse-inputs.h and compared with what
 * an x86-64 host computed for the same inputs (sse-vectors.inc, made by
 * vectors/gen-sse.c).  The vectors are plain data, so this suite proves
 * the results are the same on every host (make check-cross).
 */
#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "test-cpu-int.h"
#include "sse-inputs.h"
#include "unit.h"

struct sse_vector {
    const char *name;
    unsigned kind;
    uint64_t seed;
    unsigned len;
    uint8_t code[15];
    /* XMM0, XMM1, MM1, RAX, RCX, RDX, arithmetic flags */
    uint64_t out[9];
};

static const struct sse_vector vectors[] = {
#include "sse-vectors.inc"
};

static struct tmach t;

static void sse_machine(void)
{
    CU_ASSERT_FATAL(tm_reinit(&t, TM_64) == 0);
    CU_ASSERT_FATAL(cpu_set_cr4(&t.cpu, t.cpu.cr4 | CR4_OSFXSR |
                                        CR4_OSXMMEXCPT));
}

static void load_state(struct cpu *c, const struct sse_state *s)
{
    for (unsigned r = 0; r < 3; r++) {
        c->fpu.xmm[r].q[0] = s->x[r][0];
        c->fpu.xmm[r].q[1] = s->x[r][1];
        c->fpu.st[r].mant = s->mm[r];
    }
    c->r[R_AX] = s->rax;
    c->r[R_CX] = s->rcx;
    c->r[R_DX] = s->rdx;
    cpu_set_rflags(c, s->fl);
}

/* Run one vector; on a mismatch print what differs and return false. */
static bool run_vector(const struct sse_vector *v)
{
    static const char *const what[9] = {
        "xmm0.lo", "xmm0.hi", "xmm1.lo", "xmm1.hi", "mm1", "rax", "rcx",
        "rdx", "flags",
    };
    struct cpu *c = &t.cpu;
    struct sse_state in;
    uint64_t got[9];
    bool ok = true;
    int vec;

    sse_inputs(&in, v->kind, v->seed);
    load_state(c, &in);
    vec = tm_exec(&t, v->code, v->len);
    if (vec != -1) {
        fprintf(stderr, "\n  %s (seed %llu): exception %d\n", v->name,
                (unsigned long long)v->seed, vec);
        return false;
    }
    got[0] = c->fpu.xmm[0].q[0];
    got[1] = c->fpu.xmm[0].q[1];
    got[2] = c->fpu.xmm[1].q[0];
    got[3] = c->fpu.xmm[1].q[1];
    got[4] = c->fpu.st[1].mant;
    got[5] = c->r[R_AX];
    got[6] = c->r[R_CX];
    got[7] = c->r[R_DX];
    got[8] = cpu_get_rflags(c) & FL_ARITH;
    for (unsigned k = 0; k < 9; k++) {
        if (got[k] != v->out[k]) {
            fprintf(stderr, "\n  %s (seed %llu): %s %#llx, expected %#llx",
                    v->name, (unsigned long long)v->seed, what[k],
                    (unsigned long long)got[k],
                    (unsigned long long)v->out[k]);
            ok = false;
        }
    }
    return ok;
}

static void test_known_answers(void)
{
    unsigned failed = 0;

    sse_machine();
    for (size_t k = 0; k < sizeof(vectors) / sizeof(vectors[0]); k++)
        if (!run_vector(&vectors[k]))
            failed++;
    CU_ASSERT_EQUAL(failed, 0);
    tm_release(&t);
}

UNIT_SUITE(cpu_sse)
{
    CU_pSuite s = CU_add_suite("cpu_sse", NULL, NULL);
    UNIT_TEST(s, test_known_answers);
}
