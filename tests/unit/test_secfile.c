/*
 * secfile: all-or-nothing writes of the key and the request.  write, fsync,
 * rename and link are wrapped at link time (test_secfile.wrap) so that any
 * one call can be made to fail; only secfile's own calls go through the
 * wrappers, and they pass through unless a test arms a fault.
 */
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "secfile.h"

/* ---- failure injection ---- */

struct fault {
	int first;   /* the first-th call after arming fails ... */
	int times;   /* ... and so do the times-1 calls after it; 0: no fault */
	int err;
	int seen;    /* calls since arming */
	int calls;   /* calls since the test began */
	int fired;
};

static struct fault fault_write, fault_fsync, fault_rename, fault_link;
static size_t write_chunk;  /* non-zero: write at most this many bytes a call */
static int write_eintr;     /* this many calls fail with EINTR first */

/* The nth call from now fails with err, and the times-1 calls after it. */
static void arm_times(struct fault *f, int nth, int times, int err)
{
	f->first = nth;
	f->times = times;
	f->err = err;
	f->seen = 0;
	f->fired = 0;
}

static void arm(struct fault *f, int nth, int err)
{
	arm_times(f, nth, 1, err);
}

static bool should_fail(struct fault *f)
{
	f->calls++;
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
ssize_t __wrap_write(int fd, const void *buf, size_t count);
int __wrap_fsync(int fd);
int __wrap_rename(const char *from, const char *to);
int __wrap_link(const char *from, const char *to);

ssize_t __wrap_write(int fd, const void *buf, size_t count)
{
	if (should_fail(&fault_write))
		return -1;
	if (write_eintr > 0) {
		write_eintr--;
		errno = EINTR;
		return -1;
	}
	if (write_chunk != 0 && count > write_chunk)
		count = write_chunk;
	return __real_write(fd, buf, count);
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

/* ---- fixture: a fresh directory, no faults ---- */

struct fixture {
	char *dir;
	char *key;
	char *csr;
	mode_t saved_umask;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	memset(&fault_write, 0, sizeof(fault_write));
	memset(&fault_fsync, 0, sizeof(fault_fsync));
	memset(&fault_rename, 0, sizeof(fault_rename));
	memset(&fault_link, 0, sizeof(fault_link));
	write_chunk = 0;
	write_eintr = 0;
	fx->saved_umask = umask(022);
	fx->dir = unit_tempdir();
	if (asprintf(&fx->key, "%s/vpn.key", fx->dir) < 0 || asprintf(&fx->csr, "%s/vpn.csr", fx->dir) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	/* Disarm first: nothing after the test may fail by accident. */
	memset(&fault_write, 0, sizeof(fault_write));
	memset(&fault_fsync, 0, sizeof(fault_fsync));
	memset(&fault_rename, 0, sizeof(fault_rename));
	memset(&fault_link, 0, sizeof(fault_link));
	umask(fx->saved_umask);
	unit_rmdir(fx->dir);
	free(fx->key);
	free(fx->csr);
	free(fx);
	return 0;
}

#define KEY_DATA "-----BEGIN PRIVATE KEY-----\nnew key\n-----END PRIVATE KEY-----\n"
#define CSR_DATA "-----BEGIN NEW CERTIFICATE REQUEST-----\r\nnew csr\r\n"
#define OLD_KEY "old key\n"
#define OLD_CSR "old csr\n"

/* Creates path with content and mode (through stdio, which the wrappers do not see). */
static void make_file(const char *path, const char *content, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void expect_content(const char *path, const char *want)
{
	char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		fail_msg("'%s' is missing", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void expect_mode(const char *path, mode_t want)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	if ((st.st_mode & 0777) != want)
		fail_msg("'%s' has mode %04o, expected %04o", path, (unsigned)(st.st_mode & 0777), (unsigned)want);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's entries (hidden ones too), sorted, comma-separated: "vpn.csr,vpn.key". */
static void expect_listing(const char *dir, const char *want)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[32];
	char got[1024] = "";
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		assert_true(n < 32);
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(got, ",");
		strcat(got, names[i]);
		free(names[i]);
	}
	assert_string_equal(got, want);
}

/* Stages the key (0600) and the request (0644) in txn; both must succeed. */
static void stage_pair(struct fixture *fx, struct secfile_txn *txn)
{
	assert_err(secfile_stage(txn, fx->key, 0600, KEY_DATA, strlen(KEY_DATA)), MKCSR_E_OK);
	assert_err(secfile_stage(txn, fx->csr, 0644, CSR_DATA, strlen(CSR_DATA)), MKCSR_E_OK);
}

/* ---- success ---- */

static void test_commit_pair(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	/* Staged only: the targets do not exist yet, two hidden temp files do. */
	assert_int_equal(access(fx->key, F_OK), -1);
	assert_int_equal(access(fx->csr, F_OK), -1);
	assert_err(secfile_commit(&txn), MKCSR_E_OK);
	secfile_abort(&txn);

	expect_content(fx->key, KEY_DATA);
	expect_content(fx->csr, CSR_DATA);
	expect_mode(fx->key, 0600);
	expect_mode(fx->csr, 0644 & ~022);
	expect_listing(fx->dir, "vpn.csr,vpn.key");
	assert_int_equal(fault_fsync.calls, 3);  /* each file, then their directory once */
}

static void test_commit_respects_umask(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	umask(027);
	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	assert_err(secfile_commit(&txn), MKCSR_E_OK);
	secfile_abort(&txn);
	expect_mode(fx->key, 0600);
	expect_mode(fx->csr, 0644 & ~027);
}

static void test_temp_files_while_staged(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;
	struct stat st;

	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	/* Beside their targets, hidden, and the key's private from its first byte. */
	assert_non_null(txn.entries[0].tmp_path);
	assert_memory_equal(txn.entries[0].tmp_path, fx->dir, strlen(fx->dir));
	assert_true(strncmp(txn.entries[0].tmp_path + strlen(fx->dir), "/.vpn.key.tmp-", 14) == 0);
	assert_int_equal(stat(txn.entries[0].tmp_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	expect_content(txn.entries[0].tmp_path, KEY_DATA);
	/* An abort before the commit leaves nothing. */
	secfile_abort(&txn);
	expect_listing(fx->dir, "");
}


/*
 * Another commit into the same directory (here a child process holding the
 * directory's lock) is waited for: the pair it writes meanwhile is seen and
 * refused as a whole, instead of interleaving key with key and request with
 * request.
 */
static void test_commit_waits_for_another(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;
	int ready[2];
	char byte;
	pid_t child;
	int status;

	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	assert_int_equal(pipe(ready), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		const struct timespec hold = { 0, 300 * 1000 * 1000 };
		int dir = open(fx->dir, O_RDONLY | O_DIRECTORY);

		if (dir < 0 || flock(dir, LOCK_EX) != 0 || __real_write(ready[1], "x", 1) != 1)
			_exit(1);
		nanosleep(&hold, NULL);
		make_file(fx->key, OLD_KEY, 0600);
		make_file(fx->csr, OLD_CSR, 0644);
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &byte, 1), 1);
	close(ready[0]);
	assert_err(secfile_commit(&txn), MKCSR_E_EXISTS);
	secfile_abort(&txn);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	expect_content(fx->key, OLD_KEY);
	expect_content(fx->csr, OLD_CSR);
	expect_listing(fx->dir, "vpn.csr,vpn.key");
}


static void test_short_and_interrupted_writes(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	/* write() may take a few bytes at a time, or be interrupted: the content still arrives whole. */
	write_chunk = 3;
	write_eintr = 2;
	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	assert_err(secfile_commit(&txn), MKCSR_E_OK);
	secfile_abort(&txn);
	expect_content(fx->key, KEY_DATA);
	expect_content(fx->csr, CSR_DATA);
	assert_true(fault_write.calls > (int)(strlen(KEY_DATA) / 3));
}

static void test_force_replaces(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	make_file(fx->key, OLD_KEY, 0644);
	make_file(fx->csr, OLD_CSR, 0644);
	secfile_init(&txn, true);
	stage_pair(fx, &txn);
	assert_err(secfile_commit(&txn), MKCSR_E_OK);
	secfile_abort(&txn);
	expect_content(fx->key, KEY_DATA);
	expect_content(fx->csr, CSR_DATA);
	/* The new key is 0600 even where the old one was readable. */
	expect_mode(fx->key, 0600);
	expect_listing(fx->dir, "vpn.csr,vpn.key");
}

static void test_dir_fsync_is_best_effort(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	/* The third fsync is the directory's, after both files are in place. */
	arm(&fault_fsync, 1, EINVAL);
	assert_err(secfile_commit(&txn), MKCSR_E_OK);
	secfile_abort(&txn);
	assert_int_equal(fault_fsync.fired, 1);
	expect_content(fx->key, KEY_DATA);
	expect_content(fx->csr, CSR_DATA);
}

/* ---- failures while staging ---- */

static void test_write_failure_second_file(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	secfile_init(&txn, false);
	assert_err(secfile_stage(&txn, fx->key, 0600, KEY_DATA, strlen(KEY_DATA)), MKCSR_E_OK);
	arm(&fault_write, 1, ENOSPC);
	assert_err(secfile_stage(&txn, fx->csr, 0644, CSR_DATA, strlen(CSR_DATA)), MKCSR_E_WRITE);
	assert_int_equal(fault_write.fired, 1);
	assert_non_null(strstr(err_detail(), fx->csr));
	assert_non_null(strstr(err_detail(), strerror(ENOSPC)));
	secfile_abort(&txn);
	/* Neither file, nor any temporary file. */
	expect_listing(fx->dir, "");
}

static void test_write_failure_first_file(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	secfile_init(&txn, false);
	arm(&fault_write, 1, ENOSPC);
	assert_err(secfile_stage(&txn, fx->key, 0600, KEY_DATA, strlen(KEY_DATA)), MKCSR_E_WRITE);
	assert_int_equal(fault_write.fired, 1);
	secfile_abort(&txn);
	expect_listing(fx->dir, "");
}

static void test_fsync_failure(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	secfile_init(&txn, false);
	assert_err(secfile_stage(&txn, fx->key, 0600, KEY_DATA, strlen(KEY_DATA)), MKCSR_E_OK);
	arm(&fault_fsync, 1, EIO);
	assert_err(secfile_stage(&txn, fx->csr, 0644, CSR_DATA, strlen(CSR_DATA)), MKCSR_E_WRITE);
	assert_int_equal(fault_fsync.fired, 1);
	assert_non_null(strstr(err_detail(), strerror(EIO)));
	secfile_abort(&txn);
	expect_listing(fx->dir, "");
}

static void test_fsync_failure_keeps_old_files(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	make_file(fx->key, OLD_KEY, 0600);
	make_file(fx->csr, OLD_CSR, 0644);
	secfile_init(&txn, true);
	arm(&fault_fsync, 2, EIO);
	assert_err(secfile_stage(&txn, fx->key, 0600, KEY_DATA, strlen(KEY_DATA)), MKCSR_E_OK);
	assert_err(secfile_stage(&txn, fx->csr, 0644, CSR_DATA, strlen(CSR_DATA)), MKCSR_E_WRITE);
	secfile_abort(&txn);
	expect_content(fx->key, OLD_KEY);
	expect_content(fx->csr, OLD_CSR);
	expect_listing(fx->dir, "vpn.csr,vpn.key");
}

/* ---- failures while committing ---- */

/* Over existing files, the n-th rename fails with err: both old files stay, nothing else does. */
static void check_rename_failure_restores(struct fixture *fx, int nth, int err)
{
	struct secfile_txn txn;

	make_file(fx->key, OLD_KEY, 0600);
	make_file(fx->csr, OLD_CSR, 0644);
	secfile_init(&txn, true);
	stage_pair(fx, &txn);
	arm(&fault_rename, nth, err);
	assert_err(secfile_commit(&txn), MKCSR_E_WRITE);
	assert_int_equal(fault_rename.fired, 1);
	assert_non_null(strstr(err_detail(), strerror(err)));
	secfile_abort(&txn);
	expect_content(fx->key, OLD_KEY);
	expect_content(fx->csr, OLD_CSR);
	expect_mode(fx->key, 0600);
	expect_listing(fx->dir, "vpn.csr,vpn.key");
}

static void test_rename_failure_second_file(void **state)
{
	struct fixture *fx = *state;

	/* The key is already replaced when the request's rename fails: it must be put back. */
	check_rename_failure_restores(fx, 2, EXDEV);
	/* The restore was the third rename. */
	assert_int_equal(fault_rename.calls, 3);
}

static void test_rename_failure_second_file_eio(void **state)
{
	check_rename_failure_restores(*state, 2, EIO);
}

static void test_rename_failure_first_file(void **state)
{
	check_rename_failure_restores(*state, 1, EIO);
}

static void test_restore_failure_keeps_backup(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;
	DIR *d;
	struct dirent *e;
	char *backup = NULL;

	make_file(fx->key, OLD_KEY, 0600);
	make_file(fx->csr, OLD_CSR, 0644);
	secfile_init(&txn, true);
	stage_pair(fx, &txn);
	/* The request's rename fails, and so does putting the old key back (renames 2 and 3). */
	arm_times(&fault_rename, 2, 2, EIO);
	assert_err(secfile_commit(&txn), MKCSR_E_WRITE);
	assert_int_equal(fault_rename.fired, 2);
	secfile_abort(&txn);

	/* The old key's only copy is the backup: it is kept, and the message says where. */
	d = opendir(fx->dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, ".vpn.key.old-", 13) == 0)
			assert_true(asprintf(&backup, "%s/%s", fx->dir, e->d_name) > 0);
	closedir(d);
	assert_non_null(backup);
	expect_content(backup, OLD_KEY);
	expect_mode(backup, 0600);
	assert_non_null(strstr(err_detail(), backup));
	expect_content(fx->csr, OLD_CSR);
	free(backup);
}

static void test_link_failure_second_new_file(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	arm(&fault_link, 2, EIO);
	assert_err(secfile_commit(&txn), MKCSR_E_WRITE);
	assert_int_equal(fault_link.fired, 1);
	secfile_abort(&txn);
	/* The key that was already linked into place is gone again. */
	expect_listing(fx->dir, "");
}

static void test_link_failure_first_new_file(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	arm(&fault_link, 1, EIO);
	assert_err(secfile_commit(&txn), MKCSR_E_WRITE);
	secfile_abort(&txn);
	expect_listing(fx->dir, "");
}

static void test_backup_link_failure(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	/* Over existing files, keeping a copy of the old request fails: nothing changes. */
	make_file(fx->key, OLD_KEY, 0600);
	make_file(fx->csr, OLD_CSR, 0644);
	secfile_init(&txn, true);
	stage_pair(fx, &txn);
	arm(&fault_link, 2, EIO);
	assert_err(secfile_commit(&txn), MKCSR_E_WRITE);
	secfile_abort(&txn);
	expect_content(fx->key, OLD_KEY);
	expect_content(fx->csr, OLD_CSR);
	expect_listing(fx->dir, "vpn.csr,vpn.key");
}

static void test_no_hard_links_falls_back_to_rename(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	/* A file system without hard links (EPERM, as on FAT): rename into the free name. */
	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	arm(&fault_link, 1, EPERM);
	assert_err(secfile_commit(&txn), MKCSR_E_OK);
	secfile_abort(&txn);
	assert_int_equal(fault_link.fired, 1);
	expect_content(fx->key, KEY_DATA);
	expect_content(fx->csr, CSR_DATA);
	expect_mode(fx->key, 0600);
	expect_listing(fx->dir, "vpn.csr,vpn.key");
}

/* ---- refusals ---- */

static void test_existing_without_force(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	make_file(fx->key, OLD_KEY, 0600);
	assert_err(secfile_check_target(fx->key, false), MKCSR_E_EXISTS);
	assert_non_null(strstr(err_detail(), fx->key));
	assert_err(secfile_check_target(fx->key, true), MKCSR_E_OK);
	assert_err(secfile_check_target(fx->csr, false), MKCSR_E_OK);

	secfile_init(&txn, false);
	assert_err(secfile_stage(&txn, fx->key, 0600, KEY_DATA, strlen(KEY_DATA)), MKCSR_E_EXISTS);
	assert_int_equal(fault_write.calls, 0);  /* refused before writing anything */
	secfile_abort(&txn);
	expect_content(fx->key, OLD_KEY);
	expect_listing(fx->dir, "vpn.key");
}

static void test_file_appears_before_commit(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;

	/* Another process creates the request file between staging and commit: it is not clobbered. */
	secfile_init(&txn, false);
	stage_pair(fx, &txn);
	make_file(fx->csr, "someone else's\n", 0644);
	assert_err(secfile_commit(&txn), MKCSR_E_EXISTS);
	secfile_abort(&txn);
	expect_content(fx->csr, "someone else's\n");
	expect_listing(fx->dir, "vpn.csr");
}

static void test_not_a_regular_file(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;
	char *victim = NULL;

	/* A symlink at the target is never followed nor replaced, even with force. */
	assert_true(asprintf(&victim, "%s/victim", fx->dir) > 0);
	make_file(victim, "victim\n", 0644);
	assert_int_equal(symlink(victim, fx->key), 0);
	assert_err(secfile_check_target(fx->key, true), MKCSR_E_WRITE);
	assert_err(secfile_check_target(fx->key, false), MKCSR_E_WRITE);
	secfile_init(&txn, true);
	assert_err(secfile_stage(&txn, fx->key, 0600, KEY_DATA, strlen(KEY_DATA)), MKCSR_E_WRITE);
	secfile_abort(&txn);
	expect_content(victim, "victim\n");

	/* A dangling one too. */
	assert_int_equal(symlink("/nonexistent/mkcsr-target", fx->csr), 0);
	assert_err(secfile_check_target(fx->csr, true), MKCSR_E_WRITE);
	assert_int_equal(unlink(fx->csr), 0);

	/* A directory. */
	assert_int_equal(mkdir(fx->csr, 0755), 0);
	assert_err(secfile_check_target(fx->csr, true), MKCSR_E_WRITE);
	secfile_init(&txn, true);
	assert_err(secfile_stage(&txn, fx->csr, 0644, CSR_DATA, strlen(CSR_DATA)), MKCSR_E_WRITE);
	secfile_abort(&txn);
	assert_int_equal(rmdir(fx->csr), 0);

	expect_listing(fx->dir, "victim,vpn.key");
	free(victim);
}

static void test_symlink_appears_before_commit(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;
	char *victim = NULL;

	/* With force, a symlink planted after staging is still refused at commit. */
	assert_true(asprintf(&victim, "%s/victim", fx->dir) > 0);
	make_file(victim, "victim\n", 0644);
	secfile_init(&txn, true);
	stage_pair(fx, &txn);
	assert_int_equal(symlink(victim, fx->csr), 0);
	assert_err(secfile_commit(&txn), MKCSR_E_WRITE);
	secfile_abort(&txn);
	expect_content(victim, "victim\n");
	expect_listing(fx->dir, "victim,vpn.csr");
	free(victim);
}

static void test_unwritable_directory(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;
	char *path = NULL;

	assert_true(asprintf(&path, "%s/no-such-dir/vpn.key", fx->dir) > 0);
	secfile_init(&txn, false);
	assert_err(secfile_stage(&txn, path, 0600, KEY_DATA, strlen(KEY_DATA)), MKCSR_E_WRITE);
	/* Committing what was never staged is refused, not half-done. */
	assert_err(secfile_commit(&txn), MKCSR_E_INTERNAL);
	secfile_abort(&txn);
	expect_listing(fx->dir, "");
	free(path);
}

static void test_too_many_files(void **state)
{
	struct fixture *fx = *state;
	struct secfile_txn txn;
	char *path = NULL;

	secfile_init(&txn, false);
	for (int i = 0; i < SECFILE_MAX; i++) {
		assert_true(asprintf(&path, "%s/f%d", fx->dir, i) > 0);
		assert_err(secfile_stage(&txn, path, 0644, "x", 1), MKCSR_E_OK);
		free(path);
	}
	assert_true(asprintf(&path, "%s/one-too-many", fx->dir) > 0);
	assert_err(secfile_stage(&txn, path, 0644, "x", 1), MKCSR_E_INTERNAL);
	free(path);
	secfile_abort(&txn);
	expect_listing(fx->dir, "");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_commit_pair),
		T(test_commit_respects_umask),
		T(test_temp_files_while_staged),
		T(test_commit_waits_for_another),
		T(test_short_and_interrupted_writes),
		T(test_force_replaces),
		T(test_dir_fsync_is_best_effort),
		T(test_write_failure_second_file),
		T(test_write_failure_first_file),
		T(test_fsync_failure),
		T(test_fsync_failure_keeps_old_files),
		T(test_rename_failure_second_file),
		T(test_rename_failure_second_file_eio),
		T(test_rename_failure_first_file),
		T(test_restore_failure_keeps_backup),
		T(test_link_failure_second_new_file),
		T(test_link_failure_first_new_file),
		T(test_backup_link_failure),
		T(test_no_hard_links_falls_back_to_rename),
		T(test_existing_without_force),
		T(test_file_appears_before_commit),
		T(test_not_a_regular_file),
		T(test_symlink_appears_before_commit),
		T(test_unwritable_directory),
		T(test_too_many_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
