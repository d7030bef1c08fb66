/*
 * The raw limit for mkcsr batch: generate a P-256 key with EVP and sign a
 * request-sized message with ECDSA-SHA256, N times, in one thread, with the
 * contexts set up once.  Prints the keys+signatures per second.
 *
 *   cc -O2 raw-keysign.c -o raw-keysign $(pkg-config --cflags --libs libcrypto)
 *   ./raw-keysign N
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	unsigned char msg[300] = { 0x30 }, sig[128];
	char group[] = "P-256";
	OSSL_PARAM params[2] = { OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
				 OSSL_PARAM_construct_end() };
	EVP_PKEY_CTX *gen = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	struct timespec a, b;

	if (gen == NULL || md == NULL || EVP_PKEY_keygen_init(gen) <= 0 || EVP_PKEY_CTX_set_params(gen, params) <= 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		EVP_PKEY *key = NULL;
		size_t sig_len = sizeof(sig);

		if (EVP_PKEY_generate(gen, &key) <= 0 || EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, key, NULL) <= 0 ||
		    EVP_DigestSign(md, sig, &sig_len, msg, sizeof(msg)) <= 0)
			return 1;
		EVP_PKEY_free(key);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n", (double)n / ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9));
	EVP_MD_CTX_free(md);
	EVP_PKEY_CTX_free(gen);
	return 0;
}
