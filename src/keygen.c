#include <config.h>

#include <string.h>
#include <strings.h>

#include <openssl/buffer.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>

#include "keygen.h"

static const struct mkcsr_key_spec key_types[] = {
	{ MKCSR_KEY_EC, 256, "P-256", "prime256v1", "SHA256" },
	{ MKCSR_KEY_EC, 384, "P-384", "secp384r1", "SHA384" },
	{ MKCSR_KEY_EC, 521, "P-521", "secp521r1", "SHA512" },
	{ MKCSR_KEY_RSA, 2048, NULL, NULL, "SHA256" },
	{ MKCSR_KEY_RSA, 3072, NULL, NULL, "SHA256" },
	{ MKCSR_KEY_RSA, 4096, NULL, NULL, "SHA256" },
};

void keygen_default(struct mkcsr_key_spec *out)
{
	*out = key_types[0];
}

enum mkcsr_err keygen_parse_type(const char *text, struct mkcsr_key_spec *out)
{
	for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++) {
		const struct mkcsr_key_spec *t = &key_types[i];
		char name[16];

		if (t->alg == MKCSR_KEY_EC)
			snprintf(name, sizeof(name), "ec:%s", t->curve);
		else
			snprintf(name, sizeof(name), "rsa:%u", t->bits);
		if (strcasecmp(name, text) == 0) {
			*out = *t;
			return MKCSR_E_OK;
		}
	}
	return err_set(MKCSR_E_BAD_KEY_TYPE, "'%s'", text);
}

enum mkcsr_err keygen_generate(const struct mkcsr_key_spec *spec, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM params[3];
	enum mkcsr_err rc = MKCSR_E_OK;
	size_t bits = spec->bits;
	char group[32], point_format[] = "uncompressed";
	char buf[32];

	*out = NULL;
	if (spec->alg == MKCSR_KEY_EC) {
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
		snprintf(group, sizeof(group), "%s", spec->group);
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
		/* Named curve, uncompressed point: what certlm's KSP key carries. */
		params[1] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
							     point_format, 0);
	} else {
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
		params[0] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_RSA_BITS, &bits);
		params[1] = OSSL_PARAM_construct_end();
	}
	params[2] = OSSL_PARAM_construct_end();

	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_params(ctx, params) <= 0 ||
	    EVP_PKEY_generate(ctx, out) <= 0)
		rc = err_set(MKCSR_E_CRYPTO, "generating a %s key", keygen_describe(spec, buf, sizeof(buf)));
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

const char *keygen_describe(const struct mkcsr_key_spec *spec, char *buf, size_t size)
{
	if (spec->alg == MKCSR_KEY_EC)
		snprintf(buf, size, "ECDSA %s", spec->curve);
	else
		snprintf(buf, size, "RSA %u", spec->bits);
	return buf;
}

enum mkcsr_err keygen_encode_private(EVP_PKEY *key, const char *pass, size_t pass_len, char **out,
				     size_t *out_len)
{
	BIO *mem = BIO_new(BIO_s_secmem());
	BUF_MEM *buf = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	int ok;

	*out = NULL;
	*out_len = 0;
	if (mem == NULL)
		return err_set(MKCSR_E_NOMEM, "encoding the private key");
	if (pass != NULL)
		ok = PEM_write_bio_PKCS8PrivateKey(mem, key, EVP_aes_256_cbc(), pass, (int)pass_len, NULL, NULL);
	else
		ok = PEM_write_bio_PKCS8PrivateKey(mem, key, NULL, NULL, 0, NULL, NULL);
	if (!ok || BIO_get_mem_ptr(mem, &buf) <= 0) {
		rc = err_set(MKCSR_E_CRYPTO, "encoding the private key as PKCS#8");
		goto done;
	}
	*out = OPENSSL_malloc(buf->length);
	if (*out == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "encoding the private key");
		goto done;
	}
	memcpy(*out, buf->data, buf->length);
	*out_len = buf->length;
done:
	BIO_free(mem);  /* a secure-memory BIO wipes what it held */
	return rc;
}
