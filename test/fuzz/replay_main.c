/*
 * replay_main.c - runs a libFuzzer harness without libFuzzer: every file of
 * the directories (or the files) given on the command line goes through
 * LLVMFuzzerTestOneInput once, under whatever sanitizers the build uses.
 * Generic: link it with any test/fuzz/fuzz_NAME.c.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feed one file to the harness; returns 0 on success, -1 if unreadable. */
static int
replay_file(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	uint8_t    *data;
	long		len;
	size_t		got;

	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
	{
		fclose(f);
		return -1;
	}
	/* malloc(0) may return NULL: always ask for at least one byte */
	data = malloc((size_t) len + 1);
	if (data == NULL)
	{
		fclose(f);
		return -1;
	}
	got = fread(data, 1, (size_t) len, f);
	fclose(f);
	if (got != (size_t) len)
	{
		free(data);
		return -1;
	}
	LLVMFuzzerTestOneInput(data, (size_t) len);
	free(data);
	return 0;
}

/* Replay every regular file of a directory; returns the count or -1. */
static long
replay_dir(const char *dir)
{
	DIR		   *d = opendir(dir);
	struct dirent *e;
	long		n = 0;
	char		path[4096];
	struct stat st;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
	{
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) != 0)
		{
			fprintf(stderr, "cannot read %s\n", path);
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

/* Replay each argument (directory or file); "not ok" when one is missing or empty. */
int
main(int argc, char **argv)
{
	int			i;
	int			rc = 0;

	if (argc < 2)
	{
		printf("not ok - replay: no directory given\n");
		return 1;
	}
	for (i = 1; i < argc; i++)
	{
		struct stat st;
		long		n;

		if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode))
			n = replay_file(argv[i]) == 0 ? 1 : -1;
		else
			n = replay_dir(argv[i]);
		if (n <= 0)
		{
			printf("not ok - replay %s: %s\n", argv[i], n < 0 ? "missing or unreadable" : "no inputs");
			rc = 1;
		}
		else
			printf("ok - replay %s: %ld inputs\n", argv[i], n);
	}
	return rc;
}
