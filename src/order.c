/*
 * From mkcsr new's options to a request and a pair of files; shared by
 * mkcsr new (one order) and mkcsr batch (one per row).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include "check.h"
#include "input.h"
#include "like.h"
#include "order.h"
#include "template.h"

enum mkcsr_err order_options_add(struct order_options *o, int opt, char *arg)
{
	struct order_value *grown = realloc(o->values, (o->value_count + 1) * sizeof(*grown));

	if (grown == NULL) {
		free(arg);
		return err_set(MKCSR_E_NOMEM, "reading the options");
	}
	o->values = grown;
	o->values[o->value_count].opt = opt;
	o->values[o->value_count].arg = arg;
	o->value_count++;
	return MKCSR_E_OK;
}

const char *order_options_first(const struct order_options *o, int opt)
{
	for (size_t i = 0; i < o->value_count; i++)
		if (o->values[i].opt == opt)
			return o->values[i].arg;
	return NULL;
}

void order_options_drop(struct order_options *o, int opt)
{
	size_t kept = 0;

	for (size_t i = 0; i < o->value_count; i++) {
		if (o->values[i].opt == opt)
			free(o->values[i].arg);
		else
			o->values[kept++] = o->values[i];
	}
	o->value_count = kept;
}

static void free_secret_text(char *text)
{
	if (text != NULL)
		OPENSSL_cleanse(text, strlen(text));  /* may hold pass:TEXT */
	free(text);
}

void order_options_clear(struct order_options *o)
{
	free(o->out_dir);
	free(o->key_path);
	free(o->csr_path);
	free(o->format);
	free(o->header);
	free(o->eol);
	free_secret_text(o->key_pass);
	free(o->template);
	free(o->inf);
	free(o->write_inf);
	free(o->inf_encoding);
	free(o->like);
	free_secret_text(o->like_pass);
	for (size_t i = 0; i < o->value_count; i++)
		free(o->values[i].arg);
	free(o->values);
	memset(o, 0, sizeof(*o));
}

/* Applies an option that adds to the request. */
static enum mkcsr_err apply_request_option(struct mkcsr_request *req, int opt, const char *arg)
{
	enum mkcsr_err rc = MKCSR_E_OK;

	switch (opt) {
	case ORDER_OPT_HOST: rc = request_set_host(req, arg); break;
	case ORDER_OPT_SAN: rc = request_add_san(req, arg); break;
	case ORDER_OPT_SUBJECT: rc = request_set_subject(req, arg); break;
	case ORDER_OPT_KEY_TYPE: rc = request_set_key_type(req, arg); break;
	case ORDER_OPT_HASH: rc = request_set_hash(req, arg); break;
	case ORDER_OPT_EKU: rc = request_add_eku(req, arg); break;
	case ORDER_OPT_KEY_USAGE: rc = request_set_key_usage(req, arg); break;
	default: rc = err_set(MKCSR_E_INTERNAL, "unhandled option %d", opt); break;
	}
	return rc;
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
 * ord->role receives a template's role.
 */
static enum mkcsr_err apply_base(const struct order_options *o, struct mkcsr_order *ord)
{
	struct mkcsr_request *req = &ord->req;
	char **role = &ord->role;
	struct inf_define defines[32];
	char *names[32] = { NULL };
	size_t n = 0;
	struct inf_file inf = { 0 };
	struct template_info template = { 0 };
	enum mkcsr_err rc = MKCSR_E_OK;

	*role = NULL;
	if ((o->template != NULL) + (o->inf != NULL) + (o->like != NULL) > 1)
		return err_set(MKCSR_E_USAGE, "--template, --inf and --like each give the whole request: use one of them");
	if (o->like != NULL) {
		struct like_overrides given = { order_options_first(o, ORDER_OPT_HOST),
						order_options_first(o, ORDER_OPT_SUBJECT) != NULL,
						order_options_first(o, ORDER_OPT_SAN) != NULL,
						order_options_first(o, ORDER_OPT_EKU) != NULL,
						order_options_first(o, ORDER_OPT_KEY_TYPE) != NULL };
		bool is_pfx = false;

		rc = like_load(o->like, o->like_pass, &ord->like_cert, &is_pfx);
		if (rc == MKCSR_E_OK && o->like_pass != NULL && !is_pfx)
			rc = request_warn(req, "--pass is not used: '%s' is not a PFX", o->like);
		if (rc == MKCSR_E_OK)
			rc = like_apply(ord->like_cert, o->like, &given, req);
		if (rc != MKCSR_E_OK)
			err_note_file(o->like);
		return rc;
	}
	if (o->template == NULL && o->inf == NULL)
		return order_options_first(o, ORDER_OPT_SET) != NULL
			       ? err_set(MKCSR_E_USAGE, "--set fills the [Strings] of a --template or --inf file; there is none")
			       : MKCSR_E_OK;

	if (order_options_first(o, ORDER_OPT_HOST) != NULL) {
		defines[n].name = "HOST";
		defines[n++].value = order_options_first(o, ORDER_OPT_HOST);
	}
	for (size_t i = 0; i < o->value_count; i++) {
		char *eq;

		if (o->values[i].opt != ORDER_OPT_SET)
			continue;
		eq = strchr(o->values[i].arg, '=');
		if (eq == NULL || eq == o->values[i].arg)
			rc = err_set(MKCSR_E_USAGE, "--set '%s': expected NAME=VALUE", o->values[i].arg);
		else if (n == sizeof(defines) / sizeof(defines[0]))
			rc = err_set(MKCSR_E_USAGE, "too many --set options");
		if (rc != MKCSR_E_OK)
			goto done;
		/* A copy of the name: the options are planned again for every batch row. */
		names[n] = strndup(o->values[i].arg, (size_t)(eq - o->values[i].arg));
		if (names[n] == NULL) {
			rc = err_set(MKCSR_E_NOMEM, "reading the options");
			goto done;
		}
		defines[n].name = names[n];
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
done:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

/*
 * The command line over the base: a --san replaces the base's names, a
 * --subject its subject, an --eku its usages; --host becomes the CN when
 * the base's subject has one.
 */
static enum mkcsr_err apply_command_line(const struct order_options *o, struct mkcsr_request *req)
{
	bool base_subject = req->subject.count > 0;
	enum mkcsr_err rc = MKCSR_E_OK;

	if (req->names_from_base && order_options_first(o, ORDER_OPT_SAN) != NULL)
		request_clear_names(req);
	if (order_options_first(o, ORDER_OPT_SUBJECT) != NULL)
		base_subject = false;
	for (size_t i = 0; rc == MKCSR_E_OK && i < o->value_count; i++)
		if (o->values[i].opt != ORDER_OPT_SET)
			rc = apply_request_option(req, o->values[i].opt, o->values[i].arg);
	if (rc == MKCSR_E_OK && base_subject && req->host != NULL &&
	    subject_get(&req->subject, NID_commonName) != NULL && strlen(req->host) <= NAMES_CN_MAX)
		rc = subject_set(&req->subject, NID_commonName, req->host);
	return rc;
}


static enum mkcsr_err parse_encoding(const struct order_options *o, struct mkcsr_csr_encoding *enc)
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

static enum mkcsr_err output_paths(const struct mkcsr_request *req, const struct order_options *o, char **key_path,
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
	/* Named after one stem they differ (.key, .csr): only names given as options can be one file. */
	if ((o->key_path != NULL || o->csr_path != NULL) && secfile_same_target(*key_path, *csr_path))
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

enum mkcsr_err order_plan(const struct order_options *o, struct mkcsr_order *out)
{
	enum mkcsr_err rc;

	memset(out, 0, sizeof(*out));
	rc = request_init(&out->req);
	if (rc == MKCSR_E_OK)
		rc = apply_base(o, out);
	if (rc == MKCSR_E_OK)
		rc = apply_command_line(o, &out->req);
	if (rc != MKCSR_E_OK)
		return rc;
	out->req.role = out->role;
	out->req.app_policies = !o->no_app_policies;
	out->req.minimal = o->minimal;
	out->req.ms_attributes = o->ms_attributes;
	if (o->minimal && o->no_app_policies)
		return err_set(MKCSR_E_USAGE, "--minimal already leaves out Application Policies; drop --no-app-policies");
	rc = request_finalize(&out->req);
	if (rc == MKCSR_E_OK)
		rc = parse_encoding(o, &out->enc);
	return rc;
}

enum mkcsr_err order_name_files(const struct order_options *o, struct mkcsr_order *ord)
{
	return output_paths(&ord->req, o, &ord->key_path, &ord->csr_path);
}

void order_clear(struct mkcsr_order *ord)
{
	request_clear(&ord->req);
	free(ord->key_path);
	free(ord->csr_path);
	free(ord->role);
	X509_free(ord->like_cert);
	memset(ord, 0, sizeof(*ord));
}

enum mkcsr_err order_check_targets(const struct mkcsr_order *ord, const char *write_inf, bool force)
{
	enum mkcsr_err rc = secfile_check_target(ord->key_path, force);

	if (rc == MKCSR_E_OK)
		rc = secfile_check_target(ord->csr_path, force);
	if (rc == MKCSR_E_OK && write_inf != NULL) {
		if (secfile_same_target(write_inf, ord->key_path) || secfile_same_target(write_inf, ord->csr_path))
			rc = err_set(MKCSR_E_USAGE, "--write-inf '%s' would overwrite the key or the request", write_inf);
		else
			rc = secfile_check_target(write_inf, force);
	}
	return rc;
}

enum mkcsr_err order_make(const struct mkcsr_order *ord, struct keygen_cache *cache, const char *pass,
			  size_t pass_len, const struct mkcsr_client_info *client, struct order_product *out)
{
	struct keygen_point point = { .len = 0 };
	bool ec = ord->req.key.alg == MKCSR_KEY_EC;
	enum mkcsr_err rc;

	memset(out, 0, sizeof(*out));
	rc = keygen_generate_cached(cache, &ord->req.key, &out->key);
	if (rc == MKCSR_E_OK && ec)
		rc = keygen_read_point(out->key, &point);  /* once, for the request and the key file */
	if (rc == MKCSR_E_OK)
		rc = csr_build_point(&ord->req, out->key, ec ? &point : NULL, client, &out->x);
	if (rc == MKCSR_E_OK)
		rc = csr_encode(out->x, &ord->enc, &out->csr_bytes, &out->csr_len);
	if (rc == MKCSR_E_OK)
		rc = keygen_encode_private_point(&ord->req.key, out->key, ec ? &point : NULL, pass, pass_len,
						 &out->key_pem, &out->key_pem_len);
	if (rc == MKCSR_E_OK && ord->req.role != NULL)
		rc = mark_role(&out->key_pem, &out->key_pem_len, ord->req.role);
	return rc;
}

void order_product_clear(struct order_product *p)
{
	EVP_PKEY_free(p->key);
	X509_REQ_free(p->x);
	OPENSSL_clear_free(p->key_pem, p->key_pem_len);
	OPENSSL_free(p->csr_bytes);
	memset(p, 0, sizeof(*p));
}

enum mkcsr_err order_write(const struct mkcsr_order *ord, const struct order_product *p, const char *extra_path,
			   const void *extra, size_t extra_len, bool force)
{
	struct secfile_txn txn;
	enum mkcsr_err rc;

	secfile_init(&txn, force);
	rc = secfile_stage(&txn, ord->key_path, 0600, p->key_pem, p->key_pem_len);
	if (rc == MKCSR_E_OK)
		rc = secfile_stage(&txn, ord->csr_path, 0644, p->csr_bytes, p->csr_len);
	if (rc == MKCSR_E_OK && extra_path != NULL)
		rc = secfile_stage(&txn, extra_path, 0644, extra, extra_len);
	if (rc == MKCSR_E_OK)
		rc = secfile_commit(&txn);
	secfile_abort(&txn);
	return rc;
}
