/*
 * mkcsr inspect FILE...: what each file holds, told by its content, with
 * what a Windows administrator looks for in it.  inspect.c makes one JSON
 * document per file; --json prints them, as an array, and the text is
 * rendered from the very same documents.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "check.h"
#include "cli.h"
#include "display.h"
#include "commands.h"
#include "inspect.h"
#include "report.h"
#include "secret.h"

/*
 * The text renderer is generic over the JSON document rather than one
 * renderer per file type, so that the two outputs cannot disagree: every
 * member is printed, in document order, except null ones (null means
 * absent: no such extension, no passphrase to decrypt with).  The table
 * below only says how a member reads, its label and for a few a format;
 * a member missing from the table is printed under its own key, never
 * dropped.  The shapes are generic too:
 *   - an array: one element a line ("(none)" when empty);
 *   - {"oid", "name"}: "name (oid)"; {"type", "value"}: "DNS:value";
 *   - an object with "critical" (an extension): "Label (critical):" then
 *     its other member, or its other members on one line;
 *   - any other object: an indented block of its own;
 *   - a section (certificates, keys, safes, bags, the request, the key):
 *     a heading such as "Certificate 1 of 3 (leaf)", its "kind" in
 *     brackets, and its members indented under it.
 */
enum field_format {
	FMT_PLAIN,
	FMT_SECTION,   /* an object or an array of objects with a heading each */
	FMT_DAYS,      /* -3: "expired 3 days ago" */
	FMT_TIME,      /* "2027-06-01T00:00:00Z": "2027-06-01 00:00:00 UTC", as check writes it */
	FMT_BITS,      /* 256: "256 bits" */
	FMT_TYPE,      /* "csr": "certificate request (PKCS#10)" */
	FMT_WORDS,     /* an array of short strings, on one line: "digitalSignature, keyEncipherment" */
};

struct field {
	const char *key;
	const char *label;
	enum field_format format;
};

static const struct field fields[] = {
	/* every file */
	{ "file", "File", FMT_PLAIN },
	{ "type", "Type", FMT_TYPE },
	{ "format", "Format", FMT_PLAIN },
	{ "other_pem_blocks", "Other PEM blocks (not shown)", FMT_WORDS },
	{ "describes", "Describes", FMT_PLAIN },
	/* files of several certificates, and PFX files */
	{ "mac", "Integrity check (MAC)", FMT_PLAIN },
	{ "mac_iterations", "MAC iterations", FMT_PLAIN },
	{ "imports_on", "Imports on", FMT_PLAIN },
	{ "mkcsr_profile", "Same as mkcsr pfx --profile", FMT_PLAIN },
	{ "openssl_note", "OpenSSL", FMT_PLAIN },
	{ "protection_note", "Protection", FMT_PLAIN },
	{ "key_count", "Private keys", FMT_PLAIN },
	{ "certificate_count", "Certificates", FMT_PLAIN },
	{ "in_file_order", "In chain order in the file", FMT_PLAIN },
	{ "chain_complete", "Chain ends at a root", FMT_PLAIN },
	/* sections */
	{ "request", "Certificate request", FMT_SECTION },
	{ "certificates", "Certificate", FMT_SECTION },
	{ "keys", "Private key", FMT_SECTION },
	{ "key", "Private key", FMT_SECTION },
	{ "safes", "Safe", FMT_SECTION },
	{ "bags", "Bag", FMT_SECTION },
	/* certificates and requests */
	{ "file_position", "Position in the file", FMT_PLAIN },
	{ "subject", "Subject", FMT_PLAIN },
	{ "issuer", "Issuer", FMT_PLAIN },
	{ "serial_number", "Serial number", FMT_PLAIN },
	{ "not_before", "Valid from", FMT_TIME },
	{ "not_after", "Valid to", FMT_TIME },
	{ "status", "Status", FMT_PLAIN },
	{ "days_left", "Days left", FMT_DAYS },
	{ "thumbprint", "Thumbprint (SHA-1)", FMT_PLAIN },
	{ "sha256_fingerprint", "SHA-256 fingerprint", FMT_PLAIN },
	{ "key_algorithm", "Key algorithm", FMT_PLAIN },
	{ "key_size", "Key size", FMT_BITS },
	{ "key_curve", "Key curve", FMT_PLAIN },
	{ "spki_sha256", "Public key SHA-256", FMT_PLAIN },
	{ "signature_algorithm", "Signature algorithm", FMT_PLAIN },
	{ "signature_hash", "Signature hash", FMT_PLAIN },
	{ "signature_verifies", "Signature verifies", FMT_PLAIN },
	{ "self_signed", "Self-signed", FMT_PLAIN },
	{ "subject_alt_names", "Alternative names", FMT_PLAIN },
	{ "key_usage", "Key usage", FMT_PLAIN },
	{ "usages", "Usages", FMT_WORDS },
	{ "extended_key_usage", "Enhanced key usage", FMT_PLAIN },
	{ "application_policies", "Application policies", FMT_PLAIN },
	{ "basic_constraints", "Basic constraints", FMT_PLAIN },
	{ "ca", "CA", FMT_PLAIN },
	{ "path_length", "path length", FMT_PLAIN },
	{ "subject_key_identifier", "Subject key ID", FMT_PLAIN },
	{ "authority_key_identifier", "Authority key ID", FMT_PLAIN },
	{ "crl_distribution_points", "CRL distribution points", FMT_PLAIN },
	{ "ocsp", "OCSP", FMT_PLAIN },
	{ "ca_issuers", "CA issuers", FMT_PLAIN },
	{ "certificate_template_name", "Certificate template", FMT_PLAIN },
	{ "certificate_template", "Certificate template OID", FMT_PLAIN },
	{ "certificate_template_version", "Template version", FMT_PLAIN },
	{ "other_extensions", "Other extensions", FMT_PLAIN },
	{ "in_chain", "In certificate 1's chain", FMT_PLAIN },
	{ "private_key_in_file", "Private key in the file", FMT_PLAIN },
	{ "signed_by_next", "Signed by the next", FMT_PLAIN },
	/* Microsoft request attributes */
	{ "os_version", "OS version", FMT_PLAIN },
	{ "os_release", "Windows release", FMT_PLAIN },
	{ "client_info", "Client info", FMT_PLAIN },
	{ "client_id", "Client ID", FMT_PLAIN },
	{ "client_id_name", "Client ID name", FMT_PLAIN },
	{ "machine", "Machine", FMT_PLAIN },
	{ "user", "User", FMT_PLAIN },
	{ "process", "Process", FMT_PLAIN },
	{ "enrollment_csp", "Enrollment CSP", FMT_PLAIN },
	{ "key_spec", "Key spec", FMT_PLAIN },
	{ "key_spec_name", "Key spec name", FMT_PLAIN },
	{ "provider", "Provider", FMT_PLAIN },
	{ "signature_bits", "Signature bits", FMT_PLAIN },
	{ "other_attributes", "Other attributes", FMT_PLAIN },
	/* keys, safes and bags */
	{ "encrypted", "Encrypted", FMT_PLAIN },
	{ "encryption", "Encryption", FMT_PLAIN },
	{ "iterations", "Iterations", FMT_PLAIN },
	{ "file_mode", "File mode", FMT_PLAIN },
	{ "role", "mkcsr role", FMT_PLAIN },
	{ "note", "Note", FMT_PLAIN },
	{ "matches_certificate", "Matches certificate", FMT_PLAIN },
	{ "bag_count", "Bags", FMT_PLAIN },
	{ "safe", "Safe", FMT_PLAIN },
	{ "certificate", "Certificate", FMT_PLAIN },
	{ "friendly_name", "Friendly name", FMT_PLAIN },
	{ "local_key_id", "Local key ID", FMT_PLAIN },
	{ "csp_name", "CSP name", FMT_PLAIN },
	{ "machine_keyset", "Machine key set", FMT_PLAIN },
	/* which PFX bag carries which friendlyName */
	{ "friendly_names", "Friendly names", FMT_PLAIN },
	{ "bag", "Bag", FMT_PLAIN },
	{ "bag_kind", "kind", FMT_PLAIN },
	{ "windows_use", "On import", FMT_PLAIN },
	/* certreq INF files */
	{ "warnings", "Warnings", FMT_PLAIN },
	{ "notes", "Notes", FMT_PLAIN },
};

/* Values start in this column, labels longer than that take one space. */
#define VALUE_COLUMN 32

#define FIELD_COUNT (sizeof(fields) / sizeof(fields[0]))

static int field_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct field *const *)a)->key, (*(const struct field *const *)b)->key);
}

/* Looked up for every member of every certificate: a bundle of thousands asks a million times. */
static const struct field *field_for(const char *key)
{
	static const struct field *sorted[FIELD_COUNT];
	static bool ready;
	const struct field probe = { .key = key }, *wanted = &probe, *const *found;

	if (!ready) {
		for (size_t i = 0; i < FIELD_COUNT; i++)
			sorted[i] = &fields[i];
		qsort(sorted, FIELD_COUNT, sizeof(sorted[0]), field_cmp);
		ready = true;
	}
	found = bsearch(&wanted, sorted, FIELD_COUNT, sizeof(sorted[0]), field_cmp);
	return found != NULL ? *found : NULL;
}

static const char *label_for(const char *key)
{
	const struct field *f = field_for(key);

	return f ? f->label : key;
}

static enum field_format format_for(const char *key)
{
	const struct field *f = field_for(key);

	return f ? f->format : FMT_PLAIN;
}

static const char *type_text(const char *type)
{
	static const struct {
		const char *key;
		const char *text;
	} types[] = {
		{ "csr", "certificate request (PKCS#10)" },
		{ "certificate", "certificate" },
		{ "bundle", "certificate bundle" },
		{ "pkcs7", "PKCS#7 certificate bundle" },
		{ "pfx", "PFX (PKCS#12)" },
		{ "private-key", "private key" },
		{ "certreq-inf", "certreq INF file" },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].key, type) == 0)
			return types[i].text;
	return type;
}

static const char *name_type_text(const char *type)
{
	static const struct {
		const char *key;
		const char *text;
	} types[] = {
		{ "dns", "DNS" }, { "ip", "IP" }, { "email", "email" }, { "upn", "UPN" },
		{ "uri", "URI" }, { "dirname", "DirName" }, { "rid", "RID" }, { "other", "other" },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].key, type) == 0)
			return types[i].text;
	return type;
}

/*
 * The JSON document's strings are already shown as display.h says; this is
 * the last guard, which escapes any control character that slipped through.
 */
static void print_text(FILE *out, const char *s)
{
	char *guarded;
	const unsigned char *p = (const unsigned char *)s;

	while (*p >= 0x20 && *p < 0x7F)
		p++;
	if (*p == '\0') {  /* printable ASCII, the usual case, needs no guard */
		fputs(s, out);
		return;
	}
	guarded = display_bytes(s, strlen(s), DISPLAY_UTF8, DISPLAY_GUARD);

	fputs(guarded ? guarded : "(out of memory)", out);
	free(guarded);
}

/* An array of strings under a FMT_WORDS key: one line, not one a line. */
static bool is_words(const char *key, json_t *array)
{
	if (format_for(key) != FMT_WORDS || !json_is_array(array))
		return false;
	for (size_t i = 0; i < json_array_size(array); i++)
		if (!json_is_string(json_array_get(array, i)))
			return false;
	return true;
}

static bool is_oid_object(json_t *value)
{
	return json_is_object(value) && json_is_string(json_object_get(value, "oid")) &&
	       json_object_get(value, "name") != NULL;
}

static bool is_name_object(json_t *value)
{
	return json_is_object(value) && json_is_string(json_object_get(value, "type")) &&
	       json_is_string(json_object_get(value, "value")) && json_object_size(value) == 2;
}

/* An extension's wrapper: {"critical": bool, ...}. */
static bool is_critical_object(json_t *value)
{
	return json_is_object(value) && json_is_boolean(json_object_get(value, "critical")) && !is_oid_object(value);
}

/* A time of the JSON written for people, by the function check uses (chain_epoch_text). */
static const char *time_text(const char *iso)
{
	static char buf[40];
	time_t t;

	if (check_parse_time(iso, &t) != MKCSR_E_OK)
		return iso;
	return chain_epoch_text(t, buf, sizeof(buf));
}

/* A value on one line. */
static void print_inline(FILE *out, const char *key, json_t *value)
{
	const char *k, *sep = "";
	json_t *v;

	switch (json_typeof(value)) {
	case JSON_STRING:
		if (format_for(key) == FMT_TIME)
			print_text(out, time_text(json_string_value(value)));
		else
			print_text(out, format_for(key) == FMT_TYPE ? type_text(json_string_value(value)) : json_string_value(value));
		break;
	case JSON_INTEGER:
		if (format_for(key) == FMT_DAYS && json_integer_value(value) < 0)
			fprintf(out, "expired %" JSON_INTEGER_FORMAT " day%s ago", -json_integer_value(value),
				json_integer_value(value) == -1 ? "" : "s");
		else
			fprintf(out, "%" JSON_INTEGER_FORMAT "%s", json_integer_value(value),
				format_for(key) == FMT_BITS ? " bits" : "");
		break;
	case JSON_REAL:
		fprintf(out, "%g", json_real_value(value));
		break;
	case JSON_TRUE:
		fputs("yes", out);
		break;
	case JSON_FALSE:
		fputs("no", out);
		break;
	case JSON_NULL:
		fputs("(none)", out);
		break;
	case JSON_ARRAY:
		for (size_t i = 0; i < json_array_size(value); i++) {
			fputs(i ? ", " : "", out);
			print_inline(out, key, json_array_get(value, i));
		}
		break;
	case JSON_OBJECT:
		if (is_oid_object(value)) {
			json_t *name = json_object_get(value, "name");

			if (json_is_string(name)) {
				print_text(out, json_string_value(name));
				fputs(" (", out);
			}
			print_text(out, json_string_value(json_object_get(value, "oid")));
			fputs(json_is_string(name) ? ")" : "", out);
			fputs(json_is_true(json_object_get(value, "critical")) ? ", critical" : "", out);
		} else if (is_name_object(value)) {
			print_text(out, name_type_text(json_string_value(json_object_get(value, "type"))));
			fputc(':', out);
			print_text(out, json_string_value(json_object_get(value, "value")));
		} else {
			json_object_foreach(value, k, v) {
				if (json_is_null(v) || (is_critical_object(value) && strcmp(k, "critical") == 0))
					continue;
				fprintf(out, "%s%s: ", sep, label_for(k));
				print_inline(out, k, v);
				sep = ", ";
			}
		}
		break;
	}
}

static void print_label(FILE *out, int indent, const char *label, bool critical)
{
	int width = fprintf(out, "%*s%s%s:", indent, "", label, critical ? " (critical)" : "");

	fprintf(out, "%*s", width < VALUE_COLUMN ? VALUE_COLUMN - width : 1, "");
}

static void print_member(FILE *out, int indent, const char *key, json_t *value);

static void print_members(FILE *out, int indent, json_t *obj, bool sections);

/* "Label:  first element" and the others one a line under it. */
static void print_array(FILE *out, int indent, const char *label, bool critical, const char *key, json_t *array)
{
	print_label(out, indent, label, critical);
	if (json_array_size(array) == 0)
		fputs("(none)", out);
	for (size_t i = 0; i < json_array_size(array); i++) {
		if (i > 0)
			fprintf(out, "\n%*s", VALUE_COLUMN, "");
		print_inline(out, key, json_array_get(array, i));
	}
	fputc('\n', out);
}

static void print_member(FILE *out, int indent, const char *key, json_t *value)
{
	if (json_is_null(value))
		return;
	if (is_critical_object(value)) {
		/* {"critical", "usages": [...]}: the list is the value; {"critical", "ca", "path_length"}: one line. */
		bool critical = json_is_true(json_object_get(value, "critical"));
		const char *only_key = NULL, *k;
		json_t *only = NULL, *v;

		json_object_foreach(value, k, v) {
			if (json_object_size(value) == 2 && strcmp(k, "critical") != 0) {
				only_key = k;
				only = v;
			}
		}
		if (only != NULL && json_is_array(only) && !is_words(only_key, only)) {
			print_array(out, indent, label_for(key), critical, only_key, only);
		} else {
			print_label(out, indent, label_for(key), critical);
			print_inline(out, only ? only_key : key, only ? only : value);
			fputc('\n', out);
		}
	} else if (json_is_object(value) && !is_oid_object(value) && !is_name_object(value)) {
		fprintf(out, "%*s%s:\n", indent, "", label_for(key));
		print_members(out, indent + 2, value, false);
	} else if (json_is_array(value) && !is_words(key, value)) {
		print_array(out, indent, label_for(key), false, key, value);
	} else {
		print_label(out, indent, label_for(key), false);
		print_inline(out, key, value);
		fputc('\n', out);
	}
}

static bool is_section(const char *key, json_t *value)
{
	if (format_for(key) != FMT_SECTION)
		return false;
	if (json_is_object(value))
		return true;
	if (!json_is_array(value) || json_array_size(value) == 0)
		return false;
	for (size_t i = 0; i < json_array_size(value); i++)
		if (!json_is_object(json_array_get(value, i)))
			return false;
	return true;
}

/* A blank line, "Certificate 2 of 3 (intermediate CA)", and the members but "kind" under it. */
static void print_section(FILE *out, const char *title, size_t number, size_t count, json_t *obj)
{
	json_t *kind = json_object_get(obj, "kind");
	const char *k;
	json_t *v;

	fprintf(out, "\n%s", title);
	if (count > 0)
		fprintf(out, " %zu of %zu", number, count);
	if (json_is_string(kind)) {
		fputs(" (", out);
		print_text(out, json_string_value(kind));
		fputc(')', out);
	}
	fputc('\n', out);
	json_object_foreach(obj, k, v) {
		if (!is_section(k, v) && !(strcmp(k, "kind") == 0 && json_is_string(v)))
			print_member(out, 2, k, v);
	}
	print_members(out, 2, obj, true);
}

/* The members of obj: the plain ones (sections false) or the sections (true), in document order. */
static void print_members(FILE *out, int indent, json_t *obj, bool sections)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		if (is_section(k, v) != sections)
			continue;
		if (!sections)
			print_member(out, indent, k, v);
		else if (json_is_object(v))
			print_section(out, label_for(k), 0, 0, v);
		else
			for (size_t i = 0; i < json_array_size(v); i++)
				print_section(out, label_for(k), i + 1, json_array_size(v), json_array_get(v, i));
	}
}

static void print_document(FILE *out, json_t *doc)
{
	print_members(out, 0, doc, false);
	print_members(out, 0, doc, true);
}

/*
 * Text as the document is made: the plain members, then each certificate
 * of a bundle as it comes (see inspect_stream); the rest once it is done.
 */
struct text_stream {
	FILE *out;
	size_t *shown;   /* documents printed so far */
	bool started;
};

static void text_head(void *arg, json_t *doc)
{
	struct text_stream *ts = arg;

	fputs((*ts->shown)++ ? "\n" : "", ts->out);
	print_members(ts->out, 0, doc, false);
	ts->started = true;
}

static void text_certificate(void *arg, json_t *cert, size_t number, size_t count)
{
	struct text_stream *ts = arg;

	print_section(ts->out, label_for("certificates"), number, count, cert);
}

static void print_text_document(json_t *doc, const struct text_stream *ts)
{
	if (ts->started) {
		print_members(ts->out, 0, doc, true);
		return;
	}
	fputs((*ts->shown)++ ? "\n" : "", ts->out);
	print_document(ts->out, doc);
}

/*
 * --json as the documents are made: an array of one document per file,
 * byte for byte what report_print_json prints of it, spooled to a
 * temporary file (in memory when none can be made) so that a bundle of thousands of certificates is never
 * one document in memory, and copied to standard output only once every
 * file has been read (a failure is the error object alone).  Jansson
 * indents by depth only and never writes a raw newline inside a string:
 * a value dumped on its own and indented line by line is what it would be
 * dumped in place.
 */
struct json_spool {
	FILE *file;        /* a temporary file, else (none can be made) a stream in memory */
	char *memory;      /* that stream's buffer */
	size_t memory_len;
	size_t docs;       /* documents written so far */
	size_t certs;      /* certificates of the document being streamed */
	bool failed;       /* out of memory or a write error */
};

static void spool_write(struct json_spool *js, const char *text)
{
	if (fputs(text, js->file) == EOF)
		js->failed = true;
}

/* Text of jansson's, indented by spaces more after each line end. */
struct spool_indent {
	FILE *file;
	int spaces;
};

static int spool_chunk(const char *buf, size_t size, void *data)
{
	static const char blanks[] = "        ";
	const struct spool_indent *in = data;

	for (const char *p = buf, *end = buf + size; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (fwrite(p, 1, n, in->file) != n)
			return -1;
		if (nl != NULL && fwrite(blanks, 1, (size_t)in->spaces, in->file) != (size_t)in->spaces)
			return -1;
		p += n;
	}
	return 0;
}

/* value dumped as jansson would at a depth of spaces / 2 (at most 8 spaces); with open, without its closing brace. */
static void spool_value(struct json_spool *js, json_t *value, int spaces, bool open)
{
	struct spool_indent in = { js->file, spaces };
	char *text;
	size_t len;

	if (spool_chunk("\n", 1, &in) != 0 || (!open && json_dump_callback(value, spool_chunk, &in,
									     JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)) {
		js->failed = true;
		return;
	}
	if (!open)
		return;
	text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	len = text != NULL ? strlen(text) : 0;
	if (len >= 2 && strcmp(text + len - 2, "\n}") == 0)
		len -= 2;
	if (text == NULL || spool_chunk(text, len, &in) != 0)
		js->failed = true;
	free(text);
}

static void spool_head(void *arg, json_t *doc)
{
	struct json_spool *js = arg;

	spool_write(js, js->docs++ ? "," : "[");
	spool_value(js, doc, 2, true);
	spool_write(js, ",\n    \"certificates\": [");
	js->certs = 0;
}

static void spool_certificate(void *arg, json_t *cert, size_t number, size_t count)
{
	struct json_spool *js = arg;

	(void)number;
	(void)count;
	spool_write(js, js->certs++ ? "," : "");
	spool_value(js, cert, 6, false);
}

/* After inspect_file: the end of a streamed document, or the whole of another one. */
static void spool_document(struct json_spool *js, json_t *doc, bool streamed)
{
	if (streamed) {
		spool_write(js, "\n    ]\n  }");
		return;
	}
	spool_write(js, js->docs++ ? "," : "[");
	spool_value(js, doc, 2, false);
}

/* The spooled report to out; false on a read or write error. */
static bool spool_print(struct json_spool *js, FILE *out)
{
	char buf[65536];
	size_t n;

	if (js->docs == 0)
		return true;
	spool_write(js, "\n]\n");
	if (js->failed || fflush(js->file) != 0)
		return false;
	if (js->memory != NULL)
		return fwrite(js->memory, 1, js->memory_len, out) == js->memory_len;
	if (fseek(js->file, 0, SEEK_SET) != 0)
		return false;
	while ((n = fread(buf, 1, sizeof(buf), js->file)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return false;
	return !ferror(js->file);
}

/* An unnamed temporary file in $TMPDIR (else /tmp), or NULL when none can be made. */
static FILE *spool_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *file;
	int fd;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/mkcsr-inspect.XXXXXX", dir) >= sizeof(path))
		return NULL;
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	file = fdopen(fd, "w+");
	if (file == NULL)
		close(fd);
	return file;
}

/* The exit status for several files: a failure of mkcsr's own beats a bad file, which beats success. */
static int worse(int a, int b)
{
	int rank_a = a == MKCSR_EXIT_OK ? 0 : a == MKCSR_EXIT_INPUT ? 1 : 2;
	int rank_b = b == MKCSR_EXIT_OK ? 0 : b == MKCSR_EXIT_INPUT ? 1 : 2;

	return rank_b > rank_a ? b : a;
}

/*
 * Each file on its own: a bad one is reported, and is not shown at all,
 * and the others still are.  Text goes out as it is made; --json is
 * spooled (see json_spool).  Returns the exit status.
 */
static int inspect_files(const char *command, const char **files, const char *pass, time_t at)
{
	struct json_spool js = { .file = cli_common.json ? spool_file() : NULL };
	size_t shown = 0;
	int status = MKCSR_EXIT_OK;

	if (cli_common.json && js.file == NULL)
		js.file = open_memstream(&js.memory, &js.memory_len);
	if (cli_common.json && js.file == NULL)
		return cli_report(command, err_set(MKCSR_E_NOMEM, "making the JSON report"));
	for (size_t i = 0; files[i] != NULL; i++) {
		struct text_stream ts = { .out = stdout, .shown = &shown };
		const struct inspect_stream text = { text_head, text_certificate, &ts };
		const struct inspect_stream json = { spool_head, spool_certificate, &js };
		const struct inspect_stream *stream = cli_common.json ? &json : cli_common.quiet ? NULL : &text;
		size_t docs_before = js.docs;
		json_t *doc = NULL;
		enum mkcsr_err rc = inspect_file(files[i], pass, at, stream, &doc);

		if (rc != MKCSR_E_OK) {
			err_note_file(files[i]);
			status = worse(status, cli_report(command, rc));
			continue;
		}
		if (cli_common.json)
			spool_document(&js, doc, js.docs > docs_before);
		else if (stream != NULL)
			print_text_document(doc, &ts);
		json_decref(doc);
	}
	/* With --json a failure is the error object alone (printed by cli_finish), never part of a report. */
	if (js.file != NULL && status == MKCSR_EXIT_OK && !spool_print(&js, stdout))
		status = worse(status, cli_report(command, err_set(MKCSR_E_WRITE, "standard output: cannot print the JSON report")));
	if (js.file != NULL)
		fclose(js.file);
	free(js.memory);
	return status;
}

int cmd_inspect(int argc, char **argv)
{
	static const char *const command = "inspect";
	char *pass_source = NULL, *at_text = NULL;
	struct poptOption options[] = {
		{ "pass", '\0', POPT_ARG_STRING, &pass_source, 0,
		  "PFX password or key passphrase, never printed: env:VAR, file:PATH, fd:N, stdin or prompt", "SOURCE" },
		{ "at", '\0', POPT_ARG_STRING, &at_text, 0, "count the days left as of this UTC time instead of now", "TIME" },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = cli_popt_argv(argc, argv, "mkcsr inspect");
	const char **files = NULL;
	struct mkcsr_secret pass = { 0 };
	poptContext ctx = NULL;
	time_t at = time(NULL);
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK;
	bool on_argv = false;

	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = cli_popt_context(argc, popt_argv, options);
	poptSetOtherOptionHelp(ctx, "[OPTION...] FILE...");
	while ((opt = poptGetNextOpt(ctx)) > 0)
		;
	/* cli_parse_done() refuses operands: this command's are its files. */
	if (cli_options_done(command, ctx, opt, &status))
		goto done;
	files = poptGetArgs(ctx);
	if (files == NULL || files[0] == NULL)
		rc = err_set(MKCSR_E_USAGE, "give the FILE to inspect (one or more)");
	if (rc == MKCSR_E_OK && at_text != NULL)
		rc = check_parse_time(at_text, &at);
	if (rc == MKCSR_E_OK && pass_source != NULL) {
		rc = secret_check_source(pass_source, &on_argv);
		if (rc == MKCSR_E_OK && on_argv) {
			cli_scrub_argv_secret(argc, argv, pass_source);
			cli_warn(command, "a password given as pass:TEXT can be read by other users in the process list; "
					  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
		}
	}
	/* Read once, for every file: stdin and fd:N cannot be read twice. */
	if (rc == MKCSR_E_OK && pass_source != NULL)
		rc = secret_read_to_open(pass_source, "PFX password or key passphrase", &pass);
	if (rc != MKCSR_E_OK)
		goto done;

	status = worse(status, inspect_files(command, files, pass.text, at));
	if (fflush(stdout) != 0)
		rc = err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno));

done:
	if (rc != MKCSR_E_OK)
		status = worse(status, cli_report(command, rc));
	secret_clear(&pass);
	if (pass_source != NULL)
		OPENSSL_cleanse(pass_source, strlen(pass_source));  /* may hold pass:TEXT */
	free(pass_source);
	free(at_text);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
