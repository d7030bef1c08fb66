/*
 * winerr: the Windows error table.  The test reads winerr.def itself with
 * its own X-macro, so every entry is checked whatever winerr.c does with it.
 */
#include "unit.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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
	{ 789, "ERROR_OAKLEY_GENERAL_PROCESSING" },
	{ 798, "ERROR_NO_EAPTLS_CERTIFICATE" },
	{ 801, "ERROR_VALIDATING_SERVER_CERT" },
	{ 806, "ERROR_VPN_GRE_BLOCKED" },
	{ 807, "ERROR_VPN_DISCONNECT" },
	{ 809, "ERROR_VPN_TIMEOUT" },
	{ 811, "ERROR_VPN_BAD_PSK" },
	{ 812, "ERROR_SERVER_POLICY" },
	{ 813, "ERROR_BROADBAND_ACTIVE" },
	{ 835, "ERROR_INVALID_SERVER_CERT" },
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
	{ 13875, "ERROR_IPSEC_IKE_INVALID_SIG" },
	{ 13881, "ERROR_IPSEC_IKE_INVALID_CERT_KEYLEN" },
	{ 13887, "ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH" },
	{ 13889, "ERROR_IPSEC_IKE_INVALID_AUTH_PAYLOAD" },
	{ 13905, "ERROR_IPSEC_IKE_AUTHORIZATION_FAILURE" },
	{ 13906, "ERROR_IPSEC_IKE_STRONG_CRED_AUTHORIZATION_FAILURE" },
	{ 13907, "ERROR_IPSEC_IKE_AUTHORIZATION_FAILURE_WITH_OPTIONAL_RETRY" },
	/* CryptoAPI keys. */
	{ 0x80090010, "NTE_PERM" },
	{ 0x80090016, "NTE_BAD_KEYSET" },
	/* SSPI / Schannel. */
	{ 0x80090302, "SEC_E_UNSUPPORTED_FUNCTION" },
	{ 0x80090304, "SEC_E_INTERNAL_ERROR" },
	{ 0x80090308, "SEC_E_INVALID_TOKEN" },
	{ 0x8009030E, "SEC_E_NO_CREDENTIALS" },
	{ 0x80090324, "SEC_E_TIME_SKEW" },
	{ 0x80090352, "SEC_E_ISSUING_CA_UNTRUSTED" },
	{ 0x80090353, "SEC_E_REVOCATION_OFFLINE_C" },
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
	{ 0x80096004, "TRUST_E_CERT_SIGNATURE" },
	{ 0x80096019, "TRUST_E_BASIC_CONSTRAINTS" },
	{ 0x800B0004, "TRUST_E_SUBJECT_NOT_TRUSTED" },
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
	/* NTSTATUS: the logon failures of NPS and the domain controllers. */
	{ 0xC000005E, "STATUS_NO_LOGON_SERVERS" },
	{ 0xC0000064, "STATUS_NO_SUCH_USER" },
	{ 0xC000006A, "STATUS_WRONG_PASSWORD" },
	{ 0xC000006D, "STATUS_LOGON_FAILURE" },
	{ 0xC000006E, "STATUS_ACCOUNT_RESTRICTION" },
	{ 0xC0000071, "STATUS_PASSWORD_EXPIRED" },
	{ 0xC0000072, "STATUS_ACCOUNT_DISABLED" },
	{ 0xC0000193, "STATUS_ACCOUNT_EXPIRED" },
	{ 0xC0000224, "STATUS_PASSWORD_MUST_CHANGE" },
	{ 0xC0000234, "STATUS_ACCOUNT_LOCKED_OUT" },
};

/* Codes added for Always On VPN admins that also need a usual cause and a fix. */
static const uint32_t advised[] = {
	789, 807, 811, 835, 13881, 13887, 13905,
	0x80090304, 0x80090308, 0x80090324, 0x80096004,
	0xC000006D, 0xC000006A, 0xC0000071, 0xC0000072, 0xC0000234,
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

/*
 * Win32 and RAS numbers stay below 0x10000; NTSTATUS errors are 0xCxxxxxxx
 * and named STATUS_*; everything else is an HRESULT with the failure bit.
 */
static void test_code_kinds(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ENTRIES; i++) {
		const struct entry *e = &entries[i];
		bool ntstatus = e->code >= 0xC0000000u;

		if (!is_hresult(e->code) && e->code >= 0x10000)
			fail_msg("%s (0x%08X): neither a Win32/RAS number (< 0x10000) nor an HRESULT (0x8xxxxxxx)", e->symbol,
				 e->code);
		if (ntstatus != starts_with(e->symbol, "STATUS_"))
			fail_msg("%s (0x%08X): NTSTATUS values (0xC0000000 and up) and STATUS_ names go together", e->symbol,
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

static void test_added_codes_advice(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(advised) / sizeof(advised[0]); i++) {
		const struct entry *e = find(advised[i]);

		if (e == NULL)
			fail_msg("code %u (0x%08X) is missing", advised[i], advised[i]);
		if (e->cause[0] == '\0' || e->fix[0] == '\0')
			fail_msg("%s (0x%08X): needs a cause and a fix for Always On VPN", e->symbol, e->code);
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

/*
 * The values in Microsoft's headers, as mingw-w64 ships them (Debian's
 * mingw-w64-common; MKCSR_MINGW_INCLUDE names another copy).  Forms met:
 *   #define ERROR_IPSEC_IKE_AUTH_FAIL __MSABI_LONG(13801)
 *   #define SEC_E_INTERNAL_ERROR _HRESULT_TYPEDEF_(0x80090304)
 *   #define ERROR_VPN_TIMEOUT (RASBASE+209)
 *   #define STATUS_LOGON_FAILURE ((NTSTATUS)0xC000006D)
 */
static const char *const headers[] = { "winerror.h", "raserror.h", "ntstatus.h" };

static const char *include_dir(void)
{
	const char *dir = getenv("MKCSR_MINGW_INCLUDE");

	return dir != NULL && dir[0] != '\0' ? dir : "/usr/share/mingw-w64/include";
}

/* The value of a #define's text; false when it is none of the forms above. */
static bool header_value(const char *text, long long rasbase, uint32_t *value)
{
	const char *p = strstr(text, "RASBASE");
	char *end = NULL;
	unsigned long long v;

	if (p != NULL) {
		p += strlen("RASBASE");
		while (*p == ' ')
			p++;
		if (*p != '+' || rasbase < 0)
			return false;
		v = strtoull(p + 1, &end, 10);
		*value = (uint32_t)(rasbase + (long long)v);
		return end != p + 1;
	}
	for (p = text; *p != '\0' && !isdigit((unsigned char)*p); p++)
		if (isalpha((unsigned char)*p) || *p == '_') /* skip the names of wrappers such as __MSABI_LONG */
			while (isalnum((unsigned char)p[1]) || p[1] == '_')
				p++;
	if (*p == '\0')
		return false;
	errno = 0;
	v = strtoull(p, &end, 0);
	if (errno != 0 || end == p || v > UINT32_MAX)
		return false;
	*value = (uint32_t)v;
	return true;
}

/*
 * Every definition of symbol in the headers: 1 when found, with *value;
 * 0 when none; -1 when two definitions disagree.
 */
static int header_lookup(const char *dir, const char *symbol, uint32_t *value)
{
	int found = 0;
	long long rasbase = -1;

	for (size_t h = 0; h < sizeof(headers) / sizeof(headers[0]); h++) {
		char path[512], line[1024];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, headers[h]);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL) {
			char name[128];
			int used = 0;
			uint32_t v;

			if (sscanf(line, " #define %127s %n", name, &used) != 1 || used == 0)
				continue;
			if (strcmp(name, "RASBASE") == 0)
				rasbase = strtoll(line + used, NULL, 10);
			if (strcmp(name, symbol) != 0 || !header_value(line + used, rasbase, &v))
				continue;
			if (found && v != *value) {
				fclose(f);
				return -1;
			}
			*value = v;
			found = 1;
		}
		fclose(f);
	}
	return found;
}

static void test_header_reader(void **state)
{
	uint32_t v = 0;

	(void)state;
	assert_true(header_value(" __MSABI_LONG(13801)\n", -1, &v));
	assert_int_equal(v, 13801);
	assert_true(header_value(" _HRESULT_TYPEDEF_(0x80090304)\n", -1, &v));
	assert_int_equal(v, 0x80090304);
	assert_true(header_value(" ((NTSTATUS)0xC000006D)\n", -1, &v));
	assert_int_equal(v, 0xC000006D);
	assert_true(header_value(" (RASBASE+209)\n", 600, &v));
	assert_int_equal(v, 809);
	assert_false(header_value(" (RASBASE+209)\n", -1, &v));
	assert_false(header_value(" SEC_E_INTERNAL_ERROR\n", -1, &v));
}

/*
 * In the Windows SDK's winerror.h but left out of mingw-w64's copy (its IKE
 * list jumps 13820, 13822, 13824).  Compared all the same if they appear.
 */
static const char *const absent_from_mingw[] = {
	"ERROR_IPSEC_IKE_SIMULTANEOUS_REKEY",             /* 13821 */
	"ERROR_IPSEC_IKE_CRITICAL_PAYLOAD_NOT_RECOGNIZED", /* 13823 */
};

static bool known_absent(const char *symbol)
{
	for (size_t i = 0; i < sizeof(absent_from_mingw) / sizeof(absent_from_mingw[0]); i++)
		if (strcmp(absent_from_mingw[i], symbol) == 0)
			return true;
	return false;
}

static void test_values_match_headers(void **state)
{
	const char *dir = include_dir();
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/winerror.h", dir);
	if (access(path, R_OK) != 0) {
		print_message("%s is not installed (Debian: mingw-w64-common): values not compared\n", path);
		skip();
	}
	for (size_t i = 0; i < N_ENTRIES; i++) {
		uint32_t value = 0;
		int found = header_lookup(dir, entries[i].symbol, &value);

		if (found == 0 && known_absent(entries[i].symbol))
			continue;
		if (found == 0)
			fail_msg("%s is defined in none of winerror.h, raserror.h, ntstatus.h under %s", entries[i].symbol, dir);
		if (found < 0)
			fail_msg("%s has two different definitions under %s", entries[i].symbol, dir);
		if (value != entries[i].code)
			fail_msg("%s: 0x%08X (%u) in winerr.def, 0x%08X (%u) in %s's headers", entries[i].symbol,
				 entries[i].code, entries[i].code, value, value, dir);
	}
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
		cmocka_unit_test(test_added_codes_advice),
		cmocka_unit_test(test_detect_matches_check),
		cmocka_unit_test(test_values_match_headers),
		cmocka_unit_test(test_header_reader),
		cmocka_unit_test(test_lookup_every_entry),
		cmocka_unit_test(test_format_every_entry),
		cmocka_unit_test(test_format_known_values),
		cmocka_unit_test(test_format_unknown_and_zero),
		cmocka_unit_test(test_format_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
