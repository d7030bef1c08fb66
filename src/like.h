#ifndef MKCSR_LIKE_H
#define MKCSR_LIKE_H

/*
 * Renewal from the deployed certificate: the same subject, names, usages and
 * key type, with a fresh key.  What cannot be carried over is said, never
 * dropped silently.
 */

#include <stdbool.h>

#include <openssl/x509.h>

#include "err.h"
#include "request.h"

/*
 * The certificate in path: PEM, DER, or the leaf of a PFX (pass_source for
 * its password, NULL to try an empty one; *is_pfx says which).  *protection:
 * pfxread_protection_note of the PFX (a constant), else NULL.
 */
enum mkcsr_err like_load(const char *path, const char *pass_source, X509 **out, bool *is_pfx, const char **protection);

/* What the command line of mkcsr new gives over --like: that part is not copied. */
struct like_overrides {
	const char *host;  /* --host: the CN (when it fits) and the first name */
	bool subject;      /* --subject */
	bool names;        /* --san */
	bool usages;       /* --eku */
	bool key_type;     /* --key-type */
};

/*
 * Copies subject, SANs, EKUs and key type into req, but for what given
 * replaces; notes say what was copied, what the command line gives instead
 * and what could not be copied.  A CA certificate is refused unless it is
 * self-signed and names a server (a DNS or IP name, a server or client usage).
 */
enum mkcsr_err like_apply(X509 *cert, const char *path, const struct like_overrides *given,
			  struct mkcsr_request *req);

#endif
