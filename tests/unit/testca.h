#ifndef MKCSR_TESTCA_H
#define MKCSR_TESTCA_H

/*
 * An in-process PKI for the unit tests: EC P-256 keys and certificates
 * made with OpenSSL, each check failing the test that asked.
 */

#include <stdbool.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "unit.h"

static inline EVP_PKEY *testca_key(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");

	assert_non_null(key);
	return key;
}

/* cert's extension nid = value (OpenSSL's configuration syntax), with issuer for the key identifiers. */
static inline void testca_add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
	if (ext == NULL)
		fail_msg("extension %s = %s", OBJ_nid2sn(nid), value);
	assert_int_equal(X509_add_ext(cert, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

/*
 * A certificate for key named CN=cn (after o, when not NULL), issued by
 * issuer (whose key is issuer_key) or self-signed when issuer is NULL,
 * valid from a day ago for days days, with basicConstraints (critical,
 * CA or not) and nothing else: the caller adds what its tests need before
 * testca_sign.
 */
static inline X509 *testca_start(const char *o, const char *cn, EVP_PKEY *key, X509 *issuer, bool ca, long serial,
				 long days)
{
	X509 *cert = X509_new();
	X509_NAME *name = X509_NAME_new();

	assert_non_null(cert);
	assert_non_null(name);
	assert_int_equal(X509_set_version(cert, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial), 1);
	if (o != NULL)
		assert_int_equal(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)o, -1, -1, 0),
				 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0),
			 1);
	assert_int_equal(X509_set_subject_name(cert, name), 1);
	assert_int_equal(X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(cert), -86400));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(cert), days * 86400));
	assert_int_equal(X509_set_pubkey(cert, key), 1);
	testca_add_ext(cert, issuer ? issuer : cert, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	X509_NAME_free(name);
	return cert;
}

/* Signs cert with issuer_key, or with key when self-signed (issuer_key NULL), and returns it. */
static inline X509 *testca_sign(X509 *cert, EVP_PKEY *key, EVP_PKEY *issuer_key)
{
	assert_true(X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()) > 0);
	return cert;
}

#endif
