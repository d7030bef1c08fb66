#include <config.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "display.h"
#include "inf.h"
#include "input.h"
#include "inspect.h"
#include "msasn1.h"
#include "oids.h"
#include "pfx.h"
#include "pfxread.h"
#include "request.h"
#include "subject.h"

/* The file being described. */
struct inspection {
	const char *path;
	const char *pass;      /* NULL: none given */
	time_t at;
	const struct inspect_stream *stream;  /* NULL: every certificate goes in the document */
	bool incomplete;       /* jansson could not take a value: out of memory */
	struct {
		int nid;
		EC_GROUP *group;
	} curves[4];           /* the curves met so far, for the keys of a bundle of thousands */
};

static void inspection_clear(struct inspection *in)
{
	for (size_t i = 0; i < sizeof(in->curves) / sizeof(in->curves[0]); i++)
		EC_GROUP_free(in->curves[i].group);
}

/* ---- building the document ----------------------------------------------- */

/* obj[key] = value (the reference is taken); a value jansson could not make leaves the document incomplete. */
static void put(struct inspection *in, json_t *obj, const char *key, json_t *value)
{
	if (value == NULL || json_object_set_new(obj, key, value) != 0)
		in->incomplete = true;
}

static void append(struct inspection *in, json_t *array, json_t *value)
{
	if (value == NULL || json_array_append_new(array, value) != 0)
		in->incomplete = true;
}

/* An empty array as null: "nothing of the kind", which the text leaves out. */
static json_t *array_or_null(json_t *array)
{
	if (array != NULL && json_array_size(array) == 0) {
		json_decref(array);
		return json_null();
	}
	return array;
}

/* Text from a file (that should be UTF-8), shown as display.h says.  NULL is null. */
static json_t *text(const char *s)
{
	json_t *value;
	char *shown;

	if (s == NULL)
		return json_null();
	shown = display_text(s);
	value = shown ? json_string(shown) : NULL;
	free(shown);
	return value;
}

/* Text that display.h already made safe (chain_name_text()'s, pfxread's *_shown); NULL is null. */
static json_t *shown(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Any ASN.1 character string (UTF8String, BMPString, IA5String, ...), each by the rules of its type. */
static json_t *asn1_text(const ASN1_STRING *s)
{
	char *shown_text = display_asn1(s, 0);
	json_t *value = shown_text ? json_string(shown_text) : NULL;

	free(shown_text);
	return value;
}

static json_t *hex(const unsigned char *bytes, size_t len, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *buf = malloc(2 * len + 1);
	json_t *value;

	if (buf == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		buf[2 * i] = digits[bytes[i] >> 4];
		buf[2 * i + 1] = digits[bytes[i] & 0x0f];
	}
	buf[2 * len] = '\0';
	value = json_string(buf);
	free(buf);
	return value;
}

static json_t *sha256_hex(const unsigned char *der, size_t len, bool upper)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (!EVP_Digest(der, len, md, &md_len, EVP_sha256(), NULL))
		return NULL;
	return hex(md, md_len, upper);
}

static const char *oid_text(const ASN1_OBJECT *obj, char *buf, size_t size)
{
	if (OBJ_obj2txt(buf, (int)size, obj, 1) <= 0)
		snprintf(buf, size, "(unreadable)");
	return buf;
}

/* {"oid": "1.3.6.1.5.5.7.3.1", "name": "Server Authentication"}: Windows' name, else OpenSSL's, else null. */
static json_t *usage_json(const ASN1_OBJECT *obj)
{
	char oid[128];
	const char *name = oids_usage_name(oid_text(obj, oid, sizeof(oid)));
	int nid = OBJ_obj2nid(obj);

	if (name == NULL && nid != NID_undef)
		name = OBJ_nid2ln(nid);
	return json_pack("{s:s, s:o}", "oid", oid, "name", name ? json_string(name) : json_null());
}

/* "2027-06-01T00:00:00Z", as check --json writes it (chain_time_json). */
static json_t *iso_time(const ASN1_TIME *t)
{
	char buf[32];

	return chain_time_json(t, buf, sizeof(buf))[0] ? json_string(buf) : json_null();
}

static const char *digest_name(int nid)
{
	switch (nid) {
	case NID_sha1: return "SHA-1";
	case NID_sha224: return "SHA-224";
	case NID_sha256: return "SHA-256";
	case NID_sha384: return "SHA-384";
	case NID_sha512: return "SHA-512";
	case NID_md5: return "MD5";
	}
	return nid == NID_undef ? "(unknown)" : OBJ_nid2sn(nid);
}

/* ---- keys ------------------------------------------------------------------ */

static const char *key_algorithm(EVP_PKEY *pkey)
{
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_EC: return "ECDSA";
	case EVP_PKEY_RSA: return "RSA";
	case EVP_PKEY_RSA_PSS: return "RSA-PSS";
	case EVP_PKEY_ED25519: return "Ed25519";
	case EVP_PKEY_ED448: return "Ed448";
	case EVP_PKEY_DSA: return "DSA";
	}
	return EVP_PKEY_get0_type_name(pkey) ? EVP_PKEY_get0_type_name(pkey) : "(unknown)";
}

static void put_key_fields(struct inspection *in, json_t *obj, json_t *algorithm, json_t *size, json_t *curve,
			   json_t *spki_sha256)
{
	put(in, obj, "key_algorithm", algorithm);
	put(in, obj, "key_size", size);
	put(in, obj, "key_curve", curve);
	put(in, obj, "spki_sha256", spki_sha256);
}

/* "P-256" for prime256v1, the curve's own short name for the others. */
static json_t *curve_json(int nid)
{
	const char *nist = EC_curve_nid2nist(nid);

	return json_string(nist ? nist : OBJ_nid2sn(nid));
}

/*
 * key_algorithm, key_size, key_curve and spki_sha256 (the SHA-256 of the
 * DER SubjectPublicKeyInfo, as mkcsr new prints it).  pub, when given, is
 * the SubjectPublicKeyInfo as found, for a key OpenSSL cannot decode.
 * Without either all four are null: the key could not be read.
 */
static void put_key(struct inspection *in, json_t *obj, EVP_PKEY *pkey, X509_PUBKEY *pub)
{
	char group[80], oid[128];
	unsigned char *der = NULL;
	int der_len = -1;
	json_t *algorithm = json_null(), *size = json_null(), *curve = json_null();

	if (pkey != NULL) {
		algorithm = json_string(key_algorithm(pkey));
		if (EVP_PKEY_get_bits(pkey) > 0)
			size = json_integer(EVP_PKEY_get_bits(pkey));
		if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL))
			curve = OBJ_sn2nid(group) != NID_undef ? curve_json(OBJ_sn2nid(group)) : json_string(group);
		/* A certificate's or request's own encoding when there is one: i2d_PUBKEY sets up an encoder each time. */
		der_len = pub != NULL ? i2d_X509_PUBKEY(pub, &der) : i2d_PUBKEY(pkey, &der);
	} else if (pub != NULL) {
		ASN1_OBJECT *alg = NULL;

		if (X509_PUBKEY_get0_param(&alg, NULL, NULL, NULL, pub) && alg != NULL)
			algorithm = text(OBJ_obj2nid(alg) != NID_undef ? OBJ_nid2ln(OBJ_obj2nid(alg))
								      : oid_text(alg, oid, sizeof(oid)));
		der_len = i2d_X509_PUBKEY(pub, &der);
	}
	put_key_fields(in, obj, algorithm, size, curve,
		       der_len > 0 ? sha256_hex(der, (size_t)der_len, false) : json_null());
	OPENSSL_free(der);
}

/* The curve by its NID, made once per inspection; NULL for an unknown one (or a fifth). */
static const EC_GROUP *curve_group(struct inspection *in, int nid)
{
	for (size_t i = 0; i < sizeof(in->curves) / sizeof(in->curves[0]); i++) {
		if (in->curves[i].group != NULL && in->curves[i].nid == nid)
			return in->curves[i].group;
		if (in->curves[i].group == NULL) {
			in->curves[i].group = EC_GROUP_new_by_curve_name_ex(NULL, NULL, nid);
			in->curves[i].nid = nid;
			return in->curves[i].group;
		}
	}
	return NULL;
}

/* The bits of an EC key's curve when its point (key) is on it, as the EC decoder wants; 0 otherwise. */
static int key_outline_ec(struct inspection *in, int curve_nid, const unsigned char *key, int key_len)
{
	const EC_GROUP *group = curve_group(in, curve_nid);
	EC_POINT *point = group != NULL ? EC_POINT_new(group) : NULL;
	int bits = 0;

	if (point != NULL && key_len > 0 && EC_POINT_oct2point(group, point, key, (size_t)key_len, NULL) == 1)
		bits = EC_GROUP_order_bits(group);
	EC_POINT_free(point);
	return bits;
}

/* The bits of an RSA key's modulus (RSAPublicKey: SEQUENCE { n, e }, both positive); 0 when it is not one. */
static int key_outline_rsa(const unsigned char *key, int key_len)
{
	const unsigned char *p = key;
	ASN1_SEQUENCE_ANY *seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, key_len);
	const ASN1_TYPE *n, *e;
	BIGNUM *modulus = NULL;
	int bits = 0;

	if (seq != NULL && p == key + key_len && sk_ASN1_TYPE_num(seq) == 2) {
		n = sk_ASN1_TYPE_value(seq, 0);
		e = sk_ASN1_TYPE_value(seq, 1);
		/* A negative one (the RSA decoder reads its bytes as unsigned) is left to the decoder. */
		if (n->type == V_ASN1_INTEGER && e->type == V_ASN1_INTEGER &&
		    ASN1_STRING_type(n->value.integer) == V_ASN1_INTEGER && ASN1_STRING_type(e->value.integer) == V_ASN1_INTEGER)
			modulus = ASN1_INTEGER_to_BN(n->value.integer, NULL);
		bits = modulus != NULL ? BN_num_bits(modulus) : 0;
	}
	BN_free(modulus);
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return bits;
}

/*
 * The same for a certificate's key read from its SubjectPublicKeyInfo
 * alone, for the two kinds of key certificates nearly always have (see
 * chain.h for why the key is not decoded): an EC key on a named curve,
 * whose point must be on it, and an RSA key, a modulus and an exponent.
 * False for anything else, which is decoded.
 */
static bool put_key_outline(struct inspection *in, json_t *obj, const struct mkcsr_cert *cert, X509_PUBKEY *pub)
{
	const ASN1_OBJECT *alg = NULL;
	X509_ALGOR *algor = NULL;
	const unsigned char *key = NULL;
	int key_len = 0, param_type = V_ASN1_UNDEF;
	const void *param = NULL;
	json_t *algorithm, *size, *curve = json_null();
	int bits;

	if (!X509_PUBKEY_get0_param(NULL, &key, &key_len, &algor, pub) || algor == NULL)
		return false;
	X509_ALGOR_get0(&alg, &param_type, &param, algor);
	switch (OBJ_obj2nid(alg)) {
	case NID_X9_62_id_ecPublicKey:
		if (param_type != V_ASN1_OBJECT || (bits = key_outline_ec(in, OBJ_obj2nid(param), key, key_len)) <= 0)
			return false;
		algorithm = json_string("ECDSA");
		curve = curve_json(OBJ_obj2nid(param));
		break;
	case NID_rsaEncryption:
		/* Parameters other than NULL (or none) are left to the decoder. */
		if ((param_type != V_ASN1_NULL && param_type != V_ASN1_UNDEF) || (bits = key_outline_rsa(key, key_len)) <= 0)
			return false;
		algorithm = json_string("RSA");
		break;
	default:
		return false;
	}
	size = json_integer(bits);
	put_key_fields(in, obj, algorithm, size, curve, hex(cert->spki_sha256, sizeof(cert->spki_sha256), false));
	return true;
}

/* "ecdsa-with-SHA256", "sha256WithRSAEncryption", "RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt 32 bytes" */
static json_t *signature_json(const X509_ALGOR *alg)
{
	int nid = alg ? OBJ_obj2nid(alg->algorithm) : NID_undef;
	char buf[160];

	if (alg == NULL)
		return json_null();
	if (nid == NID_rsassaPss) {
		RSA_PSS_PARAMS *pss = alg->parameter ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS), alg->parameter)
						     : NULL;
		X509_ALGOR *mgf_hash = NULL;
		int hash = NID_sha1, mgf = NID_sha1;
		long salt = 20;

		if (pss == NULL)
			return json_string("RSASSA-PSS (unreadable parameters)");
		if (pss->hashAlgorithm != NULL)
			hash = OBJ_obj2nid(pss->hashAlgorithm->algorithm);
		if (pss->maskGenAlgorithm != NULL && pss->maskGenAlgorithm->parameter != NULL)
			mgf_hash = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR), pss->maskGenAlgorithm->parameter);
		if (mgf_hash != NULL)
			mgf = OBJ_obj2nid(mgf_hash->algorithm);
		if (pss->saltLength != NULL)
			salt = ASN1_INTEGER_get(pss->saltLength);
		snprintf(buf, sizeof(buf), "RSASSA-PSS with %s, MGF1 with %s, salt %ld bytes", digest_name(hash),
			 digest_name(mgf), salt);
		X509_ALGOR_free(mgf_hash);
		RSA_PSS_PARAMS_free(pss);
		return json_string(buf);
	}
	if (nid != NID_undef)
		return json_string(OBJ_nid2ln(nid));
	return json_string(oid_text(alg->algorithm, buf, sizeof(buf)));
}

/* ---- extensions -------------------------------------------------------------- */

static json_t *ip_text(const ASN1_OCTET_STRING *ip)
{
	char buf[INET6_ADDRSTRLEN];
	int len = ASN1_STRING_length(ip);

	if ((len == 4 && inet_ntop(AF_INET, ASN1_STRING_get0_data(ip), buf, sizeof(buf))) ||
	    (len == 16 && inet_ntop(AF_INET6, ASN1_STRING_get0_data(ip), buf, sizeof(buf))))
		return json_string(buf);
	return hex(ASN1_STRING_get0_data(ip), (size_t)len, false);  /* a name constraint's address and mask */
}

/* {"type": "dns", "value": "vpn.example.com"}: dns, ip, email, upn, uri, dirname, rid or other. */
static json_t *general_name_json(const GENERAL_NAME *gen)
{
	const char *type = "other";
	json_t *value = NULL;
	char buf[4096];

	switch (gen->type) {
	case GEN_DNS:
		type = "dns";
		value = asn1_text(gen->d.dNSName);
		break;
	case GEN_EMAIL:
		type = "email";
		value = asn1_text(gen->d.rfc822Name);
		break;
	case GEN_URI:
		type = "uri";
		value = asn1_text(gen->d.uniformResourceIdentifier);
		break;
	case GEN_IPADD:
		type = "ip";
		value = ip_text(gen->d.iPAddress);
		break;
	case GEN_DIRNAME:
		type = "dirname";
		value = shown(chain_name_text(gen->d.directoryName, buf, sizeof(buf)));
		break;
	case GEN_RID:
		type = "rid";
		value = json_string(oid_text(gen->d.registeredID, buf, sizeof(buf)));
		break;
	case GEN_OTHERNAME:
		oid_text(gen->d.otherName->type_id, buf, sizeof(buf));
		if (strcmp(buf, OID_MS_UPN) == 0 && gen->d.otherName->value != NULL &&
		    gen->d.otherName->value->type == V_ASN1_UTF8STRING) {
			type = "upn";
			value = asn1_text(gen->d.otherName->value->value.utf8string);
		} else {
			value = json_pack("s+", "otherName ", buf);
		}
		break;
	default:
		value = json_pack("s+", "name of type ", gen->type == GEN_X400 ? "x400Address" : "ediPartyName");
		break;
	}
	return json_pack("{s:s, s:o}", "type", type, "value", value);
}

/* The URIs (or other names) of a GENERAL_NAMES, as text. */
static void append_locations(struct inspection *in, json_t *array, const GENERAL_NAMES *names)
{
	for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *gen = sk_GENERAL_NAME_value(names, i);

		if (gen->type == GEN_URI) {
			append(in, array, asn1_text(gen->d.uniformResourceIdentifier));
		} else {
			json_t *name = general_name_json(gen);

			append(in, array, name ? json_pack("s++", json_string_value(json_object_get(name, "type")), ":",
							   json_string_value(json_object_get(name, "value")))
					       : NULL);
			json_decref(name);
		}
	}
}

/* The extensions shown by name, in the order they are shown; the rest go to "other_extensions". */
enum ext_slot {
	EXT_SAN,
	EXT_KEY_USAGE,
	EXT_EKU,
	EXT_APP_POLICIES,
	EXT_BASIC_CONSTRAINTS,
	EXT_SKI,
	EXT_AKI,
	EXT_CDP,
	EXT_OCSP,
	EXT_CA_ISSUERS,
	EXT_TEMPLATE_NAME,
	EXT_TEMPLATE,
	EXT_TEMPLATE_VERSION,
	EXT_COUNT_
};

static const char *const ext_keys[EXT_COUNT_] = {
	"subject_alt_names", "key_usage", "extended_key_usage", "application_policies", "basic_constraints",
	"subject_key_identifier", "authority_key_identifier", "crl_distribution_points", "ocsp", "ca_issuers",
	"certificate_template_name", "certificate_template", "certificate_template_version",
};

/* {"critical": false, member: value}: the shape of an extension whose criticality matters to Windows. */
static json_t *critical_json(X509_EXTENSION *ext, const char *member, json_t *value)
{
	return json_pack("{s:b, s:o}", "critical", X509_EXTENSION_get_critical(ext), member, value);
}

static json_t *san_json(struct inspection *in, X509_EXTENSION *ext)
{
	GENERAL_NAMES *gens = X509V3_EXT_d2i(ext);
	json_t *names = json_array();

	if (gens == NULL) {
		json_decref(names);
		return NULL;
	}
	for (int i = 0; i < sk_GENERAL_NAME_num(gens); i++)
		append(in, names, general_name_json(sk_GENERAL_NAME_value(gens, i)));
	GENERAL_NAMES_free(gens);
	return critical_json(ext, "names", names);
}

static json_t *key_usage_json(struct inspection *in, X509_EXTENSION *ext)
{
	ASN1_BIT_STRING *bits = X509V3_EXT_d2i(ext);
	json_t *usages = json_array();

	if (bits == NULL) {
		json_decref(usages);
		return NULL;
	}
	for (int bit = 0; bit < KU_BIT_COUNT_; bit++)
		if (ASN1_BIT_STRING_get_bit(bits, bit))
			append(in, usages, json_string(request_key_usage_name(bit)));
	ASN1_BIT_STRING_free(bits);
	return critical_json(ext, "usages", usages);
}

static json_t *eku_json(struct inspection *in, X509_EXTENSION *ext)
{
	EXTENDED_KEY_USAGE *eku = X509V3_EXT_d2i(ext);
	json_t *usages = json_array();

	if (eku == NULL) {
		json_decref(usages);
		return NULL;
	}
	for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
		append(in, usages, usage_json(sk_ASN1_OBJECT_value(eku, i)));
	EXTENDED_KEY_USAGE_free(eku);
	return critical_json(ext, "usages", usages);
}

/* Microsoft's Application Policies have the shape of certificatePolicies: a list of policy OIDs. */
static json_t *app_policies_json(struct inspection *in, X509_EXTENSION *ext)
{
	const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
	const unsigned char *p = ASN1_STRING_get0_data(data);
	CERTIFICATEPOLICIES *policies = d2i_CERTIFICATEPOLICIES(NULL, &p, ASN1_STRING_length(data));
	json_t *list = json_array();

	if (policies == NULL) {
		json_decref(list);
		return NULL;
	}
	for (int i = 0; i < sk_POLICYINFO_num(policies); i++)
		append(in, list, usage_json(sk_POLICYINFO_value(policies, i)->policyid));
	CERTIFICATEPOLICIES_free(policies);
	return critical_json(ext, "policies", list);
}

static json_t *basic_constraints_json(X509_EXTENSION *ext)
{
	BASIC_CONSTRAINTS *bc = X509V3_EXT_d2i(ext);
	json_t *value;

	if (bc == NULL)
		return NULL;
	value = json_pack("{s:b, s:b, s:o}", "critical", X509_EXTENSION_get_critical(ext), "ca", bc->ca != 0,
			  "path_length", bc->pathlen ? json_integer(ASN1_INTEGER_get(bc->pathlen)) : json_null());
	BASIC_CONSTRAINTS_free(bc);
	return value;
}

static json_t *ski_json(X509_EXTENSION *ext)
{
	ASN1_OCTET_STRING *ski = X509V3_EXT_d2i(ext);
	json_t *value;

	if (ski == NULL)
		return NULL;
	value = hex(ASN1_STRING_get0_data(ski), (size_t)ASN1_STRING_length(ski), false);
	ASN1_OCTET_STRING_free(ski);
	return value;
}

static json_t *aki_json(X509_EXTENSION *ext)
{
	AUTHORITY_KEYID *akid = X509V3_EXT_d2i(ext);
	json_t *value;

	if (akid == NULL)
		return NULL;
	value = akid->keyid ? hex(ASN1_STRING_get0_data(akid->keyid), (size_t)ASN1_STRING_length(akid->keyid), false)
			    : json_null();
	AUTHORITY_KEYID_free(akid);
	return value;
}

static json_t *cdp_json(struct inspection *in, X509_EXTENSION *ext)
{
	CRL_DIST_POINTS *points = X509V3_EXT_d2i(ext);
	json_t *list = json_array();

	if (points == NULL) {
		json_decref(list);
		return NULL;
	}
	for (int i = 0; i < sk_DIST_POINT_num(points); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(points, i);

		if (dp->distpoint != NULL && dp->distpoint->type == 0)
			append_locations(in, list, dp->distpoint->name.fullname);
	}
	CRL_DIST_POINTS_free(points);
	return list;
}

/* Authority Information Access: its OCSP responders and CA certificate locations. */
static bool aia_json(struct inspection *in, X509_EXTENSION *ext, json_t **ocsp, json_t **ca_issuers)
{
	AUTHORITY_INFO_ACCESS *aia = X509V3_EXT_d2i(ext);

	if (aia == NULL)
		return false;
	*ocsp = json_array();
	*ca_issuers = json_array();
	for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		GENERAL_NAMES *one = sk_GENERAL_NAME_new_null();
		int nid = OBJ_obj2nid(ad->method);

		if (one == NULL || !sk_GENERAL_NAME_push(one, ad->location)) {
			in->incomplete = true;
		} else if (nid == NID_ad_OCSP) {
			append_locations(in, *ocsp, one);
		} else if (nid == NID_ad_ca_issuers) {
			append_locations(in, *ca_issuers, one);
		}
		sk_GENERAL_NAME_free(one);  /* the names stay aia's */
	}
	AUTHORITY_INFO_ACCESS_free(aia);
	*ocsp = array_or_null(*ocsp);
	*ca_issuers = array_or_null(*ca_issuers);
	return true;
}

/* 1.3.6.1.4.1.311.20.2: the name of the certificate template, a BMPString ("WebServer"). */
static json_t *template_name_json(X509_EXTENSION *ext)
{
	const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
	const unsigned char *p = ASN1_STRING_get0_data(data);
	ASN1_TYPE *value = d2i_ASN1_TYPE(NULL, &p, ASN1_STRING_length(data));
	json_t *name = NULL;

	if (value != NULL && (value->type == V_ASN1_BMPSTRING || value->type == V_ASN1_UTF8STRING ||
			      value->type == V_ASN1_PRINTABLESTRING || value->type == V_ASN1_IA5STRING))
		name = asn1_text(value->value.asn1_string);
	ASN1_TYPE_free(value);
	return name;
}

/* 1.3.6.1.4.1.311.21.7: the template's OID, and its version as certutil writes it ("100.5"). */
static bool template_json(X509_EXTENSION *ext, json_t **oid, json_t **version)
{
	const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
	const unsigned char *p = ASN1_STRING_get0_data(data);
	MS_CERT_TEMPLATE *tmpl = (MS_CERT_TEMPLATE *)ASN1_item_d2i(NULL, &p, ASN1_STRING_length(data),
								   ASN1_ITEM_rptr(MS_CERT_TEMPLATE));
	char buf[128];

	if (tmpl == NULL)
		return false;
	*oid = json_string(oid_text(tmpl->template_id, buf, sizeof(buf)));
	if (tmpl->major_version != NULL) {
		snprintf(buf, sizeof(buf), "%ld.%ld", ASN1_INTEGER_get(tmpl->major_version),
			 tmpl->minor_version ? ASN1_INTEGER_get(tmpl->minor_version) : 0L);
		*version = json_string(buf);
	} else {
		*version = json_null();
	}
	ASN1_item_free((ASN1_VALUE *)tmpl, ASN1_ITEM_rptr(MS_CERT_TEMPLATE));
	return true;
}

/* {"oid", "name", "critical"} for an extension not shown by name, or one that cannot be decoded. */
static json_t *other_extension_json(X509_EXTENSION *ext, bool damaged)
{
	const ASN1_OBJECT *obj = X509_EXTENSION_get_object(ext);
	int nid = OBJ_obj2nid(obj);
	char oid[128], name[192];

	oid_text(obj, oid, sizeof(oid));
	if (nid != NID_undef)
		snprintf(name, sizeof(name), "%s%s", OBJ_nid2ln(nid), damaged ? " (damaged: cannot be decoded)" : "");
	else
		snprintf(name, sizeof(name), "%s", damaged ? "(damaged: cannot be decoded)" : "");
	return json_pack("{s:s, s:o, s:b}", "oid", oid, "name", name[0] ? json_string(name) : json_null(), "critical",
			 X509_EXTENSION_get_critical(ext));
}

static void put_extensions(struct inspection *in, json_t *obj, const STACK_OF(X509_EXTENSION) *exts)
{
	json_t *slots[EXT_COUNT_] = { NULL };
	json_t *other = json_array();

	for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *ext = sk_X509_EXTENSION_value(exts, i);
		char oid[128];
		int slot = -1;
		bool decoded = true;

		oid_text(X509_EXTENSION_get_object(ext), oid, sizeof(oid));
		switch (OBJ_obj2nid(X509_EXTENSION_get_object(ext))) {
		case NID_subject_alt_name: slot = EXT_SAN; break;
		case NID_key_usage: slot = EXT_KEY_USAGE; break;
		case NID_ext_key_usage: slot = EXT_EKU; break;
		case NID_basic_constraints: slot = EXT_BASIC_CONSTRAINTS; break;
		case NID_subject_key_identifier: slot = EXT_SKI; break;
		case NID_authority_key_identifier: slot = EXT_AKI; break;
		case NID_crl_distribution_points: slot = EXT_CDP; break;
		case NID_info_access: slot = EXT_OCSP; break;
		default:
			if (strcmp(oid, OID_MS_APPLICATION_POLICIES) == 0)
				slot = EXT_APP_POLICIES;
			else if (strcmp(oid, OID_MS_TEMPLATE_NAME) == 0)
				slot = EXT_TEMPLATE_NAME;
			else if (strcmp(oid, OID_MS_TEMPLATE_INFO) == 0)
				slot = EXT_TEMPLATE;
			break;
		}
		/* An extension given twice is shown once by name; the repeat is listed with the others. */
		if (slot < 0 || slots[slot] != NULL) {
			append(in, other, other_extension_json(ext, false));
			continue;
		}
		switch (slot) {
		case EXT_SAN: slots[slot] = san_json(in, ext); break;
		case EXT_KEY_USAGE: slots[slot] = key_usage_json(in, ext); break;
		case EXT_EKU: slots[slot] = eku_json(in, ext); break;
		case EXT_APP_POLICIES: slots[slot] = app_policies_json(in, ext); break;
		case EXT_BASIC_CONSTRAINTS: slots[slot] = basic_constraints_json(ext); break;
		case EXT_SKI: slots[slot] = ski_json(ext); break;
		case EXT_AKI: slots[slot] = aki_json(ext); break;
		case EXT_CDP: slots[slot] = cdp_json(in, ext); break;
		case EXT_OCSP: decoded = aia_json(in, ext, &slots[EXT_OCSP], &slots[EXT_CA_ISSUERS]); break;
		case EXT_TEMPLATE_NAME: slots[slot] = template_name_json(ext); break;
		case EXT_TEMPLATE: decoded = template_json(ext, &slots[EXT_TEMPLATE], &slots[EXT_TEMPLATE_VERSION]); break;
		}
		if (slot != EXT_OCSP && slot != EXT_TEMPLATE)
			decoded = slots[slot] != NULL;
		if (!decoded)
			append(in, other, other_extension_json(ext, true));
		ERR_clear_error();
	}
	for (int slot = 0; slot < EXT_COUNT_; slot++)
		put(in, obj, ext_keys[slot], slots[slot] ? slots[slot] : json_null());
	put(in, obj, "other_extensions", array_or_null(other));
}

/* ---- certificates -------------------------------------------------------------- */

/* The serial number's content octets in upper-case hex, as PowerShell's SerialNumber shows them. */
static json_t *serial_json(const ASN1_INTEGER *serial)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	int len = i2d_ASN1_INTEGER(serial, &der), tag, cls;
	long content_len = 0;
	json_t *value = NULL;

	p = der;
	if (len > 0 && !(ASN1_get_object(&p, &content_len, &tag, &cls, len) & 0x80))
		value = hex(p, (size_t)content_len, true);
	OPENSSL_free(der);
	return value;
}

/*
 * What a certificate is: self-signed (X509_self_signed) and a CA
 * (X509_check_ca), asked of its outline where the answer cannot depend on
 * the key (see chain.h).  A certificate whose subject is not its issuer
 * signed nothing itself, and X509_check_ca's rules then read only
 * extensions: a key usage without keyCertSign is no CA; else
 * basicConstraints decides, and without it a key usage with keyCertSign
 * is a CA and nothing is.  Self-issued certificates, Netscape certificate
 * types and damaged extensions are asked of the certificate parsed in full.
 */
struct cert_nature {
	bool self_signed;
	bool ca;
};

static bool may_sign_certificates(X509 *x509)
{
	ASN1_BIT_STRING *usage = X509_get_ext_d2i(x509, NID_key_usage, NULL, NULL);
	bool yes = usage != NULL && ASN1_BIT_STRING_get_bit(usage, 5);  /* keyCertSign */

	ASN1_BIT_STRING_free(usage);
	return yes;
}

static struct cert_nature cert_nature(const struct mkcsr_cert *cert, X509 *outline)
{
	uint32_t flags = X509_get_extension_flags(outline);
	struct cert_nature n = { false, false };
	X509 *full;

	if ((flags & (EXFLAG_INVALID | EXFLAG_SI | EXFLAG_NSCERT)) == 0) {
		if ((flags & EXFLAG_KUSAGE) != 0 && !may_sign_certificates(outline))
			n.ca = false;
		else if ((flags & EXFLAG_BCONS) != 0)
			n.ca = (flags & EXFLAG_CA) != 0;
		else
			n.ca = (flags & EXFLAG_KUSAGE) != 0;
		return n;
	}
	full = chain_x509(cert);
	if (full != NULL) {
		n.self_signed = X509_self_signed(full, 0) == 1;
		n.ca = X509_check_ca(full) != 0;
	}
	ERR_clear_error();
	return n;
}

/* Outside the chain of the first certificate (the key's, or the end-entity one): said so, never "leaf". */
static const char *unrelated_kind(struct cert_nature n)
{
	if (n.self_signed)
		return n.ca ? "unrelated root CA" : "unrelated self-signed";
	return n.ca ? "unrelated intermediate CA" : "unrelated end-entity";
}

static const char *cert_kind(struct cert_nature n)
{
	if (n.self_signed)
		return n.ca ? "root CA" : "self-signed";
	return n.ca ? "intermediate CA" : "leaf";
}

/* status ("valid", "expired", "not yet valid") and days_left: whole days to notAfter, negative once expired. */
static void put_validity(struct inspection *in, json_t *obj, X509 *x509)
{
	ASN1_TIME *at = ASN1_TIME_set(NULL, in->at);
	const ASN1_TIME *not_before = X509_get0_notBefore(x509), *not_after = X509_get0_notAfter(x509);
	long days = 0;

	/* The count check makes too (chain_days_left): whole days, rounded down. */
	if (at == NULL || !chain_days_left(not_after, in->at, &days)) {
		put(in, obj, "status", json_string("unreadable dates"));
		put(in, obj, "days_left", json_null());
	} else {
		if (ASN1_TIME_compare(not_after, at) < 0)
			put(in, obj, "status", json_string("expired"));
		else if (ASN1_TIME_compare(not_before, at) > 0)
			put(in, obj, "status", json_string("not yet valid"));
		else
			put(in, obj, "status", json_string("valid"));
		put(in, obj, "days_left", json_integer(days));
	}
	ASN1_TIME_free(at);
}

/* thumbprint (SHA-1) and sha256_fingerprint of the certificate's DER encoding. */
static void put_fingerprints(struct inspection *in, json_t *obj, X509 *outline)
{
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	int len = i2d_X509(outline, &der);  /* the encoding as read: no trust settings of a TRUSTED CERTIFICATE */
	json_t *thumbprint = json_null();

	/*
	 * The thumbprint as PowerShell writes it (Cert:\LocalMachine\My\<thumbprint>,
	 * Set-RemoteAccess): the form scripts paste.  certlm shows the same digits
	 * in lower case with spaces; one form is enough.
	 */
	if (len > 0 && EVP_Digest(der, (size_t)len, md, &md_len, EVP_sha1(), NULL))
		thumbprint = hex(md, md_len, true);
	put(in, obj, "thumbprint", thumbprint);
	/* Upper case: what Get-FileHash -Algorithm SHA256 prints for the .cer (DER) file. */
	put(in, obj, "sha256_fingerprint", len > 0 ? sha256_hex(der, (size_t)len, true) : json_null());
	OPENSSL_free(der);
}

/*
 * One certificate, described from its outline (see chain.h) and parsed in
 * full only for what needs the key.  file_position: where it stands in a
 * file of several (from 1), or 0.  *nature receives what it is.
 */
static json_t *cert_json(struct inspection *in, const struct mkcsr_cert *cert, size_t file_position,
			 struct cert_nature *nature)
{
	X509 *x509 = chain_outline(cert);
	json_t *obj = x509 != NULL ? json_object() : NULL;
	const X509_ALGOR *sig_alg = NULL;
	char buf[4096];

	if (obj == NULL) {
		X509_free(x509);
		return NULL;
	}
	*nature = cert_nature(cert, x509);
	put(in, obj, "kind", json_string(cert_kind(*nature)));
	if (file_position > 0)
		put(in, obj, "file_position", json_integer((json_int_t)file_position));
	put(in, obj, "subject", shown(chain_name_text(X509_get_subject_name(x509), buf, sizeof(buf))));
	put(in, obj, "issuer", shown(chain_name_text(X509_get_issuer_name(x509), buf, sizeof(buf))));
	put(in, obj, "serial_number", serial_json(X509_get0_serialNumber(x509)));
	put(in, obj, "not_before", iso_time(X509_get0_notBefore(x509)));
	put(in, obj, "not_after", iso_time(X509_get0_notAfter(x509)));
	put_validity(in, obj, x509);
	put_fingerprints(in, obj, x509);
	if (!put_key_outline(in, obj, cert, X509_get_X509_PUBKEY(x509))) {
		X509 *full = chain_x509(cert);

		put_key(in, obj, full != NULL ? X509_get0_pubkey(full) : NULL, X509_get_X509_PUBKEY(x509));
	}
	X509_get0_signature(NULL, &sig_alg, x509);
	put(in, obj, "signature_algorithm", signature_json(sig_alg));
	put(in, obj, "self_signed", json_boolean(nature->self_signed));
	put_extensions(in, obj, X509_get0_extensions(x509));
	X509_free(x509);
	ERR_clear_error();
	return obj;
}

/*
 * The set in chain order: the end-entity certificate (the one that fits
 * key, when given), then its issuers as found by their names and key
 * identifiers, then whatever is not in that chain, in file order.
 * order[] receives indexes into set; returns the length of the chain.
 */
static size_t chain_order(struct inspection *in, const struct mkcsr_certset *set, EVP_PKEY *key, size_t *order)
{
	const struct mkcsr_cert *leaf = key ? chain_find_leaf(set, key, NULL) : NULL;
	bool keys_own = leaf != NULL;
	bool *used = calloc(set->count, sizeof(*used));
	size_t n = 0, chain_len;

	if (used == NULL) {
		in->incomplete = true;
		for (size_t i = 0; i < set->count; i++)
			order[i] = i;
		return set->count;
	}
	if (leaf == NULL)
		leaf = chain_find_leaf(set, NULL, NULL);
	/*
	 * Only CA certificates (an intermediate and its root): start from the one
	 * that issued none of the others.  The key's own certificate always heads
	 * its chain, CA or not: what the key signs with is what the file is for.
	 */
	if (!keys_own && chain_x509(leaf) != NULL && X509_check_ca(chain_x509(leaf)) != 0 && chain_find_lowest(set) != NULL)
		leaf = chain_find_lowest(set);
	order[n] = (size_t)(leaf - set->items);
	used[order[n++]] = true;
	/* Issuers come once each and never the leaf: they fit in the rest of order[]. */
	chain_len = 1 + (chain_x509(leaf) != NULL ? chain_issuer_positions(set, chain_x509(leaf), order + 1) : 0);
	for (; n < chain_len; n++)
		used[order[n]] = true;
	for (size_t i = 0; i < set->count; i++)
		if (!used[i])
			order[n++] = i;
	free(used);
	ERR_clear_error();
	return chain_len;
}

/* Certificate i of the ordered set (of chain_len in the chain), with what only a file of several says. */
static json_t *set_member_json(struct inspection *in, const struct mkcsr_certset *set, const size_t *order, size_t i,
			       size_t chain_len, bool as_set)
{
	struct cert_nature nature;
	json_t *cert = cert_json(in, &set->items[order[i]], as_set ? order[i] + 1 : 0, &nature);

	if (cert != NULL && as_set) {
		json_t *signed_by_next = json_null();

		/* The next one's name and key identifier matched when the chain was built: does its key verify? */
		if (i + 1 < chain_len) {
			X509 *x509 = chain_x509(&set->items[order[i]]), *next = chain_x509(&set->items[order[i + 1]]);

			signed_by_next = json_boolean(x509 != NULL && next != NULL &&
						      X509_verify(x509, X509_get0_pubkey(next)) == 1);
		}
		put(in, cert, "in_chain", json_boolean(i < chain_len));
		if (i >= chain_len)
			put(in, cert, "kind", json_string(unrelated_kind(nature)));
		put(in, cert, "signed_by_next", signed_by_next);
		ERR_clear_error();
	}
	if (cert == NULL)
		in->incomplete = true;
	return cert;
}

/*
 * "certificates": every certificate of set, in chain order.  as_set adds
 * what only a file of several says: where each one stands in the file,
 * whether it is in the leaf's chain and whether the next one signed it,
 * and whether the file has them in that order and up to a root.  With a
 * stream (stream_ok), the certificates go to it one by one instead, each
 * parsed only while it is described.
 */
static void put_certificates(struct inspection *in, json_t *doc, const struct mkcsr_certset *set, EVP_PKEY *key,
			     bool as_set, size_t *order, bool stream_ok)
{
	const struct inspect_stream *stream = stream_ok ? in->stream : NULL;
	json_t *list = stream ? NULL : json_array();
	size_t chain_len = chain_order(in, set, key, order);
	bool in_file_order = true;

	for (size_t i = 0; i < set->count; i++)
		in_file_order = in_file_order && order[i] == i;
	if (as_set) {
		X509 *top = chain_x509(&set->items[order[chain_len - 1]]);

		put(in, doc, "certificate_count", json_integer((json_int_t)set->count));
		put(in, doc, "in_file_order", json_boolean(in_file_order));
		put(in, doc, "chain_complete", json_boolean(top != NULL && chain_is_self_signed(top) == 1));
	}
	if (stream != NULL)
		stream->head(stream->arg, doc);
	for (size_t i = 0; i < set->count; i++) {
		json_t *cert = set_member_json(in, set, order, i, chain_len, as_set);

		if (stream == NULL) {
			append(in, list, cert);
			continue;
		}
		if (cert != NULL)
			stream->certificate(stream->arg, cert, i + 1, set->count);
		json_decref(cert);
		/* Past the chain a certificate is looked at once: its parsed form goes (the set keeps its DER). */
		if (i >= chain_len)
			chain_release(&set->items[order[i]]);
	}
	if (stream == NULL)
		put(in, doc, "certificates", list);
}

/* A certificate file: PEM with one or many certificates, DER, or PKCS#7 in PEM or DER. */
static enum mkcsr_err certificates_doc(struct inspection *in, json_t *doc, const unsigned char *data, size_t len,
				       bool pkcs7, bool der)
{
	struct mkcsr_certset set = { 0 };
	size_t *order = NULL;
	enum mkcsr_err rc = chain_load_buffer(&set, data, len, in->path);

	if (rc != MKCSR_E_OK) {
		chain_clear(&set);  /* what was read before the damage */
		return rc;
	}
	order = calloc(set.count, sizeof(*order));
	if (order == NULL) {
		chain_clear(&set);
		return err_set(MKCSR_E_NOMEM, "reading '%s'", in->path);
	}
	put(in, doc, "type", json_string(pkcs7 ? "pkcs7" : set.count == 1 ? "certificate" : "bundle"));
	put(in, doc, "format", json_string(der ? "DER" : "PEM"));
	put_certificates(in, doc, &set, NULL, pkcs7 || set.count > 1, order, true);
	free(order);
	chain_clear(&set);
	return MKCSR_E_OK;
}

/* ---- certificate requests ---------------------------------------------------------- */

/* The Windows release for 1.3.6.1.4.1.311.13.2.3 "10.0.19045.2" (major.minor.build.platform). */
static const char *windows_release(const char *version)
{
	static const struct {
		const char *build;
		const char *release;
	} builds[] = {
		{ "5.2.3790", "Windows Server 2003" },
		{ "6.0.6001", "Windows Vista SP1 / Windows Server 2008" },
		{ "6.0.6002", "Windows Vista SP2 / Windows Server 2008 SP2" },
		{ "6.1.7600", "Windows 7 / Windows Server 2008 R2" },
		{ "6.1.7601", "Windows 7 SP1 / Windows Server 2008 R2 SP1" },
		{ "6.2.9200", "Windows 8 / Windows Server 2012" },
		{ "6.3.9600", "Windows 8.1 / Windows Server 2012 R2" },
		{ "10.0.10240", "Windows 10 1507" },
		{ "10.0.10586", "Windows 10 1511" },
		{ "10.0.14393", "Windows 10 1607 / Windows Server 2016" },
		{ "10.0.15063", "Windows 10 1703" },
		{ "10.0.16299", "Windows 10 1709" },
		{ "10.0.17134", "Windows 10 1803" },
		{ "10.0.17763", "Windows 10 1809 / Windows Server 2019" },
		{ "10.0.18362", "Windows 10 1903" },
		{ "10.0.18363", "Windows 10 1909" },
		{ "10.0.19041", "Windows 10 2004" },
		{ "10.0.19042", "Windows 10 20H2" },
		{ "10.0.19043", "Windows 10 21H1" },
		{ "10.0.19044", "Windows 10 21H2" },
		{ "10.0.19045", "Windows 10 22H2" },
		{ "10.0.20348", "Windows Server 2022" },
		{ "10.0.22000", "Windows 11 21H2" },
		{ "10.0.22621", "Windows 11 22H2" },
		{ "10.0.22631", "Windows 11 23H2" },
		{ "10.0.26100", "Windows 11 24H2 / Windows Server 2025" },
	};

	for (size_t i = 0; i < sizeof(builds) / sizeof(builds[0]); i++) {
		size_t len = strlen(builds[i].build);

		if (strncmp(version, builds[i].build, len) == 0 && (version[len] == '.' || version[len] == '\0'))
			return builds[i].release;
	}
	return NULL;
}

/* MS-WCCE / certenroll.h RequestClientInfoClientId: which program made the request. */
static const char *client_id_name(long id)
{
	static const char *const names[] = {
		"ClientIdNone", "ClientIdXEnroll2003", "ClientIdAutoEnroll2003", "ClientIdWizard2003",
		"ClientIdCertReq2003", "ClientIdDefaultRequest", "ClientIdAutoEnroll", "ClientIdRequestWizard",
		"ClientIdEOBO", "ClientIdCertReq", "ClientIdTest", "ClientIdWinRT",
	};

	if (id >= 0 && id < (long)(sizeof(names) / sizeof(names[0])))
		return names[id];
	return id >= 1000 ? "ClientIdUserStart and above (a custom application)" : NULL;
}

static const char *key_spec_name(long spec)
{
	switch (spec) {
	case 0: return "a CNG key storage provider (no CryptoAPI key spec)";
	case 1: return "AT_KEYEXCHANGE (a CryptoAPI provider)";
	case 2: return "AT_SIGNATURE (a CryptoAPI provider)";
	}
	return NULL;
}

/* The DER of a SEQUENCE attribute value, decoded with one of the templates of msasn1.h. */
static ASN1_VALUE *attribute_item(const ASN1_TYPE *value, const ASN1_ITEM *item)
{
	const unsigned char *p;

	if (value == NULL || value->type != V_ASN1_SEQUENCE)
		return NULL;
	p = ASN1_STRING_get0_data(value->value.sequence);
	return ASN1_item_d2i(NULL, &p, ASN1_STRING_length(value->value.sequence), item);
}

static json_t *client_info_json(const ASN1_TYPE *value)
{
	MS_CLIENT_INFO *info = (MS_CLIENT_INFO *)attribute_item(value, ASN1_ITEM_rptr(MS_CLIENT_INFO));
	const char *name;
	json_t *obj;
	long id;

	if (info == NULL)
		return NULL;
	id = ASN1_INTEGER_get(info->client_id);
	name = client_id_name(id);
	obj = json_pack("{s:I, s:o, s:o, s:o, s:o}", "client_id", (json_int_t)id, "client_id_name",
			name ? json_string(name) : json_null(), "machine", asn1_text(info->machine), "user",
			asn1_text(info->user), "process", asn1_text(info->process));
	ASN1_item_free((ASN1_VALUE *)info, ASN1_ITEM_rptr(MS_CLIENT_INFO));
	return obj;
}

static json_t *enrollment_csp_json(const ASN1_TYPE *value)
{
	MS_ENROLL_CSP *csp = (MS_ENROLL_CSP *)attribute_item(value, ASN1_ITEM_rptr(MS_ENROLL_CSP));
	const char *name;
	json_t *obj;
	long spec, bits;

	if (csp == NULL)
		return NULL;
	spec = ASN1_INTEGER_get(csp->key_spec);
	name = key_spec_name(spec);
	bits = 8L * ASN1_STRING_length(csp->signature) - (csp->signature->flags & ASN1_STRING_FLAG_BITS_LEFT
								   ? (long)(csp->signature->flags & 0x07) : 0L);
	obj = json_pack("{s:I, s:o, s:o, s:I}", "key_spec", (json_int_t)spec, "key_spec_name",
			name ? json_string(name) : json_null(), "provider", asn1_text(csp->provider), "signature_bits",
			(json_int_t)(bits > 0 ? bits : 0));
	ASN1_item_free((ASN1_VALUE *)csp, ASN1_ITEM_rptr(MS_ENROLL_CSP));
	return obj;
}

/* os_version, os_release, client_info, enrollment_csp and the other attributes, by name only. */
static void put_attributes(struct inspection *in, json_t *obj, X509_REQ *req)
{
	json_t *os_version = json_null(), *os_release = json_null(), *client_info = json_null();
	json_t *csp = json_null(), *other = json_array();

	for (int i = 0; i < X509_REQ_get_attr_count(req); i++) {
		X509_ATTRIBUTE *attr = X509_REQ_get_attr(req, i);
		const ASN1_OBJECT *obj_id = X509_ATTRIBUTE_get0_object(attr);
		const ASN1_TYPE *value = X509_ATTRIBUTE_get0_type(attr, 0);
		int nid = OBJ_obj2nid(obj_id);
		json_t *decoded = NULL;
		char oid[128], name[192];

		if (nid == NID_ext_req || nid == NID_ms_ext_req)
			continue;
		oid_text(obj_id, oid, sizeof(oid));
		if (strcmp(oid, OID_MS_OS_VERSION) == 0 && json_is_null(os_version) && value != NULL &&
		    value->type == V_ASN1_IA5STRING) {
			json_decref(os_version);
			os_version = asn1_text(value->value.ia5string);
			if (os_version != NULL && windows_release(json_string_value(os_version)) != NULL) {
				json_decref(os_release);
				os_release = json_string(windows_release(json_string_value(os_version)));
			}
			continue;
		}
		if (strcmp(oid, OID_MS_CLIENT_INFO) == 0 && json_is_null(client_info) &&
		    (decoded = client_info_json(value)) != NULL) {
			json_decref(client_info);
			client_info = decoded;
			continue;
		}
		if (strcmp(oid, OID_MS_ENROLLMENT_CSP) == 0 && json_is_null(csp) &&
		    (decoded = enrollment_csp_json(value)) != NULL) {
			json_decref(csp);
			csp = decoded;
			continue;
		}
		/* Anything else by name only: a challengePassword's value is a secret. */
		if (strcmp(oid, OID_MS_OS_VERSION) == 0 || strcmp(oid, OID_MS_CLIENT_INFO) == 0 ||
		    strcmp(oid, OID_MS_ENROLLMENT_CSP) == 0)
			snprintf(name, sizeof(name), "(damaged or repeated: cannot be decoded)");
		else if (nid == NID_pkcs9_challengePassword)
			snprintf(name, sizeof(name), "%s (value not shown)", OBJ_nid2ln(nid));
		else
			snprintf(name, sizeof(name), "%s", nid != NID_undef ? OBJ_nid2ln(nid) : "");
		append(in, other, json_pack("{s:s, s:o}", "oid", oid, "name", name[0] ? json_string(name) : json_null()));
	}
	put(in, obj, "os_version", os_version);
	put(in, obj, "os_release", os_release);
	put(in, obj, "client_info", client_info);
	put(in, obj, "enrollment_csp", csp);
	put(in, obj, "other_attributes", array_or_null(other));
}

static json_t *request_json(struct inspection *in, X509_REQ *req)
{
	json_t *obj = json_object();
	const X509_ALGOR *sig_alg = NULL;
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	EVP_PKEY *pkey = X509_REQ_get0_pubkey(req);
	char buf[4096];

	if (obj == NULL) {
		sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
		return NULL;
	}
	put(in, obj, "subject", shown(chain_name_text(X509_REQ_get_subject_name(req), buf, sizeof(buf))));
	put_key(in, obj, pkey, X509_REQ_get_X509_PUBKEY(req));
	X509_REQ_get0_signature(req, NULL, &sig_alg);
	put(in, obj, "signature_algorithm", signature_json(sig_alg));
	put(in, obj, "signature_verifies", json_boolean(pkey != NULL && X509_REQ_verify(req, pkey) == 1));
	put_extensions(in, obj, exts);
	put_attributes(in, obj, req);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	ERR_clear_error();
	return obj;
}

static enum mkcsr_err request_doc(struct inspection *in, json_t *doc, const unsigned char *data, size_t len)
{
	X509_REQ *req = NULL;
	char format[96];

	if (data[0] == 0x30) {
		const unsigned char *p = data;

		req = d2i_X509_REQ(NULL, &p, (long)len);
		snprintf(format, sizeof(format), "DER");
	} else {
		if (input_load_csr_buffer(data, len, in->path, &req) != MKCSR_E_OK)
			return err_set(MKCSR_E_MALFORMED, "'%s': the certificate request is damaged or truncated", in->path);
		snprintf(format, sizeof(format), "Base64 (BEGIN %sCERTIFICATE REQUEST), %s line ends",
			 memmem(data, len, "-----BEGIN NEW CERTIFICATE REQUEST-----", 39) ? "NEW " : "",
			 memchr(data, '\r', len) ? "CRLF" : "LF");
	}
	if (req == NULL)
		return err_set(MKCSR_E_MALFORMED, "'%s': the certificate request is damaged or truncated", in->path);
	put(in, doc, "type", json_string("csr"));
	put(in, doc, "format", json_string(format));
	put(in, doc, "request", request_json(in, req));
	X509_REQ_free(req);
	return MKCSR_E_OK;
}

static void put_encryption(struct inspection *in, json_t *obj, const struct mkcsr_pbe *pbe)
{
	put(in, obj, "encryption", pbe ? json_string(pbe->text) : json_null());
	put(in, obj, "iterations", pbe && pbe->iterations >= 0 ? json_integer(pbe->iterations) : json_null());
}

/* ---- private keys ----------------------------------------------------------------- */

/* Gives OpenSSL the passphrase, if there is one: never a prompt of OpenSSL's own. */
static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	const struct inspection *in = u;
	const char *pass = in->pass;
	size_t len;

	(void)rwflag;
	if (pass == NULL)
		return -1;
	len = strlen(pass);
	if (len >= (size_t)size)
		return -1;
	memcpy(buf, pass, len);
	return (int)len;
}

static bool is_key_label(const char *label)
{
	size_t len = strlen(label);

	return len >= 11 && strcmp(label + len - 11, "PRIVATE KEY") == 0;
}

/* The key as found in the file, before any decryption. */
struct key_file {
	char format[96];
	bool encrypted;
	struct mkcsr_pbe pbe;             /* when encrypted */
	X509_SIG *encrypted_p8;          /* EncryptedPrivateKeyInfo, or NULL */
	PKCS8_PRIV_KEY_INFO *p8;         /* PrivateKeyInfo, or NULL */
	bool traditional_der;            /* a DER PKCS#1 or SEC1 key (a PEM one is read again from the file) */
};

static void key_file_clear(struct key_file *kf)
{
	X509_SIG_free(kf->encrypted_p8);
	PKCS8_PRIV_KEY_INFO_free(kf->p8);
}

/* What kind of key file data is; false when it is not a key at all. */
static bool key_file_read(const unsigned char *data, size_t len, struct key_file *kf)
{
	const unsigned char *p = data;

	memset(kf, 0, sizeof(*kf));
	if (data[0] == 0x30) {
		EVP_PKEY *probe;

		kf->encrypted_p8 = d2i_X509_SIG(NULL, &p, (long)len);
		if (kf->encrypted_p8 != NULL && p != data + len) {
			X509_SIG_free(kf->encrypted_p8);
			kf->encrypted_p8 = NULL;
		}
		if (kf->encrypted_p8 == NULL) {
			p = data;
			kf->p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
			if (kf->p8 != NULL && p != data + len) {
				PKCS8_PRIV_KEY_INFO_free(kf->p8);
				kf->p8 = NULL;
			}
		}
		snprintf(kf->format, sizeof(kf->format), "PKCS#8 DER");
		if (kf->encrypted_p8 == NULL && kf->p8 == NULL) {
			/* A traditional key (PKCS#1 RSAPrivateKey, SEC1 ECPrivateKey): only decoding it tells. */
			p = data;
			probe = d2i_AutoPrivateKey(NULL, &p, (long)len);
			kf->traditional_der = probe != NULL && p == data + len;
			EVP_PKEY_free(probe);
			if (!kf->traditional_der)
				return false;
			snprintf(kf->format, sizeof(kf->format), "traditional DER");
		}
	} else {
		BIO *mem = BIO_new_mem_buf(data, (int)len);
		char *name = NULL, *header = NULL;
		unsigned char *der = NULL;
		long der_len = 0;
		bool found = false;

		while (mem != NULL && !found && PEM_read_bio(mem, &name, &header, &der, &der_len)) {
			p = der;
			if (strcmp(name, "ENCRYPTED PRIVATE KEY") == 0) {
				kf->encrypted_p8 = d2i_X509_SIG(NULL, &p, der_len);
				found = kf->encrypted_p8 != NULL;
				snprintf(kf->format, sizeof(kf->format), "PKCS#8 PEM");
			} else if (strcmp(name, "PRIVATE KEY") == 0) {
				kf->p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, der_len);
				found = kf->p8 != NULL;
				snprintf(kf->format, sizeof(kf->format), "PKCS#8 PEM");
			} else if (is_key_label(name)) {
				/* "Proc-Type: 4,ENCRYPTED" and "DEK-Info: AES-256-CBC,<IV>": OpenSSL's old PEM encryption. */
				const char *dek = strstr(header, "DEK-Info: ");

				found = true;
				kf->encrypted = strstr(header, "ENCRYPTED") != NULL;
				snprintf(kf->format, sizeof(kf->format), "traditional PEM (%s)", name);
				if (kf->encrypted) {
					snprintf(kf->pbe.text, sizeof(kf->pbe.text), "PEM encryption: %.*s, key from one MD5 round",
						 dek ? (int)strcspn(dek + 10, ",\r\n") : 9, dek ? dek + 10 : "(unknown)");
					kf->pbe.iterations = 1;
				}
			}
			OPENSSL_free(name);
			OPENSSL_free(header);
			OPENSSL_clear_free(der, (size_t)der_len);
			name = header = NULL;
			der = NULL;
		}
		BIO_free(mem);
		if (!found)
			return false;
	}
	if (kf->encrypted_p8 != NULL) {
		const X509_ALGOR *alg = NULL;

		X509_SIG_get0(kf->encrypted_p8, &alg, NULL);
		kf->encrypted = true;
		pfxread_describe_pbe(alg, &kf->pbe);
	}
	return true;
}

/* The key itself, decrypted with the passphrase when it is encrypted. */
static enum mkcsr_err key_file_open(struct inspection *in, struct key_file *kf, const unsigned char *data, size_t len,
				    EVP_PKEY **out)
{
	PKCS8_PRIV_KEY_INFO *decrypted = NULL;

	*out = NULL;
	if (kf->encrypted && kf->pbe.legacy) {
		enum mkcsr_err rc = pfxread_need_legacy(in->path, "the key is", kf->pbe.text);

		if (rc != MKCSR_E_OK)
			return rc;
	}
	if (kf->encrypted_p8 != NULL) {
		decrypted = PKCS8_decrypt(kf->encrypted_p8, in->pass, (int)strlen(in->pass));
		if (decrypted != NULL)
			*out = EVP_PKCS82PKEY(decrypted);
		PKCS8_PRIV_KEY_INFO_free(decrypted);
		if (decrypted == NULL)
			return err_set(MKCSR_E_MALFORMED, "'%s': the passphrase is wrong, or the key is damaged", in->path);
	} else if (kf->p8 != NULL) {
		*out = EVP_PKCS82PKEY(kf->p8);
	} else if (kf->traditional_der) {
		const unsigned char *p = data;

		*out = d2i_AutoPrivateKey(NULL, &p, (long)len);
	} else {
		BIO *mem = BIO_new_mem_buf(data, (int)len);

		*out = mem ? PEM_read_bio_PrivateKey(mem, NULL, pass_cb, in) : NULL;
		BIO_free(mem);
		if (*out == NULL && kf->encrypted)
			return err_set(MKCSR_E_MALFORMED, "'%s': the passphrase is wrong, or the key is damaged", in->path);
	}
	if (*out == NULL)
		return err_set(MKCSR_E_MALFORMED, "'%s': the private key is damaged, or of a kind OpenSSL cannot read",
			       in->path);
	return MKCSR_E_OK;
}

static enum mkcsr_err key_doc(struct inspection *in, json_t *doc, const unsigned char *data, size_t len)
{
	struct key_file kf;
	EVP_PKEY *pkey = NULL;
	json_t *obj = NULL;
	struct stat st;
	char mode[8], role[64];
	enum mkcsr_err rc = MKCSR_E_OK;

	if (!key_file_read(data, len, &kf)) {
		key_file_clear(&kf);
		return err_set(MKCSR_E_MALFORMED, "'%s': the private key is damaged or truncated", in->path);
	}
	if (!kf.encrypted || in->pass != NULL)
		rc = key_file_open(in, &kf, data, len, &pkey);
	if (rc != MKCSR_E_OK)
		goto done;
	obj = json_object();
	if (obj == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "describing '%s'", in->path);
		goto done;
	}
	put(in, doc, "type", json_string("private-key"));
	put(in, doc, "format", json_string(kf.format));
	put(in, obj, "encrypted", json_boolean(kf.encrypted));
	put_encryption(in, obj, kf.encrypted ? &kf.pbe : NULL);
	put_key(in, obj, pkey, NULL);
	snprintf(mode, sizeof(mode), "%04o", stat(in->path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0u);
	put(in, obj, "file_mode", json_string(mode));
	input_key_role(in->path, role, sizeof(role));
	put(in, obj, "role", role[0] ? text(role) : json_null());
	put(in, obj, "note",
	    pkey == NULL ? json_string("the key is encrypted: give its passphrase with --pass SOURCE to see its algorithm "
				       "and public-key hash")
			 : json_null());
	put(in, doc, "key", obj);
	obj = NULL;

done:
	json_decref(obj);
	EVP_PKEY_free(pkey);
	key_file_clear(&kf);
	return rc;
}

/* ---- PFX (PKCS#12): pfxread.c decodes, this renders ----------------------------------- */

static void put_pbe(struct inspection *in, json_t *obj, bool encrypted, const struct mkcsr_pbe *pbe)
{
	put_encryption(in, obj, encrypted ? pbe : NULL);
}

static json_t *bag_json(struct inspection *in, const struct mkcsr_pfx_bag *bag, size_t cert_number)
{
	json_t *obj = json_object(), *other = json_array();
	bool key_bag = bag->kind == MKCSR_BAG_KEY || bag->kind == MKCSR_BAG_SHROUDED_KEY;

	if (obj == NULL) {
		json_decref(other);
		return NULL;
	}
	put(in, obj, "kind", json_string(pfxread_bag_kind_name(bag->kind)));
	put(in, obj, "safe", json_integer((json_int_t)bag->safe));
	put(in, obj, "certificate", cert_number ? json_integer((json_int_t)cert_number) : json_null());
	put(in, obj, "key", bag->key ? json_integer((json_int_t)bag->key) : json_null());
	put_pbe(in, obj, bag->encrypted, &bag->pbe);
	put(in, obj, "friendly_name", shown(bag->friendly_name_shown));
	/* Upper case, as the thumbprint it usually is. */
	put(in, obj, "local_key_id", bag->local_key_id ? hex(bag->local_key_id, bag->local_key_id_len, true) : json_null());
	put(in, obj, "csp_name", shown(bag->csp_name_shown));
	put(in, obj, "machine_keyset", key_bag ? json_boolean(bag->machine_keyset) : json_null());
	for (size_t i = 0; other != NULL && i < bag->other_count; i++)
		append(in, other, json_pack("{s:s, s:o}", "oid", bag->other[i].oid, "name",
					    bag->other[i].name ? json_string(bag->other[i].name) : json_null()));
	put(in, obj, "other_attributes", array_or_null(other));
	return obj;
}

/*
 * Which bag carries which friendlyName, and what Windows makes of it
 * (windows-reference section 3): the name certlm shows on a certificate
 * bag, the key container name on a key bag.  Every key bag is listed,
 * named or not; other bags only when named.
 */
static json_t *friendly_names_json(struct inspection *in, const struct mkcsr_pfx_file *pfx)
{
	json_t *list = json_array();

	for (size_t i = 0; list != NULL && i < pfx->bag_count; i++) {
		const struct mkcsr_pfx_bag *bag = &pfx->bags[i];
		bool key_bag = bag->kind == MKCSR_BAG_KEY || bag->kind == MKCSR_BAG_SHROUDED_KEY;
		const char *use;

		if (!key_bag && bag->friendly_name == NULL)
			continue;
		if (bag->kind == MKCSR_BAG_CERT)
			use = "certlm shows it as the certificate's name";
		else if (!key_bag)
			use = "Windows does not read it";
		else if (bag->friendly_name != NULL)
			use = "Windows takes it as the key container name: every import asks for the same one";
		else
			use = "no name: Windows makes a unique key container name";
		append(in, list, json_pack("{s:I, s:s, s:o, s:s}", "bag", (json_int_t)i + 1, "bag_kind",
					   pfxread_bag_kind_name(bag->kind), "friendly_name", shown(bag->friendly_name_shown),
					   "windows_use", use));
	}
	return array_or_null(list);
}

static void put_windows(struct inspection *in, json_t *doc, const struct mkcsr_pfx_file *pfx)
{
	enum mkcsr_pfx_profile profile = MKCSR_PFX_COMPAT;
	bool is_profile;
	char note[320];

	put(in, doc, "imports_on", json_string(pfx_profile_windows(pfxread_windows(pfx, &is_profile, &profile))));
	put(in, doc, "mkcsr_profile", is_profile ? json_string(pfx_profile_key(profile)) : json_null());
	if (pfx->legacy_algorithm[0] != '\0') {
		snprintf(note, sizeof(note), "%s needs the legacy provider in OpenSSL (loaded to read this file); "
			 "Windows imports it", pfx->legacy_algorithm);
		put(in, doc, "openssl_note", json_string(note));
	} else {
		put(in, doc, "openssl_note", json_null());
	}
}

/* protection_note: "this PFX is not protected by a password: ...", or null when it is. */
static void put_protection(struct inspection *in, json_t *doc, const struct mkcsr_pfx_file *pfx)
{
	const char *note = pfxread_protection_note(pfx);
	char text[256];

	if (note == NULL) {
		put(in, doc, "protection_note", json_null());
		return;
	}
	snprintf(text, sizeof(text), "this PFX %s", note);
	put(in, doc, "protection_note", json_string(text));
}

/* The keys, each with the number of the certificate (in chain order) it belongs to. */
static json_t *keys_json(struct inspection *in, const struct mkcsr_pfx_file *pfx, const size_t *order)
{
	json_t *keys = json_array();

	for (size_t k = 0; keys != NULL && k < pfx->key_count; k++) {
		json_t *key = json_object();
		json_t *match = json_null();

		if (key == NULL) {
			in->incomplete = true;
			break;
		}
		put_key(in, key, pfx->keys[k], NULL);
		for (size_t i = 0; i < pfx->certs.count && json_is_null(match); i++) {
			X509 *x509 = chain_x509(&pfx->certs.items[order[i]]);

			if (X509_get0_pubkey(x509) != NULL && EVP_PKEY_eq(X509_get0_pubkey(x509), pfx->keys[k]) == 1)
				match = json_integer((json_int_t)i + 1);
		}
		put(in, key, "matches_certificate", match);
		append(in, keys, key);
	}
	return array_or_null(keys);
}

static json_t *safes_json(struct inspection *in, const struct mkcsr_pfx_file *pfx)
{
	json_t *safes = json_array();

	for (size_t i = 0; safes != NULL && i < pfx->safe_count; i++) {
		json_t *obj = json_object();

		if (obj == NULL) {
			in->incomplete = true;
			break;
		}
		put(in, obj, "kind", json_string(pfx->safes[i].encrypted ? "encrypted" : "plain"));
		put_pbe(in, obj, pfx->safes[i].encrypted, &pfx->safes[i].pbe);
		put(in, obj, "bag_count", json_integer((json_int_t)pfx->safes[i].bag_count));
		append(in, safes, obj);
	}
	return safes;
}

/* The first key whose certificate is in the file, else the first key; NULL without keys. */
static EVP_PKEY *owned_key(const struct mkcsr_pfx_file *pfx)
{
	for (size_t k = 0; k < pfx->key_count; k++)
		for (size_t i = 0; i < pfx->certs.count; i++)
			if (EVP_PKEY_eq(X509_get0_pubkey(chain_x509(&pfx->certs.items[i])), pfx->keys[k]) == 1)
				return pfx->keys[k];
	return pfx->key_count > 0 ? pfx->keys[0] : NULL;
}

/* private_key_in_file on each certificate (in chain order): whether the file holds its private key. */
static void put_key_owners(struct inspection *in, json_t *certs, const struct mkcsr_pfx_file *pfx, const size_t *order)
{
	for (size_t i = 0; i < pfx->certs.count && i < json_array_size(certs); i++) {
		X509 *x509 = chain_x509(&pfx->certs.items[order[i]]);
		bool owned = false;

		for (size_t k = 0; k < pfx->key_count && !owned; k++)
			owned = X509_get0_pubkey(x509) != NULL && EVP_PKEY_eq(X509_get0_pubkey(x509), pfx->keys[k]) == 1;
		put(in, json_array_get(certs, i), "private_key_in_file", json_boolean(owned));
	}
	ERR_clear_error();
}

static enum mkcsr_err pfx_doc(struct inspection *in, json_t *doc, const unsigned char *data, size_t len)
{
	struct mkcsr_pfx_file pfx;
	json_t *bags = NULL;
	size_t *order = NULL, *rank = NULL;
	enum mkcsr_err rc = pfxread_decode(in->path, data, len, in->pass, &pfx);

	if (rc != MKCSR_E_OK)
		return rc;
	put(in, doc, "type", json_string("pfx"));
	put(in, doc, "format", json_string("DER (PKCS#12)"));
	put(in, doc, "mac", json_string(pfx.mac[0] ? pfx.mac : "none (no integrity check)"));
	put(in, doc, "mac_iterations", pfx.mac_iterations >= 0 ? json_integer(pfx.mac_iterations) : json_null());
	put_windows(in, doc, &pfx);
	put_protection(in, doc, &pfx);
	put(in, doc, "certificate_count", json_integer((json_int_t)pfx.certs.count));
	put(in, doc, "key_count", json_integer((json_int_t)pfx.key_count));

	/* The certificates and keys first, in chain order; then the safes and bags they came in, in file order. */
	order = calloc(pfx.certs.count + 1, sizeof(*order));
	rank = calloc(pfx.certs.count + 1, sizeof(*rank));
	bags = json_array();
	if (order == NULL || rank == NULL || bags == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading '%s'", in->path);
		goto done;
	}
	if (pfx.certs.count > 0) {
		put_certificates(in, doc, &pfx.certs, owned_key(&pfx), true, order, false);
		for (size_t i = 0; i < pfx.certs.count; i++)
			rank[order[i]] = i + 1;
		put_key_owners(in, json_object_get(doc, "certificates"), &pfx, order);
	} else {
		put(in, doc, "certificates", json_null());
	}
	put(in, doc, "keys", keys_json(in, &pfx, order));
	put(in, doc, "friendly_names", friendly_names_json(in, &pfx));
	put(in, doc, "safes", safes_json(in, &pfx));
	for (size_t i = 0; i < pfx.bag_count; i++)
		append(in, bags, bag_json(in, &pfx.bags[i], pfx.bags[i].cert ? rank[pfx.bags[i].cert - 1] : 0));
	put(in, doc, "bags", bags);
	bags = NULL;
	ERR_clear_error();

done:
	json_decref(bags);
	free(order);
	free(rank);
	pfxread_clear(&pfx);
	return rc;
}

/* ---- certreq INF files ------------------------------------------------------------------ */

static json_t *string_list(struct inspection *in, char **items, size_t count)
{
	json_t *list = json_array();

	for (size_t i = 0; list != NULL && i < count; i++)
		append(in, list, text(items[i]));
	return array_or_null(list);
}

/* The request that mkcsr new --inf makes from the file: its key is made only then, so there is no key hash. */
static const char *inf_encoding(const unsigned char *data, size_t len)
{
	if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
		return "UTF-16LE with a byte-order mark";
	if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
		return "UTF-16BE with a byte-order mark";
	if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
		return "UTF-8 with a byte-order mark";
	return memchr(data, '\0', len) ? "UTF-16 without a byte-order mark" : "UTF-8";
}

/* The subject an INF file asks for, written as every command writes names (chain_name_text); malloc'ed. */
static char *inf_subject_text(const struct mkcsr_subject *subject)
{
	X509_NAME *name = NULL;
	char buf[4096];
	char *text;

	if (subject_to_x509_name(subject, &name) != MKCSR_E_OK)
		return NULL;
	text = strdup(X509_NAME_entry_count(name) == 0 ? "" : chain_name_text(name, buf, sizeof(buf)));
	X509_NAME_free(name);
	return text;
}

static enum mkcsr_err inf_doc(struct inspection *in, json_t *doc, const unsigned char *data, size_t len)
{
	struct inf_file inf = { 0 };
	struct mkcsr_request req;
	json_t *obj = NULL, *names = NULL, *ekus = NULL, *usages = NULL;
	char *subject = NULL, hash[16];
	enum mkcsr_err rc = request_init(&req);

	if (rc == MKCSR_E_OK)
		rc = inf_load_data(in->path, data, len, NULL, 0, &inf);
	if (rc == MKCSR_E_OK)
		rc = inf_apply(&inf, &req);
	if (rc == MKCSR_E_OK && (rc = request_finalize(&req)) != MKCSR_E_OK && err_exit_code(rc) == MKCSR_EXIT_USAGE)
		rc = err_set(MKCSR_E_BAD_INF, "'%s': %s: %s", in->path, err_message(rc), err_detail());
	if (rc != MKCSR_E_OK)
		goto done;

	obj = json_object();
	names = json_array();
	ekus = json_array();
	usages = json_array();
	subject = inf_subject_text(&req.subject);
	if (obj == NULL || names == NULL || ekus == NULL || usages == NULL || subject == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "reading '%s'", in->path);
		goto done;
	}
	for (size_t i = 0; i < req.name_count; i++)
		append(in, names, json_pack("{s:s, s:o}", "type", names_type_key(req.names[i].type), "value",
					    text(req.names[i].value)));
	for (size_t i = 0; i < req.eku_count; i++) {
		ASN1_OBJECT *eku = OBJ_txt2obj(req.ekus[i], 1);

		append(in, ekus, eku ? usage_json(eku) : NULL);
		ASN1_OBJECT_free(eku);
	}
	for (unsigned bit = 0; bit < KU_BIT_COUNT_; bit++)
		if (req.key_usage & (1u << bit))
			append(in, usages, json_string(request_key_usage_name(bit)));
	snprintf(hash, sizeof(hash), "%s%s", strncmp(req.hash, "SHA", 3) == 0 ? "SHA-" : "",
		 strncmp(req.hash, "SHA", 3) == 0 ? req.hash + 3 : req.hash);

	put(in, doc, "type", json_string("certreq-inf"));
	put(in, doc, "format", json_string(inf_encoding(data, len)));
	put(in, doc, "describes", json_string("the request that mkcsr new --inf makes from this file (the key is made then)"));
	put(in, obj, "subject", shown(subject[0] ? subject : "(empty subject)"));
	put(in, obj, "key_algorithm", json_string(req.key.alg == MKCSR_KEY_EC ? "ECDSA" : "RSA"));
	put(in, obj, "key_size", json_integer(req.key.bits));
	put(in, obj, "key_curve", req.key.alg == MKCSR_KEY_EC ? json_string(req.key.curve) : json_null());
	put(in, obj, "signature_hash", json_string(hash));
	put(in, obj, "subject_alt_names",
	    req.name_count ? json_pack("{s:b, s:O}", "critical", req.san_critical, "names", names) : json_null());
	put(in, obj, "key_usage",
	    req.key_usage && !req.minimal ? json_pack("{s:b, s:O}", "critical", 1, "usages", usages) : json_null());
	put(in, obj, "extended_key_usage",
	    req.eku_count && !req.minimal ? json_pack("{s:b, s:O}", "critical", req.eku_critical, "usages", ekus)
					  : json_null());
	put(in, obj, "application_policies",
	    req.eku_count && req.app_policies && !req.minimal ? json_pack("{s:b, s:O}", "critical", 0, "policies", ekus)
							      : json_null());
	put(in, obj, "role", text(inf_comment_value(&inf, "mkcsr-role")));
	put(in, obj, "warnings", string_list(in, req.warnings, req.warning_count));
	put(in, obj, "notes", string_list(in, req.notes, req.note_count));
	put(in, doc, "request", obj);
	obj = NULL;

done:
	json_decref(obj);
	json_decref(names);
	json_decref(ekus);
	json_decref(usages);
	free(subject);
	inf_clear(&inf);
	request_clear(&req);
	return rc;
}

/* ---- telling the files apart ------------------------------------------------------------ */

/*
 * The label of the next "-----BEGIN LABEL-----" line from *cursor, which
 * moves past it; false when there is none.  One pass over the file for all
 * its blocks: a bundle of thousands is read once, not once a block.
 */
static bool pem_next_label(const unsigned char **cursor, const unsigned char *end, char *label, size_t size)
{
	const unsigned char *p = *cursor;

	for (;;) {
		const unsigned char *begin = memmem(p, (size_t)(end - p), "-----BEGIN ", 11), *close, *eol;

		if (begin == NULL) {
			*cursor = end;
			return false;
		}
		begin += 11;
		/* The label ends on its own line: look for the closing dashes there only. */
		eol = memchr(begin, '\n', (size_t)(end - begin));
		close = memmem(begin, (size_t)((eol ? eol : end) - begin), "-----", 5);
		if (close == NULL || (size_t)(close - begin) >= size) {
			p = begin;
			continue;
		}
		memcpy(label, begin, (size_t)(close - begin));
		label[close - begin] = '\0';
		*cursor = close + 5;
		return true;
	}
}

static bool is_cert_label(const char *label)
{
	return strcmp(label, "CERTIFICATE") == 0 || strcmp(label, "X509 CERTIFICATE") == 0 ||
	       strcmp(label, "TRUSTED CERTIFICATE") == 0 || strcmp(label, "PKCS7") == 0 ||
	       strcmp(label, "CERTIFICATE CHAIN") == 0;
}

static bool is_request_label(const char *label)
{
	return strcmp(label, "NEW CERTIFICATE REQUEST") == 0 || strcmp(label, "CERTIFICATE REQUEST") == 0;
}

/*
 * PEM blocks the document does not show (a key after the certificates, a
 * second request, the EC PARAMETERS before a key), so that nothing in the
 * file goes unmentioned.  shown: the block shown, or -1 for every
 * certificate block.
 */
static void put_other_blocks(struct inspection *in, json_t *doc, const unsigned char *data, size_t len, long shown)
{
	json_t *other = json_array();
	const unsigned char *cursor = data;
	char label[64];

	for (long i = 0; pem_next_label(&cursor, data + len, label, sizeof(label)); i++)
		if (shown < 0 ? !is_cert_label(label) : i != shown)
			append(in, other, text(label));  /* a label is the file's text */
	put(in, doc, "other_pem_blocks", array_or_null(other));
}

/* certreq INF: UTF-16 or UTF-8 text with a [NewRequest] (or [Version]) section, any letter case. */
static bool looks_like_inf(const unsigned char *data, size_t len)
{
	char buf[65536];
	size_t n = 0;

	if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
		return true;
	/* Without a BOM UTF-16 has a NUL beside each ASCII character: leave them out. */
	for (size_t i = 0; i < len && n < sizeof(buf) - 1; i++)
		if (data[i] != '\0')
			buf[n++] = (char)tolower(data[i]);
	buf[n] = '\0';
	return strstr(buf, "[newrequest]") != NULL || strstr(buf, "[version]") != NULL;
}

static enum mkcsr_err inspect_der(struct inspection *in, json_t *doc, const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	struct key_file kf;
	X509 *x509;
	X509_REQ *req;
	PKCS7 *p7;
	const char *what;
	bool whole, is_key;

	x509 = d2i_X509(NULL, &p, (long)len);
	whole = x509 != NULL && p == data + len;
	X509_free(x509);
	if (whole)
		return certificates_doc(in, doc, data, len, false, true);
	p = data;
	req = d2i_X509_REQ(NULL, &p, (long)len);
	whole = req != NULL && p == data + len;
	X509_REQ_free(req);
	if (whole)
		return request_doc(in, doc, data, len);
	p = data;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	whole = p7 != NULL && p == data + len && PKCS7_type_is_signed(p7);  /* enveloped and the rest are named below */
	PKCS7_free(p7);
	if (whole)
		return certificates_doc(in, doc, data, len, true, true);
	if (pfxread_is_pfx(data, len))
		return pfx_doc(in, doc, data, len);
	is_key = key_file_read(data, len, &kf);
	key_file_clear(&kf);
	if (is_key) {
		ERR_clear_error();
		return key_doc(in, doc, data, len);
	}
	what = input_describe(data, len);
	if (strcmp(what, "binary (DER) data") != 0)
		return err_set(MKCSR_E_MALFORMED, "'%s' is %s, which mkcsr inspect does not read", in->path, what);
	return err_set(MKCSR_E_MALFORMED,
		       "'%s' is binary (DER) data, but not a certificate, request, PKCS#7 bundle, PFX or private key: "
		       "damaged or truncated?",
		       in->path);
}

/*
 * The kind of a PEM file is the kind of its first block, passing over the
 * EC PARAMETERS that "openssl ecparam -genkey" writes before the key.
 */
static enum mkcsr_err inspect_pem(struct inspection *in, json_t *doc, const unsigned char *data, size_t len)
{
	const unsigned char *cursor = data;
	char label[64] = "";
	long first = 0;

	while (pem_next_label(&cursor, data + len, label, sizeof(label)) && strcmp(label, "EC PARAMETERS") == 0)
		first++;
	if (is_cert_label(label)) {
		put_other_blocks(in, doc, data, len, -1);
		return certificates_doc(in, doc, data, len, strcmp(label, "PKCS7") == 0 || strcmp(label, "CERTIFICATE CHAIN") == 0,
					false);
	}
	if (is_request_label(label)) {
		put_other_blocks(in, doc, data, len, first);
		return request_doc(in, doc, data, len);
	}
	if (is_key_label(label)) {
		put_other_blocks(in, doc, data, len, first);
		return key_doc(in, doc, data, len);
	}
	if (strcmp(label, "CMS") == 0)
		return err_set(MKCSR_E_MALFORMED, "'%s' is %s, which mkcsr inspect does not read", in->path,
			       input_describe(data, len));
	return err_set(MKCSR_E_MALFORMED, "'%s' holds a PEM block '%s', which mkcsr inspect does not read", in->path, label);
}

enum mkcsr_err inspect_buffer(const char *path, const unsigned char *data, size_t len, const char *pass, time_t at,
			      const struct inspect_stream *stream, json_t **out)
{
	struct inspection in = { .path = path, .pass = pass, .at = at, .stream = stream };
	const unsigned char *cursor;
	json_t *doc = NULL;
	char label[64];
	enum mkcsr_err rc;

	*out = NULL;
	if (len == 0)
		return err_set_file(MKCSR_E_MALFORMED, path, "'%s' is empty", path);
	if (len > INPUT_MAX_BYTES || len > INT_MAX)
		return err_set_file(MKCSR_E_MALFORMED, path,
				    "'%s' is larger than %d MiB: not a certificate, key or request", path,
				    INPUT_MAX_BYTES / (1024 * 1024));
	doc = json_object();
	if (doc == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
	/* The same first members for every kind of file, which fills in its own. */
	put(&in, doc, "file", text(path));
	put(&in, doc, "type", json_null());
	put(&in, doc, "format", json_null());
	put(&in, doc, "other_pem_blocks", json_null());
	if (data[0] == 0x30)
		rc = inspect_der(&in, doc, data, len);
	else if (cursor = data, pem_next_label(&cursor, data + len, label, sizeof(label)))
		rc = inspect_pem(&in, doc, data, len);
	else if (looks_like_inf(data, len))
		rc = inf_doc(&in, doc, data, len);
	else
		rc = err_set(MKCSR_E_MALFORMED,
			     "'%s' is not a certificate, request, PKCS#7 bundle, PFX, private key or certreq INF file", path);
	if (rc == MKCSR_E_OK && in.incomplete)
		rc = err_set(MKCSR_E_NOMEM, "describing '%s'", path);
	inspection_clear(&in);
	if (rc != MKCSR_E_OK) {
		json_decref(doc);
		return rc;
	}
	ERR_clear_error();
	*out = doc;
	return MKCSR_E_OK;
}

enum mkcsr_err inspect_file(const char *path, const char *pass, time_t at, const struct inspect_stream *stream,
			    json_t **out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	enum mkcsr_err rc;

	*out = NULL;
	rc = input_read_file(path, &data, &len);
	if (rc != MKCSR_E_OK)
		return rc;
	rc = inspect_buffer(path, data, len, pass, at, stream, out);
	OPENSSL_clear_free(data, len);  /* it may hold a private key */
	return rc;
}
