/*
 * template: the built-in templates are the files of templates/ byte for
 * byte; a name is found in $MKCSR_TEMPLATE_DIR, then the installed
 * directory, then among the built-in ones; the list has each name once, the
 * one that wins; a missing name or directory is named; a built-in template
 * loads with HOST filled in.
 */
#include "unit.h"

#include <dirent.h>
#include <unistd.h>

#include "input.h"
#include "template.h"

static const char *shipped_dir(void)
{
	static char dir[4096];
	const char *srcdir = getenv("TESTS_SRCDIR");

	assert_non_null(srcdir);
	snprintf(dir, sizeof(dir), "%s/../templates", srcdir);
	return dir;
}

/* The tests need the built-in templates to win over the installed directory: it must not be there. */
static int setup(void **state)
{
	if (access(template_installed_dir(), F_OK) == 0)
		fail_msg("%s exists: an installed mkcsr's templates would stand in for the built-in ones", template_installed_dir());
	unsetenv("MKCSR_TEMPLATE_DIR");
	return unit_setup_tempdir(state);
}

static int teardown(void **state)
{
	unsetenv("MKCSR_TEMPLATE_DIR");
	return unit_teardown_tempdir(state);
}

static void test_builtins_are_the_files(void **state)
{
	DIR *d = opendir(shipped_dir());
	struct dirent *e;
	size_t files = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		files += strlen(e->d_name) > 4 && strcmp(e->d_name + strlen(e->d_name) - 4, ".inf") == 0;
	closedir(d);
	assert_int_equal(template_builtin_count, files);
	for (size_t i = 0; i < template_builtin_count; i++) {
		const struct template_builtin *b = &template_builtins[i];
		char path[4200];
		unsigned char *data = NULL;
		size_t len = 0;

		if (i > 0)
			assert_true(strcmp(template_builtins[i - 1].name, b->name) < 0);
		snprintf(path, sizeof(path), "%s/%s.inf", shipped_dir(), b->name);
		assert_err(input_read_file(path, &data, &len), MKCSR_E_OK);
		assert_int_equal(b->len, len);
		assert_memory_equal(b->text, data, len);
		assert_int_equal(b->text[b->len], '\0');
		free(data);
	}
}

static void test_resolve_builtin(void **state)
{
	struct template_info t;

	(void)state;
	assert_err(template_resolve("ikev2", &t), MKCSR_E_OK);
	assert_string_equal(t.name, "ikev2");
	assert_null(t.path);
	assert_string_equal(t.label, "built-in ikev2.inf");
	assert_int_equal(t.origin, TEMPLATE_BUILTIN);
	assert_non_null(t.builtin);
	assert_string_equal(t.role, "ikev2");
	assert_string_equal(t.needs, "HOST");
	assert_string_equal(t.summary, "RRAS IKEv2 server: RSA 2048, Server Authentication and IP security IKE intermediate");
	template_info_clear(&t);
	assert_err(template_resolve("user-tunnel", &t), MKCSR_E_OK);
	assert_string_equal(t.needs, "UPN");
	assert_string_equal(template_origin_name(t.origin), "built-in");
	template_info_clear(&t);
}

static void test_resolve_env_dir_first(void **state)
{
	const char *dir = *state;
	struct template_info t;

	free(unit_write_text(dir, "sstp.inf", "; mkcsr-role: sstp\n; mkcsr-summary: ours\n[NewRequest]\n"));
	free(unit_write_text(dir, "mine.inf", "; mkcsr-role: nps\n[NewRequest]\n"));
	setenv("MKCSR_TEMPLATE_DIR", dir, 1);
	assert_err(template_resolve("sstp", &t), MKCSR_E_OK);
	assert_int_equal(t.origin, TEMPLATE_ENV_DIR);
	assert_null(t.builtin);
	assert_non_null(t.path);
	assert_string_equal(t.path + strlen(dir), "/sstp.inf");
	assert_string_equal(t.label, t.path);
	assert_string_equal(t.summary, "ours");
	assert_null(t.needs);
	template_info_clear(&t);
	assert_err(template_resolve("mine", &t), MKCSR_E_OK);
	assert_int_equal(t.origin, TEMPLATE_ENV_DIR);
	assert_null(t.summary);
	template_info_clear(&t);
	/* Not in the directory: the built-in one. */
	assert_err(template_resolve("nps", &t), MKCSR_E_OK);
	assert_int_equal(t.origin, TEMPLATE_BUILTIN);
	template_info_clear(&t);
}

static void test_resolve_path(void **state)
{
	const char *dir = *state;
	char *path = unit_write_text(dir, "Laptops.INF", "; mkcsr-role: device\n[NewRequest]\n");
	struct template_info t;

	assert_err(template_resolve(path, &t), MKCSR_E_OK);
	assert_int_equal(t.origin, TEMPLATE_FILE);
	assert_string_equal(t.name, "Laptops");
	assert_string_equal(t.path, path);
	assert_string_equal(t.role, "device");
	template_info_clear(&t);
	free(path);
}

static void test_resolve_missing(void **state)
{
	const char *dir = *state;
	struct template_info t;
	char want[1024];

	assert_err(template_resolve("nope", &t), MKCSR_E_BAD_TEMPLATE);
	snprintf(want, sizeof(want), "no template 'nope' in '%s' or built in (device-tunnel, ikev2, nps, sstp, user-tunnel)",
		 template_installed_dir());
	assert_string_equal(err_detail(), want);
	setenv("MKCSR_TEMPLATE_DIR", dir, 1);
	assert_err(template_resolve("nope", &t), MKCSR_E_BAD_TEMPLATE);
	snprintf(want, sizeof(want),
		 "no template 'nope' in MKCSR_TEMPLATE_DIR '%s', in '%s' or built in (device-tunnel, ikev2, nps, sstp, user-tunnel)",
		 dir, template_installed_dir());
	assert_string_equal(err_detail(), want);
	assert_err(template_resolve("no pe", &t), MKCSR_E_BAD_TEMPLATE);
	assert_string_equal(err_detail(), "'no pe' is not a template name");
	assert_err(template_resolve("", &t), MKCSR_E_BAD_TEMPLATE);
	/* "" is set-but-empty for the variable: unset. */
	setenv("MKCSR_TEMPLATE_DIR", "", 1);
	assert_null(template_env_dir());
}

static void test_bad_env_dir(void **state)
{
	char *missing = unit_path(*state, "none");
	char *file = unit_write_text(*state, "file", "x");
	struct template_info t, *list = NULL;
	size_t count = 99;
	char want[1024];

	setenv("MKCSR_TEMPLATE_DIR", missing, 1);
	assert_err(template_resolve("sstp", &t), MKCSR_E_READ);
	snprintf(want, sizeof(want), "MKCSR_TEMPLATE_DIR '%s': No such file or directory", missing);
	assert_string_equal(err_detail(), want);
	assert_err(template_list(&list, &count), MKCSR_E_READ);
	assert_string_equal(err_detail(), want);
	assert_null(list);
	assert_int_equal(count, 0);
	setenv("MKCSR_TEMPLATE_DIR", file, 1);
	assert_err(template_list(&list, &count), MKCSR_E_READ);
	snprintf(want, sizeof(want), "MKCSR_TEMPLATE_DIR '%s': not a directory", file);
	assert_string_equal(err_detail(), want);
	free(missing);
	free(file);
}

static void test_list_merges(void **state)
{
	const char *dir = *state;
	static const char *const names[] = { "aa", "device-tunnel", "ikev2", "nps", "sstp", "user-tunnel" };
	struct template_info *list = NULL;
	size_t count = 0;

	free(unit_write_text(dir, "sstp.inf", "; mkcsr-summary: ours\n"));
	free(unit_write_text(dir, "aa.inf", "; mkcsr-summary: added\n"));
	free(unit_write_text(dir, ".hidden.inf", "\n"));
	free(unit_write_text(dir, "not a name.inf", "\n"));
	free(unit_write_text(dir, "README", "\n"));
	setenv("MKCSR_TEMPLATE_DIR", dir, 1);
	assert_err(template_list(&list, &count), MKCSR_E_OK);
	assert_int_equal(count, sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < count; i++) {
		bool from_dir = strcmp(names[i], "aa") == 0 || strcmp(names[i], "sstp") == 0;

		assert_string_equal(list[i].name, names[i]);
		assert_int_equal(list[i].origin, from_dir ? TEMPLATE_ENV_DIR : TEMPLATE_BUILTIN);
		assert_true(from_dir ? list[i].path != NULL : list[i].path == NULL);
		template_info_clear(&list[i]);
	}
	free(list);
}

static void test_load_builtin(void **state)
{
	struct inf_define host = { "HOST", "vpn.example.com" };
	struct template_info t;
	struct inf_file inf;
	bool subject = false;

	(void)state;
	assert_err(template_resolve("sstp", &t), MKCSR_E_OK);
	assert_err(template_load(&t, &host, 1, &inf), MKCSR_E_OK);
	assert_string_equal(inf.path, "built-in sstp.inf");
	for (size_t i = 0; i < inf.count; i++)
		if (strcmp(inf.entries[i].key, "Subject") == 0) {
			assert_string_equal(inf.entries[i].value, "CN=vpn.example.com");
			subject = true;
		}
	assert_true(subject);
	assert_string_equal(inf_comment_value(&inf, "mkcsr-role"), "sstp");
	inf_clear(&inf);
	template_info_clear(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_builtins_are_the_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_builtin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_env_dir_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_env_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_builtin, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
