/*
 * cpu-diff: run every form's cases on the host and in xenemu, compare, and
 * report per form and per group.  The last line is "N passed, N failed,
 * N skipped" counting forms (tests/check reads it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cpu-diff.h"

/* What differed in a case. */
enum {
    D_STATUS = 1u << 0,   /* xenemu: unimplemented, crashed, hung, set-up */
    D_EXC    = 1u << 1,   /* exception vector */
    D_ERR    = 1u << 2,   /* error code or CR2 */
    D_RIP    = 1u << 3,
    D_REG    = 1u << 4,
    D_FLAGS  = 1u << 5,   /* defined flags */
    D_UFLAGS = 1u << 6,   /* flags the SDM leaves undefined */
    D_MEM    = 1u << 7,
    D_TABLE  = 1u << 8,   /* host disagrees with the form table (#UD) */
    D_FPU    = 1u << 9,   /* x87/MMX/SSE state (FO_FPU forms) */
    D_NBITS  = 10,
};
static const char *const diff_names[D_NBITS] = {
    "xenemu-stop", "exception", "error-code", "rip", "regs", "flags",
    "undef-flags", "memory", "table(#UD on host)", "fpu",
};
static const char *const status_names[] = {
    "ok", "unimplemented", "hang", "crash", "setup",
};
static const char *const reg_names[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

struct opts {
    const char *groups, *form;
    unsigned long count;
    long case_no;
    uint64_t seed;
    bool list, verbose, native_only, ignore_undef, undef_report, ignore_cpuid;
    unsigned show;          /* failing cases shown per form */
    unsigned detail_forms;  /* forms whose failing cases are shown */
};

#define QUICK_COUNT 300
#define LONG_COUNT  (100 * QUICK_COUNT)

struct form_stat {
    unsigned long cases, failed;
    unsigned long foreign;          /* cases skipped: see host_foreign() */
    unsigned long by_diff[D_NBITS];
    uint32_t regs, flags_diff;
    unsigned long status[5];
    unsigned long vectors[33];     /* host outcome: [32] no exception */
    /* Host choice for each undefined flag: [bit]{unchanged, set, clear, n} */
    unsigned long undef[12][4];
};

static struct cd_case kcase;
static struct cd_result rnat, remu;

/* ---- comparison ----------------------------------------------------------- */

struct diff {
    unsigned what;
    uint32_t regs;
    uint32_t flags;
    long mem_off;
    char fpu[160];          /* FXSAVE fields that differ */
};

/*
 * The guest maps only the sandbox's code and data pages.  When xenemu
 * page-faults outside them but the host did not, the host happens to have
 * memory of its own at that address (sanitizer shadow memory, the heap...):
 * the case says nothing about the CPU, so it is skipped, not compared.
 */
static unsigned long total_foreign;

static bool host_foreign(const struct cd_result *nat, const struct cd_result *emu)
{
    uint64_t a = emu->cr2;
    bool sandbox = (a >= CD_CODE_BASE && a < CD_CODE_BASE + CD_CODE_SIZE) ||
                   (a >= CD_DATA_BASE && a < CD_DATA_END);
    return emu->vector == 14 && nat->vector != 14 && !sandbox;
}

static void compare(const struct cd_case *k, const struct cd_result *a,
                    const struct cd_result *b, bool ignore_undef, struct diff *d)
{
    const struct cd_form *f = k->f;
    bool compat = f->mode == 32;
    uint64_t rmask = compat ? 0xffffffffull : ~0ull;
    uint32_t fd;

    memset(d, 0, sizeof(*d));
    d->mem_off = -1;
    if (b->status != RES_OK) {
        d->what |= D_STATUS;
        return;
    }
    if (a->vector != b->vector) {
        d->what |= D_EXC;
        return;
    }
    if (a->vector >= 0 && a->has_error && b->has_error) {
        uint32_t m = ~0u;
        if (a->vector == 14 && a->cr2 >= 0x800000000000ull)
            m = 0x12;          /* kernel half: only W and I compare */
        if ((a->error ^ b->error) & m)
            d->what |= D_ERR;
        if (a->vector == 14 && a->cr2 != b->cr2)
            d->what |= D_ERR;
    }
    for (int i = 0; i < 16; i++)
        if ((a->s.r[i] ^ b->s.r[i]) & (i < 8 ? rmask : ~0ull))
            d->regs |= 1u << i;
    if (d->regs)
        d->what |= D_REG;
    if (((a->s.rip ^ b->s.rip) & rmask) && !(f->flags & FO_NORIP))
        d->what |= D_RIP;
    fd = (uint32_t)((a->s.rflags ^ b->s.rflags) & FLAGS_CMP);
    d->flags = fd;
    if (fd & ~f->undef)
        d->what |= D_FLAGS;
    if ((fd & f->undef) && !ignore_undef)
        d->what |= D_UFLAGS;
    if ((f->flags & FO_FPU) && cd_fx_differ(a->s.fx, b->s.fx, d->fpu, sizeof(d->fpu),
                                            f->flags & FO_FPULP))
        d->what |= D_FPU;
    for (unsigned i = 0; i < CD_DATA_SIZE; i++) {
        if (a->data[i] != b->data[i]) {
            d->what |= D_MEM;
            d->mem_off = (long)i;
            break;
        }
    }
}

/* ---- printing --------------------------------------------------------------- */

static void print_flags(uint64_t fl)
{
    static const struct { uint32_t bit; char c; } b[] = {
        { OF, 'O' }, { DF, 'D' }, { SF, 'S' }, { ZF, 'Z' }, { AF, 'A' },
        { PF, 'P' }, { CF, 'C' },
    };
    printf("%#llx[", (unsigned long long)fl);
    for (unsigned i = 0; i < ARRAY_LEN(b); i++)
        putchar(fl & b[i].bit ? b[i].c : '.');
    putchar(']');
}

static void print_regs(const char *tag, const uint64_t *r, uint32_t only)
{
    int col = 0;
    for (int i = 0; i < 16; i++) {
        if (only && !(only >> i & 1))
            continue;
        if (col % 4 == 0)
            printf("%s%-7s", col ? "\n" : "", col ? "" : tag);
        printf(" %-3s=%016llx", reg_names[i], (unsigned long long)r[i]);
        col++;
    }
    if (col)
        putchar('\n');
}

static void print_result(const char *tag, const struct cd_result *r, uint32_t regs)
{
    printf("  %-7s", tag);
    if (r->status != RES_OK)
        printf("[%s] ", status_names[r->status]);
    if (r->vector >= 0) {
        printf("exception %d", r->vector);
        if (r->has_error)
            printf(" err=%#x", r->error);
        if (r->vector == 14)
            printf(" cr2=%#llx", (unsigned long long)r->cr2);
        printf(", ");
    }
    printf("rip=%#llx rflags=", (unsigned long long)r->s.rip);
    print_flags(r->s.rflags);
    putchar('\n');
    if (regs)
        print_regs("", r->s.r, regs);
}

static void print_case(const struct cd_case *k, long idx, const struct diff *d,
                       bool with_emu)
{
    const struct cd_form *f = k->f;

    printf("%s %s/%s case %ld seed %#llx:", d && d->what ? "FAIL" : "case",
           f->group, f->name, idx, (unsigned long long)k->seed);
    for (unsigned i = 0; i < k->len; i++)
        printf(" %02x", k->insn[i]);
    if (f->mode == 32)
        printf("  (compat mode)");
    putchar('\n');
    print_regs("  in", k->in.r, 0);
    printf("  in      rflags=");
    print_flags(k->in.rflags);
    if (f->mem || f->moffs)
        printf(" ea=%#llx", (unsigned long long)k->ea);
    if (k->target)
        printf(" target=%#llx", (unsigned long long)k->target);
    putchar('\n');
    uint32_t regs = d ? d->regs : 0xffff;
    if (f->flags & FO_FPU)
        cd_fx_print("in", k->in.fx);
    print_result("host", &rnat, regs);
    if (f->flags & FO_FPU)
        cd_fx_print("host", rnat.s.fx);
    if (!with_emu)
        return;
    print_result("xenemu", &remu, regs);
    if (f->flags & FO_FPU)
        cd_fx_print("xenemu", remu.s.fx);
    if (!d)
        return;
    if (d->what & D_FPU)
        printf("  fpu state differs: %s\n", d->fpu);
    if (d->flags)
        printf("  flags differ: %#x%s\n", d->flags,
               (d->flags & ~f->undef) ? "" : " (undefined flags only)");
    if (d->mem_off >= 0) {
        long o = d->mem_off & ~7l;
        printf("  memory differs at %#llx: host",
               (unsigned long long)(CD_DATA_BASE + (uint64_t)d->mem_off));
        for (long i = o; i < o + 16 && i < (long)CD_DATA_SIZE; i++)
            printf(" %02x", rnat.data[i]);
        printf(" / xenemu");
        for (long i = o; i < o + 16 && i < (long)CD_DATA_SIZE; i++)
            printf(" %02x", remu.data[i]);
        printf(" (from %#llx)\n", (unsigned long long)(CD_DATA_BASE + (uint64_t)o));
    }
}

/* ---- selection ------------------------------------------------------------- */

static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, name, n))
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

static bool selected(const struct opts *o, const struct cd_form *f)
{
    char full[96];

    if (o->groups && !in_list(o->groups, f->group))
        return false;
    snprintf(full, sizeof(full), "%s/%s", f->group, f->name);
    return !o->form || strstr(full, o->form);
}

static uint64_t name_hash(const struct cd_form *f)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *s = f->group; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    for (const char *s = f->name; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

static void list_forms(const struct opts *o)
{
    const char *const *g;
    for (g = cd_groups(); *g; g++) {
        unsigned n = 0;
        for (unsigned i = 0; i < cd_nforms; i++)
            n += !strcmp(cd_forms[i].group, *g) && selected(o, &cd_forms[i]);
        if (!n)
            continue;
        printf("%s (%u forms)\n", *g, n);
        for (unsigned i = 0; i < cd_nforms; i++) {
            const struct cd_form *f = &cd_forms[i];
            if (strcmp(f->group, *g) || !selected(o, f))
                continue;
            cd_case_make(&kcase, f, 1);
            printf("  %-34s", f->name);
            for (unsigned b = 0; b < kcase.len; b++)
                printf(" %02x", kcase.insn[b]);
            printf("%s\n", f->mode == 32 ? "  (compat)" : "");
        }
    }
}

/* ---- undefined flags: what the host does ------------------------------------ */

static void note_undef(struct form_stat *st, const struct cd_case *k,
                       const struct cd_result *r)
{
    uint16_t u = k->f->undef;
    if (!u || r->vector >= 0)
        return;
    for (int b = 0; b < 12; b++) {
        if (!(u >> b & 1))
            continue;
        bool in = k->in.rflags >> b & 1, out = r->s.rflags >> b & 1;
        st->undef[b][0] += in == out;
        st->undef[b][1] += out;
        st->undef[b][2] += !out;
        st->undef[b][3]++;
    }
}

static void print_undef(const struct cd_form *f, const struct form_stat *st)
{
    static const char *const names[12] = { "CF", "", "PF", "", "AF", "", "ZF",
                                           "SF", "", "", "", "OF" };
    printf("  %-10s %-34s", f->group, f->name);
    for (int b = 0; b < 12; b++) {
        const unsigned long *u = st->undef[b];
        if (!(f->undef >> b & 1) || !u[3])
            continue;
        printf(" %s=%s", names[b], u[1] == u[3] ? "1" : u[2] == u[3] ? "0" :
               u[0] == u[3] ? "unchanged" : "varies");
    }
    putchar('\n');
}

/* ---- running ----------------------------------------------------------------- */

static void usage(FILE *to)
{
    fprintf(to,
        "usage: cpu-diff [--group NAME[,NAME..]] [--form SUBSTRING] [--count N]\n"
        "                [--seed S] [--case N] [--quick | --long] [--list]\n"
        "                [--verbose] [--native-only] [--ignore-undef]\n"
        "                [--undef-report] [--ignore-cpuid] [--show N]\n"
        "                [--details N]\n"
        "Runs each instruction form on the host CPU and in xenemu and compares\n"
        "registers, RIP, RFLAGS, the data region and the exception raised.\n"
        "  --count N        cases per form (--quick: %d, --long: %d)\n"
        "  --case N         only case N of each selected form, shown in full\n"
        "  --native-only    run on the host only: checks the form table\n"
        "  --ignore-undef   do not compare flags the SDM leaves undefined\n"
        "  --undef-report   print what the host does with undefined flags\n"
        "  --ignore-cpuid   also run forms xenemu's CPUID does not advertise\n"
        "  --show N         failing cases shown per form (default 1)\n"
        "  --details N      forms whose failing cases are shown (default 10)\n"
        "The last line counts forms: \"N passed, N failed, N skipped\".\n",
        QUICK_COUNT, LONG_COUNT);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    o->count = QUICK_COUNT;
    o->case_no = -1;
    o->seed = 1;
    o->show = 1;
    o->detail_forms = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (!strcmp(a, "--group") && v) o->groups = v;
        else if (!strcmp(a, "--form") && v) o->form = v;
        else if (!strcmp(a, "--count") && v) o->count = strtoul(v, NULL, 0);
        else if (!strcmp(a, "--seed") && v) o->seed = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--case") && v) o->case_no = strtol(v, NULL, 0);
        else if (!strcmp(a, "--show") && v) o->show = (unsigned)strtoul(v, NULL, 0);
        else if (!strcmp(a, "--details") && v) o->detail_forms = (unsigned)strtoul(v, NULL, 0);
        else {
            takes = false;
            if (!strcmp(a, "--quick")) o->count = QUICK_COUNT;
            else if (!strcmp(a, "--long")) o->count = LONG_COUNT;
            else if (!strcmp(a, "--list")) o->list = true;
            else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) o->verbose = true;
            else if (!strcmp(a, "--native-only")) o->native_only = true;
            else if (!strcmp(a, "--ignore-undef")) o->ignore_undef = true;
            else if (!strcmp(a, "--undef-report")) o->undef_report = true;
            else if (!strcmp(a, "--ignore-cpuid")) o->ignore_cpuid = true;
            else if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); exit(0); }
            else {
                fprintf(stderr, "cpu-diff: %s: unknown or incomplete option\n", a);
                usage(stderr);
                return -1;
            }
        }
        i += takes;
    }
    return 0;
}

/* Run one form; returns true when every case passed. */
static unsigned detailed_forms;

static bool run_form(const struct opts *o, const struct cd_form *f,
                     struct form_stat *st)
{
    bool details = o->verbose || o->case_no >= 0 || detailed_forms < o->detail_forms;
    uint64_t fseed = cd_mix(o->seed, name_hash(f));
    unsigned long first = o->case_no >= 0 ? (unsigned long)o->case_no : 0;
    unsigned long last = o->case_no >= 0 ? first + 1 : o->count;
    unsigned shown = 0;

    memset(st, 0, sizeof(*st));
    for (unsigned long i = first; i < last; i++) {
        struct diff d;
        cd_case_make(&kcase, f, cd_mix(fseed, i));
        cd_native_run(&kcase, &rnat);
        note_undef(st, &kcase, &rnat);
        st->vectors[rnat.vector >= 0 && rnat.vector < 32 ? rnat.vector : 32]++;
        if (o->native_only) {
            memset(&d, 0, sizeof(d));
            d.mem_off = -1;
        } else {
            cd_emu_run(&kcase, &remu, true);
            if (remu.status == RES_UNIMPL && rnat.vector == 6)
                cd_emu_run(&kcase, &remu, false);    /* invalid, not missing */
            if (host_foreign(&rnat, &remu)) {
                st->foreign++;
                total_foreign++;
                continue;
            }
            compare(&kcase, &rnat, &remu, o->ignore_undef, &d);
            st->status[remu.status]++;
        }
        if (((f->flags & FO_UD) != 0) != (rnat.vector == 6))
            d.what |= D_TABLE;
        st->cases++;
        if (d.what) {
            st->failed++;
            st->regs |= d.regs;
            st->flags_diff |= d.flags;
            for (int b = 0; b < D_NBITS; b++)
                st->by_diff[b] += d.what >> b & 1;
            if (details && (shown++ < o->show || o->case_no >= 0))
                print_case(&kcase, (long)i, &d, !o->native_only);
        } else if (o->case_no >= 0 || (o->verbose && o->native_only && i < 2)) {
            print_case(&kcase, (long)i, NULL, !o->native_only);
        }
    }
    detailed_forms += st->failed != 0;
    return st->failed == 0;
}

static void print_form_summary(FILE *to, const struct cd_form *f,
                               const struct form_stat *st)
{
    fprintf(to, "  %-10s %-34s %lu/%lu:", f->group, f->name, st->failed, st->cases);
    for (int b = 0; b < D_NBITS; b++)
        if (st->by_diff[b])
            fprintf(to, " %s %lu", diff_names[b], st->by_diff[b]);
    for (int s = 1; s < 5; s++)
        if (st->status[s])
            fprintf(to, " [%s %lu]", status_names[s], st->status[s]);
    if (st->regs) {
        fprintf(to, " regs:");
        for (int i = 0; i < 16; i++)
            if (st->regs >> i & 1)
                fprintf(to, " %s", reg_names[i]);
    }
    if (st->flags_diff)
        fprintf(to, " flags:%#x", st->flags_diff);
    if (f->flags & FO_RESUNDEF)
        fprintf(to, " (SDM: result undefined for some inputs)");
    fputc('\n', to);
}

struct group_stat { unsigned pass, fail, skip; };

static void print_features(const char *what, uint32_t mask)
{
    static const char *const names[] = {
        "CX8", "CX16", "MOVBE", "POPCNT", "LZCNT", "BMI1", "BMI2", "ADX",
        "LAHF-LM", "CMOV",
    };
    if (!mask)
        return;
    printf("%s", what);
    for (unsigned i = 0; i < ARRAY_LEN(names); i++)
        if (mask >> i & 1)
            printf(" %s", names[i]);
    printf(" (those forms are not run)\n");
}

int main(int argc, char **argv)
{
    struct opts o;
    static struct form_stat st;
    struct group_stat gs[40];
    const char *const *groups;
    uint32_t emu_feat = ~0u, emu_missing = 0, host_missing = 0;
    bool emu_known = false;
    unsigned pass = 0, fail = 0, skip = 0;
    unsigned long cases = 0, failed_cases = 0;
    static char *fail_lines;
    size_t fail_len = 0;
    FILE *fail_out;
    time_t t0 = time(NULL);

    memset(&o, 0, sizeof(o));
    if (parse_args(argc, argv, &o) < 0)
        return 2;
    cd_forms_build();
    if (o.list) {
        list_forms(&o);
        return 0;
    }
    if (!cd_native_supported()) {
        printf("cpu-diff: skipped: the host is not x86-64 Linux\n");
        printf("0 passed, 0 failed\n");
        return 0;
    }
    if (cd_native_init() < 0)
        return 2;
    if (!o.native_only) {
        if (cd_emu_init() < 0) {
            fprintf(stderr, "cpu-diff: cannot set up the emulated CPU\n");
            return 2;
        }
        if (!o.ignore_cpuid)
            emu_feat = cd_emu_features(&emu_known);
        if (!o.ignore_cpuid && !emu_known)
            printf("note: xenemu's CPUID did not run; testing every form\n");
    }

    groups = cd_groups();
    memset(gs, 0, sizeof(gs));
    fail_out = open_memstream(&fail_lines, &fail_len);
    for (unsigned i = 0; i < cd_nforms; i++) {
        const struct cd_form *f = &cd_forms[i];
        unsigned g = 0;
        if (!selected(&o, f))
            continue;
        while (groups[g] && strcmp(groups[g], f->group))
            g++;
        if (!cd_host_has(f->feature) || (emu_feat & f->feature) != f->feature) {
            gs[g].skip++;
            skip++;
            if (cd_host_has(f->feature))
                emu_missing |= f->feature;
            else
                host_missing |= f->feature;
            continue;
        }
        bool ok = run_form(&o, f, &st);
        cases += st.cases;
        failed_cases += st.failed;
        if (ok) {
            gs[g].pass++;
            pass++;
        } else {
            gs[g].fail++;
            fail++;
            print_form_summary(fail_out, f, &st);
        }
        if (o.undef_report && f->undef)
            print_undef(f, &st);
        if (o.verbose) {
            printf("%s %s/%s: %lu cases, host raised", ok ? "pass" : "FAIL",
                   f->group, f->name, st.cases);
            for (int v = 0; v < 32; v++)
                if (st.vectors[v])
                    printf(" #%d:%lu", v, st.vectors[v]);
            printf(" none:%lu\n", st.vectors[32]);
        }
    }
    fclose(fail_out);

    printf("\n%-10s %6s %6s %6s\n", "group", "pass", "fail", "skip");
    for (unsigned g = 0; groups[g]; g++)
        if (gs[g].pass + gs[g].fail + gs[g].skip)
            printf("%-10s %6u %6u %6u\n", groups[g], gs[g].pass, gs[g].fail, gs[g].skip);
    if (fail_len) {
        printf("\nfailing forms (cases failed/run: what differed):\n%s", fail_lines);
    }
    free(fail_lines);
    print_features("\nskipped: xenemu's CPUID does not advertise", emu_missing);
    print_features("\nskipped: the host lacks", host_missing);
    printf("\n%lu cases, %lu failed; %s, seed %#llx, %lus\n", cases, failed_cases,
           o.native_only ? "host only (table check)" : "host vs xenemu",
           (unsigned long long)o.seed, (unsigned long)(time(NULL) - t0));
    if (total_foreign)
        printf("\n%lu cases not compared: the host has memory of its own where "
               "the guest faults\n", total_foreign);
    printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
    return fail ? 1 : 0;
}
