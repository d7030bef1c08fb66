/* utf8: what is printed from a file or a server is made safe, and nothing else is changed. */
#include "unit.h"

#include "utf8.h"

static void expect_printable(const char *in, const char *want)
{
	char out[256];

	assert_string_equal(utf8_printable(in, out, sizeof(out)), want);
}

static void test_printable(void **state)
{
	(void)state;
	expect_printable("CN=vpn.example.com,O=Example\\, Ltd", "CN=vpn.example.com,O=Example\\, Ltd");
	expect_printable("O=Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale", "O=Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale");
	/* Terminal escapes and other controls, C1 included. */
	expect_printable("a\x1b[2Jb\tc\x7f", "a\\x1B[2Jb\\x09c\\x7F");
	expect_printable("a\xC2\x9B" "31m", "a\\x9B31m");
	/* Bidi overrides and isolates, zero-width and invisible characters. */
	expect_printable("vpn\xE2\x80\xAEgnp.exe", "vpn\\u{202E}gnp.exe");
	expect_printable("a\xE2\x81\xA6" "b\xE2\x80\x8B" "c\xEF\xBB\xBF" "d\xC2\xAD" "e\xD8\x9C", "a\\u{2066}b\\u{200B}c\\u{FEFF}d\\xADe\\u{061C}");
	/* Bytes that are not UTF-8: an overlong form, a lone continuation byte, a surrogate, a cut sequence. */
	expect_printable("a\xC0\xAF" "b", "a\\xC0\\xAFb");
	expect_printable("\x80x", "\\x80x");
	expect_printable("\xED\xA0\x80", "\\xED\\xA0\\x80");
	expect_printable("ok\xE2\x80", "ok\\xE2\\x80");
}

static void test_printable_cut(void **state)
{
	char out[8];

	(void)state;
	/* Cut at a whole character or escape: never half of one. */
	assert_string_equal(utf8_printable("abcdefghij", out, sizeof(out)), "abcdefg");
	assert_string_equal(utf8_printable("abcde\x1b", out, sizeof(out)), "abcde");
	assert_string_equal(utf8_printable("abcde\xC3\xA9", out, sizeof(out)), "abcde\xC3\xA9");
	assert_string_equal(utf8_printable("abcdef\xC3\xA9", out, sizeof(out)), "abcdef");
	assert_string_equal(utf8_printable("", out, sizeof(out)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_printable_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
