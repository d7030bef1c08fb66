/* request: the spec's defaults, the option setters and request_finalize()'s rules. */
#include "unit.h"

#include <openssl/objects.h>

#include "oids.h"
#include "request.h"

static int setup(void **state)
{
	struct mkcsr_request *req = calloc(1, sizeof(*req));

	if (req == NULL || request_init(req) != MKCSR_E_OK)
		return -1;
	*state = req;
	return 0;
}

static int teardown(void **state)
{
	request_clear(*state);
	free(*state);
	return 0;
}

static void expect_ekus(const struct mkcsr_request *req, const char *const *oids, size_t n)
{
	assert_int_equal(req->eku_count, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(req->ekus[i], oids[i]);
}

static void test_init_defaults(void **state)
{
	struct mkcsr_request *req = *state;
	static const char *const server_auth[] = { "1.3.6.1.5.5.7.3.1" };

	/* certlm's custom request: ECDSA P-256, Server Authentication, Application Policies, SKI. */
	assert_int_equal(req->key.alg, MKCSR_KEY_EC);
	assert_int_equal(req->key.bits, 256);
	assert_string_equal(req->key.curve, "P-256");
	assert_string_equal(req->key.group, "prime256v1");
	assert_null(req->hash);  /* chosen by finalize from the key type */
	expect_ekus(req, server_auth, 1);
	assert_true(req->ekus_defaulted);
	assert_int_equal(req->key_usage, 0);
	assert_true(req->app_policies);
	assert_true(req->subject_key_id);
	assert_false(req->minimal);
	assert_false(req->ms_attributes);
	assert_null(req->host);
	assert_int_equal(req->name_count, 0);
	assert_int_equal(req->subject.count, 0);
	assert_int_equal(req->warning_count, 0);
}

static void test_eku_replaces_default(void **state)
{
	struct mkcsr_request *req = *state;
	static const char *const client[] = { OID_CLIENT_AUTH };
	static const char *const three[] = { OID_CLIENT_AUTH, OID_SERVER_AUTH, "1.2.3.4.5" };

	/* The first --eku replaces serverAuth; later ones add; repeats are dropped. */
	assert_err(request_add_eku(req, "clientAuth"), MKCSR_E_OK);
	expect_ekus(req, client, 1);
	assert_false(req->ekus_defaulted);
	assert_err(request_add_eku(req, "SERVERAUTH"), MKCSR_E_OK);
	assert_err(request_add_eku(req, "1.2.3.4.5"), MKCSR_E_OK);
	assert_err(request_add_eku(req, "1.3.6.1.5.5.7.3.2"), MKCSR_E_OK);
	expect_ekus(req, three, 3);

	assert_err(request_add_eku(req, "bogus"), MKCSR_E_BAD_EKU);
	assert_err(request_add_eku(req, "1"), MKCSR_E_BAD_EKU);
	assert_err(request_add_eku(req, "1.2."), MKCSR_E_BAD_EKU);
	assert_err(request_add_eku(req, "1..2"), MKCSR_E_BAD_EKU);
	assert_err(request_add_eku(req, ""), MKCSR_E_BAD_EKU);
	expect_ekus(req, three, 3);
}

static void test_eku_default_then_server_auth(void **state)
{
	struct mkcsr_request *req = *state;
	static const char *const ike[] = { OID_SERVER_AUTH, OID_IKE_INTERMEDIATE };

	/* --eku serverAuth --eku ikeIntermediate: the Always On VPN device tunnel pair. */
	assert_err(request_add_eku(req, "serverAuth"), MKCSR_E_OK);
	assert_err(request_add_eku(req, "ikeIntermediate"), MKCSR_E_OK);
	expect_ekus(req, ike, 2);
}

static void test_key_usage(void **state)
{
	struct mkcsr_request *req = *state;

	assert_err(request_set_key_usage(req, "digitalSignature"), MKCSR_E_OK);
	assert_int_equal(req->key_usage, 1u << KU_BIT_DIGITAL_SIGNATURE);
	assert_err(request_set_key_usage(req, "digitalSignature,keyEncipherment"), MKCSR_E_OK);
	assert_int_equal(req->key_usage, 0x5);
	/* Blanks, case and RFC 5280's new name for nonRepudiation. */
	assert_err(request_set_key_usage(req, " DigitalSignature , contentCommitment"), MKCSR_E_OK);
	assert_int_equal(req->key_usage, (1u << KU_BIT_DIGITAL_SIGNATURE) | (1u << KU_BIT_NON_REPUDIATION));
	assert_err(request_set_key_usage(req, "nonRepudiation,keyAgreement,dataEncipherment,decipherOnly"),
		   MKCSR_E_OK);
	assert_int_equal(req->key_usage, 0x2 | 0x10 | 0x8 | 0x100);

	/* A failed value leaves the last good one. */
	assert_err(request_set_key_usage(req, "digitalSignature,sign"), MKCSR_E_BAD_KEY_USAGE);
	assert_non_null(strstr(err_detail(), "'sign'"));
	assert_int_equal(req->key_usage, 0x2 | 0x10 | 0x8 | 0x100);
	assert_err(request_set_key_usage(req, ""), MKCSR_E_BAD_KEY_USAGE);
	assert_err(request_set_key_usage(req, "digitalSignature,,keyAgreement"), MKCSR_E_BAD_KEY_USAGE);
	assert_err(request_set_key_usage(req, "digital"), MKCSR_E_BAD_KEY_USAGE);

	assert_string_equal(request_key_usage_name(KU_BIT_DIGITAL_SIGNATURE), "digitalSignature");
	assert_string_equal(request_key_usage_name(KU_BIT_DECIPHER_ONLY), "decipherOnly");
	assert_string_equal(request_key_usage_name(KU_BIT_COUNT_), "?");
}

static void test_hash_and_key_type(void **state)
{
	struct mkcsr_request *req = *state;

	assert_err(request_set_hash(req, "sha384"), MKCSR_E_OK);
	assert_string_equal(req->hash, "SHA384");
	assert_err(request_set_hash(req, "SHA-512"), MKCSR_E_OK);
	assert_string_equal(req->hash, "SHA512");
	assert_err(request_set_hash(req, "md5"), MKCSR_E_BAD_HASH);
	assert_err(request_set_hash(req, "sha1"), MKCSR_E_BAD_HASH);
	assert_err(request_set_hash(req, "SHA-"), MKCSR_E_BAD_HASH);
	assert_string_equal(req->hash, "SHA512");

	assert_err(request_set_key_type(req, "rsa:3072"), MKCSR_E_OK);
	assert_int_equal(req->key.alg, MKCSR_KEY_RSA);
	assert_int_equal(req->key.bits, 3072);
	assert_err(request_set_key_type(req, "EC:p-384"), MKCSR_E_OK);
	assert_int_equal(req->key.alg, MKCSR_KEY_EC);
	assert_string_equal(req->key.curve, "P-384");
	assert_err(request_set_key_type(req, "rsa:1024"), MKCSR_E_BAD_KEY_TYPE);
	assert_err(request_set_key_type(req, "ec:secp256k1"), MKCSR_E_BAD_KEY_TYPE);
	assert_err(request_set_key_type(req, "ed25519"), MKCSR_E_BAD_KEY_TYPE);
}

/* The hash request_finalize() picks for a key type when --hash is not given. */
static void expect_default_hash(const char *key_type, const char *hash)
{
	struct mkcsr_request req;

	assert_err(request_init(&req), MKCSR_E_OK);
	if (key_type != NULL)
		assert_err(request_set_key_type(&req, key_type), MKCSR_E_OK);
	assert_err(request_set_host(&req, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_finalize(&req), MKCSR_E_OK);
	assert_string_equal(req.hash, hash);
	request_clear(&req);
}

static void test_finalize_default_hashes(void **state)
{
	struct mkcsr_request *req = *state;

	expect_default_hash(NULL, "SHA256");
	expect_default_hash("ec:P-256", "SHA256");
	expect_default_hash("ec:P-384", "SHA384");
	expect_default_hash("ec:P-521", "SHA512");
	expect_default_hash("rsa:2048", "SHA256");
	expect_default_hash("rsa:4096", "SHA256");

	/* An explicit --hash wins. */
	assert_err(request_set_key_type(req, "ec:P-384"), MKCSR_E_OK);
	assert_err(request_set_hash(req, "sha256"), MKCSR_E_OK);
	assert_err(request_set_host(req, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);
	assert_string_equal(req->hash, "SHA256");
}

static void test_finalize_host_becomes_cn_and_san(void **state)
{
	struct mkcsr_request *req = *state;

	assert_err(request_set_host(req, "VPN.Example.com"), MKCSR_E_OK);
	assert_err(request_set_subject(req, "O=Example, C=us"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);
	assert_string_equal(req->host, "vpn.example.com");
	assert_int_equal(req->name_count, 1);
	assert_int_equal(req->names[0].type, MKCSR_NAME_DNS);
	assert_string_equal(req->names[0].value, "vpn.example.com");
	/* CN first in the text (last in the encoding). */
	assert_int_equal(req->subject.count, 3);
	assert_int_equal(req->subject.attrs[0].nid, NID_commonName);
	assert_string_equal(req->subject.attrs[0].value, "vpn.example.com");
	assert_int_equal(req->warning_count, 0);
}

static void test_finalize_keeps_subject_cn(void **state)
{
	struct mkcsr_request *req = *state;

	/* A CN in --subject is the user's choice: the host is not added a second time. */
	assert_err(request_set_host(req, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_set_subject(req, "CN=VPN Gateway, O=Example"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);
	assert_int_equal(req->subject.count, 2);
	assert_string_equal(subject_get(&req->subject, NID_commonName), "VPN Gateway");
}

static void test_finalize_no_name(void **state)
{
	struct mkcsr_request *req = *state;

	assert_err(request_finalize(req), MKCSR_E_USAGE);
	/* A subject without a CN names nothing either. */
	assert_err(request_set_subject(req, "O=Example"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_USAGE);
}

static void test_finalize_cn_only_warns(void **state)
{
	struct mkcsr_request *req = *state;

	/* A CN alone is allowed, with a warning that nothing will match it. */
	assert_err(request_set_subject(req, "CN=legacy"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);
	assert_int_equal(req->name_count, 0);
	assert_int_equal(req->warning_count, 1);
	assert_non_null(strstr(req->warnings[0], "no subject alternative name"));
}

static void test_finalize_long_host(void **state)
{
	struct mkcsr_request *req = *state;
	char host[80];

	/* 65 characters: a valid DNS name, too long for a CN (ub-common-name 64). */
	memset(host, 'a', 53);
	strcpy(host + 53, ".example.com");
	assert_int_equal(strlen(host), 65);
	assert_err(request_set_host(req, host), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);
	assert_int_equal(req->subject.count, 0);
	assert_null(subject_get(&req->subject, NID_commonName));
	assert_int_equal(req->name_count, 1);
	assert_string_equal(req->names[0].value, host);
	assert_int_equal(req->warning_count, 1);
	assert_non_null(strstr(req->warnings[0], host));
	assert_non_null(strstr(req->warnings[0], "SAN only"));
}

static void test_finalize_host_of_64(void **state)
{
	struct mkcsr_request *req = *state;
	char host[80];

	/* 64 characters still fit. */
	memset(host, 'a', 52);
	strcpy(host + 52, ".example.com");
	assert_err(request_set_host(req, host), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);
	assert_string_equal(subject_get(&req->subject, NID_commonName), host);
	assert_int_equal(req->warning_count, 0);
}

static void test_finalize_key_usage_fit(void **state)
{
	struct mkcsr_request *req = *state;
	struct mkcsr_request rsa;

	assert_err(request_set_host(req, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_set_key_usage(req, "digitalSignature,keyEncipherment"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_KEY_USAGE_UNFIT);
	assert_non_null(strstr(err_detail(), "keyEncipherment"));
	assert_err(request_set_key_usage(req, "dataEncipherment"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_KEY_USAGE_UNFIT);
	assert_non_null(strstr(err_detail(), "dataEncipherment"));
	assert_err(request_set_key_usage(req, "digitalSignature,keyAgreement"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);

	assert_err(request_init(&rsa), MKCSR_E_OK);
	assert_err(request_set_host(&rsa, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_set_key_type(&rsa, "rsa:2048"), MKCSR_E_OK);
	assert_err(request_set_key_usage(&rsa, "keyAgreement"), MKCSR_E_OK);
	assert_err(request_finalize(&rsa), MKCSR_E_KEY_USAGE_UNFIT);
	assert_err(request_set_key_usage(&rsa, "digitalSignature,keyEncipherment"), MKCSR_E_OK);
	assert_err(request_finalize(&rsa), MKCSR_E_OK);
	request_clear(&rsa);
}

static void test_finalize_minimal(void **state)
{
	struct mkcsr_request *req = *state;

	assert_err(request_set_host(req, "vpn.example.com"), MKCSR_E_OK);
	req->minimal = true;
	assert_err(request_finalize(req), MKCSR_E_OK);
	/* The SAN only: no EKU, no Application Policies, no SKI. */
	assert_int_equal(req->eku_count, 0);
	assert_false(req->app_policies);
	assert_false(req->subject_key_id);
	assert_int_equal(req->name_count, 1);
}

static void test_finalize_minimal_conflicts(void **state)
{
	struct mkcsr_request *req = *state;
	struct mkcsr_request other;

	assert_err(request_set_host(req, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_add_eku(req, "serverAuth"), MKCSR_E_OK);
	req->minimal = true;
	assert_err(request_finalize(req), MKCSR_E_USAGE);

	assert_err(request_init(&other), MKCSR_E_OK);
	assert_err(request_set_host(&other, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_set_key_usage(&other, "digitalSignature"), MKCSR_E_OK);
	other.minimal = true;
	assert_err(request_finalize(&other), MKCSR_E_USAGE);
	request_clear(&other);

	/* With only a CN there is no SAN to keep. */
	assert_err(request_init(&other), MKCSR_E_OK);
	assert_err(request_set_subject(&other, "CN=legacy"), MKCSR_E_OK);
	other.minimal = true;
	assert_err(request_finalize(&other), MKCSR_E_USAGE);
	request_clear(&other);
}

static void test_finalize_no_eku_no_policies(void **state)
{
	struct mkcsr_request *req = *state;

	/* Application Policies mirror the EKU: without one there is nothing to mirror. */
	assert_err(request_set_host(req, "vpn.example.com"), MKCSR_E_OK);
	for (size_t i = 0; i < req->eku_count; i++)
		free(req->ekus[i]);
	req->eku_count = 0;
	assert_err(request_finalize(req), MKCSR_E_OK);
	assert_false(req->app_policies);
	assert_true(req->subject_key_id);
}

static void test_names_deduplicated(void **state)
{
	struct mkcsr_request *req = *state;

	assert_err(request_add_san(req, "dns:www.example.com"), MKCSR_E_OK);
	assert_err(request_set_host(req, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_add_san(req, "dns:VPN.example.com."), MKCSR_E_OK);
	assert_err(request_add_san(req, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_add_san(req, "WWW.example.com"), MKCSR_E_OK);
	assert_err(request_add_san(req, "ip:10.0.0.1"), MKCSR_E_OK);
	assert_err(request_add_san(req, "10.0.0.1"), MKCSR_E_OK);
	assert_err(request_add_san(req, "email:admin@example.com"), MKCSR_E_OK);
	assert_err(request_add_san(req, "upn:admin@example.com"), MKCSR_E_OK);
	/* The host first, whatever the order of the options; each name once. */
	assert_int_equal(req->name_count, 5);
	assert_string_equal(req->names[0].value, "vpn.example.com");
	assert_string_equal(req->names[1].value, "www.example.com");
	assert_int_equal(req->names[2].type, MKCSR_NAME_IP);
	assert_string_equal(req->names[2].value, "10.0.0.1");
	assert_int_equal(req->names[3].type, MKCSR_NAME_EMAIL);
	assert_int_equal(req->names[4].type, MKCSR_NAME_UPN);

	assert_err(request_add_san(req, "uri:x"), MKCSR_E_BAD_SAN);
	assert_int_equal(req->name_count, 5);
}

static void test_host_named_by_san_first(void **state)
{
	struct mkcsr_request *req = *state;

	/* --san vpn --san www --host vpn: one vpn entry, moved to the front. */
	assert_err(request_add_san(req, "dns:www.example.com"), MKCSR_E_OK);
	assert_err(request_add_san(req, "dns:vpn.example.com"), MKCSR_E_OK);
	assert_err(request_add_san(req, "ip:10.0.0.1"), MKCSR_E_OK);
	assert_err(request_set_host(req, "VPN.example.com"), MKCSR_E_OK);
	assert_int_equal(req->name_count, 3);
	assert_string_equal(req->names[0].value, "vpn.example.com");
	assert_string_equal(req->names[1].value, "www.example.com");
	assert_string_equal(req->names[2].value, "10.0.0.1");
}

static void test_host_rules(void **state)
{
	struct mkcsr_request *req = *state;

	assert_err(request_set_host(req, "bad_host.example.com"), MKCSR_E_BAD_NAME);
	assert_null(req->host);
	assert_err(request_set_host(req, "vpn.example.com"), MKCSR_E_OK);
	assert_err(request_set_host(req, "other.example.com"), MKCSR_E_USAGE);
	assert_string_equal(req->host, "vpn.example.com");
	assert_int_equal(req->name_count, 1);
}

static void test_host_ip(void **state)
{
	struct mkcsr_request *req = *state;

	/* An address as host: an IP SAN, and (as certlm would) the CN. */
	assert_err(request_set_host(req, "2001:DB8::1"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);
	assert_string_equal(req->host, "2001:db8::1");
	assert_int_equal(req->names[0].type, MKCSR_NAME_IP);
	assert_string_equal(subject_get(&req->subject, NID_commonName), "2001:db8::1");
}

static void test_clear_twice(void **state)
{
	struct mkcsr_request req;

	(void)state;
	assert_err(request_init(&req), MKCSR_E_OK);
	request_clear(&req);
	request_clear(&req);
	request_clear(NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_defaults),
		T(test_eku_replaces_default),
		T(test_eku_default_then_server_auth),
		T(test_key_usage),
		T(test_hash_and_key_type),
		T(test_finalize_default_hashes),
		T(test_finalize_host_becomes_cn_and_san),
		T(test_finalize_keeps_subject_cn),
		T(test_finalize_no_name),
		T(test_finalize_cn_only_warns),
		T(test_finalize_long_host),
		T(test_finalize_host_of_64),
		T(test_finalize_key_usage_fit),
		T(test_finalize_minimal),
		T(test_finalize_minimal_conflicts),
		T(test_finalize_no_eku_no_policies),
		T(test_names_deduplicated),
		T(test_host_named_by_san_first),
		T(test_host_rules),
		T(test_host_ip),
		T(test_clear_twice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
