#ifndef MKCSR_CSR_H
#define MKCSR_CSR_H

/*
 * Building, signing and encoding the PKCS#10 request exactly as certlm's
 * "Create Custom Request" does (windows-reference section 1).
 */

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

#include "err.h"
#include "request.h"

/* Who made the request, for the Microsoft client-info attribute. */
struct mkcsr_client_info {
	char machine[256];
	char user[512];        /* MACHINE\user, as Windows writes a local account */
	const char *process;
};

enum mkcsr_csr_format {
	MKCSR_CSR_BASE64,      /* PEM-style armour, certlm's "Base 64" */
	MKCSR_CSR_DER,
};

struct mkcsr_csr_encoding {
	enum mkcsr_csr_format format;
	bool windows_header;   /* BEGIN NEW CERTIFICATE REQUEST, as certlm and certreq */
	bool crlf;             /* CRLF line ends, as Windows writes */
};

/* This machine and user, process "mkcsr". */
void csr_client_info_local(struct mkcsr_client_info *out);

/* client may be NULL unless req->ms_attributes. */
enum mkcsr_err csr_build(const struct mkcsr_request *req, EVP_PKEY *key,
			 const struct mkcsr_client_info *client, X509_REQ **out);

/* As csr_build, with an EC key's point already read (point may be NULL). */
enum mkcsr_err csr_build_point(const struct mkcsr_request *req, EVP_PKEY *key, const struct keygen_point *point,
			       const struct mkcsr_client_info *client, X509_REQ **out);

/* The encoded request in a malloc'ed buffer. */
enum mkcsr_err csr_encode(X509_REQ *req, const struct mkcsr_csr_encoding *enc,
			  unsigned char **out, size_t *out_len);

/* SHA-256 of the DER SubjectPublicKeyInfo, as lower-case hex (65 bytes with NUL). */
enum mkcsr_err csr_spki_sha256(X509_REQ *req, char hex[65]);

#endif
