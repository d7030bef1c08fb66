#ifndef MKCSR_SSTP_H
#define MKCSR_SSTP_H

/*
 * The few MS-SSTP messages a probe needs, encoded and decoded as bytes: the
 * HTTP request that opens the tunnel and its answer, Call Connect Request,
 * Call Connect Ack/Nak, Call Abort.  Nothing here touches a socket; the
 * transport hands bytes in and takes bytes out.  Section numbers are those
 * of [MS-SSTP].
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSTP_VERSION_1_0 0x10                 /* 2.2.1: major 1, minor 0 */
#define SSTP_URI "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
#define SSTP_CONTENT_LENGTH "18446744073709551615" /* 2^64 - 1: the duplex stream never ends */
#define SSTP_ENCAPSULATED_PROTOCOL_PPP 0x0001

enum sstp_msg_type {                          /* 2.2.2 */
	SSTP_MSG_CALL_CONNECT_REQUEST = 0x0001,
	SSTP_MSG_CALL_CONNECT_ACK = 0x0002,
	SSTP_MSG_CALL_CONNECT_NAK = 0x0003,
	SSTP_MSG_CALL_CONNECTED = 0x0004,
	SSTP_MSG_CALL_ABORT = 0x0005,
	SSTP_MSG_CALL_DISCONNECT = 0x0006,
	SSTP_MSG_CALL_DISCONNECT_ACK = 0x0007,
	SSTP_MSG_ECHO_REQUEST = 0x0008,
	SSTP_MSG_ECHO_RESPONSE = 0x0009,
};

enum sstp_attrib_id {                         /* 2.2.4 */
	SSTP_ATTRIB_NO_ERROR = 0x00,
	SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID = 0x01,
	SSTP_ATTRIB_STATUS_INFO = 0x02,
	SSTP_ATTRIB_CRYPTO_BINDING = 0x03,
	SSTP_ATTRIB_CRYPTO_BINDING_REQ = 0x04,
};

enum sstp_parse {
	SSTP_PARSE_OK,
	SSTP_PARSE_INCOMPLETE,   /* read more bytes and try again */
	SSTP_PARSE_MALFORMED,
};

/* "{9F2B6C1E-0D4A-4F3B-8C21-5E7A9B0C1D2E}": a GUID in the braces-and-capitals form Windows sends. */
void sstp_guid_text(const unsigned char guid[16], char out[39]);

/*
 * The request Windows sends first (3.2.4.1): SSTP_DUPLEX_POST with Host,
 * SSTPCORRELATIONID and the 2^64-1 Content-Length.  Returns its length, or 0
 * when it does not fit size or host is not a plain host name.
 */
size_t sstp_http_request(char *buf, size_t size, const char *host, const char *correlation_id);

struct sstp_http_response {
	int status;                 /* 200, 404, ... */
	bool content_length_ok;     /* Content-Length: 18446744073709551615 */
	char reason[64];            /* the reason phrase, escaped for printing ("" when none) */
	char server[64];            /* the Server header, escaped ("" when none) */
	size_t header_length;       /* bytes up to and including the blank line */
};

/* The server's answer to the request, once its header is complete. */
enum sstp_parse sstp_http_parse(const unsigned char *buf, size_t len, struct sstp_http_response *out);

/* Call Connect Request with Encapsulated Protocol ID = PPP (2.2.9): 14 bytes, or 0 if size is smaller. */
size_t sstp_encode_call_connect_request(unsigned char *buf, size_t size);

/* Call Abort with one Status Info attribute (2.2.13): 20 bytes, or 0 if size is smaller. */
size_t sstp_encode_call_abort(unsigned char *buf, size_t size, uint8_t attrib_id, uint32_t status);

struct sstp_message {
	bool control;               /* C bit */
	size_t length;              /* the whole packet, header included */
	uint16_t type;              /* control packets: enum sstp_msg_type */
	uint16_t attribute_count;
	bool has_status;            /* a Status Info attribute (2.2.8), the first one */
	uint8_t status_attrib_id;   /* the attribute it speaks of */
	uint32_t status;
	bool has_binding_request;   /* Crypto Binding Request (2.2.6), in a Call Connect Ack */
	uint8_t hash_protocols;     /* its bitmask: 1 SHA-1, 2 SHA-256 */
};

/* One SSTP packet from the start of buf; MALFORMED for a wrong version or inconsistent lengths. */
enum sstp_parse sstp_decode(const unsigned char *buf, size_t len, struct sstp_message *out);

/* "SSTP_MSG_CALL_CONNECT_ACK", or NULL for an unknown type. */
const char *sstp_msg_name(uint16_t type);
/* "ATTRIB_STATUS_VALUE_NOT_SUPPORTED", or NULL for an unknown status (2.2.8). */
const char *sstp_status_name(uint32_t status);

#endif
