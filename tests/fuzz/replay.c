/*
 * The replay driver: without libFuzzer, a harness is linked with this main,
 * which feeds it every file named on the command line, and every file in
 * every directory named there (not recursively), in name order.  Options
 * (arguments starting with '-', as libFuzzer's -runs=0) are ignored, so
 * that the replay script runs both kinds of build the same way.  Exits 0
 * when every input ran; a crash or a broken property aborts.
 */
#include <config.h>

#ifndef MKCSR_LIBFUZZER

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, size = 0;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (;;) {
		size_t n;

		if (len == size) {
			unsigned char *grown = realloc(data, size ? 2 * size : 4096);

			if (grown == NULL) {
				fprintf(stderr, "replay: %s: out of memory\n", path);
				free(data);
				fclose(f);
				return 1;
			}
			data = grown;
			size = size ? 2 * size : 4096;
		}
		n = fread(data + len, 1, size - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	/* An exact-size copy, so that AddressSanitizer sees a read past the end. */
	{
		unsigned char *exact = malloc(len ? len : 1);

		if (exact == NULL) {
			free(data);
			return 1;
		}
		memcpy(exact, data, len);
		free(data);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int failed = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char **grown;

		if (e->d_name[0] == '.')
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (grown == NULL || asprintf(&grown[n], "%s/%s", dir, e->d_name) < 0) {
			fprintf(stderr, "replay: %s: out of memory\n", dir);
			closedir(d);
			return 1;
		}
		names = grown;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		failed |= run_file(names[i]);
		free(names[i]);
	}
	free(names);
	*count += n;
	return failed;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int failed = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (argv[i][0] == '-')
			continue;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			failed |= run_dir(argv[i], &count);
		} else {
			failed |= run_file(argv[i]);
			count++;
		}
	}
	printf("replay: %zu inputs\n", count);
	return failed;
}

#endif
