/* inspect: the JSON document of a certificate and of a Windows request, member by member. */
#include "unit.h"

#include <stdbool.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "inspect.h"

/* 2027-06-01T00:00:00Z, the "now" of the certificate fixtures. */
#define FIXTURE_AT ((time_t)1811808000)

static char *data_path(const char *name)
{
	const char *srcdir = getenv("TESTS_SRCDIR");
	char *path = NULL;

	if (srcdir == NULL)
		fail_msg("TESTS_SRCDIR is not set: run the unit tests through 'make check'");
	assert_true(asprintf(&path, "%s/data/%s", srcdir, name) > 0);
	return path;
}

static X509 *read_cert(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x509;

	assert_non_null(f);
	x509 = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x509);
	return x509;
}

static void hex(const unsigned char *bytes, size_t len, bool upper, char *out)
{
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, upper ? "%02X" : "%02x", bytes[i]);
}

/* The object's member names, in order, are exactly names (NULL-terminated). */
static void assert_members(json_t *obj, const char *const *names)
{
	const char *key;
	json_t *value;
	size_t i = 0;

	assert_true(json_is_object(obj));
	json_object_foreach(obj, key, value) {
		(void)value;
		if (names[i] == NULL)
			fail_msg("unexpected member '%s'", key);
		if (strcmp(names[i], key) != 0)
			fail_msg("member %zu is '%s', expected '%s'", i, key, names[i]);
		i++;
	}
	if (names[i] != NULL)
		fail_msg("member '%s' is missing", names[i]);
}

static const char *str(json_t *obj, const char *key)
{
	json_t *value = json_object_get(obj, key);

	if (!json_is_string(value))
		fail_msg("'%s' is not a string", key);
	return json_string_value(value);
}

static json_int_t integer(json_t *obj, const char *key)
{
	json_t *value = json_object_get(obj, key);

	if (!json_is_integer(value))
		fail_msg("'%s' is not an integer", key);
	return json_integer_value(value);
}

static void assert_null_member(json_t *obj, const char *key)
{
	json_t *value = json_object_get(obj, key);

	if (value == NULL || !json_is_null(value))
		fail_msg("'%s' is not null", key);
}

static void test_certificate(void **state)
{
	static const char *const doc_members[] = { "file", "type", "format", "other_pem_blocks", "certificates", NULL };
	static const char *const cert_members[] = {
		"kind", "subject", "issuer", "serial_number", "not_before", "not_after", "status", "days_left", "thumbprint",
		"sha256_fingerprint", "key_algorithm", "key_size", "key_curve", "spki_sha256", "signature_algorithm",
		"self_signed", "subject_alt_names", "key_usage", "extended_key_usage", "application_policies",
		"basic_constraints", "subject_key_identifier", "authority_key_identifier", "crl_distribution_points", "ocsp",
		"ca_issuers", "certificate_template_name", "certificate_template", "certificate_template_version",
		"other_extensions", NULL
	};
	char *path = data_path("certs/leaf-good.pem");
	X509 *x509 = read_cert(path);
	unsigned char md[EVP_MAX_MD_SIZE], *spki = NULL;
	unsigned int md_len = 0;
	char expected[2 * EVP_MAX_MD_SIZE + 1];
	int spki_len;
	json_t *doc = NULL, *cert, *san, *name, *ku, *eku;

	(void)state;
	assert_err(inspect_file(path, NULL, FIXTURE_AT, NULL, &doc), MKCSR_E_OK);
	assert_members(doc, doc_members);
	assert_string_equal(str(doc, "file"), path);
	assert_string_equal(str(doc, "type"), "certificate");
	assert_string_equal(str(doc, "format"), "PEM");
	assert_null_member(doc, "other_pem_blocks");
	assert_int_equal(json_array_size(json_object_get(doc, "certificates")), 1);

	cert = json_array_get(json_object_get(doc, "certificates"), 0);
	assert_members(cert, cert_members);
	assert_string_equal(str(cert, "kind"), "leaf");
	assert_string_equal(str(cert, "subject"), "CN=vpn.example.com");
	assert_string_equal(str(cert, "issuer"), "CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US");
	assert_string_equal(str(cert, "serial_number"), "2001");
	assert_string_equal(str(cert, "not_before"), "2026-01-01T00:00:00Z");
	assert_string_equal(str(cert, "not_after"), "2028-01-01T00:00:00Z");
	assert_string_equal(str(cert, "status"), "valid");
	assert_int_equal(integer(cert, "days_left"), 214);

	/* The hashes, computed here independently: SHA-1 and SHA-256 upper case, the key's SPKI lower case. */
	assert_true(X509_digest(x509, EVP_sha1(), md, &md_len));
	hex(md, md_len, true, expected);
	assert_string_equal(str(cert, "thumbprint"), expected);
	assert_true(X509_digest(x509, EVP_sha256(), md, &md_len));
	hex(md, md_len, true, expected);
	assert_string_equal(str(cert, "sha256_fingerprint"), expected);
	spki_len = i2d_PUBKEY(X509_get0_pubkey(x509), &spki);
	assert_true(spki_len > 0);
	assert_true(EVP_Digest(spki, (size_t)spki_len, md, &md_len, EVP_sha256(), NULL));
	hex(md, md_len, false, expected);
	assert_string_equal(str(cert, "spki_sha256"), expected);

	assert_string_equal(str(cert, "key_algorithm"), "ECDSA");
	assert_int_equal(integer(cert, "key_size"), 256);
	assert_string_equal(str(cert, "key_curve"), "P-256");
	assert_string_equal(str(cert, "signature_algorithm"), "ecdsa-with-SHA256");
	assert_true(json_is_false(json_object_get(cert, "self_signed")));

	san = json_object_get(cert, "subject_alt_names");
	assert_true(json_is_false(json_object_get(san, "critical")));
	assert_int_equal(json_array_size(json_object_get(san, "names")), 1);
	name = json_array_get(json_object_get(san, "names"), 0);
	assert_string_equal(str(name, "type"), "dns");
	assert_string_equal(str(name, "value"), "vpn.example.com");
	ku = json_object_get(cert, "key_usage");
	assert_true(json_is_true(json_object_get(ku, "critical")));
	assert_int_equal(json_array_size(json_object_get(ku, "usages")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(ku, "usages"), 0)), "digitalSignature");
	eku = json_array_get(json_object_get(json_object_get(cert, "extended_key_usage"), "usages"), 0);
	assert_string_equal(str(eku, "oid"), "1.3.6.1.5.5.7.3.1");
	assert_string_equal(str(eku, "name"), "Server Authentication");
	assert_null_member(cert, "basic_constraints");
	assert_null_member(cert, "application_policies");
	assert_null_member(cert, "other_extensions");
	assert_int_equal(strlen(str(cert, "subject_key_identifier")), 40);
	assert_int_equal(json_array_size(json_object_get(cert, "crl_distribution_points")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(cert, "ocsp"), 0)), "http://ocsp.example.com");

	/* A day after the end: expired, one day ago. */
	json_decref(doc);
	assert_err(inspect_file(path, NULL, (time_t)1830297600 + 86400, NULL, &doc), MKCSR_E_OK);
	cert = json_array_get(json_object_get(doc, "certificates"), 0);
	assert_string_equal(str(cert, "status"), "expired");
	assert_int_equal(integer(cert, "days_left"), -1);

	json_decref(doc);
	OPENSSL_free(spki);
	X509_free(x509);
	free(path);
}

static void test_windows_request(void **state)
{
	static const char *const doc_members[] = { "file", "type", "format", "other_pem_blocks", "request", NULL };
	static const char *const request_members[] = {
		"subject", "key_algorithm", "key_size", "key_curve", "spki_sha256", "signature_algorithm",
		"signature_verifies", "subject_alt_names", "key_usage", "extended_key_usage", "application_policies",
		"basic_constraints", "subject_key_identifier", "authority_key_identifier", "crl_distribution_points", "ocsp",
		"ca_issuers", "certificate_template_name", "certificate_template", "certificate_template_version",
		"other_extensions", "os_version", "os_release", "client_info", "enrollment_csp", "other_attributes", NULL
	};
	static const char *const client_members[] = { "client_id", "client_id_name", "machine", "user", "process", NULL };
	static const char *const csp_members[] = { "key_spec", "key_spec_name", "provider", "signature_bits", NULL };
	char *path = data_path("windows-csr/sample4.csr");
	json_t *doc = NULL, *req, *client, *csp, *ku;

	(void)state;
	assert_err(inspect_file(path, NULL, FIXTURE_AT, NULL, &doc), MKCSR_E_OK);
	assert_members(doc, doc_members);
	assert_string_equal(str(doc, "type"), "csr");
	assert_string_equal(str(doc, "format"), "Base64 (BEGIN NEW CERTIFICATE REQUEST), LF line ends");

	req = json_object_get(doc, "request");
	assert_members(req, request_members);
	assert_string_equal(str(req, "subject"), "CN=intranet.adcslabor.de");
	assert_string_equal(str(req, "key_algorithm"), "ECDSA");
	assert_string_equal(str(req, "key_curve"), "P-256");
	assert_string_equal(str(req, "signature_algorithm"), "ecdsa-with-SHA256");
	assert_true(json_is_true(json_object_get(req, "signature_verifies")));
	ku = json_object_get(req, "key_usage");
	assert_true(json_is_true(json_object_get(ku, "critical")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(ku, "usages"), 0)), "digitalSignature");
	assert_null_member(req, "subject_alt_names");
	assert_null_member(req, "extended_key_usage");
	assert_string_equal(str(req, "os_version"), "10.0.19044.2");
	assert_string_equal(str(req, "os_release"), "Windows 10 21H2");

	client = json_object_get(req, "client_info");
	assert_members(client, client_members);
	assert_int_equal(integer(client, "client_id"), 5);
	assert_string_equal(str(client, "client_id_name"), "ClientIdDefaultRequest");
	assert_string_equal(str(client, "machine"), "otti-ottel");
	assert_string_equal(str(client, "user"), "OTTI-OTTEL\\uwe");
	assert_string_equal(str(client, "process"), "powershell.exe");

	csp = json_object_get(req, "enrollment_csp");
	assert_members(csp, csp_members);
	assert_int_equal(integer(csp, "key_spec"), 0);
	assert_string_equal(str(csp, "provider"), "Microsoft Software Key Storage Provider");
	assert_int_equal(integer(csp, "signature_bits"), 0);
	assert_null_member(req, "other_attributes");

	json_decref(doc);
	free(path);
}

static void test_errors_give_no_document(void **state)
{
	static const struct {
		const char *name;
		enum mkcsr_err rc;
	} cases[] = {
		{ "certs/no-such-file.pem", MKCSR_E_READ },
		{ "certs", MKCSR_E_READ },
		{ "certs/malformed.pem", MKCSR_E_MALFORMED },
		{ "certs/garbage.bin", MKCSR_E_MALFORMED },
		{ "inf/unterminated-quote.inf", MKCSR_E_BAD_INF },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = data_path(cases[i].name);
		json_t *doc = (json_t *)1;

		assert_err(inspect_file(path, NULL, FIXTURE_AT, NULL, &doc), cases[i].rc);
		assert_null(doc);
		/* The message names the file. */
		if (strstr(err_detail(), cases[i].name) == NULL)
			fail_msg("'%s' does not name %s", err_detail(), cases[i].name);
		free(path);
	}
}

static void test_encrypted_key_without_passphrase(void **state)
{
	char *path = data_path("certs/leaf-enc.key");
	json_t *doc = NULL, *key;

	(void)state;
	assert_err(inspect_file(path, NULL, FIXTURE_AT, NULL, &doc), MKCSR_E_OK);
	key = json_object_get(doc, "key");
	assert_true(json_is_true(json_object_get(key, "encrypted")));
	assert_string_equal(str(key, "encryption"), "PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256");
	assert_int_equal(integer(key, "iterations"), 2048);
	assert_null_member(key, "key_algorithm");
	assert_null_member(key, "spki_sha256");
	json_decref(doc);

	/* A wrong passphrase is an error, not a document without the key. */
	doc = (json_t *)1;
	assert_err(inspect_file(path, "wrong", FIXTURE_AT, NULL, &doc), MKCSR_E_MALFORMED);
	assert_null(doc);
	assert_err(inspect_file(path, "mkcsr-fixture-passphrase", FIXTURE_AT, NULL, &doc), MKCSR_E_OK);
	assert_string_equal(str(json_object_get(doc, "key"), "key_algorithm"), "ECDSA");
	json_decref(doc);
	free(path);
}

/* inspect_buffer makes the document inspect_file makes, from memory, for every kind of file, naming the given path. */
static void test_buffer_same_document(void **state)
{
	static const char *const names[] = {
		"certs/leaf-good.pem", "certs/chain-shuffled.pem", "certs/chain-der.p7b", "certs/leaf.key",
		"windows-csr/sample1.csr", "inf/hicks-newcsr.inf",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *path = data_path(names[i]), *from_file, *from_buffer;
		json_t *file_doc = NULL, *buffer_doc = NULL;
		unsigned char *data;
		size_t len = 0;
		FILE *f = fopen(path, "rb");

		assert_non_null(f);
		data = malloc(65536);
		assert_non_null(data);
		len = fread(data, 1, 65536, f);
		fclose(f);
		assert_err(inspect_file(path, NULL, FIXTURE_AT, NULL, &file_doc), MKCSR_E_OK);
		assert_err(inspect_buffer(path, data, len, NULL, FIXTURE_AT, NULL, &buffer_doc), MKCSR_E_OK);
		from_file = json_dumps(file_doc, JSON_SORT_KEYS);
		from_buffer = json_dumps(buffer_doc, JSON_SORT_KEYS);
		assert_string_equal(from_buffer, from_file);
		free(from_buffer);
		free(from_file);
		json_decref(buffer_doc);
		json_decref(file_doc);
		free(data);
		free(path);
	}
	{
		json_t *doc = (json_t *)1;

		assert_err(inspect_buffer("empty.pem", (const unsigned char *)"", 0, NULL, FIXTURE_AT, NULL, &doc),
			   MKCSR_E_MALFORMED);
		assert_null(doc);
		assert_string_equal(err_detail(), "'empty.pem' is empty");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_certificate),
		cmocka_unit_test(test_windows_request),
		cmocka_unit_test(test_errors_give_no_document),
		cmocka_unit_test(test_encrypted_key_without_passphrase),
		cmocka_unit_test(test_buffer_same_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
