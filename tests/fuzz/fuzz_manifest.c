/*
 * The batch manifest: manifest_read_data (a host list or CSV, BOM, CRLF,
 * quotes), each row's host and options over fixed defaults, then
 * batch_plan, which checks every row as mkcsr batch does (options, names,
 * templates, the renewal date of a deployed certificate found by
 * --like-dir, file names, two rows writing one file) and makes no key and
 * writes no file.  The defaults send every file to a directory of this
 * harness made once at start, holding only vpn.example.com.crt for
 * --like-dir.  A row that would open a file the input names (a like or inf
 * column, a template given as a path) is not planned: a fuzzer must not
 * open /dev/stdin or a FIFO.  Properties: every problem names a line of a
 * row or of the file; the plan fails exactly when a row is refused, with
 * the first problem's code; each planned job is a row's.
 */
#include <config.h>

#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>

#include "batch.h"
#include "err.h"
#include "fuzz.h"
#include "manifest.h"
#include "order.h"

static char fixture_dir[256];
static char fixture_cert[300];

static void remove_fixture(void)
{
	unlink(fixture_cert);
	rmdir(fixture_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;

	(void)argc;
	(void)argv;
	unsetenv("MKCSR_TEMPLATE_DIR");  /* the built-in and installed templates only */
	snprintf(fixture_dir, sizeof(fixture_dir), "%s/mkcsr-fuzz-manifest.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(fixture_dir) == NULL) {
		perror("fuzz_manifest: mkdtemp");
		exit(1);
	}
	snprintf(fixture_cert, sizeof(fixture_cert), "%s/vpn.example.com.crt", fixture_dir);
	f = fopen(fixture_cert, "w");
	if (f == NULL || fputs(fuzz_leaf_good_pem(), f) == EOF || fclose(f) != 0) {
		perror("fuzz_manifest: writing the fixture");
		exit(1);
	}
	atexit(remove_fixture);
	return 0;
}

static bool is_path(const char *value)
{
	size_t len = value ? strlen(value) : 0;

	return value != NULL && (strchr(value, '/') != NULL || (len > 4 && strcasecmp(value + len - 4, ".inf") == 0));
}

/* Each row's host and options; false when a row names a file to read. */
static bool check_rows(const struct manifest *m, const struct order_options *defaults)
{
	bool plannable = true;

	for (size_t i = 0; i < m->row_count; i++) {
		struct order_options o;
		char *host = manifest_row_host(m, i);
		enum mkcsr_err rc = manifest_row_options(m, i, defaults, &o);

		FUZZ_ASSERT(m->rows[i].line >= 1 && (i == 0 || m->rows[i].line > m->rows[i - 1].line));
		FUZZ_ASSERT(host == NULL || host[0] != '\0');
		if (rc == MKCSR_E_OK) {
			const char *first = order_options_first(&o, ORDER_OPT_HOST);

			FUZZ_ASSERT((host == NULL) == (first == NULL) && (host == NULL || strcmp(host, first) == 0));
			plannable = plannable && o.like == NULL && o.inf == NULL && !is_path(o.template);
		} else {
			FUZZ_ASSERT(err_detail()[0] != '\0');
		}
		order_options_clear(&o);
		free(host);
		err_clear();
	}
	return plannable;
}

static void plan(const struct manifest *m, const struct order_options *defaults, long renew_within_days)
{
	struct batch_settings s = { 0 };
	struct batch_plan p;
	struct manifest_problems problems = { 0 }, warnings = { 0 };
	enum mkcsr_err rc;

	s.manifest = m;
	s.defaults = defaults;
	s.jobs = 1;
	s.renew_within_days = renew_within_days;
	s.like_dir = fixture_dir;
	s.now = FUZZ_NOW;
	rc = batch_plan(&s, &p, &problems, &warnings);
	if (rc != MKCSR_E_NOMEM) {
		FUZZ_ASSERT((rc == MKCSR_E_OK) == (problems.count == 0));
		FUZZ_ASSERT(problems.count == 0 || rc == problems.items[0].code);
		FUZZ_ASSERT(p.count == m->row_count);
	}
	for (size_t i = 0; i < problems.count; i++)
		FUZZ_ASSERT(problems.items[i].code != MKCSR_E_OK && problems.items[i].text[0] != '\0');
	for (size_t i = 0; i < warnings.count; i++)
		FUZZ_ASSERT(warnings.items[i].code == MKCSR_E_OK);
	for (size_t i = 0; rc == MKCSR_E_OK && i < p.count; i++)
		FUZZ_ASSERT(p.jobs[i].row == i && p.jobs[i].line == m->rows[i].line && p.jobs[i].action <= BATCH_FAIL_LONE);
	batch_plan_clear(&p);
	manifest_problems_clear(&problems);
	manifest_problems_clear(&warnings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct order_options defaults = { 0 };
	struct manifest m;
	struct manifest_problems problems = { 0 };
	unsigned lines = 1;
	enum mkcsr_err rc;

	if (size > 64 * 1024)
		return 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	defaults.out_dir = fixture_dir;
	rc = manifest_read_data("fuzz.csv", data, size, &m, &problems);
	if (rc != MKCSR_E_OK)
		FUZZ_ASSERT(err_detail()[0] != '\0');
	for (size_t i = 0; i < problems.count; i++)
		FUZZ_ASSERT(problems.items[i].line >= 1 && problems.items[i].line <= lines &&
			    problems.items[i].code == MKCSR_E_MALFORMED);
	FUZZ_ASSERT(problems.count == 0 || rc == MKCSR_E_MALFORMED);
	err_clear();
	/* Odd sizes: --renew-within 800 (the deployed certificate is due); even: not asked. */
	if (rc == MKCSR_E_OK && m.row_count <= 64 && check_rows(&m, &defaults))
		plan(&m, &defaults, size % 2 ? 800 : -1);
	manifest_clear(&m);
	manifest_problems_clear(&problems);
	err_clear();
	ERR_clear_error();
	return 0;
}
