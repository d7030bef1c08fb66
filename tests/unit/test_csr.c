/*
 * csr: the request certlm's "Create Custom Request" writes (windows-reference
 * section 1), decoded back with OpenSSL and checked byte for byte.
 */
#include "unit.h"

#include <ctype.h>
#include <pwd.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "csr.h"
#include "keygen.h"
#include "request.h"

/* ---- small DER helpers, written for the test, independent of csr.c ---- */

struct der_buf {
	unsigned char b[1024];
	size_t n;
};

static void put(struct der_buf *d, const void *p, size_t n)
{
	assert_true(d->n + n <= sizeof(d->b));
	memcpy(d->b + d->n, p, n);
	d->n += n;
}

/* Appends tag, a short-form length and content (all test values are < 128 bytes). */
static void put_tlv(struct der_buf *d, unsigned char tag, const void *content, size_t n)
{
	unsigned char hdr[2] = { tag, (unsigned char)n };

	assert_true(n < 128);
	put(d, hdr, 2);
	put(d, content, n);
}

static void put_str(struct der_buf *d, unsigned char tag, const char *s)
{
	put_tlv(d, tag, s, strlen(s));
}

/* "30 0A 06 08 ..." to bytes. */
static size_t unhex(const char *hex, unsigned char *out, size_t size)
{
	size_t n = 0;

	while (*hex) {
		unsigned int byte;

		if (isspace((unsigned char)*hex)) {
			hex++;
			continue;
		}
		assert_true(n < size);
		assert_int_equal(sscanf(hex, "%2x", &byte), 1);
		out[n++] = (unsigned char)byte;
		hex += 2;
	}
	return n;
}

static void assert_bytes_hex(const unsigned char *got, size_t got_len, const char *hex)
{
	unsigned char want[512];
	size_t want_len = unhex(hex, want, sizeof(want));

	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
}

/*
 * Reads one TLV at *p (before end): its tag, where its content starts and its
 * length; *p moves past it.  Enough DER for walking what the tests need.
 */
static void der_next(const unsigned char **p, const unsigned char *end, unsigned char *tag,
		     const unsigned char **content, size_t *len)
{
	const unsigned char *q = *p;
	size_t l;

	assert_true(end - q >= 2);
	*tag = *q++;
	l = *q++;
	if (l & 0x80) {
		size_t octets = l & 0x7f;

		assert_true(octets >= 1 && octets <= 2 && (size_t)(end - q) >= octets);
		l = 0;
		while (octets--)
			l = l << 8 | *q++;
	}
	assert_true((size_t)(end - q) >= l);
	*content = q;
	*len = l;
	*p = q + l;
}

/* Steps into the constructed TLV at *p: *p and *end then bound its content. */
static void der_enter(const unsigned char **p, const unsigned char **end, unsigned char want_tag)
{
	const unsigned char *content;
	unsigned char tag;
	size_t len;

	der_next(p, *end, &tag, &content, &len);
	assert_int_equal(tag, want_tag);
	*p = content;
	*end = content + len;
}

/* ---- building requests ---- */

struct built {
	struct mkcsr_request req;
	EVP_PKEY *key;
	X509_REQ *x;
	STACK_OF(X509_EXTENSION) *exts;
};

/* A request as "mkcsr new --host vpn.example.com" makes it, after configure() changed the spec. */
static void build_with(struct built *b, void (*configure)(struct mkcsr_request *),
		       const struct mkcsr_client_info *client)
{
	memset(b, 0, sizeof(*b));
	assert_err(request_init(&b->req), MKCSR_E_OK);
	assert_err(request_set_host(&b->req, "vpn.example.com"), MKCSR_E_OK);
	if (configure != NULL)
		configure(&b->req);
	assert_err(request_finalize(&b->req), MKCSR_E_OK);
	assert_err(keygen_generate(&b->req.key, &b->key), MKCSR_E_OK);
	assert_err(csr_build(&b->req, b->key, client, &b->x), MKCSR_E_OK);
	assert_non_null(b->x);
	b->exts = X509_REQ_get_extensions(b->x);
}

static void build(struct built *b, void (*configure)(struct mkcsr_request *))
{
	build_with(b, configure, NULL);
}

static void built_free(struct built *b)
{
	sk_X509_EXTENSION_pop_free(b->exts, X509_EXTENSION_free);
	X509_REQ_free(b->x);
	EVP_PKEY_free(b->key);
	request_clear(&b->req);
}

/* Asserts the OIDs of the requested extensions, in order. */
static void expect_extension_order(const struct built *b, const char *const *oids, int n)
{
	char text[80];

	assert_non_null(b->exts);
	assert_int_equal(sk_X509_EXTENSION_num(b->exts), n);
	for (int i = 0; i < n; i++) {
		OBJ_obj2txt(text, sizeof(text), X509_EXTENSION_get_object(sk_X509_EXTENSION_value(b->exts, i)), 1);
		if (strcmp(text, oids[i]) != 0)
			fail_msg("extension %d is %s, expected %s", i, text, oids[i]);
	}
}

static X509_EXTENSION *ext_at(const struct built *b, int i)
{
	X509_EXTENSION *ext = sk_X509_EXTENSION_value(b->exts, i);

	assert_non_null(ext);
	return ext;
}

/* The extension's value (the OCTET STRING contents) is exactly hex. */
static void expect_ext_value(X509_EXTENSION *ext, bool critical, const char *hex)
{
	const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(ext);

	assert_int_equal(X509_EXTENSION_get_critical(ext), critical);
	assert_bytes_hex(ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v), hex);
}

static void expect_ext_value_buf(X509_EXTENSION *ext, bool critical, const struct der_buf *want)
{
	const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(ext);

	assert_int_equal(X509_EXTENSION_get_critical(ext), critical);
	assert_int_equal(ASN1_STRING_length(v), want->n);
	assert_memory_equal(ASN1_STRING_get0_data(v), want->b, want->n);
}

static void expect_signature_alg(X509_REQ *x, const char *hex)
{
	const ASN1_BIT_STRING *sig = NULL;
	const X509_ALGOR *alg = NULL;
	unsigned char *der = NULL;
	int len;

	X509_REQ_get0_signature(x, &sig, &alg);
	assert_non_null(alg);
	len = i2d_X509_ALGOR(alg, &der);
	assert_true(len > 0);
	assert_bytes_hex(der, (size_t)len, hex);
	OPENSSL_free(der);
}

static const char *attr_oid(X509_REQ *x, int i, char *buf, size_t size)
{
	OBJ_obj2txt(buf, (int)size, X509_ATTRIBUTE_get0_object(X509_REQ_get_attr(x, i)), 1);
	return buf;
}

static int find_attr(X509_REQ *x, const char *oid)
{
	char buf[80];

	for (int i = 0; i < X509_REQ_get_attr_count(x); i++)
		if (strcmp(attr_oid(x, i, buf, sizeof(buf)), oid) == 0)
			return i;
	return -1;
}

/* The attribute's single value, a SEQUENCE, is exactly want. */
static void expect_attr_sequence(X509_REQ *x, const char *oid, const struct der_buf *want)
{
	int i = find_attr(x, oid);
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *value;

	if (i < 0)
		fail_msg("no attribute %s", oid);
	attr = X509_REQ_get_attr(x, i);
	assert_int_equal(X509_ATTRIBUTE_count(attr), 1);
	value = X509_ATTRIBUTE_get0_type(attr, 0);
	assert_non_null(value);
	assert_int_equal(value->type, V_ASN1_SEQUENCE);
	assert_int_equal(value->value.sequence->length, want->n);
	assert_memory_equal(value->value.sequence->data, want->b, want->n);
}

/* The OIDs used below, as text. */
#define OID_SAN "2.5.29.17"
#define OID_KU "2.5.29.15"
#define OID_EKU "2.5.29.37"
#define OID_APP_POLICIES "1.3.6.1.4.1.311.21.10"
#define OID_SKI "2.5.29.14"
#define OID_EXT_REQ "1.2.840.113549.1.9.14"

/* AlgorithmIdentifiers: ECDSA ones have no parameters, RSA ones a NULL. */
#define ALG_ECDSA_SHA256 "30 0A 06 08 2A 86 48 CE 3D 04 03 02"
#define ALG_ECDSA_SHA384 "30 0A 06 08 2A 86 48 CE 3D 04 03 03"
#define ALG_ECDSA_SHA512 "30 0A 06 08 2A 86 48 CE 3D 04 03 04"
#define ALG_RSA_SHA256 "30 0D 06 09 2A 86 48 86 F7 0D 01 01 0B 05 00"

/* Server Authentication, as the EKU and as Application Policies. */
#define EKU_SERVER_AUTH "30 0A 06 08 2B 06 01 05 05 07 03 01"
#define APP_POLICIES_SERVER_AUTH "30 0C 30 0A 06 08 2B 06 01 05 05 07 03 01"

/* ---- the default request ---- */

static void test_default_structure(void **state)
{
	static const char *const order[] = { OID_SAN, OID_EKU, OID_APP_POLICIES, OID_SKI };
	struct built b;

	(void)state;
	build(&b, NULL);
	assert_int_equal(X509_REQ_get_version(b.x), 0);
	expect_signature_alg(b.x, ALG_ECDSA_SHA256);
	assert_int_equal(X509_REQ_get_signature_nid(b.x), NID_ecdsa_with_SHA256);

	/* SAN, EKU, Application Policies, SKI: certlm's order, none critical. */
	expect_extension_order(&b, order, 4);
	expect_ext_value(ext_at(&b, 0), false, "30 11 82 0F 76 70 6E 2E 65 78 61 6D 70 6C 65 2E 63 6F 6D");
	expect_ext_value(ext_at(&b, 1), false, EKU_SERVER_AUTH);
	expect_ext_value(ext_at(&b, 2), false, APP_POLICIES_SERVER_AUTH);
	assert_int_equal(X509_EXTENSION_get_critical(ext_at(&b, 3)), 0);

	/* One attribute, the extension request. */
	assert_int_equal(X509_REQ_get_attr_count(b.x), 1);
	assert_int_equal(find_attr(b.x, OID_EXT_REQ), 0);
	built_free(&b);
}

static void test_default_subject(void **state)
{
	struct built b;
	unsigned char *der = NULL;
	int len;

	(void)state;
	build(&b, NULL);
	/* CN=vpn.example.com as a UTF8String. */
	len = i2d_X509_NAME(X509_REQ_get_subject_name(b.x), &der);
	assert_bytes_hex(der, (size_t)len,
			 "30 1A 31 18 30 16 06 03 55 04 03 0C 0F 76 70 6E 2E 65 78 61 6D 70 6C 65 2E 63 6F 6D");
	OPENSSL_free(der);
	built_free(&b);
}

static void test_default_public_key(void **state)
{
	struct built b;
	X509_PUBKEY *pub;
	X509_REQ *decoded;
	unsigned char *spki = NULL, *own = NULL;
	const unsigned char *p, *end, *alg, *bits;
	unsigned char tag;
	size_t alg_len, bits_len;
	int spki_len, own_len;

	(void)state;
	build(&b, NULL);
	pub = X509_REQ_get_X509_PUBKEY(b.x);
	spki_len = i2d_X509_PUBKEY(pub, &spki);
	assert_true(spki_len > 0);

	/* id-ecPublicKey, namedCurve prime256v1, a 65-byte uncompressed point. */
	p = spki;
	end = spki + spki_len;
	der_enter(&p, &end, 0x30);
	der_next(&p, end, &tag, &alg, &alg_len);
	assert_int_equal(tag, 0x30);
	assert_bytes_hex(alg, alg_len, "06 07 2A 86 48 CE 3D 02 01 06 08 2A 86 48 CE 3D 03 01 07");
	der_next(&p, end, &tag, &bits, &bits_len);
	assert_int_equal(tag, 0x03);
	assert_int_equal(bits_len, 66);
	assert_int_equal(bits[0], 0x00);  /* no unused bits */
	assert_int_equal(bits[1], 0x04);  /* uncompressed */
	assert_ptr_equal(p, end);

	/* The same bytes OpenSSL's own encoder writes for the key. */
	own_len = i2d_PUBKEY(b.key, &own);
	assert_int_equal(own_len, spki_len);
	assert_memory_equal(own, spki, (size_t)spki_len);

	/*
	 * And the key in the request is the one that signed it, as a CA sees it
	 * after decoding.  (The X509_REQ that csr_build() returns has no cached
	 * EVP_PKEY for its hand-assembled SPKI, so it is checked decoded.)
	 */
	assert_int_equal(X509_REQ_verify(b.x, b.key), 1);
	OPENSSL_free(spki);
	spki = NULL;
	spki_len = i2d_X509_REQ(b.x, &spki);
	p = spki;
	decoded = d2i_X509_REQ(NULL, &p, spki_len);
	assert_non_null(decoded);
	assert_non_null(X509_REQ_get0_pubkey(decoded));
	assert_int_equal(EVP_PKEY_eq(X509_REQ_get0_pubkey(decoded), b.key), 1);
	assert_int_equal(X509_REQ_verify(decoded, X509_REQ_get0_pubkey(decoded)), 1);
	X509_REQ_free(decoded);

	OPENSSL_free(own);
	OPENSSL_free(spki);
	built_free(&b);
}

static void test_default_ski(void **state)
{
	struct built b;
	unsigned char *spki = NULL, md[20], want[22];
	const unsigned char *p, *end, *bits;
	unsigned char tag;
	size_t bits_len;
	unsigned int md_len = 0;
	int spki_len;
	struct der_buf w = { .n = 0 };

	(void)state;
	build(&b, NULL);
	/* RFC 5280 method 1, computed here from the DER: SHA-1 of the BIT STRING contents. */
	spki_len = i2d_X509_PUBKEY(X509_REQ_get_X509_PUBKEY(b.x), &spki);
	p = spki;
	end = spki + spki_len;
	der_enter(&p, &end, 0x30);
	der_next(&p, end, &tag, &bits, &bits_len);  /* the algorithm */
	der_next(&p, end, &tag, &bits, &bits_len);  /* the key */
	assert_int_equal(tag, 0x03);
	assert_true(EVP_Digest(bits + 1, bits_len - 1, md, &md_len, EVP_sha1(), NULL));
	assert_int_equal(md_len, 20);
	want[0] = 0x04;
	want[1] = 20;
	memcpy(want + 2, md, 20);
	put(&w, want, sizeof(want));
	expect_ext_value_buf(ext_at(&b, 3), false, &w);
	OPENSSL_free(spki);
	built_free(&b);
}

static void test_spki_sha256(void **state)
{
	struct built b;
	unsigned char *der = NULL, md[32];
	unsigned int md_len = 0;
	char hex[65], want[65];
	int len;

	(void)state;
	build(&b, NULL);
	len = i2d_PUBKEY(b.key, &der);
	assert_true(EVP_Digest(der, (size_t)len, md, &md_len, EVP_sha256(), NULL));
	for (unsigned i = 0; i < md_len; i++)
		sprintf(want + 2 * i, "%02x", md[i]);
	memset(hex, 'x', sizeof(hex));
	assert_err(csr_spki_sha256(b.x, hex), MKCSR_E_OK);
	assert_string_equal(hex, want);
	OPENSSL_free(der);
	built_free(&b);
}

/* X.690 11.6: a SET OF is sorted by its elements' encodings, shorter ones padded with zeros. */
static int der_set_order(const unsigned char *a, size_t a_len, const unsigned char *b, size_t b_len)
{
	size_t n = a_len < b_len ? a_len : b_len;
	int c = memcmp(a, b, n);

	if (c != 0)
		return c;
	for (size_t i = n; i < a_len; i++)
		if (a[i] != 0)
			return 1;
	for (size_t i = n; i < b_len; i++)
		if (b[i] != 0)
			return -1;
	return 0;
}

/* The encoded attributes [0] of the signed CertificationRequestInfo are in DER order. */
static void expect_attributes_sorted(X509_REQ *x, int count)
{
	unsigned char *tbs = NULL, tag;
	const unsigned char *p, *end, *c, *prev = NULL;
	size_t len, prev_len = 0;
	int tbs_len = i2d_re_X509_REQ_tbs(x, &tbs), n = 0;

	assert_true(tbs_len > 0);
	p = tbs;
	end = tbs + tbs_len;
	der_enter(&p, &end, 0x30);  /* CertificationRequestInfo */
	der_next(&p, end, &tag, &c, &len);  /* version */
	assert_bytes_hex(c - 2, len + 2, "02 01 00");
	der_next(&p, end, &tag, &c, &len);  /* subject */
	der_next(&p, end, &tag, &c, &len);  /* subjectPKInfo */
	der_next(&p, end, &tag, &c, &len);  /* [0] attributes */
	assert_int_equal(tag, 0xA0);
	assert_ptr_equal(p, end);
	p = c;
	end = c + len;
	while (p < end) {
		const unsigned char *start = p, *content;

		der_next(&p, end, &tag, &content, &len);
		assert_int_equal(tag, 0x30);
		if (prev != NULL && der_set_order(prev, prev_len, start, (size_t)(p - start)) > 0)
			fail_msg("attribute %d is out of DER SET OF order", n);
		prev = start;
		prev_len = (size_t)(p - start);
		n++;
	}
	assert_int_equal(n, count);
	OPENSSL_free(tbs);
}

/* ---- variations ---- */

static void with_digital_signature(struct mkcsr_request *req)
{
	assert_err(request_set_key_usage(req, "digitalSignature"), MKCSR_E_OK);
}

static void test_key_usage_digital_signature(void **state)
{
	static const char *const order[] = { OID_SAN, OID_KU, OID_EKU, OID_APP_POLICIES, OID_SKI };
	struct built b;

	(void)state;
	build(&b, with_digital_signature);
	/* Between SAN and EKU, critical, DER-minimal. */
	expect_extension_order(&b, order, 5);
	expect_ext_value(ext_at(&b, 1), true, "03 02 07 80");
	assert_int_equal(X509_EXTENSION_get_critical(ext_at(&b, 0)), 0);
	assert_int_equal(X509_EXTENSION_get_critical(ext_at(&b, 2)), 0);
	assert_int_equal(X509_EXTENSION_get_critical(ext_at(&b, 3)), 0);
	assert_int_equal(X509_EXTENSION_get_critical(ext_at(&b, 4)), 0);
	assert_int_equal(X509_REQ_verify(b.x, b.key), 1);
	built_free(&b);
}

static void with_rsa_and_encipherment(struct mkcsr_request *req)
{
	assert_err(request_set_key_type(req, "rsa:2048"), MKCSR_E_OK);
	assert_err(request_set_key_usage(req, "digitalSignature,keyEncipherment"), MKCSR_E_OK);
}

static void test_rsa_2048(void **state)
{
	static const char *const order[] = { OID_SAN, OID_KU, OID_EKU, OID_APP_POLICIES, OID_SKI };
	struct built b;
	X509_PUBKEY *pub;
	X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *obj = NULL;
	int ptype = -1;

	(void)state;
	build(&b, with_rsa_and_encipherment);
	expect_signature_alg(b.x, ALG_RSA_SHA256);
	expect_extension_order(&b, order, 5);
	expect_ext_value(ext_at(&b, 1), true, "03 02 05 A0");

	pub = X509_REQ_get_X509_PUBKEY(b.x);
	assert_true(X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, pub));
	X509_ALGOR_get0(&obj, &ptype, NULL, alg);
	assert_int_equal(OBJ_obj2nid(obj), NID_rsaEncryption);
	assert_int_equal(ptype, V_ASN1_NULL);
	assert_int_equal(EVP_PKEY_get_bits(X509_REQ_get0_pubkey(b.x)), 2048);
	assert_int_equal(X509_REQ_verify(b.x, b.key), 1);
	built_free(&b);
}

static void with_p384(struct mkcsr_request *req)
{
	assert_err(request_set_key_type(req, "ec:P-384"), MKCSR_E_OK);
}

static void with_p521(struct mkcsr_request *req)
{
	assert_err(request_set_key_type(req, "ec:P-521"), MKCSR_E_OK);
}

static void test_p384_and_p521(void **state)
{
	struct built b;
	X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *obj = NULL;
	const void *curve = NULL;
	int ptype = -1;
	const unsigned char *pk = NULL;
	int pk_len = 0;

	(void)state;
	build(&b, with_p384);
	expect_signature_alg(b.x, ALG_ECDSA_SHA384);
	assert_true(X509_PUBKEY_get0_param(NULL, &pk, &pk_len, &alg, X509_REQ_get_X509_PUBKEY(b.x)));
	X509_ALGOR_get0(&obj, &ptype, &curve, alg);
	assert_int_equal(ptype, V_ASN1_OBJECT);
	assert_int_equal(OBJ_obj2nid(curve), NID_secp384r1);
	assert_int_equal(pk_len, 97);
	assert_int_equal(pk[0], 0x04);
	assert_int_equal(X509_REQ_verify(b.x, b.key), 1);
	built_free(&b);

	build(&b, with_p521);
	expect_signature_alg(b.x, ALG_ECDSA_SHA512);
	assert_true(X509_PUBKEY_get0_param(NULL, &pk, &pk_len, &alg, X509_REQ_get_X509_PUBKEY(b.x)));
	X509_ALGOR_get0(&obj, &ptype, &curve, alg);
	assert_int_equal(OBJ_obj2nid(curve), NID_secp521r1);
	assert_int_equal(pk_len, 133);
	assert_int_equal(X509_REQ_verify(b.x, b.key), 1);
	built_free(&b);
}

static void with_sha512(struct mkcsr_request *req)
{
	assert_err(request_set_hash(req, "sha512"), MKCSR_E_OK);
}

static void test_explicit_hash(void **state)
{
	struct built b;

	(void)state;
	build(&b, with_sha512);
	expect_signature_alg(b.x, ALG_ECDSA_SHA512);
	assert_int_equal(X509_REQ_verify(b.x, b.key), 1);
	built_free(&b);
}

static void with_minimal(struct mkcsr_request *req)
{
	req->minimal = true;
}

static void test_minimal(void **state)
{
	static const char *const order[] = { OID_SAN };
	struct built b;

	(void)state;
	build(&b, with_minimal);
	expect_extension_order(&b, order, 1);
	assert_int_equal(X509_REQ_get_attr_count(b.x), 1);
	assert_int_equal(X509_REQ_verify(b.x, b.key), 1);
	built_free(&b);
}

static void with_no_app_policies(struct mkcsr_request *req)
{
	req->app_policies = false;
}

static void test_no_app_policies(void **state)
{
	static const char *const order[] = { OID_SAN, OID_EKU, OID_SKI };
	struct built b;

	(void)state;
	build(&b, with_no_app_policies);
	expect_extension_order(&b, order, 3);
	built_free(&b);
}

static void with_two_ekus(struct mkcsr_request *req)
{
	assert_err(request_add_eku(req, "serverAuth"), MKCSR_E_OK);
	assert_err(request_add_eku(req, "ikeIntermediate"), MKCSR_E_OK);
}

static void test_two_ekus_mirrored(void **state)
{
	struct built b;

	(void)state;
	build(&b, with_two_ekus);
	/* serverAuth, then IKE intermediate 1.3.6.1.5.5.8.2.2, in both extensions in the same order. */
	expect_ext_value(ext_at(&b, 1), false, "30 14 06 08 2B 06 01 05 05 07 03 01 06 08 2B 06 01 05 05 08 02 02");
	expect_ext_value(ext_at(&b, 2), false,
			 "30 18 30 0A 06 08 2B 06 01 05 05 07 03 01 30 0A 06 08 2B 06 01 05 05 08 02 02");
	built_free(&b);
}

static void with_all_name_types(struct mkcsr_request *req)
{
	assert_err(request_add_san(req, "ip:10.0.0.1"), MKCSR_E_OK);
	assert_err(request_add_san(req, "email:a@example.com"), MKCSR_E_OK);
	assert_err(request_add_san(req, "upn:u@example.com"), MKCSR_E_OK);
}

static void test_san_name_types(void **state)
{
	static const unsigned char upn_oid[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03 };
	static const unsigned char ip[] = { 10, 0, 0, 1 };
	struct der_buf names = { .n = 0 }, other = { .n = 0 }, value = { .n = 0 }, san = { .n = 0 };
	struct built b;

	(void)state;
	build(&b, with_all_name_types);
	put_str(&names, 0x82, "vpn.example.com");  /* [2] dNSName */
	put_tlv(&names, 0x87, ip, sizeof(ip));      /* [7] iPAddress */
	put_str(&names, 0x81, "a@example.com");     /* [1] rfc822Name */
	/* [0] otherName { UPN OID, [0] EXPLICIT UTF8String }, as Windows writes a UPN. */
	put_tlv(&other, 0x06, upn_oid, sizeof(upn_oid));
	put_str(&value, 0x0C, "u@example.com");
	put_tlv(&other, 0xA0, value.b, value.n);
	put_tlv(&names, 0xA0, other.b, other.n);
	put_tlv(&san, 0x30, names.b, names.n);
	expect_ext_value_buf(ext_at(&b, 0), false, &san);
	built_free(&b);
}

static void test_empty_subject_san_not_critical(void **state)
{
	struct mkcsr_request req;
	EVP_PKEY *key = NULL;
	X509_REQ *x = NULL;
	STACK_OF(X509_EXTENSION) *exts;
	unsigned char *der = NULL;
	int len;

	(void)state;
	/* Names in the SAN only: the subject is empty (30 00) and the SAN stays non-critical, as in certlm. */
	assert_err(request_init(&req), MKCSR_E_OK);
	assert_err(request_add_san(&req, "dns:vpn.example.com"), MKCSR_E_OK);
	assert_err(request_finalize(&req), MKCSR_E_OK);
	assert_err(keygen_generate(&req.key, &key), MKCSR_E_OK);
	assert_err(csr_build(&req, key, NULL, &x), MKCSR_E_OK);
	len = i2d_X509_NAME(X509_REQ_get_subject_name(x), &der);
	assert_bytes_hex(der, (size_t)len, "30 00");
	exts = X509_REQ_get_extensions(x);
	assert_int_equal(X509_EXTENSION_get_critical(sk_X509_EXTENSION_value(exts, 0)), 0);
	assert_int_equal(OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, 0))),
			 NID_subject_alt_name);
	assert_int_equal(X509_REQ_verify(x, key), 1);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	OPENSSL_free(der);
	X509_REQ_free(x);
	EVP_PKEY_free(key);
	request_clear(&req);
}

static void with_ms_attributes(struct mkcsr_request *req)
{
	req->ms_attributes = true;
}

static void test_ms_attributes(void **state)
{
	static const char ksp[] = "Microsoft Software Key Storage Provider";
	static const unsigned char zero = 0x00, five = 0x05;
	const struct mkcsr_client_info client = { .machine = "WS01", .user = "WS01\\alice", .process = "mkcsr" };
	struct der_buf csp_body = { .n = 0 }, csp = { .n = 0 }, bmp = { .n = 0 };
	struct der_buf info_body = { .n = 0 }, info = { .n = 0 };
	struct built b;

	(void)state;
	build_with(&b, with_ms_attributes, &client);
	assert_int_equal(X509_REQ_get_attr_count(b.x), 3);
	assert_true(find_attr(b.x, OID_EXT_REQ) >= 0);
	/* No OS version: mkcsr does not make one up. */
	assert_int_equal(find_attr(b.x, "1.3.6.1.4.1.311.13.2.3"), -1);

	/* Enrollment CSP: SEQUENCE { INTEGER 0, BMPString KSP name, BIT STRING empty }. */
	for (const char *c = ksp; *c; c++) {
		unsigned char ucs2[2] = { 0x00, (unsigned char)*c };

		put(&bmp, ucs2, 2);
	}
	put_tlv(&csp_body, 0x02, &zero, 1);
	put_tlv(&csp_body, 0x1E, bmp.b, bmp.n);
	put_tlv(&csp_body, 0x03, &zero, 1);
	put_tlv(&csp, 0x30, csp_body.b, csp_body.n);
	assert_int_equal(csp.n, 0x58);  /* 30 56 ... */
	expect_attr_sequence(b.x, "1.3.6.1.4.1.311.13.2.2", &csp);

	/* Client info: SEQUENCE { INTEGER 5, UTF8String machine, user, process }. */
	put_tlv(&info_body, 0x02, &five, 1);
	put_str(&info_body, 0x0C, "WS01");
	put_str(&info_body, 0x0C, "WS01\\alice");
	put_str(&info_body, 0x0C, "mkcsr");
	put_tlv(&info, 0x30, info_body.b, info_body.n);
	expect_attr_sequence(b.x, "1.3.6.1.4.1.311.21.20", &info);

	/* A DER SET OF: the signed bytes list the attributes sorted, as Windows does. */
	expect_attributes_sorted(b.x, 3);
	assert_int_equal(X509_REQ_verify(b.x, b.key), 1);
	built_free(&b);
}

static void test_client_info_local(void **state)
{
	struct mkcsr_client_info info;
	struct passwd *pw = getpwuid(geteuid());
	const char *slash;

	(void)state;
	csr_client_info_local(&info);
	assert_true(info.machine[0] != '\0');
	assert_string_equal(info.process, "mkcsr");
	/* MACHINE\user: the short host name upper-cased, as Windows writes a local account. */
	slash = strchr(info.user, '\\');
	assert_non_null(slash);
	assert_true(slash > info.user);
	for (const char *p = info.user; p < slash; p++) {
		assert_true(*p != '.');
		assert_int_equal(*p, toupper((unsigned char)info.machine[p - info.user]));
	}
	if (pw != NULL)
		assert_string_equal(slash + 1, pw->pw_name);
}

/* ---- encoding ---- */

/* Checks Base64 armour: header, footer, line ends, 64-column lines; returns the DER it holds. */
static void expect_armour(const unsigned char *data, size_t len, const char *label, bool crlf, X509_REQ *x)
{
	char begin[80], end[80];
	const char *eol = crlf ? "\r\n" : "\n";
	size_t eol_len = strlen(eol), lines = 0;
	char *text = malloc(len + 1);
	char *name = NULL, *header = NULL;
	unsigned char *body = NULL, *der = NULL;
	long body_len = 0;
	int der_len;
	BIO *mem;

	assert_non_null(text);
	memcpy(text, data, len);
	text[len] = '\0';
	assert_int_equal(strlen(text), len);  /* no NUL inside */
	snprintf(begin, sizeof(begin), "-----BEGIN %s-----%s", label, eol);
	snprintf(end, sizeof(end), "-----END %s-----%s", label, eol);
	assert_memory_equal(text, begin, strlen(begin));
	assert_true(len > strlen(end));
	assert_string_equal(text + len - strlen(end), end);

	/* Every line: at most 64 characters, then exactly the line end; all but the last body line full. */
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t line_len;

		assert_non_null(nl);
		line_len = (size_t)(nl - p) + 1 - eol_len;
		if (crlf)
			assert_int_equal(nl[-1], '\r');
		assert_null(memchr(p, '\r', line_len));
		assert_true(line_len <= 64);
		lines++;
		p = nl + 1;
		if (*p != '\0' && strncmp(p, "-----END", 8) != 0 && lines > 1)
			assert_int_equal(line_len, 64);
	}
	assert_true(lines >= 3);
	if (!crlf)
		assert_null(strchr(text, '\r'));

	/* The body is the request's DER. */
	mem = BIO_new_mem_buf(data, (int)len);
	assert_int_equal(PEM_read_bio(mem, &name, &header, &body, &body_len), 1);
	assert_string_equal(name, label);
	assert_string_equal(header, "");
	der_len = i2d_X509_REQ(x, &der);
	assert_int_equal(body_len, der_len);
	assert_memory_equal(body, der, (size_t)der_len);

	OPENSSL_free(der);
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(body);
	BIO_free(mem);
	free(text);
}

static void test_encode_windows_base64(void **state)
{
	const struct mkcsr_csr_encoding enc = { .format = MKCSR_CSR_BASE64, .windows_header = true, .crlf = true };
	struct built b;
	unsigned char *out = NULL;
	size_t len = 0;

	(void)state;
	build(&b, NULL);
	assert_err(csr_encode(b.x, &enc, &out, &len), MKCSR_E_OK);
	assert_memory_equal(out, "-----BEGIN NEW CERTIFICATE REQUEST-----\r\n", 41);
	expect_armour(out, len, "NEW CERTIFICATE REQUEST", true, b.x);
	OPENSSL_free(out);
	built_free(&b);
}

static void test_encode_variants(void **state)
{
	const struct mkcsr_csr_encoding standard = { .format = MKCSR_CSR_BASE64, .windows_header = false, .crlf = true };
	const struct mkcsr_csr_encoding lf = { .format = MKCSR_CSR_BASE64, .windows_header = true, .crlf = false };
	const struct mkcsr_csr_encoding std_lf = { .format = MKCSR_CSR_BASE64, .windows_header = false, .crlf = false };
	struct built b;
	unsigned char *out = NULL;
	size_t len = 0;

	(void)state;
	/* RSA makes a request long enough for many full lines. */
	build(&b, with_rsa_and_encipherment);
	assert_err(csr_encode(b.x, &standard, &out, &len), MKCSR_E_OK);
	expect_armour(out, len, "CERTIFICATE REQUEST", true, b.x);
	OPENSSL_free(out);

	assert_err(csr_encode(b.x, &lf, &out, &len), MKCSR_E_OK);
	expect_armour(out, len, "NEW CERTIFICATE REQUEST", false, b.x);
	OPENSSL_free(out);

	assert_err(csr_encode(b.x, &std_lf, &out, &len), MKCSR_E_OK);
	expect_armour(out, len, "CERTIFICATE REQUEST", false, b.x);
	OPENSSL_free(out);
	built_free(&b);
}

static void test_encode_der(void **state)
{
	const struct mkcsr_csr_encoding enc = { .format = MKCSR_CSR_DER };
	struct built b;
	unsigned char *out = NULL, *der = NULL;
	const unsigned char *p;
	size_t len = 0;
	int der_len;
	X509_REQ *back;

	(void)state;
	build(&b, NULL);
	assert_err(csr_encode(b.x, &enc, &out, &len), MKCSR_E_OK);
	der_len = i2d_X509_REQ(b.x, &der);
	assert_int_equal(len, der_len);
	assert_memory_equal(out, der, len);
	/* And it decodes to a request that still verifies. */
	p = out;
	back = d2i_X509_REQ(NULL, &p, (long)len);
	assert_non_null(back);
	assert_ptr_equal(p, out + len);
	assert_int_equal(X509_REQ_verify(back, b.key), 1);
	X509_REQ_free(back);
	OPENSSL_free(der);
	OPENSSL_free(out);
	built_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_structure),
		cmocka_unit_test(test_default_subject),
		cmocka_unit_test(test_default_public_key),
		cmocka_unit_test(test_default_ski),
		cmocka_unit_test(test_spki_sha256),
		cmocka_unit_test(test_key_usage_digital_signature),
		cmocka_unit_test(test_rsa_2048),
		cmocka_unit_test(test_p384_and_p521),
		cmocka_unit_test(test_explicit_hash),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_no_app_policies),
		cmocka_unit_test(test_two_ekus_mirrored),
		cmocka_unit_test(test_san_name_types),
		cmocka_unit_test(test_empty_subject_san_not_critical),
		cmocka_unit_test(test_ms_attributes),
		cmocka_unit_test(test_client_info_local),
		cmocka_unit_test(test_encode_windows_base64),
		cmocka_unit_test(test_encode_variants),
		cmocka_unit_test(test_encode_der),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
