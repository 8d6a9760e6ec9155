/*
 * chars.h - what the charset folders (japanese.c, scripts.c) and the
 * phrase tables of other scripts (phrases.c) share: a code looked up in a
 * table of {code, value} pairs sorted by code, and a UTF-8 character.
 */
#ifndef BOUNCE_CHARS_H
#define BOUNCE_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The index of code in t[0..n), or -1 when absent (binary search). */
static inline int
bounce_code_find(const uint16_t (*t)[2], int n, unsigned code)
{
	int			lo = 0,
				hi = n - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (t[mid][0] == code)
			return mid;
		if (t[mid][0] < code)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * The UTF-8 character at s[0..left), s[0] >= 0x80: its code point in *cp
 * and its length, or 0 when the bytes are no well-formed UTF-8 (RFC 3629:
 * no overlong form, no surrogate, nothing above U+10FFFF).
 */
static inline size_t
bounce_utf8_char(const unsigned char *s, size_t left, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t		want = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC2 ? 1 : 0;
	unsigned char lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
	unsigned char hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
	size_t		k;

	if (want == 0 || b > 0xF4 || left <= want || s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k <= want; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	*cp = want == 1 ? (uint32_t) (b & 0x1F) : want == 2 ? (uint32_t) (b & 0x0F) : (uint32_t) (b & 0x07);
	for (k = 1; k <= want; k++)
		*cp = *cp << 6 | (uint32_t) (s[k] & 0x3F);
	return want + 1;
}

/*
 * Append a folded code to out[*w], as both folders write them: a run of
 * separators (sep) becomes one (*in_sep: the last code written was one),
 * and 0xFFFF (an escape sequence, a line end) writes nothing.
 */
static inline void
bounce_fold_put(uint16_t *out, size_t *w, uint16_t code, uint16_t sep, bool *in_sep)
{
	if (code == 0xFFFF || (code == sep && *in_sep))
		return;
	*in_sep = code == sep;
	out[(*w)++] = code;
}

#endif							/* BOUNCE_CHARS_H */
