#ifndef MKCSR_CHECK_H
#define MKCSR_CHECK_H

/*
 * Is an issued certificate fit for its job?  Every check is run and
 * reported on its own, with the Windows error a client would show for a
 * failure.  One report structure feeds the text and JSON renderers and
 * the exit code.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "chain.h"
#include "err.h"
#include "revocation.h"

enum mkcsr_role {
	MKCSR_ROLE_SSTP,    /* RRAS SSTP: TLS server */
	MKCSR_ROLE_IKEV2,   /* RRAS IKEv2 server */
	MKCSR_ROLE_NPS,     /* NPS (PEAP / EAP-TLS) server */
	MKCSR_ROLE_CLIENT,  /* user tunnel client */
	MKCSR_ROLE_DEVICE,  /* device tunnel client */
	MKCSR_ROLE_TLS,     /* any TLS server (HTTPS, a load balancer in front of RRAS) */
};

enum mkcsr_check_status {
	MKCSR_CHECK_PASS,
	MKCSR_CHECK_WARN,
	MKCSR_CHECK_FAIL,
	MKCSR_CHECK_SKIP,
};

enum mkcsr_check_id {
	MKCSR_CHECK_KEY,
	MKCSR_CHECK_REQUEST,
	MKCSR_CHECK_VALIDITY,
	MKCSR_CHECK_NAME,
	MKCSR_CHECK_USAGE,
	MKCSR_CHECK_KEY_USAGE,
	MKCSR_CHECK_CHAIN,
	MKCSR_CHECK_REVOCATION,
	MKCSR_CHECK_COUNT_
};

struct mkcsr_check_item {
	enum mkcsr_check_status status;
	enum mkcsr_exit exit_code;   /* what a failure (or an expiry warning) makes the exit status */
	uint32_t win_code;           /* the Windows error for a failure or warning, 0 if none */
	char detail[1024];
};

struct mkcsr_check_input {
	const struct mkcsr_certset *certs;   /* the --cert file's and the --chain files' */
	const char *cert_path;
	EVP_PKEY *key;                       /* NULL without --key */
	const char *key_path;
	bool key_in_cert_file;               /* the key came in the --cert PFX (key_path is that file) */
	X509_REQ *csr;                       /* NULL without --csr */
	const char *csr_path;
	const char *host;                    /* NULL: the request's name */
	enum mkcsr_role role;
	const struct mkcsr_certset *anchors; /* --ca-file; NULL for the system store */
	const char *ca_dir;                  /* --ca-dir, or NULL */
	time_t at;                           /* "now" */
	int warn_days;                       /* < 0: no warning window */
	bool skip_chain;                     /* leave the trust store alone (mkcsr pfx) */
	bool served_chain;                   /* the certificates are what a server sent (mkcsr probe), not files */
	enum mkcsr_revocation_mode revocation;  /* 0, NAMES: list the CRL/OCSP addresses, fetch nothing */
	/*
	 * FETCH only: the absolute end, on CLOCK_MONOTONIC, of all the network
	 * work of this check (every CRL and OCSP fetch together); {0, 0}:
	 * MKCSR_REVOCATION_DEFAULT_TIMEOUT seconds from the start of check_run.
	 */
	struct timespec deadline;
};

struct mkcsr_check_report {
	const struct mkcsr_cert *leaf;       /* in the input's certset */
	char host[256];                      /* "" when no name was checked */
	enum mkcsr_role role;
	time_t at;
	long days_left;
	STACK_OF(X509) *path;                /* leaf's issuers found (verified chain when it built) */
	char trust[64];                      /* where the anchors came from */
	struct mkcsr_check_item items[MKCSR_CHECK_COUNT_];
	enum mkcsr_revocation_mode revocation_mode;
	struct mkcsr_revocation_result revocation;  /* FETCH: every source and its answer (else empty) */
	char note[320];                      /* about the --cert file itself (a PFX without a password), or "" */
};

enum mkcsr_err check_parse_role(const char *text, enum mkcsr_role *out);

/* The role mkcsr new --template marked in a key file, if any (out is left alone otherwise). */
enum mkcsr_err role_from_key(const char *key_path, enum mkcsr_role *out);
const char *check_role_key(enum mkcsr_role role);          /* "sstp" */
const char *check_role_description(enum mkcsr_role role);  /* "RRAS SSTP server" */
bool check_role_is_server(enum mkcsr_role role);

/* "key", "request", ... and a one-line title for each check. */
const char *check_id_key(enum mkcsr_check_id id);
const char *check_id_title(enum mkcsr_check_id id);
const char *check_status_key(enum mkcsr_check_status status);  /* "pass", "warn", "fail", "skip" */

/* --at: "2027-06-01", "2027-06-01T12:00:00Z", "2027-06-01 12:00:00" (UTC) or "@EPOCH". */
enum mkcsr_err check_parse_time(const char *text, time_t *out);

/* Runs every check; errors are only for input that cannot be used at all. */
enum mkcsr_err check_run(const struct mkcsr_check_input *in, struct mkcsr_check_report *out);

/* Mismatch beats a failed requirement, which beats expiring soon. */
enum mkcsr_exit check_exit_code(const struct mkcsr_check_report *report);

void check_report_clear(struct mkcsr_check_report *report);

#endif
