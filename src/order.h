#ifndef MKCSR_ORDER_H
#define MKCSR_ORDER_H

/*
 * From mkcsr new's options to a request and a pair of files: the base
 * (template, INF or old certificate), the command line over it, the
 * output names, then the key and the encoded request.  mkcsr new makes
 * one order; mkcsr batch one per manifest row, through the same code.
 */

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

#include "csr.h"
#include "err.h"
#include "inf.h"
#include "keygen.h"
#include "request.h"
#include "secfile.h"

/* The options that add to the request, replayed in order over the base. */
enum order_opt {
	ORDER_OPT_HOST = 1, ORDER_OPT_SAN, ORDER_OPT_SUBJECT, ORDER_OPT_KEY_TYPE, ORDER_OPT_HASH, ORDER_OPT_EKU,
	ORDER_OPT_KEY_USAGE, ORDER_OPT_SET,
};

struct order_value {
	int opt;
	char *arg;
};

/* mkcsr new's options, as given. */
struct order_options {
	char *out_dir;
	char *key_path;
	char *csr_path;
	char *format;
	char *header;
	char *eol;
	char *key_pass;
	char *template;
	char *inf;
	char *write_inf;
	char *inf_encoding;
	char *like;
	char *like_pass;
	int force;
	int no_app_policies;
	int minimal;
	int ms_attributes;
	struct order_value *values;
	size_t value_count;
};

/* Appends a value of an enum order_opt option; takes arg (malloc'ed) even on failure. */
enum mkcsr_err order_options_add(struct order_options *o, int opt, char *arg);
/* The first value given for opt, or NULL. */
const char *order_options_first(const struct order_options *o, int opt);
/* Drops every value of opt (a manifest row's column replaces the default). */
void order_options_drop(struct order_options *o, int opt);
void order_options_clear(struct order_options *o);

/* A checked request and where it goes. */
struct mkcsr_order {
	struct mkcsr_request req;
	struct mkcsr_csr_encoding enc;
	char *key_path;
	char *csr_path;
	char *role;         /* a template's role, marked in the key file; NULL if none */
	X509 *like_cert;    /* the certificate being renewed (--like), or NULL */
};

/* Everything before the key: base, options over it, finalize, encoding. */
enum mkcsr_err order_plan(const struct order_options *o, struct mkcsr_order *out);
/* The key and request file names; the files are not looked at (order_check_targets does). */
enum mkcsr_err order_name_files(const struct order_options *o, struct mkcsr_order *ord);
void order_clear(struct mkcsr_order *ord);

/* Refuses existing outputs unless force; write_inf may be NULL. */
enum mkcsr_err order_check_targets(const struct mkcsr_order *ord, const char *write_inf, bool force);

/* The made key and request. */
struct order_product {
	EVP_PKEY *key;
	X509_REQ *x;
	char *key_pem;             /* PKCS#8 PEM, with the role marker; OPENSSL_clear_free */
	size_t key_pem_len;
	unsigned char *csr_bytes;
	size_t csr_len;
};

/*
 * A fresh key and the signed, encoded request.  cache (NULL for a one-off)
 * keeps one key generation context per key type for the calling thread;
 * client may be NULL unless the request has ms_attributes.
 */
enum mkcsr_err order_make(const struct mkcsr_order *ord, struct keygen_cache *cache, const char *pass,
			  size_t pass_len, const struct mkcsr_client_info *client, struct order_product *out);
void order_product_clear(struct order_product *p);

/* Writes key, request and extra_path (an INF, or NULL) as one transaction (secfile). */
enum mkcsr_err order_write(const struct mkcsr_order *ord, const struct order_product *p, const char *extra_path,
			   const void *extra, size_t extra_len, bool force);

#endif
