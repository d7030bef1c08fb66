/*
 * mkcsr inspect on any file: the entry point (inspect_buffer), then both
 * renderers' input (the JSON document) serialised, as the command does.
 * Each input is read twice: with the corpus's password (for the PFX files
 * and encrypted keys) and without one, as inspect is run without --pass.
 */
#include <config.h>

#include <string.h>

#include <jansson.h>
#include <openssl/err.h>

#include "err.h"
#include "fuzz.h"
#include "inspect.h"

static void inspect(const uint8_t *data, size_t size, const char *pass)
{
	json_t *doc = NULL;
	enum mkcsr_err rc = inspect_buffer("fuzz.input", data, size, pass, FUZZ_NOW, NULL, &doc);

	FUZZ_ASSERT((rc == MKCSR_E_OK) == (doc != NULL));
	if (doc != NULL) {
		char *text = json_dumps(doc, JSON_SORT_KEYS);

		/* The document always says what the file is. */
		FUZZ_ASSERT(json_is_string(json_object_get(doc, "type")));
		FUZZ_ASSERT(text != NULL);
		free(text);
		json_decref(doc);
	} else {
		/* Every refusal explains itself. */
		FUZZ_ASSERT(err_detail()[0] != '\0');
	}
	err_clear();
	ERR_clear_error();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 256 * 1024)
		return 0;
	inspect(data, size, FUZZ_PASSWORD);
	inspect(data, size, NULL);
	return 0;
}
