/*
 * Private key loading (input_load_key_buffer): PKCS#8, traditional, PEM or
 * DER, encrypted or not; each input is read with the corpus's fixed
 * passphrase and without one.  A key that loads has a public half that
 * encodes; a key that loads without a passphrase loads with one too.
 */
#include <config.h>

#include <stdbool.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "err.h"
#include "fuzz.h"
#include "input.h"

/* Whether the key loaded. */
static bool load(const uint8_t *data, size_t size, const char *pass_source)
{
	EVP_PKEY *key = NULL;
	enum mkcsr_err rc = input_load_key_buffer(data, size, "fuzz.key", pass_source, "--key-pass", &key);

	FUZZ_ASSERT((rc == MKCSR_E_OK) == (key != NULL));
	if (key != NULL) {
		unsigned char *der = NULL;

		FUZZ_ASSERT(i2d_PUBKEY(key, &der) > 0);
		OPENSSL_free(der);
		EVP_PKEY_free(key);
	} else {
		FUZZ_ASSERT(err_detail()[0] != '\0');
		/* Without a passphrase source, an encrypted key names the option that gives one. */
		if (pass_source == NULL && rc == MKCSR_E_SECRET_UNAVAILABLE)
			FUZZ_ASSERT(strstr(err_detail(), "--key-pass SOURCE") != NULL);
	}
	err_clear();
	ERR_clear_error();
	return key != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool with_pass;

	if (size == 0 || size > 64 * 1024)
		return 0;
	with_pass = load(data, size, "pass:" FUZZ_PASSWORD);
	if (load(data, size, NULL))
		FUZZ_ASSERT(with_pass);
	return 0;
}
