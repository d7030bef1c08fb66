#ifndef MKCSR_WINERR_H
#define MKCSR_WINERR_H

/* The Windows error codes administrators meet, from winerr.def. */

#include <stddef.h>
#include <stdint.h>

struct winerr {
	const char *symbol;
	uint32_t code;
	const char *meaning;
	const char *cause;    /* in Always On VPN; "" if nothing specific */
	const char *fix;
	const char *detect;   /* the mkcsr command that detects or prevents it, or "" */
};

/* The entry for code, or NULL. */
const struct winerr *winerr_lookup(uint32_t code);

/* The entry for a symbolic name, in any letter case, or NULL. */
const struct winerr *winerr_by_symbol(const char *symbol);

/*
 * "CERT_E_EXPIRED 0x800B0101 (-2146762495)" for an HRESULT,
 * "ERROR_IPSEC_IKE_AUTH_FAIL (13801)" for a Win32/RAS code; "" for 0.
 */
const char *winerr_format(uint32_t code, char *buf, size_t size);

#endif
