#ifndef MKCSR_MANIFEST_H
#define MKCSR_MANIFEST_H

/*
 * A batch manifest: either one host per line, or CSV whose header row
 * names mkcsr new's long options (host, san, subject, key-type, eku,
 * key-usage, template, set, like, out-dir, key, csr, ... and the booleans
 * minimal, no-app-policies, ms-attributes as true/false).  Repeatable
 * options (san, eku, set) take several values separated by spaces.  Blank
 * lines and lines starting with '#' are skipped; a UTF-8 BOM and CRLF line
 * ends (Excel's "CSV UTF-8") are read.  Rows are kept as text and turned
 * into options on demand, so that a large fleet costs little memory.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "order.h"

#define MANIFEST_MAX_COLUMNS 24

struct manifest_row {
	size_t offset;   /* where the record starts in text */
	unsigned line;   /* its first line, counted from 1 */
};

struct manifest {
	char *name;                 /* the file as messages name it ("<stdin>" for -) */
	char *text;                 /* the whole file, BOM removed */
	size_t len;
	bool csv;                   /* a header row names the columns */
	int columns[MANIFEST_MAX_COLUMNS];  /* column index -> enum manifest_column */
	size_t column_count;
	struct manifest_row *rows;
	size_t row_count;
};

/* One thing wrong with a manifest, for "FILE:LINE: text". */
struct manifest_problem {
	unsigned line;
	enum mkcsr_err code;
	char *text;
};

struct manifest_problems {
	struct manifest_problem *items;
	size_t count;
};

/* Records code and err_detail() against line; false when out of memory. */
bool manifest_problem_add(struct manifest_problems *p, unsigned line, enum mkcsr_err code, const char *text);
void manifest_problems_clear(struct manifest_problems *p);

/*
 * Reads path ("-": standard input) and finds its rows.  An unreadable
 * file fails with MKCSR_E_READ; every malformed line (an unknown column,
 * an unclosed quote, too many fields) is added to problems, and the call
 * then fails with MKCSR_E_MALFORMED.
 */
enum mkcsr_err manifest_read(const char *path, struct manifest *out, struct manifest_problems *problems);
/* The same for a manifest already in memory (data is copied); name is what messages call it. */
enum mkcsr_err manifest_read_data(const char *name, const void *data, size_t len, struct manifest *out,
				  struct manifest_problems *problems);

/*
 * Row i's options: a copy of defaults with the row's values over them (a
 * value given in a row replaces the default's values of that option).
 * A bad value (a boolean that is not true or false) fails with the
 * detail in err_detail().
 */
enum mkcsr_err manifest_row_options(const struct manifest *m, size_t i, const struct order_options *defaults,
				    struct order_options *out);

/* The host column of row i, malloc'ed, or NULL when the row gives none. */
char *manifest_row_host(const struct manifest *m, size_t i);

void manifest_clear(struct manifest *m);

#endif
