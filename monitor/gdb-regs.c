/* The registers gdb sees (see gdb-regs.h). */
#include <stdio.h>
#include <string.h>
#include "monitor/gdb-regs.h"
#include "xenemu/le.h"

enum reg_src {
    RS_GPR, RS_PC, RS_FLAGS, RS_SEL, RS_ST, RS_FCW, RS_FSW, RS_FTW, RS_FCS,
    RS_FIP, RS_FDS, RS_FDP, RS_FOP, RS_XMM, RS_MXCSR, RS_BASE, RS_CR,
    RS_EFER,
};

struct gdb_reg {
    const char *name;
    uint8_t bits;
    uint8_t src;            /* enum reg_src */
    uint8_t idx;            /* GPR, segment, ST(i), XMM, CR number */
    const char *type;
    const char *group;
};

struct gdb_layout {
    const struct gdb_reg *regs;
    unsigned n;
    const char *xml;
};

#define GPR(n, i, b, t) { n, b, RS_GPR, i, t, NULL }
#define SEL(n, i) { n, 32, RS_SEL, i, "int32", NULL }
#define ST(n, i) { n, 80, RS_ST, i, "i387_ext", NULL }
#define FPC(n, s) { n, 32, s, 0, "int", "float" }
#define XMM(n, i) { n, 128, RS_XMM, i, "vec128", "vector" }
#define X87_REGS \
    ST("st0", 0), ST("st1", 1), ST("st2", 2), ST("st3", 3), ST("st4", 4), \
    ST("st5", 5), ST("st6", 6), ST("st7", 7), FPC("fctrl", RS_FCW),       \
    FPC("fstat", RS_FSW), FPC("ftag", RS_FTW), FPC("fiseg", RS_FCS),      \
    FPC("fioff", RS_FIP), FPC("foseg", RS_FDS), FPC("fooff", RS_FDP),     \
    FPC("fop", RS_FOP)
#define SEG_REGS \
    SEL("cs", SEG_CS), SEL("ss", SEG_SS), SEL("ds", SEG_DS),             \
    SEL("es", SEG_ES), SEL("fs", SEG_FS), SEL("gs", SEG_GS)

static const struct gdb_reg regs64[] = {
    GPR("rax", R_AX, 64, "int64"), GPR("rbx", R_BX, 64, "int64"),
    GPR("rcx", R_CX, 64, "int64"), GPR("rdx", R_DX, 64, "int64"),
    GPR("rsi", R_SI, 64, "int64"), GPR("rdi", R_DI, 64, "int64"),
    GPR("rbp", R_BP, 64, "data_ptr"), GPR("rsp", R_SP, 64, "data_ptr"),
    GPR("r8", 8, 64, "int64"), GPR("r9", 9, 64, "int64"),
    GPR("r10", 10, 64, "int64"), GPR("r11", 11, 64, "int64"),
    GPR("r12", 12, 64, "int64"), GPR("r13", 13, 64, "int64"),
    GPR("r14", 14, 64, "int64"), GPR("r15", 15, 64, "int64"),
    { "rip", 64, RS_PC, 0, "code_ptr", NULL },
    { "eflags", 32, RS_FLAGS, 0, "int32", NULL },
    SEG_REGS, X87_REGS,
    XMM("xmm0", 0), XMM("xmm1", 1), XMM("xmm2", 2), XMM("xmm3", 3),
    XMM("xmm4", 4), XMM("xmm5", 5), XMM("xmm6", 6), XMM("xmm7", 7),
    XMM("xmm8", 8), XMM("xmm9", 9), XMM("xmm10", 10), XMM("xmm11", 11),
    XMM("xmm12", 12), XMM("xmm13", 13), XMM("xmm14", 14), XMM("xmm15", 15),
    { "mxcsr", 32, RS_MXCSR, 0, "int", "vector" },
    { "fs_base", 64, RS_BASE, SEG_FS, "int", NULL },
    { "gs_base", 64, RS_BASE, SEG_GS, "int", NULL },
    { "cr0", 64, RS_CR, 0, "int", "system" },
    { "cr2", 64, RS_CR, 2, "int", "system" },
    { "cr3", 64, RS_CR, 3, "int", "system" },
    { "cr4", 64, RS_CR, 4, "int", "system" },
    { "efer", 64, RS_EFER, 0, "int", "system" },
};

static const struct gdb_reg regs32[] = {
    GPR("eax", R_AX, 32, "int32"), GPR("ecx", R_CX, 32, "int32"),
    GPR("edx", R_DX, 32, "int32"), GPR("ebx", R_BX, 32, "int32"),
    GPR("esp", R_SP, 32, "data_ptr"), GPR("ebp", R_BP, 32, "data_ptr"),
    GPR("esi", R_SI, 32, "int32"), GPR("edi", R_DI, 32, "int32"),
    { "eip", 32, RS_PC, 0, "code_ptr", NULL },
    { "eflags", 32, RS_FLAGS, 0, "int32", NULL },
    SEG_REGS, X87_REGS,
    XMM("xmm0", 0), XMM("xmm1", 1), XMM("xmm2", 2), XMM("xmm3", 3),
    XMM("xmm4", 4), XMM("xmm5", 5), XMM("xmm6", 6), XMM("xmm7", 7),
    { "mxcsr", 32, RS_MXCSR, 0, "int", "vector" },
    { "cr0", 32, RS_CR, 0, "int", "system" },
    { "cr2", 32, RS_CR, 2, "int", "system" },
    { "cr3", 32, RS_CR, 3, "int", "system" },
    { "cr4", 32, RS_CR, 4, "int", "system" },
    { "efer", 64, RS_EFER, 0, "int", "system" },
};

/* The features each register belongs to, by its name. */
static const char *feature_of(const struct gdb_reg *r)
{
    if (r->src == RS_XMM || r->src == RS_MXCSR)
        return "org.gnu.gdb.i386.sse";
    if (r->src == RS_BASE)
        return "org.gnu.gdb.i386.segments";
    if (r->src == RS_CR || r->src == RS_EFER)
        return "org.xenemu.gdb.x86.sys";
    return "org.gnu.gdb.i386.core";
}

static const char vec128_types[] =
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
    "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
    "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
    "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
    "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
    "<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
    "<field name=\"v2_double\" type=\"v2d\"/>"
    "<field name=\"v16_int8\" type=\"v16i8\"/>"
    "<field name=\"v8_int16\" type=\"v8i16\"/>"
    "<field name=\"v4_int32\" type=\"v4i32\"/>"
    "<field name=\"v2_int64\" type=\"v2i64\"/>"
    "<field name=\"uint128\" type=\"uint128\"/></union>";

#define XML_MAX 12000

static void xml_add(char *buf, size_t *len, const char *s)
{
    size_t n = strlen(s);

    if (*len + n < XML_MAX) {
        memcpy(buf + *len, s, n + 1);
        *len += n;
    }
}

/* The description, built once per layout from its table. */
static const char *build_xml(const struct gdb_reg *regs, unsigned n,
                             bool is64, char *buf)
{
    const char *feature = NULL;
    char line[200];
    size_t len = 0;

    buf[0] = '\0';
    xml_add(buf, &len, "<?xml version=\"1.0\"?>"
            "<!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target>"
            "<architecture>");
    xml_add(buf, &len, is64 ? "i386:x86-64" : "i386");
    xml_add(buf, &len, "</architecture>");
    for (unsigned i = 0; i < n; i++) {
        const char *f = feature_of(&regs[i]);
        if (!feature || strcmp(f, feature) != 0) {
            if (feature)
                xml_add(buf, &len, "</feature>");
            snprintf(line, sizeof(line), "<feature name=\"%s\">", f);
            xml_add(buf, &len, line);
            if (regs[i].src == RS_XMM)
                xml_add(buf, &len, vec128_types);
            feature = f;
        }
        snprintf(line, sizeof(line), "<reg name=\"%s\" bitsize=\"%u\" "
                 "type=\"%s\" regnum=\"%u\"%s%s%s/>", regs[i].name,
                 regs[i].bits, regs[i].type, i,
                 regs[i].group ? " group=\"" : "",
                 regs[i].group ? regs[i].group : "",
                 regs[i].group ? "\"" : "");
        xml_add(buf, &len, line);
    }
    xml_add(buf, &len, "</feature></target>");
    return buf;
}

static char xml64[XML_MAX], xml32[XML_MAX];

const struct gdb_layout gdb_layout_x86_64 = { regs64, ARRAY_SIZE(regs64),
                                              xml64 };
const struct gdb_layout gdb_layout_i386 = { regs32, ARRAY_SIZE(regs32),
                                            xml32 };

const char *gdb_target_xml(const struct gdb_layout *l)
{
    if (!l->xml[0])
        build_xml(l->regs, l->n, l == &gdb_layout_x86_64, (char *)l->xml);
    return l->xml;
}

unsigned gdb_nregs(const struct gdb_layout *l)
{
    return l->n;
}

unsigned gdb_reg_size(const struct gdb_layout *l, unsigned n)
{
    return n < l->n ? l->regs[n].bits / 8u : 0;
}

static uint64_t cr_value(const struct cpu *c, unsigned n)
{
    switch (n) {
    case 0: return c->cr0;
    case 2: return c->cr2;
    case 3: return c->cr3;
    default: return c->cr4;
    }
}

/* An integer register's value (everything but ST and XMM). */
static uint64_t int_value(struct cpu *c, const struct gdb_reg *r)
{
    const struct fpu *f = &c->fpu;

    switch ((enum reg_src)r->src) {
    case RS_GPR: return c->r[r->idx];
    case RS_PC: return c->rip;
    case RS_FLAGS: return cpu_get_rflags(c);
    case RS_SEL: return c->seg[r->idx].sel;
    case RS_FCW: return f->fcw;
    case RS_FSW: return f->fsw;
    case RS_FTW: return f->ftw;
    case RS_FCS: return f->fcs;
    case RS_FIP: return f->fip & 0xffffffffu;
    case RS_FDS: return f->fds;
    case RS_FDP: return f->fdp & 0xffffffffu;
    case RS_FOP: return f->fop;
    case RS_MXCSR: return f->mxcsr;
    case RS_BASE: return c->seg[r->idx].base;
    case RS_CR: return cr_value(c, r->idx);
    case RS_EFER: return c->efer;
    case RS_ST: case RS_XMM: break;
    }
    return 0;
}

static struct x87reg *st_reg(struct cpu *c, unsigned i)
{
    unsigned top = (c->fpu.fsw >> 11) & 7;

    return &c->fpu.st[(top + i) & 7];
}

unsigned gdb_reg_get(const struct gdb_layout *l, struct cpu *c, unsigned n,
                     uint8_t *out)
{
    const struct gdb_reg *r;
    unsigned size = gdb_reg_size(l, n);

    if (!size)
        return 0;
    r = &l->regs[n];
    if (r->src == RS_ST) {
        const struct x87reg *st = st_reg(c, r->idx);
        le64_store(out, st->mant);
        le16_store(out + 8, st->se);
    } else if (r->src == RS_XMM) {
        le64_store(out, c->fpu.xmm[r->idx].q[0]);
        le64_store(out + 8, c->fpu.xmm[r->idx].q[1]);
    } else {
        le_store(out, size, int_value(c, r));
    }
    return size;
}

/* A write to an integer register gdb may change: 0, or -1. */
static int set_int(struct cpu *c, const struct gdb_reg *r, uint64_t v)
{
    struct fpu *f = &c->fpu;

    switch ((enum reg_src)r->src) {
    case RS_GPR:
        c->r[r->idx] = r->bits == 32 ? (c->r[r->idx] & ~0xffffffffull) | v
                                     : v;
        return 0;
    case RS_PC: c->rip = v; return 0;
    case RS_FLAGS:
        cpu_set_rflags(c, (cpu_get_rflags(c) & ~0xffffffffull) | v);
        return 0;
    case RS_FCW: f->fcw = (uint16_t)v; return 0;
    case RS_FSW: f->fsw = (uint16_t)v; return 0;
    case RS_FTW: f->ftw = (uint16_t)v; return 0;
    case RS_FOP: f->fop = (uint16_t)(v & 0x7ff); return 0;
    case RS_MXCSR: f->mxcsr = (uint32_t)v; return 0;
    case RS_BASE: c->seg[r->idx].base = v; return 0;
    default:
        return v == int_value(c, r) ? 0 : -1;
    }
}

int gdb_reg_set(const struct gdb_layout *l, struct cpu *c, unsigned n,
                const uint8_t *in)
{
    const struct gdb_reg *r;
    unsigned size = gdb_reg_size(l, n);

    if (!size)
        return -1;
    r = &l->regs[n];
    if (r->src == RS_ST) {
        struct x87reg *st = st_reg(c, r->idx);
        st->mant = le64_load(in);
        st->se = le16_load(in + 8);
        return 0;
    }
    if (r->src == RS_XMM) {
        c->fpu.xmm[r->idx].q[0] = le64_load(in);
        c->fpu.xmm[r->idx].q[1] = le64_load(in + 8);
        return 0;
    }
    return set_int(c, r, le_load(in, size));
}
