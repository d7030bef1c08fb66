#include <config.h>

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "display.h"
#include "input.h"
#include "subject.h"

/*
 * A library context with no algorithms but the null provider's: a
 * certificate decoded in it has everything but its public key decoded,
 * which is what makes a full parse slow (see chain.h).  Used only to
 * check a certificate and read its names when it is added.
 */
static OSSL_LIB_CTX *outline_ctx;
static pthread_once_t outline_once = PTHREAD_ONCE_INIT;

static void outline_ctx_make(void)
{
	OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();

	if (ctx != NULL && OSSL_PROVIDER_load(ctx, "null") == NULL) {
		OSSL_LIB_CTX_free(ctx);
		ctx = NULL;
	}
	outline_ctx = ctx;
}

/* der decoded without its key, or NULL when it is not one whole certificate. */
static X509 *outline_parse(const unsigned char *der, size_t len, bool aux)
{
	const unsigned char *p = der;
	X509 *x509;

	pthread_once(&outline_once, outline_ctx_make);
	x509 = X509_new_ex(outline_ctx, NULL);  /* NULL context (no memory for one): the default, slower */
	if (x509 == NULL)
		return NULL;
	if ((aux ? d2i_X509_AUX(&x509, &p, (long)len) : d2i_X509(&x509, &p, (long)len)) == NULL)
		return NULL;  /* d2i freed it */
	if (p != der + len) {
		X509_free(x509);
		return NULL;
	}
	return x509;
}

X509 *chain_outline(const struct mkcsr_cert *cert)
{
	return outline_parse(cert->der, cert->der_len, true);
}

static unsigned long name_hash(const X509_NAME *name)
{
	int ok = 0;
	unsigned long h = X509_NAME_hash_ex(name, NULL, NULL, &ok);

	return ok ? h : 0;
}

/* The SHA-256 of an encoding len bytes long (negative: it could not be made), which is freed. */
static bool sha256_and_free(unsigned char *der, int len, unsigned char md[32])
{
	bool ok = len > 0 && EVP_Digest(der, (size_t)len, md, NULL, EVP_sha256(), NULL);

	OPENSSL_free(der);
	return ok;
}

static bool spki_digest(X509_PUBKEY *spki, unsigned char md[32])
{
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(spki, &der);

	return sha256_and_free(der, len, md);
}

/* The summary fields of cert from x509 (outline or full). */
static bool describe(struct mkcsr_cert *cert, X509 *x509)
{
	cert->subject_hash = name_hash(X509_get_subject_name(x509));
	cert->issuer_hash = name_hash(X509_get_issuer_name(x509));
	return spki_digest(X509_get_X509_PUBKEY(x509), cert->spki_sha256);
}

X509 *chain_x509(const struct mkcsr_cert *cert)
{
	struct mkcsr_cert *mutable = (struct mkcsr_cert *)(uintptr_t)cert;  /* a cache: what the set holds does not change */
	const unsigned char *p = cert->der;
	X509 *parsed = atomic_load(&mutable->parsed), *none = NULL;

	if (parsed != NULL)
		return parsed;
	parsed = d2i_X509_AUX(NULL, &p, (long)cert->der_len);
	/* Another thread may have parsed it meanwhile: the one stored first is kept. */
	if (parsed != NULL && !atomic_compare_exchange_strong(&mutable->parsed, &none, parsed)) {
		X509_free(parsed);
		parsed = none;
	}
	return parsed;
}

void chain_release(const struct mkcsr_cert *cert)
{
	struct mkcsr_cert *mutable = (struct mkcsr_cert *)(uintptr_t)cert;

	X509_free(atomic_exchange(&mutable->parsed, NULL));
}

/*
 * The certificates already in a set, by a hash of their DER encoding, so
 * that each one added is looked up once instead of compared with all the
 * others (a bundle of 18,000 certificates).  Open addressing; slots hold
 * index + 1.
 */
struct cert_table {
	size_t *slots;
	size_t size;   /* a power of two, at least twice the number of entries */
};

static size_t der_slot(const unsigned char *der, size_t len, size_t size)
{
	uint64_t h = 14695981039346656037u;  /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ der[i]) * 1099511628211u;
	return (size_t)h & (size - 1);
}

/* The slot that holds der's equal, or the empty slot where it goes. */
static size_t *table_find(const struct cert_table *t, const struct mkcsr_certset *set, const unsigned char *der,
			  size_t len)
{
	size_t i = der_slot(der, len, t->size);

	while (t->slots[i] != 0) {
		const struct mkcsr_cert *c = &set->items[t->slots[i] - 1];

		if (c->der_len == len && memcmp(c->der, der, len) == 0)
			break;
		i = (i + 1) & (t->size - 1);
	}
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
		*table_find(t, set, set->items[i].der, set->items[i].der_len) = i + 1;
	return true;
}

static bool table_make_room(struct cert_table *t, const struct mkcsr_certset *set)
{
	size_t size = t->size ? t->size : 64;

	while (size < 2 * (set->count + 1))
		size *= 2;
	return size == t->size || table_fill(t, set, size);
}

/* Items grow by doubling: the capacity is the power of two at or above count. */
static bool is_power_of_two(size_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static bool items_make_room(struct mkcsr_certset *set)
{
	struct mkcsr_cert *grown;

	if (set->count != 0 && !is_power_of_two(set->count))
		return true;
	grown = realloc(set->items, (set->count ? 2 * set->count : 1) * sizeof(*grown));
	if (grown == NULL)
		return false;
	set->items = grown;
	return true;
}

/*
 * The next item of set (room made) from der (copied) and x509 (its full
 * parse, owned from now on, or NULL), described by describe_by (x509 or
 * an outline parse).  On failure x509 is freed and the set unchanged.
 */
static bool put_cert(struct mkcsr_certset *set, const unsigned char *der, size_t len, X509 *x509, X509 *describe_by,
		     const char *source)
{
	struct mkcsr_cert *cert = &set->items[set->count];

	memset(cert, 0, sizeof(*cert));
	cert->der = malloc(len);
	if (cert->der == NULL || !describe(cert, describe_by)) {
		free(cert->der);
		X509_free(x509);
		return false;
	}
	memcpy(cert->der, der, len);
	cert->der_len = len;
	cert->source = source;
	cert->parsed = x509;
	set->count++;
	return true;
}

/*
 * Append a certificate given as DER and, when already parsed, as x509
 * (owned from now on), else outline (its outline parse, borrowed).  The
 * same certificate twice (leaf file and fullchain) is kept once.
 */
static enum mkcsr_err add_cert(struct mkcsr_certset *set, struct cert_table *t, const unsigned char *der, size_t len,
			       X509 *x509, X509 *outline, const char *source)
{
	size_t *slot;

	if (!table_make_room(t, set) || !items_make_room(set)) {
		X509_free(x509);
		return err_set(MKCSR_E_NOMEM, "reading '%s'", source);
	}
	slot = table_find(t, set, der, len);
	if (*slot != 0) {
		X509_free(x509);
		return MKCSR_E_OK;
	}
	if (!put_cert(set, der, len, x509, x509 != NULL ? x509 : outline, source))
		return err_set(MKCSR_E_NOMEM, "reading '%s'", source);
	*slot = set->count;
	return MKCSR_E_OK;
}

/* Appends x509 (owned) with its encoding, once. */
static enum mkcsr_err add_parsed(struct mkcsr_certset *set, struct cert_table *t, X509 *x509, const char *source)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x509, &der);
	enum mkcsr_err rc;

	if (len <= 0) {
		X509_free(x509);
		return err_set(MKCSR_E_NOMEM, "reading '%s'", source);
	}
	rc = add_cert(set, t, der, (size_t)len, x509, NULL, source);
	OPENSSL_free(der);
	return rc;
}

enum mkcsr_err chain_append(struct mkcsr_certset *set, X509 *x509, const char *source)
{
	unsigned char *der = NULL;
	int len;
	bool ok;

	if (!items_make_room(set) || (len = i2d_X509(x509, &der)) <= 0) {
		X509_free(x509);
		return err_set(MKCSR_E_NOMEM, "reading '%s'", source);
	}
	ok = put_cert(set, der, (size_t)len, x509, x509, source);
	OPENSSL_free(der);
	return ok ? MKCSR_E_OK : err_set(MKCSR_E_NOMEM, "reading '%s'", source);
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
		rc = add_parsed(set, t, x509, source);
		(*found)++;
	}
	return rc;
}

/* One certificate's DER and its outline parse (freed here). */
static enum mkcsr_err add_outlined(struct mkcsr_certset *set, struct cert_table *t, const unsigned char *der,
				   size_t len, X509 *outline, const char *path, size_t *found)
{
	enum mkcsr_err rc = add_cert(set, t, der, len, NULL, outline, path);

	X509_free(outline);
	(*found)++;
	return rc;
}

/* A PEM block's certificate, checked by its outline parse. */
static enum mkcsr_err add_der(struct mkcsr_certset *set, struct cert_table *t, const unsigned char *der, size_t len,
			      bool aux, const char *path, size_t *found)
{
	X509 *outline = outline_parse(der, len, aux);

	if (outline == NULL)
		return err_set_file(MKCSR_E_MALFORMED, path, "'%s': certificate %zu is damaged", path, *found + 1);
	return add_outlined(set, t, der, len, outline, path, found);
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
			rc = add_der(set, t, der, (size_t)der_len, strcmp(name, "TRUSTED CERTIFICATE") == 0, path, found);
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
	X509 *outline = outline_parse(data, len, false);
	PKCS7 *p7;
	enum mkcsr_err rc;

	if (outline != NULL)
		return add_outlined(set, t, data, len, outline, path, found);
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
	if (!table_make_room(&table, set))
		return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
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

/* Whether cert's key is key: the encodings first (cheap), then, for a key written otherwise, the keys themselves. */
static bool key_matches(const struct mkcsr_cert *cert, EVP_PKEY *key, const unsigned char key_sha256[32], bool compare_keys)
{
	X509 *x509;
	EVP_PKEY *pub;

	if (memcmp(cert->spki_sha256, key_sha256, 32) == 0)
		return true;
	if (!compare_keys || (x509 = chain_x509(cert)) == NULL)
		return false;
	pub = X509_get0_pubkey(x509);
	return pub != NULL && EVP_PKEY_eq(pub, key) == 1;
}

/* The same digest as spki_digest, of a key given on its own. */
static bool key_digest(EVP_PKEY *key, unsigned char md[32])
{
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(key, &der);

	return sha256_and_free(der, len, md);
}

/* Whether cert is one chain_find_leaf may pick: from source, when given. */
static bool eligible(const struct mkcsr_cert *cert, const char *source)
{
	return source == NULL || cert->source == source;
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

static int name_entry_cmp(const void *a, const void *b)
{
	const struct name_entry *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The index of the eligible certificates (all when source is NULL); *n receives their number. */
static struct name_entry *name_index(const struct mkcsr_certset *set, bool by_issuer, const char *source, size_t *n)
{
	struct name_entry *idx = malloc((set->count ? set->count : 1) * sizeof(*idx));

	*n = 0;
	if (idx == NULL)
		return NULL;
	for (size_t i = 0; i < set->count; i++) {
		if (!eligible(&set->items[i], source))
			continue;
		idx[*n].hash = by_issuer ? set->items[i].issuer_hash : set->items[i].subject_hash;
		idx[(*n)++].index = i;
	}
	qsort(idx, *n, sizeof(*idx), name_entry_cmp);
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

/* X509_check_issued on two certificates of set, parsing them as needed. */
static bool issued(const struct mkcsr_cert *issuer, const struct mkcsr_cert *subject)
{
	X509 *a = chain_x509(issuer), *b = chain_x509(subject);

	return a != NULL && b != NULL && X509_check_issued(a, b) == X509_V_OK;
}

/*
 * Whether set's certificate i issued another one of by_issuer (n entries,
 * from name_index(set, true, ...)).  -1 when *budget ran out before the answer.
 */
static int issued_another(const struct mkcsr_certset *set, const struct name_entry *by_issuer, size_t n, size_t i,
			  size_t *budget)
{
	unsigned long h = set->items[i].subject_hash;

	for (size_t e = name_first(by_issuer, n, h); e < n && by_issuer[e].hash == h; e++) {
		if (by_issuer[e].index == i)
			continue;
		if (*budget == 0)
			return -1;
		(*budget)--;
		if (issued(&set->items[i], &set->items[by_issuer[e].index]))
			return 1;
	}
	return 0;
}

static bool is_ca(const struct mkcsr_cert *cert)
{
	X509 *x509 = chain_x509(cert);

	return x509 != NULL && X509_check_ca(x509) != 0;
}

/* The first eligible certificate that issued no other eligible one (and is no CA, with skip_cas); NULL if none. */
static const struct mkcsr_cert *first_issuing_none(const struct mkcsr_certset *set, bool skip_cas, const char *source)
{
	size_t n = 0;
	struct name_entry *by_issuer = name_index(set, true, source, &n);
	const struct mkcsr_cert *found = NULL;
	size_t budget = pair_budget(set);
	int answer = 1;

	for (size_t i = 0; by_issuer != NULL && found == NULL && answer >= 0 && i < set->count; i++) {
		if (!eligible(&set->items[i], source))
			continue;
		answer = issued_another(set, by_issuer, n, i, &budget);
		/* Asked only now: whether it is a CA needs the certificate parsed. */
		if (answer == 0 && !(skip_cas && is_ca(&set->items[i])))
			found = &set->items[i];
	}
	free(by_issuer);
	ERR_clear_error();
	return found;
}

const struct mkcsr_cert *chain_find_lowest(const struct mkcsr_certset *set)
{
	return first_issuing_none(set, false, NULL);
}

static const struct mkcsr_cert *find_by_key(const struct mkcsr_certset *set, EVP_PKEY *key, const char *source)
{
	unsigned char md[32];

	if (!key_digest(key, md))
		memset(md, 0, sizeof(md));
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < set->count; i++)
			if (eligible(&set->items[i], source) && key_matches(&set->items[i], key, md, pass == 1))
				return &set->items[i];
	return NULL;
}

const struct mkcsr_cert *chain_find_leaf(const struct mkcsr_certset *set, EVP_PKEY *key, const char *source)
{
	const struct mkcsr_cert *leaf;

	if (key != NULL)
		return find_by_key(set, key, source);
	leaf = first_issuing_none(set, true, source);
	for (size_t i = 0; leaf == NULL && i < set->count; i++)
		if (eligible(&set->items[i], source))
			leaf = &set->items[i];
	return leaf;
}

int chain_is_self_signed(X509 *cert)
{
	return X509_self_signed(cert, 1) == 1;
}

/* The index of leaf in set, or set->count when it is not one of them. */
static size_t position_of(const struct mkcsr_certset *set, X509 *leaf)
{
	for (size_t i = 0; i < set->count; i++)
		if (set->items[i].parsed == leaf)
			return i;
	return set->count;
}

size_t chain_issuer_positions(const struct mkcsr_certset *set, X509 *leaf, size_t *out)
{
	size_t n_index = 0;
	struct name_entry *by_subject = name_index(set, false, NULL, &n_index);
	bool *in_path = calloc(set->count ? set->count : 1, sizeof(*in_path));
	X509 *current = leaf;
	size_t n = 0, budget = pair_budget(set), at = position_of(set, leaf);

	if (in_path != NULL && at < set->count)
		in_path[at] = true;
	/* A loop of cross-signed CAs ends where it comes round: each certificate once at most. */
	while (by_subject != NULL && in_path != NULL && !chain_is_self_signed(current)) {
		unsigned long h = name_hash(X509_get_issuer_name(current));
		size_t issuer = set->count;

		for (size_t e = name_first(by_subject, n_index, h);
		     issuer == set->count && budget > 0 && e < n_index && by_subject[e].hash == h; e++) {
			X509 *candidate = chain_x509(&set->items[by_subject[e].index]);

			budget--;
			if (candidate != NULL && candidate != current && X509_check_issued(candidate, current) == X509_V_OK)
				issuer = by_subject[e].index;
		}
		if (issuer == set->count || in_path[issuer])
			break;
		in_path[issuer] = true;
		out[n++] = issuer;
		current = set->items[issuer].parsed;
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
		X509 *issuer = set->items[positions[i]].parsed;

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
	size_t n = 0;
	struct name_entry *by_issuer = name_index(set, true, NULL, &n);
	unsigned long leaf_issuer = leaf != NULL ? name_hash(X509_get_issuer_name(leaf)) : 0;

	for (size_t i = 0; others != NULL && by_issuer != NULL && i < set->count; i++) {
		unsigned long h = set->items[i].subject_hash;
		size_t e = name_first(by_issuer, n, h);
		X509 *x509;

		if (h != leaf_issuer && (e == n || by_issuer[e].hash != h))
			continue;  /* issued none of the set, nor the leaf */
		x509 = chain_x509(&set->items[i]);
		if (x509 == leaf)
			continue;
		if (x509 == NULL || !X509_up_ref(x509) || !sk_X509_push(others, x509)) {
			X509_free(x509);
			sk_X509_pop_free(others, X509_free);
			others = NULL;
		}
	}
	free(by_issuer);
	if (by_issuer == NULL) {
		sk_X509_pop_free(others, X509_free);
		return NULL;
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
	for (size_t i = 0; i < set->count; i++) {
		X509_free(set->items[i].parsed);
		free(set->items[i].der);
	}
	free(set->items);
	set->items = NULL;
	set->count = 0;
}
