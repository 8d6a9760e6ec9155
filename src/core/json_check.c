/*
 * json_check.c - the pre-flight check of JSON text before it is loaded as
 * jsonb (see json_check.h).  One pass, no allocation; strings are walked
 * only for their escapes, numbers only for their size.
 */
#include "json_check.h"

#include <stdint.h>

/* ASCII digit. */
static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Value of a hex digit, or -1. */
static inline int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code unit of "\uXXXX" at s[i] (s[i] == '\\'), or -1 when it is not one. */
static long
unicode_escape(const unsigned char *s, size_t len, size_t i)
{
	long		v = 0;
	size_t		k;

	if (i + 6 > len || s[i] != '\\' || s[i + 1] != 'u')
		return -1;
	for (k = 2; k < 6; k++)
	{
		int			h = hex_value(s[i + k]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/*
 * Walk the string whose opening quote is at s[*i]; leaves *i on its
 * closing quote (or at len).  Returns the first problem of its escapes.
 */
static bounce_json_problem
check_string(const unsigned char *s, size_t len, size_t *i, bool ascii_only)
{
	size_t		p = *i + 1;

	while (p < len && s[p] != '"')
	{
		long		u;

		if (s[p] != '\\')
		{
			p++;
			continue;
		}
		u = unicode_escape(s, len, p);
		if (u < 0)
		{
			p += 2;				/* \n, \", ... or malformed: the parser judges */
			continue;
		}
		*i = p;
		if (u == 0)
			return BOUNCE_JSON_NUL_ESCAPE;
		if (u >= 0xDC00 && u <= 0xDFFF)
			return BOUNCE_JSON_SURROGATE;	/* a low half with no high half */
		if (u >= 0xD800 && u <= 0xDBFF)
		{
			long		low = unicode_escape(s, len, p + 6);

			if (low < 0xDC00 || low > 0xDFFF)
				return BOUNCE_JSON_SURROGATE;
			p += 6;
		}
		if (ascii_only && u > 0x7F)
			return BOUNCE_JSON_NON_ASCII_ESCAPE;
		p += 6;
	}
	*i = p;
	return BOUNCE_JSON_OK;
}

/*
 * Read the number that starts at s[*i] ('-' or a digit); leaves *i just
 * past it.  True when its decimal weight and precision are within the
 * limit: 1e1000, 1e-1000 and 0.(1000 digits) pass; 1e1001, 1e-1001 and
 * 0.(1001 digits) do not.
 */
static bool
check_number(const unsigned char *s, size_t len, size_t *i)
{
	size_t		p = *i;
	long		int_sig = 0,	/* digits before the point, leading zeros dropped */
				frac_digits = 0,
				frac_zeros = 0, /* zeros right after the point */
				exp = 0,
				weight,
				scale;
	bool		nonzero = false;
	bool		in_zeros = true;
	int			exp_digits = 0;
	bool		exp_neg = false;

	if (p < len && s[p] == '-')
		p++;
	for (; p < len && is_digit(s[p]); p++)
	{
		if (s[p] != '0' || nonzero)
		{
			nonzero = true;
			int_sig++;
		}
	}
	if (p < len && s[p] == '.')
	{
		for (p++; p < len && is_digit(s[p]); p++)
		{
			frac_digits++;
			if (s[p] != '0')
			{
				nonzero = true;
				in_zeros = false;
			}
			else if (in_zeros)
				frac_zeros++;
		}
	}
	if (p < len && (s[p] == 'e' || s[p] == 'E'))
	{
		p++;
		if (p < len && (s[p] == '+' || s[p] == '-'))
			exp_neg = s[p++] == '-';
		for (; p < len && is_digit(s[p]); p++)
		{
			if (exp_digits < 8)
				exp = exp * 10 + (s[p] - '0');
			exp_digits++;
		}
		if (exp_neg)
			exp = -exp;
	}
	*i = p;
	if (exp_digits > 7)
		return false;
	/* weight: the power of ten of the first significant digit */
	if (int_sig > 0)
		weight = int_sig - 1 + exp;
	else if (nonzero)
		weight = exp - frac_zeros - 1;
	else
		weight = 0;
	scale = frac_digits - exp;
	return weight <= BOUNCE_JSON_MAX_DIGITS && weight >= -BOUNCE_JSON_MAX_DIGITS &&
		scale <= BOUNCE_JSON_MAX_DIGITS;
}

/* See json_check.h. */
bounce_json_problem
bounce_json_check(const char *text, size_t len, bool ascii_escapes_only, size_t *pos)
{
	const unsigned char *s = (const unsigned char *) text;
	size_t		i = 0;
	int			depth = 0;

	*pos = 0;
	while (i < len)
	{
		unsigned char c = s[i];

		if (c == '"')
		{
			bounce_json_problem p = check_string(s, len, &i, ascii_escapes_only);

			if (p != BOUNCE_JSON_OK)
			{
				*pos = i;
				return p;
			}
			i++;
		}
		else if (c == '{' || c == '[')
		{
			if (++depth > BOUNCE_JSON_MAX_DEPTH)
			{
				*pos = i;
				return BOUNCE_JSON_TOO_DEEP;
			}
			i++;
		}
		else if (c == '}' || c == ']')
		{
			if (depth > 0)
				depth--;
			i++;
		}
		else if (c == '-' || is_digit(c))
		{
			size_t		start = i;

			if (!check_number(s, len, &i))
			{
				*pos = start;
				return BOUNCE_JSON_HUGE_NUMBER;
			}
		}
		else
			i++;
	}
	return BOUNCE_JSON_OK;
}

/* See json_check.h. */
const char *
bounce_json_problem_message(bounce_json_problem p)
{
	switch (p)
	{
		case BOUNCE_JSON_OK:
			return "no problem";
		case BOUNCE_JSON_TOO_DEEP:
			return "objects and arrays nested too deep";
		case BOUNCE_JSON_NUL_ESCAPE:
			return "a \\u0000 escape";
		case BOUNCE_JSON_SURROGATE:
			return "an unpaired surrogate escape";
		case BOUNCE_JSON_NON_ASCII_ESCAPE:
			return "a \\u escape above U+007F in a database that is not UTF-8";
		case BOUNCE_JSON_HUGE_NUMBER:
			return "a number too large or too precise";
	}
	return "unknown problem";
}
