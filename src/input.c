#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "input.h"
#include "secret.h"

/* What a file that is not a regular one is, for the message that refuses it. */
static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO (named pipe)";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "of an unknown kind";
}

enum mkcsr_err input_read_file(const char *path, unsigned char **data, size_t *len)
{
	struct stat st;
	unsigned char *buf = NULL;
	size_t used = 0, size = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer that may never come. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return err_set_file(MKCSR_E_READ, path, "'%s': %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		enum mkcsr_err rc = err_set_file(MKCSR_E_READ, path, "'%s': %s", path, strerror(errno));

		close(fd);
		return rc;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return err_set_file(MKCSR_E_READ, path, "'%s' is a directory", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set_file(MKCSR_E_READ, path, "'%s' is %s, not a regular file: mkcsr reads only regular files",
				    path, file_kind(st.st_mode));
	}
	/* A regular file is read into a buffer of its size (one more byte to see it end), not grown by doubling. */
	if (st.st_size > 0 && st.st_size <= INPUT_MAX_BYTES) {
		size = (size_t)st.st_size + 1;
		buf = malloc(size + 1);
		if (buf == NULL) {
			close(fd);
			return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
		}
	}
	for (;;) {
		ssize_t n;

		if (used == size) {
			unsigned char *grown;

			if (size > INPUT_MAX_BYTES) {
				free(buf);
				close(fd);
				return err_set_file(MKCSR_E_MALFORMED, path,
						    "'%s' is larger than %d MiB: not a certificate, key or request",
						    path, INPUT_MAX_BYTES / (1024 * 1024));
			}
			size = size ? size * 2 : 16384;
			grown = realloc(buf, size + 1);
			if (grown == NULL) {
				free(buf);
				close(fd);
				return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
			}
			buf = grown;
		}
		n = read(fd, buf + used, size - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			enum mkcsr_err rc = err_set_file(MKCSR_E_READ, path, "'%s': %s", path, strerror(errno));

			free(buf);
			close(fd);
			return rc;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	if (used > INPUT_MAX_BYTES) {
		free(buf);
		return err_set_file(MKCSR_E_MALFORMED, path,
				    "'%s' is larger than %d MiB: not a certificate, key or request", path,
				    INPUT_MAX_BYTES / (1024 * 1024));
	}
	if (used == 0) {
		free(buf);
		return err_set_file(MKCSR_E_MALFORMED, path, "'%s' is empty", path);
	}
	buf[used] = '\0';
	*data = buf;
	*len = used;
	return MKCSR_E_OK;
}

void input_key_role(const char *path, char *role, size_t size)
{
	unsigned char *data = NULL;
	size_t len = 0, marker = strlen(INPUT_ROLE_MARKER);

	role[0] = '\0';
	if (input_read_file(path, &data, &len) != MKCSR_E_OK) {
		err_clear();
		return;
	}
	if (len > marker && memcmp(data, INPUT_ROLE_MARKER, marker) == 0) {
		size_t n = strcspn((const char *)data + marker, "\r\n");

		if (n < size)
			snprintf(role, size, "%.*s", (int)n, (const char *)data + marker);
	}
	OPENSSL_clear_free(data, len);
}

/* Whether d2i read all of data: the whole file is one such structure. */
#define WHOLE_DER(type, d2i, free_fn, data, len, whole)                   \
	do {                                                              \
		const unsigned char *p_ = (data);                         \
		type *obj_ = d2i(NULL, &p_, (long)(len));                 \
		(whole) = obj_ != NULL && p_ == (data) + (len);           \
		free_fn(obj_);                                            \
	} while (0)

/* A PKCS#7 or CMS message by its content type; NULL for a signedData that holds certificates (a bundle). */
static const char *message_kind(int nid, bool has_certs)
{
	switch (nid) {
	case NID_pkcs7_signed:
		return has_certs ? NULL : "a signed PKCS#7 message without certificates";
	case NID_pkcs7_enveloped: return "an enveloped PKCS#7 message (encrypted to a certificate's key)";
	case NID_id_smime_ct_authEnvelopedData:
		return "an authenticated enveloped CMS message (encrypted to a certificate's key)";
	case NID_pkcs7_signedAndEnveloped:
		return "a signed and enveloped PKCS#7 message";
	case NID_pkcs7_data: return "a PKCS#7 data message";
	case NID_pkcs7_digest: return "a digested PKCS#7 message";
	case NID_pkcs7_encrypted: return "a PKCS#7 message encrypted with a password";
	}
	return "a PKCS#7 (CMS) message of another kind than a certificate bundle";
}

/* PKCS#7 first (it knows signedAndEnveloped), then CMS (it knows what PKCS#7 cannot parse). */
static const char *describe_message(const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
	CMS_ContentInfo *cms;
	const char *what = NULL;

	if (p7 != NULL && p == data + len) {
		int nid = OBJ_obj2nid(p7->type);
		bool certs = nid == NID_pkcs7_signed && p7->d.sign != NULL && sk_X509_num(p7->d.sign->cert) > 0;

		PKCS7_free(p7);
		return message_kind(nid, certs);
	}
	PKCS7_free(p7);
	p = data;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);

	if (cms != NULL && p == data + len) {
		int nid = OBJ_obj2nid(CMS_get0_type(cms));
		STACK_OF(X509) *certs = nid == NID_pkcs7_signed ? CMS_get1_certs(cms) : NULL;

		what = message_kind(nid, sk_X509_num(certs) > 0);
		sk_X509_pop_free(certs, X509_free);
	}
	CMS_ContentInfo_free(cms);
	return what;
}

/* What a whole DER structure is; NULL when none of these. */
static const char *describe_der(const unsigned char *data, size_t len)
{
	bool whole = false;

	WHOLE_DER(X509, d2i_X509, X509_free, data, len, whole);
	if (whole)
		return "a certificate";
	WHOLE_DER(X509_REQ, d2i_X509_REQ, X509_REQ_free, data, len, whole);
	if (whole)
		return "a certificate request";
	WHOLE_DER(X509_CRL, d2i_X509_CRL, X509_CRL_free, data, len, whole);
	if (whole)
		return "a certificate revocation list";
	WHOLE_DER(OCSP_RESPONSE, d2i_OCSP_RESPONSE, OCSP_RESPONSE_free, data, len, whole);
	if (whole)
		return "an OCSP response";
	WHOLE_DER(OCSP_REQUEST, d2i_OCSP_REQUEST, OCSP_REQUEST_free, data, len, whole);
	if (whole)
		return "an OCSP request";
	WHOLE_DER(EVP_PKEY, d2i_PUBKEY, EVP_PKEY_free, data, len, whole);
	if (whole)
		return "a public key";
	WHOLE_DER(X509_SIG, d2i_X509_SIG, X509_SIG_free, data, len, whole);
	if (whole)
		return "an encrypted private key";
	WHOLE_DER(EVP_PKEY, d2i_AutoPrivateKey, EVP_PKEY_free, data, len, whole);
	if (whole)
		return "a private key";
	return describe_message(data, len);
}

/* The first PEM block, when it is a PKCS7 or CMS one: what its message is; NULL otherwise. */
static const char *describe_pem_message(const unsigned char *data, size_t len)
{
	BIO *mem = BIO_new_mem_buf(data, len > INT_MAX ? INT_MAX : (int)len);
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	long der_len = 0;
	const char *what = NULL;

	if (mem != NULL && PEM_read_bio(mem, &name, &header, &der, &der_len) &&
	    (strcmp(name, "PKCS7") == 0 || strcmp(name, "CMS") == 0)) {
		what = describe_message(der, (size_t)der_len);
		if (what == NULL)
			what = "a PKCS#7 certificate bundle";
	}
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_clear_free(der, der_len > 0 ? (size_t)der_len : 0);  /* it may be a private key */
	BIO_free(mem);
	ERR_clear_error();
	return what;
}

const char *input_describe(const unsigned char *data, size_t len)
{
	static const struct {
		const char *marker;
		const char *what;
	} kinds[] = {
		{ "-----BEGIN NEW CERTIFICATE REQUEST-----", "a certificate request" },
		{ "-----BEGIN CERTIFICATE REQUEST-----", "a certificate request" },
		{ "-----BEGIN CERTIFICATE-----", "a certificate" },
		{ "-----BEGIN TRUSTED CERTIFICATE-----", "a certificate" },
		{ "-----BEGIN PKCS7-----", "a PKCS#7 certificate bundle" },
		{ "-----BEGIN ENCRYPTED PRIVATE KEY-----", "an encrypted private key" },
		{ "-----BEGIN PRIVATE KEY-----", "a private key" },
		{ "-----BEGIN RSA PRIVATE KEY-----", "a private key" },
		{ "-----BEGIN EC PRIVATE KEY-----", "a private key" },
		{ "-----BEGIN PUBLIC KEY-----", "a public key" },
		{ "-----BEGIN X509 CRL-----", "a certificate revocation list" },
	};

	const char *message = len > 0 && data[0] != 0x30 ? describe_pem_message(data, len) : NULL;

	if (message != NULL)
		return message;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (memmem(data, len, kinds[i].marker, strlen(kinds[i].marker)) != NULL)
			return kinds[i].what;
	if (len > 4 && data[0] == 0x30) {
		const char *what = describe_der(data, len);

		ERR_clear_error();
		return what != NULL ? what : "binary (DER) data";
	}
	if (memmem(data, len, "[NewRequest]", 12) != NULL || memmem(data, len, "[Version]", 9) != NULL)
		return "a certreq INF file";
	return "not a PEM or DER file";
}

/* Password callback state: whether OpenSSL asked, and the secret to give it. */
struct key_pass {
	const char *source;
	const char *option;
	struct mkcsr_secret secret;
	bool asked;
	enum mkcsr_err rc;
};

static int key_pass_cb(char *buf, int size, int rwflag, void *u)
{
	struct key_pass *kp = u;

	kp->asked = true;
	if (kp->source == NULL)
		return -1;
	if (kp->secret.text == NULL) {
		kp->rc = secret_read(kp->source, "key passphrase", false, &kp->secret);
		if (kp->rc != MKCSR_E_OK)
			return -1;
	}
	if (kp->secret.len >= (size_t)size)
		return -1;
	memcpy(buf, kp->secret.text, kp->secret.len);
	return (int)kp->secret.len;
}

enum mkcsr_err input_load_key(const char *path, const char *pass_source, const char *pass_option, EVP_PKEY **out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	enum mkcsr_err rc = input_read_file(path, &data, &len);

	*out = NULL;
	if (rc != MKCSR_E_OK)
		return rc;
	rc = input_load_key_buffer(data, len, path, pass_source, pass_option, out);
	OPENSSL_clear_free(data, len);
	return rc;
}

enum mkcsr_err input_load_key_buffer(const unsigned char *data, size_t len, const char *path, const char *pass_source,
				     const char *pass_option, EVP_PKEY **out)
{
	struct key_pass kp = { .source = pass_source, .option = pass_option, .rc = MKCSR_E_OK };
	BIO *mem = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;

	*out = NULL;
	if (len == 0 || len > INPUT_MAX_BYTES)
		return err_set_file(MKCSR_E_MALFORMED, path, "'%s' is %s", path, len == 0 ? "empty" : "too large to be a key");
	mem = BIO_new_mem_buf(data, (int)len);
	if (mem == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading '%s'", path);
		goto done;
	}
	if (len > 0 && data[0] == 0x30) {
		/* DER: a plain key, else an EncryptedPrivateKeyInfo, which needs the passphrase. */
		*out = d2i_PrivateKey_bio(mem, NULL);
		if (*out == NULL && BIO_reset(mem) == 1)
			*out = d2i_PKCS8PrivateKey_bio(mem, NULL, key_pass_cb, &kp);
	} else
		*out = PEM_read_bio_PrivateKey(mem, NULL, key_pass_cb, &kp);
	if (*out != NULL)
		goto done;

	if (kp.rc != MKCSR_E_OK)
		rc = kp.rc;
	else if (kp.asked && pass_source == NULL)
		rc = err_set_file(MKCSR_E_SECRET_UNAVAILABLE, path,
				  "'%s' is encrypted: give its passphrase with %s SOURCE", path,
				  pass_option);
	else if (kp.asked)
		rc = err_set_file(MKCSR_E_MALFORMED, path,
				  "'%s': the passphrase is wrong, or the key is damaged", path);
	else
		rc = err_set_file(MKCSR_E_MALFORMED, path, "'%s' is %s, not a private key", path,
				  strcmp(input_describe(data, len), "a private key") == 0 ? "a damaged private key"
				  : input_describe(data, len));
done:
	secret_clear(&kp.secret);
	BIO_free(mem);
	return rc;
}

enum mkcsr_err input_load_csr(const char *path, X509_REQ **out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	enum mkcsr_err rc = input_read_file(path, &data, &len);

	*out = NULL;
	if (rc != MKCSR_E_OK)
		return rc;
	rc = input_load_csr_buffer(data, len, path, out);
	free(data);
	return rc;
}

enum mkcsr_err input_load_csr_buffer(const unsigned char *data, size_t len, const char *path, X509_REQ **out)
{
	enum mkcsr_err rc = MKCSR_E_OK;
	BIO *mem;

	*out = NULL;
	if (len == 0 || len > INPUT_MAX_BYTES)
		return err_set_file(MKCSR_E_MALFORMED, path, "'%s' is %s", path,
				    len == 0 ? "empty" : "too large to be a request");
	mem = BIO_new_mem_buf(data, (int)len);
	if (mem != NULL) {
		if (data[0] == 0x30) {
			*out = d2i_X509_REQ_bio(mem, NULL);
		} else {
			char *name = NULL, *header = NULL;
			unsigned char *der = NULL;
			long der_len = 0;

			/* PEM_read_bio_X509_REQ takes only "CERTIFICATE REQUEST"; certlm writes "NEW ...". */
			while (PEM_read_bio(mem, &name, &header, &der, &der_len)) {
				if (strcmp(name, "NEW CERTIFICATE REQUEST") == 0 || strcmp(name, "CERTIFICATE REQUEST") == 0) {
					const unsigned char *p = der;

					*out = d2i_X509_REQ(NULL, &p, der_len);
				}
				OPENSSL_free(name);
				OPENSSL_free(header);
				OPENSSL_free(der);
				name = header = NULL;
				der = NULL;
				if (*out != NULL)
					break;
			}
		}
	}
	BIO_free(mem);
	if (*out == NULL)
		rc = err_set_file(MKCSR_E_MALFORMED, path, "'%s' is %s, not a certificate request", path,
				  strcmp(input_describe(data, len), "a certificate request") == 0
				  ? "a damaged certificate request"
				  : input_describe(data, len));
	return rc;
}
