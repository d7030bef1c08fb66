/*
 * input: the size limit every reader shares, keys in every form (encrypted
 * ones through a passphrase SOURCE), requests in either header or DER, and
 * what a file is said to be when it is the wrong kind.
 */
#include "unit.h"

#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "input.h"
#include "testca.h"

/* ---- helpers ---- */

/* What a memory BIO holds, as a NUL-terminated malloc'ed string. */
static char *bio_text(BIO *mem, size_t *len)
{
	char *data = NULL;
	long n = BIO_get_mem_data(mem, &data);
	char *copy;

	assert_true(n > 0);
	copy = malloc((size_t)n + 1);
	assert_non_null(copy);
	memcpy(copy, data, (size_t)n);
	copy[n] = '\0';
	if (len != NULL)
		*len = (size_t)n;
	return copy;
}

/* LF line ends to CRLF (malloc'ed). */
static char *crlf(const char *text)
{
	char *out = malloc(strlen(text) * 2 + 1), *q = out;

	assert_non_null(out);
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			*q++ = '\r';
		*q++ = *p;
	}
	*q = '\0';
	return out;
}

/* Replaces the first "from" in text by "to" (malloc'ed result; text is freed). */
static char *replace(char *text, const char *from, const char *to)
{
	char *at = strstr(text, from), *out;

	assert_non_null(at);
	assert_true(asprintf(&out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from)) > 0);
	free(text);
	return out;
}

/* The PEM text with its base64 cut to the first keep_lines lines, END line kept: truncated DER. */
static char *cut_body(const char *pem, int keep_lines)
{
	const char *cut = strchr(pem, '\n') + 1, *end = strstr(pem, "-----END");
	char *out = NULL;

	for (int i = 0; i < keep_lines; i++)
		cut = strchr(cut, '\n') + 1;
	assert_non_null(end);
	assert_true(cut < end);
	assert_true(asprintf(&out, "%.*s%s", (int)(cut - pem), pem, end) > 0);
	return out;
}

/* A fixture from tests/data/certs (path malloc'ed). */
static char *fixture(const char *name)
{
	const char *srcdir = getenv("TESTS_SRCDIR");
	char *path = NULL;

	if (srcdir == NULL || srcdir[0] == '\0')
		fail_msg("TESTS_SRCDIR is not set: run the unit tests through 'make check' "
			 "or set it to the source tree's tests directory");
	assert_true(asprintf(&path, "%s/data/certs/%s", srcdir, name) > 0);
	if (access(path, R_OK) != 0)
		fail_msg("fixture '%s' is missing", path);
	return path;
}

static void expect_detail_has(const char *needle)
{
	if (strstr(err_detail(), needle) == NULL)
		fail_msg("detail '%s' does not name '%s'", err_detail(), needle);
}

/* ---- input_read_file ---- */

static void test_read_small(void **state)
{
	const char *dir = *state;
	char *path = unit_write_text(dir, "small", "hello\n");
	unsigned char *data = NULL;
	size_t len = 0;

	assert_err(input_read_file(path, &data, &len), MKCSR_E_OK);
	assert_int_equal(len, 6);
	assert_memory_equal(data, "hello\n", 6);
	assert_int_equal(data[len], '\0');  /* NUL after the data */
	free(data);
	free(path);
}

static void test_read_empty(void **state)
{
	const char *dir = *state;
	char *path = unit_write_file(dir, "empty", "", 0);
	static unsigned char stale[] = "stale";
	unsigned char *data = stale;
	size_t len = 99;

	assert_err(input_read_file(path, &data, &len), MKCSR_E_MALFORMED);
	assert_null(data);
	assert_int_equal(len, 0);
	expect_detail_has(path);
	expect_detail_has("is empty");
	free(path);
}

static void test_read_directory_and_missing(void **state)
{
	const char *dir = *state;
	char *missing = unit_path(dir, "no-such-file");
	unsigned char *data = NULL;
	size_t len = 0;

	assert_err(input_read_file(dir, &data, &len), MKCSR_E_READ);
	assert_null(data);
	expect_detail_has(dir);
	expect_detail_has("is a directory");
	assert_int_equal(err_exit_code(MKCSR_E_READ), MKCSR_EXIT_INPUT);

	assert_err(input_read_file(missing, &data, &len), MKCSR_E_READ);
	assert_null(data);
	expect_detail_has(missing);
	expect_detail_has("No such file or directory");
	free(missing);
}

/* A file of size bytes of 'A' (written sparsely would be 0 bytes: write it out). */
static char *write_sized(const char *dir, const char *name, size_t size)
{
	char *path = unit_path(dir, name);
	FILE *f = fopen(path, "wb");
	char block[65536];
	size_t left = size;

	assert_non_null(f);
	memset(block, 'A', sizeof(block));
	while (left > 0) {
		size_t n = left < sizeof(block) ? left : sizeof(block);

		assert_int_equal(fwrite(block, 1, n, f), n);
		left -= n;
	}
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_read_limit(void **state)
{
	const char *dir = *state;
	char *exact = write_sized(dir, "exact", INPUT_MAX_BYTES);
	char *over = write_sized(dir, "over", (size_t)INPUT_MAX_BYTES + 1);
	char *huge = write_sized(dir, "huge", (size_t)INPUT_MAX_BYTES * 2 + 12345);
	unsigned char *data = NULL;
	size_t len = 0;

	assert_int_equal(INPUT_MAX_BYTES, 10 * 1024 * 1024);
	assert_err(input_read_file(exact, &data, &len), MKCSR_E_OK);
	assert_int_equal(len, INPUT_MAX_BYTES);
	assert_int_equal(data[0], 'A');
	assert_int_equal(data[len - 1], 'A');
	assert_int_equal(data[len], '\0');
	free(data);

	assert_err(input_read_file(over, &data, &len), MKCSR_E_MALFORMED);
	assert_null(data);
	assert_int_equal(len, 0);
	expect_detail_has(over);
	expect_detail_has("larger than 10 MiB");

	assert_err(input_read_file(huge, &data, &len), MKCSR_E_MALFORMED);
	assert_null(data);
	expect_detail_has("larger than 10 MiB");
	free(exact);
	free(over);
	free(huge);
}

/* A file without an end (a device) is refused at once, not read for ever. */
static void test_read_endless(void **state)
{
	unsigned char *data = NULL;
	size_t len = 0;

	(void)state;
	if (access("/dev/zero", R_OK) != 0)
		skip();
	assert_err(input_read_file("/dev/zero", &data, &len), MKCSR_E_READ);
	assert_null(data);
	expect_detail_has("'/dev/zero' is a character device, not a regular file");
}

/* A FIFO without a writer is refused at once: opening it does not wait. */
static void test_read_fifo(void **state)
{
	char *dir = unit_tempdir(), *fifo = NULL;
	unsigned char *data = NULL;
	size_t len = 0;

	(void)state;
	assert_true(asprintf(&fifo, "%s/fifo", dir) > 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_err(input_read_file(fifo, &data, &len), MKCSR_E_READ);
	assert_null(data);
	expect_detail_has("is a FIFO (named pipe), not a regular file");
	unlink(fifo);
	free(fifo);
	unit_rmdir(dir);
}

/* ---- input_load_key ---- */

static void expect_same_key(EVP_PKEY *got, EVP_PKEY *want)
{
	BIGNUM *secret = NULL;

	assert_non_null(got);
	assert_int_equal(EVP_PKEY_eq(got, want), 1);
	/* A private key, not only its public half. */
	assert_int_equal(EVP_PKEY_get_bn_param(got, EVP_PKEY_is_a(got, "RSA") ? "d" : "priv", &secret), 1);
	BN_clear_free(secret);
}

static void load_ok(const char *path, const char *source, EVP_PKEY *want)
{
	EVP_PKEY *got = NULL;

	assert_err(input_load_key(path, source, "--key-pass", &got), MKCSR_E_OK);
	expect_same_key(got, want);
	EVP_PKEY_free(got);
}

static void load_fails(const char *path, const char *source, enum mkcsr_err want)
{
	EVP_PKEY *got = (EVP_PKEY *)1;

	assert_err(input_load_key(path, source, "--key-pass", &got), want);
	assert_null(got);
	expect_detail_has(path);
}

static char *pem_pkcs8(EVP_PKEY *key, const EVP_CIPHER *cipher, const char *pass)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *text;

	assert_non_null(mem);
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(mem, key, cipher, pass, pass ? (int)strlen(pass) : 0, NULL,
						       NULL),
			 1);
	text = bio_text(mem, NULL);
	BIO_free(mem);
	return text;
}

static char *pem_traditional(EVP_PKEY *key, const EVP_CIPHER *cipher, const char *pass)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *text;

	assert_non_null(mem);
	assert_int_equal(PEM_write_bio_PrivateKey_traditional(mem, key, cipher, (unsigned char *)(uintptr_t)pass,
							      pass ? (int)strlen(pass) : 0, NULL, NULL),
			 1);
	text = bio_text(mem, NULL);
	BIO_free(mem);
	return text;
}

static void test_key_pkcs8(void **state)
{
	const char *dir = *state;
	EVP_PKEY *key = testca_key();
	char *pem = pem_pkcs8(key, NULL, NULL);
	char *path = unit_write_text(dir, "key.pem", pem), *crlf_pem = crlf(pem);
	char *crlf_path = unit_write_text(dir, "key-crlf.pem", crlf_pem);
	unsigned char *der = NULL;
	int der_len;
	BIO *mem = BIO_new(BIO_s_mem());
	char *der_path;

	assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----"));
	load_ok(path, NULL, key);
	/* A passphrase source is not read for a key that needs none. */
	load_ok(path, "env:MKCSR_TEST_UNSET_VARIABLE", key);
	load_ok(crlf_path, NULL, key);

	/* DER PKCS#8. */
	assert_non_null(mem);
	assert_int_equal(i2d_PKCS8PrivateKey_bio(mem, key, NULL, NULL, 0, NULL, NULL), 1);
	der_len = (int)BIO_get_mem_data(mem, (char **)&der);
	assert_true(der_len > 0);
	der_path = unit_write_file(dir, "key.der", der, (size_t)der_len);
	load_ok(der_path, NULL, key);
	BIO_free(mem);

	free(der_path);
	free(crlf_path);
	free(crlf_pem);
	free(path);
	free(pem);
	EVP_PKEY_free(key);
}

static void test_key_traditional(void **state)
{
	const char *dir = *state;
	EVP_PKEY *ec = testca_key(), *rsa = EVP_RSA_gen(2048);
	char *ec_pem = pem_traditional(ec, NULL, NULL), *rsa_pem;
	char *ec_path = unit_write_text(dir, "ec.pem", ec_pem), *rsa_path;
	unsigned char *der = NULL;
	int der_len;
	char *der_path;

	assert_non_null(rsa);
	rsa_pem = pem_traditional(rsa, NULL, NULL);
	rsa_path = unit_write_text(dir, "rsa.pem", rsa_pem);
	assert_non_null(strstr(ec_pem, "-----BEGIN EC PRIVATE KEY-----"));
	assert_non_null(strstr(rsa_pem, "-----BEGIN RSA PRIVATE KEY-----"));
	load_ok(ec_path, NULL, ec);
	load_ok(rsa_path, NULL, rsa);

	/* Traditional DER (SEC1 ECPrivateKey), as some tools write .key files. */
	der_len = i2d_PrivateKey(ec, &der);
	assert_true(der_len > 0);
	der_path = unit_write_file(dir, "ec.der", der, (size_t)der_len);
	load_ok(der_path, NULL, ec);
	OPENSSL_free(der);

	free(der_path);
	free(rsa_path);
	free(ec_path);
	free(rsa_pem);
	free(ec_pem);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
}

static void test_key_encrypted(void **state)
{
	const char *dir = *state;
	EVP_PKEY *key = testca_key();
	char *pem = pem_pkcs8(key, EVP_aes_256_cbc(), "correct horse");
	char *path = unit_write_text(dir, "enc.pem", pem);
	char *pass_file = unit_write_text(dir, "pass.txt", "correct horse\r\n");
	char *wrong_file = unit_write_text(dir, "wrong.txt", "battery staple\n");
	char *source = NULL, *wrong_source = NULL;
	EVP_PKEY *got = NULL;

	assert_non_null(strstr(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
	assert_true(asprintf(&source, "file:%s", pass_file) > 0);
	assert_true(asprintf(&wrong_source, "file:%s", wrong_file) > 0);

	/* The right passphrase, from a file (CRLF) and from the environment. */
	load_ok(path, source, key);
	assert_int_equal(setenv("MKCSR_TEST_KEY_PASS", "correct horse", 1), 0);
	load_ok(path, "env:MKCSR_TEST_KEY_PASS", key);

	/* The wrong one: malformed input, naming the file and the cause. */
	load_fails(path, wrong_source, MKCSR_E_MALFORMED);
	expect_detail_has("passphrase is wrong");
	assert_int_equal(setenv("MKCSR_TEST_KEY_PASS", "correct horsE", 1), 0);
	load_fails(path, "env:MKCSR_TEST_KEY_PASS", MKCSR_E_MALFORMED);

	/* None given: the message names the option that gives it. */
	load_fails(path, NULL, MKCSR_E_SECRET_UNAVAILABLE);
	assert_int_equal(err_exit_code(MKCSR_E_SECRET_UNAVAILABLE), MKCSR_EXIT_INPUT);
	expect_detail_has("is encrypted");
	expect_detail_has("--key-pass SOURCE");
	assert_err(input_load_key(path, NULL, "--chain-key-pass", &got), MKCSR_E_SECRET_UNAVAILABLE);
	expect_detail_has("--chain-key-pass SOURCE");
	assert_null(got);

	/* A source that cannot be read: secret_read's own error, naming the variable. */
	assert_int_equal(unsetenv("MKCSR_TEST_KEY_PASS"), 0);
	assert_err(input_load_key(path, "env:MKCSR_TEST_KEY_PASS", "--key-pass", &got), MKCSR_E_SECRET_UNAVAILABLE);
	assert_null(got);
	expect_detail_has("MKCSR_TEST_KEY_PASS");
	assert_int_equal(setenv("MKCSR_TEST_KEY_PASS", "", 1), 0);
	assert_err(input_load_key(path, "env:MKCSR_TEST_KEY_PASS", "--key-pass", &got), MKCSR_E_SECRET_EMPTY);
	assert_null(got);
	assert_int_equal(unsetenv("MKCSR_TEST_KEY_PASS"), 0);

	free(wrong_source);
	free(source);
	free(wrong_file);
	free(pass_file);
	free(path);
	free(pem);
	EVP_PKEY_free(key);
}

/* The legacy "Proc-Type: 4,ENCRYPTED" PEM goes through the same passphrase path. */
static void test_key_encrypted_traditional(void **state)
{
	const char *dir = *state;
	EVP_PKEY *key = testca_key();
	char *pem = pem_traditional(key, EVP_aes_128_cbc(), "legacy pass");
	char *path = unit_write_text(dir, "legacy.pem", pem);

	assert_non_null(strstr(pem, "Proc-Type: 4,ENCRYPTED"));
	load_ok(path, "pass:legacy pass", key);
	load_fails(path, "pass:wrong pass", MKCSR_E_MALFORMED);
	load_fails(path, NULL, MKCSR_E_SECRET_UNAVAILABLE);
	expect_detail_has("--key-pass");
	free(path);
	free(pem);
	EVP_PKEY_free(key);
}

/* The committed fixtures: the encrypted key and its pass file, and the traditional copy. */
static void test_key_fixtures(void **state)
{
	char *enc = fixture("leaf-enc.key"), *pass = fixture("leaf-enc.pass");
	char *plain = fixture("leaf.key"), *sec1 = fixture("key-only.pem");
	char *source = NULL;
	EVP_PKEY *want = NULL;

	(void)state;
	assert_true(asprintf(&source, "file:%s", pass) > 0);
	assert_err(input_load_key(plain, NULL, "--key-pass", &want), MKCSR_E_OK);
	load_ok(enc, source, want);
	load_ok(sec1, NULL, want);
	load_fails(enc, NULL, MKCSR_E_SECRET_UNAVAILABLE);
	load_fails(enc, "pass:not-the-passphrase", MKCSR_E_MALFORMED);
	EVP_PKEY_free(want);
	free(source);
	free(sec1);
	free(plain);
	free(pass);
	free(enc);
}

static void test_key_wrong_kind(void **state)
{
	const char *dir = *state;
	EVP_PKEY *key = testca_key();
	BIO *mem = BIO_new(BIO_s_mem());
	char *pub_pem, *pub_path, *garbage, *damaged, *damaged_pem, *cert_path;
	char *empty = unit_write_file(dir, "empty.pem", "", 0);

	/* A public key. */
	assert_int_equal(PEM_write_bio_PUBKEY(mem, key), 1);
	pub_pem = bio_text(mem, NULL);
	pub_path = unit_write_text(dir, "pub.pem", pub_pem);
	load_fails(pub_path, NULL, MKCSR_E_MALFORMED);
	expect_detail_has("is a public key, not a private key");

	/* A certificate. */
	cert_path = unit_write_text(dir, "cert.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
	load_fails(cert_path, NULL, MKCSR_E_MALFORMED);
	expect_detail_has("is a certificate, not a private key");

	/* Neither PEM nor DER. */
	garbage = unit_write_text(dir, "notes.txt", "just some text\n");
	load_fails(garbage, NULL, MKCSR_E_MALFORMED);
	expect_detail_has("is not a PEM or DER file, not a private key");

	/* A damaged private key: whole lines of base64 missing. */
	{
		char *whole = pem_pkcs8(key, NULL, NULL);

		damaged_pem = cut_body(whole, 1);
		free(whole);
	}
	damaged = unit_write_text(dir, "damaged.pem", damaged_pem);
	load_fails(damaged, NULL, MKCSR_E_MALFORMED);
	expect_detail_has("damaged private key");

	/* Empty and missing files: input_read_file's errors. */
	load_fails(empty, NULL, MKCSR_E_MALFORMED);
	expect_detail_has("is empty");
	free(damaged);
	damaged = unit_path(dir, "missing.key");
	load_fails(damaged, NULL, MKCSR_E_READ);

	free(damaged);
	free(damaged_pem);
	free(garbage);
	free(cert_path);
	free(pub_path);
	free(pub_pem);
	free(empty);
	BIO_free(mem);
	EVP_PKEY_free(key);
}

/* ---- input_load_csr ---- */

static X509_REQ *make_csr(EVP_PKEY *key, const char *cn)
{
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = X509_NAME_new();

	assert_non_null(req);
	assert_non_null(name);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0),
			 1);
	assert_int_equal(X509_REQ_set_subject_name(req, name), 1);
	assert_int_equal(X509_REQ_set_pubkey(req, key), 1);
	assert_true(X509_REQ_sign(req, key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return req;
}

static char *csr_pem(X509_REQ *req)
{
	BIO *mem = BIO_new(BIO_s_mem());
	char *text;

	assert_int_equal(PEM_write_bio_X509_REQ(mem, req), 1);
	text = bio_text(mem, NULL);
	BIO_free(mem);
	return text;
}

static void expect_csr(const char *path, X509_REQ *want)
{
	X509_REQ *got = NULL;

	assert_err(input_load_csr(path, &got), MKCSR_E_OK);
	assert_non_null(got);
	assert_int_equal(X509_NAME_cmp(X509_REQ_get_subject_name(got), X509_REQ_get_subject_name(want)), 0);
	assert_int_equal(EVP_PKEY_eq(X509_REQ_get0_pubkey(got), X509_REQ_get0_pubkey(want)), 1);
	assert_int_equal(X509_REQ_verify(got, X509_REQ_get0_pubkey(got)), 1);
	X509_REQ_free(got);
}

static void expect_csr_fails(const char *path, enum mkcsr_err want, const char *what)
{
	X509_REQ *got = (X509_REQ *)1;

	assert_err(input_load_csr(path, &got), want);
	assert_null(got);
	expect_detail_has(path);
	if (what != NULL)
		expect_detail_has(what);
}

static void test_csr_forms(void **state)
{
	const char *dir = *state;
	EVP_PKEY *key = testca_key();
	X509_REQ *req = make_csr(key, "vpn.example.com");
	char *pem = csr_pem(req);
	char *certlm = crlf(pem);
	char *plain_path, *certlm_path, *der_path, *after_path, *after, *bom = NULL, *bom_path;
	unsigned char *der = NULL;
	int der_len;

	/* certlm's form: NEW CERTIFICATE REQUEST with CRLF line ends. */
	certlm = replace(certlm, "-----BEGIN CERTIFICATE REQUEST-----", "-----BEGIN NEW CERTIFICATE REQUEST-----");
	certlm = replace(certlm, "-----END CERTIFICATE REQUEST-----", "-----END NEW CERTIFICATE REQUEST-----");
	assert_non_null(strstr(certlm, "REQUEST-----\r\n"));
	certlm_path = unit_write_text(dir, "certlm.req", certlm);
	expect_csr(certlm_path, req);

	/* Saved by Notepad with a UTF-8 byte order mark. */
	assert_true(asprintf(&bom, "\xef\xbb\xbf%s", certlm) > 0);
	bom_path = unit_write_text(dir, "notepad.req", bom);
	expect_csr(bom_path, req);

	/* OpenSSL's form. */
	plain_path = unit_write_text(dir, "openssl.csr", pem);
	expect_csr(plain_path, req);

	/* DER. */
	der_len = i2d_X509_REQ(req, &der);
	assert_true(der_len > 0);
	der_path = unit_write_file(dir, "req.der", der, (size_t)der_len);
	expect_csr(der_path, req);

	/* After text and another PEM block (a key pasted first): the request is found. */
	assert_true(asprintf(&after, "Request for vpn.example.com\n-----BEGIN PUBLIC KEY-----\n"
				     "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n%s",
			     pem) > 0);
	after_path = unit_write_text(dir, "after.csr", after);
	expect_csr(after_path, req);

	OPENSSL_free(der);
	free(bom_path);
	free(bom);
	free(after_path);
	free(after);
	free(der_path);
	free(plain_path);
	free(certlm_path);
	free(certlm);
	free(pem);
	X509_REQ_free(req);
	EVP_PKEY_free(key);
}

static void test_csr_fixture(void **state)
{
	char *csr = fixture("leaf.csr"), *keyfile = fixture("leaf.key");
	X509_REQ *got = NULL;
	EVP_PKEY *key = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	char cn[64];

	(void)state;
	/* The fixture is the certlm form: its header and CRLF. */
	assert_err(input_read_file(csr, &data, &len), MKCSR_E_OK);
	assert_non_null(strstr((char *)data, "-----BEGIN NEW CERTIFICATE REQUEST-----\r\n"));
	free(data);

	assert_err(input_load_csr(csr, &got), MKCSR_E_OK);
	assert_err(input_load_key(keyfile, NULL, "--key-pass", &key), MKCSR_E_OK);
	assert_int_equal(EVP_PKEY_eq(X509_REQ_get0_pubkey(got), key), 1);
	assert_true(X509_NAME_get_text_by_NID(X509_REQ_get_subject_name(got), NID_commonName, cn, sizeof(cn)) > 0);
	assert_string_equal(cn, "vpn.example.com");
	EVP_PKEY_free(key);
	X509_REQ_free(got);
	free(keyfile);
	free(csr);
}

static void test_csr_wrong_kind(void **state)
{
	const char *dir = *state;
	EVP_PKEY *key = testca_key();
	X509 *cert = X509_new();
	X509_REQ *req = make_csr(key, "vpn.example.com");
	BIO *mem = BIO_new(BIO_s_mem());
	char *cert_pem, *cert_path, *der_cert_path, *key_path, *key_pem, *damaged_path, *damaged, *inf_path;
	unsigned char *der = NULL;
	int der_len;

	/* A certificate given as the request: said to be a certificate, in PEM and DER. */
	assert_int_equal(X509_set_version(cert, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(cert), 7), 1);
	assert_int_equal(X509_set_subject_name(cert, X509_REQ_get_subject_name(req)), 1);
	assert_int_equal(X509_set_issuer_name(cert, X509_REQ_get_subject_name(req)), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(cert), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(cert), 86400));
	assert_int_equal(X509_set_pubkey(cert, key), 1);
	assert_true(X509_sign(cert, key, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_bio_X509(mem, cert), 1);
	cert_pem = bio_text(mem, NULL);
	cert_path = unit_write_text(dir, "cert.pem", cert_pem);
	expect_csr_fails(cert_path, MKCSR_E_MALFORMED, "is a certificate, not a certificate request");
	assert_int_equal(err_exit_code(MKCSR_E_MALFORMED), MKCSR_EXIT_INPUT);

	der_len = i2d_X509(cert, &der);
	der_cert_path = unit_write_file(dir, "cert.cer", der, (size_t)der_len);
	expect_csr_fails(der_cert_path, MKCSR_E_MALFORMED, "is a certificate, not a certificate request");

	/* A private key. */
	key_pem = pem_pkcs8(key, NULL, NULL);
	key_path = unit_write_text(dir, "vpn.key", key_pem);
	expect_csr_fails(key_path, MKCSR_E_MALFORMED, "is a private key, not a certificate request");

	/* A damaged request: whole lines of base64 missing. */
	{
		char *whole = csr_pem(req);

		damaged = cut_body(whole, 2);
		free(whole);
	}
	damaged_path = unit_write_text(dir, "damaged.csr", damaged);
	expect_csr_fails(damaged_path, MKCSR_E_MALFORMED, "a damaged certificate request");

	/* The INF that certreq would turn into a request. */
	inf_path = unit_write_text(dir, "request.inf", "[Version]\r\nSignature=\"$Windows NT$\"\r\n[NewRequest]\r\n");
	expect_csr_fails(inf_path, MKCSR_E_MALFORMED, "is a certreq INF file, not a certificate request");

	free(inf_path);
	free(damaged_path);
	free(damaged);
	free(key_path);
	free(key_pem);
	free(der_cert_path);
	OPENSSL_free(der);
	free(cert_path);
	free(cert_pem);
	BIO_free(mem);
	X509_REQ_free(req);
	X509_free(cert);
	EVP_PKEY_free(key);
}

/* ---- input_describe ---- */

static void expect_describe(const char *text, const char *want)
{
	const char *got = input_describe((const unsigned char *)text, strlen(text));

	if (strcmp(got, want) != 0)
		fail_msg("'%.40s...' is described as '%s', expected '%s'", text, got, want);
}

/*
 * The buffer entry points read what the file ones read, from memory without
 * a NUL after it, naming the given path; an empty buffer is refused.
 */
static void test_buffers(void **state)
{
	const char *dir = *state;
	EVP_PKEY *key = testca_key(), *got = NULL;
	char *pem = pem_pkcs8(key, EVP_aes_256_cbc(), "correct horse");
	char *csr_path = fixture("leaf.csr"), *key_path = fixture("leaf.key");
	unsigned char *data = NULL, *exact;
	size_t len = 0;
	X509_REQ *req = NULL;
	EVP_PKEY *fixture_key = NULL;

	(void)dir;
	exact = malloc(strlen(pem));
	assert_non_null(exact);
	memcpy(exact, pem, strlen(pem));
	assert_err(input_load_key_buffer(exact, strlen(pem), "in memory", "pass:correct horse", "--key-pass", &got),
		   MKCSR_E_OK);
	assert_int_equal(EVP_PKEY_eq(got, key), 1);
	EVP_PKEY_free(got);
	got = NULL;
	assert_err(input_load_key_buffer(exact, strlen(pem), "in memory", NULL, "--key-pass", &got),
		   MKCSR_E_SECRET_UNAVAILABLE);
	assert_string_equal(err_detail(), "'in memory' is encrypted: give its passphrase with --key-pass SOURCE");
	assert_null(got);
	assert_err(input_load_key_buffer(exact, 0, "nothing", NULL, "--key-pass", &got), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'nothing' is empty");
	free(exact);

	assert_err(input_read_file(csr_path, &data, &len), MKCSR_E_OK);
	assert_err(input_load_csr_buffer(data, len, "request", &req), MKCSR_E_OK);
	assert_err(input_load_key(key_path, NULL, "--key-pass", &fixture_key), MKCSR_E_OK);
	assert_int_equal(EVP_PKEY_eq(X509_REQ_get0_pubkey(req), fixture_key), 1);
	X509_REQ_free(req);
	req = NULL;
	assert_err(input_load_csr_buffer(data, 0, "nothing", &req), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'nothing' is empty");
	assert_err(input_load_csr_buffer((const unsigned char *)"garbage", 7, "junk", &req), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'junk' is not a PEM or DER file, not a certificate request");
	assert_null(req);
	free(data);
	EVP_PKEY_free(fixture_key);
	free(key_path);
	free(csr_path);
	free(pem);
	EVP_PKEY_free(key);
}


static void test_describe(void **state)
{
	static const unsigned char der[] = { 0x30, 0x82, 0x01, 0x0a, 0x02 };
	static const unsigned char short_der[] = { 0x30, 0x03, 0x02, 0x01 };

	(void)state;
	expect_describe("-----BEGIN NEW CERTIFICATE REQUEST-----\r\nMIIB\r\n", "a certificate request");
	expect_describe("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n", "a certificate request");
	expect_describe("-----BEGIN CERTIFICATE-----\nMIIB\n", "a certificate");
	expect_describe("-----BEGIN TRUSTED CERTIFICATE-----\nMIIB\n", "a certificate");
	expect_describe("-----BEGIN PKCS7-----\nMIIB\n", "a PKCS#7 certificate bundle");
	expect_describe("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n", "an encrypted private key");
	expect_describe("-----BEGIN PRIVATE KEY-----\nMIIB\n", "a private key");
	expect_describe("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n", "a private key");
	expect_describe("-----BEGIN EC PRIVATE KEY-----\nMIIB\n", "a private key");
	expect_describe("-----BEGIN PUBLIC KEY-----\nMIIB\n", "a public key");
	expect_describe("-----BEGIN X509 CRL-----\nMIIB\n", "a certificate revocation list");
	/* Text before the block (openssl x509 -text, Bag Attributes) does not hide it. */
	expect_describe("Bag Attributes\n    localKeyID: 01\n-----BEGIN CERTIFICATE-----\n", "a certificate");
	/* A request is not taken for a certificate although both markers start alike. */
	expect_describe("x\n-----BEGIN CERTIFICATE REQUEST-----\n", "a certificate request");
	expect_describe("[Version]\nSignature=\"$Windows NT$\"\n", "a certreq INF file");
	expect_describe("; request\r\n[NewRequest]\r\nSubject = \"CN=x\"\r\n", "a certreq INF file");
	expect_describe("hello world\n", "not a PEM or DER file");
	assert_string_equal(input_describe(der, sizeof(der)), "binary (DER) data");
	/* Too short to be DER. */
	assert_string_equal(input_describe(short_der, sizeof(short_der)), "not a PEM or DER file");
	/* Not NUL-terminated, and a marker beyond len is not seen. */
	assert_string_equal(input_describe((const unsigned char *)"-----BEGIN CERTIFICATE-----", 20),
			    "not a PEM or DER file");
}

#define T(name) cmocka_unit_test_setup_teardown(name, unit_setup_tempdir, unit_teardown_tempdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_read_small),
		T(test_read_empty),
		T(test_read_directory_and_missing),
		T(test_read_limit),
		T(test_read_endless),
		T(test_read_fifo),
		T(test_key_pkcs8),
		T(test_key_traditional),
		T(test_key_encrypted),
		T(test_key_encrypted_traditional),
		T(test_key_fixtures),
		T(test_key_wrong_kind),
		T(test_csr_forms),
		T(test_csr_fixture),
		T(test_csr_wrong_kind),
		T(test_buffers),
		T(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
