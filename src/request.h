#ifndef MKCSR_REQUEST_H
#define MKCSR_REQUEST_H

/*
 * The request spec: everything a CSR will say, gathered from options
 * (later also templates, INF files and old certificates) and checked
 * before any key is generated.  One spec feeds every producer.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "keygen.h"
#include "names.h"
#include "subject.h"

/* X.509 KeyUsage bits, numbered as in RFC 5280 (digitalSignature is bit 0). */
enum mkcsr_key_usage_bit {
	KU_BIT_DIGITAL_SIGNATURE = 0,
	KU_BIT_NON_REPUDIATION = 1,
	KU_BIT_KEY_ENCIPHERMENT = 2,
	KU_BIT_DATA_ENCIPHERMENT = 3,
	KU_BIT_KEY_AGREEMENT = 4,
	KU_BIT_KEY_CERT_SIGN = 5,
	KU_BIT_CRL_SIGN = 6,
	KU_BIT_ENCIPHER_ONLY = 7,
	KU_BIT_DECIPHER_ONLY = 8,
	KU_BIT_COUNT_
};

struct mkcsr_request {
	char *host;                 /* normalized --host, or NULL */
	struct mkcsr_name *names;   /* subjectAltName entries, host first, no duplicates */
	size_t name_count;
	struct mkcsr_subject subject;
	bool subject_given;         /* --subject was set (it may be given once) */
	struct mkcsr_key_spec key;
	const char *hash;           /* "SHA256", "SHA384", "SHA512" */
	char **ekus;                /* dotted OIDs, in order */
	size_t eku_count;
	bool ekus_defaulted;        /* still the default list: a first --eku replaces it */
	unsigned key_usage;         /* 1 << enum mkcsr_key_usage_bit; 0 = no extension */
	bool app_policies;          /* Microsoft Application Policies mirroring the EKU */
	bool subject_key_id;
	bool minimal;               /* only the SAN in the extension request */
	bool ms_attributes;         /* Microsoft enrollment-CSP and client-info attributes */
	char **warnings;            /* things the user should know, in order */
	size_t warning_count;
	char **notes;               /* what an INF, template or old certificate gave, or could not give */
	size_t note_count;
	const char *role;           /* a template's role ("sstp"), carried in the key file; NULL if none */
	bool names_from_base;
	bool san_critical;          /* an INF's Critical = 2.5.29.17 (certlm leaves it non-critical) */
	bool eku_critical;          /* an INF's Critical = 2.5.29.37 */       /* SANs came from an INF, template or certificate: a --san replaces them */
};

/* certlm's defaults: ECDSA P-256, SHA-256, Server Authentication, Application Policies, SKI. */
enum mkcsr_err request_init(struct mkcsr_request *req);

enum mkcsr_err request_set_host(struct mkcsr_request *req, const char *host);
enum mkcsr_err request_add_san(struct mkcsr_request *req, const char *spec);
enum mkcsr_err request_set_subject(struct mkcsr_request *req, const char *text);
enum mkcsr_err request_set_key_type(struct mkcsr_request *req, const char *text);
enum mkcsr_err request_set_hash(struct mkcsr_request *req, const char *text);
/* A keyword from oids.h or a dotted OID; the first call replaces the default list. */
enum mkcsr_err request_add_eku(struct mkcsr_request *req, const char *text);
/* A comma list such as "digitalSignature,keyEncipherment". */
enum mkcsr_err request_set_key_usage(struct mkcsr_request *req, const char *text);

/*
 * Combine and cross-check: CN from the host (unless the subject has one or
 * the host is too long for a CN), at least one name, key usage fitting the
 * key type, --minimal consistency.
 */
enum mkcsr_err request_finalize(struct mkcsr_request *req);

/* Record a warning (printed on stderr) or a note (part of the report). */
enum mkcsr_err request_warn(struct mkcsr_request *req, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum mkcsr_err request_note(struct mkcsr_request *req, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Drop the names an INF, template or certificate gave (a --san on the command line replaces them). */
void request_clear_names(struct mkcsr_request *req);

/* Names of the key usage bits as --key-usage spells them. */
const char *request_key_usage_name(enum mkcsr_key_usage_bit bit);

void request_clear(struct mkcsr_request *req);

#endif
