#ifndef MKCSR_TEMPLATE_H
#define MKCSR_TEMPLATE_H

/*
 * Role templates: certreq INF files shipped in the package data directory
 * (templates/ in the source tree), one per Always On VPN role.  Their
 * "; mkcsr-role:", "; mkcsr-summary:" and "; mkcsr-needs:" comments tell
 * mkcsr the role, a one-line description and the [Strings] names the user
 * must supply (HOST comes from --host, others from --set).
 */

#include <stddef.h>

#include "err.h"

struct template_info {
	char *name;      /* "sstp" */
	char *path;
	char *summary;
	char *role;
	char *needs;     /* [Strings] names the user supplies, space-separated ("HOST") */
};

/* The directory searched: $MKCSR_TEMPLATE_DIR when set, else the installed one. */
const char *template_dir(void);

/* NAME (looked up in template_dir) or a path to an INF file (anything with '/' or ending in .inf). */
enum mkcsr_err template_resolve(const char *name_or_path, char **path);

/* Every template in template_dir, sorted by name. */
enum mkcsr_err template_list(struct template_info **out, size_t *count);

/* The metadata of one template file. */
enum mkcsr_err template_read_info(const char *path, struct template_info *out);

void template_info_clear(struct template_info *info);

#endif
