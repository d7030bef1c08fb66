/*
 * The certreq INF reader and writer: read (inf_load_data, inf_apply,
 * request_finalize, as mkcsr new --inf does), write (inf_write, as
 * --write-inf does), read that again: the writer's INF is always accepted,
 * and it describes the same request (writing it again gives the same
 * bytes).  Both encodings the writer has are tried, by the input's length.
 */
#include <config.h>

#include <string.h>

#include <openssl/err.h>

#include "err.h"
#include "fuzz.h"
#include "inf.h"
#include "request.h"

/* The request an INF file makes, written back as an INF; NULL when the file is refused. */
static unsigned char *read_write(const unsigned char *data, size_t size, enum inf_encoding encoding, size_t *out_len,
				 enum mkcsr_err *rc)
{
	static const struct inf_define host = { "HOST", "vpn.example.com" };
	struct inf_file inf = { 0 };
	struct mkcsr_request req;
	unsigned char *out = NULL;

	*out_len = 0;
	*rc = request_init(&req);
	if (*rc == MKCSR_E_OK)
		*rc = inf_load_data("fuzz.inf", data, size, &host, 1, &inf);
	if (*rc == MKCSR_E_OK)
		*rc = inf_apply(&inf, &req);
	if (*rc == MKCSR_E_OK)
		*rc = request_finalize(&req);
	if (*rc == MKCSR_E_OK)
		*rc = inf_write(&req, encoding, &out, out_len);
	inf_clear(&inf);
	request_clear(&req);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum inf_encoding encoding = size % 2 ? INF_UTF8 : INF_UTF16LE;
	unsigned char *first, *second = NULL;
	size_t first_len, second_len = 0;
	enum mkcsr_err rc;

	if (size == 0 || size > 64 * 1024)
		return 0;
	first = read_write(data, size, encoding, &first_len, &rc);
	if (first == NULL) {
		FUZZ_ASSERT(rc != MKCSR_E_OK && err_detail()[0] != '\0');
		goto done;
	}
	second = read_write(first, first_len, encoding, &second_len, &rc);
	if (second == NULL)
		fprintf(stderr, "the written INF is refused: %s\n", err_detail());
	FUZZ_ASSERT(second != NULL);
	FUZZ_ASSERT(second_len == first_len && memcmp(first, second, first_len) == 0);
done:
	free(first);
	free(second);
	err_clear();
	ERR_clear_error();
	return 0;
}
