/*
 * test_scripts.c - unit tests of the reading of other scripts (scripts.c
 * and the PHRASE_UNI phrases of phrases.c): phrases in the charsets their
 * languages use, case, accents, points and wrapped lines folded, texts
 * that hold none of those scripts, and notices read end to end.  The
 * byte strings were encoded for these tests with Python's codecs.
 */
#include "unit.h"

#include <stdlib.h>

#include "chars.h"
#include "dsn_rows.h"
#include "phrases.h"
#include "scripts.h"

void		run_scripts_tests(void);

static uint32_t
signs_of(const char *s)
{
	bounce_phrase_match m;

	bounce_phrases_scan(s, strlen(s), &m);
	return m.signs;
}

static int
reason_of(const char *s)
{
	bounce_phrase_match m;
	const bounce_phrase *p;

	bounce_phrases_scan(s, strlen(s), &m);
	p = bounce_phrase_get(m.best);
	return p ? p->reason : -1;
}

/* "your message has not yet been delivered", Russian, in four charsets */
static const char *const ru_delay[][2] = {
	{"windows-1251", "\xc2\xe0\xf8\xe5\x20\xf1\xee\xee\xe1\xf9\xe5\xed\xe8\xe5\x20\xe5\xf9\xb8\x20\xed\xe5\x20\xe4\xee\xf1\xf2\xe0\xe2\xeb\xe5\xed\xee"},
	{"KOI8-R", "\xf7\xc1\xdb\xc5\x20\xd3\xcf\xcf\xc2\xdd\xc5\xce\xc9\xc5\x20\xc5\xdd\xa3\x20\xce\xc5\x20\xc4\xcf\xd3\xd4\xc1\xd7\xcc\xc5\xce\xcf"},
	{"ISO-8859-5", "\xb2\xd0\xe8\xd5\x20\xe1\xde\xde\xd1\xe9\xd5\xdd\xd8\xd5\x20\xd5\xe9\xf1\x20\xdd\xd5\x20\xd4\xde\xe1\xe2\xd0\xd2\xdb\xd5\xdd\xde"},
	{"UTF-8, upper case, wrapped", "\xd0\x92\xd0\x90\xd0\xa8\xd0\x95\x20\xd0\xa1\xd0\x9e\xd0\x9e\xd0\x91\xd0\xa9\xd0\x95\xd0\x9d\xd0\x98\xd0\x95\x20\xd0\x95\xd0\xa9\xd0\x81\x20\xd0\x9d\xd0\x95\x0a\xd0\x94\xd0\x9e\xd0\xa1\xd0\xa2\xd0\x90\xd0\x92\xd0\x9b\xd0\x95\xd0\x9d\xd0\x9e"},
};

static void
test_readings(void)
{
	int			k;

	CHECK(bounce_sc_readings("user unknown", 12) == 0, "an ASCII text has no reading");
	/* French in Latin-1: a few accented letters among many */
	CHECK(bounce_sc_readings("\x56\x6f\x74\x72\x65\x20\x6d\x65\x73\x73\x61\x67\x65\x20\x6e\x27\x61\x20\x70\x61"
							 "\x73\x20\x70\x75\x20\xea\x74\x72\x65\x20\x72\x65\x6d\x69\x73\x20\xe0\x20\x73\x6f"
							 "\x6e\x20\x64\x65\x73\x74\x69\x6e\x61\x74\x61\x69\x72\x65", 54) == 0,
		  "a Latin-1 French text has no reading");
	CHECK(bounce_sc_readings("R\xc3\xa9sum\xc3\xa9 \xc3\xa0 jour", 15) == 0, "Latin letters in UTF-8 have no reading");
	CHECK(bounce_sc_readings(ru_delay[3][1], strlen(ru_delay[3][1])) == (1u << BOUNCE_SC_UTF8),
		  "Cyrillic in UTF-8: the UTF-8 reading only");
	CHECK((bounce_sc_readings(ru_delay[0][1], strlen(ru_delay[0][1])) & (1u << BOUNCE_SC_UTF8)) == 0 &&
		  (bounce_sc_readings(ru_delay[0][1], strlen(ru_delay[0][1])) & (1u << BOUNCE_SC_CP1251)) != 0,
		  "Cyrillic in windows-1251: the single-byte readings, not UTF-8");
	for (k = 0; k < 4; k++)
		CHECK(signs_of(ru_delay[k][1]) & BOUNCE_SIGN_DELAY, "Russian \"not yet delivered\" in %s is a delay",
			  ru_delay[k][0]);
	/* random bytes fit no charset: no reading is tried on them, however many there are */
	{
		char		noise[2048];
		uint32_t	x = 12345;

		for (k = 0; k < (int) sizeof(noise); k++)
		{
			x = x * 1103515245u + 12345u;
			noise[k] = (char) (0x80 | (x >> 16));
		}
		CHECK((bounce_sc_readings(noise, sizeof(noise)) & ~(1u << BOUNCE_SC_UTF8)) == 0,
			  "random high bytes fit no single- or double-byte reading");
	}
}

static void
test_scripts(void)
{
	int			i;
	int			n = bounce_phrase_count() + bounce_sign_phrase_count();
	int			missing = 0;

	/* Greek: upper case and accents fold ("ΔΕΝ ΈΧΕΙ παραδοθεί ακόμα"), ISO-8859-7 */
	CHECK(signs_of("\xd4\xef\x20\xec\xde\xed\xf5\xec\xe1\x20\xc4\xc5\xcd\x20\xb8\xd7\xc5\xc9\x20\xf0\xe1\xf1\xe1\xe4"
				   "\xef\xe8\xe5\xdf\x20\xe1\xea\xfc\xec\xe1") & BOUNCE_SIGN_DELAY,
		  "Greek in ISO-8859-7, capitals with tonos: a delay");
	/* Hebrew: ISO-8859-8, and UTF-8 with vowel points */
	CHECK(signs_of("\xe4\xe4\xe5\xe3\xf2\xe4\x20\xe8\xf8\xed\x20\xf0\xee\xf1\xf8\xe4") & BOUNCE_SIGN_DELAY,
		  "Hebrew in ISO-8859-8 (\"not yet delivered\"): a delay");
	CHECK(signs_of("\xd7\x94\xd6\xb7\xd7\x94\xd7\x95\xd6\xb9\xd7\x93\xd6\xb8\xd7\xa2\xd6\xb8\xd7\x94\x20\xd7\x98\xd6\xb6"
				   "\xd7\xa8\xd6\xb6\xd7\x9d\x20\xd7\xa0\xd6\xb4\xd7\x9e\xd6\xb0\xd7\xa1\xd6\xb0\xd7\xa8\xd6\xb8\xd7\x94")
		  & BOUNCE_SIGN_DELAY, "Hebrew with vowel points: the points do not count");
	/* Arabic: windows-1256; an alef with hamza folds to alef */
	CHECK(reason_of("\xc7\xe1\xe3\xd3\xca\xce\xcf\xe3\x20\xdb\xed\xd1\x20\xe3\xe6\xcc\xe6\xcf") ==
		  BOUNCE_REASON_USERUNKNOWN, "Arabic in windows-1256: the user does not exist");
	CHECK(signs_of("\xd8\xb3\xd9\x8a\xd8\xaa\xd9\x85\x20\xd8\xa5\xd8\xb9\xd8\xa7\xd8\xaf\xd8\xa9\x20\xd8\xa7\xd9\x84\xd9"
				   "\x85\xd8\xad\xd8\xa7\xd9\x88\xd9\x84\xd8\xa9") & BOUNCE_SIGN_DELAY,
		  "Arabic \"will be retried\" with an alef with hamza below: a delay");
	CHECK(reason_of("\xe4\xc1\xe8\xbe\xba\xbc\xd9\xe9\xe3\xaa\xe9") == BOUNCE_REASON_USERUNKNOWN,
		  "Thai in TIS-620: user not found");
	CHECK(reason_of("\xca\xd5\xbc\xfe\xc8\xcb\xb2\xbb\xb4\xe6\xd4\xda") == BOUNCE_REASON_USERUNKNOWN,
		  "Chinese in GBK: the recipient does not exist");
	CHECK(reason_of("\xab\x48\xbd\x63\xa4\x77\xba\xa1") == BOUNCE_REASON_MAILBOXFULL,
		  "Chinese in Big5: the mailbox is full");
	CHECK(signs_of("\xbe\xc6\xc1\xf7\x20\xc0\xfc\xb4\xde\xb5\xc7\xc1\xf6\x20\xbe\xca\xbe\xd2\xbd\xc0\xb4\xcf\xb4\xd9")
		  & BOUNCE_SIGN_DELAY, "Korean in EUC-KR: not yet delivered");
	/* ASCII between the letters ends a phrase */
	CHECK(!(signs_of("\xd7\x98\xd7\xa8\xd7\x9d x \xd7\xa0\xd7\x9e\xd7\xa1\xd7\xa8") & BOUNCE_SIGN_DELAY),
		  "an ASCII word inside a phrase breaks it");

	/* every phrase folded (no ASCII in one, none too long), every wide character in the tables */
	CHECK(bounce_phrase_states() > 0, "the phrase table built without an overflow");
	for (i = 0; i < n; i++)
	{
		const char *t = i < bounce_phrase_count() ? bounce_phrase_get(i)->text :
			bounce_sign_phrase_get(i - bounce_phrase_count())->text;
		uint8_t		fl = i < bounce_phrase_count() ? bounce_phrase_get(i)->flags :
			bounce_sign_phrase_get(i - bounce_phrase_count())->flags;
		bounce_sc_fold f;
		uint16_t	buf[64];
		size_t		got,
					k;

		if (!(fl & PHRASE_UNI))
			continue;
		bounce_sc_fold_init(&f, t, strlen(t), BOUNCE_SC_UTF8);
		got = bounce_sc_fold_next(&f, buf, 64);
		for (k = 0; k < got; k++)
			if ((buf[k] >= 0x3400 && buf[k] <= 0x9FFF) || (buf[k] >= 0xAC00 && buf[k] <= 0xD7A3))
				missing += !bounce_sc_wide_known(buf[k]);
	}
	CHECK(missing == 0, "every Chinese and Korean character of the phrases is in the double-byte tables "
		  "(%d missing: run tools/script_tables.py)", missing);
}

/* Whole notices: a delay warning and a failure, each in its own charset. */
static void
test_notices(void)
{
	got_rows	g;
	char		m[1024];

	/* Russian delay warning in windows-1251, no code: delayed */
	snprintf(m, sizeof(m),
			 "From: MAILER-DAEMON@mx.example.ru\nTo: bounces@sender.example\n"
			 "Subject: Warning\nContent-Type: text/plain; charset=windows-1251\n\n"
			 "%s:\n\n  <ivan@example.ru>\n", ru_delay[0][1]);
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "delayed") == 0 && g.cls[0] == BOUNCE_CLASS_SOFT,
		  "a Russian delay warning in windows-1251 is a delay (%d rows, %s)", g.n, g.n ? g.action[0] : "");
	/* Chinese failure in GBK: the recipient does not exist */
	snprintf(m, sizeof(m),
			 "From: MAILER-DAEMON@mx.example.cn\nTo: bounces@sender.example\n"
			 "Subject: Undelivered\nContent-Type: text/plain; charset=gbk\n\n"
			 "<wang@example.cn>: \xca\xd5\xbc\xfe\xc8\xcb\xb2\xbb\xb4\xe6\xd4\xda\n");
	CHECK(parse(m, &g) == 1 && strcmp(g.action[0], "failed") == 0 &&
		  g.reason[0] == BOUNCE_REASON_USERUNKNOWN,
		  "a Chinese failure in GBK: user unknown (%d rows)", g.n);
}

/* UTF-8 as RFC 3629 defines it: overlong forms, surrogates and codes above U+10FFFF are no characters. */
static void
test_utf8(void)
{
	static const struct
	{
		const char *bytes;
		uint32_t	cp;			/* 0: not a character */
	}			cases[] = {
		{"\xc3\xa9", 0xE9}, {"\xd0\x96", 0x416}, {"\xe4\xb8\x8d", 0x4E0D},
		{"\xf0\x9f\x98\x80", 0x1F600}, {"\xf4\x8f\xbf\xbf", 0x10FFFF},
		{"\xc0\xaf", 0}, {"\xc1\xbf", 0},	/* overlong two-byte */
		{"\xe0\x80\xaf", 0}, {"\xe0\x9f\xbf", 0},	/* overlong three-byte */
		{"\xf0\x80\x80\xaf", 0}, {"\xf0\x8f\xbf\xbf", 0},	/* overlong four-byte */
		{"\xed\xa0\x80", 0}, {"\xed\xbf\xbf", 0},	/* surrogates */
		{"\xf4\x90\x80\x80", 0}, {"\xf5\x80\x80\x80", 0},	/* above U+10FFFF */
		{"\xe4\xb8", 0}, {"\xe4\x41\x8d", 0},	/* cut short, not a continuation */
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const unsigned char *u = (const unsigned char *) cases[i].bytes;
		uint32_t	cp = 0;
		size_t		n = strlen(cases[i].bytes);
		size_t		took = bounce_utf8_char(u, n, &cp);

		CHECK(cases[i].cp ? took == n && cp == cases[i].cp : took == 0,
			  "utf8 %s: %s (took %zu, U+%04X)", ESC(cases[i].bytes),
			  cases[i].cp ? "a character" : "no character", took, (unsigned) cp);
	}
}

void
run_scripts_tests(void)
{
	test_utf8();
	test_readings();
	test_scripts();
	test_notices();
}
