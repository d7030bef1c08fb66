#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pairfile.h"

static atomic_ulong staged_count;
static atomic_long own_pid;

/* DIR/.mkcsr-tmp-PID-N-BASE: hidden, beside the target, unique in this process. */
static char *temp_name(const char *path)
{
	char *dir_copy = strdup(path), *base_copy = strdup(path), *name = NULL;

	if (atomic_load(&own_pid) == 0)
		atomic_store(&own_pid, (long)getpid());
	if (dir_copy != NULL && base_copy != NULL &&
	    asprintf(&name, "%s/%s%ld-%lu-%s", dirname(dir_copy), PAIRFILE_PREFIX, atomic_load(&own_pid),
		     atomic_fetch_add(&staged_count, 1), basename(base_copy)) < 0)
		name = NULL;
	free(dir_copy);
	free(base_copy);
	return name;
}

static enum mkcsr_err write_file(const char *tmp, const char *target, mode_t mode, const unsigned char *data,
				 size_t len, bool sync)
{
	enum mkcsr_err rc = MKCSR_E_OK;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);

	if (fd < 0)
		return err_set(MKCSR_E_WRITE, "'%s': cannot create a file in its directory: %s", target, strerror(errno));
	while (rc == MKCSR_E_OK && len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = err_set(MKCSR_E_WRITE, "'%s': %s", target, n < 0 ? strerror(errno) : "the write made no progress");
		else
			data += n, len -= (size_t)n;
	}
	if (rc == MKCSR_E_OK && sync && fsync(fd) != 0)
		rc = err_set(MKCSR_E_WRITE, "'%s': %s", target, strerror(errno));
	if (close(fd) != 0 && rc == MKCSR_E_OK)
		rc = err_set(MKCSR_E_WRITE, "'%s': %s", target, strerror(errno));
	return rc;
}

enum mkcsr_err pairfile_stage(struct pairfile *p, const char *key_path, const char *csr_path, const void *key,
			      size_t key_len, const void *csr, size_t csr_len, bool sync)
{
	enum mkcsr_err rc;

	memset(p, 0, sizeof(*p));
	p->key_path = strdup(key_path);
	p->csr_path = strdup(csr_path);
	p->key_tmp = temp_name(key_path);
	p->csr_tmp = temp_name(csr_path);
	if (p->key_path == NULL || p->csr_path == NULL || p->key_tmp == NULL || p->csr_tmp == NULL)
		return err_set(MKCSR_E_NOMEM, "staging '%s'", key_path);
	/* A failure leaves the temporary files to pairfile_clear, which removes them. */
	rc = write_file(p->key_tmp, key_path, 0600, key, key_len, sync);
	if (rc == MKCSR_E_OK)
		rc = write_file(p->csr_tmp, csr_path, 0644, csr, csr_len, sync);
	return rc;
}

/*
 * tmp to path, never over a file that is there: one rename that refuses
 * an existing target where the file system has it, else link and unlink.
 */
static int put_new(const char *tmp, const char *path)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
#endif
	if (link(tmp, path) == 0) {
		(void)unlink(tmp);  /* should this fail, the next batch sweeps the leftover name */
		return 0;
	}
	if (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP) {
		struct stat st;

		/* A file system without hard links: rename, having just seen no file there. */
		if (lstat(path, &st) == 0) {
			errno = EEXIST;
			return -1;
		}
		return rename(tmp, path);
	}
	return -1;
}

/* Keeps path aside as PATH.old-STAMP (or -STAMP-N: never over another file); *aside gets the name. */
static enum mkcsr_err keep_aside(const char *path, const char *stamp, char **aside)
{
	for (int n = 1; n < 100; n++) {
		int len = n == 1 ? asprintf(aside, "%s.old-%s", path, stamp) : asprintf(aside, "%s.old-%s-%d", path, stamp, n);

		if (len < 0) {
			*aside = NULL;
			return err_set(MKCSR_E_NOMEM, "replacing '%s'", path);
		}
		if (link(path, *aside) == 0)
			return MKCSR_E_OK;
		free(*aside);
		*aside = NULL;
		if (errno != EEXIST)
			break;
	}
	return err_set(MKCSR_E_WRITE, "'%s': cannot keep it aside before replacing it: %s", path, strerror(errno));
}

static bool exists(const char *path, enum mkcsr_err *rc)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return false;
	if (!S_ISREG(st.st_mode))
		*rc = err_set(MKCSR_E_WRITE, "'%s' exists and is not a regular file; it is never replaced", path);
	return true;
}

/* Puts the old key back where it was; says where it is when that fails. */
static enum mkcsr_err restore_key(struct pairfile *p, enum mkcsr_err rc)
{
	if (p->key_aside == NULL)
		return rc;
	if (put_new(p->key_aside, p->key_path) != 0)
		return err_set(rc, "%s; the previous key could not be put back: it is in '%s'", err_detail(), p->key_aside);
	free(p->key_aside);
	p->key_aside = NULL;
	return rc;
}

/* The request: the old one kept aside (if any), the new one in its place. */
static enum mkcsr_err install_request(struct pairfile *p, bool had_csr, const char *stamp)
{
	enum mkcsr_err rc = MKCSR_E_OK;

	if (had_csr) {
		rc = keep_aside(p->csr_path, stamp, &p->csr_aside);
		if (rc == MKCSR_E_OK && rename(p->csr_tmp, p->csr_path) != 0) {
			rc = err_set(MKCSR_E_WRITE, "'%s': %s", p->csr_path, strerror(errno));
			unlink(p->csr_aside);  /* the old request is still in place */
			free(p->csr_aside);
			p->csr_aside = NULL;
		}
	} else if (put_new(p->csr_tmp, p->csr_path) != 0) {
		rc = err_set(errno == EEXIST ? MKCSR_E_EXISTS : MKCSR_E_WRITE, "'%s': %s", p->csr_path,
			     errno == EEXIST ? "appeared while mkcsr was writing it" : strerror(errno));
	}
	return rc;
}

/* Undoes install_request(). */
static void uninstall_request(struct pairfile *p)
{
	if (p->csr_aside != NULL) {
		if (rename(p->csr_aside, p->csr_path) == 0) {
			free(p->csr_aside);
			p->csr_aside = NULL;
		}
	} else {
		unlink(p->csr_path);
	}
}

/* A new pair where there is none: the request, then the key, each refusing a file that appeared. */
static enum mkcsr_err install_new(struct pairfile *p)
{
	if (put_new(p->csr_tmp, p->csr_path) != 0)
		return err_set(errno == EEXIST ? MKCSR_E_EXISTS : MKCSR_E_WRITE, "'%s': %s", p->csr_path,
			       errno == EEXIST ? "appeared while mkcsr was writing it" : strerror(errno));
	if (put_new(p->key_tmp, p->key_path) != 0) {
		enum mkcsr_err rc = err_set(errno == EEXIST ? MKCSR_E_EXISTS : MKCSR_E_WRITE, "'%s': %s", p->key_path,
					    errno == EEXIST ? "appeared while mkcsr was writing it" : strerror(errno));

		/* The request goes back to its temporary name: a replacement may still need it. */
		if (rename(p->csr_path, p->csr_tmp) != 0) {
			unlink(p->csr_path);
			return err_set(MKCSR_E_WRITE, "'%s': %s", p->csr_path, strerror(errno));
		}
		return rc;
	}
	p->installed = true;
	return MKCSR_E_OK;
}

enum mkcsr_err pairfile_install(struct pairfile *p, bool replace, const char *stamp)
{
	enum mkcsr_err rc = MKCSR_E_OK;
	bool had_key, had_csr;

	/* The common case first, without looking: nothing is there (put_new never replaces). */
	rc = install_new(p);
	if (rc != MKCSR_E_EXISTS)
		return rc;
	rc = MKCSR_E_OK;
	had_key = exists(p->key_path, &rc);
	had_csr = exists(p->csr_path, &rc);
	if (rc != MKCSR_E_OK)
		return rc;
	if ((had_key || had_csr) && !replace)
		return err_set(MKCSR_E_EXISTS, "'%s' exists", had_key ? p->key_path : p->csr_path);
	/* The old key leaves first: from here until the new key is in, no key stands beside a wrong request. */
	if (had_key) {
		rc = keep_aside(p->key_path, stamp, &p->key_aside);
		if (rc == MKCSR_E_OK && unlink(p->key_path) != 0) {
			rc = err_set(MKCSR_E_WRITE, "'%s': %s", p->key_path, strerror(errno));
			unlink(p->key_aside);
			free(p->key_aside);
			p->key_aside = NULL;
		}
		if (rc != MKCSR_E_OK)
			return rc;
	}
	rc = install_request(p, had_csr, stamp);
	if (rc != MKCSR_E_OK)
		return restore_key(p, rc);
	if (put_new(p->key_tmp, p->key_path) != 0) {
		rc = err_set(errno == EEXIST ? MKCSR_E_EXISTS : MKCSR_E_WRITE, "'%s': %s", p->key_path,
			     errno == EEXIST ? "appeared while mkcsr was writing it" : strerror(errno));
		uninstall_request(p);
		if (p->csr_aside != NULL)
			rc = err_set(rc, "%s; the previous request could not be put back: it is in '%s'", err_detail(),
				     p->csr_aside);
		return restore_key(p, rc);
	}
	p->installed = true;
	return MKCSR_E_OK;
}

void pairfile_clear(struct pairfile *p)
{
	if (!p->installed) {
		if (p->key_tmp != NULL)
			unlink(p->key_tmp);
		if (p->csr_tmp != NULL)
			unlink(p->csr_tmp);
	}
	free(p->key_path);
	free(p->csr_path);
	free(p->key_tmp);
	free(p->csr_tmp);
	free(p->key_aside);
	free(p->csr_aside);
	memset(p, 0, sizeof(*p));
}

void pairfile_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Whether the batch that made a temporary file is still running. */
static bool owner_alive(const char *name)
{
	long pid = strtol(name + strlen(PAIRFILE_PREFIX), NULL, 10);

	if (pid <= 0)
		return false;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

size_t pairfile_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t removed = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, PAIRFILE_PREFIX, strlen(PAIRFILE_PREFIX)) != 0 || owner_alive(e->d_name))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}
