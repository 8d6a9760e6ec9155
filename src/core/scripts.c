/*
 * scripts.c - fold text in scripts other than Latin and Japanese to
 * folded code points (see scripts.h).
 *
 * The conversions are those of the charsets' definitions (RFC 3629 for
 * UTF-8); the tables are written by tools/script_tables.py.  The
 * double-byte tables only hold the characters that the phrases use: any
 * other character decodes to BOUNCE_SC_OTHER, which no phrase holds.
 */
#include "scripts.h"

#include <string.h>

#include "chars.h"
#include "scripts_tables.h"

#define NUM_WIDE(t) ((int) (sizeof(t) / sizeof(t[0])))

static inline bool
is_space(unsigned char b)
{
	return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

/* A double-byte code's code point in a sorted table; BOUNCE_SC_OTHER when absent. */
static uint16_t
wide_lookup(const uint16_t (*t)[2], int n, unsigned code)
{
	int			i = bounce_code_find(t, n, code);

	return i < 0 ? BOUNCE_SC_OTHER : t[i][1];
}

bool
bounce_sc_wide_known(uint16_t cp)
{
	int			i;

	for (i = 0; i < NUM_WIDE(wide_gbk); i++)
		if (wide_gbk[i][1] == cp)
			return true;
	for (i = 0; i < NUM_WIDE(wide_big5); i++)
		if (wide_big5[i][1] == cp)
			return true;
	for (i = 0; i < NUM_WIDE(wide_euckr); i++)
		if (wide_euckr[i][1] == cp)
			return true;
	return false;
}

/* Greek letters with an accent (tonos, dialytika), lower case: their plain letter. */
static uint16_t
greek_plain(uint16_t cp)
{
	switch (cp)
	{
		case 0x03AC:
			return 0x03B1;
		case 0x03AD:
			return 0x03B5;
		case 0x03AE:
			return 0x03B7;
		case 0x03AF:
		case 0x0390:
		case 0x03CA:
			return 0x03B9;
		case 0x03CC:
			return 0x03BF;
		case 0x03CD:
		case 0x03B0:
		case 0x03CB:
			return 0x03C5;
		case 0x03CE:
			return 0x03C9;
		case 0x03C2:
			return 0x03C3;		/* final sigma */
	}
	return cp;
}

/*
 * The folded code of code point cp: a letter (folded), BOUNCE_SC_SEP for
 * what ends a phrase, or 0xFFFF for what produces nothing (white space,
 * combining marks, joiners).
 */
static uint16_t
fold_cp(uint32_t cp)
{
	if (cp > 0xFFFF)
		return BOUNCE_SC_OTHER;
	if (cp == 0x00A0 || cp == 0xFEFF || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200F))
		return 0xFFFF;			/* spaces, joiners (ZWNJ inside Persian words) */
	if (cp < 0x0370)
		return BOUNCE_SC_SEP;	/* Latin, symbols */
	/* Greek: upper case and accents fold to the plain small letter */
	if (cp >= 0x0370 && cp <= 0x03FF)
	{
		if (cp == 0x0386)
			return 0x03B1;
		if (cp >= 0x0388 && cp <= 0x038A)
			return cp == 0x0388 ? 0x03B5 : cp == 0x0389 ? 0x03B7 : 0x03B9;
		if (cp == 0x038C)
			return 0x03BF;
		if (cp == 0x038E || cp == 0x03AB)
			return 0x03C5;
		if (cp == 0x038F)
			return 0x03C9;
		if (cp == 0x03AA)
			return 0x03B9;
		if (cp >= 0x0391 && cp <= 0x03A9)
			return (uint16_t) (cp + 0x20);
		if (cp < 0x0386 || cp == 0x0387)
			return BOUNCE_SC_SEP;	/* tonos alone, ano teleia */
		return greek_plain((uint16_t) cp);
	}
	/* Cyrillic: upper case folds to small; yo to ye, as Russian often writes it */
	if (cp >= 0x0400 && cp <= 0x04FF)
	{
		if (cp >= 0x0410 && cp <= 0x042F)
			cp += 0x20;
		else if (cp >= 0x0400 && cp <= 0x040F)
			cp += 0x50;
		else if (cp >= 0x0460 && (cp & 1) == 0)
			cp += 1;
		return cp == 0x0451 ? 0x0435 : (uint16_t) cp;
	}
	/* Armenian: upper case folds to small */
	if (cp >= 0x0531 && cp <= 0x0556)
		return (uint16_t) (cp + 0x30);
	/* Hebrew: points and accents produce nothing, the maqaf and sof pasuq end a word */
	if (cp >= 0x0591 && cp <= 0x05C7)
		return cp == 0x05BE || cp == 0x05C0 || cp == 0x05C3 || cp == 0x05C6 ? BOUNCE_SC_SEP : 0xFFFF;
	/* Arabic script: harakat and tatweel nothing; hamza forms of alef, yeh and kaf folded */
	if (cp >= 0x0600 && cp <= 0x06FF)
	{
		if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640)
			return 0xFFFF;
		if (cp == 0x0622 || cp == 0x0623 || cp == 0x0625)
			return 0x0627;
		if (cp == 0x0649 || cp == 0x06CC)
			return 0x064A;
		if (cp == 0x06A9)
			return 0x0643;
		if (cp < 0x0621 || (cp >= 0x0660 && cp <= 0x066D) || (cp >= 0x06F0 && cp <= 0x06F9) ||
			cp == 0x06D4)
			return BOUNCE_SC_SEP;	/* punctuation, digits */
		return (uint16_t) cp;
	}
	if (cp == 0x0964 || cp == 0x0965 || (cp >= 0x0966 && cp <= 0x096F) ||
		(cp >= 0x0E50 && cp <= 0x0E59) || cp == 0x0E2F)
		return BOUNCE_SC_SEP;	/* danda, Devanagari and Thai digits */
	if ((cp >= 0x2010 && cp <= 0x2BFF) || (cp >= 0x3001 && cp <= 0x303F) ||
		(cp >= 0xFF01 && cp <= 0xFF65) || (cp >= 0xFE30 && cp <= 0xFE6F))
		return BOUNCE_SC_SEP;	/* punctuation, symbols, full-width forms */
	return (uint16_t) cp;
}

/* The single-byte table of a reading; NULL for the others. */
static const uint16_t *single_table(bounce_sc_reading r);

/*
 * Bytes >= 0x80 that are letters of each single-byte reading (bit r of
 * letter_mask[b - 0x80]), from the tables, built on first use.
 */
static uint16_t letter_mask[128];
static bool letter_mask_built;

static void
build_letter_mask(void)
{
	int			r;
	int			b;

	for (r = 0; r < BOUNCE_SC_NREADINGS; r++)
	{
		const uint16_t *t = single_table((bounce_sc_reading) r);

		for (b = 0; t && b < 128; b++)
		{
			uint16_t	c = t[b] ? fold_cp(t[b]) : BOUNCE_SC_OTHER;

			if (c != BOUNCE_SC_SEP && c != BOUNCE_SC_OTHER && c != 0xFFFF)
				letter_mask[b] |= (uint16_t) (1u << r);
		}
	}
	letter_mask_built = true;
}

/* A double-byte pair of a reading: its lead byte and trail byte ranges. */
static bool
wide_pair(bounce_sc_reading r, unsigned char lead, unsigned char trail)
{
	switch (r)
	{
		case BOUNCE_SC_GBK:
			/* GB2312's rows, as nearly all Chinese text uses: GBK's whole range fits any bytes */
			return lead >= 0xA1 && lead <= 0xF7 && trail >= 0xA1 && trail <= 0xFE;
		case BOUNCE_SC_BIG5:
			return lead >= 0xA1 && lead <= 0xF9 &&
				((trail >= 0x40 && trail <= 0x7E) || (trail >= 0xA1 && trail <= 0xFE));
		case BOUNCE_SC_EUCKR:
			return lead >= 0xA1 && lead <= 0xFE && trail >= 0xA1 && trail <= 0xFE;
		default:
			return false;
	}
}

/*
 * The readings other than UTF-8 that the text's bytes >= 0x80 fit: in a
 * single-byte reading, nine in ten of them are letters of its script; in a
 * double-byte one, nine in ten of them start or end a valid pair.  Text
 * in such a charset fits its own reading almost wholly, random bytes fit
 * none, and each reading tried costs a pass over the text.
 */
static unsigned
plausible_readings(const unsigned char *u, size_t n)
{
	size_t		high = 0;
	size_t		fit[BOUNCE_SC_NREADINGS] = {0};
	unsigned	r = 0;
	size_t		i;
	int			k;
	bool		trail[BOUNCE_SC_NREADINGS] = {false};

	if (!letter_mask_built)
		build_letter_mask();
	/* one pass; a double-byte reading skips the trail byte of the pair it took */
	for (i = 0; i < n; i++)
	{
		uint16_t	m;
		unsigned char next = i + 1 < n ? u[i + 1] : 0;

		if (u[i] < 0x80)
			continue;
		high++;
		m = letter_mask[u[i] - 0x80];
		for (k = 0; m != 0; k++, m >>= 1)
			fit[k] += m & 1;
		for (k = BOUNCE_SC_GBK; k <= BOUNCE_SC_EUCKR; k++)
		{
			if (trail[k])
				trail[k] = false;
			else if (i + 1 < n && wide_pair((bounce_sc_reading) k, u[i], next))
			{
				fit[k] += 1 + (next >= 0x80);
				trail[k] = next >= 0x80;
			}
		}
	}
	for (k = 0; k < BOUNCE_SC_NREADINGS; k++)
		if (k != BOUNCE_SC_UTF8 && fit[k] * 10 >= high * 9)
			r |= 1u << k;
	return r;
}

unsigned
bounce_sc_readings(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *) s;
	unsigned	r = 0;
	size_t		letters = 0;
	size_t		foreign = 0;
	size_t		i = 0;
	size_t		letter = 0;
	size_t		han = 0;
	bool		kana = false;

	while (i < n)
	{
		uint64_t	w;
		uint32_t	cp;
		size_t		took;

		/* ASCII eight bytes at a time: only its letters are counted */
		if (n - i >= 8)
		{
			memcpy(&w, u + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0)
			{
				size_t		k;

				for (k = 0; k < 8; k++)
					letters += ((u[i + k] | 0x20) >= 'a' && (u[i + k] | 0x20) <= 'z');
				i += 8;
				continue;
			}
		}
		if (u[i] < 0x80)
		{
			letters += ((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z');
			i++;
			continue;
		}
		took = bounce_utf8_char(u + i, n - i, &cp);
		if (took == 0)
		{
			foreign++;			/* a byte of some other charset */
			i++;
			continue;
		}
		/*
		 * A letter of those scripts: not punctuation (curly quotes, a
		 * dash); Chinese characters only in a text without kana, which
		 * is Japanese (japanese.h)
		 */
		if ((cp >= 0x0370 && cp <= 0x1FFF) || (cp >= 0xAC00 && cp <= 0xD7A3))
			letter++;
		else if (cp >= 0x3400 && cp <= 0x9FFF)
			han++;
		else if (cp >= 0x3040 && cp <= 0x30FF)
			kana = true;
		i += took;
	}
	/* a phrase is two letters or more */
	if (letter + (kana ? 0 : han) >= 2)
		r |= 1u << BOUNCE_SC_UTF8;
	if (foreign > 0 && foreign * 5 >= letters)
		r |= plausible_readings(u, n);
	return r;
}

void
bounce_sc_fold_init(bounce_sc_fold *f, const char *s, size_t n, bounce_sc_reading reading)
{
	f->s = (const unsigned char *) s;
	f->n = n;
	f->pos = 0;
	f->reading = reading;
	f->sep = true;				/* no leading separator */
}

/* The single-byte table of a reading; NULL for the others. */
static const uint16_t *
single_table(bounce_sc_reading r)
{
	switch (r)
	{
		case BOUNCE_SC_CP1251:
			return table_cp1251;
		case BOUNCE_SC_KOI8U:
			return table_koi8u;
		case BOUNCE_SC_ISO8859_5:
			return table_iso8859_5;
		case BOUNCE_SC_GREEK:
			return table_greek;
		case BOUNCE_SC_HEBREW:
			return table_hebrew;
		case BOUNCE_SC_CP1256:
			return table_cp1256;
		case BOUNCE_SC_ISO8859_6:
			return table_iso8859_6;
		case BOUNCE_SC_THAI:
			return table_thai;
		default:
			return NULL;
	}
}

/*
 * One character at f->pos, a byte >= 0x80: sets *cp (0 when the bytes
 * decode to nothing known) and returns the bytes it took.
 */
static size_t
step(bounce_sc_fold *f, uint32_t *cp)
{
	const unsigned char *s = f->s + f->pos;
	size_t		left = f->n - f->pos;
	const uint16_t *t = single_table(f->reading);
	size_t		took;

	if (t)
	{
		*cp = t[s[0] - 0x80];
		return 1;
	}
	if (f->reading == BOUNCE_SC_UTF8)
	{
		took = bounce_utf8_char(s, left, cp);
		if (took == 0)
			*cp = 0;
		return took ? took : 1;
	}
	/* double-byte: a lead byte 0x81..0xFE and a trail byte */
	if (s[0] >= 0x81 && s[0] <= 0xFE && left >= 2 && s[1] >= 0x40 && s[1] != 0x7F && s[1] != 0xFF)
	{
		unsigned	code = (unsigned) s[0] << 8 | s[1];

		*cp = f->reading == BOUNCE_SC_GBK ? wide_lookup(wide_gbk, NUM_WIDE(wide_gbk), code) :
			f->reading == BOUNCE_SC_BIG5 ? wide_lookup(wide_big5, NUM_WIDE(wide_big5), code) :
			wide_lookup(wide_euckr, NUM_WIDE(wide_euckr), code);
		if (*cp == BOUNCE_SC_OTHER)
			*cp = 0;
		return 2;
	}
	*cp = 0;
	return 1;
}

size_t
bounce_sc_fold_next(bounce_sc_fold *f, uint16_t *out, size_t cap)
{
	size_t		w = 0;

	while (f->pos < f->n && w < cap)
	{
		unsigned char b = f->s[f->pos];
		uint32_t	cp;
		uint16_t	code;

		/* a run of ASCII: one separator, unless it is all white space */
		if (b < 0x80)
		{
			bool		word = false;

			while (f->pos < f->n && f->s[f->pos] < 0x80)
				word |= !is_space(f->s[f->pos++]);
			if (word && !f->sep)
			{
				f->sep = true;
				out[w++] = BOUNCE_SC_SEP;
			}
			continue;
		}
		f->pos += step(f, &cp);
		code = cp == 0 ? BOUNCE_SC_OTHER : fold_cp(cp);
		bounce_fold_put(out, &w, code, BOUNCE_SC_SEP, &f->sep);
	}
	return w;
}
