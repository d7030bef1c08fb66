#ifndef MKCSR_DISPLAY_H
#define MKCSR_DISPLAY_H

/*
 * Text from files and servers as it is shown, on screen and in JSON alike:
 * what the admin reads is what the bytes say, and nothing can pretend to be
 * something else.
 *
 *   - valid characters of the string's type are shown as UTF-8;
 *   - a byte that is not valid in the type is shown as \xNN (never
 *     re-decoded as Latin-1 or anything else);
 *   - a control, format or invisible character (C0, DEL, C1, U+00AD, the
 *     bidirectional marks, embeddings, overrides and isolates, zero-width
 *     characters, U+FEFF, variation selectors, tags, noncharacters, line and
 *     paragraph separators) is shown as \uXXXX (\UXXXXXXXX past U+FFFF);
 *   - a backslash is shown as \\ where it would otherwise read as the start
 *     of one of these escapes (before another backslash, before something
 *     shown escaped, before x, u or U and hex digits; always in a
 *     distinguished name, as RFC 4514 wants), so that no escape can be
 *     faked, while DOMAIN\user stays as it is.
 *
 * Every result is valid UTF-8 and malloc'ed (NULL only when out of memory).
 */

#include <stdbool.h>
#include <stddef.h>

#include <openssl/asn1.h>
#include <openssl/x509.h>

/* How the bytes of a string are to be read. */
enum display_charset {
	DISPLAY_UTF8,  /* UTF8String, text files: UTF-8 without overlong forms or surrogates */
	DISPLAY_ASCII, /* PrintableString, IA5String, VisibleString, NumericString, T61String: bytes past 0x7F are \xNN */
	DISPLAY_UCS2,  /* BMPString: UTF-16BE (a surrogate pair is read as one character, a lone one is \xNN\xNN) */
	DISPLAY_UCS4,  /* UniversalString: UCS-4 big-endian */
};

/* Flags for display_bytes(). */
#define DISPLAY_RFC4514 0x1 /* also escape what a distinguished name value must: , + " < > ; and #/space at the ends */
#define DISPLAY_GUARD 0x2   /* leave backslashes alone: for text that is already escaped, as a last guard */

char *display_bytes(const void *data, size_t len, enum display_charset charset, unsigned flags);

/* A NUL-terminated string that should be UTF-8 (a text file's value, a file name, a message). */
char *display_text(const char *s);

/* Any ASN.1 string by its type; a non-string (a BIT STRING in a name) as #hex of its DER, as RFC 4514 does. */
char *display_asn1(const ASN1_STRING *s, unsigned flags);

/* A distinguished name in RFC 4514 order and form ("CN=vpn.example.com,O=Example"); "" when empty. */
char *display_name(const X509_NAME *name);

/*
 * Copies shown (display output) into buf of size bytes, cut on a character
 * boundary when it does not fit; returns buf.
 */
const char *display_copy(char *buf, size_t size, const char *shown);

/*
 * in (already shown, or mkcsr's own text around shown values) with the
 * DISPLAY_GUARD rules, into out of size bytes, cut on a character or escape
 * boundary; returns out.  For fixed buffers, as probe's reports use.
 */
const char *display_guard(const char *in, char *out, size_t size);

/* Whether a code point is shown escaped (controls, format and invisible characters). */
bool display_escapes_code_point(unsigned long cp);

#endif
