/*
 * revocation: the verdicts on CRLs and OCSP answers built here, relative
 * to the time the test runs (fresh, stale, within the clock-skew
 * allowance, revoked, wrong signer, wrong issuer, unknown), the verdict
 * over a path without any network, and the cache shared by threads,
 * against a one-file HTTP server on 127.0.0.1 run in a thread of this test.
 */
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "httpget.h"
#include "revocation.h"

#define HOUR 3600L

struct pki {
	time_t now;
	EVP_PKEY *ca_key, *leaf_key, *responder_key, *other_key;
	X509 *ca, *ca_no_crlsign, *leaf, *responder, *responder_no_eku, *stranger;
};

static struct pki pki;

/* ---- building certificates, CRLs and OCSP answers ---- */

static EVP_PKEY *new_key(void)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	assert_non_null(key);
	return key;
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	if (value == NULL)
		return;
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(cert, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

static X509_NAME *cn_name(const char *cn)
{
	X509_NAME *name = X509_NAME_new();

	assert_non_null(name);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)"mkcsr unit", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0), 1);
	return name;
}

/* A certificate for key, issued by issuer/issuer_key (NULL: self-signed); ku/eku/cdp NULL: none. */
static X509 *issue(const char *cn, long serial, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, const char *bc,
		   const char *ku, const char *eku, const char *cdp)
{
	X509 *cert = X509_new();
	X509_NAME *name = cn_name(cn);

	assert_non_null(cert);
	assert_int_equal(X509_set_version(cert, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial), 1);
	assert_int_equal(X509_set_subject_name(cert, name), 1);
	assert_int_equal(X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name), 1);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(cert), -30, 0, &pki.now));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(cert), 300, 0, &pki.now));
	assert_int_equal(X509_set_pubkey(cert, key), 1);
	add_ext(cert, NULL, NID_basic_constraints, bc);
	add_ext(cert, NULL, NID_key_usage, ku);
	add_ext(cert, NULL, NID_ext_key_usage, eku);
	add_ext(cert, NULL, NID_crl_distribution_points, cdp);
	assert_true(X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return cert;
}

struct crl_spec {
	long this_offset, next_offset;  /* seconds from now */
	bool no_next;
	long revoked_serial;            /* 0: none */
	int reason;                     /* -1: no reason code */
	const X509_NAME *issuer;        /* NULL: the CA's */
	EVP_PKEY *key;                  /* NULL: the CA's */
	const char *idp;                /* issuingDistributionPoint, X509V3 config syntax; NULL: none */
	bool delta;                     /* a deltaCRLIndicator */
	bool unknown_critical;          /* a critical extension of a private OID */
};

static ASN1_TIME *time_from_now(long offset)
{
	ASN1_TIME *t = ASN1_TIME_adj(NULL, pki.now, 0, offset);

	assert_non_null(t);
	return t;
}

static X509_CRL *make_crl(const struct crl_spec *s)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *this_update = time_from_now(s->this_offset), *next_update = time_from_now(s->next_offset);

	assert_non_null(crl);
	assert_int_equal(X509_CRL_set_version(crl, X509_CRL_VERSION_2), 1);
	assert_int_equal(X509_CRL_set_issuer_name(crl, s->issuer ? s->issuer : X509_get_subject_name(pki.ca)), 1);
	assert_int_equal(X509_CRL_set1_lastUpdate(crl, this_update), 1);
	if (!s->no_next)
		assert_int_equal(X509_CRL_set1_nextUpdate(crl, next_update), 1);
	if (s->revoked_serial != 0) {
		X509_REVOKED *rev = X509_REVOKED_new();
		ASN1_INTEGER *serial = ASN1_INTEGER_new();
		ASN1_TIME *when = time_from_now(-10 * HOUR);

		assert_non_null(rev);
		assert_int_equal(ASN1_INTEGER_set(serial, s->revoked_serial), 1);
		assert_int_equal(X509_REVOKED_set_serialNumber(rev, serial), 1);
		assert_int_equal(X509_REVOKED_set_revocationDate(rev, when), 1);
		if (s->reason >= 0) {
			ASN1_ENUMERATED *reason = ASN1_ENUMERATED_new();

			assert_int_equal(ASN1_ENUMERATED_set(reason, s->reason), 1);
			assert_int_equal(X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, reason, 0, 0), 1);
			ASN1_ENUMERATED_free(reason);
		}
		assert_int_equal(X509_CRL_add0_revoked(crl, rev), 1);
		ASN1_INTEGER_free(serial);
		ASN1_TIME_free(when);
	}
	if (s->idp != NULL) {
		X509V3_CTX ctx;
		X509_EXTENSION *ext;

		X509V3_set_ctx(&ctx, NULL, NULL, NULL, crl, 0);
		ext = X509V3_EXT_nconf_nid(NULL, &ctx, NID_issuing_distribution_point, s->idp);
		assert_non_null(ext);
		assert_int_equal(X509_CRL_add_ext(crl, ext, -1), 1);
		X509_EXTENSION_free(ext);
	}
	if (s->delta) {
		ASN1_INTEGER *base = ASN1_INTEGER_new();

		assert_int_equal(ASN1_INTEGER_set(base, 1), 1);
		assert_int_equal(X509_CRL_add1_ext_i2d(crl, NID_delta_crl, base, 1, 0), 1);
		ASN1_INTEGER_free(base);
	}
	if (s->unknown_critical) {
		ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.4.1.99999.1", 1);
		ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
		X509_EXTENSION *ext;

		assert_int_equal(ASN1_OCTET_STRING_set(value, (const unsigned char *)"\x05\x00", 2), 1);
		ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 1, value);
		assert_non_null(ext);
		assert_int_equal(X509_CRL_add_ext(crl, ext, -1), 1);
		X509_EXTENSION_free(ext);
		ASN1_OCTET_STRING_free(value);
		ASN1_OBJECT_free(oid);
	}
	assert_int_equal(X509_CRL_sort(crl), 1);
	assert_true(X509_CRL_sign(crl, s->key ? s->key : pki.ca_key, EVP_sha256()) > 0);
	ASN1_TIME_free(this_update);
	ASN1_TIME_free(next_update);
	return crl;
}

struct ocsp_spec {
	int status;                 /* V_OCSP_CERTSTATUS_* */
	int reason;                 /* for REVOKED; -1: none */
	long this_offset, next_offset;
	bool no_next;
	X509 *about;                /* NULL: the leaf */
	X509 *signer;               /* NULL: the CA */
	EVP_PKEY *signer_key;
	int response_status;        /* 0: successful */
	bool corrupt_signature;
};

static OCSP_RESPONSE *make_ocsp(const struct ocsp_spec *s)
{
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), s->about ? s->about : pki.leaf, pki.ca);
	ASN1_TIME *this_update = time_from_now(s->this_offset), *next_update = time_from_now(s->next_offset);
	ASN1_TIME *revoked_at = time_from_now(-10 * HOUR);
	OCSP_RESPONSE *resp;

	if (s->response_status != 0) {
		OCSP_BASICRESP_free(bs);
		OCSP_CERTID_free(id);
		ASN1_TIME_free(this_update);
		ASN1_TIME_free(next_update);
		ASN1_TIME_free(revoked_at);
		return OCSP_response_create(s->response_status, NULL);
	}
	assert_non_null(bs);
	assert_non_null(id);
	assert_non_null(OCSP_basic_add1_status(bs, id, s->status, s->reason, s->status == V_OCSP_CERTSTATUS_REVOKED ? revoked_at : NULL,
					       this_update, s->no_next ? NULL : next_update));
	assert_int_equal(OCSP_basic_sign(bs, s->signer ? s->signer : pki.ca, s->signer_key ? s->signer_key : pki.ca_key,
					 EVP_sha256(), NULL, 0), 1);
	if (s->corrupt_signature) {
		ASN1_OCTET_STRING *sig = (ASN1_OCTET_STRING *)(uintptr_t)OCSP_resp_get0_signature(bs);

		sig->data[sig->length - 1] ^= 0x55;
	}
	resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	assert_non_null(resp);
	OCSP_BASICRESP_free(bs);
	OCSP_CERTID_free(id);
	ASN1_TIME_free(this_update);
	ASN1_TIME_free(next_update);
	ASN1_TIME_free(revoked_at);
	return resp;
}

static int setup_pki(void **state)
{
	pki.now = time(NULL);
	pki.ca_key = new_key();
	pki.leaf_key = new_key();
	pki.responder_key = new_key();
	pki.other_key = new_key();
	pki.ca = issue("mkcsr unit CA", 1, pki.ca_key, NULL, NULL, "critical,CA:TRUE", "critical,keyCertSign,cRLSign",
		       NULL, NULL);
	pki.ca_no_crlsign = issue("mkcsr unit CA", 1, pki.ca_key, NULL, NULL, "critical,CA:TRUE", "critical,keyCertSign",
				  NULL, NULL);
	pki.leaf = issue("vpn.example.com", 0x2001, pki.leaf_key, pki.ca, pki.ca_key, "critical,CA:FALSE",
			 "critical,digitalSignature", "serverAuth", NULL);
	pki.responder = issue("mkcsr unit OCSP", 0x3001, pki.responder_key, pki.ca, pki.ca_key, "critical,CA:FALSE",
			      "critical,digitalSignature", "OCSPSigning", NULL);
	pki.responder_no_eku = issue("mkcsr unit not a responder", 0x3002, pki.responder_key, pki.ca, pki.ca_key,
				     "critical,CA:FALSE", "critical,digitalSignature", NULL, NULL);
	pki.stranger = issue("mkcsr unit CA", 1, pki.other_key, NULL, NULL, "critical,CA:TRUE",
			     "critical,keyCertSign,cRLSign", NULL, NULL);
	return 0;
}

static int teardown_pki(void **state)
{
	X509 *certs[] = { pki.ca, pki.ca_no_crlsign, pki.leaf, pki.responder, pki.responder_no_eku, pki.stranger };
	EVP_PKEY *keys[] = { pki.ca_key, pki.leaf_key, pki.responder_key, pki.other_key };

	for (size_t i = 0; i < sizeof(certs) / sizeof(certs[0]); i++)
		X509_free(certs[i]);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		EVP_PKEY_free(keys[i]);
	revocation_cache_clear();
	return 0;
}

static const char *source_text(const struct mkcsr_revocation_source *s)
{
	static char buf[600];

	return revocation_source_text(s, buf, sizeof(buf));
}

static struct mkcsr_revocation_source judge_crl(const struct crl_spec *spec, X509 *issuer)
{
	struct mkcsr_revocation_source src = { .kind = MKCSR_REVOCATION_CRL };
	X509_CRL *crl = make_crl(spec);

	revocation_judge_crl(crl, pki.leaf, issuer, pki.now, &src);
	X509_CRL_free(crl);
	return src;
}

static struct mkcsr_revocation_source judge_ocsp(const struct ocsp_spec *spec)
{
	struct mkcsr_revocation_source src = { .kind = MKCSR_REVOCATION_OCSP };
	OCSP_RESPONSE *resp = make_ocsp(spec);

	revocation_judge_ocsp(resp, pki.leaf, pki.ca, pki.now, &src);
	OCSP_RESPONSE_free(resp);
	return src;
}

/* "2026-12-04 12:00:00 UTC" for now + offset. */
static const char *when(long offset, char *buf, size_t size)
{
	time_t t = pki.now + offset;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
	return buf;
}

/* ---- modes ---- */

static void test_modes(void **state)
{
	enum mkcsr_revocation_mode mode = MKCSR_REVOCATION_OFF;

	assert_int_equal(MKCSR_REVOCATION_NAMES, 0);  /* a zeroed check input keeps the offline behaviour */
	assert_int_equal(revocation_parse_mode("fetch", &mode), MKCSR_E_OK);
	assert_int_equal(mode, MKCSR_REVOCATION_FETCH);
	assert_int_equal(revocation_parse_mode("Names", &mode), MKCSR_E_OK);
	assert_int_equal(mode, MKCSR_REVOCATION_NAMES);
	assert_int_equal(revocation_parse_mode("off", &mode), MKCSR_E_OK);
	assert_int_equal(mode, MKCSR_REVOCATION_OFF);
	assert_int_equal(revocation_parse_mode("online", &mode), MKCSR_E_USAGE);
	assert_string_equal(err_detail(), "--revocation 'online': use fetch, names or off");
	assert_string_equal(revocation_mode_key(MKCSR_REVOCATION_FETCH), "fetch");
	assert_string_equal(revocation_mode_key(MKCSR_REVOCATION_NAMES), "names");
	assert_string_equal(revocation_mode_key(MKCSR_REVOCATION_OFF), "off");
	assert_int_equal(revocation_windows_code(MKCSR_REVOCATION_IS_REVOKED), 0x80092010);
	assert_int_equal(revocation_windows_code(MKCSR_REVOCATION_OFFLINE), 0x80092013);
	assert_int_equal(revocation_windows_code(MKCSR_REVOCATION_NONE_NAMED), 0x80092012);
	assert_int_equal(revocation_windows_code(MKCSR_REVOCATION_NOT_REVOKED), 0);
}

/* ---- CRL verdicts ---- */

static void test_crl_fresh(void **state)
{
	struct crl_spec spec = { .this_offset = -HOUR, .next_offset = 7 * 24 * HOUR, .reason = -1 };
	struct mkcsr_revocation_source src = judge_crl(&spec, pki.ca);

	assert_int_equal(src.status, MKCSR_REVOCATION_GOOD);
	assert_string_equal(source_text(&src), "not revoked");
	assert_int_equal(src.this_update, pki.now - HOUR);
	assert_true(src.has_next_update);
	assert_int_equal(src.next_update, pki.now + 7 * 24 * HOUR);
	/* Another certificate's revocation does not touch this one. */
	spec.revoked_serial = 0x2002;
	src = judge_crl(&spec, pki.ca);
	assert_int_equal(src.status, MKCSR_REVOCATION_GOOD);
	/* No nextUpdate: current until replaced. */
	spec.no_next = true;
	src = judge_crl(&spec, pki.ca);
	assert_int_equal(src.status, MKCSR_REVOCATION_GOOD);
	assert_false(src.has_next_update);
}

static void test_crl_stale(void **state)
{
	struct crl_spec spec = { .this_offset = -10 * 24 * HOUR, .next_offset = -HOUR, .reason = -1 };
	struct mkcsr_revocation_source src = judge_crl(&spec, pki.ca);
	char expected[200], at[40];

	assert_int_equal(src.status, MKCSR_REVOCATION_STALE);
	snprintf(expected, sizeof(expected), "stale (next update %s has passed)", when(-HOUR, at, sizeof(at)));
	assert_string_equal(source_text(&src), expected);

	/* Within the clock-skew allowance either side: still current. */
	spec.next_offset = -(MKCSR_REVOCATION_SKEW - 10);
	assert_int_equal(judge_crl(&spec, pki.ca).status, MKCSR_REVOCATION_GOOD);
	spec.next_offset = -(MKCSR_REVOCATION_SKEW + 10);
	assert_int_equal(judge_crl(&spec, pki.ca).status, MKCSR_REVOCATION_STALE);
	spec.this_offset = MKCSR_REVOCATION_SKEW - 10;
	spec.next_offset = 24 * HOUR;
	assert_int_equal(judge_crl(&spec, pki.ca).status, MKCSR_REVOCATION_GOOD);
	spec.this_offset = HOUR;
	src = judge_crl(&spec, pki.ca);
	assert_int_equal(src.status, MKCSR_REVOCATION_STALE);
	snprintf(expected, sizeof(expected), "stale (this update %s is still ahead)", when(HOUR, at, sizeof(at)));
	assert_string_equal(source_text(&src), expected);
}

static void test_crl_revoked(void **state)
{
	struct crl_spec spec = { .this_offset = -HOUR, .next_offset = 24 * HOUR, .revoked_serial = 0x2001, .reason = 1 };
	struct mkcsr_revocation_source src = judge_crl(&spec, pki.ca);
	char expected[200], at[40];

	assert_int_equal(src.status, MKCSR_REVOCATION_REVOKED);
	assert_int_equal(src.revoked_at, pki.now - 10 * HOUR);
	assert_string_equal(src.reason, "keyCompromise");
	snprintf(expected, sizeof(expected), "revoked on %s (keyCompromise)", when(-10 * HOUR, at, sizeof(at)));
	assert_string_equal(source_text(&src), expected);

	/* No reason code; certificateHold; and a revocation on a stale list still stands. */
	spec.reason = -1;
	src = judge_crl(&spec, pki.ca);
	assert_string_equal(src.reason, "");
	snprintf(expected, sizeof(expected), "revoked on %s", when(-10 * HOUR, at, sizeof(at)));
	assert_string_equal(source_text(&src), expected);
	spec.reason = 6;
	assert_string_equal(judge_crl(&spec, pki.ca).reason, "certificateHold");
	spec.next_offset = -24 * HOUR;
	spec.this_offset = -48 * HOUR;
	assert_int_equal(judge_crl(&spec, pki.ca).status, MKCSR_REVOCATION_REVOKED);
}

static void test_crl_wrong_signer(void **state)
{
	struct crl_spec spec = { .this_offset = -HOUR, .next_offset = 24 * HOUR, .reason = -1, .key = pki.other_key };
	struct mkcsr_revocation_source src = judge_crl(&spec, pki.ca);
	X509_NAME *other = cn_name("mkcsr unit other CA");

	assert_int_equal(src.status, MKCSR_REVOCATION_BAD_SIGNATURE);
	assert_string_equal(source_text(&src), "bad signature (not signed by the key of mkcsr unit CA)");
	/* The CA certificate says it may not sign CRLs. */
	spec.key = NULL;
	src = judge_crl(&spec, pki.ca_no_crlsign);
	assert_int_equal(src.status, MKCSR_REVOCATION_BAD_SIGNATURE);
	assert_string_equal(source_text(&src), "bad signature (mkcsr unit CA may not sign CRLs: its key usage lacks cRLSign)");
	/* Another CA's CRL. */
	spec.issuer = other;
	src = judge_crl(&spec, pki.ca);
	assert_int_equal(src.status, MKCSR_REVOCATION_WRONG_ISSUER);
	assert_string_equal(source_text(&src), "wrong issuer (the CRL of mkcsr unit other CA, not of mkcsr unit CA)");
	/* No issuer certificate to verify with. */
	spec.issuer = NULL;
	src = judge_crl(&spec, NULL);
	assert_int_equal(src.status, MKCSR_REVOCATION_NO_ISSUER);
	assert_string_equal(source_text(&src), "not verifiable (the issuer's certificate is missing)");
	X509_NAME_free(other);
}

static void test_crl_scope(void **state)
{
	struct crl_spec spec = { .this_offset = -HOUR, .next_offset = 24 * HOUR, .reason = -1, .idp = "critical,onlyuser:TRUE" };
	struct mkcsr_revocation_source src = judge_crl(&spec, pki.ca);

	/* A CRL for end-entity certificates covers the leaf. */
	assert_int_equal(src.status, MKCSR_REVOCATION_GOOD);
	spec.idp = "critical,onlyCA:TRUE";
	src = judge_crl(&spec, pki.ca);
	assert_int_equal(src.status, MKCSR_REVOCATION_WRONG_SCOPE);
	assert_string_equal(source_text(&src), "wrong scope (a CRL for CA certificates only)");
	assert_string_equal(revocation_status_key(src.status), "wrong-scope");
	spec.idp = "critical,onlysomereasons:keyCompromise";
	src = judge_crl(&spec, pki.ca);
	assert_string_equal(source_text(&src), "wrong scope (a CRL for some revocation reasons only)");
	spec.idp = NULL;
	spec.delta = true;
	src = judge_crl(&spec, pki.ca);
	assert_string_equal(source_text(&src), "wrong scope (a delta CRL, not a complete one)");
	spec.delta = false;
	spec.unknown_critical = true;
	src = judge_crl(&spec, pki.ca);
	assert_string_equal(source_text(&src), "wrong scope (a critical extension mkcsr does not know)");
	/* A revocation on a CRL of the wrong scope does not count either way. */
	spec.unknown_critical = false;
	spec.idp = "critical,onlyCA:TRUE";
	spec.revoked_serial = 0x2001;
	assert_int_equal(judge_crl(&spec, pki.ca).status, MKCSR_REVOCATION_WRONG_SCOPE);
}

/* ---- OCSP verdicts ---- */

static void test_ocsp_good(void **state)
{
	struct ocsp_spec spec = { .status = V_OCSP_CERTSTATUS_GOOD, .reason = -1, .this_offset = -60, .next_offset = HOUR };
	struct mkcsr_revocation_source src = judge_ocsp(&spec);

	assert_int_equal(src.status, MKCSR_REVOCATION_GOOD);
	assert_string_equal(source_text(&src), "good");
	assert_int_equal(src.this_update, pki.now - 60);
	/* Signed by a responder the CA delegated. */
	spec.signer = pki.responder;
	spec.signer_key = pki.responder_key;
	assert_int_equal(judge_ocsp(&spec).status, MKCSR_REVOCATION_GOOD);
	/* No nextUpdate: the responder always has newer information (RFC 6960, 4.2.2.1). */
	spec.no_next = true;
	assert_int_equal(judge_ocsp(&spec).status, MKCSR_REVOCATION_GOOD);
}

static void test_ocsp_revoked_unknown(void **state)
{
	struct ocsp_spec spec = { .status = V_OCSP_CERTSTATUS_REVOKED, .reason = 4, .this_offset = -60, .next_offset = HOUR };
	struct mkcsr_revocation_source src = judge_ocsp(&spec);
	char expected[200], at[40];

	assert_int_equal(src.status, MKCSR_REVOCATION_REVOKED);
	snprintf(expected, sizeof(expected), "revoked on %s (superseded)", when(-10 * HOUR, at, sizeof(at)));
	assert_string_equal(source_text(&src), expected);
	spec.status = V_OCSP_CERTSTATUS_UNKNOWN;
	src = judge_ocsp(&spec);
	assert_int_equal(src.status, MKCSR_REVOCATION_UNKNOWN);
	assert_string_equal(source_text(&src), "unknown to the responder");
}

static void test_ocsp_stale(void **state)
{
	struct ocsp_spec spec = { .status = V_OCSP_CERTSTATUS_GOOD, .reason = -1, .this_offset = -2 * HOUR, .next_offset = -HOUR };
	struct mkcsr_revocation_source src = judge_ocsp(&spec);
	char expected[200], at[40];

	assert_int_equal(src.status, MKCSR_REVOCATION_STALE);
	snprintf(expected, sizeof(expected), "stale (next update %s has passed)", when(-HOUR, at, sizeof(at)));
	assert_string_equal(source_text(&src), expected);
	spec.this_offset = HOUR;
	spec.next_offset = 2 * HOUR;
	assert_int_equal(judge_ocsp(&spec).status, MKCSR_REVOCATION_STALE);
}

static void test_ocsp_wrong_signer(void **state)
{
	struct ocsp_spec spec = { .status = V_OCSP_CERTSTATUS_GOOD, .reason = -1, .this_offset = -60, .next_offset = HOUR,
				  .signer = pki.responder_no_eku, .signer_key = pki.responder_key };
	struct mkcsr_revocation_source src = judge_ocsp(&spec);
	X509 *rogue = issue("mkcsr unit rogue", 9, pki.other_key, NULL, NULL, "critical,CA:FALSE", NULL, "OCSPSigning", NULL);

	assert_int_equal(src.status, MKCSR_REVOCATION_BAD_SIGNATURE);
	assert_string_equal(source_text(&src),
			    "bad signature (signed by mkcsr unit not a responder, which lacks the OCSP signing usage)");
	/* A look-alike of the CA (same name, another key): its signature is not the CA's. */
	spec.signer = pki.stranger;
	spec.signer_key = pki.other_key;
	src = judge_ocsp(&spec);
	assert_int_equal(src.status, MKCSR_REVOCATION_BAD_SIGNATURE);
	assert_string_equal(source_text(&src), "bad signature (the signature does not verify with the key of mkcsr unit CA)");
	/* A responder the CA never issued. */
	spec.signer = rogue;
	src = judge_ocsp(&spec);
	assert_int_equal(src.status, MKCSR_REVOCATION_BAD_SIGNATURE);
	assert_string_equal(source_text(&src), "bad signature (signed by mkcsr unit rogue, which mkcsr unit CA did not issue)");
	/* The CA's own signature, damaged. */
	spec.signer = NULL;
	spec.signer_key = NULL;
	spec.corrupt_signature = true;
	src = judge_ocsp(&spec);
	assert_int_equal(src.status, MKCSR_REVOCATION_BAD_SIGNATURE);
	assert_string_equal(source_text(&src), "bad signature (the signature does not verify with the key of mkcsr unit CA)");
	X509_free(rogue);
}

static void test_ocsp_other_answers(void **state)
{
	struct ocsp_spec spec = { .status = V_OCSP_CERTSTATUS_GOOD, .reason = -1, .this_offset = -60, .next_offset = HOUR,
				  .about = pki.responder };
	struct mkcsr_revocation_source src = judge_ocsp(&spec);

	assert_int_equal(src.status, MKCSR_REVOCATION_WRONG_ISSUER);
	assert_string_equal(source_text(&src), "wrong issuer (the answer is not about this certificate)");
	spec.response_status = OCSP_RESPONSE_STATUS_TRYLATER;
	src = judge_ocsp(&spec);
	assert_int_equal(src.status, MKCSR_REVOCATION_RESPONDER_ERROR);
	assert_string_equal(source_text(&src), "responder error (the responder answered trylater)");
}

/* The verdicts on DER bytes, as fetched: the same as on the parsed answer; anything else is malformed. */
static void test_judge_der(void **state)
{
	struct crl_spec crl_spec = { .this_offset = -60, .next_offset = HOUR, .revoked_serial = 0x2001, .reason = 1 };
	struct ocsp_spec ocsp_spec = { .status = V_OCSP_CERTSTATUS_GOOD, .reason = -1, .this_offset = -60,
				       .next_offset = HOUR };
	X509_CRL *crl = make_crl(&crl_spec);
	OCSP_RESPONSE *resp = make_ocsp(&ocsp_spec);
	unsigned char *crl_der = NULL, *ocsp_der = NULL, *longer;
	int crl_len = i2d_X509_CRL(crl, &crl_der), ocsp_len = i2d_OCSP_RESPONSE(resp, &ocsp_der);
	struct mkcsr_revocation_source src = { .kind = MKCSR_REVOCATION_CRL };
	char at[40], expected[100];

	(void)state;
	assert_true(crl_len > 0 && ocsp_len > 0);
	revocation_judge_crl_der(crl_der, (size_t)crl_len, pki.leaf, pki.ca, pki.now, &src);
	assert_int_equal(src.status, MKCSR_REVOCATION_REVOKED);
	snprintf(expected, sizeof(expected), "revoked on %s (keyCompromise)", when(-10 * HOUR, at, sizeof(at)));
	assert_string_equal(source_text(&src), expected);
	assert_string_equal(src.detail, "");
	/* One byte more, one byte less, an OCSP answer given as a CRL: not a DER CRL. */
	longer = malloc((size_t)crl_len + 1);
	assert_non_null(longer);
	memcpy(longer, crl_der, (size_t)crl_len);
	longer[crl_len] = 0;
	memset(&src, 0, sizeof(src));
	revocation_judge_crl_der(longer, (size_t)crl_len + 1, pki.leaf, pki.ca, pki.now, &src);
	assert_int_equal(src.status, MKCSR_REVOCATION_MALFORMED);
	assert_string_equal(source_text(&src), "malformed (not a DER CRL)");
	memset(&src, 0, sizeof(src));
	revocation_judge_crl_der(crl_der, (size_t)crl_len - 1, pki.leaf, pki.ca, pki.now, &src);
	assert_string_equal(source_text(&src), "malformed (not a DER CRL)");
	revocation_judge_crl_der(ocsp_der, (size_t)ocsp_len, pki.leaf, pki.ca, pki.now, &src);
	assert_string_equal(source_text(&src), "malformed (not a DER CRL)");
	/* The OCSP answer: good; with a byte more, or a CRL, or nothing, not a DER OCSP response. */
	memset(&src, 0, sizeof(src));
	src.kind = MKCSR_REVOCATION_OCSP;
	revocation_judge_ocsp_der(ocsp_der, (size_t)ocsp_len, pki.leaf, pki.ca, pki.now, &src);
	assert_int_equal(src.status, MKCSR_REVOCATION_GOOD);
	assert_string_equal(source_text(&src), "good");
	free(longer);
	longer = malloc((size_t)ocsp_len + 1);
	assert_non_null(longer);
	memcpy(longer, ocsp_der, (size_t)ocsp_len);
	longer[ocsp_len] = 0;
	revocation_judge_ocsp_der(longer, (size_t)ocsp_len + 1, pki.leaf, pki.ca, pki.now, &src);
	assert_int_equal(src.status, MKCSR_REVOCATION_MALFORMED);
	assert_string_equal(source_text(&src), "malformed (not a DER OCSP response)");
	memset(&src, 0, sizeof(src));
	revocation_judge_ocsp_der(crl_der, (size_t)crl_len, pki.leaf, pki.ca, pki.now, &src);
	assert_string_equal(source_text(&src), "malformed (not a DER OCSP response)");
	memset(&src, 0, sizeof(src));
	revocation_judge_ocsp_der(ocsp_der, 0, pki.leaf, pki.ca, pki.now, &src);
	assert_string_equal(source_text(&src), "malformed (not a DER OCSP response)");
	free(longer);
	OPENSSL_free(crl_der);
	OPENSSL_free(ocsp_der);
	X509_CRL_free(crl);
	OCSP_RESPONSE_free(resp);
}

/* ---- the verdict over a path, without network ---- */

static STACK_OF(X509) *path_of(X509 *leaf, X509 *ca)
{
	STACK_OF(X509) *path = sk_X509_new_null();

	assert_non_null(path);
	assert_true(sk_X509_push(path, leaf) > 0);
	if (ca != NULL)
		assert_true(sk_X509_push(path, ca) > 0);
	return path;
}

static void test_path_verdicts(void **state)
{
	X509 *named = issue("named.example.com", 0x4001, pki.leaf_key, pki.ca, pki.ca_key, NULL, NULL, NULL,
			    "URI:ldap:///CN=mkcsr%20unit%20CA?certificateRevocationList,URI:http://127.0.0.1:9/x.crl");
	STACK_OF(X509) *path = path_of(pki.leaf, pki.ca);
	struct mkcsr_revocation_result r;
	struct timespec past = httpget_deadline_in(-1);
	char text[1024];

	/* The leaf names nothing; the root above it is not checked. */
	assert_int_equal(revocation_check(path, pki.now, &past, &r), MKCSR_E_OK);
	assert_int_equal(r.verdict, MKCSR_REVOCATION_NONE_NAMED);
	assert_int_equal(r.count, 0);
	assert_string_equal(revocation_summary_text(&r, text, sizeof(text)),
			    "vpn.example.com names no CRL distribution point and no OCSP address: clients that check "
			    "revocation, as SSTP clients do, cannot");
	revocation_result_clear(&r);
	sk_X509_free(path);

	/* ldap:// is named, not fetched; the http:// one has no time left. */
	path = path_of(named, pki.ca);
	assert_int_equal(revocation_check(path, pki.now, &past, &r), MKCSR_E_OK);
	assert_int_equal(r.count, 2);
	assert_int_equal(r.sources[0].status, MKCSR_REVOCATION_NOT_FETCHED);
	assert_int_equal(r.sources[1].status, MKCSR_REVOCATION_NOT_TRIED);
	assert_int_equal(r.verdict, MKCSR_REVOCATION_OFFLINE);
	assert_string_equal(revocation_summary_text(&r, text, sizeof(text)),
			    "no usable answer; named.example.com: CRL ldap:///CN=mkcsr%20unit%20CA?certificateRevocationList "
			    "not fetched (ldap://), CRL http://127.0.0.1:9/x.crl not tried (the time limit was reached)");
	revocation_result_clear(&r);
	sk_X509_free(path);

	/* A self-signed certificate alone: nothing to check. */
	path = path_of(pki.ca, NULL);
	assert_int_equal(revocation_check(path, pki.now, &past, &r), MKCSR_E_OK);
	assert_int_equal(r.verdict, MKCSR_REVOCATION_NONE_NAMED);
	revocation_result_clear(&r);
	sk_X509_free(path);
	X509_free(named);
}

/* A summary too long for its buffer ends in "...", never mid-way without a sign. */
static void test_summary_truncated(void **state)
{
	struct mkcsr_revocation_source sources[8];
	struct mkcsr_revocation_result r = { .verdict = MKCSR_REVOCATION_NOT_REVOKED, .sources = sources, .count = 8 };
	char text[200];

	memset(sources, 0, sizeof(sources));
	for (int i = 0; i < 8; i++) {
		snprintf(sources[i].certificate, sizeof(sources[i].certificate), "vpn.example.com");
		snprintf(sources[i].url, sizeof(sources[i].url), "http://crl.example.com/%d.crl", i);
	}
	revocation_summary_text(&r, text, sizeof(text));
	assert_int_equal(strlen(text), sizeof(text) - 1);
	assert_string_equal(text + sizeof(text) - 4, "...");
}

/* ---- the cache, shared by threads ---- */

struct server {
	int fd;
	unsigned char *body;
	int body_len;
	int requests;       /* written by the server thread, read after it ends */
	int answers;        /* how many connections to answer before ending */
	pthread_t thread;
};

static void *serve(void *arg)
{
	struct server *s = arg;

	for (int i = 0; i < s->answers; i++) {
		int c = accept(s->fd, NULL, NULL);
		char req[2048], head[128];
		size_t got = 0;

		if (c < 0)
			break;
		while (got < sizeof(req) - 1) {
			ssize_t n = recv(c, req + got, sizeof(req) - 1 - got, 0);

			if (n <= 0)
				break;
			got += (size_t)n;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		s->requests++;
		usleep(100 * 1000);  /* long enough for every thread to ask meanwhile */
		snprintf(head, sizeof(head), "HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n", s->body_len);
		assert_true(send(c, head, strlen(head), MSG_NOSIGNAL) > 0);
		assert_true(send(c, s->body, (size_t)s->body_len, MSG_NOSIGNAL) == s->body_len);
		close(c);
	}
	return NULL;
}

struct worker {
	STACK_OF(X509) *path;
	struct mkcsr_revocation_result result;
};

static void *check_in_thread(void *arg)
{
	struct worker *w = arg;
	struct timespec deadline = httpget_deadline_in(10);

	if (revocation_check(w->path, pki.now, &deadline, &w->result) != MKCSR_E_OK)
		w->result.verdict = MKCSR_REVOCATION_UNFETCHABLE;
	return NULL;
}

static void test_cache_threads(void **state)
{
	struct server s = { .answers = 2 };
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	struct crl_spec spec = { .this_offset = -HOUR, .next_offset = 24 * HOUR, .reason = -1 };
	X509_CRL *crl = make_crl(&spec);
	char cdp[100];
	X509 *leaf;
	struct worker workers[8];
	pthread_t threads[8];

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s.fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s.fd >= 0);
	assert_int_equal(bind(s.fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(s.fd, 16), 0);
	assert_int_equal(getsockname(s.fd, (struct sockaddr *)&addr, &len), 0);
	s.body_len = i2d_X509_CRL(crl, &s.body);
	assert_true(s.body_len > 0);
	snprintf(cdp, sizeof(cdp), "URI:http://127.0.0.1:%d/ca.crl", ntohs(addr.sin_port));
	leaf = issue("cached.example.com", 0x5001, pki.leaf_key, pki.ca, pki.ca_key, NULL, NULL, NULL, cdp);
	assert_int_equal(pthread_create(&s.thread, NULL, serve, &s), 0);

	revocation_cache_clear();
	for (int i = 0; i < 8; i++) {
		workers[i].path = path_of(leaf, pki.ca);
		assert_int_equal(pthread_create(&threads[i], NULL, check_in_thread, &workers[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(workers[i].result.verdict, MKCSR_REVOCATION_NOT_REVOKED);
		assert_int_equal(workers[i].result.count, 1);
		assert_int_equal(workers[i].result.sources[0].status, MKCSR_REVOCATION_GOOD);
		revocation_result_clear(&workers[i].result);
	}
	/* Eight checks at once, one fetch; after the cache is cleared, one more. */
	revocation_cache_clear();
	check_in_thread(&workers[0]);
	assert_int_equal(workers[0].result.verdict, MKCSR_REVOCATION_NOT_REVOKED);
	revocation_result_clear(&workers[0].result);
	assert_int_equal(pthread_join(s.thread, NULL), 0);
	assert_int_equal(s.requests, 2);

	for (int i = 0; i < 8; i++)
		sk_X509_free(workers[i].path);
	close(s.fd);
	OPENSSL_free(s.body);
	X509_CRL_free(crl);
	X509_free(leaf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_crl_fresh),
		cmocka_unit_test(test_crl_stale),
		cmocka_unit_test(test_crl_revoked),
		cmocka_unit_test(test_crl_wrong_signer),
		cmocka_unit_test(test_crl_scope),
		cmocka_unit_test(test_ocsp_good),
		cmocka_unit_test(test_ocsp_revoked_unknown),
		cmocka_unit_test(test_ocsp_stale),
		cmocka_unit_test(test_ocsp_wrong_signer),
		cmocka_unit_test(test_ocsp_other_answers),
		cmocka_unit_test(test_judge_der),
		cmocka_unit_test(test_path_verdicts),
		cmocka_unit_test(test_summary_truncated),
		cmocka_unit_test(test_cache_threads),
	};

	return cmocka_run_group_tests(tests, setup_pki, teardown_pki);
}
