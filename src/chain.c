#include <config.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "display.h"
#include "input.h"
#include "subject.h"

/*
 * The certificates already in a set, by their SHA-1 fingerprint, so that
 * each one added is looked up once instead of compared with all the others
 * (a bundle of 18,000 certificates).  Open addressing; slots hold index + 1.
 */
struct cert_table {
	size_t *slots;
	size_t size;   /* a power of two, at least twice the number of entries */
};

static size_t fingerprint_slot(X509 *x509, size_t size)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	size_t h = 0;

	/* OpenSSL keeps the SHA-1 fingerprint of a parsed certificate: no hashing here. */
	if (X509_digest(x509, EVP_sha1(), md, &md_len) && md_len >= sizeof(h))
		memcpy(&h, md, sizeof(h));
	return h & (size - 1);
}

/* The slot that holds x509's equal, or the empty slot where it goes. */
static size_t *table_find(const struct cert_table *t, const struct mkcsr_certset *set, X509 *x509)
{
	size_t i = fingerprint_slot(x509, t->size);

	while (t->slots[i] != 0 && X509_cmp(set->items[t->slots[i] - 1].x509, x509) != 0)
		i = (i + 1) & (t->size - 1);
	return &t->slots[i];
}

static bool table_fill(struct cert_table *t, const struct mkcsr_certset *set, size_t size)
{
	size_t *slots = calloc(size, sizeof(*slots));

	if (slots == NULL)
		return false;
	free(t->slots);
	t->slots = slots;
	t->size = size;
	for (size_t i = 0; i < set->count; i++)
		*table_find(t, set, set->items[i].x509) = i + 1;
	return true;
}

/* Items grow by doubling: the capacity is the power of two at or above count (see chain_load_buffer). */
static bool is_power_of_two(size_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static enum mkcsr_err add_cert(struct mkcsr_certset *set, struct cert_table *t, X509 *x509, const char *source)
{
	size_t *slot;

	if (t->size < 2 * (set->count + 1)) {
		size_t size = t->size ? 2 * t->size : 64;

		while (size < 2 * (set->count + 1))
			size *= 2;
		if (!table_fill(t, set, size)) {
			X509_free(x509);
			return err_set(MKCSR_E_NOMEM, "reading '%s'", source);
		}
	}
	/* The same certificate twice (leaf file and fullchain) is kept once. */
	slot = table_find(t, set, x509);
	if (*slot != 0) {
		X509_free(x509);
		return MKCSR_E_OK;
	}
	if (set->count == 0 || is_power_of_two(set->count)) {
		struct mkcsr_cert *grown = realloc(set->items, (set->count ? 2 * set->count : 1) * sizeof(*grown));

		if (grown == NULL) {
			X509_free(x509);
			return err_set(MKCSR_E_NOMEM, "reading '%s'", source);
		}
		set->items = grown;
	}
	set->items[set->count].x509 = x509;
	set->items[set->count].source = source;
	set->count++;
	*slot = set->count;
	return MKCSR_E_OK;
}

/* *found counts the bundle's certificates, those already in set too (given twice, kept once). */
static enum mkcsr_err add_pkcs7(struct mkcsr_certset *set, struct cert_table *t, PKCS7 *p7, const char *source,
			       size_t *found)
{
	STACK_OF(X509) *certs = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;

	if (OBJ_obj2nid(p7->type) == NID_pkcs7_signed && p7->d.sign != NULL)
		certs = p7->d.sign->cert;
	else if (OBJ_obj2nid(p7->type) == NID_pkcs7_signedAndEnveloped && p7->d.signed_and_enveloped != NULL)
		certs = p7->d.signed_and_enveloped->cert;
	for (int i = 0; rc == MKCSR_E_OK && i < sk_X509_num(certs); i++) {
		X509 *x509 = sk_X509_value(certs, i);

		if (!X509_up_ref(x509))
			return err_set(MKCSR_E_CRYPTO, "reading '%s'", source);
		rc = add_cert(set, t, x509, source);
		(*found)++;
	}
	return rc;
}

static enum mkcsr_err load_pem(struct mkcsr_certset *set, struct cert_table *t, const unsigned char *data, size_t len,
			       const char *path, size_t *found)
{
	BIO *mem = BIO_new_mem_buf(data, (int)len);
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	long der_len = 0;
	enum mkcsr_err rc = MKCSR_E_OK;

	if (mem == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
	while (rc == MKCSR_E_OK && PEM_read_bio(mem, &name, &header, &der, &der_len)) {
		const unsigned char *p = der;

		if (strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "X509 CERTIFICATE") == 0 ||
		    strcmp(name, "TRUSTED CERTIFICATE") == 0) {
			X509 *x509 = strcmp(name, "TRUSTED CERTIFICATE") == 0 ? d2i_X509_AUX(NULL, &p, der_len)
									       : d2i_X509(NULL, &p, der_len);

			if (x509 == NULL || p != der + der_len) {
				X509_free(x509);
				rc = err_set_file(MKCSR_E_MALFORMED, path,
						  "'%s': certificate %zu is damaged", path, *found + 1);
			} else {
				rc = add_cert(set, t, x509, path);
				(*found)++;
			}
		} else if (strcmp(name, "PKCS7") == 0 || strcmp(name, "CERTIFICATE CHAIN") == 0) {
			PKCS7 *p7 = d2i_PKCS7(NULL, &p, der_len);

			if (p7 == NULL)
				rc = err_set_file(MKCSR_E_MALFORMED, path, "'%s': the PKCS#7 bundle is damaged", path);
			else
				rc = add_pkcs7(set, t, p7, path, found);
			PKCS7_free(p7);
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(der);
		name = header = NULL;
		der = NULL;
	}
	/* PEM_read_bio also stops at a damaged or cut-off block: only "no start line" is the end. */
	if (rc == MKCSR_E_OK && *found > 0) {
		unsigned long e = ERR_peek_last_error();

		if (e != 0 && !(ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE))
			rc = err_set_file(MKCSR_E_MALFORMED, path,
					  "'%s': the PEM block after certificate %zu is damaged or truncated", path,
					  *found);
	}
	BIO_free(mem);
	return rc;
}

static enum mkcsr_err load_der(struct mkcsr_certset *set, struct cert_table *t, const unsigned char *data, size_t len,
			       const char *path, size_t *found)
{
	const unsigned char *p = data;
	X509 *x509 = d2i_X509(NULL, &p, (long)len);
	PKCS7 *p7;
	enum mkcsr_err rc;

	if (x509 != NULL && p == data + len) {
		(*found)++;
		return add_cert(set, t, x509, path);
	}
	X509_free(x509);
	p = data;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (p7 == NULL)
		return MKCSR_E_OK;
	rc = add_pkcs7(set, t, p7, path, found);
	PKCS7_free(p7);
	return rc;
}

enum mkcsr_err chain_load_buffer(struct mkcsr_certset *set, const unsigned char *data, size_t len, const char *path)
{
	struct cert_table table = { 0 };
	size_t found = 0;
	enum mkcsr_err rc;

	if (len == 0)
		return err_set_file(MKCSR_E_MALFORMED, path, "'%s' is empty", path);
	if (len > INT_MAX)
		return err_set_file(MKCSR_E_MALFORMED, path, "'%s' is too large", path);
	/* A set filled elsewhere (a PFX's certificates) has room for count items only: give it what add_cert expects. */
	if (set->count > 0 && !is_power_of_two(set->count)) {
		size_t capacity = 1;
		struct mkcsr_cert *grown;

		while (capacity < set->count)
			capacity *= 2;
		grown = realloc(set->items, capacity * sizeof(*grown));
		if (grown == NULL)
			return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
		set->items = grown;
	}
	rc = data[0] == 0x30 ? load_der(set, &table, data, len, path, &found)
			     : load_pem(set, &table, data, len, path, &found);
	free(table.slots);
	if (rc == MKCSR_E_OK && found == 0) {
		const char *what = input_describe(data, len);

		rc = err_set_file(MKCSR_E_MALFORMED, path, "'%s' holds no certificate: it is %s", path,
				  strcmp(what, "a certificate") == 0 || strcmp(what, "a PKCS#7 certificate bundle") == 0
				  ? "damaged or truncated"
				  : what);
	}
	ERR_clear_error();
	return rc;
}

enum mkcsr_err chain_load(struct mkcsr_certset *set, const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0;
	enum mkcsr_err rc = input_read_file(path, &data, &len);

	if (rc != MKCSR_E_OK)
		return rc;
	rc = chain_load_buffer(set, data, len, path);
	free(data);
	return rc;
}

static bool key_matches(X509 *x509, EVP_PKEY *key)
{
	EVP_PKEY *pub = X509_get0_pubkey(x509);

	return pub != NULL && EVP_PKEY_eq(pub, key) == 1;
}

/*
 * The certificates of a set sorted by the hash of their subject's or their
 * issuer's name: "who issued this one" and "did this one issue any" look at
 * the few certificates with the right name instead of the whole set, so
 * that a bundle of thousands is ordered in n log n, not n squared.
 */
struct name_entry {
	unsigned long hash;
	size_t index;
};

static unsigned long name_hash(const X509_NAME *name)
{
	int ok = 0;
	unsigned long h = X509_NAME_hash_ex(name, NULL, NULL, &ok);

	return ok ? h : 0;
}

static int name_entry_cmp(const void *a, const void *b)
{
	const struct name_entry *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static struct name_entry *name_index(const struct mkcsr_certset *set, bool by_issuer)
{
	struct name_entry *idx = malloc((set->count ? set->count : 1) * sizeof(*idx));

	if (idx == NULL)
		return NULL;
	for (size_t i = 0; i < set->count; i++) {
		X509 *x509 = set->items[i].x509;

		idx[i].hash = name_hash(by_issuer ? X509_get_issuer_name(x509) : X509_get_subject_name(x509));
		idx[i].index = i;
	}
	qsort(idx, set->count, sizeof(*idx), name_entry_cmp);
	return idx;
}

/* The first entry with hash h (in set order from there on), or the end. */
static size_t name_first(const struct name_entry *idx, size_t n, unsigned long h)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (idx[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * How many pairs may be compared for one set.  Real sets have one or a few
 * certificates under each name; one made of many certificates under the
 * same name, each refused as the issuer of the others, would otherwise cost
 * n squared.  Past the budget the search gives up (the plain answer).
 */
static size_t pair_budget(const struct mkcsr_certset *set)
{
	return 64 * set->count + 4096;
}

/*
 * Whether set's certificate i issued another one of the set; by_issuer from
 * name_index(set, true).  -1 when *budget ran out before the answer.
 */
static int issued_another(const struct mkcsr_certset *set, const struct name_entry *by_issuer, size_t i,
			  size_t *budget)
{
	X509 *candidate = set->items[i].x509;
	unsigned long h = name_hash(X509_get_subject_name(candidate));

	for (size_t e = name_first(by_issuer, set->count, h); e < set->count && by_issuer[e].hash == h; e++) {
		if (by_issuer[e].index == i)
			continue;
		if (*budget == 0)
			return -1;
		(*budget)--;
		if (X509_check_issued(candidate, set->items[by_issuer[e].index].x509) == X509_V_OK)
			return 1;
	}
	return 0;
}

/* The first certificate that issued no other of the set (and is no CA, with skip_cas); NULL if none. */
static const struct mkcsr_cert *first_issuing_none(const struct mkcsr_certset *set, bool skip_cas)
{
	struct name_entry *by_issuer = name_index(set, true);
	const struct mkcsr_cert *found = NULL;
	size_t budget = pair_budget(set);
	int issued = 1;

	for (size_t i = 0; by_issuer != NULL && found == NULL && issued >= 0 && i < set->count; i++) {
		if (skip_cas && X509_check_ca(set->items[i].x509) != 0)
			continue;
		issued = issued_another(set, by_issuer, i, &budget);
		if (issued == 0)
			found = &set->items[i];
	}
	free(by_issuer);
	ERR_clear_error();
	return found;
}

const struct mkcsr_cert *chain_find_lowest(const struct mkcsr_certset *set)
{
	return first_issuing_none(set, false);
}

const struct mkcsr_cert *chain_find_leaf(const struct mkcsr_certset *set, EVP_PKEY *key)
{
	const struct mkcsr_cert *leaf;

	if (set->count == 0)
		return NULL;
	if (key != NULL) {
		for (size_t i = 0; i < set->count; i++)
			if (key_matches(set->items[i].x509, key))
				return &set->items[i];
		return NULL;
	}
	leaf = first_issuing_none(set, true);
	return leaf != NULL ? leaf : &set->items[0];
}

int chain_is_self_signed(X509 *cert)
{
	return X509_self_signed(cert, 1) == 1;
}

size_t chain_issuer_positions(const struct mkcsr_certset *set, X509 *leaf, size_t *out)
{
	struct name_entry *by_subject = name_index(set, false);
	bool *in_path = calloc(set->count ? set->count : 1, sizeof(*in_path));
	X509 *current = leaf;
	size_t n = 0, budget = pair_budget(set);

	for (size_t i = 0; in_path != NULL && i < set->count; i++)
		in_path[i] = set->items[i].x509 == leaf;
	/* A loop of cross-signed CAs ends where it comes round: each certificate once at most. */
	while (by_subject != NULL && in_path != NULL && !chain_is_self_signed(current)) {
		unsigned long h = name_hash(X509_get_issuer_name(current));
		size_t issuer = set->count;

		for (size_t e = name_first(by_subject, set->count, h);
		     issuer == set->count && budget > 0 && e < set->count && by_subject[e].hash == h; e++) {
			X509 *candidate = set->items[by_subject[e].index].x509;

			budget--;
			if (candidate != current && X509_check_issued(candidate, current) == X509_V_OK)
				issuer = by_subject[e].index;
		}
		if (issuer == set->count || in_path[issuer])
			break;
		in_path[issuer] = true;
		out[n++] = issuer;
		current = set->items[issuer].x509;
	}
	free(in_path);
	free(by_subject);
	ERR_clear_error();
	return n;
}

STACK_OF(X509) *chain_issuers(const struct mkcsr_certset *set, X509 *leaf)
{
	STACK_OF(X509) *path = sk_X509_new_null();
	size_t *positions = malloc((set->count ? set->count : 1) * sizeof(*positions));
	size_t n;

	if (path == NULL || positions == NULL) {
		sk_X509_free(path);
		free(positions);
		return NULL;
	}
	n = chain_issuer_positions(set, leaf, positions);
	for (size_t i = 0; i < n; i++) {
		X509 *issuer = set->items[positions[i]].x509;

		if (!X509_up_ref(issuer))
			break;
		if (!sk_X509_push(path, issuer)) {
			X509_free(issuer);
			break;
		}
	}
	free(positions);
	return path;
}

STACK_OF(X509) *chain_others(const struct mkcsr_certset *set, X509 *leaf)
{
	STACK_OF(X509) *others = sk_X509_new_null();

	for (size_t i = 0; others != NULL && i < set->count; i++) {
		X509 *x509 = set->items[i].x509;

		if (x509 == leaf)
			continue;
		if (!X509_up_ref(x509) || !sk_X509_push(others, x509)) {
			sk_X509_pop_free(others, X509_free);
			return NULL;
		}
	}
	return others;
}

/* "CN=vpn.example.com" in RFC 4514 order, shown as display.h says, or "(empty subject)". */
const char *chain_name_text(const X509_NAME *name, char *buf, size_t size)
{
	char *shown = display_name(name);

	display_copy(buf, size, shown != NULL ? shown : "");
	free(shown);
	if (buf[0] == '\0')
		snprintf(buf, size, "(empty subject)");
	return buf;
}

static const char *tm_text(const struct tm *tm, bool json, char *buf, size_t size)
{
	strftime(buf, size, json ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S UTC", tm);
	return buf;
}

const char *chain_time_text(const ASN1_TIME *t, char *buf, size_t size)
{
	struct tm tm;

	if (t != NULL && ASN1_TIME_to_tm(t, &tm))
		return tm_text(&tm, false, buf, size);
	snprintf(buf, size, "(unreadable date)");
	return buf;
}

const char *chain_time_json(const ASN1_TIME *t, char *buf, size_t size)
{
	struct tm tm;

	if (t != NULL && ASN1_TIME_to_tm(t, &tm))
		return tm_text(&tm, true, buf, size);
	buf[0] = '\0';
	return buf;
}

const char *chain_epoch_text(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) != NULL)
		return tm_text(&tm, false, buf, size);
	snprintf(buf, size, "(unreadable date)");
	return buf;
}

const char *chain_epoch_json(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) != NULL)
		return tm_text(&tm, true, buf, size);
	buf[0] = '\0';
	return buf;
}

bool chain_days_left(const ASN1_TIME *not_after, time_t at, long *days)
{
	ASN1_TIME *now = ASN1_TIME_set(NULL, at);
	int d = 0, secs = 0;
	bool ok = now != NULL && not_after != NULL && ASN1_TIME_diff(&d, &secs, now, not_after);

	ASN1_TIME_free(now);
	if (!ok)
		return false;
	/* ASN1_TIME_diff gives days and seconds of the same sign: -703 days and -12 hours is day -704. */
	*days = secs < 0 ? (long)d - 1 : (long)d;
	return true;
}

void chain_clear(struct mkcsr_certset *set)
{
	for (size_t i = 0; i < set->count; i++)
		X509_free(set->items[i].x509);
	free(set->items);
	set->items = NULL;
	set->count = 0;
}
