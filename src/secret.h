#ifndef MKCSR_SECRET_H
#define MKCSR_SECRET_H

/*
 * Passphrases from a SOURCE, as OpenSSL's apps take them:
 *   env:VAR   file:PATH   fd:N   stdin   prompt   pass:TEXT (warned: visible in ps)
 * The text is the first line of what the source gives, without its line
 * end.  A secret is kept in memory that secret_clear() wipes.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define SECRET_MAX 1024

struct mkcsr_secret {
	char *text;     /* NUL-terminated, wiped on clear */
	size_t len;
};

/* Checks the form of a SOURCE without reading it; *on_argv is set for pass:. */
enum mkcsr_err secret_check_source(const char *source, bool *on_argv);

/*
 * Read the secret.  what names it in prompts and messages ("key passphrase");
 * confirm asks twice when prompting.
 */
enum mkcsr_err secret_read(const char *source, const char *what, bool confirm, struct mkcsr_secret *out);

/*
 * secret_read of a password that opens a file (a PFX): an empty one is
 * accepted, since files are made with one; never for one that protects.
 */
enum mkcsr_err secret_read_to_open(const char *source, const char *what, struct mkcsr_secret *out);

/* A new random password: 24 characters of URL-safe Base64 (144 bits). */
enum mkcsr_err secret_generate(struct mkcsr_secret *out);

void secret_clear(struct mkcsr_secret *secret);

#endif
