#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>

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

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (memmem(data, len, kinds[i].marker, strlen(kinds[i].marker)) != NULL)
			return kinds[i].what;
	if (len > 4 && data[0] == 0x30)
		return "binary (DER) data";
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
