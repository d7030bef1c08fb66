#include <config.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/objects.h>

#include "oids.h"
#include "request.h"

static const char *const key_usage_names[KU_BIT_COUNT_] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
	"keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
};

const char *request_key_usage_name(enum mkcsr_key_usage_bit bit)
{
	return (unsigned)bit < KU_BIT_COUNT_ ? key_usage_names[bit] : "?";
}

/* Appends a formatted line to a list of strings. */
static enum mkcsr_err add_line(char ***list, size_t *count, const char *fmt, va_list ap)
{
	char **grown = realloc(*list, (*count + 1) * sizeof(*grown));

	if (grown == NULL)
		return err_set(MKCSR_E_NOMEM, "recording a message");
	*list = grown;
	if (vasprintf(&(*list)[*count], fmt, ap) < 0)
		return err_set(MKCSR_E_NOMEM, "recording a message");
	(*count)++;
	return MKCSR_E_OK;
}

enum mkcsr_err request_warn(struct mkcsr_request *req, const char *fmt, ...)
{
	va_list ap;
	enum mkcsr_err rc;

	va_start(ap, fmt);
	rc = add_line(&req->warnings, &req->warning_count, fmt, ap);
	va_end(ap);
	return rc;
}

enum mkcsr_err request_note(struct mkcsr_request *req, const char *fmt, ...)
{
	va_list ap;
	enum mkcsr_err rc;

	va_start(ap, fmt);
	rc = add_line(&req->notes, &req->note_count, fmt, ap);
	va_end(ap);
	return rc;
}

void request_clear_names(struct mkcsr_request *req)
{
	for (size_t i = 0; i < req->name_count; i++)
		names_clear(&req->names[i]);
	req->name_count = 0;
	req->names_from_base = false;
}

static enum mkcsr_err append_eku(struct mkcsr_request *req, const char *oid)
{
	char **grown;

	for (size_t i = 0; i < req->eku_count; i++)
		if (strcmp(req->ekus[i], oid) == 0)
			return MKCSR_E_OK;
	grown = realloc(req->ekus, (req->eku_count + 1) * sizeof(*grown));
	if (grown == NULL)
		return err_set(MKCSR_E_NOMEM, "adding a usage");
	req->ekus = grown;
	req->ekus[req->eku_count] = strdup(oid);
	if (req->ekus[req->eku_count] == NULL)
		return err_set(MKCSR_E_NOMEM, "adding a usage");
	req->eku_count++;
	return MKCSR_E_OK;
}

enum mkcsr_err request_init(struct mkcsr_request *req)
{
	memset(req, 0, sizeof(*req));
	keygen_default(&req->key);
	req->app_policies = true;
	req->subject_key_id = true;
	req->ekus_defaulted = true;
	return append_eku(req, OID_SERVER_AUTH);
}

/* Adds a name unless an equal one is there already (duplicates are dropped). */
static enum mkcsr_err add_name(struct mkcsr_request *req, struct mkcsr_name *name, bool first)
{
	struct mkcsr_name *grown;

	for (size_t i = 0; i < req->name_count; i++) {
		if (names_equal(&req->names[i], name)) {
			names_clear(name);
			if (first && i > 0) {
				/* The host goes first even when a --san named it before --host. */
				struct mkcsr_name host = req->names[i];

				memmove(req->names + 1, req->names, i * sizeof(*req->names));
				req->names[0] = host;
			}
			return MKCSR_E_OK;
		}
	}
	grown = realloc(req->names, (req->name_count + 1) * sizeof(*grown));
	if (grown == NULL) {
		names_clear(name);
		return err_set(MKCSR_E_NOMEM, "adding a name");
	}
	req->names = grown;
	if (first) {
		memmove(req->names + 1, req->names, req->name_count * sizeof(*req->names));
		req->names[0] = *name;
	} else {
		req->names[req->name_count] = *name;
	}
	req->name_count++;
	return MKCSR_E_OK;
}

enum mkcsr_err request_set_host(struct mkcsr_request *req, const char *host)
{
	struct mkcsr_name name;
	enum mkcsr_err rc;

	if (req->host != NULL)
		return err_set(MKCSR_E_USAGE, "--host given twice ('%s' and '%s'); add other names with --san",
			       req->host, host);
	rc = names_parse_host(host, &name);
	if (rc != MKCSR_E_OK) {
		names_clear(&name);
		return rc;
	}
	req->host = strdup(name.value);
	if (req->host == NULL) {
		names_clear(&name);
		return err_set(MKCSR_E_NOMEM, "copying the host name");
	}
	return add_name(req, &name, true);
}

enum mkcsr_err request_add_san(struct mkcsr_request *req, const char *spec)
{
	struct mkcsr_name name;
	enum mkcsr_err rc = names_parse_san(spec, &name);

	if (rc != MKCSR_E_OK) {
		names_clear(&name);
		return rc;
	}
	return add_name(req, &name, false);
}

enum mkcsr_err request_set_subject(struct mkcsr_request *req, const char *text)
{
	if (req->subject_given)
		return err_set(MKCSR_E_USAGE, "--subject given twice ('%s'): write all attributes in one --subject", text);
	req->subject_given = true;
	subject_clear(&req->subject);  /* a template's, INF's or old certificate's subject is replaced */
	return subject_parse(text, &req->subject);
}

enum mkcsr_err request_set_key_type(struct mkcsr_request *req, const char *text)
{
	return keygen_parse_type(text, &req->key);
}

enum mkcsr_err request_set_hash(struct mkcsr_request *req, const char *text)
{
	static const char *const hashes[] = { "SHA256", "SHA384", "SHA512" };

	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		if (strcasecmp(hashes[i], text) == 0 ||
		    (strncasecmp(text, "SHA-", 4) == 0 && strcasecmp(hashes[i] + 3, text + 4) == 0)) {
			req->hash = hashes[i];
			return MKCSR_E_OK;
		}
	}
	return err_set(MKCSR_E_BAD_HASH, "'%s'", text);
}

static bool is_dotted_oid(const char *text)
{
	int arcs = 0;

	for (const char *p = text; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)p[1]))
			p++;
		arcs++;
		if (p[1] == '.') {
			if (p[2] == '\0')
				return false;
			p++;
		}
	}
	return arcs >= 2;
}

enum mkcsr_err request_add_eku(struct mkcsr_request *req, const char *text)
{
	const struct oids_eku *eku = oids_eku_by_keyword(text);

	if (eku == NULL) {
		ASN1_OBJECT *obj;

		if (!is_dotted_oid(text))
			return err_set(MKCSR_E_BAD_EKU, "'%s'", text);
		obj = OBJ_txt2obj(text, 1);
		if (obj == NULL)
			return err_set(MKCSR_E_BAD_EKU, "'%s' is not a valid OID", text);
		ASN1_OBJECT_free(obj);
	}
	if (req->ekus_defaulted) {
		for (size_t i = 0; i < req->eku_count; i++)
			free(req->ekus[i]);
		req->eku_count = 0;
		req->ekus_defaulted = false;
	}
	return append_eku(req, eku ? eku->oid : text);
}

enum mkcsr_err request_set_key_usage(struct mkcsr_request *req, const char *text)
{
	const char *p = text;
	unsigned bits = 0;

	while (*p) {
		size_t len = strcspn(p, ",");
		size_t start = 0, end = len;
		bool found = false;

		while (start < end && isspace((unsigned char)p[start]))
			start++;
		while (end > start && isspace((unsigned char)p[end - 1]))
			end--;
		for (unsigned bit = 0; bit < KU_BIT_COUNT_; bit++) {
			if (end - start == strlen(key_usage_names[bit]) &&
			    strncasecmp(p + start, key_usage_names[bit], end - start) == 0) {
				bits |= 1u << bit;
				found = true;
			}
		}
		/* RFC 5280 renamed nonRepudiation; take both names. */
		if (!found && end - start == 17 && strncasecmp(p + start, "contentCommitment", 17) == 0) {
			bits |= 1u << KU_BIT_NON_REPUDIATION;
			found = true;
		}
		if (!found)
			return err_set(MKCSR_E_BAD_KEY_USAGE, "'%.*s' in '%s'", (int)(end - start), p + start, text);
		p += len;
		if (*p == ',')
			p++;
	}
	if (bits == 0)
		return err_set(MKCSR_E_BAD_KEY_USAGE, "'%s' names no usage", text);
	req->key_usage = bits;
	return MKCSR_E_OK;
}

enum mkcsr_err request_finalize(struct mkcsr_request *req)
{
	const char *cn = subject_get(&req->subject, NID_commonName);
	enum mkcsr_err rc;

	if (req->name_count == 0 && cn == NULL)
		return err_set(MKCSR_E_USAGE, "no name to request: give --host NAME (or --san, or a CN in --subject)");
	if (req->hash == NULL)
		req->hash = req->key.hash;

	if (req->minimal) {
		if (!req->ekus_defaulted || req->key_usage != 0)
			return err_set(MKCSR_E_USAGE, "--minimal requests the SAN only, but usages are asked for "
						      "(--eku, --key-usage, or a template or INF file): drop one or the other");
		if (req->name_count == 0)
			return err_set(MKCSR_E_USAGE, "--minimal requests the SAN only, but there is no name for it");
		for (size_t i = 0; i < req->eku_count; i++)
			free(req->ekus[i]);
		req->eku_count = 0;
		req->app_policies = false;
		req->subject_key_id = false;
	}
	if (req->eku_count == 0)
		req->app_policies = false;

	if (req->key.alg == MKCSR_KEY_EC &&
	    (req->key_usage & (1u << KU_BIT_KEY_ENCIPHERMENT | 1u << KU_BIT_DATA_ENCIPHERMENT)))
		return err_set(MKCSR_E_KEY_USAGE_UNFIT, "%s with an ECDSA key",
			       req->key_usage & (1u << KU_BIT_KEY_ENCIPHERMENT) ? "keyEncipherment"
										: "dataEncipherment");
	if (req->key.alg == MKCSR_KEY_RSA && (req->key_usage & (1u << KU_BIT_KEY_AGREEMENT)))
		return err_set(MKCSR_E_KEY_USAGE_UNFIT, "keyAgreement with an RSA key");

	if (cn == NULL && req->host != NULL) {
		if (strlen(req->host) > NAMES_CN_MAX) {
			rc = request_warn(req,
					 "'%s' is %zu characters, longer than the %d a common name may have: it is requested in the SAN only",
					 req->host, strlen(req->host), NAMES_CN_MAX);
		} else {
			rc = subject_prepend(&req->subject, NID_commonName, req->host);
		}
		if (rc != MKCSR_E_OK)
			return rc;
	} else if (req->subject.count == 0) {
		/* certlm allows it, but NPS and many CAs need a subject. */
		rc = request_warn(req, "the subject is empty: NPS and many CAs need one; give --host or a CN in --subject");
		if (rc != MKCSR_E_OK)
			return rc;
	}
	if (req->name_count == 0)
		return request_warn(req, "the request has no subject alternative name: browsers and Windows match names in the SAN, not the CN");
	return MKCSR_E_OK;
}

void request_clear(struct mkcsr_request *req)
{
	if (req == NULL)
		return;
	free(req->host);
	for (size_t i = 0; i < req->name_count; i++)
		names_clear(&req->names[i]);
	free(req->names);
	subject_clear(&req->subject);
	for (size_t i = 0; i < req->eku_count; i++)
		free(req->ekus[i]);
	free(req->ekus);
	for (size_t i = 0; i < req->warning_count; i++)
		free(req->warnings[i]);
	free(req->warnings);
	for (size_t i = 0; i < req->note_count; i++)
		free(req->notes[i]);
	free(req->notes);
	memset(req, 0, sizeof(*req));
}
