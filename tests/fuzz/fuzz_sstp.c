/*
 * The MS-SSTP decoder (sstp.c), as mkcsr probe feeds it what a server
 * sends: the first byte chooses the HTTP answer to SSTP_DUPLEX_POST (0) or
 * a stream of SSTP packets (anything else).  Properties: a decoded packet
 * lies within the input and is at least its header; an incomplete one is
 * shorter than it says; what the HTTP parser keeps of the server's text is
 * printable ASCII (escapes included), and its header ends within the input.
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "sstp.h"

static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static void http_answer(const uint8_t *data, size_t size)
{
	struct sstp_http_response r;
	enum sstp_parse rc = sstp_http_parse(data, size, &r);

	if (rc != SSTP_PARSE_OK)
		return;
	FUZZ_ASSERT(r.header_length >= 14 && r.header_length <= size);
	FUZZ_ASSERT(r.status >= 0 && r.status <= 999);
	FUZZ_ASSERT(printable_ascii(r.reason) && printable_ascii(r.server));
}

static void packets(const uint8_t *data, size_t size)
{
	while (size > 0) {
		struct sstp_message m;
		enum sstp_parse rc = sstp_decode(data, size, &m);

		if (rc == SSTP_PARSE_INCOMPLETE) {
			FUZZ_ASSERT(size < 4 || size < (size_t)(((data[2] << 8) | data[3]) & 0x0fff));
			return;
		}
		if (rc == SSTP_PARSE_MALFORMED)
			return;
		FUZZ_ASSERT(m.length >= (m.control ? 8u : 4u) && m.length <= size);
		if (m.control)
			(void)sstp_msg_name(m.type);
		if (m.has_status)
			(void)sstp_status_name(m.status);
		data += m.length;
		size -= m.length;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 64 * 1024)
		return 0;
	if (data[0] == 0)
		http_answer(data + 1, size - 1);
	else
		packets(data + 1, size - 1);
	return 0;
}
