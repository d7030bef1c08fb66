#ifndef MKCSR_EXPLAIN_H
#define MKCSR_EXPLAIN_H

/*
 * Windows error codes in every form users paste them: signed decimal
 * (-2146762495, as RasClient event 20227 prints it), unsigned decimal,
 * hex with or without 0x, a Win32/RAS number (853), an HRESULT wrapping a
 * Win32 code (0x80070040), or a symbolic name (CERT_E_EXPIRED).
 */

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "winerr.h"

struct mkcsr_code {
	const char *input;            /* as given (not owned) */
	uint32_t value;
	bool hresult;                 /* an HRESULT (severity bit set), not a bare Win32/RAS number */
	unsigned severity;            /* HRESULT bit 31 */
	unsigned facility;            /* HRESULT bits 16-26 */
	unsigned code;                /* HRESULT bits 0-15 */
	const struct winerr *entry;   /* the table's entry for value, or NULL */
	const struct winerr *wrapped; /* FACILITY_WIN32: the entry of the Win32 code inside, or NULL */
};

enum mkcsr_err explain_parse(const char *text, struct mkcsr_code *out);

/* "WIN32", "CERT", "SECURITY"...; "" when the facility has no name here. */
const char *explain_facility_name(unsigned facility);

#define EXPLAIN_FACILITY_WIN32 7

#endif
