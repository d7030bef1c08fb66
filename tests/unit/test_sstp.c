/* The MS-SSTP messages byte for byte, as [MS-SSTP] 2.2 lays them out. */
#include "unit.h"

#include "sstp.h"

static void test_call_connect_request_bytes(void **state)
{
	/* 2.2.9: version 1.0, C=1, length 14; type 1, one attribute; reserved, ID 1, length 6, PPP (1). */
	static const unsigned char want[] = { 0x10, 0x01, 0x00, 0x0E, 0x00, 0x01, 0x00, 0x01,
					      0x00, 0x01, 0x00, 0x06, 0x00, 0x01 };
	unsigned char buf[64];

	(void)state;
	assert_int_equal(sstp_encode_call_connect_request(buf, sizeof(buf)), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(sstp_encode_call_connect_request(buf, sizeof(want) - 1), 0);
}

static void test_call_abort_bytes(void **state)
{
	/* 2.2.13 with one Status Info (2.2.8): length 20; type 5; ID 2, length 12; reserved x3, AttribID, Status. */
	static const unsigned char want[] = { 0x10, 0x01, 0x00, 0x14, 0x00, 0x05, 0x00, 0x01, 0x00, 0x02,
					      0x00, 0x0C, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04 };
	unsigned char buf[64];

	(void)state;
	assert_int_equal(sstp_encode_call_abort(buf, sizeof(buf), SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID, 4), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(sstp_encode_call_abort(buf, 19, 0, 0), 0);
}

static void test_decode_ack(void **state)
{
	/* 2.2.10: Call Connect Ack with a Crypto Binding Request: hash bitmask 3 (SHA-1 and SHA-256), 32-byte nonce. */
	unsigned char ack[48] = { 0x10, 0x01, 0x00, 0x30, 0x00, 0x02, 0x00, 0x01,
				  0x00, 0x04, 0x00, 0x28, 0x00, 0x00, 0x00, 0x03 };
	struct sstp_message m;

	(void)state;
	memset(ack + 16, 0xA5, 32);
	for (size_t len = 0; len < sizeof(ack); len++)
		assert_int_equal(sstp_decode(ack, len, &m), SSTP_PARSE_INCOMPLETE);
	assert_int_equal(sstp_decode(ack, sizeof(ack), &m), SSTP_PARSE_OK);
	assert_true(m.control);
	assert_int_equal(m.length, 48);
	assert_int_equal(m.type, SSTP_MSG_CALL_CONNECT_ACK);
	assert_int_equal(m.attribute_count, 1);
	assert_true(m.has_binding_request);
	assert_int_equal(m.hash_protocols, 3);
	assert_false(m.has_status);
	assert_string_equal(sstp_msg_name(m.type), "SSTP_MSG_CALL_CONNECT_ACK");
}

static void test_decode_nak(void **state)
{
	/* 2.2.11: Nak with Status Info: attribute 1 (protocol ID), ATTRIB_STATUS_VALUE_NOT_SUPPORTED, value 0x0001. */
	static const unsigned char nak[] = { 0x10, 0x01, 0x00, 0x16, 0x00, 0x03, 0x00, 0x01, 0x00, 0x02, 0x00,
					     0x0E, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01 };
	struct sstp_message m;

	(void)state;
	assert_int_equal(sstp_decode(nak, sizeof(nak), &m), SSTP_PARSE_OK);
	assert_int_equal(m.type, SSTP_MSG_CALL_CONNECT_NAK);
	assert_true(m.has_status);
	assert_int_equal(m.status_attrib_id, SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID);
	assert_int_equal(m.status, 4);
	assert_string_equal(sstp_status_name(m.status), "ATTRIB_STATUS_VALUE_NOT_SUPPORTED");
	assert_null(sstp_status_name(12));
	assert_null(sstp_msg_name(10));
}

static void test_decode_malformed(void **state)
{
	struct sstp_message m;
	/* Version 2.0; a length below the header; an attribute longer than the packet; a short Status Info. */
	static const unsigned char version[] = { 0x20, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00 };
	static const unsigned char short_len[] = { 0x10, 0x01, 0x00, 0x06, 0x00, 0x02, 0x00, 0x00 };
	static const unsigned char attr_long[] = { 0x10, 0x01, 0x00, 0x0C, 0x00, 0x02, 0x00, 0x01,
						   0x00, 0x04, 0x00, 0x28 };
	static const unsigned char status_short[] = { 0x10, 0x01, 0x00, 0x0C, 0x00, 0x03, 0x00, 0x01,
						      0x00, 0x02, 0x00, 0x04 };
	static const unsigned char reserved_bits[] = { 0x10, 0x03, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00 };
	static const unsigned char data[] = { 0x10, 0x00, 0x00, 0x06, 0xFF, 0x03 };

	(void)state;
	assert_int_equal(sstp_decode(version, sizeof(version), &m), SSTP_PARSE_MALFORMED);
	assert_int_equal(sstp_decode(short_len, sizeof(short_len), &m), SSTP_PARSE_MALFORMED);
	assert_int_equal(sstp_decode(attr_long, sizeof(attr_long), &m), SSTP_PARSE_MALFORMED);
	assert_int_equal(sstp_decode(status_short, sizeof(status_short), &m), SSTP_PARSE_MALFORMED);
	assert_int_equal(sstp_decode(reserved_bits, sizeof(reserved_bits), &m), SSTP_PARSE_MALFORMED);
	/* A data packet (C = 0) is whole once its length is there. */
	assert_int_equal(sstp_decode(data, sizeof(data), &m), SSTP_PARSE_OK);
	assert_false(m.control);
	assert_int_equal(m.length, 6);
}

static void test_http_request(void **state)
{
	char buf[512];
	const char *want = "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
			   "Host: vpn.example.com\r\n"
			   "SSTPCORRELATIONID: {0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0}\r\n"
			   "Content-Length: 18446744073709551615\r\n"
			   "\r\n";
	static const unsigned char guid[16] = { 0x0F, 0x1E, 0x2D, 0x3C, 0x4B, 0x5A, 0x69, 0x78,
						0x87, 0x96, 0xA5, 0xB4, 0xC3, 0xD2, 0xE1, 0xF0 };
	char id[39];

	(void)state;
	sstp_guid_text(guid, id);
	assert_string_equal(id, "{0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0}");
	assert_int_equal(sstp_http_request(buf, sizeof(buf), "vpn.example.com", id), strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(sstp_http_request(buf, sizeof(buf), "[::1]:8443", id), strlen(want) - 15 + 10);
	/* Nothing that could end the header line gets in. */
	assert_int_equal(sstp_http_request(buf, sizeof(buf), "vpn.example.com\r\nX: y", id), 0);
	assert_int_equal(sstp_http_request(buf, sizeof(buf), "", id), 0);
	assert_int_equal(sstp_http_request(buf, 20, "vpn.example.com", id), 0);
}

static void test_http_response(void **state)
{
	const char *rras = "HTTP/1.1 200\r\nContent-Length: 18446744073709551615\r\nServer: Microsoft-HTTPAPI/2.0\r\n"
			   "Date: Sat, 05 Dec 2026 12:00:00 GMT\r\n\r\n\x10\x01";
	const char *iis = "HTTP/1.1 404 Not Found\r\ncontent-length: 35\r\nServer: Microsoft-IIS/10.0\x1b[2J\r\n\r\n";
	const char *short_len = "HTTP/1.1 200 OK\r\nContent-Length: 1844674407370955161\r\n\r\n";
	struct sstp_http_response r;

	(void)state;
	for (size_t len = 0; len < strlen(rras) - 2; len++)
		assert_int_equal(sstp_http_parse((const unsigned char *)rras, len, &r), SSTP_PARSE_INCOMPLETE);
	assert_int_equal(sstp_http_parse((const unsigned char *)rras, strlen(rras), &r), SSTP_PARSE_OK);
	assert_int_equal(r.status, 200);
	assert_true(r.content_length_ok);
	assert_string_equal(r.reason, "");
	assert_string_equal(r.server, "Microsoft-HTTPAPI/2.0");
	assert_int_equal(r.header_length, strlen(rras) - 2);

	assert_int_equal(sstp_http_parse((const unsigned char *)iis, strlen(iis), &r), SSTP_PARSE_OK);
	assert_int_equal(r.status, 404);
	assert_false(r.content_length_ok);
	assert_string_equal(r.reason, "Not Found");
	/* What the server says is escaped before anyone prints it. */
	assert_string_equal(r.server, "Microsoft-IIS/10.0\\u001B[2J");

	assert_int_equal(sstp_http_parse((const unsigned char *)short_len, strlen(short_len), &r), SSTP_PARSE_OK);
	assert_false(r.content_length_ok);
	assert_int_equal(sstp_http_parse((const unsigned char *)"SSH-2.0-OpenSSH_9.2\r\n\r\n", 24, &r),
			 SSTP_PARSE_MALFORMED);
	assert_int_equal(sstp_http_parse((const unsigned char *)"HTTP/1.1 2000\r\n\r\n", 17, &r), SSTP_PARSE_MALFORMED);
}

static void test_http_response_unbounded(void **state)
{
	unsigned char *big = malloc(9000);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', 9000);
	/* A header that never ends is refused once it passes 8 KiB, not read forever. */
	assert_int_equal(sstp_http_parse(big, 8000, &(struct sstp_http_response){ 0 }), SSTP_PARSE_INCOMPLETE);
	assert_int_equal(sstp_http_parse(big, 9000, &(struct sstp_http_response){ 0 }), SSTP_PARSE_MALFORMED);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call_connect_request_bytes),
		cmocka_unit_test(test_call_abort_bytes),
		cmocka_unit_test(test_decode_ack),
		cmocka_unit_test(test_decode_nak),
		cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_http_request),
		cmocka_unit_test(test_http_response),
		cmocka_unit_test(test_http_response_unbounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
