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
 * from "The error code returned on failure is -2146762495.", and a
 * sentence that starts with one ("-2146762495 was returned").
 */
static bool is_negative_number(const char *arg)
{
	const char *p = arg + 1;

	if (arg[0] != '-' || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	for (; *p; p++) {
		if (*p == ' ' || *p == '\t')
			return true; /* blanks after it: the code alone, or a sentence */
		if (*p != '.')
			return false;
	}
	return true;
}

/*
 * The operands that were not codes, when others were: each named on stderr
 * as an error is, then the hint once; the exit status of a bad code.
 */
static int report_refused(const char *command, char **details, size_t count)
{
	for (size_t i = 0; i < count; i++)
		fprintf(stderr, "mkcsr %s: %s: %s\n", command, err_message(MKCSR_E_BAD_CODE), details[i]);
	fprintf(stderr, "mkcsr %s: hint: %s\n", command, err_hint(MKCSR_E_BAD_CODE));
	return err_exit_code(MKCSR_E_BAD_CODE);
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
	char **refused = NULL;
	size_t count = 0, refused_count = 0;
	char *first_word = NULL;
	const char *first_failure = NULL;
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
	ctx = poptGetContext("mkcsr", popt_argc, popt_argv, options, 0);
	poptSetOtherOptionHelp(ctx, "CODE... (-2146762495, 0x800B0101, 853, CERT_E_EXPIRED)");
	while ((opt = poptGetNextOpt(ctx)) > 0)
		;
	if (cli_options_done(command, ctx, opt, &status))
		goto done;
	if (poptPeekArg(ctx) == NULL && popt_argc == argc) {
		rc = err_set(MKCSR_E_USAGE, "give one or more codes to explain, such as -2146762495 or 0x800B0101");
		goto done;
	}
	/*
	 * Every operand is read before anything is printed.  The codes that are
	 * understood are explained; plain words around them (a sentence pasted
	 * without quotes: mkcsr explain Error 809:) are passed over; any other
	 * operand that is not a code is named on stderr after the explanations,
	 * and the exit status is then 2.
	 */
	codes = calloc((size_t)argc, sizeof(*codes));
	refused = calloc((size_t)argc, sizeof(*refused));
	if (codes == NULL || refused == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the codes");
		goto done;
	}
	/* The codes in the order given: popt's operands keep argv's order, the negatives are taken where they stand. */
	arg = poptGetArg(ctx);
	for (int i = 1; i < argc && rc == MKCSR_E_OK; i++) {
		const char *code = NULL;
		enum mkcsr_err parsed;

		if (is_negative_number(argv[i])) {
			code = argv[i];
		} else if (arg != NULL && strcmp(arg, argv[i]) == 0) {
			code = arg;
			arg = poptGetArg(ctx);
		}
		if (code == NULL)
			continue;
		parsed = explain_parse(code, &codes[count]);
		if (parsed == MKCSR_E_OK) {
			count++;
		} else if (parsed != MKCSR_E_BAD_CODE) {
			rc = parsed;
		} else if (!explain_is_plain_word(code) || first_word == NULL) {
			/* Plain words are kept only for the case where no operand is a code. */
			char *detail = strdup(err_detail());

			if (detail == NULL)
				rc = err_set(MKCSR_E_NOMEM, "reading the codes");
			else if (explain_is_plain_word(code))
				first_word = detail;
			else
				refused[refused_count++] = detail;
			if (first_failure == NULL)
				first_failure = detail;
		}
	}
	if (rc != MKCSR_E_OK)
		goto done;
	/* No code at all: the first operand that is not one is the error. */
	if (count == 0) {
		rc = err_set(MKCSR_E_BAD_CODE, "%s", first_failure);
		goto done;
	}

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

	if (refused_count > 0)
		status = report_refused(command, refused, refused_count);

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	for (size_t i = 0; refused != NULL && i < (size_t)argc; i++)
		free(refused[i]);
	free(refused);
	free(first_word);
	free(codes);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
