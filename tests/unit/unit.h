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

/* Fails the test unless rc is expected, showing err_detail() when it is not. */
#define assert_err(rc, expected)                                                                   \
	do {                                                                                       \
		enum mkcsr_err assert_err_rc_ = (rc);                                              \
		if (assert_err_rc_ != (expected))                                                  \
			fail_msg("%s: got %s (%s), expected %s", #rc, err_name(assert_err_rc_),     \
				 err_detail(), err_name(expected));                               \
	} while (0)

#endif
