#include <config.h>

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

enum mkcsr_err pfx_build(EVP_PKEY *key, X509 *leaf, STACK_OF(X509) *cas, const char *pass,
			 const struct mkcsr_pfx_options *opts, unsigned char **out, size_t *out_len)
{
	int nid = opts->profile == MKCSR_PFX_MODERN ? NID_aes_256_cbc : NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
	PKCS12 *p12 = NULL;
	unsigned char *der = NULL;
	int len;

	*out = NULL;
	*out_len = 0;
	/* PKCS12_create copies these key attributes into the key bag, as openssl pkcs12 -CSP -LMK does. */
	if ((opts->provider != NULL &&
	     !EVP_PKEY_add1_attr_by_NID(key, NID_ms_csp_name, MBSTRING_UTF8, (const unsigned char *)opts->provider, -1)) ||
	    (opts->machine_keyset && !EVP_PKEY_add1_attr_by_NID(key, NID_LocalKeySet, 0, NULL, -1)))
		return err_set(MKCSR_E_CRYPTO, "adding the Windows provider attributes to the key");

	/* No MAC from PKCS12_create (OpenSSL 3 would pick SHA-256): each profile sets its own below. */
	p12 = PKCS12_create_ex(pass, opts->friendly_name, key, leaf, cas, nid, nid, PFX_ITERATIONS, -1, 0, NULL, NULL);
	if (p12 == NULL)
		return err_set(MKCSR_E_CRYPTO, "building the PFX");
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
