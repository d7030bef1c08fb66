/*
 * mkcsr pfx: the certificate, its key and its intermediates in a PFX that
 * every supported Windows imports into LocalMachine\My, with the key in the
 * software KSP.  The certificate is checked first: a key that does not
 * belong is refused always; an expired certificate or one without the
 * role's usage only without --force.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "check.h"
#include "cli.h"
#include "display.h"
#include "commands.h"
#include "input.h"
#include "msasn1.h"
#include "pfx.h"
#include "pfxread.h"
#include "report.h"
#include "secfile.h"
#include "secret.h"

enum pfx_opt { OPT_CHAIN = 1 };

struct pfx_options {
	char *cert;
	char *key;
	char *key_pass;
	char *in_pass;
	char *out;
	char *friendly_name;
	char *pass;
	char *profile;
	char *provider;
	char *role;
	char **chains;
	size_t chain_count;
	int no_machine_keyset;
	int include_root;
	int force;
};

static void free_options(struct pfx_options *o)
{
	char *secrets[] = { o->key_pass, o->pass, o->in_pass };

	for (size_t i = 0; i < 3; i++)
		if (secrets[i] != NULL)
			OPENSSL_cleanse(secrets[i], strlen(secrets[i]));  /* may hold pass:TEXT */
	free(o->cert);
	free(o->key);
	free(o->key_pass);
	free(o->in_pass);
	free(o->out);
	free(o->friendly_name);
	free(o->pass);
	free(o->profile);
	free(o->provider);
	free(o->role);
	cli_list_free(o->chains, o->chain_count);
}

/* The name Windows will show: the first DNS name, else the CN, else the thumbprint. */
static char *default_name(X509 *leaf, const char *thumbprint)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	char buf[256] = "";

	for (int i = 0; i < sk_GENERAL_NAME_num(gens) && buf[0] == '\0'; i++) {
		const GENERAL_NAME *gen = sk_GENERAL_NAME_value(gens, i);

		if (gen->type == GEN_DNS)
			snprintf(buf, sizeof(buf), "%.*s", ASN1_STRING_length(gen->d.dNSName),
				 (const char *)ASN1_STRING_get0_data(gen->d.dNSName));
	}
	GENERAL_NAMES_free(gens);
	if (buf[0] == '\0' && X509_NAME_get_text_by_NID(X509_get_subject_name(leaf), NID_commonName, buf, sizeof(buf)) <= 0)
		snprintf(buf, sizeof(buf), "%s", thumbprint);
	return strdup(buf);
}

/* "vpn.example.com.pfx", "_wildcard.example.com.pfx" */
static char *default_out(const char *name)
{
	char *out = NULL;

	if (asprintf(&out, "%s%s.pfx", strncmp(name, "*.", 2) == 0 ? "_wildcard." : "",
		     strncmp(name, "*.", 2) == 0 ? name + 2 : name) < 0)
		return NULL;
	for (char *p = out; *p; p++)
		if (*p == '/' || *p == ':' || *p == '\\' || *p == ' ')
			*p = '_';
	return out;
}

/* "mkcsr pfx: warning: ..." on stderr, and the same in the report (--json carries it). */
static void __attribute__((format(printf, 2, 3))) pfx_warn(struct mkcsr_pfx_report *report, const char *fmt, ...)
{
	char text[sizeof(report->warnings[0])];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cli_warn("pfx", "%s", text);
	if (report->warning_count < REPORT_PFX_MAX_NOTES)
		memcpy(report->warnings[report->warning_count++], text, sizeof(text));
}

static void __attribute__((format(printf, 2, 3))) pfx_note(struct mkcsr_pfx_report *report, const char *fmt, ...)
{
	va_list ap;

	if (report->note_count >= REPORT_PFX_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(report->notes[report->note_count++], sizeof(report->notes[0]), fmt, ap);
	va_end(ap);
}

/* The CA certificates to include: the leaf's issuers in order, the root only when asked. */
static STACK_OF(X509) *included_cas(const struct mkcsr_certset *certs, X509 *leaf, bool include_root, bool *root_included)
{
	STACK_OF(X509) *cas = chain_issuers(certs, leaf);
	int n = sk_X509_num(cas);

	*root_included = false;
	if (n > 0 && chain_is_self_signed(sk_X509_value(cas, n - 1))) {
		if (include_root)
			*root_included = true;
		else
			X509_free(sk_X509_pop(cas));
	}
	return cas;
}

/*
 * Nothing given is dropped without a word: a certificate outside the
 * chain gets a warning; the chain's own root, left out without
 * --include-root, a note; a PFX without the leaf's issuer a warning, as
 * Windows must then find the intermediate itself.
 */
static void warn_unused(struct mkcsr_pfx_report *report, const struct mkcsr_certset *certs, X509 *leaf,
			STACK_OF(X509) *issuers)
{
	X509 *top = sk_X509_num(issuers) > 0 ? sk_X509_value(issuers, sk_X509_num(issuers) - 1) : leaf;
	char subject[512];

	for (size_t i = 0; i < certs->count; i++) {
		X509 *x509 = chain_x509(&certs->items[i]);
		bool used = x509 == leaf, root = false;

		if (x509 == NULL)
			continue;  /* out of memory: not described */
		for (int j = 0; !used && j < sk_X509_num(issuers); j++)
			used = X509_cmp(sk_X509_value(issuers, j), x509) == 0;
		if (!used && x509 != top && chain_is_self_signed(x509) && X509_check_issued(x509, top) == X509_V_OK)
			root = true;
		chain_name_text(X509_get_subject_name(x509), subject, sizeof(subject));
		if (root)
			pfx_note(report, "left out the root CA %s from '%s': clients must trust it already; "
				 "--include-root puts it in the PFX", subject, certs->items[i].source);
		else if (!used)
			pfx_warn(report, "left out %s from '%s': it is not in the certificate's chain", subject,
				 certs->items[i].source);
	}
	if (sk_X509_num(issuers) == 0 && !chain_is_self_signed(leaf))
		pfx_warn(report, "the PFX holds no issuing CA certificate: Windows will have to find the intermediate (%s) "
			 "itself, and SSTP clients then fail with CERT_E_CHAINING unless the server can build the chain; "
			 "give it with --chain FILE",
			 chain_name_text(X509_get_issuer_name(leaf), subject, sizeof(subject)));
	ERR_clear_error();
}

/* The generated password, one line, in a 0600 file of its own. */
static enum mkcsr_err save_password(const char *path, const struct mkcsr_secret *pass, bool force)
{
	struct secfile_txn txn;
	char *line = OPENSSL_malloc(pass->len + 2);
	enum mkcsr_err rc;

	if (line == NULL)
		return err_set(MKCSR_E_NOMEM, "saving the password");
	memcpy(line, pass->text, pass->len);
	line[pass->len] = '\n';
	secfile_init(&txn, force);
	rc = secfile_stage(&txn, path, 0600, line, pass->len + 1);
	if (rc == MKCSR_E_OK)
		rc = secfile_commit(&txn);
	secfile_abort(&txn);
	OPENSSL_clear_free(line, pass->len + 2);
	return rc;
}

/*
 * The friendlyName of the leaf's bag, which a re-packed PFX keeps (NULL if
 * none); a name on a key bag is not carried over, and that is noted.
 */
static char *old_friendly_name(const struct mkcsr_pfx_file *pfx, X509 *leaf, struct mkcsr_pfx_report *report)
{
	char *name = NULL;

	for (size_t i = 0; i < pfx->bag_count; i++) {
		const struct mkcsr_pfx_bag *bag = &pfx->bags[i];

		if (bag->friendly_name == NULL)
			continue;
		if (bag->key != 0) {
			pfx_note(report, "left out the friendlyName '%s' of the key in '%s': Windows would take it as the "
				 "key container name", bag->friendly_name_shown, pfx->path);
		}
		else if (bag->cert != 0 && name == NULL && X509_cmp(chain_x509(&pfx->certs.items[bag->cert - 1]), leaf) == 0)
			name = strdup(bag->friendly_name);
	}
	return name;
}

static bool have_terminal(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * The key and every certificate of the PFX given to --cert, to re-pack:
 * the report says where they came from and which Windows imported it.
 */
static enum mkcsr_err load_pfx_input(const char *path, const char *pass_source, struct mkcsr_certset *certs,
				     EVP_PKEY **key, char **friendly_name, struct mkcsr_pfx_report *report)
{
	struct mkcsr_secret pass = { 0 };
	struct mkcsr_pfx_file pfx = { 0 };
	enum mkcsr_pfx_profile matched;
	bool is_profile;
	enum mkcsr_err rc;

	/* No --in-pass: an empty password and none are tried first; the terminal is asked only when they fail. */
	rc = pass_source ? secret_read_to_open(pass_source, "password of the PFX given to --cert", &pass) : MKCSR_E_OK;
	if (rc == MKCSR_E_OK)
		rc = pfxread_load(path, pass.text, &pfx);
	if (rc == MKCSR_E_SECRET_UNAVAILABLE && pass_source == NULL) {
		err_clear();
		if (!have_terminal())
			rc = err_set(MKCSR_E_USAGE, "'%s' is a PFX, and there is no terminal to ask for its password on: "
						    "use --in-pass env:VAR, file:PATH, fd:N or stdin", path);
		else if ((rc = secret_read("prompt", "password of the PFX given to --cert", false, &pass)) == MKCSR_E_OK)
			rc = pfxread_load(path, pass.text, &pfx);
	}
	secret_clear(&pass);
	if (rc == MKCSR_E_OK && pfxread_protection_note(&pfx) != NULL)
		pfx_note(report, "'%s' %s", path, pfxread_protection_note(&pfx));
	if (rc == MKCSR_E_OK)
		rc = pfxread_parts(&pfx, key, certs);
	if (rc == MKCSR_E_OK && *key == NULL)
		rc = err_set(MKCSR_E_MALFORMED, "'%s' is a PFX without a private key: give the certificate with --cert "
			     "and its key with --key", path);
	if (rc == MKCSR_E_OK) {
		report->repacked_from = path;
		report->repacked_windows = pfxread_windows(&pfx, &is_profile, &matched);
		*friendly_name = old_friendly_name(&pfx, chain_x509(&certs->items[0]), report);
	}
	pfxread_clear(&pfx);
	return rc;
}

int cmd_pfx(int argc, char **argv)
{
	static const char *const command = "pfx";
	struct pfx_options o = { 0 };
	struct poptOption options[] = {
		{ "cert", 'c', POPT_ARG_STRING, &o.cert, 0,
		  "the certificate (any format; a fullchain file is fine), or a PFX to re-pack with its key and chain", "FILE" },
		{ "key", 'k', POPT_ARG_STRING, &o.key, 0, "its private key (not with a PFX, which carries its own)", "FILE" },
		{ "key-pass", '\0', POPT_ARG_STRING, &o.key_pass, 0, "passphrase of an encrypted key (a SOURCE as --pass)",
		  "SOURCE" },
		{ "in-pass", '\0', POPT_ARG_STRING, &o.in_pass, 0,
		  "password of a PFX given to --cert: env:VAR, file:PATH, fd:N, stdin or prompt", "SOURCE" },
		{ "chain", '\0', POPT_ARG_STRING, NULL, OPT_CHAIN, "intermediate certificates (repeatable; any format)",
		  "FILE" },
		{ "out", 'o', POPT_ARG_STRING, &o.out, 0, "the PFX to write (default: NAME.pfx)", "FILE" },
		{ "friendly-name", '\0', POPT_ARG_STRING, &o.friendly_name, 0,
		  "the name certlm shows (default: the certificate's host name)", "NAME" },
		{ "pass", '\0', POPT_ARG_STRING, &o.pass, 0,
		  "PFX password from env:VAR, file:PATH, fd:N, stdin, prompt, or generate:FILE (a new random one saved in FILE)",
		  "SOURCE" },
		{ "profile", '\0', POPT_ARG_STRING, &o.profile, 0,
		  "compat (default: 3DES, every Windows) or modern (AES-256, Windows 10 1709 / Server 2019 on)", "PROFILE" },
		{ "provider", '\0', POPT_ARG_STRING, &o.provider, 0,
		  "key storage provider to import into (default: Microsoft Software Key Storage Provider)", "NAME" },
		{ "no-machine-keyset", '\0', POPT_ARG_NONE, &o.no_machine_keyset, 0,
		  "do not mark the key for the machine key set", NULL },
		{ "include-root", '\0', POPT_ARG_NONE, &o.include_root, 0, "include the root certificate too", NULL },
		{ "role", '\0', POPT_ARG_STRING, &o.role, 0, "sstp (default), ikev2, nps, client, device or tls: the usage checked",
		  "ROLE" },
		{ "force", 'f', POPT_ARG_NONE, &o.force, 0,
		  "replace an existing PFX; accept an expired certificate or one without the role's usage", NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = cli_popt_argv(argc, argv, "mkcsr pfx");
	struct mkcsr_certset certs = { 0 };
	struct mkcsr_check_input in = { 0 };
	struct mkcsr_check_report checks = { 0 };
	struct mkcsr_pfx_options pfx = { .profile = MKCSR_PFX_COMPAT, .provider = MS_KSP_NAME, .machine_keyset = true };
	struct mkcsr_pfx_report report = { 0 };
	struct mkcsr_secret pass = { 0 };
	struct secfile_txn txn;
	STACK_OF(X509) *cas = NULL;
	poptContext ctx = NULL;
	X509 *leaf = NULL;
	char *out_path = NULL, *name = NULL, *old_name = NULL, subject[512], overridden[128] = "";
	const char *generate_path = NULL;
	unsigned char *der = NULL;
	size_t der_len = 0;
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK;
	bool on_argv = false, root_included = false, cert_is_pfx = false;

	secfile_init(&txn, false);
	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = cli_popt_context(argc, popt_argv, options);
	poptSetOtherOptionHelp(ctx, "--cert FILE --key FILE [--chain FILE]... [OPTION...]");
	while ((opt = poptGetNextOpt(ctx)) > 0) {
		rc = cli_list_add(&o.chains, &o.chain_count, poptGetOptArg(ctx));
		if (rc != MKCSR_E_OK)
			goto done;
	}
	if (cli_parse_done(command, ctx, opt, &status))
		goto done;

	/* Options first: nothing is read, asked or written before they are all sound. */
	in.role = MKCSR_ROLE_SSTP;
	cert_is_pfx = o.cert != NULL && pfxread_file_is_pfx(o.cert);
	if (o.cert == NULL || (o.key == NULL && !cert_is_pfx))
		rc = err_set(MKCSR_E_USAGE, "--cert FILE and --key FILE are required");
	else if (cert_is_pfx && (o.key != NULL || o.key_pass != NULL))
		rc = err_set(MKCSR_E_USAGE, "%s: '%s' is a PFX, which carries its own key (its password is --in-pass)",
			     o.key != NULL ? "--key" : "--key-pass", o.cert);
	if (rc == MKCSR_E_OK && o.profile != NULL)
		rc = pfx_parse_profile(o.profile, &pfx.profile);
	if (rc == MKCSR_E_OK && o.role != NULL)
		rc = check_parse_role(o.role, &in.role);
	if (rc == MKCSR_E_OK && o.provider != NULL && o.provider[0] == '\0')
		rc = err_set(MKCSR_E_USAGE, "--provider needs a name");
	if (rc == MKCSR_E_OK && o.pass != NULL) {
		if (strncmp(o.pass, "generate:", 9) == 0) {
			generate_path = o.pass + 9;
			if (generate_path[0] == '\0')
				rc = err_set(MKCSR_E_BAD_SECRET_SOURCE, "'%s' needs a file name after 'generate:'", o.pass);
		} else {
			rc = secret_check_source(o.pass, &on_argv);
			if (rc == MKCSR_E_OK && on_argv)
				cli_scrub_argv_secret(argc, argv, o.pass);
		}
	} else if (rc == MKCSR_E_OK && !have_terminal()) {
		rc = err_set(MKCSR_E_USAGE, "no --pass SOURCE, and no terminal to ask for the PFX password on: "
					    "use --pass env:VAR, file:PATH, fd:N, stdin or generate:FILE");
	}
	if (rc == MKCSR_E_OK && o.key_pass != NULL) {
		bool key_on_argv = false;

		rc = secret_check_source(o.key_pass, &key_on_argv);
		if (rc == MKCSR_E_OK && key_on_argv)
			cli_scrub_argv_secret(argc, argv, o.key_pass);
		on_argv = on_argv || key_on_argv;
	}
	if (rc == MKCSR_E_OK && o.in_pass != NULL) {
		bool in_on_argv = false;

		rc = secret_check_source(o.in_pass, &in_on_argv);
		if (rc == MKCSR_E_OK && in_on_argv)
			cli_scrub_argv_secret(argc, argv, o.in_pass);
		on_argv = on_argv || in_on_argv;
	}
	if (rc != MKCSR_E_OK)
		goto done;
	if (on_argv)
		cli_warn(command, "a password given as pass:TEXT can be read by other users in the process list; "
				  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
	if (o.in_pass != NULL && !cert_is_pfx)
		pfx_warn(&report, "--in-pass is not read: '%s' is not a PFX", o.cert);
	if (o.provider != NULL)
		pfx.provider = o.provider;

	if (cert_is_pfx)
		rc = load_pfx_input(o.cert, o.in_pass, &certs, &in.key, &old_name, &report);
	else
		rc = chain_load(&certs, o.cert);
	for (size_t i = 0; rc == MKCSR_E_OK && i < o.chain_count; i++)
		rc = chain_load(&certs, o.chains[i]);
	if (rc == MKCSR_E_OK && o.key != NULL)
		rc = input_load_key(o.key, o.key_pass, "--key-pass", &in.key);
	if (rc == MKCSR_E_OK && o.key != NULL && o.role == NULL)
		rc = role_from_key(o.key, &in.role);
	/* A user tunnel certificate lives in the user's store: no machine key set for it. */
	pfx.machine_keyset = !o.no_machine_keyset && in.role != MKCSR_ROLE_CLIENT;
	if (rc != MKCSR_E_OK)
		goto done;

	/* The same checks as mkcsr check, less the chain: that needs no trust store here. */
	in.certs = &certs;
	in.cert_path = o.cert;
	in.key_path = o.key ? o.key : o.cert;
	in.at = time(NULL);
	in.warn_days = -1;
	in.skip_chain = true;
	rc = check_run(&in, &checks);
	if (rc != MKCSR_E_OK)
		goto done;
	leaf = chain_x509(checks.leaf);
	if (checks.items[MKCSR_CHECK_KEY].status == MKCSR_CHECK_FAIL) {
		status = cli_report_detail(command, err_set_file(MKCSR_E_KEY_MISMATCH, o.key, "%s",
								 checks.items[MKCSR_CHECK_KEY].detail));
		goto done;
	}
	for (enum mkcsr_check_id id = MKCSR_CHECK_VALIDITY; id <= MKCSR_CHECK_USAGE; id++) {
		if (id == MKCSR_CHECK_NAME || checks.items[id].status != MKCSR_CHECK_FAIL)
			continue;
		if (!o.force) {
			status = cli_report_detail(command, err_set_file(MKCSR_E_CERT_UNFIT, o.cert, "%s",
									 checks.items[id].detail));
			goto done;
		}
		pfx_warn(&report, "building the PFX anyway (--force): %s", checks.items[id].detail);
		snprintf(overridden + strlen(overridden), sizeof(overridden) - strlen(overridden), "%s%s",
			 overridden[0] ? ", " : "", check_id_key(id));
	}

	pfx_thumbprint(leaf, report.thumbprint);
	name = default_name(leaf, report.thumbprint);
	out_path = o.out ? strdup(o.out) : name ? default_out(name) : NULL;
	if (name == NULL || out_path == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "naming the PFX");
		goto done;
	}
	pfx.friendly_name = o.friendly_name ? o.friendly_name : old_name ? old_name : name;
	rc = secfile_check_target(out_path, o.force);
	if (rc == MKCSR_E_OK && generate_path != NULL && secfile_same_target(out_path, generate_path))
		rc = err_set(MKCSR_E_USAGE, "the PFX and its generated password cannot both be written to '%s'", out_path);
	if (rc == MKCSR_E_OK && generate_path != NULL)
		rc = secfile_check_target(generate_path, o.force);
	if (rc != MKCSR_E_OK)
		goto done;

	cas = included_cas(&certs, leaf, o.include_root, &root_included);
	if (cas == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "ordering the chain");
		goto done;
	}
	warn_unused(&report, &certs, leaf, cas);

	if (generate_path != NULL)
		rc = secret_generate(&pass);
	else
		rc = secret_read(o.pass ? o.pass : "prompt", "PFX password", true, &pass);
	if (rc == MKCSR_E_OK)
		rc = pfx_build(in.key, leaf, cas, pass.text, &pfx, &der, &der_len);
	if (rc != MKCSR_E_OK)
		goto done;

	/*
	 * The PFX is staged first (so a missing directory or a full disk stops
	 * everything), then a generated password is committed, then the PFX:
	 * the password is on disk before the PFX exists and cannot be lost.
	 */
	txn.force = o.force;
	cli_hold_signals(true);
	rc = secfile_stage(&txn, out_path, 0600, der, der_len);
	if (rc == MKCSR_E_OK && generate_path != NULL)
		rc = save_password(generate_path, &pass, o.force);
	if (rc == MKCSR_E_OK)
		rc = secfile_commit(&txn);
	secfile_abort(&txn);
	cli_hold_signals(false);
	secret_clear(&pass);
	if (rc != MKCSR_E_OK)
		goto done;

	report.path = out_path;
	report.friendly_name = pfx.friendly_name;
	report.subject = chain_name_text(X509_get_subject_name(leaf), subject, sizeof(subject));
	report.profile = pfx.profile;
	report.provider = pfx.provider;
	report.machine_keyset = pfx.machine_keyset;
	report.ca_count = (size_t)sk_X509_num(cas);
	report.root_included = root_included;
	report.role = in.role;
	report.password_file = generate_path;
	report.overridden = overridden;
	if (cli_common.json) {
		json_t *doc = report_pfx_json(&report);

		if (!report_print_json(stdout, doc))
			rc = err_set(MKCSR_E_WRITE, "standard output: cannot print the JSON report");
		json_decref(doc);
	} else if (!cli_common.quiet) {
		report_pfx_text(stdout, &report);
	}
	if (rc == MKCSR_E_OK && fflush(stdout) != 0)
		rc = err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno));

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	secfile_abort(&txn);
	secret_clear(&pass);
	OPENSSL_free(der);
	sk_X509_pop_free(cas, X509_free);
	check_report_clear(&checks);
	chain_clear(&certs);
	EVP_PKEY_free(in.key);
	free(out_path);
	free(name);
	free(old_name);
	free_options(&o);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
