#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "err.h"

struct err_entry {
	const char *name;
	enum mkcsr_exit exit_code;
	const char *message;
	const char *hint;
};

static const struct err_entry err_table[] = {
#define MKCSR_ERR(name, exit_class, message, hint) { #name, exit_class, message, hint },
#include "err.def"
#undef MKCSR_ERR
};

/* One pending detail line per thread: batch and probe workers report their own failures. */
static _Thread_local char err_detail_buf[1024];
static _Thread_local char err_file_buf[4096];

static void set_detail(const char *fmt, va_list ap)
{
	char buf[sizeof(err_detail_buf)];

	/* Through a copy: callers may pass err_detail() itself as an argument. */
	vsnprintf(buf, sizeof(buf), fmt, ap);
	memcpy(err_detail_buf, buf, sizeof(buf));
}

enum mkcsr_err err_set(enum mkcsr_err code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_detail(fmt, ap);
	va_end(ap);
	err_file_buf[0] = '\0';
	return code;
}

enum mkcsr_err err_set_file(enum mkcsr_err code, const char *file, const char *fmt, ...)
			    {
			    va_list ap;

	va_start(ap, fmt);
	set_detail(fmt, ap);
	va_end(ap);
	err_file_buf[0] = '\0';
	err_note_file(file);
	return code;
}

void err_note_file(const char *file)
{
	if (err_file_buf[0] == '\0' && file != NULL)
		snprintf(err_file_buf, sizeof(err_file_buf), "%s", file);
}

const char *err_file(void)
{
	return err_file_buf[0] ? err_file_buf : NULL;
}

void err_clear(void)
{
	err_detail_buf[0] = '\0';
	err_file_buf[0] = '\0';
	ERR_clear_error();
}

const char *err_detail(void)
{
	return err_detail_buf;
}

static const struct err_entry *err_lookup(enum mkcsr_err code)
{
	if ((unsigned)code >= MKCSR_E_COUNT_)
		code = MKCSR_E_INTERNAL;
	return &err_table[code];
}

const char *err_message(enum mkcsr_err code)
{
	return err_lookup(code)->message;
}

const char *err_hint(enum mkcsr_err code)
{
	return err_lookup(code)->hint;
}

const char *err_name(enum mkcsr_err code)
{
	return err_lookup(code)->name;
}

enum mkcsr_exit err_exit_code(enum mkcsr_err code)
{
	return err_lookup(code)->exit_code;
}
