/*
 * mkcsr explain CODE...: what a Windows error code means, in every form
 * admins paste it, with the usual cause and fix for the codes Always On
 * VPN admins meet and the mkcsr command that detects or prevents them.
 */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "explain.h"
#include "report.h"

/*
 * "-2146762495": a signed decimal code, which popt would take for options;
 * also with the full stop and blanks that explain_parse drops, as copied
 * from "The error code returned on failure is -2146762495."
 */
static bool is_negative_number(const char *arg)
{
	const char *p = arg + 1;

	if (arg[0] != '-' || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	for (; *p; p++)
		if (*p != '.' && *p != ' ' && *p != '\t')
			return false;
	return true;
}

int cmd_explain(int argc, char **argv)
{
	static const char *const command = "explain";
	struct poptOption options[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = cli_popt_argv(argc, argv, "mkcsr explain");
	int popt_argc = 1;
	struct mkcsr_code *codes = NULL;
	size_t count = 0;
	poptContext ctx = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	const char *arg;
	int opt, status = MKCSR_EXIT_OK;

	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	/* popt sees everything but the negative numbers; they are put back in order below. */
	for (int i = 1; i < argc; i++)
		if (!is_negative_number(argv[i]))
			popt_argv[popt_argc++] = argv[i];
	popt_argv[popt_argc] = NULL;
	ctx = cli_popt_context(popt_argc, popt_argv, options);
	poptSetOtherOptionHelp(ctx, "CODE... (-2146762495, 0x800B0101, 853, CERT_E_EXPIRED)");
	while ((opt = poptGetNextOpt(ctx)) > 0)
		;
	if (cli_options_done(command, ctx, opt, &status))
		goto done;
	if (poptPeekArg(ctx) == NULL && popt_argc == argc) {
		rc = err_set(MKCSR_E_USAGE, "give one or more codes to explain, such as -2146762495 or 0x800B0101");
		goto done;
	}
	/* Every code is read before anything is printed: one bad code stops the lot. */
	codes = calloc((size_t)argc, sizeof(*codes));
	if (codes == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the codes");
		goto done;
	}
	/* The codes in the order given: popt's operands keep argv's order, the negatives are taken where they stand. */
	arg = poptGetArg(ctx);
	for (int i = 1; i < argc && rc == MKCSR_E_OK; i++) {
		const char *code = NULL;

		if (is_negative_number(argv[i])) {
			code = argv[i];
		} else if (arg != NULL && strcmp(arg, argv[i]) == 0) {
			code = arg;
			arg = poptGetArg(ctx);
		}
		if (code != NULL) {
			rc = explain_parse(code, &codes[count]);
			count += rc == MKCSR_E_OK;
		}
	}
	if (rc != MKCSR_E_OK)
		goto done;

	if (cli_common.json) {
		json_t *doc = json_array();

		for (size_t i = 0; i < count; i++)
			json_array_append_new(doc, report_explain_json(&codes[i]));
		if (!report_print_json(stdout, doc))
			rc = err_set(MKCSR_E_WRITE, "standard output: cannot print the JSON report");
		json_decref(doc);
	} else if (!cli_common.quiet) {
		for (size_t i = 0; i < count; i++) {
			if (i > 0)
				fputc('\n', stdout);
			report_explain_text(stdout, &codes[i]);
		}
	}
	if (rc == MKCSR_E_OK && fflush(stdout) != 0)
		rc = err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno));

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	free(codes);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
