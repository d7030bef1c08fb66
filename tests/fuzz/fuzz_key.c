/*
 * Private key loading (input_load_key_buffer): PKCS#8, traditional, PEM or
 * DER, encrypted or not; an encrypted key is opened with the corpus's fixed
 * passphrase.  A key that loads has a public half that encodes.
 */
#include <config.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "err.h"
#include "fuzz.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	EVP_PKEY *key = NULL;
	enum mkcsr_err rc;

	if (size == 0 || size > 64 * 1024)
		return 0;
	rc = input_load_key_buffer(data, size, "fuzz.key", "pass:" FUZZ_PASSWORD, "--key-pass", &key);
	FUZZ_ASSERT((rc == MKCSR_E_OK) == (key != NULL));
	if (key != NULL) {
		unsigned char *der = NULL;

		FUZZ_ASSERT(i2d_PUBKEY(key, &der) > 0);
		OPENSSL_free(der);
		EVP_PKEY_free(key);
	} else {
		FUZZ_ASSERT(err_detail()[0] != '\0');
	}
	err_clear();
	ERR_clear_error();
	return 0;
}
