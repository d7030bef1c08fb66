/*
 * PFX (PKCS#12) reading: pfxread_decode with the corpus's password and
 * with the empty one (a PFX made without a password; a wrong password is
 * refused as such),
 * then what the other commands take from it (pfxread_parts: the key and the
 * certificates, leaf first, appended to a set that a --chain file then
 * grows, as mkcsr pfx does), the Windows profile and every bag's kind.
 * Properties: each bag points at a certificate or key that exists; the
 * parts' first certificate is the leaf and every certificate is there.
 */
#include <config.h>

#include <string.h>

#include <openssl/err.h>

#include "chain.h"
#include "err.h"
#include "fuzz.h"
#include "pfxread.h"

/* A --chain file after the PFX's certificates, as mkcsr pfx --cert in.pfx --chain ca.pem reads them (a self-signed one). */
static const char chain_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBfzCCASWgAwIBAgIUWUHH0t8KKhBXRcGr0IfIkrfXQ4QwCgYIKoZIzj0EAwIw\n"
	"FTETMBEGA1UEAwwKZnV6ei1jaGFpbjAeFw0yNjEyMDUxNDI1NDVaFw0zNjEyMDIx\n"
	"NDI1NDVaMBUxEzARBgNVBAMMCmZ1enotY2hhaW4wWTATBgcqhkjOPQIBBggqhkjO\n"
	"PQMBBwNCAATMczRorI0qSs3CkBChkpbjLok4mYv7lRCOWnojklKeMl2QwFUhY2/6\n"
	"v3SVUP58hElODYkq51xoW8wmT0J1dTExo1MwUTAdBgNVHQ4EFgQU/qMnbYSVnDM5\n"
	"1MWS//Xx3IMjkjIwHwYDVR0jBBgwFoAU/qMnbYSVnDM51MWS//Xx3IMjkjIwDwYD\n"
	"VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAMry5IzPZw5Ay5MdLV1NRM\n"
	"amtpNUWEzCWeXYzU/SehSQIhAKgqhkDOqD1jJjjvXoxLJu5kBiATXviS3OX5BOxc\n"
	"XIbB\n"
	"-----END CERTIFICATE-----\n";

static void read_pfx(const uint8_t *data, size_t size, const char *pass)
{
	struct mkcsr_pfx_file pfx = { 0 };
	struct mkcsr_certset parts = { 0 };
	enum mkcsr_pfx_profile matched;
	EVP_PKEY *key = NULL;
	bool is_profile;
	enum mkcsr_err rc = pfxread_decode("fuzz.pfx", data, size, pass, &pfx);

	if (rc != MKCSR_E_OK) {
		FUZZ_ASSERT(err_detail()[0] != '\0');
		goto done;
	}
	for (size_t i = 0; i < pfx.bag_count; i++) {
		FUZZ_ASSERT(pfx.bags[i].cert <= pfx.certs.count);
		FUZZ_ASSERT(pfx.bags[i].key <= pfx.key_count);
		FUZZ_ASSERT(pfxread_bag_kind_name(pfx.bags[i].kind) != NULL);
	}
	(void)pfxread_windows(&pfx, &is_profile, &matched);
	if (pfxread_parts(&pfx, &key, &parts) == MKCSR_E_OK) {
		FUZZ_ASSERT(parts.count == pfx.certs.count);
		/* mkcsr pfx adds the --chain files to the PFX's certificates. */
		FUZZ_ASSERT(chain_load_buffer(&parts, (const unsigned char *)chain_pem, sizeof(chain_pem) - 1, "chain.pem") ==
			    MKCSR_E_OK);
		FUZZ_ASSERT(parts.count >= pfx.certs.count);
	}
done:
	EVP_PKEY_free(key);
	chain_clear(&parts);
	pfxread_clear(&pfx);
	err_clear();
	ERR_clear_error();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 64 * 1024)
		return 0;
	if (!pfxread_is_pfx(data, size))
		return 0;
	read_pfx(data, size, FUZZ_PASSWORD);
	read_pfx(data, size, "");
	return 0;
}
