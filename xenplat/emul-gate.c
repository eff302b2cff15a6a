/*
 * Call gates of 32-bit PV guests (x86/pv/emul-gate-op.c, Xen 4.17).
 * check_descriptor gives every guest call gate DPL 0 (the guest's DPL
 * goes into the target selector's RPL), so each use faults with
 * #GP(gate selector) and Xen does the far call or jump itself: the gate,
 * the instruction (CALL/JMP ptr16:32, CALL/JMP m16:32), its selector
 * operand, the target code segment and, for a call to an inner ring, the
 * kernel stack with the outer SS:ESP and the parameters copied over.  The
 * new CS (and SS) are loaded on the way out, like the iret hypercall's.
 */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/guest.h"
#include "xenplat/mm.h"
#include "xenplat/traps.h"
#include "xenplat/xenmap.h"

/* Descriptor high-dword bits (_SEGMENT_*). */
#define SD_TYPE  (15u << 8)
#define SD_WR    (1u << 9)
#define SD_EC    (1u << 10)
#define SD_CODE  (1u << 11)
#define SD_S     (1u << 12)
#define SD_DPL   (3u << 13)
#define SD_P     (1u << 15)
#define SD_L     (1u << 21)
#define SD_DB    (1u << 22)
#define SD_G     (1u << 23)
#define KERNEL_RPL32 1

#define DPL(ar) (((ar) >> 13) & 3)

/* A guest descriptor through the vCPU's GDT/LDT window (an LDT page not
 * mapped yet is mapped, as Xen's fault fix-up does): 0 or -1. */
static int get_desc(struct vcpu *v, unsigned sel, uint32_t *a, uint32_t *b)
{
    uint64_t va = ((sel & 4) ? xenmap_ldt_va(v) : xenmap_gdt_va(v)) +
                  (sel >> 3) * 8ull;
    uint8_t d[8];

    for (;;) {
        if (!cpu_read_virt(&v->cpu, va, d, 8, 0))
            break;
        if (!mm_ldt_window_fault(v, va))
            return -1;
    }
    *a = le32_load(d);
    *b = le32_load(d + 4);
    return 0;
}

/* pv_emul_read_descriptor: base, limit and access rights of sel. */
static bool read_descriptor(struct vcpu *v, unsigned sel, uint32_t *base,
                            uint32_t *limit, uint32_t *ar)
{
    uint32_t a = 0, b = 0;

    if (!(sel < 4 || ((sel & 4) && (sel >> 3) >= v->ldt_ents)) &&
        get_desc(v, sel, &a, &b))
        return false;
    b &= ~SD_L;
    *ar = b & 0x00f0ff00u;
    *base = (a >> 16) | (b & 0xff) << 16 | (b & 0xff000000u);
    *limit = (a & 0xffff) | (b & 0x000f0000u);
    if (b & SD_G)
        *limit = (*limit << 12) | 0xfff;
    return true;
}

/* read_gate_descriptor: a 32-bit or 16-bit call gate. */
static bool read_gate(struct vcpu *v, unsigned gate, unsigned *sel,
                      uint32_t *off, uint32_t *ar)
{
    uint32_t a, b;

    if (gate < 4 ||
        (gate >> 3) >= ((gate & 4) ? v->ldt_ents : v->gdt_ents) ||
        get_desc(v, gate, &a, &b))
        return false;
    *sel = (a >> 16) & 0xfffc;
    *off = (a & 0xffff) | (b & 0xffff0000u);
    *ar = b & 0xffff;
    if (*ar & SD_DPL)
        return false;
    *ar |= (a >> (16 - 13)) & SD_DPL;
    switch (*ar & 0x1f00) {
    case 0x0400:
        *off &= 0xffff;
        return true;
    case 0x0c00:
        return true;
    default:
        return false;
    }
}

static bool check_stack_limit(uint32_t ar, uint32_t limit, uint32_t esp,
                              uint32_t decr)
{
    return esp - decr < esp - 1 &&
           (!(ar & SD_EC) ? esp - 1 <= limit : esp - decr > limit);
}

/* ---- reading the instruction and its operand ------------------------------- */

enum { MEM_OK, MEM_UNHANDLEABLE, MEM_FAULT };

struct gate_op {
    struct vcpu *v;
    uint32_t cs_base, cs_limit;
    uint32_t eip;
    unsigned len;              /* bytes decoded so far */
    bool opsize32, adsize32;
    int seg;                   /* override, -1: none */
};

/* read_mem: through segment seg (its live selector; CS as decoded), with
 * Xen's limit check; a fault is a #PF(0) at the first missing byte. */
static int read_mem(struct gate_op *g, int seg, uint32_t off, void *buf,
                    unsigned n)
{
    struct vcpu *v = g->v;
    uint32_t base, limit, ar, addr;
    unsigned sel, i;

    if (seg == SEG_CS) {
        base = g->cs_base;
        limit = g->cs_limit;
    } else {
        sel = v->cpu.seg[seg].sel;
        if (!sel || !read_descriptor(v, sel, &base, &limit, &ar) ||
            !(ar & SD_S) || !(ar & SD_P) ||
            ((ar & SD_CODE) && !(ar & SD_WR)))
            return MEM_UNHANDLEABLE;
    }
    if (limit < n - 1 || off > limit - n + 1)
        return MEM_UNHANDLEABLE;
    addr = base + off;
    for (i = 0; i < n; i++)
        if (copy_from_guest(v, (uint32_t)(addr + i), (uint8_t *)buf + i, 1)) {
            pv_inject_page_fault(v, (uint32_t)(addr + i), 0);
            return MEM_FAULT;
        }
    return MEM_OK;
}

static int fetch(struct gate_op *g, void *buf, unsigned n)
{
    int r = read_mem(g, SEG_CS, g->eip + g->len, buf, n);

    g->len += n;
    return r;
}

static int fetch_u(struct gate_op *g, unsigned n, uint32_t *val)
{
    uint8_t b[8] = { 0 };
    int r = fetch(g, b, n);

    *val = r == MEM_OK ? (uint32_t)le_load(b, n) : 0;
    return r;
}

/* The effective address of a ModRM memory operand (16- or 32-bit
 * addressing) and its default segment. */
static int modrm_ea(struct gate_op *g, unsigned modrm, uint32_t *ea, int *seg)
{
    static const int base16[8][2] = {
        { R_BX, R_SI }, { R_BX, R_DI }, { R_BP, R_SI }, { R_BP, R_DI },
        { R_SI, -1 }, { R_DI, -1 }, { R_BP, -1 }, { R_BX, -1 },
    };
    const uint64_t *r = g->v->cpu.r;
    unsigned mod = modrm >> 6, rm = modrm & 7;
    uint32_t disp = 0, sib;
    int rc;

    *seg = SEG_DS;
    if (!g->adsize32) {
        if (mod == 0 && rm == 6) {
            rc = fetch_u(g, 2, &disp);
            *ea = disp;
            return rc;
        }
        if ((rc = mod ? fetch_u(g, mod == 1 ? 1 : 2, &disp) : MEM_OK))
            return rc;
        if (mod == 1)
            disp = (uint32_t)(int8_t)disp;
        *ea = (uint16_t)(r[base16[rm][0]] +
                         (base16[rm][1] >= 0 ? r[base16[rm][1]] : 0) + disp);
        if (rm == 2 || rm == 3 || rm == 6)
            *seg = SEG_SS;
        return MEM_OK;
    }
    *ea = 0;
    if (rm == 4) {
        unsigned scale, index, base;
        if ((rc = fetch_u(g, 1, &sib)))
            return rc;
        scale = sib >> 6;
        index = (sib >> 3) & 7;
        base = sib & 7;
        if (index != 4)
            *ea += (uint32_t)r[index] << scale;
        if (base == 5 && mod == 0) {
            if ((rc = fetch_u(g, 4, &disp)))
                return rc;
        } else {
            *ea += (uint32_t)r[base];
            if (base == R_SP || base == R_BP)
                *seg = SEG_SS;
        }
    } else if (rm == 5 && mod == 0) {
        if ((rc = fetch_u(g, 4, &disp)))
            return rc;
    } else {
        *ea += (uint32_t)r[rm];
        if (rm == R_BP)
            *seg = SEG_SS;
    }
    if (mod == 1 || mod == 2) {
        if ((rc = fetch_u(g, mod == 1 ? 1 : 4, &disp)))
            return rc;
        if (mod == 1)
            disp = (uint32_t)(int8_t)disp;
    }
    *ea += disp;
    return MEM_OK;
}

/* The far CALL or JMP: *jump 0 (call), 1 (jump) or -1 (something else);
 * *opnd_sel its selector operand. */
static int decode(struct gate_op *g, int *jump, uint16_t *opnd_sel)
{
    static const int seg_prefix[] = {
        [0x26] = SEG_ES + 1, [0x2e] = SEG_CS + 1, [0x36] = SEG_SS + 1,
        [0x3e] = SEG_DS + 1, [0x64] = SEG_FS + 1, [0x65] = SEG_GS + 1,
    };
    uint32_t op, modrm, ea, sel;
    int rc, seg;
    unsigned i;

    *jump = -1;
    for (i = 0; i < 15; i++) {
        if ((rc = fetch_u(g, 1, &op)))
            return rc;
        if (op == 0x66)
            g->opsize32 = !g->opsize32;
        else if (op == 0x67)
            g->adsize32 = !g->adsize32;
        else if (op < 0x66 && seg_prefix[op])
            g->seg = seg_prefix[op] - 1;
        else if (op != 0xf0 && op != 0xf2 && op != 0xf3)
            break;
    }
    if (i == 15)
        return MEM_UNHANDLEABLE;
    switch (op) {
    case 0xea:
    case 0x9a:
        *jump = op == 0xea;
        if ((rc = fetch_u(g, g->opsize32 ? 4 : 2, &sel)) ||
            (rc = fetch_u(g, 2, &sel)))
            return rc;
        *opnd_sel = (uint16_t)sel;
        return MEM_OK;
    case 0xff:
        if ((rc = fetch_u(g, 1, &modrm)))
            return rc;
        if ((modrm >> 6) == 3 ||
            (((modrm >> 3) & 7) != 3 && ((modrm >> 3) & 7) != 5))
            return MEM_OK;
        if ((rc = modrm_ea(g, modrm, &ea, &seg)))
            return rc;
        *jump = ((modrm >> 3) & 7) == 5;
        rc = read_mem(g, g->seg >= 0 ? g->seg : seg,
                      ea + (g->opsize32 ? 4 : 2), opnd_sel, 2);
        *opnd_sel = le16_load((const uint8_t *)opnd_sel);
        return rc;
    default:
        return MEM_OK;
    }
}

/* ---- the far transfer ----------------------------------------------------- */

/* Push a dword at *stkp - 4 (a flat address); false with the #PF given. */
static bool push(struct vcpu *v, uint32_t *stkp, uint32_t *esp, uint32_t val)
{
    *stkp -= 4;
    *esp -= 4;
    if (put_guest_u32(v, *stkp, val)) {
        pv_inject_page_fault(v, *stkp, PFEC_W);
        return false;
    }
    return true;
}

/* A call to an inner ring (the kernel's): its stack from stack_switch,
 * the outer SS:ESP and nparm parameters.  False with the fault given. */
static bool call_inner(struct vcpu *v, unsigned error, unsigned sel,
                       unsigned nparm, uint32_t *stkp, uint32_t *esp,
                       unsigned *ss)
{
    struct cpu *c = &v->cpu;
    uint32_t base, limit, ar, ustkp, parm;
    unsigned cpl = c->seg[SEG_CS].sel & 3;

    if ((sel & 3) != KERNEL_RPL32) {
        pv_inject_exception(v, EXC_GP, true, error);
        return false;
    }
    *esp = (uint32_t)v->kernel_sp;
    *ss = v->kernel_ss;
    if ((*ss & 3) != (sel & 3) ||
        !read_descriptor(v, *ss, &base, &limit, &ar) ||
        DPL(ar) != (sel & 3) || !(ar & SD_S) || (ar & SD_CODE) ||
        !(ar & SD_WR)) {
        pv_inject_exception(v, EXC_TS, true, *ss & ~3u);
        return false;
    }
    if (!(ar & SD_P) || !check_stack_limit(ar, limit, *esp, (4 + nparm) * 4)) {
        pv_inject_exception(v, EXC_SS, true, *ss & ~3u);
        return false;
    }
    *stkp = base + *esp;
    if (!guest_range_ok(v, (uint32_t)(*stkp - (4 + nparm) * 4),
                        16 + nparm * 4)) {
        pv_inject_exception(v, EXC_GP, true, error);
        return false;
    }
    if (!push(v, stkp, esp, c->seg[SEG_SS].sel) ||
        !push(v, stkp, esp, (uint32_t)c->r[R_SP]))
        return false;
    if (!nparm)
        return true;
    if (!read_descriptor(v, c->seg[SEG_SS].sel, &base, &limit, &ar) ||
        DPL(ar) != cpl || !(ar & SD_S) || (ar & SD_CODE) || !(ar & SD_WR) ||
        !check_stack_limit(ar, limit, *esp + nparm * 4, nparm * 4)) {
        pv_inject_exception(v, EXC_GP, true, error);
        return false;
    }
    ustkp = base + (uint32_t)c->r[R_SP] + nparm * 4;
    if (!guest_range_ok(v, (uint32_t)(ustkp - nparm * 4), nparm * 4)) {
        pv_inject_exception(v, EXC_GP, true, error);
        return false;
    }
    do {
        ustkp -= 4;
        if (get_guest_u32(v, ustkp, &parm)) {
            pv_inject_page_fault(v, ustkp, 0);
            return false;
        }
        if (!push(v, stkp, esp, parm))
            return false;
    } while (--nparm);
    return true;
}

/* pv_emulate_gate_op: the #GP(error) of a 32-bit guest. */
void pv_emulate_gate_op(struct vcpu *v, unsigned error)
{
    struct cpu *c = &v->cpu;
    struct gate_op g = { .v = v, .eip = (uint32_t)c->rip, .seg = -1 };
    unsigned sel, dpl, nparm, cpl = c->seg[SEG_CS].sel & 3, ss;
    uint32_t off, ar, base, limit, stkp = 0, esp = 0;
    uint16_t opnd_sel = 0;
    int jump, rc;

    if (!read_gate(v, error, &sel, &off, &ar) || DPL(ar) < cpl ||
        (ar & SD_TYPE) != 0xc00) {
        pv_inject_exception(v, EXC_GP, true, error);
        return;
    }
    if (!(ar & SD_P)) {
        pv_inject_exception(v, EXC_NP, true, error);
        return;
    }
    dpl = DPL(ar);
    nparm = ar & 0x1f;
    if (!read_descriptor(v, c->seg[SEG_CS].sel, &g.cs_base, &g.cs_limit,
                         &ar) ||
        !(ar & SD_S) || !(ar & SD_P) || !(ar & SD_CODE)) {
        pv_inject_exception(v, EXC_GP, true, error);
        return;
    }
    g.opsize32 = g.adsize32 = ar & SD_DB;
    rc = decode(&g, &jump, &opnd_sel);
    if (rc == MEM_FAULT)
        return;
    if (rc != MEM_OK || jump < 0 || (opnd_sel & ~3u) != error ||
        dpl < (opnd_sel & 3u)) {
        pv_inject_exception(v, EXC_GP, true, error);
        return;
    }
    if (!read_descriptor(v, sel, &base, &limit, &ar) || !(ar & SD_S) ||
        !(ar & SD_CODE) ||
        (!jump || (ar & SD_EC) ? DPL(ar) > cpl : DPL(ar) != cpl)) {
        pv_inject_exception(v, EXC_GP, true, sel);
        return;
    }
    if (!(ar & SD_P)) {
        pv_inject_exception(v, EXC_NP, true, sel);
        return;
    }
    if (off > limit) {
        pv_inject_exception(v, EXC_GP, true, 0);
        return;
    }
    ss = c->seg[SEG_SS].sel;
    if (!jump) {
        if (DPL(ar) < cpl) {
            sel |= DPL(ar);
            if (!call_inner(v, error, sel, nparm, &stkp, &esp, &ss))
                return;
        } else {
            sel |= cpl;
            esp = (uint32_t)c->r[R_SP];
            if (!read_descriptor(v, ss, &base, &limit, &ar) ||
                DPL(ar) != (sel & 3)) {
                pv_inject_exception(v, EXC_GP, true, error);
                return;
            }
            if (!check_stack_limit(ar, limit, esp, 2 * 4)) {
                pv_inject_exception(v, EXC_SS, true, 0);
                return;
            }
            stkp = base + esp;
            if (!guest_range_ok(v, (uint32_t)(stkp - 8), 8)) {
                pv_inject_exception(v, EXC_GP, true, error);
                return;
            }
        }
        if (!push(v, &stkp, &esp, c->seg[SEG_CS].sel) ||
            !push(v, &stkp, &esp, (uint32_t)(c->rip + g.len)))
            return;
        c->r[R_SP] = esp;
    } else {
        sel |= cpl;
    }
    pv_far_transfer(v, (uint16_t)sel, (uint16_t)ss, off);
}
