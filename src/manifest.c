/*
 * The batch manifest reader: RFC 4180 CSV (quoted fields, "" for a quote,
 * CRLF or LF) with a header of mkcsr new's long option names, or a plain
 * list of hosts, which is the same with an implicit "host" header.
 */
#include <config.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "input.h"
#include "manifest.h"
#include "utf8.h"

enum column_kind {
	COL_VALUE,   /* one value of a request option */
	COL_LIST,    /* repeatable request option: values separated by spaces */
	COL_STRING,  /* a string member of struct order_options */
	COL_BOOL,    /* an int member, true or false */
};

struct column {
	const char *name;
	enum column_kind kind;
	int opt;          /* enum order_opt for COL_VALUE and COL_LIST */
	size_t member;    /* offset in struct order_options otherwise */
};

#define MEMBER(m) offsetof(struct order_options, m)

static const struct column columns[] = {
	{ "host", COL_VALUE, ORDER_OPT_HOST, 0 },
	{ "san", COL_LIST, ORDER_OPT_SAN, 0 },
	{ "subject", COL_VALUE, ORDER_OPT_SUBJECT, 0 },
	{ "key-type", COL_VALUE, ORDER_OPT_KEY_TYPE, 0 },
	{ "hash", COL_VALUE, ORDER_OPT_HASH, 0 },
	{ "eku", COL_LIST, ORDER_OPT_EKU, 0 },
	{ "key-usage", COL_VALUE, ORDER_OPT_KEY_USAGE, 0 },
	{ "set", COL_LIST, ORDER_OPT_SET, 0 },
	{ "template", COL_STRING, 0, MEMBER(template) },
	{ "inf", COL_STRING, 0, MEMBER(inf) },
	{ "like", COL_STRING, 0, MEMBER(like) },
	{ "out-dir", COL_STRING, 0, MEMBER(out_dir) },
	{ "key", COL_STRING, 0, MEMBER(key_path) },
	{ "csr", COL_STRING, 0, MEMBER(csr_path) },
	{ "format", COL_STRING, 0, MEMBER(format) },
	{ "header", COL_STRING, 0, MEMBER(header) },
	{ "eol", COL_STRING, 0, MEMBER(eol) },
	{ "minimal", COL_BOOL, 0, MEMBER(minimal) },
	{ "no-app-policies", COL_BOOL, 0, MEMBER(no_app_policies) },
	{ "ms-attributes", COL_BOOL, 0, MEMBER(ms_attributes) },
};
#define COLUMN_COUNT (sizeof(columns) / sizeof(columns[0]))
#define MANIFEST_MAX_BYTES (256 * 1024 * 1024)

bool manifest_problem_add(struct manifest_problems *p, unsigned line, enum mkcsr_err code, const char *text)
{
	struct manifest_problem *grown = realloc(p->items, (p->count + 1) * sizeof(*grown));

	if (grown == NULL)
		return false;
	p->items = grown;
	p->items[p->count].text = strdup(text);
	if (p->items[p->count].text == NULL)
		return false;
	p->items[p->count].line = line;
	p->items[p->count].code = code;
	p->count++;
	return true;
}

void manifest_problems_clear(struct manifest_problems *p)
{
	for (size_t i = 0; i < p->count; i++)
		free(p->items[i].text);
	free(p->items);
	p->items = NULL;
	p->count = 0;
}

/* Standard input to its end, NUL-terminated. */
static enum mkcsr_err read_stdin(char **out, size_t *len)
{
	size_t size = 0, used = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t n;

		if (used + 1 >= size) {
			char *grown = size < MANIFEST_MAX_BYTES ? realloc(buf, size ? 2 * size : 65536) : NULL;

			if (grown == NULL) {
				free(buf);
				return size < MANIFEST_MAX_BYTES ? err_set(MKCSR_E_NOMEM, "reading standard input")
								 : err_set(MKCSR_E_READ, "standard input: more than 256 MiB");
			}
			buf = grown;
			size = size ? 2 * size : 65536;
		}
		n = read(STDIN_FILENO, buf + used, size - used - 1);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return err_set(MKCSR_E_READ, "standard input: %s", strerror(errno));
		}
		used += (size_t)n;
	}
	buf[used] = '\0';
	*out = buf;
	*len = used;
	return MKCSR_E_OK;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A field's text, trimmed of the blanks around it (inside quotes they stay). */
static char *field_text(const char *start, size_t len, bool quoted)
{
	char *out = malloc(len + 1), *w = out;

	if (out == NULL)
		return NULL;
	if (!quoted) {
		while (len > 0 && is_blank(*start))
			start++, len--;
		while (len > 0 && is_blank(start[len - 1]))
			len--;
	}
	for (size_t i = 0; i < len; i++) {
		*w++ = start[i];
		if (quoted && start[i] == '"')
			i++;  /* "" stands for one quote */
	}
	*w = '\0';
	return out;
}

/*
 * One CSV record from *pos: its fields (malloc'ed) into fields[], up to max.
 * *pos moves past the record's line end and *line counts the lines it spans.
 */
static enum mkcsr_err parse_record(const char *text, size_t len, size_t *pos, unsigned *line, char **fields,
				   size_t max, size_t *count)
{
	size_t p = *pos;
	unsigned first = *line;

	*count = 0;
	for (;;) {
		size_t start;
		bool quoted = false;
		char *value;

		while (p < len && is_blank(text[p]))
			p++;
		start = p;
		if (p < len && text[p] == '"') {
			quoted = true;
			start = ++p;
			while (p < len && !(text[p] == '"' && (p + 1 >= len || text[p + 1] != '"'))) {
				if (text[p] == '\n')
					(*line)++;
				p += text[p] == '"' ? 2 : 1;
			}
			if (p >= len)
				return err_set(MKCSR_E_MALFORMED, "a quoted field opened on line %u is never closed", first);
		} else {
			while (p < len && text[p] != ',' && text[p] != '\n' && !(text[p] == '\r' && text[p + 1] == '\n'))
				p++;
		}
		if (*count == max)
			return err_set(MKCSR_E_MALFORMED, "more than %zu fields", max);
		value = field_text(text + start, p - start, quoted);
		if (value == NULL)
			return err_set(MKCSR_E_NOMEM, "reading the manifest");
		fields[(*count)++] = value;
		if (quoted) {
			p++;  /* the closing quote */
			while (p < len && is_blank(text[p]))
				p++;
			if (p < len && text[p] != ',' && text[p] != '\n' && !(text[p] == '\r' && text[p + 1] == '\n'))
				return err_set(MKCSR_E_MALFORMED, "text after a closing quote");
		}
		if (p < len && text[p] == ',') {
			p++;
			continue;
		}
		break;
	}
	if (p < len && text[p] == '\r')
		p++;
	if (p < len && text[p] == '\n') {
		p++;
		(*line)++;
	}
	*pos = p;
	return MKCSR_E_OK;
}

static void free_fields(char **fields, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(fields[i]);
}

/* Skips blank and '#' lines from *pos; true when a record starts there. */
static bool at_record(const char *text, size_t len, size_t *pos, unsigned *line)
{
	while (*pos < len) {
		size_t p = *pos;

		while (p < len && (is_blank(text[p]) || text[p] == '\r'))
			p++;
		if (p < len && text[p] != '\n' && text[p] != '#')
			return true;
		while (p < len && text[p] != '\n')
			p++;
		*pos = p < len ? p + 1 : p;
		(*line)++;
	}
	return false;
}

static int column_by_name(const char *name)
{
	for (size_t i = 0; i < COLUMN_COUNT; i++)
		if (strcasecmp(columns[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The header row: every field a known, distinct column; false if it is a host instead. */
static bool read_header(struct manifest *m, char **fields, size_t count, unsigned line,
			struct manifest_problems *problems)
{
	bool ok = true;

	if (count == 1 && column_by_name(fields[0]) != 0)
		return false;  /* a plain list of hosts: its first line is a host */
	m->csv = true;
	m->column_count = count;
	for (size_t i = 0; i < count; i++) {
		int col = column_by_name(fields[i]);
		char text[512];

		m->columns[i] = col;
		for (size_t j = 0; col >= 0 && j < i; j++)
			if (m->columns[j] == col) {
				snprintf(text, sizeof(text), "column '%s' appears twice in the header", columns[col].name);
				ok = manifest_problem_add(problems, line, MKCSR_E_MALFORMED, text) && ok;
			}
		if (col < 0) {
			snprintf(text, sizeof(text),
				 "unknown column '%.200s': the header names mkcsr new's options (host, san, subject, "
				 "key-type, eku, key-usage, template, set, like, out-dir, key, csr, ...)", fields[i]);
			ok = manifest_problem_add(problems, line, MKCSR_E_MALFORMED, text) && ok;
		}
	}
	(void)ok;
	return true;
}

static enum mkcsr_err load_text(const char *path, struct manifest *m)
{
	enum mkcsr_err rc;
	unsigned char *data = NULL;

	m->name = strdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
	if (m->name == NULL)
		return err_set(MKCSR_E_NOMEM, "reading the manifest");
	if (strcmp(path, "-") == 0)
		return read_stdin(&m->text, &m->len);
	rc = input_read_file(path, &data, &m->len);
	m->text = (char *)data;
	return rc;
}

/* The encoding: UTF-8, with or without a BOM, no NUL. */
static enum mkcsr_err check_encoding(struct manifest *m)
{
	const unsigned char *t = (const unsigned char *)m->text;

	if (m->len >= 2 && ((t[0] == 0xff && t[1] == 0xfe) || (t[0] == 0xfe && t[1] == 0xff)))
		return err_set(MKCSR_E_MALFORMED, "'%s' is UTF-16: save it as \"CSV UTF-8\" (or plain UTF-8 text)",
			       m->name);
	if (m->len >= 3 && t[0] == 0xef && t[1] == 0xbb && t[2] == 0xbf) {
		memmove(m->text, m->text + 3, m->len - 3 + 1);
		m->len -= 3;
	}
	if (memchr(m->text, '\0', m->len) != NULL)
		return err_set(MKCSR_E_MALFORMED, "'%s' holds a NUL byte: it is not a text file", m->name);
	if (utf8_length(m->text, m->len, false) < 0)
		return err_set(MKCSR_E_MALFORMED, "'%s' is not UTF-8 text: save it as \"CSV UTF-8\"", m->name);
	return MKCSR_E_OK;
}

static bool add_row(struct manifest *m, size_t offset, unsigned line)
{
	if ((m->row_count & (m->row_count - 1)) == 0) {  /* grow at powers of two */
		struct manifest_row *grown = realloc(m->rows, (m->row_count ? 2 * m->row_count : 16) * sizeof(*grown));

		if (grown == NULL)
			return false;
		m->rows = grown;
	}
	m->rows[m->row_count].offset = offset;
	m->rows[m->row_count].line = line;
	m->row_count++;
	return true;
}

/* Checks one record's shape against the header. */
static enum mkcsr_err check_record(const struct manifest *m, size_t count)
{
	if (!m->csv && count > 1)
		return err_set(MKCSR_E_MALFORMED, "%zu fields in a list of hosts; a CSV manifest starts with a header "
						  "row (host,san,...)", count);
	if (m->csv && count > m->column_count)
		return err_set(MKCSR_E_MALFORMED, "%zu fields, but the header names %zu columns", count,
			       m->column_count);
	return MKCSR_E_OK;
}

/* The rows of out->text (out->name set): the header, each record checked. */
static enum mkcsr_err find_rows(struct manifest *out, struct manifest_problems *problems)
{
	size_t pos = 0, count = 0;
	unsigned line = 1;
	char *fields[MANIFEST_MAX_COLUMNS];
	size_t before = problems->count;
	bool first_record = true;
	enum mkcsr_err rc = check_encoding(out);

	while (rc == MKCSR_E_OK && at_record(out->text, out->len, &pos, &line)) {
		size_t start = pos;
		unsigned first = line;
		bool header = false;

		rc = parse_record(out->text, out->len, &pos, &line, fields, MANIFEST_MAX_COLUMNS, &count);
		if (rc != MKCSR_E_OK)
			line = first;
		if (rc == MKCSR_E_OK && first_record)
			header = read_header(out, fields, count, first, problems);
		first_record = false;
		if (rc == MKCSR_E_OK && !header)
			rc = check_record(out, count);
		free_fields(fields, count);
		if (rc == MKCSR_E_MALFORMED) {
			if (!manifest_problem_add(problems, first, rc, err_detail()))
				return err_set(MKCSR_E_NOMEM, "reading the manifest");
			if (strstr(err_detail(), "never closed") != NULL)
				break;  /* an unclosed quote swallows the rest of the file */
			pos = start;
			while (pos < out->len && out->text[pos++] != '\n')
				;
			line = first + 1;
			rc = MKCSR_E_OK;
		} else if (rc == MKCSR_E_OK && !header && !add_row(out, start, first)) {
			rc = err_set(MKCSR_E_NOMEM, "reading the manifest");
		}
	}
	if (rc == MKCSR_E_OK && problems->count > before)
		rc = err_set(MKCSR_E_MALFORMED, "'%s' has %zu malformed line%s", out->name, problems->count - before,
			     problems->count - before == 1 ? "" : "s");
	return rc;
}

static void manifest_start(struct manifest *out)
{
	memset(out, 0, sizeof(*out));
	out->columns[0] = 0;  /* a plain list: one column, host */
	out->column_count = 1;
}

enum mkcsr_err manifest_read(const char *path, struct manifest *out, struct manifest_problems *problems)
{
	enum mkcsr_err rc;

	manifest_start(out);
	rc = load_text(path, out);
	return rc == MKCSR_E_OK ? find_rows(out, problems) : rc;
}

enum mkcsr_err manifest_read_data(const char *name, const void *data, size_t len, struct manifest *out,
				  struct manifest_problems *problems)
{
	manifest_start(out);
	out->name = strdup(name);
	out->text = malloc(len + 1);
	if (out->name == NULL || out->text == NULL)
		return err_set(MKCSR_E_NOMEM, "reading the manifest");
	if (len > 0)
		memcpy(out->text, data, len);
	out->text[len] = '\0';
	out->len = len;
	return find_rows(out, problems);
}

/* Sets a value of column col over out (a row's value replaces the default's). */
static enum mkcsr_err apply_column(const struct column *col, const char *value, struct order_options *out)
{
	char **member = (char **)((char *)out + col->member);
	enum mkcsr_err rc = MKCSR_E_OK;
	char *copy, *save = NULL;

	switch (col->kind) {
	case COL_BOOL:
		if (strcasecmp(value, "true") != 0 && strcasecmp(value, "false") != 0)
			return err_set(MKCSR_E_USAGE, "%s '%s': write true or false", col->name, value);
		*(int *)((char *)out + col->member) = strcasecmp(value, "true") == 0;
		return MKCSR_E_OK;
	case COL_STRING:
		free(*member);
		*member = strdup(value);
		return *member ? MKCSR_E_OK : err_set(MKCSR_E_NOMEM, "reading the manifest");
	case COL_VALUE:
	case COL_LIST:
		order_options_drop(out, col->opt);
		if (col->kind == COL_VALUE) {
			copy = strdup(value);
			return copy ? order_options_add(out, col->opt, copy) : err_set(MKCSR_E_NOMEM, "reading the manifest");
		}
		copy = strdup(value);
		if (copy == NULL)
			return err_set(MKCSR_E_NOMEM, "reading the manifest");
		for (char *v = strtok_r(copy, " \t", &save); rc == MKCSR_E_OK && v != NULL; v = strtok_r(NULL, " \t", &save)) {
			char *one = strdup(v);

			rc = one ? order_options_add(out, col->opt, one) : err_set(MKCSR_E_NOMEM, "reading the manifest");
		}
		free(copy);
		return rc;
	}
	return err_set(MKCSR_E_INTERNAL, "column '%s'", col->name);
}

static enum mkcsr_err copy_options(const struct order_options *from, struct order_options *to)
{
	static const size_t strings[] = {
		MEMBER(out_dir), MEMBER(key_path), MEMBER(csr_path), MEMBER(format), MEMBER(header), MEMBER(eol),
		MEMBER(key_pass), MEMBER(template), MEMBER(inf), MEMBER(write_inf), MEMBER(inf_encoding),
		MEMBER(like), MEMBER(like_pass),
	};
	enum mkcsr_err rc = MKCSR_E_OK;

	memset(to, 0, sizeof(*to));
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		const char *v = *(char *const *)((const char *)from + strings[i]);
		char **dst = (char **)((char *)to + strings[i]);

		if (v != NULL && (*dst = strdup(v)) == NULL)
			rc = MKCSR_E_NOMEM;
	}
	to->force = from->force;
	to->no_app_policies = from->no_app_policies;
	to->minimal = from->minimal;
	to->ms_attributes = from->ms_attributes;
	for (size_t i = 0; rc == MKCSR_E_OK && i < from->value_count; i++) {
		char *v = strdup(from->values[i].arg);

		rc = v ? order_options_add(to, from->values[i].opt, v) : MKCSR_E_NOMEM;
	}
	return rc == MKCSR_E_OK ? rc : err_set(MKCSR_E_NOMEM, "reading the manifest");
}

enum mkcsr_err manifest_row_options(const struct manifest *m, size_t i, const struct order_options *defaults,
				    struct order_options *out)
{
	char *fields[MANIFEST_MAX_COLUMNS];
	size_t pos = m->rows[i].offset, count = 0;
	unsigned line = m->rows[i].line;
	enum mkcsr_err rc = copy_options(defaults, out);

	if (rc == MKCSR_E_OK)
		rc = parse_record(m->text, m->len, &pos, &line, fields, MANIFEST_MAX_COLUMNS, &count);
	for (size_t f = 0; rc == MKCSR_E_OK && f < count; f++)
		if (fields[f][0] != '\0')  /* an empty cell keeps the default */
			rc = apply_column(&columns[m->columns[f]], fields[f], out);
	free_fields(fields, count);
	return rc;
}

char *manifest_row_host(const struct manifest *m, size_t i)
{
	char *fields[MANIFEST_MAX_COLUMNS], *host = NULL;
	size_t pos = m->rows[i].offset, count = 0;
	unsigned line = m->rows[i].line;

	if (parse_record(m->text, m->len, &pos, &line, fields, MANIFEST_MAX_COLUMNS, &count) != MKCSR_E_OK)
		return NULL;
	for (size_t f = 0; f < count; f++)
		if (m->columns[f] == 0 && fields[f][0] != '\0' && host == NULL)
			host = strdup(fields[f]);
	free_fields(fields, count);
	return host;
}

void manifest_clear(struct manifest *m)
{
	free(m->name);
	free(m->text);
	free(m->rows);
	memset(m, 0, sizeof(*m));
}
