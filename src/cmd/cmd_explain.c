/*
 * mkcsr explain CODE...: what a Windows error code means, in every form
 * admins paste it (alone or in the sentence of the event that gave it),
 * with the usual cause and fix for the codes Always On VPN admins meet and
 * the mkcsr command that detects or prevents them.
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
 * The operands that were not codes, when others were: each reported as an
 * error is (its line, its hint, and with --json the error object that
 * cli_finish prints); the exit status of a bad code.
 */
static int report_refused(const char *command, char **details, size_t count)
{
	int status = MKCSR_EXIT_OK;

	for (size_t i = 0; i < count; i++)
		status = cli_report(command, err_set(MKCSR_E_BAD_CODE, "%s", details[i]));
	return status;
}

/* The operands read: the codes, and what was not a code. */
struct operands {
	struct mkcsr_code *codes;
	size_t count;
	char **refused;            /* details of the operands that are not codes (plain words aside) */
	size_t refused_count;
	char *first_word;          /* the first plain word's detail, for when nothing is a code */
	const char *first_failure; /* the first of either */
};

static void operands_free(struct operands *ops)
{
	for (size_t i = 0; i < ops->refused_count; i++)
		free(ops->refused[i]);
	free(ops->refused);
	free(ops->first_word);
	free(ops->codes);
}

/* Sorts one operand that explain_parse refused: a plain word, or one to name. */
static enum mkcsr_err keep_refused(struct operands *ops, const char *operand)
{
	bool word = explain_is_plain_word(operand);
	char *detail;

	/* Plain words are kept only for the case where no operand is a code. */
	if (word && ops->first_word != NULL)
		return MKCSR_E_OK;
	detail = strdup(err_detail());
	if (detail == NULL)
		return err_set(MKCSR_E_NOMEM, "reading the codes");
	if (word)
		ops->first_word = detail;
	else
		ops->refused[ops->refused_count++] = detail;
	if (ops->first_failure == NULL)
		ops->first_failure = detail;
	return MKCSR_E_OK;
}

/*
 * Every operand, in the order given: popt's operands keep argv's order, the
 * negative numbers popt did not see are taken where they stand.
 */
static enum mkcsr_err read_operands(int argc, char **argv, poptContext ctx, struct operands *ops)
{
	const char *arg = poptGetArg(ctx);
	enum mkcsr_err rc = MKCSR_E_OK;

	ops->codes = calloc((size_t)argc, sizeof(*ops->codes));
	ops->refused = calloc((size_t)argc, sizeof(*ops->refused));
	if (ops->codes == NULL || ops->refused == NULL)
		return err_set(MKCSR_E_NOMEM, "reading the codes");
	for (int i = 1; i < argc && rc == MKCSR_E_OK; i++) {
		const char *operand = NULL;

		if (is_negative_number(argv[i])) {
			operand = argv[i];
		} else if (arg != NULL && strcmp(arg, argv[i]) == 0) {
			operand = arg;
			arg = poptGetArg(ctx);
		}
		if (operand == NULL)
			continue;
		rc = explain_parse(operand, &ops->codes[ops->count]);
		if (rc == MKCSR_E_OK)
			ops->count++;
		else if (rc == MKCSR_E_BAD_CODE)
			rc = keep_refused(ops, operand);
	}
	/* No code at all: the first operand that is not one is the error. */
	if (rc == MKCSR_E_OK && ops->count == 0)
		rc = err_set(MKCSR_E_BAD_CODE, "%s", ops->first_failure);
	return rc;
}

static enum mkcsr_err print_codes(const struct operands *ops)
{
	enum mkcsr_err rc = MKCSR_E_OK;

	/* With --json a failure is the error object alone (printed by cli_finish), as for inspect. */
	if (cli_common.json && ops->refused_count > 0)
		return MKCSR_E_OK;
	if (cli_common.json) {
		json_t *doc = json_array();

		for (size_t i = 0; i < ops->count; i++)
			json_array_append_new(doc, report_explain_json(&ops->codes[i]));
		if (!report_print_json(stdout, doc))
			rc = err_set(MKCSR_E_WRITE, "standard output: cannot print the JSON report");
		json_decref(doc);
	} else if (!cli_common.quiet) {
		for (size_t i = 0; i < ops->count; i++) {
			if (i > 0)
				fputc('\n', stdout);
			report_explain_text(stdout, &ops->codes[i]);
		}
	}
	if (rc == MKCSR_E_OK && fflush(stdout) != 0)
		rc = err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno));
	return rc;
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
	struct operands ops = { 0 };
	poptContext ctx = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK;

	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	/* popt sees everything but the negative numbers; read_operands puts them back in order. */
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
	/*
	 * Every operand is read before anything is printed.  The codes that are
	 * understood are explained; plain words around them (a sentence pasted
	 * without quotes: mkcsr explain Error 809:) are passed over; any other
	 * operand that is not a code is reported after the explanations, and the
	 * exit status is then 2 (with --json: the error object alone).
	 */
	rc = read_operands(argc, argv, ctx, &ops);
	if (rc == MKCSR_E_OK)
		rc = print_codes(&ops);
	if (rc == MKCSR_E_OK && ops.refused_count > 0)
		status = report_refused(command, ops.refused, ops.refused_count);

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	operands_free(&ops);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
