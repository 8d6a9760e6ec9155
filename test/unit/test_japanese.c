/*
 * test_japanese.c - unit tests of the Japanese reading (japanese.c and the
 * Japanese phrases of phrases.c): one phrase in the four charsets that
 * Japanese mail uses, wrapped lines, the block cut of the scan, texts that
 * hold no Japanese, and a notice in ISO-2022-JP read end to end.  The
 * byte strings were encoded for these tests with Python's codecs.
 */
#include "unit.h"

#include <stdlib.h>

#include "dsn_rows.h"
#include "japanese.h"
#include "phrases.h"

void		run_japanese_tests(void);

/* "this address does not exist" in each charset */
static const char *const not_exist[][2] = {
	{"ISO-2022-JP", "\x1b$B$3$N%\x22%I%l%9$OB8:_$7$^$;$s\x1b(B"},
	{"Shift_JIS", "\x82\xb1\x82\xcc\x83" "A\x83h\x83\x8c\x83X\x82\xcd\x91\xb6\x8d\xdd\x82\xb5\x82\xdc\x82\xb9\x82\xf1"},
	{"EUC-JP", "\xa4\xb3\xa4\xce\xa5\xa2\xa5\xc9\xa5\xec\xa5\xb9\xa4\xcf\xc2\xb8\xba\xdf\xa4\xb7\xa4\xde\xa4\xbb\xa4\xf3"},
	{"UTF-8", "\xe3\x81\x93\xe3\x81\xae\xe3\x82\xa2\xe3\x83\x89\xe3\x83\xac\xe3\x82\xb9\xe3\x81\xaf\xe5\xad\x98\xe5\x9c\xa8\xe3\x81\x97\xe3\x81\xbe\xe3\x81\x9b\xe3\x82\x93"},
};

/* The reason of the best phrase of s, or -1. */
static int
best_reason(const char *s, size_t n)
{
	bounce_phrase_match m;
	const bounce_phrase *p;

	bounce_phrases_scan(s, n, &m);
	p = bounce_phrase_get(m.best);
	return p ? p->reason : -1;
}

static uint32_t
signs_of(const char *s, size_t n)
{
	bounce_phrase_match m;

	bounce_phrases_scan(s, n, &m);
	return m.signs;
}

static void
test_fold(void)
{
	bounce_ja_fold f;
	uint16_t	a[64],
				b[64];
	size_t		na,
				nb;
	int			k;

	CHECK(bounce_ja_readings("user unknown", 12) == 0, "an ASCII text has no Japanese reading");
	CHECK(bounce_ja_readings("\x1b(Bx", 4) == 0, "an escape that is no ESC $ is no Japanese");
	CHECK(bounce_ja_readings(not_exist[0][1], strlen(not_exist[0][1])) == BOUNCE_JA_ISO2022_UTF8,
		  "ESC $ B: the ISO-2022-JP reading only");
	for (k = 1; k < 4; k++)
		CHECK(bounce_ja_readings(not_exist[k][1], strlen(not_exist[k][1])) &
			  (k == 1 ? BOUNCE_JA_SJIS : k == 2 ? BOUNCE_JA_EUC : BOUNCE_JA_ISO2022_UTF8),
			  "kana in %s: that reading is tried", not_exist[k][0]);
	CHECK(bounce_ja_readings("Empf\xe4nger unbekannt, M\xc3\xbcller \xe2\x82\xac", 29) == 0,
		  "Latin-1 and UTF-8 European text: no Japanese reading");

	/* the same characters in each charset fold to the same codes */
	bounce_ja_fold_init(&f, not_exist[0][1], strlen(not_exist[0][1]), BOUNCE_JA_ISO2022_UTF8);
	na = bounce_ja_fold_next(&f, a, 64);
	CHECK(na == 13 && a[0] == 0x2433 && a[2] == 0x2522 && bounce_ja_fold_next(&f, a + na, 64 - na) == 0,
		  "ISO-2022-JP folds to its JIS codes, 13 characters (%zu)", na);
	for (k = 1; k < 4; k++)
	{
		int			r = k == 1 ? BOUNCE_JA_SJIS : k == 2 ? BOUNCE_JA_EUC : BOUNCE_JA_ISO2022_UTF8;

		bounce_ja_fold_init(&f, not_exist[k][1], strlen(not_exist[k][1]), r);
		nb = bounce_ja_fold_next(&f, b, 64);
		/* UTF-8 has no table entry for the kanji outside the phrases: none here */
		CHECK(nb == na && memcmp(a, b, na * sizeof(a[0])) == 0, "%s folds to the same codes", not_exist[k][0]);
	}

	/* a small cap: the fold goes on where it stopped */
	bounce_ja_fold_init(&f, not_exist[0][1], strlen(not_exist[0][1]), BOUNCE_JA_ISO2022_UTF8);
	nb = bounce_ja_fold_next(&f, b, 5);
	nb += bounce_ja_fold_next(&f, b + nb, 64);
	CHECK(nb == na && memcmp(a, b, na * sizeof(a[0])) == 0, "a fold cut in two parts gives the same codes");

	/* ASCII between Japanese is one separator; kanji outside the table are OTHER in UTF-8 */
	bounce_ja_fold_init(&f, "\xe3\x83\xa6 x, y \xe6\xbc\xa2", 12, BOUNCE_JA_ISO2022_UTF8);
	na = bounce_ja_fold_next(&f, a, 64);
	CHECK(na == 3 && a[0] == 0x2566 && a[1] == BOUNCE_JA_SEP && a[2] == BOUNCE_JA_OTHER,
		  "a run of ASCII folds to one separator; an unknown kanji is OTHER (%zu)", na);
	bounce_ja_fold_init(&f, "\xe3\x83\xa6 \r\n\t\xe3\x83\xa6", 10, BOUNCE_JA_ISO2022_UTF8);
	na = bounce_ja_fold_next(&f, a, 64);
	CHECK(na == 2 && a[0] == 0x2566 && a[1] == 0x2566, "white space between Japanese produces nothing (%zu)", na);

	/* truncated and stray bytes never read past the end */
	bounce_ja_fold_init(&f, "\xe3\x83", 2, BOUNCE_JA_ISO2022_UTF8);
	na = bounce_ja_fold_next(&f, a, 64);
	CHECK(na == 2 && a[0] == BOUNCE_JA_OTHER, "a cut UTF-8 sequence is OTHER, byte by byte");
	bounce_ja_fold_init(&f, "\x1b$B$", 4, BOUNCE_JA_ISO2022_UTF8);
	na = bounce_ja_fold_next(&f, a, 64);
	CHECK(na == 0, "half a JIS pair at the end gives no character");
	bounce_ja_fold_init(&f, "\x82", 1, BOUNCE_JA_SJIS);
	CHECK(bounce_ja_fold_next(&f, a, 64) == 1 && a[0] == BOUNCE_JA_OTHER, "a lone Shift_JIS lead byte is OTHER");
	bounce_ja_fold_init(&f, "\x8f\xa1", 2, BOUNCE_JA_EUC);
	CHECK(bounce_ja_fold_next(&f, a, 64) == 2, "a cut EUC-JP JIS X 0212 sequence stays in bounds");
}

static void
test_phrases_ja(void)
{
	static const char wrapped[] =
		"\x1b$B%a%C%;!<%8$rG[Aw$G$-\x1b(B\x0d\x0a\x1b$B$^$;$s$G$7$\x3f!#\x1b(B";
	static const char full_sjis[] =
		"\x8e\xf3\x90M\x8e\xd2\x82\xcc\x83\x81\x81[\x83\x8b\x83{\x83" "b\x83N\x83X\x82\xaa\x82\xa2\x82\xc1\x82\xcf\x82\xa2\x82\xc5\x82\xb7";
	static const char delay_euc[] =
		"\xa5\xe1\xa1\xbc\xa5\xeb\xa4\xce\xc7\xdb\xc1\xf7\xa4\xac\xc3\xd9\xb1\xe4\xa4\xb7\xa4\xc6\xa4\xa4"
		"\xa4\xde\xa4\xb9\xa1\xa3\xc7\xdb\xc1\xf7\xa4\xf2\xb7\xd1\xc2\xb3\xa4\xb7\xa4\xde\xa4\xb9\xa1\xa3";
	static const char split[] = "\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6 x \xe4\xb8\x8d\xe6\x98\x8e";
	char		big[4096];
	size_t		n = 0;
	int			k;

	for (k = 0; k < 4; k++)
		CHECK(best_reason(not_exist[k][1], strlen(not_exist[k][1])) == BOUNCE_REASON_USERUNKNOWN,
			  "\"address does not exist\" in %s is userunknown", not_exist[k][0]);
	CHECK(best_reason(full_sjis, sizeof(full_sjis) - 1) == BOUNCE_REASON_MAILBOXFULL,
		  "\"the mailbox is full\" in Shift_JIS is mailboxfull");
	CHECK((signs_of(wrapped, sizeof(wrapped) - 1) & BOUNCE_SIGN_FAILURE) != 0,
		  "\"could not be delivered\" wrapped across two ISO-2022-JP lines still reads whole");
	CHECK((signs_of(delay_euc, sizeof(delay_euc) - 1) & BOUNCE_SIGN_DELAY) != 0,
		  "\"delivery is delayed, delivery continues\" in EUC-JP is a delay");
	CHECK(best_reason(split, sizeof(split) - 1) == -1, "ASCII inside a phrase breaks it");
	/* "user takeda is not registered in the Domino directory", UTF-8 */
	CHECK(best_reason("\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6\xe3\x83\xbc takeda \xe3\x81\xaf Domino "
					  "\xe3\x83\x87\xe3\x82\xa3\xe3\x83\xac\xe3\x82\xaf\xe3\x83\x88\xe3\x83\xaa\xe3\x81\xab"
					  "\xe7\x99\xbb\xe9\x8c\xb2\xe3\x81\x95\xe3\x82\x8c\xe3\x81\xa6\xe3\x81\x84\xe3\x81\xbe"
					  "\xe3\x81\x9b\xe3\x82\x93", 79) == BOUNCE_REASON_USERUNKNOWN,
		  "\"not registered in the directory\" is userunknown");
	CHECK(best_reason("Empf\xe4nger unbekannt", 19) == BOUNCE_REASON_USERUNKNOWN &&
		  (signs_of("Empf\xe4nger unbekannt", 19) & BOUNCE_SIGN_DELAY) == 0,
		  "a Latin-1 text keeps its own reading");
	CHECK((signs_of("\x1b$B%a!<%k%(%i!<\x1b(B", 18) & BOUNCE_SIGN_BOUNCE) != 0,
		  "a \"mail error\" Subject names a bounce");

	/* a phrase far into a long text, across the scan's block cut */
	memcpy(big, "\x1b$B", 3);
	n = 3;
	for (k = 0; k < 254; k++)
	{
		memcpy(big + n, "$\x22", 2);	/* hiragana a */
		n += 2;
	}
	memcpy(big + n, "08@hITL@", 8);	/* destination unknown, cut by the block end */
	n += 8;
	memcpy(big + n, "\x1b(B", 3);
	n += 3;
	CHECK(best_reason(big, n) == BOUNCE_REASON_USERUNKNOWN, "a phrase across the block cut is found");
}

/* A Japanese prose notice in ISO-2022-JP, read end to end. */
static void
test_notice_ja(void)
{
	static const char msg[] =
		"From: postmaster@mx.example.jp\n"
		"To: bounces@sender.example\n"
		"Subject: =?ISO-2022-JP?B?GyRCJWEhPCVrJSglaSE8GyhC?=\n"
		"MIME-Version: 1.0\n"
		"Content-Type: text/plain; charset=ISO-2022-JP\n"
		"\n"
		"\x1b$B0J2<$N%\x22%I%l%9$X$NG[Aw$K<:GT$7$^$7$\x3f!#\x1b(B\n"
		"\n"
		"    taro@example.jp\n"
		"\n"
		"\x1b$B08@hITL@$G$9!#\x1b(B\n";
	got_rows	g;

	CHECK(parse(msg, &g) == 1 && strcmp(g.rcpt[0], "taro@example.jp") == 0 &&
		  strcmp(g.action[0], "failed") == 0 && g.reason[0] == BOUNCE_REASON_USERUNKNOWN &&
		  g.cls[0] == BOUNCE_CLASS_HARD,
		  "a Japanese notice: one failed row, userunknown, hard (%d rows: %s %s %s)", g.n,
		  g.n ? g.rcpt[0] : "", g.n ? g.action[0] : "", g.n ? bounce_reason_name(g.reason[0]) : "");
}

void
run_japanese_tests(void)
{
	test_fold();
	test_phrases_ja();
	test_notice_ja();
}
