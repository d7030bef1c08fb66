#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain.h"

static const struct {
	unsigned number;
	const char *name;
} facilities[] = {
	{ 0, "NULL" },	     { 1, "RPC" },	   { 2, "DISPATCH" },	 { 3, "STORAGE" },   { 4, "ITF" },
	{ 7, "WIN32" },	     { 8, "WINDOWS" },	   { 9, "SECURITY" },	 { 10, "CONTROL" }, { 11, "CERT" },
	{ 12, "INTERNET" },  { 15, "SETUPAPI" },   { 16, "SCARD" },	 { 17, "COMPLUS" }, { 18, "AAF" },
	{ 19, "URT" },	     { 20, "ACS" },	   { 21, "DPLAY" },	 { 22, "UMI" },	    { 23, "SXS" },
	{ 24, "WINDOWS_CE" }, { 25, "HTTP" },	   { 26, "USERMODE_COMMONLOG" }, { 32, "USERMODE_FILTER_MANAGER" },
	{ 33, "BACKGROUNDCOPY" }, { 34, "CONFIGURATION" }, { 35, "STATE_MANAGEMENT" }, { 36, "METADIRECTORY" },
	{ 37, "WINDOWSUPDATE" }, { 38, "DIRECTORYSERVICE" }, { 48, "TPM_SOFTWARE" }, { 49, "TPM_SERVICES" },
};

const char *explain_facility_name(unsigned facility)
{
	for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (facilities[i].number == facility)
			return facilities[i].name;
	return "";
}

/* NTSTATUS facilities (ntstatus.h), which number differently from HRESULT ones. */
static const struct {
	unsigned number;
	const char *name;
} nt_facilities[] = {
	{ 0x1, "DEBUGGER" },	  { 0x2, "RPC_RUNTIME" },     { 0x3, "RPC_STUBS" },	  { 0x4, "IO_ERROR_CODE" },
	{ 0x7, "NTWIN32" },	  { 0xA, "TERMINAL_SERVER" }, { 0x10, "USB_ERROR_CODE" }, { 0x11, "HID_ERROR_CODE" },
	{ 0x12, "FIREWIRE_ERROR_CODE" }, { 0x13, "CLUSTER_ERROR_CODE" }, { 0x14, "ACPI_ERROR_CODE" },
	{ 0x15, "SXS_ERROR_CODE" }, { 0x19, "TRANSACTION" }, { 0x1A, "COMMONLOG_ERROR_CODE" },
};

const char *explain_nt_facility_name(unsigned facility)
{
	for (size_t i = 0; i < sizeof(nt_facilities) / sizeof(nt_facilities[0]); i++)
		if (nt_facilities[i].number == facility)
			return nt_facilities[i].name;
	return "";
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The number a user pasted, or false when it is not one. */
static bool parse_number(const char *text, uint32_t *value)
{
	size_t len = strlen(text);
	char *end = NULL;

	errno = 0;
	if (text[0] == '-') {
		long long v = strtoll(text, &end, 10);

		if (len < 2 || !all_digits(text + 1) || errno != 0 || v < INT32_MIN)
			return false;
		*value = (uint32_t)(int32_t)v;
		return true;
	}
	if (len > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		unsigned long long v;

		if (len > 10 || !all_hex(text + 2))
			return false;
		v = strtoull(text + 2, &end, 16);
		*value = (uint32_t)v;
		return errno == 0;
	}
	if (len == 0 || !all_hex(text))
		return false;
	/*
	 * Without 0x: letters make it hex (800b0101); eight digits starting with
	 * 8 are an HRESULT written in hex (80070040), since no Win32 code is that
	 * large and a decimal HRESULT has ten digits; otherwise decimal.
	 */
	if (!all_digits(text) || (len == 8 && text[0] == '8')) {
		if (len > 8)
			return false;
		*value = (uint32_t)strtoul(text, &end, 16);
		return true;
	} else {
		unsigned long long v = strtoull(text, &end, 10);

		if (errno != 0 || v > UINT32_MAX)
			return false;
		*value = (uint32_t)v;
		return true;
	}
}

/* A number, or a name from the table, making up the whole of token. */
static bool parse_code(const char *token, uint32_t *value)
{
	const struct winerr *named;

	if (parse_number(token, value))
		return true;
	named = winerr_by_symbol(token);
	if (named == NULL)
		return false;
	*value = named->code;
	return true;
}

/*
 * A word of a sentence that may be a code: decimal digits (with a minus
 * sign), 0x and hex digits, eight hex digits holding a digit (800b0101), or
 * a name from the table.  Shorter bare hex ("2fa", "a1") is a word, not a code.
 */
static bool word_is_code(const char *word, uint32_t *value)
{
	const char *digits = word[0] == '-' ? word + 1 : word;
	bool has_digit = strpbrk(word, "0123456789") != NULL;

	if (winerr_by_symbol(word) != NULL)
		return parse_code(word, value);
	if (!has_digit)
		return false;
	if (all_digits(digits) || (digits == word && strncasecmp(word, "0x", 2) == 0) ||
	    (digits == word && strlen(word) == 8 && all_hex(word)))
		return parse_number(word, value);
	return false;
}

/* text for a message: at most 60 characters, controls written \xNN, "..." when cut. */
static const char *shown(const char *text, char *buf, size_t size)
{
	size_t n = 0, i = 0;

	for (; text[i] != '\0' && i < 60 && n + 5 < size; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(buf + n, size - n, "\\x%02X", c);
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	if (text[i] != '\0' && n + 4 < size)
		strcat(buf, "...");
	return buf;
}

#define MAX_CANDIDATES 16

struct candidate {
	char word[80];
	uint32_t value;
};

/* The words of text that may be codes, each value once. */
static size_t find_candidates(const char *text, struct candidate *found)
{
	size_t count = 0;
	const char *p = text;

	while (*p != '\0' && count < MAX_CANDIDATES) {
		const char *start = p;
		size_t len;
		char word[80];
		uint32_t value;
		bool seen = false;

		if (!(isalnum((unsigned char)*p) || *p == '_')) {
			p++;
			continue;
		}
		/* A minus sign belongs to the number when it does not join two words ("2026-12-05"). */
		if (start > text && start[-1] == '-' && (start - 1 == text || !isalnum((unsigned char)start[-2])))
			start--;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		len = (size_t)(p - start);
		if (len >= sizeof(word))
			continue;
		memcpy(word, start, len);
		word[len] = '\0';
		if (!word_is_code(word, &value))
			continue;
		for (size_t i = 0; i < count; i++)
			seen = seen || found[i].value == value;
		if (!seen) {
			snprintf(found[count].word, sizeof(found[count].word), "%s", word);
			found[count++].value = value;
		}
	}
	return count;
}

/* The code inside a longer text (see explain.h for the rule). */
static enum mkcsr_err find_in_text(const char *text, struct mkcsr_code *out)
{
	struct candidate found[MAX_CANDIDATES];
	size_t count = find_candidates(text, found), in_table = 0, pick = 0;
	char quoted[256], list[1536] = "";

	for (size_t i = 0; i < count; i++)
		if (winerr_lookup(found[i].value) != NULL) {
			in_table++;
			pick = i;
		}
	if (count == 1 || in_table == 1) {
		snprintf(out->found, sizeof(out->found), "%s", found[pick].word);
		out->value = found[pick].value;
		out->in_text = true;
		return MKCSR_E_OK;
	}
	shown(text, quoted, sizeof(quoted));
	if (count == 0)
		return err_set(MKCSR_E_BAD_CODE, "'%s'", quoted);
	for (size_t i = 0; i < count; i++)
		if (in_table == 0 || winerr_lookup(found[i].value) != NULL)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? ", " : "",
				 found[i].word);
	return err_set(MKCSR_E_BAD_CODE, "'%s': it holds several codes (%s); give the one to explain", quoted, list);
}

static void decode(struct mkcsr_code *out)
{
	uint32_t v = out->value;

	out->kind = v <= 0xffff ? EXPLAIN_WIN32 : v >= 0xC0000000u ? EXPLAIN_NTSTATUS : EXPLAIN_HRESULT;
	out->customer = (v >> 29) & 1;
	out->code = v & 0xffff;
	if (out->kind == EXPLAIN_NTSTATUS) {
		out->severity = v >> 30;
		out->facility = (v >> 16) & 0xfff;
	} else {
		out->severity = v >> 31;
		out->facility = (v >> 16) & 0x7ff;
	}
	out->hresult = out->kind == EXPLAIN_HRESULT && out->severity == 1;
	out->entry = winerr_lookup(v);
	if ((out->hresult && out->facility == EXPLAIN_FACILITY_WIN32) ||
	    (out->kind == EXPLAIN_NTSTATUS && out->facility == EXPLAIN_NT_FACILITY_NTWIN32 && !out->customer))
		out->wrapped = winerr_lookup(out->code);
}

bool explain_is_plain_word(const char *text)
{
	size_t letters = 0;

	for (; isalpha((unsigned char)*text); text++)
		letters++;
	while (*text == ':' || *text == ',' || *text == '.' || *text == ';')
		text++;
	return letters > 0 && *text == '\0';
}

/* Drops blanks, a final full stop, colon, comma or semicolon, and quotes or brackets around the code. */
static char *trim(char *text)
{
	size_t len;

	while (isspace((unsigned char)*text) || *text == '(' || *text == '[' || *text == '"' || *text == '\'')
		text++;
	len = strlen(text);
	while (len > 0 && (isspace((unsigned char)text[len - 1]) || strchr(".,:;)]\"'", text[len - 1]) != NULL))
		text[--len] = '\0';
	return text;
}

enum mkcsr_err explain_parse(const char *text, struct mkcsr_code *out)
{
	char copy[EXPLAIN_TEXT_MAX], quoted[256], *trimmed;
	const char *given = text;
	enum mkcsr_err rc = MKCSR_E_OK;

	memset(out, 0, sizeof(*out));
	out->input = given;
	while (isspace((unsigned char)*text))
		text++;
	/* Too long for an event's message: refused, not searched. */
	if (strlen(text) >= sizeof(copy))
		return err_set(MKCSR_E_BAD_CODE, "'%s' (over %d bytes)", shown(text, quoted, sizeof(quoted)),
			       EXPLAIN_TEXT_MAX - 1);
	snprintf(copy, sizeof(copy), "%s", text);
	trimmed = trim(copy);

	if (strlen(trimmed) < sizeof(out->found) && parse_code(trimmed, &out->value))
		snprintf(out->found, sizeof(out->found), "%s", trimmed);
	else if (strpbrk(trimmed, " \t\r\n") != NULL) /* a sentence: its words are searched */
		rc = find_in_text(trimmed, out);
	else
		rc = err_set(MKCSR_E_BAD_CODE, "'%s'", shown(text, quoted, sizeof(quoted)));
	if (rc != MKCSR_E_OK) {
		memset(out, 0, sizeof(*out));
		out->input = given;
		return rc;
	}
	decode(out);
	return MKCSR_E_OK;
}
