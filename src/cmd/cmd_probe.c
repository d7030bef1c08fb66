/*
 * mkcsr probe: what a live endpoint presents, judged as a Windows client
 * would: the served chain through the checks of mkcsr check, the TLS
 * version, the intermediates sent, the SSTP exchange and --expect; many
 * targets at once, each within one timeout.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "check.h"
#include "cli.h"
#include "commands.h"
#include "probe.h"
#include "report.h"
#include "secret.h"

enum probe_opt { OPT_CONNECT = 1, OPT_CA_FILE, OPT_TARGETS };

struct probe_options {
	char **connects;
	size_t connect_count;
	char **target_files;
	size_t target_file_count;
	char **ca_files;
	size_t ca_file_count;
	int all_addresses;
	int summary;
	char *role;
	char *ca_dir;
	char *warn_days;
	char *at;
	char *expect;
	char *pass;
	char *jobs;
	char *timeout;
	char *revocation;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int signo)
{
	stop_signal = signo;
}

static void free_options(struct probe_options *o)
{
	cli_list_free(o->connects, o->connect_count);
	cli_list_free(o->target_files, o->target_file_count);
	cli_list_free(o->ca_files, o->ca_file_count);
	free(o->role);
	free(o->ca_dir);
	free(o->warn_days);
	free(o->at);
	free(o->expect);
	if (o->pass != NULL)
		OPENSSL_cleanse(o->pass, strlen(o->pass));
	free(o->pass);
	free(o->jobs);
	free(o->timeout);
	free(o->revocation);
}

/* A whole number from min to max; code is BAD_NUMBER for days (its hint speaks of days), USAGE otherwise. */
static enum mkcsr_err parse_count(enum mkcsr_err code, const char *option, const char *text, long min, long max,
				  long *out)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
		return err_set(code, "%s '%s': give a whole number from %ld to %ld", option, text, min, max);
	*out = value;
	return MKCSR_E_OK;
}

/* The status line: on a terminal only, one line on stderr, cut to its width, redrawn when it changes. */
static void status_line(size_t done, size_t total, void *arg)
{
	size_t *shown = arg;
	struct winsize ws = { 0 };
	char line[128];
	int width = 80;

	if (*shown == done)
		return;
	*shown = done;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		width = ws.ws_col;
	snprintf(line, sizeof(line), "mkcsr probe: %zu of %zu targets done", done, total);
	fprintf(stderr, "\r%.*s\033[K", width - 1, line);
	fflush(stderr);
}

static enum mkcsr_err check_options(const struct probe_options *o, struct mkcsr_probe_config *config, long *jobs)
{
	enum mkcsr_err rc = MKCSR_E_OK;
	long timeout = PROBE_DEFAULT_TIMEOUT;
	struct stat st;

	config->role = MKCSR_ROLE_SSTP;
	config->revocation = MKCSR_REVOCATION_FETCH;
	config->warn_days = -1;
	config->at = time(NULL);
	*jobs = PROBE_DEFAULT_JOBS;
	if (o->ca_file_count > 0 && o->ca_dir != NULL)
		return err_set(MKCSR_E_USAGE, "--ca-file and --ca-dir: give one of them");
	if (o->all_addresses && o->connect_count > 0)
		return err_set(MKCSR_E_USAGE, "--all-addresses and --connect: give one of them");
	if (o->pass != NULL && o->expect == NULL)
		return err_set(MKCSR_E_USAGE, "--pass without --expect: it is the password of the --expect PFX");
	if (o->role != NULL) {
		rc = check_parse_role(o->role, &config->role);
		if (rc == MKCSR_E_OK && config->role != MKCSR_ROLE_SSTP && config->role != MKCSR_ROLE_TLS)
			return err_set(MKCSR_E_USAGE, "--role '%s': mkcsr probe takes sstp or tls", o->role);
	}
	if (rc == MKCSR_E_OK && o->warn_days != NULL) {
		long days;

		rc = parse_count(MKCSR_E_BAD_NUMBER, "--warn-days", o->warn_days, 0, 36500, &days);
		config->warn_days = (int)days;
	}
	if (rc == MKCSR_E_OK && o->at != NULL)
		rc = check_parse_time(o->at, &config->at);
	if (rc == MKCSR_E_OK && o->revocation != NULL)
		rc = revocation_parse_mode(o->revocation, &config->revocation);
	if (rc == MKCSR_E_OK && o->jobs != NULL)
		rc = parse_count(MKCSR_E_USAGE, "--jobs", o->jobs, 1, 256, jobs);
	if (rc == MKCSR_E_OK && o->timeout != NULL)
		rc = parse_count(MKCSR_E_USAGE, "--timeout", o->timeout, 1, 3600, &timeout);
	config->timeout_ms = timeout * 1000;
	if (rc == MKCSR_E_OK && o->ca_dir != NULL) {
		if (stat(o->ca_dir, &st) != 0)
			rc = err_set(MKCSR_E_READ, "--ca-dir '%s': %s", o->ca_dir, strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			rc = err_set(MKCSR_E_READ, "--ca-dir '%s': not a directory", o->ca_dir);
	}
	return rc;
}

/* Targets from the operands (each with every --connect) and the --targets files, in that order. */
static enum mkcsr_err collect_targets(const struct probe_options *o, const char **names,
				      struct mkcsr_probe_target **targets, size_t *count)
{
	enum mkcsr_err rc = MKCSR_E_OK;

	for (size_t i = 0; rc == MKCSR_E_OK && names != NULL && names[i] != NULL; i++) {
		for (size_t c = 0; rc == MKCSR_E_OK && c < (o->connect_count ? o->connect_count : 1); c++) {
			struct mkcsr_probe_target *grown = realloc(*targets, (*count + 1) * sizeof(**targets));

			if (grown == NULL)
				return err_set(MKCSR_E_NOMEM, "the list of targets");
			*targets = grown;
			rc = probe_target_init(&grown[*count], names[i], o->connect_count ? o->connects[c] : NULL);
			*count += rc == MKCSR_E_OK;
		}
	}
	for (size_t i = 0; rc == MKCSR_E_OK && i < o->target_file_count; i++)
		rc = probe_read_targets(o->target_files[i], targets, count);
	if (rc == MKCSR_E_OK && *count == 0)
		rc = err_set(MKCSR_E_USAGE, "no target: give NAME[:PORT] or --targets FILE");
	return rc;
}

static void install_signals(void)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A server that closes while we write must not end the process: writes then fail with EPIPE. */
	signal(SIGPIPE, SIG_IGN);
}

static enum mkcsr_err print_results(const struct mkcsr_probe_result *results, size_t count, int exit_code,
				    bool summary)
{
	if (cli_common.json) {
		json_t *doc = report_probe_json(results, count, exit_code);
		bool ok = report_print_json(stdout, doc);

		json_decref(doc);
		if (!ok)
			return err_set(MKCSR_E_WRITE, "standard output: cannot print the JSON report");
	} else if (!cli_common.quiet) {
		for (size_t i = 0; i < count; i++) {
			if (summary)
				report_probe_summary(stdout, &results[i]);
			else
				report_probe_text(stdout, &results[i], cli_common.verbose);
		}
		if (!summary && count > 1)
			printf("Targets: %zu; overall: %s (exit %d)\n", count, report_probe_result_text(exit_code), exit_code);
	}
	if (fflush(stdout) != 0)
		return err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno));
	return MKCSR_E_OK;
}

/* Reads the files the options name: trust anchors and the --expect certificate. */
static enum mkcsr_err load_inputs(const struct probe_options *o, struct mkcsr_certset *anchors,
				  struct mkcsr_probe_expect *expect)
{
	enum mkcsr_err rc = MKCSR_E_OK;

	for (size_t i = 0; rc == MKCSR_E_OK && i < o->ca_file_count; i++)
		rc = chain_load(anchors, o->ca_files[i]);
	if (rc == MKCSR_E_OK && o->expect != NULL)
		rc = probe_load_expect(o->expect, o->pass, expect);
	return rc;
}

int cmd_probe(int argc, char **argv)
{
	static const char *const command = "probe";
	struct probe_options o = { 0 };
	struct poptOption options[] = {
		{ "connect", '\0', POPT_ARG_STRING, NULL, OPT_CONNECT,
		  "connect to this address instead of NAME's (repeatable: one probe each); NAME stays the name checked and sent as SNI",
		  "ADDRESS[:PORT]" },
		{ "all-addresses", '\0', POPT_ARG_NONE, &o.all_addresses, 0,
		  "probe every IPv4 and IPv6 address NAME resolves to, each reported on its own", NULL },
		{ "targets", '\0', POPT_ARG_STRING, NULL, OPT_TARGETS,
		  "read targets from FILE: one \"NAME[:PORT] [ADDRESS[:PORT]]\" per line, # comments (repeatable)", "FILE" },
		{ "role", '\0', POPT_ARG_STRING, &o.role, 0, "sstp (default: TLS, then the SSTP exchange) or tls (any HTTPS endpoint)",
		  "ROLE" },
		{ "expect", '\0', POPT_ARG_STRING, &o.expect, 0,
		  "the certificate the server must present: a certificate file, a PFX (with --pass) or its SHA-1 thumbprint",
		  "CERT|PFX|THUMBPRINT" },
		{ "pass", '\0', POPT_ARG_STRING, &o.pass, 0,
		  "password of the --expect PFX: env:VAR, file:PATH, fd:N, stdin or prompt", "SOURCE" },
		{ "ca-file", '\0', POPT_ARG_STRING, NULL, OPT_CA_FILE,
		  "trust these roots (any format; repeatable) instead of the system store", "FILE" },
		{ "ca-dir", '\0', POPT_ARG_STRING, &o.ca_dir, 0, "trust the roots in this hashed directory (c_rehash)", "DIR" },
		{ "warn-days", '\0', POPT_ARG_STRING, &o.warn_days, 0, "exit 7 when a certificate expires within N days", "N" },
		{ "at", '\0', POPT_ARG_STRING, &o.at, 0, "judge the certificates as of this UTC time instead of now", "TIME" },
		{ "revocation", '\0', POPT_ARG_STRING, &o.revocation, 0,
		  "fetch (default: download the CRLs and ask the OCSP responders, within --timeout), names (list them) or off",
		  "MODE" },
		{ "timeout", '\0', POPT_ARG_STRING, &o.timeout, 0,
		  "seconds each target may take, for DNS, connect, handshake, SSTP and revocation together (default 10)", "SECONDS" },
		{ "jobs", 'j', POPT_ARG_STRING, &o.jobs, 0, "probe up to N targets at once (default 16)", "N" },
		{ "summary", '\0', POPT_ARG_NONE, &o.summary, 0, "one line per target, for cron mail", NULL },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = cli_popt_argv(argc, argv, "mkcsr probe");
	struct mkcsr_probe_config config = { 0 };
	struct mkcsr_probe_target *targets = NULL;
	struct mkcsr_probe_result *results = NULL;
	struct mkcsr_probe_expect expect = { 0 };
	struct mkcsr_certset anchors = { 0 };
	size_t count = 0;
	poptContext ctx = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK;
	long jobs = PROBE_DEFAULT_JOBS;
	size_t shown = SIZE_MAX;   /* what the status line shows: nothing yet */
	bool pass_on_argv = false;

	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = poptGetContext("mkcsr", argc, popt_argv, options, 0);
	poptSetOtherOptionHelp(ctx, "NAME[:PORT]... [--targets FILE] [OPTION...]");
	while ((opt = poptGetNextOpt(ctx)) > 0) {
		if (opt == OPT_CONNECT)
			rc = cli_list_add(&o.connects, &o.connect_count, poptGetOptArg(ctx));
		else if (opt == OPT_TARGETS)
			rc = cli_list_add(&o.target_files, &o.target_file_count, poptGetOptArg(ctx));
		else
			rc = cli_list_add(&o.ca_files, &o.ca_file_count, poptGetOptArg(ctx));
		if (rc != MKCSR_E_OK)
			goto done;
	}
	if (cli_options_done(command, ctx, opt, &status))
		goto done;

	/* Every option and target is checked before any file is read or any server contacted. */
	rc = check_options(&o, &config, &jobs);
	if (rc == MKCSR_E_OK && o.pass != NULL) {
		rc = secret_check_source(o.pass, &pass_on_argv);
		if (rc == MKCSR_E_OK && pass_on_argv) {
			cli_scrub_argv_secret(argc, argv, o.pass);
			cli_warn(command, "a password given as pass:TEXT can be read by other users in the process list; "
					  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
		}
	}
	if (rc == MKCSR_E_OK)
		rc = collect_targets(&o, poptGetArgs(ctx), &targets, &count);
	if (rc == MKCSR_E_OK)
		rc = load_inputs(&o, &anchors, &expect);
	for (size_t i = 0; rc == MKCSR_E_OK && o.all_addresses && i < count; i++) {
		size_t before = count;

		if (targets[i].connect_host[0] != '\0')
			continue;
		rc = probe_expand_addresses(&targets, &count, i, config.timeout_ms);
		i += count - before;
	}
	if (rc == MKCSR_E_OK && (results = calloc(count, sizeof(*results))) == NULL)
		rc = err_set(MKCSR_E_NOMEM, "the results");
	if (rc == MKCSR_E_OK && (config.ctx = tlsprobe_ctx_new()) == NULL)
		rc = err_set(MKCSR_E_CRYPTO, "cannot set up a TLS client");
	if (rc != MKCSR_E_OK)
		goto done;

	config.anchors = o.ca_file_count > 0 ? &anchors : NULL;
	config.ca_dir = o.ca_dir;
	config.expect = o.expect != NULL ? &expect : NULL;
	config.stop = &stop_signal;
	install_signals();
	rc = probe_run_all(&config, targets, count, (unsigned)jobs, results,
			   isatty(STDERR_FILENO) && !cli_common.quiet ? status_line : NULL, &shown);
	if (isatty(STDERR_FILENO) && !cli_common.quiet)
		fprintf(stderr, "\r\033[K");
	if (rc != MKCSR_E_OK)
		goto done;
	status = probe_worst_exit(results, count);
	rc = print_results(results, count, status, o.summary);
	if (rc == MKCSR_E_OK && stop_signal != 0) {
		fprintf(stderr, "mkcsr %s: interrupted: targets not yet probed are listed as such\n", command);
		status = 128 + stop_signal;
	}

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	for (size_t i = 0; results != NULL && i < count; i++)
		probe_result_clear(&results[i]);
	free(results);
	free(targets);
	probe_expect_clear(&expect);
	chain_clear(&anchors);
	SSL_CTX_free(config.ctx);
	free_options(&o);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
