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
#include "chain.h"
#include "cli.h"
#include "commands.h"
#include "csr.h"
#include "inf.h"
#include "input.h"
#include "keygen.h"
#include "report.h"
#include "order.h"
#include "request.h"
#include "secfile.h"
#include "secret.h"

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
	struct order_options o = { 0 };
	struct poptOption options[] = {
		{ "host", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_HOST,
		  "the server's public name: the CN and the first DNS SAN (an IP address goes in an IP SAN)", "NAME" },
		{ "san", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_SAN,
		  "another subject alternative name (repeatable): dns:NAME, ip:ADDR, email:ADDR, upn:NAME; bare = DNS",
		  "TYPE:VALUE" },
		{ "subject", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_SUBJECT,
		  "more subject attributes, most specific first: \"O=Org, OU=IT, L=City, ST=State, C=US\"", "DN" },
		{ "key-type", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_KEY_TYPE,
		  "ec:P-256 (default), ec:P-384, ec:P-521, rsa:2048, rsa:3072 or rsa:4096", "TYPE" },
		{ "hash", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_HASH,
		  "signature hash: sha256, sha384, sha512 (default: sha256; sha384 for P-384, sha512 for P-521)", "ALG" },
		{ "eku", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_EKU,
		  "extended key usage (repeatable; default serverAuth): serverAuth, clientAuth, ikeIntermediate, ... or an OID",
		  "USAGE" },
		{ "key-usage", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_KEY_USAGE,
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
		{ "set", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_SET,
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
	struct mkcsr_order ord = { 0 };
	struct order_product made = { 0 };
	struct mkcsr_client_info client;
	struct mkcsr_secret pass = { 0 };
	struct mkcsr_new_report report = { 0 };
	poptContext ctx = NULL;
	char subject_text[4096];
	char key_desc[32], key_type[16];
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK;
	bool pass_on_argv = false;
	enum inf_encoding inf_encoding = INF_UTF16LE;
	unsigned char *inf_bytes = NULL;
	size_t inf_len = 0;

	popt_argv = cli_popt_argv(argc, argv, "mkcsr new");
	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = cli_popt_context(argc, popt_argv, options);
	poptSetOtherOptionHelp(ctx, "--host NAME [OPTION...]");

	/* Parse everything first: --help exits inside popt, before any file or secret is touched. */
	while ((opt = poptGetNextOpt(ctx)) > 0) {
		rc = order_options_add(&o, opt, poptGetOptArg(ctx));
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
	rc = order_plan(&o, &ord);
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
	rc = order_name_files(&o, &ord);
	if (rc == MKCSR_E_OK)
		rc = order_check_targets(&ord, o.write_inf, o.force);
	if (rc == MKCSR_E_OK && o.write_inf != NULL)
		rc = inf_write(&ord.req, inf_encoding, &inf_bytes, &inf_len);
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
	for (size_t i = 0; i < ord.req.warning_count; i++)
		cli_warn(command, "%s", ord.req.warnings[i]);

	/* Everything is checked: now the work. */
	if (ord.req.ms_attributes)
		csr_client_info_local(&client);
	rc = order_make(&ord, NULL, pass.text, pass.len, &client, &made);
	secret_clear(&pass);
	if (rc != MKCSR_E_OK)
		goto done;
	cli_hold_signals(true);
	rc = order_write(&ord, &made, o.write_inf, inf_bytes, inf_len, o.force);
	cli_hold_signals(false);
	if (rc != MKCSR_E_OK)
		goto done;

	/* The subject as check and inspect write it: read back from the request itself. */
	report.subject = X509_NAME_entry_count(X509_REQ_get_subject_name(made.x)) == 0
				 ? ""
				 : chain_name_text(X509_REQ_get_subject_name(made.x), subject_text, sizeof(subject_text));
	report.req = &ord.req;
	report.key_description = keygen_describe(&ord.req.key, key_desc, sizeof(key_desc));
	report.key_type = keygen_type_name(&ord.req.key, key_type, sizeof(key_type));
	report.signature = OBJ_nid2ln(X509_REQ_get_signature_nid(made.x));
	report.key_path = ord.key_path;
	report.key_encrypted = o.key_pass != NULL;
	report.csr_path = ord.csr_path;
	report.csr_encoding = ord.enc;
	report.inf_path = o.write_inf;
	ski_hex(made.x, report.ski_hex);
	rc = csr_spki_sha256(made.x, report.spki_sha256);
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
	secret_clear(&pass);
	free(inf_bytes);
	order_product_clear(&made);
	order_clear(&ord);
	order_options_clear(&o);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
