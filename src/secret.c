#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "secret.h"

enum source_kind { SRC_ENV, SRC_FILE, SRC_FD, SRC_STDIN, SRC_PROMPT, SRC_PASS };

static enum mkcsr_err classify(const char *source, enum source_kind *kind, const char **arg)
{
	static const struct {
		const char *prefix;
		enum source_kind kind;
		bool takes_arg;
	} kinds[] = {
		{ "env:", SRC_ENV, true },   { "file:", SRC_FILE, true },    { "fd:", SRC_FD, true },
		{ "stdin", SRC_STDIN, false }, { "prompt", SRC_PROMPT, false }, { "pass:", SRC_PASS, true },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t len = strlen(kinds[i].prefix);

		if (kinds[i].takes_arg ? strncmp(source, kinds[i].prefix, len) != 0
				       : strcmp(source, kinds[i].prefix) != 0)
			continue;
		*kind = kinds[i].kind;
		*arg = source + len;
		if (kinds[i].takes_arg && **arg == '\0' && kinds[i].kind != SRC_PASS)
			return err_set(MKCSR_E_BAD_SECRET_SOURCE, "'%s' needs a value after '%s'", source,
				       kinds[i].prefix);
		if (kinds[i].kind == SRC_FD) {
			char *end;
			long fd;

			errno = 0;
			fd = strtol(*arg, &end, 10);
			if (errno != 0 || *end != '\0' || fd < 0 || fd > INT_MAX)
				return err_set(MKCSR_E_BAD_SECRET_SOURCE, "'%s': '%s' is not a file descriptor number",
					       source, *arg);
		}
		return MKCSR_E_OK;
	}
	return err_set(MKCSR_E_BAD_SECRET_SOURCE, "'%s'", source);
}

enum mkcsr_err secret_check_source(const char *source, bool *on_argv)
{
	enum source_kind kind;
	const char *arg;
	enum mkcsr_err rc = classify(source, &kind, &arg);

	*on_argv = rc == MKCSR_E_OK && kind == SRC_PASS;
	return rc;
}

/* Takes ownership of buf; keeps the first line. */
static enum mkcsr_err finish(char *buf, size_t len, const char *what, const char *where, bool allow_empty,
			     struct mkcsr_secret *out)
{
	size_t line = strcspn(buf, "\r\n");

	if (line < len)
		OPENSSL_cleanse(buf + line, len - line);
	buf[line] = '\0';
	if (line == 0 && !allow_empty) {
		OPENSSL_clear_free(buf, SECRET_MAX + 1);
		return err_set(MKCSR_E_SECRET_EMPTY, "the %s from %s is empty", what, where);
	}
	out->text = buf;
	out->len = line;
	return MKCSR_E_OK;
}

/* Reads at most SECRET_MAX bytes, up to the first line end or EOF. */
/* How long a FIFO given as file:PATH may take to be written to (a shell's <(command) is one). */
#define SECRET_FIFO_WAIT_MS 5000

/* Whether a FIFO opened without blocking gets something to read, or its writer leaves, before the deadline. */
static bool fifo_written(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, SECRET_FIFO_WAIT_MS);
	while (n < 0 && errno == EINTR);
	return n > 0;
}

static enum mkcsr_err read_fd(int fd, const char *what, const char *where, bool allow_empty, struct mkcsr_secret *out)
{
	char *buf = OPENSSL_zalloc(SECRET_MAX + 1);
	size_t len = 0;

	if (buf == NULL)
		return err_set(MKCSR_E_NOMEM, "reading the %s", what);
	while (len < SECRET_MAX) {
		ssize_t n = read(fd, buf + len, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			OPENSSL_clear_free(buf, SECRET_MAX + 1);
			return err_set(MKCSR_E_SECRET_UNAVAILABLE, "reading the %s from %s: %s", what, where,
				       strerror(errno));
		}
		if (n == 0 || buf[len] == '\n')
			break;
		len++;
	}
	if (len == SECRET_MAX) {
		OPENSSL_clear_free(buf, SECRET_MAX + 1);
		return err_set(MKCSR_E_SECRET_UNAVAILABLE, "the %s from %s is longer than %d bytes", what, where,
			       SECRET_MAX - 1);
	}
	return finish(buf, len, what, where, allow_empty, out);
}

static enum mkcsr_err read_prompt(const char *what, bool confirm, struct mkcsr_secret *out)
{
	char prompt[128];
	char *buf;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return err_set(MKCSR_E_SECRET_UNAVAILABLE,
			       "no terminal to ask for the %s on: use env:VAR, file:PATH, fd:N or stdin", what);
	close(fd);
	buf = OPENSSL_zalloc(SECRET_MAX + 1);
	if (buf == NULL)
		return err_set(MKCSR_E_NOMEM, "reading the %s", what);
	snprintf(prompt, sizeof(prompt), "Enter the %s: ", what);
	if (EVP_read_pw_string_min(buf, 4, SECRET_MAX, prompt, confirm) != 0) {
		OPENSSL_clear_free(buf, SECRET_MAX + 1);
		return err_set(MKCSR_E_SECRET_UNAVAILABLE, "the %s was not entered (or the two entries differ)", what);
	}
	return finish(buf, strlen(buf), what, "the terminal", false, out);
}

static enum mkcsr_err read_secret(const char *source, const char *what, bool confirm, bool allow_empty,
				  struct mkcsr_secret *out)
{
	enum source_kind kind;
	const char *arg;
	enum mkcsr_err rc = classify(source, &kind, &arg);
	char *buf;
	int fd;

	memset(out, 0, sizeof(*out));
	if (rc != MKCSR_E_OK)
		return rc;

	switch (kind) {
	case SRC_ENV:
	case SRC_PASS: {
		const char *value = kind == SRC_ENV ? getenv(arg) : arg;
		size_t len;

		if (value == NULL)
			return err_set(MKCSR_E_SECRET_UNAVAILABLE, "the environment variable %s for the %s is not set",
				       arg, what);
		len = strlen(value);
		if (len >= SECRET_MAX)
			return err_set(MKCSR_E_SECRET_UNAVAILABLE, "the %s from %s is longer than %d bytes", what,
				       source, SECRET_MAX - 1);
		buf = OPENSSL_zalloc(SECRET_MAX + 1);
		if (buf == NULL)
			return err_set(MKCSR_E_NOMEM, "reading the %s", what);
		memcpy(buf, value, len);
		return finish(buf, len, what, kind == SRC_ENV ? source : "pass:", allow_empty, out);
	}
	case SRC_FILE: {
		struct stat st;

		/* O_NONBLOCK: opening a FIFO must not wait for a writer that may never come. */
		fd = open(arg, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0)
			return err_set_file(MKCSR_E_SECRET_UNAVAILABLE, arg, "'%s': %s", arg, strerror(errno));
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			return err_set_file(MKCSR_E_SECRET_UNAVAILABLE, arg, "'%s' is a directory", arg);
		}
		if (S_ISFIFO(st.st_mode) && !fifo_written(fd)) {
			close(fd);
			return err_set_file(MKCSR_E_SECRET_UNAVAILABLE, arg,
					    "'%s' is a FIFO that nothing wrote to within %d seconds", arg,
					    SECRET_FIFO_WAIT_MS / 1000);
		}
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		rc = read_fd(fd, what, source, allow_empty, out);
		close(fd);
		return rc;
	}
	case SRC_FD:
		return read_fd(atoi(arg), what, source, allow_empty, out);
	case SRC_STDIN:
		return read_fd(STDIN_FILENO, what, "standard input", allow_empty, out);
	case SRC_PROMPT:
		return read_prompt(what, confirm, out);
	}
	return err_set(MKCSR_E_INTERNAL, "unhandled passphrase source");
}

enum mkcsr_err secret_read(const char *source, const char *what, bool confirm, struct mkcsr_secret *out)
{
	return read_secret(source, what, confirm, false, out);
}

enum mkcsr_err secret_read_to_open(const char *source, const char *what, struct mkcsr_secret *out)
{
	return read_secret(source, what, false, true, out);
}

enum mkcsr_err secret_generate(struct mkcsr_secret *out)
{
	unsigned char random[18];
	char *buf = OPENSSL_zalloc(SECRET_MAX + 1);
	int len;

	memset(out, 0, sizeof(*out));
	if (buf == NULL)
		return err_set(MKCSR_E_NOMEM, "generating a password");
	if (RAND_priv_bytes(random, sizeof(random)) != 1) {
		OPENSSL_clear_free(buf, SECRET_MAX + 1);
		return err_set(MKCSR_E_CRYPTO, "generating a password");
	}
	/* 18 bytes are 24 Base64 characters without padding; '+' and '/' are awkward in shells and URLs. */
	len = EVP_EncodeBlock((unsigned char *)buf, random, sizeof(random));
	OPENSSL_cleanse(random, sizeof(random));
	for (int i = 0; i < len; i++)
		buf[i] = buf[i] == '+' ? '-' : buf[i] == '/' ? '_' : buf[i];
	out->text = buf;
	out->len = (size_t)len;
	return MKCSR_E_OK;
}

void secret_clear(struct mkcsr_secret *secret)
{
	if (secret == NULL)
		return;
	OPENSSL_clear_free(secret->text, SECRET_MAX + 1);
	secret->text = NULL;
	secret->len = 0;
}
