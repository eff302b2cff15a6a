/*
 * The byte stream of a XenStore connection: headers and payloads in any
 * pieces, pipelined requests, the payload limit (a longer header makes
 * xenstored stop talking to the client: error XENSTORE_ERROR_PROTO), a
 * broken transport (XENSTORE_ERROR_RINGIDX), reconnection, and the
 * header's little-endian fields.
 */
#include <string.h>
#include "xenemu/le.h"
#include "unit.h"
#include "xs-harness.h"

static void header(uint8_t *b, uint32_t type, uint32_t req, uint32_t tx,
                   uint32_t len)
{
    le32_store(b + XS_HDR_TYPE, type);
    le32_store(b + XS_HDR_REQ_ID, req);
    le32_store(b + XS_HDR_TX_ID, tx);
    le32_store(b + XS_HDR_LEN, len);
}

static void test_header_layout(void)
{
    static const uint8_t raw[16] = { 2, 0, 0, 0, 0x78, 0x56, 0x34, 0x12,
                                     9, 0, 0, 0, 6, 0, 0, 0 };
    struct xs_hdr h;
    uint8_t out[16];

    xs_hdr_decode(raw, &h);
    CU_ASSERT_EQUAL(h.type, XS_READ);
    CU_ASSERT_EQUAL(h.req_id, 0x12345678u);
    CU_ASSERT_EQUAL(h.tx_id, 9);
    CU_ASSERT_EQUAL(h.len, 6);
    xs_hdr_encode(out, &h);
    CU_ASSERT_EQUAL(memcmp(out, raw, 16), 0);
    CU_ASSERT_STRING_EQUAL(xs_err_name(XS_EAGAIN), "EAGAIN");
    CU_ASSERT_STRING_EQUAL(xs_err_name(0), "EINVAL");
    CU_ASSERT_STRING_EQUAL(xs_err_name(999), "EINVAL");
    CU_ASSERT_EQUAL(xs_err_from_name("EPERM"), XS_EPERM);
    CU_ASSERT_EQUAL(xs_err_from_name("EWHAT"), 0);
    CU_ASSERT_STRING_EQUAL(xs_type_name(XS_DIRECTORY_PART), "DIRECTORY_PART");
    CU_ASSERT_PTR_NULL(xs_type_name(20));
    CU_ASSERT_PTR_NULL(xs_type_name(XS_TYPE_COUNT));
}

static void test_pieces(void)
{
    uint8_t b[80];
    struct xt_msg m;
    unsigned i;

    xt_setup(false);
    /* A header in two pieces, then the payload byte by byte. */
    header(b, XS_READ, 7, 0, 6);
    memcpy(b + 16, "domid", 6);
    xt_send_raw(&xt_p1, b, 7);
    CU_ASSERT(!xt_recv(&xt_p1, &m));
    xt_send_raw(&xt_p1, b + 7, 9);
    for (i = 0; i < 6; i++) {
        CU_ASSERT(!xt_recv(&xt_p1, &m));
        xt_send_raw(&xt_p1, b + 16 + i, 1);
    }
    CU_ASSERT(xt_recv(&xt_p1, &m) && xt_is(&m, XS_READ, "1", 1) &&
              m.h.req_id == 7);
    /* The transport handing over one byte at a time, both ways. */
    xt_p1.chunk = 1;
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "name"), XS_READ, "one", 3));
    xt_p1.chunk = 0;
    /* Pipelined requests are answered in order. */
    header(b, XS_READ, 100, 0, 6);
    memcpy(b + 16, "domid", 6);
    header(b + 22, XS_WRITE, 101, 0, 8);
    memcpy(b + 38, "data/x\0v", 8);
    header(b + 46, XS_READ, 102, 0, 7);
    memcpy(b + 62, "data/x", 7);
    xt_send_raw(&xt_p1, b, 69);
    CU_ASSERT(xt_recv(&xt_p1, &m) && m.h.req_id == 100);
    CU_ASSERT(xt_recv(&xt_p1, &m) && m.h.req_id == 101 &&
              xt_is_ok(&m, XS_WRITE));
    CU_ASSERT(xt_recv(&xt_p1, &m) && m.h.req_id == 102 &&
              xt_is(&m, XS_READ, "v", 1));
    /* Replies wait for room, and are written in pieces. */
    xt_p1.out_room = 3;
    xt_send(&xt_p1, XS_READ, 0, P("name\0"));
    CU_ASSERT_EQUAL(xt_p1.out_len - xt_p1.out_off, 3);
    CU_ASSERT(!xt_recv(&xt_p1, &m));
    xt_p1.out_room = 0;
    xs_store_service(xt_s);
    CU_ASSERT(xt_recv(&xt_p1, &m) && xt_is(&m, XS_READ, "one", 3) &&
              m.h.req_id == xt_p1.next_req);
    xt_teardown();
}

static void test_payload_limit(void)
{
    static uint8_t b[16 + XS_PAYLOAD_MAX + 1];
    struct xt_msg m;

    xt_setup(false);
    xt_two(&xt_p1, XS_WATCH, 0, "data", "w");
    xt_event(&xt_p1);
    (void)xt_tx_start(&xt_p1);
    /* Exactly the limit is a request like any other. */
    memset(b, 'a', sizeof(b));
    memcpy(b + 16, "data/x", 7);
    header(b, XS_WRITE, 1, 0, XS_PAYLOAD_MAX);
    xt_send_raw(&xt_p1, b, 16 + XS_PAYLOAD_MAX);
    CU_ASSERT(xt_recv(&xt_p1, &m) && xt_is_error(&m, "ENOSPC"));
    CU_ASSERT_EQUAL(xs_conn_error(xt_p1.conn), 0);
    /* One more and the store stops talking to this client. */
    header(b, XS_WRITE, 2, 0, XS_PAYLOAD_MAX + 1);
    xt_send_raw(&xt_p1, b, 16);
    CU_ASSERT_EQUAL(xt_p1.error, XS_CONN_ERR_PROTO);
    CU_ASSERT_EQUAL(xs_conn_error(xt_p1.conn), XS_CONN_ERR_PROTO);
    CU_ASSERT(!xt_recv(&xt_p1, &m));
    /* Its watches and transactions are gone; nothing is read. */
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_WATCHES), 0);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_TRANSACTIONS), 0);
    xt_send(&xt_p1, XS_READ, 0, P("domid\0"));
    CU_ASSERT(!xt_recv(&xt_p1, &m));
    /* Others are unaffected; a reset brings the client back. */
    CU_ASSERT_EQUAL(xs_tool_write(xt_s, 0, "/local/domain/1/data/y", "1"), 0);
    xs_conn_reset(xt_p1.conn);
    CU_ASSERT_EQUAL(xt_p1.error, 0);
    CU_ASSERT_EQUAL(xt_p1.resets, 1);
    CU_ASSERT(xt_is(xt_read(&xt_p1, 0, "data/y"), XS_READ, "1", 1));
    /* A huge length too. */
    header(b, XS_READ, 3, 0, 0xffffffffu);
    xt_send_raw(&xt_p1, b, 16);
    CU_ASSERT_EQUAL(xt_p1.error, XS_CONN_ERR_PROTO);
    xt_teardown();
}

static void test_broken_transport(void)
{
    struct xt_msg m;

    xt_setup(false);
    xt_p1.broken = true;
    xs_store_service(xt_s);
    CU_ASSERT_EQUAL(xt_p1.error, XS_CONN_ERR_RINGIDX);
    xt_p1.broken = false;
    xt_send(&xt_p1, XS_READ, 0, P("domid\0"));
    CU_ASSERT(!xt_recv(&xt_p1, &m));
    /* A broken output side too. */
    xs_conn_reset(xt_p1.conn);
    xt_send(&xt_p1, XS_READ, 0, P("domid\0"));
    CU_ASSERT(xt_recv(&xt_p1, &m));
    xt_p1.stall = true;
    xt_send(&xt_p1, XS_READ, 0, P("domid\0"));
    xt_p1.stall = false;
    xt_p1.broken = true;
    xs_store_service(xt_s);
    CU_ASSERT_EQUAL(xt_p1.error, XS_CONN_ERR_RINGIDX);
    CU_ASSERT_EQUAL(xs_domain_acc(xt_s, 1, XS_ACC_OUTSTANDING), 0);
    xt_p1.broken = false;
    xt_teardown();
}

UNIT_SUITE(xenstore_wire)
{
    CU_pSuite s = CU_add_suite("xenstore_wire", NULL, NULL);
    UNIT_TEST(s, test_header_layout);
    UNIT_TEST(s, test_pieces);
    UNIT_TEST(s, test_payload_limit);
    UNIT_TEST(s, test_broken_transport);
}
