/*
 * explain: explain_parse() reads a Windows error code in every form users
 * paste it and decodes its fields; explain_facility_name() names facilities.
 * Each accepted form is checked field by field (value, hresult, severity,
 * facility, code, entry, wrapped); each refused input must give
 * MKCSR_E_BAD_CODE with the input quoted in the detail line.
 */
#include "unit.h"

#include <ctype.h>

#include "explain.h"

/* One accepted input and everything explain_parse() must make of it. */
struct form {
	const char *input;
	uint32_t value;
	bool hresult;
	unsigned severity, facility, code;
	const char *entry;   /* the table's symbol for value, or NULL */
	const char *wrapped; /* the symbol of the Win32 code inside a FACILITY_WIN32 HRESULT, or NULL */
};

static void check_form(const struct form *f)
{
	struct mkcsr_code c;

	memset(&c, 0x5a, sizeof(c)); /* explain_parse must set every member */
	assert_err(explain_parse(f->input, &c), MKCSR_E_OK);
	assert_ptr_equal(c.input, f->input);
	if (c.value != f->value)
		fail_msg("'%s': value 0x%08X, expected 0x%08X", f->input, c.value, f->value);
	if (c.hresult != f->hresult)
		fail_msg("'%s': hresult %d, expected %d", f->input, c.hresult, f->hresult);
	if (c.severity != f->severity || c.facility != f->facility || c.code != f->code)
		fail_msg("'%s': severity %u facility %u code 0x%04X, expected %u, %u, 0x%04X", f->input, c.severity,
			 c.facility, c.code, f->severity, f->facility, f->code);
	if (f->entry == NULL) {
		if (c.entry != NULL)
			fail_msg("'%s': entry %s, expected none", f->input, c.entry->symbol);
	} else {
		if (c.entry == NULL)
			fail_msg("'%s': no entry, expected %s", f->input, f->entry);
		assert_string_equal(c.entry->symbol, f->entry);
		assert_int_equal(c.entry->code, c.value);
	}
	if (f->wrapped == NULL) {
		if (c.wrapped != NULL)
			fail_msg("'%s': wraps %s, expected nothing", f->input, c.wrapped->symbol);
	} else {
		if (c.wrapped == NULL)
			fail_msg("'%s': wraps nothing, expected %s", f->input, f->wrapped);
		assert_string_equal(c.wrapped->symbol, f->wrapped);
		assert_int_equal(c.wrapped->code, c.code);
	}
}

#define CHECK_FORMS(forms)                                          \
	do {                                                        \
		for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) \
			check_form(&forms[i]);                      \
	} while (0)

/* CERT_E_EXPIRED in each numeric form, and by name. */
static void test_cert_e_expired_forms(void **state)
{
	static const struct form forms[] = {
		{ "-2146762495", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL }, /* RasClient 20227 */
		{ "2148204801", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },  /* unsigned decimal */
		{ "0x800B0101", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ "0X800b0101", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ "800b0101", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },   /* hex: it has letters */
		{ "800B0101", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ "CERT_E_EXPIRED", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ "cert_e_expired", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ "Cert_E_Expired", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
	};

	(void)state;
	CHECK_FORMS(forms);
}

/* Eight digits starting with 8, without 0x, are hex: an HRESULT, not a decimal. */
static void test_eight_digits_are_hex(void **state)
{
	static const struct form forms[] = {
		{ "80070040", 0x80070040, true, 1, 7, 0x0040, NULL, NULL }, /* Win32 64, not in the table */
		{ "80090016", 0x80090016, true, 1, 9, 0x0016, "NTE_BAD_KEYSET", NULL },
		{ "80092013", 0x80092013, true, 1, 9, 0x2013, "CRYPT_E_REVOCATION_OFFLINE", NULL },
		/* Seven digits, or eight not starting with 8: decimal. */
		{ "8007004", 8007004, false, 0, 0x7a, 0x2d5c, NULL, NULL },
		{ "90070040", 90070040, false, 0, 0x55e, 0x5c18, NULL, NULL },
	};

	(void)state;
	CHECK_FORMS(forms);
}

/* Win32 and RAS numbers: no severity bit; facility and code are the plain bits of the number. */
static void test_win32_numbers(void **state)
{
	static const struct form forms[] = {
		{ "853", 853, false, 0, 0, 853, "ERROR_EAP_USER_CERT_INVALID", NULL },
		{ "13801", 13801, false, 0, 0, 13801, "ERROR_IPSEC_IKE_AUTH_FAIL", NULL },
		{ "13868", 13868, false, 0, 0, 13868, "ERROR_IPSEC_IKE_POLICY_MATCH", NULL },
		{ "86", 86, false, 0, 0, 86, "ERROR_INVALID_PASSWORD", NULL },
		{ "691", 691, false, 0, 0, 691, "ERROR_AUTHENTICATION_FAILURE", NULL },
		{ "0x00000355", 853, false, 0, 0, 853, "ERROR_EAP_USER_CERT_INVALID", NULL },
		{ "0x355", 853, false, 0, 0, 853, "ERROR_EAP_USER_CERT_INVALID", NULL },
		{ "error_ipsec_ike_auth_fail", 13801, false, 0, 0, 13801, "ERROR_IPSEC_IKE_AUTH_FAIL", NULL },
		{ "12345", 12345, false, 0, 0, 12345, NULL, NULL },
		{ "0", 0, false, 0, 0, 0, NULL, NULL },
		{ "0x0", 0, false, 0, 0, 0, NULL, NULL },
		{ "-0", 0, false, 0, 0, 0, NULL, NULL },
	};

	(void)state;
	CHECK_FORMS(forms);
}

/* FACILITY_WIN32 HRESULTs carry the Win32 code inside: wrapped is its entry. */
static void test_hresult_from_win32(void **state)
{
	static const struct form forms[] = {
		{ "0x80070355", 0x80070355, true, 1, 7, 853, NULL, "ERROR_EAP_USER_CERT_INVALID" },
		{ "-2147024043", 0x80070355, true, 1, 7, 853, NULL, "ERROR_EAP_USER_CERT_INVALID" },
		{ "0x800735E9", 0x800735E9, true, 1, 7, 13801, NULL, "ERROR_IPSEC_IKE_AUTH_FAIL" },
		{ "80070056", 0x80070056, true, 1, 7, 86, NULL, "ERROR_INVALID_PASSWORD" },
		{ "0x80070040", 0x80070040, true, 1, 7, 64, NULL, NULL }, /* Win32 64: not in the table */
		{ "0x80070000", 0x80070000, true, 1, 7, 0, NULL, NULL },
	};

	(void)state;
	CHECK_FORMS(forms);
}

/* Codes not in the table are decoded all the same; the extremes of the 32 bits. */
static void test_unknown_and_extremes(void **state)
{
	static const struct form forms[] = {
		{ "0x80004005", 0x80004005, true, 1, 0, 0x4005, NULL, NULL }, /* E_FAIL */
		{ "-2147467259", 0x80004005, true, 1, 0, 0x4005, NULL, NULL },
		{ "0x00090312", 0x00090312, false, 0, 9, 0x0312, NULL, NULL }, /* SEC_I_CONTINUE_NEEDED: severity 0 */
		{ "-2147483648", 0x80000000, true, 1, 0, 0, NULL, NULL },     /* INT32_MIN */
		{ "2147483648", 0x80000000, true, 1, 0, 0, NULL, NULL },
		{ "0xBFFFFFFF", 0xBFFFFFFF, true, 1, 0x7ff, 0xffff, NULL, NULL }, /* the last HRESULT */
		/* 0xC0000000 and up: NTSTATUS, severity 3 (two bits), facility 12 bits. */
		{ "-1", 0xFFFFFFFF, false, 3, 0xfff, 0xffff, NULL, NULL },
		{ "4294967295", 0xFFFFFFFF, false, 3, 0xfff, 0xffff, NULL, NULL }, /* UINT32_MAX */
		{ "0xFFFFFFFF", 0xFFFFFFFF, false, 3, 0xfff, 0xffff, NULL, NULL },
		{ "ffffffff", 0xFFFFFFFF, false, 3, 0xfff, 0xffff, NULL, NULL },
	};

	(void)state;
	CHECK_FORMS(forms);
}

/* Blanks around the code and a final full stop (as copied from an event's text) are dropped. */
static void test_blanks_and_full_stop(void **state)
{
	static const struct form forms[] = {
		{ " 853 ", 853, false, 0, 0, 853, "ERROR_EAP_USER_CERT_INVALID", NULL },
		{ "853.", 853, false, 0, 0, 853, "ERROR_EAP_USER_CERT_INVALID", NULL },
		{ "\t0x800B0101.\n", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ "-2146762495.", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ " -2146762495 ", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ "CERT_E_UNTRUSTEDROOT.", 0x800B0109, true, 1, 11, 0x0109, "CERT_E_UNTRUSTEDROOT", NULL },
		{ "13801..", 13801, false, 0, 0, 13801, "ERROR_IPSEC_IKE_AUTH_FAIL", NULL },
		/* What else sticks to a code copied out of a sentence: a colon, a comma, quotes, brackets. */
		{ "809:", 809, false, 0, 0, 809, "ERROR_VPN_TIMEOUT", NULL },
		{ "853,", 853, false, 0, 0, 853, "ERROR_EAP_USER_CERT_INVALID", NULL },
		{ "(0x800B0101)", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
		{ "\"-2146762495\";", 0x800B0101, true, 1, 11, 0x0101, "CERT_E_EXPIRED", NULL },
	};

	(void)state;
	CHECK_FORMS(forms);
}

/* Every symbol in the table reads back as its own entry, in upper and lower case. */
static void test_every_symbol(void **state)
{
	static const struct {
		const char *symbol;
		uint32_t code;
	} table[] = {
#define WINERR(symbol, code, meaning, cause, fix, detect) { #symbol, (uint32_t)(code) },
#include "winerr.def"
#undef WINERR
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct mkcsr_code c;
		char lower[128], hex[16];
		size_t j;

		assert_err(explain_parse(table[i].symbol, &c), MKCSR_E_OK);
		assert_int_equal(c.value, table[i].code);
		assert_non_null(c.entry);
		assert_string_equal(c.entry->symbol, table[i].symbol);
		for (j = 0; table[i].symbol[j] && j < sizeof(lower) - 1; j++)
			lower[j] = (char)tolower((unsigned char)table[i].symbol[j]);
		lower[j] = '\0';
		assert_err(explain_parse(lower, &c), MKCSR_E_OK);
		assert_ptr_equal(c.entry, winerr_lookup(table[i].code));
		/* And by number, as 0x%08X. */
		snprintf(hex, sizeof(hex), "0x%08X", table[i].code);
		assert_err(explain_parse(hex, &c), MKCSR_E_OK);
		assert_ptr_equal(c.entry, winerr_lookup(table[i].code));
		assert_int_equal(c.hresult, (table[i].code & 0xC0000000u) == 0x80000000u);
		assert_int_equal(c.kind, table[i].code >= 0xC0000000u ? EXPLAIN_NTSTATUS
					 : table[i].code > 0xffff    ? EXPLAIN_HRESULT
								     : EXPLAIN_WIN32);
	}
}

/* Not a code: MKCSR_E_BAD_CODE, the input in quotes in the detail. */
static void test_refused(void **state)
{
	static const struct {
		const char *input, *detail;
	} bad[] = {
		{ "hello", "'hello'" },
		{ "", "''" },
		{ "   ", "''" },
		{ ".", "'.'" },
		{ "0x", "'0x'" },
		{ "0X", "'0X'" },
		{ "0x1FFFFFFFF", "'0x1FFFFFFFF'" },           /* 33 bits */
		{ "0x800B01011", "'0x800B01011'" },           /* 9 significant hex digits */
		{ "0x0800B0101", "'0x0800B0101'" },           /* at most 8 digits after 0x, leading zeros too */
		{ "800b01011", "'800b01011'" },               /* 9 hex digits without 0x */
		{ "0xG00B0101", "'0xG00B0101'" },
		{ "0x-1", "'0x-1'" },
		{ "-", "'-'" },
		{ "-99999999999", "'-99999999999'" },
		{ "-2147483649", "'-2147483649'" },           /* below INT32_MIN */
		{ "-0x800B0101", "'-0x800B0101'" },
		{ "--853", "'--853'" },
		{ "4294967296", "'4294967296'" },             /* above UINT32_MAX */
		{ "99999999999999999999999", "'99999999999999999999999'" },
		{ "+853", "'+853'" },
		{ "853x", "'853x'" },
		{ "8 53", "'8 53': it holds several codes (8, 53); give the one to explain" },
		{ "853,x", "'853,x'" },
		{ "CERT_E_EXPIRD", "'CERT_E_EXPIRD'" },
		{ "CERT_E_EXPIRED_", "'CERT_E_EXPIRED_'" },
		{ "E_FAIL", "'E_FAIL'" },                     /* a real name, but not in the table */
		{ "ERROR_SUCCESS", "'ERROR_SUCCESS'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mkcsr_code c;
		enum mkcsr_err rc = explain_parse(bad[i].input, &c);

		if (rc != MKCSR_E_BAD_CODE)
			fail_msg("'%s': got %s (value 0x%08X), expected BAD_CODE", bad[i].input, err_name(rc), c.value);
		assert_string_equal(err_detail(), bad[i].detail);
		assert_ptr_equal(c.input, bad[i].input);
		assert_null(c.entry);
		assert_null(c.wrapped);
	}
}

/* Longer than an event's message: refused whole, never searched or cut short into a code. */
static void test_refused_long(void **state)
{
	char text[EXPLAIN_TEXT_MAX + 10];
	struct mkcsr_code c;

	(void)state;
	memset(text, ' ', sizeof(text));
	memcpy(text, "853", 3);
	text[EXPLAIN_TEXT_MAX] = 'x';
	text[EXPLAIN_TEXT_MAX + 1] = '\0';
	assert_err(explain_parse(text, &c), MKCSR_E_BAD_CODE);
	assert_string_equal(err_detail(),
			    "'853                                                         ...' (over 2047 bytes)");
	/* One byte shorter: a sentence, and 853 is its only code. */
	text[EXPLAIN_TEXT_MAX - 2] = 'x';
	text[EXPLAIN_TEXT_MAX - 1] = '\0';
	assert_err(explain_parse(text, &c), MKCSR_E_OK);
	assert_int_equal(c.value, 853);
	assert_true(c.in_text);
	/* Leading blanks do not count. */
	memset(text, ' ', sizeof(text));
	memcpy(text + EXPLAIN_TEXT_MAX, "853", 4);
	assert_err(explain_parse(text, &c), MKCSR_E_OK);
	assert_int_equal(c.value, 853);
	assert_false(c.in_text);
}

/* The sentences admins paste: the code in them is found, and reported as found. */
static void test_sentences(void **state)
{
	static const struct {
		const char *text, *found;
		uint32_t value;
	} ok[] = {
		{ "error 809", "809", 809 },
		{ "Error 809:", "809", 809 },
		{ "The error code returned on failure is 853.", "853", 853 },
		{ "The user DOMAIN\\alice dialed a connection named AOVPN which has failed. The error code returned on "
		  "failure is -2146762495.",
		  "-2146762495", 0x800B0101 },
		{ "Error 0x80092013 (CRYPT_E_REVOCATION_OFFLINE)", "0x80092013", 0x80092013 }, /* one code, twice */
		{ "IKE failed: ERROR_IPSEC_IKE_AUTH_FAIL", "ERROR_IPSEC_IKE_AUTH_FAIL", 13801 },
		{ "Sub Status: 0xC000006A", "0xC000006A", 0xC000006A },
		{ "hresult 800b0109 from SSTP", "800b0109", 0x800B0109 },
		/* Several numbers: the one in the table wins. */
		{ "RasClient event 20227: The error code returned on failure is 13806.", "13806", 13806 },
		{ "on Windows 11 the connection fails with 853", "853", 853 },
		/* A date is not a negative number, nor are words of bare hex codes. */
		{ "2026-12-05 10:04:11 error 864", "864", 864 },
		{ "a 2fa prompt, then error 812", "812", 812 },
		/* One number, not in the table: it is the code. */
		{ "the error code returned on failure is 12345.", "12345", 12345 },
	};
	static const struct {
		const char *text, *detail;
	} bad[] = {
		{ "no code in here", "'no code in here'" },
		{ "event 20227 error 4321", "'event 20227 error 4321': it holds several codes (20227, 4321); give the one to explain" },
		{ "error 853 then 13801", "'error 853 then 13801': it holds several codes (853, 13801); give the one to explain" },
		{ "a 2fa prompt", "'a 2fa prompt'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct mkcsr_code c;

		if (explain_parse(ok[i].text, &c) != MKCSR_E_OK)
			fail_msg("'%s': %s", ok[i].text, err_detail());
		assert_ptr_equal(c.input, ok[i].text);
		assert_string_equal(c.found, ok[i].found);
		assert_true(c.in_text);
		if (c.value != ok[i].value)
			fail_msg("'%s': 0x%08X, expected 0x%08X", ok[i].text, c.value, ok[i].value);
		assert_ptr_equal(c.entry, winerr_lookup(ok[i].value));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mkcsr_code c;

		assert_err(explain_parse(bad[i].text, &c), MKCSR_E_BAD_CODE);
		assert_string_equal(err_detail(), bad[i].detail);
		assert_ptr_equal(c.input, bad[i].text);
		assert_false(c.in_text);
	}
}

/* A code given alone is not "found in a text"; found is the code, trimmed. */
static void test_found_alone(void **state)
{
	struct mkcsr_code c;

	(void)state;
	assert_err(explain_parse(" 853. ", &c), MKCSR_E_OK);
	assert_string_equal(c.found, "853");
	assert_false(c.in_text);
	assert_err(explain_parse("ERROR_IPSEC_IKE_STRONG_CRED_AUTHORIZATION_AND_CERTMAP_FAILURE", &c), MKCSR_E_OK);
	assert_string_equal(c.found, "ERROR_IPSEC_IKE_STRONG_CRED_AUTHORIZATION_AND_CERTMAP_FAILURE");
}

/* NTSTATUS: 0xC0000000 and up, two severity bits, customer bit, 12 facility bits. */
static void test_ntstatus(void **state)
{
	struct mkcsr_code c;

	(void)state;
	assert_err(explain_parse("0xC000006D", &c), MKCSR_E_OK);
	assert_int_equal(c.kind, EXPLAIN_NTSTATUS);
	assert_false(c.hresult);
	assert_int_equal(c.severity, 3);
	assert_false(c.customer);
	assert_int_equal(c.facility, 0);
	assert_int_equal(c.code, 0x006D);
	assert_non_null(c.entry);
	assert_string_equal(c.entry->symbol, "STATUS_LOGON_FAILURE");
	assert_err(explain_parse("-1073741715", &c), MKCSR_E_OK);
	assert_string_equal(c.entry->symbol, "STATUS_LOGON_FAILURE");
	assert_err(explain_parse("status_account_locked_out", &c), MKCSR_E_OK);
	assert_int_equal(c.value, 0xC0000234);
	/* NTSTATUS_FROM_WIN32: facility 7 carries a Win32 code. */
	assert_err(explain_parse("0xC0070355", &c), MKCSR_E_OK);
	assert_int_equal(c.facility, EXPLAIN_NT_FACILITY_NTWIN32);
	assert_null(c.entry);
	assert_non_null(c.wrapped);
	assert_string_equal(c.wrapped->symbol, "ERROR_EAP_USER_CERT_INVALID");
	/* Customer bit and a 12-bit facility. */
	assert_err(explain_parse("0xE1230001", &c), MKCSR_E_OK);
	assert_true(c.customer);
	assert_int_equal(c.facility, 0x123);
	assert_null(c.wrapped);
	/* The last HRESULT and a success HRESULT stay HRESULTs. */
	assert_err(explain_parse("0xBFFFFFFF", &c), MKCSR_E_OK);
	assert_int_equal(c.kind, EXPLAIN_HRESULT);
	assert_err(explain_parse("0x00090312", &c), MKCSR_E_OK);
	assert_int_equal(c.kind, EXPLAIN_HRESULT);
	assert_false(c.hresult);
	assert_err(explain_parse("0xFFFF", &c), MKCSR_E_OK);
	assert_int_equal(c.kind, EXPLAIN_WIN32);
	assert_string_equal(explain_nt_facility_name(7), "NTWIN32");
	assert_string_equal(explain_nt_facility_name(0), "");
}

static void test_plain_words(void **state)
{
	(void)state;
	assert_true(explain_is_plain_word("error"));
	assert_true(explain_is_plain_word("Error"));
	assert_true(explain_is_plain_word("code:"));
	assert_true(explain_is_plain_word("failed."));
	assert_false(explain_is_plain_word(""));
	assert_false(explain_is_plain_word("853"));
	assert_false(explain_is_plain_word("CERT_E_EXPIRD"));
	assert_false(explain_is_plain_word("0xG"));
	assert_false(explain_is_plain_word("853x"));
	assert_false(explain_is_plain_word("DOMAIN\\alice"));
}

static void test_facility_names(void **state)
{
	(void)state;
	assert_string_equal(explain_facility_name(0), "NULL");
	assert_string_equal(explain_facility_name(EXPLAIN_FACILITY_WIN32), "WIN32");
	assert_int_equal(EXPLAIN_FACILITY_WIN32, 7);
	assert_string_equal(explain_facility_name(9), "SECURITY");
	assert_string_equal(explain_facility_name(11), "CERT");
	assert_string_equal(explain_facility_name(16), "SCARD");
	assert_string_equal(explain_facility_name(25), "HTTP");
	assert_string_equal(explain_facility_name(5), "");
	assert_string_equal(explain_facility_name(0x7ff), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cert_e_expired_forms),
		cmocka_unit_test(test_eight_digits_are_hex),
		cmocka_unit_test(test_win32_numbers),
		cmocka_unit_test(test_hresult_from_win32),
		cmocka_unit_test(test_unknown_and_extremes),
		cmocka_unit_test(test_blanks_and_full_stop),
		cmocka_unit_test(test_every_symbol),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_refused_long),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_found_alone),
		cmocka_unit_test(test_ntstatus),
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_facility_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
