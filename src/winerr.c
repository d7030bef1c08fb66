#include <config.h>

#include <stdio.h>
#include <strings.h>

#include "winerr.h"

static const struct winerr table[] = {
#define WINERR(symbol, code, meaning, cause, fix, detect) { #symbol, (uint32_t)(code), meaning, cause, fix, detect },
#include "winerr.def"
#undef WINERR
};

const struct winerr *winerr_lookup(uint32_t code)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].code == code)
			return &table[i];
	return NULL;
}

const struct winerr *winerr_by_symbol(const char *symbol)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcasecmp(table[i].symbol, symbol) == 0)
			return &table[i];
	return NULL;
}

const char *winerr_format(uint32_t code, char *buf, size_t size)
{
	const struct winerr *e = winerr_lookup(code);
	const char *symbol = e ? e->symbol : "unknown";

	if (code == 0)
		snprintf(buf, size, "%s", "");
	else if (code & 0x80000000u)
		snprintf(buf, size, "%s 0x%08X (%ld)", symbol, code, (long)(int32_t)code);
	else
		snprintf(buf, size, "%s (%u)", symbol, code);
	return buf;
}
