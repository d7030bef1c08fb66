/* subject: RFC 4514 parsing, checks, the Windows encoding and formatting. */
#include "unit.h"

#include <openssl/objects.h>
#include <openssl/x509.h>

#include "subject.h"

/* Asserts attribute i of s: its type, value and whether it joins the RDN before it. */
static void expect_attr(const struct mkcsr_subject *s, size_t i, int nid, const char *value, bool joined)
{
	assert_true(i < s->count);
	if (s->attrs[i].nid != nid)
		fail_msg("attribute %zu: %s, expected %s", i, OBJ_nid2sn(s->attrs[i].nid), OBJ_nid2sn(nid));
	assert_string_equal(s->attrs[i].value, value);
	assert_int_equal(s->attrs[i].joined, joined);
}

static void test_parse_windows_example(void **state)
{
	struct mkcsr_subject s;

	(void)state;
	assert_err(subject_parse("O=Example\\, Inc., OU=IT, L=Zürich, ST=ZH, C=us", &s), MKCSR_E_OK);
	assert_int_equal(s.count, 5);
	expect_attr(&s, 0, NID_organizationName, "Example, Inc.", false);
	expect_attr(&s, 1, NID_organizationalUnitName, "IT", false);
	expect_attr(&s, 2, NID_localityName, "Zürich", false);
	expect_attr(&s, 3, NID_stateOrProvinceName, "ZH", false);
	expect_attr(&s, 4, NID_countryName, "US", false);  /* upper-cased */
	assert_string_equal(s.attrs[4].oid, "2.5.4.6");
	assert_string_equal(s.attrs[0].oid, "2.5.4.10");
	subject_clear(&s);
	assert_null(s.attrs);
	assert_int_equal(s.count, 0);
}

static void test_parse_forms(void **state)
{
	struct mkcsr_subject s;

	(void)state;
	/* Quoted values keep separators and blanks. */
	assert_err(subject_parse("CN=\"vpn, the server\", O=\" Example \"", &s), MKCSR_E_OK);
	assert_int_equal(s.count, 2);
	expect_attr(&s, 0, NID_commonName, "vpn, the server", false);
	expect_attr(&s, 1, NID_organizationName, " Example ", false);
	subject_clear(&s);

	/* ';' separates RDNs as ',' does; blanks around separators and '=' are padding. */
	assert_err(subject_parse("  CN = vpn ;O=Example;  C=DE  ", &s), MKCSR_E_OK);
	assert_int_equal(s.count, 3);
	expect_attr(&s, 0, NID_commonName, "vpn", false);
	expect_attr(&s, 1, NID_organizationName, "Example", false);
	expect_attr(&s, 2, NID_countryName, "DE", false);
	subject_clear(&s);

	/* '+' puts two attributes in one RDN. */
	assert_err(subject_parse("CN=vpn+UID=42, O=Example", &s), MKCSR_E_OK);
	assert_int_equal(s.count, 3);
	expect_attr(&s, 0, NID_commonName, "vpn", false);
	expect_attr(&s, 1, NID_userId, "42", true);
	expect_attr(&s, 2, NID_organizationName, "Example", false);
	subject_clear(&s);

	/* certreq's aliases, case-insensitive type names. */
	assert_err(subject_parse("S=Bavaria, E=admin@example.com, email=b@example.com, dc=example, cn=x", &s),
		   MKCSR_E_OK);
	assert_int_equal(s.count, 5);
	expect_attr(&s, 0, NID_stateOrProvinceName, "Bavaria", false);
	expect_attr(&s, 1, NID_pkcs9_emailAddress, "admin@example.com", false);
	expect_attr(&s, 2, NID_pkcs9_emailAddress, "b@example.com", false);
	expect_attr(&s, 3, NID_domainComponent, "example", false);
	expect_attr(&s, 4, NID_commonName, "x", false);
	subject_clear(&s);

	/* Dotted OIDs: a known one maps to its NID, an unknown one is kept as text. */
	assert_err(subject_parse("2.5.4.3=vpn, 1.3.6.1.4.1.99999.1=custom", &s), MKCSR_E_OK);
	assert_int_equal(s.count, 2);
	expect_attr(&s, 0, NID_commonName, "vpn", false);
	expect_attr(&s, 1, NID_undef, "custom", false);
	assert_string_equal(s.attrs[1].oid, "1.3.6.1.4.1.99999.1");
	subject_clear(&s);

	/* Empty and blank subjects have no attributes. */
	assert_err(subject_parse("", &s), MKCSR_E_OK);
	assert_int_equal(s.count, 0);
	assert_null(s.attrs);
	assert_err(subject_parse("   ", &s), MKCSR_E_OK);
	assert_int_equal(s.count, 0);
	subject_clear(&s);
}

static void test_parse_escapes(void **state)
{
	struct mkcsr_subject s;

	(void)state;
	assert_err(subject_parse("O=a\\,b\\+c\\\\d\\2Ce\\3d\\\"f\\;g", &s), MKCSR_E_OK);
	assert_int_equal(s.count, 1);
	expect_attr(&s, 0, NID_organizationName, "a,b+c\\d,e=\"f;g", false);
	subject_clear(&s);

	/* Hex escapes spell UTF-8; an escaped blank at the end is kept. */
	assert_err(subject_parse("L=Z\\C3\\BCrich\\ , CN=\\#1", &s), MKCSR_E_OK);
	expect_attr(&s, 0, NID_localityName, "Zürich ", false);
	expect_attr(&s, 1, NID_commonName, "#1", false);
	subject_clear(&s);
}

static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"XX=1",                /* unknown type */
		"CN",                  /* missing '=' */
		"CN=a, O",
		"=a",                  /* missing type */
		"CN=",                 /* empty value */
		"CN=\"\"",
		"CN=a, O= ",
		"C=USA",               /* not two letters */
		"C=U",
		"C=1A",
		"CN=\"unterminated",
		"CN=\"a\" b",          /* text after the closing quote */
		"CN=a,",               /* trailing separator */
		"CN=a; ",
		"CN=a+",
		"CN=#0403616263",      /* hex-encoded value */
		"CN=\\C3",             /* invalid UTF-8: a lead byte alone */
		"CN=\\C0\\AF",         /* overlong UTF-8 */
		"CN=\\ED\\A0\\80",     /* a surrogate */
		"CN=a\\01b",           /* a control character */
		"CN=a\\00b",           /* NUL */
		"CN=a\\q",             /* invalid escape */
		"CN=a\\",
		"E=jürgen@example.com", /* IA5String: ASCII only */
		"DC=bücher",
		"SERIALNUMBER=a_b",    /* '_' is not PrintableString */
		"1.2.x=a",             /* not an OID */
		"1.=a",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mkcsr_subject s;
		enum mkcsr_err rc = subject_parse(bad[i], &s);

		if (rc != MKCSR_E_BAD_SUBJECT)
			fail_msg("'%s': got %s, expected BAD_SUBJECT", bad[i], err_name(rc));
		/* A failed parse leaves nothing to free. */
		assert_int_equal(s.count, 0);
		assert_null(s.attrs);
	}
}

static void test_parse_lengths(void **state)
{
	struct mkcsr_subject s;
	char text[200];

	(void)state;
	/* ub-common-name is 64 characters, not bytes: 64 'ü' are 128 bytes and fit. */
	strcpy(text, "CN=");
	memset(text + 3, 'a', 64);
	text[67] = '\0';
	assert_err(subject_parse(text, &s), MKCSR_E_OK);
	subject_clear(&s);
	strcpy(text + 67, "a");
	assert_err(subject_parse(text, &s), MKCSR_E_BAD_SUBJECT);
	assert_non_null(strstr(err_detail(), "65 characters"));

	strcpy(text, "CN=");
	for (int i = 0; i < 64; i++)
		strcat(text, "ü");
	assert_err(subject_parse(text, &s), MKCSR_E_OK);
	subject_clear(&s);
	strcat(text, "ü");
	assert_err(subject_parse(text, &s), MKCSR_E_BAD_SUBJECT);
}

/* The string type and text of entry i of an X509_NAME. */
static void expect_entry(const X509_NAME *name, int i, int nid, int string_type, const char *value, int set)
{
	const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
	const ASN1_STRING *data;

	assert_non_null(e);
	data = X509_NAME_ENTRY_get_data(e);
	if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)) != nid)
		fail_msg("entry %d: %s, expected %s", i, OBJ_nid2sn(OBJ_obj2nid(X509_NAME_ENTRY_get_object(e))),
			 OBJ_nid2sn(nid));
	assert_int_equal(ASN1_STRING_type(data), string_type);
	assert_int_equal(ASN1_STRING_length(data), strlen(value));
	assert_memory_equal(ASN1_STRING_get0_data(data), value, strlen(value));
	assert_int_equal(X509_NAME_ENTRY_set(e), set);
}

static void test_encode_windows_order_and_types(void **state)
{
	struct mkcsr_subject s;
	X509_NAME *name = NULL;

	(void)state;
	assert_err(subject_parse("CN=vpn.example.com, E=admin@example.com, OU=IT, O=Example, L=Zürich, ST=ZH, "
				 "DC=example, C=ch",
				 &s),
		   MKCSR_E_OK);
	assert_err(subject_to_x509_name(&s, &name), MKCSR_E_OK);
	assert_int_equal(X509_NAME_entry_count(name), 8);
	/* Reversed: what was written last comes first; one RDN per attribute. */
	expect_entry(name, 0, NID_countryName, V_ASN1_PRINTABLESTRING, "CH", 0);
	expect_entry(name, 1, NID_domainComponent, V_ASN1_IA5STRING, "example", 1);
	expect_entry(name, 2, NID_stateOrProvinceName, V_ASN1_UTF8STRING, "ZH", 2);
	expect_entry(name, 3, NID_localityName, V_ASN1_UTF8STRING, "Zürich", 3);
	expect_entry(name, 4, NID_organizationName, V_ASN1_UTF8STRING, "Example", 4);
	expect_entry(name, 5, NID_organizationalUnitName, V_ASN1_UTF8STRING, "IT", 5);
	expect_entry(name, 6, NID_pkcs9_emailAddress, V_ASN1_IA5STRING, "admin@example.com", 6);
	expect_entry(name, 7, NID_commonName, V_ASN1_UTF8STRING, "vpn.example.com", 7);
	X509_NAME_free(name);
	subject_clear(&s);
}

static void test_encode_multi_valued_rdn(void **state)
{
	struct mkcsr_subject s;
	X509_NAME *name = NULL;
	unsigned char *der = NULL;
	int len;

	(void)state;
	assert_err(subject_parse("CN=vpn+UID=42+SERIALNUMBER=7, O=Example+OU=IT, C=US", &s), MKCSR_E_OK);
	assert_err(subject_to_x509_name(&s, &name), MKCSR_E_OK);
	assert_int_equal(X509_NAME_entry_count(name), 6);
	/* RDNs reversed, the attributes inside one RDN in the order written. */
	expect_entry(name, 0, NID_countryName, V_ASN1_PRINTABLESTRING, "US", 0);
	expect_entry(name, 1, NID_organizationName, V_ASN1_UTF8STRING, "Example", 1);
	expect_entry(name, 2, NID_organizationalUnitName, V_ASN1_UTF8STRING, "IT", 1);
	expect_entry(name, 3, NID_commonName, V_ASN1_UTF8STRING, "vpn", 2);
	expect_entry(name, 4, NID_userId, V_ASN1_UTF8STRING, "42", 2);
	expect_entry(name, 5, NID_serialNumber, V_ASN1_PRINTABLESTRING, "7", 2);

	/* Three RDNs in the DER: SEQUENCE { SET, SET, SET }. */
	len = i2d_X509_NAME(name, &der);
	assert_true(len > 0);
	{
		const unsigned char *p = der;
		X509_NAME *back = d2i_X509_NAME(NULL, &p, len);

		assert_non_null(back);
		assert_int_equal(X509_NAME_entry_count(back), 6);
		assert_int_equal(X509_NAME_ENTRY_set(X509_NAME_get_entry(back, 5)), 2);
		assert_int_equal(X509_NAME_cmp(back, name), 0);
		X509_NAME_free(back);
	}
	OPENSSL_free(der);
	X509_NAME_free(name);
	subject_clear(&s);
}

static void test_encode_unknown_oid(void **state)
{
	struct mkcsr_subject s;
	X509_NAME *name = NULL;
	const X509_NAME_ENTRY *e;
	char oid[64];

	(void)state;
	assert_err(subject_parse("1.3.6.1.4.1.99999.1=custom", &s), MKCSR_E_OK);
	assert_err(subject_to_x509_name(&s, &name), MKCSR_E_OK);
	assert_int_equal(X509_NAME_entry_count(name), 1);
	e = X509_NAME_get_entry(name, 0);
	OBJ_obj2txt(oid, sizeof(oid), X509_NAME_ENTRY_get_object(e), 1);
	assert_string_equal(oid, "1.3.6.1.4.1.99999.1");
	assert_int_equal(ASN1_STRING_type(X509_NAME_ENTRY_get_data(e)), V_ASN1_UTF8STRING);
	X509_NAME_free(name);
	subject_clear(&s);
}

static void test_encode_empty(void **state)
{
	static const unsigned char want[] = { 0x30, 0x00 };
	struct mkcsr_subject s;
	X509_NAME *name = NULL;
	unsigned char *der = NULL;
	int len;

	(void)state;
	assert_err(subject_parse("", &s), MKCSR_E_OK);
	assert_err(subject_to_x509_name(&s, &name), MKCSR_E_OK);
	assert_non_null(name);
	len = i2d_X509_NAME(name, &der);
	assert_int_equal(len, 2);
	assert_memory_equal(der, want, 2);
	OPENSSL_free(der);
	X509_NAME_free(name);
	subject_clear(&s);
}

static void test_prepend(void **state)
{
	struct mkcsr_subject s;
	X509_NAME *name = NULL;
	char *text;

	(void)state;
	assert_err(subject_parse("O=Example, C=US", &s), MKCSR_E_OK);
	assert_err(subject_prepend(&s, NID_commonName, "vpn.example.com"), MKCSR_E_OK);
	assert_int_equal(s.count, 3);
	expect_attr(&s, 0, NID_commonName, "vpn.example.com", false);
	expect_attr(&s, 1, NID_organizationName, "Example", false);
	expect_attr(&s, 2, NID_countryName, "US", false);
	assert_string_equal(s.attrs[0].oid, "2.5.4.3");
	assert_string_equal(subject_get(&s, NID_commonName), "vpn.example.com");
	assert_string_equal(subject_get(&s, NID_countryName), "US");
	assert_null(subject_get(&s, NID_localityName));

	text = subject_format(&s);
	assert_string_equal(text, "CN=vpn.example.com, O=Example, C=US");
	free(text);

	/* First in the text, last in the encoding. */
	assert_err(subject_to_x509_name(&s, &name), MKCSR_E_OK);
	expect_entry(name, 0, NID_countryName, V_ASN1_PRINTABLESTRING, "US", 0);
	expect_entry(name, 2, NID_commonName, V_ASN1_UTF8STRING, "vpn.example.com", 2);
	X509_NAME_free(name);

	/* The checks of a parsed value apply. */
	assert_err(subject_prepend(&s, NID_countryName, "USA"), MKCSR_E_BAD_SUBJECT);
	assert_int_equal(s.count, 3);
	subject_clear(&s);

	/* Into an empty subject. */
	assert_err(subject_parse("", &s), MKCSR_E_OK);
	assert_err(subject_prepend(&s, NID_commonName, "a"), MKCSR_E_OK);
	assert_int_equal(s.count, 1);
	expect_attr(&s, 0, NID_commonName, "a", false);
	subject_clear(&s);
}

static void test_prepend_before_multi_valued(void **state)
{
	struct mkcsr_subject s;
	X509_NAME *name = NULL;

	(void)state;
	/* The new CN is an RDN of its own, not part of the "+" group that follows it. */
	assert_err(subject_parse("O=Example+OU=IT", &s), MKCSR_E_OK);
	assert_err(subject_prepend(&s, NID_commonName, "vpn"), MKCSR_E_OK);
	expect_attr(&s, 0, NID_commonName, "vpn", false);
	expect_attr(&s, 1, NID_organizationName, "Example", false);
	expect_attr(&s, 2, NID_organizationalUnitName, "IT", true);
	assert_err(subject_to_x509_name(&s, &name), MKCSR_E_OK);
	expect_entry(name, 0, NID_organizationName, V_ASN1_UTF8STRING, "Example", 0);
	expect_entry(name, 1, NID_organizationalUnitName, V_ASN1_UTF8STRING, "IT", 0);
	expect_entry(name, 2, NID_commonName, V_ASN1_UTF8STRING, "vpn", 1);
	X509_NAME_free(name);
	subject_clear(&s);
}

/* Formats text's subject, expects want, and parses want back to the same values. */
static void expect_round_trip(const char *text, const char *want)
{
	struct mkcsr_subject s, back;
	char *formatted;

	assert_err(subject_parse(text, &s), MKCSR_E_OK);
	formatted = subject_format(&s);
	assert_non_null(formatted);
	assert_string_equal(formatted, want);
	assert_err(subject_parse(formatted, &back), MKCSR_E_OK);
	assert_int_equal(back.count, s.count);
	for (size_t i = 0; i < s.count; i++) {
		assert_int_equal(back.attrs[i].nid, s.attrs[i].nid);
		assert_string_equal(back.attrs[i].oid, s.attrs[i].oid);
		assert_string_equal(back.attrs[i].value, s.attrs[i].value);
		assert_int_equal(back.attrs[i].joined, s.attrs[i].joined);
	}
	free(formatted);
	subject_clear(&back);
	subject_clear(&s);
}

static void test_format_round_trip(void **state)
{
	(void)state;
	expect_round_trip("O=Example\\, Inc., OU=IT, L=Zürich, S=ZH, C=us",
			  "O=Example\\, Inc., OU=IT, L=Zürich, ST=ZH, C=US");
	expect_round_trip("CN=a+UID=b; O=c", "CN=a+UID=b, O=c");
	expect_round_trip("CN=\"  quoted, with ; and + \"", "CN=\\  quoted\\, with \\; and \\+\\ ");
	expect_round_trip("CN=\\#hash=\\\"q\\\" <x> back\\\\slash",
			  "CN=\\#hash\\=\\\"q\\\" \\<x\\> back\\\\slash");
	expect_round_trip("emailAddress=a@example.com, 1.3.6.1.4.1.99999.1=x, 2.5.4.3=y",
			  "E=a@example.com, 1.3.6.1.4.1.99999.1=x, CN=y");
	expect_round_trip("", "");
}

/*
 * The certreq form (subject_format_x500: quoted values, a quote doubled)
 * reads back as the same subject: inside quotes a backslash is an ordinary
 * character, as Windows reads it (the INF writer's O="C\ontoso" used to be
 * refused as an invalid escape, and a value with two backslashes came back
 * with one).
 */
static void test_x500_round_trip(void **state)
{
	static const char *const values[] = { "C\\ontoso", "a\\\\b", "back\\", "IT, \"Ops\"", "\\\"", " x ;+=#<> " };

	(void)state;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct mkcsr_subject s = { 0 }, back = { 0 };
		char *written;

		assert_err(subject_set(&s, NID_organizationName, values[i]), MKCSR_E_OK);
		written = subject_format_x500(&s);
		assert_non_null(written);
		assert_err(subject_parse(written, &back), MKCSR_E_OK);
		assert_int_equal(back.count, 1);
		assert_string_equal(back.attrs[0].value, values[i]);
		free(written);
		subject_clear(&back);
		subject_clear(&s);
	}
	{
		struct mkcsr_subject s = { 0 };

		/* The exact text: quoted, the backslash as it is. */
		assert_err(subject_set(&s, NID_organizationName, "C\\ontoso"), MKCSR_E_OK);
		{
			char *written = subject_format_x500(&s);

			assert_string_equal(written, "O=\"C\\ontoso\"");
			free(written);
		}
		subject_clear(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_windows_example),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_escapes),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_lengths),
		cmocka_unit_test(test_encode_windows_order_and_types),
		cmocka_unit_test(test_encode_multi_valued_rdn),
		cmocka_unit_test(test_encode_unknown_oid),
		cmocka_unit_test(test_encode_empty),
		cmocka_unit_test(test_prepend),
		cmocka_unit_test(test_prepend_before_multi_valued),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_x500_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
