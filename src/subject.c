#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "display.h"
#include "subject.h"
#include "utf8.h"

/*
 * The attribute types a subject may use, with the names certreq accepts,
 * the string type Windows encodes them with and X.520's upper bound in
 * characters (0: none enforced here).
 */
struct attr_type {
	const char *name;
	int nid;
	int string_type;
	size_t max_chars;
};

static const struct attr_type attr_types[] = {
	{ "CN", NID_commonName, V_ASN1_UTF8STRING, 64 },
	{ "O", NID_organizationName, V_ASN1_UTF8STRING, 64 },
	{ "OU", NID_organizationalUnitName, V_ASN1_UTF8STRING, 64 },
	{ "L", NID_localityName, V_ASN1_UTF8STRING, 128 },
	{ "ST", NID_stateOrProvinceName, V_ASN1_UTF8STRING, 128 },
	{ "S", NID_stateOrProvinceName, V_ASN1_UTF8STRING, 128 },
	{ "C", NID_countryName, V_ASN1_PRINTABLESTRING, 2 },
	{ "STREET", NID_streetAddress, V_ASN1_UTF8STRING, 128 },
	{ "E", NID_pkcs9_emailAddress, V_ASN1_IA5STRING, 255 },
	{ "EMAIL", NID_pkcs9_emailAddress, V_ASN1_IA5STRING, 255 },
	{ "emailAddress", NID_pkcs9_emailAddress, V_ASN1_IA5STRING, 255 },
	{ "DC", NID_domainComponent, V_ASN1_IA5STRING, 63 },
	{ "SERIALNUMBER", NID_serialNumber, V_ASN1_PRINTABLESTRING, 64 },
	{ "T", NID_title, V_ASN1_UTF8STRING, 64 },
	{ "TITLE", NID_title, V_ASN1_UTF8STRING, 64 },
	{ "G", NID_givenName, V_ASN1_UTF8STRING, 64 },
	{ "GN", NID_givenName, V_ASN1_UTF8STRING, 64 },
	{ "SN", NID_surname, V_ASN1_UTF8STRING, 64 },
	{ "UID", NID_userId, V_ASN1_UTF8STRING, 64 },
	{ "POSTALCODE", NID_postalCode, V_ASN1_UTF8STRING, 40 },
};

static const struct attr_type *attr_type_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(attr_types) / sizeof(attr_types[0]); i++)
		if (strcasecmp(attr_types[i].name, name) == 0)
			return &attr_types[i];
	return NULL;
}

static const struct attr_type *attr_type_by_nid(int nid)
{
	for (size_t i = 0; i < sizeof(attr_types) / sizeof(attr_types[0]); i++)
		if (attr_types[i].nid == nid)
			return &attr_types[i];
	return NULL;
}

const char *subject_attr_name(int nid)
{
	const struct attr_type *t = attr_type_by_nid(nid);

	if (nid == NID_pkcs9_emailAddress)
		return "E";
	return t ? t->name : NULL;
}

/* The name written back in RFC 4514 text, as Windows shows it. */
const char *subject_attr_name(int nid);

static const char *attr_display_name(const struct mkcsr_subject_attr *attr)
{
	const char *name = subject_attr_name(attr->nid);

	return name ? name : attr->oid;
}

static bool is_printable_string_char(unsigned char c)
{
	return isalnum(c) || strchr(" '()+,-./:=?", c) != NULL;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Checks (and for C upper-cases) a value against the rules of its type. */
static enum mkcsr_err check_value(const char *type_text, int nid, char *value)
{
	const struct attr_type *t = attr_type_by_nid(nid);
	long chars = utf8_length(value, strlen(value), true);

	if (value[0] == '\0')
		return err_set(MKCSR_E_BAD_SUBJECT, "%s has an empty value", type_text);
	if (chars < 0)
		return err_set(MKCSR_E_BAD_SUBJECT, "%s='%s' is not valid UTF-8 text without control characters",
			       type_text, value);
	if (t == NULL)
		return MKCSR_E_OK;
	if (t->max_chars && (size_t)chars > t->max_chars && nid != NID_countryName)
		return err_set(MKCSR_E_BAD_SUBJECT, "%s='%s' is %ld characters long; the limit is %zu",
			       type_text, value, chars, t->max_chars);
	if (nid == NID_countryName) {
		if (strlen(value) != 2 || !isalpha((unsigned char)value[0]) || !isalpha((unsigned char)value[1]))
			return err_set(MKCSR_E_BAD_SUBJECT, "C='%s' must be a two-letter ISO 3166 country code such as US",
				       value);
		value[0] = (char)toupper((unsigned char)value[0]);
		value[1] = (char)toupper((unsigned char)value[1]);
	} else if (t->string_type == V_ASN1_IA5STRING) {
		for (const char *p = value; *p; p++)
			if ((unsigned char)*p >= 0x80)
				return err_set(MKCSR_E_BAD_SUBJECT, "%s='%s' must be ASCII", type_text, value);
	} else if (t->string_type == V_ASN1_PRINTABLESTRING) {
		for (const char *p = value; *p; p++)
			if (!is_printable_string_char((unsigned char)*p))
				return err_set(MKCSR_E_BAD_SUBJECT, "%s='%s': '%c' is not allowed in a PrintableString",
					       type_text, value, *p);
	}
	return MKCSR_E_OK;
}

/* Resolves an attribute type name or dotted OID. */
static enum mkcsr_err resolve_type(const char *text, int *nid, char **oid)
{
	const struct attr_type *t = attr_type_by_name(text);
	ASN1_OBJECT *obj = NULL;
	char buf[128];

	if (t != NULL) {
		*nid = t->nid;
		obj = OBJ_nid2obj(t->nid);
	} else {
		const char *p = text;

		if (!isdigit((unsigned char)*p))
			return err_set(MKCSR_E_BAD_SUBJECT,
				       "unknown attribute type '%s' (use CN, O, OU, L, ST, C, STREET, E, DC, SERIALNUMBER, or a dotted OID)",
				       text);
		for (; *p; p++)
			if (!isdigit((unsigned char)*p) && *p != '.')
				return err_set(MKCSR_E_BAD_SUBJECT, "'%s' is not a dotted OID", text);
		obj = OBJ_txt2obj(text, 1);
		if (obj == NULL)
			return err_set(MKCSR_E_BAD_SUBJECT, "'%s' is not a valid OID", text);
		*nid = OBJ_obj2nid(obj);
	}
	OBJ_obj2txt(buf, sizeof(buf), obj, 1);
	if (t == NULL)
		ASN1_OBJECT_free(obj);
	*oid = strdup(buf);
	return *oid ? MKCSR_E_OK : err_set(MKCSR_E_NOMEM, "parsing '%s'", text);
}

static enum mkcsr_err subject_append(struct mkcsr_subject *subject, struct mkcsr_subject_attr *attr)
{
	struct mkcsr_subject_attr *grown = realloc(subject->attrs, (subject->count + 1) * sizeof(*grown));

	if (grown == NULL)
		return err_set(MKCSR_E_NOMEM, "growing the subject");
	subject->attrs = grown;
	subject->attrs[subject->count++] = *attr;
	return MKCSR_E_OK;
}

static void attr_clear(struct mkcsr_subject_attr *attr)
{
	free(attr->oid);
	free(attr->value);
	memset(attr, 0, sizeof(*attr));
}

/*
 * Reads one "TYPE=value" at *pos, stopping at an unescaped ',', ';' or '+'
 * (returned in *sep, '\0' at the end).
 */
static enum mkcsr_err parse_attr(const char *text, const char **pos, struct mkcsr_subject_attr *attr, char *sep)
{
	const char *p = *pos;
	const char *type_start, *type_end;
	char *type = NULL, *value = NULL;
	size_t n = 0, trailing_space_floor = 0;
	bool quoted = false;
	enum mkcsr_err rc = MKCSR_E_OK;

	while (isspace((unsigned char)*p))
		p++;
	type_start = p;
	while (*p && *p != '=' && *p != ',' && *p != ';' && *p != '+')
		p++;
	if (*p != '=') {
		rc = err_set(MKCSR_E_BAD_SUBJECT, "'%s': expected TYPE=value near '%.20s'", text, type_start);
		goto done;
	}
	type_end = p++;
	while (type_end > type_start && isspace((unsigned char)type_end[-1]))
		type_end--;
	if (type_end == type_start) {
		rc = err_set(MKCSR_E_BAD_SUBJECT, "'%s': an attribute type is missing before '='", text);
		goto done;
	}
	type = strndup(type_start, (size_t)(type_end - type_start));
	value = malloc(strlen(p) + 1);
	if (type == NULL || value == NULL) {
		rc = err_set(MKCSR_E_NOMEM, "parsing the subject");
		goto done;
	}

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '#') {
		rc = err_set(MKCSR_E_BAD_SUBJECT, "%s: hex-encoded (#...) values are not supported", type);
		goto done;
	}
	if (*p == '"') {
		quoted = true;
		p++;
	}
	for (;;) {
		char c = *p;

		if (c == '\0') {
			if (quoted) {
				rc = err_set(MKCSR_E_BAD_SUBJECT, "%s: the quoted value has no closing '\"'", type);
				goto done;
			}
			break;
		}
		if (quoted && c == '"' && p[1] == '"') {
			/* Windows' X.500 strings double a quote inside a quoted value. */
			value[n++] = '"';
			p += 2;
			continue;
		}
		if (quoted && c == '"') {
			p++;
			trailing_space_floor = n;
			while (isspace((unsigned char)*p))
				p++;
			if (*p && *p != ',' && *p != ';' && *p != '+') {
				rc = err_set(MKCSR_E_BAD_SUBJECT, "%s: text after the closing '\"'", type);
				goto done;
			}
			quoted = false;
			continue;
		}
		if (!quoted && (c == ',' || c == ';' || c == '+'))
			break;
		/* Inside quotes a backslash is itself, as Windows' X.500 strings (and our INF writer) have it. */
		if (c == '\\' && !quoted) {
			int hi = hex_value(p[1]), lo = hi >= 0 ? hex_value(p[2]) : -1;

			if (hi >= 0 && lo >= 0) {
				value[n++] = (char)(hi << 4 | lo);
				p += 3;
			} else if (p[1] != '\0' && strchr(",+\"\\<>;= #", p[1]) != NULL) {
				value[n++] = p[1];
				p += 2;
			} else {
				rc = err_set(MKCSR_E_BAD_SUBJECT, "%s: invalid escape '\\%c'", type, p[1] ? p[1] : ' ');
				goto done;
			}
			trailing_space_floor = n;
			continue;
		}
		value[n++] = c;
		p++;
	}
	/* Unescaped trailing blanks are separators' padding, not part of the value. */
	while (n > trailing_space_floor && isspace((unsigned char)value[n - 1]))
		n--;
	value[n] = '\0';
	if (memchr(value, '\0', n) != NULL) {
		rc = err_set(MKCSR_E_BAD_SUBJECT, "%s: the value contains a NUL character", type);
		goto done;
	}

	rc = resolve_type(type, &attr->nid, &attr->oid);
	if (rc != MKCSR_E_OK)
		goto done;
	rc = check_value(type, attr->nid, value);
	if (rc != MKCSR_E_OK)
		goto done;
	attr->value = value;
	value = NULL;
	*sep = *p;
	*pos = *p ? p + 1 : p;
done:
	free(type);
	free(value);
	if (rc != MKCSR_E_OK)
		attr_clear(attr);
	return rc;
}

enum mkcsr_err subject_parse(const char *text, struct mkcsr_subject *out)
{
	const char *pos = text;
	enum mkcsr_err rc = MKCSR_E_OK;
	bool joined = false;

	memset(out, 0, sizeof(*out));
	while (isspace((unsigned char)*pos))
		pos++;
	if (*pos == '\0')
		return MKCSR_E_OK;

	for (;;) {
		struct mkcsr_subject_attr attr = { 0 };
		char sep = '\0';

		rc = parse_attr(text, &pos, &attr, &sep);
		if (rc != MKCSR_E_OK)
			break;
		attr.joined = joined;
		rc = subject_append(out, &attr);
		if (rc != MKCSR_E_OK) {
			attr_clear(&attr);
			break;
		}
		if (sep == '\0')
			break;
		joined = sep == '+';
		while (isspace((unsigned char)*pos))
			pos++;
		if (*pos == '\0') {
			rc = err_set(MKCSR_E_BAD_SUBJECT, "'%s' ends with a separator", text);
			break;
		}
	}
	if (rc != MKCSR_E_OK)
		subject_clear(out);
	return rc;
}

enum mkcsr_err subject_prepend(struct mkcsr_subject *subject, int nid, const char *value)
{
	struct mkcsr_subject_attr attr = { .nid = nid };
	char buf[128];
	enum mkcsr_err rc;

	OBJ_obj2txt(buf, sizeof(buf), OBJ_nid2obj(nid), 1);
	attr.oid = strdup(buf);
	attr.value = strdup(value);
	if (attr.oid == NULL || attr.value == NULL) {
		attr_clear(&attr);
		return err_set(MKCSR_E_NOMEM, "building the subject");
	}
	rc = check_value(OBJ_nid2sn(nid), nid, attr.value);
	if (rc == MKCSR_E_OK)
		rc = subject_append(subject, &attr);
	if (rc != MKCSR_E_OK) {
		attr_clear(&attr);
		return rc;
	}
	memmove(subject->attrs + 1, subject->attrs, (subject->count - 1) * sizeof(*subject->attrs));
	subject->attrs[0] = attr;
	return MKCSR_E_OK;
}

enum mkcsr_err subject_set(struct mkcsr_subject *subject, int nid, const char *value)
{
	char *copy;
	enum mkcsr_err rc;

	for (size_t i = 0; i < subject->count; i++) {
		if (subject->attrs[i].nid != nid)
			continue;
		copy = strdup(value);
		if (copy == NULL)
			return err_set(MKCSR_E_NOMEM, "building the subject");
		rc = check_value(OBJ_nid2sn(nid), nid, copy);
		if (rc != MKCSR_E_OK) {
			free(copy);
			return rc;
		}
		free(subject->attrs[i].value);
		subject->attrs[i].value = copy;
		return MKCSR_E_OK;
	}
	return subject_prepend(subject, nid, value);
}

/*
 * An attribute whose value is not a character string (x500UniqueIdentifier
 * is a BIT STRING) or whose bytes are not valid in their string type: it
 * cannot become text, so it is not copied; the reason names it and its type.
 */
static enum mkcsr_err not_text(const char *oid, int nid, const ASN1_STRING *value)
{
	int type = ASN1_STRING_type(value);
	const char *name = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
	char what[192];

	ERR_clear_error();
	if (name != NULL)
		snprintf(what, sizeof(what), "%s (%s)", name, oid);
	else
		snprintf(what, sizeof(what), "%s", oid);
	if (type == V_ASN1_BIT_STRING || type == V_ASN1_OCTET_STRING || type == V_ASN1_INTEGER ||
	    type == V_ASN1_OBJECT || type == V_ASN1_SEQUENCE || type == V_ASN1_SET || type == V_ASN1_BOOLEAN ||
	    type == V_ASN1_NULL || type == V_ASN1_ENUMERATED)
		return err_set(MKCSR_E_BAD_SUBJECT, "%s is a %s, not text, which mkcsr cannot copy",
			       what, ASN1_tag2str(type));
	return err_set(MKCSR_E_BAD_SUBJECT, "%s is a %s whose bytes are not valid in that type: it cannot be copied as text",
		       what, ASN1_tag2str(type));
}

enum mkcsr_err subject_from_x509_name(const X509_NAME *name, struct mkcsr_subject *out, char **skipped)
{
	int count = X509_NAME_entry_count(name);
	int previous_set = -1;
	size_t skipped_len = 0;

	memset(out, 0, sizeof(*out));
	*skipped = NULL;
	/* The encoding runs C ... CN; the text runs the other way, CN first. */
	for (int i = count - 1; i >= 0; i--) {
		const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
		struct mkcsr_subject_attr attr = { 0 };
		unsigned char *utf8 = NULL;
		char oid[128];
		int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
		enum mkcsr_err rc;

		OBJ_obj2txt(oid, sizeof(oid), X509_NAME_ENTRY_get_object(entry), 1);
		attr.nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
		attr.joined = X509_NAME_ENTRY_set(entry) == previous_set;
		previous_set = X509_NAME_ENTRY_set(entry);
		attr.oid = strdup(oid);
		attr.value = len >= 0 ? strndup((const char *)utf8, (size_t)len) : NULL;
		OPENSSL_free(utf8);
		if (len < 0)
			rc = not_text(oid, attr.nid, X509_NAME_ENTRY_get_data(entry));
		else
			rc = attr.oid && attr.value ? check_value(oid, attr.nid, attr.value) : MKCSR_E_NOMEM;
		if (rc == MKCSR_E_NOMEM) {
			attr_clear(&attr);
			subject_clear(out);
			free(*skipped);
			*skipped = NULL;
			return err_set(MKCSR_E_NOMEM, "reading a subject");
		}
		if (rc != MKCSR_E_OK) {
			/* Keep the reason: the caller reports what it could not copy. */
			const char *why = err_detail();
			char *grown = realloc(*skipped, skipped_len + strlen(why) + 3);

			if (grown != NULL) {
				*skipped = grown;
				skipped_len += (size_t)sprintf(grown + skipped_len, "%s%s", skipped_len ? "; " : "", why);
			}
			attr_clear(&attr);
			continue;
		}
		rc = subject_append(out, &attr);
		if (rc != MKCSR_E_OK) {
			attr_clear(&attr);
			subject_clear(out);
			return rc;
		}
	}
	return MKCSR_E_OK;
}

const char *subject_get(const struct mkcsr_subject *subject, int nid)
{
	for (size_t i = 0; i < subject->count; i++)
		if (subject->attrs[i].nid == nid)
			return subject->attrs[i].value;
	return NULL;
}

enum mkcsr_err subject_to_x509_name(const struct mkcsr_subject *subject, X509_NAME **out)
{
	X509_NAME *name = X509_NAME_new();
	size_t i = subject->count;

	*out = NULL;
	if (name == NULL)
		return err_set(MKCSR_E_NOMEM, "building the subject");

	/* Walk the RDNs from the last written to the first; keep '+' groups in order. */
	while (i > 0) {
		size_t first = i - 1;

		while (first > 0 && subject->attrs[first].joined)
			first--;
		for (size_t j = first; j < i; j++) {
			const struct mkcsr_subject_attr *attr = &subject->attrs[j];
			const struct attr_type *t = attr_type_by_nid(attr->nid);
			int type = t ? t->string_type : V_ASN1_UTF8STRING;
			ASN1_OBJECT *obj = OBJ_txt2obj(attr->oid, 1);
			int ok = obj != NULL &&
				 X509_NAME_add_entry_by_OBJ(name, obj, type, (const unsigned char *)attr->value,
							    (int)strlen(attr->value), -1, j == first ? 0 : -1);

			ASN1_OBJECT_free(obj);
			if (!ok) {
				X509_NAME_free(name);
				return err_set(MKCSR_E_CRYPTO, "encoding the subject attribute %s", attr_display_name(attr));
			}
		}
		i = first;
	}
	*out = name;
	return MKCSR_E_OK;
}

/* Appends value to buf with RFC 4514 escaping; buf has room for 2x + 1. */
static size_t escape_value(char *buf, const char *value)
{
	size_t n = 0, len = strlen(value);

	for (size_t i = 0; i < len; i++) {
		char c = value[i];
		bool special = strchr(",+\"\\<>;=", c) != NULL || ((i == 0) && (c == ' ' || c == '#')) ||
			       (i == len - 1 && c == ' ');

		if (special)
			buf[n++] = '\\';
		buf[n++] = c;
	}
	return n;
}

/* Appends value to buf quoted the X.500 way Windows reads ("IT, Ops"), when it must be; room for 2x + 3. */
static size_t quote_value(char *buf, const char *value)
{
	size_t n = 0, len = strlen(value);
	bool needs = len == 0 || value[0] == ' ' || value[len - 1] == ' ' || strpbrk(value, ",+\"\\<>;=#\r\n") != NULL;

	if (!needs) {
		memcpy(buf, value, len);
		return len;
	}
	buf[n++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (value[i] == '"')
			buf[n++] = '"';
		buf[n++] = value[i];
	}
	buf[n++] = '"';
	return n;
}

static char *format_with(const struct mkcsr_subject *subject, size_t (*put_value)(char *, const char *));

char *subject_format(const struct mkcsr_subject *subject)
{
	return format_with(subject, escape_value);
}

char *subject_format_x500(const struct mkcsr_subject *subject)
{
	return format_with(subject, quote_value);
}

/* Appends value to buf as display.h shows a name's value; room for 10x + 1. */
static size_t display_value(char *buf, const char *value)
{
	char *shown = display_bytes(value, strlen(value), DISPLAY_UTF8, DISPLAY_RFC4514);
	size_t n = 0;

	if (shown != NULL) {
		n = strlen(shown);
		memcpy(buf, shown, n);
		free(shown);
	}
	return n;
}

char *subject_format_display(const struct mkcsr_subject *subject)
{
	return format_with(subject, display_value);
}

static char *format_with(const struct mkcsr_subject *subject, size_t (*put_value)(char *, const char *))
{
	size_t size = 1;
	char *buf, *p;

	for (size_t i = 0; i < subject->count; i++)
		size += strlen(attr_display_name(&subject->attrs[i])) + 10 * strlen(subject->attrs[i].value) + 6;
	buf = malloc(size);
	if (buf == NULL)
		return NULL;
	p = buf;
	for (size_t i = 0; i < subject->count; i++) {
		const struct mkcsr_subject_attr *attr = &subject->attrs[i];

		if (i > 0) {
			if (attr->joined) {
				*p++ = '+';
			} else {
				*p++ = ',';
				*p++ = ' ';
			}
		}
		p += sprintf(p, "%s=", attr_display_name(attr));
		p += put_value(p, attr->value);
	}
	*p = '\0';
	return buf;
}

void subject_clear(struct mkcsr_subject *subject)
{
	if (subject == NULL)
		return;
	for (size_t i = 0; i < subject->count; i++)
		attr_clear(&subject->attrs[i]);
	free(subject->attrs);
	subject->attrs = NULL;
	subject->count = 0;
}
