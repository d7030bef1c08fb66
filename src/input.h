#ifndef MKCSR_INPUT_H
#define MKCSR_INPUT_H

/*
 * Reading the files users hand mkcsr, by content rather than by name:
 * keys (PKCS#8, traditional, encrypted or not), requests (either Base64
 * header, CRLF, DER) and the size limit every reader shares.
 */

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "err.h"

/* Certificates, keys and requests are small; anything larger is not one. */
#define INPUT_MAX_BYTES (10 * 1024 * 1024)

/* The whole file in a malloc'ed buffer with a NUL after it. */
enum mkcsr_err input_read_file(const char *path, unsigned char **data, size_t *len);

/*
 * A private key.  pass_source (NULL if none) is asked only when the key is
 * encrypted; an encrypted key without one is an error naming the option.
 */
enum mkcsr_err input_load_key(const char *path, const char *pass_source, const char *pass_option,
			      EVP_PKEY **out);

/* The same for a file already in memory (data[len] need not be NUL); path names it in messages. */
enum mkcsr_err input_load_key_buffer(const unsigned char *data, size_t len, const char *path, const char *pass_source,
				     const char *pass_option, EVP_PKEY **out);

/* A PKCS#10 request in PEM (NEW CERTIFICATE REQUEST or CERTIFICATE REQUEST) or DER. */
enum mkcsr_err input_load_csr(const char *path, X509_REQ **out);
enum mkcsr_err input_load_csr_buffer(const unsigned char *data, size_t len, const char *path, X509_REQ **out);

/* The line mkcsr new writes before a key made from a role template. */
#define INPUT_ROLE_MARKER "mkcsr-role: "

/* The role marked in a key file by mkcsr new --template, into role (size bytes); "" when none. */
void input_key_role(const char *path, char *role, size_t size);

/* What a PEM or DER file holds, for messages such as "is a private key, not a certificate". */
const char *input_describe(const unsigned char *data, size_t len);

#endif
