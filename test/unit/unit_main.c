/*
 * unit_main.c - runs every unit test group of the pure C core.
 */
#include "unit.h"

#include <stdlib.h>

extern void run_dsn_tests(void);
extern void run_dsn_context_tests(void);
extern void run_dsn_kind_tests(void);
extern void run_sha256_tests(void);
extern void run_verp_tests(void);
extern void run_sender_side_tests(void);
extern void run_json_check_tests(void);
extern void run_japanese_tests(void);
extern void run_scripts_tests(void);

int			unit_passed = 0;
int			unit_failed = 0;

/* Printable copy of s[0..len) for test descriptions (TAP lines stay one line). */
const char *
esc(const char *s, size_t len)
{
	static char bufs[8][400];
	static int	next = 0;
	char	   *b = bufs[next];
	size_t		i,
				n = 0;

	next = (next + 1) % 8;
	for (i = 0; i < len && n < 320; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '\n')
			n += (size_t) sprintf(b + n, "\\n");
		else if (c == '\r')
			n += (size_t) sprintf(b + n, "\\r");
		else if (c == '\t')
			n += (size_t) sprintf(b + n, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			n += (size_t) sprintf(b + n, "\\x%02x", c);
		else
			b[n++] = (char) c;
	}
	if (i < len)
		n += (size_t) sprintf(b + n, "...");
	b[n] = '\0';
	return b;
}

/* Run all groups, print the summary, fail the process on any failure. */
int
main(void)
{
	test_reply();
	test_classify();
	test_phrases();
	run_address_tests();
	run_dsn_tests();
	run_dsn_context_tests();
	run_japanese_tests();
	run_scripts_tests();
	run_dsn_kind_tests();
	run_sha256_tests();
	run_verp_tests();
	run_sender_side_tests();
	run_policy_tests();
	run_json_check_tests();
	printf("# %d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed == 0 ? 0 : 1;
}
