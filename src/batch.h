#ifndef MKCSR_BATCH_H
#define MKCSR_BATCH_H

/*
 * Keys and requests for every row of a manifest.  batch_plan checks every
 * row (options, names, templates, old certificates, file names, two rows
 * writing one file) and decides what each needs, before any key is made;
 * batch_run makes them with a pool of worker threads, each with its own
 * OpenSSL contexts, and commits the pairs in groups: files staged, made
 * durable together, installed, each directory fsynced once per group.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "csr.h"
#include "err.h"
#include "manifest.h"
#include "order.h"

enum batch_status {
	BATCH_CREATED,    /* a new pair */
	BATCH_RENEWED,    /* the certificate was due: a new pair, the old one kept aside */
	BATCH_REPLACED,   /* --force: a new pair, the old one kept aside */
	BATCH_KEPT,       /* key and request were there already */
	BATCH_CURRENT,    /* the certificate is valid beyond --renew-within */
	BATCH_FAILED,
	BATCH_NOT_DONE,   /* interrupted before its turn */
	BATCH_STATUS_COUNT_
};

/* "created", "renewed", ... */
const char *batch_status_name(enum batch_status status);

/* What happened to one host, as it is reported. */
struct batch_host {
	unsigned line;
	const char *host;           /* the name its files are named after */
	enum batch_status status;
	const char *key_path;       /* NULL when the row never got that far */
	const char *csr_path;
	const char *key_aside;      /* where a replaced key was kept, or NULL */
	const char *csr_aside;
	const char *spki_sha256;    /* of a new key; NULL otherwise */
	time_t not_after;           /* of the certificate renewed from (0: none) */
	enum mkcsr_err rc;          /* for BATCH_FAILED */
	const char *error;
};

struct batch_progress {
	size_t done;
	size_t total;
};

struct batch_settings {
	const struct manifest *manifest;
	const struct order_options *defaults;
	unsigned jobs;
	bool force;
	long renew_within_days;     /* < 0: not asked */
	const char *like_dir;       /* NULL: none */
	bool fsync_each;            /* fsync every file (else one syncfs per group) */
	const char *key_pass;
	size_t key_pass_len;
	const struct mkcsr_client_info *client;
	volatile sig_atomic_t *stop;   /* set by a signal handler: finish the group, stop */
	time_t now;
	void (*on_host)(void *arg, const struct batch_host *host);
	void (*on_tick)(void *arg, const struct batch_progress *progress);
	void *arg;
};

enum batch_action {
	BATCH_MAKE,
	BATCH_MAKE_RENEW,
	BATCH_MAKE_REPLACE,
	BATCH_SKIP_KEPT,
	BATCH_SKIP_CURRENT,
	BATCH_FAIL_LONE,     /* a key or a request without the other: never touched without --force */
};

struct batch_job {
	uint32_t row;
	uint32_t line;
	uint8_t action;
	time_t not_after;
};

struct batch_plan {
	struct batch_job *jobs;
	size_t count;
	char **dirs;         /* every output directory, once */
	size_t dir_count;
	size_t swept;        /* temporary files of an interrupted batch removed */
};

/*
 * Checks every row; each bad one is added to problems (with its line),
 * and the call then fails with the code of the first.  What mkcsr new
 * would warn about a row goes to warnings (code MKCSR_E_OK).
 */
enum mkcsr_err batch_plan(const struct batch_settings *s, struct batch_plan *plan,
			  struct manifest_problems *problems, struct manifest_problems *warnings);

/* Removes the temporary files an interrupted batch left in the plan's directories. */
void batch_sweep(struct batch_plan *plan);

struct batch_summary {
	size_t count[BATCH_STATUS_COUNT_];
	size_t total;
	double seconds;
	int worst_exit;     /* the highest exit code of a failed host; 0 if none */
	bool interrupted;
};

/* Makes what the plan says; on_host reports each host once, on_tick the progress. */
enum mkcsr_err batch_run(const struct batch_settings *s, const struct batch_plan *plan,
			 struct batch_summary *out);

void batch_plan_clear(struct batch_plan *plan);

#endif
