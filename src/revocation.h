#ifndef MKCSR_REVOCATION_H
#define MKCSR_REVOCATION_H

/*
 * Is a certificate, or a CA above it, revoked?  Shared by mkcsr check and
 * mkcsr probe.
 *
 * --revocation names (check's default) only lists where a Windows client
 * would look; fetch asks: the CRL of every http:// CRL distribution point
 * and the OCSP responder of every http:// AIA OCSP address of the leaf and
 * of each CA certificate below the root (ldap://, file:// and https:// are
 * named, not fetched).  A CRL must be issued and signed by the issuer of
 * the certificate; an OCSP answer signed by the issuer or by a responder
 * the issuer delegated (id-kp-OCSPSigning); both must be current at the
 * check's time, give or take MKCSR_REVOCATION_SKEW seconds of clock skew.
 *
 * Network bounds: one absolute deadline for all the fetches of one check,
 * at most 3 redirects (MKCSR_HTTPGET_MAX_REDIRECTS), at most
 * MKCSR_REVOCATION_MAX_CRL bytes per CRL, http_proxy/no_proxy honoured.
 * Each answer (a CRL by URL, an OCSP answer by URL and certificate) is
 * kept for the rest of the process (up to 256 MB in all), except a
 * timed-out one, so that many targets under one CA fetch its CRL once.  Thread-safe: the cache is the
 * only shared state and a mutex guards it; a thread that needs a URL
 * another thread is fetching waits for that answer (within its own
 * deadline) instead of fetching it again.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "err.h"

/* NAMES is 0: a zeroed struct mkcsr_check_input keeps check's offline behaviour. */
enum mkcsr_revocation_mode {
	MKCSR_REVOCATION_NAMES = 0,  /* list the CRL and OCSP addresses; fetch nothing */
	MKCSR_REVOCATION_OFF,        /* do not look at revocation at all */
	MKCSR_REVOCATION_FETCH,      /* fetch and judge every CRL and OCSP answer */
};

#define MKCSR_REVOCATION_SKEW 300                       /* seconds, as openssl ocsp's -validity_period */
#define MKCSR_REVOCATION_MAX_CRL (20u * 1024u * 1024u)  /* bytes */
#define MKCSR_REVOCATION_MAX_OCSP (1024u * 1024u)       /* bytes */
#define MKCSR_REVOCATION_DEFAULT_TIMEOUT 10             /* seconds, --timeout's default */

enum mkcsr_err revocation_parse_mode(const char *text, enum mkcsr_revocation_mode *out);  /* "fetch", "names", "off" */
const char *revocation_mode_key(enum mkcsr_revocation_mode mode);

enum mkcsr_revocation_kind {
	MKCSR_REVOCATION_CRL,
	MKCSR_REVOCATION_OCSP,
};

/* What one source said about one certificate. */
enum mkcsr_revocation_status {
	MKCSR_REVOCATION_GOOD,            /* not on the CRL / OCSP "good" */
	MKCSR_REVOCATION_REVOKED,
	MKCSR_REVOCATION_UNKNOWN,         /* OCSP "unknown": the responder does not know the certificate */
	MKCSR_REVOCATION_UNREACHABLE,     /* refused, timed out, HTTP error, too large, too many redirects */
	MKCSR_REVOCATION_STALE,           /* nextUpdate passed, or thisUpdate still ahead */
	MKCSR_REVOCATION_BAD_SIGNATURE,   /* not signed by the issuer (or a responder it delegated) */
	MKCSR_REVOCATION_WRONG_ISSUER,    /* a CRL of another CA; an OCSP answer about another certificate */
	MKCSR_REVOCATION_MALFORMED,       /* not a CRL / OCSP response */
	MKCSR_REVOCATION_RESPONDER_ERROR, /* OCSP responseStatus other than successful */
	MKCSR_REVOCATION_NO_ISSUER,       /* the issuer's certificate is missing: nothing to verify with */
	MKCSR_REVOCATION_NOT_FETCHED,     /* ldap://, file://, https://: named only */
	MKCSR_REVOCATION_NOT_TRIED,       /* the deadline had passed before its turn */
	MKCSR_REVOCATION_WRONG_SCOPE,     /* a delta CRL, or one that leaves out this kind of certificate */
};

struct mkcsr_revocation_source {
	enum mkcsr_revocation_kind kind;
	int depth;                    /* 0: the leaf, 1: its issuer, ... */
	char certificate[256];        /* the checked certificate's CN (its subject when it has none) */
	char url[512];                /* as named, control characters escaped */
	enum mkcsr_revocation_status status;
	char detail[256];             /* why, for every status but GOOD and REVOKED; "" otherwise */
	time_t this_update, next_update;  /* 0 when not known */
	bool has_next_update;
	time_t revoked_at;            /* REVOKED only */
	char reason[32];              /* REVOKED: "keyCompromise", ... or "" when the source gives none */
	char proxy[256];              /* the proxy it went through, "" for none */
};

/* The verdict over every source, as Windows reaches it. */
enum mkcsr_revocation_verdict {
	MKCSR_REVOCATION_NOT_REVOKED,   /* every certificate has a good answer, every source answered */
	MKCSR_REVOCATION_PARTLY,        /* every certificate has a good answer, but some source failed */
	MKCSR_REVOCATION_IS_REVOKED,    /* a source says a certificate is revoked: CRYPT_E_REVOKED */
	MKCSR_REVOCATION_OFFLINE,       /* some certificate has no usable answer: CRYPT_E_REVOCATION_OFFLINE */
	MKCSR_REVOCATION_NONE_NAMED,    /* some certificate names no source at all: CRYPT_E_NO_REVOCATION_CHECK */
	MKCSR_REVOCATION_UNFETCHABLE,   /* some certificate names only ldap://, file:// or https:// sources */
};

struct mkcsr_revocation_result {
	enum mkcsr_revocation_verdict verdict;
	struct mkcsr_revocation_source *sources;
	size_t count;
	char none_named[256];         /* the certificate that names no source, for NONE_NAMED */
};

/*
 * Fetch and judge.  path is the certificate and its issuers in order (as
 * X509_STORE_CTX_get1_chain gives them): path[i + 1] issued path[i]; a
 * self-signed last one, the root, is not checked.  A certificate whose
 * issuer is not in path still has its sources fetched, but nothing can
 * verify them (NO_ISSUER).  at is the time answers must be current at;
 * deadline is absolute, on CLOCK_MONOTONIC.  Errors only for out of memory.
 */
enum mkcsr_err revocation_check(STACK_OF(X509) *path, time_t at, const struct timespec *deadline,
				struct mkcsr_revocation_result *out);
void revocation_result_clear(struct mkcsr_revocation_result *r);

/* The Windows code of a verdict (0 for NOT_REVOKED). */
uint32_t revocation_windows_code(enum mkcsr_revocation_verdict verdict);
const char *revocation_status_key(enum mkcsr_revocation_status status);   /* "good", "bad-signature", ... */
const char *revocation_verdict_key(enum mkcsr_revocation_verdict verdict); /* "not-revoked", "offline", ... */
const char *revocation_kind_key(enum mkcsr_revocation_kind kind);          /* "crl", "ocsp" */

/* "not revoked", "revoked on 2026-12-01 00:00:00 UTC (keyCompromise)", "unreachable (connection refused)" */
const char *revocation_source_text(const struct mkcsr_revocation_source *s, char *buf, size_t size);
/*
 * The check's detail line: the verdict, then each certificate's sources:
 * "not revoked: vpn.example.com: CRL http://crl/i.crl not revoked, OCSP
 * http://ocsp good; Example Issuing CA: CRL http://crl/root.crl not revoked"
 */
const char *revocation_summary_text(const struct mkcsr_revocation_result *r, char *buf, size_t size);

/*
 * The verdicts on one CRL or one OCSP answer, with no network (unit-tested):
 * they fill out's status, detail, dates and reason, and leave the rest.
 * issuer may be NULL (NO_ISSUER).
 */
void revocation_judge_crl(X509_CRL *crl, X509 *cert, X509 *issuer, time_t at, struct mkcsr_revocation_source *out);
void revocation_judge_ocsp(OCSP_RESPONSE *resp, X509 *cert, X509 *issuer, time_t at,
			   struct mkcsr_revocation_source *out);
/* The same on the DER bytes of an answer: anything else (trailing bytes too) is MALFORMED. */
void revocation_judge_crl_der(const unsigned char *der, size_t len, X509 *cert, X509 *issuer, time_t at,
			      struct mkcsr_revocation_source *out);
void revocation_judge_ocsp_der(const unsigned char *der, size_t len, X509 *cert, X509 *issuer, time_t at,
			       struct mkcsr_revocation_source *out);

/* Forget every cached answer (tests; a long-running caller between rounds). */
void revocation_cache_clear(void);

#endif
