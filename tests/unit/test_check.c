/*
 * check: every check on certificates built here, with validity relative to
 * the time the test runs (design.md habit 7), a CA, an intermediate and
 * leaves that each differ in one respect.  The trust anchors are always
 * given (struct mkcsr_certset or a hashed directory), so the system store
 * is never loaded.
 */
#include "unit.h"

#include <stdbool.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "check.h"
#include "testca.h"
#include "winerr.h"

#define DAY 86400L

/* ---- building certificates relative to "now" ---- */

struct spec {
	const char *cn;            /* NULL: an empty subject */
	const char *o;             /* an O after the CN, or NULL */
	const char *san, *eku, *ku, *bc, *cdp, *aia;   /* X509V3 config values, NULL: no extension */
	long from_days, to_days;   /* notBefore and notAfter, in days from "now" */
	long to_secs;              /* added to notAfter */
	const EVP_MD *md;          /* NULL: SHA-256 */
	long serial;
};

/* An extension the spec asks for; none when its value is NULL. */
static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	if (value != NULL)
		testca_add_ext(cert, issuer, nid, value);
}

static X509_NAME *make_name(const char *cn, const char *o)
{
	X509_NAME *name = X509_NAME_new();
	const unsigned char *uo = (const unsigned char *)o, *ucn = (const unsigned char *)cn;

	assert_non_null(name);
	if (o != NULL)
		assert_int_equal(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, uo, -1, -1, 0), 1);
	if (cn != NULL)
		assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, ucn, -1, -1, 0), 1);
	return name;
}

/* A certificate for key as s describes, issued by issuer/issuer_key (NULL: self-signed), dated from at. */
static X509 *issue(time_t at, const struct spec *s, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key)
{
	X509 *cert = X509_new();
	X509_NAME *name = make_name(s->cn, s->o);
	time_t base = at;

	assert_non_null(cert);
	assert_int_equal(X509_set_version(cert, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(cert), s->serial ? s->serial : 1), 1);
	assert_int_equal(X509_set_subject_name(cert, name), 1);
	assert_int_equal(X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name), 1);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(cert), (int)s->from_days, 0, &base));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(cert), (int)s->to_days, s->to_secs, &base));
	assert_int_equal(X509_set_pubkey(cert, key), 1);
	add_ext(cert, NULL, NID_basic_constraints, s->bc);
	add_ext(cert, NULL, NID_key_usage, s->ku);
	add_ext(cert, NULL, NID_ext_key_usage, s->eku);
	add_ext(cert, NULL, NID_subject_alt_name, s->san);
	add_ext(cert, issuer ? issuer : cert, NID_subject_key_identifier, "hash");
	if (issuer != NULL)
		add_ext(cert, issuer, NID_authority_key_identifier, "keyid");
	add_ext(cert, NULL, NID_crl_distribution_points, s->cdp);
	add_ext(cert, NULL, NID_info_access, s->aia);
	assert_true(X509_sign(cert, issuer_key ? issuer_key : key, s->md ? s->md : EVP_sha256()) > 0);
	X509_NAME_free(name);
	return cert;
}

static struct spec ca_spec(const char *cn, long serial)
{
	struct spec s = {
		.cn = cn, .o = "mkcsr unit", .bc = "critical,CA:TRUE", .ku = "critical,keyCertSign,cRLSign",
		.from_days = -365, .to_days = 3650, .serial = serial,
	};

	return s;
}

/* leaf-good, in-process: the SSTP certificate that passes everything. */
static struct spec leaf_spec(void)
{
	struct spec s = {
		.cn = "vpn.example.com",
		.san = "DNS:vpn.example.com",
		.eku = "serverAuth",
		.ku = "critical,digitalSignature",
		.bc = "critical,CA:FALSE",
		.cdp = "URI:http://crl.example.com/inter.crl",
		.aia = "OCSP;URI:http://ocsp.example.com",
		.from_days = -1,
		.to_days = 100,
		.serial = 0x2001,
	};

	return s;
}

struct fx {
	time_t at;
	EVP_PKEY *root_key, *inter_key, *leaf_key, *other_key;
	X509 *root, *inter, *other_root, *good;
};

static int group_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct spec root = ca_spec("Check Root CA", 1), inter = ca_spec("Check Issuing CA", 2);
	struct spec other = ca_spec("Other Root CA", 3), good = leaf_spec();

	if (fx == NULL)
		return -1;
	fx->at = time(NULL);
	fx->root_key = testca_key();
	fx->inter_key = testca_key();
	fx->leaf_key = testca_key();
	fx->other_key = testca_key();
	inter.bc = "critical,CA:TRUE,pathlen:0";
	fx->root = issue(fx->at, &root, fx->root_key, NULL, NULL);
	fx->inter = issue(fx->at, &inter, fx->inter_key, fx->root, fx->root_key);
	fx->other_root = issue(fx->at, &other, fx->other_key, NULL, NULL);
	fx->good = issue(fx->at, &good, fx->leaf_key, fx->inter, fx->inter_key);
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	struct fx *fx = *state;

	X509_free(fx->good);
	X509_free(fx->other_root);
	X509_free(fx->inter);
	X509_free(fx->root);
	EVP_PKEY_free(fx->other_key);
	EVP_PKEY_free(fx->leaf_key);
	EVP_PKEY_free(fx->inter_key);
	EVP_PKEY_free(fx->root_key);
	free(fx);
	return 0;
}

/* A leaf issued by the intermediate to the leaf key. */
static X509 *leaf(const struct fx *fx, const struct spec *s)
{
	return issue(fx->at, s, fx->leaf_key, fx->inter, fx->inter_key);
}

/* ---- running the checks ---- */

/* Distinct pointers: check.c tells --cert certificates from --chain ones by the source pointer. */
static const char CERT_PATH[] = "vpn.cer";
static const char CHAIN_PATH[] = "chain.p7b";
static const char KEY_PATH[] = "vpn.key";
static const char CSR_PATH[] = "vpn.req";

struct job {
	X509 *cert[3];        /* from --cert (NULL-terminated) */
	X509 *chain[4];       /* from --chain */
	X509 *anchor[3];      /* --ca-file; none: an empty store */
	EVP_PKEY *key;
	X509_REQ *csr;
	const char *host;
	enum mkcsr_role role;
	int warn_days;
	bool skip_chain;
	const char *ca_dir;   /* instead of anchor */
};

struct outcome {
	struct mkcsr_certset certs, anchors;
	struct mkcsr_check_input in;
	struct mkcsr_check_report r;
};

static void describe_report(const struct outcome *o)
{
	for (int i = 0; i < MKCSR_CHECK_COUNT_; i++)
		print_message("  %-10s %-4s exit %d win 0x%08X: %s\n", check_id_key((enum mkcsr_check_id)i),
			      check_status_key(o->r.items[i].status), o->r.items[i].exit_code, o->r.items[i].win_code,
			      o->r.items[i].detail);
}

/* What holds for every report: every check ran, said why, and named a Windows code the table knows. */
static void expect_sane(const struct outcome *o)
{
	for (int i = 0; i < MKCSR_CHECK_COUNT_; i++) {
		const struct mkcsr_check_item *item = &o->r.items[i];
		bool bad = false;

		bad |= (int)item->status < (int)MKCSR_CHECK_PASS || (int)item->status > (int)MKCSR_CHECK_SKIP;
		bad |= item->detail[0] == '\0';
		bad |= (item->status == MKCSR_CHECK_PASS || item->status == MKCSR_CHECK_SKIP) &&
		       (item->exit_code != MKCSR_EXIT_OK || item->win_code != 0);
		bad |= item->status == MKCSR_CHECK_FAIL && item->exit_code == MKCSR_EXIT_OK;
		bad |= item->win_code != 0 && winerr_lookup(item->win_code) == NULL;
		if (bad) {
			describe_report(o);
			fail_msg("check %s is inconsistent", check_id_key((enum mkcsr_check_id)i));
		}
	}
}

/* x509, up-referenced, read from source (as mkcsr check reads its files, less the removal of duplicates). */
static void append(struct mkcsr_certset *set, X509 *x509, const char *source)
{
	assert_true(X509_up_ref(x509));
	assert_err(chain_append(set, x509, source), MKCSR_E_OK);
}

static void run_job(const struct fx *fx, const struct job *j, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < 3 && j->cert[i] != NULL; i++)
		append(&o->certs, j->cert[i], CERT_PATH);
	for (int i = 0; i < 4 && j->chain[i] != NULL; i++)
		append(&o->certs, j->chain[i], CHAIN_PATH);
	for (int i = 0; i < 3 && j->anchor[i] != NULL; i++)
		append(&o->anchors, j->anchor[i], "ca.pem");

	o->in.certs = &o->certs;
	o->in.cert_path = CERT_PATH;
	o->in.key = j->key;
	o->in.key_path = KEY_PATH;
	o->in.csr = j->csr;
	o->in.csr_path = CSR_PATH;
	o->in.host = j->host;
	o->in.role = j->role;
	o->in.anchors = j->ca_dir ? NULL : &o->anchors;
	o->in.ca_dir = j->ca_dir;
	o->in.at = fx->at;
	o->in.warn_days = j->warn_days;
	o->in.skip_chain = j->skip_chain;
	assert_err(check_run(&o->in, &o->r), MKCSR_E_OK);
	assert_non_null(o->r.leaf);
	assert_int_equal(o->r.role, j->role);
	assert_int_equal(o->r.at, fx->at);
	expect_sane(o);
}

/* cert from --cert, the intermediate from --chain, the root trusted. */
static void run(const struct fx *fx, X509 *cert, enum mkcsr_role role, const char *host, struct outcome *o)
{
	struct job j = { .cert = { cert }, .chain = { fx->inter }, .anchor = { fx->root }, .role = role, .host = host,
			 .warn_days = -1 };

	run_job(fx, &j, o);
}

static void expect_item(const struct outcome *o, enum mkcsr_check_id id, enum mkcsr_check_status status,
			enum mkcsr_exit exit_code, uint32_t win_code, const char *needle)
{
	const struct mkcsr_check_item *item = &o->r.items[id];

	if (item->status != status || item->exit_code != exit_code || item->win_code != win_code ||
	    (needle != NULL && strstr(item->detail, needle) == NULL)) {
		describe_report(o);
		fail_msg("%s: got %s, exit %d, 0x%08X, '%s'; expected %s, exit %d, 0x%08X, with '%s'", check_id_key(id),
			 check_status_key(item->status), item->exit_code, item->win_code, item->detail,
			 check_status_key(status), exit_code, win_code, needle ? needle : "");
	}
}

static void expect_pass(const struct outcome *o, enum mkcsr_check_id id, const char *needle)
{
	expect_item(o, id, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, needle);
}

static void expect_fail(const struct outcome *o, enum mkcsr_check_id id, uint32_t win_code, const char *needle)
{
	expect_item(o, id, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, win_code, needle);
}

static void done(struct outcome *o)
{
	check_report_clear(&o->r);
	assert_null(o->r.path);
	chain_clear(&o->certs);
	chain_clear(&o->anchors);
}

/* ---- the good certificate ---- */

static void test_good_certificate(void **state)
{
	struct fx *fx = *state;
	struct job j = { .cert = { fx->good }, .chain = { fx->inter }, .anchor = { fx->root }, .key = fx->leaf_key,
			 .host = "vpn.example.com", .role = MKCSR_ROLE_SSTP, .warn_days = 30 };
	struct outcome o;

	run_job(fx, &j, &o);
	assert_ptr_equal(o.r.leaf, &o.certs.items[0]);
	assert_string_equal(o.r.host, "vpn.example.com");
	assert_int_equal(o.r.days_left, 100);
	expect_pass(&o, MKCSR_CHECK_KEY, "'vpn.key' is the private key of CN=vpn.example.com in 'vpn.cer'");
	expect_item(&o, MKCSR_CHECK_REQUEST, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "no --csr");
	expect_pass(&o, MKCSR_CHECK_VALIDITY, "100 days left");
	expect_pass(&o, MKCSR_CHECK_NAME, "vpn.example.com is covered by the certificate's names (DNS:vpn.example.com)");
	expect_pass(&o, MKCSR_CHECK_USAGE, "Server Authentication");
	expect_pass(&o, MKCSR_CHECK_KEY_USAGE, "an ECDSA key");
	expect_pass(&o, MKCSR_CHECK_CHAIN,
		    "CN=vpn.example.com <- CN=Check Issuing CA, O=mkcsr unit <- CN=Check Root CA, O=mkcsr unit, "
		    "trusted through --ca-file");
	expect_pass(&o, MKCSR_CHECK_REVOCATION, "CRL http://crl.example.com/inter.crl, OCSP http://ocsp.example.com");
	assert_string_equal(o.r.trust, "--ca-file");
	/* The verified path: leaf, intermediate, root. */
	assert_int_equal(sk_X509_num(o.r.path), 3);
	assert_ptr_equal(sk_X509_value(o.r.path, 0), fx->good);
	assert_ptr_equal(sk_X509_value(o.r.path, 1), fx->inter);
	assert_ptr_equal(sk_X509_value(o.r.path, 2), fx->root);
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_OK);
	done(&o);
}

/* ---- validity ---- */

static void test_validity_exact_days(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *almost;
	struct outcome o;

	run(fx, fx->good, MKCSR_ROLE_SSTP, NULL, &o);
	assert_int_equal(o.r.days_left, 100);
	done(&o);

	/* A second short of 100 days is 99 whole days. */
	s.to_secs = -1;
	almost = leaf(fx, &s);
	run(fx, almost, MKCSR_ROLE_SSTP, NULL, &o);
	assert_int_equal(o.r.days_left, 99);
	expect_pass(&o, MKCSR_CHECK_VALIDITY, "99 days left");
	done(&o);
	X509_free(almost);
}

static void test_validity_expired(void **state)
{
	static const struct {
		enum mkcsr_role role;
		uint32_t code;
	} roles[] = {
		{ MKCSR_ROLE_SSTP, 0x800B0101 },   /* CERT_E_EXPIRED */
		{ MKCSR_ROLE_NPS, 858 },           /* ERROR_EAP_SERVER_CERT_EXPIRED */
		{ MKCSR_ROLE_IKEV2, 13801 },       /* ERROR_IPSEC_IKE_AUTH_FAIL */
		{ MKCSR_ROLE_DEVICE, 13806 },      /* ERROR_IPSEC_IKE_NO_CERT */
		{ MKCSR_ROLE_CLIENT, 0x800B0101 },
	};
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *expired;
	struct outcome o;

	s.from_days = -30;
	s.to_days = -1;
	expired = leaf(fx, &s);
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		run(fx, expired, roles[i].role, "vpn.example.com", &o);
		expect_fail(&o, MKCSR_CHECK_VALIDITY, roles[i].code, "expired on ");
		assert_int_equal(o.r.days_left, -1);
		/* The chain check leaves the leaf's dates to this one. */
		expect_pass(&o, MKCSR_CHECK_CHAIN, NULL);
		done(&o);
	}
	run(fx, expired, MKCSR_ROLE_SSTP, "vpn.example.com", &o);
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_FAILED);
	done(&o);
	X509_free(expired);
}

static void test_validity_not_yet(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *future;
	struct outcome o;

	s.from_days = 1;
	s.to_days = 400;
	future = leaf(fx, &s);
	run(fx, future, MKCSR_ROLE_SSTP, NULL, &o);
	expect_fail(&o, MKCSR_CHECK_VALIDITY, 0x800B0101, "not valid before ");
	expect_pass(&o, MKCSR_CHECK_CHAIN, NULL);
	done(&o);
	run(fx, future, MKCSR_ROLE_NPS, NULL, &o);
	expect_fail(&o, MKCSR_CHECK_VALIDITY, 858, "not valid before ");
	done(&o);
	X509_free(future);
}

static void test_validity_warning_window(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *ten, *thirty, *thirty_one;
	struct job j = { .chain = { fx->inter }, .anchor = { fx->root }, .host = "vpn.example.com",
			 .role = MKCSR_ROLE_SSTP, .warn_days = 30 };
	struct outcome o;

	s.to_days = 10;
	ten = leaf(fx, &s);
	s.to_days = 30;
	thirty = leaf(fx, &s);
	s.to_days = 31;
	thirty_one = leaf(fx, &s);

	/* 10 days left with a 30-day window: a warning, and the exit code says so. */
	j.cert[0] = ten;
	run_job(fx, &j, &o);
	expect_item(&o, MKCSR_CHECK_VALIDITY, MKCSR_CHECK_WARN, MKCSR_EXIT_EXPIRING, 0x800B0101,
		    "in 10 days: within the 30-day warning window");
	assert_int_equal(o.r.days_left, 10);
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_EXPIRING);
	done(&o);

	/* No window: no warning. */
	j.warn_days = -1;
	run_job(fx, &j, &o);
	expect_pass(&o, MKCSR_CHECK_VALIDITY, "10 days left");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_OK);
	done(&o);

	/* 30 and 31 days are outside a 30-day window. */
	j.warn_days = 30;
	j.cert[0] = thirty;
	run_job(fx, &j, &o);
	expect_pass(&o, MKCSR_CHECK_VALIDITY, "30 days left");
	done(&o);
	j.cert[0] = thirty_one;
	run_job(fx, &j, &o);
	expect_pass(&o, MKCSR_CHECK_VALIDITY, "31 days left");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_OK);
	done(&o);

	X509_free(thirty_one);
	X509_free(thirty);
	X509_free(ten);
}

/* ---- names (RFC 6125) ---- */

static void expect_name(const struct fx *fx, X509 *cert, const char *host, bool covered)
{
	struct outcome o;

	run(fx, cert, MKCSR_ROLE_SSTP, host, &o);
	if (covered)
		expect_pass(&o, MKCSR_CHECK_NAME, host);
	else
		expect_fail(&o, MKCSR_CHECK_NAME, 0x800B010F, "is not among the certificate's names");
	done(&o);
}

static void test_name_san_wins(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *cert;
	struct outcome o;

	/* The SAN has the name; the CN is something else and is not looked at. */
	s.cn = "legacy.example.com";
	cert = leaf(fx, &s);
	expect_name(fx, cert, "vpn.example.com", true);
	expect_name(fx, cert, "VPN.Example.COM", true);
	expect_name(fx, cert, "legacy.example.com", false);
	expect_name(fx, cert, "example.com", false);
	expect_name(fx, cert, "a.vpn.example.com", false);

	/* Each role's code for a name that is not covered. */
	run(fx, cert, MKCSR_ROLE_NPS, "legacy.example.com", &o);
	expect_fail(&o, MKCSR_CHECK_NAME, 864, "(DNS:vpn.example.com)");
	done(&o);
	run(fx, cert, MKCSR_ROLE_IKEV2, "legacy.example.com", &o);
	expect_fail(&o, MKCSR_CHECK_NAME, 13801, NULL);
	done(&o);
	X509_free(cert);
}

static void test_name_cn_only(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *cert;
	struct outcome o;

	/* No SAN: the CN still matches for OpenSSL, but Windows and browsers want the SAN: a warning. */
	s.san = NULL;
	cert = leaf(fx, &s);
	run(fx, cert, MKCSR_ROLE_SSTP, "vpn.example.com", &o);
	expect_item(&o, MKCSR_CHECK_NAME, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0x800B010F, "matches only the subject's CN");
	expect_item(&o, MKCSR_CHECK_NAME, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0x800B010F, "no DNS or IP names");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_OK);
	done(&o);
	expect_name(fx, cert, "other.example.com", false);
	X509_free(cert);

	/* A SAN with only an IP address: the CN is used for a DNS name, and warned about. */
	s.san = "IP:192.0.2.10";
	cert = leaf(fx, &s);
	run(fx, cert, MKCSR_ROLE_SSTP, "vpn.example.com", &o);
	expect_item(&o, MKCSR_CHECK_NAME, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0x800B010F, "matches only the subject's CN");
	done(&o);
	X509_free(cert);
}

static void test_name_wildcards(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *wild, *partial, *inner;

	s.cn = "*.example.com";
	s.san = "DNS:*.example.com";
	wild = leaf(fx, &s);
	/* A wildcard is one whole label: not zero labels, not two. */
	expect_name(fx, wild, "vpn.example.com", true);
	expect_name(fx, wild, "a-b.example.com", true);
	expect_name(fx, wild, "example.com", false);
	expect_name(fx, wild, "a.vpn.example.com", false);
	expect_name(fx, wild, "vpn.example.org", false);

	/* No partial wildcards ("vpn*"), and none but in the left-most label. */
	s.cn = "vpn.example.com";
	s.san = "DNS:vpn*.example.com";
	partial = leaf(fx, &s);
	expect_name(fx, partial, "vpn1.example.com", false);
	expect_name(fx, partial, "vpn.example.com", false);
	s.san = "DNS:vpn.*.com";
	inner = leaf(fx, &s);
	expect_name(fx, inner, "vpn.example.com", false);

	X509_free(inner);
	X509_free(partial);
	X509_free(wild);
}

static void test_name_ip(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *cert, *dns_ip, *cn_ip;
	struct outcome o;

	s.san = "DNS:vpn.example.com,IP:192.0.2.10,IP:2001:db8::1";
	cert = leaf(fx, &s);
	expect_name(fx, cert, "192.0.2.10", true);
	expect_name(fx, cert, "2001:db8::1", true);
	expect_name(fx, cert, "2001:DB8:0:0:0:0:0:1", true);  /* compared as addresses, not text */
	expect_name(fx, cert, "192.0.2.11", false);
	expect_name(fx, cert, "vpn.example.com", true);
	run(fx, cert, MKCSR_ROLE_SSTP, "192.0.2.99", &o);
	expect_fail(&o, MKCSR_CHECK_NAME, 0x800B010F,
		    "192.0.2.99 is not among the certificate's names (DNS:vpn.example.com, IP:192.0.2.10, IP:2001:db8::1)");
	done(&o);

	/* An address written as a DNS name, or as the CN, does not cover an IP host. */
	s.san = "DNS:192.0.2.10";
	dns_ip = leaf(fx, &s);
	expect_name(fx, dns_ip, "192.0.2.10", false);
	s.san = NULL;
	s.cn = "192.0.2.10";
	cn_ip = leaf(fx, &s);
	expect_name(fx, cn_ip, "192.0.2.10", false);

	X509_free(cn_ip);
	X509_free(dns_ip);
	X509_free(cert);
}

static void test_name_skipped_without_host(void **state)
{
	struct fx *fx = *state;
	struct outcome o;

	run(fx, fx->good, MKCSR_ROLE_SSTP, NULL, &o);
	expect_item(&o, MKCSR_CHECK_NAME, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "no --host");
	assert_string_equal(o.r.host, "");
	done(&o);
}

/* ---- extended key usage per role ---- */

static void expect_usage(const struct fx *fx, X509 *cert, enum mkcsr_role role, enum mkcsr_check_status status,
			 uint32_t code)
{
	struct outcome o;

	run(fx, cert, role, NULL, &o);
	expect_item(&o, MKCSR_CHECK_USAGE, status, status == MKCSR_CHECK_FAIL ? MKCSR_EXIT_FAILED : MKCSR_EXIT_OK, code,
		    NULL);
	done(&o);
}

static void test_usage_per_role(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *none, *any, *server, *server_ike, *client, *client_ike;
	struct outcome o;

	s.eku = NULL;
	none = leaf(fx, &s);
	s.eku = "anyExtendedKeyUsage";
	any = leaf(fx, &s);
	s.eku = "serverAuth";
	server = leaf(fx, &s);
	s.eku = "serverAuth,1.3.6.1.5.5.8.2.2";
	server_ike = leaf(fx, &s);
	s.eku = "clientAuth";
	client = leaf(fx, &s);
	s.eku = "clientAuth,1.3.6.1.5.5.8.2.2";
	client_ike = leaf(fx, &s);

	/* No EKU at all: every usage, for every role. */
	for (int role = MKCSR_ROLE_SSTP; role <= MKCSR_ROLE_DEVICE; role++)
		expect_usage(fx, none, (enum mkcsr_role)role, MKCSR_CHECK_PASS, 0);
	run(fx, none, MKCSR_ROLE_SSTP, NULL, &o);
	expect_pass(&o, MKCSR_CHECK_USAGE, "no extended key usage extension");
	done(&o);

	/* anyExtendedKeyUsage stands in for the one the role needs. */
	expect_usage(fx, any, MKCSR_ROLE_SSTP, MKCSR_CHECK_PASS, 0);
	expect_usage(fx, any, MKCSR_ROLE_NPS, MKCSR_CHECK_PASS, 0);
	expect_usage(fx, any, MKCSR_ROLE_CLIENT, MKCSR_CHECK_PASS, 0);

	/* Server Authentication. */
	expect_usage(fx, server, MKCSR_ROLE_SSTP, MKCSR_CHECK_PASS, 0);
	expect_usage(fx, server, MKCSR_ROLE_NPS, MKCSR_CHECK_PASS, 0);
	expect_usage(fx, server, MKCSR_ROLE_IKEV2, MKCSR_CHECK_WARN, 13801);  /* no IKE intermediate */
	expect_usage(fx, server, MKCSR_ROLE_CLIENT, MKCSR_CHECK_FAIL, 0x800B0110);
	expect_usage(fx, server, MKCSR_ROLE_DEVICE, MKCSR_CHECK_FAIL, 13806);
	run(fx, server, MKCSR_ROLE_IKEV2, NULL, &o);
	expect_item(&o, MKCSR_CHECK_USAGE, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 13801, "1.3.6.1.5.5.8.2.2");
	done(&o);
	run(fx, server, MKCSR_ROLE_CLIENT, NULL, &o);
	expect_fail(&o, MKCSR_CHECK_USAGE, 0x800B0110,
		    "the client role needs Client Authentication (1.3.6.1.5.5.7.3.2), which the certificate lacks");
	done(&o);

	/* With IKE intermediate, IKEv2 is satisfied. */
	expect_usage(fx, server_ike, MKCSR_ROLE_IKEV2, MKCSR_CHECK_PASS, 0);
	expect_usage(fx, server_ike, MKCSR_ROLE_SSTP, MKCSR_CHECK_PASS, 0);

	/* Client Authentication only: each server role fails with its own code. */
	expect_usage(fx, client, MKCSR_ROLE_SSTP, MKCSR_CHECK_FAIL, 0x800B0110);
	expect_usage(fx, client, MKCSR_ROLE_IKEV2, MKCSR_CHECK_FAIL, 13801);
	expect_usage(fx, client, MKCSR_ROLE_NPS, MKCSR_CHECK_FAIL, 864);
	expect_usage(fx, client, MKCSR_ROLE_CLIENT, MKCSR_CHECK_PASS, 0);
	expect_usage(fx, client, MKCSR_ROLE_DEVICE, MKCSR_CHECK_WARN, 13801);
	expect_usage(fx, client_ike, MKCSR_ROLE_DEVICE, MKCSR_CHECK_PASS, 0);
	run(fx, client, MKCSR_ROLE_SSTP, NULL, &o);
	expect_fail(&o, MKCSR_CHECK_USAGE, 0x800B0110, "the sstp role needs Server Authentication (1.3.6.1.5.5.7.3.1)");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_FAILED);
	done(&o);

	X509_free(client_ike);
	X509_free(client);
	X509_free(server_ike);
	X509_free(server);
	X509_free(any);
	X509_free(none);
}

/* ---- key usage and the NPS subject ---- */

static void expect_key_usage(const struct fx *fx, X509 *cert, enum mkcsr_role role, bool ok, const char *needle)
{
	struct outcome o;

	run(fx, cert, role, NULL, &o);
	if (ok)
		expect_pass(&o, MKCSR_CHECK_KEY_USAGE, needle);
	else
		expect_fail(&o, MKCSR_CHECK_KEY_USAGE, 0x800B0110, needle);
	done(&o);
}

static void test_key_usage(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	EVP_PKEY *rsa = EVP_RSA_gen(2048);
	X509 *ke_ec, *de_ec, *ke_only_ec, *agree_ec, *no_ku, *rsa_ke, *rsa_nr;
	struct outcome o;

	assert_non_null(rsa);
	s.ku = "critical,digitalSignature,keyEncipherment";
	ke_ec = leaf(fx, &s);
	s.ku = "critical,digitalSignature,dataEncipherment";
	de_ec = leaf(fx, &s);
	s.ku = "critical,keyEncipherment";
	ke_only_ec = leaf(fx, &s);
	s.ku = "critical,keyAgreement";
	agree_ec = leaf(fx, &s);
	s.ku = NULL;
	no_ku = leaf(fx, &s);
	s.ku = "critical,keyEncipherment";
	rsa_ke = issue(fx->at, &s, rsa, fx->inter, fx->inter_key);
	s.ku = "critical,nonRepudiation";
	rsa_nr = issue(fx->at, &s, rsa, fx->inter, fx->inter_key);

	expect_key_usage(fx, fx->good, MKCSR_ROLE_SSTP, true, "fits an ECDSA key");
	/*
	 * keyEncipherment on an ECDSA key: RFC 5480 forbids it, Windows accepts it.  README and the man
	 * page make it a warning without a Windows code that leaves the exit status alone.
	 */
	for (int role = MKCSR_ROLE_SSTP; role <= MKCSR_ROLE_DEVICE; role++) {
		run(fx, ke_ec, (enum mkcsr_role)role, NULL, &o);
		expect_item(&o, MKCSR_CHECK_KEY_USAGE, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0,
			    "an ECDSA key cannot encipher, yet the key usage allows keyEncipherment or dataEncipherment");
		done(&o);
	}
	run(fx, de_ec, MKCSR_ROLE_SSTP, "vpn.example.com", &o);
	expect_item(&o, MKCSR_CHECK_KEY_USAGE, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0, "RFC 5480");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_OK);
	done(&o);
	/* Without digitalSignature an ECDSA key cannot serve TLS at all: that fails, enciphering or not. */
	expect_key_usage(fx, agree_ec, MKCSR_ROLE_SSTP, false, "lacks digitalSignature");
	expect_key_usage(fx, ke_only_ec, MKCSR_ROLE_SSTP, false, "lacks digitalSignature");
	expect_key_usage(fx, no_ku, MKCSR_ROLE_SSTP, true, "no key usage extension");
	expect_key_usage(fx, rsa_ke, MKCSR_ROLE_SSTP, true, "fits an RSA key");
	expect_key_usage(fx, rsa_nr, MKCSR_ROLE_SSTP, false, "an RSA key needs digitalSignature or keyEncipherment");

	X509_free(rsa_nr);
	X509_free(rsa_ke);
	X509_free(no_ku);
	X509_free(agree_ec);
	X509_free(ke_only_ec);
	X509_free(de_ec);
	X509_free(ke_ec);
	EVP_PKEY_free(rsa);
}

static void test_nps_subject(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *empty;
	struct outcome o;

	/* An empty subject, the name in a critical SAN (as RFC 5280 requires). */
	s.cn = NULL;
	s.san = "critical,DNS:vpn.example.com";
	empty = leaf(fx, &s);
	run(fx, empty, MKCSR_ROLE_NPS, "vpn.example.com", &o);
	expect_item(&o, MKCSR_CHECK_KEY_USAGE, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 864, "the subject is empty");
	expect_pass(&o, MKCSR_CHECK_NAME, NULL);
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_FAILED);
	done(&o);
	/* Only NPS minds. */
	run(fx, empty, MKCSR_ROLE_SSTP, "vpn.example.com", &o);
	expect_pass(&o, MKCSR_CHECK_KEY_USAGE, NULL);
	done(&o);
	/* With a subject, NPS is told which. */
	run(fx, fx->good, MKCSR_ROLE_NPS, NULL, &o);
	expect_pass(&o, MKCSR_CHECK_KEY_USAGE, "subject CN=vpn.example.com");
	done(&o);
	X509_free(empty);
}

/* ---- the chain ---- */

static void test_chain_missing_intermediate(void **state)
{
	struct fx *fx = *state;
	struct job j = { .cert = { fx->good }, .anchor = { fx->root }, .role = MKCSR_ROLE_SSTP, .warn_days = -1 };
	struct outcome o;

	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0x800B010A,
		    "the intermediate CN=Check Issuing CA, O=mkcsr unit that issued the certificate is missing: add it with --chain");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_FAILED);
	done(&o);
	j.role = MKCSR_ROLE_NPS;
	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 864, "is missing");
	done(&o);
	j.role = MKCSR_ROLE_IKEV2;
	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 13801, "is missing");
	done(&o);
}

static void test_chain_untrusted_root(void **state)
{
	struct fx *fx = *state;
	struct job j = { .cert = { fx->good }, .chain = { fx->inter, fx->root }, .anchor = { fx->other_root },
			 .role = MKCSR_ROLE_SSTP, .warn_days = -1 };
	struct outcome o;

	/* The root is in the bundle but not trusted. */
	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0x800B0109, "ends in the root CN=Check Root CA, O=mkcsr unit, which is not in --ca-file");
	done(&o);
	j.role = MKCSR_ROLE_NPS;
	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 864, "which is not in --ca-file");
	done(&o);

	/* Without the root in the bundle: the chain ends at the intermediate. */
	j.chain[1] = NULL;
	j.role = MKCSR_ROLE_SSTP;
	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0x800B0109,
		    "ends at CN=Check Issuing CA, O=mkcsr unit, issued by CN=Check Root CA, O=mkcsr unit, which is not in --ca-file");
	done(&o);

	/* No anchors at all (an empty --ca-file set, not the system store). */
	j.anchor[0] = NULL;
	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0x800B0109, NULL);
	assert_string_equal(o.r.trust, "--ca-file");
	done(&o);
}

static void test_chain_weak_links(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec(), weak_ca = ca_spec("Weak Issuing CA", 40), sha1_root = ca_spec("SHA-1 Root CA", 41);
	struct spec sha1_inter = ca_spec("Under SHA-1 Root CA", 42);
	EVP_PKEY *rsa1024 = EVP_RSA_gen(1024), *old_root_key = testca_key(), *under_key = testca_key();
	X509 *sha1_leaf, *weak_inter, *under_weak, *old_root, *under_old, *leaf_under_old, *rsa_leaf;
	struct job j = { .anchor = { fx->root }, .role = MKCSR_ROLE_SSTP, .warn_days = -1 };
	struct outcome o;

	assert_non_null(rsa1024);
	/* A leaf signed with SHA-1. */
	s.md = EVP_sha1();
	sha1_leaf = leaf(fx, &s);
	run(fx, sha1_leaf, MKCSR_ROLE_SSTP, NULL, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0, "CN=vpn.example.com is signed with SHA-1");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_FAILED);
	done(&o);

	/* A 1024-bit RSA intermediate. */
	weak_ca.bc = "critical,CA:TRUE,pathlen:0";
	weak_inter = issue(fx->at, &weak_ca, rsa1024, fx->root, fx->root_key);
	s = leaf_spec();
	under_weak = issue(fx->at, &s, fx->leaf_key, weak_inter, rsa1024);
	j.cert[0] = under_weak;
	j.chain[0] = weak_inter;
	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0, "CN=Weak Issuing CA, O=mkcsr unit has a 1024-bit RSA key");
	done(&o);

	/* A 1024-bit RSA leaf. */
	rsa_leaf = issue(fx->at, &s, rsa1024, fx->inter, fx->inter_key);
	run(fx, rsa_leaf, MKCSR_ROLE_SSTP, NULL, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0, "1024-bit RSA key; 2048 bits is the minimum");
	done(&o);

	/* A root's own SHA-1 self-signature does not matter: nobody checks it. */
	sha1_root.md = EVP_sha1();
	old_root = issue(fx->at, &sha1_root, old_root_key, NULL, NULL);
	sha1_inter.bc = "critical,CA:TRUE,pathlen:0";
	under_old = issue(fx->at, &sha1_inter, under_key, old_root, old_root_key);
	leaf_under_old = issue(fx->at, &s, fx->leaf_key, under_old, under_key);
	j.cert[0] = leaf_under_old;
	j.chain[0] = under_old;
	j.anchor[0] = old_root;
	run_job(fx, &j, &o);
	expect_pass(&o, MKCSR_CHECK_CHAIN, "trusted through --ca-file");
	done(&o);

	X509_free(rsa_leaf);
	X509_free(leaf_under_old);
	X509_free(under_old);
	X509_free(old_root);
	X509_free(under_weak);
	X509_free(weak_inter);
	X509_free(sha1_leaf);
	EVP_PKEY_free(under_key);
	EVP_PKEY_free(old_root_key);
	EVP_PKEY_free(rsa1024);
}

static void test_chain_expired_intermediate(void **state)
{
	struct fx *fx = *state;
	struct spec old = ca_spec("Check Issuing CA", 50), s = leaf_spec();
	EVP_PKEY *old_key = testca_key();
	X509 *old_inter, *cert;
	struct job j = { .anchor = { fx->root }, .role = MKCSR_ROLE_SSTP, .warn_days = -1 };
	struct outcome o;

	old.from_days = -400;
	old.to_days = -2;
	old_inter = issue(fx->at, &old, old_key, fx->root, fx->root_key);
	cert = issue(fx->at, &s, fx->leaf_key, old_inter, old_key);
	j.cert[0] = cert;
	j.chain[0] = old_inter;
	run_job(fx, &j, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0x800B0101, "a CA certificate in the chain is outside its validity period");
	/* The leaf itself is fine. */
	expect_pass(&o, MKCSR_CHECK_VALIDITY, NULL);
	done(&o);
	X509_free(cert);
	X509_free(old_inter);
	EVP_PKEY_free(old_key);
}

/* A leaf whose signature is not its issuer's: any other verification error. */
static void test_chain_bad_signature(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *forged = issue(fx->at, &s, fx->leaf_key, fx->inter, fx->other_key);
	struct outcome o;

	run(fx, forged, MKCSR_ROLE_SSTP, NULL, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 0x800B010A, "the chain does not verify: certificate signature failure (at depth 0");
	done(&o);
	run(fx, forged, MKCSR_ROLE_NPS, NULL, &o);
	expect_fail(&o, MKCSR_CHECK_CHAIN, 864, "the chain does not verify");
	done(&o);
	X509_free(forged);
}

/* --ca-dir: a hashed directory, as c_rehash makes it. */
static void test_chain_ca_dir(void **state)
{
	struct fx *fx = *state;
	char *dir = unit_tempdir(), *path = NULL;
	struct job j = { .cert = { fx->good }, .chain = { fx->inter }, .role = MKCSR_ROLE_SSTP, .warn_days = -1 };
	struct outcome o;
	FILE *f;
	int ok = 0;
	unsigned long hash = X509_NAME_hash_ex(X509_get_subject_name(fx->root), NULL, NULL, &ok);

	assert_int_equal(ok, 1);
	assert_true(asprintf(&path, "%s/%08lx.0", dir, hash) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, fx->root), 1);
	assert_int_equal(fclose(f), 0);
	j.ca_dir = dir;
	run_job(fx, &j, &o);
	expect_pass(&o, MKCSR_CHECK_CHAIN, "trusted through --ca-dir");
	assert_string_equal(o.r.trust, "--ca-dir");
	done(&o);
	free(path);
	unit_rmdir(dir);
}

static void test_chain_skipped(void **state)
{
	struct fx *fx = *state;
	struct job j = { .cert = { fx->good }, .role = MKCSR_ROLE_SSTP, .skip_chain = true, .warn_days = -1 };
	struct outcome o;

	run_job(fx, &j, &o);
	expect_item(&o, MKCSR_CHECK_CHAIN, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "not checked here");
	assert_null(o.r.path);
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_OK);
	done(&o);
}

/* ---- revocation ---- */

static void test_revocation(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *none, *ocsp_only, *crl_only, *no_url;
	struct outcome o;

	s.cdp = NULL;
	s.aia = NULL;
	none = leaf(fx, &s);
	run(fx, none, MKCSR_ROLE_SSTP, NULL, &o);
	expect_item(&o, MKCSR_CHECK_REVOCATION, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0x80092012,
		    "no CRL distribution point and no OCSP address");
	/* A warning, not a failure: the exit code is unchanged. */
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_OK);
	done(&o);

	s.aia = "OCSP;URI:http://ocsp.example.com";
	ocsp_only = leaf(fx, &s);
	run(fx, ocsp_only, MKCSR_ROLE_SSTP, NULL, &o);
	expect_pass(&o, MKCSR_CHECK_REVOCATION, "OCSP http://ocsp.example.com");
	done(&o);

	s.aia = NULL;
	s.cdp = "URI:http://crl.example.com/a.crl,URI:ldap://ldap.example.com/cn=inter";
	crl_only = leaf(fx, &s);
	run(fx, crl_only, MKCSR_ROLE_SSTP, NULL, &o);
	expect_pass(&o, MKCSR_CHECK_REVOCATION, "CRL http://crl.example.com/a.crl, CRL ldap://ldap.example.com/cn=inter");
	done(&o);

	/* A distribution point that names no URL (an e-mail address) gives clients nothing to fetch. */
	s.cdp = "email:crl@example.com";
	no_url = leaf(fx, &s);
	run(fx, no_url, MKCSR_ROLE_SSTP, NULL, &o);
	expect_item(&o, MKCSR_CHECK_REVOCATION, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0x80092012, NULL);
	done(&o);

	X509_free(no_url);
	X509_free(crl_only);
	X509_free(ocsp_only);
	X509_free(none);
}

/* ---- the key ---- */

static void test_key_mismatch(void **state)
{
	struct fx *fx = *state;
	struct job j = { .cert = { fx->good }, .chain = { fx->inter }, .anchor = { fx->root }, .key = fx->other_key,
			 .host = "vpn.example.com", .role = MKCSR_ROLE_SSTP, .warn_days = -1 };
	struct outcome o;

	run_job(fx, &j, &o);
	expect_item(&o, MKCSR_CHECK_KEY, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0x80090016,
		    "'vpn.key' is not the key of CN=vpn.example.com in 'vpn.cer', nor of any other certificate given");
	/* The certificate is still the one checked, and otherwise fine. */
	assert_ptr_equal(chain_x509(o.r.leaf), fx->good);
	expect_pass(&o, MKCSR_CHECK_CHAIN, NULL);
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_MISMATCH);
	done(&o);
}

/* The key is the intermediate's, from --chain: --cert and --chain were given the other way round. */
static void test_key_swapped(void **state)
{
	struct fx *fx = *state;
	struct spec s = leaf_spec();
	X509 *other_leaf;
	struct job j = { .cert = { fx->good }, .chain = { fx->inter }, .anchor = { fx->root }, .key = fx->inter_key,
			 .role = MKCSR_ROLE_SSTP, .warn_days = -1 };
	struct outcome o;

	run_job(fx, &j, &o);
	expect_item(&o, MKCSR_CHECK_KEY, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0x80090016,
		    "'vpn.key' is not the key of CN=vpn.example.com in 'vpn.cer'; it is the key of "
		    "CN=Check Issuing CA, O=mkcsr unit in 'chain.p7b': are --cert and --chain swapped?");
	/* The leaf stays the --cert file's, even though the key matches a --chain certificate. */
	assert_ptr_equal(o.r.leaf, &o.certs.items[0]);
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_MISMATCH);
	done(&o);

	/* Another leaf in --chain, with the key: the same, and the --cert leaf is the one checked. */
	s.cn = "other.example.com";
	s.san = "DNS:other.example.com";
	other_leaf = issue(fx->at, &s, fx->other_key, fx->inter, fx->inter_key);
	j.chain[1] = other_leaf;
	j.key = NULL;
	run_job(fx, &j, &o);
	assert_ptr_equal(chain_x509(o.r.leaf), fx->good);
	expect_item(&o, MKCSR_CHECK_KEY, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "no --key");
	done(&o);
	j.key = fx->other_key;
	run_job(fx, &j, &o);
	assert_ptr_equal(chain_x509(o.r.leaf), fx->good);
	expect_item(&o, MKCSR_CHECK_KEY, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0x80090016,
		    "it is the key of CN=other.example.com in 'chain.p7b'");
	done(&o);
	X509_free(other_leaf);
}

/* A fullchain given as --cert, the intermediate first: the key picks the leaf out of it. */
static void test_key_picks_leaf_in_fullchain(void **state)
{
	struct fx *fx = *state;
	struct job j = { .cert = { fx->inter, fx->good }, .anchor = { fx->root }, .key = fx->leaf_key,
			 .role = MKCSR_ROLE_SSTP, .warn_days = -1 };
	struct outcome o;

	run_job(fx, &j, &o);
	assert_ptr_equal(o.r.leaf, &o.certs.items[1]);
	expect_pass(&o, MKCSR_CHECK_KEY, "in 'vpn.cer'");
	/* The intermediate from the same file serves the chain. */
	expect_pass(&o, MKCSR_CHECK_CHAIN, NULL);
	done(&o);

	/* Without a key: the non-CA certificate. */
	j.key = NULL;
	run_job(fx, &j, &o);
	assert_ptr_equal(o.r.leaf, &o.certs.items[1]);
	done(&o);
}

static void test_no_certificate_from_cert_file(void **state)
{
	struct fx *fx = *state;
	struct mkcsr_certset certs = { 0 }, anchors = { NULL, 0 }, none = { NULL, 0 };
	struct mkcsr_check_input in = { .certs = &certs, .cert_path = CERT_PATH, .anchors = &anchors, .at = fx->at,
					.warn_days = -1 };
	struct mkcsr_check_report r;

	append(&certs, fx->good, CHAIN_PATH);
	assert_err(check_run(&in, &r), MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'vpn.cer' holds no certificate");
	chain_clear(&certs);
	in.certs = &none;
	assert_err(check_run(&in, &r), MKCSR_E_MALFORMED);
	check_report_clear(&r);
}

/* ---- the request ---- */

static X509_REQ *make_req(EVP_PKEY *key, const char *cn, const char *o, const char *san)
{
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = make_name(cn, o);

	assert_non_null(req);
	assert_int_equal(X509_REQ_set_subject_name(req, name), 1);
	assert_int_equal(X509_REQ_set_pubkey(req, key), 1);
	if (san != NULL) {
		STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
		X509V3_CTX ctx;
		X509_EXTENSION *ext;

		X509V3_set_ctx(&ctx, NULL, NULL, req, NULL, 0);
		ext = X509V3_EXT_nconf_nid(NULL, &ctx, NID_subject_alt_name, san);
		assert_non_null(ext);
		assert_true(sk_X509_EXTENSION_push(exts, ext) > 0);
		assert_int_equal(X509_REQ_add_extensions(req, exts), 1);
		sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	}
	assert_true(X509_REQ_sign(req, key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return req;
}

static void run_with_csr(const struct fx *fx, X509 *cert, X509_REQ *csr, struct outcome *o)
{
	struct job j = { .cert = { cert }, .chain = { fx->inter }, .anchor = { fx->root }, .csr = csr,
			 .role = MKCSR_ROLE_SSTP, .warn_days = -1 };

	run_job(fx, &j, o);
}

static void test_request_matches(void **state)
{
	struct fx *fx = *state;
	X509_REQ *same = make_req(fx->leaf_key, "vpn.example.com", NULL, "DNS:vpn.example.com");
	X509_REQ *upper = make_req(fx->leaf_key, "VPN.example.com", NULL, "DNS:VPN.Example.com");
	X509_REQ *cn_only = make_req(fx->leaf_key, "vpn.example.com", NULL, NULL);
	struct outcome o;

	run_with_csr(fx, fx->good, same, &o);
	expect_pass(&o, MKCSR_CHECK_REQUEST, "same key, every requested name present, subject CN=vpn.example.com");
	/* Without --host, the name checked is the request's. */
	assert_string_equal(o.r.host, "vpn.example.com");
	expect_pass(&o, MKCSR_CHECK_NAME, NULL);
	done(&o);

	/* Names compare without regard to case. */
	run_with_csr(fx, fx->good, upper, &o);
	expect_pass(&o, MKCSR_CHECK_REQUEST, NULL);
	done(&o);

	/* A request without a SAN: the host is its CN. */
	run_with_csr(fx, fx->good, cn_only, &o);
	assert_string_equal(o.r.host, "vpn.example.com");
	expect_pass(&o, MKCSR_CHECK_REQUEST, NULL);
	done(&o);

	X509_REQ_free(cn_only);
	X509_REQ_free(upper);
	X509_REQ_free(same);
}

static void test_request_other_key(void **state)
{
	struct fx *fx = *state;
	X509_REQ *other = make_req(fx->other_key, "vpn.example.com", NULL, "DNS:vpn.example.com");
	struct outcome o;

	run_with_csr(fx, fx->good, other, &o);
	expect_item(&o, MKCSR_CHECK_REQUEST, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0x80090016,
		    "the certificate is for another key than the request 'vpn.req'");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_MISMATCH);
	done(&o);
	X509_REQ_free(other);
}

static void test_request_names_left_out(void **state)
{
	struct fx *fx = *state;
	X509_REQ *more = make_req(fx->leaf_key, "vpn.example.com", NULL,
				  "DNS:vpn.example.com,DNS:alt.example.com,IP:192.0.2.7,email:admin@example.com");
	X509_REQ *uri;
	struct spec s = leaf_spec();
	X509 *all;
	struct outcome o;

	run_with_csr(fx, fx->good, more, &o);
	expect_fail(&o, MKCSR_CHECK_REQUEST, 0x800B010F,
		    "the CA left out requested names: DNS:alt.example.com, IP:192.0.2.7, email:admin@example.com "
		    "(requested in 'vpn.req')");
	done(&o);

	/* Every requested name issued, IP addresses and e-mail included, in another order: a pass. */
	s.san = "email:admin@example.com,IP:192.0.2.7,DNS:alt.example.com,DNS:vpn.example.com";
	all = leaf(fx, &s);
	run_with_csr(fx, all, more, &o);
	expect_pass(&o, MKCSR_CHECK_REQUEST, NULL);
	done(&o);

	/* A kind of name mkcsr does not spell out is still missed. */
	uri = make_req(fx->leaf_key, "vpn.example.com", NULL, "DNS:vpn.example.com,URI:https://vpn.example.com/");
	run_with_csr(fx, all, uri, &o);
	expect_fail(&o, MKCSR_CHECK_REQUEST, 0x800B010F, "the CA left out requested names: ");
	done(&o);

	X509_REQ_free(uri);
	X509_free(all);
	X509_REQ_free(more);
}

static void test_request_subject(void **state)
{
	struct fx *fx = *state;
	X509_REQ *with_o = make_req(fx->leaf_key, "vpn.example.com", "Example Ltd", "DNS:vpn.example.com");
	X509_REQ *other_cn = make_req(fx->leaf_key, "gateway.example.com", NULL, "DNS:vpn.example.com");
	struct outcome o;

	/* The CA dropped the O: same CN, so a warning, not a failure. */
	run_with_csr(fx, fx->good, with_o, &o);
	expect_item(&o, MKCSR_CHECK_REQUEST, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0,
		    "the CA changed the subject: requested CN=vpn.example.com, O=Example Ltd, issued CN=vpn.example.com");
	assert_int_equal(check_exit_code(&o.r), MKCSR_EXIT_OK);
	done(&o);

	/* Another CN: a failure. */
	run_with_csr(fx, fx->good, other_cn, &o);
	expect_fail(&o, MKCSR_CHECK_REQUEST, 0x800B010F,
		    "the subject is CN=vpn.example.com, but the request asked for CN=gateway.example.com");
	done(&o);

	X509_REQ_free(other_cn);
	X509_REQ_free(with_o);
}

/* ---- exit code precedence ---- */

static int rank(enum mkcsr_exit e)
{
	switch (e) {
	case MKCSR_EXIT_MISMATCH: return 3;
	case MKCSR_EXIT_FAILED: return 2;
	case MKCSR_EXIT_EXPIRING: return 1;
	default: return 0;
	}
}

static void test_exit_code_precedence(void **state)
{
	static const enum mkcsr_exit values[] = { MKCSR_EXIT_OK, MKCSR_EXIT_EXPIRING, MKCSR_EXIT_FAILED,
						  MKCSR_EXIT_MISMATCH };
	struct mkcsr_check_report r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(check_exit_code(&r), MKCSR_EXIT_OK);

	/* Any two checks, any two outcomes, either order: mismatch > failed > expiring > ok. */
	for (int i = 0; i < MKCSR_CHECK_COUNT_; i++) {
		for (int k = 0; k < MKCSR_CHECK_COUNT_; k++) {
			if (i == k)
				continue;
			for (size_t a = 0; a < 4; a++) {
				for (size_t b = 0; b < 4; b++) {
					enum mkcsr_exit want =
						rank(values[a]) >= rank(values[b]) ? values[a] : values[b];

					memset(&r, 0, sizeof(r));
					r.items[i].exit_code = values[a];
					r.items[k].exit_code = values[b];
					if (check_exit_code(&r) != want)
						fail_msg("items %d=%d, %d=%d: exit %d, expected %d", i, values[a], k,
							 values[b], check_exit_code(&r), want);
				}
			}
		}
	}

	/* All three at once, in the order the checks run. */
	memset(&r, 0, sizeof(r));
	r.items[MKCSR_CHECK_VALIDITY].exit_code = MKCSR_EXIT_EXPIRING;
	r.items[MKCSR_CHECK_USAGE].exit_code = MKCSR_EXIT_FAILED;
	r.items[MKCSR_CHECK_REVOCATION].exit_code = MKCSR_EXIT_EXPIRING;
	assert_int_equal(check_exit_code(&r), MKCSR_EXIT_FAILED);
	r.items[MKCSR_CHECK_REQUEST].exit_code = MKCSR_EXIT_MISMATCH;
	assert_int_equal(check_exit_code(&r), MKCSR_EXIT_MISMATCH);
}

/* ---- parsing --at and --role ---- */

static void expect_time(const char *text, long long want)
{
	time_t got = 42;

	if (check_parse_time(text, &got) != MKCSR_E_OK)
		fail_msg("'%s' refused: %s", text, err_detail());
	if ((long long)got != want)
		fail_msg("'%s' is %lld, expected %lld", text, (long long)got, want);
}

static void expect_bad_time(const char *text)
{
	time_t got = 42;
	char want[128];

	if (check_parse_time(text, &got) != MKCSR_E_BAD_TIME)
		fail_msg("'%s' accepted as %lld", text, (long long)got);
	assert_int_equal(got, 42);  /* untouched */
	snprintf(want, sizeof(want), "'%s'", text);
	assert_string_equal(err_detail(), want);
}

static void test_parse_time(void **state)
{
	(void)state;
	/* The fixtures' "now" in every accepted form. */
	expect_time("2027-06-01", 1811808000);
	expect_time("2027-06-01T00:00:00Z", 1811808000);
	expect_time("2027-06-01T12:00:00Z", 1811851200);
	expect_time("2027-06-01 12:00:00", 1811851200);
	expect_time("2027-06-01T12:00:00", 1811851200);
	expect_time("2027-06-01T23:59:59Z", 1811894399);
	expect_time("@1811808000", 1811808000);
	expect_time("@0", 0);
	expect_time("1970-01-01", 0);
	expect_time("2028-02-29", 1835395200);
	expect_time("2000-02-29T00:00:00Z", 951782400);
	expect_time("2038-01-19T03:14:08Z", 2147483648LL);  /* past 32 bits */
	expect_time("2099-12-31T23:59:59Z", 4102444799LL);
	assert_int_equal(err_exit_code(MKCSR_E_BAD_TIME), MKCSR_EXIT_USAGE);

	expect_bad_time("");
	expect_bad_time("@");
	expect_bad_time("@12x");
	expect_bad_time("@1.5");
	expect_bad_time("now");
	expect_bad_time("tomorrow");
	expect_bad_time("2027/06/01");
	expect_bad_time("06/01/2027");
	expect_bad_time("2027-06");
	expect_bad_time("2027-13-01");
	expect_bad_time("2027-00-10");
	expect_bad_time("2027-06-00");
	expect_bad_time("2027-06-32");
	expect_bad_time("2027-02-29");  /* not a leap year */
	expect_bad_time("2027-02-30");
	expect_bad_time("2027-04-31");
	expect_bad_time("2027-06-01T24:00:00Z");
	expect_bad_time("2027-06-01T12:60:00Z");
	expect_bad_time("2027-06-01T12:00:61Z");
	expect_bad_time("2027-06-01T12:00Z");
	expect_bad_time("2027-06-01T12:00:00+01:00");
	expect_bad_time("2027-06-01T12:00:00ZZ");
	expect_bad_time("2027-06-01X12:00:00");
	expect_bad_time("2027-06-01T");
	expect_bad_time("2027-06-01 ");
}

static void test_parse_role(void **state)
{
	static const struct {
		const char *text;
		enum mkcsr_role role;
	} good[] = {
		{ "sstp", MKCSR_ROLE_SSTP }, { "IKEv2", MKCSR_ROLE_IKEV2 }, { "NPS", MKCSR_ROLE_NPS },
		{ "client", MKCSR_ROLE_CLIENT }, { "Device", MKCSR_ROLE_DEVICE },
	};
	enum mkcsr_role role = MKCSR_ROLE_NPS;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_err(check_parse_role(good[i].text, &role), MKCSR_E_OK);
		assert_int_equal(role, good[i].role);
	}
	/* Every role's key parses back to it; servers and clients are told apart. */
	for (int r = MKCSR_ROLE_SSTP; r <= MKCSR_ROLE_DEVICE; r++) {
		assert_err(check_parse_role(check_role_key((enum mkcsr_role)r), &role), MKCSR_E_OK);
		assert_int_equal(role, r);
		assert_true(check_role_description((enum mkcsr_role)r)[0] != '\0');
	}
	assert_true(check_role_is_server(MKCSR_ROLE_SSTP));
	assert_true(check_role_is_server(MKCSR_ROLE_IKEV2));
	assert_true(check_role_is_server(MKCSR_ROLE_NPS));
	assert_false(check_role_is_server(MKCSR_ROLE_CLIENT));
	assert_false(check_role_is_server(MKCSR_ROLE_DEVICE));

	role = MKCSR_ROLE_CLIENT;
	assert_err(check_parse_role("rras", &role), MKCSR_E_BAD_ROLE);
	assert_string_equal(err_detail(), "'rras'");
	assert_int_equal(role, MKCSR_ROLE_CLIENT);
	assert_err(check_parse_role("", &role), MKCSR_E_BAD_ROLE);
	assert_err(check_parse_role("sstp ", &role), MKCSR_E_BAD_ROLE);
	assert_int_equal(err_exit_code(MKCSR_E_BAD_ROLE), MKCSR_EXIT_USAGE);
}

static void test_names_of_checks(void **state)
{
	(void)state;
	for (int i = 0; i < MKCSR_CHECK_COUNT_; i++) {
		const char *key = check_id_key((enum mkcsr_check_id)i);

		assert_true(key[0] != '\0');
		assert_true(check_id_title((enum mkcsr_check_id)i)[0] != '\0');
		for (int k = 0; k < i; k++)
			assert_string_not_equal(key, check_id_key((enum mkcsr_check_id)k));
	}
	assert_string_equal(check_id_key(MKCSR_CHECK_KEY_USAGE), "key-usage");
	assert_string_equal(check_status_key(MKCSR_CHECK_PASS), "pass");
	assert_string_equal(check_status_key(MKCSR_CHECK_WARN), "warn");
	assert_string_equal(check_status_key(MKCSR_CHECK_FAIL), "fail");
	assert_string_equal(check_status_key(MKCSR_CHECK_SKIP), "skip");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_certificate),
		cmocka_unit_test(test_validity_exact_days),
		cmocka_unit_test(test_validity_expired),
		cmocka_unit_test(test_validity_not_yet),
		cmocka_unit_test(test_validity_warning_window),
		cmocka_unit_test(test_name_san_wins),
		cmocka_unit_test(test_name_cn_only),
		cmocka_unit_test(test_name_wildcards),
		cmocka_unit_test(test_name_ip),
		cmocka_unit_test(test_name_skipped_without_host),
		cmocka_unit_test(test_usage_per_role),
		cmocka_unit_test(test_key_usage),
		cmocka_unit_test(test_nps_subject),
		cmocka_unit_test(test_chain_missing_intermediate),
		cmocka_unit_test(test_chain_untrusted_root),
		cmocka_unit_test(test_chain_weak_links),
		cmocka_unit_test(test_chain_expired_intermediate),
		cmocka_unit_test(test_chain_bad_signature),
		cmocka_unit_test(test_chain_ca_dir),
		cmocka_unit_test(test_chain_skipped),
		cmocka_unit_test(test_revocation),
		cmocka_unit_test(test_key_mismatch),
		cmocka_unit_test(test_key_swapped),
		cmocka_unit_test(test_key_picks_leaf_in_fullchain),
		cmocka_unit_test(test_no_certificate_from_cert_file),
		cmocka_unit_test(test_request_matches),
		cmocka_unit_test(test_request_other_key),
		cmocka_unit_test(test_request_names_left_out),
		cmocka_unit_test(test_request_subject),
		cmocka_unit_test(test_exit_code_precedence),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_parse_role),
		cmocka_unit_test(test_names_of_checks),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
