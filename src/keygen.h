#ifndef MKCSR_KEYGEN_H
#define MKCSR_KEYGEN_H

/* Key types, key generation and the private key file (PKCS#8 PEM). */

#include <stddef.h>

#include <openssl/evp.h>

#include "err.h"

enum mkcsr_key_alg {
	MKCSR_KEY_EC,
	MKCSR_KEY_RSA,
};

struct mkcsr_key_spec {
	enum mkcsr_key_alg alg;
	unsigned bits;        /* RSA modulus or EC field size */
	const char *curve;    /* "P-256" (NIST name, as Windows' ECDSA_P256), EC only */
	const char *group;    /* OpenSSL's group name, EC only */
	const char *hash;     /* default signature digest: "SHA256", ... */
};

/* "ec:P-256" (the default), "ec:P-384", "ec:P-521", "rsa:2048", "rsa:3072", "rsa:4096". */
enum mkcsr_err keygen_parse_type(const char *text, struct mkcsr_key_spec *out);

/* The default: ECDSA P-256, as certlm's ECDSA_P256 in the software KSP. */
void keygen_default(struct mkcsr_key_spec *out);

enum mkcsr_err keygen_generate(const struct mkcsr_key_spec *spec, EVP_PKEY **out);

/*
 * One initialised generation context per key type, for one thread: a
 * batch sets each up once instead of once per key.  Zero-initialise;
 * keygen_cache_clear frees it.
 */
struct keygen_cache {
	EVP_PKEY_CTX *ctx[6];
};

/* As keygen_generate, through cache (NULL: a context of its own). */
enum mkcsr_err keygen_generate_cached(struct keygen_cache *cache, const struct mkcsr_key_spec *spec,
				      EVP_PKEY **out);
void keygen_cache_clear(struct keygen_cache *cache);

/* "ec:P-256" or "rsa:2048": the name --key-type takes. */
const char *keygen_type_name(const struct mkcsr_key_spec *spec, char *buf, size_t size);

/* "ECDSA P-256" or "RSA 2048". */
const char *keygen_describe(const struct mkcsr_key_spec *spec, char *buf, size_t size);

/*
 * The private key as PKCS#8 PEM in a malloc'ed buffer; with a passphrase
 * it is an EncryptedPrivateKeyInfo (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC).
 * The caller frees it with OPENSSL_clear_free().
 */
enum mkcsr_err keygen_encode_private(const struct mkcsr_key_spec *spec, EVP_PKEY *key,
				     const char *pass, size_t pass_len, char **out, size_t *out_len);

/*
 * An EC key's public point, encoded uncompressed (65 bytes for P-256):
 * reading it converts the point to affine coordinates, which costs as
 * much as a tenth of making the key, so a batch reads it once and hands
 * it to both the request and the key file.
 */
struct keygen_point {
	unsigned char bytes[1 + 2 * 66];
	size_t len;
};

enum mkcsr_err keygen_read_point(EVP_PKEY *key, struct keygen_point *out);

/* As keygen_encode_private, with the EC point already read (point may be NULL). */
enum mkcsr_err keygen_encode_private_point(const struct mkcsr_key_spec *spec, EVP_PKEY *key,
					   const struct keygen_point *point, const char *pass, size_t pass_len,
					   char **out, size_t *out_len);

/* PBKDF2 rounds for an encrypted key file: far above OpenSSL's default of 2048. */
#define KEYGEN_PBKDF2_ITERATIONS 100000

#endif
