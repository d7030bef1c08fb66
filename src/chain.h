#ifndef MKCSR_CHAIN_H
#define MKCSR_CHAIN_H

/*
 * Certificates in every form CAs hand out, told apart by content: PEM with
 * one or many certificates in any order (fullchain files), DER (.cer), and
 * PKCS#7 (.p7b/.p7c) in PEM or DER.  Each certificate remembers the file it
 * came from, so that messages can name it.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "err.h"

/*
 * A certificate of a set: its DER encoding and what ordering a set needs
 * (name hashes, the key's digest), read when it was added.  The parsed
 * certificate is made on first use by chain_x509(): OpenSSL 3.0 spends
 * about 100 microseconds and 5 KB decoding a certificate's public key, so
 * a bundle of 18,000 is parsed in full only where it is looked at (the
 * leaf and its issuers).  Read the fields below through the functions.
 */
struct mkcsr_cert {
	const char *source;   /* the file's path, as given (not owned) */
	unsigned char *der;   /* owned */
	size_t der_len;
	unsigned long subject_hash, issuer_hash;  /* X509_NAME_hash_ex of each name */
	unsigned char spki_sha256[32];            /* of the DER SubjectPublicKeyInfo */
	_Atomic(X509 *) parsed;  /* owned; NULL until chain_x509 (a set's readers may be threads: probe's anchors) */
};

struct mkcsr_certset {
	struct mkcsr_cert *items;
	size_t count;
};

/*
 * The certificate, parsed on first use and kept; NULL only when out of
 * memory.  Threads may call it on the same set at once (the first parse to
 * be stored wins).
 */
X509 *chain_x509(const struct mkcsr_cert *cert);

/*
 * A new copy of cert decoded without its public key (the caller frees it):
 * names, dates, extensions and the SubjectPublicKeyInfo as found, for
 * showing a bundle of thousands.  Nothing that needs the key or an
 * algorithm (X509_get0_pubkey, X509_verify, X509_digest) works on it: use
 * chain_x509 for those, and digest the DER.  NULL when out of memory.
 */
X509 *chain_outline(const struct mkcsr_cert *cert);

/* Frees cert's parsed form, made again on next use: for going through a large set once (one thread only). */
void chain_release(const struct mkcsr_cert *cert);

/* Append x509 (owned by the set from now on, also on failure), read from source; a duplicate is kept too. */
enum mkcsr_err chain_append(struct mkcsr_certset *set, X509 *x509, const char *source);

/* Append every certificate in path; a file with none is an error naming what it holds. */
enum mkcsr_err chain_load(struct mkcsr_certset *set, const char *path);

/* The same for a file already in memory (data[len] need not be NUL); path names it in messages and sources. */
enum mkcsr_err chain_load_buffer(struct mkcsr_certset *set, const unsigned char *data, size_t len, const char *path);

/*
 * The end-entity certificate: the one whose public key is key's when a key
 * is given (NULL if none matches); otherwise the certificate that issued no
 * other in the set and is not a CA, else the first.  With source, only the
 * certificates read from that file (the same pointer) are considered.
 */
const struct mkcsr_cert *chain_find_leaf(const struct mkcsr_certset *set, EVP_PKEY *key, const char *source);

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

/*
 * The certificates but leaf that may issue one of the set (their subject is
 * the issuer of one of them): the untrusted intermediates for verification.
 * Chain building only ever looks at a certificate whose subject is the
 * issuer of the one before, so the others would change nothing.
 */
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
