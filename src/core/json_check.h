/*
 * json_check.h - a pre-flight check of JSON text that the glue is about to
 * load as jsonb (pure C, no postgres.h, no allocation).
 *
 * A webhook can carry JSON inside a JSON string (Amazon SNS puts the SES
 * notification in "Message").  Loading that text must never fail, and on
 * PostgreSQL 15 the server's jsonb input has no soft errors: a syntax
 * error can be found first with the server's own parser, but some valid
 * JSON still cannot be loaded and makes jsonb input throw.  This check
 * finds those, and a little more (it is conservative):
 *   - nesting deeper than BOUNCE_JSON_MAX_DEPTH (the parser recurses and
 *     stops at the stack limit with an error);
 *   - the escape \u0000 and unpaired surrogate escapes (text cannot hold
 *     them);
 *   - with 'ascii_escapes_only' (a database that is not UTF-8), any \u
 *     escape above U+007F (the conversion to the server encoding throws);
 *   - numbers whose decimal exponent or precision is beyond
 *     BOUNCE_JSON_MAX_DIGITS (numeric input throws far beyond it).
 * It is not a syntax check: text it passes may still be malformed JSON.
 */
#ifndef BOUNCE_JSON_CHECK_H
#define BOUNCE_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Why text cannot be loaded; a stable code plus a static English message. */
typedef enum bounce_json_problem
{
	BOUNCE_JSON_OK = 0,
	BOUNCE_JSON_TOO_DEEP,		/* objects and arrays nested too deep */
	BOUNCE_JSON_NUL_ESCAPE,		/* \u0000 */
	BOUNCE_JSON_SURROGATE,		/* a surrogate escape that is not a valid pair */
	BOUNCE_JSON_NON_ASCII_ESCAPE,	/* \u escape above U+007F, ASCII only asked */
	BOUNCE_JSON_HUGE_NUMBER		/* exponent or precision beyond the limit */
} bounce_json_problem;

/* Deepest nesting of objects and arrays accepted (webhooks use under 20). */
#define BOUNCE_JSON_MAX_DEPTH 256

/* Largest decimal exponent (either sign) and fractional precision accepted. */
#define BOUNCE_JSON_MAX_DIGITS 1000

/*
 * Check s[0, len).  Returns BOUNCE_JSON_OK or the first problem found,
 * with *pos set to its byte offset.
 */
extern bounce_json_problem bounce_json_check(const char *s, size_t len,
											 bool ascii_escapes_only,
											 size_t *pos);

/* English description of a problem ("nested too deep", ...). */
extern const char *bounce_json_problem_message(bounce_json_problem p);

#endif							/* BOUNCE_JSON_CHECK_H */
