#ifndef MKCSR_TLSPROBE_H
#define MKCSR_TLSPROBE_H

/*
 * The transport of mkcsr probe: resolve, connect, TLS handshake with SNI,
 * and the opening MS-SSTP exchange (through sstp.c), each step bounded by one
 * deadline on non-blocking sockets with poll.  Reports what happened; judges
 * nothing.  Safe to run in several threads at once, one target per call.
 */

#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sstp.h"

/* A point in CLOCK_MONOTONIC time, ms from now; and the ms left until it (0 once past). */
struct timespec tlsprobe_deadline(long ms);
long tlsprobe_ms_left(const struct timespec *deadline);
long tlsprobe_ms_since(const struct timespec *start);

/*
 * The addresses host resolves to (numeric hosts without a lookup), waiting
 * no longer than the deadline.  On failure, NULL with a reason in err.
 */
struct addrinfo *tlsprobe_resolve(const char *host, const char *port, const struct timespec *deadline, char *err,
				  size_t err_size);

/* "127.0.0.1:443", "[::1]:443" */
const char *tlsprobe_address_text(const struct sockaddr *addr, char *buf, size_t size);

/*
 * One client context for every probe: TLS 1.0 to 1.3 at security level 0 and
 * no verification, so that the handshake completes with whatever the server
 * offers and the verdict is left to the checks.
 */
SSL_CTX *tlsprobe_ctx_new(void);

enum tlsprobe_step {
	TLSPROBE_STEP_CONNECT,   /* TCP */
	TLSPROBE_STEP_TLS,       /* the handshake */
	TLSPROBE_STEP_HTTP,      /* SSTP_DUPLEX_POST and its answer */
	TLSPROBE_STEP_CALL,      /* Call Connect Request and its answer */
	TLSPROBE_STEP_DONE,
};

/* How far the SSTP exchange got. */
enum tlsprobe_sstp {
	TLSPROBE_SSTP_NOT_TRIED,
	TLSPROBE_SSTP_NO_HTTP_ANSWER,    /* closed or silent after the request */
	TLSPROBE_SSTP_HTTP_REFUSED,      /* an answer other than 200 with the 2^64-1 length */
	TLSPROBE_SSTP_NO_CALL_ANSWER,    /* 200, then closed or silent after the Call Connect Request */
	TLSPROBE_SSTP_CALL_NAK,          /* Call Connect Nak */
	TLSPROBE_SSTP_CALL_OTHER,        /* another message, or bytes that are not SSTP */
	TLSPROBE_SSTP_CALL_ACK,          /* Call Connect Ack: an SSTP listener took the call */
};

struct tlsprobe_target {
	const char *name;                /* SNI (unless an IP literal) */
	const char *host_header;         /* Host: "vpn.example.com" or "vpn.example.com:8443" */
	const struct sockaddr *addr;
	socklen_t addr_len;
	bool sstp;                       /* speak SSTP after the handshake */
	struct timespec deadline;
	SSL_CTX *ctx;
};

struct tlsprobe_result {
	enum tlsprobe_step failed_step;  /* TLSPROBE_STEP_DONE when nothing failed */
	bool timed_out;                  /* the failed step ran into the deadline */
	bool interrupted;                /* a signal stopped it (tlsprobe_set_stop_flag) */
	char error[256];                 /* what failed, for people */
	STACK_OF(X509) *served;          /* the certificates as the server sent them, leaf first */
	char version[16];                /* "TLSv1.3" */
	int version_number;              /* TLS1_3_VERSION */
	char cipher[64];
	enum tlsprobe_sstp sstp;
	char correlation_id[39];
	struct sstp_http_response http;
	struct sstp_message reply;       /* the answer to the Call Connect Request */
	bool abort_answered;             /* the server answered our Call Abort with its own */
	long ms_connect, ms_handshake, ms_sstp;
};

void tlsprobe_run(const struct tlsprobe_target *t, struct tlsprobe_result *r);

/*
 * A signal handler's flag: once it is set, every wait ends within a tenth
 * of a second and the probe fails as interrupted.  Set before probing starts.
 */
void tlsprobe_set_stop_flag(volatile sig_atomic_t *flag);
void tlsprobe_result_clear(struct tlsprobe_result *r);

#endif
