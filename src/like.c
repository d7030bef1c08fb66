#include <config.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "display.h"
#include "input.h"
#include "like.h"
#include "names.h"
#include "oids.h"
#include "pfxread.h"
#include "secret.h"

static enum mkcsr_err load_pfx(const char *path, const unsigned char *data, size_t len, const char *pass_source,
			       X509 **out, const char **protection)
{
	struct mkcsr_secret pass = { 0 };
	struct mkcsr_pfx_file pfx = { 0 };
	struct mkcsr_certset certs = { 0 };
	EVP_PKEY *key = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;

	if (pass_source != NULL)
		rc = secret_read_to_open(pass_source, "PFX password", &pass);
	if (rc == MKCSR_E_OK)
		rc = pfxread_decode(path, data, len, pass.text, &pfx);
	if (rc == MKCSR_E_OK)
		*protection = pfxread_protection_note(&pfx);  /* a string constant: outlives pfx */
	if (rc == MKCSR_E_OK)
		rc = pfxread_parts(&pfx, &key, &certs);
	if (rc == MKCSR_E_OK && !X509_up_ref(chain_x509(&certs.items[0])))
		rc = err_set(MKCSR_E_NOMEM, "reading '%s'", path);
	if (rc == MKCSR_E_OK)
		*out = chain_x509(&certs.items[0]);  /* the leaf */
	secret_clear(&pass);
	EVP_PKEY_free(key);  /* the old key is not wanted: renewal makes a new one */
	chain_clear(&certs);
	pfxread_clear(&pfx);
	return rc;
}

enum mkcsr_err like_load(const char *path, const char *pass_source, X509 **out, bool *is_pfx, const char **protection)
{
	unsigned char *data = NULL;
	size_t len = 0;
	struct mkcsr_certset set = { 0 };
	const struct mkcsr_cert *leaf;
	enum mkcsr_err rc = input_read_file(path, &data, &len);
	PKCS12 *probe = NULL;
	const unsigned char *p;

	*out = NULL;
	*is_pfx = false;
	*protection = NULL;
	if (rc != MKCSR_E_OK)
		return rc;
	p = data;
	probe = data[0] == 0x30 ? d2i_PKCS12(NULL, &p, (long)len) : NULL;
	if (probe != NULL) {
		*is_pfx = true;
		PKCS12_free(probe);
		rc = load_pfx(path, data, len, pass_source, out, protection);
		OPENSSL_clear_free(data, len);
		return rc;
	}
	OPENSSL_clear_free(data, len);
	ERR_clear_error();
	rc = chain_load(&set, path);
	if (rc == MKCSR_E_OK) {
		leaf = chain_find_leaf(&set, NULL, NULL);
		X509 *x509 = leaf != NULL ? chain_x509(leaf) : NULL;

		if (x509 != NULL && X509_up_ref(x509))
			*out = x509;
		else
			rc = err_set_file(MKCSR_E_MALFORMED, path, "'%s' holds no certificate", path);
	}
	chain_clear(&set);
	return rc;
}

/* "ec:P-256" or "rsa:3072" for the certificate's key; the nearest type mkcsr makes. */
static enum mkcsr_err copy_key_type(X509 *cert, const char *path, struct mkcsr_request *req)
{
	EVP_PKEY *pub = X509_get0_pubkey(cert);
	char group[64] = "", type[32];
	int bits = pub ? EVP_PKEY_get_bits(pub) : 0;

	if (pub != NULL && EVP_PKEY_is_a(pub, "EC") &&
	    EVP_PKEY_get_utf8_string_param(pub, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL)) {
		const char *curve = strcmp(group, "prime256v1") == 0 ? "P-256"
				    : strcmp(group, "secp384r1") == 0 ? "P-384"
				    : strcmp(group, "secp521r1") == 0 ? "P-521"
									: NULL;

		if (curve == NULL)
			return request_note(req, "%s: the key's curve %s is not made here; the new key is ECDSA P-256", path, group);
		snprintf(type, sizeof(type), "ec:%s", curve);
	} else if (pub != NULL && EVP_PKEY_is_a(pub, "RSA")) {
		if (bits < 2048)
			return request_note(req, "%s: an RSA key of %d bits is too small to renew as it is; the new key is RSA 2048",
					    path, bits) == MKCSR_E_OK
				       ? keygen_parse_type("rsa:2048", &req->key)
				       : MKCSR_E_NOMEM;
		if (bits != 2048 && bits != 3072 && bits != 4096) {
			enum mkcsr_err rc = request_note(req, "%s: an RSA key of %d bits is not made here; the new key is RSA 3072",
							 path, bits);

			if (rc != MKCSR_E_OK)
				return rc;
			bits = 3072;
		}
		snprintf(type, sizeof(type), "rsa:%d", bits);
	} else {
		return request_note(req, "%s: the key type is not made here; the new key is ECDSA P-256", path);
	}
	return keygen_parse_type(type, &req->key);
}

static enum mkcsr_err copy_names(X509 *cert, const char *path, struct mkcsr_request *req)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	enum mkcsr_err rc = MKCSR_E_OK;

	for (int i = 0; rc == MKCSR_E_OK && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *gen = sk_GENERAL_NAME_value(gens, i);
		char *spec = NULL, ip[64];
		int n = -1;

		if (gen->type == GEN_DNS)
			n = asprintf(&spec, "dns:%.*s", ASN1_STRING_length(gen->d.dNSName),
				     (const char *)ASN1_STRING_get0_data(gen->d.dNSName));
		else if (gen->type == GEN_EMAIL)
			n = asprintf(&spec, "email:%.*s", ASN1_STRING_length(gen->d.rfc822Name),
				     (const char *)ASN1_STRING_get0_data(gen->d.rfc822Name));
		else if (gen->type == GEN_IPADD && (ASN1_STRING_length(gen->d.iPAddress) == 4 ||
						      ASN1_STRING_length(gen->d.iPAddress) == 16) &&
			 inet_ntop(ASN1_STRING_length(gen->d.iPAddress) == 4 ? AF_INET : AF_INET6,
				   ASN1_STRING_get0_data(gen->d.iPAddress), ip, sizeof(ip)) != NULL)
			n = asprintf(&spec, "ip:%s", ip);
		else if (gen->type == GEN_OTHERNAME && OBJ_obj2nid(gen->d.otherName->type_id) == NID_ms_upn &&
			 gen->d.otherName->value->type == V_ASN1_UTF8STRING)
			n = asprintf(&spec, "upn:%.*s", ASN1_STRING_length(gen->d.otherName->value->value.utf8string),
				     (const char *)ASN1_STRING_get0_data(gen->d.otherName->value->value.utf8string));
		if (n < 0) {
			rc = request_note(req, "%s: a subject alternative name of a kind mkcsr does not request (type %d) was not copied",
					  path, gen->type);
			continue;
		}
		rc = request_add_san(req, spec);
		if (rc != MKCSR_E_OK && rc != MKCSR_E_NOMEM)
			rc = request_note(req, "%s: name %s was not copied: %s", path, spec, err_detail());
		free(spec);
	}
	GENERAL_NAMES_free(gens);
	req->names_from_base = true;
	return rc;
}

static enum mkcsr_err copy_ekus(X509 *cert, struct mkcsr_request *req)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
	enum mkcsr_err rc = MKCSR_E_OK;

	/* The old certificate's usages, exactly: none when it had none. */
	for (size_t i = 0; i < req->eku_count; i++)
		free(req->ekus[i]);
	req->eku_count = 0;
	req->ekus_defaulted = false;
	for (int i = 0; rc == MKCSR_E_OK && i < sk_ASN1_OBJECT_num(eku); i++) {
		char oid[128];

		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		rc = request_add_eku(req, oid);
	}
	EXTENDED_KEY_USAGE_free(eku);
	req->ekus_defaulted = true;  /* a --eku on the command line replaces them */
	return rc;
}

/* A DNS name or an IP address among the alternative names, or a server or client usage. */
static bool names_a_server(X509 *cert)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	bool server = false;

	for (int i = 0; !server && i < sk_GENERAL_NAME_num(gens); i++) {
		int type = sk_GENERAL_NAME_value(gens, i)->type;

		server = type == GEN_DNS || type == GEN_IPADD;
	}
	GENERAL_NAMES_free(gens);
	/* X509_get_extended_key_usage() answers "any" when there is no EKU at all: look at the flag first. */
	return server || ((X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) &&
			  (X509_get_extended_key_usage(cert) & (XKU_SSL_SERVER | XKU_SSL_CLIENT)));
}

/*
 * A certificate marked as a CA is renewed only when it is self-signed and
 * names a server: "openssl req -x509" marks CA:TRUE by default, and labs run
 * SSTP on such certificates.  A CA-issued certificate marked as a CA is an
 * intermediate, whatever names it carries; a self-signed one without a
 * server's name or usage is a root.
 */
static enum mkcsr_err check_not_ca(X509 *cert, const char *path, struct mkcsr_request *req)
{
	char issuer[512];

	if (X509_check_ca(cert) == 0)
		return MKCSR_E_OK;
	if (!chain_is_self_signed(cert))
		return err_set_file(MKCSR_E_BAD_LIKE, path,
				    "'%s' is a CA certificate issued by %s; --like renews a server's or client's certificate",
				    path, chain_name_text(X509_get_issuer_name(cert), issuer, sizeof(issuer)));
	if (!names_a_server(cert))
		return err_set_file(MKCSR_E_BAD_LIKE, path,
				    "'%s' is a root CA certificate: self-signed, marked as a CA, and with no DNS name, IP "
				    "address, or server or client usage; --like renews a server's or client's certificate",
				    path);
	return request_note(req, "%s: self-signed and marked as a CA (as openssl req -x509 makes it): renewed as a "
				 "server's certificate; the request asks for no CA rights",
			    path);
}

/* "a, b and c" of the items (malloc'ed), or NULL when out of memory. */
static char *join_list(const char *const *items, size_t count)
{
	size_t size = 1;
	char *out;

	for (size_t i = 0; i < count; i++)
		size += strlen(items[i]) + 5;
	out = malloc(size);
	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		strcat(out, i == 0 ? "" : i + 1 == count ? " and " : ", ");
		strcat(out, items[i]);
	}
	return out;
}

/*
 * "; --host made vpn2.example.com the CN and the first name", as mkcsr new
 * applies --host over the copy; *cn tells whether the CN is the host's.
 */
static void host_part(char *out, size_t size, const struct like_overrides *given, const struct mkcsr_request *req,
		      bool *cn)
{
	const char *copied_cn = subject_get(&req->subject, NID_commonName);
	struct mkcsr_name host = { 0 };
	bool first = false;

	out[0] = '\0';
	*cn = false;
	if (given->host == NULL || names_parse_host(given->host, &host) != MKCSR_E_OK) {
		names_clear(&host);
		err_clear();  /* a bad --host is reported when the command line is applied */
		return;
	}
	/* A CN the same as the host is the copy's own: only a CN that differs comes from --host. */
	*cn = !given->subject && strlen(host.value) <= NAMES_CN_MAX &&
	      (copied_cn == NULL || strcasecmp(copied_cn, host.value) != 0);
	first = !given->names && (req->name_count == 0 || !names_equal(&req->names[0], &host));
	if (*cn || first)
		snprintf(out, size, "; --host made %s %s%s%s", host.value, *cn ? "the CN" : "", *cn && first ? " and " : "",
			 first ? "the first name" : "");
	names_clear(&host);
}

/* The note on what was copied from path and what the command line gives instead. */
static enum mkcsr_err summary_note(const char *path, const struct like_overrides *given, bool had_cn,
				   struct mkcsr_request *req)
{
	const char *copied[4];
	size_t n = 0;
	char *subject_text = subject_format_display(&req->subject), *subject_item = NULL, *copied_list = NULL;
	char names_item[32], usages_item[32], host[400];
	bool host_cn = false;
	enum mkcsr_err rc = MKCSR_E_OK;

	host_part(host, sizeof(host), given, req, &host_cn);
	if (subject_text == NULL || asprintf(&subject_item, "the subject (%s)%s", subject_text[0] ? subject_text : "empty",
					     had_cn && host_cn ? " but its CN" : "") < 0) {
		subject_item = NULL;
		rc = err_set(MKCSR_E_NOMEM, "describing the renewal");
	}
	snprintf(names_item, sizeof(names_item), "%zu name%s", req->name_count, req->name_count == 1 ? "" : "s");
	snprintf(usages_item, sizeof(usages_item), "%zu usage%s", req->eku_count, req->eku_count == 1 ? "" : "s");
	if (!given->subject)
		copied[n++] = subject_item;
	if (!given->names)
		copied[n++] = names_item;
	if (!given->usages)
		copied[n++] = usages_item;
	if (!given->key_type)
		copied[n++] = "the key type";
	if (rc == MKCSR_E_OK && (copied_list = join_list(copied, n)) == NULL)
		rc = err_set(MKCSR_E_NOMEM, "describing the renewal");
	if (rc == MKCSR_E_OK)
		rc = request_note(req, "%s: copied %s%s%s%s%s%s; the CA sets key usage, validity, CRL and OCSP addresses "
				  "and policies again",
				  path, n ? copied_list : "nothing", given->subject ? "; --subject replaced the subject" : "",
				  host,
				  given->names ? given->host ? "; --san and --host replaced the names" : "; --san replaced the names"
					       : "",
				  given->usages ? "; --eku replaced the usages" : "",
				  given->key_type ? "; --key-type replaced the key type" : "");
	free(copied_list);
	free(subject_item);
	free(subject_text);
	return rc;
}

/* Whether text holds a character display.h shows escaped: one that does not show, or turns text around. */
static bool has_hidden_characters(const char *text)
{
	char *shown = display_text(text);
	bool hidden = shown != NULL && strcmp(shown, text) != 0;

	free(shown);
	return hidden;
}

/*
 * The subject and names are copied as the certificate has them, to renew
 * what the CA certified; but a right-to-left override or a zero-width
 * character would go on into the new certificate, where it can make one
 * name pass for another: said, as a warning.
 */
static enum mkcsr_err warn_hidden_characters(const char *path, const struct like_overrides *given,
					     struct mkcsr_request *req)
{
	bool hidden = false;

	for (size_t i = 0; !given->subject && i < req->subject.count; i++)
		hidden = hidden || has_hidden_characters(req->subject.attrs[i].value);
	for (size_t i = 0; !given->names && i < req->name_count; i++)
		hidden = hidden || has_hidden_characters(req->names[i].value);
	if (!hidden)
		return MKCSR_E_OK;
	return request_warn(req, "%s: the subject or names copied hold characters that do not show or that turn text "
				 "around (shown as \\uXXXX): the new certificate would carry them; check them, or give "
				 "--subject and --san",
			    path);
}

enum mkcsr_err like_apply(X509 *cert, const char *path, const struct like_overrides *given, struct mkcsr_request *req)
{
	char *skipped = NULL;
	enum mkcsr_err rc = check_not_ca(cert, path, req);
	bool had_cn = false;

	/* What the command line gives is not copied at all: no note about it can mislead. */
	if (rc == MKCSR_E_OK && !given->subject) {
		subject_clear(&req->subject);
		rc = subject_from_x509_name(X509_get_subject_name(cert), &req->subject, &skipped);
		if (rc == MKCSR_E_OK && skipped != NULL)
			rc = request_note(req, "%s: not copied from the subject: %s", path, skipped);
		had_cn = subject_get(&req->subject, NID_commonName) != NULL;
	}
	if (rc == MKCSR_E_OK && !given->names)
		rc = copy_names(cert, path, req);
	if (rc == MKCSR_E_OK && !given->usages)
		rc = copy_ekus(cert, req);
	if (rc == MKCSR_E_OK && !given->key_type)
		rc = copy_key_type(cert, path, req);
	/* Said here, naming the certificate, rather than as a request without a name. */
	if (rc == MKCSR_E_OK && given->host == NULL && !given->names && !given->subject && !had_cn && req->name_count == 0)
		rc = err_set_file(MKCSR_E_USAGE, path,
				  "'%s' names no host (no CN in its subject, and no alternative name mkcsr can request): "
				  "--host NAME supplies one",
				  path);
	if (rc == MKCSR_E_OK)
		rc = warn_hidden_characters(path, given, req);
	if (rc == MKCSR_E_OK)
		rc = summary_note(path, given, had_cn, req);
	free(skipped);
	ERR_clear_error();
	return rc;
}
