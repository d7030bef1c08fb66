/* probe: targets as written on the command line and in --targets files, and the exit code over targets. */
#include "unit.h"

#include <netinet/in.h>

#include "probe.h"

static void expect_hostport(const char *text, const char *host, const char *port)
{
	char h[256], p[8];

	err_clear();
	if (probe_parse_hostport(text, "target", h, sizeof(h), p) != MKCSR_E_OK)
		fail_msg("'%s' refused: %s", text, err_detail());
	assert_string_equal(h, host);
	assert_string_equal(p, port);
}

static void expect_bad_hostport(const char *text, const char *detail)
{
	char h[256], p[8];

	assert_int_equal(probe_parse_hostport(text, "target", h, sizeof(h), p), MKCSR_E_BAD_TARGET);
	assert_string_equal(err_detail(), detail);
}

static void test_hostport(void **state)
{
	(void)state;
	expect_hostport("vpn.example.com", "vpn.example.com", "443");
	expect_hostport("vpn.example.com:8443", "vpn.example.com", "8443");
	expect_hostport("vpn.example.com:00443", "vpn.example.com", "443");
	expect_hostport("192.0.2.1:1", "192.0.2.1", "1");
	expect_hostport("[2001:db8::1]:65535", "2001:db8::1", "65535");
	expect_hostport("[::1]", "::1", "443");
	expect_hostport("2001:db8::1", "2001:db8::1", "443");
	expect_bad_hostport("vpn.example.com:0", "target 'vpn.example.com:0': the port '0' is not a number from 1 to 65535");
	expect_bad_hostport("vpn.example.com:65536",
			    "target 'vpn.example.com:65536': the port '65536' is not a number from 1 to 65535");
	expect_bad_hostport("vpn.example.com:+1", "target 'vpn.example.com:+1': the port '+1' is not a number from 1 to 65535");
	expect_bad_hostport(":443", "target ':443': no host name");
	expect_bad_hostport("[::1]:", "target '[::1]:': the port '' is not a number from 1 to 65535");
	expect_bad_hostport("[::1]x", "target '[::1]x': only ':PORT' may follow ']'");
	expect_bad_hostport("[192.0.2.1]:443", "target '[192.0.2.1]:443': '192.0.2.1' is not an IPv6 address");
	expect_bad_hostport("a::b::c", "target 'a::b::c': write an IPv6 address with a port as [ADDRESS]:PORT");
}

static void test_target_init(void **state)
{
	struct mkcsr_probe_target t;

	(void)state;
	assert_int_equal(probe_target_init(&t, "VPN.Example.com.:8443", NULL), MKCSR_E_OK);
	assert_string_equal(t.name, "vpn.example.com");
	assert_string_equal(t.port, "8443");
	assert_string_equal(t.connect_host, "");
	assert_string_equal(t.label, "vpn.example.com:8443");
	/* --connect without a port keeps the name's; with one, its own. */
	assert_int_equal(probe_target_init(&t, "vpn.example.com:8443", "192.0.2.7"), MKCSR_E_OK);
	assert_string_equal(t.connect_host, "192.0.2.7");
	assert_string_equal(t.connect_port, "8443");
	assert_string_equal(t.label, "vpn.example.com:8443 via 192.0.2.7:8443");
	assert_int_equal(probe_target_init(&t, "vpn.example.com", "[2001:db8::7]:4443"), MKCSR_E_OK);
	assert_string_equal(t.connect_port, "4443");
	assert_string_equal(t.label, "vpn.example.com:443 via [2001:db8::7]:4443");
	assert_int_equal(probe_target_init(&t, "vpn.example.com", "2001:db8::7"), MKCSR_E_OK);
	assert_string_equal(t.label, "vpn.example.com:443 via [2001:db8::7]:443");
	assert_int_equal(probe_target_init(&t, "[::1]:4443", NULL), MKCSR_E_OK);
	assert_string_equal(t.name, "::1");
	assert_string_equal(t.label, "[::1]:4443");
	assert_int_equal(probe_target_init(&t, "*.example.com", NULL), MKCSR_E_BAD_NAME);
	assert_int_equal(probe_target_init(&t, "vpn.example.com", "192.0.2.7:x"), MKCSR_E_BAD_TARGET);
	assert_string_equal(err_detail(), "--connect '192.0.2.7:x': the port 'x' is not a number from 1 to 65535");
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_read_targets(void **state)
{
	char *path = unit_path(*state, "targets.txt");
	struct mkcsr_probe_target *targets = NULL;
	size_t count = 0;

	write_file(path, "# pool\r\nvpn.example.com 192.0.2.1   # one\n\n\tvpn.example.com:8443\t[2001:db8::2]:443\r\n#\n");
	assert_int_equal(probe_read_targets(path, &targets, &count), MKCSR_E_OK);
	assert_int_equal(count, 2);
	assert_string_equal(targets[0].label, "vpn.example.com:443 via 192.0.2.1:443");
	assert_string_equal(targets[1].label, "vpn.example.com:8443 via [2001:db8::2]:443");
	write_file(path, "vpn.example.com\nvpn.example.com:99999\n");
	assert_int_equal(probe_read_targets(path, &targets, &count), MKCSR_E_BAD_TARGET);
	assert_true(strstr(err_detail(), "targets.txt' line 2: target 'vpn.example.com:99999': the port") != NULL);
	/* The good line before the bad one was added: the caller refuses the whole run anyway. */
	assert_int_equal(count, 3);
	free(targets);
	free(path);
}

static void test_worst_exit(void **state)
{
	struct mkcsr_probe_result r[4] = { 0 };

	(void)state;
	for (int i = 0; i < 4; i++)
		r[i].probed = true;
	assert_int_equal(probe_worst_exit(r, 4), MKCSR_EXIT_OK);
	r[0].exit_code = MKCSR_EXIT_EXPIRING;
	assert_int_equal(probe_worst_exit(r, 4), MKCSR_EXIT_EXPIRING);
	r[1].exit_code = MKCSR_EXIT_FAILED;
	assert_int_equal(probe_worst_exit(r, 4), MKCSR_EXIT_FAILED);
	r[2].exit_code = MKCSR_EXIT_MISMATCH;
	assert_int_equal(probe_worst_exit(r, 4), MKCSR_EXIT_MISMATCH);
	r[3].exit_code = MKCSR_EXIT_UNREACHABLE;
	assert_int_equal(probe_worst_exit(r, 4), MKCSR_EXIT_UNREACHABLE);
	/* A target never probed (interrupted) counts for nothing. */
	r[3].probed = false;
	assert_int_equal(probe_worst_exit(r, 4), MKCSR_EXIT_MISMATCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostport),
		cmocka_unit_test(test_target_init),
		cmocka_unit_test_setup_teardown(test_read_targets, unit_setup_tempdir, unit_teardown_tempdir),
		cmocka_unit_test(test_worst_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
