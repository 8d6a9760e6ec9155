/*
 * fuzz_json_check.c - libFuzzer harness of the pre-flight JSON check
 * (src/core/json_check.c).
 *
 * Checks on every input, in both modes: no read outside the input (the
 * sanitizers), a problem's position lies inside the input, the same input
 * gives the same answer, and a text that passes with ASCII escapes only
 * also passes without that restriction (it only ever adds problems).
 */
#include "json_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless cond: libFuzzer and the replay both report the crash. */
#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly 'size' bytes, so any over-read is caught */
	char	   *copy = malloc(size ? size : 1);
	size_t		pos_u = 0,
				pos_a = 0,
				pos_again = 0;
	bounce_json_problem any,
				ascii,
				again;

	if (copy == NULL)
		abort();
	if (size)
		memcpy(copy, data, size);
	any = bounce_json_check(copy, size, false, &pos_u);
	ascii = bounce_json_check(copy, size, true, &pos_a);
	again = bounce_json_check(copy, size, false, &pos_again);
	REQUIRE(any == again && pos_u == pos_again);
	REQUIRE(any == BOUNCE_JSON_OK || pos_u < size);
	REQUIRE(ascii == BOUNCE_JSON_OK || pos_a < size);
	REQUIRE(ascii != BOUNCE_JSON_OK || any == BOUNCE_JSON_OK);
	REQUIRE(bounce_json_problem_message(any) != NULL);
	free(copy);
	return 0;
}
