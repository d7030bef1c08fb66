#ifndef MKCSR_PAIRFILE_H
#define MKCSR_PAIRFILE_H

/*
 * A host's key and request written as a pair, for batches: both are staged
 * as temporary files named PAIRFILE_PREFIX<pid>-... beside their targets
 * (the key 0600 from its first byte), made durable by the caller in groups,
 * then installed: the request first and the key last, so that a key on
 * disk always has its request beside it.  Files the pair replaces are not
 * deleted: they are kept aside under NAME.old-STAMP, and put back if the
 * install fails.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define PAIRFILE_PREFIX ".mkcsr-tmp-"

struct pairfile {
	char *key_path;
	char *csr_path;
	char *key_tmp;
	char *csr_tmp;
	char *key_aside;   /* where the replaced key now is, or NULL */
	char *csr_aside;
	bool installed;
};

/* Writes both temporary files; with sync, each is fsynced. */
enum mkcsr_err pairfile_stage(struct pairfile *p, const char *key_path, const char *csr_path, const void *key,
			      size_t key_len, const void *csr, size_t csr_len, bool sync);

/*
 * Moves the pair into place.  Existing targets are refused unless replace;
 * with it they are kept aside as TARGET.old-STAMP.  On failure nothing is
 * in place of the targets but what was there before (or, should putting
 * it back fail too, the detail names where the old file is).
 */
enum mkcsr_err pairfile_install(struct pairfile *p, bool replace, const char *stamp);

/* Removes what is still staged and frees p (an installed pair stays). */
void pairfile_clear(struct pairfile *p);

/* fsync of a directory, best effort (some file systems cannot). */
void pairfile_sync_dir(const char *dir);

/*
 * Removes the temporary files an interrupted or killed batch left in dir
 * (those of a batch that is still running are left alone); returns how
 * many were removed.
 */
size_t pairfile_sweep(const char *dir);

#endif
