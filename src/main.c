/*
 * mkcsr: certificate requests, checks and PFX files for Windows servers.
 * This file only routes: global options, the command table, exit codes.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "commands.h"
#include "err.h"

struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "new", "create a key and a certificate request like certlm's custom request (the default)", cmd_new },
	{ "check", "check an issued certificate against its key, request, host, role and chain", cmd_check },
	{ "pfx", "build a PFX that Windows imports into LocalMachine\\My", cmd_pfx },
	{ "templates", "list the role templates mkcsr new --template starts from", cmd_templates },
	{ "explain", "what a Windows error code means (-2146762495, 0x800B0101, 853, CERT_E_EXPIRED)", cmd_explain },
	{ "inspect", "show what a request, certificate, bundle, PFX, key or certreq INF file holds", cmd_inspect },
	{ "batch", "keys and requests for every host of a manifest (a fleet), in one run", cmd_batch },
	{ "probe", "what a live SSTP or TLS endpoint presents, judged as a Windows client would", cmd_probe },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: mkcsr [COMMAND] [OPTION...]\n"
		     "       mkcsr --host vpn.example.com     (same as: mkcsr new --host ...)\n\n"
		     "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nRun 'mkcsr COMMAND --help' for a command's options; 'man mkcsr' for exit codes.\n");
}

static int unknown_command(const char *name)
{
	char message[512];

	snprintf(message, sizeof(message), "unknown command '%s'", name);
	return cli_usage_error(NULL, message, "run 'mkcsr --help' for the list of commands");
}

int main(int argc, char **argv)
{
	/*
	 * OpenSSL's configuration file is read only when OPENSSL_CONF names one:
	 * nothing in the default file concerns mkcsr, and parsing it costs a
	 * tenth of making a request.  Nor does OpenSSL free its tables at exit:
	 * the process is ending, and that too costs a tenth.
	 */
	uint64_t init = OPENSSL_INIT_NO_ATEXIT |
			(getenv("OPENSSL_CONF") ? OPENSSL_INIT_LOAD_CONFIG : OPENSSL_INIT_NO_LOAD_CONFIG);

	if (!OPENSSL_init_crypto(init, NULL)) {
		fprintf(stderr, "mkcsr: cannot initialize OpenSSL\n");
		return MKCSR_EXIT_IO;
	}

	if (argc < 2) {
		usage(stderr);
		return MKCSR_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-?") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return MKCSR_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		cli_print_version();
		return MKCSR_EXIT_OK;
	}
	/* Options without a verb are "new": mkcsr --host vpn.example.com */
	if (argv[1][0] == '-')
		return cli_finish(cmd_new(argc, argv), argc, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return cli_finish(commands[i].run(argc - 1, argv + 1), argc, argv);

	return cli_finish(unknown_command(argv[1]), argc, argv);
}
