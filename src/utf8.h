#ifndef MKCSR_UTF8_H
#define MKCSR_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The number of characters in s[0..len) when it is UTF-8 (no overlong
 * forms, surrogates or values past U+10FFFF), else -1.  With no_controls,
 * C0 control characters and DEL make it -1 too.  OpenSSL's UTF8_getc()
 * does the decoding.
 */
long utf8_length(const char *s, size_t len, bool no_controls);

#endif
