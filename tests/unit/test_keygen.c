/* keygen: key types, generation and the PKCS#8 key file. */
#include "unit.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "keygen.h"

static void test_parse_types(void **state)
{
	struct mkcsr_key_spec spec;

	assert_err(keygen_parse_type("ec:P-256", &spec), MKCSR_E_OK);
	assert_int_equal(spec.alg, MKCSR_KEY_EC);
	assert_int_equal(spec.bits, 256);
	assert_string_equal(spec.group, "prime256v1");
	assert_string_equal(spec.hash, "SHA256");
	assert_err(keygen_parse_type("EC:p-384", &spec), MKCSR_E_OK);
	assert_string_equal(spec.group, "secp384r1");
	assert_string_equal(spec.hash, "SHA384");
	assert_err(keygen_parse_type("ec:P-521", &spec), MKCSR_E_OK);
	assert_string_equal(spec.hash, "SHA512");
	assert_err(keygen_parse_type("rsa:3072", &spec), MKCSR_E_OK);
	assert_int_equal(spec.alg, MKCSR_KEY_RSA);
	assert_int_equal(spec.bits, 3072);
	assert_null(spec.curve);

	assert_err(keygen_parse_type("rsa:1024", &spec), MKCSR_E_BAD_KEY_TYPE);
	assert_string_equal(err_detail(), "'rsa:1024'");
	assert_err(keygen_parse_type("ec:P-224", &spec), MKCSR_E_BAD_KEY_TYPE);
	assert_err(keygen_parse_type("ed25519", &spec), MKCSR_E_BAD_KEY_TYPE);
	assert_err(keygen_parse_type("", &spec), MKCSR_E_BAD_KEY_TYPE);
}

static void test_default_is_certlm(void **state)
{
	struct mkcsr_key_spec spec;
	char buf[32];

	keygen_default(&spec);
	assert_int_equal(spec.alg, MKCSR_KEY_EC);
	assert_string_equal(spec.curve, "P-256");
	assert_string_equal(keygen_describe(&spec, buf, sizeof(buf)), "ECDSA P-256");
	assert_err(keygen_parse_type("rsa:2048", &spec), MKCSR_E_OK);
	assert_string_equal(keygen_describe(&spec, buf, sizeof(buf)), "RSA 2048");
}

/* The PEM OpenSSL's own encoder writes for key, optionally encrypted. */
static char *openssl_pkcs8(EVP_PKEY *key, size_t *len)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;

	assert_non_null(mem);
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(mem, key, NULL, NULL, 0, NULL, NULL), 1);
	n = BIO_get_mem_data(mem, &data);
	assert_true(n > 0);
	*len = (size_t)n;
	data = strndup(data, (size_t)n);
	BIO_free(mem);
	return data;
}

/* mkcsr assembles EC PKCS#8 itself (for speed): it must equal OpenSSL's encoder to the byte. */
static void check_ec_matches_encoder(const char *type)
{
	struct mkcsr_key_spec spec;
	EVP_PKEY *key = NULL;
	char *ours = NULL, *theirs;
	size_t ours_len = 0, theirs_len = 0;

	assert_err(keygen_parse_type(type, &spec), MKCSR_E_OK);
	assert_err(keygen_generate(&spec, &key), MKCSR_E_OK);
	assert_err(keygen_encode_private(&spec, key, NULL, 0, &ours, &ours_len), MKCSR_E_OK);
	theirs = openssl_pkcs8(key, &theirs_len);
	assert_int_equal(ours_len, theirs_len);
	assert_memory_equal(ours, theirs, ours_len);
	assert_true(strncmp(ours, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
	OPENSSL_clear_free(ours, ours_len);
	free(theirs);
	EVP_PKEY_free(key);
}

/*
 * Many keys per curve: a public point whose last octet ends in zero bits
 * (one key in two) once encoded wrongly, as a BIT STRING with unused bits.
 */
static void check_many(const char *type)
{
	for (int i = 0; i < 16; i++)
		check_ec_matches_encoder(type);
}

static void test_ec_pkcs8_p256(void **state) { check_many("ec:P-256"); }
static void test_ec_pkcs8_p384(void **state) { check_many("ec:P-384"); }
static void test_ec_pkcs8_p521(void **state) { check_many("ec:P-521"); }

static EVP_PKEY *read_key(const char *pem, size_t len, const char *pass)
{
	BIO *mem = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *key;

	assert_non_null(mem);
	key = PEM_read_bio_PrivateKey(mem, NULL, NULL, (void *)(uintptr_t)pass);
	BIO_free(mem);
	return key;
}

/* An encrypted key opens with its passphrase only, and holds the same key. */
static void test_encrypted_key(void **state)
{
	struct mkcsr_key_spec spec;
	EVP_PKEY *key = NULL, *back = NULL;
	char *pem = NULL;
	size_t len = 0;
	BIO *mem;
	X509_SIG *sig;
	const X509_ALGOR *alg;
	const ASN1_OBJECT *oid;

	keygen_default(&spec);
	assert_err(keygen_generate(&spec, &key), MKCSR_E_OK);
	assert_err(keygen_encode_private(&spec, key, "correct horse", 13, &pem, &len), MKCSR_E_OK);
	assert_true(strncmp(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n", 38) == 0);

	/* PBES2 is the algorithm; details (PBKDF2, AES-256-CBC) are in its parameters. */
	mem = BIO_new_mem_buf(pem, (int)len);
	sig = PEM_read_bio_PKCS8(mem, NULL, NULL, NULL);
	assert_non_null(sig);
	X509_SIG_get0(sig, &alg, NULL);
	X509_ALGOR_get0(&oid, NULL, NULL, alg);
	assert_int_equal(OBJ_obj2nid(oid), NID_pbes2);
	X509_SIG_free(sig);
	BIO_free(mem);

	ERR_set_mark();
	assert_null(read_key(pem, len, "wrong"));
	ERR_pop_to_mark();
	back = read_key(pem, len, "correct horse");
	assert_non_null(back);
	assert_int_equal(EVP_PKEY_eq(key, back), 1);

	EVP_PKEY_free(back);
	EVP_PKEY_free(key);
	OPENSSL_clear_free(pem, len);
}

/* The encryption the header promises: PBKDF2 with HMAC-SHA256 and KEYGEN_PBKDF2_ITERATIONS, AES-256-CBC. */
static void test_encrypted_key_parameters(void **state)
{
	struct mkcsr_key_spec spec;
	EVP_PKEY *key = NULL;
	char *pem = NULL;
	size_t len = 0;
	BIO *mem;
	X509_SIG *sig;
	const X509_ALGOR *alg;
	const ASN1_OBJECT *oid;
	const void *param = NULL;
	int ptype = 0;
	PBE2PARAM *pbe2;
	PBKDF2PARAM *kdf;

	keygen_default(&spec);
	assert_err(keygen_generate(&spec, &key), MKCSR_E_OK);
	assert_err(keygen_encode_private(&spec, key, "correct horse", 13, &pem, &len), MKCSR_E_OK);
	mem = BIO_new_mem_buf(pem, (int)len);
	sig = PEM_read_bio_PKCS8(mem, NULL, NULL, NULL);
	assert_non_null(sig);
	X509_SIG_get0(sig, &alg, NULL);
	X509_ALGOR_get0(&oid, &ptype, &param, alg);
	assert_int_equal(ptype, V_ASN1_SEQUENCE);
	pbe2 = ASN1_item_unpack(param, ASN1_ITEM_rptr(PBE2PARAM));
	assert_non_null(pbe2);
	X509_ALGOR_get0(&oid, NULL, NULL, pbe2->encryption);
	assert_int_equal(OBJ_obj2nid(oid), NID_aes_256_cbc);
	X509_ALGOR_get0(&oid, &ptype, &param, pbe2->keyfunc);
	assert_int_equal(OBJ_obj2nid(oid), NID_id_pbkdf2);
	kdf = ASN1_item_unpack(param, ASN1_ITEM_rptr(PBKDF2PARAM));
	assert_non_null(kdf);
	assert_int_equal(ASN1_INTEGER_get(kdf->iter), KEYGEN_PBKDF2_ITERATIONS);
	/* HMAC-SHA1 is the default PRF and would be left out: SHA-256 must be named. */
	assert_non_null(kdf->prf);
	X509_ALGOR_get0(&oid, NULL, NULL, kdf->prf);
	assert_int_equal(OBJ_obj2nid(oid), NID_hmacWithSHA256);

	PBKDF2PARAM_free(kdf);
	PBE2PARAM_free(pbe2);
	X509_SIG_free(sig);
	BIO_free(mem);
	EVP_PKEY_free(key);
	OPENSSL_clear_free(pem, len);
}

static void test_rsa_key(void **state)
{
	struct mkcsr_key_spec spec;
	EVP_PKEY *key = NULL, *back;
	char *pem = NULL;
	size_t len = 0;

	assert_err(keygen_parse_type("rsa:2048", &spec), MKCSR_E_OK);
	assert_err(keygen_generate(&spec, &key), MKCSR_E_OK);
	assert_int_equal(EVP_PKEY_get_bits(key), 2048);
	assert_true(EVP_PKEY_is_a(key, "RSA"));
	assert_err(keygen_encode_private(&spec, key, NULL, 0, &pem, &len), MKCSR_E_OK);
	back = read_key(pem, len, NULL);
	assert_non_null(back);
	assert_int_equal(EVP_PKEY_eq(key, back), 1);
	EVP_PKEY_free(back);
	EVP_PKEY_free(key);
	OPENSSL_clear_free(pem, len);
}

/* A generated EC key is on the requested curve, with an uncompressed public point. */
static void test_ec_key_shape(void **state)
{
	struct mkcsr_key_spec spec;
	EVP_PKEY *key = NULL;
	char group[64];
	unsigned char point[200];
	size_t point_len = 0;

	assert_err(keygen_parse_type("ec:P-384", &spec), MKCSR_E_OK);
	assert_err(keygen_generate(&spec, &key), MKCSR_E_OK);
	assert_int_equal(EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL), 1);
	assert_string_equal(group, "secp384r1");
	assert_int_equal(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof(point),
							 &point_len), 1);
	assert_int_equal(point_len, 97);
	assert_int_equal(point[0], 0x04);
	EVP_PKEY_free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_types),   cmocka_unit_test(test_default_is_certlm),
		cmocka_unit_test(test_ec_pkcs8_p256), cmocka_unit_test(test_ec_pkcs8_p384),
		cmocka_unit_test(test_ec_pkcs8_p521), cmocka_unit_test(test_encrypted_key),
		cmocka_unit_test(test_rsa_key),       cmocka_unit_test(test_ec_key_shape),
		cmocka_unit_test(test_encrypted_key_parameters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
