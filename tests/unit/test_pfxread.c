/*
 * pfxread: PFX files decoded into safes, bags and attributes, and the key,
 * leaf and other certificates the commands take from them.  The PFX files
 * are made in-process with pfx_build (both profiles) and PKCS12_create.
 */
#include "unit.h"

#include <stdbool.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pfx.h"
#include "pfxread.h"
#include "testca.h"

#define PASS "Str0ng-PFX-pass"
#define PATH "vpn.pfx"
#define KSP "Microsoft Software Key Storage Provider"

/* ---- an in-process chain ---- */

/* The chain's certificates: CN=cn and basicConstraints, valid for 90 days. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, bool ca)
{
	return testca_sign(testca_start(NULL, cn, key, issuer, ca, ca ? 1 : 2, 90), key, issuer_key);
}

struct fx {
	EVP_PKEY *key, *inter_key, *root_key;
	X509 *leaf, *inter, *root;
};

static int group_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	fx->key = EVP_EC_gen("P-256");
	fx->inter_key = EVP_EC_gen("P-256");
	fx->root_key = EVP_EC_gen("P-256");
	if (fx->key == NULL || fx->inter_key == NULL || fx->root_key == NULL)
		return -1;
	fx->root = make_cert("PFX Root CA", fx->root_key, NULL, NULL, true);
	fx->inter = make_cert("PFX Issuing CA", fx->inter_key, fx->root, fx->root_key, true);
	fx->leaf = make_cert("vpn.example.com", fx->key, fx->inter, fx->inter_key, false);
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	struct fx *fx = *state;

	X509_free(fx->leaf);
	X509_free(fx->inter);
	X509_free(fx->root);
	EVP_PKEY_free(fx->root_key);
	EVP_PKEY_free(fx->inter_key);
	EVP_PKEY_free(fx->key);
	free(fx);
	return 0;
}

/* mkcsr's own PFX of leaf, key and inter, in a profile. */
static void build(const struct fx *fx, enum mkcsr_pfx_profile profile, unsigned char **der, size_t *len)
{
	struct mkcsr_pfx_options opts = { .profile = profile, .friendly_name = "vpn.example.com", .provider = KSP,
					  .machine_keyset = true };
	STACK_OF(X509) *cas = sk_X509_new_null();

	assert_non_null(cas);
	assert_true(sk_X509_push(cas, fx->inter) > 0);
	assert_err(pfx_build(fx->key, fx->leaf, cas, PASS, &opts, der, len), MKCSR_E_OK);
	sk_X509_free(cas);
}

/* A PFX by PKCS12_create: the certificates in the order given, the key unpaired (no cert argument). */
static void build_openssl(EVP_PKEY *key, X509 *const *certs, int n, unsigned char **der, size_t *len)
{
	STACK_OF(X509) *cas = sk_X509_new_null();
	PKCS12 *p12;
	int out_len;

	assert_non_null(cas);
	for (int i = 0; i < n; i++)
		assert_true(sk_X509_push(cas, certs[i]) > 0);
	p12 = PKCS12_create(PASS, NULL, key, NULL, cas, NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
			    NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 2048, 2048, 0);
	assert_non_null(p12);
	*der = NULL;
	out_len = i2d_PKCS12(p12, der);
	assert_true(out_len > 0);
	*len = (size_t)out_len;
	PKCS12_free(p12);
	sk_X509_free(cas);
}

/* ---- decoding ---- */

static void test_decode_compat(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_file pfx;
	unsigned char *der = NULL, sha1[20];
	unsigned int sha1_len = 0;
	size_t len = 0;
	enum mkcsr_pfx_profile matched = MKCSR_PFX_MODERN;
	bool is_profile = false;

	build(fx, MKCSR_PFX_COMPAT, &der, &len);
	assert_true(pfxread_is_pfx(der, len));
	assert_err(pfxread_decode(PATH, der, len, PASS, &pfx), MKCSR_E_OK);
	assert_string_equal(pfx.path, PATH);
	assert_string_equal(pfx.mac, "HMAC-SHA1");
	assert_int_equal(pfx.mac_digest, NID_sha1);
	assert_int_equal(pfx.mac_iterations, PFX_ITERATIONS);

	/* The certificates' safe, encrypted; the key's, plain. */
	assert_int_equal(pfx.safe_count, 2);
	assert_true(pfx.safes[0].encrypted);
	assert_true(pfx.safes[0].pbe.triple_des);
	assert_false(pfx.safes[0].pbe.legacy);
	assert_string_equal(pfx.safes[0].pbe.text, "pbeWithSHA1And3-KeyTripleDES-CBC (3DES)");
	assert_int_equal(pfx.safes[0].pbe.iterations, PFX_ITERATIONS);
	assert_int_equal(pfx.safes[0].bag_count, 2);
	assert_false(pfx.safes[1].encrypted);
	assert_int_equal(pfx.safes[1].bag_count, 1);

	/* The bags and what each carries: friendlyName on the leaf's bag alone. */
	assert_int_equal(pfx.bag_count, 3);
	assert_int_equal(pfx.bags[0].kind, MKCSR_BAG_CERT);
	assert_int_equal(pfx.bags[0].safe, 1);
	assert_int_equal(pfx.bags[0].cert, 1);
	assert_string_equal(pfx.bags[0].friendly_name, "vpn.example.com");
	assert_int_equal(X509_digest(fx->leaf, EVP_sha1(), sha1, &sha1_len), 1);
	assert_int_equal(pfx.bags[0].local_key_id_len, 20);
	assert_memory_equal(pfx.bags[0].local_key_id, sha1, 20);
	assert_null(pfx.bags[0].csp_name);
	assert_int_equal(pfx.bags[1].kind, MKCSR_BAG_CERT);
	assert_int_equal(pfx.bags[1].cert, 2);
	assert_null(pfx.bags[1].friendly_name);
	assert_int_equal(pfx.bags[1].local_key_id_len, 0);
	assert_int_equal(pfx.bags[2].kind, MKCSR_BAG_SHROUDED_KEY);
	assert_int_equal(pfx.bags[2].safe, 2);
	assert_int_equal(pfx.bags[2].key, 1);
	assert_true(pfx.bags[2].encrypted);
	assert_true(pfx.bags[2].pbe.triple_des);
	assert_null(pfx.bags[2].friendly_name);
	assert_memory_equal(pfx.bags[2].local_key_id, sha1, 20);
	assert_string_equal(pfx.bags[2].csp_name, KSP);
	assert_true(pfx.bags[2].machine_keyset);
	assert_int_equal(pfx.bags[2].other_count, 0);
	assert_string_equal(pfxread_bag_kind_name(pfx.bags[2].kind), "shrouded key");

	assert_int_equal(pfx.certs.count, 2);
	assert_int_equal(X509_cmp(chain_x509(&pfx.certs.items[0]), fx->leaf), 0);
	assert_string_equal(pfx.certs.items[0].source, PATH);
	assert_int_equal(pfx.key_count, 1);
	assert_int_equal(EVP_PKEY_eq(pfx.keys[0], fx->key), 1);
	assert_int_equal(pfxread_windows(&pfx, &is_profile, &matched), MKCSR_PFX_COMPAT);
	assert_true(is_profile);
	assert_int_equal(matched, MKCSR_PFX_COMPAT);
	assert_string_equal(pfx.legacy_algorithm, "");
	pfxread_clear(&pfx);
	assert_int_equal(pfx.bag_count, 0);
	OPENSSL_free(der);
}

static void test_decode_modern(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_file pfx;
	unsigned char *der = NULL;
	size_t len = 0;
	enum mkcsr_pfx_profile matched = MKCSR_PFX_COMPAT;
	bool is_profile = false;

	build(fx, MKCSR_PFX_MODERN, &der, &len);
	assert_err(pfxread_decode(PATH, der, len, PASS, &pfx), MKCSR_E_OK);
	assert_string_equal(pfx.mac, "HMAC-SHA256");
	assert_true(pfx.safes[0].pbe.pbes2);
	assert_true(pfx.safes[0].pbe.aes256_sha256);
	assert_string_equal(pfx.safes[0].pbe.text, "PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256");
	assert_true(pfx.bags[2].pbe.aes256_sha256);
	assert_int_equal(pfxread_windows(&pfx, &is_profile, &matched), MKCSR_PFX_MODERN);
	assert_true(is_profile);
	assert_int_equal(matched, MKCSR_PFX_MODERN);
	pfxread_clear(&pfx);
	OPENSSL_free(der);
}

/* ---- what the commands take ---- */

static void test_parts_leaf_first(void **state)
{
	struct fx *fx = *state;
	X509 *shuffled[] = { fx->root, fx->leaf, fx->inter };
	struct mkcsr_pfx_file pfx;
	struct mkcsr_certset certs = { 0 };
	EVP_PKEY *key = NULL;
	unsigned char *der = NULL;
	size_t len = 0;

	/* The leaf in the middle, and no localKeyID to pair it: the key finds it. */
	build_openssl(fx->key, shuffled, 3, &der, &len);
	assert_err(pfxread_decode(PATH, der, len, PASS, &pfx), MKCSR_E_OK);
	assert_err(pfxread_parts(&pfx, &key, &certs), MKCSR_E_OK);
	pfxread_clear(&pfx);  /* the parts are the caller's */
	assert_non_null(key);
	assert_int_equal(EVP_PKEY_eq(key, fx->key), 1);
	assert_int_equal(certs.count, 3);
	assert_int_equal(X509_cmp(chain_x509(&certs.items[0]), fx->leaf), 0);
	assert_int_equal(X509_cmp(chain_x509(&certs.items[1]), fx->root), 0);
	assert_int_equal(X509_cmp(chain_x509(&certs.items[2]), fx->inter), 0);
	assert_string_equal(certs.items[2].source, PATH);
	chain_clear(&certs);
	EVP_PKEY_free(key);
	OPENSSL_free(der);
}

static void test_parts_without_key_or_certificate(void **state)
{
	struct fx *fx = *state;
	X509 *only[] = { fx->leaf };
	struct mkcsr_pfx_file pfx;
	struct mkcsr_certset certs = { 0 };
	EVP_PKEY *key = (EVP_PKEY *)fx;  /* set to NULL by the call */
	unsigned char *der = NULL;
	size_t len = 0;

	/* Certificates without a key: the leaf, no key. */
	build_openssl(NULL, only, 1, &der, &len);
	assert_err(pfxread_decode(PATH, der, len, PASS, &pfx), MKCSR_E_OK);
	assert_err(pfxread_parts(&pfx, &key, &certs), MKCSR_E_OK);
	assert_null(key);
	assert_int_equal(certs.count, 1);
	chain_clear(&certs);
	pfxread_clear(&pfx);
	OPENSSL_free(der);

	/* A key without certificates: an error naming the file. */
	build_openssl(fx->key, NULL, 0, &der, &len);
	assert_err(pfxread_decode(PATH, der, len, PASS, &pfx), MKCSR_E_OK);
	assert_int_equal(pfx.key_count, 1);
	assert_err(pfxread_parts(&pfx, &key, &certs), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'vpn.pfx' is a PFX that holds no certificate");
	assert_null(key);
	assert_int_equal(certs.count, 0);
	pfxread_clear(&pfx);
	OPENSSL_free(der);
}

/* ---- refusals ---- */

static void test_password_and_damage(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_file pfx;
	unsigned char *der = NULL;
	size_t len = 0;

	build(fx, MKCSR_PFX_COMPAT, &der, &len);
	assert_err(pfxread_decode(PATH, der, len, "wrong password", &pfx), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'vpn.pfx': the password is wrong (the PFX's integrity check failed)");
	assert_int_equal(pfx.bag_count, 0);
	assert_int_equal(pfx.certs.count, 0);
	assert_err(pfxread_decode(PATH, der, len, NULL, &pfx), MKCSR_E_SECRET_UNAVAILABLE);
	assert_string_equal(err_detail(), "'vpn.pfx' is a PFX: give its password with --pass SOURCE");
	assert_false(pfxread_is_pfx(der, len - 1));
	assert_false(pfxread_is_pfx(der, 0));
	assert_err(pfxread_decode(PATH, der, len - 1, PASS, &pfx), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'vpn.pfx' is not a PFX, or is damaged or truncated");
	ERR_clear_error();
	OPENSSL_free(der);
}

/* A PFX made with pass (NULL: none at all), with a MAC or not (mac_iter -1). */
static void build_unprotected(const struct fx *fx, const char *pass, int mac_iter, unsigned char **der, size_t *len)
{
	PKCS12 *p12 = PKCS12_create(pass, NULL, fx->key, fx->leaf, NULL, NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
				    NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 2048, mac_iter, 0);
	int out_len;

	assert_non_null(p12);
	*der = NULL;
	out_len = i2d_PKCS12(p12, der);
	assert_true(out_len > 0);
	*len = (size_t)out_len;
	PKCS12_free(p12);
}

/* Empty password, no password, no MAC: each opens without a password and with an empty one, and says so. */
static void test_no_password(void **state)
{
	static const char *const passes[] = { "", NULL };
	struct fx *fx = *state;
	struct mkcsr_pfx_file pfx;

	for (size_t i = 0; i < 2; i++) {
		for (int mac = 0; mac < 2; mac++) {
			unsigned char *der = NULL;
			size_t len = 0;

			build_unprotected(fx, passes[i], mac ? 2048 : -1, &der, &len);
			assert_err(pfxread_decode(PATH, der, len, NULL, &pfx), MKCSR_E_OK);
			assert_int_equal(pfx.certs.count, 1);
			assert_int_equal(pfx.key_count, 1);
			assert_true(pfx.no_password);
			assert_string_equal(pfxread_protection_note(&pfx),
					    mac ? "is not protected by a password: it opens with an empty one"
						: "is not protected by a password and has no integrity MAC: anyone can read it "
						  "or change it unnoticed");
			pfxread_clear(&pfx);
			assert_err(pfxread_decode(PATH, der, len, "", &pfx), MKCSR_E_OK);
			assert_true(pfx.no_password);
			pfxread_clear(&pfx);
			assert_err(pfxread_decode(PATH, der, len, "not-this-one", &pfx), MKCSR_E_MALFORMED);
			err_clear();
			OPENSSL_free(der);
		}
	}
}

/* A password and no MAC: the password is still needed, and the missing MAC is noted. */
static void test_password_without_mac(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_file pfx;
	unsigned char *der = NULL;
	size_t len = 0;

	build_unprotected(fx, PASS, -1, &der, &len);
	assert_err(pfxread_decode(PATH, der, len, NULL, &pfx), MKCSR_E_SECRET_UNAVAILABLE);
	assert_string_equal(err_detail(), "'vpn.pfx' is a PFX: give its password with --pass SOURCE");
	assert_err(pfxread_decode(PATH, der, len, "", &pfx), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'vpn.pfx': the password is wrong: the PFX does not open with an empty one");
	assert_err(pfxread_decode(PATH, der, len, PASS, &pfx), MKCSR_E_OK);
	assert_false(pfx.no_password);
	assert_string_equal(pfxread_protection_note(&pfx), "has no integrity MAC: a change to it cannot be detected "
							   "(its contents are encrypted with the password)");
	pfxread_clear(&pfx);
	OPENSSL_free(der);
	build(fx, MKCSR_PFX_COMPAT, &der, &len);
	assert_err(pfxread_decode(PATH, der, len, PASS, &pfx), MKCSR_E_OK);
	assert_null(pfxread_protection_note(&pfx));
	pfxread_clear(&pfx);
	err_clear();
	OPENSSL_free(der);
}

static void test_load_file(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_file pfx;
	unsigned char *der = NULL;
	size_t len = 0;
	char *dir = unit_tempdir(), *path, *pem;

	build(fx, MKCSR_PFX_COMPAT, &der, &len);
	path = unit_write_file(dir, "vpn.pfx", der, len);
	pem = unit_write_text(dir, "cert.pem", "-----BEGIN CERTIFICATE-----\n");
	assert_true(pfxread_file_is_pfx(path));
	assert_false(pfxread_file_is_pfx(pem));
	assert_false(pfxread_file_is_pfx("/nonexistent/vpn.pfx"));
	assert_err(pfxread_load(path, PASS, &pfx), MKCSR_E_OK);
	assert_int_equal(pfx.certs.count, 2);
	assert_string_equal(pfx.certs.items[1].source, path);
	pfxread_clear(&pfx);
	free(path);
	free(pem);
	unit_rmdir(dir);
	OPENSSL_free(der);
}

/* ---- encryption descriptions ---- */

static void test_describe_pbe(void **state)
{
	X509_ALGOR *alg;
	struct mkcsr_pbe pbe;

	(void)state;
	alg = PKCS5_pbe_set(NID_pbe_WithSHA1And40BitRC2_CBC, 2048, NULL, 0);
	assert_non_null(alg);
	pfxread_describe_pbe(alg, &pbe);
	assert_string_equal(pbe.text, "pbeWithSHA1And40BitRC2-CBC (RC2-40)");
	assert_true(pbe.legacy);
	assert_false(pbe.triple_des);
	assert_int_equal(pbe.iterations, 2048);
	X509_ALGOR_free(alg);

	alg = PKCS5_pbe2_set(EVP_aes_256_cbc(), 4096, NULL, 0);
	assert_non_null(alg);
	pfxread_describe_pbe(alg, &pbe);
	assert_string_equal(pbe.text, "PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256");
	assert_true(pbe.pbes2);
	assert_true(pbe.aes256_sha256);
	assert_false(pbe.legacy);
	assert_int_equal(pbe.iterations, 4096);
	X509_ALGOR_free(alg);

	pfxread_describe_pbe(NULL, &pbe);
	assert_string_equal(pbe.text, "(unreadable)");
	assert_int_equal(pbe.iterations, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_compat),
		cmocka_unit_test(test_decode_modern),
		cmocka_unit_test(test_parts_leaf_first),
		cmocka_unit_test(test_parts_without_key_or_certificate),
		cmocka_unit_test(test_password_and_damage),
		cmocka_unit_test(test_no_password),
		cmocka_unit_test(test_password_without_mac),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_describe_pbe),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
