#include <config.h>

#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/buffer.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "csr.h"
#include "msasn1.h"
#include "oids.h"

/*
 * The digests, fetched once per process and shared by every thread (a
 * fetched EVP_MD is immutable): looking one up by name for each request
 * costs more than the hashing.
 */
static const char *const digest_names[] = { "SHA1", "SHA256", "SHA384", "SHA512" };
static EVP_MD *digests[sizeof(digest_names) / sizeof(digest_names[0])];
static CRYPTO_ONCE digests_once = CRYPTO_ONCE_STATIC_INIT;

static void fetch_digests(void)
{
	for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]); i++)
		digests[i] = EVP_MD_fetch(NULL, digest_names[i], NULL);
}

/* The fetched digest called name, or NULL. */
static const EVP_MD *digest(const char *name)
{
	if (!CRYPTO_THREAD_run_once(&digests_once, fetch_digests))
		return NULL;
	for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]); i++)
		if (strcmp(digest_names[i], name) == 0)
			return digests[i];
	return NULL;
}

void csr_client_info_local(struct mkcsr_client_info *out)
{
	struct passwd *pw = getpwuid(geteuid());
	char short_name[256];
	size_t i;

	memset(out, 0, sizeof(*out));
	if (gethostname(out->machine, sizeof(out->machine) - 1) != 0 || out->machine[0] == '\0')
		strcpy(out->machine, "localhost");
	for (i = 0; i < sizeof(short_name) - 1 && out->machine[i] && out->machine[i] != '.'; i++)
		short_name[i] = (char)toupper((unsigned char)out->machine[i]);
	short_name[i] = '\0';
	snprintf(out->user, sizeof(out->user), "%s\\%s", short_name, pw && pw->pw_name ? pw->pw_name : "unknown");
	out->process = "mkcsr";
}

/*
 * Sets the SubjectPublicKeyInfo.  For EC keys it is assembled from the
 * encoded point: X509_REQ_set_pubkey() would set up OpenSSL 3's encoder
 * machinery, which costs more than generating and signing together.
 */
static enum mkcsr_err set_public_key(X509_REQ *req, const struct mkcsr_key_spec *spec, EVP_PKEY *key,
				     const struct keygen_point *known)
{
	struct keygen_point read;
	const struct keygen_point *point = known ? known : &read;
	unsigned char *copy;
	int curve_nid;

	if (spec->alg != MKCSR_KEY_EC)
		return X509_REQ_set_pubkey(req, key) ? MKCSR_E_OK
						     : err_set(MKCSR_E_CRYPTO, "setting the request's public key");

	curve_nid = OBJ_sn2nid(spec->group);
	if (curve_nid == NID_undef || (known == NULL && keygen_read_point(key, &read) != MKCSR_E_OK))
		return err_set(MKCSR_E_CRYPTO, "reading the EC public key");
	copy = OPENSSL_memdup(point->bytes, point->len);
	if (copy == NULL)
		return err_set(MKCSR_E_NOMEM, "copying the public key");
	if (!X509_PUBKEY_set0_param(X509_REQ_get_X509_PUBKEY(req), OBJ_nid2obj(NID_X9_62_id_ecPublicKey),
				    V_ASN1_OBJECT, OBJ_nid2obj(curve_nid), copy, (int)point->len)) {
		OPENSSL_free(copy);
		return err_set(MKCSR_E_CRYPTO, "setting the request's public key");
	}
	return MKCSR_E_OK;
}

static GENERAL_NAME *general_name(const struct mkcsr_name *name)
{
	GENERAL_NAME *gen = GENERAL_NAME_new();
	ASN1_STRING *str = NULL;
	ASN1_OBJECT *upn_oid = NULL;
	ASN1_TYPE *upn_value = NULL;

	if (gen == NULL)
		return NULL;
	switch (name->type) {
	case MKCSR_NAME_DNS:
	case MKCSR_NAME_EMAIL:
		str = ASN1_IA5STRING_new();
		if (str == NULL || !ASN1_STRING_set(str, name->value, -1))
			goto fail;
		GENERAL_NAME_set0_value(gen, name->type == MKCSR_NAME_DNS ? GEN_DNS : GEN_EMAIL, str);
		return gen;
	case MKCSR_NAME_IP:
		str = ASN1_OCTET_STRING_new();
		if (str == NULL || !ASN1_OCTET_STRING_set(str, name->ip, (int)name->ip_len))
			goto fail;
		GENERAL_NAME_set0_value(gen, GEN_IPADD, str);
		return gen;
	case MKCSR_NAME_UPN:
		/* otherName { 1.3.6.1.4.1.311.20.2.3, [0] UTF8String }, as Windows writes a UPN. */
		upn_oid = OBJ_txt2obj(OID_MS_UPN, 1);
		upn_value = ASN1_TYPE_new();
		str = ASN1_UTF8STRING_new();
		if (upn_oid == NULL || upn_value == NULL || str == NULL || !ASN1_STRING_set(str, name->value, -1))
			goto fail;
		ASN1_TYPE_set(upn_value, V_ASN1_UTF8STRING, str);
		str = NULL;
		if (!GENERAL_NAME_set0_othername(gen, upn_oid, upn_value))
			goto fail;
		return gen;
	}
fail:
	ASN1_STRING_free(str);
	ASN1_OBJECT_free(upn_oid);
	ASN1_TYPE_free(upn_value);
	GENERAL_NAME_free(gen);
	return NULL;
}

static X509_EXTENSION *san_extension(const struct mkcsr_request *req)
{
	GENERAL_NAMES *gens = GENERAL_NAMES_new();
	X509_EXTENSION *ext = NULL;

	if (gens == NULL)
		return NULL;
	for (size_t i = 0; i < req->name_count; i++) {
		GENERAL_NAME *gen = general_name(&req->names[i]);

		if (gen == NULL || !sk_GENERAL_NAME_push(gens, gen)) {
			GENERAL_NAME_free(gen);
			goto done;
		}
	}
	/* Non-critical even with an empty subject, as certlm makes it, unless an INF asked otherwise. */
	ext = X509V3_EXT_i2d(NID_subject_alt_name, req->san_critical, gens);
done:
	GENERAL_NAMES_free(gens);
	return ext;
}

static X509_EXTENSION *key_usage_extension(unsigned bits)
{
	ASN1_BIT_STRING *bs = ASN1_BIT_STRING_new();
	X509_EXTENSION *ext = NULL;

	if (bs == NULL)
		return NULL;
	for (int bit = 0; bit < KU_BIT_COUNT_; bit++)
		if ((bits & (1u << bit)) && !ASN1_BIT_STRING_set_bit(bs, bit, 1))
			goto done;
	/* OpenSSL drops trailing zero bits, so the encoding is DER-minimal (03 02 07 80). */
	ext = X509V3_EXT_i2d(NID_key_usage, 1, bs);
done:
	ASN1_BIT_STRING_free(bs);
	return ext;
}

static X509_EXTENSION *eku_extension(const struct mkcsr_request *req)
{
	EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
	X509_EXTENSION *ext = NULL;

	if (eku == NULL)
		return NULL;
	for (size_t i = 0; i < req->eku_count; i++) {
		ASN1_OBJECT *obj = OBJ_txt2obj(req->ekus[i], 1);

		if (obj == NULL || !sk_ASN1_OBJECT_push(eku, obj)) {
			ASN1_OBJECT_free(obj);
			goto done;
		}
	}
	ext = X509V3_EXT_i2d(NID_ext_key_usage, req->eku_critical, eku);
done:
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return ext;
}

/*
 * Microsoft Application Policies: SEQUENCE OF SEQUENCE { policyIdentifier }
 * holding the EKU OIDs, which is a CertificatePolicies value with no
 * qualifiers, so OpenSSL's CERTIFICATEPOLICIES type encodes it.
 */
static X509_EXTENSION *app_policies_extension(const struct mkcsr_request *req)
{
	CERTIFICATEPOLICIES *policies = CERTIFICATEPOLICIES_new();
	ASN1_OBJECT *ext_oid = OBJ_txt2obj(OID_MS_APPLICATION_POLICIES, 1);
	ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext = NULL;
	unsigned char *der = NULL;
	int der_len;

	if (policies == NULL || ext_oid == NULL || value == NULL)
		goto done;
	for (size_t i = 0; i < req->eku_count; i++) {
		POLICYINFO *info = POLICYINFO_new();

		if (info == NULL)
			goto done;
		ASN1_OBJECT_free(info->policyid);
		info->policyid = OBJ_txt2obj(req->ekus[i], 1);
		if (info->policyid == NULL || !sk_POLICYINFO_push(policies, info)) {
			POLICYINFO_free(info);
			goto done;
		}
	}
	der_len = i2d_CERTIFICATEPOLICIES(policies, &der);
	if (der_len <= 0 || !ASN1_OCTET_STRING_set(value, der, der_len))
		goto done;
	ext = X509_EXTENSION_create_by_OBJ(NULL, ext_oid, 0, value);
done:
	OPENSSL_free(der);
	ASN1_OCTET_STRING_free(value);
	ASN1_OBJECT_free(ext_oid);
	CERTIFICATEPOLICIES_free(policies);
	return ext;
}

/* RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
static X509_EXTENSION *ski_extension(X509_REQ *req)
{
	const unsigned char *pk = NULL;
	int pk_len = 0;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	ASN1_OCTET_STRING *ski = NULL;
	X509_EXTENSION *ext = NULL;

	if (!X509_PUBKEY_get0_param(NULL, &pk, &pk_len, NULL, X509_REQ_get_X509_PUBKEY(req)) ||
	    digest("SHA1") == NULL || !EVP_Digest(pk, (size_t)pk_len, md, &md_len, digest("SHA1"), NULL))
		return NULL;
	ski = ASN1_OCTET_STRING_new();
	if (ski != NULL && ASN1_OCTET_STRING_set(ski, md, (int)md_len))
		ext = X509V3_EXT_i2d(NID_subject_key_identifier, 0, ski);
	ASN1_OCTET_STRING_free(ski);
	return ext;
}

static int push_ext(STACK_OF(X509_EXTENSION) *exts, X509_EXTENSION *ext)
{
	if (ext == NULL || !sk_X509_EXTENSION_push(exts, ext)) {
		X509_EXTENSION_free(ext);
		return 0;
	}
	return 1;
}

/* In certlm's order: SAN, KeyUsage, EKU, Application Policies, SKI. */
static enum mkcsr_err add_extensions(X509_REQ *x, const struct mkcsr_request *req)
{
	STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
	enum mkcsr_err rc = MKCSR_E_OK;

	if (exts == NULL)
		return err_set(MKCSR_E_NOMEM, "building extensions");
	if ((req->name_count > 0 && !push_ext(exts, san_extension(req))) ||
	    (req->key_usage != 0 && !push_ext(exts, key_usage_extension(req->key_usage))) ||
	    (req->eku_count > 0 && !push_ext(exts, eku_extension(req))) ||
	    (req->app_policies && req->eku_count > 0 && !push_ext(exts, app_policies_extension(req))) ||
	    (req->subject_key_id && !push_ext(exts, ski_extension(x)))) {
		rc = err_set(MKCSR_E_CRYPTO, "encoding the requested extensions");
		goto done;
	}
	if (sk_X509_EXTENSION_num(exts) > 0 && !X509_REQ_add_extensions(x, exts))
		rc = err_set(MKCSR_E_CRYPTO, "adding the extension request");
done:
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	return rc;
}

static int add_der_attribute(X509_REQ *x, const char *oid, const ASN1_VALUE *value, const ASN1_ITEM *item)
{
	unsigned char *der = NULL;
	int len = ASN1_item_i2d(value, &der, item);
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int ok = len > 0 && obj != NULL && X509_REQ_add1_attr_by_OBJ(x, obj, V_ASN1_SEQUENCE, der, len);

	ASN1_OBJECT_free(obj);
	OPENSSL_free(der);
	return ok;
}

/*
 * The enrollment-CSP and client-info attributes certlm adds.  The OS
 * version attribute is left out: mkcsr does not run on Windows and will
 * not make one up (MS-WCCE tells CAs to ignore it anyway).
 */
static enum mkcsr_err add_ms_attributes(X509_REQ *x, const struct mkcsr_client_info *client)
{
	MS_ENROLL_CSP csp = { 0 };
	MS_CLIENT_INFO info = { 0 };
	enum mkcsr_err rc = MKCSR_E_OK;

	csp.key_spec = ASN1_INTEGER_new();
	csp.signature = ASN1_BIT_STRING_new();
	info.client_id = ASN1_INTEGER_new();
	info.machine = ASN1_UTF8STRING_new();
	info.user = ASN1_UTF8STRING_new();
	info.process = ASN1_UTF8STRING_new();
	if (csp.key_spec == NULL || csp.signature == NULL || info.client_id == NULL || info.machine == NULL ||
	    info.user == NULL || info.process == NULL || !ASN1_INTEGER_set(csp.key_spec, 0) ||
	    ASN1_mbstring_copy(&csp.provider, (const unsigned char *)MS_KSP_NAME, -1, MBSTRING_UTF8,
			       B_ASN1_BMPSTRING) <= 0 ||
	    !ASN1_INTEGER_set(info.client_id, MS_CLIENT_ID_DEFAULT_REQUEST) ||
	    !ASN1_STRING_set(info.machine, client->machine, -1) || !ASN1_STRING_set(info.user, client->user, -1) ||
	    !ASN1_STRING_set(info.process, client->process, -1) ||
	    !add_der_attribute(x, OID_MS_CLIENT_INFO, (ASN1_VALUE *)&info, ASN1_ITEM_rptr(MS_CLIENT_INFO)) ||
	    !add_der_attribute(x, OID_MS_ENROLLMENT_CSP, (ASN1_VALUE *)&csp, ASN1_ITEM_rptr(MS_ENROLL_CSP)))
		rc = err_set(MKCSR_E_CRYPTO, "encoding the Microsoft request attributes");

	ASN1_INTEGER_free(csp.key_spec);
	ASN1_BMPSTRING_free(csp.provider);
	ASN1_BIT_STRING_free(csp.signature);
	ASN1_INTEGER_free(info.client_id);
	ASN1_UTF8STRING_free(info.machine);
	ASN1_UTF8STRING_free(info.user);
	ASN1_UTF8STRING_free(info.process);
	return rc;
}

static enum mkcsr_err sign(X509_REQ *x, EVP_PKEY *key, const char *hash)
{
	EVP_MD_CTX *md_ctx = EVP_MD_CTX_new();
	enum mkcsr_err rc = MKCSR_E_OK;

	if (md_ctx == NULL || digest(hash) == NULL || !EVP_DigestSignInit(md_ctx, NULL, digest(hash), NULL, key) ||
	    X509_REQ_sign_ctx(x, md_ctx) <= 0)
		rc = err_set(MKCSR_E_CRYPTO, "signing the request with %s", hash);
	EVP_MD_CTX_free(md_ctx);
	return rc;
}

enum mkcsr_err csr_build(const struct mkcsr_request *req, EVP_PKEY *key,
			 const struct mkcsr_client_info *client, X509_REQ **out)
{
	return csr_build_point(req, key, NULL, client, out);
}

enum mkcsr_err csr_build_point(const struct mkcsr_request *req, EVP_PKEY *key, const struct keygen_point *point,
			       const struct mkcsr_client_info *client, X509_REQ **out)
{
	X509_REQ *x = X509_REQ_new();
	X509_NAME *name = NULL;
	enum mkcsr_err rc;

	*out = NULL;
	if (x == NULL)
		return err_set(MKCSR_E_NOMEM, "creating the request");
	rc = subject_to_x509_name(&req->subject, &name);
	if (rc != MKCSR_E_OK)
		goto done;
	if (!X509_REQ_set_version(x, X509_REQ_VERSION_1) || !X509_REQ_set_subject_name(x, name)) {
		rc = err_set(MKCSR_E_CRYPTO, "setting the request's subject");
		goto done;
	}
	rc = set_public_key(x, &req->key, key, point);
	if (rc == MKCSR_E_OK && req->ms_attributes)
		rc = add_ms_attributes(x, client);
	if (rc == MKCSR_E_OK)
		rc = add_extensions(x, req);
	if (rc == MKCSR_E_OK)
		rc = sign(x, key, req->hash);
	if (rc == MKCSR_E_OK) {
		*out = x;
		x = NULL;
	}
done:
	X509_NAME_free(name);
	X509_REQ_free(x);
	return rc;
}

enum mkcsr_err csr_encode(X509_REQ *req, const struct mkcsr_csr_encoding *enc, unsigned char **out,
			  size_t *out_len)
{
	unsigned char *der = NULL;
	int der_len = i2d_X509_REQ(req, &der);
	BIO *mem = NULL;
	BUF_MEM *pem = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;
	size_t lines = 0;

	*out = NULL;
	*out_len = 0;
	if (der_len <= 0)
		return err_set(MKCSR_E_CRYPTO, "encoding the request as DER");
	if (enc->format == MKCSR_CSR_DER) {
		*out = der;
		*out_len = (size_t)der_len;
		return MKCSR_E_OK;
	}

	mem = BIO_new(BIO_s_mem());
	if (mem == NULL ||
	    !PEM_write_bio(mem, enc->windows_header ? "NEW CERTIFICATE REQUEST" : "CERTIFICATE REQUEST", "", der,
			   der_len) ||
	    BIO_get_mem_ptr(mem, &pem) <= 0) {
		rc = err_set(MKCSR_E_CRYPTO, "encoding the request as Base64");
		goto done;
	}
	/* OpenSSL writes 64-column lines ending in LF; Windows ends them in CRLF. */
	if (enc->crlf)
		for (size_t i = 0; i < pem->length; i++)
			lines += pem->data[i] == '\n';
	*out = OPENSSL_malloc(pem->length + lines);
	if (*out == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "encoding the request");
		goto done;
	}
	for (size_t i = 0; i < pem->length; i++) {
		if (enc->crlf && pem->data[i] == '\n')
			(*out)[(*out_len)++] = '\r';
		(*out)[(*out_len)++] = (unsigned char)pem->data[i];
	}
done:
	BIO_free(mem);
	OPENSSL_free(der);
	return rc;
}

enum mkcsr_err csr_spki_sha256(X509_REQ *req, char hex[65])
{
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(X509_REQ_get_X509_PUBKEY(req), &der);
	unsigned char md[32];
	unsigned int md_len = 0;
	int ok = len > 0 && digest("SHA256") != NULL && EVP_Digest(der, (size_t)len, md, &md_len, digest("SHA256"), NULL);

	OPENSSL_free(der);
	if (!ok)
		return err_set(MKCSR_E_CRYPTO, "hashing the public key");
	for (unsigned i = 0; i < md_len; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	return MKCSR_E_OK;
}
