/*
 * test_json_check.c - unit tests of the pre-flight check of JSON text
 * before it is loaded as jsonb (src/core/json_check.c).
 */
#include <stdio.h>
#include <string.h>

#include "json_check.h"
#include "unit.h"

/* 'in' gives 'want' (at byte 'want_pos' when it is a problem). */
static void
check(const char *in, bool ascii_only, bounce_json_problem want, size_t want_pos)
{
	size_t		pos = 99999;
	bounce_json_problem got = bounce_json_check(in, strlen(in), ascii_only, &pos);

	CHECK(got == want && (want == BOUNCE_JSON_OK || pos == want_pos),
		  "json %s%s: %s (got: %s at %zu)", ESC(in), ascii_only ? " (ASCII escapes only)" : "",
		  bounce_json_problem_message(want), bounce_json_problem_message(got), pos);
}

/* Nesting at and beyond the limit, outside and inside strings. */
static void
test_depth(void)
{
	char		deep[BOUNCE_JSON_MAX_DEPTH + 3];
	char		quoted[BOUNCE_JSON_MAX_DEPTH + 10];

	memset(deep, '[', BOUNCE_JSON_MAX_DEPTH);
	deep[BOUNCE_JSON_MAX_DEPTH] = '\0';
	check(deep, false, BOUNCE_JSON_OK, 0);
	deep[BOUNCE_JSON_MAX_DEPTH] = '{';
	deep[BOUNCE_JSON_MAX_DEPTH + 1] = '\0';
	check(deep, false, BOUNCE_JSON_TOO_DEEP, BOUNCE_JSON_MAX_DEPTH);
	/* closing brackets give the depth back */
	check("[[[]]],[[[]]],{\"a\":[{}]}", false, BOUNCE_JSON_OK, 0);
	/* brackets inside strings do not nest */
	quoted[0] = '"';
	memset(quoted + 1, '[', BOUNCE_JSON_MAX_DEPTH + 5);
	strcpy(quoted + BOUNCE_JSON_MAX_DEPTH + 6, "\"");
	check(quoted, false, BOUNCE_JSON_OK, 0);
	/* an escaped quote does not end a string */
	check("\"\\\"[[[\"", false, BOUNCE_JSON_OK, 0);
}

/* Escapes that text cannot hold, or that only UTF-8 databases can. */
static void
test_escapes(void)
{
	check("{\"a\":\"x\\u0000y\"}", false, BOUNCE_JSON_NUL_ESCAPE, 7);
	check("{\"a\\u0000\":1}", false, BOUNCE_JSON_NUL_ESCAPE, 3);
	check("\"\\\\u0000\"", false, BOUNCE_JSON_OK, 0);	/* an escaped backslash, then text */
	check("\"\\ud83d\\ude00\"", false, BOUNCE_JSON_OK, 0);
	check("\"\\ud83d\"", false, BOUNCE_JSON_SURROGATE, 1);
	check("\"\\ud83dx\"", false, BOUNCE_JSON_SURROGATE, 1);
	check("\"\\ude00\"", false, BOUNCE_JSON_SURROGATE, 1);
	check("\"\\ud83d\\u0041\"", false, BOUNCE_JSON_SURROGATE, 1);
	check("\"caf\\u00e9\"", false, BOUNCE_JSON_OK, 0);
	check("\"caf\\u00e9\"", true, BOUNCE_JSON_NON_ASCII_ESCAPE, 4);
	check("\"\\ud83d\\ude00\"", true, BOUNCE_JSON_NON_ASCII_ESCAPE, 1);
	check("\"A\\u0041\\n\\t\\/\"", true, BOUNCE_JSON_OK, 0);
	/* malformed escapes are the parser's business */
	check("\"\\u12\"", false, BOUNCE_JSON_OK, 0);
	check("\"\\", false, BOUNCE_JSON_OK, 0);
	check("\"unterminated", false, BOUNCE_JSON_OK, 0);
}

/* Numbers: weight and precision at and beyond the limit. */
static void
test_numbers(void)
{
	char		buf[1200];

	check("[1, -2.5, 1e3, 1E+3, 2e-5, 0, -0.0, 0e999, 1521233195.375624]", false, BOUNCE_JSON_OK, 0);
	check("1e1000", false, BOUNCE_JSON_OK, 0);
	check("1e1001", false, BOUNCE_JSON_HUGE_NUMBER, 0);
	check("[1, 1e-1001]", false, BOUNCE_JSON_HUGE_NUMBER, 4);
	check("1e-999", false, BOUNCE_JSON_OK, 0);
	check("0.001e-998", false, BOUNCE_JSON_HUGE_NUMBER, 0);	/* precision 1001 */
	check("1e99999999", false, BOUNCE_JSON_HUGE_NUMBER, 0);
	check("0e-99999999", false, BOUNCE_JSON_HUGE_NUMBER, 0);
	check("{\"n\": 1e00000000000000000001}", false, BOUNCE_JSON_HUGE_NUMBER, 6);
	/* 1001 digits (below 10^1001) are fine, 1002 are not */
	memset(buf, '7', 1001);
	buf[1001] = '\0';
	check(buf, false, BOUNCE_JSON_OK, 0);
	buf[1001] = '7';
	buf[1002] = '\0';
	check(buf, false, BOUNCE_JSON_HUGE_NUMBER, 0);
	check("1e-1000", false, BOUNCE_JSON_OK, 0);
	/* leading zeros carry no weight; digits in strings are no numbers */
	memset(buf, '0', 1100);
	strcpy(buf + 1100, "1");
	check(buf, false, BOUNCE_JSON_OK, 0);
	buf[1] = '.';
	strcpy(buf + 1100, "1e1000");		/* 10^-1099 * 10^1000: precision 99 */
	check(buf, false, BOUNCE_JSON_OK, 0);
	check("\"1e99999999\"", false, BOUNCE_JSON_OK, 0);
	check("-", false, BOUNCE_JSON_OK, 0);
	check("--1", false, BOUNCE_JSON_OK, 0);
}

/* Run the json_check group. */
void
run_json_check_tests(void)
{
	test_depth();
	test_escapes();
	test_numbers();
}
