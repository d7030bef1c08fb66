#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/objects.h>

#include "inf.h"
#include "input.h"
#include "oids.h"
#include "utf8.h"

/* ---- reading: bytes to UTF-8 text ----------------------------------------- */

/* UTF-16 to UTF-8 through iconv; *out is malloc'ed and NUL-terminated. */
static enum mkcsr_err from_utf16(const char *path, const unsigned char *data, size_t len, bool big_endian, char **out)
{
	iconv_t cd = iconv_open("UTF-8", big_endian ? "UTF-16BE" : "UTF-16LE");
	size_t room = len * 2 + 1, left = room - 1, in_left = len;
	char *buf, *dst;
	char *src = (char *)(uintptr_t)data;

	if (cd == (iconv_t)-1)
		return err_set_file(MKCSR_E_INTERNAL, path, "'%s': this system cannot convert UTF-16 (iconv)", path);
	buf = malloc(room);
	if (buf == NULL) {
		iconv_close(cd);
		return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
	}
	dst = buf;
	if (iconv(cd, &src, &in_left, &dst, &left) == (size_t)-1) {
		free(buf);
		iconv_close(cd);
		return err_set_file(MKCSR_E_BAD_INF, path,
				    "'%s': not valid UTF-16 text (a broken surrogate pair?)", path);
	}
	iconv_close(cd);
	*dst = '\0';
	*out = buf;
	return MKCSR_E_OK;
}

static enum mkcsr_err decode(const char *path, const unsigned char *data, size_t len, char **out)
{
	*out = NULL;
	if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff))) {
		if ((len - 2) % 2 != 0)
			return err_set_file(MKCSR_E_BAD_INF, path,
					    "'%s': UTF-16 text of an odd number of bytes (cut short?)", path);
		return from_utf16(path, data + 2, len - 2, data[0] == 0xfe, out);
	}
	if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf) {
		data += 3;
		len -= 3;
	}
	if (memchr(data, '\0', len) != NULL)
		return err_set_file(MKCSR_E_BAD_INF, path,
				    "'%s' has NUL bytes: UTF-16 without a byte-order mark? Save it with one (as PowerShell's "
				    "Out-File does) or as UTF-8",
				    path);
	if (utf8_length((const char *)data, len, false) < 0)
		return err_set_file(MKCSR_E_BAD_INF, path,
				    "'%s' is not UTF-8 or UTF-16 text (a Windows code page? save it as UTF-8)", path);
	*out = strndup((const char *)data, len);
	return *out ? MKCSR_E_OK : err_set(MKCSR_E_NOMEM, "reading '%s'", path);
}

/* ---- reading: lines to entries --------------------------------------------- */

static enum mkcsr_err line_error(const char *path, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum mkcsr_err line_error(const char *path, unsigned line, const char *fmt, ...)
{
	char what[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set_file(MKCSR_E_BAD_INF, path, "%s:%u: %s", path, line, what);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/*
 * The value after '=': quoted with " or ' (a doubled quote inside stands
 * for one), or bare up to a ';' comment.  *out is malloc'ed.
 */
static enum mkcsr_err parse_value(const char *path, unsigned line, const char *text, char **out)
{
	const char *p = text;
	char *value = malloc(strlen(text) + 1), *v = value;

	if (value == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", path);
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '"' || *p == '\'') {
		char quote = *p++;

		for (;;) {
			if (*p == '\0') {
				free(value);
				return line_error(path, line, "the value has no closing %c", quote);
			}
			if (*p == quote && p[1] == quote) {
				*v++ = quote;
				p += 2;
				continue;
			}
			if (*p == quote) {
				p++;
				break;
			}
			*v++ = *p++;
		}
		*v = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '\0' && *p != ';') {
			free(value);
			return line_error(path, line, "text after the closing quote: '%s'", p);
		}
	} else {
		size_t n = strcspn(p, ";");

		memcpy(value, p, n);
		value[n] = '\0';
		memmove(value, trim(value), strlen(trim(value)) + 1);
	}
	*out = value;
	return MKCSR_E_OK;
}

static enum mkcsr_err add_entry(struct inf_file *inf, const char *section, const char *key, char *value,
				unsigned line)
{
	struct inf_entry *grown = realloc(inf->entries, (inf->count + 1) * sizeof(*grown));

	if (grown == NULL) {
		free(value);
		return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
	}
	inf->entries = grown;
	grown[inf->count].section = strdup(section);
	grown[inf->count].key = strdup(key);
	grown[inf->count].value = value;
	grown[inf->count].line = line;
	inf->count++;
	if (grown[inf->count - 1].section == NULL || grown[inf->count - 1].key == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
	return MKCSR_E_OK;
}

static enum mkcsr_err add_comment(struct inf_file *inf, const char *text)
{
	char **grown = realloc(inf->comments, (inf->comment_count + 1) * sizeof(*grown));

	if (grown == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
	inf->comments = grown;
	grown[inf->comment_count] = strdup(text);
	if (grown[inf->comment_count] == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
	inf->comment_count++;
	return MKCSR_E_OK;
}

static enum mkcsr_err parse_lines(struct inf_file *inf, char *text)
{
	char section[128] = "";
	unsigned line = 0;
	enum mkcsr_err rc = MKCSR_E_OK;

	for (char *next = text; rc == MKCSR_E_OK && next != NULL;) {
		char *raw = next, *s, *eq, *value = NULL;

		next = strchr(raw, '\n');
		if (next != NULL)
			*next++ = '\0';
		line++;
		s = trim(raw);
		if (*s == '\0')
			continue;
		if (*s == ';') {
			rc = add_comment(inf, trim(s + 1));
			continue;
		}
		if (*s == '[') {
			char *close = strchr(s, ']'), *rest;

			if (close == NULL)
				return line_error(inf->path, line, "expected ']' to close the section name");
			*close = '\0';
			rest = trim(close + 1);
			if (*rest != '\0' && *rest != ';')
				return line_error(inf->path, line, "text after the section name: '%s'", rest);
			if (*trim(s + 1) == '\0' || strlen(trim(s + 1)) >= sizeof(section))
				return line_error(inf->path, line, "expected a section name between '[' and ']'");
			snprintf(section, sizeof(section), "%s", trim(s + 1));
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL || memchr(s, '"', (size_t)(eq - s)) != NULL)
			return line_error(inf->path, line, "expected KEY = VALUE, found '%s'", s);
		*eq = '\0';
		if (section[0] == '\0')
			return line_error(inf->path, line, "'%s' stands before any [section]", trim(s));
		if (*trim(s) == '\0')
			return line_error(inf->path, line, "a key is missing before '='");
		rc = parse_value(inf->path, line, eq + 1, &value);
		if (rc != MKCSR_E_OK)
			break;
		if (strcasecmp(trim(s), "_continue_") == 0) {
			struct inf_entry *last = inf->count ? &inf->entries[inf->count - 1] : NULL;
			char *joined;

			if (last == NULL || strcmp(last->section, section) != 0) {
				free(value);
				return line_error(inf->path, line, "_continue_ has no line before it in [%s] to continue",
						  section);
			}
			if (asprintf(&joined, "%s%s", last->value, value) < 0) {
				free(value);
				return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
			}
			free(value);
			free(last->value);
			last->value = joined;
			continue;
		}
		rc = add_entry(inf, section, trim(s), value, line);
	}
	return rc;
}

/* ---- reading: [Strings] --------------------------------------------------- */

static const char *lookup_string(const struct inf_file *inf, const struct inf_define *defines, size_t n,
				 const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(defines[i].name) == len && strncasecmp(defines[i].name, name, len) == 0)
			return defines[i].value;
	for (size_t i = 0; i < inf->count; i++)
		if (strcasecmp(inf->entries[i].section, "Strings") == 0 && strlen(inf->entries[i].key) == len &&
		    strncasecmp(inf->entries[i].key, name, len) == 0)
			return inf->entries[i].value;
	return NULL;
}

/* Replaces %name% in every value outside [Strings]; an undefined name is an error. */
static enum mkcsr_err substitute(struct inf_file *inf, const struct inf_define *defines, size_t n)
{
	for (size_t i = 0; i < inf->count; i++) {
		struct inf_entry *e = &inf->entries[i];
		char *out = NULL;
		size_t out_len = 0;
		FILE *mem;

		if (strcasecmp(e->section, "Strings") == 0 || strchr(e->value, '%') == NULL)
			continue;
		mem = open_memstream(&out, &out_len);
		if (mem == NULL)
			return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
		for (const char *p = e->value; *p;) {
			const char *end = p[0] == '%' ? strchr(p + 1, '%') : NULL;
			size_t len = end ? (size_t)(end - p - 1) : 0;
			const char *value;

			/* %% is a percent sign, as in every INF file (and as inf_write writes one). */
			if (p[0] == '%' && p[1] == '%') {
				fputc('%', mem);
				p += 2;
				continue;
			}

			if (end == NULL || len == 0 || strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != len) {
				fputc(*p++, mem);
				continue;
			}
			value = lookup_string(inf, defines, n, p + 1, len);
			if (value == NULL) {
				fclose(mem);
				free(out);
				return line_error(inf->path, e->line, "%%%.*s%% is not defined in [Strings]%s", (int)len, p + 1,
						  strncasecmp(p + 1, "HOST", len) == 0 && len == 4 ? " (give --host)"
												 : " (or give --set NAME=VALUE)");
			}
			fputs(value, mem);
			p = end + 1;
		}
		fclose(mem);
		if (out == NULL)
			return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
		free(e->value);
		e->value = out;
	}
	return MKCSR_E_OK;
}

enum mkcsr_err inf_load(const char *path, const struct inf_define *defines, size_t define_count,
			struct inf_file *out)
{
	unsigned char *data = NULL;
	size_t len = 0;
	enum mkcsr_err rc;

	memset(out, 0, sizeof(*out));
	rc = input_read_file(path, &data, &len);
	if (rc == MKCSR_E_OK)
		rc = inf_load_data(path, data, len, defines, define_count, out);
	free(data);
	return rc;
}

enum mkcsr_err inf_load_data(const char *path, const unsigned char *data, size_t len,
			     const struct inf_define *defines, size_t define_count, struct inf_file *out)
{
	char *text = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;

	memset(out, 0, sizeof(*out));
	if (len > INF_MAX_BYTES)
		rc = err_set_file(MKCSR_E_BAD_INF, path,
				  "'%s' is %zu bytes: a certreq INF file is a few kilobytes (at most 1 MiB here)", path,
				  len);
	if (rc == MKCSR_E_OK)
		rc = decode(path, data, len, &text);
	if (rc != MKCSR_E_OK)
		return rc;
	out->path = strdup(path);
	if (out->path == NULL)
		rc = err_set(MKCSR_E_NOMEM, "reading '%s'", path);
	if (rc == MKCSR_E_OK)
		rc = parse_lines(out, text);
	if (rc == MKCSR_E_OK)
		rc = substitute(out, defines, define_count);
	free(text);
	if (rc != MKCSR_E_OK)
		inf_clear(out);
	return rc;
}

const char *inf_comment_value(const struct inf_file *inf, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < inf->comment_count; i++) {
		const char *c = inf->comments[i];

		if (strncasecmp(c, name, len) == 0 && c[len] == ':') {
			c += len + 1;
			while (isspace((unsigned char)*c))
				c++;
			return c;
		}
	}
	return NULL;
}

void inf_clear(struct inf_file *inf)
{
	for (size_t i = 0; i < inf->count; i++) {
		free(inf->entries[i].section);
		free(inf->entries[i].key);
		free(inf->entries[i].value);
	}
	for (size_t i = 0; i < inf->comment_count; i++)
		free(inf->comments[i]);
	free(inf->entries);
	free(inf->comments);
	free(inf->path);
	memset(inf, 0, sizeof(*inf));
}

/* ---- applying: entries to a request ----------------------------------------- */

/* Re-label a module's error with the file and line it came from. */
static enum mkcsr_err at_line(const struct inf_file *inf, const struct inf_entry *e, enum mkcsr_err rc)
{
	if (rc == MKCSR_E_OK || rc == MKCSR_E_NOMEM)
		return rc;
	return err_set_file(MKCSR_E_BAD_INF, inf->path,
			    "%s:%u: %s: %s", inf->path, e->line, err_message(rc), err_detail());
}

static enum mkcsr_err parse_bool(const struct inf_file *inf, const struct inf_entry *e, bool *out)
{
	if (strcasecmp(e->value, "true") == 0 || strcmp(e->value, "1") == 0)
		*out = true;
	else if (strcasecmp(e->value, "false") == 0 || strcmp(e->value, "0") == 0)
		*out = false;
	else
		return line_error(inf->path, e->line, "%s = '%s': expected TRUE or FALSE", e->key, e->value);
	return MKCSR_E_OK;
}

/* Windows' CERT_*_KEY_USAGE values, as KeyUsage writes them (hex or names joined by '|'). */
static const struct {
	const char *name;
	unsigned value;
	enum mkcsr_key_usage_bit bit;
} key_usages[] = {
	{ "CERT_DIGITAL_SIGNATURE_KEY_USAGE", 0x80, KU_BIT_DIGITAL_SIGNATURE },
	{ "CERT_NON_REPUDIATION_KEY_USAGE", 0x40, KU_BIT_NON_REPUDIATION },
	{ "CERT_KEY_ENCIPHERMENT_KEY_USAGE", 0x20, KU_BIT_KEY_ENCIPHERMENT },
	{ "CERT_DATA_ENCIPHERMENT_KEY_USAGE", 0x10, KU_BIT_DATA_ENCIPHERMENT },
	{ "CERT_KEY_AGREEMENT_KEY_USAGE", 0x08, KU_BIT_KEY_AGREEMENT },
	{ "CERT_KEY_CERT_SIGN_KEY_USAGE", 0x04, KU_BIT_KEY_CERT_SIGN },
	{ "CERT_OFFLINE_CRL_SIGN_KEY_USAGE", 0x02, KU_BIT_CRL_SIGN },
	{ "CERT_CRL_SIGN_KEY_USAGE", 0x02, KU_BIT_CRL_SIGN },
	{ "CERT_ENCIPHER_ONLY_KEY_USAGE", 0x01, KU_BIT_ENCIPHER_ONLY },
	{ "CERT_DECIPHER_ONLY_KEY_USAGE", 0x8000, KU_BIT_DECIPHER_ONLY },
};

static enum mkcsr_err parse_key_usage(const struct inf_file *inf, const struct inf_entry *e, unsigned *bits)
{
	char *copy = strdup(e->value), *save = NULL;
	unsigned value = 0;

	if (copy == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
	for (char *tok = strtok_r(copy, "|", &save); tok != NULL; tok = strtok_r(NULL, "|", &save)) {
		char *t = trim(tok), *end = NULL;
		bool found = false;

		if (strncasecmp(t, "0x", 2) == 0 || isdigit((unsigned char)*t)) {
			/* Hex with 0x, else decimal: certreq has no octal, so "010" is ten. */
			unsigned long v = strtoul(t, &end, strncasecmp(t, "0x", 2) == 0 ? 16 : 10);

			if (*end != '\0' || v > 0xffff) {
				enum mkcsr_err rc = line_error(inf->path, e->line, "KeyUsage: '%s' is not a key usage value", t);

				free(copy);  /* t points into copy: free it only after the message is made */
				return rc;
			}
			value |= (unsigned)v;
			continue;
		}
		for (size_t i = 0; i < sizeof(key_usages) / sizeof(key_usages[0]); i++) {
			if (strcasecmp(t, key_usages[i].name) == 0) {
				value |= key_usages[i].value;
				found = true;
			}
		}
		if (!found) {
			enum mkcsr_err rc = line_error(inf->path, e->line, "KeyUsage: unknown name '%s' (expected 0xa0 or names "
									   "such as CERT_DIGITAL_SIGNATURE_KEY_USAGE joined by '|')", t);

			free(copy);
			return rc;
		}
	}
	free(copy);
	*bits = 0;
	for (size_t i = 0; i < sizeof(key_usages) / sizeof(key_usages[0]); i++)
		if (value & key_usages[i].value)
			*bits |= 1u << key_usages[i].bit;
	if (*bits == 0)
		return line_error(inf->path, e->line, "KeyUsage = %s names no usage", e->value);
	return MKCSR_E_OK;
}

/* "{critical}{text}dns=a&ipaddress=b&": the {text} form is the only one read; *critical is set for {critical}. */
static enum mkcsr_err text_value(const struct inf_file *inf, const struct inf_entry *e, const char **text,
				 bool *critical)
{
	const char *v = e->value;

	*critical = false;
	if (strncasecmp(v, "{critical}", 10) == 0) {
		*critical = true;
		v += 10;
	}
	if (strncasecmp(v, "{text}", 6) != 0)
		return line_error(inf->path, e->line,
				  "%s: only \"{text}...\" values are read (found '%.20s'); {hex} and Base64 values are not", e->key, v);
	*text = v + 6;
	return MKCSR_E_OK;
}

static enum mkcsr_err apply_san(const struct inf_file *inf, const struct inf_entry *e, struct mkcsr_request *req)
{
	static const struct {
		const char *inf;
		const char *prefix;
	} types[] = { { "dns", "dns:" }, { "ipaddress", "ip:" }, { "email", "email:" }, { "upn", "upn:" } };
	const char *text;
	char *copy, *save = NULL;
	bool critical;
	enum mkcsr_err rc = text_value(inf, e, &text, &critical);

	if (rc != MKCSR_E_OK)
		return rc;
	req->san_critical = req->san_critical || critical;
	copy = strdup(text);
	if (copy == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
	for (char *tok = strtok_r(copy, "&", &save); rc == MKCSR_E_OK && tok != NULL; tok = strtok_r(NULL, "&", &save)) {
		char *t = trim(tok), *eq = strchr(t, '='), *spec = NULL;
		bool known = false;

		if (*t == '\0')
			continue;
		if (eq == NULL) {
			rc = line_error(inf->path, e->line, "SAN entry '%s': expected TYPE=VALUE (dns=, ipaddress=, email=, upn=)", t);
			break;
		}
		*eq = '\0';
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]) && !known; i++) {
			if (strcasecmp(trim(t), types[i].inf) != 0)
				continue;
			known = true;
			if (asprintf(&spec, "%s%s", types[i].prefix, trim(eq + 1)) < 0)
				rc = err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
			else
				rc = at_line(inf, e, request_add_san(req, spec));
			free(spec);
		}
		if (!known)
			rc = line_error(inf->path, e->line,
					"unknown SAN type '%s' (mkcsr requests dns=, ipaddress=, email= and upn= names)", trim(t));
	}
	free(copy);
	req->names_from_base = true;
	return rc;
}

static enum mkcsr_err apply_ekus(const struct inf_file *inf, const struct inf_entry *e, const char *list,
				 struct mkcsr_request *req)
{
	char *copy = strdup(list), *save = NULL;
	enum mkcsr_err rc = MKCSR_E_OK;

	if (copy == NULL)
		return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
	for (char *tok = strtok_r(copy, ",", &save); rc == MKCSR_E_OK && tok != NULL; tok = strtok_r(NULL, ",", &save))
		if (*trim(tok) != '\0')
			rc = at_line(inf, e, request_add_eku(req, trim(tok)));
	free(copy);
	return rc;
}

/* [NewRequest] keys that describe the key's home in a Windows key store, not the request. */
static const char *const store_only_keys[] = {
	"Exportable", "ExportableEncrypted", "MachineKeySet", "ProviderName", "ProviderType", "KeyContainer",
	"SecurityDescriptor", "KeyProtection", "KeySpec", "Silent", "SMIME", "UseExistingKeySet", "UserProtected",
	"PrivateKeyArchive", "EncryptionAlgorithm", "EncryptionLength", "KeyUsageProperty", "LegacyKeySpec",
	"FriendlyName", "ReaderName", "UseSmartCard",
};

static enum mkcsr_err apply_key_algorithm(const struct inf_file *inf, const struct inf_entry *algorithm,
					  const struct inf_entry *length, struct mkcsr_request *req)
{
	const char *alg = algorithm ? algorithm->value : "RSA";
	char type[32];
	unsigned long bits = 0;

	if (length != NULL) {
		char *end;

		bits = strtoul(length->value, &end, 10);
		if (*end != '\0' || bits == 0)
			return line_error(inf->path, length->line, "KeyLength = '%s' is not a number of bits", length->value);
	}
	if (strcasecmp(alg, "RSA") == 0) {
		if (bits == 0)
			bits = 2048;  /* certreq's default is smaller; nothing under 2048 is issued any more */
		snprintf(type, sizeof(type), "rsa:%lu", bits);
	} else if (strncasecmp(alg, "ECDSA_P", 7) == 0 || strncasecmp(alg, "ECDH_P", 6) == 0) {
		/* The value is case-insensitive ("ecdsa_p256"): the curve follows the "_P" or "_p". */
		const char *curve = alg + (strncasecmp(alg, "ECDH_P", 6) == 0 ? 6 : 7);

		if (strncasecmp(alg, "ECDH", 4) == 0)
			return line_error(inf->path, algorithm->line, "KeyAlgorithm = %s makes a key that cannot sign a request; use ECDSA_P%s", alg, curve);
		if (bits != 0 && strtoul(curve, NULL, 10) != bits)
			return line_error(inf->path, length->line, "KeyLength = %lu does not fit KeyAlgorithm = %s", bits, alg);
		snprintf(type, sizeof(type), "ec:P-%s", curve);
	} else {
		return line_error(inf->path, algorithm->line,
				  "KeyAlgorithm = %s: mkcsr makes RSA, ECDSA_P256, ECDSA_P384 and ECDSA_P521 keys", alg);
	}
	if (keygen_parse_type(type, &req->key) != MKCSR_E_OK) {
		if (bits == 0)  /* "ECDSA_P192" without a KeyLength: no size to name */
			return line_error(inf->path, algorithm->line, "%s keys are not made here (%s)", alg,
					  err_hint(MKCSR_E_BAD_KEY_TYPE));
		return line_error(inf->path, (length ? length : algorithm)->line, "%s keys of %lu bits are not made here (%s)",
				  alg, bits, err_hint(MKCSR_E_BAD_KEY_TYPE));
	}
	return MKCSR_E_OK;
}

static enum mkcsr_err apply_new_request(const struct inf_file *inf, const struct inf_entry *e,
					struct mkcsr_request *req)
{
	bool flag;
	enum mkcsr_err rc;

	if (strcasecmp(e->key, "Subject") == 0) {
		subject_clear(&req->subject);
		return at_line(inf, e, subject_parse(e->value, &req->subject));
	}
	if (strcasecmp(e->key, "HashAlgorithm") == 0) {
		if (strcasecmp(e->value, "sha1") == 0 || strcasecmp(e->value, "md5") == 0)
			return line_error(inf->path, e->line, "HashAlgorithm = %s: CAs refuse %s signatures; use sha256", e->value,
					  e->value);
		return at_line(inf, e, request_set_hash(req, e->value));
	}
	if (strcasecmp(e->key, "KeyUsage") == 0)
		return parse_key_usage(inf, e, &req->key_usage);
	if (strcasecmp(e->key, "SuppressDefaults") == 0) {
		rc = parse_bool(inf, e, &flag);
		if (rc == MKCSR_E_OK && flag)
			req->subject_key_id = false;
		return rc;
	}
	if (strcasecmp(e->key, "RequestType") == 0) {
		if (strcasecmp(e->value, "PKCS10") != 0)
			return line_error(inf->path, e->line, "RequestType = %s: mkcsr makes PKCS10 requests only", e->value);
		return MKCSR_E_OK;
	}
	if (strcasecmp(e->key, "AlternateSignatureAlgorithm") == 0) {
		rc = parse_bool(inf, e, &flag);
		if (rc == MKCSR_E_OK && flag)
			return line_error(inf->path, e->line, "AlternateSignatureAlgorithm = %s asks for RSA-PSS signatures, "
							       "which mkcsr does not make", e->value);
		return rc;
	}
	if (strcasecmp(e->key, "KeyAlgorithm") == 0 || strcasecmp(e->key, "KeyLength") == 0)
		return MKCSR_E_OK;  /* read together, in inf_apply */
	for (size_t i = 0; i < sizeof(store_only_keys) / sizeof(store_only_keys[0]); i++)
		if (strcasecmp(e->key, store_only_keys[i]) == 0)
			return request_note(req, "%s:%u: %s = %s is a property of the key inside a Windows key store; "
					    "it does not apply to a request made here", inf->path, e->line, e->key, e->value);
	return request_warn(req, "%s:%u: unknown key %s in [NewRequest], ignored", inf->path, e->line, e->key);
}

static enum mkcsr_err apply_extension(const struct inf_file *inf, const struct inf_entry *e, struct mkcsr_request *req)
{
	const char *text;
	bool critical;
	enum mkcsr_err rc;

	if (strcmp(e->key, "2.5.29.17") == 0)
		return apply_san(inf, e, req);
	if (strcmp(e->key, "2.5.29.37") == 0) {
		rc = text_value(inf, e, &text, &critical);
		req->eku_critical = req->eku_critical || critical;
		return rc == MKCSR_E_OK ? apply_ekus(inf, e, text, req) : rc;
	}
	if (strcasecmp(e->key, "Critical") == 0) {
		char *copy = strdup(e->value), *save = NULL;

		if (copy == NULL)
			return err_set(MKCSR_E_NOMEM, "reading '%s'", inf->path);
		rc = MKCSR_E_OK;
		for (char *tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
			if (strcmp(trim(tok), "2.5.29.17") == 0)
				req->san_critical = true;
			else if (strcmp(trim(tok), "2.5.29.37") == 0)
				req->eku_critical = true;
			else
				rc = request_warn(req, "%s:%u: Critical = %s: no such extension is requested here, ignored",
						  inf->path, e->line, trim(tok));
		}
		free(copy);
		return rc;
	}
	return request_warn(req, "%s:%u: extension %s is not requested by mkcsr (it reads SAN 2.5.29.17 and EKU 2.5.29.37); left out",
			    inf->path, e->line, e->key);
}

enum mkcsr_err inf_apply(const struct inf_file *inf, struct mkcsr_request *req)
{
	const struct inf_entry *algorithm = NULL, *length = NULL;
	bool has_request = false;
	enum mkcsr_err rc = MKCSR_E_OK;

	/* An INF asks for exactly the usages it lists: none if it lists none. */
	for (size_t i = 0; i < req->eku_count; i++)
		free(req->ekus[i]);
	req->eku_count = 0;
	req->ekus_defaulted = false;

	for (size_t i = 0; rc == MKCSR_E_OK && i < inf->count; i++) {
		const struct inf_entry *e = &inf->entries[i];

		if (strcasecmp(e->section, "NewRequest") == 0) {
			has_request = true;
			if (strcasecmp(e->key, "KeyAlgorithm") == 0)
				algorithm = e;
			else if (strcasecmp(e->key, "KeyLength") == 0)
				length = e;
			rc = apply_new_request(inf, e, req);
		} else if (strcasecmp(e->section, "Extensions") == 0) {
			rc = apply_extension(inf, e, req);
		} else if (strcasecmp(e->section, "EnhancedKeyUsageExtension") == 0) {
			if (strcasecmp(e->key, "OID") == 0)
				rc = apply_ekus(inf, e, e->value, req);
			else
				rc = request_warn(req, "%s:%u: unknown key %s in [EnhancedKeyUsageExtension], ignored",
						  inf->path, e->line, e->key);
		} else if (strcasecmp(e->section, "RequestAttributes") == 0) {
			rc = request_note(req, "%s:%u: request attribute %s = %s is not written; the CA decides", inf->path,
					  e->line, e->key, e->value);
		} else if (strcasecmp(e->section, "Version") != 0 && strcasecmp(e->section, "Strings") != 0) {
			rc = request_warn(req, "%s:%u: section [%s] is not read by mkcsr; %s = ... ignored", inf->path, e->line,
					  e->section, e->key);
		}
	}
	if (rc == MKCSR_E_OK && !has_request)
		rc = err_set_file(MKCSR_E_BAD_INF, inf->path,
				  "%s: no [NewRequest] section: this is not a certreq request file", inf->path);
	if (rc == MKCSR_E_OK)
		rc = apply_key_algorithm(inf, algorithm, length, req);
	/* Command-line --eku and --san replace what the file listed. */
	req->ekus_defaulted = true;
	return rc;
}

/* ---- writing ---------------------------------------------------------------- */

enum mkcsr_err inf_parse_encoding(const char *text, enum inf_encoding *out)
{
	if (strcasecmp(text, "utf-16") == 0 || strcasecmp(text, "utf-16le") == 0 || strcasecmp(text, "utf16") == 0)
		*out = INF_UTF16LE;
	else if (strcasecmp(text, "utf-8") == 0 || strcasecmp(text, "utf8") == 0)
		*out = INF_UTF8;
	else
		return err_set(MKCSR_E_BAD_FORMAT, "--inf-encoding '%s': use utf-16 (the default) or utf-8", text);
	return MKCSR_E_OK;
}

/* Text inside an INF value's quotes: a quote is doubled, and a percent sign, which would start a %name%. */
static void put_escaped(FILE *f, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '%')
			fputc(*p, f);
		fputc(*p, f);
	}
}

static void put_quoted(FILE *f, const char *value)
{
	fputc('"', f);
	put_escaped(f, value);
	fputc('"', f);
}

/* "type=value&": one name of a continued 2.5.29.17 line. */
static void put_quoted_pair(FILE *f, const char *type, const char *value)
{
	fprintf(f, "\"%s=", type);
	put_escaped(f, value);
	fputs("&\"", f);
}

static const char *key_algorithm_name(const struct mkcsr_key_spec *key)
{
	if (key->alg == MKCSR_KEY_RSA)
		return "RSA";
	return key->bits == 256 ? "ECDSA_P256" : key->bits == 384 ? "ECDSA_P384" : "ECDSA_P521";
}

/* The INF text in UTF-8 with LF line ends. */
static char *inf_text(const struct mkcsr_request *req)
{
	char *text = NULL, *subject = subject_format_x500(&req->subject);
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	unsigned windows_ku = 0;

	if (f == NULL || subject == NULL) {
		if (f != NULL)
			fclose(f);
		free(text);
		free(subject);
		return NULL;
	}
	fprintf(f, "; certreq request file written by mkcsr.\n"
		   "; On the Windows server, in the folder of this file: certreq -new THIS-FILE.inf request.csr\n\n"
		   "[Version]\nSignature = \"$Windows NT$\"\n\n[NewRequest]\nSubject = ");
	put_quoted(f, subject);
	fprintf(f, "\nKeyAlgorithm = %s\nKeyLength = %u\nHashAlgorithm = sha%s\n", key_algorithm_name(&req->key),
		req->key.bits, req->hash + 3);
	for (int bit = 0; bit < KU_BIT_COUNT_; bit++)
		if (req->key_usage & (1u << bit))
			for (size_t i = 0; i < sizeof(key_usages) / sizeof(key_usages[0]); i++)
				if ((int)key_usages[i].bit == bit)
					windows_ku |= key_usages[i].value;
	if (windows_ku != 0)
		fprintf(f, "KeyUsage = 0x%x\n", windows_ku);
	if (!req->subject_key_id)
		fprintf(f, "SuppressDefaults = TRUE\n");
	/* A user tunnel certificate lives in the user's store; everything else in the machine's. */
	fprintf(f, "MachineKeySet = %s\nExportable = TRUE\nProviderName = \"Microsoft Software Key Storage Provider\"\n"
		   "RequestType = PKCS10\n", req->role != NULL && strcmp(req->role, "client") == 0 ? "FALSE" : "TRUE");
	/* [Extensions] also when there is no name: a critical EKU is said there too. */
	if (req->name_count > 0 || req->san_critical || req->eku_critical) {
		fprintf(f, "\n[Extensions]\n");
		if (req->name_count > 0)
			fprintf(f, "2.5.29.17 = \"{text}\"\n");
		for (size_t i = 0; i < req->name_count; i++) {
			const struct mkcsr_name *n = &req->names[i];
			const char *type = n->type == MKCSR_NAME_DNS	 ? "dns"
					   : n->type == MKCSR_NAME_IP	 ? "ipaddress"
					   : n->type == MKCSR_NAME_EMAIL ? "email"
									 : "upn";

			fprintf(f, "_continue_ = ");
			put_quoted_pair(f, type, n->value);
			fputc('\n', f);
		}
		if (req->san_critical || req->eku_critical)
			fprintf(f, "Critical = %s%s%s\n", req->san_critical ? "2.5.29.17" : "",
				req->san_critical && req->eku_critical ? "," : "", req->eku_critical ? "2.5.29.37" : "");
	}
	if (req->eku_count > 0) {
		fprintf(f, "\n[EnhancedKeyUsageExtension]\n");
		for (size_t i = 0; i < req->eku_count; i++) {
			const struct oids_eku *eku = oids_eku_by_oid(req->ekus[i]);

			fprintf(f, "OID = %s%s%s\n", req->ekus[i], eku ? " ; " : "", eku ? eku->display : "");
		}
	}
	free(subject);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

enum mkcsr_err inf_write(const struct mkcsr_request *req, enum inf_encoding encoding, unsigned char **out,
			 size_t *out_len)
{
	char *text = inf_text(req), *crlf, *dst;
	size_t lines = 0, len;
	enum mkcsr_err rc = MKCSR_E_OK;

	*out = NULL;
	*out_len = 0;
	if (text == NULL)
		return err_set(MKCSR_E_NOMEM, "writing the INF file");
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	/* BOM + CRLF: what certreq and PowerShell expect. */
	crlf = malloc(strlen(text) + lines + 4);
	if (crlf == NULL) {
		free(text);
		return err_set(MKCSR_E_NOMEM, "writing the INF file");
	}
	dst = crlf;
	if (encoding == INF_UTF8)
		dst += sprintf(dst, "\xef\xbb\xbf");
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			*dst++ = '\r';
		*dst++ = *p;
	}
	len = (size_t)(dst - crlf);
	free(text);
	if (encoding == INF_UTF8) {
		*out = (unsigned char *)crlf;
		*out_len = len;
		return MKCSR_E_OK;
	} else {
		iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
		size_t room = len * 4 + 2, left = room - 2, in_left = len;
		unsigned char *u16 = malloc(room);
		char *src = crlf, *udst;

		if (cd == (iconv_t)-1 || u16 == NULL) {
			rc = err_set(MKCSR_E_INTERNAL, "this system cannot convert to UTF-16 (iconv)");
		} else {
			u16[0] = 0xff;
			u16[1] = 0xfe;
			udst = (char *)u16 + 2;
			if (iconv(cd, &src, &in_left, &udst, &left) == (size_t)-1) {
				rc = err_set(MKCSR_E_INTERNAL, "converting the INF file to UTF-16: %s", strerror(errno));
			} else {
				*out = u16;
				*out_len = room - left;
				u16 = NULL;
			}
		}
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		free(u16);
		free(crlf);
	}
	return rc;
}
