#include <config.h>

#include <string.h>
#include <strings.h>

#include <openssl/buffer.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include <openssl/bn.h>
#include <openssl/x509.h>

#include "keygen.h"
#include "msasn1.h"

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

		if (strcasecmp(keygen_type_name(t, name, sizeof(name)), text) == 0) {
			*out = *t;
			return MKCSR_E_OK;
		}
	}
	return err_set(MKCSR_E_BAD_KEY_TYPE, "'%s'", text);
}

/* A generation context for spec, initialised with its parameters. */
static EVP_PKEY_CTX *keygen_context(const struct mkcsr_key_spec *spec)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM params[3];
	size_t bits = spec->bits;
	char group[32], point_format[] = "uncompressed";

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
	if (ctx != NULL && (EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_CTX_set_params(ctx, params) <= 0)) {
		EVP_PKEY_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

static size_t key_type_index(const struct mkcsr_key_spec *spec)
{
	size_t i = 0;

	while (i + 1 < sizeof(key_types) / sizeof(key_types[0]) &&
	       (key_types[i].alg != spec->alg || key_types[i].bits != spec->bits))
		i++;
	return i;
}

enum mkcsr_err keygen_generate_cached(struct keygen_cache *cache, const struct mkcsr_key_spec *spec,
				      EVP_PKEY **out)
{
	EVP_PKEY_CTX *own = NULL, *ctx;
	size_t slot = key_type_index(spec);
	char buf[32];
	int ok;

	*out = NULL;
	if (cache != NULL && cache->ctx[slot] == NULL)
		cache->ctx[slot] = keygen_context(spec);
	ctx = cache != NULL ? cache->ctx[slot] : (own = keygen_context(spec));
	ok = ctx != NULL && EVP_PKEY_generate(ctx, out) > 0;
	EVP_PKEY_CTX_free(own);
	return ok ? MKCSR_E_OK
		  : err_set(MKCSR_E_CRYPTO, "generating the %s key", keygen_describe(spec, buf, sizeof(buf)));
}

enum mkcsr_err keygen_generate(const struct mkcsr_key_spec *spec, EVP_PKEY **out)
{
	return keygen_generate_cached(NULL, spec, out);
}

void keygen_cache_clear(struct keygen_cache *cache)
{
	for (size_t i = 0; i < sizeof(cache->ctx) / sizeof(cache->ctx[0]); i++) {
		EVP_PKEY_CTX_free(cache->ctx[i]);
		cache->ctx[i] = NULL;
	}
}

const char *keygen_type_name(const struct mkcsr_key_spec *spec, char *buf, size_t size)
{
	if (spec->alg == MKCSR_KEY_EC)
		snprintf(buf, size, "ec:%s", spec->curve);
	else
		snprintf(buf, size, "rsa:%u", spec->bits);
	return buf;
}

const char *keygen_describe(const struct mkcsr_key_spec *spec, char *buf, size_t size)
{
	if (spec->alg == MKCSR_KEY_EC)
		snprintf(buf, size, "ECDSA %s", spec->curve);
	else
		snprintf(buf, size, "RSA %u", spec->bits);
	return buf;
}

/*
 * PKCS#8 PrivateKeyInfo for an EC key, assembled from the key's parameters
 * with OpenSSL's ASN.1 templates.  The result is byte for byte what
 * OpenSSL's PKCS#8 encoder writes, but the encoder machinery of OpenSSL 3.0
 * costs more to set up than generating the key.
 */
enum mkcsr_err keygen_read_point(EVP_PKEY *key, struct keygen_point *out)
{
	out->len = 0;
	if (!EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out->bytes, sizeof(out->bytes),
					     &out->len))
		return err_set(MKCSR_E_CRYPTO, "reading the EC public key");
	return MKCSR_E_OK;
}

static PKCS8_PRIV_KEY_INFO *ec_private_key_info(const struct mkcsr_key_spec *spec, EVP_PKEY *key,
						const struct keygen_point *known)
{
	EC_PRIVATE_KEY_INFO info = { 0 };
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	BIGNUM *priv = NULL;
	unsigned char scalar[66];
	struct keygen_point read = { .len = 0 };
	const struct keygen_point *point = known ? known : &read;
	unsigned char *der = NULL;
	size_t scalar_len = (spec->bits + 7) / 8;
	int der_len = 0, curve_nid = OBJ_sn2nid(spec->group);

	if (curve_nid == NID_undef || scalar_len > sizeof(scalar) ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &priv) ||
	    BN_bn2binpad(priv, scalar, (int)scalar_len) < 0 || (known == NULL && keygen_read_point(key, &read) != MKCSR_E_OK))
		goto done;
	info.version = ASN1_INTEGER_new();
	info.private_key = ASN1_OCTET_STRING_new();
	info.public_key = ASN1_BIT_STRING_new();
	if (info.version == NULL || info.private_key == NULL || info.public_key == NULL ||
	    !ASN1_INTEGER_set(info.version, 1) || !ASN1_OCTET_STRING_set(info.private_key, scalar, (int)scalar_len) ||
	    !ASN1_STRING_set(info.public_key, point->bytes, (int)point->len))
		goto done;
	/* A point is whole octets: without this OpenSSL would trim trailing zero bits as for named bits. */
	info.public_key->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
	info.public_key->flags |= ASN1_STRING_FLAG_BITS_LEFT;
	der_len = ASN1_item_i2d((ASN1_VALUE *)&info, &der, ASN1_ITEM_rptr(EC_PRIVATE_KEY_INFO));
	if (der_len <= 0)
		goto done;
	p8 = PKCS8_PRIV_KEY_INFO_new();
	if (p8 == NULL || !PKCS8_pkey_set0(p8, OBJ_nid2obj(NID_X9_62_id_ecPublicKey), 0, V_ASN1_OBJECT,
					   OBJ_nid2obj(curve_nid), der, der_len)) {
		PKCS8_PRIV_KEY_INFO_free(p8);
		p8 = NULL;
		goto done;
	}
	der = NULL;  /* owned by p8 now */
done:
	OPENSSL_cleanse(scalar, sizeof(scalar));
	if (der != NULL)
		OPENSSL_clear_free(der, (size_t)der_len);
	if (info.private_key != NULL)
		OPENSSL_cleanse(info.private_key->data, (size_t)info.private_key->length);
	ASN1_INTEGER_free(info.version);
	ASN1_OCTET_STRING_free(info.private_key);
	ASN1_BIT_STRING_free(info.public_key);
	BN_clear_free(priv);
	return p8;
}

enum mkcsr_err keygen_encode_private(const struct mkcsr_key_spec *spec, EVP_PKEY *key, const char *pass,
				     size_t pass_len, char **out, size_t *out_len)
{
	return keygen_encode_private_point(spec, key, NULL, pass, pass_len, out, out_len);
}

enum mkcsr_err keygen_encode_private_point(const struct mkcsr_key_spec *spec, EVP_PKEY *key,
					   const struct keygen_point *point, const char *pass, size_t pass_len,
					   char **out, size_t *out_len)
{
	BIO *mem = BIO_new(BIO_s_secmem());
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	X509_SIG *encrypted = NULL;
	BUF_MEM *buf = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	int ok;

	*out = NULL;
	*out_len = 0;
	if (mem == NULL)
		return err_set(MKCSR_E_NOMEM, "encoding the private key");
	p8 = spec->alg == MKCSR_KEY_EC ? ec_private_key_info(spec, key, point) : EVP_PKEY2PKCS8(key);
	if (p8 == NULL) {
		rc = err_set(MKCSR_E_CRYPTO, "encoding the private key as PKCS#8");
		goto done;
	}
	if (pass != NULL) {
		/* PBES2: PBKDF2 with HMAC-SHA256 (OpenSSL's default PRF) and AES-256-CBC. */
		encrypted = PKCS8_encrypt_ex(-1, EVP_aes_256_cbc(), pass, (int)pass_len, NULL, 0,
					     KEYGEN_PBKDF2_ITERATIONS, p8, NULL, NULL);
		ok = encrypted != NULL && PEM_write_bio_PKCS8(mem, encrypted);
	} else {
		ok = PEM_write_bio_PKCS8_PRIV_KEY_INFO(mem, p8);
	}
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
	X509_SIG_free(encrypted);
	PKCS8_PRIV_KEY_INFO_free(p8);  /* clears the key material it holds */
	BIO_free(mem);                 /* a secure-memory BIO wipes what it held */
	return rc;
}
