/*
 * mkcsr batch FILE: keys and requests for every host of a manifest, as
 * mkcsr new would make them one by one, in one process.  Every row is
 * checked before any key is made; the pairs are made by worker threads
 * and committed in groups; a signal stops the run between groups.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "batch.h"
#include "cli.h"
#include "display.h"
#include "commands.h"
#include "manifest.h"
#include "order.h"
#include "secret.h"

static const char *const command = "batch";

/* Set by the signal handler, read by the workers and the group commit; nothing else happens there. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int signo)
{
	stop_signal = signo;
}

struct batch_cli {
	struct order_options defaults;
	char *jobs;
	char *renew_within;
	char *like_dir;
	int progress;
	const char *manifest_path;
};

/* ---- the status line, ninja-style: one line on stderr, at most ten redraws a second ---- */

struct status_line {
	bool on;
	double last;          /* when it was last drawn, seconds */
	double start;
	size_t width;
	bool drawn;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t terminal_width(void)
{
	struct winsize ws;

	return ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10 ? ws.ws_col : 80;
}

static void status_draw(struct status_line *sl, const struct batch_progress *p, bool force)
{
	double now = now_seconds(), elapsed = now - sl->start, rate;
	char line[256];
	int n;

	if (!sl->on || (!force && now - sl->last < 0.1))
		return;
	sl->last = now;
	rate = elapsed > 0 ? (double)p->done / elapsed : 0;
	if (rate > 0 && p->done < p->total) {
		long left = (long)((double)(p->total - p->done) / rate + 0.5);

		n = snprintf(line, sizeof(line), "[%zu/%zu] %.0f hosts/s, %ld:%02ld left", p->done, p->total, rate,
			     left / 60, left % 60);
	} else {
		n = snprintf(line, sizeof(line), "[%zu/%zu] %.0f hosts/s", p->done, p->total, rate);
	}
	if (n > 0 && (size_t)n >= sl->width)
		line[sl->width - 1] = '\0';
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	sl->drawn = true;
}

static void status_clear(struct status_line *sl)
{
	if (sl->on && sl->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	sl->drawn = false;
}

/* ---- per-host output ---- */

struct run_output {
	struct status_line status;
	const struct manifest *manifest;
};

static void print_time(char *buf, size_t size, time_t t)
{
	struct tm tm;

	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

/*
 * A manifest's cell (flags 0), or a message that quotes cells (DISPLAY_GUARD),
 * as every text from a file is shown (display.h); never NULL.
 */
static char *shown(const char *s, unsigned flags)
{
	char *text = display_bytes(s ? s : "", s ? strlen(s) : 0, DISPLAY_UTF8, flags);

	return text ? text : strdup("(out of memory)");
}

static json_t *json_shown(const char *s, unsigned flags)
{
	char *text = shown(s, flags);
	json_t *value = text ? json_string(text) : NULL;

	free(text);
	return value;
}

static json_t *host_json(const struct batch_host *h)
{
	json_t *o = json_object();
	char when[32];

	json_object_set_new(o, "line", json_integer(h->line));
	json_object_set_new(o, "host", json_shown(h->host, 0));
	json_object_set_new(o, "status", json_string(batch_status_name(h->status)));
	json_object_set_new(o, "files", h->key_path ? json_pack("{s:s?, s:s?}", "key", h->key_path, "csr", h->csr_path)
						    : json_null());
	json_object_set_new(o, "public_key_sha256", h->spki_sha256 ? json_string(h->spki_sha256) : json_null());
	if (h->key_aside != NULL || h->csr_aside != NULL)
		json_object_set_new(o, "kept_aside", json_pack("{s:s?, s:s?}", "key", h->key_aside, "csr", h->csr_aside));
	if (h->not_after != 0) {
		print_time(when, sizeof(when), h->not_after);
		json_object_set_new(o, "certificate_expires", json_string(when));
	}
	if (h->status == BATCH_FAILED) {
		char *text = NULL;

		if (asprintf(&text, "%s: %s", err_message(h->rc), h->error ? h->error : "") < 0)
			text = NULL;
		json_object_set_new(o, "error", text ? json_shown(text, DISPLAY_GUARD) : json_null());
		json_object_set_new(o, "exit_code", json_integer(err_exit_code(h->rc)));
		free(text);
	} else {
		json_object_set_new(o, "error", json_null());
	}
	return o;
}

static void host_text(const struct run_output *out, const struct batch_host *h)
{
	char *host = shown(h->host, 0), *error = NULL;

	if (h->status == BATCH_FAILED) {
		error = shown(h->error, DISPLAY_GUARD);
		fprintf(stderr, "mkcsr batch: %s:%u: %s: %s: %s\n", out->manifest->name, h->line, host,
			err_message(h->rc), error);
	} else if (cli_common.quiet) {
		/* nothing */
	} else if (h->key_aside != NULL && h->csr_aside != NULL) {
		printf("%s: %s; the previous key and request are kept as '%s' and '%s'\n", host,
		       batch_status_name(h->status), h->key_aside, h->csr_aside);
	} else if (h->key_aside != NULL || h->csr_aside != NULL) {
		printf("%s: %s; the previous %s is kept as '%s'\n", host, batch_status_name(h->status),
		       h->key_aside ? "key" : "request", h->key_aside ? h->key_aside : h->csr_aside);
	} else if (cli_common.verbose) {
		printf("%s: %s (%s, %s)\n", host, batch_status_name(h->status), h->key_path, h->csr_path);
	}
	free(error);
	free(host);
}

static void on_host(void *arg, const struct batch_host *h)
{
	struct run_output *out = arg;
	bool prints = h->status == BATCH_FAILED || h->key_aside != NULL || h->csr_aside != NULL ||
		      (cli_common.verbose && !cli_common.quiet) || (cli_common.json && isatty(STDOUT_FILENO));

	if (prints)
		status_clear(&out->status);
	if (cli_common.json) {
		json_t *o = host_json(h);

		json_dumpf(o, stdout, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
		fputc('\n', stdout);
		json_decref(o);
	} else {
		host_text(out, h);
	}
}

static void on_tick(void *arg, const struct batch_progress *p)
{
	struct run_output *out = arg;

	fflush(stdout);
	status_draw(&out->status, p, p->done == p->total);  /* the last state is always shown */
}

/* ---- summary ---- */

static double hosts_per_second(const struct batch_summary *sum)
{
	size_t made = sum->count[BATCH_CREATED] + sum->count[BATCH_RENEWED] + sum->count[BATCH_REPLACED];

	return sum->seconds > 0 ? (double)(made ? made : sum->total - sum->count[BATCH_NOT_DONE]) / sum->seconds : 0;
}

static void summary_json(const struct batch_summary *sum, int status)
{
	json_t *counts = json_object(), *o;

	for (int i = 0; i < BATCH_STATUS_COUNT_; i++)
		json_object_set_new(counts, i == BATCH_NOT_DONE ? "not_done" : batch_status_name(i), json_integer((json_int_t)sum->count[i]));
	json_object_set_new(counts, "total", json_integer((json_int_t)sum->total));
	json_object_set_new(counts, "seconds", json_real(sum->seconds));
	json_object_set_new(counts, "hosts_per_second", json_real(hosts_per_second(sum)));
	json_object_set_new(counts, "interrupted", json_boolean(sum->interrupted));
	json_object_set_new(counts, "exit_code", json_integer(status));
	o = json_pack("{s:o}", "summary", counts);
	json_dumpf(o, stdout, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6));
	fputc('\n', stdout);
	json_decref(o);
}

static void summary_text(const struct batch_summary *sum, size_t swept)
{
	FILE *out = sum->interrupted ? stderr : stdout;

	if (swept > 0)
		fprintf(out, "removed %zu temporary file%s of an interrupted batch\n", swept, swept == 1 ? "" : "s");
	fprintf(out, "%zu created, %zu renewed, %zu replaced, %zu kept, %zu current, %zu failed", sum->count[BATCH_CREATED],
		sum->count[BATCH_RENEWED], sum->count[BATCH_REPLACED], sum->count[BATCH_KEPT], sum->count[BATCH_CURRENT],
		sum->count[BATCH_FAILED]);
	if (sum->interrupted)
		fprintf(out, ", %zu not done (interrupted: run the same command again to finish)", sum->count[BATCH_NOT_DONE]);
	fprintf(out, " of %zu hosts in %.2f s (%.0f hosts/s)\n", sum->total, sum->seconds, hosts_per_second(sum));
}

/* ---- checks before any key ---- */

static int problem_cmp(const void *a, const void *b)
{
	const struct manifest_problem *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

/* "FILE:LINE: what is wrong" for each, in line order; returns the exit code. */
static int print_problems(const char *name, struct manifest_problems *p)
{
	int status = 0;
	enum mkcsr_err worst = MKCSR_E_OK;

	qsort(p->items, p->count, sizeof(p->items[0]), problem_cmp);
	for (size_t i = 0; i < p->count; i++) {
		const struct manifest_problem *e = &p->items[i];
		char *text = shown(e->text, DISPLAY_GUARD);

		if (e->code == MKCSR_E_MALFORMED || e->code == MKCSR_E_USAGE)  /* the text says it all */
			fprintf(stderr, "%s:%u: %s\n", name, e->line, text);
		else
			fprintf(stderr, "%s:%u: %s: %s\n", name, e->line, err_message(e->code), text);
		free(text);
		if ((int)err_exit_code(e->code) > status) {
			status = (int)err_exit_code(e->code);
			worst = e->code;
		}
	}
	err_set_file(worst, name, "%zu row%s of %s %s wrong; nothing was written", p->count, p->count == 1 ? "" : "s",
		     name, p->count == 1 ? "is" : "are");
	if (cli_common.json)
		return cli_report_detail(command, worst);  /* also the JSON error object */
	fprintf(stderr, "mkcsr batch: %s\n", err_detail());
	return status;
}

static enum mkcsr_err parse_count(const char *option, const char *text, long min, long max, long *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
		return err_set(MKCSR_E_BAD_NUMBER, "%s '%s': expected a whole number from %ld to %ld", option, text, min, max);
	*out = v;
	return MKCSR_E_OK;
}

/* Batch options over new's: jobs, renewal window, certificate directory, secrets. */
static enum mkcsr_err check_options(struct batch_cli *c, struct batch_settings *s, int argc, char **argv)
{
	long jobs = sysconf(_SC_NPROCESSORS_ONLN), days = -1;
	struct stat st;
	enum mkcsr_err rc = MKCSR_E_OK;
	bool on_argv = false;

	if (c->jobs != NULL)
		rc = parse_count("--jobs", c->jobs, 1, 1024, &jobs);
	if (rc == MKCSR_E_OK && c->renew_within != NULL)
		rc = parse_count("--renew-within", c->renew_within, 0, 36500, &days);
	if (rc == MKCSR_E_OK && c->like_dir != NULL && (stat(c->like_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		rc = err_set(MKCSR_E_READ, "--like-dir '%s': %s", c->like_dir, errno ? strerror(errno) : "not a directory");
	if (rc == MKCSR_E_OK && c->renew_within == NULL && c->like_dir != NULL)
		rc = err_set(MKCSR_E_USAGE, "--like-dir gives the certificates --renew-within DAYS looks at: add --renew-within");
	if (rc == MKCSR_E_OK && c->defaults.like_pass != NULL) {
		rc = secret_check_source(c->defaults.like_pass, &on_argv);
		if (rc == MKCSR_E_OK && (strcmp(c->defaults.like_pass, "prompt") == 0 || strcmp(c->defaults.like_pass, "stdin") == 0 ||
					 strncmp(c->defaults.like_pass, "fd:", 3) == 0))
			rc = err_set(MKCSR_E_USAGE, "--pass '%s': a batch reads the password once per PFX; use env:VAR or file:PATH",
				     c->defaults.like_pass);
		if (rc == MKCSR_E_OK && on_argv) {
			cli_scrub_argv_secret(argc, argv, c->defaults.like_pass);
			cli_warn(command, "a password given as pass:TEXT can be read by other users in the process list; "
					  "prefer env:VAR or file:PATH");
		}
	}
	s->jobs = jobs > 0 ? (unsigned)jobs : 1;
	s->renew_within_days = days;
	s->like_dir = c->like_dir;
	s->force = c->defaults.force;
	return rc;
}

/* The key passphrase, read once for every key; pass receives it. */
static enum mkcsr_err read_key_pass(const struct batch_cli *c, int argc, char **argv, struct mkcsr_secret *pass)
{
	bool on_argv = false;
	enum mkcsr_err rc;

	if (c->defaults.key_pass == NULL)
		return MKCSR_E_OK;
	rc = secret_check_source(c->defaults.key_pass, &on_argv);
	if (rc == MKCSR_E_OK && strcmp(c->defaults.key_pass, "stdin") == 0 && strcmp(c->manifest_path, "-") == 0)
		rc = err_set(MKCSR_E_USAGE, "--key-pass stdin: standard input is the manifest; use env:VAR, file:PATH or fd:N");
	if (rc != MKCSR_E_OK)
		return rc;
	if (on_argv) {
		cli_scrub_argv_secret(argc, argv, c->defaults.key_pass);
		cli_warn(command, "a passphrase given as pass:TEXT can be read by other users in the process list; "
				  "prefer env:VAR, file:PATH, fd:N, stdin or prompt");
	}
	rc = secret_read(c->defaults.key_pass, "key passphrase", true, pass);
	if (rc == MKCSR_E_OK && pass->len < 4)
		rc = err_set(MKCSR_E_SECRET_TOO_SHORT, "the key passphrase from %s has %zu character%s",
			     on_argv ? "pass:" : c->defaults.key_pass, pass->len, pass->len == 1 ? "" : "s");
	return rc;
}

/* MKCSR_BATCH_SYNC=fsync: one fsync per file from the workers instead of a syncfs per group. */
static bool fsync_each_file(void)
{
	const char *how = getenv("MKCSR_BATCH_SYNC");

	return how != NULL && strcmp(how, "fsync") == 0;
}

/* Runs the plan with the signal handlers in place; returns the exit status. */
static int run(struct batch_settings *s, struct batch_plan *plan, struct run_output *out)
{
	struct sigaction sa, old_int, old_term;
	struct batch_summary sum;
	enum mkcsr_err rc;
	int status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	stop_signal = 0;
	s->stop = &stop_signal;
	batch_sweep(plan);
	out->status.start = now_seconds();
	rc = batch_run(s, plan, &sum);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	status_clear(&out->status);
	if (rc != MKCSR_E_OK)
		return cli_report(command, rc);
	status = sum.interrupted ? 128 + (int)stop_signal : sum.worst_exit;
	if (cli_common.json)
		summary_json(&sum, status);
	if (!cli_common.quiet && (!cli_common.json || sum.interrupted))
		summary_text(&sum, plan->swept);
	if (fflush(stdout) != 0 && status == 0)
		status = cli_report(command, err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno)));
	return status;
}

int cmd_batch(int argc, char **argv)
{
	struct batch_cli c = { 0 };
	struct order_options *d = &c.defaults;
	struct poptOption options[] = {
		{ "jobs", 'j', POPT_ARG_STRING, &c.jobs, 0, "worker threads (default: the number of CPUs)", "N" },
		{ "renew-within", '\0', POPT_ARG_STRING, &c.renew_within, 0,
		  "renew only the hosts whose certificate (like column or --like-dir) expires within DAYS", "DAYS" },
		{ "like-dir", '\0', POPT_ARG_STRING, &c.like_dir, 0,
		  "the deployed certificates, as HOST.crt, HOST.cer or HOST.pem", "DIR" },
		{ "progress", '\0', POPT_ARG_NONE, &c.progress, 0, "show the progress line even when stderr is not a terminal", NULL },
		{ "force", 'f', POPT_ARG_NONE, &d->force, 0,
		  "make new pairs for hosts that have one (the old key and request are kept aside)", NULL },
		{ "san", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_SAN, "default for the san column (repeatable)", "TYPE:VALUE" },
		{ "subject", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_SUBJECT, "default for the subject column", "DN" },
		{ "key-type", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_KEY_TYPE, "default for the key-type column", "TYPE" },
		{ "hash", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_HASH, "default for the hash column", "ALG" },
		{ "eku", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_EKU, "default for the eku column (repeatable)", "USAGE" },
		{ "key-usage", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_KEY_USAGE, "default for the key-usage column", "LIST" },
		{ "no-app-policies", '\0', POPT_ARG_NONE, &d->no_app_policies, 0, "default for no-app-policies", NULL },
		{ "minimal", '\0', POPT_ARG_NONE, &d->minimal, 0, "default for minimal", NULL },
		{ "ms-attributes", '\0', POPT_ARG_NONE, &d->ms_attributes, 0, "default for ms-attributes", NULL },
		{ "out-dir", 'o', POPT_ARG_STRING, &d->out_dir, 0, "default for the out-dir column (default: .)", "DIR" },
		{ "format", '\0', POPT_ARG_STRING, &d->format, 0, "request file format: base64 (default) or der", "FORMAT" },
		{ "header", '\0', POPT_ARG_STRING, &d->header, 0, "Base64 header: windows (default) or standard", "STYLE" },
		{ "eol", '\0', POPT_ARG_STRING, &d->eol, 0, "Base64 line ends: crlf (default) or lf", "EOL" },
		{ "key-pass", '\0', POPT_ARG_STRING, &d->key_pass, 0,
		  "encrypt every key with one passphrase from env:VAR, file:PATH, fd:N, stdin or prompt", "SOURCE" },
		{ "template", 't', POPT_ARG_STRING, &d->template, 0, "default for the template column", "NAME" },
		{ "inf", '\0', POPT_ARG_STRING, &d->inf, 0, "default for the inf column", "FILE" },
		{ "set", '\0', POPT_ARG_STRING, NULL, ORDER_OPT_SET, "default for the set column (repeatable)", "NAME=VALUE" },
		{ "pass", '\0', POPT_ARG_STRING, &d->like_pass, 0, "the password of PFX files given as like (env:VAR or file:PATH)",
		  "SOURCE" },
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = cli_popt_argv(argc, argv, "mkcsr batch");
	poptContext ctx = NULL;
	struct manifest m = { 0 };
	struct manifest_problems problems = { 0 }, warnings = { 0 };
	struct batch_plan plan = { 0 };
	struct batch_settings s = { 0 };
	struct mkcsr_secret pass = { 0 };
	struct mkcsr_client_info client;
	struct run_output out = { 0 };
	const char **operands;
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK;

	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = cli_popt_context(argc, popt_argv, options);
	poptSetOtherOptionHelp(ctx, "FILE [OPTION...]   (FILE: one host per line, or CSV; - for standard input)");
	while ((opt = poptGetNextOpt(ctx)) > 0)
		if ((rc = order_options_add(d, opt, poptGetOptArg(ctx))) != MKCSR_E_OK)
			goto done;
	if (cli_options_done(command, ctx, opt, &status))
		goto done;
	operands = poptGetArgs(ctx);
	if (operands == NULL || operands[0] == NULL || operands[1] != NULL) {
		rc = err_set(MKCSR_E_USAGE, operands == NULL || operands[0] == NULL ? "give the manifest: mkcsr batch FILE"
										     : "one manifest at a time: '%s' is one too many",
			     operands && operands[0] ? operands[1] : "");
		goto done;
	}
	c.manifest_path = operands[0];
	rc = check_options(&c, &s, argc, argv);
	if (rc != MKCSR_E_OK)
		goto done;

	rc = manifest_read(c.manifest_path, &m, &problems);
	if (rc == MKCSR_E_MALFORMED && problems.count > 0) {
		status = print_problems(m.name, &problems);
		rc = MKCSR_E_OK;
		goto done;
	}
	if (rc != MKCSR_E_OK)
		goto done;
	s.manifest = &m;
	s.defaults = d;
	s.now = time(NULL);
	s.fsync_each = fsync_each_file();
	rc = batch_plan(&s, &plan, &problems, &warnings);
	if (rc != MKCSR_E_OK && problems.count > 0) {
		status = print_problems(m.name, &problems);
		rc = MKCSR_E_OK;
		goto done;
	}
	for (size_t i = 0; rc == MKCSR_E_OK && i < warnings.count; i++) {
		char *text = shown(warnings.items[i].text, DISPLAY_GUARD);

		fprintf(stderr, "%s:%u: warning: %s\n", m.name, warnings.items[i].line, text);
		free(text);
	}
	if (rc == MKCSR_E_OK)
		rc = read_key_pass(&c, argc, argv, &pass);
	if (rc != MKCSR_E_OK)
		goto done;

	/* Every row is checked: now the keys. */
	csr_client_info_local(&client);
	s.client = &client;
	s.key_pass = pass.text;
	s.key_pass_len = pass.len;
	s.on_host = on_host;
	s.on_tick = on_tick;
	s.arg = &out;
	out.manifest = &m;
	out.status.on = !cli_common.quiet && (c.progress || isatty(STDERR_FILENO));
	out.status.width = terminal_width();
	status = run(&s, &plan, &out);

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	secret_clear(&pass);
	batch_plan_clear(&plan);
	manifest_problems_clear(&problems);
	manifest_problems_clear(&warnings);
	manifest_clear(&m);
	order_options_clear(d);
	free(c.jobs);
	free(c.renew_within);
	free(c.like_dir);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
