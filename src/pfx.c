#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/pkcs12.h>

#include "pfx.h"

enum mkcsr_err pfx_parse_profile(const char *text, enum mkcsr_pfx_profile *out)
{
	if (strcasecmp(text, "compat") == 0)
		*out = MKCSR_PFX_COMPAT;
	else if (strcasecmp(text, "modern") == 0)
		*out = MKCSR_PFX_MODERN;
	else
		return err_set(MKCSR_E_BAD_FORMAT, "--profile '%s': use compat or modern", text);
	return MKCSR_E_OK;
}

const char *pfx_profile_key(enum mkcsr_pfx_profile profile)
{
	return profile == MKCSR_PFX_MODERN ? "modern" : "compat";
}

const char *pfx_profile_algorithms(enum mkcsr_pfx_profile profile)
{
	return profile == MKCSR_PFX_MODERN ? "AES-256-CBC with PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC"
					   : "3DES (pbeWithSHA1And3-KeyTripleDES-CBC), SHA-1 MAC";
}

const char *pfx_profile_windows(enum mkcsr_pfx_profile profile)
{
	return profile == MKCSR_PFX_MODERN ? "Windows 10 1709 and later, Windows Server 2019 and later"
					   : "every Windows from Server 2012 R2 and Windows 8.1 on";
}

/*
 * The certificates' safe, encrypted: the leaf with its localKeyID and the
 * friendlyName certlm shows, then the CA certificates, which need neither.
 */
static bool add_cert_safe(STACK_OF(PKCS7) **safes, X509 *leaf, STACK_OF(X509) *cas, unsigned char *key_id,
			  unsigned int key_id_len, const char *pass, int nid, const struct mkcsr_pfx_options *opts)
{
	STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
	PKCS12_SAFEBAG *bag = PKCS12_add_cert(&bags, leaf);
	bool ok = bag != NULL && PKCS12_add_localkeyid(bag, key_id, (int)key_id_len) &&
		  (opts->friendly_name == NULL || PKCS12_add_friendlyname_utf8(bag, opts->friendly_name, -1));

	for (int i = 0; ok && i < sk_X509_num(cas); i++)
		ok = PKCS12_add_cert(&bags, sk_X509_value(cas, i)) != NULL;
	ok = ok && PKCS12_add_safe_ex(safes, bags, nid, PFX_ITERATIONS, pass, NULL, NULL);
	sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	return ok;
}

/*
 * The key's safe, plain around a shrouded key bag: localKeyID, the
 * provider and the machine-keyset mark, and no friendlyName, which
 * Windows would take as the key container name (windows-reference 3).
 */
static bool add_key_safe(STACK_OF(PKCS7) **safes, EVP_PKEY *key, unsigned char *key_id, unsigned int key_id_len,
			 const char *pass, int nid, const struct mkcsr_pfx_options *opts)
{
	STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
	PKCS12_SAFEBAG *bag = PKCS12_add_key_ex(&bags, key, 0, PFX_ITERATIONS, nid, pass, NULL, NULL);
	bool ok = bag != NULL && PKCS12_add_localkeyid(bag, key_id, (int)key_id_len) &&
		  (opts->provider == NULL ||
		   PKCS12_add1_attr_by_NID(bag, NID_ms_csp_name, MBSTRING_UTF8, (const unsigned char *)opts->provider, -1)) &&
		  (!opts->machine_keyset || PKCS12_add1_attr_by_NID(bag, NID_LocalKeySet, 0, NULL, -1));

	ok = ok && PKCS12_add_safe_ex(safes, bags, -1, 0, NULL, NULL, NULL);
	sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	return ok;
}

enum mkcsr_err pfx_build(EVP_PKEY *key, X509 *leaf, STACK_OF(X509) *cas, const char *pass,
			 const struct mkcsr_pfx_options *opts, unsigned char **out, size_t *out_len)
{
	int nid = opts->profile == MKCSR_PFX_MODERN ? NID_aes_256_cbc : NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
	STACK_OF(PKCS7) *safes = NULL;
	PKCS12 *p12 = NULL;
	unsigned char *der = NULL, key_id[EVP_MAX_MD_SIZE];
	unsigned int key_id_len = 0;
	int len;

	*out = NULL;
	*out_len = 0;
	if (X509_check_private_key(leaf, key) != 1)
		return err_set(MKCSR_E_CRYPTO, "building the PFX: the key is not the certificate's");
	/* localKeyID pairs key and certificate: the SHA-1 of the certificate, as OpenSSL and Windows write it. */
	if (!X509_digest(leaf, EVP_sha1(), key_id, &key_id_len) ||
	    !add_cert_safe(&safes, leaf, cas, key_id, key_id_len, pass, nid, opts) ||
	    !add_key_safe(&safes, key, key_id, key_id_len, pass, nid, opts) ||
	    (p12 = PKCS12_add_safes_ex(safes, 0, NULL, NULL)) == NULL) {
		sk_PKCS7_pop_free(safes, PKCS7_free);
		return err_set(MKCSR_E_CRYPTO, "building the PFX");
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	/* Each profile its own MAC: SHA-1 for compat, SHA-256 for modern. */
	if (!PKCS12_set_mac(p12, pass, -1, NULL, 0, PFX_ITERATIONS,
			    opts->profile == MKCSR_PFX_MODERN ? EVP_sha256() : EVP_sha1())) {
		PKCS12_free(p12);
		return err_set(MKCSR_E_CRYPTO, "adding the PFX's integrity check (MAC)");
	}
	len = i2d_PKCS12(p12, &der);
	PKCS12_free(p12);
	if (len <= 0)
		return err_set(MKCSR_E_CRYPTO, "encoding the PFX");
	*out = der;
	*out_len = (size_t)len;
	return MKCSR_E_OK;
}

void pfx_thumbprint(X509 *cert, char out[41])
{
	unsigned char md[20];
	unsigned int len = 0;

	out[0] = '\0';
	if (!X509_digest(cert, EVP_sha1(), md, &len) || len != 20)
		return;
	for (unsigned i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02X", md[i]);
}
