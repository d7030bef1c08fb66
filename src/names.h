#ifndef MKCSR_NAMES_H
#define MKCSR_NAMES_H

/*
 * Host names and subject alternative names: parsing, the checks every
 * public CA and Windows apply, and normalization (lower case, A-labels,
 * canonical IP text) so that equal names compare equal.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum mkcsr_name_type {
	MKCSR_NAME_DNS,
	MKCSR_NAME_IP,
	MKCSR_NAME_EMAIL,
	MKCSR_NAME_UPN,
};

struct mkcsr_name {
	enum mkcsr_name_type type;
	char *value;               /* normalized text, owned */
	unsigned char ip[16];      /* MKCSR_NAME_IP: network-order address */
	size_t ip_len;             /* 4 or 16 */
};

/* Longest DNS name (RFC 1035) and common name (X.520 ub-common-name). */
#define NAMES_DNS_MAX 253
#define NAMES_CN_MAX 64

/*
 * Check and normalize a DNS name: lower-cased, trailing dot dropped,
 * non-ASCII converted to A-labels (with libidn2).  A wildcard is allowed
 * only as the whole left-most label followed by at least two labels.
 * On success *out is a malloc'ed copy.
 */
enum mkcsr_err names_normalize_dns(const char *input, bool allow_wildcard, char **out);

/* A --host value: an IP literal becomes an IP name, anything else a DNS name. */
enum mkcsr_err names_parse_host(const char *host, struct mkcsr_name *out);

/* A --san value: dns:, ip:, email:, upn: or a bare DNS name / IP literal. */
enum mkcsr_err names_parse_san(const char *spec, struct mkcsr_name *out);

bool names_equal(const struct mkcsr_name *a, const struct mkcsr_name *b);

/* "DNS", "IP", "email", "UPN": as Windows labels them in certlm. */
const char *names_type_label(enum mkcsr_name_type type);
/* "dns", "ip", "email", "upn": the --san prefixes, used in JSON too. */
const char *names_type_key(enum mkcsr_name_type type);

void names_clear(struct mkcsr_name *name);

#endif
