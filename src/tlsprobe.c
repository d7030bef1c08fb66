#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "tlsprobe.h"

/* How long to wait for the server's answer to our Call Abort: it only confirms a clean end. */
#define ABORT_GRACE_MS 1000

/* ---- time ------------------------------------------------------------------ */

struct timespec tlsprobe_deadline(long ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

long tlsprobe_ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000L;
	return ms > 0 ? ms : 0;
}

long tlsprobe_ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000L;
}

/* ---- names and addresses ------------------------------------------------------ */

struct addrinfo *tlsprobe_resolve(const char *host, const char *port, const struct timespec *deadline, char *err,
				  size_t err_size)
{
	/* One allocation, so that a lookup glibc cannot cancel keeps everything it still reads. */
	struct lookup {
		struct gaicb cb;
		struct addrinfo hints;
	} *q = calloc(1, sizeof(*q));
	struct gaicb *list[1];
	struct addrinfo numeric = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	int rc;

	/* An address needs no resolver, nor its thread. */
	if (getaddrinfo(host, port, &numeric, &res) == 0) {
		free(q);
		return res;
	}
	if (q == NULL) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	q->hints.ai_socktype = SOCK_STREAM;
	q->cb.ar_name = host;
	q->cb.ar_service = port;
	q->cb.ar_request = &q->hints;
	list[0] = &q->cb;
	/* getaddrinfo() blocks for as long as the resolver likes: the asynchronous form waits until the deadline. */
	rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	while (rc == 0 && gai_error(&q->cb) == EAI_INPROGRESS) {
		long left = tlsprobe_ms_left(deadline);
		struct timespec wait = { left / 1000, (left % 1000) * 1000000L };

		if (left == 0)
			break;
		gai_suspend((const struct gaicb *const *)list, 1, &wait);
	}
	rc = rc != 0 ? rc : gai_error(&q->cb);
	if (rc == EAI_INPROGRESS && gai_cancel(&q->cb) != EAI_CANCELED) {
		/* Still in glibc's resolver thread, which will write into q (and read host): left to it. */
		snprintf(err, err_size, "cannot resolve %s: no answer before the timeout", host);
		return NULL;
	}
	if (rc == 0)
		res = q->cb.ar_result;
	else if (rc == EAI_INPROGRESS || rc == EAI_CANCELED)
		snprintf(err, err_size, "cannot resolve %s: no answer before the timeout", host);
	else
		snprintf(err, err_size, "cannot resolve %s: %s", host, rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
	free(q);
	return res;
}

const char *tlsprobe_address_text(const struct sockaddr *addr, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)addr;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		snprintf(buf, size, "[%s]:%u", ip, ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)addr;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		snprintf(buf, size, "%s:%u", ip, ntohs(a->sin_port));
	}
	return buf;
}

/* ---- sockets ------------------------------------------------------------------- */

/* Set once, before any probe starts: a signal handler's flag that ends every wait early. */
static volatile sig_atomic_t *stop_flag;

void tlsprobe_set_stop_flag(volatile sig_atomic_t *flag)
{
	stop_flag = flag;
}

/* 1 when fd is ready for events, 0 at the deadline, -1 on error, -2 when stopped by a signal. */
static int wait_for(int fd, short events, const struct timespec *deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		long left = tlsprobe_ms_left(deadline);
		int rc;

		if (stop_flag != NULL && *stop_flag)
			return -2;
		if (left == 0)
			return 0;
		/* Short slices, so that a signal's flag is seen within a tenth of a second. */
		rc = poll(&p, 1, (int)(left > 100 ? 100 : left));
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

static void fail(struct tlsprobe_result *r, enum tlsprobe_step step, bool timed_out, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(struct tlsprobe_result *r, enum tlsprobe_step step, bool timed_out, const char *fmt, ...)
{
	va_list ap;

	r->failed_step = step;
	r->timed_out = timed_out;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
}

static void interrupted(struct tlsprobe_result *r, enum tlsprobe_step step)
{
	fail(r, step, false, "interrupted");
	r->interrupted = true;
}

static int tcp_connect(const struct tlsprobe_target *t, struct tlsprobe_result *r)
{
	char where[INET6_ADDRSTRLEN + 16];
	int fd = socket(t->addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int error = 0, rc;
	socklen_t len = sizeof(error);

	tlsprobe_address_text(t->addr, where, sizeof(where));
	if (fd < 0) {
		fail(r, TLSPROBE_STEP_CONNECT, false, "cannot open a socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, t->addr, t->addr_len) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		fail(r, TLSPROBE_STEP_CONNECT, false, "cannot connect to %s: %s", where, strerror(errno));
		close(fd);
		return -1;
	}
	rc = wait_for(fd, POLLOUT, &t->deadline);
	if (rc == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0)
		return fd;
	if (rc == -2)
		interrupted(r, TLSPROBE_STEP_CONNECT);
	else if (rc == 0)
		fail(r, TLSPROBE_STEP_CONNECT, true, "cannot connect to %s: no answer before the timeout", where);
	else
		fail(r, TLSPROBE_STEP_CONNECT, false, "cannot connect to %s: %s", where, strerror(error ? error : errno));
	close(fd);
	return -1;
}

/* ---- TLS with a deadline ---------------------------------------------------------- */

enum io_result { IO_OK, IO_TIMEOUT, IO_CLOSED, IO_ERROR, IO_INTERRUPTED };

/* Waits for what OpenSSL asked for after ret; IO_OK means "try again". */
static enum io_result ssl_wait(SSL *ssl, int fd, int ret, const struct timespec *deadline)
{
	int rc;

	switch (SSL_get_error(ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		rc = wait_for(fd, POLLIN, deadline);
		break;
	case SSL_ERROR_WANT_WRITE:
		rc = wait_for(fd, POLLOUT, deadline);
		break;
	case SSL_ERROR_ZERO_RETURN:
		return IO_CLOSED;
	case SSL_ERROR_SYSCALL:
		return ERR_peek_error() == 0 ? IO_CLOSED : IO_ERROR;
	default:
		return IO_ERROR;
	}
	return rc == 1 ? IO_OK : rc == 0 ? IO_TIMEOUT : rc == -2 ? IO_INTERRUPTED : IO_ERROR;
}

static enum io_result ssl_write_all(SSL *ssl, int fd, const void *buf, size_t len, const struct timespec *deadline)
{
	size_t done = 0;

	while (done < len) {
		size_t n = 0;
		int ret = SSL_write_ex(ssl, (const unsigned char *)buf + done, len - done, &n);
		enum io_result io;

		if (ret == 1) {
			done += n;
			continue;
		}
		if ((io = ssl_wait(ssl, fd, ret, deadline)) != IO_OK)
			return io;
	}
	return IO_OK;
}

static enum io_result ssl_read_some(SSL *ssl, int fd, unsigned char *buf, size_t size, size_t *got,
				    const struct timespec *deadline)
{
	for (;;) {
		int ret = SSL_read_ex(ssl, buf, size, got);
		enum io_result io;

		if (ret == 1)
			return IO_OK;
		if ((io = ssl_wait(ssl, fd, ret, deadline)) != IO_OK)
			return io;
	}
}

/* OpenSSL's reason for a failed handshake, or how the connection ended. */
static void handshake_error(enum io_result io, char *buf, size_t size)
{
	unsigned long e = ERR_peek_last_error();

	if (io == IO_CLOSED)
		snprintf(buf, size, "the server closed the connection during the TLS handshake");
	else if (e != 0 && ERR_GET_LIB(e) == ERR_LIB_SSL &&
		 (ERR_GET_REASON(e) == SSL_R_UNSUPPORTED_PROTOCOL || ERR_GET_REASON(e) == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION ||
		  ERR_GET_REASON(e) == SSL_R_WRONG_VERSION_NUMBER))
		snprintf(buf, size, "no TLS version in common (the server offers none of TLS 1.0 to 1.3): %s",
			 ERR_reason_error_string(e));
	else if (e != 0)
		snprintf(buf, size, "%s", ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "unknown error");
	else
		snprintf(buf, size, "%s", strerror(errno));
}

static bool tls_handshake(const struct tlsprobe_target *t, SSL *ssl, int fd, struct tlsprobe_result *r)
{
	struct in6_addr ip;
	char reason[200];
	int ret;

	/* RFC 6066: no SNI for an address. */
	if (inet_pton(AF_INET, t->name, &ip) != 1 && inet_pton(AF_INET6, t->name, &ip) != 1)
		SSL_set_tlsext_host_name(ssl, t->name);
	SSL_set_fd(ssl, fd);
	while ((ret = SSL_connect(ssl)) != 1) {
		enum io_result io = ssl_wait(ssl, fd, ret, &t->deadline);

		if (io == IO_OK)
			continue;
		if (io == IO_INTERRUPTED) {
			interrupted(r, TLSPROBE_STEP_TLS);
		} else if (io == IO_TIMEOUT) {
			fail(r, TLSPROBE_STEP_TLS, true, "the TLS handshake did not finish before the timeout");
		} else {
			handshake_error(io, reason, sizeof(reason));
			fail(r, TLSPROBE_STEP_TLS, false, "TLS handshake failed: %s", reason);
		}
		return false;
	}
	r->served = X509_chain_up_ref(SSL_get_peer_cert_chain(ssl));
	snprintf(r->version, sizeof(r->version), "%s", SSL_get_version(ssl));
	r->version_number = SSL_version(ssl);
	snprintf(r->cipher, sizeof(r->cipher), "%s", SSL_get_cipher_name(ssl));
	if (r->served == NULL || sk_X509_num(r->served) == 0) {
		fail(r, TLSPROBE_STEP_TLS, false, "the server sent no certificate");
		return false;
	}
	return true;
}

/* ---- SSTP ------------------------------------------------------------------------- */

struct sstp_io {
	SSL *ssl;
	int fd;
	const struct timespec *deadline;
	unsigned char buf[8192 + 1024];
	size_t len;
};

/* Reads more into io->buf; IO_ERROR when it is full. */
static enum io_result read_more(struct sstp_io *io)
{
	size_t got = 0;
	enum io_result rc;

	if (io->len == sizeof(io->buf))
		return IO_ERROR;
	rc = ssl_read_some(io->ssl, io->fd, io->buf + io->len, sizeof(io->buf) - io->len, &got, io->deadline);
	io->len += got;
	return rc;
}

static void consume(struct sstp_io *io, size_t n)
{
	memmove(io->buf, io->buf + n, io->len - n);
	io->len -= n;
}

static bool sstp_http(const struct tlsprobe_target *t, struct sstp_io *io, struct tlsprobe_result *r)
{
	unsigned char guid[16];
	char request[512];
	size_t len;
	enum io_result rc;
	enum sstp_parse parse;

	r->failed_step = TLSPROBE_STEP_HTTP;
	if (RAND_bytes(guid, sizeof(guid)) != 1) {
		fail(r, TLSPROBE_STEP_HTTP, false, "no random bytes for the correlation ID");
		return false;
	}
	guid[6] = (unsigned char)((guid[6] & 0x0F) | 0x40); /* RFC 4122 version 4 */
	guid[8] = (unsigned char)((guid[8] & 0x3F) | 0x80);
	sstp_guid_text(guid, r->correlation_id);
	len = sstp_http_request(request, sizeof(request), t->host_header, r->correlation_id);
	if (len == 0) {
		fail(r, TLSPROBE_STEP_HTTP, false, "cannot write the SSTP request for host '%s'", t->host_header);
		return false;
	}
	rc = ssl_write_all(io->ssl, io->fd, request, len, io->deadline);
	while (rc == IO_OK && (parse = sstp_http_parse(io->buf, io->len, &r->http)) == SSTP_PARSE_INCOMPLETE)
		rc = read_more(io);
	if (rc == IO_INTERRUPTED) {
		interrupted(r, TLSPROBE_STEP_HTTP);
		return false;
	}
	if (rc != IO_OK) {
		r->sstp = TLSPROBE_SSTP_NO_HTTP_ANSWER;
		fail(r, TLSPROBE_STEP_HTTP, rc == IO_TIMEOUT, "%s after the SSTP_DUPLEX_POST request",
		     rc == IO_TIMEOUT ? "no answer before the timeout" : "the server closed the connection");
		return false;
	}
	if (parse != SSTP_PARSE_OK || r->http.status != 200 || !r->http.content_length_ok) {
		r->sstp = TLSPROBE_SSTP_HTTP_REFUSED;
		if (parse != SSTP_PARSE_OK)
			fail(r, TLSPROBE_STEP_HTTP, false, "the answer to SSTP_DUPLEX_POST is not HTTP");
		else
			fail(r, TLSPROBE_STEP_HTTP, false, "SSTP_DUPLEX_POST answered with HTTP %d%s%s%s", r->http.status,
			     r->http.status == 200 ? " but not with Content-Length " SSTP_CONTENT_LENGTH : "",
			     r->http.server[0] ? ", server " : "", r->http.server);
		return false;
	}
	consume(io, r->http.header_length);
	return true;
}

/* The next control message other than an echo request, or an I/O result saying why none came. */
static enum io_result next_control(struct sstp_io *io, struct sstp_message *msg, bool *malformed)
{
	for (;;) {
		enum sstp_parse parse = sstp_decode(io->buf, io->len, msg);
		enum io_result rc;

		if (parse == SSTP_PARSE_MALFORMED) {
			*malformed = true;
			return IO_OK;
		}
		if (parse == SSTP_PARSE_OK) {
			consume(io, msg->length);
			if (msg->control && msg->type != SSTP_MSG_ECHO_REQUEST)
				return IO_OK;
			continue;
		}
		if ((rc = read_more(io)) != IO_OK)
			return rc;
	}
}

static void sstp_call(struct sstp_io *io, struct tlsprobe_result *r)
{
	unsigned char packet[32];
	size_t len = sstp_encode_call_connect_request(packet, sizeof(packet));
	struct timespec grace;
	struct sstp_message reply;
	bool malformed = false;
	enum io_result rc;

	r->failed_step = TLSPROBE_STEP_CALL;
	rc = ssl_write_all(io->ssl, io->fd, packet, len, io->deadline);
	if (rc == IO_OK)
		rc = next_control(io, &r->reply, &malformed);
	if (rc == IO_INTERRUPTED) {
		interrupted(r, TLSPROBE_STEP_CALL);
		return;
	}
	if (rc != IO_OK) {
		r->sstp = TLSPROBE_SSTP_NO_CALL_ANSWER;
		fail(r, TLSPROBE_STEP_CALL, rc == IO_TIMEOUT, "%s after the Call Connect Request",
		     rc == IO_TIMEOUT ? "no answer before the timeout" : "the server closed the connection");
		return;
	}
	if (malformed) {
		r->sstp = TLSPROBE_SSTP_CALL_OTHER;
		fail(r, TLSPROBE_STEP_CALL, false, "the answer to the Call Connect Request is not an SSTP 1.0 packet");
		return;
	}
	if (r->reply.type == SSTP_MSG_CALL_CONNECT_ACK) {
		r->sstp = TLSPROBE_SSTP_CALL_ACK;
		r->failed_step = TLSPROBE_STEP_DONE;
	} else {
		const char *name = sstp_msg_name(r->reply.type);

		r->sstp = r->reply.type == SSTP_MSG_CALL_CONNECT_NAK ? TLSPROBE_SSTP_CALL_NAK : TLSPROBE_SSTP_CALL_OTHER;
		fail(r, TLSPROBE_STEP_CALL, false, "the Call Connect Request was answered with %s", name ? name : "an unknown message");
	}
	/* Free the call at once rather than leave the server to time it out; a probe sends no PPP. */
	len = sstp_encode_call_abort(packet, sizeof(packet), SSTP_ATTRIB_NO_ERROR, 0);
	grace = tlsprobe_deadline(ABORT_GRACE_MS);
	if (tlsprobe_ms_left(io->deadline) < ABORT_GRACE_MS)
		grace = *io->deadline;
	io->deadline = &grace;
	malformed = false;
	if (ssl_write_all(io->ssl, io->fd, packet, len, io->deadline) == IO_OK &&
	    next_control(io, &reply, &malformed) == IO_OK && !malformed)
		r->abort_answered = reply.type == SSTP_MSG_CALL_ABORT;
}

static void sstp_exchange(const struct tlsprobe_target *t, SSL *ssl, int fd, struct tlsprobe_result *r)
{
	struct sstp_io *io = calloc(1, sizeof(*io));
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (io == NULL) {
		fail(r, TLSPROBE_STEP_HTTP, false, "out of memory");
		return;
	}
	io->ssl = ssl;
	io->fd = fd;
	io->deadline = &t->deadline;
	if (sstp_http(t, io, r))
		sstp_call(io, r);
	r->ms_sstp = tlsprobe_ms_since(&start);
	free(io);
}

/* ---- the probe ----------------------------------------------------------------------- */

SSL_CTX *tlsprobe_ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	/* See TLS 1.0 and old ciphers to name them, rather than fail to connect: the checks judge them. */
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0")) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	return ctx;
}

void tlsprobe_run(const struct tlsprobe_target *t, struct tlsprobe_result *r)
{
	struct timespec start;
	SSL *ssl = NULL;
	int fd;

	memset(r, 0, sizeof(*r));
	ERR_clear_error();
	clock_gettime(CLOCK_MONOTONIC, &start);
	fd = tcp_connect(t, r);
	r->ms_connect = tlsprobe_ms_since(&start);
	if (fd < 0)
		goto done;
	ssl = SSL_new(t->ctx);
	if (ssl == NULL) {
		fail(r, TLSPROBE_STEP_TLS, false, "cannot set up TLS: out of memory");
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (!tls_handshake(t, ssl, fd, r)) {
		r->ms_handshake = tlsprobe_ms_since(&start);
		goto done;
	}
	r->ms_handshake = tlsprobe_ms_since(&start);
	r->failed_step = TLSPROBE_STEP_DONE;
	if (t->sstp)
		sstp_exchange(t, ssl, fd, r);
	if (r->failed_step == TLSPROBE_STEP_DONE || !r->timed_out)
		SSL_shutdown(ssl); /* one close_notify, no wait for the server's */
done:
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
	ERR_clear_error();
}

void tlsprobe_result_clear(struct tlsprobe_result *r)
{
	sk_X509_pop_free(r->served, X509_free);
	r->served = NULL;
}
