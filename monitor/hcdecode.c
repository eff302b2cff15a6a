/* Hypercall names and decoding (see hcdecode.h); numbers from Xen's
 * public headers (pub/xen.h, sched.h, event_channel.h, vcpu.h, memory.h,
 * physdev.h, grant_table.h, version.h, callback.h, nmi.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "xenemu/le.h"
#include "monitor/hcdecode.h"
#include "xenplat/hypercall.h"

typedef unsigned long long ull;

/* A sub-operation table: names indexed by number, NULL holes. */
struct subops {
    const char *const *name;
    unsigned n;
};
#define SUBOPS(arr) { arr, ARRAY_SIZE(arr) }

static const char *const sched_ops[] = {
    "yield", "block", "shutdown", "poll", "remote_shutdown",
    "shutdown_code", "watchdog", "pin_override",
};
static const char *const evtchn_ops[] = {
    "bind_interdomain", "bind_virq", "bind_pirq", "close", "send", "status",
    "alloc_unbound", "bind_ipi", "bind_vcpu", "unmask", "reset",
    "init_control", "expand_array", "set_priority",
};
static const char *const vcpu_ops[] = {
    "initialise", "up", "down", "is_up", "get_runstate_info",
    "register_runstate_memory_area", "set_periodic_timer",
    "stop_periodic_timer", "set_singleshot_timer", "stop_singleshot_timer",
    "register_vcpu_info", "send_nmi", "get_physid",
    "register_vcpu_time_memory_area",
};
static const char *const memory_ops[] = {
    [0] = "increase_reservation", [1] = "decrease_reservation",
    [2] = "maximum_ram_page", [3] = "current_reservation",
    [4] = "maximum_reservation", [5] = "machphys_mfn_list",
    [6] = "populate_physmap", [7] = "add_to_physmap", [9] = "memory_map",
    [10] = "machine_memory_map", [11] = "exchange", [12] = "machphys_mapping",
    [13] = "set_memory_map", [14] = "maximum_gpfn",
    [15] = "remove_from_physmap", [16] = "set_pod_target",
    [17] = "get_pod_target", [21] = "access_op", [23] = "add_to_physmap_batch",
    [24] = "claim_pages", [25] = "machphys_compat_mfn_list",
    [26] = "get_vnumainfo", [27] = "reserved_device_memory_map",
    [28] = "acquire_resource",
};
static const char *const mmuext_ops[] = {
    "pin_l1_table", "pin_l2_table", "pin_l3_table", "pin_l4_table",
    "unpin_table", "new_baseptr", "tlb_flush_local", "invlpg_local",
    "tlb_flush_multi", "invlpg_multi", "tlb_flush_all", "invlpg_all",
    "flush_cache", "set_ldt", NULL, "new_user_baseptr", "clear_page",
    "copy_page", "flush_cache_global", "mark_super", "unmark_super",
};
static const char *const console_ops[] = { "write", "read" };
static const char *const version_ops[] = {
    "version", "extraversion", "compile_info", "capabilities", "changeset",
    "platform_parameters", "get_features", "pagesize", "guest_handle",
    "commandline", "build_id",
};
static const char *const callback_ops[] = { "register", "unregister" };
static const char *const vm_assist_ops[] = { "enable", "disable" };
static const char *const nmi_ops[] = {
    "register_callback", "unregister_callback",
};
static const char *const physdev_ops[] = {
    [5] = "irq_status_query", [6] = "set_iopl", [7] = "set_iobitmap",
    [8] = "apic_read", [9] = "apic_write", [10] = "alloc_irq_vector",
    [11] = "free_irq_vector", [12] = "eoi", [13] = "map_pirq",
    [14] = "unmap_pirq", [15] = "manage_pci_add", [16] = "manage_pci_remove",
    [17] = "pirq_eoi_gmfn_v1", [19] = "restore_msi", [20] = "manage_pci_add_ext",
    [21] = "setup_gsi", [23] = "get_free_pirq", [24] = "pci_mmcfg_reserved",
    [25] = "pci_device_add", [26] = "pci_device_remove", [27] = "restore_msi_ext",
    [28] = "pirq_eoi_gmfn_v2", [29] = "dbgp_op", [30] = "prepare_msix",
    [31] = "release_msix",
};
static const char *const grant_ops[] = {
    "map_grant_ref", "unmap_grant_ref", "setup_table", "dump_table",
    "transfer", "copy", "query_size", "unmap_and_replace", "set_version",
    "get_status_frames", "get_version", "swap_grant_ref", "cache_flush",
};

/* Where a hypercall's sub-operation is. */
enum subop_at {
    SUB_NONE,
    SUB_ARG0,           /* the first argument */
    SUB_ARG0_MEMOP,     /* the first argument, low 6 bits (memory_op) */
    SUB_MEM32,          /* a u32 at the address in the first argument */
    SUB_MMUEXT,         /* the first mmuext_op's cmd */
};

static const struct hc_info {
    enum subop_at at;
    struct subops ops;
} hc_info[NR_HYPERCALLS] = {
    [HC_sched_op] = { SUB_ARG0, SUBOPS(sched_ops) },
    [HC_sched_op_compat] = { SUB_ARG0, SUBOPS(sched_ops) },
    [HC_event_channel_op] = { SUB_ARG0, SUBOPS(evtchn_ops) },
    [HC_event_channel_op_compat] = { SUB_MEM32, SUBOPS(evtchn_ops) },
    [HC_vcpu_op] = { SUB_ARG0, SUBOPS(vcpu_ops) },
    [HC_memory_op] = { SUB_ARG0_MEMOP, SUBOPS(memory_ops) },
    [HC_mmuext_op] = { SUB_MMUEXT, SUBOPS(mmuext_ops) },
    [HC_console_io] = { SUB_ARG0, SUBOPS(console_ops) },
    [HC_xen_version] = { SUB_ARG0, SUBOPS(version_ops) },
    [HC_callback_op] = { SUB_ARG0, SUBOPS(callback_ops) },
    [HC_vm_assist] = { SUB_ARG0, SUBOPS(vm_assist_ops) },
    [HC_nmi_op] = { SUB_ARG0, SUBOPS(nmi_ops) },
    [HC_physdev_op] = { SUB_ARG0, SUBOPS(physdev_ops) },
    [HC_physdev_op_compat] = { SUB_MEM32, SUBOPS(physdev_ops) },
    [HC_grant_table_op] = { SUB_ARG0, SUBOPS(grant_ops) },
};

static const char *const errno_names[] = {
    [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO",
    [6] = "ENXIO", [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF",
    [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES",
    [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV",
    [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL",
    [23] = "ENFILE", [24] = "EMFILE", [28] = "ENOSPC", [30] = "EROFS",
    [31] = "EMLINK", [33] = "EDOM", [34] = "ERANGE", [35] = "EDEADLK",
    [36] = "ENAMETOOLONG", [37] = "ENOLCK", [38] = "ENOSYS",
    [39] = "ENOTEMPTY", [61] = "ENODATA", [62] = "ETIME", [74] = "EBADMSG",
    [75] = "EOVERFLOW", [84] = "EILSEQ", [88] = "ENOTSOCK",
    [90] = "EMSGSIZE", [95] = "EOPNOTSUPP", [98] = "EADDRINUSE",
    [99] = "EADDRNOTAVAIL", [105] = "ENOBUFS", [106] = "EISCONN",
    [107] = "ENOTCONN", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED",
};

const char *xen_errno_name(long err)
{
    if (err < 0)
        err = -err;
    return err < (long)ARRAY_SIZE(errno_names) ? errno_names[err] : NULL;
}

const char *hc_name(unsigned nr)
{
    return nr < NR_HYPERCALLS ? hypercall_table[nr].name : NULL;
}

static bool read_u32(const struct hc_ctx *ctx, uint64_t va, uint32_t *v)
{
    uint8_t b[4];

    if (!ctx->read || ctx->read(ctx->opaque, va, b, 4))
        return false;
    *v = le32_load(b);
    return true;
}

static bool read_u64(const struct hc_ctx *ctx, uint64_t va, uint64_t *v)
{
    uint8_t b[8];

    if (!ctx->read || ctx->read(ctx->opaque, va, b, 8))
        return false;
    *v = le64_load(b);
    return true;
}

int hc_subop(unsigned nr, const uint64_t *a, const struct hc_ctx *ctx)
{
    uint32_t v;

    if (nr >= NR_HYPERCALLS)
        return HC_NO_SUBOP;
    switch (hc_info[nr].at) {
    case SUB_ARG0:
        return a[0] > 0x7fffffff ? HC_MAX_SUBOP : (int)a[0];
    case SUB_ARG0_MEMOP:
        return (int)(a[0] & 0x3f);
    case SUB_MEM32:
    case SUB_MMUEXT:
        if (!read_u32(ctx, a[0], &v))
            return HC_NO_SUBOP;
        return v > 0x7fffffff ? HC_MAX_SUBOP : (int)v;
    default:
        return HC_NO_SUBOP;
    }
}

const char *hc_subop_name(unsigned nr, int sub)
{
    if (nr >= NR_HYPERCALLS || sub < 0)
        return NULL;
    const struct subops *s = &hc_info[nr].ops;
    return (unsigned)sub < s->n ? s->name[sub] : NULL;
}

void hc_short(char *buf, size_t len, unsigned nr, int sub)
{
    const char *name = hc_name(nr), *sname = hc_subop_name(nr, sub);

    if (!name)
        snprintf(buf, len, "hypercall %u", nr);
    else if (sname)
        snprintf(buf, len, "%s(%s)", name, sname);
    else if (sub != HC_NO_SUBOP)
        snprintf(buf, len, "%s(%d)", name, sub);
    else
        snprintf(buf, len, "%s", name);
}

void hc_result(char *buf, size_t len, long ret)
{
    const char *e = ret < 0 ? xen_errno_name(ret) : NULL;

    if (e)
        snprintf(buf, len, "%ld (%s)", ret, e);
    else if (ret >= 0 && ret < 0x10000)
        snprintf(buf, len, "%ld", ret);
    else
        snprintf(buf, len, "%ld (0x%llx)", ret, (ull)ret);
}

void hc_outcome(long ret, bool no_return, char *buf, size_t len)
{
    char res[48];

    if (no_return) {
        snprintf(buf, len, " (no return value)");
        return;
    }
    hc_result(res, sizeof(res), ret);
    snprintf(buf, len, " = %s", res);
}

/* ---- the guest words a description needs ---------------------------------- */

struct peek {
    uint64_t va;
    unsigned size;              /* 4 or 8 */
};

/* n consecutive words of size bytes at va. */
static unsigned words(struct peek *p, uint64_t va, unsigned size, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (struct peek){ va + (uint64_t)i * size, size };
    return n;
}

static unsigned evtchn_words(int sub)
{
    static const uint8_t n[] = { [0] = 2, [1] = 2, [3] = 1, [4] = 1,
                                 [6] = 1, [8] = 2, [9] = 1 };
    return sub >= 0 && (unsigned)sub < ARRAY_SIZE(n) ? n[sub] : 0;
}

/* Where the description reads guest memory, in the order of peek[]. */
static unsigned peek_plan(const struct hc_call *c, struct peek p[HC_PEEKS])
{
    const uint64_t *a = c->a;

    switch (c->nr) {
    case HC_sched_op:                         /* shutdown(_code), remote */
        if (c->sub == 2 || c->sub == 4 || c->sub == 5)
            return words(p, a[1], 4, 1);
        return c->sub == 6 ? words(p, a[1], 4, 2) : 0;      /* watchdog */
    case HC_event_channel_op:
        return words(p, a[1], 4, evtchn_words(c->sub));
    case HC_vcpu_op:                          /* set_{periodic,singleshot} */
        return c->sub == 6 || c->sub == 8 ? words(p, a[2], 8, 1) : 0;
    case HC_mmuext_op:                        /* the first op's arg1 */
        return c->is64 ? words(p, a[0] + 8, 8, 1) : words(p, a[0] + 4, 4, 1);
    case HC_mmu_update:                       /* the first ptr and val */
        return words(p, a[0], 8, 2);
    default:
        return 0;
    }
}

void hc_capture(struct hc_call *c, unsigned nr, const uint64_t *a,
                const struct hc_ctx *ctx)
{
    struct peek p[HC_PEEKS];
    unsigned n;
    uint32_t v;

    *c = (struct hc_call){ .nr = nr, .sub = hc_subop(nr, a, ctx),
                           .is64 = ctx->is64 };
    memcpy(c->a, a, sizeof(c->a));
    n = peek_plan(c, p);
    for (unsigned i = 0; i < n; i++) {
        bool ok = p[i].size == 8 ? read_u64(ctx, p[i].va, &c->peek[i])
                                 : read_u32(ctx, p[i].va, &v);
        if (ok && p[i].size == 4)
            c->peek[i] = v;
        c->peeked |= ok ? 1u << i : 0;
    }
}

/* The first n peeked words, if all were readable. */
static bool peeked(const struct hc_call *c, unsigned n)
{
    unsigned mask = (1u << n) - 1;

    return (c->peeked & mask) == mask;
}

/* ---- argument decoding ----------------------------------------------------- */

static const char *const shutdown_reasons[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

static const char *reason_name(uint64_t r)
{
    return r < ARRAY_SIZE(shutdown_reasons) ? shutdown_reasons[r] : "?";
}

/* Append ", " and a formatted argument to the description. */
static void add(char *buf, size_t len, const char *fmt, ...) XE_PRINTF(3, 4);

static void add(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;

    if (used + 3 >= len)
        return;
    memcpy(buf + used, ", ", 3);
    va_start(ap, fmt);
    vsnprintf(buf + used + 2, len - used - 2, fmt, ap);
    va_end(ap);
}

static void describe_sched(char *buf, size_t len, const struct hc_call *c,
                           bool compat)
{
    const uint64_t *w = c->peek;

    if (c->sub == 2 || c->sub == 5) {                 /* shutdown(_code) */
        if (compat)
            add(buf, len, "reason=%s", reason_name(c->a[1]));
        else if (peeked(c, 1))
            add(buf, len, "reason=%s", reason_name(w[0]));
    } else if (c->sub == 6 && !compat && peeked(c, 2)) {
        add(buf, len, "id=%u, timeout=%u s", (unsigned)w[0], (unsigned)w[1]);
    } else if (c->sub == 4 && !compat && peeked(c, 1)) {
        add(buf, len, "domid=%u", (unsigned)(w[0] & 0xffff));
    }
}

static void describe_evtchn(char *buf, size_t len, const struct hc_call *c)
{
    unsigned v = (unsigned)c->peek[0], w = (unsigned)c->peek[1];

    if (!peeked(c, evtchn_words(c->sub)))
        return;
    switch (c->sub) {
    case 3: case 4: case 9:                           /* close send unmask */
        add(buf, len, "port=%u", v);
        break;
    case 1:                                           /* bind_virq */
        add(buf, len, "virq=%u, vcpu=%u", v, w);
        break;
    case 6:                                           /* alloc_unbound */
        add(buf, len, "dom=0x%x, remote_dom=0x%x", v & 0xffff, v >> 16);
        break;
    case 0:                                           /* bind_interdomain */
        add(buf, len, "remote_dom=0x%x, remote_port=%u", v & 0xffff, w);
        break;
    case 8:                                           /* bind_vcpu */
        add(buf, len, "port=%u, vcpu=%u", v, w);
        break;
    default:
        break;
    }
}

static void describe_vcpu(char *buf, size_t len, const struct hc_call *c)
{
    add(buf, len, "vcpu=%llu", (ull)c->a[1]);
    if ((c->sub == 6 || c->sub == 8) && peeked(c, 1))
        add(buf, len, "%s=%llu ns", c->sub == 6 ? "period" : "timeout",
            (ull)c->peek[0]);
}

static void describe_mmuext(char *buf, size_t len, const struct hc_call *c)
{
    const uint64_t *a = c->a;

    if (peeked(c, 1))
        add(buf, len, "arg1=0x%llx", (ull)c->peek[0]);
    add(buf, len, "count=%llu", (ull)a[1]);
    if ((a[3] & 0xffff) == 0x7ff0)
        add(buf, len, "dom=self");
    else
        add(buf, len, "dom=0x%llx", (ull)(a[3] & 0xffff));
}

static void describe_args(char *buf, size_t len, const struct hc_call *c)
{
    const uint64_t *a = c->a;
    bool is64 = c->is64;

    switch (c->nr) {
    case HC_console_io:
        add(buf, len, "count=%llu, buf=0x%llx", (ull)a[1], (ull)a[2]);
        break;
    case HC_sched_op:
        describe_sched(buf, len, c, false);
        break;
    case HC_sched_op_compat:
        describe_sched(buf, len, c, true);
        break;
    case HC_event_channel_op:
        describe_evtchn(buf, len, c);
        break;
    case HC_vcpu_op:
        describe_vcpu(buf, len, c);
        break;
    case HC_mmuext_op:
        describe_mmuext(buf, len, c);
        break;
    case HC_mmu_update:
        if (peeked(c, 2))
            add(buf, len, "ptr=0x%llx, val=0x%llx", (ull)c->peek[0],
                (ull)c->peek[1]);
        add(buf, len, "count=%llu", (ull)a[1]);
        break;
    case HC_update_va_mapping:
        if (is64)
            add(buf, len, "va=0x%llx, pte=0x%llx", (ull)a[0], (ull)a[1]);
        else
            add(buf, len, "va=0x%llx, pte=0x%llx", (ull)a[0],
                (ull)(a[1] | a[2] << 32));
        add(buf, len, "flags=0x%llx", (ull)(is64 ? a[2] : a[3]));
        break;
    case HC_set_timer_op:
        add(buf, len, "timeout=%llu ns", (ull)(is64 ? a[0] : a[0] | a[1] << 32));
        break;
    case HC_stack_switch:
        add(buf, len, "ss=0x%llx, sp=0x%llx", (ull)a[0], (ull)a[1]);
        break;
    case HC_set_trap_table:
        add(buf, len, "table=0x%llx", (ull)a[0]);
        break;
    case HC_multicall:
        add(buf, len, "calls=0x%llx, count=%llu", (ull)a[0], (ull)a[1]);
        break;
    case HC_set_segment_base:
        add(buf, len, "which=%llu, base=0x%llx", (ull)a[0], (ull)a[1]);
        break;
    case HC_fpu_taskswitch:
        add(buf, len, "set=%llu", (ull)a[0]);
        break;
    case HC_vm_assist:
        add(buf, len, "type=%llu", (ull)a[1]);
        break;
    case HC_iret:
        break;
    default:
        if (hc_info[c->nr].at == SUB_NONE)
            add(buf, len, "0x%llx, 0x%llx", (ull)a[0], (ull)a[1]);
        else
            add(buf, len, "arg=0x%llx", (ull)a[1]);
        break;
    }
}

void hc_describe(char *buf, size_t len, const struct hc_call *c)
{
    unsigned nr = c->nr;
    int sub = c->sub;
    const uint64_t *a = c->a;
    const char *name = hc_name(nr), *sname = hc_subop_name(nr, sub);
    size_t used;

    if (!name) {
        snprintf(buf, len, "hypercall %u(0x%llx, 0x%llx, 0x%llx)", nr,
                 (ull)a[0], (ull)a[1], (ull)a[2]);
        return;
    }
    if (sname)
        snprintf(buf, len, "%s(%s", name, sname);
    else if (sub != HC_NO_SUBOP)
        snprintf(buf, len, "%s(%d", name, sub);
    else
        snprintf(buf, len, "%s(", name);
    describe_args(buf, len, c);
    used = strlen(buf);
    /* No sub-op: the ", " the first argument added is one too many. */
    if (sub == HC_NO_SUBOP && strncmp(buf + strlen(name) + 1, ", ", 2) == 0)
        memmove(buf + strlen(name) + 1, buf + strlen(name) + 3,
                used - strlen(name) - 2);
    used = strlen(buf);
    if (used + 1 < len) {
        buf[used] = ')';
        buf[used + 1] = '\0';
    }
}
