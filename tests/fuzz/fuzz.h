#ifndef MKCSR_FUZZ_H
#define MKCSR_FUZZ_H

/*
 * Shared by the libFuzzer harnesses in tests/fuzz/.  Each harness defines
 * LLVMFuzzerTestOneInput and is linked either with libFuzzer (configure
 * --enable-fuzzing CC=clang; make fuzz) or with replay.c, which feeds it
 * the files of its committed corpus under make check.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "Now" for every harness: results do not depend on the day the corpus is replayed. */
#define FUZZ_NOW ((time_t)1767225600)  /* 2026-01-01 00:00:00 UTC */

/* The passphrase of the corpus's encrypted keys and PFX files. */
#define FUZZ_PASSWORD "mkcsr-fuzz"

/* A property every input must keep; a failure is a finding, reported like a crash. */
#define FUZZ_ASSERT(cond)                                                                                \
	do {                                                                                             \
		if (!(cond)) {                                                                           \
			fprintf(stderr, "%s:%d: property does not hold: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                         \
		}                                                                                        \
	} while (0)

/*
 * tests/data/certs/leaf-good.pem: vpn.example.com, issued by the test issuing CA,
 * valid 2026-2028, naming a CRL and an OCSP address (the manifest and
 * revocation harnesses both start from it).
 */
static inline const char *fuzz_leaf_good_pem(void)
{
	return "-----BEGIN CERTIFICATE-----\n"
	       "MIICPTCCAeOgAwIBAgICIAEwCgYIKoZIzj0EAwIwRjELMAkGA1UEBhMCVVMxFzAV\n"
	       "BgNVBAoMDm1rY3NyIFRlc3QgUEtJMR4wHAYDVQQDDBVta2NzciBUZXN0IElzc3Vp\n"
	       "bmcgQ0EwHhcNMjYwMTAxMDAwMDAwWhcNMjgwMTAxMDAwMDAwWjAaMRgwFgYDVQQD\n"
	       "DA92cG4uZXhhbXBsZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATrqEWm\n"
	       "TuiFq50EW8TI0oUYEhczd83ab+CcuI/51EiQJyHjcq2kUtwXSDhg/XaIJKf/u+Ep\n"
	       "3NdAgnwpJKvg5bKio4HsMIHpMBoGA1UdEQQTMBGCD3Zwbi5leGFtcGxlLmNvbTAO\n"
	       "BgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFBhc\n"
	       "XYbYjsgVtuuPTmUHHLDLFRSFMB8GA1UdIwQYMBaAFLPv0gMOSm/9UVY7g3DjNhBg\n"
	       "GV1dMDEGA1UdHwQqMCgwJqAkoCKGIGh0dHA6Ly9jcmwuZXhhbXBsZS5jb20vaW50\n"
	       "ZXIuY3JsMDMGCCsGAQUFBwEBBCcwJTAjBggrBgEFBQcwAYYXaHR0cDovL29jc3Au\n"
	       "ZXhhbXBsZS5jb20wCgYIKoZIzj0EAwIDSAAwRQIgAtUrzu7ilxX43SvE/IBRy4Cq\n"
	       "er3SWmM8HJlvEZYeSAACIQCDcsKx/g6EpbT9OtaJDS8mI2dzfOOIE6yY7gocHv2B\n"
	       "nA==\n"
	       "-----END CERTIFICATE-----\n";
}

#endif
