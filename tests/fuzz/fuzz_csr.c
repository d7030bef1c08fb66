/*
 * Request loading (input_load_csr_buffer): PEM with either header, CRLF,
 * text around it, or DER.  A request that loads re-encodes, and the
 * encoding reads back as the same request.
 */
#include <config.h>

#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "err.h"
#include "fuzz.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	X509_REQ *req = NULL, *again = NULL;
	unsigned char *der = NULL;
	int der_len;
	enum mkcsr_err rc;

	if (size == 0 || size > 64 * 1024)
		return 0;
	rc = input_load_csr_buffer(data, size, "fuzz.csr", &req);
	FUZZ_ASSERT((rc == MKCSR_E_OK) == (req != NULL));
	if (req == NULL) {
		FUZZ_ASSERT(err_detail()[0] != '\0');
		goto done;
	}
	der_len = i2d_X509_REQ(req, &der);
	if (der_len > 0) {
		rc = input_load_csr_buffer(der, (size_t)der_len, "fuzz.der", &again);
		FUZZ_ASSERT(rc == MKCSR_E_OK);
		(void)X509_REQ_get_subject_name(again);
	}
done:
	OPENSSL_free(der);
	X509_REQ_free(again);
	X509_REQ_free(req);
	err_clear();
	ERR_clear_error();
	return 0;
}
