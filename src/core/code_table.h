/*
 * code_table.h - look a code up in a table of {code, value} pairs sorted
 * by code, as the charset folders (japanese.c, scripts.c) and the phrase
 * tables of other scripts (phrases.c) keep theirs.
 */
#ifndef BOUNCE_CODE_TABLE_H
#define BOUNCE_CODE_TABLE_H

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

#endif							/* BOUNCE_CODE_TABLE_H */
