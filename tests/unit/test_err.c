/* err: the code table, its exit codes (a documented contract) and the detail line. */
#include "unit.h"

#include <openssl/err.h>

/*
 * The contract, written out by hand on purpose: exit codes are documented
 * in README.md and mkcsr(1), so a change in err.def must show up here too.
 */
static const struct {
	enum mkcsr_err code;
	const char *name;
	enum mkcsr_exit exit_code;
} expected[] = {
	{ MKCSR_E_OK, "OK", 0 },
	{ MKCSR_E_USAGE, "USAGE", 2 },
	{ MKCSR_E_BAD_NAME, "BAD_NAME", 2 },
	{ MKCSR_E_BAD_SAN, "BAD_SAN", 2 },
	{ MKCSR_E_IDN_UNSUPPORTED, "IDN_UNSUPPORTED", 2 },
	{ MKCSR_E_BAD_SUBJECT, "BAD_SUBJECT", 2 },
	{ MKCSR_E_BAD_KEY_TYPE, "BAD_KEY_TYPE", 2 },
	{ MKCSR_E_BAD_HASH, "BAD_HASH", 2 },
	{ MKCSR_E_BAD_EKU, "BAD_EKU", 2 },
	{ MKCSR_E_BAD_KEY_USAGE, "BAD_KEY_USAGE", 2 },
	{ MKCSR_E_KEY_USAGE_UNFIT, "KEY_USAGE_UNFIT", 2 },
	{ MKCSR_E_BAD_FORMAT, "BAD_FORMAT", 2 },
	{ MKCSR_E_BAD_SECRET_SOURCE, "BAD_SECRET_SOURCE", 2 },
	{ MKCSR_E_SECRET_UNAVAILABLE, "SECRET_UNAVAILABLE", 3 },
	{ MKCSR_E_SECRET_EMPTY, "SECRET_EMPTY", 3 },
	{ MKCSR_E_READ, "READ", 3 },
	{ MKCSR_E_MALFORMED, "MALFORMED", 3 },
	{ MKCSR_E_EXISTS, "EXISTS", 4 },
	{ MKCSR_E_WRITE, "WRITE", 1 },
	{ MKCSR_E_CRYPTO, "CRYPTO", 1 },
	{ MKCSR_E_NOMEM, "NOMEM", 1 },
	{ MKCSR_E_INTERNAL, "INTERNAL", 1 },
	{ MKCSR_E_SECRET_TOO_SHORT, "SECRET_TOO_SHORT", 3 },
	{ MKCSR_E_BAD_ROLE, "BAD_ROLE", 2 },
	{ MKCSR_E_BAD_TIME, "BAD_TIME", 2 },
	{ MKCSR_E_BAD_NUMBER, "BAD_NUMBER", 2 },
	{ MKCSR_E_BAD_INF, "BAD_INF", 3 },
	{ MKCSR_E_BAD_TEMPLATE, "BAD_TEMPLATE", 2 },
	{ MKCSR_E_BAD_LIKE, "BAD_LIKE", 3 },
	{ MKCSR_E_BAD_CODE, "BAD_CODE", 2 },
	{ MKCSR_E_KEY_MISMATCH, "KEY_MISMATCH", 5 },
	{ MKCSR_E_CERT_UNFIT, "CERT_UNFIT", 6 },
	{ MKCSR_E_NO_LEGACY_PROVIDER, "NO_LEGACY_PROVIDER", 1 },
	{ MKCSR_E_BAD_TARGET, "BAD_TARGET", 2 },
	{ MKCSR_E_UNREACHABLE, "UNREACHABLE", 8 },
};
#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

static void test_exit_class_values(void **state)
{
	(void)state;
	/* The numbers themselves are what scripts branch on. */
	assert_int_equal(MKCSR_EXIT_OK, 0);
	assert_int_equal(MKCSR_EXIT_IO, 1);
	assert_int_equal(MKCSR_EXIT_USAGE, 2);
	assert_int_equal(MKCSR_EXIT_INPUT, 3);
	assert_int_equal(MKCSR_EXIT_EXISTS, 4);
	assert_int_equal(MKCSR_EXIT_MISMATCH, 5);
	assert_int_equal(MKCSR_EXIT_FAILED, 6);
	assert_int_equal(MKCSR_EXIT_EXPIRING, 7);
	assert_int_equal(MKCSR_EXIT_UNREACHABLE, 8);
}

static void test_table_is_complete(void **state)
{
	(void)state;
	/* A code added to err.def without a line above fails here. */
	assert_int_equal(MKCSR_E_COUNT_, N_EXPECTED);
	for (size_t i = 0; i < N_EXPECTED; i++)
		assert_int_equal(expected[i].code, i);
}

static void test_names_and_exit_codes(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EXPECTED; i++) {
		assert_string_equal(err_name(expected[i].code), expected[i].name);
		if (err_exit_code(expected[i].code) != expected[i].exit_code)
			fail_msg("%s: exit code %d, expected %d", expected[i].name,
				 err_exit_code(expected[i].code), expected[i].exit_code);
	}
}

static void test_messages_not_empty(void **state)
{
	(void)state;
	for (int code = 0; code < MKCSR_E_COUNT_; code++) {
		const char *message = err_message((enum mkcsr_err)code);
		const char *hint = err_hint((enum mkcsr_err)code);

		assert_non_null(message);
		if (message[0] == '\0')
			fail_msg("%s has an empty message", err_name((enum mkcsr_err)code));
		assert_non_null(hint);  /* may be "", never NULL */
	}
	assert_string_equal(err_message(MKCSR_E_EXISTS), "refusing to overwrite an existing file");
	assert_string_equal(err_message(MKCSR_E_OK), "success");
}

static void test_usage_codes_have_hints(void **state)
{
	(void)state;
	/* A user who typed something wrong is told what to type instead. */
	for (int code = 0; code < MKCSR_E_COUNT_; code++) {
		if (code == MKCSR_E_OK || code == MKCSR_E_BAD_FORMAT ||
		    err_exit_code((enum mkcsr_err)code) != MKCSR_EXIT_USAGE)
			continue;
		if (err_hint((enum mkcsr_err)code)[0] == '\0')
			fail_msg("%s has no hint", err_name((enum mkcsr_err)code));
	}
}

static void test_out_of_range_is_internal(void **state)
{
	(void)state;
	assert_string_equal(err_name(MKCSR_E_COUNT_), "INTERNAL");
	assert_string_equal(err_name((enum mkcsr_err)1000), "INTERNAL");
	assert_string_equal(err_name((enum mkcsr_err)-1), "INTERNAL");
	assert_int_equal(err_exit_code((enum mkcsr_err)1000), MKCSR_EXIT_IO);
	assert_string_equal(err_message((enum mkcsr_err)1000), err_message(MKCSR_E_INTERNAL));
}

static void test_err_set_returns_code_and_formats(void **state)
{
	(void)state;
	err_clear();
	assert_string_equal(err_detail(), "");
	assert_int_equal(err_set(MKCSR_E_BAD_NAME, "'%s': label %d of %zu", "a..b", 2, (size_t)3),
			 MKCSR_E_BAD_NAME);
	assert_string_equal(err_detail(), "'a..b': label 2 of 3");
	/* The newest detail replaces the older one. */
	assert_int_equal(err_set(MKCSR_E_WRITE, "%s", "second"), MKCSR_E_WRITE);
	assert_string_equal(err_detail(), "second");
	assert_int_equal(err_set(MKCSR_E_OK, "%s", ""), MKCSR_E_OK);
	assert_string_equal(err_detail(), "");
}

static void test_err_set_wraps_its_own_detail(void **state)
{
	(void)state;
	/* Modules add context to a callee's detail by passing err_detail() back in. */
	err_set(MKCSR_E_BAD_NAME, "'%s': empty label", "a..b");
	assert_int_equal(err_set(MKCSR_E_BAD_SAN, "dns:a..b: %s (as a SAN)", err_detail()), MKCSR_E_BAD_SAN);
	assert_string_equal(err_detail(), "dns:a..b: 'a..b': empty label (as a SAN)");
	err_set(MKCSR_E_WRITE, "first");
	err_set(MKCSR_E_WRITE, "%s; %s", err_detail(), err_detail());
	assert_string_equal(err_detail(), "first; first");
}

static void test_err_set_truncates(void **state)
{
	char long_text[3000];

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	assert_int_equal(err_set(MKCSR_E_READ, "%s", long_text), MKCSR_E_READ);
	/* Bounded by the 1024-byte buffer, NUL-terminated. */
	assert_int_equal(strlen(err_detail()), 1023);
	assert_memory_equal(err_detail(), long_text, 1023);
}

static void test_err_clear_empties_openssl_queue(void **state)
{
	(void)state;
	ERR_raise(ERR_LIB_X509, ERR_R_PASSED_NULL_PARAMETER);
	err_set(MKCSR_E_CRYPTO, "failed");
	assert_int_not_equal(ERR_peek_error(), 0);
	err_clear();
	assert_int_equal(ERR_peek_error(), 0);
	assert_string_equal(err_detail(), "");
}

static void test_err_set_file_records_the_file(void **state)
{
	(void)state;
	err_clear();
	assert_null(err_file());
	assert_int_equal(err_set_file(MKCSR_E_READ, "in/old.pem", "'%s': %s", "in/old.pem", "gone"), MKCSR_E_READ);
	assert_string_equal(err_detail(), "'in/old.pem': gone");
	assert_string_equal(err_file(), "in/old.pem");
	/* A file already named is kept: the first module to name one knows best. */
	err_note_file("other.pem");
	assert_string_equal(err_file(), "in/old.pem");
	/* err_set() names none: a stale file never sticks to a later error. */
	err_set(MKCSR_E_BAD_NAME, "'x'");
	assert_null(err_file());
	err_note_file("given.pem");
	assert_string_equal(err_file(), "given.pem");
	err_note_file(NULL);
	assert_string_equal(err_file(), "given.pem");
	err_clear();
	assert_null(err_file());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_class_values),
		cmocka_unit_test(test_table_is_complete),
		cmocka_unit_test(test_names_and_exit_codes),
		cmocka_unit_test(test_messages_not_empty),
		cmocka_unit_test(test_usage_codes_have_hints),
		cmocka_unit_test(test_out_of_range_is_internal),
		cmocka_unit_test(test_err_set_returns_code_and_formats),
		cmocka_unit_test(test_err_set_wraps_its_own_detail),
		cmocka_unit_test(test_err_set_truncates),
		cmocka_unit_test(test_err_clear_empties_openssl_queue),
		cmocka_unit_test(test_err_set_file_records_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
