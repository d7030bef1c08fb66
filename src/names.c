#include <config.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef HAVE_LIBIDN2
#include <idn2.h>
#endif

#include "names.h"
#include "utf8.h"

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static bool is_ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return len > 0;
}

/* Checks one label of an already lower-cased ASCII name. */
static enum mkcsr_err check_label(const char *input, const char *label, size_t len)
{
	if (len == 0)
		return err_set(MKCSR_E_BAD_NAME, "'%s': empty label (two dots in a row, or a leading dot)", input);
	if (len > 63)
		return err_set(MKCSR_E_BAD_NAME, "'%s': label '%.*s' is %zu characters long; the limit is 63",
			       input, (int)len, label, len);
	for (size_t i = 0; i < len; i++) {
		if (label[i] == '_')
			return err_set(MKCSR_E_BAD_NAME, "'%s': '_' is not allowed in a host name", input);
		if (label[i] == '*')
			return err_set(MKCSR_E_BAD_NAME,
				       "'%s': a wildcard must be the whole left-most label, as in *.example.com", input);
		if (!is_ldh(label[i]))
			return err_set(MKCSR_E_BAD_NAME, "'%s': character '%c' is not allowed in a host name",
				       input, label[i]);
	}
	if (label[0] == '-' || label[len - 1] == '-')
		return err_set(MKCSR_E_BAD_NAME, "'%s': label '%.*s' starts or ends with a hyphen",
			       input, (int)len, label);
	/* RFC 5891 4.2.3.1: "??--" labels are reserved for A-labels (xn--); CAs refuse the rest. */
	if (len >= 4 && label[2] == '-' && label[3] == '-' && strncmp(label, "xn--", 4) != 0)
		return err_set(MKCSR_E_BAD_NAME, "'%s': label '%.*s' has '--' in its third and fourth characters, "
			       "which only xn-- labels may have", input, (int)len, label);
#ifdef HAVE_LIBIDN2
	if (len > 4 && strncmp(label, "xn--", 4) == 0) {
		char *a_label = strndup(label, len);
		char *u_label = NULL, *round_trip = NULL;
		int rc;
		bool same;

		if (a_label == NULL)
			return err_set(MKCSR_E_NOMEM, "copying '%s'", input);
		/*
		 * Decoding alone takes any Punycode, even of code points IDNA2008
		 * disallows (xn--a is U+0080): the label must also encode back to itself.
		 */
		rc = idn2_to_unicode_8z8z(a_label, &u_label, 0);
		if (rc == IDN2_OK)
			rc = idn2_to_ascii_8z(u_label, &round_trip, IDN2_NONTRANSITIONAL);
		same = rc == IDN2_OK && strcmp(round_trip, a_label) == 0;
		free(a_label);
		idn2_free(u_label);
		idn2_free(round_trip);
		if (rc != IDN2_OK)
			return err_set(MKCSR_E_BAD_NAME, "'%s': label '%.*s' is not a valid A-label: %s",
				       input, (int)len, label, idn2_strerror(rc));
		if (!same)
			return err_set(MKCSR_E_BAD_NAME, "'%s': label '%.*s' is not the canonical A-label of its name",
				       input, (int)len, label);
	}
#endif
	return MKCSR_E_OK;
}

/* Converts a non-ASCII name to its A-label form; *out is malloc'ed. */
static enum mkcsr_err to_a_label(const char *input, const char *name, char **out)
{
#ifdef HAVE_LIBIDN2
	char *ace = NULL;
	int rc = idn2_to_ascii_8z(name, &ace, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);

	if (rc != IDN2_OK)
		return err_set(MKCSR_E_BAD_NAME, "'%s': not a valid internationalized name: %s",
			       input, idn2_strerror(rc));
	*out = strdup(ace);
	idn2_free(ace);
	if (*out == NULL)
		return err_set(MKCSR_E_NOMEM, "converting '%s'", input);
	return MKCSR_E_OK;
#else
	(void)name;
	(void)out;
	return err_set(MKCSR_E_IDN_UNSUPPORTED, "'%s' has non-ASCII characters", input);
#endif
}

enum mkcsr_err names_normalize_dns(const char *input, bool allow_wildcard, char **out)
{
	enum mkcsr_err rc = MKCSR_E_OK;
	char *name = NULL;
	const char *labels;
	bool wildcard = false;
	size_t len, n_labels = 0;

	*out = NULL;
	if (input[0] == '\0')
		return err_set(MKCSR_E_BAD_NAME, "empty host name");

	if (strncmp(input, "*.", 2) == 0) {
		if (!allow_wildcard)
			return err_set(MKCSR_E_BAD_NAME, "'%s': a wildcard is not allowed here", input);
		wildcard = true;
	}

	if (is_ascii(input)) {
		name = strdup(input);
		if (name == NULL)
			return err_set(MKCSR_E_NOMEM, "copying '%s'", input);
	} else {
		/* Convert only what follows the wildcard: '*' is not a U-label. */
		char *ace = NULL;

		rc = to_a_label(input, input + (wildcard ? 2 : 0), &ace);
		if (rc != MKCSR_E_OK)
			return rc;
		if (wildcard) {
			if (asprintf(&name, "*.%s", ace) < 0)
				name = NULL;
			free(ace);
			if (name == NULL)
				return err_set(MKCSR_E_NOMEM, "converting '%s'", input);
		} else {
			name = ace;
		}
	}

	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);

	len = strlen(name);
	if (len > 1 && name[len - 1] == '.' && name[len - 2] != '.')
		name[--len] = '\0';
	if (len > NAMES_DNS_MAX) {
		rc = err_set(MKCSR_E_BAD_NAME, "'%s' is %zu characters long; a DNS name has at most %d",
			     input, len, NAMES_DNS_MAX);
		goto done;
	}

	labels = wildcard ? name + 2 : name;
	if (wildcard && labels[0] == '\0') {
		rc = err_set(MKCSR_E_BAD_NAME,
			     "'%s': a wildcard needs at least two labels after it, as in *.example.com", input);
		goto done;
	}
	for (const char *p = labels;;) {
		const char *dot = strchr(p, '.');
		size_t label_len = dot ? (size_t)(dot - p) : strlen(p);

		rc = check_label(input, p, label_len);
		if (rc != MKCSR_E_OK)
			goto done;
		n_labels++;
		if (dot == NULL) {
			/* RFC 3696: a top-level label is never all digits, so 10.0.0.256 is no host. */
			if (n_labels > 1 && all_digits(p, label_len)) {
				rc = err_set(MKCSR_E_BAD_NAME,
					     "'%s' looks like an IP address but is not a valid one", input);
				goto done;
			}
			break;
		}
		p = dot + 1;
	}
	if (wildcard && n_labels < 2) {
		rc = err_set(MKCSR_E_BAD_NAME,
			     "'%s': a wildcard needs at least two labels after it, as in *.example.com", input);
		goto done;
	}

	*out = name;
	name = NULL;
done:
	free(name);
	return rc;
}

/* Fills out->ip from an IPv4 or IPv6 literal ("[::1]" too); false if it is none. */
static bool parse_ip(const char *text, struct mkcsr_name *out)
{
	char buf[INET6_ADDRSTRLEN + 2];
	char canon[INET6_ADDRSTRLEN];
	size_t len = strlen(text);

	if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
		if (len - 2 >= sizeof(buf))
			return false;
		memcpy(buf, text + 1, len - 2);
		buf[len - 2] = '\0';
	} else {
		if (len >= sizeof(buf))
			return false;
		memcpy(buf, text, len + 1);
	}

	if (inet_pton(AF_INET, buf, out->ip) == 1) {
		out->ip_len = 4;
		inet_ntop(AF_INET, out->ip, canon, sizeof(canon));
	} else if (inet_pton(AF_INET6, buf, out->ip) == 1) {
		out->ip_len = 16;
		inet_ntop(AF_INET6, out->ip, canon, sizeof(canon));
	} else {
		return false;
	}
	out->type = MKCSR_NAME_IP;
	out->value = strdup(canon);
	return true;
}

static enum mkcsr_err parse_dns(const char *text, struct mkcsr_name *out)
{
	out->type = MKCSR_NAME_DNS;
	return names_normalize_dns(text, true, &out->value);
}

static enum mkcsr_err parse_ip_san(const char *spec, const char *text, struct mkcsr_name *out)
{
	if (!parse_ip(text, out))
		return err_set(MKCSR_E_BAD_SAN, "'%s': '%s' is not an IPv4 or IPv6 address", spec, text);
	if (out->value == NULL)
		return err_set(MKCSR_E_NOMEM, "copying '%s'", spec);
	return MKCSR_E_OK;
}

/* user@domain for email: and upn:; the domain follows DNS rules. */
static enum mkcsr_err parse_mailbox(const char *spec, const char *text, enum mkcsr_name_type type,
				    struct mkcsr_name *out)
{
	const char *at = strrchr(text, '@');
	char *domain = NULL;
	enum mkcsr_err rc;
	size_t local_len;

	if (at == NULL || at == text || at[1] == '\0')
		return err_set(MKCSR_E_BAD_SAN, "'%s': expected USER@DOMAIN", spec);
	local_len = (size_t)(at - text);
	if (type == MKCSR_NAME_EMAIL && local_len > 64)
		return err_set(MKCSR_E_BAD_SAN, "'%s': the part before '@' is longer than 64 characters", spec);
	for (const char *p = text; p < at; p++) {
		unsigned char c = (unsigned char)*p;

		/* rfc822Name is an IA5String: ASCII only.  A UPN is UTF-8. */
		if (c <= 0x20 || c == 0x7f || c == '@' || (type == MKCSR_NAME_EMAIL && c >= 0x80))
			return err_set(MKCSR_E_BAD_SAN, "'%s': character 0x%02x is not allowed before '@'", spec, c);
	}
	if (utf8_length(text, local_len, false) < 0)
		return err_set(MKCSR_E_BAD_SAN, "'%s': the part before '@' is not UTF-8 text", spec);
	if (strncmp(at + 1, "*.", 2) == 0)
		return err_set(MKCSR_E_BAD_SAN, "'%s': a wildcard is not allowed in an address", spec);
	rc = names_normalize_dns(at + 1, false, &domain);
	if (rc != MKCSR_E_OK) {
		if (rc == MKCSR_E_BAD_NAME)
			rc = err_set(MKCSR_E_BAD_SAN, "'%s': bad domain: %s", spec, err_detail());
		return rc;
	}
	out->type = type;
	out->value = malloc(local_len + 1 + strlen(domain) + 1);
	if (out->value == NULL) {
		free(domain);
		return err_set(MKCSR_E_NOMEM, "copying '%s'", spec);
	}
	memcpy(out->value, text, local_len);
	out->value[local_len] = '@';
	strcpy(out->value + local_len + 1, domain);
	free(domain);
	return MKCSR_E_OK;
}

enum mkcsr_err names_parse_host(const char *host, struct mkcsr_name *out)
{
	memset(out, 0, sizeof(*out));
	if (parse_ip(host, out))
		return out->value ? MKCSR_E_OK : err_set(MKCSR_E_NOMEM, "copying '%s'", host);
	return parse_dns(host, out);
}

enum mkcsr_err names_parse_san(const char *spec, struct mkcsr_name *out)
{
	static const struct {
		const char *prefix;
		enum mkcsr_name_type type;
	} prefixes[] = {
		{ "dns:", MKCSR_NAME_DNS },
		{ "ip:", MKCSR_NAME_IP },
		{ "email:", MKCSR_NAME_EMAIL },
		{ "upn:", MKCSR_NAME_UPN },
	};
	const char *colon = strchr(spec, ':');
	enum mkcsr_err rc;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t plen = strlen(prefixes[i].prefix);
		const char *text = spec + plen;

		if (strncasecmp(spec, prefixes[i].prefix, plen) != 0)
			continue;
		switch (prefixes[i].type) {
		case MKCSR_NAME_DNS: {
			struct mkcsr_name probe = { 0 };

			if (parse_ip(text, &probe)) {
				names_clear(&probe);
				return err_set(MKCSR_E_BAD_SAN, "'%s': an IP address goes in an IP name: ip:%s", spec, text);
			}
			rc = parse_dns(text, out);
			if (rc == MKCSR_E_BAD_NAME)
				rc = err_set(MKCSR_E_BAD_SAN, "%s", err_detail());
			return rc;
		}
		case MKCSR_NAME_IP:
			return parse_ip_san(spec, text, out);
		case MKCSR_NAME_EMAIL:
		case MKCSR_NAME_UPN:
			return parse_mailbox(spec, text, prefixes[i].type, out);
		}
	}

	/* "[::1]" and bare IPv6 contain ':' but are addresses, not prefixes. */
	if (parse_ip(spec, out))
		return out->value ? MKCSR_E_OK : err_set(MKCSR_E_NOMEM, "copying '%s'", spec);
	if (colon != NULL)
		return err_set(MKCSR_E_BAD_SAN, "'%s': unknown name type '%.*s'", spec, (int)(colon - spec), spec);
	if (strchr(spec, '@') != NULL)
		return err_set(MKCSR_E_BAD_SAN, "'%s' is an address: say which kind, email:%s or upn:%s", spec, spec, spec);
	rc = parse_dns(spec, out);
	if (rc == MKCSR_E_BAD_NAME)
		rc = err_set(MKCSR_E_BAD_SAN, "%s", err_detail());
	return rc;
}

bool names_equal(const struct mkcsr_name *a, const struct mkcsr_name *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == MKCSR_NAME_IP)
		return a->ip_len == b->ip_len && memcmp(a->ip, b->ip, a->ip_len) == 0;
	return strcmp(a->value, b->value) == 0;
}

const char *names_type_label(enum mkcsr_name_type type)
{
	switch (type) {
	case MKCSR_NAME_DNS: return "DNS";
	case MKCSR_NAME_IP: return "IP";
	case MKCSR_NAME_EMAIL: return "email";
	case MKCSR_NAME_UPN: return "UPN";
	}
	return "?";
}

const char *names_type_key(enum mkcsr_name_type type)
{
	switch (type) {
	case MKCSR_NAME_DNS: return "dns";
	case MKCSR_NAME_IP: return "ip";
	case MKCSR_NAME_EMAIL: return "email";
	case MKCSR_NAME_UPN: return "upn";
	}
	return "?";
}

void names_clear(struct mkcsr_name *name)
{
	if (name == NULL)
		return;
	free(name->value);
	memset(name, 0, sizeof(*name));
}
