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
