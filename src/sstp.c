#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "display.h"
#include "sstp.h"

#define SSTP_HEADER_LEN 4        /* version, C bit, 12-bit length (2.2.1) */
#define SSTP_CONTROL_HEADER_LEN 8 /* plus message type and attribute count (2.2.2) */
#define SSTP_MAX_HTTP_HEADER 8192

void sstp_guid_text(const unsigned char g[16], char out[39])
{
	snprintf(out, 39, "{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}", g[0], g[1], g[2],
		 g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* A Host value: letters, digits and the punctuation of names, IPv6 brackets and a port; nothing that ends a line. */
static bool host_is_plain(const char *host)
{
	if (host[0] == '\0')
		return false;
	for (const char *p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr(".-:[]_", *p) == NULL)
			return false;
	return true;
}

size_t sstp_http_request(char *buf, size_t size, const char *host, const char *correlation_id)
{
	int n;

	if (!host_is_plain(host) || strchr(correlation_id, '\r') != NULL || strchr(correlation_id, '\n') != NULL)
		return 0;
	n = snprintf(buf, size,
		     "SSTP_DUPLEX_POST " SSTP_URI " HTTP/1.1\r\n"
		     "Host: %s\r\n"
		     "SSTPCORRELATIONID: %s\r\n"
		     "Content-Length: " SSTP_CONTENT_LENGTH "\r\n"
		     "\r\n",
		     host, correlation_id);
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

/* Copies a server's text (ASCII by HTTP's rules) for printing, as display.h shows every text from outside. */
static void copy_escaped(char *out, size_t size, const unsigned char *p, size_t len)
{
	char *shown = display_bytes(p, len, DISPLAY_ASCII, 0);

	display_copy(out, size, shown ? shown : "");
	free(shown);
}

/* The value of header name in the lines between start and end, or NULL; *len set to its length. */
static const unsigned char *header_value(const unsigned char *start, const unsigned char *end, const char *name,
					 size_t *len)
{
	size_t name_len = strlen(name);

	for (const unsigned char *line = start; line < end;) {
		const unsigned char *eol = memchr(line, '\n', (size_t)(end - line));
		const unsigned char *stop = eol ? eol : end;

		if ((size_t)(stop - line) > name_len && line[name_len] == ':' &&
		    strncasecmp((const char *)line, name, name_len) == 0) {
			const unsigned char *v = line + name_len + 1;

			while (v < stop && (*v == ' ' || *v == '\t'))
				v++;
			while (stop > v && (stop[-1] == '\r' || stop[-1] == ' ' || stop[-1] == '\t'))
				stop--;
			*len = (size_t)(stop - v);
			return v;
		}
		line = eol ? eol + 1 : end;
	}
	return NULL;
}

enum sstp_parse sstp_http_parse(const unsigned char *buf, size_t len, struct sstp_http_response *out)
{
	const unsigned char *end = NULL, *eol, *p, *value;
	size_t value_len = 0;
	char digits[4];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i + 3 < len && end == NULL; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0)
			end = buf + i + 4;
	if (end == NULL)
		return len > SSTP_MAX_HTTP_HEADER ? SSTP_PARSE_MALFORMED : SSTP_PARSE_INCOMPLETE;
	out->header_length = (size_t)(end - buf);
	/* "HTTP/1.1 200" and an optional reason phrase: RRAS sends none. */
	if (out->header_length < 14 || memcmp(buf, "HTTP/1.", 7) != 0 || !isdigit(buf[7]) || buf[8] != ' ')
		return SSTP_PARSE_MALFORMED;
	memcpy(digits, buf + 9, 3);
	if (!isdigit((unsigned char)digits[0]) || !isdigit((unsigned char)digits[1]) || !isdigit((unsigned char)digits[2]))
		return SSTP_PARSE_MALFORMED;
	if (buf[12] != ' ' && buf[12] != '\r')
		return SSTP_PARSE_MALFORMED;
	out->status = (digits[0] - '0') * 100 + (digits[1] - '0') * 10 + (digits[2] - '0');
	eol = memchr(buf, '\n', out->header_length);
	p = buf + 12;
	if (p < eol && *p == ' ')
		p++;
	copy_escaped(out->reason, sizeof(out->reason), p, (size_t)(eol - p) - (eol[-1] == '\r' && eol - 1 >= p));
	value = header_value(eol + 1, end, "Content-Length", &value_len);
	out->content_length_ok = value != NULL && value_len == strlen(SSTP_CONTENT_LENGTH) &&
				 memcmp(value, SSTP_CONTENT_LENGTH, value_len) == 0;
	value = header_value(eol + 1, end, "Server", &value_len);
	if (value != NULL)
		copy_escaped(out->server, sizeof(out->server), value, value_len);
	return SSTP_PARSE_OK;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* The control packet header (2.2.2) for a message of total length len. */
static void put_control_header(unsigned char *p, size_t len, uint16_t type, uint16_t attributes)
{
	p[0] = SSTP_VERSION_1_0;
	p[1] = 0x01; /* C = 1: control */
	put16(p + 2, (uint16_t)(len & 0x0FFF));
	put16(p + 4, type);
	put16(p + 6, attributes);
}

/* An attribute header (2.2.4): reserved, ID, 12-bit length including these 4 bytes. */
static void put_attribute_header(unsigned char *p, uint8_t id, size_t len)
{
	p[0] = 0;
	p[1] = id;
	put16(p + 2, (uint16_t)(len & 0x0FFF));
}

size_t sstp_encode_call_connect_request(unsigned char *buf, size_t size)
{
	const size_t len = SSTP_CONTROL_HEADER_LEN + 6;

	if (size < len)
		return 0;
	put_control_header(buf, len, SSTP_MSG_CALL_CONNECT_REQUEST, 1);
	put_attribute_header(buf + 8, SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID, 6);
	put16(buf + 12, SSTP_ENCAPSULATED_PROTOCOL_PPP);
	return len;
}

size_t sstp_encode_call_abort(unsigned char *buf, size_t size, uint8_t attrib_id, uint32_t status)
{
	const size_t len = SSTP_CONTROL_HEADER_LEN + 12;

	if (size < len)
		return 0;
	put_control_header(buf, len, SSTP_MSG_CALL_ABORT, 1);
	put_attribute_header(buf + 8, SSTP_ATTRIB_STATUS_INFO, 12);
	buf[12] = buf[13] = buf[14] = 0;
	buf[15] = attrib_id;
	put32(buf + 16, status);
	return len;
}

/* Reads the attributes of a control message that are of interest: the first Status Info, a Crypto Binding Request. */
static enum sstp_parse decode_attributes(const unsigned char *p, size_t len, struct sstp_message *out)
{
	size_t off = 0;

	for (uint16_t i = 0; i < out->attribute_count; i++) {
		size_t alen;

		if (len - off < 4)
			return SSTP_PARSE_MALFORMED;
		alen = get16(p + off + 2) & 0x0FFF;
		if (alen < 4 || alen > len - off)
			return SSTP_PARSE_MALFORMED;
		if (p[off + 1] == SSTP_ATTRIB_STATUS_INFO && !out->has_status) {
			if (alen < 12)
				return SSTP_PARSE_MALFORMED;
			out->has_status = true;
			out->status_attrib_id = p[off + 7];
			out->status = get32(p + off + 8);
		} else if (p[off + 1] == SSTP_ATTRIB_CRYPTO_BINDING_REQ) {
			if (alen != 40)
				return SSTP_PARSE_MALFORMED;
			out->has_binding_request = true;
			out->hash_protocols = p[off + 7];
		}
		off += alen;
	}
	return off == len ? SSTP_PARSE_OK : SSTP_PARSE_MALFORMED;
}

enum sstp_parse sstp_decode(const unsigned char *buf, size_t len, struct sstp_message *out)
{
	memset(out, 0, sizeof(*out));
	if (len < SSTP_HEADER_LEN)
		return SSTP_PARSE_INCOMPLETE;
	if (buf[0] != SSTP_VERSION_1_0 || (buf[1] & 0xFE) != 0)
		return SSTP_PARSE_MALFORMED;
	out->control = buf[1] & 0x01;
	out->length = get16(buf + 2) & 0x0FFF;
	if (out->length < (out->control ? SSTP_CONTROL_HEADER_LEN : SSTP_HEADER_LEN))
		return SSTP_PARSE_MALFORMED;
	if (len < out->length)
		return SSTP_PARSE_INCOMPLETE;
	if (!out->control)
		return SSTP_PARSE_OK;
	out->type = get16(buf + 4);
	out->attribute_count = get16(buf + 6);
	return decode_attributes(buf + SSTP_CONTROL_HEADER_LEN, out->length - SSTP_CONTROL_HEADER_LEN, out);
}

const char *sstp_msg_name(uint16_t type)
{
	static const char *const names[] = {
		[SSTP_MSG_CALL_CONNECT_REQUEST] = "SSTP_MSG_CALL_CONNECT_REQUEST",
		[SSTP_MSG_CALL_CONNECT_ACK] = "SSTP_MSG_CALL_CONNECT_ACK",
		[SSTP_MSG_CALL_CONNECT_NAK] = "SSTP_MSG_CALL_CONNECT_NAK",
		[SSTP_MSG_CALL_CONNECTED] = "SSTP_MSG_CALL_CONNECTED",
		[SSTP_MSG_CALL_ABORT] = "SSTP_MSG_CALL_ABORT",
		[SSTP_MSG_CALL_DISCONNECT] = "SSTP_MSG_CALL_DISCONNECT",
		[SSTP_MSG_CALL_DISCONNECT_ACK] = "SSTP_MSG_CALL_DISCONNECT_ACK",
		[SSTP_MSG_ECHO_REQUEST] = "SSTP_MSG_ECHO_REQUEST",
		[SSTP_MSG_ECHO_RESPONSE] = "SSTP_MSG_ECHO_RESPONSE",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

const char *sstp_status_name(uint32_t status)
{
	static const char *const names[] = {
		"ATTRIB_STATUS_NO_ERROR",
		"ATTRIB_STATUS_DUPLICATE_ATTRIBUTE",
		"ATTRIB_STATUS_UNRECOGNIZED_ATTRIBUTE",
		"ATTRIB_STATUS_INVALID_ATTRIB_VALUE_LENGTH",
		"ATTRIB_STATUS_VALUE_NOT_SUPPORTED",
		"ATTRIB_STATUS_UNACCEPTED_FRAME_RECEIVED",
		"ATTRIB_STATUS_RETRY_COUNT_EXCEEDED",
		"ATTRIB_STATUS_INVALID_FRAME_RECEIVED",
		"ATTRIB_STATUS_NEGOTIATION_TIMEOUT",
		"ATTRIB_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG",
		"ATTRIB_STATUS_REQUIRED_ATTRIBUTE_MISSING",
		"ATTRIB_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG",
	};

	return status < sizeof(names) / sizeof(names[0]) ? names[status] : NULL;
}
