/*
 * japanese.c - fold Japanese text to JIS X 0208 codes (see japanese.h).
 *
 * The conversions are those of the charsets' definitions: ISO-2022-JP
 * (RFC 1468) carries JIS codes as byte pairs between ESC $ B and ESC ( B;
 * EUC-JP sets the high bit of both bytes; Shift_JIS folds two rows into
 * one lead byte; UTF-8 maps the kana by offset and the kanji by the table
 * below (the Unicode code points of the JIS X 0208 kanji that the phrase
 * table uses; a test checks that every phrase folds without a gap).
 */
#include "japanese.h"

#include <string.h>

#include "chars.h"

/* Unicode code point -> JIS X 0208 code, sorted by code point. */
static const uint16_t kanji[][2] = {
	{0x4E00, 0x306C}, {0x4E0A, 0x3E65}, {0x4E0D, 0x4954}, {0x4E2D, 0x4366},
	{0x4E45, 0x3557}, {0x4F11, 0x3559}, {0x4FE1, 0x3F2E}, {0x505C, 0x4464},
	{0x5143, 0x3835}, {0x5148, 0x4068}, {0x518D, 0x3A46}, {0x51FA, 0x3D50},
	{0x5224, 0x483D}, {0x5229, 0x4D78}, {0x5236, 0x4029}, {0x52D5, 0x4630},
	{0x53D7, 0x3C75}, {0x5426, 0x485D}, {0x5728, 0x3A5F}, {0x5927, 0x4267},
	{0x5931, 0x3C3A}, {0x5B58, 0x4238}, {0x5B9A, 0x446A}, {0x5B9B, 0x3038},
	{0x5BB9, 0x4D46}, {0x5C4A, 0x464F}, {0x5EF6, 0x3164}, {0x5FDC, 0x317E},
	{0x5FF5, 0x4730}, {0x6052, 0x3931}, {0x60D1, 0x4F47}, {0x62D2, 0x3571},
	{0x6557, 0x4754}, {0x65AD, 0x4347}, {0x660E, 0x4C40}, {0x6642, 0x3B7E},
	{0x6687, 0x324B}, {0x672A, 0x4C24}, {0x676F, 0x4755}, {0x691C, 0x3821},
	{0x6B62, 0x3B5F}, {0x7528, 0x4D51}, {0x767B, 0x4550}, {0x7684, 0x452A},
	{0x7B54, 0x457A}, {0x7D99, 0x3751}, {0x7D9A, 0x4233}, {0x8005, 0x3C54},
	{0x80FD, 0x473D}, {0x81EA, 0x3C2B}, {0x884C, 0x3954}, {0x898B, 0x382B},
	{0x8A2D, 0x405F}, {0x8A66, 0x3B6E}, {0x8D85, 0x4436}, {0x8FD4, 0x4A56},
	{0x8FF7, 0x4C42}, {0x9001, 0x4177}, {0x9045, 0x4359}, {0x904E, 0x3261},
	{0x9054, 0x4323}, {0x914D, 0x475B}, {0x91CF, 0x4E4C}, {0x9332, 0x4F3F},
	{0x9650, 0x3842},
};

#define NUM_KANJI ((int) (sizeof(kanji) / sizeof(kanji[0])))

/*
 * The code of JIS character (row, cell), both 0x21..0x7E.  Row 1 holds
 * punctuation and symbols, which end a phrase like ASCII does; the long
 * vowel mark and the repeat mark are parts of words.
 */
static uint16_t
jis_code(unsigned row, unsigned cell)
{
	uint16_t	c = (uint16_t) (row << 8 | cell);

	if (row == 0x21 && c != 0x213C && c != 0x2139)
		return BOUNCE_JA_SEP;
	return c;
}

/* The JIS code of Unicode code point cp, as the UTF-8 reading sees it. */
static uint16_t
unicode_code(uint32_t cp)
{
	int			k;

	if (cp >= 0x3041 && cp <= 0x3093)
		return (uint16_t) (0x2421 + (cp - 0x3041));	/* hiragana */
	if (cp >= 0x30A1 && cp <= 0x30F6)
		return (uint16_t) (0x2521 + (cp - 0x30A1));	/* katakana */
	if (cp == 0x30FC)
		return 0x213C;			/* long vowel mark */
	if (cp == 0x3005)
		return 0x2139;			/* repeat mark */
	if (cp < 0x3400)
		return BOUNCE_JA_SEP;	/* Latin, punctuation, symbols */
	if (cp > 0xFFFF || (k = bounce_code_find(kanji, NUM_KANJI, cp)) < 0)
		return BOUNCE_JA_OTHER;
	return kanji[k][1];
}

unsigned
bounce_ja_readings(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *) s;
	const unsigned char *e = n ? memchr(u, 0x1B, n) : NULL;
	unsigned	r = 0;
	size_t		i = 0;

	while (e != NULL && r == 0)
	{
		size_t		k = (size_t) (e - u);

		if (k + 1 < n && u[k + 1] == '$')
			r = BOUNCE_JA_ISO2022_UTF8;
		e = k + 1 < n ? memchr(u + k + 1, 0x1B, n - k - 1) : NULL;
	}

	/*
	 * Japanese prose always has kana: a reading is tried when the text
	 * holds a kana in that charset (or, in UTF-8, any Japanese character).
	 * Bytes >= 0x80 are looked for eight at a time, so ASCII costs next
	 * to nothing.
	 */
	while (i < n && r != (BOUNCE_JA_ISO2022_UTF8 | BOUNCE_JA_EUC | BOUNCE_JA_SJIS))
	{
		uint64_t	w;
		size_t		end;

		if (n - i >= 8)
		{
			memcpy(&w, u + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0)
			{
				i += 8;
				continue;
			}
		}
		for (end = n - i > 8 ? i + 8 : n; i < end; i++)
		{
			unsigned char b = u[i],
						c = i + 1 < n ? u[i + 1] : 0;

			if (b < 0x80)
				continue;
			/* UTF-8 kana and kanji, U+3000..U+9FFF: a short reply may be all kanji */
			if (b >= 0xE3 && b <= 0xE9 && c >= 0x80 && c <= 0xBF)
				r |= BOUNCE_JA_ISO2022_UTF8;
			if ((b == 0x82 && c >= 0x9F && c <= 0xF1) || (b == 0x83 && c >= 0x40 && c <= 0x96))
				r |= BOUNCE_JA_SJIS;
			if ((b == 0xA4 && c >= 0xA1 && c <= 0xF3) || (b == 0xA5 && c >= 0xA1 && c <= 0xF6))
				r |= BOUNCE_JA_EUC;
		}
	}
	return r;
}

bool
bounce_ja_in_jis(const char *s, size_t at)
{
	while (at > 0)
	{
		at--;
		if (s[at] == '\n')
			return false;
		if (s[at] == 0x1B)
			return s[at + 1] == '$';	/* ESC $ B or ESC $ @; ESC ( ends the run */
	}
	return false;
}

void
bounce_ja_fold_init(bounce_ja_fold *f, const char *s, size_t n, int reading)
{
	f->s = (const unsigned char *) s;
	f->n = n;
	f->pos = 0;
	f->reading = reading;
	f->jis = false;
	f->sep = true;				/* no leading separator */
}

/*
 * White space produces nothing: Japanese puts no spaces between words, so
 * a space or a line end inside a phrase is a wrapped line or a joined one
 * (a notice's lines joined by one space), never a word boundary.
 */
static inline bool
is_space(unsigned char b)
{
	return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

/*
 * One character at f->pos in the ISO-2022-JP / UTF-8 reading: sets *code,
 * returns the bytes it took, or 0 with *code untouched for an escape
 * sequence or a line end (which produce nothing).
 */
static size_t
step_iso_utf8(bounce_ja_fold *f, uint16_t *code)
{
	const unsigned char *s = f->s + f->pos;
	size_t		left = f->n - f->pos;
	unsigned char b = s[0];

	if (b == 0x1B)
	{
		if (left >= 3 && s[1] == '$' && (s[2] == 'B' || s[2] == '@'))
			f->jis = true;
		else if (left >= 3 && s[1] == '(' && (s[2] == 'B' || s[2] == 'J' || s[2] == 'I'))
			f->jis = false;
		else
		{
			*code = BOUNCE_JA_SEP;
			return 1;
		}
		return 3;
	}
	if (is_space(b))
		return 1;				/* nothing */
	if (f->jis)
	{
		if (left >= 2 && b >= 0x21 && b <= 0x7E && s[1] >= 0x21 && s[1] <= 0x7E)
		{
			*code = jis_code(b, s[1]);
			return 2;
		}
		*code = BOUNCE_JA_SEP;
		return 1;
	}
	if (b < 0x80)
	{
		*code = BOUNCE_JA_SEP;
		return 1;
	}
	{
		uint32_t	cp;
		size_t		took = bounce_utf8_char(s, left, &cp);

		if (took == 0)
		{
			*code = BOUNCE_JA_OTHER;
			return 1;
		}
		*code = unicode_code(cp);
		return took;
	}
}

/*
 * One character in the EUC-JP reading (see step_iso_utf8).  ASCII never
 * gets here: bounce_ja_fold_next() reads it, ESC included, in one step.
 */
static size_t
step_euc(bounce_ja_fold *f, uint16_t *code)
{
	const unsigned char *s = f->s + f->pos;
	size_t		left = f->n - f->pos;
	unsigned char b = s[0];

	if (b >= 0xA1 && b <= 0xFE && left >= 2 && s[1] >= 0xA1 && s[1] <= 0xFE)
	{
		*code = jis_code(b - 0x80u, s[1] - 0x80u);
		return 2;
	}
	*code = BOUNCE_JA_OTHER;	/* half-width kana (0x8E), JIS X 0212 (0x8F), stray bytes */
	return b == 0x8E && left >= 2 ? 2 : b == 0x8F && left >= 3 ? 3 : 1;
}

/* One character in the Shift_JIS reading (as step_euc(), ASCII never gets here). */
static size_t
step_sjis(bounce_ja_fold *f, uint16_t *code)
{
	const unsigned char *s = f->s + f->pos;
	size_t		left = f->n - f->pos;
	unsigned char b = s[0];

	if (((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xEF)) && left >= 2 &&
		s[1] >= 0x40 && s[1] <= 0xFC && s[1] != 0x7F)
	{
		/* each lead byte holds two rows: trail 0x40..0x9E the odd, 0x9F.. the even */
		unsigned	lead = (b >= 0xE0 ? b - 0x40u : b) - 0x81u;
		unsigned	trail = s[1] >= 0x80 ? s[1] - 1u : s[1];

		if (trail >= 0x9E)
			*code = jis_code(lead * 2 + 0x22, trail - 0x9E + 0x21);
		else
			*code = jis_code(lead * 2 + 0x21, trail - 0x40 + 0x21);
		return 2;
	}
	*code = BOUNCE_JA_OTHER;	/* half-width kana, user-defined rows, stray bytes */
	return 1;
}

size_t
bounce_ja_fold_next(bounce_ja_fold *f, uint16_t *out, size_t cap)
{
	size_t		w = 0;

	while (f->pos < f->n && w < cap)
	{
		uint16_t	code = 0xFFFF;	/* none: an escape or a line end */
		size_t		took;
		unsigned char b = f->s[f->pos];

		/*
		 * A run of ASCII outside a JIS run, most of a notice: one step, a
		 * separator unless it is all white space.  ESC ends it only in the
		 * reading where it starts an escape sequence.
		 */
		if (b < 0x80 && !f->jis && (b != 0x1B || f->reading != BOUNCE_JA_ISO2022_UTF8))
		{
			bool		word = false;
			unsigned char stop = f->reading == BOUNCE_JA_ISO2022_UTF8 ? 0x1B : 0x80;

			while (f->pos < f->n && f->s[f->pos] < 0x80 && f->s[f->pos] != stop)
				word |= !is_space(f->s[f->pos++]);
			if (word && !f->sep)
			{
				f->sep = true;
				out[w++] = BOUNCE_JA_SEP;
			}
			continue;
		}
		if (f->reading == BOUNCE_JA_EUC)
			took = step_euc(f, &code);
		else if (f->reading == BOUNCE_JA_SJIS)
			took = step_sjis(f, &code);
		else
			took = step_iso_utf8(f, &code);
		f->pos += took;
		bounce_fold_put(out, &w, code, BOUNCE_JA_SEP, &f->sep);
	}
	return w;
}
