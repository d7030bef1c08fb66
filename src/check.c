#include <config.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "check.h"
#include "display.h"
#include "httpget.h"
#include "input.h"
#include "oids.h"

/* ---- roles and names ------------------------------------------------------ */

static const struct {
	const char *key;
	const char *description;
} roles[] = {
	[MKCSR_ROLE_SSTP] = { "sstp", "RRAS SSTP server" },
	[MKCSR_ROLE_IKEV2] = { "ikev2", "RRAS IKEv2 server" },
	[MKCSR_ROLE_NPS] = { "nps", "NPS server (PEAP, EAP-TLS)" },
	[MKCSR_ROLE_CLIENT] = { "client", "user tunnel client" },
	[MKCSR_ROLE_DEVICE] = { "device", "device tunnel client" },
	[MKCSR_ROLE_TLS] = { "tls", "TLS server (HTTPS, a load balancer)" },
};

enum mkcsr_err check_parse_role(const char *text, enum mkcsr_role *out)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (strcasecmp(text, roles[i].key) == 0) {
			*out = (enum mkcsr_role)i;
			return MKCSR_E_OK;
		}
	}
	return err_set(MKCSR_E_BAD_ROLE, "'%s'", text);
}

enum mkcsr_err role_from_key(const char *key_path, enum mkcsr_role *out)
{
	char role[32];

	input_key_role(key_path, role, sizeof(role));
	if (role[0] == '\0')
		return MKCSR_E_OK;
	if (strcasecmp(role, "device-tunnel") == 0)
		snprintf(role, sizeof(role), "device");
	else if (strcasecmp(role, "user-tunnel") == 0)
		snprintf(role, sizeof(role), "client");
	if (check_parse_role(role, out) != MKCSR_E_OK)
		return err_set_file(MKCSR_E_MALFORMED, key_path,
				    "'%s' is marked for role '%s', which is not one of sstp, ikev2, nps, client, device",
				   key_path, role);
	return MKCSR_E_OK;
}

const char *check_role_key(enum mkcsr_role role)
{
	return roles[role].key;
}

const char *check_role_description(enum mkcsr_role role)
{
	return roles[role].description;
}

bool check_role_is_server(enum mkcsr_role role)
{
	return role == MKCSR_ROLE_SSTP || role == MKCSR_ROLE_IKEV2 || role == MKCSR_ROLE_NPS || role == MKCSR_ROLE_TLS;
}

static const struct {
	const char *key;
	const char *title;
} checks[MKCSR_CHECK_COUNT_] = {
	[MKCSR_CHECK_KEY] = { "key", "the key belongs to the certificate" },
	[MKCSR_CHECK_REQUEST] = { "request", "the certificate answers the request" },
	[MKCSR_CHECK_VALIDITY] = { "validity", "the certificate is within its validity period" },
	[MKCSR_CHECK_NAME] = { "name", "the host name is covered" },
	[MKCSR_CHECK_USAGE] = { "usage", "the extended key usage fits the role" },
	[MKCSR_CHECK_KEY_USAGE] = { "key-usage", "the key usage fits the key" },
	[MKCSR_CHECK_CHAIN] = { "chain", "the chain builds to a trusted root" },
	[MKCSR_CHECK_REVOCATION] = { "revocation", "revocation can be checked" },
};

const char *check_id_key(enum mkcsr_check_id id)
{
	return checks[id].key;
}

const char *check_id_title(enum mkcsr_check_id id)
{
	return checks[id].title;
}

const char *check_status_key(enum mkcsr_check_status status)
{
	switch (status) {
	case MKCSR_CHECK_PASS: return "pass";
	case MKCSR_CHECK_WARN: return "warn";
	case MKCSR_CHECK_FAIL: return "fail";
	case MKCSR_CHECK_SKIP: return "skip";
	}
	return "?";
}

enum mkcsr_err check_parse_time(const char *text, time_t *out)
{
	struct tm tm = { 0 };
	char *end = NULL;
	int n = 0;

	if (text[0] == '@') {
		long long epoch = strtoll(text + 1, &end, 10);

		if (end == text + 1 || *end != '\0')
			return err_set(MKCSR_E_BAD_TIME, "'%s'", text);
		*out = (time_t)epoch;
		return MKCSR_E_OK;
	}
	if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3)
		return err_set(MKCSR_E_BAD_TIME, "'%s'", text);
	if (text[n] != '\0') {
		int m = 0;

		if ((text[n] != 'T' && text[n] != ' ') ||
		    sscanf(text + n + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &m) != 3 ||
		    (strcmp(text + n + 1 + m, "Z") != 0 && text[n + 1 + m] != '\0'))
			return err_set(MKCSR_E_BAD_TIME, "'%s'", text);
	}
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return err_set(MKCSR_E_BAD_TIME, "'%s'", text);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	{
		/* timegm() normalises 2027-02-30 to 2027-03-02: a date that does not round-trip does not exist. */
		struct tm want = tm, got;
		time_t t = timegm(&tm);

		if (gmtime_r(&t, &got) == NULL || got.tm_year != want.tm_year || got.tm_mon != want.tm_mon ||
		    got.tm_mday != want.tm_mday)
			return err_set(MKCSR_E_BAD_TIME, "'%s'", text);
		*out = t;
	}
	return MKCSR_E_OK;
}

/* ---- helpers -------------------------------------------------------------- */

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

/* The Windows code a failure shows on each role's clients. */
static uint32_t role_code(enum mkcsr_role role, uint32_t tls_code)
{
	switch (role) {
	case MKCSR_ROLE_IKEV2: return 13801;  /* ERROR_IPSEC_IKE_AUTH_FAIL */
	case MKCSR_ROLE_NPS: return 864;      /* ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND */
	case MKCSR_ROLE_DEVICE: return 13806; /* ERROR_IPSEC_IKE_NO_CERT */
	default: return tls_code;
	}
}

/* An ASN.1 string from the certificate or request, shown as display.h says, into buf. */
static const char *asn1_shown(const ASN1_STRING *s, char *buf, size_t size)
{
	char *shown = display_asn1(s, 0);

	display_copy(buf, size, shown ? shown : "(out of memory)");
	free(shown);
	return buf;
}

/* Appends the DNS and IP names of a GENERAL_NAMES list as "DNS:a, IP:b". */
static void names_text(const GENERAL_NAMES *gens, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *gen = sk_GENERAL_NAME_value(gens, i);
		char ip[64] = "";
		int n = 0;

		if (gen->type == GEN_DNS) {
			char shown[300];

			n = snprintf(buf + used, size - used, "%sDNS:%s", used ? ", " : "",
				     asn1_shown(gen->d.dNSName, shown, sizeof(shown)));
		} else if (gen->type == GEN_IPADD) {
			const unsigned char *a = ASN1_STRING_get0_data(gen->d.iPAddress);
			int alen = ASN1_STRING_length(gen->d.iPAddress);

			if (alen != 4 && alen != 16)
				snprintf(ip, sizeof(ip), "(malformed)");
			else
				inet_ntop(alen == 4 ? AF_INET : AF_INET6, a, ip, sizeof(ip));
			n = snprintf(buf + used, size - used, "%sIP:%s", used ? ", " : "", ip);
		}
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, size, "no DNS or IP names");
}

/* ---- the checks ------------------------------------------------------------ */

static const struct mkcsr_cert *find_leaf(const struct mkcsr_check_input *in, struct mkcsr_check_report *out)
{
	const struct mkcsr_cert *leaf = NULL, *match = NULL;
	struct mkcsr_check_item *item = &out->items[MKCSR_CHECK_KEY];
	char subject[512], key_name[1100];

	/* Pick among the --cert file's certificates: a key that matches only a --chain one is a swap. */
	if (in->key != NULL)
		leaf = chain_find_leaf(in->certs, in->key, in->cert_path);
	if (leaf == NULL)
		leaf = chain_find_leaf(in->certs, NULL, in->cert_path);
	/* Parsed here, once: NULL only when out of memory. */
	if (leaf == NULL || chain_x509(leaf) == NULL)
		return NULL;

	if (in->key == NULL) {
		set_item(item, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "no --key given");
		return leaf;
	}
	/* "'leaf.key'", or "the key in 'vpn.pfx'" when it came with the certificate */
	snprintf(key_name, sizeof(key_name), "%s%s'", in->key_in_cert_file ? "the key in '" : "'", in->key_path);
	if (EVP_PKEY_eq(X509_get0_pubkey(chain_x509(leaf)), in->key) == 1) {
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "%s is the private key of %s in '%s'", key_name,
			 chain_name_text(X509_get_subject_name(chain_x509(leaf)), subject, sizeof(subject)), leaf->source);
		return leaf;
	}
	match = chain_find_leaf(in->certs, in->key, NULL);
	ERR_clear_error();
	if (match != NULL) {
		char other[512];

		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0x80090016,
			 "%s is not the key of %s in '%s'; it is the key of %s in '%s': are --cert and --chain swapped?",
			 key_name, chain_name_text(X509_get_subject_name(chain_x509(leaf)), subject, sizeof(subject)), leaf->source,
			 chain_name_text(X509_get_subject_name(chain_x509(match)), other, sizeof(other)), match->source);
	} else {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0x80090016,
			 "%s is not the key of %s in '%s', nor of any other certificate given (key values mismatch)",
			 key_name, chain_name_text(X509_get_subject_name(chain_x509(leaf)), subject, sizeof(subject)),
			 leaf->source);
	}
	return leaf;
}

/* The name a request asks for: its first DNS or IP name, else its CN. */
static void request_host(X509_REQ *csr, char *buf, size_t size)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(csr);
	GENERAL_NAMES *gens = X509V3_get_d2i(exts, NID_subject_alt_name, NULL, NULL);
	X509_NAME *subject = X509_REQ_get_subject_name(csr);

	buf[0] = '\0';
	for (int i = 0; i < sk_GENERAL_NAME_num(gens) && buf[0] == '\0'; i++) {
		const GENERAL_NAME *gen = sk_GENERAL_NAME_value(gens, i);

		if (gen->type == GEN_DNS)
			snprintf(buf, size, "%.*s", ASN1_STRING_length(gen->d.dNSName),
				 (const char *)ASN1_STRING_get0_data(gen->d.dNSName));
	}
	if (buf[0] == '\0')
		X509_NAME_get_text_by_NID(subject, NID_commonName, buf, (int)size);
	GENERAL_NAMES_free(gens);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	ERR_clear_error();
}

/* Whether gen (from the request) appears in the certificate's SAN. */
static bool san_has(const GENERAL_NAMES *cert_names, const GENERAL_NAME *gen)
{
	for (int i = 0; i < sk_GENERAL_NAME_num(cert_names); i++) {
		const GENERAL_NAME *c = sk_GENERAL_NAME_value(cert_names, i);

		if (c->type != gen->type)
			continue;
		if (gen->type == GEN_DNS || gen->type == GEN_EMAIL) {
			const ASN1_STRING *a = gen->d.ia5, *b = c->d.ia5;

			if (ASN1_STRING_length(a) == ASN1_STRING_length(b) &&
			    strncasecmp((const char *)ASN1_STRING_get0_data(a), (const char *)ASN1_STRING_get0_data(b),
					(size_t)ASN1_STRING_length(a)) == 0)
				return true;
		} else if (GENERAL_NAME_cmp((GENERAL_NAME *)(uintptr_t)gen, (GENERAL_NAME *)(uintptr_t)c) == 0) {
			return true;
		}
	}
	return false;
}

static void check_request(const struct mkcsr_check_input *in, X509 *leaf, struct mkcsr_check_item *item)
{
	STACK_OF(X509_EXTENSION) *exts = NULL;
	GENERAL_NAMES *wanted = NULL, *have = NULL;
	EVP_PKEY *csr_key;
	char missing[512] = "", want_subject[512], got_subject[512];
	char want_cn[256] = "", got_cn[256] = "";
	size_t used = 0;

	if (in->csr == NULL) {
		set_item(item, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "no --csr given");
		return;
	}
	csr_key = X509_REQ_get0_pubkey(in->csr);
	if (csr_key == NULL || EVP_PKEY_eq(csr_key, X509_get0_pubkey(leaf)) != 1) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_MISMATCH, 0x80090016,
			 "the certificate is for another key than the request '%s': it was not issued for this request",
			 in->csr_path);
		goto done;
	}
	exts = X509_REQ_get_extensions(in->csr);
	wanted = X509V3_get_d2i(exts, NID_subject_alt_name, NULL, NULL);
	have = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; i < sk_GENERAL_NAME_num(wanted); i++) {
		const GENERAL_NAME *gen = sk_GENERAL_NAME_value(wanted, i);
		char text[300], shown[290];

		if (san_has(have, gen))
			continue;
		if (gen->type == GEN_DNS)
			snprintf(text, sizeof(text), "DNS:%s", asn1_shown(gen->d.dNSName, shown, sizeof(shown)));
		else if (gen->type == GEN_EMAIL)
			snprintf(text, sizeof(text), "email:%s", asn1_shown(gen->d.rfc822Name, shown, sizeof(shown)));
		else if (gen->type == GEN_IPADD && (ASN1_STRING_length(gen->d.iPAddress) == 4 ||
						       ASN1_STRING_length(gen->d.iPAddress) == 16)) {
			char ip[64];

			inet_ntop(ASN1_STRING_length(gen->d.iPAddress) == 4 ? AF_INET : AF_INET6,
				  ASN1_STRING_get0_data(gen->d.iPAddress), ip, sizeof(ip));
			snprintf(text, sizeof(text), "IP:%s", ip);
		}
		else
			snprintf(text, sizeof(text), "a name of type %d", gen->type);
		used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s", used ? ", " : "", text);
		if (used >= sizeof(missing))
			break;
	}
	if (missing[0] != '\0') {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x800B010F,
			 "the CA left out requested names: %s (requested in '%s')", missing, in->csr_path);
		goto done;
	}
	X509_NAME_get_text_by_NID(X509_REQ_get_subject_name(in->csr), NID_commonName, want_cn, sizeof(want_cn));
	X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName, got_cn, sizeof(got_cn));
	chain_name_text(X509_REQ_get_subject_name(in->csr), want_subject, sizeof(want_subject));
	chain_name_text(X509_get_subject_name(leaf), got_subject, sizeof(got_subject));
	if (strcasecmp(want_cn, got_cn) != 0)
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x800B010F,
			 "the subject is %s, but the request asked for %s", got_subject, want_subject);
	else if (X509_NAME_cmp(X509_REQ_get_subject_name(in->csr), X509_get_subject_name(leaf)) != 0)
		set_item(item, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0,
			 "same key and names, but the CA changed the subject: requested %s, issued %s", want_subject,
			 got_subject);
	else
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0,
			 "same key, every requested name present, subject %s as requested", got_subject);
done:
	GENERAL_NAMES_free(wanted);
	GENERAL_NAMES_free(have);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	ERR_clear_error();
}

static void check_validity(const struct mkcsr_check_input *in, X509 *leaf, struct mkcsr_check_report *out)
{
	struct mkcsr_check_item *item = &out->items[MKCSR_CHECK_VALIDITY];
	const ASN1_TIME *not_before = X509_get0_notBefore(leaf), *not_after = X509_get0_notAfter(leaf);
	ASN1_TIME *at = ASN1_TIME_set(NULL, in->at);
	uint32_t expired_code = in->role == MKCSR_ROLE_NPS ? 858 : role_code(in->role, 0x800B0101);
	char from[40], to[40];
	long days = 0;

	chain_time_text(not_before, from, sizeof(from));
	chain_time_text(not_after, to, sizeof(to));
	if (at == NULL || !chain_days_left(not_after, in->at, &days)) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x800B0101, "the validity dates cannot be read");
		goto done;
	}
	out->days_left = days;
	/* RFC 5280: both ends of the validity period are inside it (X509_cmp_time counts "equal" as before). */
	if (ASN1_TIME_compare(not_after, at) < 0) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, expired_code, "expired on %s (%ld day%s ago)%s", to,
			 -days, days == -1 ? "" : "s",
			 in->role == MKCSR_ROLE_SSTP ? ": every SSTP client fails, while IKEv2 may still work" : "");
	} else if (ASN1_TIME_compare(not_before, at) > 0) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, expired_code,
			 "not valid before %s: a clock running behind, or a certificate dated ahead", from);
	} else if (in->warn_days >= 0 && days < in->warn_days) {
		set_item(item, MKCSR_CHECK_WARN, MKCSR_EXIT_EXPIRING, expired_code,
			 "expires on %s, in %ld day%s: within the %d-day warning window", to, days, days == 1 ? "" : "s",
			 in->warn_days);
	} else {
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "valid from %s to %s, %ld day%s left", from, to, days,
			 days == 1 ? "" : "s");
	}
done:
	ASN1_TIME_free(at);
}

static void check_name(const struct mkcsr_check_input *in, X509 *leaf, struct mkcsr_check_report *out)
{
	struct mkcsr_check_item *item = &out->items[MKCSR_CHECK_NAME];
	GENERAL_NAMES *gens = NULL;
	char names[1024];
	int rc;

	if (in->host != NULL)
		snprintf(out->host, sizeof(out->host), "%s", in->host);
	else if (in->csr != NULL)
		request_host(in->csr, out->host, sizeof(out->host));
	if (in->host == NULL && in->role == MKCSR_ROLE_CLIENT) {
		/* A user tunnel certificate is matched by its UPN, not by a host name. */
		out->host[0] = '\0';
		set_item(item, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "a user certificate names a user, not a host (give --host to check one)");
		return;
	}
	if (out->host[0] == '\0') {
		set_item(item, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "no --host given, and no --csr to take it from");
		return;
	}
	/* RFC 6125: the SAN's names if it has any, the CN only without; a wildcard covers one whole label. */
	rc = X509_check_ip_asc(leaf, out->host, 0);
	if (rc == -2)
		rc = X509_check_host(leaf, out->host, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL);
	gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	names_text(gens, names, sizeof(names));
	GENERAL_NAMES_free(gens);
	ERR_clear_error();
	if (rc == 1 && X509_check_ip_asc(leaf, out->host, 0) == -2 &&
	    X509_check_host(leaf, out->host, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT,
			    NULL) != 1)
		/* Matched on the CN alone: the certificate has no DNS name in a SAN. */
		set_item(item, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, role_code(in->role, 0x800B010F),
			 "%s matches only the subject's CN (%s): Windows falls back to the CN when no SAN has a DNS "
			 "name, but browsers and RFC 6125 clients do not",
			 out->host, names);
	else if (rc == 1)
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "%s is covered by the certificate's names (%s)",
			 out->host, names);
	else
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, role_code(in->role, 0x800B010F),
			 "%s is not among the certificate's names (%s)", out->host, names);
}

static bool has_oid(const EXTENDED_KEY_USAGE *eku, const char *oid)
{
	ASN1_OBJECT *want = OBJ_txt2obj(oid, 1);
	bool found = false;

	for (int i = 0; want != NULL && i < sk_ASN1_OBJECT_num(eku) && !found; i++)
		found = OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), want) == 0;
	ASN1_OBJECT_free(want);
	return found;
}

static void check_usage(const struct mkcsr_check_input *in, X509 *leaf, struct mkcsr_check_item *item)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, NULL, NULL);
	bool server = check_role_is_server(in->role);
	const char *needed = server ? OID_SERVER_AUTH : OID_CLIENT_AUTH;
	const char *needed_name = server ? "Server Authentication" : "Client Authentication";
	bool wants_ike = in->role == MKCSR_ROLE_IKEV2 || in->role == MKCSR_ROLE_DEVICE;

	if (eku == NULL) {
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0,
			 "no extended key usage extension: Windows takes the certificate for every usage");
	} else if (!has_oid(eku, needed) && !has_oid(eku, "2.5.29.37.0")) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED,
			 in->role == MKCSR_ROLE_CLIENT ? 0x800B0110 : role_code(in->role, 0x800B0110),
			 "the %s role needs %s (%s), which the certificate lacks", check_role_key(in->role), needed_name, needed);
	} else if (wants_ike && !has_oid(eku, OID_IKE_INTERMEDIATE)) {
		set_item(item, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 13801,
			 "%s present, but no IP security IKE intermediate (%s): Windows may pick another certificate for IKEv2",
			 needed_name, OID_IKE_INTERMEDIATE);
	} else {
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "%s%s present, as the %s role needs", needed_name,
			 wants_ike ? " and IP security IKE intermediate" : "", check_role_key(in->role));
	}
	EXTENDED_KEY_USAGE_free(eku);
	ERR_clear_error();
}

static void check_key_usage(const struct mkcsr_check_input *in, X509 *leaf, struct mkcsr_check_item *item)
{
	EVP_PKEY *pub = X509_get0_pubkey(leaf);
	uint32_t ku = X509_get_key_usage(leaf);
	bool is_ec = pub != NULL && EVP_PKEY_is_a(pub, "EC");
	char subject[512];

	if (in->role == MKCSR_ROLE_NPS && X509_NAME_entry_count(X509_get_subject_name(leaf)) == 0) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 864,
			 "the subject is empty: NPS needs a subject that matches the server name in the clients' EAP settings");
		return;
	}
	if (ku == UINT32_MAX) {
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "no key usage extension: any use of the key is allowed");
	} else if (is_ec && !(ku & KU_DIGITAL_SIGNATURE)) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x800B0110,
			 "an ECDSA key must sign in TLS, but the key usage lacks digitalSignature");
	} else if (is_ec && (ku & (KU_KEY_ENCIPHERMENT | KU_DATA_ENCIPHERMENT))) {
		/* RFC 5480 forbids it, but CAs have issued it for years and Windows accepts it. */
		set_item(item, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0,
			 "an ECDSA key cannot encipher, yet the key usage allows keyEncipherment or dataEncipherment "
			 "(RFC 5480); Windows accepts it, stricter clients may not");
	} else if (!is_ec && !(ku & (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT))) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0x800B0110,
			 "an RSA key needs digitalSignature or keyEncipherment in its key usage");
	} else {
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "the key usage fits %s key%s%s",
			 is_ec ? "an ECDSA" : "an RSA", in->role == MKCSR_ROLE_NPS ? "; subject " : "",
			 in->role == MKCSR_ROLE_NPS ? chain_name_text(X509_get_subject_name(leaf), subject, sizeof(subject)) : "");
	}
}

/* Leaf time errors are the validity check's: the chain check looks past them. */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	int error = X509_STORE_CTX_get_error(ctx);

	if (!ok && X509_STORE_CTX_get_error_depth(ctx) == 0 &&
	    (error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_CERT_NOT_YET_VALID))
		return 1;
	return ok;
}

/* Weak links in a verified chain: SHA-1 or MD5 signatures below the root, RSA under 2048 bits. */
static bool weak_link(STACK_OF(X509) *chain, char *buf, size_t size)
{
	int n = sk_X509_num(chain);

	for (int i = 0; i < n; i++) {
		X509 *cert = sk_X509_value(chain, i);
		EVP_PKEY *pub = X509_get0_pubkey(cert);
		int md_nid = NID_undef, pk_nid = NID_undef;
		char subject[512];

		if (i < n - 1 && OBJ_find_sigid_algs(X509_get_signature_nid(cert), &md_nid, &pk_nid) &&
		    (md_nid == NID_sha1 || md_nid == NID_md5)) {
			snprintf(buf, size, "%s is signed with %s, which Windows no longer accepts for TLS",
				 chain_name_text(X509_get_subject_name(cert), subject, sizeof(subject)),
				 md_nid == NID_sha1 ? "SHA-1" : "MD5");
			return true;
		}
		if (pub != NULL && EVP_PKEY_is_a(pub, "RSA") && EVP_PKEY_get_bits(pub) < 2048) {
			snprintf(buf, size, "%s has a %d-bit RSA key; 2048 bits is the minimum",
				 chain_name_text(X509_get_subject_name(cert), subject, sizeof(subject)), EVP_PKEY_get_bits(pub));
			return true;
		}
	}
	return false;
}

static void chain_path_text(STACK_OF(X509) *chain, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < sk_X509_num(chain); i++) {
		char subject[512];
		int n = snprintf(buf + used, size - used, "%s%s", i ? " <- " : "",
				 chain_name_text(X509_get_subject_name(sk_X509_value(chain, i)), subject, sizeof(subject)));

		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

static X509_STORE *trust_store(const struct mkcsr_check_input *in, struct mkcsr_check_report *out)
{
	X509_STORE *store = X509_STORE_new();

	if (store == NULL)
		return NULL;
	if (in->anchors != NULL) {
		for (size_t i = 0; i < in->anchors->count; i++)
			if (chain_x509(&in->anchors->items[i]) != NULL)
				X509_STORE_add_cert(store, chain_x509(&in->anchors->items[i]));
		snprintf(out->trust, sizeof(out->trust), "--ca-file");
	} else if (in->ca_dir != NULL) {
		X509_STORE_load_path(store, in->ca_dir);
		snprintf(out->trust, sizeof(out->trust), "--ca-dir");
	} else {
		/* The system store costs tens of milliseconds: loaded only here, when no anchor was given. */
		X509_STORE_set_default_paths(store);
		snprintf(out->trust, sizeof(out->trust), "the system trust store");
	}
	ERR_clear_error();
	return store;
}

static void check_chain(const struct mkcsr_check_input *in, X509 *leaf, struct mkcsr_check_report *out)
{
	struct mkcsr_check_item *item = &out->items[MKCSR_CHECK_CHAIN];
	STACK_OF(X509) *untrusted = chain_others(in->certs, leaf), *built = NULL;
	X509_STORE *store = trust_store(in, out);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	char path[2048], weak[600], subject[512], issuer[512];
	int ok, error;

	if (untrusted == NULL || store == NULL || ctx == NULL || !X509_STORE_CTX_init(ctx, store, leaf, untrusted)) {
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0, "the chain could not be set up (out of memory?)");
		goto done;
	}
	X509_STORE_CTX_set_time(ctx, 0, in->at);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	ok = X509_verify_cert(ctx);
	error = X509_STORE_CTX_get_error(ctx);
	built = X509_STORE_CTX_get1_chain(ctx);
	chain_path_text(built, path, sizeof(path));
	if (built != NULL) {
		sk_X509_pop_free(out->path, X509_free);
		out->path = built;
		built = NULL;
	}

	if (ok == 1 && weak_link(out->path, weak, sizeof(weak))) {
		/* Windows reports weak links under several codes, depending on policy: name none. */
		set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, 0, "%s (chain: %s)", weak, path);
	} else if (ok == 1) {
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "%s, trusted through %s", path, out->trust);
	} else {
		X509 *top = out->path ? sk_X509_value(out->path, sk_X509_num(out->path) - 1) : leaf;

		chain_name_text(X509_get_subject_name(top), subject, sizeof(subject));
		chain_name_text(X509_get_issuer_name(top), issuer, sizeof(issuer));
		switch (error) {
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
			if (top == leaf && in->served_chain)
				set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, role_code(in->role, 0x800B010A),
					 "the intermediate %s that issued the certificate is missing: the server did not "
					 "send it, and it is not in %s", issuer, out->trust);
			else if (top == leaf)
				set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, role_code(in->role, 0x800B010A),
					 "the intermediate %s that issued the certificate is missing: add it with --chain",
					 issuer);
			else
				set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, role_code(in->role, 0x800B0109),
					 "the chain %s ends at %s, issued by %s, which is not in %s", path, subject, issuer,
					 out->trust);
			break;
		case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
			set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, role_code(in->role, 0x800B0109),
				 "the chain %s ends in the root %s, which is not in %s", path, subject, out->trust);
			break;
		case X509_V_ERR_CERT_HAS_EXPIRED:
		case X509_V_ERR_CERT_NOT_YET_VALID:
			set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, role_code(in->role, 0x800B0101),
				 "a CA certificate in the chain is outside its validity period: %s (chain: %s)",
				 X509_verify_cert_error_string(error), path);
			break;
		default:
			set_item(item, MKCSR_CHECK_FAIL, MKCSR_EXIT_FAILED, role_code(in->role, 0x800B010A),
				 "the chain does not verify: %s (at depth %d; chain: %s)", X509_verify_cert_error_string(error),
				 X509_STORE_CTX_get_error_depth(ctx), path);
			break;
		}
	}
done:
	sk_X509_pop_free(built, X509_free);
	sk_X509_pop_free(untrusted, X509_free);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
}

static void check_revocation_names(X509 *leaf, struct mkcsr_check_item *item)
{
	STACK_OF(DIST_POINT) *cdp = X509_get_ext_d2i(leaf, NID_crl_distribution_points, NULL, NULL);
	STACK_OF(OPENSSL_STRING) *ocsp = X509_get1_ocsp(leaf);
	char where[600] = "";
	size_t used = 0;

	for (int i = 0; i < sk_DIST_POINT_num(cdp); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(cdp, i);

		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		for (int j = 0; j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++) {
			GENERAL_NAME *gen = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, j);
			int n;

			if (gen->type != GEN_URI)
				continue;
			char shown[300];

			n = snprintf(where + used, sizeof(where) - used, "%sCRL %s", used ? ", " : "",
				     asn1_shown(gen->d.uniformResourceIdentifier, shown, sizeof(shown)));
			if (n > 0 && (size_t)n < sizeof(where) - used)
				used += (size_t)n;
		}
	}
	for (int i = 0; i < sk_OPENSSL_STRING_num(ocsp); i++) {
		int n = snprintf(where + used, sizeof(where) - used, "%sOCSP %s", used ? ", " : "",
				 sk_OPENSSL_STRING_value(ocsp, i));

		if (n > 0 && (size_t)n < sizeof(where) - used)
			used += (size_t)n;
	}
	if (used > 0)
		set_item(item, MKCSR_CHECK_PASS, MKCSR_EXIT_OK, 0, "%s", where);
	else
		set_item(item, MKCSR_CHECK_WARN, MKCSR_EXIT_OK, 0x80092012,
			 "no CRL distribution point and no OCSP address: clients that check revocation, as SSTP clients do, cannot");
	sk_DIST_POINT_pop_free(cdp, DIST_POINT_free);
	X509_email_free(ocsp);
	ERR_clear_error();
}

/* The leaf and its issuers: the chain as verified (or as far as it built), else as found in the input. */
static STACK_OF(X509) *revocation_path(const struct mkcsr_check_input *in, X509 *leaf, struct mkcsr_check_report *out)
{
	STACK_OF(X509) *path;

	if (out->path != NULL && sk_X509_num(out->path) > 0 && X509_cmp(sk_X509_value(out->path, 0), leaf) == 0)
		return X509_chain_up_ref(out->path);
	path = chain_issuers(in->certs, leaf);
	if (path == NULL || !X509_up_ref(leaf) || !sk_X509_unshift(path, leaf)) {
		sk_X509_pop_free(path, X509_free);
		return NULL;
	}
	return path;
}

static enum mkcsr_err check_revocation(const struct mkcsr_check_input *in, X509 *leaf, struct mkcsr_check_report *out)
{
	struct mkcsr_check_item *item = &out->items[MKCSR_CHECK_REVOCATION];
	struct timespec deadline = in->deadline;
	STACK_OF(X509) *path = NULL;
	enum mkcsr_err rc;
	enum mkcsr_exit exit_code;
	enum mkcsr_check_status status;
	char detail[sizeof(item->detail)];

	out->revocation_mode = in->revocation;
	if (in->revocation == MKCSR_REVOCATION_OFF) {
		set_item(item, MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "not checked (--revocation off)");
		return MKCSR_E_OK;
	}
	if (in->revocation != MKCSR_REVOCATION_FETCH) {
		check_revocation_names(leaf, item);
		return MKCSR_E_OK;
	}
	if (deadline.tv_sec == 0 && deadline.tv_nsec == 0)
		deadline = httpget_deadline_in(MKCSR_REVOCATION_DEFAULT_TIMEOUT);
	path = revocation_path(in, leaf, out);
	if (path == NULL)
		return err_set(MKCSR_E_NOMEM, "listing the certificates to check for revocation");
	rc = revocation_check(path, in->at, &deadline, &out->revocation);
	sk_X509_pop_free(path, X509_free);
	if (rc != MKCSR_E_OK)
		return rc;
	switch (out->revocation.verdict) {
	case MKCSR_REVOCATION_NOT_REVOKED: status = MKCSR_CHECK_PASS; exit_code = MKCSR_EXIT_OK; break;
	case MKCSR_REVOCATION_IS_REVOKED:
	case MKCSR_REVOCATION_OFFLINE: status = MKCSR_CHECK_FAIL; exit_code = MKCSR_EXIT_FAILED; break;
	default: status = MKCSR_CHECK_WARN; exit_code = MKCSR_EXIT_OK; break;
	}
	set_item(item, status, exit_code, revocation_windows_code(out->revocation.verdict), "%s",
		 revocation_summary_text(&out->revocation, detail, sizeof(detail)));
	return MKCSR_E_OK;
}

enum mkcsr_err check_run(const struct mkcsr_check_input *in, struct mkcsr_check_report *out)
{
	const struct mkcsr_cert *leaf;
	X509 *cert;

	memset(out, 0, sizeof(*out));
	out->role = in->role;
	out->at = in->at;
	leaf = find_leaf(in, out);
	/* A certificate from the --cert file that could not be parsed again: out of memory. */
	if (leaf == NULL && chain_find_leaf(in->certs, NULL, in->cert_path) != NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", in->cert_path);
	if (leaf == NULL)
		return err_set_file(MKCSR_E_MALFORMED, in->cert_path, "'%s' holds no certificate", in->cert_path);
	out->leaf = leaf;
	cert = chain_x509(leaf);  /* parsed by find_leaf */
	check_request(in, cert, &out->items[MKCSR_CHECK_REQUEST]);
	check_validity(in, cert, out);
	check_name(in, cert, out);
	check_usage(in, cert, &out->items[MKCSR_CHECK_USAGE]);
	check_key_usage(in, cert, &out->items[MKCSR_CHECK_KEY_USAGE]);
	if (in->skip_chain)
		set_item(&out->items[MKCSR_CHECK_CHAIN], MKCSR_CHECK_SKIP, MKCSR_EXIT_OK, 0, "not checked here");
	else
		check_chain(in, cert, out);
	return check_revocation(in, cert, out);
}

enum mkcsr_exit check_exit_code(const struct mkcsr_check_report *report)
{
	enum mkcsr_exit worst = MKCSR_EXIT_OK;

	for (int i = 0; i < MKCSR_CHECK_COUNT_; i++) {
		enum mkcsr_exit e = report->items[i].exit_code;

		if (e == MKCSR_EXIT_MISMATCH)
			return e;
		if (e == MKCSR_EXIT_FAILED || (e == MKCSR_EXIT_EXPIRING && worst == MKCSR_EXIT_OK))
			worst = e;
	}
	return worst;
}

void check_report_clear(struct mkcsr_check_report *report)
{
	sk_X509_pop_free(report->path, X509_free);
	report->path = NULL;
	revocation_result_clear(&report->revocation);
}
