#include <config.h>

#include <ctype.h>
#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "input.h"
#include "template.h"

const char *template_dir(void)
{
	const char *dir = getenv("MKCSR_TEMPLATE_DIR");

	return dir && *dir ? dir : PKGDATADIR "/templates";
}

static bool is_path(const char *arg)
{
	size_t len = strlen(arg);

	return strchr(arg, '/') != NULL || (len > 4 && strcasecmp(arg + len - 4, ".inf") == 0);
}

enum mkcsr_err template_resolve(const char *name_or_path, char **path)
{
	struct stat st;

	*path = NULL;
	if (is_path(name_or_path)) {
		*path = strdup(name_or_path);
		return *path ? MKCSR_E_OK : err_set(MKCSR_E_NOMEM, "finding the template");
	}
	for (const char *p = name_or_path; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return err_set(MKCSR_E_BAD_TEMPLATE, "'%s' is not a template name", name_or_path);
	if (asprintf(path, "%s/%s.inf", template_dir(), name_or_path) < 0) {
		*path = NULL;
		return err_set(MKCSR_E_NOMEM, "finding the template");
	}
	if (stat(*path, &st) != 0) {
		free(*path);
		*path = NULL;
		return err_set(MKCSR_E_BAD_TEMPLATE, "no template '%s' in %s", name_or_path, template_dir());
	}
	return MKCSR_E_OK;
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

enum mkcsr_err template_read_info(const char *path, struct template_info *out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	enum mkcsr_err rc = input_read_file(path, &data, &len);

	memset(out, 0, sizeof(*out));
	if (rc != MKCSR_E_OK)
		return rc;
	/* The shipped templates are ASCII; the metadata is read from the text as it is. */
	out->name = strndup(base, strlen(base) > 4 ? strlen(base) - 4 : strlen(base));
	out->path = strdup(path);
	out->summary = metadata((const char *)data, "summary");
	out->role = metadata((const char *)data, "role");
	out->needs = metadata((const char *)data, "needs");
	free(data);
	if (out->name == NULL || out->path == NULL) {
		template_info_clear(out);
		return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
	}
	return MKCSR_E_OK;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct template_info *)a)->name, ((const struct template_info *)b)->name);
}

enum mkcsr_err template_list(struct template_info **out, size_t *count)
{
	DIR *dir = opendir(template_dir());
	struct dirent *d;
	enum mkcsr_err rc = MKCSR_E_OK;

	*out = NULL;
	*count = 0;
	if (dir == NULL)
		return err_set_file(MKCSR_E_READ, template_dir(), "'%s': %s", template_dir(), strerror(errno));
	while (rc == MKCSR_E_OK && (d = readdir(dir)) != NULL) {
		size_t len = strlen(d->d_name);
		struct template_info *grown;
		char *path = NULL;

		if (len <= 4 || strcmp(d->d_name + len - 4, ".inf") != 0 || d->d_name[0] == '.')
			continue;
		grown = realloc(*out, (*count + 1) * sizeof(*grown));
		if (grown == NULL || asprintf(&path, "%s/%s", template_dir(), d->d_name) < 0) {
			if (grown != NULL)
				*out = grown;
			rc = err_set(MKCSR_E_NOMEM, "listing the templates");
			break;
		}
		*out = grown;
		rc = template_read_info(path, &(*out)[*count]);
		free(path);
		if (rc == MKCSR_E_OK)
			(*count)++;
	}
	closedir(dir);
	if (rc == MKCSR_E_OK)
		qsort(*out, *count, sizeof(**out), by_name);
	return rc;
}

void template_info_clear(struct template_info *info)
{
	free(info->name);
	free(info->path);
	free(info->summary);
	free(info->role);
	free(info->needs);
	memset(info, 0, sizeof(*info));
}
