#ifndef MKCSR_SUBJECT_H
#define MKCSR_SUBJECT_H

/*
 * The subject distinguished name as users write it for certreq and
 * certlm ("CN=vpn.example.com, O=Example, C=US": RFC 4514, most specific
 * first) and as Windows encodes it: the RDNs reversed (C first, CN last),
 * every DirectoryString a UTF8String except countryName, which is a
 * two-letter PrintableString.
 */

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

#include "err.h"

struct mkcsr_subject_attr {
	int nid;            /* NID_undef for an OID OpenSSL does not name */
	char *oid;          /* dotted OID, owned */
	char *value;        /* UTF-8, owned */
	bool joined;        /* '+': same RDN as the attribute before it */
};

/* Attributes in the order the user wrote them (most specific first). */
struct mkcsr_subject {
	struct mkcsr_subject_attr *attrs;
	size_t count;
};

/* Parse an RFC 4514 string; ';' also separates RDNs and "quoted" values are taken. */
enum mkcsr_err subject_parse(const char *text, struct mkcsr_subject *out);

/* Put an attribute first in the string, i.e. last in the encoding (where certlm puts CN). */
enum mkcsr_err subject_prepend(struct mkcsr_subject *subject, int nid, const char *value);

/* Set the first attribute of type nid to value, or prepend it when there is none. */
enum mkcsr_err subject_set(struct mkcsr_subject *subject, int nid, const char *value);

/*
 * The attributes of an encoded name (a certificate's subject), in RFC 4514
 * order.  An attribute mkcsr would refuse on the command line is skipped and
 * described in skipped (a malloc'ed "; "-separated list, NULL when none).
 */
enum mkcsr_err subject_from_x509_name(const X509_NAME *name, struct mkcsr_subject *out, char **skipped);

/* The value of the first attribute of type nid, or NULL. */
const char *subject_get(const struct mkcsr_subject *subject, int nid);

/* Encode the Windows way (see above). */
enum mkcsr_err subject_to_x509_name(const struct mkcsr_subject *subject, X509_NAME **out);

/* RFC 4514 text in the user's order, e.g. "CN=vpn.example.com, C=US"; malloc'ed. */
char *subject_format(const struct mkcsr_subject *subject);

/* The same with values quoted ("IT, Ops") instead of escaped: what certreq's Subject = reads. */
char *subject_format_x500(const struct mkcsr_subject *subject);

/* The short name Windows and certreq write for an attribute type (CN, E, STREET...), or NULL for others. */
const char *subject_attr_name(int nid);

/* The same as subject_format(), with each value shown as display.h says: for the screen and JSON, never for a file. */
char *subject_format_display(const struct mkcsr_subject *subject);

void subject_clear(struct mkcsr_subject *subject);

#endif
