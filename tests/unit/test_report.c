/* report: what "mkcsr new" prints, as text and as JSON, from one structure. */
#include "unit.h"

#include <jansson.h>

#include "report.h"
#include "request.h"

struct fixture {
	struct mkcsr_request req;
	struct mkcsr_new_report r;
};

#define SPKI_HEX "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SKI_HEX "00112233445566778899aabbccddeeff00112233"

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL || request_init(&fx->req) != MKCSR_E_OK ||
	    request_set_host(&fx->req, "vpn.example.com") != MKCSR_E_OK ||
	    request_add_san(&fx->req, "ip:192.0.2.7") != MKCSR_E_OK ||
	    request_set_key_usage(&fx->req, "digitalSignature") != MKCSR_E_OK ||
	    request_finalize(&fx->req) != MKCSR_E_OK)
		return -1;
	fx->r.req = &fx->req;
	fx->r.subject = "CN=vpn.example.com";
	fx->r.key_description = "ECDSA P-256";
	fx->r.key_type = "ec:P-256";
	fx->r.signature = "ecdsa-with-SHA256";
	strcpy(fx->r.spki_sha256, SPKI_HEX);
	strcpy(fx->r.ski_hex, SKI_HEX);
	fx->r.key_path = "out/vpn.example.com.key";
	fx->r.csr_path = "out/vpn.example.com.csr";
	fx->r.csr_encoding.format = MKCSR_CSR_BASE64;
	fx->r.csr_encoding.windows_header = true;
	fx->r.csr_encoding.crlf = true;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	request_clear(&fx->req);
	free(fx);
	return 0;
}

static const char *get_str(json_t *obj, const char *path)
{
	/* "a.b" looks up b inside a. */
	char key[64];
	const char *dot = strchr(path, '.');
	json_t *v;

	if (dot != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		return get_str(json_object_get(obj, key), dot + 1);
	}
	v = json_object_get(obj, path);
	if (!json_is_string(v))
		fail_msg("'%s' is not a string", path);
	return json_string_value(v);
}

static void test_json(void **state)
{
	struct fixture *fx = *state;
	json_t *doc = report_new_json(&fx->r), *a, *e;

	assert_non_null(doc);
	assert_string_equal(get_str(doc, "host"), "vpn.example.com");
	assert_string_equal(get_str(doc, "subject"), "CN=vpn.example.com");

	a = json_object_get(doc, "names");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(get_str(json_array_get(a, 0), "type"), "dns");
	assert_string_equal(get_str(json_array_get(a, 0), "value"), "vpn.example.com");
	assert_string_equal(get_str(json_array_get(a, 1), "type"), "ip");
	assert_string_equal(get_str(json_array_get(a, 1), "value"), "192.0.2.7");

	a = json_object_get(doc, "key_usage");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "digitalSignature");

	a = json_object_get(doc, "extended_key_usage");
	assert_int_equal(json_array_size(a), 1);
	e = json_array_get(a, 0);
	assert_string_equal(get_str(e, "oid"), "1.3.6.1.5.5.7.3.1");
	assert_string_equal(get_str(e, "name"), "Server Authentication");

	assert_true(json_is_true(json_object_get(doc, "application_policies")));
	assert_true(json_is_false(json_object_get(doc, "ms_attributes")));
	assert_string_equal(get_str(doc, "subject_key_identifier"), SKI_HEX);

	assert_string_equal(get_str(doc, "key.type"), "ec:P-256");
	assert_string_equal(get_str(doc, "key.description"), "ECDSA P-256");
	assert_string_equal(get_str(doc, "key.signature"), "ecdsa-with-SHA256");
	assert_string_equal(get_str(doc, "key.spki_sha256"), SPKI_HEX);

	assert_string_equal(get_str(doc, "files.key.path"), "out/vpn.example.com.key");
	assert_string_equal(get_str(doc, "files.key.format"), "pkcs8-pem");
	assert_string_equal(get_str(doc, "files.key.mode"), "0600");
	assert_true(json_is_false(json_object_get(json_object_get(json_object_get(doc, "files"), "key"), "encrypted")));
	assert_string_equal(get_str(doc, "files.csr.path"), "out/vpn.example.com.csr");
	assert_string_equal(get_str(doc, "files.csr.format"), "base64");
	assert_string_equal(get_str(doc, "files.csr.header"), "NEW CERTIFICATE REQUEST");
	assert_string_equal(get_str(doc, "files.csr.eol"), "crlf");

	assert_int_equal(json_array_size(json_object_get(doc, "warnings")), 0);
	a = json_object_get(doc, "next_steps");
	assert_int_equal(json_array_size(a), 2);
	/* Steps name the files by the paths given (-o out). */
	assert_string_equal(json_string_value(json_array_get(a, 0)),
			    "Submit out/vpn.example.com.csr to your CA: certreq -submit, an ACME client with --csr (lego, certbot), "
			    "or the CA's web form.");
	assert_string_equal(json_string_value(json_array_get(a, 1)),
			    "Keep out/vpn.example.com.key private (it is not encrypted): the certificate is useless without it.");
	json_decref(doc);

	/* A file in the current directory by its bare name; "./dir/..." as given. */
	fx->r.key_path = "./vpn.example.com.key";
	fx->r.csr_path = "./reqs/vpn.example.com.csr";
	doc = report_new_json(&fx->r);
	a = json_object_get(doc, "next_steps");
	assert_non_null(strstr(json_string_value(json_array_get(a, 0)), "Submit ./reqs/vpn.example.com.csr to"));
	assert_non_null(strstr(json_string_value(json_array_get(a, 1)), "Keep vpn.example.com.key private"));
	json_decref(doc);
}

static void test_json_variants(void **state)
{
	struct fixture *fx = *state;
	json_t *doc, *csr;

	/* DER has no header nor line ends; an unnamed EKU has a null name; no SKI is null. */
	fx->r.csr_encoding.format = MKCSR_CSR_DER;
	fx->r.ski_hex[0] = '\0';
	fx->r.key_encrypted = true;
	assert_err(request_add_eku(&fx->req, "1.2.3.4"), MKCSR_E_OK);
	doc = report_new_json(&fx->r);
	assert_non_null(doc);
	csr = json_object_get(json_object_get(doc, "files"), "csr");
	assert_string_equal(get_str(doc, "files.csr.format"), "der");
	assert_true(json_is_null(json_object_get(csr, "header")));
	assert_true(json_is_null(json_object_get(csr, "eol")));
	assert_true(json_is_null(json_object_get(doc, "subject_key_identifier")));
	assert_true(json_is_true(json_object_get(json_object_get(json_object_get(doc, "files"), "key"), "encrypted")));
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(doc, "extended_key_usage"), 0), "name")));
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(doc, "next_steps"), 1)), "passphrase"));
	json_decref(doc);

	fx->r.csr_encoding.format = MKCSR_CSR_BASE64;
	fx->r.csr_encoding.windows_header = false;
	fx->r.csr_encoding.crlf = false;
	doc = report_new_json(&fx->r);
	assert_string_equal(get_str(doc, "files.csr.header"), "CERTIFICATE REQUEST");
	assert_string_equal(get_str(doc, "files.csr.eol"), "lf");
	json_decref(doc);
}

static void test_json_warnings_and_no_host(void **state)
{
	struct mkcsr_request req;
	struct fixture *fx = *state;
	json_t *doc;

	assert_err(request_init(&req), MKCSR_E_OK);
	assert_err(request_set_subject(&req, "CN=legacy"), MKCSR_E_OK);
	assert_err(request_finalize(&req), MKCSR_E_OK);
	fx->r.req = &req;
	doc = report_new_json(&fx->r);
	assert_true(json_is_null(json_object_get(doc, "host")));
	assert_int_equal(json_array_size(json_object_get(doc, "names")), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "warnings")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "warnings"), 0)), req.warnings[0]);
	json_decref(doc);
	request_clear(&req);
}

static void test_print_json(void **state)
{
	struct fixture *fx = *state;
	json_t *doc = report_new_json(&fx->r), *back;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_true(report_print_json(out, doc));
	assert_false(report_print_json(out, NULL));
	assert_int_equal(fclose(out), 0);
	/* One document, ending in a newline, that parses back to the same value. */
	assert_true(len > 2);
	assert_int_equal(text[len - 1], '\n');
	assert_int_equal(text[0], '{');
	back = json_loads(text, 0, NULL);
	assert_non_null(back);
	assert_true(json_equal(doc, back));
	/* Keys in the order they were set: "host" first. */
	assert_true(strncmp(text, "{\n  \"host\": ", 12) == 0);
	json_decref(back);
	json_decref(doc);
	free(text);
}

/* The text report, in a malloc'ed string. */
static char *render_text(const struct mkcsr_new_report *r, bool verbose)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	report_new_text(out, r, verbose);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void expect_line(const char *text, const char *line)
{
	char want[512];

	snprintf(want, sizeof(want), "%s\n", line);
	if (strstr(text, want) == NULL)
		fail_msg("no line '%s' in:\n%s", line, text);
}

static void test_text(void **state)
{
	struct fixture *fx = *state;
	char *text = render_text(&fx->r, false);

	assert_true(strncmp(text, "Created a certificate request for vpn.example.com\n", 50) == 0);
	expect_line(text, "  Subject:              CN=vpn.example.com");
	expect_line(text, "  Alternative names:    DNS:vpn.example.com, IP:192.0.2.7");
	expect_line(text, "  Key usage (critical): digitalSignature");
	expect_line(text, "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1)");
	expect_line(text, "  Key:                  ECDSA P-256, signed with ecdsa-with-SHA256");
	expect_line(text, "  Public key SHA-256:   " SPKI_HEX);
	expect_line(text, "  Private key file:     out/vpn.example.com.key (PKCS#8 PEM, mode 0600, not encrypted)");
	expect_line(text, "  Request file:         out/vpn.example.com.csr (Base64, BEGIN NEW CERTIFICATE REQUEST, CRLF "
			  "(as certlm writes it))");
	/* Details only with -v. */
	assert_null(strstr(text, "Application policies"));
	assert_null(strstr(text, SKI_HEX));
	free(text);

	text = render_text(&fx->r, true);
	expect_line(text, "  Application policies: yes, mirroring the EKU");
	expect_line(text, "  Subject key ID:       " SKI_HEX);
	expect_line(text, "  Microsoft attributes: none");
	free(text);
}

static void test_text_empty_parts(void **state)
{
	struct fixture *fx = *state;
	struct mkcsr_request req;
	char *text;

	/* No host, no SAN, no EKU (--minimal would not allow that; a spec could). */
	assert_err(request_init(&req), MKCSR_E_OK);
	assert_err(request_set_subject(&req, "CN=legacy"), MKCSR_E_OK);
	assert_err(request_finalize(&req), MKCSR_E_OK);
	for (size_t i = 0; i < req.eku_count; i++)
		free(req.ekus[i]);
	req.eku_count = 0;
	fx->r.req = &req;
	fx->r.subject = "";
	fx->r.csr_encoding.format = MKCSR_CSR_DER;
	text = render_text(&fx->r, false);
	assert_true(strncmp(text, "Created a certificate request\n", 30) == 0);
	expect_line(text, "  Subject:              (empty subject)");
	expect_line(text, "  Alternative names:    (none)");
	expect_line(text, "  Enhanced key usage:   (none)");
	expect_line(text, "  Request file:         out/vpn.example.com.csr (DER)");
	assert_null(strstr(text, "Key usage (critical)"));
	free(text);
	request_clear(&req);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_json),
		T(test_json_variants),
		T(test_json_warnings_and_no_host),
		T(test_print_json),
		T(test_text),
		T(test_text_empty_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
