/*
 * winerr: the Windows error table.  The test reads winerr.def itself with
 * its own X-macro, so every entry is checked whatever winerr.c does with it.
 */
#include "unit.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>

#include "winerr.h"

struct entry {
	const char *symbol;
	uint32_t code;
	const char *meaning;
};

static const struct entry entries[] = {
#define WINERR(symbol, code, meaning) { #symbol, (uint32_t)(code), meaning },
#include "winerr.def"
#undef WINERR
};

#define N_ENTRIES (sizeof(entries) / sizeof(entries[0]))

static bool is_hresult(uint32_t code)
{
	return (code & 0x80000000u) != 0;
}

static void test_table_entries(void **state)
{
	(void)state;
	assert_true(N_ENTRIES >= 10);
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const struct entry *e = &entries[i];

		assert_non_null(e->symbol);
		assert_non_null(e->meaning);
		if (e->symbol[0] == '\0' || e->meaning[0] == '\0')
			fail_msg("entry %zu (code %u) has an empty symbol or meaning", i, e->code);
		assert_true(e->code != 0);
		/* Windows' own spelling: upper-case letters, digits and underscores. */
		for (const char *p = e->symbol; *p; p++)
			if (!(isupper((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
				fail_msg("symbol '%s' is not a Windows constant name", e->symbol);
		/* A meaning is one line of text, without a final full stop, as it ends a message. */
		if (strchr(e->meaning, '\n') != NULL || e->meaning[strlen(e->meaning) - 1] == '.')
			fail_msg("meaning of %s: '%s'", e->symbol, e->meaning);
	}
}

static void test_no_duplicates_and_sorted(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ENTRIES; i++) {
		for (size_t j = i + 1; j < N_ENTRIES; j++) {
			if (entries[i].code == entries[j].code)
				fail_msg("code 0x%08X twice: %s and %s", entries[i].code, entries[i].symbol,
					 entries[j].symbol);
			if (strcmp(entries[i].symbol, entries[j].symbol) == 0)
				fail_msg("symbol %s twice", entries[i].symbol);
		}
		/* Sorted by the 32-bit value: Win32/RAS numbers first, then HRESULTs. */
		if (i > 0 && entries[i - 1].code >= entries[i].code)
			fail_msg("not sorted: %s (0x%08X) before %s (0x%08X)", entries[i - 1].symbol,
				 entries[i - 1].code, entries[i].symbol, entries[i].code);
	}
}

static void test_lookup_every_entry(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const struct winerr *w = winerr_lookup(entries[i].code);

		if (w == NULL)
			fail_msg("winerr_lookup(0x%08X) found nothing for %s", entries[i].code, entries[i].symbol);
		assert_string_equal(w->symbol, entries[i].symbol);
		assert_string_equal(w->meaning, entries[i].meaning);
		assert_int_equal(w->code, entries[i].code);
	}
	assert_null(winerr_lookup(0));
	assert_null(winerr_lookup(12345));
	assert_null(winerr_lookup(0x80004005));  /* E_FAIL: not in the table */
}

/* Every HRESULT prints as SYMBOL 0xXXXXXXXX (signed decimal), the decimal being (int32_t)code. */
static void test_format_every_entry(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const struct entry *e = &entries[i];
		char buf[128], want[128];
		const char *got = winerr_format(e->code, buf, sizeof(buf));

		assert_ptr_equal(got, buf);
		if (is_hresult(e->code)) {
			const char *open = strchr(buf, '(');
			char *end = NULL;
			long decimal;

			snprintf(want, sizeof(want), "%s 0x%08X (", e->symbol, e->code);
			assert_non_null(open);
			assert_memory_equal(buf, want, strlen(want));
			errno = 0;
			decimal = strtol(open + 1, &end, 10);
			assert_int_equal(errno, 0);
			assert_string_equal(end, ")");
			assert_true(decimal < 0);
			if (decimal != (long)(int32_t)e->code)
				fail_msg("%s: decimal %ld, expected %ld", buf, decimal, (long)(int32_t)e->code);
		} else {
			snprintf(want, sizeof(want), "%s (%u)", e->symbol, e->code);
			assert_string_equal(buf, want);
		}
	}
}

static void test_format_known_values(void **state)
{
	char buf[128];

	(void)state;
	/* The forms the man page and the check report show. */
	assert_string_equal(winerr_format(0x800B0101, buf, sizeof(buf)), "CERT_E_EXPIRED 0x800B0101 (-2146762495)");
	assert_string_equal(winerr_format(13801, buf, sizeof(buf)), "ERROR_IPSEC_IKE_AUTH_FAIL (13801)");
	assert_string_equal(winerr_format(0x800B0109, buf, sizeof(buf)),
			    "CERT_E_UNTRUSTEDROOT 0x800B0109 (-2146762487)");
	assert_string_equal(winerr_format(864, buf, sizeof(buf)), "ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND (864)");
	assert_string_equal(winerr_format(0x80092012, buf, sizeof(buf)),
			    "CRYPT_E_NO_REVOCATION_CHECK 0x80092012 (-2146885614)");
}

static void test_format_unknown_and_zero(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(winerr_format(12345, buf, sizeof(buf)), "unknown (12345)");
	assert_string_equal(winerr_format(0x80004005, buf, sizeof(buf)), "unknown 0x80004005 (-2147467259)");
	assert_string_equal(winerr_format(0xFFFFFFFF, buf, sizeof(buf)), "unknown 0xFFFFFFFF (-1)");
	strcpy(buf, "stale");
	assert_string_equal(winerr_format(0, buf, sizeof(buf)), "");
}

static void test_format_truncates(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	winerr_format(0x800B0101, buf, sizeof(buf));
	assert_string_equal(buf, "CERT_E_");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_entries),
		cmocka_unit_test(test_no_duplicates_and_sorted),
		cmocka_unit_test(test_lookup_every_entry),
		cmocka_unit_test(test_format_every_entry),
		cmocka_unit_test(test_format_known_values),
		cmocka_unit_test(test_format_unknown_and_zero),
		cmocka_unit_test(test_format_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
