#ifndef MKCSR_EXPLAIN_H
#define MKCSR_EXPLAIN_H

/*
 * Windows error codes in every form users paste them: signed decimal
 * (-2146762495, as RasClient event 20227 prints it), unsigned decimal,
 * hex with or without 0x, a Win32/RAS number (853), an HRESULT wrapping a
 * Win32 code (0x80070040), an NTSTATUS (0xC000006D), or a symbolic name
 * (CERT_E_EXPIRED); alone, or inside the sentence it was copied from
 * ("The error code returned on failure is 853.").
 */

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "winerr.h"

/* How the 32 bits are read. */
enum mkcsr_code_kind {
	EXPLAIN_WIN32,    /* below 0x10000: a Win32, RAS or IKE error number */
	EXPLAIN_HRESULT,  /* 0x00010000-0xBFFFFFFF: an HRESULT (a failure when bit 31 is set) */
	EXPLAIN_NTSTATUS, /* 0xC0000000 and up: an NTSTATUS error (severity 3) */
};

struct mkcsr_code {
	const char *input;            /* as given (not owned) */
	char found[80];               /* the code as read: the input trimmed, or the word of the sentence */
	bool in_text;                 /* found inside a longer text, not given alone */
	uint32_t value;
	enum mkcsr_code_kind kind;
	bool hresult;                 /* a failure HRESULT: kind HRESULT with the severity bit */
	unsigned severity;            /* HRESULT bit 31; NTSTATUS bits 30-31 */
	bool customer;                /* bit 29 (HRESULT and NTSTATUS) */
	unsigned facility;            /* HRESULT bits 16-26; NTSTATUS bits 16-27 */
	unsigned code;                /* bits 0-15 */
	const struct winerr *entry;   /* the table's entry for value, or NULL */
	const struct winerr *wrapped; /* FACILITY_WIN32 (NTWIN32): the entry of the Win32 code inside, or NULL */
};

/*
 * Reads one operand.  When the whole of it (blanks and final full stops
 * aside) is not a code, the code is looked for among its words: a decimal
 * number (with its minus sign), 0x and hex digits, eight hex digits, or a
 * name from the table.  When the words hold several different codes, the
 * one in the table wins; several in the table, or none in the table and
 * several candidates, are refused as ambiguous (MKCSR_E_BAD_CODE naming
 * them), never guessed.
 */
enum mkcsr_err explain_parse(const char *text, struct mkcsr_code *out);

/* Whether text is a plain word ("error", "code:"), which cannot have been meant as a code. */
bool explain_is_plain_word(const char *text);

/* "WIN32", "CERT", "SECURITY"...; "" when the facility has no name here. */
const char *explain_facility_name(unsigned facility);

/* The same for NTSTATUS facilities ("NTWIN32", "RPC_RUNTIME"...). */
const char *explain_nt_facility_name(unsigned facility);

#define EXPLAIN_FACILITY_WIN32 7
#define EXPLAIN_NT_FACILITY_NTWIN32 7

/* The longest operand read, in bytes: an event's whole message fits. */
#define EXPLAIN_TEXT_MAX 2048

#endif
