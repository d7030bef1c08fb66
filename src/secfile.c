#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "secfile.h"

void secfile_init(struct secfile_txn *txn, bool force)
{
	memset(txn, 0, sizeof(*txn));
	txn->force = force;
}

static char *dir_of(const char *path)
{
	char *copy = strdup(path);
	char *dir;

	if (copy == NULL)
		return NULL;
	dir = strdup(dirname(copy));
	free(copy);
	return dir;
}

/* "<dir>/.<base>.<tag>-<random>": hidden, in the target's directory (same file system). */
static char *sibling_name(const char *path, const char *tag)
{
	unsigned char rnd[6];
	char *copy = strdup(path), *dir = dir_of(path), *name = NULL;

	if (copy != NULL && dir != NULL && RAND_bytes(rnd, sizeof(rnd)) == 1 &&
	    asprintf(&name, "%s/.%s.%s-%02x%02x%02x%02x%02x%02x", dir, basename(copy), tag, rnd[0], rnd[1],
		     rnd[2], rnd[3], rnd[4], rnd[5]) < 0)
		name = NULL;
	free(copy);
	free(dir);
	return name;
}

/* The target's resolved directory and its base name, malloc'ed; NULL if the directory does not resolve. */
static char *target_identity(const char *path)
{
	char *dir_copy = strdup(path), *base_copy = strdup(path), *dir = NULL, *id = NULL;

	if (dir_copy != NULL && base_copy != NULL)
		dir = realpath(dirname(dir_copy), NULL);
	if (dir != NULL && asprintf(&id, "%s/%s", dir, basename(base_copy)) < 0)
		id = NULL;
	free(dir);
	free(dir_copy);
	free(base_copy);
	return id;
}

bool secfile_same_target(const char *a, const char *b)
{
	char *a_id = target_identity(a), *b_id = target_identity(b);
	bool same = a_id && b_id ? strcmp(a_id, b_id) == 0 : strcmp(a, b) == 0;

	free(a_id);
	free(b_id);
	return same;
}

enum mkcsr_err secfile_check_target(const char *path, bool force)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return MKCSR_E_OK;
		return err_set_file(MKCSR_E_WRITE, path, "'%s': %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return err_set_file(MKCSR_E_WRITE, path,
				    "'%s' exists and is not a regular file; it is never replaced", path);
	if (!force)
		return err_set_file(MKCSR_E_EXISTS, path, "'%s' exists", path);
	return MKCSR_E_OK;
}

static enum mkcsr_err write_all(int fd, const char *path, const unsigned char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_set_file(MKCSR_E_WRITE, path, "'%s': %s", path, strerror(errno));
		}
		if (n == 0)
			return err_set_file(MKCSR_E_WRITE, path, "'%s': the write made no progress", path);
		data += n;
		len -= (size_t)n;
	}
	return MKCSR_E_OK;
}

enum mkcsr_err secfile_stage(struct secfile_txn *txn, const char *path, mode_t mode, const void *data,
			     size_t len)
{
	struct secfile_entry *e;
	enum mkcsr_err rc;
	int fd;

	if (txn->count == SECFILE_MAX)
		return err_set(MKCSR_E_INTERNAL, "too many files in one transaction");
	rc = secfile_check_target(path, txn->force);
	if (rc != MKCSR_E_OK)
		return rc;

	e = &txn->entries[txn->count];
	memset(e, 0, sizeof(*e));
	e->path = strdup(path);
	e->tmp_path = sibling_name(path, "tmp");
	if (e->path == NULL || e->tmp_path == NULL) {
		free(e->path);
		free(e->tmp_path);
		return err_set(MKCSR_E_NOMEM, "staging '%s'", path);
	}
	txn->count++;

	fd = open(e->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		rc = err_set_file(MKCSR_E_WRITE, path,
				  "'%s': cannot create a file in its directory: %s", path, strerror(errno));
		free(e->tmp_path);
		e->tmp_path = NULL;
		return rc;
	}
	rc = write_all(fd, path, data, len);
	if (rc == MKCSR_E_OK && fsync(fd) != 0)
		rc = err_set_file(MKCSR_E_WRITE, path, "'%s': %s", path, strerror(errno));
	if (close(fd) != 0 && rc == MKCSR_E_OK)
		rc = err_set_file(MKCSR_E_WRITE, path, "'%s': %s", path, strerror(errno));
	return rc;
}

static void fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd >= 0) {
		/* Best effort: some file systems cannot fsync a directory. */
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Commits into a directory take turns: two runs that replace the same pair
 * (--force) would otherwise interleave and leave one's key beside the
 * other's request.  An flock on each target directory, taken in inode
 * order so that two commits cannot wait for each other; a file system that
 * cannot lock is used without it.
 */
struct dir_locks {
	int fd[SECFILE_MAX];
	size_t count;
};

static void unlock_dirs(struct dir_locks *locks)
{
	for (size_t i = 0; i < locks->count; i++)
		close(locks->fd[i]);  /* releases the lock */
	locks->count = 0;
}

/* Adds path's directory to locks, kept sorted by device and inode, each once. */
static void add_dir(struct dir_locks *locks, const char *path)
{
	char *dir = dir_of(path);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	struct stat st, other;
	size_t at;

	free(dir);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return;  /* install() reports what is wrong with the directory */
	}
	for (at = 0; at < locks->count; at++) {
		if (fstat(locks->fd[at], &other) != 0)
			continue;
		if (other.st_dev == st.st_dev && other.st_ino == st.st_ino) {
			close(fd);
			return;
		}
		if (other.st_dev > st.st_dev || (other.st_dev == st.st_dev && other.st_ino > st.st_ino))
			break;
	}
	memmove(&locks->fd[at + 1], &locks->fd[at], (locks->count - at) * sizeof(locks->fd[0]));
	locks->fd[at] = fd;
	locks->count++;
}

static enum mkcsr_err lock_dirs(const struct secfile_txn *txn, struct dir_locks *locks)
{
	const struct timespec pause = { 0, 10 * 1000 * 1000 };
	time_t deadline = time(NULL) + SECFILE_LOCK_WAIT;

	locks->count = 0;
	for (size_t i = 0; i < txn->count; i++)
		add_dir(locks, txn->entries[i].path);
	for (size_t i = 0; i < locks->count; i++) {
		while (flock(locks->fd[i], LOCK_EX | LOCK_NB) != 0 && (errno == EWOULDBLOCK || errno == EINTR)) {
			if (time(NULL) >= deadline) {
				unlock_dirs(locks);
				return err_set_file(MKCSR_E_WRITE, txn->entries[0].path,
						    "'%s': another program kept its directory locked for %d seconds",
						    txn->entries[0].path, SECFILE_LOCK_WAIT);
			}
			nanosleep(&pause, NULL);
		}
	}
	return MKCSR_E_OK;
}

/* Puts e's file in place; a new name is taken with link() so a racing file is never clobbered. */
static enum mkcsr_err install(struct secfile_entry *e, bool force)
{
	struct stat st;

	e->existed = lstat(e->path, &st) == 0;
	if (e->existed) {
		if (!force)
			return err_set_file(MKCSR_E_EXISTS, e->path, "'%s' exists", e->path);
		if (!S_ISREG(st.st_mode))
			return err_set_file(MKCSR_E_WRITE, e->path,
					    "'%s' exists and is not a regular file; it is never replaced", e->path);
		e->backup_path = sibling_name(e->path, "old");
		if (e->backup_path == NULL)
			return err_set(MKCSR_E_NOMEM, "replacing '%s'", e->path);
		if (link(e->path, e->backup_path) != 0)
			return err_set_file(MKCSR_E_WRITE, e->path,
					    "'%s': cannot keep a copy while replacing it: %s", e->path,
					    strerror(errno));
		if (rename(e->tmp_path, e->path) != 0)
			return err_set_file(MKCSR_E_WRITE, e->path, "'%s': %s", e->path, strerror(errno));
	} else if (link(e->tmp_path, e->path) == 0) {
		unlink(e->tmp_path);
	} else if (errno == EEXIST) {
		return err_set_file(MKCSR_E_EXISTS, e->path, "'%s' appeared while mkcsr was writing it", e->path);
	} else if (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP) {
		/* A file system without hard links: rename, having just seen no file there. */
		if (rename(e->tmp_path, e->path) != 0)
			return err_set_file(MKCSR_E_WRITE, e->path, "'%s': %s", e->path, strerror(errno));
	} else {
		return err_set_file(MKCSR_E_WRITE, e->path, "'%s': %s", e->path, strerror(errno));
	}
	free(e->tmp_path);
	e->tmp_path = NULL;
	e->installed = true;
	return MKCSR_E_OK;
}

/* Undoes install(): the old file back, or the new one gone. */
static void uninstall(struct secfile_entry *e)
{
	if (!e->installed)
		return;
	if (e->existed && e->backup_path != NULL) {
		if (rename(e->backup_path, e->path) == 0) {
			free(e->backup_path);
			e->backup_path = NULL;
		} else {
			e->backup_kept = true;  /* the only copy of the old file now */
		}
	} else {
		unlink(e->path);
	}
	e->installed = false;
}

/* Whether an entry before i is in the same directory as entry i: one fsync per directory. */
static bool dir_synced_before(const struct secfile_txn *txn, size_t i)
{
	char *dir = dir_of(txn->entries[i].path);
	bool seen = false;

	for (size_t j = 0; dir != NULL && j < i && !seen; j++) {
		char *other = dir_of(txn->entries[j].path);

		seen = other != NULL && strcmp(dir, other) == 0;
		free(other);
	}
	free(dir);
	return seen;
}

enum mkcsr_err secfile_commit(struct secfile_txn *txn)
{
	struct dir_locks locks;
	enum mkcsr_err rc = MKCSR_E_OK;
	size_t i;

	for (i = 0; i < txn->count; i++) {
		if (txn->entries[i].tmp_path == NULL)
			return err_set_file(MKCSR_E_INTERNAL, txn->entries[i].path,
					    "'%s' was not staged", txn->entries[i].path);
	}
	rc = lock_dirs(txn, &locks);
	if (rc != MKCSR_E_OK) {
		secfile_abort(txn);
		return rc;
	}
	for (i = 0; i < txn->count; i++) {
		rc = install(&txn->entries[i], txn->force);
		if (rc != MKCSR_E_OK)
			break;
	}
	if (rc != MKCSR_E_OK) {
		while (i-- > 0)
			uninstall(&txn->entries[i]);
		unlock_dirs(&locks);
		/* The new file stays in place of an old one that could not be put back: say where the old one is. */
		for (i = 0; i < txn->count; i++)
			if (txn->entries[i].backup_kept)
				rc = err_set(rc, "%s; '%s' could not be restored: its previous content is in '%s'",
					     err_detail(), txn->entries[i].path, txn->entries[i].backup_path);
		secfile_abort(txn);
		return rc;
	}
	unlock_dirs(&locks);
	for (i = 0; i < txn->count; i++)
		if (!dir_synced_before(txn, i))
			fsync_dir(txn->entries[i].path);
	secfile_abort(txn);
	return MKCSR_E_OK;
}

void secfile_abort(struct secfile_txn *txn)
{
	for (size_t i = 0; i < txn->count; i++) {
		struct secfile_entry *e = &txn->entries[i];

		if (e->tmp_path != NULL)
			unlink(e->tmp_path);
		/* After a failed replace the backup went back in place; otherwise it is the old file's spare link. */
		if (e->backup_path != NULL && !e->backup_kept)
			unlink(e->backup_path);
		free(e->path);
		free(e->tmp_path);
		free(e->backup_path);
		memset(e, 0, sizeof(*e));
	}
	txn->count = 0;
}
