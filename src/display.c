/*
 * One way to show text that comes from a file or a server: see display.h.
 * The rules live here alone so that inspect, check, pfx, new and templates
 * cannot drift apart.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "display.h"
#include "subject.h"

/* A growing output string; failed is set once memory ran out. */
struct out {
	char *buf;
	size_t len, size;
	bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->failed)
		return;
	if (o->len + n + 1 > o->size) {
		size_t size = (o->size ? o->size * 2 : 64) + n;
		char *grown = realloc(o->buf, size);

		if (grown == NULL) {
			o->failed = true;
			return;
		}
		o->buf = grown;
		o->size = size;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static char *finish(struct out *o)
{
	if (!o->failed && o->buf == NULL)
		put(o, "", 0);
	if (o->failed) {
		free(o->buf);
		return NULL;
	}
	return o->buf;
}

static void put_bad_bytes(struct out *o, const unsigned char *p, size_t n)
{
	char esc[5];

	for (size_t i = 0; i < n; i++) {
		snprintf(esc, sizeof(esc), "\\x%02X", p[i]);
		put(o, esc, 4);
	}
}

/* Format (Cf) characters, line and paragraph separators, fillers and other invisibles. */
static const struct {
	unsigned long first, last;
} invisible[] = {
	{ 0x00AD, 0x00AD },   { 0x034F, 0x034F },   { 0x0600, 0x0605 },   { 0x061C, 0x061C },
	{ 0x06DD, 0x06DD },   { 0x070F, 0x070F },   { 0x08E2, 0x08E2 },   { 0x115F, 0x1160 },
	{ 0x17B4, 0x17B5 },   { 0x180B, 0x180F },   { 0x200B, 0x200F },   { 0x2028, 0x202E },
	{ 0x2060, 0x206F },   { 0x3164, 0x3164 },   { 0xFE00, 0xFE0F },   { 0xFEFF, 0xFEFF },
	{ 0xFFA0, 0xFFA0 },   { 0xFFF9, 0xFFFB },   { 0x110BD, 0x110BD }, { 0x110CD, 0x110CD },
	{ 0x13430, 0x1343F }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A }, { 0xE0000, 0xE0FFF },
};

bool display_escapes_code_point(unsigned long cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return true;
	if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
		return true; /* noncharacters */
	for (size_t i = 0; i < sizeof(invisible) / sizeof(invisible[0]); i++)
		if (cp >= invisible[i].first && cp <= invisible[i].last)
			return true;
	return false;
}

/*
 * One decoded character; first and last say where it stands in the value
 * (for RFC 4514), double whether it is a backslash to write as \\.
 */
static void put_code_point(struct out *o, unsigned long cp, unsigned flags, bool first, bool last, bool twice)
{
	char esc[16];

	if (display_escapes_code_point(cp)) {
		snprintf(esc, sizeof(esc), cp > 0xFFFF ? "\\U%08lX" : "\\u%04lX", cp);
		put_str(o, esc);
		return;
	}
	if (cp == '\\' && twice) {
		put(o, "\\\\", 2);
		return;
	}
	if ((flags & DISPLAY_RFC4514) && (strchr(",+\"<>;", (int)cp) != NULL || (first && (cp == '#' || cp == ' ')) ||
					  (last && cp == ' ')))
		put(o, "\\", 1);
	UTF8_putc((unsigned char *)esc, 4, cp);
	put(o, esc, (size_t)UTF8_putc(NULL, 4, cp));
}

/* Decodes one character at p (n bytes left): its length (0: invalid) and value. */
static size_t decode(const unsigned char *p, size_t n, enum display_charset charset, unsigned long *cp)
{
	int got;

	switch (charset) {
	case DISPLAY_UTF8:
		got = UTF8_getc(p, (int)(n > 4 ? 4 : n), cp);
		if (got <= 0 || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
			return 0;
		return (size_t)got;
	case DISPLAY_ASCII:
		*cp = p[0];
		return p[0] < 0x80 ? 1 : 0;
	case DISPLAY_UCS2:
		if (n < 2)
			return 0;
		*cp = (unsigned long)p[0] << 8 | p[1];
		if (*cp < 0xD800 || *cp > 0xDFFF)
			return 2;
		if (*cp <= 0xDBFF && n >= 4 && p[2] >= 0xDC && p[2] <= 0xDF) {
			*cp = 0x10000 + ((*cp - 0xD800) << 10) + (((unsigned long)p[2] << 8 | p[3]) - 0xDC00);
			return 4;
		}
		return 0;
	case DISPLAY_UCS4:
		if (n < 4)
			return 0;
		*cp = (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
		return *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF) ? 0 : 4;
	}
	return 0;
}

/* How many bytes an undecodable unit takes: one byte, a UTF-16 or a UCS-4 unit (or what is left of one). */
static size_t bad_unit(const unsigned char *p, size_t n, enum display_charset charset)
{
	size_t unit = charset == DISPLAY_UCS2 ? 2 : charset == DISPLAY_UCS4 ? 4 : 1;

	/* A UTF-8 sequence that decodes to a surrogate or past U+10FFFF: all its bytes. */
	if (charset == DISPLAY_UTF8) {
		unsigned long cp;
		int got = UTF8_getc(p, (int)(n > 4 ? 4 : n), &cp);

		if (got > 0)
			unit = (size_t)got;
	}
	return unit < n ? unit : n;
}

static bool is_hex_digit(unsigned long cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'F') || (cp >= 'a' && cp <= 'f');
}

/*
 * Whether what follows a backslash at p would read as an escape: another
 * backslash, something shown escaped, or x, u or U and 2, 4 or 8 hex
 * digits.  Only then is the backslash doubled (always in a name, as RFC
 * 4514 wants): DOMAIN\user stays as it is, and the text stays unambiguous.
 */
static bool would_read_as_escape(const unsigned char *p, size_t len, enum display_charset charset)
{
	unsigned long cp = 0;
	size_t n = len ? decode(p, len, charset, &cp) : 0, digits;

	if (len == 0)
		return false;
	if (n == 0 || cp == '\\' || display_escapes_code_point(cp))
		return true;
	digits = cp == 'x' ? 2 : cp == 'u' ? 4 : cp == 'U' ? 8 : 0;
	if (digits == 0)
		return false;
	for (size_t i = n, k = 0; k < digits; k++, i += n)
		if (i >= len || (n = decode(p + i, len - i, charset, &cp)) == 0 || !is_hex_digit(cp))
			return false;
	return true;
}

static void put_bytes(struct out *o, const unsigned char *p, size_t len, enum display_charset charset, unsigned flags)
{
	size_t i = 0;

	while (i < len) {
		unsigned long cp = 0;
		size_t n = decode(p + i, len - i, charset, &cp);

		if (n == 0) {
			n = bad_unit(p + i, len - i, charset);
			put_bad_bytes(o, p + i, n);
		} else {
			bool twice = cp == '\\' && !(flags & DISPLAY_GUARD) &&
				     ((flags & DISPLAY_RFC4514) || would_read_as_escape(p + i + n, len - i - n, charset));

			put_code_point(o, cp, flags, i == 0, i + n == len, twice);
		}
		i += n;
	}
}

char *display_bytes(const void *data, size_t len, enum display_charset charset, unsigned flags)
{
	struct out o = { 0 };

	put_bytes(&o, data, len, charset, flags);
	return finish(&o);
}

char *display_text(const char *s)
{
	return display_bytes(s ? s : "", s ? strlen(s) : 0, DISPLAY_UTF8, 0);
}

/* The charset of an ASN.1 string type; false for a type that is not a character string. */
static bool charset_of(int type, enum display_charset *charset)
{
	switch (type) {
	case V_ASN1_UTF8STRING:
		*charset = DISPLAY_UTF8;
		return true;
	case V_ASN1_BMPSTRING:
		*charset = DISPLAY_UCS2;
		return true;
	case V_ASN1_UNIVERSALSTRING:
		*charset = DISPLAY_UCS4;
		return true;
	case V_ASN1_PRINTABLESTRING:
	case V_ASN1_IA5STRING:
	case V_ASN1_VISIBLESTRING:
	case V_ASN1_NUMERICSTRING:
	case V_ASN1_T61STRING:
	case V_ASN1_VIDEOTEXSTRING:
	case V_ASN1_GRAPHICSTRING:
	case V_ASN1_GENERALSTRING:
		*charset = DISPLAY_ASCII;
		return true;
	default:
		return false;
	}
}

/* #hex of the DER of a value that is not a character string. */
static void put_der_hex(struct out *o, const ASN1_STRING *s)
{
	ASN1_TYPE *t = ASN1_TYPE_new();
	unsigned char *der = NULL;
	int len = -1;
	char hex[3];

	if (t != NULL && ASN1_TYPE_set1(t, ASN1_STRING_type(s), s))
		len = i2d_ASN1_TYPE(t, &der);
	ASN1_TYPE_free(t);
	if (len < 0) {
		put_str(o, "(unreadable)");
		return;
	}
	put(o, "#", 1);
	for (int i = 0; i < len; i++) {
		snprintf(hex, sizeof(hex), "%02X", der[i]);
		put(o, hex, 2);
	}
	OPENSSL_free(der);
}

static void put_asn1(struct out *o, const ASN1_STRING *s, unsigned flags)
{
	enum display_charset charset;

	if (s == NULL)
		put_str(o, "(unreadable)");
	else if (charset_of(ASN1_STRING_type(s), &charset))
		put_bytes(o, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s), charset, flags);
	else
		put_der_hex(o, s);
}

char *display_asn1(const ASN1_STRING *s, unsigned flags)
{
	struct out o = { 0 };

	put_asn1(&o, s, flags);
	return finish(&o);
}

char *display_name(const X509_NAME *name)
{
	struct out o = { 0 };
	int last = X509_NAME_entry_count(name) - 1;

	/*
	 * As certlm shows it: the last RDN first, ", " between RDNs, '+' inside
	 * one with its values in their order, Windows' short names (E, STREET...).
	 */
	while (last >= 0) {
		int set = X509_NAME_ENTRY_set(X509_NAME_get_entry(name, last)), first = last;

		while (first > 0 && X509_NAME_ENTRY_set(X509_NAME_get_entry(name, first - 1)) == set)
			first--;
		for (int i = first; i <= last; i++) {
			const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
			const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(entry);
			int nid = OBJ_obj2nid(obj);
			const char *type = subject_attr_name(nid);
			char oid[128];

			if (o.len > 0)
				put_str(&o, i == first ? ", " : "+");
			if (type != NULL)
				put_str(&o, type);
			else if (nid != NID_undef && OBJ_nid2sn(nid) != NULL)
				put_str(&o, OBJ_nid2sn(nid));
			else if (OBJ_obj2txt(oid, sizeof(oid), obj, 1) > 0)
				put_str(&o, oid);
			else
				put_str(&o, "(unreadable)");
			put(&o, "=", 1);
			put_asn1(&o, X509_NAME_ENTRY_get_data(entry), DISPLAY_RFC4514);
		}
		last = first - 1;
	}
	return finish(&o);
}

/* The length of the escape that starts at s[0] == '\\'. */
static size_t escape_length(const char *s)
{
	return s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : s[1] == 'U' ? 10 : 2;
}

const char *display_copy(char *buf, size_t size, const char *shown)
{
	size_t len = strlen(shown);

	if (size == 0)
		return buf;
	if (len >= size) {
		len = size - 1;
		/* Do not cut a UTF-8 character, nor an escape such as \u202E. */
		while (len > 0 && ((unsigned char)shown[len] & 0xC0) == 0x80)
			len--;
		for (size_t i = 0; i < len; i++)
			if (shown[i] == '\\') {
				size_t n = escape_length(shown + i);

				if (i + n > len) {
					len = i;
					break;
				}
				i += n - 1;
			}
	}
	memcpy(buf, shown, len);
	buf[len] = '\0';
	return buf;
}

const char *display_guard(const char *in, char *out, size_t size)
{
	char *shown = display_bytes(in, strlen(in), DISPLAY_UTF8, DISPLAY_GUARD);

	display_copy(out, size, shown ? shown : "(out of memory)");
	free(shown);
	return out;
}
