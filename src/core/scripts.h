/*
 * scripts.h - read text in scripts other than Latin and Japanese as
 * Unicode letters, whatever its charset (pure C core, no postgres.h).
 *
 * Notices in Cyrillic, Greek, Hebrew, Arabic, Thai, Devanagari, Chinese or
 * Korean arrive in UTF-8 or in a charset of their own (windows-1251,
 * KOI8-U, ISO-8859-5, ISO-8859-7, windows-1255, windows-1256, ISO-8859-6,
 * TIS-620, GBK, Big5, EUC-KR).  The phrase automaton reads ASCII letters
 * only, so a text is folded to code points (case and the forms a phrase
 * should not depend on folded, as below) and the phrase table's phrases in
 * those scripts (PHRASE_UNI) are compared in that form, as Japanese ones
 * are (japanese.h).  The reader does not know a part's charset, so a text
 * is read in each reading its bytes allow; a phrase is several letters
 * long, so a wrong reading does not match one by chance.
 */
#ifndef BOUNCE_SCRIPTS_H
#define BOUNCE_SCRIPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Codes that are no letter of those scripts. */
#define BOUNCE_SC_SEP	0		/* ASCII, Latin, punctuation, digits: ends a phrase */
#define BOUNCE_SC_OTHER	1		/* a character the reading cannot decode */

/* The readings of a text: what its bytes may be. */
typedef enum bounce_sc_reading
{
	BOUNCE_SC_UTF8 = 0,
	BOUNCE_SC_CP1251,			/* Cyrillic */
	BOUNCE_SC_KOI8U,			/* Cyrillic (KOI8-R's letters too) */
	BOUNCE_SC_ISO8859_5,		/* Cyrillic */
	BOUNCE_SC_GREEK,			/* windows-1253, ISO-8859-7's letters too */
	BOUNCE_SC_HEBREW,			/* windows-1255, ISO-8859-8's letters too */
	BOUNCE_SC_CP1256,			/* Arabic, Persian */
	BOUNCE_SC_ISO8859_6,		/* Arabic */
	BOUNCE_SC_THAI,				/* windows-874, TIS-620 */
	BOUNCE_SC_GBK,				/* Chinese (GB2312's characters too) */
	BOUNCE_SC_BIG5,				/* Chinese */
	BOUNCE_SC_EUCKR,			/* Korean */
	BOUNCE_SC_NREADINGS
} bounce_sc_reading;

/* A fold in progress. */
typedef struct bounce_sc_fold
{
	const unsigned char *s;
	size_t		n;
	size_t		pos;
	bounce_sc_reading reading;
	bool		sep;			/* the last code written was BOUNCE_SC_SEP */
} bounce_sc_fold;

/*
 * The readings worth trying on s[0..n), a bit (1 << reading) each: UTF-8
 * when it holds a UTF-8 letter of those scripts; when its bytes >= 0x80
 * that are no UTF-8 are at least a fifth of its ASCII letters (a Latin-1
 * or Latin-2 text has far fewer), each other reading that nine in ten of
 * its bytes >= 0x80 fit (letters of a single-byte reading's script, valid
 * pairs of a double-byte one).  0 for almost every text, so the caller
 * skips the rest.
 */
extern unsigned bounce_sc_readings(const char *s, size_t n);

/* Start folding s[0..n) in one reading. */
extern void bounce_sc_fold_init(bounce_sc_fold *f, const char *s, size_t n, bounce_sc_reading reading);

/*
 * Fold the next part of the text into out[0..cap): letters as their
 * folded code points, runs of anything else as one BOUNCE_SC_SEP.  White
 * space and combining marks produce nothing, so a phrase wrapped across
 * lines still reads whole (phrases are folded the same way, their spaces
 * dropped).  Upper case is folded to lower case (Cyrillic, Greek), Greek
 * accents and final sigma to the plain letter, Arabic alef forms to alef
 * and the Persian yeh and kaf to the Arabic ones.  Returns the number of
 * codes written, 0 at the end of the text.
 */
extern size_t bounce_sc_fold_next(bounce_sc_fold *f, uint16_t *out, size_t cap);

/*
 * True when the double-byte readings (GBK, Big5, EUC-KR) decode code
 * point cp: they only know the characters that the phrase table's
 * phrases use (tools/script_tables.py writes that table).
 */
extern bool bounce_sc_wide_known(uint16_t cp);

#endif							/* BOUNCE_SCRIPTS_H */
