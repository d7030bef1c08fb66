#ifndef MKCSR_PFXREAD_H
#define MKCSR_PFXREAD_H

/*
 * Reading a PFX (PKCS#12) file: its MAC, safes, bags, bag attributes and
 * encryption, decoded into one structure that mkcsr inspect renders, and
 * the key, the leaf and the other certificates that new --like, check and
 * pfx take from it.  OpenSSL's legacy provider is loaded when, and only
 * when, the file is encrypted with an algorithm that needs it (RC2-40 of
 * "openssl pkcs12 -export -legacy" and OpenSSL 1.x); when it cannot be
 * loaded the error says so and never blames the password.
 */

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "chain.h"
#include "err.h"
#include "pfx.h"

/* A password-based encryption, as a file describes it. */
struct mkcsr_pbe {
	char text[192];      /* "PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256", "pbeWithSHA1And3-KeyTripleDES-CBC (3DES)" */
	long iterations;     /* -1 when unknown */
	bool pbes2;          /* only Windows 10 1709 / Server 2019 on import it in a PFX */
	bool triple_des;     /* pbeWithSHA1And3-KeyTripleDES-CBC: mkcsr pfx's compat profile */
	bool aes256_sha256;  /* PBES2, AES-256-CBC, PBKDF2-HMAC-SHA256: mkcsr pfx's modern profile */
	bool legacy;         /* RC2, RC4 or DES: OpenSSL 3 decrypts them only with its legacy provider */
};

enum mkcsr_pfx_bag_kind {
	MKCSR_BAG_CERT,
	MKCSR_BAG_KEY,            /* a plain PKCS#8 key */
	MKCSR_BAG_SHROUDED_KEY,   /* an encrypted PKCS#8 key: what every PFX writer makes */
	MKCSR_BAG_CRL,
	MKCSR_BAG_SECRET,
	MKCSR_BAG_SAFE_CONTENTS,
	MKCSR_BAG_UNKNOWN,
};

/* An attribute of a bag other than the four Windows reads. */
struct mkcsr_pfx_attribute {
	char oid[128];
	const char *name;         /* OpenSSL's long name, NULL when it has none */
};

struct mkcsr_pfx_bag {
	enum mkcsr_pfx_bag_kind kind;
	size_t safe;              /* the safe it is in, from 1 */
	bool encrypted;           /* a shrouded key: pbe says how */
	struct mkcsr_pbe pbe;
	char *friendly_name;      /* friendlyName as UTF-8, NULL when absent */
	char *friendly_name_shown; /* the same as display.h shows it (bad UTF-16 as \xNN), NULL when absent */
	unsigned char *local_key_id;
	size_t local_key_id_len;  /* 0 when absent */
	char *csp_name;           /* 1.3.6.1.4.1.311.17.1, NULL when absent */
	char *csp_name_shown;     /* the same as display.h shows it, NULL when absent */
	bool machine_keyset;      /* 1.3.6.1.4.1.311.17.2 present */
	struct mkcsr_pfx_attribute *other;
	size_t other_count;
	size_t cert;              /* its certificate's index in certs + 1, 0 for none */
	size_t key;               /* its key's index in keys + 1, 0 for none */
};

struct mkcsr_pfx_safe {
	bool encrypted;           /* with the password (pbe), else plain */
	struct mkcsr_pbe pbe;
	size_t bag_count;         /* bags in it, nested ones included */
};

struct mkcsr_pfx_file {
	const char *path;         /* as given, not owned */
	char mac[32];             /* "HMAC-SHA256"; "" without a MAC */
	int mac_digest;           /* NID_undef without a MAC */
	long mac_iterations;      /* -1 without a MAC */
	struct mkcsr_pfx_safe *safes;
	size_t safe_count;
	struct mkcsr_pfx_bag *bags;   /* in file order, nested ones after their container */
	size_t bag_count;
	struct mkcsr_certset certs;   /* in bag order, each with source = path */
	EVP_PKEY **keys;              /* in bag order */
	size_t key_count;
	/* What the encryption adds up to, for "imports on" */
	bool any_encryption, pbes2, all_triple_des, all_aes256_sha256;
	char legacy_algorithm[192];   /* the first algorithm that needed the legacy provider, or "" */
	/* Opened with an empty password or none (NULL), or with nothing for a password to guard: not protected */
	bool no_password;
	bool password_failed;         /* while decoding: the password was wrong (else damage) */
};

/* Whether data is a whole DER PKCS#12 structure (the password is not needed to tell). */
bool pfxread_is_pfx(const unsigned char *data, size_t len);

/* Whether the file at path is a PFX; false too when it cannot be read (its reader will say why). */
bool pfxread_file_is_pfx(const char *path);

/*
 * Decodes data, the PFX at path, with its password: MAC checked first, then
 * every safe and bag; certificates and keys decrypted.  Without a password
 * (pass NULL), or with an empty one, the empty string and no password at
 * all are tried, as OpenSSL and Windows do (they derive different keys);
 * MKCSR_E_SECRET_UNAVAILABLE when neither opens a file that pass was NULL
 * for.  On error *out is cleared; the message names path and what is wrong
 * (the password, a damaged safe, a missing legacy provider).
 */
enum mkcsr_err pfxread_decode(const char *path, const unsigned char *data, size_t len, const char *pass,
			      struct mkcsr_pfx_file *out);

/* pfxread_decode of the file at path. */
enum mkcsr_err pfxread_load(const char *path, const char *pass, struct mkcsr_pfx_file *out);

/*
 * What the other commands take from a PFX: its key (the first that one of
 * its certificates carries, else the first; NULL when it has none),
 * up-referenced for the caller, and every certificate appended to certs
 * (up-referenced, source = path), the leaf first (the certificate of that
 * key, else chain_find_leaf's pick), then the others in file order.  An
 * error for a PFX that holds no certificate.
 */
enum mkcsr_err pfxread_parts(const struct mkcsr_pfx_file *pfx, EVP_PKEY **key, struct mkcsr_certset *certs);

/* The profile of Windows that imports it (its weakest link), and the mkcsr pfx profile it matches, if any. */
enum mkcsr_pfx_profile pfxread_windows(const struct mkcsr_pfx_file *pfx, bool *is_mkcsr_profile,
				       enum mkcsr_pfx_profile *mkcsr_profile);

/*
 * What a file that is not protected lacks, or NULL: "is not protected by a
 * password: ...", "has no integrity MAC: ..."; to follow the file's name.
 */
const char *pfxread_protection_note(const struct mkcsr_pfx_file *pfx);

/* A bag kind as mkcsr inspect names it: "certificate", "shrouded key", ... */
const char *pfxread_bag_kind_name(enum mkcsr_pfx_bag_kind kind);

void pfxread_clear(struct mkcsr_pfx_file *pfx);

/* An encryption algorithm identifier (of a safe, a key bag, or an encrypted PKCS#8 key file) described. */
void pfxread_describe_pbe(const X509_ALGOR *alg, struct mkcsr_pbe *out);

/*
 * Loads OpenSSL's legacy provider (once per process) for what, at path,
 * "its certificates are" / "the key is" encrypted with algorithm; an
 * error naming all three when it is not installed.
 */
enum mkcsr_err pfxread_need_legacy(const char *path, const char *what, const char *algorithm);

#endif
