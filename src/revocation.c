#include <config.h>

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "display.h"
#include "httpget.h"
#include "revocation.h"

/* ---- names ------------------------------------------------------------------ */

static const char *const mode_keys[] = {
	[MKCSR_REVOCATION_NAMES] = "names",
	[MKCSR_REVOCATION_OFF] = "off",
	[MKCSR_REVOCATION_FETCH] = "fetch",
};

enum mkcsr_err revocation_parse_mode(const char *text, enum mkcsr_revocation_mode *out)
{
	for (size_t i = 0; i < sizeof(mode_keys) / sizeof(mode_keys[0]); i++) {
		if (strcasecmp(text, mode_keys[i]) == 0) {
			*out = (enum mkcsr_revocation_mode)i;
			return MKCSR_E_OK;
		}
	}
	return err_set(MKCSR_E_USAGE, "--revocation '%s': use fetch, names or off", text);
}

const char *revocation_mode_key(enum mkcsr_revocation_mode mode)
{
	return (size_t)mode < sizeof(mode_keys) / sizeof(mode_keys[0]) ? mode_keys[mode] : "?";
}

const char *revocation_status_key(enum mkcsr_revocation_status status)
{
	switch (status) {
	case MKCSR_REVOCATION_GOOD: return "good";
	case MKCSR_REVOCATION_REVOKED: return "revoked";
	case MKCSR_REVOCATION_UNKNOWN: return "unknown";
	case MKCSR_REVOCATION_UNREACHABLE: return "unreachable";
	case MKCSR_REVOCATION_STALE: return "stale";
	case MKCSR_REVOCATION_BAD_SIGNATURE: return "bad-signature";
	case MKCSR_REVOCATION_WRONG_ISSUER: return "wrong-issuer";
	case MKCSR_REVOCATION_MALFORMED: return "malformed";
	case MKCSR_REVOCATION_RESPONDER_ERROR: return "responder-error";
	case MKCSR_REVOCATION_NO_ISSUER: return "no-issuer";
	case MKCSR_REVOCATION_NOT_FETCHED: return "not-fetched";
	case MKCSR_REVOCATION_NOT_TRIED: return "not-tried";
	case MKCSR_REVOCATION_WRONG_SCOPE: return "wrong-scope";
	}
	return "?";
}

const char *revocation_verdict_key(enum mkcsr_revocation_verdict verdict)
{
	switch (verdict) {
	case MKCSR_REVOCATION_NOT_REVOKED: return "not-revoked";
	case MKCSR_REVOCATION_PARTLY: return "not-revoked-partly-checked";
	case MKCSR_REVOCATION_IS_REVOKED: return "revoked";
	case MKCSR_REVOCATION_OFFLINE: return "offline";
	case MKCSR_REVOCATION_NONE_NAMED: return "none-named";
	case MKCSR_REVOCATION_UNFETCHABLE: return "not-fetchable";
	}
	return "?";
}

const char *revocation_kind_key(enum mkcsr_revocation_kind kind)
{
	return kind == MKCSR_REVOCATION_CRL ? "crl" : "ocsp";
}

uint32_t revocation_windows_code(enum mkcsr_revocation_verdict verdict)
{
	switch (verdict) {
	case MKCSR_REVOCATION_NOT_REVOKED: return 0;
	case MKCSR_REVOCATION_IS_REVOKED: return 0x80092010;   /* CRYPT_E_REVOKED */
	case MKCSR_REVOCATION_NONE_NAMED: return 0x80092012;   /* CRYPT_E_NO_REVOCATION_CHECK */
	case MKCSR_REVOCATION_PARTLY:
	case MKCSR_REVOCATION_OFFLINE:
	case MKCSR_REVOCATION_UNFETCHABLE: return 0x80092013;  /* CRYPT_E_REVOCATION_OFFLINE */
	}
	return 0;
}

/* ---- text helpers ---------------------------------------------------------- */

/*
 * Text from a certificate or a server, shown as display.h says.  URLs and
 * HTTP reason phrases are ASCII by their standards: every byte past ASCII
 * is \xNN, and controls are \uXXXX.
 */
static void safe_copy(char *dst, size_t size, const char *src, size_t len)
{
	char *shown = display_bytes(src, len, DISPLAY_ASCII, 0);

	display_copy(dst, size, shown ? shown : "");
	free(shown);
}

static void set_detail(struct mkcsr_revocation_source *out, enum mkcsr_revocation_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_detail(struct mkcsr_revocation_source *out, enum mkcsr_revocation_status status, const char *fmt, ...)
{
	va_list ap;

	out->status = status;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
}

static time_t asn1_to_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return timegm(&tm);
}

/* As check writes every time (chain_epoch_text). */
static const char *time_text(time_t t, char *buf, size_t size)
{
	return chain_epoch_text(t, buf, size);
}

/* The CN of a name, else its whole RFC 4514 text, shown as display.h says. */
static void short_name(const X509_NAME *name, char *buf, size_t size)
{
	int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	char *shown = i >= 0 ? display_asn1(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)), 0) : NULL;

	if (shown != NULL)
		display_copy(buf, size, shown);
	else
		chain_name_text(name, buf, size);
	free(shown);
}

/* RFC 5280, 5.3.1. */
static const char *reason_name(long code)
{
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
		"cessationOfOperation", "certificateHold", NULL, "removeFromCRL", "privilegeWithdrawn", "aACompromise",
	};

	if (code >= 0 && (size_t)code < sizeof(names) / sizeof(names[0]) && names[code] != NULL)
		return names[code];
	return "an unknown reason";
}

/* nextUpdate/thisUpdate against at, with the skew allowance; true when current. */
static bool judge_freshness(const ASN1_TIME *this_update, const ASN1_TIME *next_update, time_t at,
			    struct mkcsr_revocation_source *out)
{
	char when[40];

	out->this_update = asn1_to_time(this_update);
	out->has_next_update = next_update != NULL;
	out->next_update = asn1_to_time(next_update);
	if (this_update == NULL || ASN1_TIME_cmp_time_t(this_update, at + MKCSR_REVOCATION_SKEW) > 0) {
		set_detail(out, MKCSR_REVOCATION_STALE, "this update %s is still ahead",
			   this_update ? time_text(out->this_update, when, sizeof(when)) : "(none)");
		return false;
	}
	if (next_update != NULL && ASN1_TIME_cmp_time_t(next_update, at - MKCSR_REVOCATION_SKEW) < 0) {
		set_detail(out, MKCSR_REVOCATION_STALE, "next update %s has passed",
			   time_text(out->next_update, when, sizeof(when)));
		return false;
	}
	return true;
}

/* ---- the verdict on a CRL ----------------------------------------------------- */

/*
 * Whether crl is a complete list that covers cert (RFC 5280, 5.2.4 and
 * 5.2.5): not a delta CRL, no issuing distribution point that leaves out
 * certificates of cert's kind or some reasons, no critical extension
 * OpenSSL does not know.  detail says why not.
 */
static bool crl_covers(X509_CRL *crl, X509 *cert, struct mkcsr_revocation_source *out)
{
	const STACK_OF(X509_EXTENSION) *exts = X509_CRL_get0_extensions(crl);
	ISSUING_DIST_POINT *idp = NULL;
	bool is_ca = X509_check_ca(cert) != 0, ok = true;
	int crit = -1;

	for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *ext = sk_X509_EXTENSION_value(exts, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));

		if (X509_EXTENSION_get_critical(ext) && nid != NID_delta_crl && nid != NID_issuing_distribution_point &&
		    !X509_supported_extension(ext)) {
			set_detail(out, MKCSR_REVOCATION_WRONG_SCOPE, "a critical extension mkcsr does not know");
			return false;
		}
	}
	if (X509_CRL_get_ext_by_NID(crl, NID_delta_crl, -1) >= 0) {
		set_detail(out, MKCSR_REVOCATION_WRONG_SCOPE, "a delta CRL, not a complete one");
		return false;
	}
	idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, &crit, NULL);
	if (idp == NULL && crit != -1) {
		set_detail(out, MKCSR_REVOCATION_MALFORMED, "its issuing distribution point cannot be read");
		ok = false;
	} else if (idp != NULL && ((idp->onlyuser && is_ca) || (idp->onlyCA && !is_ca) || idp->onlyattr)) {
		set_detail(out, MKCSR_REVOCATION_WRONG_SCOPE, "a CRL for %s only",
			   idp->onlyuser ? "end-entity certificates" : idp->onlyCA ? "CA certificates" : "attribute certificates");
		ok = false;
	} else if (idp != NULL && idp->onlysomereasons != NULL) {
		set_detail(out, MKCSR_REVOCATION_WRONG_SCOPE, "a CRL for some revocation reasons only");
		ok = false;
	}
	ISSUING_DIST_POINT_free(idp);
	ERR_clear_error();
	return ok;
}

void revocation_judge_crl(X509_CRL *crl, X509 *cert, X509 *issuer, time_t at, struct mkcsr_revocation_source *out)
{
	X509_REVOKED *revoked = NULL;
	EVP_PKEY *key = issuer ? X509_get0_pubkey(issuer) : NULL;
	char crl_issuer[256], cert_issuer[256];
	uint32_t ku;

	out->detail[0] = '\0';
	if (issuer == NULL) {
		set_detail(out, MKCSR_REVOCATION_NO_ISSUER, "the issuer's certificate is missing");
		return;
	}
	if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) != 0) {
		short_name(X509_CRL_get_issuer(crl), crl_issuer, sizeof(crl_issuer));
		short_name(X509_get_issuer_name(cert), cert_issuer, sizeof(cert_issuer));
		set_detail(out, MKCSR_REVOCATION_WRONG_ISSUER, "the CRL of %s, not of %s", crl_issuer, cert_issuer);
		return;
	}
	short_name(X509_get_subject_name(issuer), cert_issuer, sizeof(cert_issuer));
	if (key == NULL || X509_CRL_verify(crl, key) != 1) {
		ERR_clear_error();
		set_detail(out, MKCSR_REVOCATION_BAD_SIGNATURE, "not signed by the key of %s", cert_issuer);
		return;
	}
	ku = X509_get_key_usage(issuer);
	if (ku != UINT32_MAX && !(ku & KU_CRL_SIGN)) {
		set_detail(out, MKCSR_REVOCATION_BAD_SIGNATURE, "%s may not sign CRLs: its key usage lacks cRLSign",
			   cert_issuer);
		return;
	}
	if (!crl_covers(crl, cert, out))
		return;
	/* A revocation stands even on an old list: it is never undone (a hold aside). */
	if (X509_CRL_get0_by_cert(crl, &revoked, cert) == 1) {
		ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(revoked, NID_crl_reason, NULL, NULL);

		out->status = MKCSR_REVOCATION_REVOKED;
		out->revoked_at = asn1_to_time(X509_REVOKED_get0_revocationDate(revoked));
		snprintf(out->reason, sizeof(out->reason), "%s", reason ? reason_name(ASN1_ENUMERATED_get(reason)) : "");
		ASN1_ENUMERATED_free(reason);
		out->this_update = asn1_to_time(X509_CRL_get0_lastUpdate(crl));
		out->has_next_update = X509_CRL_get0_nextUpdate(crl) != NULL;
		out->next_update = asn1_to_time(X509_CRL_get0_nextUpdate(crl));
		ERR_clear_error();
		return;
	}
	ERR_clear_error();
	if (!judge_freshness(X509_CRL_get0_lastUpdate(crl), X509_CRL_get0_nextUpdate(crl), at, out))
		return;
	out->status = MKCSR_REVOCATION_GOOD;
}

/* ---- the verdict on an OCSP answer -------------------------------------------- */

/* The single response about cert, whatever hash the responder identified it with. */
static OCSP_SINGLERESP *find_single(OCSP_BASICRESP *bs, X509 *cert, X509 *issuer)
{
	const EVP_MD *mds[] = { EVP_sha1(), EVP_sha256(), EVP_sha384(), EVP_sha512() };

	for (size_t m = 0; m < sizeof(mds) / sizeof(mds[0]); m++) {
		OCSP_CERTID *id = OCSP_cert_to_id(mds[m], cert, issuer);
		int i = id ? OCSP_resp_find(bs, id, -1) : -1;

		OCSP_CERTID_free(id);
		if (i >= 0)
			return OCSP_resp_get0(bs, i);
	}
	return NULL;
}

/* Whether signer may sign OCSP answers about issuer's certificates; detail says why not. */
static bool authorised_signer(X509 *signer, X509 *issuer, time_t at, struct mkcsr_revocation_source *out)
{
	char signer_name[256], issuer_name[256];

	if (X509_cmp(signer, issuer) == 0)
		return true;
	short_name(X509_get_subject_name(signer), signer_name, sizeof(signer_name));
	short_name(X509_get_subject_name(issuer), issuer_name, sizeof(issuer_name));
	if (X509_check_issued(issuer, signer) != X509_V_OK || X509_verify(signer, X509_get0_pubkey(issuer)) != 1) {
		ERR_clear_error();
		set_detail(out, MKCSR_REVOCATION_BAD_SIGNATURE, "signed by %s, which %s did not issue", signer_name,
			   issuer_name);
		return false;
	}
	if (X509_get_extended_key_usage(signer) == UINT32_MAX || !(X509_get_extended_key_usage(signer) & XKU_OCSP_SIGN)) {
		set_detail(out, MKCSR_REVOCATION_BAD_SIGNATURE, "signed by %s, which lacks the OCSP signing usage",
			   signer_name);
		return false;
	}
	if (X509_cmp_time(X509_get0_notAfter(signer), &at) < 0 || X509_cmp_time(X509_get0_notBefore(signer), &at) > 0) {
		set_detail(out, MKCSR_REVOCATION_BAD_SIGNATURE, "signed by %s, outside its validity period", signer_name);
		return false;
	}
	return true;
}

static bool verify_ocsp_signature(OCSP_BASICRESP *bs, X509 *issuer, time_t at, struct mkcsr_revocation_source *out)
{
	STACK_OF(X509) *extra = sk_X509_new_null();
	X509_STORE *unused = X509_STORE_new();
	X509 *signer = NULL;
	bool ok = false;

	if (extra == NULL || unused == NULL || !sk_X509_push(extra, issuer)) {
		set_detail(out, MKCSR_REVOCATION_MALFORMED, "out of memory");
		goto done;
	}
	if (OCSP_resp_get0_signer(bs, &signer, extra) != 1 || signer == NULL) {
		set_detail(out, MKCSR_REVOCATION_BAD_SIGNATURE, "signed by a certificate the answer does not include");
		goto done;
	}
	if (!authorised_signer(signer, issuer, at, out))
		goto done;
	/* The chain was judged above, at the check's time: OpenSSL checks only the signature here. */
	if (OCSP_basic_verify(bs, extra, unused, OCSP_NOVERIFY) != 1) {
		char name[256];

		short_name(X509_get_subject_name(signer), name, sizeof(name));
		set_detail(out, MKCSR_REVOCATION_BAD_SIGNATURE, "the signature does not verify with the key of %s", name);
		goto done;
	}
	ok = true;
done:
	sk_X509_free(extra);
	X509_STORE_free(unused);
	ERR_clear_error();
	return ok;
}

void revocation_judge_ocsp(OCSP_RESPONSE *resp, X509 *cert, X509 *issuer, time_t at,
			   struct mkcsr_revocation_source *out)
{
	OCSP_BASICRESP *bs = NULL;
	OCSP_SINGLERESP *single;
	ASN1_GENERALIZEDTIME *revoked_at = NULL, *this_update = NULL, *next_update = NULL;
	int status, reason = -1, rs = OCSP_response_status(resp);

	out->detail[0] = '\0';
	if (rs != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		set_detail(out, MKCSR_REVOCATION_RESPONDER_ERROR, "the responder answered %s", OCSP_response_status_str(rs));
		goto done;
	}
	bs = OCSP_response_get1_basic(resp);
	if (bs == NULL) {
		set_detail(out, MKCSR_REVOCATION_MALFORMED, "not a basic OCSP response");
		goto done;
	}
	if (issuer == NULL) {
		set_detail(out, MKCSR_REVOCATION_NO_ISSUER, "the issuer's certificate is missing");
		goto done;
	}
	single = find_single(bs, cert, issuer);
	if (single == NULL) {
		set_detail(out, MKCSR_REVOCATION_WRONG_ISSUER, "the answer is not about this certificate");
		goto done;
	}
	if (!verify_ocsp_signature(bs, issuer, at, out))
		goto done;
	status = OCSP_single_get0_status(single, &reason, &revoked_at, &this_update, &next_update);
	if (status == V_OCSP_CERTSTATUS_REVOKED) {
		out->status = MKCSR_REVOCATION_REVOKED;
		out->revoked_at = asn1_to_time(revoked_at);
		snprintf(out->reason, sizeof(out->reason), "%s", reason >= 0 ? reason_name(reason) : "");
		out->this_update = asn1_to_time(this_update);
		out->has_next_update = next_update != NULL;
		out->next_update = asn1_to_time(next_update);
		goto done;
	}
	if (!judge_freshness(this_update, next_update, at, out))
		goto done;
	if (status == V_OCSP_CERTSTATUS_GOOD)
		out->status = MKCSR_REVOCATION_GOOD;
	else
		set_detail(out, MKCSR_REVOCATION_UNKNOWN, "the responder does not know this certificate");
done:
	OCSP_BASICRESP_free(bs);
	ERR_clear_error();
}

/* ---- the cache of answers ------------------------------------------------------ */

struct cache_entry {
	char *key;
	bool done;                          /* false while one thread fetches it */
	struct mkcsr_httpget_result answer;
	struct cache_entry *next;
};

/* Beyond this many bytes of answers, new ones are used but not kept. */
#define CACHE_MAX_BYTES (256u * 1024u * 1024u)

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cache_changed;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static struct cache_entry *cache_head;
static size_t cache_bytes;

static void cache_init(void)
{
	pthread_condattr_t attr;

	/* Waits end at the caller's deadline, which is on CLOCK_MONOTONIC. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cache_changed, &attr);
	pthread_condattr_destroy(&attr);
}

static struct cache_entry *cache_find(const char *key)
{
	for (struct cache_entry *e = cache_head; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void cache_unlink(struct cache_entry *entry)
{
	for (struct cache_entry **p = &cache_head; *p != NULL; p = &(*p)->next) {
		if (*p == entry) {
			*p = entry->next;
			return;
		}
	}
}

static bool copy_answer(const struct mkcsr_httpget_result *from, struct mkcsr_httpget_result *to)
{
	*to = *from;
	to->body = NULL;
	if (from->body == NULL)
		return true;
	to->body = OPENSSL_memdup(from->body, from->len ? from->len : 1);
	return to->body != NULL;
}

/*
 * The answer for key: from the cache, from another thread's fetch of the
 * same key, or fetched here.  A timed-out fetch is not kept: the next
 * caller may have more time.
 */
static bool cached_fetch(const char *key, const char *url, const char *content_type, const unsigned char *body,
			 size_t body_len, size_t max_len, const struct timespec *deadline,
			 struct mkcsr_httpget_result *out)
{
	struct cache_entry *entry;
	bool ok;

	pthread_once(&cache_once, cache_init);
	pthread_mutex_lock(&cache_lock);
	while ((entry = cache_find(key)) != NULL && !entry->done) {
		if (pthread_cond_timedwait(&cache_changed, &cache_lock, deadline) != 0 && httpget_remaining(deadline) <= 0) {
			pthread_mutex_unlock(&cache_lock);
			memset(out, 0, sizeof(*out));
			out->status = MKCSR_HTTPGET_TIMEOUT;
			snprintf(out->error, sizeof(out->error), "no answer within the time limit");
			return true;
		}
	}
	if (entry != NULL) {
		ok = copy_answer(&entry->answer, out);
		pthread_mutex_unlock(&cache_lock);
		return ok;
	}
	entry = calloc(1, sizeof(*entry));
	if (entry == NULL || (entry->key = strdup(key)) == NULL) {
		free(entry);
		pthread_mutex_unlock(&cache_lock);
		return false;
	}
	entry->next = cache_head;
	cache_head = entry;
	pthread_mutex_unlock(&cache_lock);

	ok = httpget_fetch(url, content_type, body, body_len, max_len, deadline, out);

	pthread_mutex_lock(&cache_lock);
	if (!ok || out->status == MKCSR_HTTPGET_TIMEOUT || cache_bytes + out->len > CACHE_MAX_BYTES ||
	    !copy_answer(out, &entry->answer)) {
		cache_unlink(entry);
		free(entry->key);
		free(entry);
	} else {
		entry->done = true;
		cache_bytes += out->len;
	}
	pthread_cond_broadcast(&cache_changed);
	pthread_mutex_unlock(&cache_lock);
	return ok;
}

void revocation_cache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	for (struct cache_entry **p = &cache_head; *p != NULL;) {
		struct cache_entry *e = *p;

		if (!e->done) {  /* its fetcher still holds it */
			p = &e->next;
			continue;
		}
		*p = e->next;
		cache_bytes -= e->answer.len;
		httpget_result_clear(&e->answer);
		free(e->key);
		free(e);
	}
	pthread_mutex_unlock(&cache_lock);
}

/* ---- fetching one source -------------------------------------------------------- */

/* "ldap://" for a URL mkcsr does not fetch, NULL for http://. */
static bool fetchable(const char *url, char *scheme, size_t size)
{
	const char *colon = strstr(url, "://");

	if (colon != NULL && colon - url == 4 && strncasecmp(url, "http", 4) == 0)
		return true;
	if (colon != NULL && colon - url < 16)
		safe_copy(scheme, size, url, (size_t)(colon - url) + 3);
	else
		snprintf(scheme, size, "not a URL");
	return false;
}

/* Status and detail of a failed fetch; true when the answer is there. */
static bool fetched(const struct mkcsr_httpget_result *answer, struct mkcsr_revocation_source *src)
{
	char error[sizeof(answer->error)];

	snprintf(src->proxy, sizeof(src->proxy), "%s", answer->proxy);
	if (answer->status == MKCSR_HTTPGET_OK)
		return true;
	safe_copy(error, sizeof(error), answer->error, strlen(answer->error));
	set_detail(src, answer->status == MKCSR_HTTPGET_NOT_DER ? MKCSR_REVOCATION_MALFORMED : MKCSR_REVOCATION_UNREACHABLE,
		   "%s", error);
	return false;
}

void revocation_judge_crl_der(const unsigned char *der, size_t len, X509 *cert, X509 *issuer, time_t at,
			      struct mkcsr_revocation_source *out)
{
	const unsigned char *p = der;
	X509_CRL *crl = len <= LONG_MAX ? d2i_X509_CRL(NULL, &p, (long)len) : NULL;

	if (crl == NULL || p != der + len)
		set_detail(out, MKCSR_REVOCATION_MALFORMED, "not a DER CRL");
	else
		revocation_judge_crl(crl, cert, issuer, at, out);
	X509_CRL_free(crl);
	ERR_clear_error();
}

void revocation_judge_ocsp_der(const unsigned char *der, size_t len, X509 *cert, X509 *issuer, time_t at,
			       struct mkcsr_revocation_source *out)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp = len <= LONG_MAX ? d2i_OCSP_RESPONSE(NULL, &p, (long)len) : NULL;

	if (resp == NULL || p != der + len)
		set_detail(out, MKCSR_REVOCATION_MALFORMED, "not a DER OCSP response");
	else
		revocation_judge_ocsp(resp, cert, issuer, at, out);
	OCSP_RESPONSE_free(resp);
	ERR_clear_error();
}

static void fetch_crl(const char *url, X509 *cert, X509 *issuer, time_t at, const struct timespec *deadline,
		      struct mkcsr_revocation_source *src)
{
	struct mkcsr_httpget_result answer = { 0 };
	char key[600];

	snprintf(key, sizeof(key), "crl %s", url);
	if (!cached_fetch(key, url, NULL, NULL, 0, MKCSR_REVOCATION_MAX_CRL, deadline, &answer)) {
		set_detail(src, MKCSR_REVOCATION_UNREACHABLE, "out of memory");
	} else if (fetched(&answer, src)) {
		revocation_judge_crl_der(answer.body, answer.len, cert, issuer, at, src);
	}
	httpget_result_clear(&answer);
	ERR_clear_error();
}

static void fetch_ocsp(const char *url, X509 *cert, X509 *issuer, time_t at, const struct timespec *deadline,
		       struct mkcsr_revocation_source *src)
{
	struct mkcsr_httpget_result answer = { 0 };
	OCSP_CERTID *id = NULL;
	OCSP_REQUEST *req = NULL;
	unsigned char *der = NULL, *id_der = NULL;
	int der_len, id_len;
	char *key = NULL;

	if (issuer == NULL) {
		set_detail(src, MKCSR_REVOCATION_NO_ISSUER, "the issuer's certificate is missing");
		return;
	}
	id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
	req = OCSP_REQUEST_new();
	if (id == NULL || req == NULL || OCSP_request_add0_id(req, OCSP_CERTID_dup(id)) == NULL ||
	    (der_len = i2d_OCSP_REQUEST(req, &der)) <= 0 || (id_len = i2d_OCSP_CERTID(id, &id_der)) <= 0 ||
	    (key = OPENSSL_malloc(strlen(url) + 2 * (size_t)id_len + 8)) == NULL) {
		set_detail(src, MKCSR_REVOCATION_UNREACHABLE, "out of memory");
		goto done;
	}
	/* One answer per responder and certificate; no nonce, so that a cached answer is as good as a fresh one. */
	sprintf(key, "ocsp %s ", url);
	for (int i = 0; i < id_len; i++)
		sprintf(key + strlen(key), "%02x", id_der[i]);
	if (!cached_fetch(key, url, "application/ocsp-request", der, (size_t)der_len, MKCSR_REVOCATION_MAX_OCSP,
			  deadline, &answer)) {
		set_detail(src, MKCSR_REVOCATION_UNREACHABLE, "out of memory");
	} else if (fetched(&answer, src)) {
		revocation_judge_ocsp_der(answer.body, answer.len, cert, issuer, at, src);
	}
done:
	OCSP_REQUEST_free(req);
	OCSP_CERTID_free(id);
	OPENSSL_free(der);
	OPENSSL_free(id_der);
	OPENSSL_free(key);
	httpget_result_clear(&answer);
	ERR_clear_error();
}

/* ---- the sources of a path ------------------------------------------------------------ */

static bool add_source(struct mkcsr_revocation_result *out, enum mkcsr_revocation_kind kind, int depth,
		       const char *certificate, const char *url, size_t url_len)
{
	struct mkcsr_revocation_source *grown = realloc(out->sources, (out->count + 1) * sizeof(*grown)), *s;

	if (grown == NULL)
		return false;
	out->sources = grown;
	s = &out->sources[out->count++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->depth = depth;
	snprintf(s->certificate, sizeof(s->certificate), "%s", certificate);
	safe_copy(s->url, sizeof(s->url), url, url_len);
	return true;
}

/* Every CRL distribution point URI, then every OCSP address of cert, as sources (url escaped). */
static bool collect_sources(X509 *cert, int depth, struct mkcsr_revocation_result *out)
{
	STACK_OF(DIST_POINT) *cdp = X509_get_ext_d2i(cert, NID_crl_distribution_points, NULL, NULL);
	STACK_OF(OPENSSL_STRING) *ocsp = X509_get1_ocsp(cert);
	char name[256];
	bool ok = true;

	short_name(X509_get_subject_name(cert), name, sizeof(name));
	for (int i = 0; ok && i < sk_DIST_POINT_num(cdp); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(cdp, i);

		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		for (int j = 0; ok && j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++) {
			GENERAL_NAME *gen = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, j);

			if (gen->type == GEN_URI)
				ok = add_source(out, MKCSR_REVOCATION_CRL, depth, name,
						(const char *)ASN1_STRING_get0_data(gen->d.uniformResourceIdentifier),
						(size_t)ASN1_STRING_length(gen->d.uniformResourceIdentifier));
		}
	}
	for (int i = 0; ok && i < sk_OPENSSL_STRING_num(ocsp); i++) {
		const char *url = sk_OPENSSL_STRING_value(ocsp, i);

		ok = add_source(out, MKCSR_REVOCATION_OCSP, depth, name, url, strlen(url));
	}
	sk_DIST_POINT_pop_free(cdp, DIST_POINT_free);
	X509_email_free(ocsp);
	ERR_clear_error();
	return ok;
}

static void judge_source(struct mkcsr_revocation_source *src, X509 *cert, X509 *issuer, time_t at,
			 const struct timespec *deadline)
{
	char scheme[32];

	/* The escaped URL is the URL: an http:// one with control characters fails to parse, as it should. */
	if (!fetchable(src->url, scheme, sizeof(scheme))) {
		set_detail(src, MKCSR_REVOCATION_NOT_FETCHED, "%s", scheme);
		return;
	}
	if (httpget_remaining(deadline) <= 0) {
		set_detail(src, MKCSR_REVOCATION_NOT_TRIED, "the time limit was reached");
		return;
	}
	if (src->kind == MKCSR_REVOCATION_CRL)
		fetch_crl(src->url, cert, issuer, at, deadline, src);
	else
		fetch_ocsp(src->url, cert, issuer, at, deadline, src);
}

/* ---- the verdict over a path ------------------------------------------------------------ */

enum cert_verdict { CERT_GOOD, CERT_REVOKED, CERT_OFFLINE, CERT_NONE, CERT_UNFETCHABLE };

static enum cert_verdict judge_certificate(const struct mkcsr_revocation_result *r, int depth, bool *all_good)
{
	size_t n = 0, not_fetched = 0;
	bool good = false;

	for (size_t i = 0; i < r->count; i++) {
		const struct mkcsr_revocation_source *s = &r->sources[i];

		if (s->depth != depth)
			continue;
		n++;
		if (s->status == MKCSR_REVOCATION_REVOKED)
			return CERT_REVOKED;
		good |= s->status == MKCSR_REVOCATION_GOOD;
		not_fetched += s->status == MKCSR_REVOCATION_NOT_FETCHED;
		if (s->status != MKCSR_REVOCATION_GOOD)
			*all_good = false;
	}
	if (n == 0)
		return CERT_NONE;
	if (good)
		return CERT_GOOD;
	return not_fetched == n ? CERT_UNFETCHABLE : CERT_OFFLINE;
}

static enum mkcsr_revocation_verdict overall(struct mkcsr_revocation_result *r, STACK_OF(X509) *path, int checked)
{
	bool revoked = false, offline = false, none = false, unfetchable = false, all_good = true;

	for (int d = 0; d < checked; d++) {
		switch (judge_certificate(r, d, &all_good)) {
		case CERT_REVOKED: revoked = true; break;
		case CERT_OFFLINE: offline = true; break;
		case CERT_UNFETCHABLE: unfetchable = true; break;
		case CERT_GOOD: break;
		case CERT_NONE:
			if (!none)
				short_name(X509_get_subject_name(sk_X509_value(path, d)), r->none_named, sizeof(r->none_named));
			none = true;
			break;
		}
	}
	if (revoked)
		return MKCSR_REVOCATION_IS_REVOKED;
	if (offline)
		return MKCSR_REVOCATION_OFFLINE;
	if (none)
		return MKCSR_REVOCATION_NONE_NAMED;
	if (unfetchable)
		return MKCSR_REVOCATION_UNFETCHABLE;
	return all_good ? MKCSR_REVOCATION_NOT_REVOKED : MKCSR_REVOCATION_PARTLY;
}

enum mkcsr_err revocation_check(STACK_OF(X509) *path, time_t at, const struct timespec *deadline,
				struct mkcsr_revocation_result *out)
{
	int n = sk_X509_num(path), checked = n;

	memset(out, 0, sizeof(*out));
	/* Windows does not check a root: it is trusted as it is. */
	if (n > 1 && X509_check_issued(sk_X509_value(path, n - 1), sk_X509_value(path, n - 1)) == X509_V_OK)
		checked = n - 1;
	for (int d = 0; d < checked; d++)
		if (!collect_sources(sk_X509_value(path, d), d, out))
			return err_set(MKCSR_E_NOMEM, "listing the revocation sources");
	/* In order, leaf first: the deadline cuts the least useful answers. */
	for (size_t i = 0; i < out->count; i++) {
		struct mkcsr_revocation_source *s = &out->sources[i];

		judge_source(s, sk_X509_value(path, s->depth), s->depth + 1 < n ? sk_X509_value(path, s->depth + 1) : NULL,
			     at, deadline);
	}
	out->verdict = overall(out, path, checked);
	ERR_clear_error();
	return MKCSR_E_OK;
}

void revocation_result_clear(struct mkcsr_revocation_result *r)
{
	free(r->sources);
	memset(r, 0, sizeof(*r));
}

/* ---- text ------------------------------------------------------------------------------------ */

const char *revocation_source_text(const struct mkcsr_revocation_source *s, char *buf, size_t size)
{
	char when[40], via[300] = "";

	if (s->proxy[0] != '\0')
		snprintf(via, sizeof(via), "through proxy %s: ", s->proxy);
	switch (s->status) {
	case MKCSR_REVOCATION_GOOD:
		snprintf(buf, size, "%s", s->kind == MKCSR_REVOCATION_CRL ? "not revoked" : "good");
		break;
	case MKCSR_REVOCATION_REVOKED:
		snprintf(buf, size, "revoked on %s%s%s%s", time_text(s->revoked_at, when, sizeof(when)),
			 s->reason[0] ? " (" : "", s->reason, s->reason[0] ? ")" : "");
		break;
	case MKCSR_REVOCATION_UNKNOWN: snprintf(buf, size, "unknown to the responder"); break;
	case MKCSR_REVOCATION_UNREACHABLE: snprintf(buf, size, "unreachable (%s%s)", via, s->detail); break;
	case MKCSR_REVOCATION_STALE: snprintf(buf, size, "stale (%s)", s->detail); break;
	case MKCSR_REVOCATION_BAD_SIGNATURE: snprintf(buf, size, "bad signature (%s)", s->detail); break;
	case MKCSR_REVOCATION_WRONG_ISSUER: snprintf(buf, size, "wrong issuer (%s)", s->detail); break;
	case MKCSR_REVOCATION_MALFORMED: snprintf(buf, size, "malformed (%s)", s->detail); break;
	case MKCSR_REVOCATION_RESPONDER_ERROR: snprintf(buf, size, "responder error (%s)", s->detail); break;
	case MKCSR_REVOCATION_NO_ISSUER: snprintf(buf, size, "not verifiable (%s)", s->detail); break;
	case MKCSR_REVOCATION_NOT_FETCHED: snprintf(buf, size, "not fetched (%s)", s->detail); break;
	case MKCSR_REVOCATION_NOT_TRIED: snprintf(buf, size, "not tried (%s)", s->detail); break;
	case MKCSR_REVOCATION_WRONG_SCOPE: snprintf(buf, size, "wrong scope (%s)", s->detail); break;
	}
	return buf;
}

static const char *headline(const struct mkcsr_revocation_result *r, char *buf, size_t size)
{
	switch (r->verdict) {
	case MKCSR_REVOCATION_NOT_REVOKED: return "not revoked";
	case MKCSR_REVOCATION_PARTLY: return "not revoked, but not every source answered";
	case MKCSR_REVOCATION_IS_REVOKED: return "revoked";
	case MKCSR_REVOCATION_OFFLINE: return "no usable answer";
	case MKCSR_REVOCATION_UNFETCHABLE:
		return "not checked: only ldap://, file:// or https:// addresses are named, which mkcsr does not fetch "
		       "(and clients outside the domain cannot reach LDAP)";
	case MKCSR_REVOCATION_NONE_NAMED:
		snprintf(buf, size, "%s names no CRL distribution point and no OCSP address: clients that check "
				    "revocation, as SSTP clients do, cannot", r->none_named);
		return buf;
	}
	return "?";
}

/* Appends to buf[*used..size), keeping the end "..." when it does not fit. */
static void append(char *buf, size_t size, size_t *used, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= size - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *used) {
		*used = size - 1;
		if (size > 4)
			memcpy(buf + size - 4, "...", 4);
		return;
	}
	*used += (size_t)n;
}

const char *revocation_summary_text(const struct mkcsr_revocation_result *r, char *buf, size_t size)
{
	char line[600], head[600];
	size_t used = 0;
	int depth = -1;

	buf[0] = '\0';
	append(buf, size, &used, "%s", headline(r, head, sizeof(head)));
	for (size_t i = 0; i < r->count; i++) {
		const struct mkcsr_revocation_source *s = &r->sources[i];

		if (s->depth != depth)
			append(buf, size, &used, "; %s: ", s->certificate);
		else
			append(buf, size, &used, ", ");
		depth = s->depth;
		append(buf, size, &used, "%s %s %s", s->kind == MKCSR_REVOCATION_CRL ? "CRL" : "OCSP", s->url,
		       revocation_source_text(s, line, sizeof(line)));
	}
	return buf;
}
