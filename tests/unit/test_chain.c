/*
 * chain: certificates in every form a CA hands out, built here from a small
 * in-process PKI (root -> intermediate -> leaf) and written in each format;
 * finding the leaf, ordering its issuers, and the name and time texts.
 */
#include "unit.h"

#include <pthread.h>
#include <stdbool.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "testca.h"

/* ---- an in-process PKI ---- */

/*
 * A certificate for key named CN=cn, issued by issuer (whose key is
 * issuer_key), or self-signed when issuer is NULL.  CAs get basic
 * constraints and keyCertSign; every certificate an SKI, issued ones an AKI.
 */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, bool ca, long serial)
{
	X509 *cert = testca_start("mkcsr unit", cn, key, issuer, ca, serial, 365);

	testca_add_ext(cert, issuer ? issuer : cert, NID_subject_key_identifier, "hash");
	if (issuer != NULL)
		testca_add_ext(cert, issuer, NID_authority_key_identifier, "keyid");
	testca_add_ext(cert, NULL, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
	if (!ca)
		testca_add_ext(cert, NULL, NID_ext_key_usage, "serverAuth");
	return testca_sign(cert, key, issuer_key);
}

struct pki {
	char *dir;
	EVP_PKEY *root_key, *inter_key, *leaf_key;
	X509 *root, *inter, *leaf;
};

static int setup(void **state)
{
	struct pki *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->dir = unit_tempdir();
	p->root_key = testca_key();
	p->inter_key = testca_key();
	p->leaf_key = testca_key();
	p->root = make_cert("Unit Root CA", p->root_key, NULL, NULL, true, 1);
	p->inter = make_cert("Unit Issuing CA", p->inter_key, p->root, p->root_key, true, 2);
	p->leaf = make_cert("vpn.example.com", p->leaf_key, p->inter, p->inter_key, false, 3);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pki *p = *state;

	X509_free(p->leaf);
	X509_free(p->inter);
	X509_free(p->root);
	EVP_PKEY_free(p->leaf_key);
	EVP_PKEY_free(p->inter_key);
	EVP_PKEY_free(p->root_key);
	unit_rmdir(p->dir);
	free(p);
	return 0;
}

/* ---- writing the formats ---- */

static char *bio_text(BIO *mem)
{
	char *data = NULL, *copy;
	long n = BIO_get_mem_data(mem, &data);

	assert_true(n > 0);
	copy = malloc((size_t)n + 1);
	assert_non_null(copy);
	memcpy(copy, data, (size_t)n);
	copy[n] = '\0';
	return copy;
}

static char *pem_of(X509 *cert)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *text;

	assert_int_equal(PEM_write_bio_X509(mem, cert), 1);
	text = bio_text(mem);
	BIO_free(mem);
	return text;
}

/* The PEM of several certificates, in order, with what between them (may be ""). */
static char *pem_many(const char *between, X509 *const *certs, int n)
{
	char *out = strdup("");

	assert_non_null(out);
	for (int i = 0; i < n; i++) {
		char *one = pem_of(certs[i]), *joined = NULL;

		assert_true(asprintf(&joined, "%s%s%s", out, between, one) > 0);
		free(one);
		free(out);
		out = joined;
	}
	return out;
}

/* A certificates-only PKCS#7 SignedData, as "openssl crl2pkcs7 -nocrl" and AD CS write it. */
static PKCS7 *make_p7(X509 *const *certs, int n)
{
	PKCS7 *p7 = PKCS7_new();

	assert_non_null(p7);
	assert_int_equal(PKCS7_set_type(p7, NID_pkcs7_signed), 1);
	assert_int_equal(PKCS7_content_new(p7, NID_pkcs7_data), 1);
	for (int i = 0; i < n; i++)
		assert_int_equal(PKCS7_add_certificate(p7, certs[i]), 1);
	return p7;
}

static char *write_p7_pem(const char *dir, const char *name, X509 *const *certs, int n)
{
	PKCS7 *p7 = make_p7(certs, n);
	BIO *mem = BIO_new(BIO_s_mem());
	char *text, *path;

	assert_int_equal(PEM_write_bio_PKCS7(mem, p7), 1);
	text = bio_text(mem);
	assert_non_null(strstr(text, "-----BEGIN PKCS7-----"));
	path = unit_write_text(dir, name, text);
	free(text);
	BIO_free(mem);
	PKCS7_free(p7);
	return path;
}

static char *write_p7_der(const char *dir, const char *name, X509 *const *certs, int n)
{
	PKCS7 *p7 = make_p7(certs, n);
	unsigned char *der = NULL;
	int len = i2d_PKCS7(p7, &der);
	char *path;

	assert_true(len > 0);
	path = unit_write_file(dir, name, der, (size_t)len);
	OPENSSL_free(der);
	PKCS7_free(p7);
	return path;
}

static char *write_der(const char *dir, const char *name, X509 *cert)
{
	unsigned char *der = NULL;
	int len = i2d_X509(cert, &der);
	char *path;

	assert_true(len > 0);
	path = unit_write_file(dir, name, der, (size_t)len);
	OPENSSL_free(der);
	return path;
}

/* ---- assertions ---- */

static void expect_set(const struct mkcsr_certset *set, X509 *const *want, int n)
{
	if (set->count != (size_t)n)
		fail_msg("%zu certificates loaded, expected %d", set->count, n);
	for (int i = 0; i < n; i++)
		if (X509_cmp(chain_x509(&set->items[i]), want[i]) != 0)
			fail_msg("certificate %d is not the expected one", i);
}

static void expect_detail_has(const char *needle)
{
	if (strstr(err_detail(), needle) == NULL)
		fail_msg("detail '%s' does not name '%s'", err_detail(), needle);
}

static void expect_load_fails(const char *path, enum mkcsr_err want, const char *what)
{
	struct mkcsr_certset set = { 0 };

	assert_err(chain_load(&set, path), want);
	expect_detail_has(path);
	if (what != NULL)
		expect_detail_has(what);
	chain_clear(&set);
}

/* ---- loading ---- */

static void test_load_pem_many(void **state)
{
	struct pki *p = *state;
	X509 *const order[] = { p->root, p->leaf, p->inter };
	char *text = pem_many("", order, 3), *path = unit_write_text(p->dir, "shuffled.pem", text);
	struct mkcsr_certset set = { 0 };

	assert_err(chain_load(&set, path), MKCSR_E_OK);
	/* Kept in file order; each remembers its file (the very pointer given). */
	expect_set(&set, order, 3);
	for (size_t i = 0; i < set.count; i++)
		assert_ptr_equal(set.items[i].source, path);
	chain_clear(&set);
	assert_null(set.items);
	assert_int_equal(set.count, 0);
	free(path);
	free(text);
}

/* Text around the blocks (openssl x509 -text, pkcs12 "Bag Attributes") and CRLF line ends. */
static void test_load_pem_with_text_and_crlf(void **state)
{
	struct pki *p = *state;
	X509 *const order[] = { p->leaf, p->inter };
	char *text = pem_many("Bag Attributes\n    friendlyName: vpn\nsubject=CN = vpn.example.com\n\n", order, 2);
	char *crlf = malloc(strlen(text) * 2 + 1), *q = crlf, *path, *crlf_path;
	struct mkcsr_certset set = { 0 };

	assert_non_null(crlf);
	for (const char *c = text; *c; c++) {
		if (*c == '\n')
			*q++ = '\r';
		*q++ = *c;
	}
	*q = '\0';
	path = unit_write_text(p->dir, "annotated.pem", text);
	crlf_path = unit_write_text(p->dir, "annotated-crlf.pem", crlf);

	assert_err(chain_load(&set, path), MKCSR_E_OK);
	expect_set(&set, order, 2);
	chain_clear(&set);
	assert_err(chain_load(&set, crlf_path), MKCSR_E_OK);
	expect_set(&set, order, 2);
	chain_clear(&set);
	free(crlf_path);
	free(path);
	free(crlf);
	free(text);
}

/* Notepad's UTF-8 byte order mark before the first block does not hide it. */
static void test_load_pem_bom(void **state)
{
	struct pki *p = *state;
	X509 *const order[] = { p->leaf, p->inter };
	char *text = pem_many("", order, 2), *bom = NULL, *path;
	struct mkcsr_certset set = { 0 };

	assert_true(asprintf(&bom, "\xef\xbb\xbf%s", text) > 0);
	path = unit_write_text(p->dir, "notepad.pem", bom);
	assert_err(chain_load(&set, path), MKCSR_E_OK);
	expect_set(&set, order, 2);
	chain_clear(&set);
	free(path);
	free(bom);
	free(text);
}

/* The other PEM labels for a certificate. */
static void test_load_pem_labels(void **state)
{
	struct pki *p = *state;
	BIO *mem = BIO_new(BIO_s_mem());
	X509 *trusted = X509_dup(p->root);
	unsigned char *der = NULL;
	int der_len = i2d_X509(p->leaf, &der);
	char *text, *path;
	struct mkcsr_certset set = { 0 };
	X509 *const want[] = { p->root, p->leaf };

	/* TRUSTED CERTIFICATE (openssl x509 -trustout), with its auxiliary trust settings. */
	assert_non_null(trusted);
	assert_int_equal(X509_add1_trust_object(trusted, OBJ_nid2obj(NID_server_auth)), 1);
	assert_int_equal(PEM_write_bio_X509_AUX(mem, trusted), 1);
	/* The old "X509 CERTIFICATE" label. */
	assert_true(der_len > 0);
	assert_true(PEM_write_bio(mem, "X509 CERTIFICATE", "", der, der_len) > 0);
	text = bio_text(mem);
	assert_non_null(strstr(text, "-----BEGIN TRUSTED CERTIFICATE-----"));
	assert_non_null(strstr(text, "-----BEGIN X509 CERTIFICATE-----"));
	path = unit_write_text(p->dir, "labels.pem", text);

	assert_err(chain_load(&set, path), MKCSR_E_OK);
	expect_set(&set, want, 2);
	chain_clear(&set);
	free(path);
	free(text);
	OPENSSL_free(der);
	X509_free(trusted);
	BIO_free(mem);
}

static void test_load_der(void **state)
{
	struct pki *p = *state;
	char *path = write_der(p->dir, "vpn.cer", p->leaf);
	struct mkcsr_certset set = { 0 };

	assert_err(chain_load(&set, path), MKCSR_E_OK);
	expect_set(&set, &p->leaf, 1);
	assert_ptr_equal(set.items[0].source, path);
	chain_clear(&set);
	free(path);
}

static void test_load_pkcs7(void **state)
{
	struct pki *p = *state;
	X509 *const order[] = { p->leaf, p->inter, p->root };
	char *pem = write_p7_pem(p->dir, "chain.p7b", order, 3);
	char *der = write_p7_der(p->dir, "chain-der.p7b", order, 3);
	struct mkcsr_certset set = { 0 };

	assert_err(chain_load(&set, pem), MKCSR_E_OK);
	expect_set(&set, order, 3);
	assert_ptr_equal(set.items[2].source, pem);
	chain_clear(&set);

	assert_err(chain_load(&set, der), MKCSR_E_OK);
	expect_set(&set, order, 3);
	assert_ptr_equal(set.items[0].source, der);
	chain_clear(&set);
	free(der);
	free(pem);
}

/* Several files into one set: the leaf file and a fullchain share the leaf, which is kept once. */
static void test_duplicates_collapse(void **state)
{
	struct pki *p = *state;
	X509 *const fullchain[] = { p->leaf, p->inter };
	X509 *const twice[] = { p->inter, p->inter, p->root, p->inter };
	X509 *const want[] = { p->leaf, p->inter, p->root };
	char *leaf_path = write_der(p->dir, "leaf.cer", p->leaf);
	char *text = pem_many("", fullchain, 2), *full_path = unit_write_text(p->dir, "fullchain.pem", text);
	char *twice_text = pem_many("\n", twice, 4), *twice_path = unit_write_text(p->dir, "twice.pem", twice_text);
	char *p7 = write_p7_der(p->dir, "again.p7b", fullchain, 2);
	struct mkcsr_certset set = { 0 };

	assert_err(chain_load(&set, leaf_path), MKCSR_E_OK);
	assert_err(chain_load(&set, full_path), MKCSR_E_OK);
	assert_err(chain_load(&set, twice_path), MKCSR_E_OK);
	assert_err(chain_load(&set, p7), MKCSR_E_OK);
	expect_set(&set, want, 3);
	/* The first file a certificate came from is the one named. */
	assert_ptr_equal(set.items[0].source, leaf_path);
	assert_ptr_equal(set.items[1].source, full_path);
	assert_ptr_equal(set.items[2].source, twice_path);
	/* The same file again adds nothing. */
	assert_err(chain_load(&set, full_path), MKCSR_E_OK);
	assert_int_equal(set.count, 3);
	chain_clear(&set);
	free(p7);
	free(twice_path);
	free(twice_text);
	free(full_path);
	free(text);
	free(leaf_path);
}

/* PEM text with the base64 of the block number `which` (from 0) cut to keep_lines lines. */
static char *cut_block(const char *text, int which, int keep_lines)
{
	const char *begin = text;
	char *out;
	const char *cut, *end;

	for (int i = 0; i <= which; i++) {
		begin = strstr(i == 0 ? begin : begin + 1, "-----BEGIN");
		assert_non_null(begin);
	}
	cut = strchr(begin, '\n') + 1;  /* past the BEGIN line */
	for (int i = 0; i < keep_lines; i++)
		cut = strchr(cut, '\n') + 1;
	end = strstr(cut, "-----END");
	assert_non_null(end);
	assert_true(asprintf(&out, "%.*s%s", (int)(cut - text), text, end) > 0);
	return out;
}

static void test_damaged_pem(void **state)
{
	struct pki *p = *state;
	X509 *const pair[] = { p->leaf, p->inter };
	char *good = pem_many("", pair, 2);
	char *first = cut_block(good, 0, 3), *second = cut_block(good, 1, 3);
	char *badchar = strdup(good);
	char *first_path = unit_write_text(p->dir, "cut-first.pem", first);
	char *second_path = unit_write_text(p->dir, "cut-second.pem", second);
	char *badchar_path, *truncated, *truncated_path;

	/* Whole lines of base64 cut out: the DER inside is truncated. */
	expect_load_fails(first_path, MKCSR_E_MALFORMED, "certificate 1 is damaged");
	expect_load_fails(second_path, MKCSR_E_MALFORMED, "certificate 2 is damaged");
	assert_int_equal(err_exit_code(MKCSR_E_MALFORMED), MKCSR_EXIT_INPUT);

	/* A PKCS7 block whose content is not PKCS#7 (a certificate relabelled). */
	{
		char *relabelled = pem_of(p->leaf), *label;

		while ((label = strstr(relabelled, "CERTIFICATE-----")) != NULL) {
			char *fixed = NULL;

			assert_true(asprintf(&fixed, "%.*sPKCS7-----%s", (int)(label - relabelled), relabelled,
					     label + strlen("CERTIFICATE-----")) > 0);
			free(relabelled);
			relabelled = fixed;
		}
		free(first_path);
		first_path = unit_write_text(p->dir, "not-p7.p7b", relabelled);
		expect_load_fails(first_path, MKCSR_E_MALFORMED, "the PKCS#7 bundle is damaged");
		free(relabelled);
	}

	/* A character that is not base64 in the second block. */
	assert_non_null(badchar);
	{
		char *second_begin = strstr(strstr(badchar, "-----END") + 1, "-----BEGIN");
		char *body = strchr(second_begin, '\n') + 1;

		body[10] = '!';
	}
	badchar_path = unit_write_text(p->dir, "badchar.pem", badchar);
	expect_load_fails(badchar_path, MKCSR_E_MALFORMED, "the PEM block after certificate 1 is damaged or truncated");

	/* A download cut off inside the second block (no END line): not one certificate and success. */
	truncated = strdup(good);
	assert_non_null(truncated);
	truncated[strstr(strstr(truncated, "-----END") + 1, "-----BEGIN") - truncated + 200] = '\0';
	truncated_path = unit_write_text(p->dir, "truncated.pem", truncated);
	expect_load_fails(truncated_path, MKCSR_E_MALFORMED, "the PEM block after certificate 1 is damaged or truncated");
	/* The same cut in the first block: nothing to show, so "holds no certificate". */
	truncated[strstr(truncated, "-----BEGIN") - truncated + 200] = '\0';
	free(truncated_path);
	truncated_path = unit_write_text(p->dir, "truncated-first.pem", truncated);
	expect_load_fails(truncated_path, MKCSR_E_MALFORMED, "holds no certificate: it is damaged or truncated");

	free(truncated_path);
	free(truncated);
	free(badchar_path);
	free(badchar);
	free(second_path);
	free(first_path);
	free(second);
	free(first);
	free(good);
}

/* The fixture cut after four and a half lines. */
static void test_damaged_fixture(void **state)
{
	const char *srcdir = getenv("TESTS_SRCDIR");
	char *path = NULL;

	(void)state;
	if (srcdir == NULL || srcdir[0] == '\0')
		fail_msg("TESTS_SRCDIR is not set: run the unit tests through 'make check' "
			 "or set it to the source tree's tests directory");
	assert_true(asprintf(&path, "%s/data/certs/malformed.pem", srcdir) > 0);
	expect_load_fails(path, MKCSR_E_MALFORMED, NULL);
	free(path);
}

static void test_no_certificates(void **state)
{
	struct pki *p = *state;
	BIO *mem = BIO_new(BIO_s_mem());
	char *key_pem, *key_path, *text_path, *der_key_path, *csr_path, *empty_p7, *empty_path, *missing = NULL;
	unsigned char *der = NULL;
	int der_len;
	X509_REQ *req = X509_to_X509_REQ(p->leaf, p->leaf_key, EVP_sha256());

	/* A key where a certificate was expected. */
	assert_int_equal(PEM_write_bio_PrivateKey(mem, p->leaf_key, NULL, NULL, 0, NULL, NULL), 1);
	key_pem = bio_text(mem);
	key_path = unit_write_text(p->dir, "vpn.key", key_pem);
	expect_load_fails(key_path, MKCSR_E_MALFORMED, "holds no certificate: it is a private key");

	/* The request instead of the issued certificate. */
	assert_non_null(req);
	(void)BIO_reset(mem);
	assert_int_equal(PEM_write_bio_X509_REQ(mem, req), 1);
	free(key_pem);
	key_pem = bio_text(mem);
	csr_path = unit_write_text(p->dir, "vpn.csr", key_pem);
	expect_load_fails(csr_path, MKCSR_E_MALFORMED, "holds no certificate: it is a certificate request");

	/* Plain text, and DER that is not a certificate. */
	text_path = unit_write_text(p->dir, "notes.txt", "the certificate will follow by mail\n");
	expect_load_fails(text_path, MKCSR_E_MALFORMED, "holds no certificate: it is not a PEM or DER file");
	der_len = i2d_PrivateKey(p->leaf_key, &der);
	assert_true(der_len > 0);
	der_key_path = unit_write_file(p->dir, "vpn-key.der", der, (size_t)der_len);
	expect_load_fails(der_key_path, MKCSR_E_MALFORMED, "holds no certificate: it is a private key");

	/* A PKCS#7 bundle with no certificate in it. */
	empty_path = write_p7_pem(p->dir, "empty.p7b", NULL, 0);
	expect_load_fails(empty_path, MKCSR_E_MALFORMED, "holds no certificate");
	empty_p7 = write_p7_der(p->dir, "empty-der.p7b", NULL, 0);
	expect_load_fails(empty_p7, MKCSR_E_MALFORMED, "holds no certificate");

	/* An empty file and a missing one. */
	free(text_path);
	text_path = unit_write_file(p->dir, "empty.pem", "", 0);
	expect_load_fails(text_path, MKCSR_E_MALFORMED, "is empty");
	assert_true(asprintf(&missing, "%s/missing.pem", p->dir) > 0);
	expect_load_fails(missing, MKCSR_E_READ, NULL);

	free(missing);
	free(empty_p7);
	free(empty_path);
	free(der_key_path);
	OPENSSL_free(der);
	free(text_path);
	free(csr_path);
	free(key_path);
	free(key_pem);
	X509_REQ_free(req);
	BIO_free(mem);
}

/* A failed load keeps what was loaded before and leaks nothing. */
static void test_failed_load_keeps_set(void **state)
{
	struct pki *p = *state;
	X509 *const pair[] = { p->leaf, p->inter };
	char *good = pem_many("", pair, 2), *cut = cut_block(good, 1, 2);
	char *root_path = write_der(p->dir, "root.cer", p->root), *cut_path = unit_write_text(p->dir, "cut.pem", cut);
	struct mkcsr_certset set = { 0 };

	assert_err(chain_load(&set, root_path), MKCSR_E_OK);
	assert_err(chain_load(&set, cut_path), MKCSR_E_MALFORMED);
	assert_true(set.count >= 1);
	assert_int_equal(X509_cmp(chain_x509(&set.items[0]), p->root), 0);
	chain_clear(&set);
	free(cut_path);
	free(root_path);
	free(cut);
	free(good);
}

/* A file already in memory reads as the file does, with the name given as source; no NUL needed after it. */
static void test_load_buffer(void **state)
{
	struct pki *p = *state;
	X509 *const order[] = { p->root, p->leaf, p->inter };
	char *text = pem_many("", order, 3);
	size_t len = strlen(text);
	unsigned char *copy = malloc(len);
	struct mkcsr_certset set = { 0 };

	assert_non_null(copy);
	memcpy(copy, text, len);
	assert_err(chain_load_buffer(&set, copy, len, "in memory"), MKCSR_E_OK);
	expect_set(&set, order, 3);
	assert_string_equal(set.items[0].source, "in memory");
	/* Again: every one is a duplicate. */
	assert_err(chain_load_buffer(&set, copy, len, "again"), MKCSR_E_OK);
	assert_int_equal(set.count, 3);
	chain_clear(&set);
	assert_err(chain_load_buffer(&set, copy, 0, "nothing"), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'nothing' is empty");
	chain_clear(&set);
	free(copy);
	free(text);
}

/*
 * A set filled with chain_append (as pfxread fills a PFX's, which mkcsr pfx
 * then adds --chain files to) grows safely when a file is loaded into it:
 * under AddressSanitizer a write past its end fails this test.
 */
static void test_load_into_exact_set(void **state)
{
	struct pki *p = *state;
	X509 *const from_pfx[] = { p->leaf, p->root, p->inter };
	EVP_PKEY *key = testca_key();
	X509 *extra = make_cert("extra.example.com", key, p->inter, p->inter_key, false, 77);
	X509 *const chain_file[] = { p->inter, extra };
	X509 *const want[] = { p->leaf, p->root, p->inter, extra };
	char *text = pem_many("", chain_file, 2);
	struct mkcsr_certset set = { 0 };

	for (size_t i = 0; i < 3; i++) {
		assert_true(X509_up_ref(from_pfx[i]));
		assert_err(chain_append(&set, from_pfx[i], "in.pfx"), MKCSR_E_OK);
	}
	assert_err(chain_load_buffer(&set, (const unsigned char *)text, strlen(text), "chain.pem"), MKCSR_E_OK);
	expect_set(&set, want, 4);
	assert_string_equal(set.items[3].source, "chain.pem");
	chain_clear(&set);
	X509_free(extra);
	EVP_PKEY_free(key);
	free(text);
}

/*
 * A file's certificates are kept as DER and parsed on first use, once;
 * chain_release drops the parsed form, which the next use makes again.
 */
static void test_load_parses_on_use(void **state)
{
	struct pki *p = *state;
	X509 *const certs[] = { p->root, p->leaf, p->inter };
	char *text = pem_many("", certs, 3);
	struct mkcsr_certset set = { 0 };
	X509 *first;

	assert_err(chain_load_buffer(&set, (const unsigned char *)text, strlen(text), "lazy.pem"), MKCSR_E_OK);
	assert_int_equal(set.count, 3);
	for (size_t i = 0; i < set.count; i++)
		assert_null(set.items[i].parsed);
	/* The key's certificate is found by its key's encoding, without parsing any. */
	assert_ptr_equal(chain_find_leaf(&set, p->leaf_key, NULL), &set.items[1]);
	for (size_t i = 0; i < set.count; i++)
		assert_null(set.items[i].parsed);
	first = chain_x509(&set.items[1]);
	assert_non_null(first);
	assert_ptr_equal(chain_x509(&set.items[1]), first);
	assert_int_equal(X509_cmp(first, p->leaf), 0);
	chain_release(&set.items[1]);
	assert_null(set.items[1].parsed);
	assert_int_equal(X509_cmp(chain_x509(&set.items[1]), p->leaf), 0);
	chain_clear(&set);
	free(text);
}

/* Threads parsing the same set at once (probe's workers share its trust anchors): one parse each, the same for all. */
struct parse_race {
	const struct mkcsr_certset *set;
	X509 *seen[8];
};

static void *parse_all(void *arg)
{
	struct parse_race *race = arg;

	for (size_t i = 0; i < race->set->count; i++)
		race->seen[i] = chain_x509(&race->set->items[i]);
	return NULL;
}

static void test_parse_from_threads(void **state)
{
	struct pki *p = *state;
	X509 *const certs[] = { p->root, p->leaf, p->inter };
	char *text = pem_many("", certs, 3);
	struct parse_race races[8];
	pthread_t threads[8];

	for (int round = 0; round < 20; round++) {
		struct mkcsr_certset set = { 0 };

		assert_err(chain_load_buffer(&set, (const unsigned char *)text, strlen(text), "race.pem"), MKCSR_E_OK);
		for (int t = 0; t < 8; t++) {
			races[t].set = &set;
			assert_int_equal(pthread_create(&threads[t], NULL, parse_all, &races[t]), 0);
		}
		for (int t = 0; t < 8; t++)
			assert_int_equal(pthread_join(threads[t], NULL), 0);
		for (int t = 0; t < 8; t++)
			for (size_t i = 0; i < set.count; i++)
				assert_ptr_equal(races[t].seen[i], chain_x509(&set.items[i]));
		/* Under LeakSanitizer a parse lost to another thread's would show here. */
		chain_clear(&set);
	}
	free(text);
}

/* Many certificates, many duplicates: each kept once, in first-seen order (the fingerprint table grows). */
static void test_load_many_duplicates(void **state)
{
	struct pki *p = *state;
	enum { N = 300 };
	X509 *certs[N];
	EVP_PKEY *key = testca_key();
	char *text, *twice;
	struct mkcsr_certset set = { 0 };

	for (int i = 0; i < N; i++)
		certs[i] = make_cert("many.example.com", key, p->inter, p->inter_key, false, 1000 + i);
	text = pem_many("", certs, N);
	assert_true(asprintf(&twice, "%s%s", text, text) > 0);
	assert_err(chain_load_buffer(&set, (const unsigned char *)twice, strlen(twice), "many.pem"), MKCSR_E_OK);
	expect_set(&set, certs, N);
	chain_clear(&set);
	for (int i = 0; i < N; i++)
		X509_free(certs[i]);
	EVP_PKEY_free(key);
	free(twice);
	free(text);
}

/* ---- finding the leaf and its issuers ---- */

/* A set of certs, as pfxread and probe make one (each up-referenced: chain_clear frees the set's references). */
static struct mkcsr_certset set_of(X509 *const *certs, int n, const char *source)
{
	struct mkcsr_certset set = { 0 };

	for (int i = 0; i < n; i++) {
		assert_true(X509_up_ref(certs[i]));
		assert_err(chain_append(&set, certs[i], source), MKCSR_E_OK);
	}
	return set;
}

/* Of CA certificates only, the lowest is the one that issued none of the others; none when each issued one. */
static void test_find_lowest(void **state)
{
	struct pki *p = *state;
	X509 *const cas[] = { p->root, p->inter };
	X509 *const all[] = { p->root, p->inter, p->leaf };
	X509 *const root[] = { p->root };
	struct mkcsr_certset set = set_of(cas, 2, "cas.pem");

	assert_ptr_equal(chain_find_lowest(&set), &set.items[1]);
	chain_clear(&set);
	set = set_of(all, 3, "all.pem");
	assert_ptr_equal(chain_find_lowest(&set), &set.items[2]);
	chain_clear(&set);
	/* A self-signed root issued itself only, which does not count. */
	set = set_of(root, 1, "root.pem");
	assert_ptr_equal(chain_find_lowest(&set), &set.items[0]);
	chain_clear(&set);
}

static void test_find_leaf(void **state)
{
	struct pki *p = *state;
	X509 *const shuffled[] = { p->root, p->inter, p->leaf };
	X509 *const cas[] = { p->inter, p->root };
	struct mkcsr_certset set = set_of(shuffled, 3, "bundle.pem");
	struct mkcsr_certset none = { NULL, 0 };
	EVP_PKEY *stranger = testca_key();
	const struct mkcsr_cert *got;

	/* Without a key: the non-CA that issued nothing, wherever it stands. */
	got = chain_find_leaf(&set, NULL, NULL);
	assert_non_null(got);
	assert_ptr_equal(got, &set.items[2]);
	for (int first = 0; first < 3; first++) {
		X509 *const rotated[] = { shuffled[first], shuffled[(first + 1) % 3], shuffled[(first + 2) % 3] };
		struct mkcsr_certset r = set_of(rotated, 3, "bundle.pem");

		got = chain_find_leaf(&r, NULL, NULL);
		assert_non_null(got);
		assert_ptr_equal(chain_x509(got), p->leaf);
		chain_clear(&r);
	}

	/* With a key: the certificate of that key, whatever it is. */
	got = chain_find_leaf(&set, p->leaf_key, NULL);
	assert_non_null(got);
	assert_ptr_equal(chain_x509(got), p->leaf);
	got = chain_find_leaf(&set, p->inter_key, NULL);
	assert_non_null(got);
	assert_ptr_equal(chain_x509(got), p->inter);
	/* A key of none of them: NULL, not a guess. */
	assert_null(chain_find_leaf(&set, stranger, NULL));

	/* A CA that issued nothing here (the root, its intermediate left out) is still not the leaf. */
	{
		X509 *const root_and_leaf[] = { p->root, p->leaf };
		struct mkcsr_certset r = set_of(root_and_leaf, 2, "bundle.pem");

		got = chain_find_leaf(&r, NULL, NULL);
		assert_non_null(got);
		assert_ptr_equal(chain_x509(got), p->leaf);
		chain_clear(&r);
	}
	chain_clear(&set);

	/* Only CAs: the first. An empty set: NULL. */
	set = set_of(cas, 2, "cas.pem");
	got = chain_find_leaf(&set, NULL, NULL);
	assert_ptr_equal(got, &set.items[0]);
	chain_clear(&set);
	assert_null(chain_find_leaf(&none, NULL, NULL));
	assert_null(chain_find_leaf(&none, p->leaf_key, NULL));
	EVP_PKEY_free(stranger);
}

/* With a source, only that file's certificates: a key of a --chain certificate is not the --cert file's leaf. */
static void test_find_leaf_from_source(void **state)
{
	struct pki *p = *state;
	static const char cert_file[] = "cert.pem", chain_file[] = "chain.pem";
	struct mkcsr_certset set = { 0 };

	assert_true(X509_up_ref(p->inter) && X509_up_ref(p->leaf) && X509_up_ref(p->root));
	assert_err(chain_append(&set, p->inter, cert_file), MKCSR_E_OK);
	assert_err(chain_append(&set, p->leaf, chain_file), MKCSR_E_OK);
	assert_err(chain_append(&set, p->root, chain_file), MKCSR_E_OK);
	assert_null(chain_find_leaf(&set, p->leaf_key, cert_file));
	assert_ptr_equal(chain_find_leaf(&set, p->leaf_key, NULL), &set.items[1]);
	assert_ptr_equal(chain_find_leaf(&set, p->inter_key, cert_file), &set.items[0]);
	/* Without a key: the intermediate is the only certificate of cert.pem, CA or not. */
	assert_ptr_equal(chain_find_leaf(&set, NULL, cert_file), &set.items[0]);
	assert_ptr_equal(chain_find_leaf(&set, NULL, NULL), &set.items[1]);
	chain_clear(&set);
}

static void expect_stack(STACK_OF(X509) *got, X509 *const *want, int n)
{
	assert_non_null(got);
	if (sk_X509_num(got) != n)
		fail_msg("%d certificates, expected %d", sk_X509_num(got), n);
	for (int i = 0; i < n; i++)
		if (sk_X509_value(got, i) != want[i])
			fail_msg("certificate %d is not the expected one", i);
}

static void test_issuers_order(void **state)
{
	struct pki *p = *state;
	X509 *const shuffled[] = { p->root, p->leaf, p->inter };
	X509 *const want[] = { p->inter, p->root };
	X509 *const no_root[] = { p->leaf, p->inter };
	struct mkcsr_certset set = set_of(shuffled, 3, "bundle.pem");
	STACK_OF(X509) *path = chain_issuers(&set, p->leaf);

	/* The leaf's issuer first, then its issuer, ending with the root. */
	expect_stack(path, want, 2);
	/* Up-referenced: the set can go first. */
	sk_X509_pop_free(path, X509_free);

	/* From the intermediate: the root alone; from the root, nothing. */
	path = chain_issuers(&set, p->inter);
	expect_stack(path, &p->root, 1);
	sk_X509_pop_free(path, X509_free);
	path = chain_issuers(&set, p->root);
	expect_stack(path, NULL, 0);
	sk_X509_pop_free(path, X509_free);

	chain_clear(&set);

	/* Without the root: as far as the set goes. */
	set = set_of(no_root, 2, "fullchain.pem");
	path = chain_issuers(&set, p->leaf);
	expect_stack(path, &p->inter, 1);
	sk_X509_pop_free(path, X509_free);
	chain_clear(&set);
}

/*
 * A second root cross-signs the first (same name and key, issued by the
 * second): the path still ends at the self-signed root and goes no further.
 */
static void test_issuers_stop_at_self_signed(void **state)
{
	struct pki *p = *state;
	EVP_PKEY *other_key = testca_key();
	X509 *other = make_cert("Other Root CA", other_key, NULL, NULL, true, 10);
	X509 *cross = make_cert("Unit Root CA", p->root_key, other, other_key, true, 11);
	X509 *const certs[] = { p->leaf, p->inter, p->root, cross, other };
	X509 *const want[] = { p->inter, p->root };
	X509 *const via_cross[] = { p->leaf, p->inter, cross, other };
	X509 *const want_cross[] = { p->inter, cross, other };
	struct mkcsr_certset set = set_of(certs, 5, "bundle.pem");
	STACK_OF(X509) *path;

	/* The cross certificate also "issued" the root (same name and key): it must not be followed. */
	assert_int_equal(X509_check_issued(cross, p->root), X509_V_OK);
	path = chain_issuers(&set, p->leaf);
	expect_stack(path, want, 2);
	sk_X509_pop_free(path, X509_free);

	chain_clear(&set);

	/* Without the self-signed root, the cross certificate leads on to the other root. */
	set = set_of(via_cross, 4, "bundle.pem");
	path = chain_issuers(&set, p->leaf);
	expect_stack(path, want_cross, 3);
	sk_X509_pop_free(path, X509_free);
	chain_clear(&set);

	assert_true(chain_is_self_signed(p->root));
	assert_true(chain_is_self_signed(other));
	assert_false(chain_is_self_signed(cross));
	assert_false(chain_is_self_signed(p->inter));
	assert_false(chain_is_self_signed(p->leaf));
	X509_free(cross);
	X509_free(other);
	EVP_PKEY_free(other_key);
}

/* Two CAs that cross-sign each other and nothing self-signed: a loop that must end. */
static void test_issuers_cross_loop(void **state)
{
	struct pki *p = *state;
	EVP_PKEY *a_key = testca_key(), *b_key = testca_key();
	X509 *a = make_cert("Loop CA A", a_key, NULL, NULL, true, 20);
	X509 *b = make_cert("Loop CA B", b_key, NULL, NULL, true, 21);
	X509 *a_by_b = make_cert("Loop CA A", a_key, b, b_key, true, 22);
	X509 *b_by_a = make_cert("Loop CA B", b_key, a, a_key, true, 23);
	X509 *leaf = make_cert("loop.example.com", p->leaf_key, a, a_key, false, 24);
	X509 *const certs[] = { leaf, a_by_b, b_by_a };
	struct mkcsr_certset set = set_of(certs, 3, "loop.pem");
	STACK_OF(X509) *path = chain_issuers(&set, leaf);

	assert_non_null(path);
	/* A then B, and no further: A again would come round the loop. */
	assert_int_equal(sk_X509_num(path), 2);
	assert_ptr_equal(sk_X509_value(path, 0), a_by_b);
	assert_ptr_equal(sk_X509_value(path, 1), b_by_a);
	sk_X509_pop_free(path, X509_free);
	/* The same as positions in the set. */
	{
		size_t positions[3];

		assert_int_equal(chain_issuer_positions(&set, leaf, positions), 2);
		assert_int_equal(positions[0], 1);
		assert_int_equal(positions[1], 2);
	}
	/* And the leaf is still found among them. */
	assert_ptr_equal(chain_find_leaf(&set, NULL, NULL), &set.items[0]);
	chain_clear(&set);

	X509_free(leaf);
	X509_free(b_by_a);
	X509_free(a_by_b);
	X509_free(b);
	X509_free(a);
	EVP_PKEY_free(b_key);
	EVP_PKEY_free(a_key);
}

static void test_others(void **state)
{
	struct pki *p = *state;
	X509 *const certs[] = { p->root, p->leaf, p->inter };
	X509 *const want[] = { p->root, p->inter };
	struct mkcsr_certset set = set_of(certs, 3, "bundle.pem");
	struct mkcsr_certset none = { NULL, 0 };
	STACK_OF(X509) *others = chain_others(&set, p->leaf);

	expect_stack(others, want, 2);
	sk_X509_pop_free(others, X509_free);
	/* From the intermediate: the root, the only other certificate that issued one of them. */
	others = chain_others(&set, p->inter);
	expect_stack(others, &p->root, 1);
	sk_X509_pop_free(others, X509_free);
	others = chain_others(&none, p->leaf);
	expect_stack(others, NULL, 0);
	sk_X509_pop_free(others, X509_free);
	chain_clear(&set);
}

/* Of a bundle of thousands of end-entity certificates, only their issuer is an intermediate for verification. */
static void test_others_leaves_out_end_entities(void **state)
{
	struct pki *p = *state;
	enum { N = 200 };
	X509 *certs[N + 1];
	EVP_PKEY *key = testca_key();
	struct mkcsr_certset set;
	STACK_OF(X509) *others;

	for (int i = 0; i < N; i++)
		certs[i] = make_cert("bulk.example.com", key, p->inter, p->inter_key, false, 5000 + i);
	certs[N] = p->inter;
	set = set_of(certs, N + 1, "bulk.pem");
	others = chain_others(&set, certs[0]);
	expect_stack(others, &p->inter, 1);
	sk_X509_pop_free(others, X509_free);
	chain_clear(&set);
	for (int i = 0; i < N; i++)
		X509_free(certs[i]);
	EVP_PKEY_free(key);
}

/* ---- texts ---- */

static void test_name_text(void **state)
{
	struct pki *p = *state;
	X509_NAME *name = X509_NAME_new();
	X509_NAME *empty = X509_NAME_new();
	char buf[256], tiny[8];

	assert_string_equal(chain_name_text(X509_get_subject_name(p->leaf), buf, sizeof(buf)),
			    "CN=vpn.example.com, O=mkcsr unit");
	/* RFC 2253 order: most specific first; UTF-8 shown as such, specials escaped. */
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"DE", -1, -1, 0),
			 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
						    (const unsigned char *)"M\xc3\xbcller, Schmidt & Co", -1, -1, 0),
			 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)"vpn.example.de",
						    -1, -1, 0),
			 1);
	assert_string_equal(chain_name_text(name, buf, sizeof(buf)),
			    "CN=vpn.example.de, O=M\xc3\xbcller\\, Schmidt & Co, C=DE");
	assert_string_equal(chain_name_text(empty, buf, sizeof(buf)), "(empty subject)");
	/* Cut to the buffer, always terminated. */
	assert_ptr_equal(chain_name_text(name, tiny, sizeof(tiny)), tiny);
	assert_string_equal(tiny, "CN=vpn.");
	X509_NAME_free(empty);
	X509_NAME_free(name);
}

static void test_time_text(void **state)
{
	ASN1_TIME *t = ASN1_TIME_set(NULL, 1811808000);  /* 2027-06-01T00:00:00Z, the fixtures' "now" */
	ASN1_TIME *late = ASN1_TIME_set(NULL, 2556143999); /* 2050-12-31T23:59:59Z: GeneralizedTime */
	ASN1_TIME *bad = ASN1_TIME_new();
	char buf[64];

	(void)state;
	assert_non_null(t);
	assert_string_equal(chain_time_text(t, buf, sizeof(buf)), "2027-06-01 00:00:00 UTC");
	assert_int_equal(ASN1_STRING_type(late), V_ASN1_GENERALIZEDTIME);
	assert_string_equal(chain_time_text(late, buf, sizeof(buf)), "2050-12-31 23:59:59 UTC");
	assert_int_equal(ASN1_STRING_set(bad, "not a time", -1), 1);
	assert_string_equal(chain_time_text(bad, buf, sizeof(buf)), "(unreadable date)");
	ASN1_TIME_free(bad);
	ASN1_TIME_free(late);
	ASN1_TIME_free(t);
}

/* Windows' short names, multi-valued RDNs in their order, unknown OIDs dotted, what could mislead as \XX. */
static void test_name_text_forms(void **state)
{
	X509_NAME *name = X509_NAME_new();
	char buf[512];

	(void)state;
	assert_non_null(name);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"US", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_UTF8, (const unsigned char *)"IT", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_UTF8, (const unsigned char *)"VPN", -1, -1, -1), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "1.2.3.4", MBSTRING_UTF8, (const unsigned char *)"x", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "emailAddress", MBSTRING_ASC, (const unsigned char *)"a@b.c", -1,
						    -1, 0),
			 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "street", MBSTRING_UTF8, (const unsigned char *)" lead#", -1, -1, 0),
			 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
						    (const unsigned char *)"a\x1b[0m\xe2\x80\xae" "b\xc2\x85", -1, -1, 0),
			 1);
	assert_string_equal(chain_name_text(name, buf, sizeof(buf)),
			    "CN=a\\u001B[0m\\u202Eb\\u0085, STREET=\\ lead#, E=a@b.c, 1.2.3.4=x, OU=IT+OU=VPN, C=US");
	X509_NAME_free(name);
}

static void test_time_json_and_epoch(void **state)
{
	ASN1_TIME *t = ASN1_TIME_set(NULL, 1811808000);
	ASN1_TIME *bad = ASN1_TIME_new();
	char buf[64];

	(void)state;
	assert_string_equal(chain_time_json(t, buf, sizeof(buf)), "2027-06-01T00:00:00Z");
	assert_string_equal(chain_epoch_json(1811808000, buf, sizeof(buf)), "2027-06-01T00:00:00Z");
	assert_string_equal(chain_epoch_text(1811808000, buf, sizeof(buf)), "2027-06-01 00:00:00 UTC");
	assert_int_equal(ASN1_STRING_set(bad, "not a time", -1), 1);
	assert_string_equal(chain_time_json(bad, buf, sizeof(buf)), "");
	assert_string_equal(chain_time_json(NULL, buf, sizeof(buf)), "");
	ASN1_TIME_free(bad);
	ASN1_TIME_free(t);
}

/* Whole days to notAfter, rounded down: notAfter itself is day 0, a second later day -1. */
static void test_days_left(void **state)
{
	const time_t end = 1811808000; /* 2027-06-01T00:00:00Z */
	static const struct {
		long offset; /* at = end + offset */
		long days;
	} cases[] = {
		{ 0, 0 },		{ -1, 0 },		 { 1, -1 },		  { -86399, 0 },
		{ -86400, 1 },		{ -86401, 1 },		 { 86400, -1 },		  { 86401, -2 },
		{ 703L * 86400 + 43200, -704 }, { 703L * 86400, -703 }, { -214L * 86400, 214 }, { -(214L * 86400 + 1), 214 },
	};
	ASN1_TIME *not_after = ASN1_TIME_set(NULL, end);
	ASN1_TIME *bad = ASN1_TIME_new();
	long days = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(chain_days_left(not_after, end + cases[i].offset, &days));
		if (days != cases[i].days)
			fail_msg("notAfter%+ld s: %ld days, expected %ld", cases[i].offset, days, cases[i].days);
	}
	assert_int_equal(ASN1_STRING_set(bad, "not a time", -1), 1);
	days = 12345;
	assert_false(chain_days_left(bad, end, &days));
	assert_false(chain_days_left(NULL, end, &days));
	assert_int_equal(days, 12345);
	ASN1_TIME_free(bad);
	ASN1_TIME_free(not_after);
}

static void test_clear_empty(void **state)
{
	struct mkcsr_certset set = { 0 };

	(void)state;
	chain_clear(&set);
	chain_clear(&set);
	assert_null(set.items);
	assert_int_equal(set.count, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_load_pem_many),
		T(test_load_pem_with_text_and_crlf),
		T(test_load_pem_bom),
		T(test_load_pem_labels),
		T(test_load_der),
		T(test_load_pkcs7),
		T(test_duplicates_collapse),
		T(test_damaged_pem),
		T(test_damaged_fixture),
		T(test_no_certificates),
		T(test_failed_load_keeps_set),
		T(test_load_buffer),
		T(test_load_many_duplicates),
		T(test_load_into_exact_set),
		T(test_find_leaf),
		T(test_find_leaf_from_source),
		T(test_load_parses_on_use),
		T(test_parse_from_threads),
		T(test_find_lowest),
		T(test_issuers_order),
		T(test_issuers_stop_at_self_signed),
		T(test_issuers_cross_loop),
		T(test_others),
		T(test_others_leaves_out_end_entities),
		T(test_name_text),
		T(test_time_text),
		T(test_name_text_forms),
		T(test_time_json_and_epoch),
		T(test_days_left),
		T(test_clear_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
