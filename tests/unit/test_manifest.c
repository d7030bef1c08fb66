/*
 * manifest: the batch manifest reader.  Each test writes a manifest to a
 * private directory, reads it, and compares each row's options (printed
 * as one line by describe()) or the exact problems with their lines.
 */
#include "unit.h"

#include <stdbool.h>

#include "manifest.h"

static const char *const opt_names[] = { "", "host", "san", "subject", "key-type", "hash", "eku", "key-usage", "set" };

/* "host=a san=b san=c template=sstp minimal": the options in a fixed order. */
static void describe(const struct order_options *o, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
#define PUT(...) n += (size_t)snprintf(out + n, size - n, __VA_ARGS__)
	for (size_t i = 0; i < o->value_count; i++)
		PUT("%s%s=%s", n ? " " : "", opt_names[o->values[i].opt], o->values[i].arg);
	if (o->template)
		PUT(" template=%s", o->template);
	if (o->like)
		PUT(" like=%s", o->like);
	if (o->out_dir)
		PUT(" out-dir=%s", o->out_dir);
	if (o->key_path)
		PUT(" key=%s", o->key_path);
	if (o->csr_path)
		PUT(" csr=%s", o->csr_path);
	if (o->minimal)
		PUT(" minimal");
	if (o->no_app_policies)
		PUT(" no-app-policies");
	if (o->ms_attributes)
		PUT(" ms-attributes");
#undef PUT
}

struct read_result {
	struct manifest m;
	struct manifest_problems problems;
	enum mkcsr_err rc;
};

static void read_text(void **state, const char *text, size_t len, struct read_result *r)
{
	char *path = unit_write_file(*state, "fleet.csv", text, len);

	memset(r, 0, sizeof(*r));
	r->rc = manifest_read(path, &r->m, &r->problems);
	free(path);
}

static void expect_row(const struct read_result *r, size_t i, const struct order_options *defaults, unsigned line,
		       const char *want)
{
	struct order_options o = { 0 };
	char got[1024];

	assert_true(i < r->m.row_count);
	assert_int_equal(r->m.rows[i].line, line);
	assert_err(manifest_row_options(&r->m, i, defaults, &o), MKCSR_E_OK);
	describe(&o, got, sizeof(got));
	assert_string_equal(got, want);
	order_options_clear(&o);
}

static void expect_problem(const struct read_result *r, size_t i, unsigned line, const char *text)
{
	assert_true(i < r->problems.count);
	assert_int_equal(r->problems.items[i].line, line);
	assert_string_equal(r->problems.items[i].text, text);
}

static void done(struct read_result *r)
{
	manifest_clear(&r->m);
	manifest_problems_clear(&r->problems);
}

#define TEXT(s) s, sizeof(s) - 1

static void test_plain_list(void **state)
{
	static const struct order_options none = { 0 };
	struct read_result r;

	read_text(state, TEXT("# the pool\n\nvpn1.example.com\n  vpn2.example.com  \n\t\n#vpn3\nvpn4.example.com"), &r);
	assert_err(r.rc, MKCSR_E_OK);
	assert_false(r.m.csv);
	assert_int_equal(r.m.row_count, 3);
	expect_row(&r, 0, &none, 3, "host=vpn1.example.com");
	expect_row(&r, 1, &none, 4, "host=vpn2.example.com");
	expect_row(&r, 2, &none, 7, "host=vpn4.example.com");
	done(&r);
}

static void test_csv_bom_crlf_quotes(void **state)
{
	static const struct order_options none = { 0 };
	struct read_result r;

	read_text(state,
		  TEXT("\xef\xbb\xbfHost,SAN,subject,minimal\r\n"
		       "vpn1.example.com,\"vpn.example.com ip:192.0.2.1\",\"O=Example, Inc., C=US\",true\r\n"
		       "\"vpn2.example.com\" , , \"O=\"\"Quoted\"\" Ltd\" ,FALSE\r\n"
		       "# a comment\r\n"
		       "vpn3.example.com\r\n"),
		  &r);
	assert_err(r.rc, MKCSR_E_OK);
	assert_true(r.m.csv);
	assert_int_equal(r.m.row_count, 3);
	expect_row(&r, 0, &none, 2,
		   "host=vpn1.example.com san=vpn.example.com san=ip:192.0.2.1 subject=O=Example, Inc., C=US minimal");
	expect_row(&r, 1, &none, 3, "host=vpn2.example.com subject=O=\"Quoted\" Ltd");
	expect_row(&r, 2, &none, 5, "host=vpn3.example.com");
	done(&r);
}

static void test_quoted_newline_keeps_line_numbers(void **state)
{
	static const struct order_options none = { 0 };
	struct read_result r;

	read_text(state, TEXT("host,subject\na.example.com,\"O=Two\nLines\"\nb.example.com,\n"), &r);
	assert_err(r.rc, MKCSR_E_OK);
	expect_row(&r, 0, &none, 2, "host=a.example.com subject=O=Two\nLines");
	expect_row(&r, 1, &none, 4, "host=b.example.com");
	done(&r);
}

static void test_every_column(void **state)
{
	static const struct order_options none = { 0 };
	struct read_result r;

	read_text(state,
		  TEXT("host,san,subject,key-type,eku,key-usage,template,set,like,out-dir,key,csr,minimal,"
		       "no-app-policies,ms-attributes\n"
		       "h.example.com,a.example.com,O=X,rsa:2048,serverAuth clientAuth,digitalSignature,sstp,"
		       "A=1 B=2,old.pem,out,k.key,c.csr,false,true,true\n"),
		  &r);
	assert_err(r.rc, MKCSR_E_OK);
	expect_row(&r, 0, &none, 2,
		   "host=h.example.com san=a.example.com subject=O=X key-type=rsa:2048 eku=serverAuth eku=clientAuth "
		   "key-usage=digitalSignature set=A=1 set=B=2 template=sstp like=old.pem out-dir=out key=k.key csr=c.csr "
		   "no-app-policies ms-attributes");
	done(&r);
}

static void test_defaults_and_overrides(void **state)
{
	struct order_options defaults = { 0 };
	struct read_result r;

	defaults.template = strdup("sstp");
	defaults.out_dir = strdup("certs");
	defaults.minimal = 1;
	assert_err(order_options_add(&defaults, ORDER_OPT_SAN, strdup("vpn.example.com")), MKCSR_E_OK);
	assert_err(order_options_add(&defaults, ORDER_OPT_EKU, strdup("serverAuth")), MKCSR_E_OK);
	read_text(state, TEXT("host,san,template,minimal\n"
			      "a.example.com,,,\n"
			      "b.example.com,b1.example.com b2.example.com,ikev2,false\n"),
		  &r);
	assert_err(r.rc, MKCSR_E_OK);
	/* Empty cells keep the defaults; a given cell replaces every default value of its option. */
	expect_row(&r, 0, &defaults, 2, "san=vpn.example.com eku=serverAuth host=a.example.com template=sstp out-dir=certs minimal");
	expect_row(&r, 1, &defaults, 3,
		   "eku=serverAuth host=b.example.com san=b1.example.com san=b2.example.com template=ikev2 out-dir=certs");
	done(&r);
	order_options_clear(&defaults);
}

static void test_bad_boolean(void **state)
{
	static const struct order_options none = { 0 };
	struct order_options o = { 0 };
	struct read_result r;

	read_text(state, TEXT("host,minimal\na.example.com,yes\n"), &r);
	assert_err(r.rc, MKCSR_E_OK);
	assert_err(manifest_row_options(&r.m, 0, &none, &o), MKCSR_E_USAGE);
	assert_string_equal(err_detail(), "minimal 'yes': write true or false");
	order_options_clear(&o);
	done(&r);
}

static void test_header_errors(void **state)
{
	struct read_result r;

	read_text(state, TEXT("# fleet\nhost,sans,host\na.example.com,b,c\n"), &r);
	assert_err(r.rc, MKCSR_E_MALFORMED);
	assert_int_equal(r.problems.count, 2);
	expect_problem(&r, 0, 2,
		       "unknown column 'sans': the header names mkcsr new's options (host, san, subject, key-type, eku, "
		       "key-usage, template, set, like, out-dir, key, csr, ...)");
	expect_problem(&r, 1, 2, "column 'host' appears twice in the header");
	assert_non_null(strstr(err_detail(), "/fleet.csv' has 2 malformed lines"));
	done(&r);
}

static void test_record_errors(void **state)
{
	struct read_result r;

	read_text(state, TEXT("host,san\r\na.example.com,b,c\r\n\"b.example.com\"x,\r\nc.example.com\r\n"
			      "d.example.com,\"never closed\r\ne.example.com\r\n"),
		  &r);
	assert_err(r.rc, MKCSR_E_MALFORMED);
	assert_int_equal(r.problems.count, 3);
	expect_problem(&r, 0, 2, "3 fields, but the header names 2 columns");
	expect_problem(&r, 1, 3, "text after a closing quote");
	expect_problem(&r, 2, 5, "a quoted field opened on line 5 is never closed");
	done(&r);
}

static void test_plain_list_with_commas(void **state)
{
	struct read_result r;

	read_text(state, TEXT("a.example.com\nb.example.com,c.example.com\n"), &r);
	assert_err(r.rc, MKCSR_E_MALFORMED);
	assert_int_equal(r.problems.count, 1);
	expect_problem(&r, 0, 2, "2 fields in a list of hosts; a CSV manifest starts with a header row (host,san,...)");
	done(&r);
}

static void test_encodings(void **state)
{
	struct read_result r;

	read_text(state, TEXT("\xff\xfeh\0o\0s\0t\0"), &r);
	assert_err(r.rc, MKCSR_E_MALFORMED);
	assert_non_null(strstr(err_detail(), "is UTF-16: save it as \"CSV UTF-8\""));
	done(&r);
	read_text(state, TEXT("host\nbad\xe9.example.com\n"), &r);
	assert_err(r.rc, MKCSR_E_MALFORMED);
	assert_non_null(strstr(err_detail(), "is not UTF-8 text"));
	done(&r);
	read_text(state, TEXT("host\na\0b\n"), &r);
	assert_err(r.rc, MKCSR_E_MALFORMED);
	assert_non_null(strstr(err_detail(), "holds a NUL byte"));
	done(&r);
}

static void test_empty_and_missing(void **state)
{
	struct read_result r;
	struct manifest m;
	struct manifest_problems p = { 0 };

	read_text(state, TEXT("# nothing\n\n"), &r);
	assert_err(r.rc, MKCSR_E_OK);
	assert_int_equal(r.m.row_count, 0);
	done(&r);
	assert_err(manifest_read("/nonexistent/fleet.csv", &m, &p), MKCSR_E_READ);
	assert_int_equal(p.count, 0);
	manifest_clear(&m);
}

/* From memory: the same rows and problems as from a file, the name given in messages, the buffer copied. */
static void test_read_data(void **state)
{
	static const struct order_options none = { 0 };
	char text[] = "\xef\xbb\xbfhost,san\r\n\"a.example.com\",b.example.com\r\n\"c\"x,\n";
	struct read_result r = { 0 };

	(void)state;
	r.rc = manifest_read_data("fleet in memory", text, sizeof(text) - 1, &r.m, &r.problems);
	assert_err(r.rc, MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'fleet in memory' has 1 malformed line");
	expect_problem(&r, 0, 3, "text after a closing quote");
	assert_int_equal(r.problems.count, 1);
	done(&r);
	r.rc = manifest_read_data("mem", text, sizeof(text) - 7, &r.m, &r.problems);
	memset(text, 'x', sizeof(text) - 1);
	assert_err(r.rc, MKCSR_E_OK);
	assert_true(r.m.csv);
	assert_int_equal(r.m.row_count, 1);
	expect_row(&r, 0, &none, 2, "host=a.example.com san=b.example.com");
	done(&r);
	r.rc = manifest_read_data("empty", "", 0, &r.m, &r.problems);
	assert_err(r.rc, MKCSR_E_OK);
	assert_int_equal(r.m.row_count, 0);
	done(&r);
	r.rc = manifest_read_data("nul", "host\na\0b\n", 9, &r.m, &r.problems);
	assert_err(r.rc, MKCSR_E_MALFORMED);
	assert_string_equal(err_detail(), "'nul' holds a NUL byte: it is not a text file");
	done(&r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, unit_setup_tempdir, unit_teardown_tempdir)
	const struct CMUnitTest tests[] = {
		T(test_plain_list),
		T(test_csv_bom_crlf_quotes),
		T(test_quoted_newline_keeps_line_numbers),
		T(test_every_column),
		T(test_defaults_and_overrides),
		T(test_bad_boolean),
		T(test_header_errors),
		T(test_record_errors),
		T(test_plain_list_with_commas),
		T(test_encodings),
		T(test_empty_and_missing),
		T(test_read_data),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
