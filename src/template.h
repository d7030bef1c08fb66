#ifndef MKCSR_TEMPLATE_H
#define MKCSR_TEMPLATE_H

/*
 * Role templates: certreq INF files, one per Always On VPN role.  Their
 * "; mkcsr-role:", "; mkcsr-summary:" and "; mkcsr-needs:" comments tell
 * mkcsr the role, a one-line description and the [Strings] names the user
 * must supply (HOST comes from --host, others from --set).
 *
 * The files of templates/ are compiled into mkcsr (src/gen-templates.sh), so
 * a name is found wherever the program runs.  A name is looked up, first
 * match wins, in $MKCSR_TEMPLATE_DIR, then in the installed directory
 * ($(pkgdatadir)/templates), then among the built-in ones: a file of the
 * same name overrides a built-in template, other files add templates.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "inf.h"

/* One template compiled in from templates/NAME.inf (src/templates_builtin.c, generated). */
struct template_builtin {
	const char *name;
	const unsigned char *text;   /* the file's bytes, NUL-terminated */
	size_t len;
};

extern const struct template_builtin template_builtins[];
extern const size_t template_builtin_count;

enum template_origin {
	TEMPLATE_FILE,        /* a path given to --template */
	TEMPLATE_ENV_DIR,     /* found in $MKCSR_TEMPLATE_DIR */
	TEMPLATE_INSTALLED,   /* found in the installed directory */
	TEMPLATE_BUILTIN,
};

struct template_info {
	char *name;      /* "sstp" */
	char *path;      /* the file, or NULL for a built-in template */
	char *label;     /* what messages call it: the path, or "built-in sstp.inf" */
	enum template_origin origin;
	const struct template_builtin *builtin;   /* the text of a built-in template */
	char *summary;
	char *role;
	char *needs;     /* [Strings] names the user supplies, space-separated ("HOST") */
};

/* $MKCSR_TEMPLATE_DIR when set and not empty, else NULL. */
const char *template_env_dir(void);

/* The installed directory, $(pkgdatadir)/templates as configured. */
const char *template_installed_dir(void);

/* "built-in", "MKCSR_TEMPLATE_DIR", "installed" or "file". */
const char *template_origin_name(enum template_origin origin);

/*
 * NAME (looked up as above) or the path of an INF file (anything with '/'
 * or ending in .inf).  A missing name is MKCSR_E_BAD_TEMPLATE, naming every
 * place looked in; an unreadable $MKCSR_TEMPLATE_DIR is MKCSR_E_READ.
 */
enum mkcsr_err template_resolve(const char *name_or_path, struct template_info *out);

/* Every template that a name finds, each once (the one that wins), sorted by name. */
enum mkcsr_err template_list(struct template_info **out, size_t *count);

/* The template's INF text, HOST and --set values filled in (inf_load for a file). */
enum mkcsr_err template_load(const struct template_info *t, const struct inf_define *defines, size_t define_count,
			     struct inf_file *out);

void template_info_clear(struct template_info *info);

#endif
