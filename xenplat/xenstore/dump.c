/*
 * --xenstore-dump: the whole tree, one node a line, as xenstore-ls -fp
 * shows it: path = "value" (permissions).  Bytes outside printable ASCII
 * and the quote and backslash are escaped (\xNN, \", \\).
 */
#include "xenplat/xenstore/store.h"

static void dump_value(FILE *out, const uint8_t *v, uint32_t len)
{
    uint32_t i;

    fputc('"', out);
    for (i = 0; i < len; i++) {
        if (v[i] == '"' || v[i] == '\\')
            fprintf(out, "\\%c", v[i]);
        else if (v[i] >= 0x20 && v[i] < 0x7f)
            fputc(v[i], out);
        else
            fprintf(out, "\\x%02x", v[i]);
    }
    fputc('"', out);
}

static int dump_node(void *opaque, const char *path, const struct xs_node *n)
{
    FILE *out = opaque;
    char perm[16];
    uint32_t i;

    fprintf(out, "%s = ", path);
    dump_value(out, n->data, n->datalen);
    fputs(" (", out);
    for (i = 0; i < n->nperms; i++) {
        xs_perm_format(&n->perms[i], perm, sizeof(perm));
        fprintf(out, "%s%s", i ? "," : "", perm);
    }
    fputs(")\n", out);
    return XS_WALK_OK;
}

void xs_dump(struct xs_store *s, FILE *out)
{
    xs_walk(s->toolstack, "/", dump_node, NULL, out);
    fflush(out);
}
