#include <config.h>

#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "cli.h"
#include "display.h"

struct cli_common cli_common;

struct poptOption cli_common_options[] = {
	{ "quiet", 'q', POPT_ARG_NONE, &cli_common.quiet, 0, "print nothing but warnings and errors", NULL },
	{ "verbose", 'v', POPT_ARG_NONE, &cli_common.verbose, 0, "print more detail, and OpenSSL's errors on failure",
	  NULL },
	{ "json", '\0', POPT_ARG_NONE, &cli_common.json, 0, "print the result as JSON on standard output", NULL },
	{ "version", '\0', POPT_ARG_NONE, &cli_common.version, 0, "print the version and exit", NULL },
	POPT_TABLEEND
};

static const char *reporting_command;

/*
 * With --json a failure is also one JSON object on standard output, printed
 * by cli_finish() once the command has returned its exit status: the first
 * error recorded for each exit status, so that the object printed is the one
 * that decided the status (inspect reports each bad file and exits with the
 * worst).
 */
static json_t *json_errors[MKCSR_EXIT_EXPIRING + 1];

/* A JSON string, or null for NULL or ""; bytes that are not UTF-8 (in a file name) as \xNN, controls as \uXXXX. */
static json_t *json_text(const char *text)
{
	json_t *value;
	char *escaped;

	if (text == NULL || text[0] == '\0')
		return json_null();
	escaped = display_bytes(text, strlen(text), DISPLAY_UTF8, DISPLAY_GUARD);
	if (escaped == NULL)
		return NULL;
	value = json_string(escaped);
	free(escaped);
	return value;
}

static void record_error(const char *code, const char *message, const char *hint, const char *file, int exit_code)
{
	if (exit_code <= MKCSR_EXIT_OK || exit_code > MKCSR_EXIT_EXPIRING || json_errors[exit_code] != NULL)
		return;
	json_errors[exit_code] = json_pack("{s:s, s:o, s:o, s:o, s:i}", "code", code, "message", json_text(message),
					   "hint", json_text(hint), "file", json_text(file), "exit", exit_code);
}

static bool json_requested(int argc, char **argv)
{
	if (cli_common.json)
		return true;
	/* A usage error can stop popt before it reaches --json: look for it in argv. */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0)
			return true;
	return false;
}

int cli_finish(int status, int argc, char **argv)
{
	json_t *error = status > MKCSR_EXIT_OK && status <= MKCSR_EXIT_EXPIRING ? json_errors[status] : NULL;

	if (error != NULL && json_requested(argc, argv)) {
		json_t *doc = json_pack("{s:O}", "error", error);

		if (doc != NULL && json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0)
			fputc('\n', stdout);
		fflush(stdout);
		json_decref(doc);
	}
	for (size_t i = 0; i < sizeof(json_errors) / sizeof(json_errors[0]); i++) {
		json_decref(json_errors[i]);
		json_errors[i] = NULL;
	}
	return status;
}

int cli_usage_error(const char *command, const char *message, const char *hint)
{
	const char *sep = command ? " " : "";

	command = command ? command : "";
	fprintf(stderr, "mkcsr%s%s: %s\n", sep, command, message);
	fprintf(stderr, "mkcsr%s%s: hint: %s\n", sep, command, hint);
	record_error(err_name(MKCSR_E_USAGE), message, hint, NULL, MKCSR_EXIT_USAGE);
	return MKCSR_EXIT_USAGE;
}

static int print_openssl_error(const char *str, size_t len, void *unused)
{
	fprintf(stderr, "mkcsr %s: openssl: %.*s", reporting_command, (int)len, str);
	return 1;
}

static int report(const char *command, enum mkcsr_err rc, bool detail_only)
{
	/* A detail may quote a file's content: its control characters go out escaped. */
	char *guarded = display_bytes(err_detail(), strlen(err_detail()), DISPLAY_UTF8, DISPLAY_GUARD);
	const char *detail = guarded ? guarded : err_detail();
	const char *hint = err_hint(rc);
	char *message = NULL;

	if (detail_only && detail[0] != '\0')
		fprintf(stderr, "mkcsr %s: %s\n", command, detail);
	else if (detail[0] != '\0')
		fprintf(stderr, "mkcsr %s: %s: %s\n", command, err_message(rc), detail);
	else
		fprintf(stderr, "mkcsr %s: %s\n", command, err_message(rc));
	/* The JSON message is the stderr line without "mkcsr CMD: ". */
	if (detail_only || detail[0] == '\0' || asprintf(&message, "%s: %s", err_message(rc), detail) < 0)
		message = NULL;
	record_error(err_name(rc), message ? message : detail_only && detail[0] ? detail : err_message(rc), hint,
		     err_file(), err_exit_code(rc));
	free(message);
	free(guarded);
	/* The hint for cryptographic failures is "run again with -v": pointless with -v. */
	if (hint[0] != '\0' && !(cli_common.verbose && rc == MKCSR_E_CRYPTO))
		fprintf(stderr, "mkcsr %s: hint: %s\n", command, hint);
	if (cli_common.verbose)
		{
		reporting_command = command;
		ERR_print_errors_cb(print_openssl_error, NULL);
	}
	ERR_clear_error();
	return err_exit_code(rc);
}

int cli_report(const char *command, enum mkcsr_err rc)
{
	return report(command, rc, false);
}

int cli_report_detail(const char *command, enum mkcsr_err rc)
{
	return report(command, rc, true);
}

void cli_warn(const char *command, const char *fmt, ...)
{
	va_list ap;
	char *text = NULL, *guarded = NULL;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	/* A warning may quote a file's content: its control characters go out escaped. */
	if (text != NULL)
		guarded = display_bytes(text, strlen(text), DISPLAY_UTF8, DISPLAY_GUARD);
	fprintf(stderr, "mkcsr %s: warning: %s\n", command, guarded ? guarded : text ? text : fmt);
	free(guarded);
	free(text);
}

/* The option table of the command being parsed, for the "did you mean" hint. */
static const struct poptOption *parsed_options;

poptContext cli_popt_context(int argc, const char **argv, const struct poptOption *options)
{
	parsed_options = options;
	return poptGetContext("mkcsr", argc, argv, options, 0);
}

/* Edit distance with adjacent transpositions ("hsot" is one edit from "host"), ignoring case. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t d[CLI_OPTION_MAX + 1][CLI_OPTION_MAX + 1];

	if (la > CLI_OPTION_MAX || lb > CLI_OPTION_MAX)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* How a long option name matches what was typed: the lower the better, SIZE_MAX for not at all. */
enum { MATCH_PREFIX = 0, MATCH_STEM = 100 };

static size_t match_score(const char *typed, size_t len, const char *name)
{
	size_t name_len = strlen(name);
	size_t distance, limit = len <= 4 ? 1 : len <= 9 ? 2 : 3;

	/* "--ho": the start of a name; "--hostname": a name and more. */
	if (len >= 2 && len < name_len && strncasecmp(typed, name, len) == 0)
		return MATCH_PREFIX;
	distance = edit_distance(typed, len, name, name_len);
	if (distance <= limit)
		return 1 + distance;
	if (name_len >= 3 && len > name_len && strncasecmp(typed, name, name_len) == 0)
		return MATCH_STEM + len - name_len;
	return SIZE_MAX;
}

struct suggestion {
	const char *names[CLI_SUGGESTIONS_MAX + 1];
	size_t count;
	size_t score;
};

static void suggest_from(const struct poptOption *table, const char *typed, size_t len, struct suggestion *s)
{
	for (const struct poptOption *o = table; o->longName || o->shortName || o->arg; o++) {
		size_t score;

		if ((o->argInfo & POPT_ARG_MASK) == POPT_ARG_INCLUDE_TABLE) {
			suggest_from(o->arg, typed, len, s);
			continue;
		}
		if (o->longName == NULL || (o->argInfo & POPT_ARGFLAG_DOC_HIDDEN))
			continue;
		score = match_score(typed, len, o->longName);
		if (score == SIZE_MAX || score > s->score)
			continue;
		if (score < s->score)
			s->count = 0;
		s->score = score;
		if (s->count <= CLI_SUGGESTIONS_MAX)
			s->names[s->count++] = o->longName;
	}
}

/* "did you mean --host?" for a mistyped long option, from the command's own table; false when none is close. */
static bool suggestion_text(const char *bad, char *buf, size_t size)
{
	struct suggestion s = { { NULL }, 0, SIZE_MAX };
	const char *typed = bad + strspn(bad, "-");
	size_t len = strcspn(typed, "="), used;

	/* "-x" is a short option: no long name is meant. */
	if (parsed_options == NULL || bad[0] != '-' || (bad[1] != '-' && len < 2) || len == 0)
		return false;
	suggest_from(parsed_options, typed, len, &s);
	/* Too many names fit: the list in --help says more than a guess. */
	if (s.count == 0 || s.count > CLI_SUGGESTIONS_MAX)
		return false;
	used = (size_t)snprintf(buf, size, "did you mean ");
	for (size_t i = 0; i < s.count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s--%s",
					 i == 0 ? "" : i + 1 == s.count ? " or " : ", ", s.names[i]);
	if (used < size)
		snprintf(buf + used, size - used, "?");
	return true;
}

/* A usage error with the hint "see mkcsr CMD --help". */
static int usage_see_help(const char *command, const char *message)
{
	char hint[64];

	snprintf(hint, sizeof(hint), "see mkcsr %s --help", command);
	return cli_usage_error(command, message, hint);
}

int cli_popt_error(const char *command, poptContext ctx, int rc)
{
	const char *bad = poptBadOption(ctx, POPT_BADOPTION_NOALIAS);
	char message[1024], hint[256];

	snprintf(message, sizeof(message), "%s: %s", bad, poptStrerror(rc));
	if (rc == POPT_ERROR_BADOPT && suggestion_text(bad, hint, sizeof(hint)))
		return cli_usage_error(command, message, hint);
	return usage_see_help(command, message);
}

int cli_no_operands(const char *command, poptContext ctx)
{
	const char *extra = poptPeekArg(ctx);
	char message[1024];

	if (extra == NULL)
		return 0;
	snprintf(message, sizeof(message), "unexpected argument '%s'", extra);
	return usage_see_help(command, message);
}

const char **cli_popt_argv(int argc, char **argv, const char *name)
{
	const char **copy = calloc((size_t)argc + 1, sizeof(*copy));

	if (copy == NULL)
		return NULL;
	copy[0] = name;
	for (int i = 1; i < argc; i++)
		copy[i] = argv[i];
	return copy;
}

void cli_scrub_argv_secret(int argc, char **argv, const char *source)
{
	size_t source_len = strlen(source);

	if (strncmp(source, "pass:", 5) != 0 || source_len == 5)
		return;
	for (int i = 1; i < argc; i++) {
		size_t len = strlen(argv[i]);

		if (len >= source_len && strcmp(argv[i] + len - source_len, source) == 0)
			memset(argv[i] + len - source_len + 5, '*', source_len - 5);
	}
}

bool cli_options_done(const char *command, poptContext ctx, int last_opt, int *status)
{
	*status = MKCSR_EXIT_OK;
	if (last_opt < -1) {
		*status = cli_popt_error(command, ctx, last_opt);
		return true;
	}
	if (cli_common.version) {
		cli_print_version();
		return true;
	}
	return false;
}

bool cli_parse_done(const char *command, poptContext ctx, int last_opt, int *status)
{
	if (last_opt < -1) {
		*status = cli_popt_error(command, ctx, last_opt);
		return true;
	}
	*status = cli_no_operands(command, ctx);
	if (*status != 0)
		return true;
	return cli_options_done(command, ctx, last_opt, status);
}

enum mkcsr_err cli_list_add(char ***list, size_t *count, char *value)
{
	char **grown = realloc(*list, (*count + 1) * sizeof(*grown));

	if (grown == NULL) {
		free(value);
		return err_set(MKCSR_E_NOMEM, "reading the options");
	}
	*list = grown;
	(*list)[(*count)++] = value;
	return MKCSR_E_OK;
}

void cli_list_free(char **list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(list[i]);
	free(list);
}

void cli_print_version(void)
{
	printf("mkcsr %s (%s)\n", PACKAGE_VERSION, OpenSSL_version(OPENSSL_VERSION));
}

void cli_hold_signals(bool hold)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}
