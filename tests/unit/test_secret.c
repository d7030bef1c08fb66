/* secret: passphrase sources, their first line, and the refusals. */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "secret.h"

static void expect_secret(const char *source, const char *want)
{
	struct mkcsr_secret s;
	enum mkcsr_err rc = secret_read(source, "test passphrase", false, &s);

	if (rc != MKCSR_E_OK)
		fail_msg("'%s': %s (%s)", source, err_name(rc), err_detail());
	assert_non_null(s.text);
	assert_string_equal(s.text, want);
	assert_int_equal(s.len, strlen(want));
	secret_clear(&s);
	assert_null(s.text);
	assert_int_equal(s.len, 0);
}

static void expect_failure(const char *source, enum mkcsr_err want)
{
	struct mkcsr_secret s;

	assert_err(secret_read(source, "test passphrase", false, &s), want);
	assert_null(s.text);
	assert_int_equal(s.len, 0);
	/* The message names what could not be read. */
	assert_true(err_detail()[0] != '\0');
	secret_clear(&s);
}

static void test_env(void **state)
{
	(void)state;
	assert_int_equal(setenv("MKCSR_TEST_PASS", "correct horse", 1), 0);
	expect_secret("env:MKCSR_TEST_PASS", "correct horse");
	/* The first line only. */
	assert_int_equal(setenv("MKCSR_TEST_PASS", "line one\r\nline two", 1), 0);
	expect_secret("env:MKCSR_TEST_PASS", "line one");

	assert_int_equal(setenv("MKCSR_TEST_PASS", "", 1), 0);
	expect_failure("env:MKCSR_TEST_PASS", MKCSR_E_SECRET_EMPTY);
	assert_int_equal(unsetenv("MKCSR_TEST_PASS"), 0);
	expect_failure("env:MKCSR_TEST_PASS", MKCSR_E_SECRET_UNAVAILABLE);
	assert_non_null(strstr(err_detail(), "MKCSR_TEST_PASS"));
}

static void test_env_too_long(void **state)
{
	char value[SECRET_MAX + 1];

	(void)state;
	memset(value, 'p', SECRET_MAX - 1);
	value[SECRET_MAX - 1] = '\0';
	assert_int_equal(setenv("MKCSR_TEST_PASS", value, 1), 0);
	expect_secret("env:MKCSR_TEST_PASS", value);
	value[SECRET_MAX - 1] = 'p';
	value[SECRET_MAX] = '\0';
	assert_int_equal(setenv("MKCSR_TEST_PASS", value, 1), 0);
	expect_failure("env:MKCSR_TEST_PASS", MKCSR_E_SECRET_UNAVAILABLE);
	assert_int_equal(unsetenv("MKCSR_TEST_PASS"), 0);
}

static void test_file(void **state)
{
	const char *dir = *state;
	char *path, *source = NULL;

	path = unit_write_file(dir, "crlf", "from a file\r\nsecond line\r\n", 26);
	assert_true(asprintf(&source, "file:%s", path) > 0);
	expect_secret(source, "from a file");
	free(source);
	free(path);

	path = unit_write_file(dir, "no-newline", "no line end", 11);
	assert_true(asprintf(&source, "file:%s", path) > 0);
	expect_secret(source, "no line end");
	free(source);
	free(path);

	/* Blanks are part of a passphrase. */
	path = unit_write_file(dir, "blanks", " a b \n", 6);
	assert_true(asprintf(&source, "file:%s", path) > 0);
	expect_secret(source, " a b ");
	free(source);
	free(path);
}

static void test_file_failures(void **state)
{
	const char *dir = *state;
	char *path, *source = NULL;
	char line[2001];

	/* Missing. */
	assert_true(asprintf(&source, "file:%s/missing", dir) > 0);
	expect_failure(source, MKCSR_E_SECRET_UNAVAILABLE);
	assert_non_null(strstr(err_detail(), "missing"));
	free(source);

	/* A directory. */
	assert_true(asprintf(&source, "file:%s", dir) > 0);
	expect_failure(source, MKCSR_E_SECRET_UNAVAILABLE);
	assert_non_null(strstr(err_detail(), "directory"));
	free(source);

	/* Empty, and an empty first line. */
	path = unit_write_file(dir, "empty", "", 0);
	assert_true(asprintf(&source, "file:%s", path) > 0);
	expect_failure(source, MKCSR_E_SECRET_EMPTY);
	free(source);
	free(path);
	path = unit_write_file(dir, "empty-line", "\nsecond\n", 8);
	assert_true(asprintf(&source, "file:%s", path) > 0);
	expect_failure(source, MKCSR_E_SECRET_EMPTY);
	free(source);
	free(path);

	/* A 2000-byte line is no passphrase. */
	memset(line, 'x', 2000);
	line[2000] = '\n';
	path = unit_write_file(dir, "long", line, sizeof(line));
	assert_true(asprintf(&source, "file:%s", path) > 0);
	expect_failure(source, MKCSR_E_SECRET_UNAVAILABLE);
	assert_non_null(strstr(err_detail(), "longer than"));
	free(source);
	free(path);

	/* The limit: 1023 bytes and a line end are taken, 1024 are not (as for env:). */
	memset(line, 'y', SECRET_MAX - 1);
	line[SECRET_MAX - 1] = '\n';
	path = unit_write_file(dir, "limit", line, SECRET_MAX);
	assert_true(asprintf(&source, "file:%s", path) > 0);
	line[SECRET_MAX - 1] = '\0';
	expect_secret(source, line);
	free(source);
	free(path);
	memset(line, 'y', SECRET_MAX);
	line[SECRET_MAX] = '\n';
	path = unit_write_file(dir, "over", line, SECRET_MAX + 1);
	assert_true(asprintf(&source, "file:%s", path) > 0);
	expect_failure(source, MKCSR_E_SECRET_UNAVAILABLE);
	free(source);
	free(path);
}

static void test_fd(void **state)
{
	int fds[2];
	char source[32];
	static const char data[] = "through a pipe\nnot this\n";

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], data, sizeof(data) - 1), (ssize_t)(sizeof(data) - 1));
	assert_int_equal(close(fds[1]), 0);
	snprintf(source, sizeof(source), "fd:%d", fds[0]);
	expect_secret(source, "through a pipe");
	/* Only the first line was taken: the rest is still in the pipe for whoever wants it. */
	{
		char rest[16] = { 0 };

		assert_int_equal(read(fds[0], rest, sizeof(rest) - 1), 9);
		assert_string_equal(rest, "not this\n");
	}
	assert_int_equal(close(fds[0]), 0);

	/* A closed descriptor. */
	snprintf(source, sizeof(source), "fd:%d", fds[0]);
	expect_failure(source, MKCSR_E_SECRET_UNAVAILABLE);
}

static void test_stdin(void **state)
{
	int fds[2], saved = dup(STDIN_FILENO);
	static const char data[] = "from stdin\r\n";

	(void)state;
	assert_true(saved >= 0);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], data, sizeof(data) - 1), (ssize_t)(sizeof(data) - 1));
	assert_int_equal(close(fds[1]), 0);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(fds[0]), 0);
	expect_secret("stdin", "from stdin");
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	assert_int_equal(close(saved), 0);
}

static void test_pass(void **state)
{
	(void)state;
	expect_secret("pass:visible", "visible");
	expect_secret("pass:with:colon", "with:colon");
	expect_failure("pass:", MKCSR_E_SECRET_EMPTY);
}

static void test_malformed_sources(void **state)
{
	static const char *const bad[] = {
		"env:", "file:", "fd:", "fd:x", "fd:3x", "fd:-1", "fd:99999999999", "bogus", "", "ENV:X",
		"stdin:", "prompt:x", "pass", "env", "stdinx",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mkcsr_secret s;
		bool on_argv = true;
		enum mkcsr_err rc = secret_read(bad[i], "test passphrase", false, &s);

		if (rc != MKCSR_E_BAD_SECRET_SOURCE)
			fail_msg("secret_read('%s'): got %s, expected BAD_SECRET_SOURCE", bad[i], err_name(rc));
		assert_null(s.text);
		rc = secret_check_source(bad[i], &on_argv);
		if (rc != MKCSR_E_BAD_SECRET_SOURCE)
			fail_msg("secret_check_source('%s'): got %s", bad[i], err_name(rc));
		assert_false(on_argv);
	}
}

static void test_check_source(void **state)
{
	static const char *const good[] = { "env:X", "file:/nonexistent", "fd:0", "stdin", "prompt" };
	bool on_argv = true;

	(void)state;
	/* Only the form is checked: nothing is read, a missing file is fine here. */
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		on_argv = true;
		assert_err(secret_check_source(good[i], &on_argv), MKCSR_E_OK);
		assert_false(on_argv);
	}
	on_argv = false;
	assert_err(secret_check_source("pass:x", &on_argv), MKCSR_E_OK);
	assert_true(on_argv);
	on_argv = false;
	assert_err(secret_check_source("pass:", &on_argv), MKCSR_E_OK);
	assert_true(on_argv);
}

static void test_prompt_without_terminal(void **state)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);

	(void)state;
	if (fd >= 0) {
		/* With a terminal the prompt would wait for a person. */
		close(fd);
		skip();
	}
	expect_failure("prompt", MKCSR_E_SECRET_UNAVAILABLE);
	assert_non_null(strstr(err_detail(), "no terminal"));
}

static void test_clear_is_safe(void **state)
{
	struct mkcsr_secret s = { 0 };

	(void)state;
	secret_clear(&s);
	secret_clear(NULL);
	assert_null(s.text);
}

/* secret_generate: 24 characters of URL-safe Base64, different every time. */
static void expect_generated(struct mkcsr_secret *s)
{
	assert_err(secret_generate(s), MKCSR_E_OK);
	assert_non_null(s->text);
	assert_int_equal(s->len, 24);
	assert_int_equal(strlen(s->text), 24);
	for (size_t i = 0; i < s->len; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", s->text[i]) == NULL)
			fail_msg("'%c' in '%s' is not URL-safe Base64", s->text[i], s->text);
}

static void test_generate(void **state)
{
	struct mkcsr_secret a, b;
	bool dash = false, underscore = false;

	(void)state;
	expect_generated(&a);
	expect_generated(&b);
	assert_string_not_equal(a.text, b.text);
	secret_clear(&b);
	assert_null(b.text);
	assert_int_equal(b.len, 0);

	/*
	 * '+' and '/' are mapped, not dropped: both replacements turn up (that 200
	 * passwords lack one has p = (63/64)^4800 < 1e-30).
	 */
	for (int i = 0; i < 200 && !(dash && underscore); i++) {
		expect_generated(&b);
		assert_string_not_equal(a.text, b.text);
		dash = dash || strchr(b.text, '-') != NULL;
		underscore = underscore || strchr(b.text, '_') != NULL;
		secret_clear(&b);
	}
	assert_true(dash);
	assert_true(underscore);
	secret_clear(&a);
}

#define T(name) cmocka_unit_test_setup_teardown(name, unit_setup_tempdir, unit_teardown_tempdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_env),
		T(test_env_too_long),
		T(test_file),
		T(test_file_failures),
		T(test_fd),
		T(test_stdin),
		T(test_pass),
		T(test_malformed_sources),
		T(test_check_source),
		T(test_prompt_without_terminal),
		T(test_clear_is_safe),
		T(test_generate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
