/* names: DNS name rules and normalization, host and SAN parsing, equality. */
#include "unit.h"

#include "names.h"

/* A string of n copies of c, in buf (which must hold n + 1). */
static char *repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

/* Normalizes input (wildcards allowed) and expects exactly want. */
static void expect_dns(const char *input, const char *want)
{
	char sentinel[] = "sentinel";
	char *out = sentinel;
	enum mkcsr_err rc = names_normalize_dns(input, true, &out);

	if (rc != MKCSR_E_OK)
		fail_msg("'%s': %s (%s)", input, err_name(rc), err_detail());
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void expect_dns_error(const char *input, enum mkcsr_err want)
{
	char sentinel[] = "sentinel";
	char *out = sentinel;

	err_clear();
	assert_err(names_normalize_dns(input, true, &out), want);
	assert_null(out);
	/* Every refusal says which name it refused. */
	assert_non_null(strstr(err_detail(), input));
}

static void test_dns_valid(void **state)
{
	(void)state;
	expect_dns("vpn.example.com", "vpn.example.com");
	expect_dns("VPN.Example.COM", "vpn.example.com");
	expect_dns("vpn.example.com.", "vpn.example.com");
	expect_dns("localhost", "localhost");
	expect_dns("a", "a");
	expect_dns("host-1.example-2.com", "host-1.example-2.com");
	expect_dns("1host.example.com", "1host.example.com");
	expect_dns("*.example.com", "*.example.com");
	expect_dns("*.EXAMPLE.com.", "*.example.com");
	/* An all-digit single label is a (strange) host name, not an address. */
	expect_dns("123", "123");
	expect_dns("host.123a", "host.123a");
}

static void test_dns_wildcard_not_allowed(void **state)
{
	char *out = NULL;

	(void)state;
	assert_err(names_normalize_dns("*.example.com", false, &out), MKCSR_E_BAD_NAME);
	assert_null(out);
}

/* A name of labels with the given lengths ('a', 'b', ... for each label), in buf. */
static char *make_name(char *buf, const size_t *lens, size_t n)
{
	char *p = buf;

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			*p++ = '.';
		memset(p, 'a' + (int)i, lens[i]);
		p += lens[i];
	}
	*p = '\0';
	return buf;
}

static void test_dns_lengths(void **state)
{
	static const size_t label63[] = { 63, 3 }, label64[] = { 64, 3 };
	static const size_t name253[] = { 63, 63, 63, 61 }, name254[] = { 63, 63, 63, 62 };
	char name[300], want[300];

	(void)state;
	/* 63 characters is the longest label. */
	make_name(name, label63, 2);
	expect_dns(name, name);
	expect_dns_error(make_name(name, label64, 2), MKCSR_E_BAD_NAME);

	/* 253 characters is the longest name. */
	make_name(name, name253, 4);
	assert_int_equal(strlen(name), 253);
	expect_dns(name, name);
	/* The trailing dot of the absolute form does not count. */
	snprintf(want, sizeof(want), "%s", name);
	strcat(name, ".");
	expect_dns(name, want);

	make_name(name, name254, 4);
	assert_int_equal(strlen(name), 254);
	expect_dns_error(name, MKCSR_E_BAD_NAME);
}

static void test_dns_invalid(void **state)
{
	static const char *const bad[] = {
		"",                   /* empty */
		"a..b",               /* empty label */
		".example.com",       /* leading dot */
		"example.com..",      /* two trailing dots */
		".",
		"-vpn.example.com",   /* leading hyphen */
		"vpn-.example.com",   /* trailing hyphen */
		"vpn.example.com-",
		"my_host.example.com",
		"vpn.exa mple.com",
		"vpn!.example.com",
		"vpn.example.com/",
		"user@example.com",
		"a.*.b",              /* wildcard not left-most */
		"f*.example.com",     /* partial wildcard */
		"*",
		"**.example.com",
		"*.com",              /* wildcard with one label after it */
		"*.com.",
		"10.0.0.256",         /* all-digit TLD: looks like an IP, is none */
		"1.2.3",
		"host.123",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char sentinel[] = "sentinel";
		char *out = sentinel;
		enum mkcsr_err rc = names_normalize_dns(bad[i], true, &out);

		if (rc != MKCSR_E_BAD_NAME)
			fail_msg("'%s': got %s, expected BAD_NAME", bad[i], err_name(rc));
		assert_null(out);
	}
}

static void test_dns_error_details(void **state)
{
	(void)state;
	/* The detail line tells the user which rule the name broke. */
	expect_dns_error("a..b", MKCSR_E_BAD_NAME);
	assert_non_null(strstr(err_detail(), "empty label"));
	expect_dns_error("my_host.example.com", MKCSR_E_BAD_NAME);
	assert_non_null(strstr(err_detail(), "'_'"));
	expect_dns_error("*.com", MKCSR_E_BAD_NAME);
	assert_non_null(strstr(err_detail(), "two labels"));
	expect_dns_error("10.0.0.256", MKCSR_E_BAD_NAME);
	assert_non_null(strstr(err_detail(), "IP address"));
}

static void test_dns_idn(void **state)
{
	char *out = NULL;

	(void)state;
#ifdef HAVE_LIBIDN2
	expect_dns("Bücher.example.com", "xn--bcher-kva.example.com");
	expect_dns("bücher.example.com", "xn--bcher-kva.example.com");
	expect_dns("*.bücher.de", "*.xn--bcher-kva.de");
	/* An A-label that is already there is kept as it is. */
	expect_dns("XN--BCHER-KVA.example.com", "xn--bcher-kva.example.com");
	/* Labels that claim to be A-labels: not Punycode at all, ... */
	expect_dns_error("xn--zz.example.com", MKCSR_E_BAD_NAME);
	expect_dns_error("vpn.xn--abc-.com", MKCSR_E_BAD_NAME);
	/* ... Punycode of a code point IDNA2008 disallows (U+0080), ... */
	expect_dns_error("xn--a.example.com", MKCSR_E_BAD_NAME);
	/* ... and a label that decodes but is not how its U-label encodes ("bÜcher", whose Ü lower-cases). */
	expect_dns_error("xn--bcher-2pa.example.com", MKCSR_E_BAD_NAME);
	(void)out;
#else
	assert_err(names_normalize_dns("Bücher.example.com", true, &out), MKCSR_E_IDN_UNSUPPORTED);
	assert_null(out);
	assert_err(names_normalize_dns("*.bücher.de", true, &out), MKCSR_E_IDN_UNSUPPORTED);
	assert_null(out);
	/* Without libidn2 an A-label is taken as plain LDH text. */
	expect_dns("xn--bcher-kva.example.com", "xn--bcher-kva.example.com");
#endif
}

static void test_host_ipv4(void **state)
{
	struct mkcsr_name n;
	static const unsigned char want[4] = { 10, 0, 0, 1 };

	(void)state;
	assert_err(names_parse_host("10.0.0.1", &n), MKCSR_E_OK);
	assert_int_equal(n.type, MKCSR_NAME_IP);
	assert_string_equal(n.value, "10.0.0.1");
	assert_int_equal(n.ip_len, 4);
	assert_memory_equal(n.ip, want, 4);
	names_clear(&n);
	assert_null(n.value);
}

static void test_host_ipv6(void **state)
{
	struct mkcsr_name n;
	static const unsigned char want[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	(void)state;
	assert_err(names_parse_host("2001:DB8::1", &n), MKCSR_E_OK);
	assert_int_equal(n.type, MKCSR_NAME_IP);
	assert_string_equal(n.value, "2001:db8::1");
	assert_int_equal(n.ip_len, 16);
	assert_memory_equal(n.ip, want, 16);
	names_clear(&n);

	/* Written out in full, it still canonicalizes to the short form. */
	assert_err(names_parse_host("2001:0db8:0000:0000:0000:0000:0000:0001", &n), MKCSR_E_OK);
	assert_string_equal(n.value, "2001:db8::1");
	assert_memory_equal(n.ip, want, 16);
	names_clear(&n);

	assert_err(names_parse_host("[::1]", &n), MKCSR_E_OK);
	assert_string_equal(n.value, "::1");
	assert_int_equal(n.ip_len, 16);
	names_clear(&n);
}

static void test_host_dns(void **state)
{
	struct mkcsr_name n;

	(void)state;
	assert_err(names_parse_host("VPN.Example.com.", &n), MKCSR_E_OK);
	assert_int_equal(n.type, MKCSR_NAME_DNS);
	assert_string_equal(n.value, "vpn.example.com");
	assert_int_equal(n.ip_len, 0);
	names_clear(&n);

	assert_err(names_parse_host("*.example.com", &n), MKCSR_E_OK);
	assert_string_equal(n.value, "*.example.com");
	names_clear(&n);

	assert_err(names_parse_host("10.0.0.256", &n), MKCSR_E_BAD_NAME);
	names_clear(&n);
	assert_err(names_parse_host("", &n), MKCSR_E_BAD_NAME);
	names_clear(&n);
}

/* Parses a --san value and expects its type and normalized value. */
static void expect_san(const char *spec, enum mkcsr_name_type type, const char *value)
{
	struct mkcsr_name n;
	enum mkcsr_err rc = names_parse_san(spec, &n);

	if (rc != MKCSR_E_OK)
		fail_msg("'%s': %s (%s)", spec, err_name(rc), err_detail());
	if (n.type != type)
		fail_msg("'%s': type %s, expected %s", spec, names_type_key(n.type), names_type_key(type));
	assert_string_equal(n.value, value);
	names_clear(&n);
}

static void expect_san_error(const char *spec, enum mkcsr_err want)
{
	struct mkcsr_name n;

	assert_err(names_parse_san(spec, &n), want);
	assert_null(n.value);
	names_clear(&n);
}

static void test_san_prefixes(void **state)
{
	struct mkcsr_name n;
	static const unsigned char v4[4] = { 192, 0, 2, 7 };
	static const unsigned char loopback6[16] = { [15] = 1 };

	(void)state;
	expect_san("dns:WWW.example.com", MKCSR_NAME_DNS, "www.example.com");
	expect_san("DNS:www.example.com.", MKCSR_NAME_DNS, "www.example.com");
	expect_san("dns:*.example.com", MKCSR_NAME_DNS, "*.example.com");
	expect_san("email:Admin@Example.COM", MKCSR_NAME_EMAIL, "Admin@example.com");
	expect_san("upn:vpnsvc@CORP.example.com", MKCSR_NAME_UPN, "vpnsvc@corp.example.com");
	expect_san("www.example.com", MKCSR_NAME_DNS, "www.example.com");
	expect_san("ip:2001:DB8::10", MKCSR_NAME_IP, "2001:db8::10");

	assert_err(names_parse_san("ip:192.0.2.7", &n), MKCSR_E_OK);
	assert_int_equal(n.type, MKCSR_NAME_IP);
	assert_string_equal(n.value, "192.0.2.7");
	assert_int_equal(n.ip_len, 4);
	assert_memory_equal(n.ip, v4, 4);
	names_clear(&n);

	/* A bare address is an IP name, not a DNS name. */
	assert_err(names_parse_san("192.0.2.7", &n), MKCSR_E_OK);
	assert_int_equal(n.type, MKCSR_NAME_IP);
	assert_memory_equal(n.ip, v4, 4);
	names_clear(&n);

	/* "[::1]" and a bare IPv6 address contain ':' but are no prefix. */
	assert_err(names_parse_san("[::1]", &n), MKCSR_E_OK);
	assert_int_equal(n.type, MKCSR_NAME_IP);
	assert_string_equal(n.value, "::1");
	assert_int_equal(n.ip_len, 16);
	assert_memory_equal(n.ip, loopback6, 16);
	names_clear(&n);
	expect_san("fe80::1", MKCSR_NAME_IP, "fe80::1");
}

static void test_san_errors(void **state)
{
	char local[80], spec[120];

	(void)state;
	expect_san_error("uri:x", MKCSR_E_BAD_SAN);
	expect_san_error("uri:https://example.com/", MKCSR_E_BAD_SAN);
	expect_san_error("dns:10.0.0.1", MKCSR_E_BAD_SAN);
	expect_san_error("dns:a..b", MKCSR_E_BAD_SAN);
	expect_san_error("dns:", MKCSR_E_BAD_SAN);
	expect_san_error("email:nobody", MKCSR_E_BAD_SAN);
	expect_san_error("email:@example.com", MKCSR_E_BAD_SAN);
	expect_san_error("email:nobody@", MKCSR_E_BAD_SAN);
	expect_san_error("email:a b@example.com", MKCSR_E_BAD_SAN);
	expect_san_error("email:a@*.example.com", MKCSR_E_BAD_SAN);
	expect_san_error("email:a@exa_mple.com", MKCSR_E_BAD_SAN);
	expect_san_error("email:jürgen@example.com", MKCSR_E_BAD_SAN);
	expect_san_error("upn:nobody", MKCSR_E_BAD_SAN);
	/* A UPN is a UTF8String: non-ASCII is fine, bytes that are not UTF-8 (Latin-1 "jürgen") are not. */
	expect_san("upn:jürgen@example.com", MKCSR_NAME_UPN, "jürgen@example.com");
	expect_san_error("upn:j\xfcrgen@example.com", MKCSR_E_BAD_SAN);
	expect_san_error("upn:\xc3@example.com", MKCSR_E_BAD_SAN);
	expect_san_error("upn:\xc0\xaf@example.com", MKCSR_E_BAD_SAN);     /* overlong '/' */
	expect_san_error("upn:\xed\xa0\x80@example.com", MKCSR_E_BAD_SAN); /* a surrogate */
	expect_san("upn:\xf0\x9f\x98\x80@example.com", MKCSR_NAME_UPN, "\xf0\x9f\x98\x80@example.com");
	expect_san_error("ip:300.1.1.1", MKCSR_E_BAD_SAN);
	expect_san_error("ip:example.com", MKCSR_E_BAD_SAN);
	expect_san_error("ip:", MKCSR_E_BAD_SAN);
	/* A bare value that is neither is checked as a DNS name. */
	expect_san_error("bad_name.example.com", MKCSR_E_BAD_SAN);
	/* A bare address must say which kind of address it is. */
	expect_san_error("admin@example.com", MKCSR_E_BAD_SAN);
	assert_string_equal(err_detail(), "'admin@example.com' is an address: say which kind, email:admin@example.com or upn:admin@example.com");

	/* The local part of an address has at most 64 characters; a UPN has no such limit. */
	snprintf(spec, sizeof(spec), "email:%s@example.com", repeat(local, 'a', 64));
	expect_san(spec, MKCSR_NAME_EMAIL, spec + 6);
	snprintf(spec, sizeof(spec), "email:%s@example.com", repeat(local, 'a', 65));
	expect_san_error(spec, MKCSR_E_BAD_SAN);
	snprintf(spec, sizeof(spec), "upn:%s@example.com", repeat(local, 'a', 65));
	expect_san(spec, MKCSR_NAME_UPN, spec + 4);
}

static void test_names_equal(void **state)
{
	struct mkcsr_name a, b;

	(void)state;
	/* Equal after normalization. */
	assert_err(names_parse_host("VPN.example.com.", &a), MKCSR_E_OK);
	assert_err(names_parse_san("dns:vpn.EXAMPLE.com", &b), MKCSR_E_OK);
	assert_true(names_equal(&a, &b));
	names_clear(&b);
	assert_err(names_parse_san("dns:vpn2.example.com", &b), MKCSR_E_OK);
	assert_false(names_equal(&a, &b));
	names_clear(&b);
	names_clear(&a);

	/* Addresses compare by their bytes. */
	assert_err(names_parse_san("ip:2001:db8:0:0::1", &a), MKCSR_E_OK);
	assert_err(names_parse_san("[2001:DB8::1]", &b), MKCSR_E_OK);
	assert_true(names_equal(&a, &b));
	names_clear(&b);
	assert_err(names_parse_san("ip:2001:db8::2", &b), MKCSR_E_OK);
	assert_false(names_equal(&a, &b));
	names_clear(&b);
	names_clear(&a);

	/* The same text in two types is two names. */
	assert_err(names_parse_san("email:a@example.com", &a), MKCSR_E_OK);
	assert_err(names_parse_san("upn:a@example.com", &b), MKCSR_E_OK);
	assert_false(names_equal(&a, &b));
	names_clear(&b);
	names_clear(&a);

	/* An IPv4 address and its IPv4-mapped IPv6 form are different names in a SAN. */
	assert_err(names_parse_san("ip:10.0.0.1", &a), MKCSR_E_OK);
	assert_err(names_parse_san("ip:::ffff:10.0.0.1", &b), MKCSR_E_OK);
	assert_false(names_equal(&a, &b));
	names_clear(&b);
	names_clear(&a);
}

static void test_type_labels(void **state)
{
	(void)state;
	assert_string_equal(names_type_label(MKCSR_NAME_DNS), "DNS");
	assert_string_equal(names_type_label(MKCSR_NAME_IP), "IP");
	assert_string_equal(names_type_label(MKCSR_NAME_EMAIL), "email");
	assert_string_equal(names_type_label(MKCSR_NAME_UPN), "UPN");
	assert_string_equal(names_type_key(MKCSR_NAME_DNS), "dns");
	assert_string_equal(names_type_key(MKCSR_NAME_IP), "ip");
	assert_string_equal(names_type_key(MKCSR_NAME_EMAIL), "email");
	assert_string_equal(names_type_key(MKCSR_NAME_UPN), "upn");
	names_clear(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_valid),
		cmocka_unit_test(test_dns_wildcard_not_allowed),
		cmocka_unit_test(test_dns_lengths),
		cmocka_unit_test(test_dns_invalid),
		cmocka_unit_test(test_dns_error_details),
		cmocka_unit_test(test_dns_idn),
		cmocka_unit_test(test_host_ipv4),
		cmocka_unit_test(test_host_ipv6),
		cmocka_unit_test(test_host_dns),
		cmocka_unit_test(test_san_prefixes),
		cmocka_unit_test(test_san_errors),
		cmocka_unit_test(test_names_equal),
		cmocka_unit_test(test_type_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
