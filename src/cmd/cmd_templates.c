/*
 * mkcsr templates: the role templates mkcsr new --template can start from,
 * one line each.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "display.h"
#include "commands.h"
#include "report.h"
#include "template.h"

/* Text from a file goes out as display.h shows it. */
static void print_safe(const char *text)
{
	char *shown = display_text(text);

	fputs(shown ? shown : "(out of memory)", stdout);
	free(shown);
}

/* The same for --json: the JSON string holds the escapes; null for NULL. */
static json_t *json_shown(const char *text)
{
	char *shown = text ? display_text(text) : NULL;
	json_t *value = shown ? json_string(shown) : json_null();

	free(shown);
	return value;
}

/* One line each: the name, what it makes, and where it comes from; with -v, where names are looked up. */
static void print_list(const struct template_info *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		printf("%-14s ", list[i].name);
		print_safe(list[i].summary ? list[i].summary : "(no mkcsr-summary)");
		printf("  [");
		print_safe(list[i].path ? list[i].path : "built-in");
		printf("]\n");
	}
	if (!cli_common.verbose)
		return;
	printf("\nA name is looked up in this order, the first found wins:\n");
	if (template_env_dir() != NULL) {
		printf("  MKCSR_TEMPLATE_DIR  ");
		print_safe(template_env_dir());
		putchar('\n');
	}
	printf("  installed           %s%s\n", template_installed_dir(),
	       access(template_installed_dir(), F_OK) == 0 ? "" : " (not there)");
	printf("  built-in            ");
	for (size_t i = 0; i < template_builtin_count; i++)
		printf("%s%s", i ? ", " : "", template_builtins[i].name);
	putchar('\n');
}

int cmd_templates(int argc, char **argv)
{
	static const char *const command = "templates";
	struct poptOption options[] = {
		{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, cli_common_options, 0, "Common options:", NULL },
		POPT_AUTOHELP POPT_TABLEEND
	};
	const char **popt_argv = cli_popt_argv(argc, argv, "mkcsr templates");
	struct template_info *list = NULL;
	size_t count = 0;
	poptContext ctx = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	int opt, status = MKCSR_EXIT_OK;

	if (popt_argv == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading the options");
		goto done;
	}
	ctx = cli_popt_context(argc, popt_argv, options);
	while ((opt = poptGetNextOpt(ctx)) > 0)
		;
	if (cli_parse_done(command, ctx, opt, &status))
		goto done;

	rc = template_list(&list, &count);
	if (rc != MKCSR_E_OK)
		goto done;
	if (cli_common.json) {
		json_t *doc = json_object(), *array = json_array(), *dirs = json_array();

		for (size_t i = 0; i < count; i++)
			json_array_append_new(array, json_pack("{s:s, s:o, s:o, s:s, s:o}", "name", list[i].name, "role",
							       json_shown(list[i].role), "summary", json_shown(list[i].summary),
							       "origin", template_origin_name(list[i].origin), "file",
							       json_shown(list[i].path)));
		if (template_env_dir() != NULL)
			json_array_append_new(dirs, json_string(template_env_dir()));
		json_array_append_new(dirs, json_string(template_installed_dir()));
		json_object_set_new(doc, "directories", dirs);
		json_object_set_new(doc, "templates", array);
		if (!report_print_json(stdout, doc))
			rc = err_set(MKCSR_E_WRITE, "standard output: cannot print the JSON report");
		json_decref(doc);
	} else if (!cli_common.quiet) {
		print_list(list, count);
	}
	if (rc == MKCSR_E_OK && fflush(stdout) != 0)
		rc = err_set(MKCSR_E_WRITE, "standard output: %s", strerror(errno));

done:
	if (rc != MKCSR_E_OK)
		status = cli_report(command, rc);
	for (size_t i = 0; i < count; i++)
		template_info_clear(&list[i]);
	free(list);
	poptFreeContext(ctx);
	free(popt_argv);
	return status;
}
