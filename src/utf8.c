#include <config.h>

#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>

#include "utf8.h"

long utf8_length(const char *s, size_t len, bool no_controls)
{
	const unsigned char *p = (const unsigned char *)s;
	long count = 0;

	while (len > 0) {
		unsigned long cp;
		int n = UTF8_getc(p, (int)(len > 8 ? 8 : len), &cp);

		if (n <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		if (no_controls && (cp < 0x20 || cp == 0x7f))
			return -1;
		p += n;
		len -= (size_t)n;
		count++;
	}
	return count;
}

/* Characters that reorder, join or hide text on a terminal: shown as \u{XXXX}, never as themselves. */
static bool misleading(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xad || cp == 0x61c || cp == 0x180e ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	       cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

const char *utf8_printable(const char *in, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t len = strlen(in), used = 0;

	while (len > 0) {
		unsigned long cp = 0;
		int n = UTF8_getc(p, (int)(len > 8 ? 8 : len), &cp);
		char piece[16];
		size_t piece_len;

		if (n <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			snprintf(piece, sizeof(piece), "\\x%02X", *p);
			n = 1;
		} else if (misleading(cp)) {
			snprintf(piece, sizeof(piece), cp < 0x100 ? "\\x%02lX" : "\\u{%04lX}", cp);
		} else {
			memcpy(piece, p, (size_t)n);
			piece[n] = '\0';
		}
		piece_len = strlen(piece);
		if (used + piece_len >= size)
			break;
		memcpy(out + used, piece, piece_len);
		used += piece_len;
		p += n;
		len -= (size_t)n;
	}
	out[used] = '\0';
	return out;
}
