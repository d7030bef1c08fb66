/*
 * pfx: the PKCS#12 files Windows imports (windows-reference section 3),
 * built from an in-process key and chain, then taken apart again with
 * OpenSSL: MAC, the encryption of each safe, the bags in order and the
 * attributes on them.
 */
#include "unit.h"

#include <ctype.h>
#include <stdbool.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pfx.h"
#include "testca.h"

#define PASS "Str0ng-PFX-pass"
#define KSP "Microsoft Software Key Storage Provider"
/* "VPN – Müller 2027": an en dash and an umlaut, for the BMPString. */
#define FRIENDLY "VPN \xe2\x80\x93 M\xc3\xbcller 2027"

/* ---- an in-process chain ---- */

/* The chain's certificates: CN=cn and basicConstraints, valid for 90 days. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, bool ca)
{
	return testca_sign(testca_start(NULL, cn, key, issuer, ca, ca ? 1 : 2, 90), key, issuer_key);
}

struct fx {
	EVP_PKEY *key, *inter_key, *root_key;
	X509 *leaf, *inter, *root;
	STACK_OF(X509) *cas;   /* inter, root */
};

static int group_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	fx->key = testca_key();
	fx->inter_key = testca_key();
	fx->root_key = testca_key();
	fx->root = make_cert("PFX Root CA", fx->root_key, NULL, NULL, true);
	fx->inter = make_cert("PFX Issuing CA", fx->inter_key, fx->root, fx->root_key, true);
	fx->leaf = make_cert("vpn.example.com", fx->key, fx->inter, fx->inter_key, false);
	fx->cas = sk_X509_new_null();
	if (fx->cas == NULL || !sk_X509_push(fx->cas, fx->inter) || !sk_X509_push(fx->cas, fx->root))
		return -1;
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	struct fx *fx = *state;

	sk_X509_free(fx->cas);
	X509_free(fx->leaf);
	X509_free(fx->inter);
	X509_free(fx->root);
	EVP_PKEY_free(fx->root_key);
	EVP_PKEY_free(fx->inter_key);
	EVP_PKEY_free(fx->key);
	free(fx);
	return 0;
}

/* ---- building and taking apart ---- */

struct parsed {
	PKCS12 *p12;
	STACK_OF(PKCS7) *safes;
	int safe_nid[4];        /* NID_pkcs7_data or NID_pkcs7_encrypted */
	int safe_alg[4];        /* the encrypted safe's algorithm */
	PKCS12_SAFEBAG *certs[4];
	int ncerts;
	PKCS12_SAFEBAG *key;
	STACK_OF(PKCS12_SAFEBAG) *bags[4];
	int nbags;
};

/*
 * pfx_build on a copy of the fixture key, then decoded: every safe opened
 * with the password.
 */
static void build(const struct fx *fx, const struct mkcsr_pfx_options *opts, STACK_OF(X509) *cas, struct parsed *p)
{
	EVP_PKEY *key = EVP_PKEY_dup(fx->key);
	unsigned char *der = NULL;
	const unsigned char *q;
	size_t len = 0;

	memset(p, 0, sizeof(*p));
	assert_non_null(key);
	assert_err(pfx_build(key, fx->leaf, cas, PASS, opts, &der, &len), MKCSR_E_OK);
	assert_non_null(der);
	assert_true(len > 0);
	q = der;
	p->p12 = d2i_PKCS12(NULL, &q, (long)len);
	assert_non_null(p->p12);
	assert_ptr_equal(q, der + len);  /* nothing after it */
	OPENSSL_free(der);
	EVP_PKEY_free(key);

	p->safes = PKCS12_unpack_authsafes(p->p12);
	assert_non_null(p->safes);
	assert_true(sk_PKCS7_num(p->safes) >= 1 && sk_PKCS7_num(p->safes) <= 4);
	for (int i = 0; i < sk_PKCS7_num(p->safes); i++) {
		PKCS7 *safe = sk_PKCS7_value(p->safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags;

		p->safe_nid[i] = OBJ_obj2nid(safe->type);
		if (p->safe_nid[i] == NID_pkcs7_encrypted) {
			p->safe_alg[i] = OBJ_obj2nid(safe->d.encrypted->enc_data->algorithm->algorithm);
			bags = PKCS12_unpack_p7encdata(safe, PASS, -1);
		} else {
			assert_int_equal(p->safe_nid[i], NID_pkcs7_data);
			bags = PKCS12_unpack_p7data(safe);
		}
		assert_non_null(bags);
		p->bags[p->nbags++] = bags;
		for (int k = 0; k < sk_PKCS12_SAFEBAG_num(bags); k++) {
			PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, k);

			switch (PKCS12_SAFEBAG_get_nid(bag)) {
			case NID_certBag:
				assert_true(p->ncerts < 4);
				p->certs[p->ncerts++] = bag;
				break;
			case NID_pkcs8ShroudedKeyBag:
				assert_null(p->key);  /* one key */
				p->key = bag;
				break;
			default:
				fail_msg("unexpected bag %s", OBJ_nid2sn(PKCS12_SAFEBAG_get_nid(bag)));
			}
		}
	}
	assert_non_null(p->key);
}

static void parsed_free(struct parsed *p)
{
	for (int i = 0; i < p->nbags; i++)
		sk_PKCS12_SAFEBAG_pop_free(p->bags[i], PKCS12_SAFEBAG_free);
	sk_PKCS7_pop_free(p->safes, PKCS7_free);
	PKCS12_free(p->p12);
}

static const X509_ATTRIBUTE *find_attr(const PKCS12_SAFEBAG *bag, int nid)
{
	const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);

	for (int i = 0; i < sk_X509_ATTRIBUTE_num(attrs); i++) {
		const X509_ATTRIBUTE *attr = sk_X509_ATTRIBUTE_value(attrs, i);

		if (OBJ_obj2nid(X509_ATTRIBUTE_get0_object((X509_ATTRIBUTE *)(uintptr_t)attr)) == nid)
			return attr;
	}
	return NULL;
}

/* The attribute's single BMPString value, as UTF-8 (malloc'ed by OpenSSL). */
static char *bmp_attr(const PKCS12_SAFEBAG *bag, int nid)
{
	X509_ATTRIBUTE *attr = (X509_ATTRIBUTE *)(uintptr_t)find_attr(bag, nid);
	ASN1_TYPE *value;
	unsigned char *utf8 = NULL;

	if (attr == NULL)
		fail_msg("no %s attribute", OBJ_nid2sn(nid));
	assert_int_equal(X509_ATTRIBUTE_count(attr), 1);
	value = X509_ATTRIBUTE_get0_type(attr, 0);
	assert_non_null(value);
	assert_int_equal(value->type, V_ASN1_BMPSTRING);
	assert_true(ASN1_STRING_to_UTF8(&utf8, value->value.bmpstring) >= 0);
	return (char *)utf8;
}

static X509 *bag_cert(const PKCS12_SAFEBAG *bag)
{
	X509 *cert = PKCS12_SAFEBAG_get1_cert(bag);

	assert_non_null(cert);
	return cert;
}

static void expect_mac(const struct parsed *p, int md_nid)
{
	const ASN1_OCTET_STRING *mac = NULL, *salt = NULL;
	const X509_ALGOR *alg = NULL;
	const ASN1_INTEGER *iter = NULL;
	const ASN1_OBJECT *obj = NULL;

	assert_int_equal(PKCS12_mac_present(p->p12), 1);
	PKCS12_get0_mac(&mac, &alg, &salt, &iter, p->p12);
	assert_non_null(alg);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if (OBJ_obj2nid(obj) != md_nid)
		fail_msg("MAC digest %s, expected %s", OBJ_nid2sn(OBJ_obj2nid(obj)), OBJ_nid2sn(md_nid));
	assert_non_null(iter);
	assert_int_equal(ASN1_INTEGER_get(iter), PFX_ITERATIONS);
	assert_int_equal(PFX_ITERATIONS, 2048);
	assert_true(ASN1_STRING_length(salt) >= 8);
	assert_int_equal(ASN1_STRING_length(mac), md_nid == NID_sha1 ? 20 : 32);
	assert_int_equal(PKCS12_verify_mac(p->p12, PASS, -1), 1);
	assert_int_equal(PKCS12_verify_mac(p->p12, "wrong password", -1), 0);
	assert_int_equal(PKCS12_verify_mac(p->p12, "", 0), 0);
}

/* The key bag's algorithm: pbeWithSHAAnd3-KeyTripleDES-CBC, or PBES2 with PBKDF2 prf and cipher. */
static void expect_key_encryption(const struct parsed *p, int want_nid, int want_prf, int want_cipher)
{
	const X509_SIG *sig = PKCS12_SAFEBAG_get0_pkcs8(p->key);
	const X509_ALGOR *alg = NULL;
	const ASN1_OCTET_STRING *digest = NULL;
	const ASN1_OBJECT *obj = NULL;
	const void *param = NULL;
	int ptype = 0;

	assert_non_null(sig);
	X509_SIG_get0(sig, &alg, &digest);
	X509_ALGOR_get0(&obj, &ptype, &param, alg);
	if (OBJ_obj2nid(obj) != want_nid)
		fail_msg("key bag encrypted with %s, expected %s", OBJ_nid2sn(OBJ_obj2nid(obj)), OBJ_nid2sn(want_nid));
	assert_int_equal(ptype, V_ASN1_SEQUENCE);
	if (want_nid == NID_pbes2) {
		PBE2PARAM *pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
		PBKDF2PARAM *kdf;

		assert_non_null(pbe2);
		assert_int_equal(OBJ_obj2nid(pbe2->keyfunc->algorithm), NID_id_pbkdf2);
		if (OBJ_obj2nid(pbe2->encryption->algorithm) != want_cipher)
			fail_msg("PBES2 cipher %s, expected %s", OBJ_nid2sn(OBJ_obj2nid(pbe2->encryption->algorithm)),
				 OBJ_nid2sn(want_cipher));
		kdf = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter);
		assert_non_null(kdf);
		assert_int_equal(ASN1_INTEGER_get(kdf->iter), PFX_ITERATIONS);
		/* An absent prf means hmacWithSHA1. */
		if (kdf->prf == NULL || OBJ_obj2nid(kdf->prf->algorithm) != want_prf)
			fail_msg("PBKDF2 prf %s, expected %s",
				 kdf->prf ? OBJ_nid2sn(OBJ_obj2nid(kdf->prf->algorithm)) : "(default hmacWithSHA1)",
				 OBJ_nid2sn(want_prf));
		PBKDF2PARAM_free(kdf);
		PBE2PARAM_free(pbe2);
	} else {
		PBEPARAM *pbe = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), alg->parameter);

		assert_non_null(pbe);
		assert_int_equal(ASN1_INTEGER_get(pbe->iter), PFX_ITERATIONS);
		PBEPARAM_free(pbe);
	}
}

/* The key decrypts with the password and is the fixture's key. */
static void expect_key(const struct fx *fx, const struct parsed *p)
{
	PKCS8_PRIV_KEY_INFO *p8 = PKCS12_decrypt_skey(p->key, PASS, -1);
	EVP_PKEY *key;

	assert_non_null(p8);
	key = EVP_PKCS82PKEY(p8);
	assert_non_null(key);
	assert_int_equal(EVP_PKEY_eq(key, fx->key), 1);
	EVP_PKEY_free(key);
	PKCS8_PRIV_KEY_INFO_free(p8);
	assert_null(PKCS12_decrypt_skey(p->key, "wrong password", -1));
	ERR_clear_error();
}

/* Leaf, then the CAs in the order given; friendlyName on the leaf only, localKeyID on the leaf and the key. */
static void expect_certs(const struct fx *fx, const struct parsed *p, X509 *const *want, int n)
{
	unsigned char sha1[20];
	unsigned int sha1_len = 0;
	const ASN1_TYPE *leaf_id, *key_id;
	char *name;

	assert_int_equal(p->ncerts, n);
	for (int i = 0; i < n; i++) {
		X509 *cert = bag_cert(p->certs[i]);

		if (X509_cmp(cert, want[i]) != 0)
			fail_msg("certificate bag %d is not the expected certificate", i);
		X509_free(cert);
		if (i > 0) {
			assert_null(find_attr(p->certs[i], NID_localKeyID));
			assert_null(find_attr(p->certs[i], NID_friendlyName));
		}
	}

	/*
	 * friendlyName (a BMPString) on the leaf's bag only: on the key bag
	 * Windows would take it as the key container name.
	 */
	name = PKCS12_get_friendlyname(p->certs[0]);
	assert_non_null(name);
	assert_string_equal(name, FRIENDLY);
	OPENSSL_free(name);
	name = bmp_attr(p->certs[0], NID_friendlyName);
	assert_string_equal(name, FRIENDLY);
	OPENSSL_free(name);
	assert_null(find_attr(p->key, NID_friendlyName));

	/* localKeyID: the same on both, the SHA-1 of the certificate (what Windows pairs them by). */
	assert_int_equal(X509_digest(fx->leaf, EVP_sha1(), sha1, &sha1_len), 1);
	assert_int_equal(sha1_len, 20);
	leaf_id = PKCS12_SAFEBAG_get0_attr(p->certs[0], NID_localKeyID);
	key_id = PKCS12_SAFEBAG_get0_attr(p->key, NID_localKeyID);
	assert_non_null(leaf_id);
	assert_non_null(key_id);
	assert_int_equal(leaf_id->type, V_ASN1_OCTET_STRING);
	assert_int_equal(key_id->type, V_ASN1_OCTET_STRING);
	assert_int_equal(ASN1_STRING_length(leaf_id->value.octet_string), 20);
	assert_memory_equal(ASN1_STRING_get0_data(leaf_id->value.octet_string), sha1, 20);
	assert_int_equal(ASN1_STRING_cmp(leaf_id->value.octet_string, key_id->value.octet_string), 0);
}

/* The Windows attributes on the key bag: the CSP/KSP name and, when asked, the machine keyset mark. */
static void expect_windows_attrs(const struct parsed *p, const char *provider, bool machine_keyset)
{
	const X509_ATTRIBUTE *lks = find_attr(p->key, NID_LocalKeySet);

	assert_int_equal(OBJ_txt2nid("1.3.6.1.4.1.311.17.1"), NID_ms_csp_name);
	assert_int_equal(OBJ_txt2nid("1.3.6.1.4.1.311.17.2"), NID_LocalKeySet);
	if (provider != NULL) {
		char *csp = bmp_attr(p->key, NID_ms_csp_name);

		assert_string_equal(csp, provider);
		OPENSSL_free(csp);
	} else {
		assert_null(find_attr(p->key, NID_ms_csp_name));
	}
	if (machine_keyset) {
		/* 1.3.6.1.4.1.311.17.2 with an empty SET, as openssl pkcs12 -LMK and Windows write it. */
		assert_non_null(lks);
		assert_int_equal(X509_ATTRIBUTE_count(lks), 0);
	} else {
		assert_null(lks);
	}
	/* None of them on the certificates. */
	for (int i = 0; i < p->ncerts; i++) {
		assert_null(find_attr(p->certs[i], NID_ms_csp_name));
		assert_null(find_attr(p->certs[i], NID_LocalKeySet));
	}
}

/* ---- the profiles ---- */

static void test_compat(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_options opts = { .profile = MKCSR_PFX_COMPAT, .friendly_name = FRIENDLY, .provider = KSP,
					  .machine_keyset = true };
	X509 *const order[] = { fx->leaf, fx->inter, fx->root };
	struct parsed p;

	build(fx, &opts, fx->cas, &p);
	expect_mac(&p, NID_sha1);
	expect_key_encryption(&p, NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 0, 0);
	/* The certificates' safe is encrypted the same way. */
	for (int i = 0; i < sk_PKCS7_num(p.safes); i++)
		if (p.safe_nid[i] == NID_pkcs7_encrypted)
			assert_int_equal(p.safe_alg[i], NID_pbe_WithSHA1And3_Key_TripleDES_CBC);
	expect_key(fx, &p);
	expect_certs(fx, &p, order, 3);
	expect_windows_attrs(&p, KSP, true);
	parsed_free(&p);
}

static void test_modern(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_options opts = { .profile = MKCSR_PFX_MODERN, .friendly_name = FRIENDLY, .provider = KSP,
					  .machine_keyset = true };
	X509 *const order[] = { fx->leaf, fx->inter, fx->root };
	struct parsed p;
	bool encrypted_certs = false;

	build(fx, &opts, fx->cas, &p);
	expect_mac(&p, NID_sha256);
	expect_key_encryption(&p, NID_pbes2, NID_hmacWithSHA256, NID_aes_256_cbc);
	for (int i = 0; i < sk_PKCS7_num(p.safes); i++) {
		if (p.safe_nid[i] == NID_pkcs7_encrypted) {
			assert_int_equal(p.safe_alg[i], NID_pbes2);
			encrypted_certs = true;
		}
	}
	assert_true(encrypted_certs);
	expect_key(fx, &p);
	expect_certs(fx, &p, order, 3);
	expect_windows_attrs(&p, KSP, true);
	parsed_free(&p);
}

/* --provider and --no-machine-keyset; a leaf without CAs. */
static void test_attribute_choices(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_options opts = { .profile = MKCSR_PFX_COMPAT, .friendly_name = FRIENDLY,
					  .provider = "Microsoft Enhanced RSA and AES Cryptographic Provider",
					  .machine_keyset = false };
	struct parsed p;

	build(fx, &opts, NULL, &p);
	expect_certs(fx, &p, &fx->leaf, 1);
	expect_windows_attrs(&p, "Microsoft Enhanced RSA and AES Cryptographic Provider", false);
	parsed_free(&p);

	opts.profile = MKCSR_PFX_MODERN;
	opts.provider = NULL;
	opts.machine_keyset = true;
	build(fx, &opts, NULL, &p);
	expect_windows_attrs(&p, NULL, true);
	parsed_free(&p);
}

/* What every consumer does: PKCS12_parse gives back the key, the leaf and the CAs. */
static void test_parse_round_trip(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_options opts = { .profile = MKCSR_PFX_MODERN, .friendly_name = FRIENDLY, .provider = KSP,
					  .machine_keyset = true };
	EVP_PKEY *copy = EVP_PKEY_dup(fx->key), *key = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	unsigned char *der = NULL;
	const unsigned char *q;
	size_t len = 0;
	PKCS12 *p12;

	assert_err(pfx_build(copy, fx->leaf, fx->cas, PASS, &opts, &der, &len), MKCSR_E_OK);
	q = der;
	p12 = d2i_PKCS12(NULL, &q, (long)len);
	assert_non_null(p12);
	assert_int_equal(PKCS12_parse(p12, PASS, &key, &cert, &ca), 1);
	assert_int_equal(EVP_PKEY_eq(key, fx->key), 1);
	assert_int_equal(X509_cmp(cert, fx->leaf), 0);
	assert_int_equal(sk_X509_num(ca), 2);
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	key = NULL;
	cert = NULL;
	ca = NULL;
	/* The wrong password fails the MAC, so nothing comes out. */
	assert_int_equal(PKCS12_parse(p12, "wrong password", &key, &cert, &ca), 0);
	assert_null(key);
	assert_null(cert);
	ERR_clear_error();
	PKCS12_free(p12);
	OPENSSL_free(der);
	EVP_PKEY_free(copy);
}

/* A key that is not the certificate's: OpenSSL refuses, and so does pfx_build. */
static void test_key_mismatch(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_pfx_options opts = { .profile = MKCSR_PFX_COMPAT, .friendly_name = FRIENDLY };
	EVP_PKEY *other = testca_key();
	unsigned char *der = (unsigned char *)&opts;
	size_t len = 99;

	assert_err(pfx_build(other, fx->leaf, NULL, PASS, &opts, &der, &len), MKCSR_E_CRYPTO);
	assert_null(der);
	assert_int_equal(len, 0);
	assert_true(err_detail()[0] != '\0');
	ERR_clear_error();
	EVP_PKEY_free(other);
}

/* ---- thumbprint and profile names ---- */

static void test_thumbprint(void **state)
{
	struct fx *fx = *state;
	unsigned char md[20];
	unsigned int md_len = 0;
	char want[41], got[41];

	assert_int_equal(X509_digest(fx->leaf, EVP_sha1(), md, &md_len), 1);
	for (unsigned i = 0; i < md_len; i++)
		snprintf(want + 2 * i, 3, "%02X", md[i]);
	memset(got, 'x', sizeof(got));
	pfx_thumbprint(fx->leaf, got);
	assert_int_equal(strlen(got), 40);
	assert_string_equal(got, want);
	for (int i = 0; i < 40; i++)
		assert_true(isdigit((unsigned char)got[i]) || (got[i] >= 'A' && got[i] <= 'F'));
	pfx_thumbprint(fx->root, got);
	assert_string_not_equal(got, want);
}

static void test_profiles(void **state)
{
	enum mkcsr_pfx_profile profile = MKCSR_PFX_MODERN;

	(void)state;
	assert_err(pfx_parse_profile("compat", &profile), MKCSR_E_OK);
	assert_int_equal(profile, MKCSR_PFX_COMPAT);
	assert_err(pfx_parse_profile("modern", &profile), MKCSR_E_OK);
	assert_int_equal(profile, MKCSR_PFX_MODERN);
	assert_err(pfx_parse_profile("COMPAT", &profile), MKCSR_E_OK);
	assert_int_equal(profile, MKCSR_PFX_COMPAT);
	assert_err(pfx_parse_profile("Modern", &profile), MKCSR_E_OK);
	assert_int_equal(profile, MKCSR_PFX_MODERN);

	assert_err(pfx_parse_profile("legacy", &profile), MKCSR_E_BAD_FORMAT);
	assert_string_equal(err_detail(), "--profile 'legacy': use compat or modern");
	assert_int_equal(profile, MKCSR_PFX_MODERN);
	assert_err(pfx_parse_profile("", &profile), MKCSR_E_BAD_FORMAT);
	assert_err(pfx_parse_profile("aes", &profile), MKCSR_E_BAD_FORMAT);
	assert_int_equal(err_exit_code(MKCSR_E_BAD_FORMAT), MKCSR_EXIT_USAGE);

	/* The names round-trip; the summaries say what each is. */
	assert_string_equal(pfx_profile_key(MKCSR_PFX_COMPAT), "compat");
	assert_string_equal(pfx_profile_key(MKCSR_PFX_MODERN), "modern");
	assert_non_null(strstr(pfx_profile_algorithms(MKCSR_PFX_COMPAT), "3DES"));
	assert_non_null(strstr(pfx_profile_algorithms(MKCSR_PFX_COMPAT), "SHA-1 MAC"));
	assert_non_null(strstr(pfx_profile_algorithms(MKCSR_PFX_MODERN), "AES-256-CBC"));
	assert_non_null(strstr(pfx_profile_algorithms(MKCSR_PFX_MODERN), "HMAC-SHA256"));
	assert_true(pfx_profile_windows(MKCSR_PFX_COMPAT)[0] != '\0');
	assert_true(pfx_profile_windows(MKCSR_PFX_MODERN)[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compat),
		cmocka_unit_test(test_modern),
		cmocka_unit_test(test_attribute_choices),
		cmocka_unit_test(test_parse_round_trip),
		cmocka_unit_test(test_key_mismatch),
		cmocka_unit_test(test_thumbprint),
		cmocka_unit_test(test_profiles),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
