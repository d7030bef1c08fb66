#ifndef MKCSR_REPORT_H
#define MKCSR_REPORT_H

/*
 * Rendering results for people (text) and programs (JSON, built with
 * jansson).  Both renderers take the same structure, so they cannot say
 * different things.
 */

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "csr.h"
#include "request.h"

/* What "mkcsr new" made. */
struct mkcsr_new_report {
	const struct mkcsr_request *req;
	const char *subject;            /* RFC 4514 text, "" for an empty subject */
	const char *key_description;    /* "ECDSA P-256" */
	const char *key_type;           /* "ec:P-256", as --key-type spells it */
	const char *signature;          /* "ecdsa-with-SHA256" */
	char spki_sha256[65];
	char ski_hex[41];               /* "" when the request has no SKI */
	const char *key_path;
	bool key_encrypted;
	const char *csr_path;
	struct mkcsr_csr_encoding csr_encoding;
};

void report_new_text(FILE *out, const struct mkcsr_new_report *r, bool verbose);
/* NULL when a value cannot be represented (a file name that is not UTF-8). */
json_t *report_new_json(const struct mkcsr_new_report *r);

/* Print a JSON document followed by a newline; false on failure. */
bool report_print_json(FILE *out, json_t *doc);

#endif
