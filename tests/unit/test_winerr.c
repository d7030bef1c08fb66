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
	const char *cause;
	const char *fix;
	const char *detect;
};

static const struct entry entries[] = {
#define WINERR(symbol, code, meaning, cause, fix, detect) { #symbol, (uint32_t)(code), meaning, cause, fix, detect },
#include "winerr.def"
#undef WINERR
};

#define N_ENTRIES (sizeof(entries) / sizeof(entries[0]))

static bool is_hresult(uint32_t code)
{
	return (code & 0x80000000u) != 0;
}

static const struct entry *find(uint32_t code)
{
	for (size_t i = 0; i < N_ENTRIES; i++)
		if (entries[i].code == code)
			return &entries[i];
	return NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * The codes Always On VPN administrators bring, named as Microsoft names them.
 * A code missing here from the table, or under another name, fails the test.
 * The runs 850-868, 13801-13849 and 0x800B0100-0x800B0114 are checked whole
 * in test_required_ranges.
 */
static const struct {
	uint32_t code;
	const char *symbol;
} required[] = {
	/* Win32: what .NET and Server 2016 say of an AES-256 PFX. */
	{ 86, "ERROR_INVALID_PASSWORD" },
	/* RAS (raserror.h). */
	{ 691, "ERROR_AUTHENTICATION_FAILURE" },
	{ 798, "ERROR_NO_EAPTLS_CERTIFICATE" },
	{ 801, "ERROR_VALIDATING_SERVER_CERT" },
	{ 806, "ERROR_VPN_GRE_BLOCKED" },
	{ 809, "ERROR_VPN_TIMEOUT" },
	{ 812, "ERROR_SERVER_POLICY" },
	{ 813, "ERROR_BROADBAND_ACTIVE" },
	{ 853, "ERROR_EAP_USER_CERT_INVALID" },
	{ 854, "ERROR_EAP_USER_CERT_EXPIRED" },
	{ 855, "ERROR_EAP_USER_CERT_REVOKED" },
	{ 857, "ERROR_EAP_SERVER_CERT_INVALID" },
	{ 858, "ERROR_EAP_SERVER_CERT_EXPIRED" },
	{ 859, "ERROR_EAP_SERVER_CERT_REVOKED" },
	{ 861, "ERROR_EAP_USER_ROOT_CERT_NOT_FOUND" },
	{ 862, "ERROR_EAP_USER_ROOT_CERT_INVALID" },
	{ 863, "ERROR_EAP_USER_ROOT_CERT_EXPIRED" },
	{ 864, "ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND" },
	{ 865, "ERROR_EAP_SERVER_ROOT_CERT_INVALID" },
	{ 866, "ERROR_EAP_SERVER_ROOT_CERT_NAME_REQUIRED" },
	{ 867, "ERROR_PEAP_IDENTITY_MISMATCH" },
	{ 868, "ERROR_DNSNAME_NOT_RESOLVABLE" },
	/* IKE (winerror.h). */
	{ 13801, "ERROR_IPSEC_IKE_AUTH_FAIL" },
	{ 13806, "ERROR_IPSEC_IKE_NO_CERT" },
	{ 13817, "ERROR_IPSEC_IKE_CRL_FAILED" },
	{ 13818, "ERROR_IPSEC_IKE_INVALID_KEY_USAGE" },
	{ 13820, "ERROR_IPSEC_IKE_NO_PRIVATE_KEY" },
	{ 13847, "ERROR_IPSEC_IKE_NO_PEER_CERT" },
	{ 13848, "ERROR_IPSEC_IKE_PEER_CRL_FAILED" },
	{ 13849, "ERROR_IPSEC_IKE_POLICY_CHANGE" },
	{ 13868, "ERROR_IPSEC_IKE_POLICY_MATCH" },
	/* CryptoAPI keys. */
	{ 0x80090010, "NTE_PERM" },
	{ 0x80090016, "NTE_BAD_KEYSET" },
	/* SSPI / Schannel. */
	{ 0x8009030E, "SEC_E_NO_CREDENTIALS" },
	{ 0x80090322, "SEC_E_WRONG_PRINCIPAL" },
	{ 0x80090325, "SEC_E_UNTRUSTED_ROOT" },
	{ 0x80090326, "SEC_E_ILLEGAL_MESSAGE" },
	{ 0x80090327, "SEC_E_CERT_UNKNOWN" },
	{ 0x80090328, "SEC_E_CERT_EXPIRED" },
	{ 0x80090331, "SEC_E_ALGORITHM_MISMATCH" },
	{ 0x80090349, "SEC_E_CERT_WRONG_USAGE" },
	/* Revocation. */
	{ 0x80092010, "CRYPT_E_REVOKED" },
	{ 0x80092011, "CRYPT_E_NO_REVOCATION_DLL" },
	{ 0x80092012, "CRYPT_E_NO_REVOCATION_CHECK" },
	{ 0x80092013, "CRYPT_E_REVOCATION_OFFLINE" },
	{ 0x80092014, "CRYPT_E_NOT_IN_REVOCATION_DATABASE" },
	/* Certificate trust. */
	{ 0x800B0100, "TRUST_E_NOSIGNATURE" },
	{ 0x800B0101, "CERT_E_EXPIRED" },
	{ 0x800B0102, "CERT_E_VALIDITYPERIODNESTING" },
	{ 0x800B0103, "CERT_E_ROLE" },
	{ 0x800B0104, "CERT_E_PATHLENCONST" },
	{ 0x800B0105, "CERT_E_CRITICAL" },
	{ 0x800B0106, "CERT_E_PURPOSE" },
	{ 0x800B0107, "CERT_E_ISSUERCHAINING" },
	{ 0x800B0108, "CERT_E_MALFORMED" },
	{ 0x800B0109, "CERT_E_UNTRUSTEDROOT" },
	{ 0x800B010A, "CERT_E_CHAINING" },
	{ 0x800B010B, "TRUST_E_FAIL" },
	{ 0x800B010C, "CERT_E_REVOKED" },
	{ 0x800B010D, "CERT_E_UNTRUSTEDTESTROOT" },
	{ 0x800B010E, "CERT_E_REVOCATION_FAILURE" },
	{ 0x800B010F, "CERT_E_CN_NO_MATCH" },
	{ 0x800B0110, "CERT_E_WRONG_USAGE" },
	{ 0x800B0111, "TRUST_E_EXPLICIT_DISTRUST" },
	{ 0x800B0112, "CERT_E_UNTRUSTEDCA" },
	{ 0x800B0113, "CERT_E_INVALID_POLICY" },
	{ 0x800B0114, "CERT_E_INVALID_NAME" },
};

/*
 * docs/windows-reference.md section 5: both tables and the "other RAS
 * neighbours" line.  Each must say what usually causes it and what to do.
 */
static const uint32_t section5[] = {
	691, 809, 812, 853, 858, 864, 13801, 13806, 13868,
	854, 855, 857, 859, 861, 862, 863, 865, 866, 868,
	0x800B0101, 0x800B0109, 0x800B010A, 0x800B010C, 0x800B010F, 0x800B0110,
	0x80092012, 0x80092013, 0x80090016, 0x80090328, 0x80090325, 0x80090322,
};

/* The codes src/check.c reports: each entry must name the mkcsr command that finds it. */
static const uint32_t detected[] = {
	0x80090016,                      /* key and request match */
	0x800B0101, 858, 13801, 13806,   /* validity, by role */
	0x800B010F,                      /* names */
	0x800B0110, 864,                 /* usage; NPS empty subject */
	0x800B010A, 0x800B0109,          /* chain */
	0x80092012,                      /* revocation information */
};

/* Network and policy failures no certificate check can see: no "mkcsr" line for them. */
static const uint32_t undetectable[] = { 691, 809, 812, 868, 13868 };

static void test_table_entries(void **state)
{
	(void)state;
	assert_true(N_ENTRIES >= 110);
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

/* Win32 and RAS numbers stay below 0x10000; everything else is an HRESULT with the failure bit. */
static void test_code_kinds(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const struct entry *e = &entries[i];

		if (!is_hresult(e->code) && e->code >= 0x10000)
			fail_msg("%s (0x%08X): neither a Win32/RAS number (< 0x10000) nor an HRESULT (0x8xxxxxxx)", e->symbol,
				 e->code);
		if (is_hresult(e->code) && starts_with(e->symbol, "ERROR_"))
			fail_msg("%s is a Win32 name but 0x%08X is an HRESULT: give the Win32 number", e->symbol, e->code);
	}
}

/* Plain one-line ASCII, nothing that needs escaping beyond a quote, no final full stop. */
static void check_text(const struct entry *e, const char *field, const char *text)
{
	size_t len = strlen(text);

	if (len > 0 && (text[len - 1] == '.' || text[len - 1] == ' ' || text[0] == ' '))
		fail_msg("%s %s: '%s' (no final full stop, no outer spaces)", e->symbol, field, text);
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == '\\' || (p[0] == '?' && p[1] == '?'))
			fail_msg("%s %s: character 0x%02X at %zu in '%s'", e->symbol, field, (unsigned char)*p,
				 (size_t)(p - text), text);
}

static void test_texts(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const struct entry *e = &entries[i];

		assert_non_null(e->cause);
		assert_non_null(e->fix);
		assert_non_null(e->detect);
		check_text(e, "meaning", e->meaning);
		check_text(e, "cause", e->cause);
		check_text(e, "fix", e->fix);
		check_text(e, "detect", e->detect);
		if (e->detect[0] != '\0' && strstr(e->detect, "mkcsr ") == NULL)
			fail_msg("%s: detect '%s' names no mkcsr command", e->symbol, e->detect);
		if (e->fix[0] == '\0' && e->detect[0] != '\0')
			fail_msg("%s: a detect line without a fix", e->symbol);
	}
}

static void test_required_codes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		const struct entry *e = find(required[i].code);

		if (e == NULL)
			fail_msg("%s (%u, 0x%08X) is missing from winerr.def", required[i].symbol, required[i].code,
				 required[i].code);
		if (strcmp(e->symbol, required[i].symbol) != 0)
			fail_msg("code %u (0x%08X) is %s in winerr.def, Windows names it %s", e->code, e->code, e->symbol,
				 required[i].symbol);
	}
}

/* Whole runs: every number in them is a documented code, so none may be missing. */
static void test_required_ranges(void **state)
{
	static const struct {
		uint32_t first, last;
		const char *prefix, *other_prefix;
	} runs[] = {
		{ 850, 866, "ERROR_EAP_", NULL },                          /* then 867 PEAP, 868 DNSNAME: in required[] */
		{ 867, 868, "ERROR_", NULL },
		{ 13801, 13849, "ERROR_IPSEC_IKE_", NULL },
		{ 0x800B0100, 0x800B0114, "CERT_E_", "TRUST_E_" },
	};

	(void)state;
	for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
		for (uint32_t code = runs[r].first; code <= runs[r].last; code++) {
			const struct entry *e = find(code);

			if (e == NULL)
				fail_msg("code %u (0x%08X) is missing from winerr.def", code, code);
			if (!starts_with(e->symbol, runs[r].prefix) &&
			    (runs[r].other_prefix == NULL || !starts_with(e->symbol, runs[r].other_prefix)))
				fail_msg("code %u (0x%08X) is %s, not a %s name", code, code, e->symbol, runs[r].prefix);
		}
	}
}

static void test_section5_advice(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(section5) / sizeof(section5[0]); i++) {
		const struct entry *e = find(section5[i]);

		if (e == NULL)
			fail_msg("section-5 code %u (0x%08X) is missing", section5[i], section5[i]);
		if (e->cause[0] == '\0' || e->fix[0] == '\0')
			fail_msg("%s (0x%08X): an administrator's code needs a cause and a fix", e->symbol, e->code);
	}
}

static void test_detect_matches_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(detected) / sizeof(detected[0]); i++) {
		const struct entry *e = find(detected[i]);

		if (e == NULL || e->detect[0] == '\0')
			fail_msg("0x%08X: mkcsr check reports it, so the entry must say which command finds it", detected[i]);
	}
	for (size_t i = 0; i < sizeof(undetectable) / sizeof(undetectable[0]); i++) {
		const struct entry *e = find(undetectable[i]);

		if (e == NULL || e->detect[0] != '\0')
			fail_msg("%u: no mkcsr check finds it, so the detect field must be empty", undetectable[i]);
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
		cmocka_unit_test(test_code_kinds),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_required_codes),
		cmocka_unit_test(test_required_ranges),
		cmocka_unit_test(test_section5_advice),
		cmocka_unit_test(test_detect_matches_check),
		cmocka_unit_test(test_lookup_every_entry),
		cmocka_unit_test(test_format_every_entry),
		cmocka_unit_test(test_format_known_values),
		cmocka_unit_test(test_format_unknown_and_zero),
		cmocka_unit_test(test_format_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
