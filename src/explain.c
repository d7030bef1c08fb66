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

enum mkcsr_err explain_parse(const char *text, struct mkcsr_code *out)
{
	const struct winerr *named = NULL;
	char trimmed[128];
	size_t len;

	memset(out, 0, sizeof(*out));
	out->input = text;
	while (isspace((unsigned char)*text))
		text++;
	/* Too long to be a code: refused, not cut short into one ("853" and 200 more characters). */
	if (strlen(text) >= sizeof(trimmed))
		return err_set(MKCSR_E_BAD_CODE, "'%.40s...'", text);
	snprintf(trimmed, sizeof(trimmed), "%s", text);
	len = strlen(trimmed);
	while (len > 0 && (isspace((unsigned char)trimmed[len - 1]) || trimmed[len - 1] == '.'))
		trimmed[--len] = '\0';

	if (!parse_number(trimmed, &out->value)) {
		named = winerr_by_symbol(trimmed);
		if (named == NULL)
			return err_set(MKCSR_E_BAD_CODE, "'%s'", text);
		out->value = named->code;
	}
	out->hresult = (out->value & 0x80000000u) != 0;
	out->severity = out->value >> 31;
	out->facility = (out->value >> 16) & 0x7ff;
	out->code = out->value & 0xffff;
	out->entry = winerr_lookup(out->value);
	if (out->hresult && out->facility == EXPLAIN_FACILITY_WIN32)
		out->wrapped = winerr_lookup(out->code);
	return MKCSR_E_OK;
}
