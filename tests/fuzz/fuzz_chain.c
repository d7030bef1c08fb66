/*
 * Certificate, bundle and PKCS#7 loading (chain_load_buffer) and what check,
 * pfx and inspect do with the set: the leaf with and without a key, its
 * issuers in order, the others, the lowest CA, and each certificate's name
 * and date texts.  Properties: every certificate the outline parse let in
 * parses in full, the set has no duplicates, the issuers are distinct
 * members of the set and never the leaf, the others are members but the
 * leaf.
 */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "chain.h"
#include "err.h"
#include "fuzz.h"

static void walk(const struct mkcsr_certset *set)
{
	const struct mkcsr_cert *leaf = chain_find_leaf(set, NULL, NULL), *lowest = chain_find_lowest(set);
	X509 *last = chain_x509(&set->items[set->count - 1]);
	size_t *positions = calloc(set->count, sizeof(*positions));
	bool *seen = calloc(set->count, sizeof(*seen));
	STACK_OF(X509) *issuers, *others;
	char buf[1024];
	size_t n;

	/* The outline parse let only whole certificates in: each parses in full. */
	for (size_t i = 0; i < set->count; i++)
		FUZZ_ASSERT(chain_x509(&set->items[i]) != NULL);
	FUZZ_ASSERT(leaf != NULL && leaf >= set->items && leaf < set->items + set->count);
	FUZZ_ASSERT(lowest == NULL || (lowest >= set->items && lowest < set->items + set->count));
	if (positions == NULL || seen == NULL)
		goto done;
	n = chain_issuer_positions(set, chain_x509(leaf), positions);
	FUZZ_ASSERT(n < set->count);
	seen[leaf - set->items] = true;
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(positions[i] < set->count && !seen[positions[i]]);
		seen[positions[i]] = true;
	}
	issuers = chain_issuers(set, chain_x509(leaf));
	FUZZ_ASSERT(issuers != NULL && (size_t)sk_X509_num(issuers) == n);
	sk_X509_pop_free(issuers, X509_free);
	others = chain_others(set, chain_x509(leaf));
	FUZZ_ASSERT(others != NULL && (size_t)sk_X509_num(others) < set->count);
	for (int i = 0; i < sk_X509_num(others); i++)
		FUZZ_ASSERT(sk_X509_value(others, i) != chain_x509(leaf));
	sk_X509_pop_free(others, X509_free);
	/* The key of the last certificate: chain_find_leaf with a key finds a certificate that has it. */
	if (X509_get0_pubkey(last) != NULL) {
		const struct mkcsr_cert *owner = chain_find_leaf(set, X509_get0_pubkey(last), NULL);

		FUZZ_ASSERT(owner != NULL && EVP_PKEY_eq(X509_get0_pubkey(chain_x509(owner)), X509_get0_pubkey(last)) == 1);
	}
	for (size_t i = 0; i < set->count; i++) {
		X509 *x509 = chain_x509(&set->items[i]);

		chain_name_text(X509_get_subject_name(x509), buf, sizeof(buf));
		FUZZ_ASSERT(buf[0] != '\0' && strlen(buf) < sizeof(buf));
		chain_name_text(X509_get_issuer_name(x509), buf, sizeof(buf));
		chain_time_text(X509_get0_notBefore(x509), buf, sizeof(buf));
		chain_time_text(X509_get0_notAfter(x509), buf, sizeof(buf));
		(void)chain_is_self_signed(x509);
		for (size_t j = i + 1; j < set->count; j++)
			if (set->count <= 64)
				FUZZ_ASSERT(X509_cmp(x509, chain_x509(&set->items[j])) != 0);
	}
done:
	free(seen);
	free(positions);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mkcsr_certset set = { 0 };
	enum mkcsr_err rc;

	if (size == 0 || size > 256 * 1024)
		return 0;
	rc = chain_load_buffer(&set, data, size, "fuzz.pem");
	FUZZ_ASSERT(rc != MKCSR_E_OK || set.count > 0);
	if (rc == MKCSR_E_OK)
		walk(&set);
	else
		FUZZ_ASSERT(err_detail()[0] != '\0');
	chain_clear(&set);
	err_clear();
	ERR_clear_error();
	return 0;
}
