/*
 * mkcsr check: does the certificate the CA returned fit the key, the
 * request, the host, the role and a trusted chain?  Every check is reported
 * with the Windows error a client would show; the exit code sums it up.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chain.h"
#include "check.h"
#include "cli.h"
#include "commands.h"
#include "httpget.h"
#include "input.h"
#include "names.h"
#include "pfxread.h"
#include "report.h"
#include "secret.h"

enum check_opt { OPT_CHAIN = 1, OPT_CA_FILE };

struct check_options {
	char *cert;
	char *key;
	char *key_pass;
	char *pass;
	char *csr;
	char *host;
	char *role;
	char **ca_files;
	size_t ca_file_count;
	char *ca_dir;
	char *warn_days;
	char *at;
	char **chains;
	size_t chain_count;
	char *revocation;
	char *timeout;
};

static void free_options(struct check_options *o)
{
	free(o->cert);
	free(o->key);
	if (o->key_pass != NULL)
		OPENSSL_cleanse(o->key_pass, strlen(o->key_pass));
	free(o->key_pass);
	if (o->pass != NULL)
		OPENSSL_cleanse(o->pass, strlen(o->pass));
	free(o->pass);
	free(o->csr);
	free(o->host);
	free(o->role);
	cli_list_free(o->ca_files, o->ca_file_count);
	free(o->ca_dir);
	free(o->warn_days);
	free(o->at);
	cli_list_free(o->chains, o->chain_count);
	free(o->revocation);
	free(o->timeout);
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

/* --timeout: whole seconds, 1 to an hour. */
static enum mkcsr_err parse_timeout(const char *text, int *out)
{
	char *end;
	long seconds;

	errno = 0;
	seconds = strtol(text, &end, 10);
	if (errno != 0 || !isdigit((unsigned char)text[0]) || *end != '\0' || seconds < 1 || seconds > 3600)
		return err_set(MKCSR_E_USAGE, "--timeout '%s': give a whole number of seconds, 1 to 3600", text);
	*out = (int)seconds;
	return MKCSR_E_OK;
}

/* The certificates and the key of the PFX given to --cert; no password is an error naming --pass. */
static enum mkcsr_err load_pfx(const char *path, const char *pass_source, struct mkcsr_certset *certs, EVP_PKEY **key,
			       const char **protection)
{
	struct mkcsr_secret pass = { 0 };
	struct mkcsr_pfx_file pfx = { 0 };
	enum mkcsr_err rc = MKCSR_E_OK;

	if (pass_source != NULL)
		rc = secret_read_to_open(pass_source, "PFX password", &pass);
	if (rc == MKCSR_E_OK)
		rc = pfxread_load(path, pass.text, &pfx);
	secret_clear(&pass);
	if (rc == MKCSR_E_OK)
		rc = pfxread_parts(&pfx, key, certs);
	if (rc == MKCSR_E_OK)
		*protection = pfxread_protection_note(&pfx);
	pfxread_clear(&pfx);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	static const char *const command = "check";
	struct check_options o = { 0 };
	struct poptOption options[] = {
		{ "cert", 'c', POPT_ARG_STRING, &o.cert, 0,
		  "the certificate the CA returned: PEM (one or many, any order), DER, PKCS#7 (.p7b), or a PFX with its key",
		  "FILE" },
		{ "key", 'k', POPT_ARG_STRING, &o.key, 0, "the private key it must belong to", "FILE" },
		{ "key-pass", '\0', POPT_ARG_STRING, &o.key_pass, 0,
		  "passphrase of an encrypted key: env:VAR, file:PATH, fd:N, stdin or prompt", "SOURCE" },
		{ "pass", '\0', POPT_ARG_STRING, &o.pass, 0,
		  "password of a PFX given to --cert: env:VAR, file:PATH, fd:N, stdin or prompt", "SOURCE" },
		{ "csr", '\0', POPT_ARG_STRING, &o.csr, 0, "the request it must answer", "FILE" },
		{ "chain", '\0', POPT_ARG_STRING, NULL, OPT_CHAIN, "intermediate certificates (repeatable; any format)",
		  "FILE" },
		{ "host", '\0', POPT_ARG_STRING, &o.host, 0, "the name clients connect to (default: the request's name)",
		  "NAME" },
		{ "role", '\0', POPT_ARG_STRING, &o.role, 0, "sstp (default), ikev2, nps, client, device or tls (any TLS server)", "ROLE" },
		{ "ca-file", '\0', POPT_ARG_STRING, NULL, OPT_CA_FILE,
		  "trust these roots (any format; repeatable) instead of the system store, e.g. a private CA", "FILE" },
		{ "ca-dir", '\0', POPT_ARG_STRING, &o.ca_dir, 0, "trust the roots in this hashed directory (c_rehash)",
		  "DIR" },
		{ "warn-days", '\0', POPT_ARG_STRING, &o.warn_days, 0,
		  "exit 7 when the certificate expires within N days", "N" },
		{ "at", '\0', POPT_ARG_STRING, &o.at, 0, "check as of this UTC time instead of now", "TIME" },
		{ "revocation", '\0', POPT_ARG_STRING, &o.revocation, 0,
		  "names (default: list the CRL and OCSP addresses), fetch (download and judge them) or off", "MODE" },
		{ "timeout", '\0', POPT_ARG_STRING, &o.timeout, 0,
		  "with --revocation fetch: all fetches end within SECONDS (default 10)", "SECONDS" },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = cli_popt_argv(argc, argv, "mkcsr check");
	struct mkcsr_certset certs = { 0 }, anchors = { 0 };
	struct mkcsr_check_input in = { 0 };
	struct mkcsr_check_report report = { 0 };
	const char *protection = NULL;
	struct mkcsr_name host = { 0 };
	struct stat st;
	poptContext ctx = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK, timeout = MKCSR_REVOCATION_DEFAULT_TIMEOUT;
	bool pass_on_argv = false, cert_is_pfx = false;

	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = cli_popt_context(argc, popt_argv, options);
	poptSetOtherOptionHelp(ctx, "--cert FILE [--key FILE] [--csr FILE] [OPTION...]");
	while ((opt = poptGetNextOpt(ctx)) > 0) {
		if (opt == OPT_CHAIN)
			rc = cli_list_add(&o.chains, &o.chain_count, poptGetOptArg(ctx));
		else
			rc = cli_list_add(&o.ca_files, &o.ca_file_count, poptGetOptArg(ctx));
		if (rc != MKCSR_E_OK)
			goto done;
	}
	if (cli_parse_done(command, ctx, opt, &status))
		goto done;

	/* Every option is checked before any file is read. */
	in.role = MKCSR_ROLE_SSTP;
	in.warn_days = -1;
	in.at = time(NULL);
	if (o.cert == NULL)
		rc = err_set(MKCSR_E_USAGE, "--cert FILE is required: the certificate to check");
	else if (o.ca_file_count > 0 && o.ca_dir != NULL)
		rc = err_set(MKCSR_E_USAGE, "--ca-file and --ca-dir: give one of them");
	else if (o.key_pass != NULL && o.key == NULL)
		rc = err_set(MKCSR_E_USAGE, "--key-pass without --key");
	else if ((cert_is_pfx = pfxread_file_is_pfx(o.cert)) && o.key != NULL)
		rc = err_set(MKCSR_E_USAGE, "--key: '%s' is a PFX, which carries its own key", o.cert);
	if (rc == MKCSR_E_OK && o.role != NULL)
		rc = check_parse_role(o.role, &in.role);
	if (rc == MKCSR_E_OK && o.warn_days != NULL)
		rc = parse_days(o.warn_days, &in.warn_days);
	if (rc == MKCSR_E_OK && o.at != NULL)
		rc = check_parse_time(o.at, &in.at);
	if (rc == MKCSR_E_OK && o.revocation != NULL)
		rc = revocation_parse_mode(o.revocation, &in.revocation);
	if (rc == MKCSR_E_OK && o.timeout != NULL)
		rc = parse_timeout(o.timeout, &timeout);
	if (rc == MKCSR_E_OK && o.host != NULL) {
		/* The same rules as for a request: "VPN.Example.com." is vpn.example.com, ".example.com" no host. */
		rc = names_parse_host(o.host, &host);
		if (rc == MKCSR_E_OK && strncmp(host.value, "*.", 2) == 0)
			rc = err_set(MKCSR_E_BAD_NAME, "--host '%s': give the name clients connect to, not a wildcard", o.host);
	}
	if (rc == MKCSR_E_OK && o.ca_dir != NULL) {
		if (stat(o.ca_dir, &st) != 0)
			rc = err_set_file(MKCSR_E_READ, o.ca_dir, "--ca-dir '%s': %s", o.ca_dir, strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			rc = err_set_file(MKCSR_E_READ, o.ca_dir, "--ca-dir '%s': not a directory", o.ca_dir);
	}
	if (rc == MKCSR_E_OK && o.key_pass != NULL) {
		rc = secret_check_source(o.key_pass, &pass_on_argv);
		if (rc == MKCSR_E_OK && pass_on_argv) {
			cli_scrub_argv_secret(argc, argv, o.key_pass);
			cli_warn(command, "a passphrase given as pass:TEXT can be read by other users in the process list; "
					  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
		}
	}
	if (rc == MKCSR_E_OK && o.pass != NULL) {
		bool on_argv = false;

		rc = secret_check_source(o.pass, &on_argv);
		if (rc == MKCSR_E_OK && on_argv) {
			cli_scrub_argv_secret(argc, argv, o.pass);
			cli_warn(command, "a password given as pass:TEXT can be read by other users in the process list; "
					  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
		}
	}
	if (rc != MKCSR_E_OK)
		goto done;
	if (o.pass != NULL && !cert_is_pfx)
		cli_warn(command, "--pass is not read: '%s' is not a PFX", o.cert);

	if (cert_is_pfx)
		rc = load_pfx(o.cert, o.pass, &certs, &in.key, &protection);
	else
		rc = chain_load(&certs, o.cert);
	for (size_t i = 0; rc == MKCSR_E_OK && i < o.chain_count; i++)
		rc = chain_load(&certs, o.chains[i]);
	for (size_t i = 0; rc == MKCSR_E_OK && i < o.ca_file_count; i++)
		rc = chain_load(&anchors, o.ca_files[i]);
	if (rc == MKCSR_E_OK && o.key != NULL)
		rc = input_load_key(o.key, o.key_pass, "--key-pass", &in.key);
	if (rc == MKCSR_E_OK && o.key != NULL && o.role == NULL)
		rc = role_from_key(o.key, &in.role);
	if (rc == MKCSR_E_OK && o.csr != NULL)
		rc = input_load_csr(o.csr, &in.csr);
	if (rc != MKCSR_E_OK)
		goto done;

	in.certs = &certs;
	in.cert_path = o.cert;
	in.key_path = o.key ? o.key : o.cert;
	in.key_in_cert_file = o.key == NULL;
	in.csr_path = o.csr;
	in.host = host.value;
	in.anchors = o.ca_file_count > 0 ? &anchors : NULL;
	in.ca_dir = o.ca_dir;
	/* The time limit starts when the network work can start: after every file is read. */
	in.deadline = httpget_deadline_in(timeout);
	rc = check_run(&in, &report);
	if (rc == MKCSR_E_OK && protection != NULL)
		snprintf(report.note, sizeof(report.note), "'%s' %s", o.cert, protection);
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
	names_clear(&host);
	chain_clear(&certs);
	chain_clear(&anchors);
	EVP_PKEY_free(in.key);
	X509_REQ_free(in.csr);
	free_options(&o);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
