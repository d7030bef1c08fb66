#include <config.h>

#include <string.h>

#include "oids.h"
#include "report.h"

static const char *csr_format_text(const struct mkcsr_csr_encoding *enc)
{
	if (enc->format == MKCSR_CSR_DER)
		return "DER";
	if (enc->windows_header)
		return enc->crlf ? "Base64, BEGIN NEW CERTIFICATE REQUEST, CRLF (as certlm writes it)"
				 : "Base64, BEGIN NEW CERTIFICATE REQUEST, LF";
	return enc->crlf ? "Base64, BEGIN CERTIFICATE REQUEST, CRLF" : "Base64, BEGIN CERTIFICATE REQUEST, LF";
}

static const char *eku_display(const char *oid)
{
	const struct oids_eku *eku = oids_eku_by_oid(oid);

	return eku ? eku->display : NULL;
}

/* The base name of a path, for the next-steps text. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void next_steps(const struct mkcsr_new_report *r, char steps[2][512])
{
	snprintf(steps[0], sizeof(steps[0]),
		 "Submit %s to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA's web form.",
		 base_name(r->csr_path));
	snprintf(steps[1], sizeof(steps[1]),
		 r->key_encrypted ? "Keep %s and its passphrase: the certificate is useless without them."
				  : "Keep %s private (it is not encrypted): the certificate is useless without it.",
		 base_name(r->key_path));
}

void report_new_text(FILE *out, const struct mkcsr_new_report *r, bool verbose)
{
	const struct mkcsr_request *req = r->req;
	char steps[2][512];

	fprintf(out, "Created a certificate request%s%s\n", req->host ? " for " : "", req->host ? req->host : "");
	fprintf(out, "  Subject:              %s\n", r->subject[0] ? r->subject : "(empty)");
	fprintf(out, "  Alternative names:    ");
	for (size_t i = 0; i < req->name_count; i++)
		fprintf(out, "%s%s:%s", i ? ", " : "", names_type_label(req->names[i].type), req->names[i].value);
	fprintf(out, "%s\n", req->name_count ? "" : "(none)");
	if (req->key_usage != 0) {
		fprintf(out, "  Key usage (critical): ");
		for (unsigned bit = 0, n = 0; bit < KU_BIT_COUNT_; bit++)
			if (req->key_usage & (1u << bit))
				fprintf(out, "%s%s", n++ ? ", " : "", request_key_usage_name(bit));
		fprintf(out, "\n");
	}
	fprintf(out, "  Enhanced key usage:   ");
	for (size_t i = 0; i < req->eku_count; i++) {
		const char *name = eku_display(req->ekus[i]);

		if (name)
			fprintf(out, "%s%s (%s)", i ? ", " : "", name, req->ekus[i]);
		else
			fprintf(out, "%s%s", i ? ", " : "", req->ekus[i]);
	}
	fprintf(out, "%s\n", req->eku_count ? "" : "(none)");
	if (verbose) {
		fprintf(out, "  Application policies: %s\n", req->app_policies ? "yes, mirroring the EKU" : "no");
		fprintf(out, "  Subject key ID:       %s\n", r->ski_hex[0] ? r->ski_hex : "(none)");
		fprintf(out, "  Microsoft attributes: %s\n", req->ms_attributes ? "enrollment CSP, client info" : "none");
	}
	fprintf(out, "  Key:                  %s, signed with %s\n", r->key_description, r->signature);
	fprintf(out, "  Public key SHA-256:   %s\n", r->spki_sha256);
	fprintf(out, "  Private key file:     %s (PKCS#8 PEM, mode 0600, %s)\n", r->key_path,
		r->key_encrypted ? "encrypted with AES-256" : "not encrypted");
	fprintf(out, "  Request file:         %s (%s)\n", r->csr_path, csr_format_text(&r->csr_encoding));

	next_steps(r, steps);
	fprintf(out, "\nNext steps:\n  1. %s\n  2. %s\n", steps[0], steps[1]);
}

json_t *report_new_json(const struct mkcsr_new_report *r)
{
	const struct mkcsr_request *req = r->req;
	json_t *doc = json_object();
	json_t *names = json_array(), *ekus = json_array(), *usages = json_array(), *warnings = json_array();
	json_t *steps_json = json_array(), *files;
	char steps[2][512];

	for (size_t i = 0; i < req->name_count; i++)
		json_array_append_new(names, json_pack("{s:s, s:s}", "type", names_type_key(req->names[i].type),
						       "value", req->names[i].value));
	for (size_t i = 0; i < req->eku_count; i++) {
		const char *name = eku_display(req->ekus[i]);

		json_array_append_new(ekus, json_pack("{s:s, s:o}", "oid", req->ekus[i], "name",
						      name ? json_string(name) : json_null()));
	}
	for (unsigned bit = 0; bit < KU_BIT_COUNT_; bit++)
		if (req->key_usage & (1u << bit))
			json_array_append_new(usages, json_string(request_key_usage_name(bit)));
	for (size_t i = 0; i < req->warning_count; i++)
		json_array_append_new(warnings, json_string(req->warnings[i]));
	next_steps(r, steps);
	json_array_append_new(steps_json, json_string(steps[0]));
	json_array_append_new(steps_json, json_string(steps[1]));

	json_object_set_new(doc, "host", req->host ? json_string(req->host) : json_null());
	json_object_set_new(doc, "subject", json_string(r->subject));
	json_object_set_new(doc, "names", names);
	json_object_set_new(doc, "key_usage", usages);
	json_object_set_new(doc, "extended_key_usage", ekus);
	json_object_set_new(doc, "application_policies", json_boolean(req->app_policies));
	json_object_set_new(doc, "subject_key_identifier", r->ski_hex[0] ? json_string(r->ski_hex) : json_null());
	json_object_set_new(doc, "ms_attributes", json_boolean(req->ms_attributes));
	json_object_set_new(doc, "key", json_pack("{s:s, s:s, s:s, s:s}", "type", r->key_type, "description",
						   r->key_description, "signature", r->signature, "spki_sha256",
						   r->spki_sha256));
	files = json_pack("{s:{s:s, s:s, s:s, s:b}, s:{s:s, s:s, s:o, s:o}}", "key", "path", r->key_path, "format",
			  "pkcs8-pem", "mode", "0600", "encrypted", r->key_encrypted, "csr", "path", r->csr_path,
			  "format", r->csr_encoding.format == MKCSR_CSR_DER ? "der" : "base64", "header",
			  r->csr_encoding.format == MKCSR_CSR_DER
				  ? json_null()
				  : json_string(r->csr_encoding.windows_header ? "NEW CERTIFICATE REQUEST"
									       : "CERTIFICATE REQUEST"),
			  "eol",
			  r->csr_encoding.format == MKCSR_CSR_DER ? json_null()
								  : json_string(r->csr_encoding.crlf ? "crlf" : "lf"));
	/* JSON strings are UTF-8: a file name that is not cannot be reported, and must not vanish silently. */
	if (files == NULL) {
		json_decref(names);
		json_decref(ekus);
		json_decref(usages);
		json_decref(warnings);
		json_decref(steps_json);
		json_decref(doc);
		return NULL;
	}
	json_object_set_new(doc, "files", files);
	json_object_set_new(doc, "warnings", warnings);
	json_object_set_new(doc, "next_steps", steps_json);
	return doc;
}

bool report_print_json(FILE *out, json_t *doc)
{
	if (doc == NULL || json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		return false;
	return fputc('\n', out) != EOF;
}
