/*
 * pairfile and the group commit of mkcsr batch under failure: write, fsync,
 * rename, renameat2, link and syncfs are wrapped at link time (test_pairfile.wrap) so
 * that any one call fails.  Whatever fails, a key is never left without its
 * request, and a key that was there is never lost.
 */
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "manifest.h"
#include "pairfile.h"

struct fault {
	int first;   /* the first-th call after arming fails ... */
	int times;   /* ... and the times-1 after it; 0: no fault */
	int err;
	int seen;
	int fired;
};

static struct fault fault_write, fault_fsync, fault_rename, fault_link, fault_syncfs, fault_renameat2;

static void arm(struct fault *f, int nth, int times, int err)
{
	f->first = nth;
	f->times = times;
	f->err = err;
	f->seen = 0;
	f->fired = 0;
}

static bool should_fail(struct fault *f)
{
	f->seen++;
	if (f->times > 0 && f->seen >= f->first && f->seen < f->first + f->times) {
		f->fired++;
		errno = f->err;
		return true;
	}
	return false;
}

ssize_t __real_write(int fd, const void *buf, size_t count);
int __real_fsync(int fd);
int __real_rename(const char *from, const char *to);
int __real_link(const char *from, const char *to);
int __real_syncfs(int fd);
int __real_renameat2(int olddirfd, const char *from, int newdirfd, const char *to, unsigned int flags);
int __wrap_renameat2(int olddirfd, const char *from, int newdirfd, const char *to, unsigned int flags);
ssize_t __wrap_write(int fd, const void *buf, size_t count);
int __wrap_fsync(int fd);
int __wrap_rename(const char *from, const char *to);
int __wrap_link(const char *from, const char *to);
int __wrap_syncfs(int fd);

ssize_t __wrap_write(int fd, const void *buf, size_t count)
{
	return should_fail(&fault_write) ? -1 : __real_write(fd, buf, count);
}

int __wrap_fsync(int fd)
{
	return should_fail(&fault_fsync) ? -1 : __real_fsync(fd);
}

int __wrap_rename(const char *from, const char *to)
{
	return should_fail(&fault_rename) ? -1 : __real_rename(from, to);
}

int __wrap_link(const char *from, const char *to)
{
	return should_fail(&fault_link) ? -1 : __real_link(from, to);
}

int __wrap_syncfs(int fd)
{
	return should_fail(&fault_syncfs) ? -1 : __real_syncfs(fd);
}

int __wrap_renameat2(int olddirfd, const char *from, int newdirfd, const char *to, unsigned int flags)
{
	return should_fail(&fault_renameat2) ? -1 : __real_renameat2(olddirfd, from, newdirfd, to, flags);
}

static void disarm(void)
{
	memset(&fault_renameat2, 0, sizeof(fault_renameat2));
	memset(&fault_write, 0, sizeof(fault_write));
	memset(&fault_fsync, 0, sizeof(fault_fsync));
	memset(&fault_rename, 0, sizeof(fault_rename));
	memset(&fault_link, 0, sizeof(fault_link));
	memset(&fault_syncfs, 0, sizeof(fault_syncfs));
}

static int setup(void **state)
{
	disarm();
	return unit_setup_tempdir(state);
}

static int teardown(void **state)
{
	disarm();
	return unit_teardown_tempdir(state);
}

/* The directory's names, sorted, comma-separated, with the directory's prefix dropped. */
static void listing(const char *dir, char *out, size_t size)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0)
			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "",
						 strncmp(names[i]->d_name, PAIRFILE_PREFIX, strlen(PAIRFILE_PREFIX)) == 0
							 ? "TEMP" : names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

static void expect_listing(const char *dir, const char *want)
{
	char got[4096];

	listing(dir, got, sizeof(got));
	assert_string_equal(got, want);
}

static void expect_content(const char *dir, const char *name, const char *want)
{
	char *path = unit_path(dir, name), buf[256] = { 0 };
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) == strlen(want));
	fclose(f);
	assert_string_equal(buf, want);
	free(path);
}

static void stage(const char *dir, struct pairfile *p, bool sync, enum mkcsr_err want)
{
	char *key = unit_path(dir, "vpn.key"), *csr = unit_path(dir, "vpn.csr");

	assert_err(pairfile_stage(p, key, csr, "NEWKEY", 6, "NEWCSR", 6, sync), want);
	free(key);
	free(csr);
}

static void old_pair(const char *dir)
{
	free(unit_write_text(dir, "vpn.key", "OLDKEY"));
	free(unit_write_text(dir, "vpn.csr", "OLDCSR"));
}

static void test_new_pair(void **state)
{
	struct pairfile p;
	struct stat st;
	char *key = unit_path(*state, "vpn.key");

	stage(*state, &p, true, MKCSR_E_OK);
	expect_listing(*state, "TEMP,TEMP");
	assert_int_equal(fault_fsync.seen, 2);
	assert_err(pairfile_install(&p, false, "S"), MKCSR_E_OK);
	pairfile_clear(&p);
	expect_listing(*state, "vpn.csr,vpn.key");
	expect_content(*state, "vpn.key", "NEWKEY");
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(key);
}

static void test_stage_failures_leave_nothing(void **state)
{
	struct pairfile p;

	arm(&fault_write, 2, 1, ENOSPC);  /* the request's write */
	stage(*state, &p, false, MKCSR_E_WRITE);
	assert_non_null(strstr(err_detail(), "vpn.csr': No space left on device"));
	pairfile_clear(&p);
	expect_listing(*state, "");
	disarm();
	arm(&fault_fsync, 1, 1, EIO);
	stage(*state, &p, true, MKCSR_E_WRITE);
	pairfile_clear(&p);
	expect_listing(*state, "");
}

static void test_key_install_fails_new_pair(void **state)
{
	struct pairfile p;

	stage(*state, &p, false, MKCSR_E_OK);
	arm(&fault_renameat2, 2, 1, EIO);  /* the request goes in, then the key fails */
	assert_err(pairfile_install(&p, false, "S"), MKCSR_E_WRITE);
	pairfile_clear(&p);
	expect_listing(*state, "");  /* no request without its key either */
}

static void test_existing_refused_without_replace(void **state)
{
	struct pairfile p;

	old_pair(*state);
	stage(*state, &p, false, MKCSR_E_OK);
	assert_err(pairfile_install(&p, false, "S"), MKCSR_E_EXISTS);
	pairfile_clear(&p);
	expect_listing(*state, "vpn.csr,vpn.key");
	expect_content(*state, "vpn.key", "OLDKEY");
}

static void test_replace_keeps_aside(void **state)
{
	struct pairfile p;

	old_pair(*state);
	stage(*state, &p, false, MKCSR_E_OK);
	assert_err(pairfile_install(&p, true, "S"), MKCSR_E_OK);
	assert_non_null(strstr(p.key_aside, "/vpn.key.old-S"));
	pairfile_clear(&p);
	expect_listing(*state, "vpn.csr,vpn.csr.old-S,vpn.key,vpn.key.old-S");
	expect_content(*state, "vpn.key.old-S", "OLDKEY");
	expect_content(*state, "vpn.csr.old-S", "OLDCSR");
	expect_content(*state, "vpn.key", "NEWKEY");
}

/* A key alone (its request lost): the new request goes in only after the old key is aside. */
static void test_replace_lone_key(void **state)
{
	struct pairfile p;

	free(unit_write_text(*state, "vpn.key", "OLDKEY"));
	stage(*state, &p, false, MKCSR_E_OK);
	assert_err(pairfile_install(&p, false, "S"), MKCSR_E_EXISTS);
	expect_listing(*state, "TEMP,TEMP,vpn.key");  /* the staged pair is still whole */
	assert_err(pairfile_install(&p, true, "S"), MKCSR_E_OK);
	pairfile_clear(&p);
	expect_listing(*state, "vpn.csr,vpn.key,vpn.key.old-S");
	expect_content(*state, "vpn.key.old-S", "OLDKEY");
	expect_content(*state, "vpn.csr", "NEWCSR");
}

/* Each step of a replacement failing in turn: the old pair is back, whole. */
static void test_replace_failures_restore(void **state)
{
	static const struct {
		struct fault *fault;
		int nth;
	} steps[] = {
		{ &fault_link, 1 },    /* keeping the old key aside */
		{ &fault_link, 2 },    /* keeping the old request aside */
		{ &fault_rename, 1 },  /* the new request in place */
		{ &fault_renameat2, 2 },  /* the new key in place (the first is the try without looking) */
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct pairfile p;

		old_pair(*state);
		stage(*state, &p, false, MKCSR_E_OK);
		arm(steps[i].fault, steps[i].nth, 1, EIO);
		assert_err(pairfile_install(&p, true, "S"), MKCSR_E_WRITE);
		assert_int_equal(steps[i].fault->fired, 1);
		pairfile_clear(&p);
		disarm();
		expect_listing(*state, "vpn.csr,vpn.key");
		expect_content(*state, "vpn.key", "OLDKEY");
		expect_content(*state, "vpn.csr", "OLDCSR");
	}
}

/* The new key fails and putting the old one back fails too: it stays aside, and the error says where. */
static void test_restore_failure_keeps_old_key(void **state)
{
	struct pairfile p;

	old_pair(*state);
	stage(*state, &p, false, MKCSR_E_OK);
	arm(&fault_renameat2, 2, 2, EIO);  /* the new key, then the old one back */
	assert_err(pairfile_install(&p, true, "S"), MKCSR_E_WRITE);
	assert_non_null(strstr(err_detail(), "the previous key could not be put back: it is in '"));
	assert_non_null(strstr(err_detail(), "/vpn.key.old-S'"));
	pairfile_clear(&p);
	disarm();
	expect_listing(*state, "vpn.csr,vpn.key.old-S");  /* no key beside the old request: the key is aside */
	expect_content(*state, "vpn.key.old-S", "OLDKEY");
}

/* ---- the group commit ---- */

static volatile sig_atomic_t no_stop;

struct run_result {
	struct batch_summary sum;
	int failed_seen;
};

static void count_failed(void *arg, const struct batch_host *h)
{
	struct run_result *r = arg;

	r->failed_seen += h->status == BATCH_FAILED;
}

static void run_batch(const char *dir, const char *text, struct run_result *r)
{
	char *path = unit_write_text(dir, "hosts", text);
	struct order_options defaults = { 0 };
	struct manifest m;
	struct manifest_problems problems = { 0 };
	struct batch_plan plan;
	struct batch_settings s = { 0 };

	defaults.out_dir = strdup(dir);
	assert_err(manifest_read(path, &m, &problems), MKCSR_E_OK);
	s.manifest = &m;
	s.defaults = &defaults;
	s.jobs = 1;
	s.renew_within_days = -1;
	s.stop = &no_stop;
	s.now = time(NULL);
	s.on_host = count_failed;
	s.arg = r;
	memset(r, 0, sizeof(*r));
	assert_err(batch_plan(&s, &plan, &problems, &problems), MKCSR_E_OK);
	assert_err(batch_run(&s, &plan, &r->sum), MKCSR_E_OK);
	batch_plan_clear(&plan);
	manifest_clear(&m);
	manifest_problems_clear(&problems);
	order_options_clear(&defaults);
	unlink(path);
	free(path);
}

static void test_group_sync_failure(void **state)
{
	struct run_result r;

	arm(&fault_syncfs, 1, 1000, EIO);  /* every group's syncfs fails */
	run_batch(*state, "a.example.com\nb.example.com\nc.example.com\n", &r);
	assert_int_equal(r.sum.count[BATCH_FAILED], 3);
	assert_int_equal(r.failed_seen, 3);
	assert_int_equal(r.sum.worst_exit, MKCSR_EXIT_IO);
	expect_listing(*state, "");  /* nothing installed, no temporary file */
}

static void test_group_one_install_fails(void **state)
{
	struct run_result r;
	char got[4096];

	arm(&fault_renameat2, 4, 1, EIO);  /* the second host's key (csr, key, csr, key) */
	run_batch(*state, "a.example.com\nb.example.com\nc.example.com\n", &r);
	assert_int_equal(r.sum.count[BATCH_FAILED], 1);
	assert_int_equal(r.sum.count[BATCH_CREATED], 2);
	listing(*state, got, sizeof(got));
	/* Whichever host it was: two whole pairs, no lone request, no temporary file. */
	assert_null(strstr(got, "TEMP"));
	assert_int_equal((int)strlen(got) > 0, 1);
	assert_true(strcmp(got, "a.example.com.csr,a.example.com.key,c.example.com.csr,c.example.com.key") == 0 ||
		    strcmp(got, "a.example.com.csr,a.example.com.key,b.example.com.csr,b.example.com.key") == 0 ||
		    strcmp(got, "b.example.com.csr,b.example.com.key,c.example.com.csr,c.example.com.key") == 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_new_pair),
		T(test_stage_failures_leave_nothing),
		T(test_key_install_fails_new_pair),
		T(test_existing_refused_without_replace),
		T(test_replace_keeps_aside),
		T(test_replace_lone_key),
		T(test_replace_failures_restore),
		T(test_restore_failure_keeps_old_key),
		T(test_group_sync_failure),
		T(test_group_one_install_fails),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
