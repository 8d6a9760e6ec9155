/*
 * fuzz_address.c - libFuzzer harness of the address normalizer
 * (src/core/address.c).
 *
 * Checks on every input: the output is never longer than the input nor
 * than 254 bytes, contains exactly one separating '@' with a non-empty
 * local part and domain, no ASCII upper case and no white space outside a
 * quoted local part; normalizing the output again gives the output itself
 * (idempotence); on failure the error position lies inside the input.
 */
#include "address.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless cond: libFuzzer and the replay both report the crash. */
#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

/* Invariants of one normalized address out[0..n). */
static void
check_normalized(const char *out, size_t n)
{
	size_t		i;
	int			quoted = out[0] == '"';

	REQUIRE(n > 0 && n <= BOUNCE_ADDRESS_MAX);
	REQUIRE(out[n - 1] != '@' && out[0] != '@');
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) out[i];

		REQUIRE(!(c >= 'A' && c <= 'Z'));
		REQUIRE(c != '\0');
		if (!quoted)
			REQUIRE(c != ' ' && c != '\t' && c != '\r' && c != '\n');
		if (quoted && i > 0 && c == '"' && out[i - 1] != '\\')
			quoted = 0;
	}
	REQUIRE(memchr(out, '@', n) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *out = malloc(size + 1);
	char	   *again = malloc(size + 1);
	size_t		n = 0,
				n2 = 0,
				pos = 0;
	bounce_address_error err;

	if (out == NULL || again == NULL)
		abort();
	if (bounce_address_normalize((const char *) data, size, out, &n, &err, &pos))
	{
		REQUIRE(n <= size);
		REQUIRE(err == BOUNCE_ADDR_OK);
		check_normalized(out, n);
		/* normalizing a normalized address changes nothing */
		REQUIRE(bounce_address_normalize(out, n, again, &n2, &err, &pos));
		REQUIRE(n2 == n && memcmp(out, again, n) == 0);
	}
	else
	{
		REQUIRE(err != BOUNCE_ADDR_OK);
		REQUIRE(pos <= size);
		REQUIRE(bounce_address_error_message(err) != NULL);
	}
	free(out);
	free(again);
	return 0;
}
