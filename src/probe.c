/*
 * mkcsr probe's judgement of one target (the transport, then check_run on
 * the chain the server sent, then the probe's own checks) and the worker
 * pool that probes many.
 */
#include <config.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "httpget.h"
#include "pfx.h"
#include "probe.h"

/* ---- names of things ------------------------------------------------------------------ */

static const struct {
	const char *key;
	const char *title;
} probe_checks[MKCSR_PROBE_COUNT_] = {
	[MKCSR_PROBE_REACH] = { "reach", "the server answers: DNS, TCP and the TLS handshake" },
	[MKCSR_PROBE_TLS] = { "tls", "the TLS version and cipher are ones Windows accepts" },
	[MKCSR_PROBE_SENT_CHAIN] = { "sent-chain", "the server sends its intermediate certificates" },
	[MKCSR_PROBE_SSTP] = { "sstp", "an SSTP listener accepts a call" },
	[MKCSR_PROBE_EXPECT] = { "expect", "the server presents the expected certificate" },
};

const char *probe_check_key(enum mkcsr_probe_check id)
{
	return probe_checks[id].key;
}

const char *probe_check_title(enum mkcsr_probe_check id)
{
	return probe_checks[id].title;
}

const char *probe_step_key(enum tlsprobe_step step)
{
	static const char *const keys[] = { "connect", "tls", "http", "call", "done" };

	return keys[step];
}

const char *probe_sstp_key(enum tlsprobe_sstp sstp)
{
	static const char *const keys[] = { "not-tried",   "no-http-answer", "http-refused", "no-call-answer",
					    "call-nak",    "call-other",     "call-ack" };

	return keys[sstp];
}

/* An AIA caIssuers answer is one certificate: a megabyte is plenty. */
#define MKCSR_PROBE_MAX_CA_ISSUER (1024u * 1024u)

/* ---- the probe-only checks --------------------------------------------------------------- */

static void set_item(struct mkcsr_check_item *item, enum mkcsr_check_status status, enum mkcsr_exit exit_code,
		     uint32_t win_code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void set_item(struct mkcsr_check_item *item, enum mkcsr_check_status status, enum mkcsr_exit exit_code,
		     uint32_t win_code, const char *fmt, ...)
{
	va_list ap;

	item->status = status;
	item->exit_code = status == MKCSR_CHECK_FAIL || status == MKCSR_CHECK_WARN ? exit_code : MKCSR_EXIT_OK;
	item->win_code = win_code;
	va_start(ap, fmt);
	vsnprintf(item->detail, sizeof(item->detail), fmt, ap);
	va_end(ap);
}

static void judge_reach(struct mkcsr_probe_result *r)
{
	struct mkcsr_check_item *item = &r->items[MKCSR_PROBE_REACH];
	const struct tlsprobe_result *t = &r->tls;

	if (r->dns_failed)
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_UNREACHABLE, 868, "%s", t->error); /* ERROR_DNSNAME_NOT_RESOLVABLE */
	else if (t->failed_step == TLSPROBE_STEP_CONNECT)
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_UNREACHABLE, 809, "%s", t->error); /* ERROR_VPN_TIMEOUT */
	else if (t->failed_step == TLSPROBE_STEP_TLS)
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_UNREACHABLE,
			 t->timed_out ? 809 : strstr(t->error, "no TLS version in common") ? 0x80090331 : 0,
			 "connected to %s; %s", r->address, t->error);
	else
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "connected to %s in %ld ms, TLS handshake in %ld ms",
			 r->address, t->ms_connect, t->ms_handshake);
}

static bool weak_cipher(const char *cipher)
{
	static const char *const weak[] = { "RC4", "DES-CBC3", "DES-CBC-", "NULL", "EXP", "MD5", "ADH", "AECDH" };

	for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++)
		if (strstr(cipher, weak[i]) != NULL)
			return true;
	return false;
}

static void judge_tls(struct mkcsr_probe_result *r)
{
	struct mkcsr_check_item *item = &r->items[MKCSR_PROBE_TLS];
	const struct tlsprobe_result *t = &r->tls;

	/* The handshake agrees on the highest version both sides speak: TLS 1.0 here means the server offers no more. */
	if (t->version_number < TLS1_2_VERSION)
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x80090331,
			 "the server offers only TLS 1.%d (agreed with cipher %s): Windows 11 and Windows Server 2022 and "
			 "later disable TLS 1.0 and 1.1 by default, so their clients cannot connect; enable TLS 1.2 on the "
			 "server",
			 t->version_number == TLS1_1_VERSION ? 1 : 0, t->cipher);
	else if (weak_cipher(t->cipher))
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x80090331,
			 "%s with the weak cipher %s, which current Windows releases refuse", t->version, t->cipher);
	else
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "%s, cipher %s", t->version, t->cipher);
}

static bool served_has(const struct mkcsr_probe_result *r, X509 *cert)
{
	for (size_t i = 0; i < r->served.count; i++)
		if (X509_cmp(chain_x509(&r->served.items[i]), cert) == 0)
			return true;
	return false;
}

/* The caIssuers URL of the leaf's AIA, or "" when it names none. */
static void ca_issuers_url(X509 *leaf, char *buf, size_t size)
{
	AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(leaf, NID_info_access, NULL, NULL);

	buf[0] = '\0';
	for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia) && buf[0] == '\0'; i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);

		if (OBJ_obj2nid(ad->method) == NID_ad_ca_issuers && ad->location->type == GEN_URI)
			snprintf(buf, size, "%.*s", ASN1_STRING_length(ad->location->d.uniformResourceIdentifier),
				 (const char *)ASN1_STRING_get0_data(ad->location->d.uniformResourceIdentifier));
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	ERR_clear_error();
}

/* The first CA certificate below the root that the verified path needs and the server did not send. */
static X509 *missing_intermediate(const struct mkcsr_probe_result *r, bool *issuer_unknown)
{
	STACK_OF(X509) *path = r->check.path;
	int n = sk_X509_num(path);
	bool verified = r->check.items[MKCSR_CHECK_CHAIN].status == MKCSR_CHECK_PASS;

	*issuer_unknown = false;
	/* A verified path ends in a trust anchor, which a server need not send. */
	for (int i = 1; i < (verified ? n - 1 : n); i++)
		if (!served_has(r, sk_X509_value(path, i)))
			return sk_X509_value(path, i);
	if (!verified && n == 1 && chain_is_self_signed(chain_x509(r->check.leaf)) != 1)
		*issuer_unknown = true; /* nothing found above the leaf: not sent, and not in the trust store */
	return NULL;
}

static void judge_sent_chain(struct mkcsr_probe_result *r)
{
	struct mkcsr_check_item *item = &r->items[MKCSR_PROBE_SENT_CHAIN];
	X509 *leaf = chain_x509(r->check.leaf), *missing;
	char url[512], subject[512];
	bool issuer_unknown;

	ca_issuers_url(leaf, url, sizeof(url));
	missing = missing_intermediate(r, &issuer_unknown);
	if (missing != NULL || issuer_unknown) {
		if (missing != NULL)
			chain_name_text(X509_get_subject_name(missing), subject, sizeof(subject));
		else
			chain_name_text(X509_get_issuer_name(leaf), subject, sizeof(subject));
		if (url[0] != '\0' && r->aia == MKCSR_PROBE_AIA_FETCHED)
			set_item(item, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0x800B010A,
				 "the server sent %zu certificate%s, without the intermediate %s: Windows clients fetch it "
				 "from the leaf's AIA (%s), as mkcsr did here; a client that cannot reach that address fails "
				 "with CERT_E_CHAINING: import it on the server (Intermediate Certification Authorities)",
				 r->served.count, r->served.count == 1 ? "" : "s", subject, url);
		else if (url[0] != '\0' && r->aia == MKCSR_PROBE_AIA_FAILED)
			set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x800B010A,
				 "the server sent %zu certificate%s, without the intermediate %s, and the leaf's AIA (%s) "
				 "does not give it (%s): clients that do not already hold it fail with CERT_E_CHAINING; "
				 "import it on the server (Intermediate Certification Authorities)",
				 r->served.count, r->served.count == 1 ? "" : "s", subject, url, r->aia_error);
		else if (url[0] != '\0')
			set_item(item, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0x800B010A,
				 "the server sent %zu certificate%s, without the intermediate %s: Windows clients fetch it "
				 "from the leaf's AIA (%s) when they can reach it (not tried here: --revocation %s), else fail "
				 "with CERT_E_CHAINING; import it on the server (Intermediate Certification Authorities)",
				 r->served.count, r->served.count == 1 ? "" : "s", subject, url,
				 revocation_mode_key(r->check.revocation_mode));
		else
			set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x800B010A,
				 "the server sent %zu certificate%s, without the intermediate %s, and the leaf has no AIA "
				 "caIssuers address to fetch it from: clients that do not already hold it fail with "
				 "CERT_E_CHAINING; import it on the server (Intermediate Certification Authorities)",
				 r->served.count, r->served.count == 1 ? "" : "s", subject);
		return;
	}
	set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "the server sent %zu certificate%s: the leaf%s", r->served.count,
		 r->served.count == 1 ? "" : "s",
		 r->served.count > 1 ? " and the CA certificates above it" : " alone, and no intermediate is needed");
}

static const char *attribute_name(uint8_t id)
{
	static const char *const names[] = {
		[SSTP_ATTRIB_NO_ERROR] = "SSTP_ATTRIB_NO_ERROR",
		[SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID] = "SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID",
		[SSTP_ATTRIB_STATUS_INFO] = "SSTP_ATTRIB_STATUS_INFO",
		[SSTP_ATTRIB_CRYPTO_BINDING] = "SSTP_ATTRIB_CRYPTO_BINDING",
		[SSTP_ATTRIB_CRYPTO_BINDING_REQ] = "SSTP_ATTRIB_CRYPTO_BINDING_REQ",
	};

	return id < sizeof(names) / sizeof(names[0]) ? names[id] : "an unknown attribute";
}

static void judge_sstp(const struct mkcsr_probe_config *config, struct mkcsr_probe_result *r)
{
	struct mkcsr_check_item *item = &r->items[MKCSR_PROBE_SSTP];
	const struct tlsprobe_result *t = &r->tls;
	const char *status = sstp_status_name(t->reply.status);

	if (config->role != MKCSR_ROLE_SSTP) {
		set_item(item, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "role %s: no SSTP exchange", check_role_key(config->role));
		return;
	}
	switch (t->sstp) {
	case TLSPROBE_SSTP_CALL_ACK:
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0,
			 "SSTP accepted the call: HTTP 200 to SSTP_DUPLEX_POST, then a Call Connect Ack; the call was "
			 "aborted%s (correlation ID %s)",
			 t->abort_answered ? " and the server confirmed" : "", t->correlation_id);
		break;
	case TLSPROBE_SSTP_HTTP_REFUSED:
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0,
			 "TLS fine but this is not an SSTP listener: %s; is RRAS bound to this address and port, or does "
			 "a web server or load balancer answer here?", t->error);
		break;
	case TLSPROBE_SSTP_NO_HTTP_ANSWER:
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 809,
			 "TLS fine but no answer to the SSTP request (%s): this is not an SSTP listener, or RRAS is not "
			 "answering", t->error);
		break;
	case TLSPROBE_SSTP_NO_CALL_ANSWER:
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 809,
			 "the SSTP listener took the HTTP request but did not answer the call: %s", t->error);
		break;
	case TLSPROBE_SSTP_CALL_NAK:
		if (t->reply.has_status)
			set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0,
				 "the SSTP listener refused the call: Call Connect Nak, status %s (%u) for %s",
				 status ? status : "unknown", t->reply.status, attribute_name(t->reply.status_attrib_id));
		else
			set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0,
				 "the SSTP listener refused the call: Call Connect Nak without a status");
		break;
	case TLSPROBE_SSTP_CALL_OTHER:
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0, "the SSTP exchange went wrong: %s", t->error);
		break;
	case TLSPROBE_SSTP_NOT_TRIED:
		set_item(item, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "not tried: %s", t->error);
		break;
	}
}

static void judge_expect(const struct mkcsr_probe_config *config, struct mkcsr_probe_result *r)
{
	struct mkcsr_check_item *item = &r->items[MKCSR_PROBE_EXPECT];
	const struct mkcsr_probe_expect *e = config->expect;
	X509 *leaf = chain_x509(r->check.leaf);
	char thumb[41], from[40], to[40], want_from[40], want_to[40], subject[512];

	if (e == NULL || e->thumbprint[0] == '\0') {
		set_item(item, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "no --expect given");
		return;
	}
	pfx_thumbprint(leaf, thumb);
	chain_time_text(X509_get0_notBefore(leaf), from, sizeof(from));
	chain_time_text(X509_get0_notAfter(leaf), to, sizeof(to));
	chain_name_text(X509_get_subject_name(leaf), subject, sizeof(subject));
	if (strcmp(thumb, e->thumbprint) == 0) {
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "the server presents %s, thumbprint %s, valid to %s",
			 subject, thumb, to);
	} else if (e->cert != NULL) {
		chain_time_text(X509_get0_notBefore(e->cert), want_from, sizeof(want_from));
		chain_time_text(X509_get0_notAfter(e->cert), want_to, sizeof(want_to));
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0,
			 "still presenting the old certificate: the server sends %s, thumbprint %s, valid %s to %s; "
			 "expected thumbprint %s, valid %s to %s ('%s'): bind the new certificate and restart RemoteAccess",
			 subject, thumb, from, to, e->thumbprint, want_from, want_to, e->source);
	} else {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0,
			 "still presenting the old certificate: the server sends %s, thumbprint %s, valid %s to %s; "
			 "expected thumbprint %s: bind the new certificate and restart RemoteAccess",
			 subject, thumb, from, to, e->thumbprint);
	}
}

/* ---- one target ------------------------------------------------------------------------- */

static enum mkcsr_exit result_exit(const struct mkcsr_probe_result *r)
{
	enum mkcsr_exit worst = MKCSR_EXIT_OK;
	bool failed = false, expiring = false;

	if (r->items[MKCSR_PROBE_REACH].status == MKCSR_CHECK_FAIL)
		return MKCSR_EXIT_UNREACHABLE;
	for (int i = 0; i < MKCSR_PROBE_COUNT_; i++) {
		failed |= r->items[i].exit_code == MKCSR_EXIT_FAILED;
		expiring |= r->items[i].exit_code == MKCSR_EXIT_EXPIRING;
		if (r->items[i].exit_code == MKCSR_EXIT_MISMATCH)
			return MKCSR_EXIT_MISMATCH;
	}
	if (r->judged)
		worst = check_exit_code(&r->check);
	if (worst == MKCSR_EXIT_MISMATCH || worst == MKCSR_EXIT_FAILED)
		return worst;
	if (failed)
		return MKCSR_EXIT_FAILED;
	return expiring ? MKCSR_EXIT_EXPIRING : worst;
}

/* Connects to the first address that answers, as a client does; false when none can be had. */
static struct addrinfo *target_addresses(const struct mkcsr_probe_target *t, const struct timespec *deadline,
					 struct mkcsr_probe_result *out)
{
	const char *host = t->connect_host[0] ? t->connect_host : t->name;
	const char *port = t->connect_host[0] ? t->connect_port : t->port;
	struct addrinfo *list = tlsprobe_resolve(host, port, deadline, out->tls.error, sizeof(out->tls.error));

	if (list == NULL) {
		out->dns_failed = true;
		out->tls.failed_step = TLSPROBE_STEP_CONNECT;
	}
	return list;
}

static void run_transport(const struct mkcsr_probe_config *config, const struct mkcsr_probe_target *target,
			  const struct timespec *deadline, struct mkcsr_probe_result *out)
{
	char host_header[300];
	struct tlsprobe_target t = { .name = target->name, .host_header = host_header,
				     .sstp = config->role == MKCSR_ROLE_SSTP, .ctx = config->ctx };
	struct addrinfo *list = NULL;

	t.deadline = *deadline;
	/* Host names the server as clients do; the default port is left out, as browsers and Windows do. */
	if (strcmp(target->port, "443") == 0)
		snprintf(host_header, sizeof(host_header), strchr(target->name, ':') ? "[%s]" : "%s", target->name);
	else
		probe_hostport_text(host_header, sizeof(host_header), target->name, target->port);
	if (target->addr_len > 0) {
		t.addr = (const struct sockaddr *)&target->addr;
		t.addr_len = target->addr_len;
		tlsprobe_address_text(t.addr, out->address, sizeof(out->address));
		tlsprobe_run(&t, &out->tls);
		return;
	}
	list = target_addresses(target, &t.deadline, out);
	for (struct addrinfo *a = list; a != NULL; a = a->ai_next) {
		t.addr = a->ai_addr;
		t.addr_len = a->ai_addrlen;
		tlsprobe_address_text(a->ai_addr, out->address, sizeof(out->address));
		tlsprobe_result_clear(&out->tls);
		tlsprobe_run(&t, &out->tls);
		/* The next address only when this one refused the connection, as clients fall back. */
		if (out->tls.failed_step != TLSPROBE_STEP_CONNECT || out->tls.timed_out)
			break;
	}
	if (list != NULL)
		freeaddrinfo(list);
}

/* Appends cert (up-referenced) to set, remembering source. */
static bool set_add(struct mkcsr_certset *set, X509 *cert, const char *source)
{
	return X509_up_ref(cert) && chain_append(set, cert, source) == MKCSR_E_OK;
}

static bool served_set(struct mkcsr_probe_result *out)
{
	for (int i = 0; i < sk_X509_num(out->tls.served); i++)
		if (!set_add(&out->served, sk_X509_value(out->tls.served, i), out->address) ||
		    !set_add(&out->checked, sk_X509_value(out->tls.served, i), out->address))
			return false;
	return true;
}

/* Whether set holds the certificate that issued cert. */
static bool set_has_issuer(const struct mkcsr_certset *set, X509 *cert)
{
	for (size_t i = 0; set != NULL && i < set->count; i++)
		if (X509_check_issued(chain_x509(&set->items[i]), cert) == X509_V_OK)
			return true;
	return false;
}

/* An AIA caIssuers answer: one DER certificate, or a DER PKCS#7 (.p7c) whose first certificate is taken. */
static X509 *ca_issuer_from_der(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509 *cert = d2i_X509(NULL, &p, (long)len);
	PKCS7 *p7;

	if (cert != NULL)
		return cert;
	p = der;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (p7 != NULL && PKCS7_type_is_signed(p7) && p7->d.sign != NULL && sk_X509_num(p7->d.sign->cert) > 0) {
		cert = sk_X509_value(p7->d.sign->cert, 0);
		X509_up_ref(cert);
	}
	PKCS7_free(p7);
	ERR_clear_error();
	return cert;
}

/*
 * The leaf's issuer, when the server did not send it and the trust anchors
 * do not hold it: fetched from the leaf's AIA caIssuers, as Windows does,
 * with --revocation fetch (the mode that lets mkcsr fetch what clients fetch).
 */
static void fetch_ca_issuer(const struct mkcsr_probe_config *config, const struct timespec *deadline,
			    struct mkcsr_probe_result *out)
{
	X509 *leaf = chain_x509(&out->served.items[0]), *issuer = NULL;
	struct mkcsr_httpget_result got = { 0 };

	out->aia = MKCSR_PROBE_AIA_NOT_NEEDED;
	if (X509_check_issued(leaf, leaf) == X509_V_OK || set_has_issuer(&out->served, leaf) ||
	    set_has_issuer(config->anchors, leaf))
		return;
	ca_issuers_url(leaf, out->aia_url, sizeof(out->aia_url));
	if (out->aia_url[0] == '\0')
		return;
	out->aia = MKCSR_PROBE_AIA_NOT_FETCHED;
	if (config->revocation != MKCSR_REVOCATION_FETCH)
		return;
	out->aia = MKCSR_PROBE_AIA_FAILED;
	if (!httpget_fetch(out->aia_url, NULL, NULL, 0, MKCSR_PROBE_MAX_CA_ISSUER, deadline, &got) ||
	    got.status != MKCSR_HTTPGET_OK)
		snprintf(out->aia_error, sizeof(out->aia_error), "%s", got.error[0] ? got.error : "not fetched");
	else if ((issuer = ca_issuer_from_der(got.body, got.len)) == NULL)
		snprintf(out->aia_error, sizeof(out->aia_error), "the answer is not a certificate");
	else if (X509_check_issued(issuer, leaf) != X509_V_OK)
		snprintf(out->aia_error, sizeof(out->aia_error), "the certificate there did not issue the leaf");
	else if (set_add(&out->checked, issuer, out->aia_url))
		out->aia = MKCSR_PROBE_AIA_FETCHED;
	X509_free(issuer);
	httpget_result_clear(&got);
	ERR_clear_error();
}

void probe_one(const struct mkcsr_probe_config *config, const struct mkcsr_probe_target *target,
	       struct mkcsr_probe_result *out)
{
	struct mkcsr_check_input in = { 0 };
	/* One deadline for everything: lookup, connect, handshake, SSTP and the revocation fetches. */
	struct timespec start, deadline = tlsprobe_deadline(config->timeout_ms);

	memset(out, 0, sizeof(*out));
	clock_gettime(CLOCK_MONOTONIC, &start);
	out->target = target;
	out->role = config->role;
	out->probed = true;
	run_transport(config, target, &deadline, out);
	if (out->tls.interrupted) {
		/* Stopped by a signal: reported as not probed rather than as down. */
		out->probed = false;
		return;
	}
	judge_reach(out);
	for (int i = MKCSR_PROBE_TLS; i < MKCSR_PROBE_COUNT_; i++)
		set_item(&out->items[i], MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "not reached");
	if (out->items[MKCSR_PROBE_REACH].status == MKCSR_CHECK_PASS && served_set(out)) {
		fetch_ca_issuer(config, &deadline, out);
		/* The leaf is the first certificate the server sent, as TLS requires: check_run is told so. */
		in.certs = &out->checked;
		in.cert_path = out->address;
		in.host = target->name;
		in.role = config->role;
		in.anchors = config->anchors;
		in.ca_dir = config->ca_dir;
		in.at = config->at;
		in.warn_days = config->warn_days;
		in.revocation = config->revocation;
		in.deadline = deadline;
		in.served_chain = true;
		out->judged = check_run(&in, &out->check) == MKCSR_E_OK;
	}
	if (out->judged) {
		judge_tls(out);
		judge_sent_chain(out);
		judge_sstp(config, out);
		judge_expect(config, out);
	}
	out->exit_code = result_exit(out);
	out->ms_total = tlsprobe_ms_since(&start);
}

/* ---- many targets --------------------------------------------------------------------------- */

struct pool {
	const struct mkcsr_probe_config *config;
	const struct mkcsr_probe_target *targets;
	struct mkcsr_probe_result *results;
	size_t count;
	atomic_size_t next;   /* the queue: the index of the next target to take */
	atomic_size_t done;   /* progress, for the status line */
};

static void *worker(void *arg)
{
	struct pool *pool = arg;

	for (;;) {
		size_t i;

		if (pool->config->stop != NULL && *pool->config->stop)
			break;
		i = atomic_fetch_add(&pool->next, 1);
		if (i >= pool->count)
			break;
		probe_one(pool->config, &pool->targets[i], &pool->results[i]);
		atomic_fetch_add(&pool->done, 1);
	}
	return NULL;
}

enum mkcsr_err probe_run_all(const struct mkcsr_probe_config *config, const struct mkcsr_probe_target *targets,
			     size_t count, unsigned jobs, struct mkcsr_probe_result *results,
			     void (*tick)(size_t done, size_t total, void *arg), void *arg)
{
	struct pool pool = { .config = config, .targets = targets, .results = results, .count = count };
	pthread_t *threads;
	unsigned started = 0;

	if (jobs > count)
		jobs = (unsigned)count;
	if (jobs == 0)
		jobs = 1;
	tlsprobe_set_stop_flag(config->stop);
	atomic_init(&pool.next, 0);
	atomic_init(&pool.done, 0);
	for (size_t i = 0; i < count; i++) {
		results[i].target = &targets[i];
		results[i].role = config->role;
		results[i].probed = false;
	}
	threads = calloc(jobs, sizeof(*threads));
	if (threads == NULL)
		return err_set(MKCSR_E_NOMEM, "the worker threads");
	for (; started < jobs; started++)
		if (pthread_create(&threads[started], NULL, worker, &pool) != 0)
			break;
	if (started == 0) {
		free(threads);
		return err_set(MKCSR_E_INTERNAL, "cannot start a worker thread: %s", strerror(errno));
	}
	/* Workers stop taking targets once a signal set the stop flag; their current ones end by the deadline. */
	while (tick != NULL && atomic_load(&pool.done) < count && !(config->stop != NULL && *config->stop)) {
		struct timespec tenth = { 0, 100000000L };

		tick(atomic_load(&pool.done), count, arg);
		nanosleep(&tenth, NULL);
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	return MKCSR_E_OK;
}

enum mkcsr_exit probe_worst_exit(const struct mkcsr_probe_result *results, size_t count)
{
	static const enum mkcsr_exit order[] = { MKCSR_EXIT_UNREACHABLE, MKCSR_EXIT_MISMATCH, MKCSR_EXIT_FAILED,
						 MKCSR_EXIT_EXPIRING };

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (size_t i = 0; i < count; i++)
			if (results[i].probed && results[i].exit_code == order[k])
				return order[k];
	return MKCSR_EXIT_OK;
}

void probe_result_clear(struct mkcsr_probe_result *r)
{
	check_report_clear(&r->check);
	chain_clear(&r->served);
	chain_clear(&r->checked);
	tlsprobe_result_clear(&r->tls);
}
