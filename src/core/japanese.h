/*
 * japanese.h - read Japanese text as JIS X 0208 characters, whatever its
 * charset (pure C core, no postgres.h).
 *
 * Japanese notices arrive in ISO-2022-JP, Shift_JIS, EUC-JP or UTF-8.  All
 * four carry the same character set, JIS X 0208, so a text is folded to
 * its JIS codes (row << 8 | cell) and the phrase table's Japanese phrases
 * are compared in that form.  Three of the charsets map to JIS codes by
 * arithmetic; UTF-8 needs a table, and a small one suffices: the kana
 * (arithmetic too) and the kanji that the phrases use.
 */
#ifndef BOUNCE_JAPANESE_H
#define BOUNCE_JAPANESE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Codes that are no JIS character. */
#define BOUNCE_JA_SEP	0		/* ASCII, punctuation, white space: ends a phrase */
#define BOUNCE_JA_OTHER	1		/* a UTF-8 character outside the small table */

/* The readings of a text: what its bytes may be. */
#define BOUNCE_JA_ISO2022_UTF8	0x01	/* ISO-2022-JP escapes and UTF-8 (never ambiguous) */
#define BOUNCE_JA_EUC			0x02	/* EUC-JP */
#define BOUNCE_JA_SJIS			0x04	/* Shift_JIS */

/* A fold in progress: the text, the reading, and the ISO-2022-JP state. */
typedef struct bounce_ja_fold
{
	const unsigned char *s;
	size_t		n;
	size_t		pos;
	int			reading;		/* one BOUNCE_JA_* reading */
	bool		jis;			/* inside ESC $ B (two-byte JIS) */
	bool		sep;			/* the last code written was BOUNCE_JA_SEP */
} bounce_ja_fold;

/*
 * The readings worth trying on s[0..n): ISO-2022-JP when it holds ESC $,
 * each of the others when it holds a kana in that charset (Japanese prose
 * always has kana; in UTF-8 any Japanese character will do).  0 for almost every text, so the caller skips the
 * rest.  EUC-JP and Shift_JIS cannot be told apart by their bytes alone,
 * and both may be tried; a phrase is several characters long, so a wrong
 * reading does not match one by chance.
 */
extern unsigned bounce_ja_readings(const char *s, size_t n);

/* Start folding s[0..n) in one reading. */
extern void bounce_ja_fold_init(bounce_ja_fold *f, const char *s, size_t n, int reading);

/*
 * Fold the next part of the text into out[0..cap): JIS codes, runs of
 * anything else as one BOUNCE_JA_SEP.  White space and escape sequences
 * produce nothing, so a phrase wrapped across lines still reads whole.
 * Returns the number of codes written, 0 at the end of the text.
 */
extern size_t bounce_ja_fold_next(bounce_ja_fold *f, uint16_t *out, size_t cap);

/*
 * True when s[at] lies inside an ISO-2022-JP two-byte run (after ESC $ B
 * on the same line): there '@' and the letters around it are halves of
 * JIS characters, not an address.
 */
extern bool bounce_ja_in_jis(const char *s, size_t at);

#endif							/* BOUNCE_JAPANESE_H */
