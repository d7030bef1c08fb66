#ifndef MKCSR_TESTS_UNIT_H
#define MKCSR_TESTS_UNIT_H

/* What every cmocka test of a module needs. */

#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"

/* A fresh private directory for a test; the path is malloc'ed. */
static inline char *unit_tempdir(void)
{
	char tmpl[] = "/tmp/mkcsr-unit.XXXXXX";
	char *dir = mkdtemp(tmpl);

	assert_non_null(dir);
	return strdup(dir);
}

/* Removes a directory made by unit_tempdir() and everything in it (one level). */
static inline void unit_rmdir(char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

/* cmocka fixtures: *state is a fresh private directory, removed afterwards. */
static inline int unit_setup_tempdir(void **state)
{
	*state = unit_tempdir();
	return 0;
}

static inline int unit_teardown_tempdir(void **state)
{
	unit_rmdir(*state);
	return 0;
}

/* dir/name, malloc'ed. */
static inline char *unit_path(const char *dir, const char *name)
{
	char *path = NULL;

	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	return path;
}

/* Writes len bytes to dir/name; returns the path (malloc'ed). */
static inline char *unit_write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char *path = unit_path(dir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	if (len > 0)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static inline char *unit_write_text(const char *dir, const char *name, const char *text)
{
	return unit_write_file(dir, name, text, strlen(text));
}

/* Fails the test unless rc is expected, showing err_detail() when it is not. */
#define assert_err(rc, expected)                                                                   \
	do {                                                                                       \
		enum mkcsr_err assert_err_rc_ = (rc);                                              \
		if (assert_err_rc_ != (expected))                                                  \
			fail_msg("%s: got %s (%s), expected %s", #rc, err_name(assert_err_rc_),     \
				 err_detail(), err_name(expected));                               \
	} while (0)

#endif
