#ifndef MKCSR_SECFILE_H
#define MKCSR_SECFILE_H

/*
 * Writing output files as one transaction: every file is first written
 * in full to a temporary file beside its target (O_CREAT|O_EXCL|O_NOFOLLOW,
 * created with its final mode, so a key is 0600 from its first byte) and
 * fsync'ed; only when all are staged are they moved into place, and the
 * directories fsync'ed.  If anything fails, temporary files are removed
 * and files that existed before are left as they were (or put back).
 * An existing file is replaced only with force.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define SECFILE_MAX 4

/* Seconds a commit waits for another one into the same directory. */
#define SECFILE_LOCK_WAIT 10

struct secfile_entry {
	char *path;         /* target */
	char *tmp_path;     /* staged content */
	char *backup_path;  /* the replaced file, kept until the commit succeeds */
	bool existed;
	bool installed;
	bool backup_kept;   /* putting the old file back failed: never delete its copy */
};

struct secfile_txn {
	struct secfile_entry entries[SECFILE_MAX];
	size_t count;
	bool force;
};

void secfile_init(struct secfile_txn *txn, bool force);

/*
 * Early check, before any work: refuses an existing target unless force,
 * and refuses anything but a regular file even with force.
 */
enum mkcsr_err secfile_check_target(const char *path, bool force);

/*
 * Whether two paths name the same file once their directories are resolved
 * ("x", "./x" and "sub/../x" do), so that one output cannot overwrite another.
 */
bool secfile_same_target(const char *a, const char *b);

/* Write data to a temporary file for path, with the given mode (0600 for secrets). */
enum mkcsr_err secfile_stage(struct secfile_txn *txn, const char *path, mode_t mode,
			     const void *data, size_t len);

/* Move every staged file into place, all or nothing. */
enum mkcsr_err secfile_commit(struct secfile_txn *txn);

/* Remove staged files; after a commit this only frees memory. */
void secfile_abort(struct secfile_txn *txn);

#endif
