#ifndef MKCSR_PFX_H
#define MKCSR_PFX_H

/*
 * PKCS#12 (PFX) files that Windows imports into LocalMachine\My with the
 * key in the right provider (windows-reference section 3): localKeyID on
 * key and certificate, friendlyName on the certificate alone (on the key
 * Windows would take it as the key container name), the CSP/KSP name
 * 1.3.6.1.4.1.311.17.1 and the machine-keyset mark 1.3.6.1.4.1.311.17.2 on
 * the key.
 */

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "err.h"

enum mkcsr_pfx_profile {
	MKCSR_PFX_COMPAT,   /* 3DES + SHA-1 MAC: every Windows, as Export-PfxCertificate writes */
	MKCSR_PFX_MODERN,   /* AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC: Windows 10 1709 / Server 2019 on */
};

/* PBKDF2 and MAC rounds: OpenSSL's default, far below Windows' limit of 600000. */
#define PFX_ITERATIONS 2048

struct mkcsr_pfx_options {
	enum mkcsr_pfx_profile profile;
	const char *friendly_name;   /* UTF-8 */
	const char *provider;        /* "Microsoft Software Key Storage Provider" */
	bool machine_keyset;
};

enum mkcsr_err pfx_parse_profile(const char *text, enum mkcsr_pfx_profile *out);
const char *pfx_profile_key(enum mkcsr_pfx_profile profile);          /* "compat" */
const char *pfx_profile_algorithms(enum mkcsr_pfx_profile profile);   /* for the summary */
const char *pfx_profile_windows(enum mkcsr_pfx_profile profile);      /* which Windows import it */

/*
 * The DER PFX in a malloc'ed buffer: one encrypted safe with leaf and
 * then cas in order, one with the key.
 */
enum mkcsr_err pfx_build(EVP_PKEY *key, X509 *leaf, STACK_OF(X509) *cas, const char *pass,
			 const struct mkcsr_pfx_options *opts, unsigned char **out, size_t *out_len);

/* SHA-1 of the certificate in upper-case hex: the thumbprint certlm and PowerShell show. */
void pfx_thumbprint(X509 *cert, char out[41]);

#endif
