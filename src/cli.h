#ifndef MKCSR_CLI_H
#define MKCSR_CLI_H

/*
 * What every command shares: the common options (-q, -v, --json,
 * --version), popt error handling, and how errors and warnings reach the
 * user (one line naming the value or file, then a hint, on stderr).
 */

#include <stdbool.h>

#include <popt.h>

#include "err.h"

struct cli_common {
	int quiet;
	int verbose;
	int json;
	int version;
};

extern struct cli_common cli_common;
extern struct poptOption cli_common_options[];

/* Print the error for rc (and OpenSSL's queue with -v); returns its exit code. */
int cli_report(const char *command, enum mkcsr_err rc);

/* The same with only the detail on stderr ("mkcsr pfx: DETAIL"), for a detail that says it all. */
int cli_report_detail(const char *command, enum mkcsr_err rc);

/*
 * A usage error found by the command itself: "mkcsr CMD: message" and
 * "mkcsr CMD: hint: hint" on stderr (command NULL: "mkcsr: ..."), recorded
 * for --json like cli_report(); returns the usage exit code.
 */
int cli_usage_error(const char *command, const char *message, const char *hint);

/*
 * After a command: with --json (parsed, or in argv when a usage error came
 * first), prints on stdout the error that decided a failing status as
 * {"error": {"code", "message", "hint", "file", "exit"}}.  Returns status.
 */
int cli_finish(int status, int argc, char **argv);

/* "mkcsr CMD: warning: ..." on stderr. */
void cli_warn(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * After a command's popt loop: reports a parse error (last_opt < -1) or a
 * stray operand, or prints the version; true when the command is done, with
 * its exit status in *status.
 */
bool cli_parse_done(const char *command, poptContext ctx, int last_opt, int *status);

/* The same for a command whose operands are its input (explain, inspect): they are left to it. */
bool cli_options_done(const char *command, poptContext ctx, int last_opt, int *status);

/* Appends a repeatable option's value (popt's malloc'ed copy, owned from here on). */
enum mkcsr_err cli_list_add(char ***list, size_t *count, char *value);
void cli_list_free(char **list, size_t count);

/*
 * Report a popt parse failure (rc < -1 from poptGetNextOpt); returns the
 * usage exit code.  An unknown option gets "did you mean --host?" when a
 * long option of the command's table (cli_popt_context) is close to it.
 */
int cli_popt_error(const char *command, poptContext ctx, int rc);

/* poptGetContext for a command's table, remembered for the hint above. */
poptContext cli_popt_context(int argc, const char **argv, const struct poptOption *options);

/* The longest option name compared, and the most names one hint offers. */
#define CLI_OPTION_MAX 40
#define CLI_SUGGESTIONS_MAX 4

/* Refuse operands a command does not take; returns 0 or the usage exit code. */
int cli_no_operands(const char *command, poptContext ctx);

/*
 * argv for popt with argv[0] replaced by name ("mkcsr new"), which popt's
 * --help shows as the program; malloc'ed, the strings are argv's.
 */
const char **cli_popt_argv(int argc, char **argv, const char *name);

/*
 * Overwrite the secret part of a pass:TEXT option value wherever it stands
 * in argv, so that it leaves the process list as soon as it is parsed.
 */
void cli_scrub_argv_secret(int argc, char **argv, const char *source);

/* "mkcsr 0.1.0 (OpenSSL 3.0.x ...)" */
void cli_print_version(void);

/* Block (or unblock) SIGINT, SIGTERM and SIGHUP around a commit of files. */
void cli_hold_signals(bool hold);

#endif
