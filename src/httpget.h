#ifndef MKCSR_HTTPGET_H
#define MKCSR_HTTPGET_H

/*
 * One bounded HTTP exchange, for CRLs and OCSP: GET (or POST with a body)
 * of an http:// URL through OpenSSL's HTTP client, with the proxy that
 * http_proxy/no_proxy name, at most MKCSR_HTTPGET_MAX_REDIRECTS redirects,
 * a size limit, and one absolute deadline for everything, name lookup
 * included (getaddrinfo() runs in a thread the caller stops waiting for at
 * the deadline).  The TCP
 * connection is made here, non-blocking with poll(), so that a closed port
 * fails at once (OpenSSL's own connect retries a refused connection until
 * its timeout) and a silent one at the deadline.  Thread-safe: no state.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define MKCSR_HTTPGET_MAX_REDIRECTS 3

enum mkcsr_httpget_status {
	MKCSR_HTTPGET_OK,
	MKCSR_HTTPGET_UNSUPPORTED,  /* not an http:// URL (ldap://, file://, https://): not fetched */
	MKCSR_HTTPGET_FAILED,       /* no usable answer: refused, HTTP error, too large, redirects, malformed */
	MKCSR_HTTPGET_TIMEOUT,      /* the deadline passed (before or during the exchange) */
	MKCSR_HTTPGET_NOT_DER,      /* an answer came, but it is not one DER value */
};

struct mkcsr_httpget_result {
	enum mkcsr_httpget_status status;
	unsigned char *body;      /* OPENSSL_malloc'd response body when OK */
	size_t len;
	char error[256];          /* why not OK, for people: "connection refused", "HTTP 404 Not Found" */
	char proxy[256];          /* the proxy used, "" for a direct connection */
};

/*
 * Fetch url.  With content_type (e.g. "application/ocsp-request") the body
 * is POSTed, else it is a GET.  The answer must be DER (one ASN.1 value) of
 * at most max_len bytes.  deadline is absolute, on CLOCK_MONOTONIC.
 * Returns false only when out of memory (out->error says so).
 */
bool httpget_fetch(const char *url, const char *content_type, const unsigned char *body, size_t body_len,
		   size_t max_len, const struct timespec *deadline, struct mkcsr_httpget_result *out);

void httpget_result_clear(struct mkcsr_httpget_result *r);

/* Seconds (may be negative) from now to deadline, on CLOCK_MONOTONIC. */
double httpget_remaining(const struct timespec *deadline);

/* now + seconds, on CLOCK_MONOTONIC. */
struct timespec httpget_deadline_in(double seconds);

#endif
