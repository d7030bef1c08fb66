#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include "input.h"
#include "display.h"
#include "pfxread.h"

/* ---- password-based encryption ------------------------------------------------ */

static const char *hmac_name(int nid)
{
	switch (nid) {
	case NID_hmacWithSHA1: return "HMAC-SHA1";
	case NID_hmacWithSHA224: return "HMAC-SHA224";
	case NID_hmacWithSHA256: return "HMAC-SHA256";
	case NID_hmacWithSHA384: return "HMAC-SHA384";
	case NID_hmacWithSHA512: return "HMAC-SHA512";
	}
	return nid == NID_undef ? "(unknown)" : OBJ_nid2sn(nid);
}

/* The PKCS#12 MAC for its digest: "HMAC-SHA256". */
static const char *mac_name(int digest)
{
	switch (digest) {
	case NID_sha1: return "HMAC-SHA1";
	case NID_sha224: return "HMAC-SHA224";
	case NID_sha256: return "HMAC-SHA256";
	case NID_sha384: return "HMAC-SHA384";
	case NID_sha512: return "HMAC-SHA512";
	}
	return digest == NID_undef ? "(unknown)" : OBJ_nid2sn(digest);
}

static const char *oid_text(const ASN1_OBJECT *obj, char *buf, size_t size)
{
	if (OBJ_obj2txt(buf, (int)size, obj, 1) <= 0)
		snprintf(buf, size, "(unreadable)");
	return buf;
}

/* PKCS#5 v1.5 and PKCS#12 schemes: one OID names cipher and key derivation. */
static bool describe_pbes1(int nid, const X509_ALGOR *alg, struct mkcsr_pbe *out)
{
	static const struct {
		int nid;
		const char *cipher;
		bool legacy;
	} pbes1[] = {
		{ NID_pbe_WithSHA1And3_Key_TripleDES_CBC, "3DES", false },
		{ NID_pbe_WithSHA1And2_Key_TripleDES_CBC, "2-key 3DES", false },
		{ NID_pbe_WithSHA1And40BitRC2_CBC, "RC2-40", true },
		{ NID_pbe_WithSHA1And128BitRC2_CBC, "RC2-128", true },
		{ NID_pbe_WithSHA1And40BitRC4, "RC4-40", true },
		{ NID_pbe_WithSHA1And128BitRC4, "RC4-128", true },
		{ NID_pbeWithMD2AndDES_CBC, "DES", true },
		{ NID_pbeWithMD5AndDES_CBC, "DES", true },
		{ NID_pbeWithSHA1AndDES_CBC, "DES", true },
		{ NID_pbeWithMD2AndRC2_CBC, "RC2-64", true },
		{ NID_pbeWithMD5AndRC2_CBC, "RC2-64", true },
		{ NID_pbeWithSHA1AndRC2_CBC, "RC2-64", true },
	};

	for (size_t i = 0; i < sizeof(pbes1) / sizeof(pbes1[0]); i++) {
		PBEPARAM *param;

		if (pbes1[i].nid != nid)
			continue;
		snprintf(out->text, sizeof(out->text), "%s (%s)", OBJ_nid2ln(nid), pbes1[i].cipher);
		out->legacy = pbes1[i].legacy;
		out->triple_des = nid == NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
		param = alg->parameter ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), alg->parameter) : NULL;
		if (param != NULL)
			out->iterations = param->iter ? ASN1_INTEGER_get(param->iter) : 1;
		PBEPARAM_free(param);
		return true;
	}
	return false;
}

/* PBES2: a cipher and a key derivation (PBKDF2 with its PRF, or scrypt) named apart. */
static void describe_pbes2(const X509_ALGOR *alg, struct mkcsr_pbe *out)
{
	PBE2PARAM *param = alg->parameter ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter) : NULL;
	PBKDF2PARAM *kdf = NULL;
	int cipher, prf = NID_hmacWithSHA1;
	const char *kdf_name;
	char oid[128];

	out->pbes2 = true;
	if (param == NULL || param->encryption == NULL || param->keyfunc == NULL) {
		snprintf(out->text, sizeof(out->text), "PBES2 (unreadable parameters)");
		PBE2PARAM_free(param);
		return;
	}
	cipher = OBJ_obj2nid(param->encryption->algorithm);
	if (OBJ_obj2nid(param->keyfunc->algorithm) == NID_id_pbkdf2) {
		kdf = param->keyfunc->parameter
			      ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), param->keyfunc->parameter)
			      : NULL;
		if (kdf != NULL && kdf->prf != NULL)
			prf = OBJ_obj2nid(kdf->prf->algorithm);
		if (kdf != NULL && kdf->iter != NULL)
			out->iterations = ASN1_INTEGER_get(kdf->iter);
		kdf_name = hmac_name(prf);
	} else {
		kdf_name = OBJ_obj2nid(param->keyfunc->algorithm) == NID_id_scrypt
				   ? "scrypt"
				   : oid_text(param->keyfunc->algorithm, oid, sizeof(oid));
	}
	snprintf(out->text, sizeof(out->text), "PBES2: %s, %s%s", cipher != NID_undef ? OBJ_nid2sn(cipher) : "(unknown cipher)",
		 OBJ_obj2nid(param->keyfunc->algorithm) == NID_id_pbkdf2 ? "PBKDF2-" : "", kdf_name);
	out->aes256_sha256 = cipher == NID_aes_256_cbc && prf == NID_hmacWithSHA256 && kdf != NULL;
	out->legacy = cipher == NID_des_cbc || cipher == NID_rc2_cbc || cipher == NID_rc2_40_cbc || cipher == NID_rc2_64_cbc ||
		      cipher == NID_rc4;
	PBKDF2PARAM_free(kdf);
	PBE2PARAM_free(param);
}

void pfxread_describe_pbe(const X509_ALGOR *alg, struct mkcsr_pbe *out)
{
	int nid = alg ? OBJ_obj2nid(alg->algorithm) : NID_undef;
	char oid[128];

	memset(out, 0, sizeof(*out));
	out->iterations = -1;
	if (alg == NULL)
		snprintf(out->text, sizeof(out->text), "(unreadable)");
	else if (nid == NID_pbes2)
		describe_pbes2(alg, out);
	else if (!describe_pbes1(nid, alg, out))
		snprintf(out->text, sizeof(out->text), "%s",
			 nid != NID_undef ? OBJ_nid2ln(nid) : oid_text(alg->algorithm, oid, sizeof(oid)));
}

/*
 * OpenSSL's legacy provider, loaded once and only for a file that needs
 * it.  Loading one provider by hand stops the default one from loading by
 * itself, so both are loaded; both stay for the life of the process.
 */
enum mkcsr_err pfxread_need_legacy(const char *path, const char *what, const char *algorithm)
{
	static OSSL_PROVIDER *default_provider, *legacy_provider;

	if (legacy_provider != NULL)
		return MKCSR_E_OK;
	if (default_provider == NULL)
		default_provider = OSSL_PROVIDER_load(NULL, "default");
	legacy_provider = OSSL_PROVIDER_load(NULL, "legacy");
	if (legacy_provider == NULL) {
		const char *dir = getenv("OPENSSL_MODULES");

		if (dir == NULL || dir[0] == '\0')
			dir = OPENSSL_info(OPENSSL_INFO_MODULES_DIR);
		return err_set(MKCSR_E_NO_LEGACY_PROVIDER,
			       "'%s': %s encrypted with %s, which OpenSSL 3 decrypts only with that provider, "
			       "and it cannot be loaded from %s",
			       path, what, algorithm, dir ? dir : "OpenSSL's modules directory");
	}
	return MKCSR_E_OK;
}

/* ---- safes and bags ------------------------------------------------------------- */

static void note_pbe(struct mkcsr_pfx_file *pfx, const struct mkcsr_pbe *pbe)
{
	pfx->any_encryption = true;
	pfx->pbes2 = pfx->pbes2 || pbe->pbes2;
	pfx->all_triple_des = pfx->all_triple_des && pbe->triple_des;
	pfx->all_aes256_sha256 = pfx->all_aes256_sha256 && pbe->aes256_sha256;
	if (pbe->legacy && pfx->legacy_algorithm[0] == '\0')
		snprintf(pfx->legacy_algorithm, sizeof(pfx->legacy_algorithm), "%s", pbe->text);
}

static enum mkcsr_err no_memory(const struct mkcsr_pfx_file *pfx)
{
	return err_set(MKCSR_E_NOMEM, "reading '%s'", pfx->path);
}

/* Grows an array by one element (zeroed); NULL when memory runs out. */
static void *grow(void **items, size_t count, size_t size)
{
	unsigned char *grown = realloc(*items, (count + 1) * size);

	if (grown == NULL)
		return NULL;
	memset(grown + count * size, 0, size);
	*items = grown;
	return grown + count * size;
}

static enum mkcsr_err add_cert(struct mkcsr_pfx_file *pfx, X509 *x509, struct mkcsr_pfx_bag *bag)
{
	if (chain_append(&pfx->certs, x509, pfx->path) != MKCSR_E_OK)
		return no_memory(pfx);
	bag->cert = pfx->certs.count;
	return MKCSR_E_OK;
}

static enum mkcsr_err add_key(struct mkcsr_pfx_file *pfx, EVP_PKEY *pkey, struct mkcsr_pfx_bag *bag)
{
	EVP_PKEY **slot = grow((void **)&pfx->keys, pfx->key_count, sizeof(*slot));

	if (slot == NULL) {
		EVP_PKEY_free(pkey);
		return no_memory(pfx);
	}
	*slot = pkey;
	bag->key = ++pfx->key_count;
	return MKCSR_E_OK;
}

/* A BMPString (or any character string) attribute value as UTF-8; NULL if it is none. */
static char *attribute_text(const ASN1_TYPE *value)
{
	unsigned char *utf8 = NULL;
	char *copy;

	if (value == NULL || (value->type != V_ASN1_BMPSTRING && value->type != V_ASN1_UTF8STRING) ||
	    ASN1_STRING_to_UTF8(&utf8, value->value.asn1_string) < 0)
		return NULL;
	copy = strdup((const char *)utf8);
	OPENSSL_free(utf8);
	return copy;
}

/* friendlyName, localKeyID, the CSP name and the machine-keyset mark Windows reads, and the rest by OID. */
static enum mkcsr_err read_attributes(struct mkcsr_pfx_file *pfx, struct mkcsr_pfx_bag *out, const PKCS12_SAFEBAG *bag)
{
	const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);

	for (int i = 0; i < sk_X509_ATTRIBUTE_num(attrs); i++) {
		X509_ATTRIBUTE *attr = sk_X509_ATTRIBUTE_value(attrs, i);
		const ASN1_OBJECT *obj = X509_ATTRIBUTE_get0_object(attr);
		const ASN1_TYPE *value = X509_ATTRIBUTE_get0_type(attr, 0);
		int nid = OBJ_obj2nid(obj);
		struct mkcsr_pfx_attribute *other;

		if (nid == NID_friendlyName && out->friendly_name == NULL && value && value->type == V_ASN1_BMPSTRING) {
			if ((out->friendly_name = attribute_text(value)) == NULL)
				out->friendly_name = strdup("(unreadable)");
			out->friendly_name_shown = display_asn1(value->value.asn1_string, 0);
			if (out->friendly_name == NULL || out->friendly_name_shown == NULL)
				return no_memory(pfx);
		} else if (nid == NID_localKeyID && out->local_key_id == NULL && value && value->type == V_ASN1_OCTET_STRING) {
			int len = ASN1_STRING_length(value->value.octet_string);

			out->local_key_id = malloc(len > 0 ? (size_t)len : 1);
			if (out->local_key_id == NULL)
				return no_memory(pfx);
			memcpy(out->local_key_id, ASN1_STRING_get0_data(value->value.octet_string), (size_t)len);
			out->local_key_id_len = (size_t)len;
		} else if (nid == NID_ms_csp_name && out->csp_name == NULL && value && value->type == V_ASN1_BMPSTRING) {
			if ((out->csp_name = attribute_text(value)) == NULL)
				out->csp_name = strdup("(unreadable)");
			out->csp_name_shown = display_asn1(value->value.asn1_string, 0);
			if (out->csp_name == NULL || out->csp_name_shown == NULL)
				return no_memory(pfx);
		} else if (nid == NID_LocalKeySet) {
			out->machine_keyset = true;  /* a mark without a value */
		} else {
			other = grow((void **)&out->other, out->other_count, sizeof(*other));
			if (other == NULL)
				return no_memory(pfx);
			out->other_count++;
			oid_text(obj, other->oid, sizeof(other->oid));
			other->name = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
		}
	}
	return MKCSR_E_OK;
}

static enum mkcsr_pfx_bag_kind bag_kind(int nid)
{
	switch (nid) {
	case NID_certBag: return MKCSR_BAG_CERT;
	case NID_keyBag: return MKCSR_BAG_KEY;
	case NID_pkcs8ShroudedKeyBag: return MKCSR_BAG_SHROUDED_KEY;
	case NID_crlBag: return MKCSR_BAG_CRL;
	case NID_secretBag: return MKCSR_BAG_SECRET;
	case NID_safeContentsBag: return MKCSR_BAG_SAFE_CONTENTS;
	}
	return MKCSR_BAG_UNKNOWN;
}

const char *pfxread_bag_kind_name(enum mkcsr_pfx_bag_kind kind)
{
	switch (kind) {
	case MKCSR_BAG_CERT: return "certificate";
	case MKCSR_BAG_KEY: return "key";
	case MKCSR_BAG_SHROUDED_KEY: return "shrouded key";
	case MKCSR_BAG_CRL: return "CRL";
	case MKCSR_BAG_SECRET: return "secret";
	case MKCSR_BAG_SAFE_CONTENTS: return "safe contents";
	case MKCSR_BAG_UNKNOWN: break;
	}
	return "unknown";
}

static enum mkcsr_err read_key(struct mkcsr_pfx_file *pfx, struct mkcsr_pfx_bag *out, const PKCS12_SAFEBAG *bag,
			       const char *pass)
{
	PKCS8_PRIV_KEY_INFO *decrypted = NULL;
	EVP_PKEY *pkey = NULL;
	enum mkcsr_err rc;

	if (out->kind == MKCSR_BAG_SHROUDED_KEY) {
		if (out->pbe.legacy && (rc = pfxread_need_legacy(pfx->path, "its key is", out->pbe.text)) != MKCSR_E_OK)
			return rc;
		decrypted = PKCS12_decrypt_skey(bag, pass, -1);
		pfx->password_failed = decrypted == NULL;
		if (decrypted == NULL)
			return err_set(MKCSR_E_MALFORMED, "'%s': the key cannot be decrypted with this password, or is damaged",
				       pfx->path);
		pkey = EVP_PKCS82PKEY(decrypted);
		PKCS8_PRIV_KEY_INFO_free(decrypted);
	} else if (PKCS12_SAFEBAG_get0_p8inf(bag) != NULL) {
		pkey = EVP_PKCS82PKEY(PKCS12_SAFEBAG_get0_p8inf(bag));
	}
	if (pkey == NULL)
		return err_set(MKCSR_E_MALFORMED, "'%s': the key is damaged, or of a kind OpenSSL cannot read", pfx->path);
	return add_key(pfx, pkey, out);
}

static enum mkcsr_err read_bags(struct mkcsr_pfx_file *pfx, const STACK_OF(PKCS12_SAFEBAG) *bags, size_t safe,
				const char *pass);

static enum mkcsr_err read_bag(struct mkcsr_pfx_file *pfx, const PKCS12_SAFEBAG *bag, size_t safe, const char *pass)
{
	struct mkcsr_pfx_bag *out = grow((void **)&pfx->bags, pfx->bag_count, sizeof(*out));
	enum mkcsr_err rc;

	if (out == NULL)
		return no_memory(pfx);
	pfx->bag_count++;
	out->kind = bag_kind(PKCS12_SAFEBAG_get_nid(bag));
	out->safe = safe;
	out->pbe.iterations = -1;
	if (out->kind == MKCSR_BAG_SHROUDED_KEY) {
		const X509_ALGOR *alg = NULL;

		X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
		out->encrypted = true;
		pfxread_describe_pbe(alg, &out->pbe);
		note_pbe(pfx, &out->pbe);
	}
	rc = read_attributes(pfx, out, bag);
	if (rc != MKCSR_E_OK)
		return rc;

	if (out->kind == MKCSR_BAG_CERT) {
		X509 *x509 = PKCS12_SAFEBAG_get_bag_nid(bag) == NID_x509Certificate ? PKCS12_SAFEBAG_get1_cert(bag) : NULL;

		if (x509 == NULL)
			return err_set(MKCSR_E_MALFORMED, "'%s': a certificate bag is damaged, or not an X.509 certificate",
				       pfx->path);
		return add_cert(pfx, x509, out);
	}
	if (out->kind == MKCSR_BAG_KEY || out->kind == MKCSR_BAG_SHROUDED_KEY)
		return read_key(pfx, out, bag, pass);
	if (out->kind == MKCSR_BAG_SAFE_CONTENTS)
		return read_bags(pfx, PKCS12_SAFEBAG_get0_safes(bag), safe, pass);
	return MKCSR_E_OK;
}

static enum mkcsr_err read_bags(struct mkcsr_pfx_file *pfx, const STACK_OF(PKCS12_SAFEBAG) *bags, size_t safe,
				const char *pass)
{
	enum mkcsr_err rc = MKCSR_E_OK;

	for (int i = 0; rc == MKCSR_E_OK && i < sk_PKCS12_SAFEBAG_num(bags); i++)
		rc = read_bag(pfx, sk_PKCS12_SAFEBAG_value(bags, i), safe, pass);
	return rc;
}

/* One authenticated safe: plain, or encrypted with the password (the certificates, usually). */
static enum mkcsr_err read_safe(struct mkcsr_pfx_file *pfx, PKCS7 *p7, size_t safe, const char *pass)
{
	STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
	struct mkcsr_pfx_safe *out = grow((void **)&pfx->safes, pfx->safe_count, sizeof(*out));
	size_t before = pfx->bag_count;
	enum mkcsr_err rc = MKCSR_E_OK;
	int nid = OBJ_obj2nid(p7->type);

	if (out == NULL)
		return no_memory(pfx);
	pfx->safe_count++;
	out->pbe.iterations = -1;
	if (nid == NID_pkcs7_data) {
		bags = PKCS12_unpack_p7data(p7);
	} else if (nid == NID_pkcs7_encrypted && p7->d.encrypted != NULL && p7->d.encrypted->enc_data != NULL) {
		out->encrypted = true;
		pfxread_describe_pbe(p7->d.encrypted->enc_data->algorithm, &out->pbe);
		note_pbe(pfx, &out->pbe);
		if (out->pbe.legacy)
			rc = pfxread_need_legacy(pfx->path, "its certificates are", out->pbe.text);
		if (rc == MKCSR_E_OK && (bags = PKCS12_unpack_p7encdata(p7, pass, -1)) == NULL) {
			pfx->password_failed = true;
			rc = err_set(MKCSR_E_MALFORMED, "'%s': safe %zu cannot be decrypted with this password, or is damaged",
				     pfx->path, safe);
		}
	} else {
		return err_set(MKCSR_E_MALFORMED, "'%s': safe %zu is %s, which mkcsr cannot open", pfx->path, safe,
			       nid == NID_pkcs7_enveloped ? "encrypted to a certificate (public-key privacy mode)"
							  : "of an unknown kind");
	}
	if (rc == MKCSR_E_OK && bags == NULL)
		rc = err_set(MKCSR_E_MALFORMED, "'%s': safe %zu is damaged", pfx->path, safe);
	if (rc == MKCSR_E_OK)
		rc = read_bags(pfx, bags, safe, pass);
	/* read_bags may have moved the array */
	pfx->safes[safe - 1].bag_count = pfx->bag_count - before;
	sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	return rc;
}

/* ---- the file ---------------------------------------------------------------------- */

bool pfxread_is_pfx(const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	PKCS12 *p12;
	bool whole;

	if (len == 0 || data[0] != 0x30)
		return false;
	p12 = d2i_PKCS12(NULL, &p, (long)len);
	whole = p12 != NULL && p == data + len;
	PKCS12_free(p12);
	ERR_clear_error();
	return whole;
}

bool pfxread_file_is_pfx(const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0;
	bool is_pfx;

	if (input_read_file(path, &data, &len) != MKCSR_E_OK) {
		err_clear();
		return false;
	}
	is_pfx = pfxread_is_pfx(data, len);
	OPENSSL_clear_free(data, len);
	return is_pfx;
}

static enum mkcsr_err check_mac(struct mkcsr_pfx_file *pfx, PKCS12 *p12, const char *pass)
{
	const X509_ALGOR *mac_alg = NULL;
	const ASN1_INTEGER *mac_iter = NULL;

	pfx->mac_digest = NID_undef;
	pfx->mac_iterations = -1;
	if (!PKCS12_mac_present(p12))
		return MKCSR_E_OK;
	PKCS12_get0_mac(NULL, &mac_alg, NULL, &mac_iter, p12);
	pfx->mac_digest = mac_alg ? OBJ_obj2nid(mac_alg->algorithm) : NID_undef;
	pfx->mac_iterations = mac_iter ? ASN1_INTEGER_get(mac_iter) : 1;
	snprintf(pfx->mac, sizeof(pfx->mac), "%s", mac_name(pfx->mac_digest));
	pfx->password_failed = !PKCS12_verify_mac(p12, pass, -1);
	if (pfx->password_failed)
		return err_set(MKCSR_E_MALFORMED, "'%s': the password is wrong (the PFX's integrity check failed)", pfx->path);
	return MKCSR_E_OK;
}

/* One attempt with one password (NULL: none); pfx->password_failed says whether the password was to blame. */
static enum mkcsr_err decode_with(const char *path, PKCS12 *p12, const char *pass, struct mkcsr_pfx_file *out)
{
	STACK_OF(PKCS7) *authsafes = NULL;
	enum mkcsr_err rc;

	memset(out, 0, sizeof(*out));
	out->path = path;
	out->all_triple_des = out->all_aes256_sha256 = true;
	rc = check_mac(out, p12, pass);
	if (rc == MKCSR_E_OK && (authsafes = PKCS12_unpack_authsafes(p12)) == NULL)
		rc = err_set(MKCSR_E_MALFORMED, "'%s': the PFX's contents are damaged", path);
	for (int i = 0; rc == MKCSR_E_OK && i < sk_PKCS7_num(authsafes); i++)
		rc = read_safe(out, sk_PKCS7_value(authsafes, i), (size_t)i + 1, pass);
	sk_PKCS7_pop_free(authsafes, PKCS7_free);
	if (rc != MKCSR_E_OK) {
		bool password_failed = out->password_failed;

		pfxread_clear(out);
		out->password_failed = password_failed;
	}
	return rc;
}

/*
 * Without a password: the empty string (a BMPString of its terminator
 * alone, what Windows writes) and no password (zero bytes, what some
 * libraries write) derive different keys, so both are tried.
 */
static enum mkcsr_err decode_unprotected(const char *path, PKCS12 *p12, bool pass_given, struct mkcsr_pfx_file *out)
{
	enum mkcsr_err rc = decode_with(path, p12, "", out);

	if (rc == MKCSR_E_OK || !out->password_failed)
		return rc;
	err_clear();
	rc = decode_with(path, p12, NULL, out);
	if (rc == MKCSR_E_OK || !out->password_failed)
		return rc;
	if (pass_given) {
		err_clear();
		return err_set(MKCSR_E_MALFORMED, "'%s': the password is wrong: the PFX does not open with an empty one",
			       path);
	}
	err_clear();
	return err_set(MKCSR_E_SECRET_UNAVAILABLE, "'%s' is a PFX: give its password with --pass SOURCE",
		       path);
}

enum mkcsr_err pfxread_decode(const char *path, const unsigned char *data, size_t len, const char *pass,
			      struct mkcsr_pfx_file *out)
{
	const unsigned char *p = data;
	PKCS12 *p12 = NULL;
	enum mkcsr_err rc;

	memset(out, 0, sizeof(*out));
	out->path = path;
	p12 = d2i_PKCS12(NULL, &p, (long)len);
	if (p12 == NULL || p != data + len) {
		PKCS12_free(p12);
		return err_set(MKCSR_E_MALFORMED, "'%s' is not a PFX, or is damaged or truncated", path);
	}
	if (pass == NULL || pass[0] == '\0')
		rc = decode_unprotected(path, p12, pass != NULL, out);
	else
		rc = decode_with(path, p12, pass, out);
	PKCS12_free(p12);
	if (rc != MKCSR_E_OK)
		return rc;
	/* Nothing encrypted and no MAC: whatever password was given guards nothing. */
	out->no_password = pass == NULL || pass[0] == '\0' || (!out->any_encryption && out->mac[0] == '\0');
	out->password_failed = false;
	ERR_clear_error();
	return MKCSR_E_OK;
}

const char *pfxread_protection_note(const struct mkcsr_pfx_file *pfx)
{
	bool mac = pfx->mac[0] != '\0';

	if (pfx->no_password && mac)
		return "is not protected by a password: it opens with an empty one";
	if (pfx->no_password)
		return "is not protected by a password and has no integrity MAC: anyone can read it or change it unnoticed";
	if (!mac)
		return "has no integrity MAC: a change to it cannot be detected (its contents are encrypted with the password)";
	return NULL;
}

enum mkcsr_err pfxread_load(const char *path, const char *pass, struct mkcsr_pfx_file *out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	enum mkcsr_err rc;

	memset(out, 0, sizeof(*out));
	rc = input_read_file(path, &data, &len);
	if (rc != MKCSR_E_OK)
		return rc;
	rc = pfxread_decode(path, data, len, pass, out);
	OPENSSL_clear_free(data, len);
	return rc;
}

/* ---- what the other commands take ---------------------------------------------------------- */

/* The key that one of the certificates carries, else the first; NULL when there is none. */
static EVP_PKEY *paired_key(const struct mkcsr_pfx_file *pfx)
{
	for (size_t k = 0; k < pfx->key_count; k++)
		for (size_t i = 0; i < pfx->certs.count; i++)
			if (EVP_PKEY_eq(X509_get0_pubkey(chain_x509(&pfx->certs.items[i])), pfx->keys[k]) == 1)
				return pfx->keys[k];
	return pfx->key_count > 0 ? pfx->keys[0] : NULL;
}

static enum mkcsr_err append_cert(const struct mkcsr_pfx_file *pfx, X509 *x509, struct mkcsr_certset *certs)
{
	if (x509 == NULL || !X509_up_ref(x509) || chain_append(certs, x509, pfx->path) != MKCSR_E_OK)
		return no_memory(pfx);
	return MKCSR_E_OK;
}

enum mkcsr_err pfxread_parts(const struct mkcsr_pfx_file *pfx, EVP_PKEY **key, struct mkcsr_certset *certs)
{
	EVP_PKEY *pkey = paired_key(pfx);
	const struct mkcsr_cert *leaf;
	enum mkcsr_err rc;

	*key = NULL;
	if (pfx->certs.count == 0)
		return err_set(MKCSR_E_MALFORMED, "'%s' is a PFX that holds no certificate", pfx->path);
	leaf = pkey ? chain_find_leaf(&pfx->certs, pkey, NULL) : NULL;
	if (leaf == NULL)
		leaf = chain_find_leaf(&pfx->certs, NULL, NULL);
	ERR_clear_error();
	rc = append_cert(pfx, chain_x509(leaf), certs);
	for (size_t i = 0; rc == MKCSR_E_OK && i < pfx->certs.count; i++)
		if (&pfx->certs.items[i] != leaf)
			rc = append_cert(pfx, chain_x509(&pfx->certs.items[i]), certs);
	if (rc == MKCSR_E_OK && pkey != NULL && !EVP_PKEY_up_ref(pkey))
		rc = no_memory(pfx);
	if (rc == MKCSR_E_OK)
		*key = pkey;
	return rc;
}

/* Which Windows import it, from its weakest link: PBES2 or a SHA-2 MAC need Windows 10 1709 / Server 2019. */
enum mkcsr_pfx_profile pfxread_windows(const struct mkcsr_pfx_file *pfx, bool *is_mkcsr_profile,
				       enum mkcsr_pfx_profile *mkcsr_profile)
{
	bool modern = pfx->pbes2 || (pfx->mac_digest != NID_undef && pfx->mac_digest != NID_sha1);

	*is_mkcsr_profile = false;
	if (pfx->any_encryption && pfx->all_triple_des && pfx->mac_digest == NID_sha1) {
		*is_mkcsr_profile = true;
		*mkcsr_profile = MKCSR_PFX_COMPAT;
	} else if (pfx->any_encryption && pfx->all_aes256_sha256 && pfx->mac_digest == NID_sha256) {
		*is_mkcsr_profile = true;
		*mkcsr_profile = MKCSR_PFX_MODERN;
	}
	return modern ? MKCSR_PFX_MODERN : MKCSR_PFX_COMPAT;
}

void pfxread_clear(struct mkcsr_pfx_file *pfx)
{
	for (size_t i = 0; i < pfx->bag_count; i++) {
		free(pfx->bags[i].friendly_name);
		free(pfx->bags[i].friendly_name_shown);
		free(pfx->bags[i].local_key_id);
		free(pfx->bags[i].csp_name);
		free(pfx->bags[i].csp_name_shown);
		free(pfx->bags[i].other);
	}
	free(pfx->bags);
	free(pfx->safes);
	chain_clear(&pfx->certs);
	for (size_t i = 0; i < pfx->key_count; i++)
		EVP_PKEY_free(pfx->keys[i]);
	free(pfx->keys);
	memset(pfx, 0, sizeof(*pfx));
}
