/* The XenStore wire protocol (see wire.h). */
#include <string.h>
#include "xenemu/le.h"
#include "xenplat/xenstore/wire.h"

static const char *const err_names[XS_ERR_COUNT] = {
    [XS_EINVAL] = "EINVAL", [XS_EACCES] = "EACCES", [XS_EEXIST] = "EEXIST",
    [XS_EISDIR] = "EISDIR", [XS_ENOENT] = "ENOENT", [XS_ENOMEM] = "ENOMEM",
    [XS_ENOSPC] = "ENOSPC", [XS_EIO] = "EIO", [XS_ENOTEMPTY] = "ENOTEMPTY",
    [XS_ENOSYS] = "ENOSYS", [XS_EROFS] = "EROFS", [XS_EBUSY] = "EBUSY",
    [XS_EAGAIN] = "EAGAIN", [XS_EISCONN] = "EISCONN", [XS_E2BIG] = "E2BIG",
    [XS_EPERM] = "EPERM",
};

static const char *const type_names[XS_TYPE_COUNT] = {
    [XS_CONTROL] = "CONTROL", [XS_DIRECTORY] = "DIRECTORY",
    [XS_READ] = "READ", [XS_GET_PERMS] = "GET_PERMS", [XS_WATCH] = "WATCH",
    [XS_UNWATCH] = "UNWATCH", [XS_TRANSACTION_START] = "TRANSACTION_START",
    [XS_TRANSACTION_END] = "TRANSACTION_END", [XS_INTRODUCE] = "INTRODUCE",
    [XS_RELEASE] = "RELEASE", [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
    [XS_WRITE] = "WRITE", [XS_MKDIR] = "MKDIR", [XS_RM] = "RM",
    [XS_SET_PERMS] = "SET_PERMS", [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR", [XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
    [XS_RESUME] = "RESUME", [XS_SET_TARGET] = "SET_TARGET",
    [XS_RESET_WATCHES] = "RESET_WATCHES",
    [XS_DIRECTORY_PART] = "DIRECTORY_PART",
};

void xs_hdr_decode(const uint8_t *raw, struct xs_hdr *h)
{
    h->type = le32_load(raw + XS_HDR_TYPE);
    h->req_id = le32_load(raw + XS_HDR_REQ_ID);
    h->tx_id = le32_load(raw + XS_HDR_TX_ID);
    h->len = le32_load(raw + XS_HDR_LEN);
}

void xs_hdr_encode(uint8_t *raw, const struct xs_hdr *h)
{
    le32_store(raw + XS_HDR_TYPE, h->type);
    le32_store(raw + XS_HDR_REQ_ID, h->req_id);
    le32_store(raw + XS_HDR_TX_ID, h->tx_id);
    le32_store(raw + XS_HDR_LEN, h->len);
}

const char *xs_err_name(int err)
{
    return err > 0 && err < XS_ERR_COUNT ? err_names[err]
                                         : err_names[XS_EINVAL];
}

int xs_err_from_name(const char *name)
{
    int e;

    for (e = 1; e < XS_ERR_COUNT; e++)
        if (strcmp(err_names[e], name) == 0)
            return e;
    return 0;
}

const char *xs_type_name(uint32_t type)
{
    return type < XS_TYPE_COUNT ? type_names[type] : NULL;
}
