/* display: every text from a file is shown one way, escaped where it could mislead. */
#include "unit.h"

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "display.h"
#include "utf8.h"

/* display_bytes() of len bytes must give want exactly. */
static void expect(const char *bytes, size_t len, enum display_charset charset, unsigned flags, const char *want)
{
	char *got = display_bytes(bytes, len, charset, flags);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

#define UTF8(lit, want) expect(lit, sizeof(lit) - 1, DISPLAY_UTF8, 0, want)

static void test_plain_text_unchanged(void **state)
{
	(void)state;
	UTF8("", "");
	UTF8("vpn.example.com", "vpn.example.com");
	UTF8("Biztos\xC3\xADt\xC3\xA1s Kft.", "Biztos\xC3\xADt\xC3\xA1s Kft.");
	UTF8("\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87");          /* CJK */
	UTF8("\xF0\x9F\x94\x92 lock", "\xF0\x9F\x94\x92 lock");                /* U+1F512, past the BMP */
	UTF8("\xC2\xA0nbsp", "\xC2\xA0nbsp");                                  /* U+00A0 is visible as a space */
	UTF8("\xEF\xBF\xBD", "\xEF\xBF\xBD");                                  /* U+FFFD itself */
	UTF8("\xF4\x8F\xBF\xBD", "\xF4\x8F\xBF\xBD");                          /* U+10FFFD, the last private use */
}

static void test_controls(void **state)
{
	(void)state;
	UTF8("a\x01" "b", "a\\u0001b");
	UTF8("\x1B[31mred", "\\u001B[31mred");
	UTF8("line\nnext\ttab\r", "line\\u000Anext\\u0009tab\\u000D");
	UTF8("\x1F\x20\x7E\x7F", "\\u001F ~\\u007F");                          /* boundaries of C0 and DEL */
	UTF8("\xC2\x80\xC2\x9F\xC2\xA0", "\\u0080\\u009F\xC2\xA0");             /* C1, and the first after it */
	expect("a\0b", 3, DISPLAY_UTF8, 0, "a\\u0000b");                      /* an embedded NUL */
}

static void test_bidi_and_invisible(void **state)
{
	(void)state;
	UTF8("evil\xE2\x80\xAEmoc.example", "evil\\u202Emoc.example");         /* RLO */
	UTF8("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", "\\u202A\\u202B\\u202C\\u202D");
	UTF8("\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", "\\u2066\\u2067\\u2068\\u2069"); /* isolates */
	UTF8("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", "\\u200E\\u200F\\u061C");    /* LRM, RLM, ALM */
	UTF8("a\xE2\x80\x8B" "b\xE2\x80\x8C" "c\xE2\x80\x8D" "d", "a\\u200Bb\\u200Cc\\u200Dd"); /* zero width */
	UTF8("\xE2\x81\xA0\xEF\xBB\xBF", "\\u2060\\uFEFF");                     /* word joiner, BOM */
	UTF8("soft\xC2\xADhyphen", "soft\\u00ADhyphen");
	UTF8("\xE2\x80\xA8\xE2\x80\xA9", "\\u2028\\u2029");                     /* line and paragraph separators */
	UTF8("\xEF\xB8\x8F", "\\uFE0F");                                        /* a variation selector */
	UTF8("\xF3\xA0\x80\x81", "\\U000E0001");                                /* a tag: past the BMP */
	UTF8("\xEF\xBF\xBE\xEF\xB7\x90", "\\uFFFE\\uFDD0");                     /* noncharacters */
	/* The neighbours are shown as they are. */
	UTF8("\xE2\x80\x8A\xE2\x80\x90\xE2\x80\xA7\xE2\x80\xAF", "\xE2\x80\x8A\xE2\x80\x90\xE2\x80\xA7\xE2\x80\xAF");
	UTF8("\xE2\x81\x9F\xE2\x81\xB0", "\xE2\x81\x9F\xE2\x81\xB0");           /* U+205F, U+2070 */
	assert_true(display_escapes_code_point(0x202E));
	assert_false(display_escapes_code_point(0x202F));
	assert_false(display_escapes_code_point(0x2029 + 0x36)); /* U+205F */
}

static void test_backslash(void **state)
{
	(void)state;
	/* A literal "\u202E" cannot pass for an escaped U+202E, nor "\xE9" for a bad byte. */
	UTF8("a\\u202Eb", "a\\\\u202Eb");
	UTF8("a\\xE9", "a\\\\xE9");
	UTF8("\\U000E0001", "\\\\U000E0001");
	UTF8("\\\\", "\\\\\\");                     /* two: the first doubled, the second as it is */
	/* A backslash before what is shown escaped is doubled: "\" then "\u202E". */
	UTF8("\\\xE2\x80\xAE", "\\\\\\u202E");
	UTF8("\\\xFF", "\\\\\\xFF");
	/* Elsewhere it reads as itself: Windows' DOMAIN\user, or a user called uwe. */
	UTF8("CORP\\Administrator", "CORP\\Administrator");
	UTF8("OTTEL\\uwe", "OTTEL\\uwe");
	UTF8("a\\x4", "a\\x4");
	UTF8("\\", "\\");
	/* As a last guard over text already shown, backslashes stay, controls do not. */
	expect("a\\\\b\x1B", 5, DISPLAY_UTF8, DISPLAY_GUARD, "a\\\\b\\u001B");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	UTF8("\xFF", "\\xFF");
	UTF8("caf\xE9", "caf\\xE9");                                            /* Latin-1 bytes in UTF-8 */
	UTF8("\xC3(", "\\xC3(");                                                /* a lead byte without its tail */
	UTF8("\x80x", "\\x80x");                                                /* a lone continuation byte */
	UTF8("\xE2\x80", "\\xE2\\x80");                                         /* cut short at the end */
	UTF8("\xC0\xAF", "\\xC0\\xAF");                                         /* overlong '/' */
	UTF8("\xC1\xBF", "\\xC1\\xBF");                                         /* overlong DEL */
	UTF8("\xE0\x80\xAF", "\\xE0\\x80\\xAF");                                /* overlong, 3 bytes */
	UTF8("\xF0\x80\x80\xAF", "\\xF0\\x80\\x80\\xAF");                       /* overlong, 4 bytes */
	UTF8("\xED\xA0\x80", "\\xED\\xA0\\x80");                                /* the surrogate U+D800 */
	UTF8("\xED\xBF\xBF", "\\xED\\xBF\\xBF");                                /* U+DFFF */
	UTF8("\xED\x9F\xBF", "\xED\x9F\xBF");                                   /* U+D7FF is fine */
	UTF8("\xF4\x90\x80\x80", "\\xF4\\x90\\x80\\x80");                       /* past U+10FFFF */
	UTF8("\xF8\x88\x80\x80\x80", "\\xF8\\x88\\x80\\x80\\x80");              /* a 5-byte form */
	UTF8("ok\xE2\x80\xAE\xFF", "ok\\u202E\\xFF");
}

static void test_other_charsets(void **state)
{
	(void)state;
	expect("abc\x01\xE9", 5, DISPLAY_ASCII, 0, "abc\\u0001\\xE9");
	expect("biztos\xC3\xADt", 9, DISPLAY_ASCII, 0, "biztos\\xC3\\xADt");       /* not re-decoded */
	expect("\0a\x20\x2E", 4, DISPLAY_UCS2, 0, "a\\u202E");
	expect("\xD8\x3D\xDD\x12", 4, DISPLAY_UCS2, 0, "\xF0\x9F\x94\x92");      /* a surrogate pair */
	expect("\xD8\x3D\0a", 4, DISPLAY_UCS2, 0, "\\xD8\\x3Da");                /* a lone high surrogate */
	expect("\xDC\x00", 2, DISPLAY_UCS2, 0, "\\xDC\\x00");                    /* a lone low one */
	expect("\0a\0", 3, DISPLAY_UCS2, 0, "a\\x00");                            /* an odd length */
	expect("\0\0\0a\0\0\x20\x2E", 8, DISPLAY_UCS4, 0, "a\\u202E");
	expect("\0\x11\0\0", 4, DISPLAY_UCS4, 0, "\\x00\\x11\\x00\\x00");        /* past U+10FFFF */
	expect("\0\0\xD8\0", 4, DISPLAY_UCS4, 0, "\\x00\\x00\\xD8\\x00");        /* a surrogate */
	expect("\0\0", 2, DISPLAY_UCS4, 0, "\\x00\\x00");
}

static void test_rfc4514(void **state)
{
	(void)state;
	expect(" a,b+c\"d<e>f;g=h#", 17, DISPLAY_UTF8, DISPLAY_RFC4514, "\\ a\\,b\\+c\\\"d\\<e\\>f\\;g=h#");
	expect("#x ", 3, DISPLAY_UTF8, DISPLAY_RFC4514, "\\#x\\ ");
	expect("a\\b", 3, DISPLAY_UTF8, DISPLAY_RFC4514, "a\\\\b");
}

static ASN1_STRING *asn1(int type, const char *bytes, int len)
{
	ASN1_STRING *s = ASN1_STRING_type_new(type);

	assert_non_null(s);
	assert_true(ASN1_STRING_set(s, bytes, len));
	return s;
}

static void expect_asn1(int type, const char *bytes, int len, const char *want)
{
	ASN1_STRING *s = asn1(type, bytes, len);
	char *got = display_asn1(s, 0);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	ASN1_STRING_free(s);
}

static void test_asn1_types(void **state)
{
	(void)state;
	expect_asn1(V_ASN1_UTF8STRING, "caf\xC3\xA9\xE2\x80\xAE", 8, "caf\xC3\xA9\\u202E");
	expect_asn1(V_ASN1_UTF8STRING, "caf\xE9", 4, "caf\\xE9");
	expect_asn1(V_ASN1_BMPSTRING, "\0c\0\xE9", 4, "c\xC3\xA9");
	expect_asn1(V_ASN1_UNIVERSALSTRING, "\0\0\0c", 4, "c");
	expect_asn1(V_ASN1_IA5STRING, "b\xC3\xADt", 4, "b\\xC3\\xADt");
	expect_asn1(V_ASN1_PRINTABLESTRING, "AB\x80", 3, "AB\\x80");
	expect_asn1(V_ASN1_T61STRING, "M\xFCller", 6, "M\\xFCller");             /* T.61 is not Latin-1: not guessed */
	expect_asn1(V_ASN1_OCTET_STRING, "\x01\x02", 2, "#04020102");            /* not a string: its DER */
}

static void add(X509_NAME *name, const char *field, int type, const char *bytes, int len, int set)
{
	assert_true(X509_NAME_add_entry_by_txt(name, field, type, (const unsigned char *)bytes, len, -1, set));
}

static void test_names(void **state)
{
	X509_NAME *name = X509_NAME_new();
	char *got, buf[32];

	(void)state;
	assert_non_null(name);
	got = display_name(name);
	assert_string_equal(got, "");
	free(got);
	add(name, "C", V_ASN1_PRINTABLESTRING, "HU", 2, 0);
	add(name, "O", V_ASN1_UTF8STRING, "IT, Ops", 7, 0);
	add(name, "OU", V_ASN1_UTF8STRING, "A", 1, 0);
	add(name, "OU", V_ASN1_UTF8STRING, "B", 1, -1);                        /* joined: shown last first, as OpenSSL does */
	add(name, "CN", V_ASN1_UTF8STRING, "gpj.\xE2\x80\xAE" "exe", 10, 0);
	add(name, "1.2.3.4", V_ASN1_UTF8STRING, "\xE9", 1, 0);
	got = display_name(name);
	assert_string_equal(got, "1.2.3.4=\\xE9, CN=gpj.\\u202Eexe, OU=A+OU=B, O=IT\\, Ops, C=HU");
	/* Cut to fit, never inside an escape or a character. */
	assert_string_equal(display_copy(buf, 12, got), "1.2.3.4=");
	assert_string_equal(display_copy(buf, 13, got), "1.2.3.4=\\xE9");
	assert_string_equal(display_copy(buf, 3, "a\xC3\xA9"), "a");
	assert_string_equal(display_copy(buf, 4, "ab\\\\"), "ab");
	assert_string_equal(display_copy(buf, sizeof(buf), "short"), "short");
	free(got);
	X509_NAME_free(name);
}

/* display_guard(): probe's fixed buffers; what was already shown passes unchanged, the rest is escaped. */
static void expect_guard(const char *in, const char *want)
{
	char out[256];

	assert_string_equal(display_guard(in, out, sizeof(out)), want);
}

static void test_guard(void **state)
{
	char out[8];

	(void)state;
	expect_guard("CN=vpn.example.com,O=Example\\, Ltd", "CN=vpn.example.com,O=Example\\, Ltd");
	expect_guard("CN=a\\u202Eb", "CN=a\\u202Eb");
	expect_guard("O=Soci\xC3\xA9t\xC3\xA9", "O=Soci\xC3\xA9t\xC3\xA9");
	expect_guard("a\x1b[2Jb\tc\x7f", "a\\u001B[2Jb\\u0009c\\u007F");
	expect_guard("a\xC2\x9B" "31m", "a\\u009B31m");
	expect_guard("vpn\xE2\x80\xAEgnp.exe", "vpn\\u202Egnp.exe");
	expect_guard("a\xE2\x81\xA6" "b\xE2\x80\x8B" "c\xEF\xBB\xBF" "d\xC2\xAD" "e\xD8\x9C",
		     "a\\u2066b\\u200Bc\\uFEFFd\\u00ADe\\u061C");
	expect_guard("a\xC0\xAF" "b", "a\\xC0\\xAFb");
	expect_guard("ok\xE2\x80", "ok\\xE2\\x80");
	/* Cut at a whole character or escape: never half of one. */
	assert_string_equal(display_guard("abcdefghij", out, sizeof(out)), "abcdefg");
	assert_string_equal(display_guard("abcde\x1b", out, sizeof(out)), "abcde");
	assert_string_equal(display_guard("abcde\xC3\xA9", out, sizeof(out)), "abcde\xC3\xA9");
	assert_string_equal(display_guard("abcdef\xC3\xA9", out, sizeof(out)), "abcdef");
	assert_string_equal(display_guard("", out, sizeof(out)), "");
}

/* Whatever the bytes, what is shown is UTF-8 with nothing in it that display_escapes_code_point() names. */
static void test_any_bytes_give_safe_text(void **state)
{
	unsigned int seed = 11;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		unsigned char bytes[24];
		size_t len = (size_t)(rand_r(&seed) % (int)sizeof(bytes));
		char *got;

		for (size_t i = 0; i < len; i++)
			bytes[i] = (unsigned char)(round % 3 == 0 ? rand_r(&seed) : 0x80 | rand_r(&seed) % 0x80);
		got = display_bytes(bytes, len, (enum display_charset)(round % 4), (unsigned)(round % 3) & DISPLAY_RFC4514);
		assert_non_null(got);
		assert_true(utf8_length(got, strlen(got), true) >= 0);
		for (const unsigned char *p = (const unsigned char *)got; *p != '\0';) {
			unsigned long cp = 0;
			int n = UTF8_getc(p, 4, &cp);

			assert_true(n > 0);
			assert_false(display_escapes_code_point(cp));
			p += n;
		}
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_bidi_and_invisible),
		cmocka_unit_test(test_backslash),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_other_charsets),
		cmocka_unit_test(test_rfc4514),
		cmocka_unit_test(test_asn1_types),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_guard),
		cmocka_unit_test(test_any_bytes_give_safe_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
