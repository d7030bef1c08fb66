#include <config.h>

#include <ctype.h>

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "display.h"
#include "explain.h"
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

/*
 * Values from files go out as display.h shows them (flags 0); lines mkcsr
 * composed around values already shown (notes, check details) with
 * DISPLAY_GUARD, which escapes whatever control character slipped through.
 */
static void print_shown(FILE *out, const char *s, unsigned flags)
{
	char *shown = display_bytes(s, strlen(s), DISPLAY_UTF8, flags);

	fputs(shown ? shown : "(out of memory)", out);
	free(shown);
}

static json_t *json_shown(const char *s, unsigned flags)
{
	char *shown;
	json_t *value;

	if (s == NULL)
		return json_null();
	shown = display_bytes(s, strlen(s), DISPLAY_UTF8, flags);
	value = shown ? json_string(shown) : NULL;
	free(shown);
	return value;
}

static const char *eku_display(const char *oid)
{
	const struct oids_eku *eku = oids_eku_by_oid(oid);

	return eku ? eku->display : NULL;
}

/*
 * A path for the next-steps text: as the user gave it (-o out names
 * out/NAME.csr), without the "./" of a file in the current directory.
 */
static const char *step_path(const char *path)
{
	return strncmp(path, "./", 2) == 0 && strchr(path + 2, '/') == NULL && path[2] != '\0' ? path + 2 : path;
}

static void next_steps(const struct mkcsr_new_report *r, char steps[2][512])
{
	snprintf(steps[0], sizeof(steps[0]),
		 "Submit %s to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA's web form.",
		 step_path(r->csr_path));
	snprintf(steps[1], sizeof(steps[1]),
		 r->key_encrypted ? "Keep %s and its passphrase: the certificate is useless without them."
				  : "Keep %s private (it is not encrypted): the certificate is useless without it.",
		 step_path(r->key_path));
}

void report_new_text(FILE *out, const struct mkcsr_new_report *r, bool verbose)
{
	const struct mkcsr_request *req = r->req;
	char steps[2][512];

	fprintf(out, "Created a certificate request%s", req->host ? " for " : "");
	print_shown(out, req->host ? req->host : "", 0);
	fputc('\n', out);
	fprintf(out, "  Subject:              %s\n", r->subject[0] ? r->subject : "(empty subject)");
	fprintf(out, "  Alternative names:    ");
	for (size_t i = 0; i < req->name_count; i++) {
		fprintf(out, "%s%s:", i ? ", " : "", names_type_label(req->names[i].type));
		print_shown(out, req->names[i].value, 0);
	}
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
	if (r->inf_path != NULL)
		fprintf(out, "  certreq INF file:     %s\n", r->inf_path);
	if (req->role != NULL)
		fprintf(out, "  Role:                 %s (marked in the key file for mkcsr check and pfx)\n", req->role);
	if (req->note_count > 0) {
		fprintf(out, "\nNotes:\n");
		for (size_t i = 0; i < req->note_count; i++) {
			fputs("  - ", out);
			print_shown(out, req->notes[i], DISPLAY_GUARD);
			fputc('\n', out);
		}
	}

	next_steps(r, steps);
	fprintf(out, "\nNext steps:\n  1. %s\n  2. %s\n", steps[0], steps[1]);
}

json_t *report_new_json(const struct mkcsr_new_report *r)
{
	const struct mkcsr_request *req = r->req;
	json_t *doc = json_object();
	json_t *names = json_array(), *ekus = json_array(), *usages = json_array(), *warnings = json_array();
	json_t *steps_json = json_array(), *notes = json_array(), *files;
	char steps[2][512];

	for (size_t i = 0; i < req->name_count; i++)
		json_array_append_new(names, json_pack("{s:s, s:o}", "type", names_type_key(req->names[i].type),
						       "value", json_shown(req->names[i].value, 0)));
	for (size_t i = 0; i < req->eku_count; i++) {
		const char *name = eku_display(req->ekus[i]);

		json_array_append_new(ekus, json_pack("{s:s, s:o}", "oid", req->ekus[i], "name",
						      name ? json_string(name) : json_null()));
	}
	for (unsigned bit = 0; bit < KU_BIT_COUNT_; bit++)
		if (req->key_usage & (1u << bit))
			json_array_append_new(usages, json_string(request_key_usage_name(bit)));
	for (size_t i = 0; i < req->warning_count; i++)
		json_array_append_new(warnings, json_shown(req->warnings[i], DISPLAY_GUARD));
	for (size_t i = 0; i < req->note_count; i++)
		json_array_append_new(notes, json_shown(req->notes[i], DISPLAY_GUARD));
	next_steps(r, steps);
	json_array_append_new(steps_json, json_string(steps[0]));
	json_array_append_new(steps_json, json_string(steps[1]));

	json_object_set_new(doc, "host", json_shown(req->host, 0));
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
		json_decref(notes);
		json_decref(doc);
		return NULL;
	}
	json_object_set_new(doc, "files", files);
	json_object_set_new(doc, "warnings", warnings);
	json_object_set_new(doc, "notes", notes);
	json_object_set_new(doc, "role", req->role ? json_string(req->role) : json_null());
	json_object_set_new(doc, "inf_file", r->inf_path ? json_string(r->inf_path) : json_null());
	json_object_set_new(doc, "next_steps", steps_json);
	return doc;
}

bool report_print_json(FILE *out, json_t *doc)
{
	if (doc == NULL || json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		return false;
	return fputc('\n', out) != EOF;
}

/* ---- mkcsr check ------------------------------------------------------------ */

const char *report_status_label(enum mkcsr_check_status status)
{
	switch (status) {
	case MKCSR_CHECK_PASS: return "PASS";
	case MKCSR_CHECK_WARN: return "WARN";
	case MKCSR_CHECK_FAIL: return "FAIL";
	case MKCSR_CHECK_SKIP: return "SKIP";
	}
	return "?";
}

/* Key, request and name all skipped: nothing ties the certificate to this server. */
static bool nothing_tied(const struct mkcsr_check_report *r)
{
	return r->items[MKCSR_CHECK_KEY].status == MKCSR_CHECK_SKIP &&
	       r->items[MKCSR_CHECK_REQUEST].status == MKCSR_CHECK_SKIP &&
	       r->items[MKCSR_CHECK_NAME].status == MKCSR_CHECK_SKIP;
}

static const char *result_text(enum mkcsr_exit code, const struct mkcsr_check_report *r)
{
	if (code == MKCSR_EXIT_OK && nothing_tied(r))
		return "nothing failed, but nothing was checked about the key or the name: give --key, and --host or --csr";
	switch (code) {
	case MKCSR_EXIT_OK: return "fit for the role";
	case MKCSR_EXIT_MISMATCH: return "the key and the certificate do not belong together";
	case MKCSR_EXIT_FAILED: return "the certificate fails a requirement";
	case MKCSR_EXIT_EXPIRING: return "valid, but expiring within the warning window";
	default: return "not checked";
	}
}

void report_check_text(FILE *out, const struct mkcsr_check_report *r, bool verbose)
{
	X509 *leaf = chain_x509(r->leaf);
	char subject[512], issuer[512], from[40], to[40], thumb[41], code[96];
	enum mkcsr_exit exit_code = check_exit_code(r);
	unsigned fails = 0, warns = 0;

	pfx_thumbprint(leaf, thumb);
	fprintf(out, "Certificate: %s (%s)\n", chain_name_text(X509_get_subject_name(leaf), subject, sizeof(subject)),
		r->leaf->source);
	fprintf(out, "  Issuer:     %s\n", chain_name_text(X509_get_issuer_name(leaf), issuer, sizeof(issuer)));
	fprintf(out, "  Valid:      %s to %s\n", chain_time_text(X509_get0_notBefore(leaf), from, sizeof(from)),
		chain_time_text(X509_get0_notAfter(leaf), to, sizeof(to)));
	fprintf(out, "  Thumbprint: %s\n", thumb);
	fprintf(out, "  Role:       %s (%s)%s", check_role_key(r->role), check_role_description(r->role),
		r->host[0] ? ", host " : "");
	print_shown(out, r->host, 0);
	fputc('\n', out);
	if (r->note[0] != '\0') {
		fputs("  Note:       ", out);
		print_shown(out, r->note, DISPLAY_GUARD);
		fputc('\n', out);
	}
	if (verbose) {
		for (int i = 0; r->path && i < sk_X509_num(r->path); i++)
			fprintf(out, "  Chain %d:    %s\n", i,
				chain_name_text(X509_get_subject_name(sk_X509_value(r->path, i)), subject, sizeof(subject)));
	}
	fprintf(out, "\n");
	for (int i = 0; i < MKCSR_CHECK_COUNT_; i++) {
		const struct mkcsr_check_item *item = &r->items[i];

		fails += item->status == MKCSR_CHECK_FAIL;
		warns += item->status == MKCSR_CHECK_WARN;
		fprintf(out, "  %s  %-10s  ", report_status_label(item->status), check_id_key(i));
		print_shown(out, item->detail, DISPLAY_GUARD);
		fputc('\n', out);
		if (item->win_code != 0 && item->status != MKCSR_CHECK_PASS && item->status != MKCSR_CHECK_SKIP)
			fprintf(out, "        %-10s  Windows: %s\n", "", winerr_format(item->win_code, code, sizeof(code)));
	}
	fprintf(out, "\nResult: %s (%u failed, %u warning%s; exit %d)\n", result_text(exit_code, r), fails, warns,
		warns == 1 ? "" : "s", exit_code);
}

/* "2027-06-01T00:00:00Z", as "at" and inspect --json write it: JSON readers get one date format. */
static const char *iso_time(const ASN1_TIME *t, char *buf, size_t size)
{
	return chain_time_json(t, buf, size);
}

static json_t *win_code_json(uint32_t code)
{
	const struct winerr *e = winerr_lookup(code);
	char hex[16];

	if (code == 0)
		return json_null();
	snprintf(hex, sizeof(hex), "0x%08X", code);
	return json_pack("{s:s, s:s, s:I}", "name", e ? e->symbol : "unknown", "hex", hex, "decimal",
			 (json_int_t)((code & 0x80000000u) ? (int32_t)code : (json_int_t)code));
}

static int count_status(const struct mkcsr_check_report *r, enum mkcsr_check_status status)
{
	int n = 0;

	for (int i = 0; i < MKCSR_CHECK_COUNT_; i++)
		n += r->items[i].status == status;
	return n;
}

static json_t *epoch_json(time_t t, bool known)
{
	char buf[32];

	if (!known)
		return json_null();
	return json_string(chain_epoch_json(t, buf, sizeof(buf)));
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

json_t *report_revocation_json(const struct mkcsr_revocation_result *r)
{
	json_t *sources = json_array();

	for (size_t i = 0; sources != NULL && i < r->count; i++) {
		const struct mkcsr_revocation_source *s = &r->sources[i];
		bool revoked = s->status == MKCSR_REVOCATION_REVOKED;
		char text[600];

		json_array_append_new(
			sources,
			json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "certificate", s->certificate,
				  "depth", s->depth, "kind", revocation_kind_key(s->kind), "url", s->url, "status",
				  revocation_status_key(s->status), "text", revocation_source_text(s, text, sizeof(text)),
				  "detail", text_or_null(s->detail), "this_update", epoch_json(s->this_update, s->this_update != 0),
				  "next_update", epoch_json(s->next_update, s->has_next_update), "revoked_at",
				  epoch_json(s->revoked_at, revoked), "reason", revoked ? text_or_null(s->reason) : json_null(),
				  "proxy", text_or_null(s->proxy)));
	}
	return json_pack("{s:s, s:o}", "verdict", revocation_verdict_key(r->verdict), "sources", sources);
}

json_t *report_check_json(const struct mkcsr_check_report *r)
{
	X509 *leaf = chain_x509(r->leaf);
	json_t *doc = json_object(), *checks = json_array(), *chain = json_array();
	char subject[512], issuer[512], from[40], to[40], thumb[41];
	enum mkcsr_exit exit_code = check_exit_code(r);
	char at[32];

	pfx_thumbprint(leaf, thumb);
	chain_epoch_json(r->at, at, sizeof(at));
	for (int i = 0; i < MKCSR_CHECK_COUNT_; i++) {
		const struct mkcsr_check_item *item = &r->items[i];

		json_array_append_new(checks, json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", check_id_key(i), "title",
							check_id_title(i), "status", check_status_key(item->status),
							"detail", json_shown(item->detail, DISPLAY_GUARD), "windows_code",
							item->status == MKCSR_CHECK_PASS || item->status == MKCSR_CHECK_SKIP
								? json_null()
								: win_code_json(item->win_code)));
	}
	/* With --revocation fetch, the revocation check also says what each source answered. */
	if (r->revocation_mode == MKCSR_REVOCATION_FETCH) {
		json_t *item = json_array_get(checks, MKCSR_CHECK_REVOCATION);

		json_object_update_new(item, report_revocation_json(&r->revocation));
	}
	for (int i = 0; r->path && i < sk_X509_num(r->path); i++)
		json_array_append_new(chain, json_string(chain_name_text(X509_get_subject_name(sk_X509_value(r->path, i)),
									  subject, sizeof(subject))));
	json_object_set_new(
		doc, "certificate",
		json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "file", r->leaf->source, "subject",
			  chain_name_text(X509_get_subject_name(leaf), subject, sizeof(subject)), "issuer",
			  chain_name_text(X509_get_issuer_name(leaf), issuer, sizeof(issuer)), "not_before",
			  iso_time(X509_get0_notBefore(leaf), from, sizeof(from)), "not_after",
			  iso_time(X509_get0_notAfter(leaf), to, sizeof(to)), "thumbprint", thumb, "days_left",
			  (json_int_t)r->days_left));
	json_object_set_new(doc, "role", json_string(check_role_key(r->role)));
	json_object_set_new(doc, "host", json_shown(r->host[0] ? r->host : NULL, 0));
	json_object_set_new(doc, "at", json_string(at));
	json_object_set_new(doc, "note", json_shown(r->note[0] ? r->note : NULL, DISPLAY_GUARD));
	json_object_set_new(doc, "chain", chain);
	json_object_set_new(doc, "checks", checks);
	json_object_set_new(doc, "result", json_pack("{s:i, s:s, s:i, s:i, s:i, s:i}", "exit_code", exit_code, "summary",
						     result_text(exit_code, r), "passed", count_status(r, MKCSR_CHECK_PASS),
						     "warned", count_status(r, MKCSR_CHECK_WARN), "failed",
						     count_status(r, MKCSR_CHECK_FAIL), "skipped",
						     count_status(r, MKCSR_CHECK_SKIP)));
	if (json_object_size(doc) != 8 || json_object_get(doc, "certificate") == NULL ||
	    json_object_get(doc, "result") == NULL) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* ---- mkcsr pfx -------------------------------------------------------------- */

/*
 * What to run on the Windows server: the import, then what binds the
 * certificate to the role's service.  Text and JSON print these very
 * lines; each returns how many it wrote into lines.
 */
#define PFX_STEP_LINE 768

static size_t pfx_import_steps(const struct mkcsr_pfx_report *r, char lines[][PFX_STEP_LINE])
{
	snprintf(lines[0], PFX_STEP_LINE, "$password = Read-Host -AsSecureString -Prompt 'PFX password'");
	snprintf(lines[1], PFX_STEP_LINE, "Import-PfxCertificate -FilePath .\\%s -CertStoreLocation Cert:\\%s\\My -Password $password",
		 strrchr(r->path, '/') ? strrchr(r->path, '/') + 1 : r->path,
		 r->role == MKCSR_ROLE_CLIENT ? "CurrentUser" : "LocalMachine");
	return 2;
}

static size_t pfx_bind_steps(const struct mkcsr_pfx_report *r, char lines[][PFX_STEP_LINE])
{
	if (r->role == MKCSR_ROLE_SSTP) {
		snprintf(lines[0], PFX_STEP_LINE, "$cert = Get-ChildItem Cert:\\LocalMachine\\My\\%s", r->thumbprint);
		snprintf(lines[1], PFX_STEP_LINE, "Set-RemoteAccess -SslCertificate $cert");
		snprintf(lines[2], PFX_STEP_LINE, "Restart-Service RemoteAccess -PassThru");
		return 3;
	}
	if (r->role == MKCSR_ROLE_IKEV2) {
		snprintf(lines[0], PFX_STEP_LINE,
			 "Restart-Service RemoteAccess -PassThru   # IKEv2 picks the certificate up from LocalMachine\\My");
		return 1;
	}
	return 0;
}

/* The step no PowerShell cmdlet does, or NULL. */
static const char *pfx_console_step(const struct mkcsr_pfx_report *r, char *buf, size_t size)
{
	if (r->role != MKCSR_ROLE_NPS)
		return NULL;
	snprintf(buf, size, "Then in the NPS console: Policies > Network Policies > (the VPN policy) > Constraints >\n"
		 "Authentication Methods > Microsoft: Protected EAP (PEAP) > Edit, and choose the\n"
		 "certificate with thumbprint %s.", r->thumbprint);
	return buf;
}

void report_pfx_text(FILE *out, const struct mkcsr_pfx_report *r)
{
	char lines[4][PFX_STEP_LINE], console[PFX_STEP_LINE];
	size_t n;

	fprintf(out, "Created %s\n", r->path);
	fprintf(out, "  Certificate:    %s\n", r->subject);
	fprintf(out, "  Thumbprint:     %s\n", r->thumbprint);
	fputs("  Friendly name:  ", out);
	print_shown(out, r->friendly_name, 0);
	fputc('\n', out);
	if (r->ca_count == 0)
		fprintf(out, "  Contents:       certificate, private key\n");
	else
		fprintf(out, "  Contents:       certificate, private key and %zu CA certificate%s%s\n", r->ca_count,
			r->ca_count == 1 ? "" : "s", r->root_included ? " (root included)" : "");
	fputs("  Key provider:   ", out);
	print_shown(out, r->provider ? r->provider : "(not named)", 0);
	fprintf(out, "%s\n", r->machine_keyset ? ", machine key set" : "");
	fprintf(out, "  Encryption:     %s (profile %s)\n", pfx_profile_algorithms(r->profile), pfx_profile_key(r->profile));
	fprintf(out, "  Imports on:     %s\n", pfx_profile_windows(r->profile));
	if (r->repacked_from)
		fprintf(out, "  Re-packed from: %s (which imports on %s)\n", r->repacked_from,
			pfx_profile_windows(r->repacked_windows));
	if (r->password_file)
		fprintf(out, "  Password:       generated, in %s (mode 0600)\n", r->password_file);
	if (r->overridden[0])
		fprintf(out, "  Overridden:     %s (--force)\n", r->overridden);
	if (r->note_count > 0) {
		fprintf(out, "\nNotes:\n");
		for (size_t i = 0; i < r->note_count; i++) {
			fputs("  - ", out);
			print_shown(out, r->notes[i], DISPLAY_GUARD);
			fputc('\n', out);
		}
	}

	fprintf(out, "\nOn the Windows server, in an elevated PowerShell:\n");
	n = pfx_import_steps(r, lines);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %s\n", lines[i]);
	n = pfx_bind_steps(r, lines);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %s\n", lines[i]);
	if (pfx_console_step(r, console, sizeof(console)) != NULL)
		fprintf(out, "%s\n", console);
}

static json_t *string_array(const char lines[][PFX_STEP_LINE], size_t n)
{
	json_t *array = json_array();

	for (size_t i = 0; array != NULL && i < n; i++)
		json_array_append_new(array, json_string(lines[i]));
	return array;
}

static json_t *note_array(const char notes[][1024], size_t n)
{
	json_t *array = json_array();

	for (size_t i = 0; array != NULL && i < n; i++)
		json_array_append_new(array, json_shown(notes[i], DISPLAY_GUARD));
	return array;
}

/* powershell_import, powershell_bind and console_step: the text's steps, line for line. */
static json_t *pfx_steps_json(const struct mkcsr_pfx_report *r, json_t *doc)
{
	char lines[4][PFX_STEP_LINE], console[PFX_STEP_LINE];
	size_t n;

	if (doc == NULL)
		return NULL;
	n = pfx_import_steps(r, lines);
	json_object_set_new(doc, "powershell_import", string_array(lines, n));
	n = pfx_bind_steps(r, lines);
	json_object_set_new(doc, "powershell_bind", string_array(lines, n));
	json_object_set_new(doc, "console_step",
			    pfx_console_step(r, console, sizeof(console)) ? json_string(console) : json_null());
	json_object_set_new(doc, "repacked_from",
			    r->repacked_from ? json_pack("{s:s, s:s}", "file", r->repacked_from, "imports_on",
							 pfx_profile_windows(r->repacked_windows))
					     : json_null());
	json_object_set_new(doc, "warnings", note_array(r->warnings, r->warning_count));
	json_object_set_new(doc, "notes", note_array(r->notes, r->note_count));
	return doc;
}

/* "validity, usage" as ["validity", "usage"]. */
static json_t *overridden_json(const char *list)
{
	json_t *array = json_array();

	while (list != NULL && *list != '\0') {
		size_t len = strcspn(list, ",");

		json_array_append_new(array, json_stringn(list, len));
		list += len;
		list += strspn(list, ", ");
	}
	return array;
}

json_t *report_pfx_json(const struct mkcsr_pfx_report *r)
{
	json_t *doc = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:b, s:I, s:b, s:s, s:s, s:o, s:s, s:s, s:o}", "file", r->path,
				"subject", r->subject, "thumbprint", r->thumbprint, "friendly_name", json_shown(r->friendly_name, 0),
				"profile", pfx_profile_key(r->profile), "provider",
				json_shown(r->provider, 0), "machine_keyset", r->machine_keyset,
				"ca_certificates", (json_int_t)r->ca_count, "root_included", r->root_included, "encryption",
				pfx_profile_algorithms(r->profile), "imports_on", pfx_profile_windows(r->profile),
				"password_file", r->password_file ? json_string(r->password_file) : json_null(), "role",
				check_role_key(r->role), "store",
				r->role == MKCSR_ROLE_CLIENT ? "Cert:\\CurrentUser\\My" : "Cert:\\LocalMachine\\My",
				"overridden", overridden_json(r->overridden));

	return pfx_steps_json(r, doc);
}

/* ---- mkcsr explain ---------------------------------------------------------- */

static void explain_entry_text(FILE *out, const struct winerr *e)
{
	fprintf(out, "  Meaning:    %s\n", e->meaning);
	if (e->cause[0])
		fprintf(out, "  Usual cause in Always On VPN: %s\n", e->cause);
	if (e->fix[0])
		fprintf(out, "  Fix:        %s\n", e->fix);
	if (e->detect[0])
		fprintf(out, "  mkcsr:      %s\n", e->detect);
}

/* The pasted text a code was found in, controls escaped, cut after 240 characters. */
static void explain_source_text(FILE *out, const char *text)
{
	size_t i = 0;

	while (isspace((unsigned char)*text))
		text++;
	fprintf(out, "  Found in:   ");
	for (; text[i] != '\0' && i < 240; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch < 0x20 || ch == 0x7f)
			fprintf(out, "\\x%02X", ch);
		else
			fputc(ch, out);
	}
	fprintf(out, "%s\n", text[i] != '\0' ? "..." : "");
}

static void explain_fields_text(FILE *out, const struct mkcsr_code *c)
{
	const char *facility = c->kind == EXPLAIN_NTSTATUS ? explain_nt_facility_name(c->facility)
							     : explain_facility_name(c->facility);
	const char *open = facility[0] ? " (" : "", *close = facility[0] ? ")" : "";

	switch (c->kind) {
	case EXPLAIN_WIN32:
		fprintf(out, "  Decimal:    %lu\n", (unsigned long)c->value);
		fprintf(out, "  Fields:     a Win32 or RAS error number, not an HRESULT; as an HRESULT: 0x%08X\n",
			c->value == 0 ? 0u : 0x80070000u | c->value); /* HRESULT_FROM_WIN32(0) is S_OK */
		break;
	case EXPLAIN_HRESULT:
		if (c->hresult)
			fprintf(out, "  Decimal:    %ld (signed, as event logs print it), %lu (unsigned)\n",
				(long)(int32_t)c->value, (unsigned long)c->value);
		else
			fprintf(out, "  Decimal:    %lu\n", (unsigned long)c->value);
		fprintf(out, "  Fields:     severity %u (%s), facility %u%s%s%s, code 0x%04X (%u)\n", c->severity,
			c->hresult ? "failure" : "success or information", c->facility, open, facility, close, c->code,
			c->code);
		break;
	case EXPLAIN_NTSTATUS:
		fprintf(out, "  Decimal:    %ld (signed, as event logs print it), %lu (unsigned)\n", (long)(int32_t)c->value,
			(unsigned long)c->value);
		fprintf(out, "  Fields:     an NTSTATUS: severity %u (error), customer %u, facility %u%s%s%s, code 0x%04X (%u)\n",
			c->severity, (unsigned)c->customer, c->facility, open, facility, close, c->code, c->code);
		break;
	}
}

void report_explain_text(FILE *out, const struct mkcsr_code *c)
{
	/* As given, unless it was found in a longer text, which gets its own line. */
	const char *as_given = c->in_text ? c->found : c->input;
	bool wraps_win32 = (c->hresult && c->facility == EXPLAIN_FACILITY_WIN32) ||
			   (c->kind == EXPLAIN_NTSTATUS && c->facility == EXPLAIN_NT_FACILITY_NTWIN32 && !c->customer);

	/* A code that is not in the table but wraps a Win32 code that is: named after that code. */
	if (c->entry == NULL && c->wrapped != NULL)
		fprintf(out, "%s(%s) (%s)\n", c->kind == EXPLAIN_NTSTATUS ? "NTSTATUS_FROM_WIN32" : "HRESULT_FROM_WIN32",
			c->wrapped->symbol, as_given);
	else
		fprintf(out, "%s (%s)\n", c->entry ? c->entry->symbol : "not in the table", as_given);
	if (c->in_text)
		explain_source_text(out, c->input);
	fprintf(out, "  Hex:        0x%08X\n", c->value);
	explain_fields_text(out, c);
	if (c->entry != NULL)
		explain_entry_text(out, c->entry);
	if (c->wrapped != NULL) {
		fprintf(out, "  Wraps:      Win32 error %u, %s\n", c->code, c->wrapped->symbol);
		explain_entry_text(out, c->wrapped);
	} else if (wraps_win32) {
		fprintf(out, "  Wraps:      Win32 error %u (not in the table)\n", c->code);
	}
	if (c->entry == NULL && c->wrapped == NULL)
		fprintf(out, "  Meaning:    not in the table: the fields above are decoded from the number alone\n");
}

static json_t *explain_entry_json(const struct winerr *e)
{
	if (e == NULL)
		return json_null();
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "symbol", e->symbol, "meaning", e->meaning, "cause",
			 e->cause[0] ? json_string(e->cause) : json_null(), "fix", e->fix[0] ? json_string(e->fix) : json_null(),
			 "mkcsr", e->detect[0] ? json_string(e->detect) : json_null());
}

static const char *explain_kind_name(enum mkcsr_code_kind kind)
{
	return kind == EXPLAIN_WIN32 ? "win32" : kind == EXPLAIN_NTSTATUS ? "ntstatus" : "hresult";
}

/* The fields the text's "Fields:" line decodes: null for a Win32 number, numbers otherwise. */
static json_t *explain_facility_json(const struct mkcsr_code *c)
{
	const char *name = c->kind == EXPLAIN_NTSTATUS ? explain_nt_facility_name(c->facility)
						       : explain_facility_name(c->facility);

	if (c->kind == EXPLAIN_WIN32)
		return json_null();
	return json_pack("{s:i, s:o}", "number", c->facility, "name", name[0] ? json_string(name) : json_null());
}

json_t *report_explain_json(const struct mkcsr_code *c)
{
	char hex[16];
	bool wraps_win32 = (c->hresult && c->facility == EXPLAIN_FACILITY_WIN32) ||
			   (c->kind == EXPLAIN_NTSTATUS && c->facility == EXPLAIN_NT_FACILITY_NTWIN32 && !c->customer);
	bool fields = c->kind != EXPLAIN_WIN32;

	snprintf(hex, sizeof(hex), "0x%08X", c->value);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:o, s:o, s:o, s:I, s:b, s:o, s:o}", "input", c->input,
			 "found", c->found, "kind", explain_kind_name(c->kind), "hex", hex, "signed",
			 (json_int_t)(int32_t)c->value, "unsigned", (json_int_t)c->value, "hresult", c->hresult,
			 "severity", fields ? json_integer(c->severity) : json_null(), "customer",
			 fields ? json_boolean(c->customer) : json_null(), "facility", explain_facility_json(c), "code",
			 (json_int_t)(fields ? c->code : c->value), "in_table", c->entry != NULL || c->wrapped != NULL,
			 "entry", explain_entry_json(c->entry), "wraps",
			 wraps_win32 ? json_pack("{s:i, s:o}", "win32", c->code, "entry", explain_entry_json(c->wrapped))
				     : json_null());
}

/* ---- shared with report_probe.c ---------------------------------------------- */

json_t *report_win_code_json(uint32_t code)
{
	return win_code_json(code);
}

const char *report_iso_time(const ASN1_TIME *t, char *buf, size_t size)
{
	return iso_time(t, buf, size);
}
