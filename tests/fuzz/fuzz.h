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

#endif
