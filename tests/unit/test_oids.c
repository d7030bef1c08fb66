/* oids: the EKU keywords --eku takes and the names certlm shows. */
#include "unit.h"

#include <openssl/objects.h>

#include "oids.h"

static void test_well_known(void **state)
{
	const struct oids_eku *e;

	(void)state;
	e = oids_eku_by_keyword("serverAuth");
	assert_non_null(e);
	assert_string_equal(e->oid, "1.3.6.1.5.5.7.3.1");
	assert_string_equal(e->display, "Server Authentication");
	e = oids_eku_by_keyword("CLIENTAUTH");
	assert_non_null(e);
	assert_string_equal(e->oid, "1.3.6.1.5.5.7.3.2");
	assert_string_equal(e->display, "Client Authentication");
	e = oids_eku_by_keyword("ikeintermediate");
	assert_non_null(e);
	assert_string_equal(e->oid, "1.3.6.1.5.5.8.2.2");
	assert_string_equal(e->display, "IP security IKE intermediate");

	assert_string_equal(OID_SERVER_AUTH, "1.3.6.1.5.5.7.3.1");
	assert_string_equal(OID_MS_APPLICATION_POLICIES, "1.3.6.1.4.1.311.21.10");
	assert_string_equal(OID_MS_ENROLLMENT_CSP, "1.3.6.1.4.1.311.13.2.2");
	assert_string_equal(OID_MS_CLIENT_INFO, "1.3.6.1.4.1.311.21.20");
	assert_string_equal(OID_MS_OS_VERSION, "1.3.6.1.4.1.311.13.2.3");
	assert_string_equal(OID_MS_UPN, "1.3.6.1.4.1.311.20.2.3");
}

static void test_unknown(void **state)
{
	(void)state;
	assert_null(oids_eku_by_keyword("serverAuthentication"));
	assert_null(oids_eku_by_keyword(""));
	assert_null(oids_eku_by_keyword("1.3.6.1.5.5.7.3.1"));
	assert_null(oids_eku_by_oid("1.2.3.4"));
	assert_null(oids_eku_by_oid("serverAuth"));
	/* OIDs compare exactly. */
	assert_null(oids_eku_by_oid("1.3.6.1.5.5.7.3.10"));
}

static void test_keyword_list_matches_table(void **state)
{
	char *list = strdup(oids_eku_keywords());
	char *save = NULL;
	int n = 0;

	(void)state;
	assert_non_null(list);
	/* Every keyword --help lists is accepted, maps to a valid OID, and maps back. */
	for (char *k = strtok_r(list, ", ", &save); k != NULL; k = strtok_r(NULL, ", ", &save)) {
		const struct oids_eku *e = oids_eku_by_keyword(k);
		ASN1_OBJECT *obj;

		if (e == NULL)
			fail_msg("'%s' is listed but not accepted", k);
		assert_string_equal(e->keyword, k);
		assert_ptr_equal(oids_eku_by_oid(e->oid), e);
		assert_true(e->display[0] != '\0');
		obj = OBJ_txt2obj(e->oid, 1);
		assert_non_null(obj);
		ASN1_OBJECT_free(obj);
		n++;
	}
	assert_int_equal(n, 10);
	free(list);
}

static void test_usage_names(void **state)
{
	(void)state;
	/* The keywords' names, and Microsoft's usages that have no keyword. */
	assert_string_equal(oids_usage_name("1.3.6.1.5.5.7.3.1"), "Server Authentication");
	assert_string_equal(oids_usage_name("1.3.6.1.4.1.311.20.2.2"), "Smart Card Logon");
	assert_string_equal(oids_usage_name("1.3.6.1.4.1.311.10.3.4"), "Encrypting File System");
	assert_string_equal(oids_usage_name("1.3.6.1.4.1.311.10.3.4.1"), "File Recovery");
	assert_string_equal(oids_usage_name("2.5.29.37.0"), "Any Purpose");
	assert_null(oids_usage_name("1.3.6.1.4.1.311.10.3"));
	assert_null(oids_usage_name("1.2.3.4"));
	/* Names for showing only: --eku still takes these as dotted OIDs alone. */
	assert_null(oids_eku_by_oid("1.3.6.1.4.1.311.10.3.4"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_known),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_keyword_list_matches_table),
		cmocka_unit_test(test_usage_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
