/*
 * The strings users and files give mkcsr: subject names (RFC 4514 and the
 * certreq forms), host names and SANs, --at times, Windows error codes for
 * explain, and the small option parsers (role, key type, key usage, EKU,
 * hash, PFX profile, INF encoding).  The first byte chooses the parser (its
 * low seven bits; the high bit allows a wildcard for the DNS parser), the
 * rest is the text.  Properties: a subject that parses formats to text that
 * parses to the same subject, and encodes to a name that reads back; a
 * normalized DNS name normalizes to itself.
 */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "check.h"
#include "err.h"
#include "explain.h"
#include "fuzz.h"
#include "inf.h"
#include "keygen.h"
#include "names.h"
#include "pfx.h"
#include "request.h"
#include "subject.h"

static void subject_round_trip(const char *text)
{
	struct mkcsr_subject subject = { 0 }, again = { 0 }, decoded = { 0 };
	X509_NAME *name = NULL;
	char *formatted = NULL, *reformatted = NULL, *skipped = NULL;

	if (subject_parse(text, &subject) != MKCSR_E_OK)
		goto done;
	formatted = subject_format(&subject);
	FUZZ_ASSERT(formatted != NULL);
	FUZZ_ASSERT(subject_parse(formatted, &again) == MKCSR_E_OK);
	reformatted = subject_format(&again);
	FUZZ_ASSERT(reformatted != NULL && strcmp(formatted, reformatted) == 0);
	free(subject_format_x500(&subject));
	if (subject_to_x509_name(&subject, &name) == MKCSR_E_OK)
		FUZZ_ASSERT(subject_from_x509_name(name, &decoded, &skipped) == MKCSR_E_OK);
done:
	X509_NAME_free(name);
	free(skipped);
	free(formatted);
	free(reformatted);
	subject_clear(&decoded);
	subject_clear(&again);
	subject_clear(&subject);
}

static void dns(const char *text, bool wildcard)
{
	char *normal = NULL, *again = NULL;

	if (names_normalize_dns(text, wildcard, &normal) == MKCSR_E_OK) {
		FUZZ_ASSERT(names_normalize_dns(normal, wildcard, &again) == MKCSR_E_OK);
		FUZZ_ASSERT(strcmp(normal, again) == 0);
	}
	free(again);
	free(normal);
}

static void name(const char *text, bool san)
{
	struct mkcsr_name n = { 0 };

	if ((san ? names_parse_san(text, &n) : names_parse_host(text, &n)) == MKCSR_E_OK) {
		FUZZ_ASSERT(n.value != NULL);
		FUZZ_ASSERT(names_equal(&n, &n));
		(void)names_type_label(n.type);
	}
	names_clear(&n);
}

static void options(const char *text)
{
	struct mkcsr_request req;
	struct mkcsr_key_spec key;
	struct mkcsr_code code;
	enum mkcsr_role role;
	enum mkcsr_pfx_profile profile;
	enum inf_encoding encoding;
	time_t t;

	(void)check_parse_role(text, &role);
	(void)keygen_parse_type(text, &key);
	(void)pfx_parse_profile(text, &profile);
	(void)inf_parse_encoding(text, &encoding);
	(void)check_parse_time(text, &t);
	(void)explain_parse(text, &code);
	if (request_init(&req) == MKCSR_E_OK) {
		(void)request_set_key_usage(&req, text);
		(void)request_add_eku(&req, text);
		(void)request_set_hash(&req, text);
		(void)request_set_key_type(&req, text);
		request_clear(&req);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size == 0 || size > 4096)
		return 0;
	text = malloc(size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch ((data[0] & 0x7f) % 6) {
	case 0:
		subject_round_trip(text);
		break;
	case 1:
		name(text, true);
		break;
	case 2:
		name(text, false);
		break;
	case 3:
		dns(text, data[0] & 0x80);
		break;
	case 4: {
		struct mkcsr_code code;
		time_t t;

		if (explain_parse(text, &code) == MKCSR_E_OK)
			(void)explain_facility_name(code.facility);
		(void)check_parse_time(text, &t);
		break;
	}
	default:
		options(text);
		break;
	}
	free(text);
	err_clear();
	ERR_clear_error();
	return 0;
}
