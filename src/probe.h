#ifndef MKCSR_PROBE_H
#define MKCSR_PROBE_H

/*
 * mkcsr probe's judgement of a live endpoint: what a target is, the checks
 * of the chain the server sent (check_run, as mkcsr check does), the TLS
 * version, the intermediates sent, the SSTP exchange and --expect, and the
 * worker pool that probes many targets at once.  Never prints.
 */

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "chain.h"
#include "check.h"
#include "err.h"
#include "revocation.h"
#include "tlsprobe.h"

#define PROBE_DEFAULT_PORT "443"
#define PROBE_DEFAULT_JOBS 16
#define PROBE_DEFAULT_TIMEOUT 10

struct mkcsr_probe_target {
	char name[256];            /* the name clients use: SNI, Host, checked against the certificate */
	char port[8];
	char connect_host[256];    /* --connect ADDRESS, "" to resolve name */
	char connect_port[8];
	struct sockaddr_storage addr; /* --all-addresses: this address only */
	socklen_t addr_len;        /* 0: resolve */
	char label[700];           /* "vpn.example.com:443", "vpn.example.com:443 via 192.0.2.1:443" */
};

/* NAME[:PORT], [IPv6]:PORT or a bare IPv6 address into host and port (default 443); what names the value. */
enum mkcsr_err probe_parse_hostport(const char *text, const char *what, char *host, size_t host_size, char port[8]);

/* "vpn.example.com:443", "[2001:db8::1]:443" */
void probe_hostport_text(char *buf, size_t size, const char *host, const char *port);

/* A target from NAME[:PORT] and an optional ADDRESS[:PORT] to connect to (port default: NAME's). */
enum mkcsr_err probe_target_init(struct mkcsr_probe_target *t, const char *name, const char *connect);

/* --targets FILE: one "NAME[:PORT] [ADDRESS[:PORT]]" per line, # comments; appended to *targets. */
enum mkcsr_err probe_read_targets(const char *path, struct mkcsr_probe_target **targets, size_t *count);

/*
 * --all-addresses: replaces targets[index] by one target per address its
 * name resolves to, within timeout_ms; an unresolvable name stays as it is
 * (the probe reports it).
 */
enum mkcsr_err probe_expand_addresses(struct mkcsr_probe_target **targets, size_t *count, size_t index,
				      long timeout_ms);

/* --expect: a certificate file, a PFX (password from pass_source) or a 40-hex-digit thumbprint. */
struct mkcsr_probe_expect {
	char thumbprint[41];       /* upper case, as PowerShell shows it; "" when no --expect */
	X509 *cert;                /* NULL for a bare thumbprint */
	char source[300];          /* the --expect value, for messages */
};
enum mkcsr_err probe_load_expect(const char *value, const char *pass_source, struct mkcsr_probe_expect *out);
void probe_expect_clear(struct mkcsr_probe_expect *e);

enum mkcsr_probe_check {
	MKCSR_PROBE_REACH,         /* DNS, TCP, TLS handshake */
	MKCSR_PROBE_TLS,           /* protocol version and cipher */
	MKCSR_PROBE_SENT_CHAIN,    /* the server sent its intermediates */
	MKCSR_PROBE_SSTP,          /* the SSTP exchange (role sstp) */
	MKCSR_PROBE_EXPECT,        /* --expect */
	MKCSR_PROBE_COUNT_
};

const char *probe_check_key(enum mkcsr_probe_check id);
const char *probe_check_title(enum mkcsr_probe_check id);
/* "connect", "tls", "http", "call", "done" */
const char *probe_step_key(enum tlsprobe_step step);
/* "not-tried", "no-http-answer", "http-refused", "no-call-answer", "call-nak", "call-other", "call-ack" */
const char *probe_sstp_key(enum tlsprobe_sstp sstp);

struct mkcsr_probe_config {
	enum mkcsr_role role;      /* MKCSR_ROLE_SSTP or MKCSR_ROLE_TLS */
	int warn_days;
	time_t at;
	const struct mkcsr_certset *anchors;
	const char *ca_dir;
	const struct mkcsr_probe_expect *expect;
	enum mkcsr_revocation_mode revocation;  /* probe's default: FETCH */
	long timeout_ms;
	SSL_CTX *ctx;
	volatile sig_atomic_t *stop;  /* set by a signal: start no more targets */
};

struct mkcsr_probe_result {
	const struct mkcsr_probe_target *target;
	enum mkcsr_role role;
	bool probed;               /* false: interrupted before its turn */
	char address[64];          /* the address connected to, or the last one tried */
	bool dns_failed;
	struct tlsprobe_result tls;
	struct mkcsr_certset served;  /* tls.served: what the server sent */
	/*
	 * The intermediate the leaf's AIA caIssuers names, fetched as Windows
	 * does when the server did not send it (with --revocation fetch only).
	 */
	enum { MKCSR_PROBE_AIA_NOT_NEEDED, MKCSR_PROBE_AIA_NOT_FETCHED, MKCSR_PROBE_AIA_FETCHED,
	       MKCSR_PROBE_AIA_FAILED } aia;
	char aia_url[512];
	char aia_error[256];
	struct mkcsr_certset checked; /* served and the fetched intermediate: what check_run judges */
	bool judged;               /* the handshake completed and check_run ran */
	struct mkcsr_check_report check;
	struct mkcsr_check_item items[MKCSR_PROBE_COUNT_];
	enum mkcsr_exit exit_code;
	long ms_total;
};

/* Probes one target: connect, handshake, SSTP, then the checks; all within config->timeout_ms. */
void probe_one(const struct mkcsr_probe_config *config, const struct mkcsr_probe_target *target,
	       struct mkcsr_probe_result *out);

/*
 * Probes every target with jobs worker threads taking targets from one
 * queue; results[i] is target i's, written by one worker.  While they run,
 * tick(done, total, arg) is called from the calling thread about ten times
 * a second (may be NULL).
 */
enum mkcsr_err probe_run_all(const struct mkcsr_probe_config *config, const struct mkcsr_probe_target *targets,
			     size_t count, unsigned jobs, struct mkcsr_probe_result *results,
			     void (*tick)(size_t done, size_t total, void *arg), void *arg);

/* The worst over results: 8 unreachable, then 5 mismatch, 6 failed, 7 expiring, 0. */
enum mkcsr_exit probe_worst_exit(const struct mkcsr_probe_result *results, size_t count);

void probe_result_clear(struct mkcsr_probe_result *r);

#endif
