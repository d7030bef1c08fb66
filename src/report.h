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

#include "check.h"
#include "csr.h"
#include "pfx.h"
#include "request.h"
#include "winerr.h"

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
	const char *inf_path;           /* --write-inf, or NULL */
};

void report_new_text(FILE *out, const struct mkcsr_new_report *r, bool verbose);
/* NULL when a value cannot be represented (a file name that is not UTF-8). */
json_t *report_new_json(const struct mkcsr_new_report *r);

/* Print a JSON document followed by a newline; false on failure. */
bool report_print_json(FILE *out, json_t *doc);

#endif

/* ---- mkcsr check ---- */


void report_check_text(FILE *out, const struct mkcsr_check_report *r, bool verbose);
json_t *report_check_json(const struct mkcsr_check_report *r);
/* "PASS", "WARN", "FAIL" or "SKIP": the label a check line starts with, in check and probe alike. */
const char *report_status_label(enum mkcsr_check_status status);

/*
 * {"verdict": "offline", "sources": [{"certificate", "depth", "kind": "crl"|"ocsp", "url", "status",
 * "text", "detail", "this_update", "next_update", "revoked_at", "reason", "proxy"}, ...]}: what
 * --revocation fetch adds to the revocation check's object (mkcsr probe uses it too).
 */
json_t *report_revocation_json(const struct mkcsr_revocation_result *r);

/* ---- mkcsr pfx ---- */

#define REPORT_PFX_MAX_NOTES 8


struct mkcsr_pfx_report {
	const char *path;
	const char *friendly_name;
	char thumbprint[41];
	const char *subject;
	enum mkcsr_pfx_profile profile;
	const char *provider;          /* NULL: none written */
	bool machine_keyset;
	size_t ca_count;               /* certificates after the leaf */
	bool root_included;
	enum mkcsr_role role;
	const char *password_file;     /* --pass generate:FILE, else NULL */
	const char *overridden;        /* checks --force overrode, "" if none */
	const char *repacked_from;     /* the PFX given to --cert, else NULL */
	enum mkcsr_pfx_profile repacked_windows;  /* which Windows imported that one */
	char warnings[REPORT_PFX_MAX_NOTES][1024];  /* said on stderr too */
	size_t warning_count;
	char notes[REPORT_PFX_MAX_NOTES][1024];
	size_t note_count;
};

void report_pfx_text(FILE *out, const struct mkcsr_pfx_report *r);

/* ---- mkcsr explain ---- */

struct mkcsr_code;
void report_explain_text(FILE *out, const struct mkcsr_code *c);
json_t *report_explain_json(const struct mkcsr_code *c);
json_t *report_pfx_json(const struct mkcsr_pfx_report *r);

/* ---- mkcsr probe ---- */

struct mkcsr_probe_result;
/* One block per target. */
void report_probe_text(FILE *out, const struct mkcsr_probe_result *r, bool verbose);
/* One line per target, for cron mail. */
void report_probe_summary(FILE *out, const struct mkcsr_probe_result *r);
/* One document for every target; NULL when a value cannot be represented. */
json_t *report_probe_json(const struct mkcsr_probe_result *results, size_t count, int exit_code);
const char *report_probe_result_text(int exit_code);

/* Shared by the renderers: {"name", "hex", "decimal"} or null; "2027-06-01T00:00:00Z". */
json_t *report_win_code_json(uint32_t code);
const char *report_iso_time(const ASN1_TIME *t, char *buf, size_t size);
