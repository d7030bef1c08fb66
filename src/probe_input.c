/*
 * What mkcsr probe is given: targets from the command line and --targets
 * files, the addresses of --all-addresses, and the --expect certificate.
 * Checked before any server is contacted.
 */
#include <config.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "input.h"
#include "names.h"
#include "pfx.h"
#include "pfxread.h"
#include "probe.h"
#include "secret.h"

/* ---- targets ------------------------------------------------------------------ */

static bool parse_port(const char *text, size_t len, char port[8])
{
	unsigned long value = 0;

	if (len == 0 || len > 5)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)text[i]))
			return false;
		value = value * 10 + (unsigned long)(text[i] - '0');
	}
	if (value < 1 || value > 65535)
		return false;
	snprintf(port, 8, "%lu", value);
	return true;
}

enum mkcsr_err probe_parse_hostport(const char *text, const char *what, char *host, size_t host_size, char port[8])
{
	const char *colon = strrchr(text, ':'), *host_end = NULL;
	struct in6_addr ip6;
	char buf[256];

	snprintf(port, 8, "%s", PROBE_DEFAULT_PORT);
	if (text[0] == '[') {
		/* [2001:db8::1]:443 */
		const char *close = strchr(text, ']');

		if (close == NULL)
			return err_set(MKCSR_E_BAD_TARGET, "%s '%s': no ']' after the IPv6 address", what, text);
		if (close[1] != '\0' && close[1] != ':')
			return err_set(MKCSR_E_BAD_TARGET, "%s '%s': only ':PORT' may follow ']'", what, text);
		if (close[1] == ':' && !parse_port(close + 2, strlen(close + 2), port))
			return err_set(MKCSR_E_BAD_TARGET, "%s '%s': the port '%s' is not a number from 1 to 65535", what,
				       text, close + 2);
		snprintf(buf, sizeof(buf), "%.*s", (int)(close - text - 1), text + 1);
		if (inet_pton(AF_INET6, buf, &ip6) != 1)
			return err_set(MKCSR_E_BAD_TARGET, "%s '%s': '%s' is not an IPv6 address", what, text, buf);
		snprintf(host, host_size, "%s", buf);
		return MKCSR_E_OK;
	}
	if (colon != NULL && strchr(text, ':') != colon) {
		/* Two colons or more: a bare IPv6 address, which takes no port. */
		if (inet_pton(AF_INET6, text, &ip6) != 1)
			return err_set(MKCSR_E_BAD_TARGET, "%s '%s': write an IPv6 address with a port as [ADDRESS]:PORT",
				       what, text);
		snprintf(host, host_size, "%s", text);
		return MKCSR_E_OK;
	}
	host_end = colon ? colon : text + strlen(text);
	if (colon != NULL && !parse_port(colon + 1, strlen(colon + 1), port))
		return err_set(MKCSR_E_BAD_TARGET, "%s '%s': the port '%s' is not a number from 1 to 65535", what, text,
			       colon + 1);
	if (host_end == text || (size_t)(host_end - text) >= host_size)
		return err_set(MKCSR_E_BAD_TARGET, "%s '%s': no host name", what, text);
	snprintf(host, host_size, "%.*s", (int)(host_end - text), text);
	return MKCSR_E_OK;
}

/* The name as certificates spell it: the host rules of mkcsr new (case, trailing dot, IDN), no wildcard. */
static enum mkcsr_err normalize_name(char *name, size_t size, const char *text)
{
	struct mkcsr_name parsed = { 0 };
	enum mkcsr_err rc = names_parse_host(name, &parsed);

	if (rc == MKCSR_E_OK && strncmp(parsed.value, "*.", 2) == 0)
		rc = err_set(MKCSR_E_BAD_NAME, "'%s': give the name clients connect to, not a wildcard", text);
	if (rc == MKCSR_E_OK)
		snprintf(name, size, "%s", parsed.value);
	names_clear(&parsed);
	return rc;
}

void probe_hostport_text(char *buf, size_t size, const char *host, const char *port)
{
	snprintf(buf, size, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
}

/* Whether a NAME[:PORT] text names a port: "host:1", "[::1]:1"; not "host", "[::1]" or a bare "::1". */
static bool has_port(const char *text)
{
	const char *colon = strrchr(text, ':');

	if (text[0] == '[')
		return strstr(text, "]:") != NULL;
	return colon != NULL && strchr(text, ':') == colon;
}

enum mkcsr_err probe_target_init(struct mkcsr_probe_target *t, const char *name, const char *connect)
{
	char where[300], via[300];
	enum mkcsr_err rc;

	memset(t, 0, sizeof(*t));
	rc = probe_parse_hostport(name, "target", t->name, sizeof(t->name), t->port);
	if (rc == MKCSR_E_OK)
		rc = normalize_name(t->name, sizeof(t->name), name);
	if (rc == MKCSR_E_OK && connect != NULL) {
		rc = probe_parse_hostport(connect, "--connect", t->connect_host, sizeof(t->connect_host), t->connect_port);
		/* --connect ADDRESS without a port keeps NAME's. */
		if (rc == MKCSR_E_OK && !has_port(connect))
			snprintf(t->connect_port, sizeof(t->connect_port), "%s", t->port);
	}
	if (rc != MKCSR_E_OK)
		return rc;
	probe_hostport_text(where, sizeof(where), t->name, t->port);
	if (connect != NULL) {
		probe_hostport_text(via, sizeof(via), t->connect_host, t->connect_port);
		snprintf(t->label, sizeof(t->label), "%s via %s", where, via);
	} else {
		snprintf(t->label, sizeof(t->label), "%s", where);
	}
	return MKCSR_E_OK;
}

static enum mkcsr_err append_target(struct mkcsr_probe_target **targets, size_t *count,
				    const struct mkcsr_probe_target *t)
{
	struct mkcsr_probe_target *grown = realloc(*targets, (*count + 1) * sizeof(**targets));

	if (grown == NULL)
		return err_set(MKCSR_E_NOMEM, "the list of targets");
	grown[(*count)++] = *t;
	*targets = grown;
	return MKCSR_E_OK;
}

/* One line of a --targets file: "NAME[:PORT] [ADDRESS[:PORT]]", blank or a # comment. */
static enum mkcsr_err target_line(const char *path, unsigned line_no, char *line, struct mkcsr_probe_target **targets,
				  size_t *count)
{
	char *words[3] = { NULL, NULL, NULL }, *save = NULL, *hash = strchr(line, '#');
	struct mkcsr_probe_target t;
	enum mkcsr_err rc;
	int n = 0;

	if (hash != NULL)
		*hash = '\0';
	for (char *w = strtok_r(line, " \t\r\n", &save); w != NULL; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 2)
			return err_set_file(MKCSR_E_BAD_TARGET, path, "'%s' line %u: more than NAME[:PORT] [ADDRESS[:PORT]]",
					    path, line_no);
		words[n++] = w;
	}
	if (n == 0)
		return MKCSR_E_OK;
	rc = probe_target_init(&t, words[0], words[1]);
	if (rc != MKCSR_E_OK) {
		char detail[1024];

		snprintf(detail, sizeof(detail), "%s", err_detail());
		return err_set_file(rc, path, "'%s' line %u: %s", path, line_no, detail);
	}
	return append_target(targets, count, &t);
}

enum mkcsr_err probe_read_targets(const char *path, struct mkcsr_probe_target **targets, size_t *count)
{
	unsigned char *data = NULL;
	size_t len = 0;
	unsigned line_no = 0;
	enum mkcsr_err rc = input_read_file(path, &data, &len);
	char *text, *save = NULL;

	if (rc != MKCSR_E_OK)
		return rc;
	if (memchr(data, '\0', len) != NULL) {
		free(data);
		return err_set_file(MKCSR_E_MALFORMED, path, "'%s': not a text file of targets", path);
	}
	text = calloc(1, len + 1);
	if (text == NULL) {
		free(data);
		return err_set(MKCSR_E_NOMEM, "'%s'", path);
	}
	memcpy(text, data, len);
	free(data);
	/* strsep keeps empty lines, so that line numbers in messages are right. */
	save = text;
	for (char *line = strsep(&save, "\n"); rc == MKCSR_E_OK && line != NULL; line = strsep(&save, "\n"))
		rc = target_line(path, ++line_no, line, targets, count);
	free(text);
	return rc;
}

enum mkcsr_err probe_expand_addresses(struct mkcsr_probe_target **targets, size_t *count, size_t index,
				      long timeout_ms)
{
	struct mkcsr_probe_target base = (*targets)[index];
	struct timespec deadline = tlsprobe_deadline(timeout_ms);
	char err[300], where[80], name[300];
	struct addrinfo *list = tlsprobe_resolve(base.name, base.port, &deadline, err, sizeof(err));
	size_t n = 0, k = 0;
	struct mkcsr_probe_target *grown;

	for (struct addrinfo *a = list; a != NULL; a = a->ai_next)
		n++;
	if (n == 0)
		return MKCSR_E_OK;
	grown = realloc(*targets, (*count + n - 1) * sizeof(**targets));
	if (grown == NULL) {
		freeaddrinfo(list);
		return err_set(MKCSR_E_NOMEM, "the list of targets");
	}
	memmove(grown + index + n, grown + index + 1, (*count - index - 1) * sizeof(*grown));
	probe_hostport_text(name, sizeof(name), base.name, base.port);
	for (struct addrinfo *a = list; a != NULL; a = a->ai_next, k++) {
		struct mkcsr_probe_target *t = &grown[index + k];

		*t = base;
		memcpy(&t->addr, a->ai_addr, a->ai_addrlen);
		t->addr_len = a->ai_addrlen;
		snprintf(t->label, sizeof(t->label), "%s at %s", name,
			 tlsprobe_address_text(a->ai_addr, where, sizeof(where)));
	}
	freeaddrinfo(list);
	*targets = grown;
	*count += n - 1;
	return MKCSR_E_OK;
}

/* ---- --expect ---------------------------------------------------------------------- */

static bool thumbprint_text(const char *text, char out[41])
{
	size_t n = 0;

	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == ':')
			continue; /* certlm shows "a1 b2 ...", some tools "A1:B2:..." */
		if (!isxdigit((unsigned char)*p) || n == 40)
			return false;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	return n == 40;
}

/* The leaf of a PFX, through the PFX reader that check, pfx and new --like use. */
static enum mkcsr_err expect_from_pfx(const char *path, const char *pass_source, struct mkcsr_probe_expect *out)
{
	struct mkcsr_secret pass = { 0 };
	struct mkcsr_pfx_file pfx = { 0 };
	struct mkcsr_certset certs = { 0 };
	EVP_PKEY *key = NULL;
	enum mkcsr_err rc;

	/* Without --pass the reader tries the empty password and none, as every command that reads a PFX does. */
	rc = pass_source ? secret_read_to_open(pass_source, "PFX password", &pass) : MKCSR_E_OK;
	if (rc == MKCSR_E_OK)
		rc = pfxread_load(path, pass.text, &pfx);
	secret_clear(&pass);
	if (rc == MKCSR_E_SECRET_UNAVAILABLE && pass_source == NULL) {
		err_clear();
		rc = err_set_file(MKCSR_E_SECRET_UNAVAILABLE, path, "--expect '%s' is a PFX: give its password with --pass SOURCE",
				  path);
	}
	if (rc == MKCSR_E_OK)
		rc = pfxread_parts(&pfx, &key, &certs);
	if (rc == MKCSR_E_OK) {
		out->cert = chain_x509(&certs.items[0]);
		X509_up_ref(out->cert);
	}
	EVP_PKEY_free(key);
	chain_clear(&certs);
	pfxread_clear(&pfx);
	return rc;
}

enum mkcsr_err probe_load_expect(const char *value, const char *pass_source, struct mkcsr_probe_expect *out)
{
	struct mkcsr_certset set = { 0 };
	enum mkcsr_err rc;

	memset(out, 0, sizeof(*out));
	snprintf(out->source, sizeof(out->source), "%s", value);
	if (access(value, F_OK) != 0 && thumbprint_text(value, out->thumbprint))
		return MKCSR_E_OK;
	if (access(value, F_OK) != 0)
		return err_set_file(MKCSR_E_READ, value, "--expect '%s': %s, and not a thumbprint of 40 hexadecimal digits", value,
			       strerror(errno));
	if (pfxread_file_is_pfx(value)) {
		rc = expect_from_pfx(value, pass_source, out);
	} else {
		rc = chain_load(&set, value);
		if (rc == MKCSR_E_OK) {
			const struct mkcsr_cert *leaf = chain_find_leaf(&set, NULL, NULL);

			out->cert = leaf != NULL ? chain_x509(leaf) : NULL;
			if (out->cert != NULL)
				X509_up_ref(out->cert);
		}
	}
	if (rc == MKCSR_E_OK)
		pfx_thumbprint(out->cert, out->thumbprint);
	chain_clear(&set);
	return rc;
}

void probe_expect_clear(struct mkcsr_probe_expect *e)
{
	X509_free(e->cert);
	e->cert = NULL;
}
