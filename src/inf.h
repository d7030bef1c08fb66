#ifndef MKCSR_INF_H
#define MKCSR_INF_H

/*
 * certreq INF files (windows-reference section 2): reading the ones
 * administrators already have (UTF-16 or UTF-8, with or without a BOM,
 * CRLF, ';' comments, quotes, [Strings] with %name%, _continue_) into a
 * request spec, and writing the INF that makes a request on Windows.
 * Every error names the file and the line.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "request.h"

/* An INF file is a few kilobytes; anything past this is not one. */
#define INF_MAX_BYTES (1024 * 1024)

struct inf_entry {
	char *section;     /* as written, e.g. "NewRequest" */
	char *key;
	char *value;       /* unquoted, %name% substituted, _continue_ lines appended */
	unsigned line;
};

struct inf_file {
	char *path;
	struct inf_entry *entries;
	size_t count;
	char **comments;   /* the text of every comment line, for template metadata */
	size_t comment_count;
};

/* A string given from outside the file, as if in its [Strings] section (HOST from --host, --set). */
struct inf_define {
	const char *name;
	const char *value;
};

enum mkcsr_err inf_load(const char *path, const struct inf_define *defines, size_t define_count,
			struct inf_file *out);

/* The same for an INF file's bytes already in memory; path is what messages call it. */
enum mkcsr_err inf_load_data(const char *path, const unsigned char *data, size_t len,
			     const struct inf_define *defines, size_t define_count, struct inf_file *out);

/*
 * Fill req from the file: subject, names, key type, hash, key usage, EKUs,
 * criticality, SuppressDefaults.  Keys that only mean something inside a
 * Windows key store become notes; unknown keys become warnings.
 */
enum mkcsr_err inf_apply(const struct inf_file *inf, struct mkcsr_request *req);

/* The value of "; NAME: value" in the file's comments (template metadata), or NULL. */
const char *inf_comment_value(const struct inf_file *inf, const char *name);

void inf_clear(struct inf_file *inf);

enum inf_encoding {
	INF_UTF16LE,   /* with a BOM: what certreq and PowerShell 5.1 read and write */
	INF_UTF8,      /* with a BOM */
};

enum mkcsr_err inf_parse_encoding(const char *text, enum inf_encoding *out);

/* The certreq INF for req (after request_finalize), CRLF line ends, in a malloc'ed buffer. */
enum mkcsr_err inf_write(const struct mkcsr_request *req, enum inf_encoding encoding, unsigned char **out,
			 size_t *out_len);

#endif
