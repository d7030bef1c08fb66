#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "display.h"
#include "input.h"

static enum mkcsr_err add_cert(struct mkcsr_certset *set, X509 *x509, const char *source)
{
	struct mkcsr_cert *grown;

	/* The same certificate twice (leaf file and fullchain) is kept once. */
	for (size_t i = 0; i < set->count; i++) {
		if (X509_cmp(set->items[i].x509, x509) == 0) {
			X509_free(x509);
			return MKCSR_E_OK;
		}
	}
	grown = realloc(set->items, (set->count + 1) * sizeof(*grown));
	if (grown == NULL) {
		X509_free(x509);
		return err_set(MKCSR_E_NOMEM, "reading '%s'", source);
	}
	set->items = grown;
	set->items[set->count].x509 = x509;
	set->items[set->count].source = source;
	set->count++;
	return MKCSR_E_OK;
}

/* *found counts the bundle's certificates, those already in set too (given twice, kept once). */
static enum mkcsr_err add_pkcs7(struct mkcsr_certset *set, PKCS7 *p7, const char *source, size_t *found)
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
		rc = add_cert(set, x509, source);
		(*found)++;
	}
	return rc;
}

static enum mkcsr_err load_pem(struct mkcsr_certset *set, const unsigned char *data, size_t len, const char *path,
			       size_t *found)
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
				rc = add_cert(set, x509, path);
				(*found)++;
			}
		} else if (strcmp(name, "PKCS7") == 0 || strcmp(name, "CERTIFICATE CHAIN") == 0) {
			PKCS7 *p7 = d2i_PKCS7(NULL, &p, der_len);

			if (p7 == NULL)
				rc = err_set_file(MKCSR_E_MALFORMED, path, "'%s': the PKCS#7 bundle is damaged", path);
			else
				rc = add_pkcs7(set, p7, path, found);
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

static enum mkcsr_err load_der(struct mkcsr_certset *set, const unsigned char *data, size_t len, const char *path,
			       size_t *found)
{
	const unsigned char *p = data;
	X509 *x509 = d2i_X509(NULL, &p, (long)len);
	PKCS7 *p7;
	enum mkcsr_err rc;

	if (x509 != NULL && p == data + len) {
		(*found)++;
		return add_cert(set, x509, path);
	}
	X509_free(x509);
	p = data;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (p7 == NULL)
		return MKCSR_E_OK;
	rc = add_pkcs7(set, p7, path, found);
	PKCS7_free(p7);
	return rc;
}

enum mkcsr_err chain_load(struct mkcsr_certset *set, const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0, found = 0;
	enum mkcsr_err rc = input_read_file(path, &data, &len);

	if (rc != MKCSR_E_OK)
		return rc;
	rc = data[0] == 0x30 ? load_der(set, data, len, path, &found) : load_pem(set, data, len, path, &found);
	if (rc == MKCSR_E_OK && found == 0) {
		const char *what = input_describe(data, len);

		rc = err_set_file(MKCSR_E_MALFORMED, path, "'%s' holds no certificate: it is %s", path,
				  strcmp(what, "a certificate") == 0 || strcmp(what, "a PKCS#7 certificate bundle") == 0
				  ? "damaged or truncated"
				  : what);
	}
	free(data);
	ERR_clear_error();
	return rc;
}

static bool key_matches(X509 *x509, EVP_PKEY *key)
{
	EVP_PKEY *pub = X509_get0_pubkey(x509);

	return pub != NULL && EVP_PKEY_eq(pub, key) == 1;
}

const struct mkcsr_cert *chain_find_leaf(const struct mkcsr_certset *set, EVP_PKEY *key)
{
	if (set->count == 0)
		return NULL;
	if (key != NULL) {
		for (size_t i = 0; i < set->count; i++)
			if (key_matches(set->items[i].x509, key))
				return &set->items[i];
		return NULL;
	}
	for (size_t i = 0; i < set->count; i++) {
		X509 *candidate = set->items[i].x509;
		bool issued_another = false;

		if (X509_check_ca(candidate) != 0)
			continue;
		for (size_t j = 0; j < set->count && !issued_another; j++)
			issued_another = j != i && X509_check_issued(candidate, set->items[j].x509) == X509_V_OK;
		if (!issued_another)
			return &set->items[i];
	}
	return &set->items[0];
}

int chain_is_self_signed(X509 *cert)
{
	return X509_self_signed(cert, 1) == 1;
}

STACK_OF(X509) *chain_issuers(const struct mkcsr_certset *set, X509 *leaf)
{
	STACK_OF(X509) *path = sk_X509_new_null();
	X509 *current = leaf;

	if (path == NULL)
		return NULL;
	/* At most one step per certificate: a loop of cross-signed CAs cannot spin. */
	for (size_t step = 0; step < set->count && !chain_is_self_signed(current); step++) {
		X509 *issuer = NULL;

		for (size_t i = 0; i < set->count && issuer == NULL; i++) {
			X509 *candidate = set->items[i].x509;

			if (candidate != current && X509_check_issued(candidate, current) == X509_V_OK)
				issuer = candidate;
		}
		if (issuer == NULL || !X509_up_ref(issuer) || !sk_X509_push(path, issuer))
			break;
		current = issuer;
	}
	ERR_clear_error();
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

const char *chain_time_text(const ASN1_TIME *t, char *buf, size_t size)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm))
		strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
	else
		snprintf(buf, size, "(unreadable date)");
	return buf;
}

void chain_clear(struct mkcsr_certset *set)
{
	for (size_t i = 0; i < set->count; i++)
		X509_free(set->items[i].x509);
	free(set->items);
	set->items = NULL;
	set->count = 0;
}
