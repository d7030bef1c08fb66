#ifndef MKCSR_INSPECT_H
#define MKCSR_INSPECT_H

/*
 * What a file holds, told by its content (never by its name), as one JSON
 * document: the single structure that both renderers of mkcsr inspect
 * read.  A request, a certificate, a bundle or PKCS#7 file, a PFX, a
 * private key or a certreq INF file, with what a Windows administrator
 * looks for in each.  Nothing secret goes in: no key material, no
 * password, no challenge password.
 */

#include <time.h>

#include <jansson.h>

#include "err.h"

/*
 * Where the certificates of a certificate file (one, a bundle or PKCS#7)
 * go one at a time, so that a bundle of thousands is never held whole:
 * head receives the document with every member before "certificates"
 * (the last one), then certificate receives each certificate's object
 * (number from 1 of count, borrowed).  The document returned then has no
 * "certificates".  Other files (PFX, key, request, INF) are not streamed:
 * head is never called for them.
 */
struct inspect_stream {
	void (*head)(void *arg, json_t *doc);
	void (*certificate)(void *arg, json_t *cert, size_t number, size_t count);
	void *arg;
};

/*
 * The document for path: "file", "type" (csr, certificate, bundle, pkcs7,
 * pfx, private-key, certreq-inf) and the type's fields; null members are
 * absent things (no such extension, no passphrase to decrypt with).
 * pass is the PFX password or key passphrase as text, NULL when none was
 * given; at is "now" for the days left; stream is NULL or as above.  On error *out is NULL: a file
 * that cannot be read in full is not described at all.
 */
enum mkcsr_err inspect_file(const char *path, const char *pass, time_t at, const struct inspect_stream *stream,
			    json_t **out);

/* The same for a file already in memory (data[len] need not be NUL); path names it in the document and messages. */
enum mkcsr_err inspect_buffer(const char *path, const unsigned char *data, size_t len, const char *pass, time_t at,
			      const struct inspect_stream *stream, json_t **out);

#endif
