/*
 * mkcsr check: does the certificate the CA returned fit the key, the
 * request, the host, the role and a trusted chain?  Every check is reported
 * with the Windows error a client would show; the exit code sums it up.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "check.h"
#include "cli.h"
#include "commands.h"
#include "input.h"
#include "report.h"
#include "secret.h"

enum check_opt { OPT_CHAIN = 1 };

struct check_options {
	char *cert;
	char *key;
	char *key_pass;
	char *csr;
	char *host;
	char *role;
	char *ca_file;
	char *ca_dir;
	char *warn_days;
	char *at;
	char **chains;
	size_t chain_count;
};

static void free_options(struct check_options *o)
{
	free(o->cert);
	free(o->key);
	if (o->key_pass != NULL)
		OPENSSL_cleanse(o->key_pass, strlen(o->key_pass));
	free(o->key_pass);
	free(o->csr);
	free(o->host);
	free(o->role);
	free(o->ca_file);
	free(o->ca_dir);
	free(o->warn_days);
	free(o->at);
	for (size_t i = 0; i < o->chain_count; i++)
		free(o->chains[i]);
	free(o->chains);
}

static enum mkcsr_err add_chain(struct check_options *o, char *path)
{
	char **grown = realloc(o->chains, (o->chain_count + 1) * sizeof(*grown));

	if (grown == NULL) {
		free(path);
		return err_set(MKCSR_E_NOMEM, "reading the options");
	}
	o->chains = grown;
	o->chains[o->chain_count++] = path;
	return MKCSR_E_OK;
}

static enum mkcsr_err parse_days(const char *text, int *out)
{
	char *end;
	long days;

	errno = 0;
	days = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || days < 0 || days > 36500)
		return err_set(MKCSR_E_BAD_NUMBER, "--warn-days '%s'", text);
	*out = (int)days;
	return MKCSR_E_OK;
}

int cmd_check(int argc, char **argv)
{
	static const char *const command = "check";
	struct check_options o = { 0 };
	struct poptOption options[] = {
		{ "cert", 'c', POPT_ARG_STRING, &o.cert, 0,
		  "the certificate the CA returned: PEM (one or many, any order), DER, or PKCS#7 (.p7b)", "FILE" },
		{ "key", 'k', POPT_ARG_STRING, &o.key, 0, "the private key it must belong to", "FILE" },
		{ "key-pass", '\0', POPT_ARG_STRING, &o.key_pass, 0,
		  "passphrase of an encrypted key: env:VAR, file:PATH, fd:N, stdin or prompt", "SOURCE" },
		{ "csr", '\0', POPT_ARG_STRING, &o.csr, 0, "the request it must answer", "FILE" },
		{ "chain", '\0', POPT_ARG_STRING, NULL, OPT_CHAIN, "intermediate certificates (repeatable; any format)",
		  "FILE" },
		{ "host", '\0', POPT_ARG_STRING, &o.host, 0, "the name clients connect to (default: the request's name)",
		  "NAME" },
		{ "role", '\0', POPT_ARG_STRING, &o.role, 0, "sstp (default), ikev2, nps, client or device", "ROLE" },
		{ "ca-file", '\0', POPT_ARG_STRING, &o.ca_file, 0,
		  "trust these roots (any format) instead of the system store, e.g. a private CA", "FILE" },
		{ "ca-dir", '\0', POPT_ARG_STRING, &o.ca_dir, 0, "trust the roots in this hashed directory (c_rehash)",
		  "DIR" },
		{ "warn-days", '\0', POPT_ARG_STRING, &o.warn_days, 0,
		  "exit 7 when the certificate expires within N days", "N" },
		{ "at", '\0', POPT_ARG_STRING, &o.at, 0, "check as of this UTC time instead of now", "TIME" },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = cli_popt_argv(argc, argv, "mkcsr check");
	struct mkcsr_certset certs = { 0 }, anchors = { 0 };
	struct mkcsr_check_input in = { 0 };
	struct mkcsr_check_report report = { 0 };
	poptContext ctx = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK;
	bool pass_on_argv = false;

	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = poptGetContext("mkcsr", argc, popt_argv, options, 0);
	poptSetOtherOptionHelp(ctx, "--cert FILE [--key FILE] [--csr FILE] [OPTION...]");
	while ((opt = poptGetNextOpt(ctx)) > 0) {
		rc = add_chain(&o, poptGetOptArg(ctx));
		if (rc != MKCSR_E_OK)
			goto done;
	}
	if (opt < -1) {
		status = cli_popt_error(command, ctx, opt);
		goto done;
	}
	status = cli_no_operands(command, ctx);
	if (status != 0)
		goto done;
	if (cli_common.version) {
		cli_print_version();
		goto done;
	}

	/* Every option is checked before any file is read. */
	in.role = MKCSR_ROLE_SSTP;
	in.warn_days = -1;
	in.at = time(NULL);
	if (o.cert == NULL)
		rc = err_set(MKCSR_E_USAGE, "--cert FILE is required: the certificate to check");
	else if (o.ca_file != NULL && o.ca_dir != NULL)
		rc = err_set(MKCSR_E_USAGE, "--ca-file and --ca-dir: give one of them");
	else if (o.key_pass != NULL && o.key == NULL)
		rc = err_set(MKCSR_E_USAGE, "--key-pass without --key");
	if (rc == MKCSR_E_OK && o.role != NULL)
		rc = check_parse_role(o.role, &in.role);
	if (rc == MKCSR_E_OK && o.warn_days != NULL)
		rc = parse_days(o.warn_days, &in.warn_days);
	if (rc == MKCSR_E_OK && o.at != NULL)
		rc = check_parse_time(o.at, &in.at);
	if (rc == MKCSR_E_OK && o.key_pass != NULL) {
		rc = secret_check_source(o.key_pass, &pass_on_argv);
		if (rc == MKCSR_E_OK && pass_on_argv) {
			cli_scrub_argv_secret(argc, argv, o.key_pass);
			cli_warn(command, "a passphrase given as pass:TEXT can be read by other users in the process list; "
					  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
		}
	}
	if (rc != MKCSR_E_OK)
		goto done;

	rc = chain_load(&certs, o.cert);
	for (size_t i = 0; rc == MKCSR_E_OK && i < o.chain_count; i++)
		rc = chain_load(&certs, o.chains[i]);
	if (rc == MKCSR_E_OK && o.ca_file != NULL)
		rc = chain_load(&anchors, o.ca_file);
	if (rc == MKCSR_E_OK && o.key != NULL)
		rc = input_load_key(o.key, o.key_pass, "--key-pass", &in.key);
	if (rc == MKCSR_E_OK && o.csr != NULL)
		rc = input_load_csr(o.csr, &in.csr);
	if (rc != MKCSR_E_OK)
		goto done;

	in.certs = &certs;
	in.cert_path = o.cert;
	in.key_path = o.key;
	in.csr_path = o.csr;
	in.host = o.host;
	in.anchors = o.ca_file ? &anchors : NULL;
	in.ca_dir = o.ca_dir;
	rc = check_run(&in, &report);
	if (rc != MKCSR_E_OK)
		goto done;

	if (cli_common.json) {
		json_t *doc = report_check_json(&report);

		if (!report_print_json(stdout, doc))
			rc = err_set(MKCSR_E_WRITE, "standard output: cannot print the JSON report");
		json_decref(doc);
	} else if (!cli_common.quiet) {
		report_check_text(stdout, &report, cli_common.verbose);
	}
	if (rc == MKCSR_E_OK && fflush(stdout) != 0)
		rc = err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno));
	status = check_exit_code(&report);

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	check_report_clear(&report);
	chain_clear(&certs);
	chain_clear(&anchors);
	EVP_PKEY_free(in.key);
	X509_REQ_free(in.csr);
	free_options(&o);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
