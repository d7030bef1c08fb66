#ifndef MKCSR_ERR_H
#define MKCSR_ERR_H

/*
 * Error codes and exit codes.
 *
 * Modules return an enum mkcsr_err and record one line of detail naming
 * the file or value at fault with err_set(); commands print it with
 * cli_report() and exit with err_exit_code().  Modules never print.
 */

/* The exit codes are a contract with scripts: stable and distinct. */
enum mkcsr_exit {
	MKCSR_EXIT_OK = 0,
	MKCSR_EXIT_IO = 1,       /* I/O, memory or cryptographic failure */
	MKCSR_EXIT_USAGE = 2,    /* bad option or value; nothing was done */
	MKCSR_EXIT_INPUT = 3,    /* unreadable or malformed input */
	MKCSR_EXIT_EXISTS = 4,   /* refused to overwrite an existing file */
	MKCSR_EXIT_MISMATCH = 5, /* key and certificate do not belong together */
	MKCSR_EXIT_FAILED = 6,   /* the certificate fails a requirement */
	MKCSR_EXIT_EXPIRING = 7, /* valid, but expires within the warning window */
	MKCSR_EXIT_UNREACHABLE = 8, /* mkcsr probe: a target could not be reached (DNS, TCP, TLS, timeout) */
};

enum mkcsr_err {
#define MKCSR_ERR(name, exit_class, message, hint) MKCSR_E_##name,
#include "err.def"
#undef MKCSR_ERR
	MKCSR_E_COUNT_
};

/* Record the detail line for code and return code, for "return err_set(...)". */
enum mkcsr_err err_set(enum mkcsr_err code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The same, naming the file the error concerns (reported as "file" by --json). */
enum mkcsr_err err_set_file(enum mkcsr_err code, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The file of the last err_set_file(), or NULL (err_set() records none). */
const char *err_file(void);

/* Name file as the one the recorded error concerns, unless it names one already. */
void err_note_file(const char *file);

/* Forget the recorded detail (and OpenSSL's error queue). */
void err_clear(void);

/* The detail recorded by the last err_set(), or "" when none. */
const char *err_detail(void);

/* Constant texts from err.def. */
const char *err_message(enum mkcsr_err code);
const char *err_hint(enum mkcsr_err code);
const char *err_name(enum mkcsr_err code);
enum mkcsr_exit err_exit_code(enum mkcsr_err code);

#endif
