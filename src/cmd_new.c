/*
 * mkcsr new: a fresh key and a PKCS#10 request shaped exactly like the one
 * certlm.msc's "Create Custom Request" writes.  Everything is parsed and
 * checked before the key is generated; key and request are committed
 * together or not at all.
 */
#include <config.h>

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include "check.h"
#include "cli.h"
#include "commands.h"
#include "csr.h"
#include "inf.h"
#include "input.h"
#include "keygen.h"
#include "like.h"
#include "template.h"
#include "report.h"
#include "request.h"
#include "secfile.h"
#include "secret.h"

enum new_opt {
	OPT_HOST = 1, OPT_SAN, OPT_SUBJECT, OPT_KEY_TYPE, OPT_HASH, OPT_EKU, OPT_KEY_USAGE, OPT_SET,
};

/* A request option as given, replayed over the base (template, INF or old certificate). */
struct pending_option {
	int opt;
	char *arg;
};

struct new_options {
	char *out_dir;
	char *key_path;
	char *csr_path;
	char *format;
	char *header;
	char *eol;
	char *key_pass;
	char *template;
	char *inf;
	char *write_inf;
	char *inf_encoding;
	char *like;
	char *like_pass;
	int force;
	int no_app_policies;
	int minimal;
	int ms_attributes;
	struct pending_option *pending;
	size_t pending_count;
};

static void free_options(struct new_options *o)
{
	free(o->out_dir);
	free(o->key_path);
	free(o->csr_path);
	free(o->format);
	free(o->header);
	free(o->eol);
	if (o->key_pass != NULL)
		OPENSSL_cleanse(o->key_pass, strlen(o->key_pass));  /* may hold pass:TEXT */
	free(o->key_pass);
	free(o->template);
	free(o->inf);
	free(o->write_inf);
	free(o->inf_encoding);
	free(o->like);
	if (o->like_pass != NULL)
		OPENSSL_cleanse(o->like_pass, strlen(o->like_pass));
	free(o->like_pass);
	for (size_t i = 0; i < o->pending_count; i++)
		free(o->pending[i].arg);
	free(o->pending);
}

/* Applies an option that adds to the request. */
static enum mkcsr_err apply_request_option(struct mkcsr_request *req, int opt, const char *arg)
{
	enum mkcsr_err rc = MKCSR_E_OK;

	switch (opt) {
	case OPT_HOST: rc = request_set_host(req, arg); break;
	case OPT_SAN: rc = request_add_san(req, arg); break;
	case OPT_SUBJECT: rc = request_set_subject(req, arg); break;
	case OPT_KEY_TYPE: rc = request_set_key_type(req, arg); break;
	case OPT_HASH: rc = request_set_hash(req, arg); break;
	case OPT_EKU: rc = request_add_eku(req, arg); break;
	case OPT_KEY_USAGE: rc = request_set_key_usage(req, arg); break;
	default: rc = err_set(MKCSR_E_INTERNAL, "unhandled option %d", opt); break;
	}
	return rc;
}

static enum mkcsr_err add_pending(struct new_options *o, int opt, char *arg)
{
	struct pending_option *grown = realloc(o->pending, (o->pending_count + 1) * sizeof(*grown));

	if (grown == NULL) {
		free(arg);
		return err_set(MKCSR_E_NOMEM, "reading the options");
	}
	o->pending = grown;
	o->pending[o->pending_count].opt = opt;
	o->pending[o->pending_count].arg = arg;
	o->pending_count++;
	return MKCSR_E_OK;
}

/* The first value given for opt, or NULL. */
static const char *first_value(const struct new_options *o, int opt)
{
	for (size_t i = 0; i < o->pending_count; i++)
		if (o->pending[i].opt == opt)
			return o->pending[i].arg;
	return NULL;
}

/* A template's "mkcsr-needs" names must be given: HOST by --host, others by --set. */
static enum mkcsr_err check_template_needs(const char *name, struct template_info *info,
					   const struct inf_define *defines, size_t n)
{
	enum mkcsr_err rc = MKCSR_E_OK;
	char *save = NULL;

	if (info->needs == NULL)
		return MKCSR_E_OK;
	for (char *need = strtok_r(info->needs, " ,", &save); rc == MKCSR_E_OK && need != NULL;
	     need = strtok_r(NULL, " ,", &save)) {
		bool given = false;

		for (size_t i = 0; i < n && !given; i++)
			given = strcasecmp(defines[i].name, need) == 0;
		if (given && strcasecmp(need, "HOST") == 0) {
			struct mkcsr_name probe;

			/* %HOST% stands in dns= names: an address there would be a DNS name that is not one. */
			for (size_t i = 0; i < n; i++) {
				if (strcasecmp(defines[i].name, "HOST") != 0)
					continue;
				bool is_ip = names_parse_host(defines[i].value, &probe) == MKCSR_E_OK && probe.type == MKCSR_NAME_IP;

				names_clear(&probe);
				err_clear();  /* a bad name is reported later, by the template's own line */
				if (is_ip)
					rc = err_set(MKCSR_E_USAGE, "--template %s takes a DNS name for --host, not the address %s; "
								    "for an address use mkcsr new --host %s without a template",
						     name, defines[i].value, defines[i].value);
				break;
			}
		}
		if (!given)
			rc = strcasecmp(need, "HOST") == 0
				     ? err_set(MKCSR_E_USAGE, "--template %s needs --host NAME", name)
				     : err_set(MKCSR_E_USAGE, "--template %s needs --set %s=VALUE", name, need);
	}
	return rc;
}

/*
 * The base of the request: a template or an admin's INF (HOST and --set
 * NAME=VALUE fill its [Strings]), or the certificate being renewed.
 * role receives a template's role (caller frees).
 */
static enum mkcsr_err apply_base(const struct new_options *o, struct mkcsr_request *req, char **role)
{
	struct inf_define defines[32];
	size_t n = 0;
	struct inf_file inf = { 0 };
	struct template_info template = { 0 };
	enum mkcsr_err rc = MKCSR_E_OK;

	*role = NULL;
	if ((o->template != NULL) + (o->inf != NULL) + (o->like != NULL) > 1)
		return err_set(MKCSR_E_USAGE, "--template, --inf and --like each give the whole request: use one of them");
	if (o->like != NULL) {
		struct like_overrides given = { first_value(o, OPT_HOST), first_value(o, OPT_SUBJECT) != NULL,
						first_value(o, OPT_SAN) != NULL, first_value(o, OPT_EKU) != NULL,
						first_value(o, OPT_KEY_TYPE) != NULL };
		X509 *cert = NULL;
		bool is_pfx = false;

		rc = like_load(o->like, o->like_pass, &cert, &is_pfx);
		if (rc == MKCSR_E_OK && o->like_pass != NULL && !is_pfx)
			rc = request_warn(req, "--pass is not used: '%s' is not a PFX", o->like);
		if (rc == MKCSR_E_OK)
			rc = like_apply(cert, o->like, &given, req);
		if (rc != MKCSR_E_OK)
			err_note_file(o->like);
		X509_free(cert);
		return rc;
	}
	if (o->template == NULL && o->inf == NULL)
		return first_value(o, OPT_SET) != NULL
			       ? err_set(MKCSR_E_USAGE, "--set fills the [Strings] of a --template or --inf file; there is none")
			       : MKCSR_E_OK;

	if (first_value(o, OPT_HOST) != NULL) {
		defines[n].name = "HOST";
		defines[n++].value = first_value(o, OPT_HOST);
	}
	for (size_t i = 0; i < o->pending_count; i++) {
		char *eq;

		if (o->pending[i].opt != OPT_SET)
			continue;
		eq = strchr(o->pending[i].arg, '=');
		if (eq == NULL || eq == o->pending[i].arg)
			return err_set(MKCSR_E_USAGE, "--set '%s': expected NAME=VALUE", o->pending[i].arg);
		if (n == sizeof(defines) / sizeof(defines[0]))
			return err_set(MKCSR_E_USAGE, "too many --set options");
		*eq = '\0';  /* the option's own copy: split in place */
		defines[n].name = o->pending[i].arg;
		defines[n++].value = eq + 1;
	}
	rc = o->template ? template_resolve(o->template, &template) : MKCSR_E_OK;
	if (rc == MKCSR_E_OK && o->template != NULL)
		rc = check_template_needs(o->template, &template, defines, n);
	if (rc == MKCSR_E_OK)
		rc = o->template ? template_load(&template, defines, n, &inf) : inf_load(o->inf, defines, n, &inf);
	if (rc == MKCSR_E_OK)
		rc = inf_apply(&inf, req);
	if (rc == MKCSR_E_OK && o->template != NULL) {
		/* A shipped template's key-store settings are for certreq users, not news to this one. */
		for (size_t i = 0; i < req->note_count; i++)
			free(req->notes[i]);
		req->note_count = 0;
	}
	if (rc == MKCSR_E_OK && inf_comment_value(&inf, "mkcsr-role") != NULL) {
		/* Only a role that check and pfx know goes into the key file: they refuse any other. */
		const char *text = inf_comment_value(&inf, "mkcsr-role");
		enum mkcsr_role parsed;

		if (strcasecmp(text, "device-tunnel") == 0)
			text = "device";
		else if (strcasecmp(text, "user-tunnel") == 0)
			text = "client";
		if (check_parse_role(text, &parsed) != MKCSR_E_OK)
			rc = err_set(MKCSR_E_BAD_TEMPLATE, "'%s': mkcsr-role '%s' is not one of sstp, ikev2, nps, client, device",
				     o->template ? template.label : o->inf, inf_comment_value(&inf, "mkcsr-role"));
		else if ((*role = strdup(check_role_key(parsed))) == NULL)
			rc = err_set(MKCSR_E_NOMEM, "reading the template");
	}
	inf_clear(&inf);
	template_info_clear(&template);
	return rc;
}

/*
 * The command line over the base: a --san replaces the base's names, a
 * --subject its subject, an --eku its usages; --host becomes the CN when
 * the base's subject has one.
 */
static enum mkcsr_err apply_command_line(const struct new_options *o, struct mkcsr_request *req)
{
	bool base_subject = req->subject.count > 0;
	enum mkcsr_err rc = MKCSR_E_OK;

	if (req->names_from_base && first_value(o, OPT_SAN) != NULL)
		request_clear_names(req);
	if (first_value(o, OPT_SUBJECT) != NULL)
		base_subject = false;
	for (size_t i = 0; rc == MKCSR_E_OK && i < o->pending_count; i++)
		if (o->pending[i].opt != OPT_SET)
			rc = apply_request_option(req, o->pending[i].opt, o->pending[i].arg);
	if (rc == MKCSR_E_OK && base_subject && req->host != NULL &&
	    subject_get(&req->subject, NID_commonName) != NULL && strlen(req->host) <= NAMES_CN_MAX)
		rc = subject_set(&req->subject, NID_commonName, req->host);
	return rc;
}


static enum mkcsr_err parse_encoding(const struct new_options *o, struct mkcsr_csr_encoding *enc)
{
	enc->format = MKCSR_CSR_BASE64;
	enc->windows_header = true;
	enc->crlf = true;
	if (o->format != NULL) {
		if (strcasecmp(o->format, "der") == 0)
			enc->format = MKCSR_CSR_DER;
		else if (strcasecmp(o->format, "base64") != 0 && strcasecmp(o->format, "pem") != 0)
			return err_set(MKCSR_E_BAD_FORMAT, "--format '%s': use base64 or der", o->format);
	}
	if (o->header != NULL) {
		if (strcasecmp(o->header, "standard") == 0)
			enc->windows_header = false;
		else if (strcasecmp(o->header, "windows") != 0)
			return err_set(MKCSR_E_BAD_FORMAT, "--header '%s': use windows or standard", o->header);
	}
	if (o->eol != NULL) {
		if (strcasecmp(o->eol, "lf") == 0)
			enc->crlf = false;
		else if (strcasecmp(o->eol, "crlf") != 0)
			return err_set(MKCSR_E_BAD_FORMAT, "--eol '%s': use crlf or lf", o->eol);
	}
	if (enc->format == MKCSR_CSR_DER && (o->header != NULL || o->eol != NULL))
		return err_set(MKCSR_E_BAD_FORMAT, "--header and --eol apply to Base64 output, not --format der");
	return MKCSR_E_OK;
}

/* The file name stem for a request: the host, with "*." spelt "_wildcard." as mkcert does. */
static char *file_stem(const struct mkcsr_request *req)
{
	const char *name = req->host;
	char *stem;

	if (name == NULL)
		name = req->name_count ? req->names[0].value : subject_get(&req->subject, NID_commonName);
	if (strncmp(name, "*.", 2) == 0) {
		if (asprintf(&stem, "_wildcard.%s", name + 2) < 0)
			return NULL;
	} else {
		stem = strdup(name);
	}
	/* An IPv6 address has ':'; '_' keeps the name from starting with '-' (read as an option). */
	for (char *p = stem; p && *p; p++)
		if (*p == '/' || *p == ':' || *p == '\\' || *p == ' ')
			*p = '_';
	return stem;
}

static enum mkcsr_err output_paths(const struct mkcsr_request *req, const struct new_options *o, char **key_path,
				   char **csr_path)
{
	const char *dir = o->out_dir ? o->out_dir : ".";
	const char *sep = dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ? "" : "/";  /* no "dir//name" */
	char *stem = NULL;
	struct stat st;

	/* errno is only meaningful when stat() failed: a file there is "not a directory". */
	if (o->out_dir != NULL && stat(o->out_dir, &st) != 0)
		return err_set_file(MKCSR_E_WRITE, o->out_dir, "--out-dir '%s': %s", o->out_dir, strerror(errno));
	if (o->out_dir != NULL && !S_ISDIR(st.st_mode))
		return err_set_file(MKCSR_E_WRITE, o->out_dir, "--out-dir '%s': not a directory", o->out_dir);
	if (o->key_path == NULL || o->csr_path == NULL) {
		stem = file_stem(req);
		if (stem == NULL)
			return err_set(MKCSR_E_NOMEM, "naming the output files");
	}
	if (o->key_path ? (*key_path = strdup(o->key_path)) == NULL
			: asprintf(key_path, "%s%s%s.key", dir, sep, stem) < 0)
		*key_path = NULL;
	if (o->csr_path ? (*csr_path = strdup(o->csr_path)) == NULL
			: asprintf(csr_path, "%s%s%s.csr", dir, sep, stem) < 0)
		*csr_path = NULL;
	free(stem);
	if (*key_path == NULL || *csr_path == NULL)
		return err_set(MKCSR_E_NOMEM, "naming the output files");
	if (secfile_same_target(*key_path, *csr_path))
		return err_set(MKCSR_E_USAGE, "the key and the request cannot both be written to '%s'", *key_path);
	return MKCSR_E_OK;
}

/*
 * A template's role goes before the key's PEM block ("mkcsr-role: nps"), where
 * RFC 7468 lets text stand and every PEM reader skips it; check and pfx take
 * it as their default --role when given this key.
 */
static enum mkcsr_err mark_role(char **pem, size_t *len, const char *role)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%s%s\n", INPUT_ROLE_MARKER, role);
	char *marked;

	if (n < 0 || (size_t)n >= sizeof(line))
		return err_set(MKCSR_E_BAD_TEMPLATE, "the template's role '%s' is too long", role);
	marked = OPENSSL_malloc(*len + (size_t)n);
	if (marked == NULL)
		return err_set(MKCSR_E_NOMEM, "writing the key");
	memcpy(marked, line, (size_t)n);
	memcpy(marked + n, *pem, *len);
	OPENSSL_clear_free(*pem, *len);
	*pem = marked;
	*len += (size_t)n;
	return MKCSR_E_OK;
}

static void ski_hex(X509_REQ *x, char out[41])
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(x);
	int idx = X509v3_get_ext_by_NID(exts, NID_subject_key_identifier, -1);
	const ASN1_OCTET_STRING *data = idx >= 0 ? X509_EXTENSION_get_data(sk_X509_EXTENSION_value(exts, idx)) : NULL;
	ASN1_OCTET_STRING *ski = NULL;
	const unsigned char *p;

	out[0] = '\0';
	if (data != NULL) {
		p = ASN1_STRING_get0_data(data);
		ski = d2i_ASN1_OCTET_STRING(NULL, &p, ASN1_STRING_length(data));
	}
	if (ski != NULL && ASN1_STRING_length(ski) == 20)
		for (int i = 0; i < 20; i++)
			sprintf(out + 2 * i, "%02x", ASN1_STRING_get0_data(ski)[i]);
	ASN1_OCTET_STRING_free(ski);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
}

int cmd_new(int argc, char **argv)
{
	static const char *const command = "new";
	struct new_options o = { 0 };
	struct poptOption options[] = {
		{ "host", '\0', POPT_ARG_STRING, NULL, OPT_HOST,
		  "the server's public name: the CN and the first DNS SAN (an IP address goes in an IP SAN)", "NAME" },
		{ "san", '\0', POPT_ARG_STRING, NULL, OPT_SAN,
		  "another subject alternative name (repeatable): dns:NAME, ip:ADDR, email:ADDR, upn:NAME; bare = DNS",
		  "TYPE:VALUE" },
		{ "subject", '\0', POPT_ARG_STRING, NULL, OPT_SUBJECT,
		  "more subject attributes, most specific first: \"O=Org, OU=IT, L=City, ST=State, C=US\"", "DN" },
		{ "key-type", '\0', POPT_ARG_STRING, NULL, OPT_KEY_TYPE,
		  "ec:P-256 (default), ec:P-384, ec:P-521, rsa:2048, rsa:3072 or rsa:4096", "TYPE" },
		{ "hash", '\0', POPT_ARG_STRING, NULL, OPT_HASH,
		  "signature hash: sha256, sha384, sha512 (default: sha256; sha384 for P-384, sha512 for P-521)", "ALG" },
		{ "eku", '\0', POPT_ARG_STRING, NULL, OPT_EKU,
		  "extended key usage (repeatable; default serverAuth): serverAuth, clientAuth, ikeIntermediate, ... or an OID",
		  "USAGE" },
		{ "key-usage", '\0', POPT_ARG_STRING, NULL, OPT_KEY_USAGE,
		  "critical key usage, e.g. digitalSignature,keyEncipherment (default: none, as certlm)", "LIST" },
		{ "no-app-policies", '\0', POPT_ARG_NONE, &o.no_app_policies, 0,
		  "leave out the Microsoft Application Policies extension that mirrors the EKU", NULL },
		{ "minimal", '\0', POPT_ARG_NONE, &o.minimal, 0,
		  "request the SAN only (for CAs that reject an EKU in requests)", NULL },
		{ "ms-attributes", '\0', POPT_ARG_NONE, &o.ms_attributes, 0,
		  "add certlm's enrollment-CSP and client-info attributes", NULL },
		{ "out-dir", 'o', POPT_ARG_STRING, &o.out_dir, 0, "write NAME.key and NAME.csr in DIR (default: .)",
		  "DIR" },
		{ "key", '\0', POPT_ARG_STRING, &o.key_path, 0, "write the private key to FILE", "FILE" },
		{ "csr", '\0', POPT_ARG_STRING, &o.csr_path, 0, "write the request to FILE", "FILE" },
		{ "format", '\0', POPT_ARG_STRING, &o.format, 0, "request file format: base64 (default; pem is the same) or der",
		  "FORMAT" },
		{ "header", '\0', POPT_ARG_STRING, &o.header, 0,
		  "Base64 header: windows (BEGIN NEW CERTIFICATE REQUEST, default) or standard", "STYLE" },
		{ "eol", '\0', POPT_ARG_STRING, &o.eol, 0, "Base64 line ends: crlf (default, as Windows) or lf", "EOL" },
		{ "key-pass", '\0', POPT_ARG_STRING, &o.key_pass, 0,
		  "encrypt the key (AES-256) with a passphrase from env:VAR, file:PATH, fd:N, stdin or prompt", "SOURCE" },
		{ "template", 't', POPT_ARG_STRING, &o.template, 0,
		  "start from a role template (sstp, ikev2, nps, device-tunnel, user-tunnel; see mkcsr templates) or an INF path",
		  "NAME" },
		{ "inf", '\0', POPT_ARG_STRING, &o.inf, 0, "start from a certreq request file (request.inf)", "FILE" },
		{ "set", '\0', POPT_ARG_STRING, NULL, OPT_SET,
		  "define a [Strings] value for the template or INF (repeatable; HOST comes from --host)", "NAME=VALUE" },
		{ "like", '\0', POPT_ARG_STRING, &o.like, 0,
		  "renew: the same subject, names, usages and key type as this certificate (PEM, DER or PFX)", "CERT" },
		{ "pass", '\0', POPT_ARG_STRING, &o.like_pass, 0, "the password of a PFX given to --like", "SOURCE" },
		{ "write-inf", '\0', POPT_ARG_STRING, &o.write_inf, 0,
		  "also write the certreq INF that makes this request on Windows", "FILE" },
		{ "inf-encoding", '\0', POPT_ARG_STRING, &o.inf_encoding, 0,
		  "encoding of --write-inf: utf-16 (default, with a BOM, as certreq reads) or utf-8", "ENC" },
		{ "force", 'f', POPT_ARG_NONE, &o.force, 0, "replace existing key and request files", NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = NULL;
	struct mkcsr_request req;
	struct mkcsr_csr_encoding enc;
	struct mkcsr_client_info client;
	struct mkcsr_secret pass = { 0 };
	struct mkcsr_new_report report = { 0 };
	struct secfile_txn txn;
	poptContext ctx = NULL;
	EVP_PKEY *key = NULL;
	X509_REQ *x = NULL;
	char *key_path = NULL, *csr_path = NULL, *subject_text = NULL, *key_pem = NULL;
	unsigned char *csr_bytes = NULL;
	size_t key_pem_len = 0, csr_len = 0;
	char key_desc[32], key_type[16];
	enum mkcsr_err rc = request_init(&req);
	int opt, status = MKCSR_EXIT_OK;
	bool pass_on_argv = false;
	enum inf_encoding inf_encoding = INF_UTF16LE;
	unsigned char *inf_bytes = NULL;
	size_t inf_len = 0;
	char *role = NULL;

	secfile_init(&txn, false);
	if (rc != MKCSR_E_OK)
		goto done;

	popt_argv = cli_popt_argv(argc, argv, "mkcsr new");
	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = cli_popt_context(argc, popt_argv, options);
	poptSetOtherOptionHelp(ctx, "--host NAME [OPTION...]");

	/* Parse everything first: --help exits inside popt, before any file or secret is touched. */
	while ((opt = poptGetNextOpt(ctx)) > 0) {
		rc = add_pending(&o, opt, poptGetOptArg(ctx));
		if (rc != MKCSR_E_OK)
			goto done;
	}
	if (cli_parse_done(command, ctx, opt, &status))
		goto done;
	if (o.inf_encoding != NULL) {
		rc = inf_parse_encoding(o.inf_encoding, &inf_encoding);
		if (rc == MKCSR_E_OK && o.write_inf == NULL)
			rc = err_set(MKCSR_E_USAGE, "--inf-encoding applies to --write-inf");
		if (rc != MKCSR_E_OK)
			goto done;
	}
	if (o.like_pass != NULL && o.like == NULL) {
		rc = err_set(MKCSR_E_USAGE, "--pass is the password of a PFX given to --like");
		goto done;
	}
	if (o.like_pass != NULL) {
		bool like_on_argv = false;

		rc = secret_check_source(o.like_pass, &like_on_argv);
		if (rc != MKCSR_E_OK)
			goto done;
		if (like_on_argv) {
			cli_scrub_argv_secret(argc, argv, o.like_pass);
			cli_warn(command, "a password given as pass:TEXT can be read by other users in the process list; "
					  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
		}
	}
	rc = apply_base(&o, &req, &role);
	if (rc == MKCSR_E_OK)
		rc = apply_command_line(&o, &req);
	if (rc != MKCSR_E_OK)
		goto done;
	req.role = role;

	req.app_policies = !o.no_app_policies;
	req.minimal = o.minimal;
	req.ms_attributes = o.ms_attributes;
	if (o.minimal && o.no_app_policies) {
		rc = err_set(MKCSR_E_USAGE, "--minimal already leaves out Application Policies; drop --no-app-policies");
		goto done;
	}
	rc = request_finalize(&req);
	if (rc != MKCSR_E_OK)
		goto done;
	rc = parse_encoding(&o, &enc);
	if (rc != MKCSR_E_OK)
		goto done;
	if (o.key_pass != NULL) {
		rc = secret_check_source(o.key_pass, &pass_on_argv);
		if (rc != MKCSR_E_OK)
			goto done;
		if (pass_on_argv) {
			cli_scrub_argv_secret(argc, argv, o.key_pass);
			cli_warn(command, "a passphrase given as pass:TEXT can be read by other users in the process list; "
					  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
		}
	}
	rc = output_paths(&req, &o, &key_path, &csr_path);
	if (rc == MKCSR_E_OK)
		rc = secfile_check_target(key_path, o.force);
	if (rc == MKCSR_E_OK)
		rc = secfile_check_target(csr_path, o.force);
	if (rc == MKCSR_E_OK && o.write_inf != NULL) {
		if (secfile_same_target(o.write_inf, key_path) || secfile_same_target(o.write_inf, csr_path))
			rc = err_set(MKCSR_E_USAGE, "--write-inf '%s' would overwrite the key or the request", o.write_inf);
		else
			rc = secfile_check_target(o.write_inf, o.force);
		if (rc == MKCSR_E_OK)
			rc = inf_write(&req, inf_encoding, &inf_bytes, &inf_len);
	}
	if (rc != MKCSR_E_OK)
		goto done;

	if (o.key_pass != NULL) {
		rc = secret_read(o.key_pass, "key passphrase", true, &pass);
		if (rc == MKCSR_E_OK && pass.len < 4)
			rc = err_set(MKCSR_E_SECRET_TOO_SHORT, "the key passphrase from %s has %zu character%s",
				     pass_on_argv ? "pass:" : o.key_pass, pass.len, pass.len == 1 ? "" : "s");
		if (rc != MKCSR_E_OK)
			goto done;
	}
	for (size_t i = 0; i < req.warning_count; i++)
		cli_warn(command, "%s", req.warnings[i]);

	/* Everything is checked: now the work. */
	if (req.ms_attributes)
		csr_client_info_local(&client);
	rc = keygen_generate(&req.key, &key);
	if (rc == MKCSR_E_OK)
		rc = csr_build(&req, key, &client, &x);
	if (rc == MKCSR_E_OK)
		rc = csr_encode(x, &enc, &csr_bytes, &csr_len);
	if (rc == MKCSR_E_OK)
		rc = keygen_encode_private(&req.key, key, pass.text, pass.len, &key_pem, &key_pem_len);
	if (rc == MKCSR_E_OK && req.role != NULL)
		rc = mark_role(&key_pem, &key_pem_len, req.role);
	secret_clear(&pass);
	if (rc != MKCSR_E_OK)
		goto done;

	txn.force = o.force;
	cli_hold_signals(true);
	rc = secfile_stage(&txn, key_path, 0600, key_pem, key_pem_len);
	if (rc == MKCSR_E_OK)
		rc = secfile_stage(&txn, csr_path, 0644, csr_bytes, csr_len);
	if (rc == MKCSR_E_OK && inf_bytes != NULL)
		rc = secfile_stage(&txn, o.write_inf, 0644, inf_bytes, inf_len);
	if (rc == MKCSR_E_OK)
		rc = secfile_commit(&txn);
	secfile_abort(&txn);
	cli_hold_signals(false);
	if (rc != MKCSR_E_OK)
		goto done;

	subject_text = subject_format_display(&req.subject);
	if (subject_text == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "describing the request");
		goto done;
	}
	report.req = &req;
	report.subject = subject_text;
	report.key_description = keygen_describe(&req.key, key_desc, sizeof(key_desc));
	report.key_type = keygen_type_name(&req.key, key_type, sizeof(key_type));
	report.signature = OBJ_nid2ln(X509_REQ_get_signature_nid(x));
	report.key_path = key_path;
	report.key_encrypted = o.key_pass != NULL;
	report.csr_path = csr_path;
	report.csr_encoding = enc;
	report.inf_path = o.write_inf;
	ski_hex(x, report.ski_hex);
	rc = csr_spki_sha256(x, report.spki_sha256);
	if (rc != MKCSR_E_OK)
		goto done;
	if (cli_common.json) {
		json_t *doc = report_new_json(&report);

		if (!report_print_json(stdout, doc))
			rc = err_set(MKCSR_E_WRITE, "standard output: cannot print the JSON report%s",
				     doc == NULL ? " (a file name is not valid UTF-8)" : "");
		json_decref(doc);
	} else if (!cli_common.quiet) {
		report_new_text(stdout, &report, cli_common.verbose);
	}
	if (rc == MKCSR_E_OK && fflush(stdout) != 0)
		rc = err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno));

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	secfile_abort(&txn);
	secret_clear(&pass);
	OPENSSL_clear_free(key_pem, key_pem_len);
	free(inf_bytes);
	free(role);
	OPENSSL_free(csr_bytes);
	EVP_PKEY_free(key);
	X509_REQ_free(x);
	free(subject_text);
	free(key_path);
	free(csr_path);
	request_clear(&req);
	free_options(&o);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
