#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/httperr.h>
#include <openssl/x509v3.h>

#include "httpget.h"

double httpget_remaining(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(deadline->tv_sec - now.tv_sec) + (double)(deadline->tv_nsec - now.tv_nsec) / 1e9;
}

struct timespec httpget_deadline_in(double seconds)
{
	struct timespec t;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &t);
	ns = (long long)t.tv_nsec + (long long)((seconds - (double)(long long)seconds) * 1e9);
	t.tv_sec += (time_t)seconds + (time_t)(ns / 1000000000LL);
	t.tv_nsec = (long)(ns % 1000000000LL);
	return t;
}

static void set_error(struct mkcsr_httpget_result *out, enum mkcsr_httpget_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_error(struct mkcsr_httpget_result *out, enum mkcsr_httpget_status status, const char *fmt, ...)
{
	va_list ap;

	out->status = status;
	va_start(ap, fmt);
	vsnprintf(out->error, sizeof(out->error), fmt, ap);
	va_end(ap);
}

/* Waits for a non-blocking connect; 0 when connected, else an errno value (ETIMEDOUT at the deadline). */
static int wait_connected(int fd, const struct timespec *deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int error = 0;
	socklen_t len = sizeof(error);

	for (;;) {
		double left = httpget_remaining(deadline);
		int rc;

		if (left <= 0)
			return ETIMEDOUT;
		rc = poll(&pfd, 1, (int)(left * 1000.0) + 1);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return errno;
		if (rc == 0)
			continue;  /* the loop head decides whether the deadline has passed */
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
			return errno;
		return error;
	}
}

/* strerror() is not thread-safe: the texts of the errors connect() gives. */
static const char *connect_error_text(int error)
{
	switch (error) {
	case ECONNREFUSED: return "connection refused";
	case ECONNRESET: return "connection reset";
	case ENETUNREACH: return "network unreachable";
	case EHOSTUNREACH: return "host unreachable";
	case EADDRNOTAVAIL: return "address not available";
	case EAFNOSUPPORT: return "address family not supported";
	case EACCES:
	case EPERM: return "connection not permitted";
	default: return "connection failed";
	}
}

/*
 * getaddrinfo() has no timeout of its own: it runs in a thread of its own
 * while the caller waits until the deadline.  Whichever of the two lets go
 * of the lookup last frees it, so a caller that gave up leaves nothing
 * behind but a thread that ends with the resolver's own timeout.
 */
struct lookup {
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	int refs;
	bool done;
	int rc;
	struct addrinfo *result;
	char host[256], port[16];
};

static void lookup_release(struct lookup *l)
{
	bool last;

	pthread_mutex_lock(&l->lock);
	last = --l->refs == 0;
	pthread_mutex_unlock(&l->lock);
	if (!last)
		return;
	if (l->result != NULL)
		freeaddrinfo(l->result);
	pthread_cond_destroy(&l->done_cond);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static void *lookup_run(void *arg)
{
	struct lookup *l = arg;
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *result = NULL;
	int rc = getaddrinfo(l->host, l->port, &hints, &result);

	pthread_mutex_lock(&l->lock);
	l->rc = rc;
	l->result = result;
	l->done = true;
	pthread_cond_signal(&l->done_cond);
	pthread_mutex_unlock(&l->lock);
	lookup_release(l);
	return NULL;
}

/* getaddrinfo() within the deadline: EAI_AGAIN when it passed first. */
static int resolve_with_deadline(const char *host, const char *port, const struct timespec *deadline,
				 struct addrinfo **out)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST };
	struct lookup *l;
	pthread_condattr_t attr;
	pthread_attr_t thread_attr;
	pthread_t thread;
	int rc;

	/* An address needs no lookup. */
	if (getaddrinfo(host, port, &hints, out) == 0)
		return 0;
	if (strlen(host) >= sizeof(l->host) || strlen(port) >= sizeof(l->port))
		return EAI_NONAME;
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return EAI_MEMORY;
	snprintf(l->host, sizeof(l->host), "%s", host);
	snprintf(l->port, sizeof(l->port), "%s", port);
	l->refs = 2;
	pthread_mutex_init(&l->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&l->done_cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_attr_init(&thread_attr);
	pthread_attr_setdetachstate(&thread_attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&thread, &thread_attr, lookup_run, l);
	pthread_attr_destroy(&thread_attr);
	if (rc != 0) {
		l->refs = 1;
		lookup_release(l);
		return EAI_SYSTEM;
	}
	pthread_mutex_lock(&l->lock);
	while (!l->done && pthread_cond_timedwait(&l->done_cond, &l->lock, deadline) != ETIMEDOUT)
		;
	rc = l->done ? l->rc : EAI_AGAIN;
	if (l->done) {
		*out = l->result;
		l->result = NULL;
	}
	pthread_mutex_unlock(&l->lock);
	lookup_release(l);
	return rc;
}

/*
 * A connected, non-blocking TCP socket to host:port, trying each address in
 * turn; -1 with out set on failure.
 */
static int connect_with_deadline(const char *host, const char *port, const struct timespec *deadline,
				 struct mkcsr_httpget_result *out)
{
	struct addrinfo *list = NULL;
	int rc, last_error = 0;

	rc = resolve_with_deadline(host, port, deadline, &list);
	if (rc == EAI_AGAIN && httpget_remaining(deadline) <= 0) {
		set_error(out, MKCSR_HTTPGET_TIMEOUT, "no address for %s within the time limit", host);
		return -1;
	}
	if (rc != 0) {
		set_error(out, MKCSR_HTTPGET_FAILED, "cannot resolve %s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);

		if (fd < 0) {
			last_error = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			last_error = 0;
		else
			last_error = errno == EINPROGRESS ? wait_connected(fd, deadline) : errno;
		if (last_error == 0) {
			freeaddrinfo(list);
			return fd;
		}
		close(fd);
		if (last_error == ETIMEDOUT)
			break;
	}
	freeaddrinfo(list);
	if (last_error == ETIMEDOUT)
		set_error(out, MKCSR_HTTPGET_TIMEOUT, "no connection within the time limit");
	else
		set_error(out, MKCSR_HTTPGET_FAILED, "%s", connect_error_text(last_error));
	return -1;
}

/* The text of an HTTP error status OpenSSL recorded ("code=404,reason=Not Found"), as "HTTP 404 Not Found". */
static void http_status_text(const char *data, char *buf, size_t size)
{
	const char *code = strstr(data, "code="), *reason = strstr(data, "reason=");
	int n = code ? (int)strspn(code + 5, "0123456789") : 0;

	if (n == 0) {
		snprintf(buf, size, "an HTTP error");
		return;
	}
	snprintf(buf, size, "HTTP %.*s%s%s", n, code + 5, reason ? " " : "", reason ? reason + 7 : "");
}

/* Names OpenSSL's reason for a failed exchange in words; the status tells timeouts apart. */
static void exchange_error(struct mkcsr_httpget_result *out, size_t max_len)
{
	const char *data = NULL;
	int flags = 0;
	/* The first error is the cause; OpenSSL adds a general "error receiving" after it. */
	unsigned long e = ERR_peek_error_data(&data, &flags);
	char text[200];

	if (ERR_GET_LIB(e) != ERR_LIB_HTTP) {
		set_error(out, MKCSR_HTTPGET_FAILED, "the answer is not a usable HTTP response");
		return;
	}
	switch (ERR_GET_REASON(e)) {
	case HTTP_R_RETRY_TIMEOUT:
		set_error(out, MKCSR_HTTPGET_TIMEOUT, "no answer within the time limit");
		return;
	case HTTP_R_RECEIVED_ERROR:
	case HTTP_R_STATUS_CODE_UNSUPPORTED:
		http_status_text((flags & ERR_TXT_STRING) && data ? data : "", text, sizeof(text));
		set_error(out, MKCSR_HTTPGET_FAILED, "%s", text);
		return;
	case HTTP_R_MAX_RESP_LEN_EXCEEDED:
	case HTTP_R_ASN1_LEN_EXCEEDS_MAX_RESP_LEN:
		set_error(out, MKCSR_HTTPGET_FAILED, "the answer is larger than %zu MB", max_len / (1024 * 1024));
		return;
	case HTTP_R_MISSING_ASN1_ENCODING:
	case HTTP_R_ERROR_PARSING_ASN1_LENGTH:
		set_error(out, MKCSR_HTTPGET_NOT_DER, "the answer is not DER");
		return;
	case HTTP_R_SERVER_CANCELED_CONNECTION:
	case HTTP_R_FAILED_READING_DATA:
	case HTTP_R_ERROR_RECEIVING:
		set_error(out, MKCSR_HTTPGET_FAILED, "the server closed the connection without an answer");
		return;
	default:
		set_error(out, MKCSR_HTTPGET_FAILED, "the answer is not a usable HTTP response (%s)",
			  ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "unknown error");
		return;
	}
}

/*
 * The socket, as a BIO whose reads and writes wait with poll() until the
 * deadline.  OpenSSL's own waits count whole seconds of time(), which can
 * end a fetch up to two seconds early or late; this BIO ends it on time.
 * It never asks to be retried: to OpenSSL it is a blocking socket that
 * fails at the deadline.
 */
struct deadline_socket {
	int fd;
	const struct timespec *deadline;
	bool timed_out;
};

/* 1 when fd is ready for events, 0 at the deadline, -1 on error. */
static int wait_ready(struct deadline_socket *s, short events)
{
	struct pollfd pfd = { .fd = s->fd, .events = events };

	for (;;) {
		double left = httpget_remaining(s->deadline);
		int rc;

		if (left <= 0) {
			s->timed_out = true;
			return 0;
		}
		rc = poll(&pfd, 1, (int)(left * 1000.0) + 1);
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

static int deadline_read(BIO *bio, char *buf, size_t len, size_t *done)
{
	struct deadline_socket *s = BIO_get_data(bio);

	*done = 0;
	for (;;) {
		ssize_t n = recv(s->fd, buf, len, 0);

		if (n >= 0) {
			*done = (size_t)n;
			return n > 0;
		}
		if (errno == EINTR)
			continue;
		if ((errno != EAGAIN && errno != EWOULDBLOCK) || wait_ready(s, POLLIN) <= 0)
			return 0;
	}
}

static int deadline_write(BIO *bio, const char *buf, size_t len, size_t *done)
{
	struct deadline_socket *s = BIO_get_data(bio);

	*done = 0;
	while (*done < len) {
		ssize_t n = send(s->fd, buf + *done, len - *done, MSG_NOSIGNAL);

		if (n >= 0) {
			*done += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if ((errno != EAGAIN && errno != EWOULDBLOCK) || wait_ready(s, POLLOUT) <= 0)
			return 0;
	}
	return 1;
}

static long deadline_ctrl(BIO *bio, int cmd, long num, void *ptr)
{
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int deadline_create(BIO *bio)
{
	BIO_set_init(bio, 1);
	return 1;
}

/* Made once, then only read: threads share it. */
static BIO_METHOD *deadline_method;
static pthread_once_t deadline_method_once = PTHREAD_ONCE_INIT;

static void deadline_method_init(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "mkcsr socket with a deadline");

	if (m == NULL || !BIO_meth_set_read_ex(m, deadline_read) || !BIO_meth_set_write_ex(m, deadline_write) ||
	    !BIO_meth_set_ctrl(m, deadline_ctrl) || !BIO_meth_set_create(m, deadline_create)) {
		BIO_meth_free(m);
		return;
	}
	deadline_method = m;
}

static BIO *deadline_bio(struct deadline_socket *s)
{
	BIO *bio;

	pthread_once(&deadline_method_once, deadline_method_init);
	if (deadline_method == NULL || (bio = BIO_new(deadline_method)) == NULL)
		return NULL;
	BIO_set_data(bio, s);
	return bio;
}

static bool read_all(BIO *bio, struct mkcsr_httpget_result *out)
{
	char *data = NULL;
	long len = BIO_get_mem_data(bio, &data);

	if (len < 0 || data == NULL)
		len = 0;
	out->body = OPENSSL_malloc(len > 0 ? (size_t)len : 1);
	if (out->body == NULL)
		return false;
	memcpy(out->body, data, (size_t)len);
	out->len = (size_t)len;
	return true;
}

struct target {
	char *host, *port, *path, *query;
	char *proxy_host, *proxy_port;
};

static void target_clear(struct target *t)
{
	OPENSSL_free(t->host);
	OPENSSL_free(t->port);
	OPENSSL_free(t->path);
	OPENSSL_free(t->query);
	OPENSSL_free(t->proxy_host);
	OPENSSL_free(t->proxy_port);
	memset(t, 0, sizeof(*t));
}

/* The proxy the environment names for host, if any; lower-case names first, as curl reads them. */
static bool parse_proxy(const char *host, struct target *t, struct mkcsr_httpget_result *out)
{
	const char *proxy = getenv("http_proxy"), *no_proxy = getenv("no_proxy"), *use;
	char with_scheme[512];

	if (proxy == NULL || proxy[0] == '\0')
		proxy = getenv("HTTP_PROXY");
	if (no_proxy == NULL)
		no_proxy = getenv("NO_PROXY");
	if (proxy == NULL || proxy[0] == '\0')
		return true;
	use = OSSL_HTTP_adapt_proxy(proxy, no_proxy, host, 0);
	if (use == NULL)
		return true;
	snprintf(with_scheme, sizeof(with_scheme), "%s%s", strstr(use, "://") ? "" : "http://", use);
	if (!OSSL_HTTP_parse_url(with_scheme, NULL, NULL, &t->proxy_host, &t->proxy_port, NULL, NULL, NULL, NULL)) {
		set_error(out, MKCSR_HTTPGET_FAILED, "the proxy named by http_proxy cannot be used");
		return false;
	}
	snprintf(out->proxy, sizeof(out->proxy), "%s:%s", t->proxy_host, t->proxy_port);
	return true;
}

static bool parse_target(const char *url, struct target *t, struct mkcsr_httpget_result *out)
{
	const char *colon = strstr(url, "://");
	int use_ssl = 0;

	if (colon == NULL || (size_t)(colon - url) != 4 || strncasecmp(url, "http", 4) != 0) {
		set_error(out, MKCSR_HTTPGET_UNSUPPORTED, "%.*s:// is not fetched",
			  colon && colon - url < 16 ? (int)(colon - url) : 0, url);
		if (colon == NULL || colon - url >= 16)
			set_error(out, MKCSR_HTTPGET_UNSUPPORTED, "not a URL");
		return false;
	}
	if (!OSSL_HTTP_parse_url(url, &use_ssl, NULL, &t->host, &t->port, NULL, &t->path, &t->query, NULL)) {
		set_error(out, MKCSR_HTTPGET_FAILED, "the URL cannot be parsed");
		return false;
	}
	return parse_proxy(t->host, t, out);
}

/* One request, no redirects followed; *redirect gets the Location of a redirect. */
static bool exchange_once(const char *url, const char *content_type, const unsigned char *body, size_t body_len,
			  size_t max_len, const struct timespec *deadline, struct mkcsr_httpget_result *out,
			  char **redirect)
{
	struct target t = { 0 };
	STACK_OF(CONF_VALUE) *headers = NULL;
	OSSL_HTTP_REQ_CTX *rctx = NULL;
	BIO *sock = NULL, *req = NULL, *resp = NULL;
	struct deadline_socket ds = { .fd = -1, .deadline = deadline };
	char host_header[300], *path = NULL;
	bool ok = true, has_query;
	int fd = -1;

	if (!parse_target(url, &t, out))
		goto done;
	fd = connect_with_deadline(t.proxy_host ? t.proxy_host : t.host, t.proxy_host ? t.proxy_port : t.port,
				   deadline, out);
	if (fd < 0)
		goto done;
	ds.fd = fd;
	sock = deadline_bio(&ds);
	if (sock == NULL) {
		ok = false;
		goto done;
	}
	/* Through a proxy the request line carries the whole URL (RFC 7230, 5.3.2). */
	path = OPENSSL_zalloc(sizeof(host_header) + strlen(t.path) + (t.query ? strlen(t.query) : 0) + 16);
	if (path == NULL) {
		ok = false;
		goto done;
	}
	has_query = t.query != NULL && t.query[0] != '\0';
	/* An IPv6 literal goes back in brackets (RFC 3986, 3.2.2). */
	snprintf(host_header, sizeof(host_header), "%s%s%s%s%s", strchr(t.host, ':') ? "[" : "", t.host,
		 strchr(t.host, ':') ? "]" : "", strcmp(t.port, "80") ? ":" : "", strcmp(t.port, "80") ? t.port : "");
	if (t.proxy_host)
		sprintf(path, "http://%s%s%s%s", host_header, t.path, has_query ? "?" : "", has_query ? t.query : "");
	else
		sprintf(path, "%s%s%s", t.path, has_query ? "?" : "", has_query ? t.query : "");
	if (!X509V3_add_value("Host", host_header, &headers) ||
	    (body != NULL && (req = BIO_new_mem_buf(body, (int)body_len)) == NULL)) {
		ok = false;
		goto done;
	}
	ERR_clear_error();
	/*
	 * The socket is passed as both BIOs: OpenSSL then skips its own connect
	 * (which retries a refused one).  No OpenSSL timeout: the BIO keeps it.
	 */
	rctx = OSSL_HTTP_open(t.host, t.port, NULL, NULL, 0, sock, sock, NULL, NULL, 0, 0);
	if (rctx == NULL || !OSSL_HTTP_set1_request(rctx, path, headers, content_type, req, NULL, 1, max_len, 0, 0)) {
		set_error(out, MKCSR_HTTPGET_FAILED, "the request cannot be made");
		goto done;
	}
	resp = OSSL_HTTP_exchange(rctx, redirect);
	if (resp != NULL) {
		ok = read_all(resp, out);
		out->status = MKCSR_HTTPGET_OK;
	} else if (*redirect == NULL) {
		exchange_error(out, max_len);
		if (ds.timed_out)
			set_error(out, MKCSR_HTTPGET_TIMEOUT, "no answer within the time limit");
	}
done:
	BIO_free(resp);
	OSSL_HTTP_close(rctx, resp != NULL);
	BIO_free(sock);
	if (fd >= 0)
		close(fd);
	BIO_free(req);
	sk_CONF_VALUE_pop_free(headers, X509V3_conf_free);
	OPENSSL_free(path);
	target_clear(&t);
	ERR_clear_error();
	if (!ok)
		set_error(out, MKCSR_HTTPGET_FAILED, "out of memory");
	return ok;
}

/* A Location header's target made absolute against base ("/x" keeps base's server). */
static char *absolute_location(const char *base, const char *location)
{
	const char *scheme_end = strstr(base, "://");
	const char *path_start = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
	size_t server_len = path_start ? (size_t)(path_start - base) : strlen(base);
	char *abs;

	if (location[0] != '/')
		return OPENSSL_strdup(location);
	abs = OPENSSL_malloc(server_len + strlen(location) + 1);
	if (abs != NULL)
		sprintf(abs, "%.*s%s", (int)server_len, base, location);
	return abs;
}

bool httpget_fetch(const char *url, const char *content_type, const unsigned char *body, size_t body_len,
		   size_t max_len, const struct timespec *deadline, struct mkcsr_httpget_result *out)
{
	char *current = OPENSSL_strdup(url);
	bool ok = current != NULL;

	memset(out, 0, sizeof(*out));
	for (int redirects = 0; ok; redirects++) {
		char *location = NULL, *next;

		if (httpget_remaining(deadline) <= 0) {
			set_error(out, MKCSR_HTTPGET_TIMEOUT, "not tried: the time limit was reached");
			break;
		}
		ok = exchange_once(current, content_type, body, body_len, max_len, deadline, out, &location);
		if (ok && redirects > 0 && out->status == MKCSR_HTTPGET_UNSUPPORTED)
			set_error(out, MKCSR_HTTPGET_FAILED, "redirected to %.200s, which is not fetched", current);
		if (!ok || location == NULL)
			break;
		next = absolute_location(current, location);
		OPENSSL_free(location);
		if (next == NULL) {
			ok = false;
			set_error(out, MKCSR_HTTPGET_FAILED, "out of memory");
			break;
		}
		OPENSSL_free(current);
		current = next;
		if (redirects + 1 > MKCSR_HTTPGET_MAX_REDIRECTS) {
			set_error(out, MKCSR_HTTPGET_FAILED, "more than %d redirects", MKCSR_HTTPGET_MAX_REDIRECTS);
			break;
		}
	}
	OPENSSL_free(current);
	return ok;
}

void httpget_result_clear(struct mkcsr_httpget_result *r)
{
	OPENSSL_free(r->body);
	memset(r, 0, sizeof(*r));
}
