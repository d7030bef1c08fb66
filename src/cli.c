#include <config.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "cli.h"

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

static int print_openssl_error(const char *str, size_t len, void *unused)
{
	fprintf(stderr, "mkcsr %s: openssl: %.*s", reporting_command, (int)len, str);
	return 1;
}

int cli_report(const char *command, enum mkcsr_err rc)
{
	const char *detail = err_detail();
	const char *hint = err_hint(rc);

	if (detail[0] != '\0')
		fprintf(stderr, "mkcsr %s: %s: %s\n", command, err_message(rc), detail);
	else
		fprintf(stderr, "mkcsr %s: %s\n", command, err_message(rc));
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

void cli_warn(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkcsr %s: warning: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_popt_error(const char *command, poptContext ctx, int rc)
{
	fprintf(stderr, "mkcsr %s: %s: %s\n", command, poptBadOption(ctx, POPT_BADOPTION_NOALIAS), poptStrerror(rc));
	fprintf(stderr, "mkcsr %s: hint: see mkcsr %s --help\n", command, command);
	return MKCSR_EXIT_USAGE;
}

int cli_no_operands(const char *command, poptContext ctx)
{
	const char *extra = poptPeekArg(ctx);

	if (extra == NULL)
		return 0;
	fprintf(stderr, "mkcsr %s: unexpected argument '%s'\n", command, extra);
	fprintf(stderr, "mkcsr %s: hint: see mkcsr %s --help\n", command, command);
	return MKCSR_EXIT_USAGE;
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
