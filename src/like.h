#ifndef MKCSR_LIKE_H
#define MKCSR_LIKE_H

/*
 * Renewal from the deployed certificate: the same subject, names, usages and
 * key type, with a fresh key.  What cannot be carried over is said, never
 * dropped silently.
 */

#include <openssl/x509.h>

#include "err.h"
#include "request.h"

/* The certificate in path: PEM, DER, or the leaf of a PFX (pass_source for its password). */
enum mkcsr_err like_load(const char *path, const char *pass_source, X509 **out);

/* Copies subject, SANs, EKUs and key type into req; notes say what was and was not copied. */
enum mkcsr_err like_apply(X509 *cert, const char *path, struct mkcsr_request *req);

#endif
