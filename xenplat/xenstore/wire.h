/*
 * The XenStore wire protocol (xen/include/public/io/xs_wire.h,
 * docs/misc/xenstore.txt): message types, the 16-byte header (four
 * little-endian 32-bit fields), the size limits and the errno names that
 * error replies carry.  Errors inside the store are the xs_err codes
 * below, in the order of xs_wire.h's xsd_errors table, so nothing depends
 * on the host's errno values.
 */
#ifndef XENEMU_XENSTORE_WIRE_H
#define XENEMU_XENSTORE_WIRE_H

#include "xenemu/common.h"

enum xs_type {
    XS_CONTROL = 0, XS_DIRECTORY = 1, XS_READ = 2, XS_GET_PERMS = 3,
    XS_WATCH = 4, XS_UNWATCH = 5, XS_TRANSACTION_START = 6,
    XS_TRANSACTION_END = 7, XS_INTRODUCE = 8, XS_RELEASE = 9,
    XS_GET_DOMAIN_PATH = 10, XS_WRITE = 11, XS_MKDIR = 12, XS_RM = 13,
    XS_SET_PERMS = 14, XS_WATCH_EVENT = 15, XS_ERROR = 16,
    XS_IS_DOMAIN_INTRODUCED = 17, XS_RESUME = 18, XS_SET_TARGET = 19,
    /* 20 was XS_RESTRICT, removed */
    XS_RESET_WATCHES = 21, XS_DIRECTORY_PART = 22,
    XS_TYPE_COUNT = 23,
};

/* The header: offsets of its little-endian fields. */
#define XS_HDR_TYPE    0
#define XS_HDR_REQ_ID  4
#define XS_HDR_TX_ID   8
#define XS_HDR_LEN     12
#define XS_HDR_SIZE    16

#define XS_PAYLOAD_MAX  4096    /* either direction; more kills the connection */
#define XS_ABS_PATH_MAX 3072
#define XS_REL_PATH_MAX 2048

struct xs_hdr {
    uint32_t type, req_id, tx_id, len;
};

/* Error codes (0 is success), xsd_errors order. */
enum xs_err {
    XS_OK = 0,
    XS_EINVAL, XS_EACCES, XS_EEXIST, XS_EISDIR, XS_ENOENT, XS_ENOMEM,
    XS_ENOSPC, XS_EIO, XS_ENOTEMPTY, XS_ENOSYS, XS_EROFS, XS_EBUSY,
    XS_EAGAIN, XS_EISCONN, XS_E2BIG, XS_EPERM,
    XS_ERR_COUNT,
};

void xs_hdr_decode(const uint8_t *raw, struct xs_hdr *h);
void xs_hdr_encode(uint8_t *raw, const struct xs_hdr *h);

/* "EINVAL"...; an unknown code gives "EINVAL", as xenstored's send_error. */
const char *xs_err_name(int err);
/* The code for an error name, or 0 if it is none. */
int xs_err_from_name(const char *name);
/* "READ"...; NULL for a type that does not exist. */
const char *xs_type_name(uint32_t type);

#endif
