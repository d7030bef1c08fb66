#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "input.h"
#include "template.h"

const char *template_env_dir(void)
{
	const char *dir = getenv("MKCSR_TEMPLATE_DIR");

	return dir && *dir ? dir : NULL;
}

const char *template_installed_dir(void)
{
	return PKGDATADIR "/templates";
}

const char *template_origin_name(enum template_origin origin)
{
	switch (origin) {
	case TEMPLATE_ENV_DIR:
		return "MKCSR_TEMPLATE_DIR";
	case TEMPLATE_INSTALLED:
		return "installed";
	case TEMPLATE_BUILTIN:
		return "built-in";
	case TEMPLATE_FILE:
		break;
	}
	return "file";
}

static bool is_path(const char *arg)
{
	size_t len = strlen(arg);

	return strchr(arg, '/') != NULL || (len > 4 && strcasecmp(arg + len - 4, ".inf") == 0);
}

static bool is_name(const char *text, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)text[i]) && text[i] != '-' && text[i] != '_')
			return false;
	return true;
}

/* "; mkcsr-NAME: value" on a line of text, copied; NULL when absent. */
static char *metadata(const char *text, const char *name)
{
	char marker[64];
	const char *p;
	size_t len;

	snprintf(marker, sizeof(marker), "; mkcsr-%s:", name);
	p = strstr(text, marker);
	if (p == NULL)
		return NULL;
	p += strlen(marker);
	while (*p == ' ' || *p == '\t')
		p++;
	len = strcspn(p, "\r\n");
	return strndup(p, len);
}

/* The metadata of a template's text (NUL-terminated; the shipped templates are ASCII, read as they are). */
static enum mkcsr_err info_from_text(const char *name, size_t name_len, const char *path, enum template_origin origin,
				     const char *text, struct template_info *out)
{
	bool ok;

	out->name = strndup(name, name_len);
	out->origin = origin;
	if (path != NULL) {
		out->path = strdup(path);
		out->label = strdup(path);
	} else if (asprintf(&out->label, "built-in %.*s.inf", (int)name_len, name) < 0) {
		out->label = NULL;
	}
	out->summary = metadata(text, "summary");
	out->role = metadata(text, "role");
	out->needs = metadata(text, "needs");
	ok = out->name != NULL && out->label != NULL && (path == NULL || out->path != NULL);
	if (!ok) {
		template_info_clear(out);
		return err_set(MKCSR_E_NOMEM, "reading the template '%.*s'", (int)name_len, name);
	}
	return MKCSR_E_OK;
}

static enum mkcsr_err info_from_file(const char *path, enum template_origin origin, struct template_info *out)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t base_len = strlen(base);
	unsigned char *data = NULL;
	size_t len = 0;
	enum mkcsr_err rc = input_read_file(path, &data, &len);

	if (base_len > 4 && strcasecmp(base + base_len - 4, ".inf") == 0)
		base_len -= 4;
	if (rc == MKCSR_E_OK)
		rc = info_from_text(base, base_len, path, origin, (const char *)data, out);
	free(data);
	return rc;
}

static enum mkcsr_err info_from_builtin(const struct template_builtin *b, struct template_info *out)
{
	enum mkcsr_err rc = info_from_text(b->name, strlen(b->name), NULL, TEMPLATE_BUILTIN, (const char *)b->text, out);

	out->builtin = b;
	return rc;
}

/* $MKCSR_TEMPLATE_DIR names a directory the user chose: one that cannot be read is an error, not silence. */
static enum mkcsr_err check_env_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0)
		return err_set_file(MKCSR_E_READ, dir, "MKCSR_TEMPLATE_DIR '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set_file(MKCSR_E_READ, dir, "MKCSR_TEMPLATE_DIR '%s': not a directory", dir);
	return MKCSR_E_OK;
}

/* DIR/NAME.inf into out when it is there; *found says whether it was. */
static enum mkcsr_err find_in_dir(const char *dir, const char *name, enum template_origin origin,
				  struct template_info *out, bool *found)
{
	char *path = NULL;
	struct stat st;
	enum mkcsr_err rc = MKCSR_E_OK;

	*found = false;
	if (asprintf(&path, "%s/%s.inf", dir, name) < 0)
		return err_set(MKCSR_E_NOMEM, "finding the template");
	/* lstat: a broken link there is an error to report, not a reason to fall back. */
	if (lstat(path, &st) == 0) {
		*found = true;
		rc = info_from_file(path, origin, out);
	}
	free(path);
	return rc;
}

static const struct template_builtin *builtin_named(const char *name)
{
	for (size_t i = 0; i < template_builtin_count; i++)
		if (strcmp(template_builtins[i].name, name) == 0)
			return &template_builtins[i];
	return NULL;
}

/* "device-tunnel, ikev2, ..." for the message that a name is missing. */
static void builtin_names(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < template_builtin_count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", template_builtins[i].name);
}

static enum mkcsr_err not_found(const char *name)
{
	char names[256];

	builtin_names(names, sizeof(names));
	if (template_env_dir() != NULL)
		return err_set(MKCSR_E_BAD_TEMPLATE, "no template '%s' in MKCSR_TEMPLATE_DIR '%s', in '%s' or built in (%s)",
			       name, template_env_dir(), template_installed_dir(), names);
	return err_set(MKCSR_E_BAD_TEMPLATE, "no template '%s' in '%s' or built in (%s)", name, template_installed_dir(),
		       names);
}

enum mkcsr_err template_resolve(const char *name_or_path, struct template_info *out)
{
	const char *env = template_env_dir();
	const struct template_builtin *b;
	enum mkcsr_err rc = MKCSR_E_OK;
	bool found = false;

	memset(out, 0, sizeof(*out));
	if (is_path(name_or_path))
		return info_from_file(name_or_path, TEMPLATE_FILE, out);
	if (!is_name(name_or_path, strlen(name_or_path)))
		return err_set(MKCSR_E_BAD_TEMPLATE, "'%s' is not a template name", name_or_path);
	if (env != NULL) {
		rc = check_env_dir(env);
		if (rc == MKCSR_E_OK)
			rc = find_in_dir(env, name_or_path, TEMPLATE_ENV_DIR, out, &found);
	}
	if (rc == MKCSR_E_OK && !found)
		rc = find_in_dir(template_installed_dir(), name_or_path, TEMPLATE_INSTALLED, out, &found);
	if (rc != MKCSR_E_OK || found)
		return rc;
	b = builtin_named(name_or_path);
	return b != NULL ? info_from_builtin(b, out) : not_found(name_or_path);
}

/* ---- the list ------------------------------------------------------------- */

struct template_set {
	struct template_info *items;
	size_t count;
};

static bool set_has(const struct template_set *set, const char *name, size_t len)
{
	for (size_t i = 0; i < set->count; i++)
		if (strlen(set->items[i].name) == len && strncmp(set->items[i].name, name, len) == 0)
			return true;
	return false;
}

static enum mkcsr_err set_grow(struct template_set *set)
{
	struct template_info *grown = realloc(set->items, (set->count + 1) * sizeof(*grown));

	if (grown == NULL)
		return err_set(MKCSR_E_NOMEM, "listing the templates");
	set->items = grown;
	memset(&set->items[set->count], 0, sizeof(*grown));
	return MKCSR_E_OK;
}

/* The NAME.inf files of dir whose names are not in set yet (a name found earlier wins). */
static enum mkcsr_err add_dir(struct template_set *set, const char *dir, enum template_origin origin)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	enum mkcsr_err rc = MKCSR_E_OK;

	if (d == NULL) {
		/* The installed directory is optional: the built-in templates stand in for it. */
		if (origin == TEMPLATE_INSTALLED && (errno == ENOENT || errno == ENOTDIR))
			return MKCSR_E_OK;
		return origin == TEMPLATE_ENV_DIR
			       ? err_set_file(MKCSR_E_READ, dir, "MKCSR_TEMPLATE_DIR '%s': %s", dir, strerror(errno))
			       : err_set_file(MKCSR_E_READ, dir, "'%s': %s", dir, strerror(errno));
	}
	while (rc == MKCSR_E_OK && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *path = NULL;

		/* Only what --template NAME can find: NAME.inf with a valid name. */
		if (len <= 4 || strcmp(e->d_name + len - 4, ".inf") != 0 || !is_name(e->d_name, len - 4) ||
		    set_has(set, e->d_name, len - 4))
			continue;
		rc = set_grow(set);
		if (rc == MKCSR_E_OK && asprintf(&path, "%s/%s", dir, e->d_name) < 0) {
			path = NULL;
			rc = err_set(MKCSR_E_NOMEM, "listing the templates");
		}
		if (rc == MKCSR_E_OK)
			rc = info_from_file(path, origin, &set->items[set->count]);
		if (rc == MKCSR_E_OK)
			set->count++;
		free(path);
	}
	closedir(d);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct template_info *)a)->name, ((const struct template_info *)b)->name);
}

enum mkcsr_err template_list(struct template_info **out, size_t *count)
{
	struct template_set set = { NULL, 0 };
	enum mkcsr_err rc = MKCSR_E_OK;

	if (template_env_dir() != NULL)
		rc = check_env_dir(template_env_dir());
	if (rc == MKCSR_E_OK && template_env_dir() != NULL)
		rc = add_dir(&set, template_env_dir(), TEMPLATE_ENV_DIR);
	if (rc == MKCSR_E_OK)
		rc = add_dir(&set, template_installed_dir(), TEMPLATE_INSTALLED);
	for (size_t i = 0; rc == MKCSR_E_OK && i < template_builtin_count; i++) {
		const struct template_builtin *b = &template_builtins[i];

		if (set_has(&set, b->name, strlen(b->name)))
			continue;
		rc = set_grow(&set);
		if (rc == MKCSR_E_OK)
			rc = info_from_builtin(b, &set.items[set.count]);
		if (rc == MKCSR_E_OK)
			set.count++;
	}
	if (rc != MKCSR_E_OK) {
		for (size_t i = 0; i < set.count; i++)
			template_info_clear(&set.items[i]);
		free(set.items);
		set.items = NULL;
		set.count = 0;
	}
	if (set.count > 1)
		qsort(set.items, set.count, sizeof(*set.items), by_name);
	*out = set.items;
	*count = set.count;
	return rc;
}

enum mkcsr_err template_load(const struct template_info *t, const struct inf_define *defines, size_t define_count,
			     struct inf_file *out)
{
	if (t->builtin != NULL)
		return inf_load_data(t->label, t->builtin->text, t->builtin->len, defines, define_count, out);
	return inf_load(t->path, defines, define_count, out);
}

void template_info_clear(struct template_info *info)
{
	free(info->name);
	free(info->path);
	free(info->label);
	free(info->summary);
	free(info->role);
	free(info->needs);
	memset(info, 0, sizeof(*info));
}
