#ifndef MKCSR_MSASN1_H
#define MKCSR_MSASN1_H

/*
 * Microsoft's ASN.1 structures in requests, described with OpenSSL's
 * ASN.1 templates so that OpenSSL does the encoding.  The template
 * macros need typedef'd names; these are the only typedefs in mkcsr.
 */

#include <openssl/asn1t.h>

/* 1.3.6.1.4.1.311.13.2.2 enrollment CSP: SEQUENCE { keySpec, provider, signature } */
typedef struct {
	ASN1_INTEGER *key_spec;       /* 0 for a CNG key storage provider */
	ASN1_BMPSTRING *provider;     /* "Microsoft Software Key Storage Provider" */
	ASN1_BIT_STRING *signature;   /* empty */
} MS_ENROLL_CSP;
DECLARE_ASN1_ITEM(MS_ENROLL_CSP)

/* 1.3.6.1.4.1.311.21.20 client info: SEQUENCE { clientId, machine, user, process } */
typedef struct {
	ASN1_INTEGER *client_id;
	ASN1_UTF8STRING *machine;
	ASN1_UTF8STRING *user;
	ASN1_UTF8STRING *process;
} MS_CLIENT_INFO;
DECLARE_ASN1_ITEM(MS_CLIENT_INFO)

/* 1.3.6.1.4.1.311.21.7 certificate template: SEQUENCE { templateID, majorVersion, minorVersion } */
typedef struct {
	ASN1_OBJECT *template_id;
	ASN1_INTEGER *major_version;  /* optional */
	ASN1_INTEGER *minor_version;  /* optional */
} MS_CERT_TEMPLATE;
DECLARE_ASN1_ITEM(MS_CERT_TEMPLATE)

/*
 * RFC 5915 ECPrivateKey, without the optional parameters (they are in the
 * PKCS#8 AlgorithmIdentifier), as OpenSSL's own PKCS#8 encoder writes it.
 * Not Microsoft's, but described here with the other templates.
 */
typedef struct {
	ASN1_INTEGER *version;        /* 1 */
	ASN1_OCTET_STRING *private_key;
	ASN1_OBJECT *parameters;      /* [0], left out */
	ASN1_BIT_STRING *public_key;  /* [1] */
} EC_PRIVATE_KEY_INFO;
DECLARE_ASN1_ITEM(EC_PRIVATE_KEY_INFO)

#define MS_KSP_NAME "Microsoft Software Key Storage Provider"
/* MS-WCCE ClientIdDefaultRequest, the value certlm's custom request carries. */
#define MS_CLIENT_ID_DEFAULT_REQUEST 5

#endif
