#ifndef MKCSR_CHAIN_H
#define MKCSR_CHAIN_H

/*
 * Certificates in every form CAs hand out, told apart by content: PEM with
 * one or many certificates in any order (fullchain files), DER (.cer), and
 * PKCS#7 (.p7b/.p7c) in PEM or DER.  Each certificate remembers the file it
 * came from, so that messages can name it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "err.h"

struct mkcsr_cert {
	X509 *x509;
	const char *source;   /* the file's path, as given (not owned) */
};

struct mkcsr_certset {
	struct mkcsr_cert *items;
	size_t count;
};

/* Append every certificate in path; a file with none is an error naming what it holds. */
enum mkcsr_err chain_load(struct mkcsr_certset *set, const char *path);

/* The same for a file already in memory (data[len] need not be NUL); path names it in messages and sources. */
enum mkcsr_err chain_load_buffer(struct mkcsr_certset *set, const unsigned char *data, size_t len, const char *path);

/*
 * The end-entity certificate: the one whose public key is key's when a key
 * is given (NULL if none matches); otherwise the certificate that issued no
 * other in the set and is not a CA, else the first.
 */
const struct mkcsr_cert *chain_find_leaf(const struct mkcsr_certset *set, EVP_PKEY *key);

/* The first certificate that issued none of the others (the lowest of a set of CAs), or NULL. */
const struct mkcsr_cert *chain_find_lowest(const struct mkcsr_certset *set);

/*
 * The issuers of leaf found in set, in order (leaf's issuer first), as a
 * new stack of up-referenced certificates; stops at a self-signed one, or
 * where a loop of cross-signed CAs comes round (each certificate once).
 * Certificates are found by name: a set of thousands is ordered in n log n.
 * A set made so that many certificates share a name and none fits (hostile)
 * gets a bounded search: the path found so far, the first certificate as
 * the leaf.
 */
STACK_OF(X509) *chain_issuers(const struct mkcsr_certset *set, X509 *leaf);

/* The same as positions in set, into out (room for set->count, or one less when leaf is in set); returns how many. */
size_t chain_issuer_positions(const struct mkcsr_certset *set, X509 *leaf, size_t *out);

/* All certificates but leaf, as untrusted intermediates for verification. */
STACK_OF(X509) *chain_others(const struct mkcsr_certset *set, X509 *leaf);

/* Whether cert signed itself (subject = issuer and its own key verifies it). */
int chain_is_self_signed(X509 *cert);

/*
 * How certificates' names and times are written, the same in every command
 * (new, check, inspect, pfx), text and JSON alike.
 */

/*
 * A distinguished name as certlm shows it, most specific first:
 * "CN=vpn.example.com, O=Example, C=US" (", " between RDNs, "+" inside a
 * multi-valued one, Windows' short names such as E for emailAddress, RFC 4514
 * escapes, and what could mislead escaped as display.h shows text from files);
 * "(empty subject)" for an empty name.
 */
const char *chain_name_text(const X509_NAME *name, char *buf, size_t size);

/* For people: "2027-06-01 00:00:00 UTC"; "(unreadable date)" when it cannot be read. */
const char *chain_time_text(const ASN1_TIME *t, char *buf, size_t size);
const char *chain_epoch_text(time_t t, char *buf, size_t size);
/* For JSON: "2027-06-01T00:00:00Z"; "" when it cannot be read. */
const char *chain_time_json(const ASN1_TIME *t, char *buf, size_t size);
const char *chain_epoch_json(time_t t, char *buf, size_t size);

/*
 * Whole days from at to not_after, rounded down: floor((notAfter - at) /
 * 86400 s).  0 through the last day up to notAfter itself (still valid),
 * -1 from one second after it, so that days < 0 exactly when expired.
 * check and inspect both count with it.  False when not_after cannot be read.
 */
bool chain_days_left(const ASN1_TIME *not_after, time_t at, long *days);

void chain_clear(struct mkcsr_certset *set);

#endif
